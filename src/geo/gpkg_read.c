/*
 * gpkg_read.c - polygons of a GeoPackage layer, found by part of its name.
 */
#include "quartier/gpkg_read.h"

#include <ctype.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int contains_nocase(const char *s, const char *part)
{
    size_t n = strlen(part);
    for (; *s; s++) {
        size_t k = 0;
        while (k < n && s[k] && tolower((unsigned char)s[k]) == tolower((unsigned char)part[k]))
            k++;
        if (k == n)
            return 1;
    }
    return n == 0;
}

static int polygonal(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface;
}

int qtr_gpkg_read_polygons(struct qtr_ctx *ctx, const char *path, const char *part,
                           struct qtr_shapes **out, char *layer_name, size_t name_size,
                           struct qtr_error *err)
{
    GEOSContextHandle_t h = (GEOSContextHandle_t)ctx->geos;
    GEOSGeometry **geoms = NULL;
    unsigned char *wkb = NULL;
    size_t n = 0, cap = 0, wcap = 0;
    int rc = QTR_OK;
    *out = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open '%s': %s", path, qtr_gdal_last_error());
    OGRLayerH lyr = NULL;
    for (int i = 0; i < GDALDatasetGetLayerCount(ds) && !lyr; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (l && contains_nocase(OGR_L_GetName(l), part) && polygonal(OGR_L_GetGeomType(l)))
            lyr = l;
    }
    if (!lyr)
        goto out;
    if (layer_name && name_size)
        snprintf(layer_name, name_size, "%s", OGR_L_GetName(lyr));
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        long long fid = (long long)OGR_F_GetFID(f);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            GEOSGeometry **ng = realloc(geoms, nc * sizeof *ng);
            if (!ng) {
                OGR_F_Destroy(f);
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            geoms = ng;
            cap = nc;
        }
        geoms[n] = NULL;
        if (g && !OGR_G_IsEmpty(g)) {
            /* curves (GeoPackage allows them) are linearised by OGR before export */
            OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
            size_t sz = lin ? (size_t)OGR_G_WkbSize(lin) : 0;
            if (sz > wcap) {
                unsigned char *nw = realloc(wkb, sz);
                if (!nw) {
                    OGR_G_DestroyGeometry(lin);
                    OGR_F_Destroy(f);
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                wkb = nw;
                wcap = sz;
            }
            if (lin && OGR_G_ExportToWkb(lin, wkbNDR, wkb) == OGRERR_NONE)
                geoms[n] = GEOSGeomFromWKB_buf_r(h, wkb, sz);
            OGR_G_DestroyGeometry(lin);
            if (!geoms[n]) {
                OGR_F_Destroy(f);
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "layer '%s' of '%s': feature %lld has a geometry GEOS cannot "
                                   "read (%s)",
                                   OGR_L_GetName(lyr), path, fid, ctx->geos_msg);
                goto out;
            }
        }
        n++;
        OGR_F_Destroy(f);
    }
    if (n)
        rc = qtr_shapes_from_geos(ctx->geos, (const struct GEOSGeom_t *const *)geoms, n, out, err);
out:
    for (size_t i = 0; i < n; i++)
        if (geoms[i])
            GEOSGeom_destroy_r(h, geoms[i]);
    free(geoms);
    free(wkb);
    GDALClose(ds);
    return rc;
}
