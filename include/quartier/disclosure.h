/*
 * disclosure.h - statistical disclosure control on everything quartier publishes.
 *
 * Statistics offices keep small case numbers secret (Geheimhaltung: a cell
 * with 1 or 2 cases could identify a person). quartier must not undo that:
 * before the GeoPackage, the GeoJSON, the annex tables or any map are written,
 * the joined frame goes through qtr_disclose_frame().
 *
 * What counts as a count: a numeric column read from a statistics table
 * (origin is a table id, not "boundaries" and not "quartier") whose values
 * are all whole numbers, the rule output.c uses to write a column as
 * Integer64. Shares, rates, areas and sizes with decimals are not counts.
 * Whole-number columns that are not counts of people (MSS status class
 * SI_N 1..4, the number of pharmacies) cannot be told from counts by their
 * values, so the analysis file names them: `not_counts = SI_N, DI_N` in the
 * [table] section; they are left alone. Everything else whole-numbered is treated as a count: when
 * in doubt quartier suppresses. Boundary attributes are not checked: they are identifiers and
 * codes, not case numbers (a boundary file is published as it is anyway).
 */
#ifndef QUARTIER_DISCLOSURE_H
#define QUARTIER_DISCLOSURE_H

#include <stddef.h>

#include "quartier/config.h"
#include "quartier/error.h"
#include "quartier/frame.h"

struct qtr_disclosure {
    size_t counts;  /* count cells with 0 < v < min_count set to suppressed */
    size_t derived; /* shares, LQs and indicator values set to suppressed */
    size_t columns; /* columns in which cells were set to suppressed */
};

/** 1 when c is a count column (see above) of a frame with n rows, else 0. */
int qtr_is_count_column(const struct qtr_column *c, size_t n);

/**
 * Disclosure control with threshold cfg->min_count (min_count <= 1: only the
 * derived values of cells suppressed in the input are checked):
 *  1. every count cell with 0 < v < min_count becomes QTR_CELL_SUPPRESSED
 *     (true zeros stay: "nothing there" reveals no person);
 *  2. a derived value still showing a number is suppressed when any count it
 *     is computed from is not public (suppressed in step 1, or secret,
 *     suppressed or unreliable in the input): "<group>_share" and
 *     "<group>_lq" from the group's column; an indicator "<id>" from the
 *     columns named in its expr, "<id>_previous" from its previous
 *     expression, "<id>_change" when either is suppressed or its change
 *     expression uses such a count. Whole expressions are scanned, not only
 *     the numerator: a rate over a tiny denominator reveals as much.
 * Idempotent. Counts go to *out (may be NULL). Errors: QTR_ERR_NOMEM.
 */
int qtr_disclose_frame(struct qtr_frame *f, const struct qtr_config *cfg,
                       struct qtr_disclosure *out, struct qtr_error *err);

#endif
