/*
 * test_util.h - helpers shared by the cmocka tests.
 * cmocka 1.1.5 needs these headers before <cmocka.h> and has no double assert.
 */
#ifndef QTR_TEST_UTIL_H
#define QTR_TEST_UTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Fail unless |a - b| <= tol (NaN never passes). */
#define assert_close(a, b, tol)                                                                    \
    do {                                                                                           \
        double qtr_a_ = (a), qtr_b_ = (b), qtr_t_ = (tol);                                         \
        if (!(fabs(qtr_a_ - qtr_b_) <= qtr_t_))                                                    \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, qtr_a_, qtr_b_, qtr_t_);     \
    } while (0)

/* Directory of ../shared (set by CTest), or NULL when it is absent. */
static inline const char *qtr_test_shared_dir(void)
{
    const char *d = getenv("QTR_SHARED_DIR");
    if (!d)
        return NULL;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/data", d);
    FILE *f = fopen(probe, "r");
    if (!f)
        return NULL;
    fclose(f);
    return d;
}

/* Skip the current test with a message when ../shared/data is absent. */
#define QTR_REQUIRE_SHARED(var)                                                                    \
    const char *var = qtr_test_shared_dir();                                                       \
    if (!var) {                                                                                    \
        print_message("skipped: ../shared/data is not beside the checkout\n");                     \
        skip();                                                                                    \
    }

/* Path below the source tree (set by CTest), in a static buffer. */
static inline const char *qtr_test_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("QTR_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

#endif
