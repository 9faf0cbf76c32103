/*
 * strutil.h - small string helpers (the banned functions' safe replacements).
 */
#ifndef QUARTIER_STRUTIL_H
#define QUARTIER_STRUTIL_H

#include <stdarg.h>
#include <stddef.h>

/** malloc'ed copy of s (NULL when s is NULL or out of memory). Caller frees. */
char *qtr_strdup(const char *s);

/** malloc'ed copy of the first n bytes of s, NUL-terminated. Caller frees. */
char *qtr_strndup(const char *s, size_t n);

/** malloc'ed formatted string. Caller frees; NULL when out of memory. */
char *qtr_asprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/**
 * Pointer to the first non-blank byte of s and the length up to the last
 * non-blank byte; blanks are ASCII space, tab, CR, LF and the UTF-8 no-break
 * spaces U+00A0 and U+202F.
 */
const char *qtr_trim_span(const char *s, size_t *len);

/** Trim s in place (same blanks as qtr_trim_span) and return it. */
char *qtr_trim_inplace(char *s);

/**
 * Normalise a path lexically in place: "a/./b" -> "a/b", "a/b/../c" -> "a/c",
 * repeated slashes folded. ".." at the start of a relative path is kept.
 */
char *qtr_path_normalize(char *path);

/** 1 when s starts with prefix. */
int qtr_starts_with(const char *s, const char *prefix);

/**
 * Growable string buffer. Initialise with {0}; qtr_buf_release frees.
 * Functions return 0 or QTR_ERR_NOMEM.
 */
struct qtr_buf {
    char *data;
    size_t len;
    size_t cap;
};
int qtr_buf_append(struct qtr_buf *b, const char *s, size_t n);
int qtr_buf_puts(struct qtr_buf *b, const char *s);
int qtr_buf_printf(struct qtr_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void qtr_buf_release(struct qtr_buf *b);

#endif
