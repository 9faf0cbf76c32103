/*
 * test_holes.c - qtr_geom_close_small_holes and qtr_geom_union_groups (geom.h): the gaps a
 * union of districts leaves are closed, real holes stay. Areas by hand.
 */
#include "test_util.h"

#include <geos_c.h>

#include "quartier/error.h"
#include "quartier/geom.h"

static GEOSContextHandle_t H;

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(H);
    GEOSGeometry *g = GEOSWKTReader_read_r(H, r, s);
    GEOSWKTReader_destroy_r(H, r);
    assert_non_null(g);
    return g;
}

static int holes(const GEOSGeometry *g)
{
    int n = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(H, g); i++)
        n += GEOSGetNumInteriorRings_r(H, GEOSGetGeometryN_r(H, g, i));
    return n;
}

/* A 100 m square with a 10 m square hole (100 m²) and a 30 m square hole (900 m²), and a
 * second square without holes: below 500 m² only the small hole closes. */
static void test_close_small_holes(void **state)
{
    (void)state;
    H = GEOS_init_r();
    GEOSGeometry *g = wkt("MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0),"
                          "(10 10,20 10,20 20,10 20,10 10),(50 50,80 50,80 80,50 80,50 50)),"
                          "((200 0,210 0,210 10,200 10,200 0)))");
    GEOSGeometry *c = (GEOSGeometry *)qtr_geom_close_small_holes(H, (const void *)g, 500);
    assert_non_null(c);
    assert_int_equal(GEOSGeomTypeId_r(H, c), GEOS_MULTIPOLYGON);
    assert_int_equal(GEOSGetNumGeometries_r(H, c), 2);
    assert_int_equal(holes(c), 1);
    double a = 0;
    assert_true(GEOSArea_r(H, c, &a));
    assert_close(a, 10000 - 900 + 100, 1e-9);
    GEOSGeom_destroy_r(H, c);
    /* a polygon: the result is a multipolygon of one, both holes closed below 1000 m² */
    GEOSGeometry *p = wkt("POLYGON((0 0,100 0,100 100,0 100,0 0),"
                          "(10 10,20 10,20 20,10 20,10 10),(50 50,80 50,80 80,50 80,50 50))");
    c = (GEOSGeometry *)qtr_geom_close_small_holes(H, (const void *)p, 1000);
    assert_non_null(c);
    assert_int_equal(holes(c), 0);
    assert_true(GEOSArea_r(H, c, &a));
    assert_close(a, 10000, 1e-9);
    GEOSGeom_destroy_r(H, c);
    /* not a polygon: nothing */
    GEOSGeometry *l = wkt("LINESTRING(0 0,1 1)");
    assert_null(qtr_geom_close_small_holes(H, (const void *)l, 1));
    GEOSGeom_destroy_r(H, l);
    GEOSGeom_destroy_r(H, p);
    GEOSGeom_destroy_r(H, g);
    GEOS_finish_r(H);
}

/* Four districts around a 1 m × 20 m gap (20 m²) and a fifth in a second group: the union of
 * the first group keeps the gap as a hole with min_hole 0 and closes it with min_hole 500. */
static void test_union_groups_closes_gaps(void **state)
{
    (void)state;
    H = GEOS_init_r();
    GEOSGeometry *g[5] = {
        wkt("POLYGON((0 0,100 0,100 40,0 40,0 0))"),
        wkt("POLYGON((0 60,100 60,100 100,0 100,0 60))"),
        wkt("POLYGON((0 40,40 40,40 60,0 60,0 40))"),
        wkt("POLYGON((41 40,100 40,100 60,41 60,41 40))"),
        wkt("POLYGON((200 0,210 0,210 10,200 10,200 0))"),
    };
    size_t group[5] = {0, 0, 0, 0, 1};
    double want[2][2] = {{9980, 100}, {10000, 100}}; /* [min_hole 0 / 500][group] */
    int want_holes[2] = {1, 0};
    double min_hole[2] = {0, 500};
    for (int t = 0; t < 2; t++) {
        struct GEOSGeom_t **u = NULL;
        size_t failed = 99;
        struct qtr_error err = {0};
        assert_int_equal(qtr_geom_union_groups(H, (const struct GEOSGeom_t *const *)g, 5, group,
                                               2, min_hole[t], &u, &failed, &err),
                         QTR_OK);
        for (int k = 0; k < 2; k++) {
            double a = 0;
            assert_true(GEOSArea_r(H, (const GEOSGeometry *)u[k], &a));
            assert_close(a, want[t][k], 1e-9);
        }
        const GEOSGeometry *u0 = (const GEOSGeometry *)u[0];
        int h = GEOSGeomTypeId_r(H, u0) == GEOS_POLYGON ? GEOSGetNumInteriorRings_r(H, u0)
                                                         : holes(u0);
        assert_int_equal(h, want_holes[t]);
        qtr_geoms_free(H, u, 2);
    }
    for (int k = 0; k < 5; k++)
        GEOSGeom_destroy_r(H, g[k]);
    GEOS_finish_r(H);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_close_small_holes),
                                       cmocka_unit_test(test_union_groups_closes_gaps)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
