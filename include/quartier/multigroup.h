/*
 * multigroup.h - multigroup segregation indices, mutual information M with its
 * hierarchical decomposition, and local (per district) multigroup measures.
 *
 * Every function is a pure kernel over struct qtr_units (indices.h) that reads
 * u->groups / u->ngroups; the total of a district is the sum of its group
 * counts, as in PySAL `segregation` (u->total is not used). The global ones
 * share the qtr_index_fn signature of inference.h, so they can be passed to the
 * permutation tests and bootstrap intervals.
 *
 * Conventions (documented departures from PySAL v2.5.4 in brackets):
 *  - logarithms are natural (nats), as in PySAL and in Elbers' R package
 *    `segregation` (mutual_total(..., base = exp(1))); divide M by log(2) for bits.
 *  - 0 log 0 = 0. A group with city total 0 is treated as not listed: it adds
 *    nothing and does not count in K [PySAL returns NaN for entropy, squared CV
 *    and normalized diversity in that case].
 *  - districts with total 0 carry no weight [PySAL's gini is NaN then].
 *  - fewer than 2 groups present in the city, a city total of 0, or any count
 *    negative or not finite: QTR_ERR_DOMAIN (or QTR_ERR_DATA) with a reason.
 *
 * Notation: t_i district total, T city total, p_ik = x_ik / t_i, P_k = X_k / T,
 * I = Σ_k P_k (1 - P_k) (Simpson interaction), E = -Σ_k P_k ln P_k (entropy).
 */
#ifndef QUARTIER_MULTIGROUP_H
#define QUARTIER_MULTIGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"
#include "quartier/indices.h"

/** Sakoda (1981) generalized dissimilarity D = Σ_i Σ_k t_i |p_ik - P_k| / (2 T I). */
int qtr_multigroup_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Reardon & Firebaugh (2002) multigroup Gini
 * G = Σ_k Σ_i Σ_j t_i t_j |p_ik - p_jk| / (2 T² I), computed in O(K n log n).
 */
int qtr_multigroup_gini(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Theil's information theory index H = M / E (Theil & Finizza 1971; Reardon & Firebaugh 2002). */
int qtr_multigroup_entropy(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Normalized exposure P = Σ_i Σ_k t_i (p_ik - P_k)² / (T (1 - P_k)) (Reardon & Firebaugh 2002). */
int qtr_multigroup_normalized_exposure(const struct qtr_units *u, double *out,
                                       struct qtr_error *err);

/** Relative diversity R = Σ_i Σ_k t_i (p_ik - P_k)² / (T I) (Reardon 1998; Reardon & Firebaugh
 * 2002). */
int qtr_multigroup_relative_diversity(const struct qtr_units *u, double *out,
                                      struct qtr_error *err);

/** Squared coefficient of variation C = Σ_i Σ_k t_i (p_ik - P_k)² / (T (K-1) P_k) (Reardon &
 * Firebaugh 2002). */
int qtr_multigroup_squared_cv(const struct qtr_units *u, double *out, struct qtr_error *err);

/** City diversity (entropy) E = -Σ_k P_k ln P_k (Theil 1972; Reardon & Firebaugh 2002 p. 37 eq. 2).
 */
int qtr_multigroup_diversity(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Normalized diversity E / ln K (K = groups present). */
int qtr_multigroup_diversity_normalized(const struct qtr_units *u, double *out,
                                        struct qtr_error *err);

/** Simpson (1949) interaction I = Σ_k P_k (1 - P_k) (Reardon & Firebaugh 2002 p. 37 eq. 1). High =
 * diverse. */
int qtr_simpsons_interaction(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Simpson (1949) concentration λ = Σ_k P_k² = 1 - I. */
int qtr_simpsons_concentration(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Roberto (2015) divergence index D = Σ_i (t_i/T) Σ_k p_ik ln(p_ik / P_k).
 * Numerically identical to the mutual information M.
 */
int qtr_multigroup_divergence(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Mutual information index M = Σ_i Σ_k p_ik^joint ln(p_ik^joint / (p_i p_k)) in nats
 * (Theil & Finizza 1971; Mora & Ruiz-Castillo 2011; Elbers 2023, online 2021,
 * Sociological Methods & Research).
 */
int qtr_mutual_information(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * PySAL's GlobalDistortion (Olteanu et al. 2019, PNAS; de Bézenac et al. 2022):
 * for each district i, districts are sorted by Euclidean centroid distance
 * from i (ties by index); the distortion coefficient of i is the sum over
 * the growing neighbourhoods of the Kullback-Leibler divergence of their
 * composition from the city's; the index is the population-weighted mean of
 * the coefficients. Needs u->cx, u->cy (metres). O(n² log n) time, O(n) memory.
 * Neighbourhoods with no population yet are skipped (PySAL: NaN, dropped).
 * Above QTR_GLOBAL_DISTORTION_MAX_N districts it is not computed (QTR_ERR_DOMAIN with that
 * reason): 20,000 districts take about a minute, 100,000 would take hours.
 */
#define QTR_GLOBAL_DISTORTION_MAX_N 20000
int qtr_global_distortion(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Exact within/between decomposition of M over a hierarchy (chain rule of
 * mutual information; Theil 1972; Mora & Ruiz-Castillo 2011, decomposability
 * property; Elbers 2023): M = M_between + Σ_p w_p M_p, where M_between is M computed
 * on the parents as units, w_p = T_p / T and M_p is M computed among the
 * districts of parent p against p's own composition.
 *
 * parent[i] in [0, nparents) names the parent of district i. total, between,
 * within: scalars out. parent_weight, parent_m, parent_contrib (= w_p M_p):
 * caller-allocated arrays of nparents, each may be NULL. A parent without
 * residents gets weight 0 and M_p = 0.
 * Errors: QTR_ERR_DOMAIN (as M), QTR_ERR_DATA for a parent id out of range,
 * QTR_ERR_NOMEM.
 */
int qtr_mutual_information_decompose(const struct qtr_units *u, const uint32_t *parent,
                                     size_t nparents, double *total, double *between,
                                     double *within, double *parent_weight, double *parent_m,
                                     double *parent_contrib, struct qtr_error *err);

/**
 * Local (per district) multigroup measures; each output is a caller-allocated
 * array of n (lq: n * ngroups, row-major, lq[i*ngroups+k]) or NULL:
 *  - diversity:  -Σ_k p_ik ln p_ik (Theil 1972; PySAL MultiLocalDiversity)
 *  - entropy:    diversity / ln K, K = ngroups as listed (Reardon & O'Sullivan
 *                2004 eq. 6; PySAL MultiLocalEntropy)
 *  - simpson_concentration: Σ_k p_ik²; simpson_interaction: Σ_k p_ik (1 - p_ik)
 *  - ls:         Elbers' local segregation score Σ_k p_ik ln(p_ik / P_k), with
 *                Σ_i (t_i / T) ls_i = M (Elbers 2023; R segregation::mutual_local)
 *  - lq:         location quotient p_ik / P_k (0 where P_k = 0)
 * defined[i] (may be NULL) is 0 for a district without residents; its values are 0.
 */
int qtr_multigroup_local(const struct qtr_units *u, double *diversity, double *entropy,
                         double *simpson_concentration, double *simpson_interaction, double *ls,
                         double *lq, uint8_t *defined, struct qtr_error *err);

#endif
