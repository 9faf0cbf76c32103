/*
 * publish_stage.c - make the written outputs ready for the council and for QGIS:
 * styles and field documentation in the GeoPackage, run_info provenance,
 * annex tables, and the move of every file into place (docs/publish.md).
 *
 * It works on the temporary files qtr_pipeline_write left (st->keep_temporary),
 * so the previous outputs stay untouched until every new file is complete.
 */
#include "quartier/pipeline.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "quartier/annex.h"
#include "quartier/bivariate.h"
#include "quartier/classify.h"
#include "quartier/goals.h"
#include "quartier/gpkg_style.h"
#include "quartier/labels.h"
#include "quartier/output.h"
#include "quartier/palette.h"
#include "quartier/qml.h"
#include "quartier/renewal.h"
#include "quartier/sha256.h"
#include "quartier/strutil.h"


#include "publish_internal.h"
#include "quartier/run_info.h"

/* ---------------------------------------------------------------------------------------- */
/* Disclosure control before anything is written.                                          */

static int cell_hidden(const struct qtr_column *c, size_t i)
{
    return c && c->kind[i] == QTR_CELL_SUPPRESSED;
}

/*
 * The goals were assessed before disclosure control, on the real values. A district's goal
 * row and its goal_<target> state must not show what the frame now hides: where the
 * indicator of the target is suppressed for the district (at either date, to be safe), the
 * row's baseline, current value and path become missing and the state unknown, and the
 * district's goal state is left empty.
 */
static int disclose_goals(const struct qtr_config *cfg, struct qtr_state *st)
{
    const struct qtr_frame *f = st->frame;
    for (size_t t = 0; t < cfg->ntargets; t++) {
        const struct qtr_target_spec *ts = &cfg->targets[t];
        size_t k = 0;
        while (k < cfg->nindicators && strcmp(cfg->indicators[k].id, ts->indicator) != 0)
            k++;
        if (k == cfg->nindicators || !st->ind_cur)
            continue;
        const struct qtr_column *cur = st->ind_cur[k],
                                *prev = st->ind_prev ? st->ind_prev[k] : NULL;
        if (ts->district) {
            for (size_t g = 0; g < st->ngoals; g++) {
                struct qtr_goal_row *row = &st->goals[g];
                if (strcmp(row->target, ts->id) != 0 || strcmp(row->district, ts->district) != 0)
                    continue;
                for (size_t i = 0; i < f->n; i++)
                    if (!strcmp(f->key[i], ts->district) &&
                        (cell_hidden(cur, i) || cell_hidden(prev, i))) {
                        row->baseline = row->current = row->path = NAN;
                        row->state = QTR_GOAL_UNKNOWN;
                    }
            }
            continue;
        }
        struct qtr_column *gc = qtr_frame_find_role(f, QTR_ROLE_GOAL, ts->id);
        if (!gc || !gc->is_text || !gc->text)
            continue;
        for (size_t i = 0; i < f->n; i++)
            if ((cell_hidden(cur, i) || cell_hidden(prev, i)) && gc->text[i]) {
                free(gc->text[i]);
                gc->text[i] = NULL;
            }
    }
    return QTR_OK;
}

int qtr_pipeline_disclose(const struct qtr_config *cfg, struct qtr_state *st, struct qtr_error *err)
{
    struct qtr_disclosure d;
    int rc = qtr_disclose_frame(st->frame, cfg, &d, err);
    if (rc)
        return rc;
    st->disclosure.counts += d.counts;
    st->disclosure.derived += d.derived;
    st->disclosure.columns += d.columns;
    if (disclose_goals(cfg, st))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

static const char *const annex_tables[] = {"districts",   "city_indices",        "change",
                                           "goals",       "join_report",         "multiscalar_profile",
                                           "crosswalk"};

/* Append a copy of `path` to the list of published files. */
static int add_published(struct qtr_state *st, const char *path, struct qtr_error *err)
{
    char **np = realloc(st->published, (st->npublished + 1) * sizeof *np);
    if (!np)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->published = np;
    if (!(np[st->npublished] = qtr_strdup(path)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->npublished++;
    return QTR_OK;
}

int qtr_pipeline_publish(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         const char *outdir, struct qtr_error *err)
{
    struct doc_list docs = {0};
    struct style_list styles = {0};
    char *tables_dir = NULL, *path = NULL;
    int rc = QTR_OK;
    int en = cfg->language && !strcmp(cfg->language, "en");
    const char *date = ctx->run_date;
    int fixed = ctx->run_date_fixed;
    if (!st->gpkg_path || !st->geojson_path || !st->written)
        return qtr_error_set(err, QTR_ERR_INTERNAL,
                             "publish needs the outputs of qtr_pipeline_write");
    if (!date[0])
        return qtr_error_set(err, QTR_ERR_INTERNAL, "the run has no date (qtr_ctx_set_date)");
    const char *gpkg = st->gpkg_path;
    qtr_progress(ctx, 0.0, "styles and annex");

    /* 1. what is in the file: as qtr_pipeline_write wrote it, not read back */
    const struct qtr_output_info *g = st->written;
    /* 2. aliases and descriptions, 3. styles, 4. provenance (all through SQLite) */
    if (qtr_publish_build_docs(cfg, st, g, en, &docs)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_publish_build_styles(cfg, st, g, &docs, en, fixed ? date : NULL, &styles, err)))
        goto out;
    if ((rc = qtr_gpkg_add_column_docs(gpkg, docs.d, docs.n, err)) ||
        (rc = qtr_gpkg_add_styles(gpkg, styles.s, styles.n, err)) ||
        (rc = qtr_run_info_write(gpkg, cfg, &st->disclosure, date, fixed, err)) ||
        (rc = qtr_qgis_plan_begin(&st->qgis, cfg, en, styles.s, styles.n, docs.d, docs.n, err)))
        goto out;
    if ((rc = add_published(st, st->gpkg_path, err)) ||
        (rc = add_published(st, st->geojson_path, err)))
        goto out;
    qtr_progress(ctx, 0.5, "styles and annex");

    /* 5. annex tables: the CSV files and the workbook each read the GeoPackage through their
     * own handle, so they are written side by side (100,000 districts: about 3 s each) */
    tables_dir = qtr_asprintf("%s/tables", outdir);
    if (!tables_dir) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_mkdir_p(tables_dir, err)))
        goto out;
    enum { NANNEX = sizeof annex_tables / sizeof annex_tables[0] };
    char *csv[NANNEX] = {0};
    int written[NANNEX] = {0};
    for (size_t t = 0; t < NANNEX; t++)
        if (!(csv[t] = qtr_asprintf("%s/%s.csv", tables_dir, annex_tables[t])))
            rc = QTR_ERR_NOMEM;
    if (!rc && !(path = qtr_asprintf("%s/quartier.xlsx", tables_dir)))
        rc = QTR_ERR_NOMEM;
    if (rc) {
        for (size_t t = 0; t < NANNEX; t++)
            free(csv[t]);
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    struct qtr_error ce = {0}, xe = {0};
    int crc = QTR_OK, xrc = QTR_OK;
#pragma omp parallel sections num_threads(ctx->threads == 1 ? 1 : 2)
    {
#pragma omp section
        for (size_t t = 0; t < NANNEX && !crc; t++)
            crc = qtr_annex_csv(gpkg, annex_tables[t], docs.d, docs.n, csv[t], &written[t], &ce);
#pragma omp section
        xrc = qtr_annex_xlsx(gpkg, annex_tables, NANNEX, docs.d, docs.n, path, en, &xe);
    }
    /* the files in the order they were written before, the CSV error first */
    for (size_t t = 0; t < NANNEX && !crc && !rc; t++)
        if (written[t])
            rc = add_published(st, csv[t], err);
    for (size_t t = 0; t < NANNEX; t++)
        free(csv[t]);
    if (crc || xrc) {
        *err = crc ? ce : xe;
        rc = crc ? crc : xrc;
        goto out;
    }
    if (rc || (rc = add_published(st, path, err)))
        goto out;
    qtr_progress(ctx, 1.0, "styles and annex");
out:
    free(path);
    free(tables_dir);
    qtr_publish_styles_release(&styles);
    qtr_publish_docs_release(&docs);
    return rc;
}

