/*
 * multigroup.c - multigroup segregation indices, mutual information and its
 * decomposition, local multigroup measures. Formulas follow PySAL
 * `segregation` v2.5.4 (segregation/multigroup and segregation/local modules)
 * and Elbers' R package `segregation` (mutual_total, mutual_within,
 * mutual_local); the header lists every departure.
 */
#include "quartier/multigroup.h"

#include "quartier/ksum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* City marginals shared by every index. */
struct marg {
    size_t n, K;  /* districts, groups listed */
    size_t kpres; /* groups with a positive city total */
    double T;     /* city total */
    double *P;    /* K: city shares P_k (0 for absent groups) */
};

static void marg_release(struct marg *m)
{
    free(m->P);
    m->P = NULL;
}

static double unit_total(const struct qtr_units *u, size_t i)
{
    double t = 0.0;
    for (size_t k = 0; k < u->ngroups; k++)
        t += u->groups[k][i];
    return t;
}

/*
 * Validate the counts and compute the city marginals. min_groups: how many
 * groups must be present for the index to be defined.
 */
static int marg_init(const struct qtr_units *u, size_t min_groups, const char *name, struct marg *m,
                     struct qtr_error *err)
{
    memset(m, 0, sizeof *m);
    if (!u || !u->groups || u->ngroups == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s needs group counts (no groups given)", name);
    if (u->n == 0)
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s is not defined without districts", name);
    m->n = u->n;
    m->K = u->ngroups;
    m->P = calloc(m->K, sizeof *m->P);
    if (!m->P)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing %s", name);
    struct qtr_ksum tot = {0, 0};
    for (size_t k = 0; k < m->K; k++) {
        const double *g = u->groups[k];
        if (!g) {
            marg_release(m);
            return qtr_error_set(err, QTR_ERR_DATA, "%s: group %zu has no counts", name, k + 1);
        }
        struct qtr_ksum gk = {0, 0};
        for (size_t i = 0; i < m->n; i++) {
            if (!isfinite(g[i]) || g[i] < 0.0) {
                marg_release(m);
                return qtr_error_set(err, QTR_ERR_DATA,
                                     "%s: count of group %zu in district %zu is %g; counts must "
                                     "be finite and not negative",
                                     name, k + 1, i + 1, g[i]);
            }
            qtr_ksum_add(&gk, g[i]);
        }
        m->P[k] = qtr_ksum_get(&gk);
        qtr_ksum_add(&tot, m->P[k]);
    }
    m->T = qtr_ksum_get(&tot);
    if (!(m->T > 0.0)) {
        marg_release(m);
        return qtr_error_set(err, QTR_ERR_DOMAIN, "%s is not defined: the city has no residents",
                             name);
    }
    for (size_t k = 0; k < m->K; k++) {
        m->P[k] /= m->T;
        if (m->P[k] > 0.0)
            m->kpres++;
    }
    if (m->kpres < min_groups) {
        marg_release(m);
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "%s is not defined: only %zu of %zu groups live in the city (at "
                             "least %zu needed)",
                             name, m->kpres, m->K, min_groups);
    }
    return QTR_OK;
}

static double simpson_I(const struct marg *m)
{
    struct qtr_ksum s = {0, 0};
    for (size_t k = 0; k < m->K; k++)
        qtr_ksum_add(&s, m->P[k] * (1.0 - m->P[k]));
    return qtr_ksum_get(&s);
}

static double city_entropy(const struct marg *m)
{
    struct qtr_ksum s = {0, 0};
    for (size_t k = 0; k < m->K; k++)
        if (m->P[k] > 0.0)
            qtr_ksum_add(&s, -m->P[k] * log(m->P[k]));
    return qtr_ksum_get(&s);
}

/* Σ_i t_i Σ_k p_ik ln(p_ik/P_k) / T = M (Elbers 2023: M as the p_i-weighted sum of local scores).
 */
static double mutual_info(const struct qtr_units *u, const struct marg *m)
{
    struct qtr_ksum s = {0, 0};
    for (size_t i = 0; i < m->n; i++) {
        double t = unit_total(u, i);
        if (!(t > 0.0))
            continue;
        double ls = 0.0;
        for (size_t k = 0; k < m->K; k++) {
            double x = u->groups[k][i];
            if (x > 0.0) {
                double p = x / t;
                ls += p * log(p / m->P[k]);
            }
        }
        qtr_ksum_add(&s, t * ls);
    }
    return qtr_ksum_get(&s) / m->T;
}

/* Σ_i Σ_k t_i (p_ik - P_k)² * wk[k]  /  T  with per-group weights. */
static double weighted_sq_dev(const struct qtr_units *u, const struct marg *m, const double *wk)
{
    struct qtr_ksum s = {0, 0};
    for (size_t i = 0; i < m->n; i++) {
        double t = unit_total(u, i);
        if (!(t > 0.0))
            continue;
        double acc = 0.0;
        for (size_t k = 0; k < m->K; k++) {
            if (wk[k] == 0.0)
                continue;
            double d = u->groups[k][i] / t - m->P[k];
            acc += d * d * wk[k];
        }
        qtr_ksum_add(&s, t * acc);
    }
    return qtr_ksum_get(&s) / m->T;
}

int qtr_multigroup_dissimilarity(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_dissimilarity", &m, err);
    if (rc)
        return rc;
    /* Sakoda (1981), "A generalized index of dissimilarity"; PySAL _multi_dissim. */
    struct qtr_ksum s = {0, 0};
    for (size_t i = 0; i < m.n; i++) {
        double t = unit_total(u, i);
        if (!(t > 0.0))
            continue;
        double acc = 0.0;
        for (size_t k = 0; k < m.K; k++)
            acc += fabs(u->groups[k][i] / t - m.P[k]);
        qtr_ksum_add(&s, t * acc);
    }
    *out = qtr_ksum_get(&s) / (2.0 * m.T * simpson_I(&m));
    marg_release(&m);
    return QTR_OK;
}

struct pw {
    double p, w;
};

static int cmp_pw(const void *a, const void *b)
{
    double x = ((const struct pw *)a)->p, y = ((const struct pw *)b)->p;
    return (x > y) - (x < y);
}

int qtr_multigroup_gini(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_gini", &m, err);
    if (rc)
        return rc;
    struct pw *a = malloc(m.n * sizeof *a);
    if (!a) {
        marg_release(&m);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing multigroup_gini");
    }
    /*
     * Reardon & Firebaugh (2002), multigroup Gini. Σ_i Σ_j t_i t_j |p_i - p_j| = 2 Σ_j t_j Σ_{i<j}
     * t_i (p_j - p_i) after sorting by p, so each group costs O(n log n).
     */
    struct qtr_ksum total = {0, 0};
    for (size_t k = 0; k < m.K; k++) {
        size_t nn = 0;
        for (size_t i = 0; i < m.n; i++) {
            double t = unit_total(u, i);
            if (!(t > 0.0))
                continue;
            a[nn].p = u->groups[k][i] / t;
            a[nn].w = t;
            nn++;
        }
        qsort(a, nn, sizeof *a, cmp_pw);
        struct qtr_ksum sw = {0, 0}, swp = {0, 0}, acc = {0, 0};
        for (size_t j = 0; j < nn; j++) {
            qtr_ksum_add(&acc, a[j].w * (a[j].p * qtr_ksum_get(&sw) - qtr_ksum_get(&swp)));
            qtr_ksum_add(&sw, a[j].w);
            qtr_ksum_add(&swp, a[j].w * a[j].p);
        }
        qtr_ksum_add(&total, 2.0 * qtr_ksum_get(&acc));
    }
    free(a);
    *out = qtr_ksum_get(&total) / (2.0 * m.T * m.T * simpson_I(&m));
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_entropy(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_entropy", &m, err);
    if (rc)
        return rc;
    /* H = M / E: PySAL _multi_information_theory; Elbers' mutual_total H. */
    *out = mutual_info(u, &m) / city_entropy(&m);
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_normalized_exposure(const struct qtr_units *u, double *out,
                                       struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_normalized_exposure", &m, err);
    if (rc)
        return rc;
    double *wk = calloc(m.K, sizeof *wk);
    if (!wk) {
        marg_release(&m);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < m.K; k++)
        wk[k] = m.P[k] > 0.0 ? 1.0 / (1.0 - m.P[k]) : 0.0;
    *out = weighted_sq_dev(u, &m, wk);
    free(wk);
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_relative_diversity(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_relative_diversity", &m, err);
    if (rc)
        return rc;
    double *wk = calloc(m.K, sizeof *wk);
    if (!wk) {
        marg_release(&m);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < m.K; k++)
        wk[k] = m.P[k] > 0.0 ? 1.0 : 0.0;
    *out = weighted_sq_dev(u, &m, wk) / simpson_I(&m);
    free(wk);
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_squared_cv(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_squared_cv", &m, err);
    if (rc)
        return rc;
    double *wk = calloc(m.K, sizeof *wk);
    if (!wk) {
        marg_release(&m);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < m.K; k++)
        wk[k] = m.P[k] > 0.0 ? 1.0 / ((double)(m.kpres - 1) * m.P[k]) : 0.0;
    *out = weighted_sq_dev(u, &m, wk);
    free(wk);
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_diversity(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 1, "multigroup_diversity", &m, err);
    if (rc)
        return rc;
    *out = city_entropy(&m);
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_diversity_normalized(const struct qtr_units *u, double *out,
                                        struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_diversity (normalized)", &m, err);
    if (rc)
        return rc;
    *out = city_entropy(&m) / log((double)m.kpres);
    marg_release(&m);
    return QTR_OK;
}

int qtr_simpsons_interaction(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 1, "simpsons_interaction", &m, err);
    if (rc)
        return rc;
    *out = simpson_I(&m);
    marg_release(&m);
    return QTR_OK;
}

int qtr_simpsons_concentration(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 1, "simpsons_concentration", &m, err);
    if (rc)
        return rc;
    struct qtr_ksum s = {0, 0};
    for (size_t k = 0; k < m.K; k++)
        qtr_ksum_add(&s, m.P[k] * m.P[k]);
    *out = qtr_ksum_get(&s);
    marg_release(&m);
    return QTR_OK;
}

int qtr_multigroup_divergence(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "multigroup_divergence", &m, err);
    if (rc)
        return rc;
    /* Roberto (2015), arXiv:1508.01167; PySAL _multi_divergence. */
    *out = mutual_info(u, &m);
    marg_release(&m);
    return QTR_OK;
}

int qtr_mutual_information(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "mutual_information", &m, err);
    if (rc)
        return rc;
    *out = mutual_info(u, &m);
    marg_release(&m);
    return QTR_OK;
}

/* ---- global distortion ------------------------------------------------------- */

struct dist_idx {
    double d;
    size_t i;
};

static int cmp_dist(const void *a, const void *b)
{
    const struct dist_idx *x = a, *y = b;
    if (x->d < y->d)
        return -1;
    if (x->d > y->d)
        return 1;
    return (x->i > y->i) - (x->i < y->i);
}

int qtr_global_distortion(const struct qtr_units *u, double *out, struct qtr_error *err)
{
    if (u && (!u->cx || !u->cy))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "global_distortion needs district centroids (none given)");
    if (u && u->n > QTR_GLOBAL_DISTORTION_MAX_N)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "global_distortion: not computed above %d districts (%zu here): it "
                             "orders all districts by distance from each one, time growing with "
                             "the square of their number",
                             QTR_GLOBAL_DISTORTION_MAX_N, u->n);
    struct marg m;
    int rc = marg_init(u, 2, "global_distortion", &m, err);
    if (rc)
        return rc;
    size_t n = m.n, K = m.K;
    struct dist_idx *order = malloc(n * sizeof *order);
    double *cum = malloc(K * sizeof *cum);
    if (!order || !cum) {
        free(order);
        free(cum);
        marg_release(&m);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing global_distortion");
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(u->cx[i]) || !isfinite(u->cy[i])) {
            free(order);
            free(cum);
            marg_release(&m);
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "global_distortion: centroid of district %zu is not finite",
                                 i + 1);
        }
    }
    /*
     * Olteanu, Randon-Furling & Clark (2019), PNAS 116(25), distortion coefficients; PySAL
     * _global_distortion via compute_divergence_profiles: coefficient_i = Σ_s KL(q_i(s) || P) over
     * the neighbourhoods s = 1..n of i ordered by distance.
     */
    struct qtr_ksum stat = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double ti = unit_total(u, i);
        if (!(ti > 0.0))
            continue;
        for (size_t j = 0; j < n; j++) {
            order[j].d = hypot(u->cx[j] - u->cx[i], u->cy[j] - u->cy[i]);
            order[j].i = j;
        }
        qsort(order, n, sizeof *order, cmp_dist);
        memset(cum, 0, K * sizeof *cum);
        double ctot = 0.0;
        struct qtr_ksum coef = {0, 0};
        for (size_t s = 0; s < n; s++) {
            size_t j = order[s].i;
            for (size_t k = 0; k < K; k++) {
                cum[k] += u->groups[k][j];
                ctot += u->groups[k][j];
            }
            if (!(ctot > 0.0))
                continue;
            double kl = 0.0;
            for (size_t k = 0; k < K; k++) {
                if (cum[k] > 0.0) {
                    double q = cum[k] / ctot;
                    kl += q * log(q / m.P[k]);
                }
            }
            qtr_ksum_add(&coef, kl);
        }
        qtr_ksum_add(&stat, ti * qtr_ksum_get(&coef));
    }
    *out = qtr_ksum_get(&stat) / m.T;
    free(order);
    free(cum);
    marg_release(&m);
    return QTR_OK;
}

/* ---- decomposition ------------------------------------------------------------ */

int qtr_mutual_information_decompose(const struct qtr_units *u, const uint32_t *parent,
                                     size_t nparents, double *total, double *between,
                                     double *within, double *parent_weight, double *parent_m,
                                     double *parent_contrib, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 2, "mutual_information", &m, err);
    if (rc)
        return rc;
    size_t K = m.K, n = m.n;
    double *pg = NULL, *ptot = NULL;
    struct qtr_ksum *pacc = NULL;
    if (nparents == 0 || !parent) {
        rc = qtr_error_set(err, QTR_ERR_DATA, "mutual information decomposition needs parents");
        goto out;
    }
    pg = calloc(nparents * K, sizeof *pg); /* parent x group counts */
    ptot = calloc(nparents, sizeof *ptot);
    pacc = calloc(nparents, sizeof *pacc);
    if (!pg || !ptot || !pacc) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory decomposing mutual information");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (parent[i] >= nparents) {
            rc = qtr_error_set(err, QTR_ERR_DATA,
                               "district %zu has parent id %u, but only %zu parents exist", i + 1,
                               (unsigned)parent[i], nparents);
            goto out;
        }
        for (size_t k = 0; k < K; k++) {
            pg[parent[i] * K + k] += u->groups[k][i];
            ptot[parent[i]] += u->groups[k][i];
        }
    }
    /*
     * M_p = Σ_{i in p} (t_i/T_p) Σ_k p_ik ln(p_ik / P_pk). Weighted by w_p = T_p/T and summed
     * this is Σ_i (t_i/T) Σ_k p_ik ln(p_ik/P_pk); adding M_between = Σ_p w_p Σ_k P_pk ln(P_pk/P_k)
     * gives back M exactly because ln(p_ik/P_k) = ln(p_ik/P_pk) + ln(P_pk/P_k).
     */
    for (size_t i = 0; i < n; i++) {
        double t = unit_total(u, i);
        if (!(t > 0.0))
            continue;
        size_t p = parent[i];
        double ls = 0.0;
        for (size_t k = 0; k < K; k++) {
            double x = u->groups[k][i];
            if (x > 0.0) {
                double pik = x / t;
                ls += pik * log(pik / (pg[p * K + k] / ptot[p]));
            }
        }
        qtr_ksum_add(&pacc[p], t * ls);
    }
    struct qtr_ksum bsum = {0, 0}, wsum = {0, 0};
    for (size_t p = 0; p < nparents; p++) {
        double w = ptot[p] / m.T;
        double mp = ptot[p] > 0.0 ? qtr_ksum_get(&pacc[p]) / ptot[p] : 0.0;
        if (ptot[p] > 0.0) {
            double lb = 0.0;
            for (size_t k = 0; k < K; k++) {
                double x = pg[p * K + k];
                if (x > 0.0) {
                    double q = x / ptot[p];
                    lb += q * log(q / m.P[k]);
                }
            }
            qtr_ksum_add(&bsum, w * lb);
        }
        qtr_ksum_add(&wsum, w * mp);
        if (parent_weight)
            parent_weight[p] = w;
        if (parent_m)
            parent_m[p] = mp;
        if (parent_contrib)
            parent_contrib[p] = w * mp;
    }
    if (between)
        *between = qtr_ksum_get(&bsum);
    if (within)
        *within = qtr_ksum_get(&wsum);
    if (total)
        *total = mutual_info(u, &m);
    rc = QTR_OK;
out:
    free(pg);
    free(ptot);
    free(pacc);
    marg_release(&m);
    return rc;
}

/* ---- local --------------------------------------------------------------------- */

int qtr_multigroup_local(const struct qtr_units *u, double *diversity, double *entropy,
                         double *simpson_concentration, double *simpson_interaction, double *ls,
                         double *lq, uint8_t *defined, struct qtr_error *err)
{
    struct marg m;
    int rc = marg_init(u, 1, "local multigroup measures", &m, err);
    if (rc)
        return rc;
    size_t K = m.K;
    double lnK = log((double)K);
    for (size_t i = 0; i < m.n; i++) {
        double t = unit_total(u, i);
        double div = 0.0, conc = 0.0, l = 0.0;
        int ok = t > 0.0;
        for (size_t k = 0; k < K; k++) {
            double p = ok ? u->groups[k][i] / t : 0.0;
            if (p > 0.0) {
                div -= p * log(p);
                l += p * log(p / m.P[k]);
            }
            conc += p * p;
            if (lq)
                lq[i * K + k] = m.P[k] > 0.0 ? p / m.P[k] : 0.0;
        }
        if (diversity)
            diversity[i] = div;
        if (entropy)
            entropy[i] = K > 1 ? div / lnK : 0.0;
        if (simpson_concentration)
            simpson_concentration[i] = conc;
        if (simpson_interaction)
            simpson_interaction[i] = ok ? 1.0 - conc : 0.0;
        if (ls)
            ls[i] = l;
        if (defined)
            defined[i] = (uint8_t)ok;
    }
    marg_release(&m);
    return QTR_OK;
}
