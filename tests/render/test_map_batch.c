/*
 * test_map_batch.c - maps drawn side by side (src/render/map_batch.c) give the files drawn one
 * after the other, byte for byte; a map's SVG does not depend on what the process drew before
 * (svg_ids.c renumbers cairo's process-wide ids); a failing job fails alone.
 */
#include "test_util.h"

#include <cairo.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/render/svg_ids.h"
#include "font_cleanup.h"
#include "quartier/map.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qtr_batch_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (!getenv("QTR_KEEP_TMP")) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    qtr_test_font_cleanup();
    return 0;
}

/* 2 x 2 squares of 1 km; the last one has no data (hatched). */
static struct qtr_shapes *squares(void)
{
    struct qtr_shapes *s = calloc(1, sizeof *s);
    s->n = s->nrings = 4;
    s->npoints = 20;
    s->feat_ring = malloc(5 * sizeof(size_t));
    s->ring_pt = malloc(5 * sizeof(size_t));
    s->ring_hole = calloc(4, 1);
    s->x = malloc(20 * sizeof(double));
    s->y = malloc(20 * sizeof(double));
    double sq[5][2] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}};
    for (size_t f = 0; f < 4; f++) {
        s->feat_ring[f] = f;
        s->ring_pt[f] = 5 * f;
        for (size_t i = 0; i < 5; i++) {
            s->x[5 * f + i] = 390000 + 1000.0 * (double)(f % 2) + sq[i][0];
            s->y[5 * f + i] = 5820000 + 1000.0 * (double)(f / 2) + sq[i][1];
        }
    }
    s->feat_ring[4] = 4;
    s->ring_pt[4] = 20;
    return s;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
    d[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return d;
}

static void assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *da = slurp(a, &na), *db = slurp(b, &nb);
    assert_true(na > 100);
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    free(da);
    free(db);
}

static void test_side_by_side_same_files(void **state)
{
    (void)state;
    struct qtr_shapes *s = squares();
    int cls[4] = {0, 1, 1, -1};
    struct qtr_rgb col[2] = {{240, 200, 100}, {120, 40, 90}};
    const char *labels[] = {"niedrig", "hoch"};
    struct qtr_map_label lab[] = {{"Nord", 390500, 5821500},
                                  {"S\xc3\xbc"
                                   "d",
                                   390500, 5820500}};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 2,
                        .colors = col,
                        .class_labels = labels,
                        .legend_title = "Anteil",
                        .nodata_color = qtr_palette_nodata(),
                        .nodata_label = "keine Angabe",
                        .title = "Vier Gebiete",
                        .subtitle = "zwei Klassen",
                        .source = "Quelle: Test",
                        .date = "Stand: 31.12.2024",
                        .created = "2024-12-31T00:00:00Z",
                        .labels = lab,
                        .nlabels = 2};
    struct qtr_map glyphs = m;
    glyphs.svg_glyphs = 1;
    static const char *const name[4] = {"map.png", "map.pdf", "map.svg", "map.inline.svg"};
    const enum qtr_map_format fmt[4] = {QTR_MAP_PNG, QTR_MAP_PDF, QTR_MAP_SVG, QTR_MAP_SVG};
    char par[4][160], seq[4][160];
    struct qtr_map_job job[4];
    for (int k = 0; k < 4; k++) {
        snprintf(par[k], sizeof par[k], "%s/par-%s", dir, name[k]);
        snprintf(seq[k], sizeof seq[k], "%s/seq-%s", dir, name[k]);
        job[k] = (struct qtr_map_job){k == 3 ? &glyphs : &m, fmt[k], par[k]};
    }
    int st[4] = {-1, -1, -1, -1};
    struct qtr_error err[4];
    qtr_map_render_jobs(job, 4, 2, st, err);
    for (int k = 0; k < 4; k++)
        if (st[k])
            fail_msg("%s: %s", name[k], err[k].msg);
    /* more surfaces in between: cairo's process-wide surface numbers move on */
    for (int i = 0; i < 5; i++)
        cairo_surface_destroy(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 2, 2));
    for (int k = 0; k < 4; k++) {
        struct qtr_error e = {0};
        if (qtr_map_render(job[k].map, fmt[k], seq[k], NULL, &e))
            fail_msg("%s: %s", name[k], e.msg);
        assert_same_file(par[k], seq[k]);
    }
    /* the SVG's page group is surface 1 of the file, whatever came before */
    size_t n;
    char *svg = slurp(seq[2], &n);
    char *g = strstr(svg, "<g id=\"surface");
    assert_non_null(g);
    assert_int_equal(strncmp(g, "<g id=\"surface1\"", 16), 0);
    assert_null(strstr(g + 16, "\"surface"));
    /* the title right after the start tag */
    char *t = strstr(svg, "<title>Vier Gebiete</title>");
    assert_non_null(t);
    assert_true(t > strstr(svg, "<svg") && t < g);
    free(svg);

    /* a job that cannot write fails alone, with its own message */
    char bad[200];
    snprintf(bad, sizeof bad, "%s/missing/map.svg", dir);
    job[2].path = bad;
    snprintf(par[0], sizeof par[0], "%s/again.png", dir);
    job[0].path = par[0];
    qtr_map_render_jobs(job, 3, 2, st, err);
    assert_int_equal(st[0], QTR_OK);
    assert_int_equal(st[1], QTR_OK);
    assert_int_equal(st[2], QTR_ERR_IO);
    assert_non_null(strstr(err[2].msg, "missing/map.svg"));
    qtr_shapes_free(s);
}

static void finish(const char *svg, const char *insert, const char *want)
{
    struct qtr_buf b = {0};
    assert_int_equal(qtr_svg_finish(&b, svg, strlen(svg), insert), QTR_OK);
    assert_int_equal(b.len, strlen(want));
    if (b.len)
        assert_string_equal(b.data, want);
    qtr_buf_release(&b);
}

static void test_svg_finish(void **state)
{
    (void)state;
    /* the insert after the start tag; surface and image ids numbered by first appearance,
     * each kind on its own; per-file ids (clip, glyph) and plain text kept */
    finish("<?xml version=\"1.0\"?>\n<svg width=\"2pt\">\n<defs><image id=\"image9\"/>"
           "<image id=\"image4\"/><clipPath id=\"clip3\"/></defs>\n<g id=\"surface17\">"
           "<use xlink:href=\"#image4\"/><use xlink:href=\"#image9\"/>"
           "<use xlink:href=\"#glyph0-2\"/><g clip-path=\"url(#clip3)\"/>"
           "<use xlink:href=\"#surface17\"/>surface5</g>\n</svg>\n",
           "<title>T</title>",
           "<?xml version=\"1.0\"?>\n<svg width=\"2pt\"><title>T</title>\n<defs><image "
           "id=\"image1\"/><image id=\"image2\"/><clipPath id=\"clip3\"/></defs>\n<g "
           "id=\"surface1\"><use xlink:href=\"#image2\"/><use xlink:href=\"#image1\"/>"
           "<use xlink:href=\"#glyph0-2\"/><g clip-path=\"url(#clip3)\"/>"
           "<use xlink:href=\"#surface1\"/>surface5</g>\n</svg>\n");
    /* no insert; an id at the very end; no start tag: copied as it is */
    finish("<svg><g id=\"surface3\"", NULL, "<svg><g id=\"surface1\"");
    finish("<g id=\"surface", "<title/>", "<g id=\"surface");
    finish("", "<title/>", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_side_by_side_same_files),
        cmocka_unit_test(test_svg_finish),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
