/*
 * sheet.c - XLSX and ODS sheets through OGR, every cell as text.
 *
 * GDAL 3.8 added the open options HEADERS and FIELD_TYPES; GDAL 3.6 (Debian
 * 12) reads the configuration options OGR_XLSX_HEADERS / OGR_ODS_HEADERS and
 * OGR_XLSX_FIELD_TYPES / OGR_ODS_FIELD_TYPES instead, when a layer is first
 * read. Both are set: the config options thread-locally for the duration of
 * the read, restored afterwards.
 */
#include "quartier/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "quartier/strutil.h"

static const char *const config_keys[4] = {"OGR_XLSX_HEADERS", "OGR_XLSX_FIELD_TYPES",
                                           "OGR_ODS_HEADERS", "OGR_ODS_FIELD_TYPES"};
static const char *const config_vals[4] = {"DISABLE", "STRING", "DISABLE", "STRING"};

int qtr_sheet_is_workbook(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return (n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0) ||
           (n > 4 && strcasecmp(path + n - 4, ".ods") == 0);
}

struct rows {
    char ***cells; /* each row: ncols strings (NULL = empty) */
    size_t *width; /* cells in each row */
    size_t n, cap, ncols;
};

static void rows_release(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < r->width[i]; j++)
            free(r->cells[i][j]);
        free(r->cells[i]);
    }
    free(r->cells);
    free(r->width);
    memset(r, 0, sizeof *r);
}

static const char *cell_at(const struct rows *r, size_t i, size_t j)
{
    return j < r->width[i] && r->cells[i][j] ? r->cells[i][j] : "";
}

static int blank(const char *s)
{
    size_t n;
    qtr_trim_span(s, &n);
    return n == 0;
}

static int row_blank(const struct rows *r, size_t i)
{
    for (size_t j = 0; j < r->width[i]; j++)
        if (!blank(cell_at(r, i, j)))
            return 0;
    return 1;
}

/* Spreadsheet column letters for messages: 0 -> A, 26 -> AA. */
static void column_letters(size_t j, char *buf, size_t size)
{
    char tmp[16];
    size_t k = 0;
    j++;
    while (j > 0 && k < sizeof tmp) {
        j--;
        tmp[k++] = (char)('A' + j % 26);
        j /= 26;
    }
    size_t o = 0;
    while (k > 0 && o + 1 < size)
        buf[o++] = tmp[--k];
    buf[o] = '\0';
}

static int read_layer(OGRLayerH layer, const char *path, struct rows *r, struct qtr_error *err)
{
    OGRFeatureH f;
    OGR_L_ResetReading(layer);
    for (;;) {
        /* A damaged workbook (a cut-short zip, broken XML) makes the driver report a failure
         * and stop or go on with what it has: check after every row. */
        CPLErrorReset();
        f = OGR_L_GetNextFeature(layer);
        if (CPLGetLastErrorType() >= CE_Failure) {
            if (f)
                OGR_F_Destroy(f);
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "'%s': the file is damaged or incomplete: reading failed after "
                                 "row %zu (GDAL: %s); copy or export it again",
                                 path, r->n, CPLGetLastErrorMsg());
        }
        if (!f)
            break;
        int nf = OGR_F_GetFieldCount(f);
        size_t w = nf > 0 ? (size_t)nf : 0;
        if (r->n == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 128;
            char ***c = realloc(r->cells, cap * sizeof *c);
            if (c)
                r->cells = c;
            size_t *wd = realloc(r->width, cap * sizeof *wd);
            if (wd)
                r->width = wd;
            if (!c || !wd) {
                OGR_F_Destroy(f);
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
            }
            r->cap = cap;
        }
        char **row = calloc(w ? w : 1, sizeof *row);
        if (!row) {
            OGR_F_Destroy(f);
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
        }
        r->cells[r->n] = row;
        r->width[r->n] = w;
        r->n++;
        for (size_t j = 0; j < w; j++) {
            if (!OGR_F_IsFieldSetAndNotNull(f, (int)j))
                continue;
            row[j] = qtr_strdup(OGR_F_GetFieldAsString(f, (int)j));
            if (!row[j]) {
                OGR_F_Destroy(f);
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
            }
        }
        if (w > r->ncols)
            r->ncols = w;
        OGR_F_Destroy(f);
    }
    return QTR_OK;
}

static int build_table(const struct rows *r, const char *path, const char *sheet, size_t header_row,
                       size_t skip, struct qtr_table **out, struct qtr_sheet_info *inf,
                       struct qtr_error *err)
{
    size_t h = header_row - 1, first = header_row + skip, ncols = r->ncols;
    char **names = NULL;
    size_t *src = NULL; /* sheet column of each kept column */
    const char **row = NULL;
    struct qtr_table *t = NULL;
    size_t kept = 0;
    int rc = QTR_OK;
    char col[16];

    names = calloc(ncols ? ncols : 1, sizeof *names);
    src = calloc(ncols ? ncols : 1, sizeof *src);
    row = calloc(ncols ? ncols : 1, sizeof *row);
    if (!names || !src || !row) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
        goto out;
    }
    for (size_t j = 0; j < ncols; j++) {
        const char *name = cell_at(r, h, j);
        if (blank(name)) {
            int has_data = 0;
            for (size_t i = first; i < r->n && !has_data; i++)
                has_data = !blank(cell_at(r, i, j));
            if (!has_data) {
                inf->dropped_columns++;
                continue;
            }
            /* vertically merged header: Excel and LibreOffice keep the text in the top cell */
            for (size_t i = h; i-- > 0;) {
                if (!blank(cell_at(r, i, j))) {
                    name = cell_at(r, i, j);
                    break;
                }
            }
            if (blank(name)) {
                column_letters(j, col, sizeof col);
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "'%s', sheet '%s': column %s has no name in header row %zu "
                                   "but holds data; give it a name or choose another header row",
                                   path, sheet, col, header_row);
                goto out;
            }
        }
        names[kept] = qtr_strdup(name);
        if (!names[kept]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
            goto out;
        }
        qtr_trim_inplace(names[kept]);
        src[kept] = j;
        kept++;
    }
    for (size_t a = 0; a < kept; a++) {
        for (size_t b = a + 1; b < kept; b++) {
            if (strcmp(names[a], names[b]) == 0) {
                char cb[16];
                column_letters(src[a], col, sizeof col);
                column_letters(src[b], cb, sizeof cb);
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "'%s', sheet '%s': column name '%s' appears twice (columns %s "
                                   "and %s in header row %zu); column names must be unique",
                                   path, sheet, names[a], col, cb, header_row);
                goto out;
            }
        }
    }
    t = qtr_table_new(path, kept, (const char *const *)names);
    if (!t) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
        goto out;
    }
    for (size_t i = first; i < r->n; i++) {
        if (row_blank(r, i)) {
            inf->skipped_blank_rows++;
            continue;
        }
        for (size_t k = 0; k < kept; k++)
            row[k] = cell_at(r, i, src[k]);
        rc = qtr_table_append_row(t, row, i + 1, err);
        if (rc)
            goto out;
    }
    *out = t;
    t = NULL;
out:
    if (names)
        for (size_t k = 0; k < kept; k++)
            free(names[k]);
    free(names);
    free(src);
    free(row);
    qtr_table_free(t);
    return rc;
}

int qtr_sheet_read_ex(const char *path, const struct qtr_sheet_options *opt, struct qtr_table **out,
                      struct qtr_sheet_info *info, struct qtr_error *err)
{
    static const struct qtr_sheet_options defaults = {NULL, 1, 0};
    static const char *const drivers[] = {"XLSX", "ODS", NULL};
#if GDAL_VERSION_NUM >= GDAL_COMPUTE_VERSION(3, 8, 0)
    static const char *const open_options[] = {"HEADERS=DISABLE", "FIELD_TYPES=STRING", NULL};
#else
    static const char *const *const open_options = NULL;
#endif
    struct qtr_sheet_info inf = {0};
    char *saved[4] = {NULL, NULL, NULL, NULL};
    GDALDatasetH ds = NULL;
    struct rows rows = {0};
    struct qtr_buf list = {0};
    struct stat st;
    int rc = QTR_OK;

    *out = NULL;
    if (!opt)
        opt = &defaults;
    size_t header_row = opt->header_row ? opt->header_row : 1;
    inf.decimal_mark = '.';

    if (!path || stat(path, &st) != 0)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open '%s': no such file",
                             path ? path : "(null)");
    if (S_ISDIR(st.st_mode))
        return qtr_error_set(err, QTR_ERR_IO, "'%s' is a folder, not an XLSX or ODS workbook",
                             path);

    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    for (int k = 0; k < 4; k++) {
        const char *old = CPLGetThreadLocalConfigOption(config_keys[k], NULL);
        saved[k] = old ? qtr_strdup(old) : NULL;
        CPLSetThreadLocalConfigOption(config_keys[k], config_vals[k]);
    }

    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                    (const char *const *)open_options, NULL);
    if (!ds) {
        const char *msg = CPLGetLastErrorMsg();
        rc = qtr_error_set(err, QTR_ERR_IO, "'%s' cannot be read as an XLSX or ODS workbook%s%s",
                           path, msg && *msg ? ": " : "", msg ? msg : "");
        goto out;
    }
    snprintf(inf.driver, sizeof inf.driver, "%s", GDALGetDriverShortName(GDALGetDatasetDriver(ds)));

    int nlayers = GDALDatasetGetLayerCount(ds);
    OGRLayerH layer = NULL;
    if (opt->sheet) {
        layer = GDALDatasetGetLayerByName(ds, opt->sheet);
        if (!layer) {
            for (int k = 0; k < nlayers; k++) {
                OGRLayerH l = GDALDatasetGetLayer(ds, k);
                if (qtr_buf_printf(&list, "%s'%s'", k ? ", " : "", l ? OGR_L_GetName(l) : "?")) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
            }
            rc = qtr_error_set(err, QTR_ERR_DATA, "'%s' has no sheet '%s' (sheets: %s)", path,
                               opt->sheet, list.data ? list.data : "none");
            goto out;
        }
    } else {
        if (nlayers < 1) {
            rc = qtr_error_set(err, QTR_ERR_DATA, "'%s' has no sheets", path);
            goto out;
        }
        layer = GDALDatasetGetLayer(ds, 0);
    }
    snprintf(inf.sheet, sizeof inf.sheet, "%s", OGR_L_GetName(layer));

    CPLErrorReset();
    rc = read_layer(layer, path, &rows, err);
    if (rc)
        goto out;
    size_t last_nonblank = 0;
    for (size_t i = 0; i < rows.n; i++)
        if (!row_blank(&rows, i))
            last_nonblank = i + 1;
    if (header_row > last_nonblank) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "'%s', sheet '%s': header row %zu is beyond the data (the last "
                           "non-empty row is %zu)",
                           path, inf.sheet, header_row, last_nonblank);
        goto out;
    }
    if (row_blank(&rows, header_row - 1)) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "'%s', sheet '%s': header row %zu is empty; choose the row holding "
                           "the column names",
                           path, inf.sheet, header_row);
        goto out;
    }
    rc = build_table(&rows, path, inf.sheet, header_row, opt->skip_after_header, out, &inf, err);
    if (rc == QTR_OK && info)
        *info = inf;
out:
    if (ds)
        GDALClose(ds);
    for (int k = 0; k < 4; k++) {
        CPLSetThreadLocalConfigOption(config_keys[k], saved[k]);
        free(saved[k]);
    }
    CPLPopErrorHandler();
    rows_release(&rows);
    qtr_buf_release(&list);
    return rc;
}

int qtr_sheet_read(const char *path, const char *sheet, size_t header_row, struct qtr_table **out,
                   struct qtr_error *err)
{
    struct qtr_sheet_options opt = {sheet, header_row, 0};
    return qtr_sheet_read_ex(path, &opt, out, NULL, err);
}
