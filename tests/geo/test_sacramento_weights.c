/*
 * test_sacramento_weights.c - kernel, kNN and boundary-length weights on real data,
 * checked against PySAL segregation's published numbers for Sacramento
 * (../shared/reference/sacramento_pysal.json): the dissimilarity of HISP_
 * with counts replaced by their triangular-kernel sums within 2000 m
 * (w_ii = 1), rounded to integers: 0.29234472975484926; and the boundary
 * spatial dissimilarity (Wong 1993, PySAL BoundarySpatialDissim with
 * standardize=True): D - sum_ij c_ij |p_i - p_j| / sum_ij c_ij with c the rook
 * weights holding shared boundary lengths, row-standardised:
 * 0.2638781237840983.
 */
#include "test_util.h"

#include <geos_c.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "quartier/decay_field.h"
#include "quartier/weights.h"

/* Duncan and Duncan (1955): D = 1/2 sum_i |x_i / X - (t_i - x_i) / (T - X)|. */
static double dissim(const double *x, const double *t, size_t n)
{
    double X = 0, T = 0, d = 0;
    for (size_t i = 0; i < n; i++) {
        X += x[i];
        T += t[i];
    }
    for (size_t i = 0; i < n; i++)
        d += fabs(x[i] / X - (t[i] - x[i]) / (T - X));
    return 0.5 * d;
}

/* PySAL's lag_spatial followed by DataFrame.round(0) (round half to even: nearbyint). */
static void lag_round(const struct qtr_csr *w, const double *v, double *out)
{
    for (size_t i = 0; i < w->n; i++) {
        double s = 0;
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            s += w->w[e] * v[w->col[e]];
        out[i] = nearbyint(s);
    }
}

static void test_kernel_dissimilarity(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    char shp[4096];
    snprintf(shp, sizeof shp, "%s/data/sacramento/sacramentot2.shp", shared);
    OGRRegisterAll();
    OGRDataSourceH ds = OGROpen(shp, 0, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = OGR_DS_GetLayer(ds, 0);
    size_t n = (size_t)OGR_L_GetFeatureCount(lyr, 1);
    assert_int_equal(n, 403);

    /* the file has no .prj: lon/lat (EPSG:4326) to UTM 10N (EPSG:32610), as in the reference */
    OGRSpatialReferenceH src = OSRNewSpatialReference(NULL), dst = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(src, 4326), OGRERR_NONE);
    assert_int_equal(OSRImportFromEPSG(dst, 32610), OGRERR_NONE);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, dst);
    assert_non_null(ct);

    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
    double *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
    double *hisp = calloc(n, sizeof *hisp), *tot = calloc(n, sizeof *tot);
    double *lh = calloc(n, sizeof *lh), *lt = calloc(n, sizeof *lt);
    GEOSGeometry **geoms = calloc(n, sizeof *geoms);
    int fh = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "HISP_");
    int ft = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "TOT_POP");
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    size_t i = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) && i < n) {
        OGRGeometryH og = OGR_F_GetGeometryRef(f);
        assert_int_equal(OGR_G_Transform(og, ct), OGRERR_NONE);
        size_t sz = (size_t)OGR_G_WkbSize(og);
        unsigned char *buf = malloc(sz);
        OGR_G_ExportToWkb(og, wkbNDR, buf);
        GEOSGeometry *g = GEOSWKBReader_read_r(h, rd, buf, sz);
        GEOSGeometry *c = GEOSGetCentroid_r(h, g);
        assert_int_equal(GEOSGeomGetX_r(h, c, &x[i]), 1);
        assert_int_equal(GEOSGeomGetY_r(h, c, &y[i]), 1);
        GEOSGeom_destroy_r(h, c);
        geoms[i] = g;
        free(buf);
        hisp[i] = OGR_F_GetFieldAsDouble(f, fh);
        tot[i] = OGR_F_GetFieldAsDouble(f, ft);
        OGR_F_Destroy(f);
        i++;
    }
    assert_int_equal(i, n);

    struct qtr_csr *w = NULL;
    struct qtr_error err = {0};
    if (qtr_weights_kernel(x, y, n, QTR_KERNEL_TRIANGULAR, 2000.0, 0, 0, QTR_KERNEL_SELF_ONE, &w,
                           &err))
        fail_msg("%s", err.msg);
    lag_round(w, hisp, lh);
    lag_round(w, tot, lt);
    assert_close(dissim(lh, lt, n), 0.29234472975484926, 1e-9);
    /* the same sums without stored weights (the multiscalar profile's way): bit for bit */
    {
        double *kh = malloc(n * sizeof *kh), *kt = malloc(n * sizeof *kt);
        assert_true(kh && kt);
        const double *v[2] = {hisp, tot};
        double *o[2] = {kh, kt};
        if (qtr_kernel_lag(x, y, n, QTR_KERNEL_TRIANGULAR, 2000.0, 2, v, 1, o, &err))
            fail_msg("%s", err.msg);
        assert_memory_equal(kh, lh, n * sizeof *kh);
        assert_memory_equal(kt, lt, n * sizeof *kt);
        assert_close(dissim(kh, kt, n), 0.29234472975484926, 1e-9);
        free(kh);
        free(kt);
    }
    /* the aspatial value as a control: 0.32184656076566864 (PySAL's own test) */
    assert_close(dissim(hisp, tot, n), 0.32184656076566864, 1e-12);
    qtr_csr_free(w);

    /* boundary spatial dissimilarity from shared boundary lengths */
    double *len = NULL;
    if (qtr_weights_contiguity(h, (const GEOSGeometry *const *)geoms, n, 0, 0, &w, &len, &err))
        fail_msg("%s", err.msg);
    for (size_t e = 0; e < qtr_csr_nnz(w); e++)
        w->w[e] = len[e];
    free(len);
    assert_int_equal(qtr_weights_row_standardize(w, &err), 0);
    double num = 0, den = 0;
    for (i = 0; i < n; i++)
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++) {
            size_t j = w->col[e];
            num += w->w[e] * fabs(hisp[i] / tot[i] - hisp[j] / tot[j]);
            den += w->w[e];
        }
    assert_close(dissim(hisp, tot, n) - num / den, 0.2638781237840983, 1e-9);
    qtr_csr_free(w);
    for (i = 0; i < n; i++)
        GEOSGeom_destroy_r(h, geoms[i]);
    free(geoms);

    /* kNN on the same centroids: every row has k entries and none is its own */
    assert_int_equal(qtr_weights_knn(x, y, n, 6, &w, &err), 0);
    for (i = 0; i < n; i++) {
        assert_int_equal(w->row[i + 1] - w->row[i], 6);
        for (size_t e = w->row[i]; e < w->row[i + 1]; e++)
            assert_true(w->col[e] != i);
    }
    qtr_csr_free(w);

    free(x);
    free(y);
    free(hisp);
    free(tot);
    free(lh);
    free(lt);
    GEOSWKBReader_destroy_r(h, rd);
    GEOS_finish_r(h);
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(dst);
    OGR_DS_Destroy(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_dissimilarity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
