/* report_interpret.h - how to read a segregation index without borrowed thresholds. */
#ifndef QTR_REPORT_INTERPRET_H
#define QTR_REPORT_INTERPRET_H

#include "quartier/indices.h"
#include "quartier/strutil.h"

struct rs;

/*
 * Append to b what the dissimilarity index D of one group is compared with: the value
 * expected under a random allocation of the residents (d->expected, when simulated) and,
 * for the first group (`first`), why the report uses no fixed "low/moderate/high" scale:
 * the usual limits 0.3 and 0.6 (Massey and Denton 1993) were made for Black-White
 * segregation over US census tracts, not for groups in German districts. The change
 * against the city's own earlier value follows in the caller's text.
 */
int qtr_report_d_reading(const struct rs *r, const struct qtr_index_value *d, int first,
                         struct qtr_buf *b);

#endif
