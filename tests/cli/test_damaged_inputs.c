/*
 * Damaged and implausible inputs (issue 9 section 2): each is refused with a message naming
 * the file (and line, column, district where there is one), exit 1 for data and 2 for usage
 * problems, and nothing is written to the output folder.
 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <dirent.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>

/* The output folder of an analysis in dir was not created, or holds nothing. */
static void assert_nothing_written(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/out", dir);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("'%s' was written to the output folder %s", e->d_name, path);
    closedir(d);
}

/* Write dir/a.ini: boundaries and table (paths), optional extra [population] lines and extra
 * sections. */
static void write_analysis(const char *dir, const char *boundaries, const char *key,
                           const char *table, const char *population, const char *extra)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/a.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = out\npermutations = 0\n\n[boundaries]\nsource = %s\nkey = %s\n\n"
            "[table ew]\nsource = %s\nkey = Bezirk\n\n[population]\ntotal = Einwohner\n%s\n"
            "[group mh]\ncolumn = MH\n%s",
            boundaries, key, table, population ? population : "", extra ? extra : "");
    fclose(f);
}

/* Run `quartier CMD dir/a.ini -q`; assert the exit code and that out names every needle. */
static void expect(const char *cmd, const char *dir, int code, const char *const *needles)
{
    char args[8192];
    char *out = NULL;
    snprintf(args, sizeof args, "%s %s/a.ini -q", cmd, dir);
    int got = qtr_run_cli(args, &out);
    if (got != code)
        fail_msg("'quartier %s' exited %d, expected %d:\n%s", args, got, code, out);
    for (size_t i = 0; needles && needles[i]; i++)
        if (!strstr(out, needles[i]))
            fail_msg("expected '%s' in:\n%s", needles[i], out);
    free(out);
    assert_nothing_written(dir);
}

static void write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    qtr_write_file(path, data, len);
}

static const char stats_csv[] = "Bezirk;Einwohner;MH\n01;1200;600\n02;1000;100\n03;800;400\n"
                                "04;500;50\n";

/* The mini town's four districts as a Shapefile dir/bezirke.shp (.shx, .dbf, .prj). */
static void write_shapefile(const char *dir)
{
    char dst[4096];
    snprintf(dst, sizeof dst, "%s/bezirke.shp", dir);
    GDALAllRegister();
    GDALDatasetH src = GDALOpenEx(qtr_test_path("tests/data/mini/bezirke.geojson"), GDAL_OF_VECTOR,
                                  NULL, NULL, NULL);
    assert_non_null(src);
    char *argv[] = {"-f", "ESRI Shapefile", NULL};
    GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
    int usage = 0;
    GDALDatasetH out = GDALVectorTranslate(dst, NULL, 1, &src, o, &usage);
    assert_non_null(out);
    GDALClose(out);
    GDALVectorTranslateOptionsFree(o);
    GDALClose(src);
}

static off_t file_size(const char *dir, const char *name)
{
    char path[4096];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

static void cut(const char *dir, const char *name, off_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(truncate(path, size), 0);
}

/* A Shapefile copied half: the .shp cut in the second polygon (GDAL reports each shape it
 * cannot read and returns the feature without geometry), the .dbf cut in the last record
 * (GDAL stops there as if the layer ended). Before: exit 0 with "no geometry" warnings, or
 * three of four districts. */
static void test_shapefile_cut_short(void **state)
{
    (void)state;
    const char *const shp_needles[] = {
        "bezirke.shp': the file is damaged or incomplete: read 1 of 4 districts (GDAL: ",
        "from .shp file", "copy or export it again", NULL};
    const char *const dbf_needles[] = {
        "bezirke.shp': the file is damaged or incomplete: read 3 of 4 districts (GDAL: ",
        "DBF file", NULL};
    for (int which = 0; which < 2; which++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
        write_shapefile(dir);
        write_file(dir, "stats.csv", stats_csv, strlen(stats_csv));
        write_analysis(dir, "bezirke.shp", "nr", "stats.csv", NULL, NULL);
        /* complete, it runs */
        char args[8192];
        char *out = NULL;
        snprintf(args, sizeof args, "check %s/a.ini -q", dir);
        assert_int_equal(qtr_run_cli(args, &out), 0);
        free(out);
        /* 100-byte header, then 136 bytes per square (8 header + 44 + 4 + 80 for 5 points):
         * 300 bytes end inside the second record */
        if (which == 0)
            cut(dir, "bezirke.shp", 300);
        else
            cut(dir, "bezirke.dbf", file_size(dir, "bezirke.dbf") - 60);
        expect("run", dir, 1, which == 0 ? shp_needles : dbf_needles);
        expect("check", dir, 1, which == 0 ? shp_needles : dbf_needles);
    }
}

/* GeoJSON and GeoPackage cut short fail when GDAL opens them: the message says so rather
 * than pointing at the path. */
static void test_other_formats_cut_short(void **state)
{
    (void)state;
    static const char *const names[] = {"bezirke.geojson", "bezirke.gpkg"};
    static const char *const why[] = {"(Failed to read GeoJSON data)",
                                      "(database disk image is malformed)"};
    for (int k = 0; k < 2; k++) {
        char dir[512], dst[4096];
        snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
        snprintf(dst, sizeof dst, "%s/%s", dir, names[k]);
        GDALAllRegister();
        GDALDatasetH src = GDALOpenEx(qtr_test_path("tests/data/mini/bezirke.geojson"),
                                      GDAL_OF_VECTOR, NULL, NULL, NULL);
        assert_non_null(src);
        char *argv[] = {"-f", k ? "GPKG" : "GeoJSON", NULL};
        GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
        GDALDatasetH out = GDALVectorTranslate(dst, NULL, 1, &src, o, NULL);
        assert_non_null(out);
        GDALClose(out);
        GDALVectorTranslateOptionsFree(o);
        GDALClose(src);
        cut(dir, names[k], file_size(dir, names[k]) / 2);
        write_file(dir, "stats.csv", stats_csv, strlen(stats_csv));
        write_analysis(dir, names[k], "nr", "stats.csv", NULL, NULL);
        char msg[256];
        snprintf(msg, sizeof msg, "%s' %s; the file is damaged or incomplete", names[k], why[k]);
        const char *const needles[] = {"cannot open boundaries '", msg, "copy or export it again",
                                       NULL};
        expect("run", dir, 1, needles);
        expect("check", dir, 1, needles);
    }
}

/* A record marked deleted in the .dbf is skipped by GDAL and counted by the layer: that is no
 * damage, and the three remaining districts are read. */
static void test_shapefile_deleted_record(void **state)
{
    (void)state;
    char dir[512], path[4096];
    snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
    write_shapefile(dir);
    write_file(dir, "stats.csv", stats_csv, strlen(stats_csv));
    write_analysis(dir, "bezirke.shp", "nr", "stats.csv", NULL, NULL);
    snprintf(path, sizeof path, "%s/bezirke.dbf", dir);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    unsigned char h[12];
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    long hdr = h[8] | h[9] << 8, len = h[10] | h[11] << 8;
    assert_int_equal(fseek(f, hdr + len, SEEK_SET), 0); /* the second record, district 02 */
    assert_int_equal(fputc('*', f), '*');
    fclose(f);
    char args[8192];
    char *out = NULL;
    snprintf(args, sizeof args, "check %s/a.ini", dir);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    if (!strstr(out, "3 of 3 districts have statistics") ||
        !strstr(out, "02 [ew] line 3 of table 'ew' matches no district"))
        fail_msg("expected three districts and 02 without boundary in:\n%s", out);
    free(out);
}

/* A statistics table with NUL bytes (a disk or copy error; the 0xFC makes it Windows-1252):
 * before, the table silently ended at the NUL and districts 03 and 04 had no statistics. */
static void test_csv_nul(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
    static const char csv[] = "Bezirk;Einwohner;MH\n01;1200;600\n02;1000;100\n03;8\0\0\0;400\n"
                              "04;500;50\n\xFC\n";
    write_file(dir, "stats.csv", csv, sizeof csv - 1);
    char bnd[4096];
    snprintf(bnd, sizeof bnd, "%s", qtr_test_path("tests/data/mini/bezirke.geojson"));
    write_analysis(dir, bnd, "nr", "stats.csv", NULL, NULL);
    const char *const needles[] = {"stats.csv': line 4 holds a NUL byte (byte 49 of the file)",
                                   NULL};
    expect("run", dir, 1, needles);
    expect("check", dir, 1, needles);
}

/* Counts at the previous date are checked like the current ones. Before, 1e308 as the 2020
 * total gave a previous D of 0.0 and a "normal" change test, and -5 dropped a district from
 * the 2020 indices without a word. */
static void test_previous_counts(void **state)
{
    (void)state;
    char dir[512], bnd[4096];
    snprintf(bnd, sizeof bnd, "%s", qtr_test_path("tests/data/mini/bezirke.geojson"));
    static const char *const prev = "previous_total = EW2020\nprevious_date = 2020-12-31\n"
                                    "date = 2022-12-31\n";
    static const char *const csvs[] = {
        /* 0: a total no city has, at the previous date */
        "Bezirk;Einwohner;MH;EW2020;MH2020\n01;1200;600;1100;500\n02;1000;100;950;90\n"
        "03;800;400;1e308;380\n04;500;50;480;45\n",
        /* 1: the same at the current date, beyond 1e12 */
        "Bezirk;Einwohner;MH;EW2020;MH2020\n01;1200;600;1100;500\n02;1000;100;950;90\n"
        "03;2000000000000;400;790;380\n04;500;50;480;45\n",
        /* 2: a previous group that is beyond 1e12 */
        "Bezirk;Einwohner;MH;EW2020;MH2020\n01;1200;600;1100;500\n02;1000;100;950;90\n"
        "03;800;400;790;380\n04;500;50;480;-4e15\n",
    };
    static const char *const needles[][2] = {
        {"stats.csv' [ew], column 'EW2020' (previous total), district 03: 1e+308 is not a "
         "number of residents (more than 1e+12)",
         "check the cell, the column and its decimal mark"},
        {"stats.csv' [ew], column 'Einwohner' (total), district 03: 2e+12 is not a number of "
         "residents",
         NULL},
        {"stats.csv' [ew], column 'MH2020' (previous group), district 04: -4e+15 is not a "
         "number of residents",
         NULL},
    };
    for (size_t k = 0; k < 3; k++) {
        snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
        write_file(dir, "stats.csv", csvs[k], strlen(csvs[k]));
        write_analysis(dir, bnd, "nr", "stats.csv", prev, "previous = MH2020\n");
        const char *const n[] = {needles[k][0], needles[k][1], NULL};
        expect("run", dir, 1, n);
        expect("check", dir, 1, n);
    }

    /* -5 and a group above the total at the previous date: reported by district like the
     * same problems at the current date (the district leaves that date's indices), and an
     * error in strict mode */
    snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
    static const char csv[] = "Bezirk;Einwohner;MH;EW2020;MH2020\n01;1200;600;1100;500\n"
                              "02;1000;100;950;-5\n03;800;400;790;800\n04;500;50;480;45\n";
    write_file(dir, "stats.csv", csv, strlen(csv));
    write_analysis(dir, bnd, "nr", "stats.csv", prev, "previous = MH2020\n");
    char args[8192];
    char *out = NULL;
    snprintf(args, sizeof args, "check %s/a.ini", dir);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    const char *want[] = {"02 [ew] previous group 'MH2020' is negative (-5); district left out "
                          "of the previous date's indices",
                          "03 [ew] previous group 'MH2020' (800) is larger than the previous "
                          "total 'EW2020' (790)"};
    for (size_t i = 0; i < 2; i++)
        if (!strstr(out, want[i]))
            fail_msg("expected '%s' in:\n%s", want[i], out);
    free(out);
    snprintf(args, sizeof args, "run %s/a.ini -q --strict", dir);
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "2 warnings in the join and data-quality report, and strict "
                                "mode is on"));
    free(out);
    assert_nothing_written(dir);
    /* without strict the comparison runs on the two districts usable at both dates */
    snprintf(args, sizeof args, "run %s/a.ini -q", dir);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
}

/* Four 1 km squares (01 to 04), a 1000 m x 0.01 m sliver (05) and a polygon whose points lie
 * on one line (06). */
static void write_town_with_slivers(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/b.geojson", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
          "{\"name\": \"urn:ogc:def:crs:EPSG::25832\"}}, \"features\": [\n",
          f);
    static const double sq[4][2] = {{0, 0}, {1000, 0}, {0, 1000}, {1000, 1000}};
    for (int k = 0; k < 4; k++) {
        double x = 470000 + sq[k][0], y = 5650000 + sq[k][1];
        fprintf(f,
                "{\"type\": \"Feature\", \"properties\": {\"nr\": \"0%d\"}, \"geometry\": "
                "{\"type\": \"Polygon\", \"coordinates\": [[[%.2f, %.2f], [%.2f, %.2f], "
                "[%.2f, %.2f], [%.2f, %.2f], [%.2f, %.2f]]]}},\n",
                k + 1, x, y, x + 1000, y, x + 1000, y + 1000, x, y + 1000, x, y);
    }
    fputs("{\"type\": \"Feature\", \"properties\": {\"nr\": \"05\"}, \"geometry\": "
          "{\"type\": \"Polygon\", \"coordinates\": [[[470000, 5649999.99], "
          "[471000, 5649999.99], [471000, 5650000], [470000, 5650000], "
          "[470000, 5649999.99]]]}},\n"
          "{\"type\": \"Feature\", \"properties\": {\"nr\": \"06\"}, \"geometry\": "
          "{\"type\": \"Polygon\", \"coordinates\": [[[472000, 5650000], "
          "[472500, 5650000], [473000, 5650000], [472000, 5650000]]]}}\n]}\n",
          f);
    fclose(f);
}

/* Districts without residents count with their area in delta, concentration and
 * centralization (as PySAL); slivers and zero-area polygons are reported by key and left out
 * of those indices. Before, the pipeline dropped 03 (no residents) and the zero-area polygon
 * stopped the run ("could not be repaired"). */
static void test_area_indices_districts(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
    write_town_with_slivers(dir);
    static const char csv[] =
        "Bezirk;Einwohner;MH\n01;1200;600\n02;1000;100\n03;0;0\n04;500;50\n05;400;40\n"
        "06;300;30\n";
    write_file(dir, "stats.csv", csv, strlen(csv));
    write_analysis(dir, "b.geojson", "nr", "stats.csv", NULL, NULL);
    char args[8192];
    char *out = NULL;
    snprintf(args, sizeof args, "check %s/a.ini", dir);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    const char *want[] = {
        "05 [boundaries] polygon of 10 m², a sliver (below 1/10000 of the median district); "
        "left out of the indices that weigh districts by area",
        "06 [boundaries] polygon of 0 m², no area at all; left out of the indices",
        "03 [ew] no residents; counts with its area in delta, concentration and "
        "centralization"};
    for (size_t i = 0; i < 3; i++)
        if (!strstr(out, want[i]))
            fail_msg("expected '%s' in:\n%s", want[i], out);
    free(out);

    /* delta = 1/2 sum |x_i/X - a_i/A| over 01 to 04 (03 with its area, 05 and 06 out):
     * X = 750, A = 4 km² */
    double X = 750, d = 0.5 * (fabs(600 / X - 0.25) + fabs(100 / X - 0.25) + fabs(0 / X - 0.25) +
                               fabs(50 / X - 0.25));
    assert_close(d, 0.55, 1e-15);
    for (int pysal = 0; pysal < 2; pysal++) {
        snprintf(args, sizeof args,
                 "indices %s/b.geojson %s/stats.csv --key nr --stats-key Bezirk --group MH "
                 "--total Einwohner --format json -q --permutations 0%s",
                 dir, dir, pysal ? " --pysal-compatible" : "");
        assert_int_equal(qtr_run_cli(args, &out), 0);
        assert_close(qtr_json_index(out, "delta", "MH"), d, 1e-12);
        /* D over the five districts with residents: 03 carries no weight there */
        double x[] = {600, 100, 50, 40, 30}, t[] = {1200, 1000, 500, 400, 300}, s = 0;
        for (int i = 0; i < 5; i++)
            s += fabs(x[i] / 820 - (t[i] - x[i]) / (3400 - 820));
        assert_close(qtr_json_index(out, "dissimilarity", "MH"), 0.5 * s, 1e-12);
        free(out);
    }
    snprintf(args, sizeof args, "run %s/a.ini -q", dir);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
}

/* An indicator of 1e18 and more (finite, if odd) is labelled in maps and report: before,
 * formatting the class labels failed and the run exited 2 as if the command line were wrong. */
static void test_huge_indicator_labels(void **state)
{
    (void)state;
    char dir[512], bnd[4096];
    snprintf(dir, sizeof dir, "%s", qtr_temp_dir());
    snprintf(bnd, sizeof bnd, "%s", qtr_test_path("tests/data/mini/bezirke.geojson"));
    static const char csv[] = "Bezirk;Einwohner;MH;Wert\n01;1200;600;1\n02;1000;100;2\n"
                              "03;800;400;3,5\n04;500;50;4\n";
    write_file(dir, "stats.csv", csv, strlen(csv));
    write_analysis(dir, bnd, "nr", "stats.csv", NULL,
                   "\n[indicator gross]\nexpr = \"Wert\" * 1e18\nlabel = Sehr groß\n"
                   "classification = equal\nclasses = 3\n");
    char args[8192], path[4096];
    char *out = NULL;
    snprintf(args, sizeof args, "run %s/a.ini -q", dir);
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("exit %d:\n%s", rc, out);
    free(out);
    snprintf(path, sizeof path, "%s/out/quartier.gpkg", dir);
    assert_true(qtr_file_exists(path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapefile_cut_short),
        cmocka_unit_test(test_shapefile_deleted_record),
        cmocka_unit_test(test_other_formats_cut_short),
        cmocka_unit_test(test_csv_nul),
        cmocka_unit_test(test_previous_counts),
        cmocka_unit_test(test_area_indices_districts),
        cmocka_unit_test(test_huge_indicator_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
