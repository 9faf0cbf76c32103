/*
 * classify.c - class breaks: quantile (Hyndman & Fan type 7, as QGIS), exact
 * Fisher-Jenks natural breaks, standard deviation, equal interval.
 */
#include "quartier/classify.h"

#include "quartier/ksum.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

const char *qtr_class_method_name(enum qtr_class_method m)
{
    switch (m) {
    case QTR_CLASS_QUANTILE:
        return "quantile";
    case QTR_CLASS_JENKS:
        return "jenks";
    case QTR_CLASS_STDDEV:
        return "stddev";
    case QTR_CLASS_EQUAL:
        return "equal";
    }
    return "?";
}

const char *qtr_class_method_qgis_id(enum qtr_class_method m)
{
    switch (m) {
    case QTR_CLASS_QUANTILE:
        return "Quantile";
    case QTR_CLASS_JENKS:
        return "Jenks";
    case QTR_CLASS_STDDEV:
        return "StdDev";
    case QTR_CLASS_EQUAL:
        return "EqualInterval";
    }
    return NULL;
}

int qtr_class_method_parse(const char *name, enum qtr_class_method *m, struct qtr_error *err)
{
    static const struct {
        const char *name;
        enum qtr_class_method m;
    } tab[] = {{"quantile", QTR_CLASS_QUANTILE},   {"jenks", QTR_CLASS_JENKS},
               {"natural", QTR_CLASS_JENKS},       {"stddev", QTR_CLASS_STDDEV},
               {"sd", QTR_CLASS_STDDEV},           {"equal", QTR_CLASS_EQUAL},
               {"equal_interval", QTR_CLASS_EQUAL}};
    for (size_t i = 0; name && i < sizeof tab / sizeof tab[0]; i++) {
        if (strcmp(name, tab[i].name) == 0) {
            *m = tab[i].m;
            return QTR_OK;
        }
    }
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "unknown classification method '%s' (use quantile, jenks, stddev or "
                         "equal)",
                         name ? name : "(null)");
}

int qtr_class_of(const double *limits, size_t k, double v)
{
    if (isnan(v) || k == 0 || v < limits[0] || v > limits[k])
        return -1;
    /* binary search for the first i with v <= limits[i + 1] */
    size_t lo = 0, hi = k - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v <= limits[mid + 1])
            hi = mid;
        else
            lo = mid + 1;
    }
    return (int)lo;
}

/* Compensated sum (ksum.h) of squared deviations of a[0..m-1] from their mean. */
static double segment_ss(const double *a, size_t m)
{
    double mean = qtr_ksum_array(a, m) / (double)m;
    struct qtr_ksum s = QTR_KSUM_INIT;
    for (size_t i = 0; i < m; i++)
        qtr_ksum_add(&s, (a[i] - mean) * (a[i] - mean));
    return qtr_ksum_get(&s);
}

double qtr_class_sdcm(const double *sorted, size_t n, const size_t *end, size_t k)
{
    double total = 0.0;
    size_t start = 0;
    for (size_t c = 0; c < k; c++) {
        if (end[c] <= start || end[c] > n)
            return NAN;
        total += segment_ss(sorted + start, end[c] - start);
        start = end[c];
    }
    return start == n ? total : NAN;
}

/* Remove repeated limits in place; returns the new number of classes. */
static size_t merge_limits(double *lim, size_t k)
{
    size_t w = 0;
    for (size_t i = 1; i <= k; i++) {
        if (lim[i] > lim[w])
            lim[++w] = lim[i];
    }
    if (w == 0) { /* all values equal: one class [v, v] */
        lim[1] = lim[0];
        return 1;
    }
    return w;
}

/*
 * Fisher (1958) exact optimal partition of sorted v[0..m-1] into k contiguous
 * groups minimising the sum of within-group squared deviations. cost[c][j] is
 * the optimum for the first j values in c + 1 groups; the recurrence is
 * cost[c][j] = min_i cost[c-1][i] + SS(i, j) (Jenks 1977, eq. for GVF's SDCM).
 * SS(i, j) comes from prefix sums of values centred on their mean (which
 * removes most of the cancellation in S2 - S1^2/m) in long double. Splits are
 * only allowed between distinct values so that no value straddles two classes.
 * Writes the exclusive end index of each group to end[0..k-1].
 */
static int jenks_dp(const double *v, size_t m, size_t k, size_t *end)
{
    int rc = QTR_ERR_NOMEM;
    long double *s1 = NULL, *s2 = NULL;
    double *cost = NULL;
    size_t *arg = NULL;
    s1 = malloc((m + 1) * sizeof *s1);
    s2 = malloc((m + 1) * sizeof *s2);
    cost = malloc(k * (m + 1) * sizeof *cost);
    arg = malloc(k * (m + 1) * sizeof *arg);
    if (!s1 || !s2 || !cost || !arg)
        goto out;
    long double mean = 0.0L;
    for (size_t i = 0; i < m; i++)
        mean += v[i];
    mean /= (long double)m;
    s1[0] = s2[0] = 0.0L;
    for (size_t i = 0; i < m; i++) {
        long double d = (long double)v[i] - mean;
        s1[i + 1] = s1[i] + d;
        s2[i + 1] = s2[i] + d * d;
    }
#define SS(i, j)                                                                                   \
    ((double)(s2[j] - s2[i] - (s1[j] - s1[i]) * (s1[j] - s1[i]) / (long double)((j) - (i))))
    for (size_t j = 0; j <= m; j++) {
        cost[j] = j > 0 ? SS(0, j) : 0.0;
        arg[j] = 0;
    }
    for (size_t c = 1; c < k; c++) {
        double *prev = cost + (c - 1) * (m + 1), *cur = cost + c * (m + 1);
        size_t *ca = arg + c * (m + 1);
        for (size_t j = 0; j <= m; j++) {
            cur[j] = INFINITY;
            ca[j] = 0;
            /* the last group is v[i..j-1]; the first c groups need >= c values */
            for (size_t i = c; i < j; i++) {
                if (v[i - 1] == v[i] || !isfinite(prev[i]))
                    continue;
                double t = prev[i] + SS(i, j);
                if (t < cur[j]) {
                    cur[j] = t;
                    ca[j] = i;
                }
            }
        }
    }
#undef SS
    size_t j = m;
    for (size_t c = k; c-- > 0;) {
        end[c] = j;
        j = arg[c * (m + 1) + j];
    }
    rc = QTR_OK;
out:
    free(s1);
    free(s2);
    free(cost);
    free(arg);
    return rc;
}

int qtr_classes_round(struct qtr_classes *c, const double *x, int decimals, struct qtr_error *err)
{
    if (decimals < -6 || decimals > 10)
        return qtr_error_set(err, QTR_ERR_USAGE, "cannot round class limits to %d decimals",
                             decimals);
    double p = pow(10.0, decimals);
    size_t k = c->k;
    /* outer limits outward so the extreme values stay inside */
    c->limits[0] = floor(c->limits[0] * p) / p;
    c->limits[k] = ceil(c->limits[k] * p) / p;
    for (size_t i = 1; i < k; i++)
        c->limits[i] = round(c->limits[i] * p) / p;
    /* x * p can round so that floor/ceil land just inside the data: never cut off a value */
    for (size_t i = 0; i < c->n; i++) {
        if (isnan(x[i]))
            continue;
        if (x[i] < c->limits[0])
            c->limits[0] = x[i];
        if (x[i] > c->limits[k])
            c->limits[k] = x[i];
    }
    /* rounding can make a limit fall below its predecessor only by merging; keep order */
    for (size_t i = 1; i <= k; i++)
        if (c->limits[i] < c->limits[i - 1])
            c->limits[i] = c->limits[i - 1];
    c->k = merge_limits(c->limits, k);
    for (size_t i = 0; i < c->n; i++)
        c->cls[i] = qtr_class_of(c->limits, c->k, x[i]);
    return QTR_OK;
}

void qtr_classes_release(struct qtr_classes *c)
{
    if (!c)
        return;
    free(c->limits);
    free(c->cls);
    memset(c, 0, sizeof *c);
}

int qtr_classify(const double *x, size_t n, enum qtr_class_method m, size_t k, double sd_step,
                 struct qtr_classes *out, struct qtr_error *err)
{
    int rc = QTR_OK;
    double *v = NULL, *lim = NULL, *sample = NULL;
    int *cls = NULL;
    size_t *end = NULL;

    memset(out, 0, sizeof *out);
    out->mean = out->sd = NAN;
    if (m != QTR_CLASS_STDDEV && k < 1)
        return qtr_error_set(err, QTR_ERR_USAGE, "number of classes must be at least 1 (got %zu)",
                             k);
    if (m != QTR_CLASS_QUANTILE && m != QTR_CLASS_JENKS && m != QTR_CLASS_STDDEV &&
        m != QTR_CLASS_EQUAL)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown classification method %d", (int)m);

    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        if (isinf(x[i]))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "value %zu is infinite and cannot be classified", i);
        if (!isnan(x[i]))
            nv++;
    }
    if (nv == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "no values to classify (%zu values, all missing)",
                             n);
    v = malloc(nv * sizeof *v);
    cls = malloc((n ? n : 1) * sizeof *cls);
    if (!v || !cls) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory classifying %zu values", n);
        goto out;
    }
    nv = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            v[nv++] = x[i];
    qsort(v, nv, sizeof *v, cmp_double);
    double vmin = v[0], vmax = v[nv - 1];

    if (m == QTR_CLASS_STDDEV) {
        double step = sd_step > 0 ? sd_step : 1.0;
        double s = 0.0;
        for (size_t i = 0; i < nv; i++)
            s += v[i];
        double mean = s / (double)nv, ss = 0.0;
        for (size_t i = 0; i < nv; i++)
            ss += (v[i] - mean) * (v[i] - mean);
        double sd = sqrt(ss / (double)nv);
        out->mean = mean;
        out->sd = sd;
        size_t cap = 2;
        double jlo = 0, jhi = -1;
        if (sd > 0) {
            /* limits only within mean +- 3 SD: a far outlier must not create dozens of
             * classes; values beyond fall into the two outer classes */
            double jmax = floor(3.0 / step + 1e-9);
            jlo = fmax(ceil((vmin - mean) / (step * sd)), -jmax);
            jhi = fmin(floor((vmax - mean) / (step * sd)), jmax);
            if (jhi >= jlo)
                cap += (size_t)(jhi - jlo) + 1;
        }
        lim = malloc(cap * sizeof *lim);
        if (!lim) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        size_t w = 0;
        lim[w++] = vmin;
        for (double j = jlo; j <= jhi; j += 1.0) {
            double b = mean + j * step * sd;
            if (b > vmin && b < vmax)
                lim[w++] = b;
        }
        lim[w++] = vmax;
        k = w - 1;
    } else {
        lim = malloc((k + 1) * sizeof *lim);
        if (!lim) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        lim[0] = vmin;
        lim[k] = vmax;
        if (m == QTR_CLASS_QUANTILE) {
            /* QgsClassificationQuantile: a = q (n - 1), Xq = (1 - r) x[aa] + r x[aa + 1] */
            for (size_t i = 1; i < k; i++) {
                double a = (double)i / (double)k * (double)(nv - 1);
                size_t aa = (size_t)a;
                double r = a - (double)aa;
                lim[i] = aa + 1 < nv ? (1 - r) * v[aa] + r * v[aa + 1] : v[nv - 1];
            }
        } else if (m == QTR_CLASS_EQUAL) {
            for (size_t i = 1; i < k; i++)
                lim[i] = vmin + (double)i * (vmax - vmin) / (double)k;
        } else {
            const double *base = v;
            size_t ns = nv;
            if (nv > QTR_JENKS_MAX_VALUES) {
                /* deterministic sample: evenly spaced order statistics incl. min and max */
                ns = QTR_JENKS_MAX_VALUES;
                sample = malloc(ns * sizeof *sample);
                if (!sample) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                for (size_t j = 0; j < ns; j++) {
                    size_t idx = (size_t)((double)j * (double)(nv - 1) / (double)(ns - 1) + 0.5);
                    sample[j] = v[idx < nv ? idx : nv - 1];
                }
                base = sample;
            }
            size_t distinct = 1;
            for (size_t i = 1; i < ns; i++)
                distinct += base[i] != base[i - 1];
            size_t kk = k < distinct ? k : distinct;
            end = malloc(kk * sizeof *end);
            if (!end) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            if (jenks_dp(base, ns, kk, end) != QTR_OK) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM,
                                   "out of memory computing natural breaks for %zu values", ns);
                goto out;
            }
            for (size_t c = 0; c + 1 < kk; c++)
                lim[c + 1] = base[end[c] - 1];
            lim[kk] = vmax;
            k = kk;
        }
        k = merge_limits(lim, k);
    }
    if (m == QTR_CLASS_STDDEV)
        k = merge_limits(lim, k);

    for (size_t i = 0; i < n; i++)
        cls[i] = qtr_class_of(lim, k, x[i]);
    out->k = k;
    out->limits = lim;
    out->n = n;
    out->cls = cls;
    lim = NULL;
    cls = NULL;
out:
    free(v);
    free(lim);
    free(cls);
    free(sample);
    free(end);
    return rc;
}

int qtr_format_de(double v, int decimals, char *buf, size_t size)
{
    char raw[64];
    if (!isfinite(v) || decimals < 0 || decimals > 10 || size == 0)
        return QTR_ERR_USAGE;
    if (fabs(v) >= 1e15) {
        /* From 10^15 on the last digits say nothing: three significant ones and the power of
         * ten, with the decimal comma ("1,23e+18"). */
        int n = snprintf(raw, sizeof raw, "%.3g", v);
        if (n < 0 || (size_t)n >= sizeof raw || (size_t)n >= size)
            return QTR_ERR_USAGE;
        char *dot = strchr(raw, '.');
        if (dot)
            *dot = ',';
        memcpy(buf, raw, (size_t)n + 1);
        return QTR_OK;
    }
    int len = snprintf(raw, sizeof raw, "%.*f", decimals, v);
    if (len < 0 || (size_t)len >= sizeof raw)
        return QTR_ERR_USAGE;
    const char *p = raw;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
        /* "-0,00" after rounding: print without the sign */
        int allzero = 1;
        for (const char *q = p; *q; q++)
            if (*q >= '1' && *q <= '9')
                allzero = 0;
        if (allzero)
            neg = 0;
    }
    const char *dot = strchr(p, '.');
    size_t nint = dot ? (size_t)(dot - p) : strlen(p);
    char tmp[96];
    size_t w = 0;
    if (neg)
        tmp[w++] = '-';
    for (size_t i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0)
            tmp[w++] = '.';
        tmp[w++] = p[i];
    }
    if (dot) {
        tmp[w++] = ',';
        for (const char *q = dot + 1; *q; q++)
            tmp[w++] = *q;
    }
    tmp[w] = '\0';
    if (w + 1 > size)
        return QTR_ERR_USAGE;
    memcpy(buf, tmp, w + 1);
    return QTR_OK;
}

int qtr_class_label_de(double lo, double hi, int decimals, const char *unit, char *buf, size_t size)
{
    char a[64], b[64];
    int rc = qtr_format_de(lo, decimals, a, sizeof a);
    if (rc == QTR_OK)
        rc = qtr_format_de(hi, decimals, b, sizeof b);
    if (rc != QTR_OK)
        return rc;
    /* U+2013 EN DASH between the limits */
    int len = snprintf(buf, size, "%s \xe2\x80\x93 %s%s%s", a, b, unit && *unit ? " " : "",
                       unit ? unit : "");
    return len < 0 || (size_t)len >= size ? QTR_ERR_USAGE : QTR_OK;
}
