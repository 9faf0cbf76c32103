/*
 * report_candidates.c - the candidate areas in the report: how they are formed, and a table
 * of each area's name, member districts, parent areas, residents and what makes it a
 * candidate (the districts' classes and the status indicators above the city's mean).
 *
 * The areas are those of the GeoPackage's candidate_areas layer (qtr_pipeline_candidates,
 * spatial_stage.c): the districts needing attention, grouped into the connected parts of
 * queen contiguity among them, numbered by their lowest district index. The report forms
 * the same groups again from st->queen (qtr_report_candidate_groups) for the member lists.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

size_t qtr_report_candidate_groups(size_t n, const struct qtr_csr *w, const unsigned *flag,
                                   size_t *group, size_t *stack)
{
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        group[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!flag[i] || group[i] != SIZE_MAX)
            continue;
        size_t top = 0;
        group[i] = ng;
        stack[top++] = i;
        while (top) {
            size_t v = stack[--top];
            for (size_t e = w->row[v]; e < w->row[v + 1]; e++) {
                size_t u = w->col[e];
                if (u < n && flag[u] && group[u] == SIZE_MAX) {
                    group[u] = ng;
                    stack[top++] = u;
                }
            }
        }
        ng++;
    }
    return ng;
}

/* Resident-weighted mean of column c over the districts with in[i] (all when NULL). */
static double weighted_mean(const struct qtr_column *c, const struct qtr_column *tot,
                            const size_t *group, size_t g, size_t n)
{
    double s = 0, wsum = 0;
    for (size_t i = 0; i < n; i++) {
        if (group && group[i] != g)
            continue;
        double v = cell(c, i), w = cell(tot, i);
        if (isfinite(v) && isfinite(w) && w > 0) {
            s += v * w;
            wsum += w;
        }
    }
    return wsum > 0 ? s / wsum : NAN;
}

/* The cells of area g into b (members, parents, evidence); the largest member in *big. */
static int area_text(struct rs *r, const size_t *group, size_t g, const struct qtr_column *tot,
                     struct qtr_buf *members, struct qtr_buf *parents, struct qtr_buf *why,
                     double *res, size_t *big)
{
    const struct qtr_state *st = r->st;
    const struct qtr_renewal_result *rr = &st->renewal;
    enum qtr_lang lang = r->en ? QTR_LANG_EN : QTR_LANG_DE;
    size_t n = st->frame->n, cnt[5] = {0}, neg = 0, seg = 0, nm = 0;
    double best = -1;
    *res = 0;
    *big = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (group[i] != g)
            continue;
        double e = cell(tot, i);
        if (isfinite(e))
            *res += e;
        if (*big == SIZE_MAX || (isfinite(e) && e > best)) {
            best = isfinite(e) ? e : best;
            *big = i;
        }
        if (rr->status_class[i] < 5)
            cnt[rr->status_class[i]]++;
        neg += rr->dynamics_class[i] == QTR_DYN_NEGATIV;
        seg += (rr->attention[i] & QTR_ATTN_SEGREGATION) != 0;
        nm++;
    }
    /* members: every district by name (key when it has none) */
    for (size_t i = 0; i < n; i++) {
        if (group[i] != g)
            continue;
        const char *nmv =
            st->frame->name[i] && *st->frame->name[i] ? st->frame->name[i] : st->frame->key[i];
        if (qtr_buf_printf(members, "%s%s", members->len ? ", " : "", nmv))
            return QTR_ERR_NOMEM;
        if (r->parent_of && i < st->layer->n && *r->parent_of[i] &&
            !strstr(parents->data ? parents->data : "", r->parent_of[i]) &&
            qtr_buf_printf(parents, "%s%s", parents->len ? ", " : "", r->parent_of[i]))
            return QTR_ERR_NOMEM;
    }
    for (int c = 4; c >= 1; c--)
        if (cnt[c] && qtr_buf_printf(why, "%s%zu × %s %s", why->len ? ", " : "", cnt[c],
                                     T(r, "Status", "status"), qtr_status_class_name(c, lang)))
            return QTR_ERR_NOMEM;
    if (neg && qtr_buf_printf(why, "%s%zu × %s", why->len ? ", " : "", neg,
                              T(r, "Dynamik negativ", "dynamics negative")))
        return QTR_ERR_NOMEM;
    if (seg && qtr_buf_printf(why, "%s%zu × %s", why->len ? ", " : "", seg,
                              T(r, "Segregationsrisiko", "at risk of segregation")))
        return QTR_ERR_NOMEM;
    /* the status indicators where the area is less favourable than the city */
    for (size_t k = 0; st->ind_cur && k < r->cfg->nindicators; k++) {
        const struct qtr_indicator_spec *s = &r->cfg->indicators[k];
        if (s->status_weight == 0 || !st->ind_cur[k])
            continue;
        double a = weighted_mean(st->ind_cur[k], tot, group, g, n),
               c = weighted_mean(st->ind_cur[k], tot, NULL, 0, n);
        if (!isfinite(a) || !isfinite(c) || (s->higher_worse ? a <= c : a >= c))
            continue;
        char av[32], cv[32];
        num(r, a, 1, av, sizeof av);
        num(r, c, 1, cv, sizeof cv);
        const char *u = s->unit ? s->unit : "";
        /* a no-break space between number and unit (U+00A0): "7,7 %" stays on one line */
        if (qtr_buf_printf(why, "%s%s %s%s%s (%s %s%s%s)", why->len ? "; " : "", ind_label(r, s),
                           av, *u ? "\xc2\xa0" : "", u, T(r, "Stadt", "city"), cv,
                           *u ? "\xc2\xa0" : "", u))
            return QTR_ERR_NOMEM;
    }
    (void)nm;
    return QTR_OK;
}

int qtr_report_candidate_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    if (!st->renewal_done || !st->queen || st->frame->n != st->queen->n)
        return QTR_OK;
    size_t n = st->frame->n;
    size_t *group = malloc((n ? n : 1) * sizeof *group);
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    const struct qtr_column *tot = qtr_frame_find(st->frame, r->cfg->total);
    int rc = QTR_OK;
    if (!group || !stack) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t ng = qtr_report_candidate_groups(n, st->queen, st->renewal.attention, group, stack);
    if (qtr_doc_heading(r->doc, 2, T(r, "Kandidatengebiete", "Candidate areas"))) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    char buf[900];
    snprintf(buf, sizeof buf,
             T(r,
               "Kandidatengebiete fassen benachbarte Gebiete mit besonderem "
               "Aufmerksamkeitsbedarf zusammen: Gebiete, die eine Grenze oder einen Eckpunkt "
               "teilen (Queen-Nachbarschaft), bilden mit allen über solche Nachbarn erreichbaren "
               "Gebieten mit Aufmerksamkeitsbedarf ein Kandidatengebiet; ein Gebiet ohne solchen "
               "Nachbarn ist ein Kandidatengebiet für sich. Jedes heißt nach seinem Gebiet mit "
               "den meisten Einwohnern. Anzahl: %zu. Die Flächen liegen in der GeoPackage-Ebene "
               "der Kandidatengebiete, mit derselben Nummer.",
               "Candidate areas combine neighbouring districts needing particular attention: "
               "districts that share a boundary or a corner (queen contiguity) form one "
               "candidate area with every district needing attention reachable through such "
               "neighbours; a district without such a neighbour is a candidate area of its own. "
               "Each is named after its district with the most residents. Number: %zu. The "
               "polygons are in the GeoPackage's candidate area layer, with the same number."),
             ng);
    if ((rc = para(r, buf)) || !ng)
        goto out;
    const char *head[7] = {T(r, "Nr.", "No."),
                           T(r, "Kandidatengebiet", "Candidate area"),
                           r->parent_label, /* capitalised, report_stage.c */
                           T(r, "Gebiete", "Districts"),
                           T(r, "Einwohner", "Residents"),
                           T(r, "Warum Kandidat", "Why a candidate"),
                           NULL};
    const unsigned char isnum[6] = {0, 0, 0, 0, 1, 0};
    /* without parents, no parent column: drop index 2 */
    const char *h[6];
    unsigned char hn[6];
    size_t nc = 0;
    for (size_t c = 0; c < 6; c++)
        if (c != 2 || r->parent_of) {
            h[nc] = head[c];
            hn[nc++] = isnum[c];
        }
    if (qtr_doc_table(r->doc, NULL, nc, h, hn) || qtr_doc_table_wide_last(r->doc)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t g = 0; g < ng && !rc; g++) {
        struct qtr_buf mem = {0}, par = {0}, why = {0};
        double res = 0;
        size_t big = SIZE_MAX;
        char no[24], rv[32];
        if (area_text(r, group, g, tot, &mem, &par, &why, &res, &big)) {
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        } else {
            snprintf(no, sizeof no, "%zu", g + 1);
            num(r, res, 0, rv, sizeof rv);
            const char *name = big < n && st->frame->name[big] && *st->frame->name[big]
                                   ? st->frame->name[big]
                               : big < n ? st->frame->key[big]
                                         : "";
            const char *cells[6] = {no,
                                    name,
                                    par.data ? par.data : "",
                                    mem.data ? mem.data : "",
                                    rv,
                                    why.data ? why.data : ""};
            const char *c2[6];
            size_t k = 0;
            for (size_t c = 0; c < 6; c++)
                if (c != 2 || r->parent_of)
                    c2[k++] = cells[c];
            if (qtr_doc_row(r->doc, c2))
                rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        }
        qtr_buf_release(&mem);
        qtr_buf_release(&par);
        qtr_buf_release(&why);
    }
    if (!rc)
        rc = note(r, T(r,
                       "Einwohner: Summe der Gebiete am Stichtag. Indikatoren: Mittel der "
                       "Gebiete, gewichtet mit ihren Einwohnern, genannt, wo es ungünstiger ist "
                       "als das ebenso gewichtete Mittel aller Gebiete der Stadt.",
                       "Residents: sum over the districts on the reference date. Indicators: "
                       "mean of the districts weighted by their residents, named where it is "
                       "less favourable than the mean of all districts of the city weighted "
                       "the same way."));
out:
    free(group);
    free(stack);
    return rc;
}
