/*
 * outdir.c - the output folder of a run: preflight, lock, staging, one-step swap.
 *
 * Why a folder swap and not file-by-file renames: a run writes a GeoPackage, GeoJSON, annex
 * tables, maps and a report; renaming them one by one leaves moments (and, after kill -9,
 * states) in which new data sits beside an old report. renameat2(RENAME_EXCHANGE) swaps two
 * folders atomically (Linux 3.15, glibc 2.28), so a reader sees one whole run at every moment.
 */
#define _GNU_SOURCE /* renameat2 */
#include "quartier/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "quartier/strutil.h"
#include "quartier/testhook.h"

struct qtr_outdir {
    char *target;  /* as given */
    char *parent;  /* folder that holds target, staging and lock */
    char *name;    /* last component of target */
    char *staging; /* parent/.name.staging-PID */
    char *lock;    /* parent/.name.lock */
    int lock_fd;
    int created; /* staging folder exists and is ours */
    int committed;
};

/* Split `target` into parent folder and last component; trailing slashes are ignored. */
static int split(const char *target, char **parent, char **name, struct qtr_error *err)
{
    size_t len = strlen(target);
    while (len > 1 && target[len - 1] == '/')
        len--;
    const char *slash = NULL;
    for (size_t i = 0; i < len; i++)
        if (target[i] == '/')
            slash = target + i;
    const char *base = slash ? slash + 1 : target;
    size_t blen = len - (size_t)(base - target);
    if (blen == 0 || (blen == 1 && base[0] == '.') || (blen == 2 && !strncmp(base, "..", 2)))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "output folder '%s' must end in a folder name of its own (quartier "
                             "replaces its output folder as a whole), e.g. '%s%sergebnisse'",
                             target, target, len && target[len - 1] == '/' ? "" : "/");
    *name = malloc(blen + 1);
    if (slash == target)
        *parent = qtr_strdup("/");
    else if (slash)
        *parent = qtr_asprintf("%.*s", (int)(slash - target), target);
    else
        *parent = qtr_strdup(".");
    if (!*name || !*parent) {
        free(*name);
        free(*parent);
        *name = *parent = NULL;
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    }
    memcpy(*name, base, blen);
    (*name)[blen] = '\0';
    return QTR_OK;
}

/* Names quartier writes at the top of its output folder (also those of versions before the
 * marker file, and their temporary names). */
static int known_entry(const char *e)
{
    static const char *const names[] = {QTR_OUTDIR_MARKER,
                                        "quartier.gpkg",
                                        "quartier.gpkg-journal",
                                        "quartier.gpkg-wal",
                                        "quartier.gpkg-shm",
                                        "districts.geojson",
                                        "tables",
                                        "maps",
                                        "report.html",
                                        "report.pdf"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (!strcmp(e, names[k]))
            return 1;
    return qtr_starts_with(e, ".quartier.gpkg.tmp-") ||
           qtr_starts_with(e, ".districts.geojson.tmp-");
}

/* QTR_OK when the existing folder holds only quartier outputs. */
static int check_contents(const char *target, struct qtr_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", target, QTR_OUTDIR_MARKER);
    struct stat sb;
    if (stat(path, &sb) == 0)
        return QTR_OK;
    DIR *d = opendir(target);
    if (!d)
        return qtr_error_set(err, QTR_ERR_IO, "cannot read output folder '%s': %s", target,
                             strerror(errno));
    struct dirent *e;
    int rc = QTR_OK;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || known_entry(e->d_name))
            continue;
        rc = qtr_error_set(err, QTR_ERR_USAGE,
                           "output folder '%s' holds '%s', which quartier did not write; "
                           "quartier replaces its output folder as a whole with each run, so "
                           "choose a new or empty folder (-o or 'output =' in [analysis])",
                           target, e->d_name);
        break;
    }
    closedir(d);
    return rc;
}

/* The nearest existing ancestor of `start` must be a folder we can write in (messages name
 * the output folder `path`). */
static int check_writable(const char *path, const char *start, struct qtr_error *err)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", start) >= (int)sizeof p)
        return qtr_error_set(err, QTR_ERR_USAGE, "output folder name too long: '%s'", path);
    struct stat sb;
    for (;;) {
        if (stat(p, &sb) == 0)
            break;
        /* ENOTDIR: a file on the way, found by walking further up */
        if (errno != ENOENT && errno != ENOTDIR)
            return qtr_error_set(err, QTR_ERR_IO, "cannot use output folder '%s': '%s': %s", path,
                                 p, strerror(errno));
        char *slash = strrchr(p, '/');
        if (!slash) {
            snprintf(p, sizeof p, ".");
            continue;
        }
        if (slash == p)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    if (!S_ISDIR(sb.st_mode))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "output folder '%s' cannot be created: '%s' is a file", path, p);
    struct statvfs vs;
    if (statvfs(p, &vs) == 0 && (vs.f_flag & ST_RDONLY))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "output folder '%s' cannot be written: '%s' is on a read-only file "
                             "system; choose another output folder",
                             path, p);
    if (access(p, W_OK | X_OK) != 0)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "output folder '%s' cannot be written: no permission to write in "
                             "'%s' (%s); choose another output folder",
                             path, p, strerror(errno));
    return QTR_OK;
}

int qtr_outdir_check(const char *target, const char *const *inputs, size_t ninputs,
                     struct qtr_error *err)
{
    char *parent = NULL, *name = NULL;
    int rc;
    if (!target || !*target)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "no output folder: give -o DIR or 'output =' in [analysis]");
    if ((rc = split(target, &parent, &name, err)))
        return rc;
    struct stat sb;
    if (stat(target, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "output folder '%s' is a file; give the name of a folder", target);
            goto out;
        }
        char real_t[PATH_MAX], real_i[PATH_MAX];
        if (!realpath(target, real_t)) {
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot resolve output folder '%s': %s", target,
                               strerror(errno));
            goto out;
        }
        size_t tl = strlen(real_t);
        for (size_t i = 0; i < ninputs; i++) {
            if (!inputs[i] || qtr_starts_with(inputs[i], "PG:") || !realpath(inputs[i], real_i))
                continue;
            if (!strncmp(real_i, real_t, tl) && (real_i[tl] == '/' || real_i[tl] == '\0')) {
                rc = qtr_error_set(err, QTR_ERR_USAGE,
                                   "the input '%s' lies in the output folder '%s'; quartier "
                                   "never writes over an input and replaces that folder as a whole "
                                   "with each run, so choose "
                                   "another output folder",
                                   inputs[i], target);
                goto out;
            }
        }
        if ((rc = check_contents(target, err)))
            goto out;
    } else if (errno != ENOENT && errno != ENOTDIR) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot use output folder '%s': %s", target,
                           strerror(errno));
        goto out;
    }
    rc = check_writable(target, parent, err);
out:
    free(parent);
    free(name);
    return rc;
}

int qtr_mkdir_p(const char *dir, struct qtr_error *err)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return qtr_error_set(err, QTR_ERR_IO, "output folder name too long: '%s'", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return qtr_error_set(err, QTR_ERR_IO, "cannot create folder '%s': %s", path,
                                 strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return qtr_error_set(err, QTR_ERR_IO, "cannot create output folder '%s': %s", path,
                             strerror(errno));
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return qtr_error_set(err, QTR_ERR_IO, "output folder '%s' is not a folder", path);
    return QTR_OK;
}

int qtr_check_not_input(const char *target, const char *const *inputs, size_t ninputs,
                        struct qtr_error *err)
{
    struct stat ts;
    if (stat(target, &ts) != 0)
        return QTR_OK; /* does not exist yet: cannot be an input */
    for (size_t i = 0; i < ninputs; i++) {
        struct stat is;
        if (inputs[i] && stat(inputs[i], &is) == 0 && is.st_dev == ts.st_dev &&
            is.st_ino == ts.st_ino)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "output '%s' is the input '%s'; choose another output folder "
                                 "(quartier never writes over an input)",
                                 target, inputs[i]);
    }
    return QTR_OK;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf path (never follows symbolic links). */
static int remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int sync_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag != FTW_F && flag != FTW_DP && flag != FTW_D)
        return 0;
    if (flag == FTW_F && !S_ISREG(sb->st_mode))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | (flag == FTW_F ? 0 : O_DIRECTORY));
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Take the lock file; QTR_ERR_USAGE naming the holder when another run has it. */
static int take_lock(struct qtr_outdir *od, struct qtr_error *err)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        int fd = open(od->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            return qtr_error_set(err, QTR_ERR_IO, "cannot create the lock file '%s': %s", od->lock,
                                 strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            char who[256] = "";
            ssize_t got = read(fd, who, sizeof who - 1);
            close(fd);
            if (e != EWOULDBLOCK)
                return qtr_error_set(err, QTR_ERR_IO, "cannot lock '%s': %s", od->lock,
                                     strerror(e));
            who[got > 0 ? got : 0] = '\0';
            char *nl = strchr(who, '\n');
            if (nl)
                *nl = '\0';
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "another quartier run (%s) is writing to '%s'; wait until it "
                                 "has finished, or stop it (lock file '%s')",
                                 who[0] ? who : "process unknown", od->target, od->lock);
        }
        /* A finishing run unlinks the lock file while it holds the lock: if ours is no
         * longer the file under that name, start again with the new one. */
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(od->lock, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            char who[160];
            char when[32] = "";
            time_t now = time(NULL);
            struct tm tm;
            if (localtime_r(&now, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
            int len = snprintf(who, sizeof who, "process %ld, started %s\n", (long)getpid(), when);
            if (ftruncate(fd, 0) != 0 || write(fd, who, (size_t)len) != len) {
                close(fd);
                return qtr_error_set(err, QTR_ERR_IO, "cannot write the lock file '%s': %s",
                                     od->lock, strerror(errno));
            }
            od->lock_fd = fd;
            return QTR_OK;
        }
        close(fd);
    }
    return qtr_error_set(err, QTR_ERR_IO, "cannot take the lock '%s': it keeps changing", od->lock);
}

/* Remove staging folders of runs that were killed (we hold the lock, so none is live). */
static int remove_leftovers(struct qtr_ctx *ctx, const struct qtr_outdir *od, struct qtr_error *err)
{
    char *prefix = qtr_asprintf(".%s.staging-", od->name);
    if (!prefix)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    DIR *d = opendir(od->parent);
    int rc = QTR_OK;
    if (!d) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot read folder '%s': %s", od->parent,
                           strerror(errno));
        goto out;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!qtr_starts_with(e->d_name, prefix))
            continue;
        char *p = qtr_asprintf("%s/%s", od->parent, e->d_name);
        if (!p) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            break;
        }
        if (remove_tree(p) != 0) {
            rc = qtr_error_set(err, QTR_ERR_IO,
                               "cannot remove '%s', left by an interrupted run: %s; remove it "
                               "by hand",
                               p, strerror(errno));
            free(p);
            break;
        }
        qtr_warn(ctx, "removed '%s', left by an interrupted run", p);
        free(p);
    }
    closedir(d);
out:
    free(prefix);
    return rc;
}

int qtr_outdir_begin(struct qtr_ctx *ctx, const char *target, struct qtr_outdir **out,
                     struct qtr_error *err)
{
    int rc;
    struct qtr_outdir *od = calloc(1, sizeof *od);
    *out = NULL;
    if (!od)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    od->lock_fd = -1;
    if ((rc = split(target, &od->parent, &od->name, err)))
        goto fail;
    od->target = qtr_strdup(target);
    od->lock = qtr_asprintf("%s/.%s.lock", od->parent, od->name);
    od->staging = qtr_asprintf("%s/.%s.staging-%ld", od->parent, od->name, (long)getpid());
    if (!od->target || !od->lock || !od->staging) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((rc = qtr_mkdir_p(od->parent, err)) || (rc = take_lock(od, err)) ||
        (rc = remove_leftovers(ctx, od, err)))
        goto fail;
    if (mkdir(od->staging, 0777) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create the staging folder '%s': %s",
                           od->staging, strerror(errno));
        goto fail;
    }
    od->created = 1;
    /* the new folder keeps the permissions of the one it replaces (a shared folder stays
     * group-writable) */
    struct stat sb;
    if (stat(target, &sb) == 0 && S_ISDIR(sb.st_mode))
        chmod(od->staging, sb.st_mode & 07777);
    *out = od;
    return QTR_OK;
fail:
    qtr_outdir_free(od);
    return rc;
}

const char *qtr_outdir_staging(const struct qtr_outdir *od)
{
    return od->staging;
}

const char *qtr_outdir_target(const struct qtr_outdir *od)
{
    return od->target;
}

static int write_marker(const char *dir, struct qtr_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, QTR_OUTDIR_MARKER);
    FILE *f = fopen(path, "w");
    static const char text[] =
        "This folder is the output of one quartier run. quartier replaces it as a whole with\n"
        "each run: files put here by hand are refused by the next run, not overwritten.\n";
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        int e = errno;
        if (f)
            fclose(f);
        return qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return QTR_OK;
}

int qtr_outdir_commit(struct qtr_ctx *ctx, struct qtr_outdir *od, struct qtr_error *err)
{
    int rc;
    if ((rc = write_marker(od->staging, err)))
        return rc;
    if (nftw(od->staging, sync_entry, 16, FTW_PHYS) != 0)
        return qtr_error_set(err, QTR_ERR_IO, "cannot write the outputs in '%s' to disk: %s",
                             od->staging, strerror(errno));
    qtr_test_hook("synced");
    struct stat sb;
    int exists = lstat(od->target, &sb) == 0;
    if (exists && !S_ISDIR(sb.st_mode))
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "output folder '%s' became a file during the run; nothing was "
                             "replaced (the new outputs are in '%s')",
                             od->target, od->staging);
    int swapped = 0;
    if (exists) {
        if (renameat2(AT_FDCWD, od->staging, AT_FDCWD, od->target, RENAME_EXCHANGE) == 0) {
            swapped = 1;
        } else if (errno == EINVAL || errno == ENOSYS) {
            /* the file system cannot exchange (some network file systems): two renames, with
             * a moment without the folder; the previous run waits beside it meanwhile */
            char *old =
                qtr_asprintf("%s/.%s.staging-%ld-old", od->parent, od->name, (long)getpid());
            if (!old)
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            if (rename(od->target, old) != 0 || rename(od->staging, od->target) != 0) {
                int e = errno;
                rename(old, od->target);
                free(old);
                return qtr_error_set(err, QTR_ERR_IO, "cannot move the outputs into '%s': %s",
                                     od->target, strerror(e));
            }
            free(od->staging);
            od->staging = old;
            swapped = 1;
        }
    } else if (renameat2(AT_FDCWD, od->staging, AT_FDCWD, od->target, RENAME_NOREPLACE) == 0 ||
               ((errno == EINVAL || errno == ENOSYS) && rename(od->staging, od->target) == 0)) {
        od->created = 0; /* nothing left at the staging name */
        swapped = 1;
    }
    if (!swapped)
        return qtr_error_set(err, QTR_ERR_IO, "cannot move the outputs into '%s': %s", od->target,
                             strerror(errno));
    od->committed = 1;
    if (sync_dir(od->parent) != 0)
        qtr_warn(ctx, "cannot sync folder '%s' to disk: %s", od->parent, strerror(errno));
    qtr_test_hook("swapped");
    /* the staging name now holds the previous run */
    if (od->created && remove_tree(od->staging) != 0)
        qtr_warn(ctx,
                 "the previous outputs could not be removed from '%s' (%s); the next run "
                 "removes them",
                 od->staging, strerror(errno));
    od->created = 0;
    return QTR_OK;
}

void qtr_outdir_free(struct qtr_outdir *od)
{
    if (!od)
        return;
    if (od->created && !od->committed)
        remove_tree(od->staging);
    if (od->lock_fd >= 0) {
        /* unlink while holding the lock: a run waiting on the old file notices (take_lock) */
        unlink(od->lock);
        close(od->lock_fd);
    }
    free(od->target);
    free(od->parent);
    free(od->name);
    free(od->staging);
    free(od->lock);
    free(od);
}
