/*
 * geos_rings.h - internal to src/geo: walk the rings of a polygonal GEOS
 * geometry as plain coordinate arrays.
 */
#ifndef QUARTIER_GEO_GEOS_RINGS_H
#define QUARTIER_GEO_GEOS_RINGS_H

#include <geos_c.h>
#include <stddef.h>

#include "quartier/error.h"

/*
 * Called once per ring with its npts points as interleaved x, y (closed: the
 * first point is repeated last). hole is 1 for an interior ring. Returns 0 to
 * go on, non-zero to stop (that value is returned by the walker).
 */
typedef int (*qtr_ring_fn)(void *ctx, const double *xy, size_t npts, int hole);

/*
 * Visit every ring of g (Polygon, MultiPolygon, or a GeometryCollection of
 * those; NULL and empty geometries have no rings). Feature index `feature`
 * only names the district in error messages. Returns 0, the callback's
 * non-zero value, QTR_ERR_DATA for a non-polygonal geometry, QTR_ERR_INTERNAL
 * when GEOS fails or QTR_ERR_NOMEM.
 */
int qtr_geos_visit_rings(GEOSContextHandle_t h, const GEOSGeometry *g, size_t feature,
                         qtr_ring_fn fn, void *ctx, struct qtr_error *err);

#endif
