/*
 * doc_table.c - a long table of the report cut to its two ends (very many districts,
 * docs/report.md): the rows are sorted by the table's key, so its first and last rows are
 * the extremes; and a table whose last column (reasons) the PDF draws at full width.
 */
#include <stdlib.h>
#include <string.h>

#include "quartier/doc.h"
#include "quartier/strutil.h"

int qtr_doc_table_wide_last(struct qtr_doc *d)
{
    if (!d->n || d->b[d->n - 1].kind != QTR_DOC_TABLE || d->b[d->n - 1].ncols < 2)
        return QTR_ERR_USAGE;
    d->b[d->n - 1].wide_last = 1;
    return QTR_OK;
}

int qtr_doc_table_keep_ends(struct qtr_doc *d, size_t keep, const char *const *gap, size_t *dropped)
{
    if (dropped)
        *dropped = 0;
    if (!d->n || d->b[d->n - 1].kind != QTR_DOC_TABLE)
        return QTR_ERR_USAGE;
    struct qtr_doc_block *b = &d->b[d->n - 1];
    size_t nc = b->ncols;
    if (b->nrows <= 2 * keep + 1) /* a gap row would hide no more than one row */
        return QTR_OK;
    /* the gap row first, so that nothing is lost when it cannot be made */
    char **g = calloc(nc, sizeof *g);
    if (!g)
        return QTR_ERR_NOMEM;
    for (size_t c = 0; c < nc; c++)
        if (gap && gap[c] && !(g[c] = qtr_strdup(gap[c]))) {
            for (size_t k = 0; k < c; k++)
                free(g[k]);
            free(g);
            return QTR_ERR_NOMEM;
        }
    size_t drop = b->nrows - 2 * keep;
    for (size_t i = keep * nc; i < (keep + drop) * nc; i++)
        free(b->cells[i]);
    memcpy(b->cells + keep * nc, g, nc * sizeof *g);
    memmove(b->cells + (keep + 1) * nc, b->cells + (keep + drop) * nc, keep * nc * sizeof *g);
    b->nrows = 2 * keep + 1;
    free(g);
    if (dropped)
        *dropped = drop;
    return QTR_OK;
}
