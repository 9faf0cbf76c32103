/*
 * webmap.c - the interactive map of the HTML report (webmap.h).
 */
#include "quartier/webmap.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/map.h"
#include "quartier/palette.h"
#include "quartier/shapes.h"

#ifndef QTR_LEAFLET_DIR
#define QTR_LEAFLET_DIR "/usr/share/javascript/leaflet"
#endif

const char *qtr_webmap_leaflet_dir(void)
{
    const char *e = getenv("QUARTIER_LEAFLET_DIR");
    return e && *e ? e : QTR_LEAFLET_DIR;
}

/* A whole file, NUL-terminated; NULL when it cannot be read (errno set) or out of memory. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct qtr_buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (qtr_buf_append(&b, chunk, got)) {
            fclose(f);
            qtr_buf_release(&b);
            errno = ENOMEM;
            return NULL;
        }
    int bad = ferror(f);
    fclose(f);
    if (bad || !b.data) {
        qtr_buf_release(&b);
        errno = bad ? EIO : ENODATA;
        return NULL;
    }
    if (len)
        *len = b.len;
    return b.data;
}

/* Leaflet's file `name` (e.g. "leaflet.css"); NULL with err set. */
static char *leaflet_file(const char *name, size_t *len, struct qtr_error *err)
{
    char *path = qtr_asprintf("%s/%s", qtr_webmap_leaflet_dir(), name);
    if (!path) {
        qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char *data = read_all(path, len);
    if (!data) {
        if (errno == ENOMEM)
            qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
        else
            qtr_error_set(err, QTR_ERR_IO,
                          "cannot read '%s' (%s) for the interactive map of report.html: "
                          "install Debian's package libjs-leaflet (scripts/setup does), or "
                          "set QUARTIER_LEAFLET_DIR to a folder with leaflet.js and "
                          "leaflet.css",
                          path, strerror(errno));
    }
    free(path);
    return data;
}

static int base64(struct qtr_buf *b, const unsigned char *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {t[v >> 18 & 63], t[v >> 12 & 63], i + 1 < n ? t[v >> 6 & 63] : '=',
                     i + 2 < n ? t[v & 63] : '='};
        if (qtr_buf_append(b, q, 4))
            return QTR_ERR_NOMEM;
    }
    return QTR_OK;
}

static const char map_css[] =
    "figure.webmap{margin:1em 0 1.6em;border:1px solid #ccd;padding:6px}"
    ".wm-bar{display:flex;flex-wrap:wrap;gap:.3em .8em;align-items:baseline;margin-bottom:6px}"
    ".wm-bar select{font:inherit;max-width:100%}"
    ".wm-sub{font-size:.85em;color:#444;flex-basis:100%}"
    ".wm-body{display:flex;flex-wrap:wrap;gap:8px}"
    ".wm-map{flex:1 1 26em;height:34em;max-height:75vh;background:#fff;border:1px solid #dde}"
    ".wm-legend{flex:0 1 15em;font-size:.8em;line-height:1.35}"
    ".wm-lt{font-weight:bold;margin-bottom:.3em}"
    ".wm-li{display:flex;align-items:center;gap:.4em;margin:.15em 0}"
    ".wm-sw{flex:none;display:inline-block;width:1.6em;height:1em;border:1px solid #777}"
    ".wm-ov{background:transparent;border-width:2px}"
    ".wm-grid{border-collapse:collapse;width:auto;font-size:1em;margin:.2em 0}"
    ".wm-grid td,.wm-grid th{border:0;padding:1px 3px;background:none;font-weight:normal}"
    ".wm-grid td.c{width:1.8em;height:1.4em;border:1px solid #fff}"
    ".wm-src{color:#555;margin-top:.6em}"
    ".wm-pop b{font-weight:bold}.wm-pop div{margin:.1em 0}"
    ".leaflet-container{font:inherit;font-size:.85em}"
    "@media print{figure.webmap{display:none}}";

int qtr_webmap_head(struct qtr_buf *h, struct qtr_error *err)
{
    size_t len = 0;
    char *css = leaflet_file("leaflet.css", &len, err);
    if (!css)
        return err->code;
    int rc = QTR_OK;
    if (qtr_buf_puts(h, "<style>"))
        goto nomem;
    /* url(images/x.png) -> a data: URI of the file, so that nothing is fetched */
    const char *p = css;
    for (const char *u; (u = strstr(p, "url(images/")) != NULL;) {
        const char *e = strchr(u, ')');
        if (!e)
            break;
        if (qtr_buf_append(h, p, (size_t)(u - p)))
            goto nomem;
        char name[128];
        size_t nl = (size_t)(e - u) - 4;
        snprintf(name, sizeof name, "%.*s", (int)(nl < sizeof name ? nl : sizeof name - 1), u + 4);
        size_t ilen = 0;
        char *path = qtr_asprintf("%s/%s", qtr_webmap_leaflet_dir(), name);
        char *img = path ? read_all(path, &ilen) : NULL;
        free(path);
        if (img) {
            if (qtr_buf_puts(h, "url(data:image/png;base64,") ||
                base64(h, (const unsigned char *)img, ilen) || qtr_buf_puts(h, ")")) {
                free(img);
                goto nomem;
            }
            free(img);
        } else if (qtr_buf_puts(h, "none")) {
            goto nomem;
        }
        p = e + 1;
    }
    if (qtr_buf_puts(h, p) || qtr_buf_puts(h, map_css) || qtr_buf_puts(h, "</style>\n"))
        goto nomem;
    free(css);
    return rc;
nomem:
    free(css);
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing the report");
}

/* A JSON string; <, > and & as \u escapes, so the script holds no "</script" and no "]]>". */
static int jstr(struct qtr_buf *b, const char *s)
{
    if (!s)
        return qtr_buf_puts(b, "null");
    if (qtr_buf_puts(b, "\""))
        return QTR_ERR_NOMEM;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int rc;
        if (*p == '"' || *p == '\\')
            rc = qtr_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
            rc = qtr_buf_printf(b, "\\u%04x", *p);
        else
            rc = qtr_buf_append(b, (const char *)p, 1);
        if (rc)
            return QTR_ERR_NOMEM;
    }
    return qtr_buf_puts(b, "\"");
}

static int jcolor(struct qtr_buf *b, struct qtr_rgb c)
{
    return qtr_buf_printf(b, "\"#%02x%02x%02x\"", c.r, c.g, c.b);
}

static int jstrs(struct qtr_buf *b, const char *const *s, size_t n)
{
    if (qtr_buf_puts(b, "["))
        return QTR_ERR_NOMEM;
    for (size_t k = 0; k < n; k++)
        if ((k && qtr_buf_puts(b, ",")) || jstr(b, s ? s[k] : NULL))
            return QTR_ERR_NOMEM;
    return qtr_buf_puts(b, "]");
}

/* The rings of feature f as [[x0,y0,dx,dy,...],...] on the grid; hole ring numbers into *holes. */
static int jrings(struct qtr_buf *b, const struct qtr_shapes *s, size_t f, double x0, double y0,
                  double step, struct qtr_buf *holes)
{
    if (qtr_buf_puts(b, "["))
        return QTR_ERR_NOMEM;
    size_t nh = 0;
    for (size_t r = s->feat_ring[f]; r < s->feat_ring[f + 1]; r++) {
        if (r > s->feat_ring[f] && qtr_buf_puts(b, ","))
            return QTR_ERR_NOMEM;
        if (s->ring_hole[r] &&
            qtr_buf_printf(holes, "%s%zu", nh++ ? "," : "", r - s->feat_ring[f]))
            return QTR_ERR_NOMEM;
        size_t a = s->ring_pt[r], n = s->ring_pt[r + 1] - a;
        long px = 0, py = 0, fx = 0, fy = 0;
        size_t put = 0;
        if (qtr_buf_puts(b, "["))
            return QTR_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) {
            long X = lround((s->x[a + i] - x0) / step), Y = lround((s->y[a + i] - y0) / step);
            if (put && X == px && Y == py)
                continue;
            if (put && i == n - 1 && X == fx && Y == fy)
                continue; /* the closing point: Leaflet closes polygons itself */
            int rc = put ? qtr_buf_printf(b, ",%ld,%ld", X - px, Y - py)
                         : qtr_buf_printf(b, "%ld,%ld", X, Y);
            if (rc)
                return QTR_ERR_NOMEM;
            if (!put) {
                fx = X;
                fy = Y;
            }
            px = X;
            py = Y;
            put++;
        }
        if (qtr_buf_puts(b, "]"))
            return QTR_ERR_NOMEM;
    }
    return qtr_buf_puts(b, "]");
}

/* Every feature's rings, as a JSON array of {"r":rings,"h":[holes]}. */
static int jshapes(struct qtr_buf *b, const struct qtr_shapes *s, double x0, double y0,
                   double step)
{
    struct qtr_buf holes = {0};
    int rc = qtr_buf_puts(b, "[");
    for (size_t f = 0; !rc && f < s->n; f++) {
        holes.len = 0;
        if (holes.data)
            holes.data[0] = '\0';
        rc = (f && qtr_buf_puts(b, ",")) || qtr_buf_puts(b, "{\"r\":") ||
                     jrings(b, s, f, x0, y0, step, &holes)
                 ? QTR_ERR_NOMEM
                 : QTR_OK;
        if (!rc && holes.len)
            rc = qtr_buf_printf(b, ",\"h\":[%s]", holes.data);
        if (!rc)
            rc = qtr_buf_puts(b, "}");
    }
    qtr_buf_release(&holes);
    return rc || qtr_buf_puts(b, "]") ? QTR_ERR_NOMEM : QTR_OK;
}

extern const char qtr_webmap_js[]; /* src/render/webmap.js, compiled in by CMakeLists.txt */

int qtr_webmap_write(struct qtr_buf *h, const struct qtr_doc *d, struct qtr_error *err)
{
    const struct qtr_map *base = NULL; /* the first map with an SVG: its districts */
    for (size_t i = 0; i < d->n && !base; i++) {
        const struct qtr_doc_block *b = &d->b[i];
        if (b->kind == QTR_DOC_MAP && b->svg_path && b->map.shapes)
            base = &b->map;
    }
    if (!base || !base->shapes->n)
        return QTR_OK;
    const struct qtr_shapes *s = base->shapes;
    int en = !strcmp(d->lang, "en");
    double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
    qtr_shapes_bbox(s, &x0, &y0, &x1, &y1);
    double step = qtr_map_nice_length(fmax(x1 - x0, y1 - y0) / 12800.0);
    if (!(step > 0))
        step = 1;
    /* the origin on the grid, so that the coordinates are multiples of step */
    x0 = floor(x0 / step) * step;
    y0 = floor(y0 / step) * step;
    size_t jslen = 0;
    char *js = leaflet_file("leaflet.min.js", &jslen, err);
    if (!js) {
        qtr_error_clear(err);
        if (!(js = leaflet_file("leaflet.js", &jslen, err)))
            return err->code;
    }
    if (strstr(js, "]]>") || strstr(js, "</script")) {
        free(js);
        return qtr_error_set(err, QTR_ERR_IO,
                             "'%s/leaflet.js' cannot be inlined (it holds \"]]>\" or "
                             "\"</script\"); is it Leaflet?",
                             qtr_webmap_leaflet_dir());
    }
    /* the names, keys and parents of the districts: of the first layer that has them */
    const char *const *names = NULL, *const *keys = NULL, *const *parents = NULL;
    const char *parent_label = NULL;
    for (size_t i = 0; i < d->n; i++) {
        const struct qtr_map *m = &d->b[i].map;
        if (d->b[i].kind != QTR_DOC_MAP || !d->b[i].svg_path || m->shapes != s)
            continue;
        if (!names)
            names = m->names;
        if (!keys)
            keys = m->keys;
        if (!parents) {
            parents = m->parents;
            parent_label = m->parent_label;
        }
    }
    struct qtr_buf *b = h;
    const char *alabel = en ? "Interactive map of the districts" : "Interaktive Karte der Gebiete";
#define PUT(x)                                                                                     \
    do {                                                                                           \
        if (qtr_buf_puts(b, (x)))                                                                  \
            goto nomem;                                                                            \
    } while (0)
#define J(call)                                                                                    \
    do {                                                                                           \
        if (call)                                                                                  \
            goto nomem;                                                                            \
    } while (0)
    PUT("<figure class=\"webmap\" id=\"qtr-webmap\">\n<div class=\"wm-bar\"><label "
        "for=\"qtr-wm-layer\"><strong>");
    PUT(en ? "Map" : "Karte");
    PUT("</strong></label> <select id=\"qtr-wm-layer\">");
    size_t li = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct qtr_map *m = &d->b[i].map;
        if (d->b[i].kind != QTR_DOC_MAP || !d->b[i].svg_path || m->shapes != s || m->nclass > 36)
            continue;
        J(qtr_buf_printf(b, "<option value=\"%zu\">", li++));
        J(qtr_html_escape(b, m->title ? m->title : m->legend_title));
        PUT("</option>");
    }
    PUT("</select> <label for=\"qtr-wm-find\">");
    PUT(en ? "District" : "Gebiet");
    PUT("</label> <input type=\"search\" id=\"qtr-wm-find\" list=\"qtr-wm-names\" "
        "autocomplete=\"off\" placeholder=\"");
    PUT(en ? "name or key" : "Name oder Schlüssel");
    PUT("\"/><datalist id=\"qtr-wm-names\"></datalist>"
        "<span class=\"wm-sub\" id=\"qtr-wm-sub\"></span></div>\n"
        "<div class=\"wm-body\"><div class=\"wm-map\" id=\"qtr-wm-map\" role=\"region\" "
        "aria-label=\"");
    PUT(alabel);
    PUT("\"></div><div class=\"wm-legend\" id=\"qtr-wm-legend\"></div></div>\n<noscript>");
    PUT(en ? "The interactive map needs JavaScript; the maps in the report show the same."
           : "Die interaktive Karte braucht JavaScript; die Karten im Bericht zeigen dasselbe.");
    PUT("</noscript>\n<figcaption>");
    PUT(en ? "Interactive map: choose a map above, click a district for its values; zoom with "
             "the buttons, a double click, or the mouse wheel after a click into the map. "
             "Keyboard: Tab to the map, arrow keys move it, + and - zoom; Tab again to the "
             "districts, arrow keys go from one to the next, Enter shows its values, Escape "
             "closes them."
           : "Interaktive Karte: oben eine Karte wählen, ein Gebiet anklicken für seine Werte; "
             "Zoom mit den Knöpfen, Doppelklick oder nach einem Klick in die Karte mit dem "
             "Mausrad. Tastatur: mit Tab zur Karte, Pfeiltasten verschieben sie, + und - "
             "zoomen; mit Tab weiter zu den Gebieten, Pfeiltasten gehen von Gebiet zu Gebiet, "
             "Eingabe zeigt seine Werte, Escape schließt sie.");
    PUT("</figcaption>\n</figure>\n<script>/*<![CDATA[*/\n");
    J(qtr_buf_append(b, js, jslen));
    free(js);
    js = NULL;
    PUT("\n/*]]>*/</script>\n<script>/*<![CDATA[*/\nvar QTR_WEBMAP={\"step\":");
    J(qtr_buf_printf(b, "%.17g,\"origin\":[%.17g,%.17g],", step, x0, y0));
    /* the first view: the main body, as the static maps frame it (an island far out, such as
     * Hamburg's Neuwerk, stays reachable by panning but does not shrink the city) */
    struct qtr_map_extent ext;
    if (qtr_map_extent(s, &ext) == 1 && ext.ninsets > 0)
        J(qtr_buf_printf(b, "\"home\":[%.6g,%.6g,%.6g,%.6g],", (ext.minx - x0) / step,
                         (ext.miny - y0) / step, (ext.maxx - x0) / step, (ext.maxy - y0) / step));
    PUT("\"ui\":{");
    static const char *const ui[][3] = {
        {"key", "Schlüssel", "Key"},
        {"parent", "Übergeordnetes Gebiet", "Parent area"},
        {"cls", "Klasse", "Class"},
        {"zin", "Vergrößern", "Zoom in"},
        {"zout", "Verkleinern", "Zoom out"},
        {"unnamed", "(ohne Namen)", "(no name)"},
    };
    for (size_t k = 0; k < sizeof ui / sizeof ui[0]; k++) {
        J(qtr_buf_printf(b, "%s\"%s\":", k ? "," : "", ui[k][0]));
        J(jstr(b, ui[k][en ? 2 : 1]));
    }
    PUT(",\"parentLabel\":");
    J(jstr(b, parent_label));
    PUT("},\"names\":");
    J(jstrs(b, names, names ? s->n : 0));
    PUT(",\"keys\":");
    J(jstrs(b, keys, keys ? s->n : 0));
    PUT(",\"parents\":");
    J(jstrs(b, parents, parents ? s->n : 0));
    PUT(",\"f\":");
    J(jshapes(b, s, x0, y0, step));
    /* overlays (parent outlines, candidate areas), each set once */
    const struct qtr_shapes *ov[16];
    size_t nov = 0;
    PUT(",\"o\":[");
    for (size_t i = 0; i < d->n; i++) {
        const struct qtr_map *m = &d->b[i].map;
        if (d->b[i].kind != QTR_DOC_MAP || !d->b[i].svg_path || m->shapes != s || !m->overlay)
            continue;
        size_t k = 0;
        while (k < nov && ov[k] != m->overlay)
            k++;
        if (k < nov || nov == 16)
            continue;
        ov[nov] = m->overlay;
        J(nov++ && qtr_buf_puts(b, ","));
        J(jshapes(b, m->overlay, x0, y0, step));
    }
    PUT("],\"layers\":[");
    struct qtr_rgb nd = qtr_palette_nodata(), hatch = qtr_palette_nodata_hatch();
    li = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct qtr_map *m = &d->b[i].map;
        if (d->b[i].kind != QTR_DOC_MAP || !d->b[i].svg_path || m->shapes != s || m->nclass > 36)
            continue;
        J(li++ && qtr_buf_puts(b, ","));
        PUT("{\"t\":");
        J(jstr(b, m->title));
        PUT(",\"s\":");
        J(jstr(b, m->subtitle));
        PUT(",\"lt\":");
        J(jstr(b, m->legend_title));
        PUT(",\"src\":");
        J(jstr(b, m->source));
        PUT(",\"date\":");
        J(jstr(b, m->date));
        PUT(",\"c\":[");
        for (size_t k = 0; k < m->nclass; k++)
            J((k && qtr_buf_puts(b, ",")) || jcolor(b, m->colors[k]));
        PUT("],\"l\":");
        J(jstrs(b, m->class_labels, m->nclass));
        PUT(",\"k\":\"");
        for (size_t f = 0; f < s->n; f++) {
            int c = m->cls[f];
            char ch = c < 0 || (size_t)c >= m->nclass ? '-' : "0123456789abcdefghijklmnopqrstuvwxyz"[c];
            J(qtr_buf_append(b, &ch, 1));
        }
        PUT("\",\"nd\":");
        J(jstr(b, m->nodata_label ? m->nodata_label : en ? "no data" : "keine Angabe"));
        J(qtr_buf_printf(b, ",\"nds\":%d,\"ndc\":", m->nodata_solid ? 1 : 0));
        J(jcolor(b, m->nodata_solid ? m->nodata_color : nd));
        PUT(",\"hatch\":");
        J(jcolor(b, hatch));
        if (m->values) {
            PUT(",\"v\":");
            J(jstrs(b, m->values, s->n));
        }
        if (m->grid_rows && m->grid_cols && m->grid_rows * m->grid_cols == m->nclass) {
            J(qtr_buf_printf(b, ",\"grid\":{\"rows\":%zu,\"cols\":%zu,\"rl\":", m->grid_rows,
                             m->grid_cols));
            J(jstrs(b, m->row_labels, m->row_labels ? m->grid_rows : 0));
            PUT(",\"cl\":");
            J(jstrs(b, m->col_labels, m->col_labels ? m->grid_cols : 0));
            PUT(",\"rt\":");
            J(jstr(b, m->row_title));
            PUT(",\"ct\":");
            J(jstr(b, m->col_title));
            PUT("}");
        }
        if (m->overlay) {
            size_t k = 0;
            while (k < nov && ov[k] != m->overlay)
                k++;
            if (k < nov) {
                J(qtr_buf_printf(b, ",\"ov\":{\"i\":%zu,\"c\":", k));
                J(jcolor(b, m->overlay_color));
                PUT(",\"l\":");
                J(jstr(b, m->overlay_label));
                PUT("}");
            }
        }
        PUT("}");
    }
    PUT("]};\n");
    PUT(qtr_webmap_js);
    PUT("\n/*]]>*/</script>\n");
    return QTR_OK;
nomem:
    free(js);
    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing the report");
#undef PUT
#undef J
}
