/*
 * shapes.h - polygons as plain coordinate arrays, for code that must not
 * include GEOS (map rendering). src/geo converts GEOS geometries to this.
 *
 * Feature i has rings feat_ring[i] .. feat_ring[i+1]-1; ring r has points
 * ring_pt[r] .. ring_pt[r+1]-1 (closed: first point repeated last);
 * ring_hole[r] is 1 for an interior ring. Coordinates are in the work CRS (m).
 */
#ifndef QUARTIER_SHAPES_H
#define QUARTIER_SHAPES_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"

struct qtr_shapes {
    size_t n; /* features */
    size_t nrings;
    size_t npoints;
    size_t *feat_ring;  /* n + 1 */
    size_t *ring_pt;    /* nrings + 1 */
    uint8_t *ring_hole; /* nrings */
    double *x, *y;      /* npoints */
};

/** Free everything. NULL-safe. */
void qtr_shapes_free(struct qtr_shapes *s);

/** Bounding box of all features; returns 0 when there are no points. */
int qtr_shapes_bbox(const struct qtr_shapes *s, double *minx, double *miny, double *maxx,
                    double *maxy);

/**
 * Generalise every ring for drawing at a small scale: Douglas & Peucker
 * (1973) with tolerance `tol` (CRS units): a point is kept when it lies more
 * than tol from the chord between the points kept around it. The first
 * point of a ring (= its last) is always kept; a ring that would keep fewer
 * than 4 points (3 corners + closing point) keeps its original points, so no
 * feature disappears. Neighbouring polygons are simplified independently,
 * so shared edges can move apart by at most tol: choose tol below the width
 * of a drawn outline. *out is owned by the caller (qtr_shapes_free).
 * Errors: QTR_ERR_USAGE (tol < 0 or not finite), QTR_ERR_NOMEM.
 */
int qtr_shapes_simplify(const struct qtr_shapes *in, double tol, struct qtr_shapes **out,
                        struct qtr_error *err);

/**
 * The same generalisation for a coverage (src/core/shapes_shared.c), keeping shared
 * boundaries shared: rings are cut into arcs at their nodes (points where the neighbours
 * along all rings through a point are more than two, i.e. three boundaries meet or a
 * shared boundary ends; a ring without one gets its smallest point), every node is kept,
 * and each arc is generalised in one canonical direction, so two neighbours keep exactly
 * the same points of the boundary they share (points are matched by equal coordinates).
 * Closed rings are rotated to start at a node; a ring that would keep fewer than 3
 * distinct points, or that has 4 points or fewer, keeps its original points.
 * Errors: QTR_ERR_USAGE (tol < 0 or not finite), QTR_ERR_NOMEM.
 */
int qtr_shapes_simplify_shared(const struct qtr_shapes *in, double tol,
                               struct qtr_shapes **out, struct qtr_error *err);

struct GEOSContextHandle_HS; /* GEOSContextHandle_t, without including geos_c.h */
struct GEOSGeom_t;           /* GEOSGeometry */
struct qtr_error;

/**
 * Convert n GEOS geometries (Polygon, MultiPolygon, or collections of them)
 * to plain rings (src/geo/shapes_geos.c). Coordinates are copied as they
 * are; ring orientation is kept, holes are flagged in ring_hole. NULL or
 * empty geometries become features without rings. *out is owned by the
 * caller (qtr_shapes_free). Errors: QTR_ERR_DATA (non-polygonal geometry,
 * index named), QTR_ERR_INTERNAL (GEOS failed), QTR_ERR_NOMEM.
 */
int qtr_shapes_from_geos(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                         size_t n, struct qtr_shapes **out, struct qtr_error *err);

#endif
