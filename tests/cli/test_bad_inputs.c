/*
 * Every bad input of issue 9 (expressions, damaged inputs, the analysis file), each with its
 * exact input: `quartier check` and `quartier run` fail the same way (exit code and message),
 * and nothing is written to the output folder.
 *
 * The base case is a small analysis with two reference dates, a status/dynamics indicator and
 * a citywide target (four districts of the mini town); each case changes one thing in the
 * analysis file or in the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>

#include <cmocka.h>

#include "cli_util.h"
#include "test_util.h"

static const char base_ini[] =
    "[analysis]\n"                                                /* 1 */
    "title = Prüffall\n"                                          /* 2 */
    "output = out\n"                                              /* 3 */
    "min_population = 300\n"                                      /* 4 */
    "permutations = 0\n"                                          /* 5 */
    "seed = 7\n"                                                  /* 6 */
    "min_count = 3\n"                                             /* 7 */
    "\n"                                                          /* 8 */
    "[boundaries]\n"                                              /* 9 */
    "source = @BOUNDARIES@\n"                                     /* 10 */
    "key = nr\n"                                                  /* 11 */
    "name = bezname\n"                                            /* 12 */
    "\n"                                                          /* 13 */
    "[table ew]\n"                                                /* 14 */
    "source = stats.csv\n"                                        /* 15 */
    "key = Bezirk\n"                                              /* 16 */
    "not_counts = Kennziffer\n"                                   /* 17 */
    "\n"                                                          /* 18 */
    "[population]\n"                                              /* 19 */
    "total = Einwohner\n"                                         /* 20 */
    "date = 2022-12-31\n"                                         /* 21 */
    "previous_total = Einwohner 2020\n"                           /* 22 */
    "previous_date = 2020-12-31\n"                                /* 23 */
    "\n"                                                          /* 24 */
    "[group mh]\n"                                                /* 25 */
    "column = mit Migrationshintergrund\n"                        /* 26 */
    "previous = MH 2020\n"                                        /* 27 */
    "\n"                                                          /* 28 */
    "[indicator alq]\n"                                           /* 29 */
    "expr = 100.0 * \"Arbeitslose\" / \"Erwerbsfähige\"\n"        /* 30 */
    "previous = 100.0 * \"Arbeitslose 2020\" / \"Erwerbsfähige\"\n" /* 31 */
    "numerator = \"Arbeitslose\"\n"                               /* 32 */
    "denominator = \"Erwerbsfähige\"\n"                           /* 33 */
    "status_weight = 1\n"                                         /* 34 */
    "dynamics_weight = 1\n"                                       /* 35 */
    "\n"                                                          /* 36 */
    "[renewal]\n"                                                 /* 37 */
    "method = mss\n"                                              /* 38 */
    "\n"                                                          /* 39 */
    "[target alq_stadt]\n"                                        /* 40 */
    "indicator = alq\n"                                           /* 41 */
    "value = 1\n"                                                 /* 42 */
    "year = 2030\n";                                              /* 43 */

static const char base_csv[] =
    "Bezirk;Einwohner;mit Migrationshintergrund;Arbeitslose;Erwerbsfähige;Kennziffer;"
    "Einwohner 2020;MH 2020;Arbeitslose 2020\n"
    "01;1.200;200;40;800;1;1.150;180;45\n"
    "02;1.000;100;10;700;2;990;95;12\n"
    "03;800;400;60;500;1;780;390;58\n"
    "04;500;50;20;300;2;510;48;22\n";

/* One bad input: replace `from` by `to` in the analysis file (or in the table when csv is
 * set; to == NULL with from == NULL appends `append` to the analysis file); both commands
 * exit `rc` and print every one of `msg` (up to three substrings). */
struct bad_case {
    const char *what;
    int csv;
    const char *from, *to;
    const char *msg[3];
    int rc;
};

static const struct bad_case cases[] = {
    /* 1. expressions */
    {"expr: a column name with a trailing blank",
     0,
     "expr = 100.0 * \"Arbeitslose\"",
     "expr = 100.0 * \"Arbeitslose \"",
     {"alq", "Arbeitslose ", "did you mean"},
     2},
    {"previous: a column name with a trailing blank",
     0,
     "previous = 100.0 * \"Arbeitslose 2020\"",
     "previous = 100.0 * \"Arbeitslose 2020 \"",
     {"alq", "Arbeitslose 2020 ", "did you mean"},
     2},
    {"attention: a double-quoted text instead of a string",
     0,
     "method = mss\n",
     "method = mss\nattention = \"status_klasse\" = \"niedrig\"\n",
     {"attention", "status_klasse", NULL},
     2},
    {"expr escaping the wrapper",
     0,
     "expr = 100.0 * \"Arbeitslose\" / \"Erwerbsfähige\"",
     "expr = v) FROM (SELECT \"Arbeitslose\" AS v FROM t ORDER BY \"Arbeitslose\" DESC) /*",
     {"alq", NULL, NULL},
     2},
    {"expr: an endless recursive CTE",
     0,
     "expr = 100.0 * \"Arbeitslose\" / \"Erwerbsfähige\"",
     "expr = (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
     "SELECT max(x) FROM c)",
     {"alq", NULL, NULL},
     2},
    {"numerator: an endless recursive CTE",
     0,
     "numerator = \"Arbeitslose\"",
     "numerator = (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
     "SELECT max(x) FROM c)",
     {"alq", "numerator", NULL},
     2},
    {"attention: an endless recursive CTE",
     0,
     "method = mss\n",
     "method = mss\nattention = (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM "
     "c) SELECT max(x) FROM c) > 0\n",
     {"attention", NULL, NULL},
     2},
    {"expr: random()",
     0,
     "expr = 100.0 * \"Arbeitslose\" / \"Erwerbsfähige\"",
     "expr = 100.0 * \"Arbeitslose\" / \"Erwerbsfähige\" + random() * 0",
     {"alq", "random", NULL},
     2},
    {"previous: julianday('now')",
     0,
     "previous = 100.0 * \"Arbeitslose 2020\" / \"Erwerbsfähige\"",
     "previous = julianday('now') * 0 + 100.0 * \"Arbeitslose 2020\" / \"Erwerbsfähige\"",
     {"alq", "julianday", NULL},
     2},
    /* 2. damaged inputs */
    {"a table with a NUL byte", 1, "03;800;", "03;8\0000;", {"stats.csv", "line 4", NULL}, 1},
    {"previous total of 1e308",
     1,
     "01;1.200;200;40;800;1;1.150;",
     "01;1.200;200;40;800;1;1e308;",
     {"Einwohner 2020", "01", NULL},
     1},
    /* a negative previous count and a previous group above its total are warnings that
     * leave the district out of the comparison, as at the current date
     * (tests/cli/test_damaged_inputs.c) */
    /* 3. the analysis file */
    {"[analysis] twice",
     0,
     "[renewal]\n",
     "[analysis]\nseed = 8\n\n[renewal]\n",
     {"analysis.ini:37:", "[analysis]", "also on line 1"},
     2},
    {"[group mh] twice",
     0,
     "[renewal]\n",
     "[group mh]\ncolumn = Einwohner\n\n[renewal]\n",
     {"analysis.ini:37:", "[group mh]", "also on line 25"},
     2},
    {"segregation_group naming no group",
     0,
     "method = mss\n",
     "method = mss\nsegregation_group = ausl\n",
     {"segregation_group", "ausl", "analysis.ini:39:"},
     2},
    {"a date that does not exist",
     0,
     "date = 2022-12-31",
     "date = 2022-13-45",
     {"2022-13-45", "analysis.ini:21:", NULL},
     2},
    {"a date that is not a date",
     0,
     "previous_date = 2020-12-31",
     "previous_date = gestern",
     {"gestern", "analysis.ini:23:", NULL},
     2},
    {"negative years", 0, "method = mss\n", "method = mss\nyears = -2\n", {"years", "analysis.ini:39:", NULL}, 2},
    {"negative min_count", 0, "min_count = 3", "min_count = -1", {"min_count", "analysis.ini:7:", NULL}, 2},
    {"status thresholds out of order",
     0,
     "method = mss\n",
     "method = mss\nstatus_thresholds = 1.5, 1, -1\n",
     {"status_thresholds", "analysis.ini:39:", NULL},
     2},
    {"a group column with a typo",
     0,
     "column = mit Migrationshintergrund",
     "column = mit Migrationshintergrnd",
     {"analysis.ini:26:", "did you mean 'mit Migrationshintergrund'?", NULL},
     2},
    {"a previous total column with a trailing blank",
     0,
     "previous_total = Einwohner 2020",
     "previous_total = Einwohner 2021",
     {"analysis.ini:22:", "did you mean 'Einwohner 2020'", NULL},
     2},
    {"a target district that does not exist",
     0,
     "year = 2030\n",
     "year = 2030\ndistrict = 99\n",
     {"99", "analysis.ini:44:", NULL},
     2},
};

/* text with the first `from` replaced by `to` (lengths given: the table case holds a NUL). */
static char *replaced(const char *text, size_t tlen, const char *from, const char *to,
                      size_t tolen, size_t *olen)
{
    const char *at = from ? strstr(text, from) : NULL;
    if (from && !at)
        fail_msg("the base input has no '%s'", from);
    size_t flen = from ? strlen(from) : 0, pre = from ? (size_t)(at - text) : tlen;
    char *r = malloc(tlen - flen + tolen + 1);
    assert_non_null(r);
    memcpy(r, text, pre);
    memcpy(r + pre, to, tolen);
    memcpy(r + pre + tolen, text + pre + flen, tlen - pre - flen);
    *olen = tlen - flen + tolen;
    r[*olen] = '\0';
    return r;
}

/* Write the case's inputs into dir; returns the analysis file's path (static). */
static const char *make_inputs(const char *dir, const struct bad_case *c)
{
    static char ini[4200];
    char path[4200];
    size_t len;
    char *text = replaced(base_ini, strlen(base_ini), "@BOUNDARIES@",
                          qtr_test_path("tests/data/mini/bezirke.geojson"),
                          strlen(qtr_test_path("tests/data/mini/bezirke.geojson")), &len);
    if (c && !c->csv) {
        char *t2 = replaced(text, len, c->from, c->to, strlen(c->to), &len);
        free(text);
        text = t2;
    }
    snprintf(ini, sizeof ini, "%s/analysis.ini", dir);
    qtr_write_file(ini, text, len);
    free(text);
    /* the NUL case: "8\0000" is 8, NUL, 0 (the literal is cut at the NUL by strlen) */
    size_t tolen = c && c->csv ? strlen(c->to) : 0;
    if (c && c->csv && !strcmp(c->to, "03;8"))
        tolen = 6;
    char *csv = c && c->csv ? replaced(base_csv, strlen(base_csv), c->from, c->to, tolen, &len)
                            : replaced(base_csv, strlen(base_csv), NULL, "", 0, &len);
    snprintf(path, sizeof path, "%s/stats.csv", dir);
    qtr_write_file(path, csv, len);
    free(csv);
    return ini;
}

/* The base case runs: check and run exit 0. */
static void test_base_runs(void **state)
{
    (void)state;
    const char *t = qtr_temp_dir();
    assert_non_null(t);
    char dir[300], args[10000];
    snprintf(dir, sizeof dir, "%s", t);
    const char *ini = make_inputs(dir, NULL);
    char *out = NULL;
    snprintf(args, sizeof args, "check '%s' -o '%s/out'", ini, dir);
    if (qtr_run_cli(args, &out) != 0)
        fail_msg("check of the base case failed: %s", out);
    free(out);
    snprintf(args, sizeof args, "run '%s' -o '%s/out' -q --no-report", ini, dir);
    if (qtr_run_cli(args, &out) != 0)
        fail_msg("run of the base case failed: %s", out);
    free(out);
}

/* Every bad case: check and run agree, with the case's exit code and message, and the
 * output folder is never created. */
static void test_check_and_run_agree(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct bad_case *c = &cases[k];
        const char *t = qtr_temp_dir();
        assert_non_null(t);
        char dir[300], args[10000], outdir[400];
        snprintf(dir, sizeof dir, "%s", t);
        snprintf(outdir, sizeof outdir, "%s/out", dir);
        const char *ini = make_inputs(dir, c);
        char *o_check = NULL, *o_run = NULL;
        snprintf(args, sizeof args, "check '%s' -o '%s'", ini, outdir);
        int rc_check = qtr_run_cli(args, &o_check);
        snprintf(args, sizeof args, "run '%s' -o '%s' -q --no-report", ini, outdir);
        int rc_run = qtr_run_cli(args, &o_run);
        int ok = rc_check == c->rc && rc_run == c->rc && !qtr_file_exists(outdir);
        for (int m = 0; m < 3 && c->msg[m]; m++)
            ok = ok && strstr(o_check, c->msg[m]) && strstr(o_run, c->msg[m]);
        if (!ok) {
            print_error("case '%s': expected exit %d with '%s', '%s', '%s'\n"
                        "  check exit %d: %s\n  run exit %d: %s\n  output folder %s\n",
                        c->what, c->rc, c->msg[0] ? c->msg[0] : "", c->msg[1] ? c->msg[1] : "",
                        c->msg[2] ? c->msg[2] : "", rc_check, o_check, rc_run, o_run,
                        qtr_file_exists(outdir) ? "created" : "not created");
            failures++;
        }
        free(o_check);
        free(o_run);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_runs),
        cmocka_unit_test(test_check_and_run_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
