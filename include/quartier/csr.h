/*
 * csr.h - sparse spatial weights in compressed sparse row form.
 *
 * Row i's neighbours are col[row[i]] .. col[row[i+1]-1] with weights w[...].
 * Columns within a row are sorted ascending. No n×n matrix exists anywhere.
 */
#ifndef QUARTIER_CSR_H
#define QUARTIER_CSR_H

#include <stddef.h>
#include <stdint.h>

struct qtr_csr {
    size_t n;        /* rows = districts */
    size_t *row;     /* n + 1 offsets */
    uint32_t *col;   /* row[n] neighbour indices */
    double *w;       /* row[n] weights */
};

/** Allocate an n-row CSR with room for nnz entries (row[] zeroed). NULL on OOM. */
struct qtr_csr *qtr_csr_new(size_t n, size_t nnz);

/** Free the matrix. NULL-safe. */
void qtr_csr_free(struct qtr_csr *m);

/** Number of stored entries. */
static inline size_t qtr_csr_nnz(const struct qtr_csr *m)
{
    return m->row[m->n];
}

#endif
