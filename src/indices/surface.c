/*
 * surface.c - kernel ("surface") versions of the multigroup indices (surface.h): the local
 * environments of every district once, through qtr_kernel_lag_cell_order, then each aspatial
 * multigroup index on them. Definitions: PySAL `segregation` 2.5.4, multigroup indices with
 * `distance` (segregation/_base.py, _build_local_environment); Reardon & O'Sullivan (2004),
 * Sociological Methodology 34, the local environment as the kernel-weighted population around a
 * place.
 */
#include "quartier/surface.h"

#include "quartier/decay_field.h"
#include "quartier/ksum.h"
#include "quartier/multigroup.h"

#include "multigroup_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const qtr_surface_index_names[QTR_SURFACE_NINDEX] = {
    "surface_dissimilarity",
    "surface_gini",
    "surface_entropy",
    "surface_normalized_exposure",
    "surface_relative_diversity",
    "surface_squared_cv",
    "surface_mutual_information",
};

/* the multigroup definition (multigroup_internal.h) each surface index applies to the local
 * environments, in enum order */
static const enum qtr_mg_row surface_row[QTR_SURFACE_NINDEX] = {
    QTR_MG_DISSIMILARITY,
    QTR_MG_GINI,
    QTR_MG_ENTROPY,
    QTR_MG_NORMALIZED_EXPOSURE,
    QTR_MG_RELATIVE_DIVERSITY,
    QTR_MG_SQUARED_CV,
    QTR_MG_MUTUAL_INFORMATION,
};

int qtr_surface_environment(const struct qtr_units *u, enum qtr_kernel_fn fn, double bandwidth_m,
                            double *const *env, struct qtr_error *err)
{
    if (!u || !env || (u->n && (!u->cx || !u->cy)) || (u->ngroups && !u->groups))
        return qtr_error_set(err, QTR_ERR_USAGE, "local environments: missing argument");
    return qtr_kernel_lag_cell_order(u->cx, u->cy, u->n, fn, bandwidth_m, u->ngroups, u->groups, 1,
                                     env, err);
}

int qtr_surface_isolation(const struct qtr_units *env, size_t k, double *out, struct qtr_error *err)
{
    if (!env || !env->groups || k >= env->ngroups)
        return qtr_error_set(err, QTR_ERR_USAGE, "surface isolation: no group %zu", k + 1);
    struct qtr_ksum X = {0, 0}, s = {0, 0};
    for (size_t i = 0; i < env->n; i++) {
        double t = 0.0, x = env->groups[k][i];
        for (size_t g = 0; g < env->ngroups; g++)
            t += env->groups[g][i];
        if (!isfinite(t) || x < 0)
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "surface isolation: district %zu has a count that is missing "
                                 "or negative",
                                 i + 1);
        if (!(t > 0.0))
            continue;
        qtr_ksum_add(&X, x);
        qtr_ksum_add(&s, x * (x / t));
    }
    double xs = qtr_ksum_get(&X);
    if (!(xs > 0.0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "surface isolation: group %zu has nobody in any local environment",
                             k + 1);
    *out = qtr_ksum_get(&s) / xs;
    return QTR_OK;
}

double qtr_surface_bytes(size_t n, size_t K, double width_m, double height_m, double h, int threads)
{
    /* neighbours per row: the districts of the bounding box's density within h, at most n */
    double area = width_m * height_m, k = (double)n;
    if (area > 0 && h > 0)
        k = fmin((double)n, (double)n * M_PI * h * h / area + 1.0);
    double rows = (double)(threads > 0 ? threads : 1) * k * (sizeof(double) + sizeof(uint32_t));
    double cells = (4.0 * (double)n + 17.0) * sizeof(size_t) + (double)n * sizeof(uint32_t);
    return (double)n * (double)K * sizeof(double) + cells + rows;
}

/* a value row as qtr_indices_multi starts it: name, group, NAN everywhere */
static struct qtr_index_value *add_row(struct qtr_index_value **out, size_t *nout, const char *name,
                                       const char *group)
{
    struct qtr_index_value *v = realloc(*out, (*nout + 1) * sizeof *v);
    if (!v)
        return NULL;
    *out = v;
    struct qtr_index_value *r = &v[(*nout)++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->group, sizeof r->group, "%s", group ? group : "");
    r->value = r->ci_low = r->ci_high = r->p_value = r->expected = NAN;
    r->suppressed_low = r->suppressed_high = NAN;
    r->status = QTR_ERR_DOMAIN;
    return r;
}

static int wanted(const struct qtr_index_options *opt, const char *name)
{
    return !opt || !opt->want || opt->want(name, opt->want_user);
}

/* Why no surface index can be computed for u, or NULL; `msg` holds a formatted reason. */
static const char *cannot(const struct qtr_units *u, const struct qtr_surface_options *so, double h,
                          char *msg, size_t cap)
{
    if (!u->cx || !u->cy)
        return "not computed: needs district centroids (the districts have no geometry)";
    if (u->n < 2)
        return "not computed: needs at least 2 districts";
    if (so && so->memory_limit > 0) {
        double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
        for (size_t i = 0; i < u->n; i++) {
            x0 = fmin(x0, u->cx[i]);
            x1 = fmax(x1, u->cx[i]);
            y0 = fmin(y0, u->cy[i]);
            y1 = fmax(y1, u->cy[i]);
        }
        double need = qtr_surface_bytes(u->n, u->ngroups, x1 - x0, y1 - y0, h, 0);
        if (need > so->memory_limit) {
            snprintf(msg, cap,
                     "not computed: the local environments of %zu districts need about %.1f GB, "
                     "more than the %.1f GB this run can use",
                     u->n, need / 1e9, so->memory_limit / 1e9);
            return msg;
        }
    }
    return NULL;
}

int qtr_indices_surface(const struct qtr_units *u, const struct qtr_surface_options *so,
                        const struct qtr_index_options *opt, const char *const *group_labels,
                        struct qtr_index_value **out, size_t *nout, struct qtr_error *err)
{
    if (!u || !out || !nout || (u->ngroups && !u->groups))
        return qtr_error_set(err, QTR_ERR_USAGE, "surface indices: missing argument");
    double h = so && so->bandwidth_m > 0 ? so->bandwidth_m : QTR_SURFACE_BANDWIDTH_M;
    enum qtr_kernel_fn fn = so ? so->fn : QTR_KERNEL_TRIANGULAR;
    size_t K = u->ngroups, first = *nout;
    char label[32], msg[200];
    for (size_t e = 0; e < QTR_SURFACE_NINDEX + K; e++) {
        const char *name =
            e < QTR_SURFACE_NINDEX ? qtr_surface_index_names[e] : QTR_SURFACE_ISOLATION_NAME;
        const char *group = NULL;
        if (e >= QTR_SURFACE_NINDEX) {
            snprintf(label, sizeof label, "%zu", e - QTR_SURFACE_NINDEX + 1);
            group = group_labels ? group_labels[e - QTR_SURFACE_NINDEX] : label;
        }
        struct qtr_index_value *r = add_row(out, nout, name, group);
        if (!r)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory collecting surface indices");
        snprintf(r->reason, sizeof r->reason, "%s",
                 wanted(opt, name) ? "" : "left out (not asked for)");
    }
    struct qtr_index_value *v = *out + first;
    int any = 0;
    for (size_t e = 0; e < QTR_SURFACE_NINDEX + K; e++)
        any |= !v[e].reason[0];
    if (!any)
        return QTR_OK;
    const char *why = cannot(u, so, h, msg, sizeof msg);
    double **env = why ? NULL : calloc(K ? K : 1, sizeof *env);
    int rc = QTR_OK;
    if (!why && !env)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the local environments");
    for (size_t k = 0; env && k < K; k++)
        if (!(env[k] = malloc(u->n * sizeof **env)))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the local environments");
    struct qtr_error e1 = {0};
    if (!why && !rc) {
        int lr = qtr_surface_environment(u, fn, h, env, &e1);
        if (lr == QTR_ERR_NOMEM)
            rc = qtr_error_set(err, lr, "%s", e1.msg);
        else if (lr) {
            snprintf(msg, sizeof msg, "not computed: %.180s", e1.msg);
            why = msg;
        }
    }
    if (!rc) {
        struct qtr_units lu = {.n = u->n, .ngroups = K, .groups = (const double *const *)env};
        for (size_t e = 0; e < QTR_SURFACE_NINDEX + K; e++) {
            struct qtr_index_value *r = &v[e];
            if (r->reason[0])
                continue; /* left out */
            if (why) {
                snprintf(r->reason, sizeof r->reason, "%s", why);
                continue;
            }
            qtr_error_clear(&e1);
            int st = e < QTR_SURFACE_NINDEX
                         ? qtr_mg_eval(&qtr_mg_defs[surface_row[e]], &lu, &r->value, &e1)
                         : qtr_surface_isolation(&lu, e - QTR_SURFACE_NINDEX, &r->value, &e1);
            if (st == QTR_ERR_NOMEM) {
                rc = qtr_error_set(err, st, "%s", e1.msg);
                break;
            }
            r->status = st;
            if (st != QTR_OK) {
                r->value = NAN;
                snprintf(r->reason, sizeof r->reason, "%.199s", e1.msg);
            }
        }
    }
    for (size_t k = 0; env && k < K; k++)
        free(env[k]);
    free(env);
    return rc;
}
