/*
 * present.c - the presentation table (present.h): what every kind of column is called and
 * how it is shown, for the QGIS styles, the GeoPackage aliases, the maps and the report.
 */
#include "quartier/present.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/bivariate.h"
#include "quartier/format.h"
#include "quartier/label_case.h"
#include "quartier/renewal.h"
#include "quartier/strutil.h"

#define G QTR_SHOW_GRADUATED
#define C QTR_SHOW_CATEGORIES
#define N QTR_SHOW_NONE
#define Q QTR_CLASS_QUANTILE
#define SD QTR_CLASS_STDDEV

/*
 * One row per role, and per column where a role holds columns of different meaning (the
 * local multigroup measures). In aliases and descriptions "%s" is the label of the group,
 * indicator or target the column belongs to.
 */
static const struct row {
    enum qtr_role role;
    const char *name; /* this column only, or NULL */
    const char *alias_de, *alias_en, *desc_de, *desc_en, *unit_de, *unit_en;
    int decimals;
    enum qtr_show show;
    enum qtr_class_method method;
    size_t classes;
    enum qtr_palette palette;
} rows[] = {
    {QTR_ROLE_KEY, NULL, "Schlüssel", "Key", "Schlüssel des Gebiets aus der Grenzdatei",
     "District key from the boundary file", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_NAME, NULL, "Name", "Name", "Name des Gebiets", "District name", "", "", 0, N, Q, 0,
     0},
    {QTR_ROLE_HAS_STATS, NULL, "Statistik vorhanden", "Has statistics",
     "1, wenn jede Tabelle eine Zeile für das Gebiet hat", "1 when every table has a row", "", "",
     0, N, Q, 0, 0},
    {QTR_ROLE_IN_INDICES, NULL, "In den Indizes", "In the indices",
     "1, wenn das Gebiet in die Segregationsindizes eingeht (Einwohnerzahl, vollständige Werte)",
     "1 when the district enters the segregation indices", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_AREA, NULL, "Fläche (ha)", "Area (ha)", "Fläche im Arbeits-Koordinatensystem",
     "Area in the work CRS", "ha", "ha", 1, N, Q, 0, 0},
    {QTR_ROLE_TOTAL, NULL, "Einwohner (%s)", "Residents (%s)",
     "Einwohnerzahl, Spalte %s der Eingangsdaten", "Number of residents, column %s of the input",
     "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_COUNT, NULL, "Anzahl %s", "Number %s", "Zahl der Einwohner der Gruppe %s",
     "Number of residents of the group %s", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_PARENT, NULL, "Übergeordnetes Gebiet (%s)", "Parent area (%s)",
     "Übergeordnetes Gebiet (Bezirk), Spalte %s", "Parent area, column %s", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_SHARE, NULL, "Anteil %s (%%)", "Share of %s (%%)", "%s in Prozent aller Einwohner",
     "%s as a percentage of all residents", "%", "%", 1, G, Q, 5, QTR_PAL_BLUES},
    {QTR_ROLE_SHARE_DIFF, NULL, "Anteil %s, Abstand zur Gesamtstadt (Pp.)",
     "Share of %s, difference to the city (pp)",
     "Anteil %s im Gebiet minus Anteil in der Gesamtstadt, in Prozentpunkten",
     "Share of %s in the district minus the city's share, percentage points", "Pp.", "pp", 1, G,
     SD, 5, QTR_PAL_PUOR},
    {QTR_ROLE_SHARE_CHANGE, NULL, "Anteil %s, Veränderung (Pp.)", "Share of %s, change (pp)",
     "Anteil %s am aktuellen minus Anteil am vorigen Stichtag, in Prozentpunkten",
     "Share of %s at the current minus the share at the previous date, percentage points",
     "Pp.", "pp", 1, G, QTR_CLASS_EQUAL, 6, QTR_PAL_PUOR},
    {QTR_ROLE_LQ, NULL, "Standortquotient %s", "Location quotient %s",
     "Anteil %s im Gebiet geteilt durch den Anteil in der Stadt (1 = wie in der Stadt)",
     "Share of %s in the district divided by the city's share (1 = as in the city)", "", "", 2,
     QTR_SHOW_BREAKS, Q, 5, QTR_PAL_PUOR},
    {QTR_ROLE_LOCAL_INDEX, "local_diversity", "Lokale Diversität", "Local diversity",
     "Theil-Diversität der Gruppen im Gebiet: -Σ p ln p", "Theil diversity of the groups: -Σ p ln p",
     "", "", 3, G, Q, 5, QTR_PAL_VIRIDIS},
    {QTR_ROLE_LOCAL_INDEX, "local_entropy", "Lokale Entropie", "Local entropy",
     "Diversität geteilt durch ln(Anzahl Gruppen): 0 = eine Gruppe, 1 = alle gleich stark",
     "Diversity divided by ln(number of groups)", "", "", 3, G, Q, 5, QTR_PAL_VIRIDIS},
    {QTR_ROLE_LOCAL_INDEX, "local_simpson_interaction", "Simpson-Interaktion (lokal)",
     "Simpson interaction (local)",
     "Wahrscheinlichkeit, dass zwei zufällig gewählte Einwohner verschiedenen Gruppen angehören",
     "Probability that two residents drawn at random belong to different groups", "", "", 3, G, Q,
     5, QTR_PAL_VIRIDIS},
    {QTR_ROLE_LOCAL_INDEX, "local_m_contribution", "Beitrag zum M-Index", "Contribution to M",
     "Lokaler Segregationswert nach Elbers: gewichtet mit dem Einwohneranteil ergibt die Summe M",
     "Elbers' local segregation score; weighted by population share it sums to M", "", "", 3, G, Q,
     5, QTR_PAL_VIRIDIS},
    {QTR_ROLE_LOCAL_INDEX, NULL, "Lokaler Mehrgruppenwert (%s)", "Local multigroup measure (%s)",
     "Lokales Maß über alle Gruppen", "Local measure over all groups", "", "", 3, G, Q, 5,
     QTR_PAL_VIRIDIS},
    {QTR_ROLE_NEIGHBOURS, NULL, "Nachbargebiete", "Neighbours",
     "Zahl der Gebiete mit gemeinsamem Grenzpunkt (Queen-Nachbarschaft)",
     "Number of districts sharing a boundary point (queen contiguity)", "", "", 0, G, Q, 5,
     QTR_PAL_VIRIDIS},
    {QTR_ROLE_LISA_I, NULL, "Lokales Moran-I %s", "Local Moran's I %s",
     "Lokaler Moran-Koeffizient des Anteils %s (Anselin 1995): positiv = ähnlich wie die "
     "Nachbarn",
     "Local Moran coefficient of the share of %s (Anselin 1995): positive = similar to the "
     "neighbours",
     "", "", 3, G, SD, 5, QTR_PAL_PUOR},
    {QTR_ROLE_LISA_P, NULL, "LISA p-Wert %s", "LISA p-value %s",
     "Pseudo-p-Wert des lokalen Moran-Tests für %s (Permutationen)",
     "Pseudo p-value of the local Moran test for %s (permutations)", "", "", 3,
     QTR_SHOW_SIGNIFICANCE, Q, 4, QTR_PAL_BLUES},
    {QTR_ROLE_LISA_CLUSTER, NULL, "LISA-Cluster %s", "LISA cluster %s",
     "Clustertyp des lokalen Moran-Tests für %s: hoch-hoch, niedrig-niedrig, niedrig-hoch, "
     "hoch-niedrig oder nicht signifikant",
     "Cluster type of the local Moran test for %s: high-high, low-low, low-high, high-low or not "
     "significant",
     "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_GI_Z, NULL, "Gi*-z-Wert %s", "Gi* z-score %s",
     "z-Wert der Getis-Ord-Statistik Gi* für den Anteil %s: hoch = Häufung hoher Anteile",
     "z-score of the Getis-Ord Gi* statistic for the share of %s: high = high shares cluster",
     "", "", 2, G, SD, 5, QTR_PAL_PUOR},
    {QTR_ROLE_HOTSPOT, NULL, "Hot- und Coldspots %s", "Hot and cold spots %s",
     "Getis-Ord Gi*: signifikante Häufung hoher (Hotspot) oder niedriger Anteile %s (Coldspot)",
     "Getis-Ord Gi*: significant cluster of high (hot spot) or low shares of %s (cold spot)", "",
     "", 0, C, Q, 0, 0},
    {QTR_ROLE_LQ_P, NULL, "Standortquotient %s, p-Wert", "Location quotient %s, p-value",
     "p-Wert des Tests, ob der Anteil %s im Gebiet über dem der Stadt liegt",
     "p-value of the test whether the share of %s in the district is above the city's", "", "", 3,
     QTR_SHOW_SIGNIFICANCE, Q, 4, QTR_PAL_BLUES},
    {QTR_ROLE_LQ_HIGH, NULL, "Anteil %s signifikant hoch", "Share of %s significantly high",
     "1, wenn der Anteil %s nach dem Test (mit FDR-Korrektur) über dem der Stadt liegt",
     "1 when the share of %s is significantly above the city's (FDR-corrected)", "", "", 0, C, Q,
     0, 0},
    {QTR_ROLE_INDICATOR, NULL, "%s", "%s", "%s", "%s", "", "", 1, G, Q, 5, QTR_PAL_ORANGES},
    {QTR_ROLE_IND_NUMERATOR, NULL, "%s, Zähler", "%s, numerator", "Zähler von %s",
     "Numerator of %s", "", "", 0, G, Q, 5, QTR_PAL_VIRIDIS},
    {QTR_ROLE_IND_DENOMINATOR, NULL, "%s, Nenner", "%s, denominator", "Nenner von %s",
     "Denominator of %s", "", "", 0, G, Q, 5, QTR_PAL_VIRIDIS},
    {QTR_ROLE_IND_PREVIOUS, NULL, "%s, Vorperiode", "%s, previous date", "%s", "%s", "", "", 1, G,
     Q, 5, QTR_PAL_ORANGES},
    {QTR_ROLE_IND_CHANGE, NULL, "Veränderung %s", "Change %s",
     "Veränderung %s zwischen den beiden Stichtagen",
     "Change of %s between the two reference dates", "", "", 2, G, QTR_CLASS_EQUAL, 6,
     QTR_PAL_PUOR},
    {QTR_ROLE_VALIDITY, NULL, "Gültigkeit (Monitoring)", "Validity (monitoring)",
     "Ob das Gebiet in Standardisierung und Klassen eingeht (wie MSS: ungültig unter 300 "
     "Einwohnern oder als Ausreißer)",
     "Whether the district enters standardisation and classes", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_STATUS_INDEX, NULL, "Statusindex", "Status index",
     "Gewichtete Summe der z-Werte der Statusindikatoren, erneut standardisiert (hoch = "
     "ungünstig)",
     "Weighted sum of the status indicators' z-scores, standardised again (high = worse)", "", "",
     2, G, SD, 5, QTR_PAL_PUOR},
    {QTR_ROLE_STATUS_CLASS, NULL, "Status", "Status",
     "Statusklasse: hoch, mittel, niedrig, sehr niedrig", "Status class: high, medium, low, very low",
     "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_STATUS_CODE, NULL, "Status (Kennziffer)", "Status (code)",
     "1 hoch, 2 mittel, 3 niedrig, 4 sehr niedrig", "1 high, 2 medium, 3 low, 4 very low", "", "",
     0, C, Q, 0, 0},
    {QTR_ROLE_DYNAMICS_INDEX, NULL, "Dynamikindex", "Dynamics index",
     "Gewichtete Summe der z-Werte der Veränderungen, erneut standardisiert (hoch = ungünstig)",
     "Weighted sum of the changes' z-scores, standardised again (high = worse)", "", "", 2, G, SD,
     5, QTR_PAL_PUOR},
    {QTR_ROLE_DYNAMICS_CLASS, NULL, "Dynamik", "Dynamics", "Dynamikklasse: positiv, stabil, negativ",
     "Dynamics class: positive, stable, negative", "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_DYNAMICS_CODE, NULL, "Dynamik (Kennziffer)", "Dynamics (code)",
     "1 positiv, 2 stabil, 3 negativ", "1 positive, 2 stable, 3 negative", "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_STATUS_DYNAMICS_GROUP, NULL, "Status-Dynamik-Gruppe", "Status/dynamics group",
     "Kombination aus Status und Dynamik wie im Monitoring Soziale Stadtentwicklung",
     "Combination of status and dynamics as in Berlin's MSS", "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_STATUS_DYNAMICS, NULL, "Status und Dynamik", "Status and dynamics",
     "Status- und Dynamikklasse zusammen, z. B. \"mittel / negativ\"; \"nicht bewertet\" bei "
     "zu wenigen Einwohnern, Ausreißern oder fehlenden Indikatoren",
     "Status and dynamics class together, e.g. \"medium / negative\"; \"not rated\" for too "
     "few residents, outliers or missing indicators",
     "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_ATTENTION, NULL, "Besondere Aufmerksamkeit", "Needs attention",
     "1, wenn die Aufmerksamkeitsregel der Analyse greift", "1 when the attention rule applies", "",
     "", 0, C, Q, 0, 0},
    {QTR_ROLE_REASON, NULL, "Begründung", "Reason", "Warum das Gebiet so eingestuft ist",
     "Why the district is classified as it is", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_GOAL, NULL, "Ziel %s", "Target %s",
     "Ob das Gebiet Ziel %s erreicht hat oder auf Kurs ist",
     "Whether the district meets or is on track for target %s", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_AREA_ID, NULL, "Nummer", "Number", "Laufende Nummer des Gebiets",
     "Running number of the area", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_AREA_DISTRICTS, NULL, "Zahl der Gebiete", "Number of districts",
     "Zahl der Gebiete, die zusammen diese Fläche bilden",
     "Number of districts that make up this area", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_AREA_KEYS, NULL, "Schlüssel der Gebiete", "District keys",
     "Schlüssel der Gebiete, durch Komma getrennt", "Keys of the districts, comma-separated", "",
     "", 0, N, Q, 0, 0},
    {QTR_ROLE_AREA_RESIDENTS, NULL, "Einwohner", "Residents", "Einwohner der Gebiete zusammen",
     "Residents of the districts together", "", "", 0, N, Q, 0, 0},
    {QTR_ROLE_AREA_SHARE, NULL, "Anteil der Gruppe (%)", "Share of the group (%)",
     "Anteil der Gruppe an den Einwohnern der Gebiete zusammen",
     "Share of the group among the residents of the districts together", "%", "%", 1, N, Q, 0, 0},
    {QTR_ROLE_AREA_CLUSTER, NULL, "Clustertyp", "Cluster type",
     "Typ des LISA-Clusters: hoch-hoch, niedrig-niedrig, niedrig-hoch oder hoch-niedrig",
     "Type of the LISA cluster: high-high, low-low, low-high or high-low", "", "", 0, C, Q, 0, 0},
    {QTR_ROLE_AREA_EVIDENCE, NULL, "Befund", "Evidence",
     "Wie viele Gebiete welchen Status und welcher Dynamik die Fläche bilden",
     "How many districts of which status and dynamics make up the area", "", "", 0, N, Q, 0, 0},
};

static const struct row *find_row(enum qtr_role role, const char *name)
{
    const struct row *any = NULL;
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        if (rows[k].role == role) {
            if (rows[k].name && name && !strcmp(rows[k].name, name))
                return &rows[k];
            if (!rows[k].name && !any)
                any = &rows[k];
        }
    return any;
}

/* snprintf with at most one "%s" in fmt, filled with arg (fmt comes from the table). */
static void fill(char *buf, size_t size, const char *fmt, const char *arg)
{
    const char *p = strstr(fmt, "%s");
    size_t len = 0;
    buf[0] = '\0';
    for (const char *s = fmt; *s && len + 1 < size; s++) {
        if (s == p) {
            for (const char *a = arg ? arg : ""; *a && len + 1 < size; a++)
                buf[len++] = *a;
            s++;
        } else if (s[0] == '%' && s[1] == '%') {
            buf[len++] = '%';
            s++;
        } else {
            buf[len++] = *s;
        }
    }
    buf[len] = '\0';
}

void qtr_present_column(enum qtr_role role, const char *name, const struct qtr_present_owner *owner,
                        int en, struct qtr_present *out)
{
    memset(out, 0, sizeof *out);
    out->role = role;
    out->decimals = 2;
    const struct row *r = role == QTR_ROLE_NONE ? NULL : find_row(role, name);
    const char *label = owner && owner->label ? owner->label : (owner ? owner->id : NULL);
    if (!r) {
        /* an input column: its name, its source, and the indicator that reads it */
        const char *o = owner && owner->origin ? owner->origin : NULL;
        const char *src = !o                           ? (en ? "input" : "Eingabe")
                          : !strcmp(o, "boundaries")   ? (en ? "boundary file" : "Grenzdatei")
                          : !strcmp(o, "quartier")     ? "quartier"
                                                       : o;
        if (label)
            snprintf(out->alias, sizeof out->alias, "%.60s (%s %.60s)", name ? name : "?",
                     en ? "input to" : "Eingang für", label);
        else /* its own header, as the planners' tables name it */
            snprintf(out->alias, sizeof out->alias, "%.150s", name ? name : "?");
        snprintf(out->description, sizeof out->description,
                 en ? "Column '%.100s' of %.100s%s%.100s" : "Spalte '%.100s' aus %.100s%s%.100s",
                 name ? name : "?",
                 !o ? src
                 : !strcmp(o, "boundaries") ? (en ? "the boundary file" : "der Grenzdatei")
                                            : o,
                 label ? (en ? ", used by the indicator " : ", verwendet vom Indikator ") : "",
                 label ? label : "");
        return;
    }
    const char *arg = label;
    if (role == QTR_ROLE_TOTAL || role == QTR_ROLE_PARENT)
        arg = name;
    if (role == QTR_ROLE_LOCAL_INDEX && !r->name)
        arg = name;
    char mid[200]; /* the label inside an English sentence: "Share of foreign nationals" */
    const char *arg_mid = qtr_label_in_sentence(en, arg, mid, sizeof mid);
    fill(out->alias, sizeof out->alias, en ? r->alias_en : r->alias_de,
         en && arg && strncmp(r->alias_en, "%s", 2) ? arg_mid : arg);
    if (role == QTR_ROLE_PARENT && label && *label) /* [boundaries] parent_label */
        snprintf(out->alias, sizeof out->alias, "%s", label);
    fill(out->description, sizeof out->description, en ? r->desc_en : r->desc_de,
         en && arg && strncmp(r->desc_en, "%s", 2) ? arg_mid : arg);
    snprintf(out->unit, sizeof out->unit, "%s", en ? r->unit_en : r->unit_de);
    out->decimals = r->decimals;
    out->show = r->show;
    out->method = r->method;
    out->classes = r->classes;
    out->palette = r->palette;
    /* changes: classes symmetric around 0, so that the diverging palette turns at "no change" */
    out->centred = role == QTR_ROLE_SHARE_CHANGE || role == QTR_ROLE_IND_CHANGE;
    int ind = role == QTR_ROLE_INDICATOR || role == QTR_ROLE_IND_PREVIOUS ||
              role == QTR_ROLE_IND_CHANGE;
    if (ind && owner) {
        const char *unit = owner->unit ? owner->unit : "";
        if (role == QTR_ROLE_IND_CHANGE && !strcmp(unit, "%"))
            unit = en ? "pp" : "Pp.";
        snprintf(out->unit, sizeof out->unit, "%s", unit);
        if (role == QTR_ROLE_INDICATOR && *unit) {
            char a[sizeof out->alias];
            snprintf(a, sizeof a, "%.120s (%s)", out->alias, unit);
            snprintf(out->alias, sizeof out->alias, "%s", a);
        }
        if (role != QTR_ROLE_IND_CHANGE && owner->expr)
            snprintf(out->description, sizeof out->description, "%.150s = %.240s",
                     label ? label : "", owner->expr);
        enum qtr_class_method m;
        if (role != QTR_ROLE_IND_CHANGE && owner->classification &&
            qtr_class_method_parse(owner->classification, &m, NULL) == 0)
            out->method = m;
        if (role != QTR_ROLE_IND_CHANGE && owner->classes > 0)
            out->classes = (size_t)owner->classes;
        if (role != QTR_ROLE_IND_CHANGE)
            out->palette = owner->higher_worse ? QTR_PAL_ORANGES : QTR_PAL_BLUES;
    }
}

enum qtr_role qtr_present_fixed_role(const char *field)
{
    static const struct {
        const char *name;
        enum qtr_role role;
    } fixed[] = {
        {"key", QTR_ROLE_KEY},
        {"name", QTR_ROLE_NAME},
        {"has_statistics", QTR_ROLE_HAS_STATS},
        {"in_indices", QTR_ROLE_IN_INDICES},
        {"area_ha", QTR_ROLE_AREA},
        {"id", QTR_ROLE_AREA_ID},
        {"districts", QTR_ROLE_AREA_DISTRICTS},
        {"district_keys", QTR_ROLE_AREA_KEYS},
        {"residents", QTR_ROLE_AREA_RESIDENTS},
        {"group_share", QTR_ROLE_AREA_SHARE},
        {"cluster", QTR_ROLE_AREA_CLUSTER},
        {"evidence", QTR_ROLE_AREA_EVIDENCE},
    };
    for (size_t k = 0; field && k < sizeof fixed / sizeof fixed[0]; k++)
        if (!strcmp(field, fixed[k].name))
            return fixed[k].role;
    return QTR_ROLE_NONE;
}

/* ---- categories ------------------------------------------------------------------------ */

static void cat(struct qtr_present_categories *c, const char *value, const char *label,
                struct qtr_rgb color)
{
    size_t i = c->n++;
    snprintf(c->buf[i], sizeof c->buf[i], "%s", value);
    c->values[i] = c->buf[i];
    c->labels[i] = label ? label : c->buf[i];
    c->colors[i] = color;
}

static void nodata(struct qtr_present_categories *c, int en)
{
    c->other_label = en ? "no data" : "keine Angabe";
    c->other_color = qtr_palette_nodata();
    c->other_hatched = 1;
}

static void not_rated(struct qtr_present_categories *c, int en)
{
    c->other_label = qtr_not_rated_name(en ? QTR_LANG_EN : QTR_LANG_DE);
    c->other_color = qtr_palette_not_rated();
    c->other_hatched = 0;
}

/* Status: light (high) to dark orange (very low): the same orange as negative dynamics,
 * the colour of "needs attention" throughout. */
static struct qtr_rgb status_color(int s)
{
    struct qtr_rgb c[4];
    qtr_palette_colors(QTR_PAL_ORANGES, 4, c, NULL);
    return c[s - 1];
}

/* Dynamics on PuOr: positive purple, stable light, negative orange (no red/green). */
static struct qtr_rgb dynamics_color(int d)
{
    struct qtr_rgb c[3];
    qtr_palette_colors(QTR_PAL_PUOR, 3, c, NULL);
    return c[3 - d];
}

/* Okabe-Ito orange for a 0/1 flag that is set, light grey when not. */
static struct qtr_rgb flag_color(int set)
{
    struct qtr_rgb oi[8];
    qtr_palette_colors(QTR_PAL_OKABE_ITO, 8, oi, NULL);
    return set ? oi[0] : (struct qtr_rgb){240, 240, 240};
}

size_t qtr_present_categories(enum qtr_role role, int en, struct qtr_present_categories *c)
{
    enum qtr_lang lang = en ? QTR_LANG_EN : QTR_LANG_DE;
    memset(c, 0, sizeof *c);
    switch (role) {
    case QTR_ROLE_STATUS_CLASS:
    case QTR_ROLE_STATUS_CODE:
        c->text = role == QTR_ROLE_STATUS_CLASS;
        for (int s = 1; s <= 4; s++) {
            char v[16];
            snprintf(v, sizeof v, "%d", s);
            cat(c, c->text ? qtr_status_class_name(s, lang) : v, qtr_status_class_name(s, lang),
                status_color(s));
        }
        not_rated(c, en);
        break;
    case QTR_ROLE_DYNAMICS_CLASS:
    case QTR_ROLE_DYNAMICS_CODE:
        c->text = role == QTR_ROLE_DYNAMICS_CLASS;
        for (int d = 1; d <= 3; d++) {
            char v[16];
            snprintf(v, sizeof v, "%d", d);
            cat(c, c->text ? qtr_dynamics_class_name(d, lang) : v,
                qtr_dynamics_class_name(d, lang), dynamics_color(d));
        }
        not_rated(c, en);
        break;
    case QTR_ROLE_STATUS_DYNAMICS:
        /* the 12 combined MSS classes in the bivariate palette (status = lightness,
         * dynamics = hue) */
        c->text = 1;
        for (int k = 1; k <= QTR_BIV_CLASSES; k++)
            cat(c, qtr_status_dynamics_name(qtr_biv_status(k), qtr_biv_dynamics(k), lang), NULL,
                qtr_biv_color(k));
        /* the column says "nicht bewertet" where there are no classes (after the 12) */
        cat(c, qtr_not_rated_name(lang), NULL, qtr_palette_not_rated());
        not_rated(c, en);
        break;
    case QTR_ROLE_STATUS_DYNAMICS_GROUP: {
        /* 1+ (high status, positive) .. 4- (very low, negative), the same colours */
        static const char *const mark[] = {"+", "+/-", "-"};
        c->text = 1;
        for (int s = 1; s <= 4; s++)
            for (int d = 1; d <= 3; d++) {
                char v[16];
                snprintf(v, sizeof v, "%d%s", s, mark[d - 1]);
                cat(c, v, NULL, qtr_biv_color(qtr_biv_code(s, d)));
            }
        not_rated(c, en);
        break;
    }
    case QTR_ROLE_ATTENTION:
        cat(c, "0", en ? "no" : "nein", flag_color(0));
        cat(c, "1", en ? "needs attention" : "besondere Aufmerksamkeit", flag_color(1));
        nodata(c, en);
        break;
    case QTR_ROLE_LQ_HIGH:
        cat(c, "0", en ? "no" : "nein", flag_color(0));
        cat(c, "1", en ? "significantly high share" : "signifikant hoher Anteil", flag_color(1));
        nodata(c, en);
        break;
    case QTR_ROLE_LISA_CLUSTER:
    case QTR_ROLE_AREA_CLUSTER: {
        /* GeoDa's order and red/blue colours (qtr_palette_lisa): ns, HH, LL, LH, HL; the
         * values as the spatial stage writes them */
        static const char *const de[] = {"nicht signifikant", "hoch-hoch", "niedrig-niedrig",
                                         "niedrig-hoch", "hoch-niedrig"};
        static const char *const enl[] = {"not significant", "high-high", "low-low", "low-high",
                                          "high-low"};
        /* the type and, in brackets, what it means (the report explains it in full) */
        static const char *const lde[] = {
            "nicht signifikant", "Hoch-Hoch (Schwerpunkt)", "Niedrig-Niedrig (selten, ringsum auch)",
            "Niedrig-Hoch (Ausnahme im Schwerpunkt)", "Hoch-Niedrig (hebt sich ab)"};
        static const char *const len[] = {
            "not significant", "High-High (concentration)", "Low-Low (rare, around too)",
            "Low-High (exception in a concentration)", "High-Low (stands out)"};
        c->text = 1;
        for (int k = 0; k < 5; k++)
            cat(c, en ? enl[k] : de[k], en ? len[k] : lde[k], qtr_palette_lisa(k));
        nodata(c, en);
        break;
    }
    case QTR_ROLE_HOTSPOT:
        c->text = 1;
        cat(c, en ? "hot spot" : "Hotspot", NULL, qtr_palette_lisa(1));
        cat(c, en ? "cold spot" : "Coldspot", NULL, qtr_palette_lisa(2));
        cat(c, en ? "not significant" : "nicht signifikant", NULL, qtr_palette_lisa(0));
        nodata(c, en);
        break;
    default:
        break;
    }
    return c->n;
}

void qtr_present_attention_reasons(int en, struct qtr_present_categories *c)
{
    memset(c, 0, sizeof *c);
    struct qtr_rgb oi[8];
    qtr_palette_colors(QTR_PAL_OKABE_ITO, 8, oi, NULL);
    /* Okabe-Ito: vermillion, orange, blue on an almost white "none" */
    cat(c, "0", en ? "no particular attention" : "keine besondere Aufmerksamkeit",
        (struct qtr_rgb){245, 245, 240});
    cat(c, "1", en ? "status low or very low" : "Status niedrig oder sehr niedrig", oi[5]);
    cat(c, "2", en ? "status medium, dynamics negative" : "Status mittel, Dynamik negativ", oi[0]);
    cat(c, "3", en ? "by the analysis' rule" : "nach der Regel der Analyse", oi[4]);
    not_rated(c, en);
}

/* ---- classes ----------------------------------------------------------------------------- */

void qtr_present_classes_release(struct qtr_present_classes *c)
{
    if (c->labels)
        for (size_t j = 0; j < c->k; j++)
            free(c->labels[j]);
    free(c->labels);
    free(c->limits);
    free(c->colors);
    free(c->cls);
    memset(c, 0, sizeof *c);
}

static int range_label(int en, double lo, double hi, int dec, const char *unit, char **out)
{
    char buf[128], a[48], b[48];
    if (en) {
        qtr_fmt_num(1, lo, dec, a, sizeof a);
        qtr_fmt_num(1, hi, dec, b, sizeof b);
        snprintf(buf, sizeof buf, "%s – %s%s%s", a, b, unit && *unit ? " " : "", unit ? unit : "");
    } else if (qtr_class_label_de(lo, hi, dec, unit, buf, sizeof buf)) {
        snprintf(buf, sizeof buf, "?");
    }
    return (*out = qtr_strdup(buf)) ? QTR_OK : QTR_ERR_NOMEM;
}

static int alloc_classes(struct qtr_present_classes *c, size_t k, size_t n)
{
    c->k = k;
    c->limits = calloc(k + 1, sizeof *c->limits);
    c->colors = calloc(k, sizeof *c->colors);
    c->labels = calloc(k, sizeof *c->labels);
    c->cls = malloc((n ? n : 1) * sizeof *c->cls);
    return c->limits && c->colors && c->labels && c->cls ? QTR_OK : QTR_ERR_NOMEM;
}

/* Location quotients on a log-symmetric scale around 1 (as common in planning atlases). */
static int breaks(const struct qtr_present *p, const double *v, size_t n, int en,
                  struct qtr_present_classes *c)
{
    static const double lim[] = {0.5, 0.8, 1.25, 2.0};
    double hi = 4.0;
    int any = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            any = 1;
            hi = fmax(hi, ceil(v[i] * 100.0) / 100.0);
        }
    if (!any)
        return QTR_ERR_DOMAIN;
    if (alloc_classes(c, 5, n))
        return QTR_ERR_NOMEM;
    c->limits[0] = 0;
    for (int j = 0; j < 4; j++)
        c->limits[j + 1] = lim[j];
    c->limits[5] = hi;
    if (qtr_palette_colors(p->palette, 5, c->colors, NULL))
        return QTR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            c->cls[i] = -1;
            continue;
        }
        int k = 0;
        while (k < 4 && v[i] > lim[k])
            k++;
        c->cls[i] = k;
    }
    char a[32], b[32], buf[128];
    for (int j = 0; j < 5; j++) {
        qtr_fmt_num(en, c->limits[j], 2, a, sizeof a);
        qtr_fmt_num(en, c->limits[j + 1], 2, b, sizeof b);
        if (j == 0)
            snprintf(buf, sizeof buf, en ? "up to %s" : "bis %s", b);
        else if (j == 4)
            snprintf(buf, sizeof buf, en ? "above %s" : "über %s", a);
        else
            snprintf(buf, sizeof buf, en ? "above %s to %s%s" : "über %s bis %s%s", a, b,
                     j == 2 ? (en ? " (about as the city)" : " (etwa wie die Stadt)") : "");
        if (!(c->labels[j] = qtr_strdup(buf)))
            return QTR_ERR_NOMEM;
    }
    return QTR_OK;
}

/* p-values in significance classes: < 0.001, < 0.01, < 0.05, not significant. */
static int significance(const struct qtr_present *p, const double *v, size_t n, int en,
                        struct qtr_present_classes *c)
{
    static const double lim[] = {0.0, 0.001, 0.01, 0.05, 1.0};
    int any = 0;
    for (size_t i = 0; i < n; i++)
        any |= isfinite(v[i]);
    if (!any)
        return QTR_ERR_DOMAIN;
    if (alloc_classes(c, 4, n))
        return QTR_ERR_NOMEM;
    memcpy(c->limits, lim, sizeof lim);
    struct qtr_rgb pal[4];
    if (qtr_palette_colors(p->palette, 4, pal, NULL))
        return QTR_ERR_NOMEM;
    for (int j = 0; j < 4; j++) /* darkest for the smallest p */
        c->colors[j] = pal[3 - j];
    for (size_t i = 0; i < n; i++) {
        int k = 0;
        while (k < 3 && !(v[i] < lim[k + 1]))
            k++;
        c->cls[i] = isfinite(v[i]) ? k : -1;
    }
    char a[32], buf[96];
    for (int j = 0; j < 4; j++) {
        if (j < 3) {
            qtr_fmt_num(en, lim[j + 1], j == 0 ? 3 : 2, a, sizeof a);
            snprintf(buf, sizeof buf, "p < %s", a);
        } else {
            qtr_fmt_num(en, lim[3], 2, a, sizeof a);
            snprintf(buf, sizeof buf, en ? "not significant (p ≥ %s)" : "nicht signifikant (p ≥ %s)",
                     a);
        }
        if (!(c->labels[j] = qtr_strdup(buf)))
            return QTR_ERR_NOMEM;
    }
    return QTR_OK;
}

/* The step of centred classes: the smallest 1, 2, 2.5 or 5 x 10^e with steps * step >= m,
 * and not below one unit of the last shown decimal. */
static double centred_step(double m, size_t steps, int decimals)
{
    static const double nice[] = {1, 2, 2.5, 5, 10};
    double raw = m / (double)steps, unit = pow(10.0, -decimals);
    if (!(raw > unit))
        return unit;
    double e = pow(10.0, floor(log10(raw)));
    for (size_t j = 0; j < sizeof nice / sizeof nice[0]; j++)
        if (nice[j] * e >= raw * (1 - 1e-12))
            return nice[j] * e;
    return 10 * e;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Changes: k (even) classes symmetric around 0, so that decreases take the one side of the
 * diverging palette and increases the other. The inner limits are equal steps of 1, 2, 2.5
 * or 5 x 10^e, k/2 - 1 steps covering the 95th percentile of |change| (the lower order
 * statistic at 0.95 (m - 1)), so that a single extreme district (a reception centre that
 * opened) does not push all others into the middle classes; the outer classes are open
 * ("bis -x", "über x") and reach to the largest change. A limit belongs to the class below
 * it (0 is in the class below 0), as in QGIS. */
static int centred(const struct qtr_present *p, const double *v, size_t n, int en,
                   struct qtr_present_classes *c)
{
    size_t k = p->classes >= 4 ? p->classes & ~(size_t)1 : 6, half = k / 2, m = 0;
    double *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        return QTR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            a[m++] = fabs(v[i]);
    if (!m) {
        free(a);
        return QTR_ERR_DOMAIN;
    }
    qsort(a, m, sizeof *a, cmp_double);
    double q = a[(size_t)floor(0.95 * (double)(m - 1))], top = a[m - 1];
    free(a);
    double step = centred_step(q, half - 1, p->decimals);
    if (alloc_classes(c, k, n) || qtr_palette_colors(p->palette, k, c->colors, NULL))
        return QTR_ERR_NOMEM;
    for (size_t j = 1; j < k; j++)
        c->limits[j] = ((double)j - (double)half) * step;
    double outer = fmax(top, (double)half * step);
    c->limits[0] = -outer;
    c->limits[k] = outer;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            c->cls[i] = -1;
            continue;
        }
        size_t j = 0;
        while (j + 1 < k && v[i] > c->limits[j + 1])
            j++;
        c->cls[i] = (int)j;
    }
    char x[48], buf[128];
    const char *u = p->unit[0] ? p->unit : NULL;
    for (size_t j = 0; j < k; j++) {
        int rc;
        if (j == 0 || j + 1 == k) {
            qtr_fmt_num(en, c->limits[j == 0 ? 1 : j], p->decimals, x, sizeof x);
            snprintf(buf, sizeof buf, "%s %s%s%s",
                     j == 0 ? (en ? "up to" : "bis") : (en ? "above" : "über"), x, u ? " " : "",
                     u ? u : "");
            rc = (c->labels[j] = qtr_strdup(buf)) ? QTR_OK : QTR_ERR_NOMEM;
        } else {
            rc = range_label(en, c->limits[j], c->limits[j + 1], p->decimals, p->unit,
                             &c->labels[j]);
        }
        if (rc)
            return rc;
    }
    return QTR_OK;
}

int qtr_present_classify(const struct qtr_present *p, const double *v, size_t n, int en,
                         struct qtr_present_classes *out, struct qtr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc;
    if (p->show == QTR_SHOW_BREAKS || p->show == QTR_SHOW_SIGNIFICANCE) {
        rc = p->show == QTR_SHOW_BREAKS ? breaks(p, v, n, en, out)
                                        : significance(p, v, n, en, out);
        if (rc)
            qtr_present_classes_release(out);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, rc, "out of memory");
        return rc == QTR_ERR_DOMAIN ? qtr_error_set(err, rc, "no value to classify") : rc;
    }
    if (p->show != QTR_SHOW_GRADUATED)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "'%s' is not classified", p->alias);
    if (p->centred) {
        rc = centred(p, v, n, en, out);
        if (rc)
            qtr_present_classes_release(out);
        if (rc == QTR_ERR_NOMEM)
            return qtr_error_set(err, rc, "out of memory");
        return rc == QTR_ERR_DOMAIN ? qtr_error_set(err, rc, "no value to classify") : rc;
    }
    struct qtr_classes c = {0};
    if ((rc = qtr_classify(v, n, p->method, p->classes ? p->classes : 5, 1.0, &c, err)))
        return rc;
    if ((rc = qtr_classes_round(&c, v, p->decimals, err)))
        goto out;
    if (c.k < 2) {
        /* one class says nothing a map could show (all values equal after rounding) */
        rc = qtr_error_set(err, QTR_ERR_DOMAIN, "'%s': all values fall into one class", p->alias);
        goto out;
    }
    if (alloc_classes(out, c.k, n) || qtr_palette_colors(p->palette, c.k, out->colors, err)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(out->limits, c.limits, (c.k + 1) * sizeof *c.limits);
    memcpy(out->cls, c.cls, n * sizeof *c.cls);
    for (size_t j = 0; j < c.k; j++)
        if (range_label(en, c.limits[j], c.limits[j + 1], p->decimals, p->unit,
                        &out->labels[j])) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
out:
    qtr_classes_release(&c);
    if (rc)
        qtr_present_classes_release(out);
    return rc;
}

struct qtr_rgb qtr_present_overview_fill(void)
{
    return (struct qtr_rgb){214, 226, 240};
}

struct qtr_rgb qtr_present_parent_outline(void)
{
    return (struct qtr_rgb){40, 50, 90};
}

struct qtr_rgb qtr_present_candidate_outline(void)
{
    return (struct qtr_rgb){0, 0, 0};
}

void qtr_present_region_d(enum qtr_palette *palette, size_t *max_classes)
{
    *palette = QTR_PAL_BLUES;
    *max_classes = 5;
}

struct qtr_rgb qtr_present_outline_fill(void)
{
    return (struct qtr_rgb){255, 255, 255};
}

struct qtr_rgb qtr_present_outline_line(void)
{
    return (struct qtr_rgb){35, 35, 35};
}
