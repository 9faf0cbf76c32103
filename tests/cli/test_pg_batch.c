/*
 * The batch over regions from PostgreSQL/PostGIS (issue 14 §4): Berlin 2021 by Bezirk
 * (prefix:2) with its boundaries and tables read from the throw-away server gives, region by
 * region, the same GeoPackage values as the batch from the files (skipped without QTR_PG or
 * ../shared); and a batch refuses `output = PG:` with a message (exit 2).
 */
#include "test_util.h"

#include "cli/batch_util.h"
#include "cli/cli_util.h"
#include "cli/pg_util.h"

static const struct qtr_pg_swap berlin[] = {
    {"lor_planungsraeume_2021.shp", "berlin.lor_planungsraeume_2021"},
    {"berlin-lor-population-2024-02-t1-planning-areas.csv", "berlin.ewr2024"},
    {"mss_2021_indizes.csv", "berlin.mss_indizes"},
    {"mss_2021_index_indikatoren.csv", "berlin.mss_indikatoren"},
};

static void run_batch(const char *ini, const char *out)
{
    char args[4096];
    char *o = NULL;
    snprintf(args, sizeof args, "run %s -o %s --jobs 2 --permutations 9 --no-report -q", ini,
             out);
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("quartier %s: exit %d\n%s", args, rc, o);
    free(o);
}

static void test_berlin_bezirke_from_pg(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    char pg_ini[700], out_file[700], out_pg[700];
    const char *file_ini =
        batch_ini(shared, "geodata/berlin/berlin-2021.ini", tmp, "\n[batch]\nby = prefix:2\n");
    snprintf(pg_ini, sizeof pg_ini, "%s/pg.ini", tmp);
    snprintf(out_file, sizeof out_file, "%s/file", tmp);
    snprintf(out_pg, sizeof out_pg, "%s/pg", tmp);
    assert_int_equal(qtr_pg_rewrite_ini(file_ini, pg_ini, pg, berlin, sizeof berlin / sizeof *berlin),
                     0);
    run_batch(file_ini, out_file);
    run_batch(pg_ini, out_pg);
    static const char *const keys[] = {"01", "02", "03", "04", "05", "06",
                                       "07", "08", "09", "10", "11", "12"};
    static const char *const skip_layers[] = {"run_info", "layer_styles", NULL};
    for (size_t k = 0; k < 12; k++) {
        char a[900], b[900];
        snprintf(a, sizeof a, "%s/regions/%s/quartier.gpkg", out_file, keys[k]);
        snprintf(b, sizeof b, "%s/regions/%s/quartier.gpkg", out_pg, keys[k]);
        int nlayers = 0;
        if (qtr_pg_compare_gpkg(a, b, skip_layers, NULL, &nlayers) != 0)
            fail_msg("region %s: the GeoPackages from files and from PostgreSQL differ", keys[k]);
        assert_true(nlayers >= 3);
    }
    /* the comparison over the regions is the same too */
    char a[900], b[900];
    snprintf(a, sizeof a, "%s/comparison/comparison.gpkg", out_file);
    snprintf(b, sizeof b, "%s/comparison/comparison.gpkg", out_pg);
    int nlayers = 0;
    assert_int_equal(qtr_pg_compare_gpkg(a, b, skip_layers, NULL, &nlayers), 0);
    assert_true(nlayers >= 1);
}

static void test_batch_refuses_pg_output(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char ini[700], args[1024];
    snprintf(ini, sizeof ini, "%s/b.ini", tmp);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = PG:dbname=nirgends schema=quartier\n"
            "[boundaries]\nsource = %s\nkey = nr\nattribution = test\n"
            "[table ew]\nsource = %s\nkey = Bezirk\nheader_row = 3\nattribution = test\n"
            "[population]\ntotal = Einwohner\n"
            "[group mh]\nlabel = MH\ncolumn = mit Migrationshintergrund\n"
            "[batch]\nby = prefix:1\n",
            qtr_test_path("tests/data/mini/bezirke.geojson"),
            qtr_test_path("tests/data/mini/stats.csv"));
    fclose(f);
    char *out = NULL;
    snprintf(args, sizeof args, "run %s -q", ini);
    assert_int_equal(qtr_run_cli(args, &out), 2);
    assert_non_null(strstr(out, "'output = PG:...' is not supported with [batch] yet"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_refuses_pg_output),
        cmocka_unit_test(test_berlin_bezirke_from_pg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
