/*
 * test_inference.c - null models, bootstrap intervals, two-sample tests and the
 * Shapley decomposition of ΔM. Single-group tests use a dissimilarity written
 * here (Duncan & Duncan 1955) so they do not depend on the evenness module.
 */
#include "test_util.h"

#include "quartier/inference.h"
#include "quartier/multigroup.h"

#define PI_ 3.14159265358979323846

/* D = 1/2 Σ |x_i/X - (t_i - x_i)/(T - X)| */
static int local_d(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    double X = 0.0, T = 0.0;
    for (size_t i = 0; i < u->n; i++) {
        X += u->group[i];
        T += u->total[i];
    }
    if (!(X > 0.0) || !(T - X > 0.0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "group or rest absent");
    double s = 0.0;
    for (size_t i = 0; i < u->n; i++)
        s += fabs(u->group[i] / X - (u->total[i] - u->group[i]) / (T - X));
    *out = 0.5 * s;
    return QTR_OK;
}

/* Small deterministic generator for building test layouts (not the code under test). */
static uint64_t lcg_state;
static double lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) * 0x1.0p-53;
}

struct single {
    size_t n;
    double g[400], t[400];
    struct qtr_units u;
};

static void single_init(struct single *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->u.n = n;
    s->u.group = s->g;
    s->u.total = s->t;
}

static void test_segregated_layout_small_p(void **state)
{
    (void)state;
    struct single s;
    single_init(&s, 20);
    for (size_t i = 0; i < 20; i++) {
        s.t[i] = 50;
        s.g[i] = i < 10 ? 50 : 0;
    }
    struct qtr_infer_options o = {.draws = 199, .seed = 42, .threads = 2};
    struct qtr_infer_result r;
    struct qtr_error err = {0};
    for (int null = QTR_NULL_PERMUTATION; null <= QTR_NULL_SYSTEMATIC; null++) {
        assert_int_equal(
            qtr_infer_null(&s.u, local_d, (enum qtr_null_model)null, &o, &r, NULL, &err), QTR_OK);
        assert_close(r.observed, 1.0, 1e-15);
        assert_int_equal(r.valid, 199);
        /* No simulated D reaches 1: p = 1 / (1 + 199). */
        assert_close(r.p_value, 1.0 / 200.0, 1e-15);
        assert_true(r.expected < 0.2);
    }
}

/* Allocate individuals at random (the null itself), so p-values should be uniform. */
static void random_layout(struct single *s, size_t n, int size, double p)
{
    single_init(s, n);
    for (size_t i = 0; i < n; i++) {
        s->t[i] = size;
        for (int j = 0; j < size; j++)
            s->g[i] += lcg() < p;
    }
}

static void test_random_layout_uniform_p(void **state)
{
    (void)state;
    lcg_state = 12345;
    int reps = 200, below10 = 0;
    double mean = 0.0;
    struct qtr_error err = {0};
    for (int rep = 0; rep < reps; rep++) {
        struct single s;
        random_layout(&s, 30, 40, 0.3);
        struct qtr_infer_options o = {.draws = 99, .seed = 1000 + (uint64_t)rep, .threads = 2};
        struct qtr_infer_result r;
        assert_int_equal(qtr_infer_null(&s.u, local_d, QTR_NULL_EVENNESS, &o, &r, NULL, &err),
                         QTR_OK);
        mean += r.p_value / reps;
        below10 += r.p_value <= 0.1;
    }
    /* Uniform p: mean 0.5 (sd 0.02 over 200), P(p <= 0.1) = 0.1 (sd 0.021). */
    print_message("mean p %.3f, share <= 0.1: %.3f\n", mean, below10 / (double)reps);
    assert_true(mean > 0.42 && mean < 0.58);
    assert_true(below10 >= 8 && below10 <= 36);
}

/* De Moivre (1730): E|X - np| = 2 v C(n,v) p^v q^(n-v+1), v = floor(np) + 1. */
static double binom_mad(int n, double p)
{
    int v = (int)floor(n * p) + 1;
    double lc = lgamma(n + 1.0) - lgamma(v + 1.0) - lgamma(n - v + 1.0);
    return 2.0 * v * exp(lc + v * log(p) + (n - v + 1) * log(1.0 - p));
}

static void test_expected_d_under_null(void **state)
{
    (void)state;
    struct single s;
    single_init(&s, 60);
    double T = 0.0, X = 0.0;
    for (size_t i = 0; i < 60; i++) {
        s.t[i] = 200 + 10 * (double)(i % 7);
        s.g[i] = i < 30 ? 0.5 * s.t[i] : 0.1 * s.t[i];
        T += s.t[i];
        X += s.g[i];
    }
    double p = X / T, q = 1.0 - p;
    /* E[D] ~ Σ t_i E|s_i - p^| / (2 T p q). Evenness null: x_i binomial, E|s_i - p| =
     * MAD_binomial / t_i; the simulated city share p^ contains x_i itself, and
     * Var(s_i - p^) = p q (1/t_i - 1/T) exactly, so the deviation shrinks by
     * sqrt(1 - t_i/T) (about 0.8% here, more than the Monte Carlo error of 0.3%). */
    double ed = 0.0, ed_perm = 0.0;
    for (size_t i = 0; i < 60; i++) {
        int t = (int)s.t[i];
        ed += binom_mad(t, p) * sqrt(1.0 - t / T) / (2.0 * T * p * q);
        /* permutation null: hypergeometric, normal approximation with the finite
         * population correction (T - t)/(T - 1) */
        ed_perm += s.t[i] * sqrt(2.0 * p * q * (T - t) / ((T - 1) * PI_ * t)) / (2.0 * T * p * q);
    }
    struct qtr_infer_options o = {.draws = 999, .seed = 7, .threads = 2};
    struct qtr_infer_result r;
    struct qtr_error err = {0};
    assert_int_equal(qtr_infer_null(&s.u, local_d, QTR_NULL_EVENNESS, &o, &r, NULL, &err), QTR_OK);
    print_message("evenness: E[D] sim %.5f exact %.5f (sd %.5f)\n", r.expected, ed, r.sd);
    assert_close(r.expected, ed, 0.01 * ed);
    assert_int_equal(qtr_infer_null(&s.u, local_d, QTR_NULL_PERMUTATION, &o, &r, NULL, &err),
                     QTR_OK);
    print_message("permutation: E[D] sim %.5f approx %.5f\n", r.expected, ed_perm);
    assert_close(r.expected, ed_perm, 0.03 * ed_perm);
    assert_close(r.p_value, 1.0 / 1000.0, 1e-15);
}

/* Index that checks the simulated margins and returns the count of district 0. */
static const struct single *margin_ref;
static int margin_mode; /* 0: both margins fixed, 1: district totals fixed, 2: group total fixed */
static int first_count(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    double X = 0.0, X0 = 0.0;
    for (size_t i = 0; i < u->n; i++) {
        if (u->group[i] != floor(u->group[i]) || u->group[i] < 0 || u->group[i] > u->total[i])
            return qtr_error_set(err, QTR_ERR_DATA, "not a count");
        if (margin_mode <= 1 && u->total[i] != margin_ref->t[i])
            return qtr_error_set(err, QTR_ERR_DATA, "district total changed");
        X += u->group[i];
        X0 += margin_ref->g[i];
    }
    if (margin_mode != 1 && X != X0)
        return qtr_error_set(err, QTR_ERR_DATA, "group total changed");
    *out = u->group[0];
    return QTR_OK;
}

static void test_null_margins_and_moments(void **state)
{
    (void)state;
    /* Large counts so the search from the mode and Stirling's series are exercised. */
    struct single s;
    single_init(&s, 4);
    double t[4] = {3000, 120000, 7, 50000}, g[4] = {100, 90000, 7, 1000};
    double T = 0.0, X = 0.0;
    for (int i = 0; i < 4; i++) {
        s.t[i] = t[i];
        s.g[i] = g[i];
        T += t[i];
        X += g[i];
    }
    margin_ref = &s;
    double p = X / T, n0 = t[0];
    struct qtr_infer_options o = {.draws = 4000, .seed = 99, .threads = 2};
    struct qtr_infer_result r;
    struct qtr_error err = {0};
    /* Permutation: x_0 hypergeometric, mean n0 p, variance n0 p q (T - n0)/(T - 1). */
    margin_mode = 0;
    assert_int_equal(qtr_infer_null(&s.u, first_count, QTR_NULL_PERMUTATION, &o, &r, NULL, &err),
                     QTR_OK);
    assert_int_equal(r.valid, 4000);
    double sd = sqrt(n0 * p * (1 - p) * (T - n0) / (T - 1));
    assert_close(r.expected, n0 * p, 4.0 * sd / sqrt(4000.0));
    assert_close(r.sd, sd, 0.06 * sd);
    /* Evenness: binomial(n0, p). */
    margin_mode = 1;
    assert_int_equal(qtr_infer_null(&s.u, first_count, QTR_NULL_EVENNESS, &o, &r, NULL, &err),
                     QTR_OK);
    assert_int_equal(r.valid, 4000);
    sd = sqrt(n0 * p * (1 - p));
    assert_close(r.expected, n0 * p, 4.0 * sd / sqrt(4000.0));
    assert_close(r.sd, sd, 0.06 * sd);
    /* Systematic: group total fixed, x_0 ~ binomial(X, n0/T). */
    margin_mode = 2;
    assert_int_equal(qtr_infer_null(&s.u, first_count, QTR_NULL_SYSTEMATIC, &o, &r, NULL, &err),
                     QTR_OK);
    assert_int_equal(r.valid, 4000);
    sd = sqrt(X * (n0 / T) * (1 - n0 / T));
    assert_close(r.expected, X * n0 / T, 4.0 * sd / sqrt(4000.0));
}

/* Index returning the group count of district 0 (no checks). */
static int count0(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    (void)err;
    *out = u->group[0];
    return QTR_OK;
}

/* Whole distributions for small parameters, where the search covers the full support. */
static void test_small_exact_distributions(void **state)
{
    (void)state;
    struct single s;
    single_init(&s, 2);
    s.t[0] = s.t[1] = 5;
    s.g[0] = 4; /* group total 4 of 10 */
    enum { N = 20000 };
    static double sims[N];
    struct qtr_infer_options o = {.draws = N, .seed = 31, .threads = 2};
    struct qtr_infer_result r;
    struct qtr_error err = {0};
    /* Permutation: x_0 ~ Hypergeometric(N=10, K=4, n=5): C(4,k) C(6,5-k) / 252. */
    const double hyp[5] = {6 / 252.0, 60 / 252.0, 120 / 252.0, 60 / 252.0, 6 / 252.0};
    /* Evenness: x_0 ~ Binomial(5, 0.4). */
    double bin[6];
    for (int k = 0; k <= 5; k++)
        bin[k] = exp(lgamma(6.0) - lgamma(k + 1.0) - lgamma(6.0 - k) + k * log(0.4) +
                     (5 - k) * log(0.6));
    for (int pass = 0; pass < 2; pass++) {
        enum qtr_null_model null = pass ? QTR_NULL_EVENNESS : QTR_NULL_PERMUTATION;
        const double *pr = pass ? bin : hyp;
        int kmax = pass ? 5 : 4;
        assert_int_equal(qtr_infer_null(&s.u, count0, null, &o, &r, sims, &err), QTR_OK);
        int hist[6] = {0};
        for (int d = 0; d < N; d++) {
            int k = (int)sims[d];
            assert_true(k >= 0 && k <= kmax);
            hist[k]++;
        }
        for (int k = 0; k <= kmax; k++) {
            double se = sqrt(pr[k] * (1 - pr[k]) / N);
            assert_close(hist[k] / (double)N, pr[k], 4.5 * se);
        }
    }
}

/*
 * Chi-square goodness of fit of x_0 in a two-district city against the exact
 * hypergeometric (permutation null) and binomial (evenness null) laws, for
 * parameters that take the ratio-of-uniforms path (variance >= 20) on both
 * sides of every symmetry it uses, and the search path (small variance).
 */
static double lchoose(double n, double k)
{
    return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

static void check_fit(const double *sims, int draws, const double *pmf, int kmax, const char *what)
{
    static int hist[3100];
    memset(hist, 0, sizeof hist);
    for (int d = 0; d < draws; d++) {
        int k = (int)sims[d];
        if (k < 0 || k > kmax)
            fail_msg("%s: draw %d outside the support", what, k);
        hist[k]++;
    }
    double chi2 = 0.0, e = 0.0, o = 0.0;
    int bins = 0;
    for (int k = 0; k <= kmax; k++) {
        e += draws * pmf[k];
        o += hist[k];
        if (e >= 5.0 || k == kmax) {
            chi2 += (o - e) * (o - e) / (e > 0 ? e : 1);
            bins++;
            e = o = 0.0;
        }
    }
    double df = bins - 1, limit = df + 6.0 * sqrt(2.0 * df);
    print_message("%s: chi2 %.1f on %.0f df (limit %.1f)\n", what, chi2, df, limit);
    assert_true(chi2 < limit);
}

static void test_sampler_goodness_of_fit(void **state)
{
    (void)state;
    enum { D = 20000 };
    static double sims[D], pmf[3100];
    const int cases[][3] = {{1000, 300, 200}, {1000, 700, 200}, {1000, 300, 800},
                            {1000, 700, 800}, {60, 20, 10},     {200000, 60000, 3000}};
    struct qtr_error err = {0};
    struct qtr_infer_result r;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int N = cases[c][0], K = cases[c][1], n = cases[c][2];
        struct single s;
        single_init(&s, 2);
        s.t[0] = n;
        s.t[1] = N - n;
        s.g[0] = K < n ? K : n;
        s.g[1] = K - s.g[0];
        struct qtr_infer_options o = {.draws = D, .seed = 500 + c, .threads = 2};
        char what[64];
        int kmax = K < n ? K : n;
        for (int k = 0; k <= kmax; k++)
            pmf[k] =
                (n - k > N - K) ? 0.0 : exp(lchoose(K, k) + lchoose(N - K, n - k) - lchoose(N, n));
        assert_int_equal(qtr_infer_null(&s.u, count0, QTR_NULL_PERMUTATION, &o, &r, sims, &err),
                         QTR_OK);
        snprintf(what, sizeof what, "hypergeometric(%d, %d, %d)", N, K, n);
        check_fit(sims, D, pmf, kmax, what);
        double p = (double)K / N;
        for (int k = 0; k <= n; k++)
            pmf[k] = exp(lchoose(n, k) + k * log(p) + (n - k) * log(1.0 - p));
        assert_int_equal(qtr_infer_null(&s.u, count0, QTR_NULL_EVENNESS, &o, &r, sims, &err),
                         QTR_OK);
        snprintf(what, sizeof what, "binomial(%d, %.2f)", n, p);
        check_fit(sims, D, pmf, n, what);
    }
}

static void test_bootstrap_ci(void **state)
{
    (void)state;
    struct single s;
    single_init(&s, 50);
    lcg_state = 777;
    for (size_t i = 0; i < 50; i++) {
        s.t[i] = 2000 + floor(lcg() * 3000);
        s.g[i] = floor(s.t[i] * (0.1 + 0.6 * lcg()));
    }
    double obs;
    struct qtr_error err = {0};
    assert_int_equal(local_d(&s.u, &obs, &err), QTR_OK);
    struct qtr_infer_options o = {.draws = 499, .seed = 3, .threads = 2};
    double lo, hi;
    assert_int_equal(qtr_infer_bootstrap_ci(&s.u, local_d, &o, 0.95, &lo, &hi, NULL, &err), QTR_OK);
    print_message("D = %.4f, 95%% CI [%.4f, %.4f]\n", obs, lo, hi);
    assert_true(lo <= obs && obs <= hi);
    assert_true(hi - lo < 0.02);
    assert_int_equal(qtr_infer_bootstrap_ci(&s.u, local_d, &o, 1.5, &lo, &hi, NULL, &err),
                     QTR_ERR_USAGE);
}

static void test_thread_independence(void **state)
{
    (void)state;
    struct single s;
    lcg_state = 4242;
    random_layout(&s, 100, 60, 0.25);
    enum { N = 101 };
    double a[N], b[N];
    struct qtr_error err = {0};
    struct qtr_infer_result r1, r2;
    for (int null = QTR_NULL_PERMUTATION; null <= QTR_NULL_BOOTSTRAP; null++) {
        struct qtr_infer_options o1 = {.draws = N, .seed = 2024, .threads = 1};
        struct qtr_infer_options o2 = {.draws = N, .seed = 2024, .threads = 2};
        assert_int_equal(
            qtr_infer_null(&s.u, local_d, (enum qtr_null_model)null, &o1, &r1, a, &err), QTR_OK);
        assert_int_equal(
            qtr_infer_null(&s.u, local_d, (enum qtr_null_model)null, &o2, &r2, b, &err), QTR_OK);
        assert_memory_equal(a, b, sizeof a);
        assert_true(r1.observed == r2.observed && r1.expected == r2.expected && r1.sd == r2.sd &&
                    r1.p_value == r2.p_value && r1.p_lower == r2.p_lower && r1.valid == r2.valid);
        /* another seed gives other draws */
        o2.seed = 2025;
        assert_int_equal(
            qtr_infer_null(&s.u, local_d, (enum qtr_null_model)null, &o2, &r2, b, &err), QTR_OK);
        assert_true(memcmp(a, b, sizeof a) != 0);
    }
    struct qtr_infer_options o1 = {.draws = N, .seed = 5, .threads = 1};
    struct qtr_infer_options o2 = {.draws = N, .seed = 5, .threads = 2};
    double lo1, hi1, lo2, hi2;
    assert_int_equal(qtr_infer_bootstrap_ci(&s.u, local_d, &o1, 0.9, &lo1, &hi1, a, &err), QTR_OK);
    assert_int_equal(qtr_infer_bootstrap_ci(&s.u, local_d, &o2, 0.9, &lo2, &hi2, b, &err), QTR_OK);
    assert_memory_equal(a, b, sizeof a);
    assert_true(lo1 == lo2 && hi1 == hi2);
}

/* Isolation xPx = Σ (x_i/X)(x_i/t_i), a second index for the batch. */
static int local_iso(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    double X = 0.0;
    for (size_t i = 0; i < u->n; i++)
        X += u->group[i];
    if (!(X > 0.0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "group absent");
    double s = 0.0;
    for (size_t i = 0; i < u->n; i++)
        if (u->total[i] > 0)
            s += u->group[i] / X * u->group[i] / u->total[i];
    *out = s;
    return QTR_OK;
}

/* Defined on no data set: its error is its own, the others of the batch are unaffected. */
static int local_never(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    (void)u;
    (void)out;
    return qtr_error_set(err, QTR_ERR_DOMAIN, "never defined");
}

/* Several indices on one batch of draws give, bit for bit, what each gives alone, whatever
 * the thread count: every draw's data set depends only on the seed and the draw. */
static void test_batch_equals_single(void **state)
{
    (void)state;
    struct single s;
    lcg_state = 99;
    random_layout(&s, 120, 50, 0.3);
    enum { N = 77 };
    const qtr_index_fn fns[3] = {local_d, local_never, local_iso};
    struct qtr_error err = {0}, es[3];
    for (int threads = 1; threads <= 3; threads++) {
        struct qtr_infer_options o = {.draws = N, .seed = 31, .threads = threads};
        struct qtr_infer_result rb[3], r1;
        int st[3];
        double sims[N];
        assert_int_equal(qtr_infer_null_many(&s.u, fns, 3, QTR_NULL_PERMUTATION, &o, rb, st, es,
                                             &err),
                         QTR_OK);
        assert_int_equal(st[1], QTR_ERR_DOMAIN);
        assert_string_equal(es[1].msg, "never defined");
        for (int j = 0; j < 3; j += 2) {
            assert_int_equal(st[j], QTR_OK);
            struct qtr_infer_options o1 = {.draws = N, .seed = 31, .threads = 1};
            assert_int_equal(
                qtr_infer_null(&s.u, fns[j], QTR_NULL_PERMUTATION, &o1, &r1, sims, &err), QTR_OK);
            assert_true(r1.observed == rb[j].observed && r1.expected == rb[j].expected &&
                        r1.sd == rb[j].sd && r1.p_value == rb[j].p_value &&
                        r1.p_lower == rb[j].p_lower && r1.valid == rb[j].valid);
        }
        double lo[3], hi[3], l1, h1;
        assert_int_equal(
            qtr_infer_bootstrap_ci_many(&s.u, fns, 3, &o, 0.95, lo, hi, st, es, &err), QTR_OK);
        assert_int_equal(st[1], QTR_ERR_DOMAIN);
        for (int j = 0; j < 3; j += 2) {
            assert_int_equal(st[j], QTR_OK);
            struct qtr_infer_options o1 = {.draws = N, .seed = 31, .threads = 1};
            assert_int_equal(
                qtr_infer_bootstrap_ci(&s.u, fns[j], &o1, 0.95, &l1, &h1, sims, &err), QTR_OK);
            assert_true(l1 == lo[j] && h1 == hi[j]);
        }
    }
}

static void test_multigroup_null(void **state)
{
    (void)state;
    /* Three groups in fully separated districts: M is maximal, p = 1/(1+N). */
    double g0[6] = {40, 0, 0, 40, 0, 0}, g1[6] = {0, 40, 0, 0, 40, 0}, g2[6] = {0, 0, 40, 0, 0, 40};
    const double *gp[3] = {g0, g1, g2};
    struct qtr_units u = {.n = 6, .ngroups = 3, .groups = gp};
    struct qtr_infer_options o = {.draws = 99, .seed = 11, .threads = 2, .multigroup = 1};
    struct qtr_infer_result r;
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_infer_null(&u, qtr_mutual_information, QTR_NULL_PERMUTATION, &o, &r, NULL, &err),
        QTR_OK);
    assert_close(r.observed, log(3.0), 1e-15);
    assert_close(r.p_value, 0.01, 1e-15);
    /* Fractional counts cannot be simulated as people. */
    g0[0] = 40.5;
    assert_int_equal(
        qtr_infer_null(&u, qtr_mutual_information, QTR_NULL_PERMUTATION, &o, &r, NULL, &err),
        QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "whole"));
}

static void test_compare(void **state)
{
    (void)state;
    struct single a, b, c;
    lcg_state = 99;
    random_layout(&a, 40, 80, 0.3);
    random_layout(&b, 40, 80, 0.3);
    single_init(&c, 40);
    for (size_t i = 0; i < 40; i++) {
        c.t[i] = 80;
        c.g[i] = i < 12 ? 70 : 2;
    }
    struct qtr_infer_options o = {.draws = 199, .seed = 8, .threads = 2};
    struct qtr_compare_result r;
    struct qtr_error err = {0};
    /* Same process: no evidence of a difference. */
    assert_int_equal(
        qtr_infer_compare(&a.u, &b.u, local_d, QTR_COMPARE_RANDOM_LABEL, &o, &r, NULL, &err),
        QTR_OK);
    print_message("random vs random: d = %.4f, p = %.3f\n", r.difference, r.p_value);
    assert_true(r.p_value > 0.05);
    /* Segregated vs random: clear difference. */
    assert_int_equal(
        qtr_infer_compare(&c.u, &a.u, local_d, QTR_COMPARE_RANDOM_LABEL, &o, &r, NULL, &err),
        QTR_OK);
    assert_close(r.difference, r.value_a - r.value_b, 0.0);
    assert_true(r.difference > 0.5);
    assert_close(r.p_value, 2.0 / 200.0, 1e-15);
    assert_int_equal(
        qtr_infer_compare(&c.u, &a.u, local_d, QTR_COMPARE_COMPOSITION, &o, &r, NULL, &err),
        QTR_OK);
    print_message("composition: d = %.4f, expected %.4f p = %.3f\n", r.difference, r.expected,
                  r.p_value);
    assert_true(r.p_value < 0.05);
    /* A data set against itself: no difference, simulated differences centred on 0. */
    assert_int_equal(
        qtr_infer_compare(&a.u, &a.u, local_d, QTR_COMPARE_COMPOSITION, &o, &r, NULL, &err),
        QTR_OK);
    assert_close(r.difference, 0.0, 0.0);
    assert_close(r.expected, 0.0, 0.01);
    assert_true(r.p_value > 0.05);
    /* Same seed, one or two threads: identical simulated differences. */
    double s1[199], s2[199];
    struct qtr_compare_result q1, q2;
    o.threads = 1;
    assert_int_equal(
        qtr_infer_compare(&c.u, &a.u, local_d, QTR_COMPARE_COMPOSITION, &o, &q1, s1, &err), QTR_OK);
    o.threads = 2;
    assert_int_equal(
        qtr_infer_compare(&c.u, &a.u, local_d, QTR_COMPARE_COMPOSITION, &o, &q2, s2, &err), QTR_OK);
    assert_memory_equal(s1, s2, sizeof s1);
    assert_true(q1.p_value == q2.p_value);
    /* Composition is single-group only. */
    o.multigroup = 1;
    assert_int_equal(
        qtr_infer_compare(&a.u, &b.u, local_d, QTR_COMPARE_COMPOSITION, &o, &r, NULL, &err),
        QTR_ERR_USAGE);
}

struct table {
    double g[3][8];
    const double *gp[3];
    struct qtr_units u;
};

static void table_set(struct table *t, size_t n, const double *rows)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < 3; k++)
            t->g[k][i] = rows[i * 3 + k];
    for (size_t k = 0; k < 3; k++)
        t->gp[k] = t->g[k];
    t->u.n = n;
    t->u.ngroups = 3;
    t->u.groups = t->gp;
}

/* Multigroup random labelling with M: a separated city against a mixed one. */
static void test_compare_multigroup(void **state)
{
    (void)state;
    double a0[8] = {60, 0, 0, 60, 0, 0, 20, 20}, a1[8] = {0, 60, 0, 0, 60, 0, 20, 20},
           a2[8] = {0, 0, 60, 0, 0, 60, 20, 20};
    double b0[8], b1[8], b2[8];
    for (int i = 0; i < 8; i++)
        b0[i] = b1[i] = b2[i] = 20;
    const double *ga[3] = {a0, a1, a2}, *gb[3] = {b0, b1, b2};
    struct qtr_units a = {.n = 8, .ngroups = 3, .groups = ga};
    struct qtr_units b = {.n = 8, .ngroups = 3, .groups = gb};
    struct qtr_infer_options o = {.draws = 199, .seed = 77, .threads = 2, .multigroup = 1};
    struct qtr_compare_result r;
    struct qtr_error err = {0};
    assert_int_equal(qtr_infer_compare(&a, &b, qtr_mutual_information, QTR_COMPARE_RANDOM_LABEL, &o,
                                       &r, NULL, &err),
                     QTR_OK);
    assert_close(r.value_b, 0.0, 1e-15);
    assert_true(r.value_a > 0.8);
    print_message("M %.4f vs %.4f: p = %.3f, expected difference %.4f\n", r.value_a, r.value_b,
                  r.p_value, r.expected);
    assert_true(r.p_value < 0.05);
    /* different numbers of groups cannot be compared */
    b.ngroups = 2;
    assert_int_equal(qtr_infer_compare(&a, &b, qtr_mutual_information, QTR_COMPARE_RANDOM_LABEL, &o,
                                       &r, NULL, &err),
                     QTR_ERR_DATA);
}

static void test_shapley(void **state)
{
    (void)state;
    const double r1[] = {50, 10, 5, 40, 20, 5, 5, 5, 60, 10, 30, 30};
    /* Rows scaled by (2, 1, 0.5, 3) and columns by (1, 4, 0.25): same odds ratios. */
    double r2[12];
    const double rs[4] = {2, 1, 0.5, 3}, cs[3] = {1, 4, 0.25};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 3; k++)
            r2[i * 3 + k] = r1[i * 3 + k] * rs[i] * cs[k];
    struct table a, b;
    table_set(&a, 4, r1);
    table_set(&b, 4, r2);
    struct qtr_m_shapley s;
    struct qtr_error err = {0};
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err), QTR_OK);
    double sum = s.additions + s.removals + s.unit_marginal + s.group_marginal + s.structural;
    assert_close(sum, s.difference, 1e-12);
    assert_close(s.structural, 0.0, 1e-10);
    assert_close(s.additions, 0.0, 1e-15);
    assert_close(s.removals, 0.0, 1e-15);
    assert_true(fabs(s.difference) > 1e-3);

    /* Same marginals, different structure: the whole change is structural. */
    const double m1[] = {30, 10, 0, 10, 30, 0};
    const double m2[] = {25, 15, 0, 15, 25, 0};
    double x1[6], x2[6];
    memcpy(x1, m1, sizeof x1);
    memcpy(x2, m2, sizeof x2);
    x1[2] = x1[5] = 20; /* third group identical in both */
    x2[2] = x2[5] = 20;
    table_set(&a, 2, x1);
    table_set(&b, 2, x2);
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err), QTR_OK);
    assert_close(s.unit_marginal, 0.0, 1e-12);
    assert_close(s.group_marginal, 0.0, 1e-12);
    assert_close(s.structural, s.difference, 1e-12);
    assert_true(s.difference < 0.0);

    /* A district inhabited only at the second date: its effect is "additions". */
    const double d1[] = {50, 10, 5, 40, 20, 5, 5, 5, 60, 0, 0, 0};
    const double d2[] = {50, 10, 5, 40, 20, 5, 5, 5, 60, 0, 90, 0};
    table_set(&a, 4, d1);
    table_set(&b, 4, d2);
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err), QTR_OK);
    assert_close(s.removals, 0.0, 1e-15);
    sum = s.additions + s.removals + s.unit_marginal + s.group_marginal + s.structural;
    assert_close(sum, s.difference, 1e-12);
    assert_close(s.unit_marginal + s.group_marginal + s.structural, 0.0, 1e-12);
    assert_close(s.additions, s.difference, 1e-12);

    /* Swapping the dates negates every component. */
    struct qtr_m_shapley t;
    const double e2[] = {40, 20, 5, 45, 15, 5, 10, 5, 50, 20, 20, 40};
    table_set(&a, 4, r1);
    table_set(&b, 4, e2);
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err), QTR_OK);
    assert_int_equal(qtr_mutual_information_shapley(&b.u, &a.u, QTR_SHAPLEY_ELBERS, &t, &err), QTR_OK);
    assert_close(s.difference, -t.difference, 1e-15);
    assert_close(s.unit_marginal, -t.unit_marginal, 1e-12);
    assert_close(s.group_marginal, -t.group_marginal, 1e-12);
    assert_close(s.structural, -t.structural, 1e-12);
    assert_close(s.additions, -t.removals, 1e-15);
    /* A district living only from one group at one date while that group shrinks: the
     * empty cells are filled with 1e-10 residents for the fitting (as R segregation), so
     * the decomposition is defined and still adds up. */
    table_set(&a, 4, r1);
    table_set(&b, 4, d2);
    assert_int_equal(qtr_mutual_information_shapley(&b.u, &a.u, QTR_SHAPLEY_ELBERS, &t, &err),
                     QTR_OK);
    sum = t.additions + t.removals + t.unit_marginal + t.group_marginal + t.structural;
    assert_close(sum, t.difference, 1e-12);

    /* The two splits: same difference; with the structure unchanged both give the marginal
     * part alone and agree term by term (each is then a two-player Shapley value); with the
     * structure changed as well they weight the orders differently. */
    struct qtr_m_shapley e3;
    table_set(&a, 4, r1);
    table_set(&b, 4, r2);
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err),
                     QTR_OK);
    assert_int_equal(
        qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_THREE_PLAYER, &e3, &err), QTR_OK);
    assert_close(s.unit_marginal, e3.unit_marginal, 1e-12);
    assert_close(s.group_marginal, e3.group_marginal, 1e-12);
    assert_close(e3.structural, 0.0, 1e-10);
    table_set(&b, 4, e2);
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err),
                     QTR_OK);
    assert_int_equal(
        qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_THREE_PLAYER, &e3, &err), QTR_OK);
    assert_close(s.difference, e3.difference, 1e-15);
    assert_close(s.unit_marginal + s.group_marginal + s.structural,
                 e3.unit_marginal + e3.group_marginal + e3.structural, 1e-12);
    assert_true(fabs(s.structural - e3.structural) > 1e-6);
    table_set(&a, 4, d1);
    /* Shapes must match. */
    table_set(&b, 3, d2);
    assert_int_equal(qtr_mutual_information_shapley(&a.u, &b.u, QTR_SHAPLEY_ELBERS, &s, &err), QTR_ERR_DATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segregated_layout_small_p),
        cmocka_unit_test(test_random_layout_uniform_p),
        cmocka_unit_test(test_expected_d_under_null),
        cmocka_unit_test(test_null_margins_and_moments),
        cmocka_unit_test(test_small_exact_distributions),
        cmocka_unit_test(test_sampler_goodness_of_fit),
        cmocka_unit_test(test_bootstrap_ci),
        cmocka_unit_test(test_thread_independence),
        cmocka_unit_test(test_batch_equals_single),
        cmocka_unit_test(test_multigroup_null),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_compare_multigroup),
        cmocka_unit_test(test_shapley),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
