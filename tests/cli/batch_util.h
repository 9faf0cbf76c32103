/*
 * batch_util.h - helpers of the [batch] tests (test_batch.c, test_batch_real.c).
 */
#ifndef QTR_BATCH_UTIL_H
#define QTR_BATCH_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    return b;
}

static int same_bytes(const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return system(cmd) == 0;
}

/* A value of the comparison (SQL over comparison.gpkg), NAN when there is none. */
static double cmp_value(const char *out, const char *sql)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/comparison/comparison.gpkg", out);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds)
        return NAN;
    double v = NAN;
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (l) {
        OGRFeatureH f = OGR_L_GetNextFeature(l);
        if (f) {
            if (OGR_F_IsFieldSetAndNotNull(f, 0))
                v = OGR_F_GetFieldAsDouble(f, 0);
            OGR_F_Destroy(f);
        }
        GDALDatasetReleaseResultSet(ds, l);
    }
    GDALClose(ds);
    return v;
}

#endif
