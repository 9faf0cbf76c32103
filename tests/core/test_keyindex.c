#include "test_util.h"

#include <stdlib.h>

#include "quartier/keyindex.h"

/* Every key finds the lowest input index holding it; absent keys find -1. The expected
 * indices are read off the array by hand. */
static void test_find_first_of_equal_keys(void **state)
{
    (void)state;
    char *keys[] = {"0102", "0101", "0103", "0101", "", "0102", "0101"};
    size_t n = sizeof keys / sizeof *keys;
    struct qtr_keyidx *ix = qtr_keyidx_build(keys, n);
    assert_non_null(ix);
    assert_int_equal(qtr_keyidx_find(ix, n, "0101"), 1);
    assert_int_equal(qtr_keyidx_find(ix, n, "0102"), 0);
    assert_int_equal(qtr_keyidx_find(ix, n, "0103"), 2);
    assert_int_equal(qtr_keyidx_find(ix, n, ""), 4);
    assert_int_equal(qtr_keyidx_find(ix, n, "0100"), -1);
    assert_int_equal(qtr_keyidx_find(ix, n, "01"), -1);
    assert_int_equal(qtr_keyidx_find(ix, n, "0104"), -1);
    assert_int_equal(qtr_keyidx_find(ix, n, "01010"), -1);
    /* a key repeated later finds its first holder, not itself: how callers spot repeats */
    size_t repeats = 0;
    for (size_t i = 0; i < n; i++)
        repeats += (size_t)qtr_keyidx_find(ix, n, keys[i]) != i;
    assert_int_equal(repeats, 3);
    /* sorted by key, ties in input order */
    for (size_t e = 1; e < n; e++) {
        int c = strcmp(ix[e - 1].k, ix[e].k);
        assert_true(c < 0 || (c == 0 && ix[e - 1].i < ix[e].i));
    }
    free(ix);
}

/* Byte order, not a locale's: upper case before lower case, UTF-8 umlauts after ASCII. */
static void test_byte_order(void **state)
{
    (void)state;
    char *keys[] = {"b", "\xc3\xa4", "B", "a"};
    struct qtr_keyidx *ix = qtr_keyidx_build(keys, 4);
    assert_non_null(ix);
    assert_string_equal(ix[0].k, "B");
    assert_string_equal(ix[1].k, "a");
    assert_string_equal(ix[2].k, "b");
    assert_string_equal(ix[3].k, "\xc3\xa4");
    assert_int_equal(qtr_keyidx_find(ix, 4, "\xc3\xa4"), 1);
    assert_int_equal(qtr_keyidx_find(ix, 4, "A"), -1);
    free(ix);
}

/* An empty index is a valid allocation that finds nothing. */
static void test_empty(void **state)
{
    (void)state;
    struct qtr_keyidx *ix = qtr_keyidx_build(NULL, 0);
    assert_non_null(ix);
    assert_int_equal(qtr_keyidx_find(ix, 0, "x"), -1);
    free(ix);
}

/* Many keys, each held twice: the lower of the two indices is found (a property over a
 * larger array, where the binary search takes many steps). */
static void test_many_pairs(void **state)
{
    (void)state;
    enum { N = 1000 };
    char buf[2 * N][8];
    char *keys[2 * N];
    for (size_t i = 0; i < 2 * N; i++)
        keys[i] = buf[i];
    /* key j at index (7 j) mod N and again at N + ((11 j) mod N): 7 and 11 are prime to N */
    for (size_t j = 0; j < N; j++) {
        snprintf(buf[(7 * j) % N], sizeof buf[0], "k%04zu", j);
        snprintf(buf[N + (11 * j) % N], sizeof buf[0], "k%04zu", j);
    }
    struct qtr_keyidx *ix = qtr_keyidx_build(keys, 2 * N);
    assert_non_null(ix);
    for (size_t j = 0; j < N; j++) {
        char k[8];
        snprintf(k, sizeof k, "k%04zu", j);
        assert_int_equal(qtr_keyidx_find(ix, 2 * N, k), (long)((7 * j) % N));
    }
    assert_int_equal(qtr_keyidx_find(ix, 2 * N, "k1000"), -1);
    free(ix);
}

/* Entries the caller fills (a subset, with its own indices) sort like a built index. */
static void test_sort_subset(void **state)
{
    (void)state;
    /* rows 1 and 3 are left out (note rows in the join); the entries carry the row numbers */
    struct qtr_keyidx ix[] = {{"b", 0}, {"a", 2}, {"b", 4}, {"a", 5}};
    qtr_keyidx_sort(ix, 4);
    assert_string_equal(ix[0].k, "a");
    assert_int_equal(ix[0].i, 2);
    assert_int_equal(ix[1].i, 5);
    assert_int_equal(ix[2].i, 0);
    assert_int_equal(ix[3].i, 4);
    assert_int_equal(qtr_keyidx_find(ix, 4, "a"), 2);
    assert_int_equal(qtr_keyidx_find(ix, 4, "b"), 0);
    assert_int_equal(qtr_keyidx_find(ix, 4, "c"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_first_of_equal_keys),
        cmocka_unit_test(test_byte_order),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_many_pairs),
        cmocka_unit_test(test_sort_subset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
