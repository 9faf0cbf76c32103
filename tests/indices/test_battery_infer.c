#include "test_util.h"

#include "quartier/indices.h"

static const struct qtr_index_value *find(const struct qtr_index_value *v, size_t n,
                                          const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(v[k].name, name))
            return &v[k];
    return NULL;
}

/* Two halves: the group lives only in the first 10 districts. Under random allocation of
 * 2,000 residents D is near 0, so every one of 199 draws is below the observed D = 1: the
 * p-value is the smallest possible, 1/200. Exposure (contact with the rest) is 0, which is
 * significant in the lower tail. */
static void test_segregated_city(void **state)
{
    (void)state;
    double t[20], x[20];
    for (int i = 0; i < 20; i++) {
        t[i] = 100;
        x[i] = i < 10 ? 100 : 0;
    }
    struct qtr_units u = {.n = 20, .total = t, .group = x};
    struct qtr_index_options opt = {.permutations = 199, .seed = 42};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_single(&u, "g", &opt, &v, &n, &err), QTR_OK);
    assert_int_equal(qtr_indices_single_infer(&u, &opt, v, n, &err), QTR_OK);
    const struct qtr_index_value *d = find(v, n, "dissimilarity");
    assert_non_null(d);
    assert_close(d->value, 1.0, 1e-12);
    assert_close(d->p_value, 1.0 / 200.0, 1e-12);
    assert_true(d->expected < 0.15);
    const struct qtr_index_value *e = find(v, n, "exposure");
    assert_close(e->p_value, 1.0 / 200.0, 1e-12);
    /* Simulated-by-definition indices keep their own expectation and get no p-value. */
    const struct qtr_index_value *m = find(v, n, "modified_dissimilarity");
    assert_true(isnan(m->p_value));
    free(v);
}

/* A city where every district has the city's composition is not segregated: D = 0 and the
 * p-value is 1 (every draw is at least as uneven). The interval brackets small values. */
static void test_even_city(void **state)
{
    (void)state;
    double t[30], x[30];
    for (int i = 0; i < 30; i++) {
        t[i] = 200 + 20 * i;
        x[i] = t[i] / 4;
    }
    struct qtr_units u = {.n = 30, .total = t, .group = x};
    struct qtr_index_options opt = {.permutations = 99, .seed = 7};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_single(&u, "g", &opt, &v, &n, &err), QTR_OK);
    assert_int_equal(qtr_indices_single_infer(&u, &opt, v, n, &err), QTR_OK);
    const struct qtr_index_value *d = find(v, n, "dissimilarity");
    assert_close(d->value, 0.0, 1e-12);
    assert_close(d->p_value, 1.0, 1e-12);
    assert_true(d->ci_low >= 0.0 && d->ci_high < 0.2 && d->ci_low <= d->ci_high);
    /* Same seed, same numbers. */
    struct qtr_index_value *w = NULL;
    size_t m = 0;
    assert_int_equal(qtr_indices_single(&u, "g", &opt, &w, &m, &err), QTR_OK);
    assert_int_equal(qtr_indices_single_infer(&u, &opt, w, m, &err), QTR_OK);
    const struct qtr_index_value *d2 = find(w, m, "dissimilarity");
    assert_true(d2->ci_low == d->ci_low && d2->ci_high == d->ci_high);
    free(v);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segregated_city),
        cmocka_unit_test(test_even_city),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
