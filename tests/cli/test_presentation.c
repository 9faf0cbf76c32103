/*
 * test_presentation.c - one presentation table on the Musterstadt outputs: every field of
 * every layer has an alias (gpkg_data_columns and the default QML); each quantity that is
 * both a QGIS style and a report map has the same classes, limits and colours in both;
 * p-values are in the four significance classes; no style has a single class.
 */
#include "../test_util.h"

#include <math.h>
#include <sqlite3.h>

#include "cli_util.h"
#include "publish_util.h"
#include "quartier/present.h"

static char dir[4096];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
    char args[12288];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 19",
             qtr_test_path("geodata/musterstadt/analysis.ini"), dir);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc)
        print_message("%s\n", out ? out : "");
    free(out);
    return rc;
}

static sqlite3 *open_db(void)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/quartier.gpkg", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

static char *text1(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (a)
        sqlite3_bind_text(s, 1, a, -1, SQLITE_TRANSIENT);
    if (b)
        sqlite3_bind_text(s, 2, b, -1, SQLITE_TRANSIENT);
    char *r = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        r = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return r;
}

/* Every column of every table (features and attributes) has an alias in gpkg_data_columns,
 * and every field of a layer an alias in its default QML; computed ones not just the name. */
static void test_every_field_has_an_alias(void **state)
{
    (void)state;
    sqlite3 *db = open_db();
    sqlite3_stmt *t = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT table_name, data_type FROM gpkg_contents WHERE "
                                        "table_name <> 'layer_styles'",
                                        -1, &t, NULL),
                     SQLITE_OK);
    size_t nfields = 0, nlayers = 0;
    while (sqlite3_step(t) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(t, 0);
        int features = !strcmp((const char *)sqlite3_column_text(t, 1), "features");
        char *geom = text1(db, "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?1",
                           table, NULL);
        char *qml = features ? text1(db,
                                     "SELECT styleQML FROM layer_styles WHERE f_table_name = ?1 "
                                     "AND useAsDefault",
                                     table, NULL)
                             : NULL;
        if (features) {
            assert_non_null(qml);
            nlayers++;
        }
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info('%s')", table);
        sqlite3_stmt *c = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &c, NULL), SQLITE_OK);
        while (sqlite3_step(c) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(c, 0);
            if (sqlite3_column_int(c, 1) || (geom && !strcmp(col, geom)))
                continue; /* fid and geometry */
            nfields++;
            char *alias = text1(db,
                                "SELECT name FROM gpkg_data_columns WHERE table_name = ?1 AND "
                                "column_name = ?2",
                                table, col);
            char *desc = text1(db,
                               "SELECT description FROM gpkg_data_columns WHERE table_name = ?1 "
                               "AND column_name = ?2",
                               table, col);
            if (!alias || !*alias)
                print_message("no alias: %s.%s\n", table, col);
            assert_true(alias && *alias);
            /* a column quartier computes has a name for people, not its column name */
            if (!strcmp(table, "districts") && desc && strncmp(desc, "Spalte '", 8) &&
                !strcmp(alias, col))
                fail_msg("districts.%s: the alias is the column name", col);
            if (features) {
                char want[1024];
                snprintf(want, sizeof want, "<alias field=\"%s\" name=\"", col);
                const char *a = strstr(qml, want);
                if (!a)
                    fail_msg("%s.%s: no alias in the default QML", table, col);
                assert_true(a[strlen(want)] != '"'); /* not empty */
            }
            free(alias);
            free(desc);
        }
        sqlite3_finalize(c);
        free(geom);
        free(qml);
    }
    sqlite3_finalize(t);
    sqlite3_close(db);
    assert_true(nlayers >= 2); /* districts and at least one cluster layer */
    assert_true(nfields > 150);
}

/* Colours of a QML's symbols in order (the catch-all last), as 0xRRGGBB. */
static size_t qml_colors(const char *qml, unsigned *out, size_t max)
{
    size_t n = 0;
    for (const char *p = strstr(qml, "<symbols>"); p && n < max;) {
        p = strstr(p, "<Option name=\"color\" type=\"QString\" value=\"");
        if (!p)
            break;
        p += strlen("<Option name=\"color\" type=\"QString\" value=\"");
        unsigned r, g, b;
        assert_int_equal(sscanf(p, "%u,%u,%u", &r, &g, &b), 3);
        out[n++] = r << 16 | g << 8 | b;
    }
    return n;
}

/* Number of classes of a QML: categories, ranges or rules (without the catch-all / ELSE). */
static size_t qml_classes(const char *qml)
{
    size_t n = 0;
    for (const char *p = qml; (p = strstr(p, "<category ")); p++)
        n += strncmp(strstr(p, "value=\""), "value=\"\"", 8) != 0;
    for (const char *p = qml; (p = strstr(p, "<range ")); p++)
        n++;
    for (const char *p = qml; (p = strstr(p, "<rule ")); p++)
        n += strncmp(strstr(p, "filter=\""), "filter=\"ELSE\"", 13) != 0;
    return n;
}

/* Fill colours of a cairo SVG (rgb(r%,g%,b%)), as 0xRRGGBB. */
static size_t svg_colors(const char *svg, unsigned *out, size_t max)
{
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "fill:rgb(")) && n < max; p++) {
        double r, g, b;
        if (sscanf(p + 9, "%lf%%,%lf%%,%lf%%", &r, &g, &b) != 3)
            continue;
        unsigned c = (unsigned)lround(r * 2.55) << 16 | (unsigned)lround(g * 2.55) << 8 |
                     (unsigned)lround(b * 2.55);
        size_t k = 0;
        while (k < n && out[k] != c)
            k++;
        if (k == n)
            out[n++] = c;
    }
    return n;
}

static int has(const unsigned *set, size_t n, unsigned c)
{
    for (size_t k = 0; k < n; k++) {
        /* the SVG's percentages have 6 decimals: allow one unit per channel */
        int dr = (int)(set[k] >> 16) - (int)(c >> 16),
            dg = (int)(set[k] >> 8 & 255) - (int)(c >> 8 & 255),
            db = (int)(set[k] & 255) - (int)(c & 255);
        if (abs(dr) <= 1 && abs(dg) <= 1 && abs(db) <= 1)
            return 1;
    }
    return 0;
}

/*
 * The property: a quantity shown both as a QGIS style and as a report map has the same
 * classes in the same colours. Every class colour of the QML is in the map (its legend lists
 * every class), and every coloured fill of the map (not a grey of text, frame or
 * "keine Angabe") is one of the QML's colours, so the maps have as many classes as the style.
 */
static void compare(sqlite3 *db, const char *field, const char *stem)
{
    char *qml = text1(db,
                      "SELECT styleQML FROM layer_styles WHERE f_table_name = 'districts' AND "
                      "styleName = ?1",
                      field, NULL);
    if (!qml)
        fail_msg("no style '%s'", field);
    char path[8192];
    snprintf(path, sizeof path, "%s/maps/%s.svg", dir, stem);
    char *svg = qtr_read_file(path, NULL);
    if (!svg)
        fail_msg("no map %s", path);
    unsigned qc[64], sc[512];
    size_t nq = qml_colors(qml, qc, 64), ns = svg_colors(svg, sc, 512);
    size_t k = qml_classes(qml);
    if (!(k >= 2 && k <= nq))
        fail_msg("%s: %zu classes, %zu colours in the QML", field, k, nq);
    for (size_t j = 0; j < k; j++)
        if (!has(sc, ns, qc[j]))
            fail_msg("%s: class %zu colour #%06x of the QGIS style is not on map %s", field, j,
                     qc[j], stem);
    for (size_t j = 0; j < ns; j++) {
        unsigned r = sc[j] >> 16, g = sc[j] >> 8 & 255, b = sc[j] & 255;
        int grey = abs((int)r - (int)g) <= 2 && abs((int)g - (int)b) <= 2;
        struct qtr_rgb nd = qtr_palette_nodata(), nr = qtr_palette_not_rated(),
                       ov = qtr_present_overview_fill();
        unsigned special[3] = {(unsigned)nd.r << 16 | nd.g << 8 | nd.b,
                               (unsigned)nr.r << 16 | nr.g << 8 | nr.b,
                               (unsigned)ov.r << 16 | ov.g << 8 | ov.b};
        if (grey || has(special, 3, sc[j]))
            continue;
        if (!has(qc, k, sc[j]))
            fail_msg("%s: map %s has colour #%06x, which the QGIS style does not", field, stem,
                     sc[j]);
    }
    free(svg);
    free(qml);
}

static void test_styles_match_maps(void **state)
{
    (void)state;
    sqlite3 *db = open_db();
    static const char *const groups[] = {"mh", "auslaender", "dt_mit_mh", "dt_ohne_mh"};
    for (size_t g = 0; g < 4; g++) {
        char f[128], m[128];
        snprintf(f, sizeof f, "%s_share", groups[g]);
        snprintf(m, sizeof m, "share_%s", groups[g]);
        compare(db, f, m);
        snprintf(f, sizeof f, "%s_lq", groups[g]);
        snprintf(m, sizeof m, "lq_%s", groups[g]);
        compare(db, f, m);
        snprintf(f, sizeof f, "%s_lisa_cluster", groups[g]);
        snprintf(m, sizeof m, "lisa_%s", groups[g]);
        compare(db, f, m);
    }
    compare(db, "status_class", "status");
    compare(db, "status_code", "status");
    compare(db, "dynamics_class", "dynamics");
    compare(db, "status_dynamics", "status_dynamics");
    static const char *const ind[] = {"arbeitslosenquote", "sgb2_quote", "kinderarmut",
                                      "ohne_abschluss", "gymnasium_quote", "wohnflaeche",
                                      "sozialwohnungen", "leerstand"};
    for (size_t k = 0; k < sizeof ind / sizeof ind[0]; k++) {
        char m[128];
        snprintf(m, sizeof m, "indicator_%s", ind[k]);
        compare(db, ind[k], m);
    }
    sqlite3_close(db);
}

/* p-values: four significance classes, categorized; codes categorized; never "1 Klassen". */
static void test_style_kinds(void **state)
{
    (void)state;
    sqlite3 *db = open_db();
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT styleName, styleQML, description FROM "
                                        "layer_styles",
                                        -1, &s, NULL),
                     SQLITE_OK);
    size_t np = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        const char *qml = (const char *)sqlite3_column_text(s, 1);
        const char *desc = (const char *)sqlite3_column_text(s, 2);
        if (desc && (strstr(desc, " 1 Klassen") || strstr(desc, " 1 classes")))
            fail_msg("style %s: %s", name, desc);
        size_t n = strlen(name);
        int p = (n > 7 && !strcmp(name + n - 7, "_lisa_p")) ||
                (n > 5 && !strcmp(name + n - 5, "_lq_p"));
        if (p) {
            np++;
            assert_non_null(strstr(qml, "type=\"categorizedSymbol\""));
            assert_non_null(strstr(qml, "label=\"p &lt; 0,001\""));
            assert_non_null(strstr(qml, "label=\"p &lt; 0,01\""));
            assert_non_null(strstr(qml, "label=\"p &lt; 0,05\""));
            assert_non_null(strstr(qml, "label=\"nicht signifikant"));
            assert_int_equal(qml_classes(qml), 4);
        }
        if (!strcmp(name, "status_code") || !strcmp(name, "dynamics_code") ||
            !strcmp(name, "attention") || strstr(name, "_lq_high") || strstr(name, "cluster") ||
            strstr(name, "hotspot"))
            assert_non_null(strstr(qml, "type=\"categorizedSymbol\""));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_int_equal(np, 8); /* LISA and LQ p-values of four groups */
}

/* An indicator whose column would clash with a table's column: refused, exit 2, both named. */
static void test_clash_refused(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char src[8192], ini[8192];
    snprintf(src, sizeof src, "%s", qtr_test_path("tests/data/publish/analysis.ini"));
    snprintf(ini, sizeof ini, "%s/clash.ini", tmp);
    char *text = qtr_read_file(src, NULL);
    assert_non_null(text);
    FILE *fp = fopen(ini, "w");
    assert_non_null(fp);
    /* the fixture's relative paths, made absolute for the copy */
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (!strncmp(line, "source = ", 9))
            fprintf(fp, "source = %s/tests/data/publish/%.*s\n",
                    getenv("QTR_SOURCE_DIR") ? getenv("QTR_SOURCE_DIR") : ".", (int)(len - 9),
                    line + 9);
        else
            fprintf(fp, "%.*s\n", (int)len, line);
        line += len + (end != NULL);
    }
    fprintf(fp, "\n[indicator arbeitslose]\nexpr = 1.0 * \"Erwerbsfähige\"\n");
    fclose(fp);
    free(text);
    char args[20000], *out = NULL;
    snprintf(args, sizeof args, "run %s -o %s/out -q", ini, tmp);
    assert_int_equal(qtr_run_cli(args, &out), 2);
    assert_non_null(out);
    assert_non_null(strstr(out, "already has a column 'Arbeitslose' (from ew)"));
    assert_non_null(strstr(out, "[indicator arbeitslose]"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clash_refused),
        cmocka_unit_test(test_every_field_has_an_alias),
        cmocka_unit_test(test_styles_match_maps),
        cmocka_unit_test(test_style_kinds),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
