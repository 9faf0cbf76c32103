/*
 * present.h - the one presentation table: how each kind of column (role.h) is called and
 * shown. German and English alias and description, unit, decimals, how it is classified
 * (method, number of classes, palette; fixed limits for location quotients; significance
 * classes for p-values) or its categories with their colours. The QGIS styles and field
 * aliases of the GeoPackage, the cairo maps and the report all read it; no other code
 * decides a colour, a class count or an alias (docs/presentation.md).
 */
#ifndef QUARTIER_PRESENT_H
#define QUARTIER_PRESENT_H

#include <stddef.h>

#include "quartier/classify.h"
#include "quartier/error.h"
#include "quartier/palette.h"
#include "quartier/role.h"

/* How a column is shown on a map and in a QGIS style. */
enum qtr_show {
    QTR_SHOW_NONE = 0,     /* not mapped: keys, names, texts, input counts */
    QTR_SHOW_GRADUATED,    /* classes of a number: method, classes, palette */
    QTR_SHOW_BREAKS,       /* fixed limits (location quotients around 1) */
    QTR_SHOW_SIGNIFICANCE, /* p-values: < 0.001, < 0.01, < 0.05, not significant */
    QTR_SHOW_CATEGORIES    /* codes and classes: one colour per value */
};

/* What the analysis file says about the group, indicator or target a column belongs to
 * (filled by the caller, in the report's language). All may be NULL / 0. */
struct qtr_present_owner {
    const char *id;             /* group, indicator or target id */
    const char *label;          /* its label ("Ausländer", "Arbeitslosenquote") */
    const char *unit;           /* an indicator's unit */
    const char *expr;           /* an indicator's expression, for the description */
    const char *classification; /* an indicator's classification method name */
    int classes;                /* an indicator's number of classes (0: the table's) */
    int higher_worse;           /* an indicator: 1 when high values are unfavourable */
    const char *origin;         /* an input column: "boundaries" or the table id */
};

/* How one column is called and shown. */
struct qtr_present {
    enum qtr_role role;
    enum qtr_show show;
    char alias[160];       /* QGIS field alias, legend title, table head */
    char description[400]; /* one sentence */
    char unit[24];         /* "%", "ha", "" */
    int decimals;          /* for values and class limits */
    enum qtr_class_method method; /* QTR_SHOW_GRADUATED */
    size_t classes;               /* QTR_SHOW_GRADUATED: wanted number of classes */
    enum qtr_palette palette;     /* QTR_SHOW_GRADUATED and _BREAKS */
    int centred; /* QTR_SHOW_GRADUATED: equal classes symmetric around 0 (changes), the
                    diverging palette's middle at 0: decrease below, increase above */
};

/**
 * How the column `name` of role `role` is called and shown (`owner` may be NULL, `en`
 * selects English). Always fills out; an unknown input column gets "name (source)".
 */
void qtr_present_column(enum qtr_role role, const char *name, const struct qtr_present_owner *owner,
                        int en, struct qtr_present *out);

/** The role of a fixed field of the districts layer that is not a frame column ("key",
 * "name", "has_statistics", "in_indices", "area_ha"; QTR_ROLE_NONE otherwise), and of the
 * fields of the cluster and candidate layers ("id", "districts", ...). */
enum qtr_role qtr_present_fixed_role(const char *field);

#define QTR_PRESENT_MAX_CATEGORIES 16

/* The categories of a QTR_SHOW_CATEGORIES (or _SIGNIFICANCE) role. */
struct qtr_present_categories {
    size_t n;
    const char *values[QTR_PRESENT_MAX_CATEGORIES]; /* as in the column (text or code) */
    const char *labels[QTR_PRESENT_MAX_CATEGORIES]; /* legend */
    struct qtr_rgb colors[QTR_PRESENT_MAX_CATEGORIES];
    int text;                /* 1: values are texts; 0: integer codes */
    const char *other_label; /* NULL and other values: "keine Angabe" or "nicht bewertet" */
    struct qtr_rgb other_color;
    int other_hatched;       /* 1: "keine Angabe" hatched as on the maps */
    char buf[QTR_PRESENT_MAX_CATEGORIES][64];
};

/** Categories of `role`; returns 0 (n = 0) for a role without categories. The combined
 * status and dynamics classes (QTR_ROLE_STATUS_DYNAMICS) are the QTR_BIV_CLASSES classes
 * of the bivariate palette in its order, then the text "nicht bewertet". */
size_t qtr_present_categories(enum qtr_role role, int en, struct qtr_present_categories *out);

/** The four classes of the report's attention map (none, low status, medium status with
 * negative dynamics, by the analysis' own rule), derived from status and dynamics. */
void qtr_present_attention_reasons(int en, struct qtr_present_categories *out);

/* Classes of a numeric column, the same on the maps and in the QGIS style. */
struct qtr_present_classes {
    size_t k;
    double *limits;         /* k + 1; class j holds limits[j] < v <= limits[j + 1] (the first
                               also limits[0]); SIGNIFICANCE: v < limits[j + 1] */
    struct qtr_rgb *colors; /* k */
    char **labels;          /* k legend labels */
    int *cls;               /* n: class of each value, -1 for no value */
};

/**
 * Classify v[0..n-1] (NaN = no value) as p says (GRADUATED, BREAKS or SIGNIFICANCE).
 * QTR_ERR_DOMAIN when there is nothing to show (no finite value, or fewer than two
 * classes); the caller then leaves the map or style out.
 */
int qtr_present_classify(const struct qtr_present *p, const double *v, size_t n, int en,
                         struct qtr_present_classes *out, struct qtr_error *err);

void qtr_present_classes_release(struct qtr_present_classes *c);

/** Fill colour of the overview map's districts and the outline colours of overlays. */
struct qtr_rgb qtr_present_overview_fill(void);
struct qtr_rgb qtr_present_parent_outline(void);
struct qtr_rgb qtr_present_candidate_outline(void);
/** The comparison of a batch (docs/batch.md): D per region in equal intervals, at most
 * *max_classes classes, in *palette (the map and the QGIS style of layer `regions`). */
void qtr_present_region_d(enum qtr_palette *palette, size_t *max_classes);
/** Fill and outline of a layer's plain outline style in QGIS. */
struct qtr_rgb qtr_present_outline_fill(void);
struct qtr_rgb qtr_present_outline_line(void);

/* ---- present_fields.c: what is not a column of the districts -------------------------- */

/** Alias and description of field `column` of a table quartier writes besides the districts
 * (city_indices, change, goals, join_report, multiscalar_profile, crosswalk, run_info);
 * 0 when the table table has no such field. */
int qtr_present_table_field(const char *table, const char *column, int en, const char **alias,
                            const char **description);

/** Alias and description of a GeoPackage table's own row number ("fid"). */
void qtr_present_row_number(int en, const char **alias, const char **description);

/** `description` with the sentence that some values are suppressed (counts below
 * min_count, secret cells, values computed from them). */
void qtr_present_suppressed_note(const char *description, double min_count, int en, char *buf,
                                 size_t size);

/** Legend label of districts without a value ("keine Angabe"; suppressed: "... oder
 * unterdrückt"). */
const char *qtr_present_nodata_label(int en, int suppressed);

/** Description of a QGIS style of column p in k classes ("Anteil (%): Quantile, 5
 * Klassen"). */
void qtr_present_style_description(const struct qtr_present *p, size_t k, int en, char *buf,
                                   size_t size);

/** Name of the plain outline style of a layer. */
const char *qtr_present_outline_name(int en);

/** A value of column p as shown (its decimals and unit: "12,3 %"); "" for NaN. */
void qtr_present_value(const struct qtr_present *p, double v, int en, char *buf, size_t size);

/** The name of a citywide index ("dissimilarity" -> "Dissimilaritätsindex D"), or the
 * name itself when the table does not know it. */
const char *qtr_present_index_label(const char *index, int en);

#endif
