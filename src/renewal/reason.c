/*
 * reason.c - the human-readable reason why a district is (or is not) a
 * renewal candidate, in German or English.
 */
#include "quartier/renewal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

/* Append the at most max_items items pushing the index in direction `dir`
 * (+1 worse, -1 better), largest push first, as " (a 2,1 SD über Mittel, ...)". */
static int append_items(struct qtr_buf *out, size_t nitems, const struct qtr_reason_item *items,
                        int dir, size_t max_items, enum qtr_lang lang, struct qtr_error *err)
{
    int rc = QTR_OK;
    size_t *pick = NULL;
    double *push = NULL;
    if (nitems == 0 || max_items == 0 || dir == 0)
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
        if (!(o > 0))
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
    if (np > max_items)
        np = max_items;
    for (size_t j = 0; j < np; j++) {
        const struct qtr_reason_item *it = &items[pick[j]];
        char num[32];
        fmt1(fabs(it->z), lang, num);
        const char *side = lang == QTR_LANG_EN ? (it->z >= 0 ? "above" : "below")
                                               : (it->z >= 0 ? "über" : "unter");
        const char *mean = lang == QTR_LANG_EN ? "mean" : "Mittel";
        if (qtr_buf_printf(out, "%s%s %s SD %s %s", j == 0 ? " (" : ", ",
                           it->label ? it->label : "?", num, side, mean)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
            goto out;
        }
    }
    if (np > 0 && qtr_buf_puts(out, ")"))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
out:
    free(pick);
    free(push);
    return rc;
}

int qtr_renewal_reason(int status_class, size_t nstatus, const struct qtr_reason_item *status_items,
                       int dyn_class, size_t ndyn, const struct qtr_reason_item *dyn_items,
                       unsigned attention_flags, size_t max_items, enum qtr_lang lang,
                       struct qtr_buf *out, struct qtr_error *err)
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
    rc = append_items(out, nstatus, status_items, sdir, max_items, lang, err);
    if (rc)
        return rc;
    if (dyn_class != QTR_DYN_NONE) {
        if (qtr_buf_printf(out, "; %s %s", en ? "dynamics" : "Dynamik",
                           qtr_dynamics_class_name(dyn_class, lang)))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a reason");
        int ddir = dyn_class == QTR_DYN_NEGATIV ? 1 : dyn_class == QTR_DYN_POSITIV ? -1 : 0;
        rc = append_items(out, ndyn, dyn_items, ddir, max_items, lang, err);
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
