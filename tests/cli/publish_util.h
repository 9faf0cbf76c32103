/*
 * publish_util.h - helpers of the publish tests: read files and GeoPackage tables.
 */
#ifndef QTR_PUBLISH_UTIL_H
#define QTR_PUBLISH_UTIL_H

#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(fp);
    if (b) {
        b[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return b;
}

/* First column of the first row of an SQL query on a GeoPackage, as text (caller frees). */
static inline char *sql_text(GDALDatasetH ds, const char *sql)
{
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (!l)
        return NULL;
    char *r = NULL;
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    if (f) {
        r = OGR_F_IsFieldSetAndNotNull(f, 0) ? strdup(OGR_F_GetFieldAsString(f, 0)) : NULL;
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, l);
    return r;
}

static inline long sql_long(GDALDatasetH ds, const char *sql)
{
    char *s = sql_text(ds, sql);
    long v = s ? strtol(s, NULL, 10) : -1;
    free(s);
    return v;
}

static inline GDALDatasetH open_out(const char *dir, const char *file)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    return ds;
}

#endif
