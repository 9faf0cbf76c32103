/*
 * carry.c - shares of the pieces of a crosswalk and the carrying of cells (see carry.h).
 */
#include "quartier/carry.h"

#include <math.h>
#include <stdlib.h>

int qtr_carry_piece_cmp(const void *a, const void *b)
{
    const struct qtr_piece *x = a, *y = b;
    if (x->src != y->src)
        return (x->src > y->src) - (x->src < y->src);
    return (x->tgt > y->tgt) - (x->tgt < y->tgt);
}

const char *qtr_carry_method_name(enum qtr_carry_method m)
{
    switch (m) {
    case QTR_CARRY_AREA:
        return "area";
    case QTR_CARRY_WEIGHTS:
        return "weights";
    case QTR_CARRY_CORRESPONDENCE:
        return "correspondence";
    }
    return "?";
}

int qtr_carry_shares(enum qtr_carry_method method, const struct qtr_piece *pieces, size_t np,
                     size_t nsrc, const double *covered, size_t ntgt, const double *tgt_area,
                     const double *ancillary, const double *density, double *weight,
                     double *share, uint8_t *fallback, struct qtr_error *err)
{
    if (method == QTR_CARRY_CORRESPONDENCE)
        return qtr_error_set(err, QTR_ERR_INTERNAL,
                             "the shares of a correspondence table are given, not computed");
    int dasy = method == QTR_CARRY_WEIGHTS;
    if (dasy && (!ancillary || !tgt_area))
        return qtr_error_set(err, QTR_ERR_INTERNAL,
                             "the weights method needs target areas "
                             "and ancillary counts");
    for (size_t p = 0; p < np; p++) {
        const struct qtr_piece *q = &pieces[p];
        if (q->src >= nsrc || q->tgt >= ntgt)
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "piece %zu names source unit %zu or target unit %zu, "
                                 "beyond the %zu source and %zu target units",
                                 p, q->src, q->tgt, nsrc, ntgt);
        if (!(q->area >= 0) || !isfinite(q->area))
            return qtr_error_set(err, QTR_ERR_DATA, "piece %zu has no valid area (%g m²)", p,
                                 q->area);
        if (dasy && !(tgt_area[q->tgt] > 0))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "piece %zu lies in target unit %zu, which has no area", p, q->tgt);
    }
    if (dasy && density)
        for (size_t i = 0; i < nsrc; i++)
            if (!(density[i] >= 0) || !isfinite(density[i]))
                return qtr_error_set(err, QTR_ERR_DATA,
                                     "source unit %zu has no valid density (%g per m²)", i,
                                     density[i]);
    /* per source unit: the sum of piece areas, of weights, and whether a weight is unknown;
     * per target (with a density): the sum of piece areas and of piece area x density */
    double *area_sum = calloc(nsrc ? nsrc : 1, sizeof *area_sum);
    double *w_sum = calloc(nsrc ? nsrc : 1, sizeof *w_sum);
    uint8_t *unknown = calloc(nsrc ? nsrc : 1, 1);
    double *t_area = dasy && density ? calloc(ntgt ? ntgt : 1, sizeof *t_area) : NULL;
    double *t_mass = dasy && density ? calloc(ntgt ? ntgt : 1, sizeof *t_mass) : NULL;
    if (!area_sum || !w_sum || !unknown || (dasy && density && (!t_area || !t_mass))) {
        free(area_sum);
        free(w_sum);
        free(unknown);
        free(t_area);
        free(t_mass);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the shares of %zu pieces", np);
    }
    if (t_area)
        for (size_t p = 0; p < np; p++) {
            t_area[pieces[p].tgt] += pieces[p].area;
            t_mass[pieces[p].tgt] += pieces[p].area * density[pieces[p].src];
        }
    for (size_t p = 0; p < np; p++) {
        const struct qtr_piece *q = &pieces[p];
        area_sum[q->src] += q->area;
        if (dasy) {
            double a = ancillary[q->tgt];
            if (!isfinite(a) || a < 0) {
                unknown[q->src] = 1;
                weight[p] = NAN;
            } else {
                weight[p] = q->area / tgt_area[q->tgt] * a;
                /* relative density d / dbar of the piece's source within its target; a
                 * target whose pieces all have density 0 keeps the uniform spread */
                if (t_mass && t_mass[q->tgt] > 0)
                    weight[p] *= density[q->src] * t_area[q->tgt] / t_mass[q->tgt];
                w_sum[q->src] += weight[p];
            }
        } else {
            weight[p] = q->area;
        }
    }
    if (fallback)
        for (size_t i = 0; i < nsrc; i++)
            fallback[i] = 0;
    for (size_t p = 0; p < np; p++) {
        size_t i = pieces[p].src;
        double c = covered ? covered[i] : 1.0;
        if (!(c >= 0))
            c = 0;
        if (c > 1)
            c = 1;
        if (dasy && !unknown[i] && w_sum[i] > 0) {
            share[p] = weight[p] / w_sum[i] * c;
        } else {
            if (dasy) {
                weight[p] = pieces[p].area; /* fell back: the weight is the area */
                if (fallback)
                    fallback[i] = 1;
            }
            share[p] = area_sum[i] > 0 ? pieces[p].area / area_sum[i] * c : 0;
        }
    }
    free(area_sum);
    free(w_sum);
    free(unknown);
    free(t_area);
    free(t_mass);
    return QTR_OK;
}

size_t qtr_carry_source_density(size_t nsrc, const struct qtr_cell *count, const double *area,
                                double *density, uint8_t *unknown)
{
    double c_sum = 0, a_sum = 0;
    size_t nunknown = 0;
    for (size_t i = 0; i < nsrc; i++) {
        enum qtr_cell_class k = qtr_cell_class_of(count[i].kind);
        int known = (k == QTR_CLASS_VALUE || k == QTR_CLASS_ZERO) && area[i] > 0 &&
                    isfinite(area[i]) && (k == QTR_CLASS_ZERO || isfinite(count[i].value));
        double c = k == QTR_CLASS_ZERO ? 0 : count[i].value;
        if (known && c < 0)
            known = 0;
        density[i] = known ? c / area[i] : NAN;
        if (unknown)
            unknown[i] = !known;
        if (known) {
            c_sum += c;
            a_sum += area[i];
        }
    }
    double city = a_sum > 0 ? c_sum / a_sum : 0;
    for (size_t i = 0; i < nsrc; i++)
        if (isnan(density[i])) {
            density[i] = city;
            nunknown++;
        }
    return nunknown;
}

void qtr_carry_cells(const struct qtr_piece *pieces, size_t np, const double *share,
                     const struct qtr_cell *src, size_t ntgt, struct qtr_cell *out)
{
    /* state per target: 0 nothing fed, 1 zeros only, 2 a value, then suppressed, missing */
    enum { FED_NONE = 0, FED_ZERO, FED_VALUE, FED_SUPPRESSED, FED_MISSING };
    unsigned char *state = calloc(ntgt ? ntgt : 1, 1);
    for (size_t j = 0; j < ntgt; j++) {
        out[j].value = 0;
        out[j].kind = QTR_CELL_MISSING;
        out[j].footnote = 0;
    }
    if (!state) {
        for (size_t j = 0; j < ntgt; j++)
            out[j].value = NAN;
        return; /* out of memory: everything missing, never a wrong number */
    }
    for (size_t p = 0; p < np; p++) {
        size_t j = pieces[p].tgt;
        const struct qtr_cell *c = &src[pieces[p].src];
        if (!(share[p] > 0)) {
            /* a piece that carries nothing: its target gets an estimated 0 from it, whatever
             * the state of the source cell */
            if (state[j] < FED_VALUE)
                state[j] = FED_VALUE;
            continue;
        }
        unsigned char s;
        switch (qtr_cell_class_of(c->kind)) {
        case QTR_CLASS_VALUE:
            s = FED_VALUE;
            out[j].value += share[p] * c->value;
            break;
        case QTR_CLASS_ZERO:
            s = FED_ZERO;
            break;
        case QTR_CLASS_SUPPRESSED:
            s = FED_SUPPRESSED;
            break;
        default:
            s = FED_MISSING;
            break;
        }
        if (c->footnote)
            out[j].footnote = 1;
        if (s > state[j])
            state[j] = s;
    }
    for (size_t j = 0; j < ntgt; j++) {
        switch (state[j]) {
        case FED_ZERO:
            out[j].kind = QTR_CELL_ZERO;
            out[j].value = 0;
            break;
        case FED_VALUE:
            out[j].kind = QTR_CELL_VALUE;
            if (out[j].value == 0)
                out[j].value = 0; /* no -0 */
            break;
        case FED_SUPPRESSED:
            out[j].kind = QTR_CELL_SUPPRESSED;
            out[j].value = NAN;
            break;
        default:
            out[j].kind = QTR_CELL_MISSING;
            out[j].value = NAN;
            break;
        }
    }
    free(state);
}

void qtr_carry_ranges(const struct qtr_piece *pieces, size_t np, const double *share,
                      const struct qtr_cell *src, double lo, double hi, size_t ntgt, double *low,
                      double *high)
{
    /* per target: 0 nothing in a range yet, 1 a '*' count seen, 2 no range (unknown) */
    unsigned char *st = calloc(ntgt ? ntgt : 1, 1);
    for (size_t j = 0; j < ntgt; j++)
        low[j] = high[j] = 0;
    if (!st) {
        for (size_t j = 0; j < ntgt; j++)
            low[j] = high[j] = NAN;
        return;
    }
    for (size_t p = 0; p < np; p++) {
        if (!(share[p] > 0))
            continue;
        size_t j = pieces[p].tgt;
        const struct qtr_cell *c = &src[pieces[p].src];
        enum qtr_cell_class k = qtr_cell_class_of(c->kind);
        if (k == QTR_CLASS_VALUE) {
            low[j] += share[p] * c->value;
            high[j] += share[p] * c->value;
        } else if (k == QTR_CLASS_ZERO) {
            /* adds nothing */
        } else if (c->kind == QTR_CELL_SUPPRESSED) {
            low[j] += share[p] * lo;
            high[j] += share[p] * hi;
            if (st[j] == 0)
                st[j] = 1;
        } else {
            st[j] = 2;
        }
    }
    for (size_t j = 0; j < ntgt; j++)
        if (st[j] != 1)
            low[j] = high[j] = NAN;
    free(st);
}
