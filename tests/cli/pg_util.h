/*
 * pg_util.h - what the tests against the throw-away PostgreSQL server share: the skip without
 * a server, an analysis file turned to PG: sources, and the comparison of two GeoPackages to
 * the last digit.
 *
 * scripts/test starts the server (scripts/pg-test-server) and exports QTR_PG, a libpq
 * connection string such as "host=/tmp/qtr-pg.abc dbname=quartier user=postgres"; without it
 * these tests skip with a message.
 */
#ifndef QTR_PG_UTIL_H
#define QTR_PG_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#define QTR_REQUIRE_PG(var)                                                                        \
    const char *var = getenv("QTR_PG");                                                            \
    if (!var || !*var) {                                                                           \
        print_message("skipped: QTR_PG is not set (scripts/test starts a PostgreSQL server with "  \
                      "scripts/pg-test-server; PostgreSQL 15 or PostGIS may not be installed)\n"); \
        skip();                                                                                    \
    }

/* One source of an analysis file and the table that replaces it. */
struct qtr_pg_swap {
    const char *file;  /* basename of the file in `source = ...` */
    const char *table; /* schema.table in the test database, or a query ("SELECT ...") */
};

/* The swaps of the Musterstadt and Berlin 2021 files for the tables scripts/pg-test-server
 * loads: `static const struct qtr_pg_swap musterstadt[] = QTR_PG_MUSTERSTADT;` */
#define QTR_PG_MUSTERSTADT                                                                         \
    {                                                                                              \
        {"bezirke.shp", "musterstadt.bezirke"},                                                    \
            {"bevoelkerung_2022.csv", "musterstadt.bevoelkerung_2022"},                            \
            {"bevoelkerung_2020.csv", "musterstadt.bevoelkerung_2020"},                            \
            {"sozialdaten_2022.csv", "musterstadt.sozialdaten_2022"},                              \
            {"sozialdaten_2020.csv", "musterstadt.sozialdaten_2020"},                              \
            {"wohnen_2022.csv", "musterstadt.wohnen_2022"},                                        \
            {"wohnen_2020.csv", "musterstadt.wohnen_2020"},                                        \
    }
#define QTR_PG_BERLIN                                                                              \
    {                                                                                              \
        {"lor_planungsraeume_2021.shp", "berlin.lor_planungsraeume_2021"},                         \
            {"berlin-lor-population-2024-02-t1-planning-areas.csv", "berlin.ewr2024"},             \
            {"mss_2021_indizes.csv", "berlin.mss_indizes"},                                        \
            {"mss_2021_index_indikatoren.csv", "berlin.mss_indikatoren"},                          \
    }

/*
 * Write `out`: the analysis file `in` with every `source = .../FILE` whose FILE is in `swaps`
 * replaced by "source = PG:<conn>" and "layer = <table>" (or "sql = <query>"), and the keys that
 * only a CSV file has (header_row, encoding) left out, a relative `parent_names =` path made
 * absolute; with `output` not NULL, the `output =` line becomes "output = <output>". Every other
 * line is kept. Returns 0 on success, -1 when a file cannot be read or written or a source is not
 * in `swaps`.
 */
static inline int qtr_pg_rewrite_ini_to(const char *in, const char *out, const char *conn,
                                        const struct qtr_pg_swap *swaps, size_t nswaps,
                                        const char *output)
{
    FILE *f = fopen(in, "r"), *g = fopen(out, "w");
    if (!f || !g) {
        if (f)
            fclose(f);
        if (g)
            fclose(g);
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "header_row", 10) || !strncmp(line, "encoding", 8))
            continue;
        if (!strncmp(line, "parent_names = ", 15) && line[15] != '/') {
            /* a file path relative to the analysis file: made absolute, `out` lies elsewhere */
            const char *slash = strrchr(in, '/');
            fprintf(g, "parent_names = %.*s/%s", slash ? (int)(slash - in) : 1,
                    slash ? in : ".", line + 15);
            continue;
        }
        if (output && !strncmp(line, "output = ", 9)) {
            fprintf(g, "output = %s\n", output);
            continue;
        }
        if (!strncmp(line, "source = ", 9)) {
            char *v = line + 9;
            v[strcspn(v, "\r\n")] = '\0';
            const char *base = strrchr(v, '/') ? strrchr(v, '/') + 1 : v;
            size_t k = 0;
            while (k < nswaps && strcmp(swaps[k].file, base) != 0)
                k++;
            if (k == nswaps) {
                rc = -1; /* every source must come from the server */
                break;
            }
            fprintf(g, "source = PG:%s\n%s = %s\n", conn,
                    strncmp(swaps[k].table, "SELECT ", 7) ? "layer" : "sql", swaps[k].table);
            continue;
        }
        fputs(line, g);
    }
    fclose(f);
    if (fclose(g) != 0)
        rc = -1;
    return rc;
}

static inline int qtr_pg_rewrite_ini(const char *in, const char *out, const char *conn,
                                     const struct qtr_pg_swap *swaps, size_t nswaps)
{
    return qtr_pg_rewrite_ini_to(in, out, conn, swaps, nswaps, NULL);
}

static inline int qtr_pg_same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/*
 * Compare every layer of GeoPackage `a` with `b` (feature by feature id): the same
 * fields, every value identical (doubles bit for bit), the same geometries (ISO WKB). Layers
 * in `skip_layers` (NULL-terminated) are left out; `skip_fields` ("layer.field",
 * NULL-terminated) are fields that may differ. Returns the number of differences; the first
 * few are printed.
 */
static inline int qtr_pg_compare_gpkg(const char *a, const char *b,
                                      const char *const *skip_layers,
                                      const char *const *skip_fields, int *nlayers)
{
    GDALAllRegister();
    GDALDatasetH da = GDALOpenEx(a, GDAL_OF_VECTOR, NULL, NULL, NULL);
    GDALDatasetH db = GDALOpenEx(b, GDAL_OF_VECTOR, NULL, NULL, NULL);
    int diffs = 0;
    *nlayers = 0;
    if (!da || !db) {
        print_message("cannot open %s or %s\n", a, b);
        if (da)
            GDALClose(da);
        if (db)
            GDALClose(db);
        return 1;
    }
    for (int li = 0; li < GDALDatasetGetLayerCount(da); li++) {
        OGRLayerH la = GDALDatasetGetLayer(da, li);
        const char *name = OGR_L_GetName(la);
        int skipped = 0;
        for (const char *const *s = skip_layers; s && *s; s++)
            skipped |= !strcmp(*s, name);
        if (skipped)
            continue;
        (*nlayers)++;
        OGRLayerH lb = GDALDatasetGetLayerByName(db, name);
        if (!lb) {
            print_message("layer %s missing in %s\n", name, b);
            diffs++;
            continue;
        }
        OGRFeatureDefnH fa = OGR_L_GetLayerDefn(la), fb = OGR_L_GetLayerDefn(lb);
        int nf = OGR_FD_GetFieldCount(fa);
        if (nf != OGR_FD_GetFieldCount(fb) ||
            OGR_L_GetFeatureCount(la, 1) != OGR_L_GetFeatureCount(lb, 1)) {
            print_message("layer %s: %d/%d fields, %lld/%lld features\n", name, nf,
                          OGR_FD_GetFieldCount(fb), (long long)OGR_L_GetFeatureCount(la, 1),
                          (long long)OGR_L_GetFeatureCount(lb, 1));
            diffs++;
            continue;
        }
        char field_skip[256];
        uint8_t *skip = calloc((size_t)nf + 1, 1);
        for (int j = 0; j < nf; j++) {
            const char *fn = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fa, j));
            /* PostgreSQL keeps at most 63 bytes of a column name (NAMEDATALEN): a name cut
             * there (at a character boundary) by the loading is the same column */
            const char *fnb = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fb, j));
            int cut = strlen(fn) > 63 && strlen(fnb) <= 63 && strlen(fnb) >= 60 &&
                      !strncmp(fn, fnb, strlen(fnb));
            if (strcmp(fn, fnb) != 0 && !cut) {
                print_message("layer %s: field %d is %s here, %s there\n", name, j, fn,
                              OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fb, j)));
                diffs++;
            }
            snprintf(field_skip, sizeof field_skip, "%s.%s", name, fn);
            for (const char *const *s = skip_fields; s && *s; s++)
                skip[j] |= !strcmp(*s, field_skip);
        }
        OGR_L_ResetReading(la);
        OGR_L_ResetReading(lb);
        OGRFeatureH x, y;
        long row = 0;
        while ((x = OGR_L_GetNextFeature(la)) != NULL) {
            /* by feature id: a database returns rows in no fixed order */
            y = OGR_L_GetFeature(lb, OGR_F_GetFID(x));
            row++;
            if (!y && diffs++ < 10)
                print_message("%s: feature %lld missing\n", name, (long long)OGR_F_GetFID(x));
            for (int j = 0; y && j < nf; j++) {
                if (skip[j])
                    continue;
                int sx = OGR_F_IsFieldSetAndNotNull(x, j), sy = OGR_F_IsFieldSetAndNotNull(y, j);
                int same = sx == sy;
                if (same && sx) {
                    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(fa, j));
                    if (t == OFTReal)
                        same = qtr_pg_same_double(OGR_F_GetFieldAsDouble(x, j),
                                                  OGR_F_GetFieldAsDouble(y, j));
                    else if (t == OFTInteger || t == OFTInteger64)
                        same = OGR_F_GetFieldAsInteger64(x, j) == OGR_F_GetFieldAsInteger64(y, j);
                    else
                        same = !strcmp(OGR_F_GetFieldAsString(x, j), OGR_F_GetFieldAsString(y, j));
                }
                if (!same && diffs++ < 10)
                    print_message("%s row %ld %s: '%s' vs '%s'\n", name, row,
                                  OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fa, j)),
                                  OGR_F_GetFieldAsString(x, j), OGR_F_GetFieldAsString(y, j));
            }
            OGRGeometryH gx = OGR_F_GetGeometryRef(x), gy = y ? OGR_F_GetGeometryRef(y) : NULL;
            if (y && (!gx) != (!gy)) {
                diffs++;
            } else if (gx && gy) {
                int nx = OGR_G_WkbSize(gx), ny = OGR_G_WkbSize(gy);
                unsigned char *wx = malloc((size_t)nx + 1), *wy = malloc((size_t)ny + 1);
                OGR_G_ExportToIsoWkb(gx, wkbNDR, wx);
                OGR_G_ExportToIsoWkb(gy, wkbNDR, wy);
                if ((nx != ny || memcmp(wx, wy, (size_t)nx) != 0) && diffs++ < 10)
                    print_message("%s row %ld: the geometries differ\n", name, row);
                free(wx);
                free(wy);
            }
            OGR_F_Destroy(x);
            if (y)
                OGR_F_Destroy(y);
        }
        free(skip);
    }
    GDALClose(da);
    GDALClose(db);
    return diffs;
}

/* One text value from the database: the first column of the first row of `sql`. */
static inline char *pg_value(const char *pg, const char *sql)
{
    char conn[2048];
    snprintf(conn, sizeof conn, "PG:%s", pg);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    char *v = NULL;
    if (l) {
        OGRFeatureH f = OGR_L_GetNextFeature(l);
        if (f) {
            v = strdup(OGR_F_IsFieldSetAndNotNull(f, 0) ? OGR_F_GetFieldAsString(f, 0) : "NULL");
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, l);
    }
    GDALClose(ds);
    return v ? v : strdup("(no row)");
}

/* Fail unless pg_value(pg, sql) is want. */
static inline void assert_pg_value(const char *pg, const char *sql, const char *want)
{
    char *v = pg_value(pg, sql);
    if (strcmp(v, want) != 0)
        fail_msg("%s: '%s', expected '%s'", sql, v, want);
    free(v);
}

#endif
