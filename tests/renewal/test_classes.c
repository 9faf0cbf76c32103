/* Tests for src/renewal/classes.c: MSS thresholds (limits belong to the middle
 * side), the 12 groups as MSS 2021 publishes them, attention and ranks. */
#include "test_util.h"

#include "quartier/renewal.h"

static void test_status_class_limits(void **state)
{
    (void)state;
    const double t[3] = QTR_MSS_STATUS_THRESHOLDS;
    assert_int_equal(qtr_renewal_status_class(-2.0, t), QTR_STATUS_HOCH);
    assert_int_equal(qtr_renewal_status_class(nextafter(-1.0, -2.0), t), QTR_STATUS_HOCH);
    assert_int_equal(qtr_renewal_status_class(-1.0, t), QTR_STATUS_MITTEL);
    assert_int_equal(qtr_renewal_status_class(0.0, t), QTR_STATUS_MITTEL);
    assert_int_equal(qtr_renewal_status_class(1.0, t), QTR_STATUS_MITTEL);
    assert_int_equal(qtr_renewal_status_class(nextafter(1.0, 2.0), t), QTR_STATUS_NIEDRIG);
    assert_int_equal(qtr_renewal_status_class(1.5, t), QTR_STATUS_NIEDRIG);
    assert_int_equal(qtr_renewal_status_class(nextafter(1.5, 2.0), t), QTR_STATUS_SEHR_NIEDRIG);
    assert_int_equal(qtr_renewal_status_class(NAN, t), QTR_STATUS_NONE);
    const double custom[3] = {-0.5, 0.5, 2};
    assert_int_equal(qtr_renewal_status_class(0.7, custom), QTR_STATUS_NIEDRIG);
    assert_string_equal(qtr_status_class_name(4, QTR_LANG_DE), "sehr niedrig");
    assert_string_equal(qtr_status_class_name(4, QTR_LANG_EN), "very low");
    assert_string_equal(qtr_status_class_name(9, QTR_LANG_DE), "");
}

static void test_dynamics_class_limits(void **state)
{
    (void)state;
    const double t[2] = QTR_MSS_DYNAMICS_THRESHOLDS;
    assert_int_equal(qtr_renewal_dynamics_class(nextafter(-1.0, -2.0), t), QTR_DYN_POSITIV);
    assert_int_equal(qtr_renewal_dynamics_class(-1.0, t), QTR_DYN_STABIL);
    assert_int_equal(qtr_renewal_dynamics_class(1.0, t), QTR_DYN_STABIL);
    assert_int_equal(qtr_renewal_dynamics_class(nextafter(1.0, 2.0), t), QTR_DYN_NEGATIV);
    assert_int_equal(qtr_renewal_dynamics_class(NAN, t), QTR_DYN_NONE);
    assert_string_equal(qtr_dynamics_class_name(QTR_DYN_NEGATIV, QTR_LANG_DE), "negativ");
    assert_string_equal(qtr_dynamics_class_name(QTR_DYN_POSITIV, QTR_LANG_EN), "positive");
}

static void test_groups(void **state)
{
    (void)state;
    char label[8], dotted[8];
    int num = -1;
    /* MSS 2021 columns SDI / SDI_N, e.g. "2-" / 25, "1+/-" / 13, "4+" / 41 */
    assert_int_equal(qtr_renewal_group(2, QTR_DYN_NEGATIV, &num, label, dotted), QTR_OK);
    assert_string_equal(dotted, "2.3");
    assert_string_equal(label, "2-");
    assert_int_equal(num, 25);
    assert_int_equal(qtr_renewal_group(1, QTR_DYN_STABIL, &num, label, NULL), QTR_OK);
    assert_string_equal(label, "1+/-");
    assert_int_equal(num, 13);
    assert_int_equal(qtr_renewal_group(4, QTR_DYN_POSITIV, &num, label, dotted), QTR_OK);
    assert_string_equal(dotted, "4.1");
    assert_string_equal(label, "4+");
    assert_int_equal(num, 41);
    assert_int_equal(qtr_renewal_group(0, QTR_DYN_POSITIV, &num, label, dotted), QTR_ERR_DOMAIN);
    assert_string_equal(dotted, "");
    assert_string_equal(label, "");
    assert_int_equal(num, 0);
    /* all 12 groups are distinct */
    int seen[64] = {0};
    for (int s = 1; s <= 4; s++)
        for (int d = 1; d <= 3; d++) {
            assert_int_equal(qtr_renewal_group(s, d, &num, label, NULL), QTR_OK);
            assert_true(num > 10 && num < 46);
            assert_int_equal(seen[num], 0);
            seen[num] = 1;
        }
    assert_int_equal(qtr_dynamics_mss_code(QTR_DYN_STABIL), 3);
}

static void test_attention(void **state)
{
    (void)state;
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_NIEDRIG, QTR_DYN_STABIL, 0, NAN),
                     QTR_ATTN_STATUS);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_SEHR_NIEDRIG, QTR_DYN_POSITIV, 0, 1),
                     QTR_ATTN_STATUS);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_MITTEL, QTR_DYN_NEGATIV, 0, 0),
                     QTR_ATTN_DYNAMICS);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_MITTEL, QTR_DYN_STABIL, 1, 2), 0);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_HOCH, QTR_DYN_NEGATIV, 1, 2), 0);
    /* overlay: significantly high LQ, rising share, low status */
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_SEHR_NIEDRIG, QTR_DYN_POSITIV, 1, 0.5),
                     QTR_ATTN_STATUS | QTR_ATTN_SEGREGATION);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_SEHR_NIEDRIG, QTR_DYN_POSITIV, 1, 0.0),
                     QTR_ATTN_STATUS);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_NIEDRIG, QTR_DYN_STABIL, 1, NAN),
                     QTR_ATTN_STATUS);
    assert_int_equal(qtr_renewal_attention(QTR_STATUS_MITTEL, QTR_DYN_NEGATIV, 1, 1),
                     QTR_ATTN_DYNAMICS);
}

static void test_rank(void **state)
{
    (void)state;
    /* status ranks {3,1,5,2,4}, dynamics ranks {2,4,1,5,3};
     * score (3 rs + 2 rd) / 5 = {2.6, 2.2, 3.4, 3.2, 3.6}; worst decile of 5
     * = ceil(0.5) = 1 district: the last one */
    const double si[] = {0.5, -1, 2, 0.1, 1.5};
    const double di[] = {0, 1, -1, 2, 0.5};
    double rs[5], rd[5], sc[5];
    uint8_t fl[5];
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_rank(5, si, di, NULL, rs, rd, sc, fl, &err), QTR_OK);
    const double ers[] = {3, 1, 5, 2, 4}, erd[] = {2, 4, 1, 5, 3};
    const double esc[] = {2.6, 2.2, 3.4, 3.2, 3.6};
    for (int i = 0; i < 5; i++) {
        assert_close(rs[i], ers[i], 0);
        assert_close(rd[i], erd[i], 0);
        assert_close(sc[i], esc[i], 1e-12);
        assert_int_equal(fl[i], i == 4);
    }
    /* ties share the mean rank and a tie at the cut is flagged too;
     * the invalid district is neither ranked nor flagged */
    const double s3[] = {0, 0, NAN};
    const double d3[] = {1, 1, NAN};
    const uint8_t v3[] = {1, 1, 0};
    assert_int_equal(qtr_renewal_rank(3, s3, d3, v3, rs, NULL, sc, fl, &err), QTR_OK);
    assert_close(rs[0], 1.5, 0);
    assert_close(sc[1], 1.5, 1e-15);
    assert_true(isnan(sc[2]));
    assert_int_equal(fl[0], 1);
    assert_int_equal(fl[1], 1);
    assert_int_equal(fl[2], 0);
    /* 11 valid districts: ceil(11/10) = 2 flagged */
    double s11[11], d11[11], sc11[11];
    uint8_t f11[11];
    for (int i = 0; i < 11; i++) {
        s11[i] = i;
        d11[i] = i;
    }
    assert_int_equal(qtr_renewal_rank(11, s11, d11, NULL, NULL, NULL, sc11, f11, &err), QTR_OK);
    for (int i = 0; i < 11; i++)
        assert_int_equal(f11[i], i >= 9);
    const double sbad[] = {0, NAN};
    assert_int_equal(qtr_renewal_rank(2, sbad, d3, NULL, NULL, NULL, sc, fl, &err), QTR_ERR_DATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_class_limits),
        cmocka_unit_test(test_dynamics_class_limits),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_attention),
        cmocka_unit_test(test_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
