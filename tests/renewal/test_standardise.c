/* Tests for src/renewal/standardise.c: hand-computed z-scores, percentiles,
 * the validity mask and composite indices. */
#include "test_util.h"

#include "quartier/renewal.h"

static void test_z_population_sd(void **state)
{
    (void)state;
    /* mean 3, population SD sqrt(2) */
    const double x[] = {1, 2, 3, 4, 5};
    double z[5];
    struct qtr_error err = {0};
    assert_int_equal(qtr_standardise(5, x, NULL, NULL, QTR_STD_Z, z, &err), QTR_OK);
    const double s = sqrt(2.0);
    assert_close(z[0], -2 / s, 1e-12);
    assert_close(z[1], -1 / s, 1e-12);
    assert_close(z[2], 0, 1e-12);
    assert_close(z[3], 1 / s, 1e-12);
    assert_close(z[4], 2 / s, 1e-12);
}

static void test_z_excludes_invalid(void **state)
{
    (void)state;
    /* valid 1, 3, 5: mean 3, population SD sqrt(8/3); the 100 and the NaN are
     * invalid and must neither move the mean nor get a score */
    const double x[] = {1, 100, 3, NAN, 5};
    const uint8_t v[] = {1, 0, 1, 0, 1};
    double z[5];
    struct qtr_error err = {0};
    assert_int_equal(qtr_standardise(5, x, v, NULL, QTR_STD_Z, z, &err), QTR_OK);
    const double s = sqrt(8.0 / 3.0);
    assert_close(z[0], -2 / s, 1e-12);
    assert_close(z[2], 0, 1e-12);
    assert_close(z[4], 2 / s, 1e-12);
    assert_true(isnan(z[1]));
    assert_true(isnan(z[3]));
}

static void test_z_weighted(void **state)
{
    (void)state;
    /* x = {0, 10}, w = {3, 1}: mean 2.5, var (3*6.25 + 56.25)/4 = 18.75 */
    const double x[] = {0, 10};
    const double w[] = {3, 1};
    double z[2];
    struct qtr_error err = {0};
    assert_int_equal(qtr_standardise(2, x, NULL, w, QTR_STD_Z_WEIGHTED, z, &err), QTR_OK);
    assert_close(z[0], -2.5 / sqrt(18.75), 1e-12);
    assert_close(z[1], 7.5 / sqrt(18.75), 1e-12);
    /* the weighted mean of the scores is 0 and their weighted variance 1 */
    assert_close(3 * z[0] + z[1], 0, 1e-12);
    assert_close((3 * z[0] * z[0] + z[1] * z[1]) / 4, 1, 1e-12);
    /* a negative weight is a data error */
    const double bad[] = {3, -1};
    assert_int_equal(qtr_standardise(2, x, NULL, bad, QTR_STD_Z_WEIGHTED, z, &err), QTR_ERR_DATA);
    assert_int_equal(qtr_standardise(2, x, NULL, NULL, QTR_STD_Z_WEIGHTED, z, &err), QTR_ERR_DATA);
}

static void test_percentile(void **state)
{
    (void)state;
    /* ranks 1, 2.5, 2.5, 4 -> 100 * (r - 0.5) / 4; the invalid 0 is not ranked */
    const double x[] = {10, 20, 0, 20, 40};
    const uint8_t v[] = {1, 1, 0, 1, 1};
    double p[5];
    struct qtr_error err = {0};
    assert_int_equal(qtr_standardise(5, x, v, NULL, QTR_STD_PERCENTILE, p, &err), QTR_OK);
    assert_close(p[0], 12.5, 1e-12);
    assert_close(p[1], 50, 1e-12);
    assert_true(isnan(p[2]));
    assert_close(p[3], 50, 1e-12);
    assert_close(p[4], 87.5, 1e-12);
}

static void test_standardise_errors(void **state)
{
    (void)state;
    double z[3];
    struct qtr_error err = {0};
    const double same[] = {4, 4, 4};
    assert_int_equal(qtr_standardise(3, same, NULL, NULL, QTR_STD_Z, z, &err), QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "standard deviation of zero"));
    const double hole[] = {1, NAN, 3};
    assert_int_equal(qtr_standardise(3, hole, NULL, NULL, QTR_STD_Z, z, &err), QTR_ERR_DATA);
    assert_non_null(strstr(err.msg, "district 2"));
    const uint8_t one[] = {1, 0, 0};
    assert_int_equal(qtr_standardise(3, hole, one, NULL, QTR_STD_Z, z, &err), QTR_ERR_DOMAIN);
}

static void test_mask(void **state)
{
    (void)state;
    const double pop[] = {1000, 200, 500, 800, NAN, 400};
    const uint8_t outl[] = {0, 0, 1, 0, 0, 0};
    const double a[] = {1, 2, 3, NAN, 5, 6};
    const double b[] = {1, 1, 1, 1, 1, 1};
    const double *ind[] = {a, b};
    uint8_t r[6];
    size_t nv = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_mask(6, pop, 300, outl, 2, ind, r, &nv, &err), QTR_OK);
    assert_int_equal(nv, 2);
    assert_int_equal(r[0], QTR_RENEWAL_VALID);
    assert_int_equal(r[1], QTR_RENEWAL_SMALL);
    assert_int_equal(r[2], QTR_RENEWAL_OUTLIER);
    assert_int_equal(r[3], QTR_RENEWAL_MISSING);
    assert_int_equal(r[4], QTR_RENEWAL_SMALL);
    assert_int_equal(r[5], QTR_RENEWAL_VALID);
    /* the boundary: exactly the minimum is enough */
    const double pop2[] = {300, 300};
    assert_int_equal(qtr_renewal_mask(2, pop2, 300, NULL, 0, NULL, r, &nv, &err), QTR_OK);
    assert_int_equal(nv, 2);
    /* fewer than two valid districts */
    assert_int_equal(qtr_renewal_mask(5, pop, 300, outl, 2, ind, r, &nv, &err), QTR_ERR_DOMAIN);
    assert_int_equal(nv, 1);
}

static void test_change(void **state)
{
    (void)state;
    const double cur[] = {10, 12, NAN};
    const double prev[] = {8, 13, 1};
    double d[3];
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_change(3, cur, prev, 2, 1, d, &err), QTR_OK);
    assert_close(d[0], 1, 1e-15);
    assert_close(d[1], -0.5, 1e-15);
    assert_true(isnan(d[2]));
    assert_int_equal(qtr_renewal_change(3, cur, prev, 2, 0, d, &err), QTR_OK);
    assert_close(d[0], 2, 1e-15);
    assert_close(d[1], -1, 1e-15);
    assert_int_equal(qtr_renewal_change(3, cur, prev, 0, 1, d, &err), QTR_ERR_USAGE);
}

static void test_composite(void **state)
{
    (void)state;
    /* A: z = {-c, 0, c}, c = 1/sqrt(2/3) = 1.2247...; B (higher_better):
     * z = {c, -c, 0}, flipped {-c, c, 0}. Sum {-2c, c, c}: mean 0, SD c*sqrt(2)
     * -> index {-sqrt2, 1/sqrt2, 1/sqrt2}. */
    const double a[] = {1, 2, 3};
    const double b[] = {3, 1, 2};
    const double *vals[] = {a, b};
    const uint8_t hb[] = {0, 1};
    double za[3], zb[3], idx[3];
    double *zo[] = {za, zb};
    const double c = 1 / sqrt(2.0 / 3.0);
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_renewal_composite(3, 2, vals, NULL, hb, NULL, NULL, QTR_STD_Z, zo, idx, &err), QTR_OK);
    assert_close(za[0], -c, 1e-12);
    assert_close(zb[0], c, 1e-12); /* own direction, not flipped */
    assert_close(idx[0], -sqrt(2.0), 1e-12);
    assert_close(idx[1], 1 / sqrt(2.0), 1e-12);
    assert_close(idx[2], 1 / sqrt(2.0), 1e-12);

    /* weights 2:1 -> sum {-3c, c, 2c}, SD c*sqrt(14/3) */
    const double w[] = {2, 1};
    assert_int_equal(
        qtr_renewal_composite(3, 2, vals, w, hb, NULL, NULL, QTR_STD_Z, NULL, idx, &err), QTR_OK);
    assert_close(idx[0], -3 / sqrt(14.0 / 3.0), 1e-12);
    assert_close(idx[1], 1 / sqrt(14.0 / 3.0), 1e-12);
    assert_close(idx[2], 2 / sqrt(14.0 / 3.0), 1e-12);

    /* an invalid district gets NaN and does not shift the others */
    const double a4[] = {1, 2, 3, 1000};
    const double b4[] = {3, 1, 2, NAN};
    const double *v4[] = {a4, b4};
    const uint8_t valid[] = {1, 1, 1, 0};
    double idx4[4];
    assert_int_equal(
        qtr_renewal_composite(4, 2, v4, NULL, hb, valid, NULL, QTR_STD_Z, NULL, idx4, &err),
        QTR_OK);
    assert_close(idx4[0], -sqrt(2.0), 1e-12);
    assert_true(isnan(idx4[3]));

    /* an indicator that does not vary is named in the error */
    const double flat[] = {5, 5, 5};
    const double *vf[] = {a, flat};
    assert_int_equal(
        qtr_renewal_composite(3, 2, vf, NULL, NULL, NULL, NULL, QTR_STD_Z, NULL, idx, &err),
        QTR_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "indicator 2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_z_population_sd),
        cmocka_unit_test(test_z_excludes_invalid),
        cmocka_unit_test(test_z_weighted),
        cmocka_unit_test(test_percentile),
        cmocka_unit_test(test_standardise_errors),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_change),
        cmocka_unit_test(test_composite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
