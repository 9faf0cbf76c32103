/*
 * pg.c - PostgreSQL/PostGIS sources through GDAL's PostgreSQL driver: redacted connection
 * strings, opening with messages for planners, tables and queries as struct qtr_table.
 */
#include "quartier/pg.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "quartier/cell.h"
#include "quartier/ctx.h"
#include "quartier/strutil.h"

int qtr_is_pg(const char *s)
{
    return s && strncmp(s, "PG:", 3) == 0;
}

/* A URI ("postgresql://user:secret@host/db?password=x"): drop ":secret" and password=. */
static char *redact_uri(const char *conn, const char *scheme_end)
{
    struct qtr_buf b = {0};
    const char *auth = scheme_end + 3;
    const char *at = NULL;
    for (const char *p = auth; *p && *p != '/' && *p != '?'; p++)
        if (*p == '@')
            at = p;
    const char *colon = NULL;
    for (const char *p = auth; at && p < at; p++)
        if (*p == ':') {
            colon = p;
            break;
        }
    int bad = 0;
    if (colon) {
        bad |= qtr_buf_append(&b, conn, (size_t)(colon - conn));
        conn = at;
    }
    const char *q = strchr(conn, '?');
    if (!q) {
        bad |= qtr_buf_printf(&b, "%s", conn);
    } else {
        bad |= qtr_buf_append(&b, conn, (size_t)(q - conn));
        const char *p = q + 1;
        char sep = '?';
        while (*p) {
            size_t n = strcspn(p, "&");
            if (!(n >= 9 && strncasecmp(p, "password=", 9) == 0)) {
                bad |= qtr_buf_printf(&b, "%c%.*s", sep, (int)n, p);
                sep = '&';
            }
            p += n;
            if (*p == '&')
                p++;
        }
    }
    if (bad) {
        qtr_buf_release(&b);
        return NULL;
    }
    if (!b.data)
        return qtr_strdup("");
    return b.data;
}

char *qtr_pg_redact(const char *conn)
{
    if (!conn)
        return NULL;
    if (!qtr_is_pg(conn))
        return qtr_strdup(conn);
    const char *scheme = strstr(conn, "://");
    if (scheme && (strncmp(conn + 3, "postgresql://", 13) == 0 ||
                   strncmp(conn + 3, "postgres://", 11) == 0))
        return redact_uri(conn, scheme);
    /* keyword = value pairs; values may be quoted with '...' and \' inside */
    struct qtr_buf b = {0};
    int bad = qtr_buf_append(&b, "PG:", 3);
    const char *p = conn + 3;
    int first = 1;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t klen = (size_t)(p - start);
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '=') {
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (*p == '\'') {
                p++;
                while (*p && *p != '\'') {
                    if (*p == '\\' && p[1])
                        p++;
                    p++;
                }
                if (*p == '\'')
                    p++;
            } else {
                while (*p && !isspace((unsigned char)*p))
                    p++;
            }
        }
        if (klen == 8 && strncasecmp(start, "password", 8) == 0)
            continue;
        bad |= qtr_buf_printf(&b, "%s%.*s", first ? "" : " ", (int)(p - start), start);
        first = 0;
    }
    if (bad) {
        qtr_buf_release(&b);
        return NULL;
    }
    return b.data;
}

/* The first line of PostgreSQL's message (the others show the statement GDAL sent), without
 * "ERROR:" and with blanks collapsed, into buf. Returns buf. */
static const char *first_line(const char *msg, char *buf, size_t size)
{
    while (msg && (*msg == ' ' || *msg == '\n'))
        msg++;
    if (msg && strncmp(msg, "ERROR:", 6) == 0)
        msg += 6;
    size_t o = 0;
    for (const char *p = msg ? msg : ""; *p && *p != '\n' && o + 1 < size; p++) {
        char c = *p == '\t' ? ' ' : *p;
        if (c == ' ' && (o == 0 || buf[o - 1] == ' '))
            continue;
        buf[o++] = c;
    }
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    buf[o] = '\0';
    return buf;
}

int qtr_pg_open(const char *conn, const char *shown, const char *where, int update, void **ds,
                struct qtr_error *err)
{
    struct qtr_gdal_capture cap = {0};
    static const char *const drivers[] = {"PostgreSQL", NULL};
    GDALAllRegister();
    qtr_gdal_capture_begin(&cap);
    CPLErrorReset();
    *ds = GDALOpenEx(conn, GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY),
                     drivers, NULL, NULL);
    qtr_gdal_capture_end();
    if (*ds)
        return QTR_OK;
    /* libpq's message spans lines: one line for the message */
    char why[sizeof cap.msg];
    snprintf(why, sizeof why, "%s", cap.msg[0] ? cap.msg : qtr_gdal_last_error());
    size_t o = 0;
    for (size_t i = 0; why[i]; i++) {
        char c = why[i] == '\n' || why[i] == '\t' ? ' ' : why[i];
        if (c == ' ' && (o == 0 || why[o - 1] == ' '))
            continue;
        why[o++] = c;
    }
    while (o > 0 && why[o - 1] == ' ')
        o--;
    why[o] = '\0';
    return qtr_error_set(err, QTR_ERR_IO,
                         "cannot connect to PostgreSQL '%s' (%s); check the connection string "
                         "in %s, that the server runs, and the user's password (give it in "
                         "~/.pgpass or PGPASSWORD, not in the analysis file)",
                         shown, why, where);
}

int qtr_pg_read_failed(struct qtr_error *err, const char *shown, const char *table,
                       const char *sql, const char *msg)
{
    const char *what = table ? "table" : "query";
    const char *name = table ? table : sql;
    char line[512];
    msg = first_line(msg, line, sizeof line);
    if (strstr(msg, "permission denied"))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "PostgreSQL '%s': no right to read %s '%s' (%s); ask the "
                             "database administrator for GRANT SELECT on it (and USAGE on its "
                             "schema) to the user of the connection",
                             shown, what, name, msg);
    return qtr_error_set(err, QTR_ERR_DATA, "PostgreSQL '%s': reading %s '%s' failed (%s)", shown,
                         what, name, *msg ? msg : "no message from the server");
}

/* "schema.table" as a quoted SQL name: "schema"."table" ("" inside doubled). */
static char *quote_table(const char *table)
{
    struct qtr_buf b = {0};
    int bad = qtr_buf_append(&b, "\"", 1);
    for (const char *p = table; *p; p++) {
        if (*p == '.')
            bad |= qtr_buf_append(&b, "\".\"", 3);
        else if (*p == '"')
            bad |= qtr_buf_append(&b, "\"\"", 2);
        else
            bad |= qtr_buf_append(&b, p, 1);
    }
    bad |= qtr_buf_append(&b, "\"", 1);
    if (bad) {
        qtr_buf_release(&b);
        return NULL;
    }
    return b.data;
}

/* Try to read no row of `table`: PostgreSQL then says whether it exists and may be read
 * (the driver itself finds a table the user may not read, and then fails on its CRS). */
static int probe_table(GDALDatasetH ds, const char *shown, const char *table,
                       struct qtr_error *err)
{
    struct qtr_gdal_capture cap = {0};
    char *q = quote_table(table);
    char *sql = q ? qtr_asprintf("SELECT * FROM %s LIMIT 0", q) : NULL;
    free(q);
    if (!sql)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    qtr_gdal_capture_begin(&cap);
    CPLErrorReset();
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    qtr_gdal_capture_end();
    free(sql);
    if (l)
        GDALDatasetReleaseResultSet(ds, l);
    if (strstr(cap.msg, "permission denied"))
        return qtr_pg_read_failed(err, shown, table, NULL, cap.msg);
    char line[512];
    if (strstr(cap.msg, "does not exist"))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "PostgreSQL '%s' has no table or view '%s' (%s); write it as "
                             "schema.table (e.g. public.bezirke) and check the name",
                             shown, table, first_line(cap.msg, line, sizeof line));
    return QTR_OK;
}

int qtr_pg_layer(void *ds, const char *shown, const char *table, const char *sql, void **layer,
                 int *is_sql, struct qtr_error *err)
{
    struct qtr_gdal_capture cap = {0};
    *layer = NULL;
    *is_sql = 0;
    if ((table != NULL) == (sql != NULL))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "PostgreSQL '%s': give either a table (layer =) or a query (sql =)",
                             shown);
    qtr_gdal_capture_begin(&cap);
    CPLErrorReset();
    if (sql) {
        *layer = GDALDatasetExecuteSQL((GDALDatasetH)ds, sql, NULL, NULL);
        *is_sql = 1;
    } else {
        int rc = probe_table((GDALDatasetH)ds, shown, table, err);
        if (rc) {
            qtr_gdal_capture_end();
            return rc;
        }
        *layer = GDALDatasetGetLayerByName((GDALDatasetH)ds, table);
    }
    qtr_gdal_capture_end();
    if (*layer)
        return QTR_OK;
    char line[512];
    first_line(cap.msg, line, sizeof line);
    if (sql)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "PostgreSQL '%s': the query '%s' failed (%s); try it in psql with "
                             "the same user",
                             shown, sql, line[0] ? line : "it returned no result set");
    if (cap.msg[0] && strstr(cap.msg, "permission denied"))
        return qtr_pg_read_failed(err, shown, table, NULL, cap.msg);
    return qtr_error_set(err, QTR_ERR_DATA,
                         "PostgreSQL '%s' has no table or view '%s' that the user can see%s%s%s; "
                         "write it as schema.table (e.g. public.bezirke) and check the name",
                         shown, table, line[0] ? " (" : "", line, line[0] ? ")" : "");
}

void qtr_pg_table_release(struct qtr_pg_table *t)
{
    if (!t)
        return;
    qtr_table_free(t->table);
    free(t->numeric);
    free(t->num);
    memset(t, 0, sizeof *t);
}

static int is_numeric_type(OGRFieldType t)
{
    return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}

int qtr_pg_table_read(const char *conn, const char *table, const char *sql,
                      struct qtr_pg_table *out, struct qtr_error *err)
{
    struct qtr_gdal_capture cap = {0};
    GDALDatasetH ds = NULL;
    OGRLayerH layer = NULL;
    OGRFeatureH f = NULL;
    int is_sql = 0, rc;
    char **names = NULL, **cells = NULL;
    const char **text = NULL;
    size_t ntext = 0, captext = 0;
    char *shown = qtr_pg_redact(conn);
    char *label = NULL;
    memset(out, 0, sizeof *out);
    if (!shown)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if ((rc = qtr_pg_open(conn, shown, "[table] source", 0, (void **)&ds, err)) ||
        (rc = qtr_pg_layer(ds, shown, table, sql, (void **)&layer, &is_sql, err)))
        goto out;
    label = qtr_asprintf("%s %s", shown, table ? table : sql);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nf = OGR_FD_GetFieldCount(defn);
    size_t w = nf > 0 ? (size_t)nf : 0;
    names = calloc(w ? w : 1, sizeof *names);
    cells = calloc(w ? w : 1, sizeof *cells);
    out->numeric = calloc(w ? w : 1, 1);
    if (!label || !names || !cells || !out->numeric) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < w; j++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, (int)j);
        names[j] = (char *)OGR_Fld_GetNameRef(fd);
        out->numeric[j] = (uint8_t)is_numeric_type(OGR_Fld_GetType(fd));
    }
    out->table = qtr_table_new(label, w, (const char *const *)names);
    if (!out->table) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t cap_rows = 0;
    qtr_gdal_capture_begin(&cap);
    OGR_L_ResetReading(layer);
    for (size_t row = 0;; row++) {
        qtr_gdal_capture_reset(&cap);
        CPLErrorReset();
        f = OGR_L_GetNextFeature(layer);
        if (cap.failures || CPLGetLastErrorType() >= CE_Failure) {
            qtr_gdal_capture_end();
            rc = qtr_pg_read_failed(err, shown, table, sql,
                                    cap.failures ? cap.msg : qtr_gdal_last_error());
            goto out;
        }
        if (!f)
            break;
        if (row == cap_rows) {
            size_t nc = cap_rows ? 2 * cap_rows : 256;
            double *n2 = realloc(out->num, nc * (w ? w : 1) * sizeof *n2);
            if (!n2) {
                qtr_gdal_capture_end();
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            out->num = n2;
            cap_rows = nc;
        }
        for (size_t j = 0; j < w; j++) {
            int set = OGR_F_IsFieldSetAndNotNull(f, (int)j);
            cells[j] = qtr_strdup(set ? OGR_F_GetFieldAsString(f, (int)j) : "");
            out->num[row * w + j] =
                set && out->numeric[j] ? OGR_F_GetFieldAsDouble(f, (int)j) : NAN;
        }
        rc = qtr_table_append_row(out->table, (const char *const *)cells, row + 1, err);
        for (size_t j = 0; j < w; j++) {
            if (!cells[j] && rc == QTR_OK)
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            free(cells[j]);
            cells[j] = NULL;
        }
        OGR_F_Destroy(f);
        f = NULL;
        if (rc) {
            qtr_gdal_capture_end();
            goto out;
        }
    }
    qtr_gdal_capture_end();

    /* decimal mark of the text columns, as a CSV file's is guessed from its cells */
    for (size_t i = 0; i < out->table->nrows; i++)
        for (size_t j = 0; j < w; j++) {
            if (out->numeric[j])
                continue;
            if (ntext == captext) {
                size_t nc = captext ? 2 * captext : 1024;
                const char **t2 = realloc(text, nc * sizeof *t2);
                if (!t2) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                text = t2;
                captext = nc;
            }
            text[ntext++] = qtr_table_cell(out->table, i, j);
        }
    out->decimal_mark = qtr_guess_decimal_mark(text, (unsigned long)ntext, ',');
    rc = QTR_OK;
out:
    if (f)
        OGR_F_Destroy(f);
    if (layer && is_sql)
        GDALDatasetReleaseResultSet(ds, layer);
    if (ds)
        GDALClose(ds);
    free(names);
    free(cells);
    free(text);
    free(label);
    free(shown);
    if (rc)
        qtr_pg_table_release(out);
    return rc;
}
