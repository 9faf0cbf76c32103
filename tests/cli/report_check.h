/*
 * report_check.h - checks of a run's maps and council report, shared by
 * test_report_e2e.c (German) and test_report_en.c (English): the report's
 * numbers are the run's numbers (read back from the GeoPackage), the HTML is
 * self-contained and well-formed, the PDF has pages that poppler can render
 * (skipped when poppler-utils is not installed).
 */
#ifndef QTR_REPORT_CHECK_H
#define QTR_REPORT_CHECK_H

#include "test_util.h"

#include "cli/cli_util.h"

#include <sqlite3.h>

#include "../render/xmlcheck.h"
#include "quartier/classify.h"

static inline double query(const char *gpkg, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    double v = NAN;
    assert_int_equal(sqlite3_open_v2(gpkg, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static inline int have(const char *tool)
{
    char p[256];
    snprintf(p, sizeof p, "/usr/bin/%s", tool);
    return qtr_file_exists(p);
}

/* First number after "Pages:" in pdfinfo's output, or -1. */
static inline long pdfinfo_pages(const char *pdf)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdfinfo '%s' 2>/dev/null", pdf);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char line[512];
    long n = -1;
    while (fgets(line, sizeof line, p))
        if (!strncmp(line, "Pages:", 6))
            n = strtol(line + 6, NULL, 10);
    pclose(p);
    return n;
}

static inline size_t pdf_page_objects(const char *pdf)
{
    FILE *f = fopen(pdf, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    /* the file is binary (compressed streams hold NUL bytes): scan it with memcmp */
    size_t c = 0;
    for (long i = 0; i + 12 < n; i++)
        if (memcmp(s + i, "/Type /Page", 11) == 0 && s[i + 11] != 's')
            c++;
    free(s);
    return c;
}

static inline void check_outputs(const char *dir, int english)
{
    static const char *const maps[] = {
        "overview", "share_mh", "lq_mh",    "indicator_wohnflaeche", "indicator_kinderarmut",
        "status",   "dynamics", "attention"};
    static const char *const ext[] = {"png", "svg", "pdf"};
    char p[1024];
    for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++)
        for (size_t e = 0; e < 3; e++) {
            snprintf(p, sizeof p, "%s/maps/%s.%s", dir, maps[m], ext[e]);
            if (!qtr_file_exists(p))
                fail_msg("map %s is missing", p);
        }
    snprintf(p, sizeof p, "%s/report.html", dir);
    char *h = qtr_read_file(p, NULL);
    assert_non_null(h);
    const char *bad = xmlcheck(h);
    if (bad)
        fail_msg("report.html is not well-formed: %s", bad);
    assert_non_null(strstr(h, english ? "<html lang=\"en\">" : "<html lang=\"de\">"));
    assert_non_null(strstr(h, english ? ">Summary</h2>" : ">Zusammenfassung</h2>"));
    assert_null(strstr(h, english ? "Zusammenfassung" : ">Summary<"));
    assert_non_null(strstr(h, "<svg"));
    /*
     * Two scripts, both inline, of the interactive map (Leaflet, then its data and code,
     * each in a CDATA section); outside them no external reference of any kind. Leaflet's
     * own text names its website and the SVG namespace, which fetches nothing.
     */
    size_t nscript = 0;
    for (char *q = strstr(h, "<script"); q; q = strstr(q, "<script")) {
        assert_true(!strncmp(q, "<script>/*<![CDATA[*/", 21));
        char *e = strstr(q, "/*]]>*/</script>");
        assert_non_null(e);
        memset(q, ' ', (size_t)(e + 16 - q));
        nscript++;
    }
    assert_int_equal(nscript, 2);
    assert_null(strstr(h, "http://"));
    assert_null(strstr(h, "https://"));
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "url(images"));
    assert_non_null(strstr(h, "<figure class=\"webmap\""));
    /* one inline map per figure, at least overview + 4 groups x 2 + 8 indicators + 3 */
    size_t nsvg = 0;
    for (const char *q = strstr(h, "<svg"); q; q = strstr(q + 1, "<svg"))
        nsvg++;
    assert_true(nsvg >= 20);

    /* the numbers in the text are the run's numbers */
    char gpkg[1024];
    snprintf(gpkg, sizeof gpkg, "%s/quartier.gpkg", dir);
    double d = query(gpkg, "SELECT value FROM city_indices WHERE \"index\" = 'dissimilarity' "
                           "AND \"group\" = 'mh'");
    assert_true(isfinite(d));
    char v[32], sentence[256];
    if (english) {
        snprintf(sentence, sizeof sentence,
                 "The dissimilarity index D for residents with a migration background is %.2f", d);
    } else {
        assert_int_equal(qtr_format_de(d, 2, v, sizeof v), 0);
        snprintf(sentence, sizeof sentence,
                 "Der Segregationsindex D für Einwohner mit Migrationshintergrund beträgt %s", v);
    }
    if (!strstr(h, sentence))
        fail_msg("summary sentence not found: %s", sentence);
    double att = query(gpkg, "SELECT count(*) FROM districts WHERE attention = 1");
    double valid = query(gpkg, "SELECT count(*) FROM districts WHERE status_index IS NOT NULL");
    assert_true(att > 0);
    snprintf(sentence, sizeof sentence,
             english ? "%.0f of %.0f assessed districts need particular attention"
                     : "Besondere Aufmerksamkeit brauchen %.0f von %.0f bewerteten Gebieten",
             att, valid);
    if (!strstr(h, sentence))
        fail_msg("attention sentence not found: %s", sentence);
    /* every attention district is in the table, with its name escaped as text */
    assert_non_null(strstr(h, "<td>Hochfeld-Zentrum</td>"));
    free(h);

    snprintf(p, sizeof p, "%s/report.pdf", dir);
    size_t objs = pdf_page_objects(p);
    assert_true(objs >= 8);
    if (have("pdfinfo")) {
        assert_int_equal(pdfinfo_pages(p), (long)objs);
    } else {
        print_message("note: pdfinfo not installed (poppler-utils), page count from the file\n");
    }
    if (have("pdftoppm")) {
        char cmd[8192], png[4200];
        snprintf(cmd, sizeof cmd, "/usr/bin/pdftoppm -r 30 -png -f 1 -l 1 '%s' '%s/page' 2>&1", p,
                 dir);
        assert_int_equal(system(cmd), 0);
        snprintf(png, sizeof png, "%s/page-01.png", dir);
        if (!qtr_file_exists(png)) {
            snprintf(png, sizeof png, "%s/page-1.png", dir);
            assert_true(qtr_file_exists(png));
        }
    } else {
        print_message("note: pdftoppm not installed (poppler-utils), rendering check skipped\n");
    }
}

static inline void remove_dir(const char *dir)
{
    if (getenv("QTR_KEEP_TMP"))
        return;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        print_message("note: could not remove %s\n", dir);
}

#endif
