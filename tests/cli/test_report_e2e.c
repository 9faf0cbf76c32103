/*
 * End to end: `quartier run` on Musterstadt (German) writes the maps and the
 * council report; see report_check.h for what is checked. Headless Chromium
 * must load the page, and its interactive map must work (webmap_check.h; skipped when
 * /usr/bin/chromium is not installed).
 */
#include "webmap_check.h"

static void test_musterstadt_report_de(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512], args[10000];
    snprintf(dir, sizeof dir, "%s", tmp);
    snprintf(args, sizeof args, "run '%s' -o '%s' -q --permutations 19",
             qtr_test_path("geodata/musterstadt/analysis.ini"), dir);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("quartier run failed (%d): %s", rc, out ? out : "");
    assert_non_null(strstr(out, "report.html"));
    free(out);
    check_outputs(dir, 0);

    if (have("chromium")) {
        char cmd[8192];
        snprintf(cmd, sizeof cmd,
                 "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
                 "--disable-quic --no-first-run --disable-background-networking "
                 "--disable-component-update --disable-sync --user-data-dir='%s/chrome' "
                 "--dump-dom 'file://%s/report.html' > '%s/dom.html' 2>/dev/null",
                 dir, dir, dir);
        assert_int_equal(system(cmd), 0);
        char p[1024];
        snprintf(p, sizeof p, "%s/dom.html", dir);
        char *dom = qtr_read_file(p, NULL);
        assert_non_null(dom);
        /* the browser parsed the whole page: the last section and the maps are in the DOM */
        assert_non_null(strstr(dom, "Quellen und Lizenzen"));
        assert_non_null(strstr(dom, "<svg"));
        free(dom);
        webmap_browser_check(dir, 120, 0);
    } else {
        print_message("note: chromium not installed, browser check skipped\n");
    }
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_musterstadt_report_de),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
