/*
 * present_fields.c - the presentation table's part for what is not a column of the
 * districts: the fields of the tables quartier writes besides the districts (city_indices,
 * change, goals, ...), the GeoPackage's own row number, the note on suppressed values, the
 * names of the indices, and the texts of the QGIS styles (descriptions, "no data").
 * docs/presentation.md.
 */
#include "quartier/present.h"

#include <stdio.h>
#include <string.h>

#include "quartier/format.h"

/* Columns of the tables quartier writes besides districts (output.c). */
static const struct {
    const char *table, *column, *de, *en, *desc_de, *desc_en;
} table_fields[] = {
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

int qtr_present_table_field(const char *table, const char *column, int en, const char **alias,
                            const char **description)
{
    for (size_t t = 0; t < sizeof table_fields / sizeof table_fields[0]; t++)
        if (!strcmp(table_fields[t].table, table) && !strcmp(table_fields[t].column, column)) {
            *alias = en ? table_fields[t].en : table_fields[t].de;
            *description = en ? table_fields[t].desc_en : table_fields[t].desc_de;
            return 1;
        }
    return 0;
}

void qtr_present_row_number(int en, const char **alias, const char **description)
{
    *alias = en ? "No." : "Nr.";
    *description = en ? "Running number of the row in this table (the GeoPackage's key, not a "
                        "district key)"
                      : "Laufende Nummer der Zeile in dieser Tabelle (Schlüssel der "
                        "GeoPackage-Tabelle, keine Gebietsnummer)";
}

void qtr_present_suppressed_note(const char *description, double min_count, int en, char *buf,
                                 size_t size)
{
    size_t n = strlen(description);
    const char *sep = n == 0 ? "" : description[n - 1] == '.' ? " " : ". ";
    snprintf(buf, size,
             en ? "%s%sSome values are suppressed (empty): counts below %g and cells kept "
                  "secret in the source, and values computed from them."
                : "%s%sEinzelne Werte sind unterdrückt (leer): Fallzahlen unter %g, in der "
                  "Quelle geheim gehaltene Werte und daraus berechnete Werte.",
             description, sep, min_count);
}

const char *qtr_present_nodata_label(int en, int suppressed)
{
    if (suppressed)
        return en ? "no data or suppressed" : "keine Angabe oder unterdrückt";
    return en ? "no data" : "keine Angabe";
}

void qtr_present_style_description(const struct qtr_present *p, size_t k, int en, char *buf,
                                   size_t size)
{
    switch (p->show) {
    case QTR_SHOW_GRADUATED:
        /* the method in words ("gleiche Anzahl Gebiete (Quantile)"), not its key ("quantile") */
        snprintf(buf, size, "%s: %s, %zu %s", p->alias, qtr_class_method_text(en, p->method), k,
                 en ? "classes" : "Klassen");
        break;
    case QTR_SHOW_BREAKS:
        snprintf(buf, size, "%s: %s", p->alias, en ? "fixed limits around 1" : "feste Grenzen um 1");
        break;
    case QTR_SHOW_SIGNIFICANCE:
        snprintf(buf, size, "%s: %s", p->alias,
                 en ? "significance classes" : "Signifikanzklassen");
        break;
    default:
        snprintf(buf, size, "%s", p->alias);
    }
}

const char *qtr_present_outline_name(int en)
{
    return en ? "Outline" : "Umriss";
}

void qtr_present_value(const struct qtr_present *p, double v, int en, char *buf, size_t size)
{
    char num[64];
    if (!(v == v)) { /* NaN: no value */
        if (size)
            buf[0] = '\0';
        return;
    }
    qtr_fmt_num(en, v, p->decimals, num, sizeof num);
    snprintf(buf, size, "%s%s%s", num, p->unit[0] ? " " : "", p->unit);
}

static const struct {
    const char *name, *de, *en;
} index_names[] = {
    {"dissimilarity", "Dissimilaritätsindex D", "Dissimilarity index D"},
    {"gini", "Gini-Segregationsindex", "Gini segregation index"},
    {"entropy", "Entropieindex H (Theil)", "Entropy index H (Theil)"},
    {"isolation", "Isolationsindex", "Isolation index"},
    {"exposure", "Kontaktindex (mit der übrigen Bevölkerung)", "Exposure to the rest"},
    {"atkinson_b01", "Atkinson-Index (b = 0,1)", "Atkinson index (b = 0.1)"},
    {"atkinson_b05", "Atkinson-Index (b = 0,5)", "Atkinson index (b = 0.5)"},
    {"atkinson_b09", "Atkinson-Index (b = 0,9)", "Atkinson index (b = 0.9)"},
    {"correlation_ratio", "Korrelationsverhältnis (eta²)", "Correlation ratio (eta²)"},
    {"mutual_information", "Mutual-Information-Index M", "Mutual information index M"},
    {"multigroup_dissimilarity", "Mehrgruppen-Dissimilarität", "Multigroup dissimilarity"},
    {"multigroup_entropy", "Mehrgruppen-Entropieindex H", "Multigroup entropy index H"},
    /* the kernel ("surface") versions (src/indices/surface.c) */
    {"surface_dissimilarity", "Mehrgruppen-Dissimilarität der Umgebungen (Reardon und O'Sullivan)",
     "Multigroup dissimilarity of the local environments (Reardon and O'Sullivan)"},
    {"surface_gini", "Mehrgruppen-Gini der Umgebungen", "Multigroup Gini of the local environments"},
    {"surface_entropy", "Räumlicher Entropieindex H (Reardon und O'Sullivan)",
     "Spatial information theory index H (Reardon and O'Sullivan)"},
    {"surface_normalized_exposure", "Mehrgruppen-Kontakt der Umgebungen (normiert)",
     "Multigroup normalized exposure of the local environments"},
    {"surface_relative_diversity", "Relative Vielfalt der Umgebungen (Reardon und O'Sullivan)",
     "Relative diversity of the local environments (Reardon and O'Sullivan)"},
    {"surface_squared_cv", "Quadrierter Variationskoeffizient der Umgebungen",
     "Squared coefficient of variation of the local environments"},
    {"surface_mutual_information", "Mutual-Information-Index M der Umgebungen",
     "Mutual information index M of the local environments"},
    {"surface_isolation", "Isolation in den Umgebungen", "Isolation in the local environments"},
};

const char *qtr_present_index_label(const char *index, int en)
{
    for (size_t k = 0; k < sizeof index_names / sizeof index_names[0]; k++)
        if (!strcmp(index, index_names[k].name))
            return en ? index_names[k].en : index_names[k].de;
    return index;
}
