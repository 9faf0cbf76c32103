/*
 * report_text.c - the text of the report: summary, indices and change.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"
#include "report_change_maps.h"
#include "report_interpret.h"
#include "report_no_dynamics.h"

/* ---- text ----------------------------------------------------------------- */

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
const char *qtr_report_index_short(const struct rs *r, const char *name)
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
        {"mutual_information_between", "M zwischen den übergeordneten Gebieten (Theil)",
         "M between the parent areas (Theil)"},
        {"mutual_information_within", "M innerhalb der übergeordneten Gebiete (Theil)",
         "M within the parent areas (Theil)"},
        {"spatial_dissimilarity", "Räumliche Dissimilarität (Morrill)",
         "Spatial dissimilarity (Morrill)"},
        {"boundary_spatial_dissimilarity", "Räumliche Dissimilarität mit Grenzlängen (Wong)",
         "Spatial dissimilarity with boundary lengths (Wong)"},
        {"perimeter_area_ratio_spatial_dissimilarity",
         "Räumliche Dissimilarität mit Umfang-Fläche-Verhältnis (Wong)",
         "Spatial dissimilarity with perimeter-area ratio (Wong)"},
        {"spatial_proximity", "Räumliche Nähe SP (White)", "Spatial proximity SP (White)"},
        {"absolute_clustering", "Absolute Clusterung (Massey und Denton)",
         "Absolute clustering (Massey and Denton)"},
        {"relative_clustering", "Relative Clusterung (Massey und Denton)",
         "Relative clustering (Massey and Denton)"},
        {"distance_decay_isolation", "Isolation mit Distanzabnahme (Morgan)",
         "Distance-decay isolation (Morgan)"},
        {"distance_decay_exposure", "Kontakt mit Distanzabnahme (Morgan)",
         "Distance-decay exposure (Morgan)"},
        {"spatial_proximity_profile", "Profil der räumlichen Nähe (Hong u. a.)",
         "Spatial proximity profile (Hong et al.)"},
        {"multiscalar_profile", "Multiskalenprofil (Reardon u. a.)",
         "Multiscalar profile (Reardon et al.)"},
        {"morans_i", "Moran-I des Gruppenanteils (Moran)", "Moran's I of the group share (Moran)"},
        {"lisa", "Lokale Moran-Statistik (LISA, Anselin)", "Local Moran statistic (LISA, Anselin)"},
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

int qtr_report_index_table(struct rs *r, const char *caption, int core)
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
    int outside = 0;
    for (size_t i = 0; i < st->nindices; i++) {
        const struct qtr_index_value *v = &st->indices[i];
        if (v->status != QTR_OK || (core && !is_core_index(v->name)))
            continue;
        char val[32], ci[80], ex[32], p[32];
        num(r, v->value, 3, val, sizeof val);
        ci_text(r, v->ci_low, v->ci_high, 3, ci, sizeof ci);
        if (qtr_report_ci_excludes(v->value, v->ci_low, v->ci_high)) {
            /* a biased index: the simulation lies beside the value (note below) */
            size_t n = strlen(ci);
            snprintf(ci + n, sizeof ci - n, " (a)");
            outside = 1;
        }
        num(r, v->expected, 3, ex, sizeof ex);
        pval(r, v->p_value, p, sizeof p);
        const char *cells[6] = {qtr_report_index_short(r, v->name),
                                v->group[0] ? group_label(r, v->group)
                                            : T(r, "alle Gruppen", "all groups"),
                                val,
                                ci,
                                ex,
                                p};
        ADD(qtr_doc_row(r->doc, cells));
    }
    return outside ? qtr_report_ci_note(r) : QTR_OK;
}

/* Plain-language paragraph on the dissimilarity index of one group. */
static int group_summary(struct rs *r, const struct qtr_group_spec *g, int first, struct qtr_buf *b)
{
    const struct qtr_index_value *d = find_index(r, "dissimilarity", g->id);
    if (!d)
        return QTR_OK;
    char v[32], p[200], pct[32], gl[200];
    num(r, d->value, 2, v, sizeof v);
    qtr_buf_printf(
        b,
        T(r, "Der Segregationsindex D für %s beträgt %s", "The dissimilarity index D for %s is %s"),
        group_mid(r, g->id, gl, sizeof gl), v);
    if (isfinite(d->ci_low) && isfinite(d->ci_high)) {
        char ci[96];
        ci_text(r, d->ci_low, d->ci_high, 2, ci, sizeof ci);
        if (qtr_report_ci_excludes(d->value, d->ci_low, d->ci_high))
            qtr_buf_printf(b,
                           T(r,
                             " (die Simulation ergibt %s: D ist bei kleinen Zahlen nach oben "
                             "verzerrt, siehe Methodenanhang)",
                             " (the simulation gives %s: D is biased upwards with small counts, "
                             "see the methods annex)"),
                           ci);
        else
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
    if (!first) {
        qtr_buf_printf(
            b, T(r, "; rund %s %% müssten umziehen.", "; about %s%% would have to move."), pct);
    } else {
        qtr_buf_printf(b,
                       T(r,
                         ". Anschaulich: rund %s %% von ihnen müssten in ein anderes Gebiet "
                         "ziehen, damit sie überall so verteilt wären wie die übrige Bevölkerung.",
                         ". Put simply: about %s%% of them would have to move to another district "
                         "to be distributed like the rest of the population."),
                       pct);
    }
    if (qtr_report_d_reading(r, d, first, b))
        return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
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
    const struct qtr_column *sc = qtr_frame_find_role(r->st->frame, QTR_ROLE_SHARE, g->id);
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

int qtr_report_summary(struct rs *r)
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
        if (!qtr_report_any_dynamics(rr)) {
            b.len = 0; /* one date: no dynamics, no "0 with negative dynamics" */
            qtr_buf_printf(&b,
                           T(r,
                             "Besondere Aufmerksamkeit brauchen %zu von %zu bewerteten Gebieten, "
                             "%zu davon mit niedrigem oder sehr niedrigem Status (ein Stichtag: "
                             "keine Dynamik).",
                             "%zu of %zu assessed districts need particular attention, %zu of "
                             "them with low or very low status (one reference date: no "
                             "dynamics)."),
                           na, rr->nvalid, ns);
        }
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
    size_t nn = st->report.n - w;
    qtr_buf_printf(&b,
                   T(r,
                     "Beim Zusammenführen der Tabellen mit den Gebieten gab es %zu %s und %zu %s "
                     "(Abschnitt Datenqualität).",
                     "Joining the tables to the districts gave %zu %s and %zu %s (see Data "
                     "quality)."),
                   w,
                   w == 1 ? T(r, "Warnung", "warning") : T(r, "Warnungen", "warnings"), nn,
                   nn == 1 ? T(r, "Hinweis", "note") : T(r, "Hinweise", "notes"));
    rc = para(r, b.data);
out:
    qtr_buf_release(&b);
    return rc;
}

int qtr_report_indices_section(struct rs *r)
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
    if ((rc = qtr_report_index_table(r,
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
        if ((rc = qtr_report_group_maps(r, g)))
            return rc;
    }
    int any = 0;
    if ((rc = qtr_report_lisa_maps(r, &any)))
        return rc;
    return QTR_OK;
}

int qtr_report_change_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    if (!st->nchanges)
        return QTR_OK;
    int rc;
    char h[200];
    snprintf(h, sizeof h, T(r, "Veränderung seit dem %s", "Change since %s"), r->prev_date);
    ADD(qtr_doc_heading(r->doc, 1, h));
    if ((rc = para(r, T(r,
                        "Jeder Stichtag wird über die Gebiete berechnet, die an ihm "
                        "auswertbar sind. Der p-Wert prüft, ob die Veränderung größer ist, als "
                        "wenn die Einwohner zufällig einem der beiden Stichtage zugeordnet "
                        "wären (zweiseitiger Test). Die Veränderung von M wird nach Elbers "
                        "(2023) wie im R-Paket segregation in Beiträge zerlegt; Gebiete, die "
                        "nur an einem Stichtag auswertbar sind, gehen als hinzugekommene oder "
                        "weggefallene Gebiete ein.",
                        "Each date's indices are computed over the districts usable at that "
                        "date. The p-value tests whether the change is larger than if residents "
                        "were assigned to either date at random (two-sided). The change of M is "
                        "split into contributions after Elbers (2023), as the R package "
                        "segregation does it; districts usable at one date only enter as "
                        "districts added or removed."))))
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
        const char *cells[7] = {qtr_report_index_short(r, c->index),
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
                          T(r, "Zerlegung der Veränderung von M (Shapley, Elbers 2023)",
                            "Decomposition of the change of M (Shapley, Elbers 2023)"),
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
            const struct qtr_change_row *c = &st->changes[i];
            if ((rc = note(r, !r->en && c->note_de[0] ? c->note_de : c->note)))
                return rc;
            break;
        }
    return qtr_report_change_maps(r);
}

