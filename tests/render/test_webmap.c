/*
 * Tests for the interactive map of the HTML report (webmap.c) and the compact inline SVG
 * (svg_compact.c): the data the page script reads, computed by hand on two squares, the
 * escaping that keeps names from ending the script, the error without Leaflet, and path
 * data and style classes by hand.
 */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/render/svg_compact.h"
#include "font_cleanup.h"
#include "quartier/doc.h"
#include "quartier/map.h"
#include "quartier/palette.h"
#include "quartier/webmap.h"
#include "xmlcheck.h"

static size_t count(const char *h, const char *s)
{
    size_t n = 0;
    for (const char *p = strstr(h, s); p; p = strstr(p + 1, s))
        n++;
    return n;
}

/* Two 1000 m squares side by side from (500000, 5800000). */
static struct qtr_shapes *squares(void)
{
    struct qtr_shapes *s = calloc(1, sizeof *s);
    s->n = 2;
    s->nrings = 2;
    s->npoints = 10;
    s->feat_ring = malloc(3 * sizeof(size_t));
    s->ring_pt = malloc(3 * sizeof(size_t));
    s->ring_hole = calloc(2, 1);
    s->x = malloc(10 * sizeof(double));
    s->y = malloc(10 * sizeof(double));
    static const double sq[5][2] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}};
    for (size_t f = 0; f < 2; f++) {
        s->feat_ring[f] = f;
        s->ring_pt[f] = 5 * f;
        for (size_t k = 0; k < 5; k++) {
            s->x[5 * f + k] = 500000 + 1000.0 * (double)f + sq[k][0];
            s->y[5 * f + k] = 5800000 + sq[k][1];
        }
    }
    s->feat_ring[2] = 2;
    s->ring_pt[2] = 10;
    return s;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n)
        n = 0;
    s[n] = '\0';
    fclose(f);
    return s;
}

static void test_webmap_data(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/qtr_webmap_XXXXXX");
    assert_non_null(mkdtemp(dir));
    struct qtr_shapes *s = squares();
    const char *names[2] = {"Nord</script><b>", "Süd & \"Ost\""};
    const char *keys[2] = {"01", "02"};
    const char *parents[2] = {"A", "B"};
    const char *vals[2] = {"12,5 %", NULL};
    int cls1[2] = {0, 1}, cls2[2] = {-1, 0};
    struct qtr_rgb col[2] = {{200, 200, 255}, {20, 20, 120}};
    const char *lab[2] = {"niedrig", "hoch"};
    struct qtr_map m = {.shapes = s,
                        .cls = cls1,
                        .nclass = 2,
                        .colors = col,
                        .class_labels = lab,
                        .title = "Karte eins",
                        .legend_title = "Anteil",
                        .nodata_color = qtr_palette_nodata(),
                        .names = names,
                        .keys = keys,
                        .parents = parents,
                        .parent_label = "Bezirk",
                        .values = vals};
    char svg[128], html[128];
    snprintf(svg, sizeof svg, "%s/a.svg", dir);
    snprintf(html, sizeof html, "%s/r.html", dir);
    struct qtr_error err = {0};
    assert_int_equal(qtr_map_render(&m, QTR_MAP_SVG, svg, NULL, &err), 0);
    struct qtr_doc *d = qtr_doc_new("de", "Bericht", NULL);
    d->webmap = 1;
    assert_int_equal(qtr_doc_map(d, &m, svg), 0);
    m.cls = cls2;
    m.values = NULL;
    m.title = "Karte zwei";
    m.nodata_solid = 1;
    m.nodata_color = qtr_palette_not_rated();
    assert_int_equal(qtr_doc_map(d, &m, svg), 0);
    assert_int_equal(qtr_doc_write_html(d, html, &err), 0);
    char *h = slurp(html);
    assert_non_null(h);
    const char *bad = xmlcheck(h);
    if (bad)
        fail_msg("not well-formed: %s", bad);
    /* Leaflet and the page's own script, each in a CDATA section; the map after the first */
    assert_int_equal(count(h, "<script>/*<![CDATA[*/"), 2);
    assert_int_equal(count(h, "</script>"), 2);
    assert_true(strstr(h, "<figure class=\"webmap\"") > strstr(h, "<figure class=\"map\">"));
    assert_non_null(strstr(h, "<option value=\"0\">Karte eins</option><option value=\"1\">"
                              "Karte zwei</option>"));
    /* 2000 m extent: a 0.1 m grid (the 1-2-5 value below 2000 / 12800) from 500000, 5800000;
       each square once, delta-coded, without its closing point */
    assert_non_null(strstr(h, "\"step\":0.10000000000000001,"));
    assert_non_null(strstr(h, "\"f\":[{\"r\":[[0,0,10000,0,0,10000,-10000,0]]},"
                              "{\"r\":[[10000,0,10000,0,0,10000,-10000,0]]}]"));
    /* names escaped so that they cannot end the script */
    assert_non_null(strstr(h, "\"names\":[\"Nord\\u003c/script\\u003e\\u003cb\\u003e\","
                              "\"Süd \\u0026 \\\"Ost\\\"\"]"));
    assert_non_null(strstr(h, "\"keys\":[\"01\",\"02\"],\"parents\":[\"A\",\"B\"]"));
    assert_non_null(strstr(h, "\"parentLabel\":\"Bezirk\""));
    /* one class character per district; values of the first layer only */
    assert_non_null(strstr(h, "\"c\":[\"#c8c8ff\",\"#141478\"],\"l\":[\"niedrig\",\"hoch\"],"
                              "\"k\":\"01\",\"nd\":\"keine Angabe\",\"nds\":0"));
    assert_non_null(strstr(h, "\"v\":[\"12,5 %\",\"\"]"));
    assert_non_null(strstr(h, "\"k\":\"-0\""));
    assert_int_equal(count(h, "\"v\":"), 1);
    /* German UI */
    assert_non_null(strstr(h, "\"key\":\"Schlüssel\""));
    free(h);

    /* without Leaflet: an error that says what to install */
    setenv("QUARTIER_LEAFLET_DIR", "/nonexistent/leaflet", 1);
    int rc = qtr_doc_write_html(d, html, &err);
    unsetenv("QUARTIER_LEAFLET_DIR");
    assert_int_equal(rc, QTR_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/leaflet/leaflet.css"));
    assert_non_null(strstr(err.msg, "libjs-leaflet"));
    qtr_doc_free(d);
    qtr_shapes_free(s);
    unlink(svg);
    unlink(html);
    rmdir(dir);
}

static void test_path_compact(void **state)
{
    (void)state;
    struct qtr_buf b = {0};
    size_t used = 0;
    /*
     * In tenths: M (100, 200); L (105, 200) -> l .5 0; L (105, 192.5 -> 193) -> 0 -.7;
     * C from (105, 193): (110, 190) (120, 190) (120.4 -> 120, 200) -> c .5 -.3 1.5 -.3 1.5 .7;
     * Z back to (100, 200); the last M draws nothing.
     */
    const char *d = "M 10 20 L 10.5 20 L 10.5 19.25 C 11 19 12 19 12.04 20 Z M 10 20\"/>";
    assert_int_equal(qtr_svg_path_compact(&b, d, &used), 0);
    assert_string_equal(b.data, "M10 20l.5 0 0-.7c.5-.3 1.5-.3 1.5.7z");
    assert_int_equal(used, strlen(d) - 3);
    /* a second subpath is relative to where the first closed */
    b.len = 0;
    assert_int_equal(qtr_svg_path_compact(&b, "M 1 1 L 2 1 Z M 3 3 L 3.5 3.5 Z\"", &used), 0);
    assert_string_equal(b.data, "M1 1l1 0zm2 2l.5.5z");
    /* what cairo does not write is kept as it is */
    b.len = 0;
    assert_int_equal(qtr_svg_path_compact(&b, "M 0 0 H 5\"", &used), 0);
    assert_string_equal(b.data, "M0 0H 5");
    qtr_buf_release(&b);

    struct qtr_svg_styles st = {0};
    const char *s1 = "fill:rgb(74.117647%,1%,2%);stroke-width:0.35;";
    assert_int_equal(qtr_svg_style_class(&b, &st, "m1-", s1, strlen(s1)), 0);
    assert_int_equal(qtr_svg_style_class(&b, &st, "m1-", "stroke:none;", 12), 0);
    assert_int_equal(qtr_svg_style_class(&b, &st, "m1-", s1, strlen(s1)), 0);
    assert_string_equal(b.data, " class=\"m1-s0\" class=\"m1-s1\" class=\"m1-s0\"");
    b.len = 0;
    assert_int_equal(qtr_svg_style_sheet(&b, &st, "m1-"), 0);
    assert_string_equal(b.data, "<style>.m1-s0{fill:rgb(74.11%,1%,2%);stroke-width:0.35;}"
                                ".m1-s1{stroke:none;}</style>");
    qtr_svg_styles_release(&st);
    qtr_buf_release(&b);
}

static int teardown(void **state)
{
    (void)state;
    qtr_test_font_cleanup(); /* cairo's and fontconfig's caches, for LeakSanitizer */
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_webmap_data),
        cmocka_unit_test(test_path_compact),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
