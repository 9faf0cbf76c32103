/*
 * test_publish.c - what `quartier run` publishes: QGIS styles and aliases in the
 * GeoPackage, disclosure control in every output, annex CSV/XLSX bytes, run_info
 * checksums and date, atomic replacement. The QGIS checks are in test_publish_qgis.c.
 *
 * Fixture tests/data/publish: four districts; "mit Migrationshintergrund" is 2 in
 * district 01 and "Arbeitslose" is 1 in 02 (both below min_count 3), '*' (suppressed
 * by the office) in 03 and '-' (true zero) in 04. Kennziffer (1, 2) is declared a code.
 */
#include "../test_util.h"

#include <dirent.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cli_util.h"
#include "publish_util.h"
#include "quartier/annex.h"

#define FIXTURE "tests/data/publish/analysis.ini"

/* Run the fixture into a fresh folder (static buffer), with an optional environment prefix. */
static const char *run_fixture(const char *env, const char *extra)
{
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char args[8192];
    snprintf(args, sizeof args, "run %s -o %s -q %s", qtr_test_path(FIXTURE), tmp,
             extra ? extra : "");
    char *out = NULL;
    int rc;
    if (env) {
        char cmd[16600];
        const char *bin = getenv("QTR_BIN");
        snprintf(cmd, sizeof cmd, "%s '%s' %s 2>&1", env, bin ? bin : "build/quartier", args);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        char buf[4096];
        while (fread(buf, 1, sizeof buf, p) > 0)
            ;
        int st = pclose(p);
        rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    } else {
        rc = qtr_run_cli(args, &out);
        if (rc)
            print_message("%s\n", out ? out : "");
        free(out);
    }
    assert_int_equal(rc, 0);
    return tmp;
}

/* Feature of layer l with key `key` (caller destroys). */
static OGRFeatureH by_key(OGRLayerH l, const char *key)
{
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "key")), key))
            return f;
        OGR_F_Destroy(f);
    }
    fail_msg("district %s not found", key);
    return NULL;
}

static int is_null(OGRFeatureH f, const char *field)
{
    int i = OGR_F_GetFieldIndex(f, field);
    if (i < 0)
        fail_msg("no field '%s'", field);
    return !OGR_F_IsFieldSetAndNotNull(f, i);
}

static double num(OGRFeatureH f, const char *field)
{
    int i = OGR_F_GetFieldIndex(f, field);
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
        fail_msg("field '%s' missing or NULL", field);
    return OGR_F_GetFieldAsDouble(f, i);
}

/* The suppression rules on one districts layer (GeoPackage or GeoJSON). */
static void check_suppressed(OGRLayerH l)
{
    OGRFeatureH f = by_key(l, "01");
    assert_true(is_null(f, "mit Migrationshintergrund")); /* 2 < 3 */
    assert_true(is_null(f, "mh_share"));                  /* derived from it */
    assert_true(is_null(f, "mh_lq"));
    assert_close(num(f, "Arbeitslose"), 40, 0);
    assert_close(num(f, "alq"), 100.0 * 40 / 800, 1e-12);
    assert_close(num(f, "Kennziffer"), 1, 0); /* a code, not a count */
    assert_close(num(f, "Einwohner"), 1200, 0);
    OGR_F_Destroy(f);
    f = by_key(l, "02");
    assert_true(is_null(f, "Arbeitslose")); /* 1 < 3 */
    assert_true(is_null(f, "alq"));
    assert_close(num(f, "mit Migrationshintergrund"), 100, 0);
    assert_close(num(f, "mh_share"), 10.0, 1e-12);
    assert_close(num(f, "Kennziffer"), 2, 0);
    OGR_F_Destroy(f);
    f = by_key(l, "03");
    assert_true(is_null(f, "Arbeitslose")); /* '*' in the input */
    assert_true(is_null(f, "alq"));
    OGR_F_Destroy(f);
    f = by_key(l, "04");
    assert_close(num(f, "Arbeitslose"), 0, 0); /* a true zero is published */
    assert_close(num(f, "alq"), 0, 0);
    OGR_F_Destroy(f);
}

static void test_suppression(void **state)
{
    (void)state;
    const char *dir = run_fixture(NULL, "--permutations 999");
    GDALDatasetH ds = open_out(dir, "quartier.gpkg");
    check_suppressed(GDALDatasetGetLayerByName(ds, "districts"));
    /* with permutations (the fixture has none), the local tests are suppressed too */
    char *v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'disclosure_control'");
    assert_non_null(v);
    /* 2 counts (01 mh, 02 Arbeitslose); 9 derived: 01 mh_share, mh_lq, mh_share_diff,
     * mh_lisa_i, mh_lisa_p, mh_lq_p, mh_lq_high; 02 alq and alq_numerator (03 alq was already
     * missing); 11 columns */
    assert_string_equal(v, "min_count 3: 2 counts and 9 values computed from them suppressed, "
                           "in 11 columns");
    free(v);
    /* the description says so */
    v = sql_text(ds, "SELECT description FROM gpkg_data_columns WHERE table_name = 'districts' "
                     "AND column_name = 'mit Migrationshintergrund'");
    assert_non_null(v);
    assert_non_null(strstr(v, "unterdrückt"));
    free(v);
    v = sql_text(ds, "SELECT description FROM gpkg_data_columns WHERE table_name = 'districts' "
                     "AND column_name = 'Einwohner'");
    assert_non_null(v);
    assert_null(strstr(v, "unterdrückt"));
    free(v);
    /* goals assessed on the real values must not show the suppressed one: district 02's
     * target loses its values, and 02's per-district goal state is empty */
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM goals WHERE target = 'alq_02' AND "
                                  "current IS NULL AND baseline IS NULL AND path_value IS NULL"),
                     1);
    v = sql_text(ds, "SELECT state FROM goals WHERE target = 'alq_02'");
    assert_string_equal(v, "unbekannt");
    free(v);
    assert_null(sql_text(ds, "SELECT goal_alq_stadt FROM districts WHERE key = '02'"));
    v = sql_text(ds, "SELECT goal_alq_stadt FROM districts WHERE key = '01'");
    assert_non_null(v);
    free(v);
    GDALClose(ds);
    ds = open_out(dir, "districts.geojson");
    check_suppressed(GDALDatasetGetLayer(ds, 0));
    GDALClose(ds);
    /* CSV annex: district 01 has an empty cell for the 2 */
    char path[4096];
    snprintf(path, sizeof path, "%s/tables/districts.csv", dir);
    char *csv = qtr_read_file(path, NULL);
    assert_non_null(csv);
    /* 01: the count 2 and everything computed from it (share, LQ, difference to the city,
     * LISA and Gi* values, LQ test) are empty; 02: Arbeitslose (1) and the indicator's
     * numerator are empty. */
    assert_non_null(strstr(csv, "\r\n01;Altstadt;1;1;100;1200;;40;800;1;31,5;;;;3;;;"
                                "nicht signifikant;;;;;5;40;800;"));
    assert_non_null(strstr(csv, "\r\n02;Nördliche Vorstadt;1;1;100;1000;100;;700;2;42;10;"));
    assert_non_null(strstr(csv, ";nicht signifikant;;;1;0;;;700;"));
    free(csv);
}

static void test_styles_and_aliases(void **state)
{
    (void)state;
    const char *dir = run_fixture(NULL, NULL);
    GDALDatasetH ds = open_out(dir, "quartier.gpkg");
    /* every spatial layer has exactly one default style */
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        if (OGR_L_GetGeomType(l) == wkbNone)
            continue;
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM layer_styles WHERE f_table_name = '%s' AND useAsDefault "
                 "AND f_table_schema = '' AND f_geometry_column = 'geom'",
                 OGR_L_GetName(l));
        assert_int_equal(sql_long(ds, sql), 1);
    }
    /* no renewal in this run: the default is the first group's share */
    char *v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE useAsDefault");
    assert_string_equal(v, "mh_share");
    free(v);
    /* the indicator's configured classification reaches the style: equal interval with 3
     * classes over alq = {5, 0} (01, 04; 02 and 03 suppressed) has limits 0, 5/3, 10/3, 5,
     * rounded to one decimal for the legend (lowest down, highest up) */
    v = sql_text(ds, "SELECT styleQML FROM layer_styles WHERE styleName = 'alq'");
    assert_non_null(v);
    assert_non_null(strstr(v, "label=\"0,0 – 1,7 %\""));
    assert_non_null(strstr(v, "label=\"1,7 – 3,3 %\""));
    assert_non_null(strstr(v, "label=\"3,3 – 5,0 %\""));
    assert_null(strstr(v, "quartier-class-3"));
    free(v);
    v = sql_text(ds, "SELECT description FROM layer_styles WHERE styleName = 'alq'");
    assert_string_equal(v, "Arbeitslosenquote (%): gleiche Intervalle, 3 Klassen");
    free(v);
    /* every non-NULL value of mh_share lies in a class of its style: the rule filters are
     * "mh_share" >= a AND "mh_share" <= b (first), "mh_share" > a AND ... (others) */
    v = sql_text(ds, "SELECT styleQML FROM layer_styles WHERE styleName = 'mh_share'");
    assert_non_null(v);
    double vals[] = {10.0, 50.0, 10.0}; /* 02, 03, 04; 01 is suppressed */
    for (size_t k = 0; k < 3; k++) {
        int inside = 0;
        for (const char *p = v; (p = strstr(p, "filter=\"")) != NULL; p++) {
            double a, b;
            char op[8];
            if (sscanf(p,
                       "filter=\"&quot;mh_share&quot; %7[&gt;=] %lf AND &quot;mh_share&quot; "
                       "&lt;= %lf",
                       op, &a, &b) == 3)
                inside += (!strcmp(op, "&gt;=") ? vals[k] >= a : vals[k] > a) && vals[k] <= b;
        }
        assert_int_equal(inside, 1);
    }
    free(v);
    /* QML is well-formed XML: written out and parsed by Python's expat */
    OGRLayerH ls =
        GDALDatasetExecuteSQL(ds, "SELECT styleName, styleQML FROM layer_styles", NULL, NULL);
    assert_non_null(ls);
    OGRFeatureH f;
    int nstyles = 0;
    char files[16384] = "";
    while ((f = OGR_L_GetNextFeature(ls)) != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/style-%d.qml", dir, nstyles++);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fputs(OGR_F_GetFieldAsString(f, 1), fp);
        fclose(fp);
        size_t len = strlen(files);
        snprintf(files + len, sizeof files - len, " '%s'", path);
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, ls);
    /* one per computed column with values: mh_share, mh_lq, alq and the spatial and
     * numerator/denominator columns (alq_previous/_change have no values) */
    assert_true(nstyles >= 3);
    assert_non_null(strstr(files, "style-0.qml"));
    char cmd[20000];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import sys, xml.etree.ElementTree as E\n"
             "for p in sys.argv[1:]:\n"
             "    r = E.parse(p).getroot()\n"
             "    assert r.tag == \"qgis\" and r.find(\"renderer-v2\") is not None, p' %s",
             files);
    assert_int_equal(system(cmd), 0);

    /* aliases: every column of every table is documented, the table's key (fid) too, aliases
     * unique per table */
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        const char *name = OGR_L_GetName(l);
        if (!strcmp(name, "layer_styles"))
            continue;
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT count(DISTINCT name) FROM gpkg_data_columns WHERE table_name = '%s'",
                 name);
        assert_int_equal(sql_long(ds, sql), OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(l)) +
                                                (*OGR_L_GetFIDColumn(l) != '\0'));
    }
    v = sql_text(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'districts' AND "
                     "column_name = 'mh_share'");
    assert_string_equal(v, "Anteil Einwohner mit Migrationshintergrund (%)");
    free(v);
    v = sql_text(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'city_indices' AND "
                     "column_name = 'p_value'");
    assert_string_equal(v, "p-Wert");
    free(v);
    /* the QML carries the aliases too (QGIS 3.22 with GDAL 3.6 shows those) */
    v = sql_text(ds, "SELECT styleQML FROM layer_styles WHERE styleName = 'mh_share'");
    assert_non_null(strstr(v, "name=\"Arbeitslosenquote (%)\""));
    free(v);
    GDALClose(ds);
}

static void test_english_aliases(void **state)
{
    (void)state;
    /* the same analysis in English, through a copy of the analysis file */
    const char *tmp = qtr_temp_dir();
    char ini[4096], args[8192];
    snprintf(ini, sizeof ini, "%s/en.ini", tmp);
    FILE *fp = fopen(ini, "wb");
    assert_non_null(fp);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", qtr_test_path("tests/data/publish"));
    /* absolute paths for the inputs, language = en, no not_counts = line */
    fprintf(fp,
            "[analysis]\nlanguage = en\npermutations = 0\nmin_count = 3\n"
            "[boundaries]\nsource = %s/../mini/bezirke.geojson\nkey = nr\nname = bezname\n"
            "[table ew]\nsource = %s/stats.csv\nkey = Bezirk\n"
            "[population]\ntotal = Einwohner\n"
            "[group mh]\nlabel = mit MH\nlabel_en = Residents with a migration background\n"
            "column = mit Migrationshintergrund\n",
            dir, dir);
    fclose(fp);
    snprintf(args, sizeof args, "run %s -o %s/out -q", ini, tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    char outdir[4096];
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    GDALDatasetH ds = open_out(outdir, "quartier.gpkg");
    char *v = sql_text(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'districts' "
                           "AND column_name = 'mh_share'");
    assert_string_equal(v, "Share of residents with a migration background (%)");
    free(v);
    v = sql_text(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'districts' "
                     "AND column_name = 'area_ha'");
    assert_string_equal(v, "Area (ha)");
    free(v);
    /* without not_counts = Kennziffer the codes 1 and 2 count as counts and are suppressed */
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "districts");
    OGRFeatureH f = by_key(l, "01");
    assert_true(is_null(f, "Kennziffer"));
    OGR_F_Destroy(f);
    GDALClose(ds);
}

static void test_annex_bytes(void **state)
{
    (void)state;
    const char *dir = run_fixture(NULL, NULL);
    char path[4096];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/tables/districts.csv", dir);
    char *csv = qtr_read_file(path, &len);
    assert_non_null(csv);
    assert_true(len > 3);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3); /* UTF-8 BOM */
    /* aliases as headings, ';' between them, CRLF line ends and nothing else */
    assert_ptr_equal(strstr(csv, "Schlüssel;Name;Statistik vorhanden;In den Indizes;Fläche (ha);"),
                     csv + 3);
    size_t crlf = 0, lf = 0;
    for (size_t i = 0; i < len; i++)
        if (csv[i] == '\n') {
            lf++;
            crlf += i > 0 && csv[i - 1] == '\r';
        }
    assert_int_equal(lf, 5); /* heading + 4 districts */
    assert_int_equal(crlf, lf);
    assert_non_null(strstr(csv, ";31,5;")); /* decimal comma */
    assert_null(strstr(csv, "31.5"));
    free(csv);
    /* city_indices: the value of D with a decimal comma and 15 significant digits */
    snprintf(path, sizeof path, "%s/tables/city_indices.csv", dir);
    csv = qtr_read_file(path, &len);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "\r\ndissimilarity;mh;0,"));
    free(csv);

    /* XLSX opens with OGR: one sheet per table named in the report's language, aliases as
     * headings, numbers as numbers */
    snprintf(path, sizeof path, "%s/tables/quartier.xlsx", dir);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "Gebiete");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 4);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    int ia = OGR_FD_GetFieldIndex(d, "Fläche (ha)"),
        iw = OGR_FD_GetFieldIndex(d, "Wohnfläche je EW");
    assert_true(ia >= 0 && iw >= 0);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, iw)), OFTReal);
    double sum = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        sum += OGR_F_GetFieldAsDouble(f, iw);
        OGR_F_Destroy(f);
    }
    assert_close(sum, 31.5 + 42.0 + 35.2 + 38.9, 1e-9);
    assert_non_null(GDALDatasetGetLayerByName(ds, "Indizes der Stadt"));
    assert_non_null(GDALDatasetGetLayerByName(ds, "Verknüpfungsbericht"));
    GDALClose(ds);
}

static void test_number_format(void **state)
{
    (void)state;
    char b[64];
    struct {
        double v;
        const char *s;
    } cases[] = {{31.5, "31,5"},
                 {42.0, "42"},
                 {-0.0, "0"},
                 {0.1 + 0.2, "0,3"},
                 {1.0 / 3, "0,333333333333333"},
                 {1234567.25, "1234567,25"},
                 {-2.5e-3, "-0,0025"},
                 {1e-9, "1e-09"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(qtr_annex_format_number(cases[i].v, b, sizeof b), 0);
        assert_string_equal(b, cases[i].s);
    }
    assert_int_not_equal(qtr_annex_format_number(NAN, b, sizeof b), 0);
}

static void test_run_info(void **state)
{
    (void)state;
    const char *dir = run_fixture("SOURCE_DATE_EPOCH=1767225600", NULL);
    GDALDatasetH ds = open_out(dir, "quartier.gpkg");
    char *v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'date'");
    assert_string_equal(v, "2026-01-01T00:00:00.000Z");
    free(v);
    v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'date_source'");
    assert_string_equal(v, "SOURCE_DATE_EPOCH");
    free(v);
    v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'attribution_table_ew'");
    assert_string_equal(v, "Amt für Statistik Kleinstadt (erfunden), CC0 1.0");
    free(v);
    v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'attribution_boundaries'");
    assert_string_equal(v, "Testdaten von quartier (erfunden), CC0 1.0");
    free(v);
    /* SHA-256 as sha256sum computes it */
    char cmd[8192], want[128] = "";
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", qtr_test_path("tests/data/publish/stats.csv"));
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(want, sizeof want, p));
    pclose(p);
    want[64] = '\0';
    v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'sha256_table_ew'");
    assert_non_null(v);
    assert_int_equal(strncmp(v, want, 64), 0);
    assert_non_null(strstr(v, "stats.csv"));
    free(v);
    v = sql_text(ds, "SELECT value FROM run_info WHERE item = 'sha256_boundaries'");
    assert_non_null(v);
    assert_int_equal(strlen(v) > 66, 1);
    free(v);
    /* GeoPackage timestamps follow SOURCE_DATE_EPOCH too */
    v = sql_text(ds, "SELECT min(last_change) || '/' || max(last_change) FROM gpkg_contents");
    assert_string_equal(v, "2026-01-01T00:00:00.000Z/2026-01-01T00:00:00.000Z");
    free(v);
    GDALClose(ds);
}

/* All regular files below dir (relative names, sorted by readdir order; two levels). */
struct snapshot {
    char name[32][512];
    char *data[32];
    size_t len[32];
    int n;
};

static void snap(const char *dir, const char *sub, struct snapshot *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char rel[512], full[4096];
        snprintf(rel, sizeof rel, "%s%s%s", sub ? sub : "", sub ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, rel);
        struct stat sb;
        assert_int_equal(stat(full, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            snap(dir, rel, s);
            continue;
        }
        assert_true(s->n < 32);
        snprintf(s->name[s->n], sizeof s->name[0], "%s", rel);
        s->data[s->n] = qtr_read_file(full, &s->len[s->n]);
        s->n++;
    }
    closedir(d);
}

static void test_atomic(void **state)
{
    (void)state;
    const char *dir = run_fixture(NULL, NULL);
    char keep[4096];
    snprintf(keep, sizeof keep, "%s", dir);
    static struct snapshot before, after;
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    snap(keep, NULL, &before);
    assert_true(before.n >= 6); /* gpkg, geojson, 3 CSV, XLSX */
    /* a run that fails after every new file exists under its temporary name; another
     * seed and a fixed date so the new files would differ */
    char cmd[16384];
    const char *bin = getenv("QTR_BIN");
    snprintf(cmd, sizeof cmd,
             "QTR_TEST_FAIL_AT=published SOURCE_DATE_EPOCH=1 '%s' run %s -o %s -q --seed 99 "
             "2>&1",
             bin ? bin : "build/quartier", qtr_test_path(FIXTURE), keep);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char msg[4096] = "";
    size_t got = fread(msg, 1, sizeof msg - 1, p);
    msg[got] = '\0';
    int st = pclose(p);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    assert_non_null(strstr(msg, "QTR_TEST_FAIL_AT"));
    snap(keep, NULL, &after);
    /* the same files, byte for byte, and no temporary file left */
    assert_int_equal(after.n, before.n);
    for (int i = 0; i < before.n; i++) {
        int found = 0;
        for (int j = 0; j < after.n; j++)
            if (!strcmp(before.name[i], after.name[j])) {
                found = 1;
                assert_int_equal(before.len[i], after.len[j]);
                assert_memory_equal(before.data[i], after.data[j], before.len[i]);
            }
        if (!found)
            fail_msg("'%s' vanished", before.name[i]);
    }
    for (int j = 0; j < after.n; j++) {
        const char *base = strrchr(after.name[j], '/');
        base = base ? base + 1 : after.name[j];
        if (base[0] == '.' && strcmp(base, ".quartier-output") != 0)
            fail_msg("temporary file left: %s", after.name[j]);
    }
    for (int i = 0; i < before.n; i++)
        free(before.data[i]);
    for (int i = 0; i < after.n; i++)
        free(after.data[i]);
}

static void test_stale_annex(void **state)
{
    (void)state;
    const char *d = run_fixture(NULL, NULL);
    char path[4096];
    snprintf(path, sizeof path, "%s/tables/change.csv", d);
    FILE *fp = fopen(path, "wb"); /* as if an earlier run had compared two dates */
    assert_non_null(fp);
    fputs("old", fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/tables/goals.csv", d);
    assert_true(qtr_file_exists(path));
    char args[8192], *out = NULL;
    snprintf(args, sizeof args, "run %s -o %s -q", qtr_test_path(FIXTURE), d);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    assert_true(qtr_file_exists(path)); /* goals are in this run */
    snprintf(path, sizeof path, "%s/tables/change.csv", d);
    assert_false(qtr_file_exists(path)); /* change is not: the stale file is gone */
}

static void test_reproducible(void **state)
{
    (void)state;
    const char *d = run_fixture(NULL, NULL);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", d);
    static const char *const files[] = {"quartier.gpkg", "districts.geojson",
                                        "tables/districts.csv", "tables/quartier.xlsx"};
    char *first[4];
    size_t flen[4];
    for (int pass = 0; pass < 2; pass++) {
        char cmd[16384];
        const char *bin = getenv("QTR_BIN");
        snprintf(cmd, sizeof cmd,
                 "SOURCE_DATE_EPOCH=1767225600 '%s' run %s -o %s -q >/dev/null 2>&1",
                 bin ? bin : "build/quartier", qtr_test_path(FIXTURE), dir);
        assert_int_equal(system(cmd), 0);
        for (int k = 0; k < 4; k++) {
            char path[8192];
            size_t len = 0;
            snprintf(path, sizeof path, "%s/%s", dir, files[k]);
            char *b = qtr_read_file(path, &len);
            assert_non_null(b);
            if (pass == 0) {
                first[k] = b;
                flen[k] = len;
            } else {
                assert_int_equal(len, flen[k]);
                assert_memory_equal(b, first[k], len);
                free(b);
                free(first[k]);
            }
        }
        if (pass == 0)
            sleep(1); /* a clock-based timestamp would now differ */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_suppression),
        cmocka_unit_test(test_styles_and_aliases),
        cmocka_unit_test(test_english_aliases),
        cmocka_unit_test(test_annex_bytes),
        cmocka_unit_test(test_run_info),
        cmocka_unit_test(test_atomic),
        cmocka_unit_test(test_stale_annex),
        cmocka_unit_test(test_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
