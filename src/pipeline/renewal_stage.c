/*
 * The social-monitoring stages: indicators (SQLite expressions over the joined columns),
 * status/dynamics identification (src/renewal kernels) and goals per action field.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quartier/goals.h"
#include "quartier/indicators.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"

/* The frame's numeric columns as SQLite sees them (names unique ignoring case). */
struct sql_view {
    size_t ncols;
    const char **names;
    const double **values;
    uint8_t **missing;
};

static void view_release(struct sql_view *v)
{
    if (v->missing)
        for (size_t j = 0; j < v->ncols; j++)
            free(v->missing[j]);
    free(v->names);
    free(v->values);
    free(v->missing);
    memset(v, 0, sizeof *v);
}

static int view_build(const struct qtr_frame *f, struct sql_view *v, struct qtr_error *err)
{
    memset(v, 0, sizeof *v);
    size_t cap = f->ncols ? f->ncols : 1;
    v->names = calloc(cap, sizeof *v->names);
    v->values = calloc(cap, sizeof *v->values);
    v->missing = calloc(cap, sizeof *v->missing);
    if (!v->names || !v->values || !v->missing)
        goto nomem;
    for (size_t j = 0; j < f->ncols; j++) {
        const struct qtr_column *c = f->cols[j];
        if (c->is_text)
            continue;
        int dup = 0;
        for (size_t k = 0; k < v->ncols && !dup; k++)
            dup = strcasecmp(v->names[k], c->name) == 0;
        if (dup)
            continue; /* the first of two names that differ only in case is the one SQL sees */
        uint8_t *m = malloc(f->n ? f->n : 1);
        if (!m)
            goto nomem;
        for (size_t i = 0; i < f->n; i++)
            m[i] = !(c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO);
        v->names[v->ncols] = c->name;
        v->values[v->ncols] = c->v;
        v->missing[v->ncols] = m;
        v->ncols++;
    }
    return QTR_OK;
nomem:
    view_release(v);
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
}

/* The analysis file's name without its folder, for messages ("" when unknown). */
static const char *file_name(const struct qtr_config *cfg)
{
    if (!cfg->path)
        return "";
    const char *slash = strrchr(cfg->path, '/');
    return slash ? slash + 1 : cfg->path;
}

/* Evaluate one expression into a new frame column `name`; messages start with
 * "<file> [indicator <id>] <what>". */
static int eval_into(struct qtr_state *st, const struct sql_view *v, const char *file,
                     const char *id, const char *what, const char *expr, const char *name,
                     enum qtr_role role, const char *unit, struct qtr_column **out,
                     struct qtr_error *err)
{
    struct qtr_frame *f = st->frame;
    char who[200];
    snprintf(who, sizeof who, "%s%s[indicator %s]", file, *file ? " " : "", id);
    struct qtr_column *c = qtr_frame_add_computed(f, name, role, id, unit, 0, who, err);
    if (!c)
        return err->code;
    double *val = malloc((f->n ? f->n : 1) * sizeof *val);
    uint8_t *miss = malloc(f->n ? f->n : 1);
    if (!val || !miss) {
        free(val);
        free(miss);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    char *label = qtr_asprintf("%s%s[indicator %s] %s", file, *file ? " " : "", id, what);
    if (!label) {
        free(val);
        free(miss);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    const char *labels[] = {label};
    int rc = qtr_indicators_eval(f->n, v->ncols, v->names, v->values,
                                 (const uint8_t *const *)v->missing, 1, &expr, labels, &val, &miss,
                                 err);
    free(label);
    if (rc) {
        free(val);
        free(miss);
        return rc;
    }
    size_t counts[4] = {0};
    for (size_t i = 0; i < f->n; i++) {
        counts[miss[i] < 4 ? miss[i] : 0]++;
        if (miss[i] == QTR_IND_OK) {
            c->v[i] = val[i];
            c->kind[i] = QTR_CELL_VALUE;
        }
    }
    qtr_column_recount(c, f->n);
    free(val);
    free(miss);
    /* the report names the part of the indicator in words (its column name is internal) */
    static const char *const part[][3] = {{"expr", "The value", "Der Wert"},
                                          {"numerator", "The numerator", "Der Zähler"},
                                          {"denominator", "The denominator", "Der Nenner"},
                                          {"previous", "The previous value", "Der Vorwert"},
                                          {"change", "The change", "Die Veränderung"}};
    const char *part_en = what, *part_de = what;
    for (size_t k = 0; k < sizeof part / sizeof part[0]; k++)
        if (!strcmp(what, part[k][0])) {
            part_en = part[k][1];
            part_de = part[k][2];
        }
    size_t nmiss = counts[QTR_IND_NO_INPUT] + counts[QTR_IND_UNDEFINED] + counts[QTR_IND_NONFINITE];
    if (nmiss > 0) {
        if (qtr_report_add(&st->report, QTR_ISSUE_MISSING_COUNT, QTR_INFO, "", "", id,
                           "%s has no value in %zu district%s: %zu with a missing or suppressed "
                           "input, %zu undefined (e.g. division by zero), %zu infinite",
                           part_en, nmiss, nmiss == 1 ? "" : "s", counts[QTR_IND_NO_INPUT],
                           counts[QTR_IND_UNDEFINED], counts[QTR_IND_NONFINITE]))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        qtr_report_add_de(&st->report,
                          "%s hat in %zu Gebiet%s keinen Wert: %zu mit fehlender oder "
                          "unterdrückter Eingangszahl, %zu nicht definiert (etwa Division durch "
                          "null), %zu unendlich",
                          part_de, nmiss, nmiss == 1 ? "" : "en", counts[QTR_IND_NO_INPUT],
                          counts[QTR_IND_UNDEFINED], counts[QTR_IND_NONFINITE]);
    }
    *out = c;
    return QTR_OK;
}

int qtr_pipeline_indicators(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                            struct qtr_error *err)
{
    (void)ctx;
    size_t ni = cfg->nindicators;
    if (ni == 0)
        return QTR_OK;
    st->ind_cur = calloc(ni, sizeof *st->ind_cur);
    st->ind_prev = calloc(ni, sizeof *st->ind_prev);
    st->ind_change = calloc(ni, sizeof *st->ind_change);
    if (!st->ind_cur || !st->ind_prev || !st->ind_change)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    const char *file = file_name(cfg);
    struct sql_view v;
    int rc = view_build(st->frame, &v, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < ni && !rc; k++) {
        const struct qtr_indicator_spec *s = &cfg->indicators[k];
        char name[160];
        rc = eval_into(st, &v, file, s->id, "expr", s->expr, s->id, QTR_ROLE_INDICATOR, s->unit,
                       &st->ind_cur[k], err);
        struct qtr_column *num = NULL, *den = NULL;
        if (!rc && s->numerator) {
            snprintf(name, sizeof name, "%s_numerator", s->id);
            rc = eval_into(st, &v, file, s->id, "numerator", s->numerator, name,
                           QTR_ROLE_IND_NUMERATOR, NULL, &num, err);
        }
        if (!rc && s->denominator) {
            snprintf(name, sizeof name, "%s_denominator", s->id);
            rc = eval_into(st, &v, file, s->id, "denominator", s->denominator, name,
                           QTR_ROLE_IND_DENOMINATOR, NULL, &den, err);
        }
        if (!rc && den && s->min_denominator > 0) {
            /* Small-number rule: a rate on too small a base is not shown (not reliable). */
            size_t cut = 0;
            struct qtr_column *c = st->ind_cur[k];
            for (size_t i = 0; i < st->frame->n; i++)
                if (c->kind[i] == QTR_CELL_VALUE &&
                    !(den->kind[i] == QTR_CELL_VALUE && den->v[i] >= s->min_denominator)) {
                    c->kind[i] = QTR_CELL_UNRELIABLE;
                    c->v[i] = NAN;
                    cut++;
                }
            qtr_column_recount(c, st->frame->n);
            if (cut && qtr_report_add(&st->report, QTR_ISSUE_SMALL_POPULATION, QTR_INFO, "", "",
                                      s->id,
                                      "indicator not shown in %zu district%s: denominator "
                                      "below %g (small-number rule)",
                                      cut, cut == 1 ? "" : "s", s->min_denominator))
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            if (cut)
                qtr_report_add_de(
                    &st->report,
                    "Indikator in %zu Gebiet%s nicht ausgewiesen: Nenner unter %g (Kleinzahlregel)",
                    cut, cut == 1 ? "" : "en", s->min_denominator);
        }
        if (!rc && s->previous) {
            snprintf(name, sizeof name, "%s_previous", s->id);
            rc = eval_into(st, &v, file, s->id, "previous", s->previous, name,
                           QTR_ROLE_IND_PREVIOUS, s->unit, &st->ind_prev[k], err);
        }
        if (!rc && s->change) {
            snprintf(name, sizeof name, "%s_change", s->id);
            rc = eval_into(st, &v, file, s->id, "change", s->change, name, QTR_ROLE_IND_CHANGE,
                           s->unit, &st->ind_change[k], err);
        } else if (!rc && st->ind_prev[k]) {
            /* change = current - previous, in the indicator's unit (percentage points). */
            snprintf(name, sizeof name, "%s_change", s->id);
            char who[200];
            snprintf(who, sizeof who, "%s%s[indicator %s]", file, *file ? " " : "", s->id);
            struct qtr_column *c = qtr_frame_add_computed(st->frame, name, QTR_ROLE_IND_CHANGE,
                                                          s->id, s->unit, 0, who, err);
            if (!c) {
                rc = err->code;
                break;
            }
            for (size_t i = 0; i < st->frame->n; i++)
                if (st->ind_cur[k]->kind[i] == QTR_CELL_VALUE &&
                    st->ind_prev[k]->kind[i] == QTR_CELL_VALUE) {
                    c->v[i] = st->ind_cur[k]->v[i] - st->ind_prev[k]->v[i];
                    c->kind[i] = QTR_CELL_VALUE;
                }
            qtr_column_recount(c, st->frame->n);
            st->ind_change[k] = c;
        }
    }
    view_release(&v);
    return rc;
}

/* "ungültig ..." / "invalid ..." in the invalid column marks a district invalid. */
static int marks_invalid(const char *text)
{
    size_t n;
    const char *t = qtr_trim_span(text, &n);
    return (n >= 9 && strncasecmp(t, "ungültig", 9) == 0) ||
           (n >= 7 && strncasecmp(t, "invalid", 7) == 0);
}

static int is_listed(const char *list, const char *key)
{
    if (!list)
        return 0;
    size_t kl = strlen(key);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if ((size_t)(e - p) == kl && strncmp(p, key, kl) == 0)
            return 1;
        p = e;
    }
    return 0;
}

static const char *validity_name(int v, enum qtr_lang lang)
{
    static const char *de[] = {"gültig", "zu wenige Einwohner", "Ausreißer", "Indikator fehlt"};
    static const char *en[] = {"valid", "too few residents", "outlier", "indicator missing"};
    if (v < 0 || v > 3)
        return "";
    return lang == QTR_LANG_EN ? en[v] : de[v];
}

static struct qtr_column *add_col(struct qtr_frame *f, const char *name, enum qtr_role role,
                                  int is_text, struct qtr_error *err)
{
    return qtr_frame_add_computed(f, name, role, NULL, NULL, is_text, "the renewal monitoring",
                                  err);
}



int qtr_pipeline_renewal(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         struct qtr_error *err)
{
    (void)ctx;
    struct qtr_frame *f = st->frame;
    size_t n = f->n, nuse = 0;
    for (size_t k = 0; k < cfg->nindicators; k++)
        nuse += cfg->indicators[k].status_weight != 0 || cfg->indicators[k].dynamics_weight != 0;
    if (nuse == 0)
        return QTR_OK;
    int rc = QTR_OK;
    enum qtr_lang lang = cfg->language && !strcmp(cfg->language, "en") ? QTR_LANG_EN
                                                                        : QTR_LANG_DE;
    struct qtr_renewal_indicator *ind = calloc(nuse, sizeof *ind);
    double **prev = calloc(nuse, sizeof *prev);
    uint8_t *outlier = calloc(n ? n : 1, 1);
    double *pop = malloc((n ? n : 1) * sizeof *pop);
    double **vals = calloc(nuse, sizeof *vals);
    double **dens = calloc(nuse, sizeof *dens);
    if (!ind || !prev || !outlier || !pop || !vals || !dens) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t m = 0;
    for (size_t k = 0; k < cfg->nindicators; k++) {
        const struct qtr_indicator_spec *s = &cfg->indicators[k];
        if (s->status_weight == 0 && s->dynamics_weight == 0)
            continue;
        vals[m] = malloc(n * sizeof **vals);
        if (!vals[m]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            vals[m][i] = st->ind_cur[k]->kind[i] == QTR_CELL_VALUE ? st->ind_cur[k]->v[i] : NAN;
        ind[m].label = lang == QTR_LANG_EN && s->label_en ? s->label_en
                       : s->label                          ? s->label
                                                           : s->id;
        ind[m].value = vals[m];
        ind[m].status_weight = s->status_weight;
        ind[m].dynamics_weight = s->dynamics_weight;
        ind[m].higher_better = !s->higher_worse;
        ind[m].unit = s->unit;
        /* the denominator behind a rate: the reasons then compare with the city's own rate */
        char dname[160];
        snprintf(dname, sizeof dname, "%s_denominator", s->id);
        const struct qtr_column *dc = s->denominator ? qtr_frame_find(f, dname) : NULL;
        if (dc && !dc->is_text) {
            if (!(dens[m] = malloc(n * sizeof **dens))) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            for (size_t i = 0; i < n; i++)
                dens[m][i] = dc->kind[i] == QTR_CELL_VALUE ? dc->v[i] : NAN;
            ind[m].denominator = dens[m];
        }
        if (s->dynamics_weight != 0) {
            if (!st->ind_change[k]) {
                rc = qtr_error_set(err, QTR_ERR_USAGE,
                                   "[indicator %s] has a dynamics_weight but neither 'previous =' "
                                   "nor 'change =': its change cannot be computed",
                                   s->id);
                goto out;
            }
            /* The kernel takes the previous value and forms value - previous itself; with a
             * published change (MSS D1, ...) the previous value is value - change. */
            prev[m] = malloc(n * sizeof **prev);
            if (!prev[m]) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            for (size_t i = 0; i < n; i++)
                prev[m][i] = st->ind_change[k]->kind[i] == QTR_CELL_VALUE
                                 ? vals[m][i] - st->ind_change[k]->v[i]
                                 : NAN;
            ind[m].previous = prev[m];
        }
        m++;
    }

    /* Population for the minimum rule; invalid marks and declared outliers. */
    const char *popcol = cfg->renewal_population ? cfg->renewal_population : cfg->total;
    struct qtr_column *pc;
    if ((rc = qtr_frame_require(f, popcol, "[renewal] population column", &pc, err)))
        goto out;
    for (size_t i = 0; i < n; i++)
        pop[i] = (pc->kind[i] == QTR_CELL_VALUE || pc->kind[i] == QTR_CELL_ZERO) ? pc->v[i] : NAN;
    struct qtr_column *inv = NULL;
    if (cfg->invalid_column) {
        inv = qtr_frame_find(f, cfg->invalid_column);
        if (!inv || !inv->is_text) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "[renewal] invalid_column '%s' is not a text column of the joined "
                               "data",
                               cfg->invalid_column);
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++)
        outlier[i] = (uint8_t)((inv && inv->text[i] && marks_invalid(inv->text[i])) ||
                               is_listed(cfg->exclude, f->key[i]) || !f->has_stats[i]);

    struct qtr_renewal_config rc_cfg;
    qtr_renewal_config_init(&rc_cfg);
    rc_cfg.method = cfg->renewal_method && !strcmp(cfg->renewal_method, "rank") ? QTR_RENEWAL_RANK
                                                                                : QTR_RENEWAL_MSS;
    rc_cfg.standardise = !cfg->standardise || !strcmp(cfg->standardise, "z") ? QTR_STD_Z
                         : !strcmp(cfg->standardise, "z_weighted")           ? QTR_STD_Z_WEIGHTED
                                                                              : QTR_STD_PERCENTILE;
    memcpy(rc_cfg.status_thresholds, cfg->status_thresholds, sizeof rc_cfg.status_thresholds);
    memcpy(rc_cfg.dynamics_thresholds, cfg->dynamics_thresholds,
           sizeof rc_cfg.dynamics_thresholds);
    rc_cfg.min_population = cfg->min_population;
    rc_cfg.lang = lang;
    if ((rc = qtr_renewal_run(n, m, ind, pop, outlier, st->lq_high,
                              st->lq_high ? st->share_change : NULL, &rc_cfg, &st->renewal,
                              err))) {
        qtr_error_prefix(err, "renewal identification");
        goto out;
    }
    st->renewal_done = 1;
    struct qtr_renewal_result *r = &st->renewal;

    /* A configured attention rule (SQL over the classes) replaces the default MSS rule. */
    if (cfg->attention && rc_cfg.method == QTR_RENEWAL_MSS) {
        uint8_t *att = malloc(n);
        if (!att) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        const char *file = file_name(cfg);
        char *label = qtr_asprintf("%s%s[renewal] attention", file, *file ? " " : "");
        rc = label ? qtr_indicators_attention(n, r->status_class, r->dynamics_class,
                                              r->status_index, r->dynamics_index, cfg->attention,
                                              label, att, err)
                   : qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        free(label);
        if (!rc)
            for (size_t i = 0; i < n; i++) {
                unsigned keep = r->attention[i] & ~(QTR_ATTN_STATUS | QTR_ATTN_DYNAMICS);
                r->attention[i] = keep | (att[i] ? QTR_ATTN_STATUS : 0);
            }
        free(att);
        if (rc)
            goto out;
    }

    struct qtr_column *c_valid = add_col(f, "renewal_validity", QTR_ROLE_VALIDITY, 1, err);
    struct qtr_column *c_si = c_valid ? add_col(f, "status_index", QTR_ROLE_STATUS_INDEX, 0, err) : NULL;
    struct qtr_column *c_sc = c_si ? add_col(f, "status_class", QTR_ROLE_STATUS_CLASS, 1, err) : NULL;
    struct qtr_column *c_sn = c_sc ? add_col(f, "status_code", QTR_ROLE_STATUS_CODE, 0, err) : NULL;
    /* Without a second date there are no dynamics: no dynamics columns (empty in every
     * district) and no combined group, so neither the GeoPackage nor QGIS shows them. */
    int anydyn = 0;
    for (size_t i = 0; i < n; i++)
        anydyn |= r->dynamics_class[i] != 0;
    struct qtr_column *c_di = NULL, *c_dc = NULL, *c_dn = NULL, *c_g = NULL, *c_sd = NULL;
    int dyn_ok = 1;
    if (c_sn && anydyn) {
        c_di = add_col(f, "dynamics_index", QTR_ROLE_DYNAMICS_INDEX, 0, err);
        c_dc = c_di ? add_col(f, "dynamics_class", QTR_ROLE_DYNAMICS_CLASS, 1, err) : NULL;
        c_dn = c_dc ? add_col(f, "dynamics_code", QTR_ROLE_DYNAMICS_CODE, 0, err) : NULL;
        c_g = c_dn ? add_col(f, "status_dynamics_group", QTR_ROLE_STATUS_DYNAMICS_GROUP, 1, err)
                   : NULL;
        /* the combined MSS class */
        c_sd = c_g ? add_col(f, "status_dynamics", QTR_ROLE_STATUS_DYNAMICS, 1, err) : NULL;
        dyn_ok = c_sd != NULL;
    }
    struct qtr_column *c_a = c_sn && dyn_ok ? add_col(f, "attention", QTR_ROLE_ATTENTION, 0, err) : NULL;
    struct qtr_column *c_r = c_a ? add_col(f, "reason", QTR_ROLE_REASON, 1, err) : NULL;
    if (!c_r) {
        rc = err->code ? err->code : QTR_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (qtr_column_set_text(c_valid, i, validity_name(r->validity[i], lang)) ||
            qtr_column_set_text(c_r, i, r->reason ? r->reason[i] : NULL)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        qtr_column_set_number(c_a, i, r->attention[i] ? 1.0 : 0.0);
        if (c_sd) {
            const char *sd =
                qtr_status_dynamics_name(r->status_class[i], r->dynamics_class[i], lang);
            if (r->validity[i] != QTR_RENEWAL_VALID || !*sd)
                sd = qtr_not_rated_name(lang);
            if (qtr_column_set_text(c_sd, i, sd)) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
        }
        if (r->validity[i] != QTR_RENEWAL_VALID)
            continue;
        qtr_column_set_number(c_si, i, r->status_index[i]);
        if (c_di)
            qtr_column_set_number(c_di, i, r->dynamics_index[i]);
        if (r->status_class[i]) {
            qtr_column_set_number(c_sn, i, r->status_class[i]);
            if (qtr_column_set_text(c_sc, i, qtr_status_class_name(r->status_class[i], lang)))
                rc = QTR_ERR_NOMEM;
        }
        if (r->dynamics_class[i] && c_dn) {
            qtr_column_set_number(c_dn, i, r->dynamics_class[i]);
            if (qtr_column_set_text(c_dc, i, qtr_dynamics_class_name(r->dynamics_class[i], lang)))
                rc = QTR_ERR_NOMEM;
        }
        if (c_g && r->group_label[i][0] && qtr_column_set_text(c_g, i, r->group_label[i]))
            rc = QTR_ERR_NOMEM;
        if (rc) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    struct qtr_column *all[] = {c_valid, c_si, c_sc, c_sn, c_di, c_dc, c_dn, c_g, c_sd, c_a, c_r};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (all[k])
            qtr_column_recount(all[k], n);
out:
    if (vals)
        for (size_t k = 0; k < nuse; k++)
            free(vals[k]);
    if (prev)
        for (size_t k = 0; k < nuse; k++)
            free(prev[k]);
    if (dens)
        for (size_t k = 0; k < nuse; k++)
            free(dens[k]);
    free(dens);
    free(vals);
    free(prev);
    free(ind);
    free(outlier);
    free(pop);
    return rc;
}

/* "2022-12-31" -> 2022.99...; 0 when not a date. */
static double decimal_year(const char *date)
{
    int y, mo, d;
    if (!date || sscanf(date, "%d-%d-%d", &y, &mo, &d) != 3 || mo < 1 || mo > 12 || d < 1 ||
        d > 31)
        return 0;
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int doy = before[mo - 1] + d + (leap && mo > 2);
    return y + (doy - 0.5) / (leap ? 366.0 : 365.0);
}

/* Population-weighted mean of an indicator over the usable districts. */
static double weighted_mean(const struct qtr_state *st, const struct qtr_column *c,
                            const struct qtr_column *w)
{
    double sw = 0, sx = 0;
    for (size_t i = 0; i < st->frame->n; i++) {
        if (!st->usable[i] || c->kind[i] != QTR_CELL_VALUE || !w ||
            !(w->kind[i] == QTR_CELL_VALUE || w->kind[i] == QTR_CELL_ZERO))
            continue;
        sw += w->v[i];
        sx += w->v[i] * c->v[i];
    }
    return sw > 0 ? sx / sw : NAN;
}

/* A [target]'s district that is not a key of the boundaries: FILE:LINE, the key and the
 * closest keys. */
static int unknown_district(const struct qtr_config *cfg, const struct qtr_frame *f,
                            const struct qtr_target_spec *ts, struct qtr_error *err)
{
    char where[1024], section[160], near[512] = "";
    size_t idx[3], found = 0;
    snprintf(section, sizeof section, "target %s", ts->id);
    qtr_config_where(cfg, section, "district", where, sizeof where);
    if (qtr_closest_names(ts->district, (const char *const *)f->key, f->n, 3, idx, &found))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    size_t used = 0;
    for (size_t k = 0; k < found && used < sizeof near; k++)
        used += (size_t)snprintf(near + used, sizeof near - used, "%s'%s'",
                                 k ? (k + 1 == found ? " or " : ", ") : "; did you mean ",
                                 f->key[idx[k]]);
    if (found && used + 2 < sizeof near)
        strcat(near, "?");
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "%s: [target %s] names district '%s', which the boundaries do not "
                         "have%s",
                         where, ts->id, ts->district, near);
}

int qtr_pipeline_goals(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                       struct qtr_error *err)
{
    (void)ctx;
    if (cfg->ntargets == 0)
        return QTR_OK;
    struct qtr_frame *f = st->frame;
    double now = decimal_year(cfg->date);
    double before = decimal_year(cfg->previous_date);
    if (now == 0)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "targets need the reference date: set 'date = YYYY-MM-DD' in "
                             "[population]");
    st->goals = calloc(cfg->ntargets, sizeof *st->goals);
    if (!st->goals)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    struct qtr_column *tot = qtr_frame_find(f, cfg->total);
    struct qtr_column *ptot = cfg->previous_total ? qtr_frame_find(f, cfg->previous_total) : NULL;
    int rc = QTR_OK;
    for (size_t t = 0; t < cfg->ntargets && !rc; t++) {
        const struct qtr_target_spec *ts = &cfg->targets[t];
        size_t k = 0;
        while (k < cfg->nindicators && strcmp(cfg->indicators[k].id, ts->indicator))
            k++;
        const struct qtr_indicator_spec *is = &cfg->indicators[k];
        struct qtr_goal g = {
            .baseline_year = ts->baseline_year ? ts->baseline_year : before,
            .target_value = ts->value,
            .target_year = ts->year,
            .higher_better = !is->higher_worse,
        };
        /* The baseline is one of the two reference dates: the previous one by default, the
         * current one when the target is set from now on (baseline_year = year of date). */
        int from_now = ts->baseline_year && ts->baseline_year == (int)now;
        if (ts->baseline_year && !from_now && ts->baseline_year != (int)before) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "[target %s] baseline_year = %d is neither the year of 'date' nor "
                               "of 'previous_date' in [population]; quartier has values only for "
                               "those",
                               ts->id, ts->baseline_year);
            break;
        }
        if (from_now)
            g.baseline_year = now;
        if (g.baseline_year == 0 || (!from_now && !st->ind_prev[k])) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "[target %s] needs a baseline: indicator '%s' needs 'previous =' "
                               "and [population] 'previous_date ='",
                               ts->id, is->id);
            break;
        }
        struct qtr_goal_row *row = &st->goals[st->ngoals++];
        snprintf(row->target, sizeof row->target, "%s", ts->id);
        snprintf(row->indicator, sizeof row->indicator, "%s", is->id);
        snprintf(row->field, sizeof row->field, "%s", is->field ? is->field : "");
        snprintf(row->district, sizeof row->district, "%s", ts->district ? ts->district : "");
        row->baseline_year = g.baseline_year;
        row->current_year = now;
        row->target_year = ts->year;
        row->target_value = ts->value;
        if (ts->district) {
            size_t i = 0;
            while (i < f->n && strcmp(f->key[i], ts->district))
                i++;
            if (i == f->n) {
                rc = unknown_district(cfg, f, ts, err);
                break;
            }
            const struct qtr_column *bc = from_now ? st->ind_cur[k] : st->ind_prev[k];
            row->baseline = bc->kind[i] == QTR_CELL_VALUE ? bc->v[i] : NAN;
            row->current = st->ind_cur[k]->kind[i] == QTR_CELL_VALUE ? st->ind_cur[k]->v[i] : NAN;
        } else {
            /* Citywide: the population-weighted mean over the districts in the indices. */
            row->baseline = from_now ? weighted_mean(st, st->ind_cur[k], tot)
                                     : weighted_mean(st, st->ind_prev[k], ptot ? ptot : tot);
            row->current = weighted_mean(st, st->ind_cur[k], tot);
        }
        if (!isfinite(row->baseline) || !isfinite(row->current)) {
            row->state = QTR_GOAL_UNKNOWN;
            row->path = NAN;
        } else if ((rc = qtr_goal_assess(&g, row->baseline, row->current, now, &row->state,
                                         &row->path, err))) {
            qtr_error_prefix(err, "[target %s]", ts->id);
            break;
        }
        /* Per district: the same target applied to each district's own values. */
        if (!ts->district) {
            char name[160];
            snprintf(name, sizeof name, "goal_%s", ts->id);
            char who[160];
            snprintf(who, sizeof who, "[target %s]", ts->id);
            struct qtr_column *c =
                qtr_frame_add_computed(f, name, QTR_ROLE_GOAL, ts->id, NULL, 1, who, err);
            if (!c) {
                rc = err->code;
                break;
            }
            double *base = malloc(f->n * sizeof *base), *cur = malloc(f->n * sizeof *cur);
            uint8_t *state = malloc(f->n);
            if (!c || !base || !cur || !state) {
                free(base);
                free(cur);
                free(state);
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                break;
            }
            const struct qtr_column *bc = from_now ? st->ind_cur[k] : st->ind_prev[k];
            for (size_t i = 0; i < f->n; i++) {
                base[i] = bc->kind[i] == QTR_CELL_VALUE ? bc->v[i] : NAN;
                cur[i] = st->ind_cur[k]->kind[i] == QTR_CELL_VALUE ? st->ind_cur[k]->v[i] : NAN;
            }
            size_t unknown = 0;
            rc = qtr_goal_assess_n(&g, f->n, base, cur, now, state, NULL, &unknown, err);
            int en = cfg->language && !strcmp(cfg->language, "en");
            for (size_t i = 0; !rc && i < f->n; i++)
                if (state[i] != QTR_GOAL_UNKNOWN &&
                    qtr_column_set_text(c, i, qtr_goal_state_name(state[i], en)))
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            qtr_column_recount(c, f->n);
            free(base);
            free(cur);
            free(state);
        }
    }
    return rc;
}
