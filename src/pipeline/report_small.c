/*
 * report_small.c - extreme values in districts with few residents: a note in the report
 * naming each such district with its residents (issue 10 §2). A handful of people, or one
 * institution (a reception centre, a student or care home), can give a district an extreme
 * share or status that says nothing about a neighbourhood.
 *
 * Rules, stated in the note itself and in docs/report.md:
 * - extreme: a group's share lies at least QTR_EXTREME_SD standard deviations (population
 *   SD over the districts with a share) from the mean of the districts' shares; every such
 *   district is listed with its residents, whatever their number, because an institution
 *   can be large (Berlin's TXL: 5 440 residents, 78 % foreign nationals, the arrival
 *   centre in the former airport);
 * - small: fewer than QTR_SMALL_RESIDENTS residents ([population] total), more than 0;
 *   marked in the list, and a small district with status "sehr niedrig" is listed too.
 * Rows are ordered by residents, fewest first.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define QTR_SMALL_RESIDENTS 1000.0
#define QTR_EXTREME_SD 3.0

void qtr_report_extreme_of(const double *v, size_t n, double sd_limit, uint8_t *extreme,
                           double *mean)
{
    double s = 0, q = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            s += v[i];
            m++;
        }
    double mu = m ? s / (double)m : NAN;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            q += (v[i] - mu) * (v[i] - mu);
    double sd = m ? sqrt(q / (double)m) : NAN;
    for (size_t i = 0; i < n; i++)
        extreme[i] = isfinite(v[i]) && sd > 0 && fabs(v[i] - mu) >= sd_limit * sd;
    *mean = mu;
}

int qtr_report_small_section(struct rs *r)
{
    const struct qtr_state *st = r->st;
    const struct qtr_config *cfg = r->cfg;
    size_t n = st->frame->n;
    const struct qtr_column *tot = qtr_frame_find(st->frame, cfg->total);
    if (!tot || !n)
        return QTR_OK;
    double *v = malloc(n * sizeof *v);
    uint8_t *ext = malloc(n);
    struct qtr_buf *why = calloc(n, sizeof *why);
    int rc = QTR_OK;
    size_t nsmall = 0, *ord = NULL;
    if (!v || !ext || !why) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t g = 0; g < cfg->ngroups && !rc; g++) {
        const struct qtr_column *sc =
            qtr_frame_find_role(st->frame, QTR_ROLE_SHARE, cfg->groups[g].id);
        if (!sc)
            continue;
        double mu;
        for (size_t i = 0; i < n; i++)
            v[i] = cell(sc, i);
        qtr_report_extreme_of(v, n, QTR_EXTREME_SD, ext, &mu);
        for (size_t i = 0; i < n && !rc; i++) {
            if (!ext[i])
                continue;
            char a[32], b[32], gl[200];
            num(r, v[i], 1, a, sizeof a);
            num(r, mu, 1, b, sizeof b);
            if (qtr_buf_printf(&why[i], "%s%s %s: %s\xc2\xa0%% (%s %s\xc2\xa0%%)",
                               why[i].len ? "; " : "", T(r, "Anteil", "Share of"),
                               group_mid(r, cfg->groups[g].id, gl, sizeof gl), a,
                               T(r, "Mittel der Gebiete", "mean of the districts"), b))
                rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        }
    }
    for (size_t i = 0; st->renewal_done && i < n && !rc; i++) {
        double e = cell(tot, i);
        if (st->renewal.status_class[i] != 4 || !(e > 0 && e < QTR_SMALL_RESIDENTS))
            continue;
        if (qtr_buf_printf(&why[i], "%s%s", why[i].len ? "; " : "",
                           T(r, "Status sehr niedrig", "Status very low")))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    ord = malloc(n * sizeof *ord);
    if (!ord) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (why[i].len)
            ord[nsmall++] = i;
    for (size_t k = 1; k < nsmall; k++) { /* fewest residents first, stable */
        size_t x = ord[k], j = k;
        while (j > 0 && cell(tot, ord[j - 1]) > cell(tot, x)) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = x;
    }
    if (rc || !nsmall)
        goto out;
    char buf[1200], lim[32], sd[16];
    num(r, QTR_SMALL_RESIDENTS, 0, lim, sizeof lim);
    num(r, QTR_EXTREME_SD, 0, sd, sizeof sd);
    snprintf(buf, sizeof buf,
             T(r,
               "Extreme Werte mit ihren Einwohnern (Anzahl Gebiete: %zu): der Anteil einer Gruppe "
               "liegt mindestens %s Standardabweichungen vom Mittel der Gebiete entfernt, oder "
               "ein kleines Gebiet (weniger als %s Einwohner, markiert) hat einen sehr niedrigen "
               "Status. Wenige Personen oder eine einzige Einrichtung (etwa eine "
               "Erstaufnahmeeinrichtung, ein Wohnheim oder ein Pflegeheim) können einen solchen "
               "Wert bestimmen; er beschreibt dann kein Wohnquartier und ist vor Ort zu prüfen, "
               "bevor er in eine Entscheidung eingeht.",
               "Extreme values with their residents (number of districts: %zu): the share of a "
               "group lies at least %s standard deviations from the mean of the districts, or a "
               "small district (fewer than %s residents, marked) has a very low status. A few "
               "people or a single institution (such as a reception centre, a hostel or a care "
               "home) can make such a value; it then describes no residential neighbourhood and "
               "should be checked on site before it enters a decision."),
             nsmall, sd, lim);
    if (qtr_doc_heading(r->doc, 2,
                        T(r, "Extreme Werte und Einwohnerzahl", "Extreme values and residents")) ||
        (rc = para(r, buf))) {
        rc = rc ? rc : qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    const char *head[4] = {T(r, "Gebiet", "District"), T(r, "Einwohner", "Residents"),
                           T(r, "Extremer Wert", "Extreme value"), NULL};
    const unsigned char isnum[3] = {0, 1, 0};
    const char *h2[4], *c2[4];
    unsigned char n2[4];
    if (qtr_doc_table(r->doc, NULL, qtr_report_parent_head(r, 1, head, isnum, 3, h2, n2), h2, n2)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nsmall && !rc; k++) {
        size_t i = ord[k];
        char e[64];
        double ei = cell(tot, i);
        num(r, ei, 0, e, sizeof e);
        if (ei > 0 && ei < QTR_SMALL_RESIDENTS)
            strncat(e, T(r, " (klein)", " (small)"), sizeof e - strlen(e) - 1);
        const char *nm =
            st->frame->name[i] && *st->frame->name[i] ? st->frame->name[i] : st->frame->key[i];
        const char *cells[3] = {nm, e, why[i].data};
        qtr_report_parent_cells(r, 1, i, cells, 3, c2);
        if (qtr_doc_row(r->doc, c2))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
    /* very many districts (a census grid): the fewest and the most residents, and a line on
     * where the others are (a 1,000,000-cell grid filled 165 pages with them) */
    if (!rc)
        rc = qtr_report_table_ends(r, "Einwohnerzahl", "number of residents");
    free(ord);
    ord = NULL;
out:
    if (why)
        for (size_t i = 0; i < n; i++)
            qtr_buf_release(&why[i]);
    free(why);
    free(ord);
    free(v);
    free(ext);
    return rc;
}
