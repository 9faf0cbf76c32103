/*
 * layer_merge.c - several features of the boundaries made into one district before the join
 * ([boundaries] merge): for a statistics table whose row covers two districts together
 * (Hamburg's "Moorburg und Altenwerder"), so that the row has one district to join to.
 *
 * The merged district takes the place of its first member (the lowest feature index), so the
 * order of the other features is kept; its geometry is the GEOS union of the members', its
 * key the members' keys joined by '+', its attributes those the members agree on (a value
 * they differ in is left empty and named).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>

#include "quartier/layer.h"
#include "quartier/strutil.h"
#include "quartier/text.h"

/* The features a member names: every feature with that key (a district stored as several
 * features), else the one feature with that name (compared as qtr_name_key). Appends their
 * indices to ix[*k..]; an error names the member and the closest names. */
static int resolve(const struct qtr_layer *l, const char *member, const char *where, size_t *ix,
                   size_t *k, struct qtr_error *err)
{
    size_t hit = SIZE_MAX, nhit = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->key[i], member))
            ix[(*k)++] = i, nhit++;
    if (nhit)
        return QTR_OK;
    char *want = qtr_name_key(member);
    if (!want)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < l->n; i++) {
        char *key = l->name[i][0] ? qtr_name_key(l->name[i]) : NULL;
        if (key && !strcmp(key, want) && !nhit++)
            hit = i;
        free(key);
    }
    free(want);
    if (nhit == 1) {
        ix[(*k)++] = hit;
        return QTR_OK;
    }
    if (nhit > 1)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: merge: the name '%s' stands on %zu features of the boundaries "
                             "(the first has key '%s'); name the features by their keys",
                             where, member, nhit, l->key[hit]);
    size_t idx[3], nf = 0;
    char hint[400] = "";
    if (qtr_closest_names(member, (const char *const *)l->name, l->n, 3, idx, &nf) == QTR_OK &&
        nf > 0) {
        size_t used = (size_t)snprintf(hint, sizeof hint, "; closest names:");
        for (size_t j = 0; j < nf && used < sizeof hint; j++)
            used += (size_t)snprintf(hint + used, sizeof hint - used, "%s '%s' (key %s)",
                                     j ? "," : "", l->name[idx[j]], l->key[idx[j]]);
    }
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "%s: merge: no feature of the boundaries has the key or name '%s'%s",
                         where, member, hint);
}

/* GEOS union of the members' geometries (NULL ones add nothing); *out NULL when none. */
static int union_of(GEOSContextHandle_t h, const struct qtr_layer *l, const size_t *idx, size_t k,
                    GEOSGeometry **out, struct qtr_error *err)
{
    GEOSGeometry **parts = malloc(k * sizeof *parts);
    if (!parts)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    size_t np = 0;
    for (size_t j = 0; j < k; j++) {
        const GEOSGeometry *g = (const GEOSGeometry *)l->geom[idx[j]];
        if (!g)
            continue;
        if (!(parts[np] = GEOSGeom_clone_r(h, g))) {
            for (size_t q = 0; q < np; q++)
                GEOSGeom_destroy_r(h, parts[q]);
            free(parts);
            return qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not copy district '%s'",
                                 l->key[idx[j]]);
        }
        np++;
    }
    *out = NULL;
    if (np == 0) {
        free(parts);
        return QTR_OK;
    }
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)np);
    free(parts);
    if (!coll)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "GEOS could not collect district '%s'",
                             l->key[idx[0]]);
    *out = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    if (!*out)
        return qtr_error_set(err, QTR_ERR_INTERNAL,
                             "GEOS could not merge the boundaries of district '%s'",
                             l->key[idx[0]]);
    return QTR_OK;
}

/* Make merge g (members idx[0..k), ascending) into feature idx[0]; mark the others gone. */
static int merge_one(GEOSContextHandle_t h, struct qtr_layer *l, const struct qtr_layer_merge *m,
                     const char *const cols[2], const size_t *idx, size_t k, uint8_t *gone,
                     struct qtr_layer_merged *done, struct qtr_error *err)
{
    size_t first = idx[0];
    struct qtr_buf key = {0}, name = {0}, was = {0};
    int rc = QTR_OK;
    for (size_t j = 0; j < k; j++) {
        size_t i = idx[j];
        if ((j && qtr_buf_puts(&key, "+")) || qtr_buf_puts(&key, l->key[i]) ||
            (!m->name && ((j && qtr_buf_puts(&name, " und ")) || qtr_buf_puts(&name, l->name[i]))) ||
            (j && qtr_buf_puts(&was, ", ")) || qtr_buf_puts(&was, l->key[i]) ||
            (l->name[i][0] && (qtr_buf_puts(&was, " '") || qtr_buf_puts(&was, l->name[i]) ||
                               qtr_buf_puts(&was, "'")))) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    /* one district stored as several features: its own key and name */
    int one_key = 1, one_name = 1;
    for (size_t j = 1; j < k; j++) {
        one_key &= !strcmp(l->key[idx[j]], l->key[first]);
        one_name &= !strcmp(l->name[idx[j]], l->name[first]);
    }
    char *new_name = m->name     ? qtr_strdup(m->name)
                     : one_name ? qtr_strdup(l->name[first])
                                : qtr_strdup(name.data ? name.data : "");
    char *new_key = qtr_strdup(one_key ? l->key[first] : key.data);
    if (!new_name || !new_key) {
        free(new_name);
        free(new_key);
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    GEOSGeometry *u = NULL;
    if ((rc = union_of(h, l, idx, k, &u, err))) {
        free(new_name);
        free(new_key);
        goto out;
    }
    /* attributes the members agree on; the others left empty and named */
    struct qtr_table *a = l->attrs;
    size_t nd = 0;
    done->differ[0] = '\0';
    for (size_t c = 0; a && c < a->ncols; c++) {
        const char *v0 = qtr_table_cell(a, first, c);
        /* the key and name columns take the merged district's */
        const char *own = cols[0] && !strcmp(a->names[c], cols[0])   ? new_key
                          : cols[1] && !strcmp(a->names[c], cols[1]) ? new_name
                                                                      : NULL;
        int same = 1;
        for (size_t j = 1; j < k && same && !own; j++)
            same = !strcmp(qtr_table_cell(a, idx[j], c), v0);
        if (same && !own)
            continue;
        char **cell = &a->cells[first * a->ncols + c];
        free(*cell);
        *cell = qtr_strdup(own ? own : "");
        if (!*cell) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            if (u)
                GEOSGeom_destroy_r(h, u);
            free(new_name);
            free(new_key);
            goto out;
        }
        if (l->attr_num)
            l->attr_num[first * a->ncols + c] = own ? strtod(own, NULL) : NAN;
        if (own)
            continue;
        size_t len = strlen(done->differ);
        if (nd < 6)
            snprintf(done->differ + len, sizeof done->differ - len, "%s%s", nd ? ", " : "",
                     a->names[c]);
        else if (nd == 6)
            snprintf(done->differ + len, sizeof done->differ - len, ", ...");
        nd++;
    }
    done->ndiffer = nd;
    snprintf(done->members, sizeof done->members, "%s", was.data);
    for (size_t j = 0; j < k; j++) {
        size_t i = idx[j];
        if (l->geom[i])
            GEOSGeom_destroy_r(h, (GEOSGeometry *)l->geom[i]);
        l->geom[i] = NULL;
        if (j)
            gone[i] = 1;
    }
    free(l->key[first]);
    free(l->name[first]);
    l->key[first] = new_key;
    l->name[first] = new_name;
    l->geom[first] = (struct GEOSGeom_t *)u;
    l->area[first] = 0;
    l->cx[first] = l->cy[first] = NAN;
    if (u) {
        GEOSArea_r(h, u, &l->area[first]);
        GEOSGeometry *c = GEOSGetCentroid_r(h, u);
        if (c) {
            GEOSGeomGetX_r(h, c, &l->cx[first]);
            GEOSGeomGetY_r(h, c, &l->cy[first]);
            GEOSGeom_destroy_r(h, c);
        }
    }
    if (l->sliver)
        l->sliver[first] = u && !(l->area[first] > 0);
out:
    qtr_buf_release(&key);
    qtr_buf_release(&name);
    qtr_buf_release(&was);
    return rc;
}

/* Drop the features marked gone, keeping the order of the others. */
static void compact(GEOSContextHandle_t h, struct qtr_layer *l, const uint8_t *gone)
{
    struct qtr_table *a = l->attrs;
    size_t nc = a ? a->ncols : 0;
    size_t *to = malloc(l->n * sizeof *to); /* old index -> new index */
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (to)
            to[i] = w;
        if (gone[i]) {
            free(l->key[i]);
            free(l->name[i]);
            if (l->geom[i])
                GEOSGeom_destroy_r(h, (GEOSGeometry *)l->geom[i]);
            for (size_t c = 0; c < nc; c++)
                free(a->cells[i * nc + c]);
            continue;
        }
        l->key[w] = l->key[i];
        l->name[w] = l->name[i];
        l->geom[w] = l->geom[i];
        l->area[w] = l->area[i];
        l->cx[w] = l->cx[i];
        l->cy[w] = l->cy[i];
        if (l->sliver)
            l->sliver[w] = l->sliver[i];
        for (size_t c = 0; c < nc; c++) {
            a->cells[w * nc + c] = a->cells[i * nc + c];
            if (l->attr_num)
                l->attr_num[w * nc + c] = l->attr_num[i * nc + c];
        }
        if (a)
            a->line[w] = a->line[i];
        w++;
    }
    /* a repair of a member that is gone belongs to the merged district: it stays listed
     * under the index the merged district now has (the member's own key is in the message) */
    for (size_t r = 0; to && r < l->nrepairs; r++) {
        size_t f = l->repairs[r].feature;
        while (f > 0 && gone[f])
            f--;
        l->repairs[r].feature = to[f];
    }
    free(to);
    l->n = w;
    if (a)
        a->nrows = w;
}

int qtr_layer_merge(struct qtr_layer *l, const struct qtr_layer_merge *m, size_t nm,
                    const char *key_column, const char *name_column, const char *where,
                    struct qtr_layer_merged *done, struct qtr_error *err)
{
    const char *const cols[2] = {key_column, name_column};
    if (nm == 0)
        return QTR_OK;
    GEOSContextHandle_t h = (GEOSContextHandle_t)l->geos;
    uint8_t *gone = calloc(l->n, 1);
    long *owner = malloc(l->n * sizeof *owner);
    /* every merged feature at most once, plus one taken by name that is refused */
    size_t *idx = malloc((l->n + 1) * sizeof *idx);
    size_t *off = malloc((nm + 1) * sizeof *off);
    int rc = QTR_OK;
    if (!gone || !owner || !idx || !off) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < l->n; i++)
        owner[i] = -1;
    /* resolve every member first: nothing changes unless all merges are right */
    size_t k = 0;
    for (size_t g = 0; g < nm; g++) {
        off[g] = k;
        for (size_t j = 0; j < m[g].nmembers; j++) {
            size_t from = k;
            /* a feature already taken by its key is refused before it is appended */
            for (size_t i = 0; i < l->n; i++)
                if (owner[i] >= 0 && !strcmp(l->key[i], m[g].members[j])) {
                    rc = qtr_error_set(err, QTR_ERR_USAGE,
                                       "%s: merge: district '%s' (key %s) is named twice%s; "
                                       "each district can be merged only once",
                                       where, m[g].members[j], l->key[i],
                                       owner[i] == (long)g ? " in one merge" : " in two merges");
                    goto out;
                }
            if ((rc = resolve(l, m[g].members[j], where, idx, &k, err)))
                goto out;
            for (size_t q = from; q < k; q++) {
                if (owner[idx[q]] >= 0) {
                    rc = qtr_error_set(err, QTR_ERR_USAGE,
                                       "%s: merge: district '%s' (key %s) is named twice%s; "
                                       "each district can be merged only once",
                                       where, m[g].members[j], l->key[idx[q]],
                                       owner[idx[q]] == (long)g ? " in one merge"
                                                                : " in two merges");
                    goto out;
                }
                owner[idx[q]] = (long)g;
            }
        }
        if (k - off[g] < 2) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "%s: merge: '%s' names one district; merge two or more joined by "
                               "'+', e.g. merge = Moorburg + Altenwerder = Moorburg und "
                               "Altenwerder",
                               where, m[g].members[0]);
            goto out;
        }
        /* ascending: the merged district takes its first member's place */
        size_t *ix = idx + off[g];
        for (size_t a = 1; a < k - off[g]; a++)
            for (size_t b = a; b > 0 && ix[b - 1] > ix[b]; b--) {
                size_t t = ix[b];
                ix[b] = ix[b - 1];
                ix[b - 1] = t;
            }
    }
    off[nm] = k;
    for (size_t g = 0; g < nm; g++)
        if ((rc = merge_one(h, l, &m[g], cols, idx + off[g], off[g + 1] - off[g], gone, &done[g],
                            err)))
            goto out;
    compact(h, l, gone);
    for (size_t g = 0; g < nm; g++) {
        /* where the merged district ended up */
        size_t first = idx[off[g]], before = 0;
        for (size_t i = 0; i < first; i++)
            before += gone[i];
        done[g].feature = first - before;
    }
out:
    free(gone);
    free(owner);
    free(idx);
    free(off);
    return rc;
}
