/* Tests for src/renewal/run.c: the whole identification on a hand-made table.
 *
 * Six districts, one indicator "Arbeitslosigkeit" (higher = worse):
 *   current  A = {0, 0, 0, 0, 10, 99}, previous {4, 0, 0, 0, 6, 99},
 *   residents  {1000, 1000, 1000, 1000, 1000, 100} -> district 6 is invalid.
 * Status over the 5 valid: mean 2, population SD sqrt((4*4 + 8*8)/5) = 4,
 *   z = {-0.5, -0.5, -0.5, -0.5, 2}; one indicator, so the index is z again.
 *   Classes: mittel x4, sehr niedrig.
 * Change A - previous = {-4, 0, 0, 0, 4}: mean 0, SD sqrt(32/5),
 *   z = {-1.5811, 0, 0, 0, 1.5811}: positiv, stabil x3, negativ.
 */
#include "test_util.h"

#include "quartier/renewal.h"

static const double cur[] = {0, 0, 0, 0, 10, 99};
static const double prev[] = {4, 0, 0, 0, 6, 99};
static const double pop[] = {1000, 1000, 1000, 1000, 1000, 100};

static void test_run_mss(void **state)
{
    (void)state;
    const struct qtr_renewal_indicator ind[] = {{"Arbeitslosigkeit", cur, prev, 1, 1, 0, NULL, NULL}};
    const uint8_t lq[] = {0, 0, 0, 0, 1, 1};
    const double share[] = {0, 0, 0, 0, 0.3, 1};
    struct qtr_renewal_config cfg;
    qtr_renewal_config_init(&cfg);
    cfg.years = 2;
    cfg.per_years = 1; /* per year: halves the changes, z stays */
    struct qtr_renewal_result r;
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_run(6, 1, ind, pop, NULL, lq, share, &cfg, &r, &err), QTR_OK);
    assert_int_equal(r.nvalid, 5);
    assert_int_equal(r.validity[5], QTR_RENEWAL_SMALL);
    const double zd = 4 / sqrt(32.0 / 5.0);
    for (int i = 0; i < 4; i++) {
        assert_close(r.status_index[i], -0.5, 1e-12);
        assert_int_equal(r.status_class[i], QTR_STATUS_MITTEL);
    }
    assert_close(r.status_index[4], 2, 1e-12);
    assert_int_equal(r.status_class[4], QTR_STATUS_SEHR_NIEDRIG);
    assert_true(isnan(r.status_index[5]));
    assert_int_equal(r.status_class[5], QTR_STATUS_NONE);
    assert_close(r.dynamics_index[0], -zd, 1e-12);
    assert_close(r.dynamics_index[4], zd, 1e-12);
    assert_int_equal(r.dynamics_class[0], QTR_DYN_POSITIV);
    assert_int_equal(r.dynamics_class[1], QTR_DYN_STABIL);
    assert_int_equal(r.dynamics_class[4], QTR_DYN_NEGATIV);
    assert_string_equal(r.group_label[0], "2+");
    assert_int_equal(r.group[1], 23);
    assert_string_equal(r.group_label[4], "4-");
    assert_int_equal(r.group[5], 0);
    assert_int_equal(r.attention[0], 0);
    assert_int_equal(r.attention[4], QTR_ATTN_STATUS | QTR_ATTN_SEGREGATION);
    assert_int_equal(r.attention[5], 0);
    assert_null(r.rank_score);
    /* real values first: per year the changes are {-2, 0, 0, 0, 2}, their mean 0; the
     * status mean of the valid districts is 2 (no denominator: no city rate) */
    assert_string_equal(r.reason[0], "Status mittel; Dynamik positiv – Veränderung "
                                     "Arbeitslosigkeit: -2,0 (Gebietsmittel 0,0; 1,6 SD unter "
                                     "Mittel)");
    assert_string_equal(r.reason[1], "Status mittel; Dynamik stabil");
    assert_string_equal(r.reason[4],
                        "Status sehr niedrig – Arbeitslosigkeit: 10,0 (Gebietsmittel 2,0; 2,0 SD "
                        "über Mittel); Dynamik negativ – Veränderung Arbeitslosigkeit: +2,0 "
                        "(Gebietsmittel 0,0; 1,6 SD über Mittel); "
                        "Segregationsrisiko (Lagequotient signifikant hoch, Anteil steigend)");
    assert_string_equal(r.reason[5], "ungültig (weniger als 300 Einwohner)");
    qtr_renewal_result_release(&r);
    qtr_renewal_result_release(&r); /* released twice: a no-op */
}

static void test_run_rank_and_outlier(void **state)
{
    (void)state;
    /* declared outlier instead of small population; status ranks
     * {2.5 x4, 5}, dynamics ranks {1, 3, 3, 3, 5}:
     * scores {1.9, 2.7, 2.7, 2.7, 5}; ceil(5/10) = 1 -> district 5 */
    const struct qtr_renewal_indicator ind[] = {{"unemployment", cur, prev, 1, 1, 0, NULL, NULL}};
    const uint8_t outl[] = {0, 0, 0, 0, 0, 1};
    struct qtr_renewal_config cfg;
    qtr_renewal_config_init(&cfg);
    cfg.method = QTR_RENEWAL_RANK;
    cfg.lang = QTR_LANG_EN;
    struct qtr_renewal_result r;
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_run(6, 1, ind, NULL, outl, NULL, NULL, &cfg, &r, &err), QTR_OK);
    assert_int_equal(r.validity[5], QTR_RENEWAL_OUTLIER);
    assert_close(r.rank_score[0], 1.9, 1e-12);
    assert_close(r.rank_score[1], 2.7, 1e-12);
    assert_close(r.rank_score[4], 5, 1e-12);
    for (int i = 0; i < 4; i++)
        assert_int_equal(r.attention[i], 0);
    assert_int_equal(r.attention[4], QTR_ATTN_RANK);
    assert_string_equal(r.reason[4], "Status very low – unemployment: 10.0 (district mean 2.0; 2.0 SD "
                                     "above mean); dynamics negative – change in unemployment: +4.0 "
                                     "(district mean 0.0; 1.6 SD above mean); worst decile of the "
                                     "combined rank (status:dynamics 3:2)");
    assert_string_equal(r.reason[5], "invalid (declared outlier)");
    qtr_renewal_result_release(&r);
}

static void test_run_errors(void **state)
{
    (void)state;
    struct qtr_renewal_config cfg;
    qtr_renewal_config_init(&cfg);
    struct qtr_renewal_result r;
    struct qtr_error err = {0};
    const struct qtr_renewal_indicator none[] = {{"A", cur, prev, 0, 1, 0, NULL, NULL}};
    assert_int_equal(qtr_renewal_run(6, 1, none, pop, NULL, NULL, NULL, &cfg, &r, &err),
                     QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "status_weight"));
    const struct qtr_renewal_indicator noprev[] = {{"A", cur, NULL, 1, 1, 0, NULL, NULL}};
    assert_int_equal(qtr_renewal_run(6, 1, noprev, pop, NULL, NULL, NULL, &cfg, &r, &err),
                     QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "'A'"));
    const struct qtr_renewal_indicator ok[] = {{"A", cur, prev, 1, 1, 0, NULL, NULL}};
    cfg.status_thresholds[2] = 0.5;
    assert_int_equal(qtr_renewal_run(6, 1, ok, pop, NULL, NULL, NULL, &cfg, &r, &err),
                     QTR_ERR_USAGE);
    qtr_renewal_config_init(&cfg);
    cfg.min_population = 5000; /* nobody is big enough */
    assert_int_equal(qtr_renewal_run(6, 1, ok, pop, NULL, NULL, NULL, &cfg, &r, &err),
                     QTR_ERR_DOMAIN);
    assert_null(r.status_index);
}

static void test_run_percentile(void **state)
{
    (void)state;
    /* percentiles over the 5 valid: status ranks {2.5 x4, 5} ->
     * 100 * (r - 0.5) / 5 = {40 x4, 90}; the sum of one indicator is ranked
     * again to the same values. With thresholds at the 20th/80th/85th
     * percentile district 5 is sehr niedrig; the reason still speaks in SD. */
    const struct qtr_renewal_indicator ind[] = {{"Arbeitslosigkeit", cur, prev, 1, 0, 0, NULL, NULL}};
    struct qtr_renewal_config cfg;
    qtr_renewal_config_init(&cfg);
    cfg.standardise = QTR_STD_PERCENTILE;
    cfg.status_thresholds[0] = 20;
    cfg.status_thresholds[1] = 80;
    cfg.status_thresholds[2] = 85;
    struct qtr_renewal_result r;
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_run(6, 1, ind, pop, NULL, NULL, NULL, &cfg, &r, &err), QTR_OK);
    assert_close(r.status_index[0], 40, 1e-12);
    assert_close(r.status_index[4], 90, 1e-12);
    assert_int_equal(r.status_class[0], QTR_STATUS_MITTEL);
    assert_int_equal(r.status_class[4], QTR_STATUS_SEHR_NIEDRIG);
    assert_int_equal(r.dynamics_class[4], QTR_DYN_NONE);
    assert_true(isnan(r.dynamics_index[4]));
    /* percentile ranks: no SD to weigh parts by, so the largest pushes are named */
    assert_string_equal(r.reason[4], "Status sehr niedrig – Arbeitslosigkeit: 10,0 (Gebietsmittel "
                                     "2,0; 2,0 SD über Mittel)");
    qtr_renewal_result_release(&r);
}

static void test_run_city_rate(void **state)
{
    (void)state;
    /* With a denominator the reason compares with the city's own rate over all
     * districts with a value, the small invalid one included:
     * (10 * 100 + 99 * 10) / (4 * 100 + 100 + 10) = 1990 / 510 = 3.90 -> "3,9\u00a0%". */
    static const double den[] = {100, 100, 100, 100, 100, 10};
    struct qtr_renewal_indicator ind[] = {{"Arbeitslosigkeit", cur, prev, 1, 0, 0, NULL, NULL}};
    ind[0].unit = "%";
    ind[0].denominator = den;
    struct qtr_renewal_config cfg;
    qtr_renewal_config_init(&cfg);
    struct qtr_renewal_result r;
    struct qtr_error err = {0};
    assert_int_equal(qtr_renewal_run(6, 1, ind, pop, NULL, NULL, NULL, &cfg, &r, &err), QTR_OK);
    assert_string_equal(r.reason[4], "Status sehr niedrig – Arbeitslosigkeit: 10,0\u00a0% (Stadt 3,9\u00a0%; "
                                     "2,0 SD über Mittel)");
    qtr_renewal_result_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_mss),
        cmocka_unit_test(test_run_rank_and_outlier),
        cmocka_unit_test(test_run_errors),
        cmocka_unit_test(test_run_percentile),
        cmocka_unit_test(test_run_city_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
