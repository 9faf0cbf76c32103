/*
 * inference.c - null distributions, bootstrap intervals and two-sample tests (the
 * Shapley decomposition of a change in M is in shapley.c).
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

/* Random numbers come from quartier/rng.h: xoshiro256**, one stream per draw. */

/* ---- log factorials ------------------------------------------------------------ */

#define LF_TABLE 1024

struct lfact {
    double tab[LF_TABLE];
};

static void lfact_init(struct lfact *lf)
{
    lf->tab[0] = 0.0;
    for (int k = 1; k < LF_TABLE; k++)
        lf->tab[k] = lf->tab[k - 1] + log((double)k);
}

/*
 * ln k! ; beyond the table by Stirling's series for ln Γ(x), x = k+1 >= 1024
 * (Abramowitz & Stegun 6.1.41), truncation error < 1/(1680 x^7) < 1e-23.
 * Thread-safe, unlike lgamma (which writes signgam).
 */
static inline double lfact(const struct lfact *lf, int64_t k)
{
    if (k < LF_TABLE)
        return lf->tab[k];
    double x = (double)k + 1.0, x2 = x * x;
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 +
           (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * x2)) / x2) / x;
}

/* Binomial(n, p) by inversion from the mode. */
static int64_t rbinom_search(struct qtr_rng *r, const struct lfact *lf, int64_t n, double p)
{
    if (n <= 0 || p <= 0.0)
        return 0;
    if (p >= 1.0)
        return n;
    double q = 1.0 - p;
    int64_t m = (int64_t)floor((double)(n + 1) * p);
    if (m > n)
        m = n;
    double pm = exp(lfact(lf, n) - lfact(lf, m) - lfact(lf, n - m) + (double)m * log(p) +
                    (double)(n - m) * log1p(-p));
    double u = qtr_rng_uniform(r) - pm;
    if (u < 0.0)
        return m;
    int64_t lo = m, hi = m;
    double flo = pm, fhi = pm, pq = p / q, qp = q / p;
    for (;;) {
        int moved = 0;
        if (lo > 0 && flo > 0.0) {
            flo *= (double)lo / (double)(n - lo + 1) * qp;
            lo--;
            u -= flo;
            if (u < 0.0)
                return lo;
            moved = 1;
        }
        if (hi < n && fhi > 0.0) {
            fhi *= (double)(n - hi) / (double)(hi + 1) * pq;
            hi++;
            u -= fhi;
            if (u < 0.0)
                return hi;
            moved = 1;
        }
        if (!moved)
            return m; /* the rest of the mass is below rounding */
    }
}

/* Hypergeometric: successes among `draws` taken without replacement from N holding K. */
static int64_t rhyper_search(struct qtr_rng *r, const struct lfact *lf, int64_t N, int64_t K,
                             int64_t draws)
{
    if (draws <= 0 || K <= 0)
        return 0;
    if (K >= N)
        return draws;
    if (draws >= N)
        return K;
    int64_t F = N - K;
    int64_t lo_b = draws - F > 0 ? draws - F : 0;
    int64_t hi_b = draws < K ? draws : K;
    int64_t m = (int64_t)floor((double)(draws + 1) * (double)(K + 1) / (double)(N + 2));
    if (m < lo_b)
        m = lo_b;
    if (m > hi_b)
        m = hi_b;
    double lpm = lfact(lf, K) - lfact(lf, m) - lfact(lf, K - m) + lfact(lf, F) -
                 lfact(lf, draws - m) - lfact(lf, F - draws + m) -
                 (lfact(lf, N) - lfact(lf, draws) - lfact(lf, N - draws));
    double pm = exp(lpm);
    double u = qtr_rng_uniform(r) - pm;
    if (u < 0.0)
        return m;
    int64_t lo = m, hi = m;
    double flo = pm, fhi = pm;
    for (;;) {
        int moved = 0;
        if (lo > lo_b && flo > 0.0) {
            /* P(k-1)/P(k) = k (F - draws + k) / ((K - k + 1)(draws - k + 1)) */
            flo *= (double)lo * (double)(F - draws + lo) /
                   ((double)(K - lo + 1) * (double)(draws - lo + 1));
            lo--;
            u -= flo;
            if (u < 0.0)
                return lo;
            moved = 1;
        }
        if (hi < hi_b && fhi > 0.0) {
            /* P(k+1)/P(k) = (K - k)(draws - k) / ((k + 1)(F - draws + k + 1)) */
            fhi *= (double)(K - hi) * (double)(draws - hi) /
                   ((double)(hi + 1) * (double)(F - draws + hi + 1));
            hi++;
            u -= fhi;
            if (u < 0.0)
                return hi;
            moved = 1;
        }
        if (!moved)
            return m;
    }
}

/*
 * Ratio of uniforms with the table-mountain hat (Stadlober 1990, "The ratio of
 * uniforms approach for generating discrete random variates", J. Comput. Appl.
 * Math. 31; Stadlober & Zechner 1999): for a unimodal log-concave pmf f with
 * mean μ and variance σ², W = a + s (Y - 1/2) / X with a = μ + 1/2,
 * s = 2 sqrt(2/e) sqrt(σ² + 1/2) + 3 - 2 sqrt(3/e), X, Y uniform, is accepted
 * as floor(W) when X² <= f(floor W) / f(mode). Exact, O(1) expected time; used
 * when σ² is large and the search from the mode would take O(σ) steps.
 * The squeezes 2 ln X <= 4X - X² - 3 and 2 ln X >= X - 1/X avoid most logs.
 */
#define RUA_D1 1.7155277699214135 /* 2 sqrt(2/e) */
#define RUA_D2 0.8989161620588988 /* 3 - 2 sqrt(3/e) */
#define RUA_MIN_VAR 20.0

static inline int rua_accept(double X, double T)
{
    if (X * (4.0 - X) - 3.0 <= T)
        return 1;
    if (X * (X - T) >= 1.0)
        return 0;
    return 2.0 * log(X) <= T;
}

static int64_t rbinom_rua(struct qtr_rng *r, const struct lfact *lf, int64_t n, double p)
{
    int flip = p > 0.5;
    double pp = flip ? 1.0 - p : p, qq = 1.0 - pp;
    double var = (double)n * pp * qq;
    double a = (double)n * pp + 0.5, sd = sqrt(var + 0.5);
    double s = RUA_D1 * sd + RUA_D2;
    double bound = fmin((double)n + 1.0, floor(a + 16.0 * sd));
    int64_t m = (int64_t)floor((double)(n + 1) * pp);
    if (m > n)
        m = n;
    double lodds = log(pp / qq);
    /* ln f(k) up to a constant: -ln k! - ln (n-k)! + k ln(p/q) */
    double lfm = -lfact(lf, m) - lfact(lf, n - m) + (double)m * lodds;
    int64_t z;
    for (;;) {
        double X = qtr_rng_uniform(r), Y = qtr_rng_uniform(r);
        if (X <= 0.0)
            continue;
        double W = a + s * (Y - 0.5) / X;
        if (W < 0.0 || W >= bound)
            continue;
        z = (int64_t)floor(W);
        double T = -lfact(lf, z) - lfact(lf, n - z) + (double)z * lodds - lfm;
        if (rua_accept(X, T))
            break;
    }
    return flip ? n - z : z;
}

/* Stadlober's HRUA as in numpy's legacy generator, with the exact variance in s. */
static int64_t rhyper_rua(struct qtr_rng *r, const struct lfact *lf, int64_t N, int64_t K,
                          int64_t draws)
{
    int64_t F = N - K;
    int64_t mingb = K < F ? K : F, maxgb = K < F ? F : K;
    int64_t m = draws < N - draws ? draws : N - draws;
    double d4 = (double)mingb / (double)N, d5 = 1.0 - d4;
    double a = (double)m * d4 + 0.5;
    double sd = sqrt((double)m * d4 * d5 * (double)(N - m) / (double)(N - 1) + 0.5);
    double s = RUA_D1 * sd + RUA_D2;
    int64_t mode = (int64_t)floor((double)(m + 1) * (double)(mingb + 1) / (double)(N + 2));
    double lfm = lfact(lf, mode) + lfact(lf, mingb - mode) + lfact(lf, m - mode) +
                 lfact(lf, maxgb - m + mode);
    double hi = (double)(m < mingb ? m : mingb) + 1.0;
    double bound = fmin(hi, floor(a + 16.0 * sd));
    int64_t z;
    for (;;) {
        double X = qtr_rng_uniform(r), Y = qtr_rng_uniform(r);
        if (X <= 0.0)
            continue;
        double W = a + s * (Y - 0.5) / X;
        if (W < 0.0 || W >= bound)
            continue;
        z = (int64_t)floor(W);
        double T = lfm - (lfact(lf, z) + lfact(lf, mingb - z) + lfact(lf, m - z) +
                          lfact(lf, maxgb - m + z));
        if (rua_accept(X, T))
            break;
    }
    /* z counts the smaller kind among the smaller side of the split; map back. */
    if (K > F)
        z = m - z;
    if (m < draws)
        z = K - z;
    return z;
}

static int64_t rbinom(struct qtr_rng *r, const struct lfact *lf, int64_t n, double p)
{
    if (n <= 0 || p <= 0.0)
        return 0;
    if (p >= 1.0)
        return n;
    if ((double)n * p * (1.0 - p) >= RUA_MIN_VAR)
        return rbinom_rua(r, lf, n, p);
    return rbinom_search(r, lf, n, p);
}

static int64_t rhyper(struct qtr_rng *r, const struct lfact *lf, int64_t N, int64_t K, int64_t draws)
{
    if (draws <= 0 || K <= 0)
        return 0;
    if (K >= N)
        return draws;
    if (draws >= N)
        return K;
    double p = (double)K / (double)N;
    double var = (double)draws * p * (1.0 - p) * (double)(N - draws) / (double)(N - 1);
    if (var >= RUA_MIN_VAR)
        return rhyper_rua(r, lf, N, K, draws);
    return rhyper_search(r, lf, N, K, draws);
}

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

/* Per-thread buffers for one simulated data set. */
struct work {
    size_t n, K;
    double *g;         /* K*n, column per category */
    double *tot;       /* n */
    const double **gp; /* K pointers into g (multigroup) */
    double *area, *cx, *cy;
    int64_t *left; /* K */
    struct qtr_units su;
};

static void work_release(struct work *w)
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
static int work_init(struct work *w, size_t n, size_t K, int multigroup,
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
    work_release(w);
    return 0;
}

static inline void put(struct work *w, size_t i, size_t k, double v)
{
    w->g[k * w->n + i] = v;
}

/* Fill w->tot from the categories (group + other, or the sum of the groups). */
static void work_totals(struct work *w)
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
            x = rbinom(r, lf, left, pc > 1.0 ? 1.0 : pc);
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
                int64_t x = k + 1 == K ? need : rhyper(r, lf, sub, w->left[k], need);
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
                int64_t x = rest > 0 ? rbinom(r, lf, left, (double)b->tot[i] / (double)rest) : 0;
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
    work_totals(w);
}

/* Resample each district from its own composition (bootstrap of individuals). */
static void resample_within(const struct base *b, const struct lfact *lf, struct qtr_rng *r,
                            struct work *w, double *prob)
{
    for (size_t i = 0; i < b->n; i++) {
        for (size_t k = 0; k < b->K; k++)
            prob[k] = b->tot[i] > 0 ? (double)b->cnt[i * b->K + k] / (double)b->tot[i] : 0.0;
        multinomial_row(r, lf, w, i, b->tot[i], prob, b->K);
    }
    work_totals(w);
}

static int nthreads(const struct qtr_infer_options *opt)
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
    lfact_init(lf);
    for (size_t k = 0; k < b->K; k++)
        P[k] = (double)b->gtot[k] / (double)b->T;
    int failed = 0;
    long draws = (long)opt->draws;
    int own_geometry = kind == SIM_NULL && null == QTR_NULL_BOOTSTRAP;
#pragma omp parallel num_threads(nthreads(opt))
    {
        struct work w;
        double *prob = malloc(b->K * sizeof *prob);
        int ok = work_init(&w, b->n, b->K, b->multigroup, b->src, own_geometry) && prob;
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
                resample_within(b, lf, &r, &w, prob);
            for (size_t j = 0; j < nfn; j++) {
                struct qtr_error e;
                double v = NAN;
                if (!fns[j] || fns[j](&w.su, &v, &e) != QTR_OK || !isfinite(v))
                    v = NAN;
                sims[j * (size_t)draws + (size_t)d] = v;
            }
        }
        if (ok)
            work_release(&w);
        free(prob);
    }
    free(lf);
    free(P);
    if (failed)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the simulation");
    return QTR_OK;
}

static int check_opts(const struct qtr_units *u, qtr_index_fn fn,
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
    int rc = check_opts(u, fn, opt, err);
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
    int rc = check_opts(u, first_fn(fns, nfn), opt, err);
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.quantile's default ("linear"): position q (m - 1) in the sorted values. */
static double quantile_sorted(const double *v, size_t m, double q)
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
    qsort(sorted, m, sizeof *sorted, cmp_double);
    *low = quantile_sorted(sorted, m, (1.0 - level) / 2.0);
    *high = quantile_sorted(sorted, m, (1.0 + level) / 2.0);
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
    int rc = check_opts(u, fn, opt, err);
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
    int rc = check_opts(u, first_fn(fns, nfn), opt, err);
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
    return work_init(w, m, p->K, p->multigroup, &l, 1);
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
    qsort(ts, m, sizeof *ts, cmp_double);
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e + 1 < n && r[e + 1].v == r[s].v)
            e++;
        /* average 1-based rank of the tie block */
        double pct = ((double)(s + 1) + (double)(e + 1)) / 2.0 / (double)n;
        double q = quantile_sorted(ts, m, pct);
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
    int rc = check_opts(a, fn, opt, err);
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
#pragma omp parallel num_threads(nthreads(opt))
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
                work_totals(&wa);
                work_totals(&wb);
            }
            struct qtr_error e;
            double x = NAN, y = NAN;
            if (fn(&wa.su, &x, &e) != QTR_OK || fn(&wb.su, &y, &e) != QTR_OK)
                sims[d] = NAN;
            else
                sims[d] = isfinite(x - y) ? x - y : NAN;
        }
        if (oka)
            work_release(&wa);
        if (okb)
            work_release(&wb);
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
