/*
 * cli_util.h - run the quartier binary from a test and capture what it prints; the set-up
 * helpers the CLI tests share (reading and writing files, the text of a report, whether QGIS
 * is installed).
 */
#ifndef QTR_CLI_UTIL_H
#define QTR_CLI_UTIL_H

#include "test_util.h"

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

/* Run `quartier ARGS` (as qtr_run_cli); the test fails, showing what it printed, unless it
 * exits 0. */
static inline void qtr_run_cli_ok(const char *args)
{
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("quartier run failed (%d): %s", rc, out ? out : "");
    free(out);
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

/* The whole file at path, NUL-terminated (caller frees); *len (len may be NULL) its length in
 * bytes, which counts any NUL bytes inside. NULL when it cannot be read. */
static inline char *qtr_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return b;
}

/* Write len bytes of data to path (created or replaced); the test fails when it cannot. */
static inline void qtr_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* The text of an HTML page in place: tags taken out, '|' before each table cell (<td>, <th>),
 * line breaks kept or (keep_newlines 0) dropped. Returns html. */
static inline char *qtr_html_text(char *html, int keep_newlines)
{
    char *o = html;
    int in_tag = 0;
    for (const char *p = html; *p; p++) {
        if (*p == '<') {
            in_tag = 1;
            if (!strncmp(p, "<td", 3) || !strncmp(p, "<th", 3))
                *o++ = '|';
        } else if (*p == '>') {
            in_tag = 0;
        } else if (!in_tag && (keep_newlines || *p != '\n')) {
            *o++ = *p;
        }
    }
    *o = '\0';
    return html;
}

/* Is QGIS's Python module installed (for the checks that open outputs in QGIS)? */
static inline int qtr_have_qgis(void)
{
    return system("/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1") == 0;
}

/* Skip the test (cmocka) when QGIS's Python module is not installed. */
#define QTR_REQUIRE_QGIS()                                                                         \
    do {                                                                                           \
        if (!qtr_have_qgis()) {                                                                    \
            print_message("skipped: QGIS python bindings not installed "                           \
                          "(/usr/bin/python3 -c 'import qgis.core' fails)\n");                     \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

/* Write ini: analysis.ini of geodata/musterstadt with language = en and absolute sources
 * (the test fails when it has no `language = de` line). */
static inline void qtr_english_musterstadt_ini(const char *ini)
{
    char src[4200], inpath[4300], line[4096];
    snprintf(src, sizeof src, "%s", qtr_test_path("geodata/musterstadt"));
    snprintf(inpath, sizeof inpath, "%s/analysis.ini", src);
    FILE *in = fopen(inpath, "r"), *out = fopen(ini, "w");
    assert_non_null(in);
    assert_non_null(out);
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
