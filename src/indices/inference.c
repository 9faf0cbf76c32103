/*
 * inference.c - null distributions and bootstrap intervals (the variates are in
 * infer_variates.c, the two-sample test in infer_compare.c, the Shapley decomposition of a
 * change in M in shapley.c).
 *
 * Randomness: every simulated data set d draws from its own xoshiro256**
 * stream seeded by splitmix64 from (seed, d) (Blackman & Vigna 2021), so the
 * OpenMP schedule cannot change any result. The random-number calls go
 * through rng_seed / rng_u64 / rng_uniform / rng_below only, so a project-wide
 * rng.h can replace them.
 *
 * Discrete variates are exact: inversion searching outwards from the mode
 * (Kemp 1986) when the variance is small, Stadlober's ratio of uniforms when
 * it is large, so a variate costs O(1) expected time, a simulated city
 * O(n K) (never O(T)), with O(n K) memory per thread whatever the population.
 */
#include "quartier/inference.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "quartier/multigroup.h"
#include "quartier/rng.h"
#include "infer_internal.h"
#include "single_internal.h"

/* Random numbers come from quartier/rng.h: xoshiro256**, one stream per draw. */

/* ---- the data as whole people ------------------------------------------------------ */

struct base {
    size_t n, K; /* districts, categories (2 in single-group mode) */
    int multigroup;
    int64_t *cnt;  /* n*K, row-major */
    int64_t *tot;  /* n */
    int64_t *gtot; /* K */
    int64_t T;
    const struct qtr_units *src;
};

static void base_release(struct base *b)
{
    free(b->cnt);
    free(b->tot);
    free(b->gtot);
    memset(b, 0, sizeof *b);
}

static int whole(double x, int64_t *out)
{
    if (!isfinite(x) || x < -1e-6 || x > 9.0e15)
        return 0;
    double r = nearbyint(x);
    if (fabs(x - r) > 1e-6)
        return 0;
    *out = (int64_t)r;
    return 1;
}

static int base_init(const struct qtr_units *u, int multigroup, struct base *b,
                     struct qtr_error *err)
{
    memset(b, 0, sizeof *b);
    b->src = u;
    b->multigroup = multigroup;
    b->n = u->n;
    if (multigroup) {
        if (!u->groups || u->ngroups < 1)
            return qtr_error_set(err, QTR_ERR_USAGE, "multigroup inference needs group counts");
        b->K = u->ngroups;
    } else {
        if (!u->group || !u->total)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "single-group inference needs group and total counts");
        b->K = 2;
    }
    if (b->n == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "inference needs at least one district");
    b->cnt = malloc(b->n * b->K * sizeof *b->cnt);
    b->tot = calloc(b->n, sizeof *b->tot);
    b->gtot = calloc(b->K, sizeof *b->gtot);
    if (!b->cnt || !b->tot || !b->gtot) {
        base_release(b);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory preparing the simulation");
    }
    for (size_t i = 0; i < b->n; i++) {
        if (multigroup) {
            for (size_t k = 0; k < b->K; k++) {
                int64_t c;
                if (!whole(u->groups[k][i], &c)) {
                    double bad = u->groups[k][i];
                    base_release(b);
                    return qtr_error_set(err, QTR_ERR_DATA,
                                         "simulation needs whole, non-negative counts: group %zu "
                                         "in district %zu is %g",
                                         k + 1, i + 1, bad);
                }
                b->cnt[i * b->K + k] = c;
                b->tot[i] += c;
            }
        } else {
            int64_t g, t;
            if (!whole(u->group[i], &g) || !whole(u->total[i], &t) || g > t) {
                double bg = u->group[i], bt = u->total[i];
                base_release(b);
                return qtr_error_set(err, QTR_ERR_DATA,
                                     "simulation needs whole, non-negative counts with group <= "
                                     "total: district %zu has group %g of total %g",
                                     i + 1, bg, bt);
            }
            b->cnt[i * 2] = g;
            b->cnt[i * 2 + 1] = t - g;
            b->tot[i] = t;
        }
        for (size_t k = 0; k < b->K; k++)
            b->gtot[k] += b->cnt[i * b->K + k];
        b->T += b->tot[i];
    }
    if (b->T <= 0) {
        base_release(b);
        return qtr_error_set(err, QTR_ERR_DOMAIN, "inference needs residents (the total is 0)");
    }
    return QTR_OK;
}

void qtr_infer_work_release(struct work *w)
{
    free(w->g);
    free(w->tot);
    free(w->gp);
    free(w->area);
    free(w->cx);
    free(w->cy);
    free(w->left);
    memset(w, 0, sizeof *w);
}

/* Buffers for data sets of n districts shaped like `like` (copies its geometry pointers). */
int qtr_infer_work_init(struct work *w, size_t n, size_t K, int multigroup,
                     const struct qtr_units *like, int own_geometry)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    w->K = K;
    w->g = malloc((n ? n : 1) * K * sizeof *w->g);
    w->tot = malloc((n ? n : 1) * sizeof *w->tot);
    w->gp = malloc(K * sizeof *w->gp);
    w->left = malloc(K * sizeof *w->left);
    if (!w->g || !w->tot || !w->gp || !w->left)
        goto fail;
    for (size_t k = 0; k < K; k++)
        w->gp[k] = w->g + k * n;
    w->su = *like;
    w->su.n = n;
    w->su.total = w->tot;
    if (multigroup) {
        w->su.groups = (const double *const *)w->gp;
        w->su.ngroups = K;
        w->su.group = NULL;
    } else {
        w->su.group = w->g;
        w->su.groups = NULL;
        w->su.ngroups = 0;
    }
    if (own_geometry) {
        if (like->area && !(w->area = malloc(n * sizeof *w->area)))
            goto fail;
        if (like->cx && !(w->cx = malloc(n * sizeof *w->cx)))
            goto fail;
        if (like->cy && !(w->cy = malloc(n * sizeof *w->cy)))
            goto fail;
        w->su.area = w->area;
        w->su.cx = w->cx;
        w->su.cy = w->cy;
    }
    return 1;
fail:
    qtr_infer_work_release(w);
    return 0;
}

static inline void put(struct work *w, size_t i, size_t k, double v)
{
    w->g[k * w->n + i] = v;
}

/* Fill w->tot from the categories (group + other, or the sum of the groups). */
void qtr_infer_work_totals(struct work *w)
{
    for (size_t i = 0; i < w->n; i++) {
        double t = 0.0;
        for (size_t k = 0; k < w->K; k++)
            t += w->g[k * w->n + i];
        w->tot[i] = t;
    }
}

/* Sequential conditional binomials: multinomial(t, probs) into row i (Devroye 1986, XI.1.4). */
static void multinomial_row(struct qtr_rng *r, const struct lfact *lf, struct work *w, size_t i,
                            int64_t t, const double *prob, size_t K)
{
    double rest = 1.0;
    int64_t left = t;
    for (size_t k = 0; k < K; k++) {
        int64_t x;
        if (k + 1 == K || left == 0) {
            x = k + 1 == K ? left : 0;
        } else {
            double pc = rest > 0.0 ? prob[k] / rest : 0.0;
            x = qtr_infer_rbinom(r, lf, left, pc > 1.0 ? 1.0 : pc);
        }
        put(w, i, k, (double)x);
        left -= x;
        rest -= prob[k];
    }
}

static void simulate(const struct base *b, enum qtr_null_model null, const double *P,
                     const struct lfact *lf, struct qtr_rng *r, struct work *w)
{
    size_t n = b->n, K = b->K;
    switch (null) {
    case QTR_NULL_PERMUTATION: {
        /* Fill districts one after another from the remaining pool: multivariate
         * hypergeometric as a chain of univariate ones. */
        int64_t pool = b->T;
        for (size_t k = 0; k < K; k++)
            w->left[k] = b->gtot[k];
        for (size_t i = 0; i < n; i++) {
            int64_t need = b->tot[i], sub = pool;
            for (size_t k = 0; k < K; k++) {
                int64_t x = k + 1 == K ? need : qtr_infer_rhyper(r, lf, sub, w->left[k], need);
                put(w, i, k, (double)x);
                sub -= w->left[k];
                w->left[k] -= x;
                need -= x;
            }
            pool -= b->tot[i];
        }
        break;
    }
    case QTR_NULL_EVENNESS:
        for (size_t i = 0; i < n; i++)
            multinomial_row(r, lf, w, i, b->tot[i], P, K);
        break;
    case QTR_NULL_SYSTEMATIC:
        for (size_t k = 0; k < K; k++) {
            int64_t left = b->gtot[k], rest = b->T;
            for (size_t i = 0; i < n; i++) {
                int64_t x = rest > 0 ? qtr_infer_rbinom(r, lf, left, (double)b->tot[i] / (double)rest) : 0;
                if (i + 1 == n)
                    x = left;
                put(w, i, k, (double)x);
                left -= x;
                rest -= b->tot[i];
            }
        }
        break;
    case QTR_NULL_BOOTSTRAP:
        for (size_t i = 0; i < n; i++) {
            size_t j = (size_t)qtr_rng_below(r, n);
            for (size_t k = 0; k < K; k++)
                put(w, i, k, (double)b->cnt[j * K + k]);
            if (w->area)
                w->area[i] = b->src->area[j];
            if (w->cx)
                w->cx[i] = b->src->cx[j];
            if (w->cy)
                w->cy[i] = b->src->cy[j];
        }
        break;
    }
    qtr_infer_work_totals(w);
}

/* Resample each district from its own composition (bootstrap of individuals). With two
 * categories the row is one Binomial(t_i, x_i/t_i), whose constants `prep` holds for every
 * district (computed once for all draws; the same variates as multinomial_row). */
static void resample_within(const struct base *b, const struct lfact *lf, struct qtr_rng *r,
                            struct work *w, double *prob, const struct qtr_binom_prep *prep)
{
    if (prep) {
        for (size_t i = 0; i < b->n; i++) {
            int64_t x = qtr_infer_binom_draw(r, lf, &prep[i]);
            put(w, i, 0, (double)x);
            put(w, i, 1, (double)(b->tot[i] - x));
        }
        qtr_infer_work_totals(w);
        return;
    }
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = 0; k < b->K; k++)
            prob[k] = b->tot[i] > 0 ? (double)b->cnt[i * b->K + k] / (double)b->tot[i] : 0.0;
        multinomial_row(r, lf, w, i, b->tot[i], prob, b->K);
    }
    qtr_infer_work_totals(w);
}

int qtr_infer_nthreads(const struct qtr_infer_options *opt)
{
#ifdef _OPENMP
    return opt->threads > 0 ? opt->threads : omp_get_max_threads();
#else
    (void)opt;
    return 1;
#endif
}

enum sim_kind { SIM_NULL, SIM_BOOT_CI };

/* Run the draws in parallel; every draw is one simulated data set (stream d of opt->seed) on
 * which each of the nfn indices is evaluated: sims[j * draws + d] = index j on draw d, or NAN.
 * Which index sees which data set does not depend on the thread count or on the other
 * indices of the batch. */
static int run_draws(const struct base *b, const qtr_index_fn *fns, size_t nfn,
                     enum sim_kind kind, enum qtr_null_model null,
                     const struct qtr_infer_options *opt, double *sims, struct qtr_error *err)
{
    struct lfact *lf = malloc(sizeof *lf);
    double *P = malloc(b->K * sizeof *P);
    if (!lf || !P) {
        free(lf);
        free(P);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory preparing the simulation");
    }
    qtr_infer_lfact_init(lf);
    for (size_t k = 0; k < b->K; k++)
        P[k] = (double)b->gtot[k] / (double)b->T;
    struct qtr_binom_prep *prep = NULL;
    if (kind == SIM_BOOT_CI && b->K == 2 && (prep = malloc(b->n * sizeof *prep)))
        for (size_t i = 0; i < b->n; i++) {
            /* multinomial_row's first binomial: p = x_i/t_i, capped at 1 */
            double pc = b->tot[i] > 0 ? (double)b->cnt[i * 2] / (double)b->tot[i] / 1.0 : 0.0;
            qtr_infer_binom_prep(lf, b->tot[i], pc > 1.0 ? 1.0 : pc, &prep[i]);
        }
    int failed = 0;
    long draws = (long)opt->draws;
    int own_geometry = kind == SIM_NULL && null == QTR_NULL_BOOTSTRAP;
    /* single-group indices on a fixed geometry: prepared once for all draws
     * (single_batch.c; the same values as calling each function) */
    struct qtr_sg_batch *batch =
        !b->multigroup && !own_geometry ? qtr_sg_batch_new(b->src, fns, nfn) : NULL;
#pragma omp parallel num_threads(qtr_infer_nthreads(opt))
    {
        struct work w;
        double *prob = malloc(b->K * sizeof *prob);
        struct qtr_sg_scratch *sc = batch ? qtr_sg_scratch_new(batch) : NULL;
        double *vals = batch ? malloc(nfn * sizeof *vals) : NULL;
        int wok = qtr_infer_work_init(&w, b->n, b->K, b->multigroup, b->src, own_geometry);
        int ok = wok && prob && (!batch || (sc && vals));
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
            if (kind == SIM_NULL)
                simulate(b, null, P, lf, &r, &w);
            else
                resample_within(b, lf, &r, &w, prob, prep);
            if (batch) {
                qtr_sg_batch_eval(batch, &w.su, sc, vals);
                for (size_t j = 0; j < nfn; j++)
                    sims[j * (size_t)draws + (size_t)d] = vals[j];
                continue;
            }
            for (size_t j = 0; j < nfn; j++) {
                struct qtr_error e;
                double v = NAN;
                if (!fns[j] || fns[j](&w.su, &v, &e) != QTR_OK || !isfinite(v))
                    v = NAN;
                sims[j * (size_t)draws + (size_t)d] = v;
            }
        }
        if (wok)
            qtr_infer_work_release(&w);
        free(prob);
        qtr_sg_scratch_free(sc);
        free(vals);
    }
    qtr_sg_batch_free(batch);
    free(lf);
    free(prep);
    free(P);
    if (failed)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the simulation");
    return QTR_OK;
}

int qtr_infer_check_opts(const struct qtr_units *u, qtr_index_fn fn,
                      const struct qtr_infer_options *opt, struct qtr_error *err)
{
    if (!u || !fn || !opt)
        return qtr_error_set(err, QTR_ERR_USAGE, "inference called without data or index");
    if (opt->draws == 0)
        return qtr_error_set(err, QTR_ERR_USAGE, "inference needs at least one draw (got 0)");
    return QTR_OK;
}

/* The p-value, mean and sd of one index's draws against its observed value. */
static int summarise_null(double obs, const double *sims, unsigned draws,
                          struct qtr_infer_result *res, struct qtr_error *err)
{
    unsigned valid = 0, ge = 0, le = 0;
    double mean = 0.0, m2 = 0.0;
    for (unsigned d = 0; d < draws; d++) {
        double v = sims[d];
        if (isnan(v))
            continue;
        valid++;
        /* Welford's running mean and variance, in draw order (thread-independent). */
        double delta = v - mean;
        mean += delta / valid;
        m2 += delta * (v - mean);
        ge += v >= obs;
        le += v <= obs;
    }
    if (valid == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the index was not defined on any of the %u simulated data sets",
                             draws);
    res->observed = obs;
    res->expected = mean;
    res->sd = valid > 1 ? sqrt(m2 / (valid - 1)) : 0.0;
    res->p_value = (1.0 + ge) / (1.0 + valid);
    res->p_lower = (1.0 + le) / (1.0 + valid);
    res->valid = valid;
    return QTR_OK;
}

/* The first index of a batch that is there (NULL entries are skipped). */
static qtr_index_fn first_fn(const qtr_index_fn *fns, size_t nfn)
{
    for (size_t j = 0; j < nfn; j++)
        if (fns[j])
            return fns[j];
    return NULL;
}

static int check_null(enum qtr_null_model null, struct qtr_error *err)
{
    if (null != QTR_NULL_PERMUTATION && null != QTR_NULL_EVENNESS && null != QTR_NULL_SYSTEMATIC &&
        null != QTR_NULL_BOOTSTRAP)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown null model %d", (int)null);
    return QTR_OK;
}

int qtr_infer_null(const struct qtr_units *u, qtr_index_fn fn, enum qtr_null_model null,
                   const struct qtr_infer_options *opt, struct qtr_infer_result *res, double *sims,
                   struct qtr_error *err)
{
    int rc = qtr_infer_check_opts(u, fn, opt, err);
    if (rc || (rc = check_null(null, err)))
        return rc;
    double obs;
    rc = fn(u, &obs, err);
    if (rc)
        return rc;
    struct base b;
    rc = base_init(u, opt->multigroup, &b, err);
    if (rc)
        return rc;
    double *own = NULL;
    if (!sims) {
        own = malloc(opt->draws * sizeof *own);
        if (!own) {
            base_release(&b);
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %u draws", opt->draws);
        }
        sims = own;
    }
    rc = run_draws(&b, &fn, 1, SIM_NULL, null, opt, sims, err);
    if (rc == QTR_OK)
        rc = summarise_null(obs, sims, opt->draws, res, err);
    free(own);
    base_release(&b);
    return rc;
}

int qtr_infer_null_many(const struct qtr_units *u, const qtr_index_fn *fns, size_t nfn,
                        enum qtr_null_model null, const struct qtr_infer_options *opt,
                        struct qtr_infer_result *res, int *status, struct qtr_error *errs,
                        struct qtr_error *err)
{
    if (nfn == 0)
        return QTR_OK;
    int rc = qtr_infer_check_opts(u, first_fn(fns, nfn), opt, err);
    if (rc || (rc = check_null(null, err)))
        return rc;
    struct base b;
    rc = base_init(u, opt->multigroup, &b, err);
    if (rc)
        return rc;
    double *obs = malloc(nfn * sizeof *obs);
    double *sims = malloc(nfn * opt->draws * sizeof *sims);
    qtr_index_fn *run = malloc(nfn * sizeof *run);
    if (!obs || !sims || !run) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %zu x %u draws", nfn,
                           opt->draws);
        goto out;
    }
    /* indices undefined on the data are not simulated */
    for (size_t j = 0; j < nfn; j++) {
        qtr_error_clear(&errs[j]);
        status[j] = fns[j] ? fns[j](u, &obs[j], &errs[j]) : QTR_ERR_USAGE;
        if (status[j] == QTR_ERR_NOMEM) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s", errs[j].msg);
            goto out;
        }
        run[j] = status[j] == QTR_OK ? fns[j] : NULL;
    }
    size_t nrun = 0;
    for (size_t j = 0; j < nfn; j++)
        nrun += run[j] != NULL;
    if (nrun == 0)
        goto out;
    rc = run_draws(&b, run, nfn, SIM_NULL, null, opt, sims, err);
    if (rc)
        goto out;
    for (size_t j = 0; j < nfn; j++)
        if (status[j] == QTR_OK)
            status[j] = summarise_null(obs[j], sims + j * opt->draws, opt->draws, &res[j],
                                       &errs[j]);
out:
    free(obs);
    free(sims);
    free(run);
    base_release(&b);
    return rc;
}

int qtr_infer_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.quantile's default ("linear"): position q (m - 1) in the sorted values. */
double qtr_infer_quantile_sorted(const double *v, size_t m, double q)
{
    double pos = q * (double)(m - 1);
    size_t lo = (size_t)floor(pos);
    if (lo + 1 >= m)
        return v[m - 1];
    double f = pos - (double)lo;
    return v[lo] + f * (v[lo + 1] - v[lo]);
}

/* The percentile interval of one index's draws; sorted: scratch of `draws`. */
static int summarise_ci(const double *sims, unsigned draws, double level, double *sorted,
                        double *low, double *high, struct qtr_error *err)
{
    size_t m = 0;
    for (unsigned d = 0; d < draws; d++)
        if (!isnan(sims[d]))
            sorted[m++] = sims[d];
    if (m == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the index was not defined on any of the %u bootstrap samples",
                             draws);
    qsort(sorted, m, sizeof *sorted, qtr_infer_cmp_double);
    *low = qtr_infer_quantile_sorted(sorted, m, (1.0 - level) / 2.0);
    *high = qtr_infer_quantile_sorted(sorted, m, (1.0 + level) / 2.0);
    return QTR_OK;
}

static int check_level(double level, struct qtr_error *err)
{
    if (!(level > 0.0 && level < 1.0))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "confidence level must be between 0 and 1 (got %g)", level);
    return QTR_OK;
}

int qtr_infer_bootstrap_ci(const struct qtr_units *u, qtr_index_fn fn,
                           const struct qtr_infer_options *opt, double level, double *low,
                           double *high, double *sims, struct qtr_error *err)
{
    int rc = qtr_infer_check_opts(u, fn, opt, err);
    if (rc || (rc = check_level(level, err)))
        return rc;
    struct base b;
    rc = base_init(u, opt->multigroup, &b, err);
    if (rc)
        return rc;
    double *own = NULL, *sorted = malloc(opt->draws * sizeof *sorted);
    if (!sims)
        sims = own = malloc(opt->draws * sizeof *own);
    if (!sims || !sorted) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %u draws", opt->draws);
        goto out;
    }
    rc = run_draws(&b, &fn, 1, SIM_BOOT_CI, QTR_NULL_PERMUTATION, opt, sims, err);
    if (rc == QTR_OK)
        rc = summarise_ci(sims, opt->draws, level, sorted, low, high, err);
out:
    free(own);
    free(sorted);
    base_release(&b);
    return rc;
}

int qtr_infer_bootstrap_ci_many(const struct qtr_units *u, const qtr_index_fn *fns, size_t nfn,
                                const struct qtr_infer_options *opt, double level, double *low,
                                double *high, int *status, struct qtr_error *errs,
                                struct qtr_error *err)
{
    if (nfn == 0)
        return QTR_OK;
    int rc = qtr_infer_check_opts(u, first_fn(fns, nfn), opt, err);
    if (rc || (rc = check_level(level, err)))
        return rc;
    struct base b;
    rc = base_init(u, opt->multigroup, &b, err);
    if (rc)
        return rc;
    double *sims = malloc(nfn * opt->draws * sizeof *sims);
    double *sorted = malloc(opt->draws * sizeof *sorted);
    if (!sims || !sorted) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %zu x %u draws", nfn,
                           opt->draws);
        goto out;
    }
    rc = run_draws(&b, fns, nfn, SIM_BOOT_CI, QTR_NULL_PERMUTATION, opt, sims, err);
    if (rc)
        goto out;
    for (size_t j = 0; j < nfn; j++) {
        qtr_error_clear(&errs[j]);
        status[j] = fns[j] ? summarise_ci(sims + j * opt->draws, opt->draws, level, sorted,
                                          &low[j], &high[j], &errs[j])
                           : QTR_ERR_USAGE;
    }
out:
    free(sims);
    free(sorted);
    base_release(&b);
    return rc;
}

