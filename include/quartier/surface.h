/*
 * surface.h - kernel ("surface") versions of the multigroup indices: every district's group
 * counts replaced by the kernel-weighted sums over its neighbourhood (its local environment,
 * Reardon & O'Sullivan 2004), then the aspatial multigroup index computed on those local
 * environments, as PySAL `segregation` 2.5.4 computes its multigroup indices with a
 * `distance` argument (SpatialImplicitIndex, _build_local_environment): libpysal's
 * Kernel(bandwidth = distance, function = 'triangular'), the diagonal set to 1
 * (fill_diagonal), each group lagged and rounded to whole residents (pandas round(0), half to
 * even). The local environments come from qtr_kernel_lag_cell_order (decay_field.h): no stored
 * weights, no sort of the rows (the sums are rounded anyway), O(n K) memory, computed once per
 * run and shared by every index of the family.
 *
 * Pure kernels: arrays in, values out (libm, OpenMP).
 */
#ifndef QUARTIER_SURFACE_H
#define QUARTIER_SURFACE_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/indices.h"
#include "quartier/weights.h"

/* The bandwidth of the surface indices in a run (metres): the scale of Reardon et al.'s
 * (2008) middle local environments and of PySAL's reference values for Sacramento. */
#define QTR_SURFACE_BANDWIDTH_M 2000.0

enum qtr_surface_index {
    QTR_SURFACE_DISSIMILARITY = 0, /* D̃: multigroup D (Sakoda) on the local environments */
    QTR_SURFACE_GINI,              /* multigroup Gini (Reardon & Firebaugh) */
    QTR_SURFACE_ENTROPY,           /* H̃: information theory index M/E */
    QTR_SURFACE_NORMALIZED_EXPOSURE,
    QTR_SURFACE_RELATIVE_DIVERSITY, /* R̃ (Carlson; Reardon 1998) */
    QTR_SURFACE_SQUARED_CV,
    QTR_SURFACE_MUTUAL_INFORMATION, /* M̃ (= PySAL MultiDivergence with distance) */
    QTR_SURFACE_NINDEX
};

/** The names quartier reports, in enum order; the per-group isolation is
 * QTR_SURFACE_ISOLATION_NAME. */
extern const char *const qtr_surface_index_names[QTR_SURFACE_NINDEX];
#define QTR_SURFACE_ISOLATION_NAME "surface_isolation"

struct qtr_surface_options {
    double bandwidth_m;    /* > 0; 0 = QTR_SURFACE_BANDWIDTH_M */
    enum qtr_kernel_fn fn; /* QTR_KERNEL_TRIANGULAR (0) = PySAL's default */
    double memory_limit;   /* bytes the run may use; 0 = no limit (qtr_surface_bytes) */
};

/**
 * The local environments: env[k][i] = Σ_j w_ij g_k[j] with w_ij = K(d_ij / h) for centroids
 * within h (j ≠ i), w_ii = 1, rounded half to even (PySAL). u->cx, u->cy (metres) and the
 * u->ngroups groups; env: u->ngroups caller-allocated arrays of u->n values. Errors as
 * qtr_kernel_lag_cell_order.
 */
int qtr_surface_environment(const struct qtr_units *u, enum qtr_kernel_fn fn, double bandwidth_m,
                            double *const *env, struct qtr_error *err);

/**
 * Spatial isolation of group k on the local environments (PySAL Isolation with `distance`, the
 * group against the sum of the groups): Σ_i (x̃_ik / X̃_k)(x̃_ik / t̃_i), t̃_i = Σ_k x̃_ik. The
 * exposure of group k to all other groups together is 1 − this value. QTR_ERR_DOMAIN when
 * group k has nobody in any local environment.
 */
int qtr_surface_isolation(const struct qtr_units *env, size_t k, double *out,
                          struct qtr_error *err);

/**
 * Upper estimate of the bytes the family needs for n districts and K groups whose centroids
 * span width_m × height_m, at bandwidth h: the K local environments, the cell grid and one row
 * of neighbours per thread (`threads`).
 */
double qtr_surface_bytes(size_t n, size_t K, double width_m, double height_m, double h,
                         int threads);

/**
 * Appends the surface indices (qtr_surface_index_names, then QTR_SURFACE_ISOLATION_NAME for
 * each group, labelled group_labels[k] or "k+1") over u->groups to *out, as qtr_indices_multi
 * does. Every index is appended: one that cannot be computed (no centroids, fewer than 2
 * districts, more memory than so->memory_limit, not defined for the data, left out by
 * opt->want) has status QTR_ERR_DOMAIN and a reason. No inference (a permutation would need
 * the kernel sums in every draw). Returns QTR_OK unless memory ran out.
 */
int qtr_indices_surface(const struct qtr_units *u, const struct qtr_surface_options *so,
                        const struct qtr_index_options *opt, const char *const *group_labels,
                        struct qtr_index_value **out, size_t *nout, struct qtr_error *err);

#endif
