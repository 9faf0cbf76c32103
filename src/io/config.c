/*
 * config.c - the analysis file (docs/analysis-file.md).
 *
 * Three passes over the text:
 *  1. inih splits the lines; our own line reader hands them to it one at a time, so it knows
 *     the number of the line inih is looking at, rejects what inih would silently misread
 *     (over-long lines, NUL bytes, section names it would cut), and classifies each line the
 *     way inih does (section header, continuation, key) so that a key given twice can be told
 *     from a value continued on an indented line. The handler only collects the keys with
 *     their lines; repeated sections and keys are errors naming both lines.
 *  2. The collected keys are interpreted in file order; a bad value is an error at its line.
 *  3. Cross-references and required keys are checked on the whole (check_config), again
 *     naming the line of the key or section concerned.
 * The first error by line number is reported. The table of keys and lines stays with the
 * config for qtr_config_line / qtr_config_where.
 */
#include "quartier/config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "quartier/csv.h"
#include "quartier/strutil.h"
#include "quartier/text.h"

/* inih keeps at most this many bytes of a section name (MAX_SECTION 50 in ini.c, with NUL). */
#define INIH_MAX_SECTION 49
/* An analysis file is a few kilobytes; anything this large is the wrong file. */
#define MAX_FILE_SIZE (1024 * 1024)

/* One key (or, with name NULL, one section header) as read from the file. */
struct entry {
    char *section; /* normalised: "analysis", "group mh" */
    char *name;    /* canonical key name; NULL for the section header */
    char *value;   /* continuation lines joined with one blank */
    unsigned line;
};

struct qtr_config_lines {
    struct entry *e;
    size_t n, cap;
};

struct parse_state {
    struct qtr_config *cfg;
    struct qtr_error *err;
    struct qtr_config_lines *lines;
    /* line reader (pass 1) */
    const char *text;
    size_t len, pos;
    unsigned lineno;
    int prev_name;    /* mirrors inih's prev_name: a key was read since the last header */
    int cont;         /* the line just handed to inih continues the previous value */
    unsigned fail_at; /* line of the first error found in pass 1 (0 = none) */
    /* interpretation (pass 2) */
    int failed;
    size_t cur; /* index of the current [table]/[group]/... spec */
};

void qtr_config_init(struct qtr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->min_population = 300;
    cfg->small_exclude = 1;
    cfg->seed = 1;
    cfg->permutations = 999;
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
    free(t->key);
    free(t->sheet);
    free(t->suffix);
    free(t->columns);
    free(t->na_values);
    free(t->date);
    free(t->attribution);
    free(t->not_counts);
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

static void lines_free(struct qtr_config_lines *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->e[i].section);
        free(l->e[i].name);
        free(l->e[i].value);
    }
    free(l->e);
    free(l);
}

void qtr_config_release(struct qtr_config *cfg)
{
    if (!cfg)
        return;
    char **strs[] = {&cfg->path,
                     &cfg->dir,
                     &cfg->title,
                     &cfg->language,
                     &cfg->output,
                     &cfg->crs,
                     &cfg->bnd_source,
                     &cfg->bnd_layer,
                     &cfg->bnd_key,
                     &cfg->bnd_name,
                     &cfg->bnd_crs,
                     &cfg->bnd_parent,
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
                     &cfg->segregation_group};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
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
    lines_free(cfg->lines);
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

/* ---- sections and the table of lines ------------------------------------------------------ */

/* "group  mh" -> "group mh": the kind, one blank, the ID (as the handler reads it). */
static char *normalise_section(const char *s, size_t n)
{
    const char *sp = memchr(s, ' ', n);
    if (!sp)
        return qtr_strndup(s, n);
    const char *id = sp;
    while (id < s + n && *id == ' ')
        id++;
    return qtr_asprintf("%.*s %.*s", (int)(sp - s), s, (int)(s + n - id), id);
}

/* One key spelled two ways: the second spelling is read as the first. */
static const char *canonical_key(const char *name)
{
    if (!strcmp(name, "center"))
        return "centre";
    if (!strcmp(name, "standardize"))
        return "standardise";
    return name;
}

static const struct entry *find_entry(const struct qtr_config_lines *l, const char *section,
                                      const char *name)
{
    if (!l)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct entry *e = &l->e[i];
        if (strcmp(e->section, section))
            continue;
        if (name ? (e->name && !strcmp(e->name, name)) : !e->name)
            return e;
    }
    return NULL;
}

unsigned qtr_config_line(const struct qtr_config *cfg, const char *section, const char *key)
{
    if (!cfg || !cfg->lines || !section)
        return 0;
    char *sec = normalise_section(section, strlen(section));
    if (!sec)
        return 0;
    const struct entry *e = find_entry(cfg->lines, sec, key ? canonical_key(key) : NULL);
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

static int push_entry(struct qtr_config_lines *l, char *section, char *name, char *value,
                      unsigned line)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        struct entry *e = realloc(l->e, cap * sizeof *e);
        if (!e)
            return QTR_ERR_NOMEM;
        l->e = e;
        l->cap = cap;
    }
    l->e[l->n++] = (struct entry){section, name, value, line};
    return QTR_OK;
}

/* ---- pass 1: lines ------------------------------------------------------------------------ */

/* Record the first error of pass 1 (the reader then stops handing lines to inih). */
static void pass1_fail(struct parse_state *st, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void pass1_fail(struct parse_state *st, int code, const char *fmt, ...)
{
    if (st->fail_at)
        return;
    char msg[QTR_ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qtr_error_set(st->err, code, "%s:%u: %s", st->cfg->path, st->lineno, msg);
    st->fail_at = st->lineno;
}

/* isspace() in the C locale, as inih uses it. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int valid_id(const char *id)
{
    if (!id || !*id)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return !(id[0] >= '0' && id[0] <= '9');
}

static const char *const known_sections =
    "[analysis], [boundaries], [table NAME], [population], [group ID], [indicator ID], "
    "[renewal], [target ID]";

/* A section header at the current line: known kind, valid ID, not seen before. */
static void section_header(struct parse_state *st, const char *s, size_t n)
{
    if (n > INIH_MAX_SECTION) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "the section name [%.*s] is longer than %d characters; use a shorter ID", (int)n,
                   s, INIH_MAX_SECTION);
        return;
    }
    char *sec = normalise_section(s, n);
    if (!sec) {
        pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
        return;
    }
    const char *sp = strchr(sec, ' ');
    size_t klen = sp ? (size_t)(sp - sec) : strlen(sec);
    static const char *plain[] = {"analysis", "boundaries", "population", "renewal"};
    static const char *with_id[] = {"table", "group", "indicator", "target"};
    int known = 0, needs_id = 0;
    for (size_t k = 0; k < 4; k++) {
        if (strlen(plain[k]) == klen && !strncmp(sec, plain[k], klen))
            known = 1;
        if (strlen(with_id[k]) == klen && !strncmp(sec, with_id[k], klen))
            known = needs_id = 1;
    }
    if (!known || (sp && !needs_id)) {
        pass1_fail(st, QTR_ERR_USAGE, "unknown section [%s] (known: %s)", sec, known_sections);
        goto out;
    }
    if (needs_id && (!sp || !sp[1])) {
        pass1_fail(st, QTR_ERR_USAGE, "[%s] needs a name after the kind, e.g. [%s %s]", sec, sec,
                   !strcmp(sec, "table") ? "bevoelkerung_2022" : "mh");
        goto out;
    }
    if (needs_id && !valid_id(sp + 1)) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "the name in [%s] must be lower-case letters, digits and '_', starting "
                   "with a letter",
                   sec);
        goto out;
    }
    const struct entry *seen = find_entry(st->lines, sec, NULL);
    if (seen) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "section [%s] appears twice (also on line %u); put all its keys under one "
                   "[%s] header%s",
                   sec, seen->line, sec, needs_id ? ", or give the second one another name" : "");
        goto out;
    }
    if (push_entry(st->lines, sec, NULL, NULL, st->lineno)) {
        pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    sec = NULL;
out:
    free(sec);
}

/*
 * Decide what inih will make of `line` (n bytes, no line end), exactly as ini_parse_stream
 * does (inih 55): blank or comment; a continuation (indented, after a key); a [section]
 * header (up to ']' or an inline ';' comment); else a key line, which the handler sees.
 */
static void classify(struct parse_state *st, const char *line, size_t n)
{
    size_t i = 0, e = n;
    while (i < n && is_space(line[i]))
        i++;
    while (e > i && is_space(line[e - 1]))
        e--;
    st->cont = 0;
    if (i == e || line[i] == ';' || line[i] == '#')
        return;
    if (st->prev_name && i > 0) {
        st->cont = 1;
        return;
    }
    if (line[i] != '[')
        return;
    size_t j = i + 1;
    int was_space = 0;
    while (j < e && line[j] != ']' && !(was_space && line[j] == ';')) {
        was_space = is_space(line[j]);
        j++;
    }
    if (j >= e || line[j] != ']')
        return; /* inih reports the line */
    st->prev_name = 0;
    section_header(st, line + i + 1, j - i - 1);
}

/* inih's fgets: one line of the text per call, checked and classified before inih sees it. */
static char *read_line(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    if (st->fail_at || st->pos >= st->len)
        return NULL;
    const char *s = st->text + st->pos;
    size_t rest = st->len - st->pos;
    const char *nl = memchr(s, '\n', rest);
    size_t n = nl ? (size_t)(nl - s) : rest;
    st->pos += nl ? n + 1 : n;
    st->lineno++;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (st->lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3; /* UTF-8 byte order mark */
        n -= 3;
    }
    size_t bad;
    if (memchr(s, '\0', n)) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "the line contains a NUL byte: the analysis file must be text in UTF-8 (is "
                   "it saved as UTF-16? save it as UTF-8)");
        return NULL;
    }
    if (!qtr_utf8_valid(s, n, &bad)) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "byte %zu of the line is not UTF-8; save the analysis file as UTF-8 (it "
                   "may be in Windows-1252)",
                   bad + 1);
        return NULL;
    }
    /* inih reads at most num - 1 bytes, the line end included, and would cut a longer line
     * silently into two. */
    if (num < 3 || n > (size_t)num - 2) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "line is longer than %d characters; continue a long value on the next "
                   "line, indented",
                   num - 2);
        return NULL;
    }
    memcpy(str, s, n);
    str[n] = '\n';
    str[n + 1] = '\0';
    classify(st, str, n);
    return st->fail_at ? NULL : str;
}

/* inih's handler: collect each key with its line; join continuation lines. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    if (st->fail_at)
        return 1;
    struct qtr_config_lines *l = st->lines;
    if (st->cont) {
        struct entry *e = l->n ? &l->e[l->n - 1] : NULL;
        if (!e || !e->name)
            return 1; /* cannot happen: inih continues only after a key */
        char *v = qtr_asprintf("%s %s", e->value, value);
        if (!v) {
            pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
            return 1;
        }
        free(e->value);
        e->value = v;
        return 1;
    }
    st->prev_name = name[0] != '\0';
    char *sec = normalise_section(section, strlen(section));
    char *nm = qtr_strdup(canonical_key(name));
    char *val = qtr_strdup(value);
    if (!sec || !nm || !val) {
        pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    const struct entry *seen = nm[0] ? find_entry(l, sec, nm) : NULL;
    if (seen) {
        char shown[80] = "";
        if (strcmp(nm, name))
            snprintf(shown, sizeof shown, " (as '%s')", name);
        pass1_fail(st, QTR_ERR_USAGE,
                   "key '%s'%s appears twice in %s%s%s (also on line %u); keep one, or indent "
                   "a line to continue a value",
                   nm, shown, sec[0] ? "[" : "", sec[0] ? sec : "the file", sec[0] ? "]" : "",
                   seen->line);
        goto fail;
    }
    if (push_entry(l, sec, nm, val, st->lineno)) {
        pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    return 1;
fail:
    free(sec);
    free(nm);
    free(val);
    return 1;
}

/* The text of line `lineno` (1-based) of the file, trimmed, for a message. */
static void line_text(const char *text, size_t len, unsigned lineno, char *buf, size_t size)
{
    size_t pos = 0;
    for (unsigned k = 1; k < lineno && pos < len; k++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        pos = nl ? (size_t)(nl - text) + 1 : len;
    }
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - text) - pos : len - pos;
    char *copy = qtr_strndup(text + pos, n);
    if (!copy) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, size, "%s", qtr_trim_inplace(copy));
    free(copy);
}

/* ---- pass 2: values ----------------------------------------------------------------------- */

/* Record the first error of a value (the caller adds FILE:LINE). Returns 0 for `return fail()`. */
static int fail(struct parse_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int fail(struct parse_state *st, const char *fmt, ...)
{
    if (!st->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->err->msg, sizeof st->err->msg, fmt, ap);
        va_end(ap);
        st->err->code = QTR_ERR_USAGE;
        st->failed = 1;
    }
    return 0;
}

static int nomem(struct parse_state *st)
{
    fail(st, "out of memory");
    st->err->code = QTR_ERR_NOMEM;
    return 0;
}

static int set_str(struct parse_state *st, char **dst, const char *value)
{
    char *v = qtr_strdup(value);
    if (!v)
        return nomem(st);
    free(*dst);
    *dst = v;
    return 1;
}

static int parse_double(struct parse_state *st, const char *name, const char *value, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(value, &end);
    if (end == value || *end != '\0' || errno || !isfinite(d))
        return fail(st, "'%s' must be a number (use a decimal point), not '%s'", name, value);
    *out = d;
    return 1;
}

/* A number >= lo (or > lo when `open`), for keys where a negative value has no meaning. */
static int parse_min(struct parse_state *st, const char *name, const char *value, double lo,
                     int open, const char *what, double *out)
{
    double d;
    if (!parse_double(st, name, value, &d))
        return 0;
    if (open ? !(d > lo) : !(d >= lo))
        return fail(st, "'%s' must be %s %g (%s), not '%s'", name, open ? "more than" : "at least",
                    lo, what, value);
    *out = d;
    return 1;
}

static int parse_uint(struct parse_state *st, const char *name, const char *value,
                      unsigned long long min, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = 0;
    int ok = value[0] >= '0' && value[0] <= '9';
    if (ok) {
        v = strtoull(value, &end, 10);
        ok = *end == '\0' && !errno && v >= min && v <= max;
    }
    if (!ok)
        return fail(st, "'%s' must be a whole number from %llu to %llu, not '%s'", name, min, max,
                    value);
    *out = v;
    return 1;
}

static int parse_bool(struct parse_state *st, const char *name, const char *value, int *out)
{
    if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1") ||
        !strcasecmp(value, "ja"))
        *out = 1;
    else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0") ||
             !strcasecmp(value, "nein"))
        *out = 0;
    else
        return fail(st, "'%s' must be yes or no, not '%s'", name, value);
    return 1;
}

/* Parse "a, b, c" into exactly n finite numbers that increase strictly. */
static int parse_list(struct parse_state *st, const char *name, const char *value, double *out,
                      size_t n)
{
    const char *p = value;
    double v[3];
    for (size_t i = 0; i < n; i++) {
        char *end;
        errno = 0;
        v[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(v[i]))
            goto bad;
        p = end;
        while (*p == ' ')
            p++;
        if (i + 1 < n) {
            if (*p != ',')
                goto bad;
            p++;
        }
    }
    if (*p)
        goto bad;
    for (size_t i = 1; i < n; i++)
        if (!(v[i] > v[i - 1]))
            return fail(st,
                        "the limits in '%s' must increase strictly from left to right, as in "
                        "'%s', not '%s'",
                        name, n == 3 ? "-1, 1, 1.5" : "-1, 1", value);
    memcpy(out, v, n * sizeof *v);
    return 1;
bad:
    return fail(st,
                "'%s' must be %zu numbers separated by commas (decimal point), e.g. '%s', "
                "not '%s'",
                name, n, n == 3 ? "-1, 1, 1.5" : "-1, 1", value);
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* A calendar date written YYYY-MM-DD, years 1900-2200. */
static int parse_date(struct parse_state *st, const char *name, const char *value, char **dst)
{
    static const char *months[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
    const char *v = value;
    int shape = strlen(v) == 10 && v[4] == '-' && v[7] == '-';
    for (int i = 0; shape && i < 10; i++)
        if (i != 4 && i != 7 && !(v[i] >= '0' && v[i] <= '9'))
            shape = 0;
    if (!shape) {
        int d, m, y, k = 0;
        if (sscanf(v, "%2d.%2d.%4d%n", &d, &m, &y, &k) == 3 && v[k] == '\0')
            return fail(st, "'%s' must be written YYYY-MM-DD: write '%04d-%02d-%02d' for '%s'",
                        name, y, m, d, v);
        return fail(st, "'%s' must be a date written YYYY-MM-DD (e.g. 2022-12-31), not '%s'", name,
                    v);
    }
    int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    int m = (v[5] - '0') * 10 + (v[6] - '0');
    int d = (v[8] - '0') * 10 + (v[9] - '0');
    if (y < 1900 || y > 2200)
        return fail(st, "'%s' = %s: the year must be from 1900 to 2200", name, v);
    if (m < 1 || m > 12)
        return fail(st, "'%s' = %s is not a date: there is no month %d (write YYYY-MM-DD)", name, v,
                    m);
    if (d < 1 || d > days_in_month(y, m))
        return fail(st, "'%s' = %s is not a date: %s %d has %d days (write YYYY-MM-DD)", name, v,
                    months[m - 1], y, days_in_month(y, m));
    return set_str(st, dst, v);
}

static int year_of(const char *date)
{
    return date ? (int)strtol(date, NULL, 10) : 0;
}

static int on_analysis(struct parse_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    unsigned long long u;
    if (!strcmp(name, "title"))
        return set_str(st, &c->title, v);
    if (!strcmp(name, "language")) {
        if (strcmp(v, "de") && strcmp(v, "en"))
            return fail(st, "language must be 'de' or 'en', not '%s'", v);
        return set_str(st, &c->language, v);
    }
    if (!strcmp(name, "output")) {
        char *p = qtr_path_resolve(c->dir, v);
        if (!p)
            return nomem(st);
        free(c->output);
        c->output = p;
        return 1;
    }
    if (!strcmp(name, "crs")) {
        if (!strncasecmp(v, "EPSG:", 5)) {
            const char *p = v + 5;
            while (*p >= '0' && *p <= '9')
                p++;
            if (p == v + 5 || *p)
                return fail(st, "crs '%s' is not an EPSG code; write e.g. EPSG:25832", v);
        }
        return set_str(st, &c->crs, v);
    }
    if (!strcmp(name, "min_population"))
        return parse_min(st, name, v, 0, 0, "residents", &c->min_population);
    if (!strcmp(name, "small_districts")) {
        if (!strcmp(v, "exclude"))
            c->small_exclude = 1;
        else if (!strcmp(v, "keep"))
            c->small_exclude = 0;
        else
            return fail(st, "small_districts must be 'exclude' or 'keep', not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "seed")) {
        if (!parse_uint(st, name, v, 0, UINT64_MAX, &u))
            return 0;
        c->seed = u;
        return 1;
    }
    if (!strcmp(name, "permutations")) {
        if (!parse_uint(st, name, v, 0, 1000000, &u))
            return 0;
        c->permutations = (unsigned)u;
        return 1;
    }
    if (!strcmp(name, "strict"))
        return parse_bool(st, name, v, &c->strict);
    if (!strcmp(name, "null")) {
        int m = qtr_null_model_parse(v);
        if (m < 0)
            return fail(st,
                        "null must be permutation, evenness, systematic or bootstrap, not "
                        "'%s'",
                        v);
        c->null_model = m;
        return 1;
    }
    if (!strcmp(name, "pysal_compatible"))
        return parse_bool(st, name, v, &c->pysal_compatible);
    if (!strcmp(name, "centre")) {
        if (!strcmp(v, "mean")) {
            c->centre_mode = 0;
            return 1;
        }
        if (!strcmp(v, "population")) {
            c->centre_mode = 2;
            return 1;
        }
        double xy[2];
        char *end;
        xy[0] = strtod(v, &end);
        int ok = end != v && *end == ',' && isfinite(xy[0]);
        if (ok) {
            const char *p2 = end + 1;
            xy[1] = strtod(p2, &end);
            while (*end == ' ')
                end++;
            ok = end != p2 && !*end && isfinite(xy[1]);
        }
        if (!ok)
            return fail(st,
                        "centre is 'mean', 'population' or 'X, Y' in metres of the work CRS "
                        "(e.g. the town hall), not '%s'",
                        v);
        c->centre_mode = 1;
        c->centre_x = xy[0];
        c->centre_y = xy[1];
        return 1;
    }
    if (!strcmp(name, "central_radius"))
        return parse_min(st, name, v, 0, 1, "metres", &c->central_radius);
    if (!strcmp(name, "min_count")) {
        if (!parse_uint(st, name, v, 0, 1000, &u))
            return 0;
        c->min_count = (double)u;
        return 1;
    }
    if (!strcmp(name, "suppressed_range")) {
        /* "1..2": split at ".." first (strtod would read "1." as a number). */
        const char *dots = strstr(v, "..");
        char lo_s[64];
        char *end;
        double lo = NAN, hi = NAN;
        if (dots && (size_t)(dots - v) < sizeof lo_s) {
            memcpy(lo_s, v, (size_t)(dots - v));
            lo_s[dots - v] = '\0';
            lo = strtod(lo_s, &end);
            if (end == lo_s || *end)
                lo = NAN;
            hi = strtod(dots + 2, &end);
            if (end == dots + 2 || *end)
                hi = NAN;
        }
        if (!isfinite(lo) || !isfinite(hi) || lo < 0 || hi < lo)
            return fail(st,
                        "suppressed_range must be 'LOW..HIGH' with 0 <= LOW <= HIGH, e.g. "
                        "'1..2', not '%s'",
                        v);
        c->suppressed_low = lo;
        c->suppressed_high = hi;
        return 1;
    }
    return fail(st,
                "unknown key '%s' in [analysis] (known: title, language, output, crs, "
                "min_population, small_districts, seed, permutations, null, strict, "
                "pysal_compatible, centre, central_radius, min_count, suppressed_range)",
                name);
}

static int on_boundaries(struct parse_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "source")) {
        char *p = qtr_path_resolve(c->dir, v);
        if (!p)
            return nomem(st);
        free(c->bnd_source);
        c->bnd_source = p;
        return 1;
    }
    if (!strcmp(name, "layer"))
        return set_str(st, &c->bnd_layer, v);
    if (!strcmp(name, "key"))
        return set_str(st, &c->bnd_key, v);
    if (!strcmp(name, "name"))
        return set_str(st, &c->bnd_name, v);
    if (!strcmp(name, "crs"))
        return set_str(st, &c->bnd_crs, v);
    if (!strcmp(name, "parent")) {
        if (!strncmp(v, "prefix:", 7)) {
            char *end;
            errno = 0;
            unsigned long n = strtoul(v + 7, &end, 10);
            if (!(v[7] >= '0' && v[7] <= '9') || *end || errno || n < 1 || n > 64)
                return fail(st,
                            "parent = '%s': write prefix:N with N from 1 to 64 (the first N "
                            "characters of the key), or a column name",
                            v);
        }
        return set_str(st, &c->bnd_parent, v);
    }
    if (!strcmp(name, "attribution"))
        return set_str(st, &c->bnd_attribution, v);
    return fail(st,
                "unknown key '%s' in [boundaries] (known: source, layer, key, name, crs, "
                "parent, attribution)",
                name);
}

static int on_table(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    struct qtr_table_spec *cur = &c->tables[st->cur];
    unsigned long long u;
    if (!strcmp(name, "source")) {
        char *p = qtr_path_resolve(c->dir, v);
        if (!p)
            return nomem(st);
        free(cur->source);
        cur->source = p;
        return 1;
    }
    if (!strcmp(name, "key"))
        return set_str(st, &cur->key, v);
    if (!strcmp(name, "join")) {
        if (!strcmp(v, "key"))
            cur->join = QTR_JOIN_KEY;
        else if (!strcmp(v, "name"))
            cur->join = QTR_JOIN_NAME;
        else
            return fail(st, "join must be 'key' or 'name', not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "sheet"))
        return set_str(st, &cur->sheet, v);
    if (!strcmp(name, "header_row")) {
        if (!parse_uint(st, name, v, 1, 100000, &u))
            return 0;
        cur->header_row = (size_t)u;
        return 1;
    }
    if (!strcmp(name, "skip_rows")) {
        if (!parse_uint(st, name, v, 0, 100000, &u))
            return 0;
        cur->skip_rows = (size_t)u;
        return 1;
    }
    if (!strcmp(name, "separator")) {
        if (!strcmp(v, "semicolon") || !strcmp(v, "\";\"") || !strcmp(v, "';'"))
            cur->separator = ';';
        else if (!strcmp(v, "comma") || !strcmp(v, ","))
            cur->separator = ',';
        else if (!strcmp(v, "tab") || !strcmp(v, "\\t"))
            cur->separator = '\t';
        else if (!strcmp(v, "pipe") || !strcmp(v, "|"))
            cur->separator = '|';
        else
            return fail(st,
                        "separator must be semicolon, comma, tab or pipe, not '%s' (a bare "
                        "';' starts a comment in INI files)",
                        v);
        return 1;
    }
    if (!strcmp(name, "encoding")) {
        if (!strcasecmp(v, "utf-8") || !strcasecmp(v, "utf8"))
            cur->encoding = QTR_ENC_UTF8;
        else if (!strcasecmp(v, "cp1252") || !strcasecmp(v, "windows-1252") ||
                 !strcasecmp(v, "latin1") || !strcasecmp(v, "iso-8859-1") ||
                 !strcasecmp(v, "iso-8859-15"))
            cur->encoding = QTR_ENC_CP1252;
        else
            return fail(st, "encoding must be utf-8, cp1252 or latin1, not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "decimal")) {
        if (strcmp(v, ",") && strcmp(v, ".") && strcmp(v, "comma") && strcmp(v, "point"))
            return fail(st, "decimal must be ',' or '.', not '%s'", v);
        cur->decimal = (v[0] == ',' || v[0] == 'c') ? ',' : '.';
        return 1;
    }
    if (!strcmp(name, "suffix"))
        return set_str(st, &cur->suffix, v);
    if (!strcmp(name, "columns"))
        return set_str(st, &cur->columns, v);
    if (!strcmp(name, "na_values"))
        return set_str(st, &cur->na_values, v);
    if (!strcmp(name, "date"))
        return parse_date(st, name, v, &cur->date);
    if (!strcmp(name, "attribution"))
        return set_str(st, &cur->attribution, v);
    if (!strcmp(name, "not_counts"))
        return set_str(st, &cur->not_counts, v);
    return fail(st,
                "unknown key '%s' in [%s] (known: source, key, join, sheet, header_row, "
                "skip_rows, separator, encoding, decimal, suffix, columns, na_values, date, "
                "attribution, not_counts)",
                name, sec);
}

static int on_population(struct parse_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "total"))
        return set_str(st, &c->total, v);
    if (!strcmp(name, "date"))
        return parse_date(st, name, v, &c->date);
    if (!strcmp(name, "previous_total"))
        return set_str(st, &c->previous_total, v);
    if (!strcmp(name, "previous_date"))
        return parse_date(st, name, v, &c->previous_date);
    return fail(st,
                "unknown key '%s' in [population] (known: total, date, previous_total, "
                "previous_date)",
                name);
}

static int on_group(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_group_spec *cur = &st->cfg->groups[st->cur];
    if (!strcmp(name, "column"))
        return set_str(st, &cur->column, v);
    if (!strcmp(name, "label"))
        return set_str(st, &cur->label, v);
    if (!strcmp(name, "label_en"))
        return set_str(st, &cur->label_en, v);
    if (!strcmp(name, "previous"))
        return set_str(st, &cur->previous, v);
    if (!strcmp(name, "multigroup"))
        return parse_bool(st, name, v, &cur->multigroup);
    return fail(st,
                "unknown key '%s' in [%s] (known: column, label, label_en, previous, "
                "multigroup)",
                name, sec);
}

static int on_indicator(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_indicator_spec *cur = &st->cfg->indicators[st->cur];
    if (!strcmp(name, "expr"))
        return set_str(st, &cur->expr, v);
    if (!strcmp(name, "previous"))
        return set_str(st, &cur->previous, v);
    if (!strcmp(name, "change"))
        return set_str(st, &cur->change, v);
    if (!strcmp(name, "numerator"))
        return set_str(st, &cur->numerator, v);
    if (!strcmp(name, "denominator"))
        return set_str(st, &cur->denominator, v);
    if (!strcmp(name, "field")) {
        static const char *fields[] = {"bildung",    "arbeit", "wohnen",    "jugend",
                                       "gesundheit", "kultur", "verwaltung"};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (!strcmp(v, fields[i]))
                return set_str(st, &cur->field, v);
        return fail(st,
                    "field must be one of bildung, arbeit, wohnen, jugend, gesundheit, "
                    "kultur, verwaltung, not '%s'",
                    v);
    }
    if (!strcmp(name, "direction")) {
        if (!strcmp(v, "higher_worse"))
            cur->higher_worse = 1;
        else if (!strcmp(v, "higher_better"))
            cur->higher_worse = 0;
        else
            return fail(st, "direction must be higher_worse or higher_better, not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "unit"))
        return set_str(st, &cur->unit, v);
    if (!strcmp(name, "label"))
        return set_str(st, &cur->label, v);
    if (!strcmp(name, "label_en"))
        return set_str(st, &cur->label_en, v);
    if (!strcmp(name, "status_weight") || !strcmp(name, "dynamics_weight"))
        return parse_min(st, name, v, 0, 0,
                         "a weight; use direction = higher_better to turn an indicator round",
                         name[0] == 's' ? &cur->status_weight : &cur->dynamics_weight);
    if (!strcmp(name, "min_denominator"))
        return parse_min(st, name, v, 0, 0, "the smallest denominator shown",
                         &cur->min_denominator);
    if (!strcmp(name, "classification")) {
        if (strcmp(v, "quantile") && strcmp(v, "jenks") && strcmp(v, "sd") && strcmp(v, "equal"))
            return fail(st, "classification must be quantile, jenks, sd or equal, not '%s'", v);
        return set_str(st, &cur->classification, v);
    }
    if (!strcmp(name, "classes")) {
        unsigned long long u;
        if (!parse_uint(st, name, v, 2, 12, &u))
            return 0;
        cur->classes = (int)u;
        return 1;
    }
    return fail(st,
                "unknown key '%s' in [%s] (known: expr, previous, change, numerator, "
                "denominator, field, direction, unit, label, label_en, status_weight, "
                "dynamics_weight, min_denominator, classification, classes)",
                name, sec);
}

static int on_renewal(struct parse_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "method")) {
        if (strcmp(v, "mss") && strcmp(v, "rank"))
            return fail(st, "method must be 'mss' or 'rank', not '%s'", v);
        return set_str(st, &c->renewal_method, v);
    }
    if (!strcmp(name, "standardise")) {
        if (strcmp(v, "z") && strcmp(v, "z_weighted") && strcmp(v, "percentile"))
            return fail(st, "standardise must be z, z_weighted or percentile, not '%s'", v);
        return set_str(st, &c->standardise, v);
    }
    if (!strcmp(name, "status_thresholds"))
        return parse_list(st, name, v, c->status_thresholds, 3);
    if (!strcmp(name, "dynamics_thresholds"))
        return parse_list(st, name, v, c->dynamics_thresholds, 2);
    if (!strcmp(name, "years")) {
        double y;
        if (!parse_double(st, name, v, &y))
            return 0;
        if (!(y > 0 && y <= 100))
            return fail(st,
                        "'years' must be more than 0 and at most 100 (the years between the "
                        "two reference dates), not '%s'; leave it out to take it from the "
                        "dates",
                        v);
        c->years = y;
        return 1;
    }
    if (!strcmp(name, "attention"))
        return set_str(st, &c->attention, v);
    if (!strcmp(name, "exclude"))
        return set_str(st, &c->exclude, v);
    if (!strcmp(name, "invalid_column"))
        return set_str(st, &c->invalid_column, v);
    if (!strcmp(name, "population"))
        return set_str(st, &c->renewal_population, v);
    if (!strcmp(name, "segregation_group"))
        return set_str(st, &c->segregation_group, v);
    return fail(st,
                "unknown key '%s' in [renewal] (known: method, standardise, "
                "status_thresholds, dynamics_thresholds, years, attention, exclude, "
                "invalid_column, population, segregation_group)",
                name);
}

static int on_target(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_target_spec *cur = &st->cfg->targets[st->cur];
    unsigned long long u;
    if (!strcmp(name, "indicator"))
        return set_str(st, &cur->indicator, v);
    if (!strcmp(name, "value"))
        return parse_double(st, name, v, &cur->value);
    if (!strcmp(name, "year") || !strcmp(name, "baseline_year")) {
        if (!parse_uint(st, name, v, 1900, 2200, &u))
            return 0;
        if (!strcmp(name, "year"))
            cur->year = (int)u;
        else
            cur->baseline_year = (int)u;
        return 1;
    }
    if (!strcmp(name, "district"))
        return set_str(st, &cur->district, v);
    return fail(st,
                "unknown key '%s' in [%s] (known: indicator, value, year, baseline_year, "
                "district)",
                name, sec);
}

/* Append a zeroed element to *arr (n elements of `size` bytes); its index in st->cur. */
static int add_spec(struct parse_state *st, void **arr, size_t *n, size_t size, const char *id)
{
    char *a = realloc(*arr, (*n + 1) * size);
    char *idc = qtr_strdup(id);
    if (!a || !idc) {
        if (a)
            *arr = a;
        free(idc);
        return nomem(st);
    }
    *arr = a;
    memset(a + *n * size, 0, size);
    /* every spec struct starts with its `char *id` */
    memcpy(a + *n * size, &idc, sizeof idc);
    st->cur = (*n)++;
    return 1;
}

/* A section header (pass 1 checked its kind and ID): create its spec. */
static int open_section(struct parse_state *st, const char *sec, unsigned line)
{
    struct qtr_config *c = st->cfg;
    const char *id = strchr(sec, ' ');
    id = id ? id + 1 : "";
    if (!strcmp(sec, "renewal"))
        c->has_renewal = 1;
    if (qtr_starts_with(sec, "table ")) {
        if (!add_spec(st, (void **)&c->tables, &c->ntables, sizeof *c->tables, id))
            return 0;
        c->tables[st->cur].line = line;
    } else if (qtr_starts_with(sec, "group ")) {
        return add_spec(st, (void **)&c->groups, &c->ngroups, sizeof *c->groups, id);
    } else if (qtr_starts_with(sec, "indicator ")) {
        if (!add_spec(st, (void **)&c->indicators, &c->nindicators, sizeof *c->indicators, id))
            return 0;
        c->indicators[st->cur].higher_worse = 1;
        c->indicators[st->cur].classes = 5;
    } else if (qtr_starts_with(sec, "target ")) {
        if (!add_spec(st, (void **)&c->targets, &c->ntargets, sizeof *c->targets, id))
            return 0;
        c->targets[st->cur].value = NAN;
    }
    return 1;
}

static int interpret(struct parse_state *st, const struct entry *e)
{
    const char *sec = e->section, *name = e->name, *v = e->value;
    if (!name)
        return open_section(st, sec, e->line);
    if (!sec[0])
        return fail(st,
                    "'%s' stands before any [section]; move it under the section it belongs "
                    "to",
                    name);
    if (!name[0])
        return fail(st, "the line has no key before '='");
    if (!v[0] && !strcmp(name, "separator"))
        return fail(st, "separator must be semicolon, comma, tab or pipe, not empty (a bare ';' "
                        "starts a comment in INI files: write 'separator = semicolon')");
    if (!v[0])
        return fail(st, "'%s' has no value; write one, or delete the line to get the default",
                    name);
    if (!strcmp(sec, "analysis"))
        return on_analysis(st, name, v);
    if (!strcmp(sec, "boundaries"))
        return on_boundaries(st, name, v);
    if (!strcmp(sec, "population"))
        return on_population(st, name, v);
    if (!strcmp(sec, "renewal"))
        return on_renewal(st, name, v);
    if (qtr_starts_with(sec, "table "))
        return on_table(st, sec, name, v);
    if (qtr_starts_with(sec, "group "))
        return on_group(st, sec, name, v);
    if (qtr_starts_with(sec, "indicator "))
        return on_indicator(st, sec, name, v);
    return on_target(st, sec, name, v); /* pass 1 admitted no other section */
}

/* ---- pass 3: the whole -------------------------------------------------------------------- */

/* Set err to "WHERE: message", WHERE being FILE:LINE of section/key (see qtr_config_where). */
static int at(const struct qtr_config *c, const char *section, const char *key,
              struct qtr_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static int at(const struct qtr_config *c, const char *section, const char *key,
              struct qtr_error *err, const char *fmt, ...)
{
    char where[1024], msg[QTR_ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    qtr_config_where(c, section, key, where, sizeof where);
    return qtr_error_set(err, QTR_ERR_USAGE, "%s: %s", where, msg);
}

static int check_population(const struct qtr_config *c, struct qtr_error *err)
{
    if (!c->total)
        return at(c, "population", NULL, err,
                  "[population] needs 'total = ' (the column with all residents)");
    if (c->previous_date && !c->previous_total)
        return at(c, "population", "previous_date", err,
                  "[population] has previous_date but no previous_total (the column with all "
                  "residents at that date)");
    if (c->previous_date && !c->date)
        return at(c, "population", "previous_date", err,
                  "[population] has previous_date but no 'date = ' (the current reference date, "
                  "YYYY-MM-DD)");
    if (c->previous_date && c->date && strcmp(c->previous_date, c->date) >= 0)
        return at(c, "population", "previous_date", err,
                  "previous_date %s is not before date %s; the previous reference date must be "
                  "the earlier one",
                  c->previous_date, c->date);
    return QTR_OK;
}

static int check_groups(const struct qtr_config *c, struct qtr_error *err)
{
    char sec[96];
    size_t nmulti = 0, last_multi = 0;
    for (size_t i = 0; i < c->ngroups; i++) {
        const struct qtr_group_spec *g = &c->groups[i];
        snprintf(sec, sizeof sec, "group %s", g->id);
        if (!g->column)
            return at(c, sec, NULL, err,
                      "[%s] needs 'column = ' (the column with the group's residents)", sec);
        if (g->previous && !c->previous_total)
            return at(c, sec, "previous", err,
                      "[%s] has 'previous =' but [population] has no previous_total; give the "
                      "total at the previous date too, or remove 'previous ='",
                      sec);
        if (g->multigroup) {
            nmulti++;
            last_multi = i;
        }
    }
    if (nmulti == 1) {
        snprintf(sec, sizeof sec, "group %s", c->groups[last_multi].id);
        return at(c, sec, "multigroup", err,
                  "[%s] is the only group with multigroup = yes; the multigroup indices need at "
                  "least two mutually exclusive groups: mark the others too, or set "
                  "multigroup = no",
                  sec);
    }
    return QTR_OK;
}

/* "a, b, c" of the IDs of groups or indicators, for a message. */
static void id_list(const void *arr, size_t n, size_t size, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 1 < cap; i++) {
        const char *id;
        memcpy(&id, (const char *)arr + i * size, sizeof id);
        int w = snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", id);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    if (n == 0)
        snprintf(buf, cap, "none");
}

static int check_indicators(const struct qtr_config *c, struct qtr_error *err)
{
    char sec[96];
    size_t nstatus = 0, ndyn = 0;
    for (size_t i = 0; i < c->nindicators; i++) {
        const struct qtr_indicator_spec *s = &c->indicators[i];
        snprintf(sec, sizeof sec, "indicator %s", s->id);
        if (!s->expr)
            return at(c, sec, NULL, err, "[%s] needs 'expr = ' (its SQL expression)", sec);
        if (s->min_denominator > 0 && !s->denominator)
            return at(c, sec, "min_denominator", err,
                      "[%s] has min_denominator but no 'denominator = ' to compare it with", sec);
        if (s->dynamics_weight > 0 && !s->previous && !s->change)
            return at(c, sec, "dynamics_weight", err,
                      "[%s] has a dynamics_weight but neither 'previous =' nor 'change =': its "
                      "change cannot be computed; add one or set dynamics_weight = 0",
                      sec);
        nstatus += s->status_weight > 0;
        ndyn += s->dynamics_weight > 0;
    }
    if (ndyn > 0 && nstatus == 0) {
        for (size_t i = 0; i < c->nindicators; i++)
            if (c->indicators[i].dynamics_weight > 0) {
                snprintf(sec, sizeof sec, "indicator %s", c->indicators[i].id);
                break;
            }
        return at(c, sec, "dynamics_weight", err,
                  "no [indicator] has a status_weight, so there is no status index for the "
                  "dynamics to go with; give the status indicators a status_weight");
    }
    if (c->has_renewal && nstatus == 0)
        return at(c, "renewal", NULL, err,
                  "[renewal] is given, but no [indicator] has a status_weight; give the status "
                  "indicators a status_weight, or remove [renewal]");
    if (c->renewal_method && !strcmp(c->renewal_method, "rank") && ndyn == 0)
        return at(c, "renewal", "method", err,
                  "method = rank needs dynamics indicators: give at least one [indicator] a "
                  "dynamics_weight");
    if (c->segregation_group) {
        size_t k = 0;
        while (k < c->ngroups && strcmp(c->groups[k].id, c->segregation_group))
            k++;
        if (k == c->ngroups) {
            char ids[512];
            id_list(c->groups, c->ngroups, sizeof *c->groups, ids, sizeof ids);
            return at(c, "renewal", "segregation_group", err,
                      "segregation_group = %s names no [group]; write the ID of one of the "
                      "groups (%s)",
                      c->segregation_group, ids);
        }
    }
    return QTR_OK;
}

static int check_targets(const struct qtr_config *c, struct qtr_error *err)
{
    char sec[96];
    int now = year_of(c->date), before = year_of(c->previous_date);
    for (size_t i = 0; i < c->ntargets; i++) {
        const struct qtr_target_spec *t = &c->targets[i];
        snprintf(sec, sizeof sec, "target %s", t->id);
        if (!t->indicator || isnan(t->value) || !t->year)
            return at(c, sec, NULL, err, "[%s] needs 'indicator = ', 'value = ' and 'year = '",
                      sec);
        size_t k = 0;
        while (k < c->nindicators && strcmp(c->indicators[k].id, t->indicator))
            k++;
        if (k == c->nindicators) {
            char ids[512];
            id_list(c->indicators, c->nindicators, sizeof *c->indicators, ids, sizeof ids);
            return at(c, sec, "indicator", err,
                      "[%s] names indicator '%s', which no [indicator] section defines "
                      "(defined: %s)",
                      sec, t->indicator, ids);
        }
        if (!c->date)
            return at(c, sec, NULL, err,
                      "[%s]: targets need the reference date; set 'date = YYYY-MM-DD' in "
                      "[population]",
                      sec);
        int from_now = t->baseline_year && t->baseline_year == now;
        if (t->baseline_year && !from_now && t->baseline_year != before)
            return at(c, sec, "baseline_year", err,
                      "baseline_year = %d is neither the year of 'date' (%d) nor of "
                      "'previous_date'%s in [population]; quartier has values only for those",
                      t->baseline_year, now, before ? "" : " (not given)");
        if (!from_now && (!before || !c->indicators[k].previous))
            return at(c, sec, t->baseline_year ? "baseline_year" : "indicator", err,
                      "[%s] needs a baseline: indicator '%s' needs 'previous =' and "
                      "[population] 'previous_date ='%s",
                      sec, t->indicator, now ? ", or set baseline_year to the year of 'date'" : "");
        int base = from_now ? now : before;
        if (t->year <= base)
            return at(c, sec, "year", err,
                      "year = %d is not after the baseline year %d; a target lies in the future "
                      "of its baseline",
                      t->year, base);
    }
    return QTR_OK;
}

/* Required keys and references between sections, each error at the line concerned. */
static int check_config(const struct qtr_config *c, struct qtr_error *err)
{
    char sec[96];
    int rc;
    if (!c->bnd_source)
        return at(c, "boundaries", NULL, err,
                  "[boundaries] needs 'source = ' (the district boundary file)");
    if (!c->bnd_key)
        return at(c, "boundaries", NULL, err,
                  "[boundaries] needs 'key = ' (the key column of the districts)");
    for (size_t i = 0; i < c->ntables; i++) {
        const struct qtr_table_spec *t = &c->tables[i];
        snprintf(sec, sizeof sec, "table %s", t->id);
        if (!t->source)
            return at(c, sec, NULL, err, "[%s] needs 'source = ' (the table file)", sec);
        if (!t->key)
            return at(c, sec, NULL, err,
                      "[%s] needs 'key = ' (its key column, or with join = name its name column)",
                      sec);
        if (t->join == QTR_JOIN_NAME && !c->bnd_name)
            return at(c, sec, "join", err,
                      "[%s] joins by name, but [boundaries] has no 'name = ' column; add it", sec);
    }
    if ((rc = check_population(c, err)) || (rc = check_groups(c, err)) ||
        (rc = check_indicators(c, err)) || (rc = check_targets(c, err)))
        return rc;
    return QTR_OK;
}

/* ---- loading ------------------------------------------------------------------------------ */

static int parse_text(const char *text, size_t len, struct qtr_config *cfg, struct qtr_error *err)
{
    struct parse_state st = {.cfg = cfg, .err = err, .text = text, .len = len};
    cfg->lines = calloc(1, sizeof *cfg->lines);
    if (!cfg->lines)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    st.lines = cfg->lines;

    /* pass 1 */
    int bad = ini_parse_stream(read_line, &st, handler, &st);
    if (bad < 0 && !st.fail_at)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory reading '%s'", cfg->path);
    unsigned first = st.fail_at;
    if (bad > 0 && (!first || (unsigned)bad < first)) {
        char text_of[96];
        line_text(text, len, (unsigned)bad, text_of, sizeof text_of);
        qtr_error_set(err, QTR_ERR_USAGE,
                      "%s:%d: '%s' is neither 'key = value', a [section] nor a comment; indent "
                      "it to continue the value above, or start it with '#' to make it a comment",
                      cfg->path, bad, text_of);
        first = (unsigned)bad;
    }
    struct qtr_error pass1 = *err;

    /* pass 2, up to the first error of pass 1 */
    for (size_t i = 0; i < st.lines->n; i++) {
        const struct entry *e = &st.lines->e[i];
        if (first && e->line >= first)
            break;
        if (!interpret(&st, e)) {
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
    return check_config(cfg, err);
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
