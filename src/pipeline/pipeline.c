#include "quartier/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include "quartier/join.h"
#include "quartier/output.h"
#include "quartier/sheet.h"
#include "quartier/strutil.h"

void qtr_state_free(struct qtr_state *st)
{
    if (!st)
        return;
    qtr_frame_free(st->frame);
    for (size_t i = 0; i < st->ntables; i++)
        qtr_table_free(st->tables[i].table);
    free(st->tables);
    qtr_layer_free(st->layer);
    qtr_report_release(&st->report);
    free(st->usable);
    free(st->indices);
    free(st->ind_cur);
    free(st->ind_prev);
    free(st->ind_change);
    qtr_renewal_result_release(&st->renewal);
    free(st->goals);
    free(st->changes);
    free(st->gpkg_path);
    free(st->geojson_path);
    for (size_t i = 0; i < st->npublished; i++)
        free(st->published[i]);
    free(st->published);
    free(st);
}

static int read_table(const struct qtr_table_spec *ts, struct qtr_loaded_table *lt,
                      struct qtr_error *err)
{
    int rc;
    if (qtr_sheet_is_workbook(ts->source)) {
        struct qtr_sheet_options so = {
            .sheet = ts->sheet, .header_row = ts->header_row, .skip_after_header = ts->skip_rows};
        struct qtr_sheet_info si = {0};
        rc = qtr_sheet_read_ex(ts->source, &so, &lt->table, &si, err);
        lt->is_sheet = 1;
        lt->info.decimal_mark = si.decimal_mark ? si.decimal_mark : '.';
        lt->info.skipped_blank_rows = si.skipped_blank_rows;
    } else {
        struct qtr_csv_options o = {0};
        o.separator = ts->separator;
        o.encoding = (enum qtr_encoding)ts->encoding;
        o.header_row = ts->header_row;
        o.skip_after_header = ts->skip_rows;
        rc = qtr_csv_read(ts->source, &o, &lt->table, &lt->info, err);
    }
    if (rc)
        return rc;
    if (ts->decimal)
        lt->info.decimal_mark = ts->decimal;
    return QTR_OK;
}

/* Add the report entries for geometry problems found while reading. */
static int report_geometry(const struct qtr_layer *l, struct qtr_report *rep)
{
    for (size_t r = 0; r < l->nrepairs; r++) {
        size_t i = l->repairs[r].feature;
        if (qtr_report_add(rep, QTR_ISSUE_REPAIRED_GEOMETRY, QTR_INFO, l->key[i], l->name[i],
                           "boundaries", "invalid polygon (%s) repaired with GEOS MakeValid",
                           l->repairs[r].reason))
            return QTR_ERR_NOMEM;
    }
    for (size_t i = 0; i < l->n; i++)
        if (!l->geom[i] && qtr_report_add(rep, QTR_ISSUE_NO_GEOMETRY, QTR_WARNING, l->key[i],
                                          l->name[i], "boundaries",
                                          "feature %zu has no geometry; it is kept in the tables "
                                          "but cannot be mapped",
                                          i + 1))
            return QTR_ERR_NOMEM;
    return QTR_OK;
}

int qtr_pipeline_load(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state **out,
                      struct qtr_error *err)
{
    int rc;
    struct qtr_join_table *jt = NULL;
    const char **gcols = NULL;
    struct qtr_state *st = calloc(1, sizeof *st);
    if (!st)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    *out = st;

    struct qtr_layer_options lo = {
        .source = cfg->bnd_source,
        .layer = cfg->bnd_layer,
        .key = cfg->bnd_key,
        .name = cfg->bnd_name,
        .assign_crs = cfg->bnd_crs,
        .work_crs = cfg->crs,
    };
    if ((rc = qtr_layer_read(ctx, &lo, &st->layer, err)))
        goto out;
    if ((rc = report_geometry(st->layer, &st->report))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }

    st->tables = calloc(cfg->ntables ? cfg->ntables : 1, sizeof *st->tables);
    jt = calloc(cfg->ntables ? cfg->ntables : 1, sizeof *jt);
    if (!st->tables || !jt) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t t = 0; t < cfg->ntables; t++) {
        const struct qtr_table_spec *ts = &cfg->tables[t];
        qtr_progress(ctx, (double)t / (double)cfg->ntables, "reading tables");
        if ((rc = read_table(ts, &st->tables[t], err)))
            goto out;
        st->ntables++;
        jt[t].table = st->tables[t].table;
        jt[t].id = ts->id;
        jt[t].key = ts->key;
        jt[t].mode = ts->join;
        jt[t].suffix = ts->suffix;
        jt[t].columns = ts->columns;
        jt[t].na_values = ts->na_values;
        jt[t].decimal_mark = st->tables[t].info.decimal_mark;
        if (ts->join == QTR_JOIN_NAME && !cfg->bnd_name) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "[table %s] joins by name, but [boundaries] has no 'name = ' "
                               "column",
                               ts->id);
            goto out;
        }
    }
    if (cfg->ntables)
        qtr_progress(ctx, 1.0, "reading tables");

    struct qtr_join_input in = {
        .n = st->layer->n,
        .key = st->layer->key,
        .name = st->layer->name,
        .attrs = st->layer->attrs,
        .attr_numeric = st->layer->attr_numeric,
        .attr_num = st->layer->attr_num,
        .key_column = cfg->bnd_key,
        .name_column = cfg->bnd_name,
        .ntables = cfg->ntables,
        .tables = jt,
    };
    if ((rc = qtr_join_run(&in, &st->frame, &st->report, err)))
        goto out;

    gcols = calloc(cfg->ngroups ? cfg->ngroups : 1, sizeof *gcols);
    st->usable = calloc(st->layer->n, 1);
    if (!gcols || !st->usable) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t g = 0; g < cfg->ngroups; g++)
        gcols[g] = cfg->groups[g].column;
    struct qtr_population_spec ps = {
        .total = cfg->total,
        .ngroups = cfg->ngroups,
        .groups = gcols,
        .min_population = cfg->min_population,
        .exclude_small = cfg->small_exclude,
    };
    if ((rc = qtr_population_check(st->frame, &ps, st->usable, &st->report, err)))
        goto out;
    for (size_t i = 0; i < st->layer->n; i++)
        st->nusable += st->usable[i];
    if (st->nusable == 0) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "no district can enter the indices (see the join report: no match "
                           "between the keys, or every total missing or below the minimum "
                           "population of %g)",
                           cfg->min_population);
        goto out;
    }
    if (cfg->strict && qtr_report_warnings(&st->report) > 0) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "%zu warnings in the join and data-quality report, and strict mode "
                           "is on; fix the inputs or set strict = no",
                           qtr_report_warnings(&st->report));
        goto out;
    }
    rc = QTR_OK;
out:
    free(jt);
    free(gcols);
    return rc;
}

/* Gather the usable districts' counts of one group into dense arrays. */
static size_t gather(const struct qtr_state *st, const struct qtr_column *tot,
                     const struct qtr_column *grp, double *t, double *x)
{
    size_t k = 0;
    for (size_t i = 0; i < st->frame->n; i++)
        if (st->usable[i]) {
            t[k] = tot->v[i];
            x[k] = grp ? grp->v[i] : 0;
            k++;
        }
    return k;
}

/* Add "<id>_share" (percent) and "<id>_lq" columns for a group. */
static int local_columns(struct qtr_state *st, const char *id, const struct qtr_column *tot,
                         const struct qtr_column *grp, struct qtr_error *err)
{
    size_t n = st->frame->n;
    char *sname = qtr_asprintf("%s_share", id), *lname = qtr_asprintf("%s_lq", id);
    double *t = malloc(n * sizeof *t), *x = malloc(n * sizeof *x);
    double *share = malloc(n * sizeof *share), *lq = malloc(n * sizeof *lq);
    uint8_t *def = malloc(n);
    int rc = QTR_OK;
    if (!sname || !lname || !t || !x || !share || !lq || !def) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t k = gather(st, tot, grp, t, x);
    struct qtr_units u = {.n = k, .total = t, .group = x};
    if ((rc = qtr_local_share_lq(&u, 1, share, lq, def, err)))
        goto out;
    struct qtr_column *cs = qtr_frame_add_column(st->frame, sname, "quartier", 0);
    struct qtr_column *cl = cs ? qtr_frame_add_column(st->frame, lname, "quartier", 0) : NULL;
    if (!cs || !cl) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0, j = 0; i < n; i++) {
        if (!st->usable[i])
            continue;
        if (def[j]) {
            cs->v[i] = share[j];
            cl->v[i] = lq[j];
            cs->kind[i] = cl->kind[i] = QTR_CELL_VALUE;
        }
        j++;
    }
    qtr_column_recount(cs, n);
    qtr_column_recount(cl, n);
out:
    free(sname);
    free(lname);
    free(t);
    free(x);
    free(share);
    free(lq);
    free(def);
    return rc;
}

int qtr_pipeline_compute(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         struct qtr_error *err)
{
    int rc = QTR_OK;
    size_t n = st->frame->n;
    double *t = malloc(n * sizeof *t), *x = malloc(n * sizeof *x);
    double *area = malloc(n * sizeof *area), *cx = malloc(n * sizeof *cx),
           *cy = malloc(n * sizeof *cy);
    double **mg = calloc(cfg->ngroups ? cfg->ngroups : 1, sizeof *mg);
    double *mt = malloc(n * sizeof *mt);
    if (!t || !x || !area || !cx || !cy || !mg || !mt) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    struct qtr_column *tot;
    if ((rc = qtr_frame_require(st->frame, cfg->total, "total column", &tot, err)))
        goto out;
    int have_geom = 1;
    for (size_t i = 0, k = 0; i < n; i++)
        if (st->usable[i]) {
            area[k] = st->layer->area[i];
            cx[k] = st->layer->cx[i];
            cy[k] = st->layer->cy[i];
            if (!st->layer->geom[i])
                have_geom = 0;
            k++;
        }
    struct qtr_index_options io = {
        .permutations = cfg->permutations,
        .seed = ctx->seed ? ctx->seed : cfg->seed,
        .threads = ctx->threads,
    };
    for (size_t g = 0; g < cfg->ngroups; g++) {
        struct qtr_column *grp;
        if (cfg->groups[g].multigroup_only)
            continue;
        if ((rc = qtr_frame_require(st->frame, cfg->groups[g].column, "group column", &grp, err)))
            goto out;
        size_t k = gather(st, tot, grp, t, x);
        struct qtr_units u = {
            .n = k,
            .total = t,
            .group = x,
            .area = have_geom ? area : NULL,
            .cx = have_geom ? cx : NULL,
            .cy = have_geom ? cy : NULL,
        };
        const char *label = cfg->groups[g].id;
        size_t first = st->nindices;
        if ((rc = qtr_indices_single(&u, label, &io, &st->indices, &st->nindices, err)))
            goto out;
        if ((rc = qtr_indices_single_infer(&u, &io, st->indices + first, st->nindices - first,
                                           err)))
            goto out;
        if ((rc = local_columns(st, cfg->groups[g].id, tot, grp, err)))
            goto out;
        if (!qtr_progress(ctx, (double)(g + 1) / (double)(cfg->ngroups + 1), "indices")) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "cancelled");
            goto out;
        }
    }

    /* Multigroup indices over the mutually exclusive groups; as in PySAL, their sum per
     * district is the total. A difference to the total column is worth a warning. */
    size_t nm = 0;
    for (size_t g = 0; g < cfg->ngroups; g++) {
        if (!cfg->groups[g].multigroup)
            continue;
        struct qtr_column *grp = qtr_frame_find(st->frame, cfg->groups[g].column);
        mg[nm] = malloc(n * sizeof **mg);
        if (!mg[nm]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        gather(st, tot, grp, t, mg[nm]);
        nm++;
    }
    if (nm >= 2) {
        size_t k = 0, differ = 0;
        for (size_t i = 0; i < n; i++)
            if (st->usable[i]) {
                mt[k] = 0;
                for (size_t g = 0; g < nm; g++)
                    mt[k] += mg[g][k];
                if (fabs(mt[k] - tot->v[i]) > 0.5)
                    differ++;
                k++;
            }
        if (differ)
            qtr_warn(ctx,
                     "the multigroup groups do not add up to the total '%s' in %zu districts; "
                     "multigroup indices use their sum as the total (as PySAL does)",
                     cfg->total, differ);
        const double *const *gp = (const double *const *)mg;
        struct qtr_units u = {.n = k, .total = mt, .ngroups = nm, .groups = gp};
        if ((rc = qtr_indices_multi(&u, &io, &st->indices, &st->nindices, err)))
            goto out;
    }
    qtr_progress(ctx, 1.0, "indices");
out:
    if (mg)
        for (size_t g = 0; g < cfg->ngroups; g++)
            free(mg[g]);
    free(mg);
    free(mt);
    free(t);
    free(x);
    free(area);
    free(cx);
    free(cy);
    return rc;
}

int qtr_pipeline_write(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                       const char *outdir, const char *command_line, struct qtr_error *err)
{
    struct qtr_output_request req = {
        .outdir = outdir,
        .cfg = cfg,
        .layer = st->layer,
        .frame = st->frame,
        .usable = st->usable,
        .report = &st->report,
        .indices = st->indices,
        .nindices = st->nindices,
        .goals = st->goals,
        .ngoals = st->ngoals,
        .changes = st->changes,
        .nchanges = st->nchanges,
        .command_line = command_line,
        .keep_temporary = st->keep_temporary,
    };
    char date[32];
    int fixed = 0;
    int rc = qtr_pipeline_disclose(cfg, st, err);
    if (!rc)
        rc = qtr_run_date(date, &fixed, err);
    if (rc)
        return rc;
    /* GDAL stamps gpkg_contents.last_change with OGR_CURRENT_DATE when set. */
    if (fixed)
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", date);
    rc = qtr_output_write(ctx, &req, &st->gpkg_path, &st->geojson_path, err);
    if (fixed)
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
    return rc;
}
