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
};

/** Options for the battery. Zero-initialise and set what you need. */
struct qtr_index_options {
    unsigned permutations;        /* inference draws (0 = none) */
    uint64_t seed;                /* RNG seed for every simulation */
    int threads;                  /* 0 = OpenMP default */
};

struct qtr_index_value {
    char name[48];                /* e.g. "dissimilarity" */
    char group[64];               /* group label, or "" for multigroup */
    double value;                 /* defined when status == QTR_OK */
    int status;                   /* QTR_OK or QTR_ERR_DOMAIN */
    char reason[200];             /* why status != QTR_OK, for the report */
    /* inference (NAN when not computed) */
    double ci_low, ci_high, p_value, expected;
};

/* ---- single group against the rest ---------------------------------------- */

/**
 * Duncan & Duncan (1955) dissimilarity D = 1/2 Σ |x_i/X - (t_i-x_i)/(T-X)|.
 * Returns QTR_OK and *out, or QTR_ERR_DOMAIN with a reason in err.
 */
int qtr_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Gini coefficient of the group share (James & Taeuber 1985), O(n log n). */
int qtr_gini(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Theil's information theory index H (Theil & Finezza 1971). */
int qtr_entropy(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Isolation xPx = Σ (x_i/X)(x_i/t_i) (Bell 1954). */
int qtr_isolation(const struct qtr_units *u, double *out, struct qtr_error *err);

/** Exposure (interaction) xPy = Σ (x_i/X)((t_i-x_i)/t_i). */
int qtr_exposure(const struct qtr_units *u, double *out, struct qtr_error *err);

/* ---- local, per district ---------------------------------------------------- */

/**
 * Group share s_i = x_i/t_i (percent when `percent`) and location quotient
 * LQ_i = (x_i/t_i)/(X/T). Districts with t_i = 0 get `defined[i] = 0`.
 * share, lq, defined: caller-allocated arrays of n.
 */
int qtr_local_share_lq(const struct qtr_units *u, int percent, double *share, double *lq,
                       uint8_t *defined, struct qtr_error *err);

/* ---- the battery ------------------------------------------------------------- */

/**
 * Compute every single-group index the input supports for the group in
 * u->group (labelled `group_label`), appending to *out (realloc'ed; caller
 * frees). Indices not defined for this input are appended with a status and a
 * reason. Returns QTR_OK unless out of memory.
 */
int qtr_indices_single(const struct qtr_units *u, const char *group_label,
                       const struct qtr_index_options *opt, struct qtr_index_value **out,
                       size_t *nout, struct qtr_error *err);

/**
 * Compute every multigroup index over u->groups (their sum per district is
 * the total, as in PySAL), appending to *out as above.
 */
int qtr_indices_multi(const struct qtr_units *u, const struct qtr_index_options *opt,
                      struct qtr_index_value **out, size_t *nout, struct qtr_error *err);

#endif
