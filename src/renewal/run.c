/*
 * run.c - the whole renewal identification for one analysis: mask, status and
 * dynamics indices, classes, groups, attention, rank variant and reasons.
 */
#include "quartier/renewal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/label_case.h"

void qtr_renewal_config_init(struct qtr_renewal_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->method = QTR_RENEWAL_MSS;
    cfg->standardise = QTR_STD_Z;
    cfg->status_thresholds[0] = -1.0;
    cfg->status_thresholds[1] = 1.0;
    cfg->status_thresholds[2] = 1.5;
    cfg->dynamics_thresholds[0] = -1.0;
    cfg->dynamics_thresholds[1] = 1.0;
    cfg->min_population = 300;
    cfg->years = 0;
    cfg->per_years = 0;
    cfg->lang = QTR_LANG_DE;
    cfg->max_reason_items = 2;
}

void qtr_renewal_result_release(struct qtr_renewal_result *res)
{
    if (!res)
        return;
    if (res->reason)
        for (size_t i = 0; i < res->n; i++)
            free(res->reason[i]);
    free(res->reason);
    free(res->validity);
    free(res->status_index);
    free(res->dynamics_index);
    free(res->status_class);
    free(res->dynamics_class);
    free(res->group);
    free(res->group_label);
    free(res->attention);
    free(res->rank_score);
    memset(res, 0, sizeof *res);
}

static int check_config(size_t nind, const struct qtr_renewal_indicator *ind,
                        const struct qtr_renewal_config *cfg, size_t *ns, size_t *nd,
                        struct qtr_error *err)
{
    const double *t = cfg->status_thresholds, *u = cfg->dynamics_thresholds;
    if (!(t[0] < t[1] && t[1] < t[2]) || !(u[0] < u[1]))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "renewal thresholds must ascend (status %g, %g, %g; dynamics %g, %g)",
                             t[0], t[1], t[2], u[0], u[1]);
    *ns = *nd = 0;
    for (size_t k = 0; k < nind; k++) {
        const char *lab = ind[k].label ? ind[k].label : "?";
        if (!(ind[k].status_weight >= 0) || !(ind[k].dynamics_weight >= 0) ||
            isinf(ind[k].status_weight) || isinf(ind[k].dynamics_weight))
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "indicator '%s': weights must be finite and not negative "
                                 "(use direction = higher_better to turn an indicator round)",
                                 lab);
        if (ind[k].status_weight > 0)
            (*ns)++;
        if (ind[k].dynamics_weight > 0) {
            if (!ind[k].previous)
                return qtr_error_set(err, QTR_ERR_USAGE,
                                     "indicator '%s' has a dynamics weight but no value at the "
                                     "previous date (key 'previous')",
                                     lab);
            (*nd)++;
        }
    }
    if (*ns == 0)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "no status indicator: give at least one [indicator] a "
                             "status_weight");
    if (cfg->method == QTR_RENEWAL_RANK && *nd == 0)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "method = rank needs dynamics indicators (dynamics_weight)");
    return QTR_OK;
}

/* SD over the valid districts of sum_k w_k * oriented z_k, as the composite
 * standardises it (population SD; weighted by residents with z_weighted). The
 * index is this sum divided by the SD, so w_k * z_k / sd is indicator k's part. */
static double sum_sd(size_t n, size_t nk, double *const *z, const double *w, const uint8_t *hb,
                     const uint8_t *valid, const double *pop, enum qtr_std_method method)
{
    if (method == QTR_STD_PERCENTILE || nk == 0)
        return NAN;
    double sw = 0, sx = 0, sq = 0;
    for (int pass = 0; pass < 2; pass++) {
        double mean = sw > 0 ? sx / sw : 0;
        for (size_t i = 0; i < n; i++) {
            if (!valid[i])
                continue;
            double wt = method == QTR_STD_Z_WEIGHTED ? (pop ? pop[i] : NAN) : 1.0;
            double s = 0;
            for (size_t k = 0; k < nk; k++)
                s += w[k] * (hb[k] ? -z[k][i] : z[k][i]);
            if (pass == 0) {
                sw += wt;
                sx += wt * s;
            } else {
                sq += wt * (s - mean) * (s - mean);
            }
        }
    }
    return sw > 0 ? sqrt(sq / sw) : NAN;
}

/* The value to compare a district with: the city's own rate (weighted by the
 * denominator, over all districts with both) or the mean of the valid districts. */
static double reference_value(size_t n, const double *v, const double *den, const uint8_t *valid,
                              int *is_city)
{
    double a = 0, b = 0;
    *is_city = 0;
    if (den) {
        for (size_t i = 0; i < n; i++)
            if (isfinite(v[i]) && isfinite(den[i]) && den[i] > 0) {
                a += v[i] * den[i];
                b += den[i];
            }
        if (b > 0) {
            *is_city = 1;
            return a / b;
        }
        a = 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (valid[i] && isfinite(v[i])) {
            a += v[i];
            m++;
        }
    return m ? a / (double)m : NAN;
}

/* Why an invalid district has no index, in words. */
static int invalid_reason(int validity, const struct qtr_renewal_config *cfg, struct qtr_buf *b)
{
    const int en = cfg->lang == QTR_LANG_EN;
    switch (validity) {
    case QTR_RENEWAL_SMALL:
        return qtr_buf_printf(
            b, en ? "invalid (fewer than %g residents)" : "ungültig (weniger als %g Einwohner)",
            cfg->min_population);
    case QTR_RENEWAL_OUTLIER:
        return qtr_buf_puts(b, en ? "invalid (declared outlier)" : "ungültig (Ausreißer)");
    default:
        return qtr_buf_puts(b, en ? "invalid (an indicator value is missing)"
                                  : "ungültig (Indikatorwert fehlt)");
    }
}

int qtr_renewal_run(size_t n, size_t nind, const struct qtr_renewal_indicator *ind,
                    const double *population, const uint8_t *outlier, const uint8_t *lq_high,
                    const double *share_change, const struct qtr_renewal_config *cfg,
                    struct qtr_renewal_result *res, struct qtr_error *err)
{
    int rc;
    size_t ns = 0, nd = 0;
    const double **sv = NULL, **all = NULL;
    double *sw = NULL, *dw = NULL, **chg = NULL, **zs = NULL, **zd = NULL;
    uint8_t *shb = NULL, *dhb = NULL, *valid = NULL;
    struct qtr_reason_item *sitems = NULL, *ditems = NULL;
    const double **sden = NULL;
    char **dlabels = NULL;
    struct qtr_buf buf = {0};
    const int en = cfg->lang == QTR_LANG_EN;

    memset(res, 0, sizeof *res);
    rc = check_config(nind, ind, cfg, &ns, &nd, err);
    if (rc)
        return rc;
    const size_t nn = n ? n : 1;
    res->n = n;
    res->validity = calloc(nn, 1);
    res->status_index = calloc(nn, sizeof *res->status_index);
    res->dynamics_index = calloc(nn, sizeof *res->dynamics_index);
    res->status_class = calloc(nn, 1);
    res->dynamics_class = calloc(nn, 1);
    res->group = calloc(nn, sizeof *res->group);
    res->group_label = calloc(nn, sizeof *res->group_label);
    res->attention = calloc(nn, sizeof *res->attention);
    res->reason = calloc(nn, sizeof *res->reason);
    sv = calloc(ns, sizeof *sv);
    all = calloc(ns + nd + 1, sizeof *all);
    sw = calloc(ns, sizeof *sw);
    shb = calloc(ns, 1);
    sitems = calloc(ns, sizeof *sitems);
    sden = calloc(ns, sizeof *sden);
    zs = calloc(ns, sizeof *zs);
    dw = calloc(nd + 1, sizeof *dw);
    dhb = calloc(nd + 1, 1);
    ditems = calloc(nd + 1, sizeof *ditems);
    chg = calloc(nd + 1, sizeof *chg);
    zd = calloc(nd + 1, sizeof *zd);
    dlabels = calloc(nd + 1, sizeof *dlabels);
    valid = calloc(nn, 1);
    if (!res->validity || !res->status_index || !res->dynamics_index || !res->status_class ||
        !res->dynamics_class || !res->group || !res->group_label || !res->attention ||
        !res->reason || !sv || !all || !sw || !shb || !sitems || !zs || !dw || !dhb || !ditems ||
        !chg || !zd || !dlabels || !valid || !sden)
        goto nomem;
    if (cfg->method == QTR_RENEWAL_RANK && !(res->rank_score = calloc(nn, sizeof *res->rank_score)))
        goto nomem;

    /* split the indicators into the status part and the dynamics part */
    size_t js = 0, jd = 0;
    for (size_t k = 0; k < nind; k++) {
        if (ind[k].status_weight > 0) {
            sv[js] = ind[k].value;
            sw[js] = ind[k].status_weight;
            shb[js] = ind[k].higher_better != 0;
            sitems[js] = (struct qtr_reason_item){ind[k].label, NAN, sw[js], shb[js], 1, NAN,
                                                  NAN, 0, ind[k].unit, 0};
            sden[js] = ind[k].denominator;
            if (!(zs[js] = malloc(nn * sizeof **zs)))
                goto nomem;
            all[js] = sv[js];
            js++;
        }
        if (ind[k].dynamics_weight > 0) {
            dw[jd] = ind[k].dynamics_weight;
            dhb[jd] = ind[k].higher_better != 0;
            chg[jd] = malloc(nn * sizeof **chg);
            zd[jd] = malloc(nn * sizeof **zd);
            char lc[256];
            dlabels[jd] = qtr_asprintf(en ? "change in %s" : "Veränderung %s",
                                       qtr_label_in_sentence(en, ind[k].label ? ind[k].label : "?",
                                                             lc, sizeof lc));
            if (!chg[jd] || !zd[jd] || !dlabels[jd])
                goto nomem;
            rc = qtr_renewal_change(n, ind[k].value, ind[k].previous, cfg->years, cfg->per_years,
                                    chg[jd], err);
            if (rc)
                goto out;
            ditems[jd] = (struct qtr_reason_item){dlabels[jd], NAN, dw[jd], dhb[jd], 1, NAN,
                                                  NAN, 0, ind[k].unit, 1};
            all[ns + jd] = chg[jd];
            jd++;
        }
    }

    rc = qtr_renewal_mask(n, population, cfg->min_population, outlier, ns + nd, all, res->validity,
                          &res->nvalid, err);
    if (rc)
        goto out;
    for (size_t i = 0; i < n; i++)
        valid[i] = res->validity[i] == QTR_RENEWAL_VALID;

    rc = qtr_renewal_composite(n, ns, sv, sw, shb, valid, population, cfg->standardise, zs,
                               res->status_index, err);
    if (rc) {
        qtr_error_prefix(err, "status index");
        goto out;
    }
    if (nd > 0) {
        rc = qtr_renewal_composite(n, nd, (const double *const *)chg, dw, dhb, valid, population,
                                   cfg->standardise, zd, res->dynamics_index, err);
        if (rc) {
            qtr_error_prefix(err, "dynamics index");
            goto out;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            res->dynamics_index[i] = NAN;
    }

    /* Reasons speak of "SD above the mean": with percentile ranks the
     * per-indicator scores are percentiles, so the reasons get plain z-scores. */
    if (cfg->standardise == QTR_STD_PERCENTILE) {
        for (size_t k = 0; k < ns && rc == QTR_OK; k++)
            rc = qtr_standardise(n, sv[k], valid, NULL, QTR_STD_Z, zs[k], err);
        for (size_t k = 0; k < nd && rc == QTR_OK; k++)
            rc = qtr_standardise(n, chg[k], valid, NULL, QTR_STD_Z, zd[k], err);
        if (rc)
            goto out;
    }

    /* what the reasons compare with, and each indicator's part in its index */
    for (size_t k = 0; k < ns; k++)
        sitems[k].reference = reference_value(n, sv[k], sden[k], valid, &sitems[k].reference_city);
    for (size_t k = 0; k < nd; k++)
        ditems[k].reference = reference_value(n, chg[k], NULL, valid, &ditems[k].reference_city);
    struct qtr_reason_method rm = {
        .status_sd = sum_sd(n, ns, zs, sw, shb, valid, population, cfg->standardise),
        .dynamics_sd = sum_sd(n, nd, zd, dw, dhb, valid, population, cfg->standardise),
    };
    memcpy(rm.status_thresholds, cfg->status_thresholds, sizeof rm.status_thresholds);
    memcpy(rm.dynamics_thresholds, cfg->dynamics_thresholds, sizeof rm.dynamics_thresholds);

    if (cfg->method == QTR_RENEWAL_RANK) {
        uint8_t *flag = calloc(nn, 1);
        if (!flag)
            goto nomem;
        rc = qtr_renewal_rank(n, res->status_index, res->dynamics_index, valid, NULL, NULL,
                              res->rank_score, flag, err);
        for (size_t i = 0; i < n && rc == QTR_OK; i++)
            if (flag[i])
                res->attention[i] |= QTR_ATTN_RANK;
        free(flag);
        if (rc)
            goto out;
    }

    for (size_t i = 0; i < n; i++) {
        int cs = qtr_renewal_status_class(res->status_index[i], cfg->status_thresholds);
        int cd = qtr_renewal_dynamics_class(res->dynamics_index[i], cfg->dynamics_thresholds);
        res->status_class[i] = (uint8_t)cs;
        res->dynamics_class[i] = (uint8_t)cd;
        qtr_renewal_group(cs, cd, &res->group[i], res->group_label[i], NULL);
        if (valid[i] && cfg->method == QTR_RENEWAL_MSS)
            res->attention[i] |= qtr_renewal_attention(cs, cd, lq_high ? lq_high[i] : 0,
                                                       share_change ? share_change[i] : NAN);
        else if (valid[i] && lq_high && share_change)
            res->attention[i] |=
                qtr_renewal_attention(cs, cd, lq_high[i], share_change[i]) & QTR_ATTN_SEGREGATION;
        for (size_t k = 0; k < ns; k++) {
            sitems[k].z = zs[k][i];
            sitems[k].value = sv[k][i];
        }
        for (size_t k = 0; k < nd; k++) {
            ditems[k].z = zd[k][i];
            ditems[k].value = chg[k][i];
        }
        qtr_buf_release(&buf);
        if (!valid[i]) {
            rc = invalid_reason(res->validity[i], cfg, &buf)
                     ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason")
                     : QTR_OK;
            if (rc)
                goto out;
            if (!(res->reason[i] = qtr_strdup(buf.data)))
                goto nomem;
            continue;
        }
        rc = qtr_renewal_reason(cs, ns, sitems, cd, nd, ditems, &rm, res->attention[i],
                                cfg->max_reason_items, cfg->lang, &buf, err);
        if (rc)
            goto out;
        if (res->attention[i] & QTR_ATTN_RANK &&
            qtr_buf_puts(&buf, en ? "; worst decile of the combined rank (status:dynamics 3:2)"
                                  : "; schlechtestes Zehntel im Rang (Status:Dynamik 3:2)"))
            goto nomem;
        if (!(res->reason[i] = qtr_strdup(buf.data ? buf.data : "")))
            goto nomem;
    }
    rc = QTR_OK;
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory identifying renewal districts");
out:
    for (size_t k = 0; zs && k < ns; k++)
        free(zs[k]);
    for (size_t k = 0; chg && zd && dlabels && k < nd; k++) {
        free(chg[k]);
        free(zd[k]);
        free(dlabels[k]);
    }
    free(sv);
    free(all);
    free(sw);
    free(shb);
    free(sitems);
    free(sden);
    free(zs);
    free(dw);
    free(dhb);
    free(ditems);
    free(chg);
    free(zd);
    free(dlabels);
    free(valid);
    qtr_buf_release(&buf);
    if (rc)
        qtr_renewal_result_release(res);
    return rc;
}
