/*
 * publish_stage.c - make the written outputs ready for the council and for QGIS:
 * styles and field documentation in the GeoPackage, run_info provenance,
 * annex tables, and the move of every file into place (docs/publish.md).
 *
 * It works on the temporary files qtr_pipeline_write left (st->keep_temporary),
 * so the previous outputs stay untouched until every new file is complete.
 */
#include "quartier/pipeline.h"

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


/* ---------------------------------------------------------------------------------------- */
/* Disclosure control before anything is written.                                          */

static int cell_hidden(const struct qtr_column *c, size_t i)
{
    return c && c->kind[i] == QTR_CELL_SUPPRESSED;
}

/*
 * The goals were assessed before disclosure control, on the real values. A district's goal
 * row and its goal_<target> state must not show what the frame now hides: where the
 * indicator of the target is suppressed for the district (at either date, to be safe), the
 * row's baseline, current value and path become missing and the state unknown, and the
 * district's goal state is left empty.
 */
static int disclose_goals(const struct qtr_config *cfg, struct qtr_state *st)
{
    const struct qtr_frame *f = st->frame;
    for (size_t t = 0; t < cfg->ntargets; t++) {
        const struct qtr_target_spec *ts = &cfg->targets[t];
        size_t k = 0;
        while (k < cfg->nindicators && strcmp(cfg->indicators[k].id, ts->indicator) != 0)
            k++;
        if (k == cfg->nindicators || !st->ind_cur)
            continue;
        const struct qtr_column *cur = st->ind_cur[k],
                                *prev = st->ind_prev ? st->ind_prev[k] : NULL;
        if (ts->district) {
            for (size_t g = 0; g < st->ngoals; g++) {
                struct qtr_goal_row *row = &st->goals[g];
                if (strcmp(row->target, ts->id) != 0 || strcmp(row->district, ts->district) != 0)
                    continue;
                for (size_t i = 0; i < f->n; i++)
                    if (!strcmp(f->key[i], ts->district) &&
                        (cell_hidden(cur, i) || cell_hidden(prev, i))) {
                        row->baseline = row->current = row->path = NAN;
                        row->state = QTR_GOAL_UNKNOWN;
                    }
            }
            continue;
        }
        char *name = qtr_asprintf("goal_%s", ts->id);
        if (!name)
            return QTR_ERR_NOMEM;
        struct qtr_column *gc = qtr_frame_find(f, name);
        free(name);
        if (!gc || !gc->is_text || !gc->text)
            continue;
        for (size_t i = 0; i < f->n; i++)
            if ((cell_hidden(cur, i) || cell_hidden(prev, i)) && gc->text[i]) {
                free(gc->text[i]);
                gc->text[i] = NULL;
            }
    }
    return QTR_OK;
}

int qtr_pipeline_disclose(const struct qtr_config *cfg, struct qtr_state *st, struct qtr_error *err)
{
    struct qtr_disclosure d;
    int rc = qtr_disclose_frame(st->frame, cfg, &d, err);
    if (rc)
        return rc;
    st->disclosure.counts += d.counts;
    st->disclosure.derived += d.derived;
    st->disclosure.columns += d.columns;
    if (disclose_goals(cfg, st))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* What the GeoPackage holds, read through OGR before SQLite writes to it.                  */

struct field_info {
    char *name;
    OGRFieldType type;
    double *v; /* districts only: values per feature, NaN for NULL */
};

struct layer_info {
    char *name;
    int spatial;
    size_t nfields;
    struct field_info *fields;
    size_t n; /* features */
};

struct gpkg_info {
    size_t nlayers;
    struct layer_info *layers;
};

static void info_release(struct gpkg_info *g)
{
    for (size_t i = 0; i < g->nlayers; i++) {
        for (size_t k = 0; k < g->layers[i].nfields; k++) {
            free(g->layers[i].fields[k].name);
            free(g->layers[i].fields[k].v);
        }
        free(g->layers[i].fields);
        free(g->layers[i].name);
    }
    free(g->layers);
    memset(g, 0, sizeof *g);
}

static int numeric(OGRFieldType t)
{
    return t == OFTReal || t == OFTInteger || t == OFTInteger64;
}

static int read_layer(OGRLayerH lyr, struct layer_info *li, int values, struct qtr_error *err)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    int nf = OGR_FD_GetFieldCount(d);
    li->name = qtr_strdup(OGR_L_GetName(lyr));
    li->spatial = OGR_L_GetGeomType(lyr) != wkbNone;
    li->fields = calloc((size_t)nf + 1, sizeof *li->fields);
    if (!li->name || !li->fields)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    li->nfields = (size_t)nf;
    GIntBig cnt = OGR_L_GetFeatureCount(lyr, 1);
    li->n = cnt > 0 ? (size_t)cnt : 0;
    for (int k = 0; k < nf; k++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(d, k);
        li->fields[k].name = qtr_strdup(OGR_Fld_GetNameRef(fd));
        li->fields[k].type = OGR_Fld_GetType(fd);
        if (!li->fields[k].name)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        if (values && numeric(li->fields[k].type)) {
            li->fields[k].v = malloc((li->n + 1) * sizeof(double));
            if (!li->fields[k].v)
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        }
    }
    if (!values)
        return QTR_OK;
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    size_t i = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL && i < li->n) {
        for (int k = 0; k < nf; k++)
            if (li->fields[k].v)
                li->fields[k].v[i] =
                    OGR_F_IsFieldSetAndNotNull(f, k) ? OGR_F_GetFieldAsDouble(f, k) : NAN;
        OGR_F_Destroy(f);
        i++;
    }
    if (f)
        OGR_F_Destroy(f);
    li->n = i;
    return QTR_OK;
}

static int read_info(const char *gpkg, struct gpkg_info *g, struct qtr_error *err)
{
    static const char *const drivers[] = {"GPKG", NULL};
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (!ds)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open '%s' again to style it (%s)", gpkg,
                             qtr_gdal_last_error());
    int rc = QTR_OK;
    int nl = GDALDatasetGetLayerCount(ds);
    g->layers = calloc((size_t)nl + 1, sizeof *g->layers);
    if (!g->layers)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < nl && !rc; i++) {
        OGRLayerH lyr = GDALDatasetGetLayer(ds, i);
        g->nlayers++;
        /* values are needed for the classes of the districts layer only */
        rc = read_layer(lyr, &g->layers[i], !strcmp(OGR_L_GetName(lyr), "districts"), err);
    }
    GDALClose(ds);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Field documentation: aliases and descriptions.                                           */

struct doc_list {
    struct qtr_gpkg_column_doc *d;
    size_t n, cap;
    char **owned;
    size_t nowned, capowned;
};

static char *keep(struct doc_list *l, char *s)
{
    if (!s)
        return NULL;
    if (l->nowned == l->capowned) {
        size_t c = l->capowned ? 2 * l->capowned : 64;
        char **p = realloc(l->owned, c * sizeof *p);
        if (!p) {
            free(s);
            return NULL;
        }
        l->owned = p;
        l->capowned = c;
    }
    l->owned[l->nowned++] = s;
    return s;
}

static void docs_release(struct doc_list *l)
{
    for (size_t i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->d);
    memset(l, 0, sizeof *l);
}

static int alias_taken(const struct doc_list *l, const char *table, const char *alias)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->d[i].table, table) && !strcmp(l->d[i].alias, alias))
            return 1;
    return 0;
}

/* Add one row; an alias already used in the table gets the field name appended. */
static int add_doc(struct doc_list *l, const char *table, const char *column, const char *alias,
                   const char *description)
{
    if (l->n == l->cap) {
        size_t c = l->cap ? 2 * l->cap : 64;
        struct qtr_gpkg_column_doc *p = realloc(l->d, c * sizeof *p);
        if (!p)
            return QTR_ERR_NOMEM;
        l->d = p;
        l->cap = c;
    }
    char *a = keep(l, qtr_strdup(alias && *alias ? alias : column));
    if (a && alias_taken(l, table, a))
        a = keep(l, qtr_asprintf("%s [%s]", a, column));
    char *t = keep(l, qtr_strdup(table)), *c = keep(l, qtr_strdup(column));
    char *d = description && *description ? keep(l, qtr_strdup(description)) : NULL;
    if (!a || !t || !c || (description && *description && !d))
        return QTR_ERR_NOMEM;
    l->d[l->n++] = (struct qtr_gpkg_column_doc){t, c, a, NULL, d};
    return QTR_OK;
}

static const char *doc_alias(const struct doc_list *l, const char *table, const char *column)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->d[i].table, table) && !strcmp(l->d[i].column, column))
            return l->d[i].alias;
    return column;
}

/* Columns of the tables quartier writes besides districts (output.c). */
static const struct {
    const char *table, *column, *de, *en, *desc_de, *desc_en;
} table_labels[] = {
    {"city_indices", "index", "Index", "Index", "Name des Segregationsindex", "Index name"},
    {"city_indices", "group", "Gruppe", "Group", "Bevölkerungsgruppe", "Population group"},
    {"city_indices", "value", "Wert", "Value", "Wert des Index für die ganze Stadt",
     "Citywide value of the index"},
    {"city_indices", "ci_low", "95-%-Intervall, untere Grenze", "95 % interval, lower",
     "Untere Grenze des Bootstrap-Intervalls", "Lower limit of the bootstrap interval"},
    {"city_indices", "ci_high", "95-%-Intervall, obere Grenze", "95 % interval, upper",
     "Obere Grenze des Bootstrap-Intervalls", "Upper limit of the bootstrap interval"},
    {"city_indices", "p_value", "p-Wert", "p-value",
     "Anteil der Zufallsverteilungen mit mindestens so starker Segregation",
     "Share of random allocations with at least as much segregation"},
    {"city_indices", "expected", "Erwartungswert bei Zufall", "Expected under randomness",
     "Mittelwert des Index bei zufälliger Verteilung der Gruppe",
     "Mean of the index when the group is allocated at random"},
    {"city_indices", "status", "Berechnung", "Computation", "ok oder nicht definiert",
     "ok or not defined"},
    {"city_indices", "reason", "Grund", "Reason", "Warum der Index nicht definiert ist",
     "Why the index is not defined"},
    {"city_indices", "suppressed_low", "Untergrenze bei unterdrückten Zellen",
     "Lower bound (suppressed cells)",
     "Wert des Index, wenn jede unterdrückte Zelle den kleinsten möglichen Wert hat",
     "Index value with every suppressed cell at its smallest possible value"},
    {"city_indices", "suppressed_high", "Obergrenze bei unterdrückten Zellen",
     "Upper bound (suppressed cells)",
     "Wert des Index, wenn jede unterdrückte Zelle den größten möglichen Wert hat",
     "Index value with every suppressed cell at its largest possible value"},
    {"multiscalar_profile", "index", "Index", "Index", "Name des Segregationsindex", "Index name"},
    {"multiscalar_profile", "group", "Gruppe", "Group", "Bevölkerungsgruppe", "Population group"},
    {"multiscalar_profile", "bandwidth_m", "Bandbreite (m)", "Bandwidth (m)",
     "Radius der lokalen Umgebung (Kernel-Bandbreite)", "Radius of the local environment"},
    {"multiscalar_profile", "value", "Wert", "Value", "Wert des Index bei dieser Bandbreite",
     "Index value at this bandwidth"},
    {"multiscalar_profile", "status", "Berechnung", "Computation", "ok oder nicht definiert",
     "ok or not defined"},
    {"join_report", "kind", "Art", "Kind", "Art des Befunds", "Kind of finding"},
    {"join_report", "severity", "Gewicht", "Severity", "warning oder info", "warning or info"},
    {"join_report", "key", "Schlüssel", "Key", "Schlüssel des Gebiets oder der Tabellenzeile",
     "Key of the district or table row"},
    {"join_report", "name", "Name", "Name", "Name des Gebiets", "District name"},
    {"join_report", "source", "Quelle", "Source", "Datei oder Tabelle", "File or table"},
    {"join_report", "detail", "Einzelheiten", "Detail", "Beschreibung des Befunds",
     "Description of the finding"},
    {"change", "index", "Index", "Index", "Name des Segregationsindex", "Index name"},
    {"change", "group", "Gruppe", "Group", "Bevölkerungsgruppe", "Population group"},
    {"change", "component", "Komponente", "Component", "Teil der Shapley-Zerlegung von M",
     "Part of the Shapley decomposition of M"},
    {"change", "previous", "Vorperiode", "Previous", "Wert zum vorigen Stichtag",
     "Value at the previous reference date"},
    {"change", "current", "Aktuell", "Current", "Wert zum aktuellen Stichtag",
     "Value at the current reference date"},
    {"change", "difference", "Veränderung", "Difference", "Aktuell minus Vorperiode",
     "Current minus previous"},
    {"change", "expected", "Erwartete Veränderung bei Zufall", "Expected under randomness",
     "Mittlere Veränderung bei zufälliger Zuordnung der Stichtage",
     "Mean difference under random labelling of the dates"},
    {"change", "p_value", "p-Wert", "p-value", "Zweiseitiger p-Wert der Veränderung",
     "Two-sided p-value of the difference"},
    {"change", "method", "Methode", "Method", "Verfahren des Tests", "Test method"},
    {"change", "n_previous", "Gebiete Vorperiode", "Districts previous",
     "Zahl der Gebiete zum vorigen Stichtag", "Districts at the previous date"},
    {"change", "n_current", "Gebiete aktuell", "Districts current",
     "Zahl der Gebiete zum aktuellen Stichtag", "Districts at the current date"},
    {"change", "note", "Hinweis", "Note", "Hinweis zur Vergleichbarkeit", "Note on comparability"},
    {"crosswalk", "source_key", "Schlüssel Quelle", "Source key",
     "Gebiet der eigenen Gliederung der übertragenen Tabelle",
     "District of the carried table's own layout"},
    {"crosswalk", "target_key", "Schlüssel Ziel", "Target key", "Gebiet der Analyse",
     "Analysis district"},
    {"crosswalk", "table_id", "Tabelle", "Table", "Kennung der übertragenen Tabelle ([table])",
     "Id of the carried table ([table])"},
    {"crosswalk", "piece_area_m2", "Fläche des Stücks (m²)", "Piece area (m²)",
     "Fläche der Schnittmenge beider Gebiete (leer bei Zuordnungstabelle)",
     "Area the two districts share (empty for a correspondence table)"},
    {"crosswalk", "weight", "Gewicht", "Weight",
     "Fläche, Flächenanteil mal Hilfszahl (dasymetrisch) oder amtlicher Anteil",
     "Area, area share times ancillary count (dasymetric) or official share"},
    {"crosswalk", "share", "Anteil", "Share",
     "Anteil der Zählwerte des Quellgebiets, der auf das Zielgebiet übertragen wird",
     "Part of the source district's counts carried onto the target district"},
    {"goals", "target", "Ziel", "Target", "Kennung des Ziels", "Target id"},
    {"goals", "indicator", "Indikator", "Indicator", "Indikator des Ziels", "Indicator"},
    {"goals", "action_field", "Handlungsfeld", "Field of action", "Handlungsfeld",
     "Field of action"},
    {"goals", "district", "Gebiet", "District", "Gebiet (leer: ganze Stadt)",
     "District (empty: citywide)"},
    {"goals", "baseline_year", "Ausgangsjahr", "Baseline year", "Jahr des Ausgangswerts",
     "Year of the baseline"},
    {"goals", "baseline", "Ausgangswert", "Baseline", "Wert im Ausgangsjahr",
     "Value in the baseline year"},
    {"goals", "current_year", "Aktuelles Jahr", "Current year", "Jahr des aktuellen Werts",
     "Year of the current value"},
    {"goals", "current", "Aktueller Wert", "Current value", "Wert zum aktuellen Stichtag",
     "Value at the current date"},
    {"goals", "target_year", "Zieljahr", "Target year", "Jahr, bis zu dem das Ziel gilt",
     "Year of the target"},
    {"goals", "target_value", "Zielwert", "Target value", "Angestrebter Wert", "Target value"},
    {"goals", "path_value", "Wert auf dem Zielpfad", "Value on the path",
     "Wert auf der Geraden vom Ausgangs- zum Zielwert im aktuellen Jahr",
     "Value on the straight path to the target in the current year"},
    {"goals", "state", "Stand", "State", "erreicht, auf Kurs, nicht auf Kurs",
     "met, on track, off track"},
    {"run_info", "item", "Angabe", "Item", "Was", "What"},
    {"run_info", "value", "Wert", "Value", "Wert", "Value"},
};

/* Does column col of the frame hold cells that are not shown (suppressed or secret)? */
static int has_hidden(const struct qtr_column *c)
{
    return c && !c->is_text &&
           c->count[QTR_CELL_SUPPRESSED] + c->count[QTR_CELL_SECRET] +
                   c->count[QTR_CELL_UNRELIABLE] >
               0;
}

/* Separator between a description and an added sentence. */
static const char *sep(const char *d)
{
    size_t n = strlen(d);
    return n == 0 ? "" : d[n - 1] == '.' ? " " : ". ";
}

static int build_docs(const struct qtr_config *cfg, const struct qtr_state *st,
                      const struct gpkg_info *g, int en, struct doc_list *l)
{
    for (size_t i = 0; i < g->nlayers; i++) {
        const struct layer_info *li = &g->layers[i];
        for (size_t k = 0; k < li->nfields; k++) {
            const char *name = li->fields[k].name;
            int done = 0;
            for (size_t t = 0; t < sizeof table_labels / sizeof table_labels[0] && !done; t++)
                if (!strcmp(table_labels[t].table, li->name) &&
                    !strcmp(table_labels[t].column, name)) {
                    if (add_doc(l, li->name, name, en ? table_labels[t].en : table_labels[t].de,
                                en ? table_labels[t].desc_en : table_labels[t].desc_de))
                        return QTR_ERR_NOMEM;
                    done = 1;
                }
            if (done)
                continue;
            const struct qtr_column *c =
                !strcmp(li->name, "districts") ? qtr_frame_find(st->frame, name) : NULL;
            struct qtr_label lab;
            qtr_column_label(cfg, name, c ? c->origin : NULL, en, &lab);
            char *desc = NULL;
            if (has_hidden(c))
                desc = qtr_asprintf(
                    en ? "%s%sSome values are suppressed (empty): counts below %g and cells kept "
                         "secret in the source, and values computed from them."
                       : "%s%sEinzelne Werte sind unterdrückt (leer): Fallzahlen unter %g, in der "
                         "Quelle geheim gehaltene Werte und daraus berechnete Werte.",
                    lab.description, sep(lab.description), cfg->min_count);
            int rc = add_doc(l, li->name, name, lab.alias, desc ? desc : lab.description);
            free(desc);
            if (rc)
                return QTR_ERR_NOMEM;
        }
    }
    return QTR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Styles.                                                                                  */

struct style_list {
    struct qtr_gpkg_style *s;
    size_t n, cap;
};

static void styles_release(struct style_list *l)
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
        a[k].alias = doc_alias(docs, li->name, li->fields[k].name);
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

static int build_styles(const struct qtr_config *cfg, const struct qtr_state *st,
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

/* ---------------------------------------------------------------------------------------- */
/* run_info: date, checksums, attributions.                                                 */

static int sha256_file(const char *path, char hex[65])
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return QTR_ERR_IO;
    struct qtr_sha256 s;
    unsigned char buf[65536], d[32];
    size_t n;
    qtr_sha256_init(&s);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        qtr_sha256_update(&s, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return QTR_ERR_IO;
    qtr_sha256_final(&s, d);
    qtr_sha256_hex(d, hex);
    return QTR_OK;
}

struct rows {
    sqlite3 *db;
    sqlite3_stmt *ins;
    const char *path;
};

static int put_row(struct rows *r, const char *item, const char *value, struct qtr_error *err)
{
    sqlite3_reset(r->ins);
    if (sqlite3_bind_text(r->ins, 1, item, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(r->ins, 2, value ? value : "", -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(r->ins) != SQLITE_DONE)
        return qtr_error_set(err, QTR_ERR_IO, "cannot add to run_info in '%s': %s", r->path,
                             sqlite3_errmsg(r->db));
    return QTR_OK;
}

/* Checksum a file, and for a shapefile its side files (.shx, .dbf, .prj, .cpg). */
static int checksum_rows(struct rows *r, const char *what, const char *path, struct qtr_error *err)
{
    char hex[65], item[300];
    int rc;
    if (!path || qtr_starts_with(path, "PG:"))
        return QTR_OK;
    snprintf(item, sizeof item, "sha256_%s", what);
    if (sha256_file(path, hex) != QTR_OK)
        return put_row(r, item, "not readable as a file", err);
    char *v = qtr_asprintf("%s  %s", hex, path);
    if (!v)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    rc = put_row(r, item, v, err);
    free(v);
    size_t n = strlen(path);
    if (rc || n < 4 || strcasecmp(path + n - 4, ".shp") != 0)
        return rc;
    static const char *const side[] = {".shx", ".dbf", ".prj", ".cpg"};
    for (size_t k = 0; k < 4 && !rc; k++) {
        char *p = qtr_asprintf("%.*s%s", (int)(n - 4), path, side[k]);
        if (!p)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        if (sha256_file(p, hex) == QTR_OK) {
            snprintf(item, sizeof item, "sha256_%s%s", what, side[k]);
            char *val = qtr_asprintf("%s  %s", hex, p);
            rc = val ? put_row(r, item, val, err) : qtr_error_set(err, QTR_ERR_NOMEM, "oom");
            free(val);
        }
        free(p);
    }
    return rc;
}

static int run_info_rows(const char *gpkg, const struct qtr_config *cfg, const struct qtr_state *st,
                         const char *date, int fixed, struct qtr_error *err)
{
    struct rows r = {NULL, NULL, gpkg};
    int rc = QTR_OK;
    if (sqlite3_open_v2(gpkg, &r.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot open '%s': %s", gpkg,
                           r.db ? sqlite3_errmsg(r.db) : "out of memory");
        goto out;
    }
    if (sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r.db, "INSERT INTO run_info (item, value) VALUES (?1, ?2)", -1, &r.ins,
                           NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot add to run_info in '%s': %s", gpkg,
                           sqlite3_errmsg(r.db));
        goto out;
    }
    char buf[200];
    if ((rc = put_row(&r, "date", date, err)) ||
        (rc = put_row(&r, "date_source", fixed ? "SOURCE_DATE_EPOCH" : "system clock", err)) ||
        (rc = put_row(&r, "language", cfg->language ? cfg->language : "de", err)))
        goto out;
    snprintf(buf, sizeof buf,
             "min_count %g: %zu counts and %zu values computed from them suppressed, in %zu "
             "columns",
             cfg->min_count, st->disclosure.counts, st->disclosure.derived, st->disclosure.columns);
    if ((rc = put_row(&r, "disclosure_control", buf, err)) ||
        (rc = checksum_rows(&r, "analysis_file", cfg->path, err)) ||
        (rc = checksum_rows(&r, "boundaries", cfg->bnd_source, err)) ||
        (rc = put_row(&r, "attribution_boundaries",
                      cfg->bnd_attribution ? cfg->bnd_attribution : "not given", err)))
        goto out;
    for (size_t t = 0; t < cfg->ntables && !rc; t++) {
        char what[200];
        snprintf(what, sizeof what, "table_%s", cfg->tables[t].id);
        rc = checksum_rows(&r, what, cfg->tables[t].source, err);
        snprintf(what, sizeof what, "attribution_table_%s", cfg->tables[t].id);
        if (!rc)
            rc =
                put_row(&r, what,
                        cfg->tables[t].attribution ? cfg->tables[t].attribution : "not given", err);
    }
    if (!rc && sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write run_info in '%s': %s", gpkg,
                           sqlite3_errmsg(r.db));
out:
    sqlite3_finalize(r.ins);
    if (r.db && rc)
        sqlite3_exec(r.db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(r.db);
    return rc;
}

static const char *const annex_tables[] = {"districts",   "city_indices",        "change",
                                           "goals",       "join_report",         "multiscalar_profile",
                                           "crosswalk"};

/* Append a copy of `path` to the list of published files. */
static int add_published(struct qtr_state *st, const char *path, struct qtr_error *err)
{
    char **np = realloc(st->published, (st->npublished + 1) * sizeof *np);
    if (!np)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->published = np;
    if (!(np[st->npublished] = qtr_strdup(path)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st->npublished++;
    return QTR_OK;
}

int qtr_pipeline_publish(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                         const char *outdir, struct qtr_error *err)
{
    struct gpkg_info g = {0, NULL};
    struct doc_list docs = {0};
    struct style_list styles = {0};
    char *tables_dir = NULL, *path = NULL;
    int rc = QTR_OK;
    int en = cfg->language && !strcmp(cfg->language, "en");
    const char *date = ctx->run_date;
    int fixed = ctx->run_date_fixed;
    if (!st->gpkg_path || !st->geojson_path)
        return qtr_error_set(err, QTR_ERR_INTERNAL,
                             "publish needs the outputs of qtr_pipeline_write");
    if (!date[0])
        return qtr_error_set(err, QTR_ERR_INTERNAL, "the run has no date (qtr_ctx_set_date)");
    const char *gpkg = st->gpkg_path;
    qtr_progress(ctx, 0.0, "styles and annex");

    /* 1. what is in the file */
    if ((rc = read_info(gpkg, &g, err)))
        goto out;
    /* 2. aliases and descriptions, 3. styles, 4. provenance (all through SQLite) */
    if (build_docs(cfg, st, &g, en, &docs)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = build_styles(cfg, st, &g, &docs, en, fixed ? date : NULL, &styles, err)))
        goto out;
    if ((rc = qtr_gpkg_add_column_docs(gpkg, docs.d, docs.n, err)) ||
        (rc = qtr_gpkg_add_styles(gpkg, styles.s, styles.n, err)) ||
        (rc = run_info_rows(gpkg, cfg, st, date, fixed, err)) ||
        (rc = qtr_qgis_plan_begin(&st->qgis, cfg, en, styles.s, styles.n, docs.d, docs.n, err)))
        goto out;
    if ((rc = add_published(st, st->gpkg_path, err)) ||
        (rc = add_published(st, st->geojson_path, err)))
        goto out;
    qtr_progress(ctx, 0.5, "styles and annex");

    /* 5. annex tables */
    tables_dir = qtr_asprintf("%s/tables", outdir);
    if (!tables_dir) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_mkdir_p(tables_dir, err)))
        goto out;
    for (size_t t = 0; t < sizeof annex_tables / sizeof annex_tables[0]; t++) {
        free(path);
        if (!(path = qtr_asprintf("%s/%s.csv", tables_dir, annex_tables[t]))) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        int written = 0;
        if ((rc = qtr_annex_csv(gpkg, annex_tables[t], docs.d, docs.n, path, &written, err)))
            goto out;
        if (written && (rc = add_published(st, path, err)))
            goto out;
    }
    free(path);
    if (!(path = qtr_asprintf("%s/quartier.xlsx", tables_dir))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_annex_xlsx(gpkg, annex_tables, sizeof annex_tables / sizeof annex_tables[0],
                             docs.d, docs.n, path, err)) ||
        (rc = add_published(st, path, err)))
        goto out;
    qtr_progress(ctx, 1.0, "styles and annex");
out:
    free(path);
    free(tables_dir);
    styles_release(&styles);
    docs_release(&docs);
    info_release(&g);
    return rc;
}
