/*
 * load_stage.c - the first stage: read the analysis' boundaries and tables, carry tables
 * given on another layout, join, and check the population columns (qtr_pipeline_load).
 */
#include "quartier/pipeline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "carry_stage.h"
#include "quartier/format.h"
#include "quartier/join.h"
#include "quartier/pg.h"
#include "quartier/sheet.h"
#include "parent_names.h"

static int read_table(const struct qtr_table_spec *ts, struct qtr_loaded_table *lt,
                      struct qtr_error *err)
{
    int rc;
    if (ts->conn) {
        struct qtr_pg_table pt;
        if ((rc = qtr_pg_table_read(ts->conn, ts->layer, ts->sql, &pt, err)))
            return rc;
        lt->table = pt.table;
        lt->numeric = pt.numeric;
        lt->num = pt.num;
        lt->is_pg = 1;
        lt->info.decimal_mark = pt.decimal_mark;
    } else if (qtr_sheet_is_workbook(ts->source)) {
        struct qtr_sheet_options so = {
            .sheet = ts->sheet, .header_row = ts->header_row, .skip_after_header = ts->skip_rows};
        struct qtr_sheet_info si = {0};
        rc = qtr_sheet_read_ex(ts->source, &so, &lt->table, &si, err);
        lt->is_sheet = 1;
        lt->info.decimal_mark = si.decimal_mark ? si.decimal_mark : '.';
        lt->info.skipped_blank_rows = si.skipped_blank_rows;
    } else {
        struct qtr_csv_options o = {0};
        o.separator = ts->separator;
        o.encoding = (enum qtr_encoding)ts->encoding;
        o.header_row = ts->header_row;
        o.skip_after_header = ts->skip_rows;
        rc = qtr_csv_read(ts->source, &o, &lt->table, &lt->info, err);
    }
    if (rc)
        return rc;
    if (ts->decimal)
        lt->info.decimal_mark = ts->decimal;
    return QTR_OK;
}

/* Add the report entries for geometry problems found while reading. */
/* [boundaries] merge: features made into one district before the join, each reported. */
static int merge_boundaries(const struct qtr_config *cfg, struct qtr_state *st,
                            struct qtr_error *err)
{
    size_t nm = cfg->nbnd_merges;
    if (!nm)
        return QTR_OK;
    struct qtr_layer_merge *m = calloc(nm, sizeof *m);
    struct qtr_layer_merged *done = calloc(nm, sizeof *done);
    int rc = QTR_OK;
    if (!m || !done) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t g = 0; g < nm; g++) {
        m[g].name = cfg->bnd_merges[g].name;
        m[g].members = (const char *const *)cfg->bnd_merges[g].members;
        m[g].nmembers = cfg->bnd_merges[g].nmembers;
    }
    char where[1200];
    qtr_config_where(cfg, "boundaries", "merge", where, sizeof where);
    if ((rc = qtr_layer_merge(st->layer, m, nm, cfg->bnd_key, cfg->bnd_name, where, done, err)))
        goto out;
    const struct qtr_layer *l = st->layer;
    for (size_t g = 0; g < nm && !rc; g++) {
        size_t i = done[g].feature;
        char differ[400] = "";
        if (done[g].ndiffer)
            snprintf(differ, sizeof differ,
                     "; %zu attribute%s differ%s between them and %s left empty ('%s')",
                     done[g].ndiffer, done[g].ndiffer == 1 ? "" : "s",
                     done[g].ndiffer == 1 ? "s" : "", done[g].ndiffer == 1 ? "is" : "are",
                     done[g].differ);
        char differ_de[400] = "", ha[32];
        qtr_fmt_num(0, l->area[i] / 10000.0, 1, ha, sizeof ha); /* "1.189,1" */
        if (done[g].ndiffer)
            snprintf(differ_de, sizeof differ_de,
                     "; %zu Merkmal%s unterscheide%s sich und %s leer („%s“)", done[g].ndiffer,
                     done[g].ndiffer == 1 ? "" : "e", done[g].ndiffer == 1 ? "t" : "n",
                     done[g].ndiffer == 1 ? "bleibt" : "bleiben", done[g].differ);
        if (qtr_report_add(&st->report, QTR_ISSUE_MERGED_BOUNDARIES, QTR_INFO, l->key[i],
                           l->name[i], "boundaries",
                           "made of %s as %s says, %.0f m²%s", done[g].members, where,
                           l->area[i], differ))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        qtr_report_add_de(
            &st->report,
            "zusammengelegt aus %s, wie die Analysedatei verlangt ([boundaries] merge), %s ha%s",
            done[g].members, ha, differ_de);
    }
out:
    free(m);
    free(done);
    return rc;
}

static int report_geometry(const struct qtr_layer *l, struct qtr_report *rep)
{
    for (size_t r = 0; r < l->nrepairs; r++) {
        size_t i = l->repairs[r].feature;
        if (qtr_report_add(rep, QTR_ISSUE_REPAIRED_GEOMETRY, QTR_INFO, l->key[i], l->name[i],
                           "boundaries", "invalid polygon (%s) repaired with GEOS MakeValid",
                           l->repairs[r].reason))
            return QTR_ERR_NOMEM;
        qtr_report_add_de(rep, "ungültiges Polygon (%s) mit GEOS MakeValid repariert",
                          l->repairs[r].reason);
    }
    for (size_t i = 0; i < l->n; i++) {
        if (!l->geom[i] && qtr_report_add(rep, QTR_ISSUE_NO_GEOMETRY, QTR_WARNING, l->key[i],
                                          l->name[i], "boundaries",
                                          "feature %zu has no geometry; it is kept in the tables "
                                          "but cannot be mapped",
                                          i + 1))
            return QTR_ERR_NOMEM;
        if (!l->geom[i])
            qtr_report_add_de(rep,
                              "Objekt %zu hat keine Geometrie; es bleibt in den Tabellen, kann "
                              "aber nicht kartiert werden",
                              i + 1);
    }
    for (size_t i = 0; l->sliver && i < l->n; i++) {
        if (l->sliver[i] &&
            qtr_report_add(rep, QTR_ISSUE_SLIVER, QTR_WARNING, l->key[i], l->name[i],
                           "boundaries",
                           "polygon of %.3g m², %s; left out of the indices that weigh "
                           "districts by area (delta, concentration, centralization)",
                           l->area[i],
                           l->area[i] > 0 ? "a sliver (below 1/10000 of the median district)"
                                          : "no area at all"))
            return QTR_ERR_NOMEM;
        if (l->sliver[i])
            qtr_report_add_de(rep,
                              "Polygon von %.3g m², %s; nicht in den Indizes, die Gebiete nach "
                              "Fläche gewichten (Delta, Konzentration, Zentralisierung)",
                              l->area[i],
                              l->area[i] > 0 ? "ein Splitter (unter 1/10000 des mittleren Gebiets)"
                                             : "ganz ohne Fläche");
    }
    return QTR_OK;
}

/*
 * A source without `attribution =`: the maps then name its file, and a publisher whose
 * licence asks for attribution (CC BY, dl-de/by) is not named.
 */
static void warn_attribution(const struct qtr_ctx *ctx, const struct qtr_config *cfg)
{
    size_t len = 0;
    if (!cfg->bnd_attribution || !qtr_trim_span(cfg->bnd_attribution, &len) || !len)
        qtr_warn(ctx,
                 "[boundaries] has no 'attribution =': the maps name the file '%s' instead of "
                 "the publisher and licence; add e.g. 'attribution = Geoportal Berlin / LOR "
                 "(CC BY 4.0)'",
                 cfg->bnd_source);
    for (size_t t = 0; t < cfg->ntables; t++) {
        const struct qtr_table_spec *ts = &cfg->tables[t];
        if (!ts->attribution || !qtr_trim_span(ts->attribution, &len) || !len)
            qtr_warn(ctx,
                     "[table %s] has no 'attribution =': the maps name the file '%s' instead "
                     "of the publisher and licence; add e.g. 'attribution = Amt für Statistik "
                     "Berlin-Brandenburg (CC BY 3.0 DE)'",
                     ts->id, ts->source);
    }
}

/* The population columns the analysis file names exist in the joined data and hold counts;
 * a message names the line of the analysis file and the closest column names. */
/* A column the analysis file names that the joined data does not have is a mistake in the
 * analysis file (exit 2, like an unknown column in an expression); one that holds text is a
 * data problem (exit 1). */
static int require_named(const struct qtr_frame *f, const char *name, const char *what,
                         struct qtr_column **c, struct qtr_error *err)
{
    int rc = qtr_frame_require(f, name, what, c, err);
    if (rc == QTR_ERR_DATA && !qtr_frame_find(f, name))
        rc = err->code = QTR_ERR_USAGE;
    return rc;
}

static int require_population_columns(const struct qtr_config *cfg, const struct qtr_frame *f,
                                      struct qtr_error *err)
{
    char what[1200], section[160];
    struct qtr_column *c;
    int rc;
    if ((rc = require_named(
             f, cfg->total,
             qtr_config_what(cfg, "population", "total", "total column", what, sizeof what), &c,
             err)))
        return rc;
    if (cfg->previous_total &&
        (rc = require_named(f, cfg->previous_total,
                                qtr_config_what(cfg, "population", "previous_total",
                                                "previous_total column", what, sizeof what),
                                &c, err)))
        return rc;
    for (size_t g = 0; g < cfg->ngroups; g++) {
        snprintf(section, sizeof section, "group %s", cfg->groups[g].id);
        if ((rc = require_named(
                 f, cfg->groups[g].column,
                 qtr_config_what(cfg, section, "column", "group column", what, sizeof what), &c,
                 err)))
            return rc;
        if (cfg->groups[g].previous &&
            (rc = require_named(f, cfg->groups[g].previous,
                                    qtr_config_what(cfg, section, "previous",
                                                    "previous group column", what, sizeof what),
                                    &c, err)))
            return rc;
    }
    return QTR_OK;
}

/* 1 when `name` occurs in expr as a whole name (not as part of a longer one). */
static int mentions(const char *expr, const char *name)
{
    size_t n = strlen(name);
    if (!expr || !n)
        return 0;
    for (const char *p = strstr(expr, name); p; p = strstr(p + 1, name)) {
        unsigned char before = p > expr ? (unsigned char)p[-1] : ' ';
        unsigned char after = (unsigned char)p[n];
        if (!(isalnum(before) || before == '_') && !(isalnum(after) || after == '_'))
            return 1;
    }
    return 0;
}

/*
 * The roles of the input columns the analysis file names (role.h): the total, the groups'
 * counts, the parent column; a column an indicator's expressions use belongs to that
 * indicator (its alias names it).
 */
static int input_roles(const struct qtr_config *cfg, struct qtr_frame *f)
{
    struct qtr_column *c;
    for (size_t j = 0; j < f->ncols; j++) {
        c = f->cols[j];
        for (size_t k = 0; k < cfg->nindicators && !c->of; k++) {
            const struct qtr_indicator_spec *s = &cfg->indicators[k];
            if ((mentions(s->expr, c->name) || mentions(s->numerator, c->name) ||
                 mentions(s->denominator, c->name) || mentions(s->previous, c->name) ||
                 mentions(s->change, c->name)) &&
                qtr_column_set_role(c, QTR_ROLE_NONE, s->id))
                return QTR_ERR_NOMEM;
        }
    }
    if (cfg->bnd_parent && (c = qtr_frame_find(f, cfg->bnd_parent)) &&
        qtr_column_set_role(c, QTR_ROLE_PARENT, NULL))
        return QTR_ERR_NOMEM;
    for (size_t g = 0; g < cfg->ngroups; g++) {
        const struct qtr_group_spec *gs = &cfg->groups[g];
        if ((c = qtr_frame_find(f, gs->column)) && qtr_column_set_role(c, QTR_ROLE_COUNT, gs->id))
            return QTR_ERR_NOMEM;
        if (gs->previous && (c = qtr_frame_find(f, gs->previous)) &&
            qtr_column_set_role(c, QTR_ROLE_COUNT, gs->id))
            return QTR_ERR_NOMEM;
    }
    if ((c = qtr_frame_find(f, cfg->total)) && qtr_column_set_role(c, QTR_ROLE_TOTAL, NULL))
        return QTR_ERR_NOMEM;
    if (cfg->previous_total && (c = qtr_frame_find(f, cfg->previous_total)) &&
        qtr_column_set_role(c, QTR_ROLE_TOTAL, NULL))
        return QTR_ERR_NOMEM;
    return QTR_OK;
}

int qtr_pipeline_load(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state **out,
                      struct qtr_error *err)
{
    int rc;
    struct qtr_join_table *jt = NULL;
    const char **gcols = NULL, **pgcols = NULL;
    struct qtr_state *st = calloc(1, sizeof *st);
    if (!st)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    *out = st;
    warn_attribution(ctx, cfg);

    struct qtr_layer_options lo = {
        .source = qtr_config_open_path(cfg->bnd_source, cfg->bnd_conn),
        .layer = cfg->bnd_layer,
        .sql = cfg->bnd_sql,
        .key = cfg->bnd_key,
        .name = cfg->bnd_name,
        .assign_crs = cfg->bnd_crs,
        .work_crs = cfg->crs,
    };
    if ((rc = qtr_layer_read(ctx, &lo, &st->layer, err)) ||
        (rc = merge_boundaries(cfg, st, err)) || (rc = qtr_parent_names_load(ctx, cfg, st, err)))
        goto out;

    st->tables = calloc(cfg->ntables ? cfg->ntables : 1, sizeof *st->tables);
    jt = calloc(cfg->ntables ? cfg->ntables : 1, sizeof *jt);
    if (!st->tables || !jt) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t t = 0; t < cfg->ntables; t++) {
        const struct qtr_table_spec *ts = &cfg->tables[t];
        qtr_progress(ctx, (double)t / (double)cfg->ntables, "reading tables");
        if ((rc = read_table(ts, &st->tables[t], err)))
            goto out;
        st->ntables++;
        jt[t].table = st->tables[t].table;
        jt[t].id = ts->id;
        jt[t].key = ts->key;
        jt[t].mode = ts->join;
        jt[t].suffix = ts->suffix;
        jt[t].columns = ts->columns;
        jt[t].na_values = ts->na_values;
        jt[t].decimal_mark = st->tables[t].info.decimal_mark;
        jt[t].numeric = st->tables[t].numeric;
        jt[t].num = st->tables[t].num;
        jt[t].db_rows = st->tables[t].is_pg;
        if (ts->join == QTR_JOIN_NAME && !cfg->bnd_name) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "[table %s] joins by name, but [boundaries] has no 'name = ' "
                               "column",
                               ts->id);
            goto out;
        }
    }
    if (cfg->ntables)
        qtr_progress(ctx, 1.0, "reading tables");
    /* `run --region`: the region's districts and rows only (region.h); then the geometry
     * report names the region's districts only */
    if ((rc = qtr_region_restrict(ctx, cfg, st, err)))
        goto out;
    if ((rc = report_geometry(st->layer, &st->report))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = qtr_carry_tables(ctx, cfg, st, jt, err)))
        goto out;

    struct qtr_join_input in = {
        .n = st->layer->n,
        .key = st->layer->key,
        .name = st->layer->name,
        .attrs = st->layer->attrs,
        .attr_numeric = st->layer->attr_numeric,
        .attr_num = st->layer->attr_num,
        .key_column = cfg->bnd_key,
        .name_column = cfg->bnd_name,
        .ntables = cfg->ntables,
        .tables = jt,
    };
    if ((rc = qtr_join_run(&in, &st->frame, &st->report, err)) ||
        (rc = qtr_carry_attach_ranges(st, st->frame, err)))
        goto out;

    gcols = calloc(cfg->ngroups ? cfg->ngroups : 1, sizeof *gcols);
    pgcols = calloc(cfg->ngroups ? cfg->ngroups : 1, sizeof *pgcols);
    st->usable = calloc(st->layer->n, 1);
    if (!gcols || !pgcols || !st->usable) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t g = 0; g < cfg->ngroups; g++) {
        gcols[g] = cfg->groups[g].column;
        pgcols[g] = cfg->groups[g].previous;
    }
    struct qtr_population_spec ps = {
        .total = cfg->total,
        .ngroups = cfg->ngroups,
        .groups = gcols,
        .min_population = cfg->min_population,
        .exclude_small = cfg->small_exclude,
        .suppressed_usable = 1,
        .suppressed_low = cfg->suppressed_low,
        .suppressed_high = cfg->suppressed_high,
        .previous_total = cfg->previous_total,
        .previous_groups = pgcols,
        .boundaries = cfg->bnd_source,
        .ntables = cfg->ntables,
        .tables = cfg->tables,
    };
    if (input_roles(cfg, st->frame)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = require_population_columns(cfg, st->frame, err)) ||
        (rc = qtr_population_check(st->frame, &ps, st->usable, &st->report, err)))
        goto out;
    for (size_t i = 0; i < st->layer->n; i++)
        st->nusable += st->usable[i];
    if (st->nusable == 0) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "no district can enter the indices (see the join report: no match "
                           "between the keys, or every total missing or below the minimum "
                           "population of %g)",
                           cfg->min_population);
        goto out;
    }
    if (cfg->strict && qtr_report_warnings(&st->report) > 0) {
        rc = qtr_error_set(err, QTR_ERR_DATA,
                           "%zu warnings in the join and data-quality report, and strict mode "
                           "is on; fix the inputs or set strict = no",
                           qtr_report_warnings(&st->report));
        goto out;
    }
    rc = QTR_OK;
out:
    free(jt);
    free(gcols);
    free(pgcols);
    return rc;
}
