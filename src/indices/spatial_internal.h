/*
 * spatial_internal.h - shared by the spatial index kernels (spatial.c, decay.c).
 */
#ifndef QUARTIER_SPATIAL_INTERNAL_H
#define QUARTIER_SPATIAL_INTERNAL_H

#include "quartier/indices.h"

/* The districts' counts are usable for `index`: finite, not negative, group <= total. */
int qtr_spatial_check_units(const struct qtr_units *u, const char *index, struct qtr_error *err);

#endif
