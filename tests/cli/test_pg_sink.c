/*
 * PostgreSQL/PostGIS as the sink (issue 14, part 3), against the throw-away server of
 * scripts/pg-test-server (skipped without QTR_PG):
 *   - output = PG:... schema=NAME puts every layer of the run's GeoPackage into the schema,
 *     value for value, its styles into layer_styles and the field descriptions into column
 *     comments; the files go to the folder NAME beside the analysis file;
 *   - a run that fails or is killed before the swap leaves the previous schema and its styles
 *     untouched, and the next run clears the staging schema it left;
 *   - headless QGIS opens the layers from PostgreSQL styled (tests/cli/qgis_pg_check.py).
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "cli/pg_util.h"

#include <time.h>

static const struct qtr_pg_swap musterstadt[] = QTR_PG_MUSTERSTADT;

#define SCHEMA "qtr_sink_test"

/* Run the analysis file with SOURCE_DATE_EPOCH=epoch and `env` (or ""); the exit status. */
static int run(const char *ini, long epoch, const char *env, char **out)
{
    char args[4000];
    snprintf(args, sizeof args, "run '%s' -q --permutations 19", ini);
    char envs[256];
    snprintf(envs, sizeof envs, "%ld", epoch);
    setenv("SOURCE_DATE_EPOCH", envs, 1);
    if (env && *env) {
        const char *eq = strchr(env, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - env), env);
        setenv(name, eq + 1, 1);
        int rc = qtr_run_cli(args, out);
        unsetenv(name);
        return rc;
    }
    return qtr_run_cli(args, out);
}

/* How many styles the run's GeoPackage holds: the schema's layer_styles must have as many. */
static char nstyles[32];

static void count_gpkg_styles(const char *gpkg)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetExecuteSQL(ds, "SELECT count(*) FROM layer_styles", NULL, NULL);
    assert_non_null(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    assert_non_null(f);
    snprintf(nstyles, sizeof nstyles, "%s", OGR_F_GetFieldAsString(f, 0));
    assert_true(atoi(nstyles) > 50); /* a style per styled column of every layer */
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    GDALClose(ds);
}

static void nap(void)
{
    const struct timespec t = {0, 100000000};
    nanosleep(&t, NULL);
}

static void test_sink(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    const char *tmp = qtr_temp_dir();
    char ini[600], output[2200], gpkg[800], pgconn[2200], folder[700];
    snprintf(ini, sizeof ini, "%s/musterstadt.ini", tmp);
    snprintf(output, sizeof output, "PG:%s password=geheim-4711 schema=" SCHEMA, pg);
    assert_int_equal(qtr_pg_rewrite_ini_to(qtr_test_path("geodata/musterstadt/analysis.ini"), ini,
                                           pg, musterstadt,
                                           sizeof musterstadt / sizeof musterstadt[0], output),
                     0);
    char *out = NULL;
    /* start from nothing: a schema of an earlier test run goes */
    free(pg_value(pg, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE"));

    /* 1. a run into the schema */
    int rc = run(ini, 1000000000L, NULL, &out);
    if (rc != 0)
        fail_msg("run failed (%d):\n%s", rc, out);
    assert_null(strstr(out, "geheim"));
    assert_non_null(strstr(out, "PostgreSQL: PG:"));
    /* the files in the folder named after the schema, beside the analysis file */
    snprintf(folder, sizeof folder, "%s/" SCHEMA, tmp);
    snprintf(gpkg, sizeof gpkg, "%s/quartier.gpkg", folder);
    assert_true(qtr_file_exists(gpkg));
    count_gpkg_styles(gpkg);
    char report[900];
    snprintf(report, sizeof report, "%s/report.html", folder);
    assert_true(qtr_file_exists(report));
    /* every layer, value for value */
    snprintf(pgconn, sizeof pgconn, "PG:%s active_schema=" SCHEMA " tables=" SCHEMA
             ".districts," SCHEMA ".candidate_areas," SCHEMA ".city_indices," SCHEMA
             ".join_report," SCHEMA ".multiscalar_profile," SCHEMA ".change," SCHEMA ".goals,"
             SCHEMA ".run_info", pg);
    static const char *const skip_layers[] = {"layer_styles", NULL};
    int nlayers = 0;
    assert_int_equal(qtr_pg_compare_gpkg(gpkg, pgconn, skip_layers, NULL, &nlayers), 0);
    assert_int_equal(nlayers, 8);
    /* the styles and comments */
    assert_pg_value(pg,
                    "SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA
                    "' AND f_table_catalog = current_database()",
                    nstyles);
    assert_pg_value(pg,
                    "SELECT f_table_name || ':' || stylename FROM layer_styles WHERE "
                    "f_table_schema = '" SCHEMA "' AND useasdefault AND f_table_name = "
                    "'districts'",
                    "districts:status_dynamics");
    assert_pg_value(pg,
                    "SELECT col_description('" SCHEMA ".districts'::regclass, attnum) FROM "
                    "pg_attribute WHERE attrelid = '" SCHEMA ".districts'::regclass AND "
                    "attname = 'key'",
                    "Schlüssel des Gebiets aus der Grenzdatei");
    assert_pg_value(pg,
                    "SELECT value FROM " SCHEMA ".run_info WHERE item = 'date'",
                    "2001-09-09T01:46:40.000Z");
    /* no password in the database either */
    assert_pg_value(pg,
                    "SELECT count(*) FROM " SCHEMA ".run_info WHERE value LIKE '%geheim%'", "0");

    /* 2. a run that fails before the swap, and one killed there: the schema stays as it was */
    rc = run(ini, 1100000000L, "QTR_TEST_FAIL_AT=pg-staged", &out);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "pg-staged"));
    rc = run(ini, 1200000000L, "QTR_TEST_KILL_AT=pg-staged", &out);
    assert_int_not_equal(rc, 0);
    assert_pg_value(pg, "SELECT value FROM " SCHEMA ".run_info WHERE item = 'date'",
                    "2001-09-09T01:46:40.000Z");
    assert_pg_value(pg, "SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA "'",
                    nstyles);
    /* the killed run left its staging schema behind */
    assert_pg_value(pg,
                    "SELECT count(*) FROM pg_namespace WHERE nspname = '" SCHEMA "_qtr_staging'",
                    "1");
    /* a run that fails earlier (before any writing) leaves it too */
    rc = run(ini, 1300000000L, "QTR_TEST_FAIL_AT=written", &out);
    assert_int_equal(rc, 1);
    assert_pg_value(pg, "SELECT value FROM " SCHEMA ".run_info WHERE item = 'date'",
                    "2001-09-09T01:46:40.000Z");

    /* 3. the next run replaces the schema and clears what the killed run left */
    rc = run(ini, 1400000000L, NULL, &out);
    if (rc != 0)
        fail_msg("run failed (%d):\n%s", rc, out);
    assert_pg_value(pg, "SELECT value FROM " SCHEMA ".run_info WHERE item = 'date'",
                    "2014-05-13T16:53:20.000Z");
    assert_pg_value(pg,
                    "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '" SCHEMA "_qtr_%'",
                    "0");
    assert_pg_value(pg, "SELECT count(*) FROM layer_styles WHERE f_table_schema = '" SCHEMA "'",
                    nstyles);

    /* 4. while one run holds the schema (waiting after staging), a second run from another
     * folder into the same schema is refused at once; the first then finishes */
    const char *tmp2 = qtr_temp_dir();
    char ini2[600], go[700], done[700], bg[5000];
    snprintf(ini2, sizeof ini2, "%s/other.ini", tmp2);
    snprintf(go, sizeof go, "%s/go", tmp2);
    snprintf(done, sizeof done, "%s/done", tmp2);
    assert_int_equal(qtr_pg_rewrite_ini_to(qtr_test_path("geodata/musterstadt/analysis.ini"),
                                           ini2, pg, musterstadt,
                                           sizeof musterstadt / sizeof musterstadt[0], output),
                     0);
    snprintf(bg, sizeof bg,
             "(QTR_TEST_WAIT_AT='pg-staged:%s' '%s' run '%s' -q --permutations 0 "
             ">/dev/null 2>&1; echo $? > '%s') &",
             go, getenv("QTR_BIN") ? getenv("QTR_BIN") : "build/quartier", ini, done);
    assert_int_equal(system(bg), 0);
    /* wait until the first run has staged its tables */
    for (int i = 0; i < 600; i++) {
        char *v = pg_value(pg, "SELECT count(*) FROM pg_tables WHERE schemaname = '" SCHEMA
                               "_qtr_staging' AND tablename = 'run_info'");
        int staged = !strcmp(v, "1");
        free(v);
        if (staged)
            break;
        nap();
    }
    rc = run(ini2, 1500000000L, NULL, &out);
    if (rc != 1 || !strstr(out, "another quartier run is writing schema " SCHEMA))
        fail_msg("second run: expected exit 1 (schema in use), got %d:\n%s", rc, out);
    FILE *gf = fopen(go, "w");
    assert_non_null(gf);
    fclose(gf);
    for (int i = 0; i < 1200 && !qtr_file_exists(done); i++)
        nap();
    assert_true(qtr_file_exists(done));
    assert_pg_value(pg, "SELECT value FROM " SCHEMA ".run_info WHERE item = 'date'",
                    "2014-05-13T16:53:20.000Z");
    unsetenv("SOURCE_DATE_EPOCH");

    /* 5. QGIS opens the layers from PostgreSQL with their styles */
    if (!qtr_have_qgis()) {
        print_message("QGIS check skipped: QGIS python bindings not installed\n");
        return;
    }
    char cmd[8000], log[700];
    snprintf(log, sizeof log, "%s/qgis.txt", tmp);
    snprintf(cmd, sizeof cmd,
             "QT_QPA_PLATFORM=offscreen /usr/bin/python3 '%s' --conn '%s' --schema " SCHEMA
             " --gpkg '%s' > '%s' 2>&1",
             qtr_test_path("tests/cli/qgis_pg_check.py"), pg, gpkg, log);
    rc = system(cmd);
    if (rc != 0) {
        snprintf(cmd, sizeof cmd, "cat '%s'", log);
        if (system(cmd) != 0)
            print_message("(no output)\n");
    }
    assert_int_equal(rc, 0);
}

/* A schema name that is not a plain SQL name, or none, is a mistake of the analysis file. */
static void test_bad_schema(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    const char *tmp = qtr_temp_dir();
    char ini[600], output[2200];
    snprintf(ini, sizeof ini, "%s/musterstadt.ini", tmp);
    static const char *const bad[] = {"schema=Gross", "schema=a;drop", ""};
    for (size_t k = 0; k < 3; k++) {
        snprintf(output, sizeof output, "PG:%s password=geheim %s", pg, bad[k]);
        assert_int_equal(
            qtr_pg_rewrite_ini_to(qtr_test_path("geodata/musterstadt/analysis.ini"), ini, pg,
                                  musterstadt, sizeof musterstadt / sizeof musterstadt[0],
                                  output),
            0);
        char *out = NULL;
        int rc = run(ini, 1000000000L, NULL, &out);
        if (rc != 2 || !strstr(out, "schema") || strstr(out, "geheim"))
            fail_msg("'%s': expected exit 2 naming the schema, got %d:\n%s", bad[k], rc, out);
    }
    unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_schema),
        cmocka_unit_test(test_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
