/*
 * report_maps.c - source lines, drawing and the maps of the districts and groups (overview,
 * shares, location quotients) of the report.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"

/* ---- sources -------------------------------------------------------------- */

/* 1 when `name` occurs in expr as a whole name (not as part of a longer one). */
static int mentions(const char *expr, const char *name)
{
    size_t n = strlen(name);
    if (!expr || !n)
        return 0;
    for (const char *p = strstr(expr, name); p; p = strstr(p + 1, name)) {
        unsigned char before = p > expr ? (unsigned char)p[-1] : ' ';
        unsigned char after = (unsigned char)p[n];
        if (!(isalnum(before) || before == '_') && !(isalnum(after) || after == '_'))
            return 1;
    }
    return 0;
}

/*
 * Source line of a map: the attribution of the tables that supply a column
 * named in one of the expressions (every table when nexpr is 0 or no column
 * matches), then of the
 * boundaries (qtr_map_source_line; a source without attribution by its file).
 */
char *qtr_report_source_line(struct rs *r, const char *const *expr, size_t nexpr)
{
    struct qtr_map_source *src = calloc(r->cfg->ntables + 1, sizeof *src);
    if (!src)
        return NULL;
    /* the map's date is the reference date of the tables it shows (the MSS tables of a
     * Berlin run are 31.12.2020 while the population is 31.12.2024) */
    char dates[4][32], iso[4][32];
    size_t nd = 0;
    r->map_date[0] = '\0';
    size_t listed = 0;
    /* a second pass names every table when no column of the expressions came from one
     * (e.g. a column renamed on the way): a map must name whoever supplied its data */
    for (int pass = 0; pass < 2 && !listed; pass++)
        for (size_t t = 0; t < r->cfg->ntables; t++) {
            const struct qtr_table_spec *ts = &r->cfg->tables[t];
            int used = nexpr == 0 || pass == 1;
            for (size_t c = 0; !used && c < r->st->frame->ncols; c++) {
                const struct qtr_column *col = r->st->frame->cols[c];
                if (!col->origin || strcmp(col->origin, ts->id))
                    continue;
                for (size_t e = 0; e < nexpr && !used; e++)
                    used = mentions(expr[e], col->name);
            }
            if (!used)
                continue;
            src[listed].attribution = ts->attribution;
            src[listed++].file = ts->source;
            if (ts->date) { /* each date once, earliest first (ISO dates sort as text) */
                size_t k = 0;
                while (k < nd && strcmp(iso[k], ts->date) < 0)
                    k++;
                if ((k < nd && !strcmp(iso[k], ts->date)) || nd == 4)
                    continue;
                memmove(iso[k + 1], iso[k], (nd - k) * sizeof iso[0]);
                memmove(dates[k + 1], dates[k], (nd - k) * sizeof dates[0]);
                snprintf(iso[k], sizeof iso[0], "%s", ts->date);
                date_text(r, ts->date, dates[k], sizeof dates[0]);
                nd++;
            }
        }
    if (nexpr && nd) {
        size_t len =
            (size_t)snprintf(r->map_date, sizeof r->map_date, "%s", T(r, "Stand:", "Date:"));
        for (size_t k = 0; k < nd && len < sizeof r->map_date; k++)
            len +=
                (size_t)snprintf(r->map_date + len, sizeof r->map_date - len, "%s%s",
                                 k ? (k + 1 == nd ? T(r, " und ", " and ") : ", ") : " ", dates[k]);
    }
    src[listed].attribution = r->cfg->bnd_attribution;
    src[listed++].file = r->cfg->bnd_source;
    char *line = qtr_map_source_line(src, listed, r->en);
    free(src);
    return line;
}

/* ---- maps ------------------------------------------------------------------ */

int qtr_report_emit_map(struct rs *r, const char *stem, struct qtr_map *m, int in_report)
{
    /*
     * maps/<stem>.png, .svg (text as outlines, for Qt/QGIS and office programs), .pdf, and
     * for the HTML a hidden SVG with the text as glyph symbols: browsers render it, and
     * outlines would more than double the page (a map's source line alone is half of it).
     * They are drawn at the same time (map_batch.c), PNG and PDF, the longest, first.
     */
    static const struct {
        enum qtr_map_format f;
        const char *name;
        int glyphs;
    } out[4] = {{QTR_MAP_PNG, "%s/%s.png", 0},
                {QTR_MAP_PDF, "%s/%s.pdf", 0},
                {QTR_MAP_SVG, "%s/%s.svg", 0},
                {QTR_MAP_SVG, "%s/.%s.inline.svg", 1}};
    char *path[4] = {NULL, NULL, NULL, NULL};
    struct qtr_error e[4];
    int st[4] = {0, 0, 0, 0};
    int njob = in_report ? 4 : 3, rc = QTR_OK;
    m->shapes = r->shapes;
    m->no_insets = r->cfg->report_no_insets; /* [report] insets = none */
    qtr_report_parent_context(r, m); /* parent outlines and names (report_bezirk.c) */
    /* very many districts: raster (report_scale.c) */
    qtr_report_scale_map(r, m);
    if (!m->names) /* caption of an inset (an island far out, qtr_map_extent) */
        m->names = (const char *const *)r->st->layer->name;
    m->keys = (const char *const *)r->st->layer->key; /* popups of the interactive map */
    m->parents = (const char *const *)r->parent_of;
    m->parent_label = r->parent_of ? r->parent_label : NULL;
    m->nodata_color = m->nodata_solid ? qtr_palette_not_rated() : qtr_palette_nodata();
    if (!m->date)
        m->date = r->map_date[0] ? r->map_date : r->date;
    if (!m->nodata_label)
        m->nodata_label = T(r, "keine Angabe", "no data");
    if (!m->created && r->created[0])
        m->created = r->created;
    if (qtr_qgis_plan_map(r->st->qgis, stem, m->title, m->subtitle, m->legend_title, m->source,
                          m->date, r->err) ||
        qtr_report_plan_grid(r, stem, m))
        return QTR_ERR_NOMEM;
    if (r->plan_only) /* --no-report: the QGIS project's layouts, no drawing */
        return r->nmaps++, QTR_OK;
    for (int k = 0; k < njob; k++) {
        qtr_error_clear(&e[k]);
        if (!(path[k] = qtr_asprintf(out[k].name, r->mapdir, stem)))
            rc = QTR_ERR_NOMEM;
    }
    char **nt = NULL;
    if (!rc && in_report && !(nt = realloc(r->tmp_svg, (r->ntmp + 1) * sizeof *nt)))
        rc = QTR_ERR_NOMEM;
    if (rc) {
        for (int k = 0; k < 4; k++)
            free(path[k]);
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    if (in_report) {
        r->tmp_svg = nt;
        r->tmp_svg[r->ntmp++] = path[3]; /* removed at the end of the stage */
    }
    struct qtr_map mk[4];
    struct qtr_map_job job[4];
    for (int k = 0; k < njob; k++) {
        mk[k] = *m;
        mk[k].svg_glyphs = out[k].glyphs;
        job[k] = (struct qtr_map_job){&mk[k], out[k].f, path[k]};
    }
    qtr_map_render_jobs(job, (size_t)njob, r->ctx->threads, st, e);
    for (int k = 0; k < njob && !rc; k++)
        if (st[k]) {
            *r->err = e[k];
            rc = st[k];
        }
    if (!rc && in_report) {
        /*
         * In the A4 portrait report a map is 483 pt wide; drawn from an A4 landscape page
         * its 7 pt legend would shrink to 4 pt. A smaller page of the same proportions
         * keeps the text at about 6 pt. The HTML inlines the glyph SVG.
         */
        struct qtr_map pm = *m;
        pm.width_pt = 600;
        pm.height_pt = 424;
        if (qtr_doc_map(r->doc, &pm, path[3]))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < 3; k++)
        free(path[k]);
    r->nmaps += !rc;
    return rc;
}

/* Map of v (NaN = no data) in the classes the presentation table gives the column (the
 * same as its QGIS style); left out when there is nothing to classify. */
int qtr_report_graduated_map(struct rs *r, const char *stem, const double *v,
                             const struct qtr_present *p, const char *title, const char *subtitle,
                             const char *legend, const char *source, int in_report)
{
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    int rc = qtr_present_classify(p, v, r->shapes->n, r->en, &c, &e);
    if (rc == QTR_ERR_DOMAIN)
        return QTR_OK; /* no value to map: the map is left out, the tables still say so */
    if (rc)
        return qtr_error_set(r->err, rc, "map %s: %s", stem, e.msg);
    /* each district's value for the popups of the interactive map */
    size_t n = r->shapes->n;
    char **val = calloc(n ? n : 1, sizeof *val);
    if (!val)
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        char buf[96];
        qtr_present_value(p, v[i], r->en, buf, sizeof buf); /* as the tables show it */
        if (isfinite(v[i]) && !(val[i] = qtr_strdup(buf)))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    struct qtr_map m = {
        .cls = c.cls,
        .nclass = c.k,
        .colors = c.colors,
        .class_labels = (const char *const *)c.labels,
        .legend_title = legend,
        .title = title,
        .subtitle = subtitle,
        .source = source,
        .values = (const char *const *)val,
    };
    if (!rc)
        rc = qtr_report_emit_map(r, stem, &m, in_report);
    if (val)
        for (size_t i = 0; i < n; i++)
            free(val[i]);
    free(val);
    qtr_present_classes_release(&c);
    return rc;
}

/* Categorical map: cls[i] in 0..nclass-1 or -1. */
int qtr_report_category_map(struct rs *r, const char *stem, const int *cls, size_t nclass,
                        const struct qtr_rgb *col, const char *const *lab, const char *title,
                        const char *subtitle, const char *legend, const char *nodata,
                        const char *source, int with_labels, int in_report)
{
    struct qtr_map m = {
        .cls = cls,
        .nclass = nclass,
        .colors = col,
        .class_labels = lab,
        .legend_title = legend,
        .title = title,
        .subtitle = subtitle,
        .source = source,
        .nodata_label = nodata,
        .nodata_solid = nodata != NULL, /* a label of its own: "nicht bewertet", not "keine
                                           Angabe" (hatched) */
        .labels = with_labels ? r->labels : NULL,
        .nlabels = with_labels ? r->nlabels : 0,
    };
    return qtr_report_emit_map(r, stem, &m, in_report);
}

/* Representative points of the districts, largest first (they get their label first). */
int qtr_report_make_labels(struct rs *r)
{
    const struct qtr_layer *l = r->st->layer;
    size_t n = l->n, m = 0;
    r->labels = calloc(n ? n : 1, sizeof *r->labels);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!r->labels || !order) {
        free(order);
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    /* insertion sort by area, descending; stable for equal areas (n is a few hundred) */
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && l->area[order[j - 1]] < l->area[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        const char *name = l->name[i] && *l->name[i] ? l->name[i] : l->key[i];
        if (!l->geom[i] || !name || !*name)
            continue;
        double x, y;
        if (qtr_geom_point_inside(r->ctx->geos, l->geom[i], &x, &y)) {
            r->labels[m].text = name;
            r->labels[m].x = x;
            r->labels[m].y = y;
            m++;
        }
    }
    r->nlabels = m;
    free(order);
    return QTR_OK;
}

const char *qtr_report_parent_label(const struct rs *r)
{
    const struct qtr_config *c = r->cfg;
    if (r->en && c->bnd_parent_label_en)
        return c->bnd_parent_label_en;
    return c->bnd_parent_label;
}

int qtr_report_overview_map(struct rs *r, double tol)
{
    size_t n = r->shapes->n;
    int *cls = calloc(n ? n : 1, sizeof *cls);
    if (!cls)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    struct qtr_rgb col[1] = {qtr_present_overview_fill()};
    char lab[96], sub[160];
    snprintf(lab, sizeof lab, T(r, "Gebiet (%zu)", "district (%zu)"), n);
    snprintf(sub, sizeof sub,
             qtr_report_large(r)
                 ? T(r, "%zu Gebiete", "%zu districts") /* no names */
                 : T(r, "%zu Gebiete; Namen, soweit sie ohne Überschneidung Platz haben",
                     "%zu districts; names where they fit without overlapping"),
             n);
    const char *labs[1] = {lab};
    r->map_date[0] = '\0';
    struct qtr_map_source bnd = {r->cfg->bnd_attribution, r->cfg->bnd_source};
    char *src = qtr_map_source_line(&bnd, 1, r->en);
    int rc = src ? qtr_report_parent_areas(r, tol)
                 : qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    char olab[256];
    if (!rc) {
        /* the level's name from the analysis file (parent_label), never the column or the
         * prefix:N rule it is made by; the names on this map are the districts' */
        const char *level = qtr_report_parent_label(r);
        if (level)
            snprintf(olab, sizeof olab,
                     T(r, "Grenze der übergeordneten Gebiete (%s)",
                       "Boundary of the parent areas (%s)"),
                     level);
        else
            snprintf(olab, sizeof olab, "%s",
                     T(r, "Grenze der übergeordneten Gebiete", "Boundary of the parent areas"));
        struct qtr_map m = {
            .cls = cls,
            .nclass = 1,
            .colors = col,
            .class_labels = labs,
            .legend_title = T(r, "Gebiete", "Districts"),
            .title = T(r, "Übersicht der Gebiete", "Districts"),
            .subtitle = sub,
            .source = src,
            .labels = r->labels,
            .nlabels = r->nlabels,
            .overlay = r->parents,
            .overlay_label = r->parents ? olab : NULL,
            .overlay_color = qtr_present_parent_outline(),
        };
        rc = qtr_report_emit_map(r, "overview", &m, 1);
    }
    free(src);
    free(cls);
    return rc;
}

int qtr_report_group_maps(struct rs *r, size_t g)
{
    const struct qtr_group_spec *gs = &r->cfg->groups[g];
    if (gs->multigroup_only)
        return QTR_OK;
    const struct qtr_column *sc = qtr_frame_find_role(r->st->frame, QTR_ROLE_SHARE, gs->id);
    const struct qtr_column *lc = qtr_frame_find_role(r->st->frame, QTR_ROLE_LQ, gs->id);
    if (!sc || !lc)
        return QTR_OK;
    size_t n = r->shapes->n;
    double *s = malloc((n ? n : 1) * sizeof *s), *q = malloc((n ? n : 1) * sizeof *q);
    const char *ex[2] = {r->cfg->total, gs->column};
    char *src = qtr_report_source_line(r, ex, 2);
    int rc = QTR_OK;
    if (!s || !q || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        s[i] = cell(sc, i);
        q[i] = cell(lc, i);
    }
    struct qtr_present ps, pl;
    qtr_column_present(r->cfg, sc, sc->name, r->en, &ps);
    qtr_column_present(r->cfg, lc, lc->name, r->en, &pl);
    char title[256], stem[96], sub[400], gl[200];
    snprintf(title, sizeof title, T(r, "Anteil %s", "Share of %s"),
             group_mid(r, gs->id, gl, sizeof gl));
    snprintf(stem, sizeof stem, "share_%s", gs->id);
    snprintf(sub, sizeof sub, T(r, "in Prozent der Einwohner; Klassen: %s", "percent of residents; classes: %s"),
             method_text(r, ps.method));
    rc = qtr_report_graduated_map(r, stem, s, &ps, title, sub, T(r, "Anteil", "Share"), src, 1);
    if (rc)
        goto out;
    /* location quotients on a log-symmetric scale around 1 (as common in planning atlases) */
    snprintf(title, sizeof title, T(r, "Standortquotient %s", "Location quotient %s"), gl);
    snprintf(stem, sizeof stem, "lq_%s", gs->id);
    rc = qtr_report_graduated_map(r, stem, q, &pl, title,
                                  T(r, "Anteil im Gebiet geteilt durch den Anteil in der Stadt",
                                    "Share in the district divided by the city's share"),
                                  T(r, "Standortquotient", "Location quotient"), src, 1);
out:
    free(s);
    free(q);
    free(src);
    return rc;
}
