/*
 * The report at scale (issue 12; report_scale.c, map_raster.c): a generated grid of 2,000
 * cells (tools/gen_grid) with [report] full_detail_up_to lowered to 1,000 gets raster maps
 * (an image per map in the PDF and the HTML, a bounded number of vector paths), no
 * interactive map, the attention table and the table of extreme values cut to their 20
 * first and last rows with the summary line, while the GeoPackage and the GeoJSON hold every cell. The same grid with
 * full_detail_up_to = 2,000 (the run is not above it) gets the vector report as before.
 */
#include "report_check.h"

#define NCELLS 2000

static size_t count(const char *s, const char *pat)
{
    size_t n = 0;
    for (const char *p = s ? strstr(s, pat) : NULL; p; p = strstr(p + 1, pat))
        n++;
    return n;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Occurrences of pat in the file dir/name, which may hold NUL bytes (a PDF). */
static size_t count_in_file(const char *dir, const char *name, const char *pat)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    long n = file_size(p);
    FILE *f = fopen(p, "rb");
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!f || !s || fread(s, 1, (size_t)n, f) != (size_t)n)
        fail_msg("cannot read %s", p);
    fclose(f);
    size_t k = 0, m = strlen(pat);
    for (size_t i = 0; i + m <= (size_t)n; i++)
        k += !memcmp(s + i, pat, m);
    free(s);
    return k;
}

/* A 2,000-cell grid with two indicators and the MSS rule (so there is an attention table);
 * [report] full_detail_up_to = limit. */
static void write_ini(const char *dir, unsigned limit)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/scale.ini", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fprintf(f, "[analysis]\ntitle = Rasterstadt\nlanguage = de\ncrs = EPSG:25833\n"
               "min_population = 0\nseed = 1\npermutations = 0\n\n"
               "[boundaries]\nsource = grid.gpkg\nkey = id\nattribution = synthetisch, CC0 1.0\n\n"
               "[table counts]\nsource = grid.csv\nkey = id\nattribution = synthetisch, CC0 1.0\n\n"
               "[population]\ntotal = total\n\n"
               "[group grp]\ncolumn = grp\nlabel = Gruppe\n\n");
    const char *ind[2] = {"g1", "g3"}, *field[2] = {"arbeit", "jugend"};
    for (int k = 0; k < 2; k++)
        fprintf(f,
                "[indicator anteil_%s]\nexpr = 100.0 * \"%s\" / \"total\"\nnumerator = \"%s\"\n"
                "denominator = \"total\"\nfield = %s\ndirection = higher_worse\nunit = %%\n"
                "label = Anteil %s\nstatus_weight = 1\ndynamics_weight = 0\n\n",
                ind[k], ind[k], ind[k], field[k], ind[k]);
    fprintf(f, "[renewal]\nmethod = mss\nstandardise = z\n\n[report]\nfull_detail_up_to = %u\n",
            limit);
    assert_int_equal(fclose(f), 0);
}

static void run(const char *dir, const char *out)
{
    char args[2048];
    snprintf(args, sizeof args, "run '%s/scale.ini' -o '%s' -q", dir, out);
    qtr_run_cli_ok(args);
}

static char *read_in(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *s = qtr_read_file(p, NULL);
    if (!s)
        fail_msg("cannot read %s", p);
    return s;
}

static void test_raster_above_threshold(void **state)
{
    (void)state;
    const char *bdir = getenv("QTR_BUILD_DIR");
    char gen[1024];
    snprintf(gen, sizeof gen, "%s/gen_grid", bdir ? bdir : "build");
    if (!qtr_file_exists(gen)) {
        print_message("note: %s not built, test skipped\n", gen);
        skip();
    }
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512], cmd[2048], big[600], small[600];
    snprintf(dir, sizeof dir, "%s", tmp);
    snprintf(cmd, sizeof cmd, "'%s' %d '%s' > /dev/null 2>&1", gen, NCELLS, dir);
    assert_int_equal(system(cmd), 0);

    /* above the threshold: raster */
    write_ini(dir, 1000);
    snprintf(big, sizeof big, "%s/big", dir);
    run(dir, big);
    char *html = read_in(big, "report.html");
    size_t nmaps = count(html, "<figure class=\"map\"");
    assert_true(nmaps >= 5); /* overview, share, LQ, LISA, status, attention, indicators */
    /* one image per map, in the HTML (inline SVG <image>) and in the PDF (image XObject) */
    assert_int_equal(count(html, "<image "), nmaps);
    assert_int_equal(count_in_file(big, "report.pdf", "/Subtype /Image"), nmaps);
    /* legends, scale bar and text are vectors, the 2,000 cells are not: far fewer paths
     * than cells (the vector report below has more than one per cell and map) */
    size_t raster_paths = count(html, "<path");
    assert_true(raster_paths < NCELLS / 2);
    assert_null(strstr(html, "quartierWebmap")); /* no interactive map */
    /* no district names on a raster map, and the overview does not promise them */
    assert_null(strstr(html, "Namen, soweit sie ohne"));
    assert_non_null(strstr(html, "Der Bericht umfasst 2.000 Gebiete, mehr als die 1.000"));
    /* the attention table: 20 + 20 rows around a row of "…", and the summary line */
    assert_non_null(strstr(html, "Gezeigt sind die ersten und die letzten 20 von "));
    assert_non_null(strstr(html, "in der Ebene districts des GeoPackage quartier.gpkg und in "
                                 "tables/districts.csv"));
    assert_true(count(html, ">…</td>") >= 5);
    /* the extreme values with their residents (96 districts here): cut the same way */
    assert_non_null(strstr(html, "Extreme Werte mit ihren Einwohnern (Anzahl Gebiete: 96)"));
    assert_non_null(strstr(html, "Gezeigt sind die ersten und die letzten 20 von 96 Gebieten "
                                 "nach Einwohnerzahl"));
    /* the subtitle: the number of districts as a number is written, no empty date */
    assert_non_null(strstr(html, "Bericht für den Rat · 2.000 Gebiete"));
    /* a raster map's files are bounded by its pixels, not by the number of cells */
    char p[1024];
    snprintf(p, sizeof p, "%s/maps/share_grp.svg", big);
    assert_true(file_size(p) > 0 && file_size(p) < 1500000);
    snprintf(p, sizeof p, "%s/maps/share_grp.pdf", big);
    assert_true(file_size(p) > 0 && file_size(p) < 1000000);
    /* every cell is still in the GeoPackage and the GeoJSON, and in the attention column */
    snprintf(p, sizeof p, "%s/quartier.gpkg", big);
    assert_int_equal((long)query(p, "SELECT count(*) FROM districts"), NCELLS);
    double nattention = query(p, "SELECT count(*) FROM districts WHERE attention = 1");
    char *geojson = read_in(big, "districts.geojson");
    assert_int_equal(count(geojson, "\"Feature\""), NCELLS);
    free(geojson);
    char want[200];
    snprintf(want, sizeof want, "Gezeigt sind die ersten und die letzten 20 von %ld Gebieten",
             (long)nattention);
    assert_non_null(strstr(html, want));
    /* sorted worst first: the first row has the highest status index of the attention
     * districts, the last row the lowest (two decimals, decimal comma) */
    const char *t = strstr(html, "Gebiete mit besonderem Aufmerksamkeitsbedarf</caption>");
    assert_non_null(t);
    const char *end = strstr(t, "</table>"), *cellpat = "<td class=\"num\">";
    assert_non_null(end);
    const char *first = strstr(t, cellpat), *last = first;
    for (const char *q = first; q && q < end; q = strstr(q + 1, cellpat))
        last = q;
    double ext[2] = {query(p, "SELECT max(status_index) FROM districts WHERE attention = 1"),
                     query(p, "SELECT min(status_index) FROM districts WHERE attention = 1")};
    const char *at[2] = {first, last};
    for (int k = 0; k < 2; k++) {
        char cell[64];
        snprintf(cell, sizeof cell, "%s%.2f</td>", cellpat, ext[k]);
        *strchr(cell + strlen(cellpat), '.') = ',';
        assert_memory_equal(at[k], cell, strlen(cell));
    }
    free(html);

    /* not above the threshold (2,000 districts, up to 2,000 in full): vectors as before */
    write_ini(dir, NCELLS);
    snprintf(small, sizeof small, "%s/small", dir);
    run(dir, small);
    html = read_in(small, "report.html");
    assert_int_equal(count(html, "<image "), 0);
    assert_int_equal(count_in_file(small, "report.pdf", "/Subtype /Image"), 0);
    assert_true(count(html, "<path") > NCELLS * 4);
    assert_non_null(strstr(html, "quartierWebmap"));
    assert_non_null(strstr(html, "Namen, soweit sie ohne"));
    assert_null(strstr(html, "Der Bericht umfasst"));
    assert_null(strstr(html, "Gezeigt sind die ersten"));
    assert_int_equal(count(html, ">…</td>"), 0);
    free(html);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raster_above_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
