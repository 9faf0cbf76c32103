/*
 * test_text.c - encodings (expected bytes from the CP1252 table and RFC 3629 /
 * RFC 2781 examples) and the district-name join key.
 */
#include "test_util.h"

#include "quartier/text.h"

static void test_utf8_valid(void **state)
{
    (void)state;
    size_t off = 99;
    assert_true(qtr_utf8_valid("abc", 3, &off));
    assert_int_equal(off, 3);
    assert_true(qtr_utf8_valid("M\xC3\xBChlenkamp", 11, NULL));
    assert_true(qtr_utf8_valid("\xE2\x82\xAC", 3, NULL));     /* € */
    assert_true(qtr_utf8_valid("\xF0\x9F\x98\x80", 4, NULL)); /* U+1F600 */
    assert_true(qtr_utf8_valid("", 0, NULL));
    assert_false(qtr_utf8_valid("M\xFChlenkamp", 10, &off)); /* CP1252 ü */
    assert_int_equal(off, 1);
    assert_false(qtr_utf8_valid("\xC0\xAF", 2, NULL));         /* overlong '/' */
    assert_false(qtr_utf8_valid("\xE0\x80\xAF", 3, NULL));     /* overlong */
    assert_false(qtr_utf8_valid("\xED\xA0\x80", 3, NULL));     /* surrogate U+D800 */
    assert_false(qtr_utf8_valid("\xF4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
    assert_false(qtr_utf8_valid("ab\xC3", 3, &off));           /* truncated */
    assert_int_equal(off, 2);
    assert_false(qtr_utf8_valid("\x80", 1, NULL)); /* lone continuation */
}

static void test_cp1252(void **state)
{
    (void)state;
    char *s = qtr_cp1252_to_utf8("\xE4\xF6\xFC\xDF\xC4\xD6\xDC", 7);
    assert_non_null(s);
    assert_string_equal(s,
                        "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F\xC3\x84\xC3\x96\xC3\x9C"); /* äöüßÄÖÜ */
    free(s);
    /* 0x80 euro, 0x96 en dash, 0x84 „, 0x93 “, 0x8A Š, 0x9F Ÿ */
    s = qtr_cp1252_to_utf8("\x80\x96\x84\x93\x8A\x9F", 6);
    assert_string_equal(s, "\xE2\x82\xAC\xE2\x80\x93\xE2\x80\x9E\xE2\x80\x9C\xC5\xA0\xC5\xB8");
    free(s);
    /* every byte 0x80-0x9F gives valid UTF-8; the five undefined ones give C1 controls */
    char all[32];
    for (int i = 0; i < 32; i++)
        all[i] = (char)(0x80 + i);
    s = qtr_cp1252_to_utf8(all, 32);
    assert_non_null(s);
    assert_true(qtr_utf8_valid(s, strlen(s), NULL));
    free(s);
    s = qtr_cp1252_to_utf8("\x81\x8D\x8F\x90\x9D", 5);
    assert_string_equal(s, "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
    free(s);
    s = qtr_cp1252_to_utf8("a\0b", 3);
    assert_string_equal(s, "a\xEF\xBF\xBD"
                           "b");
    free(s);
    s = qtr_cp1252_to_utf8("", 0);
    assert_string_equal(s, "");
    free(s);
}

static void test_latin1(void **state)
{
    (void)state;
    char *s = qtr_latin1_to_utf8("\x80\x96\xE4\xFF", 4);
    assert_string_equal(s, "\xC2\x80\xC2\x96\xC3\xA4\xC3\xBF");
    free(s);
}

static void test_utf16(void **state)
{
    (void)state;
    /* "Mü€" + U+1F600 (surrogates D83D DE00) */
    static const char le[] = "M\0\xFC\0\xAC\x20\x3D\xD8\x00\xDE";
    static const char be[] = "\0M\0\xFC\x20\xAC\xD8\x3D\xDE\x00";
    const char *want = "M\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80";
    char *s = qtr_utf16_to_utf8(le, 10, 0);
    assert_string_equal(s, want);
    free(s);
    s = qtr_utf16_to_utf8(be, 10, 1);
    assert_string_equal(s, want);
    free(s);
    /* unpaired high surrogate, lone low surrogate, odd trailing byte */
    s = qtr_utf16_to_utf8("\x3D\xD8"
                          "a\0"
                          "\x00\xDE"
                          "b",
                          7, 0);
    assert_string_equal(s, "\xEF\xBF\xBD"
                           "a\xEF\xBF\xBD\xEF\xBF\xBD");
    free(s);
}

static void assert_key(const char *name, const char *want)
{
    char *k = qtr_name_key(name);
    assert_non_null(k);
    if (strcmp(k, want) != 0)
        fail_msg("key of '%s' is '%s', expected '%s'", name, k, want);
    free(k);
}

static void assert_same_key(const char *a, const char *b)
{
    char *ka = qtr_name_key(a), *kb = qtr_name_key(b);
    assert_non_null(ka);
    assert_non_null(kb);
    if (strcmp(ka, kb) != 0)
        fail_msg("'%s' -> '%s' but '%s' -> '%s'", a, ka, b, kb);
    free(ka);
    free(kb);
}

static void assert_different_key(const char *a, const char *b)
{
    char *ka = qtr_name_key(a), *kb = qtr_name_key(b);
    if (strcmp(ka, kb) == 0)
        fail_msg("'%s' and '%s' both give '%s'", a, b, ka);
    free(ka);
    free(kb);
}

static void test_name_key_umlauts(void **state)
{
    (void)state;
    const char *nfc = "M\xC3\xBChlenkamp";
    const char *nfd = "Mu\xCC\x88hlenkamp";
    assert_key(nfc, "muehlenkamp");
    assert_key(nfd, "muehlenkamp");
    assert_key("Muehlenkamp", "muehlenkamp");
    assert_key("M\xC3\x9CHLENKAMP", "muehlenkamp");
    assert_key("MU\xCC\x88HLENKAMP", "muehlenkamp");
    assert_key("Barmbek-S\xC3\xBC"
               "d",
               "barmbek sued");
    assert_key("Gro\xC3\x9F"
               " Borstel",
               "gross borstel");
    assert_key("GROSS BORSTEL", "gross borstel");
    assert_key("GRO\xE1\xBA\x9E BORSTEL", "gross borstel"); /* capital sharp s U+1E9E */
    assert_key("\xC3\x84"
               "u\xC3\x9F"
               "eres \xC3\x96stliches",
               "aeusseres oestliches");
    assert_same_key("A\xCC\x88rzte", "\xC3\x84rzte");
    /* other accents: NFC and NFD agree and drop the accent */
    assert_same_key("Caf\xC3\xA9", "Cafe\xCC\x81");
    assert_key("Caf\xC3\xA9", "cafe");
    assert_same_key("\xC3\x85"
                    "ngelholm",
                    "A\xCC\x8Angelholm"); /* ring */
    assert_same_key("Fran\xC3\xA7"
                    "ois",
                    "Franc\xCC\xA7ois"); /* cedilla */
    assert_same_key("Espa\xC3\xB1"
                    "a",
                    "Espan\xCC\x83"
                    "a"); /* tilde */
    assert_same_key("\xC4\x8C"
                    "esk\xC3\xBD",
                    "C\xCC\x8C"
                    "esky\xCC\x81"); /* caron, acute */
    assert_same_key("\xC5\xA0"
                    "koda",
                    "S\xCC\x8Ckoda");
    assert_same_key("\xC3\xA0 la", "a\xCC\x80 la"); /* grave */
    /* a diaeresis on a letter other than a/o/u is just dropped */
    assert_same_key("No\xC3\xABl", "Noe\xCC\x88l");
    assert_key("No\xC3\xABl", "noel");
    /* invalid UTF-8 is read as Windows-1252 */
    assert_key("M\xFChlenkamp", "muehlenkamp");
    assert_different_key("Mullenkamp", "M\xC3\xBChlenkamp");
}

static void test_name_key_punctuation(void **state)
{
    (void)state;
    assert_key("  Hamburg-Altstadt  ", "hamburg altstadt");
    assert_same_key("Hamburg-Altstadt", "Hamburg Altstadt");
    assert_same_key("Hamburg\xE2\x80\x93"
                    "Altstadt",
                    "hamburg altstadt"); /* en dash */
    assert_key("Kleiner  Grasbrook\tund\xC2\xA0Steinwerder", "kleiner grasbrook und steinwerder");
    assert_key("St. Georg", "st georg");
    assert_same_key("St. Georg", "Sankt Georg");
    assert_same_key("St.Georg", "SANKT-GEORG");
    assert_same_key("St. Pauli", "Sankt Pauli");
    assert_key("Sankt", "st");
    assert_key("Sanktmarien", "sanktmarien"); /* only the whole word */
    assert_key("Wald-Sankt Peter", "wald st peter");
    assert_same_key("Kaiser's Garten", "Kaiser\xE2\x80\x99s Garten");
    assert_key("Kaiser's Garten", "kaiser s garten");
    assert_key("---", "");
    assert_key("", "");
    assert_null(qtr_name_key(NULL));
    /* different districts must stay different */
    assert_different_key("Eimsb\xC3\xBCttel", "Eilbek");
    assert_different_key("Neustadt", "Neuland");
    assert_different_key("Barmbek-Nord", "Barmbek-S\xC3\xBC"
                                         "d");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid),       cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_latin1),           cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_name_key_umlauts), cmocka_unit_test(test_name_key_punctuation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
