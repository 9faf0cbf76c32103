/*
 * layer_subset.c - keep some features of a layer read by qtr_layer_read (one region of a
 * batch, docs/batch.md), as if the layer had held only those.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>

#include "quartier/layer.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int qtr_layer_keep(struct qtr_layer *l, const uint8_t *keep, struct qtr_error *err)
{
    GEOSContextHandle_t h = l->geos;
    size_t nc = l->attrs ? l->attrs->ncols : 0;
    size_t m = 0;
    double *a = malloc((l->n ? l->n : 1) * sizeof *a);
    size_t *newidx = malloc((l->n ? l->n : 1) * sizeof *newidx);
    if (!a || !newidx) {
        free(a);
        free(newidx);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0, k = 0; i < l->n; i++)
        newidx[i] = keep[i] ? k++ : (size_t)-1;
    for (size_t i = 0; i < l->n; i++) {
        if (!keep[i]) {
            free(l->key[i]);
            free(l->name[i]);
            if (l->geom[i] && h)
                GEOSGeom_destroy_r(h, l->geom[i]);
            continue;
        }
        l->key[m] = l->key[i];
        l->name[m] = l->name[i];
        l->geom[m] = l->geom[i];
        l->area[m] = l->area[i];
        l->cx[m] = l->cx[i];
        l->cy[m] = l->cy[i];
        if (nc && l->attr_num)
            memmove(l->attr_num + m * nc, l->attr_num + i * nc, nc * sizeof *l->attr_num);
        m++;
    }
    /* the attribute table keeps its rows in feature order: compact it the same way */
    if (l->attrs) {
        struct qtr_table *t = l->attrs;
        size_t r = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            if (!keep[i]) {
                for (size_t j = 0; j < nc; j++)
                    free(t->cells[i * nc + j]);
                continue;
            }
            if (r != i) {
                memmove(t->cells + r * nc, t->cells + i * nc, nc * sizeof *t->cells);
                if (t->line)
                    t->line[r] = t->line[i];
            }
            r++;
        }
        t->nrows = r;
    }
    /* repairs name features by index: renumber them, drop those of dropped features */
    size_t nr = 0;
    for (size_t r = 0; r < l->nrepairs; r++) {
        size_t f = l->repairs[r].feature;
        if (f < l->n && keep[f]) {
            l->repairs[nr] = l->repairs[r];
            l->repairs[nr++].feature = newidx[f];
        }
    }
    l->nrepairs = nr;
    free(newidx);
    l->n = m;
    /* slivers are judged against the median district of the layer as it now is (layer.c) */
    size_t na = 0;
    for (size_t i = 0; i < m; i++)
        if (l->geom[i] && isfinite(l->area[i]))
            a[na++] = l->area[i];
    double median = 0;
    if (na > 0) {
        qsort(a, na, sizeof *a, cmp_double);
        median = na % 2 ? a[na / 2] : 0.5 * (a[na / 2 - 1] + a[na / 2]);
    }
    free(a);
    for (size_t i = 0; l->sliver && i < m; i++)
        l->sliver[i] = l->geom[i] && (!isfinite(l->area[i]) || !(l->area[i] > 0) ||
                                      l->area[i] < QTR_SLIVER_SHARE * median);
    return QTR_OK;
}
