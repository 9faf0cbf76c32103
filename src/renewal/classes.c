/*
 * classes.c - MSS status/dynamics classes, the 12 status/dynamics groups,
 * the attention rule and the rank-based MSS 2007 variant.
 */
#include "quartier/renewal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits belong to the middle class ("mittel: -1 bis +1", "niedrig: > 1 bis
 * 1,5" in the MSS 2021 method text). The published classes cannot decide a
 * tie themselves (no PLR lies on a limit), see renewal.h. */
int qtr_renewal_status_class(double x, const double t[3])
{
    if (isnan(x))
        return QTR_STATUS_NONE;
    if (x < t[0])
        return QTR_STATUS_HOCH;
    if (x <= t[1])
        return QTR_STATUS_MITTEL;
    if (x <= t[2])
        return QTR_STATUS_NIEDRIG;
    return QTR_STATUS_SEHR_NIEDRIG;
}

int qtr_renewal_dynamics_class(double x, const double t[2])
{
    if (isnan(x))
        return QTR_DYN_NONE;
    if (x < t[0])
        return QTR_DYN_POSITIV;
    if (x <= t[1])
        return QTR_DYN_STABIL;
    return QTR_DYN_NEGATIV;
}

const char *qtr_status_class_name(int cls, enum qtr_lang lang)
{
    static const char *const de[] = {"", "hoch", "mittel", "niedrig", "sehr niedrig"};
    static const char *const en[] = {"", "high", "medium", "low", "very low"};
    if (cls < 0 || cls > 4)
        cls = 0;
    return lang == QTR_LANG_EN ? en[cls] : de[cls];
}

const char *qtr_dynamics_class_name(int cls, enum qtr_lang lang)
{
    static const char *const de[] = {"", "positiv", "stabil", "negativ"};
    static const char *const en[] = {"", "positive", "stable", "negative"};
    if (cls < 0 || cls > 3)
        cls = 0;
    return lang == QTR_LANG_EN ? en[cls] : de[cls];
}

const char *qtr_status_dynamics_name(int status_class, int dyn_class, enum qtr_lang lang)
{
    static const char *const de[12] = {
        "hoch / positiv",         "hoch / stabil",         "hoch / negativ",
        "mittel / positiv",       "mittel / stabil",       "mittel / negativ",
        "niedrig / positiv",      "niedrig / stabil",      "niedrig / negativ",
        "sehr niedrig / positiv", "sehr niedrig / stabil", "sehr niedrig / negativ"};
    static const char *const en[12] = {
        "high / positive", "high / stable",       "high / negative",   "medium / positive",
        "medium / stable", "medium / negative",   "low / positive",    "low / stable",
        "low / negative",  "very low / positive", "very low / stable", "very low / negative"};
    if (status_class < 1 || status_class > 4 || dyn_class < 1 || dyn_class > 3)
        return "";
    int k = (status_class - 1) * 3 + dyn_class - 1;
    return lang == QTR_LANG_EN ? en[k] : de[k];
}

const char *qtr_not_rated_name(enum qtr_lang lang)
{
    return lang == QTR_LANG_EN ? "not rated" : "nicht bewertet";
}

/* MSS 2021 publishes DI_N as 1 (positiv), 3 (stabil), 5 (negativ). */
int qtr_dynamics_mss_code(int dyn_class)
{
    return (dyn_class >= 1 && dyn_class <= 3) ? 2 * dyn_class - 1 : 0;
}

int qtr_renewal_group(int status_class, int dyn_class, int *number_out, char label_out[8],
                      char dotted_out[8])
{
    static const char *const mark[] = {"", "+", "+/-", "-"};
    label_out[0] = '\0';
    if (dotted_out)
        dotted_out[0] = '\0';
    if (number_out)
        *number_out = 0;
    if (status_class < 1 || status_class > 4 || dyn_class < 1 || dyn_class > 3)
        return QTR_ERR_DOMAIN;
    snprintf(label_out, 8, "%d%s", status_class, mark[dyn_class]);
    if (dotted_out)
        snprintf(dotted_out, 8, "%d.%d", status_class, dyn_class);
    if (number_out)
        *number_out = 10 * status_class + qtr_dynamics_mss_code(dyn_class);
    return QTR_OK;
}

unsigned qtr_renewal_attention(int status_class, int dyn_class, int lq_high, double share_change)
{
    unsigned f = 0;
    int low = status_class == QTR_STATUS_NIEDRIG || status_class == QTR_STATUS_SEHR_NIEDRIG;
    if (low)
        f |= QTR_ATTN_STATUS;
    if (status_class == QTR_STATUS_MITTEL && dyn_class == QTR_DYN_NEGATIV)
        f |= QTR_ATTN_DYNAMICS;
    if (low && lq_high && share_change > 0)
        f |= QTR_ATTN_SEGREGATION;
    return f;
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

int qtr_renewal_rank(size_t n, const double *status_index, const double *dyn_index,
                     const uint8_t *valid, double *status_rank_out, double *dyn_rank_out,
                     double *score_out, uint8_t *flag_out, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct vi *a = NULL;
    double *rs = NULL, *rd = NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (valid && !valid[i])
            continue;
        if (isnan(status_index[i]) || isnan(dyn_index[i]))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "district %zu is valid but has no status or dynamics index",
                                 i + 1);
        m++;
    }
    if (m == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "no valid district to rank");
    a = malloc(m * sizeof *a);
    rs = status_rank_out ? status_rank_out : malloc(n * sizeof *rs);
    rd = dyn_rank_out ? dyn_rank_out : malloc(n * sizeof *rd);
    if (!a || !rs || !rd) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory ranking %zu districts", n);
        goto out;
    }
    if (qtr_mean_ranks(n, status_index, valid, rs) == (size_t)-1 ||
        qtr_mean_ranks(n, dyn_index, valid, rd) == (size_t)-1) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory ranking %zu districts", n);
        goto out;
    }
    /* MSS 2007: status counts 3/5, dynamics 2/5 */
    m = 0;
    for (size_t i = 0; i < n; i++) {
        flag_out[i] = 0;
        score_out[i] = NAN;
        if (valid && !valid[i])
            continue;
        score_out[i] = (3.0 * rs[i] + 2.0 * rd[i]) / 5.0;
        a[m++] = (struct vi){-score_out[i], i};
    }
    qsort(a, m, sizeof *a, cmp_vi); /* worst (highest score) first */
    size_t k = (m + 9) / 10;
    double cut = -a[k - 1].v;
    for (size_t j = 0; j < m; j++)
        if (-a[j].v >= cut)
            flag_out[a[j].i] = 1;
out:
    free(a);
    if (rs != status_rank_out)
        free(rs);
    if (rd != dyn_rank_out)
        free(rd);
    return rc;
}
