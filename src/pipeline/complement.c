/*
 * complement.c - one inference for the indices a group and its complement share (complement.h).
 */
#include "complement.h"

#include <math.h>
#include <string.h>

#include "quartier/cell.h"
#include "quartier/frame.h"

/* 1 when groups a and b add up to the total in every district in the indices. */
static int complementary(const struct qtr_state *st, const struct qtr_column *tot,
                         const struct qtr_column *a, const struct qtr_column *b)
{
    size_t used = 0;
    for (size_t i = 0; i < st->frame->n; i++) {
        if (st->usable && !st->usable[i])
            continue;
        enum qtr_cell_class ka = qtr_cell_class_of((enum qtr_cell_kind)a->kind[i]);
        enum qtr_cell_class kb = qtr_cell_class_of((enum qtr_cell_kind)b->kind[i]);
        enum qtr_cell_class kt = qtr_cell_class_of((enum qtr_cell_kind)tot->kind[i]);
        int na = ka == QTR_CLASS_VALUE || ka == QTR_CLASS_ZERO;
        int nb = kb == QTR_CLASS_VALUE || kb == QTR_CLASS_ZERO;
        int nt = kt == QTR_CLASS_VALUE || kt == QTR_CLASS_ZERO;
        if (!na || !nb || !nt)
            return 0;
        double va = ka == QTR_CLASS_ZERO ? 0 : a->v[i], vb = kb == QTR_CLASS_ZERO ? 0 : b->v[i];
        double vt = kt == QTR_CLASS_ZERO ? 0 : tot->v[i];
        if (fabs(va + vb - vt) > 0.5)
            return 0;
        used++;
    }
    return used > 0;
}

static int same_value(double x, double y)
{
    return fabs(x - y) <= 1e-12 * fmax(1.0, fmax(fabs(x), fabs(y)));
}

size_t qtr_complement_share_inference(struct qtr_state *st, const struct qtr_config *cfg)
{
    const struct qtr_column *tot = cfg->total ? qtr_frame_find(st->frame, cfg->total) : NULL;
    size_t npairs = 0;
    if (!tot)
        return 0;
    for (size_t g = 0; g < cfg->ngroups; g++) {
        if (cfg->groups[g].multigroup_only)
            continue;
        const struct qtr_column *a = qtr_frame_find(st->frame, cfg->groups[g].column);
        for (size_t h = g + 1; a && h < cfg->ngroups; h++) {
            if (cfg->groups[h].multigroup_only)
                continue;
            const struct qtr_column *b = qtr_frame_find(st->frame, cfg->groups[h].column);
            if (!b || !complementary(st, tot, a, b))
                continue;
            npairs++;
            for (size_t i = 0; i < st->nindices; i++) {
                const struct qtr_index_value *vg = &st->indices[i];
                if (strcmp(vg->group, cfg->groups[g].id) || vg->status != QTR_OK)
                    continue;
                for (size_t j = 0; j < st->nindices; j++) {
                    struct qtr_index_value *vh = &st->indices[j];
                    if (strcmp(vh->group, cfg->groups[h].id) || strcmp(vh->name, vg->name) ||
                        vh->status != QTR_OK || !same_value(vg->value, vh->value))
                        continue;
                    vh->p_value = vg->p_value;
                    vh->expected = vg->expected;
                    vh->ci_low = vg->ci_low;
                    vh->ci_high = vg->ci_high;
                }
            }
        }
    }
    return npairs;
}
