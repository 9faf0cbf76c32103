/*
 * publish_docs.c - what the written GeoPackage holds (read through OGR) and the aliases and
 * descriptions of its fields (gpkg_data_columns, the annex tables' heads).
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
/* What the GeoPackage holds, read through OGR before SQLite writes to it.                  */


void qtr_publish_info_release(struct gpkg_info *g)
{
    for (size_t i = 0; i < g->nlayers; i++) {
        for (size_t k = 0; k < g->layers[i].nfields; k++) {
            free(g->layers[i].fields[k].name);
            free(g->layers[i].fields[k].v);
        }
        free(g->layers[i].fields);
        free(g->layers[i].name);
        free(g->layers[i].fid);
    }
    free(g->layers);
    memset(g, 0, sizeof *g);
}

static int read_layer(OGRLayerH lyr, struct layer_info *li, int values, struct qtr_error *err)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    int nf = OGR_FD_GetFieldCount(d);
    li->name = qtr_strdup(OGR_L_GetName(lyr));
    const char *fid = OGR_L_GetFIDColumn(lyr);
    if (fid && *fid && !(li->fid = qtr_strdup(fid)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
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

int qtr_publish_read_info(const char *gpkg, struct gpkg_info *g, struct qtr_error *err)
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

void qtr_publish_docs_release(struct doc_list *l)
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

const char *qtr_publish_doc_alias(const struct doc_list *l, const char *table, const char *column)
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
    {"join_report", "severity", "Schweregrad", "Severity", "warning oder info", "warning or info"},
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

const struct qtr_column *qtr_publish_column(const struct qtr_state *st, const char *layer,
                                            const char *field)
{
    if (!strcmp(layer, "districts"))
        return st->frame ? qtr_frame_find(st->frame, field) : NULL;
    for (size_t a = 0; a < st->nareas; a++)
        if (!strcmp(st->areas[a].name, layer) && st->areas[a].attrs)
            return qtr_frame_find(st->areas[a].attrs, field);
    return NULL;
}

int qtr_publish_area(const struct qtr_state *st, const char *layer)
{
    for (size_t a = 0; a < st->nareas; a++)
        if (!strcmp(st->areas[a].name, layer))
            return 1;
    return 0;
}

int qtr_publish_build_docs(const struct qtr_config *cfg, const struct qtr_state *st,
                      const struct gpkg_info *g, int en, struct doc_list *l)
{
    for (size_t i = 0; i < g->nlayers; i++) {
        const struct layer_info *li = &g->layers[i];
        /* the table's own key, which QGIS shows as the first field */
        if (li->fid &&
            add_doc(l, li->name, li->fid, en ? "No." : "Nr.",
                    en ? "Running number of the row in this table (the GeoPackage's key, not a "
                         "district key)"
                       : "Laufende Nummer der Zeile in dieser Tabelle (Schlüssel der "
                         "GeoPackage-Tabelle, keine Gebietsnummer)"))
            return QTR_ERR_NOMEM;
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
            const struct qtr_column *c = qtr_publish_column(st, li->name, name);
            struct qtr_label lab;
            qtr_column_label(cfg, c, name, en, &lab);
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

