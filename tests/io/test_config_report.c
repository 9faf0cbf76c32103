/* The [report] section of the analysis file (config_report.c): defaults, values, and the
 * errors with their line. */
#include "test_util.h"

#include <unistd.h>

#include "quartier/config.h"

static char path[256];

static int load(const char *text, struct qtr_config *cfg, struct qtr_error *err)
{
    snprintf(path, sizeof path, "/tmp/quartier-config-report-%ld.ini", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    qtr_config_init(cfg);
    return qtr_config_load(path, cfg, err);
}

#define MINIMAL "[boundaries]\nsource = b.shp\nkey = id\n[population]\ntotal = ew\n"

static void test_report_section(void **state)
{
    (void)state;
    struct qtr_config c;
    struct qtr_error e = {0};
    assert_int_equal(load(MINIMAL, &c, &e), QTR_OK);
    assert_int_equal(c.report_full_detail, 30000);
    assert_int_equal(c.report_extremes, 20);
    assert_int_equal(c.report_no_insets, 0); /* insets = auto */
    qtr_config_release(&c);
    assert_int_equal(load(MINIMAL "[report]\ninsets = none\n", &c, &e), QTR_OK);
    assert_int_equal(c.report_no_insets, 1);
    qtr_config_release(&c);
    assert_int_equal(load(MINIMAL "[report]\ninsets = auto\n", &c, &e), QTR_OK);
    assert_int_equal(c.report_no_insets, 0);
    qtr_config_release(&c);
    assert_int_equal(load(MINIMAL "[report]\ninsets = nein\n", &c, &e), QTR_ERR_USAGE);
    assert_non_null(strstr(e.msg, ":7: insets is 'auto'"));
    assert_non_null(strstr(e.msg, "not 'nein'"));
    qtr_config_release(&c);

    assert_int_equal(
        load(MINIMAL "[report]\nfull_detail_up_to = 1000\ntable_extremes = 5\n", &c, &e), QTR_OK);
    assert_int_equal(c.report_full_detail, 1000);
    assert_int_equal(c.report_extremes, 5);
    qtr_config_release(&c);

    /* a value out of range and an unknown key (named with the known ones), both on line 7 */
    assert_int_equal(load(MINIMAL "[report]\nfull_detail_up_to = 0\n", &c, &e), QTR_ERR_USAGE);
    assert_non_null(strstr(e.msg, ":7: "));
    assert_non_null(strstr(e.msg, "full_detail_up_to"));
    qtr_config_release(&c);
    assert_int_equal(load(MINIMAL "[report]\nraster = yes\n", &c, &e), QTR_ERR_USAGE);
    assert_non_null(strstr(e.msg, ":7: unknown key 'raster' in [report] (known: "
                                  "full_detail_up_to, table_extremes, insets)"));
    qtr_config_release(&c);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
