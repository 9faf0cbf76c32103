/*
 * decay_internal.h - the cell grid shared by the decay field (decay_field.c) and the kernel
 * lags (kernel_lag.c): points bucketed into square cells.
 */
#ifndef QTR_DECAY_INTERNAL_H
#define QTR_DECAY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define NONE SIZE_MAX

/* Points bucketed into square cells of at least the cut-off (the 3×3 block around a point's
 * cell covers its disc): CSR cell -> point indices. */
struct cells {
    double minx, miny, size;
    size_t nx, ny;
    size_t *start; /* nx*ny + 1 */
    uint32_t *idx;
};

void qtr_cells_release(struct cells *c);

/* Buckets the points i with (sel == NULL || sel[i] == NONE) into cells of at least `cutoff`. */
int qtr_cells_build(struct cells *c, const double *cx, const double *cy, size_t n,
                    const size_t *sel, double cutoff);

#endif
