/*
 * outdir.h - the output folder of a run, replaced as a whole.
 *
 * Everything a run writes goes to a staging folder beside the target
 * (`PARENT/.NAME.staging-PID`). When it is complete and synced, one
 * renameat2(RENAME_EXCHANGE) swaps it with the target, so a reader sees the
 * complete old set or the complete new set, never a mix. A lock file beside
 * the target (`PARENT/.NAME.lock`, flock) keeps two runs apart; leftovers of a
 * killed run (staging folders) are removed by the next run, which reports them.
 *
 * quartier replaces its output folder, so it refuses a target that holds files
 * it did not write, a target that holds one of the inputs, and a target that is
 * a file. See docs/architecture.md ("Outputs").
 */
#ifndef QUARTIER_OUTDIR_H
#define QUARTIER_OUTDIR_H

#include <stddef.h>

#include "quartier/ctx.h"
#include "quartier/error.h"

/**
 * Create `dir` and its parents (mode 0777 & ~umask). QTR_ERR_IO naming the
 * folder when that fails.
 */
int qtr_mkdir_p(const char *dir, struct qtr_error *err);

/**
 * QTR_ERR_USAGE when `target` (which may not exist yet) is the same file as
 * one of the `ninputs` input paths.
 */
int qtr_check_not_input(const char *target, const char *const *inputs, size_t ninputs,
                        struct qtr_error *err);

/** The name of the marker file every output folder carries. */
#define QTR_OUTDIR_MARKER ".quartier-output"

struct qtr_outdir;

/**
 * Check, before any computing, that `target` can become the output folder:
 * it is not a file, not "/", "." or "..", its nearest existing ancestor is a
 * writable folder on a writable file system, it holds none of the `ninputs`
 * input paths (entries starting with "PG:" or NULL are skipped), and, if it
 * exists, it holds only what quartier writes (the marker file, or only the
 * names of quartier's outputs). Creates nothing.
 * Errors: QTR_ERR_USAGE (the folder cannot be used: the message says why and
 * what to do), QTR_ERR_IO (a file system call failed), QTR_ERR_NOMEM.
 */
int qtr_outdir_check(const char *target, const char *const *inputs, size_t ninputs,
                     struct qtr_error *err);

/**
 * Start writing a run into `target` (qtr_outdir_check first): create the
 * parent folders, take the lock (QTR_ERR_USAGE naming the process when
 * another run holds it), remove leftovers of killed runs (a warning through
 * ctx for each) and create an empty staging folder. *out receives the handle
 * (free with qtr_outdir_free). Errors: QTR_ERR_USAGE, QTR_ERR_IO, QTR_ERR_NOMEM.
 */
int qtr_outdir_begin(struct qtr_ctx *ctx, const char *target, struct qtr_outdir **out,
                     struct qtr_error *err);

/** The staging folder to write into (owned by od). */
const char *qtr_outdir_staging(const struct qtr_outdir *od);

/** The target folder as given (owned by od). */
const char *qtr_outdir_target(const struct qtr_outdir *od);

/**
 * Finish: write the marker, fsync every file and folder in the staging
 * folder, swap it with the target in one step (or rename it into place when
 * there is no target yet), fsync the parent, remove the previous outputs and
 * release the lock. After an error the target is unchanged.
 * Errors: QTR_ERR_IO naming the folder, QTR_ERR_NOMEM.
 */
int qtr_outdir_commit(struct qtr_ctx *ctx, struct qtr_outdir *od, struct qtr_error *err);

/**
 * Remove the staging folder unless committed, release the lock, free od.
 * NULL-safe.
 */
void qtr_outdir_free(struct qtr_outdir *od);

#endif
