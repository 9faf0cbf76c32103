#include "quartier/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>

static void geos_message(const char *message, void *user)
{
    struct qtr_ctx *ctx = user;
    snprintf(ctx->geos_msg, sizeof ctx->geos_msg, "%s", message ? message : "");
}

int qtr_ctx_init(struct qtr_ctx *ctx, struct qtr_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    GDALAllRegister();
    /* GDAL messages are read with CPLGetLastErrorMsg where a call fails and worded for the
     * user there; nothing is printed raw. */
    CPLSetErrorHandler(CPLQuietErrorHandler);
    CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    /* Reproducible builds convention: with SOURCE_DATE_EPOCH set, the GeoPackage timestamps
     * GDAL writes (gpkg_contents.last_change) are that date, so the same inputs and seed give
     * byte-identical outputs. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);
        if (!*end && t >= 0) {
            time_t tt = (time_t)t;
            struct tm tm;
            char buf[32];
            if (gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
                CPLSetConfigOption("OGR_CURRENT_DATE", buf);
        }
    }
    GEOSContextHandle_t h = GEOS_init_r();
    if (!h)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "cannot start the GEOS geometry library");
    GEOSContext_setErrorMessageHandler_r(h, geos_message, ctx);
    GEOSContext_setNoticeMessageHandler_r(h, geos_message, ctx);
    ctx->geos = (struct GEOSContextHandle_HS *)h;
    return QTR_OK;
}

void qtr_ctx_release(struct qtr_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->geos)
        GEOS_finish_r((GEOSContextHandle_t)ctx->geos);
    ctx->geos = NULL;
}

int qtr_progress(const struct qtr_ctx *ctx, double done, const char *stage)
{
    if (!ctx || !ctx->progress)
        return 1;
    return ctx->progress(done, stage, ctx->progress_user);
}

void qtr_warn(const struct qtr_ctx *ctx, const char *fmt, ...)
{
    if (!ctx || !ctx->warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->warn(msg, ctx->warn_user);
}

static void CPL_STDCALL capture_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    struct qtr_gdal_capture *cap = CPLGetErrorHandlerUserData();
    if (!cap || cls < CE_Warning)
        return;
    int failure = cls >= CE_Failure;
    /* keep the first failure; a warning only until a failure arrives */
    if (failure ? cap->failures == 0 : cap->failures == 0 && cap->warnings == 0)
        snprintf(cap->msg, sizeof cap->msg, "%s", msg ? msg : "");
    if (failure)
        cap->failures++;
    else
        cap->warnings++;
}

void qtr_gdal_capture_begin(struct qtr_gdal_capture *cap)
{
    qtr_gdal_capture_reset(cap);
    CPLPushErrorHandlerEx(capture_handler, cap);
}

void qtr_gdal_capture_end(void)
{
    CPLPopErrorHandler();
}

void qtr_gdal_capture_reset(struct qtr_gdal_capture *cap)
{
    cap->warnings = cap->failures = 0;
    cap->msg[0] = '\0';
}

const char *qtr_gdal_last_error(void)
{
    const char *m = CPLGetLastErrorMsg();
    return (m && *m) ? m : "no further detail from GDAL";
}
