/*
 * spatial.c - spatially explicit single-group segregation indices and the
 * egohood lag. Formulas and PySAL's departures are documented in spatial.h;
 * comments here say where the numbers come from and why a loop looks odd.
 */
#include "quartier/spatial.h"
#include "quartier/decay_field.h"

#include "quartier/ksum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spatial_internal.h"

int qtr_spatial_check_units(const struct qtr_units *u, const char *index, struct qtr_error *err)
{
    if (!u || u->n == 0 || !u->total || !u->group)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: no districts or no counts given", index);
    for (size_t i = 0; i < u->n; i++) {
        double x = u->group[i], t = u->total[i];
        if (!isfinite(x) || !isfinite(t) || x < 0 || t < 0)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has a missing or negative count "
                                 "(group %g, total %g); fill or exclude it first",
                                 index, i, x, t);
        if (x > t)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has more group members (%g) than residents "
                                 "(%g); check the group and total columns",
                                 index, i, x, t);
    }
    return QTR_OK;
}

static int check_csr(const struct qtr_csr *w, size_t n, const char *index, struct qtr_error *err)
{
    if (!w || w->n != n)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: the weights have %zu rows but there are %zu districts", index,
                             w ? w->n : 0, n);
    for (size_t e = 0; e < w->row[n]; e++)
        if (w->col[e] >= n || !isfinite(w->w[e]))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: weight entry %zu is out of range or not finite", index, e);
    return QTR_OK;
}

/* Duncan & Duncan (1955) D in PySAL's form Σ t_i |p_i - P| / (2 T P (1-P)). */
static int aspatial_d(const struct qtr_units *u, const char *index, double *out,
                      struct qtr_error *err)
{
    struct qtr_ksum T = {0, 0}, X = {0, 0}, num = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        qtr_ksum_add(&T, u->total[i]);
        qtr_ksum_add(&X, u->group[i]);
    }
    double t = qtr_ksum_get(&T), x = qtr_ksum_get(&X);
    if (!(t > 0) || !(x > 0) || !(x < t))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: not defined when the group is absent from the city or is its "
                             "whole population (group %g of %g)",
                             index, x, t);
    double P = x / t;
    for (size_t i = 0; i < u->n; i++) {
        double p = u->total[i] > 0 ? u->group[i] / u->total[i] : 0.0;
        qtr_ksum_add(&num, u->total[i] * fabs(p - P));
    }
    *out = qtr_ksum_get(&num) / (2.0 * t * P * (1.0 - P));
    return QTR_OK;
}

static double share(const struct qtr_units *u, size_t i)
{
    return u->total[i] > 0 ? u->group[i] / u->total[i] : 0.0;
}

/* ---- D minus a spatial term: one definition per variant, one evaluation ------------ */

struct adjusted_d_def {
    const char *name;
    int needs_shape; /* areas and perimeters */
    /* the term subtracted from D (num / den of the variant), after D is known to be defined */
    int (*term)(const struct qtr_units *u, const struct qtr_csr *w, const double *perimeter,
                const char *name, double *num, double *den, struct qtr_error *err);
};

/* Morrill (1991), eq. 2: D(adj) = D - Σ c_ij |z_i - z_j| / Σ c_ij. */
static int term_morrill(const struct qtr_units *u, const struct qtr_csr *w, const double *perimeter,
                        const char *name, double *num, double *den, struct qtr_error *err)
{
    (void)perimeter;
    struct qtr_ksum sn = {0, 0}, sd = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double pi = share(u, i);
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            qtr_ksum_add(&sn, w->w[e] * fabs(pi - share(u, w->col[e])));
            qtr_ksum_add(&sd, w->w[e]);
        }
    }
    if (!(qtr_ksum_get(&sd) > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: no district has a neighbour (all weights are zero)", name);
    *num = qtr_ksum_get(&sn);
    *den = qtr_ksum_get(&sd);
    return QTR_OK;
}

/* Wong (1993) D(w) with row-standardised shared lengths (Hong et al. 2014). */
static int term_boundary(const struct qtr_units *u, const struct qtr_csr *len,
                         const double *perimeter, const char *name, double *num, double *den,
                         struct qtr_error *err)
{
    (void)perimeter;
    struct qtr_ksum sn = {0, 0}, sd = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        struct qtr_ksum rs = {0, 0}, rn = {0, 0};
        double pi = share(u, i);
        for (size_t e = len->row[i]; e < len->row[i + 1]; e++) {
            qtr_ksum_add(&rs, len->w[e]);
            qtr_ksum_add(&rn, len->w[e] * fabs(pi - share(u, len->col[e])));
        }
        double s = qtr_ksum_get(&rs);
        if (s > 0) {
            qtr_ksum_add(&sn, qtr_ksum_get(&rn) / s);
            qtr_ksum_add(&sd, 1.0);
        }
    }
    if (!(qtr_ksum_get(&sd) > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: no district shares a boundary with another",
                             name);
    *num = qtr_ksum_get(&sn);
    *den = qtr_ksum_get(&sd);
    return QTR_OK;
}

/* Tivadar (2019), appendix A: Wong's D(s) without the extra halving. */
static int term_perimeter_area(const struct qtr_units *u, const struct qtr_csr *len,
                               const double *perimeter, const char *name, double *num, double *den,
                               struct qtr_error *err)
{
    double max_pa = 0.0;
    for (size_t i = 0; i < u->n; i++) {
        if (!(u->area[i] > 0) || !(perimeter[i] > 0) || !isfinite(perimeter[i]))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has area %g m² and perimeter %g m; both must "
                                 "be positive",
                                 name, i, u->area[i], perimeter[i]);
        double pa = perimeter[i] / u->area[i];
        if (pa > max_pa)
            max_pa = pa;
    }
    struct qtr_ksum total = {0, 0}, sn = {0, 0};
    for (size_t e = 0; e < len->row[u->n]; e++)
        qtr_ksum_add(&total, len->w[e]);
    double tl = qtr_ksum_get(&total);
    if (!(tl > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: no district shares a boundary with another",
                             name);
    for (size_t i = 0; i < u->n; i++) {
        double pi = share(u, i), pai = perimeter[i] / u->area[i];
        for (size_t e = len->row[i]; e < len->row[i + 1]; e++) {
            uint32_t j = len->col[e];
            qtr_ksum_add(&sn, fabs(pi - share(u, j)) * (len->w[e] / tl) *
                                  (pai + perimeter[j] / u->area[j]));
        }
    }
    *num = qtr_ksum_get(&sn);
    *den = 2.0 * max_pa;
    return QTR_OK;
}

static const struct adjusted_d_def adjusted_d_defs[] = {
    {"spatial_dissimilarity", 0, term_morrill},
    {"boundary_spatial_dissimilarity", 0, term_boundary},
    {"perimeter_area_ratio_spatial_dissimilarity", 1, term_perimeter_area},
};

static int adjusted_d(const struct adjusted_d_def *def, const struct qtr_units *u,
                      const struct qtr_csr *w, const double *perimeter, double *out,
                      struct qtr_error *err)
{
    const char *name = def->name;
    int rc = qtr_spatial_check_units(u, name, err);
    if (rc || (rc = check_csr(w, u->n, name, err)))
        return rc;
    if (def->needs_shape && (!u->area || !perimeter))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: needs district areas and perimeters", name);
    double d = 0.0, num = 0.0, den = 1.0;
    if ((rc = aspatial_d(u, name, &d, err)) ||
        (rc = def->term(u, w, perimeter, name, &num, &den, err)))
        return rc;
    *out = d - num / den;
    return QTR_OK;
}

int qtr_spatial_dissimilarity(const struct qtr_units *u, const struct qtr_csr *w, double *out,
                              struct qtr_error *err)
{
    return adjusted_d(&adjusted_d_defs[0], u, w, NULL, out, err);
}

int qtr_boundary_spatial_dissimilarity(const struct qtr_units *u, const struct qtr_csr *len,
                                       double *out, struct qtr_error *err)
{
    return adjusted_d(&adjusted_d_defs[1], u, len, NULL, out, err);
}

int qtr_perimeter_area_ratio_spatial_dissimilarity(const struct qtr_units *u,
                                                   const struct qtr_csr *len,
                                                   const double *perimeter, double *out,
                                                   struct qtr_error *err)
{
    return adjusted_d(&adjusted_d_defs[2], u, len, perimeter, out, err);
}

/* ---- spatial proximity profile ------------------------------------------------ */

struct rank_item {
    double p;
    uint32_t i;
};

static int cmp_rank_desc(const void *a, const void *b)
{
    const struct rank_item *x = a, *y = b;
    if (x->p > y->p)
        return -1;
    if (x->p < y->p)
        return 1;
    return (x->i > y->i) - (x->i < y->i);
}

int qtr_spatial_proximity_profile(const struct qtr_units *u, const struct qtr_csr *w, size_t m,
                                  double *out, double *curve, struct qtr_error *err)
{
    static const char *name = "spatial_proximity_profile";
    int rc = qtr_spatial_check_units(u, name, err);
    if (rc || (rc = check_csr(w, u->n, name, err)))
        return rc;
    if (m < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: needs at least 2 thresholds (got %zu)", name,
                             m);
    size_t n = u->n;
    struct qtr_ksum T = {0, 0}, X = {0, 0};
    for (size_t i = 0; i < n; i++) {
        qtr_ksum_add(&T, u->total[i]);
        qtr_ksum_add(&X, u->group[i]);
    }
    if (!(qtr_ksum_get(&T) > 0) || !(qtr_ksum_get(&X) > 0) ||
        !(qtr_ksum_get(&X) < qtr_ksum_get(&T)))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: not defined when the group is absent or is the whole "
                             "population",
                             name);
    double P = qtr_ksum_get(&X) / qtr_ksum_get(&T);

    struct rank_item *items = malloc(n * sizeof *items);
    uint32_t *rank = malloc(n * sizeof *rank);
    uint32_t *queue = malloc(n * sizeof *queue);
    int64_t *dist = malloc(n * sizeof *dist);
    double *contrib = calloc(n + 1, sizeof *contrib);
    double *eta = malloc(m * sizeof *eta);
    rc = QTR_OK;
    if (!items || !rank || !queue || !dist || !contrib || !eta) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for %zu districts", name, n);
        goto out;
    }
    /* Districts with t_i = 0 have no share (PySAL: NaN >= τ is false) and
     * never enter G(τ), but paths may run through them. */
    size_t ndef = 0;
    for (size_t i = 0; i < n; i++)
        if (u->total[i] > 0)
            items[ndef++] = (struct rank_item){u->group[i] / u->total[i], (uint32_t)i};
    qsort(items, ndef, sizeof *items, cmp_rank_desc);
    for (size_t i = 0; i < n; i++)
        rank[i] = UINT32_MAX;
    for (size_t r = 0; r < ndef; r++)
        rank[items[r].i] = (uint32_t)r;

    /* G(τ) is always a prefix of the districts sorted by share, so
     * S(K) = Σ_{a,b among the first K} δ_ab accumulates pair (a,b) at
     * position max(rank a, rank b): one BFS per source, O(n) memory. */
    size_t inf_at = SIZE_MAX;
    for (size_t r = 0; r < ndef; r++) {
        uint32_t s = items[r].i;
        for (size_t i = 0; i < n; i++)
            dist[i] = -1;
        size_t head = 0, tail = 0;
        queue[tail++] = s;
        dist[s] = 0;
        while (head < tail) {
            uint32_t v = queue[head++];
            for (size_t e = w->row[v]; e < w->row[v + 1]; e++) {
                uint32_t nb = w->col[e];
                if (w->w[e] > 0 && dist[nb] < 0) {
                    dist[nb] = dist[v] + 1;
                    queue[tail++] = nb;
                }
            }
        }
        for (size_t q = 0; q < ndef; q++) {
            uint32_t b = items[q].i;
            size_t at = q > r ? q : r;
            if (b == s)
                continue;
            if (dist[b] < 0) {
                if (at < inf_at)
                    inf_at = at;
            } else {
                contrib[at] += (double)dist[b];
            }
        }
    }
    /* Cumulative S(K) for K = 1..ndef, reuse contrib as prefix sums (exact:
     * integer hop counts below 2^53). */
    for (size_t r = 1; r < ndef; r++)
        contrib[r] += contrib[r - 1];

    /* Thresholds as numpy.linspace(0, 1, m) computes them: k * (1/(m-1)). */
    double step = 1.0 / (double)(m - 1);
    size_t K = ndef;
    struct qtr_ksum below = {0, 0}, above = {0, 0};
    for (size_t k = 0; k < m; k++) {
        double tau = k == m - 1 ? 1.0 : (double)k * step;
        while (K > 0 && !(items[K - 1].p >= tau))
            K--;
        double e = 0.0;
        if (K >= 2 && (inf_at == SIZE_MAX || K - 1 < inf_at))
            e = ((double)K * (double)K - (double)K) / contrib[K - 1];
        eta[k] = e;
        if (tau < P)
            qtr_ksum_add(&below, e);
        else
            qtr_ksum_add(&above, e);
    }
    if (curve)
        memcpy(curve, eta, m * sizeof *eta);
    *out = (P - (qtr_ksum_get(&below) / (double)m - qtr_ksum_get(&above) / (double)m)) / (1.0 - P);
out:
    free(items);
    free(rank);
    free(queue);
    free(dist);
    free(contrib);
    free(eta);
    return rc;
}

/* ---- egohoods ------------------------------------------------------------------- */

int qtr_spatial_lag_counts(const struct qtr_csr *w, const double *v, int round_half_even,
                           double *out, struct qtr_error *err)
{
    if (!w || !v || !out)
        return qtr_error_set(err, QTR_ERR_USAGE, "spatial lag: missing weights or values");
    if (w->n && out == v)
        return qtr_error_set(err, QTR_ERR_USAGE, "spatial lag: output must not alias input");
    int rc = check_csr(w, w->n, "spatial lag", err);
    if (rc)
        return rc;
    for (size_t i = 0; i < w->n; i++) {
        if (!isfinite(v[i]))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "spatial lag: district %zu has a missing count", i);
    }
    for (size_t i = 0; i < w->n; i++) {
        /* scipy's CSR mat-vec sums in stored column order; the diagonal
         * (fill_diagonal: w_ii = 1) takes its place in that order. */
        double acc = 0.0;
        int self_done = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            uint32_t j = w->col[e];
            if (!self_done && j >= i) {
                acc += v[i];
                self_done = 1;
            }
            if (j == i)
                continue;
            acc += w->w[e] * v[j];
        }
        if (!self_done)
            acc += v[i];
        /* pandas round(0) is numpy's round half to even, as is nearbyint in
         * the default rounding mode. */
        out[i] = round_half_even ? nearbyint(acc) : acc;
    }
    return QTR_OK;
}

/* One bandwidth of a profile: `index` on the lagged counts; a QTR_ERR_DOMAIN index leaves
 * NAN and its status, any other failure is returned. */
static int profile_point(const struct qtr_units *u, double *lx, double *lt,
                         qtr_aspatial_index index, double *value, int *status,
                         struct qtr_error *err)
{
    struct qtr_units lu = *u;
    lu.group = lx;
    lu.total = lt;
    struct qtr_error ierr;
    qtr_error_clear(&ierr);
    double v;
    int st = index(&lu, &v, &ierr);
    *status = st;
    *value = st == QTR_OK ? v : NAN;
    if (st != QTR_OK && st != QTR_ERR_DOMAIN) {
        if (err)
            *err = ierr;
        return st;
    }
    return QTR_OK;
}

int qtr_multiscalar_profile(const struct qtr_units *u, const double *bandwidths, size_t nb,
                            qtr_kernel_builder build, void *ctx, qtr_aspatial_index index,
                            double *values, int *status, struct qtr_error *err)
{
    if (!u || !bandwidths || !build || !index || !values || !status)
        return qtr_error_set(err, QTR_ERR_USAGE, "multiscalar profile: missing argument");
    int rc = qtr_spatial_check_units(u, "multiscalar profile", err);
    if (rc)
        return rc;
    double *lx = malloc(u->n * sizeof *lx), *lt = malloc(u->n * sizeof *lt);
    struct qtr_csr *w = NULL;
    if (!lx || !lt) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "multiscalar profile: out of memory");
        goto out;
    }
    for (size_t k = 0; k < nb; k++) {
        values[k] = NAN;
        status[k] = QTR_ERR_DOMAIN;
        if ((rc = build(bandwidths[k], ctx, &w, err))) {
            qtr_error_prefix(err, "multiscalar profile, bandwidth %g m", bandwidths[k]);
            goto out;
        }
        if ((rc = qtr_spatial_lag_counts(w, u->group, 1, lx, err)) ||
            (rc = qtr_spatial_lag_counts(w, u->total, 1, lt, err))) {
            qtr_error_prefix(err, "multiscalar profile, bandwidth %g m", bandwidths[k]);
            goto out;
        }
        qtr_csr_free(w);
        w = NULL;
        if ((rc = profile_point(u, lx, lt, index, &values[k], &status[k], err)))
            goto out;
    }
    rc = QTR_OK;
out:
    qtr_csr_free(w);
    free(lx);
    free(lt);
    return rc;
}

int qtr_multiscalar_profile_kernel(const struct qtr_units *u, const double *bandwidths,
                                   size_t nb, const qtr_aspatial_index *index, size_t nidx,
                                   double *values, int *status, struct qtr_error *err)
{
    if (!u || !bandwidths || !index || !values || !status || !u->cx || !u->cy)
        return qtr_error_set(err, QTR_ERR_USAGE, "multiscalar profile: missing argument");
    int rc = qtr_spatial_check_units(u, "multiscalar profile", err);
    if (rc)
        return rc;
    for (size_t k = 0; k < nidx * nb; k++) {
        values[k] = NAN;
        status[k] = QTR_ERR_DOMAIN;
    }
    double *lx = malloc((u->n ? u->n : 1) * sizeof *lx),
           *lt = malloc((u->n ? u->n : 1) * sizeof *lt);
    if (!lx || !lt) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "multiscalar profile: out of memory");
        goto out;
    }
    for (size_t b = 0; b < nb; b++) {
        const double *v[2] = {u->group, u->total};
        double *o[2] = {lx, lt};
        if ((rc = qtr_kernel_lag(u->cx, u->cy, u->n, QTR_KERNEL_TRIANGULAR, bandwidths[b], 2, v,
                                 1, o, err))) {
            qtr_error_prefix(err, "multiscalar profile, bandwidth %g m", bandwidths[b]);
            goto out;
        }
        for (size_t k = 0; k < nidx; k++)
            if ((rc = profile_point(u, lx, lt, index[k], &values[k * nb + b],
                                    &status[k * nb + b], err)))
                goto out;
    }
out:
    free(lx);
    free(lt);
    return rc;
}
