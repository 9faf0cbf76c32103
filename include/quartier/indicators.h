/*
 * indicators.h - social-monitoring indicators as SQL expressions, evaluated by
 * SQLite over a frame's numeric columns.
 *
 * An analysis file defines an indicator as an SQL expression over the joined
 * columns, e.g. `100.0 * "SGB II" / "EW 15 bis 65"`. The columns are loaded
 * into an in-memory SQLite table (one row per district, every column REAL, so
 * `a / b` is always a real division) and each expression is evaluated with
 * `SELECT (<expr>) FROM t ORDER BY rowid`. Only reading is allowed: an
 * expression cannot change the table or attach files (an authorizer denies
 * everything but SELECT, READ and function calls).
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

/**
 * Evaluate nexpr SQL expressions over n districts.
 * names: ncols column names (any text; quoted as identifiers, so blanks and
 * umlauts are fine; two names equal ignoring ASCII case are an error because
 * SQLite would not tell them apart). values: ncols arrays of n doubles;
 * missing: ncols arrays of n flags (1 = no value); missing itself or any
 * missing[c] may be NULL (no gaps). A non-finite value counts as missing,
 * too; missing values are NULL in SQL. exprs: nexpr SQL expressions.
 * out: nexpr caller-allocated arrays of n; out_missing: nexpr caller-allocated
 * arrays of n receiving an enum qtr_ind_missing (0 = value present). A missing
 * result has out = NaN.
 * Errors: QTR_ERR_USAGE when an expression does not compile (syntax error,
 * unknown column, more than one result column, several statements,
 * parameters) or gives text instead of a number; the message names the
 * expression (1-based position and text) and lists the available columns.
 * QTR_ERR_DATA for bad or duplicate column names; QTR_ERR_NOMEM;
 * QTR_ERR_INTERNAL for other SQLite failures.
 */
int qtr_indicators_eval(size_t n, size_t ncols, const char *const *names,
                        const double *const *values, const uint8_t *const *missing, size_t nexpr,
                        const char *const *exprs, double **out, uint8_t **out_missing,
                        struct qtr_error *err);

/** The analysis file's default attention condition (MSS rule). */
#define QTR_ATTENTION_DEFAULT                                                                      \
    "status_class IN ('niedrig','sehr niedrig') OR (status_class = 'mittel' AND "                  \
    "dynamics_class = 'negativ')"

/**
 * Evaluate the analysis file's `attention` condition (an SQL condition) for n
 * districts. The condition sees the columns status_class ('hoch', 'mittel',
 * 'niedrig', 'sehr niedrig'), dynamics_class ('positiv', 'stabil',
 * 'negativ'), status_index and dynamics_index (REAL); a class 0 or a NaN index
 * is NULL. status_cls/dyn_cls are enum qtr_status_class/qtr_dynamics_class
 * values; the index arrays may be NULL (all NULL). out[i] (caller-allocated)
 * is 1 when the condition is true, 0 when it is false or NULL (invalid
 * districts are never flagged).
 * Errors: QTR_ERR_USAGE when the condition is not valid SQL or gives text (the
 * message lists the columns); QTR_ERR_NOMEM; QTR_ERR_INTERNAL.
 */
int qtr_indicators_attention(size_t n, const uint8_t *status_cls, const uint8_t *dyn_cls,
                             const double *status_index, const double *dyn_index,
                             const char *condition, uint8_t *out, struct qtr_error *err);

#endif
