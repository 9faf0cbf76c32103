/*
 * map_text.c - text on a map page: the font, text as outlines for SVG, word wrap, district
 * labels and their placement, the scale bar's length and text.
 */
#include "quartier/map.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "quartier/classify.h"
#include "quartier/strutil.h"

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

/*
 * SVG gets text as outlines: cairo's SVG text refers to <symbol> glyphs by
 * <use>, which Qt's SVG renderer (QGIS print layouts, many office tools)
 * does not resolve, so the text would vanish there. PNG and PDF keep real
 * text (selectable and searchable in the PDF).
 */
const cairo_user_data_key_t qtr_map_text_as_path;

void qtr_map_show_text(cairo_t *cr, const char *s)
{
    if (cairo_get_user_data(cr, &qtr_map_text_as_path)) {
        cairo_text_path(cr, s);
        cairo_fill(cr);
    } else {
        cairo_show_text(cr, s);
    }
}

double qtr_map_text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/*
 * Draw text word-wrapped to maxw, first baseline at y; returns the baseline
 * after the last line. Words longer than maxw stay on their own line.
 */
double qtr_map_wrapped(cairo_t *cr, const char *text, double x, double y, double maxw,
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
        if (line.data && keep > 0 && qtr_map_text_width(cr, line.data) > maxw) {
            line.data[keep] = '\0';
            if (draw) {
                cairo_move_to(cr, x, y);
                qtr_map_show_text(cr, line.data);
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
            qtr_map_show_text(cr, line.data);
        }
        y += leading;
    }
    qtr_buf_release(&line);
    return y;
}

int qtr_map_draw_labels(cairo_t *cr, const struct qtr_map *m, struct qtr_map_layout *l)
{
    size_t n = m->nlabels;
    double *b = calloc(4 * n + 1, sizeof *b);
    unsigned char *placed = calloc(n + 1, 1);
    int rc = b && placed ? QTR_OK : QTR_ERR_NOMEM;
    if (rc != QTR_OK)
        goto out;
    qtr_map_font(cr, 7, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    for (size_t i = 0; i < n; i++) {
        const char *t = m->labels[i].text ? m->labels[i].text : "";
        double w = qtr_map_text_width(cr, t), px = l->tx + l->scale * m->labels[i].x,
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
        if (m->label_plates) {
            /* a white plate under the letters: one rectangle instead of a halo */
            cairo_rectangle(cr, b[i] + 0.5, b[n + i] + 0.5, b[2 * n + i] - b[i] - 1,
                            b[3 * n + i] - b[n + i] - 1);
            cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_move_to(cr, x, y);
            qtr_map_show_text(cr, m->labels[i].text);
            continue;
        }
        /* the halo is the outline stroked; the letters are text (show_text: glyphs in the
         * PDF and the HTML's SVG, outlines only where text_as_path asks for them). Filling
         * the halo's path instead wrote every label's outline twice (Berlin's overview in
         * the HTML: about 600 kB more). */
        cairo_move_to(cr, x, y);
        cairo_text_path(cr, m->labels[i].text);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_set_line_width(cr, 2.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, x, y);
        qtr_map_show_text(cr, m->labels[i].text);
    }
out:
    free(b);
    free(placed);
    return rc;
}
