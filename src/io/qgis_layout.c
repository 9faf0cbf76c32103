/*
 * qgis_layout.c - QGIS 3.22 print layouts for the report's maps: A4 landscape,
 * title and subtitle on top, the map with north arrow and scale bar, the legend
 * on the right, source line and date at the foot.
 *
 * Element and attribute names follow what QGIS 3.22 writes for
 * QgsPrintLayout (QgsLayoutItemMap 65639, QgsLayoutItemLabel 65641,
 * QgsLayoutItemLegend 65642, QgsLayoutItemPicture 65640, QgsLayoutItemScaleBar
 * 65646, page 65638); attributes QGIS fills with its defaults are left out.
 * Each item has an id ("map", "title", "legend", ...) so a script can find it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qgis_internal.h"

/* Page and frames in mm. */
#define PAGE_W 297.0
#define PAGE_H 210.0
#define MAP_X 12.0
#define MAP_Y 26.0
#define MAP_W 190.0
#define MAP_H 160.0
#define SIDE_X 208.0
#define SIDE_W 77.0

#define FONT "DejaVu Sans"

double qtr_qgis_fit_scale(double xmin, double ymin, double xmax, double ymax, double w_mm,
                          double h_mm, double ext[4])
{
    static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10};
    double w = xmax - xmin, h = ymax - ymin;
    if (!(w > 0))
        w = 1;
    if (!(h > 0))
        h = 1;
    /* 1 % margin on every side: the districts fill the frame, their outline stays inside */
    double need = fmax(w * 1.02 / (w_mm / 1000.0), h * 1.02 / (h_mm / 1000.0));
    double p = pow(10.0, floor(log10(need)));
    double scale = 10 * p;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * p >= need * (1 - 1e-12)) {
            scale = steps[i] * p;
            break;
        }
    double cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
    double hw = scale * w_mm / 1000.0 / 2, hh = scale * h_mm / 1000.0 / 2;
    ext[0] = cx - hw;
    ext[1] = cy - hh;
    ext[2] = cx + hw;
    ext[3] = cy + hh;
    return scale;
}

double qtr_qgis_segment_m(double scale)
{
    double target = scale * 0.020; /* 20 mm per segment */
    double p = pow(10.0, floor(log10(target)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double best = p;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (fabs(steps[i] * p - target) < fabs(best - target))
            best = steps[i] * p;
    return best;
}

static int put(struct qtr_buf *b, const char *s, struct qtr_error *err)
{
    return qtr_buf_puts(b, s) ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

/* Opening of a <LayoutItem> with the attributes every item has; leaves the tag open. */
static int item_open(struct qtr_buf *b, int type, const char *id, unsigned uuid, double x,
                     double y, double w, double h, int z, int frame, int background,
                     struct qtr_error *err)
{
    if (qtr_buf_printf(b,
                       "      <LayoutItem type=\"%d\" id=\"%s\" uuid=\"{00000000-0000-4000-8000-%012x}\""
                       " templateUuid=\"{00000000-0000-4000-8000-%012x}\""
                       " position=\"%.3f,%.3f,mm\" positionOnPage=\"%.3f,%.3f,mm\""
                       " size=\"%.3f,%.3f,mm\" referencePoint=\"0\" zValue=\"%d\""
                       " frame=\"%s\" background=\"%s\" outlineWidthM=\"0.25,mm\""
                       " frameJoinStyle=\"miter\" visibility=\"1\" opacity=\"1\""
                       " itemRotation=\"0\" positionLock=\"false\" blendMode=\"0\""
                       " excludeFromExports=\"0\" groupUuid=\"\"",
                       type, id, uuid, uuid, x, y, x, y, w, h, z, frame ? "true" : "false",
                       background ? "true" : "false"))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

static int item_colors(struct qtr_buf *b, struct qtr_error *err)
{
    return put(b,
               ">\n        <FrameColor red=\"60\" green=\"60\" blue=\"60\" alpha=\"255\"/>\n"
               "        <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n",
               err);
}

/* A text label aligned as Qt says (halign 1 left, 2 right, 4 centre; valign 32 top, 128
 * centre); weight 75 is bold (QFont). */
static int label_aligned(struct qtr_buf *b, const char *id, unsigned uuid, double x, double y,
                         double w, double h, const char *text, double pt, int bold, int gray,
                         int halign, int valign, struct qtr_error *err)
{
    int rc = item_open(b, 65641, id, uuid, x, y, w, h, 3, 0, 0, err);
    if (!rc)
        rc = qtr_qgis_attr(b, "labelText", text, err);
    if (!rc && qtr_buf_printf(b,
                              " htmlState=\"0\" marginX=\"0\" marginY=\"0\" halign=\"%d\""
                              " valign=\"%d\"",
                              halign, valign))
        rc = QTR_ERR_NOMEM;
    if (!rc)
        rc = item_colors(b, err);
    if (!rc && qtr_buf_printf(b,
                              "        <LabelFont description=\"%s,%g,-1,5,%d,0,0,0,0,0\""
                              " style=\"%s\"/>\n"
                              "        <FontColor red=\"%d\" green=\"%d\" blue=\"%d\" "
                              "alpha=\"255\"/>\n      </LayoutItem>\n",
                              FONT, pt, bold ? 75 : 50, bold ? "Bold" : "", gray, gray, gray))
        rc = QTR_ERR_NOMEM;
    return rc == QTR_ERR_NOMEM ? qtr_error_set(err, rc, "out of memory") : rc;
}

static int label(struct qtr_buf *b, const char *id, unsigned uuid, double x, double y, double w,
                 double h, const char *text, double pt, int bold, int gray, struct qtr_error *err)
{
    return label_aligned(b, id, uuid, x, y, w, h, text, pt, bold, gray, 1, 32, err);
}

/* Grid of a bivariate legend, as the report draws it (src/render/map.c): the column title,
 * the row title with the column labels, then a row of rectangles per row label. */
#define GRID_RW 22.0  /* row labels */
#define GRID_SW 12.0  /* a rectangle: 12 x 7.2 mm */
#define GRID_SH 7.2
#define GRID_LINE 5.0 /* a line of text */

static double grid_height(const struct qtr_qgis_grid *g)
{
    return 6 + (g->col_title ? GRID_LINE : 0) + GRID_LINE + (double)g->rows * GRID_SH + 3;
}

static int rectangle(struct qtr_buf *b, char *id, unsigned uuid, double x, double y,
                     const unsigned char rgb[3], struct qtr_error *err)
{
    int rc = item_open(b, 65643, id, uuid, x, y, GRID_SW, GRID_SH, 4, 0, 0, err);
    if (!rc && qtr_buf_printf(b, " shapeType=\"1\" cornerRadiusMeasure=\"0,mm\""))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = item_colors(b, err);
    if (!rc &&
        qtr_buf_printf(b,
                       "        <symbol type=\"fill\" name=\"\" alpha=\"1\" clip_to_extent=\"1\""
                       " force_rhr=\"0\">\n          <layer class=\"SimpleFill\" enabled=\"1\""
                       " pass=\"0\" locked=\"0\">\n            <Option type=\"Map\">\n"
                       "              <Option type=\"QString\" name=\"color\" "
                       "value=\"%u,%u,%u,255\"/>\n"
                       "              <Option type=\"QString\" name=\"outline_color\" "
                       "value=\"90,90,90,255\"/>\n"
                       "              <Option type=\"QString\" name=\"outline_style\" "
                       "value=\"solid\"/>\n"
                       "              <Option type=\"QString\" name=\"outline_width\" "
                       "value=\"0.12\"/>\n"
                       "              <Option type=\"QString\" name=\"outline_width_unit\" "
                       "value=\"MM\"/>\n"
                       "              <Option type=\"QString\" name=\"style\" "
                       "value=\"solid\"/>\n            </Option>\n          </layer>\n"
                       "        </symbol>\n      </LayoutItem>\n",
                       rgb[0], rgb[1], rgb[2]))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return rc;
}

/* Items "legend_title", "grid_col_title", "grid_row_title", "grid_col_<c>", "grid_row_<r>"
 * and "grid_<r>_<c>" (r, c from 1) in the side column from y. */
static int grid_items(struct qtr_buf *b, const struct qtr_qgis_layout *l, unsigned *uuid,
                      double y, struct qtr_error *err)
{
    const struct qtr_qgis_grid *g = l->grid;
    char id[48];
    double gx = SIDE_X + GRID_RW + 2;
    int rc = label(b, "legend_title", ++*uuid, SIDE_X, y, SIDE_W, 6, l->legend ? l->legend : "",
                   10, 1, 0, err);
    y += 6;
    if (!rc && g->col_title) {
        rc = label(b, "grid_col_title", ++*uuid, gx, y, SIDE_W - GRID_RW - 2, GRID_LINE,
                   g->col_title, 8, 1, 0, err);
        y += GRID_LINE;
    }
    if (!rc && g->row_title)
        rc = label(b, "grid_row_title", ++*uuid, SIDE_X, y, GRID_RW, GRID_LINE, g->row_title, 8,
                   1, 0, err);
    for (size_t c = 0; !rc && c < g->cols; c++) {
        snprintf(id, sizeof id, "grid_col_%zu", c + 1);
        rc = label_aligned(b, id, ++*uuid, gx + (double)c * GRID_SW, y, GRID_SW, GRID_LINE,
                           g->col_labels[c] ? g->col_labels[c] : "", 6.5, 0, 0, 4, 32, err);
    }
    y += GRID_LINE;
    for (size_t r = 0; !rc && r < g->rows; r++) {
        snprintf(id, sizeof id, "grid_row_%zu", r + 1);
        rc = label_aligned(b, id, ++*uuid, SIDE_X, y + (double)r * GRID_SH, GRID_RW, GRID_SH,
                           g->row_labels[r] ? g->row_labels[r] : "", 8, 0, 0, 2, 128, err);
        for (size_t c = 0; !rc && c < g->cols; c++) {
            snprintf(id, sizeof id, "grid_%zu_%zu", r + 1, c + 1);
            rc = rectangle(b, id, ++*uuid, gx + (double)c * GRID_SW, y + (double)r * GRID_SH,
                           g->rgb[r * g->cols + c], err);
        }
    }
    return rc;
}

static int legend_style(struct qtr_buf *b, const char *name, double pt, int bold, double top,
                        struct qtr_error *err)
{
    if (qtr_buf_printf(b,
                       "          <style name=\"%s\" alignment=\"1\" indent=\"0\" marginTop=\"%g\""
                       " marginBottom=\"%s\" marginLeft=\"%s\">\n"
                       "            <styleFont description=\"%s,%g,-1,5,%d,0,0,0,0,0\" "
                       "style=\"%s\"/>\n          </style>\n",
                       name, top, !strcmp(name, "title") ? "2.5" : "0",
                       !strcmp(name, "symbolLabel") ? "2" : "0", FONT, pt, bold ? 75 : 50,
                       bold ? "Bold" : ""))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return QTR_OK;
}

static int legend(struct qtr_buf *b, const struct qtr_qgis_layout *l, unsigned uuid, unsigned map,
                  struct qtr_error *err)
{
    /* a bivariate map: its grid first (grid_items), the legend below shows what is left */
    double y = l->grid ? MAP_Y + grid_height(l->grid) : MAP_Y;
    int rc = item_open(b, 65642, "legend", uuid, SIDE_X, y, SIDE_W, 100, 4, 0, 0, err);
    if (!rc)
        rc = qtr_qgis_attr(b, "title", l->legend && !l->grid ? l->legend : "", err);
    if (!rc &&
        qtr_buf_printf(b,
                       " map_uuid=\"{00000000-0000-4000-8000-%012x}\" resizeToContents=\"1\""
                       " symbolWidth=\"7\" symbolHeight=\"4.5\" columnCount=\"1\" boxSpace=\"1\""
                       " columnSpace=\"2\" lineSpacing=\"1\" splitLayer=\"0\""
                       " equalColumnWidth=\"0\" legendFilterByAtlas=\"0\" titleAlignment=\"1\""
                       " symbolAlignment=\"1\" fontColor=\"#000000\" wrapChar=\"\""
                       " rasterBorder=\"0\" wmsLegendWidth=\"50\" wmsLegendHeight=\"25\"",
                       map))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = item_colors(b, err);
    if (!rc)
        rc = put(b, "        <styles>\n", err);
    if (!rc)
        rc = legend_style(b, "title", 10, 1, 0, err);
    if (!rc)
        rc = legend_style(b, "group", 9, 1, 3, err);
    if (!rc)
        rc = legend_style(b, "subgroup", 9, 0, 3, err);
    if (!rc)
        rc = legend_style(b, "symbol", 8, 0, 1.5, err);
    if (!rc)
        rc = legend_style(b, "symbolLabel", 8, 0, 1.5, err);
    if (!rc)
        rc = put(b, "        </styles>\n        <layer-tree-group>\n          <customproperties/>\n",
                 err);
    /* its own layer tree: the layers of this map only, not every layer of the project */
    for (size_t i = 0; i < l->nlayers && !rc; i++) {
        const struct qtr_qgis_layout_layer *ly = &l->layers[i];
        rc = put(b, "          <layer-tree-layer", err);
        if (!rc)
            rc = qtr_qgis_attr(b, "id", ly->id, err);
        if (!rc)
            rc = qtr_qgis_attr(b, "name", ly->name, err);
        if (!rc)
            rc = put(b,
                     " providerKey=\"ogr\" checked=\"Qt::Checked\" expanded=\"1\""
                     " legend_exp=\"\" patch_size=\"-1,-1\" legend_split_behavior=\"0\">\n"
                     "            <customproperties>\n              <Option type=\"Map\">\n",
                     err);
        if (!rc && ly->hide_title)
            rc = put(b,
                     "                <Option type=\"QString\" name=\"legend/title-style\" "
                     "value=\"hidden\"/>\n",
                     err);
        if (!rc && l->grid && i + 1 == l->nlayers &&
            qtr_buf_printf(b,
                           "                <Option type=\"QString\" name=\"legend/node-order\""
                           " value=\"%zu\"/>\n",
                           l->grid->rows * l->grid->cols))
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        if (!rc && ly->label) {
            rc = put(b, "                <Option type=\"QString\" name=\"legend/title-label\"",
                     err);
            if (!rc)
                rc = qtr_qgis_attr(b, "value", ly->label, err);
            if (!rc)
                rc = put(b, "/>\n", err);
        }
        if (!rc)
            rc = put(b,
                     "              </Option>\n            </customproperties>\n"
                     "          </layer-tree-layer>\n",
                     err);
    }
    if (!rc)
        rc = put(b, "        </layer-tree-group>\n      </LayoutItem>\n", err);
    return rc;
}

static int map_item(struct qtr_buf *b, const struct qtr_qgis_layout *l, unsigned uuid,
                    const double ext[4], struct qtr_error *err)
{
    int rc = item_open(b, 65639, "map", uuid, MAP_X, MAP_Y, MAP_W, MAP_H, 1, 1, 1, err);
    if (!rc && qtr_buf_printf(b, " keepLayerSet=\"true\" followPreset=\"false\""
                                 " followPresetName=\"\" drawCanvasItems=\"true\""
                                 " mapRotation=\"0\" mapFlags=\"0\" labelMargin=\"0,mm\""
                                 " isTemporal=\"0\""))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = item_colors(b, err);
    if (!rc && qtr_buf_printf(b,
                              "        <Extent xmin=\"%.3f\" ymin=\"%.3f\" xmax=\"%.3f\" "
                              "ymax=\"%.3f\"/>\n        <LayerSet>\n",
                              ext[0], ext[1], ext[2], ext[3]))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < l->nlayers && !rc; i++) {
        rc = put(b, "          <Layer>", err);
        if (!rc)
            rc = qtr_qgis_text(b, l->layers[i].id, err);
        if (!rc)
            rc = put(b, "</Layer>\n", err);
    }
    if (!rc)
        rc = put(b,
                 "        </LayerSet>\n"
                 "        <AtlasMap atlasDriven=\"0\" scalingMode=\"2\" margin=\"0.1\"/>\n"
                 "      </LayoutItem>\n",
                 err);
    return rc;
}

static int scalebar(struct qtr_buf *b, unsigned uuid, unsigned map, double scale,
                    struct qtr_error *err)
{
    double seg = qtr_qgis_segment_m(scale);
    int km = seg >= 1000;
    int rc = item_open(b, 65646, "scalebar", uuid, MAP_X + 3, MAP_Y + MAP_H - 12, 60, 9, 5, 0, 1,
                       err);
    if (!rc &&
        qtr_buf_printf(
            b,
            " style=\"Single Box\" mapUuid=\"{00000000-0000-4000-8000-%012x}\""
            " unitType=\"%s\" unitLabel=\"%s\" numMapUnitsPerScaleBarUnit=\"1\""
            " numUnitsPerSegment=\"%g\" numSegments=\"2\" numSegmentsLeft=\"0\""
            " numSubdivisions=\"1\" subdivisionsHeight=\"1.5\" segmentSizeMode=\"0\""
            " segmentMillimeters=\"0\" minBarWidth=\"10\" maxBarWidth=\"150\" height=\"2.5\""
            " labelBarSpace=\"1.5\" boxContentSpace=\"1.5\" alignment=\"0\""
            " labelVerticalPlacement=\"0\" labelHorizontalPlacement=\"0\" outlineWidth=\"0.25\""
            " lineJoinStyle=\"miter\" lineCapStyle=\"square\"",
            map, km ? "km" : "meters", km ? "km" : "m", km ? seg / 1000 : seg))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = item_colors(b, err);
    if (!rc && qtr_buf_printf(b,
                              "        <text-style fontFamily=\"%s\" fontSize=\"7\""
                              " fontSizeUnit=\"Point\" fontWeight=\"50\" textColor=\"0,0,0,255\""
                              " textOpacity=\"1\" multilineHeight=\"1\"/>\n      </LayoutItem>\n",
                              FONT))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return rc;
}

static int north_arrow(struct qtr_buf *b, unsigned uuid, unsigned map, struct qtr_error *err)
{
    int rc = item_open(b, 65640, "north_arrow", uuid, MAP_X + MAP_W - 13, MAP_Y + 3, 10, 14, 6, 0,
                       0, err);
    if (!rc &&
        qtr_buf_printf(b,
                       " file=\":/images/north_arrows/layout_default_north_arrow.svg\" mode=\"0\""
                       " mapUuid=\"{00000000-0000-4000-8000-%012x}\" northMode=\"0\""
                       " northOffset=\"0\" pictureRotation=\"0\" resizeMode=\"0\""
                       " anchorPoint=\"0\" svgFillColor=\"255,255,255,255\""
                       " svgBorderColor=\"0,0,0,255\" svgBorderWidth=\"0.2\""
                       " pictureWidth=\"10\" pictureHeight=\"14\"",
                       map))
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = item_colors(b, err);
    if (!rc)
        rc = put(b, "      </LayoutItem>\n", err);
    return rc;
}

int qtr_qgis_layout_xml(struct qtr_buf *b, const struct qtr_qgis_layout *l, unsigned *uuid,
                        struct qtr_error *err)
{
    double ext[4];
    double scale =
        qtr_qgis_fit_scale(l->xmin, l->ymin, l->xmax, l->ymax, MAP_W, MAP_H, ext);
    unsigned page = ++*uuid, map = ++*uuid;
    int rc = put(b, "    <Layout", err);
    if (!rc)
        rc = qtr_qgis_attr(b, "name", l->name, err);
    if (!rc)
        rc = put(b, " units=\"mm\" printResolution=\"300\" worldFileMap=\"\">\n"
                    "      <PageCollection>\n",
                 err);
    if (!rc)
        rc = item_open(b, 65638, "", page, 0, 0, PAGE_W, PAGE_H, 0, 0, 1, err);
    if (!rc)
        rc = item_colors(b, err);
    if (!rc)
        rc = put(b, "      </LayoutItem>\n      <GuideCollection visible=\"1\"/>\n"
                    "      </PageCollection>\n",
                 err);
    if (!rc)
        rc = map_item(b, l, map, ext, err);
    if (!rc)
        rc = label(b, "title", ++*uuid, MAP_X, 8, PAGE_W - 2 * MAP_X, 9, l->title ? l->title : "",
                   15, 1, 0, err);
    if (!rc && l->subtitle)
        rc = label(b, "subtitle", ++*uuid, MAP_X, 17.5, PAGE_W - 2 * MAP_X, 6, l->subtitle, 9, 0,
                   60, err);
    if (!rc && l->grid)
        rc = grid_items(b, l, uuid, MAP_Y, err);
    if (!rc)
        rc = legend(b, l, ++*uuid, map, err);
    if (!rc)
        rc = scalebar(b, ++*uuid, map, scale, err);
    if (!rc)
        rc = north_arrow(b, ++*uuid, map, err);
    if (!rc) {
        char sc[96];
        /* the scale as text too: a planner prints at 100 %, a reader measures */
        double s = scale;
        if (s >= 1000)
            snprintf(sc, sizeof sc, "%s 1:%.0f.%03.0f", l->en ? "Scale" : "Maßstab",
                     floor(s / 1000), fmod(s, 1000));
        else
            snprintf(sc, sizeof sc, "%s 1:%.0f", l->en ? "Scale" : "Maßstab", s);
        if (l->en)
            for (char *p = sc; *p; p++)
                if (*p == '.')
                    *p = ',';
        rc = label(b, "scale", ++*uuid, SIDE_X, MAP_Y + MAP_H - 12, SIDE_W, 5, sc, 8, 0, 0, err);
    }
    if (!rc && l->date)
        rc = label(b, "date", ++*uuid, SIDE_X, MAP_Y + MAP_H - 6, SIDE_W, 5, l->date, 8, 0, 0,
                   err);
    if (!rc && l->source)
        rc = label(b, "source", ++*uuid, MAP_X, MAP_Y + MAP_H + 2, PAGE_W - 2 * MAP_X,
                   PAGE_H - MAP_Y - MAP_H - 6, l->source, 7, 0, 60, err);
    if (!rc)
        rc = put(b,
                 "      <Atlas enabled=\"0\" hideCoverage=\"0\" filterFeatures=\"0\""
                 " sortFeatures=\"0\" coverageLayer=\"\" pageNameExpression=\"\""
                 " filenamePattern=\"'output_'||@atlas_featurenumber\"/>\n    </Layout>\n",
                 err);
    return rc;
}
