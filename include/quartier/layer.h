/*
 * layer.h - district boundaries read from any OGR source into the work CRS.
 *
 * Geometries are reprojected (PROJ through OGR) into the work CRS, checked
 * with GEOS and repaired with GEOSMakeValid where invalid; every repair and
 * every missing geometry is listed by key. Attributes are kept as text and, for
 * numeric OGR fields, as numbers.
 */
#ifndef QUARTIER_LAYER_H
#define QUARTIER_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/table.h"

struct GEOSGeom_t;

struct qtr_layer_options {
    const char *source;      /* file or PG: connection string */
    const char *layer;       /* NULL = first layer (a PG: source: "schema.table") */
    const char *sql;         /* PG: source: a query instead of a layer, or NULL */
    const char *key;         /* key column (required) */
    const char *name;        /* name column or NULL */
    const char *assign_crs;  /* CRS of a source without one, or NULL */
    const char *work_crs;    /* NULL = ETRS89/WGS84 UTM zone of the data */
};

struct qtr_geom_repair {
    size_t feature;          /* index into the layer */
    char reason[200];        /* GEOS validity reason before the repair */
};

/* A district whose area is below this share of the median district's is a sliver (a
 * digitising remnant, a strip between two neighbours' boundaries), not a place people live:
 * it is reported and kept out of the indices that weigh districts by area. Berlin's median
 * Planungsraum (about 0.5 km²) puts the limit near 50 m². */
#define QTR_SLIVER_SHARE 1e-4

struct qtr_layer {
    char *source;             /* file, or PG: connection without its password */
    char *layer_name;
    size_t n;
    char **key;               /* n, trimmed */
    char **name;              /* n ("" without a name column) */
    struct qtr_table *attrs;  /* every attribute field as text, one row per feature */
    uint8_t *attr_numeric;    /* attrs->ncols: 1 when the OGR field is numeric */
    double *attr_num;         /* n * attrs->ncols, row-major: numbers of numeric fields, NAN = null */
    struct GEOSGeom_t **geom; /* n, in the work CRS, valid; NULL = feature without geometry */
    double *area;             /* n: m² in the work CRS (0 without geometry) */
    double *cx, *cy;          /* n: centroids in the work CRS */
    char *work_crs;           /* e.g. "EPSG:25833" */
    char *work_crs_wkt;
    char *source_crs;         /* description of the source CRS */
    int crs_assigned;         /* 1 when the source had no CRS and one was assigned */
    size_t nrepairs;
    struct qtr_geom_repair *repairs;
    uint8_t *sliver;          /* n: 1 for a polygon without area: zero, or below
                                 QTR_SLIVER_SHARE of the median district area */
    void *geos;               /* GEOS handle that owns geom (for qtr_layer_free) */
};

/**
 * Read the boundaries. Errors name the file: missing source, missing layer
 * (listing the layers), missing key/name column (listing the columns), a
 * source without CRS when none is assigned, empty layer.
 */
int qtr_layer_read(struct qtr_ctx *ctx, const struct qtr_layer_options *opt,
                   struct qtr_layer **out, struct qtr_error *err);

/** Free the layer and its geometries. NULL-safe. */
void qtr_layer_free(struct qtr_layer *l);

#endif
