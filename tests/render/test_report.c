/*
 * Tests for the report document (doc.c, doc_pdf.c): HTML escaping, a
 * well-formed self-contained page with inlined maps whose ids do not clash,
 * PDF pagination with page numbers, and a table whose long last column the PDF draws under
 * each row (wide_last).
 */
#include "test_util.h"

#include <ctype.h>
#include <sys/stat.h>
#include <unistd.h>

#include "font_cleanup.h"
#include "quartier/doc.h"
#include "quartier/map.h"
#include "quartier/palette.h"
#include "xmlcheck.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qtr_report_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (!getenv("QTR_KEEP_TMP")) {
        const char *names[] = {"a.svg", "b.svg", "r.html", "r.pdf", "long.pdf", "short.pdf"};
        char p[128];
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            snprintf(p, sizeof p, "%s/%s", dir, names[i]);
            unlink(p);
        }
        rmdir(dir);
    }
    qtr_test_font_cleanup();
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) {
        s[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t c = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        c++;
    return c;
}

/* Pages of a PDF by its page objects: "/Type /Page" not followed by "s". */
static size_t pdf_pages(const char *path)
{
    size_t len = 0;
    char *s = slurp(path, &len);
    assert_non_null(s);
    size_t c = 0;
    const char *key = "/Type /Page";
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl < len; i++)
        if (memcmp(s + i, key, kl) == 0 && s[i + kl] != 's')
            c++;
    free(s);
    return c;
}

static void test_escape(void **state)
{
    (void)state;
    struct qtr_buf b = {0};
    assert_int_equal(qtr_html_escape(&b, "<a href=\"x\">Tom & Jerry's</a>"), 0);
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    b.len = 0;
    /* UTF-8 passes unchanged, NULL appends nothing */
    assert_int_equal(qtr_html_escape(&b, "Mühlenkamp – Süd"), 0);
    assert_int_equal(qtr_html_escape(&b, NULL), 0);
    assert_string_equal(b.data, "Mühlenkamp – Süd");
    qtr_buf_release(&b);
}

/* Two unit squares side by side (metres). */
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

static void test_html_selfcontained(void **state)
{
    (void)state;
    struct qtr_shapes *s = squares();
    int cls[2] = {0, 1};
    struct qtr_rgb col[2] = {{200, 200, 255}, {20, 20, 120}};
    const char *lab[2] = {"A & B", "<C>"};
    struct qtr_map_label names[2] = {{"Nord<script>", 500500, 5800500},
                                     {"Süd & Ost", 501500, 5800500}};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 2,
                        .colors = col,
                        .class_labels = lab,
                        .title = "Karte \"eins\"",
                        .source = "Quelle: test",
                        .labels = names,
                        .nlabels = 2,
                        .nodata_color = qtr_palette_nodata()};
    char a[128], b[128], html[128];
    snprintf(a, sizeof a, "%s/a.svg", dir);
    snprintf(b, sizeof b, "%s/b.svg", dir);
    snprintf(html, sizeof html, "%s/r.html", dir);
    struct qtr_error err = {0};
    assert_int_equal(qtr_map_render(&m, QTR_MAP_SVG, a, NULL, &err), 0);
    /* the second map with glyph symbols: <symbol id=...> + <use xlink:href="#..."> */
    m.title = "Karte zwei";
    m.svg_glyphs = 1;
    assert_int_equal(qtr_map_render(&m, QTR_MAP_SVG, b, NULL, &err), 0);
    m.svg_glyphs = 0;

    struct qtr_doc *d = qtr_doc_new("de", "Bericht <Test> & \"Rat\"", "Stand 2024");
    assert_non_null(d);
    assert_int_equal(qtr_doc_heading(d, 1, "Zusammenfassung"), 0);
    assert_int_equal(qtr_doc_para(d, QTR_DOC_PARA, "<script>alert('x')</script> & mehr"), 0);
    const char *head[2] = {"Gebiet", "Wert"};
    const unsigned char num[2] = {0, 1};
    assert_int_equal(qtr_doc_table(d, "Tabelle <1>", 2, head, num), 0);
    const char *row1[2] = {"<b>Nord</b>", "0,25"};
    const char *row2[2] = {NULL, "1.234,5"};
    assert_int_equal(qtr_doc_row(d, row1), 0);
    assert_int_equal(qtr_doc_row(d, row2), 0);
    assert_int_equal(qtr_doc_heading(d, 2, "Karten"), 0);
    m.title = "Karte \"eins\"";
    assert_int_equal(qtr_doc_map(d, &m, a), 0);
    m.title = "Karte zwei";
    assert_int_equal(qtr_doc_map(d, &m, b), 0);
    /* a row after a non-table block is a usage error */
    assert_int_equal(qtr_doc_row(d, row1), QTR_ERR_USAGE);
    assert_int_equal(qtr_doc_write_html(d, html, &err), 0);

    char *h = slurp(html, NULL);
    assert_non_null(h);
    const char *bad = xmlcheck(h);
    if (bad)
        fail_msg("report.html is not well-formed: %s", bad);
    assert_non_null(strstr(h, "<html lang=\"de\">"));
    assert_non_null(strstr(h, "<title>Bericht &lt;Test&gt; &amp; &quot;Rat&quot;</title>"));
    assert_null(strstr(h, "<script"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; mehr"));
    assert_non_null(strstr(h, "<td>&lt;b&gt;Nord&lt;/b&gt;</td>"));
    assert_non_null(strstr(h, "<td class=\"num\">1.234,5</td>"));
    assert_non_null(strstr(h, "<caption>Tabelle &lt;1&gt;</caption>"));
    /* two inline SVGs, no external reference of any kind */
    assert_int_equal(count(h, "<svg"), 2);
    assert_null(strstr(h, "http://"));
    assert_null(strstr(h, "https://"));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "@import"));
    /* every id is prefixed per map; each reference points into its own map */
    size_t ids = count(h, " id=\"m1-") + count(h, " id=\"m2-");
    assert_true(ids > 0);
    assert_int_equal(count(h, " id=\"") - count(h, " id=\"s"), ids);
    assert_int_equal(count(h, "url(#"), count(h, "url(#m1-") + count(h, "url(#m2-"));
    assert_int_equal(count(h, "href=\"#m"), count(h, "href=\"#") - count(h, "href=\"#s"));
    assert_non_null(strstr(h, "<svg role=\"img\" aria-label=\"Karte &quot;eins&quot;\""));
    /* cairo's 6 decimals are cut to 2, and no digit is lost before the decimal point */
    for (const char *sv = strstr(h, "<svg"); sv; sv = strstr(sv + 1, "<svg")) {
        const char *end = strstr(sv, "</svg>");
        assert_non_null(end);
        for (const char *q = sv; q < end; q++)
            if (q[0] == '.' && isdigit((unsigned char)q[-1]) && isdigit((unsigned char)q[1]) &&
                isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]))
                fail_msg("number with more than 2 decimals: %.20s", q - 4);
    }
    char *orig = slurp(a, NULL);
    assert_non_null(orig);
    assert_non_null(strstr(orig, "width=\"842pt\""));
    assert_non_null(strstr(h, "width=\"842pt\""));
    free(orig);
    assert_true(count(h, "<use xlink:href=\"#m2-") > 0);
    assert_int_equal(count(h, "<use xlink:href=\"#m1-"), 0); /* map 1 has outlines */
    /* the contents list links the section */
    assert_non_null(strstr(h, "<a href=\"#s1\">Zusammenfassung</a>"));
    assert_non_null(strstr(h, "<h2 id=\"s1\">Zusammenfassung</h2>"));
    free(h);
    qtr_doc_free(d);
    qtr_shapes_free(s);
}

static void test_pdf_pagination(void **state)
{
    (void)state;
    struct qtr_shapes *s = squares();
    int cls[2] = {0, -1};
    struct qtr_rgb col[1] = {{200, 200, 255}};
    const char *lab[1] = {"eine Klasse"};
    struct qtr_map m = {.shapes = s,
                        .cls = cls,
                        .nclass = 1,
                        .colors = col,
                        .class_labels = lab,
                        .title = "Karte",
                        .nodata_color = qtr_palette_nodata()};
    struct qtr_error err = {0};
    char path[128];

    /* short: title, one paragraph, a map -> one page */
    struct qtr_doc *d = qtr_doc_new("de", "Kurz", NULL);
    assert_int_equal(qtr_doc_heading(d, 1, "Eins"), 0);
    assert_int_equal(qtr_doc_para(d, QTR_DOC_PARA, "Ein Absatz."), 0);
    assert_int_equal(qtr_doc_map(d, &m, NULL), 0);
    snprintf(path, sizeof path, "%s/short.pdf", dir);
    size_t np = 0;
    assert_int_equal(qtr_doc_write_pdf(d, path, &np, &err), 0);
    assert_int_equal(np, 1);
    assert_int_equal(pdf_pages(path), 1);
    qtr_doc_free(d);

    /*
     * long: 300 rows of 9 pt (7.2 pt text + padding) need at least 300 * 14 pt =
     * 4200 pt of the 726 pt of A4 between the margins: at least 6 pages
     */
    d = qtr_doc_new("en", "Long", "many rows");
    assert_int_equal(qtr_doc_heading(d, 1, "Table"), 0);
    const char *head[3] = {"No.", "Name", "Long text"};
    assert_int_equal(qtr_doc_table(d, "Rows", 3, head, NULL), 0);
    for (int i = 0; i < 300; i++) {
        char no[16];
        snprintf(no, sizeof no, "%d", i + 1);
        const char *row[3] = {no, "Hochfeld-Zentrum",
                              "a reason long enough to need two lines when the column is narrow "
                              "because the table has to share the page width with others"};
        assert_int_equal(qtr_doc_row(d, row), 0);
    }
    assert_int_equal(qtr_doc_para(d, QTR_DOC_NOTE, "end"), 0);
    snprintf(path, sizeof path, "%s/long.pdf", dir);
    assert_int_equal(qtr_doc_write_pdf(d, path, &np, &err), 0);
    assert_true(np >= 6);
    assert_int_equal(pdf_pages(path), np);
    /* with a fixed creation date the PDF is byte-identical when written again */
    d->created = strdup("2024-02-01T00:00:00Z");
    size_t len1 = 0, len2 = 0;
    assert_int_equal(qtr_doc_write_pdf(d, path, NULL, &err), 0);
    char *first = slurp(path, &len1);
    assert_int_equal(qtr_doc_write_pdf(d, path, NULL, &err), 0);
    char *second = slurp(path, &len2);
    assert_non_null(first);
    assert_non_null(second);
    assert_int_equal(len1, len2);
    assert_memory_equal(first, second, len1);
    free(first);
    free(second);
    qtr_doc_free(d);
    qtr_shapes_free(s);
}

/* The attention table of Berlin (issue 10): five short columns and a reason of ~300
 * characters. Drawn as a sixth column the reason wraps to many lines; drawn under each row at
 * the full width it takes a few, so the table needs fewer pages. */
static size_t reasons_pages(int wide)
{
    struct qtr_error err = {0};
    struct qtr_doc *d = qtr_doc_new("de", "Gründe", NULL);
    const char *head[6] = {"Nr.", "Gebiet", "Bezirk", "Gruppe", "Statusindex", "Begründung"};
    const unsigned char num[6] = {0, 0, 0, 0, 1, 0};
    assert_int_equal(qtr_doc_table(d, NULL, 6, head, num), 0);
    if (wide)
        assert_int_equal(qtr_doc_table_wide_last(d), 0);
    for (int i = 0; i < 120; i++) {
        char no[16];
        snprintf(no, sizeof no, "%08d", i + 1);
        const char *row[6] = {
            no, "Rudolf-Wissell-Großsiedlung", "Friedrichshain-Kreuzberg", "4+/-", "2,82",
            "Status sehr niedrig – Transferbezug (SGB II und XII): 33,0 % (Gebietsmittel "
            "10,9 %; 3,1 SD über Mittel), Arbeitslosigkeit (SGB II und III): 12,8 % "
            "(Gebietsmittel 5,0 %; 2,7 SD über Mittel); Dynamik positiv – Veränderung "
            "Transferbezug (SGB II und XII): -3,9 Pp."};
        assert_int_equal(qtr_doc_row(d, row), 0);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/reasons%d.pdf", dir, wide);
    size_t np = 0;
    assert_int_equal(qtr_doc_write_pdf(d, path, &np, &err), 0);
    assert_int_equal(pdf_pages(path), np);
    qtr_doc_free(d);
    return np;
}

static void test_pdf_wide_last(void **state)
{
    (void)state;
    size_t narrow = reasons_pages(0), wide = reasons_pages(1);
    /* 120 rows: the wide reason is 3 lines + 1 line of the other cells (~4.5 * 9 pt), the
     * narrow one about 10 lines; A4 holds ~726 pt */
    assert_true(wide * 2 <= narrow);
    assert_true(wide <= 120 * 5 * 9 / 726 + 1);
    /* only a table of at least two columns */
    struct qtr_doc *d = qtr_doc_new("de", "x", NULL);
    assert_int_equal(qtr_doc_table_wide_last(d), QTR_ERR_USAGE);
    assert_int_equal(qtr_doc_para(d, QTR_DOC_PARA, "Absatz"), 0);
    assert_int_equal(qtr_doc_table_wide_last(d), QTR_ERR_USAGE);
    const char *h1[1] = {"eins"};
    assert_int_equal(qtr_doc_table(d, NULL, 1, h1, NULL), 0);
    assert_int_equal(qtr_doc_table_wide_last(d), QTR_ERR_USAGE);
    qtr_doc_free(d);
}

static void test_pdf_bad_path(void **state)
{
    (void)state;
    struct qtr_doc *d = qtr_doc_new("de", "x", NULL);
    struct qtr_error err = {0};
    assert_int_equal(qtr_doc_write_pdf(d, "/nonexistent-dir/r.pdf", NULL, &err), QTR_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/r.pdf"));
    assert_int_equal(qtr_doc_write_html(d, "/nonexistent-dir/r.html", &err), QTR_ERR_IO);
    qtr_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_html_selfcontained),
        cmocka_unit_test(test_pdf_pagination),
        cmocka_unit_test(test_pdf_wide_last),
        cmocka_unit_test(test_pdf_bad_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
