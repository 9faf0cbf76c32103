#include "geos_rings.h"

#include <stdlib.h>

struct walk {
    GEOSContextHandle_t h;
    size_t feature;
    qtr_ring_fn fn;
    void *ctx;
    double *buf;
    size_t cap;
    struct qtr_error *err;
};

static int visit_ring(struct walk *w, const GEOSGeometry *ring, int hole)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(w->h, ring);
    unsigned int npts = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(w->h, cs, &npts))
        return qtr_error_set(w->err, QTR_ERR_INTERNAL, "GEOS could not read a ring of district %zu",
                             w->feature);
    if (npts == 0)
        return 0;
    if (2 * (size_t)npts > w->cap) {
        size_t cap = 2 * (size_t)npts;
        double *nb = realloc(w->buf, cap * sizeof *nb);
        if (!nb)
            return qtr_error_set(w->err, QTR_ERR_NOMEM, "out of memory reading district %zu",
                                 w->feature);
        w->buf = nb;
        w->cap = cap;
    }
    if (!GEOSCoordSeq_copyToBuffer_r(w->h, cs, w->buf, 0, 0))
        return qtr_error_set(w->err, QTR_ERR_INTERNAL,
                             "GEOS could not copy the coordinates of district %zu", w->feature);
    return w->fn(w->ctx, w->buf, npts, hole);
}

static int visit_polygon(struct walk *w, const GEOSGeometry *g)
{
    if (GEOSisEmpty_r(w->h, g) == 1)
        return 0;
    const GEOSGeometry *ext = GEOSGetExteriorRing_r(w->h, g);
    if (!ext)
        return qtr_error_set(w->err, QTR_ERR_INTERNAL,
                             "GEOS could not read the outer ring of district %zu", w->feature);
    int rc = visit_ring(w, ext, 0);
    if (rc)
        return rc;
    int nh = GEOSGetNumInteriorRings_r(w->h, g);
    for (int r = 0; r < nh; r++) {
        const GEOSGeometry *hole = GEOSGetInteriorRingN_r(w->h, g, r);
        if (!hole)
            return qtr_error_set(w->err, QTR_ERR_INTERNAL,
                                 "GEOS could not read a hole of district %zu", w->feature);
        if ((rc = visit_ring(w, hole, 1)))
            return rc;
    }
    return 0;
}

static int visit_any(struct walk *w, const GEOSGeometry *g, int depth)
{
    int type = GEOSGeomTypeId_r(w->h, g);
    if (type == GEOS_POLYGON)
        return visit_polygon(w, g);
    if ((type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) && depth < 8) {
        int k = GEOSGetNumGeometries_r(w->h, g);
        for (int p = 0; p < k; p++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(w->h, g, p);
            int rc =
                part ? visit_any(w, part, depth + 1)
                     : qtr_error_set(w->err, QTR_ERR_INTERNAL,
                                     "GEOS could not read part %d of district %zu", p, w->feature);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (GEOSisEmpty_r(w->h, g) == 1)
        return 0;
    char *name = GEOSGeomType_r(w->h, g);
    int rc = qtr_error_set(w->err, QTR_ERR_DATA,
                           "district %zu has a %s geometry, but districts must be polygons; "
                           "check the boundary layer",
                           w->feature, name ? name : "non-polygonal");
    GEOSFree_r(w->h, name);
    return rc;
}

int qtr_geos_visit_rings(GEOSContextHandle_t h, const GEOSGeometry *g, size_t feature,
                         qtr_ring_fn fn, void *ctx, struct qtr_error *err)
{
    if (!g)
        return 0;
    struct walk w = {h, feature, fn, ctx, NULL, 0, err};
    int rc = visit_any(&w, g, 0);
    free(w.buf);
    return rc;
}
