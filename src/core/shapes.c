#include "quartier/shapes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void qtr_shapes_free(struct qtr_shapes *s)
{
    if (!s)
        return;
    free(s->feat_ring);
    free(s->ring_pt);
    free(s->ring_hole);
    free(s->x);
    free(s->y);
    free(s);
}

int qtr_shapes_bbox(const struct qtr_shapes *s, double *minx, double *miny, double *maxx,
                    double *maxy)
{
    if (!s || s->npoints == 0)
        return 0;
    double x0 = s->x[0], x1 = s->x[0], y0 = s->y[0], y1 = s->y[0];
    for (size_t i = 1; i < s->npoints; i++) {
        if (s->x[i] < x0)
            x0 = s->x[i];
        if (s->x[i] > x1)
            x1 = s->x[i];
        if (s->y[i] < y0)
            y0 = s->y[i];
        if (s->y[i] > y1)
            y1 = s->y[i];
    }
    *minx = x0;
    *miny = y0;
    *maxx = x1;
    *maxy = y1;
    return 1;
}

/* Squared distance of (px, py) from the segment a-b. */
static double seg_dist2(double px, double py, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = ax + t * dx - px, ey = ay + t * dy - py;
    return ex * ex + ey * ey;
}

/*
 * Mark the points of x[0..n-1] that Douglas-Peucker keeps (keep[0] and
 * keep[n-1] set by the caller). Explicit stack of index pairs instead of
 * recursion: rings of official boundary files can have 10^5 points.
 */
static int dp_mark(const double *x, const double *y, size_t n, double tol2, unsigned char *keep,
                   size_t *stack)
{
    size_t top = 0;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top) {
        size_t b = stack[--top], a = stack[--top];
        if (b <= a + 1)
            continue;
        double best = -1;
        size_t at = a;
        for (size_t i = a + 1; i < b; i++) {
            double d = seg_dist2(x[i], y[i], x[a], y[a], x[b], y[b]);
            if (d > best) {
                best = d;
                at = i;
            }
        }
        if (best > tol2) {
            keep[at] = 1;
            stack[top++] = a;
            stack[top++] = at;
            stack[top++] = at;
            stack[top++] = b;
        }
    }
    return 0;
}

int qtr_shapes_simplify(const struct qtr_shapes *in, double tol, struct qtr_shapes **out,
                        struct qtr_error *err)
{
    if (!(tol >= 0) || !isfinite(tol))
        return qtr_error_set(err, QTR_ERR_USAGE, "simplification tolerance must be >= 0");
    size_t np = in->npoints ? in->npoints : 1;
    struct qtr_shapes *s = calloc(1, sizeof *s);
    unsigned char *keep = calloc(np, 1);
    /* each point is pushed at most twice as an interval end, plus the first interval */
    size_t *stack = malloc((2 * np + 4) * sizeof *stack);
    if (!s || !keep || !stack)
        goto nomem;
    s->n = in->n;
    s->nrings = in->nrings;
    s->feat_ring = malloc((in->n + 1) * sizeof *s->feat_ring);
    s->ring_pt = malloc((in->nrings + 1) * sizeof *s->ring_pt);
    s->ring_hole = malloc(in->nrings ? in->nrings : 1);
    s->x = malloc(np * sizeof *s->x);
    s->y = malloc(np * sizeof *s->y);
    if (!s->feat_ring || !s->ring_pt || !s->ring_hole || !s->x || !s->y)
        goto nomem;
    memcpy(s->feat_ring, in->feat_ring, (in->n + 1) * sizeof *s->feat_ring);
    if (in->nrings)
        memcpy(s->ring_hole, in->ring_hole, in->nrings);
    size_t m = 0;
    for (size_t r = 0; r < in->nrings; r++) {
        size_t a = in->ring_pt[r], n = in->ring_pt[r + 1] - a;
        s->ring_pt[r] = m;
        size_t kept = n;
        if (n > 4) {
            keep[a] = keep[a + n - 1] = 1;
            dp_mark(in->x + a, in->y + a, n, tol * tol, keep + a, stack);
            kept = 0;
            for (size_t i = 0; i < n; i++)
                kept += keep[a + i];
        }
        for (size_t i = 0; i < n; i++)
            if (kept < 4 || n <= 4 || keep[a + i]) {
                s->x[m] = in->x[a + i];
                s->y[m] = in->y[a + i];
                m++;
            }
    }
    s->ring_pt[in->nrings] = m;
    s->npoints = m;
    free(keep);
    free(stack);
    *out = s;
    return QTR_OK;
nomem:
    free(keep);
    free(stack);
    qtr_shapes_free(s);
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
}
