/*
 * geom.h - measures and conversions of the run's GEOS geometries (src/geo/geom.c).
 *
 * GEOS is included only in src/geo/ (docs/architecture.md): the stages and the writers work
 * on geometries through these functions and never call GEOS themselves. Geometries are the
 * layer's (struct qtr_layer.geom) or a dissolve's; h is the run's handle (ctx->geos).
 */
#ifndef QUARTIER_GEOM_H
#define QUARTIER_GEOM_H

#include <stddef.h>

struct GEOSContextHandle_HS; /* GEOSContextHandle_t */
struct GEOSGeom_t;           /* GEOSGeometry */
struct qtr_error;

/** Area of g in the units of its CRS squared; 0 for NULL or when GEOS fails. */
double qtr_geom_area(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g);

/** Length of g's boundary (perimeter of a polygon); 0 for NULL or when GEOS fails. */
double qtr_geom_perimeter(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g);

/** A point guaranteed inside g (GEOSPointOnSurface); 0 when g is NULL, empty or GEOS fails. */
int qtr_geom_point_inside(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g, double *x,
                          double *y);

/**
 * g as an OGR MultiPolygon (OGRGeometryH, owned by the caller: OGR_G_DestroyGeometry), through
 * little-endian WKB; NULL when g cannot be converted.
 */
void *qtr_geom_to_ogr(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *g);

/**
 * Close the holes of g (a Polygon or MultiPolygon) smaller than min_area (CRS units², m² in
 * the work CRS): the gaps a union leaves where the districts' boundaries do not meet exactly.
 * Returns a new MultiPolygon (caller frees), or NULL when g is of another type or GEOS fails
 * (then keep g).
 */
struct GEOSGeom_t *qtr_geom_close_small_holes(struct GEOSContextHandle_HS *h,
                                              const struct GEOSGeom_t *g, double min_area);

/**
 * The union of the geometries of each group: out[p] (p < ngroups) unites every geoms[i] with
 * group[i] == p (NULL geometries skipped; a group without geometry gives NULL). *out is owned
 * by the caller (qtr_geoms_free(h, *out, ngroups)). Holes of a union smaller than min_hole
 * (CRS units²; 0 keeps every hole) are closed: the gaps left where district boundaries do not
 * meet exactly (qtr_geom_close_small_holes). When GEOS cannot unite a group, returns
 * QTR_ERR_DATA with *failed = that group and nothing in *out; QTR_ERR_NOMEM.
 */
int qtr_geom_union_groups(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                          size_t n, const size_t *group, size_t ngroups, double min_hole,
                          struct GEOSGeom_t ***out, size_t *failed, struct qtr_error *err);

/** Destroy n geometries (NULL entries allowed) and free the array. NULL-safe. */
void qtr_geoms_free(struct GEOSContextHandle_HS *h, struct GEOSGeom_t **g, size_t n);

/** Destroy one geometry. NULL-safe. */
void qtr_geom_free(struct GEOSContextHandle_HS *h, struct GEOSGeom_t *g);

#endif
