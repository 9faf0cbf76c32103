/*
 * parent_names.h - the names of the parent areas ([boundaries] parent_name: a column of
 * the boundaries; parent_names: a file with codes and names), read by the load stage into
 * st->parent_code / st->parent_name (src/pipeline/parent_names.c, docs/analysis-file.md).
 */
#ifndef QTR_PARENT_NAMES_H
#define QTR_PARENT_NAMES_H

#include "quartier/pipeline.h"

/**
 * Fill st->nparents, st->parent_code, st->parent_name: one entry per distinct parent code
 * of the districts (in order of first appearance), its name, or NULL when the source has
 * none (then one join-report warning per code, QTR_ISSUE_PARENT_WITHOUT_NAME, and the
 * report shows the code). Nothing without parent_name / parent_names. Codes are compared
 * after trimming blanks; when no name has the exact code, digits-only codes also match
 * without their leading zeros ("6" = "06"). Errors: the file cannot be read, or lacks a
 * column (QTR_ERR_DATA / QTR_ERR_IO, naming the file and the columns it has), a column
 * of the boundaries that does not exist (QTR_ERR_DATA), QTR_ERR_NOMEM.
 */
int qtr_parent_names_load(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                          struct qtr_error *err);

/** The name of parent code `code` (st->parent_name), or NULL when unknown or none given. */
const char *qtr_parent_name_of(const struct qtr_state *st, const char *code);

#endif
