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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_normalize),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
