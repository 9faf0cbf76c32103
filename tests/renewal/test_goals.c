/* Tests for src/renewal/goals.c: met / on track / off track on a linear path. */
#include "test_util.h"

#include "quartier/goals.h"

static void test_lower_better(void **state)
{
    (void)state;
    /* 20 % in 2020 -> 10 % in 2030: the path is at 15 % in 2025 */
    const struct qtr_goal g = {2020, 10, 2030, 0};
    int s;
    double p;
    struct qtr_error err = {0};
    assert_int_equal(qtr_goal_assess(&g, 20, 14, 2025, &s, &p, &err), QTR_OK);
    assert_close(p, 15, 1e-12);
    assert_int_equal(s, QTR_GOAL_ON_TRACK);
    assert_int_equal(qtr_goal_assess(&g, 20, 15, 2025, &s, &p, &err), QTR_OK);
    assert_int_equal(s, QTR_GOAL_ON_TRACK); /* exactly on the path */
    assert_int_equal(qtr_goal_assess(&g, 20, 15.01, 2025, &s, &p, &err), QTR_OK);
    assert_int_equal(s, QTR_GOAL_OFF_TRACK);
    assert_int_equal(qtr_goal_assess(&g, 20, 10, 2022, &s, &p, &err), QTR_OK);
    assert_int_equal(s, QTR_GOAL_MET);
    /* after the target year the path stays at the target */
    assert_int_equal(qtr_goal_assess(&g, 20, 10.5, 2032, &s, &p, &err), QTR_OK);
    assert_close(p, 10, 1e-12);
    assert_int_equal(s, QTR_GOAL_OFF_TRACK);
    assert_string_equal(qtr_goal_state_name(s, 0), "nicht auf Kurs");
}

static void test_higher_better(void **state)
{
    (void)state;
    /* 50 -> 70 over 2020..2030: path 58 in 2024 */
    const struct qtr_goal g = {2020, 70, 2030, 1};
    int s;
    double p;
    struct qtr_error err = {0};
    assert_int_equal(qtr_goal_assess(&g, 50, 58, 2024, &s, &p, &err), QTR_OK);
    assert_close(p, 58, 1e-12);
    assert_int_equal(s, QTR_GOAL_ON_TRACK);
    assert_int_equal(qtr_goal_assess(&g, 50, 57.9, 2024, &s, &p, &err), QTR_OK);
    assert_int_equal(s, QTR_GOAL_OFF_TRACK);
    assert_int_equal(qtr_goal_assess(&g, 50, 71, 2024, &s, &p, &err), QTR_OK);
    assert_int_equal(s, QTR_GOAL_MET);
    assert_string_equal(qtr_goal_state_name(QTR_GOAL_MET, 1), "met");
}

static void test_errors_and_districts(void **state)
{
    (void)state;
    int s;
    struct qtr_error err = {0};
    const struct qtr_goal bad = {2020, 10, 2020, 0};
    assert_int_equal(qtr_goal_assess(&bad, 20, 14, 2025, &s, NULL, &err), QTR_ERR_USAGE);
    const struct qtr_goal g = {2020, 10, 2030, 0};
    assert_int_equal(qtr_goal_assess(&g, 20, 14, 2019, &s, NULL, &err), QTR_ERR_USAGE);
    assert_int_equal(qtr_goal_assess(&g, 20, NAN, 2025, &s, NULL, &err), QTR_ERR_DATA);
    assert_int_equal(s, QTR_GOAL_UNKNOWN);

    const double base[] = {20, 20, NAN, 12};
    const double cur[] = {14, 16, 12, 11.5};
    uint8_t st[4];
    double path[4];
    size_t unk = 9;
    assert_int_equal(qtr_goal_assess_n(&g, 4, base, cur, 2025, st, path, &unk, &err), QTR_OK);
    assert_int_equal(st[0], QTR_GOAL_ON_TRACK);
    assert_int_equal(st[1], QTR_GOAL_OFF_TRACK);
    assert_int_equal(st[2], QTR_GOAL_UNKNOWN);
    /* district baseline 12: path 11 in 2025, 11.5 is behind it */
    assert_close(path[3], 11, 1e-12);
    assert_int_equal(st[3], QTR_GOAL_OFF_TRACK);
    assert_int_equal(unk, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lower_better),
        cmocka_unit_test(test_higher_better),
        cmocka_unit_test(test_errors_and_districts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
