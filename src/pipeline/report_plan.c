/*
 * report_plan.c - between the report and the rest of the run: the candidate areas on the
 * report's maps, from the run's own area layers (st->areas, the layer whose name holds
 * "candidate"), not read back from the GeoPackage that was just written; and the grid
 * legend of a bivariate map handed to the QGIS project's layout.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* 1 when `part` occurs in `name`, ASCII case-insensitive. */
static int contains_nocase(const char *name, const char *part)
{
    size_t n = strlen(name), m = strlen(part);
    for (size_t i = 0; m <= n && i + m <= n; i++) {
        size_t k = 0;
        while (k < m && tolower((unsigned char)name[i + k]) == tolower((unsigned char)part[k]))
            k++;
        if (k == m)
            return 1;
    }
    return 0;
}

int qtr_report_candidates(struct rs *r)
{
    const struct qtr_state *st = r->st;
    for (size_t a = 0; a < st->nareas; a++) {
        const struct qtr_area_layer *al = &st->areas[a];
        if (!contains_nocase(al->name, "candidate"))
            continue;
        snprintf(r->cand_layer, sizeof r->cand_layer, "%s", al->name);
        if (!al->n)
            return QTR_OK;
        struct qtr_error e = {0};
        struct qtr_shapes *raw = NULL;
        if (qtr_shapes_from_geos(r->ctx->geos, (const struct GEOSGeom_t *const *)al->geom, al->n,
                                 &raw, &e) != QTR_OK) {
            if (e.code == QTR_ERR_NOMEM)
                return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
            qtr_warn(r->ctx, "maps: candidate areas not drawn: %s", e.msg);
            return QTR_OK;
        }
        if (qtr_shapes_simplify(raw, r->tol, &r->cand, &e) != QTR_OK)
            r->cand = NULL;
        qtr_shapes_free(raw);
        return QTR_OK;
    }
    return QTR_OK;
}

int qtr_report_plan_grid(struct rs *r, const char *stem, const struct qtr_map *m)
{
    if (!m->grid_rows || !m->grid_cols || m->grid_rows * m->grid_cols != m->nclass)
        return QTR_OK;
    size_t k = m->nclass;
    unsigned char(*rgb)[3] = malloc(k * sizeof *rgb);
    if (!rgb)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < k; j++) {
        rgb[j][0] = m->colors[j].r;
        rgb[j][1] = m->colors[j].g;
        rgb[j][2] = m->colors[j].b;
    }
    int rc = qtr_qgis_plan_grid(r->st->qgis, stem, m->grid_rows, m->grid_cols,
                                (const unsigned char(*)[3])rgb, m->row_labels, m->col_labels,
                                m->row_title, m->col_title, r->err);
    free(rgb);
    return rc;
}
