/*
 * Tests for map_raster.c (a map's features as one image, struct qtr_map raster_dpi) and
 * doc_table.c (a long table cut to its ends): a 3x3 grid with a hole in the centre cell
 * drawn as vectors and as a raster gives the same colour in every cell, white in the hole;
 * the raster PDF and SVG hold one image and no path per cell.
 */
#include "test_util.h"

#include <cairo.h>
#include <sys/stat.h>
#include <unistd.h>

#include "font_cleanup.h"
#include "quartier/doc.h"
#include "quartier/map.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qtr_raster_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"r.pdf", "r.svg", "v.svg"};
    char p[128];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    qtr_test_font_cleanup();
    return 0;
}

/* 3x3 grid of 1 km squares from (390000, 5820000); cell 4 has a 400 m hole in its middle. */
static struct qtr_shapes *grid(void)
{
    size_t n = 9, nrings = 10;
    struct qtr_shapes *s = calloc(1, sizeof *s);
    s->n = n;
    s->nrings = nrings;
    s->npoints = 5 * nrings;
    s->feat_ring = malloc((n + 1) * sizeof(size_t));
    s->ring_pt = malloc((nrings + 1) * sizeof(size_t));
    s->ring_hole = calloc(nrings, 1);
    s->x = malloc(s->npoints * sizeof(double));
    s->y = malloc(s->npoints * sizeof(double));
    size_t r = 0, p = 0;
    double sq[5][2] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}};
    for (size_t f = 0; f < n; f++) {
        s->feat_ring[f] = r;
        double x0 = 390000 + 1000.0 * (double)(f % 3), y0 = 5820000 + 1000.0 * (double)(f / 3);
        s->ring_pt[r++] = p;
        for (int i = 0; i < 5; i++, p++) {
            s->x[p] = x0 + sq[i][0];
            s->y[p] = y0 + sq[i][1];
        }
        if (f == 4) {
            s->ring_hole[r] = 1;
            s->ring_pt[r++] = p;
            for (int i = 0; i < 5; i++, p++) {
                s->x[p] = x0 + 300 + 0.4 * sq[4 - i][0];
                s->y[p] = y0 + 300 + 0.4 * sq[4 - i][1];
            }
        }
    }
    s->feat_ring[n] = r;
    s->ring_pt[r] = p;
    return s;
}

static uint32_t pixel(cairo_surface_t *img, double px, double py)
{
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *d = cairo_image_surface_get_data(img);
    return *(const uint32_t *)(d + (int)py * stride + 4 * (int)px) & 0xFFFFFFu;
}

static uint32_t rgb(struct qtr_rgb c)
{
    return ((uint32_t)c.r << 16) | ((uint32_t)c.g << 8) | c.b;
}

static size_t count_in_file(const char *name, const char *pat)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    char *s = malloc((size_t)sb.st_size + 1);
    assert_int_equal(fread(s, 1, (size_t)sb.st_size, f), (size_t)sb.st_size);
    fclose(f);
    size_t k = 0, m = strlen(pat);
    for (size_t i = 0; i + m <= (size_t)sb.st_size; i++)
        k += !memcmp(s + i, pat, m);
    free(s);
    return k;
}

/*
 * The map drawn into a recording surface (a vector device, as a PDF page) at 600 x 424 pt,
 * then replayed onto an image at 2 pixels per point; *lay receives the layout.
 */
static cairo_surface_t *draw_replayed(const struct qtr_map *m, struct qtr_map_layout *lay)
{
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    struct qtr_error err = {0};
    if (qtr_map_draw(cr, m, 0, 0, 600, lay, &err))
        fail_msg("%s", err.msg);
    cairo_destroy(cr);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 848);
    cr = cairo_create(img);
    cairo_scale(cr, 2, 2);
    cairo_set_source_surface(cr, rec, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    cairo_surface_destroy(rec);
    return img;
}

static void test_raster_same_colours(void **state)
{
    (void)state;
    struct qtr_shapes *s = grid();
    int cls[9] = {0, 1, 2, 0, 1, 2, 0, -1, 2};
    struct qtr_rgb col[3] = {{255, 0, 0}, {0, 160, 0}, {0, 0, 255}};
    const char *labels[] = {"niedrig", "mittel", "hoch"};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 3,
                        .colors = col,
                        .class_labels = labels,
                        .nodata_color = {200, 200, 200},
                        .nodata_solid = 1,
                        .title = "Raster",
                        .source = "Quelle: Test",
                        .width_pt = 600,
                        .height_pt = 424};
    struct qtr_map_layout lv, lr;
    cairo_surface_t *vec = draw_replayed(&m, &lv);
    m.raster_dpi = 150;
    cairo_surface_t *ras = draw_replayed(&m, &lr);
    assert_true(fabs(lv.scale - lr.scale) < 1e-12);
    for (int f = 0; f < 9; f++) {
        /* 200 m inside the lower-left corner of each cell, in image pixels (2 per point) */
        double X = 390000 + 1000.0 * (f % 3) + 200, Y = 5820000 + 1000.0 * (f / 3) + 200;
        double px = 2 * (lr.tx + lr.scale * X), py = 2 * (lr.ty - lr.scale * Y);
        uint32_t want = cls[f] >= 0 ? rgb(col[cls[f]]) : rgb(m.nodata_color);
        assert_int_equal(pixel(vec, px, py), want);
        assert_int_equal(pixel(ras, px, py), want);
    }
    /* the hole of cell 4 (its middle, 391500 / 5821500) stays white in both */
    double hx = 2 * (lr.tx + lr.scale * 391500), hy = 2 * (lr.ty - lr.scale * 5821500);
    assert_int_equal(pixel(vec, hx, hy), 0xFFFFFFu);
    assert_int_equal(pixel(ras, hx, hy), 0xFFFFFFu);
    cairo_surface_destroy(vec);
    cairo_surface_destroy(ras);

    /* files: one image each, and no path per cell in the raster SVG */
    char p[128];
    struct qtr_error err = {0};
    snprintf(p, sizeof p, "%s/r.pdf", dir);
    if (qtr_map_render(&m, QTR_MAP_PDF, p, NULL, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(count_in_file("r.pdf", "/Subtype /Image"), 1);
    snprintf(p, sizeof p, "%s/r.svg", dir);
    if (qtr_map_render(&m, QTR_MAP_SVG, p, NULL, &err))
        fail_msg("%s", err.msg);
    m.raster_dpi = 0;
    snprintf(p, sizeof p, "%s/v.svg", dir);
    if (qtr_map_render(&m, QTR_MAP_SVG, p, NULL, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(count_in_file("r.svg", "<image "), 1);
    assert_int_equal(count_in_file("v.svg", "<image "), 0);
    /* the vector SVG has a path per cell (cairo writes a fill and its outline as one) that the
     * raster one has not; the raster's own clip takes one back */
    assert_true(count_in_file("v.svg", "<path") >= count_in_file("r.svg", "<path") + 8);
    qtr_shapes_free(s);
}

static void test_table_keep_ends(void **state)
{
    (void)state;
    struct qtr_doc *d = qtr_doc_new("de", "T", NULL);
    assert_non_null(d);
    const char *head[2] = {"Nr.", "Wert"};
    assert_int_equal(qtr_doc_table(d, NULL, 2, head, NULL), 0);
    for (int i = 0; i < 50; i++) {
        char a[16], b[16];
        snprintf(a, sizeof a, "r%d", i);
        snprintf(b, sizeof b, "%d", 100 - i);
        const char *cells[2] = {a, b};
        assert_int_equal(qtr_doc_row(d, cells), 0);
    }
    const char *gap[2] = {"…", NULL};
    size_t dropped = 99;
    assert_int_equal(qtr_doc_table_keep_ends(d, 5, gap, &dropped), 0);
    assert_int_equal(dropped, 40);
    const struct qtr_doc_block *b = &d->b[d->n - 1];
    assert_int_equal(b->nrows, 11);
    assert_string_equal(b->cells[0], "r0");
    assert_string_equal(b->cells[4 * 2 + 1], "96");
    assert_string_equal(b->cells[5 * 2], "…");
    assert_null(b->cells[5 * 2 + 1]);
    assert_string_equal(b->cells[6 * 2], "r45");
    assert_string_equal(b->cells[10 * 2 + 1], "51");
    /* 11 rows: a gap would hide one row, so nothing changes */
    assert_int_equal(qtr_doc_table_keep_ends(d, 5, gap, &dropped), 0);
    assert_int_equal(dropped, 0);
    assert_int_equal(b->nrows, 11);
    assert_int_equal(qtr_doc_para(d, QTR_DOC_NOTE, "x"), 0);
    assert_int_equal(qtr_doc_table_keep_ends(d, 5, gap, &dropped), QTR_ERR_USAGE);
    qtr_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raster_same_colours),
        cmocka_unit_test(test_table_keep_ends),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
