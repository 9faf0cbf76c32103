#include "quartier/config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "quartier/csv.h"
#include "quartier/strutil.h"

/* inih (Debian 55) reads at most INI_MAX_LINE - 1 bytes of a line and would cut a longer one
 * silently; every line is checked against this before parsing. */
#define MAX_LINE 198

struct parse_state {
    struct qtr_config *cfg;
    struct qtr_error *err;
    int failed;
    char last_section[256];
    char last_key[64];
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

/* Record the first error; inih then reports its line number. */
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

/* Store a string value; a repeated key in a row is a continuation line (inih multi-line). */
static int set_str(struct parse_state *st, char **dst, const char *section, const char *name,
                   const char *value)
{
    int continuation =
        *dst && strcmp(st->last_section, section) == 0 && strcmp(st->last_key, name) == 0;
    char *v;
    if (continuation)
        v = qtr_asprintf("%s %s", *dst, value);
    else if (*dst)
        return fail(st, "key '%s' appears twice in [%s]", name, section);
    else
        v = qtr_strdup(value);
    if (!v)
        return fail(st, "out of memory");
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

static int parse_uint(struct parse_state *st, const char *name, const char *value,
                      unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (value[0] == '-')
        return fail(st, "'%s' must be a whole number >= 0, not '%s'", name, value);
    unsigned long long v = strtoull(value, &end, 10);
    if (end == value || *end != '\0' || errno || v > max)
        return fail(st, "'%s' must be a whole number >= 0, not '%s'", name, value);
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

/* Parse "a, b, c" into exactly n numbers. */
static int parse_list(struct parse_state *st, const char *name, const char *value, double *out,
                      size_t n)
{
    const char *p = value;
    for (size_t i = 0; i < n; i++) {
        char *end;
        errno = 0;
        out[i] = strtod(p, &end);
        if (end == p || errno)
            return fail(st, "'%s' must be %zu numbers separated by commas, not '%s'", name, n,
                        value);
        p = end;
        while (*p == ' ')
            p++;
        if (i + 1 < n) {
            if (*p != ',')
                return fail(st, "'%s' must be %zu numbers separated by commas, not '%s'", name, n,
                            value);
            p++;
        }
    }
    if (*p)
        return fail(st, "'%s' must be %zu numbers separated by commas, not '%s'", name, n, value);
    for (size_t i = 1; i < n; i++)
        if (!(out[i] > out[i - 1]))
            return fail(st, "the limits in '%s' must increase: '%s'", name, value);
    return 1;
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

/* Find or append the named subsection entry (e.g. [table bev2022]). */
#define FIND_OR_ADD(arr, count, idname, type)                                                      \
    do {                                                                                           \
        size_t k_;                                                                                 \
        for (k_ = 0; k_ < (count); k_++)                                                           \
            if (strcmp((arr)[k_].id, (idname)) == 0)                                               \
                break;                                                                             \
        if (k_ == (count)) {                                                                       \
            type *a_ = realloc((arr), ((count) + 1) * sizeof *a_);                                 \
            if (!a_)                                                                               \
                return fail(st, "out of memory");                                                  \
            (arr) = a_;                                                                            \
            memset(&(arr)[k_], 0, sizeof(arr)[k_]);                                                \
            (arr)[k_].id = qtr_strdup(idname);                                                     \
            (count)++;                                                                             \
            fresh = 1;                                                                             \
        }                                                                                          \
        cur = &(arr)[k_];                                                                          \
    } while (0)

static int on_analysis(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    unsigned long long u = 0;
    if (!strcmp(name, "title"))
        return set_str(st, &c->title, sec, name, v);
    if (!strcmp(name, "language")) {
        if (strcmp(v, "de") && strcmp(v, "en"))
            return fail(st, "language must be 'de' or 'en', not '%s'", v);
        return set_str(st, &c->language, sec, name, v);
    }
    if (!strcmp(name, "output")) {
        char *p = qtr_path_resolve(c->dir, v);
        free(c->output);
        c->output = p;
        return p ? 1 : fail(st, "out of memory");
    }
    if (!strcmp(name, "crs"))
        return set_str(st, &c->crs, sec, name, v);
    if (!strcmp(name, "min_population"))
        return parse_double(st, name, v, &c->min_population);
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
        if (!parse_uint(st, name, v, UINT64_MAX, &u))
            return 0;
        c->seed = u;
        return 1;
    }
    if (!strcmp(name, "permutations")) {
        if (!parse_uint(st, name, v, 1000000, &u))
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
    if (!strcmp(name, "centre") || !strcmp(name, "center")) {
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
        if (end == v || *end != ',')
            return fail(st,
                        "centre is 'mean', 'population' or 'X, Y' in metres of the work CRS "
                        "(e.g. the town hall), not '%s'",
                        v);
        const char *p2 = end + 1;
        xy[1] = strtod(p2, &end);
        while (*end == ' ')
            end++;
        if (end == p2 || *end)
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
        return parse_double(st, name, v, &c->central_radius);
    if (!strcmp(name, "min_count"))
        return parse_double(st, name, v, &c->min_count);
    if (!strcmp(name, "suppressed_range")) {
        /* "1..2": split at ".." first (strtod would read "1." as a number). */
        const char *dots = strstr(v, "..");
        char lo_s[64];
        char *end;
        if (!dots || (size_t)(dots - v) >= sizeof lo_s)
            return fail(st, "suppressed_range must look like '1..2', not '%s'", v);
        memcpy(lo_s, v, (size_t)(dots - v));
        lo_s[dots - v] = '\0';
        double lo = strtod(lo_s, &end);
        if (end == lo_s || *end)
            return fail(st, "suppressed_range must look like '1..2', not '%s'", v);
        double hi = strtod(dots + 2, &end);
        if (end == dots + 2 || *end || hi < lo || lo < 0)
            return fail(st, "suppressed_range must look like '1..2', not '%s'", v);
        c->suppressed_low = lo;
        c->suppressed_high = hi;
        return 1;
    }
    return fail(
        st,
        "unknown key '%s' in [analysis] (known: title, language, output, crs, "
        "min_population, small_districts, seed, permutations, null, strict, pysal_compatible, "
        "centre, central_radius, min_count, "
        "suppressed_range)",
        name);
}

static int on_boundaries(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "source")) {
        if (c->bnd_source)
            return fail(st, "key 'source' appears twice in [boundaries]");
        c->bnd_source = qtr_path_resolve(c->dir, v);
        return c->bnd_source ? 1 : fail(st, "out of memory");
    }
    if (!strcmp(name, "layer"))
        return set_str(st, &c->bnd_layer, sec, name, v);
    if (!strcmp(name, "key"))
        return set_str(st, &c->bnd_key, sec, name, v);
    if (!strcmp(name, "name"))
        return set_str(st, &c->bnd_name, sec, name, v);
    if (!strcmp(name, "crs"))
        return set_str(st, &c->bnd_crs, sec, name, v);
    if (!strcmp(name, "parent"))
        return set_str(st, &c->bnd_parent, sec, name, v);
    if (!strcmp(name, "attribution"))
        return set_str(st, &c->bnd_attribution, sec, name, v);
    return fail(st,
                "unknown key '%s' in [boundaries] (known: source, layer, key, name, crs, "
                "parent, attribution)",
                name);
}

static int on_table(struct parse_state *st, const char *sec, const char *id, const char *name,
                    const char *v)
{
    struct qtr_config *c = st->cfg;
    struct qtr_table_spec *cur;
    int fresh = 0;
    FIND_OR_ADD(c->tables, c->ntables, id, struct qtr_table_spec);
    (void)fresh;
    unsigned long long u = 0;
    if (!strcmp(name, "source")) {
        if (cur->source)
            return fail(st, "key 'source' appears twice in [%s]", sec);
        cur->source = qtr_path_resolve(c->dir, v);
        return cur->source ? 1 : fail(st, "out of memory");
    }
    if (!strcmp(name, "key"))
        return set_str(st, &cur->key, sec, name, v);
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
        return set_str(st, &cur->sheet, sec, name, v);
    if (!strcmp(name, "header_row")) {
        if (!parse_uint(st, name, v, 100000, &u) || u == 0)
            return st->failed ? 0 : fail(st, "header_row counts from 1, not '%s'", v);
        cur->header_row = (size_t)u;
        return 1;
    }
    if (!strcmp(name, "skip_rows")) {
        if (!parse_uint(st, name, v, 100000, &u))
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
        return set_str(st, &cur->suffix, sec, name, v);
    if (!strcmp(name, "columns"))
        return set_str(st, &cur->columns, sec, name, v);
    if (!strcmp(name, "na_values"))
        return set_str(st, &cur->na_values, sec, name, v);
    if (!strcmp(name, "date"))
        return set_str(st, &cur->date, sec, name, v);
    if (!strcmp(name, "attribution"))
        return set_str(st, &cur->attribution, sec, name, v);
    if (!strcmp(name, "not_counts"))
        return set_str(st, &cur->not_counts, sec, name, v);
    return fail(st,
                "unknown key '%s' in [%s] (known: source, key, join, sheet, header_row, "
                "skip_rows, separator, encoding, decimal, suffix, columns, na_values, date, "
                "attribution, not_counts)",
                name, sec);
}

static int on_population(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "total"))
        return set_str(st, &c->total, sec, name, v);
    if (!strcmp(name, "date"))
        return set_str(st, &c->date, sec, name, v);
    if (!strcmp(name, "previous_total"))
        return set_str(st, &c->previous_total, sec, name, v);
    if (!strcmp(name, "previous_date"))
        return set_str(st, &c->previous_date, sec, name, v);
    return fail(st,
                "unknown key '%s' in [population] (known: total, date, previous_total, "
                "previous_date)",
                name);
}

static int on_group(struct parse_state *st, const char *sec, const char *id, const char *name,
                    const char *v)
{
    struct qtr_config *c = st->cfg;
    struct qtr_group_spec *cur;
    int fresh = 0;
    FIND_OR_ADD(c->groups, c->ngroups, id, struct qtr_group_spec);
    (void)fresh;
    if (!strcmp(name, "column"))
        return set_str(st, &cur->column, sec, name, v);
    if (!strcmp(name, "label"))
        return set_str(st, &cur->label, sec, name, v);
    if (!strcmp(name, "label_en"))
        return set_str(st, &cur->label_en, sec, name, v);
    if (!strcmp(name, "previous"))
        return set_str(st, &cur->previous, sec, name, v);
    if (!strcmp(name, "multigroup"))
        return parse_bool(st, name, v, &cur->multigroup);
    return fail(st,
                "unknown key '%s' in [%s] (known: column, label, label_en, previous, "
                "multigroup)",
                name, sec);
}

static int on_indicator(struct parse_state *st, const char *sec, const char *id, const char *name,
                        const char *v)
{
    struct qtr_config *c = st->cfg;
    struct qtr_indicator_spec *cur;
    int fresh = 0;
    FIND_OR_ADD(c->indicators, c->nindicators, id, struct qtr_indicator_spec);
    if (fresh) {
        cur->higher_worse = 1;
        cur->classes = 5;
    }
    if (!strcmp(name, "expr"))
        return set_str(st, &cur->expr, sec, name, v);
    if (!strcmp(name, "previous"))
        return set_str(st, &cur->previous, sec, name, v);
    if (!strcmp(name, "change"))
        return set_str(st, &cur->change, sec, name, v);
    if (!strcmp(name, "numerator"))
        return set_str(st, &cur->numerator, sec, name, v);
    if (!strcmp(name, "denominator"))
        return set_str(st, &cur->denominator, sec, name, v);
    if (!strcmp(name, "field")) {
        static const char *fields[] = {"bildung",    "arbeit", "wohnen",    "jugend",
                                       "gesundheit", "kultur", "verwaltung"};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (!strcmp(v, fields[i]))
                return set_str(st, &cur->field, sec, name, v);
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
        return set_str(st, &cur->unit, sec, name, v);
    if (!strcmp(name, "label"))
        return set_str(st, &cur->label, sec, name, v);
    if (!strcmp(name, "label_en"))
        return set_str(st, &cur->label_en, sec, name, v);
    if (!strcmp(name, "status_weight"))
        return parse_double(st, name, v, &cur->status_weight);
    if (!strcmp(name, "min_denominator"))
        return parse_double(st, name, v, &cur->min_denominator);
    if (!strcmp(name, "dynamics_weight"))
        return parse_double(st, name, v, &cur->dynamics_weight);
    if (!strcmp(name, "classification")) {
        if (strcmp(v, "quantile") && strcmp(v, "jenks") && strcmp(v, "sd") && strcmp(v, "equal"))
            return fail(st, "classification must be quantile, jenks, sd or equal, not '%s'", v);
        return set_str(st, &cur->classification, sec, name, v);
    }
    if (!strcmp(name, "classes")) {
        unsigned long long u = 0;
        if (!parse_uint(st, name, v, 12, &u) || u < 2)
            return st->failed ? 0 : fail(st, "classes must be 2 to 12, not '%s'", v);
        cur->classes = (int)u;
        return 1;
    }
    return fail(st,
                "unknown key '%s' in [%s] (known: expr, previous, change, numerator, denominator, "
                "field, direction, unit, label, label_en, status_weight, dynamics_weight, "
                "min_denominator, "
                "classification, classes)",
                name, sec);
}

static int on_renewal(struct parse_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    c->has_renewal = 1;
    if (!strcmp(name, "method")) {
        if (strcmp(v, "mss") && strcmp(v, "rank"))
            return fail(st, "method must be 'mss' or 'rank', not '%s'", v);
        return set_str(st, &c->renewal_method, sec, name, v);
    }
    if (!strcmp(name, "standardise") || !strcmp(name, "standardize")) {
        if (strcmp(v, "z") && strcmp(v, "z_weighted") && strcmp(v, "percentile"))
            return fail(st, "standardise must be z, z_weighted or percentile, not '%s'", v);
        return set_str(st, &c->standardise, sec, name, v);
    }
    if (!strcmp(name, "status_thresholds"))
        return parse_list(st, name, v, c->status_thresholds, 3);
    if (!strcmp(name, "dynamics_thresholds"))
        return parse_list(st, name, v, c->dynamics_thresholds, 2);
    if (!strcmp(name, "years"))
        return parse_double(st, name, v, &c->years);
    if (!strcmp(name, "attention"))
        return set_str(st, &c->attention, sec, name, v);
    if (!strcmp(name, "exclude"))
        return set_str(st, &c->exclude, sec, name, v);
    if (!strcmp(name, "invalid_column"))
        return set_str(st, &c->invalid_column, sec, name, v);
    if (!strcmp(name, "population"))
        return set_str(st, &c->renewal_population, sec, name, v);
    if (!strcmp(name, "segregation_group"))
        return set_str(st, &c->segregation_group, sec, name, v);
    return fail(st,
                "unknown key '%s' in [renewal] (known: method, standardise, "
                "status_thresholds, dynamics_thresholds, years, attention, exclude, "
                "invalid_column, population, segregation_group)",
                name);
}

static int on_target(struct parse_state *st, const char *sec, const char *id, const char *name,
                     const char *v)
{
    struct qtr_config *c = st->cfg;
    struct qtr_target_spec *cur;
    int fresh = 0;
    FIND_OR_ADD(c->targets, c->ntargets, id, struct qtr_target_spec);
    if (fresh)
        cur->value = NAN;
    unsigned long long u = 0;
    if (!strcmp(name, "indicator"))
        return set_str(st, &cur->indicator, sec, name, v);
    if (!strcmp(name, "value"))
        return parse_double(st, name, v, &cur->value);
    if (!strcmp(name, "year") || !strcmp(name, "baseline_year")) {
        if (!parse_uint(st, name, v, 2200, &u) || u < 1900)
            return st->failed ? 0 : fail(st, "'%s' must be a year, not '%s'", name, v);
        if (!strcmp(name, "year"))
            cur->year = (int)u;
        else
            cur->baseline_year = (int)u;
        return 1;
    }
    if (!strcmp(name, "district"))
        return set_str(st, &cur->district, sec, name, v);
    return fail(st,
                "unknown key '%s' in [%s] (known: indicator, value, year, baseline_year, "
                "district)",
                name, sec);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    if (st->failed)
        return 1; /* only the first error is reported */
    int ok;
    const char *sp = strchr(section, ' ');
    char kind[32] = "";
    const char *id = NULL;
    if (sp) {
        size_t k = (size_t)(sp - section);
        if (k >= sizeof kind)
            k = sizeof kind - 1;
        memcpy(kind, section, k);
        kind[k] = '\0';
        id = sp + 1;
        while (*id == ' ')
            id++;
    }
    if (id &&
        (!strcmp(kind, "table") || !strcmp(kind, "group") || !strcmp(kind, "indicator") ||
         !strcmp(kind, "target")) &&
        !valid_id(id))
        return fail(st,
                    "the name in [%s] must be lower-case letters, digits and '_', starting "
                    "with a letter",
                    section);
    if (!strcmp(section, "analysis"))
        ok = on_analysis(st, section, name, value);
    else if (!strcmp(section, "boundaries"))
        ok = on_boundaries(st, section, name, value);
    else if (!strcmp(section, "population"))
        ok = on_population(st, section, name, value);
    else if (!strcmp(section, "renewal"))
        ok = on_renewal(st, section, name, value);
    else if (id && !strcmp(kind, "table"))
        ok = on_table(st, section, id, name, value);
    else if (id && !strcmp(kind, "group"))
        ok = on_group(st, section, id, name, value);
    else if (id && !strcmp(kind, "indicator"))
        ok = on_indicator(st, section, id, name, value);
    else if (id && !strcmp(kind, "target"))
        ok = on_target(st, section, id, name, value);
    else if (!section[0])
        ok = fail(st, "'%s' stands before any [section]", name);
    else
        ok = fail(st,
                  "unknown section [%s] (known: [analysis], [boundaries], [table NAME], "
                  "[population], [group ID], [indicator ID], [renewal], [target ID])",
                  section);
    snprintf(st->last_section, sizeof st->last_section, "%s", section);
    snprintf(st->last_key, sizeof st->last_key, "%s", name);
    return ok;
}

static char *dir_of(const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs)
        return NULL;
    char *slash = strrchr(abs, '/');
    if (slash == abs)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    return abs;
}

/* Require the keys that have no default; point at the section that lacks them. */
static int check_required(struct qtr_config *c, struct qtr_error *err)
{
    const char *f = c->path;
    if (!c->bnd_source)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: [boundaries] needs 'source = ' (the district boundary file)", f);
    if (!c->bnd_key)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: [boundaries] needs 'key = ' (the key column of the districts)",
                             f);
    for (size_t i = 0; i < c->ntables; i++) {
        struct qtr_table_spec *t = &c->tables[i];
        if (!t->source)
            return qtr_error_set(err, QTR_ERR_USAGE, "%s: [table %s] needs 'source = '", f, t->id);
        if (!t->key)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "%s: [table %s] needs 'key = ' (its key column, or with join = "
                                 "name its name column)",
                                 f, t->id);
    }
    if (!c->total)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: [population] needs 'total = ' (the column with all residents)",
                             f);
    for (size_t i = 0; i < c->ngroups; i++)
        if (!c->groups[i].column)
            return qtr_error_set(err, QTR_ERR_USAGE, "%s: [group %s] needs 'column = '", f,
                                 c->groups[i].id);
    for (size_t i = 0; i < c->nindicators; i++) {
        if (!c->indicators[i].expr)
            return qtr_error_set(err, QTR_ERR_USAGE, "%s: [indicator %s] needs 'expr = '", f,
                                 c->indicators[i].id);
        if (c->indicators[i].min_denominator > 0 && !c->indicators[i].denominator)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "%s: [indicator %s] has min_denominator but no 'denominator = '",
                                 f, c->indicators[i].id);
    }
    for (size_t i = 0; i < c->ntargets; i++) {
        struct qtr_target_spec *t = &c->targets[i];
        if (!t->indicator || isnan(t->value) || !t->year)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "%s: [target %s] needs 'indicator = ', 'value = ' and 'year = '",
                                 f, t->id);
        size_t k;
        for (k = 0; k < c->nindicators; k++)
            if (!strcmp(c->indicators[k].id, t->indicator))
                break;
        if (k == c->nindicators)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "%s: [target %s] names indicator '%s', which no [indicator] "
                                 "section defines",
                                 f, t->id, t->indicator);
    }
    if ((c->previous_total != NULL) != (c->previous_date != NULL) && !c->previous_total)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "%s: [population] has previous_date but no previous_total", f);
    return QTR_OK;
}

/*
 * Before inih reads the file: reject lines it would truncate, and keys given twice in a
 * section. inih hands a continuation line (indented) to the handler like a repeated key, so
 * only this pass can tell "key twice" from "value continued" and name both lines.
 */
static int prescan(const char *path, struct qtr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open analysis file '%s': %s", path,
                             strerror(errno));
    char line[MAX_LINE + 4];
    char section[128] = "";
    struct {
        char key[64];
        unsigned line;
    } seen[256];
    size_t nseen = 0;
    unsigned lineno = 0;
    int rc = QTR_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len > MAX_LINE && line[len - 1] != '\n') {
            rc = qtr_error_set(err, QTR_ERR_USAGE,
                               "%s:%u: line is longer than %d characters; continue a long value "
                               "on the next line, indented",
                               path, lineno, MAX_LINE);
            break;
        }
        if (line[0] == ' ' || line[0] == '\t')
            continue; /* continuation of the previous value (or blank) */
        char *p = qtr_trim_inplace(line);
        if (!*p || *p == ';' || *p == '#')
            continue;
        if (*p == '[') {
            snprintf(section, sizeof section, "%s", p);
            nseen = 0;
            continue;
        }
        char *eq = strchr(p, '=');
        if (!eq)
            continue; /* inih reports it */
        *eq = '\0';
        qtr_trim_inplace(p);
        for (size_t k = 0; k < nseen; k++)
            if (!strcmp(seen[k].key, p)) {
                rc =
                    qtr_error_set(err, QTR_ERR_USAGE,
                                  "%s:%u: key '%s' appears twice in %s (also on line %u); "
                                  "keep one, or indent a line to continue a value",
                                  path, lineno, p, section[0] ? section : "the file", seen[k].line);
                break;
            }
        if (!rc && nseen < sizeof seen / sizeof seen[0]) {
            snprintf(seen[nseen].key, sizeof seen[nseen].key, "%s", p);
            seen[nseen++].line = lineno;
        }
    }
    fclose(f);
    return rc;
}

int qtr_config_load(const char *path, struct qtr_config *cfg, struct qtr_error *err)
{
    int rc = prescan(path, err);
    if (rc)
        return rc;
    cfg->path = realpath(path, NULL);
    cfg->dir = dir_of(path);
    if (!cfg->path || !cfg->dir)
        return qtr_error_set(err, QTR_ERR_IO, "cannot resolve the path of '%s': %s", path,
                             strerror(errno));
    struct parse_state st = {.cfg = cfg, .err = err};
    int line = ini_parse(path, handler, &st);
    if (line < 0)
        return qtr_error_set(err, QTR_ERR_IO, "cannot open analysis file '%s'", path);
    if (line > 0) {
        if (!st.failed)
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "%s:%d: not a 'key = value' line or a [section]", path, line);
        char msg[QTR_ERROR_MSG_SIZE];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return qtr_error_set(err, QTR_ERR_USAGE, "%s:%d: %s", path, line, msg);
    }
    if (!cfg->output)
        cfg->output = qtr_asprintf("%s/quartier-out", cfg->dir);
    if (!cfg->language)
        cfg->language = qtr_strdup("de");
    return check_required(cfg, err);
}
