/*
 * qgis_project.h - a QGIS project inside the run's GeoPackage (docs/outputs.md,
 * "QGIS project").
 *
 * QGIS (3.8 and later) keeps projects in a GeoPackage in the table
 * `qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)`:
 * content is the project as a .qgz (a zip holding one .qgs XML file) written
 * as lowercase hexadecimal text, metadata a small JSON object with
 * last_modified_time (QGIS's src/providers/ogr/qgsgeopackageprojectstorage.cpp).
 * QGIS opens it as `geopackage:/path/quartier.gpkg?projectName=quartier`
 * (Browser panel: the GeoPackage's entry lists the project). Layer
 * datasources are written relative to the GeoPackage (`./quartier.gpkg|
 * layername=districts`), so the file can be moved or sent on.
 *
 * The project is assembled over the run: publish hands over the layer
 * styles (QML, one default per layer) and field aliases it wrote into the
 * GeoPackage (qtr_qgis_plan_begin), the report names each map it draws with
 * its title, legend title, source line and date (qtr_qgis_plan_map), and the
 * end of the run writes the project (qtr_qgis_plan_write). Each report map
 * becomes a layer of its own in the project (the districts with that map's
 * style) and a print layout (A4 landscape: title, subtitle, map, legend,
 * scale bar, north arrow, source line and date); the styles themselves are
 * the QML publish built, embedded unchanged.
 */
#ifndef QUARTIER_QGIS_PROJECT_H
#define QUARTIER_QGIS_PROJECT_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/gpkg_style.h"

struct qtr_config;
struct qtr_qgis_plan;

/* Name of the project in qgis_projects. */
#define QTR_QGIS_PROJECT_NAME "quartier"

/**
 * Start the project plan of a run into *out (freed with qtr_qgis_plan_free;
 * a plan already in *out is freed first). Copies styles[0..nstyles-1] (the
 * rows publish wrote into layer_styles) and docs[0..ndocs-1] (the aliases of
 * gpkg_data_columns, used for the tables without geometry); cfg gives the
 * project title and the labels of the population groups. en: English layer
 * names and texts. Errors: QTR_ERR_NOMEM.
 */
int qtr_qgis_plan_begin(struct qtr_qgis_plan **out, const struct qtr_config *cfg, int en,
                        const struct qtr_gpkg_style *styles, size_t nstyles,
                        const struct qtr_gpkg_column_doc *docs, size_t ndocs,
                        struct qtr_error *err);

/**
 * Note one map of the report: stem as in OUTDIR/maps/<stem>.png ("status",
 * "share_<group>", "indicator_<id>", ...), its title, subtitle, legend
 * title, source line and date line (any may be NULL). A map whose style is
 * not among the plan's styles gets neither layer nor layout. plan NULL: does
 * nothing. Errors: QTR_ERR_NOMEM.
 */
int qtr_qgis_plan_map(struct qtr_qgis_plan *plan, const char *stem, const char *title,
                      const char *subtitle, const char *legend, const char *source,
                      const char *date, struct qtr_error *err);

/**
 * The legend of map `stem` (noted before with qtr_qgis_plan_map) is a grid, as the report
 * draws its bivariate legend: rows x cols colours rgb[r * cols + c] (red, green, blue), the
 * row and column labels and titles (any may be NULL). The layout then shows the grid of
 * rectangles with their labels; its legend item shows the class after the grid ("not
 * rated"). plan NULL or no such map: does nothing. Errors: QTR_ERR_NOMEM.
 */
int qtr_qgis_plan_grid(struct qtr_qgis_plan *plan, const char *stem, size_t rows, size_t cols,
                       const unsigned char (*rgb)[3], const char *const *row_labels,
                       const char *const *col_labels, const char *row_title,
                       const char *col_title, struct qtr_error *err);

/**
 * The extent the project's map canvas opens on (CRS units): the main frame of the report's
 * maps when an outlying island or exclave is drawn in an inset (Hamburg's Neuwerk), so that
 * the city fills the window; without it, the extent of the districts. plan NULL: does
 * nothing.
 */
void qtr_qgis_plan_view(struct qtr_qgis_plan *plan, double xmin, double ymin, double xmax,
                        double ymax);

/**
 * Write the project into the GeoPackage at gpkg (replacing a project of the
 * same name). date: ISO 8601 date of the run (project metadata and the
 * zip's time stamps, so a run with SOURCE_DATE_EPOCH gives the same bytes).
 * plan NULL: does nothing. Errors: QTR_ERR_IO (cannot read or write the
 * GeoPackage, no districts layer), QTR_ERR_DATA (text that cannot go into
 * XML), QTR_ERR_NOMEM.
 */
int qtr_qgis_plan_write(const struct qtr_qgis_plan *plan, const char *gpkg, const char *date,
                        struct qtr_error *err);

void qtr_qgis_plan_free(struct qtr_qgis_plan *plan);

/* ---- lower level, for tests and the layout writer ------------------------------------- */

/**
 * Store project XML `qgs` (UTF-8) as project `name` of the GeoPackage at
 * path: zipped into a .qgz holding "<name>.qgs" (mtime from date), hex
 * encoded, in qgis_projects (created when missing; a row of the same name is
 * replaced). Errors: QTR_ERR_IO, QTR_ERR_NOMEM.
 */
int qtr_qgis_store(const char *path, const char *name, const char *qgs, const char *date,
                   struct qtr_error *err);

/**
 * Read project `name` back from the GeoPackage: unhex and unzip its .qgs
 * into *qgs (malloc'ed). Errors: QTR_ERR_IO (no such project, not a zip),
 * QTR_ERR_NOMEM.
 */
int qtr_qgis_load(const char *path, const char *name, char **qgs, struct qtr_error *err);

#endif
