/*
 * report_change_maps.c - the change maps of the report (issue 10 §3): per group the change
 * of its share, per indicator its change, between the two reference dates. Classes and
 * colours come from the presentation table (present.c: equal classes symmetric around 0,
 * orange = decrease, purple = increase), so the maps and the QGIS styles agree.
 */
#include "report_change_maps.h"

#include <stdlib.h>

#include "report_internal.h"

static int change_map(struct rs *r, const struct qtr_column *c, const char *stem,
                      const char *title, const char *const *ex, size_t nex)
{
    size_t n = r->shapes->n;
    double *v = malloc((n ? n : 1) * sizeof *v);
    char *src = qtr_report_source_line(r, ex, nex);
    int rc = QTR_OK;
    if (!v || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = cell(c, i);
    struct qtr_present p;
    qtr_column_present(r->cfg, c, c->name, r->en, &p);
    char sub[300], d0[32], d1[32];
    date_text(r, r->prev_date, d0, sizeof d0);
    date_text(r, r->cur_date, d1, sizeof d1);
    snprintf(sub, sizeof sub,
             T(r, "%s bis %s; Orange: gesunken, Lila: gestiegen, Klassen symmetrisch um 0",
               "%s to %s; orange: fallen, purple: risen, classes symmetric around 0"),
             d0, d1);
    rc = qtr_report_graduated_map(r, stem, v, &p, title, sub,
                                  p.unit[0] ? p.unit : T(r, "Veränderung", "Change"), src, 1);
    if (rc == QTR_ERR_DOMAIN) /* no value to show: the map is left out, as the QGIS style */
        rc = QTR_OK;
out:
    free(v);
    free(src);
    return rc;
}

int qtr_report_change_maps(struct rs *r)
{
    const struct qtr_frame *f = r->st->frame;
    if (!r->prev_date[0])
        return QTR_OK;
    int any = 0, rc = QTR_OK;
    for (size_t g = 0; g < r->cfg->ngroups && !rc; g++) {
        const struct qtr_group_spec *gs = &r->cfg->groups[g];
        const struct qtr_column *c =
            gs->multigroup_only ? NULL : qtr_frame_find_role(f, QTR_ROLE_SHARE_CHANGE, gs->id);
        if (!c || !(c->count[QTR_CELL_VALUE] + c->count[QTR_CELL_ZERO]))
            continue;
        if (!any++ && (rc = qtr_doc_heading(r->doc, 2, T(r, "Veränderung in den Gebieten",
                                                         "Change in the districts"))
                                ? qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory")
                                : QTR_OK))
            break;
        char title[256], stem[96], gl[200];
        snprintf(title, sizeof title,
                 T(r, "Veränderung des Anteils %s", "Change in the share of %s"),
                 group_mid(r, gs->id, gl, sizeof gl));
        snprintf(stem, sizeof stem, "change_share_%s", gs->id);
        const char *ex[4] = {r->cfg->total, gs->column, r->cfg->previous_total, gs->previous};
        rc = change_map(r, c, stem, title, ex, 4);
    }
    for (size_t k = 0; k < r->cfg->nindicators && !rc; k++) {
        const struct qtr_indicator_spec *s = &r->cfg->indicators[k];
        const struct qtr_column *c = qtr_frame_find_role(f, QTR_ROLE_IND_CHANGE, s->id);
        if (!c || !(c->count[QTR_CELL_VALUE] + c->count[QTR_CELL_ZERO]))
            continue;
        if (!any++ && qtr_doc_heading(r->doc, 2, T(r, "Veränderung in den Gebieten",
                                                    "Change in the districts")))
            return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        char title[256], stem[96];
        snprintf(title, sizeof title, T(r, "Veränderung: %s", "Change: %s"), ind_label(r, s));
        snprintf(stem, sizeof stem, "change_%s", s->id);
        const char *ex[2] = {s->expr, s->previous ? s->previous : s->change};
        rc = change_map(r, c, stem, title, ex, ex[1] ? 2 : 1);
    }
    return rc;
}
