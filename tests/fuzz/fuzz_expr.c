/*
 * fuzz_expr.c - libFuzzer harness for the indicator expression compiler and evaluator
 * (src/model/indicators.c), through its public API on a tiny in-memory table: three districts,
 * three columns as a statistics office names them (a blank, an umlaut), one value missing
 * and one not finite. The input holds up to four expressions, one per line; the first is
 * also tried as the [renewal] attention condition.
 *
 * Properties checked besides the sanitizers: an error has a message; after success every
 * district has a finite value, or NaN with a reason from enum qtr_ind_missing.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/indicators.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N 3
#define MAX_EXPR 4

static void check_result(int rc, const struct qtr_error *err)
{
    if (rc != QTR_OK && rc != QTR_ERR_USAGE && rc != QTR_ERR_NOMEM && rc != QTR_ERR_INTERNAL)
        abort();
    if (rc && !err->msg[0])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2000)
        return 0; /* an analysis-file value is at most a few lines */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *exprs[MAX_EXPR];
    size_t nexpr = 0;
    char *p = text;
    while (nexpr < MAX_EXPR) {
        exprs[nexpr++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }

    static const char *const names[] = {"EW", "SGB II", "Übergänge aufs Gymnasium"};
    static const double ew[N] = {1200, 0, 850};
    static const double sgb[N] = {140, 3, NAN};
    static const double ueb[N] = {12.5, -1, 1e300};
    static const uint8_t ew_missing[N] = {0, 0, 1};
    const double *const values[] = {ew, sgb, ueb};
    const uint8_t *const missing[] = {ew_missing, NULL, NULL};
    double out_v[MAX_EXPR][N];
    uint8_t out_m[MAX_EXPR][N];
    double *out[MAX_EXPR];
    uint8_t *out_missing[MAX_EXPR];
    for (size_t e = 0; e < MAX_EXPR; e++) {
        out[e] = out_v[e];
        out_missing[e] = out_m[e];
        for (size_t i = 0; i < N; i++) {
            out_v[e][i] = 42;
            out_m[e][i] = 77;
        }
    }
    struct qtr_error err = {0};
    int rc = qtr_indicators_eval(N, 3, names, values, missing, nexpr, exprs, NULL, out,
                                 out_missing, &err);
    check_result(rc, &err);
    if (rc == QTR_OK)
        for (size_t e = 0; e < nexpr; e++)
            for (size_t i = 0; i < N; i++) {
                uint8_t why = out_m[e][i];
                if (why > QTR_IND_NONFINITE)
                    abort();
                if (why == QTR_IND_OK ? !isfinite(out_v[e][i]) : !isnan(out_v[e][i]))
                    abort();
            }

    static const uint8_t status[N] = {1, 4, 0};
    static const uint8_t dyn[N] = {3, 2, 1};
    static const double si[N] = {-0.5, 2.0, NAN};
    uint8_t att[N] = {9, 9, 9};
    struct qtr_error err2 = {0};
    rc = qtr_indicators_attention(N, status, dyn, si, NULL, exprs[0], NULL, att, &err2);
    check_result(rc, &err2);
    if (rc == QTR_OK)
        for (size_t i = 0; i < N; i++)
            if (att[i] > 1)
                abort();
    free(text);
    return 0;
}
