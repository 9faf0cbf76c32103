/*
 * standardise.c - validity mask, standardisation, changes and composite
 * indices for the renewal identification (Berlin MSS method).
 */
#include "quartier/renewal.h"

#include "quartier/ksum.h"

#include <math.h>
#include <stdlib.h>

/* Compensated sums (ksum.h): the index sums hundreds of z-scores of both signs, and the
 * mean/SD of shares around 1e1 with spreads of 1e-1. */

int qtr_renewal_mask(size_t n, const double *population, double min_population,
                     const uint8_t *outlier, size_t nind, const double *const *ind,
                     uint8_t *reason_out, size_t *nvalid_out, struct qtr_error *err)
{
    size_t nvalid = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t r = QTR_RENEWAL_VALID;
        if (population && min_population > 0 &&
            (isnan(population[i]) || population[i] < min_population))
            r = QTR_RENEWAL_SMALL;
        else if (outlier && outlier[i])
            r = QTR_RENEWAL_OUTLIER;
        else
            for (size_t k = 0; k < nind; k++)
                if (!isfinite(ind[k][i])) {
                    r = QTR_RENEWAL_MISSING;
                    break;
                }
        reason_out[i] = r;
        if (r == QTR_RENEWAL_VALID)
            nvalid++;
    }
    if (nvalid_out)
        *nvalid_out = nvalid;
    if (nvalid < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "only %zu of %zu districts are valid for the renewal indices "
                             "(minimum population %g, outliers and missing indicator values "
                             "excluded); at least 2 are needed",
                             nvalid, n, min_population);
    return QTR_OK;
}

struct vi {
    double v;
    size_t i;
};

static int cmp_vi(const void *a, const void *b)
{
    const struct vi *x = a, *y = b;
    if (x->v < y->v)
        return -1;
    if (x->v > y->v)
        return 1;
    return (x->i > y->i) - (x->i < y->i);
}

size_t qtr_mean_ranks(size_t n, const double *x, const uint8_t *valid, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!valid || valid[i])
            m++;
    struct vi *a = malloc((m ? m : 1) * sizeof *a);
    if (!a)
        return (size_t)-1;
    m = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = NAN;
        if (!valid || valid[i])
            a[m++] = (struct vi){x[i], i};
    }
    qsort(a, m, sizeof *a, cmp_vi);
    for (size_t j = 0; j < m;) {
        size_t e = j + 1;
        while (e < m && a[e].v == a[j].v)
            e++;
        /* ranks j+1 .. e share the mean (j + 1 + e) / 2 */
        double r = 0.5 * (double)(j + 1 + e);
        for (size_t q = j; q < e; q++)
            out[a[q].i] = r;
        j = e;
    }
    free(a);
    return m;
}

int qtr_standardise(size_t n, const double *restrict x, const uint8_t *restrict valid,
                    const double *restrict weight, enum qtr_std_method method, double *restrict out,
                    struct qtr_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (valid && !valid[i])
            continue;
        if (!isfinite(x[i]))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "district %zu is marked valid but has no value; mark it "
                                 "invalid (missing) before standardising",
                                 i + 1);
        if (method == QTR_STD_Z_WEIGHTED && (!weight || !(weight[i] >= 0) || isinf(weight[i])))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "district %zu has no usable population weight for the "
                                 "population-weighted standardisation",
                                 i + 1);
        m++;
    }
    if (m < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "standardisation needs at least 2 valid districts, got %zu", m);

    if (method == QTR_STD_PERCENTILE) {
        size_t got = qtr_mean_ranks(n, x, valid, out);
        if (got == (size_t)-1)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory ranking %zu districts", n);
        /* mid-rank percentile: 100 * (number below + half the number equal) / m
         * = 100 * (mean rank - 0.5) / m */
        for (size_t i = 0; i < n; i++)
            if (!isnan(out[i]))
                out[i] = 100.0 * (out[i] - 0.5) / (double)m;
        return QTR_OK;
    }

    struct qtr_ksum sw = {0, 0}, sx = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (valid && !valid[i])
            continue;
        double w = method == QTR_STD_Z_WEIGHTED ? weight[i] : 1.0;
        qtr_ksum_add(&sw, w);
        qtr_ksum_add(&sx, w * x[i]);
    }
    double wsum = qtr_ksum_get(&sw);
    if (!(wsum > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the population weights of the valid districts sum to zero");
    double mean = qtr_ksum_get(&sx) / wsum;
    /* Two-pass variance about the mean (no cancellation of E[x^2] - E[x]^2);
     * population SD (divide by the weight sum / n) as MSS does: the sample SD
     * does not reproduce MSS 2021 (tests/e2e/test_mss2021.c). */
    struct qtr_ksum sq = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (valid && !valid[i])
            continue;
        double w = method == QTR_STD_Z_WEIGHTED ? weight[i] : 1.0;
        double d = x[i] - mean;
        qtr_ksum_add(&sq, w * d * d);
    }
    double sd = sqrt(qtr_ksum_get(&sq) / wsum);
    if (!(sd > 0) || sd <= 1e-12 * fabs(mean))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "all valid districts have the same value (%g): a standard "
                             "deviation of zero cannot be standardised",
                             mean);
    for (size_t i = 0; i < n; i++)
        out[i] = (valid && !valid[i]) ? NAN : (x[i] - mean) / sd;
    return QTR_OK;
}

int qtr_renewal_change(size_t n, const double *restrict current, const double *restrict previous,
                       double years, double per_years, double *restrict out, struct qtr_error *err)
{
    double f = 1.0;
    if (per_years > 0) {
        if (!(years > 0) || isinf(years))
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "the years between the two reference dates must be positive "
                                 "(got %g) to express changes per %g years",
                                 years, per_years);
        f = per_years / years;
    }
    for (size_t i = 0; i < n; i++)
        out[i] =
            (isfinite(current[i]) && isfinite(previous[i])) ? (current[i] - previous[i]) * f : NAN;
    return QTR_OK;
}

int qtr_renewal_composite(size_t n, size_t nind, const double *const *values, const double *weights,
                          const uint8_t *higher_better, const uint8_t *valid,
                          const double *population, enum qtr_std_method method, double **z_out,
                          double *index_out, struct qtr_error *err)
{
    int rc = QTR_OK;
    double *z = NULL;
    struct qtr_ksum *acc = NULL;
    if (nind == 0)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "the index has no indicators (give at least one a weight)");
    z = malloc((n ? n : 1) * sizeof *z);
    acc = calloc(n ? n : 1, sizeof *acc);
    if (!z || !acc) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %zu districts", n);
        goto out;
    }
    for (size_t k = 0; k < nind; k++) {
        rc = qtr_standardise(n, values[k], valid, population, method, z, err);
        if (rc) {
            qtr_error_prefix(err, "indicator %zu of the index", k + 1);
            goto out;
        }
        double w = weights ? weights[k] : 1.0;
        double sign = (higher_better && higher_better[k]) ? -1.0 : 1.0;
        for (size_t i = 0; i < n; i++) {
            if (z_out && z_out[k])
                z_out[k][i] = z[i];
            if (!valid || valid[i])
                qtr_ksum_add(&acc[i], sign * w * z[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        z[i] = (!valid || valid[i]) ? qtr_ksum_get(&acc[i]) : NAN;
    rc = qtr_standardise(n, z, valid, population, method, index_out, err);
    if (rc)
        qtr_error_prefix(err, "sum of the index indicators");
out:
    free(z);
    free(acc);
    return rc;
}
