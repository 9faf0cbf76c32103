/*
 * webmap_check.h - the interactive map of report.html in headless Chromium: a copy of the
 * page gets an error catcher at the top of <head> and tests/cli/webmap_check.js at the end
 * of <body>, which zooms to the largest district, clicks it where elementFromPoint finds its
 * shape, switches the layer and writes what it saw into <pre id="qtr-test"> (--dump-dom).
 */
#ifndef QTR_TEST_WEBMAP_CHECK_H
#define QTR_TEST_WEBMAP_CHECK_H

#include "report_check.h"

/* The value of "name=" in the result lines (static buffer), or NULL. */
static inline const char *wm_value(const char *res, const char *name)
{
    static char v[8192];
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s=", name);
    const char *p = strstr(res, pat);
    if (!p)
        return NULL;
    p += strlen(pat);
    size_t n = strcspn(p, "\n");
    snprintf(v, sizeof v, "%.*s", (int)(n < sizeof v ? n : sizeof v - 1), p);
    return v;
}

/* Run the check on dir/report.html; ndistricts features expected. Skips without chromium. */
static inline void webmap_browser_check(const char *dir, size_t ndistricts, int english)
{
    if (!have("chromium")) {
        print_message("note: chromium not installed, interactive map check skipped\n");
        return;
    }
    char p[1024];
    snprintf(p, sizeof p, "%s/report.html", dir);
    char *h = qtr_read_file(p, NULL);
    char *js = qtr_read_file(qtr_test_path("tests/cli/webmap_check.js"), NULL);
    assert_non_null(h);
    assert_non_null(js);
    static const char catcher[] =
        "<script>window.__qtrErrors=[];window.addEventListener('error',function(e){"
        "__qtrErrors.push(String(e.message||('resource '+(e.target&&(e.target.src||"
        "e.target.href)))))},true);(function(){var c=console.error;console.error=function(){"
        "__qtrErrors.push([].join.call(arguments,' '));c.apply(console,arguments)}})();"
        "</script>";
    char *head = strstr(h, "<head>"), *body = strstr(h, "</body>");
    assert_non_null(head);
    assert_non_null(body);
    snprintf(p, sizeof p, "%s/webmap-test.html", dir);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(h, 1, (size_t)(head + 6 - h), f);
    fputs(catcher, f);
    fwrite(head + 6, 1, (size_t)(body - head - 6), f);
    fprintf(f, "<script>%s</script>%s", js, body);
    fclose(f);
    free(h);
    free(js);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
             "--disable-quic --no-first-run --disable-background-networking "
             "--disable-component-update --disable-sync --window-size=1280,1000 "
             "--virtual-time-budget=5000 --user-data-dir='%s/chrome-wm' "
             "--dump-dom 'file://%s/webmap-test.html' > '%s/webmap-dom.html' 2>/dev/null",
             dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(p, sizeof p, "%s/webmap-dom.html", dir);
    char *dom = qtr_read_file(p, NULL);
    assert_non_null(dom);
    char *res = NULL;
    for (char *q = strstr(dom, "<pre id=\"qtr-test\">"); q; q = strstr(q + 1, "<pre id=\"qtr-test\">"))
        res = q;
    if (!res)
        fail_msg("the page wrote no result (script error before the check?)");
    char *end = strstr(res, "</pre>");
    assert_non_null(end);
    *end = '\0';
    print_message("interactive map:%s\n", res + 19);
    const char *v;
    if ((v = wm_value(res, "exception")))
        fail_msg("exception in the page: %s", v);
    assert_string_equal(wm_value(res, "errors"), "0 ");
    assert_string_equal(wm_value(res, "resources"), "0");
    assert_string_equal(wm_value(res, "webmap"), "1");
    char n[32];
    snprintf(n, sizeof n, "%zu", ndistricts);
    /* one feature, and one clickable shape, per district */
    assert_string_equal(wm_value(res, "districts"), n);
    assert_string_equal(wm_value(res, "features"), n);
    assert_string_equal(wm_value(res, "paths"), n);
    assert_string_equal(wm_value(res, "layers"), wm_value(res, "options") ? wm_value(res, "options") : "");
    assert_string_equal(wm_value(res, "hit"), "1");
    /* the popup of the clicked district names it, its key and its parent */
    char name[8192], key[8192], parent[8192], want[8300], popup[8192];
    memcpy(name, wm_value(res, "name"), sizeof name);
    memcpy(key, wm_value(res, "key"), sizeof key);
    memcpy(parent, wm_value(res, "parent"), sizeof parent);
    memcpy(popup, wm_value(res, "popup"), sizeof popup);
    assert_true(name[0] && key[0]);
    if (strncmp(popup, name, strlen(name)))
        fail_msg("popup '%s' does not start with the district's name '%s'", popup, name);
    snprintf(want, sizeof want, "%s: %s", english ? "Key" : "Schlüssel", key);
    if (!strstr(popup, want))
        fail_msg("popup '%s' lacks '%s'", popup, want);
    if (parent[0] && strcmp(parent, "null")) {
        /* under the level's name from the analysis file (parent_label), e.g. "Stadtteil: 04" */
        snprintf(want, sizeof want, ": %s", parent);
        if (!strstr(popup, want))
            fail_msg("popup '%s' lacks the parent '%s'", popup, parent);
    }
    /* after switching the layer the open popup shows the new layer's class */
    const char *p2 = wm_value(res, "popup2");
    assert_non_null(p2);
    assert_true(strlen(p2) > strlen(popup));
    assert_non_null(strstr(wm_value(res, "scale"), "m"));
    /* the search box finds a district by its key and opens its popup */
    memcpy(name, wm_value(res, "findname"), sizeof name);
    if (strncmp(wm_value(res, "found"), name, strlen(name)))
        fail_msg("search: popup '%s' is not of '%s'", wm_value(res, "found"), name);
    /* the keyboard: the map focusable (Leaflet's keyboard pan and zoom on), the layer switch
     * and the search box in the tab order, the districts one tab stop with every district
     * focusable; an arrow key moves to the next, Enter opens its popup, Escape closes it */
    assert_string_equal(wm_value(res, "maptab"), "0");
    assert_string_equal(wm_value(res, "seltab"), "1");
    assert_string_equal(wm_value(res, "findtab"), "1");
    snprintf(want, sizeof want, "1 %zu", ndistricts);
    assert_string_equal(wm_value(res, "kbstops"), want);
    assert_string_equal(wm_value(res, "kbfocus0"), "1");
    assert_string_equal(wm_value(res, "kbfocus1"), "1");
    memcpy(name, wm_value(res, "kbname"), sizeof name);
    if (strncmp(wm_value(res, "kbpopup"), name, strlen(name)))
        fail_msg("keyboard: popup '%s' is not of '%s'", wm_value(res, "kbpopup"), name);
    assert_string_equal(wm_value(res, "kbclose"), "1");
    assert_string_equal(wm_value(res, "kbclosed"), "1");
    free(dom);
}

#endif
