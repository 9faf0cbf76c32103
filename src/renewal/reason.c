/*
 * reason.c - the human-readable reason why a district is (or is not) a
 * renewal candidate, in German or English.
 */
#include "quartier/renewal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Number with one decimal, decimal comma in German ("2,1"). Halves round
 * away from zero (kaufmännisches Runden, DIN 1333), not to even as printf
 * does: a council reader expects 1,25 -> 1,3. */
static void fmt1(double v, enum qtr_lang lang, char buf[32])
{
    snprintf(buf, 32, "%.1f", round(v * 10.0) / 10.0);
    if (lang == QTR_LANG_DE)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

/* The unit after a number: a change of a percentage is in percentage points ("Pp."). */
static const char *unit_text(const struct qtr_reason_item *it, enum qtr_lang lang)
{
    if (!it->unit || !*it->unit)
        return NULL;
    if (it->is_change && (!strcmp(it->unit, "%") || !strcmp(it->unit, "Prozent")))
        return lang == QTR_LANG_EN ? "pp" : "Pp."; /* as the change maps' legends */
    return it->unit;
}

/* "17,8 %", "+1,2 Pp." (a change carries its sign). */
static int put_value(struct qtr_buf *out, double v, const struct qtr_reason_item *it,
                     enum qtr_lang lang)
{
    char num[32];
    fmt1(v, lang, num);
    const char *u = unit_text(it, lang);
    int plus = it->is_change && num[0] != '-' && strcmp(num, "0,0") && strcmp(num, "0.0");
    if (!strcmp(num, "-0,0") || !strcmp(num, "-0.0"))
        memmove(num, num + 1, strlen(num));
    /* a no-break space keeps the unit on the number's line in narrow table cells */
    return qtr_buf_printf(out, "%s%s%s%s", plus ? "+" : "", num, u ? "\u00a0" : "", u ? u : "");
}

/* One item: "Label: 17,8 % (Stadt 4,4 %; 2,1 SD über Mittel)" or "Label 2,1 SD über Mittel". */
static int put_item(struct qtr_buf *out, const struct qtr_reason_item *it, enum qtr_lang lang)
{
    const int en = lang == QTR_LANG_EN;
    char num[32];
    fmt1(fabs(it->z), lang, num);
    const char *side = en ? (it->z >= 0 ? "above" : "below") : (it->z >= 0 ? "über" : "unter");
    const char *mean = en ? "mean" : "Mittel";
    const char *label = it->label ? it->label : "?";
    if (!it->has_value || !isfinite(it->value))
        return qtr_buf_printf(out, "%s %s SD %s %s", label, num, side, mean);
    if (qtr_buf_printf(out, "%s: ", label) || put_value(out, it->value, it, lang) ||
        qtr_buf_puts(out, " ("))
        return QTR_ERR_NOMEM;
    if (isfinite(it->reference)) {
        const char *ref = it->reference_city ? (en ? "city" : "Stadt")
                                             : (en ? "district mean" : "Gebietsmittel");
        if (qtr_buf_printf(out, "%s ", ref) || put_value(out, it->reference, it, lang) ||
            qtr_buf_puts(out, "; "))
            return QTR_ERR_NOMEM;
    }
    return qtr_buf_printf(out, "%s SD %s %s)", num, side, mean);
}

/* Append the indicators that drive a class in direction `dir` (+1 worse, -1
 * better), largest contribution first, as " – a ..., b ...". `need` is the
 * limit of the class in the oriented index (niedrig: t[1], hoch: -t[0]); sd
 * the SD of the weighted sum (<= 0 or NaN: unknown, then at most max_items). */
static int append_items(struct qtr_buf *out, size_t nitems, const struct qtr_reason_item *items,
                        int dir, double sd, double need, size_t max_items, enum qtr_lang lang,
                        struct qtr_error *err)
{
    int rc = QTR_OK;
    size_t *pick = NULL;
    double *push = NULL;
    if (nitems == 0 || dir == 0)
        return QTR_OK;
    pick = malloc(nitems * sizeof *pick);
    push = malloc(nitems * sizeof *push);
    if (!pick || !push) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
        goto out;
    }
    size_t np = 0;
    for (size_t k = 0; k < nitems; k++) {
        double o = (items[k].higher_better ? -items[k].z : items[k].z) * items[k].weight * dir;
        /* pulling the other way, or a score that reads 0,0 SD, never drives a class */
        if (!(o > 0) || !(fabs(items[k].z) >= 0.05))
            continue;
        /* insertion keeps input order among equal pushes */
        size_t j = np++;
        while (j > 0 && push[j - 1] < o) {
            push[j] = push[j - 1];
            pick[j] = pick[j - 1];
            j--;
        }
        push[j] = o;
        pick[j] = k;
    }
    if (sd > 0 && isfinite(sd)) {
        /* the fewest contributions that alone carry the index past the class limit */
        double sum = 0;
        size_t take = np;
        for (size_t j = 0; j < np; j++) {
            sum += push[j] / sd;
            if (sum > need) {
                take = j + 1;
                break;
            }
        }
        while (take < np && push[take] == push[take - 1])
            take++;
        np = take;
    } else if (np > max_items) {
        np = max_items;
    }
    for (size_t j = 0; j < np; j++) {
        if (qtr_buf_puts(out, j == 0 ? " – " : ", ") || put_item(out, &items[pick[j]], lang)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
            goto out;
        }
    }
out:
    free(pick);
    free(push);
    return rc;
}

int qtr_renewal_reason(int status_class, size_t nstatus, const struct qtr_reason_item *status_items,
                       int dyn_class, size_t ndyn, const struct qtr_reason_item *dyn_items,
                       const struct qtr_reason_method *m, unsigned attention_flags,
                       size_t max_items, enum qtr_lang lang, struct qtr_buf *out,
                       struct qtr_error *err)
{
    int en = lang == QTR_LANG_EN;
    int rc;
    if (status_class == QTR_STATUS_NONE) {
        if (qtr_buf_puts(out, en ? "invalid (no index)" : "ungültig (kein Index)"))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
        return QTR_OK;
    }
    if (qtr_buf_printf(out, "Status %s", qtr_status_class_name(status_class, lang)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
    int sdir = status_class >= QTR_STATUS_NIEDRIG ? 1 : status_class == QTR_STATUS_HOCH ? -1 : 0;
    double sneed = !m                                            ? 0
                   : status_class == QTR_STATUS_SEHR_NIEDRIG ? m->status_thresholds[2]
                   : status_class == QTR_STATUS_NIEDRIG      ? m->status_thresholds[1]
                                                             : -m->status_thresholds[0];
    rc = append_items(out, nstatus, status_items, sdir, m ? m->status_sd : NAN, sneed, max_items,
                      lang, err);
    if (rc)
        return rc;
    if (dyn_class != QTR_DYN_NONE) {
        if (qtr_buf_printf(out, "; %s %s", en ? "dynamics" : "Dynamik",
                           qtr_dynamics_class_name(dyn_class, lang)))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
        int ddir = dyn_class == QTR_DYN_NEGATIV ? 1 : dyn_class == QTR_DYN_POSITIV ? -1 : 0;
        double dneed = !m                           ? 0
                       : dyn_class == QTR_DYN_NEGATIV ? m->dynamics_thresholds[1]
                                                      : -m->dynamics_thresholds[0];
        rc = append_items(out, ndyn, dyn_items, ddir, m ? m->dynamics_sd : NAN, dneed, max_items,
                          lang, err);
        if (rc)
            return rc;
    }
    if (attention_flags & QTR_ATTN_SEGREGATION) {
        if (qtr_buf_puts(out, en ? "; at risk of segregation (location quotient significantly "
                                   "high, share rising)"
                                 : "; Segregationsrisiko (Lagequotient signifikant hoch, "
                                   "Anteil steigend)"))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
    }
    return QTR_OK;
}
