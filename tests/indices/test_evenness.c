/*
 * test_evenness.c - dissimilarity, Gini, entropy, Atkinson, min-max, concentration profile
 * and the simulated corrections: hand-computed cases, edge cases, properties.
 */
#include "test_util.h"

#include "single_cases.h"

/* City B: x = {10, 10, 0}, t = {20, 40, 40}; y = {10, 30, 40}.
 * X = 20, Y = 80, T = 100, P = 0.2, p = {0.5, 0.25, 0}. */
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

static void test_hand_dissimilarity(void **state)
{
    (void)state;
    /* Σ t_i |p_i - P| = 20*0.3 + 40*0.05 + 40*0.2 = 16; 2 T P (1-P) = 32; D = 0.5.
     * Check: 1/2 Σ |x_i/X - y_i/Y| = 1/2 (|.5-.125| + |.5-.375| + |0-.5|) = 0.5. */
    assert_close(call(qtr_dissimilarity, &B), 0.5, 1e-15);
}

static void test_hand_gini(void **state)
{
    (void)state;
    /* pairs: (1,2) 20*40*0.25 = 200, (1,3) 20*40*0.5 = 400, (2,3) 40*40*0.25 = 400;
     * ordered-pair sum 2000 over 2 T² P (1-P) = 3200: G = 0.625. */
    assert_close(call(qtr_gini, &B), 0.625, 1e-15);
}

static void test_hand_entropy(void **state)
{
    (void)state;
    /* E = 0.2 ln 5 + 0.8 ln 1.25 = 0.500402; E_1 = ln 2, E_2 = 0.25 ln 4 + 0.75 ln(4/3),
     * E_3 = 0. H = 1 - (13.862944 + 22.493406) / 50.040242 = 0.2734578 */
    double E = 0.2 * log(5.0) + 0.8 * log(1.25);
    double E1 = log(2.0), E2 = 0.25 * log(4.0) + 0.75 * log(4.0 / 3.0);
    double H = 1.0 - (20 * E1 + 40 * E2) / (100 * E);
    assert_close(H, 0.27345777, 1e-8);
    assert_close(call(qtr_entropy, &B), H, 1e-14);
}

static void test_hand_atkinson(void **state)
{
    (void)state;
    /* b = 0.5: Σ sqrt((1-p_i) p_i) t_i / (P T) = (20*0.5 + 40*sqrt(3)/4) / 20 = (1+√3)/2;
     * A = 1 - (0.2/0.8) ((1+√3)/2)² = 1 - (1 + √3/2)/4 = 0.75 - √3/8. */
    assert_close(call(qtr_atkinson_b05, &B), 0.75 - sqrt(3.0) / 8.0, 1e-15);
    /* b = 0.1: 1 - 0.25 (Σ (1-p)^0.9 p^0.1 t / 20)^(1/0.9) */
    double s = (20 * pow(0.5, 0.9) * pow(0.5, 0.1) + 40 * pow(0.75, 0.9) * pow(0.25, 0.1)) / 20;
    assert_close(call(qtr_atkinson_b01, &B), 1 - 0.25 * pow(s, 1 / 0.9), 1e-15);
    double A09;
    struct qtr_error e;
    assert_int_equal(qtr_atkinson(&B, 0.9, &A09, &e), QTR_OK);
    assert_close(call(qtr_atkinson_b09, &B), A09, 0);
    assert_int_equal(qtr_atkinson(&B, 1.0, &A09, &e), QTR_ERR_DOMAIN);
    assert_int_equal(qtr_atkinson(&B, 0.0, &A09, &e), QTR_ERR_DOMAIN);
}

static void test_hand_min_max(void **state)
{
    (void)state;
    /* x/X = {.5, .5, 0}, y/Y = {.125, .375, .5}: Σ min = .5, Σ max = 1.5, MM = 2/3 */
    assert_close(call(qtr_min_max, &B), 2.0 / 3.0, 1e-15);
}

static void test_hand_concentration_profile(void **state)
{
    (void)state;
    /* m = 3: thresholds {0, 0.5, 1}; v(0) = 1, v(0.5) = 10/20 = 0.5, v(1) = 0.
     * P = 0.2: below = v(0) = 1, above = 0.5 + 0.
     * R = (0.2 - (1/3 - 0.5/3)) / 0.8 = (1/5 - 1/6) / (4/5) = 1/24. */
    double R;
    struct qtr_error e;
    assert_int_equal(qtr_concentration_profile_m(&B, 3, &R, &e), QTR_OK);
    assert_close(R, 1.0 / 24.0, 1e-15);
    assert_int_equal(qtr_concentration_profile_m(&B, 1, &R, &e), QTR_ERR_DOMAIN);
}

/* PySAL's ConProf loop, O(n m), as a cross-check of the sorted version. */
static double conprof_naive(const double *x, const double *t, size_t n, unsigned m)
{
    double X = 0, T = 0;
    for (size_t i = 0; i < n; i++) {
        X += x[i];
        T += t[i];
    }
    double P = X / T, below = 0, above = 0, step = 1.0 / (m - 1);
    for (unsigned k = 0; k < m; k++) {
        double th = k + 1 == m ? 1.0 : k * step, v = 0;
        for (size_t i = 0; i < n; i++)
            if (t[i] > 0 && x[i] / t[i] >= th)
                v += x[i];
        v /= X;
        if (th < P)
            below += v;
        else
            above += v;
    }
    return (P - (below / m - above / m)) / (1 - P);
}

static double gini_naive(const double *x, const double *t, size_t n)
{
    double X = 0, T = 0, num = 0;
    for (size_t i = 0; i < n; i++) {
        X += x[i];
        T += t[i];
    }
    double P = X / T;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double pi = t[i] > 0 ? x[i] / t[i] : 0, pj = t[j] > 0 ? x[j] / t[j] : 0;
            num += t[i] * t[j] * fabs(pi - pj);
        }
    return num / (2 * T * T * P * (1 - P));
}

static void test_fast_equals_naive(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 11, 0);
    enum { N = 300 };
    double t[N], x[N];
    for (int rep = 0; rep < 20; rep++) {
        random_city(&r, N, t, x);
        struct qtr_units u = {.n = N, .total = t, .group = x};
        double g = call(qtr_gini, &u);
        assert_close(g, gini_naive(x, t, N), 1e-12);
        double cp;
        struct qtr_error e;
        assert_int_equal(qtr_concentration_profile_m(&u, 1000, &cp, &e), QTR_OK);
        assert_close(cp, conprof_naive(x, t, N, 1000), 1e-12);
    }
}

static const qtr_index_fn even_fns[] = {
    qtr_dissimilarity, qtr_gini, qtr_entropy, qtr_atkinson_b01, qtr_atkinson_b05,
    qtr_atkinson_b09, qtr_min_max, qtr_concentration_profile, qtr_density_corrected_dissimilarity,
};
static const char *const even_names[] = {
    "dissimilarity", "gini",    "entropy", "atkinson_b01", "atkinson_b05",
    "atkinson_b09",  "min_max", "concentration_profile", "density_corrected_dissimilarity",
};
#define N_EVEN (sizeof even_fns / sizeof even_fns[0])

static void test_edge_cases(void **state)
{
    (void)state;
    run_edge_cases(even_names, even_fns, N_EVEN);
    /* simulated ones refuse the same inputs (cheap: they check before simulating) */
    static const qtr_index_fn sim_fns[] = {qtr_modified_dissimilarity, qtr_modified_gini,
                                           qtr_bias_corrected_dissimilarity};
    static const char *const sim_names[] = {"modified_dissimilarity", "modified_gini",
                                            "bias_corrected_dissimilarity"};
    run_edge_cases(sim_names, sim_fns, 3);
}

static void test_zero_population_district_has_no_weight(void **state)
{
    (void)state;
    /* City B plus an empty district in the middle: every aspatial index is unchanged */
    const double t4[4] = {20, 0, 40, 40}, x4[4] = {10, 0, 10, 0};
    const struct qtr_units B4 = {.n = 4, .total = t4, .group = x4};
    for (size_t f = 0; f < N_EVEN; f++)
        assert_close(call(even_fns[f], &B4), call(even_fns[f], &B), 1e-15);
}

static void test_properties_random(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 2024, 1);
    enum { N = 500 };
    static double t[N], x[N], t2[N], x2[N];
    size_t perm[N];
    for (int rep = 0; rep < 30; rep++) {
        random_city(&r, N, t, x);
        struct qtr_units u = {.n = N, .total = t, .group = x};
        double v[N_EVEN];
        for (size_t f = 0; f < N_EVEN; f++)
            v[f] = call(even_fns[f], &u);
        /* D, Gini, H, Atkinson, min-max in [0, 1]; Gini >= D (Gini's Lorenz area covers D) */
        for (size_t f = 0; f < 7; f++) {
            assert_true(v[f] >= -1e-15);
            assert_true(v[f] <= 1.0 + 1e-15);
        }
        assert_true(v[1] >= v[0] - 1e-12);
        /* scaling every count by 3.5 changes nothing (the density correction is not scale
         * free: it depends on the sample size by design, so it is left out) */
        for (size_t i = 0; i < N; i++) {
            t2[i] = 3.5 * t[i];
            x2[i] = 3.5 * x[i];
        }
        struct qtr_units us = {.n = N, .total = t2, .group = x2};
        for (size_t f = 0; f + 1 < N_EVEN; f++)
            assert_close(call(even_fns[f], &us), v[f], 1e-12);
        /* reordering the districts changes nothing */
        for (size_t i = 0; i < N; i++)
            perm[i] = i;
        qtr_rng_shuffle(&r, perm, N, sizeof perm[0]);
        for (size_t i = 0; i < N; i++) {
            t2[i] = t[perm[i]];
            x2[i] = x[perm[i]];
        }
        for (size_t f = 0; f < N_EVEN; f++)
            assert_close(call(even_fns[f], &us), v[f], 1e-12);
    }
}

static void test_even_city_gives_zero(void **state)
{
    (void)state;
    /* every district has the city's composition (30 %): D = G = H = A = 0, MM = 0 */
    const double t[5] = {100, 200, 50, 1000, 10}, x[5] = {30, 60, 15, 300, 3};
    const struct qtr_units u = {.n = 5, .total = t, .group = x};
    for (size_t f = 0; f < 7; f++)
        assert_close(call(even_fns[f], &u), 0.0, 1e-14);
}

static void test_separated_city_gives_one(void **state)
{
    (void)state;
    /* the groups never share a district: D = G = H = A = MM = 1 */
    const double t[5] = {100, 200, 50, 1000, 10}, x[5] = {100, 0, 50, 0, 10};
    const struct qtr_units u = {.n = 5, .total = t, .group = x};
    for (size_t f = 0; f < 7; f++)
        assert_close(call(even_fns[f], &u), 1.0, 1e-14);
}

static void test_modified_dissimilarity_expectation(void **state)
{
    (void)state;
    /* two districts of one person each, one of them in the group: D = 1. Under random
     * allocation x_i ~ Bin(1, 0.5): (1,0) or (0,1) give D = 1, (0,0) and (1,1) leave no
     * contrast (counted as 0), so E[D] = 0.5 and D* = (1 - 0.5)/(1 - 0.5) = 1. */
    const double t[2] = {1, 1}, x[2] = {1, 0};
    const struct qtr_units u = {.n = 2, .total = t, .group = x};
    double v, ex;
    struct qtr_error e;
    assert_int_equal(qtr_modified_dissimilarity_sim(&u, 4000, 5, &v, &ex, &e), QTR_OK);
    /* sd of one draw 0.5, of the mean 0.5/sqrt(4000) = 0.0079: 4 sd */
    assert_close(ex, 0.5, 0.032);
    assert_close(v, 1.0, 1e-12);
    /* deterministic: the same seed gives the same bits, another seed differs */
    double v2, ex2;
    assert_int_equal(qtr_modified_dissimilarity_sim(&u, 4000, 5, &v2, &ex2, &e), QTR_OK);
    assert_true(ex2 == ex);
    assert_int_equal(qtr_modified_dissimilarity_sim(&u, 4000, 6, &v2, &ex2, &e), QTR_OK);
    assert_true(ex2 != ex);
    assert_int_equal(qtr_modified_dissimilarity_sim(&u, 1, 6, &v2, &ex2, &e), QTR_ERR_DOMAIN);
}

static void test_modified_below_expectation(void **state)
{
    (void)state;
    /* an even city of tiny districts: D > 0 by chance alone; when D < E[D] the index is
     * (D - E[D]) / E[D] < 0 (Carrington & Troske 1997) */
    const double t[6] = {2, 2, 2, 2, 2, 2}, x[6] = {1, 1, 1, 1, 1, 1};
    const struct qtr_units u = {.n = 6, .total = t, .group = x};
    double v, ex;
    struct qtr_error e;
    assert_int_equal(qtr_modified_dissimilarity_sim(&u, 2000, 1, &v, &ex, &e), QTR_OK);
    assert_true(ex > 0.2);
    assert_close(v, (0.0 - ex) / ex, 1e-15); /* D = 0 here: the index is -1 */
    assert_int_equal(qtr_modified_gini_sim(&u, 2000, 1, &v, &ex, &e), QTR_OK);
    assert_close(v, -1.0, 1e-15);
}

static void test_modified_gini_large_city_close_to_gini(void **state)
{
    (void)state;
    /* large districts: random allocation gives almost no segregation, so the modified
     * index is close to the raw one and a little below it */
    struct qtr_rng r;
    qtr_rng_seed(&r, 99, 0);
    enum { N = 200 };
    double t[N], x[N];
    for (size_t i = 0; i < N; i++) {
        t[i] = 20000;
        x[i] = (double)qtr_rng_binomial(&r, 20000, i < N / 2 ? 0.1 : 0.3);
    }
    const struct qtr_units u = {.n = N, .total = t, .group = x};
    double g = call(qtr_gini, &u), mg, ex;
    struct qtr_error e;
    assert_int_equal(qtr_modified_gini_sim(&u, 50, 3, &mg, &ex, &e), QTR_OK);
    assert_true(ex > 0 && ex < 0.03);
    assert_true(mg < g && mg > g - 0.03);
    assert_close(mg, (g - ex) / (1 - ex), 1e-15);
}

static void test_bias_corrected_expectation(void **state)
{
    (void)state;
    /* x = {1, 1}, y = {1, 1}: D = 0. Bootstrap: a0, b0 iid {0: 1/4, 1: 1/2, 2: 1/4}
     * (the group's and the rest's count in district 1), D_b = |a0 - b0| / 2:
     * E|a0 - b0| = 1 * 1/2 + 2 * 1/8 = 3/4, E[D_b] = 3/8, D_bc = 2*0 - 3/8. */
    const double t[2] = {2, 2}, x[2] = {1, 1};
    const struct qtr_units u = {.n = 2, .total = t, .group = x};
    double v, ex;
    struct qtr_error e;
    assert_int_equal(qtr_bias_corrected_dissimilarity_sim(&u, 4000, 9, &v, &ex, &e), QTR_OK);
    /* sd of one draw sqrt(0.25 - 0.140625) = 0.33; of the mean 0.0052: 6 sd */
    assert_close(ex, 0.375, 0.03);
    assert_close(v, -ex, 1e-15);
}

/* n(θ): maximiser of φ(v-θ) + φ(v+θ) on v >= 0 by dense search + golden section */
static double n_exact(double th)
{
    double best = 0, fb = -1;
    for (double v = 0; v <= th + 5; v += 0.01) {
        double f = exp(-(v - th) * (v - th) / 2) + exp(-(v + th) * (v + th) / 2);
        if (f > fb) {
            fb = f;
            best = v;
        }
    }
    double a = best > 0.01 ? best - 0.01 : 0, b = best + 0.01;
    for (int it = 0; it < 100; it++) {
        double c = b - (b - a) * 0.6180339887, d = a + (b - a) * 0.6180339887;
        double fc = exp(-(c - th) * (c - th) / 2) + exp(-(c + th) * (c + th) / 2);
        double fd = exp(-(d - th) * (d - th) / 2) + exp(-(d + th) * (d + th) / 2);
        if (fc > fd)
            b = d;
        else
            a = c;
    }
    return (a + b) / 2;
}

/* 1/2 Σ σ_j n_exact(θ_j) and Σ σ_j, the largest θ in *thmax */
static double dcd_reference(const double *x, const double *t, size_t n, double *ssum,
                            double *thmax)
{
    double X = 0, T = 0, sum = 0;
    *ssum = 0;
    *thmax = 0;
    for (size_t j = 0; j < n; j++) {
        X += x[j];
        T += t[j];
    }
    for (size_t j = 0; j < n; j++) {
        double p0 = x[j] / X, p1 = (t[j] - x[j]) / (T - X);
        double s = sqrt(p1 * (1 - p1) / (T - X) + p0 * (1 - p0) / X);
        if (s > 0) {
            double th = fabs(p1 - p0) / s;
            if (th > *thmax)
                *thmax = th;
            sum += s * n_exact(th);
            *ssum += s;
        }
    }
    return sum / 2;
}

static void test_density_corrected_exact_optimum(void **state)
{
    (void)state;
    /* the default D_dc uses the exact maximiser: equal to a brute-force search */
    struct qtr_rng r;
    qtr_rng_seed(&r, 5, 5);
    enum { N = 60 };
    double t[N], x[N], ssum, thmax;
    random_city(&r, N, t, x);
    const struct qtr_units u = {.n = N, .total = t, .group = x};
    double ref = dcd_reference(x, t, N, &ssum, &thmax);
    assert_true(thmax > 38.6); /* districts PySAL's optimiser loses are included */
    double v = call(qtr_density_corrected_dissimilarity, &u);
    /* golden section on a flat maximum locates it to ~sqrt(eps) relative only */
    assert_close(v, ref, ssum * 1e-7);
    /* it lies below the raw D, which it corrects for sampling noise: n(θ) < θ */
    assert_true(v < call(qtr_dissimilarity, &u));
}

static void test_density_corrected_pysal_variant(void **state)
{
    (void)state;
    /* small districts (θ < 38.6, no underflow): SciPy's Nelder-Mead stops within about
     * xtol of the optimum, so the PySAL variant is within Σ σ_j 1e-4 / 2 of the exact one */
    struct qtr_rng r;
    qtr_rng_seed(&r, 6, 6);
    enum { N = 60 };
    double t[N], x[N], ssum, thmax;
    random_city(&r, N, t, x);
    for (size_t i = 0; i < N; i++) {
        t[i] = floor(t[i] / 20);
        x[i] = floor(x[i] / 20);
    }
    const struct qtr_units u = {.n = N, .total = t, .group = x};
    double ref = dcd_reference(x, t, N, &ssum, &thmax);
    assert_true(thmax < 38);
    double v;
    struct qtr_error e;
    assert_int_equal(qtr_density_corrected_dissimilarity_pysal(&u, 1e-5, &v, &e), QTR_OK);
    assert_close(v, ref, ssum * 1e-4 / 2);
    assert_int_equal(qtr_density_corrected_dissimilarity_pysal(&u, 0, &v, &e), QTR_ERR_DOMAIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_dissimilarity),
        cmocka_unit_test(test_hand_gini),
        cmocka_unit_test(test_hand_entropy),
        cmocka_unit_test(test_hand_atkinson),
        cmocka_unit_test(test_hand_min_max),
        cmocka_unit_test(test_hand_concentration_profile),
        cmocka_unit_test(test_fast_equals_naive),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_zero_population_district_has_no_weight),
        cmocka_unit_test(test_properties_random),
        cmocka_unit_test(test_even_city_gives_zero),
        cmocka_unit_test(test_separated_city_gives_one),
        cmocka_unit_test(test_modified_dissimilarity_expectation),
        cmocka_unit_test(test_modified_below_expectation),
        cmocka_unit_test(test_modified_gini_large_city_close_to_gini),
        cmocka_unit_test(test_bias_corrected_expectation),
        cmocka_unit_test(test_density_corrected_exact_optimum),
        cmocka_unit_test(test_density_corrected_pysal_variant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
