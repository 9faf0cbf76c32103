/*
 * decay_field.h - the distance-decay sums (C v)_i = Σ_j c_ij v_j of the published distance-decay
 * family (White 1983, Massey & Denton 1988, Morgan 1983) in O(n) memory, built once per run and
 * shared by every group and index that needs them.
 *
 * c_ij = exp(-d_ij / 1000 m) for centroids at most `cutoff_m` apart (j ≠ i) and the self
 * proximity c_ii = exp(-(alpha a_i / 10^6)^beta) (a_i in m²), as qtr_decay_options describes.
 * No pair is stored; two ways to evaluate the sums:
 *
 *   direct   every pair within the cut-off, found through a uniform grid of cells of the
 *            cut-off's size and summed on the fly (compensated sums): exact, O(n) memory,
 *            O(n k) time for k neighbours within the cut-off.
 *   lattice  for centroids on a regular lattice (a census grid: Zensus 100 m cells): the sums
 *            over lattice points are one discrete 2-D convolution of the counts with the kernel
 *            sampled on the lattice, computed with FFTW (O(N log N) for the N nodes of the
 *            lattice's bounding box plus the cut-off); centroids off the lattice (cells clipped
 *            at a boundary, districts) are summed directly, as sources and as targets.
 *
 * Error bound of the lattice way (tested against the direct sums on a 10,000-cell grid in
 * tests/indices/test_decay_field.c and on Sacramento's tracts snapped to a lattice in
 * tests/e2e/test_sacramento_spatial.c): a lattice point's distance to every other lattice point
 * is the lattice distance exactly, up to the detection tolerance of 1e-7 cell widths, so each
 * c_ij is off by at most a relative 2e-7·h/1000 m (2e-8 for h = 100 m). The FFT adds rounding
 * of about ε log2 N Σ_j |v_j| absolute to every sum; a lattice target whose sum is not at
 * least 1e7 times that (a district far from all others, a group absent around it) is summed
 * again directly. So every sum (C v)_i is within a relative 1e-7 of the exact one, and the
 * indices, sums of positive terms and one ratio, within 1e-6; pairs at exactly the cut-off may
 * fall on either side (c = exp(-20) ≈ 2e-9 there). The tests assert 1e-6 on the indices; on
 * both data sets the observed difference is below 1e-14.
 */
#ifndef QUARTIER_DECAY_FIELD_H
#define QUARTIER_DECAY_FIELD_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/indices.h"
#include "quartier/spatial.h"
#include "quartier/weights.h"

struct qtr_decay_field;

enum qtr_decay_method {
    QTR_DECAY_AUTO = 0,   /* lattice where the centroids form one and it pays, else direct */
    QTR_DECAY_DIRECT = 1, /* every pair on the fly (the exact reference) */
    QTR_DECAY_LATTICE = 2 /* FFT over the lattice points (QTR_ERR_DOMAIN when there is none) */
};

/**
 * Builds the field for the n centroids u->cx, u->cy (metres) and areas u->area (m²), and the
 * shared sums C t (u->total) and C 1. `opt` must be the published variant with a cut-off > 0
 * (QTR_ERR_USAGE otherwise). The field copies what it needs; free it with
 * qtr_decay_field_free. QTR_ERR_DOMAIN for invalid centroids or areas, QTR_ERR_NOMEM.
 */
int qtr_decay_field_new(const struct qtr_units *u, const struct qtr_decay_options *opt,
                        enum qtr_decay_method method, struct qtr_decay_field **out,
                        struct qtr_error *err);

/** Frees the field; NULL is a no-op. */
void qtr_decay_field_free(struct qtr_decay_field *f);

/** out[i] = Σ_j c_ij v[j], self proximity included (n values; out must not alias v). */
int qtr_decay_field_apply(const struct qtr_decay_field *f, const double *v, double *out,
                          struct qtr_error *err);

/** The number of districts the field was built for. */
size_t qtr_decay_field_size(const struct qtr_decay_field *f);

/** The shared sums: C t and C 1 (n values each, owned by the field). */
const double *qtr_decay_field_ct(const struct qtr_decay_field *f);
const double *qtr_decay_field_c1(const struct qtr_decay_field *f);

/** "direct" or "lattice" (what the field uses), and the share of centroids on the lattice. */
const char *qtr_decay_field_method(const struct qtr_decay_field *f, double *lattice_share);

/**
 * Bytes the field will hold for n centroids whose bounding box spans `width_m` × `height_m`,
 * an upper estimate for the memory check before heavy work (lattice spacing `cell_m`, 0 when
 * the centroids are not on a lattice).
 */
double qtr_decay_field_bytes(size_t n, double width_m, double height_m, double cell_m,
                             double cutoff_m);

/* ---- kernel lags: sums through a fixed-bandwidth kernel, no stored weights ------------- */

/**
 * out[k][i] = Σ_j w_ij v[k][j] for the nv vectors v[k] (n values each) with the kernel weights
 * w_ij = K(d_ij / h) for d_ij <= h (j ≠ i) and w_ii = 1, rounded half to even when
 * `round_half_even`: bit for bit what qtr_weights_kernel(x, y, n, fn, h, 0, 0,
 * QTR_KERNEL_SELF_ONE) followed by qtr_spatial_lag_counts on each vector gives (same
 * distances, same weights, summed in the same column order), without storing the weights: the
 * districts within h are found through a grid of cells of half the bandwidth's size (the 5×5
 * block around a district without its far corners), one row at a time (O(n) memory plus one
 * row per thread, O(n k) time for k districts within h, the row radix-sorted by column; rows
 * in parallel, the result does not depend on the thread count). QTR_ERR_USAGE for a bandwidth
 * that is not > 0, QTR_ERR_DATA for a centroid that is not finite, QTR_ERR_DOMAIN for a count
 * that is not, QTR_ERR_NOMEM. out[k] must not alias any v.
 */
int qtr_kernel_lag(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                   double bandwidth, size_t nv, const double *const *v, int round_half_even,
                   double *const *out, struct qtr_error *err);

/**
 * qtr_kernel_lag without its bit-for-bit promise, for callers that round the sums anyway (the
 * surface indices' local environments): each row summed in the traversal order of the grid of
 * cells (w_ii v_i first), which depends on the centroids alone, so the result is the same on
 * every run and for every thread count; distances from sqrt instead of hypot and no sort of
 * the row. The sums differ from qtr_kernel_lag's in the last bits only, which moves a rounded
 * value only when a sum lies within a few ulp of a half. Same arguments and errors.
 */
int qtr_kernel_lag_cell_order(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                              double bandwidth, size_t nv, const double *const *v,
                              int round_half_even, double *const *out, struct qtr_error *err);

/**
 * The multiscalar profile (qtr_multiscalar_profile) of `nidx` indices at once with the
 * triangular kernel, w_ii = 1, on the centroids u->cx, u->cy: one qtr_kernel_lag of the group
 * and the total per bandwidth, shared by all indices. values[k * nb + b] and
 * status[k * nb + b] for index k and bandwidth b; same values as qtr_multiscalar_profile with
 * qtr_weights_kernel as its builder, in O(n) memory.
 */
int qtr_multiscalar_profile_kernel(const struct qtr_units *u, const double *bandwidths, size_t nb,
                                   const qtr_aspatial_index *index, size_t nidx, double *values,
                                   int *status, struct qtr_error *err);

/* ---- the family from one field --------------------------------------------------- */

enum qtr_decay_index {
    QTR_DECAY_SP = 0, /* spatial_proximity */
    QTR_DECAY_ACL,    /* absolute_clustering */
    QTR_DECAY_RCL,    /* relative_clustering */
    QTR_DECAY_DPXX,   /* distance_decay_isolation */
    QTR_DECAY_DPXY,   /* distance_decay_exposure */
    QTR_DECAY_NINDEX
};

/** The index names as quartier reports them, in enum order. */
extern const char *const qtr_decay_index_names[QTR_DECAY_NINDEX];

struct qtr_decay_family {
    double value[QTR_DECAY_NINDEX]; /* NAN where status is not QTR_OK */
    int status[QTR_DECAY_NINDEX];   /* QTR_OK or QTR_ERR_DOMAIN */
    char reason[QTR_DECAY_NINDEX][256];
};

/**
 * The five published distance-decay indices of the group u->group (u->total as at
 * qtr_decay_field_new) with one application of the field (C x) and the shared C t, C 1.
 * An index that is not defined gets QTR_ERR_DOMAIN and a reason in r; the return value is
 * QTR_OK unless memory ran out or the input does not match the field.
 */
int qtr_decay_family_compute(const struct qtr_decay_field *f, const struct qtr_units *u,
                             struct qtr_decay_family *r, struct qtr_error *err);

#endif
