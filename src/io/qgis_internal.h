/*
 * qgis_internal.h - shared by qgis_project.c (project XML and storage) and
 * qgis_layout.c (print layouts).
 */
#ifndef QUARTIER_QGIS_INTERNAL_H
#define QUARTIER_QGIS_INTERNAL_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/strutil.h"

/* ---- the plan and what the GeoPackage holds (qgis_project.c) ---------------------------- */

/* A style of layer_styles, a row of gpkg_data_columns and a report map, as handed over. */
struct pstyle {
    char *table, *name, *qml;
    int is_default;
};

struct pdoc {
    char *table, *column, *alias;
};

/* The 4 x 3 grid of a bivariate map's legend (the status x dynamics map), as the report
 * draws it: class r * cols + c in row r and column c. */
struct qtr_qgis_grid {
    size_t rows, cols;
    unsigned char (*rgb)[3];   /* rows * cols colours */
    char **row_labels, **col_labels;
    char *row_title, *col_title;
};

struct pmap {
    char *stem, *title, *subtitle, *legend, *source, *date;
    struct qtr_qgis_grid *grid; /* or NULL: the legend lists the classes */
};

struct qtr_qgis_plan {
    int en;
    char *title;
    char **group_id, **group_label; /* population groups: id and label in the language */
    size_t ngroups;
    struct pstyle *styles;
    size_t nstyles;
    struct pdoc *docs;
    size_t ndocs;
    struct pmap *maps;
    size_t nmaps;
    int has_view; /* qtr_qgis_plan_view: the canvas opens on view[] (xmin, ymin, xmax, ymax) */
    double view[4];
};

/* A table of gpkg_contents (features or attributes), and the CRS of the districts. */
struct gtable {
    char *name;
    int spatial;
    char *geom_type; /* "MULTIPOLYGON", ... or NULL */
    double xmin, ymin, xmax, ymax;
    int has_extent;
};

struct gpkg {
    struct gtable *t;
    size_t n;
    char *srs_wkt, *srs_auth, *srs_name;
    long srs_code;
};

/* The groups of the layer tree, top to bottom. */
enum group { G_RENEWAL, G_POPULATION, G_INDICATORS, G_CLUSTERS, G_DISTRICTS, G_TABLES, G_N };

/* One layer of the project. */
struct player {
    char id[96];
    const char *table;
    char *name;      /* owned */
    const char *qml; /* borrowed from the plan, or owned_qml */
    char *owned_qml;
    enum group group;
    int order; /* order inside the group */
    int checked;
    int labels; /* district names as labels (the overview, as in the report) */
    const struct pmap *map; /* the report map this layer shows, or NULL */
};

struct players {
    struct player *l;
    size_t n;
};

const struct gtable *qtr_qgis_find_table(const struct gpkg *g, const char *name);

/* ---- XML (qgis_xml.c) ---------------------------------------------------------------- */

/* The whole .qgs of plan p: the layers ps in tree order `order`, datasources relative to the
 * GeoPackage file name `file`. */
int qtr_qgis_project_xml(const struct qtr_qgis_plan *p, const struct gpkg *g,
                         const struct players *ps, const size_t *order, const char *file,
                         const char *date, struct qtr_buf *b, struct qtr_error *err);

/* Append s escaped as XML text or attribute value (qtr_xml_escape). */
int qtr_qgis_text(struct qtr_buf *b, const char *s, struct qtr_error *err);
/* Append ` name="value"` with value escaped. */
int qtr_qgis_attr(struct qtr_buf *b, const char *name, const char *value, struct qtr_error *err);

/* One layer of a layout's map (top first), and how the legend shows it. */
struct qtr_qgis_layout_layer {
    const char *id;          /* project layer id */
    const char *name;        /* layer name (the legend shows it unless hide_title) */
    int hide_title;          /* 1: the legend shows the symbols without the layer's name */
    const char *label;       /* non-NULL: the legend shows this instead of the name */
};

/* One print layout: A4 landscape with title, subtitle, map, legend, scale bar, north arrow,
 * source line and date. */
struct qtr_qgis_layout {
    const char *name;     /* layout name, unique in the project */
    const char *title;    /* map title */
    const char *subtitle; /* may be NULL */
    const char *legend;   /* legend title, may be NULL */
    const char *source;   /* source line, may be NULL */
    const char *date;     /* "Stand: 31.12.2022", may be NULL */
    const struct qtr_qgis_layout_layer *layers;
    size_t nlayers;
    /* a bivariate map: the legend is this grid of rectangles and labels, and the legend
     * item shows only the layer's last class ("not rated", index rows * cols) */
    const struct qtr_qgis_grid *grid;
    double xmin, ymin, xmax, ymax; /* what the map must show (CRS units, metres) */
    int en;
};

/* Scale and extent of the layout's map: the smallest "round" scale (1, 1.5, 2, 2.5, 3, 4, 5,
 * 7.5 x 10^k) at which the box fits the map frame of w x h mm, and the extent of the frame at
 * that scale, centred on the box. */
double qtr_qgis_fit_scale(double xmin, double ymin, double xmax, double ymax, double w_mm,
                          double h_mm, double ext[4]);

/* Length of one of the scale bar's two segments in metres (QGIS takes numUnitsPerSegment in the bar's unit, km or m; numMapUnitsPerScaleBarUnit is only the label's divisor) for a bar of about 40 mm at
 * `scale`: 1, 2 or 5 x 10^k (2.5 x 10^k where that is closer). */
double qtr_qgis_segment_m(double scale);

/* Append the <Layout> element of l; *uuid numbers the items' uuids (deterministic). */
int qtr_qgis_layout_xml(struct qtr_buf *b, const struct qtr_qgis_layout *l, unsigned *uuid,
                        struct qtr_error *err);

#endif
