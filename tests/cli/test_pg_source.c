/*
 * PostgreSQL/PostGIS as the source (issue 14, part 2), against the throw-away server of
 * scripts/pg-test-server (skipped without QTR_PG):
 *   - Musterstadt and Berlin 2021 read from PostGIS give the same GeoPackage as the file runs,
 *     every column of every layer and every index to the last bit;
 *   - number columns of a table are read exactly, text columns like CSV cells;
 *   - a server that cannot be reached, a missing table, a user without rights and a broken
 *     query are errors (exit 1) naming the connection without its password and the table.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "cli/pg_util.h"

#include "quartier/cell.h"
#include "quartier/csv.h"
#include "quartier/pg.h"

static const struct qtr_pg_swap musterstadt[] = QTR_PG_MUSTERSTADT;

/* the boundaries and one table from queries */
static const struct qtr_pg_swap musterstadt_sql[] = {
    {"bezirke.shp", "SELECT * FROM musterstadt.bezirke ORDER BY ogc_fid"},
    {"bevoelkerung_2022.csv", "musterstadt.bevoelkerung_2022"},
    {"bevoelkerung_2020.csv", "musterstadt.bevoelkerung_2020"},
    {"sozialdaten_2022.csv", "musterstadt.sozialdaten_2022"},
    {"sozialdaten_2020.csv", "musterstadt.sozialdaten_2020"},
    {"wohnen_2022.csv", "musterstadt.wohnen_2022"},
    {"wohnen_2020.csv", "SELECT * FROM musterstadt.wohnen_2020 ORDER BY ogc_fid"},
};

static const struct qtr_pg_swap berlin[] = QTR_PG_BERLIN;

static void run_ok(const char *ini, const char *outdir)
{
    char args[10000];
    snprintf(args, sizeof args, "run '%s' -o '%s' -q --permutations 19", ini, outdir);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != 0)
        fail_msg("quartier %s failed (%d):\n%s", args, rc, out);
}

/* Nothing in the folder (GeoPackage, run_info, report, tables) holds `secret`. */
static void assert_not_in_folder(const char *dir, const char *secret)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "grep -rqa '%s' '%s'", secret, dir);
    assert_int_not_equal(system(cmd), 0);
}

/* The GeoPackages of the last file_vs_pg: from the files, from PostgreSQL. */
static char last_file[700], last_pg[700];

/* The first join_report detail of `gpkg` that contains `part`, or "" (static buffer). */
static const char *join_detail(const char *gpkg, const char *part)
{
    static char buf[1024];
    buf[0] = '\0';
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "join_report");
    assert_non_null(l);
    OGRFeatureH f;
    while (!buf[0] && (f = OGR_L_GetNextFeature(l)) != NULL) {
        const char *d = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "detail"));
        if (strstr(d, part))
            snprintf(buf, sizeof buf, "%s", d);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return buf;
}

static void file_vs_pg(const char *file_ini, const struct qtr_pg_swap *swaps, size_t nswaps,
                       const char *const *skip_fields, int want_layers)
{
    QTR_REQUIRE_PG(pg);
    const char *tmp = qtr_temp_dir();
    char conn[2048], ini[600], out_file[600], out_pg[600], a[700], b[700];
    /* the server trusts local users: the password is there only to be kept out of sight */
    snprintf(conn, sizeof conn, "%s password=geheim-4711", pg);
    snprintf(ini, sizeof ini, "%s/pg.ini", tmp);
    snprintf(out_file, sizeof out_file, "%s/file", tmp);
    snprintf(out_pg, sizeof out_pg, "%s/pg", tmp);
    assert_int_equal(qtr_pg_rewrite_ini(qtr_test_path(file_ini), ini, conn, swaps, nswaps), 0);
    run_ok(qtr_test_path(file_ini), out_file);
    run_ok(ini, out_pg);
    snprintf(a, sizeof a, "%s/quartier.gpkg", out_file);
    snprintf(b, sizeof b, "%s/quartier.gpkg", out_pg);
    /* run_info names the sources, layer_styles has the time of writing */
    static const char *const skip_layers[] = {"run_info", "layer_styles", NULL};
    int nlayers = 0;
    assert_int_equal(qtr_pg_compare_gpkg(a, b, skip_layers, skip_fields, &nlayers), 0);
    assert_true(nlayers >= want_layers);
    assert_not_in_folder(out_pg, "geheim-4711");
    snprintf(last_file, sizeof last_file, "%s", a);
    snprintf(last_pg, sizeof last_pg, "%s", b);
}

static void test_musterstadt_file_vs_pg(void **state)
{
    (void)state;
    /* the join report names a note row by its line in the CSV file (after two title lines)
     * and by its row in the table */
    static const char *const skip_fields[] = {"join_report.detail", NULL};
    /* districts, candidate_areas, city_indices, join_report, multiscalar_profile, change,
     * goals */
    file_vs_pg("geodata/musterstadt/analysis.ini", musterstadt_sql,
               sizeof musterstadt_sql / sizeof musterstadt_sql[0], skip_fields, 7);
    /* a file has lines, a query result rows */
    assert_string_equal(join_detail(last_file, "holds no data"),
                        "line 124 holds no data, only 'Quelle: Amt für Statistik Musterstadt'; "
                        "not joined");
    assert_string_equal(join_detail(last_pg, "holds no data"),
                        "row 121 holds no data, only 'Quelle: Amt für Statistik Musterstadt'; "
                        "not joined");
}

static void test_berlin_2021_file_vs_pg(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    file_vs_pg("geodata/berlin/berlin-2021.ini", berlin, sizeof berlin / sizeof berlin[0], NULL,
               5);
}

/* Integer, bigint, double and numeric columns give the numbers the CSV cells give. */
static void test_number_columns(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    char conn[2048];
    snprintf(conn, sizeof conn, "PG:%s", pg);
    struct qtr_pg_table pt;
    struct qtr_error err = {0};
    int rc = qtr_pg_table_read(conn, "musterstadt.bevoelkerung_2020_num", NULL, &pt, &err);
    if (rc)
        fail_msg("%s", err.msg);
    struct qtr_table *csv = NULL;
    struct qtr_csv_options o = {0};
    o.encoding = QTR_ENC_CP1252;
    assert_int_equal(qtr_csv_read(qtr_test_path("geodata/musterstadt/bevoelkerung_2020.csv"), &o,
                                  &csv, NULL, &err),
                     0);
    assert_int_equal(pt.table->ncols, 6);
    for (size_t j = 1; j < 6; j++)
        assert_true(pt.numeric[j]);
    assert_false(pt.numeric[0]);
    size_t matched = 0;
    struct qtr_number_format fmt = {','};
    for (size_t i = 0; i < pt.table->nrows; i++) {
        const char *key = qtr_table_cell(pt.table, i, 0);
        for (size_t r = 0; r < csv->nrows; r++) {
            if (strcmp(qtr_table_cell(csv, r, 0), key) != 0)
                continue;
            matched++;
            for (size_t j = 1; j < 6; j++) {
                long cj = qtr_table_find_column(csv, pt.table->names[j]);
                assert_true(cj >= 0);
                struct qtr_cell c = qtr_cell_parse(qtr_table_cell(csv, r, (size_t)cj), fmt);
                assert_int_equal(c.kind, QTR_CELL_VALUE);
                assert_true(qtr_pg_same_double(pt.num[i * 6 + j], c.value));
            }
        }
    }
    assert_int_equal(matched, 120);
    qtr_pg_table_release(&pt);
    qtr_table_free(csv);

    /* a query: doubles to the last bit, NULL missing, text cells as written */
    rc = qtr_pg_table_read(conn, NULL,
                           "SELECT 0.1::float8 AS a, 1e300::float8 AS b, "
                           "9007199254740993::numeric AS c, NULL::float8 AS d, "
                           "'1.234,5'::text AS e, 2::integer AS f",
                           &pt, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_int_equal(pt.table->nrows, 1);
    assert_true(qtr_pg_same_double(pt.num[0], 0.1));
    assert_true(qtr_pg_same_double(pt.num[1], 1e300));
    assert_true(qtr_pg_same_double(pt.num[2], 9007199254740993.0));
    assert_true(isnan(pt.num[3]));
    assert_false(pt.numeric[4]);
    assert_string_equal(qtr_table_cell(pt.table, 0, 4), "1.234,5");
    assert_int_equal(pt.decimal_mark, ',');
    assert_true(qtr_pg_same_double(pt.num[5], 2.0));
    qtr_pg_table_release(&pt);
}

/* Run an analysis file whose sources come from `conn`, expecting `code` and `want` in what it
 * prints, and never the password. */
static void expect_error(const char *conn, const struct qtr_pg_swap *swaps, int code,
                         const char *want)
{
    const char *tmp = qtr_temp_dir();
    char ini[600], args[2000];
    snprintf(ini, sizeof ini, "%s/pg.ini", tmp);
    assert_int_equal(qtr_pg_rewrite_ini(qtr_test_path("geodata/musterstadt/analysis.ini"), ini,
                                        conn, swaps, sizeof musterstadt / sizeof musterstadt[0]),
                     0);
    snprintf(args, sizeof args, "run '%s' -o '%s/out' -q --permutations 0", ini, tmp);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != code || !strstr(out, want) || strstr(out, "geheim"))
        fail_msg("expected exit %d with '%s', got %d:\n%s", code, want, rc, out);
}

static void test_errors(void **state)
{
    (void)state;
    QTR_REQUIRE_PG(pg);
    char conn[2048];
    /* no server at that socket */
    expect_error("host=/nonexistent/qtr dbname=quartier user=postgres password=geheim",
                 musterstadt, 1, "cannot connect to PostgreSQL 'PG:host=/nonexistent/qtr "
                                 "dbname=quartier user=postgres'");
    /* a table that is not there */
    struct qtr_pg_swap missing[sizeof musterstadt / sizeof musterstadt[0]];
    memcpy(missing, musterstadt, sizeof missing);
    missing[3].table = "musterstadt.sozialdaten_2099";
    snprintf(conn, sizeof conn, "%s password='geh eim'", pg);
    expect_error(conn, missing, 1, "no table or view 'musterstadt.sozialdaten_2099'");
    /* a user who may connect but read nothing */
    snprintf(conn, sizeof conn, "%s password=geheim", pg);
    char *u = strstr(conn, "user=");
    assert_non_null(u);
    char noread[2100];
    snprintf(noread, sizeof noread, "%.*suser=qtr_noread%s", (int)(u - conn), conn,
             u + strcspn(u, " "));
    expect_error(noread, musterstadt, 1, "no right to read table 'musterstadt.bezirke'");
    /* a query PostgreSQL rejects */
    struct qtr_pg_table pt;
    struct qtr_error err = {0};
    snprintf(conn, sizeof conn, "PG:%s password=geheim", pg);
    assert_int_equal(qtr_pg_table_read(conn, NULL, "SELEKT 1", &pt, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "the query 'SELEKT 1' failed"));
    assert_null(strstr(err.msg, "geheim"));
}

/* Keys that do not fit the source are mistakes of the analysis file (exit 2, no server). */
static void check_usage(const char *table_lines, const char *want)
{
    const char *tmp = qtr_temp_dir();
    char ini[600], args[1200];
    snprintf(ini, sizeof ini, "%s/a.ini", tmp);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fprintf(f, "[analysis]\noutput = out\n[boundaries]\nsource = %s\nkey = id\n"
               "[table t]\n%s\nkey = id\n[population]\ntotal = ew\n",
            qtr_test_path("tests/data/mini/bezirke.geojson"), table_lines);
    fclose(f);
    snprintf(args, sizeof args, "check '%s'", ini);
    char *out = NULL;
    int rc = qtr_run_cli(args, &out);
    if (rc != 2 || !strstr(out, want) || strstr(out, "geheim"))
        fail_msg("expected exit 2 with '%s', got %d:\n%s", want, rc, out);
}

static void test_analysis_file_keys(void **state)
{
    (void)state;
    char csv[4200];
    snprintf(csv, sizeof csv, "source = %s\nlayer = x", qtr_test_path("tests/data/mini/stats.csv"));
    check_usage(csv, "names a table of a PostgreSQL source");
    check_usage("source = PG:dbname=x password=geheim\nlayer = s.t\nencoding = cp1252",
                "'encoding = ' is for files");
    check_usage("source = PG:dbname=x password=geheim", "name the table with 'layer = ");
    check_usage("source = PG:dbname=x password=geheim\nlayer = s.t\nsql = SELECT 1",
                "both 'layer = ' and 'sql = '");
}

/* The password leaves no trace in what is shown. */
static void test_redact(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"PG:host=db dbname=x password=secret user=u", "PG:host=db dbname=x user=u"},
        {"PG:password = 'a \\' b' dbname=x", "PG:dbname=x"},
        {"PG:dbname=x", "PG:dbname=x"},
        {"PG:postgresql://u:secret@db:5432/x?sslmode=require&password=s2",
         "PG:postgresql://u@db:5432/x?sslmode=require"},
        {"/data/bezirke.shp", "/data/bezirke.shp"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *r = qtr_pg_redact(cases[k][0]);
        assert_non_null(r);
        assert_string_equal(r, cases[k][1]);
        free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_analysis_file_keys),
        cmocka_unit_test(test_number_columns),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_musterstadt_file_vs_pg),
        cmocka_unit_test(test_berlin_2021_file_vs_pg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
