/* Tests for classify.c: hand-computed limits, and a brute-force check of the Jenks optimum. */
#include "test_util.h"

#include "quartier/classify.h"
#include "quartier/format.h"

static void test_quantile_type7(void **state)
{
    (void)state;
    /* n = 10, k = 4: a = q * 9 -> 2.25, 4.5, 6.75 -> 3.25, 5.5, 7.75 (QGIS Equal Count) */
    double x[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, NAN};
    struct qtr_classes c;
    struct qtr_error err = {0};
    assert_int_equal(qtr_classify(x, 11, QTR_CLASS_QUANTILE, 4, 0, &c, &err), 0);
    assert_int_equal(c.k, 4);
    double want[] = {1, 3.25, 5.5, 7.75, 10};
    for (int i = 0; i < 5; i++)
        assert_close(c.limits[i], want[i], 1e-12);
    int wantc[] = {3, 3, 3, 2, 2, 1, 1, 0, 0, 0, -1};
    for (int i = 0; i < 11; i++)
        assert_int_equal(c.cls[i], wantc[i]);
    qtr_classes_release(&c);
}

static void test_quantile_ties_merge(void **state)
{
    (void)state;
    /* all three inner quantiles are 1: the limits collapse to [1, 2], one class */
    double x[] = {1, 1, 1, 1, 2};
    struct qtr_classes c;
    assert_int_equal(qtr_classify(x, 5, QTR_CLASS_QUANTILE, 4, 0, &c, NULL), 0);
    assert_int_equal(c.k, 1);
    assert_close(c.limits[0], 1, 0);
    assert_close(c.limits[1], 2, 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(c.cls[i], 0);
    qtr_classes_release(&c);
}

static void test_equal_interval_boundary_goes_low(void **state)
{
    (void)state;
    double x[] = {0, 1, 2.5, 10, 7.5000001};
    struct qtr_classes c;
    assert_int_equal(qtr_classify(x, 5, QTR_CLASS_EQUAL, 4, 0, &c, NULL), 0);
    assert_int_equal(c.k, 4);
    double want[] = {0, 2.5, 5, 7.5, 10};
    for (int i = 0; i < 5; i++)
        assert_close(c.limits[i], want[i], 1e-12);
    assert_int_equal(c.cls[0], 0);
    assert_int_equal(c.cls[1], 0);
    assert_int_equal(c.cls[2], 0); /* on the limit 2.5: lower class, as QGIS */
    assert_int_equal(c.cls[3], 3);
    assert_int_equal(c.cls[4], 3);
    qtr_classes_release(&c);
}

static void test_stddev(void **state)
{
    (void)state;
    /* mean 5, population SD 2 (sum of squares 32 / 8 = 4) -> inner limits 3, 5, 7 */
    double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    struct qtr_classes c;
    assert_int_equal(qtr_classify(x, 8, QTR_CLASS_STDDEV, 0, 0, &c, NULL), 0);
    assert_close(c.mean, 5, 1e-12);
    assert_close(c.sd, 2, 1e-12);
    assert_int_equal(c.k, 4);
    double want[] = {2, 3, 5, 7, 9};
    for (int i = 0; i < 5; i++)
        assert_close(c.limits[i], want[i], 1e-12);
    int wantc[] = {0, 1, 1, 1, 1, 1, 2, 3};
    for (int i = 0; i < 8; i++)
        assert_int_equal(c.cls[i], wantc[i]);
    qtr_classes_release(&c);
    /* half-SD steps: 3, 4, 5, 6, 7, 8 inside (2, 9) */
    assert_int_equal(qtr_classify(x, 8, QTR_CLASS_STDDEV, 0, 0.5, &c, NULL), 0);
    assert_int_equal(c.k, 7);
    assert_close(c.limits[1], 3, 1e-12);
    assert_close(c.limits[6], 8, 1e-12);
    qtr_classes_release(&c);
    /* an outlier: 20 values of 0 and one of 100 -> mean 100/21, population SD
     * sqrt(20 (100/21)^2 + (2000/21)^2) / sqrt(21) = 100 sqrt(20) / 21 = 21.296...;
     * the outlier is 4.47 SD away, but limits stop at +3 SD */
    double out[21] = {0};
    out[20] = 100;
    assert_int_equal(qtr_classify(out, 21, QTR_CLASS_STDDEV, 0, 0, &c, NULL), 0);
    double mean = 100.0 / 21, sd = 100.0 * sqrt(20.0) / 21;
    assert_close(c.sd, sd, 1e-12);
    /* limits 0, mean, mean + sd, mean + 2 sd, mean + 3 sd (68.65), 100; without the
     * 3-SD cap mean + 4 sd (89.95) would add a sixth class */
    assert_int_equal(c.k, 5);
    assert_close(c.limits[1], mean, 1e-12);
    assert_close(c.limits[3], mean + 2 * sd, 1e-12);
    assert_close(c.limits[4], mean + 3 * sd, 1e-12);
    assert_close(c.limits[5], 100, 0);
    assert_int_equal(c.cls[20], 4);
    assert_int_equal(c.cls[0], 0);
    qtr_classes_release(&c);
}

static void test_jenks_hand(void **state)
{
    (void)state;
    double x[] = {22, 1, 11, 2, 20, 3, 10, 21, 12};
    struct qtr_classes c;
    assert_int_equal(qtr_classify(x, 9, QTR_CLASS_JENKS, 3, 0, &c, NULL), 0);
    assert_int_equal(c.k, 3);
    double want[] = {1, 3, 12, 22};
    for (int i = 0; i < 4; i++)
        assert_close(c.limits[i], want[i], 0);
    qtr_classes_release(&c);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Smallest SDCM over every way to cut n sorted values into k non-empty groups. */
static double brute_best(const double *s, size_t n, size_t k, size_t *best_end)
{
    size_t end[8];
    double best = INFINITY;
    /* enumerate cut positions 1 <= c1 < c2 < ... < c_{k-1} <= n-1 */
    size_t cut[8];
    for (size_t i = 0; i + 1 < k; i++)
        cut[i] = i + 1;
    for (;;) {
        for (size_t i = 0; i + 1 < k; i++)
            end[i] = cut[i];
        end[k - 1] = n;
        double v = qtr_class_sdcm(s, n, end, k);
        if (v < best) {
            best = v;
            memcpy(best_end, end, k * sizeof *end);
        }
        /* next combination */
        size_t i = k - 1;
        while (i > 0 && cut[i - 1] == n - (k - i))
            i--;
        if (i == 0)
            break;
        cut[i - 1]++;
        for (size_t j = i; j + 1 < k; j++)
            cut[j] = cut[j - 1] + 1;
    }
    return best;
}

static void test_jenks_brute_force(void **state)
{
    (void)state;
    /* irregular values without ties, so the optimum is unique */
    double x[] = {0.5, 4.1, 2.2, 9.7, 3.3, 15.2, 7.4, 1.05, 12.8, 6.1, 10.9, 2.9, 14.0, 5.55};
    size_t n = sizeof x / sizeof x[0];
    double s[sizeof x / sizeof x[0]];
    memcpy(s, x, sizeof x);
    qsort(s, n, sizeof *s, cmp_d);
    for (size_t k = 2; k <= 5; k++) {
        size_t bend[8];
        double best = brute_best(s, n, k, bend);
        struct qtr_classes c;
        assert_int_equal(qtr_classify(x, n, QTR_CLASS_JENKS, k, 0, &c, NULL), 0);
        assert_int_equal(c.k, k);
        /* rebuild the partition from the limits and compare its SDCM and cuts */
        size_t end[8], j = 0;
        for (size_t cl = 0; cl < k; cl++) {
            while (j < n && s[j] <= c.limits[cl + 1])
                j++;
            end[cl] = j;
        }
        assert_close(qtr_class_sdcm(s, n, end, k), best, 1e-9);
        for (size_t cl = 0; cl < k; cl++)
            assert_int_equal(end[cl], bend[cl]);
        qtr_classes_release(&c);
    }
}

static void test_jenks_sampled(void **state)
{
    (void)state;
    /* 12000 values in three well separated clusters: the sample keeps the gaps */
    size_t n = 12000;
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i % 3) * 100.0 + (double)(i % 97) * 0.1;
    struct qtr_classes c;
    assert_int_equal(qtr_classify(x, n, QTR_CLASS_JENKS, 3, 0, &c, NULL), 0);
    assert_int_equal(c.k, 3);
    assert_close(c.limits[0], 0, 0);
    assert_close(c.limits[1], 9.6, 1e-9);
    assert_close(c.limits[2], 109.6, 1e-9);
    assert_close(c.limits[3], 209.6, 1e-9);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(c.cls[i], (int)(i % 3));
    qtr_classes_release(&c);
    free(x);
}

static void test_degenerate_and_errors(void **state)
{
    (void)state;
    struct qtr_classes c;
    struct qtr_error err = {0};
    double same[] = {3, 3, 3};
    assert_int_equal(qtr_classify(same, 3, QTR_CLASS_JENKS, 5, 0, &c, &err), 0);
    assert_int_equal(c.k, 1);
    assert_int_equal(c.cls[2], 0);
    qtr_classes_release(&c);
    assert_int_equal(qtr_classify(same, 3, QTR_CLASS_STDDEV, 0, 0, &c, &err), 0);
    assert_int_equal(c.k, 1);
    qtr_classes_release(&c);
    double nan2[] = {NAN, NAN};
    assert_int_equal(qtr_classify(nan2, 2, QTR_CLASS_EQUAL, 3, 0, &c, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "no values"));
    double inf[] = {1, INFINITY};
    assert_int_equal(qtr_classify(inf, 2, QTR_CLASS_EQUAL, 3, 0, &c, &err), QTR_ERR_DOMAIN);
    assert_int_equal(qtr_classify(same, 3, QTR_CLASS_EQUAL, 0, 0, &c, &err), QTR_ERR_USAGE);
    enum qtr_class_method m;
    assert_int_equal(qtr_class_method_parse("natural", &m, &err), 0);
    assert_int_equal(m, QTR_CLASS_JENKS);
    assert_int_equal(qtr_class_method_parse("kmeans", &m, &err), QTR_ERR_USAGE);
    assert_string_equal(qtr_class_method_qgis_id(QTR_CLASS_EQUAL), "EqualInterval");
    assert_string_equal(qtr_class_method_qgis_id(QTR_CLASS_STDDEV), "StdDev");
    double lim[] = {0, 1, 2};
    assert_int_equal(qtr_class_of(lim, 2, 2.0000001), -1);
    assert_int_equal(qtr_class_of(lim, 2, 1), 0);
    assert_int_equal(qtr_class_of(lim, 2, 2), 1);
}

static void test_round_limits(void **state)
{
    (void)state;
    /* quantiles of 1.04 .. 10.04 (step 1): a = 2.25, 4.5, 6.75 -> 3.29, 5.54, 7.79 */
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = 1.04 + i;
    struct qtr_classes c;
    assert_int_equal(qtr_classify(x, 10, QTR_CLASS_QUANTILE, 4, 0, &c, NULL), 0);
    assert_close(c.limits[1], 3.29, 1e-12);
    assert_int_equal(qtr_classes_round(&c, x, 1, NULL), 0);
    double want[] = {1.0, 3.3, 5.5, 7.8, 10.1}; /* min down, max up, inner to nearest */
    for (int i = 0; i < 5; i++)
        assert_close(c.limits[i], want[i], 1e-12);
    /* 5.04 <= 5.5 now belongs to class 1; 7.04 to class 2; every value has a class */
    assert_int_equal(c.cls[4], 1);
    assert_int_equal(c.cls[6], 2);
    for (int i = 0; i < 10; i++)
        assert_true(c.cls[i] >= 0);
    /* rounding to whole tens merges limits: 0, 10, 10, 10, 20 -> 0, 10, 20 */
    assert_int_equal(qtr_classes_round(&c, x, -1, NULL), 0);
    assert_int_equal(c.k, 2);
    assert_close(c.limits[1], 10, 0);
    assert_close(c.limits[2], 20, 0);
    assert_int_equal(c.cls[9], 1);
    assert_int_equal(qtr_classes_round(&c, x, 11, NULL), QTR_ERR_USAGE);
    qtr_classes_release(&c);
}

static void test_german_format(void **state)
{
    (void)state;
    char b[64];
    assert_int_equal(qtr_format_de(12.5, 1, b, sizeof b), 0);
    assert_string_equal(b, "12,5");
    assert_int_equal(qtr_format_de(1234567.891, 2, b, sizeof b), 0);
    assert_string_equal(b, "1.234.567,89");
    assert_int_equal(qtr_format_de(-1234, 0, b, sizeof b), 0);
    assert_string_equal(b, "-1.234");
    assert_int_equal(qtr_format_de(-0.004, 2, b, sizeof b), 0);
    assert_string_equal(b, "0,00");
    assert_int_equal(qtr_format_de(999.96, 1, b, sizeof b), 0);
    assert_string_equal(b, "1.000,0");
    /* extreme but finite: scientific with the decimal comma, never an error */
    assert_int_equal(qtr_format_de(1e18, 2, b, sizeof b), 0);
    assert_string_equal(b, "1e+18");
    assert_int_equal(qtr_format_de(-2.346e20, 1, b, sizeof b), 0);
    assert_string_equal(b, "-2,35e+20");
    assert_int_equal(qtr_format_de(1.797e308, 0, b, sizeof b), 0);
    assert_string_equal(b, "1,8e+308");
    assert_int_equal(qtr_format_de(999999999999999.0, 0, b, sizeof b), 0);
    assert_string_equal(b, "999.999.999.999.999");
    assert_int_equal(qtr_format_de(NAN, 1, b, sizeof b), QTR_ERR_USAGE);
    assert_int_equal(qtr_format_de(123456, 0, b, 4), QTR_ERR_USAGE);
    assert_int_equal(qtr_class_label_de(12.5, 20, 1, "%", b, sizeof b), 0);
    assert_string_equal(b, "12,5 \xe2\x80\x93 20,0 %");
    assert_int_equal(qtr_class_label_de(0, 0.25, 2, NULL, b, sizeof b), 0);
    assert_string_equal(b, "0,00 \xe2\x80\x93 0,25");
}

/* The report's numbers (format.c): thousands grouped in both languages, "2.000" and
 * "2,000" (issue 10), no "-0", a dash for no value. */
static void test_report_numbers(void **state)
{
    (void)state;
    char b[64];
    qtr_fmt_num(0, 2000, 0, b, sizeof b);
    assert_string_equal(b, "2.000");
    qtr_fmt_num(1, 2000, 0, b, sizeof b);
    assert_string_equal(b, "2,000");
    qtr_fmt_num(1, 3644826.26, 1, b, sizeof b);
    assert_string_equal(b, "3,644,826.3");
    qtr_fmt_num(0, 3644826.26, 1, b, sizeof b);
    assert_string_equal(b, "3.644.826,3");
    qtr_fmt_num(1, -1234.5, 2, b, sizeof b);
    assert_string_equal(b, "-1,234.50");
    qtr_fmt_num(1, 999, 0, b, sizeof b);
    assert_string_equal(b, "999");
    qtr_fmt_num(1, -0.004, 2, b, sizeof b);
    assert_string_equal(b, "0.00");
    qtr_fmt_num(1, 0.074, 3, b, sizeof b);
    assert_string_equal(b, "0.074");
    qtr_fmt_num(1, NAN, 1, b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x93");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_numbers),
        cmocka_unit_test(test_quantile_type7),
        cmocka_unit_test(test_quantile_ties_merge),
        cmocka_unit_test(test_equal_interval_boundary_goes_low),
        cmocka_unit_test(test_stddev),
        cmocka_unit_test(test_jenks_hand),
        cmocka_unit_test(test_jenks_brute_force),
        cmocka_unit_test(test_jenks_sampled),
        cmocka_unit_test(test_degenerate_and_errors),
        cmocka_unit_test(test_round_limits),
        cmocka_unit_test(test_german_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
