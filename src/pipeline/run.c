/*
 * run.c - the whole run in its order: the only place that knows it.
 *
 *   date -> output-folder preflight -> lock + staging folder (run only) -> load -> compute
 *   -> spatial -> change -> indicators -> renewal -> goals -> candidates -> disclosure
 *   -> (check stops here) -> write -> publish -> report -> QGIS project -> sync + swap
 *
 * The output folder is checked and locked before any computing, so a folder that cannot be
 * written, or one another run is writing to, fails in a second, not after minutes of
 * permutations. Everything is written into a staging folder that replaces the target in one
 * step (outdir.h): at every moment the target holds one whole run.
 */
#include "quartier/pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quartier/outdir.h"
#include "quartier/pg_sink.h"
#include "quartier/strutil.h"
#include "quartier/testhook.h"

int qtr_run_date(char buf[32], int *fixed, struct qtr_error *err)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t;
    *fixed = 0;
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (end == sde || *end || errno || v < 0 || v > 253402300799LL)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "SOURCE_DATE_EPOCH='%s' is not a number of seconds since "
                                 "1970-01-01; unset it or give e.g. 1767225600",
                                 sde);
        t = (time_t)v;
        *fixed = 1;
    } else {
        t = time(NULL);
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0)
        return qtr_error_set(err, QTR_ERR_INTERNAL, "cannot format the date of the run");
    return QTR_OK;
}

typedef int (*stage_fn)(struct qtr_ctx *, const struct qtr_config *, struct qtr_state *,
                        struct qtr_error *);

/* The computing stages after load, in order, with the test point after each. */
static const struct {
    stage_fn fn;
    const char *point;
} stages[] = {
    {qtr_pipeline_compute, "computed"},      {qtr_pipeline_spatial, "spatial"},
    {qtr_pipeline_change, "change"},         {qtr_pipeline_indicators, "indicators"},
    {qtr_pipeline_renewal, "renewal"},       {qtr_pipeline_goals, "goals"},
    {qtr_pipeline_candidates, "candidates"},
};

static int hook(const char *point, struct qtr_error *err)
{
    if (qtr_test_hook(point))
        return qtr_error_set(err, QTR_ERR_IO, "QTR_TEST_FAIL_AT=%s: the run fails here (test hook)",
                             point);
    return QTR_OK;
}

/* Replace the staging prefix of a path by the target folder. */
static int retarget(char **path, const char *staging, const char *target, struct qtr_error *err)
{
    size_t sl = strlen(staging);
    if (!*path || strncmp(*path, staging, sl) != 0)
        return QTR_OK;
    char *p = qtr_asprintf("%s%s", target, *path + sl);
    if (!p)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    free(*path);
    *path = p;
    return QTR_OK;
}

/* Write everything into the staging folder and swap it into place. */
static int write_all(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                     const struct qtr_run_options *opt, struct qtr_outdir *od, struct qtr_state *st,
                     struct qtr_pg_sink *sink, struct qtr_error *err)
{
    int rc;
    const char *staging = qtr_outdir_staging(od), *target = qtr_outdir_target(od);
    if ((rc = qtr_pipeline_write(ctx, cfg, st, staging, err)) || (rc = hook("written", err)) ||
        (rc = qtr_region_write_info(cfg, opt->analysis_seed, st, err)) ||
        (rc = qtr_pipeline_publish(ctx, cfg, st, staging, err)) || (rc = hook("published", err)))
        return rc;
    if (!opt->no_report &&
        ((rc = qtr_pipeline_report(ctx, cfg, st, staging, err)) || (rc = hook("reported", err))))
        return rc;
    /* --no-report: the maps are described (not drawn) for the project's print layouts */
    if (opt->no_report && (rc = qtr_pipeline_report_plan(ctx, cfg, st, err)))
        return rc;
    /* the QGIS project last: it names the report's maps (qgis_project.h) */
    if ((rc = qtr_qgis_plan_write(st->qgis, st->gpkg_path, ctx->run_date, err)))
        return rc;
    /* output = PG:...: the tables into a staging schema now, swapped in after the folder */
    if (sink && ((rc = qtr_pg_sink_stage(ctx, sink, st->gpkg_path, err)) ||
                 (rc = hook("pg-staged", err))))
        return rc;
    if (sink && cfg->region) { /* one region of a batch fails here (test hook) */
        char *point = qtr_asprintf("pg-staged-%s", cfg->region);
        rc = point ? hook(point, err) : qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        free(point);
        if (rc)
            return rc;
    }
    char *staged = qtr_strdup(staging);
    if (!staged)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    if ((rc = qtr_outdir_commit(ctx, od, err)) || (sink && (rc = qtr_pg_sink_swap(sink, err)))) {
        free(staged);
        return rc;
    }
    rc = retarget(&st->gpkg_path, staged, target, err);
    if (!rc)
        rc = retarget(&st->geojson_path, staged, target, err);
    for (size_t i = 0; !rc && i < st->npublished; i++)
        rc = retarget(&st->published[i], staged, target, err);
    free(staged);
    return rc;
}

int qtr_pipeline_run(struct qtr_ctx *ctx, const struct qtr_config *cfg,
                     const struct qtr_run_options *opt, struct qtr_state **out,
                     struct qtr_error *err)
{
    int rc;
    const char *target = opt->outdir ? opt->outdir : cfg->output;
    const char **inputs = NULL;
    struct qtr_pg_sink *sink = NULL;
    *out = NULL;
    if ((rc = qtr_run_date(ctx->run_date, &ctx->run_date_fixed, err)))
        return rc;
    /* output = PG:... schema=NAME: the server is checked now, the files go to a folder */
    if (qtr_starts_with(target, "PG:")) {
        if ((rc = qtr_pg_sink_begin(target, cfg->dir, &sink, err)) ||
            (opt->pg_folder && (rc = qtr_pg_sink_set_folder(sink, opt->pg_folder, err)))) {
            qtr_pg_sink_free(sink);
            return rc;
        }
        target = qtr_pg_sink_folder(sink);
    }

    /* the output folder first: found in a second, not after the permutations */
    inputs = calloc(cfg->ntables + 2, sizeof *inputs);
    if (!inputs)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    size_t ni = 0;
    inputs[ni++] = cfg->path;
    inputs[ni++] = cfg->bnd_source;
    for (size_t t = 0; t < cfg->ntables; t++)
        inputs[ni++] = cfg->tables[t].source;
    rc = qtr_outdir_check(target, inputs, ni, err);
    free(inputs);
    if (rc) {
        qtr_pg_sink_free(sink);
        return rc;
    }

    /* a run takes the lock and makes its staging folder now: a second run into the same
     * folder is refused at once, and a folder that cannot be written fails before the work */
    struct qtr_outdir *od = NULL;
    if (!opt->dry_run && (rc = qtr_outdir_begin(ctx, target, &od, err))) {
        qtr_pg_sink_free(sink);
        return rc;
    }
    if ((rc = qtr_pipeline_load(ctx, cfg, out, err)) || (rc = hook("loaded", err)))
        goto out;
    if (!((*out)->outdir = qtr_strdup(target)) ||
        (sink && !((*out)->pg_output = qtr_strdup(qtr_pg_sink_shown(sink))))) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++)
        if ((rc = stages[s].fn(ctx, cfg, *out, err)) || (rc = hook(stages[s].point, err)))
            goto out;
    qtr_region_note(cfg, *out); /* batch: residents before disclosure control (region.h) */
    /* disclosure control is part of what `check` proves: write repeats it (idempotent) */
    if ((rc = qtr_pipeline_disclose(cfg, *out, err)) || opt->dry_run)
        goto out;
    rc = write_all(ctx, cfg, opt, od, *out, sink, err);
out:
    qtr_outdir_free(od);
    qtr_pg_sink_free(sink);
    return rc;
}
