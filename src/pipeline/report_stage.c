/*
 * report_stage.c - maps and the council report of a run: the stage.
 *
 * Everything the report says is computed from the run's state (indices with
 * their permutation p-values and bootstrap intervals, change rows, renewal
 * classes, goals, join report); nothing is typed in. The document is built
 * once (doc.h) and written as HTML and PDF. Maps go to OUTDIR/maps as PNG,
 * SVG and PDF; the SVGs are inlined into the HTML, the PDF draws the same
 * maps as vector graphics.
 *
 * The maps are in report_maps.c and report_renewal_maps.c, the text in report_text.c and
 * report_sections.c (shared through report_internal.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"
#include "report_parents.h"

/* ---- the stage ------------------------------------------------------------- */

/* The report into outdir; with plan_only (outdir NULL) only the maps' descriptions for the
 * QGIS project (qtr_qgis_plan_map), nothing drawn or written. */
static int report(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                  const char *outdir, int plan_only, struct qtr_error *err)
{
    struct rs r = {.ctx = ctx, .cfg = cfg, .st = st, .err = err, .plan_only = plan_only};
    r.en = cfg->language && !strcmp(cfg->language, "en");
    char *html = NULL, *pdf = NULL, *sub = NULL;
    int rc = QTR_OK;
    if (!st || !st->layer || !st->frame)
        return qtr_error_set(err, QTR_ERR_USAGE, "the report needs a loaded analysis");
    date_text(&r, cfg->date, r.cur_date, sizeof r.cur_date);
    if (cfg->previous_date)
        date_text(&r, cfg->previous_date, r.prev_date, sizeof r.prev_date);
    if (cfg->date)
        snprintf(r.date, sizeof r.date, "%s %s", T(&r, "Stand:", "Date:"), r.cur_date);
    /* SOURCE_DATE_EPOCH (reproducible-builds.org, parsed once into ctx) fixes the PDFs'
     * creation date: "YYYY-MM-DDTHH:MM:SS" of the run's date and "Z" */
    if (ctx->run_date_fixed)
        snprintf(r.created, sizeof r.created, "%.19sZ", ctx->run_date);
    if (!plan_only) {
        r.mapdir = qtr_asprintf("%s/maps", outdir);
        html = qtr_asprintf("%s/report.html", outdir);
        pdf = qtr_asprintf("%s/report.pdf", outdir);
        if (!r.mapdir || !html || !pdf) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if ((rc = qtr_mkdir_p(r.mapdir, err)))
            goto out;
    }
    if ((rc = qtr_shapes_from_geos(ctx->geos, (const struct GEOSGeom_t *const *)st->layer->geom,
                                   st->layer->n, &r.shapes, err)))
        goto out;
    if (!cfg->report_no_insets) {
        /* the QGIS project opens on the maps' main frame when an island is in an inset
         * (from the shapes before simplification: the same with and without the report) */
        struct qtr_map_extent ext;
        int got = qtr_map_extent(r.shapes, &ext);
        if (got < 0) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (got == 1 && ext.ninsets > 0)
            qtr_qgis_plan_view(st->qgis, ext.minx, ext.miny, ext.maxx, ext.maxy);
    }
    {
        /*
         * Generalise for A4: at 1/2500 of the larger extent a removed vertex lies less
         * than 0.25 pt (0.5 pixel at 150 dpi) from the drawn line, below the 0.35 pt
         * outline, while official boundary files carry metre-level detail that would
         * make each SVG several megabytes (Berlin: 4.7 MB per map before, see
         * docs/report.md).
         */
        double x0, y0, x1, y1;
        struct qtr_shapes *simple = NULL;
        if (!plan_only && qtr_shapes_bbox(r.shapes, &x0, &y0, &x1, &y1)) {
            r.tol = fmax(x1 - x0, y1 - y0) / 2500.0;
            if ((rc = qtr_shapes_simplify_shared(r.shapes, r.tol, &simple, err)))
                goto out;
            qtr_shapes_free(r.shapes);
            r.shapes = simple;
        }
    }
    if (!plan_only && !qtr_report_large(&r) &&
        (rc = qtr_report_make_labels(&r))) /* none on a raster map */
        goto out;
    if (qtr_report_parents(st->layer, cfg->bnd_parent, &r.parent_of)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    qtr_report_parent_names(&r);
    if (r.parent_of)
        snprintf(r.parent_label, sizeof r.parent_label, "%s",
                 qtr_report_parent_label(&r)
                     ? qtr_report_parent_label(&r)
                     : T(&r, "Übergeordnetes Gebiet", "Parent area"));
    /* a table head or a popup's field name: "Borough" for parent_label_en = borough */
    if (r.parent_label[0] >= 'a' && r.parent_label[0] <= 'z')
        r.parent_label[0] = (char)(r.parent_label[0] - 'a' + 'A');
    if (!plan_only && (rc = qtr_report_candidates(&r))) /* report_plan.c */
        goto out;
    char nd[32]; /* "1.000.000" / "1,000,000" */
    num(&r, (double)st->frame->n, 0, nd, sizeof nd);
    if (r.prev_date[0])
        sub = qtr_asprintf(T(&r, "Bericht für den Rat · Stichtag %s, Vergleich mit %s · %s Gebiete",
                             "Council report · reference date %s, compared with %s · %s districts"),
                           r.cur_date, r.prev_date, nd);
    else if (r.cur_date[0])
        sub = qtr_asprintf(T(&r, "Bericht für den Rat · Stichtag %s · %s Gebiete",
                             "Council report · reference date %s · %s districts"),
                           r.cur_date, nd);
    else /* no date in the analysis file */
        sub = qtr_asprintf(T(&r, "Bericht für den Rat · %s Gebiete", "Council report · %s districts"),
                           nd);
    r.doc =
        qtr_doc_new(r.en ? "en" : "de",
                    cfg->title ? cfg->title : T(&r, "Sozialmonitoring", "Social monitoring"), sub);
    if (!sub || !r.doc) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    r.doc->webmap = !qtr_report_large(&r); /* the interactive map in report.html (webmap.h) */
    if (r.created[0] && !(r.doc->created = qtr_strdup(r.created))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    qtr_progress(ctx, 0.05, "maps and report");
    if ((rc = qtr_report_summary(&r)))
        goto out;
    if ((rc = qtr_doc_heading(r.doc, 1, T(&r, "Die Gebiete", "The districts")))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_report_scale_note(&r)) || (rc = qtr_report_overview_map(&r, r.tol)))
        goto out;
    qtr_progress(ctx, 0.15, "maps and report");
    if ((rc = qtr_report_indices_section(&r)))
        goto out;
    qtr_progress(ctx, 0.4, "maps and report");
    if ((rc = qtr_report_change_section(&r)) || (rc = qtr_report_renewal_section(&r)) ||
        (rc = qtr_report_parent_section(&r)) || (rc = qtr_report_candidate_section(&r)) ||
        (rc = qtr_report_small_section(&r)))
        goto out;
    qtr_progress(ctx, 0.55, "maps and report");
    if ((rc = qtr_report_indicators_section(&r)) || (rc = qtr_report_goals_section(&r)) || (rc = qtr_report_quality_section(&r)) ||
        (rc = qtr_report_methods_section(&r)) || (rc = qtr_report_sources_section(&r)))
        goto out;
    if (plan_only)
        goto out;
    qtr_progress(ctx, 0.75, "maps and report");
    if ((rc = qtr_doc_write_html_pdf(r.doc, html, pdf, ctx->threads, err)))
        goto out;
    qtr_progress(ctx, 1.0, "maps and report");
out:
    for (size_t k = 0; k < r.ntmp; k++) {
        remove(r.tmp_svg[k]);
        free(r.tmp_svg[k]);
    }
    free(r.tmp_svg);
    qtr_doc_free(r.doc);
    qtr_shapes_free(r.shapes);
    qtr_shapes_free(r.parents);
    qtr_shapes_free(r.cand);
    qtr_report_parents_free(r.parent_of, st->layer->n);
    free(r.labels);
    free(r.parent_labels);
    free(r.mapdir);
    free(html);
    free(pdf);
    free(sub);
    return rc;
}

int qtr_pipeline_report(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        const char *outdir, struct qtr_error *err)
{
    return report(ctx, cfg, st, outdir, 0, err);
}

int qtr_pipeline_report_plan(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                             struct qtr_state *st, struct qtr_error *err)
{
    /* nothing drawn: no "maps and report" progress for a run without them */
    qtr_progress_fn progress = ctx->progress;
    ctx->progress = NULL;
    int rc = report(ctx, cfg, st, NULL, 1, err);
    ctx->progress = progress;
    return rc;
}
