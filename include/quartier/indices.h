/*
 * indices.h - the segregation index battery: pure kernels on arrays.
 *
 * No I/O and no GDAL/GEOS/PROJ here: counts, areas and coordinates come in as
 * arrays (areas in m², coordinates in metres of the work CRS), results go out
 * as numbers with a status and a reason. An index that is not defined for the
 * input (group absent from the city, one district, ...) gives status
 * QTR_ERR_DOMAIN and a reason, never a NaN.
 *
 * Names are the snake_case names used in every output (JSON, CSV, GeoPackage).
 */
#ifndef QUARTIER_INDICES_H
#define QUARTIER_INDICES_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/csr.h"
#include "quartier/error.h"

/** Districts as arrays. Units with total 0 are allowed (they carry no weight). */
struct qtr_units {
    size_t n;
    const double *total;          /* n: residents */
    const double *group;          /* n: residents of the focus group (single-group indices) */
    size_t ngroups;               /* multigroup: number of groups (0 = none) */
    const double *const *groups;  /* multigroup: ngroups arrays of n counts */
    const double *area;           /* n: area in m², or NULL (concentration indices need it) */
    const double *cx, *cy;        /* n: centroids in metres, or NULL (centralization) */
    int has_center;               /* 1: use center_x/center_y; 0: mean of the centroids */
    double center_x, center_y;
    double central_radius;        /* m around the centre for proportion_central; 0 = not set */
    /* The districts for the indices that place residents on the land (QTR_INDEX_NEEDS_AREA
     * or _CENTROIDS: delta, concentration, centralization), when they differ from these:
     * districts without residents count there with their area, as in PySAL, and slivers
     * without area are left out. NULL = these same units. Not owned. */
    const struct qtr_units *spatial;
};

/**
 * Every single-group index has this shape, so inference code can take any of them as a
 * function pointer. Returns QTR_OK and *out, or QTR_ERR_DOMAIN with a planner-readable
 * reason in err (*out is then left unchanged; QTR_ERR_NOMEM likewise). Never a NaN in *out.
 */
typedef int (*qtr_index_fn)(const struct qtr_units *u, double *out, struct qtr_error *err);

/* Defaults of the simulation-based indices when called through qtr_index_fn. */
#define QTR_SIM_DEFAULT_ITERATIONS 500u /* PySAL's default for iterations and B */
#define QTR_SIM_DEFAULT_SEED 20240601u
/* The reason of an index defined by simulation when the options ask for no draws. */
#define QTR_NO_DRAWS_REASON "defined by simulation; permutations = 0 asks for none (e.g. 500)"

/* PySAL DensityCorrectedDissim: Nelder-Mead xatol */
#define QTR_DCD_DEFAULT_XTOL 1e-5
/* PySAL ConProf: number of thresholds */
#define QTR_CONPROF_DEFAULT_M 1000u

/** Options for the battery. Zero-initialise and set what you need. */
struct qtr_index_options {
    unsigned permutations;        /* inference draws (0 = none) */
    uint64_t seed;                /* RNG seed for every simulation */
    int threads;                  /* 0 = OpenMP default */
    int null_model;               /* enum qtr_null_model (inference.h); 0 = permutation */
    /* which indices to compute (quartier indices --only/--skip); NULL = every one. The others
     * are listed with status QTR_ERR_DOMAIN and the reason "left out". */
    int (*want)(const char *name, const void *user);
    const void *want_user;
};

struct qtr_index_value {
    char name[48];                /* e.g. "dissimilarity" */
    char group[64];               /* group label, or "" for multigroup */
    double value;                 /* defined when status == QTR_OK */
    int status;                   /* QTR_OK or QTR_ERR_DOMAIN */
    char reason[200];             /* why status != QTR_OK, for the report */
    /* inference (NAN when not computed) */
    double ci_low, ci_high, p_value, expected;
    /* with suppressed counts (`*`): the value with each at the low and at the high end of
     * its allowed range (NAN when no count of the input was suppressed) */
    double suppressed_low, suppressed_high;
};

/* ---- single group against the rest ---------------------------------------- */

/**
 * Duncan & Duncan (1955) dissimilarity D = 1/2 Σ |x_i/X - (t_i-x_i)/(T-X)|.
 * Returns QTR_OK and *out, or QTR_ERR_DOMAIN with a reason in err.
 */
int qtr_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Gini coefficient of the group share (James & Taeuber 1985), O(n log n). */
int qtr_gini(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Theil's information theory index H (Theil & Finizza 1971; Massey & Denton 1988 eq. 4). */
int qtr_entropy(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Isolation xPx = Σ (x_i/X)(x_i/t_i) (Bell 1954). */
int qtr_isolation(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Exposure (interaction) xPy = Σ (x_i/X)((t_i-x_i)/t_i). */
int qtr_exposure(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Atkinson (1970) index with shape b in (0,1), Massey & Denton (1988) eq. (5). */
int qtr_atkinson(const struct qtr_units *u, double b, double *out, struct qtr_error *err);
int qtr_atkinson_b01(const struct qtr_units *u, double *out, struct qtr_error *err);
int qtr_atkinson_b05(const struct qtr_units *u, double *out, struct qtr_error *err);
int qtr_atkinson_b09(const struct qtr_units *u, double *out, struct qtr_error *err);

/** O'Sullivan & Wong (2007) min-max index MM = 1 - Σ min(x_i/X, y_i/Y) / Σ max(...). */
int qtr_min_max(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Hong & Sadahiro (2014) concentration profile index R over `m` thresholds, computed as
 * PySAL ConProf (grid linspace(0,1,m), sums divided by m). O(n log n + m).
 */
int qtr_concentration_profile_m(const struct qtr_units *u, unsigned m, double *out,
                                struct qtr_error *err);
/** qtr_concentration_profile_m with m = QTR_CONPROF_DEFAULT_M (1000, as PySAL). */
int qtr_concentration_profile(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Carrington & Troske (1997) modified dissimilarity: D* = (D - E[D]) / (1 - E[D]) when
 * D >= E[D], else (D - E[D]) / E[D]; E[D] is the mean D over `iterations` simulated cities
 * where x_i ~ Binomial(t_i, X/T) (random allocation, counts rounded to integers). Draw k
 * uses RNG stream k of `seed`, so the result does not depend on the thread count.
 * `expected` (may be NULL) receives E[D].
 */
int qtr_modified_dissimilarity_sim(const struct qtr_units *u, unsigned iterations, uint64_t seed,
                                   double *out, double *expected, struct qtr_error *err);
int qtr_modified_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err);
/** As qtr_modified_dissimilarity_sim with the Gini index in place of D. */
int qtr_modified_gini_sim(const struct qtr_units *u, unsigned iterations, uint64_t seed,
                          double *out, double *expected, struct qtr_error *err);
int qtr_modified_gini(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Allen, Burgess, Davidson & Windmeijer (2015) bias-corrected dissimilarity
 * D_bc = 2 D - mean_b D_b, where D_b is D of a bootstrap city drawing the group's X
 * members multinomially over districts with p_i = x_i/X and the rest's Y with
 * p_i = y_i/Y (B draws, counts rounded to integers). `expected` (may be NULL): mean D_b.
 */
int qtr_bias_corrected_dissimilarity_sim(const struct qtr_units *u, unsigned B, uint64_t seed,
                                         double *out, double *expected, struct qtr_error *err);
int qtr_bias_corrected_dissimilarity(const struct qtr_units *u, double *out,
                                     struct qtr_error *err);

/**
 * Allen et al. (2015) density-corrected dissimilarity D_dc = 1/2 Σ σ_j n(θ_j) with
 * σ_j² = p1(1-p1)/Y + p0(1-p0)/X (p0 = x_j/X, p1 = y_j/Y), θ_j = |p1 - p0|/σ_j and n(θ)
 * the maximiser of the folded-normal density φ(v-θ) + φ(v+θ), computed exactly (0 for
 * θ <= 1, else the root of v = θ tanh(θ v)). Districts with no residents (σ_j = 0) are
 * skipped. This is the published definition; see the _pysal variant for PySAL's numbers.
 */
int qtr_density_corrected_dissimilarity(const struct qtr_units *u, double *out,
                                        struct qtr_error *err);

/**
 * D_dc exactly as PySAL 2.5.4 computes it: n(θ) from SciPy's Nelder-Mead started at 0 with
 * xatol = `xtol` (PySAL: QTR_DCD_DEFAULT_XTOL), fatol 1e-4, returning the second vertex of
 * the final simplex. Departure from the definition: for θ above about 38.6 the density
 * underflows to 0 over the whole search, the simplex shrinks around 0, and the district
 * contributes about 0 instead of σ_j θ_j; this hits districts whose group shares differ by
 * more than ~38 standard errors, i.e. most districts of a few thousand residents.
 */
int qtr_density_corrected_dissimilarity_pysal(const struct qtr_units *u, double xtol, double *out,
                                              struct qtr_error *err);

/** Correlation ratio V = (xPx - P)/(1 - P) (Bell 1954; Massey & Denton 1988 eq. 9). */
int qtr_correlation_ratio(const struct qtr_units *u, double *out, struct qtr_error *err);

/* ---- concentration: need u->area (m²) ----------------------------------------- */

/** Hoover's delta DEL = 1/2 Σ |x_i/X - a_i/A| (Massey & Denton 1988 eq. 10). */
int qtr_delta(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Absolute concentration ACO (Massey & Denton 1988 eq. 11), n1/n2 as PySAL (issue #43).
 * QTR_ERR_DOMAIN when the smallest and the largest districts holding X residents have the
 * same mean area (e.g. a regular grid), where PySAL returns NaN.
 */
int qtr_absolute_concentration(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Relative concentration RCO (Massey & Denton 1988 eq. 12); same domain as ACO. */
int qtr_relative_concentration(const struct qtr_units *u, double *out, struct qtr_error *err);

/* ---- centralization: need u->cx/cy (and u->area for the absolute index) ------- */

/**
 * Absolute centralization ACE = Σ X_{i-1} A_i - Σ X_i A_{i-1} over districts ordered by the
 * Euclidean distance of their centroid to the centre (Massey & Denton 1988 eq. 14).
 */
int qtr_absolute_centralization(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Relative centralization RCE = Σ X_{i-1} Y_i - Σ X_i Y_{i-1} (Massey & Denton 1988 eq. 15). */
int qtr_relative_centralization(const struct qtr_units *u, double *out, struct qtr_error *err);

/**
 * Proportion of the group living in the central area, PCC = X_cc / X (Massey & Denton 1988
 * eq. 13, "proportion in central city"). German cities have no separate central city, so
 * the central area is the set of districts whose centroid lies within u->central_radius
 * metres of the centre (mean of the centroids unless u->has_center). QTR_ERR_DOMAIN when
 * the radius is not set.
 */
int qtr_proportion_central(const struct qtr_units *u, double *out, struct qtr_error *err);

/* ---- a table of the single-group indices ------------------------------------- */

enum {
    QTR_INDEX_NEEDS_AREA = 1u << 0,
    QTR_INDEX_NEEDS_CENTROIDS = 1u << 1,
    QTR_INDEX_NEEDS_RADIUS = 1u << 2,
    QTR_INDEX_SIMULATED = 1u << 3, /* uses the RNG: iterations and seed */
    QTR_INDEX_NO_INFERENCE = 1u << 4 /* no p-value or interval (too costly per draw) */
};

/** How an index defined by simulation runs with the battery's draws, seed and threads. */
enum qtr_index_sim {
    QTR_INDEX_SIM_NONE = 0,       /* fn as it is */
    QTR_INDEX_SIM_MODIFIED_D,     /* Carrington & Troske modified D */
    QTR_INDEX_SIM_MODIFIED_GINI,  /* Carrington & Troske modified Gini */
    QTR_INDEX_SIM_BIAS_CORRECTED  /* Allen et al. bias-corrected D */
};

struct qtr_index_def {
    const char *name;   /* output name, e.g. "dissimilarity" */
    qtr_index_fn fn;    /* default parameters (see QTR_SIM_DEFAULT_*) */
    unsigned flags;     /* QTR_INDEX_* */
    const char *source; /* short citation */
    enum qtr_index_sim sim; /* QTR_INDEX_SIM_NONE unless QTR_INDEX_SIMULATED */
};

/** The single-group indices in output order; *n receives the count. Static storage. */
const struct qtr_index_def *qtr_single_index_defs(size_t *n);

/** The units index d is computed on: u->spatial for the indices that need areas or
 * centroids when it is set, else u. */
const struct qtr_units *qtr_index_units(const struct qtr_index_def *d, const struct qtr_units *u);

/* ---- local, per district ---------------------------------------------------- */

/**
 * Group share s_i = x_i/t_i (percent when `percent`) and location quotient
 * LQ_i = (x_i/t_i)/(X/T). Districts with t_i = 0 get `defined[i] = 0`.
 * share, lq, defined: caller-allocated arrays of n.
 */
int qtr_local_share_lq(const struct qtr_units *u, int percent, double *share, double *lq,
                       uint8_t *defined, struct qtr_error *err);

/**
 * Local relative centralization (Folch & Rey 2016, Papers in Regional Science 95(3), eq. 5;
 * PySAL LocalRelativeCentralization): for district i, RCE over i and its neighbours in
 * `nb` (PySAL: the 5 nearest centroids), centred on i's centroid. Neighbours at equal
 * distance keep the CSR order, i goes after its neighbours at distance 0. Entries whose
 * local context has no group member or nobody else get defined[i] = 0 and out[i] = 0.
 * Needs u->cx/cy. out, defined: caller-allocated arrays of n.
 */
int qtr_local_relative_centralization(const struct qtr_units *u, const struct qtr_csr *nb,
                                      double *out, uint8_t *defined, struct qtr_error *err);

/* ---- the battery ------------------------------------------------------------- */

/**
 * Compute every single-group index the input supports for the group in
 * u->group (labelled `group_label`), appending to *out (realloc'ed; caller
 * frees). Indices not defined for this input are appended with a status and a
 * reason (u->area NULL: concentration indices get "needs district areas"; u->cx NULL:
 * centralization indices get "needs district centroids"). The simulated indices
 * (modified_dissimilarity, modified_gini, bias_corrected_dissimilarity) use
 * opt->permutations draws and opt->seed (opt NULL: QTR_SIM_DEFAULT_ITERATIONS, PySAL's
 * default), and report the simulated mean in `expected`; with opt->permutations = 0 nothing
 * is simulated and they get status QTR_ERR_DOMAIN with QTR_NO_DRAWS_REASON; opt->threads sets their OpenMP team (results do not depend
 * on it). opt may be NULL (defaults). Returns QTR_OK unless out of
 * memory.
 */
int qtr_indices_single(const struct qtr_units *u, const char *group_label,
                       const struct qtr_index_options *opt, struct qtr_index_value **out,
                       size_t *nout, struct qtr_error *err);

/**
 * Add inference to single-group values computed by qtr_indices_single for the
 * same units: permutation p-value and expected value under random allocation
 * of residents (district and group totals kept) and a bootstrap 95% interval,
 * with opt->permutations draws (0 = nothing to do). Indices that simulate by
 * definition (modified, bias-corrected) and density-corrected D are left as
 * they are. Only QTR_ERR_NOMEM is an error; an index for which simulation is
 * not possible (e.g. fractional counts) keeps NAN.
 */
int qtr_indices_single_infer(const struct qtr_units *u, const struct qtr_index_options *opt,
                             struct qtr_index_value *vals, size_t nvals, struct qtr_error *err);

/**
 * Compute every multigroup index over u->groups (their sum per district is
 * the total, as in PySAL), appending to *out as above.
 */
int qtr_indices_multi(const struct qtr_units *u, const struct qtr_index_options *opt,
                      struct qtr_index_value **out, size_t *nout, struct qtr_error *err);

#endif
