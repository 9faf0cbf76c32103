#include "quartier/disclosure.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/strutil.h"

/* Is column c declared in its table's `not_counts = ` list (name as in the table, or with the
 * table's suffix)? */
static int declared_code(const struct qtr_column *c, const struct qtr_config *cfg)
{
    for (size_t t = 0; cfg && t < cfg->ntables; t++) {
        const struct qtr_table_spec *ts = &cfg->tables[t];
        if (!ts->not_counts || strcmp(ts->id, c->origin) != 0)
            continue;
        const char *p = ts->not_counts;
        while (*p) {
            while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            const char *s = p;
            while (*p && *p != ',')
                p++;
            const char *e = p;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
                e--;
            size_t len = (size_t)(e - s), sl = ts->suffix ? strlen(ts->suffix) : 0;
            if (len == 0)
                continue;
            if (strlen(c->name) == len && !strncmp(c->name, s, len))
                return 1;
            if (sl && strlen(c->name) == len + sl && !strncmp(c->name, s, len) &&
                !strcmp(c->name + len, ts->suffix))
                return 1;
        }
    }
    return 0;
}

int qtr_is_count_column(const struct qtr_column *c, size_t n)
{
    if (c->is_text || !strcmp(c->origin, "quartier") || !strcmp(c->origin, "boundaries"))
        return 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->kind[i] != QTR_CELL_VALUE && c->kind[i] != QTR_CELL_ZERO)
            continue;
        any = 1;
        double v = c->v[i];
        if (!(fabs(v) < 9007199254740992.0) || v != floor(v))
            return 0;
    }
    /* A column with no value at all but protected cells still counts: its cells stay hidden. */
    return any || c->count[QTR_CELL_SECRET] + c->count[QTR_CELL_SUPPRESSED] > 0;
}

/* Input kinds that mean "a number exists but is not public". */
static int protected_kind(uint8_t k)
{
    return k == QTR_CELL_SECRET || k == QTR_CELL_SUPPRESSED || k == QTR_CELL_UNRELIABLE;
}

struct ctx {
    struct qtr_frame *f;
    uint8_t *hidden; /* ncols * n: count cell not public after step 1 */
    uint8_t *is_count;
};

static int hidden_at(const struct ctx *c, const struct qtr_column *col, size_t i)
{
    for (size_t j = 0; j < c->f->ncols; j++)
        if (c->f->cols[j] == col)
            return c->is_count[j] && c->hidden[j * c->f->n + i];
    return 0;
}

/*
 * Does the SQL expression refer, for district i, to a hidden count? Column
 * references are "quoted identifiers" ("" escapes a quote) or bare
 * identifiers that are not function names.
 */
static int expr_hidden(const struct ctx *c, const char *expr, size_t i, int *nomem)
{
    if (!expr)
        return 0;
    const char *p = expr;
    while (*p) {
        char *name = NULL;
        if (*p == '"') {
            struct qtr_buf b = {0};
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                if (qtr_buf_append(&b, p, 1)) {
                    qtr_buf_release(&b);
                    *nomem = 1;
                    return 0;
                }
                p++;
            }
            if (*p == '"')
                p++;
            name = b.data ? b.data : NULL;
        } else if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p++)
                if (*p == '\'')
                    p++;
            if (*p)
                p++;
            continue;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            const char *q = p;
            while (*q == ' ')
                q++;
            if (*q == '(')
                continue;
            name = qtr_strndup(s, (size_t)(p - s));
            if (!name) {
                *nomem = 1;
                return 0;
            }
        } else {
            p++;
            continue;
        }
        if (!name)
            continue;
        const struct qtr_column *col = qtr_frame_find(c->f, name);
        free(name);
        if (col && hidden_at(c, col, i))
            return 1;
    }
    return 0;
}

static int shows_number(const struct qtr_column *c, size_t i)
{
    return c && !c->is_text && (c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO);
}

static void hide(struct qtr_column *c, size_t i, size_t *counter)
{
    c->kind[i] = QTR_CELL_SUPPRESSED;
    c->v[i] = NAN;
    (*counter)++;
}

/* The spec of the group or indicator a column belongs to (qtr_column.of), or NULL. */
static const struct qtr_group_spec *group_of(const struct qtr_config *cfg, const char *id)
{
    for (size_t g = 0; id && g < cfg->ngroups; g++)
        if (!strcmp(cfg->groups[g].id, id))
            return &cfg->groups[g];
    return NULL;
}

static const struct qtr_indicator_spec *indicator_of(const struct qtr_config *cfg, const char *id)
{
    for (size_t k = 0; id && k < cfg->nindicators; k++)
        if (!strcmp(cfg->indicators[k].id, id))
            return &cfg->indicators[k];
    return NULL;
}

int qtr_disclose_frame(struct qtr_frame *f, const struct qtr_config *cfg,
                       struct qtr_disclosure *out, struct qtr_error *err)
{
    struct qtr_disclosure d = {0, 0, 0};
    size_t n = f->n;
    int nomem = 0;
    struct ctx c = {f, calloc(f->ncols * n + 1, 1), calloc(f->ncols + 1, 1)};
    uint8_t *touched = calloc(f->ncols + 1, 1);
    if (!c.hidden || !c.is_count || !touched) {
        free(c.hidden);
        free(c.is_count);
        free(touched);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    /* Step 1: small counts. */
    for (size_t j = 0; j < f->ncols; j++) {
        struct qtr_column *col = f->cols[j];
        c.is_count[j] = (uint8_t)(qtr_is_count_column(col, n) && !declared_code(col, cfg));
        if (!c.is_count[j])
            continue;
        for (size_t i = 0; i < n; i++) {
            if (col->kind[i] == QTR_CELL_VALUE && col->v[i] > 0 && col->v[i] < cfg->min_count) {
                hide(col, i, &d.counts);
                touched[j] = 1;
            }
            c.hidden[j * n + i] = (uint8_t)protected_kind(col->kind[i]);
        }
    }
    /* Step 2: values derived from hidden counts. Which rule applies is decided per column. */
    for (size_t j = 0; j < f->ncols && !nomem; j++) {
        struct qtr_column *col = f->cols[j];
        if (strcmp(col->origin, "quartier") != 0 || col->is_text)
            continue;
        const struct qtr_column *group = NULL;
        const char *e1 = NULL, *e2 = NULL, *e3 = NULL;
        const struct qtr_group_spec *gs = group_of(cfg, col->of);
        const struct qtr_indicator_spec *s = indicator_of(cfg, col->of);
        int any_group = 0;
        switch (col->role) {
        /* every per-district value computed from the group's count or share */
        case QTR_ROLE_SHARE:
        case QTR_ROLE_SHARE_DIFF:
        case QTR_ROLE_SHARE_CHANGE:
        case QTR_ROLE_LQ:
        case QTR_ROLE_LISA_I:
        case QTR_ROLE_LISA_P:
        case QTR_ROLE_GI_Z:
        case QTR_ROLE_LQ_P:
        case QTR_ROLE_LQ_HIGH:
            group = gs ? qtr_frame_find(f, gs->column) : NULL;
            break;
        /* local multigroup measures read every group's count in the district */
        case QTR_ROLE_LOCAL_INDEX:
            any_group = 1;
            break;
        case QTR_ROLE_INDICATOR:
            e1 = s ? s->expr : NULL;
            break;
        case QTR_ROLE_IND_PREVIOUS:
            e1 = s ? s->previous : NULL;
            break;
        case QTR_ROLE_IND_CHANGE:
            if (s) {
                e1 = s->expr;
                e2 = s->previous;
                e3 = s->change;
            }
            break;
        case QTR_ROLE_IND_NUMERATOR:
            e1 = s ? s->numerator : NULL;
            break;
        case QTR_ROLE_IND_DENOMINATOR:
            e1 = s ? s->denominator : NULL;
            break;
        default:
            break;
        }
        if (!group && !e1 && !any_group)
            continue;
        for (size_t i = 0; i < n && !nomem; i++) {
            if (!shows_number(col, i))
                continue;
            int h = 0;
            if (any_group) {
                for (size_t g = 0; g < cfg->ngroups && !h; g++) {
                    const struct qtr_column *gc = qtr_frame_find(f, cfg->groups[g].column);
                    h = cfg->groups[g].multigroup && gc && hidden_at(&c, gc, i);
                }
            } else {
                h = group ? hidden_at(&c, group, i)
                          : expr_hidden(&c, e1, i, &nomem) || expr_hidden(&c, e2, i, &nomem) ||
                                expr_hidden(&c, e3, i, &nomem);
            }
            if (h) {
                hide(col, i, &d.derived);
                touched[j] = 1;
            }
        }
    }
    for (size_t j = 0; j < f->ncols; j++)
        if (touched[j]) {
            qtr_column_recount(f->cols[j], n);
            d.columns++;
        }
    free(c.hidden);
    free(c.is_count);
    free(touched);
    if (nomem)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (out)
        *out = d;
    return QTR_OK;
}
