/*
 * weights_internal.h - between weights.c (the point-based builders) and weights_ops.c (the
 * operations on a matrix): sorting the entries of a row by column. Not installed.
 */
#ifndef QTR_WEIGHTS_INTERNAL_H
#define QTR_WEIGHTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Sort the entries [a, b) of a row (columns col, weights w) by column; stable insertion sort
 * for short rows. */
void qtr_weights_sort_row(uint32_t *col, double *w, size_t a, size_t b);

/* The same for rows of any length: beyond 32 entries a stable radix sort (falls back to the
 * insertion sort when out of memory), so the order is that of qtr_weights_sort_row. */
void qtr_weights_sort_row_long(uint32_t *col, double *w, size_t a, size_t b);

#endif
