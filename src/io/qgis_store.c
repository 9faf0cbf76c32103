/*
 * qgis_store.c - QGIS's GeoPackage project storage (qgis_project.h), as
 * src/providers/ogr/qgsgeopackageprojectstorage.cpp of QGIS does it: the table
 * qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB), content the
 * .qgz (a zip holding the .qgs, libzip) as lowercase hexadecimal text.
 */
#include "quartier/qgis_project.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "quartier/strutil.h"

/* .qgz: a zip with the .qgs (QgsProjectArchive takes the first *.qgs it finds). */
static int zip_qgs(const char *name, const char *qgs, time_t mtime, unsigned char **out,
                   size_t *outlen, struct qtr_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    int rc = QTR_OK;
    *out = NULL;
    if (!mem) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_error_strerror(&ze));
        goto done;
    }
    if (!(za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_error_strerror(&ze));
        goto done;
    }
    zip_source_keep(mem); /* the archive frees its reference on close; ours reads it back */
    char *entry = qtr_asprintf("%s.qgs", name);
    zip_source_t *fs = entry ? zip_source_buffer(za, qgs, strlen(qgs), 0) : NULL;
    zip_int64_t idx = fs ? zip_file_add(za, entry, fs, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    free(entry);
    if (idx < 0) {
        if (fs)
            zip_source_free(fs);
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_strerror(za));
        zip_discard(za);
        za = NULL;
        goto done;
    }
    zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
    if (zip_close(za) < 0) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_strerror(za));
        zip_discard(za);
        za = NULL;
        goto done;
    }
    za = NULL;
    zip_stat_t zs;
    if (zip_source_stat(mem, &zs) < 0 || zip_source_open(mem) < 0) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot read the zipped QGIS project back");
        goto done;
    }
    *out = malloc(zs.size + 1);
    if (!*out) {
        zip_source_close(mem);
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto done;
    }
    zip_int64_t got = zip_source_read(mem, *out, zs.size);
    zip_source_close(mem);
    if (got < 0 || (zip_uint64_t)got != zs.size) {
        free(*out);
        *out = NULL;
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot read the zipped QGIS project back");
        goto done;
    }
    *outlen = (size_t)zs.size;
done:
    if (mem)
        zip_source_free(mem);
    zip_error_fini(&ze);
    return rc;
}

/* Seconds since 1970 of "YYYY-MM-DDTHH:MM:SS" (UTC; days from the civil calendar, as
 * timegm, which C11 lacks); the current time when the text is no such date. */
static time_t parse_date(const char *iso)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &y, &m, &d, &hh, &mm, &ss) < 3 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return time(NULL);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)(days * 86400L + hh * 3600L + mm * 60L + ss);
}

static int open_db(const char *path, sqlite3 **db, struct qtr_error *err)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        int rc = qtr_error_set(err, QTR_ERR_IO, "cannot open GeoPackage '%s': %s", path,
                               *db ? sqlite3_errmsg(*db) : "out of memory");
        sqlite3_close(*db);
        *db = NULL;
        return rc;
    }
    sqlite3_busy_timeout(*db, 5000);
    return QTR_OK;
}

static int store_db(sqlite3 *db, const char *path, const char *name, const char *qgs,
                    const char *date, struct qtr_error *err)
{
    unsigned char *z = NULL;
    size_t zn = 0;
    time_t t = parse_date(date);
    int rc = zip_qgs(name, qgs, t, &z, &zn, err);
    if (rc)
        return rc;
    /* QGIS stores QByteArray::toHex(): lowercase hexadecimal text */
    char *hex = malloc(2 * zn + 1);
    if (!hex) {
        free(z);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < zn; i++) {
        hex[2 * i] = digits[z[i] >> 4];
        hex[2 * i + 1] = digits[z[i] & 15];
    }
    hex[2 * zn] = '\0';
    free(z);
    char when[32];
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    char *meta = qtr_asprintf("{\"last_modified_time\": \"%s\", \"last_modified_user\": "
                              "\"quartier\" }",
                              when);
    sqlite3_stmt *st = NULL;
    if (!meta)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    else if (sqlite3_exec(db,
                          "CREATE TABLE IF NOT EXISTS qgis_projects(name TEXT PRIMARY KEY, "
                          "metadata BLOB, content BLOB)",
                          NULL, NULL, NULL) != SQLITE_OK ||
             sqlite3_prepare_v2(db,
                                "INSERT OR REPLACE INTO qgis_projects (name, metadata, content) "
                                "VALUES (?1, ?2, ?3)",
                                -1, &st, NULL) != SQLITE_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s': cannot store the QGIS project: %s",
                           path, sqlite3_errmsg(db));
    if (!rc) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, meta, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hex, (int)(2 * zn), SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = qtr_error_set(err, QTR_ERR_IO,
                               "GeoPackage '%s': cannot store the QGIS project: %s", path,
                               sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    free(meta);
    free(hex);
    return rc;
}

int qtr_qgis_store(const char *path, const char *name, const char *qgs, const char *date,
                   struct qtr_error *err)
{
    sqlite3 *db = NULL;
    int rc = open_db(path, &db, err);
    if (!rc)
        rc = store_db(db, path, name, qgs, date, err);
    sqlite3_close(db);
    return rc;
}

static int unhex(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

int qtr_qgis_load(const char *path, const char *name, char **qgs, struct qtr_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *z = NULL;
    size_t zn = 0;
    zip_t *za = NULL;
    zip_source_t *src = NULL;
    int rc = open_db(path, &db, err);
    *qgs = NULL;
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(db, "SELECT content FROM qgis_projects WHERE name = ?1", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s' holds no QGIS project: %s", path,
                           sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s' has no QGIS project '%s'", path, name);
        goto out;
    }
    const char *hex = (const char *)sqlite3_column_text(st, 0);
    size_t hn = hex ? strlen(hex) : 0;
    if (!(z = malloc(hn / 2 + 1))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (zn = 0; zn < hn / 2; zn++) {
        int a = unhex(hex[2 * zn]), b = unhex(hex[2 * zn + 1]);
        if (a < 0 || b < 0) {
            rc = qtr_error_set(err, QTR_ERR_IO, "QGIS project '%s' in '%s' is not hexadecimal",
                               name, path);
            goto out;
        }
        z[zn] = (unsigned char)(a * 16 + b);
    }
    zip_error_t ze;
    zip_error_init(&ze);
    src = zip_source_buffer_create(z, zn, 0, &ze);
    za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!za) {
        rc = qtr_error_set(err, QTR_ERR_IO, "QGIS project '%s' in '%s' is not a zip", name, path);
        goto out;
    }
    src = NULL; /* the archive owns it now */
    zip_int64_t ne = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < ne && !*qgs; i++) {
        const char *en = zip_get_name(za, (zip_uint64_t)i, 0);
        size_t l = en ? strlen(en) : 0;
        zip_stat_t zs;
        if (l < 4 || strcmp(en + l - 4, ".qgs") || zip_stat_index(za, (zip_uint64_t)i, 0, &zs))
            continue;
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        char *buf = malloc(zs.size + 1);
        zip_int64_t got = zf && buf ? zip_fread(zf, buf, zs.size) : -1;
        if (zf)
            zip_fclose(zf);
        if (got < 0 || (zip_uint64_t)got != zs.size) {
            free(buf);
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot unzip QGIS project '%s' in '%s'", name,
                               path);
            goto out;
        }
        buf[zs.size] = '\0';
        *qgs = buf;
    }
    if (!*qgs)
        rc = qtr_error_set(err, QTR_ERR_IO, "QGIS project '%s' in '%s' holds no .qgs file", name,
                           path);
out:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    free(z);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
