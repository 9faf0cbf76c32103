/*
 * End-to-end tests of the command line: exit codes, messages for bad input (clear message,
 * non-zero exit, nothing written), the join report, and PySAL's published Sacramento values.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "quartier/indices.h"

#include <gdal.h>
#include <ogr_api.h>

static void test_usage_and_version(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(qtr_run_cli("", &out), 2);
    assert_non_null(strstr(out, "usage: quartier"));
    free(out);
    assert_int_equal(qtr_run_cli("--version", &out), 0);
    assert_non_null(strstr(out, "quartier 0."));
    free(out);
    assert_int_equal(qtr_run_cli("frobnicate", &out), 2);
    assert_non_null(strstr(out, "unknown command 'frobnicate'"));
    free(out);
    const char *cmds[] = {"run --help", "check --help", "indices --help"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(qtr_run_cli(cmds[i], &out), 0);
        assert_non_null(strstr(out, "usage: quartier"));
        free(out);
    }
    assert_int_equal(qtr_run_cli("run", &out), 2);
    assert_non_null(strstr(out, "analysis file is missing"));
    free(out);
    assert_int_equal(qtr_run_cli("run a.ini --bogus", &out), 2);
    free(out);
    assert_int_equal(qtr_run_cli("indices x.shp --total T", &out), 2);
    assert_non_null(strstr(out, "--key is required"));
    free(out);
}

/* --only / --skip: index names and families; an unknown name is a usage error. */
static void test_indices_only_skip(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char args[10000];
    char *out = NULL;
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 --format csv -q --permutations 0 --only "
             "dissimilarity,distance_decay",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "\ndissimilarity,HISP_,"));
    assert_non_null(strstr(out, "\nspatial_proximity,HISP_,"));
    assert_non_null(strstr(out, "\ndistance_decay_exposure,HISP_,"));
    assert_null(strstr(out, "\ngini,"));
    assert_null(strstr(out, "\nspatial_dissimilarity,"));
    assert_null(strstr(out, "\nmorans_i,"));
    free(out);
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 --format csv -q --permutations 0 --skip "
             "spatial,concentration_profile",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "\ngini,HISP_,"));
    assert_null(strstr(out, "\nconcentration_profile,"));
    assert_null(strstr(out, "\nspatial_proximity,"));
    assert_null(strstr(out, "\nmorans_i,"));
    free(out);
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 -q --only dissimilarty",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 2);
    assert_non_null(strstr(out, "'dissimilarty' is no index or family name"));
    free(out);
}

/* --only surface: the kernel multigroup indices at 2 km, PySAL's multigroup indices with
 * distance=2000 (../shared/reference/sacramento_pysal.json, kernel_triangular_2000m), on the
 * centroids of the run's own work CRS (UTM 10N); nothing else is printed. */
static void test_surface_indices(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char args[10000];
    char *out = NULL;
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --total TOT_POP --groups "
             "WHITE_,BLACK_,ASIAN_,HISP_ --crs EPSG:4326 --format json -q --permutations 0 "
             "--only surface",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_close(qtr_json_index(out, "surface_dissimilarity", ""), 0.36836698920207905, 1e-9);
    assert_close(qtr_json_index(out, "surface_entropy", ""), 0.13666520717786013, 1e-9);
    assert_close(qtr_json_index(out, "surface_relative_diversity", ""), 0.1304419299917017, 1e-9);
    assert_true(qtr_json_index(out, "surface_isolation", "HISP_") > 0);
    assert_null(strstr(out, "\"multigroup_dissimilarity\""));
    assert_null(strstr(out, "\"dissimilarity\""));
    free(out);
}

/* Sacramento: PySAL's published dissimilarity and the reference values to 1e-9. */
static void test_sacramento_indices(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char args[10000];
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 --format json -q --permutations 0",
             shared);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "{\"units\": 403, \"indices\": ["));
    /* ../shared/reference/sacramento_pysal.json (PySAL segregation 2.5.4), variant null */
    assert_close(qtr_json_index(out, "dissimilarity", "HISP_"), 0.32184656076566864, 1e-9);
    assert_close(qtr_json_index(out, "gini", "HISP_"), 0.43506510676886223, 1e-9);
    assert_close(qtr_json_index(out, "entropy", "HISP_"), 0.09626774479970558, 1e-9);
    assert_close(qtr_json_index(out, "isolation", "HISP_"), 0.2319615486459151, 1e-9);
    assert_close(qtr_json_index(out, "exposure", "HISP_"), 0.7680384513540848, 1e-9);
    /* spatial indices on queen contiguity built from the polygons (shared vertices, as
     * libpysal), in EPSG:32610 */
    assert_close(qtr_json_index(out, "spatial_dissimilarity", "HISP_"), 0.2611974332919437, 1e-9);
    assert_close(qtr_json_index(out, "boundary_spatial_dissimilarity", "HISP_"), 0.2638781237840983,
                 1e-9);
    assert_close(qtr_json_index(out, "perimeter_area_ratio_spatial_dissimilarity", "HISP_"),
                 0.3112698489030513, 1e-9);
    assert_close(qtr_json_index(out, "spatial_proximity_profile", "HISP_"), 0.22847334404621394,
                 1e-9);
    /* --permutations 0 simulates nothing: the indices defined by simulation say so */
    assert_non_null(strstr(out, "\"name\": \"modified_gini\", \"group\": \"HISP_\", \"value\": "
                                "null, \"ci_low\": null, \"ci_high\": null, \"p_value\": null, "
                                "\"expected\": null, \"reason\": \"" QTR_NO_DRAWS_REASON "\""));
    free(out);

    /* PySAL's own departures from the published formulas, on request. */
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 --format json -q --permutations 0 --pysal-compatible",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_close(qtr_json_index(out, "spatial_proximity", "HISP_"), 1.0467806527410615, 1e-9);
    assert_close(qtr_json_index(out, "absolute_clustering", "HISP_"), 0.06070154031429173, 1e-9);
    assert_close(qtr_json_index(out, "relative_clustering", "HISP_"), 0.5172753899054514, 1e-9);
    assert_close(qtr_json_index(out, "distance_decay_isolation", "HISP_"), 0.20144710843905295,
                 1e-9);
    assert_close(qtr_json_index(out, "distance_decay_exposure", "HISP_"), 0.8620769567792763, 1e-9);
    assert_close(qtr_json_index(out, "density_corrected_dissimilarity", "HISP_"), 0.295205155464069,
                 1e-9);
    free(out);

    /* Without --crs the shapefile has no CRS: an error naming the file, exit 1. */
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISP_ --total "
             "TOT_POP -q",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "sacramentot2.shp' have no coordinate reference system"));
    assert_non_null(strstr(out, "--crs"));
    free(out);

    /* A missing column lists the columns that exist. */
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key FIPS --group HISPANIC --total "
             "TOT_POP --crs EPSG:4326 -q",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 2);
    assert_non_null(strstr(out, "group column 'HISPANIC' not found"));
    assert_non_null(strstr(out, "HISP_"));
    free(out);
    snprintf(args, sizeof args,
             "indices %s/data/sacramento/sacramentot2.shp --key GEOID --group HISP_ --total "
             "TOT_POP --crs EPSG:4326 -q",
             shared);
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "key column 'GEOID' not found"));
    assert_non_null(strstr(out, "FIPS"));
    free(out);
}

/* The small town: cp1252, decimal comma, header on row 3, a footer, a repaired bow-tie. */
static void test_mini_run(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char args[10000], path[4096];
    snprintf(args, sizeof args, "run %s -o %s -q", qtr_test_path("tests/data/mini/analysis.ini"),
             tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    snprintf(path, sizeof path, "%s/quartier.gpkg", tmp);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "districts");
    assert_non_null(l);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 4);
    /* Umlauts arrive as UTF-8; secret '.' is NULL, '-' is a true 0. */
    OGRFeatureH f;
    int seen = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *key = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "key"));
        int ia = OGR_F_GetFieldIndex(f, "Ausländer");
        int iw = OGR_F_GetFieldIndex(f, "Wohnfläche je EW");
        int is = OGR_F_GetFieldIndex(f, "mh_share");
        assert_true(ia >= 0 && iw >= 0 && is >= 0);
        assert_non_null(OGR_F_GetGeometryRef(f));
        if (!strcmp(key, "01")) {
            assert_int_equal(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "Einwohner")),
                             1200);
            assert_close(OGR_F_GetFieldAsDouble(f, iw), 31.5, 1e-12);
            assert_close(OGR_F_GetFieldAsDouble(f, is), 50.0, 1e-12);
            seen++;
        } else if (!strcmp(key, "02")) {
            assert_string_equal(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")),
                                "Nördliche Vorstadt");
            seen++;
        } else if (!strcmp(key, "03")) {
            assert_false(OGR_F_IsFieldSetAndNotNull(f, ia));
            seen++;
        } else if (!strcmp(key, "04")) {
            assert_true(OGR_F_IsFieldSetAndNotNull(f, ia));
            assert_int_equal(OGR_F_GetFieldAsInteger64(f, ia), 0);
            seen++;
        }
        OGR_F_Destroy(f);
    }
    assert_int_equal(seen, 4);
    /* city_indices: D by hand. X = 1150, Y = 2350 (1200-600, 1000-100, 800-400, 500-50):
     * D = 1/2 (|600/1150 - 600/2350| + |100/1150 - 900/2350| + |400/1150 - 400/2350|
     *          + |50/1150 - 450/2350|) = 0.44744...; computed exactly below. */
    double X = 1150, Y = 2350;
    double d = 0.5 * (fabs(600 / X - 600 / Y) + fabs(100 / X - 900 / Y) + fabs(400 / X - 400 / Y) +
                      fabs(50 / X - 450 / Y));
    l = GDALDatasetGetLayerByName(ds, "city_indices");
    assert_non_null(l);
    int found = 0;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, 0), "dissimilarity")) {
            assert_close(OGR_F_GetFieldAsDouble(f, 2), d, 1e-12);
            found = 1;
        }
        OGR_F_Destroy(f);
    }
    assert_true(found);
    /* The join report names the unmatched row and the repaired polygon. */
    l = GDALDatasetGetLayerByName(ds, "join_report");
    int unmatched = 0, repaired = 0, note = 0;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *kind = OGR_F_GetFieldAsString(f, 0);
        const char *key = OGR_F_GetFieldAsString(f, 2);
        unmatched += !strcmp(kind, "no_boundary") && !strcmp(key, "05");
        repaired += !strcmp(kind, "repaired_geometry") && !strcmp(key, "04");
        note += !strcmp(kind, "note_row");
        OGR_F_Destroy(f);
    }
    assert_int_equal(unmatched, 1);
    assert_int_equal(repaired, 1);
    assert_int_equal(note, 1);
    GDALClose(ds);

    /* GeoJSON: RFC 7946, lon/lat around 7.5 E, 51 N. */
    snprintf(path, sizeof path, "%s/districts.geojson", tmp);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    l = GDALDatasetGetLayer(ds, 0);
    assert_int_equal(OGR_L_GetFeatureCount(l, 1), 4);
    OGREnvelope env;
    assert_int_equal(OGR_L_GetExtent(l, &env, 1), OGRERR_NONE);
    assert_true(env.MinX > 5 && env.MaxX < 10 && env.MinY > 50 && env.MaxY < 52);
    GDALClose(ds);

    /* Strict mode turns the unmatched row into an error, and nothing is overwritten. */
    struct stat before, after;
    snprintf(path, sizeof path, "%s/quartier.gpkg", tmp);
    assert_int_equal(stat(path, &before), 0);
    snprintf(args, sizeof args, "run %s -o %s -q --strict",
             qtr_test_path("tests/data/mini/analysis.ini"), tmp);
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "strict"));
    free(out);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_mtime, after.st_mtime);
    assert_int_equal(before.st_size, after.st_size);
}

/* Write an analysis file into dir, with the mini town's data by absolute path. */
static void write_ini(const char *dir, const char *extra_population, const char *extra)
{
    char path[4096], bnd[4096], stats[4096];
    snprintf(bnd, sizeof bnd, "%s", qtr_test_path("tests/data/mini/bezirke.geojson"));
    snprintf(stats, sizeof stats, "%s", qtr_test_path("tests/data/mini/stats.csv"));
    snprintf(path, sizeof path, "%s/a.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[analysis]\noutput = %s/out\n%s\n[boundaries]\nsource = %s\nkey = nr\nname = "
            "bezname\n\n[table ew]\nsource = %s\nkey = Bezirk\nheader_row = 3\n\n[population]\n"
            "total = Einwohner\n%s\n[group mh]\ncolumn = mit Migrationshintergrund\n",
            dir, extra ? extra : "", bnd,
            strcmp(extra_population, "BAD_TABLE") ? stats : "/nonexistent/stats.csv",
            strcmp(extra_population, "BAD_TABLE") ? extra_population : "");
    fclose(f);
}

static void expect_failure(const char *dir, const char *needle, int code)
{
    char args[10000], out_dir[1024];
    char *out = NULL;
    snprintf(args, sizeof args, "run %s/a.ini -q", dir);
    assert_int_equal(qtr_run_cli(args, &out), code);
    if (!strstr(out, needle))
        fail_msg("expected '%s' in:\n%s", needle, out);
    free(out);
    snprintf(out_dir, sizeof out_dir, "%s/out/quartier.gpkg", dir);
    assert_false(qtr_file_exists(out_dir));
}

static void test_bad_analysis_files(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", tmp);

    write_ini(dir, "", "colour = blue\n");
    expect_failure(dir, "a.ini:3: unknown key 'colour' in [analysis]", 2);

    write_ini(dir, "previous_total = x\nweird = 1\n", NULL);
    expect_failure(dir, "unknown key 'weird' in [population]", 2);

    write_ini(dir, "BAD_TABLE", NULL);
    expect_failure(dir, "/nonexistent/stats.csv", 1);

    /* Group column that does not exist: the message lists the columns. */
    char path[4096];
    snprintf(path, sizeof path, "%s/a.ini", dir);
    write_ini(dir, "", NULL);
    FILE *f = fopen(path, "a");
    fputs("[group x]\ncolumn = Auslaender\n", f);
    fclose(f);
    expect_failure(dir, "group column 'Auslaender' not found in the joined data", 2);
    expect_failure(dir, "Ausländer", 2);

    write_ini(dir, "", "min_population = many\n");
    expect_failure(dir, "'min_population' must be a number", 2);
}

/* Counts that cannot be right: group above total, negative, a missing total. */
static void test_bad_counts(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char path[4096], args[10000];
    snprintf(path, sizeof path, "%s/stats.csv", tmp);
    FILE *f = fopen(path, "w");
    fputs("Bezirk;Einwohner;MH\n01;1000;1200\n02;900;-5\n03;;10\n04;0;0\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/a.ini", tmp);
    f = fopen(path, "w");
    fprintf(f,
            "[analysis]\noutput = out\n[boundaries]\nsource = %s\nkey = nr\nname = bezname\n"
            "[table ew]\nsource = stats.csv\nkey = Bezirk\n[population]\ntotal = Einwohner\n"
            "[group mh]\ncolumn = MH\n",
            qtr_test_path("tests/data/mini/bezirke.geojson"));
    fclose(f);
    char *out = NULL;
    snprintf(args, sizeof args, "check %s -q", path);
    /* No district is usable: check says the run would fail. */
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "01 \"Altstadt\" [ew] group 'MH' (1200) is larger than the total"));
    assert_non_null(strstr(out, "02 \"Nördliche Vorstadt\" [ew] group 'MH' is negative (-5)"));
    assert_non_null(strstr(out, "03 \"Südstadt\" [ew] total 'Einwohner' is empty"));
    assert_non_null(strstr(out, "04 \"Am Mühlbach\" [ew] no residents"));
    assert_non_null(strstr(out, "no district can enter the indices"));
    free(out);
    snprintf(args, sizeof args, "run %s -q", path);
    assert_int_equal(qtr_run_cli(args, &out), 1);
    free(out);
    snprintf(path, sizeof path, "%s/out/quartier.gpkg", tmp);
    assert_false(qtr_file_exists(path));
}

/* A suppressed group count ('*' = 1..2) keeps the district in and turns each index into a
 * range: D with the count at 1 and at 2, computed here from the definition. */
static double dissim(const double *x, const double *t, int n)
{
    double X = 0, T = 0, s = 0;
    for (int i = 0; i < n; i++) {
        X += x[i];
        T += t[i];
    }
    for (int i = 0; i < n; i++)
        s += fabs(x[i] / X - (t[i] - x[i]) / (T - X));
    return s / 2;
}

static void test_suppressed_range(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char path[4096], args[10000];
    snprintf(path, sizeof path, "%s/s.csv", tmp);
    FILE *f = fopen(path, "w");
    fputs("Bezirk;Einwohner;MH\n01;1000;400\n02;900;*\n03;800;100\n04;700;50\n", f);
    fclose(f);
    snprintf(args, sizeof args,
             "indices %s %s --key nr --stats-key Bezirk --group MH --total Einwohner --format "
             "json -q --permutations 0",
             qtr_test_path("tests/data/mini/bezirke.geojson"), path);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    double t[] = {1000, 900, 800, 700};
    double x1[] = {400, 1, 100, 50}, x2[] = {400, 2, 100, 50};
    double d1 = dissim(x1, t, 4), d2 = dissim(x2, t, 4);
    const char *p = strstr(out, "\"suppressed_low\": ");
    assert_non_null(p);
    assert_close(strtod(p + 18, NULL), d1 < d2 ? d1 : d2, 1e-12);
    p = strstr(out, "\"suppressed_high\": ");
    assert_non_null(p);
    assert_close(strtod(p + 19, NULL), d1 < d2 ? d2 : d1, 1e-12);
    /* the value itself takes the middle of the range, rounded to a person: 2 */
    assert_close(qtr_json_index(out, "dissimilarity", "MH"), d2, 1e-12);
    assert_non_null(strstr(out, "\"units\": 4"));
    free(out);
}

/* GAL file as a sorted list of "key: neighbour neighbour ..." lines (order-free compare). */
static int load_gal(const char *path, char lines[][512], int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char head[256], key[64];
    int count, n = 0;
    if (!fgets(head, sizeof head, f)) {
        fclose(f);
        return -1;
    }
    while (n < max && fscanf(f, "%63s %d", key, &count) == 2) {
        long nb[64];
        for (int j = 0; j < count && j < 64; j++)
            if (fscanf(f, "%ld", &nb[j]) != 1)
                count = j;
        for (int a = 1; a < count && a < 64; a++)
            for (int b = a; b > 0 && nb[b - 1] > nb[b]; b--) {
                long t = nb[b];
                nb[b] = nb[b - 1];
                nb[b - 1] = t;
            }
        int len = snprintf(lines[n], 512, "%s:", key);
        for (int j = 0; j < count && j < 64 && len < 500; j++)
            len += snprintf(lines[n] + len, (size_t)(512 - len), " %ld", nb[j]);
        n++;
    }
    fclose(f);
    qsort(lines, (size_t)n, 512, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* quartier weights: rook contiguity of the Sacramento tracts equals the GAL file that
 * libpysal ships (which holds rook neighbours, though labelled queen: docs/weights.md). */
static void test_weights_gal(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    char args[10000], gal[4096], ref[4096];
    snprintf(gal, sizeof gal, "%s/rook.gal", tmp);
    snprintf(ref, sizeof ref, "%s/data/sacramento/sacramentot2.gal", shared);
    snprintf(args, sizeof args,
             "weights %s/data/sacramento/sacramentot2.shp --key POLYID --crs EPSG:4326 --type "
             "rook -o %s -q",
             shared, gal);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "403 districts, 2128 neighbour pairs"));
    free(out);
    static char a[450][512], b[450][512];
    int na = load_gal(gal, a, 450), nb = load_gal(ref, b, 450);
    assert_int_equal(na, 403);
    assert_int_equal(nb, 403);
    for (int i = 0; i < na; i++)
        assert_string_equal(a[i], b[i]);
    /* queen adds the 197 pairs that touch at a corner only (2522 entries, as libpysal) */
    snprintf(args, sizeof args,
             "weights %s/data/sacramento/sacramentot2.shp --key POLYID --crs EPSG:4326 --type "
             "queen -o %s -q",
             shared, gal);
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_non_null(strstr(out, "403 districts, 2522 neighbour pairs"));
    free(out);
    /* kernel weights carry values: .gal is refused */
    snprintf(args, sizeof args,
             "weights %s/data/sacramento/sacramentot2.shp --key POLYID --crs EPSG:4326 --type "
             "kernel --bandwidth 2000 -o %s -q",
             shared, gal);
    assert_int_equal(qtr_run_cli(args, &out), 2);
    free(out);
}

/* Outputs never go over an input. */
static void test_never_over_input(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char path[4096], args[10000];
    snprintf(path, sizeof path, "%s/quartier.gpkg", tmp);
    snprintf(args, sizeof args, "ogr2ogr -f GPKG %s %s >/dev/null 2>&1", path,
             qtr_test_path("tests/data/mini/bezirke.geojson"));
    if (system(args) != 0)
        skip();
    snprintf(path, sizeof path, "%s/a.ini", tmp);
    FILE *f = fopen(path, "w");
    fprintf(f,
            "[analysis]\noutput = .\n[boundaries]\nsource = quartier.gpkg\nkey = nr\n"
            "[table ew]\nsource = %s\nkey = Bezirk\nheader_row = 3\n[population]\n"
            "total = Einwohner\n[group mh]\ncolumn = mit Migrationshintergrund\n",
            qtr_test_path("tests/data/mini/stats.csv"));
    fclose(f);
    char *out = NULL;
    snprintf(args, sizeof args, "run %s -q", path);
    assert_int_equal(qtr_run_cli(args, &out), 2);
    assert_non_null(strstr(out, "lies in the output folder"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_and_version), cmocka_unit_test(test_sacramento_indices),
        cmocka_unit_test(test_indices_only_skip), cmocka_unit_test(test_surface_indices),
        cmocka_unit_test(test_mini_run),          cmocka_unit_test(test_bad_analysis_files),
        cmocka_unit_test(test_bad_counts),        cmocka_unit_test(test_never_over_input),
        cmocka_unit_test(test_suppressed_range),  cmocka_unit_test(test_weights_gal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
