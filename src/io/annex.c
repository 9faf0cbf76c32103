/*
 * annex.c - annex tables as CSV (German Excel conventions) and XLSX, read back
 * from the finished GeoPackage so the annex never shows more than the map.
 */
#include "quartier/annex.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>

#include "quartier/ctx.h"
#include "quartier/strutil.h"

int qtr_annex_format_number(double v, char *buf, size_t size)
{
    if (!isfinite(v) || size < 32)
        return QTR_ERR_USAGE;
    if (v == 0) {
        snprintf(buf, size, "0");
        return QTR_OK;
    }
    double a = fabs(v);
    int n;
    if (a >= 1e-6 && a < 1e15) {
        int e = (int)floor(log10(a));
        int dec = 14 - e;
        if (dec < 0)
            dec = 0;
        n = snprintf(buf, size, "%.*f", dec, v);
        if (n < 0 || (size_t)n >= size)
            return QTR_ERR_USAGE;
        if (strchr(buf, '.')) {
            char *end = buf + strlen(buf) - 1;
            while (*end == '0')
                *end-- = '\0';
            if (*end == '.')
                *end = '\0';
        }
        if (!strcmp(buf, "-0"))
            snprintf(buf, size, "0");
    } else {
        n = snprintf(buf, size, "%.15g", v);
        if (n < 0 || (size_t)n >= size)
            return QTR_ERR_USAGE;
    }
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
    return QTR_OK;
}

static GDALDatasetH open_gpkg(const char *gpkg, struct qtr_error *err)
{
    static const char *const drivers[] = {"GPKG", NULL};
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
    if (!ds)
        qtr_error_set(err, QTR_ERR_IO, "cannot open the GeoPackage '%s' for the annex (%s)", gpkg,
                      qtr_gdal_last_error());
    return ds;
}

struct docs {
    const char *table;
    const struct qtr_gpkg_column_doc *d;
    size_t n;
};

static const char *heading(const struct docs *dc, OGRFieldDefnH fd)
{
    const char *name = OGR_Fld_GetNameRef(fd);
    for (size_t i = 0; i < dc->n; i++)
        if (dc->d[i].alias && *dc->d[i].alias && !strcmp(dc->d[i].table, dc->table) &&
            !strcmp(dc->d[i].column, name))
            return dc->d[i].alias;
    const char *alt = OGR_Fld_GetAlternativeNameRef(fd);
    return alt && *alt ? alt : name;
}

static int csv_text(FILE *fp, const char *s)
{
    size_t n = strlen(s);
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (const char *p = s; *p && !quote; p++)
        quote = *p == ';' || *p == '"' || *p == '\r' || *p == '\n';
    if (!quote)
        return fputs(s, fp) < 0;
    if (fputc('"', fp) == EOF)
        return 1;
    for (const char *p = s; *p; p++) {
        if (*p == '"' && fputc('"', fp) == EOF)
            return 1;
        if (fputc(*p, fp) == EOF)
            return 1;
    }
    return fputc('"', fp) == EOF;
}

int qtr_annex_csv(const char *gpkg, const char *table, const struct qtr_gpkg_column_doc *docs,
                  size_t ndocs, const char *path, int *written, struct qtr_error *err)
{
    struct docs dc = {table, docs, ndocs};
    int rc = QTR_OK, bad = 0;
    FILE *fp = NULL;
    *written = 0;
    GDALDatasetH ds = open_gpkg(gpkg, err);
    if (!ds)
        return err->code;
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, table);
    if (!lyr)
        goto out;
    fp = fopen(path, "wb");
    if (!fp) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create '%s'", path);
        goto out;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int nf = OGR_FD_GetFieldCount(defn);
    bad |= fputs("\xEF\xBB\xBF", fp) < 0;
    for (int k = 0; k < nf; k++) {
        if (k)
            bad |= fputc(';', fp) == EOF;
        bad |= csv_text(fp, heading(&dc, OGR_FD_GetFieldDefn(defn, k)));
    }
    bad |= fputs("\r\n", fp) < 0;
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    while (!bad && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        for (int k = 0; k < nf; k++) {
            if (k)
                bad |= fputc(';', fp) == EOF;
            if (!OGR_F_IsFieldSetAndNotNull(f, k))
                continue;
            char num[64];
            switch (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, k))) {
            case OFTReal:
                if (qtr_annex_format_number(OGR_F_GetFieldAsDouble(f, k), num, sizeof num) == 0)
                    bad |= fputs(num, fp) < 0;
                break;
            case OFTInteger:
            case OFTInteger64:
                snprintf(num, sizeof num, "%lld", (long long)OGR_F_GetFieldAsInteger64(f, k));
                bad |= fputs(num, fp) < 0;
                break;
            default:
                bad |= csv_text(fp, OGR_F_GetFieldAsString(f, k));
            }
        }
        bad |= fputs("\r\n", fp) < 0;
        OGR_F_Destroy(f);
    }
    *written = 1;
out:
    if (fp && (fclose(fp) != 0 || bad) && !rc)
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed (disk full?)", path);
    GDALClose(ds);
    return rc;
}

/* The sheet of a GeoPackage table, named in the report's language (at most 31 characters,
 * as Excel allows); a table not listed keeps its name. */
static const char *sheet_name(const char *table, int en)
{
    static const struct {
        const char *table, *de, *en;
    } names[] = {
        {"districts", "Gebiete", "Districts"},
        {"city_indices", "Indizes der Stadt", "City indices"},
        {"change", "Veränderung", "Change"},
        {"goals", "Ziele", "Targets"},
        {"join_report", "Verknüpfungsbericht", "Join report"},
        {"multiscalar_profile", "Multiskalenprofil", "Multiscalar profile"},
        {"crosswalk", "Umschlüsselung", "Crosswalk"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(table, names[i].table))
            return en ? names[i].en : names[i].de;
    return table;
}

static int copy_table(GDALDatasetH out, OGRLayerH src, const struct docs *dc, const char *path,
                      int en, struct qtr_error *err)
{
    const char *name = sheet_name(OGR_L_GetName(src), en);
    OGRLayerH dst = GDALDatasetCreateLayer(out, name, NULL, wkbNone, NULL);
    if (!dst)
        return qtr_error_set(err, QTR_ERR_IO, "cannot add sheet '%s' to '%s' (%s)", name, path,
                             qtr_gdal_last_error());
    OGRFeatureDefnH sd = OGR_L_GetLayerDefn(src);
    int nf = OGR_FD_GetFieldCount(sd);
    for (int k = 0; k < nf; k++) {
        OGRFieldDefnH fs = OGR_FD_GetFieldDefn(sd, k);
        OGRFieldType t = OGR_Fld_GetType(fs);
        /* XLSX has no 64-bit integers: whole numbers stay exact as Real up to 2^53. */
        OGRFieldDefnH fd = OGR_Fld_Create(heading(dc, fs), t == OFTInteger64 ? OFTReal : t);
        if (t == OFTInteger && OGR_Fld_GetSubType(fs) == OFSTBoolean)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        OGRErr e = OGR_L_CreateField(dst, fd, 0);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return qtr_error_set(err, QTR_ERR_IO, "cannot add column '%s' to sheet '%s' (%s)",
                                 heading(dc, fs), name, qtr_gdal_last_error());
    }
    OGRFeatureDefnH dd = OGR_L_GetLayerDefn(dst);
    OGR_L_ResetReading(src);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(src)) != NULL) {
        OGRFeatureH g = OGR_F_Create(dd);
        for (int k = 0; k < nf; k++) {
            if (!OGR_F_IsFieldSetAndNotNull(f, k))
                continue;
            switch (OGR_Fld_GetType(OGR_FD_GetFieldDefn(sd, k))) {
            case OFTReal:
                OGR_F_SetFieldDouble(g, k, OGR_F_GetFieldAsDouble(f, k));
                break;
            case OFTInteger:
                OGR_F_SetFieldInteger(g, k, OGR_F_GetFieldAsInteger(f, k));
                break;
            case OFTInteger64:
                OGR_F_SetFieldDouble(g, k, (double)OGR_F_GetFieldAsInteger64(f, k));
                break;
            default:
                OGR_F_SetFieldString(g, k, OGR_F_GetFieldAsString(f, k));
            }
        }
        OGRErr e = OGR_L_CreateFeature(dst, g);
        OGR_F_Destroy(g);
        OGR_F_Destroy(f);
        if (e != OGRERR_NONE)
            return qtr_error_set(err, QTR_ERR_IO, "cannot write a row of sheet '%s' (%s)", name,
                                 qtr_gdal_last_error());
    }
    return QTR_OK;
}

int qtr_annex_xlsx(const char *gpkg, const char *const *tables, size_t n,
                   const struct qtr_gpkg_column_doc *docs, size_t ndocs, const char *path, int en,
                   struct qtr_error *err)
{
    GDALDriverH drv = GDALGetDriverByName("XLSX");
    if (!drv)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "GDAL has no XLSX driver");
    GDALDatasetH in = open_gpkg(gpkg, err);
    if (!in)
        return err->code;
    VSIUnlink(path);
    GDALDatasetH out = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!out) {
        GDALClose(in);
        return qtr_error_set(err, QTR_ERR_IO, "cannot create '%s' (%s)", path,
                             qtr_gdal_last_error());
    }
    int rc = QTR_OK;
    for (size_t t = 0; t < n && !rc; t++) {
        OGRLayerH src = GDALDatasetGetLayerByName(in, tables[t]);
        struct docs dc = {tables[t], docs, ndocs};
        if (src)
            rc = copy_table(out, src, &dc, path, en, err);
    }
    CPLErrorReset();
    GDALClose(out);
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc =
            qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed (%s)", path, qtr_gdal_last_error());
    GDALClose(in);
    return rc;
}
