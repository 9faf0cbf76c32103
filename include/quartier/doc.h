/*
 * doc.h - the council report as a list of blocks (headings, paragraphs,
 * tables, maps), written once by the report stage and rendered twice: as a
 * self-contained HTML file (inline CSS and SVG, no fonts or network references;
 * scripts only for the optional interactive map, webmap.h, itself inlined) and as an A4 PDF with
 * cairo (page numbers, tables broken across pages with their header repeated, maps as vector
 * graphics; a map with raster_dpi set has its features as one image, map.h).
 *
 * All text is UTF-8 and plain: the renderers escape it. A document owns every
 * string and array added to it; maps borrow only their shapes and labels,
 * which must outlive the rendering.
 */
#ifndef QUARTIER_DOC_H
#define QUARTIER_DOC_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/map.h"
#include "quartier/strutil.h"

enum qtr_doc_kind {
    QTR_DOC_HEADING = 0, /* level 1 (section) or 2 (subsection) */
    QTR_DOC_PARA,        /* a paragraph */
    QTR_DOC_NOTE,        /* a small-print paragraph (sources, explanations under tables) */
    QTR_DOC_TABLE,
    QTR_DOC_MAP
};

struct qtr_doc_block {
    enum qtr_doc_kind kind;
    int level;  /* headings */
    char *text; /* heading, paragraph, note; table or map caption (may be NULL) */
    /* tables */
    size_t ncols, nrows;
    char **head;        /* ncols */
    char **cells;       /* nrows * ncols, row-major; NULL cell = empty */
    unsigned char *num; /* ncols: 1 = right-aligned numbers */
    int wide_last;      /* 1: the PDF draws the last column (long text such as reasons) as a
                           full-width line under the other cells of its row */
    /* maps */
    struct qtr_map map; /* strings, classes, colours and labels owned by the block */
    char *svg_path;     /* the map's SVG file, inlined into the HTML (NULL: PDF only) */
};

struct qtr_doc {
    char *lang; /* "de" or "en" (html lang, page labels) */
    char *title;
    char *subtitle; /* may be NULL */
    char *footer;   /* left part of the PDF footer, e.g. the title; may be NULL */
    char *created;  /* PDF creation date (ISO 8601) or NULL */
    int webmap;     /* 1: the HTML gets an interactive map of the maps on the first map's
                       districts, after the first map (webmap.h); the PDF has none */
    size_t n, cap;
    struct qtr_doc_block *b;
};

/** Start an empty document (strings copied). Returns NULL when out of memory. */
struct qtr_doc *qtr_doc_new(const char *lang, const char *title, const char *subtitle);

/** Free the document and everything it owns. NULL-safe. */
void qtr_doc_free(struct qtr_doc *d);

/** Append a heading (level 1 or 2). QTR_ERR_NOMEM. */
int qtr_doc_heading(struct qtr_doc *d, int level, const char *text);

/** Append a paragraph (kind QTR_DOC_PARA or QTR_DOC_NOTE). QTR_ERR_NOMEM. */
int qtr_doc_para(struct qtr_doc *d, enum qtr_doc_kind kind, const char *text);

/**
 * Start a table with ncols columns: head[0..ncols-1] the column heads, num
 * (may be NULL) marks numeric columns. Rows follow with qtr_doc_row on the
 * table last added. QTR_ERR_NOMEM, QTR_ERR_USAGE for ncols == 0.
 */
int qtr_doc_table(struct qtr_doc *d, const char *caption, size_t ncols, const char *const *head,
                  const unsigned char *num);

/**
 * Append a row of ncols cells (copied; NULL = empty) to the last block, which
 * must be a table. QTR_ERR_USAGE when it is not, QTR_ERR_NOMEM.
 */
int qtr_doc_row(struct qtr_doc *d, const char *const *cells);

/**
 * Mark the last block, a table of at least two columns whose last column holds long text
 * (reasons), so that the PDF draws that column under the other cells of each row across the
 * full width instead of as a narrow column (doc_table.c); the HTML is unchanged.
 * QTR_ERR_USAGE when the last block is not such a table.
 */
int qtr_doc_table_wide_last(struct qtr_doc *d);

/**
 * Cut the last block, a table sorted by its key, to its first and last `keep` rows with the
 * row `gap` (ncols cells, NULL = empty) between them, when that hides at least two rows
 * (doc_table.c). *dropped (may be NULL) receives the number of rows taken out (0: none).
 * QTR_ERR_USAGE when the last block is not a table, QTR_ERR_NOMEM (the table unchanged).
 */
int qtr_doc_table_keep_ends(struct qtr_doc *d, size_t keep, const char *const *gap,
                            size_t *dropped);

/**
 * Append a map: m is copied, with its title, subtitle, source, date, legend
 * strings, classes (m->shapes->n) and colours; shapes, overlay and labels
 * stay borrowed. svg_path (may be NULL) is the SVG file to inline in HTML.
 */
int qtr_doc_map(struct qtr_doc *d, const struct qtr_map *m, const char *svg_path);

/**
 * Append s to b with the five HTML special characters escaped (& < > " ').
 * Returns 0 or QTR_ERR_NOMEM.
 */
int qtr_html_escape(struct qtr_buf *b, const char *s);

/**
 * Write d as one self-contained HTML5 file to path (atomically: temporary
 * file, then rename). Each map's SVG file is read and inlined with its ids
 * made unique per map and its namespace declarations removed (HTML parses
 * inline SVG without them), so the page has no http(s) reference at all.
 * Errors: QTR_ERR_IO (naming the file), QTR_ERR_NOMEM.
 */
int qtr_doc_write_html(const struct qtr_doc *d, const char *path, struct qtr_error *err);

/**
 * Write d as an A4 portrait PDF with cairo (DejaVu Sans, toy text API) to
 * path (atomically). Paragraphs are word-wrapped, tables get column widths
 * from their content and are continued on the next page with the header
 * repeated, headings are kept with what follows, maps are drawn as vector
 * graphics with qtr_map_draw (features as an image when raster_dpi is set), and
 * every page has "Seite i von n" ("Page i of n") in the footer. *npages (may
 * be NULL) receives the page count.
 * Errors: QTR_ERR_IO, QTR_ERR_INTERNAL (cairo), QTR_ERR_NOMEM.
 */
int qtr_doc_write_pdf(const struct qtr_doc *d, const char *path, size_t *npages,
                      struct qtr_error *err);

/**
 * qtr_doc_write_html to html and qtr_doc_write_pdf to pdf at the same time (doc_write.c;
 * threads 1: one after the other); the same files. The HTML's error is reported when both
 * fail.
 */
int qtr_doc_write_html_pdf(const struct qtr_doc *d, const char *html, const char *pdf,
                           int threads, struct qtr_error *err);

#endif
