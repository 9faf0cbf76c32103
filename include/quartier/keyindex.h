/*
 * keyindex.h - a sorted index over an array of text keys: built once, then each look-up is a
 * binary search. Equal keys keep their input order, so a look-up finds the first of them; a
 * caller detects a repeated key by finding an index other than its own.
 *
 * Used where keys of two layouts or tables are matched (the join, the carry stage, `quartier
 * carry`).
 */
#ifndef QUARTIER_KEYINDEX_H
#define QUARTIER_KEYINDEX_H

#include <stddef.h>

/** One entry: a borrowed key and its index in the array the index was built over. */
struct qtr_keyidx {
    const char *k;
    size_t i;
};

/**
 * A sorted index of the n keys (byte order of strcmp, ties in input order). The entries
 * borrow the keys, which must outlive the index; the caller frees the result with free().
 * NULL when out of memory (never for n = 0: then an empty index).
 */
struct qtr_keyidx *qtr_keyidx_build(char *const *keys, size_t n);

/**
 * Sort n entries the caller filled (a subset of keys, e.g. without note rows, each with the
 * index the caller wants found) into the order qtr_keyidx_build gives.
 */
void qtr_keyidx_sort(struct qtr_keyidx *ix, size_t n);

/** The lowest input index holding key in the index ix of n entries, or -1 when none does. */
long qtr_keyidx_find(const struct qtr_keyidx *ix, size_t n, const char *key);

#endif
