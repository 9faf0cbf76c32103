/*
 * multi_battery.c - qtr_indices_multi: every multigroup index the input
 * supports, with permutation p-values and bootstrap intervals on request.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/indices.h"
#include "quartier/inference.h"
#include "quartier/multigroup.h"

#include "multigroup_internal.h"

/* Bounded copy of a message into a fixed field (truncated with a NUL). */
static void copy_reason(char *dst, size_t cap, const char *prefix, const char *msg)
{
    size_t lp = strlen(prefix), lm = strlen(msg);
    if (lp >= cap)
        lp = cap - 1;
    memcpy(dst, prefix, lp);
    if (lm > cap - 1 - lp)
        lm = cap - 1 - lp;
    memcpy(dst + lp, msg, lm);
    dst[lp + lm] = '\0';
}

/* Permutation p-values and bootstrap intervals of the values v[0..ne) (qtr_mg_defs order):
 * every index is evaluated on the same simulated data sets, one simulation per draw. */
static int infer_multi(const struct qtr_units *u, const struct qtr_index_options *opt,
                       struct qtr_index_value *v, size_t ne, struct qtr_error *err)
{
    qtr_index_fn fns[QTR_MG_NDEFS];
    struct qtr_infer_result res[QTR_MG_NDEFS];
    int st[QTR_MG_NDEFS], st2[sizeof st / sizeof st[0]];
    struct qtr_error es[QTR_MG_NDEFS], es2[sizeof st / sizeof st[0]];
    double lo[QTR_MG_NDEFS];
    double hi[QTR_MG_NDEFS];
    size_t nrun = 0;
    for (size_t e = 0; e < ne; e++) {
        fns[e] = v[e].status == QTR_OK && qtr_mg_defs[e].infer ? qtr_mg_defs[e].fn : NULL;
        nrun += fns[e] != NULL;
    }
    if (nrun == 0)
        return QTR_OK;
    struct qtr_infer_options io = {.draws = opt->permutations,
                                   .seed = opt->seed,
                                   .threads = opt->threads,
                                   .multigroup = 1};
    struct qtr_error e0 = {0};
    int rc = qtr_infer_null_many(u, fns, ne, (enum qtr_null_model)opt->null_model, &io, res, st,
                                 es, &e0);
    if (rc == QTR_ERR_NOMEM)
        return qtr_error_set(err, rc, "%s", e0.msg);
    if (rc == QTR_OK) {
        for (size_t e = 0; e < ne; e++) {
            if (!fns[e])
                continue;
            if (st[e] == QTR_OK) {
                v[e].p_value = res[e].p_value;
                v[e].expected = res[e].expected;
            } else {
                fns[e] = NULL;
            }
        }
        /* other streams than the permutation test's, so the two are independent */
        io.seed = opt->seed ^ 0xB5AD4ECEDA1CE2A9ULL;
        rc = qtr_infer_bootstrap_ci_many(u, fns, ne, &io, 0.95, lo, hi, st2, es2, &e0);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, rc, "%s", e0.msg);
    }
    for (size_t e = 0; e < ne; e++) {
        if (v[e].status != QTR_OK || !qtr_mg_defs[e].infer)
            continue;
        /* the permutation test's error, else the interval's */
        const char *why = rc != QTR_OK   ? e0.msg
                          : !fns[e]      ? es[e].msg
                          : st2[e] != QTR_OK ? es2[e].msg
                                             : NULL;
        if (!why) {
            v[e].ci_low = lo[e];
            v[e].ci_high = hi[e];
        }
        if (why)
            copy_reason(v[e].reason, sizeof v[e].reason, "no inference: ", why);
    }
    return QTR_OK;
}

int qtr_indices_multi(const struct qtr_units *u, const struct qtr_index_options *opt,
                      struct qtr_index_value **out, size_t *nout, struct qtr_error *err)
{
    size_t ne = QTR_MG_NDEFS;
    struct qtr_index_value *v = realloc(*out, (*nout + ne) * sizeof *v);
    if (!v)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory collecting multigroup indices");
    *out = v;
    struct qtr_index_value *first = &v[*nout];
    for (size_t e = 0; e < ne; e++) {
        const struct qtr_mg_def *me = &qtr_mg_defs[e];
        struct qtr_index_value *r = &v[*nout];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", me->name);
        r->value = NAN;
        r->ci_low = r->ci_high = r->p_value = r->expected = NAN;
        r->suppressed_low = r->suppressed_high = NAN;
        struct qtr_error e1 = {0};
        int rc = opt && opt->want && !opt->want(me->name, opt->want_user)
                     ? qtr_error_set(&e1, QTR_ERR_DOMAIN, "left out (not asked for)")
                     : qtr_mg_eval(me, u, &r->value, &e1);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, rc, "%s", e1.msg);
        r->status = rc;
        if (rc != QTR_OK) {
            r->value = NAN;
            copy_reason(r->reason, sizeof r->reason, "", e1.msg);
        }
        (*nout)++;
    }
    if (opt && opt->permutations > 0)
        return infer_multi(u, opt, first, ne, err);
    return QTR_OK;
}
