/*
 * evenness.c - single-group evenness indices (Massey & Denton 1988, "The dimensions of
 * residential segregation", Social Forces 67(2), section "Evenness"), as computed by PySAL
 * segregation 2.5.4 where it implements them.
 *
 * Notation: x_i group, t_i total, y_i = t_i - x_i, X, Y, T city sums, p_i = x_i/t_i,
 * P = X/T. Districts with t_i = 0 carry no weight (p_i is taken as 0 and multiplied by 0).
 */
#include <math.h>
#include <stdlib.h>

#include "quartier/indices.h"
#include "single_internal.h"

int qtr_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    *out = qtr_sg_dissim_core(u, &s);
    return QTR_OK;
}

double qtr_sg_dissim_core(const struct qtr_units *u, const struct qtr_sg_sums *s)
{
    /* Duncan & Duncan (1955); Massey & Denton (1988) eq. (1):
     * D = Σ t_i |p_i - P| / (2 T P (1-P)). */
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++)
        if (u->total[i] > 0)
            qtr_ksum_add(&k, u->total[i] * fabs(u->group[i] / u->total[i] - s->P));
    return qtr_ksum_get(&k) / (2.0 * s->T * s->P * (1.0 - s->P));
}

int qtr_gini(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    size_t *order = malloc(u->n * sizeof *order);
    double *shares = malloc(u->n * sizeof *shares);
    if (!order || !shares) {
        free(order);
        free(shares);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing the Gini index");
    }
    /* Massey & Denton (1988) eq. (3), O(n log n) form in qtr_sg_gini_raw */
    *out = qtr_sg_gini_raw(u->n, u->group, u->total, order, shares);
    free(order);
    free(shares);
    return QTR_OK;
}

static double xlog1x(double p)
{
    /* p ln(1/p), with the limit 0 at p = 0 */
    return p > 0 ? -p * log(p) : 0.0;
}

int qtr_entropy(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    *out = qtr_sg_entropy_core(u, &s);
    return QTR_OK;
}

double qtr_sg_entropy_core(const struct qtr_units *u, const struct qtr_sg_sums *s)
{
    /* Theil & Finizza (1971); Massey & Denton (1988) eq. (4):
     * E = P ln(1/P) + (1-P) ln(1/(1-P)), H = Σ t_i (E - E_i) / (E T). */
    double E = xlog1x(s->P) + xlog1x(1.0 - s->P);
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double t = u->total[i];
        if (!(t > 0))
            continue;
        double p = u->group[i] / t;
        double Ei = xlog1x(p) + xlog1x(1.0 - p);
        qtr_ksum_add(&k, t * (E - Ei));
    }
    return qtr_ksum_get(&k) / (E * s->T);
}

int qtr_atkinson(const struct qtr_units *u, double b, double *out, struct qtr_error *err)
{
    if (!(b > 0.0 && b < 1.0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the Atkinson shape parameter must lie strictly between 0 and 1 "
                             "(got %g)",
                             b);
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    *out = qtr_sg_atkinson_core(u, &s, b, NULL, 0);
    return QTR_OK;
}

/* ln v from the table for whole v < nlog (the table holds log(k), so the same bits) */
static inline double log_of(double v, const double *tab, size_t nlog)
{
    if (tab && v < (double)nlog) {
        size_t k = (size_t)v;
        if ((double)k == v)
            return tab[k];
    }
    return log(v);
}

double qtr_sg_atkinson_core(const struct qtr_units *u, const struct qtr_sg_sums *s, double b,
                            const double *logtab, size_t nlog)
{
    /* Atkinson (1970); Massey & Denton (1988) eq. (5):
     * A = 1 - P/(1-P) |Σ (1-p_i)^(1-b) p_i^b t_i / (P T)|^(1/(1-b)).
     * With y_i = t_i - x_i the term is y_i^(1-b) x_i^b = y_i (x_i/y_i)^b = x_i (y_i/x_i)^(1-b):
     * sqrt(x_i y_i) for b = 1/2, otherwise one exp of a difference of logarithms with the
     * smaller exponent (no pow per district; 0 when x_i or y_i is 0, as pow(0, b) is). */
    struct qtr_ksum k = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double t = u->total[i];
        if (!(t > 0))
            continue;
        double x = u->group[i], y = t - x, term;
        if (!(x > 0) || !(y > 0))
            term = 0.0;
        else if (b == 0.5)
            term = sqrt(x * y);
        else {
            double lx = log_of(x, logtab, nlog), ly = log_of(y, logtab, nlog);
            term = b < 0.5 ? y * exp(b * (lx - ly)) : x * exp((1.0 - b) * (ly - lx));
        }
        qtr_ksum_add(&k, term);
    }
    double inner = fabs(qtr_ksum_get(&k) / (s->P * s->T));
    return 1.0 - s->P / (1.0 - s->P) * pow(inner, 1.0 / (1.0 - b));
}

int qtr_atkinson_b01(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return qtr_atkinson(u, 0.1, out, err);
}

int qtr_atkinson_b05(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return qtr_atkinson(u, 0.5, out, err);
}

int qtr_atkinson_b09(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return qtr_atkinson(u, 0.9, out, err);
}

int qtr_min_max(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    *out = qtr_sg_min_max_core(u, &s);
    return QTR_OK;
}

double qtr_sg_min_max_core(const struct qtr_units *u, const struct qtr_sg_sums *s)
{
    /* O'Sullivan & Wong (2007), Geographical Analysis 39(2), eq. (8) with the aspatial
     * densities x_i/X and y_i/Y: MM = 1 - Σ min / Σ max. */
    double Y = s->T - s->X;
    struct qtr_ksum kmin = {0, 0}, kmax = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double a = u->group[i] / s->X;
        double b = (u->total[i] - u->group[i]) / Y;
        qtr_ksum_add(&kmin, a < b ? a : b);
        qtr_ksum_add(&kmax, a < b ? b : a);
    }
    return 1.0 - qtr_ksum_get(&kmin) / qtr_ksum_get(&kmax);
}

int qtr_concentration_profile_m(const struct qtr_units *u, unsigned m, double *out,
                                struct qtr_error *err)
{
    if (m < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the concentration profile needs at least 2 thresholds (got %u)", m);
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    size_t n = u->n;
    size_t *order = malloc(n * sizeof *order);
    double *shares = malloc(n * sizeof *shares);
    double *suffix = malloc((n + 1) * sizeof *suffix);
    if (!order || !shares || !suffix) {
        free(order);
        free(shares);
        free(suffix);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing the concentration "
                                                 "profile");
    }
    /* Hong & Sadahiro (2014), J. Geogr. Syst. 16(2), eq. (2)-(4) as in PySAL ConProf:
     * v(θ) = Σ_{p_i >= θ} x_i / X on θ_k = linspace(0, 1, m); districts without residents
     * never pass (NaN >= θ is false in PySAL). Sorting the shares makes each v_k a suffix
     * sum (qtr_sg_conprof_core). */
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (u->total[i] > 0) {
            order[np] = i;
            shares[i] = u->group[i] / u->total[i];
            np++;
        } else {
            shares[i] = 0.0;
        }
    qtr_sg_argsort(shares, order, np);
    *out = qtr_sg_conprof_core(u, &s, m, order, np, shares, suffix);
    free(order);
    free(shares);
    free(suffix);
    return QTR_OK;
}

double qtr_sg_conprof_core(const struct qtr_units *u, const struct qtr_sg_sums *s, unsigned m,
                           const size_t *order, size_t np, const double *shares, double *suffix)
{
    /* R = (P - (Σ_{θ_k<P} v_k - Σ_{θ_k>=P} v_k)/m) / (1 - P) */
    suffix[np] = 0.0;
    {
        struct qtr_ksum k = {0, 0};
        for (size_t j = np; j-- > 0;) {
            qtr_ksum_add(&k, u->group[order[j]]);
            suffix[j] = qtr_ksum_get(&k);
        }
    }
    /* numpy.linspace(0, 1, m): k * (1/(m-1)), the last point exactly 1 */
    const double step = 1.0 / (double)(m - 1);
    struct qtr_ksum below = {0, 0}, above = {0, 0};
    size_t j = 0;
    for (unsigned k = 0; k < m; k++) {
        double th = k + 1 == m ? 1.0 : (double)k * step;
        while (j < np && shares[order[j]] < th)
            j++;
        double v = suffix[j] / s->X;
        if (th < s->P)
            qtr_ksum_add(&below, v);
        else
            qtr_ksum_add(&above, v);
    }
    double dm = (double)m;
    return (s->P - (qtr_ksum_get(&below) / dm - qtr_ksum_get(&above) / dm)) / (1.0 - s->P);
}

int qtr_concentration_profile(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return qtr_concentration_profile_m(u, QTR_CONPROF_DEFAULT_M, out, err);
}
