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

enum qtr_encoding {
    QTR_ENC_AUTO = 0,
    QTR_ENC_UTF8,
    QTR_ENC_CP1252,
    QTR_ENC_UTF16LE,
    QTR_ENC_UTF16BE
};

struct qtr_csv_options {
    char separator;             /* 0 = detect; else ';' ',' '\t' or any byte */
    enum qtr_encoding encoding; /* QTR_ENC_AUTO = detect */
    size_t header_row;          /* 1-based row holding the column names; 0 = 1 */
    size_t skip_after_header;   /* rows to skip after the header (units rows, ...) */
};

/** What the reader found, for the data-quality report. */
struct qtr_csv_info {
    char separator;
    enum qtr_encoding encoding;
    int had_bom;
    char decimal_mark; /* guessed from the cells: '.' or ',' */
    size_t skipped_blank_rows;
    size_t dropped_columns; /* trailing columns with no name and no data */
};

/**
 * Parse CSV text held in memory (`len` bytes, need not be NUL-terminated).
 * `source` names it in messages. On success *out is a new table (caller frees
 * with qtr_table_free); `info` (may be NULL) says what was found. `opt` may be
 * NULL (detect everything, header on row 1).
 *
 * Rows are RFC 4180 records counted from 1, blank ones included, so
 * header_row is the row number a spreadsheet shows for a file without line
 * breaks inside quotes. table->line holds the physical line where each row
 * starts. Separator detection looks at up to 20 non-blank lines from the
 * header row on: the first of ';', tab, ',' found the same number of times
 * (> 0) outside quotes on each, else the one most lines agree on.
 *
 * Column names are trimmed; cells are kept exactly as written (padding
 * included; a line end inside quotes becomes LF). Trailing columns whose
 * header cell is empty and which hold no data (a trailing separator) are
 * dropped. Rows with fewer cells than the header are padded with "", blank
 * rows after the header are skipped and counted; a row with more non-empty
 * cells than the header is an error naming the line. Duplicate or empty
 * column names are an error naming them (QTR_ERR_DATA), as is an unclosed
 * quote (naming the line where it opened) or a header row beyond the end.
 * info->decimal_mark comes from qtr_guess_decimal_mark over all cells, with
 * fallback ',' for ';' and tab files and '.' for ',' files.
 */
int qtr_csv_parse(const char *data, size_t len, const char *source,
                  const struct qtr_csv_options *opt, struct qtr_table **out,
                  struct qtr_csv_info *info, struct qtr_error *err);

/** Read and parse a CSV file (see qtr_csv_parse); QTR_ERR_IO when it cannot be read. */
int qtr_csv_read(const char *path, const struct qtr_csv_options *opt, struct qtr_table **out,
                 struct qtr_csv_info *info, struct qtr_error *err);

/**
 * Convert `len` bytes in `enc` to a new NUL-terminated UTF-8 string (caller
 * frees); a BOM is removed. With QTR_ENC_AUTO: BOM first, then UTF-16 without
 * BOM (every other byte zero), then valid UTF-8, else Windows-1252.
 * *detected and *had_bom (both may be NULL) receive what was used.
 * QTR_ERR_DATA when QTR_ENC_UTF8 is asked for and the bytes are not valid
 * UTF-8, and for a NUL character in any encoding (naming its line).
 */
int qtr_to_utf8(const char *data, size_t len, enum qtr_encoding enc, char **out,
                enum qtr_encoding *detected, int *had_bom, struct qtr_error *err);

/** English name of an encoding ("UTF-8", "Windows-1252", ...); static string. */
const char *qtr_encoding_name(enum qtr_encoding enc);

#endif
