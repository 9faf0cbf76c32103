/*
 * test_moran_no_perms.c - Moran's I under --permutations 0: the global test gets its
 * analytical p-value under randomisation (Cliff & Ord 1981), which no seed can change; with
 * permutations the p-value is a pseudo p, a whole number of 1/(P+1). The local tests are left
 * out, and a German report gives the reason in German.
 */
#include "test_util.h"

#include "cli/cli_util.h"

/* The number after `"p_value": ` in the row of index `name`, or NAN. */
static double json_p(const char *json, const char *name)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"name\": \"%s\", \"group\": \"HISP_\"", name);
    const char *p = strstr(json, pat);
    if (!p || !(p = strstr(p, "\"p_value\": ")))
        return NAN;
    p += strlen("\"p_value\": ");
    return strncmp(p, "null", 4) ? strtod(p, NULL) : NAN;
}

static double moran_p(const char *shared, unsigned perms, unsigned seed)
{
    char args[4096];
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 --format json -q --permutations %u --seed %u --only "
             "morans_i",
             shared, perms, seed);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    double I = qtr_json_index(out, "morans_i", "HISP_");
    double p = json_p(out, "morans_i");
    free(out);
    assert_true(I > 0 && I < 1);
    return p;
}

static void test_moran_analytical_without_permutations(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    double p1 = moran_p(shared, 0, 1), p2 = moran_p(shared, 0, 2);
    assert_true(p1 > 0 && p1 <= 1);
    assert_true(p1 == p2);
    /* Sacramento's Hispanic share is strongly clustered: far below any level */
    assert_true(p1 < 1e-6);
    double ps = moran_p(shared, 99, 1);
    assert_close(ps * 100.0, nearbyint(ps * 100.0), 1e-9);
    assert_close(ps, 0.01, 1e-12); /* no permutation reaches the observed I */
}

/* Musterstadt (German) with --permutations 0: no LISA maps, and the annex says why in German
 * for each group instead of the kernel's English message. */
static void test_local_tests_left_out_in_german(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char args[8192], path[8192];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 0",
             qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    qtr_run_cli_ok(args);
    snprintf(path, sizeof path, "%s/maps/lisa_mh.png", tmp);
    assert_false(qtr_file_exists(path));
    snprintf(path, sizeof path, "%s/report.html", tmp);
    char *t = qtr_html_text(qtr_read_file(path, NULL), 0);
    assert_non_null(t);
    const char *de = "die lokalen Tests (LISA, Gi*, Standortquotienten) brauchen Permutationen";
    size_t n = 0;
    for (const char *p = strstr(t, de); p; p = strstr(p + 1, de))
        n++;
    assert_int_equal(n, 4); /* one row per group */
    assert_null(strstr(t, "need permutations"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moran_analytical_without_permutations),
        cmocka_unit_test(test_local_tests_left_out_in_german),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
