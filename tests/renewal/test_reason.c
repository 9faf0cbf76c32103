/* Tests for src/renewal/reason.c: the German and English reason texts. */
#include "test_util.h"

#include "quartier/renewal.h"

static void test_reason_de(void **state)
{
    (void)state;
    const struct qtr_reason_item st[] = {
        {"Arbeitslosigkeit", 0.4, 1, 0},
        {"SGB-II-Quote", 2.1, 1, 0},
        {"Kinderarmut", 1.8, 1, 0},
    };
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_SEHR_NIEDRIG, 3, st, QTR_DYN_NEGATIV, 0, NULL,
                                        QTR_ATTN_STATUS, 2, QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status sehr niedrig (SGB-II-Quote 2,1 SD über Mittel, "
                                "Kinderarmut 1,8 SD über Mittel); Dynamik negativ");
    qtr_buf_release(&b);
}

static void test_reason_orientation_and_weights(void **state)
{
    (void)state;
    /* a higher_better indicator far below the mean pushes the index up most;
     * weight 0.5 halves the push of SGB II (2.1 -> 1.05 < Kinderarmut 1.8);
     * Arbeitslosigkeit pulls the other way and is never listed */
    const struct qtr_reason_item st[] = {
        {"SGB-II-Quote", 2.1, 0.5, 0},
        {"Erwerbsquote", -2.46, 1, 1},
        {"Kinderarmut", 1.8, 1, 0},
        {"Arbeitslosigkeit", -0.3, 1, 0},
    };
    /* 1.25 is exact in binary: printf would round it to even (1,2) */
    const struct qtr_reason_item dy[] = {
        {"Veränderung Arbeitslosigkeit", 1.25, 1, 0},
    };
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_NIEDRIG, 4, st, QTR_DYN_NEGATIV, 1, dy,
                                        QTR_ATTN_STATUS | QTR_ATTN_SEGREGATION, 5, QTR_LANG_DE, &b,
                                        &err),
                     QTR_OK);
    assert_string_equal(b.data,
                        "Status niedrig (Erwerbsquote 2,5 SD unter Mittel, Kinderarmut 1,8 SD "
                        "über Mittel, SGB-II-Quote 2,1 SD über Mittel); Dynamik negativ "
                        "(Veränderung Arbeitslosigkeit 1,3 SD über Mittel); Segregationsrisiko "
                        "(Lagequotient signifikant hoch, Anteil steigend)");
    qtr_buf_release(&b);
}

static void test_reason_en_and_middle(void **state)
{
    (void)state;
    const struct qtr_reason_item st[] = {
        {"SGB II rate", -1.34, 1, 0},
        {"child poverty", 0.2, 1, 0},
    };
    struct qtr_buf b = {0};
    struct qtr_error err = {0};
    /* status high lists what makes it good; stable dynamics lists nothing */
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_HOCH, 2, st, QTR_DYN_STABIL, 2, st, 0, 2,
                                        QTR_LANG_EN, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status high (SGB II rate 1.3 SD below mean); dynamics stable");
    qtr_buf_release(&b);
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_MITTEL, 2, st, QTR_DYN_NONE, 0, NULL, 0, 2,
                                        QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "Status mittel");
    qtr_buf_release(&b);
    assert_int_equal(qtr_renewal_reason(QTR_STATUS_NONE, 0, NULL, QTR_DYN_NONE, 0, NULL, 0, 2,
                                        QTR_LANG_DE, &b, &err),
                     QTR_OK);
    assert_string_equal(b.data, "ungültig (kein Index)");
    qtr_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason_de),
        cmocka_unit_test(test_reason_orientation_and_weights),
        cmocka_unit_test(test_reason_en_and_middle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
