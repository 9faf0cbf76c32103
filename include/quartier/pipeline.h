/*
 * pipeline.h - the stages of a run; only this module knows their order.
 *
 * qtr_pipeline_run runs them all (src/pipeline/run.c): `quartier run` writes
 * the outputs, `quartier check` runs every computing stage and writes nothing.
 * `quartier indices` runs load, compute and spatial itself (no outputs).
 */
#ifndef QUARTIER_PIPELINE_H
#define QUARTIER_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/config.h"
#include "quartier/csv.h"
#include "quartier/ctx.h"
#include "quartier/disclosure.h"
#include "quartier/error.h"
#include "quartier/frame.h"
#include "quartier/indices.h"
#include "quartier/layer.h"
#include "quartier/region.h"
#include "quartier/qgis_project.h"
#include "quartier/renewal.h"
#include "quartier/report.h"
#include "quartier/table.h"

/** One statistics table as read, with what the reader found. */
struct qtr_loaded_table {
    struct qtr_table *table;
    struct qtr_csv_info info;  /* CSV: separator, encoding, decimal mark; sheets: '.' */
    int is_sheet;
    int is_pg;                 /* read from PostgreSQL (numeric, num for its number columns) */
    uint8_t *numeric;
    double *num;
};

/** One row of the goals table: a target, where it stands and whether it is on track. */
struct qtr_goal_row {
    char target[64];
    char indicator[64];
    char field[32];
    char district[64];       /* "" = citywide */
    double baseline_year, baseline;
    double current_year, current;
    double target_year, target_value;
    double path;             /* value on the straight path to the target at current_year */
    int state;               /* enum qtr_goal_state */
};

/** One row of the change table: an index at two reference dates and the test of the difference. */
struct qtr_change_row {
    char index[48];
    char group[64];
    char component[32];      /* "" for the index itself; Shapley parts of M otherwise */
    double previous, current, difference;
    double expected;         /* mean simulated difference under the null (NAN: none) */
    double p_value;          /* two-sided (NAN: none) */
    char method[32];         /* "random_label", "composition", "shapley" */
    size_t n_previous, n_current;
    char note[200];
    char note_de[240]; /* the note in German for the German report ("" = only English) */
};

/** One piece of a carried table (issue 13): which part of a source unit's counts went where. */
/* A count carried from '*' counts of another layout (carry_stage.c): the cell is suppressed
 * in the carried table and lies in [lo, hi], the sums of share x suppressed_range plus share
 * x value over the pieces feeding it; attached to the frame column after the join. */
struct qtr_carried_range {
    char *key;    /* analysis district key */
    char *column; /* frame column name (with the table's suffix) */
    double lo, hi;
};

struct qtr_crosswalk_row {
    char source_key[64];     /* key of the table's own layout */
    char target_key[64];     /* analysis district */
    char table_id[64];
    double piece_area_m2;    /* NAN for a correspondence table */
    double weight;           /* piece area (area), area share x ancillary count (weights),
                                the official share (correspondence) */
    double share;            /* part of the source unit's count carried onto the target */
};

/** One value of the multiscalar profile: a kernel index at one bandwidth. */
struct qtr_profile_row {
    char index[48];
    char group[64];
    double bandwidth_m;
    double value;            /* NAN when not defined (see status) */
    int status;
};

/** A polygon layer derived from the districts (LISA clusters, candidate areas). */
struct qtr_area_layer {
    char name[32];
    size_t n;
    struct GEOSGeom_t **geom; /* n, owned (GEOS handle of the run) */
    char **id;                /* n row ids ("1", "2", ...) */
    struct qtr_frame *attrs;  /* n rows of attributes */
};

/** Everything a run produces, owned by the state. */
struct qtr_state {
    struct qtr_layer *layer;
    size_t ntables;
    struct qtr_loaded_table *tables;
    struct qtr_frame *frame;
    struct qtr_report report;
    uint8_t *usable;           /* n: district enters the indices */
    size_t nusable;
    struct qtr_index_value *indices;
    size_t nindices;
    /* indicators (one entry per [indicator]; the columns live in the frame) */
    struct qtr_column **ind_cur, **ind_prev, **ind_change;
    /* renewal identification */
    int renewal_done;
    struct qtr_renewal_result renewal;
    struct qtr_goal_row *goals;
    size_t ngoals;
    struct qtr_change_row *changes;
    size_t nchanges;
    struct qtr_crosswalk_row *crosswalk; /* pieces of every carried table (GeoPackage) */
    struct qtr_carried_range *ranges;     /* carried '*' counts with their own range */
    size_t nranges;
    size_t ncrosswalk;
    /* spatial: queen contiguity over all districts, shared boundary lengths per entry */
    struct qtr_csr *queen;
    double *shared_length;
    uint8_t *lq_high;          /* n: location quotient significantly high (overlay group) */
    double *share_change;      /* n: change of the overlay group's share, percentage points */
    struct qtr_profile_row *profile;
    size_t nprofile;
    struct qtr_area_layer *areas;
    size_t nareas;
    char *outdir;              /* the output folder (for output = PG:..., the folder of the
                                  files), set by qtr_pipeline_run */
    char *pg_output;           /* output = PG:...: "PG:... schema=NAME" without the password */
    char *gpkg_path;           /* written outputs (NULL before qtr_pipeline_write); in the */
    char *geojson_path;        /* staging folder until the swap, in the target after it */
    struct qtr_output_info *written; /* what the GeoPackage holds as written (output.h):
                                        publish styles and documents it from this */
    struct qtr_disclosure disclosure; /* what disclosure control suppressed */
    char **published;          /* npublished paths written by qtr_pipeline_publish (the
                                  GeoPackage, GeoJSON and annex tables) */
    size_t npublished;
    struct qtr_region_note region; /* `run --region`: what the comparison reads (region.h) */
    struct qtr_qgis_plan *qgis; /* the QGIS project taking shape (qgis_project.h): publish
                                   starts it, the report adds its maps, the run writes it */
    /* [boundaries] parent_name / parent_names: each parent code of the districts and its
       name (NULL: none found, the code is shown); nparents 0 without (parent_names.h) */
    size_t nparents;
    char **parent_code, **parent_name;
};

/**
 * Append an index value without inference to st->indices (status QTR_OK or
 * QTR_ERR_DOMAIN with `reason`; p_value and expected may be NAN).
 * Returns QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_state_add_index(struct qtr_state *st, const char *name, const char *group, double value,
                        int status, const char *reason, double p_value, double expected,
                        struct qtr_error *err);

/** How qtr_pipeline_run runs. */
struct qtr_run_options {
    const char *outdir; /* output folder; NULL: [analysis] output */
    int no_report;      /* skip maps and report */
    int dry_run;        /* `quartier check`: every computing stage, nothing written */
    uint64_t analysis_seed; /* `run --region`: the analysis' seed before qtr_region_seed */
    const char *pg_folder;  /* output = PG:...: the folder of the files instead of NAME beside
                             * the analysis file (a region of a batch), or NULL */
};

/**
 * The whole run, in order: the date of the run into ctx (SOURCE_DATE_EPOCH or
 * the clock, parsed once here), the output-folder preflight (qtr_outdir_check)
 * and, unless opt->dry_run, the lock and a staging folder beside the output
 * folder (outdir.h), all before any computing; load, compute, spatial, change,
 * indicators, renewal, goals, candidates and disclosure control; then, unless
 * opt->dry_run, write, publish and report into the staging folder, and the
 * swap that replaces the output folder in one step. On success st->gpkg_path, st->geojson_path and st->published name
 * the files in the output folder. *out receives the state, also on error when
 * there is one (its join report explains many errors); the caller frees it.
 * On error the output folder is as it was. Errors: any stage's.
 */
int qtr_pipeline_run(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                     const struct qtr_run_options *opt, struct qtr_state **out,
                     struct qtr_error *err);

/** Free the state. NULL-safe. */
void qtr_state_free(struct qtr_state *st);

/**
 * Read boundaries and tables, join them and check the population columns.
 * With cfg->strict, any warning in the report is an error. On error *out is
 * still set when the report is worth showing (the caller frees it).
 */
int qtr_pipeline_load(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state **out,
                      struct qtr_error *err);

/** Citywide single-group (and multigroup) indices, group shares and location quotients. */
int qtr_pipeline_compute(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         struct qtr_error *err);

/**
 * Spatial analysis over queen contiguity (built with GEOS in the work CRS):
 * neighbour counts, islands and separate parts (reported), the spatial
 * segregation indices and Moran's I (city_indices), the multiscalar kernel
 * profile, LISA, Gi* and the significance of each location quotient with FDR
 * (district columns), and the LISA clusters as dissolved polygons.
 */
int qtr_pipeline_spatial(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         struct qtr_error *err);

/** Candidate areas: adjacent districts that need attention, dissolved (after renewal). */
int qtr_pipeline_candidates(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                            struct qtr_state *st, struct qtr_error *err);

/**
 * Compare the two reference dates ([population] previous_total and the
 * groups' previous columns): each core index at both dates with a random-
 * label test of the difference, and the Shapley decomposition of the change
 * in M. Districts with values at one date only are named in the report.
 */
int qtr_pipeline_change(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        struct qtr_error *err);

/**
 * Evaluate the [indicator] expressions (SQLite) over the joined columns and
 * add them to the frame as `<id>`, `<id>_previous` and `<id>_change`. A
 * missing or suppressed input gives a missing indicator, never a number; the
 * counts go to the report.
 */
int qtr_pipeline_indicators(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                            struct qtr_error *err);

/**
 * Status and dynamics indices, classes, attention and reasons ([renewal] and
 * the indicators' weights), as district columns. No-op without status
 * indicators.
 */
int qtr_pipeline_renewal(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         struct qtr_error *err);

/** Where each [target] stands (st->goals) and per-district goal states as columns. */
int qtr_pipeline_goals(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                       struct qtr_error *err);

/**
 * The date of the run as "YYYY-MM-DDTHH:MM:SS.000Z" (UTC) in buf (qtr_pipeline_run
 * calls it once and keeps the result in ctx->run_date): the time
 * given by the environment variable SOURCE_DATE_EPOCH (seconds since 1970,
 * the reproducible-builds.org convention) when it is set, else now.
 * *fixed is 1 when SOURCE_DATE_EPOCH was used. QTR_ERR_USAGE when it is set
 * but not a whole number of seconds.
 */
int qtr_run_date(char buf[32], int *fixed, struct qtr_error *err);

/**
 * Write quartier.gpkg (districts, city_indices, join_report, run_info) and
 * districts.geojson (RFC 7946) into `outdir`, the staging folder of the run
 * (created if needed), after qtr_pipeline_disclose. With ctx->run_date_fixed
 * the GeoPackage is stamped with the run's date, so the same inputs and seed
 * give byte-identical files.
 */
int qtr_pipeline_write(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                       const char *outdir, struct qtr_error *err);

/**
 * Disclosure control on everything that will be published (qtr_pipeline_write
 * calls it first, so nothing written afterwards, GeoPackage, GeoJSON, annex,
 * maps or report, shows a small count): qtr_disclose_frame() on the frame,
 * then the goals: where a district's indicator value is now suppressed, its
 * goal row loses baseline, current value and path (state unknown) and its
 * goal_<target> state is emptied. Adds to st->disclosure. Idempotent.
 */
int qtr_pipeline_disclose(const struct qtr_config *cfg, struct qtr_state *st,
                          struct qtr_error *err);

/**
 * Finish the outputs of qtr_pipeline_write in `outdir` (the staging folder):
 *  - QGIS styles in layer_styles for every spatial layer of the GeoPackage
 *    (a default one each, and named graduated/categorized styles per
 *    computed column of `districts`), see docs/publish.md;
 *  - aliases and descriptions of every column of every table in
 *    gpkg_data_columns ([analysis] language);
 *  - run_info rows: date (ctx->run_date), SHA-256 of every input file,
 *    attributions;
 *  - annex tables OUTDIR/tables/<table>.csv (German Excel CSV) and
 *    OUTDIR/tables/quartier.xlsx (one sheet per table).
 * The paths written are appended to st->published.
 * Errors: QTR_ERR_IO, QTR_ERR_NOMEM, QTR_ERR_INTERNAL.
 */
int qtr_pipeline_publish(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         const char *outdir, struct qtr_error *err);

/**
 * Maps and the council report (see docs/report.md): OUTDIR/maps/<name>.png,
 * .svg and .pdf (overview with district names, each group's share and
 * location quotient, each [indicator] with its classification, status,
 * dynamics and attention when renewal ran, LISA clusters when the frame has
 * `<group>_lisa_cluster` columns) and OUTDIR/report.html (self-contained) and
 * OUTDIR/report.pdf (A4), in the analysis' language. Call after
 * qtr_pipeline_write. Errors: QTR_ERR_IO (names the file), QTR_ERR_NOMEM,
 * QTR_ERR_USAGE (bad classification of an indicator), QTR_ERR_INTERNAL.
 */
int qtr_pipeline_report(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        const char *outdir, struct qtr_error *err);

/**
 * With --no-report: the report's maps described (title, subtitle, legend title, source
 * line, date) for the QGIS project's print layouts (qtr_qgis_plan_map), as
 * qtr_pipeline_report would describe them, without drawing or writing anything. Errors as
 * qtr_pipeline_report.
 */
int qtr_pipeline_report_plan(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                             struct qtr_state *st, struct qtr_error *err);

/**
 * The value the indices take for the suppressed count i of grp: the low end (which = 1), the
 * high end (2) or the middle (0) of its range (qtr_column_range: its own for a count carried
 * from '*' counts, else [analysis] suppressed_range, whose middle is rounded to a whole
 * person for the simulations).
 */
double qtr_pipeline_suppressed_value(const struct qtr_config *cfg, const struct qtr_column *grp,
                                     size_t i, int which);

#endif
