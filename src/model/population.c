/*
 * population.c - the population checks after the join (join.h, qtr_population_check): counts
 * that no city has, groups above the total, the previous date's counts, districts below the
 * minimum population. Called by the load stage once the tables are joined.
 */
#include "quartier/join.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/cell.h"

static int count_ok(uint8_t kind)
{
    return kind == QTR_CELL_VALUE || kind == QTR_CELL_ZERO;
}

/* The file a column comes from: the boundaries or a table's source, for messages. */
static const char *origin_file(const struct qtr_population_spec *spec, const char *origin)
{
    for (size_t t = 0; t < spec->ntables; t++)
        if (spec->tables[t].id && !strcmp(spec->tables[t].id, origin))
            return spec->tables[t].source;
    if (!strcmp(origin, "boundaries") && spec->boundaries)
        return spec->boundaries;
    return origin;
}

/* A count no city has (a thousands separator read as a decimal mark in reverse, an exponent, a
 * code column taken for people) would dominate every index or, at 1e308, overflow the sums
 * into a plausible-looking 0: an error, never a silent result. */
static int check_range(const struct qtr_frame *f, const struct qtr_population_spec *spec,
                       const struct qtr_column *c, const char *what, size_t i,
                       struct qtr_error *err)
{
    if (!c || !count_ok(c->kind[i]))
        return QTR_OK;
    double v = c->v[i];
    if (isfinite(v) && fabs(v) <= QTR_MAX_COUNT)
        return QTR_OK;
    return qtr_error_set(err, QTR_ERR_DATA,
                         "'%s' [%s], column '%s' (%s), district %s%s%s%s: %g is not a number of "
                         "residents (more than %g); check the cell, the column and its decimal "
                         "mark",
                         origin_file(spec, c->origin), c->origin, c->name, what, f->key[i],
                         f->name[i] && *f->name[i] ? " \"" : "", f->name[i] ? f->name[i] : "",
                         f->name[i] && *f->name[i] ? "\"" : "", v, QTR_MAX_COUNT);
}

/* The previous-date counts of district i: the same checks as the current ones (negative, group
 * above total) go to the report; missing ones are counted by the change stage. */
static int check_previous(const struct qtr_frame *f, const struct qtr_column *tot,
                          struct qtr_column *const *grp, size_t ngroups, size_t i,
                          struct qtr_report *rep)
{
    if (tot && count_ok(tot->kind[i]) && tot->v[i] < 0 &&
        qtr_report_add(rep, QTR_ISSUE_NEGATIVE_COUNT, QTR_WARNING, f->key[i], f->name[i],
                       tot->origin,
                       "previous total '%s' is negative (%g); district left out of the "
                       "previous date's indices",
                       tot->name, tot->v[i]))
        return QTR_ERR_NOMEM;
    if (tot && count_ok(tot->kind[i]) && tot->v[i] < 0)
        qtr_report_add_de(rep,
                          "Einwohnerzahl der Vorperiode „%s“ ist negativ (%g); Gebiet nicht in den "
                          "Indizes der Vorperiode",
                          tot->name, tot->v[i]);
    for (size_t g = 0; g < ngroups; g++) {
        const struct qtr_column *c = grp[g];
        if (!c || !count_ok(c->kind[i]))
            continue;
        if (c->v[i] < 0) {
            if (qtr_report_add(rep, QTR_ISSUE_NEGATIVE_COUNT, QTR_WARNING, f->key[i], f->name[i],
                               c->origin,
                               "previous group '%s' is negative (%g); district left out of the "
                               "previous date's indices",
                               c->name, c->v[i]))
                return QTR_ERR_NOMEM;
            qtr_report_add_de(rep,
                              "Gruppe der Vorperiode „%s“ ist negativ (%g); Gebiet nicht in den "
                              "Indizes der Vorperiode",
                              c->name, c->v[i]);
        } else if (tot && count_ok(tot->kind[i]) && c->v[i] > tot->v[i]) {
            if (qtr_report_add(rep, QTR_ISSUE_GROUP_EXCEEDS_TOTAL, QTR_WARNING, f->key[i],
                               f->name[i], c->origin,
                               "previous group '%s' (%g) is larger than the previous total '%s' "
                               "(%g); district left out of the previous date's indices",
                               c->name, c->v[i], tot->name, tot->v[i]))
                return QTR_ERR_NOMEM;
            qtr_report_add_de(
                rep,
                "Gruppe der Vorperiode „%s“ (%g) ist größer als die Einwohnerzahl der Vorperiode "
                "„%s“ (%g); Gebiet nicht in den Indizes der Vorperiode",
                c->name, c->v[i], tot->name, tot->v[i]);
        }
    }
    return QTR_OK;
}

int qtr_population_check(const struct qtr_frame *f, const struct qtr_population_spec *spec,
                         uint8_t *usable, struct qtr_report *rep, struct qtr_error *err)
{
    struct qtr_column *tot, *ptot = NULL;
    int rc = qtr_frame_require(f, spec->total, "total column", &tot, err);
    if (rc)
        return rc;
    if (spec->previous_total &&
        (rc = qtr_frame_require(f, spec->previous_total, "previous_total column", &ptot, err)))
        return rc;
    size_t ng = spec->ngroups;
    struct qtr_column **grp = calloc(ng ? 2 * ng : 1, sizeof *grp), **pgrp = grp + ng;
    if (!grp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t g = 0; g < ng; g++) {
        if ((rc = qtr_frame_require(f, spec->groups[g], "group column", &grp[g], err)))
            goto out;
        if (spec->previous_groups && spec->previous_groups[g] &&
            (rc = qtr_frame_require(f, spec->previous_groups[g], "previous group column", &pgrp[g],
                                    err)))
            goto out;
    }
    for (size_t i = 0; i < f->n; i++) {
        if ((rc = check_range(f, spec, tot, "total", i, err)) ||
            (rc = check_range(f, spec, ptot, "previous total", i, err)))
            goto out;
        for (size_t g = 0; g < ng; g++)
            if ((rc = check_range(f, spec, grp[g], "group", i, err)) ||
                (rc = check_range(f, spec, pgrp[g], "previous group", i, err)))
                goto out;
    }
    for (size_t i = 0; i < f->n; i++) {
        usable[i] = 0;
        if (check_previous(f, ptot, pgrp, ng, i, rep))
            goto nomem;
        /* A district without a row in some table was reported by the join; its counts may
         * still all be there (a table of another date). Missing counts are then left out
         * without a second report. */
        if (!f->has_stats[i]) {
            int all = count_ok(tot->kind[i]);
            for (size_t g = 0; g < spec->ngroups; g++)
                all &= count_ok(grp[g]->kind[i]) ||
                       (spec->suppressed_usable && grp[g]->kind[i] == QTR_CELL_SUPPRESSED);
            if (!all)
                continue;
        }
        int ok = 1;
        if (!count_ok(tot->kind[i])) {
            ok = 0;
            if (qtr_report_add(rep, QTR_ISSUE_MISSING_COUNT, QTR_WARNING, f->key[i], f->name[i],
                               tot->origin, "total '%s' is %s; district left out of the indices",
                               tot->name, qtr_cell_kind_name(tot->kind[i])))
                goto nomem;
            qtr_report_add_de(rep, "Einwohnerzahl „%s“ ist %s; Gebiet nicht in den Indizes",
                              tot->name, qtr_cell_kind_name_de(tot->kind[i]));
        } else if (tot->v[i] < 0) {
            ok = 0;
            if (qtr_report_add(rep, QTR_ISSUE_NEGATIVE_COUNT, QTR_WARNING, f->key[i], f->name[i],
                               tot->origin, "total '%s' is negative (%g); district left out",
                               tot->name, tot->v[i]))
                goto nomem;
            qtr_report_add_de(rep,
                              "Einwohnerzahl „%s“ ist negativ (%g); Gebiet nicht in den Indizes",
                              tot->name, tot->v[i]);
        } else if (tot->v[i] == 0) {
            ok = 0;
            if (qtr_report_add(rep, QTR_ISSUE_ZERO_POPULATION, QTR_INFO, f->key[i], f->name[i],
                               tot->origin,
                               "no residents; counts with its area in delta, concentration "
                               "and centralization (its land is part of the city), with no "
                               "weight elsewhere"))
                goto nomem;
            qtr_report_add_de(
                rep, "keine Einwohner; zählt mit seiner Fläche bei Delta, Konzentration und "
                     "Zentralisierung (sein Land gehört zur Stadt), sonst ohne Gewicht");
        } else if (tot->v[i] < spec->min_population) {
            if (spec->exclude_small)
                ok = 0;
            if (qtr_report_add(rep, QTR_ISSUE_SMALL_POPULATION, QTR_INFO, f->key[i], f->name[i],
                               tot->origin, "%g residents, below the minimum of %g; %s", tot->v[i],
                               spec->min_population,
                               spec->exclude_small ? "left out of indices and standardisation"
                                                   : "kept (as the analysis file says)"))
                goto nomem;
            qtr_report_add_de(rep, "%g Einwohner, weniger als das Minimum von %g; %s", tot->v[i],
                              spec->min_population,
                              spec->exclude_small ? "nicht in den Indizes und der Standardisierung"
                                                  : "behalten (so verlangt es die Analysedatei)");
        }
        for (size_t g = 0; g < spec->ngroups; g++) {
            struct qtr_column *c = grp[g];
            if (spec->suppressed_usable && c->kind[i] == QTR_CELL_SUPPRESSED) {
                double lo, hi;
                qtr_column_range(c, i, spec->suppressed_low, spec->suppressed_high, &lo, &hi);
                if (qtr_report_add(rep, QTR_ISSUE_MISSING_COUNT, QTR_INFO, f->key[i], f->name[i],
                                   c->origin,
                                   "group '%s' is suppressed (*)%s; the indices take it as %g to "
                                   "%g and show the range",
                                   c->name,
                                   c->range_lo && isfinite(c->range_lo[i])
                                       ? " in the counts carried onto this district"
                                       : "",
                                   lo, hi))
                    goto nomem;
                qtr_report_add_de(rep,
                                  "Gruppe „%s“ ist unterdrückt (*)%s; die Indizes rechnen mit %g "
                                  "bis %g und zeigen die Spanne",
                                  c->name,
                                  c->range_lo && isfinite(c->range_lo[i])
                                      ? " in den auf dieses Gebiet übertragenen Zahlen"
                                      : "",
                                  lo, hi);
                continue;
            }
            if (!count_ok(c->kind[i])) {
                ok = 0;
                if (qtr_report_add(rep, QTR_ISSUE_MISSING_COUNT, QTR_WARNING, f->key[i], f->name[i],
                                   c->origin, "group '%s' is %s; district left out of the indices",
                                   c->name, qtr_cell_kind_name(c->kind[i])))
                    goto nomem;
                qtr_report_add_de(rep, "Gruppe „%s“ ist %s; Gebiet nicht in den Indizes", c->name,
                                  qtr_cell_kind_name_de(c->kind[i]));
            } else if (c->v[i] < 0) {
                ok = 0;
                if (qtr_report_add(rep, QTR_ISSUE_NEGATIVE_COUNT, QTR_WARNING, f->key[i],
                                   f->name[i], c->origin,
                                   "group '%s' is negative (%g); district left out", c->name,
                                   c->v[i]))
                    goto nomem;
                qtr_report_add_de(rep, "Gruppe „%s“ ist negativ (%g); Gebiet nicht in den Indizes",
                                  c->name, c->v[i]);
            } else if (count_ok(tot->kind[i]) && c->v[i] > tot->v[i]) {
                ok = 0;
                if (qtr_report_add(rep, QTR_ISSUE_GROUP_EXCEEDS_TOTAL, QTR_WARNING, f->key[i],
                                   f->name[i], c->origin,
                                   "group '%s' (%g) is larger than the total '%s' (%g); "
                                   "district left out",
                                   c->name, c->v[i], tot->name, tot->v[i]))
                    goto nomem;
                qtr_report_add_de(rep,
                                  "Gruppe „%s“ (%g) ist größer als die Einwohnerzahl „%s“ (%g); "
                                  "Gebiet nicht in den Indizes",
                                  c->name, c->v[i], tot->name, tot->v[i]);
            }
        }
        usable[i] = (uint8_t)ok;
    }
    rc = QTR_OK;
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
out:
    free(grp);
    return rc;
}
