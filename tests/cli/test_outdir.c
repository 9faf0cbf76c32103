/*
 * The output folder holds one whole run at every moment (docs/architecture.md, "Outputs"):
 * a run killed at any point leaves the previous run as it was, byte for byte; a second run
 * into the same folder is refused while the first writes; folder problems are found before
 * any computing.
 */
#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_util.h"

#define FIXTURE "tests/data/publish/analysis.ini"

/* Every file below a folder (relative names, sorted by the walk order of names) with its
 * bytes: enough to compare two runs' folders exactly. */
struct snap {
    int n;
    char name[64][256];
    char *data[64];
    size_t len[64];
};

/* The file's bytes (the test fails when it cannot be read). */
static char *slurp(const char *path, size_t *len)
{
    char *b = qtr_read_file(path, len);
    assert_non_null(b);
    return b;
}

static void snap_dir(const char *root, const char *rel, struct snap *s)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s%s%s", root, rel ? "/" : "", rel ? rel : "");
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char r[256], full[4096];
        if (snprintf(r, sizeof r, "%s%s%.200s", rel ? rel : "", rel ? "/" : "", e->d_name) >=
            (int)sizeof r)
            fail_msg("name too long below %s", root);
        snprintf(full, sizeof full, "%s/%s", root, r);
        struct stat sb;
        assert_int_equal(stat(full, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            snap_dir(root, r, s);
            continue;
        }
        assert_true(s->n < 64);
        snprintf(s->name[s->n], sizeof s->name[0], "%s", r);
        s->data[s->n] = slurp(full, &s->len[s->n]);
        s->n++;
    }
    closedir(d);
}

static void snap_free(struct snap *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->data[i]);
    s->n = 0;
}

/* 1 when both folders hold the same files with the same bytes. */
static int same(const struct snap *a, const struct snap *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++) {
        int found = 0;
        for (int j = 0; j < b->n && !found; j++)
            if (!strcmp(a->name[i], b->name[j]))
                found = a->len[i] == b->len[j] && !memcmp(a->data[i], b->data[j], a->len[i]);
        if (!found)
            return 0;
    }
    return 1;
}

/* Run quartier with an environment prefix; returns the exit status, or 128 + signal. */
static int run_env(const char *env, const char *args, char **out)
{
    char cmd[20000];
    const char *bin = getenv("QTR_BIN");
    snprintf(cmd, sizeof cmd, "%s SOURCE_DATE_EPOCH=1700000000 '%s' %s 2>&1", env ? env : "",
             bin ? bin : "build/quartier", args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + len, 1, cap - 1 - len, p)) > 0 && len + got < cap - 1)
        len += got;
    buf[len] = '\0';
    int st = pclose(p);
    /* the output stays valid until the next call (callers do not free it); the ring keeps
     * the last ones reachable when an assertion jumps out */
    unsigned slot = qtr_cli_next++ % 32;
    free(qtr_cli_recent[slot]);
    qtr_cli_recent[slot] = buf;
    *out = buf;
    /* the shell reports a child killed by signal s as exit status 128 + s */
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Golden folders of two different runs (seed 1 and 2) of the fixture. */
static char golden_a[4096], golden_b[4096];
static struct snap snap_a, snap_b;

static int setup(void **state)
{
    (void)state;
    char *out, args[16384];
    const char *t = qtr_temp_dir();
    if (!t)
        return -1;
    snprintf(golden_a, sizeof golden_a, "%s/a", t);
    snprintf(golden_b, sizeof golden_b, "%s/b", t);
    snprintf(args, sizeof args, "run %s -o %s -q --seed 1 --permutations 19",
             qtr_test_path(FIXTURE), golden_a);
    if (run_env(NULL, args, &out) != 0)
        return -1;
    snprintf(args, sizeof args, "run %s -o %s -q --seed 2 --permutations 19",
             qtr_test_path(FIXTURE), golden_b);
    if (run_env(NULL, args, &out) != 0)
        return -1;
    snap_dir(golden_a, NULL, &snap_a);
    snap_dir(golden_b, NULL, &snap_b);
    return same(&snap_a, &snap_b) ? -1 : 0; /* the two runs must differ to tell them apart */
}

static int teardown(void **state)
{
    (void)state;
    snap_free(&snap_a);
    snap_free(&snap_b);
    return 0;
}

/* Names in `dir` that start with `prefix`. */
/* A copy of s with the first `from` replaced by `to`. */
static char *replace_once(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *r = malloc(n);
    assert_non_null(r);
    snprintf(r, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return r;
}

static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n += !strncmp(e->d_name, prefix, strlen(prefix));
    closedir(d);
    return n;
}

/* Kill run B (seed 2) at every point of its life over a folder holding run A (seed 1): the
 * folder holds exactly run A until the swap and exactly run B after it; the next run removes
 * and reports what the killed one left. */
static void test_kill_at_every_point(void **state)
{
    (void)state;
    static const char *const before_swap[] = {"loaded",     "computed",  "spatial",  "change",
                                              "indicators", "renewal",   "goals",    "candidates",
                                              "written",    "published", "reported", "synced"};
    const char *t = qtr_temp_dir();
    assert_non_null(t);
    char out_dir[4096], args[16384], env[256];
    snprintf(out_dir, sizeof out_dir, "%s/out", t);
    char *out;
    snprintf(args, sizeof args, "run %s -o %s -q --seed 1 --permutations 19",
             qtr_test_path(FIXTURE), out_dir);
    assert_int_equal(run_env(NULL, args, &out), 0);
    for (size_t k = 0; k <= sizeof before_swap / sizeof before_swap[0]; k++) {
        const char *point =
            k < sizeof before_swap / sizeof before_swap[0] ? before_swap[k] : "swapped";
        snprintf(env, sizeof env, "QTR_TEST_KILL_AT=%s", point);
        snprintf(args, sizeof args, "run %s -o %s -q --seed 2 --permutations 19",
                 qtr_test_path(FIXTURE), out_dir);
        int rc = run_env(env, args, &out);
        if (rc != 128 + SIGKILL)
            fail_msg("killed at '%s': exit %d, expected SIGKILL; output: %s", point, rc, out);
        struct snap now = {0};
        snap_dir(out_dir, NULL, &now);
        int is_a = same(&now, &snap_a), is_b = same(&now, &snap_b);
        snap_free(&now);
        if (strcmp(point, "swapped") ? !is_a : !is_b)
            fail_msg("killed at '%s': the folder is not exactly run %s", point,
                     strcmp(point, "swapped") ? "A (the previous one)" : "B (the new one)");
        /* what the killed run left beside the folder: its staging folder (from the lock on,
         * all points here are after it), removed and reported by the next run */
        assert_int_equal(count_prefixed(t, ".out.staging-"), 1);
        /* the next run removes and reports the leftovers; checked after a kill before the
         * report is written and after one during the swap (a full run each) */
        if (strcmp(point, "written") && strcmp(point, "synced")) {
            char rm[8300];
            snprintf(rm, sizeof rm, "rm -rf '%s'/.out.staging-*", t);
            assert_int_equal(system(rm), 0);
            continue;
        }
        snprintf(args, sizeof args, "run %s -o %s -q --seed 1 --permutations 19",
                 qtr_test_path(FIXTURE), out_dir);
        assert_int_equal(run_env(NULL, args, &out), 0);
        if (!strstr(out, "left by an interrupted run"))
            fail_msg("after a kill at '%s' the next run did not report the leftovers: %s", point,
                     out);
        assert_int_equal(count_prefixed(t, ".out.staging-"), 0);
        snap_dir(out_dir, NULL, &now);
        assert_true(same(&now, &snap_a));
        snap_free(&now);
    }
}

/* A run that fails (any stage, here just before the swap) leaves the folder as it was and
 * nothing beside it but the lock-free parent. */
static void test_failure_keeps_previous(void **state)
{
    (void)state;
    const char *t = qtr_temp_dir();
    assert_non_null(t);
    char out_dir[4096], args[16384];
    char *out;
    snprintf(out_dir, sizeof out_dir, "%s/out", t);
    snprintf(args, sizeof args, "run %s -o %s -q --seed 1 --permutations 19",
             qtr_test_path(FIXTURE), out_dir);
    assert_int_equal(run_env(NULL, args, &out), 0);
    static const char *const points[] = {"loaded", "written", "reported"};
    for (size_t k = 0; k < 3; k++) {
        char env[128];
        snprintf(env, sizeof env, "QTR_TEST_FAIL_AT=%s", points[k]);
        snprintf(args, sizeof args, "run %s -o %s -q --seed 2 --permutations 19",
                 qtr_test_path(FIXTURE), out_dir);
        assert_int_equal(run_env(env, args, &out), 1);
        assert_non_null(strstr(out, "QTR_TEST_FAIL_AT"));
        struct snap now = {0};
        snap_dir(out_dir, NULL, &now);
        assert_true(same(&now, &snap_a));
        snap_free(&now);
        assert_int_equal(count_prefixed(t, "."), 0); /* no staging folder, no lock file */
    }
    /* --no-report replaces the report too: the folder never mixes runs */
    snprintf(args, sizeof args, "run %s -o %s -q --seed 2 --permutations 19 --no-report",
             qtr_test_path(FIXTURE), out_dir);
    assert_int_equal(run_env(NULL, args, &out), 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/report.html", out_dir);
    assert_false(qtr_file_exists(path));
}

/* Kill -9 from outside at several moments of the run: never anything but one whole run. */
static void test_kill_signal(void **state)
{
    (void)state;
    const char *t = qtr_temp_dir();
    assert_non_null(t);
    char out_dir[4096], args[16384];
    char *out;
    snprintf(out_dir, sizeof out_dir, "%s/out", t);
    snprintf(args, sizeof args, "run %s -o %s -q --seed 1 --permutations 19",
             qtr_test_path(FIXTURE), out_dir);
    assert_int_equal(run_env(NULL, args, &out), 0);
    const char *bin = getenv("QTR_BIN");
    /* delays from 0 to 1.2 s in 0.1 s steps cover the ~1 s of the run, and beyond it */
    for (int k = 0; k <= 12; k++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            int devnull = open("/dev/null", 0);
            if (devnull >= 0) {
                dup2(devnull, 1);
                dup2(devnull, 2);
            }
            setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
            execl(bin ? bin : "build/quartier", "quartier", "run", qtr_test_path(FIXTURE), "-o",
                  out_dir, "-q", "--seed", "2", "--permutations", "19", (char *)NULL);
            _exit(127);
        }
        struct timespec d = {0, k * 100000000L};
        if (k == 10)
            d = (struct timespec){1, 0};
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        struct snap now = {0};
        snap_dir(out_dir, NULL, &now);
        int whole = same(&now, &snap_a) || same(&now, &snap_b);
        snap_free(&now);
        if (!whole)
            fail_msg("kill -9 after %d00 ms left a folder that is neither run", k);
        /* back to run A for the next round (and the leftovers go) */
        snprintf(args, sizeof args, "run %s -o %s -q --seed 1 --permutations 19",
                 qtr_test_path(FIXTURE), out_dir);
        assert_int_equal(run_env(NULL, args, &out), 0);
    }
}

/* Two runs into one folder: the second is refused at once, naming the first's process; the
 * first ends with a clean result. */
static void test_concurrent_runs(void **state)
{
    (void)state;
    const char *t = qtr_temp_dir();
    assert_non_null(t);
    char out_dir[4096], go[4096], lock[4096], args[16384];
    char *out;
    snprintf(out_dir, sizeof out_dir, "%s/out", t);
    snprintf(go, sizeof go, "%s/go", t);
    snprintf(lock, sizeof lock, "%s/.out.lock", t);
    const char *bin = getenv("QTR_BIN");
    pid_t first = fork();
    assert_true(first >= 0);
    if (first == 0) {
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        char wait_at[4200];
        snprintf(wait_at, sizeof wait_at, "computed:%s", go);
        setenv("QTR_TEST_WAIT_AT", wait_at, 1);
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
        execl(bin ? bin : "build/quartier", "quartier", "run", qtr_test_path(FIXTURE), "-o",
              out_dir, "-q", "--seed", "1", "--permutations", "19", (char *)NULL);
        _exit(127);
    }
    /* wait until the first run holds the lock */
    for (int i = 0; i < 500 && !qtr_file_exists(lock); i++) {
        struct timespec d = {0, 20000000};
        nanosleep(&d, NULL);
    }
    assert_true(qtr_file_exists(lock));
    snprintf(args, sizeof args, "run %s -o %s -q --seed 2 --permutations 19",
             qtr_test_path(FIXTURE), out_dir);
    assert_int_equal(run_env(NULL, args, &out), 2);
    char who[64];
    snprintf(who, sizeof who, "another quartier run (process %ld", (long)first);
    if (!strstr(out, who))
        fail_msg("the refusal does not name process %ld: %s", (long)first, out);
    /* `check` is not refused: it writes nothing */
    snprintf(args, sizeof args, "check %s -o %s -q --permutations 0", qtr_test_path(FIXTURE),
             out_dir);
    assert_int_equal(run_env(NULL, args, &out), 0);
    FILE *f = fopen(go, "w");
    assert_non_null(f);
    fclose(f);
    int st;
    assert_int_equal(waitpid(first, &st, 0), first);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    struct snap now = {0};
    snap_dir(out_dir, NULL, &now);
    assert_true(same(&now, &snap_a));
    snap_free(&now);
    assert_false(qtr_file_exists(lock));
}

/* Folder problems are found before any computing (no progress line of a stage), by run and
 * check alike, and nothing is written. */
static void test_folder_problems(void **state)
{
    (void)state;
    const char *t = qtr_temp_dir();
    assert_non_null(t);
    char path[4096], args[16384];
    char *out;
    snprintf(path, sizeof path, "%s/afile", t);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/mine", t);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/mine/notizen.txt", t);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    const struct {
        const char *out;
        const char *msg;
    } cases[] = {
        {"afile", "is a file; give the name of a folder"},
        {"afile/sub", "cannot be created: '%s/afile' is a file"},
        {"mine", "holds 'notizen.txt', which quartier did not write"},
        {"..", "must end in a folder name of its own"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char expect[4400], outdir[4400];
        snprintf(expect, sizeof expect, cases[k].msg, t);
        snprintf(outdir, sizeof outdir, "%s/%s", t, cases[k].out);
        for (int check = 0; check < 2; check++) {
            /* with progress on, so that any computing would show */
            snprintf(args, sizeof args, "%s %s -o %s", check ? "check" : "run",
                     qtr_test_path(FIXTURE), outdir);
            int rc = run_env(NULL, args, &out);
            if (rc != 2 || !strstr(out, expect) || strstr(out, "reading"))
                fail_msg("%s -o %s: exit %d, expected 2 and '%s' before any work; got: %s",
                         check ? "check" : "run", cases[k].out, rc, expect, out);
        }
    }
    /* an input inside an earlier output folder: the table is read from it */
    char outx[1024], ini[1024];
    snprintf(outx, sizeof outx, "%.900s/outx", t);
    assert_int_equal(mkdir(outx, 0777), 0);
    snprintf(path, sizeof path, "%s/.quartier-output", outx);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    size_t len;
    char *csv = slurp(qtr_test_path("tests/data/publish/stats.csv"), &len);
    snprintf(path, sizeof path, "%s/stats.csv", outx);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(csv, 1, len, f), len);
    fclose(f);
    free(csv);
    char *orig = slurp(qtr_test_path(FIXTURE), &len);
    char *mid = replace_once(orig, "../mini/bezirke.geojson",
                             qtr_test_path("tests/data/mini/bezirke.geojson"));
    char repl[4300];
    snprintf(repl, sizeof repl, "source = %s", path);
    char *text = replace_once(mid, "source = stats.csv", repl);
    free(orig);
    free(mid);
    snprintf(ini, sizeof ini, "%.900s/analysis.ini", t);
    f = fopen(ini, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    snprintf(args, sizeof args, "run %s -o %s -q", ini, outx);
    assert_int_equal(run_env(NULL, args, &out), 2);
    if (!strstr(out, "lies in the output folder"))
        fail_msg("input in the output folder not refused: %s", out);
    assert_true(qtr_file_exists(path));
    snprintf(path, sizeof path, "%s/mine/notizen.txt", t);
    assert_true(qtr_file_exists(path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_at_every_point), cmocka_unit_test(test_failure_keeps_previous),
        cmocka_unit_test(test_kill_signal),         cmocka_unit_test(test_concurrent_runs),
        cmocka_unit_test(test_folder_problems),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
