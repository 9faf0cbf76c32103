/*
 * join.h - join statistics tables to the district boundaries.
 *
 * By key (keys are text: "01011101" keeps its zero) or by name (Unicode-
 * normalised, see text.h). Nothing is dropped silently: duplicate keys on
 * either side, districts without statistics, rows without a district,
 * ambiguous or merged names and note rows all go to the report by key and
 * name. The first of several rows with the same key is used.
 */
#ifndef QUARTIER_JOIN_H
#define QUARTIER_JOIN_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/config.h"
#include "quartier/error.h"
#include "quartier/frame.h"
#include "quartier/report.h"
#include "quartier/table.h"

struct qtr_join_table {
    const struct qtr_table *table;
    const char *id;          /* table id: origin of its columns and name in messages */
    const char *key;         /* key column, or the name column with mode QTR_JOIN_NAME */
    enum qtr_join_mode mode;
    const char *suffix;      /* appended to the table's column names, or NULL */
    const char *columns;     /* comma-separated columns to take, or NULL for all */
    const char *na_values;   /* comma-separated cell texts meaning no value, or NULL */
    char decimal_mark;       /* '.' or ',' */
    const uint8_t *numeric;  /* table->ncols: 1 for a numeric column of a database table
                                (its numbers in num, taken as they are), or NULL */
    const double *num;       /* table->nrows * ncols, row-major; NAN = NULL (missing) */
    int db_rows;             /* 1: table->line holds the row numbers of a query result
                                (PostgreSQL): messages say "row N", not "line N" */
};

struct qtr_join_input {
    size_t n;
    char **key;                  /* n district keys */
    char **name;                 /* n district names ("" when unknown) */
    const struct qtr_table *attrs; /* boundary attributes (NULL = none) */
    const uint8_t *attr_numeric; /* attrs->ncols: numeric OGR field */
    const double *attr_num;      /* n * attrs->ncols numbers of numeric fields */
    const char *key_column;      /* boundary key column (not copied into the frame) */
    const char *name_column;     /* boundary name column (not copied) */
    size_t ntables;
    const struct qtr_join_table *tables;
};

/**
 * Build the frame: the boundary attributes, then each table's columns for
 * the districts it matches. Issues go to `report`. Errors: a key or name
 * column missing (listing the columns), a column name used twice (asking for
 * a suffix), out of memory.
 */
int qtr_join_run(const struct qtr_join_input *in, struct qtr_frame **out,
                 struct qtr_report *report, struct qtr_error *err);

/* ---- population checks after the join (src/model/population.c) ---- */

/** What the population checks need. */
struct qtr_population_spec {
    const char *total;
    size_t ngroups;
    const char *const *groups;   /* column names */
    double min_population;       /* districts below it are reported (and flagged) */
    int exclude_small;           /* 1: small districts are not usable for indices */
    int suppressed_usable;       /* 1: a group count suppressed with '*' (a small count in a
                                    known range) keeps the district usable */
    double suppressed_low, suppressed_high; /* that range, for the report */
    const char *previous_total;  /* total at the previous reference date, or NULL */
    const char *const *previous_groups; /* ngroups: each group's previous column, or NULL */
    const char *boundaries;      /* file of the boundary attributes (messages) */
    size_t ntables;
    const struct qtr_table_spec *tables; /* table ids and files (messages) */
};

/** More residents than any city has: a count above it is a broken cell or column. */
#define QTR_MAX_COUNT 1e12

/**
 * Check total and group counts per district and set usable[i] (caller-
 * allocated, n) to 1 where the district can enter the indices: total and
 * groups are numbers or true zeros, total > 0, no negative count, no group
 * above the total, and (with exclude_small) total >= min_population.
 * Each problem goes to the report by key and name. The previous-date total
 * and groups are checked the same way (a negative count or a group above the
 * total is reported; the change stage leaves such a district out of that
 * date's indices). A count that is not finite or beyond QTR_MAX_COUNT, at
 * either date, is an error (QTR_ERR_DATA) naming the file, column and
 * district. Missing columns are errors listing the columns that exist.
 */
int qtr_population_check(const struct qtr_frame *f, const struct qtr_population_spec *spec,
                         uint8_t *usable, struct qtr_report *report, struct qtr_error *err);

#endif
