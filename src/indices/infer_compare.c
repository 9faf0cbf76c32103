/*
 * infer_compare.c - the two-sample comparison of an index (qtr_infer_compare, inference.h):
 * random-label permutations and the counterfactual composition.
 */
#include "quartier/inference.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "quartier/rng.h"
#include "infer_internal.h"

/* ---- two-sample comparison ---------------------------------------------------------- */

/* Column-wise copy of a data set into contiguous arrays (K categories as doubles). */
struct pooled {
    size_t n, K;
    int multigroup;
    double *g;              /* K*n column-major */
    double *tot;            /* n (single-group mode) */
    double *area, *cx, *cy; /* n or NULL */
};

static void pooled_release(struct pooled *p)
{
    free(p->g);
    free(p->tot);
    free(p->area);
    free(p->cx);
    free(p->cy);
    memset(p, 0, sizeof *p);
}

static int pooled_init(struct pooled *p, const struct qtr_units *a, const struct qtr_units *b,
                       int multigroup)
{
    memset(p, 0, sizeof *p);
    p->n = a->n + (b ? b->n : 0);
    p->K = multigroup ? a->ngroups : 1;
    p->multigroup = multigroup;
    p->g = malloc(p->n * p->K * sizeof *p->g);
    p->tot = malloc(p->n * sizeof *p->tot);
    int geo_area = a->area && (!b || b->area), geo_c = a->cx && a->cy && (!b || (b->cx && b->cy));
    if (geo_area)
        p->area = malloc(p->n * sizeof *p->area);
    if (geo_c) {
        p->cx = malloc(p->n * sizeof *p->cx);
        p->cy = malloc(p->n * sizeof *p->cy);
    }
    if (!p->g || !p->tot || (geo_area && !p->area) || (geo_c && (!p->cx || !p->cy))) {
        pooled_release(p);
        return 0;
    }
    const struct qtr_units *src[2] = {a, b};
    size_t off = 0;
    for (int s = 0; s < 2; s++) {
        const struct qtr_units *u = src[s];
        if (!u)
            continue;
        for (size_t i = 0; i < u->n; i++) {
            double t = 0.0;
            for (size_t k = 0; k < p->K; k++) {
                double v = multigroup ? u->groups[k][i] : u->group[i];
                p->g[k * p->n + off + i] = v;
                t += v;
            }
            p->tot[off + i] = multigroup ? t : u->total[i];
            if (p->area)
                p->area[off + i] = u->area[i];
            if (p->cx) {
                p->cx[off + i] = u->cx[i];
                p->cy[off + i] = u->cy[i];
            }
        }
        off += u->n;
    }
    return 1;
}

/* Gather districts idx[0..m) of the pool into w (whose n is m). */
static void gather(const struct pooled *p, const size_t *idx, size_t m, struct work *w)
{
    for (size_t j = 0; j < m; j++) {
        size_t i = idx[j];
        for (size_t k = 0; k < p->K; k++)
            w->g[k * m + j] = p->g[k * p->n + i];
        w->tot[j] = p->tot[i];
        if (w->area)
            w->area[j] = p->area[i];
        if (w->cx) {
            w->cx[j] = p->cx[i];
            w->cy[j] = p->cy[i];
        }
    }
}

static int work_for(struct work *w, const struct pooled *p, size_t m, const struct qtr_units *like)
{
    struct qtr_units l = *like;
    l.area = p->area;
    l.cx = p->cx;
    l.cy = p->cy;
    return qtr_infer_work_init(w, m, p->K, p->multigroup, &l, 1);
}

/* Share of the group in each district (0 where empty). */
static double share(const struct qtr_units *u, size_t i)
{
    return u->total[i] > 0.0 ? u->group[i] / u->total[i] : 0.0;
}

struct rank_item {
    double v;
    size_t i;
};

static int cmp_rank(const void *a, const void *b)
{
    const struct rank_item *x = a, *y = b;
    if (x->v != y->v)
        return (x->v > y->v) - (x->v < y->v);
    return (x->i > y->i) - (x->i < y->i);
}

/*
 * PySAL sim_composition: group count of district i of `from` if it had the share
 * found at its own percentile in `to`: quantile_to(rank_pct(s_i)) * t_i, with
 * pandas' rank(pct=True) (average ranks / n) and Series.quantile (linear).
 */
static int counterfactual_composition(const struct qtr_units *from, const struct qtr_units *to,
                                      double *cf)
{
    size_t n = from->n, m = to->n;
    struct rank_item *r = malloc(n * sizeof *r);
    double *ts = malloc(m * sizeof *ts);
    if (!r || !ts) {
        free(r);
        free(ts);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        r[i].v = share(from, i);
        r[i].i = i;
    }
    for (size_t j = 0; j < m; j++)
        ts[j] = share(to, j);
    qsort(r, n, sizeof *r, cmp_rank);
    qsort(ts, m, sizeof *ts, qtr_infer_cmp_double);
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e + 1 < n && r[e + 1].v == r[s].v)
            e++;
        /* average 1-based rank of the tie block */
        double pct = ((double)(s + 1) + (double)(e + 1)) / 2.0 / (double)n;
        double q = qtr_infer_quantile_sorted(ts, m, pct);
        for (size_t t = s; t <= e; t++)
            cf[r[t].i] = q * from->total[r[t].i];
        s = e + 1;
    }
    free(r);
    free(ts);
    return 1;
}

int qtr_infer_compare(const struct qtr_units *a, const struct qtr_units *b, qtr_index_fn fn,
                      enum qtr_compare_method method, const struct qtr_infer_options *opt,
                      struct qtr_compare_result *res, double *sims, struct qtr_error *err)
{
    int rc = qtr_infer_check_opts(a, fn, opt, err);
    if (rc)
        return rc;
    if (!b)
        return qtr_error_set(err, QTR_ERR_USAGE, "comparison needs two data sets");
    if (method == QTR_COMPARE_COMPOSITION && opt->multigroup)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "the counterfactual composition test is defined for one group "
                             "against the rest only (as in PySAL); use random labelling");
    if (opt->multigroup && (a->ngroups != b->ngroups || !a->groups || !b->groups))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "the two data sets must list the same groups (%zu vs %zu)", a->ngroups,
                             b->ngroups);
    if (!opt->multigroup && (!a->group || !a->total || !b->group || !b->total))
        return qtr_error_set(err, QTR_ERR_USAGE, "single-group comparison needs group and total");
    if (method != QTR_COMPARE_RANDOM_LABEL && method != QTR_COMPARE_COMPOSITION)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown comparison method %d", (int)method);
    double va, vb;
    if ((rc = fn(a, &va, err)) != QTR_OK) {
        qtr_error_prefix(err, "first data set");
        return rc;
    }
    if ((rc = fn(b, &vb, err)) != QTR_OK) {
        qtr_error_prefix(err, "second data set");
        return rc;
    }
    double diff = va - vb;
    struct pooled pool;
    double *cfa = NULL, *cfb = NULL, *own = NULL;
    if (!pooled_init(&pool, a, b, opt->multigroup))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory pooling the data sets");
    if (!sims)
        sims = own = malloc(opt->draws * sizeof *own);
    if (!sims) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %u draws", opt->draws);
        goto out;
    }
    if (method == QTR_COMPARE_COMPOSITION) {
        cfa = malloc(a->n * sizeof *cfa);
        cfb = malloc(b->n * sizeof *cfb);
        if (!cfa || !cfb || !counterfactual_composition(a, b, cfa) ||
            !counterfactual_composition(b, a, cfb)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory building counterfactuals");
            goto out;
        }
    }
    size_t na = a->n, nb = b->n, ntot = na + nb;
    int failed = 0;
    long draws = (long)opt->draws;
#pragma omp parallel num_threads(qtr_infer_nthreads(opt))
    {
        struct work wa, wb;
        size_t *idx = malloc(ntot * sizeof *idx);
        int oka = work_for(&wa, &pool, na, a);
        int okb = work_for(&wb, &pool, nb, b);
        int ok = oka && okb && idx;
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (long d = 0; d < draws; d++) {
            if (!ok)
                continue;
            struct qtr_rng r;
            qtr_rng_seed(&r, opt->seed, (uint64_t)d);
            if (method == QTR_COMPARE_RANDOM_LABEL) {
                for (size_t i = 0; i < ntot; i++)
                    idx[i] = i;
                for (size_t i = ntot - 1; i > 0; i--) {
                    size_t j = (size_t)qtr_rng_below(&r, (uint64_t)i + 1);
                    size_t t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                }
                gather(&pool, idx, na, &wa);
                gather(&pool, idx + na, nb, &wb);
            } else {
                /* PySAL _estimate_counterfac_difference: a fair coin per district
                 * keeps the observed count or takes the counterfactual one. */
                for (size_t i = 0; i < ntot; i++)
                    idx[i] = i;
                gather(&pool, idx, na, &wa);
                gather(&pool, idx + na, nb, &wb);
                for (size_t i = 0; i < na; i++)
                    if (!(qtr_rng_uniform(&r) > 0.5))
                        wa.g[i] = cfa[i];
                for (size_t i = 0; i < nb; i++)
                    if (!(qtr_rng_uniform(&r) > 0.5))
                        wb.g[i] = cfb[i];
            }
            if (opt->multigroup) {
                qtr_infer_work_totals(&wa);
                qtr_infer_work_totals(&wb);
            }
            struct qtr_error e;
            double x = NAN, y = NAN;
            if (fn(&wa.su, &x, &e) != QTR_OK || fn(&wb.su, &y, &e) != QTR_OK)
                sims[d] = NAN;
            else
                sims[d] = isfinite(x - y) ? x - y : NAN;
        }
        if (oka)
            qtr_infer_work_release(&wa);
        if (okb)
            qtr_infer_work_release(&wb);
        free(idx);
    }
    if (failed) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the comparison");
        goto out;
    }
    unsigned valid = 0, ge = 0, le = 0;
    double mean = 0.0;
    for (unsigned d = 0; d < opt->draws; d++) {
        if (isnan(sims[d]))
            continue;
        valid++;
        mean += (sims[d] - mean) / valid;
        ge += sims[d] >= diff;
        le += sims[d] <= diff;
    }
    if (valid == 0) {
        rc =
            qtr_error_set(err, QTR_ERR_DOMAIN,
                          "the index was not defined on any of the %u simulated pairs", opt->draws);
        goto out;
    }
    res->value_a = va;
    res->value_b = vb;
    res->difference = diff;
    res->expected = mean;
    res->p_value = fmin(1.0, 2.0 * (1.0 + (ge < le ? ge : le)) / (1.0 + valid));
    res->valid = valid;
    rc = QTR_OK;
out:
    free(own);
    free(cfa);
    free(cfb);
    pooled_release(&pool);
    return rc;
}
