/*
 * test_contiguity.c - queen/rook contiguity on WKT layouts whose neighbours
 * are known by construction, and on Sacramento against PySAL's own GAL file.
 */
#include "test_util.h"

#include <geos_c.h>
#include <ogr_api.h>

#include "quartier/weights.h"

static GEOSContextHandle_t H;

static int setup(void **state)
{
    (void)state;
    H = GEOS_init_r();
    return H ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    GEOS_finish_r(H);
    return 0;
}

struct layout {
    size_t n;
    GEOSGeometry *g[64];
};

static void layout_add(struct layout *l, const char *wkt)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(H);
    GEOSGeometry *g = GEOSWKTReader_read_r(H, r, wkt);
    GEOSWKTReader_destroy_r(H, r);
    assert_non_null(g);
    l->g[l->n++] = g;
}

static void layout_square(struct layout *l, double x, double y, double s)
{
    char wkt[256];
    snprintf(wkt, sizeof wkt,
             "POLYGON((%.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g))", x, y,
             x + s, y, x + s, y + s, x, y + s, x, y);
    layout_add(l, wkt);
}

static void layout_free(struct layout *l)
{
    for (size_t i = 0; i < l->n; i++)
        GEOSGeom_destroy_r(H, l->g[i]);
    l->n = 0;
}

static struct qtr_csr *contig(struct layout *l, int queen, double tol, double **len)
{
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    int rc = qtr_weights_contiguity(H, (const GEOSGeometry *const *)l->g, l->n, queen, tol, &w, len,
                                    &err);
    if (rc)
        fail_msg("contiguity failed: %s", err.msg);
    assert_true(qtr_weights_is_symmetric(w, 0));
    for (size_t i = 0; i < w->n; i++)
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            assert_true(w->col[e] != i);
            if (e > w->row[i])
                assert_true(w->col[e] > w->col[e - 1]);
            assert_close(w->w[e], 1.0, 0);
        }
    return w;
}

static size_t card(const struct qtr_csr *w, size_t i)
{
    return w->row[i + 1] - w->row[i];
}

static int has(const struct qtr_csr *w, size_t i, size_t j)
{
    for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
        if (w->col[e] == j)
            return 1;
    return 0;
}

static double length_of(const struct qtr_csr *w, const double *len, size_t i, size_t j)
{
    for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
        if (w->col[e] == j)
            return len[e];
    fail_msg("%zu and %zu are not neighbours", i, j);
    return -1;
}

/* 3x3 grid of unit squares, index r * 3 + c */
static void grid3(struct layout *l)
{
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            layout_square(l, c, r, 1);
}

static void test_grid_queen_rook(void **state)
{
    (void)state;
    struct layout l = {0};
    grid3(&l);
    double *len = NULL;
    struct qtr_csr *q = contig(&l, 1, 0, &len);
    static const size_t qcard[9] = {3, 5, 3, 5, 8, 5, 3, 5, 3};
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(card(q, i), qcard[i]);
    assert_true(has(q, 0, 4) && has(q, 2, 4) && has(q, 6, 4) && has(q, 8, 4));
    assert_false(has(q, 0, 2) || has(q, 0, 8));
    assert_close(length_of(q, len, 4, 0), 0.0, 1e-12); /* corner contact */
    assert_close(length_of(q, len, 4, 1), 1.0, 1e-12);
    assert_close(length_of(q, len, 4, 5), 1.0, 1e-12);
    free(len);
    qtr_csr_free(q);

    struct qtr_csr *r = contig(&l, 0, 0, &len);
    static const size_t rcard[9] = {2, 3, 2, 3, 4, 3, 2, 3, 2};
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(card(r, i), rcard[i]);
    assert_true(has(r, 4, 1) && has(r, 4, 3) && has(r, 4, 5) && has(r, 4, 7));
    assert_false(has(r, 4, 0));
    for (size_t e = 0; e < qtr_csr_nnz(r); e++)
        assert_close(len[e], 1.0, 1e-12);
    free(len);
    qtr_csr_free(r);
    layout_free(&l);
}

/* Black squares of a 3x3 checkerboard touch only at corners. */
static void test_checkerboard(void **state)
{
    (void)state;
    struct layout l = {0};
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            if ((r + c) % 2 == 0)
                layout_square(&l, c, r, 1);
    /* indices: 0=(0,0) 1=(2,0) 2=(1,1) 3=(0,2) 4=(2,2) */
    struct qtr_csr *q = contig(&l, 1, 0, NULL);
    assert_int_equal(card(q, 2), 4);
    for (size_t i = 0; i < 5; i++)
        if (i != 2) {
            assert_int_equal(card(q, i), 1);
            assert_true(has(q, i, 2));
        }
    qtr_csr_free(q);
    struct qtr_csr *r = contig(&l, 0, 0, NULL);
    assert_int_equal(qtr_csr_nnz(r), 0);
    assert_int_equal(qtr_weights_islands(r, NULL), 5);
    qtr_csr_free(r);
    layout_free(&l);
}

/* Eight districts around an empty centre, plus a donut with a district in its hole. */
static void test_ring_and_hole(void **state)
{
    (void)state;
    struct layout l = {0};
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            if (!(r == 1 && c == 1))
                layout_square(&l, c, r, 1);
    /* ring order: 0 1 2 / 3 . 4 / 5 6 7 */
    struct qtr_csr *r = contig(&l, 0, 0, NULL);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(card(r, i), 2); /* a cycle of 8 under rook */
    uint32_t comp[8];
    size_t nc = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_components(r, comp, &nc, &err), 0);
    assert_int_equal(nc, 1);
    qtr_csr_free(r);
    struct qtr_csr *q = contig(&l, 1, 0, NULL);
    assert_true(has(q, 1, 3)); /* meet at the hole's corner (1,1) */
    assert_int_equal(card(q, 1), 4);
    qtr_csr_free(q);
    layout_free(&l);

    layout_add(&l, "POLYGON((0 0,10 0,10 10,0 10,0 0),(3 3,3 7,7 7,7 3,3 3))");
    layout_add(&l, "POLYGON((3 3,7 3,7 7,3 7,3 3))");
    layout_square(&l, 20, 20, 1); /* island */
    double *len = NULL;
    r = contig(&l, 0, 0, &len);
    assert_true(has(r, 0, 1));
    assert_close(length_of(r, len, 0, 1), 16.0, 1e-12);
    uint32_t isl[3];
    assert_int_equal(qtr_weights_islands(r, isl), 1);
    assert_int_equal(isl[0], 2);
    assert_int_equal(qtr_weights_components(r, comp, &nc, &err), 0);
    assert_int_equal(nc, 2);
    assert_int_equal(comp[0], 0);
    assert_int_equal(comp[1], 0);
    assert_int_equal(comp[2], 1);
    free(len);
    qtr_csr_free(r);
    layout_free(&l);
}

static void test_point_contact(void **state)
{
    (void)state;
    struct layout l = {0};
    layout_add(&l, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    layout_add(&l, "POLYGON((1 1,2 1,2 2,1 2,1 1))");
    struct qtr_csr *q = contig(&l, 1, 0, NULL);
    assert_true(has(q, 0, 1));
    qtr_csr_free(q);
    struct qtr_csr *r = contig(&l, 0, 0, NULL);
    assert_int_equal(qtr_csr_nnz(r), 0);
    qtr_csr_free(r);
    layout_free(&l);
}

/* No shared vertex: B's corner lies on A's edge and vice versa (T-junctions). */
static void test_t_junction(void **state)
{
    (void)state;
    struct layout l = {0};
    layout_add(&l, "POLYGON((0 0,2 0,2 2,0 2,0 0))");
    layout_add(&l, "POLYGON((2 1,3 1,3 3,2 3,2 1))");
    layout_add(&l, "POLYGON((4 0,5 0,5 1,4 1,4 0))"); /* 1 away from B: never a neighbour */
    double *len = NULL;
    struct qtr_csr *r = contig(&l, 0, 0, &len);
    assert_true(has(r, 0, 1));
    assert_int_equal(qtr_csr_nnz(r), 2);
    assert_close(length_of(r, len, 0, 1), 1.0, 1e-12);
    free(len);
    qtr_csr_free(r);
    layout_free(&l);
}

/* Boundaries digitised 0.001 apart: neighbours only within the snap tolerance. */
static void test_near_miss(void **state)
{
    (void)state;
    struct layout l = {0};
    layout_add(&l, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    layout_add(&l, "POLYGON((1.001 0,2 0,2 1,1.001 1,1.001 0))");
    layout_add(&l, "POLYGON((1.001 1.0005,2 1.0005,2 2,1.001 2,1.001 1.0005))"); /* corner only */
    struct qtr_csr *q = contig(&l, 1, 0, NULL);
    assert_int_equal(qtr_csr_nnz(q), 0);
    qtr_csr_free(q);
    q = contig(&l, 1, 0.01, NULL);
    assert_true(has(q, 0, 1) && has(q, 1, 2) && has(q, 0, 2));
    qtr_csr_free(q);
    double *len = NULL;
    struct qtr_csr *r = contig(&l, 0, 0.01, &len);
    assert_true(has(r, 0, 1));
    assert_true(has(r, 1, 2));
    assert_false(has(r, 0, 2)); /* a corner contact is not a rook neighbour */
    /* the facing edges are 1 long; buffering adds at most the tolerance at each end */
    double L01 = length_of(r, len, 0, 1);
    assert_true(L01 >= 1.0 && L01 <= 1.0 + 4 * 0.01);
    free(len);
    qtr_csr_free(r);
    layout_free(&l);
}

/* An exact corner contact stays a corner contact under a tolerance, even where
 * the two boundaries leave the corner at a very acute angle. */
static void test_acute_corner_with_tolerance(void **state)
{
    (void)state;
    struct layout l = {0};
    layout_add(&l, "POLYGON((0 0,10 -1,10 0,0 0))");
    layout_add(&l, "POLYGON((0 0,10 0.05,10 1,0 0))"); /* within 0.01 of A for 2 units */
    double *len = NULL;
    struct qtr_csr *q = contig(&l, 1, 0.01, &len);
    assert_true(has(q, 0, 1));
    assert_close(length_of(q, len, 0, 1), 0.0, 0);
    free(len);
    qtr_csr_free(q);
    struct qtr_csr *r = contig(&l, 0, 0.01, NULL);
    assert_int_equal(qtr_csr_nnz(r), 0);
    qtr_csr_free(r);
    layout_free(&l);
}

static void test_empty_and_null(void **state)
{
    (void)state;
    struct layout l = {0};
    layout_add(&l, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    layout_add(&l, "POLYGON EMPTY");
    layout_add(&l, "MULTIPOLYGON(((1 0,2 0,2 1,1 1,1 0)),((5 5,6 5,6 6,5 6,5 5)))");
    GEOSGeometry *g[4] = {l.g[0], l.g[1], l.g[2], NULL};
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_weights_contiguity(H, (const GEOSGeometry *const *)g, 4, 0, 0, &w, NULL, &err), 0);
    assert_true(has(w, 0, 2));
    assert_int_equal(card(w, 1), 0);
    assert_int_equal(card(w, 3), 0);
    qtr_csr_free(w);
    assert_int_equal(qtr_weights_contiguity(H, NULL, 0, 1, 0, &w, NULL, &err), 0);
    assert_int_equal(w->n, 0);
    qtr_csr_free(w);
    layout_free(&l);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct layout l = {0};
    layout_add(&l, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    layout_add(&l, "LINESTRING(0 0,1 1)");
    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_weights_contiguity(H, (const GEOSGeometry *const *)l.g, 2, 1, 0, &w, NULL, &err),
        QTR_ERR_DATA);
    assert_null(w);
    assert_non_null(strstr(err.msg, "district 1"));
    assert_int_equal(
        qtr_weights_contiguity(H, (const GEOSGeometry *const *)l.g, 1, 1, -1, &w, NULL, &err),
        QTR_ERR_USAGE);
    layout_free(&l);
}

/*
 * Sacramento. libpysal ships sacramentot2.gal described as "queen", but its
 * 2128 entries are exactly the tract pairs sharing a boundary segment (rook);
 * 197 further pairs touch at single vertices only. So: our rook must equal
 * the GAL file entry for entry, and our queen must reproduce PySAL's Queen as
 * PySAL segregation uses it: the queen-egohood dissimilarity of HISP_ in
 * ../shared/reference/sacramento_pysal.json (0.26840900171420934, lagged
 * counts x_i + sum of queen neighbours, rounded; Dissim = 1/2 sum |x_i/X -
 * (t_i - x_i)/(T - X)|, Duncan and Duncan 1955) - which rook weights miss
 * (0.2748...).
 */
static void test_sacramento_pysal(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char shp[4096], gal[4096];
    snprintf(shp, sizeof shp, "%s/data/sacramento/sacramentot2.shp", shared);
    snprintf(gal, sizeof gal, "%s/data/sacramento/sacramentot2.gal", shared);
    OGRRegisterAll();
    OGRDataSourceH ds = OGROpen(shp, 0, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = OGR_DS_GetLayer(ds, 0);
    size_t n = (size_t)OGR_L_GetFeatureCount(lyr, 1);
    assert_int_equal(n, 403);
    GEOSGeometry **g = calloc(n, sizeof *g);
    char **keys = calloc(n, sizeof *keys);
    double *hisp = calloc(n, sizeof *hisp), *tot = calloc(n, sizeof *tot);
    GEOSWKBReader *rd = GEOSWKBReader_create_r(H);
    OGR_L_ResetReading(lyr);
    int fld = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "POLYID");
    int fh = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "HISP_");
    int ft = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "TOT_POP");
    assert_true(fld >= 0 && fh >= 0 && ft >= 0);
    OGRFeatureH f;
    size_t i = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) && i < n) {
        OGRGeometryH og = OGR_F_GetGeometryRef(f);
        size_t sz = (size_t)OGR_G_WkbSize(og);
        unsigned char *buf = malloc(sz);
        OGR_G_ExportToWkb(og, wkbNDR, buf);
        g[i] = GEOSWKBReader_read_r(H, rd, buf, sz);
        assert_non_null(g[i]);
        free(buf);
        const char *k = OGR_F_GetFieldAsString(f, fld);
        keys[i] = malloc(strlen(k) + 1);
        memcpy(keys[i], k, strlen(k) + 1);
        hisp[i] = OGR_F_GetFieldAsDouble(f, fh);
        tot[i] = OGR_F_GetFieldAsDouble(f, ft);
        OGR_F_Destroy(f);
        i++;
    }
    assert_int_equal(i, n);
    GEOSWKBReader_destroy_r(H, rd);
    OGR_DS_Destroy(ds);

    struct qtr_error err = {0};
    struct qtr_csr *ref = NULL, *w = NULL;
    if (qtr_weights_read_gal(gal, (const char *const *)keys, n, &ref, &err))
        fail_msg("%s", err.msg);
    double *len = NULL;
    if (qtr_weights_contiguity(H, (const GEOSGeometry *const *)g, n, 0, 0, &w, &len, &err))
        fail_msg("%s", err.msg);
    for (size_t e = 0; e < qtr_csr_nnz(w); e++)
        assert_true(len[e] > 0);
    free(len);
    size_t diff = 0;
    for (size_t r = 0; r < n; r++) {
        int same = card(w, r) == card(ref, r);
        for (size_t e = 0; same && e < card(w, r); e++)
            same = w->col[w->row[r] + e] == ref->col[ref->row[r] + e];
        if (!same) {
            diff++;
            print_message("tract %s: %zu neighbours, PySAL %zu\n", keys[r], card(w, r),
                          card(ref, r));
        }
    }
    assert_int_equal(diff, 0);
    assert_int_equal(qtr_csr_nnz(w), qtr_csr_nnz(ref));
    assert_int_equal(qtr_csr_nnz(w), 2128);

    struct qtr_csr *q = NULL, *qs = NULL;
    if (qtr_weights_contiguity(H, (const GEOSGeometry *const *)g, n, 1, 0, &q, &len, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(qtr_csr_nnz(q), 2522);
    /* queen = rook + pairs meeting in a point */
    for (size_t r = 0; r < n; r++)
        for (size_t e = q->row[r]; e < q->row[r + 1]; e++) {
            int in_rook = has(w, r, q->col[e]);
            assert_int_equal(in_rook, len[e] > 0);
        }
    free(len);
    assert_int_equal(qtr_weights_fill_diagonal(q, 1.0, &qs, &err), 0);
    double X = 0, T = 0, *xl = calloc(n, sizeof *xl), *tl = calloc(n, sizeof *tl);
    for (size_t r = 0; r < n; r++) {
        for (size_t e = qs->row[r]; e < qs->row[r + 1]; e++) {
            xl[r] += qs->w[e] * hisp[qs->col[e]];
            tl[r] += qs->w[e] * tot[qs->col[e]];
        }
        xl[r] = round(xl[r]);
        tl[r] = round(tl[r]);
        X += xl[r];
        T += tl[r];
    }
    double d = 0;
    for (size_t r = 0; r < n; r++)
        d += fabs(xl[r] / X - (tl[r] - xl[r]) / (T - X));
    assert_close(0.5 * d, 0.26840900171420934, 1e-9);
    free(xl);
    free(tl);
    free(hisp);
    free(tot);
    qtr_csr_free(q);
    qtr_csr_free(qs);
    qtr_csr_free(w);
    qtr_csr_free(ref);
    for (i = 0; i < n; i++) {
        GEOSGeom_destroy_r(H, g[i]);
        free(keys[i]);
    }
    free(g);
    free(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_queen_rook),
        cmocka_unit_test(test_checkerboard),
        cmocka_unit_test(test_ring_and_hole),
        cmocka_unit_test(test_point_contact),
        cmocka_unit_test(test_t_junction),
        cmocka_unit_test(test_near_miss),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_sacramento_pysal),
        cmocka_unit_test(test_acute_corner_with_tolerance),
        cmocka_unit_test(test_empty_and_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
