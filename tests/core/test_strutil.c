#include "test_util.h"

#include "quartier/strutil.h"

static void check_norm(const char *in, const char *want)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", in);
    assert_string_equal(qtr_path_normalize(buf), want);
}

static void test_path_normalize(void **state)
{
    (void)state;
    check_norm("/a/b/../c", "/a/c");
    check_norm("/work/main/geodata/berlin/../../../shared/data/x.csv", "/work/shared/data/x.csv");
    check_norm("a/./b//c/", "a/b/c");
    check_norm("../x/../y", "../y");
    check_norm("a/..", ".");
    check_norm("/..", "/");
    check_norm("/", "/");
}

static void test_trim(void **state)
{
    (void)state;
    char s[] = "\xc2\xa0 1 675 \t\xe2\x80\xaf";
    assert_string_equal(qtr_trim_inplace(s), "1 675");
    size_t n;
    const char *p = qtr_trim_span("  x ", &n);
    assert_int_equal(n, 1);
    assert_int_equal(p[0], 'x');
}

static void test_buf(void **state)
{
    (void)state;
    struct qtr_buf b = {0};
    for (int i = 0; i < 1000; i++)
        assert_int_equal(qtr_buf_printf(&b, "%d,", i % 10), 0);
    assert_int_equal(b.len, 2000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    qtr_buf_release(&b);
    assert_null(b.data);
}

/* did-you-mean: normalised names first, then by edit distance, at most `max`, none when far */
static void test_closest_names(void **state)
{
    (void)state;
    const char *cols[] = {"Arbeitslose 2019",
                          "Arbeitslose_2020",
                          NULL,
                          "Einwohner",
                          "\u00dcberg\u00e4nge aufs Gymnasium",
                          "status_class",
                          "dynamics_class"};
    size_t idx[3], n = 99;

    /* a trailing blank and case: distance 0 to "Arbeitslose 2019"; "Arbeitslose_2020"
     * is 1 edit away (the key reads '_' as a blank); nothing else is close */
    assert_int_equal(qtr_closest_names("ARBEITSLOSE 2019 ", cols, 7, 3, idx, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);

    /* NFD umlauts and a trailing blank: distance 0 */
    assert_int_equal(qtr_closest_names("U\u0308bergange aufs Gymnasium ", cols, 7, 3, idx, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(idx[0], 4);
    /* "Ue" for "Ü" is the same key; "gnge" for "gänge" is 2 edits (the key has "ae") */
    assert_int_equal(qtr_closest_names("Uebergnge aufs Gymnasium", cols, 7, 3, idx, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(idx[0], 4);

    /* "status_klasse" -> "status class" is 2 edits (k->c, drop e); "dynamics_class"
     * is 8 edits from it, more than 14 / 3 */
    assert_int_equal(qtr_closest_names("status_klasse", cols, 7, 3, idx, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(idx[0], 5);

    /* a word unlike every name: no suggestion */
    assert_int_equal(qtr_closest_names("niedrig", cols, 7, 3, idx, &n), 0);
    assert_int_equal(n, 0);
    /* an empty key matches nothing */
    assert_int_equal(qtr_closest_names(" _ ", cols, 7, 3, idx, &n), 0);
    assert_int_equal(n, 0);

    /* at most max, closest first, ties in candidate order: "a1".."a5" are all 1 edit
     * from "a", "ab" too; the exact "A" comes first */
    const char *many[] = {"a1", "a2", "xyzw", "A", "a3", "a4"};
    size_t two[2];
    assert_int_equal(qtr_closest_names("a", many, 6, 2, two, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(two[0], 3);
    assert_int_equal(two[1], 0);
    assert_int_equal(qtr_closest_names("a", many, 6, 3, idx, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(idx[0], 3);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_normalize),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_closest_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
