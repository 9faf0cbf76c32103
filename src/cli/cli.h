/*
 * cli.h - what the subcommands share: exit codes, progress and warning
 * printers, the text report. Only the CLI prints.
 */
#ifndef QUARTIER_CLI_H
#define QUARTIER_CLI_H

#include <stdio.h>

#include "quartier/ctx.h"
#include "quartier/error.h"
#include "quartier/pipeline.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli_progress {
    const char *stage;
    int last;     /* last tick printed, 0..40 */
    int quiet;
};

/** GDAL-style progress on stderr ("stage: 0...10...20...", ticks of 2.5 %). */
int cli_progress(double done, const char *stage, void *user);

/** Warnings to stderr, prefixed "quartier: warning: ". */
void cli_warn(const char *message, void *user);

/** Set up ctx with the CLI's progress and warning printers. */
int cli_ctx_init(struct qtr_ctx *ctx, struct cli_progress *prog, int quiet, struct qtr_error *err);

/** Print err to stderr and map its code to an exit code (usage errors -> 2). */
int cli_fail(const struct qtr_error *err);

/** Print the join and data-quality report (all issues, grouped by kind) to `out`. */
void cli_print_report(FILE *out, const struct qtr_state *st, int verbose);

/** Print a usage error and the hint to see --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_indices(int argc, char **argv);
int cmd_weights(int argc, char **argv);
int cmd_carry(int argc, char **argv);

/** `quartier run` over the regions of [batch] (cmd_batch.c, docs/batch.md). */
struct cli_batch_args {
    const char *analysis;
    const char *outdir;      /* the analysis' output folder (regions/ and comparison/ inside) */
    const char *pg_target;   /* output = PG:... schema=NAME (outdir is then NAME beside the
                              * analysis file), or NULL */
    const char *pass_output; /* -o for the regions' processes, or NULL (they read [analysis]
                              * output; a password in the analysis file stays out of `ps`) */
    int jobs;                /* regions at a time (>= 1) */
    int compare;             /* 1: only build the comparison from the region folders */
    int quiet;
    int no_report;
    int threads;             /* --threads given, or 0 */
    const char *const *pass; /* options handed on to every region's process */
    size_t npass;
};

/**
 * Run every region of cfg's [batch] as its own process (`quartier run ANALYSIS --region KEY`,
 * at most b->jobs at a time), print each region's progress and outcome, then build the
 * comparison. Returns the exit code: 0 every region ok, 1 a region failed (data error,
 * crash) or has no output, 2 a usage problem.
 */
int cli_batch(const struct cli_batch_args *b, struct qtr_config *cfg, struct qtr_ctx *ctx);

/** The command line as one string (for run_info). Caller frees. */
char *cli_join_args(int argc, char **argv);

#endif
