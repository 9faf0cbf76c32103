/* report_no_dynamics.h - one reference date: no dynamics anywhere in the report (issue 10 §2). */
#ifndef QTR_REPORT_NO_DYNAMICS_H
#define QTR_REPORT_NO_DYNAMICS_H

#include <stddef.h>

#include "quartier/map.h"
#include "quartier/present.h"

struct rs;
struct qtr_renewal_result;

/* 1 when any district has a dynamics class (the analysis has a second date). */
int qtr_report_any_dynamics(const struct qtr_renewal_result *rr);

/* The sentence after the method paragraph when there is no second date. */
const char *qtr_report_no_dynamics_method(const struct rs *r);

/* The attention map without dynamics: the class "status medium, dynamics negative" (2) is
 * left out of the legend (the rule's own class 3 moves to 2) and the subtitle names the
 * status rule only. cls[0..n-1] and ac are changed in place; m points at them. */
void qtr_report_attention_without_dynamics(const struct rs *r, struct qtr_map *m,
                                           struct qtr_present_categories *ac, int *cls, size_t n);

#endif
