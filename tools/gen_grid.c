/*
 * gen_grid.c - a synthetic city on the 100 m census grid, for benchmarks and scale tests.
 *
 *   gen_grid N OUTDIR [--seed S] [--cell M]
 *
 * Writes OUTDIR/grid.gpkg (layer "grid": N square cells of M metres, default 100, key "id"),
 * OUTDIR/grid.csv (id, total, grp and the four mutually exclusive groups g1..g4 with
 * g1 + g2 + g3 + g4 = total, grp = g1 + g2) and OUTDIR/analysis.ini (one group, 999
 * permutations, output OUTDIR/out). The cells fill a square of ceil(sqrt(N)) columns row by
 * row, in EPSG:25833 with the south-west corner at (370000, 5800000), so every centroid
 * lies on the 100 m lattice, as the Zensus grid does in its own CRS.
 *
 * Counts: residents 3..250 per cell (as published Zensus cells hold at least 3); the share of
 * each group follows a smooth field (a few Gaussian neighbourhoods of 1 to 4 km) plus noise,
 * so the indices have something to find at every scale. Everything comes from one
 * splitmix64 stream: the same N and seed give the same files.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#define X0 370000.0
#define Y0 5800000.0
#define NBUMPS 24

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double rng_unif(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Binomial(n, p) by n Bernoulli draws: n is at most a few hundred here. */
static long rng_binom(struct rng *r, long n, double p)
{
    long k = 0;
    for (long i = 0; i < n; i++)
        k += rng_unif(r) < p;
    return k;
}

struct bump {
    double x, y, s, a[3];
};

static int usage(void)
{
    fputs("usage: gen_grid N OUTDIR [--seed S] [--cell METRES]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    char *end;
    errno = 0;
    unsigned long long nn = strtoull(argv[1], &end, 10);
    if (*end || errno || nn == 0 || nn > 50000000ULL)
        return usage();
    size_t n = (size_t)nn;
    const char *dir = argv[2];
    uint64_t seed = 12;
    double cell = 100.0;
    for (int a = 3; a < argc; a++) {
        if (!strcmp(argv[a], "--seed") && a + 1 < argc) {
            seed = strtoull(argv[++a], &end, 10);
            if (*end)
                return usage();
        } else if (!strcmp(argv[a], "--cell") && a + 1 < argc) {
            cell = strtod(argv[++a], &end);
            if (*end || !(cell > 0))
                return usage();
        } else {
            return usage();
        }
    }
    if (mkdir(dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "gen_grid: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    size_t side = (size_t)ceil(sqrt((double)n));
    double extent = (double)side * cell;
    struct rng r = {seed};
    struct bump b[NBUMPS];
    for (int k = 0; k < NBUMPS; k++) {
        b[k].x = X0 + rng_unif(&r) * extent;
        b[k].y = Y0 + rng_unif(&r) * extent;
        b[k].s = 1000.0 + 3000.0 * rng_unif(&r);
        for (int g = 0; g < 3; g++)
            b[k].a[g] = 3.0 * (rng_unif(&r) - 0.4);
    }

    char path[4096];
    GDALAllRegister();
    CPLSetConfigOption("OGR_SQLITE_SYNCHRONOUS", "OFF");
    snprintf(path, sizeof path, "%s/grid.gpkg", dir);
    remove(path);
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds) {
        fprintf(stderr, "gen_grid: cannot create %s: %s\n", path, CPLGetLastErrorMsg());
        return 1;
    }
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 25833);
    char **lco = CSLSetNameValue(NULL, "SPATIAL_INDEX", "NO");
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "grid", srs, wkbPolygon, lco);
    CSLDestroy(lco);
    OSRRelease(srs);
    OGRFieldDefnH fd = OGR_Fld_Create("id", OFTString);
    if (!lyr || OGR_L_CreateField(lyr, fd, 1) != OGRERR_NONE) {
        fprintf(stderr, "gen_grid: cannot create the layer: %s\n", CPLGetLastErrorMsg());
        return 1;
    }
    OGR_Fld_Destroy(fd);
    snprintf(path, sizeof path, "%s/grid.csv", dir);
    FILE *csv = fopen(path, "w");
    if (!csv) {
        fprintf(stderr, "gen_grid: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fputs("id,total,grp,g1,g2,g3,g4\n", csv);
    GDALDatasetStartTransaction(ds, 1);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (size_t i = 0; i < n; i++) {
        size_t cx = i % side, cy = i / side;
        double x = X0 + (double)cx * cell, y = Y0 + (double)cy * cell;
        char id[32];
        snprintf(id, sizeof id, "c%zu", i + 1);
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        OGR_G_AddPoint_2D(ring, x, y);
        OGR_G_AddPoint_2D(ring, x + cell, y);
        OGR_G_AddPoint_2D(ring, x + cell, y + cell);
        OGR_G_AddPoint_2D(ring, x, y + cell);
        OGR_G_AddPoint_2D(ring, x, y);
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometryDirectly(poly, ring);
        OGRFeatureH f = OGR_F_Create(defn);
        OGR_F_SetFieldString(f, 0, id);
        OGR_F_SetGeometryDirectly(f, poly);
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            fprintf(stderr, "gen_grid: cannot write cell %zu: %s\n", i + 1, CPLGetLastErrorMsg());
            return 1;
        }
        OGR_F_Destroy(f);
        if ((i + 1) % 200000 == 0) {
            GDALDatasetCommitTransaction(ds);
            GDALDatasetStartTransaction(ds, 1);
        }

        /* Group shares: a logit per group from the neighbourhood field plus noise. */
        double mx = x + 0.5 * cell, my = y + 0.5 * cell, lg[3] = {-1.2, -1.8, -0.6};
        for (int k = 0; k < NBUMPS; k++) {
            double d2 =
                ((mx - b[k].x) * (mx - b[k].x) + (my - b[k].y) * (my - b[k].y)) / (b[k].s * b[k].s);
            if (d2 < 30) {
                double e = exp(-d2);
                for (int g = 0; g < 3; g++)
                    lg[g] += b[k].a[g] * e;
            }
        }
        double p[4], sum = 1.0;
        for (int g = 0; g < 3; g++) {
            p[g] = exp(lg[g] + 0.5 * (rng_unif(&r) - 0.5));
            sum += p[g];
        }
        long t = 3 + (long)(247.0 * pow(rng_unif(&r), 2.0)), c[4], left = t;
        double rest = 1.0;
        for (int g = 0; g < 3; g++) {
            double q = p[g] / sum / rest;
            c[g] = rng_binom(&r, left, q > 1 ? 1 : q);
            left -= c[g];
            rest -= p[g] / sum;
        }
        c[3] = left;
        fprintf(csv, "%s,%ld,%ld,%ld,%ld,%ld,%ld\n", id, t, c[0] + c[1], c[0], c[1], c[2], c[3]);
    }
    GDALDatasetCommitTransaction(ds);
    GDALClose(ds);
    if (fclose(csv)) {
        fprintf(stderr, "gen_grid: cannot write %s\n", path);
        return 1;
    }

    snprintf(path, sizeof path, "%s/analysis.ini", dir);
    FILE *ini = fopen(path, "w");
    if (!ini) {
        fprintf(stderr, "gen_grid: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(ini,
            "# Synthetic city of %zu cells of %g m (tools/gen_grid, seed %llu)\n"
            "[analysis]\n"
            "title = Grid city, %zu cells\n"
            "language = en\n"
            "output = out\n"
            "crs = EPSG:25833\n"
            "min_population = 0\n"
            "seed = 1\n"
            "permutations = 999\n"
            "\n"
            "[boundaries]\n"
            "source = grid.gpkg\n"
            "key = id\n"
            "attribution = synthetic (quartier tools/gen_grid), CC0 1.0\n"
            "\n"
            "[table counts]\n"
            "source = grid.csv\n"
            "key = id\n"
            "attribution = synthetic (quartier tools/gen_grid), CC0 1.0\n"
            "\n"
            "[population]\n"
            "total = total\n"
            "\n"
            "[group grp]\n"
            "column = grp\n"
            "label = Group\n"
            "label_en = Group\n",
            n, cell, (unsigned long long)seed, n);
    if (fclose(ini)) {
        fprintf(stderr, "gen_grid: cannot write %s\n", path);
        return 1;
    }
    return 0;
}
