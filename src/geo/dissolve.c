/*
 * dissolve.c - union of connected same-label districts (see dissolve.h).
 */
#include "quartier/dissolve.h"

#include <geos_c.h>
#include <stdlib.h>
#include <string.h>

static uint32_t uf_find(uint32_t *parent, uint32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

void qtr_dissolved_free(struct GEOSContextHandle_HS *h, struct qtr_dissolved *d)
{
    if (!d)
        return;
    if (d->geoms)
        for (size_t a = 0; a < d->n; a++)
            if (d->geoms[a])
                GEOSGeom_destroy_r(h, d->geoms[a]);
    free(d->geoms);
    free(d->label);
    free(d->member_off);
    free(d->member);
    free(d);
}

int qtr_dissolve_adjacent(struct GEOSContextHandle_HS *h, const struct GEOSGeom_t *const *geoms,
                          size_t n, const struct qtr_csr *w, const int *label,
                          struct qtr_dissolved **out, struct qtr_error *err)
{
    uint32_t *parent = NULL, *area = NULL;
    GEOSGeometry **parts = NULL;
    struct qtr_dissolved *d = NULL;
    int rc = QTR_OK;
    *out = NULL;
    if (!w || w->n != n)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "weights have %zu rows but there are %zu districts to dissolve",
                             w ? w->n : 0, n);
    parent = malloc((n ? n : 1) * sizeof *parent);
    area = malloc((n ? n : 1) * sizeof *area);
    d = calloc(1, sizeof *d);
    if (!parent || !area || !d)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < n; i++) {
        if (label[i] < 0)
            continue;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            uint32_t j = w->col[e];
            if (j >= n || label[j] != label[i])
                continue;
            uint32_t a = uf_find(parent, (uint32_t)i), b = uf_find(parent, j);
            if (a < b)
                parent[b] = a;
            else if (b < a)
                parent[a] = b;
        }
    }
    /* number the areas by their lowest member (the root) */
    size_t na = 0, nm = 0;
    for (size_t i = 0; i < n; i++) {
        if (label[i] < 0) {
            area[i] = UINT32_MAX;
            continue;
        }
        nm++;
        uint32_t r = uf_find(parent, (uint32_t)i);
        area[i] = r == i ? (uint32_t)na++ : area[r];
    }
    d->geoms = calloc(na ? na : 1, sizeof *d->geoms);
    d->label = malloc((na ? na : 1) * sizeof *d->label);
    d->member_off = calloc(na + 1, sizeof *d->member_off);
    d->member = malloc((nm ? nm : 1) * sizeof *d->member);
    parts = malloc((nm ? nm : 1) * sizeof *parts);
    if (!d->geoms || !d->label || !d->member_off || !d->member || !parts)
        goto nomem;
    d->n = na;
    for (size_t i = 0; i < n; i++)
        if (area[i] != UINT32_MAX) {
            d->member_off[area[i] + 1]++;
            d->label[area[i]] = label[i];
        }
    for (size_t a = 0; a < na; a++)
        d->member_off[a + 1] += d->member_off[a];
    {
        size_t *fill = malloc((na ? na : 1) * sizeof *fill);
        if (!fill)
            goto nomem;
        memcpy(fill, d->member_off, na * sizeof *fill);
        for (size_t i = 0; i < n; i++) /* ascending i keeps members sorted */
            if (area[i] != UINT32_MAX)
                d->member[fill[area[i]]++] = (uint32_t)i;
        free(fill);
    }
    for (size_t a = 0; a < na; a++) {
        size_t k = 0;
        for (size_t m = d->member_off[a]; m < d->member_off[a + 1]; m++) {
            const GEOSGeometry *g = geoms[d->member[m]];
            if (!g || GEOSisEmpty_r(h, g) != 0)
                continue;
            parts[k] = GEOSGeom_clone_r(h, g);
            if (!parts[k]) {
                for (size_t q = 0; q < k; q++)
                    GEOSGeom_destroy_r(h, parts[q]);
                rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not copy district %u",
                                   d->member[m]);
                goto out;
            }
            k++;
        }
        GEOSGeometry *coll =
            GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k);
        if (!coll) {
            for (size_t q = 0; q < k; q++)
                GEOSGeom_destroy_r(h, parts[q]);
            rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                               "GEOS could not collect the area of "
                               "district %u",
                               d->member[d->member_off[a]]);
            goto out;
        }
        d->geoms[a] = GEOSUnaryUnion_r(h, coll);
        GEOSGeom_destroy_r(h, coll);
        if (!d->geoms[a]) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                               "GEOS could not merge the area of district %u (invalid "
                               "geometry? try repairing the boundary layer)",
                               d->member[d->member_off[a]]);
            goto out;
        }
    }
    *out = d;
    d = NULL;
    goto out;
nomem:
    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory dissolving %zu districts", n);
out:
    free(parent);
    free(area);
    free(parts);
    qtr_dissolved_free(h, d);
    return rc;
}
