/*
 * publish_util.h - helpers of the publish tests: read GeoPackage tables (files: cli_util.h).
 */
#ifndef QTR_PUBLISH_UTIL_H
#define QTR_PUBLISH_UTIL_H

#include "cli/cli_util.h"

#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
