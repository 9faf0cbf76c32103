/*
 * gpkg_style.c - layer_styles and gpkg_data_columns through plain SQLite.
 * DDL as GDAL 3.6 (ogrgeopackagedatasource.cpp) and QGIS 3.22 write it, so
 * GDAL's validate_gpkg and QGIS accept the result.
 */
#include "quartier/gpkg_style.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/strutil.h"

static const char layer_styles_ddl[] =
    "CREATE TABLE IF NOT EXISTS \"layer_styles\" ("
    "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    "\"f_table_catalog\" TEXT(256),"
    "\"f_table_schema\" TEXT(256),"
    "\"f_table_name\" TEXT(256),"
    "\"f_geometry_column\" TEXT(256),"
    "\"styleName\" TEXT(30),"
    "\"styleQML\" TEXT,"
    "\"styleSLD\" TEXT,"
    "\"useAsDefault\" BOOLEAN,"
    "\"description\" TEXT,"
    "\"owner\" TEXT(30),"
    "\"ui\" TEXT(30),"
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));";

static const char schema_ddl[] =
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
    "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));"
    "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL,"
    "column_name TEXT NOT NULL,name TEXT,title TEXT,description TEXT,mime_type TEXT,"
    "constraint_name TEXT,CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),"
    "CONSTRAINT gdc_tn UNIQUE (table_name, name));"
    "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL,"
    "constraint_type TEXT NOT NULL,value TEXT,min NUMERIC,min_is_inclusive BOOLEAN,"
    "max NUMERIC,max_is_inclusive BOOLEAN,description TEXT,"
    "CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));"
    "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
    "SELECT t, NULL, 'gpkg_schema', 'http://www.geopackage.org/spec121/#extension_schema', "
    "'read-write' FROM (SELECT 'gpkg_data_columns' AS t UNION ALL "
    "SELECT 'gpkg_data_column_constraints') WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions "
    "WHERE table_name = t AND column_name IS NULL AND extension_name = 'gpkg_schema');";

static int db_error(sqlite3 *db, const char *path, const char *what, struct qtr_error *err)
{
    return qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s': %s failed: %s", path, what,
                         db ? sqlite3_errmsg(db) : "cannot allocate a database handle");
}

/* Open path read-write (never create) and check it is a GeoPackage. */
static int open_gpkg(const char *path, sqlite3 **out, struct qtr_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = QTR_OK;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot open GeoPackage '%s' for writing: %s", path,
                           db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = qtr_error_set(err, QTR_ERR_IO, "'%s' is not a SQLite/GeoPackage file: %s", path,
                           sqlite3_errmsg(db));
        goto out;
    }
    /* 0x47504B47 = "GPKG" (GeoPackage 1.2+, Req 2) */
    if (sqlite3_column_int64(st, 0) != 0x47504B47) {
        rc = qtr_error_set(err, QTR_ERR_IO,
                           "'%s' is not a GeoPackage (application_id is not 'GPKG')", path);
        goto out;
    }
    *out = db;
    db = NULL;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

static int exec(sqlite3 *db, const char *path, const char *sql, const char *what,
                struct qtr_error *err)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(db, path, what, err);
    return QTR_OK;
}

/* Geometry column of feature table `table` (malloc'ed into *col). */
static int geom_column(sqlite3 *db, const char *path, const char *table, char **col,
                       struct qtr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = QTR_OK;
    *col = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(db, path, "reading gpkg_geometry_columns", err);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *col = qtr_strdup((const char *)sqlite3_column_text(st, 0));
        if (!*col)
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    } else if (s == SQLITE_DONE) {
        rc = qtr_error_set(err, QTR_ERR_USAGE,
                           "GeoPackage '%s' has no feature layer '%s' (names are "
                           "case-sensitive); cannot attach a style to it",
                           path, table);
    } else {
        rc = db_error(db, path, "reading gpkg_geometry_columns", err);
    }
    sqlite3_finalize(st);
    return rc;
}

int qtr_gpkg_add_styles(const char *path, const struct qtr_gpkg_style *styles, size_t n,
                        struct qtr_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *del = NULL, *clr = NULL, *ins = NULL, *srs = NULL;
    char *gcol = NULL;
    int rc = QTR_OK, in_tx = 0;

    for (size_t i = 0; i < n; i++) {
        if (!styles[i].table || !styles[i].name || !*styles[i].name || !styles[i].qml)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "style %zu for GeoPackage '%s' has no table, name or QML", i,
                                 path);
        for (size_t j = 0; j < i; j++) {
            if (styles[i].use_as_default && styles[j].use_as_default &&
                strcmp(styles[i].table, styles[j].table) == 0)
                return qtr_error_set(err, QTR_ERR_USAGE,
                                     "styles '%s' and '%s' are both marked as default for "
                                     "layer '%s'; QGIS can apply only one",
                                     styles[j].name, styles[i].name, styles[i].table);
        }
    }
    if ((rc = open_gpkg(path, &db, err)))
        goto out;
    if ((rc = exec(db, path, "BEGIN IMMEDIATE", "starting a transaction", err)))
        goto out;
    in_tx = 1;
    if ((rc = exec(db, path, layer_styles_ddl, "creating layer_styles", err)))
        goto out;
    /* Register as an attributes table like OGR; srs_id 0 is mandatory in
     * gpkg_spatial_ref_sys (GPKG Req 11) but fall back to NULL if a writer left it out. */
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, "
                           "identifier, description, last_change, srs_id) VALUES "
                           "('layer_styles', 'attributes', 'layer_styles', '', "
                           "coalesce(?1, strftime('%Y-%m-%dT%H:%M:%fZ','now')), (SELECT srs_id "
                           "FROM gpkg_spatial_ref_sys WHERE srs_id = 0))",
                           -1, &srs, NULL) != SQLITE_OK ||
        /* a fixed update_time also fixes last_change, for reproducible files */
        sqlite3_bind_text(srs, 1, n > 0 ? styles[0].update_time : NULL, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_step(srs) != SQLITE_DONE) {
        rc = db_error(db, path, "registering layer_styles in gpkg_contents", err);
        goto out;
    }
    if (sqlite3_prepare_v2(db,
                           "DELETE FROM layer_styles WHERE f_table_name = ?1 AND styleName = ?2",
                           -1, &del, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = ?1",
                           -1, &clr, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO layer_styles (f_table_catalog, f_table_schema, "
                           "f_table_name, f_geometry_column, styleName, styleQML, styleSLD, "
                           "useAsDefault, description, owner, ui, update_time) VALUES "
                           "('', '', ?1, ?2, ?3, ?4, '', ?5, ?6, '', NULL, "
                           "coalesce(?7, strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
                           -1, &ins, NULL) != SQLITE_OK) {
        rc = db_error(db, path, "preparing the style statements", err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct qtr_gpkg_style *s = &styles[i];
        free(gcol);
        if ((rc = geom_column(db, path, s->table, &gcol, err)))
            goto out;
        sqlite3_reset(del);
        sqlite3_bind_text(del, 1, s->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 2, s->name, -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE) {
            rc = db_error(db, path, "replacing an old style", err);
            goto out;
        }
        if (s->use_as_default) {
            sqlite3_reset(clr);
            sqlite3_bind_text(clr, 1, s->table, -1, SQLITE_STATIC);
            if (sqlite3_step(clr) != SQLITE_DONE) {
                rc = db_error(db, path, "clearing the old default style", err);
                goto out;
            }
        }
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, s->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, gcol, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, s->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, s->qml, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 5, s->use_as_default ? 1 : 0);
        sqlite3_bind_text(ins, 6, s->description ? s->description : "", -1, SQLITE_STATIC);
        if (s->update_time)
            sqlite3_bind_text(ins, 7, s->update_time, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins, 7);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = db_error(db, path, "inserting a style", err);
            goto out;
        }
    }
    if ((rc = exec(db, path, "COMMIT", "committing the styles", err)))
        goto out;
    in_tx = 0;
out:
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(del);
    sqlite3_finalize(clr);
    sqlite3_finalize(ins);
    sqlite3_finalize(srs);
    free(gcol);
    if (db && sqlite3_close(db) != SQLITE_OK && rc == QTR_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "closing GeoPackage '%s' failed", path);
    return rc;
}

/* 1 when `column` is a column of `table`; else 0 and the column list in *list. */
static int has_column(sqlite3 *db, const char *table, const char *column, struct qtr_buf *list)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1)", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            if (name && strcmp(name, column) == 0)
                found = 1;
            if (name)
                qtr_buf_printf(list, "%s%s", list->len ? ", " : "", name);
        }
    }
    sqlite3_finalize(st);
    return found;
}

int qtr_gpkg_add_column_docs(const char *path, const struct qtr_gpkg_column_doc *docs, size_t n,
                             struct qtr_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL, *tab = NULL, *del = NULL;
    struct qtr_buf cols = {0};
    int rc = QTR_OK, in_tx = 0;

    if ((rc = open_gpkg(path, &db, err)))
        goto out;
    if ((rc = exec(db, path, "BEGIN IMMEDIATE", "starting a transaction", err)))
        goto out;
    in_tx = 1;
    if ((rc = exec(db, path, schema_ddl, "creating the schema extension tables", err)))
        goto out;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM gpkg_contents WHERE table_name = ?1", -1, &tab,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO gpkg_data_columns (table_name, column_name, "
                           "name, title, description, mime_type, constraint_name) VALUES "
                           "(?1, ?2, ?3, ?4, ?5, NULL, NULL)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "DELETE FROM gpkg_data_columns WHERE table_name = ?1 AND "
                           "column_name = ?2",
                           -1, &del, NULL) != SQLITE_OK) {
        rc = db_error(db, path, "preparing the column statements", err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct qtr_gpkg_column_doc *d = &docs[i];
        if (!d->table || !d->column) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "column description %zu has no table or column",
                               i);
            goto out;
        }
        sqlite3_reset(tab);
        sqlite3_bind_text(tab, 1, d->table, -1, SQLITE_STATIC);
        if (sqlite3_step(tab) != SQLITE_ROW) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "GeoPackage '%s' has no table '%s' in gpkg_contents; cannot "
                               "describe its column '%s'",
                               path, d->table, d->column);
            goto out;
        }
        cols.len = 0;
        if (cols.data)
            cols.data[0] = '\0';
        if (!has_column(db, d->table, d->column, &cols)) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "table '%s' in '%s' has no column '%s' (columns: %s)", d->table,
                               path, d->column, cols.data ? cols.data : "none");
            goto out;
        }
        /* replace this column's row, but let a clash with another column's alias fail
         * (INSERT OR REPLACE would silently delete the other column's row) */
        sqlite3_reset(del);
        sqlite3_bind_text(del, 1, d->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 2, d->column, -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE) {
            rc = db_error(db, path, "replacing a column description", err);
            goto out;
        }
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, d->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, d->column, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, d->alias, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, d->title, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, d->description, -1, SQLITE_STATIC);
        int s = sqlite3_step(ins);
        if (s == SQLITE_CONSTRAINT) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "alias '%s' for column '%s' is already used by another column of "
                               "'%s'; aliases must be unique per table",
                               d->alias ? d->alias : "", d->column, d->table);
            goto out;
        }
        if (s != SQLITE_DONE) {
            rc = db_error(db, path, "writing gpkg_data_columns", err);
            goto out;
        }
    }
    if ((rc = exec(db, path, "COMMIT", "committing the column descriptions", err)))
        goto out;
    in_tx = 0;
out:
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(ins);
    sqlite3_finalize(tab);
    sqlite3_finalize(del);
    qtr_buf_release(&cols);
    if (db && sqlite3_close(db) != SQLITE_OK && rc == QTR_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "closing GeoPackage '%s' failed", path);
    return rc;
}
