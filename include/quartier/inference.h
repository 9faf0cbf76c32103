/*
 * inference.h - simulation-based inference for any segregation index, and the
 * Shapley decomposition of a change in mutual information M.
 *
 * Pure kernels: no I/O. Simulations run in parallel with OpenMP; every draw d
 * has its own random stream derived from (seed, d), so results depend on the
 * seed only, never on the number of threads.
 *
 * Simulated populations are whole people: counts must be whole numbers
 * (within 1e-6) and not negative, otherwise QTR_ERR_DATA.
 *
 * "Mode" of a simulation (struct qtr_infer_options.multigroup):
 *   0: single group; u->group counts inside u->total, the other category is
 *      total - group. The index reads u->group and u->total.
 *   1: multigroup; u->groups (total = their sum). The index reads u->groups
 *      (u->total of the simulated data is set to the sum too).
 */
#ifndef QUARTIER_INFERENCE_H
#define QUARTIER_INFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"
#include "quartier/indices.h"

/** Any index: the single-group kernels of indices.h and the multigroup.h ones. */
typedef int (*qtr_index_fn)(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Null models ("no segregation") for qtr_infer_null. */
enum qtr_null_model {
    /* individuals shuffled across districts: district totals and group totals
     * both fixed (multivariate hypergeometric per district, drawn sequentially;
     * PySAL simulate_person_permutation) */
    QTR_NULL_PERMUTATION = 0,
    /* each district's residents drawn from the city's composition
     * (multinomial), district totals fixed (PySAL 'evenness') */
    QTR_NULL_EVENNESS = 1,
    /* each group spread over districts with probability t_i/T, group totals
     * fixed (Allen et al. 2015; PySAL 'systematic') */
    QTR_NULL_SYSTEMATIC = 2,
    /* districts resampled with replacement (PySAL 'bootstrap'); not a null of
     * no segregation but PySAL offers it under that name */
    QTR_NULL_BOOTSTRAP = 3
};

struct qtr_infer_options {
    unsigned draws; /* number of simulated data sets (e.g. 999) */
    uint64_t seed;  /* reproducible: same seed, same results */
    int threads;    /* 0 = OpenMP default */
    int multigroup; /* see "mode" above */
};

struct qtr_infer_result {
    double observed; /* index on the data */
    double expected; /* mean of the simulated values (expected value under the null) */
    double sd;       /* standard deviation of the simulated values */
    double p_value;  /* upper tail (1 + #{sim >= obs}) / (1 + valid) */
    double p_lower;  /* lower tail (1 + #{sim <= obs}) / (1 + valid), for diversity-type indices */
    unsigned valid;  /* draws on which the index was defined (others are left out) */
};

/**
 * Simulate opt->draws data sets under `null`, evaluate `fn` on each and
 * compare with the observed value. sims: caller array of opt->draws or NULL;
 * draws where fn fails are NAN there. Errors: the index's own error on the
 * observed data, QTR_ERR_DATA for counts that are not whole, QTR_ERR_DOMAIN
 * when no draw gives a defined value, QTR_ERR_USAGE for draws = 0.
 */
int qtr_infer_null(const struct qtr_units *u, qtr_index_fn fn, enum qtr_null_model null,
                   const struct qtr_infer_options *opt, struct qtr_infer_result *res, double *sims,
                   struct qtr_error *err);

/**
 * Percentile bootstrap confidence interval: each draw resamples the residents
 * of every district from its own observed composition (multinomial with the
 * district total fixed); [low, high] are the (1-level)/2 and (1+level)/2
 * quantiles of the simulated values (linear interpolation as numpy's
 * default). level in (0, 1), e.g. 0.95. sims as in qtr_infer_null.
 * No bias correction: plug-in M and H are biased upwards when districts are
 * small, so the interval sits slightly above the value; Elbers' R package
 * (se = TRUE) reports 2 M - mean(sims) as the bias-corrected estimate, which a
 * caller can form from sims.
 */
int qtr_infer_bootstrap_ci(const struct qtr_units *u, qtr_index_fn fn,
                           const struct qtr_infer_options *opt, double level, double *low,
                           double *high, double *sims, struct qtr_error *err);

/**
 * qtr_infer_null for several indices on the same simulated data sets: draw d is one data set
 * (stream d of opt->seed, as in qtr_infer_null), simulated once and given to every fns[j], so
 * res[j] equals what qtr_infer_null(u, fns[j], ...) gives with the same options, bit for bit.
 * status[j]: QTR_OK (res[j] set) or that index's error (message in errs[j]): its own error on
 * the observed data, QTR_ERR_DOMAIN when no draw gives a defined value. res, status, errs:
 * caller arrays of nfn. Returns QTR_OK, or an error that concerns all (QTR_ERR_NOMEM,
 * QTR_ERR_DATA for counts that are not whole, QTR_ERR_USAGE for draws = 0).
 */
int qtr_infer_null_many(const struct qtr_units *u, const qtr_index_fn *fns, size_t nfn,
                        enum qtr_null_model null, const struct qtr_infer_options *opt,
                        struct qtr_infer_result *res, int *status, struct qtr_error *errs,
                        struct qtr_error *err);

/**
 * qtr_infer_bootstrap_ci for several indices on the same bootstrap samples (each equal, bit for
 * bit, to qtr_infer_bootstrap_ci with the same options). low, high, status, errs: arrays of nfn;
 * status[j] QTR_OK or QTR_ERR_DOMAIN (no sample gave a defined value). Returns as above.
 */
int qtr_infer_bootstrap_ci_many(const struct qtr_units *u, const qtr_index_fn *fns, size_t nfn,
                                const struct qtr_infer_options *opt, double level, double *low,
                                double *high, int *status, struct qtr_error *errs,
                                struct qtr_error *err);

/** How qtr_infer_compare simulates "no difference" (PySAL TwoValueTest). */
enum qtr_compare_method {
    /* the districts of both data sets are pooled and randomly relabelled,
     * keeping the two sizes */
    QTR_COMPARE_RANDOM_LABEL = 0,
    /* single group only: each district keeps its total and gets, with
     * probability 1/2, the group share at its own percentile in the other
     * data set (PySAL sim_composition, counterfactual_composition) */
    QTR_COMPARE_COMPOSITION = 1
};

struct qtr_compare_result {
    double value_a, value_b;
    double difference; /* value_a - value_b */
    double expected;   /* mean simulated difference */
    double p_value;    /* two-sided: min(1, 2 (1 + min(#{sim >= d}, #{sim <= d})) / (1 + valid)) */
    unsigned valid;
};

/**
 * Test whether an index differs between two data sets a and b (two dates or
 * two cities). Both must be of the same mode (opt->multigroup) and, for
 * multigroup, have the same number of groups. sims: opt->draws or NULL.
 */
int qtr_infer_compare(const struct qtr_units *a, const struct qtr_units *b, qtr_index_fn fn,
                      enum qtr_compare_method method, const struct qtr_infer_options *opt,
                      struct qtr_compare_result *res, double *sims, struct qtr_error *err);

/**
 * Shapley decomposition of the change in M between two data sets with the same districts
 * (matched by position; a district without residents at one date is absent there) and
 * groups, as R `segregation::mutual_difference(method = "shapley")` computes it (Elbers
 * 2023, online 2021, "A method for studying differences in segregation across time and
 * space", Sociological Methods & Research 52(1)):
 *
 *   m2 - m1 = additions + removals + unit_marginal + group_marginal + structural
 *
 * The common support is what the package takes: the groups with residents at both dates,
 * the districts with residents of those groups at both dates, then the groups again.
 * additions = M2 - M2 on the common support (districts and groups only at the second date),
 * removals = M1 on the common support - M1. Tables with the structure (the odds ratios) of
 * one data set and the marginals of another are made by iterative proportional fitting
 * from the common tables with their empty cells set to 1e-10 residents (a thousandth of the
 * smallest count when that is smaller), to a precision of 1e-15.
 * QTR_SHAPLEY_ELBERS splits as the package does: structure against both marginals together
 * (1/2 for each order), then the marginal part into group and district sizes (1/4 for each
 * of four differences). QTR_SHAPLEY_THREE_PLAYER is the plain Shapley value of the three
 * factors (weights 1/3, 1/6, 1/6, 1/3 over the orders). Natural log. Errors: QTR_ERR_DOMAIN
 * (no common support, fitting does not converge), QTR_ERR_DATA (shapes differ).
 */
enum qtr_shapley_split { QTR_SHAPLEY_ELBERS = 0, QTR_SHAPLEY_THREE_PLAYER };

struct qtr_m_shapley {
    double m1, m2, difference;
    double additions, removals;
    double unit_marginal, group_marginal, structural;
};

int qtr_mutual_information_shapley(const struct qtr_units *a, const struct qtr_units *b,
                                   enum qtr_shapley_split split, struct qtr_m_shapley *res,
                                   struct qtr_error *err);

#endif
