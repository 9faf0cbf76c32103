#include "quartier/layer.h"

#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "quartier/pg.h"
#include "quartier/strutil.h"

void qtr_layer_free(struct qtr_layer *l)
{
    if (!l)
        return;
    GEOSContextHandle_t h = l->geos;
    for (size_t i = 0; i < l->n; i++) {
        if (l->key)
            free(l->key[i]);
        if (l->name)
            free(l->name[i]);
        if (l->geom && l->geom[i] && h)
            GEOSGeom_destroy_r(h, l->geom[i]);
    }
    free(l->key);
    free(l->name);
    free(l->geom);
    free(l->area);
    free(l->cx);
    free(l->cy);
    qtr_table_free(l->attrs);
    free(l->attr_numeric);
    free(l->attr_num);
    free(l->source);
    free(l->layer_name);
    free(l->work_crs);
    free(l->work_crs_wkt);
    free(l->source_crs);
    free(l->repairs);
    free(l->sliver);
    free(l);
}

static int list_layers(GDALDatasetH ds, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    int n = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < n && used + 4 < size; i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", OGR_L_GetName(l));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return n;
}

/* Description of a CRS for messages and metadata: "EPSG:25833" where known. */
static char *crs_label(OGRSpatialReferenceH srs)
{
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    if (auth && code)
        return qtr_asprintf("%s:%s", auth, code);
    if (OSRAutoIdentifyEPSG(srs) == OGRERR_NONE) {
        auth = OSRGetAuthorityName(srs, NULL);
        code = OSRGetAuthorityCode(srs, NULL);
        if (auth && code)
            return qtr_asprintf("%s:%s", auth, code);
    }
    const char *name = OSRGetName(srs);
    return qtr_strdup(name ? name : "unnamed CRS");
}

/*
 * Default work CRS: the UTM zone of the layer's centre, on ETRS89 (EPSG:258zz) in the zones
 * ETRS89 defines UTM for (28 to 38, northern hemisphere: Europe), else WGS 84 (EPSG:326zz or
 * 327zz). Distances and areas are never computed in a geographic CRS.
 */
static int default_work_crs(OGRLayerH layer, OGRSpatialReferenceH src, char *out, size_t size,
                            struct qtr_error *err, const char *source)
{
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, 1) != OGRERR_NONE)
        return qtr_error_set(err, QTR_ERR_DATA, "cannot compute the extent of '%s'", source);
    double x = (env.MinX + env.MaxX) / 2, y = (env.MinY + env.MaxY) / 2;
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs, 4326);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, wgs);
    int ok = ct && OCTTransform(ct, 1, &x, &y, NULL);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(wgs);
    if (!ok)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "cannot find the UTM zone of '%s' (%s); set 'crs = EPSG:...' in "
                             "[analysis]",
                             source, qtr_gdal_last_error());
    int zone = (int)floor((x + 180.0) / 6.0) + 1;
    if (zone < 1)
        zone = 1;
    if (zone > 60)
        zone = 60;
    if (y >= 0 && zone >= 28 && zone <= 38)
        snprintf(out, size, "EPSG:%d", 25800 + zone);
    else
        snprintf(out, size, "EPSG:%d", (y >= 0 ? 32600 : 32700) + zone);
    return QTR_OK;
}

/* Keep only the polygonal parts of a geometry (MakeValid may return lines and points too). */
static GEOSGeometry *polygonal_part(GEOSContextHandle_t h, GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
        return g;
    if (type != GEOS_GEOMETRYCOLLECTION) {
        GEOSGeom_destroy_r(h, g);
        return NULL;
    }
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **parts = malloc((size_t)(n > 0 ? n : 1) * sizeof *parts);
    int k = 0;
    for (int i = 0; parts && i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        int t = GEOSGeomTypeId_r(h, p);
        if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
            parts[k++] = GEOSGeom_clone_r(h, p);
    }
    GEOSGeometry *res = NULL;
    if (parts && k > 0) {
        GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                                         (unsigned)k);
        if (coll) {
            res = GEOSUnaryUnion_r(h, coll);
            GEOSGeom_destroy_r(h, coll);
        }
    }
    free(parts);
    GEOSGeom_destroy_r(h, g);
    return res;
}

/*
 * Records a Shapefile's .dbf marks deleted ('*' in the record's first byte): GDAL counts them
 * in the layer's feature count but skips them when reading, so they are no sign of damage.
 * 0 for other sources and when the .dbf cannot be read (reading it then fails visibly).
 */
static GIntBig shapefile_deleted(GDALDatasetH ds, OGRLayerH layer)
{
    if (strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "ESRI Shapefile") != 0)
        return 0;
    char **files = GDALGetFileList(ds);
    const char *lname = OGR_L_GetName(layer);
    VSILFILE *f = NULL;
    for (char **p = files; p && *p && !f; p++)
        if (EQUAL(CPLGetExtension(*p), "dbf") && EQUAL(CPLGetBasename(*p), lname))
            f = VSIFOpenL(*p, "rb");
    CSLDestroy(files);
    if (!f)
        return 0;
    unsigned char h[32], *buf = NULL;
    GIntBig deleted = 0;
    if (VSIFReadL(h, 1, sizeof h, f) == sizeof h) {
        size_t nrec = (size_t)h[4] | (size_t)h[5] << 8 | (size_t)h[6] << 16 | (size_t)h[7] << 24;
        size_t hdr = (size_t)h[8] | (size_t)h[9] << 8, len = (size_t)h[10] | (size_t)h[11] << 8;
        size_t per = len ? (len >= 65536 ? 1 : 65536 / len) : 0;
        buf = per ? malloc(per * len) : NULL;
        if (buf && VSIFSeekL(f, (vsi_l_offset)hdr, SEEK_SET) == 0) {
            for (size_t r = 0; r < nrec;) {
                size_t want = nrec - r < per ? nrec - r : per;
                size_t got = VSIFReadL(buf, len, want, f);
                for (size_t k = 0; k < got; k++)
                    deleted += buf[k * len] == '*';
                if (got < want)
                    break;
                r += got;
            }
        }
    }
    free(buf);
    VSIFCloseL(f);
    return deleted;
}

/* The message for a source that could not be read to its end: `read` features of `total`
 * (negative when the driver cannot count), and GDAL's reason when it gave one. */
static int damaged(struct qtr_error *err, const char *source, size_t read, GIntBig total,
                   const char *gdal)
{
    char count[96];
    if (total >= 0)
        snprintf(count, sizeof count, "read %zu of %lld districts", read, (long long)total);
    else
        snprintf(count, sizeof count, "read %zu districts, then reading failed", read);
    return qtr_error_set(err, QTR_ERR_DATA,
                         "'%s': the file is damaged or incomplete: %s%s%s%s; copy or export it "
                         "again (for a Shapefile all of .shp, .shx, .dbf and .prj)",
                         source, count, gdal ? " (GDAL: " : "", gdal ? gdal : "", gdal ? ")" : "");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* l->sliver: polygons with zero area or below QTR_SLIVER_SHARE of the median area of the
 * districts with geometry. */
static int mark_slivers(struct qtr_layer *l, struct qtr_error *err)
{
    l->sliver = calloc(l->n ? l->n : 1, 1);
    double *a = malloc((l->n ? l->n : 1) * sizeof *a);
    if (!l->sliver || !a) {
        free(a);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->geom[i] && isfinite(l->area[i]))
            a[m++] = l->area[i];
    double median = 0;
    if (m > 0) {
        qsort(a, m, sizeof *a, cmp_double);
        median = m % 2 ? a[m / 2] : 0.5 * (a[m / 2 - 1] + a[m / 2]);
    }
    free(a);
    for (size_t i = 0; i < l->n; i++)
        l->sliver[i] = l->geom[i] && (!isfinite(l->area[i]) || !(l->area[i] > 0) ||
                                      l->area[i] < QTR_SLIVER_SHARE * median);
    return QTR_OK;
}

static int is_numeric_type(OGRFieldType t)
{
    return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}

int qtr_layer_read(struct qtr_ctx *ctx, const struct qtr_layer_options *opt,
                   struct qtr_layer **out, struct qtr_error *err)
{
    GEOSContextHandle_t h = (GEOSContextHandle_t)ctx->geos;
    int rc = QTR_OK;
    struct qtr_gdal_capture gcap = {0};
    GDALDatasetH ds = NULL;
    OGRLayerH sql_layer = NULL;
    OGRSpatialReferenceH assigned = NULL, work = NULL;
    OGRCoordinateTransformationH ct = NULL;
    OGRFeatureH feat = NULL;
    char **names = NULL;
    char **cells = NULL;
    unsigned char *wkb = NULL;
    struct qtr_layer *l = calloc(1, sizeof *l);
    if (!l)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    l->geos = h;
    l->source = qtr_pg_redact(opt->source);
    if (!l->source) {
        free(l);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }

    qtr_gdal_capture_begin(&gcap);
    CPLErrorReset();
    int is_pg = qtr_is_pg(opt->source), is_sql = 0;
    OGRLayerH layer = NULL;
    if (is_pg) {
        if ((rc = qtr_pg_open(opt->source, l->source, "[boundaries] source", 0, (void **)&ds,
                              err)) ||
            (rc = qtr_pg_layer(ds, l->source, opt->sql ? NULL : opt->layer, opt->sql,
                               (void **)&layer, &is_sql, err)))
            goto out;
        if (is_sql)
            sql_layer = layer;
    } else if (opt->sql) {
        rc = qtr_error_set(err, QTR_ERR_USAGE,
                           "boundaries '%s': a query (sql =) needs a PG: source", l->source);
        goto out;
    } else if (access(opt->source, R_OK) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO,
                           "boundaries '%s' cannot be read (%s); check the path in [boundaries] "
                           "source",
                           l->source, strerror(errno));
        goto out;
    }
    if (!is_pg) {
        ds = GDALOpenEx(opt->source, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
        if (!ds) {
            /* A file is there (checked above): damaged, incomplete or of another kind. */
            rc = qtr_error_set(err, QTR_ERR_IO,
                               "cannot open boundaries '%s' (%s); the file is damaged or "
                               "incomplete, or not a Shapefile (with its .shx and .dbf), "
                               "GeoPackage or GeoJSON; copy or export it again",
                               l->source, qtr_gdal_last_error());
            goto out;
        }
    }
    if (layer) {
        /* a PG: table or query, found above */
    } else if (opt->layer) {
        layer = GDALDatasetGetLayerByName(ds, opt->layer);
        if (!layer) {
            char list[800];
            list_layers(ds, list, sizeof list);
            rc = qtr_error_set(err, QTR_ERR_DATA, "layer '%s' not found in '%s' (layers: %s)",
                               opt->layer, l->source, list);
            goto out;
        }
    } else {
        if (GDALDatasetGetLayerCount(ds) < 1) {
            rc = qtr_error_set(err, QTR_ERR_DATA, "'%s' has no vector layer", l->source);
            goto out;
        }
        layer = GDALDatasetGetLayer(ds, 0);
    }
    l->layer_name = qtr_strdup(OGR_L_GetName(layer));

    /* CRS: the source's, or the one the analysis states; never guessed. */
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    if (opt->assign_crs) {
        assigned = OSRNewSpatialReference(NULL);
        if (OSRSetFromUserInput(assigned, opt->assign_crs) != OGRERR_NONE) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "'%s' is not a CRS GDAL knows (use EPSG:N)",
                               opt->assign_crs);
            goto out;
        }
        if (src) {
            /* A stated CRS for a source that has one: the source wins unless they agree. */
            if (!OSRIsSame(src, assigned)) {
                char *a = crs_label(src);
                qtr_warn(ctx,
                         "boundaries '%s' have their own CRS (%s); the stated crs = %s is used "
                         "only for sources without one",
                         l->source, a ? a : "?", opt->assign_crs);
                free(a);
            }
        } else {
            src = assigned;
            l->crs_assigned = 1;
        }
    }
    if (!src) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "boundaries '%s' have no coordinate reference system (no .prj or crs "
                           "member); state it with 'crs = EPSG:N' in [boundaries] (or --crs on "
                           "the command line)",
                           l->source);
        goto out;
    }
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    l->source_crs = crs_label(src);
    if (OSRIsGeographic(src) == 0 && OSRIsProjected(src) == 0 && !l->crs_assigned) {
        rc = qtr_error_set(err, QTR_ERR_DATA, "the CRS of '%s' (%s) is neither geographic nor "
                           "projected", l->source, l->source_crs);
        goto out;
    }

    char work_name[64];
    if (opt->work_crs)
        snprintf(work_name, sizeof work_name, "%s", opt->work_crs);
    else if ((rc = default_work_crs(layer, src, work_name, sizeof work_name, err, l->source)))
        goto out;
    work = OSRNewSpatialReference(NULL);
    if (OSRSetFromUserInput(work, work_name) != OGRERR_NONE) {
        rc = qtr_error_set(err, QTR_ERR_USAGE, "work CRS '%s' is not a CRS GDAL knows", work_name);
        goto out;
    }
    if (OSRIsGeographic(work)) {
        rc = qtr_error_set(err, QTR_ERR_USAGE,
                           "work CRS '%s' is geographic (degrees); areas and distances need a "
                           "projected CRS such as EPSG:25832 or EPSG:25833",
                           work_name);
        goto out;
    }
    OSRSetAxisMappingStrategy(work, OAMS_TRADITIONAL_GIS_ORDER);
    l->work_crs = qtr_strdup(work_name);
    char *wkt = NULL;
    const char *wkt_opts[] = {"FORMAT=WKT2_2018", NULL};
    if (OSRExportToWktEx(work, &wkt, wkt_opts) != OGRERR_NONE || !wkt) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot describe work CRS %s", work_name);
        CPLFree(wkt);
        goto out;
    }
    l->work_crs_wkt = qtr_strdup(wkt);
    CPLFree(wkt);
    if (!OSRIsSame(src, work)) {
        ct = OCTNewCoordinateTransformation(src, work);
        if (!ct) {
            rc = qtr_error_set(err, QTR_ERR_DATA, "cannot transform '%s' from %s to %s (%s)",
                               l->source, l->source_crs, work_name, qtr_gdal_last_error());
            goto out;
        }
    }

    /* Columns. */
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int nf = OGR_FD_GetFieldCount(defn);
    names = calloc((size_t)(nf > 0 ? nf : 1), sizeof *names);
    cells = calloc((size_t)(nf > 0 ? nf : 1), sizeof *cells);
    l->attr_numeric = calloc((size_t)(nf > 0 ? nf : 1), 1);
    if (!names || !cells || !l->attr_numeric) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int j = 0; j < nf; j++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, j);
        names[j] = (char *)OGR_Fld_GetNameRef(fd);
        l->attr_numeric[j] = (uint8_t)is_numeric_type(OGR_Fld_GetType(fd));
    }
    l->attrs = qtr_table_new(l->source, (size_t)nf, (const char *const *)names);
    if (!l->attrs) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t kcol, ncol = 0;
    if ((rc = qtr_table_require_column(l->attrs, opt->key, "key column", &kcol, err)))
        goto out;
    if (opt->name && (rc = qtr_table_require_column(l->attrs, opt->name, "name column", &ncol, err)))
        goto out;

    GIntBig total = OGR_L_GetFeatureCount(layer, 1);
    if (total > 0)
        total -= shapefile_deleted(ds, layer);
    size_t cap = total > 0 ? (size_t)total : 16;
    l->key = calloc(cap, sizeof *l->key);
    l->name = calloc(cap, sizeof *l->name);
    l->geom = calloc(cap, sizeof *l->geom);
    l->attr_num = malloc(cap * (size_t)(nf > 0 ? nf : 1) * sizeof *l->attr_num);
    if (!l->key || !l->name || !l->geom || !l->attr_num) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t wkb_cap = 0;
    OGR_L_ResetReading(layer);
    unsigned long gdal_warnings = 0;
    char first_warning[512] = "";
    for (;;) {
        /* A driver that meets a damaged record (a .shp or .dbf cut short, a corrupt zip member)
         * reports a failure and may still return a feature without geometry, or stop as if the
         * layer ended: check the error state after every feature. */
        qtr_gdal_capture_reset(&gcap);
        CPLErrorReset();
        feat = OGR_L_GetNextFeature(layer);
        if (gcap.failures || CPLGetLastErrorType() >= CE_Failure) {
            const char *why = gcap.failures ? gcap.msg : qtr_gdal_last_error();
            rc = is_pg ? qtr_pg_read_failed(err, l->source, opt->sql ? NULL : opt->layer,
                                            opt->sql, why)
                       : damaged(err, l->source, l->n, total, why);
            goto out;
        }
        if (gcap.warnings) {
            if (!gdal_warnings)
                snprintf(first_warning, sizeof first_warning, "%s", gcap.msg);
            gdal_warnings += gcap.warnings;
        }
        if (!feat)
            break;
        if (l->n == cap) {
            size_t nc = cap * 2;
            char **k2 = realloc(l->key, nc * sizeof *k2);
            if (k2)
                l->key = k2;
            char **n2 = realloc(l->name, nc * sizeof *n2);
            if (n2)
                l->name = n2;
            GEOSGeometry **g2 = realloc(l->geom, nc * sizeof *g2);
            if (g2)
                l->geom = (struct GEOSGeom_t **)g2;
            double *a2 = realloc(l->attr_num, nc * (size_t)(nf > 0 ? nf : 1) * sizeof *a2);
            if (a2)
                l->attr_num = a2;
            if (!k2 || !n2 || !g2 || !a2) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            cap = nc;
        }
        size_t i = l->n;
        for (int j = 0; j < nf; j++) {
            int set = OGR_F_IsFieldSetAndNotNull(feat, j);
            cells[j] = set ? (char *)OGR_F_GetFieldAsString(feat, j) : "";
            /* GetFieldAsString returns a buffer owned by the feature that later calls may
             * reuse: copy before the next call. */
            cells[j] = qtr_strdup(cells[j]);
            l->attr_num[i * (size_t)nf + (size_t)j] =
                (set && l->attr_numeric[j]) ? OGR_F_GetFieldAsDouble(feat, j) : NAN;
        }
        rc = qtr_table_append_row(l->attrs, (const char *const *)cells, i + 1, err);
        for (int j = 0; j < nf; j++) {
            free(cells[j]);
            cells[j] = NULL;
        }
        if (rc)
            goto out;
        l->key[i] = qtr_trim_inplace(qtr_strdup(qtr_table_cell(l->attrs, i, kcol)));
        l->name[i] = qtr_trim_inplace(qtr_strdup(opt->name ? qtr_table_cell(l->attrs, i, ncol)
                                                           : ""));
        l->geom[i] = NULL;
        l->n++;
        if (!l->key[i] || !l->name[i]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }

        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        if (g && !OGR_G_IsEmpty(g)) {
            OGRGeometryH gc = OGR_G_Clone(g);
            if (ct && OGR_G_Transform(gc, ct) != OGRERR_NONE) {
                OGR_G_DestroyGeometry(gc);
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "cannot transform the geometry of district '%s' in '%s' to "
                                   "%s (%s)",
                                   l->key[i], l->source, work_name, qtr_gdal_last_error());
                goto out;
            }
            size_t sz = (size_t)OGR_G_WkbSize(gc);
            if (sz > wkb_cap) {
                unsigned char *nw = realloc(wkb, sz);
                if (!nw) {
                    OGR_G_DestroyGeometry(gc);
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                wkb = nw;
                wkb_cap = sz;
            }
            OGR_G_ExportToIsoWkb(gc, wkbNDR, wkb);
            OGR_G_DestroyGeometry(gc);
            GEOSGeometry *gg = GEOSGeomFromWKB_buf_r(h, wkb, sz);
            if (!gg) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "cannot read the geometry of district '%s' in '%s' (%s)",
                                   l->key[i], l->source, ctx->geos_msg);
                goto out;
            }
            int t = GEOSGeomTypeId_r(h, gg);
            if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON && t != GEOS_GEOMETRYCOLLECTION) {
                GEOSGeom_destroy_r(h, gg);
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "district '%s' in '%s' is not a polygon (%s); boundaries must "
                                   "be polygons",
                                   l->key[i], l->source, OGR_G_GetGeometryName(g));
                goto out;
            }
            if (GEOSisValid_r(h, gg) != 1) {
                char *why = GEOSisValidReason_r(h, gg);
                struct qtr_geom_repair *r2 = realloc(l->repairs, (l->nrepairs + 1) * sizeof *r2);
                if (!r2) {
                    GEOSFree_r(h, why);
                    GEOSGeom_destroy_r(h, gg);
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                l->repairs = r2;
                r2[l->nrepairs].feature = i;
                snprintf(r2[l->nrepairs].reason, sizeof r2[l->nrepairs].reason, "%s",
                         why ? why : "invalid");
                l->nrepairs++;
                GEOSFree_r(h, why);
                GEOSGeometry *fixed = GEOSMakeValid_r(h, gg);
                GEOSGeom_destroy_r(h, gg);
                gg = fixed ? polygonal_part(h, fixed) : NULL;
                /* A polygon that collapses to lines or points (all vertices on one line) has
                 * no area: kept as an empty polygon, so it is reported as such (sliver) and
                 * stays out of the area-based indices, instead of failing the run. */
                if (fixed && !gg)
                    gg = GEOSGeom_createEmptyPolygon_r(h);
                if (!gg) {
                    rc = qtr_error_set(err, QTR_ERR_DATA,
                                       "the geometry of district '%s' in '%s' is invalid and "
                                       "could not be repaired",
                                       l->key[i], l->source);
                    goto out;
                }
            }
            l->geom[i] = (struct GEOSGeom_t *)gg;
        }
        OGR_F_Destroy(feat);
        feat = NULL;
        if (total > 0 && (l->n % 256) == 0 &&
            !qtr_progress(ctx, (double)l->n / (double)total, "reading boundaries")) {
            rc = qtr_error_set(err, QTR_ERR_USAGE, "cancelled");
            goto out;
        }
    }
    /* Some drivers stop at a damaged record without a message: what was read must be what the
     * layer holds. */
    if (total >= 0 && (GIntBig)l->n != total) {
        rc = damaged(err, l->source, l->n, total, NULL);
        goto out;
    }
    if (gdal_warnings)
        qtr_warn(ctx, "boundaries '%s': GDAL warned %lu time%s while reading (first: %s)",
                 l->source, gdal_warnings, gdal_warnings == 1 ? "" : "s", first_warning);
    if (l->n == 0) {
        rc = qtr_error_set(err, QTR_ERR_DATA, "boundaries '%s' have no features", l->source);
        goto out;
    }
    qtr_progress(ctx, 1.0, "reading boundaries");

    l->area = calloc(l->n, sizeof *l->area);
    l->cx = malloc(l->n * sizeof *l->cx);
    l->cy = malloc(l->n * sizeof *l->cy);
    if (!l->area || !l->cx || !l->cy) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < l->n; i++) {
        l->cx[i] = l->cy[i] = NAN;
        const GEOSGeometry *g = (const GEOSGeometry *)l->geom[i];
        if (!g)
            continue;
        GEOSArea_r(h, g, &l->area[i]);
        GEOSGeometry *c = GEOSGetCentroid_r(h, g);
        if (c) {
            GEOSGeomGetX_r(h, c, &l->cx[i]);
            GEOSGeomGetY_r(h, c, &l->cy[i]);
            GEOSGeom_destroy_r(h, c);
        }
    }
    if ((rc = mark_slivers(l, err)))
        goto out;

out:
    if (feat)
        OGR_F_Destroy(feat);
    free(wkb);
    free(names);
    free(cells);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (work)
        OSRDestroySpatialReference(work);
    if (assigned)
        OSRDestroySpatialReference(assigned);
    if (sql_layer)
        GDALDatasetReleaseResultSet(ds, sql_layer);
    if (ds)
        GDALClose(ds);
    qtr_gdal_capture_end();
    if (rc) {
        qtr_layer_free(l);
        return rc;
    }
    *out = l;
    return QTR_OK;
}
