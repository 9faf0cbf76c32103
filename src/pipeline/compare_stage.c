/*
 * compare_stage.c - the comparison over the regions of a batch (docs/batch.md): read what
 * each region folder OUT/regions/<key>/quartier.gpkg published (run_info rows of the region,
 * city_indices), dissolve each region's districts, and write OUT/comparison/ as a whole
 * (outdir.h): comparison.gpkg (layer `regions`), comparison.csv, and the short report
 * (compare_report.c).
 *
 * The comparison reads the region folders, not the processes that wrote them: it is the
 * same whether the regions ran here with --jobs, one --region per process, or on other
 * machines and were copied into OUT/regions/ (`quartier run --compare`).
 */
#include "quartier/region.h"

#include <math.h>
#include <sqlite3.h>
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

#include "compare_internal.h"
#include "quartier/annex.h"
#include "quartier/crosswalk.h"
#include "quartier/geom.h"
#include "quartier/outdir.h"
#include "quartier/pg_sink.h"
#include "quartier/strutil.h"

static void cmp_release(struct cmp *c)
{
    for (size_t k = 0; c->reg && k < c->r->n; k++) {
        free(c->reg[k].val);
        free(c->reg[k].lo);
        free(c->reg[k].hi);
        free(c->reg[k].p);
    }
    free(c->reg);
    for (size_t j = 0; j < c->nidx; j++) {
        free(c->idx[j].index);
        free(c->idx[j].group);
        free(c->idx[j].field);
    }
    free(c->idx);
}

/* Index column (index, group), added in the order first seen; -1 when out of memory. */
long cmp_index_column(struct cmp *c, const char *index, const char *group)
{
    for (size_t j = 0; j < c->nidx; j++)
        if (!strcmp(c->idx[j].index, index) && !strcmp(c->idx[j].group, group))
            return (long)j;
    if (c->nidx == c->capidx) {
        size_t cap = c->capidx ? 2 * c->capidx : 32;
        struct cmp_index *a = realloc(c->idx, cap * sizeof *a);
        if (!a)
            return -1;
        c->idx = a;
        c->capidx = cap;
        /* every region's value arrays grow with the columns */
        for (size_t k = 0; k < c->r->n; k++) {
            double **arr[] = {&c->reg[k].val, &c->reg[k].lo, &c->reg[k].hi, &c->reg[k].p};
            for (size_t q = 0; q < 4; q++) {
                double *v = realloc(*arr[q], cap * sizeof *v);
                if (!v)
                    return -1;
                for (size_t j = c->nidx; j < cap; j++)
                    v[j] = NAN;
                *arr[q] = v;
            }
        }
    }
    struct cmp_index *x = &c->idx[c->nidx];
    x->index = qtr_strdup(index);
    x->group = qtr_strdup(group);
    x->field = *group ? qtr_asprintf("%s_%s", index, group) : qtr_strdup(index);
    if (!x->index || !x->group || !x->field) {
        free(x->index);
        free(x->group);
        free(x->field);
        return -1;
    }
    return (long)c->nidx++;
}

void cmp_run_info_row(struct cmp_region *g, const char *item, const char *value, char *region,
                      size_t regionsz)
{
    if (!strcmp(item, "region"))
        snprintf(region, regionsz, "%s", value);
    else if (!strcmp(item, "region_districts"))
        g->districts = strtoul(value, NULL, 10);
    else if (!strcmp(item, "region_districts_in_indices"))
        g->in_indices = strtoul(value, NULL, 10);
    else if (!strcmp(item, "region_residents"))
        g->residents = strtod(value, NULL);
    else if (!strcmp(item, "region_residents_in_indices"))
        g->residents_in = strtod(value, NULL);
}

int cmp_index_row(struct cmp *c, size_t k, const char *index, const char *group, double value,
                  double lo, double hi, double p)
{
    long j = cmp_index_column(c, index, group);
    if (j < 0)
        return -1;
    /* after cmp_index_column: it may have moved the region's arrays */
    struct cmp_region *g = &c->reg[k];
    g->val[j] = value;
    g->lo[j] = lo;
    g->hi[j] = hi;
    g->p[j] = p;
    return 0;
}

static double col_double(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* Read one region folder's GeoPackage; *have = 0 when there is none. */
static int read_region(struct cmp *c, size_t k, const char *gpkg, struct qtr_error *err)
{
    struct stat sb;
    if (stat(gpkg, &sb) != 0)
        return QTR_OK;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int rc = QTR_OK;
    char region[256] = "";
    struct cmp_region *g = &c->reg[k];
    if (sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT item, value FROM run_info", -1, &s, NULL) != SQLITE_OK)
        goto sqlfail;
    while (sqlite3_step(s) == SQLITE_ROW) {
        cmp_run_info_row(g, col_text(s, 0), col_text(s, 1), region, sizeof region);
    }
    sqlite3_finalize(s);
    s = NULL;
    if (strcmp(region, c->r->key[k])) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "'%s' is not the output of region '%s' (its run_info names region "
                           "'%s'); run 'quartier run ANALYSIS.ini --region %s' again",
                           gpkg, c->r->key[k], region[0] ? region : "none", c->r->key[k]);
        goto out;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT \"index\", \"group\", value, ci_low, ci_high, p_value FROM "
                           "city_indices ORDER BY fid",
                           -1, &s, NULL) != SQLITE_OK)
        goto sqlfail;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (cmp_index_row(c, k, col_text(s, 0), col_text(s, 1), col_double(s, 2), col_double(s, 3),
                          col_double(s, 4), col_double(s, 5)) < 0) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    g->have = 1;
    goto out;
sqlfail:
    rc = qtr_error_set(err, QTR_ERR_DATA,
                       "cannot read the region output '%s' (%s); run 'quartier run "
                       "ANALYSIS.ini --region %s' again",
                       gpkg, db ? sqlite3_errmsg(db) : "out of memory", c->r->key[k]);
out:
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc;
}

static int add_field(OGRLayerH lyr, const char *name, OGRFieldType t, struct qtr_error *err)
{
    OGRFieldDefnH fd = OGR_Fld_Create(name, t);
    OGRErr e = OGR_L_CreateField(lyr, fd, 1);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create field '%s' (%s)", name,
                             qtr_gdal_last_error());
    return QTR_OK;
}

static void set_real(OGRFeatureH f, int i, double v)
{
    if (isfinite(v))
        OGR_F_SetFieldDouble(f, i, v);
    else
        OGR_F_SetFieldNull(f, i);
}

/* comparison.gpkg, layer `regions`: one row per region, in key order. */
static int write_gpkg(struct qtr_ctx *ctx, const struct cmp *c, const struct qtr_layer *layer,
                      const char *path, struct qtr_error *err)
{
    static const char *fixed[] = {"region",
                                  "name",
                                  "outcome",
                                  "districts",
                                  "districts_in_indices",
                                  "residents",
                                  "residents_in_indices"};
    static const OGRFieldType ftype[] = {OFTString,    OFTString, OFTString, OFTInteger64,
                                         OFTInteger64, OFTReal,   OFTReal};
    const size_t nfixed = sizeof fixed / sizeof fixed[0];
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "GDAL has no GeoPackage driver");
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create '%s' (%s)", path,
                             qtr_gdal_last_error());
    OGRSpatialReferenceH srs = NULL;
    if (layer->work_crs_wkt) {
        srs = OSRNewSpatialReference(layer->work_crs_wkt);
        if (srs)
            OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    char **lco = CSLSetNameValue(NULL, "GEOMETRY_NAME", "geom");
    lco = CSLSetNameValue(lco, "FID", "fid");
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "regions", srs, wkbMultiPolygon, lco);
    CSLDestroy(lco);
    if (srs)
        OSRDestroySpatialReference(srs);
    int rc = QTR_OK;
    if (!lyr) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create layer 'regions' in '%s' (%s)", path,
                           qtr_gdal_last_error());
        goto out;
    }
    for (size_t q = 0; q < nfixed && !rc; q++)
        rc = add_field(lyr, fixed[q], ftype[q], err);
    for (size_t j = 0; j < c->nidx && !rc; j++) {
        static const char *suffix[] = {"", "_ci_low", "_ci_high", "_p"};
        for (size_t q = 0; q < 4 && !rc; q++) {
            char name[300];
            snprintf(name, sizeof name, "%s%s", c->idx[j].field, suffix[q]);
            rc = add_field(lyr, name, OFTReal, err);
        }
    }
    if (rc)
        goto out;
    GDALDatasetStartTransaction(ds, 0);
    for (size_t k = 0; k < c->r->n && !rc; k++) {
        const struct cmp_region *g = &c->reg[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, c->r->key[k]);
        OGR_F_SetFieldString(f, 1, c->r->name[k]);
        OGR_F_SetFieldString(f, 2, g->have ? "ok" : g->failed ? "failed" : "no output");
        if (g->have) {
            OGR_F_SetFieldInteger64(f, 3, (GIntBig)g->districts);
            OGR_F_SetFieldInteger64(f, 4, (GIntBig)g->in_indices);
            set_real(f, 5, g->residents);
            set_real(f, 6, g->residents_in);
        } else {
            /* the layout is known without the region's run: its districts */
            OGR_F_SetFieldInteger64(f, 3, (GIntBig)c->r->ndistricts[k]);
            for (int q = 4; q < 7; q++)
                OGR_F_SetFieldNull(f, q);
        }
        for (size_t j = 0; j < c->nidx; j++) {
            int base = (int)(nfixed + 4 * j);
            set_real(f, base, g->have ? g->val[j] : NAN);
            set_real(f, base + 1, g->have ? g->lo[j] : NAN);
            set_real(f, base + 2, g->have ? g->hi[j] : NAN);
            set_real(f, base + 3, g->have ? g->p[j] : NAN);
        }
        if (c->geom[k]) {
            OGRGeometryH og = qtr_geom_to_ogr(ctx->geos, c->geom[k]);
            if (og)
                OGR_F_SetGeometryDirectly(f, og);
        }
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE)
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot write region '%s' to '%s' (%s)",
                               c->r->key[k], path, qtr_gdal_last_error());
        OGR_F_Destroy(f);
    }
    if (rc)
        GDALDatasetRollbackTransaction(ds);
    else
        GDALDatasetCommitTransaction(ds);
out:
    CPLErrorReset();
    GDALClose(ds);
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc =
            qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed (%s)", path, qtr_gdal_last_error());
    return rc;
}

int qtr_batch_compare(struct qtr_ctx *ctx, const struct qtr_config *cfg, const char *outdir,
                      const char *pg_target, const struct qtr_layer *layer,
                      const struct qtr_regions *r, const unsigned char *failed_job, int no_report,
                      unsigned char *have, size_t *missing, struct qtr_error *err)
{
    int rc;
    struct cmp c = {.cfg = cfg, .r = r, .d_col = -1};
    struct qtr_outdir *od = NULL;
    struct qtr_pg_sink *sink = NULL;
    void *pg = NULL;
    char *target = NULL, *gpkg = NULL, *csv = NULL;
    const char **inputs = NULL;
    size_t failed = 0;
    *missing = 0;
    c.en = cfg->language && !strcmp(cfg->language, "en");
    if (!(target = qtr_asprintf("%s/comparison", outdir)) ||
        !(inputs = calloc(cfg->ntables + 2, sizeof *inputs)) ||
        !(c.reg = calloc(r->n ? r->n : 1, sizeof *c.reg))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t ni = 0;
    inputs[ni++] = cfg->path;
    inputs[ni++] = cfg->bnd_source;
    for (size_t t = 0; t < cfg->ntables; t++)
        inputs[ni++] = cfg->tables[t].source;
    if ((rc = qtr_outdir_check(target, inputs, ni, err)))
        goto out;
    /* output = PG:... schema=NAME: the regions' results come from their schemas, the
     * comparison goes to NAME (the server is checked here, before the work) */
    if (pg_target && ((rc = qtr_pg_sink_begin(pg_target, NULL, &sink, err)) ||
                      (rc = qtr_pg_sink_connection(sink, &pg, err))))
        goto out;
    for (size_t k = 0; k < r->n; k++) {
        c.reg[k].failed = failed_job && failed_job[k];
        if (c.reg[k].failed) {
            ++*missing;
            continue;
        }
        char *p = sink ? qtr_region_schema_name(qtr_pg_sink_schema(sink), r->key[k])
                       : qtr_asprintf("%s/regions/%s/quartier.gpkg", outdir, r->dir[k]);
        if (!p) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        rc = sink ? qtr_compare_read_pg(&c, k, pg, qtr_pg_sink_shown(sink), p, err)
                  : read_region(&c, k, p, err);
        free(p);
        if (rc)
            goto out;
        *missing += !c.reg[k].have;
        if (have)
            have[k] = (unsigned char)c.reg[k].have;
    }
    /* the map shows D of the first group ([group] order, as in city_indices) */
    for (size_t j = 0; j < c.nidx && c.d_col < 0; j++)
        if (!strcmp(c.idx[j].index, "dissimilarity"))
            c.d_col = (long)j;
    /* the gaps the union leaves where district boundaries do not meet exactly (Hamburg: up to
     * 31 holes of under 1 m² per Bezirk) are closed; a real hole (an enclave) is far larger
     * than a sliver of the crosswalk (QTR_CROSSWALK_SLIVER_M2) */
    if ((rc = qtr_geom_union_groups(ctx->geos, (const struct GEOSGeom_t *const *)layer->geom,
                                    layer->n, r->of, r->n, QTR_CROSSWALK_SLIVER_M2, &c.geom,
                                    &failed, err))) {
        if (rc == QTR_ERR_DATA)
            qtr_error_prefix(err, "dissolving the districts of region '%s'", r->key[failed]);
        goto out;
    }
    if ((rc = qtr_outdir_begin(ctx, target, &od, err)))
        goto out;
    const char *dir = qtr_outdir_staging(od);
    int written = 0;
    if (!(gpkg = qtr_asprintf("%s/comparison.gpkg", dir)) ||
        !(csv = qtr_asprintf("%s/comparison.csv", dir))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = write_gpkg(ctx, &c, layer, gpkg, err)) ||
        (rc = qtr_annex_csv(gpkg, "regions", NULL, 0, csv, &written, err)))
        goto out;
    if ((rc = qtr_compare_style(ctx, &c, gpkg, err)))
        goto out;
    if (!no_report && (rc = qtr_compare_report(ctx, &c, dir, err)))
        goto out;
    /* the table into NAME's staging schema, swapped in after the folder (as a run does) */
    if (sink && (rc = qtr_pg_sink_stage(ctx, sink, gpkg, err)))
        goto out;
    if ((rc = qtr_outdir_commit(ctx, od, err)) || (sink && (rc = qtr_pg_sink_swap(sink, err))))
        goto out;
out:
    qtr_pg_sink_free(sink);
    qtr_outdir_free(od);
    if (c.geom)
        qtr_geoms_free(ctx->geos, c.geom, r->n);
    cmp_release(&c);
    free(target);
    free(gpkg);
    free(csv);
    free(inputs);
    return rc;
}
