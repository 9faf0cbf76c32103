/*
 * local_single.c - per-district indices: group share, location quotient, local relative
 * centralization.
 */
#include <math.h>
#include <stdlib.h>

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

int qtr_local_relative_centralization(const struct qtr_units *u, const struct qtr_csr *nb,
                                      double *out, uint8_t *defined, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    double cx0, cy0;
    rc = qtr_sg_check_centroids(u, &cx0, &cy0, err);
    if (rc)
        return rc;
    if (!nb || nb->n != u->n)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "local centralization needs a neighbour list for every district");
    size_t maxk = 0;
    for (size_t i = 0; i < u->n; i++) {
        size_t k = nb->row[i + 1] - nb->row[i];
        if (k > maxk)
            maxk = k;
    }
    for (size_t e = 0; e < qtr_csr_nnz(nb); e++)
        if (nb->col[e] >= u->n)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "the neighbour list names district %u, beyond the %zu districts",
                                 (unsigned)nb->col[e], u->n);
    size_t *ctx = malloc((maxk + 1) * sizeof *ctx);
    double *d = malloc((maxk + 1) * sizeof *d);
    if (!ctx || !d) {
        free(ctx);
        free(d);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in local centralization");
    }
    for (size_t i = 0; i < u->n; i++) {
        /* local context: the neighbours in CSR order, then i itself (as PySAL appends it) */
        size_t m = 0;
        for (size_t e = nb->row[i]; e < nb->row[i + 1]; e++)
            if (nb->col[e] != i)
                ctx[m++] = nb->col[e];
        ctx[m++] = i;
        for (size_t k = 0; k < m; k++) {
            double dx = u->cx[ctx[k]] - u->cx[i], dy = u->cy[ctx[k]] - u->cy[i];
            d[k] = sqrt(dx * dx + dy * dy);
        }
        /* stable insertion sort by distance (contexts are small) */
        for (size_t k = 1; k < m; k++) {
            size_t c = ctx[k];
            double dk = d[k];
            size_t j = k;
            while (j > 0 && d[j - 1] > dk) {
                d[j] = d[j - 1];
                ctx[j] = ctx[j - 1];
                j--;
            }
            d[j] = dk;
            ctx[j] = c;
        }
        double X = 0, T = 0;
        for (size_t k = 0; k < m; k++) {
            X += u->group[ctx[k]];
            T += u->total[ctx[k]];
        }
        double Y = T - X;
        if (!(X > 0) || !(Y > 0)) {
            out[i] = 0.0;
            defined[i] = 0;
            continue;
        }
        /* Massey & Denton (1988) eq. (15) on the local context */
        double cxs = 0, cys = 0, pX = 0, pY = 0, a = 0, b = 0;
        for (size_t k = 0; k < m; k++) {
            size_t j = ctx[k];
            cxs += u->group[j];
            cys += u->total[j] - u->group[j];
            double Xk = cxs / X, Yk = cys / Y;
            if (k > 0) {
                a += pX * Yk;
                b += Xk * pY;
            }
            pX = Xk;
            pY = Yk;
        }
        out[i] = a - b;
        defined[i] = 1;
    }
    free(ctx);
    free(d);
    return QTR_OK;
}
