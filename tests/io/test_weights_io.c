/*
 * test_weights_io.c - GAL round trip, GWT text, and malformed GAL files.
 */
#include "test_util.h"

#include <unistd.h>

#include "quartier/weights.h"

static char dir[] = "/tmp/qtr_weights_io_XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"w.gal", "w.gwt", "bad.gal", "old.gal"};
    char p[256];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* a path: 0 - 1 - 2, plus island 3; keys keep their leading zeros */
static const char *const KEYS[4] = {"01001", "01002", "01003", "09999"};

static struct qtr_csr *path_w(void)
{
    uint32_t i[] = {0, 1, 1, 2}, j[] = {1, 0, 2, 1};
    double w[] = {1, 0.5, 0.5, 1};
    struct qtr_csr *m = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_from_triplets(4, i, j, w, 4, &m, &err), 0);
    return m;
}

static void test_gal_round_trip(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/w.gal", dir);
    struct qtr_csr *w = path_w(), *r = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_write_gal(p, w, KEYS, "bezirke", "RAUMID", &err), 0);
    assert_string_equal(slurp(p), "0 4 bezirke RAUMID\n"
                                  "01001 1\n01002\n"
                                  "01002 2\n01001 01003\n"
                                  "01003 1\n01002\n"
                                  "09999 0\n\n");
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), 0);
    assert_int_equal(r->n, 4);
    assert_int_equal(qtr_csr_nnz(r), 4);
    for (size_t k = 0; k <= 4; k++)
        assert_int_equal(r->row[k], w->row[k]);
    for (size_t e = 0; e < 4; e++) {
        assert_int_equal(r->col[e], w->col[e]);
        assert_close(r->w[e], 1.0, 0); /* GAL is binary */
    }
    qtr_csr_free(r);

    /* rows need not be in key order, and the old bare "n" header is accepted */
    snprintf(p, sizeof p, "%s/old.gal", dir);
    spit(p, "4\n01003 1\n01002\n01001 1\n01002\n01002 2\n01003 01001\n");
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), 0);
    for (size_t k = 0; k <= 4; k++)
        assert_int_equal(r->row[k], w->row[k]);
    qtr_csr_free(r);
    qtr_csr_free(w);
}

static void test_gwt(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/w.gwt", dir);
    struct qtr_csr *w = path_w();
    w->w[1] = 1.0 / 3; /* needs 16 digits to read back */
    struct qtr_error err = {0};
    assert_int_equal(qtr_weights_write_gwt(p, w, KEYS, NULL, NULL, &err), 0);
    assert_string_equal(slurp(p), "0 4 unknown id\n"
                                  "01001 01002 1\n"
                                  "01002 01001 0.3333333333333333\n"
                                  "01002 01003 0.5\n"
                                  "01003 01002 1\n");
    const char *const bad[4] = {"a", "b c", "d", "e"};
    assert_int_equal(qtr_weights_write_gwt(p, w, bad, NULL, NULL, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "b c"));
    assert_int_equal(qtr_weights_write_gal("/nonexistent-dir/w.gal", w, KEYS, NULL, NULL, &err),
                     QTR_ERR_IO);
    qtr_csr_free(w);
}

static void test_gal_errors(void **state)
{
    (void)state;
    char p[256];
    snprintf(p, sizeof p, "%s/bad.gal", dir);
    struct qtr_csr *r = NULL;
    struct qtr_error err = {0};
    spit(p, "0 4 x id\n01001 1\n07777\n");
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "07777"));
    spit(p, "0 4 x id\n01001 2\n01002\n");
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), QTR_ERR_DATA);
    spit(p, "0 5 x id\n");
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), QTR_ERR_DATA);
    spit(p, "0 4 x id\n01001 2\n01002 01002\n");
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), QTR_ERR_DATA);
    assert_null(r);
    snprintf(p, sizeof p, "%s/missing.gal", dir);
    assert_int_equal(qtr_weights_read_gal(p, KEYS, 4, &r, &err), QTR_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gal_round_trip),
        cmocka_unit_test(test_gwt),
        cmocka_unit_test(test_gal_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
