/*
 * pg_sink.h - the run's tables into a PostgreSQL schema (output = PG:... schema=NAME).
 *
 * The GeoPackage the run writes is the source: every layer of it (districts, candidate
 * areas, city indices, change, goals, join report, run info, profile, crosswalk ...) goes
 * into the schema NAME, its QGIS styles into public.layer_styles (the table and columns QGIS
 * itself creates; rows for f_table_catalog = the database, f_table_schema = NAME) and the
 * field descriptions of gpkg_data_columns become column comments.
 *
 * Atomic in two steps: qtr_pg_sink_stage writes everything into the staging schema
 * NAME_qtr_staging (a leftover of a killed run is dropped first); qtr_pg_sink_swap then, in
 * one transaction, renames NAME to NAME_qtr_old, the staging schema to NAME, drops the old
 * one and replaces NAME's rows in layer_styles. A run that fails or is killed before the
 * swap leaves NAME and its styles as they were.
 *
 * The files (report, maps, tables, the GeoPackage) go to the folder NAME beside the
 * analysis file (qtr_pg_sink_folder), written and swapped in as for a folder output
 * (outdir.h).
 */
#ifndef QUARTIER_PG_SINK_H
#define QUARTIER_PG_SINK_H

#include "quartier/ctx.h"
#include "quartier/error.h"

struct qtr_pg_sink;

/**
 * Parse `target` ("PG:<libpq keywords> schema=NAME"), check that the server can be reached
 * (a run fails in a second, not after the permutations) and choose the folder for the files:
 * `dir`/NAME. NAME must be a plain lower-case SQL name (a-z, 0-9, _; at most 48 characters);
 * a missing or other schema is QTR_ERR_USAGE.
 */
int qtr_pg_sink_begin(const char *target, const char *dir, struct qtr_pg_sink **out,
                      struct qtr_error *err);

/**
 * The schema NAME of `target` ("PG:... schema=NAME"), checked as qtr_pg_sink_begin checks it,
 * without connecting. Caller frees *schema. Errors: QTR_ERR_USAGE (no schema=, or not a
 * plain lower-case name), QTR_ERR_NOMEM.
 */
int qtr_pg_target_schema(const char *target, char **schema, struct qtr_error *err);

/** `target` with schema=NAME replaced by schema=`schema` (caller frees *out). */
int qtr_pg_target_with_schema(const char *target, const char *schema, char **out,
                              struct qtr_error *err);

/** Put the run's files into `folder` instead of `dir`/NAME (a region of a batch). */
int qtr_pg_sink_set_folder(struct qtr_pg_sink *s, const char *folder, struct qtr_error *err);

/** The schema NAME. */
const char *qtr_pg_sink_schema(const struct qtr_pg_sink *s);

/**
 * The sink's connection (a GDALDatasetH, opened on first use; the one the lock is taken on
 * later), for reading before the write (the comparison of a batch reads the regions'
 * schemas). Owned by the sink.
 */
int qtr_pg_sink_connection(struct qtr_pg_sink *s, void **ds, struct qtr_error *err);

/** The folder for the run's files. */
const char *qtr_pg_sink_folder(const struct qtr_pg_sink *s);

/** "PG:... schema=NAME" without the password, for messages. */
const char *qtr_pg_sink_shown(const struct qtr_pg_sink *s);

/** Copy the layers, comments and styles of GeoPackage `gpkg` into the staging schema. */
int qtr_pg_sink_stage(struct qtr_ctx *ctx, struct qtr_pg_sink *s, const char *gpkg,
                      struct qtr_error *err);

/** Swap the staging schema in (one transaction). */
int qtr_pg_sink_swap(struct qtr_pg_sink *s, struct qtr_error *err);

/** NULL-safe. */
void qtr_pg_sink_free(struct qtr_pg_sink *s);

#endif
