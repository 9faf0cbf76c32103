/*
 * test_concentration.c - delta, absolute and relative concentration (areas in m²).
 */
#include "test_util.h"

#include "single_cases.h"

/* City B with areas: x = {10, 10, 0}, t = {20, 40, 40}, y = {10, 30, 40}, a = {1, 2, 7}:
 * X = 20, Y = 80, T = 100, A = 10. */
static const double B_t[3] = {20, 40, 40}, B_x[3] = {10, 10, 0}, B_a[3] = {1, 2, 7};
static const struct qtr_units B = {.n = 3, .total = B_t, .group = B_x, .area = B_a};

static double call(qtr_index_fn fn, const struct qtr_units *u)
{
    struct qtr_error e;
    qtr_error_clear(&e);
    double v = NAN;
    int rc = fn(u, &v, &e);
    if (rc != QTR_OK)
        fail_msg("rc %d: %s", rc, e.msg);
    return v;
}

static void test_hand_delta(void **state)
{
    (void)state;
    /* 1/2 (|0.5 - 0.1| + |0.5 - 0.2| + |0 - 0.7|) = 1/2 * 1.4 = 0.7 */
    assert_close(call(qtr_delta, &B), 0.7, 1e-15);
}

static void test_hand_absolute_concentration(void **state)
{
    (void)state;
    /* ascending area = input order. n1: cumsum t = 20, 20/100 >= X/T = 0.2 -> n1 = 1,
     * T1 = 20. From the largest: 40/100 >= 0.2 -> the last district alone, T2 = 40.
     * Σ x a / X = (10*1 + 10*2)/20 = 1.5; Σ_{n1} t a / T1 = 20*1/20 = 1;
     * Σ_{n2} t a / T2 = 40*7/40 = 7. ACO = 1 - (1.5 - 1)/(7 - 1) = 11/12. */
    assert_close(call(qtr_absolute_concentration, &B), 11.0 / 12.0, 1e-15);
}

static void test_hand_relative_concentration(void **state)
{
    (void)state;
    /* Σ y a / Y = (10*1 + 30*2 + 40*7)/80 = 350/80 = 4.375; 1.5/4.375 = 12/35.
     * RCO = (12/35 - 1) / (1/7 - 1) = (-23/35) / (-6/7) = 23/30. */
    assert_close(call(qtr_relative_concentration, &B), 23.0 / 30.0, 1e-15);
}

static void test_order_does_not_matter(void **state)
{
    (void)state;
    /* the same city listed in another order */
    const double t[3] = {40, 20, 40}, x[3] = {0, 10, 10}, a[3] = {7, 1, 2};
    const struct qtr_units u = {.n = 3, .total = t, .group = x, .area = a};
    assert_close(call(qtr_delta, &u), 0.7, 1e-15);
    assert_close(call(qtr_absolute_concentration, &u), 11.0 / 12.0, 1e-15);
    assert_close(call(qtr_relative_concentration, &u), 23.0 / 30.0, 1e-15);
}

static const qtr_index_fn fns[] = {qtr_delta, qtr_absolute_concentration,
                                   qtr_relative_concentration};
static const char *const names[] = {"delta", "absolute_concentration",
                                    "relative_concentration"};

static void test_edge_cases(void **state)
{
    (void)state;
    run_edge_cases(names, fns, 3);
    double v = 42;
    struct qtr_error e;
    /* no areas */
    const struct qtr_units na = {.n = 3, .total = B_t, .group = B_x};
    for (int f = 0; f < 3; f++) {
        assert_int_equal(fns[f](&na, &v, &e), QTR_ERR_DOMAIN);
        assert_string_equal(e.msg, "needs district areas");
    }
    /* a zero or NaN area names the district */
    const double a0[3] = {1, 0, 7}, an[3] = {1, 2, NAN};
    const struct qtr_units z = {.n = 3, .total = B_t, .group = B_x, .area = a0};
    const struct qtr_units nn = {.n = 3, .total = B_t, .group = B_x, .area = an};
    for (int f = 0; f < 3; f++) {
        assert_int_equal(fns[f](&z, &v, &e), QTR_ERR_DOMAIN);
        assert_non_null(strstr(e.msg, "district 1"));
        assert_int_equal(fns[f](&nn, &v, &e), QTR_ERR_DOMAIN);
        assert_non_null(strstr(e.msg, "district 2"));
    }
    assert_close(v, 42, 0);
}

static void test_equal_areas(void **state)
{
    (void)state;
    /* a regular grid: PySAL gives NaN (0/0) for ACO and RCO; we give a reason. Delta is
     * still defined: 1/2 Σ |x_i/X - 1/3| = 1/2 (1/6 + 1/6 + 1/3) = 1/3. */
    const double a[3] = {250000, 250000, 250000};
    const struct qtr_units u = {.n = 3, .total = B_t, .group = B_x, .area = a};
    double v = 42;
    struct qtr_error e;
    assert_int_equal(qtr_absolute_concentration(&u, &v, &e), QTR_ERR_DOMAIN);
    assert_non_null(strstr(e.msg, "regular grid"));
    assert_int_equal(qtr_relative_concentration(&u, &v, &e), QTR_ERR_DOMAIN);
    assert_non_null(strstr(e.msg, "regular grid"));
    assert_close(v, 42, 0);
    assert_close(call(qtr_delta, &u), 1.0 / 3.0, 1e-15);
}

static void test_properties_random(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 303, 0);
    enum { N = 300 };
    static double t[N], x[N], a[N], t2[N], x2[N], a2[N];
    size_t perm[N];
    for (int rep = 0; rep < 30; rep++) {
        random_city(&r, N, t, x);
        for (size_t i = 0; i < N; i++)
            a[i] = 1e4 + 1e6 * qtr_rng_uniform(&r);
        struct qtr_units u = {.n = N, .total = t, .group = x, .area = a};
        double d = call(qtr_delta, &u), aco = call(qtr_absolute_concentration, &u);
        double rco = call(qtr_relative_concentration, &u);
        assert_true(d >= 0 && d <= 1);
        /* ACO is at most 1 (group in the smallest districts); RCO in [-1, 1] for these
         * cities (minority under 50 %) */
        assert_true(aco <= 1 + 1e-12);
        assert_true(rco >= -1 - 1e-12 && rco <= 1 + 1e-12);
        /* reordering changes nothing; counts x 4 and areas in km² (÷ 1e6) change nothing */
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        qtr_rng_shuffle(&r, perm, N, sizeof perm[0]);
        for (size_t i = 0; i < N; i++) {
            t2[i] = 4 * t[perm[i]];
            x2[i] = 4 * x[perm[i]];
            a2[i] = a[perm[i]] / 1e6;
        }
        struct qtr_units u2 = {.n = N, .total = t2, .group = x2, .area = a2};
        assert_close(call(qtr_delta, &u2), d, 1e-12);
        assert_close(call(qtr_absolute_concentration, &u2), aco, 1e-12);
        assert_close(call(qtr_relative_concentration, &u2), rco, 1e-12);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_delta),
        cmocka_unit_test(test_hand_absolute_concentration),
        cmocka_unit_test(test_hand_relative_concentration),
        cmocka_unit_test(test_order_does_not_matter),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_equal_areas),
        cmocka_unit_test(test_properties_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
