/*
 * spatial.c - spatially explicit single-group segregation indices and the
 * egohood lag. Formulas and PySAL's departures are documented in spatial.h;
 * comments here say where the numbers come from and why a loop looks odd.
 */
#include "quartier/spatial.h"

#include "quartier/ksum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int check_units(const struct qtr_units *u, const char *index, struct qtr_error *err)
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

int qtr_spatial_dissimilarity(const struct qtr_units *u, const struct qtr_csr *w, double *out,
                              struct qtr_error *err)
{
    static const char *name = "spatial_dissimilarity";
    int rc = check_units(u, name, err);
    if (rc || (rc = check_csr(w, u->n, name, err)))
        return rc;
    double d;
    if ((rc = aspatial_d(u, name, &d, err)))
        return rc;
    /* Morrill (1991), eq. 2: D(adj) = D - Σ c_ij |z_i - z_j| / Σ c_ij. */
    struct qtr_ksum num = {0, 0}, den = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double pi = share(u, i);
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            qtr_ksum_add(&num, w->w[e] * fabs(pi - share(u, w->col[e])));
            qtr_ksum_add(&den, w->w[e]);
        }
    }
    if (!(qtr_ksum_get(&den) > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s: no district has a neighbour (all weights are zero)", name);
    *out = d - qtr_ksum_get(&num) / qtr_ksum_get(&den);
    return QTR_OK;
}

int qtr_boundary_spatial_dissimilarity(const struct qtr_units *u, const struct qtr_csr *len,
                                       double *out, struct qtr_error *err)
{
    static const char *name = "boundary_spatial_dissimilarity";
    int rc = check_units(u, name, err);
    if (rc || (rc = check_csr(len, u->n, name, err)))
        return rc;
    double d;
    if ((rc = aspatial_d(u, name, &d, err)))
        return rc;
    /* Wong (1993) D(w) with row-standardised shared lengths (Hong et al. 2014). */
    struct qtr_ksum num = {0, 0}, den = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        struct qtr_ksum rs = {0, 0}, rn = {0, 0};
        double pi = share(u, i);
        for (size_t e = len->row[i]; e < len->row[i + 1]; e++) {
            qtr_ksum_add(&rs, len->w[e]);
            qtr_ksum_add(&rn, len->w[e] * fabs(pi - share(u, len->col[e])));
        }
        double s = qtr_ksum_get(&rs);
        if (s > 0) {
            qtr_ksum_add(&num, qtr_ksum_get(&rn) / s);
            qtr_ksum_add(&den, 1.0);
        }
    }
    if (!(qtr_ksum_get(&den) > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: no district shares a boundary with another",
                             name);
    *out = d - qtr_ksum_get(&num) / qtr_ksum_get(&den);
    return QTR_OK;
}

int qtr_perimeter_area_ratio_spatial_dissimilarity(const struct qtr_units *u,
                                                   const struct qtr_csr *len,
                                                   const double *perimeter, double *out,
                                                   struct qtr_error *err)
{
    static const char *name = "perimeter_area_ratio_spatial_dissimilarity";
    int rc = check_units(u, name, err);
    if (rc || (rc = check_csr(len, u->n, name, err)))
        return rc;
    if (!u->area || !perimeter)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: needs district areas and perimeters", name);
    double d;
    if ((rc = aspatial_d(u, name, &d, err)))
        return rc;
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
    /* Tivadar (2019), appendix A: Wong's D(s) without the extra halving. */
    struct qtr_ksum total = {0, 0}, num = {0, 0};
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
            qtr_ksum_add(&num, fabs(pi - share(u, j)) * (len->w[e] / tl) *
                                   (pai + perimeter[j] / u->area[j]));
        }
    }
    *out = d - qtr_ksum_get(&num) / (2.0 * max_pa);
    return QTR_OK;
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
    int rc = check_units(u, name, err);
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

/* ---- distance-decay proximity c_ij ------------------------------------------------ */

/*
 * Rows of the proximity matrix c, one at a time, so no n×n matrix exists:
 * the published variant keeps a sparse neighbour list (pairs within the
 * cut-off), the PySAL variant recomputes each row from the centroids and the
 * column normalisers S_j = Σ_k d_jk.
 */
struct prox {
    enum qtr_decay_variant variant;
    size_t n;
    const double *cx, *cy;
    double *cself;  /* n: c_ii */
    double *colsum; /* PySAL: n: S_j */
    int dense;      /* every pair, computed on the fly (PySAL, or published without cut-off) */
    size_t *row;    /* published: CSR of pairs within the cut-off (without i) */
    uint32_t *col;
    double *c;
};

static void prox_release(struct prox *p)
{
    free(p->cself);
    free(p->colsum);
    free(p->row);
    free(p->col);
    free(p->c);
    memset(p, 0, sizeof *p);
}

struct cell_item {
    uint64_t cell;
    uint32_t i;
};

static int cmp_cell(const void *a, const void *b)
{
    const struct cell_item *x = a, *y = b;
    if (x->cell != y->cell)
        return (x->cell > y->cell) - (x->cell < y->cell);
    return (x->i > y->i) - (x->i < y->i);
}

static size_t find_cell(const struct cell_item *items, size_t n, uint64_t cell)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (items[mid].cell < cell)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Pairs within `cutoff` metres via a uniform grid (cell ≥ cutoff, so the
 * 3×3 block around a point covers its disc): O(n·k) after an O(n log n) sort. */
static int build_published(struct prox *p, double cutoff, const char *name, struct qtr_error *err)
{
    size_t n = p->n;
    int rc = QTR_OK;
    struct cell_item *items = NULL;
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        minx = fmin(minx, p->cx[i]);
        maxx = fmax(maxx, p->cx[i]);
        miny = fmin(miny, p->cy[i]);
        maxy = fmax(maxy, p->cy[i]);
    }
    double cell = cutoff;
    uint64_t nx, ny;
    for (;;) {
        double fx = floor((maxx - minx) / cell) + 1, fy = floor((maxy - miny) / cell) + 1;
        if (fx * fy <= 4.0 * (double)n + 16.0) {
            nx = (uint64_t)fx;
            ny = (uint64_t)fy;
            break;
        }
        cell *= 2.0;
    }
    items = malloc(n * sizeof *items);
    p->row = calloc(n + 1, sizeof *p->row);
    if (!items || !p->row) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t gx = (uint64_t)((p->cx[i] - minx) / cell);
        uint64_t gy = (uint64_t)((p->cy[i] - miny) / cell);
        items[i] = (struct cell_item){gy * nx + gx, (uint32_t)i};
    }
    qsort(items, n, sizeof *items, cmp_cell);
    for (int pass = 0; pass < 2; pass++) {
        size_t nnz = 0;
        for (size_t i = 0; i < n; i++) {
            if (pass == 1)
                nnz = p->row[i];
            uint64_t gx = (uint64_t)((p->cx[i] - minx) / cell);
            uint64_t gy = (uint64_t)((p->cy[i] - miny) / cell);
            size_t cnt = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if ((dx < 0 && gx == 0) || (dy < 0 && gy == 0) || (dx > 0 && gx + 1 >= nx) ||
                        (dy > 0 && gy + 1 >= ny))
                        continue;
                    uint64_t c = (gy + (uint64_t)(int64_t)dy) * nx + gx + (uint64_t)(int64_t)dx;
                    for (size_t k = find_cell(items, n, c); k < n && items[k].cell == c; k++) {
                        uint32_t j = items[k].i;
                        if (j == i)
                            continue;
                        double d = hypot(p->cx[i] - p->cx[j], p->cy[i] - p->cy[j]);
                        if (d > cutoff)
                            continue;
                        if (pass == 1) {
                            p->col[nnz + cnt] = j;
                            /* Massey & Denton (1988): c_ij = exp(-d_ij), d in km. */
                            p->c[nnz + cnt] = exp(-d / 1000.0);
                        }
                        cnt++;
                    }
                }
            }
            if (pass == 0)
                p->row[i + 1] = p->row[i] + cnt;
        }
        if (pass == 0) {
            size_t tot = p->row[n];
            p->col = malloc((tot ? tot : 1) * sizeof *p->col);
            p->c = malloc((tot ? tot : 1) * sizeof *p->c);
            if (!p->col || !p->c) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM,
                                   "%s: out of memory for %zu neighbour pairs; lower the "
                                   "cut-off distance",
                                   name, tot);
                goto out;
            }
        }
    }
out:
    free(items);
    return rc;
}

static int prox_init(struct prox *p, const struct qtr_units *u, const struct qtr_decay_options *o,
                     const char *name, struct qtr_error *err)
{
    memset(p, 0, sizeof *p);
    int rc = check_units(u, name, err);
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
        p->dense = 1;
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
        if (o->cutoff_m > 0) {
            if ((rc = build_published(p, o->cutoff_m, name, err)))
                goto fail;
        } else {
            size_t max_n = o->max_n ? o->max_n : 5000;
            if (n > max_n) {
                rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                                   "%s: without a cut-off distance all %zu² district pairs are "
                                   "needed; above %zu districts set a cut-off",
                                   name, n, max_n);
                goto fail;
            }
            p->dense = 1;
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

/* Row i of c: (cols[k], c[k]) for k < return value, self included. */
static size_t prox_row(const struct prox *p, size_t i, uint32_t *cols, double *c)
{
    size_t k = 0;
    if (p->dense) {
        int pysal = p->variant == QTR_DECAY_PYSAL;
        for (size_t j = 0; j < p->n; j++) {
            cols[k] = (uint32_t)j;
            if (j == i) {
                c[k] = p->cself[i];
            } else {
                double d = hypot(p->cx[i] - p->cx[j], p->cy[i] - p->cy[j]);
                c[k] = pysal ? 1.0 - exp(-(d / p->colsum[j])) : exp(-d / 1000.0);
            }
            k++;
        }
        return k;
    }
    cols[k] = (uint32_t)i;
    c[k++] = p->cself[i];
    for (size_t e = p->row[i]; e < p->row[i + 1]; e++) {
        cols[k] = p->col[e];
        c[k++] = p->c[e];
    }
    return k;
}

static size_t prox_max_row(const struct prox *p)
{
    if (p->dense)
        return p->n;
    size_t mx = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->row[i + 1] - p->row[i] > mx)
            mx = p->row[i + 1] - p->row[i];
    return mx + 1;
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

int qtr_spatial_proximity(const struct qtr_units *u, const struct qtr_decay_options *opt,
                          double *out, struct qtr_error *err)
{
    static const char *name = "spatial_proximity";
    struct prox p;
    struct rowbuf b = {NULL, NULL};
    double X, Y, T;
    int rc = prox_init(&p, u, opt, name, err);
    if (rc)
        return rc;
    if ((rc = totals(u, &X, &Y, &T, name, err)) || (rc = rowbuf_init(&b, &p, name, err)))
        goto out;
    /* White (1983): P_gg = Σ_ij g_i g_j c_ij / G². */
    struct qtr_ksum pxx = {0, 0}, pyy = {0, 0}, ptt = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(&p, i, b.cols, b.c);
        double xi = u->group[i], ti = u->total[i], yi = ti - xi;
        struct qtr_ksum rx = {0, 0}, ry = {0, 0}, rt = {0, 0};
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b.cols[e];
            double xj = u->group[j], tj = u->total[j];
            qtr_ksum_add(&rx, b.c[e] * xj);
            qtr_ksum_add(&ry, b.c[e] * (tj - xj));
            qtr_ksum_add(&rt, b.c[e] * tj);
        }
        qtr_ksum_add(&pxx, xi * qtr_ksum_get(&rx));
        qtr_ksum_add(&pyy, yi * qtr_ksum_get(&ry));
        qtr_ksum_add(&ptt, ti * qtr_ksum_get(&rt));
    }
    double Pxx = qtr_ksum_get(&pxx) / (X * X), Pyy = qtr_ksum_get(&pyy) / (Y * Y),
           Ptt = qtr_ksum_get(&ptt) / (T * T);
    if (!(Ptt > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the proximity of all residents is zero", name);
        goto out;
    }
    *out = (X * Pxx + Y * Pyy) / (T * Ptt);
out:
    rowbuf_release(&b);
    prox_release(&p);
    return rc;
}

int qtr_absolute_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                            double *out, struct qtr_error *err)
{
    static const char *name = "absolute_clustering";
    struct prox p;
    struct rowbuf b = {NULL, NULL};
    double X, Y, T;
    int rc = prox_init(&p, u, opt, name, err);
    if (rc)
        return rc;
    if ((rc = totals(u, &X, &Y, &T, name, err)) || (rc = rowbuf_init(&b, &p, name, err)))
        goto out;
    /* Massey & Denton (1988), ACL (their eq. 16). */
    struct qtr_ksum ax = {0, 0}, at = {0, 0}, csum = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(&p, i, b.cols, b.c);
        struct qtr_ksum rx = {0, 0}, rt = {0, 0};
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b.cols[e];
            qtr_ksum_add(&rx, b.c[e] * u->group[j]);
            qtr_ksum_add(&rt, b.c[e] * u->total[j]);
            qtr_ksum_add(&csum, b.c[e]);
        }
        qtr_ksum_add(&ax, u->group[i] / X * qtr_ksum_get(&rx));
        qtr_ksum_add(&at, u->group[i] / X * qtr_ksum_get(&rt));
    }
    double nn = (double)u->n * (double)u->n;
    double corr = X / nn * qtr_ksum_get(&csum);
    double den = qtr_ksum_get(&at) - corr;
    if (!(fabs(den) > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "%s: the denominator is zero", name);
        goto out;
    }
    *out = (qtr_ksum_get(&ax) - corr) / den;
out:
    rowbuf_release(&b);
    prox_release(&p);
    return rc;
}

int qtr_relative_clustering(const struct qtr_units *u, const struct qtr_decay_options *opt,
                            double *out, struct qtr_error *err)
{
    static const char *name = "relative_clustering";
    struct prox p;
    struct rowbuf b = {NULL, NULL};
    double X, Y, T;
    int rc = prox_init(&p, u, opt, name, err);
    if (rc)
        return rc;
    if ((rc = totals(u, &X, &Y, &T, name, err)) || (rc = rowbuf_init(&b, &p, name, err)))
        goto out;
    int pysal = opt->variant == QTR_DECAY_PYSAL;
    struct qtr_ksum pxx = {0, 0}, pyy = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(&p, i, b.cols, b.c);
        double xi = u->group[i], yi = u->total[i] - xi;
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b.cols[e];
            double xj = u->group[j], yj = u->total[j] - xj;
            /* Massey & Denton (1988) eq. 17 has x_i x_j; PySAL computes
             * (x * x * c).sum(), i.e. x_j² c_ij. */
            qtr_ksum_add(&pxx, b.c[e] * (pysal ? xj * xj : xi * xj));
            qtr_ksum_add(&pyy, b.c[e] * (pysal ? yj * yj : yi * yj));
        }
    }
    double Pyy = qtr_ksum_get(&pyy) / (Y * Y);
    if (!(Pyy > 0)) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                           "%s: the proximity among the other residents is zero", name);
        goto out;
    }
    *out = (qtr_ksum_get(&pxx) / (X * X)) / Pyy - 1.0;
out:
    rowbuf_release(&b);
    prox_release(&p);
    return rc;
}

/* Morgan (1983) DPxx (other = 0) or DPxy (other = 1). */
static int distance_decay(const struct qtr_units *u, const struct qtr_decay_options *opt, int other,
                          const char *name, double *out, struct qtr_error *err)
{
    struct prox p;
    struct rowbuf b = {NULL, NULL};
    double X, Y, T;
    double *s = NULL;
    int rc = prox_init(&p, u, opt, name, err);
    if (rc)
        return rc;
    if ((rc = totals(u, &X, &Y, &T, name, err)) || (rc = rowbuf_init(&b, &p, name, err)))
        goto out;
    s = malloc(u->n * sizeof *s);
    if (!s) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
        goto out;
    }
    /* s_i = Σ_j c_ij t_j: the row normaliser of K_ij = c_ij t_j / s_i. */
    for (size_t i = 0; i < u->n; i++) {
        size_t k = prox_row(&p, i, b.cols, b.c);
        struct qtr_ksum r = {0, 0};
        for (size_t e = 0; e < k; e++)
            qtr_ksum_add(&r, b.c[e] * u->total[b.cols[e]]);
        s[i] = qtr_ksum_get(&r);
    }
    int pysal = opt->variant == QTR_DECAY_PYSAL;
    struct qtr_ksum acc = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        if (!(u->group[i] > 0))
            continue;
        size_t k = prox_row(&p, i, b.cols, b.c);
        struct qtr_ksum r = {0, 0};
        for (size_t e = 0; e < k; e++) {
            uint32_t j = b.cols[e];
            if (!(u->total[j] > 0))
                continue; /* PySAL's nansum drops 0/0; K_ij = 0 in the published form */
            double v = other ? u->total[j] - u->group[j] : u->group[j];
            /* PySAL divides c*t (broadcast) by the row-sum vector, which numpy
             * aligns with the column index j: K_ij = c_ij t_j / s_j. */
            double norm = pysal ? s[j] : s[i];
            if (norm > 0)
                qtr_ksum_add(&r, b.c[e] * v / norm);
        }
        qtr_ksum_add(&acc, u->group[i] / X * qtr_ksum_get(&r));
    }
    *out = qtr_ksum_get(&acc);
out:
    free(s);
    rowbuf_release(&b);
    prox_release(&p);
    return rc;
}

int qtr_distance_decay_isolation(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                 double *out, struct qtr_error *err)
{
    return distance_decay(u, opt, 0, "distance_decay_isolation", out, err);
}

int qtr_distance_decay_exposure(const struct qtr_units *u, const struct qtr_decay_options *opt,
                                double *out, struct qtr_error *err)
{
    return distance_decay(u, opt, 1, "distance_decay_exposure", out, err);
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

int qtr_multiscalar_profile(const struct qtr_units *u, const double *bandwidths, size_t nb,
                            qtr_kernel_builder build, void *ctx, qtr_aspatial_index index,
                            double *values, int *status, struct qtr_error *err)
{
    if (!u || !bandwidths || !build || !index || !values || !status)
        return qtr_error_set(err, QTR_ERR_USAGE, "multiscalar profile: missing argument");
    int rc = check_units(u, "multiscalar profile", err);
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
        struct qtr_units lu = *u;
        lu.group = lx;
        lu.total = lt;
        struct qtr_error ierr;
        qtr_error_clear(&ierr);
        double v;
        int st = index(&lu, &v, &ierr);
        status[k] = st;
        if (st == QTR_OK)
            values[k] = v;
        else if (st != QTR_ERR_DOMAIN) {
            rc = st;
            if (err)
                *err = ierr;
            goto out;
        }
    }
    rc = QTR_OK;
out:
    qtr_csr_free(w);
    free(lx);
    free(lt);
    return rc;
}
