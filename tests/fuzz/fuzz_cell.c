/*
 * fuzz_cell.c - libFuzzer harness for the cell parser (src/core/cell.c) on its own: the input
 * (NUL bytes cut) is one cell, read with decimal point and decimal comma.
 *
 * Properties: the kind is one of enum qtr_cell_kind; a VALUE is finite; a ZERO is 0; a blank
 * cell is MISSING; and padding with blanks does not change what a cell means.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/cell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct qtr_cell parse(const char *text, char mark)
{
    struct qtr_cell c = qtr_cell_parse(text, (struct qtr_number_format){mark});
    if (c.kind >= QTR_CELL_KIND_COUNT)
        abort();
    if (c.kind == QTR_CELL_VALUE && !isfinite(c.value))
        abort();
    if (c.kind == QTR_CELL_ZERO && c.value != 0.0)
        abort();
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 3);
    if (!text)
        return 0;
    text[0] = ' ';
    memcpy(text + 1, data, size);
    text[size + 1] = ' ';
    text[size + 2] = '\0';
    const char *bare = text + 1;
    text[size + 1] = '\0';
    for (int m = 0; m < 2; m++) {
        char mark = m ? ',' : '.';
        struct qtr_cell a = parse(bare, mark);
        if (strlen(bare) == 0 && a.kind != QTR_CELL_MISSING)
            abort();
        text[size + 1] = ' ';
        struct qtr_cell b = parse(text, mark); /* " cell " */
        text[size + 1] = '\0';
        /* cells are trimmed: only a cell that already ends in a blank-like byte sequence or
         * begins with one can differ (a cut UTF-8 blank); compare the rest */
        if (strlen(bare) == size && a.kind != b.kind && strlen(bare) > 0 &&
            (unsigned char)bare[0] < 0x80 && (unsigned char)bare[size - 1] < 0x80)
            abort();
        if (a.kind == b.kind && a.kind == QTR_CELL_VALUE && a.value != b.value &&
            (unsigned char)bare[0] < 0x80 && (unsigned char)bare[size - 1] < 0x80)
            abort();
    }
    free(text);
    return 0;
}
