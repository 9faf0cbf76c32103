/*
 * report_lang.c - the join report's entries in the report's language: the detail (German
 * where the stage that found it wrote one) and the source in words (the indicator's label,
 * the table's name without underscores, "Gebietsgliederung") instead of the analysis file's
 * ids; the reasons of indices that were not computed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

const char *qtr_report_issue_detail(const struct rs *r, const struct qtr_issue *it)
{
    return qtr_issue_detail(it, r->en);
}

const char *qtr_report_issue_source(const struct rs *r, const struct qtr_issue *it)
{
    const struct qtr_config *cfg = r->cfg;
    const char *s = it->source;
    if (!strcmp(s, "boundaries"))
        return T(r, "Gebietsgliederung", "Boundaries");
    if (!strcmp(s, "change"))
        return T(r, "Vergleich der Stichtage", "Comparison of the dates");
    for (size_t k = 0; k < cfg->nindicators; k++) {
        const struct qtr_indicator_spec *ind = &cfg->indicators[k];
        if (strcmp(ind->id, s))
            continue;
        if (r->en && ind->label_en)
            return ind->label_en;
        return ind->label ? ind->label : ind->id;
    }
    for (size_t k = 0; k < cfg->ntables; k++)
        if (!strcmp(cfg->tables[k].id, s)) {
            static char name[128]; /* one at a time: the caller adds it to the document */
            return qtr_report_table_name(s, name, sizeof name);
        }
    return s;
}

/* A table of the analysis file as the report names it: its section name with spaces for
 * underscores ("bevoelkerung 2022"), as the sources section lists it with its file. */
const char *qtr_report_table_name(const char *id, char *buf, size_t size)
{
    snprintf(buf, size, "%s", id);
    for (char *c = buf; *c; c++)
        if (*c == '_')
            *c = ' ';
    return buf;
}

/* Why an index was not computed, in the report's language. The kernels' messages are
 * English and start with the index's name, which the row already shows in words; the
 * German report says the known reasons in German and points to the annex for the others. */
const char *qtr_report_index_reason(const struct rs *r, const char *name, const char *reason)
{
    size_t n = strlen(name);
    const char *s = reason;
    if (!strncmp(s, name, n) && (s[n] == ':' || s[n] == ' ')) {
        s += n + 1;
        while (*s == ' ')
            s++;
    }
    if (r->en)
        return s;
    static const struct {
        const char *en, *de;
    } known[] = {
        {"needs a central-area radius",
         "braucht den Radius des Zentrums in Metern (der Index misst den Anteil der Gruppe in "
         "Gebieten, deren Mittelpunkt im Zentrum liegt)"},
        {"needs district centroids", "braucht die Mittelpunkte der Gebiete"},
        {"need district centroids", "braucht die Mittelpunkte, Flächen und Einwohner der Gebiete"},
        {"needs district areas and perimeters", "braucht Flächen und Umfänge der Gebiete"},
        {"no district has a neighbour", "kein Gebiet hat ein Nachbargebiet"},
        {"no district shares a boundary", "kein Gebiet grenzt an ein anderes"},
        {"the variable is constant", "der Wert ist in allen Gebieten gleich"},
        {"not defined when the group is absent",
         "nicht definiert, wenn die Gruppe in der Stadt fehlt oder die ganze Bevölkerung ist"},
        {"the city has no residents", "die Stadt hat keine Einwohner"},
        {"groups live in the city", "nicht definiert: zu wenige Gruppen leben in der Stadt"},
        {"needs group counts", "braucht die Zahlen der Gruppen"},
        {"the denominator is zero", "der Nenner ist null"},
        {"without a cut-off distance", "ohne Grenzabstand zu viele Paare von Gebieten"},
        {"do not lie on a regular lattice",
         "die Mittelpunkte liegen nicht auf einem regelmäßigen Gitter"},
        {"needs at least 4 districts", "braucht mindestens 4 Gebiete"},
        {"needs at least 2 districts", "braucht mindestens 2 Gebiete"},
        {"need permutations",
         "nicht berechnet: die lokalen Tests (LISA, Gi*, Standortquotienten) brauchen "
         "Permutationen, und die Analyse verlangt keine"},
        {"more than the", "nicht berechnet: braucht mehr Arbeitsspeicher, als dieser Lauf "
                          "nutzen darf"},
        {"all district centroids coincide", "alle Mittelpunkte der Gebiete fallen zusammen"},
        {"proximity", "die Nähe der Einwohner zueinander ist null"},
    };
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (strstr(s, known[k].en))
            return known[k].de;
    return "für diese Daten nicht definiert; der Grund steht in der Tabelle „Indizes der "
           "Stadt“ der Anlage";
}

/* Whether a printed interval leaves out its estimate. The intervals are percentile intervals
 * of a bootstrap of the residents; an index that random variation pushes upwards (D, Gini,
 * H at small counts) is larger in almost every draw than in the data, and its percentile
 * interval can then lie wholly above the estimate. The report does not call that a
 * confidence interval of the estimate: it marks it and says why (qtr_report_ci_note). */
int qtr_report_ci_excludes(double value, double lo, double hi)
{
    return isfinite(value) && isfinite(lo) && isfinite(hi) && (value < lo || value > hi);
}

int qtr_report_ci_note(struct rs *r)
{
    return note(r, T(r,
                     "(a) Das Intervall enthält den berechneten Wert nicht. Es ist das "
                     "95-%-Perzentilintervall des Bootstraps: bei kleinen Zahlen lassen "
                     "Zufallsschwankungen den Index größer erscheinen, daher liegt er in "
                     "fast jeder Simulation über dem berechneten Wert. Das Intervall zeigt "
                     "die Streuung der Simulation, nicht einen Bereich um den Wert; wie "
                     "groß die Verzerrung ist, zeigen die zufallsbereinigten und "
                     "verzerrungskorrigierten Indizes im Methodenanhang.",
                     "(a) The interval does not contain the computed value. It is the 95% "
                     "percentile interval of the bootstrap: with small counts random "
                     "variation makes the index look larger, so almost every simulation "
                     "lies above the computed value. The interval shows the spread of the "
                     "simulation, not a range around the value; the randomness-adjusted and "
                     "bias-corrected indices in the methods annex show how large the bias "
                     "is."));
}
