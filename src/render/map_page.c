/*
 * map_page.c - the page of a map: where the frame goes (layout), the features with their
 * classes' colours and no-data hatching, the insets, title and source line.
 */
#include "quartier/map.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "quartier/strutil.h"

void qtr_map_shapes_path(cairo_t *cr, const struct qtr_shapes *s, size_t f,
                         const struct qtr_map_layout *l)
{
    for (size_t r = s->feat_ring[f]; r < s->feat_ring[f + 1]; r++) {
        for (size_t p = s->ring_pt[r]; p < s->ring_pt[r + 1]; p++) {
            double px = l->tx + l->scale * s->x[p], py = l->ty - l->scale * s->y[p];
            if (p == s->ring_pt[r])
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
    }
}

/*
 * Grow the extent by the overlay (outlines of parents, candidate areas). With insets, an
 * overlay ring that reaches into an inset's part (a parent area with an island) counts only
 * there.
 */
static void overlay_extent(const struct qtr_shapes *o, const struct qtr_map_extent *ext,
                           double *minx, double *miny, double *maxx, double *maxy)
{
    for (size_t r = 0; r < o->nrings; r++) {
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (size_t p = o->ring_pt[r]; p < o->ring_pt[r + 1]; p++) {
            x0 = fmin(x0, o->x[p]);
            y0 = fmin(y0, o->y[p]);
            x1 = fmax(x1, o->x[p]);
            y1 = fmax(y1, o->y[p]);
        }
        if (!(x0 <= x1))
            continue;
        int in_inset = 0;
        for (size_t k = 0; k < ext->ninsets && !in_inset; k++)
            in_inset = x0 <= ext->inset[k].maxx && ext->inset[k].minx <= x1 &&
                       y0 <= ext->inset[k].maxy && ext->inset[k].miny <= y1;
        if (in_inset)
            continue;
        *minx = fmin(*minx, x0);
        *miny = fmin(*miny, y0);
        *maxx = fmax(*maxx, x1);
        *maxy = fmax(*maxy, y1);
    }
}

int qtr_map_page_layout(const struct qtr_map *m, struct qtr_map_page *pg, struct qtr_map_layout *l,
                        struct qtr_error *err)
{
    struct qtr_map_extent ext = {0};
    int got = m->shapes && m->shapes->n ? qtr_map_extent(m->shapes, &ext) : 0;
    if (got < 0)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!got)
        return qtr_error_set(err, QTR_ERR_USAGE, "map has no features to draw");
    if (m->no_insets && ext.ninsets) {
        qtr_shapes_bbox(m->shapes, &ext.minx, &ext.miny, &ext.maxx, &ext.maxy);
        ext.ninsets = 0;
    }
    double minx = ext.minx, miny = ext.miny, maxx = ext.maxx, maxy = ext.maxy;
    if (m->overlay)
        overlay_extent(m->overlay, &ext, &minx, &miny, &maxx, &maxy);
    pg->w = m->width_pt > 0 ? m->width_pt : 842;
    pg->h = m->height_pt > 0 ? m->height_pt : 595;
    if (pg->w < 200 || pg->h < 150 || pg->w > 14400 || pg->h > 14400)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "map page %g x %g pt is outside 200 x 150 .. 14400 x 14400 pt", pg->w,
                             pg->h);
    pg->margin = 0.04 * fmin(pg->w, pg->h);
    pg->header = pg->margin + (m->title ? 24 : 0) + (m->subtitle ? 16 : 0) + 6;
    pg->footer = pg->margin + 16;
    pg->legend_w = fmax(150, 0.26 * pg->w);
    pg->legend_x = pg->w - pg->margin - pg->legend_w;
    l->frame_x = pg->margin;
    l->frame_y = pg->header;
    l->frame_w = pg->legend_x - 12 - pg->margin;
    l->frame_h = pg->h - pg->footer - pg->header;
    double bw = maxx - minx, bh = maxy - miny;
    if (!(bw > 0) && !(bh > 0))
        return qtr_error_set(err, QTR_ERR_USAGE, "map features have no extent");
    /* 4 pt inside the frame so that outlines on the data edge are not clipped */
    double pad = 4;
    double sx = bw > 0 ? (l->frame_w - 2 * pad) / bw : INFINITY,
           sy = bh > 0 ? (l->frame_h - 2 * pad) / bh : INFINITY;
    l->scale = fmin(sx, sy);
    /* centre the data in the frame */
    l->tx = l->frame_x + (l->frame_w - l->scale * bw) / 2 - l->scale * minx;
    l->ty = l->frame_y + l->frame_h - (l->frame_h - l->scale * bh) / 2 + l->scale * miny;
    l->scalebar_m = qtr_map_nice_length(fmin(0.7 * pg->legend_w, 0.3 * l->frame_w) / l->scale);
    l->labels_placed = 0;
    /* captions of the insets, estimated at 0.6 em per character (DejaVu Sans averages less) */
    double capw[QTR_MAP_MAX_INSETS] = {0};
    for (size_t k = 0; k < ext.ninsets; k++) {
        struct qtr_map_inset_layout in = {.minx = ext.inset[k].minx,
                                          .miny = ext.inset[k].miny,
                                          .maxx = ext.inset[k].maxx,
                                          .maxy = ext.inset[k].maxy};
        char *cap = qtr_map_inset_caption(m->shapes, m->names, &in);
        size_t chars = 0;
        for (const char *p = cap; p && *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
        capw[k] = 0.6 * QTR_INSET_FONT * (double)chars;
        free(cap);
    }
    if (qtr_map_place_insets(m->shapes, &ext, capw, l) != QTR_OK)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

/* Diagonal hatching (45 degrees, 0.5 pt lines 3.5 pt apart on a page-wide grid, so that
 * neighbouring areas continue each other's lines) over the box (x0, y0)-(x1, y1), clipped to
 * the current clip. */
static void hatch_lines(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    const double d = 3.5;
    qtr_map_rgb(cr, qtr_palette_nodata_hatch());
    cairo_set_line_width(cr, 0.5);
    for (double c = floor((x0 + y0) / d) * d; c <= x1 + y1 + d; c += d) {
        cairo_move_to(cr, c - y0, y0);
        cairo_line_to(cr, c - y1, y1);
    }
    cairo_stroke(cr);
}

/* Fill the current path (and consume it) in fill, hatched over it when hatched. */
void qtr_map_fill_area(cairo_t *cr, struct qtr_rgb fill, int hatched)
{
    qtr_map_rgb(cr, fill);
    if (!hatched) {
        cairo_fill(cr);
        return;
    }
    double x0, y0, x1, y1;
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_fill_preserve(cr);
    cairo_save(cr);
    cairo_clip(cr);
    hatch_lines(cr, x0, y0, x1, y1);
    cairo_restore(cr);
}

/* Features and overlay of m at l's scale, clipped to the box (x, y, w, h); the features as
 * one image when m->raster_dpi is set. */
static void draw_features(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_layout *l,
                          double x, double y, double w, double h)
{
    const struct qtr_shapes *s = m->shapes;
    struct qtr_rgb outline = {90, 90, 90};
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (m->raster_dpi > 0) /* very many districts: one image (map_raster.c) */
        qtr_map_raster_features(cr, m, l, x, y, w, h);
    for (size_t f = 0; !(m->raster_dpi > 0) && f < s->n; f++) {
        int c = m->cls[f];
        qtr_map_shapes_path(cr, s, f, l);
        qtr_map_fill_area(cr, c >= 0 ? m->colors[c] : m->nodata_color, c < 0 && !m->nodata_solid);
        qtr_map_shapes_path(cr, s, f, l);
        qtr_map_rgb(cr, outline);
        cairo_set_line_width(cr, 0.35);
        cairo_stroke(cr);
    }
    if (m->overlay) {
        for (size_t f = 0; f < m->overlay->n; f++)
            qtr_map_shapes_path(cr, m->overlay, f, l);
        qtr_map_rgb(cr, m->overlay_color);
        cairo_set_line_width(cr, 1.8);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* An inset: white box, the features at its own scale, a thin frame, the name on top. */
static void draw_inset(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_inset_layout *in)
{
    cairo_rectangle(cr, in->x, in->y, in->w, in->h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
    struct qtr_map_layout il = {.scale = in->scale, .tx = in->tx, .ty = in->ty};
    draw_features(cr, m, &il, in->x, in->y, in->w, in->h);
    cairo_rectangle(cr, in->x, in->y, in->w, in->h);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    /* without names (or memory) the inset has no caption; its frame still sets it apart */
    char *cap = qtr_map_inset_caption(m->shapes, m->names, in);
    if (cap) {
        qtr_map_font(cr, QTR_INSET_FONT, 0);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, in->x + QTR_INSET_PAD, in->y + QTR_INSET_CAPTION - 1);
        qtr_map_show_text(cr, cap);
        free(cap);
    }
}

/* Draw the page; returns QTR_OK or QTR_ERR_NOMEM (cairo errors are in cr's status). */
int qtr_map_page_draw(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_page *pg,
                      struct qtr_map_layout *l)
{
    const struct qtr_shapes *s = m->shapes;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    /* title block */
    double y = pg->margin;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (m->title) {
        qtr_map_font(cr, 16, 1); /* a long title shrinks to the width (down to 11 pt) */
        double tw = qtr_map_text_width(cr, m->title), room = pg->w - 2 * pg->margin;
        if (tw > room)
            qtr_map_font(cr, fmax(11, 16 * room / tw), 1);
        cairo_move_to(cr, pg->margin, y + 16);
        qtr_map_show_text(cr, m->title);
        y += 24;
    }
    if (m->subtitle) {
        qtr_map_font(cr, 10.5, 0);
        double tw = qtr_map_text_width(cr, m->subtitle), room = pg->w - 2 * pg->margin;
        if (tw > room)
            qtr_map_font(cr, fmax(7.5, 10.5 * room / tw), 0);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, pg->margin, y + 11);
        qtr_map_show_text(cr, m->subtitle);
    }

    /* features, clipped to the frame, then the insets over its corners */
    int any_nodata = 0;
    for (size_t f = 0; f < s->n; f++)
        any_nodata |= m->cls[f] < 0;
    draw_features(cr, m, l, l->frame_x, l->frame_y, l->frame_w, l->frame_h);
    for (size_t k = 0; k < l->ninsets; k++)
        draw_inset(cr, m, &l->inset[k]);
    if (m->labels && m->nlabels && qtr_map_draw_labels(cr, m, l) != QTR_OK)
        return QTR_ERR_NOMEM;

    int rc = qtr_map_draw_legend(cr, m, pg, l, any_nodata);

    /* footer: source and date */
    struct qtr_buf foot = {0};
    if (m->source)
        qtr_buf_puts(&foot, m->source);
    if (m->date)
        qtr_buf_printf(&foot, "%s%s", foot.len ? " \xc2\xb7 " : "", m->date);
    if (foot.len && foot.data) {
        qtr_map_font(cr, 7.5, 0);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        qtr_map_wrapped(cr, foot.data, pg->margin, pg->h - pg->margin - 2, pg->w - 2 * pg->margin,
                        9, 1);
    }
    qtr_buf_release(&foot);
    return rc;
}
