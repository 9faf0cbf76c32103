/*
 * config_internal.h - what the three passes of the analysis-file reader share (not installed).
 *
 * config_parse.c  pass 1: lines, sections and keys with their line numbers (inih)
 * config_values.c pass 2: each key's value, read into struct qtr_config
 * config_check.c  pass 3: required keys and references between sections
 * config.c        loading, defaults, release and the line lookup (qtr_config_line)
 */
#ifndef QTR_CONFIG_INTERNAL_H
#define QTR_CONFIG_INTERNAL_H

#include <stddef.h>

#include "quartier/config.h"

/* One key (or, with name NULL, one section header) as read from the file. */
struct qtr_cfg_entry {
    char *section; /* normalised: "analysis", "group mh"; "" before any header */
    char *name;    /* canonical key name; NULL for the section header */
    char *value;   /* continuation lines joined with one blank */
    unsigned line;
};

struct qtr_config_lines {
    struct qtr_cfg_entry *e;
    size_t n, cap;
};

struct qtr_cfg_state {
    struct qtr_config *cfg;
    struct qtr_error *err;
    struct qtr_config_lines *lines;
    /* line reader (pass 1) */
    const char *text;
    size_t len, pos;
    unsigned lineno;
    int prev_name;    /* mirrors inih's prev_name: a key was read since the last header */
    int cont;         /* the line just handed to inih continues the previous value */
    unsigned fail_at; /* line of the first error found in pass 1 (0 = none) */
    /* interpretation (pass 2) */
    int failed;
    size_t cur; /* index of the current [table]/[group]/... spec */
};

/* "group  mh" -> "group mh": the kind, one blank, the ID (as the handler reads it). Caller
 * frees; NULL when out of memory. */
char *qtr_cfg_normalise_section(const char *s, size_t n);

/* One key spelled two ways ("center", "standardize"): the spelling the reader stores. */
const char *qtr_cfg_canonical_key(const char *name);

/* The entry of `name` (NULL: the header) in normalised `section`, or NULL. */
const struct qtr_cfg_entry *qtr_cfg_find(const struct qtr_config_lines *l, const char *section,
                                         const char *name);

void qtr_cfg_lines_free(struct qtr_config_lines *l);

/*
 * Pass 1: split st->text into st->lines (section headers and keys, continuation lines
 * joined). Returns the line of the first error (err set to "FILE:LINE: ..."), 0 when none;
 * the entries before that line are complete.
 */
unsigned qtr_cfg_split(struct qtr_cfg_state *st);

/* Pass 2: read one entry into st->cfg. 0 on error (st->err holds the message without
 * FILE:LINE), 1 otherwise. */
int qtr_cfg_interpret(struct qtr_cfg_state *st, const struct qtr_cfg_entry *e);

/* Pass 2 for the keys of [batch] (config_batch.c): 0 on error (st->failed set), 1 otherwise. */
int qtr_cfg_on_batch(struct qtr_cfg_state *st, const char *name, const char *value);

/* Pass 2 for the keys of [report] (config_report.c): 0 on error, 1 otherwise. */
int qtr_cfg_on_report(struct qtr_cfg_state *st, const char *name, const char *value);

/* Pass 3 for [batch]: a [batch] section names its `by =` (err "FILE:LINE: ..."). */
int qtr_cfg_check_batch(const struct qtr_config *c, struct qtr_error *err);

/* Pass 3: required keys and references, each error as "FILE:LINE: ...". */
int qtr_cfg_check(const struct qtr_config *c, struct qtr_error *err);

/* Pass-2 helpers shared by config_values.c, config_sources.c and config_batch.c: record the
 * first error of a value (the caller adds FILE:LINE; returns 0 for `return qtr_cfg_fail()`),
 * out of memory, a copied string, a date YYYY-MM-DD (1900-2200), a number >= lo (> lo when
 * `open`), a whole number in [min, max]. Each returns 1 on success, 0 on an error. */
int qtr_cfg_fail(struct qtr_cfg_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int qtr_cfg_nomem(struct qtr_cfg_state *st);
int qtr_cfg_set_str(struct qtr_cfg_state *st, char **dst, const char *value);
int qtr_cfg_parse_date(struct qtr_cfg_state *st, const char *name, const char *value, char **dst);
int qtr_cfg_parse_min(struct qtr_cfg_state *st, const char *name, const char *value, double lo,
                      int open, const char *what, double *out);
int qtr_cfg_parse_uint(struct qtr_cfg_state *st, const char *name, const char *value,
                       unsigned long long min, unsigned long long max, unsigned long long *out);

/* The keys of [boundaries] and of a [table ...] section (config_sources.c). */
int qtr_cfg_on_boundaries(struct qtr_cfg_state *st, const char *name, const char *v);
int qtr_cfg_on_table(struct qtr_cfg_state *st, const char *sec, const char *name, const char *v);

/* 0 when v starts with "prefix:" but is not prefix:N with N from 1 to 64 ([boundaries] parent,
 * [batch] by); 1 otherwise (prefix:N, or a column name). */
int qtr_cfg_prefix_ok(const char *v);

#endif
