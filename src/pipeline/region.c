/*
 * region.c - regions of a batch (docs/batch.md): which district and which table row belongs
 * to which region, the region's seed, and what a region run records about itself.
 */
#include "quartier/region.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "quartier/ksum.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"
#include "quartier/text.h"

void qtr_regions_free(struct qtr_regions *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->key[i]);
        free(r->name[i]);
        free(r->dir[i]);
    }
    free(r->key);
    free(r->name);
    free(r->dir);
    free(r->ndistricts);
    free(r->of);
    free(r);
}

long qtr_regions_find(const struct qtr_regions *r, const char *key)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->key[mid], key);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder name of a region: the key with every byte outside [A-Za-z0-9._-] as '_'. */
static char *safe_dir(const char *key)
{
    char *d = qtr_strdup(key);
    if (!d)
        return NULL;
    for (char *p = d; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            *p = '_';
    if (!strcmp(d, ".") || !strcmp(d, "..") || !*d) {
        free(d);
        return qtr_asprintf("_%s", key);
    }
    return d;
}

char *qtr_region_dir_name(const char *key)
{
    return safe_dir(key);
}

char *qtr_region_schema_name(const char *base, const char *key)
{
    char *s = qtr_asprintf("%s_%s", base, key);
    if (!s)
        return NULL;
    for (char *p = s + strlen(base) + 1; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
        else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            *p = '_';
    }
    return s;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

int qtr_regions_check_schemas(const struct qtr_config *cfg, const struct qtr_regions *r,
                              const char *base, struct qtr_error *err)
{
    int rc = QTR_OK;
    char **name = calloc(r->n ? r->n : 1, sizeof *name);
    if (!name)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < r->n && !rc; k++) {
        if (!(name[k] = qtr_region_schema_name(base, r->key[k])))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        else if (strlen(name[k]) > 48)
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "region '%s' ([batch] by = %s) would be written to the "
                               "PostgreSQL schema %s, which is longer than 48 characters; "
                               "give output = PG:... a shorter schema= name",
                               r->key[k], cfg->batch_by, name[k]);
        else if (ends_with(name[k], "_qtr_staging") || ends_with(name[k], "_qtr_old"))
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "region '%s' ([batch] by = %s) would be written to the "
                               "PostgreSQL schema %s, a name quartier keeps for the schemas of "
                               "an unfinished write",
                               r->key[k], cfg->batch_by, name[k]);
    }
    /* keys that differ only in case or in characters a schema name cannot hold */
    for (size_t a = 0; a < r->n && !rc; a++)
        for (size_t b = a + 1; b < r->n && !rc; b++)
            if (!strcmp(name[a], name[b]))
                rc = qtr_error_set(err, QTR_ERR_USAGE,
                                   "the regions '%s' and '%s' ([batch] by = %s) would both be "
                                   "written to the PostgreSQL schema %s; their keys differ "
                                   "only in case or in characters other than letters, digits "
                                   "and _ (write to a folder, or use another [batch] by)",
                                   r->key[a], r->key[b], cfg->batch_by, name[a]);
    for (size_t k = 0; k < r->n; k++)
        free(name[k]);
    free(name);
    return rc;
}

/* Column `name` of the layer's attributes, or a usage error naming the [batch] line. */
static int batch_column(const struct qtr_config *cfg, const struct qtr_layer *l, const char *key,
                        const char *name, size_t *col, struct qtr_error *err)
{
    long c = l->attrs ? qtr_table_find_column(l->attrs, name) : -1;
    if (c >= 0) {
        *col = (size_t)c;
        return QTR_OK;
    }
    char where[1024], near[512] = "";
    size_t idx[3], nf = 0;
    qtr_config_where(cfg, "batch", key, where, sizeof where);
    if (l->attrs && !qtr_closest_names(name, (const char *const *)l->attrs->names, l->attrs->ncols,
                                       3, idx, &nf)) {
        size_t len = 0;
        for (size_t k = 0; k < nf && len < sizeof near; k++) {
            int w = snprintf(near + len, sizeof near - len, "%s'%s'", k ? ", " : "",
                             l->attrs->names[idx[k]]);
            if (w < 0)
                break;
            len += (size_t)w;
        }
    }
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "%s: [batch] %s = '%s': no such column in the boundaries '%s'%s%s%s; "
                         "give a column of the boundary layer, or prefix:N of the district key",
                         where, key, name, cfg->bnd_source, nf ? " (closest: " : "", near,
                         nf ? ")" : "");
}

int qtr_regions_split(const struct qtr_config *cfg, const struct qtr_layer *l,
                      struct qtr_regions **out, struct qtr_error *err)
{
    int rc = QTR_OK;
    char **val = NULL, **sorted = NULL;
    struct qtr_regions *r = calloc(1, sizeof *r);
    size_t prefix = 0, col = 0, ncol = 0;
    int has_name = cfg->batch_name != NULL;
    *out = NULL;
    if (!r)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!strncmp(cfg->batch_by, "prefix:", 7))
        prefix = strtoul(cfg->batch_by + 7, NULL, 10);
    else if ((rc = batch_column(cfg, l, "by", cfg->batch_by, &col, err)))
        goto out;
    if (has_name && (rc = batch_column(cfg, l, "name", cfg->batch_name, &ncol, err)))
        goto out;
    r->nfeatures = l->n;
    val = calloc(l->n ? l->n : 1, sizeof *val);
    sorted = calloc(l->n ? l->n : 1, sizeof *sorted);
    r->of = calloc(l->n ? l->n : 1, sizeof *r->of);
    if (!val || !sorted || !r->of) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < l->n; i++) {
        if (prefix) {
            if (strlen(l->key[i]) < prefix) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "district '%s' (feature %zu of '%s'): the key is shorter than "
                                   "the %zu characters of [batch] by = %s, so it belongs to no "
                                   "region",
                                   l->key[i], i + 1, cfg->bnd_source, prefix, cfg->batch_by);
                goto out;
            }
            val[i] = qtr_strndup(l->key[i], prefix);
        } else {
            val[i] = qtr_strdup(qtr_table_cell(l->attrs, i, col));
            if (val[i])
                qtr_trim_inplace(val[i]);
            if (val[i] && !*val[i]) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "district '%s' (feature %zu of '%s') has no value in column "
                                   "'%s' ([batch] by), so it belongs to no region; fill it in",
                                   l->key[i], i + 1, cfg->bnd_source, cfg->batch_by);
                goto out;
            }
        }
        if (!val[i]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        sorted[i] = val[i];
    }
    qsort(sorted, l->n, sizeof *sorted, cmp_str);
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (i == 0 || strcmp(sorted[i], sorted[i - 1]))
            sorted[n++] = sorted[i];
    r->key = calloc(n ? n : 1, sizeof *r->key);
    r->name = calloc(n ? n : 1, sizeof *r->name);
    r->dir = calloc(n ? n : 1, sizeof *r->dir);
    r->ndistricts = calloc(n ? n : 1, sizeof *r->ndistricts);
    if (!r->key || !r->name || !r->dir || !r->ndistricts) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++, r->n++) {
        r->key[k] = qtr_strdup(sorted[k]);
        r->dir[k] = safe_dir(sorted[k]);
        if (!r->key[k] || !r->dir[k]) {
            r->n++;
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t k = (size_t)qtr_regions_find(r, val[i]);
        r->of[i] = k;
        r->ndistricts[k]++;
        if (!r->name[k]) {
            r->name[k] = qtr_strdup(has_name ? qtr_table_cell(l->attrs, i, ncol) : "");
            if (!r->name[k]) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            qtr_trim_inplace(r->name[k]);
        }
    }
    /* two keys that differ only in bytes a folder name cannot hold would share a folder */
    for (size_t a = 0; a < r->n; a++)
        for (size_t b = a + 1; b < r->n; b++)
            if (!strcmp(r->dir[a], r->dir[b])) {
                rc = qtr_error_set(err, QTR_ERR_USAGE,
                                   "the regions '%s' and '%s' ([batch] by = %s) would both be "
                                   "written to the folder regions/%s; their keys differ only in "
                                   "characters a folder name cannot hold",
                                   r->key[a], r->key[b], cfg->batch_by, r->dir[a]);
                goto out;
            }
    *out = r;
    r = NULL;
out:
    for (size_t i = 0; val && i < l->n; i++)
        free(val[i]);
    free(val);
    free(sorted);
    qtr_regions_free(r);
    return rc;
}

int qtr_regions_read(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_regions **out,
                     struct qtr_layer **layer, struct qtr_error *err)
{
    struct qtr_layer *l = NULL;
    struct qtr_layer_options lo = {
        .source = cfg->bnd_source,
        .layer = cfg->bnd_layer,
        .sql = cfg->bnd_sql,
        .key = cfg->bnd_key,
        .name = cfg->bnd_name,
        .assign_crs = cfg->bnd_crs,
        .work_crs = cfg->crs,
    };
    *out = NULL;
    if (layer)
        *layer = NULL;
    int rc = qtr_layer_read(ctx, &lo, &l, err);
    if (!rc)
        rc = qtr_regions_split(cfg, l, out, err);
    if (!rc && layer)
        *layer = l;
    else
        qtr_layer_free(l);
    return rc;
}

int qtr_regions_unknown(const struct qtr_config *cfg, const struct qtr_regions *r, const char *key,
                        struct qtr_error *err)
{
    char where[1024], near[512] = "";
    size_t idx[3], nf = 0, len = 0;
    qtr_config_where(cfg, "batch", "by", where, sizeof where);
    if (!qtr_closest_names(key, (const char *const *)r->key, r->n, 3, idx, &nf))
        for (size_t k = 0; k < nf && len < sizeof near; k++) {
            int w =
                snprintf(near + len, sizeof near - len, "%s'%s'", k ? ", " : "", r->key[idx[k]]);
            if (w < 0)
                break;
            len += (size_t)w;
        }
    if (!nf) /* nothing close: name the first few */
        for (size_t k = 0; k < r->n && k < 5 && len < sizeof near; k++) {
            int w = snprintf(near + len, sizeof near - len, "%s'%s'%s", k ? ", " : "", r->key[k],
                             k == 4 && r->n > 5 ? ", ..." : "");
            if (w < 0)
                break;
            len += (size_t)w;
        }
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "--region '%s': no such region of [batch] by = %s (%s; %zu regions; "
                         "%s: %s)",
                         key, cfg->batch_by, where, r->n, nf ? "closest" : "e.g.", near);
}

/* FNV-1a (64 bit) of the key, then the splitmix64 finaliser (Steele, Lea & Flood 2014) over
 * the seed mixed with it: nearby keys ("11", "12") give unrelated seeds. */
uint64_t qtr_region_seed(uint64_t seed, const char *key)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    uint64_t z = (seed ^ h) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A key with the region it belongs to, for bsearch over the districts' keys or names. */
struct keyed {
    char *key;
    size_t region;
};

static int keyed_cmp(const void *a, const void *b)
{
    return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static void keyed_free(struct keyed *k, size_t n)
{
    for (size_t i = 0; k && i < n; i++)
        free(k[i].key);
    free(k);
}

/* The districts' keys (or normalised names) with their regions, sorted. */
static struct keyed *district_index(const struct qtr_layer *l, const struct qtr_regions *r,
                                    int by_name)
{
    struct keyed *k = calloc(l->n ? l->n : 1, sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        k[i].key = by_name ? qtr_name_key(l->name[i]) : qtr_strdup(l->key[i]);
        k[i].region = r->of[i];
        if (!k[i].key) {
            keyed_free(k, i);
            return NULL;
        }
    }
    qsort(k, l->n, sizeof *k, keyed_cmp);
    return k;
}

/* keep[row] for one table: rows of region `reg` and rows of no region. */
static int table_rows(const struct qtr_config *cfg, const struct qtr_table_spec *ts,
                      const struct qtr_table *t, const struct qtr_layer *l,
                      const struct qtr_regions *r, size_t reg, uint8_t *keep, struct qtr_error *err)
{
    int by_name = ts->join == QTR_JOIN_NAME;
    size_t prefix =
        by_name || strncmp(cfg->batch_by, "prefix:", 7) ? 0 : strtoul(cfg->batch_by + 7, NULL, 10);
    long col = qtr_table_find_column(t, ts->key);
    memset(keep, 1, t->nrows);
    if (col < 0) /* the join names the missing column */
        return QTR_OK;
    struct keyed *idx = district_index(l, r, by_name);
    if (!idx)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t row = 0; row < t->nrows; row++) {
        const char *cell = qtr_table_cell(t, row, (size_t)col);
        char *k = by_name ? qtr_name_key(cell) : qtr_trim_inplace(qtr_strdup(cell));
        if (!k) {
            keyed_free(idx, l->n);
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        }
        struct keyed probe = {k, 0};
        const struct keyed *hit = l->n ? bsearch(&probe, idx, l->n, sizeof *idx, keyed_cmp) : NULL;
        if (hit) {
            keep[row] = hit->region == reg;
        } else if (prefix && strlen(k) >= prefix) {
            char *p = qtr_strndup(k, prefix);
            long pr = p ? qtr_regions_find(r, p) : -1;
            free(p);
            keep[row] = pr < 0 || (size_t)pr == reg;
        }
        free(k);
    }
    keyed_free(idx, l->n);
    return QTR_OK;
}

int qtr_region_restrict(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        struct qtr_error *err)
{
    (void)ctx;
    if (!cfg->region && !cfg->batch_by)
        return QTR_OK;
    if (!cfg->batch_by)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "--region '%s': the analysis file '%s' has no [batch] section "
                             "saying how districts form regions; add e.g. '[batch]' with "
                             "'by = prefix:2'",
                             cfg->region, cfg->path ? cfg->path : "");
    struct qtr_regions *r = NULL;
    uint8_t *keep = NULL;
    int rc = qtr_regions_split(cfg, st->layer, &r, err);
    if (!rc && cfg->region_schema)
        rc = qtr_regions_check_schemas(cfg, r, cfg->region_schema, err);
    if (rc || !cfg->region) { /* without --region (`check`): [batch] is checked, not applied */
        qtr_regions_free(r);
        return rc;
    }
    long reg = qtr_regions_find(r, cfg->region);
    if (reg < 0) {
        rc = qtr_regions_unknown(cfg, r, cfg->region, err);
        goto out;
    }
    size_t most = st->layer->n;
    for (size_t t = 0; t < st->ntables; t++)
        if (st->tables[t].table->nrows > most)
            most = st->tables[t].table->nrows;
    if (!(keep = malloc(most ? most : 1))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* the tables first: their rows are matched against every district of the layer */
    for (size_t t = 0; t < st->ntables; t++) {
        const struct qtr_table_spec *ts = &cfg->tables[t];
        if (ts->carry != QTR_TABLE_CARRY_NONE)
            continue;
        if ((rc = table_rows(cfg, ts, st->tables[t].table, st->layer, r, (size_t)reg, keep, err)))
            goto out;
        qtr_table_keep_rows(st->tables[t].table, keep);
    }
    for (size_t i = 0; i < st->layer->n; i++)
        keep[i] = r->of[i] == (size_t)reg;
    rc = qtr_layer_keep(st->layer, keep, err);
out:
    free(keep);
    qtr_regions_free(r);
    return rc;
}

void qtr_region_note(const struct qtr_config *cfg, struct qtr_state *st)
{
    if (!cfg->region || !st || !st->frame)
        return;
    struct qtr_region_note *n = &st->region;
    memset(n, 0, sizeof *n);
    n->set = 1;
    n->districts = st->frame->n;
    n->districts_in_indices = st->nusable;
    const struct qtr_column *tot = qtr_frame_find(st->frame, cfg->total);
    struct qtr_ksum all = {0}, used = {0};
    for (size_t i = 0; tot && i < st->frame->n; i++) {
        if (!isfinite(tot->v[i]))
            continue;
        qtr_ksum_add(&all, tot->v[i]);
        if (st->usable && st->usable[i])
            qtr_ksum_add(&used, tot->v[i]);
    }
    n->residents = qtr_ksum_get(&all);
    n->residents_in_indices = qtr_ksum_get(&used);
}

int qtr_region_write_info(const struct qtr_config *cfg, uint64_t analysis_seed,
                          const struct qtr_state *st, struct qtr_error *err)
{
    if (!cfg->region || !st->gpkg_path)
        return QTR_OK;
    const struct qtr_region_note *n = &st->region;
    char seed[32], d[32], du[32], res[48], resu[48];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)analysis_seed);
    snprintf(d, sizeof d, "%zu", n->districts);
    snprintf(du, sizeof du, "%zu", n->districts_in_indices);
    snprintf(res, sizeof res, "%.17g", n->residents);
    snprintf(resu, sizeof resu, "%.17g", n->residents_in_indices);
    const char *rows[][2] = {
        {"region", cfg->region},
        {"region_by", cfg->batch_by},
        {"region_name_column", cfg->batch_name ? cfg->batch_name : ""},
        {"analysis_seed", seed},
        {"region_districts", d},
        {"region_districts_in_indices", du},
        {"region_residents", res},
        {"region_residents_in_indices", resu},
    };
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    int rc = QTR_OK;
    if (sqlite3_open_v2(st->gpkg_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO run_info (item, value) VALUES (?1, ?2)", -1, &ins,
                           NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot add the region to run_info in '%s': %s",
                           st->gpkg_path, db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, rows[k][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, rows[k][1], -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot add the region to run_info in '%s': %s",
                               st->gpkg_path, sqlite3_errmsg(db));
            goto out;
        }
    }
out:
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return rc;
}
