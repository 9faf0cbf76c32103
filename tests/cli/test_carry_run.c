/*
 * test_carry_run.c - `quartier run` with a [table] on its own district layout (issue 13):
 * tests/data/carry, values computed by hand.
 *
 * Analysis districts (ziel.geojson, 1 km squares): T1 [0,1]x[0,1] km, T2 [1,2]x[0,1],
 * T3 [0,1]x[1,2], T4 [1,2]x[1,2]. Own layout of ew2020.csv (quelle.geojson): S1 [0,1]x[0,2]
 * (split over T1 and T3), S2 [1,2]x[0,0.5] and S4 [1,2]x[0.5,1] (both feed T2), S3
 * [1,2.5]x[1,2] (a third of it outside: only 2/3 of its counts are carried, onto T4).
 * Counts: ew S1 2000, S2 600, S4 400, S3 900; mh S1 500, S2 '.' (secret), S4 100, S3 300.
 *
 * Dasymetric (weights ew_2024: T1 300, T2 1000, T3 900, T4 500): weight = piece area / target
 * area x ew_2024, so S1 -> T1 1 x 300, S1 -> T3 1 x 900: shares 1/4 and 3/4.
 *   T1: ew 2000/4 = 500, mh 125;  T3: 1500, 375;  T2: 600 + 400 = 1000, mh secret (S2);
 *   T4: 900 x 2/3 = 600, mh 200.
 * By area: S1 halves: T1 and T3 ew 1000, mh 250; T2 and T4 as above.
 * By the correspondence table korrespondenz.csv (S1 0.4 T1, 0.6 T3; S2, S4 1 T2; S3 0.5 T4 and
 * 0.5 T9, no district): T1 800, 200; T3 1200, 300; T2 1000, secret; T4 450, 150.
 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <gdal.h>
#include <ogr_api.h>

static char OUT[4096];

static int setup(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    if (!tmp)
        return -1;
    snprintf(OUT, sizeof OUT, "%s", tmp);
    return 0;
}

struct want {
    const char *key;
    double ew, mh, ew_area, mh_area, ew_corr, mh_corr; /* NAN: NULL in the GeoPackage */
};

static void check_field(OGRFeatureH f, const char *name, double want)
{
    int i = OGR_F_GetFieldIndex(f, name);
    assert_true(i >= 0);
    if (isnan(want)) {
        assert_false(OGR_F_IsFieldSetAndNotNull(f, i));
    } else {
        assert_true(OGR_F_IsFieldSetAndNotNull(f, i));
        assert_close(OGR_F_GetFieldAsDouble(f, i), want, 1e-9);
    }
}

static void test_carried_values(void **state)
{
    (void)state;
    char args[10000], path[4200];
    snprintf(args, sizeof args, "run %s -o %s --no-report",
             qtr_test_path("tests/data/carry/analysis.ini"), OUT);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("quartier run failed (%d): %s", rc, out);
    /* the rate column is not carried, and says so */
    assert_non_null(strstr(out, "the not_counts column 'anteil_mh' is not carried"));
    assert_non_null(strstr(out, "1 rows of the correspondence table"));
    free(out);

    snprintf(path, sizeof path, "%s/quartier.gpkg", OUT);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);

    const struct want want[] = {
        {"T1", 500, 125, 1000, 250, 800, 200},
        {"T2", 1000, NAN, 1000, NAN, 1000, NAN},
        {"T3", 1500, 375, 1000, 250, 1200, 300},
        {"T4", 600, 200, 600, 200, 450, 150},
    };
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "districts");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 4);
    OGRFeatureH f;
    size_t seen = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *key = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "key"));
        assert_true(OGR_F_GetFieldIndex(f, "anteil_mh_2020") < 0);
        for (size_t k = 0; k < 4; k++)
            if (!strcmp(key, want[k].key)) {
                check_field(f, "ew_2020", want[k].ew);
                check_field(f, "mh_2020", want[k].mh);
                check_field(f, "ew_2020_flaeche", want[k].ew_area);
                check_field(f, "mh_2020_flaeche", want[k].mh_area);
                check_field(f, "ew_2020_amtlich", want[k].ew_corr);
                check_field(f, "mh_2020_amtlich", want[k].mh_corr);
                seen++;
            }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 4);

    /* the crosswalk: one row per piece, per carried table */
    struct piece {
        const char *table, *src, *tgt;
        double area, weight, share;
    } pieces[] = {
        {"ew2020", "S1", "T1", 1e6, 300, 0.25},
        {"ew2020", "S1", "T3", 1e6, 900, 0.75},
        {"ew2020", "S2", "T2", 5e5, 500, 1},
        {"ew2020", "S4", "T2", 5e5, 500, 1},
        {"ew2020", "S3", "T4", 1e6, 500, 2.0 / 3},
        {"ew2020_flaeche", "S1", "T1", 1e6, 1e6, 0.5},
        {"ew2020_flaeche", "S1", "T3", 1e6, 1e6, 0.5},
        {"ew2020_flaeche", "S2", "T2", 5e5, 5e5, 1},
        {"ew2020_flaeche", "S4", "T2", 5e5, 5e5, 1},
        {"ew2020_flaeche", "S3", "T4", 1e6, 1e6, 2.0 / 3},
        {"ew2020_amtlich", "S1", "T1", NAN, 0.4, 0.4},
        {"ew2020_amtlich", "S1", "T3", NAN, 0.6, 0.6},
        {"ew2020_amtlich", "S2", "T2", NAN, 1, 1},
        {"ew2020_amtlich", "S4", "T2", NAN, 1, 1},
        {"ew2020_amtlich", "S3", "T4", NAN, 0.5, 0.5},
    };
    l = GDALDatasetGetLayerByName(ds, "crosswalk");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 15);
    seen = 0;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *t = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "table_id"));
        const char *s = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "source_key"));
        const char *g = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "target_key"));
        for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++)
            if (!strcmp(t, pieces[k].table) && !strcmp(s, pieces[k].src) &&
                !strcmp(g, pieces[k].tgt)) {
                check_field(f, "piece_area_m2", pieces[k].area);
                check_field(f, "weight", pieces[k].weight);
                check_field(f, "share", pieces[k].share);
                seen++;
            }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 15);

    /* the join report names the split, the merge and the part outside, per table */
    l = GDALDatasetGetLayerByName(ds, "join_report");
    assert_non_null(l);
    size_t split = 0, several = 0, uncovered = 0;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *kind = OGR_F_GetFieldAsString(f, 0);
        const char *key = OGR_F_GetFieldAsString(f, 2);
        const char *detail = OGR_F_GetFieldAsString(f, 5);
        if (!strcmp(kind, "carry_split_source")) {
            assert_string_equal(key, "S1");
            split++;
        } else if (!strcmp(kind, "carry_several_sources")) {
            assert_string_equal(key, "T2");
            assert_non_null(strstr(detail, "S2 (1), S4 (1)"));
            several++;
        } else if (!strcmp(kind, "carry_uncovered")) {
            assert_string_equal(key, "S3");
            assert_non_null(strstr(detail, "33.3 %"));
            assert_non_null(strstr(detail, "(500000 m²)"));
            uncovered++;
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(split, 3);
    assert_int_equal(several, 3);
    assert_int_equal(uncovered, 2); /* a correspondence table has no geometry */
    GDALClose(ds);
}

/*
 * A copy of the fixture's analysis file with absolute paths; the line "carry = weights ..." is
 * replaced by carry_line, and extra (may be NULL) is written after the line starting with
 * extra_after.
 */
static void write_variant(const char *ini, const char *carry_line, const char *extra_after,
                          const char *extra)
{
    FILE *in = fopen(qtr_test_path("tests/data/carry/analysis.ini"), "r");
    FILE *o = fopen(ini, "w");
    assert_non_null(in);
    assert_non_null(o);
    char line[1024];
    char d[4096];
    snprintf(d, sizeof d, "%s", qtr_test_path("tests/data/carry"));
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "carry = weights", 15))
            fputs(carry_line, o);
        else if (!strncmp(line, "carry = correspondence ", 23))
            fprintf(o, "carry = correspondence %s/%s", d, line + 23);
        else if (!strncmp(line, "source = ", 9) || !strncmp(line, "boundaries = ", 13)) {
            char *eq = strchr(line, '=');
            fprintf(o, "%.*s= %s/%s", (int)(eq - line), line, d, eq + 2);
        } else
            fputs(line, o);
        if (extra && !strncmp(line, extra_after, strlen(extra_after)))
            fputs(extra, o);
    }
    fclose(in);
    fclose(o);
}

/* A weights column that is not in the data names the line of the analysis file. */
static void test_weights_column_missing(void **state)
{
    (void)state;
    char ini[4200], args[10000];
    snprintf(ini, sizeof ini, "%s/bad.ini", OUT);
    write_variant(ini, "carry = weights ew_2042\n", "", NULL);
    snprintf(args, sizeof args, "check %s -q", ini);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 1);
    char want[4300];
    snprintf(want, sizeof want, "%s:31: weights column", ini);
    if (!strstr(out, want) || !strstr(out, "did you mean 'ew_2024'"))
        fail_msg("expected '%s' and a suggestion in: %s", want, out);
    free(out);
}

/*
 * carry_density = ew: T2 is fed by S2 (600 on 0.5 km², 1200 per km²) and S4 (400 on 0.5 km²,
 * 800 per km²); its mean density is 1000, so its pieces weigh 500 x 1.2 = 600 and 500 x 0.8 =
 * 400 instead of 500 each. T1, T3 and T4 have one source each and keep their weights. Every
 * source still goes whole to T2 (share 1), so the values are those of the even spread.
 * carry_density on a table carried by area is a usage error naming the line.
 */
static void test_carry_density(void **state)
{
    (void)state;
    char ini[4200], args[10000], out_dir[4200], path[4300];
    snprintf(ini, sizeof ini, "%s/dichte.ini", OUT);
    snprintf(out_dir, sizeof out_dir, "%s/dichte", OUT);
    write_variant(ini, "carry = weights ew_2024\ncarry_density = ew\n", "", NULL);
    snprintf(args, sizeof args, "run %s -o %s --no-report", ini, out_dir);
    qtr_run_cli_ok(args);
    snprintf(path, sizeof path, "%s/quartier.gpkg", out_dir);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "crosswalk");
    assert_non_null(l);
    struct {
        const char *src, *tgt;
        double weight, share;
    } want[] = {{"S1", "T1", 300, 0.25}, {"S1", "T3", 900, 0.75}, {"S2", "T2", 600, 1},
                {"S4", "T2", 400, 1},    {"S3", "T4", 500, 2.0 / 3}};
    size_t seen = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "table_id")), "ew2020")) {
            const char *s = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "source_key"));
            const char *g = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "target_key"));
            for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
                if (!strcmp(s, want[k].src) && !strcmp(g, want[k].tgt)) {
                    check_field(f, "weight", want[k].weight);
                    check_field(f, "share", want[k].share);
                    seen++;
                }
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 5);
    l = GDALDatasetGetLayerByName(ds, "districts");
    assert_non_null(l);
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "key")), "T2"))
            check_field(f, "ew_2020", 1000);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);

    snprintf(ini, sizeof ini, "%s/dichte-flaeche.ini", OUT);
    write_variant(ini, "carry = weights ew_2024\n", "carry = area", "carry_density = ew\n");
    snprintf(args, sizeof args, "check %s -q", ini);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 2);
    char want_msg[4300];
    snprintf(want_msg, sizeof want_msg, "%s:", ini);
    if (!strstr(out, want_msg) || !strstr(out, "carry_density") ||
        !strstr(out, "carry = weights"))
        fail_msg("expected '%s', carry_density and carry = weights in: %s", want_msg, out);
    free(out);

    /* a density column the table lacks: the line of the analysis file, the columns there are */
    snprintf(ini, sizeof ini, "%s/dichte-tippfehler.ini", OUT);
    write_variant(ini, "carry = weights ew_2024\ncarry_density = eww\n", "", NULL);
    snprintf(args, sizeof args, "check %s -q", ini);
    assert_int_equal(qtr_run_cli(args, &out), 1);
    snprintf(want_msg, sizeof want_msg, "%s:32: density column", ini);
    if (!strstr(out, want_msg) || !strstr(out, "'eww' not found") ||
        !strstr(out, "(columns: id, ew, mh, anteil_mh)"))
        fail_msg("expected '%s', the column and the columns there are in: %s", want_msg, out);
    free(out);
}

/* Data errors of a carried table exit 1 and name file, line, column and key. */
static void expect_data_error(const char *csv, const char *needle_fmt)
{
    char data[4200], ini[4200], args[10000], zl[4096], ql[4096], want[8400];
    snprintf(data, sizeof data, "%s/fehler.csv", OUT);
    snprintf(ini, sizeof ini, "%s/fehler.ini", OUT);
    snprintf(zl, sizeof zl, "%s", qtr_test_path("tests/data/carry/ziel.geojson"));
    snprintf(ql, sizeof ql, "%s", qtr_test_path("tests/data/carry/quelle.geojson"));
    FILE *f = fopen(data, "w");
    assert_non_null(f);
    fputs(csv, f);
    fclose(f);
    f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f,
            "[boundaries]\nsource = %s\nkey = nr\n[table alt]\nsource = %s\nkey = id\n"
            "boundaries = %s\nboundaries_key = id\n[population]\ntotal = ew\n",
            zl, data, ql);
    fclose(f);
    snprintf(args, sizeof args, "check %s -q", ini);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 1);
    snprintf(want, sizeof want, needle_fmt, data);
    if (!strstr(out, want))
        fail_msg("expected '%s' in: %s", want, out);
    free(out);
}

static void test_data_errors(void **state)
{
    (void)state;
    expect_data_error("id;ew\nS1;100\nS2;zwei\nS3;5\nS4;1\n",
                      "'%s' line 3, column 'ew', key 'S2': 'zwei' is neither a number nor a "
                      "mark");
    expect_data_error("id;ew\nS1;1\nS2;2\nS1;3\n",
                      "'%s' line 4: key 'S1' (column 'id') occurs again (first on line 2)");
}

/* The report says which tables were carried, how, and where to trace it. */
static void test_report_names_carrying(void **state)
{
    (void)state;
    char args[10000], path[4300];
    snprintf(args, sizeof args, "run %s -o %s/mit-bericht -q",
             qtr_test_path("tests/data/carry/analysis.ini"), OUT);
    qtr_run_cli_ok(args);
    snprintf(path, sizeof path, "%s/mit-bericht/report.html", OUT);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char html[1 << 22];
    size_t n = fread(html, 1, sizeof html - 1, f);
    fclose(f);
    html[n] = '\0';
    const char *want[] = {
        "Die Tabelle ew2020 liegt auf einer anderen Gebietsgliederung vor (quelle.geojson)",
        "(dasymetrisch: jedes Quellgebiet nach Fläche mal &#39;ew_2024&#39; der Zielgebiete). ",
        "Die Tabelle ew2020_flaeche liegt auf einer anderen Gebietsgliederung vor "
        "(quelle.geojson) und wurde vor dem Zusammenführen auf die Gebiete der Analyse "
        "übertragen (flächengewichtet). Übertragen werden nur Zählwerte",
        "(Schlüssel von ew2020.csv) und wurde vor dem Zusammenführen auf die Gebiete der "
        "Analyse übertragen (nach der Zuordnungstabelle korrespondenz.csv). Übertragen werden "
        "nur Zählwerte; Anteile und Quoten werden danach berechnet. 5 Stücke",
        "Verfahren und Genauigkeit: Methodenanhang.",
        /* the methods annex: the Berlin validation of each method (docs/crosswalk.md) */
        "Übertragung zwischen Gebietsgliederungen",
        "dasymetrisch, Einwohner 2024 nach der Dichte 2020 verteilt",
        "4,8 %",
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        if (!strstr(html, want[k]))
            fail_msg("report.html lacks: %s", want[k]);
}

/*
 * A '*' count carried onto a district keeps its range: mh of S2 suppressed with '*' (in
 * 1..2), carried dasymetric onto T2 together with S4's 100, makes T2's carried mh a
 * suppressed count in 101..102 (not a secret '.' that leaves T2 out). With ew and mh of 2020
 * as the population: T1 500/125, T2 1000/101..102, T3 1500/375, T4 600/200, so by hand
 * D = 0.5 sum |x_i/X - (t_i - x_i)/(T - X)| is 0.19509375338704432 at 101 and
 * 0.1937614862058578 at 102, and 0.19442730158779697 at the middle 101.5.
 */
static void test_carried_suppressed_range(void **state)
{
    (void)state;
    char csv[4200], ini[4200], args[10000], gpkg[4300], out_dir[4200];
    const char *dir = qtr_test_path("tests/data/carry");
    char d[4096];
    snprintf(d, sizeof d, "%s", dir);
    snprintf(csv, sizeof csv, "%s/ew2020_stern.csv", OUT);
    snprintf(ini, sizeof ini, "%s/stern.ini", OUT);
    snprintf(out_dir, sizeof out_dir, "%s/stern-out", OUT);
    FILE *o = fopen(csv, "w");
    assert_non_null(o);
    fputs("id;ew;mh\nS1;2000;500\nS2;600;*\nS4;400;100\nS3;900;300\n", o);
    fclose(o);
    o = fopen(ini, "w");
    assert_non_null(o);
    fprintf(o,
            "[analysis]\nmin_population = 100\npermutations = 0\nsuppressed_range = 1..2\n"
            "[boundaries]\nsource = %s/ziel.geojson\nkey = nr\nname = name\n"
            "attribution = test fixture\n"
            "[table ew2024]\nsource = %s/ew2024.csv\nkey = nr\nattribution = test fixture\n"
            "[table ew2020]\nsource = %s\nkey = id\nattribution = test fixture\n"
            "suffix = _2020\nboundaries = %s/quelle.geojson\nboundaries_key = id\n"
            "carry = weights ew_2024\n"
            "[population]\ntotal = ew_2020\n"
            "[group mh]\nlabel = mit Migrationshintergrund\ncolumn = mh_2020\n",
            d, d, csv, d);
    fclose(o);
    snprintf(args, sizeof args, "run %s -o %s --no-report -q", ini, out_dir);
    qtr_run_cli_ok(args);
    snprintf(gpkg, sizeof gpkg, "%s/quartier.gpkg", out_dir);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "city_indices");
    assert_non_null(l);
    OGRFeatureH f;
    int seen = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "index")),
                    "dissimilarity")) {
            check_field(f, "value", 0.19442730158779697);
            check_field(f, "suppressed_low", 0.1937614862058578);
            check_field(f, "suppressed_high", 0.19509375338704432);
            seen++;
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 1);
    /* the join report names T2's own range */
    l = GDALDatasetGetLayerByName(ds, "join_report");
    assert_non_null(l);
    seen = 0;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *detail = OGR_F_GetFieldAsString(f, 5);
        if (!strcmp(OGR_F_GetFieldAsString(f, 2), "T2") &&
            strstr(detail, "carried onto this district; the indices take it as 101 to 102"))
            seen++;
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 1);
    GDALClose(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carried_values),
        cmocka_unit_test(test_weights_column_missing),
        cmocka_unit_test(test_carry_density),
        cmocka_unit_test(test_data_errors),
        cmocka_unit_test(test_report_names_carrying),
        cmocka_unit_test(test_carried_suppressed_range),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
