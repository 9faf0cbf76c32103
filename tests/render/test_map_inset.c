/*
 * Tests for map_inset.c: outlying parts go into an inset and the main frame fits the rest
 * (issue 10 §3); nearby or large bodies stay in the main frame.
 */
#include "test_util.h"

#include <cairo.h>
#include <math.h>
#include <unistd.h>

#include "font_cleanup.h"
#include "quartier/map.h"

/* Square features: x0, y0, side (metres), one ring each. */
static struct qtr_shapes *squares(const double (*sq)[3], size_t n)
{
    struct qtr_shapes *s = calloc(1, sizeof *s);
    s->n = n;
    s->nrings = n;
    s->npoints = 5 * n;
    s->feat_ring = malloc((n + 1) * sizeof(size_t));
    s->ring_pt = malloc((n + 1) * sizeof(size_t));
    s->ring_hole = calloc(n, 1);
    s->x = malloc(s->npoints * sizeof(double));
    s->y = malloc(s->npoints * sizeof(double));
    static const double c[5][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
    for (size_t f = 0; f < n; f++) {
        s->feat_ring[f] = f;
        s->ring_pt[f] = 5 * f;
        for (int i = 0; i < 5; i++) {
            s->x[5 * f + i] = sq[f][0] + c[i][0] * sq[f][2];
            s->y[5 * f + i] = sq[f][1] + c[i][1] * sq[f][2];
        }
    }
    s->feat_ring[n] = n;
    s->ring_pt[n] = 5 * n;
    return s;
}

/* A 3 x 3 km town of nine 1 km squares at (500000, 6000000), plus `extra` squares. */
static struct qtr_shapes *town(const double (*extra)[3], size_t nextra)
{
    double sq[32][3];
    for (int f = 0; f < 9; f++) {
        sq[f][0] = 500000 + 1000.0 * (f % 3);
        sq[f][1] = 6000000 + 1000.0 * (f / 3);
        sq[f][2] = 1000;
    }
    for (size_t k = 0; k < nextra; k++)
        memcpy(sq[9 + k], extra[k], sizeof sq[0]);
    return squares((const double(*)[3])sq, 9 + nextra);
}

static void test_far_island_goes_into_an_inset(void **state)
{
    (void)state;
    /* a 500 m island 20 km north-west of the town's corner */
    const double island[1][3] = {{480000, 6020000, 500}};
    struct qtr_shapes *s = town(island, 1);
    struct qtr_map_extent e;
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 1);
    assert_float_equal(e.minx, 500000, 1e-9);
    assert_float_equal(e.miny, 6000000, 1e-9);
    assert_float_equal(e.maxx, 503000, 1e-9);
    assert_float_equal(e.maxy, 6003000, 1e-9);
    assert_float_equal(e.inset[0].minx, 480000, 1e-9);
    assert_float_equal(e.inset[0].maxy, 6020500, 1e-9);

    /* rendered: the frame fits the town, the island is drawn in a box in a corner */
    int cls[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    struct qtr_rgb col[2] = {{200, 200, 255}, {200, 30, 30}};
    const char *labels[2] = {"Stadt", "Insel"};
    const char *names[10] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "Neuwerk"};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 2,
                        .colors = col,
                        .class_labels = labels,
                        .nodata_color = qtr_palette_nodata(),
                        .title = "Insel",
                        .names = names};
    char dir[] = "/tmp/qtr_inset_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.png", dir);
    struct qtr_map_layout l;
    struct qtr_error err = {0};
    if (qtr_map_render(&m, QTR_MAP_PNG, path, &l, &err))
        fail_msg("%s", err.msg);
    /* scale from the town alone: 3 km across the frame less 4 pt padding on each side */
    double want = fmin(l.frame_w - 8, l.frame_h - 8) / 3000;
    assert_float_equal(l.scale, want, 1e-12);
    /* the island at the main scale would lie outside the frame */
    double ix = l.tx + l.scale * 480250, iy = l.ty - l.scale * 6020250;
    assert_true(ix < l.frame_x || iy < l.frame_y);
    assert_int_equal(l.ninsets, 1);
    const struct qtr_map_inset_layout *in = &l.inset[0];
    /* in the frame, top-left (the island's direction: the corners are all empty) */
    assert_float_equal(in->x, l.frame_x, 1e-9);
    assert_float_equal(in->y, l.frame_y, 1e-9);
    assert_true(in->w < 0.3 * l.frame_w && in->h < 0.35 * l.frame_h);
    /* 500 m fit into the box at the main scale: same scale */
    assert_float_equal(in->scale, l.scale, 1e-12);
    /* the island's centre is drawn inside the box in its colour */
    double px = in->tx + in->scale * 480250, py = in->ty - in->scale * 6020250;
    assert_true(px > in->x && px < in->x + in->w && py > in->y && py < in->y + in->h);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    double k = 150.0 / 72.0;
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *d = cairo_image_surface_get_data(img);
    uint32_t pix = *(const uint32_t *)(d + (int)(py * k) * stride + 4 * (int)(px * k));
    assert_int_equal(pix & 0xFFFFFF, (200u << 16) | (30u << 8) | 30u);
    cairo_surface_destroy(img);
    unlink(path);

    /* no_insets: one frame for everything */
    m.no_insets = 1;
    if (qtr_map_render(&m, QTR_MAP_PNG, path, &l, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(l.ninsets, 0);
    assert_true(l.scale < want / 5);
    unlink(path);
    rmdir(dir);
    qtr_shapes_free(s);
    qtr_test_font_cleanup();
}

static void test_nearby_and_large_bodies_stay(void **state)
{
    (void)state;
    struct qtr_map_extent e;
    /* a small island 1 km off the town (closer than half its 3 km side): one frame */
    const double near[1][3] = {{504000, 6001000, 500}};
    struct qtr_shapes *s = town(near, 1);
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 0);
    assert_float_equal(e.maxx, 504500, 1e-9);
    qtr_shapes_free(s);
    /* a second town as large as the first, 30 km away: far, but too large for an inset */
    double twin[9][3];
    for (int f = 0; f < 9; f++) {
        twin[f][0] = 530000 + 1000.0 * (f % 3);
        twin[f][1] = 6000000 + 1000.0 * (f / 3);
        twin[f][2] = 1000;
    }
    s = town((const double(*)[3])twin, 9);
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 0);
    assert_float_equal(e.maxx, 533000, 1e-9);
    qtr_shapes_free(s);
    /* a single feature: nothing to split */
    const double one[1][3] = {{0, 0, 10}};
    s = squares(one, 1);
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 0);
    qtr_shapes_free(s);
}

/* The parts are linked along x (a sweep): their order in the layer changes nothing. A chain of
 * 200 m squares 100 m apart (linked one to the next) ends 20 km from a far 100 m island. */
static void test_order_of_parts_changes_nothing(void **state)
{
    (void)state;
    enum { N = 41 };
    double fw[N][3], bw[N][3];
    for (int f = 0; f < N - 1; f++) {
        fw[f][0] = 500000 + 300.0 * f;
        fw[f][1] = 6000000 + 50.0 * (f % 3);
        fw[f][2] = 200;
    }
    fw[N - 1][0] = 500000 + 300.0 * (N - 2) + 20000;
    fw[N - 1][1] = 6020000;
    fw[N - 1][2] = 100;
    for (int f = 0; f < N; f++)
        memcpy(bw[f], fw[(f * 17) % N], sizeof bw[f]); /* 17 and 41 coprime: a permutation */
    struct qtr_map_extent a, b;
    struct qtr_shapes *s = squares((const double(*)[3])fw, N);
    assert_int_equal(qtr_map_extent(s, &a), 1);
    qtr_shapes_free(s);
    s = squares((const double(*)[3])bw, N);
    assert_int_equal(qtr_map_extent(s, &b), 1);
    qtr_shapes_free(s);
    assert_int_equal(a.ninsets, 1);
    assert_int_equal(b.ninsets, 1);
    /* the whole chain is the main frame, the island the inset */
    assert_float_equal(a.minx, 500000, 1e-9);
    assert_float_equal(a.maxx, 500000 + 300.0 * (N - 2) + 200, 1e-9);
    assert_true(a.minx == b.minx && a.miny == b.miny && a.maxx == b.maxx && a.maxy == b.maxy);
    assert_true(a.inset[0].minx == b.inset[0].minx && a.inset[0].maxy == b.inset[0].maxy);
}

static void test_island_group_shares_an_inset(void **state)
{
    (void)state;
    /* an island with a sandbank 1 km beside it, 20 km off; and an exclave 20 km east */
    const double out[3][3] = {
        {480000, 6020000, 500}, {481500, 6020000, 300}, {523000, 6001000, 400}};
    struct qtr_shapes *s = town(out, 2);
    struct qtr_map_extent e;
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 1);
    assert_float_equal(e.inset[0].minx, 480000, 1e-9);
    assert_float_equal(e.inset[0].maxx, 481800, 1e-9);
    qtr_shapes_free(s);
    s = town(out, 3);
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 2);
    assert_float_equal(e.maxx, 503000, 1e-9); /* the main frame: the town */
    qtr_shapes_free(s);
}

static void test_feature_with_a_far_part(void **state)
{
    (void)state;
    /* the island is a second ring of feature 8 (a Bezirk with an island, as Hamburg-Mitte
     * with Neuwerk in a file of Bezirke) */
    const double island[1][3] = {{480000, 6020000, 500}};
    struct qtr_shapes *s = town(island, 1);
    s->n = 9;
    s->feat_ring[9] = 10;
    struct qtr_map_extent e;
    assert_int_equal(qtr_map_extent(s, &e), 1);
    assert_int_equal(e.ninsets, 1);
    assert_float_equal(e.maxy, 6003000, 1e-9);
    /* the caption names the feature the island belongs to (not the others) */
    const char *names[9] = {"a", "b", "c", "d", "e", "f", "g", "h", "Mitte"};
    struct qtr_map_inset_layout in = {.minx = e.inset[0].minx,
                                      .miny = e.inset[0].miny,
                                      .maxx = e.inset[0].maxx,
                                      .maxy = e.inset[0].maxy};
    char *cap = qtr_map_inset_caption(s, names, &in);
    assert_non_null(cap);
    assert_string_equal(cap, "Mitte");
    free(cap);
    assert_null(qtr_map_inset_caption(s, NULL, &in));
    /* every feature inside: three names, then an ellipsis */
    in = (struct qtr_map_inset_layout){.minx = 0, .miny = 0, .maxx = 1e7, .maxy = 1e7};
    cap = qtr_map_inset_caption(s, names, &in);
    assert_non_null(cap);
    assert_string_equal(cap, "a, b, c, \xe2\x80\xa6");
    free(cap);
    qtr_shapes_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_far_island_goes_into_an_inset),
        cmocka_unit_test(test_nearby_and_large_bodies_stay),
        cmocka_unit_test(test_order_of_parts_changes_nothing),
        cmocka_unit_test(test_island_group_shares_an_inset),
        cmocka_unit_test(test_feature_with_a_far_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
