/*
 * centralization.c - single-group centralization indices (Massey & Denton 1988, section
 * "Centralization"), from district centroids in metres of the work CRS. Every district given
 * counts: one without residents adds land (absolute) and, with the centre "mean of the
 * centroids", moves the centre (PySAL does the same; docs/indices-single.md).
 */
#include <math.h>
#include <stdlib.h>

#include "quartier/indices.h"
#include "single_internal.h"

/* Districts ordered by Euclidean distance of the centroid to the centre (ties by index). */
int qtr_sg_by_distance(const struct qtr_units *u, size_t **order, struct qtr_error *err)
{
    double cx0, cy0;
    int rc = qtr_sg_check_centroids(u, &cx0, &cy0, err);
    if (rc)
        return rc;
    size_t n = u->n;
    double *d = malloc(n * sizeof *d);
    size_t *o = malloc(n * sizeof *o);
    if (!d || !o) {
        free(d);
        free(o);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing centralization");
    }
    for (size_t i = 0; i < n; i++) {
        double dx = u->cx[i] - cx0, dy = u->cy[i] - cy0;
        d[i] = sqrt(dx * dx + dy * dy);
        o[i] = i;
    }
    qtr_sg_argsort(d, o, n);
    free(d);
    *order = o;
    return QTR_OK;
}

/* Σ_{k>=1} F_{k-1} G_k - Σ_{k>=1} F_k G_{k-1} with F, G the cumulative shares of f and g
 * along `order` (Massey & Denton 1988 eq. 14-15; PySAL's shift/nansum form). */
static double lorenz_area(size_t n, const size_t *order, const double *f, double F,
                          const double *g, double G, int g_is_diff, const double *g2)
{
    struct qtr_ksum a = {0, 0}, b = {0, 0};
    double cf = 0, cg = 0, pf = 0, pg = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        cf += f[i];
        cg += g_is_diff ? g[i] - g2[i] : g[i];
        double Fk = cf / F, Gk = cg / G;
        if (k > 0) {
            qtr_ksum_add(&a, pf * Gk);
            qtr_ksum_add(&b, Fk * pg);
        }
        pf = Fk;
        pg = Gk;
    }
    return qtr_ksum_get(&a) - qtr_ksum_get(&b);
}

double qtr_sg_centralization_core(const struct qtr_units *u, const struct qtr_sg_sums *s,
                                  const size_t *order, int absolute, double A)
{
    /* Massey & Denton (1988) eq. (14): ACE = Σ X_{i-1} A_i - Σ X_i A_{i-1}, X_i and A_i the
     * cumulative shares of the group and of the land area, nearest district first;
     * eq. (15): RCE = Σ X_{i-1} Y_i - Σ X_i Y_{i-1}, Y the rest. */
    if (absolute)
        return lorenz_area(u->n, order, u->group, s->X, u->area, A, 0, NULL);
    return lorenz_area(u->n, order, u->group, s->X, u->total, s->T - s->X, 1, u->group);
}

int qtr_absolute_centralization(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    double A;
    size_t *order = NULL;
    int rc = qtr_sg_check(u, &s, err);
    if (!rc)
        rc = qtr_sg_check_area(u, &A, err);
    if (!rc)
        rc = qtr_sg_by_distance(u, &order, err);
    if (rc)
        return rc;
    *out = qtr_sg_centralization_core(u, &s, order, 1, A);
    free(order);
    return QTR_OK;
}

int qtr_relative_centralization(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    size_t *order = NULL;
    int rc = qtr_sg_check(u, &s, err);
    if (!rc)
        rc = qtr_sg_by_distance(u, &order, err);
    if (rc)
        return rc;
    *out = qtr_sg_centralization_core(u, &s, order, 0, 0.0);
    free(order);
    return QTR_OK;
}

int qtr_proportion_central(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    if (!(u->central_radius > 0) || !isfinite(u->central_radius))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "needs a central-area radius in metres (the share of the group "
                             "living in districts whose centroid lies within it)");
    double cx0, cy0;
    rc = qtr_sg_check_centroids(u, &cx0, &cy0, err);
    if (rc)
        return rc;
    /* Massey & Denton (1988) eq. (13): PCC = X_cc / X, the central city taken as the
     * districts with centroid within central_radius of the centre. */
    const double r2 = u->central_radius * u->central_radius;
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double dx = u->cx[i] - cx0, dy = u->cy[i] - cy0;
        if (dx * dx + dy * dy <= r2)
            qtr_ksum_add(&k, u->group[i]);
    }
    *out = qtr_ksum_get(&k) / s.X;
    return QTR_OK;
}
