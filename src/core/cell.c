/*
 * cell.c - one statistics cell in German statistical conventions.
 *
 * The marks follow the "Zeichenerklärung" of the statistical offices
 * (DESTATIS, Statistisches Jahrbuch; Statistikamt Nord uses the same set).
 * Numbers are accepted only in an unambiguous grammar:
 *
 *   cell    = [sign blanks*] body [exponent]
 *   body    = int [mark digits+] | mark digits+
 *   int     = digits{1,3} (sep digits{3})*  |  digits+
 *
 * with one kind of thousands separator per number (the other of '.'/','
 * or a blank). A group of other than three digits after a separator makes
 * the cell INVALID rather than a wrong number ("1,5" read with '.' as the
 * decimal mark is not 15).
 */
#include "quartier/cell.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/strutil.h"

/* Longest number text we convert; longer cells are not statistics values. */
#define NUM_MAX 128

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of a blank (ASCII space/tab, U+00A0, U+202F) at s[0..n), else 0. */
static size_t blank_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF)
        return 3;
    return 0;
}

/* Length of a blank ending at s[n-1], else 0. */
static size_t blank_before(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 1;
    if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0)
        return 2;
    if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 && s[n - 1] == 0xAF)
        return 3;
    return 0;
}

static int is_eol(unsigned char c)
{
    return c == '\r' || c == '\n';
}

static void trim(const unsigned char **s, size_t *n)
{
    size_t k;
    for (;;) {
        if (*n > 0 && is_eol((*s)[0]))
            k = 1;
        else if ((k = blank_at(*s, *n)) == 0)
            break;
        *s += k;
        *n -= k;
    }
    for (;;) {
        if (*n > 0 && is_eol((*s)[*n - 1]))
            k = 1;
        else if ((k = blank_before(*s, *n)) == 0)
            break;
        *n -= k;
    }
}

static int span_is(const unsigned char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* Length of a superscript digit ending at s[n-1] (¹²³ in Latin-1, ⁰⁴-⁹ in U+207x), else 0. */
static size_t superscript_before(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[n - 2] == 0xC2 && (s[n - 1] == 0xB9 || s[n - 1] == 0xB2 || s[n - 1] == 0xB3))
        return 2;
    if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x81 &&
        (s[n - 1] == 0xB0 || (s[n - 1] >= 0xB4 && s[n - 1] <= 0xB9)))
        return 3;
    return 0;
}

/*
 * Remove footnote marks: trailing superscript digits, a trailing blank +
 * p/r/s/e (vorläufig, berichtigt, geschätzt, estimated) and enclosing
 * parentheses (value of limited reliability). Returns 1 when any was removed.
 */
static int strip_footnotes(const unsigned char **s, size_t *n)
{
    int found = 0;
    for (;;) {
        size_t k;
        trim(s, n);
        if ((k = superscript_before(*s, *n)) > 0 && *n > k) {
            *n -= k;
            found = 1;
            continue;
        }
        if (*n >= 3) {
            unsigned char c = (*s)[*n - 1];
            if ((c == 'p' || c == 'r' || c == 's' || c == 'e') && blank_before(*s, *n - 1) > 0) {
                *n -= 1;
                found = 1;
                continue;
            }
        }
        if (*n >= 3 && (*s)[0] == '(' && (*s)[*n - 1] == ')') {
            *s += 1;
            *n -= 2;
            found = 1;
            continue;
        }
        return found;
    }
}

static enum qtr_cell_kind mark_kind(const unsigned char *s, size_t n)
{
    if (n == 0)
        return QTR_CELL_MISSING;
    if (span_is(s, n, "."))
        return QTR_CELL_SECRET;
    if (span_is(s, n, "-") || span_is(s, n, "\xE2\x80\x93") || span_is(s, n, "\xE2\x80\x94"))
        return QTR_CELL_ZERO;
    if (span_is(s, n, "x") || span_is(s, n, "X"))
        return QTR_CELL_NOT_MEANINGFUL;
    if (span_is(s, n, "/"))
        return QTR_CELL_UNRELIABLE;
    if (span_is(s, n, "...") || span_is(s, n, "\xE2\x80\xA6"))
        return QTR_CELL_LATER;
    if (span_is(s, n, "*"))
        return QTR_CELL_SUPPRESSED;
    return QTR_CELL_INVALID;
}

/*
 * Parse a number in s[0..n) with decimal mark `dec`. Writes the value and
 * returns 1, or returns 0 when the text is not a number in this format.
 */
static int parse_number(const unsigned char *s, size_t n, char dec, double *value)
{
    char buf[NUM_MAX];
    size_t b = 0, i = 0;
    char thou = dec == '.' ? ',' : '.';

    /* sign: '-', '+', U+2212 MINUS SIGN, then optional blanks ("-  123") */
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        if (s[i] == '-')
            buf[b++] = '-';
        i++;
    } else if (n - i >= 3 && s[i] == 0xE2 && s[i + 1] == 0x88 && s[i + 2] == 0x92) {
        buf[b++] = '-';
        i += 3;
    }
    if (b > 0 || i > 0) {
        size_t k;
        while (i < n && (k = blank_at(s + i, n - i)) > 0)
            i += k;
    }

    /* integer part with optional thousands groups of exactly three digits */
    size_t group = 0, ngroups = 0, int_digits = 0;
    int sep_kind = 0; /* 0 none yet, 1 = thou char, 2 = blank */
    while (i < n) {
        if (is_digit(s[i])) {
            if (b >= NUM_MAX - 16)
                return 0;
            buf[b++] = (char)s[i++];
            group++;
            int_digits++;
            continue;
        }
        size_t k = 0;
        int kind = 0;
        if (s[i] == (unsigned char)thou) {
            k = 1;
            kind = 1;
        } else if ((k = blank_at(s + i, n - i)) > 0) {
            kind = 2;
        }
        if (!kind)
            break;
        /* a separator must follow 1-3 digits (first group) or exactly 3, and precede 3 digits */
        if (group == 0 || (ngroups == 0 && group > 3) || (ngroups > 0 && group != 3))
            return 0;
        if (sep_kind && sep_kind != kind)
            return 0;
        if (n - (i + k) < 3 || !is_digit(s[i + k]) || !is_digit(s[i + k + 1]) ||
            !is_digit(s[i + k + 2]))
            return 0;
        sep_kind = kind;
        ngroups++;
        group = 0;
        i += k;
    }
    if (ngroups > 0 && group != 3)
        return 0;

    /* fraction */
    size_t frac_digits = 0;
    if (i < n && s[i] == (unsigned char)dec) {
        i++;
        buf[b++] = '.';
        while (i < n && is_digit(s[i])) {
            if (b >= NUM_MAX - 8)
                return 0;
            buf[b++] = (char)s[i++];
            frac_digits++;
        }
        if (frac_digits == 0)
            return 0;
    }
    if (int_digits == 0 && frac_digits == 0)
        return 0;

    /* exponent (only on numbers written without thousands groups) */
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        if (ngroups > 0)
            return 0;
        buf[b++] = 'e';
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            buf[b++] = (char)s[i++];
        size_t exp_digits = 0;
        while (i < n && is_digit(s[i])) {
            if (b >= NUM_MAX - 2 || exp_digits > 4)
                return 0;
            buf[b++] = (char)s[i++];
            exp_digits++;
        }
        if (exp_digits == 0)
            return 0;
    }
    if (i != n)
        return 0;
    buf[b] = '\0';

    /* strtod follows LC_NUMERIC; hand it the locale's decimal point. */
    const struct lconv *lc = localeconv();
    char lp = lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point[0] : '.';
    if (lp != '.') {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = lp;
    }
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end == buf || *end != '\0' || !isfinite(v))
        return 0;
    *value = v + 0.0; /* turns -0 into +0 */
    return 1;
}

struct qtr_cell qtr_cell_parse(const char *text, struct qtr_number_format fmt)
{
    struct qtr_cell c = {NAN, QTR_CELL_INVALID, 0};
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s);
    char dec = fmt.decimal_mark == '.' ? '.' : ',';

    trim(&s, &n);
    enum qtr_cell_kind k = mark_kind(s, n);
    if (k != QTR_CELL_INVALID) {
        c.kind = k;
        c.value = k == QTR_CELL_ZERO ? 0.0 : NAN;
        return c;
    }
    double v;
    if (parse_number(s, n, dec, &v)) {
        c.kind = QTR_CELL_VALUE;
        c.value = v;
        return c;
    }
    /* a number or a mark with footnote marks attached: "123¹", "1 675 p", "(123)", ".¹" */
    if (strip_footnotes(&s, &n)) {
        c.footnote = 1;
        k = mark_kind(s, n);
        if (k != QTR_CELL_INVALID && k != QTR_CELL_MISSING) {
            c.kind = k;
            c.value = k == QTR_CELL_ZERO ? 0.0 : NAN;
            return c;
        }
        if (parse_number(s, n, dec, &v)) {
            c.kind = QTR_CELL_VALUE;
            c.value = v;
            return c;
        }
        c.footnote = 0;
    }
    c.kind = QTR_CELL_INVALID;
    c.value = NAN;
    return c;
}

enum qtr_cell_class qtr_cell_class_of(enum qtr_cell_kind kind)
{
    switch (kind) {
    case QTR_CELL_VALUE:
        return QTR_CLASS_VALUE;
    case QTR_CELL_ZERO:
        return QTR_CLASS_ZERO;
    case QTR_CELL_SECRET:
    case QTR_CELL_UNRELIABLE:
    case QTR_CELL_SUPPRESSED:
        return QTR_CLASS_SUPPRESSED;
    case QTR_CELL_MISSING:
    case QTR_CELL_NOT_MEANINGFUL:
    case QTR_CELL_LATER:
    case QTR_CELL_INVALID:
    default:
        return QTR_CLASS_MISSING;
    }
}

const char *qtr_cell_kind_name(enum qtr_cell_kind kind)
{
    switch (kind) {
    case QTR_CELL_VALUE:
        return "value";
    case QTR_CELL_ZERO:
        return "true zero (-)";
    case QTR_CELL_MISSING:
        return "empty";
    case QTR_CELL_SECRET:
        return "secret (.)";
    case QTR_CELL_NOT_MEANINGFUL:
        return "not meaningful (x)";
    case QTR_CELL_UNRELIABLE:
        return "unreliable (/)";
    case QTR_CELL_LATER:
        return "not yet available (...)";
    case QTR_CELL_SUPPRESSED:
        return "suppressed small count (*)";
    case QTR_CELL_INVALID:
        return "not a number";
    default:
        return "unknown";
    }
}

const char *qtr_cell_kind_name_de(enum qtr_cell_kind kind)
{
    switch (kind) {
    case QTR_CELL_VALUE:
        return "ein Wert";
    case QTR_CELL_ZERO:
        return "eine echte Null (-)";
    case QTR_CELL_MISSING:
        return "leer";
    case QTR_CELL_SECRET:
        return "geheim gehalten (.)";
    case QTR_CELL_NOT_MEANINGFUL:
        return "nicht sinnvoll (x)";
    case QTR_CELL_UNRELIABLE:
        return "nicht sicher genug (/)";
    case QTR_CELL_LATER:
        return "noch nicht verfügbar (...)";
    case QTR_CELL_SUPPRESSED:
        return "eine unterdrückte kleine Zahl (*)";
    case QTR_CELL_INVALID:
        return "keine Zahl";
    default:
        return "unbekannt";
    }
}

const char *qtr_cell_class_name(enum qtr_cell_class cls)
{
    switch (cls) {
    case QTR_CLASS_VALUE:
        return "values";
    case QTR_CLASS_ZERO:
        return "true zeros";
    case QTR_CLASS_SUPPRESSED:
        return "suppressed";
    case QTR_CLASS_MISSING:
        return "missing";
    default:
        return "unknown";
    }
}

char qtr_guess_decimal_mark(const char *const *cells, unsigned long ncells, char fallback)
{
    const struct qtr_number_format comma = {','}, point = {'.'};
    unsigned long votes_comma = 0, votes_point = 0;
    for (unsigned long i = 0; i < ncells; i++) {
        if (!cells || !cells[i])
            continue;
        int c = qtr_cell_parse(cells[i], comma).kind == QTR_CELL_VALUE;
        int p = qtr_cell_parse(cells[i], point).kind == QTR_CELL_VALUE;
        if (c && !p)
            votes_comma++;
        else if (p && !c)
            votes_point++;
    }
    if (votes_comma > votes_point)
        return ',';
    if (votes_point > votes_comma)
        return '.';
    return fallback;
}
