/*
 * test_lisa.c - Moran's I, LISA, Gi*, FDR and the location-quotient test on
 * hand-built layouts; expected numbers are derived in the comments.
 */
#include "test_util.h"

#include "grid.h"
#include "quartier/lisa.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static void fill_layouts(double *check, double *halves)
{
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            check[r * 4 + c] = (r + c) % 2;
            halves[r * 4 + c] = c >= 2;
        }
}

/*
 * 4×4 rook, row-standardised. z = y - 1/2 = ±1/2, Σ z² = 4, S0 = 16.
 * Checkerboard: every neighbour is opposite, lag_i = -z_i: I = -1.
 * Halves: columns 0 and 3 have lag = z; column 1 (and 2): edge rows (deg 3)
 *   lag = z(1 + 1 - 1)/3 = z/3, interior rows (deg 4) lag = z(3 - 1)/4 = z/2.
 *   Σ z lag = 1/4 (8 + 2(2/3 + 1)) = 17/6, I = (17/6)/4 = 17/24.
 * E[I] = -1/15.
 * S1 = Σ_links (1/d_i + 1/d_j)²: 8 corner-edge (5/6)², 4 edge-edge (2/3)²,
 *   8 edge-interior (7/12)², 4 interior-interior (1/2)² = 1592/144.
 * S2 = Σ_i (1 + Σ_{j~i} 1/d_j)²: corners (5/3)² ×4, edge cells (25/12)² ×8,
 *   interior (13/6)² ×4 = 9304/144.
 * Var_N = (n² S1 - n S2 + 3 S0²)/((n² - 1) S0²) - E[I]².
 * Both layouts have the same y values, so the same kurtosis: z⁴ = 1/16,
 *   k = (1/16)/(1/4)² = 1, and Var_R from Cliff & Ord with k = 1.
 */
static void test_moran_global_grid(void **state)
{
    (void)state;
    double check[16], halves[16];
    fill_layouts(check, halves);
    struct qtr_csr *w = grid_csr(4, 4, 0, 1.0, 0.0);
    struct qtr_moran m;
    struct qtr_error err;
    assert_int_equal(qtr_moran_global(w, check, NULL, &m, &err), QTR_OK);
    assert_close(m.I, -1.0, 1e-14);
    assert_close(m.expected, -1.0 / 15.0, 1e-15);
    double n = 16, S0 = 16, S1 = 1592.0 / 144.0, S2 = 9304.0 / 144.0, EI = -1.0 / 15.0;
    double vn = (n * n * S1 - n * S2 + 3 * S0 * S0) / ((n * n - 1) * S0 * S0) - EI * EI;
    double k = 1.0;
    double vr = (n * ((n * n - 3 * n + 3) * S1 - n * S2 + 3 * S0 * S0) -
                 k * ((n * n - n) * S1 - 2 * n * S2 + 6 * S0 * S0)) /
                    ((n - 1) * (n - 2) * (n - 3) * S0 * S0) -
                EI * EI;
    assert_close(m.var_norm, vn, 1e-14);
    assert_close(m.var_rand, vr, 1e-14);
    assert_close(m.z_norm, (-1.0 - EI) / sqrt(vn), 1e-12);
    assert_true(isnan(m.p_sim));

    struct qtr_lisa_options o = {999, 12345, 0, 0.05, QTR_MT_NONE};
    assert_int_equal(qtr_moran_global(w, halves, &o, &m, &err), QTR_OK);
    assert_close(m.I, 17.0 / 24.0, 1e-14);
    assert_close(m.var_norm, vn, 1e-14);
    /* clustered halves on 16 cells: far in the upper tail of 999 shuffles */
    assert_true(m.p_sim <= 0.01);
    assert_true(m.z_sim > 2.0);
    assert_true(m.p_norm < 0.001);
    qtr_csr_free(w);
}

/*
 * Local Moran on the halves: z = ±1 (σ = 1/2), scaling (n-1)/Σz² = 15/16.
 * Columns 0 and 3: I_i = 15/16; column 1/2 edge rows: 15/16 · 1/3 = 5/16;
 * interior rows: 15/16 · 1/2 = 15/32. Quadrants: z > 0 and lag > 0 → HH
 * for columns 2-3, LL for columns 0-1.
 */
static void test_moran_local_values(void **state)
{
    (void)state;
    double check[16], halves[16];
    fill_layouts(check, halves);
    struct qtr_csr *w = grid_csr(4, 4, 0, 1.0, 0.0);
    double I[16], lag[16], p[16], padj[16];
    uint8_t q[16], cl[16], ex[16];
    struct qtr_local_out out = {I, lag, p, padj, q, cl, NULL, ex};
    struct qtr_lisa_options o = {99, 7, 0, 0.05, QTR_MT_NONE};
    struct qtr_error err;
    assert_int_equal(qtr_moran_local(w, halves, &o, &out, &err), QTR_OK);
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
            int i = r * 4 + c;
            double want = (c == 0 || c == 3)   ? 15.0 / 16.0
                          : (r == 0 || r == 3) ? 5.0 / 16.0
                                               : 15.0 / 32.0;
            assert_close(I[i], want, 1e-14);
            assert_int_equal(q[i], c >= 2 ? QTR_LISA_HH : QTR_LISA_LL);
            assert_int_equal(ex[i], QTR_LOCAL_INCLUDED);
            assert_true(p[i] > 0 && p[i] <= 1);
            assert_true(cl[i] == 0 || cl[i] == q[i]);
        }
    }
    /* checkerboard: every district is a spatial outlier, HL or LH */
    assert_int_equal(qtr_moran_local(w, check, &o, &out, &err), QTR_OK);
    for (int i = 0; i < 16; i++)
        assert_int_equal(q[i], check[i] > 0.5 ? QTR_LISA_HL : QTR_LISA_LH);
    /* a repeated neighbour is refused, not sampled twice */
    w->col[1] = w->col[0];
    o.permutations = 99;
    assert_int_equal(qtr_moran_local(w, check, &o, &out, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "district 0"));
    w->col[1] = 4;
    /* no permutations: refused with a reason */
    o.permutations = 0;
    assert_int_equal(qtr_moran_local(w, check, &o, &out, &err), QTR_ERR_USAGE);
    qtr_csr_free(w);
}

/* 20×20 rook lattice: a 6×6 block of high values in one corner; its
 * interior is a significant HH cluster, far-away cells are not HH. */
static void test_lisa_finds_cluster(void **state)
{
    (void)state;
    enum { R = 20, N = R * R };
    struct qtr_csr *w = grid_csr(R, R, 0, 1.0, 0.0);
    double y[N], I[N], p[N];
    uint8_t q[N], cl[N], ex[N];
    for (int i = 0; i < N; i++) {
        int r = i / R, c = i % R;
        /* deterministic background noise in [0, 1) */
        y[i] = (double)((i * 7919) % 101) / 101.0;
        if (r < 6 && c < 6)
            y[i] += 10.0;
    }
    struct qtr_local_out out = {I, NULL, p, NULL, q, cl, NULL, ex};
    struct qtr_lisa_options o = {999, 42, 0, 0.05, QTR_MT_FDR_BH};
    struct qtr_error err;
    assert_int_equal(qtr_moran_local(w, y, &o, &out, &err), QTR_OK);
    for (int r = 1; r < 5; r++)
        for (int c = 1; c < 5; c++) {
            assert_int_equal(cl[r * R + c], QTR_LISA_HH);
            assert_true(p[r * R + c] <= 0.005);
        }
    size_t hh_far = 0;
    for (int r = 10; r < R; r++)
        for (int c = 10; c < R; c++)
            hh_far += cl[r * R + c] == QTR_LISA_HH;
    assert_int_equal(hh_far, 0);
    qtr_csr_free(w);
}

/* An island (district 4, no neighbours) in a ring of four: never NaN. */
static void test_island(void **state)
{
    (void)state;
    static const uint32_t ring[][2] = {{0, 1}, {1, 2}, {2, 3}, {0, 3}};
    struct qtr_csr *w = edges_csr(5, ring, 4);
    double y[5] = {1, 2, 3, 4, 100}, I[5], lag[5], p[5], padj[5];
    uint8_t q[5], cl[5], ex[5];
    int8_t spot[5];
    struct qtr_local_out out = {I, lag, p, padj, q, cl, spot, ex};
    struct qtr_lisa_options o = {199, 1, 0, 0.05, QTR_MT_FDR_BH};
    struct qtr_error err;
    assert_int_equal(qtr_moran_local(w, y, &o, &out, &err), QTR_OK);
    for (int i = 0; i < 5; i++) {
        assert_true(isfinite(I[i]) && isfinite(p[i]) && isfinite(padj[i]));
    }
    assert_int_equal(ex[4], QTR_LOCAL_ISLAND);
    assert_close(I[4], 0.0, 0);
    assert_close(p[4], 1.0, 0);
    assert_int_equal(cl[4], QTR_LISA_NS);
    assert_int_equal(ex[0], QTR_LOCAL_INCLUDED);

    assert_int_equal(qtr_getis_ord_local(w, y, &o, &out, &err), QTR_OK);
    assert_int_equal(ex[4], QTR_LOCAL_ISLAND);
    assert_int_equal(spot[4], 0);
    assert_close(p[4], 1.0, 0);
    for (int i = 0; i < 5; i++)
        assert_true(isfinite(I[i]));

    struct qtr_moran m;
    assert_int_equal(qtr_moran_global(w, y, NULL, &m, &err), QTR_OK);
    assert_int_equal(m.islands, 1);
    assert_true(isfinite(m.I) && isfinite(m.z_norm) && isfinite(m.z_rand));
    qtr_csr_free(w);
}

/*
 * Gi* on the 4×4 halves with binary rook weights and w_ii = 1:
 * x̄ = 1/2, s = 1/2, n = 16. Corner (0,0): x = 0 and both neighbours 0:
 *   W = 3, S1 = 3, z = (0 - 1.5) / (0.5 √((48 - 9)/15)).
 * Interior (1,1) in column 1: itself 0, neighbours (0,1),(2,1),(1,0) = 0
 *   and (1,2) = 1: W = 5, S1 = 5, z = (1 - 2.5) / (0.5 √((80 - 25)/15)).
 * Corner (0,3): x = 1, neighbours 1, 1: z = (3 - 1.5)/(0.5 √(39/15)).
 */
static void test_gi_star_values(void **state)
{
    (void)state;
    double check[16], halves[16];
    fill_layouts(check, halves);
    struct qtr_csr *w = grid_csr(4, 4, 0, 1.0, 0.0);
    double z[16], p[16], lag[16];
    int8_t spot[16];
    uint8_t ex[16];
    struct qtr_local_out out = {z, lag, p, NULL, NULL, NULL, spot, ex};
    struct qtr_lisa_options o = {999, 3, 0, 0.05, QTR_MT_NONE};
    struct qtr_error err;
    assert_int_equal(qtr_getis_ord_local(w, halves, &o, &out, &err), QTR_OK);
    assert_close(z[0], -1.5 / (0.5 * sqrt(39.0 / 15.0)), 1e-13);
    assert_close(z[5], -1.5 / (0.5 * sqrt(55.0 / 15.0)), 1e-13);
    assert_close(z[3], 1.5 / (0.5 * sqrt(39.0 / 15.0)), 1e-13);
    assert_close(lag[3], 3.0, 0);
    for (int i = 0; i < 16; i++)
        assert_true(spot[i] == 0 || (spot[i] > 0) == (z[i] > 0));
    /* row-standardising the weights leaves Gi* z unchanged (the statistic is
     * invariant to scaling a row) */
    struct qtr_csr *wr = grid_csr(4, 4, 0, 1.0, 0.0);
    for (size_t i = 0; i < 16; i++)
        for (size_t e = wr->row[i]; e < wr->row[i + 1]; e++)
            wr->w[e] = 1.0 / (double)(wr->row[i + 1] - wr->row[i]);
    double z2[16];
    struct qtr_local_out out2 = {z2, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(qtr_getis_ord_local(wr, halves, &o, &out2, &err), QTR_OK);
    for (int i = 0; i < 16; i++)
        assert_true(isfinite(z2[i]));
    qtr_csr_free(wr);
    qtr_csr_free(w);
}

/* Same seed: identical results on 1 and 2 threads; another seed differs. */
static void test_determinism_threads(void **state)
{
    (void)state;
    enum { R = 30, N = R * R };
    struct qtr_csr *w = grid_csr(R, R, 1, 1.0, 1.0);
    static double y[N], I1[N], I2[N], p1[N], p2[N], p3[N], g1[N], g2[N], gp1[N], gp2[N];
    for (int i = 0; i < N; i++)
        y[i] = sin(i * 0.37) + (i / R) * 0.05;
    struct qtr_lisa_options o = {199, 2024, 1, 0.05, QTR_MT_FDR_BH};
    struct qtr_error err;
    struct qtr_local_out a = {I1, NULL, p1, NULL, NULL, NULL, NULL, NULL};
    struct qtr_local_out b = {I2, NULL, p2, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(qtr_moran_local(w, y, &o, &a, &err), QTR_OK);
    o.threads = 2;
    assert_int_equal(qtr_moran_local(w, y, &o, &b, &err), QTR_OK);
    assert_memory_equal(I1, I2, sizeof I1);
    assert_memory_equal(p1, p2, sizeof p1);
    struct qtr_local_out ga = {g1, NULL, gp1, NULL, NULL, NULL, NULL, NULL};
    struct qtr_local_out gb = {g2, NULL, gp2, NULL, NULL, NULL, NULL, NULL};
    o.threads = 1;
    assert_int_equal(qtr_getis_ord_local(w, y, &o, &ga, &err), QTR_OK);
    o.threads = 2;
    assert_int_equal(qtr_getis_ord_local(w, y, &o, &gb, &err), QTR_OK);
    assert_memory_equal(gp1, gp2, sizeof gp1);
    struct qtr_moran m1, m2;
    o.threads = 1;
    assert_int_equal(qtr_moran_global(w, y, &o, &m1, &err), QTR_OK);
    o.threads = 2;
    assert_int_equal(qtr_moran_global(w, y, &o, &m2, &err), QTR_OK);
    assert_memory_equal(&m1.p_sim, &m2.p_sim, sizeof m1.p_sim);
    assert_memory_equal(&m1.mean_sim, &m2.mean_sim, sizeof m1.mean_sim);
    o.seed = 2025;
    struct qtr_local_out c = {I2, NULL, p3, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(qtr_moran_local(w, y, &o, &c, &err), QTR_OK);
    assert_true(memcmp(p1, p3, sizeof p1) != 0);
    qtr_csr_free(w);
}

/*
 * Under the null (values unrelated to location) the folded pseudo p-values
 * are near uniform on [1/(P+1), 1/2 + ...]: the share with p <= 0.05 must be
 * modest. Permutation p-values are also multiples of 1/(P+1).
 */
static void test_null_calibration(void **state)
{
    (void)state;
    enum { R = 30, N = R * R };
    struct qtr_csr *w = grid_csr(R, R, 0, 1.0, 0.0);
    static double y[N], p[N];
    uint64_t s = 88172645463325252ULL;
    for (int i = 0; i < N; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        y[i] = (double)(s >> 11) / 9007199254740992.0;
    }
    struct qtr_local_out out = {NULL, NULL, p, NULL, NULL, NULL, NULL, NULL};
    struct qtr_lisa_options o = {99, 5, 0, 0.05, QTR_MT_NONE};
    struct qtr_error err;
    assert_int_equal(qtr_moran_local(w, y, &o, &out, &err), QTR_OK);
    size_t sig = 0;
    for (int i = 0; i < N; i++) {
        double k = p[i] * 100.0;
        assert_close(k, nearbyint(k), 1e-9);
        assert_true(p[i] <= 0.51);
        sig += p[i] <= 0.05;
    }
    /* folded one-sided p: about 2·5% of districts at p <= 0.05 under H0 */
    assert_true(sig > N / 50 && sig < N / 5);
    qtr_csr_free(w);
}

/*
 * Benjamini & Hochberg (1995), section 4.1 example: 15 p-values, q = 0.05.
 * Sorted, p_(4) = 0.0095 <= 4·0.05/15 = 0.0133 is the largest such k, so the
 * four smallest are rejected. Bonferroni (0.05/15 = 0.00333) rejects three.
 * BH-adjusted p for the fourth smallest: min_{s>=4} 15 p_(s)/s; s = 4 gives
 * 15·0.0095/4 = 0.035625, larger s give more (s = 5: 0.0603).
 */
static void test_fdr_known_list(void **state)
{
    (void)state;
    /* the paper's values, in a shuffled order */
    double p[15] = {0.0459, 0.0001, 0.3240, 0.0019, 1.0,    0.0095, 0.0298, 0.4262,
                    0.0004, 0.0201, 0.5719, 0.0278, 0.6528, 0.0344, 0.7590};
    double adj[15];
    uint8_t rej[15];
    struct qtr_error err;
    assert_int_equal(qtr_fdr_bh(p, NULL, 15, 0.05, adj, rej, &err), QTR_OK);
    size_t nrej = 0;
    for (int i = 0; i < 15; i++) {
        nrej += rej[i];
        assert_int_equal(rej[i], p[i] <= 0.0095);
        assert_true(adj[i] >= p[i]);
    }
    assert_int_equal(nrej, 4);
    assert_close(adj[5], 15 * 0.0095 / 4, 1e-15);
    assert_close(adj[1], 15 * 0.0001 / 1, 1e-15);
    assert_close(adj[4], 1.0, 0);
    assert_int_equal(qtr_bonferroni(p, NULL, 15, 0.05, adj, rej, &err), QTR_OK);
    nrej = 0;
    for (int i = 0; i < 15; i++)
        nrej += rej[i];
    assert_int_equal(nrej, 3);
    assert_close(adj[3], 15 * 0.0019, 1e-15);
    /* excluded entries do not count in m */
    uint8_t inc[15];
    for (int i = 0; i < 15; i++)
        inc[i] = i != 4;
    assert_int_equal(qtr_bonferroni(p, inc, 15, 0.05, adj, rej, &err), QTR_OK);
    assert_close(adj[3], 14 * 0.0019, 1e-15);
    assert_close(adj[4], 1.0, 0);
    assert_int_equal(rej[4], 0);
    /* a p outside [0, 1] is refused */
    p[2] = NAN;
    assert_int_equal(qtr_fdr_bh(p, NULL, 15, 0.05, adj, rej, &err), QTR_ERR_DOMAIN);
}

/*
 * City of 10 residents, 4 in the group. District A: 3 of 4; B: 1 of 6.
 * P(H >= 3 | N=10, K=4, t=4) = (C(4,3)C(6,1) + C(4,4)C(6,0)) / C(10,4) = 25/210.
 * P(H >= 1 | t=6) = 1 - C(4,0)C(6,6)/C(10,6) = 209/210.
 * LQ_A = (3/4)/(4/10) = 1.875, LQ_B = (1/6)/(4/10) = 5/12.
 */
static void test_lq_hypergeometric(void **state)
{
    (void)state;
    double x[3] = {3, 1, 0}, t[3] = {4, 6, 0}, lq[3], p[3], pa[3];
    uint8_t sig[3], ex[3];
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = 3;
    u.group = x;
    u.total = t;
    struct qtr_error err;
    assert_int_equal(qtr_lq_significance(&u, 0.05, QTR_MT_FDR_BH, lq, p, pa, sig, ex, &err),
                     QTR_OK);
    assert_close(p[0], 25.0 / 210.0, 1e-13);
    assert_close(p[1], 209.0 / 210.0, 1e-13);
    assert_close(lq[0], 1.875, 1e-15);
    assert_close(lq[1], 5.0 / 12.0, 1e-15);
    assert_int_equal(ex[2], QTR_LOCAL_NO_RESIDENTS);
    assert_close(p[2], 1.0, 0);
    assert_int_equal(sig[0] + sig[1] + sig[2], 0);

    /* Large counts: the tail terms must sum to the difference of tails:
     * P(H >= x) - P(H >= x+1) = pmf(x), and p falls as x rises. City
     * 200000 residents, 30000 in the group; district of 2000 with 380. */
    double xb[2] = {380, 29620}, tb[2] = {2000, 198000}, pb[2], pc[2];
    u.n = 2;
    u.group = xb;
    u.total = tb;
    assert_int_equal(qtr_lq_significance(&u, 0.05, QTR_MT_NONE, NULL, pb, NULL, sig, NULL, &err),
                     QTR_OK);
    double xc[2] = {381, 29619};
    u.group = xc;
    assert_int_equal(qtr_lq_significance(&u, 0.05, QTR_MT_NONE, NULL, pc, NULL, NULL, NULL, &err),
                     QTR_OK);
    double N = 200000, K = 30000, n = 2000, k = 380;
    double lpmf = lgamma(K + 1) - lgamma(k + 1) - lgamma(K - k + 1) + lgamma(N - K + 1) -
                  lgamma(n - k + 1) - lgamma(N - K - n + k + 1) -
                  (lgamma(N + 1) - lgamma(n + 1) - lgamma(N - n + 1));
    assert_close(pb[0] - pc[0], exp(lpmf), 1e-9);
    assert_true(pc[0] < pb[0]);
    /* expected 300, observed 380: far in the upper tail */
    assert_true(pb[0] < 1e-5);
    assert_int_equal(sig[0], 1);
}

/*
 * Ties. 4×4 checkerboard, corner district with y = 1 (z = +1): both
 * neighbours are opposite, the observed lag (-1) is the smallest possible.
 * A simulation ties it when both draws come from the 8 opposite districts
 * among the 15 others: C(8,2)/C(15,2) = 28/105 ≈ 0.267 of the draws. esda's
 * folded rule would call that p = 0.001; counting ties on both sides gives
 * p ≈ 0.267. And a district with z_i = 0 (y equal to the mean: 3×3 grid,
 * y = 0..8, centre y = 4) ties every simulation: p = 1.
 */
static void test_ties(void **state)
{
    (void)state;
    double check[16], halves[16];
    fill_layouts(check, halves);
    struct qtr_csr *w = grid_csr(4, 4, 0, 1.0, 0.0);
    double p[16];
    struct qtr_local_out out = {NULL, NULL, p, NULL, NULL, NULL, NULL, NULL};
    struct qtr_lisa_options o = {999, 11, 0, 0.05, QTR_MT_NONE};
    struct qtr_error err;
    assert_int_equal(qtr_moran_local(w, check, &o, &out, &err), QTR_OK);
    assert_true(check[3] == 1.0);
    assert_true(p[3] > 0.2 && p[3] < 0.34);
    qtr_csr_free(w);

    w = grid_csr(3, 3, 0, 1.0, 0.0);
    double y[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8}, p9[9];
    struct qtr_local_out o9 = {NULL, NULL, p9, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(qtr_moran_local(w, y, &o, &o9, &err), QTR_OK);
    assert_close(p9[4], 1.0, 0);
    qtr_csr_free(w);
}

/* Many neighbours (40 of 60) take the Fisher-Yates path of the sampler: the
 * result must still be independent of the thread count. */
static void test_determinism_dense(void **state)
{
    (void)state;
    enum { N = 60, K = 40 };
    struct qtr_csr *w = qtr_csr_new(N, N * K);
    size_t e = 0;
    for (size_t i = 0; i < N; i++) {
        w->row[i] = e;
        for (size_t j = 0; j < N; j++) {
            size_t d = (j + N - i) % N;
            if (j != i && (d <= K / 2 || d >= N - K / 2)) {
                w->col[e] = (uint32_t)j;
                w->w[e++] = 1.0;
            }
        }
    }
    w->row[N] = e;
    double y[N], p1[N], p2[N];
    for (int i = 0; i < N; i++)
        y[i] = cos(i * 0.3) + (i % 7) * 0.1;
    struct qtr_lisa_options o = {499, 99, 1, 0.05, QTR_MT_NONE};
    struct qtr_error err;
    struct qtr_local_out a = {NULL, NULL, p1, NULL, NULL, NULL, NULL, NULL};
    struct qtr_local_out b = {NULL, NULL, p2, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(qtr_moran_local(w, y, &o, &a, &err), QTR_OK);
    o.threads = 2;
    assert_int_equal(qtr_moran_local(w, y, &o, &b, &err), QTR_OK);
    assert_memory_equal(p1, p2, sizeof p1);
    for (int i = 0; i < N; i++)
        assert_true(p1[i] > 0 && p1[i] <= 1);
    qtr_csr_free(w);
}

/*
 * Rows of equal weights share their draws (esda's crand: one random order per permutation,
 * prefix sums, a binary search per district); rows of unequal weights draw on their own.
 * Both give each district the same null distribution, so the p-values agree within Monte
 * Carlo error: with 999 draws the sd of a p near 1/2 is sqrt(1/4/1000) = 0.016, of the
 * difference of two independent estimates 0.022; 0.11 is five of them. Weights 1 and
 * 1 + 2^-40 move the statistic by far less than that but send the row down the other path.
 */
static void test_shared_draws_match_own_draws(void **state)
{
    (void)state;
    enum { R = 12, N = R * R };
    struct qtr_csr *w1 = grid_csr(R, R, 1, 1.0, 1.0), *w2 = grid_csr(R, R, 1, 1.0, 1.0);
    for (size_t i = 0; i < N; i++)
        w2->w[w2->row[i]] = 1.0 + 0x1p-40; /* first neighbour of every row */
    double y[N], p1[N], p2[N], I1[N], I2[N];
    for (int i = 0; i < N; i++)
        y[i] = sin(0.7 * i) + 0.3 * cos(1.3 * (i / R)) + (i % 5) * 0.05;
    struct qtr_lisa_options o = {999, 3, 1, 0.05, QTR_MT_NONE};
    struct qtr_error err;
    struct qtr_local_out a = {I1, NULL, p1, NULL, NULL, NULL, NULL, NULL};
    struct qtr_local_out b = {I2, NULL, p2, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(qtr_getis_ord_local(w1, y, &o, &a, &err), QTR_OK);
    assert_int_equal(qtr_getis_ord_local(w2, y, &o, &b, &err), QTR_OK);
    double maxd = 0, sumd = 0;
    for (int i = 0; i < N; i++) {
        assert_close(I1[i], I2[i], 1e-9);
        double d = fabs(p1[i] - p2[i]);
        maxd = d > maxd ? d : maxd;
        sumd += p1[i] - p2[i];
    }
    assert_true(maxd < 0.11);
    /* no drift either way: the mean difference is within 4 sd of 0 (0.022/sqrt(N) each) */
    assert_true(fabs(sumd / N) < 4 * 0.022 / sqrt((double)N) + 0.01);
    /* and every p is a whole number of 1/1000 */
    for (int i = 0; i < N; i++)
        assert_close(p1[i] * 1000.0, nearbyint(p1[i] * 1000.0), 1e-9);
    qtr_csr_free(w1);
    qtr_csr_free(w2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moran_global_grid),  cmocka_unit_test(test_moran_local_values),
        cmocka_unit_test(test_lisa_finds_cluster), cmocka_unit_test(test_island),
        cmocka_unit_test(test_gi_star_values),     cmocka_unit_test(test_determinism_threads),
        cmocka_unit_test(test_null_calibration),   cmocka_unit_test(test_ties),
        cmocka_unit_test(test_determinism_dense),  cmocka_unit_test(test_fdr_known_list),
        cmocka_unit_test(test_lq_hypergeometric),
        cmocka_unit_test(test_shared_draws_match_own_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
