/*
 * dissolve.h - merge adjacent districts that carry the same label into one
 * area each: LISA cluster polygons (HH, LL, ...) and renewal candidate areas.
 * Implemented in src/geo/dissolve.c with GEOS (reentrant API).
 */
#ifndef QUARTIER_DISSOLVE_H
#define QUARTIER_DISSOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/csr.h"
#include "quartier/error.h"

struct GEOSContextHandle_HS; /* GEOSContextHandle_t */
struct GEOSGeom_t;           /* GEOSGeometry */

/** The areas produced by qtr_dissolve_adjacent. */
struct qtr_dissolved {
    size_t n;                  /* number of areas */
    struct GEOSGeom_t **geoms; /* n (multi)polygons, owned */
    int *label;                /* n: the label shared by the members */
    size_t *member_off;        /* n + 1: members of area a are member[member_off[a] ..] */
    uint32_t *member;          /* district indices, ascending within an area */
};

/**
 * Group districts i with label[i] >= 0 into connected components of the
 * graph w restricted to pairs with equal labels (label[i] == label[j]; -1 =
 * not included), and union each group's geometries (GEOSUnaryUnion_r) into
 * one Polygon or MultiPolygon. A group that w links only through a corner
 * (queen weights) becomes a MultiPolygon; pass rook weights to avoid that.
 * Areas are ordered by their lowest member index, so the output is
 * deterministic. Districts with a NULL or empty geometry are members of
 * their group but add no area. *out is owned by the caller
 * (qtr_dissolved_free with the same handle).
 * Errors: QTR_ERR_USAGE (w->n != n), QTR_ERR_INTERNAL (GEOS failed; the
 * message names the first member), QTR_ERR_NOMEM.
 */
int qtr_dissolve_adjacent(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                          size_t n, const struct qtr_csr *w, const int *label,
                          struct qtr_dissolved **out, struct qtr_error *err);

/** Free the areas and their geometries. NULL-safe. */
void qtr_dissolved_free(struct GEOSContextHandle_HS *h, struct qtr_dissolved *d);

#endif
