/*
 * keyindex.c - a sorted index over text keys (keyindex.h).
 */
#include "quartier/keyindex.h"

#include <stdlib.h>
#include <string.h>

static int entry_cmp(const void *a, const void *b)
{
    const struct qtr_keyidx *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    /* qsort is not stable: the input index breaks ties, so the first of equal keys comes first */
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

void qtr_keyidx_sort(struct qtr_keyidx *ix, size_t n)
{
    qsort(ix, n, sizeof *ix, entry_cmp);
}

struct qtr_keyidx *qtr_keyidx_build(char *const *keys, size_t n)
{
    struct qtr_keyidx *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ix[i] = (struct qtr_keyidx){keys[i], i};
    qtr_keyidx_sort(ix, n);
    return ix;
}

long qtr_keyidx_find(const struct qtr_keyidx *ix, size_t n, const char *key)
{
    /* lower bound: the leftmost entry not less than key, i.e. the first of equal keys */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix[mid].k, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(ix[lo].k, key) ? (long)ix[lo].i : -1;
}
