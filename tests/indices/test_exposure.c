/*
 * test_exposure.c - isolation, exposure (interaction), correlation ratio; local share/LQ.
 */
#include "test_util.h"

#include "single_cases.h"

/* City B: x = {10, 10, 0}, t = {20, 40, 40}: X = 20, T = 100, P = 0.2, p = {.5, .25, 0} */
static const double B_t[3] = {20, 40, 40}, B_x[3] = {10, 10, 0};
static const struct qtr_units B = {.n = 3, .total = B_t, .group = B_x};

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

static void test_hand_values(void **state)
{
    (void)state;
    /* xPx = Σ (x_i/X)(x_i/t_i) = 0.5*0.5 + 0.5*0.25 + 0 = 0.375 */
    assert_close(call(qtr_isolation, &B), 0.375, 1e-15);
    /* xPy = Σ (x_i/X)(y_i/t_i) = 0.5*0.5 + 0.5*0.75 + 0 = 0.625 */
    assert_close(call(qtr_exposure, &B), 0.625, 1e-15);
    /* V = (xPx - P)/(1 - P) = (0.375 - 0.2)/0.8 = 0.21875 */
    assert_close(call(qtr_correlation_ratio, &B), 0.21875, 1e-15);
}

static const qtr_index_fn fns[] = {qtr_isolation, qtr_exposure, qtr_correlation_ratio};
static const char *const names[] = {"isolation", "exposure", "correlation_ratio"};

static void test_edge_cases(void **state)
{
    (void)state;
    run_edge_cases(names, fns, 3);
}

static void test_properties_random(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 77, 0);
    enum { N = 400 };
    static double t[N], x[N], t2[N], x2[N];
    size_t perm[N];
    for (int rep = 0; rep < 30; rep++) {
        random_city(&r, N, t, x);
        struct qtr_units u = {.n = N, .total = t, .group = x};
        double iso = call(qtr_isolation, &u), exp_ = call(qtr_exposure, &u);
        double V = call(qtr_correlation_ratio, &u);
        double X = 0, T = 0;
        for (size_t i = 0; i < N; i++) {
            X += x[i];
            T += t[i];
        }
        /* xPx + xPy = 1 (Massey & Denton 1988, p. 288); P <= xPx <= 1; 0 <= V <= 1 */
        assert_close(iso + exp_, 1.0, 1e-12);
        assert_true(iso >= X / T - 1e-12 && iso <= 1 + 1e-12);
        assert_true(V >= -1e-12 && V <= 1 + 1e-12);
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        qtr_rng_shuffle(&r, perm, N, sizeof perm[0]);
        for (size_t i = 0; i < N; i++) {
            t2[i] = 7 * t[perm[i]];
            x2[i] = 7 * x[perm[i]];
        }
        struct qtr_units u2 = {.n = N, .total = t2, .group = x2};
        assert_close(call(qtr_isolation, &u2), iso, 1e-12);
        assert_close(call(qtr_exposure, &u2), exp_, 1e-12);
        assert_close(call(qtr_correlation_ratio, &u2), V, 1e-12);
    }
}

static void test_even_and_separated(void **state)
{
    (void)state;
    const double t[4] = {100, 200, 50, 1000}, xe[4] = {30, 60, 15, 300}, xs[4] = {100, 0, 50, 0};
    const struct qtr_units ue = {.n = 4, .total = t, .group = xe};
    const struct qtr_units us = {.n = 4, .total = t, .group = xs};
    /* even: xPx = P = 0.3, V = 0; separated: xPx = 1, xPy = 0, V = 1 */
    assert_close(call(qtr_isolation, &ue), 0.3, 1e-14);
    assert_close(call(qtr_correlation_ratio, &ue), 0.0, 1e-14);
    assert_close(call(qtr_isolation, &us), 1.0, 1e-15);
    assert_close(call(qtr_exposure, &us), 0.0, 1e-15);
    assert_close(call(qtr_correlation_ratio, &us), 1.0, 1e-15);
}

static void test_local_share_lq(void **state)
{
    (void)state;
    /* City B plus an empty district: shares {.5, .25, 0, -}, LQ = share / 0.2 */
    const double t[4] = {20, 40, 40, 0}, x[4] = {10, 10, 0, 0};
    const struct qtr_units u = {.n = 4, .total = t, .group = x};
    double share[4], lq[4];
    uint8_t def[4];
    struct qtr_error e;
    assert_int_equal(qtr_local_share_lq(&u, 1, share, lq, def, &e), QTR_OK);
    assert_close(share[0], 50.0, 1e-13);
    assert_close(share[1], 25.0, 1e-13);
    assert_close(share[2], 0.0, 0);
    assert_close(lq[0], 2.5, 1e-15);
    assert_close(lq[1], 1.25, 1e-15);
    assert_close(lq[2], 0.0, 0);
    assert_int_equal(def[0], 1);
    assert_int_equal(def[2], 1);
    assert_int_equal(def[3], 0);
    assert_int_equal(qtr_local_share_lq(&u, 0, share, lq, def, &e), QTR_OK);
    assert_close(share[1], 0.25, 1e-15);
    /* the population-weighted mean LQ is 1: Σ t_i LQ_i / T = 1 */
    assert_close((20 * lq[0] + 40 * lq[1] + 40 * lq[2]) / 100, 1.0, 1e-15);
    const double xa[4] = {0, 0, 0, 0}, xn[4] = {1, NAN, 0, 0};
    const struct qtr_units ua = {.n = 4, .total = t, .group = xa};
    const struct qtr_units un = {.n = 4, .total = t, .group = xn};
    assert_int_equal(qtr_local_share_lq(&ua, 0, share, lq, def, &e), QTR_ERR_DOMAIN);
    assert_int_equal(qtr_local_share_lq(&un, 0, share, lq, def, &e), QTR_ERR_DOMAIN);
    assert_non_null(strstr(e.msg, "district 1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_values),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_properties_random),
        cmocka_unit_test(test_even_and_separated),
        cmocka_unit_test(test_local_share_lq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
