/*
 * publish_styles.c - the QGIS styles of the GeoPackage's layers (layer_styles).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "quartier/annex.h"
#include "quartier/bivariate.h"
#include "quartier/classify.h"
#include "quartier/goals.h"
#include "quartier/gpkg_style.h"
#include "quartier/labels.h"
#include "quartier/output.h"
#include "quartier/palette.h"
#include "quartier/qml.h"
#include "quartier/renewal.h"
#include "quartier/sha256.h"
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
static struct qtr_qml_alias *qml_aliases(const struct doc_list *docs, const struct layer_info *li)
{
    struct qtr_qml_alias *a = calloc(li->nfields + 1, sizeof *a);
    if (!a)
        return NULL;
    for (size_t k = 0; k < li->nfields; k++) {
        a[k].field = li->fields[k].name;
        a[k].alias = qtr_publish_doc_alias(docs, li->name, li->fields[k].name);
    }
    return a;
}

struct style_ctx {
    const struct qtr_config *cfg;
    const struct layer_info *li;
    const struct qtr_qml_alias *aliases;
    int en;
    struct style_list *out;
    const char *update_time;
};

/* How a computed numeric column is classified and coloured. */
static void choose(const struct qtr_config *cfg, const char *field, enum qtr_class_method *m,
                   size_t *k, enum qtr_palette *p)
{
    *m = QTR_CLASS_QUANTILE;
    *k = 5;
    *p = QTR_PAL_VIRIDIS;
    size_t n = strlen(field);
    for (size_t g = 0; g < cfg->ngroups; g++) {
        size_t il = strlen(cfg->groups[g].id);
        if (n > il && !strncmp(field, cfg->groups[g].id, il)) {
            if (!strcmp(field + il, "_share")) {
                *p = QTR_PAL_BLUES;
                return;
            }
            if (!strcmp(field + il, "_lq")) {
                *p = QTR_PAL_PUOR; /* below / above the city's share */
                return;
            }
        }
    }
    for (size_t i = 0; i < cfg->nindicators; i++) {
        const struct qtr_indicator_spec *s = &cfg->indicators[i];
        size_t il = strlen(s->id);
        if (strncmp(field, s->id, il) != 0)
            continue;
        const char *rest = field + il;
        if (*rest && strcmp(rest, "_previous") != 0 && strcmp(rest, "_change") != 0)
            continue;
        enum qtr_class_method mm;
        if (s->classification && qtr_class_method_parse(s->classification, &mm, NULL) == 0)
            *m = mm;
        if (s->classes > 0)
            *k = (size_t)s->classes;
        if (!strcmp(rest, "_change"))
            *p = QTR_PAL_PUOR;
        else
            *p = s->higher_worse ? QTR_PAL_ORANGES : QTR_PAL_BLUES;
        return;
    }
    if (!strcmp(field, "status_index") || !strcmp(field, "dynamics_index")) {
        /* z-scores: classes in standard deviations, as the MSS thresholds are */
        *m = QTR_CLASS_STDDEV;
        *p = QTR_PAL_PUOR;
    }
}

/* Graduated style for a numeric field of the districts layer; *made = 0 when the field has no
 * finite value (nothing to classify). Takes no ownership. */
static int graduated(const struct style_ctx *sc, const struct field_info *f, int *made,
                     struct qtr_error *err)
{
    enum qtr_class_method m;
    size_t k;
    enum qtr_palette p;
    struct qtr_classes c = {0};
    struct qtr_rgb *col = NULL;
    char **labels = NULL;
    char *qml = NULL;
    int rc = QTR_OK, any_null = 0, any = 0;
    *made = 0;
    for (size_t i = 0; i < sc->li->n; i++) {
        if (isnan(f->v[i]))
            any_null = 1;
        else if (isfinite(f->v[i]))
            any = 1;
    }
    if (!any)
        return QTR_OK;
    choose(sc->cfg, f->name, &m, &k, &p);
    struct qtr_label lab;
    qtr_column_label(sc->cfg, f->name, "quartier", sc->en, &lab);
    if ((rc = qtr_classify(f->v, sc->li->n, m, k, 1.0, &c, err)))
        goto out;
    if ((rc = qtr_classes_round(&c, f->v, lab.decimals, err)))
        goto out;
    col = calloc(c.k, sizeof *col);
    labels = calloc(c.k, sizeof *labels);
    if (!col || !labels) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_palette_colors(p, c.k, col, err)))
        goto out;
    if (sc->en)
        for (size_t i = 0; i < c.k; i++) {
            labels[i] = qtr_asprintf("%.*f – %.*f%s%s", lab.decimals, c.limits[i], lab.decimals,
                                     c.limits[i + 1], *lab.unit ? " " : "", lab.unit);
            if (!labels[i]) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
        }
    struct qtr_qml_graduated g = {
        .field = f->name,
        .k = c.k,
        .limits = c.limits,
        .colors = col,
        .labels = sc->en ? (const char *const *)labels : NULL,
        .decimals = lab.decimals,
        .unit = lab.unit,
        .method_id = qtr_class_method_qgis_id(m),
        .null_label =
            any_null ? (sc->en ? "no data or suppressed" : "keine Angabe oder unterdrückt") : NULL,
        .null_color = qtr_palette_nodata(),
        .null_hatched = 1,
        .aliases = sc->aliases,
        .naliases = sc->li->nfields,
    };
    if ((rc = qtr_qml_graduated(&g, &qml, err)))
        goto out;
    char desc[300];
    snprintf(desc, sizeof desc, "%s: %s, %zu %s", lab.alias, qtr_class_method_name(m), c.k,
             sc->en ? "classes" : "Klassen");
    rc = add_style(sc->out, sc->li->name, f->name, qml, desc, sc->update_time);
    qml = NULL;
    if (rc)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    else
        *made = 1;
out:
    if (labels)
        for (size_t i = 0; i < c.k; i++)
            free(labels[i]);
    free(labels);
    free(col);
    free(qml);
    qtr_classes_release(&c);
    return rc;
}

/* Categorized style on a field; values/colours/labels as given. Other values and NULL are
 * "keine Angabe" (white, hatched as on the maps), or with not_rated "nicht bewertet" in
 * qtr_palette_not_rated() (the renewal columns, empty for districts without classes). */
static int categorized_as(const struct style_ctx *sc, const char *field, enum qtr_qml_kind kind,
                          size_t n, const char *const *values, const struct qtr_rgb *colors,
                          const char *const *labels, int not_rated, struct qtr_error *err)
{
    char *qml = NULL;
    enum qtr_lang lang = sc->en ? QTR_LANG_EN : QTR_LANG_DE;
    struct qtr_qml_categorized c = {
        .field = field,
        .kind = kind,
        .n = n,
        .values = values,
        .colors = colors,
        .labels = labels,
        .other_label = not_rated ? qtr_not_rated_name(lang)
                       : sc->en  ? "no data"
                                 : "keine Angabe",
        .other_color = not_rated ? qtr_palette_not_rated() : qtr_palette_nodata(),
        .other_hatched = !not_rated,
        .aliases = sc->aliases,
        .naliases = sc->li->nfields,
    };
    int rc = qtr_qml_categorized(&c, &qml, err);
    if (rc)
        return rc;
    struct qtr_label lab;
    qtr_column_label(sc->cfg, field, "quartier", sc->en, &lab);
    if (add_style(sc->out, sc->li->name, field, qml, lab.alias, sc->update_time))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

static int categorized(const struct style_ctx *sc, const char *field, enum qtr_qml_kind kind,
                       size_t n, const char *const *values, const struct qtr_rgb *colors,
                       const char *const *labels, struct qtr_error *err)
{
    return categorized_as(sc, field, kind, n, values, colors, labels, 0, err);
}

static const struct field_info *field_of(const struct layer_info *li, const char *name)
{
    for (size_t k = 0; k < li->nfields; k++)
        if (!strcmp(li->fields[k].name, name))
            return &li->fields[k];
    return NULL;
}

/* The categorized styles of the renewal columns that exist in the layer. */
static int renewal_styles(const struct style_ctx *sc, struct qtr_error *err)
{
    enum qtr_lang lang = sc->en ? QTR_LANG_EN : QTR_LANG_DE;
    struct qtr_rgb st4[4], dyn3[3], two[2];
    int rc;
    /* Status: light (high status) to dark purple (very low); ordinal, colour-blind safe. */
    if ((rc = qtr_palette_colors(QTR_PAL_PURPLES, 4, st4, err)) ||
        (rc = qtr_palette_colors(QTR_PAL_PUOR, 3, dyn3, err)))
        return rc;
    if (field_of(sc->li, "status_class")) {
        const char *v[4];
        for (int i = 0; i < 4; i++)
            v[i] = qtr_status_class_name(i + 1, lang);
        if ((rc = categorized_as(sc, "status_class", QTR_QML_TEXT, 4, v, st4, NULL, 1, err)))
            return rc;
    }
    if (field_of(sc->li, "status_code")) {
        const char *v[4] = {"1", "2", "3", "4"}, *lb[4];
        for (int i = 0; i < 4; i++)
            lb[i] = qtr_status_class_name(i + 1, lang);
        if ((rc = categorized_as(sc, "status_code", QTR_QML_INT, 4, v, st4, lb, 1, err)))
            return rc;
    }
    /* Dynamics on PuOr: negative orange, stable white, positive purple (no red/green). */
    const struct qtr_rgb dcol[3] = {dyn3[2], dyn3[1], dyn3[0]};
    if (field_of(sc->li, "dynamics_class")) {
        const char *v[3];
        for (int i = 0; i < 3; i++)
            v[i] = qtr_dynamics_class_name(i + 1, lang);
        if ((rc = categorized_as(sc, "dynamics_class", QTR_QML_TEXT, 3, v, dcol, NULL, 1, err)))
            return rc;
    }
    if (field_of(sc->li, "dynamics_code")) {
        const char *v[3] = {"1", "2", "3"}, *lb[3];
        for (int i = 0; i < 3; i++)
            lb[i] = qtr_dynamics_class_name(i + 1, lang);
        if ((rc = categorized_as(sc, "dynamics_code", QTR_QML_INT, 3, v, dcol, lb, 1, err)))
            return rc;
    }
    /* The combined MSS classes ("mittel / negativ"): 12 categories in the bivariate palette
     * of the report's map (status = lightness, dynamics = hue), and "nicht bewertet". */
    if (field_of(sc->li, "status_dynamics")) {
        const char *v[QTR_BIV_CLASSES + 1];
        struct qtr_rgb bc[QTR_BIV_CLASSES + 1];
        for (int k = 1; k <= QTR_BIV_CLASSES; k++) {
            v[k - 1] = qtr_status_dynamics_name(qtr_biv_status(k), qtr_biv_dynamics(k), lang);
            bc[k - 1] = qtr_biv_color(k);
        }
        v[QTR_BIV_CLASSES] = qtr_not_rated_name(lang);
        bc[QTR_BIV_CLASSES] = qtr_palette_not_rated();
        if ((rc = categorized_as(sc, "status_dynamics", QTR_QML_TEXT, QTR_BIV_CLASSES + 1, v, bc,
                                 NULL, 1, err)))
            return rc;
    }
    /* Status/dynamics groups ordered from 1+ (high status, positive) to 4- (very low,
     * negative), in the same bivariate colours as status_dynamics. */
    if (field_of(sc->li, "status_dynamics_group")) {
        char vals[12][16];
        const char *v[12];
        static const char *const mark[] = {"+", "+/-", "-"};
        for (int s = 0; s < 4; s++)
            for (int d = 0; d < 3; d++) {
                snprintf(vals[s * 3 + d], sizeof vals[0], "%d%s", s + 1, mark[d]);
                v[s * 3 + d] = vals[s * 3 + d];
            }
        struct qtr_rgb gc[12];
        for (int i = 0; i < 12; i++)
            gc[i] = qtr_biv_color(i + 1);
        if ((rc = categorized_as(sc, "status_dynamics_group", QTR_QML_TEXT, 12, v, gc, NULL, 1,
                                 err)))
            return rc;
    }
    if (field_of(sc->li, "attention")) {
        struct qtr_rgb oi[8];
        if ((rc = qtr_palette_colors(QTR_PAL_OKABE_ITO, 8, oi, err)))
            return rc;
        two[0] = (struct qtr_rgb){240, 240, 240};
        two[1] = oi[1]; /* Okabe-Ito orange */
        const char *v[2] = {"0", "1"};
        const char *lb[2] = {sc->en ? "no" : "nein",
                             sc->en ? "needs attention" : "besondere Aufmerksamkeit"};
        if ((rc = categorized(sc, "attention", QTR_QML_INT, 2, v, two, lb, err)))
            return rc;
    }
    return QTR_OK;
}

static int contains_ci(const char *s, const char *needle);

static int is_categorized_field(const char *name)
{
    static const char *const cat[] = {"status_code", "dynamics_code", "attention"};
    for (size_t i = 0; i < sizeof cat / sizeof cat[0]; i++)
        if (!strcmp(name, cat[i]))
            return 1;
    size_t n = strlen(name);
    return contains_ci(name, "cluster") || (n > 8 && !strcmp(name + n - 8, "_lq_high"));
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

static int districts_styles(const struct style_ctx *sc, const struct qtr_state *st,
                            struct qtr_error *err)
{
    const struct layer_info *li = sc->li;
    int rc, made;
    for (size_t k = 0; k < li->nfields; k++) {
        const struct field_info *f = &li->fields[k];
        if (!f->v || is_categorized_field(f->name))
            continue;
        const struct qtr_column *c = qtr_frame_find(st->frame, f->name);
        /* computed columns only: the input counts are there to look up, not to map */
        if (!c || strcmp(c->origin, "quartier") != 0)
            continue;
        if ((rc = graduated(sc, f, &made, err)))
            return rc;
    }
    if ((rc = renewal_styles(sc, err)))
        return rc;
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
    if (sc->cfg->ngroups) {
        char name[128];
        snprintf(name, sizeof name, "%s_share", sc->cfg->groups[0].id);
        if (set_default(sc->out, li->name, name))
            return QTR_OK;
    }
    for (size_t i = 0; i < sc->out->n; i++)
        if (!strcmp(sc->out->s[i].table, li->name)) {
            sc->out->s[i].use_as_default = 1;
            return QTR_OK;
        }
    return QTR_OK; /* no numeric column at all: the caller adds an outline style */
}

static int layer_has_default(const struct style_list *l, const char *table);

static int contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (!strncasecmp(s, needle, n))
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/*
 * Local statistics in any spatial layer, as the spatial stage writes them:
 *  - LISA cluster types (Anselin 1995) in a field whose name contains "cluster": text
 *    "hoch-hoch", "niedrig-hoch", "niedrig-niedrig", "hoch-niedrig", "nicht signifikant"
 *    (English: "high-high", ...), or numbers in esda's coding (1 HH, 2 LH, 3 LL, 4 HL,
 *    0 not significant); GeoDa's red/blue colours (qtr_palette_lisa), never red/green;
 *  - Getis-Ord hot and cold spots in "*hotspot" (text "Hotspot", "Coldspot", ...);
 *  - the 0/1 flag "*_lq_high" (share significantly above the city's).
 * Any other value is "keine Angabe", white and hatched. With make_default (a layer other
 * than districts) the first such style becomes the layer's default.
 */
static int cluster_styles(const struct style_ctx *sc, int make_default, struct qtr_error *err)
{
    static const char *const codes[] = {"0", "1", "2", "3", "4"};
    static const char *const lisa_de[] = {"nicht signifikant", "hoch-hoch", "niedrig-hoch",
                                          "niedrig-niedrig", "hoch-niedrig"};
    static const char *const lisa_en[] = {"not significant", "high-high", "low-high", "low-low",
                                          "high-low"};
    static const char *const spot_de[] = {"Hotspot", "Coldspot", "nicht signifikant"};
    static const char *const spot_en[] = {"hot spot", "cold spot", "not significant"};
    static const char *const flag[] = {"0", "1"};
    const char *flag_de[] = {"nein", "signifikant hoher Anteil"};
    const char *flag_en[] = {"no", "significantly high share"};
    /* esda order: ns, HH, LH, LL, HL; qtr_palette_lisa is in GeoDa order ns, HH, LL, LH, HL */
    const struct qtr_rgb lisa[5] = {qtr_palette_lisa(0), qtr_palette_lisa(1), qtr_palette_lisa(3),
                                    qtr_palette_lisa(2), qtr_palette_lisa(4)};
    const struct qtr_rgb spot[3] = {qtr_palette_lisa(1), qtr_palette_lisa(2), qtr_palette_lisa(0)};
    struct qtr_rgb oi[8];
    int rc = qtr_palette_colors(QTR_PAL_OKABE_ITO, 8, oi, err);
    if (rc)
        return rc;
    const struct qtr_rgb flags[2] = {{240, 240, 240}, oi[1]};
    for (size_t k = 0; k < sc->li->nfields; k++) {
        const struct field_info *f = &sc->li->fields[k];
        int text = f->type == OFTString;
        if (!text && !numeric(f->type))
            continue;
        if (contains_ci(f->name, "cluster"))
            rc = categorized(sc, f->name, text ? QTR_QML_TEXT : QTR_QML_INT, 5,
                             text ? (sc->en ? lisa_en : lisa_de) : codes, lisa,
                             sc->en ? lisa_en : lisa_de, err);
        else if (text && ends_with(f->name, "hotspot"))
            rc = categorized(sc, f->name, QTR_QML_TEXT, 3, sc->en ? spot_en : spot_de, spot, NULL,
                             err);
        else if (!text && ends_with(f->name, "_lq_high"))
            rc = categorized(sc, f->name, QTR_QML_INT, 2, flag, flags, sc->en ? flag_en : flag_de,
                             err);
        else
            continue;
        if (rc)
            return rc;
        if (make_default && !layer_has_default(sc->out, sc->li->name))
            sc->out->s[sc->out->n - 1].use_as_default = 1;
    }
    return QTR_OK;
}

static int layer_has_default(const struct style_list *l, const char *table)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->s[i].table, table) && l->s[i].use_as_default)
            return 1;
    return 0;
}

int qtr_publish_build_styles(const struct qtr_config *cfg, const struct qtr_state *st,
                        const struct gpkg_info *g, const struct doc_list *docs, int en,
                        const char *update_time, struct style_list *out, struct qtr_error *err)
{
    int rc = QTR_OK;
    for (size_t i = 0; i < g->nlayers && !rc; i++) {
        const struct layer_info *li = &g->layers[i];
        if (!li->spatial)
            continue;
        struct qtr_qml_alias *al = qml_aliases(docs, li);
        if (!al)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        struct style_ctx sc = {cfg, li, al, en, out, update_time};
        if (!strcmp(li->name, "districts"))
            rc = districts_styles(&sc, st, err);
        if (!rc)
            rc = cluster_styles(&sc, strcmp(li->name, "districts") != 0, err);
        if (!rc && !layer_has_default(out, li->name)) {
            /* Nothing better known (e.g. a layer another stage added): outline only, so it
             * can lie over the districts map, and every feature is drawn. */
            char *qml = NULL;
            rc = qtr_qml_single(0, (struct qtr_rgb){255, 255, 255}, (struct qtr_rgb){35, 35, 35},
                                0.6, al, li->nfields, &qml, err);
            if (!rc &&
                add_style(out, li->name, "outline", qml, en ? "Outline" : "Umriss", update_time))
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            if (!rc)
                out->s[out->n - 1].use_as_default = 1;
        }
        free(al);
    }
    return rc;
}

