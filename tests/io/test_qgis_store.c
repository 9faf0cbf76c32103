/*
 * Tests for the QGIS project storage of qgis_project.c without QGIS: the
 * table layout QGIS 3.22 creates (qgis_projects(name, metadata, content)),
 * content as lowercase hex of a zip ("PK\3\4") holding <name>.qgs, the
 * metadata's time from the run's date, the same bytes for the same date,
 * replacement of a project of the same name, and reading it back.
 */
#include "test_util.h"

#include <sqlite3.h>
#include <unistd.h>

#include "quartier/qgis_project.h"

static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/qtr-qgis-store-%ld.gpkg", (long)getpid());
    unlink(path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 1196444487", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static char *query_text(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void test_round_trip(void **state)
{
    (void)state;
    struct qtr_error err = {0};
    const char *qgs = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                      "<qgis projectname=\"Gr\xc3\xbcnau\"><title>Gr\xc3\xbcnau</title></qgis>\n";
    assert_int_equal(qtr_qgis_store(path, "quartier", qgs, "2026-01-01T00:00:00.000Z", &err), 0);
    char *schema = query_text("SELECT sql FROM sqlite_master WHERE name = 'qgis_projects'");
    assert_non_null(schema);
    assert_non_null(strstr(schema, "name TEXT PRIMARY KEY, metadata BLOB, content BLOB"));
    free(schema);
    char *meta = query_text("SELECT metadata FROM qgis_projects WHERE name = 'quartier'");
    assert_non_null(meta);
    assert_non_null(strstr(meta, "\"last_modified_time\": \"2026-01-01T00:00:00\""));
    free(meta);
    char *hex = query_text("SELECT content FROM qgis_projects WHERE name = 'quartier'");
    assert_non_null(hex);
    /* a zip's local file header, in QByteArray::toHex()'s lowercase */
    assert_true(!strncmp(hex, "504b0304", 8));
    for (const char *p = hex; *p; p++)
        assert_true((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
    char *back = NULL;
    assert_int_equal(qtr_qgis_load(path, "quartier", &back, &err), 0);
    assert_string_equal(back, qgs);
    free(back);
    /* the same date gives the same bytes; a second store replaces the row */
    assert_int_equal(qtr_qgis_store(path, "quartier", qgs, "2026-01-01T00:00:00.000Z", &err), 0);
    char *hex2 = query_text("SELECT content FROM qgis_projects WHERE name = 'quartier'");
    assert_string_equal(hex, hex2);
    free(hex2);
    free(hex);
    char *n = query_text("SELECT count(*) FROM qgis_projects");
    assert_string_equal(n, "1");
    free(n);
}

static void test_missing_project(void **state)
{
    (void)state;
    struct qtr_error err = {0};
    char *back = NULL;
    assert_int_equal(qtr_qgis_store(path, "quartier", "<qgis/>", NULL, &err), 0);
    assert_int_equal(qtr_qgis_load(path, "other", &back, &err), QTR_ERR_IO);
    assert_null(back);
    assert_non_null(strstr(err.msg, "no QGIS project 'other'"));
}

static void test_plan_needs_districts(void **state)
{
    (void)state;
    struct qtr_error err = {0};
    struct qtr_qgis_plan *plan = NULL;
    assert_int_equal(qtr_qgis_plan_begin(&plan, NULL, 0, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(qtr_qgis_plan_map(plan, "status", "Status", NULL, NULL, NULL, NULL, &err), 0);
    /* a GeoPackage without gpkg_contents / districts is not quartier's output */
    assert_int_equal(qtr_qgis_plan_write(plan, path, NULL, &err), QTR_ERR_IO);
    qtr_qgis_plan_free(plan);
    /* no plan (publish did not run): nothing to do */
    assert_int_equal(qtr_qgis_plan_write(NULL, path, NULL, &err), 0);
    assert_int_equal(qtr_qgis_plan_map(NULL, "status", "x", NULL, NULL, NULL, NULL, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_project, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_needs_districts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
