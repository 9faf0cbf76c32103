/*
 * pg_sink.c - the run's GeoPackage into a PostgreSQL schema, styles and comments included,
 * swapped in atomically (pg_sink.h).
 */
#include "quartier/pg_sink.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <sqlite3.h>

#include "quartier/pg.h"
#include "quartier/strutil.h"

#define STAGING_SUFFIX "_qtr_staging"
#define OLD_SUFFIX "_qtr_old"

/* QGIS's own definition of layer_styles (QgsPostgresProviderMetadata::saveStyle, 3.22). */
static const char layer_styles_ddl[] =
    "CREATE TABLE IF NOT EXISTS public.layer_styles(id SERIAL PRIMARY KEY,"
    "f_table_catalog varchar,f_table_schema varchar,f_table_name varchar,"
    "f_geometry_column varchar,styleName text,styleQML xml,styleSLD xml,useAsDefault boolean,"
    "description text,owner varchar(63) DEFAULT CURRENT_USER,ui xml,"
    "update_time timestamp DEFAULT CURRENT_TIMESTAMP,type varchar);"
    /* a table an older QGIS made lacks the column `type` (QGIS adds it the same way) */
    "ALTER TABLE public.layer_styles ADD COLUMN IF NOT EXISTS type varchar;";

struct style_row {
    char *table, *geom, *name, *qml, *sld, *description;
    int is_default;
};

struct qtr_pg_sink {
    char *conn;   /* PG: string without schema=, with a password if one was given */
    char *shown;  /* redacted, with schema= */
    char *schema; /* NAME */
    char *folder;
    void *pg;     /* GDALDatasetH: one connection from staging to swap, holding the lock */
    struct style_row *styles;
    size_t nstyles;
};

static void styles_free(struct qtr_pg_sink *s)
{
    for (size_t i = 0; i < s->nstyles; i++) {
        struct style_row *r = &s->styles[i];
        free(r->table);
        free(r->geom);
        free(r->name);
        free(r->qml);
        free(r->sld);
        free(r->description);
    }
    free(s->styles);
    s->styles = NULL;
    s->nstyles = 0;
}

void qtr_pg_sink_free(struct qtr_pg_sink *s)
{
    if (!s)
        return;
    styles_free(s);
    if (s->pg)
        GDALClose((GDALDatasetH)s->pg);
    free(s->conn);
    free(s->shown);
    free(s->schema);
    free(s->folder);
    free(s);
}

const char *qtr_pg_sink_folder(const struct qtr_pg_sink *s)
{
    return s->folder;
}

const char *qtr_pg_sink_shown(const struct qtr_pg_sink *s)
{
    return s->shown;
}

static int plain_name(const char *s, size_t n)
{
    if (n == 0 || n > 48 || !(islower((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

/* Find " schema=NAME" in target: *at points at "schema=", *name at NAME (n bytes). */
static int find_schema(const char *target, const char **at, const char **name, size_t *n)
{
    const char *p = strstr(target, "schema=");
    while (p && p > target && !isspace((unsigned char)p[-1]) && p[-1] != ':')
        p = strstr(p + 1, "schema=");
    if (!p)
        return 0;
    *at = p;
    *name = p + 7;
    *n = strcspn(*name, " \t");
    return 1;
}

static int no_schema(struct qtr_error *err)
{
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "output = PG:... needs the schema to write to, e.g. 'output = "
                         "PG:dbname=stadt schema=segregation_2024'");
}

static int bad_schema(struct qtr_error *err, const char *shown, const char *schema)
{
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "output '%s': the schema '%s' must be a plain lower-case name "
                         "(letters a-z, digits, _; at most 48 characters), e.g. "
                         "segregation_2024",
                         shown, schema);
}

int qtr_pg_target_schema(const char *target, char **schema, struct qtr_error *err)
{
    const char *at, *name;
    size_t n;
    *schema = NULL;
    if (!find_schema(target, &at, &name, &n))
        return no_schema(err);
    if (!plain_name(name, n)) {
        char *red = qtr_pg_redact(target);
        char *nm = qtr_asprintf("%.*s", (int)n, name);
        int rc = red && nm ? bad_schema(err, red, nm)
                           : qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        free(red);
        free(nm);
        return rc;
    }
    if (!(*schema = qtr_asprintf("%.*s", (int)n, name)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

int qtr_pg_target_with_schema(const char *target, const char *schema, char **out,
                              struct qtr_error *err)
{
    const char *at, *name;
    size_t n;
    *out = NULL;
    if (!find_schema(target, &at, &name, &n))
        return no_schema(err);
    if (!(*out = qtr_asprintf("%.*sschema=%s%s", (int)(at - target), target, schema, name + n)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

int qtr_pg_sink_begin(const char *target, const char *dir, struct qtr_pg_sink **out,
                      struct qtr_error *err)
{
    struct qtr_pg_sink *s = calloc(1, sizeof *s);
    void *ds = NULL;
    const char *p, *name;
    size_t n;
    int rc;
    *out = NULL;
    if (!s)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    /* take "schema=NAME" out of the libpq keywords */
    if (!find_schema(target, &p, &name, &n)) {
        qtr_pg_sink_free(s);
        return no_schema(err);
    }
    char *rest = qtr_asprintf("%.*s%s", (int)(p - target), target, name + n);
    if (!rest) {
        qtr_pg_sink_free(s);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    qtr_trim_inplace(rest);
    s->conn = rest;
    s->schema = qtr_asprintf("%.*s", (int)n, name);
    char *red = qtr_pg_redact(s->conn);
    s->shown = red && s->schema ? qtr_asprintf("%s schema=%s", red, s->schema) : NULL;
    free(red);
    if (!s->schema || !s->shown) {
        qtr_pg_sink_free(s);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    if (!plain_name(name, n)) {
        rc = bad_schema(err, s->shown, s->schema);
        qtr_pg_sink_free(s);
        return rc;
    }
    s->folder = qtr_asprintf("%s/%s", dir && *dir ? dir : ".", s->schema);
    if (!s->folder) {
        qtr_pg_sink_free(s);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    if ((rc = qtr_pg_open(s->conn, s->shown, "[analysis] output", 1, &ds, err))) {
        qtr_pg_sink_free(s);
        return rc;
    }
    GDALClose((GDALDatasetH)ds);
    *out = s;
    return QTR_OK;
}

int qtr_pg_sink_set_folder(struct qtr_pg_sink *s, const char *folder, struct qtr_error *err)
{
    char *f = qtr_strdup(folder);
    if (!f)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    free(s->folder);
    s->folder = f;
    return QTR_OK;
}

const char *qtr_pg_sink_schema(const struct qtr_pg_sink *s)
{
    return s->schema;
}

int qtr_pg_sink_connection(struct qtr_pg_sink *s, void **ds, struct qtr_error *err)
{
    int rc;
    *ds = NULL;
    if (!s->pg && (rc = qtr_pg_open(s->conn, s->shown, "[analysis] output", 1, &s->pg, err)))
        return rc;
    *ds = s->pg;
    return QTR_OK;
}

/* Run SQL that returns no rows; a failure names the step. */
static int exec(GDALDatasetH ds, const struct qtr_pg_sink *s, const char *sql, const char *what,
                struct qtr_error *err)
{
    struct qtr_gdal_capture cap = {0};
    qtr_gdal_capture_begin(&cap);
    CPLErrorReset();
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (l)
        GDALDatasetReleaseResultSet(ds, l);
    qtr_gdal_capture_end();
    if (cap.failures) {
        /* PostgreSQL's first line; the rest repeats the statement */
        cap.msg[strcspn(cap.msg, "\n")] = '\0';
        return qtr_error_set(err, QTR_ERR_IO, "PostgreSQL '%s': %s failed (%s)", s->shown, what,
                             cap.msg);
    }
    return QTR_OK;
}

/* Append s as an SQL string literal ('' for '), or NULL. */
static int put_literal(struct qtr_buf *b, const char *s)
{
    if (!s)
        return qtr_buf_puts(b, "NULL");
    int bad = qtr_buf_puts(b, "'");
    for (const char *p = s; *p; p++)
        bad |= *p == '\'' ? qtr_buf_puts(b, "''") : qtr_buf_append(b, p, 1);
    return bad | qtr_buf_puts(b, "'");
}

/* Append s as a quoted SQL name. */
static int put_name(struct qtr_buf *b, const char *s)
{
    int bad = qtr_buf_puts(b, "\"");
    for (const char *p = s; *p; p++)
        bad |= *p == '"' ? qtr_buf_puts(b, "\"\"") : qtr_buf_append(b, p, 1);
    return bad | qtr_buf_puts(b, "\"");
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? qtr_strdup((const char *)t) : NULL;
}

/* The comments of gpkg_data_columns as COMMENT ON COLUMN statements for the staging schema,
 * and the styles of layer_styles (kept for the swap). */
static int read_gpkg_meta(struct qtr_pg_sink *s, const char *gpkg, const char *staging,
                          struct qtr_buf *comments, struct qtr_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = QTR_OK, bad = 0;
    if (sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot read '%s' for PostgreSQL: %s", gpkg,
                           db ? sqlite3_errmsg(db) : "no memory");
        goto out;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT table_name, column_name, description FROM gpkg_data_columns "
                           "WHERE description IS NOT NULL AND description <> ''",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            bad |= qtr_buf_puts(comments, "COMMENT ON COLUMN ");
            bad |= put_name(comments, staging);
            bad |= qtr_buf_puts(comments, ".");
            bad |= put_name(comments, (const char *)sqlite3_column_text(st, 0));
            bad |= qtr_buf_puts(comments, ".");
            bad |= put_name(comments, (const char *)sqlite3_column_text(st, 1));
            bad |= qtr_buf_puts(comments, " IS ");
            bad |= put_literal(comments, (const char *)sqlite3_column_text(st, 2));
            bad |= qtr_buf_puts(comments, ";\n");
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT f_table_name, f_geometry_column, styleName, styleQML, "
                           "styleSLD, useAsDefault, description FROM layer_styles ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            struct style_row *r2 = realloc(s->styles, (s->nstyles + 1) * sizeof *r2);
            if (!r2) {
                bad = 1;
                break;
            }
            s->styles = r2;
            struct style_row *r = &s->styles[s->nstyles++];
            r->table = dup_col(st, 0);
            r->geom = dup_col(st, 1);
            r->name = dup_col(st, 2);
            r->qml = dup_col(st, 3);
            r->sld = dup_col(st, 4);
            r->description = dup_col(st, 6);
            r->is_default = sqlite3_column_int(st, 5);
            bad |= !r->table || !r->qml;
        }
    }
    if (bad)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
out:
    if (st)
        sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* The layers of the GeoPackage to copy: all but the styles (they go to layer_styles). */
static char **layer_args(GDALDatasetH src, const char *staging)
{
    char **argv = NULL;
    char *lco = qtr_asprintf("SCHEMA=%s", staging);
    if (!lco)
        return NULL;
    /* the tables only: GDAL 3.6 writes reals with 15 digits, the rows follow in copy_rows */
    static const char *const opts[] = {"-lco", "LAUNDER=NO", "-lco", "PRECISION=NO",
                                       "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
                                       "-where", "1 = 0", "-lco"};
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
        argv = CSLAddString(argv, opts[k]);
    argv = CSLAddString(argv, lco);
    free(lco);
    for (int i = 0; i < GDALDatasetGetLayerCount(src); i++) {
        const char *name = OGR_L_GetName(GDALDatasetGetLayer(src, i));
        if (strcmp(name, "layer_styles") != 0 && strncmp(name, "gpkg_", 5) != 0)
            argv = CSLAddString(argv, name);
    }
    return argv;
}

/* A value as SQL: every double with 17 digits (it reads back to the same bits). */
static int put_value(struct qtr_buf *b, OGRFeatureH f, int j, OGRFieldDefnH fd)
{
    if (!OGR_F_IsFieldSetAndNotNull(f, j))
        return qtr_buf_puts(b, "NULL");
    switch (OGR_Fld_GetType(fd)) {
    case OFTInteger:
    case OFTInteger64:
        if (OGR_Fld_GetSubType(fd) == OFSTBoolean)
            return qtr_buf_puts(b, OGR_F_GetFieldAsInteger64(f, j) ? "true" : "false");
        return qtr_buf_printf(b, "%lld", (long long)OGR_F_GetFieldAsInteger64(f, j));
    case OFTReal: {
        double v = OGR_F_GetFieldAsDouble(f, j);
        if (isnan(v))
            return qtr_buf_puts(b, "'NaN'");
        if (isinf(v))
            return qtr_buf_puts(b, v > 0 ? "'Infinity'" : "'-Infinity'");
        return qtr_buf_printf(b, "%.17g", v);
    }
    default:
        return put_literal(b, OGR_F_GetFieldAsString(f, j));
    }
}

/* The rows of `src` into staging.`name` (created empty by GDAL), in INSERTs of 200 rows. */
static int copy_rows(GDALDatasetH pg, const struct qtr_pg_sink *s, OGRLayerH src,
                     const char *staging, struct qtr_error *err)
{
    const char *name = OGR_L_GetName(src);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(src);
    int nf = OGR_FD_GetFieldCount(defn);
    int has_geom = OGR_FD_GetGeomFieldCount(defn) > 0;
    struct qtr_buf head = {0}, sql = {0};
    unsigned char *wkb = NULL;
    size_t wkb_cap = 0;
    int bad = 0, rc = QTR_OK;
    long srid = 0;
    if (has_geom) {
        char *q = qtr_asprintf("SELECT Find_SRID('%s', '%s', 'geom')", staging, name);
        OGRLayerH r = q ? GDALDatasetExecuteSQL(pg, q, NULL, NULL) : NULL;
        free(q);
        OGRFeatureH f = r ? OGR_L_GetNextFeature(r) : NULL;
        if (f) {
            srid = (long)OGR_F_GetFieldAsInteger64(f, 0);
            OGR_F_Destroy(f);
        }
        if (r)
            GDALDatasetReleaseResultSet(pg, r);
    }
    bad |= qtr_buf_puts(&head, "INSERT INTO ") | put_name(&head, staging) |
           qtr_buf_puts(&head, ".") | put_name(&head, name) | qtr_buf_puts(&head, " (fid");
    for (int j = 0; j < nf; j++)
        bad |= qtr_buf_puts(&head, ", ") |
               put_name(&head, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, j)));
    bad |= qtr_buf_puts(&head, has_geom ? ", geom) VALUES " : ") VALUES ");
    OGR_L_SetAttributeFilter(src, NULL); /* the -where of the copy of the tables stays set */
    OGR_L_ResetReading(src);
    OGRFeatureH f;
    size_t rows = 0;
    while (!bad && !rc && (f = OGR_L_GetNextFeature(src)) != NULL) {
        if (rows == 0)
            bad |= qtr_buf_append(&sql, head.data, head.len);
        else
            bad |= qtr_buf_puts(&sql, ",\n");
        bad |= qtr_buf_printf(&sql, "(%lld", (long long)OGR_F_GetFID(f));
        for (int j = 0; j < nf; j++)
            bad |= qtr_buf_puts(&sql, ", ") | put_value(&sql, f, j, OGR_FD_GetFieldDefn(defn, j));
        if (has_geom) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            if (!g) {
                bad |= qtr_buf_puts(&sql, ", NULL");
            } else {
                size_t sz = (size_t)OGR_G_WkbSize(g);
                if (sz > wkb_cap) {
                    unsigned char *nw = realloc(wkb, sz);
                    if (!nw)
                        bad = 1;
                    else
                        wkb = nw, wkb_cap = sz;
                }
                if (!bad) {
                    OGR_G_ExportToIsoWkb(g, wkbNDR, wkb);
                    bad |= qtr_buf_puts(&sql, ", ST_GeomFromWKB('\\x");
                    for (size_t k = 0; k < sz && !bad; k++)
                        bad |= qtr_buf_printf(&sql, "%02x", wkb[k]);
                    bad |= qtr_buf_printf(&sql, "'::bytea, %ld)", srid);
                }
            }
        }
        bad |= qtr_buf_puts(&sql, ")");
        OGR_F_Destroy(f);
        if (++rows == 200) {
            if (!bad)
                rc = exec(pg, s, sql.data, "writing the rows", err);
            sql.len = 0;
            rows = 0;
        }
    }
    if (!bad && !rc && rows)
        rc = exec(pg, s, sql.data, "writing the rows", err);
    if (bad && !rc)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    free(wkb);
    qtr_buf_release(&head);
    qtr_buf_release(&sql);
    return rc;
}

/* A session lock on the schema name, held until the connection closes (also when the process
 * is killed): a second run writing the same schema is refused at once. */
static int take_lock(GDALDatasetH pg, const struct qtr_pg_sink *s, struct qtr_error *err)
{
    char *q = qtr_asprintf("SELECT pg_try_advisory_lock(hashtext('quartier schema %s'))",
                           s->schema);
    if (!q)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    OGRLayerH r = GDALDatasetExecuteSQL(pg, q, NULL, NULL);
    free(q);
    OGRFeatureH f = r ? OGR_L_GetNextFeature(r) : NULL;
    const char *v = f ? OGR_F_GetFieldAsString(f, 0) : "";
    int got = v[0] == 't' || v[0] == '1';
    if (f)
        OGR_F_Destroy(f);
    if (r)
        GDALDatasetReleaseResultSet(pg, r);
    if (!got)
        return qtr_error_set(err, QTR_ERR_IO,
                             "PostgreSQL '%s': another quartier run is writing schema %s; wait "
                             "for it or choose another schema",
                             s->shown, s->schema);
    return QTR_OK;
}

int qtr_pg_sink_stage(struct qtr_ctx *ctx, struct qtr_pg_sink *s, const char *gpkg,
                      struct qtr_error *err)
{
    GDALDatasetH pg = NULL, src = NULL;
    char **argv = NULL;
    GDALVectorTranslateOptions *vto = NULL;
    struct qtr_buf sql = {0};
    struct qtr_gdal_capture cap = {0};
    char *staging = qtr_asprintf("%s" STAGING_SUFFIX, s->schema);
    int rc;
    if (!staging)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    qtr_progress(ctx, 0.0, "writing to PostgreSQL");
    styles_free(s);
    if (!s->pg && (rc = qtr_pg_open(s->conn, s->shown, "[analysis] output", 1, &s->pg, err)))
        goto out;
    pg = (GDALDatasetH)s->pg;
    if ((rc = take_lock(pg, s, err)))
        goto out;
    /* a staging schema left by a killed run goes first */
    if (qtr_buf_puts(&sql, "DROP SCHEMA IF EXISTS ") || put_name(&sql, staging) ||
        qtr_buf_puts(&sql, " CASCADE; CREATE SCHEMA ") || put_name(&sql, staging)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = exec(pg, s, sql.data, "creating the staging schema", err)))
        goto out;
    sql.len = 0;
    sql.data[0] = '\0';

    src = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!src) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot read '%s' for PostgreSQL (%s)", gpkg,
                           qtr_gdal_last_error());
        goto out;
    }
    argv = layer_args(src, staging);
    vto = argv ? GDALVectorTranslateOptionsNew(argv, NULL) : NULL;
    if (!vto) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot set up the copy to PostgreSQL (%s)",
                           qtr_gdal_last_error());
        goto out;
    }
    int usage = 0;
    qtr_gdal_capture_begin(&cap);
    CPLErrorReset();
    GDALDatasetH done = GDALVectorTranslate(NULL, pg, 1, &src, vto, &usage);
    qtr_gdal_capture_end();
    if (!done || cap.failures) {
        rc = qtr_error_set(err, QTR_ERR_IO,
                           "PostgreSQL '%s': writing the tables into schema %s failed (%s)",
                           s->shown, staging, cap.msg[0] ? cap.msg : qtr_gdal_last_error());
        goto out;
    }
    for (int i = 0; i < GDALDatasetGetLayerCount(src); i++) {
        OGRLayerH l = GDALDatasetGetLayer(src, i);
        const char *name = OGR_L_GetName(l);
        if (!strcmp(name, "layer_styles") || !strncmp(name, "gpkg_", 5))
            continue;
        if ((rc = copy_rows(pg, s, l, staging, err)))
            goto out;
        qtr_progress(ctx, 0.8 * (i + 1) / GDALDatasetGetLayerCount(src),
                     "writing to PostgreSQL");
    }
    GDALClose(src);
    src = NULL;
    if ((rc = read_gpkg_meta(s, gpkg, staging, &sql, err)))
        goto out;
    if (sql.len && (rc = exec(pg, s, sql.data, "writing the column comments", err)))
        goto out;
    qtr_progress(ctx, 1.0, "writing to PostgreSQL");
    rc = QTR_OK;
out:
    if (vto)
        GDALVectorTranslateOptionsFree(vto);
    CSLDestroy(argv);
    if (src)
        GDALClose(src);
    qtr_buf_release(&sql);
    free(staging);
    return rc;
}

int qtr_pg_sink_swap(struct qtr_pg_sink *s, struct qtr_error *err)
{
    GDALDatasetH pg = NULL;
    struct qtr_buf sql = {0};
    char *staging = qtr_asprintf("%s" STAGING_SUFFIX, s->schema);
    char *old = qtr_asprintf("%s" OLD_SUFFIX, s->schema);
    int rc, bad = !staging || !old;
    /* one simple query: PostgreSQL runs its statements as one transaction, all or nothing.
     * The regions of a batch swap at the same time: the lock (held to the end of the
     * transaction) keeps two of them from creating layer_styles at once */
    bad = bad || qtr_buf_puts(&sql, "DO $qtr$ BEGIN PERFORM pg_advisory_xact_lock("
                                    "hashtext('quartier layer_styles')); END $qtr$;\n");
    bad = bad || qtr_buf_puts(&sql, layer_styles_ddl);
    bad = bad || qtr_buf_printf(&sql, "DROP SCHEMA IF EXISTS \"%s\" CASCADE;\n", old);
    bad = bad || qtr_buf_printf(&sql,
                                "DO $qtr$ BEGIN IF EXISTS (SELECT 1 FROM pg_namespace WHERE "
                                "nspname = '%s') THEN ALTER SCHEMA \"%s\" RENAME TO \"%s\"; "
                                "END IF; END $qtr$;\n",
                                s->schema, s->schema, old);
    bad = bad ||
          qtr_buf_printf(&sql, "ALTER SCHEMA \"%s\" RENAME TO \"%s\";\n", staging, s->schema);
    bad = bad || qtr_buf_printf(&sql, "DROP SCHEMA IF EXISTS \"%s\" CASCADE;\n", old);
    bad = bad || qtr_buf_printf(&sql,
                                "DELETE FROM public.layer_styles WHERE f_table_catalog = "
                                "current_database() AND f_table_schema = '%s';\n",
                                s->schema);
    for (size_t i = 0; !bad && i < s->nstyles; i++) {
        const struct style_row *r = &s->styles[i];
        bad |= qtr_buf_puts(&sql, "INSERT INTO public.layer_styles(f_table_catalog, "
                                  "f_table_schema, f_table_name, f_geometry_column, styleName, "
                                  "styleQML, styleSLD, useAsDefault, description, type) VALUES "
                                  "(current_database(), ");
        bad |= put_literal(&sql, s->schema) | qtr_buf_puts(&sql, ", ");
        bad |= put_literal(&sql, r->table) | qtr_buf_puts(&sql, ", ");
        bad |= put_literal(&sql, r->geom && *r->geom ? r->geom : NULL) |
               qtr_buf_puts(&sql, ", ");
        bad |= put_literal(&sql, r->name) | qtr_buf_puts(&sql, ", XMLPARSE(DOCUMENT ");
        bad |= put_literal(&sql, r->qml) | qtr_buf_puts(&sql, "), ");
        if (r->sld && *r->sld)
            bad |= qtr_buf_puts(&sql, "XMLPARSE(DOCUMENT ") | put_literal(&sql, r->sld) |
                   qtr_buf_puts(&sql, "), ");
        else
            bad |= qtr_buf_puts(&sql, "NULL, ");
        bad |= qtr_buf_puts(&sql, r->is_default ? "true, " : "false, ");
        /* type: QGIS stores the geometry type there and loads rows where it is NULL too */
        bad |= put_literal(&sql, r->description) | qtr_buf_puts(&sql, ", NULL);\n");
    }
    if (bad) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!s->pg && (rc = qtr_pg_open(s->conn, s->shown, "[analysis] output", 1, &s->pg, err)))
        goto out;
    pg = (GDALDatasetH)s->pg;
    rc = exec(pg, s, sql.data,
              "replacing the schema by the new run (the schema and its styles are as before; "
              "the folder of the files holds the new run)",
              err);
out:
    qtr_buf_release(&sql);
    free(staging);
    free(old);
    return rc;
}
