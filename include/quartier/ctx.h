/*
 * ctx.h - what every stage of a run shares: library contexts, options, progress.
 *
 * No mutable globals: the GEOS handle (reentrant API) and the progress sink
 * travel in a struct qtr_ctx. Stages report progress through qtr_progress();
 * only the CLI decides whether and where it is printed.
 */
#ifndef QUARTIER_CTX_H
#define QUARTIER_CTX_H

#include <stdint.h>

#include "quartier/error.h"

struct GEOSContextHandle_HS;

/**
 * Progress sink, GDAL style: `done` in [0, 1], `stage` names the work.
 * Returns 1 to continue, 0 to cancel.
 */
typedef int (*qtr_progress_fn)(double done, const char *stage, void *user);

/** A warning for the user (join problems, repaired geometry, ...), already worded. */
typedef void (*qtr_warn_fn)(const char *message, void *user);

struct qtr_ctx {
    struct GEOSContextHandle_HS *geos; /* GEOSContextHandle_t */
    qtr_progress_fn progress;           /* NULL = silent */
    void *progress_user;
    qtr_warn_fn warn;                   /* NULL = silent */
    void *warn_user;
    uint64_t seed;
    int threads;                        /* 0 = OpenMP default */
    int strict;                         /* warnings become errors */
    char geos_msg[512];                 /* last GEOS error/notice, captured */
    /* the date of the run, "YYYY-MM-DDTHH:MM:SS.000Z" (UTC), set once by qtr_pipeline_run
     * from SOURCE_DATE_EPOCH or the clock; "" before */
    char run_date[32];
    int run_date_fixed;                 /* 1: from SOURCE_DATE_EPOCH (reproducible outputs) */
};

/**
 * Initialise ctx: a GEOS context whose messages are captured into
 * ctx->geos_msg (never printed), GDAL registered with its errors silenced
 * (they are captured where they happen). Release with qtr_ctx_release.
 */
int qtr_ctx_init(struct qtr_ctx *ctx, struct qtr_error *err);

/** Finish the GEOS context. NULL-safe. */
void qtr_ctx_release(struct qtr_ctx *ctx);

/** Report progress (no-op without a sink). Returns 0 when the user cancelled. */
int qtr_progress(const struct qtr_ctx *ctx, double done, const char *stage);

/** Pass a formatted warning to the sink. */
void qtr_warn(const struct qtr_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** The last GDAL error message, or a fallback text when GDAL recorded none. */
const char *qtr_gdal_last_error(void);

/**
 * What GDAL said while a capture was active: how many warnings and failures,
 * and the first message of the most severe class seen. Zero-initialise.
 */
struct qtr_gdal_capture {
    unsigned warnings;  /* CE_Warning messages */
    unsigned failures;  /* CE_Failure or CE_Fatal messages */
    char msg[512];      /* first failure message, else first warning message */
};

/**
 * Route GDAL's messages on this thread into `cap` until qtr_gdal_capture_end
 * (CPLPushErrorHandlerEx: thread-local, nothing printed, nothing global).
 * Drivers report damaged files (a truncated .dbf, a record beyond the end of
 * the .shp, a corrupt zip member) with such messages, some only as
 * warnings, while still returning data; readers check the capture after each
 * record. `cap` must outlive the capture. Pairs must nest.
 */
void qtr_gdal_capture_begin(struct qtr_gdal_capture *cap);

/** End the innermost capture (CPLPopErrorHandler). */
void qtr_gdal_capture_end(void);

/** Forget what was captured so far (counts and message), e.g. before the next record. */
void qtr_gdal_capture_reset(struct qtr_gdal_capture *cap);

#endif
