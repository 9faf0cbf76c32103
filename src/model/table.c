#include "quartier/table.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quartier/strutil.h"

struct qtr_table *qtr_table_new(const char *source, size_t ncols, const char *const *names)
{
    struct qtr_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->source = qtr_strdup(source ? source : "(table)");
    t->names = calloc(ncols ? ncols : 1, sizeof *t->names);
    if (!t->source || !t->names)
        goto fail;
    t->ncols = ncols;
    for (size_t j = 0; j < ncols; j++) {
        t->names[j] = qtr_strdup(names && names[j] ? names[j] : "");
        if (!t->names[j])
            goto fail;
    }
    return t;
fail:
    qtr_table_free(t);
    return NULL;
}

void qtr_table_free(struct qtr_table *t)
{
    if (!t)
        return;
    if (t->names)
        for (size_t j = 0; j < t->ncols; j++)
            free(t->names[j]);
    if (t->cells)
        for (size_t i = 0; i < t->nrows * t->ncols; i++)
            free(t->cells[i]);
    free(t->names);
    free(t->cells);
    free(t->line);
    free(t->source);
    free(t);
}

void qtr_table_keep_rows(struct qtr_table *t, const uint8_t *keep)
{
    size_t r = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        if (!keep[i]) {
            for (size_t j = 0; j < t->ncols; j++)
                free(t->cells[i * t->ncols + j]);
            continue;
        }
        if (r != i) {
            memmove(t->cells + r * t->ncols, t->cells + i * t->ncols,
                    t->ncols * sizeof *t->cells);
            t->line[r] = t->line[i];
        }
        r++;
    }
    t->nrows = r;
}

int qtr_table_append_row(struct qtr_table *t, const char *const *cells, size_t line,
                         struct qtr_error *err)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        if (t->ncols && cap > SIZE_MAX / t->ncols / sizeof(char *))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", t->source);
        char **c = realloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *c);
        if (!c)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", t->source);
        t->cells = c;
        size_t *l = realloc(t->line, cap * sizeof *l);
        if (!l)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", t->source);
        t->line = l;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t j = 0; j < t->ncols; j++) {
        row[j] = qtr_strdup(cells && cells[j] ? cells[j] : "");
        if (!row[j]) {
            for (size_t k = 0; k < j; k++)
                free(row[k]);
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", t->source);
        }
    }
    t->line[t->nrows] = line;
    t->nrows++;
    return QTR_OK;
}

const char *qtr_table_cell(const struct qtr_table *t, size_t row, size_t col)
{
    if (!t || row >= t->nrows || col >= t->ncols)
        return "";
    return t->cells[row * t->ncols + col];
}

/* Compare a column name with a wanted name, ignoring surrounding blanks. */
static int name_eq(const char *have, const char *want, int nocase)
{
    size_t hl, wl;
    const char *h = qtr_trim_span(have, &hl);
    const char *w = qtr_trim_span(want, &wl);
    if (hl != wl)
        return 0;
    return nocase ? strncasecmp(h, w, hl) == 0 : strncmp(h, w, hl) == 0;
}

long qtr_table_find_column(const struct qtr_table *t, const char *name)
{
    if (!t || !name)
        return -1;
    for (size_t j = 0; j < t->ncols; j++)
        if (name_eq(t->names[j], name, 0))
            return (long)j;
    for (size_t j = 0; j < t->ncols; j++)
        if (name_eq(t->names[j], name, 1))
            return (long)j;
    return -1;
}

int qtr_table_require_column(const struct qtr_table *t, const char *name, const char *what,
                             size_t *col, struct qtr_error *err)
{
    long j = qtr_table_find_column(t, name);
    if (j >= 0) {
        *col = (size_t)j;
        return QTR_OK;
    }
    char list[1200];
    size_t used = 0;
    list[0] = '\0';
    for (size_t k = 0; k < t->ncols && used + 8 < sizeof list; k++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", t->names[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= sizeof list - 8)
        snprintf(list + sizeof list - 8, 8, ", ...");
    return qtr_error_set(err, QTR_ERR_DATA,
                         "%s '%s' not found in '%s' (columns: %s); check the column name in the "
                         "analysis file",
                         what ? what : "column", name ? name : "", t->source, list);
}
