/*
 * bivariate.h - the combined status x dynamics classes of Berlin's Monitoring
 * Soziale Stadtentwicklung (MSS 2021, map "Gesamtindex Soziale Ungleichheit"):
 * 4 status classes (1 hoch .. 4 sehr niedrig) x 3 dynamics classes
 * (1 positiv, 2 stabil, 3 negativ) = 12 classes, and their colours.
 *
 * The palette reads in print and for colour-blind readers: the status sets
 * the lightness (darker = lower status), the dynamics the hue (positiv
 * purple, stabil a neutral sand to brown, negativ orange, as the dynamics
 * map's PuOr ends). Pure functions, no I/O.
 */
#ifndef QUARTIER_BIVARIATE_H
#define QUARTIER_BIVARIATE_H

#include "quartier/palette.h"

#define QTR_BIV_STATUS 4
#define QTR_BIV_DYNAMICS 3
#define QTR_BIV_CLASSES 12

/**
 * Code 1..12 of status class s (1..4) and dynamics class d (1..3):
 * (s - 1) * 3 + d, so 1 = hoch / positiv, 3 = hoch / negativ,
 * 12 = sehr niedrig / negativ. 0 when either class is outside its range
 * (not rated, or no dynamics).
 */
int qtr_biv_code(int status_class, int dyn_class);

/** Status class (1..4) of code 1..12; 0 for other codes. */
int qtr_biv_status(int code);

/** Dynamics class (1..3) of code 1..12; 0 for other codes. */
int qtr_biv_dynamics(int code);

/**
 * Fill colour of code 1..12; any other code gives qtr_palette_not_rated().
 * Within a dynamics column the colours get strictly darker from status hoch
 * to sehr niedrig (relative luminance), and no two codes share a colour.
 */
struct qtr_rgb qtr_biv_color(int code);

#endif
