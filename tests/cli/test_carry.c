/*
 * test_carry.c - `quartier carry` on a hand-made layout in EPSG:25833 (100 m squares), with
 * values computed by hand, and its errors.
 *
 * Sources: A [0,100]x[0,100], B [100,200]x[0,100], C [300,400]x[0,100] (offset by
 * 390000/5810000). Targets: T1 [0,50], T2 [50,150], T3 [150,200], T4 [300,340] (C is only
 * 40 % covered). Counts: A 100, B 300, C 50; column "mh": A suppressed ("."), B 30, C empty.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "quartier/csv.h"
#include "quartier/table.h"

static char DIR_[256];

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", DIR_, name);
    qtr_write_file(p, text, strlen(text));
}

static void box(char *buf, size_t cap, const char *key, double x0, double x1)
{
    double X = 390000, Y = 5810000;
    snprintf(buf, cap,
             "{\"type\":\"Feature\",\"properties\":{\"key\":\"%s\"},\"geometry\":{\"type\":"
             "\"Polygon\",\"coordinates\":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],"
             "[%.1f,%.1f]]]}}",
             key, X + x0, Y, X + x1, Y, X + x1, Y + 100, X + x0, Y + 100, X + x0, Y);
}

static void write_layer(const char *name, const char *const *keys, const double *x, size_t n)
{
    char text[8192], f[600];
    snprintf(text, sizeof text,
             "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
             "{\"name\":\"urn:ogc:def:crs:EPSG::25833\"}},\"features\":[");
    for (size_t i = 0; i < n; i++) {
        box(f, sizeof f, keys[i], x[2 * i], x[2 * i + 1]);
        strcat(text, i ? "," : "");
        strcat(text, f);
    }
    strcat(text, "]}\n");
    write_file(name, text);
}

static int setup(void **state)
{
    (void)state;
    const char *d = qtr_temp_dir();
    if (!d)
        return -1;
    snprintf(DIR_, sizeof DIR_, "%s", d);
    const char *sk[] = {"A", "B", "C"};
    const double sx[] = {0, 100, 100, 200, 300, 400};
    const char *tk[] = {"T1", "T2", "T3", "T4"};
    const double tx[] = {0, 50, 50, 150, 150, 200, 300, 340};
    write_layer("src.geojson", sk, sx, 3);
    write_layer("tgt.geojson", tk, tx, 4);
    write_file("counts.csv", "key;ew;mh;kl\nA;100;.;*\nB;300;30;30\nC;50;;5\n");
    write_file("anc.csv", "key,ew\nT1,10\nT2,100\nT3,0\nT4,5\n");
    write_file("corr.csv", "von,nach,anteil\nA,T1,0.5\nA,T2,0.5\nB,T2,1\n");
    write_file("corr2.csv", "von;nach;anteil\nA;T1;0,5\nA;T9;0,5\nB;T2;1\nC;T4;1\n");
    write_file("dup.csv", "key;ew\nA;1\nB;2\nA;3\n");
    write_file("bad.csv", "key;ew\nA;1\nB;zwei\n");
    return 0;
}

/* The cell of key in column col of a CSV written by quartier carry (NULL when absent). */
static char CELL[64];
static const char *cell(const char *file, const char *key, const char *col)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", DIR_, file);
    struct qtr_table *t = NULL;
    struct qtr_error err = {0};
    struct qtr_csv_options o = {0};
    if (qtr_csv_read(p, &o, &t, NULL, &err))
        return NULL;
    long c = qtr_table_find_column(t, col);
    const char *res = NULL;
    for (size_t r = 0; c >= 0 && r < t->nrows; r++)
        if (!strcmp(qtr_table_cell(t, r, 0), key)) {
            snprintf(CELL, sizeof CELL, "%s", qtr_table_cell(t, r, (size_t)c));
            res = CELL;
            break; /* the first row of the key (the crosswalk has one per piece) */
        }
    qtr_table_free(t);
    return res;
}

static double num(const char *file, const char *key, const char *col)
{
    const char *s = cell(file, key, col);
    return s && *s && strcmp(s, ".") ? strtod(s, NULL) : NAN;
}

/* tmpl with every '@' replaced by the temporary folder */
static const char *at(const char *tmpl)
{
    static char buf[1000];
    size_t k = 0;
    for (const char *c = tmpl; *c && k + 300 < sizeof buf; c++) {
        if (*c == '@')
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s", DIR_);
        else
            buf[k++] = *c;
    }
    buf[k] = '\0';
    return buf;
}

static int carry(const char *extra, char **out)
{
    char args[32768];
    snprintf(args, sizeof args, "%s %s",
             at("carry -q --from @/src.geojson --from-key key --table @/counts.csv "
                "--table-key key --columns ew,mh --to @/tgt.geojson --to-key key "
                "--work-crs EPSG:25833 --sliver-area 1"),
             extra);
    return qtr_run_cli(args, out);
}

static void test_area(void **state)
{
    (void)state;
    char *out = NULL, o[1024];
    snprintf(o, sizeof o, "%s", at("-o @/area.csv"));
    assert_int_equal(carry(o, &out), 0);
    /* half of A to T1, half of A and half of B to T2, half of B to T3, 40 % of C to T4 */
    assert_close(num("area.csv", "T1", "ew"), 50, 1e-6);
    assert_close(num("area.csv", "T2", "ew"), 200, 1e-6);
    assert_close(num("area.csv", "T3", "ew"), 150, 1e-6);
    assert_close(num("area.csv", "T4", "ew"), 20, 1e-6);
    /* A's "mh" is suppressed: T1 and T2 are too; C's is empty: T4 is missing */
    assert_string_equal(cell("area.csv", "T1", "mh"), ".");
    assert_string_equal(cell("area.csv", "T2", "mh"), ".");
    assert_close(num("area.csv", "T3", "mh"), 15, 1e-6);
    assert_string_equal(cell("area.csv", "T4", "mh"), "");
    /* C is reported by key with the share of its area outside */
    assert_non_null(strstr(out, "C (60 %, 6000 m²)"));
    assert_non_null(strstr(out, "ew: 450 in the source table, 420 carried"));
    /* the crosswalk: one row per piece, with area, weight and share */
    assert_close(num("area-crosswalk.csv", "A", "piece_area_m2"), 5000, 1e-6);
    assert_close(num("area-crosswalk.csv", "C", "share"), 0.4, 1e-9);
}

static void test_weights(void **state)
{
    (void)state;
    char *out = NULL, o[1024];
    snprintf(o, sizeof o, "%s",
             at("-o @/w.csv --crosswalk @/w-x.csv --method weights --weights-table "
                "@/anc.csv --weights-key key --weights-column ew"));
    assert_int_equal(carry(o, &out), 0);
    /* weights: A∩T1 5000/5000*10 = 10, A∩T2 5000/10000*100 = 50, B∩T2 50, B∩T3 0 */
    assert_close(num("w.csv", "T1", "ew"), 100.0 / 6, 1e-6);
    assert_close(num("w.csv", "T2", "ew"), 500.0 / 6 + 300, 1e-6);
    assert_close(num("w.csv", "T3", "ew"), 0, 0);
    assert_close(num("w.csv", "T4", "ew"), 20, 1e-6);
    assert_close(num("w-x.csv", "A", "weight"), 10, 1e-9);
}

static void test_correspondence(void **state)
{
    (void)state;
    char *out = NULL, args[1024];
    snprintf(args, sizeof args, "%s",
             at("carry -q --table @/counts.csv --table-key key --columns ew --method "
                "correspondence --correspondence @/corr.csv -o @/c.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_close(num("c.csv", "T1", "ew"), 50, 1e-9);
    assert_close(num("c.csv", "T2", "ew"), 350, 1e-9);
    /* C has no row in the correspondence: its shares sum to 0, reported by key */
    assert_non_null(strstr(out, "C (0)"));
    /* with --to the targets are the layer's keys: T9 is not one of them (its row is skipped
     * and reported, but A's shares still sum to 1), T3 gets nothing (missing); decimal
     * commas in the shares */
    snprintf(args, sizeof args, "%s",
             at("carry -q --table @/counts.csv --table-key key --columns ew --method "
                "correspondence --correspondence @/corr2.csv --correspondence-columns "
                "von,nach,anteil --to @/tgt.geojson --to-key key -o @/c2.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_close(num("c2.csv", "T1", "ew"), 50, 1e-9);
    assert_close(num("c2.csv", "T2", "ew"), 300, 1e-9);
    assert_string_equal(cell("c2.csv", "T3", "ew"), "");
    assert_close(num("c2.csv", "T4", "ew"), 50, 1e-9);
    assert_non_null(strstr(out, "not in the target layer; their rows are skipped: T9"));
    assert_null(strstr(out, "do not sum to 1"));
}

static void test_suppressed_range(void **state)
{
    (void)state;
    char *out = NULL, args[8192];
    /* "kl": A suppressed with '*' (1..2), B 30, C 5. T1 half of A: 0.5..1; T2 half of A and
     * of B: 15.5..16; T3 a value, T4 40 % of C: no range. "mh": A secret ('.'), no range. */
    snprintf(args, sizeof args, "%s",
             at("carry -q --from @/src.geojson --from-key key --table @/counts.csv "
                "--table-key key --columns kl,mh --to @/tgt.geojson --to-key key "
                "--work-crs EPSG:25833 --sliver-area 1 --suppressed-range 1..2 -o @/r.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 0);
    assert_string_equal(cell("r.csv", "T1", "kl"), ".");
    assert_close(num("r.csv", "T1", "kl_low"), 0.5, 1e-9);
    assert_close(num("r.csv", "T1", "kl_high"), 1, 1e-9);
    assert_close(num("r.csv", "T2", "kl_low"), 15.5, 1e-9);
    assert_close(num("r.csv", "T2", "kl_high"), 16, 1e-9);
    assert_close(num("r.csv", "T3", "kl"), 15, 1e-9);
    assert_string_equal(cell("r.csv", "T3", "kl_low"), "");
    assert_close(num("r.csv", "T4", "kl"), 2, 1e-9);
    assert_string_equal(cell("r.csv", "T1", "mh"), ".");
    assert_string_equal(cell("r.csv", "T1", "mh_low"), "");
    snprintf(args, sizeof args, "%s",
             at("carry -q --from @/src.geojson --from-key key --table @/counts.csv "
                "--table-key key --columns kl --to @/tgt.geojson --to-key key "
                "--suppressed-range 2..1 -o @/r.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 2);
    assert_non_null(strstr(out, "--suppressed-range takes LO..HI"));
}

static void test_errors(void **state)
{
    (void)state;
    char *out = NULL, args[1024];
    /* a column that is not there: data error naming file and column */
    snprintf(args, sizeof args, "%s",
             at("carry -q --table @/counts.csv --table-key key --columns einwohner --from "
                "@/src.geojson --from-key key --to @/tgt.geojson --to-key key -o @/e.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "'einwohner'"));
    assert_non_null(strstr(out, "counts.csv"));
    /* a repeated key */
    snprintf(args, sizeof args, "%s",
             at("carry -q --table @/dup.csv --table-key key --columns ew --from "
                "@/src.geojson --from-key key --to @/tgt.geojson --to-key key -o @/e.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "line 4: key 'A'"));
    /* text in a count column */
    snprintf(args, sizeof args, "%s",
             at("carry -q --table @/bad.csv --table-key key --columns ew --from "
                "@/src.geojson --from-key key --to @/tgt.geojson --to-key key -o @/e.csv"));
    assert_int_equal(qtr_run_cli(args, &out), 1);
    assert_non_null(strstr(out, "line 3, column 'ew', key 'B': 'zwei'"));
    /* usage: an unknown method, weights without their table */
    assert_int_equal(carry("-o /tmp/x.csv --method nearest", &out), 2);
    assert_non_null(strstr(out, "--method is area, weights or correspondence"));
    assert_int_equal(carry("-o /tmp/x.csv --method weights", &out), 2);
    assert_non_null(strstr(out, "--weights-table"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area),           cmocka_unit_test(test_weights),
        cmocka_unit_test(test_correspondence), cmocka_unit_test(test_suppressed_range),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
