/*
 * lisa_settings.h - how the spatial stage tests local clusters (LISA, Gi*, location
 * quotients), in one place so that the report states exactly what was computed:
 * queen contiguity (row-standardised), the analysis' permutations (with none, the local tests
 * are left out with a reason and the global Moran's I gets its analytical p-value),
 * significance at 0.05 after the Benjamini-Hochberg false discovery rate correction.
 */
#ifndef QTR_PIPELINE_LISA_SETTINGS_H
#define QTR_PIPELINE_LISA_SETTINGS_H

#include "quartier/config.h"

#define QTR_LISA_ALPHA 0.05

/* Permutations of the local tests: the analysis' own (0: no local tests). */
static inline unsigned qtr_lisa_permutations(const struct qtr_config *cfg)
{
    return cfg->permutations;
}

#endif
