/*
 * table.h - a table of text cells as read from a statistics file.
 *
 * Every reader (CSV, XLSX/ODS through OGR, the boundary layer's attributes)
 * produces a struct qtr_table: column names and cells as UTF-8 strings, exactly
 * as written in the source (after decoding to UTF-8). Interpreting a cell as a
 * number, a true zero, a secrecy mark or missing is done by cell.h, so that the
 * join report can count each kind per column.
 */
#ifndef QUARTIER_TABLE_H
#define QUARTIER_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"

struct qtr_table {
    char *source;       /* file name or description, for messages */
    size_t nrows;
    size_t ncols;
    char **names;       /* ncols column names, UTF-8, owned */
    char **cells;       /* nrows * ncols, row-major, UTF-8, owned, never NULL ("" for empty) */
    size_t *line;       /* nrows: 1-based line (CSV) or row (sheet) in the source, for messages */
    size_t cap;         /* allocated rows */
};

/**
 * Create an empty table with the given column names (copied). `source` names
 * the file for messages (copied). Returns NULL when out of memory.
 */
struct qtr_table *qtr_table_new(const char *source, size_t ncols, const char *const *names);

/** Free the table and every string it holds. NULL-safe. */
void qtr_table_free(struct qtr_table *t);

/**
 * Keep the rows i with keep[i] (t->nrows entries), in order, and free the others' cells
 * (one region of a batch, docs/batch.md). Row line numbers stay those of the source.
 */
void qtr_table_keep_rows(struct qtr_table *t, const uint8_t *keep);

/**
 * Append a row of ncols cells (copied; a NULL cell is stored as ""). `line` is
 * the row's position in the source for messages. Returns QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_table_append_row(struct qtr_table *t, const char *const *cells, size_t line,
                         struct qtr_error *err);

/** The cell at (row, col); never NULL. */
const char *qtr_table_cell(const struct qtr_table *t, size_t row, size_t col);

/**
 * Index of the column called `name` (exact match, then case-insensitive ASCII
 * match, both after trimming blanks), or -1.
 */
long qtr_table_find_column(const struct qtr_table *t, const char *name);

/**
 * Like qtr_table_find_column, but an error naming the file and listing the
 * columns that do exist when there is no such column (QTR_ERR_DATA).
 * `what` says what the column is for ("key column", "total column").
 */
int qtr_table_require_column(const struct qtr_table *t, const char *name, const char *what,
                             size_t *col, struct qtr_error *err);

#endif
