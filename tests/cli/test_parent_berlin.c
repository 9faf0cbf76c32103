/*
 * test_parent_berlin.c - the parent level on Berlin 2021 (issue 10 §2; skipped without
 * ../shared): the Bezirke by name (parent_names = berlin-lor-districts.geojson), every one
 * of the 12 with a name (no parent_without_name in the join report), the per-Bezirk table's
 * districts and residents summing to its city row, and Steglitz-Zehlendorf in the tables.
 */
#include "../test_util.h"

#include "cli_util.h"

/* "397.004" -> 397004 */
static double de_number(const char *s)
{
    double v = 0;
    for (; *s && *s != '|'; s++)
        if (*s >= '0' && *s <= '9')
            v = 10 * v + (*s - '0');
    return v;
}

static void test_berlin_bezirke(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    const char *dir = qtr_temp_dir();
    assert_non_null(dir);
    char args[4608], *out = NULL, path[512];
    snprintf(args, sizeof args, "run %s -o %s/out", qtr_test_path("geodata/berlin/berlin-2021.ini"),
             dir);
    if (qtr_run_cli(args, &out) != 0)
        fail_msg("run: %s", out);
    snprintf(path, sizeof path, "%s/out/tables/join_report.csv", dir);
    char *jr = qtr_read_file(path, NULL);
    assert_non_null(jr);
    assert_null(strstr(jr, "parent_without_name"));
    free(jr);
    snprintf(path, sizeof path, "%s/out/report.html", dir);
    char *h = qtr_read_file(path, NULL);
    assert_non_null(h);
    /* the text with tags out, '|' before each cell, no blanks between cells */
    qtr_html_text(h, 0);
    const char *t = strstr(h, "Aufmerksamkeitsbedarf nach Bezirk");
    assert_non_null(t);
    const char *city = strstr(t, "|Stadt|");
    assert_non_null(city);
    const char *sz = strstr(t, "|Steglitz-Zehlendorf|");
    assert_true(sz && sz < city);
    assert_non_null(strstr(h, "|Mitte|"));
    /* rows: |Name|districts|residents|attention|their residents|share */
    double sum_d = 0, sum_e = 0, sum_a = 0, sum_ae = 0;
    size_t rows = 0;
    const char *row = strstr(t, "|Mitte|");
    assert_true(row && row < city);
    for (const char *p = row; p && p < city; rows++) {
        const char *c[6];
        c[0] = p;
        for (int k = 1; k < 6; k++)
            c[k] = strchr(c[k - 1] + 1, '|');
        sum_d += de_number(c[1] + 1);
        sum_e += de_number(c[2] + 1);
        sum_a += de_number(c[3] + 1);
        sum_ae += de_number(c[4] + 1);
        p = strchr(c[5] + 1, '|');
    }
    assert_int_equal(rows, 12);
    const char *c = city + 7; /* after "|Stadt|" */
    assert_true(sum_d == de_number(c));
    assert_true(sum_d == 542);
    c = strchr(c, '|') + 1;
    assert_true(sum_e == de_number(c));
    c = strchr(c, '|') + 1;
    assert_true(sum_a == de_number(c));
    c = strchr(c, '|') + 1;
    assert_true(sum_ae == de_number(c));
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_berlin_bezirke)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
