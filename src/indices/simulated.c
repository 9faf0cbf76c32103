/*
 * simulated.c - dissimilarity and Gini corrected for small-unit bias: Carrington & Troske
 * (1997) modified indices, Allen et al. (2015) bias- and density-corrected dissimilarity.
 *
 * Simulations are deterministic: draw k uses qtr_rng stream k of the seed, the draws are
 * stored and averaged in draw order, so any thread count gives the same bits.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "quartier/indices.h"
#include "quartier/rng.h"
#include "single_internal.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* threads <= 0: the OpenMP default */
static int team_size(int threads)
{
#ifdef _OPENMP
    return threads > 0 ? threads : omp_get_max_threads();
#else
    (void)threads;
    return 1;
#endif
}

/* Counts enter the simulations as integers (PySAL casts with astype(int)); we round to
 * the nearest integer so that 2.9999999 from a weighted table stays 3. */
static uint64_t as_count(double v)
{
    return v > 0 ? (uint64_t)llround(v) : 0;
}

enum sim_kind { SIM_DISSIM, SIM_GINI };

/*
 * Binomial(t, p0) for every district size t up to TABLE_MAX_T that occurs: the cumulative
 * distribution of each, computed once, so that a draw is a uniform and a binary search
 * (O(log t)) instead of an inversion from 0 with its exp and log1p (O(t p0)). Exact up to the
 * rounding of the table (about 1e-16, as the inversion's own). Larger districts draw with
 * qtr_rng_binomial.
 */
#define TABLE_MAX_T 1024u

struct btable {
    size_t *off; /* TABLE_MAX_T + 1: start of size t's table in cdf, or SIZE_MAX */
    double *cdf;
};

static void btable_release(struct btable *b)
{
    free(b->off);
    free(b->cdf);
}

static int btable_init(struct btable *b, const double *tt, size_t n, double p0)
{
    b->off = malloc((TABLE_MAX_T + 1) * sizeof *b->off);
    b->cdf = NULL;
    if (!b->off)
        return 0;
    for (size_t t = 0; t <= TABLE_MAX_T; t++)
        b->off[t] = SIZE_MAX;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = (size_t)tt[i];
        if (tt[i] <= TABLE_MAX_T && b->off[t] == SIZE_MAX) {
            b->off[t] = len;
            len += t + 1;
        }
    }
    b->cdf = malloc((len ? len : 1) * sizeof *b->cdf);
    if (!b->cdf)
        return 0;
    double lp = log(p0), lq = log1p(-p0);
    for (size_t t = 0; t <= TABLE_MAX_T; t++) {
        if (b->off[t] == SIZE_MAX)
            continue;
        double *c = b->cdf + b->off[t], acc = 0.0;
        for (size_t k = 0; k <= t; k++) {
            double lf = lgamma((double)t + 1) - lgamma((double)k + 1) -
                        lgamma((double)(t - k) + 1) + (double)k * lp + (double)(t - k) * lq;
            acc += exp(lf);
            c[k] = acc;
        }
        c[t] = 1.0; /* u < 1 always finds a value: rounding cannot leave mass uncovered */
    }
    return 1;
}

/* x ~ Binomial(t, p0) from the table of t (first k with cdf[k] > u), else by the generator. */
static uint64_t btable_draw(const struct btable *b, struct qtr_rng *r, double t, double p0)
{
    if (t > TABLE_MAX_T)
        return qtr_rng_binomial(r, (uint64_t)t, p0);
    size_t nt = (size_t)t;
    const double *c = b->cdf + b->off[nt];
    double u = qtr_rng_uniform(r);
    size_t lo = 0, hi = nt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Mean of the index over `iterations` cities with x_i ~ Binomial(t_i, P0). */
static int random_allocation_mean(const struct qtr_units *u, enum sim_kind kind,
                                  unsigned iterations, uint64_t seed, int threads, double *mean,
                                  struct qtr_error *err)
{
    size_t n = u->n;
    double *vals = malloc(iterations * sizeof *vals);
    double *tt = malloc(n * sizeof *tt);
    struct btable bt = {0};
    int rc = QTR_OK;
    if (!vals || !tt) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the random-allocation "
                                               "simulation");
        goto out;
    }
    uint64_t Xi = 0, Ti = 0;
    for (size_t i = 0; i < n; i++) {
        Xi += as_count(u->group[i]);
        Ti += as_count(u->total[i]);
        tt[i] = (double)as_count(u->total[i]);
    }
    if (Ti == 0) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "the rounded counts have no residents");
        goto out;
    }
    const double p0 = (double)Xi / (double)Ti;
    if (p0 > 0 && p0 < 1 && !btable_init(&bt, tt, n, p0)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the random-allocation "
                                               "simulation");
        goto out;
    }
    int failed = 0;
#pragma omp parallel num_threads(team_size(threads))
    {
        double *xs = malloc(n * sizeof *xs);
        size_t *order = kind == SIM_GINI ? malloc(n * sizeof *order) : NULL;
        double *shares = kind == SIM_GINI ? malloc(n * sizeof *shares) : NULL;
        /* the sort's scratch, once per thread instead of once per draw */
        uint64_t *sa = kind == SIM_GINI ? malloc(2 * n * sizeof *sa) : NULL;
        uint64_t *sb = kind == SIM_GINI ? malloc(2 * n * sizeof *sb) : NULL;
        size_t *cnt = kind == SIM_GINI ? malloc(qtr_sg_argsort_cnt_size() * sizeof *cnt) : NULL;
        int ok = xs && (kind != SIM_GINI || (order && shares && sa && sb && cnt));
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (long k = 0; k < (long)iterations; k++) {
            if (!ok)
                continue;
            struct qtr_rng r;
            qtr_rng_seed(&r, seed, (uint64_t)k);
            if (bt.cdf)
                for (size_t i = 0; i < n; i++)
                    xs[i] = (double)btable_draw(&bt, &r, tt[i], p0);
            else
                for (size_t i = 0; i < n; i++)
                    xs[i] = (double)qtr_rng_binomial(&r, (uint64_t)tt[i], p0);
            vals[k] = kind == SIM_DISSIM ? qtr_sg_dissim_raw(n, xs, tt)
                                         : qtr_sg_gini_raw_buf(n, xs, tt, order, shares, sa,
                                                               sb, cnt);
        }
        free(xs);
        free(order);
        free(shares);
        free(sa);
        free(sb);
        free(cnt);
    }
    if (failed) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the random-allocation "
                                               "simulation");
        goto out;
    }
    struct qtr_ksum k = {0, 0};
    for (unsigned i = 0; i < iterations; i++)
        qtr_ksum_add(&k, vals[i]);
    *mean = qtr_ksum_get(&k) / (double)iterations;
out:
    btable_release(&bt);
    free(vals);
    free(tt);
    return rc;
}

/* Carrington & Troske (1997), J. Bus. Econ. Stat. 15(4), eq. (3): the index rescaled so
 * that 0 is the level expected under random allocation. */
static int carrington_troske(double D, double Dstar, double *out, const char *name,
                             struct qtr_error *err)
{
    if (D >= Dstar) {
        if (!(1.0 - Dstar > 0))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "random allocation already gives the maximum %s (districts too "
                                 "small): the modified index is undefined",
                                 name);
        *out = (D - Dstar) / (1.0 - Dstar);
    } else {
        *out = (D - Dstar) / Dstar; /* Dstar > D >= 0 */
    }
    return QTR_OK;
}

static int modified_common(const struct qtr_units *u, enum sim_kind kind, unsigned iterations,
                           uint64_t seed, int threads, double *out, double *expected,
                           struct qtr_error *err)
{
    const char *name = kind == SIM_DISSIM ? "dissimilarity" : "Gini index";
    if (iterations < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the modified %s needs at least 2 simulation draws (got %u)", name,
                             iterations);
    double D = 0.0;
    int rc = kind == SIM_DISSIM ? qtr_dissimilarity(u, &D, err) : qtr_gini(u, &D, err);
    if (rc)
        return rc;
    double Dstar = 0.0;
    rc = random_allocation_mean(u, kind, iterations, seed, threads, &Dstar, err);
    if (rc)
        return rc;
    double v = 0.0;
    rc = carrington_troske(D, Dstar, &v, name, err);
    if (rc)
        return rc;
    *out = v;
    if (expected)
        *expected = Dstar;
    return QTR_OK;
}

int qtr_modified_dissimilarity_sim(const struct qtr_units *u, unsigned iterations, uint64_t seed,
                                   double *out, double *expected, struct qtr_error *err)
{
    return modified_common(u, SIM_DISSIM, iterations, seed, 0, out, expected, err);
}

int qtr_modified_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return modified_common(u, SIM_DISSIM, QTR_SIM_DEFAULT_ITERATIONS, QTR_SIM_DEFAULT_SEED, 0,
                           out, NULL, err);
}

int qtr_modified_gini_sim(const struct qtr_units *u, unsigned iterations, uint64_t seed,
                          double *out, double *expected, struct qtr_error *err)
{
    return modified_common(u, SIM_GINI, iterations, seed, 0, out, expected, err);
}

int qtr_modified_gini(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    return modified_common(u, SIM_GINI, QTR_SIM_DEFAULT_ITERATIONS, QTR_SIM_DEFAULT_SEED, 0,
                           out, NULL, err);
}

int qtr_sg_modified_threads(const struct qtr_units *u, int gini, unsigned iterations,
                            uint64_t seed, int threads, double *out, double *expected,
                            struct qtr_error *err)
{
    return modified_common(u, gini ? SIM_GINI : SIM_DISSIM, iterations, seed, threads, out,
                           expected, err);
}

int qtr_bias_corrected_dissimilarity_sim(const struct qtr_units *u, unsigned B, uint64_t seed,
                                         double *out, double *expected, struct qtr_error *err)
{
    return qtr_sg_bias_corrected_threads(u, B, seed, 0, out, expected, err);
}

int qtr_sg_bias_corrected_threads(const struct qtr_units *u, unsigned B, uint64_t seed,
                                  int threads, double *out, double *expected,
                                  struct qtr_error *err)
{
    if (B < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the bias-corrected dissimilarity needs at least 2 bootstrap draws "
                             "(got %u)",
                             B);
    double D;
    int rc = qtr_dissimilarity(u, &D, err);
    if (rc)
        return rc;
    size_t n = u->n;
    double *p0 = malloc(n * sizeof *p0);
    double *p1 = malloc(n * sizeof *p1);
    double *vals = malloc(B * sizeof *vals);
    int failed = 0;
    if (!p0 || !p1 || !vals) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the bootstrap");
        goto out;
    }
    uint64_t N0 = 0, N1 = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = as_count(u->group[i]), t = as_count(u->total[i]);
        uint64_t y = t > x ? t - x : 0;
        p0[i] = (double)x;
        p1[i] = (double)y;
        N0 += x;
        N1 += y;
    }
    if (N0 == 0 || N1 == 0) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                           "after rounding to whole persons one of the two groups is empty");
        goto out;
    }
    /* Allen, Burgess, Davidson & Windmeijer (2015), Econometrics J. 18(1), eq. (9):
     * D_bc = 2 D - mean_b D(b), the bootstrap cities drawn from Multinomial(X; x_i/X) and
     * Multinomial(Y; y_i/Y) (p need not be normalised for qtr_rng_multinomial). */
#pragma omp parallel num_threads(team_size(threads))
    {
        uint64_t *s0 = malloc(n * sizeof *s0);
        uint64_t *s1 = malloc(n * sizeof *s1);
        double *xs = malloc(n * sizeof *xs);
        double *ts = malloc(n * sizeof *ts);
        int ok = s0 && s1 && xs && ts;
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (long b = 0; b < (long)B; b++) {
            if (!ok)
                continue;
            struct qtr_rng r;
            qtr_rng_seed(&r, seed, (uint64_t)b);
            qtr_rng_multinomial(&r, N0, p0, n, s0);
            qtr_rng_multinomial(&r, N1, p1, n, s1);
            for (size_t i = 0; i < n; i++) {
                xs[i] = (double)s0[i];
                ts[i] = (double)(s0[i] + s1[i]);
            }
            vals[b] = qtr_sg_dissim_raw(n, xs, ts);
        }
        free(s0);
        free(s1);
        free(xs);
        free(ts);
    }
    if (failed) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory in the bootstrap");
        goto out;
    }
    {
        struct qtr_ksum k = {0, 0};
        for (unsigned b = 0; b < B; b++)
            qtr_ksum_add(&k, vals[b]);
        double Db = qtr_ksum_get(&k) / (double)B;
        *out = 2.0 * D - Db;
        if (expected)
            *expected = Db;
    }
out:
    free(p0);
    free(p1);
    free(vals);
    return rc;
}

int qtr_bias_corrected_dissimilarity(const struct qtr_units *u, double *out,
                                     struct qtr_error *err)
{
    return qtr_bias_corrected_dissimilarity_sim(u, QTR_SIM_DEFAULT_ITERATIONS,
                                                QTR_SIM_DEFAULT_SEED, out, NULL, err);
}

/* ---- density-corrected dissimilarity --------------------------------------------- */

static double fold_norm_neg(double v, double theta)
{
    /* -(φ(v-θ) + φ(v+θ)), φ as scipy.stats.norm.pdf: exp(-z²/2)/sqrt(2π) */
    const double c = sqrt(2.0 * 3.141592653589793); /* numpy: np.sqrt(2*np.pi) */
    double a = v - theta, b = v + theta;
    return -(exp(-a * a / 2.0) / c + exp(-b * b / 2.0) / c);
}

/*
 * SciPy's Nelder-Mead (scipy.optimize._optimize._minimize_neldermead, 1-D case, rho 1,
 * chi 2, psi 0.5, sigma 0.5, initial simplex {0, 0.00025}, maxiter = maxfev = 200,
 * fatol 1e-4) started at 0, returning final_simplex[0][1] as PySAL's
 * _return_optimal_theta does. Replicated step by step so D_dc matches PySAL to rounding.
 */
static double pysal_optimal_theta(double theta, double xatol)
{
    const double fatol = 1e-4;
    const int maxfun = 200, maxiter = 200;
    double s0 = 0.0, s1 = 0.00025;
    double f0 = fold_norm_neg(s0, theta), f1 = fold_norm_neg(s1, theta);
    int fcalls = 2;
    /* np.argsort on two values keeps the order of ties */
    if (f1 < f0) {
        double t = s0;
        s0 = s1;
        s1 = t;
        t = f0;
        f0 = f1;
        f1 = t;
    }
    int iterations = 1;
#define NM_EVAL(var, x)                                                                            \
    do {                                                                                           \
        if (fcalls >= maxfun)                                                                      \
            goto maxfev;                                                                           \
        fcalls++;                                                                                  \
        (var) = fold_norm_neg((x), theta);                                                         \
    } while (0)
    while (fcalls < maxfun && iterations < maxiter) {
        if (fabs(s1 - s0) <= xatol && fabs(f0 - f1) <= fatol)
            break;
        double xbar = s0;
        double xr = 2.0 * xbar - s1, fxr;
        NM_EVAL(fxr, xr);
        if (fxr < f0) {
            double xe = 3.0 * xbar - 2.0 * s1, fxe;
            NM_EVAL(fxe, xe);
            if (fxe < fxr) {
                s1 = xe;
                f1 = fxe;
            } else {
                s1 = xr;
                f1 = fxr;
            }
        } else {
            /* SciPy first tests fxr < fsim[-2]; with N = 1 that is fsim[0] <= fxr: never */
            int doshrink = 0;
            if (fxr < f1) {
                double xc = 1.5 * xbar - 0.5 * s1, fxc;
                NM_EVAL(fxc, xc);
                if (fxc <= fxr) {
                    s1 = xc;
                    f1 = fxc;
                } else {
                    doshrink = 1;
                }
            } else {
                double xcc = 0.5 * xbar + 0.5 * s1, fxcc;
                NM_EVAL(fxcc, xcc);
                if (fxcc < f1) {
                    s1 = xcc;
                    f1 = fxcc;
                } else {
                    doshrink = 1;
                }
            }
            if (doshrink) {
                s1 = s0 + 0.5 * (s1 - s0);
                NM_EVAL(f1, s1);
            }
        }
        iterations++;
    maxfev:
        if (f1 < f0) {
            double t = s0;
            s0 = s1;
            s1 = t;
            t = f0;
            f0 = f1;
            f1 = t;
        }
        if (fcalls >= maxfun)
            break;
    }
#undef NM_EVAL
    return s1;
}

/*
 * The exact maximiser of φ(v-θ) + φ(v+θ) over v >= 0: 0 for θ <= 1, else the positive root
 * of g(v) = v - θ tanh(θ v) (setting the derivative to 0). g is convex on v > 0 with
 * g(0+) < 0 <= g(θ), so Newton from v = θ, kept inside the bracket by bisection, converges.
 */
static double exact_optimal_theta(double theta)
{
    if (!(theta > 1.0))
        return 0.0;
    double lo = 0.0, hi = theta, v = theta;
    for (int it = 0; it < 200; it++) {
        double th = tanh(theta * v);
        double g = v - theta * th;
        if (g > 0)
            hi = v;
        else
            lo = v;
        double dg = 1.0 - theta * theta * (1.0 - th * th);
        double nv = dg > 0 ? v - g / dg : 0.5 * (lo + hi);
        if (!(nv > lo && nv < hi))
            nv = 0.5 * (lo + hi);
        if (fabs(nv - v) <= 1e-15 * theta)
            return nv;
        v = nv;
    }
    return v;
}

static int density_corrected(const struct qtr_units *u, int pysal, double xtol, double *out,
                             struct qtr_error *err)
{
    struct qtr_sg_sums s;
    int rc = qtr_sg_check(u, &s, err);
    if (rc)
        return rc;
    const double n0 = s.X, n1 = s.T - s.X;
    /* Allen et al. (2015), section 3.2: σ_j² = p1(1-p1)/n1 + p0(1-p0)/n0,
     * θ_j = |p1 - p0| / σ_j, D_dc = 1/2 Σ σ_j n(θ_j). */
    struct qtr_ksum k = {0, 0};
    for (size_t j = 0; j < u->n; j++) {
        double p0 = u->group[j] / n0;
        double p1 = (u->total[j] - u->group[j]) / n1;
        double sigma = sqrt(p1 * (1.0 - p1) / n1 + p0 * (1.0 - p0) / n0);
        if (!(sigma > 0))
            continue; /* no residents: no information, no weight */
        double theta = fabs(p1 - p0) / sigma;
        qtr_ksum_add(&k, sigma * (pysal ? pysal_optimal_theta(theta, xtol)
                                        : exact_optimal_theta(theta)));
    }
    *out = qtr_ksum_get(&k) / 2.0;
    return QTR_OK;
}

int qtr_density_corrected_dissimilarity_pysal(const struct qtr_units *u, double xtol, double *out,
                                              struct qtr_error *err)
{
    if (!(xtol > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the optimisation tolerance must be positive (got %g)", xtol);
    return density_corrected(u, 1, xtol, out, err);
}

int qtr_density_corrected_dissimilarity(const struct qtr_units *u, double *out,
                                        struct qtr_error *err)
{
    return density_corrected(u, 0, 0.0, out, err);
}
