/*
 * bench_weights - time contiguity weights on a synthetic perturbed grid.
 *
 *   bench_weights [N [rook]]     (N polygons, default 1000000)
 *
 * Builds a sqrt(N) x sqrt(N) grid whose corner and edge-midpoint vertices are
 * jittered deterministically and shared exactly between neighbouring cells
 * (8 vertices per cell, like a clean official boundary file), then times
 * queen weights (and rook with "rook"), components and row-standardisation.
 * Prints one line per stage and the peak resident set size (getrusage).
 */
#include <geos_c.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "quartier/weights.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

/* Deterministic jitter in [-a, a] from integer coordinates. */
static double jitter(uint64_t i, uint64_t j, uint64_t salt, double a)
{
    uint64_t z = i * 0x9E3779B97F4A7C15ULL ^ (j + 0x632BE59BD9B4E019ULL) * 0xBF58476D1CE4E5B9ULL ^
                 salt * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    z *= 0xD6E8FEB86659FD93ULL;
    z ^= z >> 32;
    return a * (2.0 * (double)(z >> 11) / 9007199254740992.0 - 1.0);
}

int main(int argc, char **argv)
{
    size_t n_req = 1000000;
    if (argc > 1) {
        char *end;
        long long v = strtoll(argv[1], &end, 10);
        if (*end || v < 4) {
            fprintf(stderr, "usage: bench_weights [N >= 4 [rook]]\n");
            return 2;
        }
        n_req = (size_t)v;
    }
    int rook = argc > 2 && !strcmp(argv[2], "rook");
    size_t m = (size_t)ceil(sqrt((double)n_req));
    size_t n = m * m;
    const double cell = 100.0; /* metres */
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry **g = malloc(n * sizeof *g);
    if (!h || !g) {
        fprintf(stderr, "bench_weights: out of memory\n");
        return 1;
    }

    double t0 = now();
    for (size_t r = 0; r < m; r++)
        for (size_t c = 0; c < m; c++) {
            /* corners (c, r) .. (c+1, r+1) and edge midpoints, counter-clockwise */
            double xy[18];
            static const int cx[8] = {0, 1, 2, 2, 2, 1, 0, 0}, cy[8] = {0, 0, 0, 1, 2, 2, 2, 1};
            for (int k = 0; k < 8; k++) {
                uint64_t gi = 2 * c + (uint64_t)cx[k], gj = 2 * r + (uint64_t)cy[k];
                /* half-grid coordinates; corners jitter more than midpoints */
                double a = (gi % 2 == 0 && gj % 2 == 0) ? 0.2 : 0.1;
                xy[2 * k] = cell * (0.5 * (double)gi + jitter(gi, gj, 1, a));
                xy[2 * k + 1] = cell * (0.5 * (double)gj + jitter(gi, gj, 2, a));
            }
            xy[16] = xy[0];
            xy[17] = xy[1];
            GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, 9, 0, 0);
            GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
            g[r * m + c] = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
            if (!g[r * m + c]) {
                fprintf(stderr, "bench_weights: GEOS could not build cell %zu\n", r * m + c);
                return 1;
            }
        }
    double t1 = now();
    printf("polygons        %zu (%zu x %zu grid, 8 vertices each)\n", n, m, m);
    printf("generate        %8.2f s   peak RSS %7.0f MiB\n", t1 - t0, peak_mib());

    struct qtr_error err = {0};
    struct qtr_csr *w = NULL;
    t0 = now();
    if (qtr_weights_contiguity(h, (const GEOSGeometry *const *)g, n, 1, 0, &w, NULL, &err)) {
        fprintf(stderr, "bench_weights: %s\n", err.msg);
        return 1;
    }
    t1 = now();
    printf("queen           %8.2f s   peak RSS %7.0f MiB   %zu entries (%.3f per district)\n",
           t1 - t0, peak_mib(), qtr_csr_nnz(w), (double)qtr_csr_nnz(w) / (double)n);
    /* every interior cell of a grid has 8 queen neighbours: a cheap sanity check */
    size_t mid = (m / 2) * m + m / 2;
    if (m >= 3 && w->row[mid + 1] - w->row[mid] != 8) {
        fprintf(stderr, "bench_weights: interior cell has %zu queen neighbours, expected 8\n",
                w->row[mid + 1] - w->row[mid]);
        return 1;
    }

    uint32_t *comp = malloc(n * sizeof *comp);
    size_t nc = 0;
    t0 = now();
    if (!comp || qtr_weights_components(w, comp, &nc, &err)) {
        fprintf(stderr, "bench_weights: components failed\n");
        return 1;
    }
    t1 = now();
    printf("components      %8.2f s   %zu component(s), %zu island(s)\n", t1 - t0, nc,
           qtr_weights_islands(w, NULL));
    t0 = now();
    if (qtr_weights_row_standardize(w, &err)) {
        fprintf(stderr, "bench_weights: %s\n", err.msg);
        return 1;
    }
    t1 = now();
    printf("row-standardise %8.2f s\n", t1 - t0);
    qtr_csr_free(w);
    free(comp);

    if (rook) {
        t0 = now();
        if (qtr_weights_contiguity(h, (const GEOSGeometry *const *)g, n, 0, 0, &w, NULL, &err)) {
            fprintf(stderr, "bench_weights: %s\n", err.msg);
            return 1;
        }
        t1 = now();
        printf("rook            %8.2f s   peak RSS %7.0f MiB   %zu entries\n", t1 - t0, peak_mib(),
               qtr_csr_nnz(w));
        qtr_csr_free(w);
    }
    for (size_t i = 0; i < n; i++)
        GEOSGeom_destroy_r(h, g[i]);
    free(g);
    GEOS_finish_r(h);
    printf("peak RSS        %7.0f MiB\n", peak_mib());
    return 0;
}
