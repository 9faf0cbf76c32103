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
    char src[4200];
    snprintf(src, sizeof src, "%s", qtr_test_path("geodata/musterstadt"));
    char inpath[4300];
    snprintf(inpath, sizeof inpath, "%s/analysis.ini", src);
    FILE *in = fopen(inpath, "r"), *out = fopen(ini, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[4096];
    int replaced = 0;
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "language = de", 13)) {
            fputs("language = en\n", out);
            replaced = 1;
        } else if (!strncmp(line, "source = ", 9)) {
            fprintf(out, "source = %s/%s", src, line + 9);
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    fclose(out);
    assert_true(replaced);
    snprintf(args, sizeof args, "run '%s' -o '%s' -q --permutations 19", ini, dir);
    char *o = NULL;
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("quartier run failed (%d): %s", rc, o ? o : "");
    free(o);
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
