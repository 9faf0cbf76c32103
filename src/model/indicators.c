/*
 * indicators.c - evaluate indicator and attention SQL expressions with SQLite, strict and
 * sandboxed.
 *
 * Each expression is checked as text first (qtr_sql_check_text: one self-contained
 * expression), then compiled inside `SELECT t.rowid, (\n<expr>\n) FROM t ORDER BY t.rowid`
 * on the sandboxed connection of sql_sandbox.c and run; each result row must carry the rowid
 * of its district. This file loads the table, runs the statement and writes the messages.
 */
#include "quartier/indicators.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/renewal.h"
#include "quartier/strutil.h"
#include "sql_sandbox.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- messages ----------------------------------------------------------------------------- */

/* Largest length <= max that does not cut a UTF-8 sequence of s. */
static size_t utf8_fit(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t l = max;
    while (l > 0 && ((unsigned char)s[l] & 0xC0) == 0x80)
        l--;
    return l;
}

/* Append `"name"` with embedded quotes doubled (SQL identifier quoting). */
static int put_ident(struct qtr_buf *b, const char *name)
{
    if (qtr_buf_puts(b, "\""))
        return QTR_ERR_NOMEM;
    for (const char *p = name; *p; p++) {
        if (qtr_buf_append(b, p, 1) || (*p == '"' && qtr_buf_append(b, p, 1)))
            return QTR_ERR_NOMEM;
    }
    return qtr_buf_puts(b, "\"") ? QTR_ERR_NOMEM : QTR_OK;
}

/* What is being evaluated, for messages. */
struct job {
    const char *label; /* "a.ini [indicator alo] previous" */
    const char *ex;
    size_t ncols;
    const char *const *names;
    int text_hint; /* text values are expected (attention): hint at single quotes */
};

/*
 * Set err to "<label>: <reason> Expression: <ex> Columns: "a", "b", ...". The label
 * and the reason come first and are kept whole (only a reason longer than the buffer
 * holds after the label loses its middle, marked); the expression echo and the column list are
 * shortened to what is left of QTR_ERROR_MSG_SIZE. show: 1 = echo the expression, 2 = also list the
 * columns.
 */
static int fail(struct qtr_error *err, int code, const struct job *j, const char *reason, int show)
{
    const size_t cap = QTR_ERROR_MSG_SIZE - 1;
    struct qtr_buf b = {0};
    int nomem = qtr_buf_puts(&b, j->label) || qtr_buf_puts(&b, ": ");
    size_t rlen = strlen(reason);
    /* the reason (SQLite's included) may use all of the buffer after the label; only a
     * reason longer than that loses its middle */
    size_t rmax = cap > b.len + 16 ? cap - b.len - 16 : 0;
    if (rlen <= rmax) {
        nomem = nomem || qtr_buf_puts(&b, reason);
    } else {
        size_t head = utf8_fit(reason, rlen, rmax * 2 / 3);
        size_t tail_start = rlen > rmax / 3 ? rlen - rmax / 3 : 0;
        if (tail_start < head)
            tail_start = head;
        while (tail_start < rlen && ((unsigned char)reason[tail_start] & 0xC0) == 0x80)
            tail_start++;
        nomem = nomem || qtr_buf_append(&b, reason, head) || qtr_buf_puts(&b, " [...] ") ||
                qtr_buf_puts(&b, reason + tail_start);
    }
    if (!nomem && show >= 1 && j->ex) {
        static const char lead[] = " Expression: ";
        size_t elen = strlen(j->ex);
        size_t room = b.len + sizeof lead + 8 < cap ? cap - b.len - sizeof lead - 8 : 0;
        if (show >= 2 && room > 400)
            room = room / 2 > 400 ? room / 2 : 400; /* leave room for the columns */
        if (room > 20) {
            size_t use = utf8_fit(j->ex, elen, room);
            nomem = qtr_buf_puts(&b, lead) || qtr_buf_append(&b, j->ex, use) ||
                    (use < elen && qtr_buf_puts(&b, " [...]"));
        }
    }
    if (!nomem && show >= 2) {
        struct qtr_buf one = {0};
        nomem = qtr_buf_printf(&b, " Columns (%zu): ", j->ncols) != 0;
        for (size_t c = 0; c < j->ncols && !nomem; c++) {
            one.len = 0;
            if ((c && qtr_buf_puts(&one, ", ")) || put_ident(&one, j->names[c])) {
                nomem = 1;
                break;
            }
            /* keep room for " ... and N more" */
            if (b.len + one.len + 24 > cap) {
                nomem = qtr_buf_printf(&b, ", ... and %zu more", j->ncols - c) != 0;
                break;
            }
            nomem = qtr_buf_append(&b, one.data, one.len) != 0;
        }
        if (j->ncols == 0 && !nomem)
            nomem = qtr_buf_puts(&b, "none") != 0;
        qtr_buf_release(&one);
    }
    if (nomem)
        qtr_error_set(err, code, "%s: %s", j->label, reason);
    else
        qtr_error_set(err, code, "%s", b.data);
    qtr_buf_release(&b);
    return code;
}

static int fail_nomem(struct qtr_error *err)
{
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory evaluating an SQL expression");
}

static int is_column(const struct job *j, const char *name)
{
    for (size_t c = 0; c < j->ncols; c++)
        if (sqlite3_stricmp(j->names[c], name) == 0)
            return 1;
    return 0;
}

/* Append `did you mean "a", "b"?` for name (nothing when no column is close); *found
 * receives how many. */
static int did_you_mean(struct qtr_buf *b, const struct job *j, const char *name, size_t *found)
{
    size_t idx[3];
    *found = 0;
    if (qtr_closest_names(name, j->names, j->ncols, 3, idx, found))
        return QTR_ERR_NOMEM;
    for (size_t k = 0; k < *found; k++)
        if (qtr_buf_puts(b,
                         k ? (k + 1 == *found ? " or " : ", ") : " \xe2\x80\x94 did you mean ") ||
            put_ident(b, j->names[idx[k]]))
            return QTR_ERR_NOMEM;
    if (*found && qtr_buf_puts(b, "?"))
        return QTR_ERR_NOMEM;
    return QTR_OK;
}

/* For the attention condition: append a hint for the words in double quotes that are
 * no column and not close to one (other than `skip`), text meant as text, as in
 * "status_class" = "niedrig". */
static int text_words_hint(struct qtr_buf *b, const struct job *j, const char *skip)
{
    size_t nwords = 0;
    char *first = NULL, *w = NULL;
    int rc = QTR_ERR_NOMEM;
    for (size_t i = 0; j->ex[i];) {
        enum qtr_sql_tok k;
        size_t len = qtr_sql_next_token(j->ex + i, &k);
        i += len;
        if (k != QTR_SQL_DQUOTED || len < 2)
            continue;
        free(w);
        w = qtr_strndup(j->ex + i - len + 1, len - 2);
        size_t idx[1], near = 0;
        if (!w)
            goto out;
        if (is_column(j, w) || sqlite3_stricmp(w, skip) == 0)
            continue;
        if (qtr_closest_names(w, j->names, j->ncols, 1, idx, &near))
            goto out;
        if (near)
            continue;
        const char *sep = nwords ? ", " : b->len && b->data[b->len - 1] == '?' ? " " : "; ";
        if (qtr_buf_puts(b, sep) || put_ident(b, w))
            goto out;
        if (!first) {
            first = w;
            w = NULL;
        }
        nwords++;
    }
    if (nwords && qtr_buf_printf(b,
                                 " %s not a column either: text values take single quotes, as "
                                 "in '%s'; double quotes are for column names",
                                 nwords > 1 ? "are" : "is", first))
        goto out;
    rc = QTR_OK;
out:
    free(w);
    free(first);
    return rc;
}

/* Reason for "no such column: NAME": the name quoted (a trailing blank shows), the closest
 * columns, and where text was meant, the hint to use single quotes. */
static int unknown_column(struct qtr_error *err, const struct job *j, const char *name)
{
    struct qtr_buf b = {0};
    int rc = QTR_OK;
    /* "t.x" when qualified: compare the column part (a column name may hold a dot) */
    const char *bare = (name[0] == 't' || name[0] == 'T') && name[1] == '.' ? name + 2 : name;
    size_t found = 0;
    if (qtr_buf_puts(&b, "no such column ") || put_ident(&b, name) ||
        did_you_mean(&b, j, bare, &found))
        goto nomem;
    if (!found && j->text_hint) {
        if (qtr_buf_puts(&b, "; a word in double quotes or without quotes is a column name, "
                             "text values take single quotes: '") ||
            qtr_buf_puts(&b, bare) || qtr_buf_puts(&b, "'"))
            goto nomem;
    }
    if (j->text_hint && text_words_hint(&b, j, bare))
        goto nomem;
    if (b.len && b.data[b.len - 1] != '?' && qtr_buf_puts(&b, "."))
        goto nomem;
    rc = fail(err, QTR_ERR_USAGE, j, b.data, 2);
    qtr_buf_release(&b);
    return rc;
nomem:
    qtr_buf_release(&b);
    return fail_nomem(err);
}

/* Explain why sqlite3_prepare refused the statement. */
static int prepare_failed(struct qtr_error *err, const struct job *j, const struct qtr_sql_guard *g,
                          const char *sqlmsg)
{
    static const char nsc[] = "no such column: ";
    struct qtr_buf b = {0};
    int rc;
    if (g->denied_fn) {
        if (qtr_buf_printf(&b,
                           "function %s() is not allowed: an expression may only use "
                           "functions that give the same result on every run (no random "
                           "numbers, no clock, no state of the database). Allowed: ",
                           g->denied_fn) ||
            qtr_sql_list_functions(&b) || qtr_buf_puts(&b, "."))
            goto nomem;
        rc = fail(err, QTR_ERR_USAGE, j, b.data, 1);
    } else if (g->denied_table) {
        if (qtr_buf_printf(&b,
                           "reads the table '%s'; an expression may only read the districts' "
                           "columns (table t).",
                           g->denied_table))
            goto nomem;
        rc = fail(err, QTR_ERR_USAGE, j, b.data, 1);
    } else if (g->denied_action) {
        if (qtr_buf_printf(&b,
                           "may only compute from the districts' columns (table t), not read "
                           "SQLite's own tables, pragmas or files, nor change anything "
                           "(SQLite: %s).",
                           sqlmsg))
            goto nomem;
        rc = fail(err, QTR_ERR_USAGE, j, b.data, 1);
    } else if (strncmp(sqlmsg, nsc, sizeof nsc - 1) == 0) {
        rc = unknown_column(err, j, sqlmsg + sizeof nsc - 1);
    } else {
        if (qtr_buf_printf(&b,
                           "is not valid SQL: %s. Column names go in double quotes "
                           "(\"EW 15 bis 65\"), text in single quotes ('mittel').",
                           sqlmsg))
            goto nomem;
        rc = fail(err, QTR_ERR_USAGE, j, b.data, 2);
    }
    qtr_buf_release(&b);
    return rc;
nomem:
    qtr_buf_release(&b);
    return fail_nomem(err);
}

/* ---- running one expression -------------------------------------------------------------- */

static int is_missing(const uint8_t *const *missing, const double *const *values, size_t c,
                      size_t i)
{
    return (missing && missing[c] && missing[c][i]) || !isfinite(values[c][i]);
}

/* Called for each result row i (the statement's column 1 is the value). */
typedef int (*row_fn)(void *ud, const struct job *j, size_t i, sqlite3_stmt *st,
                      struct qtr_error *err);

static int only_blanks(const char *s)
{
    size_t len;
    qtr_trim_span(s ? s : "", &len);
    return len == 0;
}

/* Check, compile and run one expression; row(ud, ...) receives each district's row. */
static int run_expr(struct qtr_sql_sandbox *sb, const struct job *j, row_fn row, void *ud,
                    struct qtr_error *err)
{
    struct qtr_buf sql = {0};
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    char why[256];
    int rc = QTR_OK;

    if (only_blanks(j->ex))
        return fail(err, QTR_ERR_USAGE, j, "the expression is empty.", 0);
    if (qtr_sql_check_text(j->ex, why, sizeof why)) {
        size_t wl = strlen(why);
        if (wl + 2 < sizeof why)
            memcpy(why + wl, ".", 2);
        return fail(err, QTR_ERR_USAGE, j, why, 1);
    }
    /* newlines keep a trailing "-- comment" in the expression from swallowing the rest */
    if (qtr_buf_printf(&sql, "SELECT t.%s, (\n%s\n) FROM t ORDER BY t.%s", sb->rowid, j->ex,
                       sb->rowid))
        return fail_nomem(err);
    qtr_sql_guard_reset(&sb->g);
    if (sqlite3_prepare_v2(sb->db, sql.data, (int)sql.len, &st, &tail) != SQLITE_OK) {
        rc = prepare_failed(err, j, &sb->g, sqlite3_errmsg(sb->db));
        goto out;
    }
    if (!st || !only_blanks(tail) || sqlite3_column_count(st) != 2) {
        rc =
            fail(err, QTR_ERR_USAGE, j, "must be one expression giving one value per district.", 1);
        goto out;
    }
    if (sqlite3_bind_parameter_count(st) != 0) {
        rc = fail(err, QTR_ERR_USAGE, j,
                  "has a parameter (?, :name, @name or $name); write the value or the "
                  "column name instead.",
                  1);
        goto out;
    }
    sb->g.ticks = 0;
    size_t i = 0, misplaced = 0; /* misplaced: 1 + the first row not of its district */
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        /* second line of defence after check_text: row i must be district i; after a row
         * that is not, only count the rows (an aggregate gives fewer, explained below) */
        if (!misplaced && (i >= sb->n || sqlite3_column_type(st, 0) != SQLITE_INTEGER ||
                           sqlite3_column_int64(st, 0) != (sqlite3_int64)i + 1))
            misplaced = i + 1;
        if (!misplaced && (rc = row(ud, j, i, st, err)))
            goto out;
        i++;
    }
    if (s != SQLITE_DONE) {
        char *reason = NULL;
        if (s == SQLITE_INTERRUPT && sb->g.ticks > sb->g.max_ticks)
            reason = qtr_asprintf(
                "stopped after %llu million SQLite steps, the limit for %zu districts "
                "(%llu million + %llu per district): the expression takes too long or never "
                "ends, e.g. a recursive WITH that does not stop or a join of t with itself; "
                "simplify it.",
                sb->g.max_steps / 1000000, sb->n,
                (unsigned long long)QTR_INDICATOR_STEPS_BASE / 1000000,
                (unsigned long long)QTR_INDICATOR_STEPS_PER_DISTRICT);
        else
            reason = qtr_asprintf("failed in district %zu: %s.", i + 1, sqlite3_errmsg(sb->db));
        rc = reason ? fail(err, QTR_ERR_USAGE, j, reason, 1) : fail_nomem(err);
        free(reason);
        goto out;
    }
    if (i != sb->n) {
        char reason[400];
        snprintf(reason, sizeof reason,
                 "gives %zu %s for %zu districts. An aggregate (avg, sum, count, ...) "
                 "outside a subquery makes one row of all districts; write the city value as "
                 "a subquery, (SELECT avg(\"x\") FROM t), or as a window, avg(\"x\") OVER ().",
                 i, i == 1 ? "row" : "rows", sb->n);
        rc = fail(err, QTR_ERR_USAGE, j, reason, 1);
    } else if (misplaced) {
        char reason[200];
        snprintf(reason, sizeof reason,
                 "row %zu of the result does not belong to district %zu; an expression must "
                 "not reorder, add or drop districts.",
                 misplaced, misplaced);
        rc = fail(err, QTR_ERR_USAGE, j, reason, 1);
    }
out:
    sqlite3_finalize(st);
    qtr_buf_release(&sql);
    return rc;
}

/* ---- indicators --------------------------------------------------------------------------- */

static int load_table(sqlite3 *db, size_t n, size_t ncols, const char *const *names,
                      const double *const *values, const uint8_t *const *missing,
                      struct qtr_error *err)
{
    int rc = QTR_OK;
    struct qtr_buf sql = {0};
    sqlite3_stmt *ins = NULL;
    char *emsg = NULL;

    if (qtr_buf_puts(&sql, "CREATE TABLE t("))
        goto nomem;
    for (size_t c = 0; c < ncols; c++) {
        if ((c && qtr_buf_puts(&sql, ", ")) || put_ident(&sql, names[c]) ||
            qtr_buf_puts(&sql, " REAL"))
            goto nomem;
    }
    if (ncols == 0 && qtr_buf_puts(&sql, "qtr_no_column REAL"))
        goto nomem;
    if (qtr_buf_puts(&sql, ")"))
        goto nomem;
    if (sqlite3_exec(db, sql.data, NULL, NULL, &emsg) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite cannot create the indicator table: %s",
                           emsg ? emsg : sqlite3_errmsg(db));
        goto out;
    }
    qtr_buf_release(&sql);
    if (qtr_buf_puts(&sql, "INSERT INTO t VALUES("))
        goto nomem;
    for (size_t c = 0; c < (ncols ? ncols : 1); c++)
        if (qtr_buf_puts(&sql, c ? ", ?" : "?"))
            goto nomem;
    if (qtr_buf_puts(&sql, ")"))
        goto nomem;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql.data, -1, &ins, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < ncols; c++) {
            int b = is_missing(missing, values, c, i)
                        ? sqlite3_bind_null(ins, (int)c + 1)
                        : sqlite3_bind_double(ins, (int)c + 1, values[c][i]);
            if (b != SQLITE_OK) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
                goto out;
            }
        }
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
            goto out;
        }
        sqlite3_reset(ins);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory building the indicator table");
out:
    sqlite3_free(emsg);
    sqlite3_finalize(ins);
    qtr_buf_release(&sql);
    return rc;
}

struct ind_rows {
    size_t ncols;
    const double *const *values;
    const uint8_t *const *missing;
    const uint8_t *reads;
    double *out;
    uint8_t *out_missing;
};

static int indicator_row(void *ud, const struct job *j, size_t i, sqlite3_stmt *st,
                         struct qtr_error *err)
{
    struct ind_rows *r = ud;
    int type = sqlite3_column_type(st, 1);
    double v = NAN;
    uint8_t why = QTR_IND_OK;
    if (type == SQLITE_NULL) {
        why = QTR_IND_UNDEFINED;
        for (size_t c = 0; c < r->ncols; c++)
            if (r->reads[c] && is_missing(r->missing, r->values, c, i)) {
                why = QTR_IND_NO_INPUT;
                break;
            }
    } else if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        v = sqlite3_column_double(st, 1);
        if (!isfinite(v)) {
            v = NAN;
            why = QTR_IND_NONFINITE;
        }
    } else {
        const char *txt = (const char *)sqlite3_column_text(st, 1);
        char reason[300];
        size_t tl = txt ? strlen(txt) : 0;
        snprintf(reason, sizeof reason,
                 "gives text ('%.*s%s'), not a number, in district %zu; text in single quotes "
                 "is text, column names go in double quotes.",
                 (int)utf8_fit(txt ? txt : "", tl, 60), txt ? txt : "", tl > 60 ? "..." : "",
                 i + 1);
        return fail(err, QTR_ERR_USAGE, j, reason, 2);
    }
    r->out[i] = v;
    r->out_missing[i] = why;
    return QTR_OK;
}

int qtr_indicators_eval(size_t n, size_t ncols, const char *const *names,
                        const double *const *values, const uint8_t *const *missing, size_t nexpr,
                        const char *const *exprs, const char *const *labels, double **out,
                        uint8_t **out_missing, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct qtr_sql_sandbox sb = {0};
    uint8_t *reads = NULL;

    if (ncols > 32000)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "%zu columns are more than SQLite can hold in one table", ncols);
    for (size_t c = 0; c < ncols; c++) {
        if (!names[c] || only_blanks(names[c]))
            return qtr_error_set(err, QTR_ERR_DATA, "column %zu has no name", c + 1);
        for (size_t d = 0; d < c; d++)
            if (sqlite3_stricmp(names[c], names[d]) == 0)
                return qtr_error_set(err, QTR_ERR_DATA,
                                     "columns '%s' and '%s' differ only in upper/lower case; "
                                     "SQL cannot tell them apart, rename one",
                                     names[d], names[c]);
    }
    const char *rowid = qtr_sql_rowid_alias(ncols, names);
    if (!rowid)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "columns named rowid, _rowid_ and oid leave SQLite no name for the "
                             "row number; rename one of them");

    reads = calloc(ncols ? ncols : 1, 1);
    if (!reads) {
        rc = fail_nomem(err);
        goto out;
    }
    if ((rc = qtr_sql_sandbox_open(&sb, n, err)))
        goto out;
    sb.rowid = rowid;
    if ((rc = load_table(sb.db, n, ncols, names, values, missing, err)))
        goto out;
    qtr_sql_sandbox_lock(&sb, ncols, names, reads);

    for (size_t e = 0; e < nexpr && !rc; e++) {
        char fallback[48];
        snprintf(fallback, sizeof fallback, "expression %zu", e + 1);
        struct job j = {labels && labels[e] ? labels[e] : fallback, exprs[e] ? exprs[e] : "", ncols,
                        names, 0};
        struct ind_rows r = {ncols, values, missing, reads, out[e], out_missing[e]};
        memset(reads, 0, ncols ? ncols : 1);
        rc = run_expr(&sb, &j, indicator_row, &r, err);
    }
out:
    qtr_sql_sandbox_close(&sb);
    free(reads);
    return rc;
}

/* ---- attention ---------------------------------------------------------------------------- */

static int attention_row(void *ud, const struct job *j, size_t i, sqlite3_stmt *st,
                         struct qtr_error *err)
{
    uint8_t *out = ud;
    int type = sqlite3_column_type(st, 1);
    if (type == SQLITE_TEXT || type == SQLITE_BLOB)
        return fail(err, QTR_ERR_USAGE, j,
                    "gives text, not true/false; compare the classes, as in "
                    "status_class = 'mittel'.",
                    2);
    out[i] = type != SQLITE_NULL && sqlite3_column_double(st, 1) != 0;
    return QTR_OK;
}

int qtr_indicators_attention(size_t n, const uint8_t *status_cls, const uint8_t *dyn_cls,
                             const double *status_index, const double *dyn_index,
                             const char *condition, const char *label, uint8_t *out,
                             struct qtr_error *err)
{
    static const char *const cols[] = {"status_class", "dynamics_class", "status_index",
                                       "dynamics_index"};
    int rc = QTR_OK;
    struct qtr_sql_sandbox sb = {0};
    sqlite3_stmt *st = NULL;

    if ((rc = qtr_sql_sandbox_open(&sb, n, err)))
        goto out;
    sb.rowid = "rowid";
    sqlite3 *db = sb.db;
    if (sqlite3_exec(db,
                     "CREATE TABLE t(status_class TEXT, dynamics_class TEXT, status_index REAL, "
                     "dynamics_index REAL); BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *sc = status_cls[i] ? qtr_status_class_name(status_cls[i], QTR_LANG_DE) : "";
        const char *dc = dyn_cls[i] ? qtr_dynamics_class_name(dyn_cls[i], QTR_LANG_DE) : "";
        double si = status_index ? status_index[i] : NAN;
        double di = dyn_index ? dyn_index[i] : NAN;
        int b = (*sc ? sqlite3_bind_text(st, 1, sc, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 1));
        b |= (*dc ? sqlite3_bind_text(st, 2, dc, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 2));
        b |= (isfinite(si) ? sqlite3_bind_double(st, 3, si) : sqlite3_bind_null(st, 3));
        b |= (isfinite(di) ? sqlite3_bind_double(st, 4, di) : sqlite3_bind_null(st, 4));
        if (b != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
            goto out;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite: %s", sqlite3_errmsg(db));
        goto out;
    }
    qtr_sql_sandbox_lock(&sb, NELEM(cols), cols, NULL);
    struct job j = {label ? label : "attention condition", condition ? condition : "", NELEM(cols),
                    cols, 1};
    rc = run_expr(&sb, &j, attention_row, out, err);
out:
    sqlite3_finalize(st);
    qtr_sql_sandbox_close(&sb);
    return rc;
}
