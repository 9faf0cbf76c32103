/*
 * single.c - the table of single-group indices and the battery qtr_indices_single.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/indices.h"
#include "single_internal.h"

static const struct qtr_index_def defs[] = {
    {"dissimilarity", qtr_dissimilarity, 0, "Duncan & Duncan 1955", QTR_INDEX_SIM_NONE},
    {"gini", qtr_gini, 0, "James & Taeuber 1985", QTR_INDEX_SIM_NONE},
    {"entropy", qtr_entropy, 0, "Theil & Finizza 1971", QTR_INDEX_SIM_NONE},
    {"atkinson_b01", qtr_atkinson_b01, 0, "Atkinson 1970, b = 0.1", QTR_INDEX_SIM_NONE},
    {"atkinson_b05", qtr_atkinson_b05, 0, "Atkinson 1970, b = 0.5", QTR_INDEX_SIM_NONE},
    {"atkinson_b09", qtr_atkinson_b09, 0, "Atkinson 1970, b = 0.9", QTR_INDEX_SIM_NONE},
    {"min_max", qtr_min_max, 0, "O'Sullivan & Wong 2007", QTR_INDEX_SIM_NONE},
    {"concentration_profile", qtr_concentration_profile, 0, "Hong & Sadahiro 2014, m = 1000",
     QTR_INDEX_SIM_NONE},
    {"modified_dissimilarity", qtr_modified_dissimilarity, QTR_INDEX_SIMULATED,
     "Carrington & Troske 1997", QTR_INDEX_SIM_MODIFIED_D},
    {"modified_gini", qtr_modified_gini, QTR_INDEX_SIMULATED, "Carrington & Troske 1997",
     QTR_INDEX_SIM_MODIFIED_GINI},
    {"bias_corrected_dissimilarity", qtr_bias_corrected_dissimilarity, QTR_INDEX_SIMULATED,
     "Allen et al. 2015", QTR_INDEX_SIM_BIAS_CORRECTED},
    {"density_corrected_dissimilarity", qtr_density_corrected_dissimilarity, QTR_INDEX_NO_INFERENCE,
     "Allen et al. 2015", QTR_INDEX_SIM_NONE},
    {"isolation", qtr_isolation, 0, "Bell 1954", QTR_INDEX_SIM_NONE},
    {"exposure", qtr_exposure, 0, "Bell 1954; Massey & Denton 1988", QTR_INDEX_SIM_NONE},
    {"correlation_ratio", qtr_correlation_ratio, 0, "Bell 1954; White 1986", QTR_INDEX_SIM_NONE},
    {"delta", qtr_delta, QTR_INDEX_NEEDS_AREA, "Hoover 1941", QTR_INDEX_SIM_NONE},
    {"absolute_concentration", qtr_absolute_concentration, QTR_INDEX_NEEDS_AREA,
     "Massey & Denton 1988", QTR_INDEX_SIM_NONE},
    {"relative_concentration", qtr_relative_concentration, QTR_INDEX_NEEDS_AREA,
     "Massey & Denton 1988", QTR_INDEX_SIM_NONE},
    {"absolute_centralization", qtr_absolute_centralization,
     QTR_INDEX_NEEDS_AREA | QTR_INDEX_NEEDS_CENTROIDS, "Massey & Denton 1988", QTR_INDEX_SIM_NONE},
    {"relative_centralization", qtr_relative_centralization, QTR_INDEX_NEEDS_CENTROIDS,
     "Massey & Denton 1988", QTR_INDEX_SIM_NONE},
    {"proportion_central", qtr_proportion_central,
     QTR_INDEX_NEEDS_CENTROIDS | QTR_INDEX_NEEDS_RADIUS, "Massey & Denton 1988",
     QTR_INDEX_SIM_NONE},
};

const struct qtr_index_def *qtr_single_index_defs(size_t *n)
{
    if (n)
        *n = sizeof defs / sizeof defs[0];
    return defs;
}

const struct qtr_units *qtr_index_units(const struct qtr_index_def *d, const struct qtr_units *u)
{
    if (u && u->spatial && (d->flags & (QTR_INDEX_NEEDS_AREA | QTR_INDEX_NEEDS_CENTROIDS)))
        return u->spatial;
    return u;
}

static int run_one(const struct qtr_index_def *d, const struct qtr_units *u, unsigned iters,
                   uint64_t seed, int threads, double *value, double *expected,
                   struct qtr_error *err)
{
    u = qtr_index_units(d, u);
    if ((d->flags & QTR_INDEX_NEEDS_AREA) && !u->area)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "needs district areas");
    if ((d->flags & QTR_INDEX_NEEDS_CENTROIDS) && (!u->cx || !u->cy))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "needs district centroids");
    switch (d->sim) {
    case QTR_INDEX_SIM_MODIFIED_D:
        return qtr_sg_modified_threads(u, 0, iters, seed, threads, value, expected, err);
    case QTR_INDEX_SIM_MODIFIED_GINI:
        return qtr_sg_modified_threads(u, 1, iters, seed, threads, value, expected, err);
    case QTR_INDEX_SIM_BIAS_CORRECTED:
        return qtr_sg_bias_corrected_threads(u, iters, seed, threads, value, expected, err);
    case QTR_INDEX_SIM_NONE:
        break;
    }
    return d->fn(u, value, err);
}

int qtr_indices_single(const struct qtr_units *u, const char *group_label,
                       const struct qtr_index_options *opt, struct qtr_index_value **out,
                       size_t *nout, struct qtr_error *err)
{
    size_t nd = sizeof defs / sizeof defs[0];
    struct qtr_index_value *v = realloc(*out, (*nout + nd) * sizeof *v);
    if (!v)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the index table");
    *out = v;
    /* The draws of the indices defined by simulation: opt->permutations, PySAL's default
     * without options. permutations = 0 asks for no simulation at all, so those indices are
     * listed with that reason instead of quietly simulating anyway. */
    unsigned iters = opt ? opt->permutations : QTR_SIM_DEFAULT_ITERATIONS;
    uint64_t seed = opt ? opt->seed : QTR_SIM_DEFAULT_SEED;
    int threads = opt ? opt->threads : 0;
    for (size_t k = 0; k < nd; k++) {
        struct qtr_index_value *r = &v[*nout + k];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", defs[k].name);
        snprintf(r->group, sizeof r->group, "%s", group_label ? group_label : "");
        r->ci_low = r->ci_high = r->p_value = r->expected = NAN;
        r->suppressed_low = r->suppressed_high = NAN;
        r->value = NAN;
        struct qtr_error e;
        qtr_error_clear(&e);
        double value = NAN, expected = NAN;
        int rc;
        if (opt && opt->want && !opt->want(defs[k].name, opt->want_user))
            rc = qtr_error_set(&e, QTR_ERR_DOMAIN, "left out (not asked for)");
        else if ((defs[k].flags & QTR_INDEX_SIMULATED) && iters == 0)
            rc = qtr_error_set(&e, QTR_ERR_DOMAIN, QTR_NO_DRAWS_REASON);
        else
            rc = run_one(&defs[k], u, iters, seed, threads, &value, &expected, &e);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing %s", defs[k].name);
        if (rc == QTR_OK && isfinite(value)) {
            r->status = QTR_OK;
            r->value = value;
            r->expected = expected;
        } else {
            r->status = QTR_ERR_DOMAIN;
            /* the reason column is shorter than an error message: keep its start */
            const char *msg = rc == QTR_OK ? "the computation gave no finite value" : e.msg;
            size_t len = strnlen(msg, sizeof r->reason - 1);
            memcpy(r->reason, msg, len);
            r->reason[len] = '\0';
        }
    }
    *nout += nd;
    return QTR_OK;
}
