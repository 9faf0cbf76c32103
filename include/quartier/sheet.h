/*
 * sheet.h - statistics tables in spreadsheet workbooks (XLSX, ODS) via OGR.
 *
 * Every cell arrives as text (OGR field type detection and header detection
 * are switched off), so the table is the same kind of struct qtr_table the CSV
 * reader gives. Numeric cells come as OGR writes them: decimal POINT, no
 * thousands separators, full precision ("1675", "9.6999999999999993"), so
 * read them with struct qtr_number_format {'.'} (qtr_sheet_info.decimal_mark).
 * Cells typed as text in the workbook stay exactly as typed (".", "-", "x").
 */
#ifndef QUARTIER_SHEET_H
#define QUARTIER_SHEET_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/table.h"

struct qtr_sheet_options {
    const char *sheet;        /* sheet (layer) name; NULL = the first sheet */
    size_t header_row;        /* 1-based row holding the column names; 0 = 1 */
    size_t skip_after_header; /* rows to skip after the header (descriptions, units) */
};

/** What the reader found, for the data-quality report. */
struct qtr_sheet_info {
    char decimal_mark;         /* always '.': how numeric cells are written */
    size_t skipped_blank_rows; /* blank rows after the header, not in the table */
    size_t dropped_columns;    /* columns without a name and without data */
    char sheet[256];           /* the sheet that was read */
    char driver[16];           /* "XLSX" or "ODS" */
};

/**
 * Read one sheet of an XLSX or ODS workbook into a new table (caller frees
 * with qtr_table_free); table->line holds the 1-based sheet row of each row.
 *
 * Column names are the header row's cells, trimmed. A header cell that is
 * empty although its column holds data takes the nearest non-empty cell above
 * it in the same column: that is where Excel keeps the text of a vertically
 * merged header cell (Hamburg's "Stadtgebiet" spans rows 2-4 in column A).
 * When there is none, that is an error naming the column. Columns with no name
 * and no data are dropped; blank rows are skipped and counted; duplicate names
 * are an error naming them.
 *
 * Errors: QTR_ERR_IO when the file is missing or not a readable XLSX/ODS
 * workbook (GDAL's message included), QTR_ERR_DATA for an unknown sheet (the
 * message lists the sheets), a header row beyond the data, or bad names.
 * GDAL messages are captured, never printed. `info` may be NULL.
 */
int qtr_sheet_read_ex(const char *path, const struct qtr_sheet_options *opt, struct qtr_table **out,
                      struct qtr_sheet_info *info, struct qtr_error *err);

/** qtr_sheet_read_ex with only a sheet name (NULL = first) and header row (0 = 1). */
int qtr_sheet_read(const char *path, const char *sheet, size_t header_row, struct qtr_table **out,
                   struct qtr_error *err);

/** 1 when the file name ends in .xlsx or .ods (any case), the formats read here. */
int qtr_sheet_is_workbook(const char *path);

#endif
