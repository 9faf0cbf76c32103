/*
 * qml.h - QGIS layer styles (QML, renderer-v2) as strings, for the
 * GeoPackage `layer_styles` table (see gpkg_style.h) or .qml side files.
 *
 * The documents follow what QGIS 3.22 writes and reads (checked with
 * ../shared/tools/qgis/check_outputs.py): polygon fill symbols, outline
 * 35,35,35 0.26 mm, `<layerGeometryType>2</layerGeometryType>`, optional
 * field aliases. Text is UTF-8; &, <, >, " and ' are escaped; control
 * characters other than tab/newline and invalid UTF-8 are rejected.
 *
 * Every feature must be drawn (QGIS silently hides features that match no
 * class): graduated ranges take the limits verbatim (%.17g, no rounding), so
 * limits from qtr_classify() cover every finite value; NULLs are covered by
 * a "no data" rule (graduated) or by QGIS's catch-all category with value ""
 * (categorized), when the caller asks for it.
 */
#ifndef QUARTIER_QML_H
#define QUARTIER_QML_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/palette.h"
#include "quartier/strutil.h"

/* A field alias QGIS shows in the attribute table and forms. */
struct qtr_qml_alias {
    const char *field;
    const char *alias;
};

struct qtr_qml_graduated {
    const char *field;            /* attribute (a field name of the layer) */
    size_t k;                     /* classes */
    const double *limits;         /* k + 1 ascending limits */
    const struct qtr_rgb *colors; /* k fill colours */
    const char *const *labels;    /* k legend labels, or NULL: German "lo – hi unit" */
    int decimals;                 /* decimals of generated labels */
    const char *unit;             /* unit of generated labels ("%"), may be NULL */
    const char *method_id;        /* QGIS classificationMethod id ("Quantile", "Jenks",
                                     "StdDev", "EqualInterval") or NULL */
    const char *null_label;       /* non-NULL: the field has NULLs; they are drawn in
                                     null_color with this legend label */
    struct qtr_rgb null_color;
    int null_hatched; /* 1: NULLs also get diagonal hatching (qtr_palette_nodata_hatch()),
                         the "keine Angabe" look of the maps */
    const struct qtr_qml_alias *aliases;
    size_t naliases;
};

/**
 * Graduated style for g. Without null_label this is a QGIS graduatedSymbol
 * renderer: range i is [limits[i], limits[i+1]], and QGIS puts a value on a
 * limit into the lower class, as qtr_class_of(). QGIS's graduated renderer
 * never draws NULL, so with null_label the same classes are written as a
 * RuleRenderer ("f" >= a AND "f" <= b for the first class, "f" > a AND
 * "f" <= b for the others, and an ELSE rule for the rest). *out is malloc'ed
 * (caller frees). Errors: QTR_ERR_USAGE (k = 0, limits not ascending or not
 * finite, missing field), QTR_ERR_DATA (bad text), QTR_ERR_NOMEM.
 */
int qtr_qml_graduated(const struct qtr_qml_graduated *g, char **out, struct qtr_error *err);

/* How QGIS reads the categorized field, which fixes how values are written. */
enum qtr_qml_kind {
    QTR_QML_BOOL = 0, /* column declared BOOLEAN: QGIS reads a bool, values "true"/"false" */
    QTR_QML_INT,      /* INTEGER column: values "1", "0", "-3" */
    QTR_QML_TEXT      /* TEXT column: the text itself */
};

struct qtr_qml_categorized {
    const char *field;
    const char *expression;       /* non-NULL: categories of this QGIS expression instead of
                                     the field's values (e.g. significance classes of a
                                     p-value); field still names the style in messages */
    enum qtr_qml_kind kind;
    size_t n;                     /* categories */
    const char *const *values;    /* n values; BOOL accepts "1"/"0"/"true"/"false" */
    const struct qtr_rgb *colors; /* n */
    const char *const *labels;    /* n legend labels (NULL: the value) */
    const char *other_label;      /* non-NULL: catch-all category for NULL and any
                                     other value, drawn in other_color */
    struct qtr_rgb other_color;
    int other_hatched; /* 1: the catch-all category is hatched as "keine Angabe" on maps */
    const struct qtr_qml_alias *aliases;
    size_t naliases;
};

/**
 * Categorized style (categorizedSymbol). Values are normalised for the
 * field kind (BOOL "1" -> "true"; INT "007" -> "7") and must be unique after
 * that. *out is malloc'ed. Errors: QTR_ERR_USAGE (n = 0 without
 * other_label, value not valid for the kind, duplicate), QTR_ERR_DATA,
 * QTR_ERR_NOMEM.
 */
int qtr_qml_categorized(const struct qtr_qml_categorized *c, char **out, struct qtr_error *err);

/**
 * Single-symbol style: fill colour (filled = 0 for outline only, e.g.
 * candidate areas over another layer), outline colour and width in mm.
 * *out is malloc'ed. Errors: QTR_ERR_USAGE (width <= 0), QTR_ERR_NOMEM.
 */
int qtr_qml_single(int filled, struct qtr_rgb fill, struct qtr_rgb outline, double outline_mm,
                   const struct qtr_qml_alias *aliases, size_t naliases, char **out,
                   struct qtr_error *err);

/**
 * Append s to b as XML text / attribute content: & < > " ' escaped, tab,
 * CR, LF as character references. Returns 0, QTR_ERR_DATA for other control
 * characters or invalid UTF-8 (message names the offset), QTR_ERR_NOMEM.
 */

int qtr_xml_escape(struct qtr_buf *b, const char *s, struct qtr_error *err);

#endif
