/*
 * csv.h - statistics tables as German statistics offices export them.
 *
 * Detects the separator (';' ',' or tab), quotes, CRLF/LF/CR, UTF-8 with or
 * without BOM, UTF-16 with BOM, and Latin-1/Windows-1252 (converted to UTF-8).
 * Cells are kept as text; cell.h interprets them.
 */
#ifndef QUARTIER_CSV_H
#define QUARTIER_CSV_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/table.h"

enum qtr_encoding { QTR_ENC_AUTO = 0, QTR_ENC_UTF8, QTR_ENC_CP1252, QTR_ENC_UTF16LE, QTR_ENC_UTF16BE };

struct qtr_csv_options {
    char separator;            /* 0 = detect; else ';' ',' '\t' or any byte */
    enum qtr_encoding encoding; /* QTR_ENC_AUTO = detect */
    size_t header_row;         /* 1-based row holding the column names; 0 = 1 */
    size_t skip_after_header;  /* rows to skip after the header (units rows, ...) */
};

/** What the reader found, for the data-quality report. */
struct qtr_csv_info {
    char separator;
    enum qtr_encoding encoding;
    int had_bom;
    char decimal_mark;         /* guessed from the cells: '.' or ',' */
    size_t skipped_blank_rows;
};

/**
 * Parse CSV text held in memory (`len` bytes, need not be NUL-terminated).
 * `source` names it in messages. On success *out is a new table (caller frees
 * with qtr_table_free). Rows with fewer cells than the header are padded with
 * "", blank rows are skipped and counted; a row with more non-empty cells than
 * the header is an error naming the line. Duplicate or empty column names are
 * an error naming them.
 */
int qtr_csv_parse(const char *data, size_t len, const char *source,
                  const struct qtr_csv_options *opt, struct qtr_table **out,
                  struct qtr_csv_info *info, struct qtr_error *err);

/** Read and parse a CSV file (see qtr_csv_parse). */
int qtr_csv_read(const char *path, const struct qtr_csv_options *opt, struct qtr_table **out,
                 struct qtr_csv_info *info, struct qtr_error *err);

/**
 * Convert `len` bytes in `enc` to a new NUL-terminated UTF-8 string (caller
 * frees). With QTR_ENC_AUTO: BOM first, then valid UTF-8, else Windows-1252.
 * *detected (may be NULL) receives what was used.
 */
int qtr_to_utf8(const char *data, size_t len, enum qtr_encoding enc, char **out,
                enum qtr_encoding *detected, int *had_bom, struct qtr_error *err);

const char *qtr_encoding_name(enum qtr_encoding enc);

#endif
