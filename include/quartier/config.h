/*
 * config.h - the analysis file (INI), see docs/analysis-file.md.
 *
 * qtr_config_load reads and checks the file: unknown sections and keys, a
 * section or key given twice, values out of their range (dates, counts,
 * thresholds), references to IDs no section defines and missing required keys
 * are errors naming the file and line. Paths are made absolute relative to the
 * analysis file's folder. What can only be checked against the data (columns,
 * district keys) is checked later; qtr_config_where names the line for those
 * messages.
 */
#ifndef QUARTIER_CONFIG_H
#define QUARTIER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"

enum qtr_join_mode { QTR_JOIN_KEY = 0, QTR_JOIN_NAME };

struct qtr_table_spec {
    char *id;          /* section name after "table " */
    char *source;      /* absolute path, or PG: connection without its password */
    char *conn;        /* PG: connection as written (with a password), NULL for files */
    char *layer;       /* PG: table ("schema.table"), or NULL */
    char *sql;         /* PG: query instead of a table, or NULL */
    char *key;
    enum qtr_join_mode join;
    char *sheet;
    size_t header_row; /* 1-based, 0 = default */
    size_t skip_rows;
    char separator;    /* 0 = detect */
    int encoding;      /* enum qtr_encoding */
    char decimal;      /* 0 = detect */
    char *suffix;
    char *columns;     /* comma-separated columns to take (NULL = all) */
    char *na_values;   /* comma-separated cell texts meaning 'no value' (e.g. -9999) */
    char *date;
    char *attribution; /* licence and attribution of the source (run_info), or NULL */
    char *not_counts;  /* comma-separated whole-number columns that are not counts of people
                          (codes, classes, numbers of schools): no disclosure control; NULL */
    /* the table's own district layout (issue 13, docs/crosswalk.md): its counts are carried
     * onto the analysis districts before the join; carry = QTR_TABLE_CARRY_NONE without */
    char *bnd_source;  /* boundaries = PATH (absolute), or PG: without its password */
    char *bnd_conn;    /* boundaries = PG:... as written (with a password), else NULL */
    char *bnd_key;     /* boundaries_key = COL */
    char *bnd_layer;   /* boundaries_layer = NAME, or NULL */
    char *bnd_sql;     /* boundaries_sql = SELECT ... (a PG: boundaries source), or NULL */
    int carry;         /* enum qtr_table_carry */
    char *carry_weights; /* carry = weights COLUMN: ancillary count of the analysis districts */
    char *carry_corr;  /* carry = correspondence PATH (absolute) */
    char *carry_density; /* carry_density = COLUMN of this table: its count per m² in the
                            source districts spreads each target's ancillary count (weights) */
    double sliver_area; /* sliver_area = M2; < 0: the default (QTR_CROSSWALK_SLIVER_M2) */
    unsigned line;     /* line of the section header (0 when not read from a file) */
};

/* How a table on its own layout is carried (the values of enum qtr_carry_method + 1). */
enum qtr_table_carry {
    QTR_TABLE_CARRY_NONE = 0,
    QTR_TABLE_CARRY_AREA,
    QTR_TABLE_CARRY_WEIGHTS,
    QTR_TABLE_CARRY_CORRESPONDENCE
};

struct qtr_group_spec {
    char *id;
    char *column;
    char *label;
    char *label_en;
    char *previous;
    int multigroup;
    int multigroup_only; /* set by `quartier indices --groups`: no single-group indices */
};

struct qtr_indicator_spec {
    char *id;
    char *expr;
    char *previous;
    char *change;      /* expression giving the change directly (instead of expr - previous) */
    char *numerator;
    char *denominator;
    double min_denominator; /* small-number rule: no value below this denominator (0 = off) */
    char *field;
    int higher_worse;  /* 1 higher_worse, 0 higher_better */
    char *unit;
    char *label;
    char *label_en;
    double status_weight;
    double dynamics_weight;
    char *classification;
    int classes;
};

struct qtr_target_spec {
    char *id;
    char *indicator;
    double value;
    int year;
    int baseline_year; /* 0 = from previous_date */
    char *district;
};

/* Where each section and key stands in the analysis file (config.c). */
struct qtr_config_lines;

/* One district made of several features of the boundaries ([boundaries] merge). */
struct qtr_merge_spec {
    char *name;      /* name of the merged district; NULL = the members' names joined by " und " */
    char **members;  /* keys or names of the features */
    size_t nmembers; /* >= 1 (one: a key that stands on several features) */
};

struct qtr_config {
    char *path;        /* absolute path of the analysis file */
    char *dir;         /* its folder */
    /* [analysis] */
    char *title;
    char *language;    /* "de" or "en" */
    char *output;      /* absolute */
    char *crs;         /* work CRS or NULL (UTM zone of the data) */
    double min_population;
    int small_exclude; /* 1 = exclude small districts from indices */
    int decomposition_three_player; /* change in M: 0 = Shapley as R segregation (Elbers),
                                       1 = plain three-player Shapley value */
    uint64_t seed;
    unsigned permutations;
    int null_model;    /* enum qtr_null_model: permutation, evenness, systematic, bootstrap */
    int strict;
    int pysal_compatible; /* reproduce PySAL's departures from the published formulas */
    int centre_mode;      /* 0 mean of centroids, 1 a point, 2 population-weighted centre */
    double centre_x, centre_y; /* centre_mode 1: work CRS metres */
    double central_radius;     /* metres around the centre for proportion_central (0 = none) */
    double min_count;
    double suppressed_low, suppressed_high;
    /* `quartier indices --only/--skip`: index or family names (NULL/0 = every index) */
    char **index_only, **index_skip;
    size_t nindex_only, nindex_skip;
    /* [boundaries] */
    char *bnd_source;  /* absolute path, or PG: string without its password (shown) */
    char *bnd_conn;    /* PG: string as written (with a password, never shown), else NULL */
    char *bnd_sql;     /* PG: query instead of a layer, or NULL */
    char *bnd_layer;
    char *bnd_key;
    char *bnd_name;
    char *bnd_crs;
    char *bnd_parent;
    char *bnd_parent_label, *bnd_parent_label_en; /* what the parent level is called
                                                      ("Bezirk"), or NULL */
    char *bnd_parent_name;  /* column of the boundaries naming each district's parent
                               ("district_name"), or NULL */
    char *bnd_parent_names; /* a file (CSV, or any OGR vector source) naming the parents by
                               their code, or NULL; parent_names_key, parent_names_name are
                               its code and name columns (docs/analysis-file.md) */
    char *bnd_parent_names_key, *bnd_parent_names_name;
    char *bnd_attribution; /* licence and attribution of the boundaries, or NULL */
    struct qtr_merge_spec *bnd_merges; /* merge = A + B [= NAME], ...: districts merged into
                                          one before the join (a table row covers them) */
    size_t nbnd_merges;
    /* [table ...] */
    size_t ntables;
    struct qtr_table_spec *tables;
    /* [population] */
    char *total;
    char *date;
    char *previous_total;
    char *previous_date;
    /* [group ...] */
    size_t ngroups;
    struct qtr_group_spec *groups;
    /* [indicator ...] */
    size_t nindicators;
    struct qtr_indicator_spec *indicators;
    /* [renewal] */
    int has_renewal;
    char *renewal_method;
    char *standardise;
    double status_thresholds[3];
    double dynamics_thresholds[2];
    double years;      /* 0 = from the dates */
    char *attention;
    char *exclude;
    char *invalid_column;
    char *renewal_population; /* column of residents for the minimum (default: total) */
    char *segregation_group;
    /* [batch] (docs/batch.md): split into regions by a boundary column or prefix:N of the key */
    char *batch_by;    /* NULL: no batch */
    char *batch_name;  /* boundary column naming each region, or NULL */
    char *region;      /* `quartier run --region KEY`: run this region only (not from the file) */
    char *region_schema; /* output = PG:... schema=NAME with [batch]: NAME, which the regions'
                          * schemas are named after (qtr_region_schema_name); not from the file */
    /* [report] (docs/report.md): above report_full_detail districts the maps are raster images,
       the interactive map is left out and long tables list report_extremes rows at each end */
    size_t report_full_detail; /* default 30000 */
    size_t report_extremes;    /* default 20 */
    int report_no_insets;      /* [report] insets = none: one frame for everything (default auto:
                                  an island or exclave far out goes into an inset) */
    /* [target ...] */
    size_t ntargets;
    struct qtr_target_spec *targets;
    /* where each section and key stands in the file (qtr_config_line); NULL when the config
     * was not read from a file */
    struct qtr_config_lines *lines;
};

/** Fill cfg with the defaults of docs/analysis-file.md (no allocation). */
void qtr_config_init(struct qtr_config *cfg);

/**
 * Read `path` into cfg (which must have been initialised). On error cfg holds
 * what was read so far; release it with qtr_config_release either way.
 * Errors: QTR_ERR_IO when the file cannot be read; QTR_ERR_USAGE for anything
 * wrong in it, the message starting "FILE:LINE: " (the first error by line; a
 * section or key given twice names both lines); QTR_ERR_NOMEM.
 */
int qtr_config_load(const char *path, struct qtr_config *cfg, struct qtr_error *err);

/**
 * Read an analysis file held in memory: `len` bytes of `text` (need not be
 * NUL-terminated) as the contents of the file `path`, which is not opened: it
 * names the file in messages and its folder anchors relative paths (a relative
 * `path` is taken from the current folder). Otherwise as qtr_config_load.
 */
int qtr_config_load_text(const char *text, size_t len, const char *path, struct qtr_config *cfg,
                         struct qtr_error *err);

/**
 * The line of the analysis file where `key` of `section` stands (the first
 * line when its value continues on indented lines), or with key NULL the line
 * of the section header. `section` is written as in the file without the
 * brackets: "analysis", "group mh", "target sgb2_hochfeld". 0 when the key is
 * not in the file (its default applies) or cfg was not read from a file.
 */
unsigned qtr_config_line(const struct qtr_config *cfg, const char *section, const char *key);

/**
 * Write "FILE:LINE" of `key` in `section` into buf (size bytes), for messages
 * about a value that is found wrong after reading, e.g. a [target]'s district
 * that is not a key of the boundaries:
 *   qtr_error_set(err, QTR_ERR_USAGE, "%s: [target %s] district '%s' is not ...",
 *                 qtr_config_where(cfg, "target sgb2", "district", w, sizeof w), ...);
 * Without that key (a default), the section header's line; without the
 * section, the file alone; without a file, "the command line". Returns buf.
 */
const char *qtr_config_where(const struct qtr_config *cfg, const char *section, const char *key,
                             char *buf, size_t size);

/**
 * "FILE:LINE: what" for a key (qtr_config_where), to name a value of the analysis file in a
 * message made elsewhere, e.g. qtr_frame_require(f, cfg->total,
 * qtr_config_what(cfg, "population", "total", "total column", w, sizeof w), ...). Returns buf.
 */
const char *qtr_config_what(const struct qtr_config *cfg, const char *section, const char *key,
                            const char *what, char *buf, size_t size);

/** Free everything cfg owns and reset it to the defaults. */
void qtr_config_release(struct qtr_config *cfg);

/**
 * Whether the index `name` is asked for under cfg->index_only / index_skip: a name in either
 * list is an index name or a family (qtr_index_family_names); without lists every index is.
 */
int qtr_config_index_wanted(const struct qtr_config *cfg, const char *name);

/**
 * Whether `name` is an index or family name quartier knows (for --only/--skip).
 */
int qtr_index_name_known(const char *name);

/** The family names, NULL-terminated: single, multigroup, spatial, distance_decay, profile,
 * local. */
extern const char *const qtr_index_family_names[];

/**
 * The null model named `name` for inference ("permutation", "evenness",
 * "systematic", "bootstrap" = enum qtr_null_model, inference.h), or -1.
 */
int qtr_null_model_parse(const char *name);

/**
 * Make `path` absolute relative to `dir` (unless it is absolute or a "PG:"
 * connection string). Caller frees.
 */
char *qtr_path_resolve(const char *dir, const char *path);

/**
 * Set a source key: *shown = the resolved path, or for a "PG:" string the string without its
 * password (qtr_pg_redact), *conn = the PG: string as written (NULL for files). Returns
 * QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_config_set_source(const char *dir, const char *value, char **shown, char **conn);

/** The string to open for a source set by qtr_config_set_source. */
static inline const char *qtr_config_open_path(const char *shown, const char *conn)
{
    return conn ? conn : shown;
}

#endif
