/*
 * The spatial stages: contiguity weights over the districts (src/geo), spatial segregation
 * indices, Moran's I, the multiscalar profile, LISA / Gi* / location-quotient significance
 * with FDR (src/indices kernels), LISA clusters and renewal candidate areas as dissolved
 * polygons.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>


#include "quartier/decay_field.h"
#include "quartier/dissolve.h"
#include "quartier/geom.h"
#include "quartier/lisa.h"
#include "quartier/pipeline.h"
#include "quartier/spatial.h"
#include "quartier/strutil.h"
#include "quartier/weights.h"
#include "lisa_settings.h"

/* Kernel bandwidths of the multiscalar profile, metres. */
static const double profile_bandwidths[] = {250, 500, 1000, 2000, 4000};

/* The sub-matrix of w over the kept districts (rows and columns renumbered), with the
 * matching entries of `len` (may be NULL). */
static int csr_subset(const struct qtr_csr *w, const double *len, const uint8_t *keep,
                      struct qtr_csr **out, struct qtr_csr **out_len, struct qtr_error *err)
{
    size_t n = w->n, m = 0, nnz = 0;
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        idx[i] = keep[i] ? (uint32_t)m++ : UINT32_MAX;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
                nnz += keep[w->col[e]];
    struct qtr_csr *a = qtr_csr_new(m, nnz);
    struct qtr_csr *b = len ? qtr_csr_new(m, nnz) : NULL;
    if (!a || (len && !b)) {
        free(idx);
        qtr_csr_free(a);
        qtr_csr_free(b);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    size_t k = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        a->row[r] = k;
        if (b)
            b->row[r] = k;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            if (!keep[w->col[e]])
                continue;
            a->col[k] = idx[w->col[e]];
            a->w[k] = w->w[e];
            if (b) {
                b->col[k] = idx[w->col[e]];
                b->w[k] = len[e];
            }
            k++;
        }
        r++;
    }
    a->row[m] = k;
    if (b)
        b->row[m] = k;
    free(idx);
    *out = a;
    if (out_len)
        *out_len = b;
    return QTR_OK;
}


/* Call an index and append its value or its reason. */
#define SPATIAL_INDEX(name, call)                                                                  \
    do {                                                                                           \
        struct qtr_error e_ = {0};                                                                 \
        double v_ = NAN;                                                                           \
        if (!qtr_config_index_wanted(cfg, name)) /* --only / --skip */                             \
            break;                                                                                 \
        int s_ = (call);                                                                           \
        if (s_ == QTR_ERR_NOMEM)                                                                   \
            return qtr_error_set(err, s_, "out of memory");                                        \
        if ((rc = qtr_state_add_index(st, name, gid, v_, s_ ? QTR_ERR_DOMAIN : QTR_OK, e_.msg, NAN, NAN,     \
                             err)))                                                                \
            return rc;                                                                             \
    } while (0)

/* Memory the heavy steps may use: three quarters of the machine's memory, or of the address-
 * space limit (ulimit -v) when that is lower. */
static double memory_budget(void)
{
    double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGE_SIZE);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (double)rl.rlim_cur < phys)
        phys = (double)rl.rlim_cur;
    return phys > 0 ? 0.75 * phys : INFINITY;
}

static const char *cluster_name(int code, int en)
{
    static const char *de[] = {"nicht signifikant", "hoch-hoch", "niedrig-hoch",
                               "niedrig-niedrig", "hoch-niedrig"};
    static const char *enl[] = {"not significant", "high-high", "low-high", "low-low",
                                "high-low"};
    if (code < 0 || code > 4)
        return "";
    return en ? enl[code] : de[code];
}

static struct qtr_column *new_col(struct qtr_frame *f, const char *fmt, const char *id,
                                  enum qtr_role role, int is_text, struct qtr_error *err)
{
    char name[160];
    snprintf(name, sizeof name, fmt, id);
    return qtr_frame_add_computed(f, name, role, *id ? id : NULL, NULL, is_text,
                                  "the spatial analysis", err);
}



/* Build an area layer from dissolved districts; takes ownership of d's geometries. */
static int area_layer(struct qtr_ctx *ctx, struct qtr_state *st, const char *name,
                      struct qtr_dissolved *d, struct qtr_area_layer **out,
                      struct qtr_error *err)
{
    struct qtr_area_layer *a = realloc(st->areas, (st->nareas + 1) * sizeof *a);
    if (!a)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->areas = a;
    a = &a[st->nareas];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    a->n = d->n;
    a->geom = d->geoms;
    d->geoms = NULL;
    d->n = d->n; /* members stay with d for the caller */
    a->id = calloc(a->n ? a->n : 1, sizeof *a->id);
    if (!a->id)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < a->n; k++) {
        a->id[k] = qtr_asprintf("%zu", k + 1);
        if (!a->id[k])
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    a->attrs = qtr_frame_new(a->n, a->id, a->id);
    if (!a->attrs)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->nareas++;
    (void)ctx;
    *out = a;
    return QTR_OK;
}

/* Member keys of area k, comma-separated (long lists end in ", ..."). */
static char *member_keys(const struct qtr_frame *f, const struct qtr_dissolved *d, size_t k)
{
    struct qtr_buf b = {0};
    for (size_t m = d->member_off[k]; m < d->member_off[k + 1]; m++) {
        if (b.len > 900) {
            qtr_buf_puts(&b, ", ...");
            break;
        }
        qtr_buf_printf(&b, "%s%s", m > d->member_off[k] ? ", " : "", f->key[d->member[m]]);
    }
    return b.data ? b.data : qtr_strdup("");
}

/* The attributes every area layer has: districts, their keys, residents, group share. */
static int area_common(const struct qtr_config *cfg, struct qtr_state *st,
                       const struct qtr_dissolved *d, struct qtr_area_layer *a,
                       const struct qtr_column *grp, struct qtr_error *err)
{
    struct qtr_frame *f = st->frame;
    struct qtr_column *tot = qtr_frame_find(f, cfg->total);
    struct qtr_frame *at = a->attrs;
    const char *gid = grp ? grp->of : NULL;
    struct qtr_column *c_n =
        new_col(at, "districts%s", "", QTR_ROLE_AREA_DISTRICTS, 0, err);
    struct qtr_column *c_k =
        c_n ? new_col(at, "district_keys%s", "", QTR_ROLE_AREA_KEYS, 1, err) : NULL;
    struct qtr_column *c_r =
        c_k ? new_col(at, "residents%s", "", QTR_ROLE_AREA_RESIDENTS, 0, err) : NULL;
    struct qtr_column *c_s = c_r && grp ? qtr_frame_add_computed(at, "group_share",
                                                                 QTR_ROLE_AREA_SHARE, gid, "%", 0,
                                                                 "the spatial analysis", err)
                                        : NULL;
    struct qtr_column *c_a =
        c_r && (c_s || !grp) ? new_col(at, "area_ha%s", "", QTR_ROLE_AREA, 0, err) : NULL;
    if (!c_a)
        return err->code;
    for (size_t k = 0; k < d->n; k++) {
        double res = 0, g = 0, area = 0;
        for (size_t m = d->member_off[k]; m < d->member_off[k + 1]; m++) {
            size_t i = d->member[m];
            if (tot && (tot->kind[i] == QTR_CELL_VALUE || tot->kind[i] == QTR_CELL_ZERO)) {
                res += tot->v[i];
                if (grp && (grp->kind[i] == QTR_CELL_VALUE || grp->kind[i] == QTR_CELL_ZERO))
                    g += grp->v[i];
            }
        }
        area = qtr_geom_area(st->layer->geos, a->geom[k]);
        qtr_column_set_number(c_n, k, (double)(d->member_off[k + 1] - d->member_off[k]));
        char *keys = member_keys(f, d, k);
        if (!keys || qtr_column_set_text(c_k, k, keys)) {
            free(keys);
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        }
        free(keys);
        qtr_column_set_number(c_r, k, res);
        if (c_s && res > 0)
            qtr_column_set_number(c_s, k, 100.0 * g / res);
        qtr_column_set_number(c_a, k, area / 10000.0);
    }
    return QTR_OK;
}

int qtr_pipeline_spatial(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         struct qtr_error *err)
{
    struct qtr_frame *f = st->frame;
    struct qtr_layer *l = st->layer;
    size_t n = f->n;
    int en = cfg->language && !strcmp(cfg->language, "en");
    int rc;
    for (size_t i = 0; i < n; i++)
        if (!l->geom[i])
            return QTR_OK; /* reported as no_geometry; spatial analysis needs every polygon */
    qtr_progress(ctx, 0.0, "neighbours");
    /* Queen contiguity by shared vertices, as libpysal builds it (PySAL's numbers need it),
     * plus boundaries that touch without a shared vertex (T-junctions). No snapping
     * tolerance: a tolerance costs a GEOS distance per candidate pair and changed nothing on
     * the Berlin and Musterstadt boundaries (docs/weights.md). */
    if ((rc = qtr_weights_contiguity(ctx->geos, (const struct GEOSGeom_t *const *)l->geom, n, 1,
                                     0.0, &st->queen, &st->shared_length, err)))
        return rc;
    qtr_progress(ctx, 1.0, "neighbours");

    struct qtr_column *c_nb = new_col(f, "%sneighbours", "", QTR_ROLE_NEIGHBOURS, 0, err);
    if (!c_nb)
        return err->code;
    for (size_t i = 0; i < n; i++)
        qtr_column_set_number(c_nb, i, (double)(st->queen->row[i + 1] - st->queen->row[i]));
    qtr_column_recount(c_nb, n);
    uint32_t *buf = malloc((n ? n : 1) * sizeof *buf);
    if (!buf)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    size_t nisl = qtr_weights_islands(st->queen, buf);
    for (size_t k = 0; k < nisl; k++) {
        if (qtr_report_add(&st->report, QTR_ISSUE_ISLAND, QTR_INFO, f->key[buf[k]],
                           f->name[buf[k]], "boundaries",
                           "no neighbour shares a boundary point; left out of LISA and "
                           "contiguity-based indices as a district of its own")) {
            free(buf);
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        }
        qtr_report_add_de(&st->report,
                          "kein Nachbargebiet teilt einen Grenzpunkt; nicht in LISA und den "
                          "nachbarschaftsbasierten Indizes, als eigenes Gebiet");
    }
    size_t ncomp = 0;
    rc = qtr_weights_components(st->queen, buf, &ncomp, err);
    if (!rc && ncomp > 1 + nisl)
        rc = qtr_report_add(&st->report, QTR_ISSUE_DISCONNECTED, QTR_INFO, "", "", "boundaries",
                            "the districts form %zu separate parts (%zu of them single "
                            "districts); neighbourhood effects do not cross between parts",
                            ncomp, nisl)
                 ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory")
                 : QTR_OK;
    if (!rc && ncomp > 1 + nisl)
        qtr_report_add_de(&st->report,
                          "die Gebiete bilden %zu getrennte Teile (%zu davon einzelne Gebiete); "
                          "Nachbarschaftseffekte reichen nicht von einem Teil in den anderen",
                          ncomp, nisl);
    free(buf);
    if (rc)
        return rc;

    /* Districts in the indices, and the weights among them. */
    struct qtr_csr *w = NULL, *len = NULL, *wr = NULL;
    size_t m = st->nusable;
    double *t = malloc((m ? m : 1) * sizeof *t), *x = malloc((m ? m : 1) * sizeof *x);
    double *area = malloc((m ? m : 1) * sizeof *area), *cx = malloc((m ? m : 1) * sizeof *cx);
    double *cy = malloc((m ? m : 1) * sizeof *cy), *per = malloc((m ? m : 1) * sizeof *per);
    double *share = malloc((m ? m : 1) * sizeof *share);
    double *lqv = malloc((m ? m : 1) * sizeof *lqv), *lqp = malloc((m ? m : 1) * sizeof *lqp);
    double *lqa = malloc((m ? m : 1) * sizeof *lqa);
    uint8_t *lqs = malloc(m ? m : 1), *lqx = malloc(m ? m : 1);
    struct qtr_local_out lo = {0}, go = {0};
    int *label = malloc((n ? n : 1) * sizeof *label);
    struct qtr_dissolved *dis = NULL;
    struct qtr_decay_field *field = NULL;
    size_t *idx = malloc((m ? m : 1) * sizeof *idx);
#define LOCAL_ALLOC(o)                                                                             \
    (o.stat = malloc((m ? m : 1) * sizeof(double)), o.lag = malloc((m ? m : 1) * sizeof(double)),  \
     o.p_sim = malloc((m ? m : 1) * sizeof(double)), o.p_adj = malloc((m ? m : 1) * sizeof(double)), \
     o.quadrant = malloc(m ? m : 1), o.cluster = malloc(m ? m : 1),                                \
     o.spot = malloc(m ? m : 1), o.excluded = malloc(m ? m : 1))
    LOCAL_ALLOC(lo);
    LOCAL_ALLOC(go);
    if (!t || !x || !area || !cx || !cy || !per || !share || !lqv || !lqp || !lqa || !lqs ||
        !lqx || !label || !idx || !lo.stat || !lo.lag || !lo.p_sim || !lo.p_adj ||
        !lo.quadrant || !lo.cluster || !lo.spot || !lo.excluded || !go.stat || !go.lag ||
        !go.p_sim || !go.p_adj || !go.quadrant || !go.cluster || !go.spot || !go.excluded) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = csr_subset(st->queen, st->shared_length, st->usable, &w, &len, err)) ||
        (rc = csr_subset(st->queen, NULL, st->usable, &wr, NULL, err)) ||
        (rc = qtr_weights_row_standardize(wr, err)))
        goto out;
    for (size_t i = 0, k = 0; i < n; i++)
        if (st->usable[i]) {
            idx[k] = i;
            area[k] = l->area[i];
            cx[k] = l->cx[i];
            cy[k] = l->cy[i];
            per[k] = qtr_geom_perimeter(ctx->geos, l->geom[i]);
            k++;
        }
    struct qtr_column *tot = qtr_frame_find(f, cfg->total);
    struct qtr_lisa_options lopt = {
        .permutations = qtr_lisa_permutations(cfg), /* 0: analytical global test, no local */
        .seed = ctx->seed ? ctx->seed : cfg->seed,
        .threads = ctx->threads,
        .alpha = QTR_LISA_ALPHA,
        .correction = QTR_MT_FDR_BH,
    };
    struct qtr_decay_options dopt;
    qtr_decay_options_default(&dopt);
    if (cfg->pysal_compatible)
        dopt.variant = QTR_DECAY_PYSAL;
    /* The distance-decay sums C t and C 1, built once and shared by every group
     * (decay_field.h); the PySAL variant computes each index on its own. */
    struct qtr_error field_err = {0};
    int field_rc = QTR_OK;
    /* Memory estimate before the heavy steps (issue 12): what does not fit is left out with a
     * reason that says what would, instead of failing minutes later. */
    double budget = memory_budget(), bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY,
           by1 = -INFINITY;
    for (size_t k = 0; k < m; k++) {
        bx0 = fmin(bx0, cx[k]);
        bx1 = fmax(bx1, cx[k]);
        by0 = fmin(by0, cy[k]);
        by1 = fmax(by1, cy[k]);
    }
    double bbox = m ? (bx1 - bx0) * (by1 - by0) : 0;
    int want_decay = 0;
    for (int k = 0; k < QTR_DECAY_NINDEX; k++)
        want_decay |= qtr_config_index_wanted(cfg, qtr_decay_index_names[k]);
    if (want_decay && dopt.variant == QTR_DECAY_PUBLISHED && dopt.cutoff_m > 0 && m > 0) {
        for (size_t k = 0; k < m; k++)
            t[k] = tot->v[idx[k]];
        struct qtr_units fu = {.n = m, .total = t, .area = area, .cx = cx, .cy = cy};
        double need = qtr_decay_field_bytes(m, bx1 - bx0, by1 - by0,
                                            m > 1 ? sqrt(bbox / (double)m) : 0, dopt.cutoff_m);
        if (need > budget)
            field_rc = qtr_error_set(&field_err, QTR_ERR_NOMEM, "too large");
        else
            field_rc = qtr_decay_field_new(&fu, &dopt, QTR_DECAY_AUTO, &field, &field_err);
        if (field_rc == QTR_ERR_NOMEM)
            snprintf(field_err.msg, sizeof field_err.msg,
                     "not computed: the distance-decay sums of %zu districts need about "
                     "%.1f GB, more than the %.1f GB this run can use",
                     m, need / 1e9, budget / 1e9);
    }
    const char *overlay = cfg->segregation_group ? cfg->segregation_group
                          : cfg->ngroups         ? cfg->groups[0].id
                                                 : NULL;

    for (size_t g = 0; g < cfg->ngroups; g++) {
        const struct qtr_group_spec *gs = &cfg->groups[g];
        if (gs->multigroup_only)
            continue;
        const char *gid = gs->id;
        struct qtr_column *grp = qtr_frame_find(f, gs->column);
        for (size_t k = 0; k < m; k++) {
            size_t i = idx[k];
            t[k] = tot->v[i];
            x[k] = grp->kind[i] == QTR_CELL_SUPPRESSED
                       ? qtr_pipeline_suppressed_value(cfg, grp, i, 0)
                       : grp->v[i];
            share[k] = t[k] > 0 ? 100.0 * x[k] / t[k] : 0;
        }
        struct qtr_units u = {.n = m, .total = t, .group = x, .area = area, .cx = cx, .cy = cy};

        /* Spatial segregation indices (published definitions; docs/spatial.md). */
        SPATIAL_INDEX("spatial_dissimilarity", qtr_spatial_dissimilarity(&u, w, &v_, &e_));
        SPATIAL_INDEX("boundary_spatial_dissimilarity",
                      qtr_boundary_spatial_dissimilarity(&u, len, &v_, &e_));
        SPATIAL_INDEX("perimeter_area_ratio_spatial_dissimilarity",
                      qtr_perimeter_area_ratio_spatial_dissimilarity(&u, len, per, &v_, &e_));
        if (!want_decay) {
            /* left out with --only/--skip */
        } else if (field || field_rc) {
            struct qtr_decay_family fam;
            if (field && (rc = qtr_decay_family_compute(field, &u, &fam, err)))
                goto out;
            for (int k = 0; k < QTR_DECAY_NINDEX; k++)
                if ((rc = qtr_state_add_index(st, qtr_decay_index_names[k], gid,
                                              field ? fam.value[k] : NAN,
                                              field ? fam.status[k] : QTR_ERR_DOMAIN,
                                              field ? fam.reason[k] : field_err.msg, NAN, NAN,
                                              err)))
                    goto out;
        } else {
            SPATIAL_INDEX("spatial_proximity", qtr_spatial_proximity(&u, &dopt, &v_, &e_));
            SPATIAL_INDEX("absolute_clustering", qtr_absolute_clustering(&u, &dopt, &v_, &e_));
            SPATIAL_INDEX("relative_clustering", qtr_relative_clustering(&u, &dopt, &v_, &e_));
            SPATIAL_INDEX("distance_decay_isolation",
                          qtr_distance_decay_isolation(&u, &dopt, &v_, &e_));
            SPATIAL_INDEX("distance_decay_exposure",
                          qtr_distance_decay_exposure(&u, &dopt, &v_, &e_));
        }
        /* O(n · queen pairs) time: a breadth-first search from every district */
        if (m <= 20000)
            SPATIAL_INDEX("spatial_proximity_profile",
                          qtr_spatial_proximity_profile(&u, w, 1000, &v_, NULL, &e_));
        else if (qtr_config_index_wanted(cfg, "spatial_proximity_profile") &&
                 (rc = qtr_state_add_index(
                      st, "spatial_proximity_profile", gid, NAN, QTR_ERR_DOMAIN,
                      "not computed above 20,000 districts: its graph distances take time "
                      "growing with the square of the number of districts",
                      NAN, NAN, err)))
            goto out;

        /* Multiscalar profile of D and H over kernel bandwidths: one kernel lag of the group
         * and the total per bandwidth, no stored weights (decay_field.h). */
        enum { NB = sizeof profile_bandwidths / sizeof profile_bandwidths[0] };
        static const char *const prof_name[] = {"dissimilarity", "entropy"};
        static const qtr_aspatial_index prof_fn[] = {qtr_dissimilarity, qtr_entropy};
        double pv[2 * NB];
        int ps[2 * NB];
        struct qtr_error pe = {0};
        if (qtr_config_index_wanted(cfg, "multiscalar_profile") &&
            qtr_multiscalar_profile_kernel(&u, profile_bandwidths, NB, prof_fn, 2, pv, ps,
                                           &pe) == QTR_OK) {
            struct qtr_profile_row *pr =
                realloc(st->profile, (st->nprofile + 2 * NB) * sizeof *pr);
            if (!pr) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            st->profile = pr;
            for (size_t pi = 0; pi < 2; pi++)
                for (size_t b = 0; b < NB; b++) {
                    struct qtr_profile_row *r = &st->profile[st->nprofile++];
                    memset(r, 0, sizeof *r);
                    snprintf(r->index, sizeof r->index, "%s", prof_name[pi]);
                    snprintf(r->group, sizeof r->group, "%s", gid);
                    r->bandwidth_m = profile_bandwidths[b];
                    r->value = ps[pi * NB + b] == QTR_OK ? pv[pi * NB + b] : NAN;
                    r->status = ps[pi * NB + b];
                }
        }

        /* Global Moran's I of the group's share. */
        struct qtr_moran mo;
        struct qtr_error me = {0};
        if (!qtr_config_index_wanted(cfg, "morans_i"))
            rc = QTR_OK; /* left out with --only/--skip */
        else if (qtr_moran_global(wr, share, &lopt, &mo, &me) == QTR_OK)
            /* without permutations, the p-value under randomisation (Cliff & Ord 1981) */
            rc = qtr_state_add_index(st, "morans_i", gid, mo.I, QTR_OK, "",
                                     lopt.permutations ? mo.p_sim : mo.p_rand, mo.expected, err);
        else
            rc = qtr_state_add_index(st, "morans_i", gid, NAN, QTR_ERR_DOMAIN, me.msg, NAN, NAN, err);
        if (rc)
            goto out;

        /* Local: LISA, Gi*, location-quotient significance; FDR over the districts. */
        if (!qtr_config_index_wanted(cfg, "lisa"))
            continue; /* left out with --only/--skip (quartier indices prints no columns) */
        if (lopt.permutations == 0) {
            /* The local tests have only pseudo p-values from permutations (the analytical
             * ones assume normality that local statistics do not have, Anselin 1995): with
             * none, no clusters, hot spots or location-quotient columns, and a reason. */
            if ((rc = qtr_state_add_index(
                     st, "lisa", gid, NAN, QTR_ERR_DOMAIN,
                     "not computed: the local tests (LISA, Gi*, location quotients) need "
                     "permutations and the analysis asks for 0 (set permutations = 999)",
                     NAN, NAN, err)))
                goto out;
            continue;
        }
        struct qtr_column *c_li = new_col(f, "%s_lisa_i", gid, QTR_ROLE_LISA_I, 0, err);
        struct qtr_column *c_lp = c_li ? new_col(f, "%s_lisa_p", gid, QTR_ROLE_LISA_P, 0, err) : NULL;
        struct qtr_column *c_lc = c_lp ? new_col(f, "%s_lisa_cluster", gid, QTR_ROLE_LISA_CLUSTER, 1, err) : NULL;
        struct qtr_column *c_gz = c_lc ? new_col(f, "%s_gi_z", gid, QTR_ROLE_GI_Z, 0, err) : NULL;
        struct qtr_column *c_gs = c_gz ? new_col(f, "%s_hotspot", gid, QTR_ROLE_HOTSPOT, 1, err) : NULL;
        struct qtr_column *c_qp = c_gs ? new_col(f, "%s_lq_p", gid, QTR_ROLE_LQ_P, 0, err) : NULL;
        struct qtr_column *c_qh = c_qp ? new_col(f, "%s_lq_high", gid, QTR_ROLE_LQ_HIGH, 0, err) : NULL;
        if (!c_qh) {
            rc = err->code;
            goto out;
        }
        struct qtr_error le = {0};
        int lrc = qtr_moran_local(wr, share, &lopt, &lo, &le);
        int grc = qtr_getis_ord_local(w, share, &lopt, &go, &le);
        int qrc = qtr_lq_significance(&u, 0.05, QTR_MT_FDR_BH, lqv, lqp, lqa, lqs, lqx, &le);
        if (lrc == QTR_ERR_NOMEM || grc == QTR_ERR_NOMEM || qrc == QTR_ERR_NOMEM) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            label[i] = -1;
        for (size_t k = 0; k < m; k++) {
            size_t i = idx[k];
            int suppressed = grp->kind[i] == QTR_CELL_SUPPRESSED;
            if (lrc == QTR_OK && !suppressed) {
                if (lo.excluded[k] == QTR_LOCAL_ISLAND) {
                    rc = qtr_column_set_text(c_lc, i, en ? "no neighbours" : "ohne Nachbarn");
                } else {
                    qtr_column_set_number(c_li, i, lo.stat[k]);
                    qtr_column_set_number(c_lp, i, lo.p_adj[k]);
                    rc = qtr_column_set_text(c_lc, i, cluster_name(lo.cluster[k], en));
                    if (lo.cluster[k])
                        label[i] = lo.cluster[k];
                }
            }
            if (!rc && grc == QTR_OK && !suppressed && go.excluded[k] == QTR_LOCAL_INCLUDED) {
                qtr_column_set_number(c_gz, i, go.stat[k]);
                rc = qtr_column_set_text(c_gs, i,
                              go.spot[k] > 0   ? (en ? "hot spot" : "Hotspot")
                              : go.spot[k] < 0 ? (en ? "cold spot" : "Coldspot")
                                               : (en ? "not significant" : "nicht signifikant"));
            }
            if (!rc && qrc == QTR_OK && !suppressed && lqx[k] == QTR_LOCAL_INCLUDED) {
                qtr_column_set_number(c_qp, i, lqa[k]);
                qtr_column_set_number(c_qh, i, lqs[k] ? 1.0 : 0.0);
            }
            if (rc) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
        }
        struct qtr_column *cols[] = {c_li, c_lp, c_lc, c_gz, c_gs, c_qp, c_qh};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            qtr_column_recount(cols[k], n);

        /* Segregation overlay for the renewal stage. */
        if (overlay && !strcmp(overlay, gid) && qrc == QTR_OK) {
            st->lq_high = calloc(n, 1);
            st->share_change = malloc(n * sizeof *st->share_change);
            if (!st->lq_high || !st->share_change) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            struct qtr_column *pg = gs->previous ? qtr_frame_find(f, gs->previous) : NULL;
            struct qtr_column *pt = cfg->previous_total ? qtr_frame_find(f, cfg->previous_total)
                                                        : NULL;
            for (size_t i = 0; i < n; i++)
                st->share_change[i] = NAN;
            for (size_t k = 0; k < m; k++) {
                size_t i = idx[k];
                st->lq_high[i] = lqs[k];
                if (pg && pt && pg->kind[i] == QTR_CELL_VALUE && pt->kind[i] == QTR_CELL_VALUE &&
                    pt->v[i] > 0)
                    st->share_change[i] = share[k] - 100.0 * pg->v[i] / pt->v[i];
            }
        }

        /* LISA clusters of the same type, dissolved into areas. */
        if (lrc == QTR_OK) {
            if ((rc = qtr_dissolve_adjacent(ctx->geos, (const struct GEOSGeom_t *const *)l->geom,
                                            n, st->queen, label, &dis, err)))
                goto out;
            if (dis->n > 0) {
                char lname[32];
                snprintf(lname, sizeof lname, "clusters_%.20s", gid);
                struct qtr_area_layer *a;
                if ((rc = area_layer(ctx, st, lname, dis, &a, err)) ||
                    (rc = area_common(cfg, st, dis, a, grp, err)))
                    goto out;
                struct qtr_column *c_t =
                    new_col(a->attrs, "cluster%s", "", QTR_ROLE_AREA_CLUSTER, 1, err);
                if (!c_t) {
                    rc = err->code;
                    goto out;
                }
                for (size_t k = 0; k < dis->n; k++)
                    if (qtr_column_set_text(c_t, k, cluster_name(dis->label[k], en))) {
                        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                        goto out;
                    }
                for (size_t j = 0; j < a->attrs->ncols; j++)
                    qtr_column_recount(a->attrs->cols[j], a->n);
            }
            qtr_dissolved_free(ctx->geos, dis);
            dis = NULL;
        }
        qtr_progress(ctx, (double)(g + 1) / (double)cfg->ngroups, "spatial analysis");
    }
    rc = QTR_OK;
out:
    qtr_dissolved_free(ctx->geos, dis);
    qtr_decay_field_free(field);
    qtr_csr_free(w);
    qtr_csr_free(len);
    qtr_csr_free(wr);
    free(t);
    free(x);
    free(area);
    free(cx);
    free(cy);
    free(per);
    free(share);
    free(lqv);
    free(lqp);
    free(lqa);
    free(lqs);
    free(lqx);
    free(label);
    free(idx);
    struct qtr_local_out *outs[] = {&lo, &go};
    for (size_t k = 0; k < 2; k++) {
        free(outs[k]->stat);
        free(outs[k]->lag);
        free(outs[k]->p_sim);
        free(outs[k]->p_adj);
        free(outs[k]->quadrant);
        free(outs[k]->cluster);
        free(outs[k]->spot);
        free(outs[k]->excluded);
    }
    return rc;
}

int qtr_pipeline_candidates(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                            struct qtr_state *st, struct qtr_error *err)
{
    if (!st->renewal_done || !st->queen)
        return QTR_OK;
    struct qtr_frame *f = st->frame;
    size_t n = f->n;
    int en = cfg->language && !strcmp(cfg->language, "en");
    int *label = malloc((n ? n : 1) * sizeof *label);
    if (!label)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    size_t flagged = 0;
    for (size_t i = 0; i < n; i++) {
        label[i] = st->renewal.attention[i] ? 1 : -1;
        flagged += st->renewal.attention[i] != 0;
    }
    struct qtr_dissolved *d = NULL;
    int rc = QTR_OK;
    if (flagged == 0)
        goto out;
    if ((rc = qtr_dissolve_adjacent(ctx->geos, (const struct GEOSGeom_t *const *)st->layer->geom,
                                    n, st->queen, label, &d, err)))
        goto out;
    const char *overlay = cfg->segregation_group ? cfg->segregation_group
                          : cfg->ngroups         ? cfg->groups[0].id
                                                 : NULL;
    const struct qtr_column *grp = NULL;
    for (size_t g = 0; overlay && g < cfg->ngroups; g++)
        if (!strcmp(cfg->groups[g].id, overlay))
            grp = qtr_frame_find(f, cfg->groups[g].column);
    struct qtr_area_layer *a;
    if ((rc = area_layer(ctx, st, "candidate_areas", d, &a, err)) ||
        (rc = area_common(cfg, st, d, a, grp, err)))
        goto out;
    /* The combined evidence: how many districts of which status and dynamics. */
    struct qtr_column *c_e = new_col(a->attrs, "evidence%s", "", QTR_ROLE_AREA_EVIDENCE, 1, err);
    if (!c_e) {
        rc = err->code;
        goto out;
    }
    for (size_t k = 0; k < d->n; k++) {
        size_t cnt[5] = {0}, neg = 0, seg = 0;
        for (size_t mm = d->member_off[k]; mm < d->member_off[k + 1]; mm++) {
            size_t i = d->member[mm];
            if (st->renewal.status_class[i] < 5)
                cnt[st->renewal.status_class[i]]++;
            neg += st->renewal.dynamics_class[i] == QTR_DYN_NEGATIV;
            seg += (st->renewal.attention[i] & QTR_ATTN_SEGREGATION) != 0;
        }
        struct qtr_buf b = {0};
        for (int c = 4; c >= 1; c--)
            if (cnt[c])
                qtr_buf_printf(&b, "%s%zu × %s %s", b.len ? ", " : "", cnt[c],
                               en ? "status" : "Status",
                               qtr_status_class_name(c, en ? QTR_LANG_EN : QTR_LANG_DE));
        if (neg)
            qtr_buf_printf(&b, "%s%zu × %s", b.len ? "; " : "", neg,
                           en ? "dynamics negative" : "Dynamik negativ");
        if (seg)
            qtr_buf_printf(&b, "%s%zu × %s", b.len ? "; " : "", seg,
                           en ? "at risk of segregation" : "Segregationsrisiko");
        rc = qtr_column_set_text(c_e, k, b.data ? b.data : "");
        qtr_buf_release(&b);
        if (rc) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    for (size_t j = 0; j < a->attrs->ncols; j++)
        qtr_column_recount(a->attrs->cols[j], a->n);
out:
    qtr_dissolved_free(ctx->geos, d);
    free(label);
    return rc;
}
