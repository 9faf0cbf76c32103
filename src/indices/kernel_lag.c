/*
 * kernel_lag.c - fixed-bandwidth kernel sums without stored weights (decay_field.h:
 * qtr_kernel_lag, qtr_kernel_lag_cell_order), through the cell grid of decay_internal.h.
 */
#include "quartier/decay_field.h"

#include "quartier/ksum.h"

#include "decay_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- kernel lags: fixed-bandwidth kernel sums without stored weights ----------------- */

struct lag_row {
    uint32_t *c, *c2;
    double *w, *w2;
    size_t cap;
};

static int lag_row_reserve(struct lag_row *r, size_t need)
{
    if (need <= r->cap)
        return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < need)
        cap *= 2;
    uint32_t *c = realloc(r->c, cap * sizeof *c), *c2;
    if (!c)
        return -1;
    r->c = c;
    if (!(c2 = realloc(r->c2, cap * sizeof *c2)))
        return -1;
    r->c2 = c2;
    double *w = realloc(r->w, cap * sizeof *w), *w2;
    if (!w)
        return -1;
    r->w = w;
    if (!(w2 = realloc(r->w2, cap * sizeof *w2)))
        return -1;
    r->w2 = w2;
    r->cap = cap;
    return 0;
}

/* Sorts the row's entries by column (columns are distinct): insertion sort for short rows,
 * else an LSD radix sort over the bytes in which the columns differ. */
static void lag_row_sort(struct lag_row *r, size_t len)
{
    if (len <= 32) {
        for (size_t a = 1; a < len; a++) {
            uint32_t c = r->c[a];
            double w = r->w[a];
            size_t b = a;
            for (; b > 0 && r->c[b - 1] > c; b--) {
                r->c[b] = r->c[b - 1];
                r->w[b] = r->w[b - 1];
            }
            r->c[b] = c;
            r->w[b] = w;
        }
        return;
    }
    uint32_t all_and = UINT32_MAX, all_or = 0;
    for (size_t e = 0; e < len; e++) {
        all_and &= r->c[e];
        all_or |= r->c[e];
    }
    for (unsigned shift = 0; shift < 32; shift += 8) {
        if ((((all_and ^ all_or) >> shift) & 0xFFu) == 0)
            continue;
        size_t cnt[257] = {0};
        for (size_t e = 0; e < len; e++)
            cnt[((r->c[e] >> shift) & 0xFFu) + 1]++;
        for (unsigned k = 0; k < 256; k++)
            cnt[k + 1] += cnt[k];
        for (size_t e = 0; e < len; e++) {
            size_t to = cnt[(r->c[e] >> shift) & 0xFFu]++;
            r->c2[to] = r->c[e];
            r->w2[to] = r->w[e];
        }
        uint32_t *tc = r->c;
        r->c = r->c2;
        r->c2 = tc;
        double *tw = r->w;
        r->w = r->w2;
        r->w2 = tw;
    }
}

/* column_order: the row sorted by column and sqrt through hypot, as qtr_weights_kernel and
 * qtr_spatial_lag_counts have them (bit for bit); else summed in the traversal order of the
 * cell grid (self first), which is fixed by the centroids alone, and the distance from sqrt. */
static int kernel_lag(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                      double bandwidth, size_t nv, const double *const *v, int round_half_even,
                      int column_order, double *const *out, struct qtr_error *err)
{
    if ((n && (!x || !y)) || (nv && (!v || !out)))
        return qtr_error_set(err, QTR_ERR_USAGE, "kernel lag: missing argument");
    if (!(bandwidth > 0) || !isfinite(bandwidth))
        return qtr_error_set(err, QTR_ERR_USAGE, "kernel lag: the bandwidth must be > 0 m");
    if (fn < QTR_KERNEL_TRIANGULAR || fn > QTR_KERNEL_GAUSSIAN)
        return qtr_error_set(err, QTR_ERR_USAGE, "kernel lag: unknown kernel function %d", (int)fn);
    if (n > UINT32_MAX)
        return qtr_error_set(err, QTR_ERR_USAGE, "kernel lag: too many districts (%zu)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "kernel lag: district %zu has no finite centroid", i);
    for (size_t k = 0; k < nv; k++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(v[k][i]))
                return qtr_error_set(err, QTR_ERR_DOMAIN,
                                     "spatial lag: district %zu has a missing count", i);
    /* cells a little wider than half the bandwidth, so that the 5×5 block around a
     * district's cell holds every district within the bandwidth despite rounding; the block's
     * corners, farther than the bandwidth, are skipped (a third fewer pairs than a 3×3 block
     * of bandwidth-sized cells) */
    struct cells c;
    if (qtr_cells_build(&c, x, y, n, NULL, 0.5 * bandwidth * (1.0 + 1e-9)) != QTR_OK) {
        qtr_cells_release(&c);
        return qtr_error_set(err, QTR_ERR_NOMEM, "kernel lag: out of memory for %zu districts", n);
    }
    /* a pair whose squared distance passes this is surely farther than the bandwidth: the
     * rounding of dx² + dy² is far below the 1e-9 margin, so no pair within it is lost */
    double h2_out = bandwidth * bandwidth * (1.0 + 1e-9);
    double reach = ceil(bandwidth / c.size); /* 2, or 1 where cells_build widened the cells */
    int nomem = 0;
    long nl = (long)n;
#pragma omp parallel
    {
        struct lag_row r = {0};
#pragma omp for schedule(dynamic, 64)
        for (long ii = 0; ii < nl; ii++) {
            size_t i = (size_t)ii;
            int stop;
#pragma omp atomic read
            stop = nomem;
            if (stop)
                continue;
            double xi = x[i], yi = y[i];
            double fx = floor((xi - c.minx) / c.size), fy = floor((yi - c.miny) / c.size);
            size_t len = 0;
            int fail = 0;
            for (double dy = -reach; dy <= reach && !fail; dy++) {
                double gy = fy + dy;
                if (gy < 0 || gy >= (double)c.ny)
                    continue;
                double ylo = c.miny + gy * c.size,
                       qy = fmax(0.0, fmax(ylo - yi, yi - ylo - c.size));
                for (double dx = -reach; dx <= reach; dx++) {
                    double gx = fx + dx;
                    if (gx < 0 || gx >= (double)c.nx)
                        continue;
                    /* the cell's nearest point is farther than the bandwidth */
                    double xlo = c.minx + gx * c.size;
                    double qx = fmax(0.0, fmax(xlo - xi, xi - xlo - c.size));
                    if (qx * qx + qy * qy > h2_out)
                        continue;
                    size_t cell = (size_t)gy * c.nx + (size_t)gx;
                    size_t a = c.start[cell], b = c.start[cell + 1];
                    if (lag_row_reserve(&r, len + (b - a))) {
                        fail = 1;
                        break;
                    }
                    for (size_t e = a; e < b; e++) {
                        uint32_t j = c.idx[e];
                        if (j == i)
                            continue;
                        double ex = x[j] - xi, ey = y[j] - yi, d2 = ex * ex + ey * ey;
                        if (d2 > h2_out)
                            continue;
                        /* the distance and weight exactly as qtr_weights_kernel has them */
                        double d = column_order ? hypot(ex, ey) : sqrt(d2);
                        if (!(d <= bandwidth))
                            continue;
                        /* the triangular kernel inline (qtr_kernel_value's expression) */
                        double w = fn == QTR_KERNEL_TRIANGULAR
                                       ? 1.0 - d / bandwidth
                                       : qtr_kernel_value(fn, d / bandwidth);
                        if (!(w > 0))
                            continue;
                        r.c[len] = j;
                        r.w[len++] = w;
                    }
                }
            }
            if (fail) {
#pragma omp atomic write
                nomem = 1;
                continue;
            }
            if (!column_order) {
                for (size_t k = 0; k < nv; k++) {
                    const double *vk = v[k];
                    double acc = vk[i];
                    for (size_t e = 0; e < len; e++)
                        acc += r.w[e] * vk[r.c[e]];
                    out[k][i] = round_half_even ? nearbyint(acc) : acc;
                }
                continue;
            }
            lag_row_sort(&r, len);
            /* summed in column order with w_ii = 1 in its place, as qtr_spatial_lag_counts
             * sums a CSR row (scipy's mat-vec) */
            for (size_t k = 0; k < nv; k++) {
                const double *vk = v[k];
                double acc = 0.0;
                int self_done = 0;
                for (size_t e = 0; e < len; e++) {
                    if (!self_done && r.c[e] > i) {
                        acc += vk[i];
                        self_done = 1;
                    }
                    acc += r.w[e] * vk[r.c[e]];
                }
                if (!self_done)
                    acc += vk[i];
                out[k][i] = round_half_even ? nearbyint(acc) : acc;
            }
        }
        free(r.c);
        free(r.c2);
        free(r.w);
        free(r.w2);
    }
    qtr_cells_release(&c);
    if (nomem)
        return qtr_error_set(err, QTR_ERR_NOMEM, "kernel lag: out of memory");
    return QTR_OK;
}

int qtr_kernel_lag(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                   double bandwidth, size_t nv, const double *const *v, int round_half_even,
                   double *const *out, struct qtr_error *err)
{
    return kernel_lag(x, y, n, fn, bandwidth, nv, v, round_half_even, 1, out, err);
}

int qtr_kernel_lag_cell_order(const double *x, const double *y, size_t n, enum qtr_kernel_fn fn,
                              double bandwidth, size_t nv, const double *const *v,
                              int round_half_even, double *const *out, struct qtr_error *err)
{
    return kernel_lag(x, y, n, fn, bandwidth, nv, v, round_half_even, 0, out, err);
}
