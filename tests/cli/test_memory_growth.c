/*
 * test_memory_growth.c - issue 12: the peak memory of the whole program does not grow with the
 * square of the number of districts. `quartier indices` (every index, --permutations 0) runs on
 * synthetic 100 m grids of 2,500 and 10,000 cells from tools/gen_grid; each run is a child
 * process whose peak resident memory wait4 reports. Four times the cells would take sixteen
 * times the memory if anything stored all pairs (the distance-decay family did: 1.2 GB at
 * 10,000 cells); linear growth takes four times. Asserted: the growth above the program's
 * own baseline (`quartier --version`: libraries, GDAL, PROJ) is at most 8 times, plus 16 MiB
 * for allocator slack.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Peak resident memory (KiB) of `argv` run in `dir` with output to /dev/null; -1 on failure. */
static long child_peak(const char *dir, char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || (dir && chdir(dir)))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return ru.ru_maxrss;
}

static long grid_peak(const char *gen, const char *bin, const char *tmp, unsigned cells)
{
    char dir[4096], n[32];
    snprintf(dir, sizeof dir, "%s/grid-%u", tmp, cells);
    snprintf(n, sizeof n, "%u", cells);
    char *gargv[] = {(char *)gen, n, dir, NULL};
    assert_true(child_peak(NULL, gargv) > 0);
    char *qargv[] = {(char *)bin, "indices", "grid.gpkg", "grid.csv", "--key", "id", "--group",
                     "grp", "--total", "total", "--groups", "g1,g2,g3,g4", "--permutations",
                     "0", "--format", "csv", "-q", NULL};
    long peak = child_peak(dir, qargv);
    assert_true(peak > 0);
    return peak;
}

static void test_peak_memory_not_quadratic(void **state)
{
    (void)state;
    const char *bin = getenv("QTR_BIN"), *build = getenv("QTR_BUILD_DIR");
    if (!bin || !build) {
        print_message("QTR_BIN or QTR_BUILD_DIR not set (run through ctest): skipped\n");
        skip();
    }
    char gen[4096];
    snprintf(gen, sizeof gen, "%s/gen_grid", build);
    if (access(gen, X_OK)) {
        print_message("%s not built: skipped\n", gen);
        skip();
    }
    const char *tmp = qtr_temp_dir();
    char *vargv[] = {(char *)bin, "--version", NULL};
    long base = child_peak(NULL, vargv);
    assert_true(base > 0);
    long a = grid_peak(gen, bin, tmp, 2500) - base;
    long b = grid_peak(gen, bin, tmp, 10000) - base;
    print_message("peak memory above the baseline (%ld KiB): %ld KiB on 2,500 cells, %ld KiB on "
                  "10,000 cells (ratio %.2f; quadratic would be 16)\n",
                  base, a, b, a > 0 ? (double)b / (double)a : 0.0);
    char rm[4200];
    snprintf(rm, sizeof rm, "rm -rf '%s'", tmp);
    assert_int_equal(system(rm), 0);
    assert_true(b <= 8 * (a > 0 ? a : 0) + 16 * 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peak_memory_not_quadratic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
