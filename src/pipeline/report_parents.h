/*
 * report_parents.h - the parent area of each district ([boundaries] parent), for the
 * popups of the report's interactive map (src/pipeline/report_parents.c).
 */
#ifndef QTR_REPORT_PARENTS_H
#define QTR_REPORT_PARENTS_H

#include "quartier/layer.h"

/**
 * The parent of each of the l->n districts by spec: a column of the boundaries ("BEZ") or
 * "prefix:N", the first N characters of the key. *out (n malloc'ed strings; free with
 * qtr_report_parents_free) stays NULL without a spec, with an unknown column or a bad
 * prefix (the overview map says nothing about parents then either). QTR_ERR_NOMEM.
 */
int qtr_report_parents(const struct qtr_layer *l, const char *spec, char ***out);

void qtr_report_parents_free(char **p, size_t n);

#endif
