/*
 * doc.c - the report document model and its HTML writer.
 */
#include "quartier/doc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quartier/strutil.h"
#include "quartier/webmap.h"
#include "svg_compact.h"

static char *dup_or_null(const char *s)
{
    return s ? qtr_strdup(s) : NULL;
}

struct qtr_doc *qtr_doc_new(const char *lang, const char *title, const char *subtitle)
{
    struct qtr_doc *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->lang = qtr_strdup(lang && *lang ? lang : "de");
    d->title = qtr_strdup(title ? title : "");
    d->subtitle = dup_or_null(subtitle);
    if (!d->lang || !d->title || (subtitle && !d->subtitle)) {
        qtr_doc_free(d);
        return NULL;
    }
    return d;
}

static void free_map_copy(struct qtr_map *m)
{
    free((char *)m->title);
    free((char *)m->subtitle);
    free((char *)m->source);
    free((char *)m->date);
    free((char *)m->legend_title);
    free((char *)m->nodata_label);
    free((char *)m->overlay_label);
    free((char *)m->created);
    free((char *)m->row_title);
    free((char *)m->col_title);
    if (m->row_labels)
        for (size_t k = 0; k < m->grid_rows; k++)
            free((char *)m->row_labels[k]);
    free((void *)m->row_labels);
    if (m->col_labels)
        for (size_t k = 0; k < m->grid_cols; k++)
            free((char *)m->col_labels[k]);
    free((void *)m->col_labels);
    if (m->class_labels)
        for (size_t k = 0; k < m->nclass; k++)
            free((char *)m->class_labels[k]);
    free((void *)m->class_labels);
    free((void *)m->cls);
    free((void *)m->colors);
    free((char *)m->parent_label);
    if (m->values)
        for (size_t i = 0; i < m->shapes->n; i++)
            free((char *)m->values[i]);
    free((void *)m->values);
}

void qtr_doc_free(struct qtr_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        struct qtr_doc_block *b = &d->b[i];
        free(b->text);
        if (b->head)
            for (size_t c = 0; c < b->ncols; c++)
                free(b->head[c]);
        free(b->head);
        if (b->cells)
            for (size_t c = 0; c < b->nrows * b->ncols; c++)
                free(b->cells[c]);
        free(b->cells);
        free(b->num);
        if (b->kind == QTR_DOC_MAP)
            free_map_copy(&b->map);
        free(b->svg_path);
    }
    free(d->b);
    free(d->lang);
    free(d->title);
    free(d->subtitle);
    free(d->footer);
    free(d->created);
    free(d);
}

static struct qtr_doc_block *push(struct qtr_doc *d, enum qtr_doc_kind kind)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 32;
        struct qtr_doc_block *nb = realloc(d->b, cap * sizeof *nb);
        if (!nb)
            return NULL;
        d->b = nb;
        d->cap = cap;
    }
    struct qtr_doc_block *b = &d->b[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

int qtr_doc_heading(struct qtr_doc *d, int level, const char *text)
{
    struct qtr_doc_block *b = push(d, QTR_DOC_HEADING);
    if (!b)
        return QTR_ERR_NOMEM;
    b->level = level < 1 ? 1 : level > 2 ? 2 : level;
    b->text = qtr_strdup(text ? text : "");
    return b->text ? QTR_OK : QTR_ERR_NOMEM;
}

int qtr_doc_para(struct qtr_doc *d, enum qtr_doc_kind kind, const char *text)
{
    struct qtr_doc_block *b = push(d, kind == QTR_DOC_NOTE ? QTR_DOC_NOTE : QTR_DOC_PARA);
    if (!b)
        return QTR_ERR_NOMEM;
    b->text = qtr_strdup(text ? text : "");
    return b->text ? QTR_OK : QTR_ERR_NOMEM;
}

int qtr_doc_table(struct qtr_doc *d, const char *caption, size_t ncols, const char *const *head,
                  const unsigned char *num)
{
    if (ncols == 0)
        return QTR_ERR_USAGE;
    struct qtr_doc_block *b = push(d, QTR_DOC_TABLE);
    if (!b)
        return QTR_ERR_NOMEM;
    b->ncols = ncols;
    b->text = dup_or_null(caption);
    b->head = calloc(ncols, sizeof *b->head);
    b->num = calloc(ncols, 1);
    if (!b->head || !b->num || (caption && !b->text))
        return QTR_ERR_NOMEM;
    for (size_t c = 0; c < ncols; c++) {
        b->head[c] = qtr_strdup(head && head[c] ? head[c] : "");
        if (!b->head[c])
            return QTR_ERR_NOMEM;
        b->num[c] = num ? num[c] : 0;
    }
    return QTR_OK;
}

int qtr_doc_row(struct qtr_doc *d, const char *const *cells)
{
    if (!d->n || d->b[d->n - 1].kind != QTR_DOC_TABLE)
        return QTR_ERR_USAGE;
    struct qtr_doc_block *b = &d->b[d->n - 1];
    char **nc = realloc(b->cells, (b->nrows + 1) * b->ncols * sizeof *nc);
    if (!nc)
        return QTR_ERR_NOMEM;
    b->cells = nc;
    char **row = nc + b->nrows * b->ncols;
    for (size_t c = 0; c < b->ncols; c++)
        row[c] = NULL;
    b->nrows++;
    for (size_t c = 0; c < b->ncols; c++)
        if (cells[c] && !(row[c] = qtr_strdup(cells[c])))
            return QTR_ERR_NOMEM;
    return QTR_OK;
}

/* n labels copied (NULL entries become ""); NULL when out of memory. */
static const char *const *copy_labels(const char *const *l, size_t n)
{
    char **c = calloc(n ? n : 1, sizeof *c);
    for (size_t k = 0; c && k < n; k++)
        if (!(c[k] = qtr_strdup(l[k] ? l[k] : ""))) {
            while (k--)
                free(c[k]);
            free(c);
            return NULL;
        }
    return (const char *const *)c;
}

int qtr_doc_map(struct qtr_doc *d, const struct qtr_map *m, const char *svg_path)
{
    if (!m || !m->shapes || !m->cls)
        return QTR_ERR_USAGE;
    struct qtr_doc_block *b = push(d, QTR_DOC_MAP);
    if (!b)
        return QTR_ERR_NOMEM;
    struct qtr_map *c = &b->map;
    *c = *m;
    /* Own copies first NULLed, so that a failure half-way frees only what was copied. */
    c->title = c->subtitle = c->source = c->date = c->legend_title = NULL;
    c->nodata_label = c->overlay_label = c->created = NULL;
    c->class_labels = NULL;
    c->row_title = c->col_title = NULL;
    c->row_labels = c->col_labels = NULL;
    c->cls = NULL;
    c->colors = NULL;
    c->nclass = 0;
    c->parent_label = NULL;
    c->values = NULL;
    size_t n = m->shapes->n;
    int *cls = malloc((n ? n : 1) * sizeof *cls);
    struct qtr_rgb *col = malloc((m->nclass ? m->nclass : 1) * sizeof *col);
    char **lab = calloc(m->nclass ? m->nclass : 1, sizeof *lab);
    c->cls = cls;
    c->colors = col;
    c->class_labels = (const char *const *)lab;
    if (!cls || !col || !lab)
        return QTR_ERR_NOMEM;
    memcpy(cls, m->cls, n * sizeof *cls);
    if (m->nclass)
        memcpy(col, m->colors, m->nclass * sizeof *col);
    c->nclass = m->nclass;
    for (size_t k = 0; k < m->nclass; k++)
        if (!(lab[k] = qtr_strdup(m->class_labels && m->class_labels[k] ? m->class_labels[k] : "")))
            return QTR_ERR_NOMEM;
    if ((m->title && !(c->title = qtr_strdup(m->title))) ||
        (m->subtitle && !(c->subtitle = qtr_strdup(m->subtitle))) ||
        (m->source && !(c->source = qtr_strdup(m->source))) ||
        (m->date && !(c->date = qtr_strdup(m->date))) ||
        (m->legend_title && !(c->legend_title = qtr_strdup(m->legend_title))) ||
        (m->nodata_label && !(c->nodata_label = qtr_strdup(m->nodata_label))) ||
        (m->overlay_label && !(c->overlay_label = qtr_strdup(m->overlay_label))) ||
        (m->created && !(c->created = qtr_strdup(m->created))) ||
        (svg_path && !(b->svg_path = qtr_strdup(svg_path))) ||
        (m->row_title && !(c->row_title = qtr_strdup(m->row_title))) ||
        (m->col_title && !(c->col_title = qtr_strdup(m->col_title))))
        return QTR_ERR_NOMEM;
    if (m->row_labels && !(c->row_labels = copy_labels(m->row_labels, m->grid_rows)))
        return QTR_ERR_NOMEM;
    if (m->col_labels && !(c->col_labels = copy_labels(m->col_labels, m->grid_cols)))
        return QTR_ERR_NOMEM;
    if (m->parent_label && !(c->parent_label = qtr_strdup(m->parent_label)))
        return QTR_ERR_NOMEM;
    if (m->values && !(c->values = copy_labels(m->values, n)))
        return QTR_ERR_NOMEM;
    return QTR_OK;
}

int qtr_html_escape(struct qtr_buf *b, const char *s)
{
    if (!s)
        return QTR_OK;
    const char *p = s;
    while (*p) {
        size_t run = strcspn(p, "&<>\"'");
        if (run && qtr_buf_append(b, p, run))
            return QTR_ERR_NOMEM;
        p += run;
        if (!*p)
            break;
        const char *e = *p == '&'   ? "&amp;"
                        : *p == '<' ? "&lt;"
                        : *p == '>' ? "&gt;"
                        : *p == '"' ? "&quot;"
                                    : "&#39;";
        if (qtr_buf_puts(b, e))
            return QTR_ERR_NOMEM;
        p++;
    }
    return QTR_OK;
}

/* Read a whole file; NULL with err set on failure. */
static char *slurp(const char *path, size_t *len, struct qtr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        qtr_error_set(err, QTR_ERR_IO, "cannot read map '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct qtr_buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (qtr_buf_append(&b, chunk, got)) {
            fclose(f);
            qtr_buf_release(&b);
            qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
            return NULL;
        }
    int bad = ferror(f);
    fclose(f);
    if (bad || !b.data) {
        qtr_buf_release(&b);
        qtr_error_set(err, QTR_ERR_IO, "cannot read map '%s'", path);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/*
 * Inline an SVG file: drop the XML declaration, the namespace declarations
 * (the HTML parser puts <svg> into the SVG namespace by itself and knows
 * xlink:href) and give every id a per-map prefix, because ids are global in
 * an HTML document and cairo numbers its clip paths and glyphs from 1 in
 * every file; without the prefix the second map would be clipped by the
 * first map's paths. Coordinates are cut to 2 decimals on the way (see below), path
 * data is made relative and short and the style attributes become classes of one
 * <style> element at the end of the map (svg_compact.h).
 */
static int inline_svg_body(struct qtr_buf *out, const char *svg, const char *prefix,
                           const char *title, struct qtr_svg_styles *st);

static int inline_svg(struct qtr_buf *out, const char *svg, const char *prefix, const char *title)
{
    struct qtr_svg_styles st = {0};
    int rc = inline_svg_body(out, svg, prefix, title, &st);
    if (!rc && st.n) {
        /* the classes' rules go before the map's closing tag */
        size_t at = out->len;
        while (at >= 6 && strncmp(out->data + at - 6, "</svg>", 6))
            at--;
        struct qtr_buf sheet = {0};
        if (at < 6 || qtr_svg_style_sheet(&sheet, &st, prefix) ||
            qtr_buf_append(out, sheet.data, sheet.len))
            rc = at < 6 ? QTR_ERR_DATA : QTR_ERR_NOMEM;
        else {
            at -= 6;
            memmove(out->data + at + sheet.len, out->data + at, out->len - sheet.len - at);
            memcpy(out->data + at, sheet.data, sheet.len);
        }
        qtr_buf_release(&sheet);
    }
    qtr_svg_styles_release(&st);
    return rc;
}

static int inline_svg_body(struct qtr_buf *out, const char *svg, const char *prefix,
                           const char *title, struct qtr_svg_styles *st)
{
    const char *p = strstr(svg, "<svg");
    if (!p)
        return QTR_ERR_DATA;
    /* an image with a name for screen readers (the text inside is only paths and glyphs) */
    if (qtr_buf_puts(out, "<svg role=\"img\" aria-label=\"") || qtr_html_escape(out, title) ||
        qtr_buf_puts(out, "\""))
        return QTR_ERR_NOMEM;
    p += 4;
    static const char *const drop[] = {" xmlns=\"http://www.w3.org/2000/svg\"",
                                       " xmlns:xlink=\"http://www.w3.org/1999/xlink\""};
    static const char *const pre[] = {" id=\"", "url(#", "href=\"#"};
    while (*p) {
        size_t k;
        int done = 0;
        for (k = 0; k < 2 && !done; k++)
            if (!strncmp(p, drop[k], strlen(drop[k]))) {
                p += strlen(drop[k]);
                done = 1;
            }
        for (k = 0; k < 3 && !done; k++)
            if (!strncmp(p, pre[k], strlen(pre[k]))) {
                if (qtr_buf_puts(out, pre[k]) || qtr_buf_puts(out, prefix))
                    return QTR_ERR_NOMEM;
                p += strlen(pre[k]);
                done = 1;
            }
        if (done)
            continue;
        if (!strncmp(p, " d=\"", 4)) {
            size_t at = out->len, used = 0;
            if (qtr_buf_puts(out, " d=\""))
                return QTR_ERR_NOMEM;
            int prc = qtr_svg_path_compact(out, p + 4, &used);
            if (prc == QTR_ERR_NOMEM)
                return prc;
            if (prc) { /* not cairo's path data: as it was */
                out->len = at;
                out->data[at] = '\0';
                if (qtr_buf_append(out, p, 4 + used))
                    return QTR_ERR_NOMEM;
            }
            p += 4 + used;
            continue;
        }
        if (!strncmp(p, " style=\"", 8)) {
            const char *e = strchr(p + 8, '"');
            if (!e)
                return QTR_ERR_DATA;
            const char *s0 = p + 8;
            while (*s0 == ' ')
                s0++;
            if (qtr_svg_style_class(out, st, prefix, s0, (size_t)(e - s0)))
                return QTR_ERR_NOMEM;
            p = e + 1;
            continue;
        }
        if (*p == '.' && p > svg && isdigit((unsigned char)p[-1]) &&
            isdigit((unsigned char)p[1])) {
            /*
             * cairo writes 6 decimals; on a page shown at most about 1000 px wide the
             * coordinates are points, so 2 decimals (1/100 pt) are far below a pixel and
             * the page shrinks by about a third.
             */
            size_t nd = 0;
            while (isdigit((unsigned char)p[1 + nd]))
                nd++;
            if (qtr_buf_append(out, p, nd > 2 ? 3 : nd + 1))
                return QTR_ERR_NOMEM;
            p += 1 + nd;
            continue;
        }
        /* copy up to the next character that could start a pattern */
        size_t run = strcspn(p + 1, " iuh.") + 1;
        if (qtr_buf_append(out, p, run))
            return QTR_ERR_NOMEM;
        p += run;
    }
    return QTR_OK;
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:15px;line-height:1.5;"
    "color:#1a1a1a;max-width:62em;margin:0 auto;padding:1.5em 1.2em 4em;background:#fff}"
    "header{border-bottom:3px solid #3b4a6b;margin-bottom:1.2em}"
    "h1{font-size:1.7em;margin:.2em 0;color:#223}"
    ".sub{color:#555;margin:.2em 0 .8em}"
    "h2{font-size:1.35em;margin:1.8em 0 .5em;padding-bottom:.15em;border-bottom:1px solid #bbb;"
    "color:#223}"
    "h3{font-size:1.1em;margin:1.3em 0 .4em;color:#334}"
    "nav{background:#f3f4f7;padding:.6em 1em;border-radius:4px}"
    "nav ol{margin:.3em 0;padding-left:1.5em}"
    "nav a{color:#2a4a8a;text-decoration:none}"
    "p.note{font-size:.85em;color:#444}"
    "table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.85em;width:100%}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "th,td{border-bottom:1px solid #d5d8de;padding:.25em .45em;text-align:left;"
    "vertical-align:top}"
    "th{background:#e9ecf2;border-bottom:2px solid #9aa3b5}"
    "td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "tbody tr:nth-child(even){background:#f8f9fb}"
    "figure.map{margin:1em 0 1.6em;border:1px solid #ccd;padding:4px;page-break-inside:avoid}"
    "figure.map svg{display:block;width:100%;height:auto}"
    "figcaption{font-size:.85em;color:#444;padding:.3em .2em 0}"
    "@media print{body{max-width:none;font-size:11pt}nav{display:none}}";

static int build_html(const struct qtr_doc *d, struct qtr_buf *h, struct qtr_error *err)
{
    int en = !strcmp(d->lang, "en");
    int rc = QTR_OK;
#define PUT(s)                                                                                     \
    do {                                                                                           \
        if (qtr_buf_puts(h, (s)))                                                                  \
            goto nomem;                                                                            \
    } while (0)
#define ESC(s)                                                                                     \
    do {                                                                                           \
        if (qtr_html_escape(h, (s)))                                                               \
            goto nomem;                                                                            \
    } while (0)
    PUT("<!DOCTYPE html>\n<html lang=\"");
    ESC(d->lang);
    PUT("\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        "<meta name=\"generator\" content=\"quartier\"/>\n<title>");
    ESC(d->title);
    PUT("</title>\n<style>");
    PUT(css);
    PUT("</style>\n");
    if (d->webmap && (rc = qtr_webmap_head(h, err)))
        return rc;
    PUT("</head>\n<body>\n<header>\n<h1>");
    ESC(d->title);
    PUT("</h1>\n");
    if (d->subtitle) {
        PUT("<p class=\"sub\">");
        ESC(d->subtitle);
        PUT("</p>\n");
    }
    PUT("</header>\n<nav>\n<strong>");
    PUT(en ? "Contents" : "Inhalt");
    PUT("</strong>\n<ol>\n");
    size_t sec = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->b[i].kind == QTR_DOC_HEADING && d->b[i].level == 1) {
            if (qtr_buf_printf(h, "<li><a href=\"#s%zu\">", ++sec))
                goto nomem;
            ESC(d->b[i].text);
            PUT("</a></li>\n");
        }
    PUT("</ol>\n</nav>\n<main>\n");
    sec = 0;
    size_t nmap = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct qtr_doc_block *b = &d->b[i];
        switch (b->kind) {
        case QTR_DOC_HEADING:
            if (b->level == 1) {
                if (qtr_buf_printf(h, "<h2 id=\"s%zu\">", ++sec))
                    goto nomem;
                ESC(b->text);
                PUT("</h2>\n");
            } else {
                PUT("<h3>");
                ESC(b->text);
                PUT("</h3>\n");
            }
            break;
        case QTR_DOC_PARA:
        case QTR_DOC_NOTE:
            PUT(b->kind == QTR_DOC_NOTE ? "<p class=\"note\">" : "<p>");
            ESC(b->text);
            PUT("</p>\n");
            break;
        case QTR_DOC_TABLE:
            PUT("<table>\n");
            if (b->text) {
                PUT("<caption>");
                ESC(b->text);
                PUT("</caption>\n");
            }
            PUT("<thead><tr>");
            for (size_t c = 0; c < b->ncols; c++) {
                PUT(b->num[c] ? "<th class=\"num\">" : "<th>");
                ESC(b->head[c]);
                PUT("</th>");
            }
            PUT("</tr></thead>\n<tbody>\n");
            for (size_t r = 0; r < b->nrows; r++) {
                PUT("<tr>");
                for (size_t c = 0; c < b->ncols; c++) {
                    PUT(b->num[c] ? "<td class=\"num\">" : "<td>");
                    ESC(b->cells[r * b->ncols + c]);
                    PUT("</td>");
                }
                PUT("</tr>\n");
            }
            PUT("</tbody>\n</table>\n");
            break;
        case QTR_DOC_MAP: {
            if (!b->svg_path)
                break;
            size_t len = 0;
            char *svg = slurp(b->svg_path, &len, err);
            if (!svg)
                return err->code;
            char prefix[32];
            snprintf(prefix, sizeof prefix, "m%zu-", ++nmap);
            PUT("<figure class=\"map\">\n");
            rc = inline_svg(h, svg, prefix, b->map.title);
            free(svg);
            if (rc == QTR_ERR_NOMEM)
                goto nomem;
            if (rc)
                return qtr_error_set(err, rc, "'%s' is not an SVG file", b->svg_path);
            PUT("\n<figcaption>");
            ESC(b->map.title);
            if (b->map.subtitle) {
                PUT(": ");
                ESC(b->map.subtitle);
            }
            PUT("</figcaption>\n</figure>\n");
            if (nmap == 1 && d->webmap && (rc = qtr_webmap_write(h, d, err)))
                return rc; /* the interactive map after the first (overview) map */
            break;
        }
        }
    }
    PUT("</main>\n</body>\n</html>\n");
    return QTR_OK;
nomem:
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing the report");
#undef PUT
#undef ESC
}

/* Write data to path through a temporary file in the same folder and rename(2). */
static int write_atomic(const char *path, const char *data, size_t len, struct qtr_error *err)
{
    char *tmp = qtr_asprintf("%s.tmpXXXXXX", path);
    if (!tmp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int rc = QTR_OK;
    int fd = mkstemp(tmp);
    FILE *f = NULL;
    if (fd < 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create a file next to '%s': %s", path,
                           strerror(errno));
        free(tmp);
        return rc;
    }
    if (fchmod(fd, 0644) != 0 || !(f = fdopen(fd, "wb"))) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        if (!f)
            close(fd);
        goto out;
    }
    if (fwrite(data, 1, len, f) != len) {
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed: %s", path, strerror(errno));
        goto out;
    }
    FILE *ff = f;
    f = NULL;
    if (fclose(ff) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed: %s", path, strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0)
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot move the report to '%s': %s", path,
                           strerror(errno));
out:
    if (f)
        fclose(f);
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

int qtr_doc_write_html(const struct qtr_doc *d, const char *path, struct qtr_error *err)
{
    struct qtr_buf h = {0};
    int rc = build_html(d, &h, err);
    if (!rc)
        rc = write_atomic(path, h.data, h.len, err);
    qtr_buf_release(&h);
    return rc;
}
