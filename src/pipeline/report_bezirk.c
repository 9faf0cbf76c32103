/*
 * report_bezirk.c - the parent level (Bezirk, Stadtteil) in the report: its names instead of
 * its codes ([boundaries] parent_name / parent_names, parent_names.c), its outlines and
 * names on every thematic map, a column in the district tables and a summary per parent
 * area of the districts needing attention.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/crosswalk.h"
#include "quartier/geom.h"

#include "parent_names.h"
#include "report_internal.h"
#include "report_parents.h"

void qtr_report_parent_names(struct rs *r)
{
    if (!r->parent_of || !r->st->nparents)
        return;
    for (size_t i = 0; i < r->st->layer->n; i++) {
        const char *nm = qtr_parent_name_of(r->st, r->parent_of[i]);
        char *dup = nm ? qtr_strdup(nm) : NULL;
        if (dup) { /* out of memory: the code stays, which is still right */
            free(r->parent_of[i]);
            r->parent_of[i] = dup;
        }
    }
}

/* The parent areas: pid[i] of each district (n), their number; NULL when out of memory. */
static size_t *parent_ids(const struct rs *r, size_t *np)
{
    size_t n = r->st->layer->n;
    size_t *pid = malloc((n ? n : 1) * sizeof *pid);
    *np = 0;
    if (!pid)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && strcmp(r->parent_of[j], r->parent_of[i]))
            j++;
        pid[i] = j < i ? pid[j] : (*np)++;
    }
    return pid;
}

int qtr_report_parent_areas(struct rs *r, double tol)
{
    const struct qtr_layer *l = r->st->layer;
    size_t n = l->n, np = 0;
    if (!r->parent_of || !n)
        return QTR_OK;
    const char *level = qtr_report_parent_label(r);
    if (level)
        snprintf(r->parent_overlay_label, sizeof r->parent_overlay_label,
                 T(r, "Grenze und Name der übergeordneten Gebiete (%s)",
                   "Boundary and name of the parent areas (%s)"),
                 level);
    else
        snprintf(r->parent_overlay_label, sizeof r->parent_overlay_label, "%s",
                 T(r, "Grenze und Name der übergeordneten Gebiete",
                   "Boundary and name of the parent areas"));
    if (r->plan_only) /* describing the maps only: nothing is drawn */
        return QTR_OK;
    size_t *pid = parent_ids(r, &np);
    struct GEOSGeom_t **united = NULL;
    int rc = QTR_OK;
    if (!pid)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    if (np < 2 || np == n) /* one parent, or one per district: nothing to draw */
        goto out;
    size_t failed = 0;
    struct qtr_error ue = {0};
    /* the same sliver gaps as the batch's region outlines (compare_stage.c) are closed, or
     * every one would be drawn as a dot in the parent outline's thick line (Hamburg) */
    int urc = qtr_geom_union_groups(r->ctx->geos, (const struct GEOSGeom_t *const *)l->geom, n, pid,
                                    np, QTR_CROSSWALK_SLIVER_M2, &united, &failed, &ue);
    if (urc == QTR_ERR_NOMEM) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (urc) {
        size_t first = 0;
        while (first < n && pid[first] != failed)
            first++;
        qtr_warn(r->ctx,
                 "maps: the districts of parent area '%s' cannot be united (%s); drawn "
                 "without parent outlines",
                 first < n ? r->parent_of[first] : "?", r->ctx->geos_msg);
        united = NULL;
        goto out;
    }
    struct qtr_shapes *raw = NULL;
    struct qtr_error e = {0};
    if (qtr_shapes_from_geos(r->ctx->geos, (const struct GEOSGeom_t *const *)united, np, &raw,
                             &e) == QTR_OK) {
        if (qtr_shapes_simplify(raw, tol, &r->parents, &e) != QTR_OK)
            r->parents = NULL;
        qtr_shapes_free(raw);
    } else {
        qtr_warn(r->ctx, "maps: parent outlines skipped: %s", e.msg);
    }
    /* one name per parent area at a point inside it, largest first (placed first) */
    if (!(r->parent_labels = calloc(np, sizeof *r->parent_labels))) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    double *area = calloc(np, sizeof *area);
    if (!area) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < np; k++) {
        size_t first = 0;
        while (first < n && pid[first] != k)
            first++;
        double x, y;
        if (first == n || !united[k] || !qtr_geom_point_inside(r->ctx->geos, united[k], &x, &y) ||
            !*r->parent_of[first])
            continue;
        double a = qtr_geom_area(r->ctx->geos, united[k]);
        size_t j = r->nparent_labels;
        while (j > 0 && area[j - 1] < a) {
            r->parent_labels[j] = r->parent_labels[j - 1];
            area[j] = area[j - 1];
            j--;
        }
        r->parent_labels[j] = (struct qtr_map_label){.text = r->parent_of[first], .x = x, .y = y};
        area[j] = a;
        r->nparent_labels++;
    }
    free(area);
out:
    free(pid);
    qtr_geoms_free(r->ctx->geos, united, united ? np : 0);
    return rc;
}

void qtr_report_parent_context(const struct rs *r, struct qtr_map *m)
{
    if (!r->parents)
        return;
    if (!m->overlay) {
        m->overlay = r->parents;
        m->overlay_label = r->parent_overlay_label;
        m->overlay_color = qtr_present_parent_outline();
    }
    if (!m->labels && r->nparent_labels) {
        m->labels = r->parent_labels;
        m->nlabels = r->nparent_labels;
        m->label_plates = 1;
    }
}

size_t qtr_report_parent_head(const struct rs *r, size_t pos, const char *const *head,
                              const unsigned char *num, size_t n, const char **h2,
                              unsigned char *n2)
{
    size_t k = 0;
    for (size_t c = 0; c <= n; c++) {
        if (c == pos && r->parent_of) {
            h2[k] = r->parent_label; /* capitalised, report_stage.c */
            n2[k++] = 0;
        }
        if (c < n) {
            h2[k] = head[c];
            n2[k++] = num ? num[c] : 0;
        }
    }
    return k;
}

void qtr_report_parent_cells(const struct rs *r, size_t pos, size_t i, const char *const *cells,
                             size_t n, const char **c2)
{
    size_t k = 0;
    for (size_t c = 0; c <= n; c++) {
        if (c == pos && r->parent_of)
            c2[k++] = i < r->st->layer->n ? r->parent_of[i] : "";
        if (c < n)
            c2[k++] = cells[c];
    }
}

/* Codes in their natural order: digits-only codes by number ("9" before "10"), else as text. */
static int code_cmp(const char *a, const char *b)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (*a && *b && !*ea && !*eb && x != y)
        return x < y ? -1 : 1;
    return strcmp(a, b);
}

/* Residents of district i (the [population] total), 0 when missing. */
static double residents(const struct rs *r, size_t i)
{
    const struct qtr_column *tot = qtr_frame_find(r->st->frame, r->cfg->total);
    double v = cell(tot, i);
    return isfinite(v) ? v : 0;
}

int qtr_report_parent_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    if (!r->parent_of || !st->renewal_done)
        return QTR_OK;
    size_t n = st->frame->n, np = 0;
    if (n != st->layer->n)
        return QTR_OK;
    size_t *pid = parent_ids(r, &np);
    size_t *cnt = calloc(2 * np + 1, sizeof *cnt);
    double *res = calloc(2 * np + 1, sizeof *res);
    size_t *first = calloc(np + 1, sizeof *first), *order = calloc(np + 1, sizeof *order);
    char **code = NULL;
    int rc = QTR_OK;
    if (!pid || !cnt || !res || !first || !order) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = n; i-- > 0;)
        first[pid[i]] = i;
    /* rows in the order of the parents' codes (Berlin: 01 Mitte to 12 Reinickendorf) */
    if (qtr_report_parents(st->layer, r->cfg->bnd_parent, &code)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < np; k++)
        order[k] = k;
    for (size_t k = 1; code && k < np; k++) {
        size_t v = order[k], j = k;
        while (j > 0 && code_cmp(code[first[order[j - 1]]], code[first[v]]) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    double all = 0, all_att = 0;
    size_t nall = 0, natt = 0;
    for (size_t i = 0; i < n; i++) {
        double e = residents(r, i);
        int att = st->renewal.attention[i] != 0;
        cnt[pid[i]]++;
        res[pid[i]] += e;
        cnt[np + pid[i]] += att;
        res[np + pid[i]] += att ? e : 0;
        all += e;
        all_att += att ? e : 0;
        nall++;
        natt += att;
    }
    const char *level = qtr_report_parent_label(r);
    char title[200];
    snprintf(title, sizeof title, T(r, "Aufmerksamkeitsbedarf nach %s", "Attention by %s"),
             level ? level : T(r, "übergeordnetem Gebiet", "parent area"));
    if (qtr_doc_heading(r->doc, 2, title)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    const char *head[6] = {r->parent_label,
                           T(r, "Gebiete", "Districts"),
                           T(r, "Einwohner", "Residents"),
                           T(r, "Gebiete mit Aufmerksamkeitsbedarf", "Districts needing attention"),
                           T(r, "deren Einwohner", "their residents"),
                           T(r, "Anteil an den Einwohnern", "Share of the residents")};
    const unsigned char isnum[6] = {0, 1, 1, 1, 1, 1};
    if (qtr_doc_table(r->doc, NULL, 6, head, isnum)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t kk = 0; kk <= np && !rc; kk++) {
        int total = kk == np;
        size_t k = total ? np : order[kk];
        double e = total ? all : res[k], ea = total ? all_att : res[np + k];
        size_t c = total ? nall : cnt[k], ca = total ? natt : cnt[np + k];
        char a[24], b[32], d[24], f[32], g[32];
        snprintf(a, sizeof a, "%zu", c);
        num(r, e, 0, b, sizeof b);
        snprintf(d, sizeof d, "%zu", ca);
        num(r, ea, 0, f, sizeof f);
        if (e > 0) {
            num(r, 100.0 * ea / e, 1, g, sizeof g);
            strncat(g, " %", sizeof g - strlen(g) - 1);
        } else {
            snprintf(g, sizeof g, "–");
        }
        const char *cells[6] = {
            total ? T(r, "Stadt", "City") : r->parent_of[first[k]], a, b, d, f, g};
        if (qtr_doc_row(r->doc, cells))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    if (rc)
        goto out;
    char buf[600], tot[32];
    num(r, all, 0, tot, sizeof tot);
    snprintf(buf, sizeof buf,
             T(r,
               "Einwohner am Stichtag %s (Stadt: %s). Der Anteil bezieht die Einwohner der "
               "Gebiete mit Aufmerksamkeitsbedarf auf alle Einwohner des übergeordneten "
               "Gebiets; Gebiete ohne Einwohnerzahl zählen mit 0.",
               "Residents on the reference date %s (city: %s). The share relates the "
               "residents of the districts needing attention to all residents of the parent "
               "area; districts without a population count as 0."),
             r->cur_date[0] ? r->cur_date : "–", tot);
    rc = note(r, buf);
out:
    free(pid);
    free(cnt);
    free(res);
    free(first);
    free(order);
    qtr_report_parents_free(code, st->layer->n);
    return rc;
}
