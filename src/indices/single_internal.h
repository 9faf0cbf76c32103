/*
 * single_internal.h - shared checks and sums for the single-group kernels (not installed).
 */
#ifndef QTR_SINGLE_INTERNAL_H
#define QTR_SINGLE_INTERNAL_H

#include <stddef.h>

#include "quartier/indices.h"
#include "quartier/ksum.h"

/* City totals of the focus group and of everybody. */
struct qtr_sg_sums {
    double X;      /* group */
    double T;      /* total */
    double P;      /* X / T */
    size_t npop;   /* districts with t_i > 0 */
};

/*
 * Check u->n, u->total and u->group (finite, non-negative, group <= total) and compute the
 * city totals. QTR_ERR_DOMAIN with a reason naming the district (0-based index) when the
 * data cannot give a defined single-group index: no districts, fewer than two districts
 * with residents, group absent (X = 0) or the whole population (X = T).
 */
int qtr_sg_check(const struct qtr_units *u, struct qtr_sg_sums *s, struct qtr_error *err);

/* Areas present, finite and > 0 for every district (zero-population ones too). */
int qtr_sg_check_area(const struct qtr_units *u, double *A, struct qtr_error *err);

/* Centroids present and finite; cx0 and cy0 receive the centre. */
int qtr_sg_check_centroids(const struct qtr_units *u, double *cx0, double *cy0,
                           struct qtr_error *err);

/* D and Gini on raw arrays (no checks; t_i = 0 carries no weight), for the simulations. */
double qtr_sg_dissim_raw(size_t n, const double *x, const double *t);
/* order: scratch of n size_t; shares: scratch of n doubles. */
double qtr_sg_gini_raw(size_t n, const double *x, const double *t, size_t *order,
                       double *shares);

/* The simulated indices with an explicit OpenMP team size (threads <= 0: default);
 * gini = 0 for modified D, 1 for modified Gini. */
int qtr_sg_modified_threads(const struct qtr_units *u, int gini, unsigned iterations,
                            uint64_t seed, int threads, double *out, double *expected,
                            struct qtr_error *err);
int qtr_sg_bias_corrected_threads(const struct qtr_units *u, unsigned B, uint64_t seed,
                                  int threads, double *out, double *expected,
                                  struct qtr_error *err);

/* Sort idx[0..n) by key[idx] ascending (ties by index, so the result is deterministic). */
void qtr_sg_argsort(const double *key, size_t *idx, size_t n);

#endif
