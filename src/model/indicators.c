/*
 * indicators.c - evaluate indicator SQL expressions with SQLite.
 */
#include "quartier/indicators.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/renewal.h"
#include "quartier/strutil.h"

/* State shared with the authorizer while one expression is prepared. */
struct auth {
    size_t ncols;
    const char *const *names;
    uint8_t *reads; /* reads[c] = 1 when the expression reads column c */
};

static int authorize(void *ud, int action, const char *a1, const char *a2, const char *db,
                     const char *trigger)
{
    struct auth *au = ud;
    (void)db;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_READ:
        /* a1 = table, a2 = column: remember which inputs the expression uses,
         * so that a NULL result can be told apart: missing input or undefined */
        if (au && a1 && a2 && strcmp(a1, "t") == 0)
            for (size_t c = 0; c < au->ncols; c++)
                if (sqlite3_stricmp(au->names[c], a2) == 0)
                    au->reads[c] = 1;
        return SQLITE_OK;
    default:
        return SQLITE_DENY;
    }
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

/* "a, b, c" (the available columns for an error message). */
static void column_list(size_t ncols, const char *const *names, char *dst, size_t cap)
{
    size_t len = 0;
    dst[0] = '\0';
    for (size_t c = 0; c < ncols && len + 1 < cap; c++) {
        int w = snprintf(dst + len, cap - len, "%s%s", c ? ", " : "", names[c]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    if (len >= cap && cap > 4)
        memcpy(dst + cap - 4, "...", 4);
}

static int is_missing(const uint8_t *const *missing, const double *const *values, size_t c,
                      size_t i)
{
    return (missing && missing[c] && missing[c][i]) || !isfinite(values[c][i]);
}

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

static int only_blanks(const char *s)
{
    size_t len;
    qtr_trim_span(s ? s : "", &len);
    return len == 0;
}

/* Prepare `SELECT (<ex>) FROM t ORDER BY rowid` and check that it is one
 * expression with one result column. `what` and `pos` name it in messages. */
static int prepare_expr(sqlite3 *db, const char *what, size_t pos, const char *ex, const char *cols,
                        sqlite3_stmt **st, struct qtr_error *err)
{
    struct qtr_buf sql = {0};
    const char *tail = NULL;
    int rc = QTR_OK;
    *st = NULL;
    if (only_blanks(ex))
        return qtr_error_set(err, QTR_ERR_USAGE, "%s %zu is empty", what, pos);
    /* newlines keep a trailing "-- comment" in the expression from
     * swallowing the rest of the statement */
    if (qtr_buf_printf(&sql, "SELECT (\n%s\n) FROM t ORDER BY rowid", ex))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(db, sql.data, (int)sql.len, st, &tail) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_USAGE,
                           "%s %zu '%s' is not valid SQL: %s (columns: %s; quote names with "
                           "blanks as \"EW 15 bis 65\")",
                           what, pos, ex, sqlite3_errmsg(db), cols);
        goto out;
    }
    if (!*st || !only_blanks(tail) || sqlite3_column_count(*st) != 1 ||
        sqlite3_bind_parameter_count(*st) != 0)
        rc = qtr_error_set(err, QTR_ERR_USAGE,
                           "%s %zu '%s' must be one expression giving one value per district, "
                           "without ';' or parameters (columns: %s)",
                           what, pos, ex, cols);
out:
    if (rc) {
        sqlite3_finalize(*st);
        *st = NULL;
    }
    qtr_buf_release(&sql);
    return rc;
}

int qtr_indicators_eval(size_t n, size_t ncols, const char *const *names,
                        const double *const *values, const uint8_t *const *missing, size_t nexpr,
                        const char *const *exprs, double **out, uint8_t **out_missing,
                        struct qtr_error *err)
{
    int rc = QTR_OK;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    uint8_t *reads = NULL;
    char cols[1024];

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
    column_list(ncols, names, cols, sizeof cols);

    reads = calloc(ncols ? ncols : 1, 1);
    if (!reads) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite cannot open an in-memory database: %s",
                           db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    rc = load_table(db, n, ncols, names, values, missing, err);
    if (rc)
        goto out;

    struct auth au = {ncols, names, reads};
    sqlite3_set_authorizer(db, authorize, &au);

    for (size_t e = 0; e < nexpr; e++) {
        const char *ex = exprs[e] ? exprs[e] : "";
        memset(reads, 0, ncols ? ncols : 1);
        rc = prepare_expr(db, "indicator expression", e + 1, ex, cols, &st, err);
        if (rc)
            goto out;
        size_t i = 0;
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if (i >= n) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "indicator expression %zu gave more rows than districts", e + 1);
                goto out;
            }
            int type = sqlite3_column_type(st, 0);
            double v = NAN;
            uint8_t why = QTR_IND_OK;
            if (type == SQLITE_NULL) {
                why = QTR_IND_UNDEFINED;
                for (size_t c = 0; c < ncols; c++)
                    if (reads[c] && is_missing(missing, values, c, i)) {
                        why = QTR_IND_NO_INPUT;
                        break;
                    }
            } else if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
                v = sqlite3_column_double(st, 0);
                if (!isfinite(v)) {
                    v = NAN;
                    why = QTR_IND_NONFINITE;
                }
            } else {
                rc = qtr_error_set(err, QTR_ERR_USAGE,
                                   "indicator expression %zu '%s' gives text, not a number, "
                                   "in district %zu (columns: %s)",
                                   e + 1, ex, i + 1, cols);
                goto out;
            }
            out[e][i] = v;
            out_missing[e][i] = why;
            i++;
        }
        if (s != SQLITE_DONE) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "indicator expression %zu '%s' failed: %s",
                               e + 1, ex, sqlite3_errmsg(db));
            goto out;
        }
        if (i != n) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                               "indicator expression %zu gave %zu rows for %zu districts", e + 1, i,
                               n);
            goto out;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(reads);
    return rc;
}

int qtr_indicators_attention(size_t n, const uint8_t *status_cls, const uint8_t *dyn_cls,
                             const double *status_index, const double *dyn_index,
                             const char *condition, uint8_t *out, struct qtr_error *err)
{
    static const char cols[] = "status_class, dynamics_class, status_index, dynamics_index";
    int rc = QTR_OK;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite cannot open an in-memory database: %s",
                           db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
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
    sqlite3_set_authorizer(db, authorize, NULL);
    rc = prepare_expr(db, "attention condition", 1, condition ? condition : "", cols, &st, err);
    if (rc)
        goto out;
    size_t i = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && i < n) {
        int type = sqlite3_column_type(st, 0);
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "attention condition '%s' gives text, not true/false "
                               "(columns: %s; compare classes as status_class = 'mittel')",
                               condition, cols);
            goto out;
        }
        out[i++] = type != SQLITE_NULL && sqlite3_column_double(st, 0) != 0;
    }
    if (s != SQLITE_DONE && s != SQLITE_ROW) {
        rc = qtr_error_set(err, QTR_ERR_USAGE, "attention condition '%s' failed: %s", condition,
                           sqlite3_errmsg(db));
        goto out;
    }
    if (i != n)
        rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                           "attention condition gave %zu rows for %zu districts", i, n);
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
