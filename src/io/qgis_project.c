/*
 * qgis_project.c - the QGIS project of a run, kept in its GeoPackage
 * (qgis_project.h): the plan handed over by publish and report, what the
 * GeoPackage holds, and which layers go into which group in which order with
 * which style. The XML is written by qgis_xml.c and qgis_layout.c, stored by
 * qgis_store.c.
 */
#include "quartier/qgis_project.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/config.h"
#include "quartier/present.h"
#include "quartier/qml.h"
#include "quartier/strutil.h"
#include "qgis_internal.h"

/* ---- the plan ------------------------------------------------------------------------ */

static char *dup_or_null(const char *s, int *bad)
{
    if (!s)
        return NULL;
    char *d = qtr_strdup(s);
    if (!d)
        *bad = 1;
    return d;
}

static void grid_free(struct qtr_qgis_grid *g)
{
    if (!g)
        return;
    for (size_t r = 0; g->row_labels && r < g->rows; r++)
        free(g->row_labels[r]);
    for (size_t c = 0; g->col_labels && c < g->cols; c++)
        free(g->col_labels[c]);
    free(g->row_labels);
    free(g->col_labels);
    free(g->row_title);
    free(g->col_title);
    free(g->rgb);
    free(g);
}

void qtr_qgis_plan_free(struct qtr_qgis_plan *p)
{
    if (!p)
        return;
    free(p->title);
    for (size_t i = 0; i < p->ngroups; i++) {
        free(p->group_id[i]);
        free(p->group_label[i]);
    }
    free(p->group_id);
    free(p->group_label);
    for (size_t i = 0; i < p->nstyles; i++) {
        free(p->styles[i].table);
        free(p->styles[i].name);
        free(p->styles[i].qml);
    }
    free(p->styles);
    for (size_t i = 0; i < p->ndocs; i++) {
        free(p->docs[i].table);
        free(p->docs[i].column);
        free(p->docs[i].alias);
    }
    free(p->docs);
    for (size_t i = 0; i < p->nmaps; i++) {
        struct pmap *m = &p->maps[i];
        grid_free(m->grid);
        free(m->stem);
        free(m->title);
        free(m->subtitle);
        free(m->legend);
        free(m->source);
        free(m->date);
    }
    free(p->maps);
    free(p);
}

int qtr_qgis_plan_begin(struct qtr_qgis_plan **out, const struct qtr_config *cfg, int en,
                        const struct qtr_gpkg_style *styles, size_t nstyles,
                        const struct qtr_gpkg_column_doc *docs, size_t ndocs,
                        struct qtr_error *err)
{
    qtr_qgis_plan_free(*out);
    *out = NULL;
    struct qtr_qgis_plan *p = calloc(1, sizeof *p);
    int bad = !p;
    if (!bad) {
        p->en = en;
        p->title = qtr_strdup(cfg && cfg->title ? cfg->title
                              : en             ? "Social monitoring"
                                               : "Sozialmonitoring");
        p->styles = calloc(nstyles + 1, sizeof *p->styles);
        p->docs = calloc(ndocs + 1, sizeof *p->docs);
        size_t ng = cfg ? cfg->ngroups : 0;
        p->group_id = calloc(ng + 1, sizeof *p->group_id);
        p->group_label = calloc(ng + 1, sizeof *p->group_label);
        bad = !p->title || !p->styles || !p->docs || !p->group_id || !p->group_label;
        for (size_t g = 0; g < ng && !bad; g++) {
            const struct qtr_group_spec *gs = &cfg->groups[g];
            const char *lab = en && gs->label_en ? gs->label_en : gs->label ? gs->label : gs->id;
            p->group_id[g] = dup_or_null(gs->id, &bad);
            p->group_label[g] = dup_or_null(lab, &bad);
            p->ngroups = g + 1;
        }
    }
    for (size_t i = 0; i < nstyles && !bad; i++) {
        p->styles[i].table = dup_or_null(styles[i].table, &bad);
        p->styles[i].name = dup_or_null(styles[i].name, &bad);
        p->styles[i].qml = dup_or_null(styles[i].qml, &bad);
        p->styles[i].is_default = styles[i].use_as_default;
        p->nstyles = i + 1;
    }
    for (size_t i = 0; i < ndocs && !bad; i++) {
        p->docs[i].table = dup_or_null(docs[i].table, &bad);
        p->docs[i].column = dup_or_null(docs[i].column, &bad);
        p->docs[i].alias = dup_or_null(docs[i].alias, &bad);
        p->ndocs = i + 1;
    }
    if (bad) {
        qtr_qgis_plan_free(p);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    *out = p;
    return QTR_OK;
}

int qtr_qgis_plan_map(struct qtr_qgis_plan *p, const char *stem, const char *title,
                      const char *subtitle, const char *legend, const char *source,
                      const char *date, struct qtr_error *err)
{
    if (!p || !stem)
        return QTR_OK;
    struct pmap *nm = realloc(p->maps, (p->nmaps + 1) * sizeof *nm);
    if (!nm)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    p->maps = nm;
    int bad = 0;
    struct pmap m = {dup_or_null(stem, &bad),   dup_or_null(title, &bad),
                     dup_or_null(subtitle, &bad), dup_or_null(legend, &bad),
                     dup_or_null(source, &bad), dup_or_null(date, &bad), NULL};
    p->maps[p->nmaps++] = m;
    return bad ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

void qtr_qgis_plan_view(struct qtr_qgis_plan *p, double xmin, double ymin, double xmax,
                        double ymax)
{
    if (!p || !(xmax > xmin) || !(ymax > ymin))
        return;
    p->has_view = 1;
    p->view[0] = xmin;
    p->view[1] = ymin;
    p->view[2] = xmax;
    p->view[3] = ymax;
}

int qtr_qgis_plan_grid(struct qtr_qgis_plan *p, const char *stem, size_t rows, size_t cols,
                       const unsigned char (*rgb)[3], const char *const *row_labels,
                       const char *const *col_labels, const char *row_title,
                       const char *col_title, struct qtr_error *err)
{
    if (!p || !stem || !rows || !cols || !rgb)
        return QTR_OK;
    struct pmap *m = NULL;
    for (size_t i = p->nmaps; i-- > 0 && !m;)
        if (!strcmp(p->maps[i].stem, stem))
            m = &p->maps[i];
    if (!m)
        return QTR_OK;
    struct qtr_qgis_grid *g = calloc(1, sizeof *g);
    int bad = !g;
    if (!bad) {
        g->rows = rows;
        g->cols = cols;
        g->rgb = malloc(rows * cols * sizeof *g->rgb);
        g->row_labels = calloc(rows, sizeof *g->row_labels);
        g->col_labels = calloc(cols, sizeof *g->col_labels);
        bad = !g->rgb || !g->row_labels || !g->col_labels;
    }
    if (!bad)
        memcpy(g->rgb, rgb, rows * cols * sizeof *g->rgb);
    for (size_t r = 0; !bad && row_labels && r < rows; r++)
        g->row_labels[r] = dup_or_null(row_labels[r], &bad);
    for (size_t c = 0; !bad && col_labels && c < cols; c++)
        g->col_labels[c] = dup_or_null(col_labels[c], &bad);
    if (!bad) {
        g->row_title = dup_or_null(row_title, &bad);
        g->col_title = dup_or_null(col_title, &bad);
    }
    if (bad) {
        grid_free(g);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    grid_free(m->grid);
    m->grid = g;
    return QTR_OK;
}

/* ---- what the GeoPackage holds ---------------------------------------------------------- */

static void gpkg_release(struct gpkg *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->t[i].name);
        free(g->t[i].geom_type);
    }
    free(g->t);
    free(g->srs_wkt);
    free(g->srs_auth);
    free(g->srs_name);
    memset(g, 0, sizeof *g);
}

static char *col_text(sqlite3_stmt *st, int k)
{
    const unsigned char *t = sqlite3_column_text(st, k);
    return t ? qtr_strdup((const char *)t) : NULL;
}

/* Tables QGIS should not list: quartier's and GeoPackage's own bookkeeping. */
static int internal_table(const char *name)
{
    return !strcmp(name, "layer_styles") || !strcmp(name, "qgis_projects") ||
           !strncmp(name, "gpkg_", 5) || !strncmp(name, "rtree_", 6);
}

static int read_gpkg(sqlite3 *db, const char *path, struct gpkg *g, struct qtr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = QTR_OK;
    long districts_srs = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT c.table_name, c.data_type, c.srs_id, c.min_x, c.min_y, c.max_x,"
                           " c.max_y, g.geometry_type_name FROM gpkg_contents c LEFT JOIN "
                           "gpkg_geometry_columns g ON g.table_name = c.table_name "
                           "ORDER BY c.rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s': cannot read gpkg_contents: %s",
                             path, sqlite3_errmsg(db));
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (!name || !type || internal_table(name) ||
            (strcmp(type, "features") && strcmp(type, "attributes")))
            continue;
        struct gtable *nt = realloc(g->t, (g->n + 1) * sizeof *nt);
        if (!nt) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            break;
        }
        g->t = nt;
        struct gtable *t = &g->t[g->n++];
        memset(t, 0, sizeof *t);
        t->name = qtr_strdup(name);
        t->spatial = !strcmp(type, "features");
        t->geom_type = col_text(st, 7);
        t->has_extent = sqlite3_column_type(st, 3) != SQLITE_NULL;
        t->xmin = sqlite3_column_double(st, 3);
        t->ymin = sqlite3_column_double(st, 4);
        t->xmax = sqlite3_column_double(st, 5);
        t->ymax = sqlite3_column_double(st, 6);
        if (!t->name) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            break;
        }
        if (!strcmp(name, "districts"))
            districts_srs = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (s != SQLITE_DONE && s != SQLITE_ROW)
        return qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s': cannot read gpkg_contents: %s",
                             path, sqlite3_errmsg(db));
    if (districts_srs < 0)
        return qtr_error_set(err, QTR_ERR_IO,
                             "GeoPackage '%s' has no layer 'districts'; the QGIS project is "
                             "made for quartier's own output",
                             path);
    if (sqlite3_prepare_v2(db,
                           "SELECT organization, organization_coordsys_id, definition, srs_name "
                           "FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return qtr_error_set(err, QTR_ERR_IO,
                             "GeoPackage '%s': cannot read gpkg_spatial_ref_sys: %s", path,
                             sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, districts_srs);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *org = (const char *)sqlite3_column_text(st, 0);
        long code = (long)sqlite3_column_int64(st, 1);
        if (org && code > 0) {
            g->srs_auth = qtr_asprintf("%s:%ld", org, code);
            g->srs_code = code;
        }
        g->srs_wkt = col_text(st, 2);
        g->srs_name = col_text(st, 3);
    }
    sqlite3_finalize(st);
    return QTR_OK;
}

const struct gtable *qtr_qgis_find_table(const struct gpkg *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->t[i].name, name))
            return &g->t[i];
    return NULL;
}

/* ---- layers of the project ------------------------------------------------------------- */

static void players_release(struct players *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->l[i].name);
        free(ps->l[i].owned_qml);
    }
    free(ps->l);
    memset(ps, 0, sizeof *ps);
}

static const struct pstyle *style_of(const struct qtr_qgis_plan *p, const char *table,
                                     const char *name)
{
    for (size_t i = 0; i < p->nstyles; i++)
        if (!strcmp(p->styles[i].table, table) &&
            (name ? !strcmp(p->styles[i].name, name) : p->styles[i].is_default))
            return &p->styles[i];
    return NULL;
}

static const char *group_label(const struct qtr_qgis_plan *p, const char *id)
{
    for (size_t g = 0; g < p->ngroups; g++)
        if (!strcmp(p->group_id[g], id))
            return p->group_label[g];
    return id;
}

static struct player *add_player(struct players *ps, const char *table, const char *name,
                                 enum group g, int order, struct qtr_error *err)
{
    struct player *nl = realloc(ps->l, (ps->n + 1) * sizeof *nl);
    if (!nl) {
        qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    ps->l = nl;
    struct player *l = &ps->l[ps->n];
    memset(l, 0, sizeof *l);
    l->table = table;
    l->group = g;
    l->order = order;
    if (!(l->name = qtr_strdup(name))) {
        qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* ids are stable from run to run: table and a counter (unique); QGIS 3.22 replaces an id
     * of 10 characters or fewer by a new one, which the layer tree would then miss */
    snprintf(l->id, sizeof l->id, "quartier_%.60s_%03zu", table, ps->n + 1);
    ps->n++;
    return l;
}

/* The style and group of a report map, from its stem (report_stage.c's names). */
static int map_style(const struct qtr_qgis_plan *p, const char *stem, char *style, size_t size,
                     enum group *g, int *order)
{
    static const struct {
        const char *stem, *style;
        int order;
    } renewal[] = {{"status", "status_class", 1},
                   {"dynamics", "dynamics_class", 2},
                   {"status_dynamics", "status_dynamics", 3},
                   {"attention", "attention", 4}};
    for (size_t i = 0; i < sizeof renewal / sizeof renewal[0]; i++)
        if (!strcmp(stem, renewal[i].stem)) {
            snprintf(style, size, "%s", renewal[i].style);
            *g = G_RENEWAL;
            *order = renewal[i].order;
            return 1;
        }
    (void)p;
    if (!strncmp(stem, "share_", 6)) {
        snprintf(style, size, "%s_share", stem + 6);
        *g = G_POPULATION;
    } else if (!strncmp(stem, "lq_", 3)) {
        snprintf(style, size, "%s_lq", stem + 3);
        *g = G_POPULATION;
    } else if (!strncmp(stem, "indicator_", 10)) {
        snprintf(style, size, "%s", stem + 10);
        *g = G_INDICATORS;
    } else if (!strncmp(stem, "lisa_", 5)) {
        snprintf(style, size, "%s_lisa_cluster", stem + 5);
        *g = G_CLUSTERS;
    } else {
        return 0;
    }
    *order = 10;
    return 1;
}

/* The overview: districts in one light fill, as the report's overview map. */
static int overview_qml(const struct qtr_qgis_plan *p, char **out, struct qtr_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < p->ndocs; i++)
        n += !strcmp(p->docs[i].table, "districts");
    struct qtr_qml_alias *a = calloc(n + 1, sizeof *a);
    if (!a)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    n = 0;
    for (size_t i = 0; i < p->ndocs; i++)
        if (!strcmp(p->docs[i].table, "districts"))
            a[n++] = (struct qtr_qml_alias){p->docs[i].column, p->docs[i].alias};
    int rc = qtr_qml_single(1, qtr_present_overview_fill(), qtr_present_outline_line(), 0.26, a,
                            n, out, err);
    free(a);
    return rc;
}

/* Names of the tables quartier writes (output.c), in the run's language. */
static const char *table_title(const char *table, int en)
{
    static const struct {
        const char *table, *de, *en;
    } names[] = {
        {"city_indices", "Segregationsindizes der Stadt", "Citywide segregation indices"},
        {"change", "Veränderung der Indizes", "Change of the indices"},
        {"goals", "Ziele", "Goals"},
        {"join_report", "Prüfbericht der Verknüpfung", "Join report"},
        {"multiscalar_profile", "Multiskalares Profil", "Multiscalar profile"},
        {"crosswalk", "Übertragung auf die Gebiete", "Crosswalk"},
        {"run_info", "Angaben zum Lauf", "Run information"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(names[i].table, table))
            return en ? names[i].en : names[i].de;
    return table;
}

static int plan_layers(const struct qtr_qgis_plan *p, const struct gpkg *g, struct players *ps,
                       struct qtr_error *err)
{
    int en = p->en;
    /* the report's maps, each the districts in its style */
    for (size_t m = 0; m < p->nmaps; m++) {
        const struct pmap *pm = &p->maps[m];
        char style[200];
        enum group grp = G_DISTRICTS;
        int order = 10;
        const char *qml = NULL;
        char *own = NULL;
        if (!strcmp(pm->stem, "overview")) {
            int rc = overview_qml(p, &own, err);
            if (rc)
                return rc;
            qml = own;
            order = 1;
        } else if (map_style(p, pm->stem, style, sizeof style, &grp, &order)) {
            const struct pstyle *s = style_of(p, "districts", style);
            if (!s && !strcmp(style, "status_class"))
                s = style_of(p, "districts", "status_code");
            qml = s ? s->qml : NULL;
        }
        if (!qml)
            continue; /* a map QGIS has no style for */
        struct player *l =
            add_player(ps, "districts", pm->title ? pm->title : pm->stem, grp, order, err);
        if (!l) {
            free(own);
            return QTR_ERR_NOMEM;
        }
        l->qml = qml;
        l->owned_qml = own;
        l->map = pm;
        l->labels = own != NULL;
    }
    /* the districts in their default style when the report drew no overview */
    int have_base = 0;
    for (size_t i = 0; i < ps->n; i++)
        have_base |= ps->l[i].group == G_DISTRICTS;
    const struct pstyle *ds = style_of(p, "districts", NULL);
    if (!have_base && ds) {
        struct player *l = add_player(ps, "districts", en ? "Districts" : "Gebiete", G_DISTRICTS,
                                      1, err);
        if (!l)
            return QTR_ERR_NOMEM;
        l->qml = ds->qml;
    }
    /* the other layers of the GeoPackage in their default styles, the tables without */
    for (size_t i = 0; i < g->n; i++) {
        const struct gtable *t = &g->t[i];
        if (!strcmp(t->name, "districts"))
            continue;
        char name[300];
        enum group grp = G_TABLES;
        int order = 20;
        if (!t->spatial) {
            snprintf(name, sizeof name, "%s", table_title(t->name, en));
        } else if (!strncmp(t->name, "clusters_", 9)) {
            snprintf(name, sizeof name, en ? "Cluster areas: %s" : "Clustergebiete: %s",
                     group_label(p, t->name + 9));
            grp = G_CLUSTERS;
        } else if (!strcmp(t->name, "candidate_areas")) {
            snprintf(name, sizeof name, "%s", en ? "Candidate areas" : "Kandidatengebiete");
            grp = G_RENEWAL;
            order = 0; /* outlines over the status */
        } else {
            snprintf(name, sizeof name, "%s", t->name);
            grp = G_DISTRICTS;
        }
        const struct pstyle *s = t->spatial ? style_of(p, t->name, NULL) : NULL;
        if (t->spatial && !s)
            continue; /* publish styles every feature layer; one without is not ours */
        struct player *l = add_player(ps, t->name, name, grp, order, err);
        if (!l)
            return QTR_ERR_NOMEM;
        l->qml = s ? s->qml : NULL;
        l->checked = !strcmp(t->name, "candidate_areas");
    }
    /* the layer shown when the project opens: the status map, else the first map */
    struct player *show = NULL;
    for (size_t i = 0; i < ps->n && !show; i++)
        if (ps->l[i].map && !strcmp(ps->l[i].map->stem, "status"))
            show = &ps->l[i];
    for (size_t i = 0; i < ps->n && !show; i++)
        if (ps->l[i].table && !strcmp(ps->l[i].table, "districts") &&
            ps->l[i].group != G_DISTRICTS)
            show = &ps->l[i];
    for (size_t i = 0; i < ps->n && !show; i++)
        if (!strcmp(ps->l[i].table, "districts"))
            show = &ps->l[i];
    if (show)
        show->checked = 1;
    return QTR_OK;
}

/* Tree order: by group, then order, then the order the layers were added. */
static size_t *tree_order(const struct players *ps)
{
    size_t *o = malloc((ps->n + 1) * sizeof *o), k = 0;
    if (!o)
        return NULL;
    for (int g = 0; g < G_N; g++)
        for (int ord = 0; ord <= 20; ord++)
            for (size_t i = 0; i < ps->n; i++)
                if ((int)ps->l[i].group == g && ps->l[i].order == ord)
                    o[k++] = i;
    return o;
}

/* ---- writing ------------------------------------------------------------------------ */

int qtr_qgis_plan_write(const struct qtr_qgis_plan *p, const char *gpkg, const char *date,
                        struct qtr_error *err)
{
    if (!p)
        return QTR_OK;
    sqlite3 *db = NULL;
    struct gpkg g = {0};
    struct qtr_buf b = {0};
    struct players ps = {0};
    size_t *order = NULL;
    int rc = QTR_OK;
    if (sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot open GeoPackage '%s': %s", gpkg,
                           db ? sqlite3_errmsg(db) : "out of memory");
    if (!rc)
        rc = read_gpkg(db, gpkg, &g, err);
    sqlite3_close(db);
    const char *file = strrchr(gpkg, '/');
    file = file ? file + 1 : gpkg;
    if (!rc)
        rc = plan_layers(p, &g, &ps, err);
    if (!rc && !(order = tree_order(&ps)))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = qtr_qgis_project_xml(p, &g, &ps, order, file, date, &b, err);
    if (!rc)
        rc = qtr_qgis_store(gpkg, QTR_QGIS_PROJECT_NAME, b.data, date, err);
    free(order);
    players_release(&ps);
    qtr_buf_release(&b);
    gpkg_release(&g);
    return rc;
}
