/*
 * test_png_write.c - the map PNG writer (src/render/png_write.c) writes the pixels cairo's own
 * PNG writer writes: an opaque image (RGB) and one with translucent and transparent pixels
 * (RGBA, un-premultiplied), read back with cairo and compared byte for byte with cairo's.
 */
#include "test_util.h"

#include <cairo.h>
#include <unistd.h>

#include "../../src/render/png_write.h"

static cairo_surface_t *picture(int translucent)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 123, 77);
    cairo_t *cr = cairo_create(s);
    if (!translucent) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
    }
    for (int k = 0; k < 12; k++) {
        cairo_set_source_rgba(cr, 0.1 * k, 0.7 - 0.05 * k, 0.3 + 0.04 * k,
                              translucent ? 0.15 + 0.07 * k : 1.0);
        cairo_arc(cr, 10.0 + 9.3 * k, 38.0 + 3.1 * k, 6.0 + 2.5 * k, 0, 6.283185307179586);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    return s;
}

static void same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
    assert_int_equal(cairo_surface_status(a), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_surface_status(b), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    assert_int_equal(w, cairo_image_surface_get_width(b));
    assert_int_equal(h, cairo_image_surface_get_height(b));
    assert_int_equal(cairo_image_surface_get_format(a), cairo_image_surface_get_format(b));
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    for (int y = 0; y < h; y++)
        assert_memory_equal(cairo_image_surface_get_data(a) + (size_t)y * (size_t)sa,
                            cairo_image_surface_get_data(b) + (size_t)y * (size_t)sb,
                            (size_t)w * 4);
}

static void test_same_as_cairo(void **state)
{
    (void)state;
    char ours[] = "/tmp/qtr-png-ours-XXXXXX", theirs[] = "/tmp/qtr-png-cairo-XXXXXX";
    int fo = mkstemp(ours), ft = mkstemp(theirs);
    assert_true(fo >= 0 && ft >= 0);
    close(fo);
    close(ft);
    for (int translucent = 0; translucent < 2; translucent++) {
        cairo_surface_t *s = picture(translucent);
        FILE *fp = fopen(ours, "wb");
        assert_non_null(fp);
        assert_int_equal(qtr_png_write(s, fp), CAIRO_STATUS_SUCCESS);
        assert_int_equal(fclose(fp), 0);
        assert_int_equal(cairo_surface_write_to_png(s, theirs), CAIRO_STATUS_SUCCESS);
        cairo_surface_t *a = cairo_image_surface_create_from_png(ours);
        cairo_surface_t *b = cairo_image_surface_create_from_png(theirs);
        same_pixels(a, b);
        cairo_surface_destroy(a);
        cairo_surface_destroy(b);
        cairo_surface_destroy(s);
    }
    /* a write error is reported, not ignored */
    cairo_surface_t *s = picture(0);
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        setvbuf(full, NULL, _IONBF, 0);
        assert_int_equal(qtr_png_write(s, full), CAIRO_STATUS_WRITE_ERROR);
        fclose(full);
    }
    cairo_surface_destroy(s);
    unlink(ours);
    unlink(theirs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_cairo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
