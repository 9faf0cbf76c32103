/*
 * share_change.c - the change of each group's share between the two reference dates, for
 * the change maps of the report and the GeoPackage (issue 10 §3).
 */
#include "share_change.h"

#include <math.h>
#include <stdio.h>

#include "quartier/strutil.h"

static int is_number(const struct qtr_column *c, size_t i)
{
    return !c->is_text && (c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO) &&
           isfinite(c->v[i]);
}

int qtr_share_change_column(struct qtr_state *st, const struct qtr_config *cfg,
                            const struct qtr_group_spec *gs, struct qtr_error *err)
{
    struct qtr_frame *f = st->frame;
    if (!gs->previous || !cfg->previous_total)
        return QTR_OK;
    const struct qtr_column *share = qtr_frame_find_role(f, QTR_ROLE_SHARE, gs->id);
    const struct qtr_column *pg = qtr_frame_find(f, gs->previous);
    const struct qtr_column *pt = qtr_frame_find(f, cfg->previous_total);
    if (!share || !pg || !pt || pg->is_text || pt->is_text)
        return QTR_OK; /* the load stage has said what is missing */
    char name[160], what[160];
    snprintf(name, sizeof name, "%s_share_change", gs->id);
    snprintf(what, sizeof what, "[group %s]", gs->id);
    struct qtr_column *c =
        qtr_frame_add_computed(f, name, QTR_ROLE_SHARE_CHANGE, gs->id, NULL, 0, what, err);
    if (!c)
        return err->code;
    for (size_t i = 0; i < f->n; i++) {
        if (st->usable && !st->usable[i])
            continue;
        if (share->kind[i] == QTR_CELL_SUPPRESSED || pg->kind[i] == QTR_CELL_SUPPRESSED) {
            c->kind[i] = QTR_CELL_SUPPRESSED;
        } else if (share->kind[i] == QTR_CELL_VALUE && is_number(pg, i) && is_number(pt, i) &&
                   pt->v[i] > 0) {
            c->v[i] = share->v[i] - 100.0 * pg->v[i] / pt->v[i];
            c->kind[i] = QTR_CELL_VALUE;
        }
    }
    qtr_column_recount(c, f->n);
    return QTR_OK;
}
