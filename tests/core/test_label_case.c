/* Labels inside English sentences (label_case.c, issue 10): ordinary capitalised first words
 * become lower case, German, acronyms, codes and proper names stay as written. */
#include "test_util.h"

#include "quartier/label_case.h"

static void test_label_in_sentence(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(qtr_label_in_sentence(1, "Foreign nationals", b, sizeof b),
                        "foreign nationals");
    assert_string_equal(qtr_label_in_sentence(1, "Unemployment", b, sizeof b), "unemployment");
    assert_string_equal(qtr_label_in_sentence(1, "Child poverty", b, sizeof b), "child poverty");
    /* proper names and nationalities keep their capital */
    assert_string_equal(qtr_label_in_sentence(1, "Germans with migration background", b, sizeof b),
                        "Germans with migration background");
    assert_string_equal(qtr_label_in_sentence(1, "Turkish nationals", b, sizeof b),
                        "Turkish nationals");
    /* acronyms, codes, one letter, not a capital */
    assert_string_equal(qtr_label_in_sentence(1, "SGB II recipients", b, sizeof b),
                        "SGB II recipients");
    assert_string_equal(qtr_label_in_sentence(1, "EU citizens", b, sizeof b), "EU citizens");
    assert_string_equal(qtr_label_in_sentence(1, "D", b, sizeof b), "D");
    assert_string_equal(qtr_label_in_sentence(1, "mh", b, sizeof b), "mh");
    /* German stays as written */
    assert_string_equal(qtr_label_in_sentence(0, "Ausländerinnen und Ausländer", b, sizeof b),
                        "Ausländerinnen und Ausländer");
    assert_string_equal(qtr_label_in_sentence(0, "Kinderarmut", b, sizeof b), "Kinderarmut");
    assert_string_equal(qtr_label_in_sentence(1, NULL, b, sizeof b), "");
    /* cut to the buffer, still a string */
    assert_string_equal(qtr_label_in_sentence(1, "Vacancy rate", b, 5), "vaca");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_in_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
