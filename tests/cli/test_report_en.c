/*
 * End to end in English: Musterstadt with [analysis] language = en gives an
 * English report (lang="en", English headings, English number format).
 */
#include "webmap_check.h"

/* The same analysis with language = en, from a copy whose paths point back to geodata. */
static void test_musterstadt_report_en(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512], ini[600], args[10000];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    snprintf(ini, sizeof ini, "%s/analysis-en.ini", tmp);
    qtr_english_musterstadt_ini(ini);
    snprintf(args, sizeof args, "run '%s' -o '%s' -q --permutations 19", ini, dir);
    qtr_run_cli_ok(args);
    check_outputs(dir, 1);
    webmap_browser_check(dir, 120, 1); /* English popups */
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_musterstadt_report_en),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
