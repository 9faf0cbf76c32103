/*
 * test_parent_level.c - the parent level in the report (issue 10 §2): parent names from
 * [boundaries] parent_names (codes matched without leading zeros, an unknown code a
 * join-report warning and shown as the code), the parent column, the table per parent
 * area, the candidate-area table and the note on extreme values in small districts; and
 * the kernels behind them (candidate groups, extreme values).
 *
 * Fixture tests/data/parents: districts 01-04 (1 200, 1 000, 800, 500 residents) in parents
 * "1", "1", "2", "3"; namen.csv names "01" Nordbezirk and "02" Südbezirk. The one status
 * indicator, 2 % in 01-03 and 10 % in 04: mean 4, population SD sqrt(12) = 3.46, so 04 has
 * z = 6 / 3.46 = 1.73 > 1.5 (status sehr niedrig, attention) and the others -0.58 (mittel).
 * By hand: Nordbezirk 2 districts, 2 200 residents, none needing attention; Südbezirk 1,
 * 800, none; "3" 1, 500, 1 with 500 = 100,0 %; city 4, 3 500, 1, 500 = 14,3 %. The
 * candidate area is Am Mühlbach alone, 500 residents, 10,0 % against the city's
 * resident-weighted 11 000 / 3 500 = 3,1 %. Am Mühlbach (500 < 1 000 residents, status
 * sehr niedrig) is the one extreme value in a small district.
 */
#include "../test_util.h"

#include "../../src/pipeline/report_internal.h"
#include "cli_util.h"

#define FIXTURE "tests/data/parents/analysis.ini"
#define NBSP "\xc2\xa0"

/* The text of report.html with the tags taken out and cells separated by '|'. */
static char *report_text(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *h = qtr_read_file(path, NULL);
    assert_non_null(h);
    return qtr_html_text(h, 1);
}

static void test_report_parents(void **state)
{
    (void)state;
    const char *dir = qtr_temp_dir();
    assert_non_null(dir);
    char args[1024], *out = NULL;
    snprintf(args, sizeof args, "run " FIXTURE " -o %s/out", dir);
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("run: %s", out);
    char path[512];
    snprintf(path, sizeof path, "%s/out/tables/join_report.csv", dir);
    char *jr = qtr_read_file(path, NULL);
    assert_non_null(jr);
    /* the unknown code: one warning naming it */
    assert_non_null(strstr(jr, "parent_without_name;warning;3;"));
    assert_null(strstr(jr, "parent_without_name;warning;1;"));
    assert_null(strstr(jr, "parent_without_name;warning;2;"));
    free(jr);
    snprintf(path, sizeof path, "%s/out", dir);
    char *t = report_text(path);
    /* the attention table has the parent column, with the code where there is no name */
    assert_non_null(strstr(t, "|Nr.|Gebiet|Bezirk|Status|"));
    assert_non_null(strstr(t, "|04|Am Mühlbach|3|"));
    /* per parent area, in code order, with the city */
    assert_non_null(strstr(t, "|Nordbezirk|2|2.200|0|0|0,0 %"));
    assert_non_null(strstr(t, "|Südbezirk|1|800|0|0|0,0 %"));
    assert_non_null(strstr(t, "|3|1|500|1|500|100,0 %"));
    assert_non_null(strstr(t, "|Stadt|4|3.500|1|500|14,3 %"));
    assert_true(strstr(t, "|Nordbezirk|2|") < strstr(t, "|Südbezirk|1|"));
    /* the candidate area */
    assert_non_null(strstr(t, "Queen-Nachbarschaft"));
    assert_non_null(strstr(t, "|1|Am Mühlbach|3|Am Mühlbach|500|1 × Status sehr niedrig; "
                              "Arbeitslosenquote 10,0" NBSP "% (Stadt 3,1" NBSP "%)"));
    /* the small district with its extreme value */
    assert_non_null(strstr(t, "weniger als 1.000 Einwohner, markiert"));
    assert_non_null(strstr(t, "|Am Mühlbach|3|500 (klein)|Status sehr niedrig"));
    free(t);
}

/* English: the same numbers, English words. */
static void test_report_parents_en(void **state)
{
    (void)state;
    const char *dir = qtr_temp_dir();
    assert_non_null(dir);
    char ini[512], args[1024], *out = NULL;
    snprintf(ini, sizeof ini, "%s/en.ini", dir);
    char *src = qtr_read_file(FIXTURE, NULL);
    assert_non_null(src);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    char *a = strstr(src, "[analysis]\n");
    assert_non_null(a);
    /* the fixture's files by absolute path from the copy */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    fprintf(f, "%.*s[analysis]\nlanguage = en\n", (int)(a - src), src);
    for (char *line = a + 11, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!strncmp(line, "source = ", 9) || !strncmp(line, "parent_names = ", 15)) {
            char *eq = strchr(line, '=');
            fprintf(f, "%.*s= %s/tests/data/parents/%s\n", (int)(eq - line), line, cwd, eq + 2);
        } else {
            fprintf(f, "%s\n", line);
        }
    }
    fclose(f);
    free(src);
    snprintf(args, sizeof args, "run %s -o %s/out", ini, dir);
    if (qtr_run_cli(args, &out) != 0)
        fail_msg("run: %s", out);
    char path[512];
    snprintf(path, sizeof path, "%s/out", dir);
    char *t = report_text(path);
    assert_non_null(strstr(t, "|No.|District|Borough|Status|"));
    assert_non_null(strstr(t, "|City|4|3,500|1|500|14.3 %"));
    assert_non_null(strstr(t, "|1|Am Mühlbach|3|Am Mühlbach|500|1 × status very low; "
                              "Unemployment rate 10.0" NBSP "% (city 3.1" NBSP "%)"));
    assert_non_null(strstr(t, "fewer than 1,000 residents"));
    free(t);
}

/* Connected groups under a hand-made contiguity: 0-1-2 a path, 3 alone, 4-5 a pair. */
static void test_candidate_groups(void **state)
{
    (void)state;
    size_t row[7] = {0, 1, 3, 4, 4, 5, 6};
    uint32_t col[6] = {1, 0, 2, 1, 5, 4};
    double w[6] = {1, 1, 1, 1, 1, 1};
    struct qtr_csr csr = {.n = 6, .row = row, .col = col, .w = w};
    size_t group[6], stack[6];
    /* all flagged: {0,1,2}, {3}, {4,5} */
    unsigned all[6] = {1, 1, 1, 1, 1, 1};
    assert_int_equal(qtr_report_candidate_groups(6, &csr, all, group, stack), 3);
    size_t want[6] = {0, 0, 0, 1, 2, 2};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(group[i], want[i]);
    /* 1 not flagged breaks the path: {0}, {2}, {5}; 3 and 4 unflagged */
    unsigned some[6] = {4, 0, 1, 0, 0, 2};
    assert_int_equal(qtr_report_candidate_groups(6, &csr, some, group, stack), 3);
    assert_int_equal(group[0], 0);
    assert_int_equal(group[1], SIZE_MAX);
    assert_int_equal(group[2], 1);
    assert_int_equal(group[3], SIZE_MAX);
    assert_int_equal(group[5], 2);
}

/* Nine zeros and a 10: mean 1, population SD 3, so 10 lies exactly 3 SD out, 0 one third. */
static void test_extreme_of(void **state)
{
    (void)state;
    double v[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 10, NAN};
    uint8_t ext[11];
    double mu;
    qtr_report_extreme_of(v, 11, 3.0, ext, &mu);
    assert_true(fabs(mu - 1.0) < 1e-12);
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(ext[i], 0);
    assert_int_equal(ext[9], 1);
    assert_int_equal(ext[10], 0); /* no value: never extreme */
    qtr_report_extreme_of(v, 11, 3.1, ext, &mu);
    assert_int_equal(ext[9], 0);
    /* no spread: nothing is extreme */
    double same[3] = {5, 5, 5};
    qtr_report_extreme_of(same, 3, 0.0, ext, &mu);
    assert_int_equal(ext[0] + ext[1] + ext[2], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidate_groups),
        cmocka_unit_test(test_extreme_of),
        cmocka_unit_test(test_report_parents),
        cmocka_unit_test(test_report_parents_en),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
