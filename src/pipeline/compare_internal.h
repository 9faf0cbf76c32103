/*
 * compare_internal.h - what the two halves of the comparison over regions share (not
 * installed): compare_stage.c reads the region folders and writes the table, compare_pg.c
 * reads the regions' schemas on PostgreSQL (both hand their rows to the same interpreters,
 * cmp_run_info_row and cmp_index_row), compare_report.c draws the map and writes the short
 * report.
 */
#ifndef QTR_COMPARE_INTERNAL_H
#define QTR_COMPARE_INTERNAL_H

#include <stddef.h>

#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/region.h"

struct GEOSGeom_t;

/* One index of the regions' city_indices tables (a column group of the comparison). */
struct cmp_index {
    char *index;
    char *group; /* "" for multigroup indices */
    char *field; /* "<index>_<group>" or "<index>" */
};

/* One region's row. */
struct cmp_region {
    int have;   /* 1: a finished region folder was read */
    int failed; /* 1: this batch's job for the region failed */
    size_t districts, in_indices;
    double residents, residents_in;
    double *val, *lo, *hi, *p; /* nidx each (NAN: not defined) */
};

struct cmp {
    const struct qtr_config *cfg;
    const struct qtr_regions *r;
    struct cmp_region *reg; /* r->n */
    size_t nidx, capidx;
    struct cmp_index *idx;
    struct GEOSGeom_t **geom; /* r->n: the region's districts dissolved */
    long d_col;               /* index of the first group's dissimilarity in idx, or -1 */
    int en;
};

/* Column of index (index, group) in c->idx, added (with NAN for every region) when new;
 * -1 when out of memory. */
long cmp_index_column(struct cmp *c, const char *index, const char *group);

/* One row (item, value) of a region's run_info, as both readers (the GeoPackage of a region
 * folder, compare_stage.c, and a region's schema on PostgreSQL, compare_pg.c) hand it over:
 * the item `region` goes into region (size regionsz), the region's counts into g; other items
 * are left alone. */
void cmp_run_info_row(struct cmp_region *g, const char *item, const char *value, char *region,
                      size_t regionsz);

/* One row of a region's city_indices into region k: the value, its interval and p-value under
 * the column (index, group) ("" for no group); -1 when out of memory. */
int cmp_index_row(struct cmp *c, size_t k, const char *index, const char *group, double value,
                  double lo, double hi, double p);

/* Read region k's results from its schema on PostgreSQL (`pg` a GDALDatasetH, compare_pg.c);
 * c->reg[k].have stays 0 when the schema holds no output. */
int qtr_compare_read_pg(struct cmp *c, size_t k, void *pg, const char *shown, const char *schema,
                        struct qtr_error *err);

/* The QGIS default style of layer `regions` in the comparison GeoPackage at gpkg: D of the
 * first group in the classes and colours of the comparison's map (compare_report.c). */
int qtr_compare_style(const struct qtr_ctx *ctx, const struct cmp *c, const char *gpkg,
                      struct qtr_error *err);

/* The short report: OUT/comparison.html, comparison.pdf and maps/regions_d.{png,svg}. */
int qtr_compare_report(struct qtr_ctx *ctx, const struct cmp *c, const char *dir,
                       struct qtr_error *err);

#endif
