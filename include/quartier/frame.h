/*
 * frame.h - the joined data: one row per district, typed columns.
 *
 * Every numeric cell keeps its kind (value, true zero, secret, suppressed,
 * missing, ...; see cell.h) next to its number, so nothing missing is ever
 * turned into 0 and every exclusion can be counted.
 */
#ifndef QUARTIER_FRAME_H
#define QUARTIER_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/cell.h"
#include "quartier/error.h"
#include "quartier/role.h"

struct qtr_column {
    char *name;                       /* column name (with the table's suffix) */
    char *origin;                     /* "boundaries" or the table id */
    int is_text;                      /* 1: text column (names, codes) */
    double *v;                        /* n numbers (NAN unless kind is VALUE or ZERO) */
    uint8_t *kind;                    /* n enum qtr_cell_kind */
    char **text;                      /* n, only for text columns */
    size_t count[QTR_CELL_KIND_COUNT];/* districts per kind */
    enum qtr_role role;               /* what it is (role.h); QTR_ROLE_NONE for plain input */
    char *of;                         /* group, indicator or target id it belongs to, or NULL */
    char *unit;                       /* unit of an indicator ("%", "m²"), or NULL */
    double *range_lo, *range_hi;      /* n, or NULL: the range of a SUPPRESSED cell when it is
                                         its own (a count carried from '*' counts of another
                                         layout); NAN or NULL = the analysis' suppressed_range */
};

struct qtr_frame {
    size_t n;
    char **key;                       /* n, borrowed from the layer */
    char **name;                      /* n, borrowed from the layer */
    size_t ncols;
    struct qtr_column **cols;         /* ncols; each column stays at its address */
    uint8_t *has_stats;               /* n: 1 when every table had a row for the district */
};

/** Allocate an empty frame over n districts (keys and names are borrowed). */
struct qtr_frame *qtr_frame_new(size_t n, char **key, char **name);

/** Free the frame and its columns (not the borrowed keys and names). NULL-safe. */
void qtr_frame_free(struct qtr_frame *f);

/**
 * Append a column (name and origin copied); returns it with v/kind allocated
 * and every cell MISSING, or NULL when out of memory.
 */
struct qtr_column *qtr_frame_add_column(struct qtr_frame *f, const char *name, const char *origin,
                                        int is_text);

/**
 * Append a column quartier computes (origin "quartier") with its role, the group,
 * indicator or target id it belongs to (`of`, may be NULL) and a unit (may be NULL). A
 * column of that name already in the frame is refused with QTR_ERR_USAGE and a message
 * that names both and says what to rename; `what` says who makes the column ("the
 * spatial analysis", "indicator 'x'"). NULL when refused or out of memory (err set).
 */
struct qtr_column *qtr_frame_add_computed(struct qtr_frame *f, const char *name,
                                          enum qtr_role role, const char *of, const char *unit,
                                          int is_text, const char *what, struct qtr_error *err);

/** Set the role of an input column (the join does this for the columns the analysis
 * names). Returns QTR_OK or QTR_ERR_NOMEM. */
int qtr_column_set_role(struct qtr_column *c, enum qtr_role role, const char *of);

/** Set row i of a numeric column to v (a VALUE); a non-finite v leaves the cell missing. */
void qtr_column_set_number(struct qtr_column *col, size_t i, double v);

/**
 * Set row i of a text column to a copy of s (a VALUE); NULL or "" leaves the cell missing.
 * Returns QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_column_set_text(struct qtr_column *col, size_t i, const char *s);

/**
 * Give the SUPPRESSED cell i of col (n rows) its own range [lo, hi] (allocating the range
 * arrays on first use). Returns QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_column_set_range(struct qtr_column *col, size_t n, size_t i, double lo, double hi);

/**
 * The range a SUPPRESSED cell i of col lies in: its own (qtr_column_set_range), else
 * [dlo, dhi] (the analysis' suppressed_range).
 */
void qtr_column_range(const struct qtr_column *col, size_t i, double dlo, double dhi, double *lo,
                      double *hi);

/** Recount col->count from col->kind. */
void qtr_column_recount(struct qtr_column *col, size_t n);

/** The column called name (matching as qtr_table_find_column), or NULL. */
struct qtr_column *qtr_frame_find(const struct qtr_frame *f, const char *name);

/** The first column of `role` that belongs to `of` (NULL: any), or NULL. */
struct qtr_column *qtr_frame_find_role(const struct qtr_frame *f, enum qtr_role role,
                                       const char *of);

/**
 * The numeric column called name, or an error that names `what` and lists
 * the frame's columns (QTR_ERR_DATA). A text column is an error too.
 */
int qtr_frame_require(const struct qtr_frame *f, const char *name, const char *what,
                      struct qtr_column **out, struct qtr_error *err);

#endif
