/*
 * surface_stage.h - the kernel ("surface") multigroup indices of a run (surface.h), called by
 * the compute stage after the aspatial multigroup indices. Not installed.
 */
#ifndef QTR_SURFACE_STAGE_H
#define QTR_SURFACE_STAGE_H

#include "quartier/config.h"
#include "quartier/pipeline.h"

/**
 * Appends the surface indices over the multigroup units u (u->groups in the order of the
 * analysis' multigroup groups, whose ids label the per-group isolation) to st->indices, with
 * the centroids cx, cy of the same districts (NULL without geometry: every surface index is
 * listed with that reason) and the bandwidth QTR_SURFACE_BANDWIDTH_M. The local environments
 * are computed once; above what the machine can hold (as the spatial stage estimates it)
 * they are left out with a reason. Only QTR_ERR_NOMEM is an error.
 */
int qtr_pipeline_surface(const struct qtr_config *cfg, struct qtr_state *st,
                         const struct qtr_units *u, const double *cx, const double *cy,
                         const struct qtr_index_options *io, struct qtr_error *err);

#endif
