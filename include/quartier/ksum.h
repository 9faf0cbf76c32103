/*
 * ksum.h - compensated summation (Neumaier 1974, "Rundungsfehleranalyse einiger Verfahren zur
 * Summation endlicher Summen", ZAMM 54), the one helper every kernel uses where a sum adds many
 * terms of different size or sign, or where an index subtracts nearly equal sums.
 *
 * The error of the sum is bounded by 2u|Σ x| + O(n u²) Σ|x| (u = 2^-53) instead of the
 * (n-1) u Σ|x| of the naive loop. Plain struct, no allocation: start from QTR_KSUM_INIT.
 */
#ifndef QUARTIER_KSUM_H
#define QUARTIER_KSUM_H

#include <stddef.h>

struct qtr_ksum {
    double s; /* running sum */
    double c; /* accumulated low-order parts */
};

#define QTR_KSUM_INIT                                                                              \
    {                                                                                              \
        0.0, 0.0                                                                                   \
    }

/** Add v to the sum (Neumaier's variant of Kahan's loop: also exact when |v| > |s|). */
static inline void qtr_ksum_add(struct qtr_ksum *k, double v)
{
    double t = k->s + v;
    if ((k->s >= 0 ? k->s : -k->s) >= (v >= 0 ? v : -v))
        k->c += (k->s - t) + v;
    else
        k->c += (v - t) + k->s;
    k->s = t;
}

/** The compensated value of the sum. */
static inline double qtr_ksum_get(const struct qtr_ksum *k)
{
    return k->s + k->c;
}

/** Compensated sum of a[0..n) (0 for n = 0). */
double qtr_ksum_array(const double *a, size_t n);

#endif
