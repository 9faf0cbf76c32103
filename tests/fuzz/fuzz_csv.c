/*
 * fuzz_csv.c - libFuzzer harness for the CSV reader (src/io/csv.c) and the cell parser
 * (src/core/cell.c) as they meet a statistics table: the input is a CSV file; its first byte
 * picks the reader options (separator, encoding, header row, rows to skip), so the fuzzer
 * explores them together with the text. Every cell of a table that parses is then read as a
 * number with both decimal marks and with the guessed one.
 *
 * Properties checked besides the sanitizers: a parsed table has at least one column, every
 * cell is a NUL-terminated string, and every VALUE cell is finite (cell.h promises it).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/cell.h"
#include "quartier/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cell(const char *text, char mark)
{
    struct qtr_cell c = qtr_cell_parse(text, (struct qtr_number_format){mark});
    if (c.kind >= QTR_CELL_KIND_COUNT)
        abort();
    if (c.kind == QTR_CELL_VALUE && !isfinite(c.value))
        abort();
    if (c.kind == QTR_CELL_ZERO && c.value != 0.0)
        abort();
    (void)qtr_cell_class_name(qtr_cell_class_of(c.kind));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    /* byte 0: bits 0-2 separator, 3-5 encoding, 6-7 header row / skip */
    static const char seps[] = {0, 0, 0, 0, ';', ',', '\t', '|'};
    static const enum qtr_encoding encs[] = {QTR_ENC_AUTO,   QTR_ENC_AUTO,    QTR_ENC_AUTO,
                                             QTR_ENC_AUTO,   QTR_ENC_UTF8,    QTR_ENC_CP1252,
                                             QTR_ENC_UTF16LE, QTR_ENC_UTF16BE};
    struct qtr_csv_options opt = {
        .separator = seps[data[0] & 7],
        .encoding = encs[(data[0] >> 3) & 7],
        .header_row = (data[0] >> 6) & 1 ? 3 : 0,
        .skip_after_header = (data[0] >> 7) & 1,
    };
    struct qtr_table *t = NULL;
    struct qtr_csv_info info;
    struct qtr_error err = {0};
    int rc = qtr_csv_parse((const char *)data + 1, size - 1, "fuzz.csv", &opt, &t, &info, &err);
    if (rc != 0) {
        if (t || !err.msg[0])
            abort(); /* an error leaves no table and always says why */
        return 0;
    }
    if (!t || t->ncols == 0)
        abort();
    for (size_t c = 0; c < t->ncols; c++)
        check_cell(t->names[c], '.');
    size_t ncells = t->nrows * t->ncols;
    for (size_t i = 0; i < ncells; i++) {
        const char *s = t->cells[i];
        if (!s)
            abort();
        check_cell(s, '.');
        check_cell(s, ',');
    }
    char mark = qtr_guess_decimal_mark((const char *const *)t->cells, (unsigned long)ncells,
                                       info.decimal_mark);
    if (mark != '.' && mark != ',')
        abort();
    for (size_t i = 0; i < ncells; i++)
        check_cell(t->cells[i], mark);
    qtr_table_free(t);
    return 0;
}
