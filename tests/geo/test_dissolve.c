/*
 * test_dissolve.c - dissolving same-label neighbours on a 3x3 grid, and the
 * GEOS -> plain rings conversion.
 */
#include "test_util.h"

#include <geos_c.h>

#include "quartier/dissolve.h"
#include "quartier/shapes.h"
#include "quartier/weights.h"

static GEOSContextHandle_t H;
static GEOSGeometry *G[9];
static struct qtr_csr *ROOK, *QUEEN;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(H);
    GEOSGeometry *g = GEOSWKTReader_read_r(H, r, s);
    GEOSWKTReader_destroy_r(H, r);
    return g;
}

/* 3x3 grid of unit squares, index r * 3 + c (row 0 at the bottom). */
static int setup(void **state)
{
    (void)state;
    H = GEOS_init_r();
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            char s[200];
            snprintf(s, sizeof s, "POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))", c, r, c + 1, r, c + 1,
                     r + 1, c, r + 1, c, r);
            G[r * 3 + c] = wkt(s);
        }
    struct qtr_error err = {0};
    if (qtr_weights_contiguity(H, (const GEOSGeometry *const *)G, 9, 0, 0, &ROOK, NULL, &err) ||
        qtr_weights_contiguity(H, (const GEOSGeometry *const *)G, 9, 1, 0, &QUEEN, NULL, &err))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 9; i++)
        GEOSGeom_destroy_r(H, G[i]);
    qtr_csr_free(ROOK);
    qtr_csr_free(QUEEN);
    GEOS_finish_r(H);
    return 0;
}

static double area_of(const GEOSGeometry *g)
{
    double a = -1;
    assert_int_equal(GEOSArea_r(H, g, &a), 1);
    return a;
}

static struct qtr_dissolved *dissolve(const struct qtr_csr *w, const int *label)
{
    struct qtr_dissolved *d = NULL;
    struct qtr_error err = {0};
    if (qtr_dissolve_adjacent(H, (const GEOSGeometry *const *)G, 9, w, label, &d, &err))
        fail_msg("%s", err.msg);
    return d;
}

/* Left column plus top row: one L-shaped polygon of area 5 with 6 corners. */
static void test_l_shape(void **state)
{
    (void)state;
    int label[9] = {1, -1, -1, 1, -1, -1, 1, 1, 1};
    struct qtr_dissolved *d = dissolve(ROOK, label);
    assert_int_equal(d->n, 1);
    assert_int_equal(d->label[0], 1);
    assert_int_equal(GEOSGeomTypeId_r(H, d->geoms[0]), GEOS_POLYGON);
    assert_close(area_of(d->geoms[0]), 5.0, 1e-12);
    GEOSGeometry *expect = wkt("POLYGON((0 0,1 0,1 2,3 2,3 3,0 3,0 0))");
    assert_int_equal(GEOSEquals_r(H, d->geoms[0], expect), 1);
    GEOSGeom_destroy_r(H, expect);
    static const uint32_t members[] = {0, 3, 6, 7, 8};
    assert_int_equal(d->member_off[1], 5);
    for (size_t m = 0; m < 5; m++)
        assert_int_equal(d->member[m], members[m]);
    qtr_dissolved_free(H, d);
}

/* Same label in two separate blocks: two areas, ordered by lowest member. */
static void test_two_blocks(void **state)
{
    (void)state;
    int label[9] = {-1, -1, -1, -1, -1, -1, -1, -1, -1};
    label[8] = 4;
    label[0] = label[1] = 4;
    label[5] = 7; /* a different label next to 8 stays apart */
    struct qtr_dissolved *d = dissolve(ROOK, label);
    assert_int_equal(d->n, 3);
    assert_int_equal(d->label[0], 4);
    assert_close(area_of(d->geoms[0]), 2.0, 1e-12);
    assert_int_equal(d->member_off[1] - d->member_off[0], 2);
    assert_int_equal(d->label[1], 7);
    assert_int_equal(d->member[d->member_off[1]], 5);
    assert_int_equal(d->label[2], 4);
    assert_int_equal(d->member[d->member_off[2]], 8);
    assert_close(area_of(d->geoms[2]), 1.0, 1e-12);
    qtr_dissolved_free(H, d);
}

/* Diagonal cells: one MultiPolygon under queen, two areas under rook. */
static void test_corner_contact(void **state)
{
    (void)state;
    int label[9] = {2, -1, -1, -1, 2, -1, -1, -1, -1};
    struct qtr_dissolved *d = dissolve(QUEEN, label);
    assert_int_equal(d->n, 1);
    assert_int_equal(GEOSGeomTypeId_r(H, d->geoms[0]), GEOS_MULTIPOLYGON);
    assert_close(area_of(d->geoms[0]), 2.0, 1e-12);
    qtr_dissolved_free(H, d);
    d = dissolve(ROOK, label);
    assert_int_equal(d->n, 2);
    qtr_dissolved_free(H, d);

    struct qtr_error err = {0};
    struct qtr_csr small = {0};
    size_t row[2] = {0, 0};
    small.n = 1;
    small.row = row;
    assert_int_equal(
        qtr_dissolve_adjacent(H, (const GEOSGeometry *const *)G, 9, &small, label, &d, &err),
        QTR_ERR_USAGE);
    assert_null(d);
}

static void test_shapes_from_geos(void **state)
{
    (void)state;
    GEOSGeometry *g[3];
    g[0] = wkt("POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 4,4 4,4 2,2 2))");
    g[1] = wkt("POLYGON EMPTY");
    g[2] = wkt("MULTIPOLYGON(((20 0,21 0,21 1,20 0)),((30 0,31 0,31 1,30 1,30 0)))");
    struct qtr_shapes *s = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_shapes_from_geos(H, (const GEOSGeometry *const *)g, 3, &s, &err), 0);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->nrings, 4);
    assert_int_equal(s->npoints, 5 + 5 + 4 + 5);
    static const size_t fr[] = {0, 2, 2, 4}, rp[] = {0, 5, 10, 14, 19};
    static const uint8_t hole[] = {0, 1, 0, 0};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(s->feat_ring[i], fr[i]);
    for (size_t r = 0; r < 5; r++)
        assert_int_equal(s->ring_pt[r], rp[r]);
    for (size_t r = 0; r < 4; r++)
        assert_int_equal(s->ring_hole[r], hole[r]);
    assert_close(s->x[6], 2, 0);
    assert_close(s->y[7], 4, 0);
    assert_close(s->x[11], 21, 0);
    double x0, y0, x1, y1;
    assert_true(qtr_shapes_bbox(s, &x0, &y0, &x1, &y1));
    assert_close(x1, 31, 0);
    assert_close(y1, 10, 0);
    qtr_shapes_free(s);
    for (int i = 0; i < 3; i++)
        GEOSGeom_destroy_r(H, g[i]);

    GEOSGeometry *line = wkt("LINESTRING(0 0,1 1)");
    assert_int_equal(qtr_shapes_from_geos(H, (const GEOSGeometry *const *)&line, 1, &s, &err),
                     QTR_ERR_DATA);
    assert_null(s);
    GEOSGeom_destroy_r(H, line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_l_shape),
        cmocka_unit_test(test_two_blocks),
        cmocka_unit_test(test_corner_contact),
        cmocka_unit_test(test_shapes_from_geos),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
