/* Disclosure control on a hand-built frame: which columns are counts, what is suppressed. */
#include "../test_util.h"

#include "quartier/config.h"
#include "quartier/disclosure.h"
#include "quartier/frame.h"

static struct qtr_column *col(struct qtr_frame *f, const char *name, const char *origin,
                              const double *v, const uint8_t *kind)
{
    struct qtr_column *c = qtr_frame_add_column(f, name, origin, 0);
    assert_non_null(c);
    for (size_t i = 0; i < f->n; i++) {
        c->kind[i] = kind ? kind[i] : (v[i] == 0 ? QTR_CELL_ZERO : QTR_CELL_VALUE);
        c->v[i] = c->kind[i] <= QTR_CELL_ZERO ? v[i] : NAN;
    }
    qtr_column_recount(c, f->n);
    return c;
}

#define S(x) ((char *)(x))

/* A computed column: its role and the group or indicator it belongs to, as the stages set. */
static struct qtr_column *role(struct qtr_column *c, enum qtr_role r, const char *of)
{
    assert_int_equal(qtr_column_set_role(c, r, of), QTR_OK);
    return c;
}

static void test_disclose(void **state)
{
    (void)state;
    char *keys[] = {S("01"), S("02"), S("03")};
    struct qtr_frame *f = qtr_frame_new(3, keys, keys);
    assert_non_null(f);
    const double three[] = {1, 2, 3}, a[] = {1, 5, 0}, b[] = {1.5, 2, 2}, s[] = {0, 10, 20},
                 x[] = {2, 7, 7}, any[] = {0.5, 0.5, 0.5};
    const uint8_t skind[] = {QTR_CELL_SECRET, QTR_CELL_VALUE, QTR_CELL_VALUE};
    const uint8_t vals[] = {QTR_CELL_VALUE, QTR_CELL_VALUE, QTR_CELL_VALUE};
    struct qtr_column *ca = col(f, "a", "t", a, NULL);
    struct qtr_column *cb = col(f, "b", "t", b, NULL);
    struct qtr_column *code = col(f, "code", "t", three, NULL);
    struct qtr_column *code2 = col(f, "code_2020", "t", three, NULL);
    struct qtr_column *bnd = col(f, "bnd", "boundaries", three, NULL);
    col(f, "s", "t", s, skind);
    struct qtr_column *cx = col(f, "x\"y", "t", x, NULL);
    struct qtr_column *share = role(col(f, "g_share", "quartier", any, vals), QTR_ROLE_SHARE, "g");
    struct qtr_column *lq = role(col(f, "g_lq", "quartier", any, vals), QTR_ROLE_LQ, "g");
    struct qtr_column *ind_i = role(col(f, "i", "quartier", any, vals), QTR_ROLE_INDICATOR, "i");
    struct qtr_column *ind_j = role(col(f, "j", "quartier", any, vals), QTR_ROLE_INDICATOR, "j");
    struct qtr_column *ind_jc = role(col(f, "j_change", "quartier", any, vals), QTR_ROLE_IND_CHANGE, "j");
    struct qtr_column *ind_k = role(col(f, "k", "quartier", any, vals), QTR_ROLE_INDICATOR, "k");

    assert_true(qtr_is_count_column(ca, 3));
    assert_false(qtr_is_count_column(cb, 3));    /* decimals */
    assert_false(qtr_is_count_column(bnd, 3));   /* boundary attribute */
    assert_false(qtr_is_count_column(share, 3)); /* computed */
    assert_true(qtr_is_count_column(code, 3));   /* by its values: hence `not_counts =` */

    struct qtr_config cfg;
    qtr_config_init(&cfg);
    cfg.min_count = 3;
    struct qtr_table_spec ts = {.id = S("t"), .suffix = S("_2020"), .not_counts = S(" code ,")};
    cfg.tables = &ts;
    cfg.ntables = 1;
    struct qtr_group_spec gs = {.id = S("g"), .column = S("a")};
    cfg.groups = &gs;
    cfg.ngroups = 1;
    struct qtr_indicator_spec is[3] = {
        /* a secret input cell: i is already computed from "s" here only for the test */
        {.id = S("i"), .expr = S("100.0 * \"s\" / \"b\"")},
        /* bare identifier a; coalesce is a function, 'a' a string literal */
        {.id = S("j"), .expr = S("coalesce(a, 0) + length('a')"), .previous = S("\"b\"")},
        /* quoted identifier with an escaped quote: column x"y (2 < 3 at 01) */
        {.id = S("k"), .expr = S("\"x\"\"y\" * 2")},
    };
    cfg.indicators = is;
    cfg.nindicators = 3;

    struct qtr_disclosure d;
    struct qtr_error err = {0};
    assert_int_equal(qtr_disclose_frame(f, &cfg, &d, &err), 0);
    /* step 1: a[0] = 1 and x"y[0] = 2 (codes, decimals, boundaries, zero untouched) */
    assert_int_equal(d.counts, 2);
    assert_int_equal(ca->kind[0], QTR_CELL_SUPPRESSED);
    assert_true(isnan(ca->v[0]));
    assert_int_equal(ca->kind[1], QTR_CELL_VALUE);
    assert_int_equal(ca->kind[2], QTR_CELL_ZERO);
    assert_int_equal(cx->kind[0], QTR_CELL_SUPPRESSED);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(code->kind[i], QTR_CELL_VALUE);
        assert_int_equal(code2->kind[i], QTR_CELL_VALUE); /* code + the table's suffix */
        assert_int_equal(bnd->kind[i], QTR_CELL_VALUE);
        assert_int_equal(cb->kind[i], QTR_CELL_VALUE);
    }
    /* step 2: g_share, g_lq (from a), i (secret s), j and j_change (a), k (x"y) at 01 */
    assert_int_equal(d.derived, 6);
    struct qtr_column *derived[] = {share, lq, ind_i, ind_j, ind_jc, ind_k};
    for (size_t c = 0; c < 6; c++) {
        assert_int_equal(derived[c]->kind[0], QTR_CELL_SUPPRESSED);
        assert_int_equal(derived[c]->kind[1], QTR_CELL_VALUE);
        assert_int_equal(derived[c]->kind[2], QTR_CELL_VALUE);
        assert_int_equal(derived[c]->count[QTR_CELL_SUPPRESSED], 1);
    }
    assert_int_equal(d.columns, 8);
    /* idempotent */
    assert_int_equal(qtr_disclose_frame(f, &cfg, &d, &err), 0);
    assert_int_equal(d.counts, 0);
    assert_int_equal(d.derived, 0);
    /* min_count 1 suppresses no count */
    cfg.min_count = 1;
    ca->kind[1] = QTR_CELL_VALUE;
    ca->v[1] = 1;
    assert_int_equal(qtr_disclose_frame(f, &cfg, &d, &err), 0);
    assert_int_equal(d.counts, 0);
    qtr_frame_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disclose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
