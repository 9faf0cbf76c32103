/*
 * ksum.c - compensated sums (ksum.h).
 */
#include "quartier/ksum.h"

double qtr_ksum_array(const double *a, size_t n)
{
    struct qtr_ksum k = QTR_KSUM_INIT;
    for (size_t i = 0; i < n; i++)
        qtr_ksum_add(&k, a[i]);
    return qtr_ksum_get(&k);
}
