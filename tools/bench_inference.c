/*
 * bench_inference.c - time 999 permutation draws (individuals shuffled across
 * districts) for the dissimilarity index D and the mutual information M on
 * synthetic cities of 1,000 and 10,000 districts.
 *
 * Usage: bench_inference [threads]   (0 or absent = OpenMP default)
 * Prints one line per case: districts, residents, index, milliseconds, p-value.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "quartier/inference.h"
#include "quartier/multigroup.h"

#define NGROUPS 4

/* Duncan & Duncan (1955) D = 1/2 Σ |x_i/X - (t_i - x_i)/(T - X)|, local to the benchmark. */
static int bench_d(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    double X = 0.0, T = 0.0;
    for (size_t i = 0; i < u->n; i++) {
        X += u->group[i];
        T += u->total[i];
    }
    if (!(X > 0.0) || !(T - X > 0.0))
        return qtr_error_set(err, QTR_ERR_DOMAIN, "group or rest absent");
    double s = 0.0;
    for (size_t i = 0; i < u->n; i++)
        s += fabs(u->group[i] / X - (u->total[i] - u->group[i]) / (T - X));
    *out = 0.5 * s;
    return QTR_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Fixed-seed layout: districts of 500-4,500 residents, group shares drifting across the city. */
static uint64_t st = 88172645463325252ULL;
static double unif(void)
{
    st ^= st << 13;
    st ^= st >> 7;
    st ^= st << 17;
    return (double)(st >> 11) * 0x1.0p-53;
}

static int run(size_t n, int threads)
{
    double *g[NGROUPS], *tot = calloc(n, sizeof *tot);
    const double *gp[NGROUPS];
    for (int k = 0; k < NGROUPS; k++) {
        g[k] = calloc(n, sizeof *g[k]);
        gp[k] = g[k];
    }
    double pop = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = floor(500 + 4000 * unif());
        double x = (double)i / (double)n;
        double w[NGROUPS] = {0.6 - 0.3 * x, 0.1 + 0.2 * x, 0.1 + 0.05 * unif(), 0.2};
        double sw = w[0] + w[1] + w[2] + w[3], left = t;
        for (int k = 0; k < NGROUPS - 1; k++) {
            g[k][i] = floor(t * w[k] / sw);
            left -= g[k][i];
        }
        g[NGROUPS - 1][i] = left;
        tot[i] = t;
        pop += t;
    }
    struct qtr_units single = {.n = n, .total = tot, .group = g[1]};
    struct qtr_units multi = {.n = n, .ngroups = NGROUPS, .groups = gp};
    struct qtr_infer_options o = {.draws = 999, .seed = 1, .threads = threads};
    struct qtr_infer_result r;
    struct qtr_error err = {0};
    double t0 = now_ms();
    int rc = qtr_infer_null(&single, bench_d, QTR_NULL_PERMUTATION, &o, &r, NULL, &err);
    double t1 = now_ms();
    if (rc) {
        fprintf(stderr, "bench_inference: %s\n", err.msg);
        return 1;
    }
    printf("%6zu districts %9.0f residents  D  999 permutations %8.1f ms  p = %.4f\n", n, pop,
           t1 - t0, r.p_value);
    o.multigroup = 1;
    t0 = now_ms();
    rc = qtr_infer_null(&multi, qtr_mutual_information, QTR_NULL_PERMUTATION, &o, &r, NULL, &err);
    t1 = now_ms();
    if (rc) {
        fprintf(stderr, "bench_inference: %s\n", err.msg);
        return 1;
    }
    printf("%6zu districts %9.0f residents  M  999 permutations %8.1f ms  p = %.4f\n", n, pop,
           t1 - t0, r.p_value);
    for (int k = 0; k < NGROUPS; k++)
        free(g[k]);
    free(tot);
    return 0;
}

int main(int argc, char **argv)
{
    int threads = 0;
    if (argc > 1) {
        char *end = NULL;
        long v = strtol(argv[1], &end, 10);
        if (!end || *end || v < 0 || v > 1024) {
            fprintf(stderr, "usage: bench_inference [threads]\n");
            return 2;
        }
        threads = (int)v;
    }
    if (run(1000, threads) || run(10000, threads))
        return 1;
    return 0;
}
