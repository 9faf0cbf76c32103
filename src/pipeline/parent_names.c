/*
 * parent_names.c - the names of the parent areas (parent_names.h).
 */
#include "parent_names.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quartier/csv.h"
#include "quartier/layer.h"
#include "quartier/sheet.h"
#include "quartier/strutil.h"
#include "quartier/table.h"
#include "report_parents.h"

/* "06" and "6" are the same code when both are digits only; NULL when not. */
static const char *digits_core(const char *s)
{
    if (!*s)
        return NULL;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return NULL;
    while (s[0] == '0' && s[1])
        s++;
    return s;
}

/* The name of `code` among n (codes, names): exact match first, then without leading zeros. */
static const char *lookup(size_t n, char *const *codes, char *const *names, const char *code)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(codes[k], code))
            return names[k];
    const char *c = digits_core(code);
    for (size_t k = 0; c && k < n; k++) {
        const char *d = digits_core(codes[k]);
        if (d && !strcmp(c, d))
            return names[k];
    }
    return NULL;
}

/* Read parent_names = FILE into a table with the code column *kc and the name column *nc. */
static int read_names(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_table **t,
                      struct qtr_layer **l, size_t *kc, size_t *nc, struct qtr_error *err)
{
    const char *path = cfg->bnd_parent_names;
    const char *dot = strrchr(path, '.');
    int rc;
    *t = NULL;
    *l = NULL;
    if (dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".txt") || !strcasecmp(dot, ".tsv"))) {
        struct qtr_csv_options o = {0};
        struct qtr_csv_info info = {0};
        rc = qtr_csv_read(path, &o, t, &info, err);
    } else if (qtr_sheet_is_workbook(path)) {
        struct qtr_sheet_options so = {0};
        struct qtr_sheet_info si = {0};
        rc = qtr_sheet_read_ex(path, &so, t, &si, err);
    } else {
        /* a vector layer (GeoJSON, GeoPackage, shapefile): its attributes */
        struct qtr_layer_options lo = {.source = path,
                                       .key = cfg->bnd_parent_names_key,
                                       .name = cfg->bnd_parent_names_name,
                                       .work_crs = cfg->crs};
        if ((rc = qtr_layer_read(ctx, &lo, l, err)))
            return rc;
        *t = (*l)->attrs;
    }
    if (rc)
        return rc;
    if ((rc = qtr_table_require_column(*t, cfg->bnd_parent_names_key,
                                       "code column (parent_names_key)", kc, err)) ||
        (rc = qtr_table_require_column(*t, cfg->bnd_parent_names_name,
                                       "name column (parent_names_name)", nc, err)))
        return rc;
    return QTR_OK;
}

int qtr_parent_names_load(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                          struct qtr_error *err)
{
    const struct qtr_layer *l = st->layer;
    if (!cfg->bnd_parent || (!cfg->bnd_parent_name && !cfg->bnd_parent_names) || !l || !l->n)
        return QTR_OK;
    int en = cfg->language && !strcmp(cfg->language, "en");
    char **code = NULL;
    struct qtr_table *t = NULL;
    struct qtr_layer *nl = NULL;
    size_t kc = 0, nc = 0, n = l->n;
    int rc = qtr_report_parents(l, cfg->bnd_parent, &code);
    if (rc)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!code) /* an unknown parent column: the decomposition stage says so */
        return QTR_OK;
    size_t *count = calloc(n, sizeof *count);
    st->parent_code = calloc(n, sizeof *st->parent_code);
    st->parent_name = calloc(n, sizeof *st->parent_name);
    if (!count || !st->parent_code || !st->parent_name) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    long ncol = -1;
    if (cfg->bnd_parent_name) {
        ncol = qtr_table_find_column(l->attrs, cfg->bnd_parent_name);
        if (ncol < 0) {
            size_t unused;
            rc = qtr_table_require_column(l->attrs, cfg->bnd_parent_name,
                                          "parent name column (parent_name)", &unused, err);
            goto out;
        }
    } else if ((rc = read_names(ctx, cfg, &t, &nl, &kc, &nc, err))) {
        goto out;
    }
    /* the distinct codes in order of first appearance, with their district counts */
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < st->nparents && strcmp(st->parent_code[k], code[i]))
            k++;
        if (k == st->nparents) {
            if (!(st->parent_code[k] = qtr_strdup(code[i]))) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            st->nparents++;
            const char *nm = NULL;
            if (ncol >= 0) {
                nm = qtr_table_cell(l->attrs, i, (size_t)ncol);
            } else {
                for (size_t row = 0; row < t->nrows && !nm; row++) {
                    const char *rk = qtr_table_cell(t, row, kc);
                    char *tk = qtr_strdup(rk);
                    if (!tk) {
                        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                        goto out;
                    }
                    char *c = qtr_trim_inplace(tk);
                    char *one[1] = {c};
                    char *nmv[1] = {(char *)qtr_table_cell(t, row, nc)};
                    nm = lookup(1, one, nmv, code[i]);
                    free(tk);
                }
            }
            if (nm && *nm && !(st->parent_name[k] = qtr_strdup(nm))) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
        }
        count[k]++;
    }
    /* one warning per code without a name: the report shows the code there */
    for (size_t k = 0; k < st->nparents; k++) {
        if (st->parent_name[k])
            continue;
        const char *src = cfg->bnd_parent_name ? "boundaries" : cfg->bnd_parent_names;
        const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
        if (qtr_report_add(
                &st->report, QTR_ISSUE_PARENT_WITHOUT_NAME, QTR_WARNING, st->parent_code[k], "",
                base,
                en ? "parent area '%s' (%zu district%s) has no name in %s (%s); the report and "
                     "the maps show the code instead: add a row for it"
                   : "übergeordnetes Gebiet „%s“ (%zu Gebiet%s) hat keinen Namen in %s (%s); "
                     "Bericht und Karten zeigen stattdessen den Schlüssel: eine Zeile dafür "
                     "ergänzen",
                st->parent_code[k], count[k], count[k] == 1 ? "" : (en ? "s" : "e"), base,
                cfg->bnd_parent_name ? cfg->bnd_parent_name : cfg->bnd_parent_names_name)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
out:
    if (nl)
        qtr_layer_free(nl);
    else
        qtr_table_free(t);
    qtr_report_parents_free(code, n);
    free(count);
    return rc;
}

const char *qtr_parent_name_of(const struct qtr_state *st, const char *code)
{
    if (!st->parent_code || !code)
        return NULL;
    return lookup(st->nparents, st->parent_code, st->parent_name, code);
}
