/*
 * weights.h - spatial weights: contiguity from polygons (GEOS), k nearest
 * neighbours, distance band and kernel weights from point coordinates,
 * row-standardisation, symmetry, islands, connected components, and the
 * GAL/GWT text formats of GeoDa and PySAL.
 *
 * All weights are struct qtr_csr (csr.h) with rows sorted by column. The
 * point-based builders and the helpers are pure kernels (src/core/weights.c,
 * in qtr_kernels); contiguity needs GEOS (src/geo/contiguity.c) and the
 * readers/writers do file I/O (src/io/weights_io.c), both in qtr.
 *
 * GEOS types are named by their struct tags so this header does not pull in
 * geos_c.h: `struct GEOSContextHandle_HS *` is GEOSContextHandle_t and
 * `struct GEOSGeom_t` is GEOSGeometry.
 *
 * Coordinates and distances are in the work CRS (metres); never pass
 * longitude/latitude to the distance-based builders.
 */
#ifndef QUARTIER_WEIGHTS_H
#define QUARTIER_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/csr.h"
#include "quartier/error.h"

struct GEOSContextHandle_HS;
struct GEOSGeom_t;

/* ---- contiguity (GEOS) ------------------------------------------------ */

/**
 * Contiguity weights of n polygons (Polygon or MultiPolygon; NULL or empty
 * geometries become islands). queen != 0: neighbours share at least one
 * boundary point; queen == 0 (rook): they share a boundary stretch of
 * positive length. Weights are binary (w = 1), rows sorted, no diagonal.
 *
 * Method: vertices and segments of all rings are grouped by their exact
 * coordinates (radix-sorted hashes, equality confirmed), so districts with a
 * clean shared topology (the normal case for official boundary files) are
 * paired without any geometry operation; for queen this is exactly PySAL's
 * vertex-based Queen. Pairs whose envelopes, expanded by snap_tolerance,
 * intersect in a GEOS STRtree but that share no exact vertex are then tested
 * with prepared GEOS predicates: queen when the polygons come within
 * snap_tolerance of each other (T-junctions, boundaries digitised slightly
 * apart; overlapping polygons count as neighbours too).
 * Rook: a queen pair is a rook pair when it shares an exact segment, or when
 * the GEOS intersection of the two boundaries has positive length
 * (T-junctions). Only pairs without any exact contact (no shared vertex, no
 * boundary overlap) are judged by the tolerance: they are rook neighbours
 * when their tolerance-measured shared length (below) exceeds
 * 2 * snap_tolerance, the most a mere corner contact can produce at right
 * angles. A pair that touches exactly at a corner stays a corner contact
 * whatever the tolerance.
 *
 * shared_length (may be NULL): receives a malloc'ed array, one value per CSR
 * entry, of the length of the common boundary in CRS units (0 for a corner
 * contact): the length of the linear part of the intersection of both
 * boundaries; for pairs that are neighbours only through the tolerance, the
 * mean of the lengths of each boundary inside the other boundary's
 * tolerance buffer (this overstates the true stretch by up to about
 * 2 * tolerance per end). Asking for lengths costs one GEOS intersection per
 * pair. Caller frees. *out is owned by the caller (qtr_csr_free).
 *
 * Errors: QTR_ERR_USAGE (negative tolerance, n >= 2^32), QTR_ERR_DATA (a
 * geometry that is not polygonal; the message names its index),
 * QTR_ERR_INTERNAL (GEOS failed), QTR_ERR_NOMEM.
 */
int qtr_weights_contiguity(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                           size_t n, int queen, double snap_tolerance, struct qtr_csr **out,
                           double **shared_length, struct qtr_error *err);

/* ---- point-based weights (pure kernels) --------------------------------- */

/**
 * k nearest neighbours of each point (itself excluded), binary weights.
 * Ties in distance are broken by the lower index, so the result is
 * deterministic. Rows are not symmetric in general. Uses a k-d tree:
 * O(n log n) to build, about O(k log n) per query.
 * Errors: QTR_ERR_USAGE (k == 0 or k >= n), QTR_ERR_DATA (non-finite
 * coordinate, index named), QTR_ERR_NOMEM.
 */
int qtr_weights_knn(const double *x, const double *y, size_t n, size_t k, struct qtr_csr **out,
                    struct qtr_error *err);

/**
 * Distance band: j is a neighbour of i (i != j) when d_ij <= threshold
 * (PySAL DistanceBand). binary != 0 gives w = 1, otherwise w = d_ij^alpha
 * (PySAL's inverse-distance form, alpha usually -1 or -2).
 * Errors: QTR_ERR_USAGE (threshold not > 0), QTR_ERR_DATA (non-finite
 * coordinate; two distinct points at distance 0 with alpha < 0),
 * QTR_ERR_NOMEM.
 */
int qtr_weights_distance_band(const double *x, const double *y, size_t n, double threshold,
                              int binary, double alpha, struct qtr_csr **out,
                              struct qtr_error *err);

/** Kernel functions, with z = d / h (Anselin and Rey 2010, table 5.4, as in PySAL Kernel). */
enum qtr_kernel_fn {
    QTR_KERNEL_TRIANGULAR, /* 1 - z */
    QTR_KERNEL_UNIFORM,    /* 1/2 */
    QTR_KERNEL_QUADRATIC,  /* Epanechnikov: 3/4 (1 - z^2) */
    QTR_KERNEL_BISQUARE,   /* quartic: 15/16 (1 - z^2)^2 */
    QTR_KERNEL_GAUSSIAN    /* (2 pi)^(-1/2) exp(-z^2 / 2), truncated at z = 1 as in PySAL */
};

/** K(z) of the kernel functions above, for 0 <= z <= 1 (NAN for an unknown fn). */
double qtr_kernel_value(enum qtr_kernel_fn fn, double z);

/** What the diagonal of a kernel matrix holds. */
enum qtr_kernel_self {
    QTR_KERNEL_SELF_NONE,   /* no diagonal entry */
    QTR_KERNEL_SELF_KERNEL, /* w_ii = K(0): PySAL Kernel's default */
    QTR_KERNEL_SELF_ONE /* w_ii = 1: PySAL Kernel(diagonal=True), segregation's spatial indices */
};

/**
 * Kernel weights w_ij = K(d_ij / h_i) for d_ij <= h_i; entries with K = 0
 * (d_ij == h_i for the bounded kernels) are not stored.
 * Bandwidth: bandwidth > 0 is a fixed h for every point (metres). With
 * bandwidth <= 0 it is derived from k (>= 1): adaptive != 0 gives
 * h_i = (distance from i to its k-th nearest other point) * (1 + 1e-7) and
 * i's neighbours are exactly those k points; adaptive == 0 gives the fixed
 * h = max_i of that distance * (1 + 1e-7). The factor is PySAL's eps, which
 * keeps the k-th neighbour inside the band.
 * Errors: QTR_ERR_USAGE (no bandwidth and k == 0 or k >= n, unknown fn),
 * QTR_ERR_DATA (non-finite coordinate; derived bandwidth 0 because of
 * duplicate points), QTR_ERR_NOMEM.
 */
int qtr_weights_kernel(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                       double bandwidth, size_t k, int adaptive, enum qtr_kernel_self self,
                       struct qtr_csr **out, struct qtr_error *err);

/* ---- helpers (pure kernels) ------------------------------------------- */

/**
 * Divide each row by its sum (PySAL transform 'R'). Rows without entries
 * (islands) stay empty. Errors: QTR_ERR_DOMAIN when a non-empty row sums to
 * zero, a negative or non-finite value (row named); w is unchanged then.
 */
int qtr_weights_row_standardize(struct qtr_csr *w, struct qtr_error *err);

/**
 * 1 when w_ij and w_ji both exist with |w_ij - w_ji| <= tol for every entry,
 * else 0. Rows must be sorted (as every builder here leaves them).
 */
int qtr_weights_is_symmetric(const struct qtr_csr *w, double tol);

/**
 * Islands: rows without any neighbour other than themselves. Writes their
 * indices in ascending order to islands (room for w->n; may be NULL) and
 * returns how many there are.
 */
size_t qtr_weights_islands(const struct qtr_csr *w, uint32_t *islands);

/**
 * Connected components of the graph of w (an entry i->j links i and j,
 * direction ignored), by union-find. comp (n, caller-allocated) receives
 * component numbers 0, 1, ... numbered in the order of each component's
 * lowest index; *ncomp receives their count. Islands are components of one.
 * Errors: QTR_ERR_NOMEM.
 */
int qtr_weights_components(const struct qtr_csr *w, uint32_t *comp, size_t *ncomp,
                           struct qtr_error *err);

/**
 * New matrix equal to w with every diagonal entry set to value (added where
 * missing, replaced where present): "queen + self" (PySAL fill_diagonal) for
 * the egohood versions of the segregation indices. Caller frees *out.
 * Errors: QTR_ERR_NOMEM.
 */
int qtr_weights_fill_diagonal(const struct qtr_csr *w, double value, struct qtr_csr **out,
                              struct qtr_error *err);

/**
 * Build a CSR from n rows of (i, j, w) triplets in any order: sorted,
 * duplicates (same i, j) rejected. Used by the readers and by tests.
 * Errors: QTR_ERR_DATA (index out of range, duplicate pair: both named),
 * QTR_ERR_NOMEM.
 */
int qtr_weights_from_triplets(size_t n, const uint32_t *i, const uint32_t *j, const double *wv,
                              size_t m, struct qtr_csr **out, struct qtr_error *err);

/* ---- GAL / GWT files ---------------------------------------------------- */

/**
 * Write w as a GAL file (GeoDa/PySAL): header "0 n shapefile keyvar", then
 * per district a line "key count" and a line with its neighbours' keys.
 * Weights are not stored (GAL is binary contiguity). keys[i] names row i;
 * keys must be non-empty and contain no blanks. shapefile and keyvar name
 * the layer and key column for GeoDa ("unknown"/"id" when NULL). Written to
 * a temporary file beside path, then renamed. Errors: QTR_ERR_DATA (key with
 * blanks), QTR_ERR_IO (the message names the file).
 */
int qtr_weights_write_gal(const char *path, const struct qtr_csr *w, const char *const *keys,
                          const char *shapefile, const char *keyvar, struct qtr_error *err);

/**
 * Write w as a GWT file: header "0 n shapefile keyvar", then one line
 * "key_i key_j w_ij" per entry, row by row; weights in the shortest decimal
 * form that reads back to the same double. Same conventions and errors as
 * qtr_weights_write_gal.
 */
int qtr_weights_write_gwt(const char *path, const struct qtr_csr *w, const char *const *keys,
                          const char *shapefile, const char *keyvar, struct qtr_error *err);

/**
 * Read a GAL file whose ids are among keys[0..n-1] (row i = keys[i]);
 * accepts the header "0 n shapefile keyvar" and the older bare "n". Weights
 * are 1. Errors: QTR_ERR_IO (cannot open), QTR_ERR_DATA (malformed line,
 * unknown id, count mismatch: file and line named), QTR_ERR_NOMEM.
 */
int qtr_weights_read_gal(const char *path, const char *const *keys, size_t n, struct qtr_csr **out,
                         struct qtr_error *err);

#endif
