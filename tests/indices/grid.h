/*
 * grid.h - hand-built lattice weights for the kernel tests (header-only,
 * static functions; not a public API).
 */
#ifndef QTR_TEST_GRID_H
#define QTR_TEST_GRID_H

#include <stdint.h>
#include <stdlib.h>

#include "quartier/csr.h"

/* rows × cols lattice, cell id = r*cols + c; queen = 1 adds diagonals;
 * weights = `wt` (rook) and `wd` (diagonal). Columns sorted. */
static struct qtr_csr *grid_csr(size_t rows, size_t cols, int queen, double wt, double wd)
{
    size_t n = rows * cols;
    struct qtr_csr *m = qtr_csr_new(n, n * 8);
    size_t e = 0;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            m->row[r * cols + c] = e;
            for (int dr = -1; dr <= 1; dr++) {
                for (int dc = -1; dc <= 1; dc++) {
                    if (!dr && !dc)
                        continue;
                    int diag = dr && dc;
                    if (diag && !queen)
                        continue;
                    long rr = (long)r + dr, cc = (long)c + dc;
                    if (rr < 0 || cc < 0 || rr >= (long)rows || cc >= (long)cols)
                        continue;
                    m->col[e] = (uint32_t)(rr * (long)cols + cc);
                    m->w[e++] = diag ? wd : wt;
                }
            }
        }
    }
    m->row[n] = e;
    return m;
}

/* CSR from an explicit symmetric edge list (i<j), weight 1, plus isolated nodes. */
static struct qtr_csr *edges_csr(size_t n, const uint32_t (*edges)[2], size_t ne)
{
    struct qtr_csr *m = qtr_csr_new(n, 2 * ne);
    size_t e = 0;
    for (size_t i = 0; i < n; i++) {
        m->row[i] = e;
        for (uint32_t j = 0; j < n; j++) {
            for (size_t k = 0; k < ne; k++) {
                if ((edges[k][0] == i && edges[k][1] == j) ||
                    (edges[k][1] == i && edges[k][0] == j)) {
                    m->col[e] = j;
                    m->w[e++] = 1.0;
                    break;
                }
            }
        }
    }
    m->row[n] = e;
    return m;
}

#endif
