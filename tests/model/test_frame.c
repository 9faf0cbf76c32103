/* Computed columns: one function adds them, with their role, and refuses name clashes. */
#include "../test_util.h"

#include "quartier/frame.h"

#define S(x) ((char *)(x))

static void test_clash_refused(void **state)
{
    (void)state;
    char *keys[] = {S("01"), S("02")};
    struct qtr_frame *f = qtr_frame_new(2, keys, keys);
    assert_non_null(f);
    assert_non_null(qtr_frame_add_column(f, "mh_share", "ew", 0)); /* a table's column */
    struct qtr_error err = {0};
    /* the share of group mh clashes with the table's column */
    assert_null(qtr_frame_add_computed(f, "mh_share", QTR_ROLE_SHARE, "mh", "%", 0,
                                       "[group mh]", &err));
    assert_int_equal(err.code, QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "'mh_share'"));
    assert_non_null(strstr(err.msg, "ew"));
    assert_non_null(strstr(err.msg, "[group mh]"));
    assert_int_equal(f->ncols, 1);
    /* a computed column is added with its role, group and unit */
    qtr_error_clear(&err);
    struct qtr_column *c =
        qtr_frame_add_computed(f, "mh_lq", QTR_ROLE_LQ, "mh", NULL, 0, "[group mh]", &err);
    assert_non_null(c);
    assert_int_equal(c->role, QTR_ROLE_LQ);
    assert_string_equal(c->of, "mh");
    assert_null(c->unit);
    assert_string_equal(c->origin, "quartier");
    assert_ptr_equal(qtr_frame_find_role(f, QTR_ROLE_LQ, "mh"), c);
    assert_null(qtr_frame_find_role(f, QTR_ROLE_LQ, "other"));
    /* and twice the same computed name (two ids that give one column) is refused too */
    assert_null(qtr_frame_add_computed(f, "mh_lq", QTR_ROLE_INDICATOR, "mh_lq", NULL, 0,
                                       "[indicator mh_lq]", &err));
    assert_int_equal(err.code, QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "already made"));
    qtr_frame_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clash_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
