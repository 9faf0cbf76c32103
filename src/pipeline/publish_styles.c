/*
 * publish_styles.c - the QGIS styles of the GeoPackage's layers (layer_styles).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/classify.h"
#include "quartier/gpkg_style.h"
#include "quartier/labels.h"
#include "quartier/output.h"
#include "quartier/palette.h"
#include "quartier/qml.h"
#include "quartier/strutil.h"

#include "publish_internal.h"

/* ---------------------------------------------------------------------------------------- */
/* Styles.                                                                                  */

void qtr_publish_styles_release(struct style_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->s[i].qml);
        free((char *)l->s[i].name);
        free((char *)l->s[i].description);
    }
    free(l->s);
    memset(l, 0, sizeof *l);
}

/* Takes ownership of qml (also on failure). */
static int add_style(struct style_list *l, const char *table, const char *name, char *qml,
                     const char *description, const char *update_time)
{
    if (l->n == l->cap) {
        size_t c = l->cap ? 2 * l->cap : 32;
        struct qtr_gpkg_style *p = realloc(l->s, c * sizeof *p);
        if (!p) {
            free(qml);
            return QTR_ERR_NOMEM;
        }
        l->s = p;
        l->cap = c;
    }
    char *n = qtr_strdup(name), *d = description ? qtr_strdup(description) : NULL;
    if (!n || (description && !d)) {
        free(n);
        free(d);
        free(qml);
        return QTR_ERR_NOMEM;
    }
    l->s[l->n++] = (struct qtr_gpkg_style){table, n, qml, d, 0, update_time};
    return QTR_OK;
}

/* Aliases of a layer for the QML (QGIS 3.22 shows these; GDAL 3.6 does not pass the
 * gpkg_data_columns names on as aliases). */
static struct qtr_qml_alias *qml_aliases(const struct doc_list *docs, const struct qtr_output_layer *li)
{
    struct qtr_qml_alias *a = calloc(li->nfields + 2, sizeof *a);
    if (!a)
        return NULL;
    size_t n = 0;
    if (li->fid) { /* QGIS shows the table's key as the first field */
        a[n].field = li->fid;
        a[n++].alias = qtr_publish_doc_alias(docs, li->name, li->fid);
    }
    for (size_t k = 0; k < li->nfields; k++) {
        a[n].field = li->fields[k].name;
        a[n++].alias = qtr_publish_doc_alias(docs, li->name, li->fields[k].name);
    }
    return a;
}

struct style_ctx {
    const struct qtr_config *cfg;
    const struct qtr_output_layer *li;
    const struct qtr_qml_alias *aliases;
    int en;
    struct style_list *out;
    const char *update_time;
};

/* Graduated style (classes of a number as the presentation table says: GRADUATED or
 * BREAKS); nothing when there is nothing to classify (no value, one class). */
static int graduated(const struct style_ctx *sc, const struct qtr_output_field *f,
                     const struct qtr_present *p, struct qtr_error *err)
{
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    char *qml = NULL;
    int any_null = 0;
    for (size_t i = 0; i < sc->li->n; i++)
        any_null |= isnan(f->v[i]);
    int rc = qtr_present_classify(p, f->v, sc->li->n, sc->en, &c, &e);
    if (rc == QTR_ERR_DOMAIN)
        return QTR_OK;
    if (rc)
        return qtr_error_set(err, rc, "style for '%s': %s", f->name, e.msg);
    struct qtr_qml_graduated g = {
        .field = f->name,
        .k = c.k,
        .limits = c.limits,
        .colors = c.colors,
        .labels = (const char *const *)c.labels,
        .decimals = p->decimals,
        .unit = p->unit,
        .method_id = p->show == QTR_SHOW_GRADUATED ? qtr_class_method_qgis_id(p->method) : NULL,
        .null_label = any_null ? qtr_present_nodata_label(sc->en, 1) : NULL,
        .null_color = qtr_palette_nodata(),
        .null_hatched = 1,
        .aliases = sc->aliases,
        .naliases = sc->li->nfields + (sc->li->fid != NULL),
    };
    if ((rc = qtr_qml_graduated(&g, &qml, err)))
        goto out;
    char desc[300];
    qtr_present_style_description(p, c.k, sc->en, desc, sizeof desc);
    rc = add_style(sc->out, sc->li->name, f->name, qml, desc, sc->update_time);
    qml = NULL;
    if (rc)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
out:
    free(qml);
    qtr_present_classes_release(&c);
    return rc;
}

/* Categorized style of a field from categories (codes, classes, significance). */
static int categorized(const struct style_ctx *sc, const char *field, const char *expression,
                       int text, size_t n, const char *const *values, const struct qtr_rgb *colors,
                       const char *const *labels, const char *other_label,
                       struct qtr_rgb other_color, int other_hatched, const char *desc,
                       struct qtr_error *err)
{
    char *qml = NULL;
    struct qtr_qml_categorized c = {
        .field = field,
        .expression = expression,
        .kind = text ? QTR_QML_TEXT : QTR_QML_INT,
        .n = n,
        .values = values,
        .colors = colors,
        .labels = labels,
        .other_label = other_label,
        .other_color = other_color,
        .other_hatched = other_hatched,
        .aliases = sc->aliases,
        .naliases = sc->li->nfields + (sc->li->fid != NULL),
    };
    int rc = qtr_qml_categorized(&c, &qml, err);
    if (rc)
        return rc;
    if (add_style(sc->out, sc->li->name, field, qml, desc, sc->update_time))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

/* p-values in the four significance classes, categorized on a QGIS expression. */
static int significance(const struct style_ctx *sc, const struct qtr_output_field *f,
                        const struct qtr_present *p, struct qtr_error *err)
{
    double zero = 0.0;
    struct qtr_present_classes c;
    struct qtr_error e = {0};
    int rc = qtr_present_classify(p, &zero, 1, sc->en, &c, &e);
    if (rc)
        return qtr_error_set(err, rc, "style for '%s': %s", f->name, e.msg);
    struct qtr_buf ref = {0}, x = {0};
    for (const char *s = f->name; *s; s++)
        qtr_buf_printf(&ref, "%s", *s == '"' ? "\"\"" : (char[2]){*s, 0});
    qtr_buf_printf(&x, "CASE WHEN \"%s\" IS NULL THEN NULL", ref.data ? ref.data : "");
    for (size_t j = 0; j + 1 < c.k; j++)
        qtr_buf_printf(&x, " WHEN \"%s\" < %.10g THEN %zu", ref.data ? ref.data : "",
                       c.limits[j + 1], j + 1);
    qtr_buf_printf(&x, " ELSE %zu END", c.k);
    char vals[4][8];
    const char *v[4];
    for (size_t j = 0; j < c.k && j < 4; j++) {
        snprintf(vals[j], sizeof vals[j], "%zu", j + 1);
        v[j] = vals[j];
    }
    char desc[300];
    qtr_present_style_description(p, c.k, sc->en, desc, sizeof desc);
    if (!x.data)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    else
        rc = categorized(sc, f->name, x.data, 0, c.k, v, c.colors, (const char *const *)c.labels,
                         qtr_present_nodata_label(sc->en, 0), qtr_palette_nodata(), 1, desc,
                         err);
    qtr_buf_release(&ref);
    qtr_buf_release(&x);
    qtr_present_classes_release(&c);
    return rc;
}

/* The style of one field as the presentation table says; nothing for QTR_SHOW_NONE. */
static int field_style(const struct style_ctx *sc, const struct qtr_state *st,
                       const struct qtr_output_field *f, struct qtr_error *err)
{
    int districts = !strcmp(sc->li->name, "districts");
    /* the frame column behind the field, else a fixed field of the output ("key", "id");
     * nothing is guessed from a name's suffix */
    const struct qtr_column *c = qtr_publish_column(st, sc->li->name, f->name);
    struct qtr_present p;
    qtr_column_present(sc->cfg, c, f->name, sc->en, &p);
    /* computed columns only: the input counts are there to look up, not to map */
    if (c ? strcmp(c->origin, "quartier") != 0 : districts)
        return QTR_OK;
    switch (p.show) {
    case QTR_SHOW_GRADUATED:
    case QTR_SHOW_BREAKS:
        return f->v ? graduated(sc, f, &p, err) : QTR_OK;
    case QTR_SHOW_SIGNIFICANCE:
        return numeric(f->type) ? significance(sc, f, &p, err) : QTR_OK;
    case QTR_SHOW_CATEGORIES: {
        struct qtr_present_categories k;
        if (!qtr_present_categories(p.role, sc->en, &k))
            return QTR_OK;
        if (k.text != (f->type == QTR_FIELD_TEXT))
            return QTR_OK; /* written in another type than made: not ours to guess */
        return categorized(sc, f->name, NULL, k.text, k.n, k.values, k.colors, k.labels,
                           k.other_label, k.other_color, k.other_hatched, p.alias, err);
    }
    default:
        return QTR_OK;
    }
}

static int set_default(struct style_list *l, const char *table, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->s[i].table, table) && !strcmp(l->s[i].name, name)) {
            l->s[i].use_as_default = 1;
            return 1;
        }
    return 0;
}

static int districts_default(const struct style_ctx *sc, const struct qtr_state *st)
{
    const struct qtr_output_layer *li = sc->li;
    /*
     * The style QGIS shows first. After a renewal run with two dates it is the combined
     * status x dynamics class, the map a Stadtrat looks at first in Berlin's MSS; with one
     * date the status class (the result the council decides on); the single classes and
     * the group are one click away in Styles. Without renewal, the share of the first
     * group: the map every segregation report starts with.
     */
    if (st->renewal_done && (set_default(sc->out, li->name, "status_dynamics") ||
                             set_default(sc->out, li->name, "status_class")))
        return QTR_OK;
    for (size_t j = 0; sc->cfg->ngroups && j < st->frame->ncols; j++) {
        const struct qtr_column *c = st->frame->cols[j];
        if (c->role == QTR_ROLE_SHARE && c->of && !strcmp(c->of, sc->cfg->groups[0].id) &&
            set_default(sc->out, li->name, c->name))
            return QTR_OK;
    }
    for (size_t i = 0; i < sc->out->n; i++)
        if (!strcmp(sc->out->s[i].table, li->name)) {
            sc->out->s[i].use_as_default = 1;
            return QTR_OK;
        }
    return QTR_OK; /* no numeric column at all: the caller adds an outline style */
}

static int layer_has_default(const struct style_list *l, const char *table)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->s[i].table, table) && l->s[i].use_as_default)
            return 1;
    return 0;
}

int qtr_publish_build_styles(const struct qtr_config *cfg, const struct qtr_state *st,
                        const struct qtr_output_info *g, const struct doc_list *docs, int en,
                        const char *update_time, struct style_list *out, struct qtr_error *err)
{
    int rc = QTR_OK;
    for (size_t i = 0; i < g->nlayers && !rc; i++) {
        const struct qtr_output_layer *li = &g->layers[i];
        if (!li->spatial)
            continue;
        struct qtr_qml_alias *al = qml_aliases(docs, li);
        if (!al)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        struct style_ctx sc = {cfg, li, al, en, out, update_time};
        size_t first = out->n;
        for (size_t k = 0; k < li->nfields && !rc; k++)
            rc = field_style(&sc, st, &li->fields[k], err);
        if (!rc && !strcmp(li->name, "districts"))
            rc = districts_default(&sc, st);
        else if (!rc && out->n > first)
            out->s[first].use_as_default = 1; /* an area layer: its first style */
        if (!rc && !layer_has_default(out, li->name)) {
            /* Nothing better known (e.g. a layer another stage added): outline only, so it
             * can lie over the districts map, and every feature is drawn. */
            char *qml = NULL;
            rc = qtr_qml_single(0, qtr_present_outline_fill(), qtr_present_outline_line(), 0.6, al,
                                li->nfields + (li->fid != NULL), &qml, err);
            if (!rc &&
                add_style(out, li->name, "outline", qml, qtr_present_outline_name(en),
                          update_time))
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            if (!rc)
                out->s[out->n - 1].use_as_default = 1;
        }
        free(al);
    }
    return rc;
}

