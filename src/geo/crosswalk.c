/*
 * crosswalk.c - the pieces shared by two district layouts, with a GEOS STRtree over the
 * targets and prepared source geometries (see crosswalk.h).
 */
#include "quartier/crosswalk.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qtr_crosswalk_free(struct qtr_crosswalk *cw)
{
    if (!cw)
        return;
    free(cw->pieces);
    free(cw->src_area);
    free(cw->tgt_area);
    free(cw->cover_area);
    free(cw->covered);
    free(cw);
}

struct cands {
    size_t *idx;
    size_t n, cap;
    int oom;
};

static void cand_cb(void *item, void *user)
{
    struct cands *c = user;
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        size_t *p = realloc(c->idx, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->idx = p;
        c->cap = cap;
    }
    c->idx[c->n++] = *(const size_t *)item;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static int add_piece(struct qtr_crosswalk *cw, size_t *cap, size_t i, size_t j, double area)
{
    if (cw->npieces == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        struct qtr_piece *p = realloc(cw->pieces, nc * sizeof *p);
        if (!p)
            return -1;
        cw->pieces = p;
        *cap = nc;
    }
    cw->pieces[cw->npieces].src = i;
    cw->pieces[cw->npieces].tgt = j;
    cw->pieces[cw->npieces].area = area;
    cw->npieces++;
    return 0;
}

static double geom_area(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    double a = 0;
    if (!g || GEOSisEmpty_r(h, g) != 0 || !GEOSArea_r(h, g, &a) || !isfinite(a))
        return 0;
    return a;
}

#define KEY(keys, i, buf)                                                                          \
    ((keys) && (keys)[i] ? (keys)[i] : (snprintf(buf, sizeof buf, "#%zu", (size_t)(i) + 1), buf))

int qtr_crosswalk_build(struct GEOSContextHandle_HS *hh, const struct GEOSGeom_t *const *src,
                        const char *const *src_key, size_t nsrc,
                        const struct GEOSGeom_t *const *tgt, const char *const *tgt_key,
                        size_t ntgt, double sliver_area, struct qtr_crosswalk **out,
                        struct qtr_error *err)
{
    GEOSContextHandle_t h = (GEOSContextHandle_t)hh;
    *out = NULL;
    if (!(sliver_area >= 0) || !isfinite(sliver_area))
        return qtr_error_set(err, QTR_ERR_USAGE, "the sliver area must be 0 or more m², not %g",
                             sliver_area);
    struct qtr_crosswalk *cw = calloc(1, sizeof *cw);
    size_t *ids = malloc((ntgt ? ntgt : 1) * sizeof *ids);
    if (cw) {
        cw->nsrc = nsrc;
        cw->ntgt = ntgt;
        cw->src_area = calloc(nsrc ? nsrc : 1, sizeof(double));
        cw->cover_area = calloc(nsrc ? nsrc : 1, sizeof(double));
        cw->covered = calloc(nsrc ? nsrc : 1, sizeof(double));
        cw->tgt_area = calloc(ntgt ? ntgt : 1, sizeof(double));
    }
    if (!cw || !ids || !cw->src_area || !cw->cover_area || !cw->covered || !cw->tgt_area) {
        free(ids);
        qtr_crosswalk_free(cw);
        return qtr_error_set(err, QTR_ERR_NOMEM,
                             "out of memory for a crosswalk of %zu by %zu "
                             "units",
                             nsrc, ntgt);
    }
    int rc = QTR_OK;
    char kb1[32], kb2[32];
    struct cands cand = {0};
    size_t cap = 0;
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    if (!tree) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not create a spatial index");
        goto done;
    }
    size_t ntree = 0;
    for (size_t j = 0; j < ntgt; j++) {
        ids[j] = j;
        const GEOSGeometry *g = (const GEOSGeometry *)tgt[j];
        cw->tgt_area[j] = geom_area(h, g);
        if (g && GEOSisEmpty_r(h, g) == 0) {
            GEOSSTRtree_insert_r(h, tree, g, &ids[j]);
            ntree++;
        }
    }
    for (size_t i = 0; i < nsrc && rc == QTR_OK; i++) {
        const GEOSGeometry *g = (const GEOSGeometry *)src[i];
        cw->src_area[i] = geom_area(h, g);
        if (!(cw->src_area[i] > 0) || ntree == 0)
            continue;
        cand.n = 0;
        GEOSSTRtree_query_r(h, tree, g, cand_cb, &cand);
        if (cand.oom) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the crosswalk");
            break;
        }
        qsort(cand.idx, cand.n, sizeof *cand.idx, cmp_size);
        const GEOSPreparedGeometry *pg = GEOSPrepare_r(h, g);
        if (!pg) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not prepare source unit %s",
                               KEY(src_key, i, kb1));
            break;
        }
        for (size_t c = 0; c < cand.n; c++) {
            size_t j = cand.idx[c];
            const GEOSGeometry *t = (const GEOSGeometry *)tgt[j];
            char meets = GEOSPreparedIntersects_r(h, pg, t);
            if (meets == 0)
                continue;
            double a;
            if (meets == 1 && GEOSPreparedContainsProperly_r(h, pg, t) == 1) {
                a = cw->tgt_area[j];
            } else {
                GEOSGeometry *x = GEOSIntersection_r(h, g, t);
                if (!x) {
                    rc = qtr_error_set(err, QTR_ERR_DATA,
                                       "GEOS could not intersect source unit %s with target "
                                       "unit %s; check both geometries (e.g. in QGIS: "
                                       "Vector > Geometry Tools > Check Validity)",
                                       KEY(src_key, i, kb1), KEY(tgt_key, j, kb2));
                    break;
                }
                a = geom_area(h, x);
                GEOSGeom_destroy_r(h, x);
            }
            if (!(a > 0))
                continue; /* the two only touch */
            cw->cover_area[i] += a;
            if (a < sliver_area) {
                cw->nslivers++;
                cw->sliver_area_sum += a;
                continue;
            }
            if (add_piece(cw, &cap, i, j, a) != 0) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the crosswalk");
                break;
            }
        }
        GEOSPreparedGeom_destroy_r(h, pg);
    }
    for (size_t i = 0; i < nsrc && rc == QTR_OK; i++) {
        double A = cw->src_area[i];
        if (!(A > 0)) {
            cw->covered[i] = 0;
            continue;
        }
        double miss = A - cw->cover_area[i];
        cw->covered[i] = (miss < sliver_area || miss <= 1e-9 * A) ? 1.0 : cw->cover_area[i] / A;
        if (cw->covered[i] > 1)
            cw->covered[i] = 1;
        if (cw->covered[i] < 0)
            cw->covered[i] = 0;
    }
done:
    free(cand.idx);
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    free(ids);
    if (rc != QTR_OK) {
        qtr_crosswalk_free(cw);
        return rc;
    }
    *out = cw;
    return QTR_OK;
}
