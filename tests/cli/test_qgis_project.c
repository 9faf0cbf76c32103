/*
 * test_qgis_project.c - the QGIS project quartier stores in its GeoPackage,
 * opened by QGIS 3.22 itself (tests/qgis/check_project.py, headless): layers
 * valid and read from the GeoPackage (also after moving it), groups in order,
 * the status map visible on opening, classified styles, aliases, and one print
 * layout per report map with map, legend, scale bar, north arrow, title and
 * source line, each exported to PNG (QTR_KEEP_PNG=DIR keeps them to look at).
 * Musterstadt in German and English, Berlin 2021 when ../shared is there.
 * The QGIS parts skip when PyQGIS is not installed; without QGIS the small publish
 * fixture checks relative datasources, a layout per map and the same bytes for the same
 * SOURCE_DATE_EPOCH. The storage itself (zip, hex, table) is
 * checked without QGIS by io/test_qgis_store.
 */
#include "../test_util.h"

#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "publish_util.h"
#include "quartier/qgis_project.h"

static void check_project(const char *dir, const char *lang, const char *what)
{
    char cmd[16384], png[4096];
    const char *keep = getenv("QTR_KEEP_PNG");
    if (keep)
        snprintf(png, sizeof png, "%s/%s", keep, what);
    else
        snprintf(png, sizeof png, "%s/png", dir);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s' --gpkg '%s/quartier.gpkg' --lang %s --expect-status --move "
             "--png-dir '%s' > '%s/qgis.txt' 2>&1",
             qtr_test_path("tests/qgis/check_project.py"), dir, lang, png, dir);
    int rc = system(cmd);
    char path[4096];
    snprintf(path, sizeof path, "%s/qgis.txt", dir);
    char *log = qtr_read_file(path, NULL);
    if (rc != 0)
        print_message("%s\n", log ? log : "(no output)");
    /* every report map has its layout: one PNG per map of OUTDIR/maps */
    assert_int_equal(rc, 0);
    assert_non_null(log);
    assert_non_null(strstr(log, "0 failure(s)"));
    free(log);
}

static void run_opt(const char *ini, const char *dir, const char *opt)
{
    char args[10000];
    snprintf(args, sizeof args, "run '%s' -o '%s' -q --permutations 0%s", ini, dir, opt);
    qtr_run_cli_ok(args);
}

static void run(const char *ini, const char *dir)
{
    run_opt(ini, dir, "");
}

static void test_musterstadt_de(void **state)
{
    (void)state;
    QTR_REQUIRE_QGIS();
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    run(qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    check_project(tmp, "de", "musterstadt");
}

static void test_musterstadt_en(void **state)
{
    (void)state;
    QTR_REQUIRE_QGIS();
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char ini[600], dir[600];
    snprintf(ini, sizeof ini, "%s/analysis-en.ini", tmp);
    snprintf(dir, sizeof dir, "%s/out", tmp);
    qtr_english_musterstadt_ini(ini);
    run(ini, dir);
    check_project(dir, "en", "musterstadt-en");
}

static void test_berlin_2021(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    QTR_REQUIRE_QGIS();
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    run(qtr_test_path("geodata/berlin/berlin-2021.ini"), tmp);
    check_project(tmp, "de", "berlin-2021");
}

static char *project_hex(const char *gpkg)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *hex = NULL;
    assert_int_equal(sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT content FROM qgis_projects WHERE name = "
                                            "'quartier'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    hex = malloc(strlen(t) + 1);
    assert_non_null(hex);
    memcpy(hex, t, strlen(t) + 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return hex;
}

/* Without QGIS: the small fixture's project names its layers relative to the GeoPackage,
 * holds a layout per report map, and two runs with SOURCE_DATE_EPOCH store the same bytes;
 * a run with --no-report stores the same project too (its layouts are described, not drawn). */
static void test_project_written(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char a[600], b[600], c[600], ga[700], gb[700], gc[700];
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    snprintf(c, sizeof c, "%s/c", tmp);
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    run(qtr_test_path("tests/data/publish/analysis.ini"), a);
    run(qtr_test_path("tests/data/publish/analysis.ini"), b);
    run_opt(qtr_test_path("tests/data/publish/analysis.ini"), c, " --no-report");
    unsetenv("SOURCE_DATE_EPOCH");
    snprintf(ga, sizeof ga, "%s/quartier.gpkg", a);
    snprintf(gb, sizeof gb, "%s/quartier.gpkg", b);
    snprintf(gc, sizeof gc, "%s/quartier.gpkg", c);
    char *ha = project_hex(ga), *hb = project_hex(gb), *hc = project_hex(gc);
    assert_string_equal(ha, hb);
    assert_string_equal(ha, hc);
    free(ha);
    free(hb);
    free(hc);
    char nomaps[700];
    snprintf(nomaps, sizeof nomaps, "%s/maps", c);
    assert_int_equal(access(nomaps, F_OK), -1); /* nothing drawn */
    snprintf(nomaps, sizeof nomaps, "%s/report.html", c);
    assert_int_equal(access(nomaps, F_OK), -1);
    struct qtr_error err = {0};
    char *qgs = NULL;
    assert_int_equal(qtr_qgis_load(ga, QTR_QGIS_PROJECT_NAME, &qgs, &err), 0);
    assert_non_null(strstr(qgs, "<datasource>./quartier.gpkg|layername=districts</datasource>"));
    assert_null(strstr(qgs, tmp)); /* no absolute path: the file can move */
    assert_non_null(strstr(qgs, "name=\"Tabellen\""));
    assert_non_null(strstr(qgs, "<title>Kleinstadt veröffentlicht</title>"));
    /* one layout per map of OUTDIR/maps (*.png) */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "ls '%s/maps' | grep -c '\\.png$'", a);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int nmaps = 0;
    assert_int_equal(fscanf(p, "%d", &nmaps), 1);
    pclose(p);
    int nlayouts = 0;
    for (const char *s = qgs; (s = strstr(s, "<Layout ")) != NULL; s++)
        nlayouts++;
    assert_true(nmaps > 0);
    assert_int_equal(nlayouts, nmaps);
    free(qgs);

    /* two maps of the same title: QGIS would drop the second layout of a name, so it gets
     * its stem added */
    struct qtr_qgis_plan *plan = NULL;
    assert_int_equal(qtr_qgis_plan_begin(&plan, NULL, 0, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(qtr_qgis_plan_map(plan, "overview", "Karte", NULL, "Gebiete", "Quelle: x",
                                       "Stand: 31.12.2022", &err),
                     0);
    assert_int_equal(qtr_qgis_plan_map(plan, "overview", "Karte", NULL, "Gebiete", "Quelle: x",
                                       "Stand: 31.12.2022", &err),
                     0);
    assert_int_equal(qtr_qgis_plan_write(plan, gb, "2026-01-01T00:00:00.000Z", &err), 0);
    qtr_qgis_plan_free(plan);
    assert_int_equal(qtr_qgis_load(gb, QTR_QGIS_PROJECT_NAME, &qgs, &err), 0);
    assert_non_null(strstr(qgs, "<Layout name=\"Karte\""));
    assert_non_null(strstr(qgs, "<Layout name=\"Karte (overview)\""));
    assert_non_null(strstr(qgs, "saveDateTime=\"2026-01-01T00:00:00\""));
    free(qgs);
}

/* The status x dynamics layout: its legend is the report's 4 x 3 grid (a rectangle per class
 * in the class's colour, row and column labels), the legend item shows only the class after
 * the grid ("nicht bewertet"). */
static void test_grid_legend(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char a[600], ga[700];
    snprintf(a, sizeof a, "%s/g", tmp);
    run_opt(qtr_test_path("tests/data/publish/analysis.ini"), a, " --no-report");
    snprintf(ga, sizeof ga, "%s/quartier.gpkg", a);
    struct qtr_error err = {0};
    struct qtr_qgis_plan *plan = NULL;
    unsigned char rgb[12][3];
    for (int k = 0; k < 12; k++) {
        rgb[k][0] = (unsigned char)(10 * k);
        rgb[k][1] = 1;
        rgb[k][2] = 2;
    }
    const char *rows[] = {"hoch", "mittel", "niedrig", "sehr niedrig"};
    const char *cols[] = {"positiv", "stabil", "negativ"};
    assert_int_equal(qtr_qgis_plan_begin(&plan, NULL, 0, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(qtr_qgis_plan_map(plan, "overview", "Karte", NULL, "Status und Dynamik",
                                       "Quelle: x", "Stand: 31.12.2022", &err),
                     0);
    assert_int_equal(qtr_qgis_plan_grid(plan, "overview", 4, 3, (const unsigned char(*)[3])rgb,
                                        rows, cols, "Status", "Dynamik", &err),
                     0);
    assert_int_equal(qtr_qgis_plan_write(plan, ga, "2026-01-01T00:00:00.000Z", &err), 0);
    qtr_qgis_plan_free(plan);
    char *qgs = NULL;
    assert_int_equal(qtr_qgis_load(ga, QTR_QGIS_PROJECT_NAME, &qgs, &err), 0);
    int shapes = 0;
    for (const char *s = qgs; (s = strstr(s, "type=\"65643\"")) != NULL; s++)
        shapes++;
    assert_int_equal(shapes, 12);
    /* row 4 (sehr niedrig), column 3 (negativ) is class 12 */
    const char *cell = strstr(qgs, "id=\"grid_4_3\"");
    assert_non_null(cell);
    assert_non_null(strstr(cell, "value=\"110,1,2,255\""));
    assert_non_null(strstr(qgs, "labelText=\"sehr niedrig\""));
    assert_non_null(strstr(qgs, "labelText=\"negativ\""));
    assert_non_null(strstr(qgs, "id=\"legend_title\""));
    assert_non_null(strstr(qgs, "name=\"legend/node-order\" value=\"12\""));
    free(qgs);
}

/* qtr_qgis_plan_view: the canvas and the default view open on the given extent with a 2 %
 * margin (100 x 50 m: 2 m and 1 m) instead of the districts' extent. */
static void test_view_extent(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char a[600], ga[700];
    snprintf(a, sizeof a, "%s/v", tmp);
    run_opt(qtr_test_path("tests/data/publish/analysis.ini"), a, " --no-report");
    snprintf(ga, sizeof ga, "%s/quartier.gpkg", a);
    struct qtr_error err = {0};
    struct qtr_qgis_plan *plan = NULL;
    assert_int_equal(qtr_qgis_plan_begin(&plan, NULL, 0, NULL, 0, NULL, 0, &err), 0);
    qtr_qgis_plan_view(plan, 1000, 2000, 1100, 2050);
    assert_int_equal(qtr_qgis_plan_write(plan, ga, "2026-01-01T00:00:00.000Z", &err), 0);
    qtr_qgis_plan_free(plan);
    char *qgs = NULL;
    assert_int_equal(qtr_qgis_load(ga, QTR_QGIS_PROJECT_NAME, &qgs, &err), 0);
    assert_non_null(strstr(qgs, "<DefaultViewExtent xmin=\"998.000\" ymin=\"1999.000\" "
                                "xmax=\"1102.000\" ymax=\"2051.000\">"));
    const char *canvas = strstr(qgs, "<mapcanvas");
    assert_non_null(canvas);
    assert_non_null(strstr(canvas, "<xmin>998.000</xmin>"));
    assert_non_null(strstr(canvas, "<ymax>2051.000</ymax>"));
    free(qgs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_project_written),
        cmocka_unit_test(test_grid_legend),
        cmocka_unit_test(test_view_extent),
        cmocka_unit_test(test_musterstadt_de),
        cmocka_unit_test(test_musterstadt_en),
        cmocka_unit_test(test_berlin_2021),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
