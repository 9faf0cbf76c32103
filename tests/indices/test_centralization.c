/*
 * test_centralization.c - absolute and relative centralization, proportion in the centre.
 */
#include "test_util.h"

#include "single_cases.h"

/* City B on a line: x = {10, 10, 0}, t = {20, 40, 40}, y = {10, 30, 40}, a = {1, 2, 7},
 * centroids at x = 1, 2, 6 (y = 0). */
static const double B_t[3] = {20, 40, 40}, B_x[3] = {10, 10, 0}, B_a[3] = {1, 2, 7};
static const double B_cx[3] = {1, 2, 6}, B_cy[3] = {0, 0, 0};

static struct qtr_units city_b(int has_center)
{
    struct qtr_units u = {.n = 3, .total = B_t, .group = B_x, .area = B_a, .cx = B_cx,
                          .cy = B_cy, .has_center = has_center};
    return u;
}

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

static void test_hand_given_center(void **state)
{
    (void)state;
    /* centre (0,0): order 1, 2, 3. Cumulative X = {.5, 1, 1}, A = {.1, .3, 1},
     * Y = {.125, .5, 1}.
     * ACE = (X1 A2 - X2 A1) + (X2 A3 - X3 A2) = (.15 - .1) + (1 - .3) = 0.75
     * RCE = (X1 Y2 - X2 Y1) + (X2 Y3 - X3 Y2) = (.25 - .125) + (1 - .5) = 0.625 */
    struct qtr_units u = city_b(1);
    assert_close(call(qtr_absolute_centralization, &u), 0.75, 1e-15);
    assert_close(call(qtr_relative_centralization, &u), 0.625, 1e-15);
}

static void test_hand_mean_center(void **state)
{
    (void)state;
    /* mean of the centroids (3, 0): distances {2, 1, 3}, order 2, 1, 3.
     * X = {.5, 1, 1}, A = {.2, .3, 1}: ACE = (.15 - .2) + (1 - .3) = 0.65.
     * Y = {.375, .5, 1}: RCE = (.25 - .375) + (1 - .5) = 0.375 */
    struct qtr_units u = city_b(0);
    assert_close(call(qtr_absolute_centralization, &u), 0.65, 1e-15);
    assert_close(call(qtr_relative_centralization, &u), 0.375, 1e-15);
}

static void test_hand_proportion_central(void **state)
{
    (void)state;
    struct qtr_units u = city_b(1);
    double v = 42;
    struct qtr_error e;
    /* no radius: a reason */
    assert_int_equal(qtr_proportion_central(&u, &v, &e), QTR_ERR_DOMAIN);
    assert_non_null(strstr(e.msg, "radius"));
    assert_close(v, 42, 0);
    /* within 1.5 m of (0,0): district 1 only -> 10/20; within 2.5: 1 and 2 -> 1;
     * within 0.5: nobody -> 0 (defined: no group member lives in the centre) */
    u.central_radius = 1.5;
    assert_close(call(qtr_proportion_central, &u), 0.5, 1e-15);
    u.central_radius = 2.5;
    assert_close(call(qtr_proportion_central, &u), 1.0, 1e-15);
    u.central_radius = 0.5;
    assert_close(call(qtr_proportion_central, &u), 0.0, 0);
}

static const qtr_index_fn fns[] = {qtr_absolute_centralization, qtr_relative_centralization,
                                   qtr_proportion_central};
static const char *const names[] = {"absolute_centralization", "relative_centralization",
                                    "proportion_central"};

static void test_edge_cases(void **state)
{
    (void)state;
    run_edge_cases(names, fns, 3);
    struct qtr_units u = city_b(0);
    u.central_radius = 3;
    u.cx = NULL;
    double v = 42;
    struct qtr_error e;
    for (int f = 0; f < 3; f++) {
        assert_int_equal(fns[f](&u, &v, &e), QTR_ERR_DOMAIN);
        assert_string_equal(e.msg, "needs district centroids");
    }
    const double cxn[3] = {1, NAN, 6};
    u.cx = cxn;
    for (int f = 0; f < 3; f++) {
        assert_int_equal(fns[f](&u, &v, &e), QTR_ERR_DOMAIN);
        assert_non_null(strstr(e.msg, "district 1"));
    }
    u = city_b(0);
    u.area = NULL;
    assert_int_equal(qtr_absolute_centralization(&u, &v, &e), QTR_ERR_DOMAIN);
    assert_string_equal(e.msg, "needs district areas");
    assert_close(v, 42, 0);
}

static void test_properties_random(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 404, 0);
    enum { N = 300 };
    static double t[N], x[N], a[N], cx[N], cy[N], t2[N], x2[N], a2[N], cx2[N], cy2[N];
    size_t perm[N];
    for (int rep = 0; rep < 30; rep++) {
        random_city(&r, N, t, x);
        for (size_t i = 0; i < N; i++) {
            a[i] = 1e4 + 1e6 * qtr_rng_uniform(&r);
            cx[i] = 380000 + 20000 * qtr_rng_uniform(&r);
            cy[i] = 5800000 + 20000 * qtr_rng_uniform(&r);
        }
        struct qtr_units u = {.n = N, .total = t, .group = x, .area = a, .cx = cx, .cy = cy};
        double ace = call(qtr_absolute_centralization, &u);
        double rce = call(qtr_relative_centralization, &u);
        /* both are differences of Lorenz-curve areas: in [-1, 1] */
        assert_true(ace >= -1 && ace <= 1);
        assert_true(rce >= -1 && rce <= 1);
        /* reorder, scale counts, shift and rotate coordinates by 90°: unchanged */
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        qtr_rng_shuffle(&r, perm, N, sizeof perm[0]);
        for (size_t i = 0; i < N; i++) {
            size_t j = perm[i];
            t2[i] = 3 * t[j];
            x2[i] = 3 * x[j];
            a2[i] = a[j];
            cx2[i] = -(cy[j] - 5800000);
            cy2[i] = cx[j] - 380000;
        }
        struct qtr_units u2 = {.n = N, .total = t2, .group = x2, .area = a2, .cx = cx2,
                               .cy = cy2};
        assert_close(call(qtr_absolute_centralization, &u2), ace, 1e-12);
        assert_close(call(qtr_relative_centralization, &u2), rce, 1e-12);
        /* PCC grows with the radius and reaches 1 */
        double prev = 0;
        for (double rad = 1000; rad <= 20000; rad += 1000) {
            u.central_radius = rad;
            double p = call(qtr_proportion_central, &u);
            assert_true(p >= prev && p <= 1);
            prev = p;
        }
        assert_close(prev, 1.0, 1e-12);
    }
}

static void test_local_relative_centralization(void **state)
{
    (void)state;
    /* City B, every district the neighbour of every other (the diagonal is ignored).
     * i = 0, centre (1,0): order 0, 1, 2 -> X = {.5, 1, 1}, Y = {.125, .5, 1}: 0.625.
     * i = 1, centre (2,0): order 1, 0, 2 -> X = {.5, 1, 1}, Y = {.375, .5, 1}:
     *   (.25 - .375) + (1 - .5) = 0.375.
     * i = 2, centre (6,0): order 2, 1, 0 -> X = {0, .5, 1}, Y = {.5, .875, 1}:
     *   (0 - .25) + (.5 - .875) = -0.625. */
    size_t row[4] = {0, 3, 5, 7};
    uint32_t col[7] = {0, 1, 2, 0, 2, 0, 1};
    double w[7] = {1, 1, 1, 1, 1, 1, 1};
    struct qtr_csr nb = {.n = 3, .row = row, .col = col, .w = w};
    struct qtr_units u = city_b(0);
    double out[3];
    uint8_t def[3];
    struct qtr_error e;
    assert_int_equal(qtr_local_relative_centralization(&u, &nb, out, def, &e), QTR_OK);
    assert_close(out[0], 0.625, 1e-15);
    assert_close(out[1], 0.375, 1e-15);
    assert_close(out[2], -0.625, 1e-15);
    assert_int_equal(def[0] + def[1] + def[2], 3);
    /* district 2 alone with neighbour 1 has a group member and others: defined;
     * a context of district 2 alone (no group member) is undefined */
    size_t row2[4] = {0, 1, 2, 2};
    uint32_t col2[2] = {1, 0};
    struct qtr_csr nb2 = {.n = 3, .row = row2, .col = col2, .w = w};
    assert_int_equal(qtr_local_relative_centralization(&u, &nb2, out, def, &e), QTR_OK);
    assert_int_equal(def[0], 1);
    assert_int_equal(def[2], 0);
    /* context {1, 0} for i = 0: order 0, 1 -> X = {.5, 1}, Y = {.25, 1}: .5 - .25 */
    assert_close(out[0], 0.25, 1e-15);
    /* a neighbour index out of range and a missing list are refused */
    uint32_t bad[2] = {1, 9};
    struct qtr_csr nb3 = {.n = 3, .row = row2, .col = bad, .w = w};
    assert_int_equal(qtr_local_relative_centralization(&u, &nb3, out, def, &e), QTR_ERR_DOMAIN);
    assert_int_equal(qtr_local_relative_centralization(&u, NULL, out, def, &e), QTR_ERR_DOMAIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_given_center),
        cmocka_unit_test(test_hand_mean_center),
        cmocka_unit_test(test_hand_proportion_central),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_properties_random),
        cmocka_unit_test(test_local_relative_centralization),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
