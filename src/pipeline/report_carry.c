/*
 * report_carry.c - the methods annex on tables carried from another district layout (issue
 * 13): how the counts were carried, and how accurate each method was where it could be
 * checked (Berlin LOR 2019 -> LOR 2021, docs/crosswalk.md; kept by tests/cli/test_carry_berlin.c).
 */
#include "report_internal.h"

#include "carry_stage.h"

/* The validation on Berlin (docs/crosswalk.md, key corrected): 537 Planungsräume with at least
 * 300 residents, absolute percentage error of the carried 2020 residents against the published
 * ones. */
static const struct {
    const char *de, *en;
    double median, p90, off10;
} berlin[] = {
    {"flächengewichtet", "area-weighted", 0.22, 33.9, 27.6},
    {"dasymetrisch, Einwohner 2024 gleichmäßig über die Fläche",
     "dasymetric, residents 2024 spread evenly over the area", 0.19, 5.1, 6.0},
    {"dasymetrisch, Einwohner 2024 nach der Dichte 2020 verteilt",
     "dasymetric, residents 2024 spread by the density of 2020", 0.17, 4.8, 3.9},
};

int qtr_report_carry_methods(struct rs *r)
{
    size_t ncarried = 0;
    for (size_t t = 0; t < r->cfg->ntables; t++)
        ncarried += qtr_table_is_carried(&r->cfg->tables[t]);
    if (!ncarried)
        return QTR_OK;
    int rc;
    ADD(qtr_doc_heading(r->doc, 2,
                        T(r, "Übertragung zwischen Gebietsgliederungen",
                          "Carrying counts between district layouts")));
    rc = para(r, T(r,
                   "Flächengewichtet geht jeder Zählwert eines Quellgebiets nach dem Anteil "
                   "der Fläche an die Zielgebiete, die es schneidet (wie R sf::st_interpolate_aw). "
                   "Dasymetrisch nach dem Verhältnis eines Hilfswerts der Zielgebiete, etwa "
                   "ihrer Einwohner zu einem anderen Stichtag, gleichmäßig über die Fläche jedes "
                   "Zielgebiets verteilt oder nach der Dichte der Quellgebiete (ein Durchgang "
                   "der iterativen proportionalen Anpassung: das Zielgebiet sagt, wie viele dort "
                   "wohnen, das Quellgebiet, wo innerhalb des Zielgebiets). Die Summe jedes "
                   "Quellgebiets bleibt erhalten. Geprüft an Berlin (Einwohner vom 31.12.2020 "
                   "von den 448 Planungsräumen der LOR 2019 auf die 542 der LOR 2021 übertragen "
                   "und mit den veröffentlichten Einwohnern verglichen, 537 Planungsräume mit "
                   "mindestens 300 Einwohnern):",
                   "Area-weighted, each count of a source district goes to the target districts "
                   "it intersects in proportion to area (as R sf::st_interpolate_aw). "
                   "Dasymetric, in proportion to an auxiliary count of the targets, such as "
                   "their residents at another date, spread evenly over each target's area or "
                   "by the density of the source districts (one cycle of iterative "
                   "proportional fitting: the target says how many live there, the source "
                   "where within the target). Each source district's sum is preserved. "
                   "Checked on Berlin (residents of 31.12.2020 carried from the 448 "
                   "Planungsräume of LOR 2019 onto the 542 of LOR 2021 and compared with the "
                   "published residents, 537 Planungsräume with at least 300 residents):"));
    if (rc)
        return rc;
    const char *hd[4] = {T(r, "Verfahren", "Method"),
                         T(r, "Fehler im Median", "Median error"),
                         T(r, "90. Perzentil", "90th percentile"),
                         T(r, "Anteil über 10 % daneben", "Share off by more than 10 %")};
    static const unsigned char isnum[4] = {0, 1, 1, 1};
    ADD(qtr_doc_table(r->doc, NULL, 4, hd, isnum));
    for (size_t k = 0; k < sizeof berlin / sizeof berlin[0]; k++) {
        char m[32], p[32], o[32], a[40], b[40], c[40];
        num(r, berlin[k].median, 2, m, sizeof m);
        num(r, berlin[k].p90, 1, p, sizeof p);
        num(r, berlin[k].off10, 1, o, sizeof o);
        snprintf(a, sizeof a, "%s %%", m);
        snprintf(b, sizeof b, "%s %%", p);
        snprintf(c, sizeof c, "%s %%", o);
        const char *cells[4] = {r->en ? berlin[k].en : berlin[k].de, a, b, c};
        ADD(qtr_doc_row(r->doc, cells));
    }
    return QTR_OK;
}
