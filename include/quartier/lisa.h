/*
 * lisa.h - spatial autocorrelation and local inference: global Moran's I,
 * local Moran's I (LISA), Getis-Ord Gi*, a local test of the location
 * quotient, and multiple-testing corrections (Benjamini-Hochberg, Bonferroni).
 * Pure kernels: CSR weights and arrays in, caller-allocated arrays out.
 *
 * Randomness: every district i draws from its own stream derived from
 * (seed, i), so results are identical for any number of OpenMP threads.
 * Pseudo p-values follow esda's default ("directed", i.e. folded) rule,
 * p = (min(#{sims >= observed}, #{sims <= observed}) + 1) / (permutations + 1),
 * which equals esda's L = #{sims >= obs}, L = min(L, permutations - L) when
 * no simulated value ties the observed one. With ties (z_i = 0, a perfect
 * checkerboard) esda reports the smallest p; here ties count on both sides.
 * The smallest attainable p is 1/(permutations+1): use 999 for reports.
 *
 * Districts without neighbours (islands) are never given a NaN: their local
 * statistic is 0, p = 1, they are "not significant", and `excluded[i]` says
 * why; they are left out of the multiple-testing count.
 */
#ifndef QUARTIER_LISA_H
#define QUARTIER_LISA_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/csr.h"
#include "quartier/error.h"
#include "quartier/indices.h"

enum qtr_multiple_testing {
    QTR_MT_NONE = 0,      /* compare each p with alpha */
    QTR_MT_FDR_BH = 1,    /* Benjamini & Hochberg (1995) false discovery rate */
    QTR_MT_BONFERRONI = 2 /* family-wise error rate, p·m */
};

struct qtr_lisa_options {
    unsigned permutations; /* conditional permutations (>= 1; 999 typical) */
    uint64_t seed;         /* RNG seed */
    int threads;           /* 0 = OpenMP default */
    double alpha;          /* significance level (0 = 0.05) */
    enum qtr_multiple_testing correction;
};

/* Why a district has no local result. */
enum qtr_local_exclusion {
    QTR_LOCAL_INCLUDED = 0,
    QTR_LOCAL_ISLAND = 1,       /* no neighbours in the weights */
    QTR_LOCAL_NO_RESIDENTS = 2, /* location quotient: t_i = 0 */
    QTR_LOCAL_UNDEFINED = 3     /* Gi*: n S1_i = W_i² (equal weights on every district) */
};

/* esda Moran_Local quadrant codes; cluster = quadrant when significant, else 0. */
enum qtr_lisa_cluster {
    QTR_LISA_NS = 0,
    QTR_LISA_HH = 1,
    QTR_LISA_LH = 2,
    QTR_LISA_LL = 3,
    QTR_LISA_HL = 4
};

struct qtr_moran {
    double I;                        /* Moran (1950) I with row-standardised weights */
    double expected;                 /* E[I] = -1/(n-1) */
    double var_norm, z_norm, p_norm; /* normality assumption, two-sided p */
    double var_rand, z_rand, p_rand; /* randomisation assumption (Cliff & Ord 1981) */
    double p_sim;                    /* folded permutation pseudo p (NAN when permutations = 0) */
    double mean_sim, sd_sim, z_sim;
    unsigned permutations;
    size_t islands; /* districts without neighbours (their lag is 0) */
};

/**
 * Global Moran's I of y over w (row-standardised here, as esda's default
 * transformation 'r'; stored diagonal entries are ignored). The inference matches esda.Moran
 * (two-tailed analytic p-values). opt may be NULL (no permutations). QTR_ERR_DOMAIN for n < 4, a
 * constant y, non-finite values or weights that connect nothing.
 */
int qtr_moran_global(const struct qtr_csr *w, const double *y, const struct qtr_lisa_options *opt,
                     struct qtr_moran *out, struct qtr_error *err);

/**
 * Per-district outputs; the caller allocates n entries for each non-NULL
 * pointer (all are optional except where a function says otherwise).
 */
struct qtr_local_out {
    double *stat;      /* local Moran I_i, or Gi* z-score */
    double *lag;       /* Moran: Σ_j w_ij z_j (row-standardised); Gi*: Σ_j w_ij x_j incl. self */
    double *p_sim;     /* folded pseudo p; 1 for excluded districts */
    double *p_adj;     /* p after the chosen correction; 1 for excluded districts */
    uint8_t *quadrant; /* Moran: enum qtr_lisa_cluster 1..4 regardless of significance */
    uint8_t *cluster;  /* Moran: quadrant if significant, else 0 */
    int8_t *spot;      /* Gi*: +1 hot spot, -1 cold spot (significant), else 0 */
    uint8_t *excluded; /* enum qtr_local_exclusion */
};

/**
 * Anselin (1995) local Moran I_i = (n-1) z_i Σ_j w_ij z_j / Σ_k z_k², with
 * z = (y - ȳ)/σ (σ with divisor n) and w row-standardised, as esda.Moran_Local.
 * Conditional permutation: for district i, its neighbours' values are drawn
 * without replacement from the other n-1 districts. Significance: p after
 * opt->correction (over the non-excluded districts) <= opt->alpha.
 */
int qtr_moran_local(const struct qtr_csr *w, const double *y, const struct qtr_lisa_options *opt,
                    struct qtr_local_out *out, struct qtr_error *err);

/**
 * Getis & Ord (1992, 1995) Gi* with the district itself included (w_ii = 1,
 * replacing any stored diagonal) and the weights of w otherwise as given:
 * z_i = (Σ_j w_ij x_j - x̄ W_i) / (s √((n S1_i - W_i²)/(n-1))), W_i = Σ_j w_ij,
 * S1_i = Σ_j w_ij², x̄ and s (divisor n) over all districts. z is unchanged by
 * row-standardisation. The pseudo p permutes the neighbours' values
 * (conditional on x_i) exactly as for the local Moran. spot = sign(z) where
 * significant.
 */
int qtr_getis_ord_local(const struct qtr_csr *w, const double *x,
                        const struct qtr_lisa_options *opt, struct qtr_local_out *out,
                        struct qtr_error *err);

/**
 * Benjamini & Hochberg (1995) step-up procedure over the p-values of the
 * districts with include[i] != 0 (include NULL = all). p_adj[i] receives the
 * BH-adjusted p (min over j ≥ rank of m·p_(j)/j, capped at 1; 1 for
 * excluded districts), reject[i] = 1 where p_adj[i] <= alpha. Either output
 * may be NULL. QTR_ERR_DOMAIN on a p outside [0, 1] or NaN.
 */
int qtr_fdr_bh(const double *p, const uint8_t *include, size_t n, double alpha, double *p_adj,
               uint8_t *reject, struct qtr_error *err);

/** Bonferroni: p_adj = min(1, m·p), reject where p_adj <= alpha; as qtr_fdr_bh. */
int qtr_bonferroni(const double *p, const uint8_t *include, size_t n, double alpha, double *p_adj,
                   uint8_t *reject, struct qtr_error *err);

/**
 * Is district i's group share significantly above the city's, given its size?
 * Exact one-sided test under the hypergeometric null: the t_i residents of
 * district i are a random draw without replacement from the city's T
 * residents, X of them in the group; p_i = P(H ≥ x_i), H ~ Hypergeom(T, X, t_i).
 * (The exact version of the conditional permutation of residents; it needs
 * no simulation and no seed.) Counts are rounded to integers. Districts with
 * t_i = 0 are excluded. lq[i] = (x_i/t_i)/(X/T); p_adj and significant use
 * `correction` at `alpha` (0 = 0.05). Any output may be NULL.
 */
int qtr_lq_significance(const struct qtr_units *u, double alpha,
                        enum qtr_multiple_testing correction, double *lq, double *p_upper,
                        double *p_adj, uint8_t *significant, uint8_t *excluded,
                        struct qtr_error *err);

#endif
