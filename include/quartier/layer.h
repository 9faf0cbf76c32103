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

/* Features to make into one district ([boundaries] merge). */
struct qtr_layer_merge {
    const char *name;            /* the merged district's name; NULL = members' names joined
                                    by " und " */
    const char *const *members;  /* keys, or names (compared as qtr_name_key) */
    size_t nmembers;             /* >= 1 (one: a key on several features) */
};

/* What a merge did, for the join report. */
struct qtr_layer_merged {
    size_t feature;     /* index of the merged district in the layer afterwards */
    char members[600];  /* "0711 'Moorburg', 0712 'Altenwerder'" */
    size_t ndiffer;     /* attributes the members differ in (left empty) */
    char differ[300];   /* their names, the first six */
};

/**
 * Make each merge's members into one district, before the join: it takes the place of its
 * first member (lowest index; the other features keep their order), with the GEOS union of
 * the members' geometries, the members' keys joined by '+' as key ("0711+0712"), the merge's
 * name (also in the attributes key_column and name_column, either may be NULL), and the
 * other attributes the members agree on (others left empty, listed in done[g]).
 * A member is a key (every feature with that key: a district stored as several features,
 * which then keeps its key and name), else a name. Nothing changes unless every member of
 * every merge is found and the merge has two or more features. Errors (QTR_ERR_USAGE, prefixed with `where`, e.g. "hamburg.ini:17"): a member that
 * is no key or name (with the closest names), a name on several features, a district named
 * twice; QTR_ERR_INTERNAL when GEOS fails; QTR_ERR_NOMEM. done: nm entries.
 */
int qtr_layer_merge(struct qtr_layer *l, const struct qtr_layer_merge *m, size_t nm,
                    const char *key_column, const char *name_column, const char *where,
                    struct qtr_layer_merged *done, struct qtr_error *err);

/** Free the layer and its geometries. NULL-safe. */
void qtr_layer_free(struct qtr_layer *l);

/**
 * Keep the features i with keep[i] (l->n entries) and free the others, in order, as if the
 * layer had held only those (src/geo/layer_subset.c, one region of a batch): keys, names,
 * geometries, attributes, repairs (renumbered) and slivers (judged again against the median
 * of the kept districts). Errors: QTR_ERR_NOMEM (then the layer is unchanged).
 */
int qtr_layer_keep(struct qtr_layer *l, const uint8_t *keep, struct qtr_error *err);

#endif
