/*
 * map.h - choropleth and category maps with cairo (PNG, SVG, PDF).
 *
 * One page: title and subtitle on top, the map frame on the left, a legend
 * column on the right (legend title, one box per class or category, "no data"
 * and the overlay outline when present, north arrow, scale bar), and a
 * source/date line at the bottom. The same function draws graduated maps
 * (labels are class ranges) and categorical maps (status/dynamics groups, LISA
 * clusters): the caller passes a class index per feature and a colour and
 * label per class. Coordinates are metres of the projected work CRS; the
 * north arrow shows grid north (equal to true north up to the meridian
 * convergence, below 2 degrees inside a UTM zone at German latitudes).
 * Text uses the DejaVu Sans font through cairo's toy font API; in SVG it is
 * written as outlines, because Qt's SVG renderer (QGIS print layouts, many
 * office programs) cannot resolve cairo's glyph symbols.
 *
 * An island or exclave far from the rest goes into an inset in a corner of
 * the frame, so that the main frame fits the main body (qtr_map_extent).
 *
 * An SVG carries the title, subtitle and source line also as text in its
 * <title> and <desc> elements (screen readers, search, and a check that a
 * map names its sources).
 *
 * Files are written atomically: a temporary file in the target folder, then
 * rename(2).
 */
#ifndef QUARTIER_MAP_H
#define QUARTIER_MAP_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/palette.h"
#include "quartier/shapes.h"

enum qtr_map_format { QTR_MAP_PNG = 0, QTR_MAP_SVG, QTR_MAP_PDF };

#define QTR_MAP_MAX_INSETS 2

/* A district label at a representative point (work CRS, e.g. from GEOSPointOnSurface). */
struct qtr_map_label {
    const char *text;
    double x, y;
};

struct qtr_map {
    const struct qtr_shapes *shapes; /* the features, in metres */
    const int *cls;                  /* shapes->n: class of each feature, -1 = no data */
    size_t nclass;
    const struct qtr_rgb *colors;    /* nclass fill colours */
    const char *const *class_labels; /* nclass legend labels */
    const char *legend_title;        /* may be NULL */
    const char *nodata_label;        /* legend text for -1 (NULL: "keine Angabe"); shown
                                        only when a feature has class -1 */
    struct qtr_rgb nodata_color;     /* e.g. qtr_palette_nodata() */
    int nodata_solid;                /* 0: class -1 means "keine Angabe" and is drawn in
                                        nodata_color hatched with diagonal lines in
                                        qtr_palette_nodata_hatch(), on the map and in the
                                        legend; 1: plain nodata_color (e.g. "nicht bewertet"
                                        in qtr_palette_not_rated()) */
    /* Bivariate legend: when grid_rows * grid_cols == nclass (both > 0), the legend shows
       the classes as a grid of swatches, class r * grid_cols + c in row r and column c,
       with row_labels on the left, col_labels on top, col_title above them and row_title
       above the row labels; no-data and overlay entries follow as a list. */
    size_t grid_rows, grid_cols;
    const char *const *row_labels;    /* grid_rows, may be NULL */
    const char *const *col_labels;    /* grid_cols, may be NULL */
    const char *row_title;            /* e.g. "Status", may be NULL */
    const char *col_title;            /* e.g. "Dynamik", may be NULL */
    const char *title;                /* may be NULL */
    const char *subtitle;             /* may be NULL */
    const char *source;               /* e.g. "Quelle: Amt für Statistik Berlin-Brandenburg" */
    const char *date;                 /* e.g. "Stand: 31.12.2023" */
    const struct qtr_shapes *overlay; /* optional outlines drawn on top (candidate areas) */
    const char *overlay_label;        /* legend text of the overlay */
    struct qtr_rgb overlay_color;
    const struct qtr_map_label *labels; /* optional labels, most important first */
    size_t nlabels;
    int label_plates; /* 1: each label on a white plate instead of a halo (for a few labels,
                         e.g. parent names: a plate is one rectangle, a halo the outline of
                         every letter, about 4 kB per name in an SVG) */
    double width_pt, height_pt; /* page size in points (1/72 in); 0: A4 landscape 842 x 595 */
    double dpi;                 /* PNG resolution; 0: 150 (PNG size = page * dpi / 72) */
    double raster_dpi;          /* > 0: the features are one raster image at this resolution
                                   of the printed page (very many districts: the PDF and SVG
                                   stay small; title, legend, labels, overlay stay vectors);
                                   0: one vector path per feature */
    const char *created;        /* PDF creation date, ISO 8601 "2024-02-01T00:00:00Z", for
                                   byte-identical PDFs; NULL: cairo writes the current time */
    const char *const *names;   /* optional, shapes->n feature names: the caption of an inset */
    int no_insets;              /* 1: one frame for everything, no inset (qtr_map_extent) */
    int svg_glyphs;             /* SVG only: 1 = text as cairo's glyph symbols (<symbol> +
                                   <use>, a fraction of the size; browsers render it, Qt does
                                   not), 0 = text as outlines (default) */
    /* For the popups of the report's interactive map (webmap.h); cairo ignores them.
       All optional, NULL = absent; arrays have shapes->n entries. */
    const char *const *keys;    /* district keys */
    const char *const *parents; /* the parent area of each district (e.g. its Bezirk) */
    const char *parent_label;   /* what the parent is, e.g. "übergeordnetes Gebiet (BEZ)" */
    const char *const *values;  /* the mapped value as text with its unit ("23,4 %"),
                                   NULL entries: no value; NULL: the class says it */
};

/* Where things went on the page, in points from the top-left corner. */
struct qtr_map_layout {
    double scale;  /* points per metre */
    double tx, ty; /* page x = tx + scale * X, page y = ty - scale * Y */
    double frame_x, frame_y, frame_w, frame_h; /* map frame */
    double scalebar_m;                         /* scale bar length in metres */
    size_t labels_placed;
    size_t ninsets; /* outlying parts drawn in boxes in corners of the frame */
    struct qtr_map_inset_layout {
        double x, y, w, h;             /* the box (page points), inside the frame */
        double scale, tx, ty;          /* as above, for the inset's own scale */
        double minx, miny, maxx, maxy; /* what it shows (metres) */
    } inset[QTR_MAP_MAX_INSETS];
};

/*
 * Where a map's frame is and which outlying parts go into insets (docs/render.md).
 * Parts are the outer rings; parts closer than 2 % of the whole extent form one body.
 * The largest body by area is the main one; a body holding at most 10 % of the area
 * whose bounding box lies further from the main body's than half the main body's larger
 * side is outlying (taken nearest first, the main box growing by every body that is not);
 * outlying bodies close to each other (a quarter of their distance to the main body)
 * share an inset. At most QTR_MAP_MAX_INSETS insets: with more outlying groups, none.
 */
struct qtr_map_extent {
    double minx, miny, maxx, maxy; /* the main frame's extent */
    size_t ninsets;
    struct {
        double minx, miny, maxx, maxy;
    } inset[QTR_MAP_MAX_INSETS];
};

/**
 * The extent of shapes s split into the main frame and insets (ninsets = 0 when nothing
 * lies far out). Returns 0 when s has no points, else 1; -1 when out of memory.
 */
int qtr_map_extent(const struct qtr_shapes *s, struct qtr_map_extent *out);

/**
 * Caption of an inset: the names of the features with a part (outer ring) inside what it
 * shows, in feature order, at most three (then ", …"). malloc'ed; NULL without names,
 * when none has a name, or out of memory.
 */
char *qtr_map_inset_caption(const struct qtr_shapes *s, const char *const *names,
                            const struct qtr_map_inset_layout *in);

/**
 * Draw map m to path in format fmt. When lay is not NULL it receives the
 * page layout (for tests and for placing extra marks). Errors: QTR_ERR_USAGE
 * (no shapes or features, cls or colours missing, a class index >= nclass,
 * bad page size), QTR_ERR_IO (cannot write, message names the path),
 * QTR_ERR_INTERNAL (cairo error, with cairo's reason), QTR_ERR_NOMEM.
 */
int qtr_map_render(const struct qtr_map *m, enum qtr_map_format fmt, const char *path,
                   struct qtr_map_layout *lay, struct qtr_error *err);

/* One file of qtr_map_render_jobs: map m in format fmt to path. */
struct qtr_map_job {
    const struct qtr_map *map;
    enum qtr_map_format fmt;
    const char *path;
};

/**
 * qtr_map_render for each of the n jobs, up to `threads` at a time (0: OpenMP's default;
 * 1: one after the other, in order); job k's result in st[k] and its error in err[k]. The
 * files are the same as from qtr_map_render one after the other; the maps are only read.
 */
void qtr_map_render_jobs(const struct qtr_map_job *job, size_t n, int threads, int *st,
                         struct qtr_error *err);

/* One source behind a map: its `attribution =` (publisher and licence) and its file. */
struct qtr_map_source {
    const char *attribution; /* NULL or blank: not given */
    const char *file;        /* path of the source file */
};

/**
 * Source line of a map: "Quelle: " ("Source: " when en) and the attribution
 * of each source, trimmed, in order and each distinct text once, separated
 * by "; ", then "Darstellung: quartier" ("map: quartier"). A source without
 * attribution is named by its file name instead ("Datei bezirke.shp"); a
 * publisher that asks for attribution is then not named, which `check`
 * warns about. Without sources only "Darstellung: quartier". Returns a
 * malloc'ed string, NULL when out of memory.
 */
char *qtr_map_source_line(const struct qtr_map_source *src, size_t n, int en);

struct _cairo; /* cairo_t, without including cairo.h */

/**
 * Draw map m as one page into an existing cairo context (e.g. a page of the
 * council report's PDF), scaled so that the map page (width_pt x height_pt)
 * fills the box at (x, y) of width w points; the height follows from the
 * page's aspect ratio. The context's state is saved and restored. Text is
 * drawn as real text. Same checks and errors as qtr_map_render, except that
 * nothing is written: QTR_ERR_INTERNAL when cr is in an error state after
 * drawing.
 */
int qtr_map_draw(struct _cairo *cr, const struct qtr_map *m, double x, double y, double w,
                 struct qtr_map_layout *lay, struct qtr_error *err);

/**
 * Largest "nice" length 1, 2 or 5 x 10^k metres that is <= max_m (for the
 * scale bar); 0 when max_m <= 0.
 */
double qtr_map_nice_length(double max_m);

/**
 * Scale bar text for a length in metres, German format: "500 m", "2 km",
 * "2,5 km" is never produced by qtr_map_nice_length but formatted right.
 */
int qtr_map_length_label(double m, char *buf, size_t size);

/**
 * Greedy label placement: box i is [x0[i], x1[i]] x [y0[i], y1[i]] in page
 * units; boxes are taken in order, and placed[i] = 1 when box i lies inside
 * the frame [fx0, fx1] x [fy0, fy1] and overlaps no box placed before.
 * Returns the number placed. O(n^2), fine for a few hundred districts.
 */
size_t qtr_label_place(const double *x0, const double *y0, const double *x1, const double *y1,
                       size_t n, double fx0, double fy0, double fx1, double fy1,
                       unsigned char *placed);

#endif
