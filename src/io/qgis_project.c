/*
 * qgis_project.c - the QGIS project of a run, kept in its GeoPackage
 * (qgis_project.h): which layers, in which groups and order, with which
 * style; the project XML; and QGIS's GeoPackage project storage (zip + hex
 * in qgis_projects). The print layouts are written by qgis_layout.c.
 */
#include "quartier/qgis_project.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "quartier/config.h"
#include "quartier/palette.h"
#include "quartier/qml.h"
#include "quartier/strutil.h"
#include "qgis_internal.h"

/* ---- the plan ------------------------------------------------------------------------ */

struct pstyle {
    char *table, *name, *qml;
    int is_default;
};

struct pdoc {
    char *table, *column, *alias;
};

struct pmap {
    char *stem, *title, *subtitle, *legend, *source, *date;
};

struct qtr_qgis_plan {
    int en;
    char *title;
    char **group_id, **group_label; /* population groups: id and label in the language */
    size_t ngroups;
    struct pstyle *styles;
    size_t nstyles;
    struct pdoc *docs;
    size_t ndocs;
    struct pmap *maps;
    size_t nmaps;
};

static char *dup_or_null(const char *s, int *bad)
{
    if (!s)
        return NULL;
    char *d = qtr_strdup(s);
    if (!d)
        *bad = 1;
    return d;
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
                     dup_or_null(source, &bad), dup_or_null(date, &bad)};
    p->maps[p->nmaps++] = m;
    return bad ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

/* ---- XML helpers --------------------------------------------------------------------- */

int qtr_qgis_text(struct qtr_buf *b, const char *s, struct qtr_error *err)
{
    return qtr_xml_escape(b, s ? s : "", err);
}

int qtr_qgis_attr(struct qtr_buf *b, const char *name, const char *value, struct qtr_error *err)
{
    if (qtr_buf_printf(b, " %s=\"", name))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int rc = qtr_qgis_text(b, value, err);
    if (rc)
        return rc;
    return qtr_buf_puts(b, "\"") ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

static int put(struct qtr_buf *b, const char *s, struct qtr_error *err)
{
    return qtr_buf_puts(b, s) ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

/* <tag>text</tag> with indentation */
static int elem(struct qtr_buf *b, const char *indent, const char *tag, const char *text,
                struct qtr_error *err)
{
    if (qtr_buf_printf(b, "%s<%s>", indent, tag))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int rc = qtr_qgis_text(b, text, err);
    if (!rc && qtr_buf_printf(b, "</%s>\n", tag))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return rc;
}

/* ---- what the GeoPackage holds ---------------------------------------------------------- */

struct gtable {
    char *name;
    int spatial;
    char *geom_type; /* "MULTIPOLYGON", ... or NULL */
    double xmin, ymin, xmax, ymax;
    int has_extent;
};

struct gpkg {
    struct gtable *t;
    size_t n;
    char *srs_wkt, *srs_auth, *srs_name;
    long srs_code;
};

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

static const struct gtable *find_table(const struct gpkg *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->t[i].name, name))
            return &g->t[i];
    return NULL;
}

/* ---- layers of the project ------------------------------------------------------------- */

enum group { G_RENEWAL, G_POPULATION, G_INDICATORS, G_CLUSTERS, G_DISTRICTS, G_TABLES, G_N };

static const char *group_title(enum group g, int en)
{
    static const char *const de[G_N] = {"Stadterneuerung", "Bevölkerung", "Indikatoren",
                                        "Räumliche Cluster", "Gebiete", "Tabellen"};
    static const char *const eng[G_N] = {"Urban renewal", "Population", "Indicators",
                                         "Spatial clusters", "Districts", "Tables"};
    return en ? eng[g] : de[g];
}

struct player {
    char id[96];
    const char *table;
    char *name;      /* owned */
    const char *qml; /* borrowed from the plan, or owned_qml */
    char *owned_qml;
    enum group group;
    int order; /* order inside the group */
    int checked;
    int labels; /* district names as labels (the overview, as in the report) */
    const struct pmap *map; /* the report map this layer shows, or NULL */
};

struct players {
    struct player *l;
    size_t n;
};

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

/* The aliases of a table (gpkg_data_columns) as a QML <aliases> element. */
static int table_aliases(const struct qtr_qgis_plan *p, const char *table, struct qtr_buf *b,
                         struct qtr_error *err)
{
    int rc = put(b, " <aliases>\n", err);
    for (size_t i = 0; i < p->ndocs && !rc; i++) {
        if (strcmp(p->docs[i].table, table))
            continue;
        rc = put(b, "  <alias", err);
        if (!rc)
            rc = qtr_qgis_attr(b, "field", p->docs[i].column, err);
        if (!rc)
            rc = qtr_qgis_attr(b, "name", p->docs[i].alias, err);
        if (!rc)
            rc = put(b, "/>\n", err);
    }
    return rc ? rc : put(b, " </aliases>\n", err);
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
    int rc = qtr_qml_single(1, (struct qtr_rgb){214, 226, 240}, (struct qtr_rgb){35, 35, 35}, 0.26,
                            a, n, out, err);
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

/* ---- project XML --------------------------------------------------------------------- */

static int srs_xml(struct qtr_buf *b, const struct gpkg *g, const char *indent,
                   struct qtr_error *err)
{
    char ind[64];
    snprintf(ind, sizeof ind, "%s  ", indent);
    int rc = qtr_buf_printf(b, "%s<spatialrefsys>\n", indent) ? QTR_ERR_NOMEM : QTR_OK;
    if (!rc)
        rc = elem(b, ind, "wkt", g->srs_wkt ? g->srs_wkt : "", err);
    if (!rc && g->srs_code && qtr_buf_printf(b, "%s<srid>%ld</srid>\n", ind, g->srs_code))
        rc = QTR_ERR_NOMEM;
    if (!rc)
        rc = elem(b, ind, "authid", g->srs_auth ? g->srs_auth : "", err);
    if (!rc)
        rc = elem(b, ind, "description", g->srs_name ? g->srs_name : "", err);
    if (!rc && qtr_buf_printf(b, "%s</spatialrefsys>\n", indent))
        rc = QTR_ERR_NOMEM;
    return rc == QTR_ERR_NOMEM ? qtr_error_set(err, rc, "out of memory") : rc;
}

/* The inside of a QML document's <qgis> element (the renderer, aliases, ...). */
static int qml_inner(const char *qml, const char **start, size_t *len)
{
    const char *root = strstr(qml, "<qgis");
    const char *open = root ? strchr(root, '>') : NULL;
    const char *close = NULL;
    for (const char *p = open; p && (p = strstr(p, "</qgis>")) != NULL; p++)
        close = p;
    if (!open || !close || close < open)
        return -1;
    *start = open + 1;
    *len = (size_t)(close - open - 1);
    return 0;
}

static const char *qgis_geometry(const char *gpkg_type)
{
    if (!gpkg_type)
        return "Polygon";
    if (strstr(gpkg_type, "POINT"))
        return "Point";
    if (strstr(gpkg_type, "LINE"))
        return "Line";
    return "Polygon";
}

/* District names over the centroid, white halo, only where the name fits inside the district
 * (QgsPalLayerSettings: placement 1 = over the centroid); QGIS fills the rest with defaults. */
static const char names_labeling[] =
    "      <labeling type=\"simple\">\n"
    "        <settings calloutType=\"simple\">\n"
    "          <text-style fieldName=\"name\" isExpression=\"0\" fontFamily=\"DejaVu Sans\""
    " fontSize=\"7\" fontSizeUnit=\"Point\" fontWeight=\"50\" textColor=\"40,40,40,255\""
    " textOpacity=\"1\" multilineHeight=\"1\" blendMode=\"0\">\n"
    "            <text-buffer bufferDraw=\"1\" bufferSize=\"0.6\" bufferSizeUnits=\"MM\""
    " bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\" bufferNoFill=\"1\""
    " bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n"
    "          </text-style>\n"
    "          <text-format wrapChar=\"\" autoWrapLength=\"14\" multilineAlign=\"1\"/>\n"
    "          <placement placement=\"1\" centroidInside=\"1\" centroidWhole=\"0\""
    " fitInPolygonOnly=\"1\" priority=\"5\" dist=\"0\"/>\n"
    "          <rendering obstacle=\"1\" displayAll=\"0\" upsidedownLabels=\"0\""
    " labelPerPart=\"0\" mergeLines=\"0\" limitNumLabels=\"0\" fontLimitPixelSize=\"0\""
    " scaleVisibility=\"0\" drawLabels=\"1\"/>\n"
    "        </settings>\n"
    "      </labeling>\n";

static int layer_xml(struct qtr_buf *b, const struct qtr_qgis_plan *p, const struct gpkg *g,
                     const struct player *l, const char *file, struct qtr_error *err)
{
    const struct gtable *t = find_table(g, l->table);
    int spatial = t && t->spatial;
    int rc;
    if (spatial)
        rc = qtr_buf_printf(b,
                            "    <maplayer type=\"vector\" geometry=\"%s\" "
                            "styleCategories=\"AllStyleCategories\" readOnly=\"0\""
                            " hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" "
                            "maxScale=\"0\" labelsEnabled=\"%d\">\n",
                            qgis_geometry(t->geom_type), l->labels)
                 ? QTR_ERR_NOMEM
                 : QTR_OK;
    else
        rc = put(b,
                 "    <maplayer type=\"vector\" geometry=\"No geometry\" wkbType=\"NoGeometry\" "
                 "styleCategories=\"AllStyleCategories\" readOnly=\"0\">\n",
                 err);
    if (!rc && spatial && t->has_extent &&
        qtr_buf_printf(b,
                       "      <extent>\n        <xmin>%.17g</xmin>\n        <ymin>%.17g</ymin>\n"
                       "        <xmax>%.17g</xmax>\n        <ymax>%.17g</ymax>\n      </extent>\n",
                       t->xmin, t->ymin, t->xmax, t->ymax))
        rc = QTR_ERR_NOMEM;
    if (rc == QTR_ERR_NOMEM)
        return qtr_error_set(err, rc, "out of memory");
    if (!rc)
        rc = elem(b, "      ", "id", l->id, err);
    if (!rc) {
        /* relative to the GeoPackage the project lives in: QGIS resolves "./" against it */
        char *ds = qtr_asprintf("./%s|layername=%s", file, l->table);
        rc = ds ? elem(b, "      ", "datasource", ds, err)
                : qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        free(ds);
    }
    if (!rc)
        rc = elem(b, "      ", "layername", l->name, err);
    if (!rc && spatial) {
        rc = put(b, "      <srs>\n", err);
        if (!rc)
            rc = srs_xml(b, g, "        ", err);
        if (!rc)
            rc = put(b, "      </srs>\n", err);
    }
    if (!rc)
        rc = put(b, "      <provider encoding=\"UTF-8\">ogr</provider>\n", err);
    if (!rc && l->qml) {
        const char *in;
        size_t n;
        if (qml_inner(l->qml, &in, &n))
            return qtr_error_set(err, QTR_ERR_INTERNAL, "style of layer '%s' is not a QML document",
                                 l->table);
        rc = qtr_buf_append(b, in, n) ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory")
                                      : QTR_OK;
    } else if (!rc) {
        rc = table_aliases(p, l->table, b, err);
    }
    if (!rc && l->labels)
        rc = put(b, names_labeling, err);
    if (!rc)
        rc = put(b, "    </maplayer>\n", err);
    return rc;
}

static int tree_xml(struct qtr_buf *b, const struct qtr_qgis_plan *p, const struct players *ps,
                    const size_t *order, const char *file, struct qtr_error *err)
{
    int rc = put(b, "  <layer-tree-group>\n    <customproperties/>\n", err);
    size_t k = 0;
    for (int g = 0; g < G_N && !rc; g++) {
        size_t first = k;
        while (k < ps->n && (int)ps->l[order[k]].group == g)
            k++;
        if (k == first)
            continue;
        /* renewal open, the others folded so the panel stays short */
        rc = put(b, "    <layer-tree-group", err);
        if (!rc)
            rc = qtr_qgis_attr(b, "name", group_title((enum group)g, p->en), err);
        if (!rc && qtr_buf_printf(b,
                                  " checked=\"Qt::Checked\" expanded=\"%d\">\n"
                                  "      <customproperties/>\n",
                                  g == G_RENEWAL))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        for (size_t j = first; j < k && !rc; j++) {
            const struct player *l = &ps->l[order[j]];
            char *src = qtr_asprintf("./%s|layername=%s", file, l->table);
            if (!src)
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            rc = put(b, "      <layer-tree-layer", err);
            if (!rc)
                rc = qtr_qgis_attr(b, "id", l->id, err);
            if (!rc)
                rc = qtr_qgis_attr(b, "name", l->name, err);
            if (!rc)
                rc = qtr_qgis_attr(b, "source", src, err);
            free(src);
            if (!rc && qtr_buf_printf(b,
                                      " providerKey=\"ogr\" checked=\"Qt::%s\" expanded=\"%d\""
                                      " legend_exp=\"\" patch_size=\"-1,-1\""
                                      " legend_split_behavior=\"0\">\n"
                                      "        <customproperties/>\n      </layer-tree-layer>\n",
                                      l->checked ? "Checked" : "Unchecked", l->checked))
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        }
        if (!rc)
            rc = put(b, "    </layer-tree-group>\n", err);
    }
    if (!rc)
        rc = put(b, "    <custom-order enabled=\"0\"/>\n  </layer-tree-group>\n", err);
    return rc;
}

/* The print layouts: one per report map with a layer, the status map first. */
static int layouts_xml(struct qtr_buf *b, const struct qtr_qgis_plan *p, const struct gpkg *g,
                       const struct players *ps, struct qtr_error *err)
{
    const struct gtable *d = find_table(g, "districts");
    const struct player *cand = NULL;
    for (size_t i = 0; i < ps->n; i++)
        if (!strcmp(ps->l[i].table, "candidate_areas"))
            cand = &ps->l[i];
    int rc = put(b, "  <Layouts>\n", err);
    unsigned uuid = 0;
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t i = 0; i < ps->n && !rc; i++) {
            const struct player *l = &ps->l[i];
            if (!l->map || (pass == 0) != !strcmp(l->map->stem, "status"))
                continue;
            struct qtr_qgis_layout_layer ly[2];
            size_t n = 0;
            /* the attention map shows the candidate areas over the districts, as the report */
            if (cand && !strcmp(l->map->stem, "attention"))
                ly[n++] = (struct qtr_qgis_layout_layer){cand->id, cand->name, 0, NULL};
            /* one symbol (the overview): the legend's line is the legend title, no heading */
            int single = l->labels;
            ly[n++] = (struct qtr_qgis_layout_layer){l->id, l->name, !single,
                                                      single ? l->map->legend : NULL};
            struct qtr_qgis_layout lay = {
                .name = l->name,
                .title = l->map->title,
                .subtitle = l->map->subtitle,
                .legend = single ? NULL : l->map->legend,
                .source = l->map->source,
                .date = l->map->date,
                .layers = ly,
                .nlayers = n,
                .xmin = d->xmin,
                .ymin = d->ymin,
                .xmax = d->xmax,
                .ymax = d->ymax,
                .en = p->en,
            };
            rc = qtr_qgis_layout_xml(b, &lay, &uuid, err);
        }
    return rc ? rc : put(b, "  </Layouts>\n", err);
}

static int project_xml(const struct qtr_qgis_plan *p, const struct gpkg *g, const char *file,
                       const char *date, struct qtr_buf *b, struct qtr_error *err)
{
    struct players ps = {0};
    size_t *order = NULL;
    int rc = plan_layers(p, g, &ps, err);
    if (!rc && !(order = tree_order(&ps)))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    const struct gtable *d = find_table(g, "districts");
    if (!rc)
        rc = put(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis", err);
    if (!rc)
        rc = qtr_qgis_attr(b, "projectname", p->title, err);
    if (!rc)
        rc = qtr_qgis_attr(b, "saveDateTime", date, err);
    if (!rc)
        rc = put(b,
                 " saveUser=\"quartier\" version=\"3.22.16-Bia\xc5\x82owie\xc5\xbc\x61\">\n"
                 "  <homePath path=\"\"/>\n",
                 err);
    if (!rc)
        rc = elem(b, "  ", "title", p->title, err);
    if (!rc)
        rc = put(b, "  <projectCrs>\n", err);
    if (!rc)
        rc = srs_xml(b, g, "    ", err);
    if (!rc)
        rc = put(b, "  </projectCrs>\n", err);
    if (!rc)
        rc = tree_xml(b, p, &ps, order, file, err);
    if (!rc)
        rc = put(b, "  <projectlayers>\n", err);
    for (size_t i = 0; i < ps.n && !rc; i++)
        rc = layer_xml(b, p, g, &ps.l[order[i]], file, err);
    if (!rc)
        rc = put(b, "  </projectlayers>\n  <layerorder>\n", err);
    for (size_t i = 0; i < ps.n && !rc; i++)
        if (qtr_buf_printf(b, "    <layer id=\"%s\"/>\n", ps.l[order[i]].id))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = put(b,
                 "  </layerorder>\n  <properties>\n    <Paths>\n"
                 "      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
                 "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
                 "    </SpatialRefSys>\n  </properties>\n",
                 err);
    /* the map canvas opens on the districts (a 2 % margin on every side) */
    double dx = (d->xmax - d->xmin) * 0.02, dy = (d->ymax - d->ymin) * 0.02;
    if (!rc && qtr_buf_printf(b,
                              "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
                              "    <units>meters</units>\n    <extent>\n"
                              "      <xmin>%.3f</xmin>\n      <ymin>%.3f</ymin>\n"
                              "      <xmax>%.3f</xmax>\n      <ymax>%.3f</ymax>\n    </extent>\n"
                              "    <rotation>0</rotation>\n    <destinationsrs>\n",
                              d->xmin - dx, d->ymin - dy, d->xmax + dx, d->ymax + dy))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = srs_xml(b, g, "      ", err);
    if (!rc)
        rc = put(b, "    </destinationsrs>\n    <rendermaptile>0</rendermaptile>\n"
                    "    <expressionContextScope/>\n  </mapcanvas>\n  <projectMetadata>\n",
                 err);
    if (!rc)
        rc = elem(b, "    ", "title", p->title, err);
    if (!rc)
        rc = elem(b, "    ", "language", p->en ? "en" : "de", err);
    if (!rc)
        rc = elem(b, "    ", "abstract",
                  p->en ? "Written by quartier with the run's GeoPackage; the layers are read "
                          "from the GeoPackage this project is stored in."
                        : "Von quartier mit dem GeoPackage des Laufs geschrieben; die Ebenen "
                          "werden aus dem GeoPackage gelesen, in dem dieses Projekt liegt.",
                  err);
    if (!rc)
        rc = elem(b, "    ", "author", "quartier", err);
    if (!rc)
        rc = elem(b, "    ", "creation", date, err);
    if (!rc)
        rc = put(b, "  </projectMetadata>\n", err);
    if (!rc)
        rc = layouts_xml(b, p, g, &ps, err);
    if (!rc && qtr_buf_printf(b,
                              "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n"
                              "    <Scales/>\n    <DefaultViewExtent xmin=\"%.3f\" ymin=\"%.3f\""
                              " xmax=\"%.3f\" ymax=\"%.3f\">\n",
                              d->xmin - dx, d->ymin - dy, d->xmax + dx, d->ymax + dy))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = srs_xml(b, g, "      ", err);
    if (!rc)
        rc = put(b, "    </DefaultViewExtent>\n  </ProjectViewSettings>\n</qgis>\n", err);
    free(order);
    players_release(&ps);
    return rc;
}

/* ---- storage ------------------------------------------------------------------------- */

/* .qgz: a zip with the .qgs (QgsProjectArchive takes the first *.qgs it finds). */
static int zip_qgs(const char *name, const char *qgs, time_t mtime, unsigned char **out,
                   size_t *outlen, struct qtr_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    int rc = QTR_OK;
    *out = NULL;
    if (!mem) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_error_strerror(&ze));
        goto done;
    }
    if (!(za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_error_strerror(&ze));
        goto done;
    }
    zip_source_keep(mem); /* the archive frees its reference on close; ours reads it back */
    char *entry = qtr_asprintf("%s.qgs", name);
    zip_source_t *fs = entry ? zip_source_buffer(za, qgs, strlen(qgs), 0) : NULL;
    zip_int64_t idx = fs ? zip_file_add(za, entry, fs, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
    free(entry);
    if (idx < 0) {
        if (fs)
            zip_source_free(fs);
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_strerror(za));
        zip_discard(za);
        za = NULL;
        goto done;
    }
    zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0);
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
    if (zip_close(za) < 0) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "cannot zip the QGIS project: %s",
                           zip_strerror(za));
        zip_discard(za);
        za = NULL;
        goto done;
    }
    za = NULL;
    zip_stat_t zs;
    if (zip_source_stat(mem, &zs) < 0 || zip_source_open(mem) < 0) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot read the zipped QGIS project back");
        goto done;
    }
    *out = malloc(zs.size + 1);
    if (!*out) {
        zip_source_close(mem);
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto done;
    }
    zip_int64_t got = zip_source_read(mem, *out, zs.size);
    zip_source_close(mem);
    if (got < 0 || (zip_uint64_t)got != zs.size) {
        free(*out);
        *out = NULL;
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cannot read the zipped QGIS project back");
        goto done;
    }
    *outlen = (size_t)zs.size;
done:
    if (mem)
        zip_source_free(mem);
    zip_error_fini(&ze);
    return rc;
}

/* Seconds since 1970 of "YYYY-MM-DDTHH:MM:SS" (UTC; days from the civil calendar, as
 * timegm, which C11 lacks); the current time when the text is no such date. */
static time_t parse_date(const char *iso)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &y, &m, &d, &hh, &mm, &ss) < 3 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return time(NULL);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)(days * 86400L + hh * 3600L + mm * 60L + ss);
}

static int open_db(const char *path, sqlite3 **db, struct qtr_error *err)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        int rc = qtr_error_set(err, QTR_ERR_IO, "cannot open GeoPackage '%s': %s", path,
                               *db ? sqlite3_errmsg(*db) : "out of memory");
        sqlite3_close(*db);
        *db = NULL;
        return rc;
    }
    sqlite3_busy_timeout(*db, 5000);
    return QTR_OK;
}

static int store_db(sqlite3 *db, const char *path, const char *name, const char *qgs,
                    const char *date, struct qtr_error *err)
{
    unsigned char *z = NULL;
    size_t zn = 0;
    time_t t = parse_date(date);
    int rc = zip_qgs(name, qgs, t, &z, &zn, err);
    if (rc)
        return rc;
    /* QGIS stores QByteArray::toHex(): lowercase hexadecimal text */
    char *hex = malloc(2 * zn + 1);
    if (!hex) {
        free(z);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < zn; i++) {
        hex[2 * i] = digits[z[i] >> 4];
        hex[2 * i + 1] = digits[z[i] & 15];
    }
    hex[2 * zn] = '\0';
    free(z);
    char when[32];
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    char *meta = qtr_asprintf("{\"last_modified_time\": \"%s\", \"last_modified_user\": "
                              "\"quartier\" }",
                              when);
    sqlite3_stmt *st = NULL;
    if (!meta)
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    else if (sqlite3_exec(db,
                          "CREATE TABLE IF NOT EXISTS qgis_projects(name TEXT PRIMARY KEY, "
                          "metadata BLOB, content BLOB)",
                          NULL, NULL, NULL) != SQLITE_OK ||
             sqlite3_prepare_v2(db,
                                "INSERT OR REPLACE INTO qgis_projects (name, metadata, content) "
                                "VALUES (?1, ?2, ?3)",
                                -1, &st, NULL) != SQLITE_OK)
        rc = qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s': cannot store the QGIS project: %s",
                           path, sqlite3_errmsg(db));
    if (!rc) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, meta, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hex, (int)(2 * zn), SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = qtr_error_set(err, QTR_ERR_IO,
                               "GeoPackage '%s': cannot store the QGIS project: %s", path,
                               sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    free(meta);
    free(hex);
    return rc;
}

int qtr_qgis_store(const char *path, const char *name, const char *qgs, const char *date,
                   struct qtr_error *err)
{
    sqlite3 *db = NULL;
    int rc = open_db(path, &db, err);
    if (!rc)
        rc = store_db(db, path, name, qgs, date, err);
    sqlite3_close(db);
    return rc;
}

static int unhex(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

int qtr_qgis_load(const char *path, const char *name, char **qgs, struct qtr_error *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *z = NULL;
    size_t zn = 0;
    zip_t *za = NULL;
    zip_source_t *src = NULL;
    int rc = open_db(path, &db, err);
    *qgs = NULL;
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(db, "SELECT content FROM qgis_projects WHERE name = ?1", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s' holds no QGIS project: %s", path,
                           sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = qtr_error_set(err, QTR_ERR_IO, "GeoPackage '%s' has no QGIS project '%s'", path, name);
        goto out;
    }
    const char *hex = (const char *)sqlite3_column_text(st, 0);
    size_t hn = hex ? strlen(hex) : 0;
    if (!(z = malloc(hn / 2 + 1))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (zn = 0; zn < hn / 2; zn++) {
        int a = unhex(hex[2 * zn]), b = unhex(hex[2 * zn + 1]);
        if (a < 0 || b < 0) {
            rc = qtr_error_set(err, QTR_ERR_IO, "QGIS project '%s' in '%s' is not hexadecimal",
                               name, path);
            goto out;
        }
        z[zn] = (unsigned char)(a * 16 + b);
    }
    zip_error_t ze;
    zip_error_init(&ze);
    src = zip_source_buffer_create(z, zn, 0, &ze);
    za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!za) {
        rc = qtr_error_set(err, QTR_ERR_IO, "QGIS project '%s' in '%s' is not a zip", name, path);
        goto out;
    }
    src = NULL; /* the archive owns it now */
    zip_int64_t ne = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < ne && !*qgs; i++) {
        const char *en = zip_get_name(za, (zip_uint64_t)i, 0);
        size_t l = en ? strlen(en) : 0;
        zip_stat_t zs;
        if (l < 4 || strcmp(en + l - 4, ".qgs") || zip_stat_index(za, (zip_uint64_t)i, 0, &zs))
            continue;
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        char *buf = malloc(zs.size + 1);
        zip_int64_t got = zf && buf ? zip_fread(zf, buf, zs.size) : -1;
        if (zf)
            zip_fclose(zf);
        if (got < 0 || (zip_uint64_t)got != zs.size) {
            free(buf);
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot unzip QGIS project '%s' in '%s'", name,
                               path);
            goto out;
        }
        buf[zs.size] = '\0';
        *qgs = buf;
    }
    if (!*qgs)
        rc = qtr_error_set(err, QTR_ERR_IO, "QGIS project '%s' in '%s' holds no .qgs file", name,
                           path);
out:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    free(z);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int qtr_qgis_plan_write(const struct qtr_qgis_plan *p, const char *gpkg, const char *date,
                        struct qtr_error *err)
{
    if (!p)
        return QTR_OK;
    sqlite3 *db = NULL;
    struct gpkg g = {0};
    struct qtr_buf b = {0};
    int rc = open_db(gpkg, &db, err);
    if (!rc)
        rc = read_gpkg(db, gpkg, &g, err);
    const char *file = strrchr(gpkg, '/');
    file = file ? file + 1 : gpkg;
    if (!rc)
        rc = project_xml(p, &g, file, date, &b, err);
    if (!rc)
        rc = store_db(db, gpkg, QTR_QGIS_PROJECT_NAME, b.data, date, err);
    qtr_buf_release(&b);
    gpkg_release(&g);
    sqlite3_close(db);
    return rc;
}
