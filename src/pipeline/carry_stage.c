/*
 * carry_stage.c - a [table] on its own district layout (issue 13): its counts carried onto
 * the analysis districts in the load stage, before the join (docs/crosswalk.md). The pieces
 * come from src/geo/crosswalk.c (GEOS), the shares and cell states from the pure kernel
 * src/core/carry.c; this file only reads, matches keys and writes the carried table (the
 * pieces: carry_pieces.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry_internal.h"
#include "quartier/carry.h"
#include "quartier/cell.h"
#include "quartier/crosswalk.h"
#include "quartier/csv.h"
#include "quartier/join.h"
#include "quartier/layer.h"
#include "quartier/report.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

int qtr_table_is_carried(const struct qtr_table_spec *ts)
{
    return ts->bnd_source != NULL || ts->carry == QTR_TABLE_CARRY_CORRESPONDENCE;
}

/* ---- the work of one table (struct carry_work: carry_internal.h) ---------------------- */

static void work_free(struct carry_work *w)
{
    if (w->tkey_row)
        for (size_t r = 0; r < w->tab->nrows; r++)
            free(w->tkey_row[r]);
    free(w->tkey_row);
    free(w->tix);
    free(w->col);
    free(w->srow);
    qtr_layer_free(w->from);
    qtr_crosswalk_free(w->cw);
    free(w->tkey);
    free(w->tunit_of);
    free(w->tfirst);
    free(w->pieces);
    free(w->tarea);
    free(w->anc);
    free(w->density);
    free(w->weight);
    free(w->share);
    free(w->fallback);
}


/* The key column, the table's keys (a repeated key is an error) and the columns to carry. */
static int table_columns(const struct qtr_ctx *ctx, struct carry_work *w, struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    const struct qtr_table *t = w->tab;
    int rc = qtr_table_require_column(t, ts->key, "key column", &w->kcol, err);
    if (rc)
        return rc;
    w->tkey_row = calloc(t->nrows ? t->nrows : 1, sizeof *w->tkey_row);
    if (!w->tkey_row)
        return qtr_carry_nomem(err);
    for (size_t r = 0; r < t->nrows; r++)
        if (!(w->tkey_row[r] = qtr_trim_inplace(qtr_strdup(qtr_table_cell(t, r, w->kcol)))))
            return qtr_carry_nomem(err);
    if (!(w->tix = qtr_keyidx_build(w->tkey_row, t->nrows)))
        return qtr_carry_nomem(err);
    for (size_t r = 1; r < t->nrows; r++)
        if (*w->tix[r].k && !strcmp(w->tix[r].k, w->tix[r - 1].k))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "'%s' %s %zu: key '%s' (column '%s') occurs again (first on "
                                 "%s %zu); [table %s] is carried onto the analysis districts "
                                 "and needs one row per district of its own layout",
                                 ts->source, LINE_WORD(w), t->line[w->tix[r].i], w->tix[r].k,
                                 ts->key, LINE_WORD(w), t->line[w->tix[r - 1].i], ts->id);

    /* `columns =` or every column but the key; not_counts are not carried */
    w->col = malloc((t->ncols ? t->ncols : 1) * sizeof *w->col);
    if (!w->col)
        return qtr_carry_nomem(err);
    char dropped[600] = "";
    size_t ndropped = 0;
    const char *p = ts->columns;
    for (size_t c = 0; ts->columns ? *p != '\0' : c < t->ncols;) {
        size_t idx;
        if (ts->columns) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            char item[256];
            snprintf(item, sizeof item, "%.*s", (int)len, p);
            p += comma ? len + 1 : len;
            if (!*qtr_trim_inplace(item))
                continue;
            if ((rc = qtr_table_require_column(t, item, "column to carry", &idx, err)))
                return rc;
            for (size_t k = 0; k < w->ncols; k++)
                if (w->col[k] == idx)
                    idx = w->kcol; /* named twice: carried once */
        } else {
            idx = c++;
        }
        if (idx == w->kcol)
            continue;
        if (ts->not_counts && qtr_carry_in_list(ts->not_counts, t->names[idx])) {
            size_t used = strlen(dropped);
            snprintf(dropped + used, sizeof dropped - used, "%s'%s'", ndropped ? ", " : "",
                     t->names[idx]);
            ndropped++;
            continue;
        }
        if (w->ncols < t->ncols)
            w->col[w->ncols++] = idx;
    }
    if (ndropped)
        qtr_warn(ctx,
                 "[table %s] is carried from its own layout, which carries counts only: the "
                 "not_counts column%s %s %s not carried and left out of the analysis",
                 ts->id, ndropped == 1 ? "" : "s", dropped, ndropped == 1 ? "is" : "are");
    if (!w->ncols)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "[table %s] ('%s') has no count column to carry besides its key "
                             "'%s'",
                             ts->id, ts->source, ts->key);
    return QTR_OK;
}

/* The target units: one per distinct key of the analysis districts. */
static int target_units(const struct qtr_layer *l, struct carry_work *w, struct qtr_error *err)
{
    struct qtr_keyidx *ix = qtr_keyidx_build(l->key, l->n);
    w->tkey = malloc((l->n ? l->n : 1) * sizeof *w->tkey);
    w->tunit_of = malloc((l->n ? l->n : 1) * sizeof *w->tunit_of);
    w->tfirst = malloc((l->n ? l->n : 1) * sizeof *w->tfirst);
    if (!ix || !w->tkey || !w->tunit_of || !w->tfirst) {
        free(ix);
        return qtr_carry_nomem(err);
    }
    for (size_t f = 0; f < l->n; f++) {
        size_t first = (size_t)qtr_keyidx_find(ix, l->n, l->key[f]);
        if (first == f) {
            w->tkey[w->ntgt] = l->key[f];
            w->tfirst[w->ntgt] = f;
            w->tunit_of[f] = w->ntgt++;
        } else {
            w->tunit_of[f] = w->tunit_of[first];
        }
    }
    free(ix);
    return QTR_OK;
}


/* Ancillary counts of the target units from column ts->carry_weights of the data. */
static int ancillary(const struct qtr_ctx *ctx, const struct qtr_config *cfg,
                     const struct qtr_frame *anc, struct carry_work *w, struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    char what[1200], sec[160];
    struct qtr_column *c;
    snprintf(sec, sizeof sec, "table %s", ts->id);
    int rc = qtr_frame_require(anc, ts->carry_weights,
                               qtr_config_what(cfg, sec, "carry",
                                               "weights column (carry = "
                                               "weights COLUMN: a column of another table or of "
                                               "the boundaries)",
                                               what, sizeof what),
                               &c, err);
    if (rc)
        return rc;
    if (c->is_text)
        return qtr_error_set(
            err, QTR_ERR_DATA, "%s: the weights column '%s' of [table %s] holds text, not counts",
            qtr_config_where(cfg, sec, "carry", what, sizeof what), ts->carry_weights, ts->id);
    if (!(w->anc = malloc((w->ntgt ? w->ntgt : 1) * sizeof *w->anc)))
        return qtr_carry_nomem(err);
    size_t none = 0;
    for (size_t j = 0; j < w->ntgt; j++) {
        size_t f = w->tfirst[j];
        enum qtr_cell_class k = qtr_cell_class_of((enum qtr_cell_kind)c->kind[f]);
        w->anc[j] = k == QTR_CLASS_VALUE || k == QTR_CLASS_ZERO ? c->v[f] : NAN;
        if (isnan(w->anc[j]))
            none++;
        else if (w->anc[j] < 0)
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "district '%s': the ancillary count %g in column '%s' (carry "
                                 "= weights of [table %s]) is negative",
                                 w->tkey[j], w->anc[j], ts->carry_weights, ts->id);
    }
    if (none)
        qtr_warn(ctx,
                 "%zu analysis districts have no value in '%s' (carry = weights of [table %s]); "
                 "the districts of the table's own layout over them are carried by area",
                 none, ts->carry_weights, ts->id);
    return QTR_OK;
}

/* The text of a carried cell, as the join reads it back with decimal point. */
static void cell_text(const struct qtr_cell *c, char *buf, size_t size)
{
    switch (qtr_cell_class_of(c->kind)) {
    case QTR_CLASS_VALUE:
        snprintf(buf, size, "%.17g", c->value == 0 ? 0.0 : c->value);
        break;
    case QTR_CLASS_ZERO:
        snprintf(buf, size, "-");
        break;
    case QTR_CLASS_SUPPRESSED:
        snprintf(buf, size, ".");
        break;
    default:
        buf[0] = '\0';
    }
}

/* Join report: districts fed by several sources, sources split over several districts. */
static int report_links(const struct carry_work *w, struct qtr_report *rep)
{
    const struct qtr_table_spec *ts = w->ts;
    /* pieces are ordered by source: split sources are runs of more than one piece */
    for (size_t p = 0; p < w->np;) {
        size_t q = p;
        while (q < w->np && w->pieces[q].src == w->pieces[p].src)
            q++;
        if (q - p > 1 && w->srow[w->pieces[p].src] >= 0) {
            char d[400];
            int used = snprintf(d, sizeof d,
                                "split over %zu analysis districts (share of its "
                                "counts):",
                                q - p);
            for (size_t k = p; k < q && used > 0 && (size_t)used < sizeof d; k++)
                used += snprintf(d + used, sizeof d - (size_t)used, "%s %s (%.3g)",
                                 k > p ? "," : "", w->tkey[w->pieces[k].tgt], w->share[k]);
            if (qtr_report_add(rep, QTR_ISSUE_CARRY_SPLIT_SOURCE, QTR_INFO,
                               w->skey[w->pieces[p].src], "", ts->id, "%s", d))
                return QTR_ERR_NOMEM;
        }
        p = q;
    }
    size_t *nfed = calloc(w->ntgt ? w->ntgt : 1, sizeof *nfed);
    if (!nfed)
        return QTR_ERR_NOMEM;
    for (size_t p = 0; p < w->np; p++)
        nfed[w->pieces[p].tgt]++;
    for (size_t j = 0; j < w->ntgt; j++) {
        if (nfed[j] < 2)
            continue;
        char d[400];
        int used = snprintf(d, sizeof d,
                            "fed by %zu districts of [table %s]'s own layout "
                            "(share of their counts):",
                            nfed[j], ts->id);
        size_t k = 0;
        for (size_t p = 0; p < w->np && used > 0 && (size_t)used < sizeof d; p++)
            if (w->pieces[p].tgt == j)
                used += snprintf(d + used, sizeof d - (size_t)used, "%s %s (%.3g)", k++ ? "," : "",
                                 w->skey[w->pieces[p].src], w->share[p]);
        if (qtr_report_add(rep, QTR_ISSUE_CARRY_SEVERAL_SOURCES, QTR_INFO, w->tkey[j], "", ts->id,
                           "%s", d)) {
            free(nfed);
            return QTR_ERR_NOMEM;
        }
    }
    free(nfed);
    return QTR_OK;
}

/* Append the pieces to st->crosswalk. */
static int add_crosswalk(const struct carry_work *w, int geometric, struct qtr_state *st)
{
    struct qtr_crosswalk_row *rows =
        realloc(st->crosswalk, (st->ncrosswalk + w->np + 1) * sizeof *rows);
    if (!rows)
        return QTR_ERR_NOMEM;
    st->crosswalk = rows;
    for (size_t p = 0; p < w->np; p++) {
        struct qtr_crosswalk_row *r = &rows[st->ncrosswalk++];
        snprintf(r->source_key, sizeof r->source_key, "%s", w->skey[w->pieces[p].src]);
        snprintf(r->target_key, sizeof r->target_key, "%s", w->tkey[w->pieces[p].tgt]);
        snprintf(r->table_id, sizeof r->table_id, "%s", w->ts->id);
        r->piece_area_m2 = geometric ? w->pieces[p].area : NAN;
        r->weight = w->weight[p];
        r->share = w->share[p];
    }
    return QTR_OK;
}

/* Carry every column and build the table that replaces the one read. */
/* Remember the own range of a carried '*' count (attached after the join). */
static int add_range(struct qtr_state *st, const char *key, const char *column,
                     const char *suffix, double lo, double hi)
{
    struct qtr_carried_range *r = realloc(st->ranges, (st->nranges + 1) * sizeof *r);
    if (!r)
        return QTR_ERR_NOMEM;
    st->ranges = r;
    r += st->nranges;
    r->key = qtr_strdup(key);
    r->column = qtr_asprintf("%s%s", column, suffix ? suffix : "");
    r->lo = lo;
    r->hi = hi;
    if (!r->key || !r->column) {
        free(r->key);
        free(r->column);
        return QTR_ERR_NOMEM;
    }
    st->nranges++;
    return QTR_OK;
}

/* The cells of table column col for each source unit (missing for a unit without a row). */
static int source_cells(const struct carry_work *w, size_t col, struct qtr_cell *in,
                        struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    const struct qtr_table *t = w->tab;
    struct qtr_number_format fmt = {w->decimal_mark ? w->decimal_mark : '.'};
    for (size_t i = 0; i < w->nsrc; i++) {
        in[i] = (struct qtr_cell){NAN, QTR_CELL_MISSING, 0};
        if (w->srow[i] < 0)
            continue;
        size_t r = (size_t)w->srow[i];
        const char *cell = qtr_table_cell(t, r, col);
        if (ts->na_values && qtr_carry_in_list(ts->na_values, cell))
            continue;
        in[i] = qtr_cell_parse(cell, fmt);
        if (in[i].kind == QTR_CELL_INVALID)
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "'%s' %s %zu, column '%s', key '%s': '%s' is neither a "
                                 "number nor a mark of the Zeichenerklärung; [table %s] is "
                                 "carried onto the analysis districts, which needs counts "
                                 "(correct the cell, leave it empty, or leave the column out "
                                 "with 'columns =')",
                                 ts->source, LINE_WORD(w), t->line[r], t->names[col],
                                 w->tkey_row[r], cell, ts->id);
    }
    return QTR_OK;
}

/*
 * carry_density = COLUMN: the count per m² of each source district, which spreads each target's
 * ancillary count over its pieces (carry.h). Districts without a number get the density of all
 * the others together; a warning names them.
 */
static int source_density(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                          struct carry_work *w, struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    size_t col;
    char what[1200], sec[160];
    snprintf(sec, sizeof sec, "table %s", ts->id);
    int rc = qtr_table_require_column(
        w->tab, ts->carry_density,
        qtr_config_what(cfg, sec, "carry_density",
                        "density column (carry_density = COLUMN: a count column of this table)",
                        what, sizeof what),
        &col, err);
    if (rc)
        return rc;
    struct qtr_cell *cells = malloc((w->nsrc ? w->nsrc : 1) * sizeof *cells);
    uint8_t *unknown = malloc(w->nsrc ? w->nsrc : 1);
    w->density = malloc((w->nsrc ? w->nsrc : 1) * sizeof *w->density);
    if (!cells || !unknown || !w->density) {
        free(cells);
        free(unknown);
        return qtr_carry_nomem(err);
    }
    if (!(rc = source_cells(w, col, cells, err)) &&
        qtr_carry_source_density(w->nsrc, cells, w->from->area, w->density, unknown)) {
        char keys[400] = "";
        size_t n = 0;
        for (size_t i = 0; i < w->nsrc; i++)
            if (unknown[i] && w->srow[i] >= 0) {
                size_t used = strlen(keys);
                if (n < 8)
                    snprintf(keys + used, sizeof keys - used, "%s'%s'", n ? ", " : "",
                             w->skey[i]);
                n++;
            }
        if (n)
            qtr_warn(ctx,
                     "[table %s]: %zu districts of its own layout have no number in '%s' "
                     "(carry_density): %s%s; they are given the density of all the others "
                     "together",
                     ts->id, n, ts->carry_density, keys, n > 8 ? ", ..." : "");
    }
    free(cells);
    free(unknown);
    return rc;
}

static int carry_cells(struct carry_work *w, const struct qtr_config *cfg, struct qtr_state *st,
                       struct qtr_table **out, struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    const struct qtr_table *t = w->tab;
    int rc = QTR_OK;
    struct qtr_cell *in = malloc((w->nsrc ? w->nsrc : 1) * sizeof *in);
    size_t ncells = w->ntgt * w->ncols;
    struct qtr_cell *res = malloc((ncells ? ncells : 1) * sizeof *res);
    double *rlo = malloc((ncells ? ncells : 1) * sizeof *rlo);
    double *rhi = malloc((ncells ? ncells : 1) * sizeof *rhi);
    const char **names = malloc((w->ncols + 1) * sizeof *names);
    const char **cells = malloc((w->ncols + 1) * sizeof *cells);
    char *text = malloc((w->ncols + 1) * 32);
    struct qtr_table *nt = NULL;
    if (!in || !res || !rlo || !rhi || !names || !cells || !text) {
        rc = qtr_carry_nomem(err);
        goto out;
    }
    for (size_t c = 0; c < w->ncols; c++) {
        if ((rc = source_cells(w, w->col[c], in, err)))
            goto out;
        qtr_carry_cells(w->pieces, w->np, w->share, in, w->ntgt, res + c * w->ntgt);
        /* a target fed by '*' counts, values and zeros only lies in a known range */
        qtr_carry_ranges(w->pieces, w->np, w->share, in, cfg->suppressed_low,
                         cfg->suppressed_high, w->ntgt, rlo + c * w->ntgt, rhi + c * w->ntgt);
    }
    names[0] = ts->key;
    for (size_t c = 0; c < w->ncols; c++)
        names[c + 1] = t->names[w->col[c]];
    char src[600];
    snprintf(src, sizeof src, "%s (carried onto the analysis districts)", ts->source);
    if (!(nt = qtr_table_new(src, w->ncols + 1, names))) {
        rc = qtr_carry_nomem(err);
        goto out;
    }
    for (size_t j = 0; j < w->ntgt; j++) {
        /* a district fed by nothing, or only by missing counts, gets no row: the join reports
         * it as without statistics (a row of empty cells would read as a note row) */
        size_t nmiss = 0;
        for (size_t c = 0; c < w->ncols; c++)
            nmiss += qtr_cell_class_of(res[c * w->ntgt + j].kind) == QTR_CLASS_MISSING;
        if (nmiss == w->ncols)
            continue;
        cells[0] = w->tkey[j];
        for (size_t c = 0; c < w->ncols; c++) {
            size_t x = c * w->ntgt + j;
            cell_text(&res[x], text + 32 * (c + 1), 32);
            if (res[x].kind == QTR_CELL_SUPPRESSED && isfinite(rlo[x]) && isfinite(rhi[x])) {
                /* '*' with its own range instead of '.' (unknown): usable like a '*' count */
                snprintf(text + 32 * (c + 1), 32, "*");
                if (add_range(st, w->tkey[j], names[c + 1], ts->suffix, rlo[x], rhi[x])) {
                    rc = qtr_carry_nomem(err);
                    goto out;
                }
            }
            cells[c + 1] = text + 32 * (c + 1);
        }
        if ((rc = qtr_table_append_row(nt, cells, j + 1, err)))
            goto out;
    }
    *out = nt;
    nt = NULL;
out:
    qtr_table_free(nt);
    free(in);
    free(res);
    free(rlo);
    free(rhi);
    free(names);
    free(cells);
    free(text);
    return rc;
}

int qtr_carry_table(struct qtr_ctx *ctx, const struct qtr_config *cfg, size_t t,
                    const struct qtr_frame *anc, struct qtr_state *st, struct qtr_error *err)
{
    const struct qtr_table_spec *ts = &cfg->tables[t];
    struct qtr_loaded_table *lt = &st->tables[t];
    struct carry_work w = {
        .ts = ts, .tab = lt->table, .decimal_mark = lt->info.decimal_mark, .is_pg = lt->is_pg};
    int geometric = ts->carry != QTR_TABLE_CARRY_CORRESPONDENCE;
    enum qtr_carry_method method = QTR_CARRY_CORRESPONDENCE;
    if (geometric)
        method = ts->carry == QTR_TABLE_CARRY_WEIGHTS ? QTR_CARRY_WEIGHTS : QTR_CARRY_AREA;
    struct qtr_table *nt = NULL;
    int rc;
    if ((rc = table_columns(ctx, &w, err)) || (rc = target_units(st->layer, &w, err)))
        goto out;
    if (geometric)
        rc = qtr_carry_geometric_pieces(ctx, st->layer, &w, st, err);
    else
        rc = qtr_carry_correspondence_pieces(ctx, &w, err);
    if (rc)
        goto out;
    if (method == QTR_CARRY_WEIGHTS && (rc = ancillary(ctx, cfg, anc, &w, err)))
        goto out;
    if (method == QTR_CARRY_WEIGHTS && ts->carry_density && (rc = source_density(ctx, cfg, &w, err)))
        goto out;
    if (geometric) {
        w.weight = malloc((w.np ? w.np : 1) * sizeof *w.weight);
        w.share = malloc((w.np ? w.np : 1) * sizeof *w.share);
        w.fallback = calloc(w.nsrc ? w.nsrc : 1, 1);
        if (!w.weight || !w.share || !w.fallback) {
            rc = qtr_carry_nomem(err);
            goto out;
        }
        if ((rc = qtr_carry_shares(method, w.pieces, w.np, w.nsrc, w.covered, w.ntgt, w.tarea,
                                   w.anc, w.density, w.weight, w.share, w.fallback, err)))
            goto out;
        size_t nfb = 0;
        for (size_t i = 0; i < w.nsrc; i++)
            nfb += w.fallback[i] && w.srow[i] >= 0;
        if (nfb)
            qtr_warn(ctx,
                     "[table %s]: %zu districts of its own layout are carried by area (their "
                     "pieces have no ancillary weight in '%s')",
                     ts->id, nfb, ts->carry_weights);
    }
    if ((rc = carry_cells(&w, cfg, st, &nt, err)))
        goto out;
    if (report_links(&w, &st->report) || add_crosswalk(&w, geometric, st)) {
        rc = qtr_carry_nomem(err);
        goto out;
    }
out:
    work_free(&w); /* reads the table as read: replace it only after */
    if (!rc) {
        qtr_table_free(lt->table);
        lt->table = nt;
        lt->info.decimal_mark = '.';
    } else {
        qtr_table_free(nt);
    }
    return rc;
}

/*
 * Tables on their own district layout (boundaries =, carry =) are carried onto the analysis
 * districts before the join; carry = weights COLUMN reads its ancillary count from the data
 * joined without the carried tables (a scratch join whose report is dropped: the full join
 * below reports the same tables again).
 */
int qtr_carry_tables(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                     struct qtr_join_table *jt, struct qtr_error *err)
{
    int rc = QTR_OK, weights = 0;
    size_t ncarried = 0;
    for (size_t t = 0; t < cfg->ntables; t++)
        if (qtr_table_is_carried(&cfg->tables[t])) {
            ncarried++;
            weights |= cfg->tables[t].carry == QTR_TABLE_CARRY_WEIGHTS;
        }
    if (!ncarried)
        return QTR_OK;
    struct qtr_frame *anc = NULL;
    struct qtr_report scratch = {0};
    struct qtr_join_table *plain = NULL;
    if (weights) {
        plain = calloc(cfg->ntables, sizeof *plain);
        if (!plain)
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        size_t np = 0;
        for (size_t t = 0; t < cfg->ntables; t++)
            if (!qtr_table_is_carried(&cfg->tables[t]))
                plain[np++] = jt[t];
        struct qtr_join_input in = {
            .n = st->layer->n,
            .key = st->layer->key,
            .name = st->layer->name,
            .attrs = st->layer->attrs,
            .attr_numeric = st->layer->attr_numeric,
            .attr_num = st->layer->attr_num,
            .key_column = cfg->bnd_key,
            .name_column = cfg->bnd_name,
            .ntables = np,
            .tables = plain,
        };
        rc = qtr_join_run(&in, &anc, &scratch, err);
    }
    size_t done = 0;
    for (size_t t = 0; !rc && t < cfg->ntables; t++) {
        if (!qtr_table_is_carried(&cfg->tables[t]))
            continue;
        qtr_progress(ctx, (double)done++ / (double)ncarried, "carrying tables onto the districts");
        if ((rc = qtr_carry_table(ctx, cfg, t, anc, st, err)))
            break;
        jt[t].table = st->tables[t].table;
        jt[t].columns = NULL;   /* the carried table holds the columns taken */
        jt[t].na_values = NULL; /* applied while carrying */
        jt[t].decimal_mark = '.';
    }
    if (!rc)
        qtr_progress(ctx, 1.0, "carrying tables onto the districts");
    qtr_frame_free(anc);
    qtr_report_release(&scratch);
    free(plain);
    return rc;
}

struct keyed {
    const char *key;
    size_t i;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

int qtr_carry_attach_ranges(const struct qtr_state *st, struct qtr_frame *f,
                            struct qtr_error *err)
{
    if (!st->nranges)
        return QTR_OK;
    struct keyed *ord = malloc((f->n ? f->n : 1) * sizeof *ord);
    if (!ord)
        return qtr_carry_nomem(err);
    for (size_t i = 0; i < f->n; i++)
        ord[i] = (struct keyed){f->key[i], i};
    qsort(ord, f->n, sizeof *ord, keyed_cmp);
    int rc = QTR_OK;
    for (size_t r = 0; r < st->nranges && !rc; r++) {
        const struct qtr_carried_range *cr = &st->ranges[r];
        struct qtr_column *col = qtr_frame_find(f, cr->column);
        if (!col)
            continue; /* not joined (columns =) */
        /* every feature with the key (a key may stand more than once) */
        size_t lo = 0, hi = f->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(ord[mid].key, cr->key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < f->n && !strcmp(ord[lo].key, cr->key) && !rc; lo++)
            if (col->kind[ord[lo].i] == QTR_CELL_SUPPRESSED &&
                qtr_column_set_range(col, f->n, ord[lo].i, cr->lo, cr->hi))
                rc = qtr_carry_nomem(err);
    }
    free(ord);
    return rc;
}
