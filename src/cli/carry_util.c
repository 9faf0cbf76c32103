/*
 * carry_util.c - key lists, keyed CSV tables and CSV writing for `quartier carry`
 * (see carry_util.h).
 */
#include "carry_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/carry.h"
#include "quartier/layer.h"
#include "quartier/strutil.h"

/* ---- key lists ----------------------------------------------------------- */

void keylist_add(struct keylist *l, const char *key)
{
    size_t used = strlen(l->buf);
    if (l->n < 12 && used + strlen(key) + 4 < sizeof l->buf)
        snprintf(l->buf + used, sizeof l->buf - used, "%s%s", l->n ? ", " : "", key);
    l->n++;
}

const char *keylist_text(struct keylist *l)
{
    if (l->n > 12) {
        size_t used = strlen(l->buf);
        snprintf(l->buf + used, sizeof l->buf - used, ", ... (%zu in all)", l->n);
    }
    return l->buf;
}

/* ---- a CSV keyed by one column ----------------------------------------- */

void keyed_free(struct keyed *k)
{
    if (k->key)
        for (size_t r = 0; r < k->t->nrows; r++)
            free(k->key[r]);
    free(k->key);
    free(k->ix);
    qtr_table_free(k->t);
    memset(k, 0, sizeof *k);
}

/* Read a CSV, find its key column, refuse empty and repeated keys (naming file and line). */
int keyed_read(const char *path, const char *keycol, const char *what, struct keyed *k,
               struct qtr_error *err)
{
    struct qtr_csv_options o = {0};
    k->path = path;
    int rc = qtr_csv_read(path, &o, &k->t, &k->info, err);
    if (rc)
        return rc;
    if ((rc = qtr_table_require_column(k->t, keycol, "key column", &k->kcol, err)))
        return rc;
    size_t n = k->t->nrows;
    k->key = calloc(n ? n : 1, sizeof *k->key);
    if (!k->key)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
    for (size_t r = 0; r < n; r++) {
        k->key[r] = qtr_trim_inplace(qtr_strdup(qtr_table_cell(k->t, r, k->kcol)));
        if (!k->key[r])
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
        if (!*k->key[r])
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "'%s' line %zu: the key column '%s' is empty; every row of "
                                 "the %s needs a key",
                                 path, k->t->line[r], keycol, what);
    }
    if (!(k->ix = qtr_keyidx_build(k->key, n)))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
    for (size_t r = 1; r < n; r++)
        if (!strcmp(k->ix[r].k, k->ix[r - 1].k))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "'%s' line %zu: key '%s' (column '%s') occurs again (first on "
                                 "line %zu); the %s must have one row per key",
                                 path, k->t->line[k->ix[r].i], k->ix[r].k, keycol,
                                 k->t->line[k->ix[r - 1].i], what);
    return QTR_OK;
}

/* The cell of row r, column c as a count; QTR_ERR_DATA for text that is no number. */
int keyed_cell(const struct keyed *k, size_t r, size_t c, struct qtr_cell *out,
               struct qtr_error *err)
{
    struct qtr_number_format fmt = {k->info.decimal_mark ? k->info.decimal_mark : '.'};
    const char *text = qtr_table_cell(k->t, r, c);
    *out = qtr_cell_parse(text, fmt);
    if (out->kind == QTR_CELL_INVALID)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "'%s' line %zu, column '%s', key '%s': '%s' is neither a number "
                             "nor a mark of the Zeichenerklärung; correct the cell or leave "
                             "it empty",
                             k->path, k->t->line[r], k->t->names[c], k->key[r], text);
    return QTR_OK;
}

/* ---- writing ------------------------------------------------------------- */

void put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A number with up to 6 decimals, trailing zeros removed. */
void put_number(FILE *f, double v)
{
    char b[64];
    snprintf(b, sizeof b, "%.6f", v);
    char *dot = strchr(b, '.');
    if (dot) {
        char *e = b + strlen(b) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (!strcmp(b, "-0"))
        strcpy(b, "0");
    fputs(b, f);
}

void put_cell(FILE *f, const struct qtr_cell *c)
{
    switch (qtr_cell_class_of(c->kind)) {
    case QTR_CLASS_VALUE:
        put_number(f, c->value);
        break;
    case QTR_CLASS_ZERO:
        fputs("0", f);
        break;
    case QTR_CLASS_SUPPRESSED:
        fputs(".", f);
        break;
    default:
        break;
    }
}

int close_file(FILE *f, const char *path, struct qtr_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return qtr_error_set(err, QTR_ERR_IO, "could not write '%s': %s", path, strerror(errno));
    return QTR_OK;
}

char *default_crosswalk_path(const char *out)
{
    size_t n = strlen(out);
    if (n > 4 && !strcmp(out + n - 4, ".csv"))
        return qtr_asprintf("%.*s-crosswalk.csv", (int)(n - 4), out);
    return qtr_asprintf("%s-crosswalk.csv", out);
}

/* Split "A, B,C" into trimmed names (a copy in *buf). */
size_t split_names(const char *list, char **buf, char ***names)
{
    *buf = qtr_strdup(list);
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    *names = calloc(n, sizeof **names);
    if (!*buf || !*names)
        return 0;
    size_t k = 0;
    for (char *tok = *buf, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        char *t = qtr_trim_inplace(tok);
        if (*t)
            (*names)[k++] = t;
    }
    return k;
}

/* Units of a layer: features grouped by key (the first feature's key names the unit). */
int group_units(struct qtr_layer *l, size_t **unit_of, char ***ukey, size_t *nunits,
                struct keylist *dups, struct qtr_error *err)
{
    struct qtr_keyidx *ix = qtr_keyidx_build(l->key, l->n);
    *unit_of = malloc((l->n ? l->n : 1) * sizeof **unit_of);
    *ukey = malloc((l->n ? l->n : 1) * sizeof **ukey);
    if (!ix || !*unit_of || !*ukey) {
        free(ix);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory for the units of '%s'", l->source);
    }
    *nunits = 0;
    for (size_t f = 0; f < l->n; f++) {
        size_t first = (size_t)qtr_keyidx_find(ix, l->n, l->key[f]);
        if (first == f) {
            (*ukey)[*nunits] = l->key[f];
            (*unit_of)[f] = (*nunits)++;
        } else {
            (*unit_of)[f] = (*unit_of)[first];
            if (dups)
                keylist_add(dups, l->key[f]);
        }
    }
    free(ix);
    return QTR_OK;
}

void warn_list(struct keylist *l, const char *fmt, const char *what)
{
    if (!l->n)
        return;
    fprintf(stderr, "quartier: warning: ");
    fprintf(stderr, fmt, l->n, what);
    fprintf(stderr, ": %s\n", keylist_text(l));
}
