/*
 * crosswalk.h - the pieces shared by two district layouts (issue 13), computed with GEOS.
 *
 * Given the polygons of a source layout and of a target layout in the same projected work
 * CRS (e.g. two struct qtr_layer read with the same work_crs), every source unit is cut by
 * the target units its envelope meets (GEOS STRtree over the targets, prepared source
 * geometry: a target the source contains properly is taken whole, one it does not meet is
 * skipped, the rest are intersected). Pieces below the sliver area are dropped and counted:
 * they are digitising remnants along boundaries both layouts share. The part of a source
 * unit that no target covers is measured, so the carrying can say which counts are lost.
 * The shares come from the pure kernel in carry.h.
 */
#ifndef QUARTIER_CROSSWALK_H
#define QUARTIER_CROSSWALK_H

#include <stddef.h>

#include "quartier/carry.h"
#include "quartier/error.h"

struct GEOSContextHandle_HS; /* GEOSContextHandle_t */
struct GEOSGeom_t;           /* GEOSGeometry */

/* Default sliver area in m²: a piece smaller than this is a digitising remnant. Boundaries
 * drawn twice (LOR 2019 and LOR 2021 in Berlin) differ by up to a few metres, which along a
 * shared edge of a few hundred metres leaves strips of tens to hundreds of m². */
#define QTR_CROSSWALK_SLIVER_M2 500.0

struct qtr_crosswalk {
    size_t nsrc, ntgt;
    size_t npieces;
    struct qtr_piece *pieces; /* kept pieces, ordered by source, then target */
    size_t nslivers;          /* pieces dropped as slivers */
    double sliver_area_sum;   /* their total area, m² */
    double *src_area;         /* nsrc: area of each source unit, m² (0 without geometry) */
    double *tgt_area;         /* ntgt: area of each target unit, m² */
    double *cover_area;       /* nsrc: area of all its pieces, slivers included, m² */
    double *covered;          /* nsrc: part of the source area the targets cover, in [0, 1];
                                 1 when the uncovered part is below the sliver area; 0 without
                                 geometry */
};

/**
 * Cut the source polygons by the target polygons. src[i] or tgt[j] may be NULL (a unit
 * without geometry: no pieces). src_key/tgt_key (may be NULL) name the units in messages.
 * sliver_area >= 0 (m²). h is the run's GEOS handle (ctx->geos). Returns QTR_ERR_DATA when
 * GEOS cannot intersect a pair (naming both keys), QTR_ERR_NOMEM, QTR_ERR_INTERNAL.
 */
int qtr_crosswalk_build(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *src,
                        const char *const *src_key, size_t nsrc,
                        const struct GEOSGeom_t *const *tgt, const char *const *tgt_key,
                        size_t ntgt, double sliver_area, struct qtr_crosswalk **out,
                        struct qtr_error *err);

/** Free a crosswalk. NULL-safe. */
void qtr_crosswalk_free(struct qtr_crosswalk *cw);

#endif
