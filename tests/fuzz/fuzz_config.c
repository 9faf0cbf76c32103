/*
 * fuzz_config.c - libFuzzer harness for the analysis-file reader (src/io/config*.c): the input
 * is the text of an analysis file, read with qtr_config_load_text (no file is opened).
 *
 * Properties checked besides the sanitizers: an error is QTR_ERR_USAGE (or out of memory) with
 * a message that starts with the file name and a line within the text; a file that is read
 * has the required keys, and the line lookup finds every section it holds within the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH "/fuzz/analysis.ini"

static unsigned count_lines(const uint8_t *data, size_t size)
{
    unsigned n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

static void check_line(const struct qtr_config *c, const char *section, const char *key,
                       unsigned nlines)
{
    char sec[128];
    snprintf(sec, sizeof sec, "%s", section);
    unsigned l = qtr_config_line(c, sec, key);
    if (l > nlines)
        abort();
    char where[256];
    qtr_config_where(c, sec, key, where, sizeof where);
    if (strncmp(where, PATH, strlen(PATH)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qtr_config c;
    struct qtr_error err = {0};
    unsigned nlines = count_lines(data, size);
    qtr_config_init(&c);
    int rc = qtr_config_load_text((const char *)data, size, PATH, &c, &err);
    if (rc == 0) {
        if (!c.bnd_source || !c.bnd_key || !c.total || !c.output || !c.language)
            abort();
        char sec[128];
        for (size_t i = 0; i < c.ntables; i++) {
            snprintf(sec, sizeof sec, "table %s", c.tables[i].id);
            if (!c.tables[i].source || !c.tables[i].key)
                abort();
            if (qtr_config_line(&c, sec, NULL) != c.tables[i].line || !c.tables[i].line)
                abort();
            check_line(&c, sec, "source", nlines);
        }
        for (size_t i = 0; i < c.ngroups; i++) {
            snprintf(sec, sizeof sec, "group %s", c.groups[i].id);
            if (!c.groups[i].column || !qtr_config_line(&c, sec, NULL))
                abort();
            check_line(&c, sec, "column", nlines);
        }
        for (size_t i = 0; i < c.nindicators; i++) {
            snprintf(sec, sizeof sec, "indicator %s", c.indicators[i].id);
            if (!c.indicators[i].expr || !qtr_config_line(&c, sec, "expr"))
                abort();
        }
        for (size_t i = 0; i < c.ntargets; i++) {
            snprintf(sec, sizeof sec, "target %s", c.targets[i].id);
            check_line(&c, sec, "district", nlines);
        }
        if (c.segregation_group) {
            size_t k = 0;
            while (k < c.ngroups && strcmp(c.groups[k].id, c.segregation_group))
                k++;
            if (k == c.ngroups)
                abort();
        }
        if (!(c.status_thresholds[0] < c.status_thresholds[1] &&
              c.status_thresholds[1] < c.status_thresholds[2]) ||
            !(c.dynamics_thresholds[0] < c.dynamics_thresholds[1]) || c.years < 0 ||
            c.min_count < 0)
            abort();
        check_line(&c, "boundaries", "source", nlines);
        check_line(&c, "analysis", "seed", nlines);
        check_line(&c, "population", "total", nlines);
    } else if (rc == QTR_ERR_USAGE) {
        /* "PATH:LINE: ..." with LINE in the text, or "PATH: ..." (a size limit) */
        size_t n = strlen(PATH);
        if (strncmp(err.msg, PATH, n) || err.msg[n] != ':')
            abort();
        if (err.msg[n + 1] != ' ') {
            char *end;
            unsigned long line = strtoul(err.msg + n + 1, &end, 10);
            if (end == err.msg + n + 1 || *end != ':' || line < 1 || line > nlines)
                abort();
        }
    } else if (rc != QTR_ERR_NOMEM) {
        abort();
    }
    qtr_config_release(&c);
    return 0;
}
