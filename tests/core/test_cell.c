/*
 * test_cell.c - German statistical cell conventions, each with a hand-written
 * expectation (values from the Hamburg Stadtteilprofile 2014 CSV and the
 * DESTATIS Zeichenerklärung).
 */
#include "test_util.h"

#include "quartier/cell.h"

static const struct qtr_number_format COMMA = {','};
static const struct qtr_number_format POINT = {'.'};

static void want_value(const char *text, struct qtr_number_format fmt, double v, int footnote)
{
    struct qtr_cell c = qtr_cell_parse(text, fmt);
    if (c.kind != QTR_CELL_VALUE)
        fail_msg("'%s' (mark '%c'): kind %s, expected value %g", text, fmt.decimal_mark,
                 qtr_cell_kind_name(c.kind), v);
    assert_false(isnan(c.value));
    assert_close(c.value, v, 1e-12 * (fabs(v) + 1));
    if (c.footnote != footnote)
        fail_msg("'%s': footnote %d, expected %d", text, c.footnote, footnote);
}

static void want_kind(const char *text, struct qtr_number_format fmt, enum qtr_cell_kind kind)
{
    struct qtr_cell c = qtr_cell_parse(text, fmt);
    if (c.kind != kind)
        fail_msg("'%s' (mark '%c'): kind %s, expected %s", text ? text : "(null)",
                 fmt.decimal_mark, qtr_cell_kind_name(c.kind), qtr_cell_kind_name(kind));
    if (kind == QTR_CELL_ZERO)
        assert_close(c.value, 0.0, 0.0);
    else if (kind != QTR_CELL_VALUE)
        assert_true(isnan(c.value));
}

static void test_hamburg_examples(void **state)
{
    (void)state;
    want_value(" 1 675    ", COMMA, 1675, 0);
    want_value(" 9,7    ", COMMA, 9.7, 0);
    want_value("-  123", COMMA, -123, 0);
    want_value("-  23    ", COMMA, -23, 0);
    want_value(" 12 301    ", COMMA, 12301, 0);
    want_value(" 1 788 994    ", COMMA, 1788994, 0);
    want_kind(".", COMMA, QTR_CELL_SECRET);
    want_kind(" .    ", COMMA, QTR_CELL_SECRET);
    want_kind("-", COMMA, QTR_CELL_ZERO);
    want_kind(" -    ", COMMA, QTR_CELL_ZERO);
}

static void test_decimal_and_thousands(void **state)
{
    (void)state;
    want_value("1.234", COMMA, 1234, 0);
    want_value("1.234", POINT, 1.234, 0);
    want_value("1.234,5", COMMA, 1234.5, 0);
    want_value("1,234.5", POINT, 1234.5, 0);
    want_value("12.345.678", COMMA, 12345678, 0);
    want_value("1,500", POINT, 1500, 0);
    want_kind("1,5", POINT, QTR_CELL_INVALID);
    want_value("1,5", COMMA, 1.5, 0);
    want_value("0,25", COMMA, 0.25, 0);
    want_value(",5", COMMA, 0.5, 0);
    want_value("1675", COMMA, 1675, 0);
    want_value("1234567", POINT, 1234567, 0);
    /* blanks as thousands separators: ASCII, U+00A0, U+202F */
    want_value("1 234 567", POINT, 1234567, 0);
    want_value("1\xC2\xA0"
               "234,5",
               COMMA, 1234.5, 0);
    want_value("1\xE2\x80\xAF"
               "234",
               COMMA, 1234, 0);
    /* groups must have exactly three digits, one kind of separator */
    want_kind("1.23", COMMA, QTR_CELL_INVALID);
    want_kind("1.2345", COMMA, QTR_CELL_INVALID);
    want_kind("1234.567", COMMA, QTR_CELL_INVALID);
    want_kind("1 23", COMMA, QTR_CELL_INVALID);
    want_kind("1.234 567", COMMA, QTR_CELL_INVALID);
    want_kind("1,2,3", COMMA, QTR_CELL_INVALID);
    want_kind("1,", COMMA, QTR_CELL_INVALID);
    want_kind("1.", POINT, QTR_CELL_INVALID);
    /* the thousands character is never the decimal mark */
    want_kind("9,75", POINT, QTR_CELL_INVALID);
    want_value("9.6999999999999993", POINT, 9.7, 0);
    want_kind("9.6999999999999993", COMMA, QTR_CELL_INVALID);
}

static void test_signs(void **state)
{
    (void)state;
    want_value("- 1.234,5", COMMA, -1234.5, 0);
    want_value("\xE2\x88\x92"
               "123",
               COMMA, -123, 0); /* U+2212 MINUS SIGN */
    want_value("\xE2\x88\x92 1 234", COMMA, -1234, 0);
    want_value("+17", COMMA, 17, 0);
    want_value("+ 2,5", COMMA, 2.5, 0);
    want_value("-0", COMMA, 0, 0);
    struct qtr_cell c = qtr_cell_parse("-0", COMMA);
    assert_false(signbit(c.value));
    want_kind("--1", COMMA, QTR_CELL_INVALID);
    want_kind("1-", COMMA, QTR_CELL_INVALID);
}

static void test_scientific(void **state)
{
    (void)state;
    want_value("1.5e3", POINT, 1500, 0);
    want_value("2E-2", POINT, 0.02, 0);
    want_value("-3.25e+1", POINT, -32.5, 0);
    want_kind("1e", POINT, QTR_CELL_INVALID);
    want_kind("1,000e3", POINT, QTR_CELL_INVALID);
    want_kind("1e999", POINT, QTR_CELL_INVALID); /* overflow is not a value */
    want_kind("nan", POINT, QTR_CELL_INVALID);
    want_kind("inf", POINT, QTR_CELL_INVALID);
    want_kind("NaN", COMMA, QTR_CELL_INVALID);
}

static void test_marks(void **state)
{
    (void)state;
    want_kind("", COMMA, QTR_CELL_MISSING);
    want_kind("   ", COMMA, QTR_CELL_MISSING);
    want_kind(NULL, COMMA, QTR_CELL_MISSING);
    want_kind("\xE2\x80\x93", COMMA, QTR_CELL_ZERO); /* en dash */
    want_kind("\xE2\x80\x94", COMMA, QTR_CELL_ZERO); /* em dash */
    want_kind("x", COMMA, QTR_CELL_NOT_MEANINGFUL);
    want_kind(" X ", COMMA, QTR_CELL_NOT_MEANINGFUL);
    want_kind("/", COMMA, QTR_CELL_UNRELIABLE);
    want_kind("\xE2\x80\xA6", COMMA, QTR_CELL_LATER); /* horizontal ellipsis */
    want_kind("...", COMMA, QTR_CELL_LATER);
    want_kind("*", COMMA, QTR_CELL_SUPPRESSED);
    want_kind("..", COMMA, QTR_CELL_INVALID);
    want_kind("abc", COMMA, QTR_CELL_INVALID);
    want_kind("12abc", COMMA, QTR_CELL_INVALID);
    want_kind("Hamburg-Altstadt", COMMA, QTR_CELL_INVALID);
}

static void test_footnotes(void **state)
{
    (void)state;
    want_value("123\xC2\xB9", COMMA, 123, 1);     /* 123¹ */
    want_value("1 675\xC2\xB2", COMMA, 1675, 1);  /* 1 675² */
    want_value("9,7 \xC2\xB3", COMMA, 9.7, 1);    /* 9,7 ³ */
    want_value("123\xE2\x81\xB4", COMMA, 123, 1); /* 123⁴ */
    want_value("1.234 p", COMMA, 1234, 1);
    want_value("56,1 r", COMMA, 56.1, 1);
    want_value("7 s", COMMA, 7, 1);
    want_value("7 e", POINT, 7, 1);
    want_value("(123)", COMMA, 123, 1);
    want_value(" ( 1 234,5 ) ", COMMA, 1234.5, 1);
    want_value("(-12)", COMMA, -12, 1);
    want_value("(123)\xC2\xB9", COMMA, 123, 1);
    want_kind(".\xC2\xB9", COMMA, QTR_CELL_SECRET);
    struct qtr_cell c = qtr_cell_parse(".\xC2\xB9", COMMA);
    assert_int_equal(c.footnote, 1);
    /* letters glued to the number or not a footnote letter */
    want_kind("123p", COMMA, QTR_CELL_INVALID);
    want_kind("123 q", COMMA, QTR_CELL_INVALID);
    want_kind("()", COMMA, QTR_CELL_INVALID);
    want_kind("\xC2\xB9", COMMA, QTR_CELL_INVALID);
    c = qtr_cell_parse("123 q", COMMA);
    assert_int_equal(c.footnote, 0);
}

static void test_classes_and_names(void **state)
{
    (void)state;
    assert_int_equal(qtr_cell_class_of(QTR_CELL_VALUE), QTR_CLASS_VALUE);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_ZERO), QTR_CLASS_ZERO);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_SECRET), QTR_CLASS_SUPPRESSED);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_UNRELIABLE), QTR_CLASS_SUPPRESSED);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_SUPPRESSED), QTR_CLASS_SUPPRESSED);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_MISSING), QTR_CLASS_MISSING);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_NOT_MEANINGFUL), QTR_CLASS_MISSING);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_LATER), QTR_CLASS_MISSING);
    assert_int_equal(qtr_cell_class_of(QTR_CELL_INVALID), QTR_CLASS_MISSING);
    for (int k = 0; k < QTR_CELL_KIND_COUNT; k++)
        assert_string_not_equal(qtr_cell_kind_name((enum qtr_cell_kind)k), "unknown");
    for (int k = 0; k < QTR_CLASS_COUNT; k++)
        assert_string_not_equal(qtr_cell_class_name((enum qtr_cell_class)k), "unknown");
    assert_string_equal(qtr_cell_kind_name(QTR_CELL_SECRET), "secret (.)");
    assert_string_equal(qtr_cell_class_name(QTR_CLASS_ZERO), "true zeros");
}

static void test_guess_decimal_mark(void **state)
{
    (void)state;
    const char *hamburg[] = {"Hamburg-Altstadt", " 1 675    ", " 9,7    ", "-  123", ".", "-"};
    assert_int_equal(qtr_guess_decimal_mark(hamburg, 6, '.'), ',');
    const char *english[] = {"1,234.5", "9.75", "12"};
    assert_int_equal(qtr_guess_decimal_mark(english, 3, ','), '.');
    /* "1.234" and "1,234" read both ways: no evidence, fallback wins */
    const char *ambiguous[] = {"1.234", "1,234", "17", "."};
    assert_int_equal(qtr_guess_decimal_mark(ambiguous, 4, ','), ',');
    assert_int_equal(qtr_guess_decimal_mark(ambiguous, 4, '.'), '.');
    assert_int_equal(qtr_guess_decimal_mark(NULL, 0, ','), ',');
    /* majority decides when both appear */
    const char *mixed[] = {"9,7", "1,5", "2.25"};
    assert_int_equal(qtr_guess_decimal_mark(mixed, 3, '.'), ',');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hamburg_examples),
        cmocka_unit_test(test_decimal_and_thousands),
        cmocka_unit_test(test_signs),
        cmocka_unit_test(test_scientific),
        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_footnotes),
        cmocka_unit_test(test_classes_and_names),
        cmocka_unit_test(test_guess_decimal_mark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
