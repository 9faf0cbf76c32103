/*
 * map_raster.c - the features of a map with very many districts (struct qtr_map raster_dpi):
 * drawn onto a cairo image surface at raster_dpi of the printed page and placed into the page
 * as one image, so that a PDF or SVG holds an image of a fixed size instead of a path per
 * district (a city on the 100 m grid has tens of thousands). Title, legend, north arrow,
 * scale bar, source line, labels and the overlay stay vector graphics and text.
 *
 * The colours and classes are those of the vector map. Districts of one class with one ring
 * are filled as one path (one fill per class instead of one per district); districts with
 * several rings (holes, islands) one by one with the even-odd rule, as the vector map does.
 * District outlines are drawn only where a district is at least OUTLINE_MIN_PX pixels
 * across; smaller ones would be all outline, and are drawn without anti-aliasing so that
 * neighbours meet without light seams.
 */
#include <cairo.h>
#include <math.h>
#include <stddef.h>

#include "map_internal.h"

#define OUTLINE_MIN_PX 6.0
#define RASTER_MAX_PX 8000 /* per side; a larger request is drawn at this size */

/* Pixels across a typical district at scale l->scale and px pixels per point. */
static double district_px(const struct qtr_shapes *s, const struct qtr_map_layout *l, double px)
{
    double x0, y0, x1, y1;
    qtr_shapes_bbox(s, &x0, &y0, &x1, &y1);
    double area = (x1 - x0) * (y1 - y0);
    if (!(area > 0) || !s->n)
        return 0;
    return sqrt(area / (double)s->n) * l->scale * px;
}

/* The fills (and, for districts large enough, outlines) of m at l into cr, whose current
 * transformation maps page points to px pixels each; cr is clipped by the caller. */
static void fills(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_layout *l, double px)
{
    const struct qtr_shapes *s = m->shapes;
    int outlines = district_px(s, l, px) >= OUTLINE_MIN_PX;
    cairo_set_antialias(cr, outlines ? CAIRO_ANTIALIAS_DEFAULT : CAIRO_ANTIALIAS_NONE);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* one ring: batched per class (non-zero rule: neighbours of one class merge) */
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    for (int c = -1; c < (int)m->nclass; c++) {
        int any = 0;
        cairo_new_path(cr);
        for (size_t f = 0; f < s->n; f++)
            if (m->cls[f] == c && s->feat_ring[f + 1] - s->feat_ring[f] == 1) {
                qtr_map_shapes_path(cr, s, f, l);
                any = 1;
            }
        if (any)
            qtr_map_fill_area(cr, c >= 0 ? m->colors[c] : m->nodata_color,
                              c < 0 && !m->nodata_solid);
    }
    /* several rings: one by one, holes by the even-odd rule */
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (size_t f = 0; f < s->n; f++) {
        if (s->feat_ring[f + 1] - s->feat_ring[f] == 1)
            continue;
        int c = m->cls[f];
        cairo_new_path(cr);
        qtr_map_shapes_path(cr, s, f, l);
        qtr_map_fill_area(cr, c >= 0 ? m->colors[c] : m->nodata_color, c < 0 && !m->nodata_solid);
    }
    if (outlines) {
        cairo_new_path(cr);
        for (size_t f = 0; f < s->n; f++)
            qtr_map_shapes_path(cr, s, f, l);
        qtr_map_rgb(cr, (struct qtr_rgb){90, 90, 90});
        cairo_set_line_width(cr, 0.35);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

void qtr_map_raster_features(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_layout *l,
                             double x, double y, double w, double h)
{
    /* device units per page point: 1 in a PDF or SVG page, f when the map is scaled into a
     * report page, dpi / 72 on a PNG */
    double dx = 1, dy = 0;
    cairo_user_to_device_distance(cr, &dx, &dy);
    double dev = hypot(dx, dy);
    if (!(dev > 0))
        dev = 1;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE) {
        /* already pixels (the PNG): draw straight in */
        fills(cr, m, l, dev);
        cairo_restore(cr);
        return;
    }
    /* vector devices measure in points (1/72 inch) */
    double px = dev * m->raster_dpi / 72.0;
    int iw = (int)ceil(w * px), ih = (int)ceil(h * px);
    if (iw > RASTER_MAX_PX || ih > RASTER_MAX_PX) {
        px *= RASTER_MAX_PX / (double)(iw > ih ? iw : ih);
        iw = (int)ceil(w * px);
        ih = (int)ceil(h * px);
    }
    if (iw < 1)
        iw = 1;
    if (ih < 1)
        ih = 1;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw, ih);
    cairo_t *ic = cairo_create(img);
    cairo_set_source_rgb(ic, 1, 1, 1);
    cairo_paint(ic);
    cairo_scale(ic, px, px);
    cairo_translate(ic, -x, -y);
    fills(ic, m, l, px);
    cairo_destroy(ic);
    cairo_surface_flush(img);
    /* an error of img (out of memory) becomes cr's error through the pattern */
    cairo_translate(cr, x, y);
    cairo_scale(cr, 1 / px, 1 / px);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}
