/*
 * test_status_dynamics.c - the combined status x dynamics classes end to end on
 * Musterstadt (two reference dates, renewal): the map in maps/ and the report, the
 * GeoPackage column `status_dynamics` agreeing row by row with status_class and
 * dynamics_class, and its categorized QGIS style as the districts' default.
 */
#include "../test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cli_util.h"
#include "publish_util.h"

static void test_musterstadt(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char args[8192], path[8192];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 19",
             qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    static const char *const ext[] = {"png", "svg", "pdf"};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/maps/status_dynamics.%s", tmp, ext[k]);
        assert_true(qtr_file_exists(path));
    }
    snprintf(path, sizeof path, "%s/report.html", tmp);
    size_t len = 0;
    char *html = qtr_read_file(path, &len);
    assert_non_null(html);
    assert_non_null(strstr(html, "Soziale Ungleichheit: Status und Dynamik"));
    assert_null(strstr(html, "Ohne zweiten Stichtag gibt es keine Dynamik"));
    /* issue 10: change maps with two dates, the LISA settings and cluster types in words */
    assert_non_null(strstr(html, "Veränderung in den Gebieten"));
    assert_non_null(strstr(html, "Was die Clustertypen bedeuten"));
    assert_non_null(strstr(html, "Queen-Nachbarn"));
    assert_null(strstr(html, "nach der üblichen Einteilung"));
    /* reasons: the real value and the city's own rate first */
    assert_non_null(strstr(html, "Kinder: 55,7\u00a0% (Stadt 16,3\u00a0%; 5,4 SD über Mittel)"));
    free(html);
    static const char *const chg[] = {"change_share_mh", "change_arbeitslosenquote"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/maps/%s.png", tmp, chg[k]);
        assert_true(qtr_file_exists(path));
        /* the source line gives both dates, the earlier first */
        snprintf(path, sizeof path, "%s/maps/%s.svg", tmp, chg[k]);
        char *svg = qtr_read_file(path, &len);
        assert_non_null(strstr(svg, "Stand: 31.12.2020 und 31.12.2022"));
        free(svg);
    }

    GDALDatasetH ds = open_out(tmp, "quartier.gpkg");
    /* the change of a share: current share minus 100 * previous count / previous total */
    assert_int_equal(
        sql_long(ds, "SELECT count(*) FROM districts WHERE mh_share_change IS NOT NULL AND "
                     "abs(mh_share_change - (mh_share - 100.0 * \"Einwohner mit "
                     "Migrationshintergrund_2020\" / \"Einwohner insgesamt_2020\")) > 1e-9"),
        0);
    assert_true(sql_long(ds, "SELECT count(mh_share_change) FROM districts") > 100);
    /* the city's rate in the reasons: sum(value x denominator) / sum(denominator) = 16,3 */
    assert_int_equal(sql_long(ds, "SELECT CAST(round(10 * sum(kinderarmut * "
                                  "kinderarmut_denominator) / sum(kinderarmut_denominator)) "
                                  "AS INTEGER) FROM districts WHERE kinderarmut IS NOT NULL"),
                     163);
    /* every district: "<status> / <dynamics>" when both classes exist, else not rated */
    assert_int_equal(
        sql_long(ds, "SELECT count(*) FROM districts WHERE status_dynamics IS NULL OR "
                     "status_dynamics <> CASE WHEN status_class IS NULL OR dynamics_class IS "
                     "NULL THEN 'nicht bewertet' ELSE status_class || ' / ' || dynamics_class "
                     "END"),
        0);
    /* only the 12 classes and "nicht bewertet" */
    assert_int_equal(
        sql_long(ds, "SELECT count(*) FROM districts WHERE status_dynamics NOT IN ("
                     "'hoch / positiv', 'hoch / stabil', 'hoch / negativ', 'mittel / positiv', "
                     "'mittel / stabil', 'mittel / negativ', 'niedrig / positiv', "
                     "'niedrig / stabil', 'niedrig / negativ', 'sehr niedrig / positiv', "
                     "'sehr niedrig / stabil', 'sehr niedrig / negativ', 'nicht bewertet')"),
        0);
    /* Musterstadt has rated and not rated districts, and more than one class */
    assert_true(sql_long(ds, "SELECT count(*) FROM districts WHERE status_dynamics = "
                             "'nicht bewertet'") > 0);
    assert_true(sql_long(ds, "SELECT count(DISTINCT status_dynamics) FROM districts") > 3);
    char *v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE f_table_name = "
                           "'districts' AND useAsDefault");
    assert_non_null(v);
    assert_string_equal(v, "status_dynamics");
    free(v);
    v = sql_text(ds, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'districts' AND "
                     "styleName = 'status_dynamics'");
    assert_non_null(v);
    assert_non_null(strstr(v, "type=\"categorizedSymbol\""));
    assert_non_null(strstr(v, "value=\"mittel / negativ\""));
    assert_non_null(strstr(v, "value=\"nicht bewertet\""));
    size_t ncat = 0;
    for (const char *p = v; (p = strstr(p, "<category ")); p++)
        ncat++;
    assert_int_equal(ncat, 14); /* 12 classes, not rated, catch-all */
    free(v);
    GDALClose(ds);
}

/*
 * Musterstadt with one date: the analysis file without `previous =`, `change =`,
 * `dynamics_weight =` and the targets (they need a baseline). No dynamics: no combined map,
 * no status_dynamics column, the report says why, the status class is the default style.
 */
static void test_one_date(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char cmd[16384], path[8192];
    snprintf(cmd, sizeof cmd, "cp '%s'/* '%s'/", qtr_test_path("geodata/musterstadt"), tmp);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/analysis.ini", tmp);
    size_t len = 0;
    char *ini = qtr_read_file(path, &len);
    assert_non_null(ini);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    int in_target = 0;
    for (char *line = strtok(ini, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '[')
            in_target = !strncmp(line, "[target ", 8);
        if (in_target || !strncmp(line, "previous =", 10) || !strncmp(line, "change =", 8) ||
            !strncmp(line, "dynamics_weight", 15))
            continue;
        fprintf(f, "%s\n", line);
    }
    fclose(f);
    free(ini);
    char args[16384];
    snprintf(args, sizeof args, "run %s -o %s/out -q --permutations 0", path, tmp);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc)
        fail_msg("exit %d: %s", rc, out ? out : "");
    free(out);
    snprintf(path, sizeof path, "%s/out/maps/status.png", tmp);
    assert_true(qtr_file_exists(path));
    snprintf(path, sizeof path, "%s/out/maps/status_dynamics.png", tmp);
    assert_false(qtr_file_exists(path));
    snprintf(path, sizeof path, "%s/out/maps/dynamics.png", tmp);
    assert_false(qtr_file_exists(path));
    snprintf(path, sizeof path, "%s/out/report.html", tmp);
    char *html = qtr_read_file(path, &len);
    assert_non_null(html);
    assert_non_null(strstr(html, "Ohne zweiten Stichtag gibt es keine Dynamik"));
    assert_null(strstr(html, "Gebiete nach Status und Dynamik"));
    /* issue 10: no "0 with negative dynamics", no dynamics weights, no change maps */
    assert_null(strstr(html, "0 mit mittlerem Status und negativer Dynamik"));
    assert_non_null(strstr(html, "ein Stichtag: keine Dynamik"));
    assert_null(strstr(html, "Gewicht Status/Dynamik"));
    assert_null(strstr(html, "Veränderung in den Gebieten"));
    free(html);
    snprintf(path, sizeof path, "%s/out/maps/change_arbeitslosenquote.png", tmp);
    assert_false(qtr_file_exists(path));
    char odir[4096];
    snprintf(odir, sizeof odir, "%s/out", tmp);
    GDALDatasetH ds = open_out(odir, "quartier.gpkg");
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM pragma_table_info('districts') WHERE "
                                  "name = 'status_dynamics'"),
                     0);
    /* no dynamics columns (empty in every district) and no change of shares */
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM pragma_table_info('districts') WHERE "
                                  "name LIKE 'dynamics%' OR name = 'status_dynamics_group' OR "
                                  "name LIKE '%share_change'"),
                     0);
    char *v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE f_table_name = "
                           "'districts' AND useAsDefault");
    assert_non_null(v);
    assert_string_equal(v, "status_class");
    free(v);
    GDALClose(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_musterstadt),
        cmocka_unit_test(test_one_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
