/* Tests for map_source.c: the source line of a map from the analysis file's attributions. */
#include "test_util.h"

#include <stdlib.h>

#include "quartier/map.h"

static void expect(const struct qtr_map_source *src, size_t n, int en, const char *want)
{
    char *got = qtr_map_source_line(src, n, en);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_providers_not_files(void **state)
{
    (void)state;
    /* Berlin: two MSS tables of one publisher, the population table, the LOR boundaries */
    const struct qtr_map_source src[] = {
        {"Amt f\xc3\xbcr Statistik Berlin-Brandenburg (CC BY 3.0 DE)", "data/ew_2021.csv"},
        {"  Amt f\xc3\xbcr Statistik Berlin-Brandenburg (CC BY 3.0 DE) ", "data/ew_2020.csv"},
        {"Geoportal Berlin / LOR (CC BY 4.0)", "/srv/geo/lor_planungsraeume_2021.gpkg"},
    };
    expect(src, 3, 0,
           "Quelle: Amt f\xc3\xbcr Statistik Berlin-Brandenburg (CC BY 3.0 DE); "
           "Geoportal Berlin / LOR (CC BY 4.0); Darstellung: quartier");
    expect(src, 3, 1,
           "Source: Amt f\xc3\xbcr Statistik Berlin-Brandenburg (CC BY 3.0 DE); "
           "Geoportal Berlin / LOR (CC BY 4.0); map: quartier");
}

static void test_missing_attribution_names_file(void **state)
{
    (void)state;
    const struct qtr_map_source src[] = {
        {NULL, "tabellen/sozialdaten.csv"},
        {" \t", "tabellen/wohnen.csv"},
        {NULL, "tabellen/sozialdaten.csv"}, /* the same file twice: named once */
        {"Freie und Hansestadt Hamburg, LGV (dl-de/by-2-0)", "hh.geojson"},
    };
    expect(src, 4, 0,
           "Quelle: Datei sozialdaten.csv; Datei wohnen.csv; Freie und Hansestadt Hamburg, "
           "LGV (dl-de/by-2-0); Darstellung: quartier");
    expect(src, 1, 1, "Source: file sozialdaten.csv; map: quartier");
    expect(NULL, 0, 0, "Darstellung: quartier");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_providers_not_files),
        cmocka_unit_test(test_missing_attribution_names_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
