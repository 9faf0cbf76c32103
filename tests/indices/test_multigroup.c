/*
 * test_multigroup.c - multigroup indices on hand-computed layouts, their
 * properties, the exact decomposition of M and the local measures.
 *
 * The main layout: two districts of 100, A = (60, 30, 10), B = (20, 20, 60);
 * T = 200, P = (0.4, 0.25, 0.35), p_A = (0.6, 0.3, 0.1), p_B = (0.2, 0.2, 0.6),
 * I = 0.655, Simpson concentration 0.345. Values worked out in the comments.
 */
#include "test_util.h"

#include "quartier/multigroup.h"

typedef int (*index_fn)(const struct qtr_units *, double *, struct qtr_error *);

struct layout {
    size_t n, K;
    double g[6][16];
    const double *gp[6];
    double cx[16], cy[16];
    struct qtr_units u;
};

static void layout_set(struct layout *l, size_t n, size_t K, const double *rows)
{
    memset(l, 0, sizeof *l);
    l->n = n;
    l->K = K;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++)
            l->g[k][i] = rows[i * K + k];
    for (size_t k = 0; k < K; k++)
        l->gp[k] = l->g[k];
    l->u.n = n;
    l->u.ngroups = K;
    l->u.groups = l->gp;
}

static double val(const struct qtr_units *u, index_fn fn)
{
    struct qtr_error err = {0};
    double v = NAN;
    int rc = fn(u, &v, &err);
    if (rc != QTR_OK)
        fail_msg("status %d: %s", rc, err.msg);
    return v;
}

static const double two_rows[] = {60, 30, 10, 20, 20, 60};

static void test_hand_values(void **state)
{
    (void)state;
    struct layout l;
    layout_set(&l, 2, 3, two_rows);
    /* Σ_i t_i Σ_k |p_ik - P_k| = 100 (0.5) + 100 (0.5) = 100; D = 100 / (2 * 200 * 0.655) */
    assert_close(val(&l.u, qtr_multigroup_dissimilarity), 100.0 / 262.0, 1e-15);
    /* Σ_k Σ_ij t_i t_j |p_ik - p_jk| = 2 * 100 * 100 * (0.4 + 0.1 + 0.5); / (2 T² I) */
    assert_close(val(&l.u, qtr_multigroup_gini), 20000.0 / (2.0 * 40000.0 * 0.655), 1e-15);
    /* Σ_k (p_ik - P_k)² = 0.105 in both districts: R = 0.105 / 0.655 */
    assert_close(val(&l.u, qtr_multigroup_relative_diversity), 21.0 / 131.0, 1e-15);
    /* 0.04/0.6 + 0.0025/0.75 + 0.0625/0.65 in both districts */
    assert_close(val(&l.u, qtr_multigroup_normalized_exposure),
                 0.04 / 0.6 + 0.0025 / 0.75 + 0.0625 / 0.65, 1e-15);
    /* (0.04/0.4 + 0.0025/0.25 + 0.0625/0.35) / (K - 1) */
    assert_close(val(&l.u, qtr_multigroup_squared_cv), (0.1 + 0.01 + 0.0625 / 0.35) / 2.0, 1e-15);
    assert_close(val(&l.u, qtr_simpsons_concentration), 0.345, 1e-15);
    assert_close(val(&l.u, qtr_simpsons_interaction), 0.655, 1e-15);
    double E = -(0.4 * log(0.4) + 0.25 * log(0.25) + 0.35 * log(0.35));
    assert_close(val(&l.u, qtr_multigroup_diversity), E, 1e-15);
    assert_close(val(&l.u, qtr_multigroup_diversity_normalized), E / log(3.0), 1e-15);
    double M = 0.5 * (0.6 * log(0.6 / 0.4) + 0.3 * log(0.3 / 0.25) + 0.1 * log(0.1 / 0.35)) +
               0.5 * (0.2 * log(0.2 / 0.4) + 0.2 * log(0.2 / 0.25) + 0.6 * log(0.6 / 0.35));
    assert_close(M, 0.15641949455916468, 1e-15);
    assert_close(val(&l.u, qtr_mutual_information), M, 1e-15);
    assert_close(val(&l.u, qtr_multigroup_divergence), M, 1e-15);
    assert_close(val(&l.u, qtr_multigroup_entropy), M / E, 1e-15);
}

static void test_global_distortion_hand(void **state)
{
    (void)state;
    /* Districts on a line at x = 0, 1, 3 with (1,0), (0,1), (1,1); P = (1/2, 1/2).
     * Profiles: from 1: (1,0) -> ln 2, then (1,1), (2,2) -> 0. From 2: (0,1) -> ln 2.
     * From 3: (1,1) -> 0, (1,2) -> 1/3 ln(2/3) + 2/3 ln(4/3), (2,2) -> 0.
     * Index = (1 ln2 + 1 ln2 + 2 c3) / 4. */
    const double rows[] = {1, 0, 0, 1, 1, 1};
    struct layout l;
    layout_set(&l, 3, 2, rows);
    l.cx[0] = 0;
    l.cx[1] = 1;
    l.cx[2] = 3;
    l.u.cx = l.cx;
    l.u.cy = l.cy;
    double c3 = log(2.0 / 3.0) / 3.0 + 2.0 * log(4.0 / 3.0) / 3.0;
    assert_close(val(&l.u, qtr_global_distortion), (2.0 * log(2.0) + 2.0 * c3) / 4.0, 1e-15);
    /* Without centroids the index is not defined. */
    l.u.cx = NULL;
    struct qtr_error err = {0};
    double v;
    assert_int_equal(qtr_global_distortion(&l.u, &v, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "centroid"));
    /* Above the cap it is listed with the reason instead of taking hours (issue 12). */
    l.u.cx = l.cx;
    l.u.n = QTR_GLOBAL_DISTORTION_MAX_N + 1;
    assert_int_equal(qtr_global_distortion(&l.u, &v, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "not computed above 20000"));
    /* ... also when no centroids are given: the cap is the reason (a 1,000,000-cell grid
     * said "needs district centroids") */
    l.u.cx = NULL;
    assert_int_equal(qtr_global_distortion(&l.u, &v, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "not computed above 20000"));
    l.u.cx = l.cx;
    l.u.n = 3;
}

static const index_fn seg_fns[] = {
    qtr_multigroup_dissimilarity,
    qtr_multigroup_gini,
    qtr_multigroup_entropy,
    qtr_multigroup_normalized_exposure,
    qtr_multigroup_relative_diversity,
    qtr_multigroup_squared_cv,
    qtr_multigroup_divergence,
    qtr_mutual_information,
};
static const index_fn all_fns[] = {
    qtr_multigroup_dissimilarity,
    qtr_multigroup_gini,
    qtr_multigroup_entropy,
    qtr_multigroup_normalized_exposure,
    qtr_multigroup_relative_diversity,
    qtr_multigroup_squared_cv,
    qtr_multigroup_divergence,
    qtr_mutual_information,
    qtr_multigroup_diversity,
    qtr_multigroup_diversity_normalized,
    qtr_simpsons_interaction,
    qtr_simpsons_concentration,
};
#define NSEG (sizeof seg_fns / sizeof seg_fns[0])
#define NALL (sizeof all_fns / sizeof all_fns[0])

static const double five_rows[] = {120, 30, 50, 10, 80, 10, 40, 40, 20, 5, 5, 190, 70, 20, 10};

static void test_even_layout_is_zero(void **state)
{
    (void)state;
    /* Every district has the city's composition (2:1:1), sizes differ. */
    const double rows[] = {20, 10, 10, 200, 100, 100, 2, 1, 1, 64, 32, 32};
    struct layout l;
    layout_set(&l, 4, 3, rows);
    for (size_t f = 0; f < NSEG; f++)
        assert_close(val(&l.u, seg_fns[f]), 0.0, 1e-15);
}

static void test_scaling_and_order_invariance(void **state)
{
    (void)state;
    struct layout a, s, r;
    layout_set(&a, 5, 3, five_rows);
    double scaled[15], reord[15];
    for (int j = 0; j < 15; j++)
        scaled[j] = five_rows[j] * 3.75;
    /* districts reversed and groups rotated (k -> (k+1) % 3) */
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < 3; k++)
            reord[(4 - i) * 3 + (k + 1) % 3] = five_rows[i * 3 + k];
    layout_set(&s, 5, 3, scaled);
    layout_set(&r, 5, 3, reord);
    for (size_t f = 0; f < NALL; f++) {
        double v = val(&a.u, all_fns[f]);
        assert_close(val(&s.u, all_fns[f]), v, 1e-13);
        assert_close(val(&r.u, all_fns[f]), v, 1e-13);
    }
}

static void test_absent_group_and_empty_district(void **state)
{
    (void)state;
    struct layout a, b;
    layout_set(&a, 5, 3, five_rows);
    /* A fourth group with no members anywhere and an empty sixth district. */
    double rows[24] = {0};
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < 3; k++)
            rows[i * 4 + k] = five_rows[i * 3 + k];
    layout_set(&b, 6, 4, rows);
    for (size_t f = 0; f < NALL; f++)
        assert_close(val(&b.u, all_fns[f]), val(&a.u, all_fns[f]), 1e-14);
}

static void test_domain_errors(void **state)
{
    (void)state;
    struct qtr_error err = {0};
    double v;
    /* One district: its composition is the city's, every index is 0 and defined. */
    const double one[] = {5, 7, 9};
    struct layout l;
    layout_set(&l, 1, 3, one);
    for (size_t f = 0; f < NSEG; f++)
        assert_close(val(&l.u, seg_fns[f]), 0.0, 1e-15);
    /* Nobody lives in the city. */
    const double zero[] = {0, 0, 0, 0, 0, 0};
    layout_set(&l, 2, 3, zero);
    for (size_t f = 0; f < NALL; f++) {
        assert_int_equal(all_fns[f](&l.u, &v, &err), QTR_ERR_DOMAIN);
        assert_non_null(strstr(err.msg, "no residents"));
    }
    /* Only one group present: segregation between groups is not defined. */
    const double single[] = {3, 0, 0, 5, 0, 0};
    layout_set(&l, 2, 3, single);
    assert_int_equal(qtr_multigroup_dissimilarity(&l.u, &v, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "only 1 of 3 groups"));
    assert_int_equal(qtr_multigroup_diversity(&l.u, &v, &err), QTR_OK);
    assert_close(v, 0.0, 0.0);
    /* Negative count. */
    const double neg[] = {3, -1, 0, 5, 1, 0};
    layout_set(&l, 2, 3, neg);
    assert_int_equal(qtr_mutual_information(&l.u, &v, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "district 1"));
    /* No groups at all. */
    struct qtr_units none = {.n = 2};
    assert_int_equal(qtr_multigroup_gini(&none, &v, &err), QTR_ERR_DOMAIN);
}

static void test_m_decomposition(void **state)
{
    (void)state;
    /* Eight districts in three parents (one parent empty of residents except zeros). */
    const double rows[] = {50, 10, 5, 40, 20, 5,  5,  5,  60, 10, 30, 30,
                           0,  0,  0, 70, 5,  20, 15, 45, 10, 30, 30, 30};
    const uint32_t parent[] = {0, 0, 1, 1, 2, 3, 3, 3};
    struct layout l;
    layout_set(&l, 8, 3, rows);
    double tot, bet, wit, w[4], mp[4], c[4];
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_mutual_information_decompose(&l.u, parent, 4, &tot, &bet, &wit, w, mp, c, &err),
        QTR_OK);
    double M = val(&l.u, qtr_mutual_information);
    assert_close(tot, M, 1e-15);
    assert_close(bet + wit, M, 1e-12);
    /* Parent 2 has nobody: weight 0, M_p = 0. */
    assert_close(w[2], 0.0, 0.0);
    assert_close(mp[2], 0.0, 0.0);
    double sc = 0.0, sw = 0.0;
    for (int p = 0; p < 4; p++) {
        sc += c[p];
        sw += w[p];
        assert_close(c[p], w[p] * mp[p], 1e-15);
    }
    assert_close(sc, wit, 1e-15);
    assert_close(sw, 1.0, 1e-15);
    /* Between = M of the parents as districts. */
    const double agg[] = {90, 30, 10, 15, 35, 90, 0, 0, 0, 115, 80, 60};
    struct layout pa;
    layout_set(&pa, 4, 3, agg);
    assert_close(bet, val(&pa.u, qtr_mutual_information), 1e-14);
    /* M_p = M among the districts of parent 3 alone. */
    const double p3[] = {70, 5, 20, 15, 45, 10, 30, 30, 30};
    struct layout l3;
    layout_set(&l3, 3, 3, p3);
    assert_close(mp[3], val(&l3.u, qtr_mutual_information), 1e-14);
    assert_close(w[3], 255.0 / 525.0, 1e-15);
    /* Out-of-range parent id. */
    const uint32_t bad[] = {0, 0, 1, 1, 2, 3, 3, 9};
    assert_int_equal(
        qtr_mutual_information_decompose(&l.u, bad, 4, &tot, &bet, &wit, NULL, NULL, NULL, &err),
        QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "district 8"));
}

static void test_local(void **state)
{
    (void)state;
    const double rows[] = {60, 30, 10, 20, 20, 60, 0, 0, 0};
    struct layout l;
    layout_set(&l, 3, 3, rows);
    double div[3], ent[3], sc[3], si[3], ls[3], lq[9];
    uint8_t def[3];
    struct qtr_error err = {0};
    assert_int_equal(qtr_multigroup_local(&l.u, div, ent, sc, si, ls, lq, def, &err), QTR_OK);
    double dA = -(0.6 * log(0.6) + 0.3 * log(0.3) + 0.1 * log(0.1));
    assert_close(div[0], dA, 1e-15);
    assert_close(ent[0], dA / log(3.0), 1e-15);
    assert_close(sc[0], 0.36 + 0.09 + 0.01, 1e-15);
    assert_close(si[0], 1.0 - 0.46, 1e-15);
    assert_close(ls[0], 0.6 * log(1.5) + 0.3 * log(1.2) + 0.1 * log(0.1 / 0.35), 1e-15);
    assert_close(lq[0 * 3 + 0], 1.5, 1e-15);
    assert_close(lq[1 * 3 + 2], 0.6 / 0.35, 1e-15);
    assert_int_equal(def[0], 1);
    assert_int_equal(def[2], 0);
    assert_close(div[2], 0.0, 0.0);
    /* p_i-weighted local scores add up to M. */
    assert_close(0.5 * ls[0] + 0.5 * ls[1], val(&l.u, qtr_mutual_information), 1e-15);
}

static void test_battery(void **state)
{
    (void)state;
    struct layout l;
    layout_set(&l, 5, 3, five_rows);
    struct qtr_index_value *v = NULL;
    size_t nv = 0;
    struct qtr_index_options opt = {0};
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_multi(&l.u, &opt, &v, &nv, &err), QTR_OK);
    assert_int_equal(nv, 13);
    int seen = 0;
    for (size_t j = 0; j < nv; j++) {
        assert_string_equal(v[j].group, "");
        if (strcmp(v[j].name, "mutual_information") == 0) {
            seen++;
            assert_int_equal(v[j].status, QTR_OK);
            assert_close(v[j].value, val(&l.u, qtr_mutual_information), 0.0);
            assert_true(isnan(v[j].p_value) && isnan(v[j].ci_low));
        }
        if (strcmp(v[j].name, "global_distortion") == 0) {
            seen++;
            /* no centroids: listed with a reason, not dropped */
            assert_int_equal(v[j].status, QTR_ERR_DOMAIN);
            assert_true(isnan(v[j].value));
            assert_non_null(strstr(v[j].reason, "centroid"));
        }
    }
    assert_int_equal(seen, 2);
    /* With permutations: p-values, expectations and intervals for the segregation indices. */
    opt.permutations = 99;
    opt.seed = 5;
    assert_int_equal(qtr_indices_multi(&l.u, &opt, &v, &nv, &err), QTR_OK);
    assert_int_equal(nv, 26);
    for (size_t j = 13; j < nv; j++) {
        if (strcmp(v[j].name, "multigroup_dissimilarity") == 0) {
            assert_close(v[j].p_value, 0.01, 1e-15);
            assert_true(v[j].expected < v[j].value);
            assert_true(v[j].ci_low <= v[j].ci_high);
        }
        if (strcmp(v[j].name, "simpsons_interaction") == 0)
            assert_true(isnan(v[j].p_value));
    }
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_values),
        cmocka_unit_test(test_global_distortion_hand),
        cmocka_unit_test(test_even_layout_is_zero),
        cmocka_unit_test(test_scaling_and_order_invariance),
        cmocka_unit_test(test_absent_group_and_empty_district),
        cmocka_unit_test(test_domain_errors),
        cmocka_unit_test(test_m_decomposition),
        cmocka_unit_test(test_local),
        cmocka_unit_test(test_battery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
