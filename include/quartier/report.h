/*
 * report.h - the join and data-quality report: everything that was excluded,
 * repaired, ambiguous or suspicious, by key and name.
 */
#ifndef QUARTIER_REPORT_H
#define QUARTIER_REPORT_H

#include <stddef.h>

#include "quartier/error.h"

enum qtr_issue_kind {
    QTR_ISSUE_DUPLICATE_BOUNDARY_KEY,
    QTR_ISSUE_DUPLICATE_TABLE_KEY,
    QTR_ISSUE_NO_STATISTICS,      /* district without a row in a table */
    QTR_ISSUE_NO_BOUNDARY,        /* table row without a district */
    QTR_ISSUE_AMBIGUOUS_NAME,     /* name join: several rows or districts share the name */
    QTR_ISSUE_MERGED_ROW,         /* name join: one row names several districts ("A und B") */
    QTR_ISSUE_NOTE_ROW,           /* footnote / source line in a table */
    QTR_ISSUE_GROUP_EXCEEDS_TOTAL,
    QTR_ISSUE_NEGATIVE_COUNT,
    QTR_ISSUE_ZERO_POPULATION,
    QTR_ISSUE_SMALL_POPULATION,
    QTR_ISSUE_MISSING_COUNT,      /* total or group missing or suppressed */
    QTR_ISSUE_NOT_A_NUMBER,       /* text in a numeric column */
    QTR_ISSUE_REPAIRED_GEOMETRY,
    QTR_ISSUE_NO_GEOMETRY,
    QTR_ISSUE_KEY_FORMAT,         /* e.g. keys that lost their leading zeros */
    QTR_ISSUE_ISLAND,             /* district without neighbours */
    QTR_ISSUE_DISCONNECTED,       /* the districts form several separate parts */
    QTR_ISSUE_SLIVER,             /* polygon with zero or almost no area */
    QTR_ISSUE_CARRY_SEVERAL_SOURCES, /* carried table: a district fed by several source units */
    QTR_ISSUE_CARRY_SPLIT_SOURCE, /* carried table: a source unit split over several districts */
    QTR_ISSUE_CARRY_UNCOVERED,    /* carried table: a source unit (partly) outside the layout */
    QTR_ISSUE_CARRY_SLIVERS,      /* carried table: pieces dropped as slivers (one summary) */
    QTR_ISSUE_MERGED_BOUNDARIES,  /* [boundaries] merge: features made into one district */
    QTR_ISSUE_PARENT_WITHOUT_NAME, /* a parent code without a name (parent_name(s)) */
    QTR_ISSUE_KIND_COUNT
};

enum qtr_severity { QTR_INFO = 0, QTR_WARNING = 1 };

struct qtr_issue {
    enum qtr_issue_kind kind;
    enum qtr_severity severity;
    char key[64];
    char name[128];
    char source[128];   /* table id, "boundaries" or a file name */
    char detail[400];   /* English (the GeoPackage's join_report, messages) */
    char detail_de[400]; /* German for the German report ("" = only the English) */
};

struct qtr_report {
    size_t n, cap;
    struct qtr_issue *items;
};

/** Append an issue (detail formatted). Returns QTR_OK or QTR_ERR_NOMEM. */
int qtr_report_add(struct qtr_report *r, enum qtr_issue_kind kind, enum qtr_severity sev,
                   const char *key, const char *name, const char *source, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/** Free the items; the report is empty again. */
/** The German text of the entry added last (qtr_report_add), for the German report. */
void qtr_report_add_de(struct qtr_report *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** The entry's detail in the report's language: the German one when `en` is 0 and there is
 * one, else the English. */
const char *qtr_issue_detail(const struct qtr_issue *it, int en);

void qtr_report_release(struct qtr_report *r);

/** Count of issues of a kind. */
size_t qtr_report_count(const struct qtr_report *r, enum qtr_issue_kind kind);

/** Number of warnings (what --strict turns into an error). */
size_t qtr_report_warnings(const struct qtr_report *r);

/** snake_case name of a kind, as written to the join_report table. */
const char *qtr_issue_kind_name(enum qtr_issue_kind kind);

/** One-line English description of a kind, for the text report. */
const char *qtr_issue_kind_title(enum qtr_issue_kind kind);

#endif
