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
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
