/*
 * report_sections.c - the text of the report: renewal, indicators, goals, data quality,
 * methods and sources.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"
#include "report_no_dynamics.h"

int qtr_report_renewal_section(struct rs *r)
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
    int anydyn = 0;
    for (size_t i = 0; i < rr->n; i++)
        anydyn |= rr->dynamics_class[i] != 0;
    if (!anydyn && (rc = para(r, qtr_report_no_dynamics_method(r))))
        return rc;
    /* status x dynamics counts */
    size_t cnt[5][4] = {{0}};
    for (size_t i = 0; i < rr->n; i++)
        if (rr->validity[i] == QTR_RENEWAL_VALID && rr->status_class[i] <= 4 &&
            rr->dynamics_class[i] <= 3)
            cnt[rr->status_class[i]][rr->dynamics_class[i]]++;
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
    if ((rc = qtr_report_renewal_maps(r)))
        return rc;
    const char *ah[5] = {T(r, "Nr.", "No."), T(r, "Gebiet", "District"),
                         anydyn ? T(r, "Gruppe", "Group") : T(r, "Status", "Status"),
                         T(r, "Statusindex", "Status index"), T(r, "Begründung", "Reason")};
    const unsigned char an[5] = {0, 0, 0, 1, 0};
    const char *ah2[6], *c2[6]; /* with the parent column (report_bezirk.c) */
    unsigned char an2[6];
    ADD(qtr_doc_table(r->doc,
                      T(r, "Gebiete mit besonderem Aufmerksamkeitsbedarf",
                        "Districts needing particular attention"),
                      qtr_report_parent_head(r, 2, ah, an, 5, ah2, an2), ah2, an2));
    ADD(qtr_doc_table_wide_last(r->doc)); /* the reasons under each row in the PDF */
    /* worst status first */
    size_t n = rr->n, na = 0;
    size_t *ord = malloc((n ? n : 1) * sizeof *ord);
    if (!ord)
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (rr->attention[i])
            ord[na++] = i;
    if (qtr_report_sort_desc(ord, na, rr->status_index)) { /* report_scale.c */
        free(ord);
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    rc = QTR_OK;
    for (size_t k = 0; k < na && !rc; k++) {
        size_t i = ord[k];
        char si[32];
        num(r, rr->status_index[i], 2, si, sizeof si);
        const char *cells[5] = {st->frame->key[i], st->frame->name[i],
                                anydyn ? rr->group_label[i]
                                       : qtr_status_class_name(rr->status_class[i], lang),
                                si,
                                rr->reason ? rr->reason[i] : ""};
        qtr_report_parent_cells(r, 2, i, cells, 5, c2);
        if (qtr_doc_row(r->doc, c2))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    free(ord);
    if (rc || (rc = qtr_report_table_ends(r, "Statusindex", "status index")))
        return rc;
    if (!na && (rc = para(r, T(r, "Kein Gebiet erfüllt die Aufmerksamkeitsregel.",
                               "No district meets the attention rule."))))
        return rc;
    if (!anydyn)
        return QTR_OK;
    return note(r, T(r,
                     "Gruppe: Status (1 hoch bis 4 sehr niedrig) und Dynamik (+ positiv, +/- "
                     "stabil, - negativ) wie im MSS.",
                     "Group: status (1 high to 4 very low) and dynamics (+ positive, +/- "
                     "stable, - negative) as in the MSS."));
}

int qtr_report_indicators_section(struct rs *r)
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
    /* one date: no dynamics, so no dynamics weight (a column of zeros) */
    int dyn = r->st->renewal_done && qtr_report_any_dynamics(&r->st->renewal);
    if (!dyn)
        head[6] = T(r, "Gewicht Status", "Weight status");
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
        qtr_report_sort_values(v, m); /* report_scale.c */
        char lo[32], med[32], hi[32], miss[32], w[64], a[16], b[16], lab[300];
        num(r, m ? v[0] : NAN, 1, lo, sizeof lo);
        num(r, m ? (m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2) : NAN, 1, med, sizeof med);
        num(r, m ? v[m - 1] : NAN, 1, hi, sizeof hi);
        snprintf(miss, sizeof miss, "%zu", n - m);
        num(r, s->status_weight, 1, a, sizeof a);
        num(r, s->dynamics_weight, 1, b, sizeof b);
        snprintf(w, sizeof w, dyn ? "%s / %s" : "%s", a, b);
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
        if ((rc = qtr_report_indicator_map(r, k)))
            return rc;
    return QTR_OK;
}

int qtr_report_goals_section(struct rs *r)
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
        [QTR_ISSUE_MERGED_BOUNDARIES] = "Gebiete laut Analysedatei zusammengelegt",
        [QTR_ISSUE_ISLAND] = "Gebiet ohne Nachbargebiet",
        [QTR_ISSUE_DISCONNECTED] = "Gebiete in getrennten Teilen",

        [QTR_ISSUE_PARENT_WITHOUT_NAME] = "übergeordnetes Gebiet ohne Namen",
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
        if (ts->carry == QTR_TABLE_CARRY_WEIGHTS && ts->carry_density)
            snprintf(how, sizeof how,
                     T(r,
                       "dasymetrisch: jedes Quellgebiet nach '%s' der Zielgebiete, innerhalb "
                       "jedes Zielgebiets nach der Dichte von '%s' in den Quellgebieten verteilt",
                       "dasymetric: each source district by '%s' of the targets, spread within "
                       "each target by the density of '%s' in the source districts"),
                     ts->carry_weights, ts->carry_density);
        else if (ts->carry == QTR_TABLE_CARRY_WEIGHTS)
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
        snprintf(
            buf, sizeof buf,
            T(r,
              "Die Tabelle %s liegt auf einer anderen Gebietsgliederung vor (%s) und wurde "
              "vor dem Zusammenführen auf die Gebiete der Analyse übertragen (%s). "
              "Übertragen werden nur Zählwerte; Anteile und Quoten werden danach "
              "berechnet. %zu Stücke; welcher Teil jedes Quellgebiets in welches Gebiet "
              "ging, steht im Tabellenblatt „Umschlüsselung“ der Anlage, geteilte und "
              "zusammengelegte Gebiete und Verluste am Rand im Verknüpfungsbericht. "
              "Verfahren und Genauigkeit: Methodenanhang.",
              "Table %s is given on another district layout (%s) and was carried onto the "
              "analysis districts before the join (%s). Only counts are carried; shares "
              "and rates are computed afterwards. %zu pieces; which part of each source "
              "district went to which district is in the crosswalk sheet of the annex, "
              "split and merged districts and losses at the edge in the join report. "
              "Method and accuracy: methods annex."),
            ts->id, layout, how, np);
        if ((rc = para(r, buf)))
            return rc;
    }
    return QTR_OK;
}

int qtr_report_quality_section(struct rs *r)
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
               "Zahlen). Alle Einträge stehen im Verknüpfungsbericht der Anlage (quartier.xlsx).",
               "%zu of %zu districts have a row in every table. The table counts what the join "
               "found; warnings can change results, notes document deliberate decisions (such "
               "as suppressed counts). Every entry is in the join report of the annex "
               "(quartier.xlsx)."),
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
            const char *cells[4] = {it->key, it->name, qtr_report_issue_source(r, it),
                                    qtr_report_issue_detail(r, it)};
            ADD(qtr_doc_row(r->doc, cells));
            shown++;
        }
    if (shown < rep->n) {
        snprintf(buf, sizeof buf,
                 T(r, "%zu weitere Einträge stehen im Verknüpfungsbericht der Anlage.",
                   "%zu more entries are in the join report of the annex."),
                 rep->n - shown);
        if ((rc = note(r, buf)))
            return rc;
    }
    return QTR_OK;
}

int qtr_report_methods_section(struct rs *r)
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
         "1955). Die oft zitierte Einteilung (unter 0,3 gering, bis 0,6 mäßig, darüber hoch; "
         "Massey und Denton 1993) gilt für US-Großstadtregionen über Census Tracts; der "
         "Bericht vergleicht stattdessen mit der Zufallserwartung und dem früheren Wert.",
         "D = ½ Σ |xᵢ/X − yᵢ/Y|: share of the group that would have to move (Duncan and "
         "Duncan 1955). The often quoted reading (below 0.3 low, up to 0.6 moderate, above "
         "high; Massey and Denton 1993) was made for US metropolitan areas over census "
         "tracts; the report compares with the random expectation and the earlier value "
         "instead."},
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
         "natürlicher Logarithmus); zerlegbar nach Gebietsebenen und Zeit (Elbers 2023).",
         "M: mutual information between district and group over all groups (Theil; natural "
         "logarithm); decomposable by level and over time (Elbers 2023)."},
    };
    for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++) {
        const char *cells[2] = {qtr_report_index_short(r, defs[k].name), r->en ? defs[k].en : defs[k].de};
        ADD(qtr_doc_row(r->doc, cells));
    }
    if ((rc = qtr_report_index_table(r, T(r, "Alle berechneten Indizes", "All indices computed"), 0)))
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
        const char *he2[4], *c2[4];
        unsigned char ne2[4];
        ADD(qtr_doc_table(r->doc, T(r, "Nicht in den Indizes", "Not in the indices"),
                          qtr_report_parent_head(r, 2, he, NULL, 3, he2, ne2), he2, ne2));
        for (size_t i = 0; i < st->frame->n; i++) {
            if (!st->usable || st->usable[i])
                continue;
            const char *why = T(r, "unvollständige Zahlen", "incomplete counts");
            for (size_t k = 0; k < st->report.n; k++)
                if (!strcmp(st->report.items[k].key, st->frame->key[i])) {
                    why = qtr_report_issue_detail(r, &st->report.items[k]);
                    break;
                }
            const char *cells[3] = {st->frame->key[i], st->frame->name[i], why};
            qtr_report_parent_cells(r, 2, i, cells, 3, c2);
            ADD(qtr_doc_row(r->doc, c2));
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
            const char *cells[3] = {qtr_report_index_short(r, v->name),
                                    v->group[0] ? group_label(r, v->group) : "",
                                    qtr_report_index_reason(r, v->name, v->reason)};
            ADD(qtr_doc_row(r->doc, cells));
        }
    }
    if ((rc = qtr_report_carry_methods(r)))
        return rc;
    ADD(qtr_doc_heading(r->doc, 2, T(r, "Karten", "Maps")));
    return para(r, T(r,
                     "Klassengrenzen stehen in der Legende; ein Wert auf einer Grenze gehört "
                     "zur unteren Klasse (wie in QGIS). Farben sind für Farbfehlsichtige "
                     "unterscheidbar (ColorBrewer, Okabe und Ito). Der Nordpfeil zeigt "
                     "Gitter-Nord des Arbeits-Koordinatensystems. Alle Karten liegen als "
                     "PNG, SVG und PDF im Ordner „maps/“.",
                     "Class limits are in the legend; a value on a limit belongs to the lower "
                     "class (as in QGIS). Colours are distinguishable with colour-vision "
                     "deficiencies (ColorBrewer, Okabe and Ito). The north arrow shows grid "
                     "north of the work CRS. Every map is in the folder maps/ as PNG, SVG and "
                     "PDF."));
}

int qtr_report_sources_section(struct rs *r)
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
        char tn[128];
        const char *cells[4] = {qtr_report_table_name(cfg->tables[t].id, tn, sizeof tn),
                                basename_of(cfg->tables[t].source), d,
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

