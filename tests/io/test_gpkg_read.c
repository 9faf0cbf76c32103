/*
 * Tests for gpkg_read.c: a GeoPackage made with OGR (a districts layer, an
 * attribute-only table and a candidate-areas layer) read back by part of a
 * layer name.
 */
#include "test_util.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <unistd.h>

#include "quartier/ctx.h"
#include "quartier/gpkg_read.h"

static char dir[64], path[128];

static void add_layer(GDALDatasetH ds, const char *name, OGRwkbGeometryType type,
                      const char *const *wkt, size_t n)
{
    OGRSpatialReferenceH srs = NULL;
    if (type != wkbNone) {
        srs = OSRNewSpatialReference(NULL);
        assert_int_equal(OSRImportFromEPSG(srs, 25832), OGRERR_NONE);
    }
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, srs, type, NULL);
    assert_non_null(l);
    if (srs)
        OSRRelease(srs);
    OGRFieldDefnH fd = OGR_Fld_Create("id", OFTInteger);
    OGR_L_CreateField(l, fd, 1);
    OGR_Fld_Destroy(fd);
    for (size_t i = 0; i < n; i++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        OGR_F_SetFieldInteger(f, 0, (int)i + 1);
        if (wkt && wkt[i]) {
            OGRGeometryH g = NULL;
            char *w = (char *)wkt[i];
            assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
            OGR_F_SetGeometryDirectly(f, g);
        }
        assert_int_equal(OGR_L_CreateFeature(l, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
}

static int setup(void **state)
{
    (void)state;
    GDALAllRegister();
    snprintf(dir, sizeof dir, "/tmp/qtr_gpkgread_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/t.gpkg", dir);
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        return -1;
    static const char *const districts[] = {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"};
    add_layer(ds, "districts", wkbPolygon, districts, 1);
    /* an attribute table whose name also contains "candidate": not polygonal, skipped */
    add_layer(ds, "candidate_reasons", wkbNone, NULL, 2);
    static const char *const areas[] = {
        "MULTIPOLYGON (((100 100, 200 100, 200 200, 100 200, 100 100), (120 120, 130 120, "
        "130 130, 120 130, 120 120)), ((300 100, 400 100, 400 150, 300 100)))",
        NULL, "MULTIPOLYGON (((500 0, 600 0, 600 50, 500 0)))"};
    add_layer(ds, "Renewal_Candidate_Areas", wkbMultiPolygon, areas, 3);
    GDALClose(ds);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (!getenv("QTR_KEEP_TMP")) {
        unlink(path);
        rmdir(dir);
    }
    return 0;
}

static void test_read(void **state)
{
    (void)state;
    struct qtr_ctx ctx = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_ctx_init(&ctx, &err), 0);
    struct qtr_shapes *s = NULL;
    char name[64] = "";
    assert_int_equal(qtr_gpkg_read_polygons(&ctx, path, "CANDIDATE", &s, name, sizeof name, &err),
                     0);
    assert_non_null(s);
    assert_string_equal(name, "Renewal_Candidate_Areas");
    /* 3 features: 2 polygons (one with a hole), none, 1 triangle */
    assert_int_equal(s->n, 3);
    assert_int_equal(s->feat_ring[1] - s->feat_ring[0], 3);
    assert_int_equal(s->feat_ring[2] - s->feat_ring[1], 0);
    assert_int_equal(s->feat_ring[3] - s->feat_ring[2], 1);
    assert_int_equal(s->nrings, 4);
    assert_int_equal(s->ring_hole[1], 1);
    assert_int_equal(s->npoints, 5 + 5 + 4 + 4);
    double x0, y0, x1, y1;
    assert_int_equal(qtr_shapes_bbox(s, &x0, &y0, &x1, &y1), 1);
    assert_close(x0, 100, 0);
    assert_close(y0, 0, 0);
    assert_close(x1, 600, 0);
    assert_close(y1, 200, 0);
    qtr_shapes_free(s);

    /* no such layer: QTR_OK and NULL */
    s = (struct qtr_shapes *)&err; /* must be overwritten */
    assert_int_equal(qtr_gpkg_read_polygons(&ctx, path, "lisa", &s, NULL, 0, &err), 0);
    assert_null(s);
    assert_int_equal(
        qtr_gpkg_read_polygons(&ctx, "/nonexistent/x.gpkg", "candidate", &s, NULL, 0, &err),
        QTR_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.gpkg"));
    qtr_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
