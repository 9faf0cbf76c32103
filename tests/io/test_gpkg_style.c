/*
 * Tests for gpkg_style.c: styles and field docs in a GeoPackage made by OGR,
 * checked with sqlite3, re-read with OGR, and (when installed) GDAL's
 * validate_gpkg and the QGIS acceptance checker in ../shared/tools/qgis.
 */
#include "test_util.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quartier/classify.h"
#include "quartier/gpkg_style.h"
#include "quartier/qml.h"

static char tmpdir[64];
static char gpkg[128];

/* Layers with the same data, one per renderer type checked in QGIS. */
static const char *const layer_names[] = {"districts", "districts_ew", "districts_cand"};

/* 4 squares of 1 km in EPSG:25833; migr_anteil and renewal_candidate have a NULL. */
static void make_layer(GDALDatasetH ds, const char *name)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(srs, 25833), OGRERR_NONE);
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, name, srs, wkbPolygon, NULL);
    assert_non_null(lyr);
    OSRRelease(srs);
    OGRFieldDefnH f = OGR_Fld_Create("district_id", OFTString);
    OGR_L_CreateField(lyr, f, 1);
    OGR_Fld_Destroy(f);
    f = OGR_Fld_Create("name", OFTString);
    OGR_L_CreateField(lyr, f, 1);
    OGR_Fld_Destroy(f);
    f = OGR_Fld_Create("migr_anteil", OFTReal);
    OGR_L_CreateField(lyr, f, 1);
    OGR_Fld_Destroy(f);
    f = OGR_Fld_Create("einwohner", OFTInteger);
    OGR_L_CreateField(lyr, f, 1);
    OGR_Fld_Destroy(f);
    f = OGR_Fld_Create("renewal_candidate", OFTInteger);
    OGR_Fld_SetSubType(f, OFSTBoolean);
    OGR_L_CreateField(lyr, f, 1);
    OGR_Fld_Destroy(f);
    const double val[] = {12.5, 31.0, NAN, 47.25};
    const char *names[] = {"Mitte", "Nord & S\u00fcd", "Gr\xc3\xbcnau", "K\xc3\xb6penick"};
    for (int i = 0; i < 4; i++) {
        OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        char id[16], wkt[256];
        snprintf(id, sizeof id, "0%d", i + 1);
        OGR_F_SetFieldString(ft, 0, id);
        OGR_F_SetFieldString(ft, 1, names[i]);
        if (!isnan(val[i]))
            OGR_F_SetFieldDouble(ft, 2, val[i]);
        else
            OGR_F_SetFieldNull(ft, 2);
        OGR_F_SetFieldInteger(ft, 3, 1000 * (i + 1) + 7);
        if (i == 2)
            OGR_F_SetFieldNull(ft, 4); /* drawn only through the catch-all category */
        else
            OGR_F_SetFieldInteger(ft, 4, i == 3);
        double x = 390000 + 1000.0 * (i % 2), y = 5820000 + 1000.0 * (i / 2);
        snprintf(wkt, sizeof wkt, "POLYGON ((%g %g,%g %g,%g %g,%g %g,%g %g))", x, y, x + 1000, y,
                 x + 1000, y + 1000, x, y + 1000, x, y);
        OGRGeometryH g = NULL;
        char *w = wkt;
        assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
        OGR_F_SetGeometryDirectly(ft, g);
        assert_int_equal(OGR_L_CreateFeature(lyr, ft), OGRERR_NONE);
        OGR_F_Destroy(ft);
    }
}

static void make_gpkg(const char *path)
{
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    assert_non_null(drv);
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    for (size_t i = 0; i < 3; i++)
        make_layer(ds, layer_names[i]);
    GDALClose(ds);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/qtr_gpkg_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(gpkg, sizeof gpkg, "%s/districts.gpkg", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (!getenv("QTR_KEEP_TMP")) {
        unlink(gpkg);
        rmdir(tmpdir);
    }
    return 0;
}

static long parse_long(const char *s)
{
    char *end = NULL;
    long v = strtol(s ? s : "0", &end, 10);
    return end && end != s ? v : 0;
}

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    char *r = strdup(t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return r;
}

/* Styles as the pipeline would make them: quantiles of migr_anteil, NULLs present. */
static void write_styles(void)
{
    double v[] = {12.5, 31.0, NAN, 47.25};
    struct qtr_classes c;
    struct qtr_error err = {0};
    assert_int_equal(qtr_classify(v, 4, QTR_CLASS_QUANTILE, 3, 0, &c, &err), 0);
    struct qtr_rgb col[3];
    assert_int_equal(qtr_palette_colors(QTR_PAL_PURPLES, c.k, col, &err), 0);
    struct qtr_qml_alias al[] = {{"migr_anteil", "Anteil mit Migrationshintergrund (%)"}};
    struct qtr_qml_graduated g = {.field = "migr_anteil",
                                  .k = c.k,
                                  .limits = c.limits,
                                  .colors = col,
                                  .decimals = 1,
                                  .unit = "%",
                                  .method_id = "Quantile",
                                  .null_label = "keine Angabe",
                                  .null_color = qtr_palette_nodata(),
                                  .aliases = al,
                                  .naliases = 1};
    char *q1 = NULL, *q2 = NULL;
    assert_int_equal(qtr_qml_graduated(&g, &q1, &err), 0);
    g.null_label = NULL; /* plain graduated variant (would hide the NULL feature) */
    const char *vals[] = {"1", "0"};
    const char *labs[] = {"Gebiet mit besonderem Aufmerksamkeitsbedarf", "unauff\xc3\xa4llig"};
    struct qtr_rgb cc[2] = {{94, 60, 153}, {224, 224, 224}};
    struct qtr_qml_categorized cat = {.field = "renewal_candidate",
                                      .kind = QTR_QML_BOOL,
                                      .n = 2,
                                      .values = vals,
                                      .colors = cc,
                                      .labels = labs,
                                      .other_label = "keine Angabe",
                                      .other_color = qtr_palette_nodata()};
    assert_int_equal(qtr_qml_categorized(&cat, &q2, &err), 0);
    struct qtr_gpkg_style st[] = {
        {"districts", "migr_anteil_quantile", q1, "Anteil Migration, Quantile", 1, NULL},
        {"districts", "kandidaten", q2, NULL, 0, "2026-01-01T00:00:00.000Z"},
        {"districts_cand", "kandidaten", q2, NULL, 1, NULL}};
    int rc = qtr_gpkg_add_styles(gpkg, st, 3, &err);
    if (rc)
        fail_msg("%s", err.msg);
    free(q1);
    free(q2);
    qtr_classes_release(&c);
}

static void test_styles_and_docs(void **state)
{
    (void)state;
    make_gpkg(gpkg);
    struct qtr_error err = {0};
    write_styles();
    write_styles(); /* idempotent: rows replaced, still one default */
    struct qtr_gpkg_column_doc docs[] = {
        {"districts", "migr_anteil", "Anteil mit Migrationshintergrund (%)",
         "Anteil der Einwohner mit Migrationshintergrund",
         "Quelle: Amt f\xc3\xbcr Statistik Berlin-Brandenburg, Stand 31.12.2023"},
        {"districts", "renewal_candidate", "Aufmerksamkeitsbedarf", NULL, NULL}};
    int rc = qtr_gpkg_add_column_docs(gpkg, docs, 2, &err);
    if (rc)
        fail_msg("%s", err.msg);
    rc = qtr_gpkg_add_column_docs(gpkg, docs, 2, &err); /* again: replaced, not duplicated */
    if (rc)
        fail_msg("%s", err.msg);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(query_int(db, "SELECT count(*) FROM layer_styles WHERE f_table_name = "
                                   "'districts'"),
                     2);
    assert_int_equal(query_int(db, "SELECT count(*) FROM layer_styles WHERE useAsDefault = 1 "
                                   "AND f_table_name = 'districts'"),
                     1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM layer_styles WHERE f_table_schema = '' "
                                   "AND f_table_catalog = '' AND f_table_name = 'districts' AND "
                                   "f_geometry_column = 'geom' AND styleSLD = '' AND owner = '' "
                                   "AND ui IS NULL"),
                     2);
    char *t = query_text(db, "SELECT styleName FROM layer_styles WHERE useAsDefault = 1 AND "
                             "f_table_name = 'districts'");
    assert_string_equal(t, "migr_anteil_quantile");
    free(t);
    t = query_text(db, "SELECT update_time FROM layer_styles WHERE styleName = 'kandidaten' AND "
                       "f_table_name = 'districts'");
    assert_string_equal(t, "2026-01-01T00:00:00.000Z");
    free(t);
    t = query_text(db, "SELECT update_time FROM layer_styles WHERE useAsDefault = 1 AND "
                       "f_table_name = 'districts'");
    assert_int_equal(strlen(t), 24); /* YYYY-MM-DDTHH:MM:SS.sssZ */
    assert_int_equal(t[23], 'Z');
    free(t);
    assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_contents WHERE table_name = "
                                   "'layer_styles' AND data_type = 'attributes' AND srs_id = 0"),
                     1);
    /* the column types QGIS/GDAL declare */
    t = query_text(db, "SELECT type FROM pragma_table_info('layer_styles') WHERE name = "
                       "'useAsDefault'");
    assert_string_equal(t, "BOOLEAN");
    free(t);
    assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_data_columns"), 2);
    t = query_text(db, "SELECT name || '|' || title || '|' || description FROM gpkg_data_columns "
                       "WHERE column_name = 'migr_anteil'");
    assert_string_equal(t, "Anteil mit Migrationshintergrund (%)|Anteil der Einwohner mit "
                           "Migrationshintergrund|Quelle: Amt f\xc3\xbcr Statistik "
                           "Berlin-Brandenburg, Stand 31.12.2023");
    free(t);
    assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_extensions WHERE extension_name = "
                                   "'gpkg_schema' AND scope = 'read-write' AND column_name IS "
                                   "NULL"),
                     2);
    sqlite3_close(db);
    struct stat sb;
    char side[160];
    snprintf(side, sizeof side, "%s-journal", gpkg);
    assert_int_not_equal(stat(side, &sb), 0);

    /* OGR still reads the layer; GDAL >= 3.7 also reads the alias as the field's
     * alternative name (3.6 ignores gpkg_data_columns) */
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "districts");
    assert_non_null(lyr);
    assert_int_equal(OGR_L_GetFeatureCount(lyr, 1), 4);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, OGR_FD_GetFieldIndex(defn, "migr_anteil"));
    assert_non_null(fd);
    if (parse_long(GDALVersionInfo("VERSION_NUM")) >= 3070000)
        assert_string_equal(OGR_Fld_GetAlternativeNameRef(fd),
                            "Anteil mit Migrationshintergrund (%)");
    GDALClose(ds);
}

/* Exit status of a shell command, or -1 when it could not run. */
static int run(const char *cmd)
{
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Run check_outputs.py --require-style --strict; QGIS must apply renderer[i] to layer i. */
static void qgis_check(const char *shared, const char *const *renderer)
{
    char cmd[1024];
    int applied = 0;
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s/tools/qgis/check_outputs.py' --gpkg '%s' --expect-features 4 "
             "--require-style --strict > '%s/q.txt' 2>&1",
             shared, gpkg, tmpdir);
    int st = run(cmd);
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd,
                 "grep -q \"ok    layer '%s': QGIS applied the default style from layer_styles "
                 "(renderer '%s'\" '%s/q.txt'",
                 layer_names[i], renderer[i], tmpdir);
        applied |= run(cmd);
    }
    snprintf(cmd, sizeof cmd, "tail -n 25 '%s/q.txt'; rm -f '%s/q.txt'", tmpdir, tmpdir);
    if (st != 0 || applied != 0) {
        run(cmd);
        fail_msg("check_outputs.py failed (exit %d) or did not apply the styles", st);
    }
    snprintf(cmd, sizeof cmd, "tail -n 1 '%s/q.txt'; rm -f '%s/q.txt'", tmpdir, tmpdir);
    run(cmd);
}

static void test_gdal_validator_and_qgis(void **state)
{
    (void)state;
    if (access(gpkg, R_OK) != 0) {
        make_gpkg(gpkg);
        write_styles();
    }
    char cmd[1024];
    if (run("/usr/bin/python3 -c 'import osgeo_utils.samples.validate_gpkg' 2>/dev/null") != 0) {
        print_message("skipped: GDAL's validate_gpkg (python3-gdal) is not installed\n");
        skip();
    }
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -m osgeo_utils.samples.validate_gpkg -k --extra '%s' > '%s/v.txt' "
             "2>&1",
             gpkg, tmpdir);
    int st = run(cmd);
    snprintf(cmd, sizeof cmd, "cat '%s/v.txt'; rm -f '%s/v.txt'", tmpdir, tmpdir);
    if (st != 0) {
        run(cmd);
        fail_msg("validate_gpkg failed (exit %d)", st);
    }
    run(cmd);
    /* QGIS acceptance checker: the default style is applied and every feature drawn */
    const char *shared = qtr_test_shared_dir();
    if (!shared) {
        print_message("skipped QGIS check: ../shared is absent\n");
        return;
    }
    snprintf(cmd, sizeof cmd, "%s/tools/qgis/check_outputs.py", shared);
    if (access(cmd, R_OK) != 0 ||
        run("/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1") != 0) {
        print_message("skipped QGIS check: PyQGIS or check_outputs.py not available\n");
        return;
    }
    /* a plain graduated default on a column without NULLs for districts_ew */
    double ew[] = {1007, 2007, 3007, 4007};
    struct qtr_classes c;
    struct qtr_error err = {0};
    assert_int_equal(qtr_classify(ew, 4, QTR_CLASS_JENKS, 2, 0, &c, &err), 0);
    struct qtr_rgb col[2];
    assert_int_equal(qtr_palette_colors(QTR_PAL_BLUES, c.k, col, &err), 0);
    struct qtr_qml_graduated g = {.field = "einwohner",
                                  .k = c.k,
                                  .limits = c.limits,
                                  .colors = col,
                                  .decimals = 0,
                                  .unit = "Einw.",
                                  .method_id = "Jenks"};
    char *q = NULL;
    assert_int_equal(qtr_qml_graduated(&g, &q, &err), 0);
    struct qtr_gpkg_style sty = {"districts_ew", "einwohner_jenks", q, NULL, 1, NULL};
    assert_int_equal(qtr_gpkg_add_styles(gpkg, &sty, 1, &err), 0);
    free(q);
    qtr_classes_release(&c);
    /* rule-based graduated (migr_anteil has a NULL), plain graduated, categorized BOOLEAN
     * with its catch-all category */
    const char *const want[] = {"RuleRenderer", "graduatedSymbol", "categorizedSymbol"};
    qgis_check(shared, want);
}

static void test_errors(void **state)
{
    (void)state;
    if (access(gpkg, R_OK) != 0)
        make_gpkg(gpkg);
    struct qtr_error err = {0};
    struct qtr_gpkg_style bad_layer = {"Districts", "x", "<qgis/>", NULL, 1, NULL};
    assert_int_equal(qtr_gpkg_add_styles(gpkg, &bad_layer, 1, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "'Districts'"));
    struct qtr_gpkg_style two[] = {{"districts", "a", "<qgis/>", NULL, 1, NULL},
                                   {"districts", "b", "<qgis/>", NULL, 1, NULL}};
    assert_int_equal(qtr_gpkg_add_styles(gpkg, two, 2, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "both marked as default"));
    struct qtr_gpkg_column_doc bad_col = {"districts", "bewohner", "Bewohner", NULL, NULL};
    assert_int_equal(qtr_gpkg_add_column_docs(gpkg, &bad_col, 1, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "columns: fid, geom, district_id"));
    struct qtr_gpkg_column_doc dup[] = {{"districts", "name", "Name", NULL, NULL},
                                        {"districts", "district_id", "Name", NULL, NULL}};
    assert_int_equal(qtr_gpkg_add_column_docs(gpkg, dup, 2, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "unique"));
    /* the failed call was rolled back: no row for 'name' */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(query_int(db, "SELECT count(*) FROM gpkg_data_columns WHERE column_name = "
                                   "'name'"),
                     0);
    sqlite3_close(db);
    char path[160];
    snprintf(path, sizeof path, "%s/missing.gpkg", tmpdir);
    assert_int_equal(qtr_gpkg_add_styles(path, two, 1, &err), QTR_ERR_IO);
    assert_int_not_equal(access(path, F_OK), 0); /* not created */
    snprintf(path, sizeof path, "%s/plain.sqlite", tmpdir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(qtr_gpkg_add_styles(path, two, 1, &err), QTR_ERR_IO);
    assert_non_null(strstr(err.msg, "not a GeoPackage"));
    unlink(path);
}

/* A fixed update_time also fixes gpkg_contents.last_change of layer_styles. */
static void test_fixed_timestamps(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/fixed.gpkg", tmpdir);
    make_gpkg(path);
    struct qtr_error err = {0};
    struct qtr_gpkg_style st = {"districts", "s", "<qgis/>", NULL, 1, "2024-02-01T00:00:00.000Z"};
    assert_int_equal(qtr_gpkg_add_styles(path, &st, 1, &err), 0);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char *t = query_text(db, "SELECT last_change FROM gpkg_contents WHERE table_name = "
                             "'layer_styles'");
    assert_string_equal(t, "2024-02-01T00:00:00.000Z");
    free(t);
    t = query_text(db, "SELECT update_time FROM layer_styles");
    assert_string_equal(t, "2024-02-01T00:00:00.000Z");
    free(t);
    sqlite3_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_styles_and_docs),
        cmocka_unit_test(test_gdal_validator_and_qgis),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fixed_timestamps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
