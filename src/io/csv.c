/*
 * csv.c - statistics-office CSV: encoding, separator detection, RFC 4180
 * quoting, header row selection. Cells are kept as text (cell.h reads them).
 */
#include "quartier/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/cell.h"
#include "quartier/strutil.h"
#include "quartier/text.h"

/* Lines looked at for separator detection (RFC 4180 records, blank ones ignored). */
#define SNIFF_LINES 20

const char *qtr_encoding_name(enum qtr_encoding enc)
{
    switch (enc) {
    case QTR_ENC_AUTO:
        return "auto";
    case QTR_ENC_UTF8:
        return "UTF-8";
    case QTR_ENC_CP1252:
        return "Windows-1252";
    case QTR_ENC_UTF16LE:
        return "UTF-16LE";
    case QTR_ENC_UTF16BE:
        return "UTF-16BE";
    default:
        return "unknown";
    }
}

/*
 * UTF-16 without BOM: Excel never writes that, but a hand-made export might.
 * Text that is mostly ASCII has a NUL in every other byte.
 */
static enum qtr_encoding sniff_utf16(const unsigned char *p, size_t len)
{
    if (len < 4)
        return QTR_ENC_AUTO;
    size_t n = len < 4096 ? len - len % 2 : 4096;
    size_t zero_even = 0, zero_odd = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == 0 && i % 2)
            zero_odd++;
        else if (p[i] == 0)
            zero_even++;
    if (zero_odd > n / 4 && zero_even == 0)
        return QTR_ENC_UTF16LE;
    if (zero_even > n / 4 && zero_odd == 0)
        return QTR_ENC_UTF16BE;
    return QTR_ENC_AUTO;
}

static unsigned unit_at(const unsigned char *p, size_t i, enum qtr_encoding enc)
{
    if (enc == QTR_ENC_UTF16LE)
        return p[i] | (unsigned)p[i + 1] << 8;
    if (enc == QTR_ENC_UTF16BE)
        return (unsigned)p[i] << 8 | p[i + 1];
    return p[i];
}

/*
 * The first NUL character of text in encoding enc (a zero byte in UTF-8 and Windows-1252, a
 * zero code unit in UTF-16): 1 with its 1-based line (LF, CRLF or CR ends a line) and 0-based
 * byte offset, 0 when there is none. A NUL would end the converted C string early and
 * silently drop the rest of the table.
 */
static int find_nul(const char *s, size_t n, enum qtr_encoding enc, size_t *line, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t step = (enc == QTR_ENC_UTF16LE || enc == QTR_ENC_UTF16BE) ? 2 : 1;
    size_t ln = 1;
    for (size_t i = 0; i + step <= n; i += step) {
        unsigned c = unit_at(p, i, enc);
        if (c == 0) {
            *line = ln;
            *at = i;
            return 1;
        }
        if (c == '\n' || (c == '\r' && !(i + 2 * step <= n && unit_at(p, i + step, enc) == '\n')))
            ln++;
    }
    return 0;
}

int qtr_to_utf8(const char *data, size_t len, enum qtr_encoding enc, char **out,
                enum qtr_encoding *detected, int *had_bom, struct qtr_error *err)
{
    const unsigned char *p = (const unsigned char *)(data ? data : "");
    int bom = 0;
    *out = NULL;
    if (!data)
        len = 0;

    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF &&
        (enc == QTR_ENC_AUTO || enc == QTR_ENC_UTF8)) {
        enc = QTR_ENC_UTF8;
        bom = 3;
    } else if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE &&
               (enc == QTR_ENC_AUTO || enc == QTR_ENC_UTF16LE)) {
        enc = QTR_ENC_UTF16LE;
        bom = 2;
    } else if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF &&
               (enc == QTR_ENC_AUTO || enc == QTR_ENC_UTF16BE)) {
        enc = QTR_ENC_UTF16BE;
        bom = 2;
    }
    if (enc == QTR_ENC_AUTO)
        enc = sniff_utf16(p, len);
    if (enc == QTR_ENC_AUTO)
        enc = qtr_utf8_valid((const char *)p, len, NULL) ? QTR_ENC_UTF8 : QTR_ENC_CP1252;

    const char *body = (const char *)p + bom;
    size_t n = len - (size_t)bom;
    size_t nul_line, nul_byte;
    if (find_nul(body, n, enc, &nul_line, &nul_byte))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "line %zu holds a NUL byte (byte %zu of the file): the file is "
                             "damaged (a table never holds one), not a text file, or UTF-16 "
                             "without a byte order mark; copy or export it again",
                             nul_line, nul_byte + (size_t)bom + 1);
    switch (enc) {
    case QTR_ENC_UTF8: {
        size_t bad;
        if (!qtr_utf8_valid(body, n, &bad))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "the text is not valid UTF-8 (byte %zu); give the encoding "
                                 "(e.g. Windows-1252) explicitly",
                                 bad + (size_t)bom + 1);
        *out = qtr_strndup(body, n);
        break;
    }
    case QTR_ENC_CP1252:
        *out = qtr_cp1252_to_utf8(body, n);
        break;
    case QTR_ENC_UTF16LE:
    case QTR_ENC_UTF16BE:
        *out = qtr_utf16_to_utf8(body, n, enc == QTR_ENC_UTF16BE);
        break;
    default:
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown text encoding %d", (int)enc);
    }
    if (!*out)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory converting text to UTF-8");
    if (detected)
        *detected = enc;
    if (had_bom)
        *had_bom = bom > 0;
    return QTR_OK;
}

/* ---- records ------------------------------------------------------------ */

struct record {
    char **cells;
    size_t n;
    size_t line; /* physical line where the record starts, 1-based */
};

struct records {
    struct record *r;
    size_t n, cap;
};

static void records_release(struct records *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        for (size_t j = 0; j < rs->r[i].n; j++)
            free(rs->r[i].cells[j]);
        free(rs->r[i].cells);
    }
    free(rs->r);
    rs->r = NULL;
    rs->n = rs->cap = 0;
}

/* Cursor over UTF-8 text; `line` counts CR, LF and CRLF as one line end each. */
struct cursor {
    const char *s;
    size_t len, pos, line;
};

/* Length of the line end at pos (1 or 2), 0 when none. */
static size_t eol_at(const struct cursor *c, size_t pos)
{
    if (pos >= c->len)
        return 0;
    if (c->s[pos] == '\n')
        return 1;
    if (c->s[pos] == '\r')
        return pos + 1 < c->len && c->s[pos + 1] == '\n' ? 2 : 1;
    return 0;
}

/*
 * Read one RFC 4180 record at the cursor into *rec (cells malloc'ed). A quote
 * opens a quoted field only at the field's start; inside, "" is a quote and
 * separators and line ends are data. Text after a closing quote up to the
 * separator is appended (Excel writes `"a" ;` rarely, but it happens).
 */
static int read_record(struct cursor *c, char sep, const char *source, struct record *rec,
                       struct qtr_error *err)
{
    struct qtr_buf field = {0};
    char **cells = NULL;
    size_t n = 0, cap = 0;
    int rc = QTR_OK;
    rec->line = c->line;

    for (;;) {
        field.len = 0;
        if (qtr_buf_append(&field, "", 0)) {
            rc = QTR_ERR_NOMEM;
            goto out;
        }
        if (c->pos < c->len && c->s[c->pos] == '"') {
            size_t qline = c->line;
            c->pos++;
            for (;;) {
                if (c->pos >= c->len) {
                    rc = qtr_error_set(err, QTR_ERR_DATA,
                                       "'%s' line %zu: a quoted field is not closed (missing \")",
                                       source, qline);
                    goto out;
                }
                char ch = c->s[c->pos];
                if (ch == '"') {
                    if (c->pos + 1 < c->len && c->s[c->pos + 1] == '"') {
                        if (qtr_buf_append(&field, "\"", 1)) {
                            rc = QTR_ERR_NOMEM;
                            goto out;
                        }
                        c->pos += 2;
                        continue;
                    }
                    c->pos++;
                    break;
                }
                size_t e = eol_at(c, c->pos);
                if (e) {
                    /* a line end inside quotes is kept as LF */
                    if (qtr_buf_append(&field, "\n", 1)) {
                        rc = QTR_ERR_NOMEM;
                        goto out;
                    }
                    c->pos += e;
                    c->line++;
                    continue;
                }
                if (qtr_buf_append(&field, &ch, 1)) {
                    rc = QTR_ERR_NOMEM;
                    goto out;
                }
                c->pos++;
            }
        }
        size_t start = c->pos;
        while (c->pos < c->len && c->s[c->pos] != sep && !eol_at(c, c->pos))
            c->pos++;
        if (qtr_buf_append(&field, c->s + start, c->pos - start)) {
            rc = QTR_ERR_NOMEM;
            goto out;
        }
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            char **nc = realloc(cells, ncap * sizeof *nc);
            if (!nc) {
                rc = QTR_ERR_NOMEM;
                goto out;
            }
            cells = nc;
            cap = ncap;
        }
        cells[n] = qtr_strndup(field.data, field.len);
        if (!cells[n]) {
            rc = QTR_ERR_NOMEM;
            goto out;
        }
        n++;
        if (c->pos < c->len && c->s[c->pos] == sep) {
            c->pos++;
            continue;
        }
        size_t e = eol_at(c, c->pos);
        c->pos += e;
        if (e)
            c->line++;
        break;
    }
out:
    qtr_buf_release(&field);
    if (rc != QTR_OK) {
        if (rc == QTR_ERR_NOMEM)
            qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", source);
        for (size_t j = 0; j < n; j++)
            free(cells[j]);
        free(cells);
        return rc;
    }
    rec->cells = cells;
    rec->n = n;
    return QTR_OK;
}

static int read_all(const char *text, size_t len, char sep, const char *source, struct records *rs,
                    struct qtr_error *err)
{
    struct cursor c = {text, len, 0, 1};
    while (c.pos < c.len) {
        if (rs->n == rs->cap) {
            size_t ncap = rs->cap ? 2 * rs->cap : 64;
            struct record *nr = realloc(rs->r, ncap * sizeof *nr);
            if (!nr)
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", source);
            rs->r = nr;
            rs->cap = ncap;
        }
        int rc = read_record(&c, sep, source, &rs->r[rs->n], err);
        if (rc)
            return rc;
        rs->n++;
    }
    return QTR_OK;
}

static int is_blank_cell(const char *s)
{
    size_t n;
    qtr_trim_span(s, &n);
    return n == 0;
}

static int is_blank_record(const struct record *r)
{
    for (size_t j = 0; j < r->n; j++)
        if (!is_blank_cell(r->cells[j]))
            return 0;
    return 1;
}

/*
 * Count `sep` outside quotes in each of the first SNIFF_LINES non-blank
 * physical records from byte `from`, the same way read_record splits them.
 */
static size_t count_separators(const char *s, size_t len, size_t from, char sep, size_t *counts)
{
    size_t nlines = 0, pos = from;
    while (pos < len && nlines < SNIFF_LINES) {
        size_t count = 0, nonblank = 0;
        int inq = 0, field_start = 1;
        while (pos < len) {
            char ch = s[pos];
            if (inq) {
                if (ch == '"') {
                    if (pos + 1 < len && s[pos + 1] == '"')
                        pos++;
                    else
                        inq = 0;
                }
                pos++;
                nonblank = 1;
                continue;
            }
            if (ch == '\n' || ch == '\r') {
                pos += (ch == '\r' && pos + 1 < len && s[pos + 1] == '\n') ? 2 : 1;
                break;
            }
            if (ch == '"' && field_start)
                inq = 1;
            field_start = 0;
            if (ch == sep) {
                count++;
                field_start = 1;
            } else if (ch != ' ' && ch != '\t') {
                nonblank = 1;
            }
            pos++;
        }
        if (nonblank)
            counts[nlines++] = count;
    }
    return nlines;
}

/* Byte offset of the start of physical record `row` (1-based), quotes respected. */
static size_t offset_of_row(const char *s, size_t len, size_t row)
{
    size_t pos = 0, r = 1;
    int inq = 0;
    while (pos < len && r < row) {
        char ch = s[pos];
        if (ch == '"')
            inq = !inq; /* "" toggles twice: fine for finding record ends */
        else if (!inq && (ch == '\n' || ch == '\r')) {
            if (ch == '\r' && pos + 1 < len && s[pos + 1] == '\n')
                pos++;
            r++;
        }
        pos++;
    }
    return pos;
}

/*
 * Separator: among ';', tab, ',' (in that order of preference) the first
 * whose count outside quotes is the same, and > 0, on every sampled line.
 * When none is consistent (ragged title or footnote lines), the one whose most
 * common non-zero count occurs on most lines.
 */
static char detect_separator(const char *s, size_t len, size_t header_row)
{
    static const char cand[3] = {';', '\t', ','};
    size_t counts[SNIFF_LINES];
    size_t from = offset_of_row(s, len, header_row);

    for (int k = 0; k < 3; k++) {
        size_t n = count_separators(s, len, from, cand[k], counts);
        if (n == 0 || counts[0] == 0)
            continue;
        size_t i = 1;
        while (i < n && counts[i] == counts[0])
            i++;
        if (i == n)
            return cand[k];
    }
    char best = ';';
    size_t best_score = 0;
    for (int k = 0; k < 3; k++) {
        size_t n = count_separators(s, len, from, cand[k], counts);
        size_t score = 0;
        for (size_t i = 0; i < n; i++) {
            if (counts[i] == 0)
                continue;
            size_t same = 0;
            for (size_t j = 0; j < n; j++)
                same += counts[j] == counts[i];
            if (same > score)
                score = same;
        }
        if (score > best_score) {
            best_score = score;
            best = cand[k];
        }
    }
    return best;
}

static const char *sep_name(char sep)
{
    switch (sep) {
    case ';':
        return "';'";
    case ',':
        return "','";
    case '\t':
        return "tab";
    default:
        return "the separator";
    }
}

int qtr_csv_parse(const char *data, size_t len, const char *source,
                  const struct qtr_csv_options *opt, struct qtr_table **out,
                  struct qtr_csv_info *info, struct qtr_error *err)
{
    static const struct qtr_csv_options defaults = {0, QTR_ENC_AUTO, 1, 0};
    char *text = NULL;
    struct records rs = {0};
    char **names = NULL;
    const char **row = NULL;
    struct qtr_table *t = NULL;
    size_t nnames = 0;
    struct qtr_csv_info inf = {0};
    int rc;

    *out = NULL;
    if (!opt)
        opt = &defaults;
    if (!source)
        source = "(csv text)";
    size_t header_row = opt->header_row ? opt->header_row : 1;

    rc = qtr_to_utf8(data, len, opt->encoding, &text, &inf.encoding, &inf.had_bom, err);
    if (rc) {
        qtr_error_prefix(err, "'%s'", source);
        goto out;
    }
    size_t tlen = strlen(text);
    inf.separator = opt->separator ? opt->separator : detect_separator(text, tlen, header_row);

    rc = read_all(text, tlen, inf.separator, source, &rs, err);
    if (rc)
        goto out;
    if (rs.n < header_row) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "'%s' has %zu rows, so row %zu cannot be the header row", source, rs.n,
                           header_row);
        goto out;
    }
    const struct record *hdr = &rs.r[header_row - 1];
    if (is_blank_record(hdr)) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "'%s' line %zu: the header row (row %zu) is empty; set the header "
                           "row to the row holding the column names",
                           source, hdr->line, header_row);
        goto out;
    }
    size_t first = header_row + opt->skip_after_header; /* 0-based index of the first data row */

    /* Columns: the header's cells, minus trailing ones with an empty name and no data. */
    size_t ncols = hdr->n;
    while (ncols > 0 && is_blank_cell(hdr->cells[ncols - 1])) {
        int has_data = 0;
        for (size_t i = first; i < rs.n && !has_data; i++)
            has_data = rs.r[i].n >= ncols && !is_blank_cell(rs.r[i].cells[ncols - 1]);
        if (has_data)
            break;
        ncols--;
        inf.dropped_columns++;
    }

    names = calloc(ncols ? ncols : 1, sizeof *names);
    if (!names) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", source);
        goto out;
    }
    nnames = ncols;
    for (size_t j = 0; j < ncols; j++) {
        names[j] = qtr_strdup(hdr->cells[j]);
        if (!names[j]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", source);
            goto out;
        }
        qtr_trim_inplace(names[j]);
    }
    for (size_t j = 0; j < ncols; j++) {
        if (names[j][0] == '\0') {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "'%s' line %zu: column %zu has no name in the header row but "
                               "holds data; give it a name or choose another header row",
                               source, hdr->line, j + 1);
            goto out;
        }
    }
    for (size_t j = 0; j < ncols; j++) {
        for (size_t k = j + 1; k < ncols; k++) {
            if (strcmp(names[j], names[k]) == 0) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "'%s' line %zu: column name '%s' appears twice (columns %zu "
                                   "and %zu); column names must be unique",
                                   source, hdr->line, names[j], j + 1, k + 1);
                goto out;
            }
        }
    }

    t = qtr_table_new(source, ncols, (const char *const *)names);
    row = calloc(ncols ? ncols : 1, sizeof *row);
    if (!t || !row) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", source);
        goto out;
    }
    for (size_t i = first; i < rs.n; i++) {
        const struct record *r = &rs.r[i];
        if (is_blank_record(r)) {
            inf.skipped_blank_rows++;
            continue;
        }
        for (size_t j = ncols; j < r->n; j++) {
            if (!is_blank_cell(r->cells[j])) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "'%s' line %zu: %zu cells but the header has %zu columns "
                                   "(cell %zu is '%s'); is %s the right separator, or is a "
                                   "quote missing?",
                                   source, r->line, r->n, ncols, j + 1, r->cells[j],
                                   sep_name(inf.separator));
                goto out;
            }
        }
        for (size_t j = 0; j < ncols; j++)
            row[j] = j < r->n ? r->cells[j] : "";
        rc = qtr_table_append_row(t, row, r->line, err);
        if (rc)
            goto out;
    }

    {
        char fallback = inf.separator == ',' ? '.' : ',';
        inf.decimal_mark = qtr_guess_decimal_mark((const char *const *)t->cells,
                                                  (unsigned long)(t->nrows * t->ncols), fallback);
    }
    *out = t;
    t = NULL;
    if (info)
        *info = inf;
    rc = QTR_OK;
out:
    if (names)
        for (size_t j = 0; j < nnames; j++)
            free(names[j]);
    free(names);
    free(row);
    qtr_table_free(t);
    records_release(&rs);
    free(text);
    return rc;
}

int qtr_csv_read(const char *path, const struct qtr_csv_options *opt, struct qtr_table **out,
                 struct qtr_csv_info *info, struct qtr_error *err)
{
    FILE *f = NULL;
    struct qtr_buf data = {0};
    char chunk[65536];
    int rc = QTR_OK;

    *out = NULL;
    f = fopen(path, "rb");
    if (!f)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (qtr_buf_append(&data, chunk, n)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
            goto out;
        }
    }
    if (ferror(f)) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = qtr_csv_parse(data.data ? data.data : "", data.len, path, opt, out, info, err);
out:
    qtr_buf_release(&data);
    if (f)
        fclose(f);
    return rc;
}
