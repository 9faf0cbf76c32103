/*
 * single_internal.h - shared checks and sums for the single-group kernels (not installed).
 */
#ifndef QTR_SINGLE_INTERNAL_H
#define QTR_SINGLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

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
/* The same with the sort's scratch (see qtr_sg_argsort_buf; NULL: allocated per call). */
double qtr_sg_gini_raw_buf(size_t n, const double *x, const double *t, size_t *order,
                           double *shares, uint64_t *a, uint64_t *b, size_t *cnt);

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
/* The same with the caller's scratch: a and b of 2n each, cnt of qtr_sg_argsort_cnt_size(). */
size_t qtr_sg_argsort_cnt_size(void);
void qtr_sg_argsort_buf(const double *key, size_t *idx, size_t n, uint64_t *a, uint64_t *b,
                        size_t *cnt);

/* ---- the kernels behind the checks, for data already checked (single_batch.c evaluates
 * them on the simulated cities of the inference; the public functions are check + kernel,
 * so both give the same bits) ---- */

/* The sums of qtr_sg_check (same order, same bits) without the checks of each district;
 * QTR_ERR_DOMAIN when the city has no contrast (T = 0, fewer than two districts with
 * residents, X = 0 or X = T). For counts valid by construction. */
int qtr_sg_sums_nocheck(const struct qtr_units *u, struct qtr_sg_sums *s);
/* Gini from the districts sorted by share (all n, ties by index) and the city totals. */
double qtr_sg_gini_ordered(size_t n, const double *x, const double *t, const size_t *order,
                           double T, double P);
double qtr_sg_dissim_core(const struct qtr_units *u, const struct qtr_sg_sums *s);
double qtr_sg_entropy_core(const struct qtr_units *u, const struct qtr_sg_sums *s);
/* logtab: ln k for whole k < nlog (NULL: always log()); the same bits either way. */
double qtr_sg_atkinson_core(const struct qtr_units *u, const struct qtr_sg_sums *s, double b,
                            const double *logtab, size_t nlog);
double qtr_sg_min_max_core(const struct qtr_units *u, const struct qtr_sg_sums *s);
/* order: the np districts with residents sorted by share x/t (ties by index); shares[i] =
 * x_i/t_i for them; suffix: scratch of np + 1. */
double qtr_sg_conprof_core(const struct qtr_units *u, const struct qtr_sg_sums *s, unsigned m,
                           const size_t *order, size_t np, const double *shares, double *suffix);
double qtr_sg_isolation_core(const struct qtr_units *u, const struct qtr_sg_sums *s);
double qtr_sg_exposure_core(const struct qtr_units *u, const struct qtr_sg_sums *s);
double qtr_sg_delta_core(const struct qtr_units *u, const struct qtr_sg_sums *s, double A);
/* ACO (relative = 0) or RCO (relative = 1) with the districts sorted by ascending area;
 * QTR_ERR_DOMAIN (err may be NULL) when the smallest and largest have the same area per
 * resident. */
int qtr_sg_concentration_core(const struct qtr_units *u, const struct qtr_sg_sums *s,
                              const size_t *asc, int relative, double *out,
                              struct qtr_error *err);
/* Districts sorted by distance of the centroid to the centre (ties by index). */
int qtr_sg_by_distance(const struct qtr_units *u, size_t **order, struct qtr_error *err);
/* ACE (absolute = 1, A the total area) or RCE along the distance order. */
double qtr_sg_centralization_core(const struct qtr_units *u, const struct qtr_sg_sums *s,
                                  const size_t *order, int absolute, double A);

/* ---- single_batch.c: the battery on many simulated cities of one geography ---- */
struct qtr_sg_batch;
struct qtr_sg_scratch;
/* Prepare fns[0..nfn) (NULL entries allowed; fns must outlive the batch) on the geometry of
 * u. NULL when none of them is a single-group index prepared here, or out of memory: then
 * call the functions one by one. */
struct qtr_sg_batch *qtr_sg_batch_new(const struct qtr_units *u, const qtr_index_fn *fns,
                                      size_t nfn);
void qtr_sg_batch_free(struct qtr_sg_batch *bt);
/* Per-thread scratch for qtr_sg_batch_eval (NULL when out of memory). */
struct qtr_sg_scratch *qtr_sg_scratch_new(const struct qtr_sg_batch *bt);
void qtr_sg_scratch_free(struct qtr_sg_scratch *sc);
/* vals[j] = fns[j] on su (same geometry as the batch, whole counts, group <= total), NAN
 * where it is not defined or fns[j] is NULL. */
void qtr_sg_batch_eval(const struct qtr_sg_batch *bt, const struct qtr_units *su,
                       struct qtr_sg_scratch *sc, double *vals);

#endif
