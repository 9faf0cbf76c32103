/*
 * Intervals that leave out their estimate (issue 10 §1): the four districts of the publish
 * fixture with a group spread exactly evenly (1 % everywhere), so D = 0, while every
 * bootstrap draw of the residents gives D > 0. The percentile interval then lies wholly
 * above the estimate; the report must not present it as an interval around the value but
 * mark it "(a)" and explain it, in the table and in the summary sentence.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "cli/report_check.h"

static void test_interval_beside_estimate(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char path[600], args[10000];
    snprintf(path, sizeof path, "%s/stats.csv", tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Bezirk;Einwohner;mit Migrationshintergrund;Arbeitslose;Erwerbsfähige;Kennziffer;"
          "Wohnfläche je EW\n"
          "01;1.200;12;40;800;1;31,5\n02;1.000;10;10;700;2;42,0\n"
          "03;800;8;20;500;1;35,2\n04;500;5;10;300;2;38,9\n",
          f);
    fclose(f);
    /* the publish fixture's analysis file, with its boundaries and permutations */
    FILE *in = fopen(qtr_test_path("tests/data/publish/analysis.ini"), "r");
    snprintf(path, sizeof path, "%s/analysis.ini", tmp);
    FILE *out = fopen(path, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "source = ../mini/", 17))
            fprintf(out, "source = %s/%s", qtr_test_path("tests/data/mini"), line + 17);
        else if (!strncmp(line, "permutations = ", 15))
            fputs("permutations = 99\n", out);
        else
            fputs(line, out);
    }
    fclose(in);
    fclose(out);
    snprintf(args, sizeof args, "run '%s' -o '%s/out' -q", path, tmp);
    qtr_run_cli_ok(args);

    /* the run's numbers: D = 0 and its interval above 0 */
    snprintf(path, sizeof path, "%s/out/quartier.gpkg", tmp);
    double d = query(path, "SELECT value FROM city_indices WHERE \"index\" = 'dissimilarity'");
    double lo = query(path, "SELECT ci_low FROM city_indices WHERE \"index\" = 'dissimilarity'");
    assert_close(d, 0.0, 1e-12);
    assert_true(lo > d);

    snprintf(path, sizeof path, "%s/out/report.html", tmp);
    char *html = qtr_read_file(path, NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "(a) Das Intervall enthält den berechneten Wert nicht."));
    assert_non_null(strstr(html, " (a)</td>"));
    assert_non_null(strstr(html, "(die Simulation ergibt "));
    assert_null(strstr(html, "(95-%-Intervall 0,03"));
    free(html);
    snprintf(args, sizeof args, "rm -rf '%s'", tmp);
    assert_int_equal(system(args), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_beside_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
