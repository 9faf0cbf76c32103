/*
 * publish_internal.h - between the files of the publish stage: publish_stage.c (disclosure
 * control and the stage), publish_docs.c (what the GeoPackage holds, aliases and
 * descriptions) and publish_styles.c (the QGIS styles). run_info is src/io/run_info.c.
 */
#ifndef QUARTIER_PUBLISH_INTERNAL_H
#define QUARTIER_PUBLISH_INTERNAL_H

#include <stddef.h>

#include <ogr_api.h>

#include "quartier/gpkg_style.h"
#include "quartier/pipeline.h"

/* What the GeoPackage holds, read through OGR before SQLite writes to it. */
struct field_info {
    char *name;
    OGRFieldType type;
    double *v; /* districts only: values per feature, NaN for NULL */
};

struct layer_info {
    char *name;
    char *fid;  /* the key column of the GeoPackage table ("fid"), or NULL */
    int spatial;
    size_t nfields;
    struct field_info *fields;
    size_t n; /* features */
};

struct gpkg_info {
    size_t nlayers;
    struct layer_info *layers;
};

/* An OGR integer or real field. */
static inline int numeric(OGRFieldType t)
{
    return t == OFTReal || t == OFTInteger || t == OFTInteger64;
}

int qtr_publish_read_info(const char *gpkg, struct gpkg_info *g, struct qtr_error *err);
void qtr_publish_info_release(struct gpkg_info *g);

/* Field documentation: aliases and descriptions (gpkg_data_columns). */
struct doc_list {
    struct qtr_gpkg_column_doc *d;
    size_t n, cap;
    char **owned;
    size_t nowned, capowned;
};

int qtr_publish_build_docs(const struct qtr_config *cfg, const struct qtr_state *st,
                           const struct gpkg_info *g, int en, struct doc_list *l);
void qtr_publish_docs_release(struct doc_list *l);
/* The frame column behind field `field` of layer `layer` (districts or an area layer), or
 * NULL (a fixed field of the output, or another table). */
const struct qtr_column *qtr_publish_column(const struct qtr_state *st, const char *layer,
                                            const char *field);
/* 1 when `layer` is an area layer of the run (st->areas). */
int qtr_publish_area(const struct qtr_state *st, const char *layer);
/* The alias of table.column, or NULL. */
const char *qtr_publish_doc_alias(const struct doc_list *l, const char *table, const char *column);

/* The QGIS styles (layer_styles). */
struct style_list {
    struct qtr_gpkg_style *s;
    size_t n, cap;
};

int qtr_publish_build_styles(const struct qtr_config *cfg, const struct qtr_state *st,
                             const struct gpkg_info *g, const struct doc_list *docs, int en,
                             const char *update_time, struct style_list *out,
                             struct qtr_error *err);
void qtr_publish_styles_release(struct style_list *l);

#endif
