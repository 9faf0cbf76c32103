/*
 * test_surface.c - the kernel ("surface") multigroup indices: hand-computed values on four
 * districts in a row, the aspatial indices when the bandwidth reaches no neighbour, zero when
 * every district has the city's composition, and the battery's reasons.
 *
 * The hand layout: districts at x = 0, 100, 200, 300 m, triangular kernel with h = 150 m, so a
 * district's neighbours at 100 m weigh 1 - 100/150 = 1/3 and itself 1 (PySAL fill_diagonal).
 * A = (60, 30, 0, 0), B = (0, 0, 30, 60) -> environments A = (70, 50, 10, 0),
 * B = (0, 10, 50, 70) (whole numbers, rounding changes nothing); totals (70, 60, 60, 70),
 * T = 260, P = (1/2, 1/2), Simpson's I = 1/2.
 */
#include "test_util.h"

#include "quartier/multigroup.h"
#include "quartier/surface.h"

static const double hx[4] = {0, 100, 200, 300}, hy[4] = {0, 0, 0, 0};
static const double ha[4] = {60, 30, 0, 0}, hb[4] = {0, 0, 30, 60};

static struct qtr_units hand_units(const double **gp)
{
    gp[0] = ha;
    gp[1] = hb;
    struct qtr_units u = {.n = 4, .ngroups = 2, .groups = gp, .cx = hx, .cy = hy};
    return u;
}

static const struct qtr_index_value *find(const struct qtr_index_value *v, size_t n,
                                          const char *name, const char *group)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].name, name) && !strcmp(v[i].group, group ? group : ""))
            return &v[i];
    fail_msg("%s (%s) missing", name, group ? group : "");
    return NULL;
}

static double value_of(const struct qtr_index_value *v, size_t n, const char *name,
                       const char *group)
{
    const struct qtr_index_value *r = find(v, n, name, group);
    if (r->status != QTR_OK)
        fail_msg("%s: status %d (%s)", name, r->status, r->reason);
    return r->value;
}

static void test_environment_by_hand(void **state)
{
    (void)state;
    const double *gp[2];
    struct qtr_units u = hand_units(gp);
    double ea[4], eb[4];
    double *env[2] = {ea, eb};
    struct qtr_error err = {0};
    assert_int_equal(qtr_surface_environment(&u, QTR_KERNEL_TRIANGULAR, 150, env, &err), QTR_OK);
    const double wa[4] = {70, 50, 10, 0}, wb[4] = {0, 10, 50, 70};
    for (int i = 0; i < 4; i++) {
        assert_close(ea[i], wa[i], 0);
        assert_close(eb[i], wb[i], 0);
    }
}

static void test_indices_by_hand(void **state)
{
    (void)state;
    const double *gp[2];
    struct qtr_units u = hand_units(gp);
    struct qtr_surface_options so = {.bandwidth_m = 150, .fn = QTR_KERNEL_TRIANGULAR};
    const char *labels[2] = {"A", "B"};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_surface(&u, &so, NULL, labels, &v, &n, &err), QTR_OK);
    assert_int_equal(n, QTR_SURFACE_NINDEX + 2);
    /* D̃: Σ t_i Σ_k |p_ik - P_k| = 70·1 + 60·2/3 + 60·2/3 + 70·1 = 220; / (2 T I) = 260 */
    assert_close(value_of(v, n, "surface_dissimilarity", NULL), 11.0 / 13.0, 1e-15);
    /* Gini: per group Σ_{i<j} t_i t_j |p_i - p_j| with p_A = (1, 5/6, 1/6, 0):
     * 700 + 3500 + 4900 + 2400 + 3500 + 700 = 15700; both orders, both groups: 62800;
     * / (2 T² I) = 67600 */
    assert_close(value_of(v, n, "surface_gini", NULL), 157.0 / 169.0, 1e-15);
    /* Σ t_i Σ_k (p_ik - P_k)² = 2·70·(1/2) + 2·60·(2/9) = 290/3; relative diversity divides
     * by T I = 130, normalized exposure weighs by 1/(1 - P_k) = 2 and divides by T, the squared
     * CV weighs by 1/((K-1) P_k) = 2: all three 29/39 with two equal groups */
    assert_close(value_of(v, n, "surface_relative_diversity", NULL), 29.0 / 39.0, 1e-15);
    assert_close(value_of(v, n, "surface_normalized_exposure", NULL), 29.0 / 39.0, 1e-15);
    assert_close(value_of(v, n, "surface_squared_cv", NULL), 29.0 / 39.0, 1e-15);
    /* M̃ = Σ (t_i/T) Σ_k p_ik ln(p_ik / P_k): the outer districts ln 2, the inner ones
     * 5/6 ln(5/3) + 1/6 ln(1/3); H̃ = M̃ / ln 2 */
    double m =
        (2 * 70 * log(2.0) + 2 * 60 * (5.0 / 6 * log(5.0 / 3) + 1.0 / 6 * log(1.0 / 3))) / 260.0;
    assert_close(value_of(v, n, "surface_mutual_information", NULL), m, 1e-15);
    assert_close(value_of(v, n, "surface_entropy", NULL), m / log(2.0), 1e-15);
    /* isolation of A: (70²/70 + 50²/60 + 10²/60) / 130 = (340/3) / 130 = 34/39; B mirrors A */
    assert_close(value_of(v, n, "surface_isolation", "A"), 34.0 / 39.0, 1e-15);
    assert_close(value_of(v, n, "surface_isolation", "B"), 34.0 / 39.0, 1e-15);
    /* no inference: a permutation would need the kernel sums in every draw */
    assert_true(isnan(find(v, n, "surface_dissimilarity", NULL)->p_value));
    free(v);
}

/* 16 districts on a 4 × 4 grid of 100 m with three groups of unequal counts */
static void grid_layout(double *x, double *y, double g[3][16], unsigned seed)
{
    for (int i = 0; i < 16; i++) {
        x[i] = 100.0 * (i % 4);
        y[i] = 100.0 * (i / 4);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            g[k][i] = (double)((seed >> 16) % 97);
        }
    }
}

static void test_zero_bandwidth_is_aspatial(void **state)
{
    (void)state;
    double x[16], y[16], g[3][16];
    grid_layout(x, y, g, 7);
    const double *gp[3] = {g[0], g[1], g[2]};
    struct qtr_units u = {.n = 16, .ngroups = 3, .groups = gp, .cx = x, .cy = y};
    /* 1 m: no other district within the bandwidth, every environment is the district */
    struct qtr_surface_options so = {.bandwidth_m = 1.0};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_surface(&u, &so, NULL, NULL, &v, &n, &err), QTR_OK);
    static const qtr_index_fn aspatial[QTR_SURFACE_NINDEX] = {qtr_multigroup_dissimilarity,
                                                              qtr_multigroup_gini,
                                                              qtr_multigroup_entropy,
                                                              qtr_multigroup_normalized_exposure,
                                                              qtr_multigroup_relative_diversity,
                                                              qtr_multigroup_squared_cv,
                                                              qtr_mutual_information};
    for (int e = 0; e < QTR_SURFACE_NINDEX; e++) {
        double a = NAN;
        assert_int_equal(aspatial[e](&u, &a, &err), QTR_OK);
        assert_true(a > 0);
        assert_close(value_of(v, n, qtr_surface_index_names[e], NULL), a, 0);
    }
    /* isolation of group 1 by its definition on the counts themselves */
    double num = 0, X = 0;
    for (int i = 0; i < 16; i++) {
        double t = g[0][i] + g[1][i] + g[2][i];
        X += g[0][i];
        if (t > 0)
            num += g[0][i] * g[0][i] / t;
    }
    assert_close(value_of(v, n, "surface_isolation", "1"), num / X, 1e-15);
    free(v);
}

static void test_same_composition_is_zero(void **state)
{
    (void)state;
    double x[16], y[16], g[3][16];
    grid_layout(x, y, g, 3);
    /* every district (10, 20, 30) times its own size; the uniform kernel weighs 1/2, so the
     * environments are whole numbers in the same proportions */
    for (int i = 0; i < 16; i++) {
        double s = 1 + (i * 7) % 5;
        g[0][i] = 10 * s;
        g[1][i] = 20 * s;
        g[2][i] = 30 * s;
    }
    const double *gp[3] = {g[0], g[1], g[2]};
    struct qtr_units u = {.n = 16, .ngroups = 3, .groups = gp, .cx = x, .cy = y};
    struct qtr_surface_options so = {.bandwidth_m = 250, .fn = QTR_KERNEL_UNIFORM};
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_surface(&u, &so, NULL, NULL, &v, &n, &err), QTR_OK);
    for (int e = 0; e < QTR_SURFACE_NINDEX; e++)
        assert_close(value_of(v, n, qtr_surface_index_names[e], NULL), 0.0, 1e-15);
    /* isolation is the group's city share */
    assert_close(value_of(v, n, "surface_isolation", "1"), 1.0 / 6.0, 1e-15);
    assert_close(value_of(v, n, "surface_isolation", "3"), 0.5, 1e-15);
    free(v);
}

static int only_entropy(const char *name, const void *user)
{
    (void)user;
    return !strcmp(name, "surface_entropy");
}

static void test_reasons(void **state)
{
    (void)state;
    const double *gp[2];
    struct qtr_units u = hand_units(gp);
    struct qtr_index_value *v = NULL;
    size_t n = 0;
    struct qtr_error err = {0};
    /* no centroids: every index listed with the reason */
    struct qtr_units nu = u;
    nu.cx = nu.cy = NULL;
    assert_int_equal(qtr_indices_surface(&nu, NULL, NULL, NULL, &v, &n, &err), QTR_OK);
    assert_int_equal(n, QTR_SURFACE_NINDEX + 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(v[i].status, QTR_ERR_DOMAIN);
        assert_true(isnan(v[i].value));
        assert_non_null(strstr(v[i].reason, "centroids"));
    }
    /* one district */
    n = 0;
    struct qtr_units one = u;
    one.n = 1;
    assert_int_equal(qtr_indices_surface(&one, NULL, NULL, NULL, &v, &n, &err), QTR_OK);
    assert_non_null(strstr(v[0].reason, "at least 2 districts"));
    /* more memory than the run may use: the reason names what it needs */
    n = 0;
    struct qtr_surface_options so = {.bandwidth_m = 150, .memory_limit = 100};
    assert_int_equal(qtr_indices_surface(&u, &so, NULL, NULL, &v, &n, &err), QTR_OK);
    assert_non_null(strstr(v[0].reason, "GB"));
    assert_int_equal(v[0].status, QTR_ERR_DOMAIN);
    /* --only surface_entropy: the others left out, entropy computed */
    n = 0;
    so.memory_limit = 0;
    struct qtr_index_options io = {.want = only_entropy};
    assert_int_equal(qtr_indices_surface(&u, &so, &io, NULL, &v, &n, &err), QTR_OK);
    assert_true(value_of(v, n, "surface_entropy", NULL) > 0);
    assert_string_equal(find(v, n, "surface_dissimilarity", NULL)->reason,
                        "left out (not asked for)");
    /* one group only: the multigroup indices are not defined, the isolation is 1 */
    n = 0;
    struct qtr_units single = u;
    single.ngroups = 1;
    assert_int_equal(qtr_indices_surface(&single, &so, NULL, NULL, &v, &n, &err), QTR_OK);
    assert_int_equal(find(v, n, "surface_dissimilarity", NULL)->status, QTR_ERR_DOMAIN);
    assert_close(value_of(v, n, "surface_isolation", "1"), 1.0, 0);
    free(v);
}

static void test_bytes_estimate(void **state)
{
    (void)state;
    /* 1M districts, 4 groups, 2 km on 100 km × 100 km: the environments alone are 32 MB */
    double b = qtr_surface_bytes(1000000, 4, 1e5, 1e5, 2000, 2);
    assert_true(b >= 32e6);
    assert_true(b < 200e6);
    /* the neighbours of a row never exceed the districts */
    assert_true(qtr_surface_bytes(10, 2, 0, 0, 2000, 1) < 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_environment_by_hand),
        cmocka_unit_test(test_indices_by_hand),
        cmocka_unit_test(test_zero_bandwidth_is_aspatial),
        cmocka_unit_test(test_same_composition_is_zero),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_bytes_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
