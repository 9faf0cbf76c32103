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

int qtr_cfg_on_batch(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "by")) {
        if (!qtr_cfg_prefix_ok(v))
            return qtr_cfg_fail(st,
                                "by = '%s': write prefix:N with N from 1 to 64 (the first N "
                                "characters of the district key), or a column of the boundaries",
                                v);
        return qtr_cfg_set_str(st, &c->batch_by, v);
    }
    if (!strcmp(name, "name"))
        return qtr_cfg_set_str(st, &c->batch_name, v);
    return qtr_cfg_fail(st, "unknown key '%s' in [batch] (known: by, name)", name);
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
