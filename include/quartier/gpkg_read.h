/*
 * gpkg_read.h - read polygons back from a finished GeoPackage, for the maps:
 * layers that other stages write (candidate areas) are picked up by name,
 * so the report needs no knowledge of how they were made.
 */
#ifndef QUARTIER_GPKG_READ_H
#define QUARTIER_GPKG_READ_H

#include <stddef.h>

#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/shapes.h"

/**
 * Find the first layer of the GeoPackage `path` whose name contains `part`
 * (ASCII case-insensitive) and has polygon geometries, and read its features
 * as plain rings in the layer's own CRS (the work CRS for quartier.gpkg),
 * through GEOS (ctx->geos). *out is NULL and the status QTR_OK when there is
 * no such layer or it has no features; otherwise *out is owned by the caller
 * (qtr_shapes_free) and layer_name (may be NULL) receives the layer's name.
 * Features without geometry become features without rings.
 * Errors: QTR_ERR_IO (the file cannot be opened as a vector dataset, GDAL's
 * message), QTR_ERR_DATA (a geometry GEOS cannot read, feature named),
 * QTR_ERR_NOMEM.
 */
int qtr_gpkg_read_polygons(struct qtr_ctx *ctx, const char *path, const char *part,
                           struct qtr_shapes **out, char *layer_name, size_t name_size,
                           struct qtr_error *err);

#endif
