/*
 * Tests for shapes_shared.c: generalising a coverage so that neighbours keep the same
 * points of the boundary they share.
 */
#include "test_util.h"

#include "quartier/shapes.h"

/* Features of one ring each, from point lists (closed by the caller); hole[r] per ring. */
static struct qtr_shapes *make(size_t nrings, const size_t *npts, const double (*const *pts)[2],
                               const unsigned char *hole)
{
    struct qtr_shapes *s = calloc(1, sizeof *s);
    size_t total = 0;
    for (size_t r = 0; r < nrings; r++)
        total += npts[r];
    s->n = nrings;
    s->nrings = nrings;
    s->npoints = total;
    s->feat_ring = malloc((nrings + 1) * sizeof(size_t));
    s->ring_pt = malloc((nrings + 1) * sizeof(size_t));
    s->ring_hole = malloc(nrings);
    s->x = malloc(total * sizeof(double));
    s->y = malloc(total * sizeof(double));
    size_t p = 0;
    for (size_t r = 0; r < nrings; r++) {
        s->feat_ring[r] = r;
        s->ring_pt[r] = p;
        s->ring_hole[r] = hole[r];
        for (size_t k = 0; k < npts[r]; k++) {
            s->x[p] = pts[r][k][0];
            s->y[p] = pts[r][k][1];
            p++;
        }
    }
    s->feat_ring[nrings] = nrings;
    s->ring_pt[nrings] = p;
    return s;
}

static int ring_has(const struct qtr_shapes *s, size_t r, double x, double y)
{
    for (size_t i = s->ring_pt[r]; i < s->ring_pt[r + 1]; i++)
        if (s->x[i] == x && s->y[i] == y)
            return 1;
    return 0;
}

static void check_ring(const struct qtr_shapes *s, size_t r, const double (*want)[2], size_t n)
{
    assert_int_equal(s->ring_pt[r + 1] - s->ring_pt[r], n);
    for (size_t k = 0; k < n; k++) {
        assert_true(s->x[s->ring_pt[r] + k] == want[k][0]);
        assert_true(s->y[s->ring_pt[r] + k] == want[k][1]);
    }
}

/*
 * Two squares side by side sharing the edge x = 100 with a point 0.4 off it at y = 50.
 * B starts at that point and runs the other way round. Per ring (qtr_shapes_simplify) B
 * keeps it as its first point and A drops it: the boundary no longer matches. Shared: the
 * nodes are (100, 0) and (100, 100) (three boundaries meet), (100.4, 50) goes in both.
 * By hand, A from its first node (100, 0): arc to (100, 100) loses (100.4, 50); the arc
 * (100, 100) (0, 100) (0, 0) (100, 0) keeps both corners (70.7 and 100 from the chord).
 */
static void test_shared_edge(void **state)
{
    (void)state;
    static const double a[][2] = {{0, 0},     {100, 0}, {100.4, 50},
                                  {100, 100}, {0, 100}, {0, 0}};
    static const double b[][2] = {{100.4, 50}, {100, 0},   {200, 0},
                                  {200, 100},  {100, 100}, {100.4, 50}};
    const double(*const pts[2])[2] = {a, b};
    const size_t np[2] = {6, 6};
    const unsigned char holes[2] = {0, 0};
    struct qtr_shapes *s = make(2, np, pts, holes), *o = NULL, *old = NULL;
    struct qtr_error err = {0};

    assert_int_equal(qtr_shapes_simplify(s, 1.0, &old, &err), 0);
    assert_false(ring_has(old, 0, 100.4, 50));
    assert_true(ring_has(old, 1, 100.4, 50)); /* the mismatch this file is about */

    assert_int_equal(qtr_shapes_simplify_shared(s, 1.0, &o, &err), 0);
    assert_int_equal(o->n, 2);
    assert_int_equal(o->nrings, 2);
    static const double wa[][2] = {{100, 0}, {100, 100}, {0, 100}, {0, 0}, {100, 0}};
    static const double wb[][2] = {{100, 0}, {200, 0}, {200, 100}, {100, 100}, {100, 0}};
    check_ring(o, 0, wa, 5);
    check_ring(o, 1, wb, 5);
    qtr_shapes_free(o);
    /* with a tolerance below the offset both keep it */
    assert_int_equal(qtr_shapes_simplify_shared(s, 0.3, &o, &err), 0);
    assert_true(ring_has(o, 0, 100.4, 50));
    assert_true(ring_has(o, 1, 100.4, 50));
    assert_int_equal(qtr_shapes_simplify_shared(s, -1, &o, &err), QTR_ERR_USAGE);
    qtr_shapes_free(o);
    qtr_shapes_free(old);
    qtr_shapes_free(s);
}

/*
 * An enclave: the hole of the outer feature and the enclave's ring are the same closed
 * line without any node, started at different points and run in opposite directions.
 * Both get the smallest point (10, 10) as node and keep the same points: at tolerance 1 the
 * points 0.5 off the square's sides go, the corners stay.
 */
static void test_enclave(void **state)
{
    (void)state;
    static const double outer[][2] = {{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}};
    static const double hole[][2] = {{50, 10.5}, {90, 10}, {90, 90}, {50, 89.5},
                                     {10, 90},   {10, 10}, {50, 10.5}};
    static const double encl[][2] = {{90, 90}, {90, 10}, {50, 10.5}, {10, 10},
                                     {10, 90}, {50, 89.5}, {90, 90}};
    const double(*const pts[3])[2] = {outer, hole, encl};
    const size_t np[3] = {5, 7, 7};
    const unsigned char holes[3] = {0, 1, 0};
    struct qtr_shapes *s = make(3, np, pts, holes), *o = NULL;
    /* rings 0 and 1 are one feature */
    s->n = 2;
    s->feat_ring[1] = 2;
    s->feat_ring[2] = 3;
    struct qtr_error err = {0};
    assert_int_equal(qtr_shapes_simplify_shared(s, 1.0, &o, &err), 0);
    assert_int_equal(o->n, 2);
    assert_int_equal(o->feat_ring[1], 2);
    assert_int_equal(o->ring_hole[1], 1);
    static const double wo[][2] = {{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}};
    static const double wh[][2] = {{10, 10}, {90, 10}, {90, 90}, {10, 90}, {10, 10}};
    static const double we[][2] = {{10, 10}, {10, 90}, {90, 90}, {90, 10}, {10, 10}};
    check_ring(o, 0, wo, 5);
    check_ring(o, 1, wh, 5);
    check_ring(o, 2, we, 5);
    qtr_shapes_free(o);
    qtr_shapes_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_edge),
        cmocka_unit_test(test_enclave),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
