/*
 * carry_stage.h - a [table] given on its own district layout (issue 13), carried onto the
 * analysis districts in the load stage before the join (not installed; docs/crosswalk.md).
 */
#ifndef QTR_CARRY_STAGE_H
#define QTR_CARRY_STAGE_H

#include "quartier/config.h"
#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/frame.h"
#include "quartier/join.h"
#include "quartier/pipeline.h"

/** 1 when the table is carried: it names its own boundaries or a correspondence table. */
int qtr_table_is_carried(const struct qtr_table_spec *ts);

/**
 * Carry table number t of cfg (read into st->tables[t]) onto the districts of st->layer:
 * its count columns (`columns =`, or all but the key; `not_counts` columns are dropped with a
 * warning) are carried by area, dasymetric weights (the column ts->carry_weights of `anc`,
 * the analysis districts' data joined without the carried tables) or a correspondence table.
 * st->tables[t] is replaced by a table with one row per analysis district key fed by some
 * count (districts fed by nothing or only by missing counts get none), key column ts->key,
 * cells as numbers, '-' true zero, '*' fed by '*' counts, values and zeros only (its own range
 * goes to st->ranges, attached by qtr_carry_attach_ranges after the join), '.' suppressed
 * without a known range, empty missing, decimal point, to be joined like any other table. The pieces are appended to st->crosswalk and the join
 * report gets the districts fed by several sources, the sources split over several districts,
 * the sources (partly) outside the analysis districts and the slivers dropped.
 * Errors: the table's boundaries (layer.h), its key or count columns missing, a repeated key,
 * a cell that is neither a number nor a mark (QTR_ERR_DATA, naming file, line, column, key),
 * the weights column not in the data (FILE:LINE of the analysis file), a negative ancillary
 * count, a share outside 0..1 in a correspondence table, GEOS failures.
 */
int qtr_carry_table(struct qtr_ctx *ctx, const struct qtr_config *cfg, size_t t,
                    const struct qtr_frame *anc, struct qtr_state *st, struct qtr_error *err);

/**
 * Carry every table of cfg that is on its own layout (qtr_table_is_carried), in the load stage
 * after the tables are read and before the join: jt[t] (the join's view of table t) is pointed
 * at the carried table. carry = weights COLUMN takes COLUMN from the data joined without the
 * carried tables (a scratch join whose report is dropped: the full join reports those tables).
 */
int qtr_carry_tables(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                     struct qtr_join_table *jt, struct qtr_error *err);

/**
 * Give the frame's carried '*' counts their own ranges (st->ranges, made by
 * qtr_carry_table): called in the load stage right after the join.
 */
int qtr_carry_attach_ranges(const struct qtr_state *st, struct qtr_frame *f,
                            struct qtr_error *err);

#endif
