/*
 * test_single.c - the battery qtr_indices_single and the index table.
 */
#include "test_util.h"

#include <omp.h>

#include "single_cases.h"

static const double B_t[3] = {20, 40, 40}, B_x[3] = {10, 10, 0}, B_a[3] = {1, 2, 7};
static const double B_cx[3] = {1, 2, 6}, B_cy[3] = {0, 0, 0};

static const struct qtr_index_value *find(const struct qtr_index_value *v, size_t n,
                                          const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    fail_msg("index %s missing", name);
    return NULL;
}

static void test_battery_without_geometry(void **state)
{
    (void)state;
    const struct qtr_units u = {.n = 3, .total = B_t, .group = B_x};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error e;
    struct qtr_index_options opt = {.permutations = 50, .seed = 1};
    assert_int_equal(qtr_indices_single(&u, "Ausländer", &opt, &v, &n, &e), QTR_OK);
    size_t nd;
    const struct qtr_index_def *defs = qtr_single_index_defs(&nd);
    assert_int_equal(n, nd);
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(v[k].name, defs[k].name);
        assert_string_equal(v[k].group, "Ausländer");
        if (defs[k].flags & QTR_INDEX_NEEDS_AREA) {
            assert_int_equal(v[k].status, QTR_ERR_DOMAIN);
            assert_string_equal(v[k].reason, "needs district areas");
        } else if (defs[k].flags & QTR_INDEX_NEEDS_CENTROIDS) {
            assert_int_equal(v[k].status, QTR_ERR_DOMAIN);
            assert_string_equal(v[k].reason, "needs district centroids");
        } else {
            assert_int_equal(v[k].status, QTR_OK);
            assert_true(isfinite(v[k].value));
            assert_int_equal(v[k].reason[0], '\0');
        }
        if (defs[k].flags & QTR_INDEX_SIMULATED)
            assert_true(isfinite(v[k].expected));
        else
            assert_true(isnan(v[k].expected));
        assert_true(isnan(v[k].p_value) && isnan(v[k].ci_low) && isnan(v[k].ci_high));
    }
    /* the values are those of the single functions (hand values in test_evenness.c) */
    assert_close(find(v, n, "dissimilarity")->value, 0.5, 1e-15);
    assert_close(find(v, n, "gini")->value, 0.625, 1e-15);
    assert_close(find(v, n, "isolation")->value, 0.375, 1e-15);
    double md, ex;
    assert_int_equal(qtr_modified_dissimilarity_sim(&u, 50, 1, &md, &ex, &e), QTR_OK);
    assert_close(find(v, n, "modified_dissimilarity")->value, md, 0);
    assert_close(find(v, n, "modified_dissimilarity")->expected, ex, 0);
    free(v);
}

/* permutations = 0 simulates nothing: the indices defined by simulation are listed with the
 * reason, the others keep their values and have no inference. */
static void test_battery_no_draws(void **state)
{
    (void)state;
    const struct qtr_units u = {.n = 3, .total = B_t, .group = B_x};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error e;
    struct qtr_index_options opt = {.permutations = 0, .seed = 1};
    assert_int_equal(qtr_indices_single(&u, "g", &opt, &v, &n, &e), QTR_OK);
    size_t nd;
    const struct qtr_index_def *defs = qtr_single_index_defs(&nd);
    assert_int_equal(n, nd);
    size_t simulated = 0;
    for (size_t k = 0; k < n; k++) {
        assert_true(isnan(v[k].p_value) && isnan(v[k].ci_low) && isnan(v[k].expected));
        if (defs[k].flags & QTR_INDEX_SIMULATED) {
            simulated++;
            assert_int_equal(v[k].status, QTR_ERR_DOMAIN);
            assert_string_equal(v[k].reason, QTR_NO_DRAWS_REASON);
            assert_true(isnan(v[k].value));
        } else if (!(defs[k].flags & (QTR_INDEX_NEEDS_AREA | QTR_INDEX_NEEDS_CENTROIDS))) {
            assert_int_equal(v[k].status, QTR_OK);
        }
    }
    assert_int_equal(simulated, 3);
    assert_close(find(v, n, "dissimilarity")->value, 0.5, 1e-15);
    free(v);
}

static void test_battery_appends_and_full_geometry(void **state)
{
    (void)state;
    const struct qtr_units u = {.n = 3, .total = B_t, .group = B_x, .area = B_a, .cx = B_cx,
                                .cy = B_cy, .central_radius = 1.5};
    struct qtr_index_value *v = NULL;
    size_t n = 0, nd;
    struct qtr_error e;
    qtr_single_index_defs(&nd);
    assert_int_equal(qtr_indices_single(&u, "a", NULL, &v, &n, &e), QTR_OK);
    assert_int_equal(qtr_indices_single(&u, "b", NULL, &v, &n, &e), QTR_OK);
    assert_int_equal(n, 2 * nd);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(v[k].status, QTR_OK);
        assert_string_equal(v[k].group, k < nd ? "a" : "b");
    }
    /* hand values in test_concentration.c / test_centralization.c (mean centre) */
    assert_close(find(v, n, "absolute_concentration")->value, 11.0 / 12.0, 1e-15);
    assert_close(find(v, n, "absolute_centralization")->value, 0.65, 1e-15);
    free(v);
}

/* u.spatial: the indices that need areas or centroids take their own districts (here one
 * more, without residents); the others are unchanged. */
static void test_battery_spatial_units(void **state)
{
    (void)state;
    const double t[2] = {100, 100}, x[2] = {80, 20}, a[2] = {1, 1};
    const double ts[3] = {100, 100, 0}, xs[3] = {80, 20, 0}, as[3] = {1, 1, 2};
    const double cx[3] = {0, 1, 2}, cy[3] = {0, 0, 0};
    const struct qtr_units sp = {.n = 3, .total = ts, .group = xs, .area = as, .cx = cx, .cy = cy};
    const struct qtr_units u = {.n = 2, .total = t, .group = x, .area = a, .cx = cx, .cy = cy,
                                .spatial = &sp};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error e;
    assert_int_equal(qtr_indices_single(&u, "g", NULL, &v, &n, &e), QTR_OK);
    /* D = 1/2 (|0.8 - 0.2| + |0.2 - 0.8|) = 0.6 on the two districts with residents */
    assert_close(find(v, n, "dissimilarity")->value, 0.6, 1e-15);
    /* delta = 1/2 (|0.8 - 1/4| + |0.2 - 1/4| + |0 - 2/4|) = 0.55 with the empty one's land */
    assert_close(find(v, n, "delta")->value, 0.55, 1e-15);
    free(v);
}

static void test_battery_bad_input_gives_reasons(void **state)
{
    (void)state;
    const double x[3] = {10, NAN, 0};
    const struct qtr_units u = {.n = 3, .total = B_t, .group = x, .area = B_a};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error e;
    assert_int_equal(qtr_indices_single(&u, "g", NULL, &v, &n, &e), QTR_OK);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(v[k].status, QTR_ERR_DOMAIN);
        assert_true(isnan(v[k].value));
        if (strcmp(v[k].reason, "needs district centroids") != 0)
            assert_non_null(strstr(v[k].reason, "district 1"));
    }
    free(v);
}

static double call_dissim(const struct qtr_units *u)
{
    double d = NAN;
    struct qtr_error e;
    assert_int_equal(qtr_dissimilarity(u, &d, &e), QTR_OK);
    return d;
}

static void test_simulation_independent_of_threads(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 31, 0);
    enum { N = 200 };
    double t[N], x[N];
    random_city(&r, N, t, x);
    const struct qtr_units u = {.n = N, .total = t, .group = x};
    double a[3], b[3];
    struct qtr_error e;
    int saved = omp_get_max_threads();
    for (int pass = 0; pass < 2; pass++) {
        double *o = pass ? b : a;
        omp_set_num_threads(pass ? 3 : 1);
        assert_int_equal(qtr_modified_dissimilarity_sim(&u, 40, 9, &o[0], NULL, &e), QTR_OK);
        assert_int_equal(qtr_modified_gini_sim(&u, 40, 9, &o[1], NULL, &e), QTR_OK);
        assert_int_equal(qtr_bias_corrected_dissimilarity_sim(&u, 40, 9, &o[2], NULL, &e),
                         QTR_OK);
    }
    omp_set_num_threads(saved);
    for (int k = 0; k < 3; k++)
        assert_true(a[k] == b[k]);
    /* the battery's team size (opt.threads) changes nothing either */
    struct qtr_index_value *v1 = NULL, *v2 = NULL;
    size_t n1 = 0, n2 = 0;
    struct qtr_index_options o1 = {.permutations = 40, .seed = 9, .threads = 1};
    struct qtr_index_options o2 = {.permutations = 40, .seed = 9, .threads = 2};
    assert_int_equal(qtr_indices_single(&u, "g", &o1, &v1, &n1, &e), QTR_OK);
    assert_int_equal(qtr_indices_single(&u, "g", &o2, &v2, &n2, &e), QTR_OK);
    assert_int_equal(n1, n2);
    for (size_t k = 0; k < n1; k++)
        if (v1[k].status == QTR_OK)
            assert_true(v1[k].value == v2[k].value);
    assert_close(v1[0].value, call_dissim(&u), 0);
    free(v1);
    free(v2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_battery_without_geometry),
        cmocka_unit_test(test_battery_no_draws),
        cmocka_unit_test(test_battery_appends_and_full_geometry),
        cmocka_unit_test(test_battery_spatial_units),
        cmocka_unit_test(test_battery_bad_input_gives_reasons),
        cmocka_unit_test(test_simulation_independent_of_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
