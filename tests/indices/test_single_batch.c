/*
 * test_single_batch.c - the single-group battery prepared once for many simulated cities
 * (src/indices/single_batch.c) gives the same bits as calling each public index function,
 * and the Atkinson kernel without pow agrees with the textbook pow form.
 */
#include "test_util.h"

#include <stdint.h>

#include "../../src/indices/single_internal.h"

/* a small deterministic generator (splitmix64) for the test cities */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

enum { N = 300 };

struct city {
    double t[N], x[N], a[N], cx[N], cy[N];
    struct qtr_units u;
};

/* n districts, some without residents, group <= total, whole counts up to 3000 */
static void make_city(struct city *c, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) {
        c->t[i] = next(&seed) % 7 == 0 ? 0.0 : (double)(next(&seed) % 3000);
        c->x[i] = c->t[i] > 0 ? (double)(next(&seed) % ((uint64_t)c->t[i] + 1)) : 0.0;
        c->a[i] = 1000.0 + (double)(next(&seed) % 50000);
        c->cx[i] = (double)(next(&seed) % 20000);
        c->cy[i] = (double)(next(&seed) % 20000);
    }
    c->u = (struct qtr_units){.n = n, .total = c->t, .group = c->x, .area = c->a,
                              .cx = c->cx, .cy = c->cy, .central_radius = 6000.0};
}

/* a function the batch does not know: it is called as it is */
static int share_of_first(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    (void)err;
    *out = u->total[0] > 0 ? u->group[0] / u->total[0] : 0.25;
    return QTR_OK;
}

static void check_batch_equals_functions(size_t n)
{
    size_t nd;
    const struct qtr_index_def *defs = qtr_single_index_defs(&nd);
    qtr_index_fn fns[64];
    size_t m = 0;
    for (size_t k = 0; k < nd; k++)
        if (!(defs[k].flags & (QTR_INDEX_SIMULATED | QTR_INDEX_NO_INFERENCE)))
            fns[m++] = defs[k].fn;
    fns[m++] = share_of_first;
    fns[m++] = NULL;
    struct city *c = malloc(sizeof *c);
    assert_non_null(c);
    make_city(c, n, 42);
    struct qtr_sg_batch *bt = qtr_sg_batch_new(&c->u, fns, m);
    assert_non_null(bt);
    struct qtr_sg_scratch *sc = qtr_sg_scratch_new(bt);
    assert_non_null(sc);
    double vals[64];
    /* the simulated cities: new counts on the same geometry, with the same totals and with
     * other totals, and one without the group (every index undefined) */
    for (int draw = 0; draw < 6; draw++) {
        uint64_t seed = 1000 + (uint64_t)draw;
        for (size_t i = 0; i < n; i++) {
            if (draw >= 3)
                c->t[i] = (double)(next(&seed) % 2000);
            c->x[i] = draw == 5 ? 0.0
                                : (double)(next(&seed) % ((uint64_t)c->t[i] + 1));
        }
        qtr_sg_batch_eval(bt, &c->u, sc, vals);
        size_t defined = 0;
        for (size_t j = 0; j < m; j++) {
            double v = NAN;
            struct qtr_error e;
            if (fns[j] && (fns[j](&c->u, &v, &e) != QTR_OK || !isfinite(v)))
                v = NAN;
            if (isnan(v)) {
                assert_true(isnan(vals[j]));
            } else {
                /* bit for bit: the same kernel on the same data */
                assert_memory_equal(&v, &vals[j], sizeof v);
                defined++;
            }
        }
        /* all but NULL are defined on a city with contrast; only the unknown one without */
        assert_int_equal(defined, draw == 5 ? 1 : m - 1);
    }
    qtr_sg_scratch_free(sc);
    qtr_sg_batch_free(bt);
    free(c);
}

static void test_batch_equals_functions_small(void **state)
{
    (void)state;
    check_batch_equals_functions(40); /* the qsort path of the argsort */
}

static void test_batch_equals_functions_radix(void **state)
{
    (void)state;
    check_batch_equals_functions(N); /* the radix path */
}

static void test_batch_unknown_only(void **state)
{
    (void)state;
    struct city c;
    make_city(&c, 10, 7);
    qtr_index_fn fns[1] = {share_of_first};
    assert_null(qtr_sg_batch_new(&c.u, fns, 1));
}

static void test_atkinson_against_pow(void **state)
{
    (void)state;
    struct city *c = malloc(sizeof *c);
    assert_non_null(c);
    make_city(c, N, 9);
    struct qtr_sg_sums s;
    assert_int_equal(qtr_sg_check(&c->u, &s, NULL), QTR_OK);
    const double bs[] = {0.1, 0.25, 0.5, 0.75, 0.9};
    for (size_t q = 0; q < sizeof bs / sizeof bs[0]; q++) {
        double b = bs[q];
        /* Massey & Denton (1988) eq. (5) with pow, as written */
        struct qtr_ksum k = {0, 0};
        for (size_t i = 0; i < N; i++) {
            double t = c->t[i];
            if (!(t > 0))
                continue;
            double p = c->x[i] / t;
            qtr_ksum_add(&k, pow(1.0 - p, 1.0 - b) * pow(p, b) * t);
        }
        double inner = fabs(qtr_ksum_get(&k) / (s.P * s.T));
        double ref = 1.0 - s.P / (1.0 - s.P) * pow(inner, 1.0 / (1.0 - b));
        double got;
        struct qtr_error e;
        assert_int_equal(qtr_atkinson(&c->u, b, &got, &e), QTR_OK);
        assert_true(fabs(got - ref) <= 1e-12 * fabs(ref));
        /* the table of logarithms gives the same bits as log() */
        double tab[3001];
        for (size_t i = 0; i < 3001; i++)
            tab[i] = log((double)i);
        double with_tab = qtr_sg_atkinson_core(&c->u, &s, b, tab, 3001);
        assert_memory_equal(&with_tab, &got, sizeof got);
    }
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_equals_functions_small),
        cmocka_unit_test(test_batch_equals_functions_radix),
        cmocka_unit_test(test_batch_unknown_only),
        cmocka_unit_test(test_atkinson_against_pow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
