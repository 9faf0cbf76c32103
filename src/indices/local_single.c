/*
 * local_single.c - per-district group share and location quotient.
 */
#include <math.h>

#include "quartier/indices.h"
#include "single_internal.h"

int qtr_local_share_lq(const struct qtr_units *u, int percent, double *share, double *lq,
                       uint8_t *defined, struct qtr_error *err)
{
    if (!u || u->n == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "no districts");
    if (!u->total || !u->group)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "no population counts were given for the group or the total");
    struct qtr_ksum kx = {0, 0}, kt = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double t = u->total[i], x = u->group[i];
        if (!isfinite(t) || !isfinite(x))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has no valid %s count (missing/NaN)", i,
                                 isfinite(t) ? "group" : "total");
        if (t < 0 || x < 0)
            return qtr_error_set(err, QTR_ERR_DOMAIN, "district %zu has a negative count", i);
        if (x > t)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has more group members (%g) than residents (%g)",
                                 i, x, t);
        qtr_ksum_add(&kx, x);
        qtr_ksum_add(&kt, t);
    }
    double X = qtr_ksum_get(&kx), T = qtr_ksum_get(&kt);
    if (!(T > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "all %zu districts have zero residents", u->n);
    if (!(X > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the group is absent from the city: location quotients are "
                             "undefined");
    /* location quotient LQ_i = (x_i/t_i)/(X/T) (Isard 1960; PySAL MultiLocationQuotient) */
    const double P = X / T;
    for (size_t i = 0; i < u->n; i++) {
        double t = u->total[i];
        if (t > 0) {
            double p = u->group[i] / t;
            share[i] = percent ? 100.0 * p : p;
            lq[i] = p / P;
            defined[i] = 1;
        } else {
            share[i] = 0.0;
            lq[i] = 0.0;
            defined[i] = 0;
        }
    }
    return QTR_OK;
}
