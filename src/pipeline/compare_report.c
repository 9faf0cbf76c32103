/*
 * compare_report.c - the short report of a batch's comparison (docs/batch.md): a map of the
 * regions coloured by the dissimilarity index D of the first group, and the regions ranked
 * by D with interval and p-value, as comparison.html and comparison.pdf (src/render/doc.c),
 * the map also as maps/regions_d.png and .svg.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "quartier/classify.h"
#include "quartier/doc.h"
#include "quartier/format.h"
#include "quartier/geom.h"
#include "quartier/gpkg_style.h"
#include "quartier/map.h"
#include "quartier/outdir.h"
#include "quartier/palette.h"
#include "quartier/present.h"
#include "quartier/qml.h"
#include "quartier/shapes.h"
#include "quartier/strutil.h"

#define T(c, de_, en_) ((c)->en ? (en_) : (de_))

/* Regions ranked by D, highest first; regions without D last, in key order. */
struct ranked {
    double d;
    size_t k;
};

static int by_d(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    int fx = isfinite(x->d), fy = isfinite(y->d);
    if (fx != fy)
        return fy - fx;
    if (fx && x->d != y->d)
        return x->d < y->d ? 1 : -1;
    return (x->k > y->k) - (x->k < y->k);
}

/* In the report's language: "1.234,5" / "1,234.5" (format.c) */
static void num(int en, double v, int decimals, char *buf, size_t size)
{
    qtr_fmt_num(en, v, decimals, buf, size);
}

/* room for the classes of D (qtr_present_region_d asks for at most this many) */
#define MAX_CLASSES 9

/* The classes of D over the regions (equal intervals, at most 5) and their colours, as the
 * map and the QGIS style of `regions` show them: d[n] (NAN for a region without output),
 * *nclass 0 when no region has D. */
static int d_classes(const struct cmp *c, double *d, size_t n, struct qtr_classes *cl,
                     size_t *nclass, struct qtr_rgb *col, struct qtr_error *err)
{
    size_t nd = 0;
    *nclass = 0;
    for (size_t k = 0; k < n; k++) {
        d[k] = c->d_col >= 0 && c->reg[k].have ? c->reg[k].val[c->d_col] : NAN;
        nd += isfinite(d[k]) != 0;
    }
    if (!nd)
        return QTR_OK;
    enum qtr_palette pal;
    size_t kmax;
    qtr_present_region_d(&pal, &kmax); /* the presentation table decides */
    if (kmax > MAX_CLASSES)
        kmax = MAX_CLASSES;
    int rc = qtr_classify(d, n, QTR_CLASS_EQUAL, nd < kmax ? nd : kmax, 0, cl, err);
    if (!rc) {
        *nclass = cl->k;
        rc = qtr_palette_colors(pal, cl->k, col, err);
    }
    return rc;
}

int qtr_compare_style(const struct qtr_ctx *ctx, const struct cmp *c, const char *gpkg,
                      struct qtr_error *err)
{
    size_t n = c->r->n, nclass = 0;
    if (c->d_col < 0 || !n)
        return QTR_OK;
    struct qtr_classes cl = {0};
    struct qtr_rgb col[MAX_CLASSES];
    char lab[MAX_CLASSES][96], *qml = NULL;
    const char *labp[MAX_CLASSES];
    double *d = calloc(n, sizeof *d);
    if (!d)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int rc = d_classes(c, d, n, &cl, &nclass, col, err);
    int any_missing = 0;
    for (size_t k = 0; k < n; k++)
        any_missing |= !isfinite(d[k]);
    if (!rc && nclass) {
        for (size_t q = 0; q < nclass; q++) {
            char lo[32], hi[32];
            num(c->en, cl.limits[q], 3, lo, sizeof lo);
            num(c->en, cl.limits[q + 1], 3, hi, sizeof hi);
            snprintf(lab[q], sizeof lab[q], "%s – %s", lo, hi);
            labp[q] = lab[q];
        }
        struct qtr_qml_graduated g = {
            .field = c->idx[c->d_col].field,
            .k = nclass,
            .limits = cl.limits,
            .colors = col,
            .labels = labp,
            .decimals = 3,
            .method_id = "EqualInterval",
            .null_label = any_missing ? qtr_present_nodata_label(c->en, 0) : NULL,
            .null_color = qtr_palette_nodata(),
            .null_hatched = 1,
        };
        rc = qtr_qml_graduated(&g, &qml, err);
    }
    if (!rc && qml) {
        struct qtr_gpkg_style s = {
            "regions", "dissimilarity", qml,
            T(c, "Segregationsindex D je Region, Klassen wie in der Karte des Vergleichs",
              "Dissimilarity index D per region, classes as on the comparison's map"),
            1, ctx->run_date[0] ? ctx->run_date : NULL};
        rc = qtr_gpkg_add_styles(gpkg, &s, 1, err);
    }
    free(qml);
    free(d);
    qtr_classes_release(&cl);
    return rc;
}

/* The map: classes of D (equal intervals, at most 5), one colour per class. The document
 * borrows the shapes and labels: *keep_shapes and *keep_labels receive them, to be freed
 * after the document is written. */
static int draw_map(struct qtr_ctx *ctx, const struct cmp *c, struct qtr_doc *doc, const char *dir,
                    struct qtr_shapes **keep_shapes, struct qtr_map_label **keep_labels,
                    struct qtr_error *err)
{
    size_t n = c->r->n;
    struct qtr_shapes *shapes = NULL;
    struct qtr_classes cl = {0};
    struct qtr_rgb col[MAX_CLASSES];
    char lab[MAX_CLASSES][96];
    const char *labp[MAX_CLASSES];
    struct qtr_map_label *labels = calloc(n ? n : 1, sizeof *labels);
    double *d = calloc(n ? n : 1, sizeof *d);
    int *cls = calloc(n ? n : 1, sizeof *cls);
    char *mapdir = qtr_asprintf("%s/maps", dir), *png = NULL, *svg = NULL;
    char *title = NULL, *subtitle = NULL, *source = NULL;
    int rc = QTR_OK;
    if (!labels || !d || !cls || !mapdir) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        labels[k].text = c->r->name[k][0] ? c->r->name[k] : c->r->key[k];
        if (!qtr_geom_point_inside(ctx->geos, c->geom[k], &labels[k].x, &labels[k].y))
            labels[k].text = NULL;
    }
    size_t nclass = 0;
    if ((rc = d_classes(c, d, n, &cl, &nclass, col, err)))
        goto out;
    for (size_t k = 0; k < n; k++)
        cls[k] = nclass ? cl.cls[k] : -1;
    for (size_t q = 0; q < nclass; q++) {
        char lo[32], hi[32];
        num(c->en, cl.limits[q], 3, lo, sizeof lo);
        num(c->en, cl.limits[q + 1], 3, hi, sizeof hi);
        snprintf(lab[q], sizeof lab[q], "%s – %s", lo, hi);
        labp[q] = lab[q];
    }
    /* labels without a point are left out (NULL text): compact them */
    size_t nl = 0;
    for (size_t k = 0; k < n; k++)
        if (labels[k].text)
            labels[nl++] = labels[k];
    if ((rc = qtr_shapes_from_geos(ctx->geos, (const struct GEOSGeom_t *const *)c->geom, n, &shapes,
                                   err)))
        goto out;
    const struct cmp_index *dx = &c->idx[c->d_col];
    const char *group = dx->group;
    for (size_t g = 0; g < c->cfg->ngroups; g++)
        if (!strcmp(c->cfg->groups[g].id, dx->group)) {
            const char *label = c->en && c->cfg->groups[g].label_en ? c->cfg->groups[g].label_en
                                                                    : c->cfg->groups[g].label;
            if (label)
                group = label;
        }
    /* a short title (the page is narrow in the report); the group and the analysis below */
    title = qtr_asprintf("%s %s", T(c, "Segregationsindex D:", "Dissimilarity index D:"), group);
    subtitle = qtr_asprintf("%s %s", T(c, "Regionen von", "Regions of"),
                            c->cfg->title ? c->cfg->title : "");
    struct qtr_map_source bnd = {c->cfg->bnd_attribution, c->cfg->bnd_source};
    source = qtr_map_source_line(&bnd, 1, c->en);
    if (!title || !subtitle || !source || !(png = qtr_asprintf("%s/regions_d.png", mapdir)) ||
        !(svg = qtr_asprintf("%s/regions_d.svg", mapdir))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    struct qtr_map m = {
        .shapes = shapes,
        .cls = cls,
        .nclass = nclass,
        .colors = col,
        .class_labels = labp,
        .legend_title = "D",
        .nodata_label = T(c, "keine Ergebnisse", "no results"),
        .nodata_color = qtr_palette_nodata(),
        .title = title,
        .subtitle = subtitle,
        .source = source,
        .labels = labels,
        .nlabels = nl,
        .names = (const char *const *)c->r->name,
        .created = ctx->run_date_fixed ? ctx->run_date : NULL,
    };
    if ((rc = qtr_mkdir_p(mapdir, err)) || (rc = qtr_map_render(&m, QTR_MAP_PNG, png, NULL, err)) ||
        (rc = qtr_map_render(&m, QTR_MAP_SVG, svg, NULL, err)))
        goto out;
    m.width_pt = 600;
    m.height_pt = 424;
    if (qtr_doc_map(doc, &m, svg))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
out:
    qtr_classes_release(&cl);
    *keep_shapes = shapes;
    *keep_labels = labels;
    free(d);
    free(cls);
    free(mapdir);
    free(png);
    free(svg);
    free(title);
    free(subtitle);
    free(source);
    return rc;
}

static int ranked_table(const struct cmp *c, struct qtr_doc *doc, struct qtr_error *err)
{
    size_t n = c->r->n;
    struct ranked *order = calloc(n ? n : 1, sizeof *order);
    if (!order)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < n; k++)
        order[k] = (struct ranked){c->reg[k].have ? c->reg[k].val[c->d_col] : NAN, k};
    qsort(order, n, sizeof *order, by_d);
    const char *head[] = {T(c, "Rang", "Rank"),
                          T(c, "Region", "Region"),
                          T(c, "Name", "Name"),
                          T(c, "Gebiete", "Districts"),
                          T(c, "Einwohner", "Residents"),
                          "D",
                          T(c, "95-%-Intervall", "95 % interval"),
                          "p"};
    const unsigned char isnum[] = {1, 0, 0, 1, 1, 1, 0, 1};
    int rc = QTR_OK;
    if (qtr_doc_table(doc,
                      T(c, "Regionen nach dem Segregationsindex D",
                        "Regions ranked by the dissimilarity index D"),
                      8, head, isnum)) {
        free(order);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t q = 0; q < n && !rc; q++) {
        size_t k = order[q].k;
        const struct cmp_region *g = &c->reg[k];
        char rank[24], dist[32], res[32], dv[32], lo[32], hi[32], ci[80], p[32];
        snprintf(rank, sizeof rank, "%zu", q + 1);
        snprintf(dist, sizeof dist, "%zu", g->have ? g->districts : c->r->ndistricts[k]);
        num(c->en, g->have ? g->residents : NAN, 0, res, sizeof res);
        num(c->en, g->have ? g->val[c->d_col] : NAN, 3, dv, sizeof dv);
        num(c->en, g->have ? g->lo[c->d_col] : NAN, 3, lo, sizeof lo);
        num(c->en, g->have ? g->hi[c->d_col] : NAN, 3, hi, sizeof hi);
        num(c->en, g->have ? g->p[c->d_col] : NAN, 3, p, sizeof p);
        if (g->have && isfinite(g->lo[c->d_col]))
            snprintf(ci, sizeof ci, "%s – %s", lo, hi);
        else
            snprintf(ci, sizeof ci, "%s",
                     g->have     ? "–"
                     : g->failed ? T(c, "fehlgeschlagen", "failed")
                                 : T(c, "keine Ausgabe", "no output"));
        const char *cells[] = {rank, c->r->key[k], c->r->name[k], dist, res, dv, ci, p};
        if (qtr_doc_row(doc, cells))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    free(order);
    return rc;
}

int qtr_compare_report(struct qtr_ctx *ctx, const struct cmp *c, const char *dir,
                       struct qtr_error *err)
{
    int rc = QTR_OK;
    char *html = NULL, *pdf = NULL, *para = NULL, *title = NULL;
    struct qtr_shapes *shapes = NULL;
    struct qtr_map_label *labels = NULL;
    size_t have = 0;
    for (size_t k = 0; k < c->r->n; k++)
        have += c->reg[k].have != 0;
    title = qtr_asprintf("%s: %s", T(c, "Vergleich der Regionen", "Comparison of the regions"),
                         c->cfg->title ? c->cfg->title : "");
    struct qtr_doc *doc = title ? qtr_doc_new(c->en ? "en" : "de", title, NULL) : NULL;
    if (!doc || (ctx->run_date_fixed && !(doc->created = qtr_strdup(ctx->run_date)))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    para = qtr_asprintf(
        c->en ? "%zu regions by %s, %zu with results. Each region was analysed on its own "
                "(its districts only, its own seed); the full results are in regions/<key>/. "
                "The table comparison.csv and the layer 'regions' of comparison.gpkg hold "
                "every index with its interval and p-value."
              : "%zu Regionen nach %s, davon %zu mit Ergebnissen. Jede Region wurde für sich "
                "ausgewertet (nur ihre Gebiete, eigener Startwert); die vollständigen "
                "Ergebnisse stehen in regions/<Schlüssel>/. Die Tabelle comparison.csv und "
                "die Ebene 'regions' in comparison.gpkg enthalten jeden Index mit Intervall "
                "und p-Wert.",
        c->r->n, c->cfg->batch_by, have);
    if (!para || qtr_doc_heading(doc, 1, T(c, "Überblick", "Overview")) ||
        qtr_doc_para(doc, QTR_DOC_PARA, para)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (c->d_col >= 0) {
        if ((rc = draw_map(ctx, c, doc, dir, &shapes, &labels, err)) ||
            (rc = ranked_table(c, doc, err)))
            goto out;
    } else if (qtr_doc_para(doc, QTR_DOC_NOTE,
                            T(c, "Keine Region hat einen Segregationsindex D: keine Karte.",
                              "No region has a dissimilarity index D: no map."))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!(html = qtr_asprintf("%s/comparison.html", dir)) ||
        !(pdf = qtr_asprintf("%s/comparison.pdf", dir))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_doc_write_html(doc, html, err)) || (rc = qtr_doc_write_pdf(doc, pdf, NULL, err)))
        goto out;
out:
    qtr_doc_free(doc);
    qtr_shapes_free(shapes);
    free(labels);
    free(html);
    free(pdf);
    free(para);
    free(title);
    return rc;
}
