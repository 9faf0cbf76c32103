/*
 * The batch over regions from and into PostgreSQL/PostGIS (issue 14 §4), against the
 * throw-away server (skipped without QTR_PG or ../shared):
 *   - Berlin 2021 by Bezirk (prefix:2) with its boundaries and tables read from the server
 *     gives, region by region, the same GeoPackage values as the batch from the files;
 *   - written into the server (output = PG:... schema=qtr_bezirke), every region's schema
 *     qtr_bezirke_KEY holds the values of the file batch's GeoPackage of that region, and
 *     schema qtr_bezirke the comparison table `regions`; headless QGIS opens a region's
 *     layers from its schema styled;
 *   - a batch in which one region fails after staging leaves that region's schema as the
 *     previous batch wrote it and writes the others; a region killed after staging changes
 *     no schema; `--compare` and `--region` work on the server alone;
 *   - the regions' schema names (qtr_region_schema_name) and the refusal of names that
 *     collide or are too long.
 */
#include "test_util.h"

#include "cli/batch_util.h"
#include "cli/cli_util.h"
#include "cli/pg_util.h"

#include "quartier/region.h"

static const struct qtr_pg_swap berlin[] = QTR_PG_BERLIN;

#define SCHEMA "qtr_bezirke"

static const struct qtr_pg_swap hamburg[] = {
    {"hamburg-district-regions.geojson", "hamburg.stadtteile"},
    {"Daten_fuer_die_Stadtteilprofile_2014.csv", "hamburg.profile"},
};

static const char *const keys[] = {"01", "02", "03", "04", "05", "06",
                                   "07", "08", "09", "10", "11", "12"};

/* The date in run_info of schema `schema`. */
static void assert_date(const char *pg, const char *schema, const char *want)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT value FROM %s.run_info WHERE item = 'date'", schema);
    assert_pg_value(pg, sql, want);
}

/* Every layer of GeoPackage `gpkg` but run_info and layer_styles equals schema `schema`
 * (at least `min` layers). */
static void assert_schema_equals(const char *pg, const char *schema, const char *gpkg, int min)
{
    char conn[2400];
    snprintf(conn, sizeof conn, "PG:%s schemas=%s", pg, schema);
    static const char *const skip_layers[] = {"run_info", "layer_styles", NULL};
    int nlayers = 0;
    if (qtr_pg_compare_gpkg(gpkg, conn, skip_layers, NULL, &nlayers) != 0)
        fail_msg("schema %s differs from %s", schema, gpkg);
    assert_true(nlayers >= min);
}

/* quartier run INI [-o OUT] --jobs 2 ...; fails the test unless it exits `want`. The output
 * (caller frees). */
static char *run_batch(const char *ini, const char *out, const char *more, int want)
{
    char args[4096];
    char *o = NULL;
    snprintf(args, sizeof args, "run %s %s%s --permutations 9 --no-report %s", ini,
             out ? "-o " : "", out ? out : "", more);
    int rc = qtr_run_cli(args, &o);
    if (rc != want)
        fail_msg("quartier %s: exit %d, expected %d\n%s", args, rc, want, o);
    return o;
}

static void test_berlin_bezirke_from_pg(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    char pg_ini[700], out_file[700], out_pg[700], output[2200];
    const char *file_ini =
        batch_ini(shared, "geodata/berlin/berlin-2021.ini", tmp, "\n[batch]\nby = prefix:2\n");
    snprintf(pg_ini, sizeof pg_ini, "%s/pg.ini", tmp);
    snprintf(out_file, sizeof out_file, "%s/file", tmp);
    /* the files of a batch into PostgreSQL go to the folder SCHEMA beside the analysis file */
    snprintf(out_pg, sizeof out_pg, "%s/" SCHEMA, tmp);
    snprintf(output, sizeof output, "PG:%s schema=" SCHEMA, pg);
    assert_int_equal(
        qtr_pg_rewrite_ini_to(file_ini, pg_ini, pg, berlin, sizeof berlin / sizeof *berlin, output),
        0);
    /* start from nothing: the schemas of an earlier test run go */
    free(pg_value(pg, "DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace "
                      "WHERE nspname LIKE '" SCHEMA "%' LOOP EXECUTE 'DROP SCHEMA ' || s || "
                      "' CASCADE'; END LOOP; END $$"));
    setenv("SOURCE_DATE_EPOCH", "1000000000", 1);
    free(run_batch(file_ini, out_file, "--jobs 2 -q", 0));
    char *o = run_batch(pg_ini, NULL, "--jobs 2 -q", 0);
    assert_non_null(strstr(o, "12 ok, 0 failed"));
    assert_non_null(strstr(o, "PostgreSQL: PG:"));
    free(o);
    static const char *const skip_layers[] = {"run_info", "layer_styles", NULL};
    char a[900], b[900];
    for (size_t k = 0; k < 12; k++) {
        snprintf(a, sizeof a, "%s/regions/%s/quartier.gpkg", out_file, keys[k]);
        snprintf(b, sizeof b, "%s/regions/%s/quartier.gpkg", out_pg, keys[k]);
        int nlayers = 0;
        if (qtr_pg_compare_gpkg(a, b, skip_layers, NULL, &nlayers) != 0)
            fail_msg("region %s: the GeoPackages from files and from PostgreSQL differ", keys[k]);
        assert_true(nlayers >= 3);
        /* the region's schema holds the file batch's values */
        char schema[64];
        snprintf(schema, sizeof schema, SCHEMA "_%s", keys[k]);
        assert_schema_equals(pg, schema, a, 5);
        assert_date(pg, schema, "2001-09-09T01:46:40.000Z");
    }
    /* every region's styles went to layer_styles, none of them to another region's rows */
    assert_pg_value(pg,
                    "SELECT count(DISTINCT f_table_schema) FROM layer_styles WHERE "
                    "f_table_schema LIKE '" SCHEMA "\\_%'",
                    "12");
    assert_pg_value(pg,
                    "SELECT count(*) FROM (SELECT f_table_schema, count(*) AS n FROM "
                    "layer_styles WHERE f_table_schema LIKE '" SCHEMA "\\_%' GROUP BY 1) s "
                    "WHERE n <> (SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA
                    "_01')",
                    "0");
    /* the comparison: the same from files and from PostgreSQL, and in schema SCHEMA */
    snprintf(a, sizeof a, "%s/comparison/comparison.gpkg", out_file);
    snprintf(b, sizeof b, "%s/comparison/comparison.gpkg", out_pg);
    int nlayers = 0;
    assert_int_equal(qtr_pg_compare_gpkg(a, b, skip_layers, NULL, &nlayers), 0);
    assert_int_equal(nlayers, 1);
    assert_schema_equals(pg, SCHEMA, a, 1);
    /* and its layer is styled for QGIS there too */
    assert_pg_value(pg,
                    "SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA
                    "' AND f_table_name = 'regions' AND useasdefault",
                    "1");
    assert_pg_value(pg, "SELECT count(*) FROM " SCHEMA ".regions WHERE outcome = 'ok'", "12");
    /* this test's staging schemas only: test_pg_sink may stage its own at the same time */
    assert_pg_value(pg,
                    "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" SCHEMA
                    "%' AND nspname LIKE '%\\_qtr\\_%'",
                    "0");
    /* QGIS opens a region's layers from its schema styled (tests/cli/qgis_pg_check.py) */
    if (system("/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1") == 0) {
        char cmd[12000];
        snprintf(cmd, sizeof cmd,
                 "QT_QPA_PLATFORM=offscreen /usr/bin/python3 '%s' --conn '%s' --schema " SCHEMA
                 "_11 --gpkg '%s/regions/11/quartier.gpkg' >/dev/null 2>&1",
                 qtr_test_path("tests/cli/qgis_pg_check.py"), pg, out_pg);
        assert_int_equal(system(cmd), 0);
    } else {
        print_message("QGIS check skipped: QGIS python bindings not installed\n");
    }

    /* a batch in which region 05 fails after staging its tables: its schema stays as the
     * first batch wrote it, the other regions are written anew, the comparison says so */
    setenv("SOURCE_DATE_EPOCH", "1100000000", 1);
    setenv("QTR_TEST_FAIL_AT", "pg-staged-05", 1);
    o = run_batch(pg_ini, NULL, "--jobs 2", 1);
    unsetenv("QTR_TEST_FAIL_AT");
    assert_non_null(strstr(o, "11 ok, 1 failed"));
    const char *c = strstr(o, "\n  05 ");
    assert_non_null(c);
    assert_non_null(strstr(c, "failed"));
    assert_non_null(strstr(c, "pg-staged-05"));
    free(o);
    for (size_t k = 0; k < 12; k++) {
        char schema[64];
        snprintf(schema, sizeof schema, SCHEMA "_%s", keys[k]);
        assert_date(pg, schema,
                    !strcmp(keys[k], "05") ? "2001-09-09T01:46:40.000Z"
                                           : "2004-11-09T11:33:20.000Z");
    }
    snprintf(a, sizeof a, "%s/regions/05/quartier.gpkg", out_file);
    assert_schema_equals(pg, SCHEMA "_05", a, 5);
    assert_pg_value(pg,
                    "SELECT (SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA
                    "_05') = (SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA
                    "_04') AND (SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA
                    "_05') > 0",
                    "1");
    assert_pg_value(pg,
                    "SELECT outcome || ':' || (dissimilarity_mh IS NULL) FROM " SCHEMA
                    ".regions WHERE region = '05'",
                    "failed:true");
    assert_pg_value(pg, "SELECT count(*) FROM " SCHEMA ".regions WHERE outcome = 'ok'", "11");

    /* --compare reads every region from the server: 05 from its (first) schema */
    o = run_batch(pg_ini, NULL, "--compare -q", 0);
    assert_non_null(strstr(o, "12 of 12 regions have results in their schemas " SCHEMA "_KEY"));
    free(o);
    assert_pg_value(pg, "SELECT count(*) FROM " SCHEMA ".regions WHERE outcome = 'ok'", "12");

    /* region 05 alone, killed after staging (a job runner's task that dies): no schema
     * changes, its staging schema stays behind */
    setenv("SOURCE_DATE_EPOCH", "1200000000", 1);
    setenv("QTR_TEST_KILL_AT", "pg-staged-05", 1);
    char args[1024];
    snprintf(args, sizeof args, "run %s --region 05 -q --permutations 9 --no-report", pg_ini);
    assert_int_not_equal(qtr_run_cli(args, &o), 0);
    unsetenv("QTR_TEST_KILL_AT");
    free(o);
    for (size_t k = 0; k < 12; k++) {
        char schema[64];
        snprintf(schema, sizeof schema, SCHEMA "_%s", keys[k]);
        assert_date(pg, schema,
                    !strcmp(keys[k], "05") ? "2001-09-09T01:46:40.000Z"
                                           : "2004-11-09T11:33:20.000Z");
    }
    assert_pg_value(pg,
                    "SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE '" SCHEMA
                    "%' AND nspname LIKE '%\\_qtr\\_%'",
                    SCHEMA "_05_qtr_staging");

    /* one region per process (a job runner): region 05 again, now as the others; what the
     * killed task left is cleared */
    setenv("SOURCE_DATE_EPOCH", "1100000000", 1);
    o = run_batch(pg_ini, NULL, "--region 05 -q", 0);
    free(o);
    assert_date(pg, SCHEMA "_05", "2004-11-09T11:33:20.000Z");
    assert_schema_equals(pg, SCHEMA "_05", a, 5);
    /* this test's staging schemas only: test_pg_sink may stage its own at the same time */
    assert_pg_value(pg,
                    "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" SCHEMA
                    "%' AND nspname LIKE '%\\_qtr\\_%'",
                    "0");
    unsetenv("SOURCE_DATE_EPOCH");
}

/* The schema of each region: the batch's schema, _, the key in lower case with every other
 * character as _; names that collide, are too long or look like an unfinished write are
 * refused before any region runs. */
/*
 * Hamburg's 7 Bezirke (column district_id) with the Stadtteile and the profile table (text
 * columns, joined by name, four pairs merged by the analysis file) read from the server give,
 * region by region, the values of the batch from the files. The join reports differ only in
 * naming a query's row ("row N") where the file has a line ("line N").
 */
static void test_hamburg_bezirke_from_pg(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    char pg_ini[700], out_file[700], out_pg[700];
    const char *file_ini = batch_ini(shared, "geodata/hamburg/hamburg-2013.ini", tmp,
                                     "\n[batch]\nby = district_id\nname = district_name\n");
    snprintf(pg_ini, sizeof pg_ini, "%s/pg.ini", tmp);
    snprintf(out_file, sizeof out_file, "%s/file", tmp);
    snprintf(out_pg, sizeof out_pg, "%s/pg", tmp);
    assert_int_equal(qtr_pg_rewrite_ini(file_ini, pg_ini, pg, hamburg,
                                        sizeof hamburg / sizeof *hamburg),
                     0);
    setenv("SOURCE_DATE_EPOCH", "1000000000", 1);
    free(run_batch(file_ini, out_file, "--jobs 2 -q", 0));
    char *o = run_batch(pg_ini, out_pg, "--jobs 2 -q", 0);
    assert_non_null(strstr(o, "7 ok, 0 failed"));
    free(o);
    static const char *const hh[] = {"01", "02", "03", "04", "05", "06", "07"};
    static const char *const skip_layers[] = {"run_info", "layer_styles", "join_report", NULL};
    char a[900], b[900];
    for (size_t k = 0; k < 7; k++) {
        snprintf(a, sizeof a, "%s/regions/%s/quartier.gpkg", out_file, hh[k]);
        snprintf(b, sizeof b, "%s/regions/%s/quartier.gpkg", out_pg, hh[k]);
        int nlayers = 0;
        if (qtr_pg_compare_gpkg(a, b, skip_layers, NULL, &nlayers) != 0)
            fail_msg("region %s: the GeoPackages from files and from PostgreSQL differ", hh[k]);
        assert_true(nlayers >= 3);
    }
    snprintf(a, sizeof a, "%s/comparison/comparison.gpkg", out_file);
    snprintf(b, sizeof b, "%s/comparison/comparison.gpkg", out_pg);
    int nlayers = 0;
    static const char *const skip_cmp[] = {"run_info", "layer_styles", NULL};
    assert_int_equal(qtr_pg_compare_gpkg(a, b, skip_cmp, NULL, &nlayers), 0);
    assert_int_equal(nlayers, 1);
    /* the city row of the profiles, which matches no district, by its line and by its row */
    char *jf = NULL, *jp = NULL;
    snprintf(a, sizeof a, "%s/regions/01/tables/join_report.csv", out_file);
    snprintf(b, sizeof b, "%s/regions/01/tables/join_report.csv", out_pg);
    jf = qtr_read_file(a, NULL);
    jp = qtr_read_file(b, NULL);
    assert_non_null(jf);
    assert_non_null(jp);
    if (!strstr(jf, "line 108 of table 'profile'") || !strstr(jp, "row 107 of table 'profile'"))
        fail_msg("join reports:\n%s\n---\n%s", jf, jp);
    free(jf);
    free(jp);
}

static void test_region_schema_names(void **state)
{
    (void)state;
    char *n = qtr_region_schema_name("quartier", "11");
    assert_string_equal(n, "quartier_11");
    free(n);
    n = qtr_region_schema_name("seg_2024", "Ab-c.1 ä");
    assert_string_equal(n, "seg_2024_ab_c_1___"); /* ä is two bytes */
    free(n);

    struct qtr_config cfg = {.batch_by = "AGS"};
    char *k1[] = {"A1", "B"}, *k2[] = {"a-1", "a_1"}, *k3[] = {"x_qtr_old"},
         *k4[] = {"0123456789012345678901234567890123456789"};
    struct qtr_regions r = {.n = 2, .key = k1};
    struct qtr_error err = {0};
    assert_int_equal(qtr_regions_check_schemas(&cfg, &r, "q", &err), QTR_OK);
    r.key = k2;
    assert_int_equal(qtr_regions_check_schemas(&cfg, &r, "q", &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "'a-1' and 'a_1'"));
    assert_non_null(strstr(err.msg, "schema q_a_1"));
    r.n = 1;
    r.key = k3;
    assert_int_equal(qtr_regions_check_schemas(&cfg, &r, "q", &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "q_x_qtr_old"));
    r.key = k4;
    assert_int_equal(qtr_regions_check_schemas(&cfg, &r, "quartier", &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "longer than 48"));
    assert_int_equal(qtr_regions_check_schemas(&cfg, &r, "q", &err), QTR_OK);
}

/* A batch into a server that cannot be reached fails at once, naming it (no password). */
static void test_batch_pg_unreachable(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char ini[700], args[1024];
    snprintf(ini, sizeof ini, "%s/b.ini", tmp);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = PG:host=%s/nosocket dbname=nirgends password=geheim "
            "schema=quartier\n"
            "[boundaries]\nsource = %s\nkey = nr\nattribution = test\n"
            "[table ew]\nsource = %s\nkey = Bezirk\nheader_row = 3\nattribution = test\n"
            "[population]\ntotal = Einwohner\n"
            "[group mh]\nlabel = MH\ncolumn = mit Migrationshintergrund\n"
            "[batch]\nby = prefix:1\n",
            tmp, qtr_test_path("tests/data/mini/bezirke.geojson"),
            qtr_test_path("tests/data/mini/stats.csv"));
    fclose(f);
    char *out = NULL;
    snprintf(args, sizeof args, "run %s -q --no-report --permutations 0", ini);
    int rc = qtr_run_cli(args, &out);
    if (rc != 1 || !strstr(out, "dbname=nirgends") || strstr(out, "geheim"))
        fail_msg("expected exit 1 naming the server without its password, got %d:\n%s", rc, out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_schema_names),
        cmocka_unit_test(test_batch_pg_unreachable),
        cmocka_unit_test(test_berlin_bezirke_from_pg),
        cmocka_unit_test(test_hamburg_bezirke_from_pg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
