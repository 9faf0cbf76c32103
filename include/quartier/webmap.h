/*
 * webmap.h - the interactive map of the HTML report (src/render/webmap.c).
 *
 * One zoomable map with Leaflet (Debian's libjs-leaflet, read at run time from
 * QTR_LEAFLET_DIR and inlined, so report.html stays one file that works
 * offline) of the report's maps that show the first map's districts: a select
 * switches between them, the legend follows the layer (the same colours, class
 * labels and no-data hatch or tone as the static map, because both are drawn
 * from the same struct qtr_map), a click on a district opens a popup with its
 * name, key, parent area and the current layer's value and class. No tile
 * layer: the districts are drawn in the work CRS (metres, L.CRS.Simple), so
 * the scale bar is true and the shapes are those of the printed maps.
 *
 * Geometry is written once: each district's rings as integers on a grid of
 * `step` metres (a 1-2-5 value at about 1/12800 of the larger extent, a screen
 * pixel at the largest zoom), delta-coded; each layer is a string of class
 * indices, one character per district (0-9, a-z; a map with more than 36
 * classes is left out of the interactive map, none of the report's has).
 *
 * The page script is exposed as window.quartierWebmap = {map, features, layers,
 * show(i), current()} for tests and for planners who want to script the page.
 */
#ifndef QUARTIER_WEBMAP_H
#define QUARTIER_WEBMAP_H

#include "quartier/doc.h"
#include "quartier/error.h"
#include "quartier/strutil.h"

/**
 * The folder Leaflet is read from: $QUARTIER_LEAFLET_DIR when set and not
 * empty, else the folder CMake found at build time (QTR_LEAFLET_DIR).
 */
const char *qtr_webmap_leaflet_dir(void);

/**
 * Append the <style> of the map (Leaflet's CSS with its images as data: URIs,
 * and the map's own rules) for the HTML head. QTR_ERR_IO when leaflet.css
 * cannot be read (the message names the file and the package), QTR_ERR_NOMEM.
 */
int qtr_webmap_head(struct qtr_buf *h, struct qtr_error *err);

/**
 * Append the map figure and its scripts: Leaflet and the page's data and
 * code. Uses every map block of d with an SVG that shows the same shapes as
 * the first such block; nothing when there is none. QTR_ERR_IO when Leaflet
 * cannot be read (or holds "]]>" or "</script", which would end its CDATA
 * section or script), QTR_ERR_NOMEM.
 */
int qtr_webmap_write(struct qtr_buf *h, const struct qtr_doc *d, struct qtr_error *err);

#endif
