/*
 * [boundaries] merge (issue 10, the walkthrough): a statistics row that covers two districts
 * together ("Altstadt und Nördliche Vorstadt") joins once their boundaries are merged.
 *
 * Boundaries: tests/data/mini/bezirke.geojson, four 1 km squares 01 Altstadt, 02 Nördliche
 * Vorstadt, 03 Südstadt, 04 Am Mühlbach. Table (joined by name): "Altstadt und Nördliche
 * Vorstadt" 2200 residents, 700 of the group; Südstadt 800, 400; Am Mühlbach 500, 50.
 * By hand: D = 0.5 sum |x_i/X - (t_i - x_i)/(T - X)| with X = 1150, T = 3500 is
 * 0.5 (|700/1150 - 1500/2350| + |400/1150 - 400/2350| + |50/1150 - 450/2350|)
 * = 0.17761332099907493.
 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <gdal.h>
#include <ogr_api.h>

/* Write the analysis (merge line `merge`, may be "") and its table into dir; path of a.ini. */
static void write_analysis(const char *dir, const char *merge, char *ini, size_t size)
{
    char csv[4200];
    snprintf(csv, sizeof csv, "%s/stadtteile.csv", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("Stadtteil;Einwohner;MH\n"
          "Altstadt und Nördliche Vorstadt;2200;700\n"
          "Südstadt;800;400\n"
          "Am Mühlbach;500;50\n",
          f);
    fclose(f);
    snprintf(ini, size, "%s/a.ini", dir);
    f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = out\nmin_population = 100\npermutations = 0\n" /* 1-4 */
            "[boundaries]\nsource = %s\nkey = nr\nname = bezname\n"                /* 5-8 */
            "attribution = test fixture\n"                                        /* 9 */
            "%s\n"                                                                /* 10 */
            "[table st]\nsource = %s\njoin = name\nkey = Stadtteil\n"
            "attribution = test fixture\n"
            "[population]\ntotal = Einwohner\n"
            "[group mh]\nlabel = mit Migrationshintergrund\ncolumn = MH\n",
            qtr_test_path("tests/data/mini/bezirke.geojson"), merge, csv);
    fclose(f);
}

static void test_merged_row_joins(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512], ini[4300], args[9000], gpkg[4300];
    snprintf(dir, sizeof dir, "%s", tmp);

    /* Without the merge the row is reported with the line that would merge them. */
    write_analysis(dir, "", ini, sizeof ini);
    snprintf(args, sizeof args, "check %s", ini);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "in [boundaries]: merge = Altstadt + Nördliche Vorstadt = "
                                "Altstadt und Nördliche Vorstadt"));
    free(out);

    write_analysis(dir, "merge = Altstadt + Nördliche Vorstadt = Altstadt und Nördliche Vorstadt",
                   ini, sizeof ini);
    snprintf(args, sizeof args, "run %s --no-report -q", ini);
    qtr_run_cli_ok(args);
    snprintf(gpkg, sizeof gpkg, "%s/out/quartier.gpkg", dir);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "districts");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 3);
    OGRFeatureH f;
    int seen = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *key = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "key"));
        if (!strcmp(key, "01+02")) {
            assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")),
                                "Altstadt und Nördliche Vorstadt");
            assert_close(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "Einwohner")), 2200, 0);
            /* one polygon of 2 km x 1 km: the shared edge is gone */
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            assert_non_null(g);
            assert_close(OGR_G_Area(g), 2e6, 1e-6);
            seen++;
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 1);

    l = GDALDatasetGetLayerByName(ds, "city_indices");
    assert_non_null(l);
    seen = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "index")),
                    "dissimilarity")) {
            assert_close(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "value")),
                         0.17761332099907493, 1e-12);
            seen++;
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 1);

    l = GDALDatasetGetLayerByName(ds, "join_report");
    assert_non_null(l);
    seen = 0;
    int merged_row = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *kind = OGR_F_GetFieldAsString(f, 0);
        if (!strcmp(kind, "merged_boundaries")) {
            assert_string_equal(OGR_F_GetFieldAsString(f, 2), "01+02");
            assert_non_null(strstr(OGR_F_GetFieldAsString(f, 5),
                                   "made of 01 'Altstadt', 02 'Nördliche Vorstadt'"));
            seen++;
        }
        merged_row += !strcmp(kind, "merged_row");
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 1);
    assert_int_equal(merged_row, 0);
    GDALClose(ds);
}

/* A wrong merge line: check and run exit 2 with the same message naming file and line. */
static void expect_refused(const char *merge, const char *expected)
{
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512], ini[4300], want[5000];
    snprintf(dir, sizeof dir, "%s", tmp);
    write_analysis(dir, merge, ini, sizeof ini);
    snprintf(want, sizeof want, "quartier: error: %s:10: %s\n", ini, expected);
    static const char *cmds[] = {"check", "run"};
    for (int k = 0; k < 2; k++) {
        char args[9000];
        char *out = NULL;
        snprintf(args, sizeof args, "%s %s -q", cmds[k], ini);
        int code = qtr_run_cli(args, &out);
        if (code != 2 || strcmp(out, want))
            fail_msg("%s: exit %d, expected 2; printed:\n%s\nexpected:\n%s", cmds[k], code, out,
                     want);
        free(out);
    }
}

static void test_merge_errors(void **state)
{
    (void)state;
    expect_refused("merge = Altstadt + Südstat",
                   "merge: no feature of the boundaries has the key or name 'Südstat'; closest "
                   "names: 'Südstadt' (key 03)");
    expect_refused("merge = Altstadt + 03, Südstadt + 04",
                   "merge: district 'Südstadt' (key 03) is named twice in two merges; each "
                   "district can be merged only once");
    expect_refused("merge = Altstadt", "merge: 'Altstadt' names one district; merge two or more "
                                       "joined by '+', e.g. merge = Moorburg + Altenwerder = "
                                       "Moorburg und Altenwerder");
}

/* A district stored as two features with one key (a duplicate key): merge = KEY makes it one,
 * with its key and name. */
static void test_key_on_two_features(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char path[4300], ini[4300], args[9000], gpkg[4300];
    snprintf(path, sizeof path, "%s/b.geojson", tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
          "{\"name\": \"urn:ogc:def:crs:EPSG::25832\"}}, \"features\": [\n", f);
    const char *feat = "{\"type\": \"Feature\", \"properties\": {\"nr\": \"%s\", \"n\": \"%s\"}, "
                       "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%d, 5650000], "
                       "[%d, 5650000], [%d, 5651000], [%d, 5651000], [%d, 5650000]]]}}%s\n";
    fprintf(f, feat, "01", "Nord", 470000, 471000, 471000, 470000, 470000, ",");
    fprintf(f, feat, "02", "Süd", 471000, 472000, 472000, 471000, 471000, ",");
    fprintf(f, feat, "02", "Süd", 472000, 473000, 473000, 472000, 472000, "");
    fputs("]}\n", f);
    fclose(f);
    snprintf(ini, sizeof ini, "%s/t.csv", tmp);
    f = fopen(ini, "w");
    assert_non_null(f);
    fputs("nr;ew;mh\n01;1000;100\n02;2000;800\n", f);
    fclose(f);
    snprintf(ini, sizeof ini, "%s/b.ini", tmp);
    f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = out\npermutations = 0\n"
            "[boundaries]\nsource = b.geojson\nkey = nr\nname = n\nattribution = test\n"
            "merge = 02\n"
            "[table t]\nsource = t.csv\nkey = nr\nattribution = test\n"
            "[population]\ntotal = ew\n[group mh]\nlabel = MH\ncolumn = mh\n");
    fclose(f);
    snprintf(args, sizeof args, "run %s -q", ini);
    qtr_run_cli_ok(args);
    snprintf(gpkg, sizeof gpkg, "%s/out/quartier.gpkg", tmp);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "districts");
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 2);
    OGRFeatureH ft;
    int seen = 0;
    while ((ft = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(ft, OGR_F_GetFieldIndex(ft, "key")), "02")) {
            assert_string_equal(OGR_F_GetFieldAsString(ft, OGR_F_GetFieldIndex(ft, "name")), "Süd");
            assert_close(OGR_G_Area(OGR_F_GetGeometryRef(ft)), 2e6, 1e-6);
            assert_close(OGR_F_GetFieldAsDouble(ft, OGR_F_GetFieldIndex(ft, "ew")), 2000, 0);
            seen++;
        }
        OGR_F_Destroy(ft);
    }
    assert_int_equal(seen, 1);
    l = GDALDatasetGetLayerByName(ds, "join_report");
    int dup = 0;
    while ((ft = OGR_L_GetNextFeature(l)) != NULL) {
        dup += !strcmp(OGR_F_GetFieldAsString(ft, 0), "duplicate_boundary_key");
        OGR_F_Destroy(ft);
    }
    assert_int_equal(dup, 0);
    GDALClose(ds);
    /* the report counts the one note (the merge) in the singular */
    snprintf(gpkg, sizeof gpkg, "%s/out/report.html", tmp);
    f = fopen(gpkg, "r");
    assert_non_null(f);
    static char html[1 << 22];
    size_t got = fread(html, 1, sizeof html - 1, f);
    html[got] = '\0';
    fclose(f);
    assert_non_null(strstr(html, "gab es 0 Warnungen und 1 Hinweis (Abschnitt Datenqualität)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_row_joins),
        cmocka_unit_test(test_merge_errors),
        cmocka_unit_test(test_key_on_two_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
