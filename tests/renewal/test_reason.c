/* Tests for src/renewal/reason.c: the German and English reason texts. */
#include "test_util.h"

#include "quartier/renewal.h"

static void test_reason_de(void **state)
{
    (void)state;
    const struct qtr_reason_item st[] = {
        {"Arbeitslosigkeit", 0.4, 1, 0, 0, NAN, NAN, 0, NULL, 0},
        {"SGB-II-Quote", 2.1, 1, 0, 0, NAN, NAN, 0, NULL, 0},
        {"Kinderarmut", 1.8, 1, 0, 0, NAN, NAN, 0, NULL, 0},
    };
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_SEHR_NIEDRIG, 3, st, QTR_DYN_NEGATIV, 0, NULL,
                                        NULL, QTR_ATTN_STATUS, 2, QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status sehr niedrig – SGB-II-Quote 2,1 SD über Mittel, "
                                "Kinderarmut 1,8 SD über Mittel; Dynamik negativ");
    qtr_buf_release(&b);
}

static void test_reason_orientation_and_weights(void **state)
{
    (void)state;
    /* a higher_better indicator far below the mean pushes the index up most;
     * weight 0.5 halves the push of SGB II (2.1 -> 1.05 < Kinderarmut 1.8);
     * Arbeitslosigkeit pulls the other way and is never listed */
    const struct qtr_reason_item st[] = {
        {"SGB-II-Quote", 2.1, 0.5, 0, 0, NAN, NAN, 0, NULL, 0},
        {"Erwerbsquote", -2.46, 1, 1, 0, NAN, NAN, 0, NULL, 0},
        {"Kinderarmut", 1.8, 1, 0, 0, NAN, NAN, 0, NULL, 0},
        {"Arbeitslosigkeit", -0.3, 1, 0, 0, NAN, NAN, 0, NULL, 0},
    };
    /* 1.25 is exact in binary: printf would round it to even (1,2) */
    const struct qtr_reason_item dy[] = {
        {"Veränderung Arbeitslosigkeit", 1.25, 1, 0, 0, NAN, NAN, 0, NULL, 0},
    };
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_NIEDRIG, 4, st, QTR_DYN_NEGATIV, 1, dy,
                                        NULL, QTR_ATTN_STATUS | QTR_ATTN_SEGREGATION, 5, QTR_LANG_DE, &b,
                                        &err),
                     QTR_OK);
    assert_string_equal(b.data,
                        "Status niedrig – Erwerbsquote 2,5 SD unter Mittel, Kinderarmut 1,8 SD "
                        "über Mittel, SGB-II-Quote 2,1 SD über Mittel; Dynamik negativ – "
                        "Veränderung Arbeitslosigkeit 1,3 SD über Mittel; Segregationsrisiko "
                        "(Lagequotient signifikant hoch, Anteil steigend)");
    qtr_buf_release(&b);
}

static void test_reason_en_and_middle(void **state)
{
    (void)state;
    const struct qtr_reason_item st[] = {
        {"SGB II rate", -1.34, 1, 0, 0, NAN, NAN, 0, NULL, 0},
        {"child poverty", 0.2, 1, 0, 0, NAN, NAN, 0, NULL, 0},
    };
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    /* status high lists what makes it good; stable dynamics lists nothing */
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_HOCH, 2, st, QTR_DYN_STABIL, 2, st, NULL, 0, 2,
                                        QTR_LANG_EN, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status high – SGB II rate 1.3 SD below mean; dynamics stable");
    qtr_buf_release(&b);
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_MITTEL, 2, st, QTR_DYN_NONE, 0, NULL, NULL, 0, 2,
                                        QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status mittel");
    qtr_buf_release(&b);
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_NONE, 0, NULL, QTR_DYN_NONE, 0, NULL, NULL, 0, 2,
                                        QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "ungültig (kein Index)");
    qtr_buf_release(&b);
}

/* Real values first, and only the indicators that drive the class.
 * Status items (all higher = worse, weight 1), status_sd = 1.6, so each adds
 * z / 1.6 to the index: A 2.0 -> 1.25, B 0.9 -> 0.5625, C 0.02 (reads 0,0 SD),
 * D: -0.5 (pulls the other way).
 * niedrig (index above t[1] = 1): A alone carries 1.25 > 1 -> A only.
 * sehr niedrig (above t[2] = 1.5): A 1.25, A+B 1.8125 > 1.5 -> A and B.
 * Dynamics: change +1.25 percentage points (rounds half away: +1,3), district
 * mean -0.3, z 1.4, dynamics_sd 1 -> 1.4 > u[1] = 1 -> named. */
static const struct qtr_reason_item real_st[] = {
    {"Arbeitslosigkeit", 2.0, 1, 0, 1, 17.8, 4.4, 1, "%", 0},
    {"Kinderarmut", 0.9, 1, 0, 1, 30.25, 16.0, 1, "%", 0},
    {"Leerstand", 0.02, 1, 0, 1, 3.1, 3.0, 0, "%", 0},
    {"Wohnfläche", 0.5, 1, 1, 1, 41.0, 38.0, 0, "m²", 0},
};
static const struct qtr_reason_item real_dy[] = {
    {"Veränderung Arbeitslosigkeit", 1.4, 1, 0, 1, 1.25, -0.3, 0, "%", 1},
};

static void test_reason_real_values_and_drivers(void **state)
{
    (void)state;
    const struct qtr_reason_method m = {1.6, 1.0, {-1, 1, 1.5}, {-1, 1}};
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_NIEDRIG, 4, real_st, QTR_DYN_NEGATIV, 1,
                                        real_dy, &m, 0, 2, QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status niedrig – Arbeitslosigkeit: 17,8\u00a0% (Stadt 4,4\u00a0%; 2,0 SD "
                                "über Mittel); Dynamik negativ – Veränderung Arbeitslosigkeit: "
                                "+1,3\u00a0Pp. (Gebietsmittel -0,3\u00a0Pp.; 1,4 SD "
                                "über Mittel)");
    qtr_buf_release(&b);
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_SEHR_NIEDRIG, 4, real_st, QTR_DYN_NONE, 0,
                                        NULL, &m, 0, 1, QTR_LANG_EN, &b, &err),
                     QTR_OK);
    /* max_items = 1 does not cut the drivers: both are needed to pass 1.5 */
    assert_string_equal(b.data, "Status very low – Arbeitslosigkeit: 17.8\u00a0% (city 4.4\u00a0%; 2.0 SD "
                                "above mean), Kinderarmut: 30.3\u00a0% (city 16.0\u00a0%; 0.9 SD above "
                                "mean)");
    qtr_buf_release(&b);
    /* hoch (index below t[0] = -1): only living space pulls that way, 0.5 / 1.6 = 0.31
     * is all there is, so it is named although it does not reach -1 alone */
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_HOCH, 4, real_st, QTR_DYN_STABIL, 1, real_dy,
                                        &m, 0, 2, QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status hoch – Wohnfläche: 41,0\u00a0m² (Gebietsmittel 38,0\u00a0m²; 0,5 SD "
                                "über Mittel); Dynamik stabil");
    qtr_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_de),
        cmocka_unit_test(test_reason_orientation_and_weights),
        cmocka_unit_test(test_reason_en_and_middle),
        cmocka_unit_test(test_reason_real_values_and_drivers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
