/*
 * output.h - the GeoPackage and the GeoJSON of a run.
 */
#ifndef QUARTIER_OUTPUT_H
#define QUARTIER_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/config.h"
#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/frame.h"
#include "quartier/indices.h"
#include "quartier/layer.h"
#include "quartier/outdir.h"
#include "quartier/pipeline.h"
#include "quartier/report.h"

struct qtr_output_request {
    const char *outdir;
    const struct qtr_config *cfg;
    const struct qtr_layer *layer;
    const struct qtr_frame *frame;
    const uint8_t *usable;
    const struct qtr_report *report;
    const struct qtr_index_value *indices;
    size_t nindices;
    const struct qtr_goal_row *goals;
    size_t ngoals;
    const struct qtr_change_row *changes;
    size_t nchanges;
    const struct qtr_crosswalk_row *crosswalk; /* pieces of the carried tables (or none) */
    size_t ncrosswalk;
    const struct qtr_profile_row *profile;
    size_t nprofile;
    const struct qtr_area_layer *areas;
    size_t nareas;
};

/**
 * Write <outdir>/quartier.gpkg (layers districts, city_indices, join_report,
 * run_info) and <outdir>/districts.geojson (RFC 7946). `outdir` is the staging
 * folder of the run (outdir.h), so the files are written under their final
 * names; the folder swap makes them visible. *gpkg and *geojson receive the
 * paths (caller frees).
 */
int qtr_output_write(struct qtr_ctx *ctx, const struct qtr_output_request *req, char **gpkg,
                     char **geojson, struct qtr_error *err);

#endif
