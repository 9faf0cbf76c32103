/*
 * pg.h - PostgreSQL/PostGIS sources through GDAL's PostgreSQL driver.
 *
 * A source is a "PG:" connection string (libpq keywords, e.g.
 * "PG:host=/run/postgresql dbname=stadt user=gis") with a table ("schema.table") or a SQL
 * query. Everything printed, stored or written about a connection (messages, run_info,
 * report) is its redacted form: the password is never shown (qtr_pg_redact). Errors name
 * the redacted connection and the table or query: the server cannot be reached or refuses
 * the login (QTR_ERR_IO), no such table, no right to read it, a query PostgreSQL rejects
 * (QTR_ERR_DATA).
 */
#ifndef QUARTIER_PG_H
#define QUARTIER_PG_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"
#include "quartier/table.h"

/** 1 when `s` is a PostgreSQL connection string ("PG:..."). */
int qtr_is_pg(const char *s);

/**
 * The connection string without its password: a `password=...` keyword (quoted or not) is
 * left out, and a URI's "user:secret@" loses ":secret". Caller frees; NULL on NULL or out
 * of memory. Anything else is returned unchanged (copied).
 */
char *qtr_pg_redact(const char *conn);

/**
 * Open `conn` (GDALDatasetH in *ds, close with GDALClose). `shown` is the redacted string
 * for messages, `where` names the key of the analysis file ("[boundaries] source").
 */
int qtr_pg_open(const char *conn, const char *shown, const char *where, int update, void **ds,
                struct qtr_error *err);

/**
 * The layer to read: the table `table` (may be "schema.table") or the result of `sql`
 * (exactly one of them; release a query's layer with GDALDatasetReleaseResultSet, *is_sql
 * says which). A missing table or a rejected query is QTR_ERR_DATA naming both.
 */
int qtr_pg_layer(void *ds, const char *shown, const char *table, const char *sql, void **layer,
                 int *is_sql, struct qtr_error *err);

/**
 * The message for a read that failed with GDAL's `msg`: missing rights ("permission denied")
 * get their own advice (GRANT SELECT). Returns the error code set.
 */
int qtr_pg_read_failed(struct qtr_error *err, const char *shown, const char *table,
                       const char *sql, const char *msg);

/** A statistics table read from PostgreSQL. */
struct qtr_pg_table {
    struct qtr_table *table; /* every column as text (NULL -> ""), numbers as PostgreSQL
                                sends them; line = row number */
    uint8_t *numeric;        /* table->ncols: 1 for integer, bigint, real, double, numeric */
    double *num;             /* nrows * ncols: the numbers of numeric columns, NAN for NULL */
    char decimal_mark;       /* qtr_guess_decimal_mark over the text columns, fallback ',' */
};

/**
 * Read a table or query (exactly one of `table`, `sql`) without its geometry. The table's
 * source is the redacted connection with the table or query.
 */
int qtr_pg_table_read(const char *conn, const char *table, const char *sql,
                      struct qtr_pg_table *out, struct qtr_error *err);

/** Free what qtr_pg_table_read allocated (not `t` itself). NULL-safe. */
void qtr_pg_table_release(struct qtr_pg_table *t);

#endif
