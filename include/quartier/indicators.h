/*
 * indicators.h - social-monitoring indicators as SQL expressions, evaluated by
 * SQLite over a frame's numeric columns, strict and sandboxed.
 *
 * An analysis file defines an indicator as an SQL expression over the joined
 * columns, e.g. `100.0 * "SGB II" / "EW 15 bis 65"`. The columns are loaded
 * into an in-memory SQLite table t (one row per district, every column REAL, so
 * `a / b` is always a real division) and each expression is evaluated as
 * `SELECT t.rowid, (<expr>) FROM t ORDER BY t.rowid`.
 *
 * Strict: double quotes always name a column (SQLite's double-quoted-string
 * compatibility is off), so a misspelt name is an error with the closest column
 * names, never the text 'name'. Sandboxed: the expression must be one
 * self-contained expression (strings, quoted names and comments closed,
 * parentheses balanced, no ';'), so it cannot close the wrapper's parenthesis
 * or comment out its rest, and each result row must carry its district's
 * rowid; an authorizer allows only reading t and calling the deterministic
 * functions of an allow-list (docs/analysis-file.md lists them; random(), the
 * date and time functions, load_extension() ... are refused); extensions,
 * triggers and views are off, defensive mode on, and statement length, depth
 * and compound selects are limited. Subqueries over t (a city average) are
 * allowed. A statement is stopped after QTR_INDICATOR_STEPS_BASE +
 * QTR_INDICATOR_STEPS_PER_DISTRICT * n SQLite virtual-machine steps (about
 * 0.2 s + 10 us per district): a plain rate takes about 10 steps per district,
 * a window function some tens, so 3 million grid cells pass, while a recursive
 * WITH that never ends stops with an error.
 *
 * Error messages start with the caller's label of the expression ("a.ini
 * [indicator alo] previous") and the reason, SQLite's included, kept whole; the
 * expression and the column list follow in what is left of struct qtr_error.
 */
#ifndef QUARTIER_INDICATORS_H
#define QUARTIER_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"

/** Why an indicator value is missing (values of out_missing). */
enum qtr_ind_missing {
    QTR_IND_OK = 0,
    QTR_IND_NO_INPUT = 1,  /* a column the expression reads has no value in this district */
    QTR_IND_UNDEFINED = 2, /* all inputs present but the result is NULL: division by zero,
                              log of a negative number, NULLIF, ... */
    QTR_IND_NONFINITE = 3  /* the result is infinite */
};

/** Step budget of one expression: base + per district (see the top of this file). */
#define QTR_INDICATOR_STEPS_BASE 20000000ULL
#define QTR_INDICATOR_STEPS_PER_DISTRICT 1000ULL

/**
 * Evaluate nexpr SQL expressions over n districts.
 * names: ncols column names (any text; quoted as identifiers, so blanks and
 * umlauts are fine; two names equal ignoring ASCII case are an error because
 * SQLite would not tell them apart). values: ncols arrays of n doubles;
 * missing: ncols arrays of n flags (1 = no value); missing itself or any
 * missing[c] may be NULL (no gaps). A non-finite value counts as missing,
 * too; missing values are NULL in SQL. exprs: nexpr SQL expressions.
 * labels: nexpr names of the expressions for messages, e.g. "a.ini [indicator
 * alo] previous"; labels or a labels[e] may be NULL ("expression 2").
 * out: nexpr caller-allocated arrays of n; out_missing: nexpr caller-allocated
 * arrays of n receiving an enum qtr_ind_missing (0 = value present). A missing
 * result has out = NaN.
 * Errors, each message starting with the label: QTR_ERR_USAGE when an
 * expression is empty, not self-contained (unclosed string, name or comment,
 * unbalanced parentheses, ';'), does not compile (syntax error; unknown
 * column, with the closest column names; a refused function, named, with the
 * allowed ones; reading another table; parameters), gives one row for all
 * districts (an aggregate outside a subquery), reorders districts, gives text
 * instead of a number, or exceeds the step budget. QTR_ERR_DATA for bad or
 * duplicate column names; QTR_ERR_NOMEM; QTR_ERR_INTERNAL for other SQLite
 * failures (including an SQLite older than 3.31, which cannot turn
 * double-quoted strings off).
 */
int qtr_indicators_eval(size_t n, size_t ncols, const char *const *names,
                        const double *const *values, const uint8_t *const *missing, size_t nexpr,
                        const char *const *exprs, const char *const *labels, double **out,
                        uint8_t **out_missing, struct qtr_error *err);

/** The analysis file's default attention condition (MSS rule). */
#define QTR_ATTENTION_DEFAULT                                                                      \
    "status_class IN ('niedrig','sehr niedrig') OR (status_class = 'mittel' AND "                  \
    "dynamics_class = 'negativ')"

/**
 * Evaluate the analysis file's `attention` condition (an SQL condition) for n
 * districts, in the same sandbox as qtr_indicators_eval (same checks, same
 * step budget). The condition sees the columns status_class ('hoch', 'mittel',
 * 'niedrig', 'sehr niedrig'), dynamics_class ('positiv', 'stabil',
 * 'negativ'), status_index and dynamics_index (REAL); a class 0 or a NaN index
 * is NULL. status_cls/dyn_cls are enum qtr_status_class/qtr_dynamics_class
 * values; the index arrays may be NULL (all NULL). label names the condition
 * in messages (e.g. "[renewal] attention"; NULL: "attention condition").
 * out[i] (caller-allocated) is 1 when the condition is true, 0 when it is
 * false or NULL (invalid districts are never flagged).
 * Errors: as qtr_indicators_eval, and QTR_ERR_USAGE when the condition gives
 * text; a word in double quotes that is no column (`"niedrig"`) gets the hint
 * that text values take single quotes.
 */
int qtr_indicators_attention(size_t n, const uint8_t *status_cls, const uint8_t *dyn_cls,
                             const double *status_index, const double *dyn_index,
                             const char *condition, const char *label, uint8_t *out,
                             struct qtr_error *err);

#endif
