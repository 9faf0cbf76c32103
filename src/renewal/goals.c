/*
 * goals.c - goal assessment on a linear path from baseline to target.
 */
#include "quartier/goals.h"

#include "quartier/ksum.h"

#include <math.h>

static int check_goal(const struct qtr_goal *g, double current_year, struct qtr_error *err)
{
    if (!isfinite(g->baseline_year) || !isfinite(g->target_year) || !isfinite(g->target_value) ||
        !isfinite(current_year))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "a target needs a finite value, target year, baseline year and "
                             "current year");
    if (!(g->target_year > g->baseline_year))
        return qtr_error_set(err, QTR_ERR_USAGE, "target year %g is not after the baseline year %g",
                             g->target_year, g->baseline_year);
    if (current_year < g->baseline_year)
        return qtr_error_set(err, QTR_ERR_USAGE, "current year %g is before the baseline year %g",
                             current_year, g->baseline_year);
    return QTR_OK;
}

/* a at least as good as b */
static int as_good(double a, double b, int higher_better)
{
    return higher_better ? a >= b : a <= b;
}

static int assess(const struct qtr_goal *g, double base, double cur, double year, double *path)
{
    double t = year > g->target_year ? g->target_year : year;
    double p = base + (g->target_value - base) * (t - g->baseline_year) /
                          (g->target_year - g->baseline_year);
    *path = p;
    if (as_good(cur, g->target_value, g->higher_better))
        return QTR_GOAL_MET;
    if (as_good(cur, p, g->higher_better))
        return QTR_GOAL_ON_TRACK;
    return QTR_GOAL_OFF_TRACK;
}

int qtr_goal_assess(const struct qtr_goal *goal, double baseline_value, double current_value,
                    double current_year, int *state_out, double *path_out, struct qtr_error *err)
{
    *state_out = QTR_GOAL_UNKNOWN;
    if (path_out)
        *path_out = NAN;
    int rc = check_goal(goal, current_year, err);
    if (rc)
        return rc;
    if (!isfinite(baseline_value) || !isfinite(current_value))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "the %s value is missing: the goal cannot be assessed",
                             isfinite(baseline_value) ? "current" : "baseline");
    double p;
    *state_out = assess(goal, baseline_value, current_value, current_year, &p);
    if (path_out)
        *path_out = p;
    return QTR_OK;
}

int qtr_goal_assess_n(const struct qtr_goal *goal, size_t n, const double *baseline,
                      const double *current, double current_year, uint8_t *state_out,
                      double *path_out, size_t *nunknown_out, struct qtr_error *err)
{
    int rc = check_goal(goal, current_year, err);
    if (rc)
        return rc;
    size_t unknown = 0;
    for (size_t i = 0; i < n; i++) {
        double p = NAN;
        if (isfinite(baseline[i]) && isfinite(current[i])) {
            state_out[i] = (uint8_t)assess(goal, baseline[i], current[i], current_year, &p);
        } else {
            state_out[i] = QTR_GOAL_UNKNOWN;
            unknown++;
        }
        if (path_out)
            path_out[i] = p;
    }
    if (nunknown_out)
        *nunknown_out = unknown;
    return QTR_OK;
}

const char *qtr_goal_state_name(int state, int english)
{
    static const char *const de[] = {"unbekannt", "erreicht", "auf Kurs", "nicht auf Kurs"};
    static const char *const en[] = {"unknown", "met", "on track", "off track"};
    if (state < 0 || state > 3)
        state = 0;
    return english ? en[state] : de[state];
}

int qtr_goal_citywide_rate(size_t n, const double *numerator, const double *denominator,
                           double scale, double *out, size_t *nskipped_out, struct qtr_error *err)
{
    /* Neumaier sums: hundreds of counts of very different size */
    struct qtr_ksum sn = QTR_KSUM_INIT, sd = QTR_KSUM_INIT;
    size_t used = 0, skipped = 0;
    *out = NAN;
    for (size_t i = 0; i < n; i++) {
        double a = numerator[i], b = denominator[i];
        if (isnan(a) || isnan(b)) {
            skipped++;
            continue;
        }
        if (a < 0 || b < 0 || isinf(a) || isinf(b))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "district %zu has a negative or infinite count (%g / %g)", i + 1,
                                 a, b);
        qtr_ksum_add(&sn, a);
        qtr_ksum_add(&sd, b);
        used++;
    }
    if (nskipped_out)
        *nskipped_out = skipped;
    if (used == 0 || !(qtr_ksum_get(&sd) > 0))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the citywide rate is undefined: the denominators of the %zu "
                             "districts with values sum to 0",
                             used);
    *out = scale * qtr_ksum_get(&sn) / qtr_ksum_get(&sd);
    return QTR_OK;
}
