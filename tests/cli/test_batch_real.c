/*
 * [batch] on real data from ../shared (skipped without it): Berlin 2021's 12 Bezirke
 * (prefix:2 of the Planungsraum key) and Hamburg's 7 Bezirke (column district_id), each run
 * with --jobs 2 and with one --region per process (two at a time through xargs -P 2, as
 * docs/batch.md shows); every region's GeoPackage must be the same file either way
 * (SOURCE_DATE_EPOCH fixes the date of the run), and the comparison must account for every
 * district and resident of the city.
 */
#include "test_util.h"

#include "cli/batch_util.h"
#include "cli/cli_util.h"
#include "quartier/strutil.h"

/* The analysis file at geodata/REL with its paths made absolute, its output in OUT and
 * `extra` appended (the [batch] section). */

/* Run the batch with --jobs 2, then each region in its own process (two at a time, as
 * `xargs -P 2` does); every region's GeoPackage must be the same file. */
static void jobs_and_regions(const char *ini, const char *tmp, const char *const *keys,
                             size_t nkeys)
{
    char args[4096];
    char *o = NULL;
    snprintf(args, sizeof args, "run %s --jobs 2 --permutations 9 --no-report", ini);
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("%s: %d\n%s", args, rc, o);
    const char *bin = getenv("QTR_BIN") ? getenv("QTR_BIN") : "build/quartier";
    struct qtr_buf cmd = {0};
    qtr_buf_puts(&cmd, "printf '");
    for (size_t k = 0; k < nkeys; k++)
        qtr_buf_printf(&cmd, "%s\\n", keys[k]);
    qtr_buf_printf(&cmd,
                   "' | xargs -P 2 -I KEY '%s' run %s --region KEY -o %s/single -q "
                   "--permutations 9 --no-report >/dev/null",
                   bin, ini, tmp);
    assert_int_equal(system(cmd.data), 0);
    qtr_buf_release(&cmd);
    for (size_t k = 0; k < nkeys; k++) {
        char a[800], b[800];
        snprintf(a, sizeof a, "%s/out/regions/%s/quartier.gpkg", tmp, keys[k]);
        snprintf(b, sizeof b, "%s/single/regions/%s/quartier.gpkg", tmp, keys[k]);
        if (!same_bytes(a, b))
            fail_msg("region %s: %s and %s differ", keys[k], a, b);
    }
}

/* Features of the boundary layer whose column `col` (or key prefix) is `value`. */
static long count_where(const char *path, const char *where)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGR_L_SetAttributeFilter(l, where);
    long n = (long)OGR_L_GetFeatureCount(l, 1);
    GDALClose(ds);
    return n;
}

static void test_berlin_bezirke(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    const char *ini =
        batch_ini(shared, "geodata/berlin/berlin-2021.ini", tmp, "\n[batch]\nby = prefix:2\n");
    static const char *const keys[] = {"01", "02", "03", "04", "05", "06",
                                       "07", "08", "09", "10", "11", "12"};
    jobs_and_regions(ini, tmp, keys, 12);
    char out[600], shp[1024], where[128];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(shp, sizeof shp, "%s/data/berlin/lor2021_plr542/geometry/lor_planungsraeume_2021.shp",
             shared);
    assert_close(cmp_value(out, "SELECT count(*) FROM regions WHERE outcome = 'ok'"), 12, 0);
    assert_close(cmp_value(out, "SELECT sum(districts) FROM regions"), 542, 0);
    assert_close(cmp_value(out, "SELECT sum(districts_in_indices) FROM regions"), 536, 0);
    for (size_t k = 0; k < 12; k++) {
        char sql[200];
        snprintf(where, sizeof where, "PLR_ID LIKE '%s%%'", keys[k]);
        snprintf(sql, sizeof sql, "SELECT districts FROM regions WHERE region = '%s'", keys[k]);
        assert_close(cmp_value(out, sql), (double)count_where(shp, where), 0);
    }
    /* the residents of the regions add up to the city's (the population table's sum) */
    char csv[1024];
    snprintf(csv, sizeof csv,
             "%s/data/berlin/lor2021_plr542/berlin-lor-population-2024-02-t1-planning-areas.csv",
             shared);
    char *t = qtr_read_file(csv, NULL);
    assert_non_null(t);
    double city = 0;
    for (char *p = strchr(t, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char *comma = strchr(p + 1, ',');
        assert_non_null(comma);
        city += strtod(comma + 1, NULL);
    }
    free(t);
    assert_true(city > 3e6);
    assert_close(cmp_value(out, "SELECT sum(residents) FROM regions"), city, 0);
    /* each region has its D with an interval and a p-value */
    assert_close(cmp_value(out, "SELECT count(*) FROM regions WHERE dissimilarity_mh > 0 AND "
                                "dissimilarity_mh_ci_low <= dissimilarity_mh AND "
                                "dissimilarity_mh_p > 0"),
                 12, 0);
}

static void test_hamburg_bezirke(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    const char *tmp = qtr_temp_dir();
    const char *ini = batch_ini(shared, "geodata/hamburg/hamburg-2013.ini", tmp,
                                "\n[batch]\nby = district_id\nname = district_name\n");
    static const char *const keys[] = {"01", "02", "03", "04", "05", "06", "07"};
    jobs_and_regions(ini, tmp, keys, 7);
    char out[600], gj[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(gj, sizeof gj, "%s/data/hamburg/hamburg-district-regions.geojson", shared);
    assert_close(cmp_value(out, "SELECT count(*) FROM regions WHERE outcome = 'ok'"), 7, 0);
    /* 104 Stadtteile, four pairs merged by the analysis file ([boundaries] merge): two pairs
     * in Hamburg-Mitte (01), two in Harburg (07) */
    static const int merged[] = {2, 0, 0, 0, 0, 0, 2};
    assert_close(cmp_value(out, "SELECT sum(districts) FROM regions"), 100, 0);
    for (size_t k = 0; k < 7; k++) {
        char sql[200], where[64];
        snprintf(where, sizeof where, "district_id = '%s'", keys[k]);
        snprintf(sql, sizeof sql, "SELECT districts FROM regions WHERE region = '%s'", keys[k]);
        assert_close(cmp_value(out, sql), (double)(count_where(gj, where) - merged[k]), 0);
    }
    assert_close(cmp_value(out, "SELECT count(*) FROM regions WHERE name = 'Wandsbek' AND "
                                "region = '05'"),
                 1, 0);
    /* the residents add up to those of the whole-city run (the same analysis, no [batch]) */
    const char *city_ini = batch_ini(shared, "geodata/hamburg/hamburg-2013.ini", tmp, "");
    char args[2048], gpkg[800];
    char *o = NULL;
    snprintf(args, sizeof args, "run %s -o %s/city -q --permutations 0 --no-report", city_ini, tmp);
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("%s: %d\n%s", args, rc, o);
    snprintf(gpkg, sizeof gpkg, "%s/city/quartier.gpkg", tmp);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l =
        GDALDatasetExecuteSQL(ds, "SELECT sum(\"Bevölkerung\") FROM districts", NULL, NULL);
    assert_non_null(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    double city = OGR_F_GetFieldAsDouble(f, 0);
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    GDALClose(ds);
    assert_true(city > 1.5e6);
    assert_close(cmp_value(out, "SELECT sum(residents) FROM regions"), city, 0);
}

int main(void)
{
    GDALAllRegister();
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin_bezirke),
        cmocka_unit_test(test_hamburg_bezirke),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
