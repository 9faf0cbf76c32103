/* Tests for palette.c: published ColorBrewer lists, anchors, interpolation. */
#include "test_util.h"

#include "quartier/palette.h"

static void test_brewer_lists(void **state)
{
    (void)state;
    struct qtr_rgb c[11];
    char hex[8];
    assert_int_equal(qtr_palette_colors(QTR_PAL_BLUES, 5, c, NULL), 0);
    assert_string_equal(qtr_rgb_hex(c[0], hex), "#eff3ff");
    assert_string_equal(qtr_rgb_hex(c[4], hex), "#08519c");
    assert_int_equal(qtr_palette_colors(QTR_PAL_PUOR, 11, c, NULL), 0);
    assert_string_equal(qtr_rgb_hex(c[5], hex), "#f7f7f7"); /* neutral centre */
    assert_string_equal(qtr_rgb_hex(c[10], hex), "#2d004b");
    assert_int_equal(qtr_palette_colors(QTR_PAL_ORANGES, 2, c, NULL), 0);
    assert_string_equal(qtr_rgb_hex(c[0], hex), "#fee6ce");
    assert_string_equal(qtr_rgb_hex(c[1], hex), "#e6550d");
}

static void test_interpolated(void **state)
{
    (void)state;
    struct qtr_rgb c[17];
    char hex[8];
    assert_int_equal(qtr_palette_colors(QTR_PAL_VIRIDIS, 9, c, NULL), 0);
    assert_string_equal(qtr_rgb_hex(c[0], hex), "#440154");
    assert_string_equal(qtr_rgb_hex(c[8], hex), "#fde725");
    /* 17 = 2 * 9 - 1: every second colour is an anchor, the others midpoints */
    assert_int_equal(qtr_palette_colors(QTR_PAL_VIRIDIS, 17, c, NULL), 0);
    assert_string_equal(qtr_rgb_hex(c[2], hex), "#472d7b");
    assert_int_equal(c[1].r, (0x44 + 0x47 + 1) / 2);
    assert_int_equal(qtr_palette_colors(QTR_PAL_CIVIDIS, 3, c, NULL), 0);
    assert_string_equal(qtr_rgb_hex(c[1], hex), "#7c7b78");
    /* Blues beyond 9 classes: monotone lightness (sum of channels decreases) */
    assert_int_equal(qtr_palette_colors(QTR_PAL_BLUES, 12, c, NULL), 0);
    for (int i = 1; i < 12; i++)
        assert_true(c[i].r + c[i].g + c[i].b < c[i - 1].r + c[i - 1].g + c[i - 1].b);
}

static void test_qualitative_and_errors(void **state)
{
    (void)state;
    struct qtr_rgb c[10];
    struct qtr_error err = {0};
    assert_int_equal(qtr_palette_colors(QTR_PAL_OKABE_ITO, 10, c, NULL), 0);
    assert_memory_equal(&c[8], &c[0], sizeof c[0]);
    assert_int_equal(qtr_palette_colors(QTR_PAL_BLUES, 0, c, &err), QTR_ERR_USAGE);
    enum qtr_palette p;
    assert_int_equal(qtr_palette_parse("puor", &p, &err), 0);
    assert_int_equal(p, QTR_PAL_PUOR);
    assert_int_equal(qtr_palette_parse("RdYlGn", &p, &err), QTR_ERR_USAGE);
    struct qtr_rgb hh = qtr_palette_lisa(1), ll = qtr_palette_lisa(2);
    assert_true(hh.r > hh.b && ll.b > ll.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brewer_lists),
        cmocka_unit_test(test_interpolated),
        cmocka_unit_test(test_qualitative_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
