#include "quartier/labels.h"

#include <stdio.h>
#include <string.h>

static const char *group_label(const struct qtr_group_spec *g, int en)
{
    if (en && g->label_en)
        return g->label_en;
    return g->label ? g->label : g->id;
}

static const char *ind_label(const struct qtr_indicator_spec *s, int en)
{
    if (en && s->label_en)
        return s->label_en;
    return s->label ? s->label : s->id;
}

static int ends_with(const char *s, const char *suffix, size_t *stem)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n <= k || strcmp(s + n - k, suffix) != 0)
        return 0;
    *stem = n - k;
    return 1;
}

static void set(struct qtr_label *o, const char *alias, const char *desc, const char *unit,
                int decimals)
{
    snprintf(o->alias, sizeof o->alias, "%.159s", alias);
    snprintf(o->description, sizeof o->description, "%.399s", desc);
    snprintf(o->unit, sizeof o->unit, "%.23s", unit ? unit : "");
    o->decimals = decimals;
}

static const struct {
    const char *name, *de, *en, *desc_de, *desc_en, *unit;
    int decimals;
} fixed[] = {
    {"key", "Schlüssel", "Key", "Schlüssel des Gebiets aus der Grenzdatei",
     "District key from the boundary file", "", 0},
    {"name", "Name", "Name", "Name des Gebiets", "District name", "", 0},
    {"has_statistics", "Statistik vorhanden", "Has statistics",
     "1, wenn jede Tabelle eine Zeile für das Gebiet hat", "1 when every table has a row", "", 0},
    {"in_indices", "In den Indizes", "In the indices",
     "1, wenn das Gebiet in die Segregationsindizes eingeht (Einwohnerzahl, vollständige Werte)",
     "1 when the district enters the segregation indices", "", 0},
    {"area_ha", "Fläche (ha)", "Area (ha)", "Fläche im Arbeits-Koordinatensystem",
     "Area in the work CRS", "ha", 1},
    {"renewal_validity", "Gültigkeit (Monitoring)", "Validity (monitoring)",
     "Ob das Gebiet in Standardisierung und Klassen eingeht (wie MSS: ungültig unter 300 "
     "Einwohnern oder als Ausreißer)",
     "Whether the district enters standardisation and classes", "", 0},
    {"status_index", "Statusindex", "Status index",
     "Gewichtete Summe der z-Werte der Statusindikatoren, erneut standardisiert (hoch = "
     "ungünstig)",
     "Weighted sum of the status indicators' z-scores, standardised again (high = worse)", "",
     2},
    {"status_class", "Status", "Status", "Statusklasse: hoch, mittel, niedrig, sehr niedrig",
     "Status class: high, medium, low, very low", "", 0},
    {"status_code", "Status (Kennziffer)", "Status (code)",
     "1 hoch, 2 mittel, 3 niedrig, 4 sehr niedrig", "1 high, 2 medium, 3 low, 4 very low", "", 0},
    {"dynamics_index", "Dynamikindex", "Dynamics index",
     "Gewichtete Summe der z-Werte der Veränderungen, erneut standardisiert (hoch = "
     "ungünstig)",
     "Weighted sum of the changes' z-scores, standardised again (high = worse)", "", 2},
    {"dynamics_class", "Dynamik", "Dynamics", "Dynamikklasse: positiv, stabil, negativ",
     "Dynamics class: positive, stable, negative", "", 0},
    {"dynamics_code", "Dynamik (Kennziffer)", "Dynamics (code)", "1 positiv, 2 stabil, 3 negativ",
     "1 positive, 2 stable, 3 negative", "", 0},
    {"status_dynamics_group", "Status-Dynamik-Gruppe", "Status/dynamics group",
     "Kombination aus Status und Dynamik wie im Monitoring Soziale Stadtentwicklung",
     "Combination of status and dynamics as in Berlin's MSS", "", 0},
    {"status_dynamics", "Status und Dynamik", "Status and dynamics",
     "Status- und Dynamikklasse zusammen, z. B. \"mittel / negativ\"; \"nicht bewertet\" bei "
     "zu wenigen Einwohnern, Ausreißern oder fehlenden Indikatoren",
     "Status and dynamics class together, e.g. \"medium / negative\"; \"not rated\" for too "
     "few residents, outliers or missing indicators",
     "", 0},
    {"attention", "Besondere Aufmerksamkeit", "Needs attention",
     "1, wenn die Aufmerksamkeitsregel der Analyse greift", "1 when the attention rule applies",
     "", 0},
    {"local_diversity", "Lokale Diversität", "Local diversity",
     "Theil-Diversität der Gruppen im Gebiet: -Σ p ln p", "Theil diversity of the groups: -Σ p ln p",
     "", 3},
    {"local_entropy", "Lokale Entropie", "Local entropy",
     "Diversität geteilt durch ln(Anzahl Gruppen): 0 = eine Gruppe, 1 = alle gleich stark",
     "Diversity divided by ln(number of groups)", "", 3},
    {"local_simpson_interaction", "Simpson-Interaktion (lokal)", "Simpson interaction (local)",
     "Wahrscheinlichkeit, dass zwei zufällig gewählte Einwohner verschiedenen Gruppen angehören",
     "Probability that two residents drawn at random belong to different groups", "", 3},
    {"local_m_contribution", "Beitrag zum M-Index", "Contribution to M",
     "Lokaler Segregationswert nach Elbers: gewichtet mit dem Einwohneranteil ergibt die Summe M",
     "Elbers' local segregation score; weighted by population share it sums to M", "", 3},
    {"neighbours", "Nachbargebiete", "Neighbours",
     "Zahl der Gebiete mit gemeinsamem Grenzpunkt (Queen-Nachbarschaft)",
     "Number of districts sharing a boundary point (queen contiguity)", "", 0},
    {"reason", "Begründung", "Reason", "Warum das Gebiet so eingestuft ist",
     "Why the district is classified as it is", "", 0},
};

void qtr_column_label(const struct qtr_config *cfg, const char *name, const char *origin,
                      int english, struct qtr_label *out)
{
    char a[200], d[400];
    size_t stem;
    set(out, name, "", "", 2);
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
        if (!strcmp(name, fixed[k].name)) {
            set(out, english ? fixed[k].en : fixed[k].de,
                english ? fixed[k].desc_en : fixed[k].desc_de, fixed[k].unit, fixed[k].decimals);
            return;
        }
    if (origin && strcmp(origin, "quartier") != 0) {
        snprintf(d, sizeof d, english ? "Column '%s' of %s" : "Spalte '%s' aus %s", name,
                 !strcmp(origin, "boundaries") ? (english ? "the boundary file" : "der Grenzdatei")
                                               : origin);
        set(out, name, d, "", 2);
        return;
    }
    for (size_t g = 0; cfg && g < cfg->ngroups; g++) {
        const char *id = cfg->groups[g].id;
        size_t il = strlen(id);
        if (strncmp(name, id, il) != 0)
            continue;
        const char *gl = group_label(&cfg->groups[g], english);
        if (!strcmp(name + il, "_share")) {
            snprintf(a, sizeof a, english ? "Share %s (%%)" : "Anteil %s (%%)", gl);
            snprintf(d, sizeof d,
                     english ? "%s as a percentage of all residents"
                             : "%s in Prozent aller Einwohner",
                     gl);
            set(out, a, d, "%", 1);
            return;
        }
        if (!strcmp(name + il, "_share_diff")) {
            snprintf(a, sizeof a,
                     english ? "Share %s, difference to the city (pp)"
                             : "Anteil %s, Abstand zur Gesamtstadt (Pp.)",
                     gl);
            snprintf(d, sizeof d,
                     english ? "District share minus the city's share, percentage points"
                             : "Anteil im Gebiet minus Anteil in der Gesamtstadt, in Prozentpunkten");
            set(out, a, d, english ? "pp" : "Pp.", 1);
            return;
        }
        if (!strcmp(name + il, "_lq")) {
            snprintf(a, sizeof a, english ? "Location quotient %s" : "Standortquotient %s", gl);
            snprintf(d, sizeof d,
                     english ? "Share of %s in the district divided by the city's share (1 = "
                               "as in the city)"
                             : "Anteil %s im Gebiet geteilt durch den Anteil in der Stadt (1 = "
                               "wie in der Stadt)",
                     gl);
            set(out, a, d, "", 2);
            return;
        }
    }
    for (size_t k = 0; cfg && k < cfg->nindicators; k++) {
        const struct qtr_indicator_spec *s = &cfg->indicators[k];
        const char *il = ind_label(s, english);
        const char *unit = s->unit ? s->unit : "";
        if (!strcmp(name, s->id)) {
            if (*unit)
                snprintf(a, sizeof a, "%s (%s)", il, unit);
            else
                snprintf(a, sizeof a, "%s", il);
            snprintf(d, sizeof d, "%s = %s", il, s->expr);
            set(out, a, d, unit, 1);
            return;
        }
        if (ends_with(name, "_previous", &stem) && stem == strlen(s->id) &&
            !strncmp(name, s->id, stem)) {
            snprintf(a, sizeof a, english ? "%s, previous date" : "%s, Vorperiode", il);
            snprintf(d, sizeof d, "%s = %s", il, s->previous ? s->previous : "");
            set(out, a, d, unit, 1);
            return;
        }
        if (ends_with(name, "_change", &stem) && stem == strlen(s->id) &&
            !strncmp(name, s->id, stem)) {
            snprintf(a, sizeof a, english ? "Change %s" : "Veränderung %s", il);
            snprintf(d, sizeof d,
                     english ? "Change of %s between the two reference dates"
                             : "Veränderung %s zwischen den beiden Stichtagen",
                     il);
            set(out, a, d, !strcmp(unit, "%") ? (english ? "pp" : "Pp.") : unit, 2);
            return;
        }
    }
    for (size_t t = 0; cfg && t < cfg->ntargets; t++) {
        snprintf(a, sizeof a, "goal_%s", cfg->targets[t].id);
        if (!strcmp(name, a)) {
            snprintf(a, sizeof a, english ? "Target %s" : "Ziel %s", cfg->targets[t].id);
            snprintf(d, sizeof d,
                     english ? "Whether the district meets or is on track for target %s (%s)"
                             : "Ob das Gebiet Ziel %s (%s) erreicht hat oder auf Kurs ist",
                     cfg->targets[t].id, cfg->targets[t].indicator);
            set(out, a, d, "", 0);
            return;
        }
    }
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
};

const char *qtr_index_label(const char *index, int english)
{
    for (size_t k = 0; k < sizeof index_names / sizeof index_names[0]; k++)
        if (!strcmp(index, index_names[k].name))
            return english ? index_names[k].en : index_names[k].de;
    return index;
}
