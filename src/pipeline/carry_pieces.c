/*
 * carry_pieces.c - the pieces of a carried table (carry_internal.h): its own boundaries cut by
 * the analysis districts with GEOS (src/geo/crosswalk.c), or the rows of an official
 * correspondence table; and the small helpers the carry stage shares.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry_internal.h"
#include "quartier/cell.h"
#include "quartier/csv.h"
#include "quartier/report.h"
#include "quartier/strutil.h"

int qtr_carry_in_list(const char *list, const char *name)
{
    size_t nl;
    const char *nm = qtr_trim_span(name, &nl);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[256];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        size_t il;
        const char *it = qtr_trim_span(item, &il);
        if (il == nl && il > 0 && !strncasecmp(it, nm, il))
            return 1;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

int qtr_carry_nomem(struct qtr_error *err)
{
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory while carrying a table");
}

/* Pieces by GEOS: the table's own boundaries cut by the analysis districts. */
int qtr_carry_geometric_pieces(struct qtr_ctx *ctx, const struct qtr_layer *to, struct carry_work *w,
                            struct qtr_state *st, struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    struct qtr_layer_options lo = {.source = qtr_config_open_path(ts->bnd_source, ts->bnd_conn),
                                   .layer = ts->bnd_layer,
                                   .sql = ts->bnd_sql,
                                   .key = ts->bnd_key,
                                   .work_crs = to->work_crs};
    int rc = qtr_layer_read(ctx, &lo, &w->from, err);
    if (rc)
        return rc;
    w->nsrc = w->from->n;
    w->skey = w->from->key;
    struct qtr_keyidx *six = qtr_keyidx_build(w->from->key, w->nsrc);
    w->srow = malloc((w->nsrc ? w->nsrc : 1) * sizeof *w->srow);
    if (!six || !w->srow) {
        free(six);
        return qtr_carry_nomem(err);
    }
    /* a key on several features carries its counts on the first only (the others feed their
     * pieces as missing), as the analysis gives statistics to the first feature of a key */
    for (size_t i = 0; i < w->nsrc; i++) {
        w->srow[i] = -1;
        if ((size_t)qtr_keyidx_find(six, w->nsrc, w->skey[i]) != i) {
            rc = qtr_report_add(&st->report, QTR_ISSUE_DUPLICATE_BOUNDARY_KEY, QTR_WARNING,
                                w->skey[i], "", ts->id,
                                "key '%s' stands on several features of '%s'; only the first "
                                "carries the counts of [table %s], the districts the others "
                                "feed are missing",
                                w->skey[i], ts->bnd_source, ts->id);
        } else {
            w->srow[i] = qtr_keyidx_find(w->tix, w->tab->nrows, w->skey[i]);
            if (w->srow[i] < 0)
                rc = qtr_report_add(&st->report, QTR_ISSUE_NO_STATISTICS, QTR_WARNING, w->skey[i],
                                    "", ts->id,
                                    "district of the own layout '%s' without a row in [table "
                                    "%s]; the analysis districts it feeds are missing",
                                    ts->bnd_source, ts->id);
        }
        if (rc) {
            free(six);
            return qtr_carry_nomem(err);
        }
    }
    for (size_t r = 0; r < w->tab->nrows; r++)
        if (*w->tkey_row[r] && qtr_keyidx_find(six, w->nsrc, w->tkey_row[r]) < 0 &&
            qtr_report_add(&st->report, QTR_ISSUE_NO_BOUNDARY, QTR_WARNING, w->tkey_row[r], "",
                           ts->id,
                           "row (%s %zu) without a district in its own layout '%s'; its "
                           "counts are not carried",
                           LINE_WORD(w), w->tab->line[r], ts->bnd_source)) {
            free(six);
            return qtr_carry_nomem(err);
        }
    free(six);

    double sliver = ts->sliver_area >= 0 ? ts->sliver_area : QTR_CROSSWALK_SLIVER_M2;
    if ((rc = qtr_crosswalk_build(ctx->geos, (const struct GEOSGeom_t *const *)w->from->geom,
                                  (const char *const *)w->from->key, w->from->n,
                                  (const struct GEOSGeom_t *const *)to->geom,
                                  (const char *const *)to->key, to->n, sliver, &w->cw, err)))
        return rc;
    /* pieces onto target units (features of one key are one unit), equal pairs merged */
    w->pieces = malloc((w->cw->npieces ? w->cw->npieces : 1) * sizeof *w->pieces);
    w->tarea = calloc(w->ntgt ? w->ntgt : 1, sizeof *w->tarea);
    if (!w->pieces || !w->tarea)
        return qtr_carry_nomem(err);
    for (size_t f = 0; f < to->n; f++)
        w->tarea[w->tunit_of[f]] += w->cw->tgt_area[f];
    for (size_t p = 0; p < w->cw->npieces; p++) {
        w->pieces[p] = w->cw->pieces[p];
        w->pieces[p].tgt = w->tunit_of[w->pieces[p].tgt];
    }
    qsort(w->pieces, w->cw->npieces, sizeof *w->pieces, qtr_carry_piece_cmp);
    for (size_t p = 0; p < w->cw->npieces; p++) {
        if (w->np && w->pieces[w->np - 1].src == w->pieces[p].src &&
            w->pieces[w->np - 1].tgt == w->pieces[p].tgt)
            w->pieces[w->np - 1].area += w->pieces[p].area;
        else
            w->pieces[w->np++] = w->pieces[p];
    }
    w->covered = w->cw->covered;

    /* what is lost: source units (partly) outside the analysis districts, slivers */
    for (size_t i = 0; i < w->nsrc; i++) {
        if (w->srow[i] >= 0 && !(w->from->area[i] > 0) &&
            qtr_report_add(&st->report, QTR_ISSUE_CARRY_UNCOVERED, QTR_WARNING, w->skey[i], "",
                           ts->id,
                           "this district of '%s' has no area (no geometry); its counts are not "
                           "carried",
                           ts->bnd_source))
            return qtr_carry_nomem(err);
        if (w->srow[i] < 0 || !(w->from->area[i] > 0) || !(w->covered[i] < 1))
            continue;
        if (qtr_report_add(
                &st->report, QTR_ISSUE_CARRY_UNCOVERED, QTR_WARNING, w->skey[i], "", ts->id,
                "%.3g %% of this district of '%s' (%.0f m²) lies outside the analysis "
                "districts; that share of its counts is not carried",
                100 * (1 - w->covered[i]), ts->bnd_source, w->from->area[i] - w->cw->cover_area[i]))
            return qtr_carry_nomem(err);
    }
    if (w->cw->nslivers &&
        qtr_report_add(&st->report, QTR_ISSUE_CARRY_SLIVERS, QTR_INFO, "", "", ts->id,
                       "%zu pieces of '%s' and the analysis districts below %g m² dropped "
                       "(%.0f m² in all); each source district's share in them is spread over "
                       "its kept pieces",
                       w->cw->nslivers, ts->bnd_source, sliver, w->cw->sliver_area_sum))
        return qtr_carry_nomem(err);
    return QTR_OK;
}

/* Pieces from an official correspondence table: source key, target key, share. */
int qtr_carry_correspondence_pieces(const struct qtr_ctx *ctx, struct carry_work *w,
                                 struct qtr_error *err)
{
    const struct qtr_table_spec *ts = w->ts;
    struct qtr_table *corr = NULL;
    struct qtr_csv_info info = {0};
    struct qtr_csv_options co = {0};
    int rc = qtr_csv_read(ts->carry_corr, &co, &corr, &info, err);
    if (rc)
        return rc;
    w->nsrc = w->tab->nrows;
    w->skey = w->tkey_row;
    w->srow = malloc((w->nsrc ? w->nsrc : 1) * sizeof *w->srow);
    size_t nr = corr->nrows;
    w->pieces = malloc((nr ? nr : 1) * sizeof *w->pieces);
    w->weight = malloc((nr ? nr : 1) * sizeof *w->weight);
    w->share = malloc((nr ? nr : 1) * sizeof *w->share);
    double *sum = calloc(w->nsrc ? w->nsrc : 1, sizeof *sum);
    struct qtr_keyidx *gix = qtr_keyidx_build(w->tkey, w->ntgt);
    if (!w->srow || !w->pieces || !w->weight || !w->share || !sum || !gix) {
        rc = qtr_carry_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < w->nsrc; i++)
        w->srow[i] = *w->tkey_row[i] ? (long)i : -1;
    if (corr->ncols < 3) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "'%s' has %zu columns; the correspondence table of [table %s] has "
                           "three: source key, target key, share",
                           ts->carry_corr, corr->ncols, ts->id);
        goto out;
    }
    struct qtr_number_format fmt = {info.decimal_mark ? info.decimal_mark : '.'};
    size_t nosrc = 0, notgt = 0;
    for (size_t r = 0; r < nr; r++) {
        char sk[256], tk[256];
        snprintf(sk, sizeof sk, "%s", qtr_table_cell(corr, r, 0));
        snprintf(tk, sizeof tk, "%s", qtr_table_cell(corr, r, 1));
        qtr_trim_inplace(sk);
        qtr_trim_inplace(tk);
        struct qtr_cell sh = qtr_cell_parse(qtr_table_cell(corr, r, 2), fmt);
        enum qtr_cell_class k = qtr_cell_class_of(sh.kind);
        if ((k != QTR_CLASS_VALUE && k != QTR_CLASS_ZERO) || sh.value < 0 || sh.value > 1 + 1e-9) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "'%s' line %zu, column '%s': the share of source key '%s' in "
                               "target key '%s' is '%s'; a share is a number from 0 to 1",
                               ts->carry_corr, corr->line[r], corr->names[2], sk, tk,
                               qtr_table_cell(corr, r, 2));
            goto out;
        }
        long s = qtr_keyidx_find(w->tix, w->tab->nrows, sk);
        long t = qtr_keyidx_find(gix, w->ntgt, tk);
        if (s < 0) {
            nosrc++;
            continue;
        }
        sum[s] += sh.value;
        if (t < 0) {
            notgt++;
            continue;
        }
        w->pieces[w->np] = (struct qtr_piece){(size_t)s, (size_t)t, 0};
        w->share[w->np] = w->weight[w->np] = sh.value;
        w->np++;
    }
    if (nosrc)
        qtr_warn(ctx,
                 "%zu rows of the correspondence table '%s' name a source key that is not in "
                 "[table %s]; they are skipped",
                 nosrc, ts->carry_corr, ts->id);
    if (notgt)
        qtr_warn(ctx,
                 "%zu rows of the correspondence table '%s' name a target key that is not an "
                 "analysis district; their shares are not carried",
                 notgt, ts->carry_corr);
    size_t off = 0;
    for (size_t i = 0; i < w->nsrc; i++)
        off += w->srow[i] >= 0 && fabs(sum[i] - 1) > 1e-6;
    if (off)
        qtr_warn(ctx,
                 "the shares of %zu source keys of [table %s] in '%s' do not sum to 1; their "
                 "counts are carried as the shares say",
                 off, ts->id, ts->carry_corr);
    rc = QTR_OK;
out:
    free(sum);
    free(gix);
    qtr_table_free(corr);
    return rc;
}
