/*
 * End-to-end runs on the real open data in ../shared/data (skipped where it is absent):
 * Berlin 2020 (448 Planungsräume with a duplicated key), Berlin 2021 (542 + MSS 2021,
 * reproducing the published status and dynamics classes), Hamburg (join by name), and the
 * project's own Musterstadt.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "cli/webmap_check.h"

#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>

static long count_features(const char *path, const char *layer)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds)
        return -1;
    OGRLayerH l = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    long n = l ? (long)OGR_L_GetFeatureCount(l, 1) : -1;
    GDALClose(ds);
    return n;
}

/* GDAL's GeoPackage validator (python3-gdal), when installed. */
static void validate_gpkg(const char *path)
{
    const char *v = "/usr/share/doc/python3-gdal/examples/validate_gpkg.py";
    if (!qtr_file_exists(v)) {
        print_message("note: %s not installed, GeoPackage validation skipped\n", v);
        return;
    }
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s '%s' 2>&1", v, path);
    int rc = system(cmd);
    assert_int_equal(rc, 0);
}

/* Count the join-report rows of a kind, optionally only for a key or name. */
static int report_count(const char *gpkg, const char *kind, const char *key, const char *name)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "join_report");
    assert_non_null(l);
    int c = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, 0), kind) &&
            (!key || !strcmp(OGR_F_GetFieldAsString(f, 2), key)) &&
            (!name || !strcmp(OGR_F_GetFieldAsString(f, 3), name)))
            c++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return c;
}

/* A value of the change table: row of index (and component, "" = the total), column. */
static double change_value(const char *gpkg, const char *index, const char *component,
                           const char *column)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "change");
    assert_non_null(l);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    int ii = OGR_FD_GetFieldIndex(d, "index"), ic = OGR_FD_GetFieldIndex(d, "component");
    int iv = OGR_FD_GetFieldIndex(d, column);
    assert_true(ii >= 0 && ic >= 0 && iv >= 0);
    double v = NAN;
    int found = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *c = OGR_F_IsFieldSetAndNotNull(f, ic) ? OGR_F_GetFieldAsString(f, ic) : "";
        if (!strcmp(OGR_F_GetFieldAsString(f, ii), index) && !strcmp(c, component)) {
            v = OGR_F_GetFieldAsDouble(f, iv);
            found++;
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    if (found != 1)
        fail_msg("change table: %d rows for %s/%s", found, index, component);
    return v;
}

static double city_value(const char *gpkg, const char *index)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "city_indices");
    assert_non_null(l);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    int ii = OGR_FD_GetFieldIndex(d, "index"), ig = OGR_FD_GetFieldIndex(d, "group");
    int iv = OGR_FD_GetFieldIndex(d, "value");
    double v = NAN;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *g = OGR_F_IsFieldSetAndNotNull(f, ig) ? OGR_F_GetFieldAsString(f, ig) : "";
        if (!strcmp(OGR_F_GetFieldAsString(f, ii), index) && !*g)
            v = OGR_F_GetFieldAsDouble(f, iv);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return v;
}

static void run_ok(const char *ini, const char *outdir)
{
    char args[10000];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 19", qtr_test_path(ini), outdir);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("quartier %s failed (%d):\n%s", args, rc, out);
    free(out);
}

static void test_berlin_2020(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    char gpkg[512], json[512];
    snprintf(gpkg, sizeof gpkg, "%s/quartier.gpkg", tmp);
    snprintf(json, sizeof json, "%s/districts.geojson", tmp);
    run_ok("geodata/berlin/berlin-2020.ini", tmp);
    validate_gpkg(gpkg);
    /* Every feature is present, the duplicate too. */
    assert_int_equal(count_features(gpkg, "districts"), 448);
    assert_int_equal(count_features(json, NULL), 448);
    /* The duplicated key and the statistics key that has no boundary are named. */
    assert_int_equal(report_count(gpkg, "duplicate_boundary_key", "06010102", NULL), 1);
    assert_int_equal(report_count(gpkg, "no_boundary", "04030417", NULL), 2);
    /* 09041403 did not exist in 2015: reported for the 2015 table only. */
    assert_int_equal(report_count(gpkg, "no_statistics", "09041403", NULL), 1);
    assert_true(count_features(gpkg, "city_indices") > 20);

    /* The decomposition of the change in M 2015 -> 2020 over the three mutually exclusive
     * groups, against R segregation::mutual_difference(method = "shapley", precision =
     * 1e-14) on the same 436 and 438 usable Planungsräume (issue 13): the terms add up to
     * the difference of the two dates' M, and the current M is city_indices' M. */
    const char *mi = "mutual_information";
    assert_close(change_value(gpkg, mi, "", "previous"), 0.0673782084764241, 1e-12);
    assert_close(change_value(gpkg, mi, "", "current"), 0.0558588615, 1e-9);
    assert_close(change_value(gpkg, mi, "", "current"), city_value(gpkg, mi), 1e-15);
    assert_close(change_value(gpkg, mi, "", "difference"), -0.0115193470, 1e-9);
    assert_close(change_value(gpkg, mi, "additions", "difference"), 0.0001113599, 1e-9);
    assert_close(change_value(gpkg, mi, "removals", "difference"), 0.0, 1e-9);
    assert_close(change_value(gpkg, mi, "group_composition", "difference"),
                        0.00639352977, 1e-9);
    assert_close(change_value(gpkg, mi, "district_composition", "difference"),
                        -5.65995e-05, 1e-9);
    assert_close(change_value(gpkg, mi, "distribution", "difference"), -0.0179676371,
                        1e-9);
    assert_close(change_value(gpkg, mi, "", "n_previous"), 436, 0);
    assert_close(change_value(gpkg, mi, "", "n_current"), 438, 0);
}

static void test_berlin_2021_mss(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    char gpkg[512];
    snprintf(gpkg, sizeof gpkg, "%s/quartier.gpkg", tmp);
    run_ok("geodata/berlin/berlin-2021.ini", tmp);
    validate_gpkg(gpkg);
    assert_int_equal(count_features(gpkg, "districts"), 542);
    /* The published MSS 2021 classes (SI_N 1..4, DI_N coded 1/3/5) for all 536 valid ones. */
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "districts");
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    int iv = OGR_FD_GetFieldIndex(d, "renewal_validity");
    int is = OGR_FD_GetFieldIndex(d, "status_code"), isn = OGR_FD_GetFieldIndex(d, "SI_N");
    int id = OGR_FD_GetFieldIndex(d, "dynamics_code"), idn = OGR_FD_GetFieldIndex(d, "DI_N");
    assert_true(iv >= 0 && is >= 0 && isn >= 0 && id >= 0 && idn >= 0);
    int valid = 0, status_ok = 0, dyn_ok = 0, invalid = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, iv), "gültig")) {
            valid++;
            status_ok += OGR_F_GetFieldAsInteger(f, is) == OGR_F_GetFieldAsInteger(f, isn);
            dyn_ok += OGR_F_GetFieldAsInteger(f, id) == (OGR_F_GetFieldAsInteger(f, idn) + 1) / 2;
        } else {
            invalid++;
            assert_false(OGR_F_IsFieldSetAndNotNull(f, is));
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    assert_int_equal(valid, 536);
    assert_int_equal(invalid, 6);
    assert_int_equal(status_ok, 536);
    assert_int_equal(dyn_ok, 536);
    /*
     * Complementary groups (issue 10 §2): residents with and without a migration background
     * add up to all residents, so D, Gini and Eta² are the same number for both, and they
     * carry the same p-value and interval; isolation differs and keeps its own.
     */
    ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    static const char *const shared_idx[] = {"dissimilarity", "gini", "correlation_ratio"};
    static const char *const fields[] = {"value", "p_value", "ci_low", "ci_high", "expected"};
    for (size_t k = 0; k < 3; k++)
        for (size_t j = 0; j < 5; j++) {
            char sql[400];
            snprintf(sql, sizeof sql,
                     "SELECT a.%s AS x, b.%s AS y FROM city_indices a, city_indices b WHERE "
                     "a.\"index\" = '%s' AND b.\"index\" = '%s' AND a.\"group\" = 'mh' AND "
                     "b.\"group\" = 'dt_ohne_mh'",
                     fields[j], fields[j], shared_idx[k], shared_idx[k]);
            OGRLayerH q = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
            assert_non_null(q);
            OGRFeatureH g = OGR_L_GetNextFeature(q);
            assert_non_null(g);
            double x = OGR_F_GetFieldAsDouble(g, 0), y = OGR_F_GetFieldAsDouble(g, 1);
            if (fabs(x - y) > 1e-12 * fmax(1, fabs(x)))
                fail_msg("%s %s: mh %.17g, dt_ohne_mh %.17g", shared_idx[k], fields[j], x, y);
            OGR_F_Destroy(g);
            GDALDatasetReleaseResultSet(ds, q);
        }
    OGRLayerH q = GDALDatasetExecuteSQL(ds,
                                        "SELECT a.value AS x, b.value AS y FROM city_indices a, "
                                        "city_indices b WHERE a.\"index\" = 'isolation' AND "
                                        "b.\"index\" = 'isolation' AND a.\"group\" = 'mh' AND "
                                        "b.\"group\" = 'dt_ohne_mh'",
                                        NULL, NULL);
    assert_non_null(q);
    f = OGR_L_GetNextFeature(q);
    assert_non_null(f);
    assert_true(fabs(OGR_F_GetFieldAsDouble(f, 0) - OGR_F_GetFieldAsDouble(f, 1)) > 0.1);
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, q);
    GDALClose(ds);
    /*
     * report.html with its interactive map stays below 5 MB (issue 11): 9.45 MB before,
     * with the inline SVG maps only; 4.16 MB with compact SVG and the map.
     */
    char html[600];
    snprintf(html, sizeof html, "%s/report.html", tmp);
    struct stat sb;
    assert_int_equal(stat(html, &sb), 0);
    print_message("Berlin 2021 report.html: %lld bytes\n", (long long)sb.st_size);
    assert_true(sb.st_size < 5000000);
    webmap_browser_check(tmp, 542, 0);
}

static void test_hamburg_names(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char args[10000];
    snprintf(args, sizeof args, "check %s -q",
             qtr_test_path("geodata/hamburg/hamburg-2013.ini"));
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    /* Neuwerk has no row; the four pairs of Stadtteile that one row covers together are
     * merged by [boundaries] merge and joined, each reported with its members. */
    assert_non_null(strstr(out, "district without statistics (1)"));
    assert_non_null(strstr(out, "0121 \"Neuwerk\" [profile] district has no row"));
    const char *merged[] = {
        "0117+0118 \"Kleiner Grasbrook und Steinwerder\" [boundaries] made of 0117 'Kleiner "
        "Grasbrook', 0118 'Steinwerder'",
        "0119+0120 \"Waltershof und Finkenwerder\" [boundaries] made of 0119 'Waltershof', 0120 "
        "'Finkenwerder'",
        "0702+0703 \"Neuland und Gut Moor\" [boundaries] made of 0702 'Neuland', 0703 'Gut Moor'",
        "0711+0712 \"Moorburg und Altenwerder\" [boundaries] made of 0711 'Moorburg', 0712 "
        "'Altenwerder'"};
    for (size_t i = 0; i < sizeof merged / sizeof merged[0]; i++)
        if (!strstr(out, merged[i]))
            fail_msg("'%s' missing from the report:\n%s", merged[i], out);
    /* ... the ambiguous Bezirk names, the city row. */
    const char *named[] = {"\"Eimsbüttel\" [profile] name 'Eimsbüttel'",
                           "\"Wandsbek\" [profile] name 'Wandsbek'",
                           "\"Bergedorf\" [profile] name 'Bergedorf'",
                           "\"Harburg\" [profile] name 'Harburg'",
                           "\"Hamburg\" [profile] line 108 of table 'profile' matches no district"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strstr(out, named[i]))
            fail_msg("'%s' missing from the report:\n%s", named[i], out);
    assert_null(strstr(out, "row covering several districts"));
    assert_non_null(strstr(out, "name shared by several rows or districts (4)"));
    assert_non_null(strstr(out, "Joined: 99 of 100 districts"));
    free(out);
    /* Strict mode refuses the ambiguous join. */
    snprintf(args, sizeof args, "check %s -q --strict",
             qtr_test_path("geodata/hamburg/hamburg-2013.ini"));
    assert_int_equal(qtr_run_cli(args, &out), 1);
    free(out);
}

static void test_musterstadt(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char gpkg[512];
    snprintf(gpkg, sizeof gpkg, "%s/quartier.gpkg", tmp);
    run_ok("geodata/musterstadt/analysis.ini", tmp);
    validate_gpkg(gpkg);
    assert_int_equal(count_features(gpkg, "districts"), 120);
    assert_int_equal(count_features(gpkg, "goals"), 3);
    /* The small harbour district is reported and kept out. */
    assert_int_equal(report_count(gpkg, "small_population", "068", NULL), 1);
}

/* The same inputs and seed give byte-identical outputs, whatever the number of threads
 * (SOURCE_DATE_EPOCH fixes the timestamps GDAL writes). */
static void test_deterministic(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char args[10000], cmd[10000];
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    setenv("OMP_NUM_THREADS", "1", 1);
    snprintf(args, sizeof args, "run %s -o %s/first -q --permutations 19",
             qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    setenv("OMP_NUM_THREADS", "2", 1);
    snprintf(args, sizeof args, "run %s -o %s/second -q --permutations 19",
             qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    /* the whole folder: GeoPackage, GeoJSON, tables, maps and report */
    snprintf(cmd, sizeof cmd, "diff -r '%s/first' '%s/second' >/dev/null", tmp, tmp);
    assert_int_equal(system(cmd), 0);
    unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin_2020),
        cmocka_unit_test(test_berlin_2021_mss),
        cmocka_unit_test(test_hamburg_names),
        cmocka_unit_test(test_musterstadt),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
