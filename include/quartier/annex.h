/*
 * annex.h - the tables of the annex of a council report, as files a clerk
 * opens in Excel or LibreOffice without an import dialogue.
 *
 * Both functions read a finished GeoPackage (read-only, through OGR) so the
 * annex shows exactly what was published there: the same suppressed cells
 * (NULL -> empty). Headings are the aliases in docs[0..ndocs-1] (the rows
 * given to qtr_gpkg_add_column_docs; GDAL 3.6 does not read them back from
 * the file), the field name where there is none.
 * Geometry is left out. They write to the path they are given; temporary
 * names and the rename into place are the caller's business.
 */
#ifndef QUARTIER_ANNEX_H
#define QUARTIER_ANNEX_H

#include <stddef.h>

#include "quartier/error.h"
#include "quartier/gpkg_style.h"

/**
 * Write table `table` of the GeoPackage `gpkg` as CSV in German spreadsheet
 * conventions: UTF-8 with byte order mark (so Excel detects UTF-8), ';' as
 * separator, decimal comma, no thousands separators, CRLF line ends, RFC 4180
 * quoting ("..." with "" inside) of texts holding ';', '"', CR or LF or
 * leading/trailing blanks. NULL is an empty cell. Reals are written with up to 15
 * significant digits ("12,5", "0,3333333333333"). *written is 0 when the
 * GeoPackage has no such table (nothing is written), else 1. Errors:
 * QTR_ERR_IO (cannot open or write, names the file), QTR_ERR_NOMEM.
 */
int qtr_annex_csv(const char *gpkg, const char *table, const struct qtr_gpkg_column_doc *docs,
                  size_t ndocs, const char *path, int *written, struct qtr_error *err);

/**
 * Write the tables tables[0..n-1] of the GeoPackage `gpkg` that exist into
 * one XLSX workbook (OGR's XLSX driver), one sheet per table named in the
 * report's language (`en`: "Gebiete" / "Districts" for districts, ...), aliases as
 * headings, numbers as numbers. Errors: QTR_ERR_IO,
 * QTR_ERR_INTERNAL (GDAL without XLSX driver), QTR_ERR_NOMEM.
 */
int qtr_annex_xlsx(const char *gpkg, const char *const *tables, size_t n,
                   const struct qtr_gpkg_column_doc *docs, size_t ndocs, const char *path, int en,
                   struct qtr_error *err);

/**
 * Format v for a German CSV: up to 15 significant digits, decimal comma, no
 * thousands separator, no exponent for |v| in [1e-6, 1e15). Returns 0, or
 * QTR_ERR_USAGE when v is not finite or buf is too small.
 */
int qtr_annex_format_number(double v, char *buf, size_t size);

#endif
