/*
 * test_spatial.c - spatial segregation kernels on hand-built layouts; every
 * expected number is derived in the comment next to it.
 */
#include "test_util.h"

#include "grid.h"
#include "quartier/spatial.h"

/* 4×4 grid, 100 residents per cell; the group is all (100) or none (0). */
static double T16[16], CHECK16[16], HALVES16[16];

static int setup(void **state)
{
    (void)state;
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
            T16[r * 4 + c] = 100;
            CHECK16[r * 4 + c] = ((r + c) % 2) ? 100 : 0;
            HALVES16[r * 4 + c] = c >= 2 ? 100 : 0;
        }
    }
    return 0;
}

static struct qtr_units units16(const double *x)
{
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = 16;
    u.group = x;
    u.total = T16;
    return u;
}

/*
 * Aspatial D is 1 for both layouts (every cell is all-group or no-group).
 * Queen 4×4: 24 rook + 18 diagonal undirected links, Σ c_ij = 84 (ordered).
 * Checkerboard: all 24 rook links differ (|Δp| = 1), diagonals agree:
 *   D(adj) = 1 - 48/84 = 3/7.
 * Halves (columns 0-1 vs 2-3): differing links cross between columns 1 and 2:
 *   4 rook + 6 diagonal = 10 undirected, 20 ordered: D(adj) = 1 - 20/84 = 16/21.
 */
static void test_spatial_dissimilarity_grid(void **state)
{
    (void)state;
    struct qtr_csr *q = grid_csr(4, 4, 1, 1.0, 1.0);
    struct qtr_error err;
    double v;
    struct qtr_units u = units16(CHECK16);
    assert_int_equal(qtr_spatial_dissimilarity(&u, q, &v, &err), QTR_OK);
    assert_close(v, 3.0 / 7.0, 1e-14);
    u = units16(HALVES16);
    assert_int_equal(qtr_spatial_dissimilarity(&u, q, &v, &err), QTR_OK);
    assert_close(v, 16.0 / 21.0, 1e-14);
    qtr_csr_free(q);
}

/*
 * Unit squares of 100 m: shared length 100 m per rook link, 0 on diagonals.
 * D(w), row-standardised: only cells in columns 1 and 2 have a differing
 * neighbour, with weight 1/deg: rows 0,3 (deg 3) 1/3, rows 1,2 (deg 4) 1/4.
 *   Σ = 2·(2/3 + 1/2) = 7/3 over Σ c = 16 rows: D(w) = 1 - 7/48 = 41/48.
 * D(s): P/A = 400/10000 = 0.04 everywhere, c_ij = 100/4800 = 1/48 per
 *   ordered rook pair; only the 4 rook links between columns 1 and 2 differ
 *   (8 ordered; diagonals share no boundary): num = 8·(1/48)·0.08,
 *   den = 2·0.04: D(s) = 1 - 8/48 = 5/6.
 */
static void test_boundary_and_par_dissimilarity(void **state)
{
    (void)state;
    struct qtr_csr *len = grid_csr(4, 4, 1, 100.0, 0.0);
    double area[16], per[16];
    for (int i = 0; i < 16; i++) {
        area[i] = 10000.0;
        per[i] = 400.0;
    }
    struct qtr_units u = units16(HALVES16);
    u.area = area;
    struct qtr_error err;
    double v;
    assert_int_equal(qtr_boundary_spatial_dissimilarity(&u, len, &v, &err), QTR_OK);
    assert_close(v, 41.0 / 48.0, 1e-14);
    assert_int_equal(qtr_perimeter_area_ratio_spatial_dissimilarity(&u, len, per, &v, &err),
                     QTR_OK);
    assert_close(v, 5.0 / 6.0, 1e-14);
    /* no perimeters: a reason, not a NaN */
    assert_int_equal(qtr_perimeter_area_ratio_spatial_dissimilarity(&u, len, NULL, &v, &err),
                     QTR_ERR_DOMAIN);
    assert_true(strlen(err.msg) > 0);
    qtr_csr_free(len);
}

static void test_domain_errors(void **state)
{
    (void)state;
    struct qtr_csr *q = grid_csr(4, 4, 1, 1.0, 1.0);
    double none[16] = {0};
    struct qtr_units u = units16(none);
    struct qtr_error err;
    double v = 42;
    assert_int_equal(qtr_spatial_dissimilarity(&u, q, &v, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "absent"));
    assert_close(v, 42, 0);
    /* a weights matrix for a different number of districts */
    struct qtr_csr *small = grid_csr(2, 2, 1, 1.0, 1.0);
    u = units16(HALVES16);
    assert_int_equal(qtr_spatial_dissimilarity(&u, small, &v, &err), QTR_ERR_DOMAIN);
    /* more group members than residents */
    double bad[16];
    memcpy(bad, HALVES16, sizeof bad);
    bad[3] = 150;
    u = units16(bad);
    assert_int_equal(qtr_spatial_dissimilarity(&u, q, &v, &err), QTR_ERR_DOMAIN);
    qtr_csr_free(q);
    qtr_csr_free(small);
}

/*
 * Path 0-1-2-3, shares p = (1, 1, 0, 0), 100 residents each: P = 0.5.
 * Thresholds (m = 3): τ = 0, 0.5, 1.
 *   τ = 0: all four, K = 4, Σ δ (ordered) = 2·(1+2+3+1+2+1) = 20, η = 12/20 = 0.6
 *   τ = 0.5, 1: {0, 1}, K = 2, Σ δ = 2, η = 1
 * PySAL: SPP = (P - (Σ_{τ<P} η/m - Σ_{τ≥P} η/m)) / (1 - P)
 *            = (0.5 - (0.6/3 - 2/3)) / 0.5.
 * Adding an isolated fifth district with p = 1 makes G(τ>0) = {0, 1, 4}
 * disconnected: η = 0 there, and τ = 0 also includes it: η = 0.
 */
static void test_spatial_proximity_profile(void **state)
{
    (void)state;
    static const uint32_t path[][2] = {{0, 1}, {1, 2}, {2, 3}};
    struct qtr_csr *w = edges_csr(4, path, 3);
    double x[5] = {100, 100, 0, 0, 100}, t[5] = {100, 100, 100, 100, 100}, curve[3];
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = 4;
    u.group = x;
    u.total = t;
    struct qtr_error err;
    double v;
    assert_int_equal(qtr_spatial_proximity_profile(&u, w, 3, &v, curve, &err), QTR_OK);
    assert_close(curve[0], 0.6, 1e-15);
    assert_close(curve[1], 1.0, 1e-15);
    assert_close(curve[2], 1.0, 1e-15);
    assert_close(v, (0.5 - (0.6 / 3 - 2.0 / 3)) / 0.5, 1e-14);
    qtr_csr_free(w);

    w = edges_csr(5, path, 3);
    u.n = 5;
    assert_int_equal(qtr_spatial_proximity_profile(&u, w, 3, &v, curve, &err), QTR_OK);
    assert_close(curve[0], 0.0, 0);
    assert_close(curve[1], 0.0, 0);
    assert_close(curve[2], 0.0, 0);
    /* P = 0.6: (0.6 - 0) / 0.4 */
    assert_close(v, 0.6 / 0.4, 1e-14);
    qtr_csr_free(w);
}

/*
 * Two districts 1 km apart, 1 km² each; x = (60, 20), t = (100, 100).
 * Published: c_12 = exp(-1), c_ii = exp(-√0.6).
 */
static void test_distance_decay_two_units(void **state)
{
    (void)state;
    double x[2] = {60, 20}, t[2] = {100, 100}, a[2] = {1e6, 1e6}, cx[2] = {0, 1000}, cy[2] = {0, 0};
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = 2;
    u.group = x;
    u.total = t;
    u.area = a;
    u.cx = cx;
    u.cy = cy;
    struct qtr_decay_options o;
    qtr_decay_options_default(&o);
    double cs = exp(-sqrt(0.6)), co = exp(-1.0);
    double y[2] = {40, 80};
    double X = 80, Y = 120, T = 200;
    struct qtr_error err;
    double v;

    /* White SP: Pgg = (g1² cs + g2² cs + 2 g1 g2 co) / G². */
    double pxx = (x[0] * x[0] * cs + x[1] * x[1] * cs + 2 * x[0] * x[1] * co) / (X * X);
    double pyy = (y[0] * y[0] * cs + y[1] * y[1] * cs + 2 * y[0] * y[1] * co) / (Y * Y);
    double ptt = (t[0] * t[0] * cs + t[1] * t[1] * cs + 2 * t[0] * t[1] * co) / (T * T);
    assert_int_equal(qtr_spatial_proximity(&u, &o, &v, &err), QTR_OK);
    assert_close(v, (X * pxx + Y * pyy) / (T * ptt), 1e-14);

    assert_int_equal(qtr_relative_clustering(&u, &o, &v, &err), QTR_OK);
    assert_close(v, pxx / pyy - 1.0, 1e-14);

    /* ACL: Σ c = 2cs + 2co; numerator Σ x_i/X Σ_j c_ij x_j - X/n² Σ c. */
    double csum = 2 * cs + 2 * co;
    double ax = x[0] / X * (cs * x[0] + co * x[1]) + x[1] / X * (co * x[0] + cs * x[1]);
    double at = x[0] / X * (cs * t[0] + co * t[1]) + x[1] / X * (co * t[0] + cs * t[1]);
    assert_int_equal(qtr_absolute_clustering(&u, &o, &v, &err), QTR_OK);
    assert_close(v, (ax - X / 4 * csum) / (at - X / 4 * csum), 1e-14);

    /* Morgan DPxx with K_ij = c_ij t_j / Σ_k c_ik t_k (equal t: c_ij/(cs+co)). */
    double s = cs + co;
    double dpxx = x[0] / X * (cs * 0.6 + co * 0.2) / s + x[1] / X * (co * 0.6 + cs * 0.2) / s;
    assert_int_equal(qtr_distance_decay_isolation(&u, &o, &v, &err), QTR_OK);
    assert_close(v, dpxx, 1e-14);
    double dpxy;
    assert_int_equal(qtr_distance_decay_exposure(&u, &o, &dpxy, &err), QTR_OK);
    /* published: K is row-stochastic, so isolation + exposure = 1 */
    assert_close(v + dpxy, 1.0, 1e-14);

    /* missing centroids: a reason */
    u.cx = NULL;
    assert_int_equal(qtr_spatial_proximity(&u, &o, &v, &err), QTR_ERR_DOMAIN);
}

/* The grid search with a cut-off must find exactly the pairs within it:
 * on a 30×30 lattice of 1 km spacing with a 1.5 km cut-off, the published
 * index equals a brute-force evaluation with the same truncation. */
static void test_cutoff_matches_bruteforce(void **state)
{
    (void)state;
    enum { N = 900 };
    static double x[N], t[N], a[N], cx[N], cy[N];
    for (int i = 0; i < N; i++) {
        cx[i] = (i % 30) * 1000.0 + (i * 37 % 11) * 7.0;
        cy[i] = (i / 30) * 1000.0 + (i * 53 % 13) * 5.0;
        t[i] = 50 + (i * 7919 % 97);
        x[i] = floor(t[i] * ((i % 30) / 30.0));
        a[i] = 1e6;
    }
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = N;
    u.group = x;
    u.total = t;
    u.area = a;
    u.cx = cx;
    u.cy = cy;
    struct qtr_decay_options o;
    qtr_decay_options_default(&o);
    o.cutoff_m = 1500.0;
    struct qtr_error err;
    double v;
    assert_int_equal(qtr_spatial_proximity(&u, &o, &v, &err), QTR_OK);
    double X = 0, Y = 0, T = 0, pxx = 0, pyy = 0, ptt = 0;
    for (int i = 0; i < N; i++) {
        X += x[i];
        T += t[i];
    }
    Y = T - X;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double d = hypot(cx[i] - cx[j], cy[i] - cy[j]);
            double c = i == j ? exp(-sqrt(0.6)) : (d <= 1500.0 ? exp(-d / 1000.0) : 0.0);
            pxx += x[i] * x[j] * c;
            pyy += (t[i] - x[i]) * (t[j] - x[j]) * c;
            ptt += t[i] * t[j] * c;
        }
    }
    double want = (X * pxx / (X * X) + Y * pyy / (Y * Y)) / (T * ptt / (T * T));
    assert_close(v, want, 1e-12);
}

/* PySAL's variant is refused above max_n, with a reason. */
static void test_pysal_variant_limit(void **state)
{
    (void)state;
    double x[5] = {1, 2, 3, 4, 5}, t[5] = {10, 10, 10, 10, 10}, a[5] = {1, 1, 1, 1, 1},
           c[5] = {0, 1, 2, 3, 4};
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = 5;
    u.group = x;
    u.total = t;
    u.area = a;
    u.cx = c;
    u.cy = c;
    struct qtr_decay_options o;
    qtr_decay_options_default(&o);
    o.variant = QTR_DECAY_PYSAL;
    o.max_n = 4;
    struct qtr_error err;
    double v;
    assert_int_equal(qtr_spatial_proximity(&u, &o, &v, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "published"));
    o.max_n = 5;
    assert_int_equal(qtr_spatial_proximity(&u, &o, &v, &err), QTR_OK);
    assert_true(isfinite(v));
}

/*
 * Egohood lag with w_ii = 1: path 0-1-2 with weight 0.5,
 * v = (1, 2, 3): (1 + 1, 2 + 0.5 + 1.5, 3 + 1) = (2, 4, 4).
 * Ties round to even: v = (2, 1), w_01 = w_10 = 0.5: 2.5 → 2, 2 → 2;
 * v = (3, 1): 3.5 → 4. A stored diagonal (5) is replaced by 1.
 */
static void test_lag_counts(void **state)
{
    (void)state;
    struct qtr_csr *w = qtr_csr_new(3, 4);
    w->row[0] = 0;
    w->row[1] = 1;
    w->row[2] = 3;
    w->row[3] = 4;
    uint32_t cols[4] = {1, 0, 2, 1};
    memcpy(w->col, cols, sizeof cols);
    for (int e = 0; e < 4; e++)
        w->w[e] = 0.5;
    double v[3] = {1, 2, 3}, out[3];
    struct qtr_error err;
    assert_int_equal(qtr_spatial_lag_counts(w, v, 1, out, &err), QTR_OK);
    assert_close(out[0], 2, 0);
    assert_close(out[1], 4, 0);
    assert_close(out[2], 4, 0);
    qtr_csr_free(w);

    w = qtr_csr_new(2, 3);
    w->row[0] = 0;
    w->row[1] = 2;
    w->row[2] = 3;
    uint32_t c2[3] = {0, 1, 0};
    double w2[3] = {5.0, 0.5, 0.5};
    memcpy(w->col, c2, sizeof c2);
    memcpy(w->w, w2, sizeof w2);
    double v2[2] = {2, 1}, o2[2];
    assert_int_equal(qtr_spatial_lag_counts(w, v2, 1, o2, &err), QTR_OK);
    assert_close(o2[0], 2, 0); /* 2 + 0.5 = 2.5 → 2 */
    assert_close(o2[1], 2, 0); /* 1 + 1 = 2 */
    double v3[2] = {3, 1};
    assert_int_equal(qtr_spatial_lag_counts(w, v3, 1, o2, &err), QTR_OK);
    assert_close(o2[0], 4, 0); /* 3.5 → 4 */
    assert_int_equal(qtr_spatial_lag_counts(w, v3, 0, o2, &err), QTR_OK);
    assert_close(o2[0], 3.5, 0);
    qtr_csr_free(w);
}

/* ---- multiscalar profile -------------------------------------------------- */

/* Eight districts on a line, 1 km apart; builder: binary links within b. */
static int line_builder(double b, void *ctx, struct qtr_csr **out, struct qtr_error *err)
{
    size_t n = *(size_t *)ctx, nnz = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            nnz += i != j && fabs((double)i - (double)j) * 1000.0 <= b;
    struct qtr_csr *w = qtr_csr_new(n, nnz);
    if (!w)
        return qtr_error_set(err, QTR_ERR_NOMEM, "oom");
    size_t e = 0;
    for (size_t i = 0; i < n; i++) {
        w->row[i] = e;
        for (size_t j = 0; j < n; j++)
            if (i != j && fabs((double)i - (double)j) * 1000.0 <= b) {
                w->col[e] = (uint32_t)j;
                w->w[e++] = 1.0;
            }
    }
    w->row[n] = e;
    *out = w;
    return QTR_OK;
}

static int test_dissim(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    double T = 0, X = 0, num = 0;
    for (size_t i = 0; i < u->n; i++) {
        T += u->total[i];
        X += u->group[i];
    }
    if (!(X > 0) || !(X < T))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "undefined");
    double P = X / T;
    for (size_t i = 0; i < u->n; i++)
        num += u->total[i] * fabs(u->group[i] / u->total[i] - P);
    *out = num / (2 * T * P * (1 - P));
    return QTR_OK;
}

/*
 * x = (10,10,10,10,0,0,0,0), t = 10: D = 1 at bandwidth 0 (no neighbours).
 * Bandwidth 1 km: lagged x = (20,30,30,20,10,0,0,0), lagged t = (20,30,...,30,20):
 *   shares (1,1,1,2/3,1/3,0,0,0), T = 220, X = 110, P = 1/2;
 *   D = Σ t_i |s_i - 1/2| / (2·220·1/4) = (10+15+15+5+5+15+15+10)/110 = 9/11.
 * Bandwidth 100 km: every district sees all: shares 1/2, D = 0.
 */
static void test_multiscalar_profile(void **state)
{
    (void)state;
    size_t n = 8;
    double x[8] = {10, 10, 10, 10, 0, 0, 0, 0}, t[8] = {10, 10, 10, 10, 10, 10, 10, 10};
    struct qtr_units u;
    memset(&u, 0, sizeof u);
    u.n = n;
    u.group = x;
    u.total = t;
    double bw[3] = {0.0, 1000.0, 100000.0}, val[3];
    int st[3];
    struct qtr_error err;
    assert_int_equal(
        qtr_multiscalar_profile(&u, bw, 3, line_builder, &n, test_dissim, val, st, &err), QTR_OK);
    assert_int_equal(st[0], QTR_OK);
    assert_int_equal(st[1], QTR_OK);
    assert_int_equal(st[2], QTR_OK);
    assert_close(val[0], 1.0, 1e-15);
    assert_close(val[1], 9.0 / 11.0, 1e-15);
    assert_close(val[2], 0.0, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spatial_dissimilarity_grid),
        cmocka_unit_test(test_boundary_and_par_dissimilarity),
        cmocka_unit_test(test_domain_errors),
        cmocka_unit_test(test_spatial_proximity_profile),
        cmocka_unit_test(test_distance_decay_two_units),
        cmocka_unit_test(test_cutoff_matches_bruteforce),
        cmocka_unit_test(test_pysal_variant_limit),
        cmocka_unit_test(test_lag_counts),
        cmocka_unit_test(test_multiscalar_profile),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
