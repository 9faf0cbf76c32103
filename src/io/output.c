#include "quartier/output.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "quartier/geom.h"
#include "quartier/goals.h"
#include "quartier/strutil.h"

/* All values integral and representable: write the column as Integer64 (counts). */
static int integral_column(const struct qtr_column *c, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->kind[i] != QTR_CELL_VALUE && c->kind[i] != QTR_CELL_ZERO)
            continue;
        any = 1;
        double v = c->v[i];
        if (!(fabs(v) < 9007199254740992.0) || v != floor(v))
            return 0;
    }
    return any;
}

/* Is `name` already a field of the layer (SQLite compares column names case-insensitively)? */
static int field_taken(OGRLayerH lyr, const char *name)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    for (int i = 0; i < OGR_FD_GetFieldCount(d); i++)
        if (strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)), name) == 0)
            return 1;
    return 0;
}

/*
 * Field names as written: the frame's names (GeoPackage and GeoJSON take any UTF-8 name).
 * A name that clashes with one already there (the fixed fields, or a name differing only in
 * case) gets the table id appended, then a number: "Name" from table ew becomes "Name_ew".
 */
static int create_fields(OGRLayerH lyr, const struct qtr_output_request *req, uint8_t *integral,
                         struct qtr_error *err)
{
    const struct qtr_frame *f = req->frame;
    struct {
        const char *name;
        OGRFieldType type;
        OGRFieldSubType sub;
    } fixed[] = {
        {"key", OFTString, OFSTNone},
        {"name", OFTString, OFSTNone},
        {"has_statistics", OFTInteger, OFSTBoolean},
        {"in_indices", OFTInteger, OFSTBoolean},
        {"area_ha", OFTReal, OFSTNone},
    };
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fixed[k].name, fixed[k].type);
        OGR_Fld_SetSubType(fd, fixed[k].sub);
        OGRErr e = OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return qtr_error_set(err, QTR_ERR_IO, "cannot create field '%s' (%s)", fixed[k].name,
                                 qtr_gdal_last_error());
    }
    for (size_t j = 0; j < f->ncols; j++) {
        const struct qtr_column *c = f->cols[j];
        /* Counts from the sources stay whole numbers; computed values are real. */
        integral[j] = (uint8_t)(!c->is_text && strcmp(c->origin, "quartier") != 0 &&
                                integral_column(c, f->n));
        OGRFieldType type = c->is_text ? OFTString : integral[j] ? OFTInteger64 : OFTReal;
        char name[256];
        snprintf(name, sizeof name, "%s", c->name);
        for (int k = 1; field_taken(lyr, name); k++) {
            if (k == 1)
                snprintf(name, sizeof name, "%s_%s", c->name, c->origin);
            else
                snprintf(name, sizeof name, "%s_%s_%d", c->name, c->origin, k);
        }
        OGRFieldDefnH fd = OGR_Fld_Create(name, type);
        OGRErr e = OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return qtr_error_set(err, QTR_ERR_IO, "cannot create field '%s' (%s)", name,
                                 qtr_gdal_last_error());
    }
    return QTR_OK;
}

static int write_districts(struct qtr_ctx *ctx, GDALDatasetH ds, const struct qtr_output_request *req,
                           OGRSpatialReferenceH srs, OGRCoordinateTransformationH ct, char **lco,
                           struct qtr_error *err)
{
    const struct qtr_frame *f = req->frame;
    const struct qtr_layer *l = req->layer;
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "districts", srs, wkbMultiPolygon, lco);
    if (!lyr)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create layer 'districts' (%s)",
                             qtr_gdal_last_error());
    uint8_t *integral = calloc(f->ncols ? f->ncols : 1, 1);
    if (!integral)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int rc = create_fields(lyr, req, integral, err);
    if (rc) {
        free(integral);
        return rc;
    }
    const int base = 5;
    GDALDatasetStartTransaction(ds, 0);
    for (size_t i = 0; i < f->n && !rc; i++) {
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(feat, 0, f->key[i]);
        OGR_F_SetFieldString(feat, 1, f->name[i]);
        OGR_F_SetFieldInteger(feat, 2, f->has_stats[i]);
        OGR_F_SetFieldInteger(feat, 3, req->usable ? req->usable[i] : 0);
        if (l->geom[i])
            OGR_F_SetFieldDouble(feat, 4, l->area[i] / 10000.0);
        else
            OGR_F_SetFieldNull(feat, 4);
        for (size_t j = 0; j < f->ncols; j++) {
            const struct qtr_column *c = f->cols[j];
            int fi = base + (int)j;
            if (c->is_text) {
                if (c->text[i] && c->text[i][0])
                    OGR_F_SetFieldString(feat, fi, c->text[i]);
                else
                    OGR_F_SetFieldNull(feat, fi);
            } else if (c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO) {
                if (integral[j])
                    OGR_F_SetFieldInteger64(feat, fi, (GIntBig)c->v[i]);
                else
                    OGR_F_SetFieldDouble(feat, fi, c->v[i]);
            } else {
                OGR_F_SetFieldNull(feat, fi);
            }
        }
        if (l->geom[i]) {
            OGRGeometryH og = qtr_geom_to_ogr(ctx->geos, l->geom[i]);
            if (og && ct && OGR_G_Transform(og, ct) != OGRERR_NONE) {
                OGR_G_DestroyGeometry(og);
                og = NULL;
            }
            if (!og) {
                OGR_F_Destroy(feat);
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "cannot convert the geometry of district '%s'", f->key[i]);
                break;
            }
            OGR_F_SetGeometryDirectly(feat, og);
        }
        if (OGR_L_CreateFeature(lyr, feat) != OGRERR_NONE)
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot write district '%s' (%s)", f->key[i],
                               qtr_gdal_last_error());
        OGR_F_Destroy(feat);
    }
    GDALDatasetCommitTransaction(ds);
    free(integral);
    return rc;
}

static OGRLayerH create_table(GDALDatasetH ds, const char *name, const char *const *fields,
                              const OGRFieldType *types, size_t nf, struct qtr_error *err)
{
    char **lco = CSLSetNameValue(NULL, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, name, NULL, wkbNone, lco);
    CSLDestroy(lco);
    if (!lyr) {
        qtr_error_set(err, QTR_ERR_IO, "cannot create table '%s' (%s)", name,
                      qtr_gdal_last_error());
        return NULL;
    }
    for (size_t k = 0; k < nf; k++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[k], types[k]);
        OGRErr e = OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            qtr_error_set(err, QTR_ERR_IO, "cannot create field '%s' of '%s'", fields[k], name);
            return NULL;
        }
    }
    return lyr;
}

/* Write a feature and free it; an error names the table. */
static int put(OGRLayerH lyr, OGRFeatureH f, struct qtr_error *err)
{
    OGRErr e = OGR_L_CreateFeature(lyr, f);
    OGR_F_Destroy(f);
    if (e != OGRERR_NONE)
        return qtr_error_set(err, QTR_ERR_IO, "cannot write a row of '%s' (%s)",
                             OGR_L_GetName(lyr), qtr_gdal_last_error());
    return QTR_OK;
}

static void set_double_or_null(OGRFeatureH f, int i, double v)
{
    if (isfinite(v))
        OGR_F_SetFieldDouble(f, i, v);
    else
        OGR_F_SetFieldNull(f, i);
}

static int write_indices(GDALDatasetH ds, const struct qtr_output_request *req,
                         struct qtr_error *err)
{
    const char *fields[] = {"index",    "group",  "value",           "ci_low",
                            "ci_high",  "p_value", "expected",        "suppressed_low",
                            "suppressed_high", "status", "reason"};
    const OGRFieldType types[] = {OFTString, OFTString, OFTReal, OFTReal,   OFTReal,  OFTReal,
                                  OFTReal,   OFTReal,   OFTReal, OFTString, OFTString};
    OGRLayerH lyr = create_table(ds, "city_indices", fields, types, 11, err);
    if (!lyr)
        return err->code;
    GDALDatasetStartTransaction(ds, 0);
    for (size_t k = 0; k < req->nindices; k++) {
        const struct qtr_index_value *v = &req->indices[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, v->name);
        OGR_F_SetFieldString(f, 1, v->group);
        set_double_or_null(f, 2, v->status == QTR_OK ? v->value : NAN);
        set_double_or_null(f, 3, v->ci_low);
        set_double_or_null(f, 4, v->ci_high);
        set_double_or_null(f, 5, v->p_value);
        set_double_or_null(f, 6, v->expected);
        set_double_or_null(f, 7, v->suppressed_low);
        set_double_or_null(f, 8, v->suppressed_high);
        OGR_F_SetFieldString(f, 9, v->status == QTR_OK ? "ok" : "not defined");
        OGR_F_SetFieldString(f, 10, v->reason);
        if (put(lyr, f, err)) {
            GDALDatasetRollbackTransaction(ds);
            return err->code;
        }
    }
    GDALDatasetCommitTransaction(ds);
    return QTR_OK;
}

static int write_report(GDALDatasetH ds, const struct qtr_output_request *req,
                        struct qtr_error *err)
{
    const char *fields[] = {"kind", "severity", "key", "name", "source", "detail"};
    const OGRFieldType types[] = {OFTString, OFTString, OFTString,
                                  OFTString, OFTString, OFTString};
    OGRLayerH lyr = create_table(ds, "join_report", fields, types, 6, err);
    if (!lyr)
        return err->code;
    GDALDatasetStartTransaction(ds, 0);
    for (size_t k = 0; k < req->report->n; k++) {
        const struct qtr_issue *it = &req->report->items[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, qtr_issue_kind_name(it->kind));
        OGR_F_SetFieldString(f, 1, it->severity == QTR_WARNING ? "warning" : "info");
        OGR_F_SetFieldString(f, 2, it->key);
        OGR_F_SetFieldString(f, 3, it->name);
        OGR_F_SetFieldString(f, 4, it->source);
        OGR_F_SetFieldString(f, 5, it->detail);
        if (put(lyr, f, err)) {
            GDALDatasetRollbackTransaction(ds);
            return err->code;
        }
    }
    GDALDatasetCommitTransaction(ds);
    return QTR_OK;
}

static int write_goals(GDALDatasetH ds, const struct qtr_output_request *req,
                       struct qtr_error *err)
{
    if (req->ngoals == 0)
        return QTR_OK;
    const char *fields[] = {"target",   "indicator", "action_field", "district",
                            "baseline_year", "baseline", "current_year", "current",
                            "target_year",   "target_value", "path_value", "state"};
    const OGRFieldType types[] = {OFTString, OFTString, OFTString, OFTString, OFTReal, OFTReal,
                                  OFTReal,   OFTReal,   OFTReal,   OFTReal,   OFTReal, OFTString};
    OGRLayerH lyr = create_table(ds, "goals", fields, types, 12, err);
    if (!lyr)
        return err->code;
    int en = req->cfg->language && !strcmp(req->cfg->language, "en");
    for (size_t k = 0; k < req->ngoals; k++) {
        const struct qtr_goal_row *g = &req->goals[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, g->target);
        OGR_F_SetFieldString(f, 1, g->indicator);
        OGR_F_SetFieldString(f, 2, g->field);
        OGR_F_SetFieldString(f, 3, g->district);
        set_double_or_null(f, 4, g->baseline_year);
        set_double_or_null(f, 5, g->baseline);
        set_double_or_null(f, 6, g->current_year);
        set_double_or_null(f, 7, g->current);
        set_double_or_null(f, 8, g->target_year);
        set_double_or_null(f, 9, g->target_value);
        set_double_or_null(f, 10, g->path);
        OGR_F_SetFieldString(f, 11, qtr_goal_state_name(g->state, en));
        if (put(lyr, f, err))
            return err->code;
    }
    return QTR_OK;
}

static int write_changes(GDALDatasetH ds, const struct qtr_output_request *req,
                         struct qtr_error *err)
{
    if (req->nchanges == 0)
        return QTR_OK;
    const char *fields[] = {"index",   "group",      "component", "previous",   "current",
                            "difference", "expected", "p_value",  "method",     "n_previous",
                            "n_current",  "note"};
    const OGRFieldType types[] = {OFTString, OFTString, OFTString, OFTReal,    OFTReal,
                                  OFTReal,   OFTReal,   OFTReal,   OFTString,  OFTInteger,
                                  OFTInteger, OFTString};
    OGRLayerH lyr = create_table(ds, "change", fields, types, 12, err);
    if (!lyr)
        return err->code;
    for (size_t k = 0; k < req->nchanges; k++) {
        const struct qtr_change_row *c = &req->changes[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, c->index);
        OGR_F_SetFieldString(f, 1, c->group);
        OGR_F_SetFieldString(f, 2, c->component);
        set_double_or_null(f, 3, c->previous);
        set_double_or_null(f, 4, c->current);
        set_double_or_null(f, 5, c->difference);
        set_double_or_null(f, 6, c->expected);
        set_double_or_null(f, 7, c->p_value);
        OGR_F_SetFieldString(f, 8, c->method);
        OGR_F_SetFieldInteger(f, 9, (int)c->n_previous);
        OGR_F_SetFieldInteger(f, 10, (int)c->n_current);
        OGR_F_SetFieldString(f, 11, c->note);
        if (put(lyr, f, err))
            return err->code;
    }
    return QTR_OK;
}

/* The pieces of every table carried from its own layout (issue 13): one row per piece. */
static int write_crosswalk(GDALDatasetH ds, const struct qtr_output_request *req,
                           struct qtr_error *err)
{
    if (req->ncrosswalk == 0)
        return QTR_OK;
    const char *fields[] = {"source_key", "target_key", "table_id",
                            "piece_area_m2", "weight", "share"};
    const OGRFieldType types[] = {OFTString, OFTString, OFTString, OFTReal, OFTReal, OFTReal};
    OGRLayerH lyr = create_table(ds, "crosswalk", fields, types, 6, err);
    if (!lyr)
        return err->code;
    GDALDatasetStartTransaction(ds, 0);
    for (size_t k = 0; k < req->ncrosswalk; k++) {
        const struct qtr_crosswalk_row *r = &req->crosswalk[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, r->source_key);
        OGR_F_SetFieldString(f, 1, r->target_key);
        OGR_F_SetFieldString(f, 2, r->table_id);
        set_double_or_null(f, 3, r->piece_area_m2);
        set_double_or_null(f, 4, r->weight);
        set_double_or_null(f, 5, r->share);
        if (put(lyr, f, err)) {
            GDALDatasetRollbackTransaction(ds);
            return err->code;
        }
    }
    GDALDatasetCommitTransaction(ds);
    return QTR_OK;
}

static int write_profile(GDALDatasetH ds, const struct qtr_output_request *req,
                         struct qtr_error *err)
{
    if (req->nprofile == 0)
        return QTR_OK;
    const char *fields[] = {"index", "group", "bandwidth_m", "value", "status"};
    const OGRFieldType types[] = {OFTString, OFTString, OFTReal, OFTReal, OFTString};
    OGRLayerH lyr = create_table(ds, "multiscalar_profile", fields, types, 5, err);
    if (!lyr)
        return err->code;
    for (size_t k = 0; k < req->nprofile; k++) {
        const struct qtr_profile_row *r = &req->profile[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, r->index);
        OGR_F_SetFieldString(f, 1, r->group);
        set_double_or_null(f, 2, r->bandwidth_m);
        set_double_or_null(f, 3, r->value);
        OGR_F_SetFieldString(f, 4, r->status == QTR_OK ? "ok" : "not defined");
        if (put(lyr, f, err))
            return err->code;
    }
    return QTR_OK;
}

/* A derived polygon layer (clusters, candidate areas): its attribute frame and geometries. */
static int write_area_layer(struct qtr_ctx *ctx, GDALDatasetH ds, const struct qtr_area_layer *a,
                            OGRSpatialReferenceH srs, struct qtr_error *err)
{
    char **lco = CSLSetNameValue(NULL, "GEOMETRY_NAME", "geom");
    lco = CSLSetNameValue(lco, "FID", "fid");
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, a->name, srs, wkbMultiPolygon, lco);
    CSLDestroy(lco);
    if (!lyr)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create layer '%s' (%s)", a->name,
                             qtr_gdal_last_error());
    const struct qtr_frame *fr = a->attrs;
    OGRFieldDefnH fd = OGR_Fld_Create("id", OFTInteger);
    OGRErr e = OGR_L_CreateField(lyr, fd, 1);
    OGR_Fld_Destroy(fd);
    for (size_t j = 0; j < fr->ncols && e == OGRERR_NONE; j++) {
        const struct qtr_column *c = fr->cols[j];
        fd = OGR_Fld_Create(c->name, c->is_text ? OFTString : OFTReal);
        e = OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
    }
    if (e != OGRERR_NONE)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create the fields of '%s' (%s)", a->name,
                             qtr_gdal_last_error());
    for (size_t k = 0; k < a->n; k++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldInteger(f, 0, (int)(k + 1));
        for (size_t j = 0; j < fr->ncols; j++) {
            const struct qtr_column *c = fr->cols[j];
            if (c->is_text && c->text[k])
                OGR_F_SetFieldString(f, (int)j + 1, c->text[k]);
            else if (!c->is_text && c->kind[k] == QTR_CELL_VALUE)
                OGR_F_SetFieldDouble(f, (int)j + 1, c->v[k]);
            else
                OGR_F_SetFieldNull(f, (int)j + 1);
        }
        if (a->geom[k]) {
            OGRGeometryH og = qtr_geom_to_ogr(ctx->geos, a->geom[k]);
            if (og)
                OGR_F_SetGeometryDirectly(f, og);
        }
        if (put(lyr, f, err))
            return err->code;
    }
    return QTR_OK;
}

static int write_run_info(GDALDatasetH ds, const struct qtr_output_request *req,
                          struct qtr_error *err)
{
    const char *fields[] = {"item", "value"};
    const OGRFieldType types[] = {OFTString, OFTString};
    OGRLayerH lyr = create_table(ds, "run_info", fields, types, 2, err);
    if (!lyr)
        return err->code;
    const struct qtr_config *cfg = req->cfg;
    char seed[32], n[32], perm[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    snprintf(perm, sizeof perm, "%u", cfg->permutations);
    snprintf(n, sizeof n, "%zu", req->frame->n);
    const char *rows[][2] = {
        {"program", "quartier " QTR_VERSION},
        {"analysis_file", cfg->path ? cfg->path : ""},
        {"title", cfg->title ? cfg->title : ""},
        {"boundaries", cfg->bnd_source ? cfg->bnd_source : ""},
        {"source_crs", req->layer->source_crs ? req->layer->source_crs : ""},
        {"work_crs", req->layer->work_crs ? req->layer->work_crs : ""},
        {"districts", n},
        {"seed", seed},
        {"permutations", perm},
        {"reference_date", cfg->date ? cfg->date : ""},
        {"previous_date", cfg->previous_date ? cfg->previous_date : ""},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, rows[k][0]);
        OGR_F_SetFieldString(f, 1, rows[k][1]);
        if (put(lyr, f, err))
            return err->code;
    }
    /* a PostgreSQL source: its table or query (the connection has no password here) */
    const char *bnd_from[2][2] = {{"boundaries_layer", cfg->bnd_conn ? cfg->bnd_layer : NULL},
                                  {"boundaries_sql", cfg->bnd_sql}};
    for (size_t k = 0; k < 2; k++) {
        if (!bnd_from[k][1])
            continue;
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, bnd_from[k][0]);
        OGR_F_SetFieldString(f, 1, bnd_from[k][1]);
        if (put(lyr, f, err))
            return err->code;
    }
    for (size_t t = 0; t < cfg->ntables; t++) {
        const struct qtr_table_spec *ts = &cfg->tables[t];
        const char *what[5][2] = {{"", ts->source},
                                  {"_layer", ts->layer},
                                  {"_sql", ts->sql},
                                  {"_boundaries_layer", ts->bnd_conn ? ts->bnd_layer : NULL},
                                  {"_boundaries_sql", ts->bnd_sql}};
        for (size_t k = 0; k < 5; k++) {
            if (!what[k][1])
                continue;
            OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
            char *item = qtr_asprintf("table_%s%s", ts->id, what[k][0]);
            OGR_F_SetFieldString(f, 0, item ? item : "table");
            OGR_F_SetFieldString(f, 1, what[k][1]);
            int rc = put(lyr, f, err);
            free(item);
            if (rc)
                return rc;
        }
    }
    return QTR_OK;
}

/* Remove a partial GeoPackage and the SQLite side files GDAL may have left. */
static void remove_tmp(const char *path)
{
    char side[PATH_MAX];
    unlink(path);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

void qtr_output_info_release(struct qtr_output_info *info)
{
    if (!info)
        return;
    for (size_t i = 0; i < info->nlayers; i++) {
        struct qtr_output_layer *l = &info->layers[i];
        for (size_t k = 0; k < l->nfields; k++) {
            free(l->fields[k].name);
            free(l->fields[k].v);
        }
        free(l->fields);
        free(l->name);
        free(l->fid);
    }
    free(info->layers);
    memset(info, 0, sizeof *info);
}

/* The districts' numeric values as written (write_districts): the fixed fields, then the
 * frame's columns; NaN where the field is NULL. */
static int district_values(const struct qtr_output_request *req, struct qtr_output_layer *l)
{
    const struct qtr_frame *f = req->frame;
    for (size_t k = 0; k < l->nfields; k++) {
        struct qtr_output_field *fd = &l->fields[k];
        if (fd->type == QTR_FIELD_TEXT)
            continue;
        if (!(fd->v = malloc((f->n ? f->n : 1) * sizeof *fd->v)))
            return QTR_ERR_NOMEM;
        const struct qtr_column *c = k >= 5 && k - 5 < f->ncols ? f->cols[k - 5] : NULL;
        for (size_t i = 0; i < f->n; i++) {
            double v = NAN;
            if (k == 2)
                v = f->has_stats[i];
            else if (k == 3)
                v = req->usable ? req->usable[i] : 0;
            else if (k == 4)
                v = req->layer->geom[i] ? req->layer->area[i] / 10000.0 : NAN;
            else if (c && !c->is_text &&
                     (c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO))
                v = c->v[i];
            fd->v[i] = v;
        }
    }
    return QTR_OK;
}

/*
 * Describe the layers of the open dataset as created (no feature is read back), in the
 * order GDAL lists them when the file is opened: the layers with geometry, then the tables,
 * each in the order written.
 */
static int describe(GDALDatasetH ds, const struct qtr_output_request *req,
                    struct qtr_output_info *info, struct qtr_error *err)
{
    int nl = GDALDatasetGetLayerCount(ds);
    if (!(info->layers = calloc((size_t)nl + 1, sizeof *info->layers)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (int j = 0; j < 2 * nl; j++) {
        OGRLayerH lyr = GDALDatasetGetLayer(ds, j % nl);
        if ((OGR_L_GetGeomType(lyr) != wkbNone) != (j < nl))
            continue;
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
        struct qtr_output_layer *l = &info->layers[info->nlayers++];
        int nf = OGR_FD_GetFieldCount(d);
        const char *fid = OGR_L_GetFIDColumn(lyr);
        l->name = qtr_strdup(OGR_L_GetName(lyr));
        l->fid = fid && *fid ? qtr_strdup(fid) : NULL;
        l->spatial = OGR_L_GetGeomType(lyr) != wkbNone;
        l->fields = calloc((size_t)nf + 1, sizeof *l->fields);
        if (!l->name || (fid && *fid && !l->fid) || !l->fields)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        for (int k = 0; k < nf; k++) {
            OGRFieldDefnH fd = OGR_FD_GetFieldDefn(d, k);
            OGRFieldType t = OGR_Fld_GetType(fd);
            l->fields[k].type = t == OFTString                          ? QTR_FIELD_TEXT
                                : t == OFTInteger || t == OFTInteger64 ? QTR_FIELD_INTEGER
                                                                        : QTR_FIELD_REAL;
            if (!(l->fields[k].name = qtr_strdup(OGR_Fld_GetNameRef(fd))))
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            l->nfields++;
        }
        if (!strcmp(l->name, "districts")) {
            l->n = req->frame->n;
            if (district_values(req, l))
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        }
        for (size_t a = 0; a < req->nareas; a++)
            if (!strcmp(l->name, req->areas[a].name))
                l->n = req->areas[a].n;
    }
    return QTR_OK;
}

static int write_gpkg(struct qtr_ctx *ctx, const struct qtr_output_request *req, const char *tmp,
                      OGRSpatialReferenceH srs, struct qtr_output_info *info,
                      struct qtr_error *err)
{
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "GDAL has no GeoPackage driver");
    GDALDatasetH ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create '%s' (%s)", tmp,
                             qtr_gdal_last_error());
    char **lco = CSLSetNameValue(NULL, "GEOMETRY_NAME", "geom");
    lco = CSLSetNameValue(lco, "FID", "fid");
    lco = CSLSetNameValue(lco, "SPATIAL_INDEX", "YES");
    lco = CSLSetNameValue(lco, "IDENTIFIER", "districts");
    int rc = write_districts(ctx, ds, req, srs, NULL, lco, err);
    CSLDestroy(lco);
    if (!rc)
        rc = write_indices(ds, req, err);
    if (!rc)
        rc = write_report(ds, req, err);
    for (size_t a = 0; !rc && a < req->nareas; a++)
        rc = write_area_layer(ctx, ds, &req->areas[a], srs, err);
    if (!rc)
        rc = write_profile(ds, req, err);
    if (!rc)
        rc = write_changes(ds, req, err);
    if (!rc)
        rc = write_crosswalk(ds, req, err);
    if (!rc)
        rc = write_goals(ds, req, err);
    if (!rc)
        rc = write_run_info(ds, req, err);
    if (!rc && info)
        rc = describe(ds, req, info, err);
    CPLErrorReset();
    GDALClose(ds);
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed (%s)", tmp,
                           qtr_gdal_last_error());
    return rc;
}

static int write_geojson(struct qtr_ctx *ctx, const struct qtr_output_request *req,
                         const char *tmp, OGRSpatialReferenceH srs, struct qtr_error *err)
{
    GDALDriverH drv = GDALGetDriverByName("GeoJSON");
    if (!drv)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "GDAL has no GeoJSON driver");
    GDALDatasetH ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create '%s' (%s)", tmp,
                             qtr_gdal_last_error());
    /* RFC 7946: lon/lat on WGS 84, exteriors counter-clockwise, 7 decimals. The geometries are
     * transformed here (plain PROJ transformation): left to the driver, GDAL also checks every
     * polygon for the antimeridian with GEOS overlay operations, which cost more than the whole
     * analysis and cannot apply to a German municipality's districts. GDAL still orients the
     * rings and rounds the coordinates (RFC7946=YES). */
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs, 4326);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(srs, wgs);
    if (!ct) {
        OSRDestroySpatialReference(wgs);
        GDALClose(ds);
        return qtr_error_set(err, QTR_ERR_INTERNAL, "cannot transform to EPSG:4326 (%s)",
                             qtr_gdal_last_error());
    }
    char **lco = CSLSetNameValue(NULL, "RFC7946", "YES");
    lco = CSLSetNameValue(lco, "WRITE_NAME", "NO");
    int rc = write_districts(ctx, ds, req, wgs, ct, lco, err);
    CSLDestroy(lco);
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(wgs);
    CPLErrorReset();
    GDALClose(ds);
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed (%s)", tmp,
                           qtr_gdal_last_error());
    return rc;
}

int qtr_output_write(struct qtr_ctx *ctx, const struct qtr_output_request *req, char **gpkg,
                     char **geojson, struct qtr_output_info *info, struct qtr_error *err)
{
    qtr_output_info_release(info);
    int rc;
    char *final_gpkg = NULL, *final_json = NULL;
    OGRSpatialReferenceH srs = NULL;
    if ((rc = qtr_mkdir_p(req->outdir, err)))
        return rc;
    final_gpkg = qtr_asprintf("%s/quartier.gpkg", req->outdir);
    final_json = qtr_asprintf("%s/districts.geojson", req->outdir);
    if (!final_gpkg || !final_json) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    srs = OSRNewSpatialReference(NULL);
    if (OSRSetFromUserInput(srs, req->layer->work_crs) != OGRERR_NONE) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot set up CRS %s", req->layer->work_crs);
        goto out;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);

    remove_tmp(final_gpkg);
    unlink(final_json);
    qtr_progress(ctx, 0.0, "writing outputs");
    if ((rc = write_gpkg(ctx, req, final_gpkg, srs, info, err)))
        goto out;
    qtr_progress(ctx, 0.6, "writing outputs");
    if ((rc = write_geojson(ctx, req, final_json, srs, err)))
        goto out;
    qtr_progress(ctx, 1.0, "writing outputs");
    *gpkg = final_gpkg;
    *geojson = final_json;
    final_gpkg = final_json = NULL;
out:
    if (rc)
        qtr_output_info_release(info);
    if (rc && final_gpkg) {
        remove_tmp(final_gpkg);
        unlink(final_json);
    }
    if (srs)
        OSRDestroySpatialReference(srs);
    free(final_gpkg);
    free(final_json);
    return rc;
}
