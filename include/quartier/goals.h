/*
 * goals.h - targets per action field: is a goal met, on track or off track?
 *
 * A goal says: from `baseline_value` in `baseline_year` the indicator shall
 * reach `target_value` by `target_year`. The expected path is the straight
 * line between the two. At the current year a goal is
 *   met        when the current value is at least as good as the target,
 *   on track   when it is at least as good as the path at the current year
 *              (after the target year the path stays at the target),
 *   off track  otherwise.
 * "At least as good" is >= for higher_better indicators, <= otherwise; equal
 * counts as good.
 * Pure kernels, no I/O.
 */
#ifndef QUARTIER_GOALS_H
#define QUARTIER_GOALS_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"

enum qtr_goal_state {
    QTR_GOAL_UNKNOWN = 0, /* no current or baseline value */
    QTR_GOAL_MET = 1,
    QTR_GOAL_ON_TRACK = 2,
    QTR_GOAL_OFF_TRACK = 3
};

struct qtr_goal {
    double baseline_year; /* years may be fractional (2020.5) */
    double target_value;
    double target_year; /* must be after baseline_year */
    int higher_better;  /* 1: a higher value is better; 0: lower is better */
};

/**
 * Assess one value (citywide, or one district): baseline_value at the goal's
 * baseline year, current_value at current_year (>= baseline_year).
 * *state_out gets an enum qtr_goal_state; path_out (may be NULL) the value on
 * the linear path at current_year.
 * Errors: QTR_ERR_USAGE when target_year <= baseline_year or current_year <
 * baseline_year or a year/target is not finite; QTR_ERR_DATA when the baseline
 * or current value is missing (NaN) (state UNKNOWN).
 */
int qtr_goal_assess(const struct qtr_goal *goal, double baseline_value, double current_value,
                    double current_year, int *state_out, double *path_out, struct qtr_error *err);

/**
 * Assess the same goal for n districts (baseline[i], current[i]); a NaN value
 * gives QTR_GOAL_UNKNOWN for that district (counted in *nunknown_out, may be
 * NULL), not an error. state_out (n) caller-allocated; path_out (n) may be NULL.
 * Errors: QTR_ERR_USAGE for an inconsistent goal, as qtr_goal_assess.
 */
int qtr_goal_assess_n(const struct qtr_goal *goal, size_t n, const double *baseline,
                      const double *current, double current_year, uint8_t *state_out,
                      double *path_out, size_t *nunknown_out, struct qtr_error *err);

/** "erreicht"/"met", "auf Kurs"/"on track", "nicht auf Kurs"/"off track", "unbekannt"/"unknown". */
const char *qtr_goal_state_name(int state, int english);

/**
 * Citywide value of a rate for a citywide goal: scale * sum(numerator) /
 * sum(denominator) over the districts where both are present (a rate's
 * citywide value is the pooled rate, not the mean of the district rates).
 * Districts with a missing (NaN) numerator or denominator are left out and
 * counted in *nskipped_out (may be NULL). Compensated sums.
 * Errors: QTR_ERR_DOMAIN when the pooled denominator is 0 or no district has
 * both values; QTR_ERR_DATA for a negative count.
 */
int qtr_goal_citywide_rate(size_t n, const double *numerator, const double *denominator,
                           double scale, double *out, size_t *nskipped_out, struct qtr_error *err);

#endif
