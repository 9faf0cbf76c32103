/*
 * publish_internal.h - between the files of the publish stage: publish_stage.c (disclosure
 * control and the stage), publish_docs.c (aliases and descriptions) and publish_styles.c (the QGIS styles). run_info is src/io/run_info.c.
 */
#ifndef QUARTIER_PUBLISH_INTERNAL_H
#define QUARTIER_PUBLISH_INTERNAL_H

#include <stddef.h>

#include "quartier/gpkg_style.h"
#include "quartier/output.h"
#include "quartier/pipeline.h"

/* What the GeoPackage holds is what qtr_pipeline_write wrote (st->written, output.h). */
static inline int numeric(enum qtr_field_type t)
{
    return t != QTR_FIELD_TEXT;
}

/* Field documentation: aliases and descriptions (gpkg_data_columns). */
struct doc_list {
    struct qtr_gpkg_column_doc *d;
    size_t n, cap;
    char **owned;
    size_t nowned, capowned;
};

int qtr_publish_build_docs(const struct qtr_config *cfg, const struct qtr_state *st,
                           const struct qtr_output_info *g, int en, struct doc_list *l);
void qtr_publish_docs_release(struct doc_list *l);
/* The frame column behind field `field` of layer `layer` (districts or an area layer), or
 * NULL (a fixed field of the output, or another table). */
const struct qtr_column *qtr_publish_column(const struct qtr_state *st, const char *layer,
                                            const char *field);
/* The alias of table.column, or NULL. */
const char *qtr_publish_doc_alias(const struct doc_list *l, const char *table, const char *column);

/* The QGIS styles (layer_styles). */
struct style_list {
    struct qtr_gpkg_style *s;
    size_t n, cap;
};

int qtr_publish_build_styles(const struct qtr_config *cfg, const struct qtr_state *st,
                             const struct qtr_output_info *g, const struct doc_list *docs, int en,
                             const char *update_time, struct style_list *out,
                             struct qtr_error *err);
void qtr_publish_styles_release(struct style_list *l);

#endif
