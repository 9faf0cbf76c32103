/*
 * svg_compact.h - making cairo's SVG smaller for inlining into report.html
 * (src/render/svg_compact.c, used by doc.c): path data relative and short, and the
 * repeated style attributes as classes of one <style> element per map.
 */
#ifndef QTR_SVG_COMPACT_H
#define QTR_SVG_COMPACT_H

#include <stddef.h>

#include "quartier/strutil.h"

/*
 * Path data d[0..] up to the closing '"' (not included; *used receives the characters
 * read) rewritten: absolute M, L, C, Z (what cairo writes) become relative commands with
 * coordinates rounded to 1/10 (of a point on the page), the rounding done on the absolute
 * positions so that no error accumulates; repeated commands are implied, numbers lose
 * leading zeros and separators where SVG allows ("l.5-1.2"); a moveto at the end (cairo
 * ends closed paths with one) draws nothing and is dropped. Other commands (never
 * written by cairo) are copied as they are, and so is the rest of such a path.
 * Returns 0 or QTR_ERR_NOMEM.
 */
int qtr_svg_path_compact(struct qtr_buf *out, const char *d, size_t *used);

/* The distinct style attributes of one map, as classes prefix + "s" + number. */
struct qtr_svg_styles {
    char **text;
    size_t n, cap;
};

/*
 * The class for the style text s[0..len-1]: " class=\"<prefix>s<k>\"" is appended to out.
 * Returns 0 or QTR_ERR_NOMEM.
 */
int qtr_svg_style_class(struct qtr_buf *out, struct qtr_svg_styles *st, const char *prefix,
                        const char *s, size_t len);

/* The <style> element of the classes ("<style>.<prefix>s0{...}...</style>"). */
int qtr_svg_style_sheet(struct qtr_buf *out, const struct qtr_svg_styles *st,
                        const char *prefix);

void qtr_svg_styles_release(struct qtr_svg_styles *st);

#endif
