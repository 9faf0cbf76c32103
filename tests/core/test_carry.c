/*
 * test_carry.c - the carrying kernel (carry.h) on hand-made layouts with hand-computed answers,
 * and the preservation of sums as a property.
 *
 * Layout "two squares split three ways": sources A = [0,10]x[0,10] and B = [10,20]x[0,10]
 * (100 m² each), targets T1 = [0,5], T2 = [5,15], T3 = [15,20] (same height; 50, 100, 50 m²).
 * Pieces: A∩T1 50, A∩T2 50, B∩T2 50, B∩T3 50. Counts A = 100, B = 300.
 */
#include "test_util.h"

#include "quartier/carry.h"

static const struct qtr_piece split3[] = {{0, 0, 50}, {0, 1, 50}, {1, 1, 50}, {1, 2, 50}};
static const double split3_tgt_area[] = {50, 100, 50};
static const double full2[] = {1, 1};

static struct qtr_cell val(double v)
{
    struct qtr_cell c = {v, QTR_CELL_VALUE, 0};
    return c;
}

static struct qtr_cell kind(enum qtr_cell_kind k)
{
    struct qtr_cell c = {NAN, k, 0};
    if (k == QTR_CELL_ZERO)
        c.value = 0;
    return c;
}

static void carry(enum qtr_carry_method m, const double *anc, const struct qtr_cell *src,
                  struct qtr_cell *out, double *share, uint8_t *fb)
{
    double weight[4];
    struct qtr_error err;
    qtr_error_clear(&err);
    assert_int_equal(
        qtr_carry_shares(m, split3, 4, 2, full2, 3, split3_tgt_area, anc, NULL, weight, share, fb, &err),
        QTR_OK);
    qtr_carry_cells(split3, 4, share, src, 3, out);
}

static void test_area_split(void **state)
{
    (void)state;
    struct qtr_cell src[2] = {val(100), val(300)}, out[3];
    double share[4];
    carry(QTR_CARRY_AREA, NULL, src, out, share, NULL);
    /* each piece is half of its source: T1 = 50, T2 = 50 + 150, T3 = 150 */
    for (int p = 0; p < 4; p++)
        assert_close(share[p], 0.5, 1e-15);
    assert_int_equal(out[0].kind, QTR_CELL_VALUE);
    assert_close(out[0].value, 50, 1e-12);
    assert_close(out[1].value, 200, 1e-12);
    assert_close(out[2].value, 150, 1e-12);
}

static void test_weights_split(void **state)
{
    (void)state;
    /* ancillary T1 = 10, T2 = 100, T3 = 0: weights A∩T1 = 50/50*10 = 10, A∩T2 = 50/100*100 =
     * 50, B∩T2 = 50, B∩T3 = 0. A: 10/60 and 50/60 of 100; B: all 300 to T2. */
    const double anc[] = {10, 100, 0};
    struct qtr_cell src[2] = {val(100), val(300)}, out[3];
    double share[4];
    uint8_t fb[2];
    carry(QTR_CARRY_WEIGHTS, anc, src, out, share, fb);
    assert_close(share[0], 1.0 / 6, 1e-15);
    assert_close(share[1], 5.0 / 6, 1e-15);
    assert_close(share[2], 1, 1e-15);
    assert_close(share[3], 0, 0);
    assert_int_equal(fb[0], 0);
    assert_int_equal(fb[1], 0);
    assert_close(out[0].value, 100.0 / 6, 1e-12);
    assert_close(out[1].value, 500.0 / 6 + 300, 1e-12);
    /* T3 is fed with share 0: an estimated 0, not missing */
    assert_int_equal(out[2].kind, QTR_CELL_VALUE);
    assert_close(out[2].value, 0, 0);
}

static void test_weights_fallback(void **state)
{
    (void)state;
    /* all ancillary zero: both units fall back to area */
    const double zero[] = {0, 0, 0};
    struct qtr_cell src[2] = {val(100), val(300)}, out[3];
    double share[4];
    uint8_t fb[2];
    carry(QTR_CARRY_WEIGHTS, zero, src, out, share, fb);
    assert_int_equal(fb[0], 1);
    assert_int_equal(fb[1], 1);
    assert_close(out[0].value, 50, 1e-12);
    assert_close(out[1].value, 200, 1e-12);
    assert_close(out[2].value, 150, 1e-12);
    /* T3 without an ancillary value: B falls back to area, A keeps its weights
     * (A∩T1 = 50/50*20 = 20, A∩T2 = 50/100*20 = 10: 2/3 and 1/3 of 100) */
    const double part[] = {20, 20, NAN};
    carry(QTR_CARRY_WEIGHTS, part, src, out, share, fb);
    assert_int_equal(fb[0], 0);
    assert_int_equal(fb[1], 1);
    assert_close(out[0].value, 200.0 / 3, 1e-12);
    assert_close(out[1].value, 100.0 / 3 + 150, 1e-12);
    assert_close(out[2].value, 150, 1e-12);
}

/*
 * The weights method with a source density: sources S0 (2 m², 100 people, 50 per m²) and S1
 * (2 m², 20 people, 10 per m²); target T0 = half of S0 + half of S1 (2 m², ancillary 60),
 * T1 = the other half of S0 (1 m², 30), T2 = the other half of S1 (1 m², 30).
 * Uniform: every piece weighs 30, every share is 1/2, T0 = 50 + 10 = 60.
 * With the density: T0's mean density is (1 x 50 + 1 x 10) / 2 = 30, so its pieces weigh
 * 30 x 50/30 = 50 (from S0) and 30 x 10/30 = 10 (from S1); T1 and T2 have one source each and
 * keep 30. S0 splits 50 : 30 (5/8 to T0), S1 10 : 30 (1/4 to T0): T0 = 62.5 + 5 = 67.5,
 * T1 = 37.5, T2 = 15 (sum 120).
 */
static void test_weights_density(void **state)
{
    (void)state;
    const struct qtr_piece pieces[] = {{0, 0, 1}, {1, 0, 1}, {0, 1, 1}, {1, 2, 1}};
    const double tgt_area[] = {2, 1, 1}, anc[] = {60, 30, 30}, src_area[] = {2, 2};
    const double covered[] = {1, 1};
    struct qtr_cell cnt[2] = {val(100), val(20)}, out[3];
    double density[2], weight[4], share[4];
    uint8_t unknown[2];
    struct qtr_error err;
    qtr_error_clear(&err);
    assert_int_equal(qtr_carry_source_density(2, cnt, src_area, density, unknown), 0);
    assert_close(density[0], 50, 1e-15);
    assert_close(density[1], 10, 1e-15);
    assert_int_equal(qtr_carry_shares(QTR_CARRY_WEIGHTS, pieces, 4, 2, covered, 3, tgt_area, anc,
                                      density, weight, share, NULL, &err),
                     QTR_OK);
    assert_close(weight[0], 50, 1e-12);
    assert_close(weight[1], 10, 1e-12);
    assert_close(weight[2], 30, 1e-12);
    assert_close(weight[3], 30, 1e-12);
    assert_close(share[0], 0.625, 1e-15);
    assert_close(share[1], 0.25, 1e-15);
    qtr_carry_cells(pieces, 4, share, cnt, 3, out);
    assert_close(out[0].value, 67.5, 1e-12);
    assert_close(out[1].value, 37.5, 1e-12);
    assert_close(out[2].value, 15, 1e-12);
    /* a uniform density gives the plain weights method */
    const double flat[] = {7, 7};
    assert_int_equal(qtr_carry_shares(QTR_CARRY_WEIGHTS, pieces, 4, 2, covered, 3, tgt_area, anc,
                                      flat, weight, share, NULL, &err),
                     QTR_OK);
    for (int p = 0; p < 4; p++)
        assert_close(share[p], 0.5, 1e-15);
    /* a negative density is refused, naming the source unit */
    const double bad[] = {1, -1};
    assert_int_equal(qtr_carry_shares(QTR_CARRY_WEIGHTS, pieces, 4, 2, covered, 3, tgt_area, anc,
                                      bad, weight, share, NULL, &err),
                     QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "source unit 1"));
}

/* Densities: a count without a number, or a unit without area, gets the density of the others
 * together: 100 people on 2 m² and 0 on 4 m² -> 100 / 6 per m². */
static void test_source_density(void **state)
{
    (void)state;
    struct qtr_cell cnt[4] = {val(100), kind(QTR_CELL_SUPPRESSED), kind(QTR_CELL_ZERO),
                              val(5)};
    const double area[] = {2, 3, 4, 0};
    double d[4];
    uint8_t unknown[4];
    assert_int_equal(qtr_carry_source_density(4, cnt, area, d, unknown), 2);
    assert_close(d[0], 50, 1e-15);
    assert_close(d[1], 100.0 / 6, 1e-14);
    assert_close(d[2], 0, 0);
    assert_close(d[3], 100.0 / 6, 1e-14);
    assert_int_equal(unknown[0], 0);
    assert_int_equal(unknown[1], 1);
    assert_int_equal(unknown[2], 0);
    assert_int_equal(unknown[3], 1);
}

static void test_states(void **state)
{
    (void)state;
    struct qtr_cell out[3];
    double share[4];
    /* A suppressed: T1 and T2 suppressed, T3 = 150 */
    struct qtr_cell s1[2] = {kind(QTR_CELL_SECRET), val(300)};
    carry(QTR_CARRY_AREA, NULL, s1, out, share, NULL);
    assert_int_equal(out[0].kind, QTR_CELL_SUPPRESSED);
    assert_int_equal(out[1].kind, QTR_CELL_SUPPRESSED);
    assert_true(isnan(out[1].value));
    assert_int_equal(out[2].kind, QTR_CELL_VALUE);
    assert_close(out[2].value, 150, 1e-12);
    /* A suppressed, B missing: missing wins where both feed (T2) */
    struct qtr_cell s2[2] = {kind(QTR_CELL_SUPPRESSED), kind(QTR_CELL_MISSING)};
    carry(QTR_CARRY_AREA, NULL, s2, out, share, NULL);
    assert_int_equal(out[0].kind, QTR_CELL_SUPPRESSED);
    assert_int_equal(out[1].kind, QTR_CELL_MISSING);
    assert_int_equal(out[2].kind, QTR_CELL_MISSING);
    /* A a true zero, B a value: T1 a true zero, T2 a value */
    struct qtr_cell s3[2] = {kind(QTR_CELL_ZERO), val(8)};
    carry(QTR_CARRY_AREA, NULL, s3, out, share, NULL);
    assert_int_equal(out[0].kind, QTR_CELL_ZERO);
    assert_int_equal(out[1].kind, QTR_CELL_VALUE);
    assert_close(out[1].value, 4, 1e-12);
    /* a suppressed source whose piece has weight 0 passes nothing on: B suppressed, weights
     * 10, 100, 0 give B∩T3 share 0, so T3 is an estimated 0 and T2 suppressed */
    const double anc[] = {10, 100, 0};
    struct qtr_cell s4[2] = {val(100), kind(QTR_CELL_SUPPRESSED)};
    carry(QTR_CARRY_WEIGHTS, anc, s4, out, share, NULL);
    assert_int_equal(out[1].kind, QTR_CELL_SUPPRESSED);
    assert_int_equal(out[2].kind, QTR_CELL_VALUE);
    assert_close(out[2].value, 0, 0);
}

static void test_partial_and_outside(void **state)
{
    (void)state;
    /* Source C = [0,10]x[0,10] with only its left 40 m² inside target T = [0,4]x[0,10];
     * source D wholly outside the target layout (no pieces); target U fed by nothing. */
    const struct qtr_piece pieces[] = {{0, 0, 40}};
    const double covered[] = {0.4, 0};
    const double tgt_area[] = {40, 25};
    const double anc[] = {7, 3};
    double weight[1], share[1];
    struct qtr_error err;
    struct qtr_cell src[2] = {val(50), val(20)}, out[2];
    assert_int_equal(qtr_carry_shares(QTR_CARRY_AREA, pieces, 1, 2, covered, 2, tgt_area, NULL, NULL,
                                      weight, share, NULL, &err),
                     QTR_OK);
    qtr_carry_cells(pieces, 1, share, src, 2, out);
    assert_close(share[0], 0.4, 1e-15);
    assert_close(out[0].value, 20, 1e-12); /* 40 % of 50: the rest lies outside */
    assert_int_equal(out[1].kind, QTR_CELL_MISSING);
    /* dasymetric carries the same covered part, spread by the weights */
    assert_int_equal(qtr_carry_shares(QTR_CARRY_WEIGHTS, pieces, 1, 2, covered, 2, tgt_area, anc, NULL,
                                      weight, share, NULL, &err),
                     QTR_OK);
    assert_close(share[0], 0.4, 1e-15);
    assert_close(weight[0], 7, 1e-12);
}

static void test_bad_pieces(void **state)
{
    (void)state;
    const struct qtr_piece bad[] = {{0, 5, 1}};
    const struct qtr_piece neg[] = {{0, 0, -1}};
    const double ta[] = {0};
    const double anc[] = {1};
    double w[1], s[1];
    struct qtr_error err;
    assert_int_equal(
        qtr_carry_shares(QTR_CARRY_AREA, bad, 1, 1, NULL, 1, NULL, NULL, NULL, w, s, NULL, &err),
        QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "piece 0"));
    assert_int_equal(
        qtr_carry_shares(QTR_CARRY_AREA, neg, 1, 1, NULL, 1, NULL, NULL, NULL, w, s, NULL, &err),
        QTR_ERR_DATA);
    const struct qtr_piece ok[] = {{0, 0, 1}};
    assert_int_equal(
        qtr_carry_shares(QTR_CARRY_WEIGHTS, ok, 1, 1, NULL, 1, ta, anc, NULL, w, s, NULL, &err),
        QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "no area"));
}

static void test_ranges(void **state)
{
    (void)state;
    /* A a small count suppressed with '*' in [1, 2], B = 300: T1 gets half of A (0.5..1),
     * T2 half of A and half of B (150.5..151), T3 half of B (a value: no range) */
    struct qtr_cell src[2] = {kind(QTR_CELL_SUPPRESSED), val(300)};
    double lo[3], hi[3];
    const double half[4] = {0.5, 0.5, 0.5, 0.5};
    qtr_carry_ranges(split3, 4, half, src, 1, 2, 3, lo, hi);
    assert_close(lo[0], 0.5, 1e-15);
    assert_close(hi[0], 1, 1e-15);
    assert_close(lo[1], 150.5, 1e-12);
    assert_close(hi[1], 151, 1e-12);
    assert_true(isnan(lo[2]) && isnan(hi[2]));
    /* a secret '.' has no known range: T2 gets none; T1 still has A's */
    struct qtr_cell s2[2] = {kind(QTR_CELL_SUPPRESSED), kind(QTR_CELL_SECRET)};
    qtr_carry_ranges(split3, 4, half, s2, 1, 2, 3, lo, hi);
    assert_close(lo[0], 0.5, 1e-15);
    assert_true(isnan(lo[1]) && isnan(hi[1]));
    assert_true(isnan(lo[2]));
}

/* Property: on random layouts whose sources are fully covered, both methods preserve the
 * total and the count of every source unit. */
static void test_sum_preserved(void **state)
{
    (void)state;
    unsigned long long x = 88172645463325252ULL;
    for (int round = 0; round < 50; round++) {
        enum { NS = 30, NT = 40, NP = 200 };
        struct qtr_piece pieces[NP];
        double tgt_area[NT], anc[NT], covered[NS], weight[NP], share[NP];
        struct qtr_cell src[NS], out[NT];
        double total = 0;
        for (size_t j = 0; j < NT; j++) {
            tgt_area[j] = 0;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            anc[j] = (x % 4 == 0) ? 0 : (double)(x % 1000);
        }
        for (size_t i = 0; i < NS; i++) {
            covered[i] = 1;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            src[i] = val((double)(x % 5000));
            total += src[i].value;
        }
        for (size_t p = 0; p < NP; p++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            pieces[p].src = p < NS ? p : x % NS; /* every source has a piece */
            pieces[p].tgt = (x >> 20) % NT;
            pieces[p].area = 1 + (double)((x >> 32) % 10000);
            tgt_area[pieces[p].tgt] += pieces[p].area;
        }
        for (int m = 0; m < 2; m++) {
            struct qtr_error err;
            assert_int_equal(qtr_carry_shares(m ? QTR_CARRY_WEIGHTS : QTR_CARRY_AREA, pieces, NP,
                                              NS, covered, NT, tgt_area, anc, NULL, weight, share, NULL,
                                              &err),
                             QTR_OK);
            double per_src[NS] = {0};
            for (size_t p = 0; p < NP; p++)
                per_src[pieces[p].src] += share[p];
            for (size_t i = 0; i < NS; i++)
                assert_close(per_src[i], 1, 1e-12);
            qtr_carry_cells(pieces, NP, share, src, NT, out);
            double sum = 0;
            for (size_t j = 0; j < NT; j++)
                if (out[j].kind == QTR_CELL_VALUE || out[j].kind == QTR_CELL_ZERO)
                    sum += out[j].value;
            assert_close(sum, total, 1e-9 * total);
        }
    }
}

/* Pieces sort by source unit, then target unit (the order the carry kernels expect). */
static void test_piece_order(void **state)
{
    (void)state;
    struct qtr_piece p[] = {{2, 0, 1}, {0, 3, 2}, {1, 1, 3}, {0, 1, 4}, {2, 0, 5}};
    qsort(p, 5, sizeof *p, qtr_carry_piece_cmp);
    size_t want[][2] = {{0, 1}, {0, 3}, {1, 1}, {2, 0}, {2, 0}};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(p[i].src, want[i][0]);
        assert_int_equal(p[i].tgt, want[i][1]);
    }
    assert_int_equal(qtr_carry_piece_cmp(&p[3], &p[4]), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_split),
        cmocka_unit_test(test_weights_split),
        cmocka_unit_test(test_weights_fallback),
        cmocka_unit_test(test_weights_density),
        cmocka_unit_test(test_source_density),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_partial_and_outside),
        cmocka_unit_test(test_bad_pieces),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_sum_preserved),
        cmocka_unit_test(test_piece_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
