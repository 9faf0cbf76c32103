/*
 * cli_util.h - run the quartier binary from a test and capture what it prints.
 */
#ifndef QTR_CLI_UTIL_H
#define QTR_CLI_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The last output buffers (see qtr_run_cli); one test executable includes this header once. */
char *qtr_cli_recent[32];
unsigned qtr_cli_next;

/* Run `quartier ARGS` (a shell fragment), stdout and stderr together into *out (caller frees).
 * Returns the exit status, or -1 when it could not run. */
static inline int qtr_run_cli(const char *args, char **out)
{
    const char *bin = getenv("QTR_BIN");
    if (!bin)
        bin = "build/quartier";
    size_t need = strlen(bin) + strlen(args) + 16;
    char *cmd = malloc(need);
    if (!cmd)
        return -1;
    snprintf(cmd, need, "'%s' %s 2>&1", bin, args);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return -1;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
    }
    if (buf)
        buf[len] = '\0';
    int st = pclose(p);
    /* Keep the last buffers reachable: a failed assertion jumps out of the test before its
     * free(), and LeakSanitizer would report that as a leak of quartier's. */
    qtr_cli_recent[qtr_cli_next++ % 32] = buf;
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A fresh empty temporary folder (static buffer). */
static inline const char *qtr_temp_dir(void)
{
    static char dir[256];
    snprintf(dir, sizeof dir, "/tmp/quartier-test-XXXXXX");
    return mkdtemp(dir);
}

static inline int qtr_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The number after `"name": "<name>"` ... `"value": ` in the indices JSON, or NAN. */
static inline double qtr_json_index(const char *json, const char *name, const char *group)
{
    char pat[256];
    snprintf(pat, sizeof pat, "\"name\": \"%s\", \"group\": \"%s\", \"value\": ", name, group);
    const char *p = strstr(json, pat);
    if (!p)
        return NAN;
    return strtod(p + strlen(pat), NULL);
}

#endif
