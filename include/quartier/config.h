/*
 * config.h - the analysis file (INI), see docs/analysis-file.md.
 *
 * qtr_config_load reads and checks the file: unknown sections and keys,
 * malformed numbers and missing required keys are errors naming the file and
 * line. Paths are made absolute relative to the analysis file's folder.
 */
#ifndef QUARTIER_CONFIG_H
#define QUARTIER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/error.h"

enum qtr_join_mode { QTR_JOIN_KEY = 0, QTR_JOIN_NAME };

struct qtr_table_spec {
    char *id;          /* section name after "table " */
    char *source;      /* absolute path */
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
    unsigned line;     /* line of the section header */
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
    char *bnd_source;  /* absolute path or PG: string */
    char *bnd_layer;
    char *bnd_key;
    char *bnd_name;
    char *bnd_crs;
    char *bnd_parent;
    char *bnd_attribution; /* licence and attribution of the boundaries, or NULL */
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
    /* [target ...] */
    size_t ntargets;
    struct qtr_target_spec *targets;
};

/** Fill cfg with the defaults of docs/analysis-file.md (no allocation). */
void qtr_config_init(struct qtr_config *cfg);

/**
 * Read `path` into cfg (which must have been initialised). On error cfg holds
 * what was read so far; release it with qtr_config_release either way.
 */
int qtr_config_load(const char *path, struct qtr_config *cfg, struct qtr_error *err);

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

#endif
