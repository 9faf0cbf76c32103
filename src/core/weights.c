/*
 * weights.c - point-based spatial weights (kNN, distance band, kernel) on a
 * k-d tree. The helpers every weights matrix needs (sorting rows,
 * row-standardising, symmetry, islands, components, diagonal, triplets) are in
 * weights_ops.c.
 *
 * The k-d tree is implicit: the permutation `perm` is arranged so that the
 * median of every range [lo, hi) sits at (lo + hi) / 2, splitting on x at
 * even depth and y at odd depth. Ties are ordered by index, so building and
 * querying are deterministic.
 */
#include "quartier/weights.h"

#include "weights_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- k-d tree ---------------------------------------------------------- */

struct kdtree {
    const double *x, *y;
    size_t n;
    uint32_t *perm;
};

static double coord(const struct kdtree *t, uint32_t i, int axis)
{
    return axis ? t->y[i] : t->x[i];
}

/* a before b on axis (ties by index). */
static int kd_less(const struct kdtree *t, uint32_t a, uint32_t b, int axis)
{
    double ca = coord(t, a, axis), cb = coord(t, b, axis);
    return ca < cb || (ca == cb && a < b);
}

/* Hoare-style quickselect: place the k-th element of perm[lo,hi) at k. */
static void kd_select(const struct kdtree *t, size_t lo, size_t hi, size_t k, int axis)
{
    uint32_t *p = t->perm;
    while (hi - lo > 16) {
        /* median of three pivot, deterministic */
        size_t mid = lo + (hi - lo) / 2;
        uint32_t a = p[lo], b = p[mid], c = p[hi - 1], piv;
        if (kd_less(t, a, b, axis))
            piv = kd_less(t, b, c, axis) ? b : (kd_less(t, a, c, axis) ? c : a);
        else
            piv = kd_less(t, a, c, axis) ? a : (kd_less(t, b, c, axis) ? c : b);
        /* three-way partition around piv (all keys distinct thanks to the index tie-break) */
        size_t i = lo, j = hi - 1;
        for (;;) {
            while (kd_less(t, p[i], piv, axis))
                i++;
            while (kd_less(t, piv, p[j], axis))
                j--;
            if (i >= j)
                break;
            uint32_t tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
            i++;
            j--;
        }
        /* now perm[lo..j] <= piv <= perm[j+1..hi) */
        if (k <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
    /* Short ranges: insertion sort. (Hoare partitioning around a median of
     * three needs three distinct positions, or it may not shrink the range.) */
    for (size_t a = lo + 1; a < hi; a++) {
        uint32_t v = p[a];
        size_t b = a;
        while (b > lo && kd_less(t, v, p[b - 1], axis)) {
            p[b] = p[b - 1];
            b--;
        }
        p[b] = v;
    }
}

static void kd_build(struct kdtree *t, size_t lo, size_t hi, int axis)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        kd_select(t, lo, hi, mid, axis);
        kd_build(t, lo, mid, !axis);
        lo = mid + 1;
        axis = !axis;
    }
}

static int kd_init(struct kdtree *t, const double *x, const double *y, size_t n,
                   struct qtr_error *err)
{
    t->x = x;
    t->y = y;
    t->n = n;
    t->perm = NULL;
    if (n > UINT32_MAX)
        return qtr_error_set(err, QTR_ERR_USAGE, "too many points for spatial weights (%zu)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "point %zu has a non-finite coordinate; check the district's "
                                 "geometry (centroid of an empty polygon?)",
                                 i);
    t->perm = malloc((n ? n : 1) * sizeof *t->perm);
    if (!t->perm)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory building a k-d tree");
    for (size_t i = 0; i < n; i++)
        t->perm[i] = (uint32_t)i;
    kd_build(t, 0, n, 0);
    return QTR_OK;
}

/* Bounded max-heap of the k best (d2, idx) pairs; "worse" = larger d2, then larger idx. */
struct knn_heap {
    size_t k, len;
    double *d2;
    uint32_t *idx;
};

static int heap_worse(const struct knn_heap *h, size_t a, size_t b)
{
    return h->d2[a] > h->d2[b] || (h->d2[a] == h->d2[b] && h->idx[a] > h->idx[b]);
}

static void heap_swap(struct knn_heap *h, size_t a, size_t b)
{
    double d = h->d2[a];
    uint32_t i = h->idx[a];
    h->d2[a] = h->d2[b];
    h->idx[a] = h->idx[b];
    h->d2[b] = d;
    h->idx[b] = i;
}

static void heap_offer(struct knn_heap *h, double d2, uint32_t idx)
{
    if (h->len < h->k) {
        size_t c = h->len++;
        h->d2[c] = d2;
        h->idx[c] = idx;
        while (c > 0 && heap_worse(h, c, (c - 1) / 2)) {
            heap_swap(h, c, (c - 1) / 2);
            c = (c - 1) / 2;
        }
        return;
    }
    if (d2 > h->d2[0] || (d2 == h->d2[0] && idx > h->idx[0]))
        return;
    h->d2[0] = d2;
    h->idx[0] = idx;
    size_t c = 0;
    for (;;) {
        size_t l = 2 * c + 1, r = l + 1, m = c;
        if (l < h->len && heap_worse(h, l, m))
            m = l;
        if (r < h->len && heap_worse(h, r, m))
            m = r;
        if (m == c)
            break;
        heap_swap(h, c, m);
        c = m;
    }
}

static void kd_knn(const struct kdtree *t, size_t lo, size_t hi, int axis, double qx, double qy,
                   uint32_t self, struct knn_heap *h)
{
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t p = t->perm[mid];
        if (p != self) {
            double dx = t->x[p] - qx, dy = t->y[p] - qy;
            heap_offer(h, dx * dx + dy * dy, p);
        }
        double diff = (axis ? qy : qx) - coord(t, p, axis);
        size_t nlo, nhi, flo, fhi;
        if (diff < 0) {
            nlo = lo, nhi = mid, flo = mid + 1, fhi = hi;
        } else {
            nlo = mid + 1, nhi = hi, flo = lo, fhi = mid;
        }
        kd_knn(t, nlo, nhi, !axis, qx, qy, self, h);
        /* The far side can hold a point at squared distance >= diff^2; equal
         * distances matter for the index tie-break, so visit on <=. */
        if (h->len == h->k && diff * diff > h->d2[0])
            return;
        lo = flo;
        hi = fhi;
        axis = !axis;
    }
}

struct u32vec {
    uint32_t *v;
    double *d;
    size_t len, cap;
};

static int vec_push(struct u32vec *a, uint32_t v, double d)
{
    if (a->len == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        uint32_t *nv = realloc(a->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        a->v = nv;
        double *nd = realloc(a->d, cap * sizeof *nd);
        if (!nd)
            return -1;
        a->d = nd;
        a->cap = cap;
    }
    a->v[a->len] = v;
    a->d[a->len] = d;
    a->len++;
    return 0;
}

/* All points with distance <= r from (qx, qy), self excluded; pushes (idx, distance). */
static int kd_radius(const struct kdtree *t, size_t lo, size_t hi, int axis, double qx, double qy,
                     double r, uint32_t self, struct u32vec *res)
{
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t p = t->perm[mid];
        if (p != self) {
            double d = hypot(t->x[p] - qx, t->y[p] - qy);
            if (d <= r && vec_push(res, p, d))
                return -1;
        }
        double diff = (axis ? qy : qx) - coord(t, p, axis);
        if (diff <= r && kd_radius(t, lo, mid, !axis, qx, qy, r, self, res))
            return -1;
        if (diff < -r)
            return 0;
        lo = mid + 1;
        axis = !axis;
    }
    return 0;
}

/* ---- assembling CSR rows ------------------------------------------------ */

struct rowbuild {
    size_t n, nnz, cap;
    size_t *row;
    uint32_t *col;
    double *w;
};

static int rb_init(struct rowbuild *b, size_t n, size_t cap)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    b->cap = cap ? cap : 16;
    b->row = calloc(n + 1, sizeof *b->row);
    b->col = malloc(b->cap * sizeof *b->col);
    b->w = malloc(b->cap * sizeof *b->w);
    return (b->row && b->col && b->w) ? 0 : -1;
}

static int rb_push(struct rowbuild *b, uint32_t c, double w)
{
    if (b->nnz == b->cap) {
        size_t cap = 2 * b->cap;
        uint32_t *nc = realloc(b->col, cap * sizeof *nc);
        if (!nc)
            return -1;
        b->col = nc;
        double *nw = realloc(b->w, cap * sizeof *nw);
        if (!nw)
            return -1;
        b->w = nw;
        b->cap = cap;
    }
    b->col[b->nnz] = c;
    b->w[b->nnz] = w;
    b->nnz++;
    return 0;
}

static void rb_release(struct rowbuild *b)
{
    free(b->row);
    free(b->col);
    free(b->w);
    memset(b, 0, sizeof *b);
}

static struct qtr_csr *rb_finish(struct rowbuild *b)
{
    struct qtr_csr *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n = b->n;
    m->row = b->row;
    m->col = b->col;
    m->w = b->w;
    memset(b, 0, sizeof *b);
    return m;
}

/* ---- public builders ---------------------------------------------------- */

int qtr_weights_knn(const double *x, const double *y, size_t n, size_t k, struct qtr_csr **out,
                    struct qtr_error *err)
{
    struct kdtree t = {0};
    struct rowbuild b = {0};
    struct knn_heap h = {0};
    int rc;
    *out = NULL;
    if (k == 0 || k >= n)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "k nearest neighbours needs 1 <= k < number of districts (k = %zu, "
                             "%zu districts)",
                             k, n);
    if ((rc = kd_init(&t, x, y, n, err)))
        goto out;
    h.k = k;
    h.d2 = malloc(k * sizeof *h.d2);
    h.idx = malloc(k * sizeof *h.idx);
    if (!h.d2 || !h.idx || rb_init(&b, n, n * k)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %zu x %zu neighbours", n, k);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        h.len = 0;
        kd_knn(&t, 0, n, 0, x[i], y[i], (uint32_t)i, &h);
        for (size_t e = 0; e < h.len; e++)
            rb_push(&b, h.idx[e], 1.0); /* capacity n * k reserved above */
        qtr_weights_sort_row(b.col, b.w, b.row[i], b.nnz);
        b.row[i + 1] = b.nnz;
    }
    *out = rb_finish(&b);
    if (!*out)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
out:
    free(t.perm);
    free(h.d2);
    free(h.idx);
    rb_release(&b);
    return rc;
}

int qtr_weights_distance_band(const double *x, const double *y, size_t n, double threshold,
                              int binary, double alpha, struct qtr_csr **out, struct qtr_error *err)
{
    struct kdtree t = {0};
    struct rowbuild b = {0};
    struct u32vec res = {0};
    int rc;
    *out = NULL;
    if (!(threshold > 0) || !isfinite(threshold))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "distance band threshold must be a positive distance in metres "
                             "(got %g)",
                             threshold);
    if ((rc = kd_init(&t, x, y, n, err)))
        goto out;
    if (rb_init(&b, n, 8 * n)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for distance band weights");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        res.len = 0;
        if (kd_radius(&t, 0, n, 0, x[i], y[i], threshold, (uint32_t)i, &res)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for distance band weights");
            goto out;
        }
        for (size_t e = 0; e < res.len; e++) {
            double w = 1.0;
            if (!binary) {
                if (res.d[e] == 0 && alpha < 0) {
                    rc = qtr_error_set(err, QTR_ERR_DATA,
                                       "districts %zu and %u have the same centroid, so the "
                                       "inverse-distance weight is infinite; use binary weights "
                                       "or remove the duplicate",
                                       i, res.v[e]);
                    goto out;
                }
                w = pow(res.d[e], alpha);
            }
            if (rb_push(&b, res.v[e], w)) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for distance band weights");
                goto out;
            }
        }
        qtr_weights_sort_row_long(b.col, b.w, b.row[i], b.nnz);
        b.row[i + 1] = b.nnz;
    }
    *out = rb_finish(&b);
    if (!*out)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
out:
    free(t.perm);
    free(res.v);
    free(res.d);
    rb_release(&b);
    return rc;
}

/* Kernel value at z = d / h in [0, 1] (Anselin and Rey 2010, table 5.4; PySAL Kernel). */
double qtr_kernel_value(enum qtr_kernel_fn fn, double z)
{
    switch (fn) {
    case QTR_KERNEL_TRIANGULAR:
        return 1.0 - z;
    case QTR_KERNEL_UNIFORM:
        return 0.5;
    case QTR_KERNEL_QUADRATIC:
        return 0.75 * (1.0 - z * z);
    case QTR_KERNEL_BISQUARE: {
        double u = 1.0 - z * z;
        return (15.0 / 16.0) * u * u;
    }
    case QTR_KERNEL_GAUSSIAN:
        return exp(-0.5 * z * z) * 0.39894228040143267794; /* (2 pi)^(-1/2) */
    }
    return NAN;
}

/* PySAL's eps: keeps the k-th neighbour strictly inside the derived bandwidth. */
#define KERNEL_EPS 1.0000001

int qtr_weights_kernel(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                       double bandwidth, size_t k, int adaptive, enum qtr_kernel_self self,
                       struct qtr_csr **out, struct qtr_error *err)
{
    struct kdtree t = {0};
    struct rowbuild b = {0};
    struct u32vec res = {0};
    struct knn_heap h = {0};
    double *bw = NULL;
    int rc;
    *out = NULL;
    if (fn < QTR_KERNEL_TRIANGULAR || fn > QTR_KERNEL_GAUSSIAN)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown kernel function %d", (int)fn);
    int derived = !(bandwidth > 0);
    if (derived && (k == 0 || k >= n))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "kernel weights need a bandwidth in metres or 1 <= k < number of "
                             "districts (k = %zu, %zu districts)",
                             k, n);
    if (!derived && !isfinite(bandwidth))
        return qtr_error_set(err, QTR_ERR_USAGE, "kernel bandwidth must be finite");
    if ((rc = kd_init(&t, x, y, n, err)))
        goto out;
    bw = malloc((n ? n : 1) * sizeof *bw);
    if (!bw || rb_init(&b, n, 8 * n + 16)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for kernel weights");
        goto out;
    }
    if (derived) {
        h.k = k;
        h.d2 = malloc(k * sizeof *h.d2);
        h.idx = malloc(k * sizeof *h.idx);
        if (!h.d2 || !h.idx) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for kernel weights");
            goto out;
        }
        double hmax = 0;
        for (size_t i = 0; i < n; i++) {
            h.len = 0;
            kd_knn(&t, 0, n, 0, x[i], y[i], (uint32_t)i, &h);
            bw[i] = sqrt(h.d2[0]) * KERNEL_EPS; /* heap top = k-th nearest */
            if (bw[i] > hmax)
                hmax = bw[i];
            if (adaptive && !(bw[i] > 0)) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "district %zu has %zu other districts at the same centroid, "
                                   "so its adaptive bandwidth is 0; increase k",
                                   i, k);
                goto out;
            }
        }
        if (!adaptive && !(hmax > 0)) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "all districts share their centroid with at least %zu others, "
                               "so the bandwidth from k = %zu is 0; give a bandwidth in metres",
                               k, k);
            goto out;
        }
        if (!adaptive)
            for (size_t i = 0; i < n; i++)
                bw[i] = hmax;
    } else {
        for (size_t i = 0; i < n; i++)
            bw[i] = bandwidth;
    }
    for (size_t i = 0; i < n; i++) {
        res.len = 0;
        if (derived && adaptive) {
            /* PySAL: the neighbours of an adaptive kernel are the k nearest */
            h.len = 0;
            kd_knn(&t, 0, n, 0, x[i], y[i], (uint32_t)i, &h);
            for (size_t e = 0; e < h.len; e++)
                if (vec_push(&res, h.idx[e], sqrt(h.d2[e])))
                    goto nomem;
        } else if (kd_radius(&t, 0, n, 0, x[i], y[i], bw[i], (uint32_t)i, &res)) {
            goto nomem;
        }
        if (self != QTR_KERNEL_SELF_NONE &&
            vec_push(&res, (uint32_t)i, self == QTR_KERNEL_SELF_ONE ? -1.0 : 0.0))
            goto nomem;
        for (size_t e = 0; e < res.len; e++) {
            double w;
            if (res.v[e] == i && self != QTR_KERNEL_SELF_NONE)
                w = self == QTR_KERNEL_SELF_ONE ? 1.0 : qtr_kernel_value(fn, 0.0);
            else
                w = qtr_kernel_value(fn, res.d[e] / bw[i]);
            if (!(w > 0))
                continue;
            if (rb_push(&b, res.v[e], w))
                goto nomem;
        }
        qtr_weights_sort_row_long(b.col, b.w, b.row[i], b.nnz);
        b.row[i + 1] = b.nnz;
    }
    *out = rb_finish(&b);
    if (!*out)
        goto nomem;
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for kernel weights");
out:
    free(t.perm);
    free(res.v);
    free(res.d);
    free(h.d2);
    free(h.idx);
    free(bw);
    rb_release(&b);
    return rc;
}
