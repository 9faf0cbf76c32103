/*
 * run_info.c - provenance rows in the GeoPackage: date, checksums, attributions
 * (moved from src/pipeline/publish_stage.c).
 */
#include "quartier/run_info.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quartier/sha256.h"
#include "quartier/strutil.h"

static int sha256_file(const char *path, char hex[65])
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return QTR_ERR_IO;
    struct qtr_sha256 s;
    unsigned char buf[65536], d[32];
    size_t n;
    qtr_sha256_init(&s);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        qtr_sha256_update(&s, buf, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return QTR_ERR_IO;
    qtr_sha256_final(&s, d);
    qtr_sha256_hex(d, hex);
    return QTR_OK;
}

struct rows {
    sqlite3 *db;
    sqlite3_stmt *ins;
    const char *path;
};

static int put_row(struct rows *r, const char *item, const char *value, struct qtr_error *err)
{
    sqlite3_reset(r->ins);
    if (sqlite3_bind_text(r->ins, 1, item, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(r->ins, 2, value ? value : "", -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_step(r->ins) != SQLITE_DONE)
        return qtr_error_set(err, QTR_ERR_IO, "cannot add to run_info in '%s': %s", r->path,
                             sqlite3_errmsg(r->db));
    return QTR_OK;
}

/* Checksum a file, and for a shapefile its side files (.shx, .dbf, .prj, .cpg). */
static int checksum_rows(struct rows *r, const char *what, const char *path, struct qtr_error *err)
{
    char hex[65], item[300];
    int rc;
    if (!path || qtr_starts_with(path, "PG:"))
        return QTR_OK;
    snprintf(item, sizeof item, "sha256_%s", what);
    if (sha256_file(path, hex) != QTR_OK)
        return put_row(r, item, "not readable as a file", err);
    char *v = qtr_asprintf("%s  %s", hex, path);
    if (!v)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    rc = put_row(r, item, v, err);
    free(v);
    size_t n = strlen(path);
    if (rc || n < 4 || strcasecmp(path + n - 4, ".shp") != 0)
        return rc;
    static const char *const side[] = {".shx", ".dbf", ".prj", ".cpg"};
    for (size_t k = 0; k < 4 && !rc; k++) {
        char *p = qtr_asprintf("%.*s%s", (int)(n - 4), path, side[k]);
        if (!p)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        if (sha256_file(p, hex) == QTR_OK) {
            snprintf(item, sizeof item, "sha256_%s%s", what, side[k]);
            char *val = qtr_asprintf("%s  %s", hex, p);
            rc = val ? put_row(r, item, val, err) : qtr_error_set(err, QTR_ERR_NOMEM, "oom");
            free(val);
        }
        free(p);
    }
    return rc;
}

int qtr_run_info_write(const char *gpkg, const struct qtr_config *cfg,
                       const struct qtr_disclosure *disclosure, const char *date, int fixed,
                       struct qtr_error *err)
{
    struct rows r = {NULL, NULL, gpkg};
    int rc = QTR_OK;
    if (sqlite3_open_v2(gpkg, &r.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot open '%s': %s", gpkg,
                           r.db ? sqlite3_errmsg(r.db) : "out of memory");
        goto out;
    }
    if (sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r.db, "INSERT INTO run_info (item, value) VALUES (?1, ?2)", -1, &r.ins,
                           NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot add to run_info in '%s': %s", gpkg,
                           sqlite3_errmsg(r.db));
        goto out;
    }
    char buf[200];
    if ((rc = put_row(&r, "date", date, err)) ||
        (rc = put_row(&r, "date_source", fixed ? "SOURCE_DATE_EPOCH" : "system clock", err)) ||
        (rc = put_row(&r, "language", cfg->language ? cfg->language : "de", err)))
        goto out;
    snprintf(buf, sizeof buf,
             "min_count %g: %zu counts and %zu values computed from them suppressed, in %zu "
             "columns",
             cfg->min_count, disclosure->counts, disclosure->derived, disclosure->columns);
    if ((rc = put_row(&r, "disclosure_control", buf, err)) ||
        (rc = checksum_rows(&r, "analysis_file", cfg->path, err)) ||
        (rc = checksum_rows(&r, "boundaries", cfg->bnd_source, err)) ||
        (rc = put_row(&r, "attribution_boundaries",
                      cfg->bnd_attribution ? cfg->bnd_attribution : "not given", err)))
        goto out;
    for (size_t t = 0; t < cfg->ntables && !rc; t++) {
        char what[200];
        snprintf(what, sizeof what, "table_%s", cfg->tables[t].id);
        rc = checksum_rows(&r, what, cfg->tables[t].source, err);
        snprintf(what, sizeof what, "attribution_table_%s", cfg->tables[t].id);
        if (!rc)
            rc =
                put_row(&r, what,
                        cfg->tables[t].attribution ? cfg->tables[t].attribution : "not given", err);
    }
    if (!rc && sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write run_info in '%s': %s", gpkg,
                           sqlite3_errmsg(r.db));
out:
    sqlite3_finalize(r.ins);
    if (r.db && rc)
        sqlite3_exec(r.db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(r.db);
    return rc;
}
