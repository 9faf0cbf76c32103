/*
 * decay_field.c - distance-decay sums without stored pairs (decay_field.h): direct sums through
 * a cell grid, and the FFT convolution over a census lattice. The kernel lags are in
 * kernel_lag.c.
 */
#include "quartier/decay_field.h"

#include "quartier/ksum.h"

#include "decay_internal.h"

#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DECAY_SCALE_M 1000.0 /* c = exp(-d / 1 km), Massey & Denton (1988) */
#define LATTICE_TOL 1e-7     /* of a cell width: a centroid this close to a node is on it */

struct qtr_decay_field {
    size_t n;
    double cutoff;
    double *cx, *cy, *cself;
    double *ct, *c1;
    struct cells all; /* every point: sources of the direct sums */
    struct cells off; /* lattice way: the points off the lattice */
    int lattice;
    size_t non;  /* points on the lattice */
    size_t *bin; /* lattice way: grid index of a lattice point, NONE off the lattice */
    size_t Nx, Ny;
    double *rbuf;
    fftw_complex *cbuf, *kspec;
    fftw_plan fwd, inv;
};

void qtr_cells_release(struct cells *c)
{
    free(c->start);
    free(c->idx);
    memset(c, 0, sizeof *c);
}

/* Buckets the points i with (sel == NULL || sel[i] == NONE). */
int qtr_cells_build(struct cells *c, const double *cx, const double *cy, size_t n,
                       const size_t *sel, double cutoff)
{
    memset(c, 0, sizeof *c);
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (sel && sel[i] != NONE)
            continue;
        minx = fmin(minx, cx[i]);
        maxx = fmax(maxx, cx[i]);
        miny = fmin(miny, cy[i]);
        maxy = fmax(maxy, cy[i]);
        m++;
    }
    if (m == 0) {
        c->start = calloc(2, sizeof *c->start);
        c->nx = c->ny = 1;
        c->size = 1;
        return c->start ? QTR_OK : QTR_ERR_NOMEM;
    }
    double size = cutoff > 0 ? cutoff : 1.0;
    for (;;) {
        double fx = floor((maxx - minx) / size) + 1, fy = floor((maxy - miny) / size) + 1;
        if (fx * fy <= 4.0 * (double)m + 16.0) {
            c->nx = (size_t)fx;
            c->ny = (size_t)fy;
            break;
        }
        size *= 2.0;
    }
    c->minx = minx;
    c->miny = miny;
    c->size = size;
    size_t nc = c->nx * c->ny;
    c->start = calloc(nc + 1, sizeof *c->start);
    c->idx = malloc(m * sizeof *c->idx);
    if (!c->start || !c->idx)
        return QTR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (sel && sel[i] != NONE)
            continue;
        size_t gx = (size_t)((cx[i] - minx) / size), gy = (size_t)((cy[i] - miny) / size);
        c->start[gy * c->nx + gx + 1]++;
    }
    for (size_t k = 0; k < nc; k++)
        c->start[k + 1] += c->start[k];
    size_t *fill = malloc(nc * sizeof *fill);
    if (!fill)
        return QTR_ERR_NOMEM;
    memcpy(fill, c->start, nc * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        if (sel && sel[i] != NONE)
            continue;
        size_t gx = (size_t)((cx[i] - minx) / size), gy = (size_t)((cy[i] - miny) / size);
        c->idx[fill[gy * c->nx + gx]++] = (uint32_t)i;
    }
    free(fill);
    return QTR_OK;
}

/* acc[k] += Σ_{j in c, j ≠ i, d_ij ≤ cutoff} c_ij v[k][j]. */
static void direct_row(const struct qtr_decay_field *f, const struct cells *c, size_t i,
                       const double *const *v, size_t nv, struct qtr_ksum *acc)
{
    double x = f->cx[i], y = f->cy[i];
    double fx = floor((x - c->minx) / c->size), fy = floor((y - c->miny) / c->size);
    for (double dy = -1; dy <= 1; dy++) {
        double gy = fy + dy;
        if (gy < 0 || gy >= (double)c->ny)
            continue;
        for (double dx = -1; dx <= 1; dx++) {
            double gx = fx + dx;
            if (gx < 0 || gx >= (double)c->nx)
                continue;
            size_t cell = (size_t)gy * c->nx + (size_t)gx;
            for (size_t e = c->start[cell]; e < c->start[cell + 1]; e++) {
                uint32_t j = c->idx[e];
                if (j == i)
                    continue;
                double d = hypot(x - f->cx[j], y - f->cy[j]);
                if (d > f->cutoff)
                    continue;
                double w = exp(-d / DECAY_SCALE_M);
                for (size_t k = 0; k < nv; k++)
                    qtr_ksum_add(&acc[k], w * v[k][j]);
            }
        }
    }
}

/* out[k][i] = Σ_j c_ij v[k][j] for the targets i (all, or those with bin[i] of `want`):
 * the sources are the points of `c`; `self` adds c_ii v_i. */
#define MAXV 4
static void direct_sums(const struct qtr_decay_field *f, const struct cells *c,
                        const double *const *v, size_t nv, double *const *out, int add, int self,
                        int targets_on_lattice)
{
    long n = (long)f->n;
#pragma omp parallel for schedule(dynamic, 256)
    for (long ii = 0; ii < n; ii++) {
        size_t i = (size_t)ii;
        if (f->bin && ((f->bin[i] != NONE) != targets_on_lattice))
            continue;
        struct qtr_ksum acc[MAXV];
        for (size_t k = 0; k < nv; k++) {
            acc[k] = (struct qtr_ksum)QTR_KSUM_INIT;
            if (add)
                qtr_ksum_add(&acc[k], out[k][i]);
            if (self)
                qtr_ksum_add(&acc[k], f->cself[i] * v[k][i]);
        }
        direct_row(f, c, i, v, nv, acc);
        for (size_t k = 0; k < nv; k++)
            out[k][i] = qtr_ksum_get(&acc[k]);
    }
}

/* ---- lattice detection ----------------------------------------------------------------- */

static double node_of(double v, double origin, double h);

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The spacing and an origin of the lattice the coordinates v mostly lie on: the most common
 * gap between neighbouring distinct values that many points share (a column or row of
 * cells: at least 2 points and a quarter of the fullest one; clipped cells are left out). *h = 0
 * when there is none. */
static int lattice_axis(const double *v, size_t n, double *h, double *origin)
{
    double *s = malloc(n * sizeof *s), *gap = malloc(n * sizeof *gap);
    if (!s || !gap) {
        free(s);
        free(gap);
        return QTR_ERR_NOMEM;
    }
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    /* distinct values shared by at least two points and a quarter of the most shared, in
     * place */
    size_t most = 0, k = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] == s[i])
            j++;
        most = j - i > most ? j - i : most;
        i = j;
    }
    size_t need = most / 4 > 2 ? most / 4 : 2;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] == s[i])
            j++;
        if (j - i >= need)
            s[k++] = s[i];
        i = j;
    }
    size_t m = 0;
    for (size_t i = 1; i < k; i++)
        gap[m++] = s[i] - s[i - 1];
    *h = 0;
    *origin = k ? s[0] : 0;
    if (m > 0) {
        qsort(gap, m, sizeof *gap, cmp_double);
        size_t best = 0, run = 0;
        double bestv = 0;
        for (size_t i = 0; i < m; i++) {
            run = (i > 0 && gap[i] - gap[i - run] <= LATTICE_TOL * gap[i]) ? run + 1 : 1;
            if (run > best) {
                best = run;
                bestv = gap[i];
            }
        }
        /* the most common gap, or the smallest one where columns are missing (a sparse
         * lattice): whichever puts more of the points on the lattice */
        double cand[2] = {bestv, gap[0]};
        size_t on[2] = {0, 0};
        for (int c = 0; c < 2; c++)
            for (size_t i = 0; i < n; i++)
                on[c] += !isnan(node_of(v[i], *origin, cand[c]));
        *h = on[1] > on[0] ? cand[1] : cand[0];
    }
    free(s);
    free(gap);
    return QTR_OK;
}

/* Nodes of the lattice index r (nearest), or -1 when v is off the lattice. */
static double node_of(double v, double origin, double h)
{
    double r = (v - origin) / h, k = nearbyint(r);
    return fabs(r - k) <= LATTICE_TOL ? k : NAN;
}

/* Smallest m' ≥ m of the form 2^a 3^b 5^c 7^d (sizes FFTW transforms fastest). */
static size_t good_size(size_t m)
{
    for (size_t s = m;; s++) {
        size_t r = s;
        static const size_t p[] = {2, 3, 5, 7};
        for (int k = 0; k < 4; k++)
            while (r % p[k] == 0)
                r /= p[k];
        if (r == 1)
            return s;
    }
}

static int lattice_build(struct qtr_decay_field *f, double hx, double ox, double hy, double oy)
{
    size_t n = f->n;
    double kx0 = INFINITY, ky0 = INFINITY, kx1 = -INFINITY, ky1 = -INFINITY;
    f->bin = malloc(n * sizeof *f->bin);
    if (!f->bin)
        return QTR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double kx = node_of(f->cx[i], ox, hx), ky = node_of(f->cy[i], oy, hy);
        f->bin[i] = isnan(kx) || isnan(ky) ? NONE : 0;
        if (f->bin[i] == NONE)
            continue;
        kx0 = fmin(kx0, kx);
        kx1 = fmax(kx1, kx);
        ky0 = fmin(ky0, ky);
        ky1 = fmax(ky1, ky);
    }
    size_t rx = (size_t)floor(f->cutoff / hx + 1e-9), ry = (size_t)floor(f->cutoff / hy + 1e-9);
    /* linear, not circular, convolution: N ≥ extent + kernel radius (decay_field.h) */
    f->Nx = good_size((size_t)(kx1 - kx0) + 1 + rx);
    f->Ny = good_size((size_t)(ky1 - ky0) + 1 + ry);
    size_t N = f->Nx * f->Ny, Nc = f->Ny * (f->Nx / 2 + 1);
    f->non = 0;
    for (size_t i = 0; i < n; i++) {
        if (f->bin[i] == NONE)
            continue;
        size_t gx = (size_t)(node_of(f->cx[i], ox, hx) - kx0);
        size_t gy = (size_t)(node_of(f->cy[i], oy, hy) - ky0);
        f->bin[i] = gy * f->Nx + gx;
        f->non++;
    }
    f->rbuf = fftw_malloc(N * sizeof *f->rbuf);
    f->cbuf = fftw_malloc(Nc * sizeof *f->cbuf);
    f->kspec = fftw_malloc(Nc * sizeof *f->kspec);
    if (!f->rbuf || !f->cbuf || !f->kspec)
        return QTR_ERR_NOMEM;
    f->fwd = fftw_plan_dft_r2c_2d((int)f->Ny, (int)f->Nx, f->rbuf, f->cbuf, FFTW_ESTIMATE);
    f->inv = fftw_plan_dft_c2r_2d((int)f->Ny, (int)f->Nx, f->cbuf, f->rbuf, FFTW_ESTIMATE);
    if (!f->fwd || !f->inv)
        return QTR_ERR_INTERNAL;
    /* The kernel on the lattice, offsets wrapped modulo N; c(0) = 1 so that coincident points
     * count fully (the self term is corrected per point in lattice_apply). */
    memset(f->rbuf, 0, N * sizeof *f->rbuf);
    for (size_t dy = 0; dy <= ry; dy++)
        for (size_t dx = 0; dx <= rx; dx++) {
            double d = hypot((double)dx * hx, (double)dy * hy);
            if (d > f->cutoff)
                continue;
            double w = exp(-d / DECAY_SCALE_M);
            size_t xs[2] = {dx, (f->Nx - dx) % f->Nx}, ys[2] = {dy, (f->Ny - dy) % f->Ny};
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    f->rbuf[ys[a] * f->Nx + xs[b]] = w;
        }
    fftw_execute(f->fwd);
    double scale = 1.0 / (double)N;
    for (size_t k = 0; k < Nc; k++) {
        f->kspec[k][0] = f->cbuf[k][0] * scale;
        f->kspec[k][1] = f->cbuf[k][1] * scale;
    }
    return QTR_OK;
}

/* out[i] = Σ_{lattice j} c_ij v_j for the lattice points i (self proximity included). */
static void lattice_apply(const struct qtr_decay_field *f, const double *v, double *out)
{
    size_t N = f->Nx * f->Ny, Nc = f->Ny * (f->Nx / 2 + 1);
    memset(f->rbuf, 0, N * sizeof *f->rbuf);
    for (size_t i = 0; i < f->n; i++)
        if (f->bin[i] != NONE)
            f->rbuf[f->bin[i]] += v[i];
    fftw_execute(f->fwd);
    for (size_t k = 0; k < Nc; k++) {
        double a = f->cbuf[k][0], b = f->cbuf[k][1], c = f->kspec[k][0], d = f->kspec[k][1];
        f->cbuf[k][0] = a * c - b * d;
        f->cbuf[k][1] = a * d + b * c;
    }
    fftw_execute(f->inv);
    for (size_t i = 0; i < f->n; i++)
        if (f->bin[i] != NONE)
            out[i] = f->rbuf[f->bin[i]] - v[i] + f->cself[i] * v[i];
}

/* ---- the field ---------------------------------------------------------------------------- */

void qtr_decay_field_free(struct qtr_decay_field *f)
{
    if (!f)
        return;
    free(f->cx);
    free(f->cy);
    free(f->cself);
    free(f->ct);
    free(f->c1);
    qtr_cells_release(&f->all);
    qtr_cells_release(&f->off);
    free(f->bin);
    if (f->fwd)
        fftw_destroy_plan(f->fwd);
    if (f->inv)
        fftw_destroy_plan(f->inv);
    fftw_free(f->rbuf);
    fftw_free(f->cbuf);
    fftw_free(f->kspec);
    free(f);
}

/* The FFT's rounding is about ε log2 N Σ|v| absolute in every lattice sum (decay_field.h): a
 * lattice target whose sum is not at least 1e7 times that (a district far from the others, or
 * a group absent around it) is summed again directly, so that every sum keeps a relative error
 * below 1e-7. */
static void redo_small(const struct qtr_decay_field *f, const double *v, double *out)
{
    struct qtr_ksum sa = QTR_KSUM_INIT;
    for (size_t i = 0; i < f->n; i++)
        qtr_ksum_add(&sa, fabs(v[i]));
    double noise = 8.0 * DBL_EPSILON * log2((double)(f->Nx * f->Ny)) * qtr_ksum_get(&sa);
    const double *vv[1] = {v};
    long n = (long)f->n;
#pragma omp parallel for schedule(dynamic, 64)
    for (long ii = 0; ii < n; ii++) {
        size_t i = (size_t)ii;
        if (f->bin[i] == NONE || fabs(out[i]) >= 1e7 * noise)
            continue;
        struct qtr_ksum acc = QTR_KSUM_INIT;
        qtr_ksum_add(&acc, f->cself[i] * v[i]);
        direct_row(f, &f->all, i, vv, 1, &acc);
        out[i] = qtr_ksum_get(&acc);
    }
}

static int sums(const struct qtr_decay_field *f, const double *const *v, size_t nv,
                double *const *out)
{
    if (!f->lattice) {
        direct_sums(f, &f->all, v, nv, out, 0, 1, 0);
        return QTR_OK;
    }
    for (size_t k = 0; k < nv; k++)
        lattice_apply(f, v[k], out[k]);
    if (f->non < f->n) {
        /* lattice targets: add the sources off the lattice; off-lattice targets: everything */
        direct_sums(f, &f->off, v, nv, out, 1, 0, 1);
        direct_sums(f, &f->all, v, nv, out, 0, 1, 0);
    }
    for (size_t k = 0; k < nv; k++)
        redo_small(f, v[k], out[k]);
    return QTR_OK;
}

double qtr_decay_field_bytes(size_t n, double width_m, double height_m, double cell_m,
                             double cutoff_m)
{
    /* copies of the centroids and self terms, C t, C 1, two cell lists, bins */
    double b = (double)n * (6 * sizeof(double) + 2 * sizeof(uint32_t) + sizeof(size_t)) +
               2.0 * 8.0 * (4.0 * (double)n + 16.0);
    if (cell_m > 0) {
        double N = (width_m / cell_m + 1 + cutoff_m / cell_m) *
                   (height_m / cell_m + 1 + cutoff_m / cell_m) * 1.3;
        b += N * (sizeof(double) + 2 * sizeof(fftw_complex) / 2.0 + 16);
    }
    return b;
}

int qtr_decay_field_new(const struct qtr_units *u, const struct qtr_decay_options *opt,
                        enum qtr_decay_method method, struct qtr_decay_field **out,
                        struct qtr_error *err)
{
    static const char *name = "distance-decay sums";
    *out = NULL;
    if (!u || u->n == 0 || !u->cx || !u->cy || !u->area || !u->total)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: need district centroids, areas and totals",
                             name);
    if (!opt || opt->variant != QTR_DECAY_PUBLISHED || !(opt->cutoff_m > 0))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: only for the published variant with a cut-off distance", name);
    if (!(opt->alpha >= 0) || !(opt->beta >= 0))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: alpha (%g) and beta (%g) must not be negative", name, opt->alpha,
                             opt->beta);
    size_t n = u->n;
    if (n > UINT32_MAX)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s: more than %u districts", name,
                             (unsigned)UINT32_MAX);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(u->cx[i]) || !isfinite(u->cy[i]) || !(u->area[i] >= 0) ||
            !isfinite(u->total[i]))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "%s: district %zu has no valid centroid, area or total", name,
                                 i + 1);
    int rc = QTR_OK;
    struct qtr_decay_field *f = calloc(1, sizeof *f);
    double *one = NULL;
    if (!f)
        return qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory", name);
    f->n = n;
    f->cutoff = opt->cutoff_m;
    f->cx = malloc(n * sizeof *f->cx);
    f->cy = malloc(n * sizeof *f->cy);
    f->cself = malloc(n * sizeof *f->cself);
    f->ct = malloc(n * sizeof *f->ct);
    f->c1 = malloc(n * sizeof *f->c1);
    one = malloc(n * sizeof *one);
    if (!f->cx || !f->cy || !f->cself || !f->ct || !f->c1 || !one)
        goto nomem;
    memcpy(f->cx, u->cx, n * sizeof *f->cx);
    memcpy(f->cy, u->cy, n * sizeof *f->cy);
    for (size_t i = 0; i < n; i++) {
        /* White (1983): d_ii = (0.6 a_i)^0.5 with a_i in km², c_ii = exp(-d_ii). */
        f->cself[i] = exp(-pow(opt->alpha * u->area[i] / 1e6, opt->beta));
        one[i] = 1.0;
    }
    if (qtr_cells_build(&f->all, f->cx, f->cy, n, NULL, f->cutoff))
        goto nomem;

    if (method != QTR_DECAY_DIRECT && n >= 2) {
        double hx, ox, hy, oy;
        if (lattice_axis(f->cx, n, &hx, &ox) || lattice_axis(f->cy, n, &hy, &oy))
            goto nomem;
        size_t on = 0;
        if (hx > 0 && hy > 0)
            for (size_t i = 0; i < n; i++)
                on += !isnan(node_of(f->cx[i], ox, hx)) && !isnan(node_of(f->cy[i], oy, hy));
        /* Worth it when most points are on the lattice and the direct sums would visit many
         * pairs: the average number of lattice nodes within the cut-off. */
        double per = hx > 0 && hy > 0 ? M_PI * f->cutoff * f->cutoff / (hx * hy) : 0;
        /* ...and when the lattice's nodes are not far more than the points (coordinates
         * rounded to the metre would make a fine lattice of a sparse city) */
        double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            x0 = fmin(x0, f->cx[i]);
            x1 = fmax(x1, f->cx[i]);
            y0 = fmin(y0, f->cy[i]);
            y1 = fmax(y1, f->cy[i]);
        }
        double nodes = hx > 0 && hy > 0
                           ? ((x1 - x0 + f->cutoff) / hx + 2) * ((y1 - y0 + f->cutoff) / hy + 2)
                           : INFINITY;
        int use = on > 0 && (double)on >= 0.5 * (double)n &&
                  (method == QTR_DECAY_LATTICE ||
                   ((double)n * fmin(per, (double)n) > 2e7 && nodes <= 64.0 * (double)n + 4e6));
        if (!use && method == QTR_DECAY_LATTICE) {
            rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                               "%s: the centroids do not lie on a regular lattice", name);
            goto fail;
        }
        if (use) {
            f->lattice = 1;
            if ((rc = lattice_build(f, hx, ox, hy, oy))) {
                if (rc == QTR_ERR_NOMEM)
                    goto nomem;
                rc = qtr_error_set(err, rc, "%s: FFTW could not plan the transform", name);
                goto fail;
            }
            if (qtr_cells_build(&f->off, f->cx, f->cy, n, f->bin, f->cutoff))
                goto nomem;
        }
    }
    const double *vin[2] = {u->total, one};
    double *vout[2] = {f->ct, f->c1};
    sums(f, vin, 2, vout);
    free(one);
    *out = f;
    return QTR_OK;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "%s: out of memory for %zu districts", name, n);
fail:
    free(one);
    qtr_decay_field_free(f);
    return rc;
}

int qtr_decay_field_apply(const struct qtr_decay_field *f, const double *v, double *out,
                          struct qtr_error *err)
{
    if (!f || !v || !out || v == out)
        return qtr_error_set(err, QTR_ERR_USAGE, "distance-decay sums: bad arguments");
    const double *vin[1] = {v};
    double *vout[1] = {out};
    return sums(f, vin, 1, vout);
}

size_t qtr_decay_field_size(const struct qtr_decay_field *f)
{
    return f->n;
}

const double *qtr_decay_field_ct(const struct qtr_decay_field *f)
{
    return f->ct;
}

const double *qtr_decay_field_c1(const struct qtr_decay_field *f)
{
    return f->c1;
}

const char *qtr_decay_field_method(const struct qtr_decay_field *f, double *lattice_share)
{
    if (lattice_share)
        *lattice_share = f->lattice ? (double)f->non / (double)f->n : 0.0;
    return f->lattice ? "lattice" : "direct";
}
