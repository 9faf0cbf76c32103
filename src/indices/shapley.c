/*
 * shapley.c - the Shapley decomposition of a change in M (qtr_mutual_information_shapley,
 * inference.h): moved out of inference.c unchanged.
 */
#include "quartier/inference.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/multigroup.h"

/* ---- Shapley decomposition of ΔM ------------------------------------------------------ */

/* M of a joint distribution p (n x K row-major, summing to 1). */
static double m_joint(const double *p, size_t n, size_t K, double *rows, double *cols)
{
    memset(rows, 0, n * sizeof *rows);
    memset(cols, 0, K * sizeof *cols);
    double tot = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++) {
            rows[i] += p[i * K + k];
            cols[k] += p[i * K + k];
            tot += p[i * K + k];
        }
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++) {
            double x = p[i * K + k];
            if (x > 0.0)
                s += x * log(x * tot / (rows[i] * cols[k]));
        }
    return s / tot;
}

/*
 * Iterative proportional fitting (Deming & Stephan 1940): scale `seed` (n x K, every cell
 * positive) to row sums r and column sums c (both summing to 1), alternating rows and
 * columns until both deviate by less than 1e-15. Returns 0 on convergence.
 */
static int ipf(const double *seed, size_t n, size_t K, const double *r, const double *c,
               double *out, double *rows, double *cols)
{
    memcpy(out, seed, n * K * sizeof *out);
    for (int it = 0; it < 100000; it++) {
        for (size_t i = 0; i < n; i++) {
            double s = 0.0;
            for (size_t k = 0; k < K; k++)
                s += out[i * K + k];
            for (size_t k = 0; k < K; k++)
                out[i * K + k] *= r[i] / s;
        }
        memset(cols, 0, K * sizeof *cols);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < K; k++)
                cols[k] += out[i * K + k];
        for (size_t k = 0; k < K; k++)
            for (size_t i = 0; i < n; i++)
                out[i * K + k] *= c[k] / cols[k];
        double dev = 0.0;
        for (size_t i = 0; i < n; i++) {
            double s = 0.0;
            for (size_t k = 0; k < K; k++)
                s += out[i * K + k];
            rows[i] = s;
            dev = fmax(dev, fabs(s - r[i]));
        }
        if (dev < 1e-15)
            return 0;
    }
    return -1;
}

/* Row and column sums of the n x K table p, scaled to sum to 1 (p is scaled too). */
static void normalise(double *p, size_t n, size_t K, double *rows, double *cols)
{
    double tot = 0.0;
    for (size_t j = 0; j < n * K; j++)
        tot += p[j];
    memset(rows, 0, n * sizeof *rows);
    memset(cols, 0, K * sizeof *cols);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++) {
            p[i * K + k] /= tot;
            rows[i] += p[i * K + k];
            cols[k] += p[i * K + k];
        }
}

int qtr_mutual_information_shapley(const struct qtr_units *a, const struct qtr_units *b,
                                   enum qtr_shapley_split split, struct qtr_m_shapley *res,
                                   struct qtr_error *err)
{
    if (!a || !b || !res)
        return qtr_error_set(err, QTR_ERR_USAGE, "Shapley decomposition needs two data sets");
    if (a->n != b->n || a->ngroups != b->ngroups || !a->groups || !b->groups)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "Shapley decomposition needs the same districts and groups in both "
                             "data sets (%zu x %zu vs %zu x %zu)",
                             a->n, a->ngroups, b->n, b->ngroups);
    int rc;
    double m1, m2;
    if ((rc = qtr_mutual_information(a, &m1, err)) != QTR_OK) {
        qtr_error_prefix(err, "first data set");
        return rc;
    }
    if ((rc = qtr_mutual_information(b, &m2, err)) != QTR_OK) {
        qtr_error_prefix(err, "second data set");
        return rc;
    }
    size_t n = a->n, K = a->ngroups;
    size_t *ui = malloc(n * sizeof *ui), *gk = malloc(K * sizeof *gk);
    double *xa = calloc(K, sizeof *xa), *xb = calloc(K, sizeof *xb);
    unsigned char *kin = calloc(K, 1);
    double *pa = NULL, *pb = NULL, *fa = NULL, *fb = NULL, *fit = NULL, *rows = NULL,
           *cols = NULL;
    double *ra = NULL, *rb = NULL, *ca = NULL, *cb = NULL;
    if (!ui || !gk || !xa || !xb || !kin) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* The smallest positive count of either data set: empty cells of the common table are
     * filled with 1e-10 residents, or a thousandth of it when that is smaller. */
    double min_count = INFINITY;
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < n; i++) {
            double x = a->groups[k][i], y = b->groups[k][i];
            xa[k] += x;
            xb[k] += y;
            if (x > 0.0)
                min_count = fmin(min_count, x);
            if (y > 0.0)
                min_count = fmin(min_count, y);
        }
    /* Common support as the R package makes it: groups with residents at both dates; the
     * districts with residents of those groups at both dates; then the groups again, with
     * residents in those districts at both dates. */
    for (size_t k = 0; k < K; k++)
        kin[k] = xa[k] > 0.0 && xb[k] > 0.0;
    size_t nc = 0, kc = 0;
    for (size_t i = 0; i < n; i++) {
        int ia = 0, ib = 0;
        for (size_t k = 0; k < K; k++)
            if (kin[k]) {
                ia |= a->groups[k][i] > 0.0;
                ib |= b->groups[k][i] > 0.0;
            }
        if (ia && ib)
            ui[nc++] = i;
    }
    for (size_t k = 0; k < K; k++) {
        int ia = 0, ib = 0;
        for (size_t j = 0; j < nc; j++) {
            ia |= a->groups[k][ui[j]] > 0.0;
            ib |= b->groups[k][ui[j]] > 0.0;
        }
        if (kin[k] && ia && ib)
            gk[kc++] = k;
    }
    if (nc == 0 || kc < 2) {
        rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                           "the data sets share %zu inhabited districts and %zu groups; the "
                           "decomposition needs at least one district and two groups in both",
                           nc, kc);
        goto out;
    }
    size_t cells = nc * kc;
    pa = malloc(cells * sizeof *pa);
    pb = malloc(cells * sizeof *pb);
    fa = malloc(cells * sizeof *fa);
    fb = malloc(cells * sizeof *fb);
    fit = malloc(cells * sizeof *fit);
    rows = malloc(nc * sizeof *rows);
    cols = malloc(kc * sizeof *cols);
    ra = malloc(nc * sizeof *ra);
    rb = malloc(nc * sizeof *rb);
    ca = malloc(kc * sizeof *ca);
    cb = malloc(kc * sizeof *cb);
    if (!pa || !pb || !fa || !fb || !fit || !rows || !cols || !ra || !rb || !ca || !cb) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    double fill = 1e-10 > min_count ? min_count / 1000.0 : 1e-10;
    for (size_t i = 0; i < nc; i++)
        for (size_t k = 0; k < kc; k++) {
            size_t j = i * kc + k;
            pa[j] = a->groups[gk[k]][ui[i]];
            pb[j] = b->groups[gk[k]][ui[i]];
            fa[j] = pa[j] > 0.0 ? pa[j] : fill;
            fb[j] = pb[j] > 0.0 ? pb[j] : fill;
        }
    /* M on the common support from the counts as they are (so that M2 - m_BBB is exactly
     * 0 without additions); the fitted tables start from the filled ones. */
    double m1c = m_joint(pa, nc, kc, rows, cols);
    double m2c = m_joint(pb, nc, kc, rows, cols);
    normalise(fa, nc, kc, ra, ca);
    normalise(fb, nc, kc, rb, cb);
    /*
     * v[s][u][g]: M of the table with the structure of data set s, district sizes of
     * u and group sizes of g (index 0 = first, 1 = second).
     */
    double v[2][2][2];
    for (int s = 0; s < 2; s++)
        for (int uu = 0; uu < 2; uu++)
            for (int g = 0; g < 2; g++) {
                if (s == uu && s == g) {
                    v[s][uu][g] = s ? m2c : m1c;
                    continue;
                }
                if (ipf(s ? fb : fa, nc, kc, uu ? rb : ra, g ? cb : ca, fit, rows, cols) != 0) {
                    rc = qtr_error_set(err, QTR_ERR_DOMAIN,
                                       "iterative proportional fitting did not converge");
                    goto out;
                }
                v[s][uu][g] = m_joint(fit, nc, kc, rows, cols);
            }
    double phi_u, phi_g, phi_s;
    if (split == QTR_SHAPLEY_THREE_PLAYER) {
        /* Shapley values of three players: weights 1/3, 1/6, 1/6, 1/3 over the orders. */
        phi_u = (v[0][1][0] - v[0][0][0]) / 3.0 + (v[0][1][1] - v[0][0][1]) / 6.0 +
                (v[1][1][0] - v[1][0][0]) / 6.0 + (v[1][1][1] - v[1][0][1]) / 3.0;
        phi_g = (v[0][0][1] - v[0][0][0]) / 3.0 + (v[0][1][1] - v[0][1][0]) / 6.0 +
                (v[1][0][1] - v[1][0][0]) / 6.0 + (v[1][1][1] - v[1][1][0]) / 3.0;
        phi_s = (v[1][0][0] - v[0][0][0]) / 3.0 + (v[1][1][0] - v[0][1][0]) / 6.0 +
                (v[1][0][1] - v[0][0][1]) / 6.0 + (v[1][1][1] - v[0][1][1]) / 3.0;
    } else {
        /* Elbers (2023): two players first, the structure and both marginals together
         * (1/2 each order); then the marginal part split into group and district sizes
         * (1/4 for each of the four differences). */
        phi_s = 0.5 * (v[1][0][0] - v[0][0][0]) + 0.5 * (v[1][1][1] - v[0][1][1]);
        phi_g = 0.25 * ((v[0][0][1] - v[0][0][0]) + (v[0][1][1] - v[0][1][0]) +
                        (v[1][1][1] - v[1][1][0]) + (v[1][0][1] - v[1][0][0]));
        phi_u = 0.25 * ((v[0][1][0] - v[0][0][0]) + (v[0][1][1] - v[0][0][1]) +
                        (v[1][1][1] - v[1][0][1]) + (v[1][1][0] - v[1][0][0]));
    }
    res->m1 = m1;
    res->m2 = m2;
    res->difference = m2 - m1;
    res->additions = m2 - m2c;
    res->removals = m1c - m1;
    res->unit_marginal = phi_u;
    res->group_marginal = phi_g;
    res->structural = phi_s;
    rc = QTR_OK;
out:
    free(ui);
    free(gk);
    free(kin);
    free(xa);
    free(xb);
    free(pa);
    free(pb);
    free(fa);
    free(fb);
    free(fit);
    free(rows);
    free(cols);
    free(ra);
    free(rb);
    free(ca);
    free(cb);
    return rc;
}
