/*
 * multigroup.c - multigroup segregation indices, mutual information and its
 * decomposition, local multigroup measures. Formulas follow PySAL
 * `segregation` v2.5.4 (segregation/multigroup and segregation/local modules)
 * and Elbers' R package `segregation` (mutual_total, mutual_within,
 * mutual_local); the header lists every departure.
 */
#include "quartier/multigroup.h"

#include "quartier/ksum.h"

#include "multigroup_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* City marginals shared by every index. */
struct mg_marg {
    size_t n, K;  /* districts, groups listed */
    size_t kpres; /* groups with a positive city total */
    double T;     /* city total */
    double *P;    /* K: city shares P_k (0 for absent groups) */
};

static void marg_release(struct mg_marg *m)
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
static int marg_init(const struct qtr_units *u, size_t min_groups, const char *name, struct mg_marg *m,
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

static double simpson_I(const struct mg_marg *m)
{
    struct qtr_ksum s = {0, 0};
    for (size_t k = 0; k < m->K; k++)
        qtr_ksum_add(&s, m->P[k] * (1.0 - m->P[k]));
    return qtr_ksum_get(&s);
}

static double city_entropy(const struct mg_marg *m)
{
    struct qtr_ksum s = {0, 0};
    for (size_t k = 0; k < m->K; k++)
        if (m->P[k] > 0.0)
            qtr_ksum_add(&s, -m->P[k] * log(m->P[k]));
    return qtr_ksum_get(&s);
}

/* Σ_i t_i Σ_k p_ik ln(p_ik/P_k) / T = M (Elbers 2023: M as the p_i-weighted sum of local scores).
 */
static double mutual_info(const struct qtr_units *u, const struct mg_marg *m)
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
static double weighted_sq_dev(const struct qtr_units *u, const struct mg_marg *m, const double *wk)
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

/* ---- the global indices: one body each, one table, one evaluation ------------- */

/* Each body computes its index on validated marginals (struct qtr_mg_def). */

/* Sakoda (1981), "A generalized index of dissimilarity"; PySAL _multi_dissim. */
static int body_dissimilarity(const struct qtr_units *u, const struct mg_marg *m, int option,
                              double *out, struct qtr_error *err)
{
    (void)option;
    (void)err;
    struct qtr_ksum s = {0, 0};
    for (size_t i = 0; i < m->n; i++) {
        double t = unit_total(u, i);
        if (!(t > 0.0))
            continue;
        double acc = 0.0;
        for (size_t k = 0; k < m->K; k++)
            acc += fabs(u->groups[k][i] / t - m->P[k]);
        qtr_ksum_add(&s, t * acc);
    }
    *out = qtr_ksum_get(&s) / (2.0 * m->T * simpson_I(m));
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

static int body_gini(const struct qtr_units *u, const struct mg_marg *m, int option, double *out,
                     struct qtr_error *err)
{
    (void)option;
    struct pw *a = malloc(m->n * sizeof *a);
    if (!a)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing multigroup_gini");
    /*
     * Reardon & Firebaugh (2002), multigroup Gini. Σ_i Σ_j t_i t_j |p_i - p_j| = 2 Σ_j t_j Σ_{i<j}
     * t_i (p_j - p_i) after sorting by p, so each group costs O(n log n).
     */
    struct qtr_ksum total = {0, 0};
    for (size_t k = 0; k < m->K; k++) {
        size_t nn = 0;
        for (size_t i = 0; i < m->n; i++) {
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
    *out = qtr_ksum_get(&total) / (2.0 * m->T * m->T * simpson_I(m));
    return QTR_OK;
}

/* H = M / E: PySAL _multi_information_theory; Elbers' mutual_total H. */
static int body_entropy(const struct qtr_units *u, const struct mg_marg *m, int option, double *out,
                        struct qtr_error *err)
{
    (void)option;
    (void)err;
    *out = mutual_info(u, m) / city_entropy(m);
    return QTR_OK;
}

/* The squared deviations Σ_i Σ_k t_i (p_ik - P_k)² w_k / T with the weights of `option`. */
enum { SQ_NORMALIZED_EXPOSURE, SQ_RELATIVE_DIVERSITY, SQ_SQUARED_CV };

static int body_squared(const struct qtr_units *u, const struct mg_marg *m, int option, double *out,
                        struct qtr_error *err)
{
    double *wk = calloc(m->K, sizeof *wk);
    if (!wk)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < m->K; k++) {
        if (!(m->P[k] > 0.0))
            continue;
        switch (option) {
        case SQ_NORMALIZED_EXPOSURE: /* Reardon & Firebaugh (2002) P */
            wk[k] = 1.0 / (1.0 - m->P[k]);
            break;
        case SQ_RELATIVE_DIVERSITY: /* Carlson (1992), Reardon (1998) R, divided by I below */
            wk[k] = 1.0;
            break;
        default: /* squared coefficient of variation */
            wk[k] = 1.0 / ((double)(m->kpres - 1) * m->P[k]);
        }
    }
    *out = weighted_sq_dev(u, m, wk);
    if (option == SQ_RELATIVE_DIVERSITY)
        *out /= simpson_I(m);
    free(wk);
    return QTR_OK;
}

/* Theil's entropy of the city's composition, raw or divided by ln K (option 1). */
static int body_diversity(const struct qtr_units *u, const struct mg_marg *m, int option, double *out,
                          struct qtr_error *err)
{
    (void)u;
    (void)err;
    *out = option ? city_entropy(m) / log((double)m->kpres) : city_entropy(m);
    return QTR_OK;
}

/* Simpson (1949): interaction I = Σ P_k (1 - P_k) (option 0) or concentration Σ P_k². */
static int body_simpson(const struct qtr_units *u, const struct mg_marg *m, int option, double *out,
                        struct qtr_error *err)
{
    (void)u;
    (void)err;
    if (option == 0) {
        *out = simpson_I(m);
        return QTR_OK;
    }
    struct qtr_ksum s = {0, 0};
    for (size_t k = 0; k < m->K; k++)
        qtr_ksum_add(&s, m->P[k] * m->P[k]);
    *out = qtr_ksum_get(&s);
    return QTR_OK;
}

/* M: Theil & Finizza (1971); Roberto (2015), arXiv:1508.01167, PySAL _multi_divergence. */
static int body_mutual_information(const struct qtr_units *u, const struct mg_marg *m, int option,
                                   double *out, struct qtr_error *err)
{
    (void)option;
    (void)err;
    *out = mutual_info(u, m);
    return QTR_OK;
}

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

/* Before the marginals: global distortion is refused above its limit (said first: it holds
 * whatever is given) and needs centroids. */
static int check_distortion(const struct qtr_units *u, struct qtr_error *err)
{
    if (u && u->n > QTR_GLOBAL_DISTORTION_MAX_N)
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "global_distortion: not computed above %d districts (%zu here): it "
                             "orders all districts by distance from each one, time growing with "
                             "the square of their number",
                             QTR_GLOBAL_DISTORTION_MAX_N, u->n);
    if (u && (!u->cx || !u->cy))
        return qtr_error_set(err, QTR_ERR_DOMAIN,
                             "global_distortion needs district centroids (none given)");
    return QTR_OK;
}

static int body_distortion(const struct qtr_units *u, const struct mg_marg *m, int option,
                           double *out, struct qtr_error *err)
{
    (void)option;
    size_t n = m->n, K = m->K;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(u->cx[i]) || !isfinite(u->cy[i]))
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "global_distortion: centroid of district %zu is not finite",
                                 i + 1);
    struct dist_idx *order = malloc(n * sizeof *order);
    double *cum = malloc(K * sizeof *cum);
    if (!order || !cum) {
        free(order);
        free(cum);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory computing global_distortion");
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
                    kl += q * log(q / m->P[k]);
                }
            }
            qtr_ksum_add(&coef, kl);
        }
        qtr_ksum_add(&stat, ti * qtr_ksum_get(&coef));
    }
    *out = qtr_ksum_get(&stat) / m->T;
    free(order);
    free(cum);
    return QTR_OK;
}

/* The definitions, in the order the battery reports them (multigroup_internal.h). */
const struct qtr_mg_def qtr_mg_defs[QTR_MG_NDEFS] = {
    [QTR_MG_DISSIMILARITY] = {"multigroup_dissimilarity", "multigroup_dissimilarity", 2, NULL,
                              body_dissimilarity, 0, qtr_multigroup_dissimilarity, 1},
    [QTR_MG_GINI] = {"multigroup_gini", "multigroup_gini", 2, NULL, body_gini, 0,
                     qtr_multigroup_gini, 1},
    [QTR_MG_ENTROPY] = {"multigroup_entropy", "multigroup_entropy", 2, NULL, body_entropy, 0,
                        qtr_multigroup_entropy, 1},
    [QTR_MG_NORMALIZED_EXPOSURE] = {"multigroup_normalized_exposure",
                                    "multigroup_normalized_exposure", 2, NULL, body_squared,
                                    SQ_NORMALIZED_EXPOSURE, qtr_multigroup_normalized_exposure, 1},
    [QTR_MG_RELATIVE_DIVERSITY] = {"multigroup_relative_diversity", "multigroup_relative_diversity",
                                   2, NULL, body_squared, SQ_RELATIVE_DIVERSITY,
                                   qtr_multigroup_relative_diversity, 1},
    [QTR_MG_SQUARED_CV] = {"multigroup_squared_cv", "multigroup_squared_cv", 2, NULL, body_squared,
                           SQ_SQUARED_CV, qtr_multigroup_squared_cv, 1},
    [QTR_MG_DIVERGENCE] = {"multigroup_divergence", "multigroup_divergence", 2, NULL,
                           body_mutual_information, 0, qtr_multigroup_divergence, 1},
    [QTR_MG_MUTUAL_INFORMATION] = {"mutual_information", "mutual_information", 2, NULL,
                                   body_mutual_information, 0, qtr_mutual_information, 1},
    /* the city's composition only: a permutation leaves them unchanged */
    [QTR_MG_DIVERSITY] = {"multigroup_diversity", "multigroup_diversity", 1, NULL, body_diversity,
                          0, qtr_multigroup_diversity, 0},
    [QTR_MG_DIVERSITY_NORMALIZED] = {"multigroup_diversity_normalized",
                                     "multigroup_diversity (normalized)", 2, NULL, body_diversity,
                                     1, qtr_multigroup_diversity_normalized, 0},
    [QTR_MG_SIMPSONS_INTERACTION] = {"simpsons_interaction", "simpsons_interaction", 1, NULL,
                                     body_simpson, 0, qtr_simpsons_interaction, 0},
    [QTR_MG_SIMPSONS_CONCENTRATION] = {"simpsons_concentration", "simpsons_concentration", 1, NULL,
                                       body_simpson, 1, qtr_simpsons_concentration, 0},
    /* O(n² log n) per evaluation: no simulation, 999 draws would take minutes. */
    [QTR_MG_GLOBAL_DISTORTION] = {"global_distortion", "global_distortion", 2, check_distortion,
                                  body_distortion, 0, qtr_global_distortion, 0},
};

int qtr_mg_eval(const struct qtr_mg_def *d, const struct qtr_units *u, double *out,
                struct qtr_error *err)
{
    int rc = d->check ? d->check(u, err) : QTR_OK;
    if (rc)
        return rc;
    struct mg_marg m;
    if ((rc = marg_init(u, d->min_groups, d->what, &m, err)))
        return rc;
    rc = d->body(u, &m, d->option, out, err);
    marg_release(&m);
    return rc;
}

/* The public kernels (multigroup.h): each evaluates its row of the table. */
#define MG_INDEX(fn, row)                                                                          \
    int fn(const struct qtr_units *u, double *out, struct qtr_error *err)                          \
    {                                                                                              \
        return qtr_mg_eval(&qtr_mg_defs[row], u, out, err);                                        \
    }
MG_INDEX(qtr_multigroup_dissimilarity, QTR_MG_DISSIMILARITY)
MG_INDEX(qtr_multigroup_gini, QTR_MG_GINI)
MG_INDEX(qtr_multigroup_entropy, QTR_MG_ENTROPY)
MG_INDEX(qtr_multigroup_normalized_exposure, QTR_MG_NORMALIZED_EXPOSURE)
MG_INDEX(qtr_multigroup_relative_diversity, QTR_MG_RELATIVE_DIVERSITY)
MG_INDEX(qtr_multigroup_squared_cv, QTR_MG_SQUARED_CV)
MG_INDEX(qtr_multigroup_divergence, QTR_MG_DIVERGENCE)
MG_INDEX(qtr_mutual_information, QTR_MG_MUTUAL_INFORMATION)
MG_INDEX(qtr_multigroup_diversity, QTR_MG_DIVERSITY)
MG_INDEX(qtr_multigroup_diversity_normalized, QTR_MG_DIVERSITY_NORMALIZED)
MG_INDEX(qtr_simpsons_interaction, QTR_MG_SIMPSONS_INTERACTION)
MG_INDEX(qtr_simpsons_concentration, QTR_MG_SIMPSONS_CONCENTRATION)
MG_INDEX(qtr_global_distortion, QTR_MG_GLOBAL_DISTORTION)

/* ---- decomposition ------------------------------------------------------------ */

int qtr_mutual_information_decompose(const struct qtr_units *u, const uint32_t *parent,
                                     size_t nparents, double *total, double *between,
                                     double *within, double *parent_weight, double *parent_m,
                                     double *parent_contrib, struct qtr_error *err)
{
    struct mg_marg m;
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
    struct mg_marg m;
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
