/*
 * test_exprs.c - strict indicator and attention expressions end to end (issue 9 §1): each
 * case replaces one line of tests/data/exprs/analysis.ini and asserts that `quartier run`
 * fails with the exact message and exit code, leaves the output folder of the previous run
 * as it was, and that `quartier check` fails with the same message and exit code.
 *
 * Fixture tests/data/exprs: the mini town's four districts; indicator gym uses expr,
 * previous, numerator and denominator, indicator alq expr and change; [renewal] has an
 * attention rule. It runs cleanly (exit 0), with district 03 "niedrig"/"negativ".
 */
#include "../test_util.h"

#include <dirent.h>
#include <sys/stat.h>

#include "cli_util.h"

#define FIXTURE_DIR "tests/data/exprs"

/* The test folder: analysis.ini and out/ with a clean run of the fixture (group setup). */
static char dir[512];

/*
 * Write dir/analysis.ini: the fixture with absolute sources, output dir/out, and in
 * section `section` the line "key = ..." replaced by "key = value" (section NULL: as is).
 */
static void write_case(const char *section, const char *key, const char *value)
{
    char path[4096], line_key[128], sec_hdr[128];
    assert_true(dir[0] != '\0');
    snprintf(path, sizeof path, "%s", qtr_test_path(FIXTURE_DIR "/analysis.ini"));
    char *text = qtr_read_file(path, NULL);
    assert_non_null(text);
    snprintf(path, sizeof path, "%s/analysis.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    snprintf(sec_hdr, sizeof sec_hdr, "[%s]", section ? section : "");
    snprintf(line_key, sizeof line_key, "%s = ", key ? key : "");
    int in_section = 0, replaced = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '[')
            in_section = section && strcmp(line, sec_hdr) == 0;
        if (in_section && strncmp(line, line_key, strlen(line_key)) == 0) {
            fprintf(f, "%s = %s\n", key, value);
            replaced = 1;
        } else if (strcmp(line, "source = ../mini/bezirke.geojson") == 0) {
            fprintf(f, "source = %s\n", qtr_test_path("tests/data/mini/bezirke.geojson"));
        } else if (strcmp(line, "source = stats.csv") == 0) {
            fprintf(f, "source = %s\n", qtr_test_path(FIXTURE_DIR "/stats.csv"));
        } else if (strcmp(line, "output = out") == 0) {
            fprintf(f, "output = %s/out\n", dir);
        } else {
            fprintf(f, "%s\n", line);
        }
    }
    fclose(f);
    free(text);
    if (section && !replaced)
        fail_msg("no line '%s' in [%s] of the fixture", line_key, section);
}

/* Append a listing of the files below top/rel with size and modification time, sorted (caller
 * frees). */
static void list_tree(const char *top, const char *rel, char **acc)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", top, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return;
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort: a few files */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        snprintf(full, sizeof full, "%s/%s", top, sub);
        struct stat sb;
        assert_int_equal(stat(full, &sb), 0);
        char row[4300];
        snprintf(row, sizeof row, "%s %lld %lld.%09ld\n", sub, (long long)sb.st_size,
                 (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec);
        size_t old = *acc ? strlen(*acc) : 0;
        *acc = realloc(*acc, old + strlen(row) + 1);
        assert_non_null(*acc);
        memcpy(*acc + old, row, strlen(row) + 1);
        if (S_ISDIR(sb.st_mode))
            list_tree(top, sub, acc);
        free(names[i]);
    }
}

static char *snapshot(void)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/out", dir);
    char *acc = strdup("");
    list_tree(out, "", &acc);
    return acc;
}

/* The line of out that starts with "quartier: error: ", without its newline (static). */
static const char *error_line(const char *out)
{
    static char line[8192];
    const char *p = strstr(out, "quartier: error: ");
    if (!p)
        return "";
    size_t len = strcspn(p, "\n");
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
    return line;
}

static int prepare(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    snprintf(dir, sizeof dir, "%s", tmp);
    write_case(NULL, NULL, NULL);
    char args[1024];
    char *out = NULL;
    snprintf(args, sizeof args, "run %s/analysis.ini -q --no-report", dir);
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("the fixture does not run (exit %d):\n%s", rc, out);
    free(out);
    snprintf(args, sizeof args, "check %s/analysis.ini -q", dir);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    return 0;
}

/*
 * Replace one line, then: run fails with exit `code` and an error line that is `want`
 * (exact) or starts with it (prefix != 0), out/ is unchanged; check fails alike.
 */
static void expect_refused(const char *section, const char *key, const char *value, int code,
                           const char *want, int prefix)
{
    char args[1024], expected[8192];
    char *out = NULL;
    snprintf(expected, sizeof expected, "quartier: error: %s", want);
    write_case(section, key, value);
    char *before = snapshot();
    assert_true(strlen(before) > 0);

    snprintf(args, sizeof args, "run %s/analysis.ini -q --no-report", dir);
    int rc = qtr_run_cli(args, &out);
    char run_line[8192];
    snprintf(run_line, sizeof run_line, "%s", error_line(out));
    int ok = prefix ? strncmp(run_line, expected, strlen(expected)) == 0
                    : strcmp(run_line, expected) == 0;
    if (rc != code || !ok)
        fail_msg("[%s] %s = %s\nrun: exit %d (expected %d), error line\n%s\nexpected%s\n%s",
                 section, key, value, rc, code, run_line, prefix ? " to start with" : "", expected);
    free(out);
    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("[%s] %s: the output folder changed:\n%s\n---\n%s", section, key, before, after);
    free(after);
    free(before);

    snprintf(args, sizeof args, "check %s/analysis.ini -q", dir);
    rc = qtr_run_cli(args, &out);
    if (rc != code || strcmp(error_line(out), run_line) != 0)
        fail_msg("[%s] %s = %s\ncheck: exit %d (expected %d), error line\n%s\nrun said\n%s",
                 section, key, value, rc, code, error_line(out), run_line);
    free(out);
}

/* The numeric columns an indicator sees: the tables' and those computed before it (the
 * fixture runs with permutations = 0: no local tests, so no mh_lisa_*, mh_gi_z, mh_lq_p). */
#define GYM_COLS                                                                                    \
    " Columns (15): \"Einwohner\", \"Einwohner 2020\", \"mit Migrationshintergrund\", "             \
    "\"Arbeitslose\", \"Erwerbsfähige\", \"Arbeitslose 2020\", \"Erwerbsfähige 2020\", "          \
    "\"Übergänge aufs Gymnasium\", \"Schüler 4. Klasse\", \"Übergänge aufs Gymnasium 2020\", " \
    "\"Schüler 4. Klasse 2020\", \"mh_share\", \"mh_lq\", \"mh_share_diff\", \"neighbours\""

/* A double-quoted name that is no column: an error, never the text (issue: 0.0 everywhere). */
static void test_unknown_quoted_column(void **state)
{
    (void)state;
    expect_refused("indicator gym", "expr",
                   "100.0 * \"Übergänge aufs Gymnasium \" / \"Schüler 4. Klasse\"", 2,
                   "analysis.ini [indicator gym] expr: no such column \"Übergänge aufs Gymnasium "
                   "\" \xe2\x80\x94 did you mean \"Übergänge aufs Gymnasium\" or \"Übergänge aufs "
                   "Gymnasium 2020\"? Expression: 100.0 * \"Übergänge aufs Gymnasium \" / "
                   "\"Schüler 4. Klasse\"" GYM_COLS,
                   0);
    expect_refused("indicator gym", "previous",
                   "100.0 * \"Übergänge aufs Gymnasium 2020 \" / \"Schüler 4. Klasse 2020\"", 2,
                   "analysis.ini [indicator gym] previous: no such column \"Übergänge aufs "
                   "Gymnasium 2020 \" \xe2\x80\x94 did you mean \"Übergänge aufs Gymnasium 2020\" "
                   "or \"Übergänge aufs Gymnasium\"? Expression: 100.0 * \"Übergänge aufs "
                   "Gymnasium 2020 \" / \"Schüler 4. Klasse 2020\"" GYM_COLS,
                   0);
    expect_refused(
        "renewal", "attention", "\"status_klasse\" = \"niedrig\"", 2,
        "analysis.ini [renewal] attention: no such column \"status_klasse\" \xe2\x80\x94 did you "
        "mean \"status_class\"? \"niedrig\" is not a column either: text values take single "
        "quotes, as in 'niedrig'; double quotes are for column names. Expression: "
        "\"status_klasse\" = \"niedrig\" Columns (4): \"status_class\", \"dynamics_class\", "
        "\"status_index\", \"dynamics_index\"",
        0);
}

/* The expression that put other districts' values on each row. */
static void test_wrapper_escape(void **state)
{
    (void)state;
    const char *escape =
        "v) FROM (SELECT \"Arbeitslose\" AS v FROM t ORDER BY \"Arbeitslose\" DESC) /*";
    char want[1024];
    snprintf(want, sizeof want,
             "analysis.ini [indicator alq] expr: ')' at character 2 closes a parenthesis the "
             "expression did not open. Expression: %s",
             escape);
    expect_refused("indicator alq", "expr", escape, 2, want, 0);
    expect_refused("indicator alq", "change", "\"Arbeitslose\" /* - \"Arbeitslose 2020\"", 2,
                   "analysis.ini [indicator alq] change: the comment opened with /* at character "
                   "15 is not closed with */. Expression: \"Arbeitslose\" /* - \"Arbeitslose "
                   "2020\"",
                   0);
}

/* An endless recursive WITH stops after the step budget in every kind of expression. */
static void test_endless_expression_stops(void **state)
{
    (void)state;
    static const char *const kinds[][2] = {
        {"indicator gym", "expr"},      {"indicator gym", "previous"},
        {"indicator gym", "numerator"}, {"indicator gym", "denominator"},
        {"indicator alq", "change"},    {"renewal", "attention"},
    };
    const char *endless =
        "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c)";
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char want[2048];
        const char *sec = kinds[k][0];
        snprintf(want, sizeof want,
                 "analysis.ini [%s] %s: stopped after 20 million SQLite steps, the limit for 4 "
                 "districts (20 million + 1000 per district): the expression takes too long or "
                 "never ends, e.g. a recursive WITH that does not stop or a join of t with "
                 "itself; simplify it. Expression: %s",
                 strncmp(sec, "indicator ", 10) == 0 ? sec : "renewal", kinds[k][1], endless);
        expect_refused(sec, kinds[k][1], endless, 2, want, 0);
    }
}

/* Functions whose result is not the same on every run are refused, named. */
static void test_nondeterministic_function(void **state)
{
    (void)state;
    expect_refused("indicator alq", "expr",
                   "100.0 * \"Arbeitslose\" / \"Erwerbsfähige\" + random() * 0", 2,
                   "analysis.ini [indicator alq] expr: function random() is not allowed: an "
                   "expression may only use functions that give the same result on every run (no "
                   "random numbers, no clock, no state of the database). Allowed: abs, ",
                   1);
    expect_refused("indicator gym", "denominator", "\"Schüler 4. Klasse\" * (julianday('now') > 0)",
                   2,
                   "analysis.ini [indicator gym] denominator: function julianday() is not "
                   "allowed: ",
                   1);
    expect_refused("renewal", "attention", "status_class = 'niedrig' AND date('now') > '2020'", 2,
                   "analysis.ini [renewal] attention: function date() is not allowed: ", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_quoted_column),
        cmocka_unit_test(test_wrapper_escape),
        cmocka_unit_test(test_endless_expression_stops),
        cmocka_unit_test(test_nondeterministic_function),
    };
    return cmocka_run_group_tests(tests, prepare, NULL);
}
