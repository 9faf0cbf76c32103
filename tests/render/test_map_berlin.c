/*
 * Integration test on real data: the 542 Berlin planning areas (LOR 2021)
 * with the MSS 2021 status index (../shared/data/berlin, see PROVENANCE.md),
 * drawn as a categorical map with district labels, and the population as a
 * Jenks choropleth. Checks pixels at points on the surface of features.
 */
#include "test_util.h"

#include <cairo.h>
#include <gdal.h>
#include <ogr_api.h>
#include <unistd.h>

#include "font_cleanup.h"
#include "quartier/classify.h"
#include "quartier/map.h"

#define NMAX 600

struct berlin {
    struct qtr_shapes *s;
    char id[NMAX][16];
    char name[NMAX][64];
    double px[NMAX], py[NMAX]; /* point on surface */
    size_t n;
};

static int add_polygon(OGRGeometryH poly, struct qtr_shapes *s, size_t *cap)
{
    int nr = OGR_G_GetGeometryCount(poly);
    for (int r = 0; r < nr; r++) {
        OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
        int np = OGR_G_GetPointCount(ring);
        if (s->npoints + (size_t)np > *cap) {
            *cap = 2 * (*cap + (size_t)np);
            s->x = realloc(s->x, *cap * sizeof(double));
            s->y = realloc(s->y, *cap * sizeof(double));
        }
        s->ring_pt[s->nrings] = s->npoints;
        s->ring_hole[s->nrings] = r > 0;
        for (int i = 0; i < np; i++) {
            s->x[s->npoints] = OGR_G_GetX(ring, i);
            s->y[s->npoints] = OGR_G_GetY(ring, i);
            s->npoints++;
        }
        s->nrings++;
    }
    return 0;
}

static void load(const char *shared, struct berlin *b)
{
    char path[1024];
    snprintf(path, sizeof path,
             "%s/data/berlin/lor2021_plr542/geometry/lor_planungsraeume_2021.shp", shared);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    struct qtr_shapes *s = calloc(1, sizeof *s);
    s->feat_ring = malloc((NMAX + 1) * sizeof(size_t));
    s->ring_pt = malloc(8 * NMAX * sizeof(size_t));
    s->ring_hole = malloc(8 * NMAX);
    size_t cap = 0;
    OGRFeatureH f;
    b->n = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        assert_true(b->n < NMAX);
        snprintf(b->id[b->n], 16, "%s", OGR_F_GetFieldAsString(f, 0));
        snprintf(b->name[b->n], 64, "%s", OGR_F_GetFieldAsString(f, 1));
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        s->feat_ring[b->n] = s->nrings;
        if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon) {
            add_polygon(g, s, &cap);
        } else {
            for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
                add_polygon(OGR_G_GetGeometryRef(g, i), s, &cap);
        }
        assert_true(s->nrings < 8 * NMAX);
        OGRGeometryH p = OGR_G_PointOnSurface(g);
        b->px[b->n] = OGR_G_GetX(p, 0);
        b->py[b->n] = OGR_G_GetY(p, 0);
        OGR_G_DestroyGeometry(p);
        OGR_F_Destroy(f);
        b->n++;
    }
    s->n = b->n;
    s->feat_ring[b->n] = s->nrings;
    s->ring_pt[s->nrings] = s->npoints;
    b->s = s;
    GDALClose(ds);
}

/* Field `col` (0-based) of a CSV line with quoted fields and no embedded commas in quotes. */
static void csv_field(const char *line, int col, char *out, size_t size)
{
    int c = 0;
    size_t w = 0;
    for (const char *p = line; *p && *p != '\n' && *p != '\r'; p++) {
        if (*p == ',') {
            if (c == col)
                break;
            c++;
            continue;
        }
        if (c == col && *p != '"' && w + 1 < size)
            out[w++] = *p;
    }
    out[w] = '\0';
}

static uint32_t pixel(cairo_surface_t *img, double px, double py)
{
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *d = cairo_image_surface_get_data(img);
    return *(const uint32_t *)(d + (int)py * stride + 4 * (int)px) & 0xFFFFFFu;
}

static void test_berlin_status_map(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    static struct berlin b;
    load(shared, &b);
    assert_int_equal(b.n, 542);

    char path[1024], line[1024], id[32], si[8], ew[16];
    snprintf(path, sizeof path, "%s/data/berlin/lor2021_plr542/mss_2021_indizes.csv", shared);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int cls[NMAX];
    double pop[NMAX];
    for (size_t i = 0; i < b.n; i++) {
        cls[i] = -1;
        pop[i] = NAN;
    }
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        csv_field(line, 1, id, sizeof id);
        csv_field(line, 5, si, sizeof si);
        csv_field(line, 3, ew, sizeof ew);
        for (size_t i = 0; i < b.n; i++) {
            if (strcmp(b.id[i], id) == 0) {
                char *end;
                long v = strtol(si, &end, 10);
                cls[i] = end != si && v >= 1 && v <= 4 ? (int)v - 1 : -1;
                double e = strtod(ew, &end);
                pop[i] = end != ew ? e : NAN;
            }
        }
    }
    fclose(f);

    struct qtr_rgb col[4];
    assert_int_equal(qtr_palette_colors(QTR_PAL_PURPLES, 4, col, NULL), 0);
    const char *labels[] = {"1 hoch", "2 mittel", "3 niedrig", "4 sehr niedrig"};
    struct qtr_map_label lab[NMAX];
    for (size_t i = 0; i < b.n; i++) {
        lab[i].text = b.name[i];
        lab[i].x = b.px[i];
        lab[i].y = b.py[i];
    }
    struct qtr_map m = {.shapes = b.s,
                        .cls = cls,
                        .nclass = 4,
                        .colors = col,
                        .class_labels = labels,
                        .legend_title = "Statusindex (MSS 2021)",
                        .nodata_label = "nicht bewertet (< 300 Einwohner)",
                        .nodata_color = qtr_palette_nodata(),
                        .title = "Monitoring Soziale Stadtentwicklung Berlin 2021",
                        .subtitle = "Statusindex der 542 Planungsr\xc3\xa4ume",
                        .source = "Quelle: Senatsverwaltung f\xc3\xbcr Stadtentwicklung, "
                                  "Bauen und Wohnen Berlin, MSS 2021; Geometrie: LOR 2021",
                        .date = "Stand: 31.12.2020"};
    char dir[] = "/tmp/qtr_berlin_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[128];
    snprintf(out, sizeof out, "%s/status.png", dir);
    struct qtr_map_layout l;
    struct qtr_error err = {0};
    int rc = qtr_map_render(&m, QTR_MAP_PNG, out, &l, &err);
    if (rc)
        fail_msg("%s", err.msg);
    /* every feature's point on surface has its class colour (no labels drawn here) */
    cairo_surface_t *img = cairo_image_surface_create_from_png(out);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    double k = 150.0 / 72.0;
    size_t ok = 0;
    for (size_t i = 0; i < b.n; i++) {
        double px = (l.tx + l.scale * b.px[i]) * k, py = (l.ty - l.scale * b.py[i]) * k;
        struct qtr_rgb want = cls[i] >= 0 ? col[cls[i]] : qtr_palette_nodata();
        uint32_t w = ((uint32_t)want.r << 16) | ((uint32_t)want.g << 8) | want.b;
        ok += pixel(img, px, py) == w;
    }
    cairo_surface_destroy(img);
    /* a point on the surface of a very thin area can fall on an outline pixel */
    assert_true(ok >= b.n - b.n / 20);

    /* with labels: collision avoidance keeps only a subset of 542 names */
    m.labels = lab;
    m.nlabels = b.n;
    snprintf(out, sizeof out, "%s/status_labels.png", dir);
    assert_int_equal(qtr_map_render(&m, QTR_MAP_PNG, out, &l, &err), 0);
    assert_true(l.labels_placed > 20 && l.labels_placed < b.n);

    /* population as a Jenks choropleth, PDF */
    /* Reference: QGIS 3.22.16 classes on the same 541 EW values (QgsClassificationJenks,
     * QgsClassificationQuantile, QgsClassificationEqualInterval .classes(values, 5), run
     * through PyQGIS on mss_2021_indizes.csv) */
    size_t nvalid = 0;
    for (size_t i = 0; i < b.n; i++)
        nvalid += !isnan(pop[i]);
    assert_int_equal(nvalid, 541);
    struct qtr_classes c;
    const double q_quant[] = {0, 3965, 6064, 7733, 9832, 16111};
    const double q_equal[] = {0, 3222.2, 6444.4, 9666.6, 12888.8, 16111};
    assert_int_equal(qtr_classify(pop, b.n, QTR_CLASS_QUANTILE, 5, 0, &c, &err), 0);
    assert_int_equal(c.k, 5);
    for (int i = 0; i <= 5; i++)
        assert_close(c.limits[i], q_quant[i], 1e-9);
    qtr_classes_release(&c);
    assert_int_equal(qtr_classify(pop, b.n, QTR_CLASS_EQUAL, 5, 0, &c, &err), 0);
    for (int i = 0; i <= 5; i++)
        assert_close(c.limits[i], q_equal[i], 1e-9);
    qtr_classes_release(&c);
    assert_int_equal(qtr_classify(pop, b.n, QTR_CLASS_JENKS, 5, 0, &c, &err), 0);
    const double q_jenks[] = {0, 4125, 6623, 9013, 11788, 16111};
    assert_int_equal(c.k, 5);
    for (int i = 0; i <= 5; i++)
        assert_close(c.limits[i], q_jenks[i], 0);
    struct qtr_rgb vc[5];
    char lt[5][64];
    const char *lp[5];
    assert_int_equal(qtr_palette_colors(QTR_PAL_VIRIDIS, c.k, vc, NULL), 0);
    for (size_t i = 0; i < c.k; i++) {
        assert_int_equal(
            qtr_class_label_de(c.limits[i], c.limits[i + 1], 0, "Einw.", lt[i], sizeof lt[i]), 0);
        lp[i] = lt[i];
    }
    struct qtr_map p = m;
    p.cls = c.cls;
    p.nclass = c.k;
    p.colors = vc;
    p.class_labels = lp;
    p.labels = NULL;
    p.nlabels = 0;
    p.nodata_label = "keine Angabe";
    p.legend_title = "Einwohner (nat\xc3\xbcrliche Klassen nach Jenks)";
    p.subtitle = "Einwohner der Planungsr\xc3\xa4ume";
    snprintf(out, sizeof out, "%s/population.pdf", dir);
    assert_int_equal(qtr_map_render(&p, QTR_MAP_PDF, out, NULL, &err), 0);
    snprintf(out, sizeof out, "%s/population.png", dir);
    assert_int_equal(qtr_map_render(&p, QTR_MAP_PNG, out, NULL, &err), 0);
    qtr_classes_release(&c);

    if (!getenv("QTR_KEEP_TMP")) {
        const char *names[] = {"status.png", "status_labels.png", "population.pdf",
                               "population.png"};
        for (size_t i = 0; i < 4; i++) {
            snprintf(out, sizeof out, "%s/%s", dir, names[i]);
            unlink(out);
        }
        rmdir(dir);
    }
    qtr_shapes_free(b.s);
    /* free process-wide font data for LeakSanitizer */
    qtr_test_font_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin_status_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
