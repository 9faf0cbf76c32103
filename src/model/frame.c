#include "quartier/frame.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "quartier/strutil.h"

struct qtr_frame *qtr_frame_new(size_t n, char **key, char **name)
{
    struct qtr_frame *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->n = n;
    f->key = key;
    f->name = name;
    f->has_stats = calloc(n ? n : 1, 1);
    if (!f->has_stats) {
        free(f);
        return NULL;
    }
    return f;
}

static void column_release(struct qtr_column *c, size_t n)
{
    free(c->name);
    free(c->origin);
    free(c->of);
    free(c->unit);
    free(c->v);
    free(c->kind);
    free(c->range_lo);
    free(c->range_hi);
    if (c->text)
        for (size_t i = 0; i < n; i++)
            free(c->text[i]);
    free(c->text);
}

void qtr_frame_free(struct qtr_frame *f)
{
    if (!f)
        return;
    for (size_t j = 0; j < f->ncols; j++) {
        column_release(f->cols[j], f->n);
        free(f->cols[j]);
    }
    free(f->cols);
    free(f->has_stats);
    free(f);
}

struct qtr_column *qtr_frame_add_computed(struct qtr_frame *f, const char *name,
                                          enum qtr_role role, const char *of, const char *unit,
                                          int is_text, const char *what, struct qtr_error *err)
{
    const struct qtr_column *prev = qtr_frame_find(f, name);
    if (prev) {
        const char *o = prev->origin ? prev->origin : "?";
        if (!strcmp(o, "quartier"))
            qtr_error_set(err, QTR_ERR_USAGE,
                          "%s would make a column '%s', which quartier has already made (%s); "
                          "two groups, indicators or targets give the same column name: rename "
                          "one of their ids in the analysis file",
                          what ? what : "quartier", name, qtr_role_id(prev->role));
        else
            qtr_error_set(err, QTR_ERR_USAGE,
                          "the data already has a column '%s' (from %s), and %s makes a column "
                          "'%s' (%s); rename the column in %s or the id in the analysis file",
                          prev->name, !strcmp(o, "boundaries") ? "the boundary file" : o,
                          what ? what : "quartier", name, qtr_role_id(role),
                          !strcmp(o, "boundaries") ? "the boundary file" : "the table");
        return NULL;
    }
    struct qtr_column *c = qtr_frame_add_column(f, name, "quartier", is_text);
    if (!c || qtr_column_set_role(c, role, of) ||
        (unit && *unit && !(c->unit = qtr_strdup(unit)))) {
        qtr_error_set(err, QTR_ERR_NOMEM, "out of memory adding column '%s'", name);
        return NULL;
    }
    return c;
}

struct qtr_column *qtr_frame_find_role(const struct qtr_frame *f, enum qtr_role role,
                                       const char *of)
{
    for (size_t j = 0; f && j < f->ncols; j++) {
        struct qtr_column *c = f->cols[j];
        if (c->role == role && (!of || (c->of && !strcmp(c->of, of))))
            return c;
    }
    return NULL;
}

int qtr_column_set_role(struct qtr_column *c, enum qtr_role role, const char *of)
{
    c->role = role;
    free(c->of);
    c->of = NULL;
    if (of && !(c->of = qtr_strdup(of)))
        return QTR_ERR_NOMEM;
    return QTR_OK;
}

struct qtr_column *qtr_frame_add_column(struct qtr_frame *f, const char *name, const char *origin,
                                        int is_text)
{
    struct qtr_column **cols = realloc(f->cols, (f->ncols + 1) * sizeof *cols);
    if (!cols)
        return NULL;
    f->cols = cols;
    struct qtr_column *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    size_t n = f->n ? f->n : 1;
    c->name = qtr_strdup(name);
    c->origin = qtr_strdup(origin);
    c->is_text = is_text;
    c->v = malloc(n * sizeof *c->v);
    c->kind = malloc(n);
    c->text = is_text ? calloc(n, sizeof *c->text) : NULL;
    if (!c->name || !c->origin || !c->v || !c->kind || (is_text && !c->text)) {
        column_release(c, 0);
        free(c);
        return NULL;
    }
    cols[f->ncols] = c;
    for (size_t i = 0; i < f->n; i++) {
        c->v[i] = NAN;
        c->kind[i] = QTR_CELL_MISSING;
    }
    f->ncols++;
    qtr_column_recount(c, f->n);
    return c;
}

void qtr_column_set_number(struct qtr_column *col, size_t i, double v)
{
    if (isfinite(v)) {
        col->v[i] = v;
        col->kind[i] = QTR_CELL_VALUE;
    }
}

int qtr_column_set_text(struct qtr_column *col, size_t i, const char *s)
{
    if (!s || !*s)
        return QTR_OK;
    char *copy = qtr_strdup(s);
    if (!copy)
        return QTR_ERR_NOMEM;
    free(col->text[i]);
    col->text[i] = copy;
    col->kind[i] = QTR_CELL_VALUE;
    return QTR_OK;
}

void qtr_column_recount(struct qtr_column *col, size_t n)
{
    memset(col->count, 0, sizeof col->count);
    for (size_t i = 0; i < n; i++)
        if (col->kind[i] < QTR_CELL_KIND_COUNT)
            col->count[col->kind[i]]++;
}

struct qtr_column *qtr_frame_find(const struct qtr_frame *f, const char *name)
{
    if (!name)
        return NULL;
    size_t wl;
    const char *w = qtr_trim_span(name, &wl);
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < f->ncols; j++) {
            size_t hl;
            const char *hname = qtr_trim_span(f->cols[j]->name, &hl);
            if (hl == wl && (pass ? strncasecmp(hname, w, wl) : strncmp(hname, w, wl)) == 0)
                return f->cols[j];
        }
    return NULL;
}

int qtr_frame_require(const struct qtr_frame *f, const char *name, const char *what,
                      struct qtr_column **out, struct qtr_error *err)
{
    struct qtr_column *c = qtr_frame_find(f, name);
    if (c && !c->is_text) {
        *out = c;
        return QTR_OK;
    }
    struct qtr_buf b = {0};
    for (size_t j = 0; j < f->ncols && b.len < 1000; j++)
        if (!f->cols[j]->is_text)
            qtr_buf_printf(&b, "%s%s", b.len ? ", " : "", f->cols[j]->name);
    int rc;
    if (c)
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "%s '%s' (from %s) holds text, not counts; numeric columns: %s",
                           what, name, c->origin, b.data ? b.data : "(none)");
    else {
        /* the closest column names first: a typo or a trailing blank is the usual cause */
        const char **names = malloc((f->ncols ? f->ncols : 1) * sizeof *names);
        size_t idx[3], found = 0;
        char near[600] = "";
        if (names && name) {
            for (size_t j = 0; j < f->ncols; j++)
                names[j] = f->cols[j]->name;
            if (qtr_closest_names(name, names, f->ncols, 3, idx, &found))
                found = 0;
        }
        size_t used = 0;
        for (size_t k = 0; k < found && used < sizeof near; k++)
            used += (size_t)snprintf(near + used, sizeof near - used, "%s'%s'",
                                     k ? (k + 1 == found ? " or " : ", ") : "did you mean ",
                                     names[idx[k]]);
        free(names);
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "%s '%s' not found in the joined data%s%s%s (numeric columns: %s); "
                           "check the column name and the table's suffix",
                           what, name ? name : "", found ? "; " : "", found ? near : "",
                           found ? "?" : "", b.data ? b.data : "(none)");
    }
    qtr_buf_release(&b);
    return rc;
}

int qtr_column_set_range(struct qtr_column *col, size_t n, size_t i, double lo, double hi)
{
    if (!col->range_lo) {
        double *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
        if (!a || !b) {
            free(a);
            free(b);
            return QTR_ERR_NOMEM;
        }
        for (size_t k = 0; k < n; k++)
            a[k] = b[k] = NAN;
        col->range_lo = a;
        col->range_hi = b;
    }
    col->range_lo[i] = lo;
    col->range_hi[i] = hi;
    return QTR_OK;
}

void qtr_column_range(const struct qtr_column *col, size_t i, double dlo, double dhi, double *lo,
                      double *hi)
{
    if (col && col->range_lo && isfinite(col->range_lo[i]) && isfinite(col->range_hi[i])) {
        *lo = col->range_lo[i];
        *hi = col->range_hi[i];
    } else {
        *lo = dlo;
        *hi = dhi;
    }
}
