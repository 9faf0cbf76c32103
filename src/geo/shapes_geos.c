/*
 * shapes_geos.c - GEOS polygons to struct qtr_shapes (plain rings), so the
 * map renderer never needs geos_c.h.
 */
#include "quartier/shapes.h"

#include <geos_c.h>
#include <stdlib.h>
#include <string.h>

#include "geos_rings.h"
#include "quartier/error.h"

struct grow {
    struct qtr_shapes *s;
    size_t caprings, cappts;
};

static int add_ring(void *ctx, const double *xy, size_t npts, int hole)
{
    struct grow *g = ctx;
    struct qtr_shapes *s = g->s;
    if (s->nrings + 1 > g->caprings) {
        size_t cap = g->caprings ? 2 * g->caprings : 256;
        size_t *rp = realloc(s->ring_pt, (cap + 1) * sizeof *rp);
        if (!rp)
            return QTR_ERR_NOMEM;
        s->ring_pt = rp;
        uint8_t *rh = realloc(s->ring_hole, cap * sizeof *rh);
        if (!rh)
            return QTR_ERR_NOMEM;
        s->ring_hole = rh;
        g->caprings = cap;
    }
    if (s->npoints + npts > g->cappts) {
        size_t cap = g->cappts ? g->cappts : 4096;
        while (cap < s->npoints + npts)
            cap *= 2;
        double *nx = realloc(s->x, cap * sizeof *nx);
        if (!nx)
            return QTR_ERR_NOMEM;
        s->x = nx;
        double *ny = realloc(s->y, cap * sizeof *ny);
        if (!ny)
            return QTR_ERR_NOMEM;
        s->y = ny;
        g->cappts = cap;
    }
    for (size_t p = 0; p < npts; p++) {
        s->x[s->npoints + p] = xy[2 * p];
        s->y[s->npoints + p] = xy[2 * p + 1];
    }
    s->npoints += npts;
    s->ring_hole[s->nrings] = (uint8_t)(hole != 0);
    s->nrings++;
    s->ring_pt[s->nrings] = s->npoints;
    return 0;
}

int qtr_shapes_from_geos(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                         size_t n, struct qtr_shapes **out, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct grow g = {0};
    *out = NULL;
    g.s = calloc(1, sizeof *g.s);
    if (!g.s)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory converting district shapes");
    g.s->n = n;
    g.s->feat_ring = calloc(n + 1, sizeof *g.s->feat_ring);
    g.s->ring_pt = calloc(1, sizeof *g.s->ring_pt);
    if (!g.s->feat_ring || !g.s->ring_pt)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        g.s->feat_ring[i] = g.s->nrings;
        rc = qtr_geos_visit_rings(h, geoms[i], i, add_ring, &g, err);
        if (rc == QTR_ERR_NOMEM)
            goto nomem;
        if (rc)
            goto out;
    }
    g.s->feat_ring[n] = g.s->nrings;
    if (!g.s->ring_hole && !(g.s->ring_hole = malloc(1)))
        goto nomem;
    if (!g.s->x && !((g.s->x = malloc(sizeof(double))) && (g.s->y = malloc(sizeof(double)))))
        goto nomem;
    *out = g.s;
    g.s = NULL;
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory converting district shapes");
out:
    qtr_shapes_free(g.s);
    return rc;
}
