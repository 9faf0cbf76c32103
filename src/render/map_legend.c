/*
 * map_legend.c - the legend column of a map page: class boxes (in up to three columns when
 * there are many), the bivariate grid, no data and overlay entries, north arrow, scale bar.
 */
#include "quartier/map.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"
#include "quartier/strutil.h"

static void legend_box(cairo_t *cr, double x, double y, double f, struct qtr_rgb fill, int filled,
                       struct qtr_rgb line, double lw)
{
    cairo_rectangle(cr, x, y, 16 * f, 11 * f);
    if (filled) {
        qtr_map_rgb(cr, fill);
        cairo_fill_preserve(cr);
    }
    qtr_map_rgb(cr, line);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
}

/* A legend box for "no data": white, hatched, outlined. */
static void legend_hatch_box(cairo_t *cr, double x, double y, double f, struct qtr_rgb fill,
                             struct qtr_rgb line)
{
    cairo_rectangle(cr, x, y, 16 * f, 11 * f);
    qtr_map_fill_area(cr, fill, 1);
    cairo_rectangle(cr, x, y, 16 * f, 11 * f);
    qtr_map_rgb(cr, line);
    cairo_set_line_width(cr, 0.35);
    cairo_stroke(cr);
}

/* Height of a legend entry: box and wrapped label at size factor f in a column of width colw. */
static double entry_height(cairo_t *cr, const char *text, double colw, double f)
{
    qtr_map_font(cr, 8.5 * f, 0);
    /* qtr_map_wrapped() returns the baseline after the last line: 9 f + lines * 10.5 f */
    double h = qtr_map_wrapped(cr, text, 0, 9 * f, colw - 22 * f - 4, 10.5 * f, 0) + 5 * f;
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
    qtr_map_font(cr, 10, 1);
    double w = qtr_map_text_width(cr, "N");
    cairo_move_to(cr, cx - w / 2, top + 10);
    qtr_map_show_text(cr, "N");
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
    qtr_map_font(cr, 8, 0);
    cairo_move_to(cr, x - qtr_map_text_width(cr, "0") / 2, y + h + 10);
    qtr_map_show_text(cr, "0");
    if (qtr_map_length_label(l->scalebar_m, lab, sizeof lab) == QTR_OK) {
        cairo_move_to(cr, x + len - qtr_map_text_width(cr, lab) / 2, y + h + 10);
        qtr_map_show_text(cr, lab);
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
    qtr_map_font(cr, 8, 0);
    for (size_t r = 0; m->row_labels && r < m->grid_rows; r++)
        if (m->row_labels[r])
            rw = fmax(rw, qtr_map_text_width(cr, m->row_labels[r]));
    qtr_map_font(cr, 8, 1);
    if (m->row_title)
        rw = fmax(rw, qtr_map_text_width(cr, m->row_title));
    double gx = x + rw + 6;
    double sw = fmin(36, (w - rw - 8) / (double)m->grid_cols), sh = 0.6 * sw;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (m->col_title) {
        qtr_map_font(cr, 8, 1);
        cairo_move_to(cr, gx, y + 9);
        qtr_map_show_text(cr, m->col_title);
        y += 13;
    }
    if (m->row_title) {
        qtr_map_font(cr, 8, 1);
        cairo_move_to(cr, x, y + 9);
        qtr_map_show_text(cr, m->row_title);
    }
    if (m->col_labels) {
        for (size_t c = 0; c < m->grid_cols; c++) {
            const char *t = m->col_labels[c] ? m->col_labels[c] : "";
            double fs = 7.5;
            qtr_map_font(cr, fs, 0);
            double tw = qtr_map_text_width(cr, t);
            if (tw > sw - 1 && tw > 0) {
                fs *= (sw - 1) / tw;
                qtr_map_font(cr, fs, 0);
                tw = qtr_map_text_width(cr, t);
            }
            cairo_move_to(cr, gx + c * sw + (sw - tw) / 2, y + 9);
            qtr_map_show_text(cr, t);
        }
    }
    if (m->row_title || m->col_labels)
        y += 13;
    for (size_t r = 0; r < m->grid_rows; r++) {
        for (size_t c = 0; c < m->grid_cols; c++) {
            cairo_rectangle(cr, gx + c * sw, y + r * sh, sw, sh);
            qtr_map_rgb(cr, m->colors[r * m->grid_cols + c]);
            cairo_fill_preserve(cr);
            qtr_map_rgb(cr, outline);
            cairo_set_line_width(cr, 0.35);
            cairo_stroke(cr);
        }
        if (m->row_labels && m->row_labels[r]) {
            qtr_map_font(cr, 8, 0);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_move_to(cr, gx - 4 - qtr_map_text_width(cr, m->row_labels[r]),
                          y + r * sh + sh / 2 + 3);
            qtr_map_show_text(cr, m->row_labels[r]);
        }
    }
    return y + m->grid_rows * sh + 8;
}

/* The legend column of page pg: title, entries (classes, no data, overlay), north arrow and
 * scale bar. Returns QTR_OK or QTR_ERR_NOMEM. */
int qtr_map_draw_legend(cairo_t *cr, const struct qtr_map *m, const struct qtr_map_page *pg,
                        const struct qtr_map_layout *l, int any_nodata)
{
    struct qtr_rgb outline = {90, 90, 90};
    /* legend */
    double lx = pg->legend_x, ly = pg->header + 4;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (m->legend_title) {
        qtr_map_font(cr, 9.5, 1);
        ly = qtr_map_wrapped(cr, m->legend_title, lx, ly + 10, pg->legend_w, 12, 1) + 2;
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
            qtr_map_font(cr, 8.5 * f, 0);
            qtr_map_wrapped(cr, text[e], ex + 22 * f, ey + 9 * f, colw - 22 * f - 4, 10.5 * f, 1);
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
    return rc;
}
