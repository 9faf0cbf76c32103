/*
 * report_renewal_maps.c - the maps of the indicators, of status, dynamics and attention,
 * and the LISA cluster maps of the report.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"
#include "report_lisa_text.h"
#include "report_no_dynamics.h"

int qtr_report_indicator_map(struct rs *r, size_t k)
{
    const struct qtr_indicator_spec *s = &r->cfg->indicators[k];
    const struct qtr_column *c = r->st->ind_cur ? r->st->ind_cur[k] : NULL;
    if (!c)
        return QTR_OK;
    enum qtr_class_method meth;
    struct qtr_error e = {0};
    if (s->classification && qtr_class_method_parse(s->classification, &meth, &e))
        return qtr_error_set(r->err, QTR_ERR_USAGE, "[indicator %s] classification: %s", s->id,
                             e.msg);
    struct qtr_present p;
    qtr_column_present(r->cfg, c, c->name, r->en, &p);
    size_t n = r->shapes->n;
    double *v = malloc((n ? n : 1) * sizeof *v);
    const char *ex[1] = {s->expr};
    char *src = qtr_report_source_line(r, ex, s->expr ? 1 : 0);
    char sub[400], stem[96];
    int rc = QTR_OK;
    if (!v || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = c->kind[i] == QTR_CELL_VALUE && isfinite(c->v[i]) ? c->v[i] : NAN;
    snprintf(sub, sizeof sub, "%s %s; %s: %s; %s", T(r, "Handlungsfeld", "Action field"),
             field_label(r, s->field), T(r, "Klassen", "classes"), method_text(r, p.method),
             s->higher_worse ? T(r, "hoch = ungünstig", "high = unfavourable")
                             : T(r, "hoch = günstig", "high = favourable"));
    snprintf(stem, sizeof stem, "indicator_%s", s->id);
    rc = qtr_report_graduated_map(r, stem, v, &p, ind_label(r, s), sub,
                                  s->unit && *s->unit ? s->unit : ind_label(r, s), src, 1);
out:
    free(v);
    free(src);
    return rc;
}

/* Source line of the renewal maps: the status and dynamics indicators' tables. */
static char *renewal_source(struct rs *r)
{
    const char *ex[64];
    size_t m = 0;
    for (size_t k = 0; k < r->cfg->nindicators && m + 2 < 64; k++) {
        const struct qtr_indicator_spec *s = &r->cfg->indicators[k];
        if (s->status_weight == 0 && s->dynamics_weight == 0)
            continue;
        if (s->expr)
            ex[m++] = s->expr;
        if (s->change)
            ex[m++] = s->change;
        else if (s->previous)
            ex[m++] = s->previous;
    }
    return qtr_report_source_line(r, ex, m);
}

/*
 * The combined status x dynamics map of the MSS 2021 ("Gesamtindex Soziale Ungleichheit"):
 * 12 classes in a bivariate palette (status = lightness, dynamics = hue) with a 4 x 3 grid
 * legend; districts without classes "nicht bewertet". cls is scratch space of n ints.
 */
static int combined_map(struct rs *r, int *cls, const char *src)
{
    const struct qtr_renewal_result *rr = &r->st->renewal;
    enum qtr_lang lang = r->en ? QTR_LANG_EN : QTR_LANG_DE;
    struct qtr_present_categories pc;
    qtr_present_categories(QTR_ROLE_STATUS_DYNAMICS, r->en, &pc);
    const struct qtr_rgb *col = pc.colors;
    const char *const *lab = pc.labels;
    const char *rows[QTR_BIV_STATUS], *cols[QTR_BIV_DYNAMICS];
    for (int s = 1; s <= QTR_BIV_STATUS; s++)
        rows[s - 1] = qtr_status_class_name(s, lang);
    for (int d = 1; d <= QTR_BIV_DYNAMICS; d++)
        cols[d - 1] = qtr_dynamics_class_name(d, lang);
    for (size_t i = 0; i < r->shapes->n; i++) {
        int c = rr->validity[i] == QTR_RENEWAL_VALID
                    ? qtr_biv_code(rr->status_class[i], rr->dynamics_class[i])
                    : 0;
        cls[i] = c ? c - 1 : -1;
    }
    struct qtr_map m = {
        .cls = cls,
        .nclass = QTR_BIV_CLASSES,
        .colors = col,
        .class_labels = lab,
        .legend_title = T(r, "Status und Dynamik", "Status and dynamics"),
        .title = T(r, "Soziale Ungleichheit: Status und Dynamik",
                   "Social inequality: status and dynamics"),
        .subtitle = T(r,
                      "Status als Helligkeit (dunkel = sehr niedrig), Dynamik als Farbton, "
                      "wie im MSS Berlin",
                      "Status as lightness (dark = very low), dynamics as hue, as in "
                      "Berlin's MSS"),
        .source = src,
        .nodata_label = T(r,
                          "nicht bewertet (zu wenige Einwohner, Ausreißer oder Indikator "
                          "fehlt)",
                          "not rated (too few residents, outlier or indicator missing)"),
        .nodata_solid = 1,
        .grid_rows = QTR_BIV_STATUS,
        .grid_cols = QTR_BIV_DYNAMICS,
        .row_labels = rows,
        .col_labels = cols,
        .row_title = T(r, "Status", "Status"),
        .col_title = T(r, "Dynamik", "Dynamics"),
    };
    return qtr_report_emit_map(r, "status_dynamics", &m, 1);
}

int qtr_report_renewal_maps(struct rs *r)
{
    const struct qtr_renewal_result *rr = &r->st->renewal;
    size_t n = r->shapes->n;
    int *cls = malloc((n ? n : 1) * sizeof *cls);
    char *src = renewal_source(r);
    int rc = QTR_OK;
    if (!cls || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    const char *inval = T(r, "nicht bewertet (ungültig)", "not assessed (invalid)");
    /* status and dynamics in the categories of the presentation table (as in QGIS) */
    struct qtr_present_categories sc, dc;
    qtr_present_categories(QTR_ROLE_STATUS_CODE, r->en, &sc);
    qtr_present_categories(QTR_ROLE_DYNAMICS_CODE, r->en, &dc);
    for (size_t i = 0; i < n; i++)
        cls[i] = rr->status_class[i] ? rr->status_class[i] - 1 : -1;
    rc = qtr_report_category_map(r, "status", cls, sc.n, sc.colors, sc.labels,
                                 T(r, "Statusindex", "Status index"),
                                 T(r, "Soziale Lage nach den Statusindikatoren (Klassen wie MSS)",
                                   "Social status from the status indicators (classes as in "
                                   "Berlin's MSS)"),
                                 T(r, "Status", "Status"), inval, src, 0, 1);
    int anydyn = 0;
    for (size_t i = 0; i < n; i++)
        anydyn |= rr->dynamics_class[i] != 0;
    if (!rc && anydyn) {
        for (size_t i = 0; i < n; i++)
            cls[i] = rr->dynamics_class[i] ? rr->dynamics_class[i] - 1 : -1;
        rc = qtr_report_category_map(r, "dynamics", cls, dc.n, dc.colors, dc.labels,
                                     T(r, "Dynamikindex", "Dynamics index"),
                                     T(r, "Veränderung der Statusindikatoren zwischen den "
                                          "Stichtagen",
                                       "Change of the status indicators between the reference "
                                       "dates"),
                                     T(r, "Dynamik", "Dynamics"), inval, src, 0, 1);
    }
    if (!rc && anydyn)
        rc = combined_map(r, cls, src);
    else if (!rc)
        rc = para(r, T(r,
                       "Die Analyse hat nur einen Stichtag. Ohne zweiten Stichtag gibt es keine "
                       "Dynamik: Die Karten der Dynamik und von Status und Dynamik zusammen "
                       "entfallen, und Bedingungen der Aufmerksamkeitsregel, die die Dynamik "
                       "betreffen, greifen nicht.",
                       "The analysis has one reference date only. Without a second date there "
                       "are no dynamics: the maps of the dynamics and of status and dynamics "
                       "combined are left out, and conditions of the attention rule on the "
                       "dynamics never apply."));
    if (!rc) {
        struct qtr_present_categories ac;
        qtr_present_attention_reasons(r->en, &ac);
        size_t used[4] = {0};
        for (size_t i = 0; i < n; i++) {
            unsigned a = rr->attention[i];
            if (rr->validity[i] != QTR_RENEWAL_VALID)
                cls[i] = -1;
            else if (!a)
                cls[i] = 0;
            else if (rr->status_class[i] == QTR_STATUS_NIEDRIG ||
                     rr->status_class[i] == QTR_STATUS_SEHR_NIEDRIG)
                cls[i] = 1;
            else if (rr->status_class[i] == QTR_STATUS_MITTEL &&
                     rr->dynamics_class[i] == QTR_DYN_NEGATIV)
                cls[i] = 2;
            else
                cls[i] = 3;
            if (cls[i] >= 0)
                used[cls[i]]++;
        }
        size_t nc = used[3] ? 4 : 3;
        char olab[256];
        snprintf(olab, sizeof olab, "%s", T(r, "Kandidatengebiet", "Candidate area"));
        struct qtr_map am = {
            .cls = cls,
            .nclass = nc,
            .colors = ac.colors,
            .class_labels = ac.labels,
            .legend_title = T(r, "Aufmerksamkeit", "Attention"),
            .title = T(r, "Gebiete mit besonderem Aufmerksamkeitsbedarf",
                       "Districts needing particular attention"),
            .subtitle = T(r,
                          "Aufmerksamkeitsregel: niedriger Status oder mittlerer Status mit "
                          "negativer Dynamik",
                          "Attention rule: low status, or medium status with negative dynamics"),
            .source = src,
            .nodata_label = inval,
            .nodata_solid = 1,
            .overlay = r->cand,
            .overlay_label = r->cand ? olab : NULL,
            .overlay_color = qtr_present_candidate_outline(),
        };
        if (!anydyn)
            qtr_report_attention_without_dynamics(r, &am, &ac, cls, n);
        rc = qtr_report_emit_map(r, "attention", &am, 1);
    }
out:
    free(cls);
    free(src);
    return rc;
}

/*
 * LISA cluster maps from the frame columns of role QTR_ROLE_LISA_CLUSTER, written by the
 * LISA stage when it ran: numeric codes 0 not significant, 1 High-High,
 * 2 Low-Low, 3 Low-High, 4 High-Low (GeoDa's order), or the same as text
 * ("HH", "High-High", "hoch-hoch", ...).
 */
static int lisa_code_text(const char *t)
{
    if (!t)
        return -1;
    char k[16];
    size_t j = 0;
    for (const char *p = t; *p && j + 1 < sizeof k; p++)
        if (isalpha((unsigned char)*p))
            k[j++] = (char)tolower((unsigned char)*p);
    k[j] = '\0';
    if (!strcmp(k, "hh") || !strcmp(k, "highhigh") || !strcmp(k, "hochhoch"))
        return 1;
    if (!strcmp(k, "ll") || !strcmp(k, "lowlow") || !strcmp(k, "niedrigniedrig"))
        return 2;
    if (!strcmp(k, "lh") || !strcmp(k, "lowhigh") || !strcmp(k, "niedrighoch"))
        return 3;
    if (!strcmp(k, "hl") || !strcmp(k, "highlow") || !strcmp(k, "hochniedrig"))
        return 4;
    return 0;
}

int qtr_report_lisa_maps(struct rs *r, int *any)
{
    size_t n = r->shapes->n;
    *any = 0;
    for (size_t g = 0; g < r->cfg->ngroups; g++) {
        const struct qtr_column *c =
            qtr_frame_find_role(r->st->frame, QTR_ROLE_LISA_CLUSTER, r->cfg->groups[g].id);
        if (!c)
            continue;
        int *cls = malloc((n ? n : 1) * sizeof *cls);
        if (!cls ||
            (!*any && (qtr_doc_heading(r->doc, 2, T(r, "Räumliche Cluster", "Spatial clusters")) ||
                       qtr_report_lisa_explain(r)))) {
            free(cls);
            return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            if (c->kind[i] != QTR_CELL_VALUE && c->kind[i] != QTR_CELL_ZERO)
                cls[i] = -1;
            else if (c->is_text)
                cls[i] = lisa_code_text(c->text[i]);
            else
                cls[i] = c->v[i] >= 0 && c->v[i] <= 4 ? (int)c->v[i] : -1;
        }
        /* the categories are in GeoDa's order, the codes lisa_code_text gives */
        struct qtr_present_categories lc;
        qtr_present_categories(QTR_ROLE_LISA_CLUSTER, r->en, &lc);
        char title[256], stem[96];
        snprintf(title, sizeof title,
                 T(r, "Räumliche Cluster (LISA): %s", "Spatial clusters (LISA): %s"),
                 group_label(r, r->cfg->groups[g].id));
        snprintf(stem, sizeof stem, "lisa_%s", r->cfg->groups[g].id);
        const char *ex[2] = {r->cfg->total, r->cfg->groups[g].column};
        char *src = qtr_report_source_line(r, ex, 2);
        char sub[320];
        qtr_report_lisa_subtitle(r, sub, sizeof sub);
        int rc = src ? qtr_report_category_map(r, stem, cls, lc.n, lc.colors, lc.labels, title,
                                    sub,
                                    T(r, "Cluster", "Cluster"), NULL, src, 0, 1)
                     : qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        free(src);
        free(cls);
        if (rc)
            return rc;
        *any = 1;
    }
    return QTR_OK;
}

