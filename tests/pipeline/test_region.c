/*
 * Regions of a batch (src/pipeline/region.c): the split of a layer by prefix:N and by a
 * column, its errors, the region seed, and qtr_table_keep_rows. The layer is built by hand
 * (keys and attributes; no geometry: the split reads neither).
 */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#include "quartier/config.h"
#include "quartier/layer.h"
#include "quartier/region.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

/* Six districts: keys, and a column "bez" holding the Bezirk name ("" for none). */
static struct qtr_layer *layer(const char *const *keys, const char *const *bez, size_t n)
{
    struct qtr_layer *l = calloc(1, sizeof *l);
    assert_non_null(l);
    l->n = n;
    l->key = calloc(n, sizeof *l->key);
    l->name = calloc(n, sizeof *l->name);
    const char *names[] = {"id", "bez"};
    l->attrs = qtr_table_new("test", 2, names);
    assert_non_null(l->attrs);
    for (size_t i = 0; i < n; i++) {
        l->key[i] = qtr_strdup(keys[i]);
        l->name[i] = qtr_strdup("");
        const char *row[] = {keys[i], bez[i]};
        assert_int_equal(qtr_table_append_row(l->attrs, row, i + 2, NULL), 0);
    }
    return l;
}

static void free_layer(struct qtr_layer *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->key[i]);
        free(l->name[i]);
    }
    free(l->key);
    free(l->name);
    qtr_table_free(l->attrs);
    free(l);
}

static const char *const keys[] = {"0210", "0110", "0220", "0111", "0300", "02/9"};
static const char *const bez[] = {"Nord", "Mitte", "Nord", "Mitte", "Süd", "Nord"};

static void test_prefix(void **state)
{
    (void)state;
    struct qtr_layer *l = layer(keys, bez, 6);
    struct qtr_config cfg;
    qtr_config_init(&cfg);
    cfg.batch_by = qtr_strdup("prefix:2");
    struct qtr_regions *r = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_regions_split(&cfg, l, &r, &err), QTR_OK);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->key[0], "01");
    assert_string_equal(r->key[1], "02");
    assert_string_equal(r->key[2], "03");
    assert_int_equal(r->ndistricts[0], 2);
    assert_int_equal(r->ndistricts[1], 3);
    assert_int_equal(r->ndistricts[2], 1);
    size_t want[] = {1, 0, 1, 0, 2, 1};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(r->of[i], want[i]);
    assert_int_equal(qtr_regions_find(r, "02"), 1);
    assert_int_equal(qtr_regions_find(r, "04"), -1);
    assert_int_equal(qtr_regions_unknown(&cfg, r, "2", &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "--region '2': no such region"));
    qtr_regions_free(r);
    /* a key shorter than N belongs to no region */
    free(cfg.batch_by);
    cfg.batch_by = qtr_strdup("prefix:5");
    assert_int_equal(qtr_regions_split(&cfg, l, &r, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "district '0210' (feature 1"));
    assert_null(r);
    qtr_config_release(&cfg);
    free_layer(l);
}

static void test_column(void **state)
{
    (void)state;
    struct qtr_layer *l = layer(keys, bez, 6);
    struct qtr_config cfg;
    qtr_config_init(&cfg);
    cfg.batch_by = qtr_strdup("bez");
    cfg.batch_name = qtr_strdup("bez");
    struct qtr_regions *r = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_regions_split(&cfg, l, &r, &err), QTR_OK);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->key[0], "Mitte");
    assert_string_equal(r->key[2], "Süd");
    assert_string_equal(r->name[1], "Nord");
    /* the folder name keeps letters, digits, '.', '_', '-' only */
    assert_string_equal(r->dir[2], "S__d");
    assert_int_equal(r->ndistricts[1], 3);
    qtr_regions_free(r);
    /* a misspelt column: usage error with the closest column */
    free(cfg.batch_by);
    cfg.batch_by = qtr_strdup("bz");
    assert_int_equal(qtr_regions_split(&cfg, l, &r, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "[batch] by = 'bz': no such column"));
    assert_non_null(strstr(err.msg, "closest: 'bez'"));
    qtr_config_release(&cfg);
    free_layer(l);
    /* a district without a value belongs to no region */
    const char *const holes[] = {"Nord", "Mitte", "", "Mitte", "Süd", "Nord"};
    l = layer(keys, holes, 6);
    qtr_config_init(&cfg);
    cfg.batch_by = qtr_strdup("bez");
    assert_int_equal(qtr_regions_split(&cfg, l, &r, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "district '0220' (feature 3"));
    qtr_config_release(&cfg);
    free_layer(l);
}

static void test_seed(void **state)
{
    (void)state;
    /* a function of (seed, key) only; nearby keys and seeds give different seeds */
    assert_true(qtr_region_seed(42, "01") == qtr_region_seed(42, "01"));
    assert_true(qtr_region_seed(42, "01") != qtr_region_seed(42, "02"));
    assert_true(qtr_region_seed(42, "01") != qtr_region_seed(43, "01"));
    assert_true(qtr_region_seed(0, "") != 0);
}

static void test_keep_rows(void **state)
{
    (void)state;
    const char *names[] = {"k", "v"};
    struct qtr_table *t = qtr_table_new("t.csv", 2, names);
    const char *rows[][2] = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(qtr_table_append_row(t, rows[i], i + 2, NULL), 0);
    const uint8_t keep[] = {0, 1, 0, 1};
    qtr_table_keep_rows(t, keep);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(qtr_table_cell(t, 0, 0), "b");
    assert_string_equal(qtr_table_cell(t, 1, 1), "4");
    assert_int_equal(t->line[1], 5);
    qtr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_column),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_keep_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
