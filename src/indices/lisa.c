/*
 * lisa.c - global Moran's I (analytical and permutation inference), the location-quotient
 * test, multiple-testing corrections and the checks shared with the local statistics
 * (lisa_local.c). Conventions (esda parity, folded p, islands) are in lisa.h.
 */
#include "quartier/lisa.h"
#include "quartier/rng.h"
#include "lisa_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* ---- RNG: quartier/rng.h (xoshiro256**, one stream per district) ------------- */

/* Uniform in [0, bound) without modulo bias. */
static uint32_t rng_below(struct qtr_rng *r, uint32_t bound)
{
    return (uint32_t)qtr_rng_below(r, bound);
}

/* ---- helpers ---------------------------------------------------------------- */

#define GLOBAL_STREAM 0x8000000000000000ULL

int qtr_lisa_threads(const struct qtr_lisa_options *opt)
{
#ifdef _OPENMP
    return opt && opt->threads > 0 ? opt->threads : omp_get_max_threads();
#else
    (void)opt;
    return 1;
#endif
}

int qtr_lisa_check_inputs(const struct qtr_csr *w, const double *y, const char *name,
                        struct qtr_error *err)
{
    if (!w || !y)
        return qtr_error_set(err, QTR_ERR_USAGE, "%s: missing weights or values", name);
    size_t n = w->n;
    if (n < 4)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: needs at least 4 districts (got %zu)", name,
                             n);
    if (n > UINT32_MAX)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: too many districts", name);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has a missing value; exclude it or fill it "
                                 "before the analysis",
                                 name, i);
    for (size_t e = 0; e < w->row[n]; e++)
        if (w->col[e] >= n || !isfinite(w->w[e]) || w->w[e] < 0)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: weight entry %zu is out of range, negative or not finite",
                                 name, e);
    /* The sampler draws k_i distinct others, so a row must not repeat a column. */
    for (size_t i = 0; i < n; i++)
        for (size_t e = w->row[i] + 1; e < w->row[i + 1]; e++)
            if (w->col[e] <= w->col[e - 1])
                return qtr_error_set(err, QTR_ERR_DOMAIN,
                                     "%s: the neighbours of district %zu are not sorted or repeat "
                                     "one (%u after %u); rebuild the weights",
                                     name, i, (unsigned)w->col[e], (unsigned)w->col[e - 1]);
    return QTR_OK;
}

/*
 * esda's default ("directed") pseudo p folds the count of sims >= observed:
 * L = #{sim >= obs}, L = min(L, P - L), p = (L + 1)/(P + 1). Without ties
 * P - L = #{sim <= obs}, so min(#{>=}, #{<=}) is the same number; with ties
 * (an observed value equal to many simulated ones, e.g. z_i = 0 or a
 * checkerboard) esda's rule calls the observation extreme, this one counts
 * the ties on both sides and does not.
 */
double qtr_lisa_folded_p(size_t ge, size_t le, unsigned perms)
{
    size_t m = ge < le ? ge : le;
    return ((double)m + 1.0) / ((double)perms + 1.0);
}

static int cmp_pidx(const void *a, const void *b)
{
    const double *const *x = a, *const *y = b;
    if (**x < **y)
        return -1;
    if (**x > **y)
        return 1;
    return (*x > *y) - (*x < *y);
}

static int adjust(const double *p, const uint8_t *include, size_t n, double alpha, int bh,
                  double *p_adj, uint8_t *reject, struct qtr_error *err)
{
    const char *name = bh ? "Benjamini-Hochberg" : "Bonferroni";
    if (!p && n)
        return qtr_error_set(err, QTR_ERR_USAGE, "%s: no p-values given", name);
    if (!(alpha > 0 && alpha < 1))
        return qtr_error_set(err, QTR_ERR_USAGE, "%s: alpha must be in (0, 1), got %g", name,
                             alpha);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (include && !include[i])
            continue;
        if (!(p[i] >= 0 && p[i] <= 1))
            return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: district %zu has p = %g, outside [0, 1]",
                                 name, i, p[i]);
        m++;
    }
    double *adj = malloc((n ? n : 1) * sizeof *adj);
    const double **ord = malloc((m ? m : 1) * sizeof *ord);
    if (!adj || !ord) {
        free(adj);
        free(ord);
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
    }
    for (size_t i = 0; i < n; i++)
        adj[i] = 1.0;
    if (bh) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!include || include[i])
                ord[k++] = &p[i];
        qsort(ord, m, sizeof *ord, cmp_pidx);
        /* Benjamini & Hochberg (1995): p_adj(r) = min_{s>=r} min(1, m p_(s)/s);
         * rejecting p_adj <= alpha is their step-up rule. */
        double run = 1.0;
        for (size_t r = m; r-- > 0;) {
            double v = (double)m * *ord[r] / (double)(r + 1);
            if (v < run)
                run = v;
            adj[ord[r] - p] = run;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            if (!include || include[i])
                adj[i] = fmin(1.0, (double)m * p[i]);
    }
    for (size_t i = 0; i < n; i++) {
        int inc = !include || include[i];
        if (p_adj)
            p_adj[i] = adj[i];
        if (reject)
            reject[i] = (uint8_t)(inc && adj[i] <= alpha);
    }
    free(adj);
    free(ord);
    return QTR_OK;
}

int qtr_fdr_bh(const double *p, const uint8_t *include, size_t n, double alpha, double *p_adj,
               uint8_t *reject, struct qtr_error *err)
{
    return adjust(p, include, n, alpha, 1, p_adj, reject, err);
}

int qtr_bonferroni(const double *p, const uint8_t *include, size_t n, double alpha, double *p_adj,
                   uint8_t *reject, struct qtr_error *err)
{
    return adjust(p, include, n, alpha, 0, p_adj, reject, err);
}

/* p after the chosen correction and the significance flag per district. */
int qtr_lisa_significance(const double *p, const uint8_t *excluded, size_t n,
                        enum qtr_multiple_testing mt, double alpha, double *p_adj, uint8_t *sig,
                        struct qtr_error *err)
{
    uint8_t *inc = malloc(n);
    if (!inc)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        inc[i] = excluded[i] == QTR_LOCAL_INCLUDED;
    int rc;
    if (mt == QTR_MT_FDR_BH) {
        rc = qtr_fdr_bh(p, inc, n, alpha, p_adj, sig, err);
    } else if (mt == QTR_MT_BONFERRONI) {
        rc = qtr_bonferroni(p, inc, n, alpha, p_adj, sig, err);
    } else if (mt == QTR_MT_NONE) {
        for (size_t i = 0; i < n; i++) {
            p_adj[i] = inc[i] ? p[i] : 1.0;
            sig[i] = (uint8_t)(inc[i] && p[i] <= alpha);
        }
        rc = QTR_OK;
    } else {
        rc = qtr_error_set(err, QTR_ERR_USAGE, "unknown multiple-testing correction %d", (int)mt);
    }
    free(inc);
    return rc;
}

/* ---- global Moran's I -------------------------------------------------------- */

static double find_w(const struct qtr_csr *w, const double *rowsum, size_t i, uint32_t j)
{
    size_t lo = w->row[i], hi = w->row[i + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->col[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < w->row[i + 1] && w->col[lo] == j && rowsum[i] > 0)
        return w->w[lo] / rowsum[i];
    return 0.0;
}

/* Σ_i z_i Σ_j w_ij z_j with row-standardised w. */
static double cross(const struct qtr_csr *w, const double *rowsum, const double *z)
{
    double acc = 0.0;
    for (size_t i = 0; i < w->n; i++) {
        if (!(rowsum[i] > 0))
            continue;
        double l = 0.0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            if (w->col[e] != i)
                l += w->w[e] * z[w->col[e]];
        acc += z[i] * (l / rowsum[i]);
    }
    return acc;
}

int qtr_moran_global(const struct qtr_csr *w, const double *y, const struct qtr_lisa_options *opt,
                     struct qtr_moran *out, struct qtr_error *err)
{
    static const char *name = "Moran's I";
    int rc = qtr_lisa_check_inputs(w, y, name, err);
    if (rc)
        return rc;
    size_t n = w->n;
    double *rowsum = NULL, *colsum = NULL, *z = NULL, *sims = NULL;
    rowsum = calloc(n, sizeof *rowsum);
    colsum = calloc(n, sizeof *colsum);
    z = malloc(n * sizeof *z);
    if (!rowsum || !colsum || !z) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto out;
    }
    memset(out, 0, sizeof *out);
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    double m2 = 0.0, m4 = 0.0;
    for (size_t i = 0; i < n; i++) {
        z[i] = y[i] - mean;
        m2 += z[i] * z[i];
        m4 += z[i] * z[i] * z[i] * z[i];
    }
    if (!(m2 > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the variable is constant across all districts",
                           name);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            if (w->col[e] != i)
                rowsum[i] += w->w[e];
    for (size_t i = 0; i < n; i++) {
        if (!(rowsum[i] > 0))
            out->islands++;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            if (w->col[e] != i)
                colsum[w->col[e]] += rowsum[i] > 0 ? w->w[e] / rowsum[i] : 0.0;
    }
    double S0 = (double)(n - out->islands), S1 = 0.0, S2 = 0.0;
    if (!(S0 > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "%s: no district has a neighbour", name);
        goto out;
    }
    /* Cliff & Ord (1981): S1 = ½ Σ (w_ij + w_ji)², S2 = Σ (w_i. + w_.i)². */
    for (size_t i = 0; i < n; i++) {
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            uint32_t j = w->col[e];
            if (j == i)
                continue;
            double wij = rowsum[i] > 0 ? w->w[e] / rowsum[i] : 0.0;
            double wji = find_w(w, rowsum, j, (uint32_t)i);
            /* pairs stored in both directions are visited twice: count ½ each */
            if (wji > 0)
                S1 += 0.5 * (wij + wji) * (wij + wji);
            else
                S1 += wij * wij;
        }
        double rs = rowsum[i] > 0 ? 1.0 : 0.0;
        S2 += (rs + colsum[i]) * (rs + colsum[i]);
    }
    double dn = (double)n;
    out->I = dn / S0 * cross(w, rowsum, z) / m2;
    out->expected = -1.0 / (dn - 1.0);
    double EI2 = out->expected * out->expected;
    out->var_norm = (dn * dn * S1 - dn * S2 + 3.0 * S0 * S0) / ((dn * dn - 1.0) * S0 * S0) - EI2;
    double k = (m4 / dn) / ((m2 / dn) * (m2 / dn));
    out->var_rand = (dn * ((dn * dn - 3.0 * dn + 3.0) * S1 - dn * S2 + 3.0 * S0 * S0) -
                     k * ((dn * dn - dn) * S1 - 2.0 * dn * S2 + 6.0 * S0 * S0)) /
                        ((dn - 1.0) * (dn - 2.0) * (dn - 3.0) * S0 * S0) -
                    EI2;
    out->z_norm = (out->I - out->expected) / sqrt(out->var_norm);
    out->z_rand = (out->I - out->expected) / sqrt(out->var_rand);
    out->p_norm = erfc(fabs(out->z_norm) / sqrt(2.0));
    out->p_rand = erfc(fabs(out->z_rand) / sqrt(2.0));
    out->p_sim = out->mean_sim = out->sd_sim = out->z_sim = NAN;
    unsigned perms = opt ? opt->permutations : 0;
    out->permutations = perms;
    if (perms == 0)
        goto out;
    sims = malloc(perms * sizeof *sims);
    if (!sims) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for permutations", name);
        goto out;
    }
    int failed = 0;
#pragma omp parallel num_threads(qtr_lisa_threads(opt)) reduction(| : failed)
    {
        double *zp = malloc(n * sizeof *zp);
        if (!zp)
            failed = 1;
#pragma omp for schedule(static)
        for (long p = 0; p < (long)perms; p++) {
            if (!zp)
                continue;
            /* Total randomisation: a fresh uniform shuffle of z per draw,
             * from its own stream so the result ignores the thread count. */
            struct qtr_rng r;
            qtr_rng_seed(&r, opt->seed, GLOBAL_STREAM | (uint64_t)p);
            memcpy(zp, z, n * sizeof *zp);
            for (size_t a = n - 1; a > 0; a--) {
                uint32_t b = rng_below(&r, (uint32_t)(a + 1));
                double t = zp[a];
                zp[a] = zp[b];
                zp[b] = t;
            }
            sims[p] = dn / S0 * cross(w, rowsum, zp) / m2;
        }
        free(zp);
    }
    if (failed) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for permutations", name);
        goto out;
    }
    size_t ge = 0, le = 0;
    double s = 0.0, ss = 0.0;
    for (unsigned p = 0; p < perms; p++) {
        ge += sims[p] >= out->I;
        le += sims[p] <= out->I;
        s += sims[p];
    }
    out->mean_sim = s / perms;
    for (unsigned p = 0; p < perms; p++)
        ss += (sims[p] - out->mean_sim) * (sims[p] - out->mean_sim);
    out->sd_sim = sqrt(ss / perms);
    out->z_sim = out->sd_sim > 0 ? (out->I - out->mean_sim) / out->sd_sim : 0.0;
    out->p_sim = qtr_lisa_folded_p(ge, le, perms);
out:
    free(rowsum);
    free(colsum);
    free(z);
    free(sims);
    return rc;
}

/* ---- location quotient: exact hypergeometric upper tail ----------------------- */

static double lchoose(double a, double b)
{
    return lgamma(a + 1.0) - lgamma(b + 1.0) - lgamma(a - b + 1.0);
}

/* P(H >= x), H ~ Hypergeom(N population, K successes, t draws). */
static double hyper_upper(double N, double K, double t, double x)
{
    double lo = fmax(0.0, t - (N - K)), hi = fmin(t, K);
    if (x <= lo)
        return 1.0;
    if (x > hi)
        return 0.0;
    double mode = floor((t + 1.0) * (K + 1.0) / (N + 2.0));
    double lbase = -lchoose(N, t);
    if (x > mode) {
        /* terms fall from x upward: sum until they no longer matter */
        double term = exp(lchoose(K, x) + lchoose(N - K, t - x) + lbase), sum = term;
        for (double k = x; k < hi && term > sum * 1e-17; k++) {
            term *= (K - k) * (t - k) / ((k + 1.0) * (N - K - t + k + 1.0));
            sum += term;
        }
        return fmin(1.0, sum);
    }
    /* x at or below the mode: 1 - P(H <= x-1), those terms fall downward */
    double k = x - 1.0;
    double term = exp(lchoose(K, k) + lchoose(N - K, t - k) + lbase), sum = term;
    for (; k > lo && term > sum * 1e-17; k--) {
        /* pmf(k-1) = pmf(k) · k (N-K-t+k) / ((K-k+1)(t-k+1)) */
        term *= k * (N - K - t + k) / ((K - k + 1.0) * (t - k + 1.0));
        sum += term;
    }
    return fmin(1.0, fmax(0.0, 1.0 - sum));
}

int qtr_lq_significance(const struct qtr_units *u, double alpha,
                        enum qtr_multiple_testing correction, double *lq, double *p_upper,
                        double *p_adj, uint8_t *significant, uint8_t *excluded,
                        struct qtr_error *err)
{
    static const char *name = "location quotient test";
    if (!u || !u->group || !u->total || u->n == 0)
        return qtr_error_set(err, QTR_ERR_USAGE, "%s: no districts given", name);
    if (alpha <= 0)
        alpha = 0.05;
    size_t n = u->n;
    double X = 0.0, T = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = u->group[i], t = u->total[i];
        if (!isfinite(x) || !isfinite(t) || x < 0 || x > t)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has an invalid count (group %g, total %g)", name,
                                 i, x, t);
        X += nearbyint(x);
        T += nearbyint(t);
    }
    if (!(X > 0) || !(X < T))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: not defined when the group is absent or is the whole "
                             "population (group %g of %g)",
                             name, X, T);
    double *p = malloc(n * sizeof *p), *pa = malloc(n * sizeof *pa);
    uint8_t *ex = malloc(n), *sig = malloc(n);
    int rc = QTR_OK;
    if (!p || !pa || !ex || !sig) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        double x = nearbyint(u->group[i]), t = nearbyint(u->total[i]);
        if (!(t > 0)) {
            ex[i] = QTR_LOCAL_NO_RESIDENTS;
            p[i] = 1.0;
            if (lq)
                lq[i] = 0.0;
            continue;
        }
        ex[i] = QTR_LOCAL_INCLUDED;
        if (lq)
            lq[i] = (x / t) / (X / T);
        p[i] = hyper_upper(T, X, t, x);
    }
    if ((rc = qtr_lisa_significance(p, ex, n, correction, alpha, pa, sig, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (p_upper)
            p_upper[i] = p[i];
        if (p_adj)
            p_adj[i] = pa[i];
        if (significant)
            significant[i] = sig[i];
        if (excluded)
            excluded[i] = ex[i];
    }
out:
    free(p);
    free(pa);
    free(ex);
    free(sig);
    return rc;
}
