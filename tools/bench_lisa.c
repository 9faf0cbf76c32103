/*
 * bench_lisa.c - time local Moran's I with conditional permutations on a
 * synthetic square rook lattice and report wall time and peak RSS.
 *
 * usage: bench_lisa [districts (default 1000000)] [permutations (999)] [threads (0 = all)]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "quartier/csr.h"
#include "quartier/lisa.h"

static int parse_size(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    unsigned long long want = 1000000, perms = 999, threads = 0;
    if ((argc > 1 && parse_size(argv[1], &want)) || (argc > 2 && parse_size(argv[2], &perms)) ||
        (argc > 3 && parse_size(argv[3], &threads)) || want < 4) {
        fprintf(stderr, "usage: bench_lisa [districts] [permutations] [threads]\n");
        return 2;
    }
    size_t side = (size_t)ceil(sqrt((double)want));
    size_t n = side * side;
    struct qtr_csr *w = qtr_csr_new(n, 4 * n);
    double *y = malloc(n * sizeof *y), *I = malloc(n * sizeof *I), *p = malloc(n * sizeof *p);
    uint8_t *cl = malloc(n), *q = malloc(n), *ex = malloc(n);
    if (!w || !y || !I || !p || !cl || !q || !ex) {
        fprintf(stderr, "bench_lisa: out of memory for %zu districts\n", n);
        return 1;
    }
    size_t e = 0;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (size_t r = 0; r < side; r++) {
        for (size_t c = 0; c < side; c++) {
            size_t i = r * side + c;
            w->row[i] = e;
            if (r > 0)
                w->col[e] = (uint32_t)(i - side), w->w[e++] = 1.0;
            if (c > 0)
                w->col[e] = (uint32_t)(i - 1), w->w[e++] = 1.0;
            if (c + 1 < side)
                w->col[e] = (uint32_t)(i + 1), w->w[e++] = 1.0;
            if (r + 1 < side)
                w->col[e] = (uint32_t)(i + side), w->w[e++] = 1.0;
            /* smooth trend plus noise, so there is structure to find */
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            y[i] = sin((double)r / 50.0) + cos((double)c / 70.0) +
                   (double)(s >> 11) / 9007199254740992.0;
        }
    }
    w->row[n] = e;
    struct qtr_lisa_options o = {(unsigned)perms, 1, (int)threads, 0.05, QTR_MT_FDR_BH};
    struct qtr_local_out out = {I, NULL, p, NULL, q, cl, NULL, ex};
    struct qtr_error err;
    double t0 = now();
    int rc = qtr_moran_local(w, y, &o, &out, &err);
    double t1 = now();
    if (rc) {
        fprintf(stderr, "bench_lisa: %s\n", err.msg);
        return 1;
    }
    size_t sig = 0;
    for (size_t i = 0; i < n; i++)
        sig += cl[i] != 0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("districts %zu (%zux%zu rook), permutations %llu, threads %llu: %.2f s, "
           "peak RSS %.1f MiB, significant after FDR %zu\n",
           n, side, side, perms, threads, t1 - t0, ru.ru_maxrss / 1024.0, sig);
    qtr_csr_free(w);
    free(y);
    free(I);
    free(p);
    free(cl);
    free(q);
    free(ex);
    return 0;
}
