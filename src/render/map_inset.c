/*
 * map_inset.c - outlying parts of a map (an island such as Hamburg's Neuwerk, an
 * exclave) in insets, so that the main frame fits where people live.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "quartier/map.h"
#include "quartier/strutil.h"

#define LINK_SHARE 0.02   /* parts closer than this share of the whole extent: one body */
#define SMALL_SHARE 0.10  /* an outlying body holds at most this share of the area */
#define FAR_FACTOR 0.5    /* ... and lies further out than this times the main body's side */
#define GROUP_FACTOR 0.25 /* outlying bodies this close (times their distance) share an inset */
#define MAX_PARTS 20000   /* the pairwise linking is O(parts^2); beyond this, no insets */

struct box {
    double x0, y0, x1, y1;
};

static void box_add(struct box *a, const struct box *b)
{
    a->x0 = fmin(a->x0, b->x0);
    a->y0 = fmin(a->y0, b->y0);
    a->x1 = fmax(a->x1, b->x1);
    a->y1 = fmax(a->y1, b->y1);
}

/* Distance between two boxes (0 when they overlap or touch). */
static double box_gap(const struct box *a, const struct box *b)
{
    double gx = fmax(0, fmax(a->x0 - b->x1, b->x0 - a->x1));
    double gy = fmax(0, fmax(a->y0 - b->y1, b->y0 - a->y1));
    return hypot(gx, gy);
}

static double box_side(const struct box *a)
{
    return fmax(a->x1 - a->x0, a->y1 - a->y0);
}

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static void unite(size_t *parent, size_t a, size_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a != b)
        parent[a > b ? a : b] = a < b ? a : b;
}

/* A part's left edge and index, ordered by edge then index. */
struct left {
    double x0;
    size_t i;
};

static int cmp_left(const void *a, const void *b)
{
    const struct left *p = a, *q = b;
    if (p->x0 < q->x0)
        return -1;
    if (p->x0 > q->x0)
        return 1;
    return (p->i > q->i) - (p->i < q->i);
}

static struct box ring_box(const struct qtr_shapes *s, size_t r)
{
    struct box b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t p = s->ring_pt[r]; p < s->ring_pt[r + 1]; p++) {
        b.x0 = fmin(b.x0, s->x[p]);
        b.y0 = fmin(b.y0, s->y[p]);
        b.x1 = fmax(b.x1, s->x[p]);
        b.y1 = fmax(b.y1, s->y[p]);
    }
    return b;
}

static double ring_area(const struct qtr_shapes *s, size_t r)
{
    double a = 0;
    for (size_t p = s->ring_pt[r]; p + 1 < s->ring_pt[r + 1]; p++)
        a += s->x[p] * s->y[p + 1] - s->x[p + 1] * s->y[p];
    return fabs(a) / 2;
}

int qtr_map_extent(const struct qtr_shapes *s, struct qtr_map_extent *out)
{
    memset(out, 0, sizeof *out);
    struct box all;
    if (!qtr_shapes_bbox(s, &all.x0, &all.y0, &all.x1, &all.y1))
        return 0;
    out->minx = all.x0;
    out->miny = all.y0;
    out->maxx = all.x1;
    out->maxy = all.y1;
    size_t np = 0;
    for (size_t r = 0; r < s->nrings; r++)
        np += !s->ring_hole[r] && s->ring_pt[r + 1] > s->ring_pt[r];
    if (np < 2 || np > MAX_PARTS || !(box_side(&all) > 0))
        return 1;

    int ok = 0;
    struct box *pb = malloc(np * sizeof *pb), *cb = malloc(np * sizeof *cb);
    double *pa = malloc(np * sizeof *pa), *ca = calloc(np, sizeof *ca), *cg = NULL;
    size_t *parent = malloc(np * sizeof *parent), *root = malloc(np * sizeof *root);
    unsigned char *state = calloc(np, 1); /* per cluster: 1 main, 2 outlying, 0 open */
    if (!pb || !cb || !pa || !ca || !parent || !root || !state || !(cg = malloc(np * sizeof *cg)))
        goto out;
    for (size_t r = 0, k = 0; r < s->nrings; r++)
        if (!s->ring_hole[r] && s->ring_pt[r + 1] > s->ring_pt[r]) {
            pb[k] = ring_box(s, r);
            pa[k] = ring_area(s, r);
            parent[k] = k;
            k++;
        }
    /* bodies: parts linked by single linkage at LINK_SHARE of the whole extent */
    double link = LINK_SHARE * box_side(&all), total = 0;
    /* Sweep along x: with the parts ordered by their left edge, a part further right than
     * link beyond i's right edge cannot link with i, nor can any after it. The union keeps
     * the smallest index as root, so the bodies come out as with every pair tried. */
    struct left *by_x = malloc(np * sizeof *by_x);
    if (!by_x)
        goto out;
    for (size_t i = 0; i < np; i++)
        by_x[i] = (struct left){pb[i].x0, i};
    qsort(by_x, np, sizeof *by_x, cmp_left);
    for (size_t a = 0; a < np; a++) {
        size_t i = by_x[a].i;
        for (size_t b = a + 1; b < np && by_x[b].x0 <= pb[i].x1 + link; b++)
            if (box_gap(&pb[i], &pb[by_x[b].i]) <= link)
                unite(parent, i, by_x[b].i);
    }
    free(by_x);
    size_t nc = 0;
    for (size_t i = 0; i < np; i++) {
        size_t f = find(parent, i);
        if (f == i) {
            root[i] = nc;
            cb[nc] = pb[i];
            nc++;
        }
    }
    size_t big = 0;
    for (size_t i = 0; i < np; i++) {
        size_t c = root[find(parent, i)];
        box_add(&cb[c], &pb[i]);
        ca[c] += pa[i];
        total += pa[i];
    }
    if (nc < 2 || !(total > 0)) {
        ok = 1;
        goto out;
    }
    for (size_t c = 1; c < nc; c++)
        if (ca[c] > ca[big])
            big = c;
    /* the main body: the largest and every body that is not small */
    struct box main = cb[big];
    for (size_t c = 0; c < nc; c++)
        if (c == big || ca[c] > SMALL_SHARE * total) {
            state[c] = 1;
            box_add(&main, &cb[c]);
        }
    /* small bodies join nearest first while they lie within FAR_FACTOR of the main side */
    for (;;) {
        size_t best = nc;
        double bg = INFINITY;
        for (size_t c = 0; c < nc; c++)
            if (!state[c] && box_gap(&main, &cb[c]) < bg) {
                bg = box_gap(&main, &cb[c]);
                best = c;
            }
        if (best == nc)
            break;
        if (bg <= FAR_FACTOR * box_side(&main)) {
            state[best] = 1;
            box_add(&main, &cb[best]);
            continue;
        }
        for (size_t c = 0; c < nc; c++)
            state[c] = state[c] ? state[c] : 2;
        break;
    }
    /* outlying bodies close to each other share an inset (an island with its sandbanks) */
    for (size_t c = 0; c < nc; c++) {
        parent[c] = c;
        cg[c] = box_gap(&main, &cb[c]);
    }
    for (size_t a = 0; a < nc; a++)
        for (size_t b = a + 1; b < nc; b++)
            if (state[a] == 2 && state[b] == 2 &&
                box_gap(&cb[a], &cb[b]) <= GROUP_FACTOR * fmin(cg[a], cg[b]))
                unite(parent, a, b);
    size_t ng = 0;
    struct box g[QTR_MAP_MAX_INSETS + 1];
    for (size_t c = 0; c < nc && ng <= QTR_MAP_MAX_INSETS; c++) {
        if (state[c] != 2 || find(parent, c) != c)
            continue;
        g[ng] = cb[c];
        for (size_t d = c + 1; d < nc; d++)
            if (state[d] == 2 && find(parent, d) == c)
                box_add(&g[ng], &cb[d]);
        ng++;
    }
    ok = 1;
    if (ng == 0 || ng > QTR_MAP_MAX_INSETS)
        goto out; /* nothing far out, or too many groups for corners: one frame */
    out->minx = main.x0;
    out->miny = main.y0;
    out->maxx = main.x1;
    out->maxy = main.y1;
    out->ninsets = ng;
    for (size_t k = 0; k < ng; k++) {
        out->inset[k].minx = g[k].x0;
        out->inset[k].miny = g[k].y0;
        out->inset[k].maxx = g[k].x1;
        out->inset[k].maxy = g[k].y1;
    }
out:
    free(pb);
    free(cb);
    free(pa);
    free(ca);
    free(cg);
    free(parent);
    free(root);
    free(state);
    return ok ? 1 : -1;
}

/* 1 when (x, y) lies inside feature f of s (even-odd over all its rings). */
static int inside(const struct qtr_shapes *s, size_t f, double x, double y)
{
    int in = 0;
    for (size_t r = s->feat_ring[f]; r < s->feat_ring[f + 1]; r++)
        for (size_t p = s->ring_pt[r]; p + 1 < s->ring_pt[r + 1]; p++) {
            double xa = s->x[p], ya = s->y[p], xb = s->x[p + 1], yb = s->y[p + 1];
            if ((ya > y) != (yb > y) && x < xa + (y - ya) * (xb - xa) / (yb - ya))
                in = !in;
        }
    return in;
}

/* Share of a 12 x 12 grid of points in box b (page) that lies on a feature of the main frame. */
static double covered(const struct qtr_shapes *s, const struct box *fb, const struct box *b,
                      const struct qtr_map_layout *l)
{
    size_t hits = 0;
    for (int i = 0; i < 12; i++)
        for (int j = 0; j < 12; j++) {
            double px = b->x0 + (i + 0.5) * (b->x1 - b->x0) / 12,
                   py = b->y0 + (j + 0.5) * (b->y1 - b->y0) / 12;
            double X = (px - l->tx) / l->scale, Y = (l->ty - py) / l->scale;
            for (size_t f = 0; f < s->n; f++)
                if (X >= fb[f].x0 && X <= fb[f].x1 && Y >= fb[f].y0 && Y <= fb[f].y1 &&
                    inside(s, f, X, Y)) {
                    hits++;
                    break;
                }
        }
    return hits / 144.0;
}

int qtr_map_place_insets(const struct qtr_shapes *s, const struct qtr_map_extent *ext,
                         const double *caption_w, struct qtr_map_layout *l)
{
    l->ninsets = 0;
    if (!ext->ninsets)
        return QTR_OK;
    struct box *fb = malloc((s->n ? s->n : 1) * sizeof *fb);
    if (!fb)
        return QTR_ERR_NOMEM;
    for (size_t f = 0; f < s->n; f++) {
        fb[f] = (struct box){INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t r = s->feat_ring[f]; r < s->feat_ring[f + 1]; r++) {
            struct box rb = ring_box(s, r);
            box_add(&fb[f], &rb);
        }
    }
    double mcx = (ext->minx + ext->maxx) / 2, mcy = (ext->miny + ext->maxy) / 2;
    struct box used[QTR_MAP_MAX_INSETS];
    for (size_t k = 0; k < ext->ninsets; k++) {
        struct qtr_map_inset_layout *in = &l->inset[k];
        in->minx = ext->inset[k].minx;
        in->miny = ext->inset[k].miny;
        in->maxx = ext->inset[k].maxx;
        in->maxy = ext->inset[k].maxy;
        double w = in->maxx - in->minx, h = in->maxy - in->miny;
        /* the main frame's scale when the part fits a quarter of the frame, else smaller */
        double maxw = 0.28 * l->frame_w - 2 * QTR_INSET_PAD,
               maxh = 0.3 * l->frame_h - 2 * QTR_INSET_PAD - QTR_INSET_CAPTION;
        double sc = l->scale;
        if (w > 0)
            sc = fmin(sc, maxw / w);
        if (h > 0)
            sc = fmin(sc, maxh / h);
        in->scale = sc;
        in->w = fmax(w * sc, fmax(caption_w ? caption_w[k] : 0, 40)) + 2 * QTR_INSET_PAD;
        in->h = h * sc + 2 * QTR_INSET_PAD + QTR_INSET_CAPTION;
        /* the corner with the least of the main map under it; ties: the part's direction */
        double best = INFINITY;
        int want = (((in->minx + in->maxx) / 2 > mcx) ? 1 : 0) |
                   (((in->miny + in->maxy) / 2 < mcy) ? 2 : 0);
        for (int c = 0; c < 4; c++) {
            struct box b;
            b.x0 = c & 1 ? l->frame_x + l->frame_w - in->w : l->frame_x;
            b.y0 = c & 2 ? l->frame_y + l->frame_h - in->h : l->frame_y;
            b.x1 = b.x0 + in->w;
            b.y1 = b.y0 + in->h;
            double score = covered(s, fb, &b, l) + (c == want ? 0 : 1e-3);
            for (size_t j = 0; j < k; j++)
                if (b.x0 < used[j].x1 && used[j].x0 < b.x1 && b.y0 < used[j].y1 &&
                    used[j].y0 < b.y1)
                    score += 10;
            if (score < best) {
                best = score;
                used[k] = b;
            }
        }
        in->x = used[k].x0;
        in->y = used[k].y0;
        /* centre the part in the box below the caption */
        in->tx = in->x + (in->w - sc * w) / 2 - sc * in->minx;
        in->ty = in->y + in->h - QTR_INSET_PAD -
                 (in->h - QTR_INSET_CAPTION - 2 * QTR_INSET_PAD - sc * h) / 2 + sc * in->miny;
        l->ninsets = k + 1;
    }
    free(fb);
    return QTR_OK;
}

char *qtr_map_inset_caption(const struct qtr_shapes *s, const char *const *names,
                            const struct qtr_map_inset_layout *in)
{
    struct qtr_buf b = {0};
    size_t listed = 0, more = 0;
    if (!names)
        return NULL;
    for (size_t f = 0; f < s->n; f++) {
        int part = 0;
        for (size_t r = s->feat_ring[f]; r < s->feat_ring[f + 1] && !part; r++) {
            if (s->ring_hole[r])
                continue;
            struct box rb = ring_box(s, r);
            part = rb.x0 >= in->minx && rb.x1 <= in->maxx && rb.y0 >= in->miny && rb.y1 <= in->maxy;
        }
        if (!part || !names[f] || !*names[f])
            continue;
        if (listed == 3) {
            more = 1;
            continue;
        }
        if (qtr_buf_printf(&b, "%s%s", listed++ ? ", " : "", names[f]) != QTR_OK) {
            qtr_buf_release(&b);
            return NULL;
        }
    }
    if (more)
        qtr_buf_puts(&b, ", \xe2\x80\xa6");
    return b.data;
}
