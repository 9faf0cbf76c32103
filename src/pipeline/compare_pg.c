/*
 * compare_pg.c - the comparison of a batch that writes to PostgreSQL (docs/batch.md): each
 * region's results are read from its schema (qtr_region_schema_name) on the server, the
 * rows `region`, `region_districts`, ... of its run_info and its city_indices, exactly what
 * compare_stage.c reads from a region folder's GeoPackage. So the regions can run on
 * machines that share nothing but the server.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "compare_internal.h"
#include "quartier/strutil.h"

/* Run a query; NULL (and a message in err) when PostgreSQL refuses it. */
static OGRLayerH query(GDALDatasetH ds, const char *sql, const char *shown, const char *schema,
                       struct qtr_error *err)
{
    struct qtr_gdal_capture cap = {0};
    qtr_gdal_capture_begin(&cap);
    CPLErrorReset();
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    qtr_gdal_capture_end();
    if (!l || cap.failures) {
        if (l)
            GDALDatasetReleaseResultSet(ds, l);
        cap.msg[strcspn(cap.msg, "\n")] = '\0';
        qtr_error_set(err, QTR_ERR_DATA,
                      "PostgreSQL '%s': cannot read the region output in schema %s (%s)", shown,
                      schema, cap.msg[0] ? cap.msg : qtr_gdal_last_error());
        return NULL;
    }
    return l;
}

/* Does schema.run_info and schema.city_indices exist? 1 yes, 0 no, -1 error. */
static int has_output(GDALDatasetH ds, const char *shown, const char *schema, struct qtr_error *err)
{
    char *sql = qtr_asprintf("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = '%s' "
                             "AND tablename IN ('run_info', 'city_indices')",
                             schema);
    if (!sql) {
        qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        return -1;
    }
    OGRLayerH l = query(ds, sql, shown, schema, err);
    free(sql);
    if (!l)
        return -1;
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    int n = f ? OGR_F_GetFieldAsInteger(f, 0) : 0;
    if (f)
        OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    return n == 2;
}

static double field_double(OGRFeatureH f, int i)
{
    return OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsDouble(f, i) : NAN;
}

int qtr_compare_read_pg(struct cmp *c, size_t k, void *pg, const char *shown, const char *schema,
                        struct qtr_error *err)
{
    GDALDatasetH ds = (GDALDatasetH)pg;
    struct cmp_region *g = &c->reg[k];
    char region[256] = "";
    int have = has_output(ds, shown, schema, err);
    if (have <= 0)
        return have < 0 ? err->code : QTR_OK;
    char *sql = qtr_asprintf("SELECT item, value FROM \"%s\".run_info", schema);
    OGRLayerH l = sql ? query(ds, sql, shown, schema, err) : NULL;
    free(sql);
    if (!sql)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!l)
        return err->code;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        cmp_run_info_row(g, OGR_F_GetFieldAsString(f, 0), OGR_F_GetFieldAsString(f, 1), region,
                         sizeof region);
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, l);
    if (strcmp(region, c->r->key[k]))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "PostgreSQL '%s': schema %s is not the output of region '%s' (its "
                             "run_info names region '%s'); run 'quartier run ANALYSIS.ini "
                             "--region %s' again",
                             shown, schema, c->r->key[k], region[0] ? region : "none",
                             c->r->key[k]);
    sql = qtr_asprintf("SELECT \"index\", \"group\", value, ci_low, ci_high, p_value FROM "
                       "\"%s\".city_indices ORDER BY fid",
                       schema);
    l = sql ? query(ds, sql, shown, schema, err) : NULL;
    free(sql);
    if (!sql)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!l)
        return err->code;
    int rc = QTR_OK;
    while (!rc && (f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *grp = OGR_F_IsFieldSetAndNotNull(f, 1) ? OGR_F_GetFieldAsString(f, 1) : "";
        if (cmp_index_row(c, k, OGR_F_GetFieldAsString(f, 0), grp, field_double(f, 2),
                          field_double(f, 3), field_double(f, 4), field_double(f, 5)) < 0)
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, l);
    g->have = !rc;
    return rc;
}
