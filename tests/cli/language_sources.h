/*
 * language_sources.h - the texts of a run that the language scan reads besides the page text
 * of report.html and report.pdf (test_report_language.c, issue 10 §1):
 *   - report.html's attributes a reader meets (aria-label, title, placeholder, alt: screen
 *     readers read them, browsers show titles as tooltips) and the strings of the interactive
 *     map's data (var QTR_WEBMAP: layer titles, legends, popups, the zoom buttons' tooltips;
 *     src/render/webmap.c), which webmap.js puts on the page;
 *   - the title and description of every map in the SVG files in maps/ (their visible text is outlines);
 *   - the QGIS texts of quartier.gpkg: the style descriptions and class labels of
 *     layer_styles, and the project in qgis_projects (layout titles and legend labels,
 *     layer and group names; read with unzip, skipped without it).
 * Included by test_report_language.c after struct buf, buf_add, buf_str and decode_entity.
 */
#ifndef QTR_TEST_LANGUAGE_SOURCES_H
#define QTR_TEST_LANGUAGE_SOURCES_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <gdal.h>
#include <ogr_api.h>

/* Append the value of every attribute `name="..."` in [p, end) (entities decoded), one a line. */
static void attr_values(const char *p, const char *end, const char *const *names, size_t nn,
                        struct buf *b)
{
    for (p++; p < end; p++) { /* an attribute follows a space: p[-1] is inside the text */
        for (size_t k = 0; k < nn; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(p, names[k], n) || p[n] != '=' || p[n + 1] != '"' ||
                !(p[-1] == ' ' || p[-1] == '\n'))
                continue;
            const char *v = p + n + 2;
            while (v < end && *v != '"') {
                if (*v == '&')
                    decode_entity(&v, b);
                else
                    buf_add(b, v++, 1);
            }
            buf_add(b, "\n", 1);
            p = v;
            break;
        }
    }
}

/* The attributes a reader meets in report.html, outside scripts and styles. */
static void html_attrs(const char *html, struct buf *b)
{
    static const char *const names[] = {"aria-label", "title", "placeholder", "alt"};
    const char *p = html;
    while ((p = strchr(p, '<')) != NULL) {
        if (!strncasecmp(p, "<script", 7) || !strncasecmp(p, "<style", 6)) {
            const char *e = strstr(p, p[1] == 's' && p[2] == 'c' ? "</script>" : "</style>");
            p = e ? e + 8 : p + strlen(p);
            continue;
        }
        const char *e = strchr(p, '>');
        if (!e)
            break;
        attr_values(p, e, names, sizeof names / sizeof *names, b);
        p = e + 1;
    }
}

/* The string values (not the keys) of the interactive map's data, one a line. */
static void webmap_strings(const char *html, struct buf *b)
{
    const char *p = strstr(html, "var QTR_WEBMAP=");
    if (!p)
        return;
    const char *end = strstr(p, "/*]]>*/");
    if (!end)
        end = p + strlen(p);
    for (; p < end; p++) {
        if (*p != '"')
            continue;
        struct buf s = {0};
        const char *q = p + 1;
        while (q < end && *q != '"') {
            if (*q == '\\' && q[1] == 'u' && q + 5 < end) {
                unsigned v = 0;
                sscanf(q + 2, "%4x", &v);
                char c = v < 0x80 ? (char)v : '?';
                buf_add(&s, &c, 1);
                q += 6;
            } else if (*q == '\\' && q + 1 < end) {
                char c = q[1] == 'n' ? '\n' : q[1];
                buf_add(&s, &c, 1);
                q += 2;
            } else {
                buf_add(&s, q++, 1);
            }
        }
        const char *after = q + 1;
        while (after < end && *after == ' ')
            after++;
        if (*after != ':' && s.s && s.s[0] != '#') /* a key; a colour */
            buf_str(b, s.s), buf_add(b, "\n", 1);
        free(s.s);
        p = q;
    }
}

/* Text of the <title> and <desc> elements of every the SVG files in maps/. */
static void svg_texts(const char *dir, struct buf *b)
{
    char path[4700];
    snprintf(path, sizeof path, "%s/maps", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".svg") || e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/maps/%s", dir, e->d_name);
        char *svg = read_all(path);
        assert_non_null(svg);
        static const char *const el[][2] = {{"<title>", "</title>"}, {"<desc>", "</desc>"}};
        for (size_t k = 0; k < 2; k++)
            for (const char *p = strstr(svg, el[k][0]); p; p = strstr(p, el[k][0])) {
                p += strlen(el[k][0]);
                const char *q = strstr(p, el[k][1]);
                if (!q)
                    break;
                while (p < q) {
                    if (*p == '&')
                        decode_entity(&p, b);
                    else
                        buf_add(b, p++, 1);
                }
                buf_add(b, "\n", 1);
            }
        free(svg);
    }
    closedir(d);
}

/* Rows of one SQL query on the GeoPackage, each column's text a line (as `f` gives it). */
static void gpkg_query(GDALDatasetH ds, const char *sql, void (*f)(const char *, struct buf *),
                       struct buf *b)
{
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (!l)
        return;
    OGRFeatureH ft;
    while ((ft = OGR_L_GetNextFeature(l)) != NULL) {
        for (int i = 0; i < OGR_F_GetFieldCount(ft); i++)
            if (OGR_F_IsFieldSetAndNotNull(ft, i))
                f(OGR_F_GetFieldAsString(ft, i), b);
        OGR_F_Destroy(ft);
    }
    GDALDatasetReleaseResultSet(ds, l);
}

static void plain_line(const char *s, struct buf *b)
{
    buf_str(b, s);
    buf_add(b, "\n", 1);
}

/* Class and category labels of a QML style. */
static void qml_labels(const char *qml, struct buf *b)
{
    static const char *const names[] = {"label"};
    attr_values(qml, qml + strlen(qml), names, 1, b);
}

/* The QGIS project (a .qgz as hex text, GeoPackage convention): layout titles and texts,
 * legend and layer-tree names, legend titles, layer names, class labels. */
static void qgis_project(const char *hex, struct buf *b)
{
    if (!qtr_file_exists("/usr/bin/unzip")) {
        print_message("note: unzip not installed, the QGIS project is not scanned\n");
        return;
    }
    /* hex text; OGR hands a binary column over as hex too, so there may be two layers */
    struct buf raw = {0};
    char *owned = NULL;
    for (int layer = 0; layer < 2; layer++) {
        raw.n = 0;
        for (const char *h = hex; h[0] && h[1]; h += 2) {
            unsigned v;
            assert_int_equal(sscanf(h, "%2x", &v), 1);
            char c = (char)v;
            buf_add(&raw, &c, 1);
        }
        if (raw.n < 4 || strncasecmp(raw.s, "504b", 4))
            break;
        free(owned);
        owned = strndup(raw.s, raw.n);
        assert_non_null(owned);
        hex = owned;
    }
    free(owned);
    char zip[] = "/tmp/qtr_lang_qgz_XXXXXX";
    int fd = mkstemp(zip);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_non_null(raw.s);
    assert_int_equal(fwrite(raw.s, 1, raw.n, f), raw.n);
    fclose(f);
    free(raw.s);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "/usr/bin/unzip -p '%s' '*.qgs'", zip);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct buf x = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_add(&x, chunk, got);
    assert_int_equal(pclose(p), 0);
    unlink(zip);
    assert_non_null(x.s);
    static const char *const names[] = {"labelText", "label", "title"};
    attr_values(x.s, x.s + x.n, names, sizeof names / sizeof *names, b);
    /* names of the layer tree (the legend) and layer names */
    static const char *const tree[] = {"<layer-tree-layer ", "<layer-tree-group "};
    static const char *const nm[] = {"name"};
    for (size_t k = 0; k < 2; k++)
        for (const char *q = strstr(x.s, tree[k]); q; q = strstr(q + 1, tree[k])) {
            const char *e = strchr(q, '>');
            if (e)
                attr_values(q, e, nm, 1, b);
        }
    for (const char *q = strstr(x.s, "<layername>"); q; q = strstr(q + 1, "<layername>")) {
        q += 11;
        const char *e = strstr(q, "</layername>");
        if (!e)
            break;
        while (q < e) {
            if (*q == '&')
                decode_entity(&q, b);
            else
                buf_add(b, q++, 1);
        }
        buf_add(b, "\n", 1);
    }
    free(x.s);
}

static void qgis_texts(const char *dir, struct buf *b)
{
    char path[4700];
    snprintf(path, sizeof path, "%s/quartier.gpkg", dir);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    gpkg_query(ds, "SELECT description FROM layer_styles", plain_line, b);
    gpkg_query(ds, "SELECT styleQML FROM layer_styles", qml_labels, b);
    gpkg_query(ds, "SELECT content FROM qgis_projects", qgis_project, b);
    GDALClose(ds);
}

#endif
