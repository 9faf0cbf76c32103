/*
 * lisa_local.c - local Moran's I (LISA) and Getis-Ord Gi* with conditional permutation
 * inference, on one engine. Conventions (esda parity, folded p, islands) are in lisa.h.
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

/* Uniform in [0, bound) without modulo bias. */
static uint32_t rng_below(struct qtr_rng *r, uint32_t bound)
{
    return (uint32_t)qtr_rng_below(r, bound);
}

/*
 * Draw k distinct district indices from the n-1 others (all but i) into out.
 * Few neighbours: rejection (no state). Many: partial Fisher-Yates on the
 * identity permutation in `scratch`, undone afterwards so the next draw
 * starts from the same state whichever thread ran before.
 */
static void draw_others(struct qtr_rng *r, size_t n, size_t i, size_t k, uint32_t *out,
                        uint32_t *scratch, uint32_t *log)
{
    uint32_t m = (uint32_t)(n - 1);
    if (k <= 32 && 4 * k <= m) {
        for (size_t e = 0; e < k; e++) {
            for (;;) {
                uint32_t c = rng_below(r, m);
                if (c >= i)
                    c++;
                int dup = 0;
                for (size_t f = 0; f < e; f++)
                    dup |= out[f] == c;
                if (!dup) {
                    out[e] = c;
                    break;
                }
            }
        }
        return;
    }
    uint32_t t = scratch[i];
    scratch[i] = scratch[n - 1];
    scratch[n - 1] = t;
    for (size_t e = 0; e < k; e++) {
        uint32_t j = (uint32_t)e + rng_below(r, m - (uint32_t)e);
        t = scratch[e];
        scratch[e] = scratch[j];
        scratch[j] = t;
        log[e] = j;
        out[e] = scratch[e];
    }
    for (size_t e = k; e-- > 0;) {
        t = scratch[e];
        scratch[e] = scratch[log[e]];
        scratch[log[e]] = t;
    }
    t = scratch[i];
    scratch[i] = scratch[n - 1];
    scratch[n - 1] = t;
}

/* ---- local statistics: one conditional-permutation engine -------------------- */

enum local_kind { LOCAL_MORAN, LOCAL_GSTAR };

#define BATCH 16u

struct local_ctx {
    enum local_kind kind;
    const struct qtr_csr *w;
    const double *v; /* Moran: z; Gi*: x */
    double scaling;  /* Moran: (n-1)/Σz² */
    double xbar, s;  /* Gi* */
};

/*
 * Per-district constants: the statistic is affine in acc = Σ_e w_e v_e,
 * stat = a + b·acc, so a permutation only needs the weighted sum of the
 * drawn values. Observed and simulated go through stat_of() alike, so ties
 * compare exactly.
 */
struct local_row {
    double a, b;
};

static struct local_row local_row(const struct local_ctx *c, size_t i, const double *wts, size_t k)
{
    double W = 0.0, S1 = 0.0;
    for (size_t e = 0; e < k; e++) {
        W += wts[e];
        S1 += wts[e] * wts[e];
    }
    struct local_row r;
    if (c->kind == LOCAL_MORAN) {
        /* Anselin (1995) eq. 7, esda scaling: I_i = (n-1)/Σz² · z_i · acc/W_i */
        r.a = 0.0;
        r.b = c->scaling * c->v[i] / W;
        return r;
    }
    /* Getis & Ord (1992) Gi* with w_ii = 1 (Ord & Getis 1995, eq. 14) */
    double n = (double)c->w->n, Wi = W + 1.0, S1i = S1 + 1.0;
    double den = c->s * sqrt((n * S1i - Wi * Wi) / (n - 1.0));
    r.a = (c->v[i] - c->xbar * Wi) / den;
    r.b = 1.0 / den;
    return r;
}

static double stat_of(struct local_row r, double acc)
{
    return r.a + r.b * acc;
}

/*
 * Shared draws for rows whose weights are all equal (binary or row-standardised contiguity:
 * every row of the run's weights), as esda's crand does: permutation p draws once the first
 * L = kmax + 1 districts of a random order of all n (stream SHARED_STREAM | p), with the
 * prefix sums of v along them. District i with k neighbours of weight c takes the first k of
 * them that are not i, a uniform k-subset of the n - 1 others: its simulated sum is c times the
 * prefix sum of k values, unless i itself is among the first k (then the k + 1 first without
 * i). The statistic is monotone in that sum, so the count of simulations at or beyond the
 * observed one is a binary search in the P sums of k values, sorted once for every k: a
 * district costs O(k + log P) instead of O(k P). Each district's null distribution is the same
 * as with draws of its own; the districts share the draws (their p-values are dependent, as in
 * esda).
 */
#define SHARED_STREAM 0x4000000000000000ULL
#define SHARED_MAX_L 4096u

struct shared {
    size_t L, P;
    uint32_t *ids;    /* P*L: permutation p's first L districts */
    double *pre;      /* P*(L+1): pre[p(L+1) + j] = Σ_{e<j} v[ids[pL + e]] */
    double *sorted;   /* (L-1)*P: for k = 1..L-1 the P sums of k values, ascending */
    size_t *hit_row;  /* n+1: district i occurs at hit[hit_row[i] .. hit_row[i+1]) */
    uint32_t *hit;    /* pL + e for every position e < L-1 holding district i */
};

static void shared_release(struct shared *sh)
{
    free(sh->ids);
    free(sh->pre);
    free(sh->sorted);
    free(sh->hit_row);
    free(sh->hit);
    memset(sh, 0, sizeof *sh);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The draws and their sums for rows of up to kmax neighbours; 0 when out of memory. */
static int shared_init(struct shared *sh, const double *v, size_t n, size_t kmax, unsigned perms,
                       uint64_t seed, int threads)
{
    memset(sh, 0, sizeof *sh);
    size_t L = kmax + 1, P = perms;
    sh->L = L;
    sh->P = P;
    sh->ids = malloc(P * L * sizeof *sh->ids);
    sh->pre = malloc(P * (L + 1) * sizeof *sh->pre);
    sh->sorted = malloc((L - 1) * P * sizeof *sh->sorted);
    sh->hit_row = calloc(n + 1, sizeof *sh->hit_row);
    sh->hit = malloc(P * (L - 1) * sizeof *sh->hit);
    if (!sh->ids || !sh->pre || !sh->sorted || !sh->hit_row || !sh->hit) {
        shared_release(sh);
        return 0;
    }
    int failed = 0;
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        /* the Fisher-Yates path of draw_others needs the identity of n + 1 entries */
        uint32_t *scratch = L > 32 || 4 * L > n ? malloc((n + 1) * sizeof *scratch) : NULL;
        uint32_t *log = malloc(L * sizeof *log);
        if (!log || (L > 32 || 4 * L > n ? !scratch : 0))
            failed = 1;
        else if (scratch)
            for (size_t a = 0; a <= n; a++)
                scratch[a] = (uint32_t)a;
#pragma omp for schedule(static)
        for (long lp = 0; lp < (long)P; lp++) {
            if (failed)
                continue;
            size_t p = (size_t)lp;
            struct qtr_rng g;
            qtr_rng_seed(&g, seed, SHARED_STREAM | (uint64_t)p);
            /* L distinct of all n: "others" of a district n that does not exist */
            uint32_t *id = sh->ids + p * L;
            draw_others(&g, n + 1, n, L, id, scratch, log);
            double *pre = sh->pre + p * (L + 1);
            pre[0] = 0.0;
            for (size_t e = 0; e < L; e++)
                pre[e + 1] = pre[e] + v[id[e]];
        }
        free(scratch);
        free(log);
    }
    if (failed) {
        shared_release(sh);
        return 0;
    }
    for (size_t k = 1; k < L; k++) {
        double *s = sh->sorted + (k - 1) * P;
        for (size_t p = 0; p < P; p++)
            s[p] = sh->pre[p * (L + 1) + k];
        qsort(s, P, sizeof *s, cmp_double);
    }
    for (size_t p = 0; p < P; p++)
        for (size_t e = 0; e + 1 < L; e++)
            sh->hit_row[sh->ids[p * L + e] + 1]++;
    for (size_t i = 0; i < n; i++)
        sh->hit_row[i + 1] += sh->hit_row[i];
    size_t *fill = malloc((n + 1) * sizeof *fill);
    if (!fill) {
        shared_release(sh);
        return 0;
    }
    memcpy(fill, sh->hit_row, (n + 1) * sizeof *fill);
    for (size_t p = 0; p < P; p++)
        for (size_t e = 0; e + 1 < L; e++)
            sh->hit[fill[sh->ids[p * L + e]]++] = (uint32_t)(p * L + e);
    free(fill);
    return 1;
}

/* The simulated statistic of a row for a sum s of k drawn values of weight c each. */
static inline double sim_of(struct local_row r, double c, double s)
{
    return stat_of(r, c * s);
}

/* First j in [0, P) with sim_of(sorted[j]) above (strict: > obs, else >= obs) the observed
 * value, for b >= 0 (sim_of non-decreasing in s); for b < 0 the first j with sim_of below
 * (strict: < obs, else <= obs). */
static size_t first_past(const double *sorted, size_t P, struct local_row r, double c, double obs,
                         int strict)
{
    size_t lo = 0, hi = P;
    int up = r.b >= 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double s = sim_of(r, c, sorted[mid]);
        int past = up ? (strict ? s > obs : s >= obs) : (strict ? s < obs : s <= obs);
        if (past)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ge and le of district i (k neighbours of weight c) over the shared draws. */
static void shared_counts(const struct shared *sh, const double *v, size_t i, size_t k, double c,
                          struct local_row r, double obs, size_t *ge, size_t *le)
{
    size_t P = sh->P, L = sh->L;
    const double *sorted = sh->sorted + (k - 1) * P;
    if (r.b >= 0) {
        *ge = P - first_past(sorted, P, r, c, obs, 0);
        *le = first_past(sorted, P, r, c, obs, 1);
    } else {
        *ge = first_past(sorted, P, r, c, obs, 1);
        *le = P - first_past(sorted, P, r, c, obs, 0);
    }
    /* permutations whose first k hold i itself: their k others are the first k + 1 but i */
    for (size_t h = sh->hit_row[i]; h < sh->hit_row[i + 1]; h++) {
        size_t p = sh->hit[h] / L, e = sh->hit[h] % L;
        if (e >= k)
            continue;
        double was = sim_of(r, c, sh->pre[p * (L + 1) + k]);
        const uint32_t *id = sh->ids + p * L;
        double s = 0.0;
        for (size_t f = 0; f <= k; f++)
            if (id[f] != i)
                s += v[id[f]];
        double now = sim_of(r, c, s);
        *ge += (size_t)(now >= obs) - (size_t)(was >= obs);
        *le += (size_t)(now <= obs) - (size_t)(was <= obs);
    }
}

/* The positive weights of row i except i itself into wts; their count. */
static size_t row_weights(const struct qtr_csr *w, size_t i, double *wts)
{
    size_t k = 0;
    for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
        if (w->col[e] != i && w->w[e] > 0)
            wts[k++] = w->w[e];
    return k;
}

static int equal_weights(const double *wts, size_t k)
{
    for (size_t e = 1; e < k; e++)
        if (wts[e] != wts[0])
            return 0;
    return 1;
}

static int run_local(const struct local_ctx *c, const struct qtr_lisa_options *opt, double *stat,
                     double *lag, double *p_sim, uint8_t *excluded, const char *name,
                     struct qtr_error *err)
{
    const struct qtr_csr *w = c->w;
    size_t n = w->n, kmax = 0, kmax_eq = 0;
    double *wts0 = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            k += w->col[e] != i && w->w[e] > 0;
        if (k > kmax)
            kmax = k;
    }
    wts0 = malloc((kmax + 1) * sizeof *wts0);
    if (!wts0)
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for %zu districts", name, n);
    for (size_t i = 0; i < n; i++) {
        size_t k = row_weights(w, i, wts0);
        if (k > kmax_eq && equal_weights(wts0, k))
            kmax_eq = k;
    }
    free(wts0);
    unsigned perms = opt->permutations;
    struct shared sh = {0};
    int use_shared = kmax_eq > 0 && kmax_eq + 1 <= SHARED_MAX_L;
    if (use_shared && !shared_init(&sh, c->v, n, kmax_eq, perms, opt->seed, qtr_lisa_threads(opt)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for %zu districts", name, n);
    int failed = 0;
#pragma omp parallel num_threads(qtr_lisa_threads(opt)) reduction(| : failed)
    {
        uint32_t *scratch = malloc(n * sizeof *scratch);
        uint32_t *ids = malloc((kmax + 1) * BATCH * sizeof *ids);
        uint32_t *log = malloc((kmax + 1) * sizeof *log);
        double *wts = malloc((kmax + 1) * sizeof *wts);
        if (!scratch || !ids || !log || !wts)
            failed = 1;
        else
            for (size_t a = 0; a < n; a++)
                scratch[a] = (uint32_t)a;
#pragma omp for schedule(dynamic, 1024)
        for (long li = 0; li < (long)n; li++) {
            size_t i = (size_t)li;
            if (failed)
                continue;
            size_t k = row_weights(w, i, wts);
            if (k == 0) {
                stat[i] = 0.0;
                lag[i] = c->kind == LOCAL_GSTAR ? c->v[i] : 0.0;
                p_sim[i] = 1.0;
                excluded[i] = QTR_LOCAL_ISLAND;
                continue;
            }
            excluded[i] = QTR_LOCAL_INCLUDED;
            int shared = use_shared && k <= kmax_eq && equal_weights(wts, k);
            double acc = 0.0;
            if (shared) {
                /* c Σ v, the form of the simulated sums, so that ties compare alike */
                double s = 0.0;
                for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                    if (w->col[e] != i && w->w[e] > 0)
                        s += c->v[w->col[e]];
                acc = wts[0] * s;
            } else {
                for (size_t e = w->row[i], f = 0; e < w->row[i + 1]; e++)
                    if (w->col[e] != i && w->w[e] > 0)
                        acc += wts[f++] * c->v[w->col[e]];
            }
            struct local_row r = local_row(c, i, wts, k);
            if (c->kind == LOCAL_MORAN) {
                double W = 0.0;
                for (size_t e = 0; e < k; e++)
                    W += wts[e];
                lag[i] = acc / W;
            } else {
                lag[i] = acc + c->v[i];
            }
            double obs = stat_of(r, acc);
            stat[i] = obs;
            size_t ge = 0, le = 0;
            if (shared) {
                shared_counts(&sh, c->v, i, k, wts[0], r, obs, &ge, &le);
                p_sim[i] = qtr_lisa_folded_p(ge, le, perms);
                continue;
            }
            struct qtr_rng g;
            qtr_rng_seed(&g, opt->seed, (uint64_t)i);
            /* Draw a batch of permutations first, then gather: the random
             * loads of v are then independent of any branch and overlap
             * (on 10^6 districts v no longer fits in cache). */
            for (unsigned p0 = 0; p0 < perms; p0 += BATCH) {
                unsigned nb = perms - p0 < BATCH ? perms - p0 : BATCH;
                for (unsigned b = 0; b < nb; b++)
                    draw_others(&g, n, i, k, ids + (size_t)b * k, scratch, log);
                for (unsigned b = 0; b < nb; b++) {
                    const uint32_t *id = ids + (size_t)b * k;
                    double sacc = 0.0;
                    for (size_t e = 0; e < k; e++)
                        sacc += wts[e] * c->v[id[e]];
                    double sim = stat_of(r, sacc);
                    ge += sim >= obs;
                    le += sim <= obs;
                }
            }
            p_sim[i] = qtr_lisa_folded_p(ge, le, perms);
        }
        free(scratch);
        free(ids);
        free(log);
        free(wts);
    }
    shared_release(&sh);
    if (failed)
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for %zu districts", name, n);
    return QTR_OK;
}

struct local_bufs {
    double *stat, *lag, *p_sim, *p_adj;
    uint8_t *excluded, *sig;
};

static void bufs_release(struct local_bufs *b, const struct qtr_local_out *out)
{
    if (b->stat != out->stat)
        free(b->stat);
    if (b->lag != out->lag)
        free(b->lag);
    if (b->p_sim != out->p_sim)
        free(b->p_sim);
    if (b->p_adj != out->p_adj)
        free(b->p_adj);
    if (b->excluded != out->excluded)
        free(b->excluded);
    free(b->sig);
}

static int bufs_init(struct local_bufs *b, const struct qtr_local_out *out, size_t n)
{
    memset(b, 0, sizeof *b);
    b->stat = out->stat ? out->stat : malloc(n * sizeof(double));
    b->lag = out->lag ? out->lag : malloc(n * sizeof(double));
    b->p_sim = out->p_sim ? out->p_sim : malloc(n * sizeof(double));
    b->p_adj = out->p_adj ? out->p_adj : malloc(n * sizeof(double));
    b->excluded = out->excluded ? out->excluded : malloc(n);
    b->sig = malloc(n);
    return b->stat && b->lag && b->p_sim && b->p_adj && b->excluded && b->sig ? 0 : -1;
}

static int check_local_opt(const struct qtr_lisa_options *opt, double *alpha, const char *name,
                           struct qtr_error *err)
{
    if (!opt || opt->permutations == 0)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: local inference needs permutations (e.g. 999)", name);
    *alpha = opt->alpha > 0 ? opt->alpha : 0.05;
    if (!(*alpha < 1))
        return qtr_error_set(err, QTR_ERR_USAGE, "%s: alpha must be below 1 (got %g)", name,
                             *alpha);
    return QTR_OK;
}

int qtr_moran_local(const struct qtr_csr *w, const double *y, const struct qtr_lisa_options *opt,
                    struct qtr_local_out *out, struct qtr_error *err)
{
    static const char *name = "local Moran's I";
    double alpha = 0.05; /* set by check_local_opt; initialised for -O2 -Werror */
    int rc = qtr_lisa_check_inputs(w, y, name, err);
    if (rc || (rc = check_local_opt(opt, &alpha, name, err)))
        return rc;
    size_t n = w->n;
    struct local_bufs b;
    double *z = malloc(n * sizeof *z);
    if (bufs_init(&b, out, n) || !z) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto out;
    }
    double mean = 0.0, m2 = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        m2 += (y[i] - mean) * (y[i] - mean);
    if (!(m2 > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the variable is constant across all districts",
                           name);
        goto out;
    }
    double sd = sqrt(m2 / (double)n), zz = 0.0;
    for (size_t i = 0; i < n; i++) {
        z[i] = (y[i] - mean) / sd;
        zz += z[i] * z[i];
    }
    struct local_ctx c = {LOCAL_MORAN, w, z, ((double)n - 1.0) / zz, 0.0, 0.0};
    if ((rc = run_local(&c, opt, b.stat, b.lag, b.p_sim, b.excluded, name, err)))
        goto out;
    if ((rc = qtr_lisa_significance(b.p_sim, b.excluded, n, opt->correction, alpha, b.p_adj, b.sig, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        /* esda Moran_Local.q: 1 HH, 2 LH, 3 LL, 4 HL (z > 0 is "high"). */
        int zp = z[i] > 0, lp = b.lag[i] > 0;
        uint8_t q = zp ? (lp ? QTR_LISA_HH : QTR_LISA_HL) : (lp ? QTR_LISA_LH : QTR_LISA_LL);
        if (out->quadrant)
            out->quadrant[i] = q;
        if (out->cluster)
            out->cluster[i] = b.sig[i] ? q : QTR_LISA_NS;
        if (out->spot)
            out->spot[i] = 0;
    }
out:
    bufs_release(&b, out);
    free(z);
    return rc;
}

int qtr_getis_ord_local(const struct qtr_csr *w, const double *x,
                        const struct qtr_lisa_options *opt, struct qtr_local_out *out,
                        struct qtr_error *err)
{
    static const char *name = "Getis-Ord Gi*";
    double alpha = 0.05; /* set by check_local_opt; initialised for -O2 -Werror */
    int rc = qtr_lisa_check_inputs(w, x, name, err);
    if (rc || (rc = check_local_opt(opt, &alpha, name, err)))
        return rc;
    size_t n = w->n;
    struct local_bufs b;
    if (bufs_init(&b, out, n)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto out;
    }
    double mean = 0.0, m2 = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        m2 += (x[i] - mean) * (x[i] - mean);
    if (!(m2 > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the variable is constant across all districts",
                           name);
        goto out;
    }
    struct local_ctx c = {LOCAL_GSTAR, w, x, 0.0, mean, sqrt(m2 / (double)n)};
    if ((rc = run_local(&c, opt, b.stat, b.lag, b.p_sim, b.excluded, name, err)))
        goto out;
    /* n S1_i = W_i² only if district i neighbours every other with equal
     * weight: Gi* is then 0/0. */
    for (size_t i = 0; i < n; i++) {
        if (b.excluded[i] == QTR_LOCAL_INCLUDED && !isfinite(b.stat[i])) {
            b.stat[i] = 0.0;
            b.p_sim[i] = 1.0;
            b.excluded[i] = QTR_LOCAL_UNDEFINED;
        }
    }
    if ((rc = qtr_lisa_significance(b.p_sim, b.excluded, n, opt->correction, alpha, b.p_adj, b.sig, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (out->spot)
            out->spot[i] = (int8_t)(b.sig[i] ? (b.stat[i] > 0) - (b.stat[i] < 0) : 0);
        if (out->quadrant)
            out->quadrant[i] = 0;
        if (out->cluster)
            out->cluster[i] = 0;
    }
out:
    bufs_release(&b, out);
    return rc;
}

