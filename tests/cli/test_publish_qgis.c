/*
 * test_publish_qgis.c - the published GeoPackage in the independent checker
 * (../shared/tools/qgis/check_outputs.py: GDAL's validator, RFC 7946, and QGIS
 * 3.22 headless: every layer valid, the default style applied, every feature
 * drawn), on Musterstadt, Berlin 2021 and a GeoPackage with the extra layers
 * another stage may add. Skips when PyQGIS is not installed.
 */
#include "../test_util.h"

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>

#include "cli_util.h"
#include "publish_util.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"

#include <geos_c.h>

#define FIXTURE "tests/data/publish/analysis.ini"

static void run_checker(const char *dir, int geojson)
{
    const char *shared = getenv("QTR_SHARED_DIR");
    char checker[4096], cmd[16384];
    snprintf(checker, sizeof checker, "%s/tools/qgis/check_outputs.py",
             shared ? shared : "../shared");
    if (!qtr_file_exists(checker)) {
        print_message("skipped: %s not found\n", checker);
        skip();
    }
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s' --gpkg '%s/quartier.gpkg' %s%s%s --require-style --strict "
             "> '%s/check.txt' 2>&1",
             checker, dir, geojson ? "--geojson '" : "", geojson ? dir : "",
             geojson ? "/districts.geojson'" : "", dir);
    int rc = system(cmd);
    if (rc != 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/check.txt", dir);
        char *log = qtr_read_file(path, NULL);
        print_message("%s\n", log ? log : "(no output)");
        free(log);
    }
    assert_int_equal(rc, 0);
}

static void test_qgis_musterstadt(void **state)
{
    (void)state;
    QTR_REQUIRE_QGIS();
    const char *tmp = qtr_temp_dir();
    char args[8192];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 0",
             qtr_test_path("geodata/musterstadt/analysis.ini"), tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    run_checker(tmp, 1);
}

static void test_qgis_berlin(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    QTR_REQUIRE_QGIS();
    const char *tmp = qtr_temp_dir();
    char args[8192];
    snprintf(args, sizeof args, "run %s -o %s -q --permutations 0",
             qtr_test_path("geodata/berlin/berlin-2021.ini"), tmp);
    char *out = NULL;
    assert_int_equal(qtr_run_cli(args, &out), 0);
    free(out);
    run_checker(tmp, 1);
}

/* An area layer of st (as the spatial stage makes them) over districts first..first+n-1. */
static struct qtr_area_layer *add_area(struct qtr_ctx *ctx, struct qtr_state *st,
                                       const char *name, size_t first, size_t n)
{
    struct qtr_area_layer *a = realloc(st->areas, (st->nareas + 1) * sizeof *a);
    assert_non_null(a);
    st->areas = a;
    a = &a[st->nareas++];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    a->n = n;
    a->geom = calloc(n, sizeof *a->geom);
    a->id = calloc(n, sizeof *a->id);
    assert_non_null(a->geom);
    assert_non_null(a->id);
    for (size_t k = 0; k < n; k++) {
        a->geom[k] = (struct GEOSGeom_t *)GEOSGeom_clone_r(
            (GEOSContextHandle_t)ctx->geos, (const GEOSGeometry *)st->layer->geom[first + k]);
        assert_non_null(a->geom[k]);
        a->id[k] = qtr_asprintf("%zu", k + 1);
    }
    a->attrs = qtr_frame_new(n, a->id, a->id);
    assert_non_null(a->attrs);
    return a;
}

static void set_values(struct qtr_column *c, size_t n, const char *const *text, const double *v)
{
    assert_non_null(c);
    for (size_t k = 0; k < n; k++) {
        if (text)
            c->text[k] = qtr_strdup(text[k]);
        else
            c->v[k] = v[k];
        c->kind[k] = QTR_CELL_VALUE;
    }
    qtr_column_recount(c, n);
}

/* The area layers of the run (LISA clusters, candidate areas) are styled from what the run
 * holds in memory, as written (publish does not read the GeoPackage back). */
static void test_other_layers(void **state)
{
    (void)state;
    const char *dir = qtr_temp_dir();
    assert_non_null(dir);
    struct qtr_error err = {0};
    struct qtr_config cfg;
    struct qtr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    struct qtr_state *st = NULL;
    qtr_config_init(&cfg);
    assert_int_equal(qtr_config_load(qtr_test_path(FIXTURE), &cfg, &err), 0);
    assert_int_equal(qtr_ctx_init(&ctx, &err), 0);
    ctx.seed = cfg.seed;
    if (qtr_pipeline_load(&ctx, &cfg, &st, &err) || qtr_pipeline_compute(&ctx, &cfg, st, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(qtr_run_date(ctx.run_date, &ctx.run_date_fixed, &err), 0);

    /* as the spatial stage makes them: the cluster type as text; a number of no role the
     * presentation table knows (not styled by guessing from its name's suffix) */
    struct qtr_area_layer *cl = add_area(&ctx, st, "clusters", 0, 3);
    const char *types[] = {"hoch-hoch", "nicht signifikant", "unbekannt"};
    set_values(qtr_frame_add_computed(cl->attrs, "cluster", QTR_ROLE_AREA_CLUSTER, NULL, NULL,
                                      1, "the test", &err),
               3, types, NULL);
    const double flag[] = {1, 0, 7};
    set_values(qtr_frame_add_computed(cl->attrs, "mh_lq_high", QTR_ROLE_NONE, NULL, NULL, 0,
                                      "the test", &err),
               3, NULL, flag);
    struct qtr_area_layer *ca = add_area(&ctx, st, "candidate_areas", 0, 1);
    const double one[] = {1};
    set_values(qtr_frame_add_computed(ca->attrs, "districts", QTR_ROLE_AREA_DISTRICTS, NULL,
                                      NULL, 0, "the test", &err),
               1, NULL, one);

    if (qtr_pipeline_write(&ctx, &cfg, st, dir, &err))
        fail_msg("%s", err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/quartier.gpkg", dir);
    assert_string_equal(st->gpkg_path, path);
    GDALDatasetH ds;

    if (qtr_pipeline_publish(&ctx, &cfg, st, dir, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(st->gpkg_path, path);
    ds = open_out(dir, "quartier.gpkg");
    char *v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE f_table_name = 'clusters' "
                           "AND useAsDefault");
    assert_string_equal(v, "cluster");
    free(v);
    v = sql_text(ds, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'clusters' AND "
                     "styleName = 'cluster'");
    assert_non_null(strstr(v, "value=\"hoch-hoch\""));
    assert_non_null(strstr(v, "215,25,28")); /* GeoDa red for high-high */
    free(v);
    /* a field of no known role is not styled by guessing from its name's suffix */
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM layer_styles WHERE f_table_name = "
                                  "'clusters' AND styleName = 'mh_lq_high'"),
                     0);
    v = sql_text(ds, "SELECT styleName FROM layer_styles WHERE f_table_name = "
                     "'candidate_areas' AND useAsDefault");
    assert_string_equal(v, "outline");
    free(v);
    assert_int_equal(sql_long(ds, "SELECT count(*) FROM gpkg_data_columns WHERE table_name = "
                                  "'clusters' AND column_name = 'cluster'"),
                     1);
    GDALClose(ds);
    qtr_state_free(st);
    qtr_ctx_release(&ctx);
    qtr_config_release(&cfg);
    if (!qtr_have_qgis()) {
        print_message("QGIS check skipped: QGIS python bindings not installed\n");
        return;
    }
    run_checker(dir, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qgis_musterstadt),
        cmocka_unit_test(test_qgis_berlin),
        cmocka_unit_test(test_other_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
