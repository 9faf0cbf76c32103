/*
 * config.c - the analysis file (docs/analysis-file.md): loading, defaults, the line lookup.
 *
 * Three passes over the text (config_internal.h):
 *  1. config_parse.c collects sections and keys with their lines; a section or key given
 *     twice is an error naming both lines.
 *  2. config_values.c interprets the keys in file order; a bad value is an error at its line.
 *  3. config_check.c checks required keys and references on the whole, again naming the line
 *     of the key or section concerned.
 * The first error by line number is reported. The table of keys and lines stays with the
 * config for qtr_config_line / qtr_config_where.
 */
#include "quartier/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_internal.h"
#include "quartier/pg.h"
#include "quartier/strutil.h"

/* An analysis file is a few kilobytes; anything this large is the wrong file. */
#define MAX_FILE_SIZE (1024 * 1024)

void qtr_config_init(struct qtr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->min_population = 300;
    cfg->small_exclude = 1;
    cfg->seed = 1;
    cfg->permutations = 999;
    cfg->report_full_detail = 30000;
    cfg->report_extremes = 20;
    cfg->min_count = 3;
    cfg->suppressed_low = 1;
    cfg->suppressed_high = 2;
    cfg->status_thresholds[0] = -1;
    cfg->status_thresholds[1] = 1;
    cfg->status_thresholds[2] = 1.5;
    cfg->dynamics_thresholds[0] = -1;
    cfg->dynamics_thresholds[1] = 1;
}

static void free_table_spec(struct qtr_table_spec *t)
{
    free(t->id);
    free(t->source);
    free(t->conn);
    free(t->layer);
    free(t->sql);
    free(t->key);
    free(t->sheet);
    free(t->suffix);
    free(t->columns);
    free(t->na_values);
    free(t->date);
    free(t->attribution);
    free(t->not_counts);
    free(t->bnd_source);
    free(t->bnd_conn);
    free(t->bnd_key);
    free(t->bnd_layer);
    free(t->bnd_sql);
    free(t->carry_weights);
    free(t->carry_density);
    free(t->carry_corr);
}

static void free_group_spec(struct qtr_group_spec *g)
{
    free(g->id);
    free(g->column);
    free(g->label);
    free(g->label_en);
    free(g->previous);
}

static void free_indicator_spec(struct qtr_indicator_spec *s)
{
    free(s->id);
    free(s->expr);
    free(s->previous);
    free(s->change);
    free(s->numerator);
    free(s->denominator);
    free(s->field);
    free(s->unit);
    free(s->label);
    free(s->label_en);
    free(s->classification);
}

void qtr_config_release(struct qtr_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->nindex_only; i++)
        free(cfg->index_only[i]);
    for (size_t i = 0; i < cfg->nindex_skip; i++)
        free(cfg->index_skip[i]);
    free(cfg->index_only);
    free(cfg->index_skip);
    char **strs[] = {&cfg->path,
                     &cfg->dir,
                     &cfg->title,
                     &cfg->language,
                     &cfg->output,
                     &cfg->crs,
                     &cfg->bnd_source,
                     &cfg->bnd_conn,
                     &cfg->bnd_sql,
                     &cfg->bnd_layer,
                     &cfg->bnd_key,
                     &cfg->bnd_name,
                     &cfg->bnd_crs,
                     &cfg->bnd_parent,
                     &cfg->bnd_parent_label,
                     &cfg->bnd_parent_label_en,
                     &cfg->bnd_parent_name,
                     &cfg->bnd_parent_names,
                     &cfg->bnd_parent_names_key,
                     &cfg->bnd_parent_names_name,
                     &cfg->bnd_attribution,
                     &cfg->total,
                     &cfg->date,
                     &cfg->previous_total,
                     &cfg->previous_date,
                     &cfg->renewal_method,
                     &cfg->standardise,
                     &cfg->attention,
                     &cfg->exclude,
                     &cfg->invalid_column,
                     &cfg->renewal_population,
                     &cfg->segregation_group,
                     &cfg->batch_by,
                     &cfg->batch_name,
                     &cfg->region,
                     &cfg->region_schema};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    for (size_t i = 0; i < cfg->nbnd_merges; i++) {
        free(cfg->bnd_merges[i].name);
        for (size_t k = 0; k < cfg->bnd_merges[i].nmembers; k++)
            free(cfg->bnd_merges[i].members[k]);
        free(cfg->bnd_merges[i].members);
    }
    free(cfg->bnd_merges);
    for (size_t i = 0; i < cfg->ntables; i++)
        free_table_spec(&cfg->tables[i]);
    free(cfg->tables);
    for (size_t i = 0; i < cfg->ngroups; i++)
        free_group_spec(&cfg->groups[i]);
    free(cfg->groups);
    for (size_t i = 0; i < cfg->nindicators; i++)
        free_indicator_spec(&cfg->indicators[i]);
    free(cfg->indicators);
    for (size_t i = 0; i < cfg->ntargets; i++) {
        free(cfg->targets[i].id);
        free(cfg->targets[i].indicator);
        free(cfg->targets[i].district);
    }
    free(cfg->targets);
    qtr_cfg_lines_free(cfg->lines);
    qtr_config_init(cfg);
}

int qtr_null_model_parse(const char *name)
{
    static const char *names[] = {"permutation", "evenness", "systematic", "bootstrap"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, names[k]))
            return k;
    return -1;
}

char *qtr_path_resolve(const char *dir, const char *path)
{
    if (!path)
        return NULL;
    if (qtr_starts_with(path, "PG:"))
        return qtr_strdup(path);
    char *p =
        (path[0] == '/' || !dir || !dir[0]) ? qtr_strdup(path) : qtr_asprintf("%s/%s", dir, path);
    return qtr_path_normalize(p);
}

int qtr_config_set_source(const char *dir, const char *value, char **shown, char **conn)
{
    char *s = qtr_is_pg(value) ? qtr_pg_redact(value) : qtr_path_resolve(dir, value);
    char *c = qtr_is_pg(value) ? qtr_strdup(value) : NULL;
    if (!s || (qtr_is_pg(value) && !c)) {
        free(s);
        free(c);
        return QTR_ERR_NOMEM;
    }
    free(*shown);
    free(*conn);
    *shown = s;
    *conn = c;
    return QTR_OK;
}

unsigned qtr_config_line(const struct qtr_config *cfg, const char *section, const char *key)
{
    if (!cfg || !cfg->lines || !section)
        return 0;
    char *sec = qtr_cfg_normalise_section(section, strlen(section));
    if (!sec)
        return 0;
    const struct qtr_cfg_entry *e =
        qtr_cfg_find(cfg->lines, sec, key ? qtr_cfg_canonical_key(key) : NULL);
    free(sec);
    return e ? e->line : 0;
}

const char *qtr_config_where(const struct qtr_config *cfg, const char *section, const char *key,
                             char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    const char *file = cfg && cfg->path ? cfg->path : "the command line";
    unsigned line = qtr_config_line(cfg, section, key);
    if (!line && key)
        line = qtr_config_line(cfg, section, NULL);
    if (line && cfg->path)
        snprintf(buf, size, "%s:%u", file, line);
    else
        snprintf(buf, size, "%s", file);
    return buf;
}

const char *qtr_config_what(const struct qtr_config *cfg, const char *section, const char *key,
                            const char *what, char *buf, size_t size)
{
    char where[1024];
    if (!buf || size == 0)
        return "";
    qtr_config_where(cfg, section, key, where, sizeof where);
    snprintf(buf, size, "%s: %s", where, what);
    return buf;
}

/* ---- loading ------------------------------------------------------------------------------ */

static int parse_text(const char *text, size_t len, struct qtr_config *cfg, struct qtr_error *err)
{
    struct qtr_cfg_state st = {.cfg = cfg, .err = err, .text = text, .len = len};
    cfg->lines = calloc(1, sizeof *cfg->lines);
    if (!cfg->lines)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st.lines = cfg->lines;

    unsigned first = qtr_cfg_split(&st);
    struct qtr_error pass1 = *err;

    /* pass 2, up to the first error of pass 1 */
    for (size_t i = 0; i < st.lines->n; i++) {
        const struct qtr_cfg_entry *e = &st.lines->e[i];
        if (first && e->line >= first)
            break;
        if (!qtr_cfg_interpret(&st, e)) {
            qtr_error_prefix(err, "%s:%u", cfg->path, e->line);
            return err->code;
        }
    }
    if (first) {
        *err = pass1;
        return err->code;
    }
    if (!cfg->output)
        cfg->output = qtr_asprintf("%s/quartier-out", cfg->dir);
    if (!cfg->language)
        cfg->language = qtr_strdup("de");
    if (!cfg->output || !cfg->language)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return qtr_cfg_check(cfg, err);
}

static char *dir_of(const char *abs)
{
    char *d = qtr_strdup(abs);
    if (!d)
        return NULL;
    char *slash = strrchr(d, '/');
    if (slash == d)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        d[0] = '\0';
    return d;
}

int qtr_config_load_text(const char *text, size_t len, const char *path, struct qtr_config *cfg,
                         struct qtr_error *err)
{
    if (!path || !path[0])
        return qtr_error_set(err, QTR_ERR_USAGE, "the analysis file needs a name");
    if (len > MAX_FILE_SIZE)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: an analysis file of %zu bytes is larger than %d; is it the "
                             "right file?",
                             path, len, MAX_FILE_SIZE);
    if (path[0] == '/') {
        cfg->path = qtr_strdup(path);
    } else {
        char cwd[PATH_MAX];
        cfg->path = getcwd(cwd, sizeof cwd) ? qtr_path_resolve(cwd, path) : qtr_strdup(path);
    }
    cfg->dir = cfg->path ? dir_of(cfg->path) : NULL;
    if (!cfg->path || !cfg->dir)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    return parse_text(text ? text : "", text ? len : 0, cfg, err);
}

int qtr_config_load(const char *path, struct qtr_config *cfg, struct qtr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open analysis file '%s': %s", path,
                             strerror(errno));
    struct qtr_buf data = {0};
    char chunk[8192];
    size_t n;
    int rc = QTR_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && data.len <= MAX_FILE_SIZE)
        if (qtr_buf_append(&data, chunk, n)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", path);
            goto out;
        }
    if (ferror(f)) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot read analysis file '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    char *abs = realpath(path, NULL);
    if (!abs) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot resolve the path of '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    rc = qtr_config_load_text(data.data, data.len, abs, cfg, err);
    free(abs);
out:
    qtr_buf_release(&data);
    fclose(f);
    return rc;
}
