/*
 * geom.c - measures and conversions of GEOS geometries for the stages and writers (geom.h).
 */
#include "quartier/geom.h"

#include <geos_c.h>
#include <ogr_api.h>
#include <stdlib.h>

#include "quartier/error.h"

double qtr_geom_area(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g)
{
    double a = 0;
    if (!g || GEOSArea_r(h, g, &a) != 1)
        return 0;
    return a;
}

double qtr_geom_perimeter(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g)
{
    double len = 0;
    if (!g || GEOSLength_r(h, g, &len) != 1)
        return 0;
    return len;
}

int qtr_geom_point_inside(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g, double *x,
                          double *y)
{
    if (!g || GEOSisEmpty_r(h, g))
        return 0;
    GEOSGeometry *pt = GEOSPointOnSurface_r(h, g);
    int ok = pt && GEOSGeomGetX_r(h, pt, x) == 1 && GEOSGeomGetY_r(h, pt, y) == 1;
    if (pt)
        GEOSGeom_destroy_r(h, pt);
    return ok;
}

void *qtr_geom_to_ogr(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g)
{
    size_t size = 0;
    if (!g)
        return NULL;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    if (!w)
        return NULL;
    GEOSWKBWriter_setByteOrder_r(h, w, GEOS_WKB_NDR);
    unsigned char *wkb = GEOSWKBWriter_write_r(h, w, g, &size);
    GEOSWKBWriter_destroy_r(h, w);
    if (!wkb)
        return NULL;
    OGRGeometryH og = NULL;
    if (OGR_G_CreateFromWkb(wkb, NULL, &og, (int)size) != OGRERR_NONE)
        og = NULL;
    GEOSFree_r(h, wkb);
    return og ? OGR_G_ForceToMultiPolygon(og) : NULL;
}

void qtr_geom_free(struct GEOSContextHandle_HS *h, struct GEOSGeom_t *g)
{
    if (g)
        GEOSGeom_destroy_r(h, g);
}

void qtr_geoms_free(struct GEOSContextHandle_HS *h, struct GEOSGeom_t **g, size_t n)
{
    if (!g)
        return;
    for (size_t i = 0; i < n; i++)
        qtr_geom_free(h, g[i]);
    free(g);
}

/* Polygon p rebuilt without the holes smaller than min_area; NULL when GEOS fails. */
static GEOSGeometry *polygon_without_small_holes(GEOSContextHandle_t h, const GEOSGeometry *p,
                                                 double min_area)
{
    int nh = GEOSGetNumInteriorRings_r(h, p);
    const GEOSGeometry *ext = GEOSGetExteriorRing_r(h, p);
    if (nh < 0 || !ext)
        return NULL;
    GEOSGeometry **holes = malloc(((size_t)nh + 1) * sizeof *holes);
    GEOSGeometry *shell = GEOSGeom_clone_r(h, ext);
    unsigned kept = 0;
    int ok = holes && shell;
    for (int r = 0; ok && r < nh; r++) {
        GEOSGeometry *ring = GEOSGeom_clone_r(h, GEOSGetInteriorRingN_r(h, p, r));
        GEOSGeometry *alone = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
        double a = 0;
        if (!alone || !GEOSArea_r(h, alone, &a)) {
            ok = 0;
        } else if (a >= min_area) {
            holes[kept] = GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, alone));
            ok = holes[kept] != NULL;
            kept += ok;
        }
        if (alone)
            GEOSGeom_destroy_r(h, alone); /* owns ring */
    }
    GEOSGeometry *out = NULL;
    if (ok) {
        out = GEOSGeom_createPolygon_r(h, shell, holes, kept); /* takes shell and holes */
        shell = NULL;
        kept = 0;
    }
    if (shell)
        GEOSGeom_destroy_r(h, shell);
    for (unsigned k = 0; k < kept; k++)
        GEOSGeom_destroy_r(h, holes[k]);
    free(holes);
    return out;
}

struct GEOSGeom_t *qtr_geom_close_small_holes(struct GEOSContextHandle_HS *h,
                                              const struct GEOSGeom_t *g, double min_area)
{
    int type = g ? GEOSGeomTypeId_r(h, g) : -1;
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        return NULL;
    int n = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    if (n < 0)
        return NULL;
    GEOSGeometry **polys = malloc(((size_t)n + 1) * sizeof *polys);
    int m = 0, ok = polys != NULL;
    for (int i = 0; ok && i < n; i++) {
        const GEOSGeometry *p = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        polys[m] = polygon_without_small_holes(h, p, min_area);
        ok = polys[m] != NULL;
        m += ok;
    }
    GEOSGeometry *out = NULL;
    if (ok)
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)m);
    if (!out)
        for (int k = 0; k < m; k++)
            GEOSGeom_destroy_r(h, polys[k]);
    free(polys);
    return out;
}

int qtr_geom_union_groups(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                          size_t n, const size_t *group, size_t ngroups, double min_hole,
                          struct GEOSGeom_t ***out, size_t *failed, struct qtr_error *err)
{
    *out = NULL;
    GEOSGeometry **parts = malloc((n ? n : 1) * sizeof *parts);
    GEOSGeometry **united = calloc(ngroups ? ngroups : 1, sizeof *united);
    if (!parts || !united) {
        free(parts);
        free(united);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t p = 0; p < ngroups; p++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (group[i] == p && geoms[i]) {
                parts[m] = GEOSGeom_clone_r(h, geoms[i]);
                if (parts[m])
                    m++;
            }
        if (!m)
            continue;
        /* the collection takes the parts over */
        GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                                         (unsigned)m);
        if (coll) {
            united[p] = GEOSUnaryUnion_r(h, coll);
            GEOSGeom_destroy_r(h, coll);
        } else {
            for (size_t k = 0; k < m; k++)
                GEOSGeom_destroy_r(h, parts[k]);
        }
        if (!united[p]) {
            free(parts);
            qtr_geoms_free(h, united, ngroups);
            *failed = p;
            return qtr_error_set(err, QTR_ERR_DATA, "GEOS cannot unite the geometries of group %zu",
                                 p);
        }
        GEOSGeometry *closed =
            min_hole > 0 ? qtr_geom_close_small_holes(h, united[p], min_hole) : NULL;
        if (closed) {
            GEOSGeom_destroy_r(h, united[p]);
            united[p] = closed;
        }
    }
    free(parts);
    *out = united;
    return QTR_OK;
}
