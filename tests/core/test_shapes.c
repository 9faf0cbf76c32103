/* Tests for shapes.c: bounding box and Douglas-Peucker generalisation. */
#include "test_util.h"

#include "quartier/shapes.h"

/* One feature from rings given as point lists (closed by the caller). */
static struct qtr_shapes *make(size_t nrings, const size_t *npts, const double (*const *pts)[2],
                               const unsigned char *hole)
{
    struct qtr_shapes *s = calloc(1, sizeof *s);
    size_t total = 0;
    for (size_t r = 0; r < nrings; r++)
        total += npts[r];
    s->n = 1;
    s->nrings = nrings;
    s->npoints = total;
    s->feat_ring = malloc(2 * sizeof(size_t));
    s->ring_pt = malloc((nrings + 1) * sizeof(size_t));
    s->ring_hole = malloc(nrings);
    s->x = malloc(total * sizeof(double));
    s->y = malloc(total * sizeof(double));
    s->feat_ring[0] = 0;
    s->feat_ring[1] = nrings;
    size_t p = 0;
    for (size_t r = 0; r < nrings; r++) {
        s->ring_pt[r] = p;
        s->ring_hole[r] = hole[r];
        for (size_t k = 0; k < npts[r]; k++) {
            s->x[p] = pts[r][k][0];
            s->y[p] = pts[r][k][1];
            p++;
        }
    }
    s->ring_pt[nrings] = p;
    return s;
}

static void test_simplify(void **state)
{
    (void)state;
    /*
     * A 100 x 100 square with extra vertices: (50, 0.4) lies 0.4 off the bottom
     * edge (dropped at tolerance 1), (100, 50) is collinear (dropped), (50, 103)
     * lies 3 above the top edge (kept). Hand result: 0,0 100,0 100,100 50,103
     * 0,100 0,0. The hole is a triangle of 4 points: too small to simplify, kept.
     */
    static const double outer[][2] = {{0, 0},     {50, 0.4}, {100, 0}, {100, 50},
                                      {100, 100}, {50, 103}, {0, 100}, {0, 0}};
    static const double hole[][2] = {{10, 10}, {20, 10}, {10, 20}, {10, 10}};
    const double(*const pts[2])[2] = {outer, hole};
    const size_t np[2] = {8, 4};
    const unsigned char holes[2] = {0, 1};
    struct qtr_shapes *s = make(2, np, pts, holes), *o = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_shapes_simplify(s, 1.0, &o, &err), 0);
    assert_int_equal(o->n, 1);
    assert_int_equal(o->nrings, 2);
    assert_int_equal(o->ring_pt[1] - o->ring_pt[0], 6);
    static const double want[][2] = {{0, 0}, {100, 0}, {100, 100}, {50, 103}, {0, 100}, {0, 0}};
    for (size_t k = 0; k < 6; k++) {
        assert_close(o->x[k], want[k][0], 0);
        assert_close(o->y[k], want[k][1], 0);
    }
    assert_int_equal(o->ring_pt[2] - o->ring_pt[1], 4);
    assert_int_equal(o->ring_hole[1], 1);
    assert_int_equal(o->npoints, 10);
    qtr_shapes_free(o);

    /* tolerance 5 would drop (50, 103) too, leaving the square: still >= 4 points */
    assert_int_equal(qtr_shapes_simplify(s, 5.0, &o, &err), 0);
    assert_int_equal(o->ring_pt[1] - o->ring_pt[0], 5);
    qtr_shapes_free(o);

    /* tolerance 0 keeps every point that is not exactly on the chord */
    assert_int_equal(qtr_shapes_simplify(s, 0.0, &o, &err), 0);
    assert_int_equal(o->ring_pt[1] - o->ring_pt[0], 7); /* only (100, 50) goes */
    qtr_shapes_free(o);

    assert_int_equal(qtr_shapes_simplify(s, -1, &o, &err), QTR_ERR_USAGE);
    qtr_shapes_free(s);
}

static void test_simplify_collapse(void **state)
{
    (void)state;
    /* A sliver 1000 long and 0.5 high: at tolerance 1 Douglas-Peucker would keep only
     * the two ends; the ring must keep its original points instead of vanishing. */
    static const double sliver[][2] = {{0, 0}, {500, 0}, {1000, 0}, {500, 0.5}, {0, 0}};
    const double(*const pts[1])[2] = {sliver};
    const size_t np[1] = {5};
    const unsigned char holes[1] = {0};
    struct qtr_shapes *s = make(1, np, pts, holes), *o = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_shapes_simplify(s, 1.0, &o, &err), 0);
    assert_int_equal(o->npoints, 5);
    double x0, y0, x1, y1;
    assert_int_equal(qtr_shapes_bbox(o, &x0, &y0, &x1, &y1), 1);
    assert_close(x1, 1000, 0);
    assert_close(y1, 0.5, 0);
    qtr_shapes_free(o);
    qtr_shapes_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simplify),
        cmocka_unit_test(test_simplify_collapse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
