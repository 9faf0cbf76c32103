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

/* What the GeoPackage holds as written: its layers in the file's order, their fields (as
 * OGR created them, so a name changed to avoid a clash is the written one) and, for the
 * districts, the value of every numeric field per feature. Publish styles and documents the
 * file from this, without opening it again. */
enum qtr_field_type { QTR_FIELD_TEXT, QTR_FIELD_INTEGER, QTR_FIELD_REAL };

struct qtr_output_field {
    char *name;
    enum qtr_field_type type;
    double *v; /* districts only: one value per feature, NaN for NULL; else NULL */
};

struct qtr_output_layer {
    char *name;
    char *fid; /* the GeoPackage table's key column ("fid") */
    int spatial;
    size_t nfields;
    struct qtr_output_field *fields;
    size_t n; /* features of a layer with geometry (0 for the tables) */
};

struct qtr_output_info {
    size_t nlayers;
    struct qtr_output_layer *layers;
};

void qtr_output_info_release(struct qtr_output_info *info);

/**
 * Write <outdir>/quartier.gpkg (layers districts, city_indices, join_report,
 * run_info) and <outdir>/districts.geojson (RFC 7946). `outdir` is the staging
 * folder of the run (outdir.h), so the files are written under their final
 * names; the folder swap makes them visible. *gpkg and *geojson receive the
 * paths (caller frees); *info (may be NULL; released first) what the GeoPackage holds.
 */
int qtr_output_write(struct qtr_ctx *ctx, const struct qtr_output_request *req, char **gpkg,
                     char **geojson, struct qtr_output_info *info, struct qtr_error *err);

#endif
