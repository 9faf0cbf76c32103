#include "quartier/strutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/error.h"
#include "quartier/text.h"

char *qtr_strdup(const char *s)
{
    if (!s)
        return NULL;
    return qtr_strndup(s, strlen(s));
}

char *qtr_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *qtr_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Length of the blank at s (0 when s does not start with one). */
static size_t blank_len(const unsigned char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 no-break space */
        return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) /* U+202F narrow no-break space */
        return 3;
    return 0;
}

/* Length of a blank that ends at s + n (0 when none). */
static size_t blank_len_back(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        return 1;
    if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0)
        return 2;
    if (n >= 3 && s[n - 3] == 0xE2 && s[n - 2] == 0x80 && s[n - 1] == 0xAF)
        return 3;
    return 0;
}

const char *qtr_trim_span(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t k;
    while ((k = blank_len(p)) > 0)
        p += k;
    size_t n = strlen((const char *)p);
    while (n > 0 && (k = blank_len_back(p, n)) > 0)
        n -= k;
    *len = n;
    return (const char *)p;
}

char *qtr_trim_inplace(char *s)
{
    if (!s)
        return s;
    size_t n;
    const char *p = qtr_trim_span(s, &n);
    memmove(s, p, n);
    s[n] = '\0';
    return s;
}

int qtr_starts_with(const char *s, const char *prefix)
{
    return s && prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

int qtr_buf_append(struct qtr_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return QTR_ERR_NOMEM;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int qtr_buf_puts(struct qtr_buf *b, const char *s)
{
    return qtr_buf_append(b, s, strlen(s));
}

int qtr_buf_printf(struct qtr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return QTR_ERR_INTERNAL;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return QTR_ERR_NOMEM;
        b->data = d;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void qtr_buf_release(struct qtr_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *qtr_path_normalize(char *path)
{
    if (!path || !*path)
        return path;
    int absolute = path[0] == '/';
    size_t n = strlen(path);
    /* Segments are copied in place; `kept` counts the segments that a ".." may remove. */
    char *out = path + absolute;
    const char *p = path + absolute;
    size_t len = 0, kept = 0;
    while (p < path + n) {
        const char *slash = strchr(p, '/');
        size_t seg = slash ? (size_t)(slash - p) : strlen(p);
        if (seg == 0 || (seg == 1 && p[0] == '.')) {
            /* skip */
        } else if (seg == 2 && p[0] == '.' && p[1] == '.') {
            if (kept > 0) {
                while (len > 0 && out[len - 1] != '/')
                    len--;
                if (len > 0)
                    len--; /* the slash before the removed segment */
                kept--;
            } else if (!absolute) {
                if (len > 0)
                    out[len++] = '/';
                memmove(out + len, "..", 2);
                len += 2;
            }
        } else {
            if (len > 0)
                out[len++] = '/';
            memmove(out + len, p, seg);
            len += seg;
            kept++;
        }
        p += seg + (slash ? 1 : 0);
        if (!slash)
            break;
    }
    out[len] = '\0';
    if (!absolute && len == 0) {
        path[0] = '.';
        path[1] = '\0';
    }
    return path;
}

/* Code points of the UTF-8 text s (a byte that does not start a well-formed
 * sequence counts as one code point of its own); malloc'ed, length in *n. */
static uint32_t *code_points(const char *s, size_t *n)
{
    size_t len = strlen(s);
    uint32_t *cp = malloc((len ? len : 1) * sizeof *cp);
    if (!cp)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        size_t need = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : p[i] >= 0xC0 ? 2 : 1;
        uint32_t v = p[i];
        if (need > 1 && i + need <= len) {
            v = p[i] & (0x3F >> (need - 1));
            for (size_t j = 1; j < need; j++) {
                if ((p[i + j] & 0xC0) != 0x80) {
                    need = 1;
                    v = p[i];
                    break;
                }
                v = (v << 6) | (p[i + j] & 0x3F);
            }
        } else {
            need = 1;
        }
        cp[k++] = v;
        i += need;
    }
    *n = k;
    return cp;
}

/* Levenshtein distance between a[0..na) and b[0..nb), or limit + 1 as soon as
 * it is known to exceed limit. row: nb + 1 scratch entries. */
static size_t edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                            size_t limit, size_t *row)
{
    if ((na > nb ? na - nb : nb - na) > limit)
        return limit + 1;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0], best;
        row[0] = i;
        best = row[0];
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t d = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < d)
                d = up + 1;
            if (row[j - 1] + 1 < d)
                d = row[j - 1] + 1;
            row[j] = d;
            diag = up;
            if (d < best)
                best = d;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[nb];
}

int qtr_closest_names(const char *name, const char *const *cand, size_t ncand, size_t max,
                      size_t *idx, size_t *nfound)
{
    int rc = 0;
    char *key = NULL, *ckey = NULL;
    uint32_t *q = NULL, *c = NULL;
    size_t *row = NULL, *dist = NULL;
    size_t nq = 0, found = 0;
    *nfound = 0;
    if (!name || max == 0)
        return 0;
    key = qtr_name_key(name);
    dist = malloc(max * sizeof *dist);
    if (!key || !dist)
        goto nomem;
    q = code_points(key, &nq);
    if (!q)
        goto nomem;
    if (nq == 0)
        goto out;
    for (size_t k = 0; k < ncand; k++) {
        if (!cand[k])
            continue;
        size_t nc = 0;
        free(ckey);
        free(c);
        c = NULL;
        ckey = qtr_name_key(cand[k]);
        if (!ckey || !(c = code_points(ckey, &nc)))
            goto nomem;
        size_t longer = nq > nc ? nq : nc;
        size_t limit = longer / 3 > 2 ? longer / 3 : 2;
        size_t *r = realloc(row, (nc + 1) * sizeof *row);
        if (!r)
            goto nomem;
        row = r;
        size_t d = edit_distance(q, nq, c, nc, limit, row);
        if (d > limit)
            continue;
        /* insert in order of distance; an equal distance goes after the earlier candidates */
        size_t at = found;
        while (at > 0 && dist[at - 1] > d)
            at--;
        if (at >= max)
            continue;
        size_t last = found < max ? found : max - 1;
        for (size_t m = last; m > at; m--) {
            dist[m] = dist[m - 1];
            idx[m] = idx[m - 1];
        }
        dist[at] = d;
        idx[at] = k;
        if (found < max)
            found++;
    }
    goto out;
nomem:
    rc = QTR_ERR_NOMEM;
    found = 0;
out:
    free(key);
    free(ckey);
    free(q);
    free(c);
    free(row);
    free(dist);
    *nfound = found;
    return rc;
}
