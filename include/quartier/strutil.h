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
 * The names among cand[0..ncand) closest to `name`, for "did you mean ...?"
 * messages (a column, key or section that does not exist).
 * Names are compared as qtr_name_key() (text.h) gives them: Unicode-normalised
 * (NFC = NFD, ä = ae), case-folded, leading/trailing blanks dropped, hyphens,
 * dots and underscores read as blanks. So "Arbeitslose 2019 ", "ARBEITSLOSE_2019"
 * and "Arbeitslose 2019" are at distance 0. The distance is the Levenshtein edit
 * distance between these keys, counted in code points. A candidate qualifies
 * when its distance is at most max(2, L / 3), L the length of the longer key;
 * NULL candidates and a name whose key is empty give no match.
 * idx (caller-allocated, `max` entries; 3 is a good number to offer) receives
 * the indices of up to `max` qualifying candidates, closest first, ties in
 * candidate order; *nfound receives how many.
 * Returns 0, or QTR_ERR_NOMEM (then *nfound is 0).
 */
int qtr_closest_names(const char *name, const char *const *cand, size_t ncand, size_t max,
                      size_t *idx, size_t *nfound);

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
