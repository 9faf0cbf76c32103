/*
 * multigroup_internal.h - the table of multigroup index definitions (multigroup.c), shared by
 * the battery (multi_battery.c) and the kernel versions (surface.c). Not installed.
 */
#ifndef QUARTIER_MULTIGROUP_INTERNAL_H
#define QUARTIER_MULTIGROUP_INTERNAL_H

#include "quartier/indices.h"

struct mg_marg; /* the city's marginals, validated (multigroup.c) */

struct qtr_mg_def {
    const char *name;  /* as reported (src/io/index_names.c) */
    const char *what;  /* as the messages name it */
    size_t min_groups; /* groups that must live in the city for the index to be defined */
    /* checks before the marginals (NULL: none) */
    int (*check)(const struct qtr_units *u, struct qtr_error *err);
    /* the index on the marginals, with `option` */
    int (*body)(const struct qtr_units *u, const struct mg_marg *m, int option, double *out,
                struct qtr_error *err);
    int option;
    qtr_index_fn fn; /* the public kernel of multigroup.h that evaluates this row */
    int infer; /* permutation test and interval; 0: the city's composition only, or too slow */
};

/* The rows of qtr_mg_defs, in the order qtr_indices_multi reports them. */
enum qtr_mg_row {
    QTR_MG_DISSIMILARITY,
    QTR_MG_GINI,
    QTR_MG_ENTROPY,
    QTR_MG_NORMALIZED_EXPOSURE,
    QTR_MG_RELATIVE_DIVERSITY,
    QTR_MG_SQUARED_CV,
    QTR_MG_DIVERGENCE,
    QTR_MG_MUTUAL_INFORMATION,
    QTR_MG_DIVERSITY,
    QTR_MG_DIVERSITY_NORMALIZED,
    QTR_MG_SIMPSONS_INTERACTION,
    QTR_MG_SIMPSONS_CONCENTRATION,
    QTR_MG_GLOBAL_DISTORTION,
    QTR_MG_NDEFS
};

/** Every global multigroup index (a table of another length does not compile). */
extern const struct qtr_mg_def qtr_mg_defs[QTR_MG_NDEFS];

/** One definition on u: check, marginals, body (what the public kernels do). */
int qtr_mg_eval(const struct qtr_mg_def *d, const struct qtr_units *u, double *out,
                struct qtr_error *err);

#endif
