/*
 * map_internal.h - between map.c and map_inset.c: insets of outlying parts.
 */
#ifndef QUARTIER_MAP_INTERNAL_H
#define QUARTIER_MAP_INTERNAL_H

#include "quartier/map.h"

#define QTR_INSET_PAD 4      /* points between an inset's frame and its drawing */
#define QTR_INSET_CAPTION 11 /* points above the drawing for the inset's name */
#define QTR_INSET_FONT 7     /* size of the name */

/*
 * Boxes for ext's insets in corners of l's frame (l's main frame scale and origin are set):
 * each at the main scale when the part fits into 28 % x 30 % of the frame, else smaller, in
 * the corner where it covers least of the main map (ties: the corner in the part's
 * direction); at least wide enough for `caption_w` points of caption. Sets l->ninsets and
 * l->inset. Returns QTR_OK or QTR_ERR_NOMEM.
 */
int qtr_map_place_insets(const struct qtr_shapes *s, const struct qtr_map_extent *ext,
                         const double *caption_w, struct qtr_map_layout *l);

#endif
