/*
 * map.c - choropleth / category maps with cairo.
 */
#include "quartier/map.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map_internal.h"
#include "png_write.h"
#include "quartier/classify.h"
#include "quartier/strutil.h"

#define FONT "DejaVu Sans"

double qtr_map_nice_length(double max_m)
{
    if (!(max_m > 0) || !isfinite(max_m))
        return 0;
    double p = pow(10.0, floor(log10(max_m)));
    /* guard against log10 rounding just below a power of ten */
    if (p * 10 <= max_m)
        p *= 10;
    if (p > max_m)
        p /= 10;
    if (5 * p <= max_m)
        return 5 * p;
    if (2 * p <= max_m)
        return 2 * p;
    return p;
}

int qtr_map_length_label(double m, char *buf, size_t size)
{
    char num[64];
    int rc;
    const char *unit = "m";
    double v = m;
    if (m >= 1000) {
        v = m / 1000;
        unit = "km";
    }
    int dec = fabs(v - round(v)) < 1e-9 ? 0 : (fabs(v * 10 - round(v * 10)) < 1e-9 ? 1 : 2);
    if ((rc = qtr_format_de(v, dec, num, sizeof num)))
        return rc;
    int n = snprintf(buf, size, "%s %s", num, unit);
    return n < 0 || (size_t)n >= size ? QTR_ERR_USAGE : QTR_OK;
}

size_t qtr_label_place(const double *x0, const double *y0, const double *x1, const double *y1,
                       size_t n, double fx0, double fy0, double fx1, double fy1,
                       unsigned char *placed)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        placed[i] = 0;
        if (x0[i] < fx0 || x1[i] > fx1 || y0[i] < fy0 || y1[i] > fy1)
            continue;
        int free_ = 1;
        for (size_t j = 0; j < i && free_; j++) {
            if (placed[j] && x0[i] < x1[j] && x0[j] < x1[i] && y0[i] < y1[j] && y0[j] < y1[i])
                free_ = 0;
        }
        if (free_) {
            placed[i] = 1;
            count++;
        }
    }
    return count;
}

static void set_rgb(cairo_t *cr, struct qtr_rgb c)
{
    cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static void font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/*
 * SVG gets text as outlines: cairo's SVG text refers to <symbol> glyphs by
 * <use>, which Qt's SVG renderer (QGIS print layouts, many office tools)
 * does not resolve, so the text would vanish there. PNG and PDF keep real
 * text (selectable and searchable in the PDF).
 */
static const cairo_user_data_key_t text_as_path_key;

static void show_text(cairo_t *cr, const char *s)
{
    if (cairo_get_user_data(cr, &text_as_path_key)) {
        cairo_text_path(cr, s);
        cairo_fill(cr);
    } else {
        cairo_show_text(cr, s);
    }
}

static double text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/*
 * Draw text word-wrapped to maxw, first baseline at y; returns the baseline
 * after the last line. Words longer than maxw stay on their own line.
 */
static double wrapped(cairo_t *cr, const char *text, double x, double y, double maxw,
                      double leading, int draw)
{
    struct qtr_buf line = {0};
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        size_t wl = e ? (size_t)(e - p) : strlen(p);
        size_t keep = line.len;
        if (line.len)
            qtr_buf_puts(&line, " ");
        qtr_buf_append(&line, p, wl);
        if (line.data && keep > 0 && text_width(cr, line.data) > maxw) {
            line.data[keep] = '\0';
            if (draw) {
                cairo_move_to(cr, x, y);
                show_text(cr, line.data);
            }
            y += leading;
            line.len = 0;
            qtr_buf_append(&line, p, wl);
        }
        p += wl;
    }
    if (line.len && line.data) {
        if (draw) {
            cairo_move_to(cr, x, y);
            show_text(cr, line.data);
        }
        y += leading;
    }
    qtr_buf_release(&line);
    return y;
}

static void shapes_path(cairo_t *cr, const struct qtr_shapes *s, size_t f,
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

struct page {
    double w, h, margin, header, footer, legend_x, legend_w;
};

static int layout(const struct qtr_map *m, struct page *pg, struct qtr_map_layout *l,
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

static void legend_box(cairo_t *cr, double x, double y, double f, struct qtr_rgb fill, int filled,
                       struct qtr_rgb line, double lw)
{
    cairo_rectangle(cr, x, y, 16 * f, 11 * f);
    if (filled) {
        set_rgb(cr, fill);
        cairo_fill_preserve(cr);
    }
    set_rgb(cr, line);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
}

/* Diagonal hatching (45 degrees, 0.5 pt lines 3.5 pt apart on a page-wide grid, so that
 * neighbouring areas continue each other's lines) over the box (x0, y0)-(x1, y1), clipped to
 * the current clip. */
static void hatch_lines(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    const double d = 3.5;
    set_rgb(cr, qtr_palette_nodata_hatch());
    cairo_set_line_width(cr, 0.5);
    for (double c = floor((x0 + y0) / d) * d; c <= x1 + y1 + d; c += d) {
        cairo_move_to(cr, c - y0, y0);
        cairo_line_to(cr, c - y1, y1);
    }
    cairo_stroke(cr);
}

/* Fill the current path (and consume it) in fill, hatched over it when hatched. */
static void fill_area(cairo_t *cr, struct qtr_rgb fill, int hatched)
{
    set_rgb(cr, fill);
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

/* A legend box for "no data": white, hatched, outlined. */
static void legend_hatch_box(cairo_t *cr, double x, double y, double f, struct qtr_rgb fill,
                             struct qtr_rgb line)
{
    cairo_rectangle(cr, x, y, 16 * f, 11 * f);
    fill_area(cr, fill, 1);
    cairo_rectangle(cr, x, y, 16 * f, 11 * f);
    set_rgb(cr, line);
    cairo_set_line_width(cr, 0.35);
    cairo_stroke(cr);
}

/* Height of a legend entry: box and wrapped label at size factor f in a column of width colw. */
static double entry_height(cairo_t *cr, const char *text, double colw, double f)
{
    font(cr, 8.5 * f, 0);
    /* wrapped() returns the baseline after the last line: 9 f + lines * 10.5 f */
    double h = wrapped(cr, text, 0, 9 * f, colw - 22 * f - 4, 10.5 * f, 0) + 5 * f;
    return fmax(h, 16 * f);
}

/* Number of columns the entries need at size f when a column may be `avail` high. */
static int legend_columns(cairo_t *cr, const char **text, size_t ne, double colw, double f,
                          double avail)
{
    int cols = 1;
    double h = 0;
    for (size_t e = 0; e < ne; e++) {
        double eh = entry_height(cr, text[e], colw, f);
        if (h > 0 && h + eh > avail) {
            cols++;
            h = 0;
        }
        h += eh;
    }
    return cols;
}

static void draw_north_arrow(cairo_t *cr, double cx, double top)
{
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    font(cr, 10, 1);
    double w = text_width(cr, "N");
    cairo_move_to(cr, cx - w / 2, top + 10);
    show_text(cr, "N");
    /* half-filled arrow, the classic two-tone north arrow */
    cairo_move_to(cr, cx, top + 14);
    cairo_line_to(cr, cx + 7, top + 38);
    cairo_line_to(cr, cx, top + 32);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_move_to(cr, cx, top + 14);
    cairo_line_to(cr, cx - 7, top + 38);
    cairo_line_to(cr, cx, top + 32);
    cairo_close_path(cr);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
}

static void draw_scalebar(cairo_t *cr, double x, double y, const struct qtr_map_layout *l)
{
    if (!(l->scalebar_m > 0))
        return;
    double len = l->scalebar_m * l->scale, h = 4;
    cairo_set_line_width(cr, 0.6);
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + i * len / 4, y, len / 4, h);
        if (i % 2 == 0) {
            cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
            cairo_fill_preserve(cr);
        } else {
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
        }
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_stroke(cr);
    }
    char lab[64];
    font(cr, 8, 0);
    cairo_move_to(cr, x - text_width(cr, "0") / 2, y + h + 10);
    show_text(cr, "0");
    if (qtr_map_length_label(l->scalebar_m, lab, sizeof lab) == QTR_OK) {
        cairo_move_to(cr, x + len - text_width(cr, lab) / 2, y + h + 10);
        show_text(cr, lab);
    }
}

static int draw_labels(cairo_t *cr, const struct qtr_map *m, struct qtr_map_layout *l)
{
    size_t n = m->nlabels;
    double *b = calloc(4 * n + 1, sizeof *b);
    unsigned char *placed = calloc(n + 1, 1);
    int rc = b && placed ? QTR_OK : QTR_ERR_NOMEM;
    if (rc != QTR_OK)
        goto out;
    font(cr, 7, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    for (size_t i = 0; i < n; i++) {
        const char *t = m->labels[i].text ? m->labels[i].text : "";
        double w = text_width(cr, t), px = l->tx + l->scale * m->labels[i].x,
               py = l->ty - l->scale * m->labels[i].y;
        if (!*t || !isfinite(px) || !isfinite(py)) {
            b[i] = b[n + i] = -1e9; /* outside the frame: never placed */
            b[2 * n + i] = b[3 * n + i] = -1e9;
            continue;
        }
        /* box centred on the point, 1.5 pt padding for the halo */
        b[i] = px - w / 2 - 1.5;
        b[2 * n + i] = px + w / 2 + 1.5;
        b[n + i] = py - (fe.ascent + fe.descent) / 2 - 1.5;
        b[3 * n + i] = py + (fe.ascent + fe.descent) / 2 + 1.5;
        for (size_t k = 0; k < l->ninsets; k++) {
            const struct qtr_map_inset_layout *in = &l->inset[k];
            if (b[i] < in->x + in->w && in->x < b[2 * n + i] && b[n + i] < in->y + in->h &&
                in->y < b[3 * n + i])
                b[i] = b[n + i] = b[2 * n + i] = b[3 * n + i] = -1e9; /* under an inset */
        }
    }
    l->labels_placed = qtr_label_place(b, b + n, b + 2 * n, b + 3 * n, n, l->frame_x, l->frame_y,
                                       l->frame_x + l->frame_w, l->frame_y + l->frame_h, placed);
    for (size_t i = 0; i < n; i++) {
        if (!placed[i])
            continue;
        double x = b[i] + 1.5, y = b[n + i] + 1.5 + fe.ascent;
        cairo_move_to(cr, x, y);
        cairo_text_path(cr, m->labels[i].text);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_set_line_width(cr, 2.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_fill(cr);
    }
out:
    free(b);
    free(placed);
    return rc;
}

/* Features and overlay of m at l's scale, clipped to the box (x, y, w, h). */
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
    for (size_t f = 0; f < s->n; f++) {
        int c = m->cls[f];
        shapes_path(cr, s, f, l);
        fill_area(cr, c >= 0 ? m->colors[c] : m->nodata_color, c < 0 && !m->nodata_solid);
        shapes_path(cr, s, f, l);
        set_rgb(cr, outline);
        cairo_set_line_width(cr, 0.35);
        cairo_stroke(cr);
    }
    if (m->overlay) {
        for (size_t f = 0; f < m->overlay->n; f++)
            shapes_path(cr, m->overlay, f, l);
        set_rgb(cr, m->overlay_color);
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
        font(cr, QTR_INSET_FONT, 0);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, in->x + QTR_INSET_PAD, in->y + QTR_INSET_CAPTION - 1);
        show_text(cr, cap);
        free(cap);
    }
}

static int is_grid(const struct qtr_map *m)
{
    return m->grid_rows && m->grid_cols && m->grid_rows * m->grid_cols == m->nclass;
}

/* The bivariate legend of m at (x, y) in a column w wide; returns the y below it. */
static double grid_legend(cairo_t *cr, const struct qtr_map *m, double x, double y, double w)
{
    struct qtr_rgb outline = {90, 90, 90};
    double rw = 0;
    font(cr, 8, 0);
    for (size_t r = 0; m->row_labels && r < m->grid_rows; r++)
        if (m->row_labels[r])
            rw = fmax(rw, text_width(cr, m->row_labels[r]));
    font(cr, 8, 1);
    if (m->row_title)
        rw = fmax(rw, text_width(cr, m->row_title));
    double gx = x + rw + 6;
    double sw = fmin(36, (w - rw - 8) / (double)m->grid_cols), sh = 0.6 * sw;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (m->col_title) {
        font(cr, 8, 1);
        cairo_move_to(cr, gx, y + 9);
        show_text(cr, m->col_title);
        y += 13;
    }
    if (m->row_title) {
        font(cr, 8, 1);
        cairo_move_to(cr, x, y + 9);
        show_text(cr, m->row_title);
    }
    if (m->col_labels) {
        for (size_t c = 0; c < m->grid_cols; c++) {
            const char *t = m->col_labels[c] ? m->col_labels[c] : "";
            double fs = 7.5;
            font(cr, fs, 0);
            double tw = text_width(cr, t);
            if (tw > sw - 1 && tw > 0) {
                fs *= (sw - 1) / tw;
                font(cr, fs, 0);
                tw = text_width(cr, t);
            }
            cairo_move_to(cr, gx + c * sw + (sw - tw) / 2, y + 9);
            show_text(cr, t);
        }
    }
    if (m->row_title || m->col_labels)
        y += 13;
    for (size_t r = 0; r < m->grid_rows; r++) {
        for (size_t c = 0; c < m->grid_cols; c++) {
            cairo_rectangle(cr, gx + c * sw, y + r * sh, sw, sh);
            set_rgb(cr, m->colors[r * m->grid_cols + c]);
            cairo_fill_preserve(cr);
            set_rgb(cr, outline);
            cairo_set_line_width(cr, 0.35);
            cairo_stroke(cr);
        }
        if (m->row_labels && m->row_labels[r]) {
            font(cr, 8, 0);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_move_to(cr, gx - 4 - text_width(cr, m->row_labels[r]), y + r * sh + sh / 2 + 3);
            show_text(cr, m->row_labels[r]);
        }
    }
    return y + m->grid_rows * sh + 8;
}

/* Draw the page; returns QTR_OK or QTR_ERR_NOMEM (cairo errors are in cr's status). */
static int draw(cairo_t *cr, const struct qtr_map *m, const struct page *pg,
                struct qtr_map_layout *l)
{
    const struct qtr_shapes *s = m->shapes;
    struct qtr_rgb outline = {90, 90, 90};
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    /* title block */
    double y = pg->margin;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (m->title) {
        font(cr, 16, 1);
        cairo_move_to(cr, pg->margin, y + 16);
        show_text(cr, m->title);
        y += 24;
    }
    if (m->subtitle) {
        font(cr, 10.5, 0);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_move_to(cr, pg->margin, y + 11);
        show_text(cr, m->subtitle);
    }

    /* features, clipped to the frame, then the insets over its corners */
    int any_nodata = 0;
    for (size_t f = 0; f < s->n; f++)
        any_nodata |= m->cls[f] < 0;
    draw_features(cr, m, l, l->frame_x, l->frame_y, l->frame_w, l->frame_h);
    for (size_t k = 0; k < l->ninsets; k++)
        draw_inset(cr, m, &l->inset[k]);
    if (m->labels && m->nlabels && draw_labels(cr, m, l) != QTR_OK)
        return QTR_ERR_NOMEM;

    /* legend */
    double lx = pg->legend_x, ly = pg->header + 4;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (m->legend_title) {
        font(cr, 9.5, 1);
        ly = wrapped(cr, m->legend_title, lx, ly + 10, pg->legend_w, 12, 1) + 2;
    }
    /* Legend entries: one column at full size if they fit above the north arrow,
     * else smaller type and up to three columns (many categories). */
    size_t ne = 0;
    const char **text = malloc((m->nclass + 2) * sizeof *text);
    const struct qtr_rgb **efill = malloc((m->nclass + 2) * sizeof *efill);
    int *ekind = malloc((m->nclass + 2) * sizeof *ekind);
    int rc = text && efill && ekind ? QTR_OK : QTR_ERR_NOMEM;
    if (rc == QTR_OK && is_grid(m))
        ly = grid_legend(cr, m, lx, ly, pg->legend_w);
    if (rc == QTR_OK) {
        for (size_t i = 0; !is_grid(m) && i < m->nclass; i++) {
            text[ne] = m->class_labels && m->class_labels[i] ? m->class_labels[i] : "";
            efill[ne] = &m->colors[i];
            ekind[ne++] = 0;
        }
        if (any_nodata) {
            text[ne] = m->nodata_label ? m->nodata_label : "keine Angabe";
            efill[ne] = &m->nodata_color;
            ekind[ne++] = m->nodata_solid ? 0 : 2;
        }
        if (m->overlay) {
            text[ne] = m->overlay_label ? m->overlay_label : "";
            efill[ne] = &m->overlay_color;
            ekind[ne++] = 1;
        }
        double avail = pg->h - pg->footer - 95 - ly, f = 0.6;
        int cols = 3;
        static const double sizes[] = {1, 0.9, 0.8, 0.7, 0.6};
        for (int c = 1; c <= 3; c++) {
            size_t si = 0;
            for (; si < sizeof sizes / sizeof sizes[0]; si++)
                if (legend_columns(cr, text, ne, pg->legend_w / c, sizes[si], avail) <= c)
                    break;
            if (si < sizeof sizes / sizeof sizes[0]) {
                cols = c;
                f = sizes[si];
                break;
            }
        }
        double colw = pg->legend_w / cols, ey = ly;
        int col = 0;
        for (size_t e = 0; e < ne; e++) {
            double eh = entry_height(cr, text[e], colw, f);
            if (ey > ly && ey + eh - ly > avail && col + 1 < cols) {
                col++;
                ey = ly;
            }
            double ex = lx + col * colw;
            if (ekind[e] == 0)
                legend_box(cr, ex, ey, f, *efill[e], 1, outline, 0.35);
            else if (ekind[e] == 2)
                legend_hatch_box(cr, ex, ey, f, *efill[e], outline);
            else
                legend_box(cr, ex, ey, f, *efill[e], 0, *efill[e], 1.8);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            font(cr, 8.5 * f, 0);
            wrapped(cr, text[e], ex + 22 * f, ey + 9 * f, colw - 22 * f - 4, 10.5 * f, 1);
            ey += eh;
        }
    }
    free(text);
    free(efill);
    free(ekind);
    /* north arrow and scale bar at the bottom of the legend column */
    double bottom = pg->h - pg->footer;
    draw_north_arrow(cr, lx + 8, bottom - 80);
    draw_scalebar(cr, lx + 4, bottom - 22, l);

    /* footer: source and date */
    struct qtr_buf foot = {0};
    if (m->source)
        qtr_buf_puts(&foot, m->source);
    if (m->date)
        qtr_buf_printf(&foot, "%s%s", foot.len ? " \xc2\xb7 " : "", m->date);
    if (foot.len && foot.data) {
        font(cr, 7.5, 0);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        wrapped(cr, foot.data, pg->margin, pg->h - pg->margin - 2, pg->w - 2 * pg->margin, 9, 1);
    }
    qtr_buf_release(&foot);
    return rc;
}

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

/* XML text of s (may be NULL) appended to b: & < > escaped. */
static void xml_text(struct qtr_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            qtr_buf_puts(b, "&amp;");
        else if (*s == '<')
            qtr_buf_puts(b, "&lt;");
        else if (*s == '>')
            qtr_buf_puts(b, "&gt;");
        else
            qtr_buf_append(b, s, 1);
    }
}

/* "<title>..</title><desc>..</desc>" of a map (title, subtitle, source, date); NULL: no memory */
static char *svg_meta(const struct qtr_map *m)
{
    struct qtr_buf b = {0};
    qtr_buf_puts(&b, "\n<title>");
    xml_text(&b, m->title);
    qtr_buf_puts(&b, "</title>\n<desc>");
    const char *part[3] = {m->subtitle, m->source, m->date};
    for (int k = 0, any = 0; k < 3; k++)
        if (part[k] && *part[k]) {
            qtr_buf_puts(&b, any++ ? " \xc2\xb7 " : "");
            xml_text(&b, part[k]);
        }
    if (qtr_buf_puts(&b, "</desc>") != QTR_OK) {
        qtr_buf_release(&b);
        return NULL;
    }
    return b.data;
}

/*
 * SVG stream that inserts `insert` right after the <svg ...> start tag (cairo
 * has no API for <title>/<desc>); the tag may arrive split over several writes.
 */
struct svg_stream {
    FILE *fp;
    const char *insert;
    int state;    /* 0: looking for "<svg", 1: for its closing '>', 2: inserted */
    size_t match; /* characters of "<svg" matched so far */
};

static cairo_status_t write_svg(void *closure, const unsigned char *data, unsigned int len)
{
    struct svg_stream *s = closure;
    unsigned int from = 0;
    for (unsigned int i = 0; i < len && s->state < 2; i++) {
        if (s->state == 0) {
            static const char tag[] = "<svg";
            s->match = data[i] == (unsigned char)tag[s->match] ? s->match + 1 : data[i] == '<';
            if (s->match == 4)
                s->state = 1;
        } else if (data[i] == '>') {
            s->state = 2;
            if (fwrite(data, 1, i + 1, s->fp) != i + 1 || fputs(s->insert, s->fp) == EOF)
                return CAIRO_STATUS_WRITE_ERROR;
            from = i + 1;
        }
    }
    return fwrite(data + from, 1, len - from, s->fp) == len - from ? CAIRO_STATUS_SUCCESS
                                                                   : CAIRO_STATUS_WRITE_ERROR;
}

static int check_classes(const struct qtr_map *m, const char *what, struct qtr_error *err)
{
    if (!m->cls || (m->nclass && !m->colors))
        return qtr_error_set(err, QTR_ERR_USAGE, "map '%s': classes or colours missing", what);
    for (size_t f = 0; f < m->shapes->n; f++) {
        if (m->cls[f] >= (int)m->nclass || m->cls[f] < -1)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "map '%s': feature %zu has class %d, but there are %zu classes",
                                 what, f, m->cls[f], m->nclass);
    }
    return QTR_OK;
}

int qtr_map_draw(struct _cairo *cr, const struct qtr_map *m, double x, double y, double w,
                 struct qtr_map_layout *lay, struct qtr_error *err)
{
    struct page pg = {0};
    struct qtr_map_layout l = {0};
    int rc;
    if (!cr || !m || !(w > 0))
        return qtr_error_set(err, QTR_ERR_USAGE, "map, drawing context or width missing");
    const char *what = m->title ? m->title : "(untitled)";
    if ((rc = layout(m, &pg, &l, err)) || (rc = check_classes(m, what, err)))
        return rc;
    double f = w / pg.w;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, f, f);
    cairo_rectangle(cr, 0, 0, pg.w, pg.h);
    cairo_clip(cr);
    rc = draw(cr, m, &pg, &l);
    cairo_restore(cr);
    if (rc != QTR_OK)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory drawing map '%s'", what);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "drawing map '%s' failed: %s", what,
                             cairo_status_to_string(cairo_status(cr)));
    if (lay)
        *lay = l;
    return QTR_OK;
}

int qtr_map_render(const struct qtr_map *m, enum qtr_map_format fmt, const char *path,
                   struct qtr_map_layout *lay, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct page pg = {0};
    struct qtr_map_layout l = {0};
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    FILE *fp = NULL;
    char *tmp = NULL, *meta = NULL;
    int fd = -1;
    struct svg_stream svg = {0};

    if (!m || !path)
        return qtr_error_set(err, QTR_ERR_USAGE, "map or output path missing");
    if ((rc = layout(m, &pg, &l, err)))
        return rc;
    if ((rc = check_classes(m, path, err)))
        return rc;
    if (fmt != QTR_MAP_PNG && fmt != QTR_MAP_SVG && fmt != QTR_MAP_PDF)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown map format %d", (int)fmt);

    tmp = qtr_asprintf("%s.tmpXXXXXX", path);
    if (!tmp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create a file next to '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    /* mkstemp creates 0600; maps are meant to be shared like any other output */
    if (fchmod(fd, 0644) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot set permissions of '%s': %s", tmp,
                           strerror(errno));
        goto out;
    }
    fp = fdopen(fd, "wb");
    if (!fp) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    double px = 1;
    if (fmt == QTR_MAP_PNG) {
        double dpi = m->dpi > 0 ? m->dpi : 150;
        px = dpi / 72.0;
        int w = (int)ceil(pg.w * px), h = (int)ceil(pg.h * px);
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    } else if (fmt == QTR_MAP_SVG) {
        if (!(meta = svg_meta(m))) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        svg.fp = fp;
        svg.insert = meta;
        surf = cairo_svg_surface_create_for_stream(write_svg, &svg, pg.w, pg.h);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PT);
    } else {
        surf = cairo_pdf_surface_create_for_stream(write_file, fp, pg.w, pg.h);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "quartier");
        if (m->title)
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, m->title);
        if (m->created)
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, m->created);
    }
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cairo cannot create the map surface: %s",
                           cairo_status_to_string(cairo_surface_status(surf)));
        goto out;
    }
    cr = cairo_create(surf);
    if (fmt == QTR_MAP_SVG && !m->svg_glyphs)
        cairo_set_user_data(cr, &text_as_path_key, (void *)&text_as_path_key, NULL);
    cairo_scale(cr, px, px);
    if (draw(cr, m, &pg, &l) != QTR_OK) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory drawing map '%s'", path);
        goto out;
    }
    cairo_status_t cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS) {
        cairo_show_page(cr);
        if (fmt == QTR_MAP_PNG)
            cs = qtr_png_write(surf, fp);
        cairo_destroy(cr);
        cr = NULL;
        cairo_surface_finish(surf);
        if (cs == CAIRO_STATUS_SUCCESS)
            cs = cairo_surface_status(surf);
    }
    if (cs != CAIRO_STATUS_SUCCESS) {
        rc = qtr_error_set(err, cs == CAIRO_STATUS_WRITE_ERROR ? QTR_ERR_IO : QTR_ERR_INTERNAL,
                           "drawing map '%s' failed: %s", path, cairo_status_to_string(cs));
        goto out;
    }
    FILE *f = fp;
    fp = NULL;
    if (fclose(f) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed: %s", path, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot move the map to '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    free(tmp);
    tmp = NULL;
    if (lay)
        *lay = l;
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    free(meta);
    if (fp)
        fclose(fp);
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    return rc;
}
