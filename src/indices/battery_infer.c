/*
 * Inference for the single-group battery: for every index that is defined on the data, the
 * permutation p-value under "no segregation" (residents allocated at random to districts,
 * district totals and group totals kept), the expected value under that null, and a
 * bootstrap 95% interval (residents resampled within districts). See inference.h for the
 * draws; every draw has its own random stream, so results do not depend on the thread count.
 */
#include <math.h>
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
    return d->fn && !(d->flags & QTR_INDEX_SIMULATED) &&
           strcmp(d->name, "density_corrected_dissimilarity") != 0;
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

int qtr_indices_single_infer(const struct qtr_units *u, const struct qtr_index_options *opt,
                             struct qtr_index_value *vals, size_t nvals, struct qtr_error *err)
{
    if (!opt || opt->permutations == 0)
        return QTR_OK;
    size_t ndefs;
    const struct qtr_index_def *defs = qtr_single_index_defs(&ndefs);
    struct qtr_infer_options io = {
        .draws = opt->permutations, .seed = opt->seed, .threads = opt->threads};
    for (size_t k = 0; k < nvals; k++) {
        struct qtr_index_value *v = &vals[k];
        if (v->status != QTR_OK)
            continue;
        const struct qtr_index_def *d = NULL;
        for (size_t j = 0; j < ndefs && !d; j++)
            if (!strcmp(defs[j].name, v->name))
                d = &defs[j];
        if (!d || !wants_inference(d))
            continue;
        struct qtr_error e = {0};
        struct qtr_infer_result r;
        /* Each index gets its own seed offset so the draws differ between indices. */
        io.seed = opt->seed + 0x9E3779B97F4A7C15ull * (k + 1);
        const struct qtr_units *du = qtr_index_units(d, u);
        int rc = qtr_infer_null(du, d->fn, (enum qtr_null_model)opt->null_model, &io, &r, NULL,
                                &e);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, rc, "%s", e.msg);
        if (rc == QTR_OK && r.valid > 0) {
            v->p_value = p_for(d->name, &r);
            v->expected = r.expected;
        }
        double lo, hi;
        rc = qtr_infer_bootstrap_ci(du, d->fn, &io, 0.95, &lo, &hi, NULL, &e);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, rc, "%s", e.msg);
        if (rc == QTR_OK && isfinite(lo) && isfinite(hi)) {
            v->ci_low = lo;
            v->ci_high = hi;
        }
    }
    return QTR_OK;
}
