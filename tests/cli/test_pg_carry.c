/*
 * A carried [table]'s own district layout from a PostgreSQL query (boundaries_sql =, issue
 * 14), against the throw-away server (skipped without QTR_PG): tests/data/carry with the
 * layout of ew2020.csv (quelle.geojson) loaded into the server next to an outdated version of
 * S1, and the query choosing the current features, gives the GeoPackage of the run from the
 * file, value for value (the values by hand: test_carry_run.c); without the query's WHERE
 * the outdated S1 is a second feature with key S1, which the join report names. boundaries_sql with
 * a file, or with boundaries_layer, is a usage error.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "cli/pg_util.h"

#include <gdal.h>
#include <ogr_api.h>

/* Run SQL on the test server (no result). */
static void pg_exec(const char *pg, const char *sql)
{
    char conn[2048];
    snprintf(conn, sizeof conn, "PG:%s", pg);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (l)
        GDALDatasetReleaseResultSet(ds, l);
    GDALClose(ds);
}

/*
 * tests/data/carry/analysis.ini into `out` with absolute paths, output `outdir`; in [table
 * ew2020] the line `boundaries = ...` becomes `bnd` (NULL: kept) and `extra` is added.
 */
static void write_ini(const char *out, const char *outdir, const char *bnd, const char *extra)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", qtr_test_path("tests/data/carry"));
    char in[4200];
    snprintf(in, sizeof in, "%s/analysis.ini", dir);
    FILE *f = fopen(in, "r"), *g = fopen(out, "w");
    assert_non_null(f);
    assert_non_null(g);
    char line[4096];
    int in_ew2020 = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '[')
            in_ew2020 = !strncmp(line, "[table ew2020]", 14);
        if (!strncmp(line, "output = ", 9))
            fprintf(g, "output = %s\n", outdir);
        else if (in_ew2020 && bnd && !strncmp(line, "boundaries = ", 13))
            fprintf(g, "%s\n%s\n", bnd, extra ? extra : "");
        else if (!strncmp(line, "source = ", 9) || !strncmp(line, "boundaries = ", 13))
            fprintf(g, "%.*s%s/%s", (int)(strchr(line, '=') + 2 - line), line, dir,
                    strchr(line, '=') + 2);
        else if (!strncmp(line, "carry = correspondence ", 23))
            fprintf(g, "carry = correspondence %s/%s", dir, line + 23);
        else
            fputs(line, g);
    }
    fclose(f);
    fclose(g);
}

static void test_boundaries_sql(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    const char *tmp = qtr_temp_dir();
    char cmd[8000], ini_file[600], ini_pg[600], out_file[600], out_pg[600], bnd[2400];
    /* the layout in the server: the file's features, current, and an outdated S1 */
    pg_exec(pg, "DROP SCHEMA IF EXISTS qtr_carry CASCADE; CREATE SCHEMA qtr_carry");
    snprintf(cmd, sizeof cmd,
             "ogr2ogr -f PostgreSQL 'PG:%s' '%s' -nln quelle -lco SCHEMA=qtr_carry "
             "-lco GEOMETRY_NAME=geom -lco LAUNDER=NO >/dev/null 2>&1",
             pg, qtr_test_path("tests/data/carry/quelle.geojson"));
    assert_int_equal(system(cmd), 0);
    pg_exec(pg, "ALTER TABLE qtr_carry.quelle ADD COLUMN gueltig boolean DEFAULT true; "
                "INSERT INTO qtr_carry.quelle (id, name, geom, gueltig) SELECT id, name, "
                "ST_Translate(geom, 5000, 0), false FROM qtr_carry.quelle WHERE id = 'S1'");

    snprintf(ini_file, sizeof ini_file, "%s/file.ini", tmp);
    snprintf(ini_pg, sizeof ini_pg, "%s/pg.ini", tmp);
    snprintf(out_file, sizeof out_file, "%s/out_file", tmp);
    snprintf(out_pg, sizeof out_pg, "%s/out_pg", tmp);
    write_ini(ini_file, out_file, NULL, NULL);
    snprintf(bnd, sizeof bnd,
             "boundaries = PG:%s\nboundaries_sql = SELECT id, name, geom FROM qtr_carry.quelle "
             "WHERE gueltig ORDER BY ogc_fid",
             pg);
    write_ini(ini_pg, out_pg, bnd, NULL);
    setenv("SOURCE_DATE_EPOCH", "1000000000", 1);
    char *o = NULL;
    snprintf(cmd, sizeof cmd, "run %s -q --no-report", ini_file);
    int rc = qtr_run_cli(cmd, &o);
    if (rc != 0)
        fail_msg("%s: %d\n%s", cmd, rc, o);
    snprintf(cmd, sizeof cmd, "run %s -q --no-report", ini_pg);
    rc = qtr_run_cli(cmd, &o);
    if (rc != 0)
        fail_msg("%s: %d\n%s", cmd, rc, o);
    unsetenv("SOURCE_DATE_EPOCH");

    /* the same values as from the file (ew_2020 of T1 is 2000 / 4 = 500 by hand) */
    char a[700], b[700];
    snprintf(a, sizeof a, "%s/quartier.gpkg", out_file);
    snprintf(b, sizeof b, "%s/quartier.gpkg", out_pg);
    static const char *const skip_layers[] = {"run_info", "layer_styles", NULL};
    /* the join report names the source: the file or the connection */
    static const char *const skip_fields[] = {"join_report.detail", NULL};
    int nlayers = 0;
    assert_int_equal(qtr_pg_compare_gpkg(a, b, skip_layers, skip_fields, &nlayers), 0);
    assert_true(nlayers >= 4); /* districts, crosswalk, city_indices, join_report, ... */
    GDALDatasetH ds = GDALOpenEx(b, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l =
        GDALDatasetExecuteSQL(ds, "SELECT ew_2020 FROM districts WHERE key = 'T1'", NULL, NULL);
    assert_non_null(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    assert_non_null(f);
    assert_close(OGR_F_GetFieldAsDouble(f, 0), 500, 1e-9);
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    /* run_info names the query */
    l = GDALDatasetExecuteSQL(
        ds, "SELECT value FROM run_info WHERE item = 'table_ew2020_boundaries_sql'", NULL, NULL);
    assert_non_null(l);
    f = OGR_L_GetNextFeature(l);
    assert_non_null(f);
    assert_non_null(strstr(OGR_F_GetFieldAsString(f, 0), "WHERE gueltig"));
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    GDALClose(ds);

    /* without the WHERE the outdated S1 is a second S1 (a warning): the query is what is read */
    snprintf(bnd, sizeof bnd,
             "boundaries = PG:%s\nboundaries_sql = SELECT id, name, geom FROM qtr_carry.quelle",
             pg);
    write_ini(ini_pg, out_pg, bnd, NULL);
    snprintf(cmd, sizeof cmd, "check %s", ini_pg);
    rc = qtr_run_cli(cmd, &o);
    if (!strstr(o, "key 'S1' stands on several features of 'PG:"))
        fail_msg("expected a warning about the second S1, got %d:\n%s", rc, o);
}

static void test_boundaries_sql_usage(void **state)
{
    (void)state;
    const char *tmp = qtr_temp_dir();
    char ini[600], outdir[600], cmd[2000], bnd[4200];
    snprintf(ini, sizeof ini, "%s/a.ini", tmp);
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    /* a query needs boundaries from PostgreSQL */
    snprintf(bnd, sizeof bnd, "boundaries = %s", qtr_test_path("tests/data/carry/quelle.geojson"));
    write_ini(ini, outdir, bnd, "boundaries_sql = SELECT id, geom FROM x");
    char *o = NULL;
    snprintf(cmd, sizeof cmd, "check %s", ini);
    int rc = qtr_run_cli(cmd, &o);
    if (rc != 2 || !strstr(o, "'boundaries_sql = ', a query, which needs boundaries from "
                              "PostgreSQL"))
        fail_msg("expected exit 2, got %d:\n%s", rc, o);
    /* a table or a query, not both */
    write_ini(ini, outdir, "boundaries = PG:dbname=nirgends",
              "boundaries_layer = a.b\nboundaries_sql = SELECT id, geom FROM x");
    rc = qtr_run_cli(cmd, &o);
    if (rc != 2 || !strstr(o, "both 'boundaries_layer = ' and 'boundaries_sql = '"))
        fail_msg("expected exit 2, got %d:\n%s", rc, o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries_sql_usage),
        cmocka_unit_test(test_boundaries_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
