#include "quartier/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include "quartier/geom.h"
#include "quartier/multigroup.h"
#include "quartier/output.h"
#include "quartier/strutil.h"
#include "complement.h"
#include "share_change.h"
#include "surface_stage.h"

void qtr_state_free(struct qtr_state *st)
{
    if (!st)
        return;
    /* the GEOS handle belongs to the run's context and outlives the layer */
    struct GEOSContextHandle_HS *geos = st->layer ? st->layer->geos : NULL;
    qtr_frame_free(st->frame);
    for (size_t i = 0; i < st->ntables; i++) {
        qtr_table_free(st->tables[i].table);
        free(st->tables[i].numeric);
        free(st->tables[i].num);
    }
    free(st->tables);
    qtr_layer_free(st->layer);
    qtr_report_release(&st->report);
    for (size_t k = 0; k < st->nparents; k++) {
        free(st->parent_code[k]);
        free(st->parent_name[k]);
    }
    free(st->parent_code);
    free(st->parent_name);
    free(st->usable);
    free(st->indices);
    free(st->ind_cur);
    free(st->ind_prev);
    free(st->ind_change);
    qtr_renewal_result_release(&st->renewal);
    free(st->goals);
    free(st->changes);
    free(st->crosswalk);
    for (size_t i = 0; i < st->nranges; i++) {
        free(st->ranges[i].key);
        free(st->ranges[i].column);
    }
    free(st->ranges);
    qtr_csr_free(st->queen);
    free(st->shared_length);
    free(st->lq_high);
    free(st->share_change);
    free(st->profile);
    for (size_t a = 0; a < st->nareas; a++) {
        struct qtr_area_layer *al = &st->areas[a];
        for (size_t k = 0; k < al->n; k++) {
            if (al->geom && geos)
                qtr_geom_free(geos, al->geom[k]);
            if (al->id)
                free(al->id[k]);
        }
        free(al->geom);
        free(al->id);
        qtr_frame_free(al->attrs);
    }
    free(st->areas);
    free(st->outdir);
    free(st->pg_output);
    free(st->gpkg_path);
    free(st->geojson_path);
    qtr_output_info_release(st->written);
    free(st->written);
    for (size_t i = 0; i < st->npublished; i++)
        free(st->published[i]);
    free(st->published);
    qtr_qgis_plan_free(st->qgis);
    free(st);
}

/*
 * The value taken for the suppressed count i of grp: the low end (which = 1), the high end
 * (2) or the middle (0) of its range (qtr_column_range: its own, for a count carried from
 * '*' counts, else the analysis' suppressed_range). The middle of suppressed_range is
 * rounded to a whole person so that the simulations (which need counts) still run; a
 * carried range keeps its exact middle, as carried counts are not whole anyway.
 */
double qtr_pipeline_suppressed_value(const struct qtr_config *cfg, const struct qtr_column *grp,
                                     size_t i, int which)
{
    double dlo = cfg ? cfg->suppressed_low : 1, dhi = cfg ? cfg->suppressed_high : 2, lo, hi;
    qtr_column_range(grp, i, dlo, dhi, &lo, &hi);
    if (which == 1)
        return lo;
    if (which == 2)
        return hi;
    int own = grp->range_lo && isfinite(grp->range_lo[i]);
    return own ? 0.5 * (lo + hi) : floor(0.5 * (lo + hi) + 0.5);
}

/*
 * Gather the usable districts' counts of one group into dense arrays. A count suppressed
 * with '*' is known only to lie in [suppressed_low, suppressed_high]: `which` picks the
 * middle (0), the low end (1) or the high end (2) of that range. Returns the number of
 * districts; *nsup (may be NULL) receives how many counts were suppressed.
 */
static size_t gather_range(const struct qtr_state *st, const struct qtr_config *cfg,
                           const struct qtr_column *tot, const struct qtr_column *grp, int which,
                           double *t, double *x, size_t *nsup)
{
    size_t k = 0, s = 0;
    for (size_t i = 0; i < st->frame->n; i++)
        if (st->usable[i]) {
            t[k] = tot->v[i];
            if (grp && grp->kind[i] == QTR_CELL_SUPPRESSED) {
                x[k] = qtr_pipeline_suppressed_value(cfg, grp, i, which);
                s++;
            } else {
                x[k] = grp ? grp->v[i] : 0;
            }
            k++;
        }
    if (nsup)
        *nsup = s;
    return k;
}

/*
 * The districts for the indices that place residents on the land (delta, concentration,
 * centralization; qtr_units.spatial): those in the other indices, plus those without
 * residents, which count with their area because their land is part of the city (PySAL
 * counts them too; --pysal-compatible changes nothing here), minus slivers without area
 * (reported by the load stage). Fills t, x (suppressed counts as gather_range), area and
 * centroids; returns the count. The caller makes sure every usable district has a geometry.
 */
static size_t gather_spatial(const struct qtr_state *st, const struct qtr_config *cfg,
                             const struct qtr_column *tot, const struct qtr_column *grp,
                             int which, double *t, double *x, double *area, double *cx,
                             double *cy)
{
    const struct qtr_layer *l = st->layer;
    size_t k = 0;
    for (size_t i = 0; i < st->frame->n; i++) {
        if (!l->geom[i] || (l->sliver && l->sliver[i]))
            continue;
        int counted = tot->kind[i] == QTR_CELL_VALUE || tot->kind[i] == QTR_CELL_ZERO;
        /* no residents: a true zero total, and no group member claimed (a group count above
         * 0 there is reported by the population check) */
        int empty = !st->usable[i] && counted && tot->v[i] == 0 &&
                    (!grp || grp->kind[i] == QTR_CELL_ZERO || grp->kind[i] == QTR_CELL_MISSING ||
                     (grp->kind[i] == QTR_CELL_VALUE && grp->v[i] == 0));
        if (!st->usable[i] && !empty)
            continue;
        t[k] = empty ? 0 : tot->v[i];
        x[k] = empty                                          ? 0
               : grp && grp->kind[i] == QTR_CELL_SUPPRESSED ? qtr_pipeline_suppressed_value(cfg, grp, i, which)
               : grp                                        ? grp->v[i]
                                                            : 0;
        area[k] = l->area[i];
        cx[k] = l->cx[i];
        cy[k] = l->cy[i];
        k++;
    }
    return k;
}

/*
 * The deterministic single-group indices with every suppressed count at the low and at the
 * high end of its range: whether a conclusion depends on hidden data. Values [first, end).
 * With base->spatial set, its arrays (owned by the caller) are refilled too.
 */
static int suppressed_range(const struct qtr_config *cfg, const struct qtr_state *st,
                            const struct qtr_column *tot, const struct qtr_column *grp,
                            const struct qtr_units *base, size_t first, double *x,
                            struct qtr_error *err)
{
    (void)err;
    size_t ndefs;
    const struct qtr_index_def *defs = qtr_single_index_defs(&ndefs);
    double *t = (double *)base->total;
    const struct qtr_units *sp = base->spatial;
    for (int which = 1; which <= 2; which++) {
        gather_range(st, cfg, tot, grp, which, t, x, NULL);
        if (sp)
            gather_spatial(st, cfg, tot, grp, which, (double *)sp->total, (double *)sp->group,
                           (double *)sp->area, (double *)sp->cx, (double *)sp->cy);
        for (size_t k = first; k < st->nindices; k++) {
            struct qtr_index_value *v = &st->indices[k];
            if (v->status != QTR_OK)
                continue;
            for (size_t j = 0; j < ndefs; j++) {
                if (strcmp(defs[j].name, v->name) || !defs[j].fn ||
                    (defs[j].flags & QTR_INDEX_SIMULATED))
                    continue;
                struct qtr_error e = {0};
                double val;
                if (defs[j].fn(qtr_index_units(&defs[j], base), &val, &e) == QTR_OK) {
                    if (which == 1)
                        v->suppressed_low = val;
                    else
                        v->suppressed_high = val;
                }
            }
        }
    }
    /* Order the two ends: an index may fall when suppressed counts rise. */
    for (size_t k = first; k < st->nindices; k++) {
        struct qtr_index_value *v = &st->indices[k];
        if (v->suppressed_low > v->suppressed_high) {
            double tmp = v->suppressed_low;
            v->suppressed_low = v->suppressed_high;
            v->suppressed_high = tmp;
        }
    }
    return QTR_OK;
}

/* Add "<id>_share" (percent) and "<id>_lq" columns for a group. */
static int local_columns(struct qtr_state *st, const struct qtr_config *cfg, const char *id,
                         const struct qtr_column *tot, const struct qtr_column *grp,
                         struct qtr_error *err)
{
    size_t n = st->frame->n;
    char *sname = qtr_asprintf("%s_share", id), *lname = qtr_asprintf("%s_lq", id);
    char *dname = qtr_asprintf("%s_share_diff", id);
    double *t = malloc(n * sizeof *t), *x = malloc(n * sizeof *x);
    double *share = malloc(n * sizeof *share), *lq = malloc(n * sizeof *lq);
    uint8_t *def = malloc(n);
    int rc = QTR_OK;
    if (!sname || !lname || !dname || !t || !x || !share || !lq || !def) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t k = gather_range(st, cfg, tot, grp, 0, t, x, NULL);
    struct qtr_units u = {.n = k, .total = t, .group = x};
    double sx = 0, stot = 0;
    for (size_t j = 0; j < k; j++) {
        sx += x[j];
        stot += t[j];
    }
    const double city = stot > 0 ? 100.0 * sx / stot : 0;
    if ((rc = qtr_local_share_lq(&u, 1, share, lq, def, err)))
        goto out;
    char what[160];
    snprintf(what, sizeof what, "[group %s]", id);
    struct qtr_column *cs =
        qtr_frame_add_computed(st->frame, sname, QTR_ROLE_SHARE, id, "%", 0, what, err);
    struct qtr_column *cl =
        cs ? qtr_frame_add_computed(st->frame, lname, QTR_ROLE_LQ, id, NULL, 0, what, err) : NULL;
    struct qtr_column *cd = cl ? qtr_frame_add_computed(st->frame, dname, QTR_ROLE_SHARE_DIFF, id,
                                                        NULL, 0, what, err)
                               : NULL;
    if (!cs || !cl || !cd) {
        rc = err->code;
        goto out;
    }
    for (size_t i = 0, j = 0; i < n; i++) {
        if (!st->usable[i])
            continue;
        if (grp->kind[i] == QTR_CELL_SUPPRESSED) {
            /* the share of a suppressed count would reveal it: suppressed too */
            cs->kind[i] = cl->kind[i] = QTR_CELL_SUPPRESSED;
        } else if (def[j]) {
            cs->v[i] = share[j];
            cl->v[i] = lq[j];
            /* the city's share is the district's share divided by its location quotient */
            cd->v[i] = lq[j] > 0 ? share[j] - share[j] / lq[j] : share[j] - city;
            cs->kind[i] = cl->kind[i] = cd->kind[i] = QTR_CELL_VALUE;
        }
        j++;
    }
    qtr_column_recount(cs, n);
    qtr_column_recount(cl, n);
    qtr_column_recount(cd, n);
out:
    free(sname);
    free(lname);
    free(dname);
    free(t);
    free(x);
    free(share);
    free(lq);
    free(def);
    return rc;
}

int qtr_state_add_index(struct qtr_state *st, const char *name, const char *group, double value,
                        int status, const char *reason, double p_value, double expected,
                        struct qtr_error *err)
{
    struct qtr_index_value *v = realloc(st->indices, (st->nindices + 1) * sizeof *v);
    if (!v)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->indices = v;
    v = &v[st->nindices++];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->group, sizeof v->group, "%s", group ? group : "");
    v->status = status;
    v->value = status == QTR_OK ? value : NAN;
    snprintf(v->reason, sizeof v->reason, "%.199s", reason ? reason : "");
    v->ci_low = v->ci_high = v->suppressed_low = v->suppressed_high = NAN;
    v->p_value = p_value;
    v->expected = expected;
    return QTR_OK;
}

/*
 * Within/between decomposition of M over the parent level ([boundaries] parent = a column or
 * prefix:N of the key, e.g. Planungsraum within Bezirk): M = M_between + sum_p w_p M_p.
 */
static int decompose_m(const struct qtr_config *cfg, const struct qtr_state *cst,
                       const struct qtr_units *u, struct qtr_error *err)
{
    struct qtr_state *st = (struct qtr_state *)cst;
    const struct qtr_frame *f = st->frame;
    int rc = QTR_OK;
    char **pname = calloc(f->n ? f->n : 1, sizeof *pname);
    uint32_t *parent = malloc((u->n ? u->n : 1) * sizeof *parent);
    if (!pname || !parent) {
        free(pname);
        free(parent);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    const struct qtr_column *pc = NULL;
    size_t prefix = 0;
    if (!strncmp(cfg->bnd_parent, "prefix:", 7)) {
        char *end;
        prefix = strtoul(cfg->bnd_parent + 7, &end, 10);
        if (*end || prefix == 0) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "[boundaries] parent = '%s': use a column name or prefix:N",
                               cfg->bnd_parent);
            goto out;
        }
    } else {
        pc = qtr_frame_find(f, cfg->bnd_parent);
        if (!pc) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "[boundaries] parent column '%s' not found in the joined data",
                               cfg->bnd_parent);
            goto out;
        }
    }
    size_t np = 0, k = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (!st->usable[i])
            continue;
        char buf[64];
        if (pc && pc->is_text)
            snprintf(buf, sizeof buf, "%s", pc->text[i] ? pc->text[i] : "");
        else if (pc)
            snprintf(buf, sizeof buf, "%.17g", pc->v[i]);
        else
            snprintf(buf, sizeof buf, "%.*s", (int)prefix, f->key[i]);
        size_t p = 0;
        while (p < np && strcmp(pname[p], buf))
            p++;
        if (p == np && !(pname[np++] = qtr_strdup(buf))) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        parent[k++] = (uint32_t)p;
    }
    double total, between, within;
    struct qtr_error e = {0};
    char reason[200];
    if (qtr_mutual_information_decompose(u, parent, np, &total, &between, &within, NULL, NULL,
                                         NULL, &e) == QTR_OK) {
        snprintf(reason, sizeof reason, "M = between + within over %zu parent areas (%s)", np,
                 cfg->bnd_parent);
        if (!(rc = qtr_state_add_index(st, "mutual_information_between", "", between, QTR_OK, "", NAN, NAN, err)))
            rc = qtr_state_add_index(st, "mutual_information_within", "", within, QTR_OK, "", NAN, NAN, err);
    } else {
        snprintf(reason, sizeof reason, "%.190s", e.msg);
        if (!(rc = qtr_state_add_index(st, "mutual_information_between", "", NAN, QTR_ERR_DOMAIN, reason, NAN, NAN, err)))
            rc = qtr_state_add_index(st, "mutual_information_within", "", NAN, QTR_ERR_DOMAIN, reason, NAN, NAN, err);
    }
out:
    for (size_t p = 0; p < f->n; p++)
        free(pname[p]);
    free(pname);
    free(parent);
    return rc;
}

/* PySAL's density-corrected D (its optimiser, which loses districts; indices.h) in place of
 * the exact one, for cross-checking with pysal_compatible = yes. */
static void pysal_density_corrected(const struct qtr_units *u, struct qtr_state *st, size_t first)
{
    for (size_t k = first; k < st->nindices; k++) {
        struct qtr_index_value *v = &st->indices[k];
        if (strcmp(v->name, "density_corrected_dissimilarity") != 0)
            continue;
        struct qtr_error e = {0};
        double val;
        /* xtol as in PySAL's DensityCorrectedDissim default (1e-5) */
        if (qtr_density_corrected_dissimilarity_pysal(u, 1e-5, &val, &e) == QTR_OK) {
            v->value = val;
            v->status = QTR_OK;
            snprintf(v->reason, sizeof v->reason, "PySAL 2.5.4 optimiser (pysal_compatible)");
        }
    }
}

/*
 * Per-district multigroup measures over the mutually exclusive groups: local diversity and
 * entropy (Theil; Reardon & O'Sullivan), Simpson's interaction, and Elbers' local
 * contribution to M (ls: sum over districts of (t_i/T) ls_i = M).
 */
static int local_multigroup(struct qtr_state *st, const struct qtr_units *u, struct qtr_error *err)
{
    size_t k = u->n, n = st->frame->n;
    double *div = malloc((k ? k : 1) * sizeof *div), *ent = malloc((k ? k : 1) * sizeof *ent);
    double *sim = malloc((k ? k : 1) * sizeof *sim), *ls = malloc((k ? k : 1) * sizeof *ls);
    uint8_t *def = malloc(k ? k : 1);
    int rc = QTR_OK;
    if (!div || !ent || !sim || !ls || !def) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    struct qtr_error e = {0};
    if (qtr_multigroup_local(u, div, ent, NULL, sim, ls, NULL, def, &e) != QTR_OK)
        goto out; /* not defined for these data: the citywide indices say why */
    const char *names[] = {"local_diversity", "local_entropy", "local_simpson_interaction",
                           "local_m_contribution"};
    const double *vals[] = {div, ent, sim, ls};
    for (size_t c = 0; c < 4; c++) {
        struct qtr_column *col = qtr_frame_add_computed(st->frame, names[c], QTR_ROLE_LOCAL_INDEX,
                                                        NULL, NULL, 0, "the multigroup analysis",
                                                        err);
        if (!col) {
            rc = err->code;
            goto out;
        }
        for (size_t i = 0, j = 0; i < n; i++) {
            if (!st->usable[i])
                continue;
            if (def[j] && isfinite(vals[c][j])) {
                col->v[i] = vals[c][j];
                col->kind[i] = QTR_CELL_VALUE;
            }
            j++;
        }
        qtr_column_recount(col, n);
    }
out:
    free(div);
    free(ent);
    free(sim);
    free(ls);
    free(def);
    return rc;
}

static int want_index(const char *name, const void *user)
{
    return qtr_config_index_wanted(user, name);
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
    double *sptot = malloc(n * sizeof *sptot), *spgrp = malloc(n * sizeof *spgrp),
           *sparea = malloc(n * sizeof *sparea), *spcx = malloc(n * sizeof *spcx),
           *spcy = malloc(n * sizeof *spcy);
    if (!t || !x || !area || !cx || !cy || !mg || !mt || !sptot || !spgrp || !sparea || !spcx ||
        !spcy) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    struct qtr_column *tot;
    char what[1200], section[160];
    if ((rc = qtr_frame_require(
             st->frame, cfg->total,
             qtr_config_what(cfg, "population", "total", "total column", what, sizeof what), &tot,
             err)))
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
        .null_model = cfg->null_model,
        .want = want_index,
        .want_user = cfg,
    };
    for (size_t g = 0; g < cfg->ngroups; g++) {
        struct qtr_column *grp;
        if (cfg->groups[g].multigroup_only)
            continue;
        snprintf(section, sizeof section, "group %s", cfg->groups[g].id);
        if ((rc = qtr_frame_require(
                 st->frame, cfg->groups[g].column,
                 qtr_config_what(cfg, section, "column", "group column", what, sizeof what), &grp,
                 err)))
            goto out;
        size_t nsup = 0;
        size_t k = gather_range(st, cfg, tot, grp, 0, t, x, &nsup);
        struct qtr_units u = {
            .n = k,
            .total = t,
            .group = x,
            .area = have_geom ? area : NULL,
            .cx = have_geom ? cx : NULL,
            .cy = have_geom ? cy : NULL,
            .central_radius = cfg->central_radius,
        };
        if (cfg->centre_mode == 1) {
            u.has_center = 1;
            u.center_x = cfg->centre_x;
            u.center_y = cfg->centre_y;
        } else if (cfg->centre_mode == 2 && have_geom) {
            /* population-weighted centre of the districts in the indices */
            double sw = 0, sx = 0, sy = 0;
            for (size_t j = 0; j < k; j++) {
                sw += t[j];
                sx += t[j] * cx[j];
                sy += t[j] * cy[j];
            }
            if (sw > 0) {
                u.has_center = 1;
                u.center_x = sx / sw;
                u.center_y = sy / sw;
            }
        }
        struct qtr_units us = {0};
        if (have_geom) {
            us.n = gather_spatial(st, cfg, tot, grp, 0, sptot, spgrp, sparea, spcx, spcy);
            us.total = sptot;
            us.group = spgrp;
            us.area = sparea;
            us.cx = spcx;
            us.cy = spcy;
            us.central_radius = u.central_radius;
            us.has_center = u.has_center;
            us.center_x = u.center_x;
            us.center_y = u.center_y;
            u.spatial = &us;
        }
        const char *label = cfg->groups[g].id;
        size_t first = st->nindices;
        if ((rc = qtr_indices_single(&u, label, &io, &st->indices, &st->nindices, err)))
            goto out;
        if ((rc = qtr_indices_single_infer(&u, &io, st->indices + first, st->nindices - first,
                                           err)))
            goto out;
        if (nsup && (rc = suppressed_range(cfg, st, tot, grp, &u, first, x, err)))
            goto out;
        if (cfg->pysal_compatible)
            pysal_density_corrected(&u, st, first);
        if ((rc = local_columns(st, cfg, cfg->groups[g].id, tot, grp, err)) ||
            (rc = qtr_share_change_column(st, cfg, &cfg->groups[g], err)))
            goto out;
        if (!qtr_progress(ctx, (double)(g + 1) / (double)(cfg->ngroups + 1), "indices")) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "cancelled");
            goto out;
        }
    }

    /* a group and its complement: one inference for the indices they share (complement.h) */
    qtr_complement_share_inference(st, cfg);

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
        gather_range(st, cfg, tot, grp, 0, t, mg[nm], NULL);
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
        if ((rc = qtr_indices_multi(&u, &io, &st->indices, &st->nindices, err)) ||
            (rc = qtr_pipeline_surface(cfg, st, &u, have_geom ? cx : NULL,
                                       have_geom ? cy : NULL, &io, err)))
            goto out;
        if (cfg->bnd_parent && (rc = decompose_m(cfg, st, &u, err)))
            goto out;
        if ((rc = local_multigroup(st, &u, err)))
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
    free(sptot);
    free(spgrp);
    free(sparea);
    free(spcx);
    free(spcy);
    return rc;
}

int qtr_pipeline_write(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                       const char *outdir, struct qtr_error *err)
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
        .crosswalk = st->crosswalk,
        .ncrosswalk = st->ncrosswalk,
        .profile = st->profile,
        .nprofile = st->nprofile,
        .areas = st->areas,
        .nareas = st->nareas,
    };
    int rc = qtr_pipeline_disclose(cfg, st, err);
    if (rc)
        return rc;
    /* GDAL stamps gpkg_contents.last_change with OGR_CURRENT_DATE when set. */
    if (ctx->run_date_fixed)
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", ctx->run_date);
    free(st->gpkg_path);
    free(st->geojson_path);
    st->gpkg_path = st->geojson_path = NULL;
    if (!st->written && !(st->written = calloc(1, sizeof *st->written)))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = qtr_output_write(ctx, &req, &st->gpkg_path, &st->geojson_path, st->written, err);
    if (ctx->run_date_fixed)
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
    return rc;
}
