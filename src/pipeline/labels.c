/*
 * labels.c - the analysis file's side of the presentation table: the group, indicator or
 * target a column belongs to (c->of) looked up in struct qtr_config, handed to
 * qtr_present_column (src/render/present.c) as struct qtr_present_owner. It stays in
 * src/pipeline because src/render may not include config.h (io layer); it decides no alias,
 * colour or class of its own (docs/presentation.md).
 */
#include "quartier/labels.h"

#include <stdio.h>
#include <string.h>

static const char *group_label(const struct qtr_group_spec *g, int en)
{
    if (en && g->label_en)
        return g->label_en;
    return g->label ? g->label : g->id;
}

static const char *ind_label(const struct qtr_indicator_spec *s, int en)
{
    if (en && s->label_en)
        return s->label_en;
    return s->label ? s->label : s->id;
}

static const struct qtr_group_spec *group_of(const struct qtr_config *cfg, const char *id)
{
    for (size_t g = 0; cfg && id && g < cfg->ngroups; g++)
        if (!strcmp(cfg->groups[g].id, id))
            return &cfg->groups[g];
    return NULL;
}

static const struct qtr_indicator_spec *indicator_of(const struct qtr_config *cfg, const char *id)
{
    for (size_t k = 0; cfg && id && k < cfg->nindicators; k++)
        if (!strcmp(cfg->indicators[k].id, id))
            return &cfg->indicators[k];
    return NULL;
}

void qtr_column_present(const struct qtr_config *cfg, const struct qtr_column *c,
                        const char *name, int english, struct qtr_present *out)
{
    enum qtr_role role = c ? c->role : qtr_present_fixed_role(name);
    struct qtr_present_owner o = {.origin = c ? c->origin : NULL};
    const char *of = c ? c->of : NULL;
    const struct qtr_group_spec *g = NULL;
    const struct qtr_indicator_spec *s = NULL;
    char goal[200];
    if (role == QTR_ROLE_GOAL) {
        o.id = o.label = of;
        /* the target in words: its indicator's label, year and district ([target] has no
         * label of its own; its id is the analysis file's) */
        for (size_t k = 0; cfg && of && k < cfg->ntargets; k++) {
            const struct qtr_target_spec *t = &cfg->targets[k];
            const struct qtr_indicator_spec *ti = indicator_of(cfg, t->indicator);
            if (strcmp(t->id, of) || !ti)
                continue;
            snprintf(goal, sizeof goal, "%.150s %d%s%.20s", ind_label(ti, english), t->year,
                     t->district ? (english ? ", district " : ", Gebiet ") : "",
                     t->district ? t->district : "");
            o.label = goal;
        }
    } else if (role == QTR_ROLE_PARENT && cfg && cfg->bnd_parent_label) {
        /* the level's name ("Stadtteil"), not the column or prefix:N */
        o.label =
            english && cfg->bnd_parent_label_en ? cfg->bnd_parent_label_en : cfg->bnd_parent_label;
    } else if ((role == QTR_ROLE_NONE || role >= QTR_ROLE_INDICATOR) &&
               (s = indicator_of(cfg, of))) {
        o.id = s->id;
        o.label = ind_label(s, english);
        o.unit = s->unit;
        o.classification = s->classification;
        o.classes = s->classes;
        o.higher_worse = s->higher_worse;
        o.expr = role == QTR_ROLE_IND_PREVIOUS ? s->previous
                 : role == QTR_ROLE_IND_NUMERATOR ? s->numerator
                 : role == QTR_ROLE_IND_DENOMINATOR ? s->denominator
                                                    : s->expr;
    } else if ((g = group_of(cfg, of))) {
        o.id = g->id;
        o.label = group_label(g, english);
    }
    qtr_present_column(role, name, &o, english, out);
}

void qtr_column_label(const struct qtr_config *cfg, const struct qtr_column *c, const char *name,
                      int english, struct qtr_label *out)
{
    struct qtr_present p;
    qtr_column_present(cfg, c, name, english, &p);
    snprintf(out->alias, sizeof out->alias, "%s", p.alias);
    snprintf(out->description, sizeof out->description, "%s", p.description);
    snprintf(out->unit, sizeof out->unit, "%s", p.unit);
    out->decimals = p.decimals;
}

const char *qtr_index_label(const char *index, int english)
{
    return qtr_present_index_label(index, english);
}
