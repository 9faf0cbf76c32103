/*
 * weights_io.c - GAL and GWT files (GeoDa's formats, also read and written
 * by PySAL's libpysal.io): "0 n shapefile keyvar" header, then the entries
 * keyed by the district keys. Written atomically (temporary file beside the
 * target, then rename).
 */
#include "quartier/weights.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quartier/strutil.h"

static int key_ok(const char *k)
{
    if (!k || !*k)
        return 0;
    for (const char *p = k; *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            return 0;
    return 1;
}

/* Shortest of %.15g/%.16g/%.17g that reads back as the same double. */
static void fmt_double(char *buf, size_t size, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static int write_weights(const char *path, const struct qtr_csr *w, const char *const *keys,
                         const char *shapefile, const char *keyvar, int gwt, struct qtr_error *err)
{
    char *tmp = NULL;
    FILE *f = NULL;
    int fd = -1, rc = QTR_OK;
    const char *what = gwt ? "GWT" : "GAL";
    if (!shapefile || !*shapefile)
        shapefile = "unknown";
    if (!keyvar || !*keyvar)
        keyvar = "id";
    if (!key_ok(shapefile) || !key_ok(keyvar))
        return qtr_error_set(err, QTR_ERR_DATA,
                             "layer name '%s' or key column '%s' contains blanks, which the %s "
                             "header cannot hold",
                             shapefile, keyvar, what);
    for (size_t i = 0; i < w->n; i++)
        if (!key_ok(keys[i]))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "district key '%s' (row %zu) is empty or contains blanks, which "
                                 "a %s file cannot hold; use a key column without spaces",
                                 keys[i] ? keys[i] : "", i, what);
    tmp = qtr_asprintf("%s.tmpXXXXXX", path);
    if (!tmp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create a temporary file beside '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    f = fdopen(fd, "w");
    if (!f) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    fprintf(f, "0 %zu %s %s\n", w->n, shapefile, keyvar);
    for (size_t i = 0; i < w->n; i++) {
        size_t a = w->row[i], b = w->row[i + 1];
        if (gwt) {
            for (size_t e = a; e < b; e++) {
                char num[40];
                fmt_double(num, sizeof num, w->w[e]);
                fprintf(f, "%s %s %s\n", keys[i], keys[w->col[e]], num);
            }
        } else {
            fprintf(f, "%s %zu\n", keys[i], b - a);
            for (size_t e = a; e < b; e++)
                fprintf(f, "%s%s", e > a ? " " : "", keys[w->col[e]]);
            fputc('\n', f);
        }
    }
    if (ferror(f) | fclose(f)) {
        f = NULL;
        unlink(tmp);
        rc = qtr_error_set(err, QTR_ERR_IO, "writing '%s' failed (disk full?)", path);
        goto out;
    }
    f = NULL;
    if (rename(tmp, path)) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot move the new %s file to '%s': %s", what, path,
                           strerror(errno));
        unlink(tmp);
    }
out:
    free(tmp);
    return rc;
}

int qtr_weights_write_gal(const char *path, const struct qtr_csr *w, const char *const *keys,
                          const char *shapefile, const char *keyvar, struct qtr_error *err)
{
    return write_weights(path, w, keys, shapefile, keyvar, 0, err);
}

int qtr_weights_write_gwt(const char *path, const struct qtr_csr *w, const char *const *keys,
                          const char *shapefile, const char *keyvar, struct qtr_error *err)
{
    return write_weights(path, w, keys, shapefile, keyvar, 1, err);
}

/* ---- reading ------------------------------------------------------------ */

struct keyidx {
    const char *key;
    uint32_t idx;
};

static int keyidx_cmp(const void *a, const void *b)
{
    return strcmp(((const struct keyidx *)a)->key, ((const struct keyidx *)b)->key);
}

static long lookup(const struct keyidx *tab, size_t n, const char *key)
{
    struct keyidx probe = {key, 0};
    const struct keyidx *hit = bsearch(&probe, tab, n, sizeof *tab, keyidx_cmp);
    return hit ? (long)hit->idx : -1;
}

/* Split line into blank-separated tokens in place; returns the count (at most max). */
static size_t tokens(char *line, char **tok, size_t max)
{
    size_t k = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        if (k < max)
            tok[k] = p;
        k++;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            p++;
    }
    return k;
}

static int parse_count(const char *s, size_t *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s || *end || x < 0)
        return -1;
    *v = (size_t)x;
    return 0;
}

int qtr_weights_read_gal(const char *path, const char *const *keys, size_t n, struct qtr_csr **out,
                         struct qtr_error *err)
{
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0, lineno = 0, m = 0, mcap = 0;
    struct keyidx *tab = NULL;
    uint32_t *ti = NULL, *tj = NULL;
    char **tok = NULL;
    size_t tokcap = 0;
    int rc = QTR_OK;
    *out = NULL;

    tab = malloc((n ? n : 1) * sizeof *tab);
    if (!tab) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        tab[i].key = keys[i];
        tab[i].idx = (uint32_t)i;
    }
    qsort(tab, n, sizeof *tab, keyidx_cmp);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(tab[i].key, tab[i - 1].key)) {
            rc = qtr_error_set(err, QTR_ERR_DATA, "district key '%s' occurs twice", tab[i].key);
            goto out;
        }
    f = fopen(path, "r");
    if (!f) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot open GAL file '%s': %s", path, strerror(errno));
        goto out;
    }
    char *hdr[5] = {0};
    ssize_t len;
    size_t nh = 0;
    do {
        len = getline(&line, &cap, f);
        lineno++;
    } while (len >= 0 && (nh = tokens(line, hdr, 5)) == 0);
    if (len < 0) {
        rc = qtr_error_set(err, QTR_ERR_DATA, "GAL file '%s' is empty", path);
        goto out;
    }
    /* GeoDa/PySAL header "0 n shapefile keyvar"; older files have just "n" */
    size_t nfile = 0, first = 0;
    if (parse_count(hdr[0], &first) || (nh > 1 && (first != 0 || parse_count(hdr[1], &nfile)))) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "GAL file '%s' line %zu: header is neither 'n' nor '0 n layer key'",
                           path, lineno);
        goto out;
    }
    if (nh == 1)
        nfile = first;
    if (nfile != n) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "GAL file '%s' describes %zu districts, the layer has %zu", path, nfile,
                           n);
        goto out;
    }
    for (;;) {
        len = getline(&line, &cap, f);
        lineno++;
        if (len < 0)
            break;
        char *t2[3];
        size_t k = tokens(line, t2, 3);
        if (k == 0)
            continue;
        size_t cnt;
        if (k != 2 || parse_count(t2[1], &cnt)) {
            rc = qtr_error_set(err, QTR_ERR_DATA, "GAL file '%s' line %zu: expected 'id count'",
                               path, lineno);
            goto out;
        }
        long src = lookup(tab, n, t2[0]);
        if (src < 0) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "GAL file '%s' line %zu: id '%s' is not a district key", path,
                               lineno, t2[0]);
            goto out;
        }
        len = getline(&line, &cap, f);
        lineno++;
        if (len < 0) {
            if (cnt == 0)
                break;
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "GAL file '%s' ends before the neighbours of '%s'", path, t2[0]);
            goto out;
        }
        if (cnt + 1 > tokcap) {
            size_t nc = cnt + 16;
            char **nt = realloc(tok, nc * sizeof *nt);
            if (!nt) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            tok = nt;
            tokcap = nc;
        }
        size_t got = tokens(line, tok, tokcap);
        if (got != cnt) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "GAL file '%s' line %zu: %zu neighbours listed, %zu announced", path,
                               lineno, got, cnt);
            goto out;
        }
        for (size_t e = 0; e < cnt; e++) {
            long dst = lookup(tab, n, tok[e]);
            if (dst < 0) {
                rc = qtr_error_set(err, QTR_ERR_DATA,
                                   "GAL file '%s' line %zu: id '%s' is not a district key", path,
                                   lineno, tok[e]);
                goto out;
            }
            if (m == mcap) {
                size_t nc = mcap ? 2 * mcap : 1024;
                uint32_t *ni = realloc(ti, nc * sizeof *ni);
                if (!ni) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                ti = ni;
                uint32_t *nj = realloc(tj, nc * sizeof *nj);
                if (!nj) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                tj = nj;
                mcap = nc;
            }
            ti[m] = (uint32_t)src;
            tj[m] = (uint32_t)dst;
            m++;
        }
    }
    rc = qtr_weights_from_triplets(n, ti, tj, NULL, m, out, err);
    if (rc)
        qtr_error_prefix(err, "GAL file '%s'", path);
out:
    if (f)
        fclose(f);
    free(line);
    free(tab);
    free(ti);
    free(tj);
    free(tok);
    return rc;
}
