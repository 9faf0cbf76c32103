/*
 * config_values.c - pass 2 of the analysis-file reader: each key's value, checked and read
 * into struct qtr_config (docs/analysis-file.md lists the keys and their ranges).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"
#include "quartier/csv.h"
#include "quartier/strutil.h"

/* Record the first error of a value (the caller adds FILE:LINE). Returns 0 for
 * `return qtr_cfg_fail()`. */
int qtr_cfg_fail(struct qtr_cfg_state *st, const char *fmt, ...)
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

int qtr_cfg_nomem(struct qtr_cfg_state *st)
{
    qtr_cfg_fail(st, "out of memory");
    st->err->code = QTR_ERR_NOMEM;
    return 0;
}

int qtr_cfg_set_str(struct qtr_cfg_state *st, char **dst, const char *value)
{
    char *v = qtr_strdup(value);
    if (!v)
        return qtr_cfg_nomem(st);
    free(*dst);
    *dst = v;
    return 1;
}

static int parse_double(struct qtr_cfg_state *st, const char *name, const char *value, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(value, &end);
    if (end == value || *end != '\0' || errno || !isfinite(d))
        return qtr_cfg_fail(st, "'%s' must be a number (use a decimal point), not '%s'", name, value);
    *out = d;
    return 1;
}

/* A number >= lo (or > lo when `open`), for keys where a negative value has no meaning. */
int qtr_cfg_parse_min(struct qtr_cfg_state *st, const char *name, const char *value, double lo,
                     int open, const char *what, double *out)
{
    double d = 0.0; /* set by parse_double; initialised for gcc -O2 -Werror */
    if (!parse_double(st, name, value, &d))
        return 0;
    if (open ? !(d > lo) : !(d >= lo))
        return qtr_cfg_fail(st, "'%s' must be %s %g (%s), not '%s'", name, open ? "more than" : "at least",
                    lo, what, value);
    *out = d;
    return 1;
}

int qtr_cfg_parse_uint(struct qtr_cfg_state *st, const char *name, const char *value,
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
        return qtr_cfg_fail(st, "'%s' must be a whole number from %llu to %llu, not '%s'", name, min, max,
                    value);
    *out = v;
    return 1;
}

static int parse_bool(struct qtr_cfg_state *st, const char *name, const char *value, int *out)
{
    if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1") ||
        !strcasecmp(value, "ja"))
        *out = 1;
    else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0") ||
             !strcasecmp(value, "nein"))
        *out = 0;
    else
        return qtr_cfg_fail(st, "'%s' must be yes or no, not '%s'", name, value);
    return 1;
}

/* Parse "a, b, c" into exactly n finite numbers that increase strictly. */
static int parse_list(struct qtr_cfg_state *st, const char *name, const char *value, double *out,
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
            return qtr_cfg_fail(st,
                        "the limits in '%s' must increase strictly from left to right, as in "
                        "'%s', not '%s'",
                        name, n == 3 ? "-1, 1, 1.5" : "-1, 1", value);
    memcpy(out, v, n * sizeof *v);
    return 1;
bad:
    return qtr_cfg_fail(st,
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
int qtr_cfg_parse_date(struct qtr_cfg_state *st, const char *name, const char *value, char **dst)
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
            return qtr_cfg_fail(st, "'%s' must be written YYYY-MM-DD: write '%04d-%02d-%02d' for '%s'",
                        name, y, m, d, v);
        return qtr_cfg_fail(st, "'%s' must be a date written YYYY-MM-DD (e.g. 2022-12-31), not '%s'", name,
                    v);
    }
    int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    int m = (v[5] - '0') * 10 + (v[6] - '0');
    int d = (v[8] - '0') * 10 + (v[9] - '0');
    if (y < 1900 || y > 2200)
        return qtr_cfg_fail(st, "'%s' = %s: the year must be from 1900 to 2200", name, v);
    if (m < 1 || m > 12)
        return qtr_cfg_fail(st, "'%s' = %s is not a date: there is no month %d (write YYYY-MM-DD)", name, v,
                    m);
    if (d < 1 || d > days_in_month(y, m))
        return qtr_cfg_fail(st, "'%s' = %s is not a date: %s %d has %d days (write YYYY-MM-DD)", name, v,
                    months[m - 1], y, days_in_month(y, m));
    return qtr_cfg_set_str(st, dst, v);
}

static int on_analysis(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    unsigned long long u = 0;
    if (!strcmp(name, "title"))
        return qtr_cfg_set_str(st, &c->title, v);
    if (!strcmp(name, "language")) {
        if (strcmp(v, "de") && strcmp(v, "en"))
            return qtr_cfg_fail(st, "language must be 'de' or 'en', not '%s'", v);
        return qtr_cfg_set_str(st, &c->language, v);
    }
    if (!strcmp(name, "output")) {
        char *p = qtr_path_resolve(c->dir, v);
        if (!p)
            return qtr_cfg_nomem(st);
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
                return qtr_cfg_fail(st, "crs '%s' is not an EPSG code; write e.g. EPSG:25832", v);
        }
        return qtr_cfg_set_str(st, &c->crs, v);
    }
    if (!strcmp(name, "min_population"))
        return qtr_cfg_parse_min(st, name, v, 0, 0, "residents", &c->min_population);
    if (!strcmp(name, "small_districts")) {
        if (!strcmp(v, "exclude"))
            c->small_exclude = 1;
        else if (!strcmp(v, "keep"))
            c->small_exclude = 0;
        else
            return qtr_cfg_fail(st, "small_districts must be 'exclude' or 'keep', not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "decomposition")) {
        if (!strcmp(v, "shapley"))
            c->decomposition_three_player = 0;
        else if (!strcmp(v, "shapley_three_player"))
            c->decomposition_three_player = 1;
        else
            return qtr_cfg_fail(st,
                        "decomposition must be 'shapley' (as R segregation) or "
                        "'shapley_three_player', not '%s'",
                        v);
        return 1;
    }
    if (!strcmp(name, "seed")) {
        if (!qtr_cfg_parse_uint(st, name, v, 0, UINT64_MAX, &u))
            return 0;
        c->seed = u;
        return 1;
    }
    if (!strcmp(name, "permutations")) {
        if (!qtr_cfg_parse_uint(st, name, v, 0, 1000000, &u))
            return 0;
        c->permutations = (unsigned)u;
        return 1;
    }
    if (!strcmp(name, "strict"))
        return parse_bool(st, name, v, &c->strict);
    if (!strcmp(name, "null")) {
        int m = qtr_null_model_parse(v);
        if (m < 0)
            return qtr_cfg_fail(st,
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
            return qtr_cfg_fail(st,
                        "centre is 'mean', 'population' or 'X, Y' in metres of the work CRS "
                        "(e.g. the town hall), not '%s'",
                        v);
        c->centre_mode = 1;
        c->centre_x = xy[0];
        c->centre_y = xy[1];
        return 1;
    }
    if (!strcmp(name, "central_radius"))
        return qtr_cfg_parse_min(st, name, v, 0, 1, "metres", &c->central_radius);
    if (!strcmp(name, "min_count")) {
        if (!qtr_cfg_parse_uint(st, name, v, 0, 1000, &u))
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
            return qtr_cfg_fail(st,
                        "suppressed_range must be 'LOW..HIGH' with 0 <= LOW <= HIGH, e.g. "
                        "'1..2', not '%s'",
                        v);
        c->suppressed_low = lo;
        c->suppressed_high = hi;
        return 1;
    }
    return qtr_cfg_fail(st,
                "unknown key '%s' in [analysis] (known: title, language, output, crs, "
                "min_population, small_districts, decomposition, seed, permutations, null, strict, "
                "pysal_compatible, centre, central_radius, min_count, suppressed_range)",
                name);
}


static int on_population(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "total"))
        return qtr_cfg_set_str(st, &c->total, v);
    if (!strcmp(name, "date"))
        return qtr_cfg_parse_date(st, name, v, &c->date);
    if (!strcmp(name, "previous_total"))
        return qtr_cfg_set_str(st, &c->previous_total, v);
    if (!strcmp(name, "previous_date"))
        return qtr_cfg_parse_date(st, name, v, &c->previous_date);
    return qtr_cfg_fail(st,
                "unknown key '%s' in [population] (known: total, date, previous_total, "
                "previous_date)",
                name);
}

static int on_group(struct qtr_cfg_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_group_spec *cur = &st->cfg->groups[st->cur];
    if (!strcmp(name, "column"))
        return qtr_cfg_set_str(st, &cur->column, v);
    if (!strcmp(name, "label"))
        return qtr_cfg_set_str(st, &cur->label, v);
    if (!strcmp(name, "label_en"))
        return qtr_cfg_set_str(st, &cur->label_en, v);
    if (!strcmp(name, "previous"))
        return qtr_cfg_set_str(st, &cur->previous, v);
    if (!strcmp(name, "multigroup"))
        return parse_bool(st, name, v, &cur->multigroup);
    return qtr_cfg_fail(st,
                "unknown key '%s' in [%s] (known: column, label, label_en, previous, "
                "multigroup)",
                name, sec);
}

static int on_indicator(struct qtr_cfg_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_indicator_spec *cur = &st->cfg->indicators[st->cur];
    if (!strcmp(name, "expr"))
        return qtr_cfg_set_str(st, &cur->expr, v);
    if (!strcmp(name, "previous"))
        return qtr_cfg_set_str(st, &cur->previous, v);
    if (!strcmp(name, "change"))
        return qtr_cfg_set_str(st, &cur->change, v);
    if (!strcmp(name, "numerator"))
        return qtr_cfg_set_str(st, &cur->numerator, v);
    if (!strcmp(name, "denominator"))
        return qtr_cfg_set_str(st, &cur->denominator, v);
    if (!strcmp(name, "field")) {
        static const char *fields[] = {"bildung",    "arbeit", "wohnen",    "jugend",
                                       "gesundheit", "kultur", "verwaltung"};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (!strcmp(v, fields[i]))
                return qtr_cfg_set_str(st, &cur->field, v);
        return qtr_cfg_fail(st,
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
            return qtr_cfg_fail(st, "direction must be higher_worse or higher_better, not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "unit"))
        return qtr_cfg_set_str(st, &cur->unit, v);
    if (!strcmp(name, "label"))
        return qtr_cfg_set_str(st, &cur->label, v);
    if (!strcmp(name, "label_en"))
        return qtr_cfg_set_str(st, &cur->label_en, v);
    if (!strcmp(name, "status_weight") || !strcmp(name, "dynamics_weight"))
        return qtr_cfg_parse_min(st, name, v, 0, 0,
                         "a weight; use direction = higher_better to turn an indicator round",
                         name[0] == 's' ? &cur->status_weight : &cur->dynamics_weight);
    if (!strcmp(name, "min_denominator"))
        return qtr_cfg_parse_min(st, name, v, 0, 0, "the smallest denominator shown",
                         &cur->min_denominator);
    if (!strcmp(name, "classification")) {
        if (strcmp(v, "quantile") && strcmp(v, "jenks") && strcmp(v, "sd") && strcmp(v, "equal"))
            return qtr_cfg_fail(st, "classification must be quantile, jenks, sd or equal, not '%s'", v);
        return qtr_cfg_set_str(st, &cur->classification, v);
    }
    if (!strcmp(name, "classes")) {
        unsigned long long u = 0;
        if (!qtr_cfg_parse_uint(st, name, v, 2, 12, &u))
            return 0;
        cur->classes = (int)u;
        return 1;
    }
    return qtr_cfg_fail(st,
                "unknown key '%s' in [%s] (known: expr, previous, change, numerator, "
                "denominator, field, direction, unit, label, label_en, status_weight, "
                "dynamics_weight, min_denominator, classification, classes)",
                name, sec);
}

static int on_renewal(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "method")) {
        if (strcmp(v, "mss") && strcmp(v, "rank"))
            return qtr_cfg_fail(st, "method must be 'mss' or 'rank', not '%s'", v);
        return qtr_cfg_set_str(st, &c->renewal_method, v);
    }
    if (!strcmp(name, "standardise")) {
        if (strcmp(v, "z") && strcmp(v, "z_weighted") && strcmp(v, "percentile"))
            return qtr_cfg_fail(st, "standardise must be z, z_weighted or percentile, not '%s'", v);
        return qtr_cfg_set_str(st, &c->standardise, v);
    }
    if (!strcmp(name, "status_thresholds"))
        return parse_list(st, name, v, c->status_thresholds, 3);
    if (!strcmp(name, "dynamics_thresholds"))
        return parse_list(st, name, v, c->dynamics_thresholds, 2);
    if (!strcmp(name, "years")) {
        double y = 0.0; /* set by parse_double; initialised for gcc -O2 -Werror */
        if (!parse_double(st, name, v, &y))
            return 0;
        if (!(y > 0 && y <= 100))
            return qtr_cfg_fail(st,
                        "'years' must be more than 0 and at most 100 (the years between the "
                        "two reference dates), not '%s'; leave it out to take it from the "
                        "dates",
                        v);
        c->years = y;
        return 1;
    }
    if (!strcmp(name, "attention"))
        return qtr_cfg_set_str(st, &c->attention, v);
    if (!strcmp(name, "exclude"))
        return qtr_cfg_set_str(st, &c->exclude, v);
    if (!strcmp(name, "invalid_column"))
        return qtr_cfg_set_str(st, &c->invalid_column, v);
    if (!strcmp(name, "population"))
        return qtr_cfg_set_str(st, &c->renewal_population, v);
    if (!strcmp(name, "segregation_group"))
        return qtr_cfg_set_str(st, &c->segregation_group, v);
    return qtr_cfg_fail(st,
                "unknown key '%s' in [renewal] (known: method, standardise, "
                "status_thresholds, dynamics_thresholds, years, attention, exclude, "
                "invalid_column, population, segregation_group)",
                name);
}

static int on_target(struct qtr_cfg_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_target_spec *cur = &st->cfg->targets[st->cur];
    unsigned long long u = 0;
    if (!strcmp(name, "indicator"))
        return qtr_cfg_set_str(st, &cur->indicator, v);
    if (!strcmp(name, "value"))
        return parse_double(st, name, v, &cur->value);
    if (!strcmp(name, "year") || !strcmp(name, "baseline_year")) {
        if (!qtr_cfg_parse_uint(st, name, v, 1900, 2200, &u))
            return 0;
        if (!strcmp(name, "year"))
            cur->year = (int)u;
        else
            cur->baseline_year = (int)u;
        return 1;
    }
    if (!strcmp(name, "district"))
        return qtr_cfg_set_str(st, &cur->district, v);
    return qtr_cfg_fail(st,
                "unknown key '%s' in [%s] (known: indicator, value, year, baseline_year, "
                "district)",
                name, sec);
}

/* Append a zeroed element to *arr (n elements of `size` bytes); its index in st->cur. */
static int add_spec(struct qtr_cfg_state *st, void **arr, size_t *n, size_t size, const char *id)
{
    char *a = realloc(*arr, (*n + 1) * size);
    char *idc = qtr_strdup(id);
    if (!a || !idc) {
        if (a)
            *arr = a;
        free(idc);
        return qtr_cfg_nomem(st);
    }
    *arr = a;
    memset(a + *n * size, 0, size);
    /* every spec struct starts with its `char *id` */
    memcpy(a + *n * size, &idc, sizeof idc);
    st->cur = (*n)++;
    return 1;
}

/* A section header (pass 1 checked its kind and ID): create its spec. */
static int open_section(struct qtr_cfg_state *st, const char *sec, unsigned line)
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
        c->tables[st->cur].sliver_area = -1; /* the default */
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

int qtr_cfg_interpret(struct qtr_cfg_state *st, const struct qtr_cfg_entry *e)
{
    const char *sec = e->section, *name = e->name, *v = e->value;
    if (!name)
        return open_section(st, sec, e->line);
    if (!sec[0])
        return qtr_cfg_fail(st,
                    "'%s' stands before any [section]; move it under the section it belongs "
                    "to",
                    name);
    if (!name[0])
        return qtr_cfg_fail(st, "the line has no key before '='");
    if (!v[0] && !strcmp(name, "separator"))
        return qtr_cfg_fail(st, "separator must be semicolon, comma, tab or pipe, not empty (a bare ';' "
                        "starts a comment in INI files: write 'separator = semicolon')");
    if (!v[0])
        return qtr_cfg_fail(st, "'%s' has no value; write one, or delete the line to get the default",
                    name);
    if (!strcmp(sec, "analysis"))
        return on_analysis(st, name, v);
    if (!strcmp(sec, "boundaries"))
        return qtr_cfg_on_boundaries(st, name, v);
    if (!strcmp(sec, "population"))
        return on_population(st, name, v);
    if (!strcmp(sec, "renewal"))
        return on_renewal(st, name, v);
    if (!strcmp(sec, "batch"))
        return qtr_cfg_on_batch(st, name, v);
    if (!strcmp(sec, "report"))
        return qtr_cfg_on_report(st, name, v);
    if (qtr_starts_with(sec, "table "))
        return qtr_cfg_on_table(st, sec, name, v);
    if (qtr_starts_with(sec, "group "))
        return on_group(st, sec, name, v);
    if (qtr_starts_with(sec, "indicator "))
        return on_indicator(st, sec, name, v);
    return on_target(st, sec, name, v); /* pass 1 admitted no other section */
}

int qtr_cfg_prefix_ok(const char *v)
{
    if (strncmp(v, "prefix:", 7))
        return 1; /* a column name */
    char *end;
    errno = 0;
    unsigned long n = strtoul(v + 7, &end, 10);
    return v[7] >= '0' && v[7] <= '9' && !*end && !errno && n >= 1 && n <= 64;
}
