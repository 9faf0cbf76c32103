/*
 * contiguity.c - queen and rook contiguity of district polygons.
 *
 * Two passes. (1) Exact topology: every ring vertex (and, for rook, every
 * ring segment with its end points ordered) is tagged with its district and
 * sorted by coordinates; equal coordinates in different districts make a
 * pair. This is PySAL's vertex-based Queen/Rook (libpysal.weights.contiguity)
 * and needs no geometry operation, so it scales to millions of districts.
 * (2) Tolerance: a GEOS STRtree proposes every pair whose envelopes come
 * within snap_tolerance; pairs not found in (1) are tested with prepared
 * GEOS predicates, which catches T-junctions and boundaries digitised a
 * little apart. Rook pairs not proven by an exactly shared segment, and all
 * shared boundary lengths, are measured with GEOS (see weights.h).
 */
#include "quartier/weights.h"

#include <geos_c.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geos_rings.h"

struct vtx {
    double x, y;
    uint32_t id;
};

struct seg {
    double x0, y0, x1, y1;
    uint32_t id;
};

struct collect {
    int rook;
    uint32_t id;
    struct vtx *v;
    size_t nv, capv;
    struct seg *s;
    size_t ns, caps;
};

static int collect_ring(void *ctx, const double *xy, size_t npts, int hole)
{
    struct collect *c = ctx;
    (void)hole;
    /* the closing point repeats the first one: skip it */
    size_t nuniq = (npts > 1 && xy[0] == xy[2 * (npts - 1)] && xy[1] == xy[2 * (npts - 1) + 1])
                       ? npts - 1
                       : npts;
    if (c->nv + nuniq > c->capv) {
        size_t cap = c->capv ? c->capv : 1024;
        while (cap < c->nv + nuniq)
            cap *= 2;
        struct vtx *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv)
            return QTR_ERR_NOMEM;
        c->v = nv;
        c->capv = cap;
    }
    for (size_t p = 0; p < nuniq; p++) {
        c->v[c->nv].x = xy[2 * p];
        c->v[c->nv].y = xy[2 * p + 1];
        c->v[c->nv].id = c->id;
        c->nv++;
    }
    if (!c->rook || npts < 2)
        return 0;
    if (c->ns + npts > c->caps) {
        size_t cap = c->caps ? c->caps : 1024;
        while (cap < c->ns + npts)
            cap *= 2;
        struct seg *ns = realloc(c->s, cap * sizeof *ns);
        if (!ns)
            return QTR_ERR_NOMEM;
        c->s = ns;
        c->caps = cap;
    }
    for (size_t p = 0; p + 1 < npts; p++) {
        double ax = xy[2 * p], ay = xy[2 * p + 1], bx = xy[2 * p + 2], by = xy[2 * p + 3];
        if (ax == bx && ay == by)
            continue; /* repeated point */
        struct seg *s = &c->s[c->ns++];
        if (ax < bx || (ax == bx && ay < by)) {
            s->x0 = ax, s->y0 = ay, s->x1 = bx, s->y1 = by;
        } else {
            s->x0 = bx, s->y0 = by, s->x1 = ax, s->y1 = ay;
        }
        s->id = c->id;
    }
    return 0;
}

static int vtx_cmp(const void *pa, const void *pb)
{
    const struct vtx *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int seg_cmp(const void *pa, const void *pb)
{
    const struct seg *a = pa, *b = pb;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    if (a->x1 != b->x1)
        return a->x1 < b->x1 ? -1 : 1;
    if (a->y1 != b->y1)
        return a->y1 < b->y1 ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? ((uint64_t)a << 32) | b : ((uint64_t)b << 32) | a;
}

struct pairs {
    uint64_t *k;
    size_t len, cap;
};

static int pairs_push(struct pairs *p, uint64_t key)
{
    if (p->len == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4096;
        uint64_t *nk = realloc(p->k, cap * sizeof *nk);
        if (!nk)
            return -1;
        p->k = nk;
        p->cap = cap;
    }
    p->k[p->len++] = key;
    return 0;
}

/* Sort and remove duplicates. */
static void pairs_unique(struct pairs *p)
{
    if (p->len == 0)
        return;
    qsort(p->k, p->len, sizeof *p->k, u64_cmp);
    size_t w = 1;
    for (size_t r = 1; r < p->len; r++)
        if (p->k[r] != p->k[w - 1])
            p->k[w++] = p->k[r];
    p->len = w;
}

static int pairs_has(const struct pairs *p, uint64_t key)
{
    size_t lo = 0, hi = p->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->k[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->len && p->k[lo] == key;
}

/* Every pair of distinct ids in the sorted run ids[0..len) (ids ascending, may repeat). */
static int pairs_from_run(struct pairs *p, const uint32_t *ids, size_t len, size_t stride)
{
    for (size_t a = 0; a < len; a++) {
        uint32_t ia = *(const uint32_t *)((const char *)ids + a * stride);
        for (size_t b = a + 1; b < len; b++) {
            uint32_t ib = *(const uint32_t *)((const char *)ids + b * stride);
            if (ia != ib && pairs_push(p, pair_key(ia, ib)))
                return -1;
        }
    }
    return 0;
}

/* ---- GEOS measurements -------------------------------------------------- */

struct geo {
    GEOSContextHandle_t h;
    const GEOSGeometry *const *g;
    double tol;
    GEOSGeometry **bnd;  /* lazily computed boundaries */
    GEOSGeometry **bbuf; /* lazily computed boundary buffers (tol > 0) */
};

static const GEOSGeometry *boundary(struct geo *G, uint32_t i)
{
    if (!G->bnd[i])
        G->bnd[i] = GEOSBoundary_r(G->h, G->g[i]);
    return G->bnd[i];
}

static const GEOSGeometry *boundary_buffer(struct geo *G, uint32_t i)
{
    if (!G->bbuf[i]) {
        const GEOSGeometry *b = boundary(G, i);
        if (b)
            G->bbuf[i] = GEOSBuffer_r(G->h, b, G->tol, 8);
    }
    return G->bbuf[i];
}

/* Length of the linear part of a intersected with b; -1 on GEOS failure. */
static double inter_length(GEOSContextHandle_t h, const GEOSGeometry *a, const GEOSGeometry *b)
{
    if (!a || !b)
        return -1;
    GEOSGeometry *x = GEOSIntersection_r(h, a, b);
    if (!x)
        return -1;
    double len = 0;
    if (!GEOSLength_r(h, x, &len))
        len = -1;
    GEOSGeom_destroy_r(h, x);
    return len;
}

/* Shared boundary length of i and j (weights.h); -1 on GEOS failure. */
static double shared_len(struct geo *G, uint32_t i, uint32_t j)
{
    if (G->tol == 0)
        return inter_length(G->h, boundary(G, i), boundary(G, j));
    double a = inter_length(G->h, boundary(G, i), boundary_buffer(G, j));
    double b = inter_length(G->h, boundary(G, j), boundary_buffer(G, i));
    if (a < 0 || b < 0)
        return -1;
    return 0.5 * (a + b);
}

struct cand {
    uint32_t *v;
    size_t len, cap;
    uint32_t self;
    int oom;
};

static void cand_cb(void *item, void *userdata)
{
    struct cand *c = userdata;
    uint32_t j = *(const uint32_t *)item;
    if (j <= c->self || c->oom)
        return;
    if (c->len == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        uint32_t *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv) {
            c->oom = 1;
            return;
        }
        c->v = nv;
        c->cap = cap;
    }
    c->v[c->len++] = j;
}

static int u32_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

int qtr_weights_contiguity(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                           size_t n, int queen, double snap_tolerance, struct qtr_csr **out,
                           double **shared_length, struct qtr_error *err)
{
    struct collect col = {0};
    struct pairs vp = {0}, sp = {0}, fin = {0};
    struct geo G = {h, geoms, snap_tolerance, NULL, NULL};
    struct cand cand = {0};
    GEOSSTRtree *tree = NULL;
    uint32_t *ids = NULL;
    double *len = NULL, *plen = NULL;
    struct qtr_csr *m = NULL;
    int rc = QTR_OK;

    *out = NULL;
    if (shared_length)
        *shared_length = NULL;
    if (!(snap_tolerance >= 0) || !isfinite(snap_tolerance))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "snap tolerance must be zero or a positive distance (got %g)",
                             snap_tolerance);
    if (n >= UINT32_MAX)
        return qtr_error_set(err, QTR_ERR_USAGE, "too many districts (%zu)", n);

    /* (1) exact topology */
    col.rook = !queen;
    for (size_t i = 0; i < n; i++) {
        col.id = (uint32_t)i;
        rc = qtr_geos_visit_rings(h, geoms[i], i, collect_ring, &col, err);
        if (rc == QTR_ERR_NOMEM && err && err->code != QTR_ERR_NOMEM)
            qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading district %zu", i);
        if (rc)
            goto out;
    }
    qsort(col.v, col.nv, sizeof *col.v, vtx_cmp);
    for (size_t a = 0; a < col.nv;) {
        size_t b = a + 1;
        while (b < col.nv && col.v[b].x == col.v[a].x && col.v[b].y == col.v[a].y)
            b++;
        if (b - a > 1 && pairs_from_run(&vp, &col.v[a].id, b - a, sizeof *col.v))
            goto nomem;
        a = b;
    }
    free(col.v);
    col.v = NULL;
    pairs_unique(&vp);
    if (!queen) {
        qsort(col.s, col.ns, sizeof *col.s, seg_cmp);
        for (size_t a = 0; a < col.ns;) {
            size_t b = a + 1;
            while (b < col.ns && col.s[b].x0 == col.s[a].x0 && col.s[b].y0 == col.s[a].y0 &&
                   col.s[b].x1 == col.s[a].x1 && col.s[b].y1 == col.s[a].y1)
                b++;
            if (b - a > 1 && pairs_from_run(&sp, &col.s[a].id, b - a, sizeof *col.s))
                goto nomem;
            a = b;
        }
        free(col.s);
        col.s = NULL;
        pairs_unique(&sp);
    }

    G.bnd = calloc(n ? n : 1, sizeof *G.bnd);
    G.bbuf = calloc(n ? n : 1, sizeof *G.bbuf);
    ids = malloc((n ? n : 1) * sizeof *ids);
    if (!G.bnd || !G.bbuf || !ids)
        goto nomem;

    /* (2) tolerance pass: STRtree candidates that share no exact vertex */
    tree = GEOSSTRtree_create_r(h, 10);
    if (!tree) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not create a spatial index");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = (uint32_t)i;
        if (geoms[i] && GEOSisEmpty_r(h, geoms[i]) == 0)
            GEOSSTRtree_insert_r(h, tree, geoms[i], &ids[i]);
    }
    /* GEOS 3.11 builds the tree on the first query (GEOSSTRtree_build_r is 3.12+) */
    for (size_t i = 0; i < n; i++) {
        if (!geoms[i] || GEOSisEmpty_r(h, geoms[i]) != 0)
            continue;
        double x0, y0, x1, y1;
        if (!GEOSGeom_getExtent_r(h, geoms[i], &x0, &y0, &x1, &y1)) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not compute the extent of "
                               "district %zu", i);
            goto out;
        }
        GEOSGeometry *env = GEOSGeom_createRectangle_r(h, x0 - snap_tolerance, y0 - snap_tolerance,
                                                       x1 + snap_tolerance, y1 + snap_tolerance);
        if (!env) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS failed on the extent of district %zu",
                               i);
            goto out;
        }
        cand.len = 0;
        cand.self = (uint32_t)i;
        GEOSSTRtree_query_r(h, tree, env, cand_cb, &cand);
        GEOSGeom_destroy_r(h, env);
        if (cand.oom)
            goto nomem;
        qsort(cand.v, cand.len, sizeof *cand.v, u32_cmp);
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t c = 0; c < cand.len; c++) {
            uint32_t j = cand.v[c];
            uint64_t key = pair_key((uint32_t)i, j);
            if (pairs_has(&vp, key))
                continue;
            if (!prep && !(prep = GEOSPrepare_r(h, geoms[i]))) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not prepare district %zu",
                                   i);
                goto out;
            }
            char hit = snap_tolerance > 0
                           ? GEOSPreparedDistanceWithin_r(h, prep, geoms[j], snap_tolerance)
                           : GEOSPreparedIntersects_r(h, prep, geoms[j]);
            if (hit == 2) {
                GEOSPreparedGeom_destroy_r(h, prep);
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "GEOS failed comparing districts %zu and %u (invalid "
                                   "geometry? try repairing the boundary layer)",
                                   i, j);
                goto out;
            }
            if (hit && pairs_push(&fin, key)) {
                GEOSPreparedGeom_destroy_r(h, prep);
                goto nomem;
            }
        }
        if (prep)
            GEOSPreparedGeom_destroy_r(h, prep);
    }
    /* queen pairs = exact vertex pairs + tolerance pairs */
    for (size_t e = 0; e < vp.len; e++)
        if (pairs_push(&fin, vp.k[e]))
            goto nomem;
    pairs_unique(&fin);

    /* rook: keep pairs with an exactly shared segment or a measured shared stretch */
    int need_len = shared_length != NULL;
    if (!queen || need_len) {
        len = malloc((fin.len ? fin.len : 1) * sizeof *len);
        if (!len)
            goto nomem;
    }
    size_t kept = 0;
    for (size_t e = 0; e < fin.len; e++) {
        uint32_t a = (uint32_t)(fin.k[e] >> 32), b = (uint32_t)(fin.k[e] & 0xffffffffu);
        int exact_seg = !queen && pairs_has(&sp, fin.k[e]);
        double L = 0;
        if (need_len || (!queen && !exact_seg)) {
            L = shared_len(&G, a, b);
            if (L < 0) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "GEOS failed measuring the common boundary of districts %u "
                                   "and %u (invalid geometry? try repairing the boundary layer)",
                                   a, b);
                goto out;
            }
        }
        if (!queen && !exact_seg && !(snap_tolerance > 0 ? L > 2 * snap_tolerance : L > 0))
            continue;
        fin.k[kept] = fin.k[e];
        if (len)
            len[kept] = L;
        kept++;
    }
    fin.len = kept;

    /* symmetric CSR; pairs are sorted by (a, b), which leaves every row sorted */
    m = qtr_csr_new(n, 2 * fin.len);
    if (!m || (need_len && !(plen = malloc((2 * fin.len + 1) * sizeof *plen))))
        goto nomem;
    for (size_t e = 0; e < fin.len; e++) {
        m->row[(fin.k[e] >> 32) + 1]++;
        m->row[(fin.k[e] & 0xffffffffu) + 1]++;
    }
    for (size_t r = 0; r < n; r++)
        m->row[r + 1] += m->row[r];
    {
        size_t *fill = malloc((n ? n : 1) * sizeof *fill);
        if (!fill)
            goto nomem;
        memcpy(fill, m->row, n * sizeof *fill);
        for (size_t e = 0; e < fin.len; e++) {
            uint32_t a = (uint32_t)(fin.k[e] >> 32), b = (uint32_t)(fin.k[e] & 0xffffffffu);
            size_t pa = fill[a]++, pb = fill[b]++;
            m->col[pa] = b;
            m->col[pb] = a;
            m->w[pa] = m->w[pb] = 1.0;
            if (plen)
                plen[pa] = plen[pb] = len[e];
        }
        free(fill);
    }
    *out = m;
    m = NULL;
    if (shared_length) {
        *shared_length = plen;
        plen = NULL;
    }
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing contiguity of %zu districts",
                       n);
out:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    if (G.bnd)
        for (size_t i = 0; i < n; i++)
            if (G.bnd[i])
                GEOSGeom_destroy_r(h, G.bnd[i]);
    if (G.bbuf)
        for (size_t i = 0; i < n; i++)
            if (G.bbuf[i])
                GEOSGeom_destroy_r(h, G.bbuf[i]);
    free(G.bnd);
    free(G.bbuf);
    free(col.v);
    free(col.s);
    free(vp.k);
    free(sp.k);
    free(fin.k);
    free(cand.v);
    free(ids);
    free(len);
    free(plen);
    qtr_csr_free(m);
    return rc;
}
