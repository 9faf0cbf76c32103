/* The analysis-file reader: defaults, every section, continuation lines, and the errors a
 * planner meets (unknown key with its line, malformed values, missing required keys). */
#include "test_util.h"

#include <unistd.h>

#include "quartier/config.h"
#include "quartier/csv.h"

static char path[256];

static void write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/quartier-config-%ld.ini", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int load(const char *text, struct qtr_config *cfg, struct qtr_error *err)
{
    write_file(text);
    qtr_config_init(cfg);
    return qtr_config_load(path, cfg, err);
}

static const char *minimal = "[boundaries]\nsource = b.shp\nkey = id\n"
                             "[population]\ntotal = ew\n";

static void test_minimal_and_defaults(void **state)
{
    (void)state;
    struct qtr_config c;
    struct qtr_error e = {0};
    assert_int_equal(load(minimal, &c, &e), QTR_OK);
    assert_true(c.min_population == 300);
    assert_int_equal(c.permutations, 999);
    assert_string_equal(c.language, "de");
    assert_true(c.suppressed_low == 1 && c.suppressed_high == 2);
    /* relative paths resolve against the file's folder */
    assert_string_equal(c.bnd_source, "/tmp/b.shp");
    assert_string_equal(c.output, "/tmp/quartier-out");
    qtr_config_release(&c);
}

static void test_full(void **state)
{
    (void)state;
    struct qtr_config c;
    struct qtr_error e = {0};
    int rc = load("[analysis]\nlanguage = en\ncrs = EPSG:25833\nsuppressed_range = 1..3\n"
                  "centre = 390000.5, 5820000\ncentral_radius = 1500\nnull = evenness\n"
                  "[boundaries]\nsource = ../data/lor.shp\nkey = PLR_ID\nparent = prefix:2\n"
                  "[table ew]\nsource = ew.csv\nkey = RAUMID\nseparator = semicolon\n"
                  "encoding = cp1252\nheader_row = 3\ncolumns = A, B,\n  C\nna_values = -9999\n"
                  "[population]\ntotal = E_E\nprevious_total = E_E_2015\n"
                  "previous_date = 2015-12-31\ndate = 2020-12-31\n"
                  "[group mh]\ncolumn = E_EM\nmultigroup = yes\n"
                  "[group ohne]\ncolumn = E_OM\nmultigroup = yes\n"
                  "[indicator sgb2]\nexpr = 100.0 * \"SGB II\" /\n  \"EW 15-65\"\nprevious = 1\n"
                  "direction = higher_worse\nstatus_weight = 1\n"
                  "[renewal]\nstatus_thresholds = -1, 1, 1.5\n"
                  "[target t1]\nindicator = sgb2\nvalue = 10\nyear = 2030\n",
                  &c, &e);
    assert_int_equal(rc, QTR_OK);
    assert_string_equal(c.language, "en");
    assert_true(c.suppressed_high == 3);
    assert_int_equal(c.centre_mode, 1);
    assert_close(c.centre_x, 390000.5, 0);
    assert_close(c.central_radius, 1500, 0);
    assert_int_equal(c.null_model, 1);
    assert_string_equal(c.bnd_source, "/data/lor.shp");
    assert_int_equal(c.ntables, 1);
    assert_int_equal(c.tables[0].separator, ';');
    assert_int_equal(c.tables[0].encoding, QTR_ENC_CP1252);
    assert_int_equal(c.tables[0].header_row, 3);
    /* an indented line continues the value */
    assert_string_equal(c.tables[0].columns, "A, B, C");
    assert_string_equal(c.indicators[0].expr, "100.0 * \"SGB II\" / \"EW 15-65\"");
    assert_int_equal(c.groups[0].multigroup, 1);
    assert_int_equal(c.targets[0].year, 2030);
    qtr_config_release(&c);
}

static void expect_error(const char *text, int code, const char *needle)
{
    struct qtr_config c;
    struct qtr_error e = {0};
    assert_int_equal(load(text, &c, &e), code);
    if (!strstr(e.msg, needle))
        fail_msg("expected '%s' in: %s", needle, e.msg);
    qtr_config_release(&c);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("[analysis]\ntitle = x\ncolour = blue\n", QTR_ERR_USAGE,
                 ":3: unknown key 'colour' in [analysis]");
    expect_error("[analysis]\n[weird]\na = b\n", QTR_ERR_USAGE, ":2: unknown section [weird]");
    expect_error("[analysis]\nmin_population = many\n", QTR_ERR_USAGE,
                 "'min_population' must be a number");
    expect_error("[analysis]\nsuppressed_range = 2..1\n", QTR_ERR_USAGE, "suppressed_range");
    expect_error("[table Bad-Name]\nsource = x\n", QTR_ERR_USAGE, "lower-case letters");
    expect_error("[table t]\nseparator = ;\n", QTR_ERR_USAGE, "separator must be");
    expect_error("[population]\ntotal = a\ntotal = b\n", QTR_ERR_USAGE,
                 ":3: key 'total' appears twice in [population] (also on line 2)");
    expect_error("[population]\ntotal = a\n", QTR_ERR_USAGE, "[boundaries] needs 'source = '");
    expect_error("[boundaries]\nsource = b\nkey = k\n", QTR_ERR_USAGE,
                 "[population] needs 'total = '");
    expect_error("[boundaries]\nsource = b\nkey = k\n[population]\ntotal = t\n"
                 "[target x]\nindicator = nope\nvalue = 1\nyear = 2030\n",
                 QTR_ERR_USAGE, "names indicator 'nope'");
    char longline[400];
    memset(longline, 'x', sizeof longline);
    memcpy(longline, "[analysis]\ntitle = ", 19);
    longline[sizeof longline - 2] = '\n';
    longline[sizeof longline - 1] = '\0';
    expect_error(longline, QTR_ERR_USAGE, ":2: line is longer than");
    struct qtr_config c;
    struct qtr_error e = {0};
    qtr_config_init(&c);
    assert_int_equal(qtr_config_load("/nonexistent/a.ini", &c, &e), QTR_ERR_IO);
    assert_non_null(strstr(e.msg, "/nonexistent/a.ini"));
    qtr_config_release(&c);
}

/* Load `text` from the test file and compare the whole message, "%s" standing for the path. */
static void expect_exact(const char *text, const char *expected_fmt)
{
    struct qtr_config c;
    struct qtr_error e = {0};
    assert_int_equal(load(text, &c, &e), QTR_ERR_USAGE);
    char expected[QTR_ERROR_MSG_SIZE];
    snprintf(expected, sizeof expected, expected_fmt, path);
    assert_string_equal(e.msg, expected);
    qtr_config_release(&c);
}

/* A section or key given twice is an error naming both lines; a value continued on an
 * indented line is not a repetition. */
static void test_repeated(void **state)
{
    (void)state;
    expect_exact("[analysis]\ntitle = a\n[boundaries]\nsource = b\nkey = k\n[analysis]\nseed = 2\n",
                 "%s:6: section [analysis] appears twice (also on line 1); put all its keys "
                 "under one [analysis] header");
    expect_exact("[group mh]\ncolumn = a\n\n[group  mh]\ncolumn = b\n",
                 "%s:4: section [group mh] appears twice (also on line 1); put all its keys "
                 "under one [group mh] header, or give the second one another name");
    expect_exact("[renewal]\n[renewal]\n", "%s:2: section [renewal] appears twice (also on "
                                           "line 1); put all its keys under one [renewal] header");
    /* two spellings of one key */
    expect_exact("[analysis]\ncentre = mean\ncenter = population\n",
                 "%s:3: key 'centre' (as 'center') appears twice in [analysis] (also on line 2); "
                 "keep one, or indent a line to continue a value");
    expect_exact("[table t]\ncolumns = A,\n  B\ncolumns = C\n",
                 "%s:4: key 'columns' appears twice in [table t] (also on line 2); keep one, or "
                 "indent a line to continue a value");
    /* the same key in two sections is no repetition */
    struct qtr_config c;
    struct qtr_error e = {0};
    assert_int_equal(load("[boundaries]\nsource = b\nkey = k\n[table a]\nsource = a.csv\nkey = k\n"
                          "[table b]\nsource = b.csv\nkey = k\n[population]\ntotal = t\n",
                          &c, &e),
                     QTR_OK);
    assert_int_equal(c.ntables, 2);
    assert_string_equal(c.tables[1].source, "/tmp/b.csv");
    assert_int_equal(c.tables[1].line, 7);
    qtr_config_release(&c);
}

/* Values out of their range, each at its line. */
static void test_values(void **state)
{
    (void)state;
    expect_exact("[population]\ndate = 2022-13-45\n",
                 "%s:2: 'date' = 2022-13-45 is not a date: there is no month 13 (write "
                 "YYYY-MM-DD)");
    expect_exact("[table t]\nsource = t.csv\ndate = gestern\n",
                 "%s:3: 'date' must be a date written YYYY-MM-DD (e.g. 2022-12-31), not "
                 "'gestern'");
    expect_exact("[population]\ntotal = t\nprevious_date = 2023-02-29\n",
                 "%s:3: 'previous_date' = 2023-02-29 is not a date: February 2023 has 28 days "
                 "(write YYYY-MM-DD)");
    expect_exact("[population]\ndate = 31.12.2022\n",
                 "%s:2: 'date' must be written YYYY-MM-DD: write '2022-12-31' for '31.12.2022'");
    expect_exact("[renewal]\nyears = -2\n",
                 "%s:2: 'years' must be more than 0 and at most 100 (the years between the two "
                 "reference dates), not '-2'; leave it out to take it from the dates");
    expect_exact("[analysis]\nmin_count = -1\n",
                 "%s:2: 'min_count' must be a whole number from 0 to 1000, not '-1'");
    expect_exact("[renewal]\nstatus_thresholds = 1, -1, 1.5\n",
                 "%s:2: the limits in 'status_thresholds' must increase strictly from left to "
                 "right, as in '-1, 1, 1.5', not '1, -1, 1.5'");
    expect_exact("[renewal]\nmethod = mss\ndynamics_thresholds = 1, 1\n",
                 "%s:3: the limits in 'dynamics_thresholds' must increase strictly from left to "
                 "right, as in '-1, 1', not '1, 1'");
    expect_exact("[renewal]\nstatus_thresholds = -1, 1\n",
                 "%s:2: 'status_thresholds' must be 3 numbers separated by commas (decimal "
                 "point), e.g. '-1, 1, 1.5', not '-1, 1'");
    /* the first error by line wins, whichever pass finds it */
    expect_exact("[analysis]\nseed = -3\n[analysis]\n",
                 "%s:2: 'seed' must be a whole number from 0 to 18446744073709551615, not '-3'");
    expect_exact("[analysis]\n[analysis]\nseed = -3\n",
                 "%s:2: section [analysis] appears twice (also on line 1); put all its keys "
                 "under one [analysis] header");
    expect_exact("[analysis]\ntitle = a\nohne Gleichheitszeichen\n",
                 "%s:3: 'ohne Gleichheitszeichen' is neither 'key = value', a [section] nor a "
                 "comment; indent it to continue the value above, or start it with '#' to make "
                 "it a comment");
}

static const char *base = "[boundaries]\nsource = b.shp\nkey = id\n"            /* 1-3 */
                          "[population]\ntotal = ew\n"                          /* 4-5 */
                          "[group mh]\ncolumn = mh\n[group ohne]\ncolumn = o\n" /* 6-9 */
                          "[indicator sgb2]\nexpr = 1\nstatus_weight = 1\n";    /* 10-12 */

/* References between sections, checked when the file is read. */
static void test_references(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s[renewal]\nmethod = mss\nsegregation_group = nope\n", base);
    expect_exact(text, "%s:15: segregation_group = nope names no [group]; write the ID of one "
                       "of the groups (mh, ohne)");
    expect_exact("[boundaries]\nsource = b.shp\nkey = id\n[population]\ntotal = ew\n"
                 "[indicator a]\nexpr = 1\nstatus_weight = 1\n[renewal]\nsegregation_group = mh\n",
                 "%s:10: segregation_group = mh names no [group]; write the ID of one of the "
                 "groups (none)");
    snprintf(text, sizeof text, "%s[renewal]\nsegregation_group = ohne\n", base);
    struct qtr_config c;
    struct qtr_error e = {0};
    assert_int_equal(load(text, &c, &e), QTR_OK);
    assert_string_equal(c.segregation_group, "ohne");
    qtr_config_release(&c);
    snprintf(text, sizeof text, "%s[target t]\nindicator = sgb\nvalue = 1\nyear = 2030\n", base);
    expect_exact(text, "%s:14: [target t] names indicator 'sgb', which no [indicator] section "
                       "defines (defined: sgb2)");
    expect_exact("[boundaries]\nsource = b.shp\nkey = id\n[population]\ntotal = ew\n"
                 "date = 2020-12-31\nprevious_total = ew_2015\nprevious_date = 2021-12-31\n",
                 "%s:8: previous_date 2021-12-31 is not before date 2020-12-31; the previous "
                 "reference date must be the earlier one");
}

/* A [table] on its own district layout (issue 13): boundaries, boundaries_key, carry. */
static void test_carried_table(void **state)
{
    (void)state;
    struct qtr_config c;
    struct qtr_error e = {0};
    const char *head = "[boundaries]\nsource = b.shp\nkey = id\n[population]\ntotal = ew\n";
    char text[1024];
    snprintf(text, sizeof text,
             "%s[table a]\nsource = a.csv\nkey = id\nboundaries = old.geojson\n"
             "boundaries_key = ID\nboundaries_layer = plr\ncarry = weights  ew_2024\n"
             "sliver_area = 100\n"
             "[table b]\nsource = b.csv\nkey = id\nboundaries = old.geojson\n"
             "boundaries_key = ID\n"
             "[table c]\nsource = c.csv\nkey = id\ncarry = correspondence x/corr.csv\n"
             "[table d]\nsource = d.csv\nkey = id\n",
             head);
    assert_int_equal(load(text, &c, &e), QTR_OK);
    assert_int_equal(c.ntables, 4);
    assert_string_equal(c.tables[0].bnd_source, "/tmp/old.geojson");
    assert_string_equal(c.tables[0].bnd_key, "ID");
    assert_string_equal(c.tables[0].bnd_layer, "plr");
    assert_int_equal(c.tables[0].carry, QTR_TABLE_CARRY_WEIGHTS);
    assert_string_equal(c.tables[0].carry_weights, "ew_2024");
    assert_true(c.tables[0].sliver_area == 100);
    assert_int_equal(c.tables[1].carry, QTR_TABLE_CARRY_NONE); /* area by default */
    assert_true(c.tables[1].sliver_area < 0);
    assert_int_equal(c.tables[2].carry, QTR_TABLE_CARRY_CORRESPONDENCE);
    assert_string_equal(c.tables[2].carry_corr, "/tmp/x/corr.csv");
    assert_null(c.tables[3].bnd_source);
    qtr_config_release(&c);

    /* errors at read time, each at its line (exit 2) */
    snprintf(text, sizeof text, "%s[table a]\nsource = a.csv\nkey = id\ncarry = nearest\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":9: carry must be 'area', 'weights COLUMN' or");
    snprintf(text, sizeof text, "%s[table a]\nsource = a.csv\nkey = id\ncarry = weights\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":9: carry = weights needs the column");
    snprintf(text, sizeof text,
             "%s[table a]\nsource = a.csv\nkey = id\nboundaries = o.shp\nsliver_area = -1\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":10: 'sliver_area' must be at least 0");
    snprintf(text, sizeof text, "%s[table a]\nsource = a.csv\nkey = id\nboundaries = o.shp\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":9: [table a] names its own boundaries but no "
                                      "'boundaries_key = '");
    snprintf(text, sizeof text, "%s[table a]\nsource = a.csv\nkey = id\nboundaries_key = K\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":9: [table a] has 'boundaries_key = ' but no");
    snprintf(text, sizeof text, "%s[table a]\nsource = a.csv\nkey = id\ncarry = area\n", head);
    expect_error(text, QTR_ERR_USAGE, ":9: [table a] carries by area, which needs");
    snprintf(text, sizeof text,
             "%s[table a]\nsource = a.csv\nkey = id\nboundaries = o.shp\nboundaries_key = K\n"
             "carry = correspondence c.csv\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":9: [table a] carries by a correspondence table");
    snprintf(text, sizeof text, "%s[table a]\nsource = a.csv\nkey = id\nsliver_area = 5\n",
             head);
    expect_error(text, QTR_ERR_USAGE, ":9: [table a] has 'sliver_area = ' but no own");
    expect_error("[boundaries]\nsource = b.shp\nkey = id\nname = n\n[population]\ntotal = ew\n"
                 "[table a]\nsource = a.csv\nkey = id\njoin = name\nboundaries = o.shp\n"
                 "boundaries_key = K\n", QTR_ERR_USAGE, ":10: [table a] is carried from its own layout");
}

/* qtr_config_line and qtr_config_where: the line of a key for messages of later stages. */
static void test_line_lookup(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF; comment\n"                       /* 1 (byte order mark) */
                       "[analysis]\n"                                  /* 2 */
                       "center = mean\n"                               /* 3 */
                       "[boundaries]\nsource = b.shp\nkey = id\n"      /* 4-6 */
                       "[table ew]\nsource = ew.csv\nkey = k\n"        /* 7-9 */
                       "columns = A,\n"                                /* 10 */
                       "  B\n"                                         /* 11 */
                       "[population]\ntotal = ew\ndate = 2022-12-31\n" /* 12-14 */
                       "previous_total = ew0\nprevious_date = 2020-12-31\n"       /* 15-16 */
                       "[group mh]\r\ncolumn = mh\r\n"                            /* 17-18 */
                       "[target sgb2_hochfeld]\n"                                 /* 19 */
                       "indicator = x\nvalue = 1\nyear = 2030\ndistrict = 0101\n" /* 20-23 */
                       "[indicator x]\nexpr = 1\nprevious = 1\n";                 /* 24-26 */
    struct qtr_config c;
    struct qtr_error e = {0};
    qtr_config_init(&c);
    assert_int_equal(qtr_config_line(&c, "analysis", NULL), 0); /* not read from a file */
    int rc = qtr_config_load_text(text, strlen(text), "/data/stadt/a.ini", &c, &e);
    if (rc)
        fail_msg("%s", e.msg);
    assert_int_equal(qtr_config_line(&c, "analysis", NULL), 2);
    assert_int_equal(qtr_config_line(&c, "analysis", "centre"), 3);
    assert_int_equal(qtr_config_line(&c, "analysis", "center"), 3);
    assert_int_equal(qtr_config_line(&c, "table ew", NULL), 7);
    assert_int_equal(qtr_config_line(&c, "table ew", "columns"), 10);
    assert_int_equal(qtr_config_line(&c, "group mh", "column"), 18);
    assert_int_equal(qtr_config_line(&c, "group  mh", NULL), 17);
    assert_int_equal(qtr_config_line(&c, "target sgb2_hochfeld", "district"), 23);
    assert_int_equal(qtr_config_line(&c, "analysis", "seed"), 0);
    assert_int_equal(qtr_config_line(&c, "group ohne", NULL), 0);
    assert_int_equal(qtr_config_line(NULL, "analysis", NULL), 0);
    assert_string_equal(c.tables[0].columns, "A, B");
    assert_string_equal(c.tables[0].source, "/data/stadt/ew.csv");
    char w[256];
    assert_string_equal(qtr_config_where(&c, "target sgb2_hochfeld", "district", w, sizeof w),
                        "/data/stadt/a.ini:23");
    /* a key left at its default: the section header */
    assert_string_equal(qtr_config_where(&c, "analysis", "seed", w, sizeof w),
                        "/data/stadt/a.ini:2");
    assert_string_equal(qtr_config_where(&c, "renewal", "exclude", w, sizeof w),
                        "/data/stadt/a.ini");
    qtr_config_release(&c);
    assert_string_equal(qtr_config_where(&c, "analysis", NULL, w, sizeof w), "the command line");
}

/* What inih would misread is refused at its line. */
static void test_bytes(void **state)
{
    (void)state;
    struct qtr_config c;
    struct qtr_error e = {0};
    qtr_config_init(&c);
    static const char nul[] = "[analysis]\ntitle = a\0b\n";
    assert_int_equal(qtr_config_load_text(nul, sizeof nul - 1, "/x/a.ini", &c, &e), QTR_ERR_USAGE);
    assert_string_equal(e.msg, "/x/a.ini:2: the line contains a NUL byte: the analysis file must "
                               "be text in UTF-8 (is it saved as UTF-16? save it as UTF-8)");
    qtr_config_release(&c);
    static const char latin1[] = "[analysis]\ntitle = Gr\xfcnau\n";
    assert_int_equal(qtr_config_load_text(latin1, sizeof latin1 - 1, "/x/a.ini", &c, &e),
                     QTR_ERR_USAGE);
    assert_string_equal(e.msg, "/x/a.ini:2: byte 11 of the line is not UTF-8; save the analysis "
                               "file as UTF-8 (it may be in Windows-1252)");
    qtr_config_release(&c);
    char sec[80];
    snprintf(sec, sizeof sec, "[indicator %s]\n", "a_very_long_indicator_name_that_inih_would_cut");
    assert_int_equal(qtr_config_load_text(sec, strlen(sec), "/x/a.ini", &c, &e), QTR_ERR_USAGE);
    assert_string_equal(e.msg, "/x/a.ini:1: the section name "
                               "[indicator a_very_long_indicator_name_that_inih_would_cut] is "
                               "longer than 49 characters; use a shorter ID");
    qtr_config_release(&c);
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_and_defaults),
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_repeated),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_carried_table),
        cmocka_unit_test(test_line_lookup),
        cmocka_unit_test(test_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
