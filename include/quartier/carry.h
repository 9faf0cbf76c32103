/*
 * carry.h - carry counts from one district layout onto another (issue 13), a pure kernel.
 *
 * The geometry (src/geo/crosswalk.c) or an official correspondence table gives the pieces:
 * source unit i, target unit j and the area they share. This kernel turns the pieces into
 * shares (which part of source i's count goes to target j) and carries cells with their
 * states. No GEOS here: the pieces are plain arrays.
 *
 * Methods:
 *   area         share = piece area / area of the unit's pieces * covered part of the unit,
 *                which is piece area / source area (as R sf::st_interpolate_aw does for
 *                extensive counts) where no sliver was dropped; the shares of a source unit
 *                sum to the part of its area that the target layout covers, so sums are
 *                preserved for every fully covered source unit.
 *   weights      dasymetric: weight = piece area / target area * ancillary count of the
 *                target (the residents of the target at another date, addresses, ...); each
 *                source unit's covered part is apportioned to its pieces in proportion to
 *                the weights. Where the weights of a unit's pieces are all zero, or one of
 *                its targets has no ancillary value, the unit falls back to area.
 *                With a source density (the source units' own count per m², e.g. the
 *                residents of the source date): the target's ancillary count is spread over
 *                its pieces in proportion to piece area x source density instead of
 *                uniformly over its area, i.e. weight = piece area / target area x ancillary
 *                x d(source) / dbar(target), dbar being the area-weighted mean source density
 *                over the target's pieces (one cycle of iterative proportional fitting
 *                started from the area-weighted estimate; docs/crosswalk.md).
 *   correspondence  the shares of an official table (source key, target key, share), taken
 *                as they are.
 *
 * Rates and shares are never carried: carry counts, compute rates afterwards.
 */
#ifndef QUARTIER_CARRY_H
#define QUARTIER_CARRY_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/cell.h"
#include "quartier/error.h"

/** The intersection of source unit src and target unit tgt. */
struct qtr_piece {
    size_t src;
    size_t tgt;
    double area; /* m² (0 for a piece of a correspondence table) */
};

/** qsort order of pieces: by source unit, then target unit. */
int qtr_carry_piece_cmp(const void *a, const void *b);

enum qtr_carry_method { QTR_CARRY_AREA = 0, QTR_CARRY_WEIGHTS, QTR_CARRY_CORRESPONDENCE };

/**
 * Shares of the pieces (area and weights methods).
 *   covered[nsrc]   part of each source unit's area the target layout covers, in [0, 1]
 *                   (1 = fully covered); the shares of a unit sum to it.
 *   tgt_area[ntgt]  target areas (m², > 0 for every target a piece names; weights only)
 *   ancillary[ntgt] the ancillary count of each target, >= 0, NAN = none (weights only;
 *                   NULL for area)
 *   density[nsrc]   the source density per m² (finite, >= 0; see qtr_carry_source_density),
 *                   or NULL: the ancillary count is spread uniformly over the target's area
 *                   (weights only)
 * Out: weight[np] (the piece area for area, piece area / target area * ancillary for weights),
 * share[np]; fallback[nsrc] (may be NULL) is set to 1 for every source unit with pieces that
 * fell back to area (weights only), else 0.
 * Returns QTR_ERR_DATA when a piece names a unit out of range or has a negative area, or when
 * a target of a weights piece has no positive area, or a density is negative or not finite;
 * the message names the piece or source index.
 */
int qtr_carry_shares(enum qtr_carry_method method, const struct qtr_piece *pieces, size_t np,
                     size_t nsrc, const double *covered, size_t ntgt, const double *tgt_area,
                     const double *ancillary, const double *density, double *weight,
                     double *share, uint8_t *fallback, struct qtr_error *err);

/**
 * The density of each source unit for the weights method: count / area (per m²). A count that
 * is not a number (missing, suppressed) or a unit without area gets the density of all units
 * with one together (sum of their counts / sum of their areas; 0 when there are none), and
 * unknown[i] (may be NULL) is set to 1 for it, else 0. Returns how many units got that density.
 */
size_t qtr_carry_source_density(size_t nsrc, const struct qtr_cell *count, const double *area,
                                double *density, uint8_t *unknown);

/**
 * Carry one column: out[j] = sum over pieces (i, j) of share * src[i].
 * Cell states: a target that no piece names is missing; a target fed (share > 0) by a
 * missing source cell (missing class) is missing; else one fed by a suppressed source cell
 * is suppressed (QTR_CELL_SUPPRESSED); else a target whose contributions are all true zeros
 * is QTR_CELL_ZERO; else a value. A piece with share 0 (a dasymetric weight of 0) passes no
 * state on: it gives its target an estimated 0 (a value). out has ntgt cells.
 */
void qtr_carry_cells(const struct qtr_piece *pieces, size_t np, const double *share,
                     const struct qtr_cell *src, size_t ntgt, struct qtr_cell *out);

/**
 * The range of the targets fed by small counts suppressed with '*' (QTR_CELL_SUPPRESSED),
 * each known to lie in [lo, hi] (the analysis file's suppressed_range): for a target whose
 * feeding cells (share > 0) are values, true zeros and such counts only, and at least one of
 * them such a count, low[j] = sum of share * value + sum of share * lo, high[j] the same with
 * hi. Every other target gets NAN in both: it is a value (no range needed), missing, or fed by
 * a suppression of unknown range (secret '.', unreliable '/').
 */
void qtr_carry_ranges(const struct qtr_piece *pieces, size_t np, const double *share,
                      const struct qtr_cell *src, double lo, double hi, size_t ntgt, double *low,
                      double *high);

/** Name of a method as written on the command line ("area", "weights", "correspondence"). */
const char *qtr_carry_method_name(enum qtr_carry_method m);

#endif
