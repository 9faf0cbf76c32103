/*
 * single_common.c - input checks, city totals and sorting shared by the single-group kernels.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "single_internal.h"

int qtr_sg_check(const struct qtr_units *u, struct qtr_sg_sums *s, struct qtr_error *err)
{
    if (!u || u->n == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "no districts: the index needs at least two "
                                                  "districts with residents");
    if (!u->total || !u->group)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "no population counts were given for the group or the total");
    struct qtr_ksum kx = {0, 0}, kt = {0, 0};
    size_t npop = 0;
    for (size_t i = 0; i < u->n; i++) {
        double t = u->total[i], x = u->group[i];
        if (!isfinite(t))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has no valid total population (%s); fix or "
                                 "exclude it before computing indices",
                                 i, isnan(t) ? "missing/NaN" : "infinite");
        if (!isfinite(x))
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has no valid group count (%s); fix or exclude "
                                 "it before computing indices",
                                 i, isnan(x) ? "missing/NaN" : "infinite");
        if (t < 0 || x < 0)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has a negative count (group %g, total %g)", i, x,
                                 t);
        if (x > t)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has more group members (%g) than residents (%g); "
                                 "check that group and total columns match",
                                 i, x, t);
        qtr_ksum_add(&kx, x);
        qtr_ksum_add(&kt, t);
        if (t > 0)
            npop++;
    }
    double X = qtr_ksum_get(&kx), T = qtr_ksum_get(&kt);
    if (T <= 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "all %zu districts have zero residents", u->n);
    if (npop < 2)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "only one district has residents: segregation between districts "
                             "needs at least two");
    if (X <= 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the group is absent from the city (0 members in all %zu districts)",
                             u->n);
    if (X >= T)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "the group makes up the whole population of every district: there "
                             "is no other group to compare with");
    if (s) {
        s->X = X;
        s->T = T;
        s->P = X / T;
        s->npop = npop;
    }
    return QTR_OK;
}

int qtr_sg_check_area(const struct qtr_units *u, double *A, struct qtr_error *err)
{
    if (!u->area)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "needs district areas");
    struct qtr_ksum ka = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        double a = u->area[i];
        if (!isfinite(a) || a <= 0)
            return qtr_error_set(err, QTR_ERR_DOMAIN,
                                 "district %zu has no valid area (%g m²); areas must be positive",
                                 i, a);
        qtr_ksum_add(&ka, a);
    }
    if (A)
        *A = qtr_ksum_get(&ka);
    return QTR_OK;
}

int qtr_sg_check_centroids(const struct qtr_units *u, double *cx0, double *cy0,
                           struct qtr_error *err)
{
    if (!u->cx || !u->cy)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "needs district centroids");
    struct qtr_ksum kx = {0, 0}, ky = {0, 0};
    for (size_t i = 0; i < u->n; i++) {
        if (!isfinite(u->cx[i]) || !isfinite(u->cy[i]))
            return qtr_error_set(err, QTR_ERR_DOMAIN, "district %zu has no valid centroid", i);
        qtr_ksum_add(&kx, u->cx[i]);
        qtr_ksum_add(&ky, u->cy[i]);
    }
    if (u->has_center) {
        if (!isfinite(u->center_x) || !isfinite(u->center_y))
            return qtr_error_set(err, QTR_ERR_DOMAIN, "the given city centre is not a valid point");
        *cx0 = u->center_x;
        *cy0 = u->center_y;
    } else {
        /* PySAL center="mean": unweighted mean of all centroids */
        *cx0 = qtr_ksum_get(&kx) / (double)u->n;
        *cy0 = qtr_ksum_get(&ky) / (double)u->n;
    }
    return QTR_OK;
}

double qtr_sg_dissim_raw(size_t n, const double *x, const double *t)
{
    /* D = Σ t_i |p_i - P| / (2 T P (1-P)) (PySAL _dissim), equal to Duncan & Duncan's
     * 1/2 Σ |x_i/X - y_i/Y|. Returns 0 when the city has no contrast (P = 0 or 1). */
    struct qtr_ksum kx = {0, 0}, kt = {0, 0}, kd = {0, 0};
    for (size_t i = 0; i < n; i++) {
        qtr_ksum_add(&kx, x[i]);
        qtr_ksum_add(&kt, t[i]);
    }
    double X = qtr_ksum_get(&kx), T = qtr_ksum_get(&kt);
    if (!(T > 0) || !(X > 0) || !(X < T))
        return 0.0;
    double P = X / T;
    for (size_t i = 0; i < n; i++)
        if (t[i] > 0)
            qtr_ksum_add(&kd, t[i] * fabs(x[i] / t[i] - P));
    return qtr_ksum_get(&kd) / (2.0 * T * P * (1.0 - P));
}

int qtr_sg_sums_nocheck(const struct qtr_units *u, struct qtr_sg_sums *s)
{
    /* the sums of qtr_sg_check in the same order (so the same bits), without the checks of
     * each district that a simulated city passes by construction */
    struct qtr_ksum kx = {0, 0}, kt = {0, 0};
    size_t npop = 0;
    for (size_t i = 0; i < u->n; i++) {
        double t = u->total[i];
        qtr_ksum_add(&kx, u->group[i]);
        qtr_ksum_add(&kt, t);
        npop += t > 0;
    }
    double X = qtr_ksum_get(&kx), T = qtr_ksum_get(&kt);
    if (!(T > 0) || npop < 2 || !(X > 0) || !(X < T))
        return QTR_ERR_DOMAIN;
    s->X = X;
    s->T = T;
    s->P = X / T;
    s->npop = npop;
    return QTR_OK;
}

double qtr_sg_gini_ordered(size_t n, const double *x, const double *t, const size_t *order,
                           double T, double P)
{
    /* Σ_{i<j} t_i t_j (p_j - p_i) = Σ_j (x_j W_j - t_j V_j) along the districts sorted by p */
    struct qtr_ksum num = {0, 0}, W = {0, 0}, V = {0, 0};
    for (size_t k = 0; k < n; k++) {
        size_t j = order[k];
        if (!(t[j] > 0))
            continue;
        double w = qtr_ksum_get(&W), v = qtr_ksum_get(&V);
        double term = x[j] * w - t[j] * v;
        if (term > 0) /* each term is >= 0 in exact arithmetic */
            qtr_ksum_add(&num, term);
        qtr_ksum_add(&W, t[j]);
        qtr_ksum_add(&V, x[j]);
    }
    return qtr_ksum_get(&num) / (T * T * P * (1.0 - P));
}

double qtr_sg_gini_raw(size_t n, const double *x, const double *t, size_t *order, double *shares)
{
    return qtr_sg_gini_raw_buf(n, x, t, order, shares, NULL, NULL, NULL);
}

double qtr_sg_gini_raw_buf(size_t n, const double *x, const double *t, size_t *order,
                           double *shares, uint64_t *a, uint64_t *b, size_t *cnt)
{
    /* G = Σ_i Σ_j t_i t_j |p_i - p_j| / (2 T² P (1-P)) (James & Taeuber 1985; PySAL
     * _gini_vecp). With districts sorted by p, Σ_{i<j} t_i t_j (p_j - p_i) =
     * Σ_j (x_j W_j - t_j V_j), W_j = Σ_{i<j} t_i, V_j = Σ_{i<j} x_i: O(n log n). */
    struct qtr_ksum kx = {0, 0}, kt = {0, 0};
    for (size_t i = 0; i < n; i++) {
        shares[i] = t[i] > 0 ? x[i] / t[i] : 0.0;
        qtr_ksum_add(&kx, x[i]);
        qtr_ksum_add(&kt, t[i]);
    }
    double X = qtr_ksum_get(&kx), T = qtr_ksum_get(&kt);
    if (!(T > 0) || !(X > 0) || !(X < T))
        return 0.0;
    double P = X / T;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (a && b && cnt)
        qtr_sg_argsort_buf(shares, order, n, a, b, cnt);
    else
        qtr_sg_argsort(shares, order, n);
    return qtr_sg_gini_ordered(n, x, t, order, T, P);
}

/* ---- stable LSD radix argsort on doubles ---------------------------------------- */

enum { SORT_BITS = 11 };

static uint64_t sort_key(double d)
{
    uint64_t u;
    d += 0.0; /* -0.0 -> +0.0 so that equal values tie */
    memcpy(&u, &d, sizeof u);
    return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

static int cmp_pair(const void *a, const void *b)
{
    const uint64_t *pa = a, *pb = b;
    if (pa[0] != pb[0])
        return pa[0] < pb[0] ? -1 : 1;
    return pa[1] < pb[1] ? -1 : (pa[1] > pb[1]);
}

size_t qtr_sg_argsort_cnt_size(void)
{
    return ((64 + SORT_BITS - 1) / SORT_BITS) * (size_t)(1 << SORT_BITS);
}

void qtr_sg_argsort_buf(const double *key, size_t *idx, size_t n, uint64_t *a, uint64_t *b,
                        size_t *cnt)
{
    if (n < 2)
        return;
    enum { BITS = SORT_BITS, RADIX = 1 << BITS };
    for (size_t i = 0; i < n; i++) {
        a[2 * i] = sort_key(key[idx[i]]);
        a[2 * i + 1] = idx[i];
    }
    if (n < 64) {
        qsort(a, n, 2 * sizeof *a, cmp_pair);
    } else {
        /* the input order of idx is the tie order; make ties resolve by index value as
         * the small-n path does: start from pairs sorted by index (stable LSD keeps it) */
        int sorted_idx = 1;
        for (size_t i = 1; i < n && sorted_idx; i++)
            sorted_idx = a[2 * i - 1] < a[2 * i + 1];
        if (!sorted_idx)
            qsort(a, n, 2 * sizeof *a, cmp_pair);
        else {
            /* all digit histograms in one read pass */
            enum { PASSES = (64 + BITS - 1) / BITS };
            for (size_t i = 0; i < PASSES * (size_t)RADIX; i++)
                cnt[i] = 0;
            for (size_t i = 0; i < n; i++) {
                uint64_t k = a[2 * i];
                for (int p = 0; p < PASSES; p++)
                    cnt[(size_t)p * RADIX + ((k >> (p * BITS)) & (RADIX - 1))]++;
            }
            for (int p = 0; p < PASSES; p++) {
                size_t *c = cnt + (size_t)p * RADIX;
                int shift = p * BITS;
                if (c[(a[0] >> shift) & (RADIX - 1)] == n)
                    continue; /* every key has this digit: the pass would change nothing */
                size_t sum = 0;
                for (size_t d = 0; d < RADIX; d++) {
                    size_t v = c[d];
                    c[d] = sum;
                    sum += v;
                }
                for (size_t i = 0; i < n; i++) {
                    size_t d = (a[2 * i] >> shift) & (RADIX - 1);
                    size_t pos = c[d]++;
                    b[2 * pos] = a[2 * i];
                    b[2 * pos + 1] = a[2 * i + 1];
                }
                uint64_t *tmp = a;
                a = b;
                b = tmp;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = (size_t)a[2 * i + 1];
}

void qtr_sg_argsort(const double *key, size_t *idx, size_t n)
{
    if (n < 2)
        return;
    uint64_t *a = malloc(2 * n * sizeof *a);
    uint64_t *b = malloc(2 * n * sizeof *b);
    size_t *cnt = malloc(qtr_sg_argsort_cnt_size() * sizeof *cnt);
    if (!a || !b || !cnt) {
        /* fall back to an in-place sort of what we have: insertion sort keeps it correct
         * (slow only for huge n on an out-of-memory machine) */
        for (size_t i = 1; i < n; i++) {
            size_t v = idx[i];
            uint64_t kv = sort_key(key[v]);
            size_t j = i;
            while (j > 0) {
                uint64_t kj = sort_key(key[idx[j - 1]]);
                if (kj < kv || (kj == kv && idx[j - 1] < v))
                    break;
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
        free(a);
        free(b);
        free(cnt);
        return;
    }
    qtr_sg_argsort_buf(key, idx, n, a, b, cnt);
    free(a);
    free(b);
    free(cnt);
}
