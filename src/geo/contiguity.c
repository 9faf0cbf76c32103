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

/*
 * LSD radix sort of 64-bit keys (by their low `bits` bits) with an optional
 * 32-bit payload, 8 bits per pass; passes in which every key has the same byte are skipped. Stable,
 * O(n), no comparisons: sorting millions of vertices this way is several
 * times faster than qsort. Returns -1 when out of memory.
 */
static int radix_sort(uint64_t *key, uint32_t *val, size_t n, int bits)
{
    if (n < 2)
        return 0;
    uint64_t *ks = malloc(n * sizeof *ks);
    uint32_t *vs = val ? malloc(n * sizeof *vs) : NULL;
    if (!ks || (val && !vs)) {
        free(ks);
        free(vs);
        return -1;
    }
    uint64_t *kin = key, *kout = ks;
    uint32_t *vin = val, *vout = vs;
    for (int shift = 0; shift < bits; shift += 8) {
        size_t cnt[256] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[(kin[i] >> shift) & 0xff]++;
        if (cnt[(kin[0] >> shift) & 0xff] == n)
            continue;
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t p = cnt[(kin[i] >> shift) & 0xff]++;
            kout[p] = kin[i];
            if (val)
                vout[p] = vin[i];
        }
        uint64_t *tk = kin;
        kin = kout;
        kout = tk;
        uint32_t *tv = vin;
        vin = vout;
        vout = tv;
    }
    if (kin != key) { /* odd number of passes: the result is in the scratch arrays */
        memcpy(key, kin, n * sizeof *key);
        if (val)
            memcpy(val, vin, n * sizeof *val);
    }
    free(ks);
    free(vs);
    return 0;
}

/* splitmix64 finaliser: spreads coordinate bits over the whole key. */
static uint64_t mix64(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xBF58476D1CE4E5B9ULL;
    z ^= z >> 27;
    z *= 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return z;
}

static uint64_t dbits(double d)
{
    d += 0.0; /* -0.0 becomes +0.0, so equal coordinates hash equally */
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint64_t hash_pt(double x, double y)
{
    return mix64(dbits(x) ^ mix64(dbits(y) + 0x9E3779B97F4A7C15ULL));
}

static uint64_t hash_seg(const struct seg *s)
{
    return mix64(hash_pt(s->x0, s->y0) ^ (hash_pt(s->x1, s->y1) * 0x2545F4914F6CDD1DULL));
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
static int pairs_unique(struct pairs *p)
{
    if (p->len == 0)
        return 0;
    if (radix_sort(p->k, NULL, p->len, 64))
        return -1;
    size_t w = 1;
    for (size_t r = 1; r < p->len; r++)
        if (p->k[r] != p->k[w - 1])
            p->k[w++] = p->k[r];
    p->len = w;
    return 0;
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

/* Every pair of distinct ids among ids[0..len). */
static int pairs_from_ids(struct pairs *p, const uint32_t *ids, size_t len)
{
    for (size_t a = 0; a < len; a++)
        for (size_t b = a + 1; b < len; b++)
            if (ids[a] != ids[b] && pairs_push(p, pair_key(ids[a], ids[b])))
                return -1;
    return 0;
}

/*
 * Group items with equal coordinates: hash[] (sorted, with item index in
 * idx[]) brings candidates together; within a run of equal hashes, same(a, b)
 * confirms equality (hash collisions are split apart). Each group of two or
 * more items adds the pairs of their district ids.
 */
struct grouping {
    const struct collect *c;
    int segs;
};

static int same_item(const struct grouping *g, uint32_t a, uint32_t b)
{
    if (g->segs) {
        const struct seg *s = &g->c->s[a], *t = &g->c->s[b];
        return s->x0 == t->x0 && s->y0 == t->y0 && s->x1 == t->x1 && s->y1 == t->y1;
    }
    const struct vtx *v = &g->c->v[a], *w = &g->c->v[b];
    return v->x == w->x && v->y == w->y;
}

static uint32_t item_id(const struct grouping *g, uint32_t a)
{
    return g->segs ? g->c->s[a].id : g->c->v[a].id;
}

static int pairs_from_groups(struct pairs *p, const struct grouping *g, const uint64_t *hash,
                             uint32_t *idx, size_t n)
{
    uint32_t small[64];
    uint32_t *ids = small;
    size_t idcap = 64;
    int rc = 0;
    for (size_t a = 0; a < n && !rc;) {
        size_t b = a + 1;
        /* only the low 32 bits were sorted: a run is equal low bits, and the
         * rare collisions inside it are split by same_item() */
        while (b < n && (uint32_t)hash[b] == (uint32_t)hash[a])
            b++;
        /* run [a, b): split by true equality; UINT32_MAX marks a handled item */
        for (size_t i = a; i < b && !rc; i++) {
            if (idx[i] == UINT32_MAX)
                continue;
            size_t k = 0;
            uint32_t first = idx[i];
            for (size_t j = i; j < b; j++) {
                if (idx[j] == UINT32_MAX || !same_item(g, first, idx[j]))
                    continue;
                if (k == idcap) {
                    size_t cap = 2 * idcap;
                    uint32_t *ni =
                        ids == small ? malloc(cap * sizeof *ni) : realloc(ids, cap * sizeof *ni);
                    if (!ni) {
                        rc = -1;
                        break;
                    }
                    if (ids == small)
                        memcpy(ni, small, sizeof small);
                    ids = ni;
                    idcap = cap;
                }
                ids[k++] = item_id(g, idx[j]);
                idx[j] = UINT32_MAX;
            }
            if (!rc && k > 1)
                rc = pairs_from_ids(p, ids, k);
        }
        a = b;
    }
    if (ids != small)
        free(ids);
    return rc;
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
/*
 * Shared boundary length of i and j; -1 on GEOS failure. *exact is set to 1
 * when the value is the exact intersection length: always for tol == 0, and
 * for tol > 0 when the boundaries intersect along a positive length or the
 * pair already shares a vertex exactly (clean topology: the tolerance is not
 * needed there, and buffering would inflate corner contacts at acute
 * angles). Otherwise the tolerance measure of weights.h is returned.
 */
static double shared_len(struct geo *G, uint32_t i, uint32_t j, int vertex_pair, int *exact)
{
    double L0 = inter_length(G->h, boundary(G, i), boundary(G, j));
    *exact = 1;
    if (G->tol == 0 || L0 != 0 || vertex_pair)
        return L0;
    *exact = 0;
    double a = inter_length(G->h, boundary(G, i), boundary_buffer(G, j));
    double b = inter_length(G->h, boundary(G, j), boundary_buffer(G, i));
    if (a < 0 || b < 0)
        return -1;
    return 0.5 * (a + b);
}

/* ---- rook prefilter ------------------------------------------------------ */

struct segbuf {
    double *s; /* x0 y0 x1 y1 per segment */
    size_t len, cap;
};

static int segbuf_ring(void *ctx, const double *xy, size_t npts, int hole)
{
    struct segbuf *b = ctx;
    (void)hole;
    if (npts < 2)
        return 0;
    if (b->len + npts > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + npts)
            cap *= 2;
        double *ns = realloc(b->s, 4 * cap * sizeof *ns);
        if (!ns)
            return QTR_ERR_NOMEM;
        b->s = ns;
        b->cap = cap;
    }
    for (size_t p = 0; p + 1 < npts; p++) {
        memcpy(&b->s[4 * b->len], &xy[2 * p], 4 * sizeof(double));
        b->len++;
    }
    return 0;
}

/*
 * 0 when polygons A and B (their segments) certainly share no boundary
 * stretch of positive length: no segment of B lies within a relative 1e-9 of
 * the line of a segment of A with overlapping projections. 1 when such a
 * pair exists (GEOS then decides exactly). A shared stretch needs collinear,
 * overlapping segments, so the filter never rejects a true rook pair; it
 * spares the costly GEOS call for the many pairs that meet only at a corner.
 */
static int may_share_stretch(const struct segbuf *A, const struct segbuf *B)
{
    for (size_t i = 0; i < A->len; i++) {
        const double *p = &A->s[4 * i];
        double dx = p[2] - p[0], dy = p[3] - p[1];
        double l2 = dx * dx + dy * dy;
        if (!(l2 > 0))
            continue;
        double ax0 = fmin(p[0], p[2]), ax1 = fmax(p[0], p[2]);
        double ay0 = fmin(p[1], p[3]), ay1 = fmax(p[1], p[3]);
        double scale = fabs(p[0]) + fabs(p[1]) + fabs(p[2]) + fabs(p[3]) + sqrt(l2);
        double eps = 1e-9 * scale;
        for (size_t j = 0; j < B->len; j++) {
            const double *q = &B->s[4 * j];
            if (fmax(q[0], q[2]) < ax0 - eps || fmin(q[0], q[2]) > ax1 + eps ||
                fmax(q[1], q[3]) < ay0 - eps || fmin(q[1], q[3]) > ay1 + eps)
                continue;
            double c1 = dx * (q[1] - p[1]) - dy * (q[0] - p[0]);
            double c2 = dx * (q[3] - p[1]) - dy * (q[2] - p[0]);
            double tol = eps * sqrt(l2); /* |cross| = distance * |d| */
            if (fabs(c1) > tol || fabs(c2) > tol)
                continue;
            double t1 = (dx * (q[0] - p[0]) + dy * (q[1] - p[1])) / l2;
            double t2 = (dx * (q[2] - p[0]) + dy * (q[3] - p[1])) / l2;
            double lo = fmax(0.0, fmin(t1, t2)), hi = fmin(1.0, fmax(t1, t2));
            if (hi - lo > 1e-12) /* overlap of positive length: let GEOS decide */
                return 1;
        }
    }
    return 0;
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
    struct segbuf sa = {0}, sb = {0};
    uint64_t *hk = NULL;
    uint32_t *hi = NULL;
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
    {
        size_t nitems = col.nv > col.ns ? col.nv : col.ns;
        hk = malloc((nitems ? nitems : 1) * sizeof *hk);
        hi = malloc((nitems ? nitems : 1) * sizeof *hi);
        if (!hk || !hi)
            goto nomem;
        if (col.nv >= UINT32_MAX || col.ns >= UINT32_MAX) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "too many vertices (%zu) for one layer", col.nv);
            goto out;
        }
        struct grouping gv = {&col, 0};
        for (size_t e = 0; e < col.nv; e++) {
            hk[e] = hash_pt(col.v[e].x, col.v[e].y);
            hi[e] = (uint32_t)e;
        }
        if (radix_sort(hk, hi, col.nv, 32) || pairs_from_groups(&vp, &gv, hk, hi, col.nv))
            goto nomem;
        free(col.v);
        col.v = NULL;
        if (pairs_unique(&vp))
            goto nomem;
        if (!queen) {
            struct grouping gs = {&col, 1};
            for (size_t e = 0; e < col.ns; e++) {
                hk[e] = hash_seg(&col.s[e]);
                hi[e] = (uint32_t)e;
            }
            if (radix_sort(hk, hi, col.ns, 32) || pairs_from_groups(&sp, &gs, hk, hi, col.ns))
                goto nomem;
            free(col.s);
            col.s = NULL;
            if (pairs_unique(&sp))
                goto nomem;
        }
        free(hk);
        free(hi);
        hk = NULL;
        hi = NULL;
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
            rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                               "GEOS could not compute the extent of "
                               "district %zu",
                               i);
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
        if (cand.len > 1)
            qsort(cand.v, cand.len, sizeof *cand.v, u32_cmp);
        const GEOSPreparedGeometry *prep = NULL;
        for (size_t c = 0; c < cand.len; c++) {
            uint32_t j = cand.v[c];
            uint64_t key = pair_key((uint32_t)i, j);
            if (pairs_has(&vp, key))
                continue;
            if (!prep && !(prep = GEOSPrepare_r(h, geoms[i]))) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not prepare district %zu", i);
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
    if (pairs_unique(&fin))
        goto nomem;

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
        int exact_len = 1;
        if (!need_len && !queen && !exact_seg && snap_tolerance == 0) {
            sa.len = sb.len = 0;
            int vr = qtr_geos_visit_rings(h, geoms[a], a, segbuf_ring, &sa, err);
            if (!vr)
                vr = qtr_geos_visit_rings(h, geoms[b], b, segbuf_ring, &sb, err);
            if (vr == QTR_ERR_NOMEM)
                goto nomem;
            if (vr) {
                rc = vr;
                goto out;
            }
            /* the filter is quadratic in the vertex counts: keep it for small polygons */
            if ((double)sa.len * (double)sb.len <= 40000.0 && !may_share_stretch(&sa, &sb))
                continue;
            /* no length wanted: DE-9IM boundary/boundary of dimension 1 */
            char rel = GEOSRelatePattern_r(h, geoms[a], geoms[b], "****1****");
            if (rel == 2) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "GEOS failed relating districts %u and %u (invalid geometry? "
                                   "try repairing the boundary layer)",
                                   a, b);
                goto out;
            }
            L = rel ? 1 : 0;
        } else if (need_len || (!queen && !exact_seg)) {
            L = shared_len(&G, a, b, pairs_has(&vp, fin.k[e]), &exact_len);
            if (L < 0) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "GEOS failed measuring the common boundary of districts %u "
                                   "and %u (invalid geometry? try repairing the boundary layer)",
                                   a, b);
                goto out;
            }
        }
        if (!queen && !exact_seg && !(exact_len ? L > 0 : L > 2 * snap_tolerance))
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
    rc =
        qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing contiguity of %zu districts", n);
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
    free(sa.s);
    free(sb.s);
    free(hk);
    free(hi);
    free(ids);
    free(len);
    free(plen);
    qtr_csr_free(m);
    return rc;
}
