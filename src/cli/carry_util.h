/*
 * carry_util.h - what `quartier carry` (cmd_carry.c) needs around the kernels: key lists for
 * messages, CSV tables keyed by one column, writing CSV fields. The key index is
 * quartier/keyindex.h.
 */
#ifndef QUARTIER_CLI_CARRY_UTIL_H
#define QUARTIER_CLI_CARRY_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include "quartier/carry.h"
#include "quartier/cell.h"
#include "quartier/csv.h"
#include "quartier/error.h"
#include "quartier/keyindex.h"
#include "quartier/table.h"

/** A list of keys for a message: the first twelve, then how many in all. */
struct keylist {
    char buf[600];
    size_t n;
};

void keylist_add(struct keylist *l, const char *key);
const char *keylist_text(struct keylist *l);

/** A CSV keyed by one column. */
struct keyed {
    const char *path;
    struct qtr_table *t;
    struct qtr_csv_info info;
    size_t kcol;
    char **key; /* nrows, trimmed */
    struct qtr_keyidx *ix;
};

/** Read a CSV, find its key column, refuse empty and repeated keys (naming file and line). */
int keyed_read(const char *path, const char *keycol, const char *what, struct keyed *k,
               struct qtr_error *err);

/** The cell of row r, column c; QTR_ERR_DATA (file, line, column, key) for text that is no
 * number nor a mark. */
int keyed_cell(const struct keyed *k, size_t r, size_t c, struct qtr_cell *out,
               struct qtr_error *err);

void keyed_free(struct keyed *k);

/** A CSV field, quoted where needed. */
void put_field(FILE *f, const char *s);

/** A cell: a number with up to 6 decimals, 0, '.' for suppressed, nothing for missing. */
void put_cell(FILE *f, const struct qtr_cell *c);

/** A number with up to 6 decimals, trailing zeros removed. */
void put_number(FILE *f, double v);

/** Close f; QTR_ERR_IO naming path when anything could not be written. */
int close_file(FILE *f, const char *path, struct qtr_error *err);

/** OUT with "-crosswalk" before ".csv" (or appended); caller frees. NULL when out of memory. */
char *default_crosswalk_path(const char *out);

/** Split "A, B,C" into trimmed, non-empty names (pointing into a copy in *buf; the caller
 * frees *buf and *names); returns how many. 0 also when out of memory (*buf or *names NULL). */
size_t split_names(const char *list, char **buf, char ***names);

struct qtr_layer;

/** Units of a layer: its features grouped by key (the first feature's key names the unit).
 * *unit_of (n) gives each feature's unit, *ukey (the layer's strings) each unit's key; the
 * keys of later features with a key already seen go to dups (may be NULL). */
int group_units(struct qtr_layer *l, size_t **unit_of, char ***ukey, size_t *nunits,
                struct keylist *dups, struct qtr_error *err);

/** A warning on stderr: fmt takes the number of keys (%zu) and `what` (%s), then the keys. */
void warn_list(struct keylist *l, const char *fmt, const char *what);

/* The options of `quartier carry`, as parsed by cmd_carry.c. */
struct carry_opts {
    const char *from, *from_key, *from_layer, *to, *to_key, *to_layer;
    const char *table, *table_key, *columns;
    const char *wtable, *wkey, *wcol, *dcol;
    const char *corr, *corr_cols;
    const char *crs, *work_crs, *out, *crosswalk;
    enum qtr_carry_method method;
    double sliver;
    int has_range; /* --suppressed-range given */
    double range_lo, range_hi;
    int quiet;
};

/* Run `quartier carry` with parsed options (carry_run.c); returns the exit code. */
int carry_run(const struct carry_opts *o);

#endif
