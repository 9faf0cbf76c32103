/*
 * output.h - the GeoPackage and the GeoJSON, written atomically.
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
    const struct qtr_profile_row *profile;
    size_t nprofile;
    const struct qtr_area_layer *areas;
    size_t nareas;
    const char *command_line;
    /* 1: leave both files under their temporary names in outdir (returned in *gpkg and
     * *geojson) for a later stage that finishes them and moves them into place itself
     * (qtr_pipeline_publish); on error they are removed as usual. */
    int keep_temporary;
};

/**
 * Write <outdir>/quartier.gpkg (layers districts, city_indices, join_report,
 * run_info) and <outdir>/districts.geojson (RFC 7946). Each is written under a
 * temporary name in outdir and renamed when complete, so an interrupted run
 * leaves the previous outputs intact. *gpkg and *geojson receive the paths
 * (caller frees).
 */
int qtr_output_write(struct qtr_ctx *ctx, const struct qtr_output_request *req, char **gpkg,
                     char **geojson, struct qtr_error *err);

/**
 * Create `dir` and its parents (mode 0777 & ~umask). QTR_ERR_IO naming the
 * folder when that fails.
 */
int qtr_mkdir_p(const char *dir, struct qtr_error *err);

/**
 * QTR_ERR_USAGE when `target` (which may not exist yet) is the same file as
 * one of the `ninputs` input paths.
 */
int qtr_check_not_input(const char *target, const char *const *inputs, size_t ninputs,
                        struct qtr_error *err);

#endif
