/*
 * shapes_shared.c - generalising a coverage of polygons so that neighbours
 * still share their boundary (qtr_shapes_simplify_shared, shapes.h).
 *
 * Douglas-Peucker on each ring on its own (qtr_shapes_simplify) keeps the
 * first point of every ring and so cuts a shared boundary at different
 * points in the two neighbours: at a small scale the difference is below
 * the drawn outline, on a zoomable map it shows as slivers and overlaps.
 * Here the rings are cut into arcs at their nodes (points where three or
 * more boundaries meet, or where a boundary stops being shared), each arc is
 * generalised in one canonical direction, and so both neighbours keep the
 * very same points of the boundary they share.
 */
#include "quartier/shapes.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/error.h"

/* ---- points by exact coordinates ------------------------------------------ */

static uint64_t bits(double v)
{
    uint64_t u;
    if (v == 0)
        v = 0; /* -0 and +0 are the same point */
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* 1 when point a comes before point b (x, then y). */
static int before(double ax, double ay, double bx, double by)
{
    return ax < bx || (ax == bx && ay < by);
}

/* ---- Douglas-Peucker on one arc ------------------------------------------- */

static double seg_dist2(double px, double py, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = ax + t * dx - px, ey = ay + t * dy - py;
    return ex * ex + ey * ey;
}

/* keep[0] and keep[n-1] are set by the caller; stack holds 2 n + 4 indices. */
static void dp_mark(const double *x, const double *y, size_t n, double tol2, unsigned char *keep,
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
}

int qtr_shapes_simplify_shared(const struct qtr_shapes *in, double tol, struct qtr_shapes **out,
                               struct qtr_error *err)
{
    if (!(tol >= 0) || !isfinite(tol))
        return qtr_error_set(err, QTR_ERR_USAGE, "simplification tolerance must be >= 0");
    size_t np = in->npoints, nr = in->nrings;
    size_t cap = 16;
    while (cap < 2 * np)
        cap *= 2;
    size_t *slot = malloc(cap * sizeof *slot);   /* hash slot -> first point index + 1 */
    size_t *vid = malloc((np ? np : 1) * sizeof *vid); /* point -> vertex (its first point) */
    size_t *nb = malloc((np ? np : 1) * 2 * sizeof *nb); /* vertex -> up to 2 neighbours + 1 */
    unsigned char *node = calloc(np ? np : 1, 1);
    unsigned char *keep = calloc(np ? np : 1, 1);
    size_t *stack = malloc((2 * np + 4) * sizeof *stack);
    double *ax = malloc((np ? np : 1) * sizeof *ax), *ay = malloc((np ? np : 1) * sizeof *ay);
    unsigned char *akeep = malloc(np ? np : 1);
    struct qtr_shapes *s = calloc(1, sizeof *s);
    if (!slot || !vid || !nb || !node || !keep || !stack || !ax || !ay || !akeep || !s)
        goto nomem;
    memset(slot, 0, cap * sizeof *slot);
    for (size_t i = 0; i < np; i++) {
        uint64_t h = mix(bits(in->x[i]) * 0x9e3779b97f4a7c15ULL ^ bits(in->y[i]));
        size_t k = (size_t)h & (cap - 1);
        while (slot[k] && !(in->x[slot[k] - 1] == in->x[i] && in->y[slot[k] - 1] == in->y[i]))
            k = (k + 1) & (cap - 1);
        if (!slot[k])
            slot[k] = i + 1;
        vid[i] = slot[k] - 1;
    }
    free(slot);
    slot = NULL;
    for (size_t i = 0; i < 2 * np; i++)
        nb[i] = 0;
    /*
     * A point is a node when its neighbours along all rings through it are more than two
     * distinct points: three boundaries meet there, or a shared boundary ends. The closing
     * point of a ring (equal to its first) is not a point of its own.
     */
    for (size_t r = 0; r < nr; r++) {
        size_t a = in->ring_pt[r], n = in->ring_pt[r + 1] - a;
        if (n >= 2 && vid[a] == vid[a + n - 1])
            n--;
        if (n < 3) {
            for (size_t i = 0; i < n; i++)
                node[vid[a + i]] = 1;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            size_t v = vid[a + i];
            size_t adj[2] = {vid[a + (i + n - 1) % n], vid[a + (i + 1) % n]};
            for (int j = 0; j < 2; j++) {
                size_t w = adj[j] + 1;
                if (nb[2 * v] == w || nb[2 * v + 1] == w)
                    continue;
                if (!nb[2 * v])
                    nb[2 * v] = w;
                else if (!nb[2 * v + 1])
                    nb[2 * v + 1] = w;
                else
                    node[v] = 1;
            }
        }
    }
    /*
     * A ring without a node (an island, or an enclave and the hole around it) gets its
     * smallest point as node: a ring that shares all of it has the same smallest point.
     */
    for (size_t r = 0; r < nr; r++) {
        size_t a = in->ring_pt[r], n = in->ring_pt[r + 1] - a, lo = a, any = 0;
        for (size_t i = a; i < a + n && !any; i++) {
            any = node[vid[i]];
            if (before(in->x[i], in->y[i], in->x[lo], in->y[lo]))
                lo = i;
        }
        if (!any && n)
            node[vid[lo]] = 1;
    }
    s->n = in->n;
    s->nrings = nr;
    s->feat_ring = malloc((in->n + 1) * sizeof *s->feat_ring);
    s->ring_pt = malloc((nr + 1) * sizeof *s->ring_pt);
    s->ring_hole = malloc(nr ? nr : 1);
    s->x = malloc((np ? np : 1) * sizeof *s->x);
    s->y = malloc((np ? np : 1) * sizeof *s->y);
    if (!s->feat_ring || !s->ring_pt || !s->ring_hole || !s->x || !s->y)
        goto nomem;
    memcpy(s->feat_ring, in->feat_ring, (in->n + 1) * sizeof *s->feat_ring);
    if (nr)
        memcpy(s->ring_hole, in->ring_hole, nr);
    double tol2 = tol * tol;
    size_t m = 0;
    for (size_t r = 0; r < nr; r++) {
        size_t a = in->ring_pt[r], n = in->ring_pt[r + 1] - a;
        s->ring_pt[r] = m;
        int closed = n >= 2 && vid[a] == vid[a + n - 1];
        size_t u = closed ? n - 1 : n; /* distinct positions */
        size_t first = u; /* position of the first node */
        for (size_t i = 0; i < u && first == u; i++)
            if (node[vid[a + i]])
                first = i;
        if (n <= 4 || first == u || !closed) {
            memcpy(s->x + m, in->x + a, n * sizeof *s->x);
            memcpy(s->y + m, in->y + a, n * sizeof *s->y);
            m += n;
            continue;
        }
        /* the arcs from node to node, starting at the first node, each in canonical order */
        for (size_t i = 0; i < u; i++)
            keep[a + i] = node[vid[a + i]];
        size_t p = first;
        do {
            size_t q = (p + 1) % u, len = 2;
            while (!node[vid[a + q]]) {
                q = (q + 1) % u;
                len++;
            }
            /* positions p, p+1, ..., q (mod u): len points */
            size_t last = a + q, start = a + p;
            int rev = before(in->x[last], in->y[last], in->x[start], in->y[start]);
            if (vid[last] == vid[start] && len > 2) {
                /* a closed arc: the direction whose second point comes first */
                size_t s1 = a + (p + 1) % u, s2 = a + (p + len - 2) % u;
                rev = before(in->x[s2], in->y[s2], in->x[s1], in->y[s1]);
            }
            for (size_t j = 0; j < len; j++) {
                size_t src = a + (p + (rev ? len - 1 - j : j)) % u;
                ax[j] = in->x[src];
                ay[j] = in->y[src];
                akeep[j] = 0;
            }
            akeep[0] = akeep[len - 1] = 1;
            dp_mark(ax, ay, len, tol2, akeep, stack);
            for (size_t j = 1; j + 1 < len; j++)
                keep[a + (p + (rev ? len - 1 - j : j)) % u] = akeep[j];
            p = q;
        } while (p != first);
        size_t kept = 0;
        for (size_t i = 0; i < u; i++)
            kept += keep[a + i];
        if (kept < 3) {
            memcpy(s->x + m, in->x + a, n * sizeof *s->x);
            memcpy(s->y + m, in->y + a, n * sizeof *s->y);
            m += n;
            continue;
        }
        for (size_t j = 0; j < u; j++) {
            size_t i = a + (first + j) % u;
            if (keep[i]) {
                s->x[m] = in->x[i];
                s->y[m] = in->y[i];
                m++;
            }
        }
        s->x[m] = in->x[a + first]; /* closing point */
        s->y[m] = in->y[a + first];
        m++;
    }
    s->ring_pt[nr] = m;
    s->npoints = m;
    free(vid);
    free(nb);
    free(node);
    free(keep);
    free(stack);
    free(ax);
    free(ay);
    free(akeep);
    *out = s;
    return QTR_OK;
nomem:
    free(slot);
    free(vid);
    free(nb);
    free(node);
    free(keep);
    free(stack);
    free(ax);
    free(ay);
    free(akeep);
    qtr_shapes_free(s);
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
}
