/*
 * sql_sandbox.c - the SQLite connection indicator and attention expressions run in, and the
 * check of an expression as text.
 *
 * The connection: double-quoted strings off (a double-quoted name that is not a column is an
 * error, never text), defensive mode, no extensions, triggers or views, low limits; an
 * authorizer allows reading t and calling the functions of an allow-list (deterministic ones
 * only); a progress handler stops a statement after a budget of virtual-machine steps.
 * The text check: one self-contained expression (strings, quoted names and comments closed,
 * parentheses balanced, no ';'), so it cannot leave the parentheses of the wrapper.
 */
#include "sql_sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/indicators.h"

/* The progress handler runs every STEP_CHUNK virtual-machine instructions. */
#define STEP_CHUNK 1000

/*
 * Functions an expression may call. Everything here is deterministic: the same
 * table gives the same result. Not here, and so refused: random, randomblob, the
 * date and time functions (they read the clock with 'now'), changes,
 * last_insert_rowid, total_changes, sqlite_version, sqlite_source_id,
 * load_extension, the JSON functions, printf/format and other text builders.
 */
static const char *const allowed_basic[] = {
    /* scalar */
    "abs", "coalesce", "ifnull", "iif", "nullif", "max", "min", "round", "sign", "likely",
    "unlikely", "likelihood",
    /* aggregate, also as window functions with OVER (...) */
    "avg", "count", "sum", "total",
    /* ranking window functions */
    "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
    /* comparing text (the class names of the attention condition) */
    "like", "glob", "instr", "length", "lower", "upper", "substr", "substring", "trim", "ltrim",
    "rtrim"};

/* SQLite's math functions (SQLITE_ENABLE_MATH_FUNCTIONS, on in Debian's build). */
static const char *const allowed_math[] = {
    "acos", "acosh",   "asin",    "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos",
    "cosh", "degrees", "exp",     "floor", "ln",   "log",   "log10", "log2", "mod",     "pi",
    "pow",  "power",   "radians", "sin",   "sinh", "sqrt",  "tan",   "tanh", "trunc"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int is_allowed(const char *fn)
{
    for (size_t k = 0; k < NELEM(allowed_basic); k++)
        if (sqlite3_stricmp(fn, allowed_basic[k]) == 0)
            return 1;
    for (size_t k = 0; k < NELEM(allowed_math); k++)
        if (sqlite3_stricmp(fn, allowed_math[k]) == 0)
            return 1;
    return 0;
}

/* 1 for the names of SQLite's own tables and table-valued functions (sqlite_schema,
 * pragma_table_info, json_each, dbstat, ...): an expression may not read them. */
static int is_builtin_table(const char *name)
{
    static const char *const prefix[] = {"sqlite_", "pragma_", "json_", "dbstat"};
    for (size_t k = 0; k < NELEM(prefix); k++)
        if (sqlite3_strnicmp(name, prefix[k], (int)strlen(prefix[k])) == 0)
            return 1;
    return 0;
}

static int authorize(void *ud, int action, const char *a1, const char *a2, const char *db,
                     const char *trigger)
{
    struct qtr_sql_guard *g = ud;
    (void)db;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        /* a2 = function name */
        if (a2 && is_allowed(a2))
            return SQLITE_OK;
        if (!g->denied_fn)
            g->denied_fn = qtr_strdup(a2 ? a2 : "?"); /* NULL: reported as SQLite's reason */
        return SQLITE_DENY;
    case SQLITE_READ:
        /* a1 = table, a2 = column: remember which inputs the expression uses,
         * so that a NULL result can be told apart: missing input or undefined */
        if (a1 && a2 && !a2[0] && sqlite3_stricmp(a1, "t") != 0 && !is_builtin_table(a1))
            return SQLITE_OK; /* a WITH table used without naming a column, as in count(*);
                               * the columns of WITH tables and subqueries are not reported */
        if (!a1 || sqlite3_stricmp(a1, "t") != 0) {
            if (!g->denied_table)
                g->denied_table = qtr_strdup(a1 ? a1 : "?");
            return SQLITE_DENY;
        }
        if (g->reads && a2)
            for (size_t c = 0; c < g->ncols; c++)
                if (sqlite3_stricmp(g->names[c], a2) == 0)
                    g->reads[c] = 1;
        return SQLITE_OK;
    default:
        if (!g->denied_action)
            g->denied_action = action;
        return SQLITE_DENY;
    }
}

/* Forget what the authorizer refused while preparing the previous statement. */
void qtr_sql_guard_reset(struct qtr_sql_guard *g)
{
    free(g->denied_fn);
    free(g->denied_table);
    g->denied_fn = g->denied_table = NULL;
    g->denied_action = 0;
}

static int progress(void *ud)
{
    struct qtr_sql_guard *g = ud;
    return ++g->ticks > g->max_ticks;
}

/* ---- the expression as text ------------------------------------------------------------- */

/* Length and kind of the token at s (s non-empty), by SQLite's tokenizer rules for the
 * tokens that can hide a parenthesis: comments, strings and quoted names. Other bytes are
 * one-byte QTR_SQL_OTHER tokens (none of them can start a string or comment inside a word). */
size_t qtr_sql_next_token(const char *s, enum qtr_sql_tok *kind)
{
    char c = s[0];
    *kind = QTR_SQL_OTHER;
    if (c == '-' && s[1] == '-') {
        size_t i = 2;
        while (s[i] && s[i] != '\n')
            i++;
        *kind = QTR_SQL_COMMENT;
        return i;
    }
    if (c == '/' && s[1] == '*') {
        /* SQLite reads an unclosed block comment to the end of the input: the way to
         * comment out the rest of a wrapper */
        const char *e = strstr(s + 2, "*/");
        if (!e) {
            *kind = QTR_SQL_OPEN_COMMENT;
            return strlen(s);
        }
        *kind = QTR_SQL_COMMENT;
        return (size_t)(e + 2 - s);
    }
    if (c == '\'' || c == '"' || c == '`') {
        size_t i = 1;
        for (;;) {
            if (!s[i]) {
                *kind = c == '\'' ? QTR_SQL_OPEN_STRING : QTR_SQL_OPEN_NAME;
                return i;
            }
            if (s[i] == c) {
                if (s[i + 1] == c) {
                    i += 2; /* a doubled quote stands for itself */
                    continue;
                }
                break;
            }
            i++;
        }
        *kind = c == '\'' ? QTR_SQL_STRING : c == '"' ? QTR_SQL_DQUOTED : QTR_SQL_QUOTED;
        return i + 1;
    }
    if (c == '[') {
        const char *e = strchr(s, ']');
        if (!e) {
            *kind = QTR_SQL_OPEN_NAME;
            return strlen(s);
        }
        *kind = QTR_SQL_QUOTED;
        return (size_t)(e + 1 - s);
    }
    if (c == '(')
        *kind = QTR_SQL_LP;
    else if (c == ')')
        *kind = QTR_SQL_RP;
    else if (c == ';')
        *kind = QTR_SQL_SEMI;
    return 1;
}

/* 1-based character (code point) position of byte offset off in s. */
static size_t char_pos(const char *s, size_t off)
{
    size_t k = 1;
    for (size_t i = 0; i < off; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Check that ex is one self-contained expression, so that it cannot close the wrapper's
 * parenthesis or comment out its rest. On failure, writes the reason to why. */
int qtr_sql_check_text(const char *ex, char *why, size_t cap)
{
    size_t depth = 0, first_open = 0;
    for (size_t i = 0; ex[i];) {
        enum qtr_sql_tok k;
        size_t len = qtr_sql_next_token(ex + i, &k);
        switch (k) {
        case QTR_SQL_OPEN_COMMENT:
            snprintf(why, cap, "the comment opened with /* at character %zu is not closed with */",
                     char_pos(ex, i));
            return 1;
        case QTR_SQL_OPEN_STRING:
            snprintf(why, cap,
                     "the text in single quotes opened at character %zu is not closed with '",
                     char_pos(ex, i));
            return 1;
        case QTR_SQL_OPEN_NAME:
            snprintf(why, cap, "the quoted name opened at character %zu is not closed with %c",
                     char_pos(ex, i), ex[i] == '[' ? ']' : ex[i]);
            return 1;
        case QTR_SQL_SEMI:
            snprintf(why, cap,
                     "';' at character %zu would end the expression; write one expression, "
                     "without ';'",
                     char_pos(ex, i));
            return 1;
        case QTR_SQL_LP:
            if (depth++ == 0)
                first_open = i;
            break;
        case QTR_SQL_RP:
            if (depth == 0) {
                snprintf(why, cap,
                         "')' at character %zu closes a parenthesis the expression did not open",
                         char_pos(ex, i));
                return 1;
            }
            depth--;
            break;
        default:
            break;
        }
        i += len;
    }
    if (depth > 0) {
        snprintf(why, cap, "the '(' at character %zu is not closed with ')'",
                 char_pos(ex, first_open));
        return 1;
    }
    return 0;
}

/* ---- the connection ----------------------------------------------------------------------- */

int qtr_sql_list_functions(struct qtr_buf *b)
{
    for (size_t k = 0; k < NELEM(allowed_basic); k++)
        if (qtr_buf_puts(b, k ? ", " : "") || qtr_buf_puts(b, allowed_basic[k]))
            return QTR_ERR_NOMEM;
    /* the math functions only where the linked SQLite has them */
    if (sqlite3_compileoption_used("ENABLE_MATH_FUNCTIONS"))
        for (size_t k = 0; k < NELEM(allowed_math); k++)
            if (qtr_buf_puts(b, ", ") || qtr_buf_puts(b, allowed_math[k]))
                return QTR_ERR_NOMEM;
    return QTR_OK;
}

int qtr_sql_sandbox_open(struct qtr_sql_sandbox *sb, size_t n, struct qtr_error *err)
{
    memset(sb, 0, sizeof *sb);
    sb->n = n;
    if (sqlite3_open_v2(":memory:", &sb->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "sqlite cannot open an in-memory database: %s",
                             sb->db ? sqlite3_errmsg(sb->db) : "out of memory");
    /* DQS off: "x" is always a name, never the text 'x' */
    static const struct {
        int op, value;
        const char *what;
    } cfg[] = {
        {SQLITE_DBCONFIG_DQS_DML, 0, "double-quoted strings"},
        {SQLITE_DBCONFIG_DQS_DDL, 0, "double-quoted strings"},
        {SQLITE_DBCONFIG_DEFENSIVE, 1, "defensive mode"},
        {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, "extension loading"},
        {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "trusted schema"},
        {SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, "triggers"},
        {SQLITE_DBCONFIG_ENABLE_VIEW, 0, "views"},
    };
    for (size_t k = 0; k < NELEM(cfg); k++) {
        int got = -1;
        if (sqlite3_db_config(sb->db, cfg[k].op, cfg[k].value, &got) != SQLITE_OK ||
            got != cfg[k].value)
            return qtr_error_set(err, QTR_ERR_INTERNAL,
                                 "SQLite %s cannot set %s for indicator expressions; quartier "
                                 "needs SQLite 3.31 or later",
                                 sqlite3_libversion(), cfg[k].what);
    }
    return QTR_OK;
}

void qtr_sql_sandbox_close(struct qtr_sql_sandbox *sb)
{
    sqlite3_close(sb->db);
    sb->db = NULL;
    qtr_sql_guard_reset(&sb->g);
}

/* After the table is loaded: limits, the authorizer and the step budget. */
void qtr_sql_sandbox_lock(struct qtr_sql_sandbox *sb, size_t ncols, const char *const *names,
                          uint8_t *reads)
{
    sqlite3 *db = sb->db;
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);    /* longest text or row */
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 200000); /* the wrapped expression */
    sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 1000);   /* a sum over 1000 columns is deep */
    sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 8);
    sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 1000000);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000);
    sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
    sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, 0);
    sb->g.ncols = ncols;
    sb->g.names = names;
    sb->g.reads = reads;
    sb->g.max_steps = QTR_INDICATOR_STEPS_BASE + QTR_INDICATOR_STEPS_PER_DISTRICT * sb->n;
    sb->g.max_ticks = sb->g.max_steps / STEP_CHUNK;
    sqlite3_set_authorizer(db, authorize, &sb->g);
    sqlite3_progress_handler(db, STEP_CHUNK, progress, &sb->g);
}

/* The first of rowid, _rowid_, oid that is not a column name (a column shadows it). */
const char *qtr_sql_rowid_alias(size_t ncols, const char *const *names)
{
    static const char *const alias[] = {"rowid", "_rowid_", "oid"};
    for (size_t a = 0; a < NELEM(alias); a++) {
        int taken = 0;
        for (size_t c = 0; c < ncols && !taken; c++)
            taken = sqlite3_stricmp(names[c], alias[a]) == 0;
        if (!taken)
            return alias[a];
    }
    return NULL;
}
