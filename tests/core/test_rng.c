/*
 * test_rng.c - seeded generator: reproducibility, uniformity, exact binomial (chi-square
 * against the exact pmf in the inversion and BTPE regimes), multinomial, shuffle.
 */
#include "test_util.h"

#include "quartier/rng.h"

static void test_reproducible_and_streams_differ(void **state)
{
    (void)state;
    struct qtr_rng a, b, c;
    qtr_rng_seed(&a, 42, 0);
    qtr_rng_seed(&b, 42, 0);
    qtr_rng_seed(&c, 42, 1);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t va = qtr_rng_next(&a), vb = qtr_rng_next(&b), vc = qtr_rng_next(&c);
        assert_true(va == vb);
        same_c += va == vc;
    }
    assert_int_equal(same_c, 0);
    /* xoshiro256** reference: state {1, 2, 3, 4} gives 11520, 0, 1509978240 first
     * (Vigna's reference implementation) */
    struct qtr_rng r = {{1, 2, 3, 4}};
    assert_true(qtr_rng_next(&r) == 11520u);
    assert_true(qtr_rng_next(&r) == 0u);
    assert_true(qtr_rng_next(&r) == 1509978240u);
}

static void test_uniform_and_below(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 1, 2);
    enum { N = 200000, K = 10 };
    double sum = 0;
    unsigned cnt[K] = {0};
    for (int i = 0; i < N; i++) {
        double u = qtr_rng_uniform(&r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        cnt[qtr_rng_below(&r, K)]++;
    }
    /* mean 1/2 with sd sqrt(1/12/N) = 0.00065: 6 sd */
    assert_close(sum / N, 0.5, 0.004);
    /* chi-square with 9 df: 40 is beyond the 1e-5 quantile (about 37.3) */
    double chi = 0, e = (double)N / K;
    for (int k = 0; k < K; k++)
        chi += (cnt[k] - e) * (cnt[k] - e) / e;
    assert_true(chi < 40);
    assert_true(qtr_rng_below(&r, 0) == 0);
    assert_true(qtr_rng_below(&r, 1) == 0);
}

static double log_pmf(uint64_t n, double p, uint64_t k)
{
    return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) +
           (double)k * log(p) + (double)(n - k) * log1p(-p);
}

/* Chi-square of `draws` Binomial(n, p) samples against the exact pmf, cells with expected
 * count >= 5 kept, the rest pooled into the two tails. Returns chi2 / df-based z score. */
static double binomial_chi_z(uint64_t n, double p, int draws, uint64_t seed)
{
    struct qtr_rng r;
    qtr_rng_seed(&r, seed, 0);
    unsigned *cnt = calloc(n + 1, sizeof *cnt);
    assert_non_null(cnt);
    double mean = 0;
    for (int i = 0; i < draws; i++) {
        uint64_t k = qtr_rng_binomial(&r, n, p);
        assert_true(k <= n);
        cnt[k]++;
        mean += (double)k;
    }
    mean /= draws;
    /* the mean agrees with n p to 6 standard errors */
    assert_close(mean, n * p, 6 * sqrt(n * p * (1 - p) / draws));
    double chi = 0, obs_tail = 0, exp_tail = 0;
    int df = -1;
    for (uint64_t k = 0; k <= n; k++) {
        double e = draws * exp(log_pmf(n, p, k));
        if (e >= 5) {
            chi += (cnt[k] - e) * (cnt[k] - e) / e;
            df++;
        } else {
            obs_tail += cnt[k];
            exp_tail += e;
        }
    }
    if (exp_tail > 0) {
        chi += (obs_tail - exp_tail) * (obs_tail - exp_tail) / exp_tail;
        df++;
    }
    free(cnt);
    return (chi - df) / sqrt(2.0 * df);
}

static void test_binomial_distribution(void **state)
{
    (void)state;
    /* inversion (n p < 30), BTPE with the recursive test only (n p q small), BTPE with the
     * Stirling squeeze (n p q = 2500, |k - M| > 20 common), p > 1/2 (mirrored) */
    const struct {
        uint64_t n;
        double p;
    } cases[] = {{20, 0.3}, {1000, 0.01}, {100, 0.4}, {10000, 0.5}, {5000, 0.93}, {300, 0.75}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double z = binomial_chi_z(cases[c].n, cases[c].p, 200000, 100 + c);
        if (!(fabs(z) < 5))
            fail_msg("Binomial(%llu, %g): chi-square z = %g", (unsigned long long)cases[c].n,
                     cases[c].p, z);
    }
}

static void test_binomial_edges(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 3, 3);
    assert_true(qtr_rng_binomial(&r, 0, 0.5) == 0);
    assert_true(qtr_rng_binomial(&r, 10, 0.0) == 0);
    assert_true(qtr_rng_binomial(&r, 10, 1.0) == 10);
    assert_true(qtr_rng_binomial(&r, 10, NAN) == 0);
    assert_true(qtr_rng_binomial(&r, 10, -1) == 0);
    assert_true(qtr_rng_binomial(&r, 10, 2) == 10);
    /* huge n: mean n p within 6 sd */
    double s = 0;
    for (int i = 0; i < 1000; i++)
        s += (double)qtr_rng_binomial(&r, 4000000000ULL, 0.25);
    assert_close(s / 1000, 1e9, 6 * sqrt(4e9 * 0.25 * 0.75 / 1000));
}

static void test_multinomial(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 8, 0);
    const double p[5] = {0.1, 0.0, 0.4, -1.0, 0.5};
    uint64_t out[5];
    double m[5] = {0};
    for (int i = 0; i < 20000; i++) {
        qtr_rng_multinomial(&r, 1000, p, 5, out);
        assert_true(out[0] + out[1] + out[2] + out[3] + out[4] == 1000);
        assert_true(out[1] == 0 && out[3] == 0);
        for (int k = 0; k < 5; k++)
            m[k] += (double)out[k] / 20000;
    }
    /* means 100, 400, 500 with se sqrt(n p (1-p) / 20000) < 0.12 */
    assert_close(m[0], 100, 0.6);
    assert_close(m[2], 400, 0.6);
    assert_close(m[4], 500, 0.6);
    /* unnormalised weights and no positive weight */
    const double w[3] = {2, 2, 4}, z[3] = {0, 0, 0};
    qtr_rng_multinomial(&r, 7, w, 3, out);
    assert_true(out[0] + out[1] + out[2] == 7);
    qtr_rng_multinomial(&r, 7, z, 3, out);
    assert_true(out[0] + out[1] + out[2] == 0);
}

static void test_shuffle_is_uniform_permutation(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 9, 9);
    /* all 6 orders of 3 elements equally often */
    unsigned cnt[6] = {0};
    for (int i = 0; i < 60000; i++) {
        int a[3] = {0, 1, 2};
        qtr_rng_shuffle(&r, a, 3, sizeof a[0]);
        assert_int_equal(a[0] + a[1] + a[2], 3);
        assert_true(a[0] != a[1] && a[1] != a[2] && a[0] != a[2]);
        cnt[a[0] * 2 + (a[1] > a[2])]++;
    }
    double chi = 0;
    for (int k = 0; k < 6; k++)
        chi += (cnt[k] - 10000.0) * (cnt[k] - 10000.0) / 10000.0;
    assert_true(chi < 30); /* 5 df */
    /* wide elements (over the 64-byte swap buffer) stay intact */
    struct wide {
        double v[20];
    } w[10];
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 20; j++)
            w[i].v[j] = i;
    qtr_rng_shuffle(&r, w, 10, sizeof w[0]);
    double seen = 0;
    for (int i = 0; i < 10; i++) {
        for (int j = 1; j < 20; j++)
            assert_true(w[i].v[j] == w[i].v[0]);
        seen += w[i].v[0];
    }
    assert_close(seen, 45, 0);
}

static void test_normal(void **state)
{
    (void)state;
    struct qtr_rng r;
    qtr_rng_seed(&r, 10, 0);
    double s = 0, s2 = 0;
    enum { N = 100000 };
    for (int i = 0; i < N; i++) {
        double z = qtr_rng_normal(&r);
        s += z;
        s2 += z * z;
    }
    assert_close(s / N, 0, 6 / sqrt(N));
    assert_close(s2 / N, 1, 6 * sqrt(2.0 / N));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproducible_and_streams_differ),
        cmocka_unit_test(test_uniform_and_below),
        cmocka_unit_test(test_binomial_distribution),
        cmocka_unit_test(test_binomial_edges),
        cmocka_unit_test(test_multinomial),
        cmocka_unit_test(test_shuffle_is_uniform_permutation),
        cmocka_unit_test(test_normal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
