/*
 * test_publish_qgis.c - the published GeoPackage in the independent checker
 * (../shared/tools/qgis/check_outputs.py: GDAL's validator, RFC 7946, and QGIS
 * 3.22 headless: every layer valid, the default style applied, every feature
 * drawn), on Musterstadt, Berlin 2021 and a GeoPackage with the extra layers
 * another stage may add. Skips when PyQGIS is not installed.
 */
#include "../test_util.h"

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>

#include "cli_util.h"
#include "publish_util.h"
#include "quartier/pipeline.h"

#define FIXTURE "tests/data/publish/analysis.ini"

/* The independent checker: GDAL's validator, RFC 7946, and QGIS itself. */
static int have_qgis(void)
{
    return system("/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1") == 0;
}

static void run_checker(const char *dir, int geojson)
{
    const char *shared = getenv("QTR_SHARED_DIR");
    char checker[4096], cmd[16384];
    snprintf(checker, sizeof checker, "%s/tools/qgis/check_outputs.py",
             shared ? shared : "../shared");
    if (!qtr_file_exists(checker)) {
        print_message("skipped: %s not found\n", checker);
        skip();
    }
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s' --gpkg '%s/quartier.gpkg' %s%s%s --require-style --strict "
             "> '%s/check.txt' 2>&1",
             checker, dir, geojson ? "--geojson '" : "", geojson ? dir : "",
             geojson ? "/districts.geojson'" : "", dir);
    int rc = system(cmd);
    if (rc != 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/check.txt", dir);
        char *log = slurp(path, NULL);
        print_message("%s\n", log ? log : "(no output)");
        free(log);
    }
    assert_int_equal(rc, 0);
}

static void test_qgis_musterstadt(void **state)
{
    (void)state;
    if (!have_qgis()) {
        print_message("skipped: QGIS python bindings not installed "
                      "(/usr/bin/python3 -c 'import qgis.core' fails)\n");
        skip();
    }
    const char *tmp = qtr_temp_dir();
    char args[8192];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 0",
             qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    run_checker(tmp, 1);
}

static void test_qgis_berlin(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    if (!have_qgis()) {
        print_message("skipped: QGIS python bindings not installed\n");
        skip();
    }
    const char *tmp = qtr_temp_dir();
    char args[8192];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 0",
             qtr_test_path("geodata/berlin/berlin-2021.ini"), tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    run_checker(tmp, 1);
}

/* Copy the geometry of districts feature `fid` into a new feature of `dst` with a text and an
 * integer attribute (text NULL: no text field). */
static void add_copy(OGRLayerH districts, GIntBig fid, OGRLayerH dst, const char *text, int value)
{
    OGRFeatureH src = OGR_L_GetFeature(districts, fid);
    assert_non_null(src);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(dst));
    OGR_F_SetGeometry(f, OGR_F_GetGeometryRef(src));
    if (text)
        OGR_F_SetFieldString(f, 0, text);
    OGR_F_SetFieldInteger(f, text ? 1 : 0, value);
    assert_int_equal(OGR_L_CreateFeature(dst, f), OGRERR_NONE);
    OGR_F_Destroy(f);
    OGR_F_Destroy(src);
}

/* Layers another stage may add (LISA clusters, candidate areas) are styled too. */
static void test_other_layers(void **state)
{
    (void)state;
    const char *dir = qtr_temp_dir();
    assert_non_null(dir);
    struct qtr_error err = {0};
    struct qtr_config cfg;
    struct qtr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    struct qtr_state *st = NULL;
    qtr_config_init(&cfg);
    assert_int_equal(qtr_config_load(qtr_test_path(FIXTURE), &cfg, &err), 0);
    assert_int_equal(qtr_ctx_init(&ctx, &err), 0);
    ctx.seed = cfg.seed;
    if (qtr_pipeline_load(&ctx, &cfg, &st, &err) || qtr_pipeline_compute(&ctx, &cfg, st, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(qtr_run_date(ctx.run_date, &ctx.run_date_fixed, &err), 0);
    if (qtr_pipeline_write(&ctx, &cfg, st, dir, &err))
        fail_msg("%s", err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/quartier.gpkg", dir);
    assert_string_equal(st->gpkg_path, path);

    static const char *const drivers[] = {"GPKG", NULL};
    GDALDatasetH ds =
        GDALOpenEx(st->gpkg_path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH d = GDALDatasetGetLayerByName(ds, "districts");
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(d);
    char **lco = CSLSetNameValue(NULL, "GEOMETRY_NAME", "geom");
    OGRLayerH cl = GDALDatasetCreateLayer(ds, "clusters", srs, wkbMultiPolygon, lco);
    OGRLayerH ca = GDALDatasetCreateLayer(ds, "candidate_areas", srs, wkbMultiPolygon, lco);
    CSLDestroy(lco);
    assert_non_null(cl);
    assert_non_null(ca);
    /* as the spatial stage writes them: cluster type as text, the LQ flag as a number */
    OGRFieldDefnH fd = OGR_Fld_Create("cluster", OFTString);
    assert_int_equal(OGR_L_CreateField(cl, fd, 1), OGRERR_NONE);
    OGR_Fld_Destroy(fd);
    fd = OGR_Fld_Create("mh_lq_high", OFTInteger);
    assert_int_equal(OGR_L_CreateField(cl, fd, 1), OGRERR_NONE);
    OGR_Fld_Destroy(fd);
    fd = OGR_Fld_Create("districts", OFTInteger);
    assert_int_equal(OGR_L_CreateField(ca, fd, 1), OGRERR_NONE);
    OGR_Fld_Destroy(fd);
    add_copy(d, 1, cl, "hoch-hoch", 1);
    add_copy(d, 2, cl, "nicht signifikant", 0);
    add_copy(d, 3, cl, "unbekannt", 7); /* unknown values: drawn grey, not hidden */
    add_copy(d, 1, ca, NULL, 1);
    GDALClose(ds);

    if (qtr_pipeline_publish(&ctx, &cfg, st, dir, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(st->gpkg_path, path);
    ds = open_out(dir, "quartier.gpkg");
    char *v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE f_table_name = 'clusters' "
                           "AND useAsDefault");
    assert_string_equal(v, "cluster");
    free(v);
    v = sql_text(ds, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'clusters' AND "
                     "styleName = 'cluster'");
    assert_non_null(strstr(v, "value=\"hoch-hoch\""));
    assert_non_null(strstr(v, "215,25,28")); /* GeoDa red for high-high */
    free(v);
    /* a field the run did not make is not styled by guessing from its name's suffix (the
     * run here made no mh_lq_high: no spatial stage) */
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM layer_styles WHERE f_table_name = "
                                  "'clusters' AND styleName = 'mh_lq_high'"),
                     0);
    v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE f_table_name = "
                     "'candidate_areas' AND useAsDefault");
    assert_string_equal(v, "outline");
    free(v);
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM gpkg_data_columns WHERE table_name = "
                                  "'clusters' AND column_name = 'cluster'"),
                     1);
    GDALClose(ds);
    qtr_state_free(st);
    qtr_ctx_release(&ctx);
    qtr_config_release(&cfg);
    if (!have_qgis()) {
        print_message("QGIS check skipped: QGIS python bindings not installed\n");
        return;
    }
    run_checker(dir, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qgis_musterstadt),
        cmocka_unit_test(test_qgis_berlin),
        cmocka_unit_test(test_other_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
