/*
 * bench_indices.c - time the single-group index kernels on synthetic cities.
 *
 *   bench_indices [N_DETERMINISTIC [N_SIMULATED [DRAWS]]]
 *
 * Defaults: 1,000,000 districts for every deterministic index, 10,000 districts with 999
 * draws for the simulated ones (modified D, modified Gini, bias-corrected D). Prints the
 * milliseconds per index, the totals and the peak resident set size (getrusage).
 * The city is synthetic and seeded: totals 200..15,000, group shares from a skewed mix,
 * areas 0.05..5 km², centroids in a 40 km square.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "quartier/indices.h"
#include "quartier/rng.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    /* process CPU time over all threads: the shared 2-core machine makes wall time noisy */
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long parse_count(const char *s, long dflt)
{
    if (!s)
        return dflt;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 2) {
        fprintf(stderr, "bench_indices: '%s' is not a count >= 2, using %ld\n", s, dflt);
        return dflt;
    }
    return v;
}

struct city {
    size_t n;
    double *t, *x, *a, *cx, *cy;
};

static int make_city(struct city *c, size_t n, uint64_t seed)
{
    c->n = n;
    c->t = malloc(n * sizeof *c->t);
    c->x = malloc(n * sizeof *c->x);
    c->a = malloc(n * sizeof *c->a);
    c->cx = malloc(n * sizeof *c->cx);
    c->cy = malloc(n * sizeof *c->cy);
    if (!c->t || !c->x || !c->a || !c->cx || !c->cy)
        return -1;
    struct qtr_rng r;
    qtr_rng_seed(&r, seed, 0);
    for (size_t i = 0; i < n; i++) {
        double t = (double)(200 + qtr_rng_below(&r, 14801));
        double u = qtr_rng_uniform(&r);
        double p = u < 0.8 ? 0.05 + 0.15 * qtr_rng_uniform(&r) : 0.2 + 0.6 * qtr_rng_uniform(&r);
        c->t[i] = t;
        c->x[i] = (double)qtr_rng_binomial(&r, (uint64_t)t, p);
        c->a[i] = 5e4 + 4.95e6 * qtr_rng_uniform(&r);
        c->cx[i] = 370000 + 40000 * qtr_rng_uniform(&r);
        c->cy[i] = 5800000 + 40000 * qtr_rng_uniform(&r);
    }
    return 0;
}

static void free_city(struct city *c)
{
    free(c->t);
    free(c->x);
    free(c->a);
    free(c->cx);
    free(c->cy);
}

int main(int argc, char **argv)
{
    size_t n_det = (size_t)parse_count(argc > 1 ? argv[1] : NULL, 1000000);
    size_t n_sim = (size_t)parse_count(argc > 2 ? argv[2] : NULL, 10000);
    unsigned draws = (unsigned)parse_count(argc > 3 ? argv[3] : NULL, 999);
    int failed = 0;

    struct city c = {0};
    if (make_city(&c, n_det, 1)) {
        fprintf(stderr, "bench_indices: out of memory\n");
        return 1;
    }
    struct qtr_units u = {.n = c.n, .total = c.t, .group = c.x, .area = c.a, .cx = c.cx,
                          .cy = c.cy, .central_radius = 10000};
    size_t nd;
    const struct qtr_index_def *defs = qtr_single_index_defs(&nd);
    printf("deterministic single-group indices, %zu districts\n", n_det);
    double total = 0, total_cpu = 0;
    for (size_t k = 0; k < nd; k++) {
        if (defs[k].flags & QTR_INDEX_SIMULATED)
            continue;
        struct qtr_error e;
        double v = 0, t0 = now_ms(), c0 = cpu_ms();
        int rc = defs[k].fn(&u, &v, &e);
        double ms = now_ms() - t0, cms = cpu_ms() - c0;
        total += ms;
        total_cpu += cms;
        if (rc) {
            printf("  %-32s FAILED: %s\n", defs[k].name, e.msg);
            failed = 1;
        } else {
            printf("  %-32s %9.1f ms (cpu %7.1f ms)   value %.6f\n", defs[k].name, ms, cms, v);
        }
    }
    printf("  %-32s %9.1f ms (cpu %7.1f ms)\n", "total", total, total_cpu);
    free_city(&c);

    if (make_city(&c, n_sim, 2)) {
        fprintf(stderr, "bench_indices: out of memory\n");
        return 1;
    }
    u = (struct qtr_units){.n = c.n, .total = c.t, .group = c.x};
    printf("simulated single-group indices, %zu districts, %u draws\n", n_sim, draws);
    double total_sim = 0, total_sim_cpu = 0;
    for (int k = 0; k < 3; k++) {
        static const char *const names[] = {"modified_dissimilarity", "modified_gini",
                                            "bias_corrected_dissimilarity"};
        struct qtr_error e;
        double v = 0, ex = 0, t0 = now_ms(), c0 = cpu_ms();
        int rc = k == 0   ? qtr_modified_dissimilarity_sim(&u, draws, 7, &v, &ex, &e)
                 : k == 1 ? qtr_modified_gini_sim(&u, draws, 7, &v, &ex, &e)
                          : qtr_bias_corrected_dissimilarity_sim(&u, draws, 7, &v, &ex, &e);
        double ms = now_ms() - t0, cms = cpu_ms() - c0;
        total_sim += ms;
        total_sim_cpu += cms;
        if (rc) {
            printf("  %-32s FAILED: %s\n", names[k], e.msg);
            failed = 1;
        } else {
            printf("  %-32s %9.1f ms (cpu %7.1f ms)   value %.6f (simulated mean %.6f)\n",
                   names[k], ms, cms, v, ex);
        }
    }
    printf("  %-32s %9.1f ms (cpu %7.1f ms)\n", "total", total_sim, total_sim_cpu);
    free_city(&c);

    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak RSS %.1f MiB\n", ru.ru_maxrss / 1024.0);
    return failed;
}
