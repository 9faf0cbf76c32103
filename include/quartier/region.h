/*
 * region.h - one analysis file over many regions ([batch], docs/batch.md).
 *
 * `[batch] by = COLUMN` (a boundary column such as the municipality key AGS) or
 * `by = prefix:N` (the first N characters of the district key) puts every district into a
 * region. A region runs as a whole analysis of its own: `quartier run --region KEY` keeps the
 * region's districts and the table rows that belong to them (qtr_region_restrict, called by
 * the load stage), with a seed derived from the analysis seed and the region key
 * (qtr_region_seed), so a region's results do not depend on which process or machine runs it.
 * Implemented in src/pipeline/region.c; the comparison over all regions in
 * src/pipeline/compare_stage.c.
 */
#ifndef QUARTIER_REGION_H
#define QUARTIER_REGION_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/config.h"
#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/layer.h"

struct qtr_state;

/** The regions of a boundary layer. */
struct qtr_regions {
    size_t n;           /* regions, sorted by key (strcmp) */
    char **key;         /* n region keys */
    char **name;        /* n names from [batch] name = (first district's value), "" without */
    char **dir;         /* n folder names below OUTPUT/regions/ (the key, made safe) */
    size_t *ndistricts; /* n: features of the layer in the region */
    size_t nfeatures;
    size_t *of; /* nfeatures: the region of each feature */
};

/**
 * Put each feature of `l` into its region by cfg->batch_by. Errors: QTR_ERR_USAGE (the `by`
 * or `name` column is not in the layer: the message names the analysis file's line and the
 * closest columns; two keys that give the same folder name), QTR_ERR_DATA (a district
 * without a value in the column, or a key shorter than N for prefix:N; the feature is
 * named), QTR_ERR_NOMEM. *out is owned by the caller (qtr_regions_free).
 */
int qtr_regions_split(const struct qtr_config *cfg, const struct qtr_layer *l,
                      struct qtr_regions **out, struct qtr_error *err);

/** Free the regions. NULL-safe. */
void qtr_regions_free(struct qtr_regions *r);

/** Index of region `key` in r, or -1. */
long qtr_regions_find(const struct qtr_regions *r, const char *key);

/**
 * Read the boundary layer of cfg and split it (qtr_regions_split): what `quartier run`
 * does before it starts the regions' jobs. *layer receives the layer when not NULL (the
 * caller frees it), else it is freed here. Errors: those of qtr_layer_read and
 * qtr_regions_split.
 */
int qtr_regions_read(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_regions **out,
                     struct qtr_layer **layer, struct qtr_error *err);

/**
 * QTR_ERR_USAGE for a region key that is not in r: "no region 'KEY' ... (closest: ...)"
 * naming the [batch] line of the analysis file.
 */
int qtr_regions_unknown(const struct qtr_config *cfg, const struct qtr_regions *r, const char *key,
                        struct qtr_error *err);

/**
 * The seed of region `key`: splitmix64(seed XOR FNV-1a-64(key)). It depends only on the
 * analysis seed and the region key, never on the order or process the regions run in.
 */
uint64_t qtr_region_seed(uint64_t seed, const char *key);

/**
 * Load-stage step of `quartier run --region` (cfg->region set): keep the region's districts
 * of st->layer and the rows of st->tables that belong to the region. A table row belongs to
 * the region of the district it joins (by key, or by normalised name with join = name);
 * with prefix:N, an unmatched row whose key starts with the region's prefix belongs to
 * that region; a row that matches no district of any region stays in every region, so each
 * region's join report names it as a whole-city run would. Tables on another layout
 * (boundaries = ..., carried) are kept whole. Without cfg->region but with [batch] (`quartier
 * check`), the split is only checked, so check fails where a batch would. With
 * cfg->region_schema (the batch writes to PostgreSQL) the regions' schema names are checked
 * too (qtr_regions_check_schemas). Errors: those of qtr_regions_split and
 * qtr_regions_check_schemas, QTR_ERR_USAGE (unknown region, qtr_regions_unknown),
 * QTR_ERR_NOMEM.
 */
int qtr_region_restrict(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        struct qtr_error *err);

/** What a region run records about itself, before disclosure control (run.c). */
struct qtr_region_note {
    int set;
    size_t districts, districts_in_indices;
    double residents, residents_in_indices; /* sums of [population] total (values only) */
};

/** Fill st->region from the frame, before disclosure control; no-op without cfg->region. */
void qtr_region_note(const struct qtr_config *cfg, struct qtr_state *st);

/**
 * Add the region's rows to run_info of the staged GeoPackage st->gpkg_path: region,
 * region_name, region_by, analysis_seed, region_districts, region_districts_in_indices,
 * region_residents, region_residents_in_indices (what the comparison reads). No-op without
 * cfg->region. Errors: QTR_ERR_IO (names the file), QTR_ERR_NOMEM.
 */
int qtr_region_write_info(const struct qtr_config *cfg, uint64_t analysis_seed,
                          const struct qtr_state *st, struct qtr_error *err);

/**
 * Build the comparison over all regions from the region folders OUTDIR/regions/<dir>/
 * (compare_stage.c) into OUTDIR/comparison/, replaced as a whole (outdir.h):
 * comparison.gpkg (layer `regions`: the districts of each region dissolved, with key,
 * name, outcome, districts, residents and every index of the regions' city_indices with
 * its interval and p-value), comparison.csv (German Excel CSV of the same table) and,
 * unless no_report, comparison.html and comparison.pdf (a map of the regions coloured by
 * D of the first group, and the regions ranked by that D). A region without a finished
 * folder keeps its row with the outcome "no output"; a region with failed[k] set (this
 * batch's job for it failed: an older folder of it is not read) has the outcome "failed".
 * failed may be NULL. *missing receives how many regions have no results, have[k] (when not
 * NULL) whether region k's results were read. `layer` and `r` are the boundaries and their
 * regions (qtr_regions_read).
 *
 * With pg_target ("PG:... schema=NAME", the batch's output; NULL for a folder) the regions'
 * results are read from their schemas on the server (qtr_region_schema_name of NAME; a schema
 * without run_info and city_indices is "no output"), and the table `regions` also goes to
 * schema NAME, written into NAME_qtr_staging and swapped in after the folder, as a run's
 * tables are (pg_sink.h). Errors: QTR_ERR_IO, QTR_ERR_DATA (a region folder or schema that
 * cannot be read: named), QTR_ERR_NOMEM, and those of the output folder and the sink.
 */
int qtr_batch_compare(struct qtr_ctx *ctx, const struct qtr_config *cfg, const char *outdir,
                      const char *pg_target, const struct qtr_layer *layer,
                      const struct qtr_regions *r, const unsigned char *failed, int no_report,
                      unsigned char *have, size_t *missing, struct qtr_error *err);

/** The folder name of region `key` below OUTPUT/regions/ (as qtr_regions_split gives it).
 * Caller frees; NULL when out of memory. */
char *qtr_region_dir_name(const char *key);

/**
 * The PostgreSQL schema of region `key` when the batch writes to `output = PG:...
 * schema=BASE`: BASE, '_', and the key in lower case with every byte other than a-z, 0-9
 * and _ written as _ (BASE "quartier", key "11" gives quartier_11). Caller frees; NULL when
 * out of memory.
 */
char *qtr_region_schema_name(const char *base, const char *key);

/**
 * Check the regions' schemas (qtr_region_schema_name of `base`): each at most 48
 * characters, none ending in _qtr_staging or _qtr_old (the names of an unfinished write), no
 * two alike. QTR_ERR_USAGE naming the regions, QTR_ERR_NOMEM.
 */
int qtr_regions_check_schemas(const struct qtr_config *cfg, const struct qtr_regions *r,
                              const char *base, struct qtr_error *err);

#endif
