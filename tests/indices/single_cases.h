/*
 * single_cases.h - edge-case inputs and random cities shared by the single-group tests.
 * Include after test_util.h.
 */
#ifndef QTR_TEST_SINGLE_CASES_H
#define QTR_TEST_SINGLE_CASES_H

#include "quartier/indices.h"
#include "quartier/rng.h"

/* Every function in `fns` must refuse each broken input with QTR_ERR_DOMAIN, a reason,
 * and *out untouched; `needle` (may be NULL) must appear in the reason. */
struct edge_case {
    const char *what;
    struct qtr_units u;
    const char *needle;
};

static const double ec_area[4] = {1.0, 2.0, 3.0, 4.0};
static const double ec_cx[4] = {0, 1, 2, 3}, ec_cy[4] = {0, 0, 0, 0};

#define EC_UNITS(n_, t_, g_)                                                                       \
    {                                                                                              \
        .n = (n_), .total = (t_), .group = (g_), .area = ec_area, .cx = ec_cx, .cy = ec_cy,        \
        .central_radius = 10.0                                                                     \
    }

static const double ec_t1[1] = {10}, ec_x1[1] = {3};
static const double ec_t0[3] = {0, 0, 0}, ec_x0[3] = {0, 0, 0};
static const double ec_t[3] = {10, 20, 30};
static const double ec_xabsent[3] = {0, 0, 0};
static const double ec_xall[3] = {10, 20, 30};
static const double ec_xnan[3] = {1, NAN, 3};
static const double ec_tnan[3] = {10, 20, NAN};
static const double ec_xneg[3] = {1, -2, 3};
static const double ec_xover[3] = {1, 25, 3};
static const double ec_tone[3] = {0, 20, 0}, ec_xone[3] = {0, 5, 0};

static inline void run_edge_cases(const char *const *names, const qtr_index_fn *fns, size_t nfns)
{
    const struct edge_case cases[] = {
        {"n = 0", EC_UNITS(0, ec_t, ec_xabsent), "no districts"},
        {"n = 1", EC_UNITS(1, ec_t1, ec_x1), "only one district"},
        {"one populated district", EC_UNITS(3, ec_tone, ec_xone), "only one district"},
        {"nobody lives anywhere", EC_UNITS(3, ec_t0, ec_x0), "zero residents"},
        {"group absent", EC_UNITS(3, ec_t, ec_xabsent), "absent"},
        {"group is everybody", EC_UNITS(3, ec_t, ec_xall), "whole population"},
        {"NaN group count", EC_UNITS(3, ec_t, ec_xnan), "district 1"},
        {"NaN total", EC_UNITS(3, ec_tnan, ec_xabsent), "district 2"},
        {"negative count", EC_UNITS(3, ec_t, ec_xneg), "district 1 has a negative"},
        {"group > total", EC_UNITS(3, ec_t, ec_xover), "district 1 has more group"},
    };
    for (size_t f = 0; f < nfns; f++)
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            struct qtr_error e;
            qtr_error_clear(&e);
            double out = 12345.0;
            int rc = fns[f](&cases[c].u, &out, &e);
            if (rc != QTR_ERR_DOMAIN || out != 12345.0 || e.msg[0] == '\0' ||
                (cases[c].needle && !strstr(e.msg, cases[c].needle)))
                fail_msg("%s on '%s': rc %d, out %g, reason '%s'", names[f], cases[c].what, rc,
                         out, e.msg);
        }
}

/* A random city of n districts: totals 0..2000 (about 5 % empty), group share drawn from a
 * beta-like mix so that segregation is moderate. Arrays are caller-owned. */
static inline void random_city(struct qtr_rng *r, size_t n, double *t, double *x)
{
    for (size_t i = 0; i < n; i++) {
        double ti = qtr_rng_uniform(r) < 0.05 ? 0.0 : (double)(1 + qtr_rng_below(r, 2000));
        double p = qtr_rng_uniform(r);
        p = p * p;
        t[i] = ti;
        x[i] = (double)qtr_rng_binomial(r, (uint64_t)ti, p);
    }
    /* make sure both groups exist in at least two districts */
    t[0] = 100;
    x[0] = 50;
    t[1] = 100;
    x[1] = 10;
}

#endif
