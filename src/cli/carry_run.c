/*
 * carry_run.c - the work of `quartier carry` (cmd_carry.c parses the command line): read the
 * source table, the two layouts (or the correspondence table) and the ancillary counts, make
 * the pieces and their shares (src/core/carry.c, src/geo/crosswalk.c), carry every column and
 * write the carried table and the crosswalk; report what the carrying did, by key.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry_util.h"
#include "cli.h"
#include "quartier/carry.h"
#include "quartier/cell.h"
#include "quartier/crosswalk.h"
#include "quartier/csv.h"
#include "quartier/layer.h"
#include "quartier/outdir.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

int carry_run(const struct carry_opts *o)
{
    struct qtr_error err = {0};
    struct qtr_ctx ctx = {0};
    struct cli_progress prog = {0};
    struct qtr_layer *from = NULL, *to = NULL;
    struct keyed tab = {0}, wt = {0};
    struct qtr_table *corr = NULL;
    struct qtr_csv_info corr_info = {0};
    struct qtr_crosswalk *cw = NULL;
    char *xpath = o->crosswalk ? qtr_strdup(o->crosswalk) : default_crosswalk_path(o->out);
    char *colbuf = NULL, **colname = NULL, *ccbuf = NULL, **ccname = NULL;
    size_t *col = NULL, *tunit_of = NULL, nsrc = 0, ntgt = 0, np = 0;
    char **skey = NULL, **tkey = NULL, **ckey = NULL;
    long *srow = NULL;
    struct qtr_piece *pieces = NULL;
    double *tarea = NULL, *anc = NULL, *weight = NULL, *share = NULL, *covered = NULL;
    double *density = NULL;
    struct keylist l_nodens = {0};
    uint8_t *fb = NULL;
    struct qtr_cell *in = NULL, *out = NULL;
    double *rlo = NULL, *rhi = NULL;
    struct qtr_keyidx *six = NULL, *tix = NULL;
    struct keylist l_dup_from = {0}, l_dup_to = {0}, l_norow = {0}, l_nogeom = {0},
                   l_uncovered = {0}, l_unfed = {0}, l_fallback = {0}, l_noanc = {0},
                   l_cs_src = {0}, l_cs_tgt = {0}, l_cs_sum = {0}, l_nofeature = {0};
    int geometric = o->method != QTR_CARRY_CORRESPONDENCE;
    int ex = EXIT_OK;
    int rc = cli_ctx_init(&ctx, &prog, o->quiet, &err);
    const char *inputs[] = {o->table, o->from, o->to, o->wtable, o->corr};
    const char *in_list[5];
    size_t nin = 0;
    for (size_t i = 0; i < 5; i++)
        if (inputs[i])
            in_list[nin++] = inputs[i];
    if (!rc && !xpath)
        rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = qtr_check_not_input(o->out, in_list, nin, &err);
    if (!rc)
        rc = qtr_check_not_input(xpath, in_list, nin, &err);
    if (!rc && !strcmp(o->out, xpath))
        rc =
            qtr_error_set(&err, QTR_ERR_USAGE, "-o and --crosswalk name the same file '%s'", xpath);

    /* the counts */
    if (!rc)
        rc = keyed_read(o->table, o->table_key, "source table", &tab, &err);
    size_t ncols = 0;
    if (!rc) {
        ncols = split_names(o->columns, &colbuf, &colname);
        col = calloc(ncols ? ncols : 1, sizeof *col);
        if (!colbuf || !colname || !col)
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        else if (!ncols)
            rc = qtr_error_set(&err, QTR_ERR_USAGE, "--columns names no column");
        for (size_t c = 0; !rc && c < ncols; c++)
            rc = qtr_table_require_column(tab.t, colname[c], "column to carry", &col[c], &err);
    }

    /* the target units */
    if (!rc && o->to) {
        struct qtr_layer_options lo = {.source = o->to,
                                       .layer = o->to_layer,
                                       .key = o->to_key,
                                       .assign_crs = o->crs,
                                       .work_crs = o->work_crs};
        rc = qtr_layer_read(&ctx, &lo, &to, &err);
        if (!rc)
            rc = group_units(to, &tunit_of, &tkey, &ntgt, &l_dup_to, &err);
    }
    if (!rc && geometric) {
        /* the source units: one per feature; a key on several features carries its counts
         * on the first only (docs/architecture.md: only the first gets statistics) */
        struct qtr_layer_options lo = {.source = o->from,
                                       .layer = o->from_layer,
                                       .key = o->from_key,
                                       .assign_crs = o->crs,
                                       .work_crs = to->work_crs};
        rc = qtr_layer_read(&ctx, &lo, &from, &err);
        if (!rc) {
            nsrc = from->n;
            skey = from->key;
            srow = malloc((nsrc ? nsrc : 1) * sizeof *srow);
            six = qtr_keyidx_build(from->key, nsrc);
            if (!srow || !six)
                rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; !rc && i < nsrc; i++) {
            srow[i] = -1;
            if ((size_t)qtr_keyidx_find(six, nsrc, skey[i]) != i) {
                keylist_add(&l_dup_from, skey[i]);
                continue;
            }
            srow[i] = qtr_keyidx_find(tab.ix, tab.t->nrows, skey[i]);
            if (srow[i] < 0)
                keylist_add(&l_norow, skey[i]);
            else if (!(from->area[i] > 0))
                keylist_add(&l_nogeom, skey[i]);
        }
        for (size_t r = 0; !rc && r < tab.t->nrows; r++)
            if (qtr_keyidx_find(six, nsrc, tab.key[r]) < 0)
                keylist_add(&l_nofeature, tab.key[r]);
        if (!rc)
            rc = qtr_crosswalk_build(ctx.geos, (const struct GEOSGeom_t *const *)from->geom,
                                     (const char *const *)from->key, from->n,
                                     (const struct GEOSGeom_t *const *)to->geom,
                                     (const char *const *)to->key, to->n, o->sliver, &cw, &err);
        if (!rc) {
            /* pieces onto target units (features of one key are one unit) */
            np = cw->npieces;
            pieces = malloc((np ? np : 1) * sizeof *pieces);
            tarea = calloc(ntgt ? ntgt : 1, sizeof *tarea);
            if (!pieces || !tarea)
                rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        }
        if (!rc) {
            for (size_t f = 0; f < to->n; f++)
                tarea[tunit_of[f]] += cw->tgt_area[f];
            for (size_t p = 0; p < np; p++) {
                pieces[p] = cw->pieces[p];
                pieces[p].tgt = tunit_of[pieces[p].tgt];
            }
            qsort(pieces, np, sizeof *pieces, qtr_carry_piece_cmp);
            size_t k = 0;
            for (size_t p = 0; p < np; p++) {
                if (k && pieces[k - 1].src == pieces[p].src && pieces[k - 1].tgt == pieces[p].tgt)
                    pieces[k - 1].area += pieces[p].area;
                else
                    pieces[k++] = pieces[p];
            }
            np = k;
            covered = cw->covered;
            for (size_t i = 0; i < nsrc; i++)
                if (srow[i] >= 0 && from->area[i] > 0 && covered[i] < 1) {
                    char b[300];
                    snprintf(b, sizeof b, "%s (%.2g %%, %.0f m²)", skey[i], 100 * (1 - covered[i]),
                             from->area[i] - cw->cover_area[i]);
                    keylist_add(&l_uncovered, b);
                }
        }
    }

    /* the correspondence table */
    if (!rc && !geometric) {
        nsrc = tab.t->nrows;
        skey = tab.key;
        srow = malloc((nsrc ? nsrc : 1) * sizeof *srow);
        if (!srow)
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        for (size_t i = 0; !rc && i < nsrc; i++)
            srow[i] = (long)i;
        struct qtr_csv_options co = {0};
        if (!rc)
            rc = qtr_csv_read(o->corr, &co, &corr, &corr_info, &err);
        size_t cc[3] = {0, 1, 2};
        if (!rc && o->corr_cols) {
            size_t k = split_names(o->corr_cols, &ccbuf, &ccname);
            if (k != 3)
                rc = qtr_error_set(&err, QTR_ERR_USAGE,
                                   "--correspondence-columns names three columns (source key, "
                                   "target key, share), not '%s'",
                                   o->corr_cols);
            for (size_t c = 0; !rc && c < 3; c++)
                rc = qtr_table_require_column(corr, ccname[c], "correspondence column", &cc[c],
                                              &err);
        } else if (!rc && corr->ncols < 3) {
            rc = qtr_error_set(&err, QTR_ERR_DATA,
                               "'%s' has %zu columns; a correspondence table has three: source "
                               "key, target key, share",
                               o->corr, corr->ncols);
        }
        size_t nr = corr ? corr->nrows : 0;
        if (!rc) {
            ckey = calloc(nr ? nr : 1, sizeof *ckey);
            pieces = malloc((nr ? nr : 1) * sizeof *pieces);
            share = malloc((nr ? nr : 1) * sizeof *share);
            weight = malloc((nr ? nr : 1) * sizeof *weight);
            if (!to) {
                tkey = malloc((nr ? nr : 1) * sizeof *tkey);
                tunit_of = malloc((nr ? nr : 1) * sizeof *tunit_of);
            } else {
                tix = qtr_keyidx_build(tkey, ntgt);
            }
            if (!ckey || !pieces || !share || !weight || !tkey || !tunit_of || (to && !tix))
                rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        }
        for (size_t r = 0; !rc && r < nr; r++) {
            ckey[r] = qtr_trim_inplace(qtr_strdup(qtr_table_cell(corr, r, cc[1])));
            if (!ckey[r])
                rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        }
        struct qtr_keyidx *cix = NULL;
        if (!rc && !to) {
            /* targets: the target keys of the table, in order of appearance */
            if (!(cix = qtr_keyidx_build(ckey, nr)))
                rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
            for (size_t r = 0; !rc && r < nr; r++) {
                size_t first = (size_t)qtr_keyidx_find(cix, nr, ckey[r]);
                if (first == r) {
                    tkey[ntgt] = ckey[r];
                    tunit_of[r] = ntgt++;
                } else {
                    tunit_of[r] = tunit_of[first];
                }
            }
        }
        struct qtr_number_format fmt = {corr_info.decimal_mark ? corr_info.decimal_mark : '.'};
        double *sum = rc ? NULL : calloc(nsrc ? nsrc : 1, sizeof *sum);
        if (!rc && !sum)
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        for (size_t r = 0; !rc && r < nr; r++) {
            char *sk = qtr_trim_inplace(qtr_strdup(qtr_table_cell(corr, r, cc[0])));
            long s = sk ? qtr_keyidx_find(tab.ix, tab.t->nrows, sk) : -1;
            long t = to ? qtr_keyidx_find(tix, ntgt, ckey[r]) : (long)tunit_of[r];
            struct qtr_cell sh = qtr_cell_parse(qtr_table_cell(corr, r, cc[2]), fmt);
            if (qtr_cell_class_of(sh.kind) != QTR_CLASS_VALUE &&
                qtr_cell_class_of(sh.kind) != QTR_CLASS_ZERO)
                rc = qtr_error_set(&err, QTR_ERR_DATA,
                                   "'%s' line %zu, column '%s': the share of source key '%s' "
                                   "in target key '%s' is '%s', not a number",
                                   o->corr, corr->line[r], corr->names[cc[2]], sk ? sk : "",
                                   ckey[r], qtr_table_cell(corr, r, cc[2]));
            else if (sh.value < 0 || sh.value > 1 + 1e-9)
                rc = qtr_error_set(&err, QTR_ERR_DATA,
                                   "'%s' line %zu, column '%s': the share of source key '%s' "
                                   "in target key '%s' is %g; shares lie between 0 and 1",
                                   o->corr, corr->line[r], corr->names[cc[2]], sk ? sk : "",
                                   ckey[r], sh.value);
            else if (s < 0)
                keylist_add(&l_cs_src, sk ? sk : "");
            else if (t < 0) {
                keylist_add(&l_cs_tgt, ckey[r]);
                sum[s] += sh.value; /* the table's own sum, checked below */
            } else {
                pieces[np] = (struct qtr_piece){(size_t)s, (size_t)t, 0};
                share[np] = weight[np] = sh.value;
                sum[s] += sh.value;
                np++;
            }
            free(sk);
        }
        for (size_t i = 0; !rc && i < nsrc; i++)
            if (fabs(sum[i] - 1) > 1e-6) {
                char b[300];
                snprintf(b, sizeof b, "%s (%.4g)", skey[i], sum[i]);
                keylist_add(&l_cs_sum, b);
            }
        free(sum);
        free(cix);
    }

    /* ancillary counts of the targets */
    if (!rc && o->method == QTR_CARRY_WEIGHTS) {
        size_t wc = 0;
        rc = keyed_read(o->wtable, o->wkey, "ancillary table", &wt, &err);
        if (!rc)
            rc = qtr_table_require_column(wt.t, o->wcol, "ancillary column", &wc, &err);
        if (!rc && !(anc = malloc((ntgt ? ntgt : 1) * sizeof *anc)))
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        for (size_t j = 0; !rc && j < ntgt; j++) {
            long r = qtr_keyidx_find(wt.ix, wt.t->nrows, tkey[j]);
            anc[j] = NAN;
            if (r < 0) {
                keylist_add(&l_noanc, tkey[j]);
                continue;
            }
            struct qtr_cell a;
            if ((rc = keyed_cell(&wt, (size_t)r, wc, &a, &err)))
                break;
            if (qtr_cell_class_of(a.kind) == QTR_CLASS_VALUE && a.value < 0)
                rc = qtr_error_set(&err, QTR_ERR_DATA,
                                   "'%s' line %zu, column '%s', key '%s': the ancillary count "
                                   "%g is negative",
                                   o->wtable, wt.t->line[r], o->wcol, tkey[j], a.value);
            else if (qtr_cell_class_of(a.kind) == QTR_CLASS_VALUE)
                anc[j] = a.value;
            else if (qtr_cell_class_of(a.kind) == QTR_CLASS_ZERO)
                anc[j] = 0;
            else
                keylist_add(&l_noanc, tkey[j]);
        }
    }

    /* the source density that spreads the ancillary counts within each target */
    if (!rc && o->dcol) {
        size_t dc = 0;
        struct qtr_cell *dcell = malloc((nsrc ? nsrc : 1) * sizeof *dcell);
        uint8_t *dunknown = malloc(nsrc ? nsrc : 1);
        density = malloc((nsrc ? nsrc : 1) * sizeof *density);
        if (!dcell || !density || !dunknown)
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        if (!rc)
            rc = qtr_table_require_column(tab.t, o->dcol, "density column", &dc, &err);
        for (size_t i = 0; !rc && i < nsrc; i++) {
            dcell[i] = (struct qtr_cell){NAN, QTR_CELL_MISSING, 0};
            if (srow[i] >= 0)
                rc = keyed_cell(&tab, (size_t)srow[i], dc, &dcell[i], &err);
        }
        if (!rc && qtr_carry_source_density(nsrc, dcell, from->area, density, dunknown))
            for (size_t i = 0; i < nsrc; i++)
                if (dunknown[i] && srow[i] >= 0)
                    keylist_add(&l_nodens, skey[i]);
        free(dcell);
        free(dunknown);
    }

    /* shares */
    if (!rc && geometric) {
        weight = malloc((np ? np : 1) * sizeof *weight);
        share = malloc((np ? np : 1) * sizeof *share);
        fb = calloc(nsrc ? nsrc : 1, 1);
        if (!weight || !share || !fb)
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        if (!rc)
            rc = qtr_carry_shares(o->method, pieces, np, nsrc, covered, ntgt, tarea, anc,
                                  density, weight, share, fb, &err);
        for (size_t i = 0; !rc && i < nsrc; i++)
            if (fb[i] && srow[i] >= 0)
                keylist_add(&l_fallback, skey[i]);
    }

    /* carry */
    if (!rc) {
        in = malloc((nsrc ? nsrc : 1) * sizeof *in);
        out = malloc((ncols * ntgt > 0 ? ncols * ntgt : 1) * sizeof *out);
        if (o->has_range) {
            rlo = malloc((ncols * ntgt > 0 ? ncols * ntgt : 1) * sizeof *rlo);
            rhi = malloc((ncols * ntgt > 0 ? ncols * ntgt : 1) * sizeof *rhi);
        }
        if (!in || !out || (o->has_range && (!rlo || !rhi)))
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
    }
    double *src_total = rc ? NULL : calloc(ncols ? ncols : 1, sizeof(double));
    if (!rc && !src_total)
        rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
    for (size_t c = 0; !rc && c < ncols; c++) {
        for (size_t r = 0; !rc && r < tab.t->nrows; r++) {
            struct qtr_cell v;
            rc = keyed_cell(&tab, r, col[c], &v, &err);
            if (!rc && qtr_cell_class_of(v.kind) == QTR_CLASS_VALUE)
                src_total[c] += v.value;
        }
        for (size_t i = 0; !rc && i < nsrc; i++) {
            in[i] = (struct qtr_cell){NAN, QTR_CELL_MISSING, 0};
            if (srow[i] >= 0)
                rc = keyed_cell(&tab, (size_t)srow[i], col[c], &in[i], &err);
        }
        if (!rc)
            qtr_carry_cells(pieces, np, share, in, ntgt, out + c * ntgt);
        if (!rc && o->has_range)
            qtr_carry_ranges(pieces, np, share, in, o->range_lo, o->range_hi, ntgt, rlo + c * ntgt,
                             rhi + c * ntgt);
    }

    /* write */
    if (!rc) {
        FILE *f = fopen(o->out, "w");
        if (!f) {
            rc = qtr_error_set(&err, QTR_ERR_IO, "could not create '%s': %s", o->out,
                               strerror(errno));
        } else {
            put_field(f, o->to_key ? o->to_key : "target_key");
            for (size_t c = 0; c < ncols; c++) {
                fputc(',', f);
                put_field(f, colname[c]);
                if (o->has_range) {
                    char *a = qtr_asprintf("%s_low", colname[c]);
                    char *b = qtr_asprintf("%s_high", colname[c]);
                    fputc(',', f);
                    put_field(f, a ? a : "low");
                    fputc(',', f);
                    put_field(f, b ? b : "high");
                    free(a);
                    free(b);
                }
            }
            fputc('\n', f);
            for (size_t j = 0; j < ntgt; j++) {
                put_field(f, tkey[j]);
                for (size_t c = 0; c < ncols; c++) {
                    fputc(',', f);
                    put_cell(f, &out[c * ntgt + j]);
                    if (o->has_range) {
                        fputc(',', f);
                        if (isfinite(rlo[c * ntgt + j]))
                            put_number(f, rlo[c * ntgt + j]);
                        fputc(',', f);
                        if (isfinite(rhi[c * ntgt + j]))
                            put_number(f, rhi[c * ntgt + j]);
                    }
                }
                fputc('\n', f);
            }
            rc = close_file(f, o->out, &err);
        }
    }
    if (!rc) {
        FILE *f = fopen(xpath, "w");
        if (!f) {
            rc = qtr_error_set(&err, QTR_ERR_IO, "could not create '%s': %s", xpath,
                               strerror(errno));
        } else {
            fputs("source_key,target_key,piece_area_m2,weight,share\n", f);
            for (size_t p = 0; p < np; p++) {
                put_field(f, skey[pieces[p].src]);
                fputc(',', f);
                put_field(f, tkey[pieces[p].tgt]);
                fputc(',', f);
                if (geometric)
                    put_number(f, pieces[p].area);
                fputc(',', f);
                if (isfinite(weight[p]))
                    fprintf(f, "%.10g", weight[p]);
                fprintf(f, ",%.10g\n", share[p]);
            }
            rc = close_file(f, xpath, &err);
        }
    }

    if (rc) {
        ex = cli_fail(&err);
    } else {
        /* what the carrying did, by key */
        size_t split = 0, multi = 0;
        uint8_t *fed = calloc(ntgt ? ntgt : 1, 1);
        size_t *first_src = malloc((ntgt ? ntgt : 1) * sizeof *first_src);
        for (size_t p = 0; p < np; p++) {
            if (p && pieces[p - 1].src == pieces[p].src &&
                (p < 2 || pieces[p - 2].src != pieces[p].src))
                split++;
            if (fed && first_src) {
                size_t j = pieces[p].tgt;
                if (!fed[j]) {
                    fed[j] = 1;
                    first_src[j] = pieces[p].src;
                } else if (fed[j] == 1 && first_src[j] != pieces[p].src) {
                    fed[j] = 2;
                    multi++;
                }
            }
        }
        for (size_t j = 0; fed && j < ntgt; j++)
            if (!fed[j])
                keylist_add(&l_unfed, tkey[j]);
        free(fed);
        free(first_src);
        warn_list(&l_dup_from,
                  "%zu features of %s repeat a key of an earlier feature; only the "
                  "first carries the counts, the others feed their targets as "
                  "missing",
                  o->from);
        warn_list(&l_dup_to,
                  "%zu features of %s repeat a key of an earlier feature; they are "
                  "carried onto as one unit",
                  o->to);
        warn_list(&l_nofeature,
                  "%zu rows of %s have no boundary in the source layer; their "
                  "counts are not carried",
                  o->table);
        warn_list(&l_norow,
                  "%zu source units have no row in %s; the targets they feed are "
                  "missing",
                  o->table);
        warn_list(&l_nogeom, "%zu source units of %s have no area; their counts are not carried",
                  o->from);
        warn_list(&l_uncovered,
                  "%zu source units lie partly outside %s (share of their area "
                  "outside); that part of their counts is not carried",
                  o->to);
        warn_list(&l_unfed, "%zu target units get nothing from %s and are missing",
                  geometric ? o->from : o->corr);
        warn_list(&l_noanc,
                  "%zu target units have no ancillary count in %s; the source units "
                  "over them fall back to area",
                  o->wtable);
        warn_list(&l_fallback,
                  "%zu source units are carried by area (their pieces have no "
                  "ancillary weight) under --method weights%s",
                  "");
        warn_list(&l_nodens,
                  "%zu source units have no number in the density column %s, or no area; "
                  "they are given the density of all the others together",
                  o->dcol);
        warn_list(&l_cs_src,
                  "%zu source keys of %s are not in the source table; their rows "
                  "are skipped",
                  o->corr);
        warn_list(&l_cs_tgt,
                  "%zu target keys of %s are not in the target layer; their rows "
                  "are skipped",
                  o->corr);
        warn_list(&l_cs_sum, "the shares of %zu source keys in %s do not sum to 1 (their sum)",
                  o->corr);
        printf("carried %zu column%s from %zu source units onto %zu target units by %s%s%s\n",
               ncols, ncols == 1 ? "" : "s", nsrc, ntgt, qtr_carry_method_name(o->method),
               o->dcol ? ", spread within the targets by the source density of " : "",
               o->dcol ? o->dcol : "");
        if (geometric)
            printf("pieces: %zu kept, %zu slivers below %g m² dropped (%.1f m² in all); "
                   "%zu source units split, %zu target units fed by several sources\n",
                   np, cw->nslivers, o->sliver, cw->sliver_area_sum, split, multi);
        for (size_t c = 0; c < ncols; c++) {
            double tot = 0;
            size_t nsup = 0, nmiss = 0;
            for (size_t j = 0; j < ntgt; j++) {
                enum qtr_cell_class k = qtr_cell_class_of(out[c * ntgt + j].kind);
                if (k == QTR_CLASS_VALUE)
                    tot += out[c * ntgt + j].value;
                nsup += k == QTR_CLASS_SUPPRESSED;
                nmiss += k == QTR_CLASS_MISSING;
            }
            printf("%s: %.10g in the source table, %.10g carried (%.3f %% not carried); "
                   "%zu target units suppressed, %zu missing\n",
                   colname[c], src_total[c], tot,
                   src_total[c] != 0 ? 100 * (src_total[c] - tot) / src_total[c] : 0.0, nsup,
                   nmiss);
        }
        printf("wrote %s (%zu target units) and %s (%zu pieces)\n", o->out, ntgt, xpath, np);
    }
    free(src_total);
    free(rlo);
    free(rhi);
    free(in);
    free(out);
    free(fb);
    free(weight);
    free(share);
    free(anc);
    free(density);
    free(tarea);
    free(pieces);
    free(srow);
    free(six);
    free(tix);
    if (ckey)
        for (size_t r = 0; r < corr->nrows; r++)
            free(ckey[r]);
    free(ckey);
    free(tkey); /* the array only: the keys belong to the layer or to ckey */
    free(tunit_of);
    free(col);
    free(colbuf);
    free(colname);
    free(ccbuf);
    free(ccname);
    free(xpath);
    qtr_crosswalk_free(cw);
    qtr_table_free(corr);
    keyed_free(&tab);
    keyed_free(&wt);
    qtr_layer_free(from);
    qtr_layer_free(to);
    qtr_ctx_release(&ctx);
    return ex;
}
