/*
 * sql_sandbox.h - internal to src/model: the strict, sandboxed SQLite connection of
 * indicators.c and the text check of an expression (sql_sandbox.c).
 */
#ifndef QTR_SQL_SANDBOX_H
#define QTR_SQL_SANDBOX_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"
#include "quartier/strutil.h"

/* State of one connection, shared with the authorizer and the progress handler. */
struct qtr_sql_guard {
    size_t ncols;
    const char *const *names;
    uint8_t *reads;           /* reads[c] = 1 when the expression reads column c; may be NULL */
    char *denied_fn;          /* the first function refused while preparing, or NULL */
    char *denied_table;       /* the first table other than t read, or NULL */
    int denied_action;        /* the first other action refused, 0 = none */
    unsigned long long ticks; /* progress-handler calls for the running statement */
    unsigned long long max_ticks;
    unsigned long long max_steps;
};

/* Forget what the authorizer refused while preparing the previous statement. */
void qtr_sql_guard_reset(struct qtr_sql_guard *g);

struct qtr_sql_sandbox {
    sqlite3 *db;
    struct qtr_sql_guard g;
    const char *rowid; /* a name of the rowid that no column shadows */
    size_t n;
};

/* Open an in-memory connection with the strict settings (n districts, for the step budget).
 * On failure the caller still calls qtr_sql_sandbox_close. */
int qtr_sql_sandbox_open(struct qtr_sql_sandbox *sb, size_t n, struct qtr_error *err);

/* After the table t is loaded: limits, the authorizer (reads[c] = 1 when column c of names
 * is read; reads may be NULL) and the step budget. */
void qtr_sql_sandbox_lock(struct qtr_sql_sandbox *sb, size_t ncols, const char *const *names,
                          uint8_t *reads);

void qtr_sql_sandbox_close(struct qtr_sql_sandbox *sb);

/* The first of rowid, _rowid_, oid that is not a column name (a column shadows it), or NULL. */
const char *qtr_sql_rowid_alias(size_t ncols, const char *const *names);

/* Append the allowed functions, comma-separated. */
int qtr_sql_list_functions(struct qtr_buf *b);

/* Kinds of the tokens that can hide a parenthesis. */
enum qtr_sql_tok {
    QTR_SQL_OTHER,
    QTR_SQL_COMMENT,
    QTR_SQL_STRING,  /* '...' */
    QTR_SQL_DQUOTED, /* "..." */
    QTR_SQL_QUOTED,  /* [...] or `...` */
    QTR_SQL_LP,
    QTR_SQL_RP,
    QTR_SQL_SEMI,
    QTR_SQL_OPEN_STRING,
    QTR_SQL_OPEN_NAME,
    QTR_SQL_OPEN_COMMENT
};

/* Length and kind of the token at s (s non-empty), by SQLite's tokenizer rules for comments,
 * strings and quoted names; other bytes are one-byte QTR_SQL_OTHER tokens. */
size_t qtr_sql_next_token(const char *s, enum qtr_sql_tok *kind);

/* 0 when ex is one self-contained expression; else 1 and the reason (a sentence naming the
 * character position) in why. */
int qtr_sql_check_text(const char *ex, char *why, size_t cap);

#endif
