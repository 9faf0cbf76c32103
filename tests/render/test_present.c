/* The presentation table: significance classes, fixed limits of location quotients, never a
 * single class, categories of codes and classes. */
#include "test_util.h"

#include <math.h>
#include <string.h>

#include "quartier/present.h"

static void test_significance_classes(void **state)
{
    (void)state;
    struct qtr_present p;
    qtr_present_column(QTR_ROLE_LISA_P, "g_lisa_p", NULL, 0, &p);
    assert_int_equal(p.show, QTR_SHOW_SIGNIFICANCE);
    /* p < 0.001, < 0.01, < 0.05, n.s.: a p of exactly 0.05 is not significant */
    const double v[] = {0.0005, 0.001, 0.005, 0.01, 0.049, 0.05, 0.5, NAN, 1.0};
    const int want[] = {0, 1, 1, 2, 2, 3, 3, -1, 3};
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    assert_int_equal(qtr_present_classify(&p, v, 9, 0, &c, &e), QTR_OK);
    assert_int_equal(c.k, 4);
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(c.cls[i], want[i]);
    assert_string_equal(c.labels[0], "p < 0,001");
    assert_string_equal(c.labels[1], "p < 0,01");
    assert_string_equal(c.labels[2], "p < 0,05");
    assert_non_null(strstr(c.labels[3], "nicht signifikant"));
    /* the smallest p is the darkest */
    assert_true(c.colors[0].r + c.colors[0].g + c.colors[0].b <
                c.colors[3].r + c.colors[3].g + c.colors[3].b);
    qtr_present_classes_release(&c);
    /* the p-value of a location quotient is shown the same way */
    qtr_present_column(QTR_ROLE_LQ_P, "g_lq_p", NULL, 1, &p);
    assert_int_equal(p.show, QTR_SHOW_SIGNIFICANCE);
    assert_int_equal(qtr_present_classify(&p, v, 9, 1, &c, &e), QTR_OK);
    assert_string_equal(c.labels[0], "p < 0.001");
    qtr_present_classes_release(&c);
}

static void test_lq_limits(void **state)
{
    (void)state;
    struct qtr_present p;
    struct qtr_present_owner o = {.id = "mh", .label = "Migranten"};
    qtr_present_column(QTR_ROLE_LQ, "mh_lq", &o, 0, &p);
    assert_int_equal(p.show, QTR_SHOW_BREAKS);
    assert_string_equal(p.alias, "Standortquotient Migranten");
    /* upper limits belong to their class, as in QGIS's ranges */
    const double v[] = {0.2, 0.5, 0.51, 0.8, 1.0, 1.25, 1.9, 2.0, 7.3};
    const int want[] = {0, 0, 1, 1, 2, 2, 3, 3, 4};
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    assert_int_equal(qtr_present_classify(&p, v, 9, 0, &c, &e), QTR_OK);
    assert_int_equal(c.k, 5);
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(c.cls[i], want[i]);
    assert_true(c.limits[5] >= 7.3);
    assert_string_equal(c.labels[0], "bis 0,50");
    qtr_present_classes_release(&c);
}

static void test_never_one_class(void **state)
{
    (void)state;
    struct qtr_present p;
    struct qtr_present_owner o = {.id = "g", .label = "G"};
    qtr_present_column(QTR_ROLE_SHARE, "g_share", &o, 0, &p);
    assert_int_equal(p.show, QTR_SHOW_GRADUATED);
    assert_int_equal(p.classes, 5);
    const double same[] = {12.0, 12.0, 12.0, 12.0, 12.0, 12.0};
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    assert_int_equal(qtr_present_classify(&p, same, 6, 0, &c, &e), QTR_ERR_DOMAIN);
    const double none[] = {NAN, NAN};
    assert_int_equal(qtr_present_classify(&p, none, 2, 0, &c, &e), QTR_ERR_DOMAIN);
    /* an indicator's own classification and number of classes win over the table's */
    struct qtr_present_owner ind = {.id = "alq",
                                    .label = "Arbeitslosenquote",
                                    .unit = "%",
                                    .classification = "equal",
                                    .classes = 3,
                                    .higher_worse = 1};
    qtr_present_column(QTR_ROLE_INDICATOR, "alq", &ind, 0, &p);
    assert_int_equal(p.method, QTR_CLASS_EQUAL);
    assert_int_equal(p.classes, 3);
    assert_int_equal(p.palette, QTR_PAL_ORANGES);
    assert_string_equal(p.alias, "Arbeitslosenquote (%)");
    const double v[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    assert_int_equal(qtr_present_classify(&p, v, 10, 0, &c, &e), QTR_OK);
    assert_int_equal(c.k, 3);
    qtr_present_classes_release(&c);
}

static void test_codes_categorized(void **state)
{
    (void)state;
    static const enum qtr_role cat[] = {
        QTR_ROLE_STATUS_CLASS,   QTR_ROLE_STATUS_CODE,    QTR_ROLE_DYNAMICS_CLASS,
        QTR_ROLE_DYNAMICS_CODE,  QTR_ROLE_STATUS_DYNAMICS, QTR_ROLE_STATUS_DYNAMICS_GROUP,
        QTR_ROLE_ATTENTION,      QTR_ROLE_LQ_HIGH,        QTR_ROLE_LISA_CLUSTER,
        QTR_ROLE_HOTSPOT,        QTR_ROLE_AREA_CLUSTER};
    for (size_t k = 0; k < sizeof cat / sizeof cat[0]; k++) {
        struct qtr_present p;
        qtr_present_column(cat[k], "x", NULL, 0, &p);
        assert_int_equal(p.show, QTR_SHOW_CATEGORIES);
        struct qtr_present_categories c;
        assert_true(qtr_present_categories(cat[k], 0, &c) >= 2);
        assert_non_null(c.other_label);
    }
    /* status: the same colours as text class and as code, one orange ramp */
    struct qtr_present_categories a, b;
    qtr_present_categories(QTR_ROLE_STATUS_CLASS, 0, &a);
    qtr_present_categories(QTR_ROLE_STATUS_CODE, 0, &b);
    assert_int_equal(a.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_memory_equal(&a.colors[i], &b.colors[i], sizeof a.colors[i]);
        assert_true(a.colors[i].r >= a.colors[i].b); /* orange, not purple */
    }
    assert_string_equal(a.values[3], "sehr niedrig");
    assert_string_equal(b.values[3], "4");
}

/* The fields of the other tables, values and style texts come from the table too. */
static void test_fields_and_values(void **state)
{
    (void)state;
    const char *alias = NULL, *desc = NULL;
    assert_int_equal(qtr_present_table_field("city_indices", "p_value", 0, &alias, &desc), 1);
    assert_string_equal(alias, "p-Wert");
    assert_int_equal(qtr_present_table_field("change", "difference", 1, &alias, &desc), 1);
    assert_string_equal(alias, "Difference");
    assert_string_equal(desc, "Current minus previous");
    /* a districts field is a column's, not a fixed table field */
    assert_int_equal(qtr_present_table_field("districts", "key", 0, &alias, &desc), 0);
    qtr_present_row_number(0, &alias, &desc);
    assert_string_equal(alias, "Nr.");

    /* a share: one decimal and its unit, German and English decimal marks */
    struct qtr_present p;
    qtr_present_column(QTR_ROLE_SHARE, "mh_share", NULL, 0, &p);
    char buf[64];
    qtr_present_value(&p, 12.345, 0, buf, sizeof buf);
    assert_string_equal(buf, "12,3 %");
    qtr_present_value(&p, 12.345, 1, buf, sizeof buf);
    assert_string_equal(buf, "12.3 %");
    qtr_present_value(&p, NAN, 0, buf, sizeof buf);
    assert_string_equal(buf, "");

    char d[300];
    struct qtr_present q;
    qtr_present_column(QTR_ROLE_LISA_P, "mh_lisa_p", NULL, 0, &q);
    qtr_present_style_description(&q, 4, 0, d, sizeof d);
    assert_non_null(strstr(d, ": Signifikanzklassen"));
    /* the classification in words, not its key (issue 10: a German style says "Quantile") */
    struct qtr_present_owner fo = {.id = "auslaender", .label = "Foreign nationals"};
    qtr_present_column(QTR_ROLE_SHARE, "auslaender_share", &fo, 0, &q);
    qtr_present_style_description(&q, 5, 0, d, sizeof d);
    assert_string_equal(d, "Anteil Foreign nationals (%): gleiche Anzahl Gebiete (Quantile), 5 Klassen");
    qtr_present_column(QTR_ROLE_SHARE, "auslaender_share", &fo, 1, &q);
    qtr_present_style_description(&q, 5, 1, d, sizeof d);
    assert_string_equal(d, "Share of foreign nationals (%): equal counts (quantiles), 5 classes");
    qtr_present_suppressed_note("Anteil.", 3, 0, d, sizeof d);
    assert_string_equal(d, "Anteil. Einzelne Werte sind unterdrückt (leer): Fallzahlen unter 3, "
                           "in der Quelle geheim gehaltene Werte und daraus berechnete Werte.");
    assert_string_equal(qtr_present_index_label("dissimilarity", 1), "Dissimilarity index D");
    assert_string_equal(qtr_present_index_label("unknown_index", 1), "unknown_index");
}

/* Change maps: classes symmetric around 0 in the diverging palette (issue 10 §3).
 * 19 changes within +-4 and one extreme district (+70): |v| sorted, the 95th percentile is
 * the order statistic floor(0.95 * 19) = 18 (0-based) = 4; two steps a side cover it -> 2
 * (the next of 1, 2, 2.5, 5 x 10^e); inner limits -4, -2, 0, 2, 4; the outer classes are
 * open and reach to +-70. A limit belongs to the class below it. */
static void test_change_centred(void **state)
{
    (void)state;
    struct qtr_present p;
    struct qtr_present_owner o = {.id = "mh", .label = "Migranten"};
    qtr_present_column(QTR_ROLE_SHARE_CHANGE, "mh_share_change", &o, 0, &p);
    assert_int_equal(p.show, QTR_SHOW_GRADUATED);
    assert_true(p.centred);
    assert_string_equal(p.alias, "Anteil Migranten, Veränderung (Pp.)");
    const double v[] = {-4,  -3.5, -3,  -2.5, -2, -1.5, -1,  -0.5, 0,    0.5,  1,
                        1.5, 2,    2.5, 3,    3.5, 3.9, 4,   -3.8, 70,   NAN};
    const int want[] = {0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 1, 5, -1};
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    assert_int_equal(qtr_present_classify(&p, v, 21, 0, &c, &e), QTR_OK);
    assert_int_equal(c.k, 6);
    const double lim[] = {-70, -4, -2, 0, 2, 4, 70};
    for (size_t j = 0; j < 7; j++)
        assert_true(fabs(c.limits[j] - lim[j]) < 1e-12);
    for (size_t i = 0; i < 21; i++)
        assert_int_equal(c.cls[i], want[i]);
    assert_string_equal(c.labels[0], "bis -4,0 Pp.");
    assert_string_equal(c.labels[2], "-2,0 – 0,0 Pp.");
    assert_string_equal(c.labels[3], "0,0 – 2,0 Pp.");
    assert_string_equal(c.labels[5], "über 4,0 Pp.");
    /* PuOr: decreases orange (red above blue), increases purple (blue above green) */
    assert_true(c.colors[0].r > c.colors[0].b);
    assert_true(c.colors[5].b > c.colors[5].g);
    qtr_present_classes_release(&c);
    /* an indicator's change of a percentage: percentage points, centred too. |v| sorted
     * {0.2, 0.3, 0.9}: floor(0.95 * 2) = 1 -> 0.3, half of it 0.15 -> step 0.2; the largest
     * change 0.9 is beyond 3 steps, so the outer limits are +-0.9 */
    struct qtr_present_owner oi = {.id = "alq", .label = "Arbeitslosenquote", .unit = "%"};
    qtr_present_column(QTR_ROLE_IND_CHANGE, "alq_change", &oi, 1, &p);
    assert_true(p.centred);
    assert_string_equal(p.unit, "pp");
    const double w[] = {-0.3, 0.2, 0.9};
    assert_int_equal(qtr_present_classify(&p, w, 3, 1, &c, &e), QTR_OK);
    const double wl[] = {-0.9, -0.4, -0.2, 0, 0.2, 0.4, 0.9};
    for (size_t j = 0; j < 7; j++)
        assert_true(fabs(c.limits[j] - wl[j]) < 1e-12);
    assert_int_equal(c.cls[0], 1);
    assert_int_equal(c.cls[1], 3);
    assert_int_equal(c.cls[2], 5);
    assert_string_equal(c.labels[5], "above 0.40 pp");
    qtr_present_classes_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_significance_classes),
        cmocka_unit_test(test_lq_limits),
        cmocka_unit_test(test_never_one_class),
        cmocka_unit_test(test_codes_categorized),
        cmocka_unit_test(test_fields_and_values),
        cmocka_unit_test(test_change_centred),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
