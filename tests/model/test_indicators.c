/* Tests for src/model/indicators.c: SQL indicator expressions over columns. */
#include "test_util.h"

#include "quartier/indicators.h"
#include "quartier/renewal.h"

/* four districts; "SGB II" has no value in district 3, the age group is 0 in
 * district 2 */
static const char *const names[] = {"SGB II", "EW 15 bis 65", "Bevölkerung", "Zahl \"x\""};
static const double sgb[] = {100, 50, -1, 10};
static const double ew[] = {1000, 0, 500, 200};
static const double bev[] = {1, 3, 9, 27};
static const double zx[] = {2, 4, 6, NAN};
static const uint8_t sgb_miss[] = {0, 0, 1, 0};

static int eval(size_t nexpr, const char *const *exprs, double **out, uint8_t **miss,
                struct qtr_error *err)
{
    const double *vals[] = {sgb, ew, bev, zx};
    const uint8_t *m[] = {sgb_miss, NULL, NULL, NULL};
    return qtr_indicators_eval(4, 4, names, vals, m, nexpr, exprs, out, miss, err);
}

static void test_rate_with_zero_denominator(void **state)
{
    (void)state;
    const char *ex[] = {"100.0 * \"SGB II\" / \"EW 15 bis 65\"",
                        "\"Bevölkerung\" / 3   -- one third", "\"Zahl \"\"x\"\"\" + 1",
                        "bev\u00f6lkerung * 2"};
    double o0[4], o1[4], o2[4], o3[4];
    uint8_t m0[4], m1[4], m2[4], m3[4];
    double *out[] = {o0, o1, o2, o3};
    uint8_t *miss[] = {m0, m1, m2, m3};
    struct qtr_error err = {0};
    assert_int_equal(eval(4, ex, out, miss, &err), QTR_OK);
    /* 100 * 100 / 1000 = 10; 50 / 0 is undefined, not 0; no SGB II value */
    assert_close(o0[0], 10, 1e-12);
    assert_int_equal(m0[0], QTR_IND_OK);
    assert_true(isnan(o0[1]));
    assert_int_equal(m0[1], QTR_IND_UNDEFINED);
    assert_true(isnan(o0[2]));
    assert_int_equal(m0[2], QTR_IND_NO_INPUT);
    assert_close(o0[3], 5, 1e-12);
    /* all columns are REAL: 1 / 3 is not an integer division */
    assert_close(o1[0], 1.0 / 3.0, 1e-15);
    assert_close(o1[3], 9, 1e-12);
    /* quotes inside a column name; a NaN input is a missing input */
    assert_close(o2[0], 3, 0);
    assert_int_equal(m2[3], QTR_IND_NO_INPUT);
    /* SQL identifiers ignore ASCII case */
    assert_close(o3[2], 18, 0);
}

static void test_nonfinite_and_order(void **state)
{
    (void)state;
    const char *ex[] = {"\"Bevölkerung\" * 1e308 * 1e10", "NULLIF(\"Bevölkerung\", 9)"};
    double o0[4], o1[4];
    uint8_t m0[4], m1[4];
    double *out[] = {o0, o1};
    uint8_t *miss[] = {m0, m1};
    struct qtr_error err = {0};
    assert_int_equal(eval(2, ex, out, miss, &err), QTR_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(m0[i], QTR_IND_NONFINITE);
    assert_close(o1[0], 1, 0);
    assert_close(o1[1], 3, 0);
    assert_int_equal(m1[2], QTR_IND_UNDEFINED);
    assert_close(o1[3], 27, 0);
}

static void test_errors_name_expression_and_columns(void **state)
{
    (void)state;
    double o[4];
    uint8_t m[4];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    struct qtr_error err = {0};

    const char *syntax[] = {"100 * / \"SGB II\""};
    assert_int_equal(eval(1, syntax, out, miss, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "expression 1 '100 * / \"SGB II\"'"));
    assert_non_null(strstr(err.msg, "columns: SGB II, EW 15 bis 65, Bevölkerung"));

    const char *unknown[] = {"sgb_quote + 1"};
    assert_int_equal(eval(1, unknown, out, miss, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "no such column: sgb_quote"));
    assert_non_null(strstr(err.msg, "EW 15 bis 65"));

    const char *two[] = {"1; DROP TABLE t"};
    assert_int_equal(eval(1, two, out, miss, &err), QTR_ERR_USAGE);
    const char *cols2[] = {"1), (2"};
    assert_int_equal(eval(1, cols2, out, miss, &err), QTR_ERR_USAGE);
    const char *param[] = {"? + 1"};
    assert_int_equal(eval(1, param, out, miss, &err), QTR_ERR_USAGE);
    const char *text[] = {"'viel'"};
    assert_int_equal(eval(1, text, out, miss, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "text"));
    const char *empty[] = {"  "};
    assert_int_equal(eval(1, empty, out, miss, &err), QTR_ERR_USAGE);
}

static void test_bad_column_names(void **state)
{
    (void)state;
    const char *nm[] = {"EW", "ew"};
    const double a[] = {1}, b[] = {2};
    const double *v[] = {a, b};
    const char *ex[] = {"1"};
    double o[1];
    uint8_t m[1];
    double *out[] = {o};
    uint8_t *miss[] = {m};
    struct qtr_error err = {0};
    assert_int_equal(qtr_indicators_eval(1, 2, nm, v, NULL, 1, ex, out, miss, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "'EW' and 'ew'"));
    /* no columns at all: constants still evaluate once per district */
    assert_int_equal(qtr_indicators_eval(1, 0, NULL, NULL, NULL, 1, ex, out, miss, &err), QTR_OK);
    assert_close(o[0], 1, 0);
}

static void test_attention_condition(void **state)
{
    (void)state;
    /* the default condition agrees with the MSS rule in the kernel for all
     * 12 groups; a district without classes is never flagged */
    uint8_t sc[13], dc[13], out[13];
    double si[13];
    for (int s = 1; s <= 4; s++)
        for (int d = 1; d <= 3; d++) {
            sc[(s - 1) * 3 + d - 1] = (uint8_t)s;
            dc[(s - 1) * 3 + d - 1] = (uint8_t)d;
            si[(s - 1) * 3 + d - 1] = s - 2.5;
        }
    sc[12] = dc[12] = 0;
    si[12] = NAN;
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_indicators_attention(13, sc, dc, si, NULL, QTR_ATTENTION_DEFAULT, out, &err), QTR_OK);
    for (int i = 0; i < 12; i++) {
        unsigned want = qtr_renewal_attention(sc[i], dc[i], 0, NAN);
        assert_int_equal(out[i], want != 0);
    }
    assert_int_equal(out[12], 0);
    /* niedrig x3 + sehr niedrig x3 + mittel/negativ = 7 of the 12 groups */
    int cnt = 0;
    for (int i = 0; i < 12; i++)
        cnt += out[i];
    assert_int_equal(cnt, 7);

    /* a custom rule over the index values */
    assert_int_equal(qtr_indicators_attention(13, sc, dc, si, NULL,
                                              "status_index > 0 AND dynamics_class <> 'positiv'",
                                              out, &err),
                     QTR_OK);
    for (int i = 0; i < 12; i++)
        assert_int_equal(out[i], si[i] > 0 && dc[i] != 1);
    assert_int_equal(out[12], 0);

    assert_int_equal(qtr_indicators_attention(13, sc, dc, si, NULL, "status_class", out, &err),
                     QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "gives text"));
    assert_int_equal(qtr_indicators_attention(13, sc, dc, si, NULL, "status = 'hoch'", out, &err),
                     QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "no such column: status"));
    assert_non_null(strstr(err.msg, "status_class, dynamics_class"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_with_zero_denominator),
        cmocka_unit_test(test_nonfinite_and_order),
        cmocka_unit_test(test_errors_name_expression_and_columns),
        cmocka_unit_test(test_bad_column_names),
        cmocka_unit_test(test_attention_condition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
