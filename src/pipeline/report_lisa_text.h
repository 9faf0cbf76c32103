/* report_lisa_text.h - the settings and the meaning of the LISA cluster maps in words. */
#ifndef QTR_REPORT_LISA_TEXT_H
#define QTR_REPORT_LISA_TEXT_H

#include <stddef.h>

struct rs;

/* Map subtitle: test, neighbourhood, permutations, significance level, FDR correction. */
void qtr_report_lisa_subtitle(const struct rs *r, char *buf, size_t size);

/* The paragraph under "Räumliche Cluster" and one bullet per cluster type. */
int qtr_report_lisa_explain(struct rs *r);

#endif
