/* Tests for map.c: a 3x3 grid rendered to PNG, SVG and PDF; layout helpers. */
#include "test_util.h"

#include <cairo.h>
#include <sys/stat.h>
#include <unistd.h>

#include "font_cleanup.h"
#include "quartier/map.h"
#include "xmlcheck.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qtr_map_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (!getenv("QTR_KEEP_TMP")) {
        const char *names[] = {"grid.png", "grid.svg", "grid.pdf", "cat.png"};
        char p[128];
        for (size_t i = 0; i < 4; i++) {
            snprintf(p, sizeof p, "%s/%s", dir, names[i]);
            unlink(p);
        }
        rmdir(dir);
    }
    /* free process-wide font data for LeakSanitizer */
    qtr_test_font_cleanup();
    return 0;
}

/*
 * 3x3 grid of 1 km squares with the lower-left corner at (390000, 5820000);
 * feature 4 (the centre) has a 400 m hole. With `two` set, a second shape
 * set of cells 0 and 1 only (the overlay).
 */
static struct qtr_shapes *grid(int overlay)
{
    size_t n = overlay ? 2 : 9, nrings = n + (overlay ? 0 : 1);
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
    for (size_t f = 0; f < n; f++) {
        s->feat_ring[f] = r;
        double x0 = 390000 + 1000.0 * (double)(f % 3), y0 = 5820000 + 1000.0 * (double)(f / 3);
        double sq[5][2] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}};
        s->ring_pt[r++] = p;
        for (int i = 0; i < 5; i++, p++) {
            s->x[p] = x0 + sq[i][0];
            s->y[p] = y0 + sq[i][1];
        }
        if (f == 4 && !overlay) {
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

static void test_grid_png_svg_pdf(void **state)
{
    (void)state;
    struct qtr_shapes *s = grid(0), *ov = grid(1);
    int cls[9] = {0, 1, 2, 0, 1, 2, 0, -1, 2};
    struct qtr_rgb col[3];
    assert_int_equal(qtr_palette_colors(QTR_PAL_VIRIDIS, 3, col, NULL), 0);
    const char *labels[] = {"0,0 \xe2\x80\x93 12,5 %", "12,5 \xe2\x80\x93 20,0 %",
                            "20,0 \xe2\x80\x93 47,3 %"};
    struct qtr_map_label lab[] = {{"Mitte", 390500, 5820500},
                                  {"Mitte-Duplikat", 390500, 5820500}, /* collides: skipped */
                                  {"K\xc3\xb6penick", 392500, 5822500},
                                  {"Au\u00dfen", 380000, 5820500}}; /* outside the frame */
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 3,
                        .colors = col,
                        .class_labels = labels,
                        .legend_title = "Anteil der Einwohner mit Migrationshintergrund (%)",
                        .nodata_color = qtr_palette_nodata(),
                        .title = "Migration in den Planungsr\xc3\xa4umen",
                        .subtitle = "Quantile, 3 Klassen",
                        .source = "Quelle: Amt f\xc3\xbcr Statistik Berlin-Brandenburg",
                        .date = "Stand: 31.12.2023",
                        .overlay = ov,
                        .overlay_label = "Gebiet mit besonderem Aufmerksamkeitsbedarf",
                        .overlay_color = {0, 0, 0},
                        .labels = lab,
                        .nlabels = 4};
    char path[128];
    struct qtr_map_layout l;
    struct qtr_error err = {0};
    snprintf(path, sizeof path, "%s/grid.png", dir);
    int rc = qtr_map_render(&m, QTR_MAP_PNG, path, &l, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_int_equal(l.labels_placed, 2);
    /* 3 km wide data; the scale bar is a nice length no longer than 30 % of the frame */
    assert_true(l.scalebar_m == 200 || l.scalebar_m == 500 || l.scalebar_m == 1000);
    assert_true(l.scalebar_m * l.scale <= 0.3 * l.frame_w + 1e-9);

    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    /* A4 landscape at 150 dpi */
    assert_int_equal(cairo_image_surface_get_width(img), 1755);
    assert_int_equal(cairo_image_surface_get_height(img), 1240);
    double k = 150.0 / 72.0;
    for (int f = 0; f < 9; f++) {
        /* a point 200 m inside the lower-left corner, away from labels and the hole */
        double X = 390000 + 1000.0 * (f % 3) + 200, Y = 5820000 + 1000.0 * (f / 3) + 200;
        double px = (l.tx + l.scale * X) * k, py = (l.ty - l.scale * Y) * k;
        if (cls[f] < 0) {
            /* "keine Angabe": white with grey diagonal hatching; in a 12 x 12 pixel window
             * both white and neutral grey line pixels */
            int white = 0, line = 0;
            for (int dy = 0; dy < 12; dy++)
                for (int dx = 0; dx < 12; dx++) {
                    uint32_t p = pixel(img, px + dx, py - dy);
                    int r = (int)(p >> 16) & 255, g = (int)(p >> 8) & 255, b = (int)p & 255;
                    assert_true(r == g && g == b);
                    white += p == rgb(qtr_palette_nodata());
                    line += r < 200;
                }
            assert_true(white > 20);
            assert_true(line > 5);
            continue;
        }
        uint32_t want = rgb(col[cls[f]]);
        assert_int_equal(pixel(img, px, py), want);
    }
    /* the hole in the centre cell shows the white page */
    double px = (l.tx + l.scale * 391500) * k, py = (l.ty - l.scale * 5821500) * k;
    assert_int_equal(pixel(img, px, py), 0xFFFFFF);
    /* outside the data, left of the grid: white */
    px = (l.tx + l.scale * 389800) * k;
    assert_int_equal(pixel(img, px, py), 0xFFFFFF);
    cairo_surface_destroy(img);

    snprintf(path, sizeof path, "%s/grid.svg", dir);
    rc = qtr_map_render(&m, QTR_MAP_SVG, path, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char svg[1 << 20];
    size_t n = fread(svg, 1, sizeof svg - 1, f);
    fclose(f);
    svg[n] = '\0';
    assert_true(n > 1000);
    assert_non_null(strstr(svg, "<svg"));
    /* text as outlines: no glyph symbols, which Qt's SVG renderer (QGIS layouts) cannot show */
    assert_null(strstr(svg, "glyph"));
    const char *why = xmlcheck(svg);
    if (why)
        fail_msg("SVG not well-formed: %s", why);
    /* title and source line also as text, right after the <svg> start tag */
    const char *t = strstr(svg, "<title>Migration in den Planungsr\xc3\xa4umen</title>");
    assert_non_null(t);
    assert_true(t > strstr(svg, "<svg") && t < strstr(svg, "<g"));
    assert_non_null(strstr(svg,
                           "<desc>Quantile, 3 Klassen \xc2\xb7 Quelle: Amt f\xc3\xbcr Statistik "
                           "Berlin-Brandenburg \xc2\xb7 Stand: 31.12.2023</desc>"));

    snprintf(path, sizeof path, "%s/grid.pdf", dir);
    rc = qtr_map_render(&m, QTR_MAP_PDF, path, NULL, &err);
    if (rc)
        fail_msg("%s", err.msg);
    f = fopen(path, "rb");
    assert_non_null(f);
    char head[8] = {0};
    assert_int_equal(fread(head, 1, 5, f), 5);
    fclose(f);
    assert_memory_equal(head, "%PDF-", 5);

    qtr_shapes_free(s);
    qtr_shapes_free(ov);
}

static void test_categorical_lisa(void **state)
{
    (void)state;
    struct qtr_shapes *s = grid(0);
    int cls[9] = {1, 1, 0, 1, 0, 0, 0, 4, 2};
    struct qtr_rgb col[5];
    for (int i = 0; i < 5; i++)
        col[i] = qtr_palette_lisa(i);
    const char *labels[] = {"nicht signifikant", "Hoch-Hoch", "Niedrig-Niedrig", "Niedrig-Hoch",
                            "Hoch-Niedrig"};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 5,
                        .colors = col,
                        .class_labels = labels,
                        .legend_title = "LISA-Cluster (p < 0,05)",
                        .width_pt = 400,
                        .height_pt = 300,
                        .dpi = 72};
    char path[128];
    struct qtr_map_layout l;
    struct qtr_error err = {0};
    snprintf(path, sizeof path, "%s/cat.png", dir);
    assert_int_equal(qtr_map_render(&m, QTR_MAP_PNG, path, &l, &err), 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_image_surface_get_width(img), 400);
    assert_int_equal(cairo_image_surface_get_height(img), 300);
    double px = l.tx + l.scale * 392500, py = l.ty - l.scale * 5822500; /* feature 8: LL */
    assert_int_equal(pixel(img, px, py), rgb(qtr_palette_lisa(2)));
    cairo_surface_destroy(img);

    /* errors: class out of range, unwritable folder; nothing is left behind */
    cls[3] = 5;
    assert_int_equal(qtr_map_render(&m, QTR_MAP_PNG, path, NULL, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "feature 3 has class 5"));
    cls[3] = 1;
    assert_int_equal(qtr_map_render(&m, QTR_MAP_PNG, "/nonexistent-dir/x.png", NULL, &err),
                     QTR_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.png"));
    m.width_pt = 10;
    assert_int_equal(qtr_map_render(&m, QTR_MAP_PNG, path, NULL, &err), QTR_ERR_USAGE);
    qtr_shapes_free(s);
}

static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            same = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* Same input, same bytes (PNG always; PDF with a fixed creation date). */
static void test_deterministic(void **state)
{
    (void)state;
    struct qtr_shapes *s = grid(0);
    int cls[9] = {0, 1, 2, 0, 1, 2, 0, 1, 2};
    struct qtr_rgb col[3];
    assert_int_equal(qtr_palette_colors(QTR_PAL_CIVIDIS, 3, col, NULL), 0);
    const char *labels[] = {"a", "b", "c"};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 3,
                        .colors = col,
                        .class_labels = labels,
                        .title = "T",
                        .width_pt = 300,
                        .height_pt = 200,
                        .dpi = 72,
                        .created = "2024-02-01T00:00:00Z"};
    const char *ext[] = {"png", "pdf"};
    enum qtr_map_format fmt[] = {QTR_MAP_PNG, QTR_MAP_PDF};
    for (int i = 0; i < 2; i++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "%s/det1.%s", dir, ext[i]);
        snprintf(b, sizeof b, "%s/det2.%s", dir, ext[i]);
        assert_int_equal(qtr_map_render(&m, fmt[i], a, NULL, NULL), 0);
        assert_int_equal(qtr_map_render(&m, fmt[i], b, NULL, NULL), 0);
        assert_true(same_file(a, b));
        unlink(a);
        unlink(b);
    }
    qtr_shapes_free(s);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_close(qtr_map_nice_length(1234), 1000, 0);
    assert_close(qtr_map_nice_length(4999), 2000, 0);
    assert_close(qtr_map_nice_length(5000), 5000, 0);
    assert_close(qtr_map_nice_length(1000), 1000, 0);
    assert_close(qtr_map_nice_length(0.3), 0.2, 1e-15);
    assert_close(qtr_map_nice_length(0), 0, 0);
    char b[32];
    assert_int_equal(qtr_map_length_label(500, b, sizeof b), 0);
    assert_string_equal(b, "500 m");
    assert_int_equal(qtr_map_length_label(2000, b, sizeof b), 0);
    assert_string_equal(b, "2 km");
    assert_int_equal(qtr_map_length_label(2500, b, sizeof b), 0);
    assert_string_equal(b, "2,5 km");
    assert_int_equal(qtr_map_length_label(10000, b, sizeof b), 0);
    assert_string_equal(b, "10 km");
    /* boxes: 0 placed; 1 overlaps 0; 2 touches 0 at an edge only (allowed); 3 outside */
    double x0[] = {0, 5, 10, 95}, y0[] = {0, 5, 0, 0}, x1[] = {10, 15, 20, 105},
           y1[] = {10, 15, 10, 10};
    unsigned char placed[4];
    assert_int_equal(qtr_label_place(x0, y0, x1, y1, 4, 0, 0, 100, 100, placed), 2);
    assert_int_equal(placed[0], 1);
    assert_int_equal(placed[1], 0);
    assert_int_equal(placed[2], 1);
    assert_int_equal(placed[3], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_png_svg_pdf),
        cmocka_unit_test(test_categorical_lisa),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
