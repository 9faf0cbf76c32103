/*
 * exposure.c - single-group exposure indices (Massey & Denton 1988, section "Exposure"):
 * isolation xPx, interaction xPy and the correlation ratio (eta²).
 */
#include <math.h>

#include "quartier/indices.h"
#include "single_internal.h"

int qtr_isolation(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    *out = qtr_sg_isolation_core(u, &s);
    return QTR_OK;
}

double qtr_sg_isolation_core(const struct qtr_units *u, const struct qtr_sg_sums *s)
{
    /* Bell (1954); Massey & Denton (1988) eq. (7): xPx = Σ (x_i/X)(x_i/t_i) */
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++)
        if (u->total[i] > 0)
            qtr_ksum_add(&k, (u->group[i] / s->X) * (u->group[i] / u->total[i]));
    return qtr_ksum_get(&k);
}

int qtr_exposure(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    *out = qtr_sg_exposure_core(u, &s);
    return QTR_OK;
}

double qtr_sg_exposure_core(const struct qtr_units *u, const struct qtr_sg_sums *s)
{
    /* Massey & Denton (1988) eq. (6): xPy = Σ (x_i/X)(y_i/t_i) (PySAL Interaction) */
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++)
        if (u->total[i] > 0)
            qtr_ksum_add(&k, (u->group[i] / s->X) *
                                 ((u->total[i] - u->group[i]) / u->total[i]));
    return qtr_ksum_get(&k);
}

int qtr_correlation_ratio(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    double xpx;
    int rc = qtr_isolation(u, &xpx, err);
    if (rc)
        return rc;
    struct qtr_sg_sums s;
    qtr_sg_check(u, &s, NULL);
    /* Bell (1954), White (1986); Massey & Denton (1988) eq. (9): V = (xPx - P)/(1 - P) */
    *out = (xpx - s.P) / (1.0 - s.P);
    return QTR_OK;
}
