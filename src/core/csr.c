#include "quartier/csr.h"

#include <stdlib.h>

struct qtr_csr *qtr_csr_new(size_t n, size_t nnz)
{
    struct qtr_csr *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n = n;
    m->row = calloc(n + 1, sizeof *m->row);
    m->col = malloc((nnz ? nnz : 1) * sizeof *m->col);
    m->w = malloc((nnz ? nnz : 1) * sizeof *m->w);
    if (!m->row || !m->col || !m->w) {
        qtr_csr_free(m);
        return NULL;
    }
    return m;
}

void qtr_csr_free(struct qtr_csr *m)
{
    if (!m)
        return;
    free(m->row);
    free(m->col);
    free(m->w);
    free(m);
}
