/*
 * test_carry_berlin.c - the quality target of issue 13 on real data (skipped without
 * ../shared): the residents of 31.12.2020 on LOR 2019 (448 Planungsräume) carried onto
 * LOR 2021 (542) by area and by dasymetric weights (the residents of 31.12.2024 on LOR 2021),
 * compared with the residents of 31.12.2020 the MSS 2021 publishes on the 542 (column EW).
 * Figures over the Planungsräume with at least 300 published residents: median and 90th
 * percentile (type 7, linear) of the absolute percentage error, and the number off by more
 * than 10 %. The values are those measured when the method was written (docs/crosswalk.md);
 * the test keeps them within a small margin.
 *
 * Twice: on the files as shipped, where the feature of 04030417 (Charlottenburg) carries the
 * key 06010102 of another Planungsraum (Steglitz; ../shared/data/berlin/PROVENANCE.md), and on
 * a copy with that one key corrected.
 */
#include "test_util.h"

#include "cli/cli_util.h"
#include "quartier/csv.h"
#include "quartier/table.h"

#define LOR19 "/data/berlin/lor2019_plr448/"
#define LOR21 "/data/berlin/lor2021_plr542/"

struct figures {
    size_t n, missing, off10;
    double median, p90;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double quantile7(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    return lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
}

static struct qtr_table *read_csv(const char *path)
{
    struct qtr_table *t = NULL;
    struct qtr_error err = {0};
    struct qtr_csv_options o = {0};
    if (qtr_csv_read(path, &o, &t, NULL, &err))
        fail_msg("%s", err.msg);
    return t;
}

static struct figures compare(const char *shared, const char *carried)
{
    char p[4096];
    snprintf(p, sizeof p, "%s" LOR21 "mss_2021_indizes.csv", shared);
    struct qtr_table *mss = read_csv(p), *est = read_csv(carried);
    long kc = qtr_table_find_column(mss, "PLR_ID"), ec = qtr_table_find_column(mss, "EW");
    long vc = qtr_table_find_column(est, "inhabitants");
    assert_true(kc >= 0 && ec >= 0 && vc >= 0);
    double *ape = calloc(mss->nrows, sizeof *ape);
    struct figures f = {0};
    for (size_t r = 0; r < mss->nrows; r++) {
        const char *ew = qtr_table_cell(mss, r, (size_t)ec);
        if (!*ew || atof(ew) < 300)
            continue;
        const char *v = NULL;
        for (size_t s = 0; s < est->nrows && !v; s++)
            if (!strcmp(qtr_table_cell(est, s, 0), qtr_table_cell(mss, r, (size_t)kc)))
                v = qtr_table_cell(est, s, (size_t)vc);
        assert_non_null(v); /* every target key is in the output */
        if (!*v || !strcmp(v, ".")) {
            f.missing++;
            continue;
        }
        double e = fabs(atof(v) - atof(ew)) / atof(ew) * 100;
        ape[f.n++] = e;
        f.off10 += e > 10;
    }
    qsort(ape, f.n, sizeof *ape, cmp_double);
    f.median = quantile7(ape, f.n, 0.5);
    f.p90 = quantile7(ape, f.n, 0.9);
    free(ape);
    qtr_table_free(mss);
    qtr_table_free(est);
    return f;
}

static void carry(const char *shared, const char *from, const char *dir, const char *method,
                  const char *out)
{
    char args[8192], *o = NULL;
    char extra[4096] = "";
    /* "density": weights, the 2024 residents spread within each target by the 2020 density */
    int density = !strcmp(method, "density");
    if (!strcmp(method, "weights") || density)
        snprintf(extra, sizeof extra,
                 "--weights-table '%s" LOR21 "berlin-lor-population-2024-02-t1-planning-areas.csv'"
                 " --weights-key id --weights-column inhabitants%s",
                 shared, density ? " --density-column inhabitants" : "");
    if (density)
        method = "weights";
    snprintf(args, sizeof args,
             "carry -q --from '%s' --from-key id --table '%s" LOR19
             "berlin-lor-population-2020-02-t1-planning-areas.csv' --table-key id "
             "--columns inhabitants --to '%s" LOR21 "geometry/lor_planungsraeume_2021.shp' "
             "--to-key PLR_ID --method %s %s -o '%s/%s'",
             from, shared, shared, method, extra, dir, out);
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("quartier %s -> %d:\n%s", args, rc, o ? o : "");
}

static void check(struct figures f, size_t n, size_t missing, double median, double p90,
                  size_t off10)
{
    print_message(
        "n %zu, missing %zu, median %.4f %%, p90 %.4f %%, off by > 10 %%: %zu (%.2f %%)\n", f.n,
        f.missing, f.median, f.p90, f.off10, 100.0 * (double)f.off10 / (double)f.n);
    assert_int_equal(f.n, n);
    assert_int_equal(f.missing, missing);
    assert_close(f.median, median, 0.01);
    assert_close(f.p90, p90, 0.05);
    assert_true(f.off10 + 1 >= off10 && f.off10 <= off10 + 1);
}

static void test_berlin_448_to_542(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    const char *dir = qtr_temp_dir();
    assert_non_null(dir);
    char from[4096], fixed[4096], p[4096];
    snprintf(from, sizeof from, "%s" LOR19 "berlin-lor-planning-areas-until-2020.geojson", shared);

    /* as shipped: the Charlottenburg feature keyed 06010102 comes first and carries the
     * counts of 06010102 (Steglitz); 06100102 (Steglitz, LOR 2021) is then fed by a feature
     * without counts and is missing */
    carry(shared, from, dir, "area", "area.csv");
    carry(shared, from, dir, "weights", "weights.csv");
    snprintf(p, sizeof p, "%s/area.csv", dir);
    struct figures a = compare(shared, p);
    snprintf(p, sizeof p, "%s/weights.csv", dir);
    struct figures w = compare(shared, p);
    check(a, 536, 1, 0.2300, 33.9457, 149);
    check(w, 536, 1, 0.1889, 5.1448, 33);
    carry(shared, from, dir, "density", "density.csv");
    snprintf(p, sizeof p, "%s/density.csv", dir);
    struct figures d = compare(shared, p);
    check(d, 536, 1, 0.1674, 4.8306, 22);

    /* with the key of the first 06010102 feature corrected to 04030417 (PROVENANCE.md: its
     * bounding box 13.285-13.302 E, 52.510-52.519 N is Charlottenburg) */
    FILE *in = fopen(from, "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long len = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    assert_int_equal(fread(text, 1, (size_t)len, in), (size_t)len);
    text[len] = '\0';
    fclose(in);
    char *k = strstr(text, "\"id\": \"06010102\"");
    assert_non_null(k);
    assert_non_null(strstr(k, "\"bounding_box\": [13.2847"));
    assert_true(strstr(k, "\"bounding_box\": [13.2847") < strstr(k + 1, "\"id\""));
    memcpy(k + 7, "04030417", 8);
    snprintf(fixed, sizeof fixed, "%s/lor2019-fixed.geojson", dir);
    FILE *outf = fopen(fixed, "wb");
    assert_non_null(outf);
    fwrite(text, 1, (size_t)len, outf);
    fclose(outf);
    free(text);
    carry(shared, fixed, dir, "area", "area-fixed.csv");
    carry(shared, fixed, dir, "weights", "weights-fixed.csv");
    snprintf(p, sizeof p, "%s/area-fixed.csv", dir);
    a = compare(shared, p);
    snprintf(p, sizeof p, "%s/weights-fixed.csv", dir);
    w = compare(shared, p);
    check(a, 537, 0, 0.2169, 33.8620, 148);
    check(w, 537, 0, 0.1869, 5.1212, 32);
    carry(shared, fixed, dir, "density", "density-fixed.csv");
    snprintf(p, sizeof p, "%s/density-fixed.csv", dir);
    d = compare(shared, p);
    check(d, 537, 0, 0.1664, 4.8163, 21);
    /* issue 13's quality target: 90th percentile <= 5 %, at most 6 % off by more than 10 % */
    assert_true(d.p90 <= 5.0);
    assert_true((double)d.off10 <= 0.06 * (double)d.n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_berlin_448_to_542)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
