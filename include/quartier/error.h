/*
 * error.h - status codes and the error buffer every fallible function fills.
 *
 * A function that can fail returns an int status (QTR_OK = 0) and takes
 * `struct qtr_error *err` as its last argument. The message is written for a
 * planner: it names the file, column or key involved and says what to do.
 * Only the CLI prints it.
 */
#ifndef QUARTIER_ERROR_H
#define QUARTIER_ERROR_H

#include <stddef.h>

enum qtr_status {
    QTR_OK = 0,
    QTR_ERR_USAGE = 1,   /* bad option or analysis-file content */
    QTR_ERR_IO = 2,      /* a file or connection could not be read or written */
    QTR_ERR_DATA = 3,    /* the data cannot be used as it is (missing column, bad key, ...) */
    QTR_ERR_NOMEM = 4,   /* out of memory */
    QTR_ERR_DOMAIN = 5,  /* an index is not defined for this input (reason in msg) */
    QTR_ERR_INTERNAL = 6 /* a library reported something unexpected */
};

#define QTR_ERROR_MSG_SIZE 2048

struct qtr_error {
    int code;
    char msg[QTR_ERROR_MSG_SIZE];
};

/** Reset err to "no error". NULL-safe. */
void qtr_error_clear(struct qtr_error *err);

/**
 * Record an error and return `code`, so callers can write
 * `return qtr_error_set(err, QTR_ERR_DATA, "column '%s' ...", name);`.
 * err may be NULL (the message is then dropped).
 */
int qtr_error_set(struct qtr_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Put "prefix: " in front of the message already in err (for context from the caller). */
void qtr_error_prefix(struct qtr_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** A short English name of a status code, e.g. "data error". */
const char *qtr_status_name(int code);

#endif
