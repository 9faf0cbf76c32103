/*
 * carry_internal.h - between carry_stage.c (the stage: columns, ancillary counts, carrying the
 * cells, the join report) and carry_pieces.c (the pieces of a table's own layout and the
 * analysis districts: by GEOS or from a correspondence table). Not installed.
 */
#ifndef QTR_CARRY_INTERNAL_H
#define QTR_CARRY_INTERNAL_H

#include <stddef.h>

#include "carry_stage.h"
#include "quartier/carry.h"
#include "quartier/crosswalk.h"
#include "quartier/keyindex.h"
#include "quartier/layer.h"
#include "quartier/table.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* 1 when name is in the comma-separated list (blanks trimmed, ASCII case ignored). */
int qtr_carry_in_list(const char *list, const char *name);
int qtr_carry_nomem(struct qtr_error *err);

/* ---- the work of one table ------------------------------------------------------------ */

/* "row" for a table read from PostgreSQL (its line numbers are row numbers of the result) */
#define LINE_WORD(w) ((w)->is_pg ? "row" : "line")

struct carry_work {
    const struct qtr_table_spec *ts;
    const struct qtr_table *tab;
    char decimal_mark;
    int is_pg; /* the table was read from PostgreSQL */
    size_t kcol;
    char **tkey_row;        /* tab->nrows trimmed keys of the table ("" for none) */
    struct qtr_keyidx *tix; /* index over tkey_row */
    size_t *col;            /* ncols columns carried */
    size_t ncols;
    /* source units */
    size_t nsrc;
    char **skey; /* nsrc (borrowed: layer keys or tkey_row) */
    long *srow;  /* nsrc: table row, -1 none */
    struct qtr_layer *from;
    struct qtr_crosswalk *cw;
    double *covered; /* nsrc (borrowed from cw) */
    /* target units: the distinct keys of the analysis districts */
    size_t ntgt;
    char **tkey;      /* ntgt (borrowed from the analysis layer) */
    size_t *tunit_of; /* analysis feature -> target unit */
    size_t *tfirst;   /* target unit -> its first feature */
    /* pieces */
    size_t np;
    struct qtr_piece *pieces;
    double *tarea, *anc, *weight, *share;
    double *density; /* nsrc with carry_density, else NULL */
    uint8_t *fallback;
};

/* Pieces by GEOS: the table's own boundaries cut by the analysis districts (carry_pieces.c). */
int qtr_carry_geometric_pieces(struct qtr_ctx *ctx, const struct qtr_layer *to,
                               struct carry_work *w, struct qtr_state *st, struct qtr_error *err);
/* Pieces from an official correspondence table: source key, target key, share. */
int qtr_carry_correspondence_pieces(const struct qtr_ctx *ctx, struct carry_work *w,
                                    struct qtr_error *err);

#endif
