/*
 * test_crosswalk.c - the pieces of two hand-made layouts (crosswalk.h), checked against areas
 * computed by hand, then carried with the kernel (carry.h).
 *
 * Sources: A [0,10]x[0,10], B [10,20]x[0,10], C [30,40]x[0,10] (only its left 4 m strip is
 * in the target layout), D [100,101]x[100,101] (outside every target), E without geometry,
 * F [50,60]x[0,10].
 * Targets: T1 [0,5], T2 [5,15], T3 [15,19.98], T4 [30,34], T5 [19.98,25] (all of height 10),
 * T7 [52,54]x[2,4] (inside F), T8 = F with T7 as a hole.
 */
#include "test_util.h"

#include <geos_c.h>

#include "quartier/carry.h"
#include "quartier/crosswalk.h"

static GEOSContextHandle_t H;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(H);
    GEOSGeometry *g = GEOSWKTReader_read_r(H, r, s);
    GEOSWKTReader_destroy_r(H, r);
    return g;
}

static GEOSGeometry *box(double x0, double y0, double x1, double y1)
{
    char s[256];
    snprintf(s, sizeof s, "POLYGON((%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g,%.17g %.17g))",
             x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
    return wkt(s);
}

static void test_pieces(void **state)
{
    (void)state;
    H = GEOS_init_r();
    GEOSGeometry *src[6] = {
        box(0, 0, 10, 10), box(10, 0, 20, 10), box(30, 0, 40, 10), box(100, 100, 101, 101), NULL,
        box(50, 0, 60, 10)};
    GEOSGeometry *tgt[7] = {
        box(0, 0, 5, 10),
        box(5, 0, 15, 10),
        box(15, 0, 19.98, 10),
        box(30, 0, 34, 10),
        box(19.98, 0, 25, 10),
        box(52, 2, 54, 4),
        wkt("POLYGON((50 0,60 0,60 10,50 10,50 0),(52 2,54 2,54 4,52 4,52 2))")};
    const char *sk[6] = {"A", "B", "C", "D", "E", "F"};
    const char *tk[7] = {"T1", "T2", "T3", "T4", "T5", "T7", "T8"};
    struct qtr_crosswalk *cw = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_crosswalk_build(H, (const GEOSGeometry *const *)src, sk, 6,
                                         (const GEOSGeometry *const *)tgt, tk, 7, 1.0, &cw, &err),
                     QTR_OK);
    const struct qtr_piece want[] = {{0, 0, 50}, {0, 1, 50}, {1, 1, 50}, {1, 2, 49.8},
                                     {2, 3, 40}, {5, 5, 4},  {5, 6, 96}};
    assert_int_equal(cw->npieces, 7);
    for (size_t p = 0; p < 7; p++) {
        assert_int_equal(cw->pieces[p].src, want[p].src);
        assert_int_equal(cw->pieces[p].tgt, want[p].tgt);
        assert_close(cw->pieces[p].area, want[p].area, 1e-9);
    }
    /* B∩T5 = 0.02 x 10 = 0.2 m², below the sliver area of 1 m² */
    assert_int_equal(cw->nslivers, 1);
    assert_close(cw->sliver_area_sum, 0.2, 1e-9);
    const double covered[] = {1, 1, 0.4, 0, 0, 1};
    for (size_t i = 0; i < 6; i++)
        assert_close(cw->covered[i], covered[i], 1e-12);
    assert_close(cw->cover_area[1], 100, 1e-9); /* the sliver counts as covered */
    assert_close(cw->src_area[4], 0, 0);
    assert_close(cw->tgt_area[6], 96, 1e-9);

    /* carried by area: B's 300 go 50/99.8 to T2 and 49.8/99.8 to T3 (the sliver's share is
     * spread over the kept pieces), C keeps 40 % of its 50, F splits 4:96 */
    double weight[7], share[7];
    assert_int_equal(qtr_carry_shares(QTR_CARRY_AREA, cw->pieces, cw->npieces, 6, cw->covered, 7,
                                      cw->tgt_area, NULL, NULL, weight, share, NULL, &err),
                     QTR_OK);
    struct qtr_cell in[6], out[7];
    const double v[6] = {100, 300, 50, 9, 0, 1000};
    for (size_t i = 0; i < 6; i++)
        in[i] = (struct qtr_cell){v[i], QTR_CELL_VALUE, 0};
    qtr_carry_cells(cw->pieces, cw->npieces, share, in, 7, out);
    assert_close(out[0].value, 50, 1e-9);
    assert_close(out[1].value, 50 + 300 * 50 / 99.8, 1e-9);
    assert_close(out[2].value, 300 * 49.8 / 99.8, 1e-9);
    assert_close(out[3].value, 20, 1e-9);
    assert_int_equal(out[4].kind, QTR_CELL_MISSING); /* T5 got only a sliver */
    assert_close(out[5].value, 40, 1e-9);
    assert_close(out[6].value, 960, 1e-9);

    /* no sliver area: B∩T5 is kept */
    qtr_crosswalk_free(cw);
    assert_int_equal(qtr_crosswalk_build(H, (const GEOSGeometry *const *)src, sk, 6,
                                         (const GEOSGeometry *const *)tgt, tk, 7, 0, &cw, &err),
                     QTR_OK);
    assert_int_equal(cw->npieces, 8);
    assert_int_equal(cw->nslivers, 0);
    assert_int_equal(cw->pieces[4].tgt, 4);
    assert_close(cw->pieces[4].area, 0.2, 1e-9);
    qtr_crosswalk_free(cw);
    assert_int_equal(qtr_crosswalk_build(H, (const GEOSGeometry *const *)src, sk, 6,
                                         (const GEOSGeometry *const *)tgt, tk, 7, -1, &cw, &err),
                     QTR_ERR_USAGE);
    for (size_t i = 0; i < 6; i++)
        if (src[i])
            GEOSGeom_destroy_r(H, src[i]);
    for (size_t j = 0; j < 7; j++)
        GEOSGeom_destroy_r(H, tgt[j]);
    GEOS_finish_r(H);
}

/* Property: a 5x5 grid of squares cut by a 3x3 grid over the same 150 m square (plus one
 * target wholly inside a source, taken whole). Every source is covered, its pieces add up to
 * its area, the pieces of each target add up to the target's area, and carrying by area
 * preserves the total. */
static void test_grids(void **state)
{
    (void)state;
    H = GEOS_init_r();
    GEOSGeometry *src[25], *tgt[9];
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 5; c++)
            src[r * 5 + c] = box(30.0 * c, 30.0 * r, 30.0 * (c + 1), 30.0 * (r + 1));
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            tgt[r * 3 + c] = box(50.0 * c, 50.0 * r, 50.0 * (c + 1), 50.0 * (r + 1));
    struct qtr_crosswalk *cw = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_crosswalk_build(H, (const GEOSGeometry *const *)src, NULL, 25,
                                         (const GEOSGeometry *const *)tgt, NULL, 9, 0, &cw, &err),
                     QTR_OK);
    double by_src[25] = {0}, by_tgt[9] = {0};
    for (size_t p = 0; p < cw->npieces; p++) {
        by_src[cw->pieces[p].src] += cw->pieces[p].area;
        by_tgt[cw->pieces[p].tgt] += cw->pieces[p].area;
        if (p)
            assert_true(cw->pieces[p - 1].src < cw->pieces[p].src ||
                        (cw->pieces[p - 1].src == cw->pieces[p].src &&
                         cw->pieces[p - 1].tgt < cw->pieces[p].tgt));
    }
    for (size_t i = 0; i < 25; i++) {
        assert_close(by_src[i], 900, 1e-6);
        assert_close(cw->covered[i], 1, 0);
    }
    for (size_t j = 0; j < 9; j++)
        assert_close(by_tgt[j], 2500, 1e-6);
    /* the grid lines at 30, 60, 90, 120 and 50, 100 give 7x7 = 49 pieces */
    assert_int_equal(cw->npieces, 49);
    double weight[49], share[49];
    struct qtr_cell in[25], out[9];
    double total = 0, carried = 0;
    for (size_t i = 0; i < 25; i++) {
        in[i] = (struct qtr_cell){(double)(i * 37 % 101), QTR_CELL_VALUE, 0};
        total += in[i].value;
    }
    assert_int_equal(qtr_carry_shares(QTR_CARRY_AREA, cw->pieces, cw->npieces, 25, cw->covered, 9,
                                      cw->tgt_area, NULL, NULL, weight, share, NULL, &err),
                     QTR_OK);
    qtr_carry_cells(cw->pieces, cw->npieces, share, in, 9, out);
    for (size_t j = 0; j < 9; j++)
        carried += out[j].value;
    assert_close(carried, total, 1e-9);
    qtr_crosswalk_free(cw);
    for (size_t i = 0; i < 25; i++)
        GEOSGeom_destroy_r(H, src[i]);
    for (size_t j = 0; j < 9; j++)
        GEOSGeom_destroy_r(H, tgt[j]);
    GEOS_finish_r(H);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_pieces), cmocka_unit_test(test_grids)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
