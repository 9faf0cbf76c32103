/*
 * doc_pdf.c - the report document as an A4 PDF with cairo.
 *
 * The layout runs twice over the same blocks: the first pass only measures
 * (pages and the page of each section), the second draws, so that every
 * footer can say "Seite i von n" and the contents list can give page numbers.
 * Text uses cairo's toy API with DejaVu Sans; it stays real (searchable) text.
 */
#include "quartier/doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quartier/strutil.h"

#define FONT "DejaVu Sans"
#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN_X 56.0
#define MARGIN_TOP 54.0
#define MARGIN_BOTTOM 62.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define BOTTOM (PAGE_H - MARGIN_BOTTOM)

struct lines {
    size_t n, cap;
    char **s;
};

static void lines_release(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    memset(l, 0, sizeof *l);
}

static int lines_push(struct lines *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **ns = realloc(l->s, cap * sizeof *ns);
        if (!ns)
            return QTR_ERR_NOMEM;
        l->s = ns;
        l->cap = cap;
    }
    char *c = qtr_strndup(s, len);
    if (!c)
        return QTR_ERR_NOMEM;
    l->s[l->n++] = c;
    return QTR_OK;
}

struct pdf {
    cairo_t *cr;
    const struct qtr_doc *d;
    int draw; /* 0: measuring pass */
    int en;
    double y;
    size_t page; /* 1-based */
    size_t npages;
    size_t nsec;
    size_t *sec_page; /* page of each level-1 heading (from the first pass) */
    struct qtr_error *err;
    int rc;
};

static void font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double width_of(cairo_t *cr, const char *s, size_t len)
{
    char tmp[1024];
    if (len >= sizeof tmp)
        len = sizeof tmp - 1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(cr, tmp, &e);
    return e.x_advance;
}

/* Length of the UTF-8 character at s (1 for a stray continuation byte). */
static size_t u8len(const unsigned char *s)
{
    if (*s < 0x80)
        return 1;
    size_t n = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return i;
    return n;
}

/*
 * Word-wrap text to maxw with the current font; a word wider than maxw is
 * broken between characters. Explicit newlines start a new line.
 */
static int wrap(cairo_t *cr, const char *text, double maxw, struct lines *out)
{
    const char *p = text ? text : "";
    struct qtr_buf line = {0};
    int rc = QTR_OK;
    do {
        while (*p == ' ')
            p++;
        if (*p == '\n') {
            if ((rc = lines_push(out, line.data ? line.data : "", line.len)))
                break;
            line.len = 0;
            p++;
            continue;
        }
        if (!*p)
            break;
        size_t wl = strcspn(p, " \n");
        size_t keep = line.len;
        if (line.len && qtr_buf_puts(&line, " ")) {
            rc = QTR_ERR_NOMEM;
            break;
        }
        if (qtr_buf_append(&line, p, wl)) {
            rc = QTR_ERR_NOMEM;
            break;
        }
        if (width_of(cr, line.data, line.len) <= maxw) {
            p += wl;
            continue;
        }
        if (keep > 0) {
            /* the word goes to the next line */
            if ((rc = lines_push(out, line.data, keep)))
                break;
            line.len = 0;
            continue;
        }
        /* a single word too wide: break it between characters */
        size_t cut = 0;
        while (cut < wl) {
            size_t cl = u8len((const unsigned char *)p + cut);
            if (cut > 0 && width_of(cr, p, cut + cl) > maxw)
                break;
            cut += cl;
        }
        if ((rc = lines_push(out, p, cut)))
            break;
        line.len = 0;
        p += cut;
    } while (*p);
    if (!rc && line.len)
        rc = lines_push(out, line.data, line.len);
    qtr_buf_release(&line);
    return rc;
}

static void text_at(struct pdf *p, double x, double y, const char *s)
{
    if (!p->draw || !s || !*s)
        return;
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, s);
}

static void footer(struct pdf *p)
{
    if (!p->draw)
        return;
    cairo_t *cr = p->cr;
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    font(cr, 7.5, 0);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN_X, PAGE_H - 44);
    cairo_line_to(cr, PAGE_W - MARGIN_X, PAGE_H - 44);
    cairo_stroke(cr);
    char num[64];
    snprintf(num, sizeof num, p->en ? "Page %zu of %zu" : "Seite %zu von %zu", p->page, p->npages);
    double nw = width_of(cr, num, strlen(num));
    text_at(p, PAGE_W - MARGIN_X - nw, PAGE_H - 32, num);
    const char *left = p->d->footer ? p->d->footer : p->d->title;
    struct lines l = {0};
    if (wrap(cr, left, CONTENT_W - nw - 20, &l) == QTR_OK && l.n)
        text_at(p, MARGIN_X, PAGE_H - 32, l.s[0]);
    lines_release(&l);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
}

static void new_page(struct pdf *p)
{
    footer(p);
    if (p->draw)
        cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN_TOP;
}

/* Make room for h points; a new page when they do not fit (unless the page is empty). */
static void need(struct pdf *p, double h)
{
    if (p->y + h > BOTTOM && p->y > MARGIN_TOP + 1)
        new_page(p);
}

static void paragraph(struct pdf *p, const char *text, double size, double lead, int bold,
                      double gray, double x, double maxw)
{
    struct lines l = {0};
    font(p->cr, size, bold);
    if ((p->rc = wrap(p->cr, text, maxw, &l))) {
        lines_release(&l);
        return;
    }
    if (p->draw)
        cairo_set_source_rgb(p->cr, gray, gray, gray);
    for (size_t i = 0; i < l.n; i++) {
        need(p, lead);
        font(p->cr, size, bold); /* the footer of a page break changed it */
        if (p->draw)
            cairo_set_source_rgb(p->cr, gray, gray, gray);
        text_at(p, x, p->y + size, l.s[i]);
        p->y += lead;
    }
    if (p->draw)
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    lines_release(&l);
}

#define TB_SIZE 7.2
#define TB_LEAD 9.0
#define TB_PAD 2.5

/* Width of the widest word of s with the current font. */
static double widest_word(cairo_t *cr, const char *s)
{
    double m = 0;
    while (s && *s) {
        size_t wl = strcspn(s, " \n");
        double x = width_of(cr, s, wl);
        if (x > m)
            m = x;
        s += wl;
        while (*s == ' ' || *s == '\n')
            s++;
    }
    return m;
}

/*
 * Column widths: natural widths (longest cell) when they fit; otherwise every
 * column keeps at least its widest word (so words are not split where that
 * can be avoided) and the remaining room is shared by water-filling: each
 * column gets min(natural, level), the level raised until the widths add up
 * to the content width.
 */
static int table_widths(struct pdf *p, const struct qtr_doc_block *b, double *w)
{
    size_t nc = b->ncols - (b->wide_last ? 1 : 0);
    double *nat = calloc(nc, sizeof *nat), *minw = calloc(nc, sizeof *minw);
    if (!nat || !minw) {
        free(nat);
        free(minw);
        return QTR_ERR_NOMEM;
    }
    for (size_t c = 0; c < nc; c++) {
        font(p->cr, TB_SIZE, 1);
        nat[c] = width_of(p->cr, b->head[c], strlen(b->head[c]));
        minw[c] = widest_word(p->cr, b->head[c]);
        font(p->cr, TB_SIZE, 0);
        for (size_t r = 0; r < b->nrows; r++) {
            const char *s = b->cells[r * b->ncols + c];
            if (!s)
                continue;
            double x = width_of(p->cr, s, strlen(s));
            if (x > nat[c])
                nat[c] = x;
            x = widest_word(p->cr, s);
            if (x > minw[c])
                minw[c] = x;
        }
        nat[c] += 2 * TB_PAD + 1;
        minw[c] = fmin(minw[c] + 2 * TB_PAD + 1, 0.35 * CONTENT_W);
        if (minw[c] > nat[c])
            minw[c] = nat[c];
    }
    double total = 0, mint = 0;
    for (size_t c = 0; c < nc; c++) {
        total += nat[c];
        mint += minw[c];
    }
    if (total <= CONTENT_W) {
        /* spread the slack over the columns, so wide tables use the full width */
        double extra = total > 0.6 * CONTENT_W ? (CONTENT_W - total) / (double)nc : 0;
        for (size_t c = 0; c < nc; c++)
            w[c] = nat[c] + extra;
    } else if (mint >= CONTENT_W) {
        for (size_t c = 0; c < nc; c++)
            w[c] = minw[c] * CONTENT_W / mint;
    } else {
        double lo = 0, hi = CONTENT_W;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2, s = 0;
            for (size_t c = 0; c < nc; c++)
                s += fmax(minw[c], fmin(nat[c], mid));
            if (s > CONTENT_W)
                hi = mid;
            else
                lo = mid;
        }
        for (size_t c = 0; c < nc; c++)
            w[c] = fmax(minw[c], fmin(nat[c], lo));
    }
    free(nat);
    free(minw);
    return QTR_OK;
}

/* Indent of a wide last column's lines under the row (doc.h, wide_last). */
#define TB_WIDE_INDENT 12.0

/* Lines of every cell of one row (or the header when cells == head). With `wide`, the
 * last cell (out[nc - 1]) is wrapped to the content width less the indent and goes under
 * the others. */
static int row_lines(struct pdf *p, char *const *cells, size_t nc, int wide, const double *w,
                     int bold, struct lines *out, double *h)
{
    size_t maxl = 1, ncn = nc - (wide ? 1 : 0);
    font(p->cr, TB_SIZE, bold);
    for (size_t c = 0; c < ncn; c++) {
        int rc = wrap(p->cr, cells[c] ? cells[c] : "", w[c] - 2 * TB_PAD, &out[c]);
        if (rc)
            return rc;
        if (out[c].n > maxl)
            maxl = out[c].n;
    }
    *h = (double)maxl * TB_LEAD + 2 * TB_PAD;
    if (wide) {
        const char *s = cells[nc - 1] ? cells[nc - 1] : "";
        int rc = wrap(p->cr, s, CONTENT_W - 2 * TB_PAD - TB_WIDE_INDENT, &out[nc - 1]);
        if (rc)
            return rc;
        if (*s)
            *h += (double)out[nc - 1].n * TB_LEAD;
    }
    return QTR_OK;
}

static void draw_row(struct pdf *p, const struct qtr_doc_block *b, const double *w,
                     struct lines *cl, double h, int header, size_t r)
{
    if (p->draw) {
        cairo_t *cr = p->cr;
        if (header || r % 2 == 1) {
            if (header)
                cairo_set_source_rgb(cr, 0.91, 0.925, 0.95);
            else
                cairo_set_source_rgb(cr, 0.97, 0.975, 0.98);
            cairo_rectangle(cr, MARGIN_X, p->y, CONTENT_W, h);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, header ? 0.6 : 0.82, header ? 0.64 : 0.84, header ? 0.7 : 0.87);
        cairo_set_line_width(cr, header ? 0.8 : 0.4);
        cairo_move_to(cr, MARGIN_X, p->y + h);
        cairo_line_to(cr, MARGIN_X + CONTENT_W, p->y + h);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        font(cr, TB_SIZE, header);
        double x = MARGIN_X;
        size_t ncn = b->ncols - (b->wide_last ? 1 : 0), maxl = 1;
        for (size_t c = 0; c < ncn; c++) {
            for (size_t i = 0; i < cl[c].n; i++) {
                double tx = x + TB_PAD;
                if (b->num[c])
                    tx = x + w[c] - TB_PAD - width_of(cr, cl[c].s[i], strlen(cl[c].s[i]));
                text_at(p, tx, p->y + TB_PAD + TB_SIZE + (double)i * TB_LEAD, cl[c].s[i]);
            }
            if (cl[c].n > maxl)
                maxl = cl[c].n;
            x += w[c];
        }
        if (b->wide_last) {
            const struct lines *wl = &cl[b->ncols - 1];
            for (size_t i = 0; i < wl->n; i++)
                text_at(p, MARGIN_X + TB_PAD + TB_WIDE_INDENT,
                        p->y + TB_PAD + TB_SIZE + (double)(maxl + i) * TB_LEAD, wl->s[i]);
        }
    }
    p->y += h;
}

static void table(struct pdf *p, const struct qtr_doc_block *b)
{
    size_t nc = b->ncols;
    double *w = calloc(nc, sizeof *w);
    struct lines *hl = calloc(nc, sizeof *hl), *cl = calloc(nc, sizeof *cl);
    double hh = 0;
    if (!w || !hl || !cl || table_widths(p, b, w) ||
        row_lines(p, b->head, nc, b->wide_last, w, 1, hl, &hh)) {
        p->rc = QTR_ERR_NOMEM;
        goto out;
    }
    if (b->text) {
        need(p, 14 + hh + 2 * TB_LEAD);
        paragraph(p, b->text, 8.5, 12, 1, 0.1, MARGIN_X, CONTENT_W);
        p->y += 2;
    } else {
        need(p, hh + 2 * TB_LEAD);
    }
    draw_row(p, b, w, hl, hh, 1, 0);
    for (size_t r = 0; r < b->nrows && !p->rc; r++) {
        double h;
        if (row_lines(p, b->cells + r * nc, nc, b->wide_last, w, 0, cl, &h)) {
            p->rc = QTR_ERR_NOMEM;
            break;
        }
        if (p->y + h > BOTTOM) {
            new_page(p);
            draw_row(p, b, w, hl, hh, 1, 0);
        }
        draw_row(p, b, w, cl, h, 0, r);
        for (size_t c = 0; c < nc; c++)
            lines_release(&cl[c]);
    }
    p->y += 10;
out:
    if (hl)
        for (size_t c = 0; c < nc; c++)
            lines_release(&hl[c]);
    if (cl)
        for (size_t c = 0; c < nc; c++)
            lines_release(&cl[c]);
    free(hl);
    free(cl);
    free(w);
}

static void map_block(struct pdf *p, const struct qtr_doc_block *b)
{
    double mw = b->map.width_pt > 0 ? b->map.width_pt : 842;
    double mh = b->map.height_pt > 0 ? b->map.height_pt : 595;
    double h = CONTENT_W * mh / mw;
    need(p, h + 8);
    if (p->draw) {
        struct qtr_error e = {0};
        int rc = qtr_map_draw(p->cr, &b->map, MARGIN_X, p->y, CONTENT_W, NULL, &e);
        if (rc) {
            p->rc = rc;
            *p->err = e;
            return;
        }
        cairo_set_source_rgb(p->cr, 0.75, 0.77, 0.8);
        cairo_set_line_width(p->cr, 0.5);
        cairo_rectangle(p->cr, MARGIN_X, p->y, CONTENT_W, h);
        cairo_stroke(p->cr);
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    }
    p->y += h + 12;
}

static void title_block(struct pdf *p)
{
    const struct qtr_doc *d = p->d;
    paragraph(p, d->title, 19, 24, 1, 0.13, MARGIN_X, CONTENT_W);
    if (d->subtitle)
        paragraph(p, d->subtitle, 9.5, 13, 0, 0.33, MARGIN_X, CONTENT_W);
    p->y += 6;
    if (p->draw) {
        cairo_set_source_rgb(p->cr, 0.23, 0.29, 0.42);
        cairo_set_line_width(p->cr, 2);
        cairo_move_to(p->cr, MARGIN_X, p->y);
        cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y);
        cairo_stroke(p->cr);
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    }
    p->y += 16;
    /* contents with the pages found in the first pass */
    paragraph(p, p->en ? "Contents" : "Inhalt", 11, 15, 1, 0.13, MARGIN_X, CONTENT_W);
    size_t s = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct qtr_doc_block *b = &d->b[i];
        if (b->kind != QTR_DOC_HEADING || b->level != 1)
            continue;
        char num[32];
        snprintf(num, sizeof num, "%zu", p->sec_page ? p->sec_page[s] : (size_t)0);
        s++;
        need(p, 13);
        font(p->cr, 9.5, 0);
        char entry[320];
        snprintf(entry, sizeof entry, "%zu  %s", s, b->text);
        text_at(p, MARGIN_X + 8, p->y + 9.5, entry);
        text_at(p, PAGE_W - MARGIN_X - width_of(p->cr, num, strlen(num)), p->y + 9.5, num);
        p->y += 13;
    }
    p->y += 12;
}

static void layout(struct pdf *p)
{
    const struct qtr_doc *d = p->d;
    p->page = 1;
    p->y = MARGIN_TOP;
    size_t sec = 0;
    title_block(p);
    for (size_t i = 0; i < d->n && !p->rc; i++) {
        const struct qtr_doc_block *b = &d->b[i];
        switch (b->kind) {
        case QTR_DOC_HEADING: {
            /* keep a heading with at least a few lines of what follows */
            double next = 60;
            if (i + 1 < d->n && d->b[i + 1].kind == QTR_DOC_MAP)
                next = CONTENT_W * 595.0 / 842.0;
            if (b->level == 1) {
                need(p, 40 + next);
                if (p->y > MARGIN_TOP + 1)
                    p->y += 10;
                if (!p->draw && p->sec_page)
                    p->sec_page[sec] = p->page;
                sec++;
                char t[320];
                snprintf(t, sizeof t, "%zu  %s", sec, b->text);
                paragraph(p, t, 14, 18, 1, 0.13, MARGIN_X, CONTENT_W);
                if (p->draw) {
                    cairo_set_source_rgb(p->cr, 0.7, 0.72, 0.76);
                    cairo_set_line_width(p->cr, 0.6);
                    cairo_move_to(p->cr, MARGIN_X, p->y + 1);
                    cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y + 1);
                    cairo_stroke(p->cr);
                    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
                }
                p->y += 8;
            } else {
                need(p, 24 + next);
                p->y += 4;
                paragraph(p, b->text, 11, 15, 1, 0.2, MARGIN_X, CONTENT_W);
                p->y += 3;
            }
            break;
        }
        case QTR_DOC_PARA:
            paragraph(p, b->text, 9.5, 13.5, 0, 0.1, MARGIN_X, CONTENT_W);
            p->y += 6;
            break;
        case QTR_DOC_NOTE:
            paragraph(p, b->text, 7.8, 10.5, 0, 0.3, MARGIN_X, CONTENT_W);
            p->y += 6;
            break;
        case QTR_DOC_TABLE:
            table(p, b);
            break;
        case QTR_DOC_MAP:
            map_block(p, b);
            break;
        }
    }
    footer(p);
    if (p->draw)
        cairo_show_page(p->cr);
}

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

int qtr_doc_write_pdf(const struct qtr_doc *d, const char *path, size_t *npages,
                      struct qtr_error *err)
{
    int rc = QTR_OK;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    FILE *fp = NULL;
    size_t *sec_page = NULL;
    char *tmp = qtr_asprintf("%s.tmpXXXXXX", path);
    if (!tmp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create a file next to '%s': %s", path,
                           strerror(errno));
        free(tmp);
        return rc;
    }
    if (fchmod(fd, 0644) != 0 || !(fp = fdopen(fd, "wb"))) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
        goto out;
    }
    size_t nsec = 0;
    for (size_t i = 0; i < d->n; i++)
        nsec += d->b[i].kind == QTR_DOC_HEADING && d->b[i].level == 1;
    sec_page = calloc(nsec ? nsec : 1, sizeof *sec_page);
    if (!sec_page) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    surf = cairo_pdf_surface_create_for_stream(write_file, fp, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "quartier");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, d->title);
    if (d->created)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, d->created);
    cr = cairo_create(surf);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cairo cannot create the report PDF: %s",
                           cairo_status_to_string(cairo_status(cr)));
        goto out;
    }
    struct pdf p = {.cr = cr,
                    .d = d,
                    .draw = 0,
                    .en = !strcmp(d->lang, "en"),
                    .nsec = nsec,
                    .sec_page = sec_page,
                    .err = err};
    layout(&p);
    if (!p.rc) {
        p.npages = p.page;
        p.draw = 1;
        layout(&p);
    }
    if (p.rc) {
        rc = err->code ? err->code
                       : qtr_error_set(err, p.rc, "out of memory laying out the report PDF");
        goto out;
    }
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(surf);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        rc = qtr_error_set(err, cs == CAIRO_STATUS_WRITE_ERROR ? QTR_ERR_IO : QTR_ERR_INTERNAL,
                           "writing the report PDF '%s' failed: %s", path,
                           cairo_status_to_string(cs));
        goto out;
    }
    FILE *f = fp;
    fp = NULL;
    if (fclose(f) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed: %s", path, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot move the report to '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    if (npages)
        *npages = p.npages;
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    if (fp)
        fclose(fp);
    if (rc)
        unlink(tmp);
    free(tmp);
    free(sec_page);
    return rc;
}
