/*
 * weights_ops.c - what every weights matrix needs, however it was built (weights.h): rows
 * sorted by column, row-standardising, symmetry, islands, connected components, the
 * diagonal, building from triplets. The point-based builders are in weights.c.
 */
#include "quartier/weights.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "weights_internal.h"

/* ---- sorting rows -------------------------------------------------------- */

/* Sort the entries of one row [a, b) by column (insertion sort: rows are short). */
void qtr_weights_sort_row(uint32_t *col, double *w, size_t a, size_t b)
{
    for (size_t i = a + 1; i < b; i++) {
        uint32_t c = col[i];
        double v = w[i];
        size_t j = i;
        while (j > a && col[j - 1] > c) {
            col[j] = col[j - 1];
            w[j] = w[j - 1];
            j--;
        }
        col[j] = c;
        w[j] = v;
    }
}

struct colw {
    uint32_t c;
    double w;
};

/* Rows of distance bands can be long: beyond a few dozen entries an LSD radix sort on the
 * column (bytes that all entries share are skipped). Stable, like the merge sort glibc's
 * qsort used here before, so the order is the same. */
void qtr_weights_sort_row_long(uint32_t *col, double *w, size_t a, size_t b)
{
    size_t len = b - a;
    if (len <= 32) {
        qtr_weights_sort_row(col, w, a, b);
        return;
    }
    struct colw *x = malloc(2 * len * sizeof *x);
    if (!x) {
        qtr_weights_sort_row(col, w, a, b); /* slower, but still correct */
        return;
    }
    struct colw *y = x + len;
    uint32_t all_and = UINT32_MAX, all_or = 0;
    for (size_t e = 0; e < len; e++) {
        x[e].c = col[a + e];
        x[e].w = w[a + e];
        all_and &= x[e].c;
        all_or |= x[e].c;
    }
    for (unsigned shift = 0; shift < 32; shift += 8) {
        if ((((all_and ^ all_or) >> shift) & 0xFFu) == 0)
            continue; /* every column has the same byte here */
        size_t cnt[257] = {0};
        for (size_t e = 0; e < len; e++)
            cnt[((x[e].c >> shift) & 0xFFu) + 1]++;
        for (unsigned k = 0; k < 256; k++)
            cnt[k + 1] += cnt[k];
        for (size_t e = 0; e < len; e++)
            y[cnt[(x[e].c >> shift) & 0xFFu]++] = x[e];
        struct colw *t = x;
        x = y;
        y = t;
    }
    for (size_t e = 0; e < len; e++) {
        col[a + e] = x[e].c;
        w[a + e] = x[e].w;
    }
    free(x < y ? x : y);
}

/* ---- operations on a matrix --------------------------------------------- */

int qtr_weights_row_standardize(struct qtr_csr *w, struct qtr_error *err)
{
    for (size_t i = 0; i < w->n; i++) {
        double s = 0, c = 0; /* Kahan: rows of kernel weights can be long */
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            if (!(w->w[e] >= 0) || !isfinite(w->w[e]))
                return qtr_error_set(err, QTR_ERR_DOMAIN,
                                     "weight %g between districts %zu and %u is negative or not "
                                     "finite; row-standardisation needs non-negative weights",
                                     w->w[e], i, w->col[e]);
            double yv = w->w[e] - c, tt = s + yv;
            c = (tt - s) - yv;
            s = tt;
        }
        if (w->row[i + 1] > w->row[i] && !(s > 0))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "the weights of district %zu sum to zero, so its row cannot be "
                                 "standardised",
                                 i);
    }
    for (size_t i = 0; i < w->n; i++) {
        double s = 0, c = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            double yv = w->w[e] - c, tt = s + yv;
            c = (tt - s) - yv;
            s = tt;
        }
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            w->w[e] /= s;
    }
    return QTR_OK;
}

/* Position of column c in row r, or SIZE_MAX. */
static size_t find_entry(const struct qtr_csr *w, size_t r, uint32_t c)
{
    size_t lo = w->row[r], hi = w->row[r + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->col[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < w->row[r + 1] && w->col[lo] == c) ? lo : SIZE_MAX;
}

int qtr_weights_is_symmetric(const struct qtr_csr *w, double tol)
{
    for (size_t i = 0; i < w->n; i++)
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            uint32_t j = w->col[e];
            if (j >= w->n)
                return 0;
            size_t f = find_entry(w, j, (uint32_t)i);
            if (f == SIZE_MAX || !(fabs(w->w[e] - w->w[f]) <= tol))
                return 0;
        }
    return 1;
}

size_t qtr_weights_islands(const struct qtr_csr *w, uint32_t *islands)
{
    size_t count = 0;
    for (size_t i = 0; i < w->n; i++) {
        int has = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1] && !has; e++)
            has = w->col[e] != i;
        if (!has) {
            if (islands)
                islands[count] = (uint32_t)i;
            count++;
        }
    }
    return count;
}

static uint32_t uf_find(uint32_t *parent, uint32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]]; /* path halving */
        a = parent[a];
    }
    return a;
}

int qtr_weights_components(const struct qtr_csr *w, uint32_t *comp, size_t *ncomp,
                           struct qtr_error *err)
{
    size_t n = w->n;
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    if (!parent)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for connected components");
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < n; i++)
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            uint32_t a = uf_find(parent, (uint32_t)i), b = uf_find(parent, w->col[e]);
            /* the smaller index becomes the root, so roots are component minima */
            if (a < b)
                parent[b] = a;
            else if (b < a)
                parent[a] = b;
        }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(parent, (uint32_t)i);
        if (r == i)
            comp[i] = (uint32_t)k++;
        else
            comp[i] = comp[r]; /* r < i, already numbered */
    }
    *ncomp = k;
    free(parent);
    return QTR_OK;
}

int qtr_weights_fill_diagonal(const struct qtr_csr *w, double value, struct qtr_csr **out,
                              struct qtr_error *err)
{
    size_t extra = 0;
    for (size_t i = 0; i < w->n; i++)
        extra += find_entry(w, i, (uint32_t)i) == SIZE_MAX;
    struct qtr_csr *m = qtr_csr_new(w->n, qtr_csr_nnz(w) + extra);
    if (!m)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for weights with diagonal");
    size_t p = 0;
    for (size_t i = 0; i < w->n; i++) {
        int done = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            uint32_t c = w->col[e];
            if (!done && c >= i) {
                m->col[p] = (uint32_t)i;
                m->w[p++] = value;
                done = 1;
                if (c == i)
                    continue;
            }
            m->col[p] = c;
            m->w[p++] = w->w[e];
        }
        if (!done) {
            m->col[p] = (uint32_t)i;
            m->w[p++] = value;
        }
        m->row[i + 1] = p;
    }
    *out = m;
    return QTR_OK;
}

int qtr_weights_from_triplets(size_t n, const uint32_t *i, const uint32_t *j, const double *wv,
                              size_t m, struct qtr_csr **out, struct qtr_error *err)
{
    *out = NULL;
    struct qtr_csr *c = qtr_csr_new(n, m);
    if (!c)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %zu weights", m);
    for (size_t e = 0; e < m; e++) {
        if (i[e] >= n || j[e] >= n) {
            qtr_csr_free(c);
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "weight entry (%u, %u) is outside the %zu districts", i[e], j[e],
                                 n);
        }
        c->row[i[e] + 1]++;
    }
    for (size_t r = 0; r < n; r++)
        c->row[r + 1] += c->row[r];
    size_t *fill = malloc((n ? n : 1) * sizeof *fill);
    if (!fill) {
        qtr_csr_free(c);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for %zu weights", m);
    }
    memcpy(fill, c->row, n * sizeof *fill);
    for (size_t e = 0; e < m; e++) {
        size_t p = fill[i[e]]++;
        c->col[p] = j[e];
        c->w[p] = wv ? wv[e] : 1.0;
    }
    free(fill);
    for (size_t r = 0; r < n; r++) {
        qtr_weights_sort_row_long(c->col, c->w, c->row[r], c->row[r + 1]);
        for (size_t e = c->row[r] + 1; e < c->row[r + 1]; e++)
            if (c->col[e] == c->col[e - 1]) {
                uint32_t dup = c->col[e];
                qtr_csr_free(c);
                return qtr_error_set(err, QTR_ERR_DATA,
                                     "the pair of districts (%zu, %u) is listed twice", r, dup);
            }
    }
    *out = c;
    return QTR_OK;
}
