/*
 * svg_ids.c - a map's SVG file as cairo wrote it, finished: title and description inserted,
 * process-wide ids renumbered within the file (svg_ids.h).
 */
#include "svg_ids.h"

#include <stdlib.h>
#include <string.h>

#include "quartier/error.h"

/* the id kinds cairo 1.16 numbers with a surface's process-wide unique_id */
static const char *const kind[] = {"surface", "image"};
#define NKIND (sizeof kind / sizeof kind[0])

/* old numbers seen so far, per kind; the new number of old[k][i] is i + 1 */
struct ids {
    unsigned long *old[NKIND];
    size_t n[NKIND], cap[NKIND];
};

/* New number of `num` of kind k (given the next one when first seen); 0: no memory. */
static unsigned long renumber(struct ids *t, size_t k, unsigned long num)
{
    for (size_t i = 0; i < t->n[k]; i++)
        if (t->old[k][i] == num)
            return i + 1;
    if (t->n[k] == t->cap[k]) {
        size_t cap = t->cap[k] ? 2 * t->cap[k] : 8;
        unsigned long *o = realloc(t->old[k], cap * sizeof *o);
        if (!o)
            return 0;
        t->old[k] = o;
        t->cap[k] = cap;
    }
    t->old[k][t->n[k]++] = num;
    return t->n[k];
}

/* At p (before end): the length of an id reference to renumber ("id=\"" or "#", a kind,
 * digits), its kind in *k, the length of the part before the digits in *head and the
 * number in *num; 0 when there is none. */
static size_t id_at(const char *p, const char *end, size_t *k, size_t *head, unsigned long *num)
{
    size_t lead = *p == '#' ? 1 : (size_t)(end - p) >= 4 && !memcmp(p, "id=\"", 4) ? 4 : 0;
    if (!lead)
        return 0;
    for (size_t j = 0; j < NKIND; j++) {
        size_t kl = strlen(kind[j]);
        const char *d = p + lead + kl;
        if ((size_t)(end - p) <= lead + kl || memcmp(p + lead, kind[j], kl) || *d < '0' || *d > '9')
            continue;
        const char *e = d;
        unsigned long v = 0;
        while (e < end && *e >= '0' && *e <= '9' && v < 100000000UL)
            v = 10 * v + (unsigned long)(*e++ - '0');
        *k = j;
        *head = lead + kl;
        *num = v;
        return (size_t)(e - p);
    }
    return 0;
}

int qtr_svg_finish(struct qtr_buf *out, const char *svg, size_t len, const char *insert)
{
    struct ids t = {0};
    const char *p = svg, *end = svg + len, *copied = svg;
    int rc = QTR_OK, inserted = !insert;
    /* the start tag: text before it is copied as it is */
    const char *tag = NULL;
    for (const char *s = svg; !inserted && s + 4 <= end && !tag; s++)
        if (!memcmp(s, "<svg", 4))
            tag = s;
    while (p < end && !rc) {
        if (!inserted && tag && p > tag && *p == '>') {
            rc = qtr_buf_append(out, copied, (size_t)(p + 1 - copied)) || qtr_buf_puts(out, insert);
            copied = p + 1;
            inserted = 1;
            p++;
            continue;
        }
        size_t k, head, n;
        unsigned long num;
        if ((*p == '#' || *p == 'i') && (n = id_at(p, end, &k, &head, &num))) {
            unsigned long nn = renumber(&t, k, num);
            rc = !nn || qtr_buf_append(out, copied, (size_t)(p - copied)) ||
                 qtr_buf_append(out, p, head) || qtr_buf_printf(out, "%lu", nn);
            p += n;
            copied = p;
            continue;
        }
        p++;
    }
    if (!rc && p > copied)
        rc = qtr_buf_append(out, copied, (size_t)(p - copied));
    for (size_t j = 0; j < NKIND; j++)
        free(t.old[j]);
    return rc ? QTR_ERR_NOMEM : QTR_OK;
}
