/*
 * test_sacramento_multi.c - multigroup indices on the Sacramento tracts against
 * PySAL `segregation` v2.5.4 (../shared/reference/sacramento_pysal.json, entries
 * with variant null or "normalized"; per-tract values from
 * ../shared/reference/sacramento_pysal_local.csv). Groups WHITE_, BLACK_, ASIAN_,
 * HISP_, total = their sum. Global distortion and the surface indices (variant
 * "kernel_triangular_2000m") use centroids in EPSG:32610.
 */
#include "test_util.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "quartier/multigroup.h"
#include "quartier/surface.h"

#define NG 4

struct vtx {
    double x, y;
    size_t owner;
};
static const char *group_names[NG] = {"WHITE_", "BLACK_", "ASIAN_", "HISP_"};

struct sac {
    size_t n;
    char (*fips)[16];
    long *polyid;
    double *g[NG];
    double *cx, *cy;
    struct vtx *v; /* every ring vertex in the file's coordinates, with its district */
    size_t nv, capv;
    struct qtr_units u;
};

static void sac_free(struct sac *s)
{
    free(s->fips);
    free(s->polyid);
    for (int k = 0; k < NG; k++)
        free(s->g[k]);
    free(s->cx);
    free(s->cy);
    free(s->v);
}

static void collect_vertices(struct sac *s, OGRGeometryH g, size_t owner)
{
    int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int p = 0; p < parts; p++)
            collect_vertices(s, OGR_G_GetGeometryRef(g, p), owner);
        return;
    }
    int np = OGR_G_GetPointCount(g);
    for (int j = 0; j < np; j++) {
        if (s->nv == s->capv) {
            s->capv = s->capv ? 2 * s->capv : 4096;
            s->v = realloc(s->v, s->capv * sizeof *s->v);
        }
        s->v[s->nv].x = OGR_G_GetX(g, j);
        s->v[s->nv].y = OGR_G_GetY(g, j);
        s->v[s->nv].owner = owner;
        s->nv++;
    }
}

static int sac_load(const char *shared, struct sac *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/sacramento/sacramentot2.shp", shared);
    memset(s, 0, sizeof *s);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return -1;
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    size_t cap = (size_t)OGR_L_GetFeatureCount(lyr, 1);
    s->fips = calloc(cap, sizeof *s->fips);
    s->polyid = calloc(cap, sizeof *s->polyid);
    for (int k = 0; k < NG; k++)
        s->g[k] = calloc(cap, sizeof(double));
    s->cx = calloc(cap, sizeof(double));
    s->cy = calloc(cap, sizeof(double));
    /* The file has no .prj: lon/lat degrees; the reference used EPSG:32610. */
    OGRSpatialReferenceH src = OSRNewSpatialReference(NULL), dst = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(src, 4326);
    OSRImportFromEPSG(dst, 32610);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, dst);
    OGRFeatureH f;
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL && s->n < cap) {
        snprintf(s->fips[s->n], sizeof s->fips[0], "%s",
                 OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "FIPS")));
        s->polyid[s->n] = (long)OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "POLYID"));
        for (int k = 0; k < NG; k++)
            s->g[k][s->n] = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, group_names[k]));
        collect_vertices(s, OGR_F_GetGeometryRef(f), s->n);
        OGRGeometryH geom = OGR_G_Clone(OGR_F_GetGeometryRef(f));
        OGR_G_Transform(geom, ct);
        OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_Centroid(geom, c);
        s->cx[s->n] = OGR_G_GetX(c, 0);
        s->cy[s->n] = OGR_G_GetY(c, 0);
        OGR_G_DestroyGeometry(c);
        OGR_G_DestroyGeometry(geom);
        OGR_F_Destroy(f);
        s->n++;
    }
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(dst);
    GDALClose(ds);
    s->u.n = s->n;
    s->u.ngroups = NG;
    s->u.groups = (const double *const *)s->g;
    s->u.cx = s->cx;
    s->u.cy = s->cy;
    return 0;
}

typedef int (*index_fn)(const struct qtr_units *, double *, struct qtr_error *);

static void check(const struct qtr_units *u, index_fn fn, double expected, const char *name)
{
    struct qtr_error err = {0};
    double v = NAN;
    int rc = fn(u, &v, &err);
    if (rc != QTR_OK)
        fail_msg("%s: status %d (%s)", name, rc, err.msg);
    print_message("%-34s %.17g (PySAL %.17g)\n", name, v, expected);
    assert_close(v, expected, 1e-9);
}

static void test_global_values(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    struct sac s;
    assert_int_equal(sac_load(shared, &s), 0);
    assert_int_equal(s.n, 403);
    /* Literals copied from sacramento_pysal.json ("variant": null unless stated). */
    check(&s.u, qtr_multigroup_dissimilarity, 0.41340872573177806, "multigroup_dissimilarity");
    check(&s.u, qtr_multigroup_divergence, 0.16645182134289443, "multigroup_divergence");
    check(&s.u, qtr_multigroup_diversity, 0.9733112243997906, "multigroup_diversity");
    check(&s.u, qtr_multigroup_diversity_normalized, 0.7020956383415715,
          "multigroup_diversity (normalized)");
    check(&s.u, qtr_multigroup_gini, 0.5456349992598081, "multigroup_gini");
    check(&s.u, qtr_multigroup_entropy, 0.17101602978588873, "multigroup_entropy");
    check(&s.u, qtr_multigroup_normalized_exposure, 0.18821879029994157,
          "multigroup_normalized_exposure");
    check(&s.u, qtr_multigroup_relative_diversity, 0.15820019878220337,
          "multigroup_relative_diversity");
    check(&s.u, qtr_multigroup_squared_cv, 0.11875484641127525, "multigroup_squared_cv");
    check(&s.u, qtr_simpsons_concentration, 0.49182413151957904, "simpsons_concentration");
    check(&s.u, qtr_simpsons_interaction, 0.508175868480421, "simpsons_interaction");
    check(&s.u, qtr_global_distortion, 15.28564652573017, "global_distortion");
    /* M equals Roberto's divergence (same formula); Elbers' H equals PySAL's entropy. */
    check(&s.u, qtr_mutual_information, 0.16645182134289443, "mutual_information");
    sac_free(&s);
}

/* M between the four counties (FIPS digits 1-5) and within them adds up to M. */
static void test_county_decomposition(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    struct sac s;
    assert_int_equal(sac_load(shared, &s), 0);
    char county[8][8];
    size_t nc = 0;
    uint32_t *parent = calloc(s.n, sizeof *parent);
    for (size_t i = 0; i < s.n; i++) {
        size_t c = 0;
        while (c < nc && strncmp(county[c], s.fips[i], 5) != 0)
            c++;
        if (c == nc) {
            assert_true(nc < 8);
            memcpy(county[nc], s.fips[i], 5);
            county[nc][5] = '\0';
            nc++;
        }
        parent[i] = (uint32_t)c;
    }
    print_message("%zu counties\n", nc);
    assert_true(nc >= 2);
    double tot, bet, wit, w[8], mp[8], contrib[8];
    struct qtr_error err = {0};
    assert_int_equal(
        qtr_mutual_information_decompose(&s.u, parent, nc, &tot, &bet, &wit, w, mp, contrib, &err),
        QTR_OK);
    assert_close(tot, 0.16645182134289443, 1e-9);
    assert_close(bet + wit, tot, 1e-12);
    for (size_t c = 0; c < nc; c++)
        print_message("county %s: weight %.4f, M within %.5f\n", county[c], w[c], mp[c]);
    print_message("M = %.6f = between %.6f + within %.6f\n", tot, bet, wit);
    free(parent);
    sac_free(&s);
}

/* The battery on real data: every index defined, strongly significant, intervals around it. */
static void test_battery_with_inference(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    struct sac s;
    assert_int_equal(sac_load(shared, &s), 0);
    struct qtr_index_options opt = {.permutations = 99, .seed = 20240601};
    struct qtr_index_value *v = NULL;
    size_t nv = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_multi(&s.u, &opt, &v, &nv, &err), QTR_OK);
    assert_int_equal(nv, 13);
    for (size_t j = 0; j < nv; j++) {
        print_message("%-32s %.6f  p %.3f  E0 %.5f  CI [%.5f, %.5f]\n", v[j].name, v[j].value,
                      v[j].p_value, v[j].expected, v[j].ci_low, v[j].ci_high);
        assert_int_equal(v[j].status, QTR_OK);
        if (!isnan(v[j].p_value)) {
            assert_close(v[j].p_value, 0.01, 1e-15);
            assert_true(v[j].expected < 0.1 * v[j].value);
            assert_true(v[j].ci_low <= v[j].value + 0.01 && v[j].value - 0.01 <= v[j].ci_high);
        }
        if (strcmp(v[j].name, "global_distortion") == 0)
            assert_close(v[j].value, 15.28564652573017, 1e-9);
    }
    free(v);
    sac_free(&s);
}

static int cmp_vtx(const void *a, const void *b)
{
    const struct vtx *p = a, *q = b;
    if (p->x != q->x)
        return (p->x > q->x) - (p->x < q->x);
    if (p->y != q->y)
        return (p->y > q->y) - (p->y < q->y);
    return (p->owner > q->owner) - (p->owner < q->owner);
}

/*
 * PySAL's "spatially implicit" variant with queen weights (sacramento_pysal.json,
 * variant "queen_egohood"): counts replaced by the sum over the district and its
 * queen neighbours (w_ii = 1), then the aspatial formula. Queen neighbours as
 * libpysal builds them from a data frame: districts sharing at least one vertex
 * (exact coordinates). Binary weights keep the lagged counts whole, so PySAL's
 * rounding changes nothing. This exercises the multigroup kernels on a second,
 * independent set of counts; building weights belongs to the weights module.
 */
static void test_queen_egohood_values(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    struct sac s;
    assert_int_equal(sac_load(shared, &s), 0);
    size_t n = s.n;
    uint8_t *adj = calloc(n * n, 1);
    qsort(s.v, s.nv, sizeof *s.v, cmp_vtx);
    for (size_t a = 0; a < s.nv;) {
        size_t b = a;
        while (b < s.nv && s.v[b].x == s.v[a].x && s.v[b].y == s.v[a].y)
            b++;
        for (size_t i = a; i < b; i++)
            for (size_t j = a; j < b; j++)
                if (s.v[i].owner != s.v[j].owner)
                    adj[s.v[i].owner * n + s.v[j].owner] = 1;
        a = b;
    }
    double *lag[NG];
    for (int k = 0; k < NG; k++) {
        lag[k] = calloc(n, sizeof(double));
        for (size_t i = 0; i < n; i++) {
            lag[k][i] = s.g[k][i];
            for (size_t j = 0; j < n; j++)
                if (adj[i * n + j])
                    lag[k][i] += s.g[k][j];
        }
    }
    struct qtr_units u = {.n = n, .ngroups = NG, .groups = (const double *const *)lag};
    check(&u, qtr_multigroup_dissimilarity, 0.35602365027344185, "queen multigroup_dissimilarity");
    check(&u, qtr_multigroup_divergence, 0.11976966683235048, "queen multigroup_divergence");
    check(&u, qtr_multigroup_diversity, 0.9725919687324428, "queen multigroup_diversity");
    check(&u, qtr_multigroup_gini, 0.47544402440287387, "queen multigroup_gini");
    check(&u, qtr_multigroup_entropy, 0.12314482401951517, "queen multigroup_entropy");
    check(&u, qtr_multigroup_normalized_exposure, 0.14502884951282638,
          "queen multigroup_normalized_exposure");
    check(&u, qtr_multigroup_relative_diversity, 0.11754139809536478,
          "queen multigroup_relative_diversity");
    check(&u, qtr_multigroup_squared_cv, 0.08106867804938842, "queen multigroup_squared_cv");
    check(&u, qtr_simpsons_concentration, 0.4928216552932263, "queen simpsons_concentration");
    check(&u, qtr_simpsons_interaction, 0.5071783447067737, "queen simpsons_interaction");
    for (int k = 0; k < NG; k++)
        free(lag[k]);
    free(adj);
    sac_free(&s);
}

static int next_field(char **p, char *buf, size_t cap)
{
    char *s = *p;
    if (!s)
        return 0;
    char *c = strchr(s, ',');
    size_t len = c ? (size_t)(c - s) : strcspn(s, "\r\n");
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    *p = c ? c + 1 : NULL;
    return 1;
}

static double parse_num(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s)
        fail_msg("not a number in the reference CSV: '%s'", s);
    return v;
}

static void test_local_values(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    struct sac s;
    assert_int_equal(sac_load(shared, &s), 0);
    size_t n = s.n;
    double *div = calloc(n, sizeof *div), *ent = calloc(n, sizeof *ent);
    double *sc = calloc(n, sizeof *sc), *si = calloc(n, sizeof *si);
    double *ls = calloc(n, sizeof *ls), *lq = calloc(n * NG, sizeof *lq);
    uint8_t *def = calloc(n, 1);
    struct qtr_error err = {0};
    assert_int_equal(qtr_multigroup_local(&s.u, div, ent, sc, si, ls, lq, def, &err), QTR_OK);

    char path[4096];
    snprintf(path, sizeof path, "%s/reference/sacramento_pysal_local.csv", shared);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096], field[64];
    assert_non_null(fgets(line, sizeof line, f));
    static const char header[] =
        "FIPS,lq_WHITE_,lq_BLACK_,lq_ASIAN_,lq_HISP_,local_diversity,"
        "local_entropy,local_simpson_concentration,local_simpson_interaction";
    assert_true(strncmp(line, header, sizeof header - 1) == 0);
    size_t rows = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        next_field(&p, field, sizeof field);
        size_t i = 0;
        while (i < n && strcmp(s.fips[i], field) != 0)
            i++;
        if (i == n)
            fail_msg("FIPS %s of the reference is not in the shapefile", field);
        double v[8];
        for (int c = 0; c < 8; c++) {
            assert_true(next_field(&p, field, sizeof field));
            v[c] = parse_num(field);
        }
        for (int k = 0; k < NG; k++)
            assert_close(lq[i * NG + k], v[k], 1e-9);
        assert_close(div[i], v[4], 1e-9);
        assert_close(ent[i], v[5], 1e-9);
        assert_close(sc[i], v[6], 1e-9);
        assert_close(si[i], v[7], 1e-9);
        assert_true(def[i]);
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 403);

    /* Elbers' local scores add up to M: Σ (t_i/T) ls_i = M. */
    double T = 0.0, acc = 0.0, M = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = 0.0;
        for (int k = 0; k < NG; k++)
            t += s.g[k][i];
        T += t;
        acc += t * ls[i];
    }
    assert_int_equal(qtr_mutual_information(&s.u, &M, &err), QTR_OK);
    assert_close(acc / T, M, 1e-12);

    free(div);
    free(ent);
    free(sc);
    free(si);
    free(ls);
    free(lq);
    free(def);
    sac_free(&s);
}

/*
 * The surface indices (surface.h) at 2 km against PySAL's multigroup indices with
 * distance = 2000 (variant "kernel_triangular_2000m": libpysal Kernel, triangular, w_ii = 1,
 * lagged counts rounded): the local environments through qtr_kernel_lag, no stored weights.
 */
static void test_surface_values(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    struct sac s;
    assert_int_equal(sac_load(shared, &s), 0);
    struct qtr_surface_options so = {.bandwidth_m = 2000.0, .fn = QTR_KERNEL_TRIANGULAR};
    struct qtr_index_value *v = NULL;
    size_t nv = 0;
    struct qtr_error err = {0};
    assert_int_equal(qtr_indices_surface(&s.u, &so, NULL, group_names, &v, &nv, &err), QTR_OK);
    static const struct {
        const char *name;
        double pysal;
    } want[] = {
        {"surface_dissimilarity", 0.36836698920207905},
        {"surface_gini", 0.4928139520697717},
        {"surface_entropy", 0.13666520717786013},
        {"surface_normalized_exposure", 0.15534866569088765},
        {"surface_relative_diversity", 0.1304419299917017},
        {"surface_squared_cv", 0.09513153476422545},
        {"surface_mutual_information", 0.1411254076022953}, /* PySAL MultiDivergence */
    };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        size_t j = 0;
        while (j < nv && strcmp(v[j].name, want[w].name))
            j++;
        assert_true(j < nv);
        if (v[j].status != QTR_OK)
            fail_msg("%s: %s", want[w].name, v[j].reason);
        print_message("%-34s %.17g (PySAL %.17g)\n", want[w].name, v[j].value, want[w].pysal);
        assert_close(v[j].value, want[w].pysal, 1e-9);
    }
    /* M̃ = H̃ · E of the summed environments, per group isolation in (P_k, 1] */
    for (size_t j = 0; j < nv; j++)
        if (!strcmp(v[j].name, "surface_isolation"))
            assert_true(v[j].status == QTR_OK && v[j].value > 0 && v[j].value <= 1);
    free(v);
    sac_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_global_values),          cmocka_unit_test(test_local_values),
        cmocka_unit_test(test_queen_egohood_values),   cmocka_unit_test(test_county_decomposition),
        cmocka_unit_test(test_battery_with_inference), cmocka_unit_test(test_surface_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
