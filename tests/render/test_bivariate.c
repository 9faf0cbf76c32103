/* Tests for bivariate.c (MSS status x dynamics classes and palette) and the three
 * "no class" colours of palette.c. */
#include "test_util.h"

#include <math.h>

#include "quartier/bivariate.h"
#include "quartier/palette.h"

/* WCAG relative luminance of an sRGB colour. */
static double luminance(struct qtr_rgb c)
{
    double ch[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
    for (int i = 0; i < 3; i++)
        ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

/* Largest channel difference: colours closer than 24 in every channel look alike. */
static int distance(struct qtr_rgb a, struct qtr_rgb b)
{
    int d = abs(a.r - b.r), e = abs(a.g - b.g), f = abs(a.b - b.b);
    return d > e ? (d > f ? d : f) : (e > f ? e : f);
}

static void test_codes(void **state)
{
    (void)state;
    /* (s - 1) * 3 + d by hand */
    assert_int_equal(qtr_biv_code(1, 1), 1);  /* hoch / positiv */
    assert_int_equal(qtr_biv_code(1, 3), 3);  /* hoch / negativ */
    assert_int_equal(qtr_biv_code(2, 3), 6);  /* mittel / negativ */
    assert_int_equal(qtr_biv_code(3, 2), 8);  /* niedrig / stabil */
    assert_int_equal(qtr_biv_code(4, 3), 12); /* sehr niedrig / negativ */
    assert_int_equal(qtr_biv_code(0, 2), 0);  /* not rated */
    assert_int_equal(qtr_biv_code(2, 0), 0);  /* no dynamics */
    assert_int_equal(qtr_biv_code(5, 1), 0);
    assert_int_equal(qtr_biv_code(1, 4), 0);
    /* the inverse for every pair */
    for (int s = 1; s <= 4; s++)
        for (int d = 1; d <= 3; d++) {
            int k = qtr_biv_code(s, d);
            assert_int_equal(qtr_biv_status(k), s);
            assert_int_equal(qtr_biv_dynamics(k), d);
        }
    assert_int_equal(qtr_biv_status(0), 0);
    assert_int_equal(qtr_biv_dynamics(13), 0);
}

static void test_palette(void **state)
{
    (void)state;
    struct qtr_rgb nr = qtr_palette_not_rated();
    /* darker down every dynamics column: status reads as lightness, also in grey print */
    for (int d = 1; d <= 3; d++)
        for (int s = 2; s <= 4; s++)
            assert_true(luminance(qtr_biv_color(qtr_biv_code(s, d))) <
                        luminance(qtr_biv_color(qtr_biv_code(s - 1, d))));
    /* dynamics as hue: positiv bluer than red, negativ redder than blue, in every row */
    for (int s = 1; s <= 4; s++) {
        struct qtr_rgb p = qtr_biv_color(qtr_biv_code(s, 1));
        struct qtr_rgb n = qtr_biv_color(qtr_biv_code(s, 3));
        assert_true(p.b > p.r);
        assert_true(n.r > n.b + 40);
    }
    /* all 12 and "not rated" clearly apart */
    for (int a = 1; a <= 12; a++) {
        assert_true(distance(qtr_biv_color(a), nr) >= 24);
        for (int b = a + 1; b <= 12; b++)
            assert_true(distance(qtr_biv_color(a), qtr_biv_color(b)) >= 24);
    }
    /* codes outside 1..12 are "not rated" */
    assert_int_equal(distance(qtr_biv_color(0), nr), 0);
    struct qtr_rgb x = qtr_biv_color(13);
    assert_int_equal(distance(x, nr), 0);
}

static void test_no_class_colours_differ(void **state)
{
    (void)state;
    struct qtr_rgb nd = qtr_palette_nodata(), ns = qtr_palette_not_significant(),
                   nr = qtr_palette_not_rated(), h = qtr_palette_nodata_hatch();
    /* "keine Angabe" is white with dark hatching; "nicht signifikant" a light tone, not
     * white; "nicht bewertet" clearly darker than both */
    assert_int_equal(nd.r + nd.g + nd.b, 3 * 255);
    assert_true(distance(h, nd) >= 100);
    assert_true(distance(ns, nd) >= 20);
    assert_true(distance(nr, ns) >= 60);
    assert_true(distance(nr, nd) >= 60);
    /* the LISA "not significant" class is that tone */
    struct qtr_rgb l0 = qtr_palette_lisa(0);
    assert_int_equal(distance(l0, ns), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_no_class_colours_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
