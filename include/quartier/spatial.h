/*
 * spatial.h - spatially explicit single-group segregation indices and the
 * spatially implicit ("egohood") lag: pure kernels on arrays and CSR weights.
 *
 * Units: areas in m², perimeters and shared boundary lengths in m, centroids
 * in metres of the work CRS. Every function reads `u->group` (x_i) and
 * `u->total` (t_i) and, where stated, `u->area`, `u->cx`, `u->cy`.
 * An index that is not defined for the input gives QTR_ERR_DOMAIN and a
 * reason in err, never a NaN. Nothing here allocates anything the caller
 * must free, except where a function says so.
 *
 * Where PySAL segregation 2.5.4 departs from the published formula, both are
 * available: see enum qtr_decay_variant.
 */
#ifndef QUARTIER_SPATIAL_H
#define QUARTIER_SPATIAL_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/csr.h"
#include "quartier/error.h"
#include "quartier/indices.h"

/* ---- contiguity-based dissimilarity (Morrill 1991, Wong 1993) --------------- */

/**
 * Morrill (1991) D(adj) = D - Σ_ij c_ij |p_i - p_j| / Σ_ij c_ij, p_i = x_i/t_i
 * (0 where t_i = 0), with c_ij the weights of `w` as given (PySAL
 * SpatialDissim, standardize=False: pass binary queen contiguity, not
 * row-standardised). QTR_ERR_DOMAIN when the weights are all zero or D is
 * undefined (group absent or the whole population).
 */
int qtr_spatial_dissimilarity(const struct qtr_units *u, const struct qtr_csr *w, double *out,
                              struct qtr_error *err);

/**
 * Wong (1993) D(w): as D(adj) with c_ij = l_ij / Σ_k l_ik, the shared boundary
 * length l_ij (metres; the caller passes a CSR whose w are the lengths)
 * row-standardised (PySAL BoundarySpatialDissim, standardize=True). Rows
 * whose lengths sum to 0 (islands) carry no weight.
 */
int qtr_boundary_spatial_dissimilarity(const struct qtr_units *u, const struct qtr_csr *len,
                                       double *out, struct qtr_error *err);

/**
 * Wong (1993) D(s), in the corrected form of Tivadar (2019, appendix A) as in
 * PySAL PARDissim (standardize=True):
 * D - Σ_ij |p_i - p_j| c_ij (P_i/A_i + P_j/A_j) / (2 max_k P_k/A_k),
 * c_ij = l_ij / Σ_kl l_kl. Needs u->area (m²) and `perimeter` (n, metres).
 */
int qtr_perimeter_area_ratio_spatial_dissimilarity(const struct qtr_units *u,
                                                   const struct qtr_csr *len,
                                                   const double *perimeter, double *out,
                                                   struct qtr_error *err);

/**
 * Hong & Sadahiro (2014) spatial proximity profile as computed by PySAL
 * SpatialProxProf: graph distances δ_ij = shortest path hop counts over the
 * contiguity graph `w` (any weight > 0 is an edge), thresholds
 * τ_k = k/(m-1), k = 0..m-1, η(τ) = (K² - K)/Σ_{i,j∈G(τ)} δ_ij with
 * G(τ) = {i : p_i ≥ τ}, K = |G(τ)| (η = 0 where undefined or the set is
 * disconnected), and SPP = (P - (Σ_{τ<P} η/m - Σ_{τ≥P} η/m)) / (1 - P),
 * P = X/T. O(n·nnz + m) time, O(n) memory. `curve` (m values) may be NULL.
 */
int qtr_spatial_proximity_profile(const struct qtr_units *u, const struct qtr_csr *w, size_t m,
                                  double *out, double *curve, struct qtr_error *err);

/* ---- distance-decay family (White 1983, Massey & Denton 1988, Morgan 1983) ---- */

enum qtr_decay_variant {
    /*
     * Published: c_ij = exp(-d_ij) with d_ij the centroid distance in km,
     * c_ii = exp(-d_ii), d_ii = (alpha·a_i)^beta with a_i in km² (White 1983).
     * Pairs farther apart than `cutoff_m` are dropped; the sums go through the
     * decay field (decay_field.h): O(n) memory, O(n·k) time or an FFT over a
     * census lattice. cutoff_m = 0: all pairs, O(n²) time, O(n) memory, refused
     * above `max_n`. Dropped pairs are not always negligible: with km units a
     * large rural district has c_ii ≈ 0 too (Sacramento: 30 km changes the
     * distance-decay isolation by 2e-7 relative, 60 km by < 1e-9).
     */
    QTR_DECAY_PUBLISHED = 0,
    /*
     * PySAL segregation 2.5.4 (util.generate_distance_matrix): w_ij = d_ij /
     * Σ_k d_jk (metres, normalised by the column sum), c_ij = 1 - exp(-w_ij),
     * c_ii = 1 - exp(-(alpha·a_i)^beta) with a_i in m². Needs every pair:
     * O(n²) time, O(n) memory; refused above `max_n` districts.
     * Also reproduces PySAL's other departures: relative clustering sums
     * x_j² c_ij, and the distance-decay isolation/exposure normalise
     * c_ij t_j by Σ_k c_jk t_k (column j) rather than by row i.
     */
    QTR_DECAY_PYSAL = 1
};

struct qtr_decay_options {
    enum qtr_decay_variant variant;
    double alpha;    /* self-distance coefficient; 0.6 (White 1983) */
    double beta;     /* self-distance exponent; 0.5 */
    double cutoff_m; /* published variant: neighbour cut-off in metres, 0 = all pairs */
    size_t max_n;    /* all-pairs evaluation: refuse larger inputs (0 = 5000) */
    int method;      /* published with a cut-off: enum qtr_decay_method (decay_field.h), 0 auto */
};

/** Defaults: published variant, alpha 0.6, beta 0.5, cut-off 20 km. */
void qtr_decay_options_default(struct qtr_decay_options *opt);

/**
 * White (1983) spatial proximity SP = (X·Pxx + Y·Pyy)/(T·Ptt),
 * Pxx = Σ_ij x_i x_j c_ij / X² (likewise y = t - x and t).
 * Needs u->cx, u->cy, u->area.
 */
int qtr_spatial_proximity(const struct qtr_units *u, const struct qtr_decay_options *opt,
                          double *out, struct qtr_error *err);

/**
 * Massey & Denton (1988) absolute clustering
 * ACL = (Σ_i x_i/X Σ_j c_ij x_j - X/n² Σ_ij c_ij) / (Σ_i x_i/X Σ_j c_ij t_j - X/n² Σ_ij c_ij).
 */
int qtr_absolute_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                            double *out, struct qtr_error *err);

/**
 * Massey & Denton (1988) relative clustering RCL = Pxx/Pyy - 1 with
 * Pxx = Σ_ij x_i x_j c_ij / X² (PySAL variant: Σ_ij x_j² c_ij / X²).
 */
int qtr_relative_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                            double *out, struct qtr_error *err);

/**
 * Morgan (1983) distance-decay isolation DPxx = Σ_i x_i/X Σ_j K_ij x_j/t_j,
 * K_ij = c_ij t_j / Σ_k c_ik t_k (PySAL: / Σ_k c_jk t_k). Units with t_j = 0
 * contribute nothing.
 */
int qtr_distance_decay_isolation(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                 double *out, struct qtr_error *err);

/** Morgan (1983) distance-decay exposure DPxy: as isolation with y_j/t_j, y = t - x. */
int qtr_distance_decay_exposure(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                double *out, struct qtr_error *err);

/* ---- spatially implicit indices ("egohoods", Reardon & O'Sullivan 2004) ---- */

/**
 * out_i = round(Σ_j w_ij v_j) with the diagonal forced to w_ii = 1 (any
 * stored w_ii is replaced), as libpysal fill_diagonal + lag_spatial followed
 * by pandas round(0) (ties to even) in PySAL's _build_local_environment.
 * `round_half_even` = 0 keeps the unrounded sums. Any aspatial index can then
 * be computed on the lagged group and total counts (lag each separately).
 * out: caller-allocated, n values, must not alias v.
 */
int qtr_spatial_lag_counts(const struct qtr_csr *w, const double *v, int round_half_even,
                           double *out, struct qtr_error *err);

/** Builds the kernel weights for one bandwidth (metres); the profile frees them. */
typedef int (*qtr_kernel_builder)(double bandwidth, void *ctx, struct qtr_csr **out,
                                  struct qtr_error *err);

/** Any aspatial single-group index, e.g. qtr_dissimilarity. */
typedef int (*qtr_aspatial_index)(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Multiscalar profile (Reardon et al. 2008): for each bandwidth b_k, build the
 * kernel CSR, lag group and total through it (qtr_spatial_lag_counts,
 * rounded) and compute `index` on the lagged counts. values[k] and status[k]
 * receive the result per bandwidth (a QTR_ERR_DOMAIN index leaves NAN in
 * values[k] and its status; the profile still continues). Returns the first
 * builder or memory failure, else QTR_OK.
 */
int qtr_multiscalar_profile(const struct qtr_units *u, const double *bandwidths, size_t nb,
                            qtr_kernel_builder build, void *ctx, qtr_aspatial_index index,
                            double *values, int *status, struct qtr_error *err);

#endif
