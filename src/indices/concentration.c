/*
 * concentration.c - single-group concentration indices (Massey & Denton 1988, section
 * "Concentration"): the physical space the group occupies, from district areas in m².
 * Every district given counts with its area, also one without residents.
 */
#include <math.h>
#include <stdlib.h>

#include "quartier/indices.h"
#include "single_internal.h"

int qtr_delta(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    double A;
    int rc = qtr_sg_check(u, &s, err);
    if (!rc)
        rc = qtr_sg_check_area(u, &A, err);
    if (rc)
        return rc;
    *out = qtr_sg_delta_core(u, &s, A);
    return QTR_OK;
}

double qtr_sg_delta_core(const struct qtr_units *u, const struct qtr_sg_sums *s, double A)
{
    /* Hoover (1941); Massey & Denton (1988) eq. (10): DEL = 1/2 Σ |x_i/X - a_i/A|.
     * Districts without residents (t_i = 0) count with their area: their land is part of
     * the city, as in PySAL; the pipeline passes them in through qtr_units.spatial
     * (docs/indices-single.md). */
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++)
        qtr_ksum_add(&k, fabs(u->group[i] / s->X - u->area[i] / A));
    return 0.5 * qtr_ksum_get(&k);
}

/* Shared part of ACO and RCO: districts by ascending area; n1 = number of the smallest
 * districts whose cumulated population reaches X, n2 = start of the largest ones doing the
 * same (PySAL, issue #43); the mean areas per resident of the two sets. */
struct conc {
    const size_t *asc;
    size_t n1, n2;
    double T1, T2;
    double ta1, ta2; /* Σ t_i a_i over the first n1 / the last n - n2 */
};

static int conc_prepare(const struct qtr_units *u, const struct qtr_sg_sums *s, struct conc *c,
                        struct qtr_error *err)
{
    size_t n = u->n;
    /* PySAL: n1 = first k with cumsum(t_asc)/T >= X/T, plus one; sequential cumsum. */
    double T = 0;
    for (size_t i = 0; i < n; i++)
        T += u->total[i];
    const double XT = s->X / T;
    double cum = 0;
    size_t n1 = n;
    for (size_t k = 0; k < n; k++) {
        cum += u->total[c->asc[k]];
        if (!(cum / T < XT)) {
            n1 = k + 1;
            break;
        }
    }
    cum = 0;
    size_t n2aux = n;
    for (size_t k = 0; k < n; k++) {
        cum += u->total[c->asc[n - 1 - k]];
        if (!(cum / T < XT)) {
            n2aux = k + 1;
            break;
        }
    }
    c->n1 = n1;
    c->n2 = n - n2aux;
    struct qtr_ksum t1 = {0, 0}, t2 = {0, 0}, ta1 = {0, 0}, ta2 = {0, 0};
    for (size_t k = 0; k < c->n1; k++) {
        size_t i = c->asc[k];
        qtr_ksum_add(&t1, u->total[i]);
        qtr_ksum_add(&ta1, u->total[i] * u->area[i]);
    }
    for (size_t k = c->n2; k < n; k++) {
        size_t i = c->asc[k];
        qtr_ksum_add(&t2, u->total[i]);
        qtr_ksum_add(&ta2, u->total[i] * u->area[i]);
    }
    c->T1 = qtr_ksum_get(&t1);
    c->T2 = qtr_ksum_get(&t2);
    c->ta1 = qtr_ksum_get(&ta1);
    c->ta2 = qtr_ksum_get(&ta2);
    /* T1, T2 >= X > 0 by construction of n1 and n2 */
    double m1 = c->ta1 / c->T1, m2 = c->ta2 / c->T2;
    if (!(m2 - m1 > 1e-12 * m2))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the smallest and the largest districts have the same area per "
                             "resident (for example a regular grid of equal cells): concentration "
                             "indices need districts of different sizes");
    return QTR_OK;
}

/* Districts by ascending area (ties by index); *asc to be freed. */
static int by_area(const struct qtr_units *u, size_t **asc, struct qtr_error *err)
{
    size_t *o = malloc((u->n ? u->n : 1) * sizeof *o);
    if (!o)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing concentration");
    for (size_t i = 0; i < u->n; i++)
        o[i] = i;
    qtr_sg_argsort(u->area, o, u->n);
    *asc = o;
    return QTR_OK;
}

int qtr_sg_concentration_core(const struct qtr_units *u, const struct qtr_sg_sums *s,
                              const size_t *asc, int relative, double *out,
                              struct qtr_error *err)
{
    struct conc c = {.asc = asc};
    int rc = conc_prepare(u, s, &c, err);
    if (rc)
        return rc;
    double m1 = c.ta1 / c.T1, m2 = c.ta2 / c.T2;
    if (!relative) {
        /* Massey & Denton (1988) eq. (11):
         * ACO = 1 - (Σ x_i a_i / X - Σ_{i<=n1} t_i a_i / T1)
         *         / (Σ_{i>=n2} t_i a_i / T2 - Σ_{i<=n1} t_i a_i / T1) */
        struct qtr_ksum k = {0, 0};
        for (size_t i = 0; i < u->n; i++)
            qtr_ksum_add(&k, u->group[i] * u->area[i]);
        double xa = qtr_ksum_get(&k) / s->X;
        *out = 1.0 - (xa - m1) / (m2 - m1);
        return QTR_OK;
    }
    /* Massey & Denton (1988) eq. (12):
     * RCO = ((Σ x_i a_i / X) / (Σ y_i a_i / Y) - 1)
     *     / ((Σ_{i<=n1} t_i a_i / T1) / (Σ_{i>=n2} t_i a_i / T2) - 1) */
    const double Y = s->T - s->X;
    struct qtr_ksum kx = {0, 0}, ky = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        qtr_ksum_add(&kx, u->group[i] * u->area[i]);
        qtr_ksum_add(&ky, (u->total[i] - u->group[i]) * u->area[i]);
    }
    double xa = qtr_ksum_get(&kx) / s->X, ya = qtr_ksum_get(&ky) / Y;
    *out = (xa / ya - 1.0) / (m1 / m2 - 1.0);
    return QTR_OK;
}

static int concentration(const struct qtr_units *u, int relative, double *out,
                         struct qtr_error *err)
{
    struct qtr_sg_sums s;
    size_t *asc = NULL;
    int rc = qtr_sg_check(u, &s, err);
    if (!rc)
        rc = qtr_sg_check_area(u, NULL, err);
    if (!rc)
        rc = by_area(u, &asc, err);
    if (!rc)
        rc = qtr_sg_concentration_core(u, &s, asc, relative, out, err);
    free(asc);
    return rc;
}

int qtr_absolute_concentration(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return concentration(u, 0, out, err);
}

int qtr_relative_concentration(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return concentration(u, 1, out, err);
}
