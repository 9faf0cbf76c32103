/*
 * test_csv.c - CSV reader on byte-exact fixtures (tests/data/csv, made by
 * make_fixtures.sh), in-memory edge cases, and the real Hamburg
 * Stadtteilprofile 2014 CSV (counts from its PROVENANCE.md).
 */
#include "test_util.h"

#include "quartier/cell.h"
#include "quartier/csv.h"
#include "quartier/text.h"

static struct qtr_table *read_fixture(const char *name, const struct qtr_csv_options *opt,
                                      struct qtr_csv_info *info)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/csv/%s", name);
    struct qtr_error err = {0};
    struct qtr_table *t = NULL;
    int rc = qtr_csv_read(qtr_test_path(rel), opt, &t, info, &err);
    if (rc != QTR_OK)
        fail_msg("reading %s: %s", name, err.msg);
    return t;
}

static struct qtr_table *parse(const char *text, const struct qtr_csv_options *opt,
                               struct qtr_csv_info *info)
{
    struct qtr_error err = {0};
    struct qtr_table *t = NULL;
    int rc = qtr_csv_parse(text, strlen(text), "mem.csv", opt, &t, info, &err);
    if (rc != QTR_OK)
        fail_msg("parsing: %s", err.msg);
    return t;
}

/* Parse text that must fail; returns the message (static) and checks the code. */
static const char *parse_error(const char *text, const struct qtr_csv_options *opt, int code)
{
    static struct qtr_error err;
    struct qtr_table *t = NULL;
    qtr_error_clear(&err);
    int rc = qtr_csv_parse(text, strlen(text), "mem.csv", opt, &t, NULL, &err);
    assert_int_equal(rc, code);
    assert_null(t);
    assert_non_null(strstr(err.msg, "mem.csv"));
    return err.msg;
}

static double num(const struct qtr_table *t, size_t r, size_t c, char mark)
{
    struct qtr_number_format f = {mark};
    struct qtr_cell cell = qtr_cell_parse(qtr_table_cell(t, r, c), f);
    assert_int_equal(cell.kind, QTR_CELL_VALUE);
    return cell.value;
}

static void test_cp1252_crlf(void **state)
{
    (void)state;
    struct qtr_csv_info info;
    struct qtr_table *t = read_fixture("cp1252_crlf.csv", NULL, &info);
    assert_int_equal(info.encoding, QTR_ENC_CP1252);
    assert_int_equal(info.separator, ';');
    assert_int_equal(info.had_bom, 0);
    assert_int_equal(info.decimal_mark, ',');
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(t->names[2], "Anteil in %");
    assert_string_equal(qtr_table_cell(t, 0, 0), "M\xC3\xBChlenkamp");
    assert_string_equal(qtr_table_cell(t, 1, 0), "Gro\xC3\x9F Borstel");
    assert_string_equal(qtr_table_cell(t, 2, 0), "B\xC3\xA4ren\xC3\xB6"
                                                 "d");
    assert_string_equal(qtr_table_cell(t, 1, 1), "\xE2\x80\x93"); /* 0x96 -> U+2013 */
    struct qtr_number_format f = {info.decimal_mark};
    assert_int_equal(qtr_cell_parse(qtr_table_cell(t, 1, 1), f).kind, QTR_CELL_ZERO);
    assert_int_equal(qtr_cell_parse(qtr_table_cell(t, 1, 2), f).kind, QTR_CELL_SECRET);
    assert_close(num(t, 0, 1, ','), 1675, 0);
    assert_close(num(t, 0, 2, ','), 9.7, 1e-12);
    assert_int_equal(t->line[0], 2);
    assert_int_equal(t->line[2], 4);
    qtr_table_free(t);
}

static void test_utf8_bom_and_cr(void **state)
{
    (void)state;
    struct qtr_csv_info info;
    struct qtr_table *t = read_fixture("utf8_bom.csv", NULL, &info);
    assert_int_equal(info.encoding, QTR_ENC_UTF8);
    assert_int_equal(info.had_bom, 1);
    assert_string_equal(t->names[0], "Stadtteil"); /* BOM not part of the name */
    assert_string_equal(qtr_table_cell(t, 0, 0), "M\xC3\xBChlenkamp");
    assert_string_equal(qtr_table_cell(t, 1, 0), "Gro\xC3\x9F Borstel");
    assert_int_equal(t->nrows, 2);
    qtr_table_free(t);

    t = read_fixture("utf8_cr.csv", NULL, &info);
    assert_int_equal(info.encoding, QTR_ENC_UTF8);
    assert_int_equal(info.had_bom, 0);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(t->ncols, 2);
    assert_string_equal(qtr_table_cell(t, 0, 0), "M\xC3\xBChlenkamp");
    assert_string_equal(qtr_table_cell(t, 1, 1), "9");
    assert_int_equal(t->line[1], 3);
    qtr_table_free(t);
}

static void test_utf16le(void **state)
{
    (void)state;
    struct qtr_csv_info info;
    struct qtr_table *t = read_fixture("utf16le_bom.txt", NULL, &info);
    assert_int_equal(info.encoding, QTR_ENC_UTF16LE);
    assert_int_equal(info.had_bom, 1);
    assert_int_equal(info.separator, '\t');
    assert_string_equal(t->names[1], "Einwohner");
    assert_string_equal(qtr_table_cell(t, 0, 0), "M\xC3\xBChlenkamp");
    assert_string_equal(qtr_table_cell(t, 0, 1), "1675");
    qtr_table_free(t);
}

static void test_tab(void **state)
{
    (void)state;
    struct qtr_csv_info info;
    struct qtr_table *t = read_fixture("tab.tsv", NULL, &info);
    assert_int_equal(info.separator, '\t');
    assert_int_equal(info.decimal_mark, '.'); /* "0.25" reads only with a decimal point */
    assert_int_equal(t->ncols, 3);
    assert_close(num(t, 0, 1, info.decimal_mark), 11358, 0);
    assert_close(num(t, 1, 2, info.decimal_mark), 0.31, 1e-12);
    qtr_table_free(t);
}

static void test_comma_quotes(void **state)
{
    (void)state;
    struct qtr_csv_info info;
    struct qtr_table *t = read_fixture("comma_quotes.csv", NULL, &info);
    assert_int_equal(info.separator, ',');
    assert_int_equal(info.decimal_mark, '.');
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(qtr_table_cell(t, 0, 0), "Altona, Nord");
    assert_string_equal(qtr_table_cell(t, 0, 1), "said \"hi\"");
    assert_string_equal(qtr_table_cell(t, 1, 0), "Line\nbreak");
    assert_string_equal(qtr_table_cell(t, 1, 1), "a;b;c");
    assert_string_equal(qtr_table_cell(t, 2, 1), "");
    assert_close(num(t, 2, 2, '.'), 3.25, 0);
    /* the record with a line break inside quotes starts on line 3; the next on line 5 */
    assert_int_equal(t->line[1], 3);
    assert_int_equal(t->line[2], 5);
    qtr_table_free(t);
}

static void test_hamburg_style(void **state)
{
    (void)state;
    struct qtr_csv_options opt = {0, QTR_ENC_AUTO, 3, 0};
    struct qtr_csv_info info;
    struct qtr_table *t = read_fixture("hamburg_style.csv", &opt, &info);
    assert_int_equal(info.separator, ';');
    assert_int_equal(info.decimal_mark, ',');
    assert_int_equal(info.skipped_blank_rows, 1);
    assert_int_equal(t->ncols, 3); /* the trailing ';' column has no name and no data */
    assert_int_equal(info.dropped_columns, 1);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(t->names[0], "Stadtgebiet");
    assert_string_equal(t->names[1], "Bev\xC3\xB6lkerung");
    assert_string_equal(qtr_table_cell(t, 0, 1), " 1 675    "); /* kept as written */
    assert_close(num(t, 0, 1, ','), 1675, 0);
    assert_close(num(t, 0, 2, ','), 9.7, 1e-12);
    assert_close(num(t, 1, 1, ','), -23, 0);
    struct qtr_number_format f = {','};
    assert_int_equal(qtr_cell_parse(qtr_table_cell(t, 1, 2), f).kind, QTR_CELL_SECRET);
    assert_int_equal(qtr_cell_parse(qtr_table_cell(t, 2, 2), f).kind, QTR_CELL_ZERO);
    assert_close(num(t, 2, 1, ','), 12301, 0);
    assert_int_equal(t->line[2], 7);
    qtr_table_free(t);

    /* header_row 1 takes the title as the only named column: data in unnamed columns */
    struct qtr_error err = {0};
    opt.header_row = 1;
    t = NULL;
    int rc = qtr_csv_read(qtr_test_path("tests/data/csv/hamburg_style.csv"), &opt, &t, NULL, &err);
    assert_int_equal(rc, QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "hamburg_style.csv"));
    assert_non_null(strstr(err.msg, "no name"));
}

static void test_skip_after_header_and_padding(void **state)
{
    (void)state;
    struct qtr_csv_options opt = {0, QTR_ENC_AUTO, 1, 1};
    struct qtr_csv_info info;
    struct qtr_table *t =
        parse("id;n;m\nSchl\xC3\xBCssel;Anzahl;Anzahl\n01;5\n\n02;6;7\n", &opt, &info);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(qtr_table_cell(t, 0, 0), "01");
    assert_string_equal(qtr_table_cell(t, 0, 2), ""); /* short row padded */
    assert_string_equal(qtr_table_cell(t, 1, 2), "7");
    assert_int_equal(info.skipped_blank_rows, 1);
    assert_int_equal(t->line[1], 5);
    qtr_table_free(t);
}

static void test_header_row_counts_blank_rows(void **state)
{
    (void)state;
    /* rows as a spreadsheet numbers them: the blank line 2 is row 2 */
    struct qtr_csv_options opt = {0, QTR_ENC_AUTO, 4, 0};
    struct qtr_csv_info info;
    struct qtr_table *t =
        parse("Bev\xC3\xB6lkerung 2013\n\nQuelle: Beispiel\na;b\n1;2\n", &opt, &info);
    assert_int_equal(t->ncols, 2);
    assert_string_equal(t->names[1], "b");
    assert_int_equal(t->nrows, 1);
    assert_int_equal(t->line[0], 5);
    assert_int_equal(info.skipped_blank_rows, 0);
    assert_int_equal(info.dropped_columns, 0);
    qtr_table_free(t);
}

static void test_explicit_options(void **state)
{
    (void)state;
    /* a given separator wins over detection; a given encoding over UTF-8 validity */
    struct qtr_csv_options opt = {',', QTR_ENC_AUTO, 0, 0};
    struct qtr_csv_info info;
    struct qtr_table *t = parse("a;b,c\n1;2,3\n", &opt, &info);
    assert_int_equal(t->ncols, 2);
    assert_string_equal(t->names[0], "a;b");
    qtr_table_free(t);

    opt = (struct qtr_csv_options){0, QTR_ENC_CP1252, 0, 0};
    t = parse("x\n\xC3\xBC\n", &opt, &info);
    assert_int_equal(info.encoding, QTR_ENC_CP1252);
    assert_string_equal(qtr_table_cell(t, 0, 0), "\xC3\x83\xC2\xBC"); /* mojibake, as asked */
    qtr_table_free(t);

    opt = (struct qtr_csv_options){0, QTR_ENC_UTF8, 0, 0};
    const char *msg = parse_error("x\nM\xFChle\n", &opt, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "UTF-8"));
}

static void test_separator_detection(void **state)
{
    (void)state;
    struct qtr_csv_info info;
    /* ';' file with decimal commas: commas vary per line, ';' is consistent */
    struct qtr_table *t = parse("a;b\n1,5;2\n3;4,25\n", NULL, &info);
    assert_int_equal(info.separator, ';');
    assert_int_equal(info.decimal_mark, ',');
    qtr_table_free(t);
    /* ',' file whose quoted cells contain ';' */
    t = parse("a,b\n\"x;y\",1\n\"z;w;v\",2\n", NULL, &info);
    assert_int_equal(info.separator, ',');
    assert_int_equal(t->ncols, 2);
    qtr_table_free(t);
    /* single column: no separator anywhere, one column */
    t = parse("Stadtteil\nAltona\n", NULL, &info);
    assert_int_equal(t->ncols, 1);
    assert_int_equal(t->nrows, 1);
    qtr_table_free(t);
    /* ragged footnote line: most lines agree on ';' */
    t = parse("a;b;c\n1;2;3\n4;5;6\nQuelle: Statistikamt Nord; Stand 2014\n", NULL, &info);
    assert_int_equal(info.separator, ';');
    qtr_table_free(t);
}

static void test_errors(void **state)
{
    (void)state;
    const char *msg = parse_error("a;b;a\n1;2;3\n", NULL, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "'a'"));
    assert_non_null(strstr(msg, "twice"));

    msg = parse_error("a;;c\n1;2;3\n", NULL, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "column 2"));

    msg = parse_error("a;b\n1;2\n3;4;5\n", NULL, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "line 3"));

    msg = parse_error("a;b\n1;\"open\n2;3\n", NULL, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "line 2"));
    assert_non_null(strstr(msg, "not closed"));

    struct qtr_csv_options opt = {0, QTR_ENC_AUTO, 5, 0};
    msg = parse_error("a;b\n1;2\n", &opt, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "row 5"));

    msg = parse_error("", NULL, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "0 rows"));

    msg = parse_error("Titel\n\na;b\n", &opt, QTR_ERR_DATA);
    opt.header_row = 2;
    msg = parse_error("Titel\n\na;b\n", &opt, QTR_ERR_DATA);
    assert_non_null(strstr(msg, "empty"));

    /* extra cells that are empty (trailing separators) are fine */
    struct qtr_table *t = parse("a;b\n1;2;;\n", NULL, NULL);
    assert_int_equal(t->nrows, 1);
    qtr_table_free(t);

    struct qtr_error err = {0};
    t = NULL;
    int rc = qtr_csv_read("/nonexistent/bevoelkerung.csv", NULL, &t, NULL, &err);
    assert_int_equal(rc, QTR_ERR_IO);
    assert_null(t);
    assert_non_null(strstr(err.msg, "bevoelkerung.csv"));
}

static void test_to_utf8(void **state)
{
    (void)state;
    char *s = NULL;
    enum qtr_encoding enc;
    int bom;
    struct qtr_error err = {0};
    assert_int_equal(qtr_to_utf8("\xEF\xBB\xBF"
                                 "a",
                                 4, QTR_ENC_AUTO, &s, &enc, &bom, &err),
                     0);
    assert_string_equal(s, "a");
    assert_int_equal(enc, QTR_ENC_UTF8);
    assert_int_equal(bom, 1);
    free(s);
    assert_int_equal(qtr_to_utf8("\xFE\xFF\0a\0\xE4", 6, QTR_ENC_AUTO, &s, &enc, &bom, &err), 0);
    assert_string_equal(s, "a\xC3\xA4");
    assert_int_equal(enc, QTR_ENC_UTF16BE);
    free(s);
    /* UTF-16LE without BOM, recognised by the zero high bytes */
    assert_int_equal(qtr_to_utf8("a\0;\0b\0\n\0", 8, QTR_ENC_AUTO, &s, &enc, &bom, &err), 0);
    assert_string_equal(s, "a;b\n");
    assert_int_equal(enc, QTR_ENC_UTF16LE);
    assert_int_equal(bom, 0);
    free(s);
    assert_int_equal(qtr_to_utf8("\xE4", 1, QTR_ENC_AUTO, &s, &enc, NULL, &err), 0);
    assert_string_equal(s, "\xC3\xA4");
    assert_int_equal(enc, QTR_ENC_CP1252);
    free(s);
    assert_string_equal(qtr_encoding_name(QTR_ENC_CP1252), "Windows-1252");
}

/* A NUL character is an error naming its line, in every encoding: converted text ends at a
 * NUL, so the rows after it would be dropped without a word. */
static void test_nul(void **state)
{
    (void)state;
    char *s = NULL;
    struct qtr_error err = {0};
    /* Windows-1252 (the 0xE4 is no UTF-8), NUL on the third line after CRLF, CR and LF ends */
    static const char cp[] = "B;\xE4\r\n01;1\r02;2\n03\0;3\n";
    assert_int_equal(qtr_to_utf8(cp, sizeof cp - 1, QTR_ENC_AUTO, &s, NULL, NULL, &err),
                     QTR_ERR_DATA);
    assert_null(s);
    assert_non_null(strstr(err.msg, "line 4 holds a NUL byte (byte 18 of the file)"));
    static const char u8[] = "B;x\n01;\0\n";
    assert_int_equal(qtr_to_utf8(u8, sizeof u8 - 1, QTR_ENC_UTF8, &s, NULL, NULL, &err),
                     QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "line 2 holds a NUL byte (byte 8 of the file)"));
    /* UTF-16LE with BOM: a zero code unit on line 2; the zero high bytes are no NUL */
    static const char u16[] = "\xFF\xFE" "a\0\n\0b\0\0\0";
    assert_int_equal(qtr_to_utf8(u16, sizeof u16 - 1, QTR_ENC_AUTO, &s, NULL, NULL, &err),
                     QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "line 2 holds a NUL byte (byte 9 of the file)"));
    /* through the parser the message names the file */
    struct qtr_table *t = NULL;
    assert_int_equal(qtr_csv_parse(cp, sizeof cp - 1, "stats.csv", NULL, &t, NULL, &err),
                     QTR_ERR_DATA);
    assert_null(t);
    assert_non_null(strstr(err.msg, "'stats.csv': line 4 holds a NUL byte"));
}

static void test_hamburg_real(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char path[4096];
    snprintf(path, sizeof path, "%s/data/hamburg/Daten_fuer_die_Stadtteilprofile_2014.csv", shared);
    struct qtr_csv_info info;
    struct qtr_error err = {0};
    struct qtr_table *t = NULL;
    if (qtr_csv_read(path, NULL, &t, &info, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(info.separator, ';');
    assert_int_equal(info.encoding, QTR_ENC_UTF8);
    assert_int_equal(info.decimal_mark, ',');
    assert_int_equal(t->nrows, 107);
    assert_int_equal(t->ncols, 69);
    assert_string_equal(t->names[0], "Stadtgebiet");
    assert_string_equal(t->names[4], "65-J\xC3\xA4hrige und \xC3\x84ltere"); /* name trimmed */
    assert_string_equal(qtr_table_cell(t, 0, 0), "Hamburg-Altstadt");
    assert_string_equal(qtr_table_cell(t, 106, 0), "Hamburg");

    struct qtr_number_format f = {info.decimal_mark};
    size_t kinds[QTR_CELL_KIND_COUNT] = {0};
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 1; c < t->ncols; c++)
            kinds[qtr_cell_parse(qtr_table_cell(t, r, c), f).kind]++;
    assert_int_equal(kinds[QTR_CELL_SECRET], 84); /* PROVENANCE.md */
    assert_int_equal(kinds[QTR_CELL_ZERO], 2);
    assert_int_equal(kinds[QTR_CELL_INVALID], 0);
    assert_int_equal(kinds[QTR_CELL_MISSING], 0);
    assert_int_equal(kinds[QTR_CELL_VALUE], 107 * 68 - 86);

    assert_close(num(t, 0, 1, ','), 1675, 0);
    assert_close(num(t, 0, 3, ','), 9.7, 1e-12);
    /* the seven Bezirk rows (100-106) add up to the Hamburg row */
    double sum = 0;
    for (size_t r = 99; r < 106; r++)
        sum += num(t, r, 1, ',');
    assert_close(sum, num(t, 106, 1, ','), 0);
    assert_close(sum, 1788994, 0);

    /* Name keys: the 99 Stadtteil rows stay distinct, and exactly the four names PROVENANCE.md
     * lists (Eimsbüttel, Wandsbek, Bergedorf, Harburg) are both Stadtteil and Bezirk. */
    char *keys[107];
    for (size_t r = 0; r < 107; r++) {
        keys[r] = qtr_name_key(qtr_table_cell(t, r, 0));
        assert_non_null(keys[r]);
    }
    size_t same_stadtteil = 0, stadtteil_bezirk = 0;
    for (size_t a = 0; a < 99; a++) {
        for (size_t b = a + 1; b < 99; b++)
            same_stadtteil += strcmp(keys[a], keys[b]) == 0;
        for (size_t b = 99; b < 107; b++)
            stadtteil_bezirk += strcmp(keys[a], keys[b]) == 0;
    }
    assert_int_equal(same_stadtteil, 0);
    assert_int_equal(stadtteil_bezirk, 4);
    assert_string_equal(keys[0], "hamburg altstadt");
    for (size_t r = 0; r < 107; r++)
        free(keys[r]);
    qtr_table_free(t);
}

static void test_berlin_real(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char path[4096];
    struct qtr_csv_info info;
    struct qtr_error err = {0};
    struct qtr_table *t = NULL;

    /* EWR: ';', CRLF, ASCII, 448 PLR, sum of E_E = 3,769,962 (PROVENANCE.md) */
    snprintf(path, sizeof path, "%s/data/berlin/lor2019_plr448/EWR202012E_Matrix.csv", shared);
    if (qtr_csv_read(path, NULL, &t, &info, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(info.separator, ';');
    assert_int_equal(t->nrows, 448);
    assert_int_equal(t->ncols, 51);
    size_t key, ee;
    assert_int_equal(qtr_table_require_column(t, "RAUMID", "key column", &key, &err), 0);
    assert_int_equal(qtr_table_require_column(t, "E_E", "total column", &ee, &err), 0);
    assert_string_equal(qtr_table_cell(t, 0, key), "01011101"); /* text: leading zero kept */
    double sum = 0;
    for (size_t r = 0; r < t->nrows; r++)
        sum += num(t, r, ee, info.decimal_mark);
    assert_close(sum, 3769962, 0);
    qtr_table_free(t);

    /* MSS 2021: ',' with quoted ids, UTF-8 names, one empty EW, six -9999 sentinels */
    snprintf(path, sizeof path, "%s/data/berlin/lor2021_plr542/mss_2021_indizes.csv", shared);
    t = NULL;
    if (qtr_csv_read(path, NULL, &t, &info, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(info.separator, ',');
    assert_int_equal(info.decimal_mark, '.');
    assert_int_equal(t->nrows, 542);
    assert_int_equal(t->ncols, 13);
    assert_string_equal(t->names[1], "PLR_ID");
    assert_string_equal(qtr_table_cell(t, 0, 1), "01100101");
    assert_string_equal(qtr_table_cell(t, 0, 2), "St\xC3\xBClerstra\xC3\x9F"
                                                 "e");
    assert_string_equal(qtr_table_cell(t, 0, 11), "Status mittel , Dynamik negativ");
    struct qtr_number_format f = {info.decimal_mark};
    size_t empty_ew = 0, sentinel = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        struct qtr_cell ew = qtr_cell_parse(qtr_table_cell(t, r, 3), f);
        empty_ew += ew.kind == QTR_CELL_MISSING;
        struct qtr_cell si = qtr_cell_parse(qtr_table_cell(t, r, 5), f);
        sentinel += si.kind == QTR_CELL_VALUE && si.value == -9999.0;
    }
    assert_int_equal(empty_ew, 1);
    assert_int_equal(sentinel, 6);
    qtr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cp1252_crlf),
        cmocka_unit_test(test_utf8_bom_and_cr),
        cmocka_unit_test(test_utf16le),
        cmocka_unit_test(test_tab),
        cmocka_unit_test(test_comma_quotes),
        cmocka_unit_test(test_hamburg_style),
        cmocka_unit_test(test_skip_after_header_and_padding),
        cmocka_unit_test(test_header_row_counts_blank_rows),
        cmocka_unit_test(test_explicit_options),
        cmocka_unit_test(test_separator_detection),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_to_utf8),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_hamburg_real),
        cmocka_unit_test(test_berlin_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
