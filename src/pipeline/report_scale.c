/*
 * report_scale.c - the report for very many districts (more than [report] full_detail_up_to,
 * 30,000 unless the analysis file says otherwise; a city on the 100 m grid): the maps are
 * raster images, the interactive map is left out, and long tables show their extremes with a
 * line saying where the full table is (docs/report.md). Below the threshold nothing changes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report_internal.h"

/* Resolution of the raster maps on the printed page: sharp on paper, a few hundred
 * kilobytes per map (struct qtr_map raster_dpi). */
#define RASTER_DPI 150.0

int qtr_report_large(const struct rs *r)
{
    return r->st->frame->n > r->cfg->report_full_detail;
}

void qtr_report_scale_map(const struct rs *r, struct qtr_map *m)
{
    if (qtr_report_large(r))
        m->raster_dpi = RASTER_DPI;
}

int qtr_report_scale_note(struct rs *r)
{
    if (!qtr_report_large(r))
        return QTR_OK;
    char n[32], lim[32], buf[1400];
    num(r, (double)r->st->frame->n, 0, n, sizeof n);
    num(r, (double)r->cfg->report_full_detail, 0, lim, sizeof lim);
    snprintf(buf, sizeof buf,
             T(r,
               "Der Bericht umfasst %s Gebiete, mehr als die %s, bis zu denen er jedes Gebiet "
               "einzeln zeichnet und auflistet (einstellbar in der Analysedatei, Abschnitt "
               "[report]). Die Karten sind deshalb Rasterbilder (Legenden, Maßstab und Quellen "
               "bleiben Text), lange Tabellen zeigen nur die höchsten und die niedrigsten Werte, "
               "und die interaktive Karte entfällt: Sie müsste die Form jedes Gebiets in die "
               "Seite schreiben, die dann viele Megabyte groß und im Browser langsam würde. Alle "
               "Gebiete mit allen Werten stehen in der Ebene districts des GeoPackage "
               "quartier.gpkg (in QGIS mit dem darin gespeicherten Projekt zu öffnen), in "
               "districts.geojson und in tables/districts.csv.",
               "The report covers %s districts, more than the %s up to which it draws and lists "
               "every district one by one (set in the analysis file, section [report]). Its maps "
               "are therefore raster images (legends, scale and sources stay text), long tables "
               "show only the highest and the lowest values, and the interactive map is left "
               "out: it would have to write every district's shape into the page, which would "
               "then be many megabytes and slow in a browser. Every district with all its values "
               "is in the districts layer of the GeoPackage quartier.gpkg (it opens in QGIS with "
               "the project stored in it), in districts.geojson and in tables/districts.csv."),
             n, lim);
    return note(r, buf);
}

int qtr_report_table_ends(struct rs *r, const char *key_de, const char *key_en)
{
    if (!qtr_report_large(r) || !r->doc->n)
        return QTR_OK;
    const struct qtr_doc_block *b = &r->doc->b[r->doc->n - 1];
    if (b->kind != QTR_DOC_TABLE)
        return QTR_OK;
    size_t total = b->nrows, keep = r->cfg->report_extremes, dropped = 0;
    const char **gap = calloc(b->ncols ? b->ncols : 1, sizeof *gap);
    if (!gap)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    for (size_t c = 0; c < b->ncols; c++)
        gap[c] = "…";
    int rc = qtr_doc_table_keep_ends(r->doc, keep, gap, &dropped);
    free(gap);
    if (rc)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    if (!dropped)
        return QTR_OK;
    char k[32], all[32], buf[700];
    num(r, (double)keep, 0, k, sizeof k);
    num(r, (double)total, 0, all, sizeof all);
    snprintf(buf, sizeof buf,
             T(r,
               "Gezeigt sind die ersten und die letzten %s von %s Gebieten nach %s, also die "
               "höchsten und die niedrigsten Werte. Alle %s stehen in der Ebene districts des "
               "GeoPackage quartier.gpkg und in tables/districts.csv.",
               "Shown are the first and the last %s of %s districts by %s, that is the highest "
               "and the lowest values. All %s are in the districts layer of the GeoPackage "
               "quartier.gpkg and in tables/districts.csv."),
             k, all, T(r, key_de, key_en), all);
    return note(r, buf);
}

/* ---- sorting in O(n log n) (tens of thousands of districts) ------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void qtr_report_sort_values(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
}

struct keyed {
    double key; /* NaN sorts as -infinity */
    size_t i;
};

/* descending key, then ascending index: the order of a stable sort by descending key */
static int cmp_desc(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

int qtr_report_sort_desc(size_t *ord, size_t n, const double *key)
{
    struct keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return QTR_ERR_NOMEM;
    for (size_t j = 0; j < n; j++)
        k[j] = (struct keyed){isfinite(key[ord[j]]) ? key[ord[j]] : -INFINITY, ord[j]};
    qsort(k, n, sizeof *k, cmp_desc);
    for (size_t j = 0; j < n; j++)
        ord[j] = k[j].i;
    free(k);
    return QTR_OK;
}
