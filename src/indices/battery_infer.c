/*
 * Inference for the single-group battery: for every index that is defined on the data, the
 * permutation p-value under "no segregation" (residents allocated at random to districts,
 * district totals and group totals kept), the expected value under that null, and a
 * bootstrap 95% interval (residents resampled within districts). See inference.h for the
 * draws; every draw has its own random stream, so results do not depend on the thread count.
 * Every draw is simulated once and all indices are evaluated on it (qtr_infer_null_many).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/indices.h"
#include "quartier/inference.h"

/*
 * Indices whose own definition simulates (modified and bias-corrected D) carry their
 * simulated expectation already; density-corrected D solves an optimisation per district,
 * too costly to repeat for every draw. Both are left without p-value and interval.
 */
static int wants_inference(const struct qtr_index_def *d)
{
    return d->fn && !(d->flags & (QTR_INDEX_SIMULATED | QTR_INDEX_NO_INFERENCE));
}

/*
 * Which tail speaks for segregation: high values for evenness, isolation and concentration
 * indices; low values for exposure (less contact with the rest); both for centralization,
 * whose sign says towards or away from the centre.
 */
static double p_for(const char *name, const struct qtr_infer_result *r)
{
    if (!strcmp(name, "exposure"))
        return r->p_lower;
    if (strstr(name, "centralization")) {
        double p = 2.0 * (r->p_value < r->p_lower ? r->p_value : r->p_lower);
        return p < 1.0 ? p : 1.0;
    }
    return r->p_value;
}

/* The values of vals that get inference on the units `du` (the battery's own or its spatial
 * units), with their index functions: one batch of draws serves them all. */
static size_t batch(const struct qtr_units *u, const struct qtr_units *du,
                    struct qtr_index_value *vals, size_t nvals, qtr_index_fn *fns,
                    struct qtr_index_value **which)
{
    size_t ndefs, m = 0;
    const struct qtr_index_def *defs = qtr_single_index_defs(&ndefs);
    for (size_t k = 0; k < nvals; k++) {
        if (vals[k].status != QTR_OK)
            continue;
        const struct qtr_index_def *d = NULL;
        for (size_t j = 0; j < ndefs && !d; j++)
            if (!strcmp(defs[j].name, vals[k].name))
                d = &defs[j];
        if (!d || !wants_inference(d) || qtr_index_units(d, u) != du)
            continue;
        fns[m] = d->fn;
        which[m] = &vals[k];
        m++;
    }
    return m;
}

int qtr_indices_single_infer(const struct qtr_units *u, const struct qtr_index_options *opt,
                             struct qtr_index_value *vals, size_t nvals, struct qtr_error *err)
{
    if (!opt || opt->permutations == 0 || nvals == 0)
        return QTR_OK;
    qtr_index_fn *fns = malloc(nvals * sizeof *fns);
    struct qtr_index_value **which = malloc(nvals * sizeof *which);
    struct qtr_infer_result *res = malloc(nvals * sizeof *res);
    int *st = malloc(nvals * sizeof *st);
    struct qtr_error *es = malloc(nvals * sizeof *es);
    double *lo = malloc(nvals * sizeof *lo), *hi = malloc(nvals * sizeof *hi);
    int rc = QTR_OK;
    if (!fns || !which || !res || !st || !es || !lo || !hi) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the inference");
        goto out;
    }
    /* Two batches: the indices on the battery's units and those on its spatial units (when
     * they differ). Within a batch every draw is one simulated city on which each index is
     * evaluated; each batch has its own seed. */
    const struct qtr_units *units[2] = {u, u->spatial && u->spatial != u ? u->spatial : NULL};
    for (size_t s = 0; s < 2 && rc == QTR_OK; s++) {
        if (!units[s])
            continue;
        size_t m = batch(u, units[s], vals, nvals, fns, which);
        if (m == 0)
            continue;
        struct qtr_infer_options io = {.draws = opt->permutations,
                                       .seed = opt->seed + 0x9E3779B97F4A7C15ull * (s + 1),
                                       .threads = opt->threads};
        struct qtr_error e = {0};
        int r = qtr_infer_null_many(units[s], fns, m, (enum qtr_null_model)opt->null_model, &io,
                                    res, st, es, &e);
        if (r == QTR_ERR_NOMEM) {
            rc = qtr_error_set(err, r, "%s", e.msg);
            break;
        }
        for (size_t j = 0; j < m && r == QTR_OK; j++)
            if (st[j] == QTR_OK && res[j].valid > 0) {
                which[j]->p_value = p_for(which[j]->name, &res[j]);
                which[j]->expected = res[j].expected;
            }
        r = qtr_infer_bootstrap_ci_many(units[s], fns, m, &io, 0.95, lo, hi, st, es, &e);
        if (r == QTR_ERR_NOMEM) {
            rc = qtr_error_set(err, r, "%s", e.msg);
            break;
        }
        for (size_t j = 0; j < m && r == QTR_OK; j++)
            if (st[j] == QTR_OK && isfinite(lo[j]) && isfinite(hi[j])) {
                which[j]->ci_low = lo[j];
                which[j]->ci_high = hi[j];
            }
    }
out:
    free(fns);
    free(which);
    free(res);
    free(st);
    free(es);
    free(lo);
    free(hi);
    return rc;
}
