/*
 * gpkg_style.h - QGIS styles and field documentation inside a GeoPackage.
 *
 * Works on an existing GeoPackage file through SQLite, after GDAL has closed
 * the dataset (GDAL must not hold the file open: two writers would corrupt
 * it). Each call runs in one transaction: either everything is written or
 * nothing is.
 *
 * Styles go into `layer_styles`, created exactly as QGIS 3.22 / GDAL 3.6 do
 * (../shared/tools/qgis/layer_styles.sql) and registered in gpkg_contents as
 * an attributes table. QGIS's OGR provider finds a style only with
 * f_table_schema = '' (not NULL), f_table_name equal to the layer name
 * (case-sensitive) and f_geometry_column equal to the layer's geometry
 * column; these are written that way.
 *
 * Field aliases and descriptions go into gpkg_data_columns (GeoPackage
 * schema extension, OGC 12-128r18 §2.3.1 / Annex F.9), with the two
 * `gpkg_schema` rows in gpkg_extensions and the (empty)
 * gpkg_data_column_constraints table the extension requires. GDAL >= 3.3
 * reads `name` as the field's alternative name.
 */
#ifndef QUARTIER_GPKG_STYLE_H
#define QUARTIER_GPKG_STYLE_H

#include <stddef.h>

#include "quartier/error.h"

struct qtr_gpkg_style {
    const char *table;       /* feature table (layer) name, exact case */
    const char *name;        /* styleName, e.g. "migration_quantile" */
    const char *qml;         /* full QML document (see qml.h) */
    const char *description; /* free text, may be NULL */
    int use_as_default;      /* 1: QGIS applies this style when the layer is loaded */
    const char *update_time; /* "YYYY-MM-DDTHH:MM:SS.sssZ" for reproducible files, NULL: now */
};

/**
 * Add styles[0..n-1] to the GeoPackage at path. The geometry column of each
 * table is taken from gpkg_geometry_columns. A style with the same table
 * and name replaces the old row (so re-running is idempotent); a new default
 * style clears useAsDefault on the table's other rows, so there is at most
 * one default per layer. Errors: QTR_ERR_IO (not a GeoPackage, cannot
 * write), QTR_ERR_USAGE (table is not a feature layer of the file, two
 * defaults for one table, missing name or QML), QTR_ERR_NOMEM.
 */
int qtr_gpkg_add_styles(const char *path, const struct qtr_gpkg_style *styles, size_t n,
                        struct qtr_error *err);

struct qtr_gpkg_column_doc {
    const char *table;       /* table name */
    const char *column;      /* column name in that table */
    const char *alias;       /* gpkg_data_columns.name, e.g. "Anteil mit Migrationshintergrund (%)";
                                unique per table */
    const char *title;       /* formal title, may be NULL */
    const char *description; /* may be NULL: source, definition, unit, date */
};

/**
 * Register aliases/descriptions docs[0..n-1] in gpkg_data_columns (rows for
 * the same table and column are replaced). Errors: QTR_ERR_IO,
 * QTR_ERR_USAGE (unknown table or column, the message lists the columns;
 * the same alias twice in one table), QTR_ERR_NOMEM.
 */
int qtr_gpkg_add_column_docs(const char *path, const struct qtr_gpkg_column_doc *docs, size_t n,
                             struct qtr_error *err);

#endif
