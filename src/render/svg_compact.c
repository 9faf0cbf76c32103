/*
 * svg_compact.c - making cairo's SVG smaller for inlining into report.html (svg_compact.h).
 *
 * Berlin's report (542 districts, 20 maps) was 9.5 MB of inline SVG before: half of it
 * absolute coordinates ("L 446.55 498.87 ") and a fifth the same style attribute on every
 * district's path.
 */
#include "svg_compact.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/error.h"

/*
 * Path coordinates in tenths of a point: the page (842 pt) is shown about 1000 pixels
 * wide, so a tenth is a tenth of a pixel, and 0.035 mm on paper, a tenth of the 0.35 pt
 * outline.
 */
#define PER_PT 10

/* Append n tenths as a short SVG number; *prev_dot: the previous one had a '.'. */
static int num(struct qtr_buf *b, long n, int *prev_dot, int first)
{
    char t[32], *p = t;
    unsigned long a = n < 0 ? (unsigned long)-n : (unsigned long)n;
    unsigned long ip = a / PER_PT, fp = a % PER_PT;
    if (n < 0)
        *p++ = '-';
    if (ip || !fp)
        p += snprintf(p, sizeof t - 2, "%lu", ip);
    int dot = 0;
    if (fp) {
        dot = 1;
        *p++ = '.';
        *p++ = (char)('0' + fp);
    }
    *p = '\0';
    /* a separator unless the number starts with '-', or with '.' after a number with '.' */
    if (!first && t[0] != '-' && !(t[0] == '.' && *prev_dot) && qtr_buf_puts(b, " "))
        return QTR_ERR_NOMEM;
    *prev_dot = dot;
    return qtr_buf_puts(b, t);
}

/* Parse one number at *p (skipping separators); 0 when there is none. */
static int parse(const char **p, double *v)
{
    const char *s = *p;
    while (*s == ' ' || *s == ',' || *s == '\n' || *s == '\t')
        s++;
    char *end;
    *v = strtod(s, &end);
    if (end == s)
        return 0;
    *p = end;
    return 1;
}

int qtr_svg_path_compact(struct qtr_buf *out, const char *d, size_t *used)
{
    const char *end = strchr(d, '"');
    if (!end)
        end = d + strlen(d);
    *used = (size_t)(end - d);
    const char *p = d;
    long cx = 0, cy = 0, sx = 0, sy = 0;
    char last = 0;
    int prev_dot = 0, started = 0;
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        char c = *p;
        int nargs = c == 'M' || c == 'L' ? 2 : c == 'C' ? 6 : c == 'Z' ? 0 : -1;
        if (nargs < 0) /* not cairo's: keep the rest as it is */
            return qtr_buf_append(out, p, (size_t)(end - p));
        p++;
        if (c == 'Z') {
            if (qtr_buf_puts(out, "z"))
                return QTR_ERR_NOMEM;
            cx = sx;
            cy = sy;
            last = 'z';
            prev_dot = 0;
            continue;
        }
        double v[6];
        for (int k = 0; k < nargs; k++)
            if (p > end || !parse(&p, &v[k]) || p > end)
                return QTR_ERR_DATA;
        if (c == 'M' && started) {
            const char *q = p;
            while (q < end && isspace((unsigned char)*q))
                q++;
            if (q >= end) /* a moveto at the end draws nothing */
                break;
        }
        long a[6];
        for (int k = 0; k < nargs; k++)
            a[k] = lround(v[k] * PER_PT);
        char cmd = !started && c == 'M' ? 'M' : (char)tolower((unsigned char)c);
        int first = 0;
        if (cmd != last || cmd == 'M' || cmd == 'm') {
            char s[2] = {cmd, 0};
            if (qtr_buf_puts(out, s))
                return QTR_ERR_NOMEM;
            first = 1;
        }
        for (int k = 0; k < nargs; k++) {
            long val = cmd == 'M' ? a[k] : a[k] - (k % 2 ? cy : cx);
            if (num(out, val, &prev_dot, first && k == 0))
                return QTR_ERR_NOMEM;
        }
        cx = a[nargs - 2];
        cy = a[nargs - 1];
        if (c == 'M') {
            sx = cx;
            sy = cy;
        }
        /* after a moveto, further pairs are linetos: keep the letter explicit instead */
        last = cmd == 'M' || cmd == 'm' ? 0 : cmd;
        started = 1;
    }
    return QTR_OK;
}

int qtr_svg_style_class(struct qtr_buf *out, struct qtr_svg_styles *st, const char *prefix,
                        const char *s, size_t len)
{
    /* numbers cut to 2 decimals, like the rest of the SVG */
    char *t = malloc(len + 1);
    if (!t)
        return QTR_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < len; i++) {
        t[m++] = s[i];
        if (s[i] == '.' && i && isdigit((unsigned char)s[i - 1]))
            for (size_t nd = 0; i + 1 < len && isdigit((unsigned char)s[i + 1]); i++)
                if (nd++ < 2)
                    t[m++] = s[i + 1];
    }
    t[m] = '\0';
    size_t k = 0;
    while (k < st->n && strcmp(st->text[k], t))
        k++;
    if (k < st->n) {
        free(t);
    } else {
        if (st->n == st->cap) {
            size_t cap = st->cap ? 2 * st->cap : 32;
            char **nt = realloc(st->text, cap * sizeof *nt);
            if (!nt) {
                free(t);
                return QTR_ERR_NOMEM;
            }
            st->text = nt;
            st->cap = cap;
        }
        st->text[st->n++] = t;
    }
    return qtr_buf_printf(out, " class=\"%ss%zu\"", prefix, k);
}

int qtr_svg_style_sheet(struct qtr_buf *out, const struct qtr_svg_styles *st, const char *prefix)
{
    if (!st->n)
        return QTR_OK;
    if (qtr_buf_puts(out, "<style>"))
        return QTR_ERR_NOMEM;
    for (size_t k = 0; k < st->n; k++)
        if (qtr_buf_printf(out, ".%ss%zu{%s}", prefix, k, st->text[k]))
            return QTR_ERR_NOMEM;
    return qtr_buf_puts(out, "</style>");
}

void qtr_svg_styles_release(struct qtr_svg_styles *st)
{
    for (size_t k = 0; k < st->n; k++)
        free(st->text[k]);
    free(st->text);
    st->text = NULL;
    st->n = st->cap = 0;
}
