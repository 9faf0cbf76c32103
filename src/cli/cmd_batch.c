/*
 * cmd_batch.c - `quartier run ANALYSIS.ini` with a [batch] section (docs/batch.md).
 *
 * Every region runs as its own process of this same program (`quartier run ANALYSIS.ini
 * --region KEY -o OUTDIR -q`), at most --jobs at a time, so a crash or a data error in one
 * region never stops the others. The region processes are quiet; their stderr comes back
 * through a pipe, and its last line (the error) is the region's outcome. When every region
 * has ended, the comparison over the regions is built in this process from the region
 * folders (qtr_batch_compare), exactly as `--compare` builds it from folders made elsewhere.
 * With `output = PG:... schema=NAME` each region writes schema NAME_KEY, the comparison reads
 * those schemas and writes NAME, and the files go to the folder NAME beside the analysis
 * file (docs/batch.md, "From and into PostgreSQL").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "quartier/outdir.h"
#include "quartier/pg.h"
#include "quartier/pg_sink.h"
#include "quartier/region.h"
#include "quartier/strutil.h"

extern char **environ;

/* One region's job. */
struct job {
    pid_t pid;
    int fd; /* read end of the pipe from the process's stderr; -1 when closed */
    size_t region;
    char tail[2048]; /* the last bytes of its stderr */
    size_t ntail;
    double start;
};

/* The outcome of one region. */
struct outcome {
    int state; /* 0 not run, 1 ok, 2 failed */
    int exit_code;
    double seconds;
    char msg[1024];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The last non-empty line of the job's stderr, without "quartier: error: ". */
static void last_line(const struct job *j, char *buf, size_t size)
{
    size_t e = j->ntail;
    while (e > 0 && (j->tail[e - 1] == '\n' || j->tail[e - 1] == '\r'))
        e--;
    size_t b = e;
    while (b > 0 && j->tail[b - 1] != '\n')
        b--;
    const char *line = j->tail + b;
    size_t len = e - b;
    static const char pre[] = "quartier: error: ";
    if (len >= sizeof pre - 1 && !strncmp(line, pre, sizeof pre - 1)) {
        line += sizeof pre - 1;
        len -= sizeof pre - 1;
    }
    snprintf(buf, size, "%.*s", (int)len, line);
}

static void keep_tail(struct job *j, const char *data, size_t n)
{
    if (n >= sizeof j->tail) {
        memcpy(j->tail, data + n - sizeof j->tail, sizeof j->tail);
        j->ntail = sizeof j->tail;
        return;
    }
    if (j->ntail + n > sizeof j->tail) {
        size_t drop = j->ntail + n - sizeof j->tail;
        memmove(j->tail, j->tail + drop, j->ntail - drop);
        j->ntail -= drop;
    }
    memcpy(j->tail + j->ntail, data, n);
    j->ntail += n;
}

/* Start the process of region k. */
static int spawn(const struct cli_batch_args *b, const char *exe, const char *key, int threads,
                 struct job *j)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    char th[16];
    snprintf(th, sizeof th, "%d", threads);
    const char *argv[32];
    size_t n = 0;
    argv[n++] = exe;
    argv[n++] = "run";
    argv[n++] = b->analysis;
    argv[n++] = "--region";
    argv[n++] = key;
    if (b->pass_output) {
        argv[n++] = "-o";
        argv[n++] = b->pass_output;
    }
    argv[n++] = "-q";
    argv[n++] = "--threads";
    argv[n++] = th;
    for (size_t k = 0; k < b->npass && n < 31; k++)
        argv[n++] = b->pass[k];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    int rc = posix_spawn(&j->pid, exe, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        errno = rc;
        return -1;
    }
    j->fd = p[0];
    j->ntail = 0;
    j->start = now();
    return 0;
}

static const char *region_label(const struct qtr_regions *r, size_t k, char *buf, size_t size)
{
    if (r->name[k][0])
        snprintf(buf, size, "%s (%s)", r->key[k], r->name[k]);
    else
        snprintf(buf, size, "%s", r->key[k]);
    return buf;
}

/* The job ended (its pipe is closed): wait for it and record the outcome. */
static void finish(const struct cli_batch_args *b, const struct qtr_regions *r, struct job *j,
                   struct outcome *o, size_t *done)
{
    int status = 0;
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
        ;
    o->seconds = now() - j->start;
    char label[400];
    region_label(r, j->region, label, sizeof label);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        o->state = 1;
        o->exit_code = 0;
        snprintf(o->msg, sizeof o->msg, "ok");
    } else {
        o->state = 2;
        if (WIFEXITED(status)) {
            o->exit_code = WEXITSTATUS(status);
            last_line(j, o->msg, sizeof o->msg);
            if (!o->msg[0])
                snprintf(o->msg, sizeof o->msg, "exit status %d", o->exit_code);
        } else {
            o->exit_code = EXIT_FAIL;
            snprintf(o->msg, sizeof o->msg, "the process ended on signal %d (%s)",
                     WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                     WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "?");
        }
    }
    ++*done;
    if (!b->quiet)
        fprintf(stderr, "quartier: [%zu/%zu] region %s: %s (%.1f s)%s%s\n", *done, r->n, label,
                o->state == 1 ? "ok" : "failed", o->seconds, o->state == 1 ? "" : ": ",
                o->state == 1 ? "" : o->msg);
    j->pid = 0;
}

/* Run the regions' processes, at most b->jobs at a time. */
static int run_regions(const struct cli_batch_args *b, const struct qtr_regions *r,
                       struct outcome *out, struct qtr_error *err)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return qtr_error_set(err, QTR_ERR_IO,
                             "cannot find this program's path (/proc/self/exe: "
                             "%s) to start the regions' processes",
                             strerror(errno));
    exe[len] = '\0';
    int jobs = b->jobs < (int)r->n ? b->jobs : (int)r->n;
    /* the cores are shared between the jobs unless --threads says otherwise */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = b->threads ? b->threads : (int)(ncpu > jobs ? ncpu / jobs : 1);
    struct job *run = calloc((size_t)(jobs ? jobs : 1), sizeof *run);
    struct pollfd *pfd = calloc((size_t)(jobs ? jobs : 1), sizeof *pfd);
    if (!run || !pfd) {
        free(run);
        free(pfd);
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    size_t next = 0, done = 0;
    int active = 0;
    char label[400];
    while (next < r->n || active > 0) {
        for (int s = 0; s < jobs && next < r->n; s++) {
            if (run[s].pid)
                continue;
            run[s].region = next;
            if (spawn(b, exe, r->key[next], threads, &run[s]) != 0) {
                out[next].state = 2;
                out[next].exit_code = EXIT_FAIL;
                snprintf(out[next].msg, sizeof out[next].msg, "cannot start '%.900s': %s", exe,
                         strerror(errno));
                run[s].pid = 0;
                done++;
            } else {
                active++;
                if (!b->quiet)
                    fprintf(stderr, "quartier: region %s: started (%zu districts)\n",
                            region_label(r, next, label, sizeof label), r->ndistricts[next]);
            }
            next++;
        }
        if (!active)
            continue;
        int np = 0;
        for (int s = 0; s < jobs; s++)
            if (run[s].pid) {
                pfd[np].fd = run[s].fd;
                pfd[np].events = POLLIN;
                pfd[np].revents = 0;
                np++;
            }
        if (poll(pfd, (nfds_t)np, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int q = 0; q < np; q++) {
            if (!pfd[q].revents)
                continue;
            struct job *j = NULL;
            for (int s = 0; s < jobs && !j; s++)
                if (run[s].pid && run[s].fd == pfd[q].fd)
                    j = &run[s];
            char buf[4096];
            ssize_t got = read(j->fd, buf, sizeof buf);
            if (got > 0) {
                keep_tail(j, buf, (size_t)got);
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            close(j->fd);
            j->fd = -1;
            finish(b, r, j, &out[j->region], &done);
            active--;
        }
    }
    free(run);
    free(pfd);
    return QTR_OK;
}

int cli_batch(const struct cli_batch_args *b, struct qtr_config *cfg, struct qtr_ctx *ctx)
{
    struct qtr_error err = {0};
    struct qtr_regions *r = NULL;
    struct qtr_layer *layer = NULL;
    struct outcome *out = NULL;
    unsigned char *failed = NULL, *have = NULL;
    char *shown = NULL, *schema = NULL;
    size_t missing = 0, nfail = 0;
    int ex = EXIT_OK, usage = 0;
    double t0 = now();
    int rc = qtr_run_date(ctx->run_date, &ctx->run_date_fixed, &err);
    if (!rc)
        rc = qtr_regions_read(ctx, cfg, &r, &layer, &err);
    /* output = PG:...: every region's schema is a valid name of its own */
    if (!rc && b->pg_target && !(rc = qtr_pg_target_schema(b->pg_target, &schema, &err)))
        rc = qtr_regions_check_schemas(cfg, r, schema, &err);
    if (!rc && b->pg_target && !b->compare) { /* the server, before any region runs */
        struct qtr_pg_sink *sink = NULL;
        rc = qtr_pg_sink_begin(b->pg_target, NULL, &sink, &err);
        qtr_pg_sink_free(sink);
    }
    if (rc) {
        free(schema);
        qtr_regions_free(r);
        qtr_layer_free(layer);
        return cli_fail(&err);
    }
    if (!b->quiet)
        fprintf(stderr, "quartier: %zu regions by %s\n", r->n, cfg->batch_by);
    out = calloc(r->n ? r->n : 1, sizeof *out);
    failed = calloc(r->n ? r->n : 1, 1);
    have = calloc(r->n ? r->n : 1, 1);
    shown = b->pg_target ? qtr_pg_redact(b->pg_target) : NULL;
    if (!out || !failed || !have || (b->pg_target && !shown)) {
        qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        ex = cli_fail(&err);
        goto done;
    }
    if (!b->compare) {
        if ((rc = run_regions(b, r, out, &err))) {
            ex = cli_fail(&err);
            goto done;
        }
        for (size_t k = 0; k < r->n; k++) {
            failed[k] = out[k].state != 1;
            nfail += failed[k];
            usage |= out[k].exit_code == EXIT_USAGE;
        }
    }
    if (!b->quiet)
        fprintf(stderr, "quartier: comparing the regions\n");
    rc = qtr_batch_compare(ctx, cfg, b->outdir, b->pg_target, layer, r, failed, b->no_report,
                           have, &missing, &err);
    /* the outcome of every region, on stdout */
    printf("%zu regions by %s:\n", r->n, cfg->batch_by);
    for (size_t k = 0; k < r->n; k++) {
        char label[400];
        region_label(r, k, label, sizeof label);
        if (b->compare)
            printf("  %-24s %s\n", label, have[k] ? "ok" : "no output");
        else if (out[k].state == 1)
            printf("  %-24s ok      %6.1f s\n", label, out[k].seconds);
        else
            printf("  %-24s failed  %6.1f s  %s\n", label, out[k].seconds, out[k].msg);
    }
    if (b->compare && shown)
        printf("%zu of %zu regions have results in their schemas %s_KEY\n", r->n - missing,
               r->n, schema);
    else if (b->compare)
        printf("%zu of %zu regions have results in %s/regions/\n", r->n - missing, r->n, b->outdir);
    else
        printf("%zu ok, %zu failed, %.1f s\n", r->n - nfail, nfail, now() - t0);
    if (rc) {
        ex = cli_fail(&err);
        goto done;
    }
    printf("Comparison: %s/comparison/comparison.gpkg, comparison.csv%s\n", b->outdir,
           b->no_report ? "" : ", comparison.html, comparison.pdf");
    if (shown)
        printf("PostgreSQL: %s (table regions; the regions in schemas %s_KEY)\n", shown, schema);
    ex = usage ? EXIT_USAGE : (nfail || missing) ? EXIT_FAIL : EXIT_OK;
done:
    free(out);
    free(failed);
    free(have);
    free(shown);
    free(schema);
    qtr_regions_free(r);
    qtr_layer_free(layer);
    return ex;
}
