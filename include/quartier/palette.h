/*
 * palette.h - colour-blind-safe colour schemes for maps and QGIS styles.
 *
 * Sequential: viridis, cividis (Nuñez et al. 2018), ColorBrewer Blues,
 * Purples, Oranges (Brewer 2003, the published 3..9-class lists). Diverging:
 * ColorBrewer PuOr (3..11 classes). Qualitative: Okabe & Ito (2008). There is
 * deliberately no red/green scheme. LISA cluster colours follow GeoDa
 * (red/blue, not red/green).
 */
#ifndef QUARTIER_PALETTE_H
#define QUARTIER_PALETTE_H

#include <stddef.h>

#include "quartier/error.h"

struct qtr_rgb {
    unsigned char r, g, b;
};

enum qtr_palette {
    QTR_PAL_VIRIDIS = 0,
    QTR_PAL_CIVIDIS,
    QTR_PAL_BLUES,
    QTR_PAL_PURPLES,
    QTR_PAL_ORANGES,
    QTR_PAL_PUOR,     /* diverging: orange (low) .. white .. purple (high) */
    QTR_PAL_OKABE_ITO /* qualitative, 8 colours */
};

/**
 * Fill out[0..k-1] with k colours of palette p, light to dark for the
 * ColorBrewer sequential schemes, dark to light for viridis/cividis
 * (dark = low, the usual reading of those schemes), low to high for PuOr.
 * ColorBrewer schemes use the published k-class list when it exists (3..9,
 * PuOr 3..11), k = 1, 2 take colours from the 3-class list, larger k are
 * interpolated in sRGB from the largest list. viridis/cividis are
 * interpolated from anchor colours of the reference colormaps. Okabe-Ito has 8
 * colours and cycles beyond. Errors: QTR_ERR_USAGE for k = 0 or an unknown p.
 */
int qtr_palette_colors(enum qtr_palette p, size_t k, struct qtr_rgb *out, struct qtr_error *err);

/** Palette from its name ("viridis", "cividis", "blues", "purples", "oranges", "puor",
 * "okabe_ito"). */
int qtr_palette_parse(const char *name, enum qtr_palette *p, struct qtr_error *err);

/*
 * Three kinds of "no class" that must never look alike (maps and QGIS styles):
 *  - "keine Angabe" (no data, suppressed): white, hatched with diagonal lines in
 *    qtr_palette_nodata_hatch() (maps: 45 degrees, 0.5 pt lines 3.5 pt apart;
 *    QGIS: a second fill layer with brush style b_diagonal);
 *  - "nicht signifikant" (LISA): a light warm neutral, 232,232,226, solid;
 *  - "nicht bewertet" (renewal: too few residents, outlier, missing indicator):
 *    a neutral mid grey, 150,150,150, solid: darker than every light class,
 *    and without the hue of any class colour here (the bivariate "stabil"
 *    column is a warm sand, not grey).
 */
/** Background of "no data" areas (white, 255,255,255; drawn hatched). */
struct qtr_rgb qtr_palette_nodata(void);

/** Colour of the hatching lines of "no data" areas (120,120,120). */
struct qtr_rgb qtr_palette_nodata_hatch(void);

/** Fill of "not significant" (LISA cluster 0): 232,232,226. */
struct qtr_rgb qtr_palette_not_significant(void);

/** Fill of "not rated" districts of the renewal maps: 150,150,150. */
struct qtr_rgb qtr_palette_not_rated(void);

/**
 * GeoDa-style LISA cluster colours, index: 0 not significant
 * (qtr_palette_not_significant()),
 * 1 High-High (red 215,25,28), 2 Low-Low (blue 44,123,182), 3 Low-High (light
 * blue 171,217,233), 4 High-Low (light red 253,174,97). Other indices give
 * the "not significant" colour.
 */
struct qtr_rgb qtr_palette_lisa(int cluster);

/** "#rrggbb" of c in buf (at least 8 bytes). Returns buf. */
char *qtr_rgb_hex(struct qtr_rgb c, char *buf);

#endif
