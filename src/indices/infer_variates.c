/*
 * infer_variates.c - exact discrete variates for the simulations of inference.c: binomial and
 * hypergeometric by inversion from the mode (Kemp 1986) when the variance is small, by
 * Stadlober's ratio of uniforms when it is large, so a variate costs O(1) expected time.
 */
#include <math.h>
#include <stdlib.h>

#include "infer_internal.h"

void qtr_infer_lfact_init(struct lfact *lf)
{
    lf->tab[0] = 0.0;
    for (int k = 1; k < LF_TABLE; k++)
        lf->tab[k] = lf->tab[k - 1] + log((double)k);
}


/* Binomial(n, p) by inversion from the mode: the constants (qtr_binom_prep, which depend on
 * n and p only) and the draw. */
static void search_prep(const struct lfact *lf, int64_t n, double p, struct qtr_binom_prep *b)
{
    double q = 1.0 - p;
    int64_t m = (int64_t)floor((double)(n + 1) * p);
    if (m > n)
        m = n;
    b->m = m;
    b->pm = exp(lfact(lf, n) - lfact(lf, m) - lfact(lf, n - m) + (double)m * log(p) +
                (double)(n - m) * log1p(-p));
    b->pq = p / q;
    b->qp = q / p;
}

static int64_t search_draw(struct qtr_rng *r, const struct qtr_binom_prep *b)
{
    int64_t n = b->n, m = b->m;
    double pm = b->pm, pq = b->pq, qp = b->qp;
    double u = qtr_rng_uniform(r) - pm;
    if (u < 0.0)
        return m;
    int64_t lo = m, hi = m;
    double flo = pm, fhi = pm;
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

static void rua_prep(const struct lfact *lf, int64_t n, double p, struct qtr_binom_prep *b)
{
    int flip = p > 0.5;
    double pp = flip ? 1.0 - p : p, qq = 1.0 - pp;
    double var = (double)n * pp * qq;
    double sd = sqrt(var + 0.5);
    b->flip = flip;
    b->a = (double)n * pp + 0.5;
    b->s = RUA_D1 * sd + RUA_D2;
    b->bound = fmin((double)n + 1.0, floor(b->a + 16.0 * sd));
    int64_t m = (int64_t)floor((double)(n + 1) * pp);
    if (m > n)
        m = n;
    b->lodds = log(pp / qq);
    /* ln f(k) up to a constant: -ln k! - ln (n-k)! + k ln(p/q) */
    b->lfm = -lfact(lf, m) - lfact(lf, n - m) + (double)m * b->lodds;
}

static int64_t rua_draw(struct qtr_rng *r, const struct lfact *lf, const struct qtr_binom_prep *b)
{
    int64_t n = b->n, z;
    for (;;) {
        double X = qtr_rng_uniform(r), Y = qtr_rng_uniform(r);
        if (X <= 0.0)
            continue;
        double W = b->a + b->s * (Y - 0.5) / X;
        if (W < 0.0 || W >= b->bound)
            continue;
        z = (int64_t)floor(W);
        double T = -lfact(lf, z) - lfact(lf, n - z) + (double)z * b->lodds - b->lfm;
        if (rua_accept(X, T))
            break;
    }
    return b->flip ? n - z : z;
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

void qtr_infer_binom_prep(const struct lfact *lf, int64_t n, double p, struct qtr_binom_prep *b)
{
    b->n = n;
    if (n <= 0 || p <= 0.0)
        b->kind = BINOM_ZERO;
    else if (p >= 1.0)
        b->kind = BINOM_ALL;
    else if ((double)n * p * (1.0 - p) >= RUA_MIN_VAR) {
        b->kind = BINOM_RUA;
        rua_prep(lf, n, p, b);
    } else {
        b->kind = BINOM_SEARCH;
        search_prep(lf, n, p, b);
    }
}

int64_t qtr_infer_binom_draw(struct qtr_rng *r, const struct lfact *lf,
                             const struct qtr_binom_prep *b)
{
    switch (b->kind) {
    case BINOM_ZERO:
        return 0;
    case BINOM_ALL:
        return b->n;
    case BINOM_RUA:
        return rua_draw(r, lf, b);
    default:
        return search_draw(r, b);
    }
}

int64_t qtr_infer_rbinom(struct qtr_rng *r, const struct lfact *lf, int64_t n, double p)
{
    struct qtr_binom_prep b;
    qtr_infer_binom_prep(lf, n, p, &b);
    return qtr_infer_binom_draw(r, lf, &b);
}

int64_t qtr_infer_rhyper(struct qtr_rng *r, const struct lfact *lf, int64_t N, int64_t K, int64_t draws)
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
