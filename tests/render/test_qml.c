/* Tests for qml.c: well-formed QML, escaping, class counts, NULL handling. */
#include "test_util.h"

#include "quartier/bivariate.h"
#include "quartier/qml.h"
#include "xmlcheck.h"

static const struct qtr_rgb five[5] = {
    {254, 229, 217}, {252, 174, 145}, {251, 106, 74}, {222, 45, 38}, {165, 15, 21}};

static void test_checker_rejects_bad_xml(void **state)
{
    (void)state;
    assert_null(xmlcheck("<a><b x=\"1\"/>t &amp; u</a>"));
    assert_non_null(xmlcheck("<a><b></a></b>"));
    assert_non_null(xmlcheck("<a x=\"<\"/>"));
    assert_non_null(xmlcheck("<a>R & D</a>"));
    assert_non_null(xmlcheck("<qgis><renderer-v2>"));
    assert_non_null(xmlcheck("<a/><b/>"));
}

static void test_graduated(void **state)
{
    (void)state;
    double lim[] = {0, 12.5, 20, 33.3333333333333, 50, 100};
    struct qtr_qml_alias al[] = {{"migr_anteil", "Anteil mit Migrationshintergrund (%)"},
                                 {"name", "Name \"Bezirk\" & <Ortsteil>"}};
    struct qtr_qml_graduated g = {.field = "migr_anteil",
                                  .k = 5,
                                  .limits = lim,
                                  .colors = five,
                                  .decimals = 1,
                                  .unit = "%",
                                  .method_id = "Quantile",
                                  .aliases = al,
                                  .naliases = 2};
    char *q = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_qml_graduated(&g, &q, &err), 0);
    const char *why = xmlcheck(q);
    if (why)
        fail_msg("not well-formed: %s\n%s", why, q);
    assert_int_equal(count_substr(q, "<range "), 5);
    assert_int_equal(count_substr(q, "<symbol "), 5);
    assert_non_null(strstr(q, "type=\"graduatedSymbol\" attr=\"migr_anteil\""));
    assert_non_null(strstr(q, "label=\"12,5 \xe2\x80\x93 20,0 %\""));
    /* limits verbatim, so the maximum is never rounded below the data */
    const char *u = strstr(q, "lower=\"20\" upper=\"");
    assert_non_null(u);
    assert_true(strtod(u + strlen("lower=\"20\" upper=\""), NULL) == lim[3]);
    assert_non_null(strstr(q, "name=\"Name &quot;Bezirk&quot; &amp; &lt;Ortsteil&gt;\""));
    assert_non_null(strstr(q, "<classificationMethod id=\"Quantile\"/>"));
    assert_non_null(strstr(q, "value=\"165,15,21,255\""));
    assert_non_null(strstr(q, "Bia\u0142owie\u017ca")); /* UTF-8 stays UTF-8 */
    free(q);

    /* bad input */
    double bad[] = {0, 2, 1};
    struct qtr_qml_graduated b = {.field = "x", .k = 2, .limits = bad, .colors = five};
    assert_int_equal(qtr_qml_graduated(&b, &q, &err), QTR_ERR_USAGE);
    assert_null(q);
    const char *labels[] = {"ok", "bad \x01 label"};
    double okl[] = {0, 1, 2};
    struct qtr_qml_graduated c = {
        .field = "x", .k = 2, .limits = okl, .colors = five, .labels = labels};
    assert_int_equal(qtr_qml_graduated(&c, &q, &err), QTR_ERR_DATA);
    const char *labels2[] = {"ok", "bad \xc3\x28 utf8"};
    c.labels = labels2;
    assert_int_equal(qtr_qml_graduated(&c, &q, &err), QTR_ERR_DATA);
}

static void test_graduated_with_nulls_is_rule_based(void **state)
{
    (void)state;
    double lim[] = {0, 0.25, 0.5};
    struct qtr_qml_graduated g = {.field = "dis\"sim",
                                  .k = 2,
                                  .limits = lim,
                                  .colors = five,
                                  .decimals = 2,
                                  .null_label = "keine Angabe",
                                  .null_color = {220, 220, 220}};
    char *q = NULL;
    assert_int_equal(qtr_qml_graduated(&g, &q, NULL), 0);
    const char *why = xmlcheck(q);
    if (why)
        fail_msg("not well-formed: %s\n%s", why, q);
    assert_int_equal(count_substr(q, "<rule "), 3);
    assert_int_equal(count_substr(q, "<symbol "), 3);
    assert_non_null(strstr(q, "type=\"RuleRenderer\""));
    /* first class closed below, the others open below (boundary value to the lower class) */
    assert_non_null(strstr(q, "filter=\"&quot;dis&quot;&quot;sim&quot; &gt;= 0 AND "
                              "&quot;dis&quot;&quot;sim&quot; &lt;= 0.25\""));
    assert_non_null(strstr(q, "filter=\"&quot;dis&quot;&quot;sim&quot; &gt; 0.25 AND"));
    assert_non_null(strstr(q, "filter=\"ELSE\" label=\"keine Angabe\""));
    assert_non_null(strstr(q, "value=\"220,220,220,255\""));
    free(q);
}

/* The status x dynamics style as the publish stage builds it: 12 classes in the bivariate
 * palette, "nicht bewertet" in its grey, and a hatched catch-all for anything else. */
static void test_status_dynamics_categories(void **state)
{
    (void)state;
    static const char *const st[] = {"hoch", "mittel", "niedrig", "sehr niedrig"};
    static const char *const dy[] = {"positiv", "stabil", "negativ"};
    char vals[13][40];
    const char *v[13];
    struct qtr_rgb col[13];
    for (int k = 1; k <= 12; k++) {
        snprintf(vals[k - 1], sizeof vals[0], "%s / %s", st[qtr_biv_status(k) - 1],
                 dy[qtr_biv_dynamics(k) - 1]);
        v[k - 1] = vals[k - 1];
        col[k - 1] = qtr_biv_color(k);
    }
    v[12] = "nicht bewertet";
    col[12] = qtr_palette_not_rated();
    struct qtr_qml_categorized c = {.field = "status_dynamics",
                                    .kind = QTR_QML_TEXT,
                                    .n = 13,
                                    .values = v,
                                    .colors = col,
                                    .other_label = "keine Angabe",
                                    .other_color = qtr_palette_nodata(),
                                    .other_hatched = 1};
    char *q = NULL;
    assert_int_equal(qtr_qml_categorized(&c, &q, NULL), 0);
    const char *why = xmlcheck(q);
    if (why)
        fail_msg("not well-formed: %s\n%s", why, q);
    assert_non_null(strstr(q, "type=\"categorizedSymbol\""));
    assert_null(strstr(q, "colorramp"));
    assert_int_equal(count_substr(q, "<category "), 14); /* 12 + not rated + catch-all */
    assert_non_null(strstr(q, "value=\"mittel / negativ\" label=\"mittel / negativ\""));
    assert_non_null(strstr(q, "value=\"sehr niedrig / negativ\""));
    assert_non_null(strstr(q, "value=\"nicht bewertet\" label=\"nicht bewertet\""));
    assert_non_null(strstr(q, "value=\"\" label=\"keine Angabe\""));
    /* mittel / negativ (code 6) and not rated in their colours, one hatch layer only */
    char want[64];
    struct qtr_rgb m6 = qtr_biv_color(6), nr = qtr_palette_not_rated();
    snprintf(want, sizeof want, "value=\"%d,%d,%d,255\"", m6.r, m6.g, m6.b);
    assert_non_null(strstr(q, want));
    snprintf(want, sizeof want, "value=\"%d,%d,%d,255\"", nr.r, nr.g, nr.b);
    assert_non_null(strstr(q, want));
    assert_int_equal(count_substr(q, "value=\"b_diagonal\""), 1);
    assert_int_equal(count_substr(q, "<symbol "), 14);
    free(q);
}

static void test_categorized(void **state)
{
    (void)state;
    const char *vals[] = {"1", "0"};
    const char *labs[] = {"Gebiet mit besonderem Aufmerksamkeitsbedarf", "unauff\xc3\xa4llig"};
    struct qtr_rgb cols[] = {{94, 60, 153}, {224, 224, 224}};
    struct qtr_qml_categorized c = {.field = "renewal_candidate",
                                    .kind = QTR_QML_BOOL,
                                    .n = 2,
                                    .values = vals,
                                    .colors = cols,
                                    .labels = labs,
                                    .other_label = "keine Angabe",
                                    .other_color = {255, 255, 255}};
    char *q = NULL;
    struct qtr_error err = {0};
    assert_int_equal(qtr_qml_categorized(&c, &q, &err), 0);
    const char *why = xmlcheck(q);
    if (why)
        fail_msg("not well-formed: %s\n%s", why, q);
    assert_int_equal(count_substr(q, "<category "), 3);
    assert_non_null(strstr(q, "value=\"true\" label=\"Gebiet mit"));
    assert_non_null(strstr(q, "value=\"false\" label=\"unauff\xc3\xa4llig\""));
    assert_non_null(strstr(q, "value=\"\" label=\"keine Angabe\""));
    free(q);

    const char *ivals[] = {"007", "-2", "3"};
    c.kind = QTR_QML_INT;
    c.values = ivals;
    c.n = 3;
    c.labels = NULL;
    c.other_label = NULL;
    struct qtr_rgb c3[3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    c.colors = c3;
    assert_int_equal(qtr_qml_categorized(&c, &q, &err), 0);
    assert_null(xmlcheck(q));
    assert_int_equal(count_substr(q, "<category "), 3);
    assert_non_null(strstr(q, "value=\"7\" label=\"007\""));
    assert_null(strstr(q, "value=\"\""));
    free(q);

    const char *dup[] = {"7", "07"};
    c.values = dup;
    c.n = 2;
    assert_int_equal(qtr_qml_categorized(&c, &q, &err), QTR_ERR_USAGE);
    assert_non_null(strstr(err.msg, "twice"));
    const char *nb[] = {"ja"};
    c.kind = QTR_QML_BOOL;
    c.values = nb;
    c.n = 1;
    assert_int_equal(qtr_qml_categorized(&c, &q, &err), QTR_ERR_USAGE);
    const char *txt[] = {"Nord & S\u00fcd", "<West>"};
    c.kind = QTR_QML_TEXT;
    c.values = txt;
    c.n = 2;
    assert_int_equal(qtr_qml_categorized(&c, &q, &err), 0);
    assert_null(xmlcheck(q));
    assert_non_null(strstr(q, "value=\"Nord &amp; S\u00fcd\""));
    assert_non_null(strstr(q, "value=\"&lt;West&gt;\""));
    free(q);
}

static void test_single(void **state)
{
    (void)state;
    char *q = NULL;
    struct qtr_rgb none = {0, 0, 0}, outl = {84, 39, 136};
    assert_int_equal(qtr_qml_single(0, none, outl, 0.8, NULL, 0, &q, NULL), 0);
    assert_null(xmlcheck(q));
    assert_non_null(strstr(q, "type=\"singleSymbol\""));
    assert_non_null(strstr(q, "name=\"style\" type=\"QString\" value=\"no\""));
    assert_non_null(strstr(q, "value=\"0.8\""));
    free(q);
    assert_int_equal(qtr_qml_single(1, none, outl, 0, NULL, 0, &q, NULL), QTR_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_rejects_bad_xml),
        cmocka_unit_test(test_graduated),
        cmocka_unit_test(test_graduated_with_nulls_is_rule_based),
        cmocka_unit_test(test_categorized),
        cmocka_unit_test(test_status_dynamics_categories),
        cmocka_unit_test(test_single),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
