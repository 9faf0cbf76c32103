/*
 * cell.h - what one statistics cell means, in German statistical conventions.
 *
 * Statistics offices write numbers with decimal comma and thousands separators
 * ("1.675", "1 675", "9,7"), pad cells with blanks, write negatives as "-  123",
 * and use the secrecy and footnote marks of the Zeichenerklärung (DESTATIS):
 *   "-" or "–"  nothing / exactly zero               -> QTR_CELL_ZERO
 *   "."         unknown or kept secret               -> QTR_CELL_SECRET
 *   "x"         not meaningful                       -> QTR_CELL_NOT_MEANINGFUL
 *   "/"         not reliable enough to show          -> QTR_CELL_UNRELIABLE
 *   "…" "..."   not yet available (later)            -> QTR_CELL_LATER
 *   "*"         small count suppressed               -> QTR_CELL_SUPPRESSED
 *   ""          empty                                -> QTR_CELL_MISSING
 * A number followed by a footnote mark is a value with `footnote` set, so the
 * report can count such cells: superscript digits ("123¹"), a blank and one
 * of p r s e (vorläufig, berichtigt, geschätzt, estimated: "1 675 p"), or
 * parentheses around it ("(123)": limited reliability). A mark with a
 * footnote (".¹") is that mark with `footnote` set.
 *
 * Each kind falls into one of four classes the reports count: a value, a true
 * zero, suppressed (secret, unreliable, suppressed small count: a real number
 * exists but is hidden) or missing (empty, not meaningful, later, not a number).
 */
#ifndef QUARTIER_CELL_H
#define QUARTIER_CELL_H

#include <stdint.h>

enum qtr_cell_kind {
    QTR_CELL_VALUE = 0,
    QTR_CELL_ZERO,
    QTR_CELL_MISSING,
    QTR_CELL_SECRET,
    QTR_CELL_NOT_MEANINGFUL,
    QTR_CELL_UNRELIABLE,
    QTR_CELL_LATER,
    QTR_CELL_SUPPRESSED,
    QTR_CELL_INVALID, /* text that is neither a number nor a known mark */
    QTR_CELL_KIND_COUNT
};

enum qtr_cell_class {
    QTR_CLASS_VALUE = 0,
    QTR_CLASS_ZERO,
    QTR_CLASS_SUPPRESSED,
    QTR_CLASS_MISSING,
    QTR_CLASS_COUNT
};

/** Decimal mark of a file: '.' or ','. The other of '.'/',' is then a thousands separator. */
struct qtr_number_format {
    char decimal_mark;
};

struct qtr_cell {
    double value; /* the number for VALUE, 0.0 for ZERO, NAN otherwise */
    enum qtr_cell_kind kind;
    int footnote; /* 1 when a footnote mark was attached to a number */
};

/**
 * Interpret one cell (UTF-8 text; NULL = empty). Never fails: text that is not
 * a number nor a mark gives QTR_CELL_INVALID. Leading/trailing blanks are
 * ignored. Thousands separators (the other of '.'/',' or a blank, one kind per
 * number) are accepted only in groups of three digits ("1.675", "1 675",
 * "12 345 678"); blanks include U+00A0 and U+202F. So "1.234" is 1234 with
 * decimal mark ',' and 1.234 with '.'; "1,5" with '.' is INVALID, "1,500" is
 * 1500. Signs: '-', '+', U+2212, optionally followed by blanks ("-  123").
 * Exponents ("1.5e3") only on numbers without thousands separators. A VALUE
 * is always finite (overflow gives INVALID); -0 is returned as 0.
 * fmt.decimal_mark other than '.' is taken as ','.
 */
struct qtr_cell qtr_cell_parse(const char *text, struct qtr_number_format fmt);

/** The reporting class of a kind. */
enum qtr_cell_class qtr_cell_class_of(enum qtr_cell_kind kind);

/** Short English name of a kind ("value", "secret (.)", ...). */
const char *qtr_cell_kind_name(enum qtr_cell_kind kind);
/** The same in German, for the German report ("geheim gehalten (.)"). */
const char *qtr_cell_kind_name_de(enum qtr_cell_kind kind);

/** Short English name of a class ("values", "true zeros", "suppressed", "missing"). */
const char *qtr_cell_class_name(enum qtr_cell_class cls);

/**
 * Guess the decimal mark of a column or file from sample cells: ',' when some
 * cell is a number only when read with decimal comma (e.g. "9,7", "1.234,5"),
 * '.' when some cell only reads with decimal point ("9.75", "1,234.5"), else
 * `fallback`.
 */
char qtr_guess_decimal_mark(const char *const *cells, unsigned long ncells, char fallback);

#endif
