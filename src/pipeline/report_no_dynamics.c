/*
 * report_no_dynamics.c - with one reference date there are no dynamics: the report says so
 * where the dynamics would be (method, summary, attention map and table) instead of showing
 * a class, a legend entry or a column that can only be empty or zero (issue 10 §2).
 */
#include "report_no_dynamics.h"

#include "report_internal.h"

int qtr_report_any_dynamics(const struct qtr_renewal_result *rr)
{
    for (size_t i = 0; i < rr->n; i++)
        if (rr->dynamics_class[i])
            return 1;
    return 0;
}

const char *qtr_report_no_dynamics_method(const struct rs *r)
{
    return T(r,
             "Diese Analyse hat nur einen Stichtag. Ohne zweiten Stichtag gibt es keine "
             "Veränderungen und damit keinen Dynamikindex: Die Gebiete werden allein nach ihrem "
             "Status eingeordnet, und die Regel „mittlerer Status mit negativer Dynamik“ "
             "greift nicht.",
             "This analysis has one reference date only. Without a second date there are no "
             "changes and so no dynamics index: districts are classed by their status alone, "
             "and the rule \"medium status with negative dynamics\" never applies.");
}

void qtr_report_attention_without_dynamics(const struct rs *r, struct qtr_map *m,
                                           struct qtr_present_categories *ac, int *cls, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cls[i] == 3)
            cls[i] = 2;
    ac->labels[2] = ac->labels[3];
    ac->colors[2] = ac->colors[3];
    if (m->nclass > 2)
        m->nclass--;
    m->subtitle = T(r,
                    "Aufmerksamkeitsregel: niedriger oder sehr niedriger Status (ein Stichtag: "
                    "keine Dynamik)",
                    "Attention rule: low or very low status (one reference date: no dynamics)");
}
