/*
 * report_stage.c - maps and the council report of a run.
 *
 * Everything the report says is computed from the run's state (indices with
 * their permutation p-values and bootstrap intervals, change rows, renewal
 * classes, goals, join report); nothing is typed in. The document is built
 * once (doc.h) and written as HTML and PDF. Maps go to OUTDIR/maps as PNG,
 * SVG and PDF; the SVGs are inlined into the HTML, the PDF draws the same
 * maps as vector graphics.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quartier/bivariate.h"
#include "quartier/classify.h"
#include "quartier/doc.h"
#include "quartier/geom.h"
#include "quartier/goals.h"
#include "quartier/gpkg_read.h"
#include "quartier/labels.h"
#include "quartier/map.h"
#include "quartier/output.h"
#include "quartier/palette.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

struct rs {
    struct qtr_ctx *ctx;
    const struct qtr_config *cfg;
    struct qtr_state *st;
    int en;
    char *mapdir;
    struct qtr_shapes *shapes;
    struct qtr_map_label *labels;
    size_t nlabels;
    struct qtr_doc *doc;
    char date[64];      /* "Stand: 31.12.2022" */
    char prev_date[32]; /* "31.12.2020" or "" */
    char cur_date[32];
    char created[32];   /* PDF creation date from SOURCE_DATE_EPOCH, "" = now */
    char map_date[160]; /* "Stand: ..." of the tables behind the next map ("" = date) */
    size_t nmaps;
    double tol;                 /* generalisation tolerance (CRS units) */
    struct qtr_shapes *parents; /* parent outlines of the overview (borrowed by the document) */
    struct qtr_shapes *cand;    /* candidate areas from the GeoPackage, or NULL (borrowed too) */
    char cand_layer[128];
    char **tmp_svg; /* compact SVGs for the HTML, removed at the end */
    size_t ntmp;
    struct qtr_error *err;
};

#define T(r, de_, en_) ((r)->en ? (en_) : (de_))

/* ---- numbers and dates ---------------------------------------------------- */

static void num(const struct rs *r, double v, int dec, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "–");
        return;
    }
    if (r->en) {
        snprintf(buf, size, "%.*f", dec, v == 0 ? 0.0 : v);
        if (!strcmp(buf, "-0") || !strncmp(buf, "-0.", 3)) {
            int zero = 1;
            for (const char *p = buf + 1; *p; p++)
                zero &= *p == '0' || *p == '.';
            if (zero)
                memmove(buf, buf + 1, strlen(buf));
        }
        return;
    }
    if (qtr_format_de(v, dec, buf, size))
        snprintf(buf, size, "–");
}

/* p-value as in the tables: "0,001", "< 0,001" never occurs with the +1 correction. */
static void pval(const struct rs *r, double p, char *buf, size_t size)
{
    num(r, p, 3, buf, size);
}

/*
 * p for a sentence: "p < 0,01", "p = 0,03". With few simulations the
 * smallest attainable p = 1 / (1 + permutations) can be 0,01 or more; the
 * sentence then says so, because "p = 0,05" would read as a borderline result
 * when it is only the resolution of the test.
 */
static void ptext(const struct rs *r, double p, char *buf, size_t size)
{
    char b[32];
    unsigned perms = r->cfg->permutations;
    double pmin = perms ? 1.0 / (1.0 + perms) : NAN;
    if (pmin >= 0.01 && p <= pmin * (1 + 1e-9)) {
        num(r, p, 2, b, sizeof b);
        snprintf(buf, size,
                 T(r, "p = %s, der kleinste mit %u Simulationen mögliche Wert",
                   "p = %s, the smallest value possible with %u simulations"),
                 b, perms);
    } else if (p < 0.01) {
        num(r, 0.01, 2, b, sizeof b);
        snprintf(buf, size, "p < %s", b);
    } else {
        num(r, p, 2, b, sizeof b);
        snprintf(buf, size, "p = %s", b);
    }
}

static void date_text(const struct rs *r, const char *iso, char *buf, size_t size)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
        snprintf(buf, size, "%s", iso ? iso : "");
        return;
    }
    if (r->en)
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(buf, size, "%02d.%02d.%04d", d, m, y);
}

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A number of a column, NaN when missing, suppressed or not finite (classes need finite values). */
static double cell(const struct qtr_column *c, size_t i)
{
    return c && !c->is_text && (c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO) &&
                   isfinite(c->v[i])
               ? c->v[i]
               : NAN;
}

static const char *group_label(const struct rs *r, const char *id)
{
    for (size_t g = 0; g < r->cfg->ngroups; g++)
        if (!strcmp(r->cfg->groups[g].id, id)) {
            const struct qtr_group_spec *s = &r->cfg->groups[g];
            if (r->en && s->label_en)
                return s->label_en;
            return s->label ? s->label : s->id;
        }
    return id;
}

static const char *ind_label(const struct rs *r, const struct qtr_indicator_spec *s)
{
    if (r->en && s->label_en)
        return s->label_en;
    return s->label ? s->label : s->id;
}

static const char *field_label(const struct rs *r, const char *f)
{
    static const struct {
        const char *id, *de, *en;
    } fields[] = {
        {"bildung", "Sprache und Bildung", "Language and education"},
        {"arbeit", "Arbeit", "Work"},
        {"wohnen", "Wohnen und Zusammenleben", "Housing and living together"},
        {"jugend", "Jugend und Soziales", "Youth and social affairs"},
        {"gesundheit", "Gesundheit", "Health"},
        {"kultur", "Kultur und Religion", "Culture and religion"},
        {"verwaltung", "Interkulturelle Öffnung der Verwaltung",
         "Intercultural opening of the administration"},
    };
    if (!f || !*f)
        return T(r, "ohne Handlungsfeld", "no action field");
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
        if (!strcmp(f, fields[k].id))
            return r->en ? fields[k].en : fields[k].de;
    return f;
}

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
static char *source_line(struct rs *r, const char *const *expr, size_t nexpr)
{
    struct qtr_map_source *src = calloc(r->cfg->ntables + 1, sizeof *src);
    if (!src)
        return NULL;
    /* the map's date is the reference date of the tables it shows (the MSS tables of a
     * Berlin run are 31.12.2020 while the population is 31.12.2024) */
    char dates[4][32];
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
            if (ts->date) {
                char d[32];
                date_text(r, ts->date, d, sizeof d);
                size_t k = 0;
                while (k < nd && strcmp(dates[k], d))
                    k++;
                if (k == nd && nd < 4)
                    snprintf(dates[nd++], sizeof dates[0], "%s", d);
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

static int emit_map(struct rs *r, const char *stem, struct qtr_map *m, int in_report)
{
    /*
     * maps/<stem>.png, .svg (text as outlines, for Qt/QGIS and office programs), .pdf, and
     * for the HTML a hidden SVG with the text as glyph symbols: browsers render it, and
     * outlines would more than double the page (a map's source line alone is half of it).
     * (Rendering them in parallel with OpenMP was slower on a loaded 2-core machine and
     * leans on fontconfig's locking; they run one after the other.)
     */
    static const struct {
        enum qtr_map_format f;
        const char *name;
        int glyphs;
    } out[4] = {{QTR_MAP_PNG, "%s/%s.png", 0},
                {QTR_MAP_SVG, "%s/%s.svg", 0},
                {QTR_MAP_PDF, "%s/%s.pdf", 0},
                {QTR_MAP_SVG, "%s/.%s.inline.svg", 1}};
    char *path[4] = {NULL, NULL, NULL, NULL};
    struct qtr_error e[4];
    int st[4] = {0, 0, 0, 0};
    int njob = in_report ? 4 : 3, rc = QTR_OK;
    m->shapes = r->shapes;
    if (!m->names) /* caption of an inset (an island far out, qtr_map_extent) */
        m->names = (const char *const *)r->st->layer->name;
    m->nodata_color = m->nodata_solid ? qtr_palette_not_rated() : qtr_palette_nodata();
    if (!m->date)
        m->date = r->map_date[0] ? r->map_date : r->date;
    if (!m->nodata_label)
        m->nodata_label = T(r, "keine Angabe", "no data");
    if (!m->created && r->created[0])
        m->created = r->created;
    if (qtr_qgis_plan_map(r->st->qgis, stem, m->title, m->subtitle, m->legend_title, m->source,
                          m->date, r->err))
        return QTR_ERR_NOMEM;
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
    for (int k = 0; k < njob; k++) {
        struct qtr_map mk = *m;
        mk.svg_glyphs = out[k].glyphs;
        st[k] = qtr_map_render(&mk, out[k].f, path[k], NULL, &e[k]);
    }
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

/* Graduated map of v (NaN = no data) with method/k, limits rounded to `dec` decimals. */
static int graduated_map(struct rs *r, const char *stem, const double *v,
                         enum qtr_class_method meth, size_t k, enum qtr_palette pal, int dec,
                         const char *unit, const char *title, const char *subtitle,
                         const char *legend, const char *source, int in_report)
{
    size_t n = r->shapes->n;
    struct qtr_classes c = {0};
    struct qtr_rgb *col = NULL;
    char **lab = NULL;
    struct qtr_error e = {0};
    int rc = qtr_classify(v, n, meth, k, 1.0, &c, &e);
    if (rc == QTR_ERR_DOMAIN)
        return QTR_OK; /* no value to map: the map is left out, the tables still say so */
    if (rc)
        return qtr_error_set(r->err, rc, "map %s: %s", stem, e.msg);
    if ((rc = qtr_classes_round(&c, v, dec, &e))) {
        rc = qtr_error_set(r->err, rc, "map %s: %s", stem, e.msg);
        goto out;
    }
    col = malloc(c.k * sizeof *col);
    lab = calloc(c.k, sizeof *lab);
    if (!col || !lab || qtr_palette_colors(pal, c.k, col, &e)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < c.k; j++) {
        char buf[128], lo[48], hi[48];
        if (r->en) {
            num(r, c.limits[j], dec, lo, sizeof lo);
            num(r, c.limits[j + 1], dec, hi, sizeof hi);
            snprintf(buf, sizeof buf, "%s – %s%s%s", lo, hi, unit && *unit ? " " : "",
                     unit ? unit : "");
        } else if (qtr_class_label_de(c.limits[j], c.limits[j + 1], dec, unit, buf, sizeof buf)) {
            snprintf(buf, sizeof buf, "?");
        }
        if (!(lab[j] = qtr_strdup(buf))) {
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    struct qtr_map m = {
        .cls = c.cls,
        .nclass = c.k,
        .colors = col,
        .class_labels = (const char *const *)lab,
        .legend_title = legend,
        .title = title,
        .subtitle = subtitle,
        .source = source,
    };
    rc = emit_map(r, stem, &m, in_report);
out:
    if (lab)
        for (size_t j = 0; j < c.k; j++)
            free(lab[j]);
    free(lab);
    free(col);
    qtr_classes_release(&c);
    return rc;
}

/* Categorical map: cls[i] in 0..nclass-1 or -1. */
static int category_map(struct rs *r, const char *stem, const int *cls, size_t nclass,
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
    return emit_map(r, stem, &m, in_report);
}

/* Representative points of the districts, largest first (they get their label first). */
static int make_labels(struct rs *r)
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

/*
 * Outlines of the parent areas ([boundaries] parent: a column, or
 * "prefix:N" = the first N characters of the key), for orientation on the
 * overview map: each parent's districts united with GEOS. *out stays NULL
 * when there is no parent level worth drawing (none configured, one parent,
 * or one parent per district) or GEOS cannot unite them (a warning then).
 */
static int parent_outlines(struct rs *r, double tol, struct qtr_shapes **out, char *what,
                           size_t wsize)
{
    const struct qtr_layer *l = r->st->layer;
    const char *spec = r->cfg->bnd_parent;
    *out = NULL;
    if (!spec || !l->n)
        return QTR_OK;
    size_t n = l->n, prefix = 0;
    long col = -1;
    if (!strncmp(spec, "prefix:", 7)) {
        char *end;
        long v = strtol(spec + 7, &end, 10);
        if (end == spec + 7 || *end || v <= 0)
            return QTR_OK;
        prefix = (size_t)v;
        snprintf(what, wsize, "%s", spec);
    } else {
        col = qtr_table_find_column(l->attrs, spec);
        if (col < 0)
            return QTR_OK;
        snprintf(what, wsize, "%s", spec);
    }
    char **val = calloc(n, sizeof *val);
    size_t *pid = malloc(n * sizeof *pid);
    size_t np = 0;
    struct GEOSGeom_t **united = NULL;
    int rc = QTR_OK;
    if (!val || !pid) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        val[i] = prefix ? qtr_strndup(l->key[i], prefix)
                        : qtr_strdup(qtr_table_cell(l->attrs, i, (size_t)col));
        if (!val[i]) {
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        size_t j = 0;
        while (j < i && strcmp(val[j], val[i]))
            j++;
        pid[i] = j < i ? pid[j] : np++;
    }
    if (np < 2 || np == n)
        goto out;
    size_t failed = 0;
    struct qtr_error ue = {0};
    int urc = qtr_geom_union_groups(r->ctx->geos, (const struct GEOSGeom_t *const *)l->geom, n,
                                    pid, np, &united, &failed, &ue);
    if (urc == QTR_ERR_NOMEM) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (urc) {
        size_t first = 0;
        while (first < n && pid[first] != failed)
            first++;
        qtr_warn(r->ctx,
                 "overview map: the districts of %s '%s' cannot be united (%s); "
                 "drawn without parent outlines",
                 spec, first < n ? val[first] : "?", r->ctx->geos_msg);
        goto out;
    }
    struct qtr_shapes *raw = NULL;
    struct qtr_error e = {0};
    if (qtr_shapes_from_geos(r->ctx->geos, (const struct GEOSGeom_t *const *)united, np, &raw,
                             &e) == QTR_OK) {
        if (qtr_shapes_simplify(raw, tol, out, &e) != QTR_OK)
            *out = NULL;
        qtr_shapes_free(raw);
    } else {
        qtr_warn(r->ctx, "overview map: parent outlines skipped: %s", e.msg);
    }
out:
    if (val)
        for (size_t i = 0; i < n; i++)
            free(val[i]);
    free(val);
    free(pid);
    qtr_geoms_free(r->ctx->geos, united, np);
    return rc;
}

static int overview_map(struct rs *r, double tol)
{
    size_t n = r->shapes->n;
    int *cls = calloc(n ? n : 1, sizeof *cls);
    if (!cls)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    struct qtr_rgb col[1] = {{214, 226, 240}};
    char lab[96], sub[160];
    snprintf(lab, sizeof lab, T(r, "Gebiet (%zu)", "district (%zu)"), n);
    snprintf(sub, sizeof sub,
             T(r, "%zu Gebiete; Namen, soweit sie ohne Überschneidung Platz haben",
               "%zu districts; names where they fit without overlapping"),
             n);
    const char *labs[1] = {lab};
    r->map_date[0] = '\0';
    struct qtr_map_source bnd = {r->cfg->bnd_attribution, r->cfg->bnd_source};
    char *src = qtr_map_source_line(&bnd, 1, r->en);
    char what[160] = "", olab[256];
    int rc = src ? parent_outlines(r, tol, &r->parents, what, sizeof what)
                 : qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    if (!rc) {
        snprintf(
            olab, sizeof olab,
            T(r, "Grenze der übergeordneten Gebiete (%s)", "Boundary of the parent areas (%s)"),
            what);
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
            .overlay_color = {40, 50, 90},
        };
        rc = emit_map(r, "overview", &m, 1);
    }
    free(src);
    free(cls);
    return rc;
}

/* Location quotient classes on a log-symmetric scale around 1 (as common in planning atlases). */
static int lq_map(struct rs *r, const char *gid, const double *lq, const char *source)
{
    static const double lim[] = {0.5, 0.8, 1.25, 2.0};
    size_t n = r->shapes->n;
    int *cls = malloc((n ? n : 1) * sizeof *cls);
    struct qtr_rgb col[5];
    struct qtr_rgb pu[5];
    struct qtr_error e = {0};
    if (!cls || qtr_palette_colors(QTR_PAL_PUOR, 5, pu, &e)) {
        free(cls);
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    /* PuOr runs orange (low) to purple (high): low quotients orange, high purple */
    for (size_t k = 0; k < 5; k++)
        col[k] = pu[k];
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(lq[i])) {
            cls[i] = -1;
            continue;
        }
        int c = 0;
        while (c < 4 && lq[i] >= lim[c])
            c++;
        cls[i] = c;
        any = 1;
    }
    char l0[64], l1[64], l2[64], l3[64], l4[64], a[32], b[32];
    num(r, lim[0], 2, a, sizeof a);
    snprintf(l0, sizeof l0, T(r, "unter %s", "below %s"), a);
    num(r, lim[1], 2, b, sizeof b);
    snprintf(l1, sizeof l1, T(r, "%s bis unter %s", "%s to below %s"), a, b);
    num(r, lim[2], 2, a, sizeof a);
    snprintf(l2, sizeof l2,
             T(r, "%s bis unter %s (etwa wie die Stadt)", "%s to below %s (about as the city)"), b,
             a);
    num(r, lim[3], 2, b, sizeof b);
    snprintf(l3, sizeof l3, T(r, "%s bis unter %s", "%s to below %s"), a, b);
    snprintf(l4, sizeof l4, T(r, "%s und mehr", "%s and more"), b);
    const char *labs[5] = {l0, l1, l2, l3, l4};
    char title[256], stem[96];
    snprintf(title, sizeof title, T(r, "Standortquotient %s", "Location quotient %s"),
             group_label(r, gid));
    snprintf(stem, sizeof stem, "lq_%s", gid);
    int rc = any ? category_map(r, stem, cls, 5, col, labs, title,
                                T(r, "Anteil im Gebiet geteilt durch den Anteil in der Stadt",
                                  "Share in the district divided by the city's share"),
                                T(r, "Standortquotient", "Location quotient"), NULL, source, 0, 1)
                 : QTR_OK;
    free(cls);
    return rc;
}

static int group_maps(struct rs *r, size_t g)
{
    const struct qtr_group_spec *gs = &r->cfg->groups[g];
    if (gs->multigroup_only)
        return QTR_OK;
    char name[160];
    snprintf(name, sizeof name, "%s_share", gs->id);
    const struct qtr_column *sc = qtr_frame_find(r->st->frame, name);
    snprintf(name, sizeof name, "%s_lq", gs->id);
    const struct qtr_column *lc = qtr_frame_find(r->st->frame, name);
    if (!sc || !lc)
        return QTR_OK;
    size_t n = r->shapes->n;
    double *s = malloc((n ? n : 1) * sizeof *s), *q = malloc((n ? n : 1) * sizeof *q);
    const char *ex[2] = {r->cfg->total, gs->column};
    char *src = source_line(r, ex, 2);
    int rc = QTR_OK;
    if (!s || !q || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        s[i] = cell(sc, i);
        q[i] = cell(lc, i);
    }
    char title[256], stem[96];
    snprintf(title, sizeof title, T(r, "Anteil %s", "Share of %s"), group_label(r, gs->id));
    snprintf(stem, sizeof stem, "share_%s", gs->id);
    rc = graduated_map(r, stem, s, QTR_CLASS_QUANTILE, 5, QTR_PAL_BLUES, 1, "%", title,
                       T(r,
                         "in Prozent der Einwohner; Klassen mit gleicher Anzahl Gebiete "
                         "(Quantile)",
                         "percent of residents; classes with equal numbers of districts "
                         "(quantiles)"),
                       T(r, "Anteil", "Share"), src, 1);
    if (!rc)
        rc = lq_map(r, gs->id, q, src);
out:
    free(s);
    free(q);
    free(src);
    return rc;
}

static const char *method_text(const struct rs *r, enum qtr_class_method m)
{
    switch (m) {
    case QTR_CLASS_JENKS:
        return T(r, "natürliche Unterbrechungen (Jenks)", "natural breaks (Jenks)");
    case QTR_CLASS_STDDEV:
        return T(r, "Standardabweichungen", "standard deviations");
    case QTR_CLASS_EQUAL:
        return T(r, "gleiche Intervalle", "equal intervals");
    default:
        return T(r, "gleiche Anzahl Gebiete (Quantile)", "equal counts (quantiles)");
    }
}

static int indicator_map(struct rs *r, size_t k)
{
    const struct qtr_indicator_spec *s = &r->cfg->indicators[k];
    const struct qtr_column *c = r->st->ind_cur ? r->st->ind_cur[k] : NULL;
    if (!c)
        return QTR_OK;
    enum qtr_class_method meth = QTR_CLASS_QUANTILE;
    struct qtr_error e = {0};
    if (s->classification && qtr_class_method_parse(s->classification, &meth, &e))
        return qtr_error_set(r->err, QTR_ERR_USAGE, "[indicator %s] classification: %s", s->id,
                             e.msg);
    size_t nk = s->classes > 0 ? (size_t)s->classes : 5;
    size_t n = r->shapes->n;
    double *v = malloc((n ? n : 1) * sizeof *v);
    const char *ex[1] = {s->expr};
    char *src = source_line(r, ex, s->expr ? 1 : 0);
    char sub[400], stem[96];
    int rc = QTR_OK;
    if (!v || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = c->kind[i] == QTR_CELL_VALUE && isfinite(c->v[i]) ? c->v[i] : NAN;
    snprintf(sub, sizeof sub, "%s %s; %s: %s; %s", T(r, "Handlungsfeld", "Action field"),
             field_label(r, s->field), T(r, "Klassen", "classes"), method_text(r, meth),
             s->higher_worse ? T(r, "hoch = ungünstig", "high = unfavourable")
                             : T(r, "hoch = günstig", "high = favourable"));
    snprintf(stem, sizeof stem, "indicator_%s", s->id);
    rc = graduated_map(r, stem, v, meth, nk, s->higher_worse ? QTR_PAL_ORANGES : QTR_PAL_PURPLES, 1,
                       s->unit, ind_label(r, s), sub,
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
    return source_line(r, ex, m);
}

static int para(struct rs *r, const char *text);

/*
 * The combined status x dynamics map of the MSS 2021 ("Gesamtindex Soziale Ungleichheit"):
 * 12 classes in a bivariate palette (status = lightness, dynamics = hue) with a 4 x 3 grid
 * legend; districts without classes "nicht bewertet". cls is scratch space of n ints.
 */
static int combined_map(struct rs *r, int *cls, const char *src)
{
    const struct qtr_renewal_result *rr = &r->st->renewal;
    enum qtr_lang lang = r->en ? QTR_LANG_EN : QTR_LANG_DE;
    struct qtr_rgb col[QTR_BIV_CLASSES];
    const char *lab[QTR_BIV_CLASSES], *rows[QTR_BIV_STATUS], *cols[QTR_BIV_DYNAMICS];
    for (int k = 1; k <= QTR_BIV_CLASSES; k++) {
        col[k - 1] = qtr_biv_color(k);
        lab[k - 1] = qtr_status_dynamics_name(qtr_biv_status(k), qtr_biv_dynamics(k), lang);
    }
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
    return emit_map(r, "status_dynamics", &m, 1);
}

static int renewal_maps(struct rs *r)
{
    const struct qtr_renewal_result *rr = &r->st->renewal;
    size_t n = r->shapes->n;
    int *cls = malloc((n ? n : 1) * sizeof *cls);
    char *src = renewal_source(r);
    struct qtr_error e = {0};
    int rc = QTR_OK;
    if (!cls || !src) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    enum qtr_lang lang = r->en ? QTR_LANG_EN : QTR_LANG_DE;
    const char *inval = T(r, "nicht bewertet (ungültig)", "not assessed (invalid)");
    /* status: hoch (good) light .. sehr niedrig (bad) dark */
    struct qtr_rgb sc[4];
    qtr_palette_colors(QTR_PAL_ORANGES, 4, sc, &e);
    const char *sl[4];
    for (int c = 0; c < 4; c++)
        sl[c] = qtr_status_class_name(c + 1, lang);
    for (size_t i = 0; i < n; i++)
        cls[i] = rr->status_class[i] ? rr->status_class[i] - 1 : -1;
    rc = category_map(r, "status", cls, 4, sc, sl, T(r, "Statusindex", "Status index"),
                      T(r, "Soziale Lage nach den Statusindikatoren (Klassen wie MSS)",
                        "Social status from the status indicators (classes as in Berlin's "
                        "MSS)"),
                      T(r, "Status", "Status"), inval, src, 0, 1);
    int anydyn = 0;
    for (size_t i = 0; i < n; i++)
        anydyn |= rr->dynamics_class[i] != 0;
    if (!rc && anydyn) {
        /* dynamics: positiv purple, stabil light, negativ orange (PuOr, colour-blind safe) */
        struct qtr_rgb pu[3], dc[3];
        qtr_palette_colors(QTR_PAL_PUOR, 3, pu, &e);
        dc[0] = pu[2];
        dc[1] = pu[1];
        dc[2] = pu[0];
        const char *dl[3];
        for (int c = 0; c < 3; c++)
            dl[c] = qtr_dynamics_class_name(c + 1, lang);
        for (size_t i = 0; i < n; i++)
            cls[i] = rr->dynamics_class[i] ? rr->dynamics_class[i] - 1 : -1;
        rc = category_map(r, "dynamics", cls, 3, dc, dl, T(r, "Dynamikindex", "Dynamics index"),
                          T(r, "Veränderung der Statusindikatoren zwischen den Stichtagen",
                            "Change of the status indicators between the reference dates"),
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
        struct qtr_rgb ac[4] = {{245, 245, 240}, {213, 94, 0}, {230, 159, 0}, {0, 114, 178}};
        const char *al[4] = {
            T(r, "keine besondere Aufmerksamkeit", "no particular attention"),
            T(r, "Status niedrig oder sehr niedrig", "status low or very low"),
            T(r, "Status mittel, Dynamik negativ", "status medium, dynamics negative"),
            T(r, "nach der Regel der Analyse", "by the analysis' rule"),
        };
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
        snprintf(olab, sizeof olab, T(r, "Kandidatengebiet (%s)", "Candidate area (%s)"),
                 r->cand_layer);
        struct qtr_map am = {
            .cls = cls,
            .nclass = nc,
            .colors = ac,
            .class_labels = al,
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
            .overlay_color = {0, 0, 0},
        };
        rc = emit_map(r, "attention", &am, 1);
    }
out:
    free(cls);
    free(src);
    return rc;
}

/*
 * LISA cluster maps from frame columns "<group>_lisa_cluster", written by the
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

static int lisa_maps(struct rs *r, int *any)
{
    size_t n = r->shapes->n;
    *any = 0;
    for (size_t g = 0; g < r->cfg->ngroups; g++) {
        char name[160];
        snprintf(name, sizeof name, "%s_lisa_cluster", r->cfg->groups[g].id);
        const struct qtr_column *c = qtr_frame_find(r->st->frame, name);
        if (!c)
            continue;
        int *cls = malloc((n ? n : 1) * sizeof *cls);
        if (!cls ||
            (!*any && qtr_doc_heading(r->doc, 2, T(r, "Räumliche Cluster", "Spatial clusters")))) {
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
        struct qtr_rgb col[5];
        for (int k = 0; k < 5; k++)
            col[k] = qtr_palette_lisa(k);
        const char *lab[5] = {T(r, "nicht signifikant", "not significant"),
                              T(r, "Hoch-Hoch", "High-High"), T(r, "Niedrig-Niedrig", "Low-Low"),
                              T(r, "Niedrig-Hoch", "Low-High"), T(r, "Hoch-Niedrig", "High-Low")};
        char title[256], stem[96];
        snprintf(title, sizeof title,
                 T(r, "Räumliche Cluster (LISA): %s", "Spatial clusters (LISA): %s"),
                 group_label(r, r->cfg->groups[g].id));
        snprintf(stem, sizeof stem, "lisa_%s", r->cfg->groups[g].id);
        const char *ex[2] = {r->cfg->total, r->cfg->groups[g].column};
        char *src = source_line(r, ex, 2);
        int rc = src ? category_map(r, stem, cls, 5, col, lab, title,
                                    T(r, "Lokaler Moran-Test des Anteils (Anselin 1995)",
                                      "Local Moran test of the share (Anselin 1995)"),
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

/* ---- text ----------------------------------------------------------------- */

#define ADD(call)                                                                                  \
    do {                                                                                           \
        if ((call))                                                                                \
            return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory writing the report");       \
    } while (0)

static int para(struct rs *r, const char *text)
{
    ADD(qtr_doc_para(r->doc, QTR_DOC_PARA, text));
    return QTR_OK;
}

static int note(struct rs *r, const char *text)
{
    ADD(qtr_doc_para(r->doc, QTR_DOC_NOTE, text));
    return QTR_OK;
}

static const struct qtr_index_value *find_index(const struct rs *r, const char *name,
                                                const char *group)
{
    for (size_t i = 0; i < r->st->nindices; i++) {
        const struct qtr_index_value *v = &r->st->indices[i];
        if (!strcmp(v->name, name) && !strcmp(v->group, group) && v->status == QTR_OK)
            return v;
    }
    return NULL;
}

static const struct qtr_change_row *find_change(const struct rs *r, const char *index,
                                                const char *group)
{
    for (size_t i = 0; i < r->st->nchanges; i++) {
        const struct qtr_change_row *c = &r->st->changes[i];
        if (!strcmp(c->index, index) && !strcmp(c->group, group) && !c->component[0])
            return c;
    }
    return NULL;
}

/* Names labels.c does not know yet; qtr_index_label returns the name itself then. */
static const char *index_short(const struct rs *r, const char *name)
{
    static const struct {
        const char *name, *de, *en;
    } more[] = {
        {"min_max", "Min-Max-Index (O'Sullivan und Wong)", "Min-max index (O'Sullivan and Wong)"},
        {"concentration_profile", "Konzentrationsprofil R (Hong und Sadahiro)",
         "Concentration profile R (Hong and Sadahiro)"},
        {"modified_dissimilarity", "D, zufallsbereinigt (Carrington und Troske)",
         "D, adjusted for randomness (Carrington and Troske)"},
        {"modified_gini", "Gini, zufallsbereinigt (Carrington und Troske)",
         "Gini, adjusted for randomness (Carrington and Troske)"},
        {"bias_corrected_dissimilarity", "D, verzerrungskorrigiert (Allen u. a.)",
         "D, bias-corrected (Allen et al.)"},
        {"density_corrected_dissimilarity", "D, dichtekorrigiert (Allen u. a.)",
         "D, density-corrected (Allen et al.)"},
        {"delta", "Hoovers Delta (Konzentration)", "Hoover's delta (concentration)"},
        {"absolute_concentration", "Absolute Konzentration", "Absolute concentration"},
        {"relative_concentration", "Relative Konzentration", "Relative concentration"},
        {"absolute_centralization", "Absolute Zentralisierung", "Absolute centralization"},
        {"relative_centralization", "Relative Zentralisierung", "Relative centralization"},
        {"proportion_central", "Anteil im Zentrum", "Proportion in the centre"},
        {"multigroup_gini", "Mehrgruppen-Gini", "Multigroup Gini"},
        {"multigroup_normalized_exposure", "Mehrgruppen-Kontakt (normiert, Reardon und Firebaugh)",
         "Multigroup normalized exposure (Reardon and Firebaugh)"},
        {"multigroup_relative_diversity", "Relative Vielfalt (Carlson)",
         "Relative diversity (Carlson)"},
        {"multigroup_squared_cv", "Quadrierter Variationskoeffizient",
         "Squared coefficient of variation"},
        {"multigroup_divergence", "Divergenz (Roberto)", "Divergence (Roberto)"},
        {"multigroup_diversity", "Vielfalt der Stadt (Entropie)",
         "Diversity of the city (entropy)"},
        {"multigroup_diversity_normalized", "Vielfalt der Stadt (normiert)",
         "Diversity of the city (normalized)"},
        {"simpsons_interaction", "Simpson-Interaktion", "Simpson's interaction"},
        {"simpsons_concentration", "Simpson-Konzentration", "Simpson's concentration"},
        {"global_distortion", "Globale Verzerrung (Olteanu u. a.)",
         "Global distortion (Olteanu et al.)"},
    };
    const char *l = qtr_index_label(name, r->en);
    if (l != name)
        return l;
    for (size_t k = 0; k < sizeof more / sizeof more[0]; k++)
        if (!strcmp(name, more[k].name))
            return r->en ? more[k].en : more[k].de;
    return name;
}

/* The indices of the main table; all others go to the annex. */
static int is_core_index(const char *name)
{
    static const char *const core[] = {"dissimilarity",
                                       "gini",
                                       "entropy",
                                       "isolation",
                                       "exposure",
                                       "atkinson_b05",
                                       "mutual_information",
                                       "multigroup_dissimilarity",
                                       "multigroup_entropy"};
    for (size_t k = 0; k < sizeof core / sizeof core[0]; k++)
        if (!strcmp(name, core[k]))
            return 1;
    return 0;
}

static void ci_text(const struct rs *r, double lo, double hi, int dec, char *buf, size_t size)
{
    char a[32], b[32];
    if (!isfinite(lo) || !isfinite(hi)) {
        snprintf(buf, size, "–");
        return;
    }
    /* one more decimal when the rounded limits would coincide */
    for (int d = dec; d <= dec + 2; d++) {
        num(r, lo, d, a, sizeof a);
        num(r, hi, d, b, sizeof b);
        if (strcmp(a, b))
            break;
    }
    snprintf(buf, size, "%s – %s", a, b);
}

static int index_table(struct rs *r, const char *caption, int core)
{
    const struct qtr_state *st = r->st;
    const char *head[6] = {T(r, "Index", "Index"),
                           T(r, "Gruppe", "Group"),
                           T(r, "Wert", "Value"),
                           T(r, "95-%-Intervall", "95% interval"),
                           T(r, "Zufallserwartung", "Random expectation"),
                           "p"};
    const unsigned char nm[6] = {0, 0, 1, 1, 1, 1};
    ADD(qtr_doc_table(r->doc, caption, 6, head, nm));
    for (size_t i = 0; i < st->nindices; i++) {
        const struct qtr_index_value *v = &st->indices[i];
        if (v->status != QTR_OK || (core && !is_core_index(v->name)))
            continue;
        char val[32], ci[80], ex[32], p[32];
        num(r, v->value, 3, val, sizeof val);
        ci_text(r, v->ci_low, v->ci_high, 3, ci, sizeof ci);
        num(r, v->expected, 3, ex, sizeof ex);
        pval(r, v->p_value, p, sizeof p);
        const char *cells[6] = {index_short(r, v->name),
                                v->group[0] ? group_label(r, v->group)
                                            : T(r, "alle Gruppen", "all groups"),
                                val,
                                ci,
                                ex,
                                p};
        ADD(qtr_doc_row(r->doc, cells));
    }
    return QTR_OK;
}

/* Plain-language paragraph on the dissimilarity index of one group. */
static int group_summary(struct rs *r, const struct qtr_group_spec *g, int first, struct qtr_buf *b)
{
    const struct qtr_index_value *d = find_index(r, "dissimilarity", g->id);
    if (!d)
        return QTR_OK;
    char v[32], p[200], pct[32];
    num(r, d->value, 2, v, sizeof v);
    qtr_buf_printf(
        b,
        T(r, "Der Segregationsindex D für %s beträgt %s", "The dissimilarity index D for %s is %s"),
        group_label(r, g->id), v);
    if (isfinite(d->ci_low) && isfinite(d->ci_high)) {
        char ci[96];
        ci_text(r, d->ci_low, d->ci_high, 2, ci, sizeof ci);
        qtr_buf_printf(b, T(r, " (95-%%-Intervall %s)", " (95%% interval %s)"), ci);
    }
    if (isfinite(d->p_value)) {
        ptext(r, d->p_value, p, sizeof p);
        if (d->p_value <= 0.05 && d->value > d->expected)
            qtr_buf_printf(b,
                           T(r, "; das ist deutlich mehr als bei zufälliger Verteilung (%s)",
                             "; that is clearly more than under a random distribution (%s)"),
                           p);
        else
            qtr_buf_printf(b,
                           T(r,
                             "; das unterscheidet sich nicht deutlich von einer zufälligen "
                             "Verteilung (%s)",
                             "; that does not differ clearly from a random distribution (%s)"),
                           p);
    }
    num(r, 100 * d->value, 0, pct, sizeof pct);
    const char *level = d->value < 0.3   ? T(r, "gering", "low")
                        : d->value < 0.6 ? T(r, "mäßig", "moderate")
                                         : T(r, "hoch", "high");
    if (!first) {
        qtr_buf_printf(
            b, T(r, "; rund %s %% müssten umziehen (%s).", "; about %s%% would have to move (%s)."),
            pct, level);
    } else {
        qtr_buf_printf(b,
                       T(r,
                         ". Anschaulich: rund %s %% von ihnen müssten in ein anderes Gebiet "
                         "ziehen, damit sie überall so verteilt wären wie die übrige Bevölkerung",
                         ". Put simply: about %s%% of them would have to move to another district "
                         "to be distributed like the rest of the population"),
                       pct);
        qtr_buf_printf(b,
                       T(r, "; nach der üblichen Einteilung ist das %s.",
                         "; by the usual convention that is %s."),
                       level);
    }
    const struct qtr_change_row *c = find_change(r, "dissimilarity", g->id);
    if (c && isfinite(c->difference) && r->prev_date[0]) {
        char dd[32];
        double ad = fabs(c->difference);
        num(r, ad, ad < 0.01 ? 3 : 2, dd, sizeof dd);
        const char *dir =
            c->difference < 0 ? T(r, "gesunken", "fallen") : T(r, "gestiegen", "risen");
        if (isfinite(c->p_value)) {
            ptext(r, c->p_value, p, sizeof p);
            qtr_buf_printf(
                b, T(r, " Seit dem %s ist er um %s %s (%s); ", " Since %s it has %s by %s (%s); "),
                r->prev_date, r->en ? dir : dd, r->en ? dd : dir, p);
            qtr_buf_puts(b, c->p_value <= 0.05 ? T(r, "die Veränderung ist statistisch gesichert.",
                                                   "the change is statistically significant.")
                                               : T(r, "die Veränderung kann auch zufällig sein.",
                                                   "the change may be due to chance."));
        } else {
            qtr_buf_printf(b, T(r, " Seit dem %s ist er um %s %s.", " Since %s it has %s by %s."),
                           r->prev_date, r->en ? dir : dd, r->en ? dd : dir);
        }
    }
    /* where the group lives most */
    char name[160];
    snprintf(name, sizeof name, "%s_share", g->id);
    const struct qtr_column *sc = qtr_frame_find(r->st->frame, name);
    if (sc) {
        size_t best = (size_t)-1;
        for (size_t i = 0; i < r->st->frame->n; i++)
            if (r->st->usable && r->st->usable[i] && isfinite(cell(sc, i)) &&
                (best == (size_t)-1 || cell(sc, i) > cell(sc, best)))
                best = i;
        if (best != (size_t)-1) {
            char s[32];
            num(r, cell(sc, best), 1, s, sizeof s);
            qtr_buf_printf(
                b,
                T(r, " Den höchsten Anteil hat %s (%s %%).", " The highest share is in %s (%s%%)."),
                r->st->frame->name[best] && *r->st->frame->name[best] ? r->st->frame->name[best]
                                                                      : r->st->frame->key[best],
                s);
        }
    }
    return QTR_OK;
}

static const char *component_label(const struct rs *r, const char *c)
{
    static const struct {
        const char *id, *de, *en;
    } comp[] = {
        {"additions", "hinzugekommene Gebiete", "districts added"},
        {"removals", "weggefallene Gebiete", "districts removed"},
        {"district_composition", "veränderte Größe der Gebiete", "changed size of the districts"},
        {"group_composition", "veränderte Größe der Gruppen", "changed size of the groups"},
        {"distribution", "veränderte Verteilung (eigentliche Segregation)",
         "changed distribution (segregation proper)"},
    };
    for (size_t k = 0; k < sizeof comp / sizeof comp[0]; k++)
        if (!strcmp(c, comp[k].id))
            return r->en ? comp[k].en : comp[k].de;
    return c;
}

static int summary(struct rs *r)
{
    const struct qtr_state *st = r->st;
    const struct qtr_config *cfg = r->cfg;
    struct qtr_buf b = {0};
    int rc = QTR_OK;
    ADD(qtr_doc_heading(r->doc, 1, T(r, "Zusammenfassung", "Summary")));
    size_t n = st->frame->n;
    qtr_buf_printf(&b,
                   T(r,
                     "Ausgewertet wurden %zu Gebiete zum Stichtag %s; %zu davon gehen in die "
                     "Segregationsindizes ein",
                     "The analysis covers %zu districts on %s; %zu of them enter the "
                     "segregation indices"),
                   n, r->cur_date, st->nusable);
    if (n > st->nusable)
        qtr_buf_printf(&b,
                       T(r, " (%zu ausgeschlossen, siehe Methodenanhang).",
                         " (%zu excluded, see the methods annex)."),
                       n - st->nusable);
    else
        qtr_buf_puts(&b, ".");
    if (!b.data || (rc = para(r, b.data)))
        goto out;
    size_t shown = 0;
    for (size_t g = 0; g < cfg->ngroups; g++) {
        b.len = 0;
        if ((rc = group_summary(r, &cfg->groups[g], shown == 0, &b)))
            goto out;
        if (b.len && (rc = para(r, b.data)))
            goto out;
        shown += b.len > 0;
    }
    const struct qtr_index_value *m = find_index(r, "mutual_information", "");
    if (m) {
        char v[32];
        b.len = 0;
        num(r, m->value, 3, v, sizeof v);
        qtr_buf_printf(&b,
                       T(r,
                         "Über alle Gruppen der Mehrgruppen-Analyse zusammen beträgt der "
                         "Index M (Mutual Information) %s; 0 hieße, dass jedes Gebiet die "
                         "Zusammensetzung der ganzen Stadt hat.",
                         "Across all groups of the multigroup analysis the mutual information "
                         "index M is %s; 0 would mean every district has the composition of "
                         "the whole city."),
                       v);
        const struct qtr_change_row *c = find_change(r, "mutual_information", "");
        if (c && isfinite(c->difference)) {
            const struct qtr_change_row *big = NULL;
            for (size_t i = 0; i < st->nchanges; i++) {
                const struct qtr_change_row *x = &st->changes[i];
                if (!strcmp(x->index, "mutual_information") && x->component[0] &&
                    isfinite(x->difference) &&
                    (!big || fabs(x->difference) > fabs(big->difference)))
                    big = x;
            }
            char d[32];
            num(r, fabs(c->difference), 3, d, sizeof d);
            qtr_buf_printf(&b, T(r, " Seit dem %s ist M um %s %s", " Since %s M has %s by %s"),
                           r->prev_date, r->en ? (c->difference < 0 ? "fallen" : "risen") : d,
                           r->en ? d : (c->difference < 0 ? "gesunken" : "gestiegen"));
            if (big)
                qtr_buf_printf(&b,
                               T(r, "; den größten Beitrag hat: %s.", "; the largest part is: %s."),
                               component_label(r, big->component));
            else
                qtr_buf_puts(&b, ".");
        }
        if ((rc = para(r, b.data)))
            goto out;
    }
    if (st->renewal_done) {
        const struct qtr_renewal_result *rr = &st->renewal;
        size_t na = 0, ns = 0, nd = 0;
        for (size_t i = 0; i < rr->n; i++) {
            if (!rr->attention[i])
                continue;
            na++;
            if (rr->status_class[i] == QTR_STATUS_NIEDRIG ||
                rr->status_class[i] == QTR_STATUS_SEHR_NIEDRIG)
                ns++;
            else if (rr->status_class[i] == QTR_STATUS_MITTEL &&
                     rr->dynamics_class[i] == QTR_DYN_NEGATIV)
                nd++;
        }
        b.len = 0;
        qtr_buf_printf(&b,
                       T(r,
                         "Besondere Aufmerksamkeit brauchen %zu von %zu bewerteten Gebieten: "
                         "%zu mit niedrigem oder sehr niedrigem Status, %zu mit mittlerem "
                         "Status und negativer Dynamik.",
                         "%zu of %zu assessed districts need particular attention: %zu with low "
                         "or very low status, %zu with medium status and negative dynamics."),
                       na, rr->nvalid, ns, nd);
        /* the three with the highest (worst) status index */
        size_t top[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
        for (size_t i = 0; i < rr->n; i++) {
            if (!rr->attention[i] || !isfinite(rr->status_index[i]))
                continue;
            for (int k = 0; k < 3; k++)
                if (top[k] == (size_t)-1 || rr->status_index[i] > rr->status_index[top[k]]) {
                    for (int j = 2; j > k; j--)
                        top[j] = top[j - 1];
                    top[k] = i;
                    break;
                }
        }
        if (top[0] != (size_t)-1) {
            qtr_buf_puts(&b, T(r, " Am ungünstigsten ist der Status in ", " Status is worst in "));
            for (int k = 0; k < 3 && top[k] != (size_t)-1; k++) {
                const char *nm = st->frame->name[top[k]];
                qtr_buf_printf(&b, "%s%s", k ? ", " : "", nm && *nm ? nm : st->frame->key[top[k]]);
            }
            qtr_buf_puts(&b, ".");
        }
        if ((rc = para(r, b.data)))
            goto out;
    }
    if (st->ngoals) {
        size_t cnt[4] = {0};
        for (size_t i = 0; i < st->ngoals; i++)
            cnt[st->goals[i].state >= 0 && st->goals[i].state < 4 ? st->goals[i].state : 0]++;
        b.len = 0;
        qtr_buf_printf(&b,
                       T(r,
                         "Von %zu Zielen sind %zu erreicht, %zu auf Kurs und %zu nicht auf "
                         "Kurs",
                         "Of %zu targets, %zu are met, %zu on track and %zu off track"),
                       st->ngoals, cnt[QTR_GOAL_MET], cnt[QTR_GOAL_ON_TRACK],
                       cnt[QTR_GOAL_OFF_TRACK]);
        if (cnt[QTR_GOAL_UNKNOWN])
            qtr_buf_printf(&b, T(r, "; bei %zu fehlen Werte.", "; %zu lack values."),
                           cnt[QTR_GOAL_UNKNOWN]);
        else
            qtr_buf_puts(&b, ".");
        if ((rc = para(r, b.data)))
            goto out;
    }
    b.len = 0;
    size_t w = qtr_report_warnings(&st->report);
    qtr_buf_printf(&b,
                   T(r,
                     "Beim Zusammenführen der Tabellen mit den Gebieten gab es %zu Warnungen "
                     "und %zu Hinweise (Abschnitt Datenqualität).",
                     "Joining the tables to the districts gave %zu warnings and %zu notes (see "
                     "Data quality)."),
                   w, st->report.n - w);
    rc = para(r, b.data);
out:
    qtr_buf_release(&b);
    return rc;
}

static int indices_section(struct rs *r)
{
    int rc;
    ADD(qtr_doc_heading(r->doc, 1, T(r, "Segregation in der Stadt", "Segregation citywide")));
    if ((rc = para(r, T(r,
                        "Segregationsindizes messen, wie ungleich eine Gruppe über die Gebiete "
                        "verteilt ist. Der Dissimilaritätsindex D (0 bis 1) gibt den Anteil "
                        "der Gruppe an, der umziehen müsste, damit sie überall gleich "
                        "vertreten wäre. Der Isolationsindex ist die Wahrscheinlichkeit, dass "
                        "ein Nachbar im selben Gebiet derselben Gruppe angehört; der "
                        "Kontaktindex die Wahrscheinlichkeit, dass er der übrigen Bevölkerung "
                        "angehört. Das 95-%-Intervall zeigt, wie genau der Wert bestimmt ist "
                        "(Zufallsschwankung innerhalb der Gebiete); der p-Wert, wie "
                        "wahrscheinlich ein mindestens so hoher Wert wäre, wenn die Einwohner "
                        "zufällig auf die Gebiete verteilt wären. Auch bei zufälliger "
                        "Verteilung sind die Indizes etwas größer als 0 (Spalte "
                        "„Zufallserwartung“).",
                        "Segregation indices measure how unevenly a group is spread over the "
                        "districts. The dissimilarity index D (0 to 1) is the share of the group "
                        "that would have to move for it to be equally represented everywhere. "
                        "The isolation index is the probability that a neighbour in the same "
                        "district belongs to the same group; the exposure index, that the "
                        "neighbour belongs to the rest of the population. The 95% interval "
                        "shows how precisely the value is known (chance variation within the "
                        "districts); the p-value, how likely a value at least as high would be "
                        "if residents were allocated to districts at random. Even a random "
                        "allocation gives values slightly above 0 (column 'random "
                        "expectation')."))))
        return rc;
    if ((rc = index_table(r,
                          T(r, "Stadtweite Indizes (Auswahl; alle im Methodenanhang)",
                            "Citywide indices (selection; all in the methods annex)"),
                          1)))
        return rc;
    char buf[400];
    snprintf(buf, sizeof buf,
             T(r,
               "p-Werte aus %u zufälligen Verteilungen der Einwohner auf die Gebiete "
               "(Startwert %llu); „–“: nicht berechnet. Indizes, die für diese Daten nicht "
               "definiert sind, stehen im Methodenanhang.",
               "p-values from %u random allocations of the residents to the districts (seed "
               "%llu); '–': not computed. Indices not defined for these data are listed in the "
               "methods annex."),
             r->cfg->permutations, (unsigned long long)r->cfg->seed);
    if (r->cfg->permutations == 0)
        snprintf(buf, sizeof buf, "%s",
                 T(r,
                   "Punktschätzungen ohne p-Werte und Intervalle (permutations = 0: keine "
                   "Simulation); die durch Simulation definierten Indizes fehlen. Indizes, "
                   "die für diese Daten nicht definiert sind, stehen im Methodenanhang.",
                   "Point estimates without p-values or intervals (permutations = 0: no "
                   "simulation); the indices defined by simulation are left out. Indices not "
                   "defined for these data are listed in the methods annex."));
    if ((rc = note(r, buf)))
        return rc;
    /* maps of each group's share and location quotient */
    for (size_t g = 0; g < r->cfg->ngroups; g++) {
        if (r->cfg->groups[g].multigroup_only)
            continue;
        char h[256];
        snprintf(h, sizeof h, "%s", group_label(r, r->cfg->groups[g].id));
        ADD(qtr_doc_heading(r->doc, 2, h));
        if ((rc = group_maps(r, g)))
            return rc;
    }
    int any = 0;
    if ((rc = lisa_maps(r, &any)))
        return rc;
    return QTR_OK;
}

static int change_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    if (!st->nchanges)
        return QTR_OK;
    int rc;
    char h[200];
    snprintf(h, sizeof h, T(r, "Veränderung seit dem %s", "Change since %s"), r->prev_date);
    ADD(qtr_doc_heading(r->doc, 1, h));
    if ((rc = para(r, T(r,
                        "Die Indizes wurden für beide Stichtage über dieselben Gebiete "
                        "berechnet. Der p-Wert prüft, ob die Veränderung größer ist, als wenn "
                        "die Einwohner zufällig einem der beiden Stichtage zugeordnet wären "
                        "(zweiseitiger Test). Die Veränderung von M wird nach Elbers (2021) "
                        "in Beiträge zerlegt.",
                        "The indices were computed at both dates over the same districts. The "
                        "p-value tests whether the change is larger than if residents were "
                        "assigned to either date at random (two-sided). The change of M is "
                        "split into contributions after Elbers (2021)."))))
        return rc;
    const char *head[7] = {T(r, "Index", "Index"),
                           T(r, "Gruppe", "Group"),
                           r->prev_date,
                           r->cur_date,
                           T(r, "Veränderung", "Change"),
                           T(r, "Zufallserwartung", "Random expectation"),
                           "p"};
    const unsigned char nm[7] = {0, 0, 1, 1, 1, 1, 1};
    ADD(qtr_doc_table(r->doc, T(r, "Indizes an beiden Stichtagen", "Indices at both dates"), 7,
                      head, nm));
    for (size_t i = 0; i < st->nchanges; i++) {
        const struct qtr_change_row *c = &st->changes[i];
        if (c->component[0])
            continue;
        char a[32], b[32], d[32], e[32], p[32];
        num(r, c->previous, 3, a, sizeof a);
        num(r, c->current, 3, b, sizeof b);
        num(r, c->difference, 4, d, sizeof d);
        num(r, c->expected, 4, e, sizeof e);
        pval(r, c->p_value, p, sizeof p);
        const char *cells[7] = {index_short(r, c->index),
                                c->group[0] ? group_label(r, c->group)
                                            : T(r, "alle Gruppen", "all groups"),
                                a,
                                b,
                                d,
                                e,
                                p};
        ADD(qtr_doc_row(r->doc, cells));
    }
    int comps = 0;
    for (size_t i = 0; i < st->nchanges; i++)
        comps |= st->changes[i].component[0] != 0;
    if (comps) {
        const char *h2[2] = {T(r, "Beitrag", "Contribution"),
                             T(r, "Veränderung von M", "Change of M")};
        const unsigned char n2[2] = {0, 1};
        ADD(qtr_doc_table(r->doc,
                          T(r, "Zerlegung der Veränderung von M (Shapley, Elbers 2021)",
                            "Decomposition of the change of M (Shapley, Elbers 2021)"),
                          2, h2, n2));
        for (size_t i = 0; i < st->nchanges; i++) {
            const struct qtr_change_row *c = &st->changes[i];
            if (!c->component[0])
                continue;
            char d[32];
            num(r, c->difference, 4, d, sizeof d);
            const char *cells[2] = {component_label(r, c->component), d};
            ADD(qtr_doc_row(r->doc, cells));
        }
    }
    for (size_t i = 0; i < st->nchanges; i++)
        if (!st->changes[i].component[0] && st->changes[i].note[0]) {
            if ((rc = note(r, st->changes[i].note)))
                return rc;
            break;
        }
    return QTR_OK;
}

static int renewal_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    if (!st->renewal_done)
        return QTR_OK;
    const struct qtr_renewal_result *rr = &st->renewal;
    enum qtr_lang lang = r->en ? QTR_LANG_EN : QTR_LANG_DE;
    int rc;
    ADD(qtr_doc_heading(r->doc, 1,
                        T(r, "Gebiete mit besonderem Aufmerksamkeitsbedarf",
                          "Districts needing particular attention")));
    char buf[900];
    char t0[16], t1[16], t2[16], d0[16], d1[16];
    num(r, r->cfg->status_thresholds[0], 1, t0, sizeof t0);
    num(r, r->cfg->status_thresholds[1], 1, t1, sizeof t1);
    num(r, r->cfg->status_thresholds[2], 1, t2, sizeof t2);
    num(r, r->cfg->dynamics_thresholds[0], 1, d0, sizeof d0);
    num(r, r->cfg->dynamics_thresholds[1], 1, d1, sizeof d1);
    snprintf(buf, sizeof buf,
             T(r,
               "Nach dem Verfahren des Berliner Monitorings Soziale Stadtentwicklung werden "
               "die Statusindikatoren standardisiert und zu einem Statusindex addiert, ihre "
               "Veränderungen ebenso zu einem Dynamikindex. Klassen: Status hoch unter %s, "
               "mittel bis %s, niedrig bis %s, sehr niedrig darüber; Dynamik positiv unter "
               "%s, stabil bis %s, negativ darüber (in Standardabweichungen, hoch = "
               "ungünstig). Besondere Aufmerksamkeit brauchen Gebiete mit niedrigem oder "
               "sehr niedrigem Status und Gebiete mit mittlerem Status und negativer "
               "Dynamik.",
               "Following Berlin's Monitoring Soziale Stadtentwicklung, the status indicators "
               "are standardised and added up to a status index, their changes to a dynamics "
               "index. Classes: status high below %s, medium up to %s, low up to %s, very low "
               "above; dynamics positive below %s, stable up to %s, negative above (in standard "
               "deviations, high = unfavourable). Districts with low or very low status and "
               "districts with medium status and negative dynamics need particular "
               "attention."),
             t0, t1, t2, d0, d1);
    if ((rc = para(r, buf)))
        return rc;
    /* status x dynamics counts */
    size_t cnt[5][4] = {{0}};
    for (size_t i = 0; i < rr->n; i++)
        if (rr->validity[i] == QTR_RENEWAL_VALID && rr->status_class[i] <= 4 &&
            rr->dynamics_class[i] <= 3)
            cnt[rr->status_class[i]][rr->dynamics_class[i]]++;
    int anydyn = 0;
    for (size_t i = 0; i < rr->n; i++)
        anydyn |= rr->dynamics_class[i] != 0;
    if (!anydyn) { /* one date: no dynamics columns full of zeros */
        const char *h2[2] = {T(r, "Status", "Status"), T(r, "Gebiete", "Districts")};
        const unsigned char n2[2] = {0, 1};
        ADD(qtr_doc_table(r->doc, T(r, "Gebiete nach Status", "Districts by status"), 2, h2, n2));
        for (int s = 1; s <= 4; s++) {
            char a[16];
            snprintf(a, sizeof a, "%zu", cnt[s][0]);
            const char *cells[2] = {qtr_status_class_name(s, lang), a};
            ADD(qtr_doc_row(r->doc, cells));
        }
    }
    const char *hd[5] = {T(r, "Status", "Status"), qtr_dynamics_class_name(1, lang),
                         qtr_dynamics_class_name(2, lang), qtr_dynamics_class_name(3, lang),
                         T(r, "zusammen", "total")};
    const unsigned char hn[5] = {0, 1, 1, 1, 1};
    if (anydyn)
        ADD(qtr_doc_table(
            r->doc, T(r, "Gebiete nach Status und Dynamik", "Districts by status and dynamics"), 5,
            hd, hn));
    for (int s = 1; anydyn && s <= 4; s++) {
        char a[3][16], tot[16];
        size_t sum = cnt[s][0];
        for (int d = 1; d <= 3; d++) {
            snprintf(a[d - 1], sizeof a[d - 1], "%zu", cnt[s][d]);
            sum += cnt[s][d];
        }
        snprintf(tot, sizeof tot, "%zu", sum);
        const char *cells[5] = {qtr_status_class_name(s, lang), a[0], a[1], a[2], tot};
        ADD(qtr_doc_row(r->doc, cells));
    }
    if ((rc = renewal_maps(r)))
        return rc;
    const char *ah[5] = {T(r, "Nr.", "No."), T(r, "Gebiet", "District"), T(r, "Gruppe", "Group"),
                         T(r, "Statusindex", "Status index"), T(r, "Begründung", "Reason")};
    const unsigned char an[5] = {0, 0, 0, 1, 0};
    ADD(qtr_doc_table(r->doc,
                      T(r, "Gebiete mit besonderem Aufmerksamkeitsbedarf",
                        "Districts needing particular attention"),
                      5, ah, an));
    /* worst status first */
    size_t n = rr->n, na = 0;
    size_t *ord = malloc((n ? n : 1) * sizeof *ord);
    if (!ord)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (rr->attention[i])
            ord[na++] = i;
    for (size_t i = 1; i < na; i++) {
        size_t v = ord[i], j = i;
        double x = isfinite(rr->status_index[v]) ? rr->status_index[v] : -INFINITY;
        while (j > 0 && (isfinite(rr->status_index[ord[j - 1]]) ? rr->status_index[ord[j - 1]]
                                                                : -INFINITY) < x) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = v;
    }
    rc = QTR_OK;
    for (size_t k = 0; k < na && !rc; k++) {
        size_t i = ord[k];
        char si[32];
        num(r, rr->status_index[i], 2, si, sizeof si);
        const char *cells[5] = {st->frame->key[i], st->frame->name[i], rr->group_label[i], si,
                                rr->reason ? rr->reason[i] : ""};
        if (qtr_doc_row(r->doc, cells))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    free(ord);
    if (rc)
        return rc;
    if (!na && (rc = para(r, T(r, "Kein Gebiet erfüllt die Aufmerksamkeitsregel.",
                               "No district meets the attention rule."))))
        return rc;
    return note(r, T(r,
                     "Gruppe: Status (1 hoch bis 4 sehr niedrig) und Dynamik (+ positiv, +/- "
                     "stabil, - negativ) wie im MSS.",
                     "Group: status (1 high to 4 very low) and dynamics (+ positive, +/- "
                     "stable, - negative) as in the MSS."));
}

static int indicators_section(struct rs *r)
{
    const struct qtr_config *cfg = r->cfg;
    if (!cfg->nindicators || !r->st->ind_cur)
        return QTR_OK;
    int rc;
    ADD(qtr_doc_heading(r->doc, 1,
                        T(r, "Indikatoren nach Handlungsfeldern", "Indicators by action field")));
    const char *head[7] = {T(r, "Indikator", "Indicator"),
                           T(r, "Handlungsfeld", "Action field"),
                           T(r, "Minimum", "Minimum"),
                           T(r, "Median", "Median"),
                           T(r, "Maximum", "Maximum"),
                           T(r, "ohne Wert", "no value"),
                           T(r, "Gewicht Status/Dynamik", "Weight status/dynamics")};
    const unsigned char nm[7] = {0, 0, 1, 1, 1, 1, 1};
    ADD(qtr_doc_table(r->doc,
                      T(r, "Indikatoren über die Gebiete", "Indicators across the districts"), 7,
                      head, nm));
    size_t n = r->st->frame->n;
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    rc = QTR_OK;
    for (size_t k = 0; k < cfg->nindicators && !rc; k++) {
        const struct qtr_indicator_spec *s = &cfg->indicators[k];
        const struct qtr_column *c = r->st->ind_cur[k];
        size_t m = 0;
        for (size_t i = 0; c && i < n; i++)
            if (c->kind[i] == QTR_CELL_VALUE && isfinite(c->v[i]))
                v[m++] = c->v[i];
        /* insertion sort is fine for a few hundred districts */
        for (size_t i = 1; i < m; i++) {
            double x = v[i];
            size_t j = i;
            while (j > 0 && v[j - 1] > x) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        char lo[32], med[32], hi[32], miss[32], w[64], a[16], b[16], lab[300];
        num(r, m ? v[0] : NAN, 1, lo, sizeof lo);
        num(r, m ? (m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2) : NAN, 1, med, sizeof med);
        num(r, m ? v[m - 1] : NAN, 1, hi, sizeof hi);
        snprintf(miss, sizeof miss, "%zu", n - m);
        num(r, s->status_weight, 1, a, sizeof a);
        num(r, s->dynamics_weight, 1, b, sizeof b);
        snprintf(w, sizeof w, "%s / %s", a, b);
        snprintf(lab, sizeof lab, "%s%s%s%s", ind_label(r, s), s->unit && *s->unit ? " (" : "",
                 s->unit && *s->unit ? s->unit : "", s->unit && *s->unit ? ")" : "");
        const char *cells[7] = {lab, field_label(r, s->field), lo, med, hi, miss, w};
        if (qtr_doc_row(r->doc, cells))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    free(v);
    if (rc)
        return rc;
    if ((rc = note(r, T(r,
                        "„ohne Wert“: Gebiete, in denen eine Eingangszahl fehlt oder geheim "
                        "gehalten ist; sie werden nie als 0 gezählt.",
                        "'no value': districts where an input count is missing or suppressed; "
                        "they are never counted as 0."))))
        return rc;
    for (size_t k = 0; k < cfg->nindicators; k++)
        if ((rc = indicator_map(r, k)))
            return rc;
    return QTR_OK;
}

static int goals_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    if (!st->ngoals)
        return QTR_OK;
    int rc;
    ADD(qtr_doc_heading(r->doc, 1, T(r, "Ziele je Handlungsfeld", "Targets by action field")));
    if ((rc = para(r, T(r,
                        "Ein Ziel ist auf Kurs, wenn der aktuelle Wert mindestens so gut ist "
                        "wie der Wert auf der geraden Linie vom Ausgangswert zum Zielwert "
                        "(Sollwert heute). Stadtweite Werte sind mit der Einwohnerzahl "
                        "gewichtete Mittel der Gebiete.",
                        "A target is on track when the current value is at least as good as the "
                        "value on the straight line from the baseline to the target (expected "
                        "today). Citywide values are population-weighted means of the "
                        "districts."))))
        return rc;
    const char *head[8] = {T(r, "Handlungsfeld", "Action field"),
                           T(r, "Indikator", "Indicator"),
                           T(r, "Gebiet", "District"),
                           T(r, "Ausgang", "Baseline"),
                           T(r, "Aktuell", "Current"),
                           T(r, "Soll heute", "Expected"),
                           T(r, "Ziel", "Target"),
                           T(r, "Stand", "State")};
    const unsigned char nm[8] = {0, 0, 0, 1, 1, 1, 1, 0};
    ADD(qtr_doc_table(r->doc, NULL, 8, head, nm));
    /* grouped by action field, in the order the fields first appear */
    for (size_t i = 0; i < st->ngoals; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            first &= strcmp(st->goals[j].field, st->goals[i].field) != 0;
        if (!first)
            continue;
        for (size_t j = i; j < st->ngoals; j++) {
            const struct qtr_goal_row *g = &st->goals[j];
            if (strcmp(g->field, st->goals[i].field))
                continue;
            const char *il = g->indicator;
            for (size_t k = 0; k < r->cfg->nindicators; k++)
                if (!strcmp(r->cfg->indicators[k].id, g->indicator))
                    il = ind_label(r, &r->cfg->indicators[k]);
            const char *dist = T(r, "Stadt", "city");
            for (size_t k = 0; g->district[0] && k < st->frame->n; k++)
                if (!strcmp(st->frame->key[k], g->district))
                    dist = st->frame->name[k] && *st->frame->name[k] ? st->frame->name[k]
                                                                     : st->frame->key[k];
            char b[64], c[64], p[48], t[64], x[32];
            num(r, g->baseline, 1, x, sizeof x);
            snprintf(b, sizeof b, "%s (%d)", x, (int)floor(g->baseline_year));
            num(r, g->current, 1, x, sizeof x);
            snprintf(c, sizeof c, "%s (%d)", x, (int)floor(g->current_year));
            num(r, g->path, 1, p, sizeof p);
            num(r, g->target_value, 1, x, sizeof x);
            snprintf(t, sizeof t, "%s (%d)", x, (int)floor(g->target_year));
            const char *cells[8] = {field_label(r, g->field),
                                    il,
                                    dist,
                                    b,
                                    c,
                                    p,
                                    t,
                                    qtr_goal_state_name(g->state, r->en)};
            ADD(qtr_doc_row(r->doc, cells));
        }
    }
    return QTR_OK;
}

static const char *issue_title(const struct rs *r, int k)
{
    static const char *const de[QTR_ISSUE_KIND_COUNT] = {
        [QTR_ISSUE_DUPLICATE_BOUNDARY_KEY] = "Schlüssel in der Grenzdatei doppelt",
        [QTR_ISSUE_DUPLICATE_TABLE_KEY] = "Schlüssel in einer Tabelle doppelt",
        [QTR_ISSUE_NO_STATISTICS] = "Gebiet ohne Zeile in einer Tabelle",
        [QTR_ISSUE_NO_BOUNDARY] = "Tabellenzeile ohne Gebiet",
        [QTR_ISSUE_AMBIGUOUS_NAME] = "Name nicht eindeutig",
        [QTR_ISSUE_MERGED_ROW] = "eine Zeile nennt mehrere Gebiete",
        [QTR_ISSUE_NOTE_ROW] = "Fußnote oder Quellenzeile in einer Tabelle",
        [QTR_ISSUE_GROUP_EXCEEDS_TOTAL] = "Gruppe größer als die Einwohnerzahl",
        [QTR_ISSUE_NEGATIVE_COUNT] = "negative Zahl",
        [QTR_ISSUE_ZERO_POPULATION] = "Gebiet ohne Einwohner",
        [QTR_ISSUE_SMALL_POPULATION] = "Gebiet mit wenigen Einwohnern",
        [QTR_ISSUE_MISSING_COUNT] = "Zahl fehlt oder ist geheim gehalten",
        [QTR_ISSUE_NOT_A_NUMBER] = "Text in einer Zahlenspalte",
        [QTR_ISSUE_REPAIRED_GEOMETRY] = "Geometrie repariert",
        [QTR_ISSUE_NO_GEOMETRY] = "Gebiet ohne Geometrie",
        [QTR_ISSUE_KEY_FORMAT] = "Schlüsselformat (z. B. führende Nullen verloren)",
        [QTR_ISSUE_SLIVER] = "Polygon ohne Fläche (null oder Splitterpolygon)",
        [QTR_ISSUE_CARRY_SEVERAL_SOURCES] = "Gebiet aus mehreren Gebieten einer übertragenen "
                                            "Tabelle gespeist",
        [QTR_ISSUE_CARRY_SPLIT_SOURCE] = "Gebiet einer übertragenen Tabelle auf mehrere Gebiete "
                                         "verteilt",
        [QTR_ISSUE_CARRY_UNCOVERED] = "Gebiet einer übertragenen Tabelle außerhalb der Gebiete",
        [QTR_ISSUE_CARRY_SLIVERS] = "Splitterstücke beim Übertragen einer Tabelle verworfen",
    };
    if (!r->en && k >= 0 && k < QTR_ISSUE_KIND_COUNT && de[k])
        return de[k];
    return qtr_issue_kind_title((enum qtr_issue_kind)k);
}

/* Tables carried from their own district layout (issue 13): what was done, where to trace it. */
static int carried_tables_para(struct rs *r)
{
    int rc;
    for (size_t t = 0; t < r->cfg->ntables; t++) {
        const struct qtr_table_spec *ts = &r->cfg->tables[t];
        if (!ts->bnd_source && ts->carry != QTR_TABLE_CARRY_CORRESPONDENCE)
            continue;
        size_t np = 0;
        for (size_t k = 0; k < r->st->ncrosswalk; k++)
            np += !strcmp(r->st->crosswalk[k].table_id, ts->id);
        char how[400], layout[300], buf[1600];
        if (ts->bnd_source)
            snprintf(layout, sizeof layout, "%s", basename_of(ts->bnd_source));
        else
            snprintf(layout, sizeof layout, T(r, "Schlüssel von %s", "keys of %s"),
                     basename_of(ts->source));
        if (ts->carry == QTR_TABLE_CARRY_WEIGHTS)
            snprintf(how, sizeof how,
                     T(r, "dasymetrisch: jedes Quellgebiet nach Fläche mal '%s' der Zielgebiete",
                       "dasymetric: each source district by area times '%s' of the targets"),
                     ts->carry_weights);
        else if (ts->carry == QTR_TABLE_CARRY_CORRESPONDENCE)
            snprintf(how, sizeof how,
                     T(r, "nach der Zuordnungstabelle %s", "by the correspondence table %s"),
                     basename_of(ts->carry_corr));
        else
            snprintf(how, sizeof how, "%s", T(r, "flächengewichtet", "area-weighted"));
        snprintf(buf, sizeof buf,
                 T(r,
                   "Die Tabelle %s liegt auf einer anderen Gebietsgliederung vor (%s) und wurde "
                   "vor dem Zusammenführen auf die Gebiete der Analyse übertragen (%s). "
                   "Übertragen werden nur Zählwerte; Anteile und Quoten werden danach "
                   "berechnet. %zu Stücke; welcher Teil jedes Quellgebiets in welches Gebiet "
                   "ging, steht in der Tabelle crosswalk des GeoPackage, geteilte und "
                   "zusammengelegte Gebiete und Verluste am Rand im join_report. Auf Berlin "
                   "(LOR 2019 auf LOR 2021, Einwohner 2020, gegen die veröffentlichten Zahlen) "
                   "liegt der Fehler flächengewichtet im Median bei 0,2 %%, im 90. Perzentil "
                   "bei 34 %%, dasymetrisch mit den Einwohnern 2024 bei 0,2 %% und 5,1 %% "
                   "(docs/crosswalk.md).",
                   "Table %s is given on another district layout (%s) and was carried onto the "
                   "analysis districts before the join (%s). Only counts are carried; shares "
                   "and rates are computed afterwards. %zu pieces; which part of each source "
                   "district went to which district is in the GeoPackage table crosswalk, "
                   "split and merged districts and losses at the edge in the join_report. On "
                   "Berlin (LOR 2019 onto LOR 2021, residents 2020, against the published "
                   "counts) the error is 0.2 %% at the median and 34 %% at the 90th percentile "
                   "by area, 0.2 %% and 5.1 %% dasymetric with the residents of 2024 "
                   "(docs/crosswalk.md)."),
                 ts->id, layout, how, np);
        if ((rc = para(r, buf)))
            return rc;
    }
    return QTR_OK;
}

static int quality_section(struct rs *r)
{
    const struct qtr_report *rep = &r->st->report;
    int rc;
    ADD(qtr_doc_heading(r->doc, 1, T(r, "Datenqualität und Verknüpfung", "Data quality and join")));
    char buf[600];
    size_t nstat = 0;
    for (size_t i = 0; i < r->st->frame->n; i++)
        nstat += r->st->frame->has_stats[i] != 0;
    snprintf(buf, sizeof buf,
             T(r,
               "%zu von %zu Gebieten haben in jeder Tabelle eine Zeile. Die Tabelle zählt, "
               "was beim Zusammenführen auffiel; Warnungen können Ergebnisse verändern, "
               "Hinweise dokumentieren bewusste Entscheidungen (etwa geheim gehaltene "
               "Zahlen). Alle Einträge stehen in der Tabelle join_report des GeoPackage.",
               "%zu of %zu districts have a row in every table. The table counts what the join "
               "found; warnings can change results, notes document deliberate decisions (such "
               "as suppressed counts). Every entry is in the join_report table of the "
               "GeoPackage."),
             nstat, r->st->frame->n);
    if ((rc = para(r, buf)))
        return rc;
    if ((rc = carried_tables_para(r)))
        return rc;
    const char *head[3] = {T(r, "Befund", "Finding"), T(r, "Warnungen", "Warnings"),
                           T(r, "Hinweise", "Notes")};
    const unsigned char nm[3] = {0, 1, 1};
    ADD(qtr_doc_table(r->doc, NULL, 3, head, nm));
    int any = 0;
    for (int k = 0; k < QTR_ISSUE_KIND_COUNT; k++) {
        size_t w = 0, inf = 0;
        for (size_t i = 0; i < rep->n; i++)
            if ((int)rep->items[i].kind == k)
                *(rep->items[i].severity == QTR_WARNING ? &w : &inf) += 1;
        if (!w && !inf)
            continue;
        char a[16], b[16];
        snprintf(a, sizeof a, "%zu", w);
        snprintf(b, sizeof b, "%zu", inf);
        const char *cells[3] = {issue_title(r, k), a, b};
        ADD(qtr_doc_row(r->doc, cells));
        any = 1;
    }
    if (!any) {
        const char *cells[3] = {T(r, "keine Auffälligkeiten", "nothing found"), "0", "0"};
        ADD(qtr_doc_row(r->doc, cells));
    }
    if (!rep->n)
        return QTR_OK;
    const char *h2[4] = {T(r, "Schlüssel", "Key"), T(r, "Name", "Name"), T(r, "Quelle", "Source"),
                         T(r, "Befund", "Finding")};
    ADD(qtr_doc_table(r->doc,
                      T(r, "Einzelbefunde (Warnungen zuerst, höchstens 60)",
                        "Entries (warnings first, at most 60)"),
                      4, h2, NULL));
    size_t shown = 0;
    for (int sev = QTR_WARNING; sev >= QTR_INFO; sev--)
        for (size_t i = 0; i < rep->n && shown < 60; i++) {
            const struct qtr_issue *it = &rep->items[i];
            if ((int)it->severity != sev)
                continue;
            const char *cells[4] = {it->key, it->name, it->source, it->detail};
            ADD(qtr_doc_row(r->doc, cells));
            shown++;
        }
    if (shown < rep->n) {
        snprintf(buf, sizeof buf,
                 T(r, "%zu weitere Einträge stehen in der Tabelle join_report.",
                   "%zu more entries are in the join_report table."),
                 rep->n - shown);
        if ((rc = note(r, buf)))
            return rc;
    }
    return QTR_OK;
}

static int methods_section(struct rs *r)
{
    const struct qtr_config *cfg = r->cfg;
    const struct qtr_state *st = r->st;
    int rc;
    char buf[1200], a[32], b[32];
    ADD(qtr_doc_heading(r->doc, 1, T(r, "Methodenanhang", "Methods annex")));
    ADD(qtr_doc_heading(r->doc, 2, T(r, "Definitionen", "Definitions")));
    const char *hd[2] = {T(r, "Index", "Index"), T(r, "Bedeutung", "Meaning")};
    ADD(qtr_doc_table(r->doc, NULL, 2, hd, NULL));
    static const struct {
        const char *name, *de, *en;
    } defs[] = {
        {"dissimilarity",
         "D = ½ Σ |xᵢ/X − yᵢ/Y|: Anteil der Gruppe, der umziehen müsste (Duncan und Duncan "
         "1955). Übliche Einteilung: unter 0,3 gering, 0,3 bis 0,6 mäßig, darüber hoch.",
         "D = ½ Σ |xᵢ/X − yᵢ/Y|: share of the group that would have to move (Duncan and "
         "Duncan 1955). Usual reading: below 0.3 low, 0.3 to 0.6 moderate, above high."},
        {"gini", "Gini-Koeffizient der Gruppenanteile über alle Paare von Gebieten (0 bis 1).",
         "Gini coefficient of the group shares over all pairs of districts (0 to 1)."},
        {"entropy",
         "Theils H: wie stark die Vielfalt der Gebiete unter der der Stadt liegt (0 bis 1).",
         "Theil's H: how far the districts' diversity falls short of the city's (0 to 1)."},
        {"isolation", "xPx: Anteil der Gruppe im Gebiet eines durchschnittlichen Gruppenmitglieds.",
         "xPx: the group's share in the district of an average member of the group."},
        {"exposure",
         "xPy: Anteil der übrigen Bevölkerung im Gebiet eines durchschnittlichen "
         "Gruppenmitglieds; Isolation + Kontakt = 1.",
         "xPy: share of the rest of the population in the district of an average member; "
         "isolation + exposure = 1."},
        {"atkinson_b05",
         "Atkinson-Index (Massey und Denton 1988, Gl. 5); b gewichtet Gebiete mit kleinem "
         "oder großem Anteil.",
         "Atkinson index (Massey and Denton 1988, eq. 5); b weights districts with small or "
         "large shares."},
        {"correlation_ratio",
         "Eta² = (xPx − P) / (1 − P): um den Gruppenanteil bereinigte Isolation.",
         "Eta² = (xPx − P) / (1 − P): isolation adjusted for the group's share."},
        {"mutual_information",
         "M: Mutual Information zwischen Gebiet und Gruppe über alle Gruppen (Theil; "
         "natürlicher Logarithmus); zerlegbar nach Gebietsebenen und Zeit (Elbers 2021).",
         "M: mutual information between district and group over all groups (Theil; natural "
         "logarithm); decomposable by level and over time (Elbers 2021)."},
    };
    for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++) {
        const char *cells[2] = {index_short(r, defs[k].name), r->en ? defs[k].en : defs[k].de};
        ADD(qtr_doc_row(r->doc, cells));
    }
    if ((rc = index_table(r, T(r, "Alle berechneten Indizes", "All indices computed"), 0)))
        return rc;
    ADD(qtr_doc_heading(r->doc, 2, T(r, "Statistische Sicherheit", "Statistical inference")));
    snprintf(buf, sizeof buf,
             T(r,
               "p-Werte: %u Simulationen, in denen die Einwohner bei festen Gebiets- und "
               "Gruppengrößen zufällig auf die Gebiete verteilt werden; p = (1 + Anzahl "
               "mindestens so großer Werte) / (1 + Simulationen). Intervalle: 95-%%-"
               "Perzentilintervall eines Bootstraps, der die Einwohner innerhalb jedes "
               "Gebiets neu zieht. Startwert des Zufallszahlengenerators: %llu; dieselbe "
               "Analyse mit demselben Startwert ergibt dieselben Zahlen.",
               "p-values: %u simulations allocating residents to districts at random with fixed "
               "district and group sizes; p = (1 + number of values at least as large) / (1 + "
               "simulations). Intervals: 95%% percentile interval of a bootstrap redrawing "
               "residents within each district. Random seed: %llu; the same analysis with the "
               "same seed gives the same numbers."),
             cfg->permutations, (unsigned long long)cfg->seed);
    if (cfg->permutations == 0)
        snprintf(buf, sizeof buf, "%s",
                 T(r,
                   "Keine Simulation (permutations = 0): die Indizes sind Punktschätzungen "
                   "ohne p-Werte und Intervalle; modifizierte und verzerrungskorrigierte "
                   "Indizes, die durch Simulation definiert sind, werden nicht berechnet.",
                   "No simulation (permutations = 0): the indices are point estimates without "
                   "p-values or intervals; the modified and bias-corrected indices, which are "
                   "defined by simulation, are not computed."));
    if ((rc = para(r, buf)))
        return rc;
    ADD(qtr_doc_heading(r->doc, 2,
                        T(r, "Schwellen, kleine Zahlen und Ausschlüsse",
                          "Thresholds, small numbers and exclusions")));
    num(r, cfg->min_population, 0, a, sizeof a);
    num(r, cfg->min_count, 0, b, sizeof b);
    char s0[32], s1[32];
    num(r, cfg->suppressed_low, 0, s0, sizeof s0);
    num(r, cfg->suppressed_high, 0, s1, sizeof s1);
    snprintf(buf, sizeof buf,
             T(r,
               "Gebiete mit weniger als %s Einwohnern %s. Veröffentlichte Fallzahlen unter %s "
               "sind geheim gehalten („*“, tatsächlich %s bis %s); sie werden nie als 0 "
               "gezählt: eine Quote mit geheim gehaltenem Zähler bleibt ohne Wert. Fehlende "
               "Werte („.“) bleiben fehlend, „-“ ist eine echte Null.",
               "Districts with fewer than %s residents %s. Published counts below %s are "
               "suppressed ('*', actually %s to %s); they are never counted as 0: a rate with "
               "a suppressed numerator has no value. Missing values ('.') stay missing, '-' is "
               "a true zero."),
             a,
             cfg->small_exclude
                 ? T(r, "gehen nicht in die Segregationsindizes und die Standardisierung ein",
                     "are left out of the segregation indices and the standardisation")
                 : T(r, "werden markiert, aber mitgerechnet", "are flagged but included"),
             b, s0, s1);
    if ((rc = para(r, buf)))
        return rc;
    /* districts left out of the indices, with what the report says about them */
    size_t nex = 0;
    for (size_t i = 0; i < st->frame->n; i++)
        nex += st->usable && !st->usable[i];
    if (nex) {
        const char *he[3] = {T(r, "Schlüssel", "Key"), T(r, "Name", "Name"),
                             T(r, "Grund", "Reason")};
        ADD(qtr_doc_table(r->doc, T(r, "Nicht in den Indizes", "Not in the indices"), 3, he, NULL));
        for (size_t i = 0; i < st->frame->n; i++) {
            if (!st->usable || st->usable[i])
                continue;
            const char *why = T(r, "unvollständige Zahlen", "incomplete counts");
            for (size_t k = 0; k < st->report.n; k++)
                if (!strcmp(st->report.items[k].key, st->frame->key[i])) {
                    why = st->report.items[k].detail;
                    break;
                }
            const char *cells[3] = {st->frame->key[i], st->frame->name[i], why};
            ADD(qtr_doc_row(r->doc, cells));
        }
    }
    size_t nund = 0;
    for (size_t i = 0; i < st->nindices; i++)
        nund += st->indices[i].status != QTR_OK;
    if (nund) {
        const char *hu[3] = {T(r, "Index", "Index"), T(r, "Gruppe", "Group"),
                             T(r, "Warum nicht berechnet", "Why not computed")};
        ADD(qtr_doc_table(r->doc, T(r, "Nicht definierte Indizes", "Indices not defined"), 3, hu,
                          NULL));
        for (size_t i = 0; i < st->nindices; i++) {
            const struct qtr_index_value *v = &st->indices[i];
            if (v->status == QTR_OK)
                continue;
            const char *cells[3] = {index_short(r, v->name),
                                    v->group[0] ? group_label(r, v->group) : "", v->reason};
            ADD(qtr_doc_row(r->doc, cells));
        }
    }
    ADD(qtr_doc_heading(r->doc, 2, T(r, "Karten", "Maps")));
    return para(r, T(r,
                     "Klassengrenzen stehen in der Legende; ein Wert auf einer Grenze gehört "
                     "zur unteren Klasse (wie in QGIS). Farben sind für Farbfehlsichtige "
                     "unterscheidbar (ColorBrewer, Okabe und Ito). Der Nordpfeil zeigt "
                     "Gitter-Nord des Arbeits-Koordinatensystems. Alle Karten liegen als "
                     "PNG, SVG und PDF im Ordner maps.",
                     "Class limits are in the legend; a value on a limit belongs to the lower "
                     "class (as in QGIS). Colours are distinguishable with colour-vision "
                     "deficiencies (ColorBrewer, Okabe and Ito). The north arrow shows grid "
                     "north of the work CRS. Every map is in the maps folder as PNG, SVG and "
                     "PDF."));
}

static int sources_section(struct rs *r)
{
    const struct qtr_config *cfg = r->cfg;
    int rc;
    ADD(qtr_doc_heading(r->doc, 1, T(r, "Quellen und Lizenzen", "Sources and licences")));
    const char *head[4] = {T(r, "Daten", "Data"), T(r, "Datei", "File"),
                           T(r, "Stichtag", "Date"),
                           T(r, "Herkunft und Lizenz", "Source and licence")};
    ADD(qtr_doc_table(r->doc, NULL, 4, head, NULL));
    {
        char crs[200];
        snprintf(crs, sizeof crs, "%s (%s)", T(r, "Gebietsgrenzen", "Boundaries"),
                 r->st->layer->work_crs ? r->st->layer->work_crs : "");
        const char *cells[4] = {crs, basename_of(cfg->bnd_source), "",
                                cfg->bnd_attribution ? cfg->bnd_attribution : ""};
        ADD(qtr_doc_row(r->doc, cells));
    }
    for (size_t t = 0; t < cfg->ntables; t++) {
        char d[32];
        date_text(r, cfg->tables[t].date, d, sizeof d);
        const char *cells[4] = {cfg->tables[t].id, basename_of(cfg->tables[t].source), d,
                                cfg->tables[t].attribution ? cfg->tables[t].attribution : ""};
        ADD(qtr_doc_row(r->doc, cells));
    }
    if ((rc = para(r, T(r,
                        "Es gelten die Nutzungsbedingungen und Lizenzen der liefernden "
                        "Stellen; bei Weitergabe der Karten und Tabellen ist die Quelle wie "
                        "in der Quellenzeile der Karten anzugeben. Berechnung und Karten: "
                        "quartier " QTR_VERSION ".",
                        "The terms of use and licences of the data providers apply; when "
                        "passing on maps and tables, name the source as in the maps' source "
                        "line. Computation and maps: quartier " QTR_VERSION "."))))
        return rc;
    return QTR_OK;
}

/* ---- the stage ------------------------------------------------------------- */

int qtr_pipeline_report(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        const char *outdir, struct qtr_error *err)
{
    struct rs r = {.ctx = ctx, .cfg = cfg, .st = st, .err = err};
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
    r.mapdir = qtr_asprintf("%s/maps", outdir);
    html = qtr_asprintf("%s/report.html", outdir);
    pdf = qtr_asprintf("%s/report.pdf", outdir);
    if (!r.mapdir || !html || !pdf) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_mkdir_p(r.mapdir, err)))
        goto out;
    if ((rc = qtr_shapes_from_geos(ctx->geos, (const struct GEOSGeom_t *const *)st->layer->geom,
                                   st->layer->n, &r.shapes, err)))
        goto out;
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
        if (qtr_shapes_bbox(r.shapes, &x0, &y0, &x1, &y1)) {
            r.tol = fmax(x1 - x0, y1 - y0) / 2500.0;
            if ((rc = qtr_shapes_simplify(r.shapes, r.tol, &simple, err)))
                goto out;
            qtr_shapes_free(r.shapes);
            r.shapes = simple;
        }
    }
    if ((rc = make_labels(&r)))
        goto out;
    if (st->gpkg_path) {
        /* candidate areas, when a stage wrote them as a layer of the GeoPackage */
        struct qtr_error e = {0};
        struct qtr_shapes *raw = NULL;
        if (qtr_gpkg_read_polygons(ctx, st->gpkg_path, "candidate", &raw, r.cand_layer,
                                   sizeof r.cand_layer, &e) != QTR_OK) {
            qtr_warn(ctx, "maps: candidate areas not drawn: %s", e.msg);
        } else if (raw) {
            if (qtr_shapes_simplify(raw, r.tol, &r.cand, &e) != QTR_OK)
                r.cand = NULL;
            qtr_shapes_free(raw);
        }
    }
    if (r.prev_date[0])
        sub =
            qtr_asprintf(T(&r, "Bericht für den Rat · Stichtag %s, Vergleich mit %s · %zu Gebiete",
                           "Council report · reference date %s, compared with %s · %zu districts"),
                         r.cur_date, r.prev_date, st->frame->n);
    else
        sub = qtr_asprintf(T(&r, "Bericht für den Rat · Stichtag %s · %zu Gebiete",
                             "Council report · reference date %s · %zu districts"),
                           r.cur_date, st->frame->n);
    r.doc =
        qtr_doc_new(r.en ? "en" : "de",
                    cfg->title ? cfg->title : T(&r, "Sozialmonitoring", "Social monitoring"), sub);
    if (!sub || !r.doc) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (r.created[0] && !(r.doc->created = qtr_strdup(r.created))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    qtr_progress(ctx, 0.05, "maps and report");
    if ((rc = summary(&r)))
        goto out;
    if ((rc = qtr_doc_heading(r.doc, 1, T(&r, "Die Gebiete", "The districts")))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = overview_map(&r, r.tol)))
        goto out;
    qtr_progress(ctx, 0.15, "maps and report");
    if ((rc = indices_section(&r)))
        goto out;
    qtr_progress(ctx, 0.4, "maps and report");
    if ((rc = change_section(&r)) || (rc = renewal_section(&r)))
        goto out;
    qtr_progress(ctx, 0.55, "maps and report");
    if ((rc = indicators_section(&r)) || (rc = goals_section(&r)) || (rc = quality_section(&r)) ||
        (rc = methods_section(&r)) || (rc = sources_section(&r)))
        goto out;
    qtr_progress(ctx, 0.75, "maps and report");
    if ((rc = qtr_doc_write_html(r.doc, html, err)))
        goto out;
    qtr_progress(ctx, 0.85, "maps and report");
    if ((rc = qtr_doc_write_pdf(r.doc, pdf, NULL, err)))
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
    free(r.labels);
    free(r.mapdir);
    free(html);
    free(pdf);
    free(sub);
    return rc;
}
