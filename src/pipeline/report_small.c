/*
 * report_small.c - extreme values in districts with few residents: a note in the report
 * naming each such district with its residents (issue 10 §2). A handful of people, or one
 * institution (a reception centre, a student or care home), can give a district an extreme
 * share or status that says nothing about a neighbourhood.
 *
 * Rules, stated in the note itself and in docs/report.md:
 * - small: fewer than QTR_SMALL_RESIDENTS residents ([population] total), more than 0;
 * - extreme: a group's share lies at least QTR_EXTREME_SD standard deviations (population
 *   SD over the districts with a share) from the mean of the districts' shares, or the
 *   status class is "sehr niedrig".
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
    size_t nsmall = 0;
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
            double e = cell(tot, i);
            if (!ext[i] || !(e > 0 && e < QTR_SMALL_RESIDENTS))
                continue;
            char a[32], b[32];
            num(r, v[i], 1, a, sizeof a);
            num(r, mu, 1, b, sizeof b);
            if (qtr_buf_printf(&why[i], "%s%s %s: %s\xc2\xa0%% (%s %s\xc2\xa0%%)",
                               why[i].len ? "; " : "", T(r, "Anteil", "Share of"),
                               group_label(r, cfg->groups[g].id), a,
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
    for (size_t i = 0; i < n; i++)
        nsmall += why[i].len > 0;
    if (rc || !nsmall)
        goto out;
    char buf[1200], lim[32], sd[16];
    num(r, QTR_SMALL_RESIDENTS, 0, lim, sizeof lim);
    num(r, QTR_EXTREME_SD, 0, sd, sizeof sd);
    snprintf(buf, sizeof buf,
             T(r,
               "In %zu %s mit weniger als %s Einwohnern ist ein Wert extrem: der Anteil einer "
               "Gruppe liegt mindestens %s Standardabweichungen vom Mittel der Gebiete entfernt, "
               "oder der Status ist sehr niedrig. In so kleinen Gebieten können wenige Personen "
               "oder eine einzige Einrichtung (etwa eine Erstaufnahmeeinrichtung, ein Wohnheim "
               "oder ein Pflegeheim) den Wert bestimmen; er beschreibt dann kein Wohnquartier "
               "und ist vor Ort zu prüfen, bevor er in eine Entscheidung eingeht.",
               "In %zu %s with fewer than %s residents a value is extreme: the share of a group "
               "lies at least %s standard deviations from the mean of the districts, or the "
               "status is very low. In districts this small, a few people or a single "
               "institution (such as a reception centre, a hostel or a care home) can make the "
               "value; it then describes no residential neighbourhood and should be checked on "
               "site before it enters a decision."),
             nsmall, nsmall == 1 ? T(r, "Gebiet", "district") : T(r, "Gebieten", "districts"), lim,
             sd);
    if (qtr_doc_heading(r->doc, 2,
                        T(r, "Extreme Werte in kleinen Gebieten",
                          "Extreme values in small districts")) ||
        (rc = para(r, buf))) {
        rc = rc ? rc : qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    const char *head[4] = {T(r, "Gebiet", "District"), T(r, "Einwohner", "Residents"),
                           T(r, "Extremer Wert", "Extreme value"), NULL};
    const unsigned char isnum[3] = {0, 1, 0};
    const char *h2[4], *c2[4];
    unsigned char n2[4];
    if (qtr_doc_table(r->doc, NULL, qtr_report_parent_head(r, 1, head, isnum, 3, h2, n2), h2,
                      n2)) {
        rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        if (!why[i].len)
            continue;
        char e[32];
        num(r, cell(tot, i), 0, e, sizeof e);
        const char *nm = st->frame->name[i] && *st->frame->name[i] ? st->frame->name[i]
                                                                   : st->frame->key[i];
        const char *cells[3] = {nm, e, why[i].data};
        qtr_report_parent_cells(r, 1, i, cells, 3, c2);
        if (qtr_doc_row(r->doc, c2))
            rc = qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory");
    }
out:
    if (why)
        for (size_t i = 0; i < n; i++)
            qtr_buf_release(&why[i]);
    free(why);
    free(v);
    free(ext);
    return rc;
}
