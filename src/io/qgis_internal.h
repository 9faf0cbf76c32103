/*
 * qgis_internal.h - shared by qgis_project.c (project XML and storage) and
 * qgis_layout.c (print layouts).
 */
#ifndef QUARTIER_QGIS_INTERNAL_H
#define QUARTIER_QGIS_INTERNAL_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/strutil.h"

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
