/*
 * map_internal.h - between the files of the map renderer: map.c (the entry points and the
 * files), map_page.c (layout and the page), map_legend.c (the legend column), map_text.c
 * (text and labels) and map_inset.c (insets of outlying parts).
 */
#ifndef QUARTIER_MAP_INTERNAL_H
#define QUARTIER_MAP_INTERNAL_H

#include <cairo.h>

#include "quartier/error.h"
#include "quartier/map.h"

#define QTR_INSET_PAD 4      /* points between an inset's frame and its drawing */
#define QTR_INSET_CAPTION 11 /* points above the drawing for the inset's name */
#define QTR_INSET_FONT 7     /* size of the name */

/*
 * Boxes for ext's insets in corners of l's frame (l's main frame scale and origin are set):
 * each at the main scale when the part fits into 28 % x 30 % of the frame, else smaller, in
 * the corner where it covers least of the main map (ties: the corner in the part's
 * direction); at least wide enough for `caption_w` points of caption. Sets l->ninsets and
 * l->inset. Returns QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_map_place_insets(const struct qtr_shapes *s, const struct qtr_map_extent *ext,
                         const double *caption_w, struct qtr_map_layout *l);

#define QTR_MAP_FONT "DejaVu Sans"

/* The parts of a map page, in points. */
struct qtr_map_page {
    double w, h, margin, header, footer, legend_x, legend_w;
};

/* Set on a cairo context (any non-NULL value): text is drawn as outlines (SVG for Qt). */
extern const cairo_user_data_key_t qtr_map_text_as_path;

static inline void qtr_map_rgb(cairo_t *cr, struct qtr_rgb c)
{
    cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static inline void qtr_map_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, QTR_MAP_FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* map_text.c: text at the current point (outlines when qtr_map_text_as_path is set), its
 * advance, word-wrapped text (returns the baseline after the last line; draw 0: measure
 * only), the district labels (QTR_ERR_NOMEM). */
void qtr_map_show_text(cairo_t *cr, const char *s);
double qtr_map_text_width(cairo_t *cr, const char *s);
double qtr_map_wrapped(cairo_t *cr, const char *text, double x, double y, double maxw,
                       double leading, int draw);
int qtr_map_draw_labels(cairo_t *cr, const struct qtr_map *m, struct qtr_map_layout *l);

/* map_page.c: the page layout of m (QTR_ERR_USAGE, QTR_ERR_NOMEM), the whole page
 * (QTR_ERR_NOMEM; cairo errors stay in cr's status), the current path filled (hatched). */
int qtr_map_page_layout(const struct qtr_map *m, struct qtr_map_page *pg, struct qtr_map_layout *l,
                        struct qtr_error *err);
int qtr_map_page_draw(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_page *pg,
                      struct qtr_map_layout *l);
void qtr_map_fill_area(cairo_t *cr, struct qtr_rgb fill, int hatched);
/* The rings of feature f of s at l's scale added to cr's path. */
void qtr_map_shapes_path(cairo_t *cr, const struct qtr_shapes *s, size_t f,
                         const struct qtr_map_layout *l);

/* map_raster.c: the features of m (fills, outlines where districts are large enough) at l's
 * scale as one image at m->raster_dpi of the printed page, clipped to (x, y, w, h); on an
 * image surface drawn straight in. Errors stay in cr's status. */
void qtr_map_raster_features(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_layout *l,
                             double x, double y, double w, double h);

/* map_legend.c: the legend column with north arrow and scale bar (QTR_ERR_NOMEM). */
int qtr_map_draw_legend(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_page *pg,
                        const struct qtr_map_layout *l, int any_nodata);

#endif
