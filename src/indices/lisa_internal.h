/*
 * lisa_internal.h - what the global (lisa.c) and local (lisa_local.c) spatial
 * autocorrelation statistics share: input checks, the folded pseudo p, the thread count and
 * the multiple-testing step.
 */
#ifndef QTR_LISA_INTERNAL_H
#define QTR_LISA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/lisa.h"

int qtr_lisa_threads(const struct qtr_lisa_options *opt);
int qtr_lisa_check_inputs(const struct qtr_csr *w, const double *y, const char *name,
                          struct qtr_error *err);
double qtr_lisa_folded_p(size_t ge, size_t le, unsigned perms);
int qtr_lisa_significance(const double *p, const uint8_t *excluded, size_t n,
                          enum qtr_multiple_testing mt, double alpha, double *p_adj, uint8_t *sig,
                          struct qtr_error *err);

#endif
