/*
 * test_sheet.c - XLSX/ODS through OGR on fixtures made by
 * tests/data/sheet/make_fixtures.sh, and the Hamburg Stadtteilprofile 2014
 * workbook checked cell by cell against the publisher's CSV export.
 */
#include "test_util.h"

#include "quartier/cell.h"
#include "quartier/csv.h"
#include "quartier/sheet.h"

static const struct qtr_number_format POINT = {'.'};

static struct qtr_table *read_ok(const char *path, const struct qtr_sheet_options *opt,
                                 struct qtr_sheet_info *info)
{
    struct qtr_error err = {0};
    struct qtr_table *t = NULL;
    if (qtr_sheet_read_ex(path, opt, &t, info, &err) != QTR_OK)
        fail_msg("%s", err.msg);
    assert_non_null(t);
    return t;
}

static double num(const struct qtr_table *t, size_t r, size_t c)
{
    struct qtr_cell cell = qtr_cell_parse(qtr_table_cell(t, r, c), POINT);
    if (cell.kind != QTR_CELL_VALUE)
        fail_msg("cell (%zu, %zu) '%s' is not a number", r, c, qtr_table_cell(t, r, c));
    return cell.value;
}

static void check_daten(const struct qtr_table *t)
{
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(t->names[0], "Stadtteil");
    assert_string_equal(t->names[2], "Anteil");
    assert_string_equal(qtr_table_cell(t, 0, 0), "M\xC3\xBChlenkamp");
    assert_string_equal(qtr_table_cell(t, 1, 0), "Gro\xC3\x9F Borstel");
    assert_string_equal(qtr_table_cell(t, 0, 1), "1675"); /* numeric cell, as OGR writes it */
    assert_close(num(t, 0, 1), 1675, 0);
    assert_close(num(t, 0, 2), 9.7, 1e-12);
    assert_close(num(t, 1, 2), 12.25, 0);
    assert_close(num(t, 2, 1), 11358, 0);
    assert_close(num(t, 2, 2), -3.5, 0);
    assert_int_equal(t->line[0], 2);
    assert_int_equal(t->line[2], 4);
}

static void test_xlsx_first_sheet(void **state)
{
    (void)state;
    struct qtr_sheet_info info;
    struct qtr_table *t = read_ok(qtr_test_path("tests/data/sheet/fixture.xlsx"), NULL, &info);
    check_daten(t);
    assert_int_equal(info.decimal_mark, '.');
    assert_string_equal(info.sheet, "Daten");
    assert_string_equal(info.driver, "XLSX");
    qtr_table_free(t);

    /* the short form and an explicit sheet name give the same */
    struct qtr_error err = {0};
    t = NULL;
    assert_int_equal(
        qtr_sheet_read(qtr_test_path("tests/data/sheet/fixture.xlsx"), "Daten", 1, &t, &err), 0);
    check_daten(t);
    qtr_table_free(t);
}

static void test_ods(void **state)
{
    (void)state;
    struct qtr_sheet_info info;
    struct qtr_table *t = read_ok(qtr_test_path("tests/data/sheet/fixture.ods"), NULL, &info);
    check_daten(t);
    assert_string_equal(info.driver, "ODS");
    qtr_table_free(t);
}

static void test_title_rows_and_merged_header(void **state)
{
    (void)state;
    struct qtr_sheet_options opt = {"Titel", 3, 0};
    struct qtr_sheet_info info;
    struct qtr_table *t = read_ok(qtr_test_path("tests/data/sheet/fixture.xlsx"), &opt, &info);
    assert_int_equal(t->ncols, 3);
    assert_string_equal(t->names[0], "Stadtgebiet"); /* A3 empty: text of the cell above */
    assert_string_equal(t->names[1], "Einwohner");
    assert_string_equal(t->names[2], "Anteil in %");
    assert_int_equal(t->nrows, 2);
    assert_int_equal(info.skipped_blank_rows, 1);
    assert_string_equal(qtr_table_cell(t, 0, 0), "Altona");
    assert_int_equal(qtr_cell_parse(qtr_table_cell(t, 0, 1), POINT).kind, QTR_CELL_SECRET);
    assert_int_equal(qtr_cell_parse(qtr_table_cell(t, 0, 2), POINT).kind, QTR_CELL_ZERO);
    assert_close(num(t, 1, 2), 12.6, 1e-12);
    assert_int_equal(t->line[0], 4);
    assert_int_equal(t->line[1], 6);
    qtr_table_free(t);

    /* skip_after_header drops Altona */
    opt.skip_after_header = 1;
    t = read_ok(qtr_test_path("tests/data/sheet/fixture.xlsx"), &opt, &info);
    assert_int_equal(t->nrows, 1);
    assert_string_equal(qtr_table_cell(t, 0, 0), "HafenCity");
    qtr_table_free(t);
}

static void expect_error(const char *rel, const char *sheet, size_t header_row, int code,
                         const char *part1, const char *part2)
{
    struct qtr_error err = {0};
    struct qtr_table *t = NULL;
    const char *path = rel[0] == '/' ? rel : qtr_test_path(rel);
    char p[4096];
    snprintf(p, sizeof p, "%s", path);
    int rc = qtr_sheet_read(p, sheet, header_row, &t, &err);
    assert_int_equal(rc, code);
    assert_null(t);
    if (part1 && !strstr(err.msg, part1))
        fail_msg("'%s' not in: %s", part1, err.msg);
    if (part2 && !strstr(err.msg, part2))
        fail_msg("'%s' not in: %s", part2, err.msg);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("tests/data/sheet/missing.xlsx", NULL, 1, QTR_ERR_IO, "missing.xlsx", NULL);
    expect_error("tests/data/sheet/fixture.xlsx", "Tabelle1", 1, QTR_ERR_DATA, "'Tabelle1'",
                 "'Daten', 'Titel', 'Fehler', 'Doppelt'");
    expect_error("tests/data/sheet/fixture.xlsx", "Daten", 9, QTR_ERR_DATA, "header row 9",
                 "beyond");
    expect_error("tests/data/sheet/fixture.xlsx", "Fehler", 1, QTR_ERR_DATA, "column B", "no name");
    expect_error("tests/data/sheet/fixture.xlsx", "Doppelt", 1, QTR_ERR_DATA, "'a'", "twice");
    /* a CSV is not a workbook: GDAL's refusal is reported, not printed */
    expect_error("tests/data/csv/tab.tsv", NULL, 1, QTR_ERR_IO, "tab.tsv", "XLSX or ODS");
    assert_true(qtr_sheet_is_workbook("a/B.XLSX"));
    assert_true(qtr_sheet_is_workbook("x.ods"));
    assert_false(qtr_sheet_is_workbook("x.csv"));
    assert_false(qtr_sheet_is_workbook(".ods"));
}

/* Decimals shown in a CSV cell ("9,7" -> 1), for the rounding tolerance. */
static int shown_decimals(const char *s)
{
    const char *c = strchr(s, ',');
    int n = 0;
    if (c)
        for (c++; *c >= '0' && *c <= '9'; c++)
            n++;
    return n;
}

static void test_hamburg_workbook(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char xlsx[4096], csv[4096];
    snprintf(xlsx, sizeof xlsx, "%s/data/hamburg/Daten_fuer_die_Stadtteilprofile_2014.xlsx",
             shared);
    snprintf(csv, sizeof csv, "%s/data/hamburg/Daten_fuer_die_Stadtteilprofile_2014.csv", shared);

    /* rows: 1 title, 2 group headers (A2:A4 merged "Stadtgebiet"), 3 short names, 4 long
     * descriptions, 5-111 data, 112-113 empty */
    struct qtr_sheet_options opt = {NULL, 3, 1};
    struct qtr_sheet_info info;
    struct qtr_table *t = read_ok(xlsx, &opt, &info);
    assert_string_equal(info.sheet, "Stadtteilprofile 2014");
    assert_int_equal(t->nrows, 107);
    assert_int_equal(t->ncols, 69);
    assert_int_equal(info.skipped_blank_rows, 2);
    assert_int_equal(info.dropped_columns, 0);
    assert_int_equal(t->line[0], 5);
    assert_int_equal(t->line[106], 111);
    assert_string_equal(t->names[0], "Stadtgebiet");
    assert_string_equal(qtr_table_cell(t, 0, 0), "Hamburg-Altstadt");
    assert_string_equal(qtr_table_cell(t, 106, 0), "Hamburg");
    assert_close(num(t, 0, 1), 1675, 0);
    assert_close(num(t, 0, 3), 9.7, 1e-12);

    /* The CSV is the repo author's export of the same sheet (header rows 1, 2, 4 removed):
     * same names, same rows, same marks; numbers equal up to the CSV's display rounding. */
    struct qtr_error err = {0};
    struct qtr_table *c = NULL;
    struct qtr_csv_info ci;
    if (qtr_csv_read(csv, NULL, &c, &ci, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(c->nrows, t->nrows);
    assert_int_equal(c->ncols, t->ncols);
    struct qtr_number_format comma = {','};
    size_t secret = 0, compared = 0;
    for (size_t j = 0; j < t->ncols; j++)
        assert_string_equal(t->names[j], c->names[j]);
    for (size_t i = 0; i < t->nrows; i++) {
        assert_string_equal(qtr_table_cell(t, i, 0), qtr_table_cell(c, i, 0));
        for (size_t j = 1; j < t->ncols; j++) {
            struct qtr_cell a = qtr_cell_parse(qtr_table_cell(t, i, j), POINT);
            struct qtr_cell b = qtr_cell_parse(qtr_table_cell(c, i, j), comma);
            if (b.kind == QTR_CELL_SECRET) {
                assert_int_equal(a.kind, QTR_CELL_SECRET);
                secret++;
                continue;
            }
            /* "-" in the CSV is a number format showing 0 in the workbook */
            if (b.kind == QTR_CELL_ZERO) {
                assert_true(a.kind == QTR_CELL_ZERO ||
                            (a.kind == QTR_CELL_VALUE && a.value == 0.0));
                continue;
            }
            assert_int_equal(b.kind, QTR_CELL_VALUE);
            if (a.kind != QTR_CELL_VALUE)
                fail_msg("row %zu col %zu: '%s'", i, j, qtr_table_cell(t, i, j));
            double tol = 0.5 * pow(10.0, -shown_decimals(qtr_table_cell(c, i, j))) + 1e-9;
            if (!(fabs(a.value - b.value) <= tol))
                fail_msg("row %zu col '%s': workbook %.17g, csv '%s'", i, t->names[j], a.value,
                         qtr_table_cell(c, i, j));
            compared++;
        }
    }
    assert_int_equal(secret, 84);
    assert_int_equal(compared, 107 * 68 - 86);
    qtr_table_free(c);
    qtr_table_free(t);

    /* header row 4 (long descriptions): A4 is part of the merge too */
    opt.header_row = 4;
    opt.skip_after_header = 0;
    t = read_ok(xlsx, &opt, &info);
    assert_string_equal(t->names[0], "Stadtgebiet");
    assert_string_equal(t->names[1], "Anzahl der Einwohnerinnen und Einwohner");
    assert_int_equal(t->nrows, 107);
    qtr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_first_sheet),
        cmocka_unit_test(test_ods),
        cmocka_unit_test(test_title_rows_and_merged_header),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_hamburg_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
