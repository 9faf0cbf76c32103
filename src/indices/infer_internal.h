/*
 * infer_internal.h - what inference.c, infer_variates.c (binomial and hypergeometric variates)
 * and infer_compare.c (two-sample comparison) share.
 */
#ifndef QTR_INFER_INTERNAL_H
#define QTR_INFER_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "quartier/inference.h"
#include "quartier/rng.h"

/* ---- log factorials ------------------------------------------------------------ */

#define LF_TABLE 1024

struct lfact {
    double tab[LF_TABLE];
};

void qtr_infer_lfact_init(struct lfact *lf);

/*
 * ln k! ; beyond the table by Stirling's series for ln Γ(x), x = k+1 >= 1024
 * (Abramowitz & Stegun 6.1.41), truncation error < 1/(1680 x^7) < 1e-23.
 * Thread-safe, unlike lgamma (which writes signgam).
 */
static inline double lfact(const struct lfact *lf, int64_t k)
{
    if (k < LF_TABLE)
        return lf->tab[k];
    double x = (double)k + 1.0, x2 = x * x;
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 +
           (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * x2)) / x2) / x;
}

/* Binomial(n, p) in two steps: the constants, which depend on n and p only (computed once for a
 * district that is drawn again and again), and the draw; the same variates as
 * qtr_infer_rbinom from the same stream. */
enum { BINOM_ZERO, BINOM_ALL, BINOM_SEARCH, BINOM_RUA };
struct qtr_binom_prep {
    int64_t n, m;
    int kind, flip;
    double pm, pq, qp;               /* inversion from the mode */
    double a, s, bound, lodds, lfm; /* ratio of uniforms */
};
void qtr_infer_binom_prep(const struct lfact *lf, int64_t n, double p, struct qtr_binom_prep *b);
int64_t qtr_infer_binom_draw(struct qtr_rng *r, const struct lfact *lf,
                             const struct qtr_binom_prep *b);

/* Binomial(n, p) and hypergeometric (successes among `draws` taken from N holding K), exact. */
int64_t qtr_infer_rbinom(struct qtr_rng *r, const struct lfact *lf, int64_t n, double p);
int64_t qtr_infer_rhyper(struct qtr_rng *r, const struct lfact *lf, int64_t N, int64_t K,
                         int64_t draws);

/* Per-thread buffers for one simulated data set. */
struct work {
    size_t n, K;
    double *g;         /* K*n, column per category */
    double *tot;       /* n */
    const double **gp; /* K pointers into g (multigroup) */
    double *area, *cx, *cy;
    int64_t *left; /* K */
    struct qtr_units su;
};

int qtr_infer_work_init(struct work *w, size_t n, size_t K, int multigroup,
                        const struct qtr_units *like, int own_geometry);
void qtr_infer_work_release(struct work *w);
void qtr_infer_work_totals(struct work *w);
int qtr_infer_check_opts(const struct qtr_units *u, qtr_index_fn fn,
                         const struct qtr_infer_options *opt, struct qtr_error *err);
int qtr_infer_cmp_double(const void *a, const void *b);
double qtr_infer_quantile_sorted(const double *v, size_t m, double q);
int qtr_infer_nthreads(const struct qtr_infer_options *opt);

#endif
