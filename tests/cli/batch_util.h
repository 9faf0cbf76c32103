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

#include "cli/cli_util.h"
#include "quartier/strutil.h"

static inline int same_bytes(const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return system(cmd) == 0;
}

/* A value of the comparison (SQL over comparison.gpkg), NAN when there is none. */
static inline double cmp_value(const char *out, const char *sql)
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

/* `rel` (an analysis file of the project) written into tmp/batch.ini with its paths into
 * `shared`, its output into tmp/out, and `extra` appended (a [batch] section). */
static inline const char *batch_ini(const char *shared, const char *rel, const char *tmp,
                             const char *extra)
{
    static char ini[600];
    char *src = qtr_read_file(qtr_test_path(rel), NULL);
    assert_non_null(src);
    struct qtr_buf b = {0};
    for (const char *p = src; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *sh = strstr(p, "../../../shared");
        if (!strncmp(p, "output = ", 9))
            qtr_buf_printf(&b, "output = %s/out", tmp);
        else if (sh && sh < p + len)
            qtr_buf_printf(&b, "%.*s%s%.*s", (int)(sh - p), p, shared, (int)(p + len - sh - 15),
                           sh + 15);
        else
            qtr_buf_append(&b, p, len);
        qtr_buf_puts(&b, "\n");
        p += len + (nl != NULL);
    }
    qtr_buf_puts(&b, extra);
    snprintf(ini, sizeof ini, "%s/batch.ini", tmp);
    qtr_write_file(ini, b.data, strlen(b.data));
    qtr_buf_release(&b);
    free(src);
    return ini;
}

#endif
