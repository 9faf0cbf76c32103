/*
 * qgis_xml.c - the .qgs XML of the run's QGIS project (qgis_project.h): CRS, layer
 * tree, the layers with their embedded QML, map canvas, metadata; the print
 * layouts come from qgis_layout.c. Element names and order follow what QGIS 3.22
 * writes; what QGIS fills with its defaults is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/qml.h"
#include "quartier/strutil.h"
#include "qgis_internal.h"

static int put(struct qtr_buf *b, const char *s, struct qtr_error *err)
{
    return qtr_buf_puts(b, s) ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

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

static const char *group_title(enum group g, int en)
{
    static const char *const de[G_N] = {"Stadterneuerung", "Bevölkerung", "Indikatoren",
                                        "Räumliche Cluster", "Gebiete", "Tabellen"};
    static const char *const eng[G_N] = {"Urban renewal", "Population", "Indicators",
                                         "Spatial clusters", "Districts", "Tables"};
    return en ? eng[g] : de[g];
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
    const struct gtable *t = qtr_qgis_find_table(g, l->table);
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
    const struct gtable *d = qtr_qgis_find_table(g, "districts");
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
            /* QGIS drops a layout whose name is taken: a second map of the same title gets
             * its stem added */
            char *name = NULL;
            for (size_t k = 0; k < ps->n && !name; k++)
                if (k != i && ps->l[k].map && !strcmp(ps->l[k].name, l->name) &&
                    (k < i || !strcmp(ps->l[k].map->stem, "status")) &&
                    strcmp(l->map->stem, "status") != 0)
                    name = qtr_asprintf("%s (%s)", l->name, l->map->stem);
            struct qtr_qgis_layout lay = {
                .name = name ? name : l->name,
                .title = l->map->title,
                .subtitle = l->map->subtitle,
                .legend = single ? NULL : l->map->legend,
                .source = l->map->source,
                .date = l->map->date,
                .layers = ly,
                .nlayers = n,
                .grid = l->map->grid,
                .xmin = d->xmin,
                .ymin = d->ymin,
                .xmax = d->xmax,
                .ymax = d->ymax,
                .en = p->en,
            };
            rc = qtr_qgis_layout_xml(b, &lay, &uuid, err);
            free(name);
        }
    return rc ? rc : put(b, "  </Layouts>\n", err);
}

int qtr_qgis_project_xml(const struct qtr_qgis_plan *p, const struct gpkg *g,
                         const struct players *ps, const size_t *order, const char *file,
                         const char *date, struct qtr_buf *b, struct qtr_error *err)
{
    const struct gtable *d = qtr_qgis_find_table(g, "districts");
    /* QGIS reads "yyyy-MM-ddThh:mm:ss" (Qt::ISODate without milliseconds and zone) */
    char when[20] = "";
    if (date)
        snprintf(when, sizeof when, "%.19s", date);
    int rc = put(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis", err);
    if (!rc)
        rc = qtr_qgis_attr(b, "projectname", p->title, err);
    if (!rc)
        rc = qtr_qgis_attr(b, "saveDateTime", when, err);
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
        rc = tree_xml(b, p, ps, order, file, err);
    if (!rc)
        rc = put(b, "  <projectlayers>\n", err);
    for (size_t i = 0; i < ps->n && !rc; i++)
        rc = layer_xml(b, p, g, &ps->l[order[i]], file, err);
    if (!rc)
        rc = put(b, "  </projectlayers>\n  <layerorder>\n", err);
    for (size_t i = 0; i < ps->n && !rc; i++)
        if (qtr_buf_printf(b, "    <layer id=\"%s\"/>\n", ps->l[order[i]].id))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = put(b,
                 "  </layerorder>\n  <properties>\n    <Paths>\n"
                 "      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
                 "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
                 "    </SpatialRefSys>\n  </properties>\n",
                 err);
    /* the map canvas opens on the districts, or on the main frame of the report's maps when
     * an outlying part is in an inset (qtr_qgis_plan_view); a 2 % margin on every side */
    double v[4] = {d->xmin, d->ymin, d->xmax, d->ymax};
    if (p->has_view)
        memcpy(v, p->view, sizeof v);
    double dx = (v[2] - v[0]) * 0.02, dy = (v[3] - v[1]) * 0.02;
    if (!rc && qtr_buf_printf(b,
                              "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
                              "    <units>meters</units>\n    <extent>\n"
                              "      <xmin>%.3f</xmin>\n      <ymin>%.3f</ymin>\n"
                              "      <xmax>%.3f</xmax>\n      <ymax>%.3f</ymax>\n    </extent>\n"
                              "    <rotation>0</rotation>\n    <destinationsrs>\n",
                              v[0] - dx, v[1] - dy, v[2] + dx, v[3] + dy))
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
        rc = elem(b, "    ", "creation", when, err);
    if (!rc)
        rc = put(b, "  </projectMetadata>\n", err);
    if (!rc)
        rc = layouts_xml(b, p, g, ps, err);
    if (!rc && qtr_buf_printf(b,
                              "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n"
                              "    <Scales/>\n    <DefaultViewExtent xmin=\"%.3f\" ymin=\"%.3f\""
                              " xmax=\"%.3f\" ymax=\"%.3f\">\n",
                              v[0] - dx, v[1] - dy, v[2] + dx, v[3] + dy))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = srs_xml(b, g, "      ", err);
    if (!rc)
        rc = put(b, "    </DefaultViewExtent>\n  </ProjectViewSettings>\n</qgis>\n", err);
    return rc;
}
