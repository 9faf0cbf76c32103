/*
 * single_batch.c - the single-group indices on many simulated cities of one geography (the
 * draws of the citywide inference, inference.c). What depends only on the geography is
 * prepared once: the districts sorted by distance to the centre and by area, the total
 * area, the central districts, a table of logarithms for the Atkinson indices. A draw then
 * costs O(n) per index without allocation, except the sort by share that the Gini index
 * and the concentration profile need (the shares change with every draw; one sort serves
 * both). The counts of a simulated city are whole, non-negative and group <= total by
 * construction, so the checks of each district are not repeated; the city totals are
 * summed once per draw, in the order of qtr_sg_check. Every index is evaluated by the same
 * kernel as its public function, so a draw gives the same bits as calling it.
 */
#include <math.h>
#include <stdlib.h>

#include "single_internal.h"

enum kind {
    K_OTHER, /* not prepared here: the public function is called */
    K_DISSIM,
    K_GINI,
    K_ENTROPY,
    K_ATKINSON,
    K_MIN_MAX,
    K_CONPROF,
    K_ISOLATION,
    K_EXPOSURE,
    K_CORRELATION,
    K_DELTA,
    K_ACO,
    K_RCO,
    K_ACE,
    K_RCE,
    K_PCC,
};

static const struct {
    qtr_index_fn fn;
    enum kind kind;
    double b; /* Atkinson's shape */
} known[] = {
    {qtr_dissimilarity, K_DISSIM, 0},
    {qtr_gini, K_GINI, 0},
    {qtr_entropy, K_ENTROPY, 0},
    {qtr_atkinson_b01, K_ATKINSON, 0.1},
    {qtr_atkinson_b05, K_ATKINSON, 0.5},
    {qtr_atkinson_b09, K_ATKINSON, 0.9},
    {qtr_min_max, K_MIN_MAX, 0},
    {qtr_concentration_profile, K_CONPROF, 0},
    {qtr_isolation, K_ISOLATION, 0},
    {qtr_exposure, K_EXPOSURE, 0},
    {qtr_correlation_ratio, K_CORRELATION, 0},
    {qtr_delta, K_DELTA, 0},
    {qtr_absolute_concentration, K_ACO, 0},
    {qtr_relative_concentration, K_RCO, 0},
    {qtr_absolute_centralization, K_ACE, 0},
    {qtr_relative_centralization, K_RCE, 0},
    {qtr_proportion_central, K_PCC, 0},
};

/* ln k for k below this from a table (8 MB at most); larger counts call log() */
enum { LOG_TABLE_MAX = 1 << 20 };

struct qtr_sg_batch {
    size_t n, nfn;
    const qtr_index_fn *fns;
    enum kind *kind;
    double *b;
    size_t *by_area, *by_dist; /* NULL when no index of the batch needs them */
    unsigned char *central;
    double A;
    double *logtab;
    size_t nlog;
    int need_shares;
};

struct qtr_sg_scratch {
    double *shares;
    size_t *order, *order_pop;
    double *suffix;
    uint64_t *a, *b;
    size_t *cnt;
};

void qtr_sg_batch_free(struct qtr_sg_batch *bt)
{
    if (!bt)
        return;
    free(bt->kind);
    free(bt->b);
    free(bt->by_area);
    free(bt->by_dist);
    free(bt->central);
    free(bt->logtab);
    free(bt);
}

static enum kind kind_of(qtr_index_fn fn, double *b)
{
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (known[k].fn == fn) {
            *b = known[k].b;
            return known[k].kind;
        }
    return K_OTHER;
}

/* The geometry-dependent parts; an index whose geometry does not pass the checks of its
 * public function falls back to that function (which then fails on every draw, as it
 * fails on the observed city). Returns 0 when out of memory. */
static int prepare_geometry(struct qtr_sg_batch *bt, const struct qtr_units *u)
{
    int want_area = 0, want_dist = 0, want_pcc = 0;
    for (size_t j = 0; j < bt->nfn; j++) {
        want_area |= bt->kind[j] == K_DELTA || bt->kind[j] == K_ACO || bt->kind[j] == K_RCO ||
                     bt->kind[j] == K_ACE;
        want_dist |= bt->kind[j] == K_ACE || bt->kind[j] == K_RCE;
        want_pcc |= bt->kind[j] == K_PCC;
    }
    int area_ok = want_area && qtr_sg_check_area(u, &bt->A, NULL) == QTR_OK;
    double cx0 = 0, cy0 = 0;
    int cent_ok = (want_dist || want_pcc) && qtr_sg_check_centroids(u, &cx0, &cy0, NULL) == QTR_OK;
    int pcc_ok = want_pcc && cent_ok && u->central_radius > 0 && isfinite(u->central_radius);
    for (size_t j = 0; j < bt->nfn; j++) {
        enum kind *k = &bt->kind[j];
        if ((*k == K_DELTA || *k == K_ACO || *k == K_RCO) && !area_ok)
            *k = K_OTHER;
        if (*k == K_ACE && !(area_ok && cent_ok))
            *k = K_OTHER;
        if (*k == K_RCE && !cent_ok)
            *k = K_OTHER;
        if (*k == K_PCC && !pcc_ok)
            *k = K_OTHER;
    }
    int need_asc = 0, need_dist = 0;
    for (size_t j = 0; j < bt->nfn; j++) {
        need_asc |= bt->kind[j] == K_ACO || bt->kind[j] == K_RCO;
        need_dist |= bt->kind[j] == K_ACE || bt->kind[j] == K_RCE;
    }
    size_t n = u->n;
    if (need_asc) {
        if (!(bt->by_area = malloc(n * sizeof *bt->by_area)))
            return 0;
        for (size_t i = 0; i < n; i++)
            bt->by_area[i] = i;
        qtr_sg_argsort(u->area, bt->by_area, n);
    }
    if (need_dist && qtr_sg_by_distance(u, &bt->by_dist, NULL) != QTR_OK)
        return 0; /* the centroids passed the check: only memory can fail */
    if (pcc_ok) {
        if (!(bt->central = malloc(n)))
            return 0;
        /* the test of qtr_proportion_central, district by district */
        const double r2 = u->central_radius * u->central_radius;
        for (size_t i = 0; i < n; i++) {
            double dx = u->cx[i] - cx0, dy = u->cy[i] - cy0;
            bt->central[i] = dx * dx + dy * dy <= r2;
        }
    }
    return 1;
}

struct qtr_sg_batch *qtr_sg_batch_new(const struct qtr_units *u, const qtr_index_fn *fns,
                                      size_t nfn)
{
    if (!u || u->n == 0 || !u->group || !u->total || nfn == 0)
        return NULL;
    struct qtr_sg_batch *bt = calloc(1, sizeof *bt);
    if (!bt)
        return NULL;
    bt->n = u->n;
    bt->nfn = nfn;
    bt->fns = fns;
    bt->kind = malloc(nfn * sizeof *bt->kind);
    bt->b = malloc(nfn * sizeof *bt->b);
    if (!bt->kind || !bt->b)
        goto fail;
    size_t nknown = 0;
    int want_log = 0;
    for (size_t j = 0; j < nfn; j++) {
        bt->b[j] = 0;
        bt->kind[j] = fns[j] ? kind_of(fns[j], &bt->b[j]) : K_OTHER;
        nknown += bt->kind[j] != K_OTHER;
        want_log |= bt->kind[j] == K_ATKINSON && bt->b[j] != 0.5;
        bt->need_shares |= bt->kind[j] == K_GINI || bt->kind[j] == K_CONPROF;
    }
    if (nknown == 0 || !prepare_geometry(bt, u))
        goto fail;
    if (want_log) {
        /* the counts of a draw stay below the largest district total (permutation and
         * bootstrap within districts); others fall back to log() */
        double tmax = 0;
        for (size_t i = 0; i < u->n; i++)
            if (u->total[i] > tmax)
                tmax = u->total[i];
        bt->nlog = tmax + 1.0 < (double)LOG_TABLE_MAX ? (size_t)tmax + 1 : LOG_TABLE_MAX;
        if (!(bt->logtab = malloc(bt->nlog * sizeof *bt->logtab)))
            goto fail;
        for (size_t k = 0; k < bt->nlog; k++)
            bt->logtab[k] = log((double)k);
    }
    return bt;
fail:
    qtr_sg_batch_free(bt);
    return NULL;
}

void qtr_sg_scratch_free(struct qtr_sg_scratch *sc)
{
    if (!sc)
        return;
    free(sc->shares);
    free(sc->order);
    free(sc->order_pop);
    free(sc->suffix);
    free(sc->a);
    free(sc->b);
    free(sc->cnt);
    free(sc);
}

struct qtr_sg_scratch *qtr_sg_scratch_new(const struct qtr_sg_batch *bt)
{
    struct qtr_sg_scratch *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    if (!bt->need_shares)
        return sc;
    size_t n = bt->n;
    sc->shares = malloc(n * sizeof *sc->shares);
    sc->order = malloc(n * sizeof *sc->order);
    sc->order_pop = malloc(n * sizeof *sc->order_pop);
    sc->suffix = malloc((n + 1) * sizeof *sc->suffix);
    sc->a = malloc(2 * n * sizeof *sc->a);
    sc->b = malloc(2 * n * sizeof *sc->b);
    sc->cnt = malloc(qtr_sg_argsort_cnt_size() * sizeof *sc->cnt);
    if (!sc->shares || !sc->order || !sc->order_pop || !sc->suffix || !sc->a || !sc->b ||
        !sc->cnt) {
        qtr_sg_scratch_free(sc);
        return NULL;
    }
    return sc;
}

/* The districts sorted by share (all n, ties by index: qtr_sg_gini_raw's order) and, taken
 * from it in the same order, those with residents (qtr_concentration_profile_m's order:
 * the radix sort is stable with ties by index, so filtering gives the same sequence). */
static size_t sort_shares(const struct qtr_units *u, struct qtr_sg_scratch *sc)
{
    size_t n = u->n, np = 0;
    for (size_t i = 0; i < n; i++) {
        sc->shares[i] = u->total[i] > 0 ? u->group[i] / u->total[i] : 0.0;
        sc->order[i] = i;
    }
    qtr_sg_argsort_buf(sc->shares, sc->order, n, sc->a, sc->b, sc->cnt);
    for (size_t k = 0; k < n; k++)
        if (u->total[sc->order[k]] > 0)
            sc->order_pop[np++] = sc->order[k];
    return np;
}

void qtr_sg_batch_eval(const struct qtr_sg_batch *bt, const struct qtr_units *su,
                       struct qtr_sg_scratch *sc, double *vals)
{
    struct qtr_sg_sums s;
    int ok = su->n == bt->n && qtr_sg_sums_nocheck(su, &s) == QTR_OK;
    int sorted = 0;
    size_t np = 0;
    for (size_t j = 0; j < bt->nfn; j++) {
        double v = NAN;
        if (!bt->fns[j]) {
            vals[j] = NAN;
            continue;
        }
        if (bt->kind[j] == K_OTHER) {
            struct qtr_error e;
            if (bt->fns[j](su, &v, &e) != QTR_OK)
                v = NAN;
            vals[j] = v;
            continue;
        }
        if (!ok) {
            vals[j] = NAN;
            continue;
        }
        if ((bt->kind[j] == K_GINI || bt->kind[j] == K_CONPROF) && !sorted) {
            np = sort_shares(su, sc);
            sorted = 1;
        }
        switch (bt->kind[j]) {
        case K_OTHER:
            break;
        case K_DISSIM:
            v = qtr_sg_dissim_core(su, &s);
            break;
        case K_GINI:
            v = qtr_sg_gini_ordered(su->n, su->group, su->total, sc->order, s.T, s.P);
            break;
        case K_ENTROPY:
            v = qtr_sg_entropy_core(su, &s);
            break;
        case K_ATKINSON:
            v = qtr_sg_atkinson_core(su, &s, bt->b[j], bt->logtab, bt->nlog);
            break;
        case K_MIN_MAX:
            v = qtr_sg_min_max_core(su, &s);
            break;
        case K_CONPROF:
            v = qtr_sg_conprof_core(su, &s, QTR_CONPROF_DEFAULT_M, sc->order_pop, np, sc->shares,
                                    sc->suffix);
            break;
        case K_ISOLATION:
            v = qtr_sg_isolation_core(su, &s);
            break;
        case K_EXPOSURE:
            v = qtr_sg_exposure_core(su, &s);
            break;
        case K_CORRELATION:
            /* qtr_correlation_ratio: (xPx - P) / (1 - P) */
            v = (qtr_sg_isolation_core(su, &s) - s.P) / (1.0 - s.P);
            break;
        case K_DELTA:
            v = qtr_sg_delta_core(su, &s, bt->A);
            break;
        case K_ACO:
        case K_RCO:
            if (qtr_sg_concentration_core(su, &s, bt->by_area, bt->kind[j] == K_RCO, &v, NULL) !=
                QTR_OK)
                v = NAN;
            break;
        case K_ACE:
            v = qtr_sg_centralization_core(su, &s, bt->by_dist, 1, bt->A);
            break;
        case K_RCE:
            v = qtr_sg_centralization_core(su, &s, bt->by_dist, 0, 0.0);
            break;
        case K_PCC: {
            /* qtr_proportion_central: the group in the central districts over X */
            struct qtr_ksum k = {0, 0};
            for (size_t i = 0; i < su->n; i++)
                if (bt->central[i])
                    qtr_ksum_add(&k, su->group[i]);
            v = qtr_ksum_get(&k) / s.X;
            break;
        }
        }
        vals[j] = isfinite(v) ? v : NAN;
    }
}
