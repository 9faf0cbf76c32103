/*
 * decay.c - the distance-decay family (White 1983, Massey & Denton 1988, Morgan 1983): the
 * published indices from the decay field's sums (decay_field.h), and every pair on the fly for
 * PySAL's variant and for the published one without a cut-off. Formulas in spatial.h.
 */
#include "quartier/decay_field.h"
#include "quartier/ksum.h"
#include "quartier/spatial.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spatial_internal.h"

const char *const qtr_decay_index_names[QTR_DECAY_NINDEX] = {
    "spatial_proximity", "absolute_clustering", "relative_clustering", "distance_decay_isolation",
    "distance_decay_exposure"};


/* ---- distance-decay proximity c_ij ------------------------------------------------ */

/*
 * Every pair, one row of the proximity matrix c at a time, so no n×n matrix exists: the PySAL
 * variant recomputes each row from the centroids and the column normalisers S_j = Σ_k d_jk, the
 * published variant without a cut-off from the centroids. With a cut-off the published variant
 * goes through the decay field (decay_field.h): no pair is stored.
 */
struct prox {
    enum qtr_decay_variant variant;
    size_t n;
    const double *cx, *cy;
    double *cself;  /* n: c_ii */
    double *colsum; /* PySAL: n: S_j */
};

static void prox_release(struct prox *p)
{
    free(p->cself);
    free(p->colsum);
    memset(p, 0, sizeof *p);
}

static int prox_init(struct prox *p, const struct qtr_units *u, const struct qtr_decay_options *o,
                     const char *name, struct qtr_error *err)
{
    memset(p, 0, sizeof *p);
    int rc = qtr_spatial_check_units(u, name, err);
    if (rc)
        return rc;
    if (!o)
        return qtr_error_set(err, QTR_ERR_USAGE, "%s: no decay options given", name);
    if (!u->cx || !u->cy || !u->area)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: needs district centroids and areas (distance-based index)", name);
    if (!(o->alpha >= 0) || !(o->beta >= 0))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: alpha (%g) and beta (%g) must not be negative", name, o->alpha,
                             o->beta);
    size_t n = u->n;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(u->cx[i]) || !isfinite(u->cy[i]) || !(u->area[i] >= 0))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has no valid centroid or area", name, i);
    p->variant = o->variant;
    p->n = n;
    p->cx = u->cx;
    p->cy = u->cy;
    p->cself = malloc(n * sizeof *p->cself);
    if (!p->cself) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto fail;
    }
    if (o->variant == QTR_DECAY_PYSAL) {
        size_t max_n = o->max_n ? o->max_n : 5000;
        if (n > max_n) {
            rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                               "%s: PySAL's distance normalisation needs all %zu² district "
                               "pairs; above %zu districts use the published definition",
                               name, n, max_n);
            goto fail;
        }
        p->colsum = malloc(n * sizeof *p->colsum);
        if (!p->colsum) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
            goto fail;
        }
        for (size_t j = 0; j < n; j++) {
            struct qtr_ksum s = {0, 0};
            for (size_t k = 0; k < n; k++)
                qtr_ksum_add(&s, hypot(u->cx[j] - u->cx[k], u->cy[j] - u->cy[k]));
            p->colsum[j] = qtr_ksum_get(&s);
            if (!(p->colsum[j] > 0)) {
                rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                                   "%s: all district centroids coincide; distances are "
                                   "undefined",
                                   name);
                goto fail;
            }
        }
        /* PySAL fills the diagonal of exp(-w) with exp(-(alpha a_i)^beta), a in m². */
        for (size_t i = 0; i < n; i++)
            p->cself[i] = 1.0 - exp(-pow(o->alpha * u->area[i], o->beta));
    } else if (o->variant == QTR_DECAY_PUBLISHED) {
        /* White (1983): d_ii = (0.6 a_i)^0.5 with a_i in km², c_ii = exp(-d_ii). */
        for (size_t i = 0; i < n; i++)
            p->cself[i] = exp(-pow(o->alpha * u->area[i] / 1e6, o->beta));
        if (!(o->cutoff_m >= 0)) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "%s: the cut-off distance must be >= 0", name);
            goto fail;
        }
        size_t max_n = o->max_n ? o->max_n : 5000;
        if (n > max_n) {
            rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                               "%s: without a cut-off distance all %zu² district pairs are "
                               "needed; above %zu districts set a cut-off",
                               name, n, max_n);
            goto fail;
        }
    } else {
        rc = qtr_error_set(err, QTR_ERR_USAGE, "%s: unknown decay variant %d", name,
                           (int)o->variant);
        goto fail;
    }
    return QTR_OK;
fail:
    prox_release(p);
    return rc;
}

/* Row i of c: (cols[k], c[k]) for k < return value, self included: every pair, computed on
 * the fly from the centroids (PySAL, or published without a cut-off). */
static size_t prox_row(const struct prox *p, size_t i, uint32_t *cols, double *c)
{
    int pysal = p->variant == QTR_DECAY_PYSAL;
    for (size_t j = 0; j < p->n; j++) {
        cols[j] = (uint32_t)j;
        if (j == i) {
            c[j] = p->cself[i];
        } else {
            double d = hypot(p->cx[i] - p->cx[j], p->cy[i] - p->cy[j]);
            c[j] = pysal ? 1.0 - exp(-(d / p->colsum[j])) : exp(-d / 1000.0);
        }
    }
    return p->n;
}

static size_t prox_max_row(const struct prox *p)
{
    return p->n;
}

struct rowbuf {
    uint32_t *cols;
    double *c;
};

static int rowbuf_init(struct rowbuf *b, const struct prox *p, const char *name,
                       struct qtr_error *err)
{
    size_t mx = prox_max_row(p);
    b->cols = malloc(mx * sizeof *b->cols);
    b->c = malloc(mx * sizeof *b->c);
    if (!b->cols || !b->c) {
        free(b->cols);
        free(b->c);
        b->cols = NULL; /* the caller releases b again */
        b->c = NULL;
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
    }
    return QTR_OK;
}

static void rowbuf_release(struct rowbuf *b)
{
    free(b->cols);
    free(b->c);
}

static int totals(const struct qtr_units *u, double *X, double *Y, double *T, const char *name,
                  struct qtr_error *err)
{
    struct qtr_ksum sx = {0, 0}, st = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        qtr_ksum_add(&sx, u->group[i]);
        qtr_ksum_add(&st, u->total[i]);
    }
    *X = qtr_ksum_get(&sx);
    *T = qtr_ksum_get(&st);
    *Y = *T - *X;
    if (!(*X > 0) || !(*Y > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: not defined when the group is absent from the city or is its "
                             "whole population (group %g of %g)",
                             name, *X, *T);
    return QTR_OK;
}

void qtr_decay_options_default(struct qtr_decay_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->variant = QTR_DECAY_PUBLISHED;
    opt->alpha = 0.6;
    opt->beta = 0.5;
    opt->cutoff_m = 20000.0;
    opt->max_n = 5000;
}

/* ---- the published family from the decay field ------------------------------------- */

static int with_field(const struct qtr_decay_options *o)
{
    return o && o->variant == QTR_DECAY_PUBLISHED && o->cutoff_m > 0;
}

static void family_fail(struct qtr_decay_family *r, int k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->status[k] = QTR_ERR_DOMAIN;
    r->value[k] = NAN;
    vsnprintf(r->reason[k], sizeof r->reason[k], fmt, ap);
    va_end(ap);
}

int qtr_decay_family_compute(const struct qtr_decay_field *f, const struct qtr_units *u,
                             struct qtr_decay_family *r, struct qtr_error *err)
{
    memset(r, 0, sizeof *r);
    for (int k = 0; k < QTR_DECAY_NINDEX; k++)
        r->value[k] = NAN;
    if (!f || !u || u->n != qtr_decay_field_size(f))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "distance-decay indices: the districts do not match the decay field");
    struct qtr_error e = {0};
    if (qtr_spatial_check_units(u, "distance-decay indices", &e) == QTR_OK) {
        double X, Y, T;
        totals(u, &X, &Y, &T, "distance-decay indices", &e);
    }
    if (e.code) {
        for (int k = 0; k < QTR_DECAY_NINDEX; k++)
            family_fail(r, k, "%s: %s", qtr_decay_index_names[k],
                        e.msg + strlen("distance-decay indices: "));
        return QTR_OK;
    }
    size_t n = u->n;
    double *cx = malloc(n * sizeof *cx);
    if (!cx)
        return qtr_error_set(err, QTR_ERR_NOMEM, "distance-decay indices: out of memory");
    int rc = qtr_decay_field_apply(f, u->group, cx, err);
    if (rc) {
        free(cx);
        return rc;
    }
    const double *ct = qtr_decay_field_ct(f), *c1 = qtr_decay_field_c1(f);
    struct qtr_ksum sx = QTR_KSUM_INIT, st = QTR_KSUM_INIT;
    struct qtr_ksum pxx = QTR_KSUM_INIT, pyy = QTR_KSUM_INIT, ptt = QTR_KSUM_INIT;
    struct qtr_ksum ax = QTR_KSUM_INIT, at = QTR_KSUM_INIT, csum = QTR_KSUM_INIT;
    struct qtr_ksum dxx = QTR_KSUM_INIT, dxy = QTR_KSUM_INIT;
    for (size_t i = 0; i < n; i++) {
        qtr_ksum_add(&sx, u->group[i]);
        qtr_ksum_add(&st, u->total[i]);
    }
    double X = qtr_ksum_get(&sx), T = qtr_ksum_get(&st), Y = T - X;
    for (size_t i = 0; i < n; i++) {
        double xi = u->group[i], ti = u->total[i], yi = ti - xi;
        double cxi = cx[i], cyi = ct[i] - cx[i];
        /* White (1983): P_gg = Σ_ij g_i g_j c_ij / G² */
        qtr_ksum_add(&pxx, xi * cxi);
        qtr_ksum_add(&pyy, yi * cyi);
        qtr_ksum_add(&ptt, ti * ct[i]);
        /* Massey & Denton (1988), ACL (their eq. 16) */
        qtr_ksum_add(&ax, xi / X * cxi);
        qtr_ksum_add(&at, xi / X * ct[i]);
        qtr_ksum_add(&csum, c1[i]);
        /* Morgan (1983): K_ij = c_ij t_j / s_i, s_i = Σ_j c_ij t_j (published normaliser) */
        if (xi > 0 && ct[i] > 0) {
            qtr_ksum_add(&dxx, xi / X * cxi / ct[i]);
            qtr_ksum_add(&dxy, xi / X * cyi / ct[i]);
        }
    }
    free(cx);
    double Pxx = qtr_ksum_get(&pxx) / (X * X), Pyy = qtr_ksum_get(&pyy) / (Y * Y),
           Ptt = qtr_ksum_get(&ptt) / (T * T);
    if (!(Ptt > 0))
        family_fail(r, QTR_DECAY_SP, "%s: the proximity of all residents is zero",
                    qtr_decay_index_names[QTR_DECAY_SP]);
    else
        r->value[QTR_DECAY_SP] = (X * Pxx + Y * Pyy) / (T * Ptt);
    double corr = X / ((double)n * (double)n) * qtr_ksum_get(&csum);
    double den = qtr_ksum_get(&at) - corr;
    if (!(fabs(den) > 0))
        family_fail(r, QTR_DECAY_ACL, "%s: the denominator is zero",
                    qtr_decay_index_names[QTR_DECAY_ACL]);
    else
        r->value[QTR_DECAY_ACL] = (qtr_ksum_get(&ax) - corr) / den;
    if (!(Pyy > 0))
        family_fail(r, QTR_DECAY_RCL, "%s: the proximity among the other residents is zero",
                    qtr_decay_index_names[QTR_DECAY_RCL]);
    else
        r->value[QTR_DECAY_RCL] = Pxx / Pyy - 1.0;
    r->value[QTR_DECAY_DPXX] = qtr_ksum_get(&dxx);
    r->value[QTR_DECAY_DPXY] = qtr_ksum_get(&dxy);
    return QTR_OK;
}

/* One index of the published family through a field built for this call. */
static int via_field(const struct qtr_units *u, const struct qtr_decay_options *opt, int k,
                     double *out, struct qtr_error *err)
{
    const char *name = qtr_decay_index_names[k];
    int rc = qtr_spatial_check_units(u, name, err);
    if (rc)
        return rc;
    if (!u->cx || !u->cy || !u->area)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: needs district centroids and areas (distance-based index)", name);
    struct qtr_decay_field *f = NULL;
    struct qtr_decay_family r;
    if ((rc = qtr_decay_field_new(u, opt, (enum qtr_decay_method)opt->method, &f, err))) {
        qtr_error_prefix(err, "%s", name);
        return rc;
    }
    rc = qtr_decay_family_compute(f, u, &r, err);
    qtr_decay_field_free(f);
    if (rc)
        return rc;
    if (r.status[k])
        return qtr_error_set(err, r.status[k], "%s", r.reason[k]);
    *out = r.value[k];
    return QTR_OK;
}

/* ---- every pair on the fly: one loop per index, one evaluation ------------------------- */

/* An index's loop over the proximity rows, with the city's totals X (group), Y (the others), T;
 * `option` as its row of pair_defs says. */
typedef int (*pair_body)(const struct qtr_units *u, const struct qtr_decay_options *opt,
                         const struct prox *p, const struct rowbuf *b, double X, double Y, double T,
                         int option, const char *name, double *out, struct qtr_error *err);

/* White (1983): P_gg = Σ_ij g_i g_j c_ij / G². */
static int pairs_proximity(const struct qtr_units *u, const struct qtr_decay_options *opt,
                           const struct prox *p, const struct rowbuf *b, double X, double Y,
                           double T, int option, const char *name, double *out,
                           struct qtr_error *err)
{
    (void)opt;
    (void)option;
    struct qtr_ksum pxx = {0, 0}, pyy = {0, 0}, ptt = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(p, i, b->cols, b->c);
        double xi = u->group[i], ti = u->total[i], yi = ti - xi;
        struct qtr_ksum rx = {0, 0}, ry = {0, 0}, rt = {0, 0};
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b->cols[e];
            double xj = u->group[j], tj = u->total[j];
            qtr_ksum_add(&rx, b->c[e] * xj);
            qtr_ksum_add(&ry, b->c[e] * (tj - xj));
            qtr_ksum_add(&rt, b->c[e] * tj);
        }
        qtr_ksum_add(&pxx, xi * qtr_ksum_get(&rx));
        qtr_ksum_add(&pyy, yi * qtr_ksum_get(&ry));
        qtr_ksum_add(&ptt, ti * qtr_ksum_get(&rt));
    }
    double Pxx = qtr_ksum_get(&pxx) / (X * X), Pyy = qtr_ksum_get(&pyy) / (Y * Y),
           Ptt = qtr_ksum_get(&ptt) / (T * T);
    if (!(Ptt > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the proximity of all residents is zero",
                             name);
    *out = (X * Pxx + Y * Pyy) / (T * Ptt);
    return QTR_OK;
}

/* Massey & Denton (1988), ACL (their eq. 16). */
static int pairs_absolute_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                     const struct prox *p, const struct rowbuf *b, double X,
                                     double Y, double T, int option, const char *name, double *out,
                                     struct qtr_error *err)
{
    (void)opt;
    (void)Y;
    (void)T;
    (void)option;
    struct qtr_ksum ax = {0, 0}, at = {0, 0}, csum = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(p, i, b->cols, b->c);
        struct qtr_ksum rx = {0, 0}, rt = {0, 0};
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b->cols[e];
            qtr_ksum_add(&rx, b->c[e] * u->group[j]);
            qtr_ksum_add(&rt, b->c[e] * u->total[j]);
            qtr_ksum_add(&csum, b->c[e]);
        }
        qtr_ksum_add(&ax, u->group[i] / X * qtr_ksum_get(&rx));
        qtr_ksum_add(&at, u->group[i] / X * qtr_ksum_get(&rt));
    }
    double nn = (double)u->n * (double)u->n;
    double corr = X / nn * qtr_ksum_get(&csum);
    double den = qtr_ksum_get(&at) - corr;
    if (!(fabs(den) > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the denominator is zero", name);
    *out = (qtr_ksum_get(&ax) - corr) / den;
    return QTR_OK;
}

static int pairs_relative_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                     const struct prox *p, const struct rowbuf *b, double X,
                                     double Y, double T, int option, const char *name, double *out,
                                     struct qtr_error *err)
{
    (void)T;
    (void)option;
    int pysal = opt->variant == QTR_DECAY_PYSAL;
    struct qtr_ksum pxx = {0, 0}, pyy = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(p, i, b->cols, b->c);
        double xi = u->group[i], yi = u->total[i] - xi;
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b->cols[e];
            double xj = u->group[j], yj = u->total[j] - xj;
            /* Massey & Denton (1988) eq. 17 has x_i x_j; PySAL computes
             * (x * x * c).sum(), i.e. x_j² c_ij. */
            qtr_ksum_add(&pxx, b->c[e] * (pysal ? xj * xj : xi * xj));
            qtr_ksum_add(&pyy, b->c[e] * (pysal ? yj * yj : yi * yj));
        }
    }
    double Pyy = qtr_ksum_get(&pyy) / (Y * Y);
    if (!(Pyy > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: the proximity among the other residents is zero", name);
    *out = (qtr_ksum_get(&pxx) / (X * X)) / Pyy - 1.0;
    return QTR_OK;
}

/* Morgan (1983) DPxx (option 0) or DPxy (option 1). */
static int pairs_distance_decay(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                const struct prox *p, const struct rowbuf *b, double X, double Y,
                                double T, int option, const char *name, double *out,
                                struct qtr_error *err)
{
    (void)Y;
    (void)T;
    double *s = malloc(u->n * sizeof *s);
    if (!s)
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
    /* s_i = Σ_j c_ij t_j: the row normaliser of K_ij = c_ij t_j / s_i. */
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(p, i, b->cols, b->c);
        struct qtr_ksum r = {0, 0};
        for (size_t e = 0; e < k; e++)
            qtr_ksum_add(&r, b->c[e] * u->total[b->cols[e]]);
        s[i] = qtr_ksum_get(&r);
    }
    int pysal = opt->variant == QTR_DECAY_PYSAL;
    struct qtr_ksum acc = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        if (!(u->group[i] > 0))
            continue;
        size_t k = prox_row(p, i, b->cols, b->c);
        struct qtr_ksum r = {0, 0};
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b->cols[e];
            if (!(u->total[j] > 0))
                continue; /* PySAL's nansum drops 0/0; K_ij = 0 in the published form */
            double v = option ? u->total[j] - u->group[j] : u->group[j];
            /* PySAL divides c*t (broadcast) by the row-sum vector, which numpy
             * aligns with the column index j: K_ij = c_ij t_j / s_j. */
            double norm = pysal ? s[j] : s[i];
            if (norm > 0)
                qtr_ksum_add(&r, b->c[e] * v / norm);
        }
        qtr_ksum_add(&acc, u->group[i] / X * qtr_ksum_get(&r));
    }
    *out = qtr_ksum_get(&acc);
    free(s);
    return QTR_OK;
}

/* The family's definitions: each index's loop and its option, in enum qtr_decay_index order. */
static const struct {
    pair_body body;
    int option;
} pair_defs[QTR_DECAY_NINDEX] = {
    [QTR_DECAY_SP] = {pairs_proximity, 0},
    [QTR_DECAY_ACL] = {pairs_absolute_clustering, 0},
    [QTR_DECAY_RCL] = {pairs_relative_clustering, 0},
    [QTR_DECAY_DPXX] = {pairs_distance_decay, 0},
    [QTR_DECAY_DPXY] = {pairs_distance_decay, 1},
};

/* Index k of the family: through the decay field (published with a cut-off), else every pair
 * on the fly with the index's loop. */
static int decay_eval(int k, const struct qtr_units *u, const struct qtr_decay_options *opt,
                      double *out, struct qtr_error *err)
{
    if (with_field(opt))
        return via_field(u, opt, k, out, err);
    const char *name = qtr_decay_index_names[k];
    struct prox p;
    struct rowbuf b = {NULL, NULL};
    double X, Y, T;
    int rc = prox_init(&p, u, opt, name, err);
    if (rc)
        return rc;
    if (!(rc = totals(u, &X, &Y, &T, name, err)) && !(rc = rowbuf_init(&b, &p, name, err)))
        rc = pair_defs[k].body(u, opt, &p, &b, X, Y, T, pair_defs[k].option, name, out, err);
    rowbuf_release(&b);
    prox_release(&p);
    return rc;
}

int qtr_spatial_proximity(const struct qtr_units *u, const struct qtr_decay_options *opt,
                          double *out, struct qtr_error *err)
{
    return decay_eval(QTR_DECAY_SP, u, opt, out, err);
}

int qtr_absolute_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                            double *out, struct qtr_error *err)
{
    return decay_eval(QTR_DECAY_ACL, u, opt, out, err);
}

int qtr_relative_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                            double *out, struct qtr_error *err)
{
    return decay_eval(QTR_DECAY_RCL, u, opt, out, err);
}

int qtr_distance_decay_isolation(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                 double *out, struct qtr_error *err)
{
    return decay_eval(QTR_DECAY_DPXX, u, opt, out, err);
}

int qtr_distance_decay_exposure(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                double *out, struct qtr_error *err)
{
    return decay_eval(QTR_DECAY_DPXY, u, opt, out, err);
}
