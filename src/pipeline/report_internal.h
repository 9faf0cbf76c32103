/*
 * report_internal.h - between the files of the report stage: report_stage.c (the stage),
 * report_maps.c and report_renewal_maps.c (the maps), report_text.c and
 * report_sections.c (the text). Formatting is in src/render/format.c.
 */
#ifndef QUARTIER_REPORT_INTERNAL_H
#define QUARTIER_REPORT_INTERNAL_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "quartier/bivariate.h"
#include "quartier/classify.h"
#include "quartier/doc.h"
#include "quartier/format.h"
#include "quartier/geom.h"
#include "quartier/goals.h"
#include "quartier/label_case.h"
#include "quartier/labels.h"
#include "quartier/map.h"
#include "quartier/output.h"
#include "quartier/palette.h"
#include "quartier/present.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

struct rs {
    struct qtr_ctx *ctx;
    const struct qtr_config *cfg;
    struct qtr_state *st;
    int en;
    char *mapdir;
    struct qtr_shapes *shapes;
    struct qtr_map_label *labels;
    size_t nlabels;
    struct qtr_doc *doc;
    char date[64];      /* "Stand: 31.12.2022" */
    char prev_date[32]; /* "31.12.2020" or "" */
    char cur_date[32];
    char created[32];   /* PDF creation date from SOURCE_DATE_EPOCH, "" = now */
    char map_date[160]; /* "Stand: ..." of the tables behind the next map ("" = date) */
    size_t nmaps;
    double tol;                 /* generalisation tolerance (CRS units) */
    struct qtr_shapes *parents; /* parent outlines of the overview (borrowed by the document) */
    struct qtr_shapes *cand;    /* candidate areas (st->areas), or NULL (borrowed too) */
    char cand_layer[128];
    char **parent_of; /* parent area of each district, its name where known (or NULL) */
    char parent_label[160];
    struct qtr_map_label *parent_labels; /* parent names on the thematic maps (report_bezirk.c) */
    size_t nparent_labels;
    char parent_overlay_label[256];
    char **tmp_svg; /* compact SVGs for the HTML, removed at the end */
    size_t ntmp;
    struct qtr_error *err;
    int plan_only; /* qtr_pipeline_report_plan: maps described for the QGIS project only */
};

#define T(r, de_, en_) ((r)->en ? (en_) : (de_))

/* A join report entry in the report's language (report_lang.c). */
const char *qtr_report_issue_detail(const struct rs *r, const struct qtr_issue *it);
const char *qtr_report_issue_source(const struct rs *r, const struct qtr_issue *it);
const char *qtr_report_index_reason(const struct rs *r, const char *name, const char *reason);
const char *qtr_report_table_name(const char *id, char *buf, size_t size);
int qtr_report_ci_excludes(double value, double lo, double hi);
int qtr_report_ci_note(struct rs *r);

#define ADD(call)                                                                                  \
    do {                                                                                           \
        if ((call))                                                                                \
            return qtr_error_set(r->err, QTR_ERR_NOMEM, "out of memory writing the report");       \
    } while (0)

/* ---- numbers, dates, names (src/render/format.c, the analysis file) ------ */

static inline void num(const struct rs *r, double v, int dec, char *buf, size_t size)
{
    qtr_fmt_num(r->en, v, dec, buf, size);
}

/* p-value as in the tables: "0,001", "< 0,001" never occurs with the +1 correction. */
static inline void pval(const struct rs *r, double p, char *buf, size_t size)
{
    qtr_fmt_p(r->en, p, buf, size);
}

static inline void ptext(const struct rs *r, double p, char *buf, size_t size)
{
    qtr_fmt_ptext(r->en, r->cfg->permutations, p, buf, size);
}

static inline void date_text(const struct rs *r, const char *iso, char *buf, size_t size)
{
    qtr_fmt_date(r->en, iso, buf, size);
}

static inline const char *field_label(const struct rs *r, const char *f)
{
    return qtr_action_field_label(r->en, f);
}

static inline const char *method_text(const struct rs *r, enum qtr_class_method m)
{
    return qtr_class_method_text(r->en, m);
}

static inline const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A number of a column, NaN when missing, suppressed or not finite (classes need finite values). */
static inline double cell(const struct qtr_column *c, size_t i)
{
    return c && !c->is_text && (c->kind[i] == QTR_CELL_VALUE || c->kind[i] == QTR_CELL_ZERO) &&
                   isfinite(c->v[i])
               ? c->v[i]
               : NAN;
}

static inline const char *group_label(const struct rs *r, const char *id)
{
    for (size_t g = 0; g < r->cfg->ngroups; g++)
        if (!strcmp(r->cfg->groups[g].id, id)) {
            const struct qtr_group_spec *s = &r->cfg->groups[g];
            if (r->en && s->label_en)
                return s->label_en;
            return s->label ? s->label : s->id;
        }
    return id;
}

/* A group's label inside an English sentence ("... for foreign nationals", label_case.h) */
static inline const char *group_mid(const struct rs *r, const char *id, char *buf, size_t size)
{
    return qtr_label_in_sentence(r->en, group_label(r, id), buf, size);
}

static inline const char *ind_label(const struct rs *r, const struct qtr_indicator_spec *s)
{
    if (r->en && s->label_en)
        return s->label_en;
    return s->label ? s->label : s->id;
}

static inline int para(struct rs *r, const char *text)
{
    ADD(qtr_doc_para(r->doc, QTR_DOC_PARA, text));
    return QTR_OK;
}

static inline int note(struct rs *r, const char *text)
{
    ADD(qtr_doc_para(r->doc, QTR_DOC_NOTE, text));
    return QTR_OK;
}

/* ---- report_maps.c --------------------------------------------------------- */

/*
 * Source line of a map: the attribution of the tables that supply a column named in one
 * of the expressions (every table when nexpr is 0 or no column matches), then of the
 * boundaries. Sets r->map_date. NULL when out of memory.
 */
char *qtr_report_source_line(struct rs *r, const char *const *expr, size_t nexpr);
/* maps/<stem>.png, .svg, .pdf and, in_report, the map in the document */
int qtr_report_emit_map(struct rs *r, const char *stem, struct qtr_map *m, int in_report);
/* Map of v (NaN = no data) in the classes of the presentation table (as the QGIS style). */
int qtr_report_graduated_map(struct rs *r, const char *stem, const double *v,
                             const struct qtr_present *p, const char *title, const char *subtitle,
                             const char *legend, const char *source, int in_report);
/* Categorical map: cls[i] in 0..nclass-1 or -1. */
int qtr_report_category_map(struct rs *r, const char *stem, const int *cls, size_t nclass,
                            const struct qtr_rgb *col, const char *const *lab, const char *title,
                            const char *subtitle, const char *legend, const char *nodata,
                            const char *source, int with_labels, int in_report);
int qtr_report_make_labels(struct rs *r);
int qtr_report_overview_map(struct rs *r, double tol);
int qtr_report_group_maps(struct rs *r, size_t g);

/* ---- report_renewal_maps.c ------------------------------------------------- */

int qtr_report_indicator_map(struct rs *r, size_t k);
int qtr_report_renewal_maps(struct rs *r);
int qtr_report_lisa_maps(struct rs *r, int *any);

/* ---- report_text.c ----------------------------------------------------------- */

const char *qtr_report_index_short(const struct rs *r, const char *name);
int qtr_report_index_table(struct rs *r, const char *caption, int core);
int qtr_report_summary(struct rs *r);
int qtr_report_indices_section(struct rs *r);
int qtr_report_change_section(struct rs *r);

/* ---- report_sections.c ------------------------------------------------------- */

int qtr_report_renewal_section(struct rs *r);
int qtr_report_indicators_section(struct rs *r);
int qtr_report_goals_section(struct rs *r);
int qtr_report_quality_section(struct rs *r);
int qtr_report_methods_section(struct rs *r);
int qtr_report_sources_section(struct rs *r);

/* ---- report_carry.c ---------------------------------------------------------- */

/* Methods annex: how tables on another district layout were carried, with the accuracy of each
 * method on Berlin (nothing when no table is carried). */
int qtr_report_carry_methods(struct rs *r);

/* ---- report_plan.c ------------------------------------------------------------ */

/* r->cand and r->cand_layer from the run's candidate area layer (none: left NULL). */
int qtr_report_candidates(struct rs *r);
/* The grid legend of map m (a bivariate map) to the QGIS project's layout of `stem`. */
int qtr_report_plan_grid(struct rs *r, const char *stem, const struct qtr_map *m);

/* ---- report_scale.c: very many districts ([report] full_detail_up_to) ---------- */

/* 1 when the run has more districts than [report] full_detail_up_to. */
int qtr_report_large(const struct rs *r);
/* Large: m's features as a raster image. */
void qtr_report_scale_map(const struct rs *r, struct qtr_map *m);
/* Large: a note on raster maps, short tables, no interactive map, where everything is. */
int qtr_report_scale_note(struct rs *r);
/* Large: the last table (sorted by key_de / key_en) cut to its extremes, with a note. */
int qtr_report_table_ends(struct rs *r, const char *key_de, const char *key_en);
/* v ascending; ord[0..n-1] by key descending (NaN last, ties by index); O(n log n). */
void qtr_report_sort_values(double *v, size_t n);
int qtr_report_sort_desc(size_t *ord, size_t n, const double *key);

/* ---- report_bezirk.c, report_candidates.c, report_small.c ----------------------- */

/* r->parent_of: codes replaced by the names of [boundaries] parent_name / parent_names. */
void qtr_report_parent_names(struct rs *r);
/* r->parents (outlines) and r->parent_labels (names) of the parent areas. */
int qtr_report_parent_areas(struct rs *r, double tol);
/* Parent outlines and names on map m unless it has an overlay or labels of its own. */
void qtr_report_parent_context(const struct rs *r, struct qtr_map *m);
/* A district table's head (n columns) with the parent column inserted at pos when the
 * report knows the parents: h2, n2 have room for n + 1; returns the column count. */
size_t qtr_report_parent_head(const struct rs *r, size_t pos, const char *const *head,
                              const unsigned char *num, size_t n, const char **h2,
                              unsigned char *n2);
/* Row i's cells likewise (c2: n + 1). */
void qtr_report_parent_cells(const struct rs *r, size_t pos, size_t i, const char *const *cells,
                             size_t n, const char **c2);
/* Districts needing attention per parent area (with the renewal identification). */
int qtr_report_parent_section(struct rs *r);
/* Connected groups of flagged districts (flag[i] != 0) under w, numbered by their lowest
 * district index (as qtr_dissolve_adjacent): group[i] (SIZE_MAX unflagged); stack: n
 * scratch. Returns the number of groups. */
size_t qtr_report_candidate_groups(size_t n, const struct qtr_csr *w, const unsigned *flag,
                                   size_t *group, size_t *stack);
/* The candidate areas: how they are formed, and a table of them. */
int qtr_report_candidate_section(struct rs *r);
/* extreme[i] = 1 where v[i] lies at least sd_limit population SDs from the mean of the
 * finite values (*mean); NaN is never extreme, nor is anything without spread. */
void qtr_report_extreme_of(const double *v, size_t n, double sd_limit, uint8_t *extreme,
                           double *mean);
/* Extreme values in districts with few residents: a note and a table (report_small.c). */
int qtr_report_small_section(struct rs *r);

/* What the parent level is called ([boundaries] parent_label, parent_label_en in an English
 * report), or NULL when the analysis file does not say. */
const char *qtr_report_parent_label(const struct rs *r);

#endif
