/*
 * `quartier run` over the regions of [batch] (docs/batch.md) on a small made-up city of three
 * regions (no ../shared needed): --jobs 2 and one --region per process give the same files
 * (SOURCE_DATE_EPOCH fixes the date of the run), --compare, a failing region, usage errors.
 * The real Bezirke of Berlin and Hamburg are in test_batch_real.c.
 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <gdal.h>
#include <ogr_api.h>

#include "cli/batch_util.h"
#include "quartier/strutil.h"

/*
 * Twelve square districts in a row, regions A, B, C by the first letter of the key (four
 * each); the counts vary so that every region has a D. With damage_c, the totals of region
 * C are empty: none of its districts can enter the indices, a data error of that region.
 */
static const char *made_up_city(const char *tmp, int damage_c)
{
    static char ini[512];
    char path[512];
    struct qtr_buf g = {0}, c = {0};
    qtr_buf_puts(&g, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    qtr_buf_puts(&c, "key;total;group\n");
    for (int i = 0; i < 12; i++) {
        char key[8];
        snprintf(key, sizeof key, "%c%02d", 'A' + i / 4, i % 4 + 1);
        double x0 = 10.0 + 0.01 * i, x1 = x0 + 0.01;
        qtr_buf_printf(&g,
                       "%s{\"type\": \"Feature\", \"properties\": {\"key\": \"%s\", \"name\": "
                       "\"Bezirk %s\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
                       "[[[%.2f, 53.5], [%.2f, 53.5], [%.2f, 53.51], [%.2f, 53.51], [%.2f, "
                       "53.5]]]}}\n",
                       i ? "," : "", key, key, x0, x1, x1, x0, x0);
        int total = 1000 + 137 * i, grp = 40 + (i * 211) % 600;
        if (damage_c && i >= 8)
            qtr_buf_printf(&c, "%s;;%d\n", key, grp);
        else
            qtr_buf_printf(&c, "%s;%d;%d\n", key, total, grp);
    }
    qtr_buf_puts(&g, "]}\n");
    snprintf(path, sizeof path, "%s/districts.geojson", tmp);
    qtr_write_file(path, g.data, strlen(g.data));
    snprintf(path, sizeof path, "%s/counts.csv", tmp);
    qtr_write_file(path, c.data, strlen(c.data));
    qtr_buf_release(&g);
    qtr_buf_release(&c);
    char text[2048];
    snprintf(text, sizeof text,
             "[analysis]\ntitle = Teststadt\noutput = %s/out\ncrs = EPSG:25832\nseed = 7\n"
             "permutations = 9\n\n[boundaries]\nsource = districts.geojson\nkey = key\n"
             "name = name\nattribution = test data\n\n[table counts]\nsource = counts.csv\n"
             "key = key\nattribution = test data\n\n[population]\ntotal = total\n\n"
             "[group g]\ncolumn = group\n\n[batch]\nby = prefix:1\n",
             tmp);
    snprintf(ini, sizeof ini, "%s/analysis.ini", tmp);
    qtr_write_file(ini, text, strlen(text));
    return ini;
}

static void test_made_up_city(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    const char *ini = made_up_city(tmp, 0);
    char args[2048], out[600], p1[800], p2[800];
    char *o = NULL;
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(args, sizeof args, "run %s --jobs 2 --no-report", ini);
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("%s: %d\n%s", args, rc, o);
    assert_non_null(strstr(o, "3 ok, 0 failed"));
    assert_close(cmp_value(out, "SELECT count(*) FROM regions"), 3, 0);
    assert_close(cmp_value(out, "SELECT sum(districts) FROM regions"), 12, 0);
    /* the layer opens styled in QGIS: D of the group in the map's classes, the default */
    assert_close(cmp_value(out, "SELECT count(*) FROM layer_styles WHERE f_table_name = "
                                "'regions' AND useAsDefault = 1 AND styleQML LIKE "
                                "'%dissimilarity_g%' AND styleQML LIKE '%EqualInterval%'"),
                 1, 0);
    /* region B: 1000 + 137 i for i = 4..7 */
    assert_close(cmp_value(out, "SELECT residents FROM regions WHERE region = 'B'"),
                 4 * 1000 + 137 * (4 + 5 + 6 + 7), 0);
    /* one region at a time into another folder: the same files */
    for (int k = 0; k < 3; k++) {
        snprintf(args, sizeof args, "run %s --region %c -o %s/single -q --no-report", ini, 'A' + k,
                 tmp);
        rc = qtr_run_cli(args, &o);
        if (rc != 0)
            fail_msg("%s: %d\n%s", args, rc, o);
        snprintf(p1, sizeof p1, "%s/regions/%c/quartier.gpkg", out, 'A' + k);
        snprintf(p2, sizeof p2, "%s/single/regions/%c/quartier.gpkg", tmp, 'A' + k);
        assert_true(same_bytes(p1, p2));
    }
    /* the comparison from folders made elsewhere, with its report */
    snprintf(args, sizeof args, "run %s --compare -o %s/single -q", ini, tmp);
    rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("%s: %d\n%s", args, rc, o);
    snprintf(p1, sizeof p1, "%s/single/comparison/comparison.html", tmp);
    char *html = qtr_read_file(p1, NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "Vergleich der Regionen: Teststadt"));
    assert_non_null(strstr(html, "<svg"));
    free(html);
    snprintf(p1, sizeof p1, "%s/single/comparison/comparison.csv", tmp);
    assert_true(qtr_file_exists(p1));
}

static void test_failing_region(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    const char *ini = made_up_city(tmp, 1);
    char args[2048], out[600];
    char *o = NULL;
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(args, sizeof args, "run %s --jobs 2 --no-report", ini);
    int rc = qtr_run_cli(args, &o);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(o, "2 ok, 1 failed"));
    const char *c = strstr(o, "\n  C ");
    assert_non_null(c);
    assert_non_null(strstr(c, "failed"));
    assert_non_null(strstr(c, "no district can enter the indices"));
    assert_close(cmp_value(out, "SELECT count(*) FROM regions WHERE outcome = 'ok'"), 2, 0);
    assert_close(cmp_value(out, "SELECT count(*) FROM regions WHERE outcome = 'failed' AND "
                                "region = 'C' AND dissimilarity_g IS NULL"),
                 1, 0);
    assert_true(cmp_value(out, "SELECT dissimilarity_g FROM regions WHERE region = 'A'") > 0);
}

static void test_usage_errors(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    const char *ini = made_up_city(tmp, 0);
    char args[2048];
    char *o = NULL;
    /* an unknown region names the closest keys */
    snprintf(args, sizeof args, "run %s --region a -q", ini);
    assert_int_equal(qtr_run_cli(args, &o), 2);
    assert_non_null(strstr(o, "--region 'a': no such region"));
    assert_non_null(strstr(o, "closest: 'A'"));
    /* [batch] by = a column the boundaries do not have: FILE:LINE and the closest column */
    char *text = qtr_read_file(ini, NULL);
    assert_non_null(text);
    char *by = strstr(text, "by = prefix:1");
    assert_non_null(by);
    char bad[2048];
    snprintf(bad, sizeof bad, "%.*sby = nme\n", (int)(by - text), text);
    char path[600];
    snprintf(path, sizeof path, "%s/bad.ini", tmp);
    qtr_write_file(path, bad, strlen(bad));
    snprintf(args, sizeof args, "run %s --jobs 2", path);
    assert_int_equal(qtr_run_cli(args, &o), 2);
    assert_non_null(strstr(o, "bad.ini:26: [batch] by = 'nme': no such column"));
    assert_non_null(strstr(o, "closest: 'name'"));
    /* check finds it too */
    snprintf(args, sizeof args, "check %s", path);
    assert_int_equal(qtr_run_cli(args, &o), 2);
    assert_non_null(strstr(o, "bad.ini:26: [batch] by = 'nme': no such column"));
    snprintf(args, sizeof args, "run %s --jobs 2", path);
    snprintf(bad, sizeof bad, "%.*sby = prefix:0\n", (int)(by - text), text);
    qtr_write_file(path, bad, strlen(bad));
    assert_int_equal(qtr_run_cli(args, &o), 2);
    assert_non_null(strstr(o, "bad.ini:26: by = 'prefix:0'"));
    snprintf(bad, sizeof bad, "%.*s", (int)(by - text), text);
    qtr_write_file(path, bad, strlen(bad));
    assert_int_equal(qtr_run_cli(args, &o), 2);
    assert_non_null(strstr(o, "bad.ini:25: [batch] needs 'by = '"));
    free(text);
}

int main(void)
{
    GDALAllRegister();
    /* the same date in every process: region outputs are compared byte for byte */
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_made_up_city),
        cmocka_unit_test(test_failing_region),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
