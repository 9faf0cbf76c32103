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

static void test_citywide_rate(void **state)
{
    (void)state;
    /* pooled: 100 * (10 + 30 + 5) / (100 + 100 + 0) = 22.5 %, not a mean of
     * district rates (the district with denominator 0 has no rate of its own
     * but its 5 cases count); the NaN district is left out and counted */
    const double num[] = {10, 30, NAN, 5};
    const double den[] = {100, 100, 50, 0};
    double v;
    size_t skipped = 9;
    struct qtr_error err = {0};
    assert_int_equal(qtr_goal_citywide_rate(4, num, den, 100, &v, &skipped, &err), QTR_OK);
    assert_close(v, 100.0 * 45 / 200, 1e-12);
    assert_int_equal(skipped, 1);
    const double zero[] = {0, 0};
    assert_int_equal(qtr_goal_citywide_rate(2, num, zero, 100, &v, NULL, &err), QTR_ERR_DOMAIN);
    assert_true(isnan(v));
    const double neg[] = {-1, 3};
    assert_int_equal(qtr_goal_citywide_rate(2, neg, den, 100, &v, NULL, &err), QTR_ERR_DATA);
    /* citywide goal: 22.5 % in 2020 -> 15 % in 2030; 20 % in 2024 is behind
     * the path (22.5 - 0.4 * 7.5 = 19.5 %): off track */
    const struct qtr_goal g = {2020, 15, 2030, 0};
    int s;
    double path;
    assert_int_equal(qtr_goal_assess(&g, 22.5, 20, 2024, &s, &path, &err), QTR_OK);
    assert_close(path, 19.5, 1e-12);
    assert_int_equal(s, QTR_GOAL_OFF_TRACK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lower_better),
        cmocka_unit_test(test_higher_better),
        cmocka_unit_test(test_errors_and_districts),
        cmocka_unit_test(test_citywide_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
