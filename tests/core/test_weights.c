/*
 * test_weights.c - point-based weights and helpers on hand-made coordinates
 * (values worked out by hand below), plus the k-d tree against brute force.
 */
#include "test_util.h"

#include "quartier/weights.h"

/* Five points on a line: x = 0, 1, 3, 6, 10. */
static const double LX[5] = {0, 1, 3, 6, 10};
static const double LY[5] = {0, 0, 0, 0, 0};

static double entry(const struct qtr_csr *w, size_t i, size_t j)
{
    for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
        if (w->col[e] == j)
            return w->w[e];
    return -1; /* absent */
}

static void expect_row(const struct qtr_csr *w, size_t i, const uint32_t *cols, size_t k)
{
    assert_int_equal(w->row[i + 1] - w->row[i], k);
    for (size_t e = 0; e < k; e++)
        assert_int_equal(w->col[w->row[i] + e], cols[e]);
}

static void test_knn(void **state)
{
    (void)state;
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_knn(LX, LY, 5, 1, &w, &err), 0);
    static const uint32_t r0[] = {1}, r1[] = {0}, r2[] = {1}, r3[] = {2}, r4[] = {3};
    expect_row(w, 0, r0, 1);
    expect_row(w, 1, r1, 1);
    expect_row(w, 2, r2, 1);
    expect_row(w, 3, r3, 1);
    expect_row(w, 4, r4, 1);
    assert_false(qtr_weights_is_symmetric(w, 0));
    qtr_csr_free(w);

    assert_int_equal(qtr_weights_knn(LX, LY, 5, 2, &w, &err), 0);
    /* point 2 has 0 and 3 both at distance 3: the lower index wins */
    static const uint32_t k0[] = {1, 2}, k1[] = {0, 2}, k2[] = {0, 1}, k3[] = {2, 4}, k4[] = {2, 3};
    expect_row(w, 0, k0, 2);
    expect_row(w, 1, k1, 2);
    expect_row(w, 2, k2, 2);
    expect_row(w, 3, k3, 2);
    expect_row(w, 4, k4, 2);
    qtr_csr_free(w);

    assert_int_equal(qtr_weights_knn(LX, LY, 5, 5, &w, &err), QTR_ERR_USAGE);
    assert_null(w);
    double bad[2] = {0, NAN}, y2[2] = {0, 0};
    assert_int_equal(qtr_weights_knn(bad, y2, 2, 1, &w, &err), QTR_ERR_DATA);
}

/* Long rows (a band over a 30 x 30 lattice with 300 columns apart in the numbering, rows of
 * hundreds of entries) come out sorted by column, each neighbour once, with the weight that
 * belongs to it: binary band, so weight 1 for every pair within the threshold. */
static void test_band_long_rows_sorted(void **state)
{
    (void)state;
    enum { S = 30, N = S * S };
    double x[N], y[N];
    for (size_t i = 0; i < N; i++) { /* a scrambled numbering: i -> (i * 7) mod N is a cell */
        size_t c = (i * 7) % N;
        x[i] = (double)(c % S);
        y[i] = (double)(c / S);
    }
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_distance_band(x, y, N, 10.0, 1, -1, &w, &err), 0);
    size_t longest = 0;
    for (size_t i = 0; i < N; i++) {
        size_t len = w->row[i + 1] - w->row[i], expect = 0;
        longest = len > longest ? len : longest;
        for (size_t j = 0; j < N; j++)
            expect += j != i && hypot(x[i] - x[j], y[i] - y[j]) <= 10.0;
        assert_int_equal(len, expect);
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            if (e > w->row[i])
                assert_true(w->col[e - 1] < w->col[e]);
            assert_true(hypot(x[i] - x[w->col[e]], y[i] - y[w->col[e]]) <= 10.0);
            assert_true(w->w[e] == 1.0);
        }
    }
    assert_true(longest > 256);
    qtr_csr_free(w);
}

static void test_band_and_helpers(void **state)
{
    (void)state;
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_distance_band(LX, LY, 5, 3.0, 1, -1, &w, &err), 0);
    static const uint32_t r0[] = {1, 2}, r1[] = {0, 2}, r2[] = {0, 1, 3}, r3[] = {2};
    expect_row(w, 0, r0, 2);
    expect_row(w, 1, r1, 2);
    expect_row(w, 2, r2, 3);
    expect_row(w, 3, r3, 1);
    expect_row(w, 4, NULL, 0);
    assert_true(qtr_weights_is_symmetric(w, 0));

    uint32_t isl[5], comp[5];
    size_t nc = 0;
    assert_int_equal(qtr_weights_islands(w, isl), 1);
    assert_int_equal(isl[0], 4);
    assert_int_equal(qtr_weights_components(w, comp, &nc, &err), 0);
    assert_int_equal(nc, 2);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(comp[i], 0);
    assert_int_equal(comp[4], 1);

    assert_int_equal(qtr_weights_row_standardize(w, &err), 0);
    assert_close(entry(w, 2, 0), 1.0 / 3, 1e-15);
    assert_close(entry(w, 3, 2), 1.0, 0);
    assert_false(qtr_weights_is_symmetric(w, 1e-12)); /* row 2 has 1/3, row 3 has 1 */

    struct qtr_csr *d = NULL;
    assert_int_equal(qtr_weights_fill_diagonal(w, 1.0, &d, &err), 0);
    static const uint32_t d2[] = {0, 1, 2, 3}, d4[] = {4};
    expect_row(d, 2, d2, 4);
    expect_row(d, 4, d4, 1);
    assert_close(entry(d, 2, 2), 1.0, 0);
    assert_close(entry(d, 2, 3), 1.0 / 3, 1e-15);
    assert_int_equal(qtr_weights_islands(d, NULL), 1); /* a diagonal is not a neighbour */
    qtr_csr_free(d);
    qtr_csr_free(w);

    /* inverse distance: w = d^-1 */
    assert_int_equal(qtr_weights_distance_band(LX, LY, 5, 3.0, 0, -1, &w, &err), 0);
    assert_close(entry(w, 0, 2), 1.0 / 3, 1e-15);
    assert_close(entry(w, 2, 1), 0.5, 1e-15);
    qtr_csr_free(w);
    assert_int_equal(qtr_weights_distance_band(LX, LY, 5, 0, 1, -1, &w, &err), QTR_ERR_USAGE);
    double dx[2] = {1, 1}, dy[2] = {2, 2};
    assert_int_equal(qtr_weights_distance_band(dx, dy, 2, 1, 0, -1, &w, &err), QTR_ERR_DATA);
}

static void test_kernel(void **state)
{
    (void)state;
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    /* triangular, fixed h = 4, PySAL's default diagonal K(0) = 1 */
    assert_int_equal(qtr_weights_kernel(LX, LY, 5, QTR_KERNEL_TRIANGULAR, 4.0, 0, 0,
                                        QTR_KERNEL_SELF_KERNEL, &w, &err),
                     0);
    assert_close(entry(w, 2, 2), 1.0, 0);
    assert_close(entry(w, 2, 0), 0.25, 1e-15);
    assert_close(entry(w, 2, 1), 0.5, 1e-15);
    assert_close(entry(w, 2, 3), 0.25, 1e-15);
    assert_close(entry(w, 2, 4), -1, 0);
    assert_close(entry(w, 4, 3), -1, 0); /* d == h: K = 0, not stored */
    assert_int_equal(w->row[5] - w->row[4], 1);
    qtr_csr_free(w);

    /* bisquare, fixed h = 4, no diagonal: 15/16 (1 - 1/16)^2 = 0.823974609375 */
    assert_int_equal(qtr_weights_kernel(LX, LY, 5, QTR_KERNEL_BISQUARE, 4.0, 0, 0,
                                        QTR_KERNEL_SELF_NONE, &w, &err),
                     0);
    assert_close(entry(w, 1, 0), 0.823974609375, 1e-15);
    assert_close(entry(w, 1, 1), -1, 0);
    qtr_csr_free(w);

    /* gaussian, diagonal 1 (segregation), adaptive k = 1: h_0 = 1 * (1 + 1e-7) */
    assert_int_equal(
        qtr_weights_kernel(LX, LY, 5, QTR_KERNEL_GAUSSIAN, 0, 1, 1, QTR_KERNEL_SELF_ONE, &w, &err),
        0);
    double z = 1.0 / 1.0000001;
    assert_close(entry(w, 0, 1), exp(-z * z / 2) / sqrt(2 * 3.14159265358979323846), 1e-15);
    assert_close(entry(w, 0, 0), 1.0, 0);
    assert_int_equal(w->row[1] - w->row[0], 2);
    assert_close(entry(w, 4, 3), exp(-z * z / 2) / sqrt(2 * 3.14159265358979323846), 1e-15);
    qtr_csr_free(w);

    /* fixed bandwidth from k = 1: h = max nn distance (4) * (1 + 1e-7) */
    assert_int_equal(
        qtr_weights_kernel(LX, LY, 5, QTR_KERNEL_UNIFORM, 0, 1, 0, QTR_KERNEL_SELF_NONE, &w, &err),
        0);
    assert_close(entry(w, 4, 3), 0.5, 0);
    assert_close(entry(w, 1, 2), 0.5, 0);
    assert_close(entry(w, 0, 3), -1, 0); /* 6 > 4 */
    qtr_csr_free(w);

    /* quadratic: 3/4 (1 - z^2) at z = 0.5 */
    assert_int_equal(qtr_weights_kernel(LX, LY, 5, QTR_KERNEL_QUADRATIC, 2.0, 0, 0,
                                        QTR_KERNEL_SELF_NONE, &w, &err),
                     0);
    assert_close(entry(w, 0, 1), 0.5625, 1e-15);
    qtr_csr_free(w);
    assert_int_equal(qtr_weights_kernel(LX, LY, 5, QTR_KERNEL_TRIANGULAR, 0, 0, 0,
                                        QTR_KERNEL_SELF_NONE, &w, &err),
                     QTR_ERR_USAGE);
}

/* Deterministic pseudo-random points on a coarse lattice (many ties and duplicates). */
static void lcg_points(double *x, double *y, size_t n)
{
    uint64_t s = 12345;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = (double)((s >> 33) % 40);
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        y[i] = (double)((s >> 33) % 40);
    }
}

static void test_kdtree_vs_brute_force(void **state)
{
    (void)state;
    enum { N = 700, K = 6 };
    static double x[N], y[N];
    lcg_points(x, y, N);
    struct qtr_csr *w = NULL, *b = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_knn(x, y, N, K, &w, &err), 0);
    assert_int_equal(qtr_weights_distance_band(x, y, N, 2.5, 1, -1, &b, &err), 0);
    for (size_t i = 0; i < N; i++) {
        /* brute force: the K best by (d2, index) */
        uint32_t best[K];
        double bd[K];
        size_t nb = 0;
        size_t band = 0;
        for (size_t j = 0; j < N; j++) {
            if (j == i)
                continue;
            double d2 = (x[j] - x[i]) * (x[j] - x[i]) + (y[j] - y[i]) * (y[j] - y[i]);
            band += sqrt(d2) <= 2.5;
            if (sqrt(d2) <= 2.5)
                assert_close(entry(b, i, j), 1.0, 0);
            size_t p = nb < K ? nb++ : K;
            if (p == K) {
                if (d2 > bd[K - 1] || (d2 == bd[K - 1] && j > best[K - 1]))
                    continue;
                p = K - 1;
            }
            while (p > 0 && (bd[p - 1] > d2)) {
                bd[p] = bd[p - 1];
                best[p] = best[p - 1];
                p--;
            }
            bd[p] = d2;
            best[p] = (uint32_t)j;
        }
        assert_int_equal(b->row[i + 1] - b->row[i], band);
        assert_int_equal(w->row[i + 1] - w->row[i], K);
        for (size_t e = 0; e < K; e++)
            assert_true(entry(w, i, best[e]) == 1.0);
    }
    qtr_csr_free(w);
    qtr_csr_free(b);
}

/* All points equal: the k-d tree must still terminate, ties go to the lowest indices. */
static void test_identical_points(void **state)
{
    (void)state;
    enum { N = 100 };
    double x[N], y[N];
    for (size_t i = 0; i < N; i++) {
        x[i] = 5;
        y[i] = -3;
    }
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_knn(x, y, N, 3, &w, &err), 0);
    static const uint32_t r0[] = {1, 2, 3}, r50[] = {0, 1, 2};
    expect_row(w, 0, r0, 3);
    expect_row(w, 50, r50, 3);
    qtr_csr_free(w);
    assert_int_equal(qtr_weights_distance_band(x, y, N, 1.0, 1, -1, &w, &err), 0);
    assert_int_equal(qtr_csr_nnz(w), N * (N - 1));
    qtr_csr_free(w);
    /* adaptive bandwidth 0 is refused, with a reason */
    assert_int_equal(
        qtr_weights_kernel(x, y, N, QTR_KERNEL_TRIANGULAR, 0, 2, 1, QTR_KERNEL_SELF_NONE, &w, &err),
        QTR_ERR_DATA);
    assert_null(w);
    assert_int_equal(
        qtr_weights_kernel(x, y, N, QTR_KERNEL_TRIANGULAR, 0, 2, 0, QTR_KERNEL_SELF_NONE, &w, &err),
        QTR_ERR_DATA);
    assert_null(w);
}

static void test_triplets(void **state)
{
    (void)state;
    uint32_t ti[] = {2, 0, 2, 1}, tj[] = {1, 2, 0, 2};
    double tw[] = {0.5, 1, 2, 3};
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_from_triplets(3, ti, tj, tw, 4, &w, &err), 0);
    static const uint32_t r2[] = {0, 1};
    expect_row(w, 2, r2, 2);
    assert_close(entry(w, 2, 0), 2, 0);
    assert_close(entry(w, 2, 1), 0.5, 0);
    qtr_csr_free(w);
    uint32_t di[] = {0, 0}, dj[] = {1, 1};
    assert_int_equal(qtr_weights_from_triplets(3, di, dj, NULL, 2, &w, &err), QTR_ERR_DATA);
    uint32_t oi[] = {0}, oj[] = {3};
    assert_int_equal(qtr_weights_from_triplets(3, oi, oj, NULL, 1, &w, &err), QTR_ERR_DATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_knn),
        cmocka_unit_test(test_band_long_rows_sorted),
        cmocka_unit_test(test_band_and_helpers),
        cmocka_unit_test(test_kernel),
        cmocka_unit_test(test_kdtree_vs_brute_force),
        cmocka_unit_test(test_identical_points),
        cmocka_unit_test(test_triplets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
