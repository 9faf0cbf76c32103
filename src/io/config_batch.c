/*
 * config_batch.c - the [batch] section of the analysis file (docs/batch.md): how the boundary
 * layer and the tables are split into regions that run as independent jobs.
 *
 *   [batch]
 *   by = prefix:2        ; the first 2 characters of the district key (Berlin: the Bezirk)
 *   by = district_id     ; or a column of the boundary layer (AGS, Bezirk, ...)
 *   name = district_name ; optional: a boundary column naming each region
 *
 * Whether a column exists is known only once the boundary layer is read: the region split
 * (src/pipeline/region.c) checks it and names this line and the closest columns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "quartier/strutil.h"

static int fail(struct qtr_cfg_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int fail(struct qtr_cfg_state *st, const char *fmt, ...)
{
    if (!st->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->err->msg, sizeof st->err->msg, fmt, ap);
        va_end(ap);
        st->err->code = QTR_ERR_USAGE;
        st->failed = 1;
    }
    return 0;
}

static int set(struct qtr_cfg_state *st, char **dst, const char *v)
{
    char *c = qtr_strdup(v);
    if (!c) {
        fail(st, "%s", "out of memory");
        st->err->code = QTR_ERR_NOMEM;
        return 0;
    }
    free(*dst);
    *dst = c;
    return 1;
}

int qtr_cfg_on_batch(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "by")) {
        if (!strncmp(v, "prefix:", 7)) {
            char *end;
            errno = 0;
            unsigned long n = strtoul(v + 7, &end, 10);
            if (!(v[7] >= '0' && v[7] <= '9') || *end || errno || n < 1 || n > 64)
                return fail(st,
                            "by = '%s': write prefix:N with N from 1 to 64 (the first N "
                            "characters of the district key), or a column of the boundaries",
                            v);
        }
        return set(st, &c->batch_by, v);
    }
    if (!strcmp(name, "name"))
        return set(st, &c->batch_name, v);
    return fail(st, "unknown key '%s' in [batch] (known: by, name)", name);
}

int qtr_cfg_check_batch(const struct qtr_config *c, struct qtr_error *err)
{
    const struct qtr_cfg_entry *sec = qtr_cfg_find(c->lines, "batch", NULL);
    if (sec && !c->batch_by)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s:%u: [batch] needs 'by = ' (a boundary column such as the "
                             "municipality key AGS, or prefix:N of the district key)",
                             c->path ? c->path : "the analysis file", sec->line);
    return QTR_OK;
}
