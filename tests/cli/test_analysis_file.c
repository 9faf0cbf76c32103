/*
 * Problems in the analysis file, through the command line: `check` and `run` both exit 2
 * with the same message naming the file and line, and the output folder stays as it was.
 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <dirent.h>

/* "name:size " of every entry of dir, sorted by readdir order of a fresh listing. */
static void listing(const char *dir, char *buf, size_t cap)
{
    buf[0] = '\0';
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t len = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[4096];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        assert_int_equal(stat(p, &sb), 0);
        int w = snprintf(buf + len, cap - len, "%s:%lld:%lld ", de->d_name, (long long)sb.st_size,
                         (long long)sb.st_mtime);
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
    closedir(d);
}

/*
 * Write `body` (after a working [analysis] output, [boundaries], [table] and [population]
 * of the mini town, lines 1-11) as a.ini into a fresh folder whose output folder already
 * holds an earlier result; run check and run; both must exit 2 with exactly
 * "quartier: error: DIR/a.ini:" + expected, and leave the output folder as it was.
 */
static void expect_refused(const char *body, const char *expected)
{
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512], path[4096], out_dir[1024], before[4096], after[4096];
    snprintf(dir, sizeof dir, "%s", tmp);
    snprintf(out_dir, sizeof out_dir, "%s/out", dir);
    assert_int_equal(mkdir(out_dir, 0755), 0);
    snprintf(path, sizeof path, "%s/report.html", out_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<p>earlier run</p>\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/a.ini", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = out\n"                              /* 1-2 */
            "[boundaries]\nsource = %s\nkey = nr\nname = bezname\n"   /* 3-6 */
            "[table ew]\nsource = %s\nkey = Bezirk\nheader_row = 3\n" /* 7-10 */
            "[population]\n"                                          /* 11 */
            "%s",
            qtr_test_path("tests/data/mini/bezirke.geojson"),
            qtr_test_path("tests/data/mini/stats.csv"), body);
    fclose(f);
    listing(out_dir, before, sizeof before);

    char want[4096];
    snprintf(want, sizeof want, "quartier: error: %s/a.ini:%s\n", dir, expected);
    static const char *cmds[] = {"check", "run"};
    for (int k = 0; k < 2; k++) {
        char args[8192];
        char *out = NULL;
        snprintf(args, sizeof args, "%s %s -q", cmds[k], path);
        int code = qtr_run_cli(args, &out);
        if (code != 2 || strcmp(out, want))
            fail_msg("%s: exit %d, expected 2; printed:\n%s\nexpected:\n%s", cmds[k], code, out,
                     want);
        free(out);
        listing(out_dir, after, sizeof after);
        assert_string_equal(before, after);
    }
}

static void test_repeated_sections(void **state)
{
    (void)state;
    expect_refused("total = Einwohner\n[analysis]\nseed = 2\n",
                   "13: section [analysis] appears twice (also on line 1); put all its keys "
                   "under one [analysis] header");
    expect_refused("total = Einwohner\n[group mh]\ncolumn = mit Migrationshintergrund\n"
                   "[group mh]\nlabel = MH\n",
                   "15: section [group mh] appears twice (also on line 13); put all its keys "
                   "under one [group mh] header, or give the second one another name");
    expect_refused("total = Einwohner\ntotal = Einwohner\n",
                   "13: key 'total' appears twice in [population] (also on line 12); keep one, "
                   "or indent a line to continue a value");
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_refused("total = Einwohner\ndate = 2022-13-45\n",
                   "13: 'date' = 2022-13-45 is not a date: there is no month 13 (write "
                   "YYYY-MM-DD)");
    expect_refused("total = Einwohner\ndate = gestern\n",
                   "13: 'date' must be a date written YYYY-MM-DD (e.g. 2022-12-31), not "
                   "'gestern'");
    expect_refused("total = Einwohner\n[renewal]\nyears = -5\n",
                   "14: 'years' must be more than 0 and at most 100 (the years between the two "
                   "reference dates), not '-5'; leave it out to take it from the dates");
    expect_refused("total = Einwohner\n[renewal]\nstatus_thresholds = -1, 1.5, 1\n",
                   "14: the limits in 'status_thresholds' must increase strictly from left to "
                   "right, as in '-1, 1, 1.5', not '-1, 1.5, 1'");
}

static void test_min_count(void **state)
{
    (void)state;
    /* [analysis] comes first in the fixture, so min_count goes into a file of its own */
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char path[1024], args[8192], want[4096];
    snprintf(path, sizeof path, "%s/a.ini", tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = out\nmin_count = -1\n[boundaries]\nsource = %s\nkey = nr\n"
            "[population]\ntotal = Einwohner\n",
            qtr_test_path("tests/data/mini/bezirke.geojson"));
    fclose(f);
    snprintf(want, sizeof want,
             "quartier: error: %s:3: 'min_count' must be a whole number from 0 to 1000, not "
             "'-1'\n",
             path);
    static const char *cmds[] = {"check", "run"};
    for (int k = 0; k < 2; k++) {
        char *out = NULL;
        snprintf(args, sizeof args, "%s %s -q", cmds[k], path);
        assert_int_equal(qtr_run_cli(args, &out), 2);
        assert_string_equal(out, want);
        free(out);
        snprintf(args, sizeof args, "%s/out", tmp);
        assert_false(qtr_file_exists(args));
    }
}

static void test_references(void **state)
{
    (void)state;
    expect_refused("total = Einwohner\n[group mh]\ncolumn = mit Migrationshintergrund\n"
                   "[indicator anteil]\nexpr = 1\nstatus_weight = 1\n"
                   "[renewal]\nsegregation_group = auslaender\n",
                   "19: segregation_group = auslaender names no [group]; write the ID of one of "
                   "the groups (mh)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_sections),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_min_count),
        cmocka_unit_test(test_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
