/*
 * test_map_attribution.c - every map of a run names the data providers and licences from
 * `attribution =` (issue 10 §1), not file names; a source without attribution is a warning
 * of `check` and `run`, and the maps then name its file. The source line is read from the
 * SVG maps' <desc> (their visible text is drawn as outlines).
 *
 * Fixture tests/data/publish: [boundaries] and one [table ew], both with attribution.
 */
#include "../test_util.h"

#include <dirent.h>

#include "cli_util.h"

#define FIXTURE "tests/data/publish/analysis.ini"
#define BND_ATTR "Testdaten von quartier (erfunden), CC0 1.0"
#define TAB_ATTR "Amt f\xc3\xbcr Statistik Kleinstadt (erfunden), CC0 1.0"

/* The <desc> of an SVG map (static buffer), "" when there is none. */
static const char *svg_desc(const char *path)
{
    static char d[4096];
    char *s = qtr_read_file(path, NULL);
    assert_non_null(s);
    const char *a = strstr(s, "<desc>"), *b = a ? strstr(a, "</desc>") : NULL;
    d[0] = '\0';
    if (a && b)
        snprintf(d, sizeof d, "%.*s", (int)(b - a - 6), a + 6);
    free(s);
    return d;
}

/*
 * Check every maps/<name>.svg of outdir: the boundary attribution named (or `bnd` text),
 * `absent` nowhere; returns how many also name `table`.
 */
static size_t check_maps(const char *outdir, const char *bnd, const char *table,
                         const char *absent1, const char *absent2)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/maps", outdir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t nsvg = 0, ntable = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".svg"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        const char *desc = svg_desc(path);
        if (!strstr(desc, bnd) || strstr(desc, absent1) || strstr(desc, absent2))
            fail_msg("%s: source line '%s'", e->d_name, desc);
        ntable += strstr(desc, table) != NULL;
        nsvg++;
    }
    closedir(d);
    assert_true(nsvg >= 3);
    return ntable;
}

static void test_providers_on_every_map(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char args[9000], *out = NULL;
    snprintf(args, sizeof args, "run %s -o %s -q", qtr_test_path(FIXTURE), tmp);
    int rc = qtr_run_cli(args, &out);
    if (rc)
        fail_msg("%s", out ? out : "");
    assert_null(strstr(out, "attribution"));
    free(out);
    /* the indicator and group maps show the table's columns: its provider is named */
    assert_true(check_maps(tmp, BND_ATTR, TAB_ATTR, "stats.csv", "bezirke.geojson") >= 1);
}

static void test_missing_attribution(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    /* the fixture without its attribution lines, sources as absolute paths */
    char *ini = qtr_read_file(qtr_test_path(FIXTURE), NULL);
    assert_non_null(ini);
    char path[512], data[4096];
    snprintf(path, sizeof path, "%s/analysis.ini", tmp);
    snprintf(data, sizeof data, "%s", qtr_test_path("tests/data/publish"));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (char *line = strtok(ini, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "attribution", 11))
            continue;
        if (!strncmp(line, "source = ", 9))
            fprintf(f, "source = %s/%s\n", data, line + 9);
        else
            fprintf(f, "%s\n", line);
    }
    fclose(f);
    free(ini);

    char args[9000], *out = NULL;
    snprintf(args, sizeof args, "check %s -o %s/out", path, tmp);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "[boundaries] has no 'attribution ='"));
    assert_non_null(strstr(out, "[table ew] has no 'attribution ='"));
    free(out);

    snprintf(args, sizeof args, "run %s -o %s/out", path, tmp);
    int rc = qtr_run_cli(args, &out);
    if (rc)
        fail_msg("%s", out ? out : "");
    assert_non_null(strstr(out, "[table ew] has no 'attribution ='"));
    free(out);
    char outdir[600];
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    /* no provider to name: the files stand in, by name only (no folder) */
    assert_true(check_maps(outdir, "Datei bezirke.geojson", "Datei stats.csv", "/", "Testdaten") >=
                1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_providers_on_every_map),
        cmocka_unit_test(test_missing_attribution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
