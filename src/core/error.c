#include "quartier/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void qtr_error_clear(struct qtr_error *err)
{
    if (!err)
        return;
    err->code = QTR_OK;
    err->msg[0] = '\0';
}

int qtr_error_set(struct qtr_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

void qtr_error_prefix(struct qtr_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char old[QTR_ERROR_MSG_SIZE];
    memcpy(old, err->msg, sizeof old);
    size_t plen = strlen(prefix);
    if (plen + 2 >= sizeof err->msg)
        plen = sizeof err->msg - 3;
    memcpy(err->msg, prefix, plen);
    memcpy(err->msg + plen, ": ", 2);
    size_t room = sizeof err->msg - plen - 3;
    size_t olen = strnlen(old, room);
    memcpy(err->msg + plen + 2, old, olen);
    err->msg[plen + 2 + olen] = '\0';
}

const char *qtr_status_name(int code)
{
    switch (code) {
    case QTR_OK:
        return "ok";
    case QTR_ERR_USAGE:
        return "usage error";
    case QTR_ERR_IO:
        return "input/output error";
    case QTR_ERR_DATA:
        return "data error";
    case QTR_ERR_NOMEM:
        return "out of memory";
    case QTR_ERR_DOMAIN:
        return "not defined for this input";
    default:
        return "internal error";
    }
}
