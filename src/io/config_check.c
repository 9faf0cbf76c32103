/*
 * config_check.c - pass 3 of the analysis-file reader: required keys and references between
 * sections, each error naming the line of the key or section concerned.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

static int year_of(const char *date)
{
    return date ? (int)strtol(date, NULL, 10) : 0;
}

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

/* A table on its own district layout (boundaries =, boundaries_key =, carry =). */
static int check_table_layout(const struct qtr_config *c, const struct qtr_table_spec *t,
                              const char *sec, struct qtr_error *err)
{
    int corr = t->carry == QTR_TABLE_CARRY_CORRESPONDENCE;
    if (t->bnd_source && !t->bnd_key)
        return at(c, sec, "boundaries", err,
                  "[%s] names its own boundaries but no 'boundaries_key = ' (the column of "
                  "those boundaries that holds the keys of the table's key column)",
                  sec);
    if (!t->bnd_source && (t->bnd_key || t->bnd_layer || t->bnd_sql)) {
        const char *k = t->bnd_key     ? "boundaries_key"
                        : t->bnd_layer ? "boundaries_layer"
                                       : "boundaries_sql";
        return at(c, sec, k, err,
                  "[%s] has '%s = ' but no 'boundaries = ' (the boundary file of the layout "
                  "its keys refer to)",
                  sec, k);
    }
    if (t->bnd_sql && !t->bnd_conn)
        return at(c, sec, "boundaries_sql", err,
                  "[%s] has 'boundaries_sql = ', a query, which needs boundaries from "
                  "PostgreSQL (boundaries = PG:...); for a file name its layer with "
                  "'boundaries_layer = '",
                  sec);
    if (t->bnd_sql && t->bnd_layer)
        return at(c, sec, "boundaries_sql", err,
                  "[%s] has both 'boundaries_layer = ' and 'boundaries_sql = '; give the table "
                  "or the query",
                  sec);
    if (t->carry && !corr && !t->bnd_source)
        return at(c, sec, "carry", err,
                  "[%s] carries by %s, which needs the table's own boundaries: add "
                  "'boundaries = ' and 'boundaries_key = ' (or use carry = correspondence PATH)",
                  sec, t->carry == QTR_TABLE_CARRY_AREA ? "area" : "weights");
    if (corr && t->bnd_source)
        return at(c, sec, "boundaries", err,
                  "[%s] carries by a correspondence table, which needs no boundaries of its "
                  "own; remove 'boundaries = ' or carry by area or weights",
                  sec);
    if (t->carry_density && t->carry != QTR_TABLE_CARRY_WEIGHTS)
        return at(c, sec, "carry_density", err,
                  "[%s] has 'carry_density = ' but is not carried by 'carry = weights COLUMN'; "
                  "the density spreads the ancillary counts of the weights method",
                  sec);
    if (t->sliver_area >= 0 && !t->bnd_source)
        return at(c, sec, "sliver_area", err,
                  "[%s] has 'sliver_area = ' but no own boundaries to cut; it goes with "
                  "'boundaries = '",
                  sec);
    if ((t->bnd_source || corr) && t->join == QTR_JOIN_NAME)
        return at(c, sec, "join", err,
                  "[%s] is carried from its own layout, which matches its rows by key; "
                  "remove 'join = name'",
                  sec);
    return QTR_OK;
}

/* A PostgreSQL source names a table (layer =) or a query (sql =), a file neither. */
static int check_pg_source(const struct qtr_config *c, const char *sec, const char *conn,
                           const char *layer, const char *sql, int layer_optional,
                           struct qtr_error *err)
{
    if (sql && !conn)
        return at(c, sec, "sql", err,
                  "[%s] has 'sql = ', which needs a PostgreSQL source (source = PG:...)", sec);
    if (sql && layer)
        return at(c, sec, "sql", err,
                  "[%s] has both 'layer = ' and 'sql = '; give the table or the query", sec);
    if (conn && !sql && !layer && !layer_optional)
        return at(c, sec, "source", err,
                  "[%s] reads from PostgreSQL: name the table with 'layer = schema.table' or "
                  "give a query with 'sql = SELECT ...'",
                  sec);
    static const char *const file_keys[] = {"sheet", "header_row", "skip_rows", "separator",
                                            "encoding"};
    for (size_t k = 0; conn && k < sizeof file_keys / sizeof file_keys[0]; k++)
        if (qtr_config_line(c, sec, file_keys[k]))
            return at(c, sec, file_keys[k], err,
                      "[%s] reads from PostgreSQL: '%s = ' is for files and has no effect; "
                      "remove it (a table's columns have names and types of their own)",
                      sec, file_keys[k]);
    if (!conn && layer && !layer_optional)
        return at(c, sec, "layer", err,
                  "[%s] has 'layer = ', which names a table of a PostgreSQL source (source = "
                  "PG:...); a CSV file has none, a workbook has 'sheet = '",
                  sec);
    return QTR_OK;
}

/* [boundaries] parent_name, parent_names: names for the codes of `parent` (one way, with
 * both of its columns). */
static int check_parent_names(const struct qtr_config *c, struct qtr_error *err)
{
    const char *k = c->bnd_parent_name    ? "parent_name"
                    : c->bnd_parent_names ? "parent_names"
                    : c->bnd_parent_names_key ? "parent_names_key"
                    : c->bnd_parent_names_name ? "parent_names_name"
                                               : NULL;
    if (!k)
        return QTR_OK;
    if (!c->bnd_parent)
        return at(c, "boundaries", k, err,
                  "'%s' names the parent areas, but [boundaries] has no 'parent = ' (the "
                  "column or prefix:N giving each district's parent); add it",
                  k);
    if (c->bnd_parent_name && c->bnd_parent_names)
        return at(c, "boundaries", "parent_names", err,
                  "give the parents' names one way: 'parent_name = ' (a column of the "
                  "boundaries) or 'parent_names = ' (a file), not both");
    if ((c->bnd_parent_names_key || c->bnd_parent_names_name) && !c->bnd_parent_names)
        return at(c, "boundaries", k, err,
                  "'%s' belongs to 'parent_names = FILE'; add the file or remove it", k);
    if (c->bnd_parent_names && (!c->bnd_parent_names_key || !c->bnd_parent_names_name))
        return at(c, "boundaries", "parent_names", err,
                  "'parent_names = ' needs 'parent_names_key = ' (the column with the codes "
                  "of 'parent') and 'parent_names_name = ' (the column with the names)");
    return QTR_OK;
}

/* Required keys and references between sections, each error at the line concerned. */
int qtr_cfg_check(const struct qtr_config *c, struct qtr_error *err)
{
    char sec[96];
    int rc;
    if (!c->bnd_source)
        return at(c, "boundaries", NULL, err,
                  "[boundaries] needs 'source = ' (the district boundary file)");
    if (!c->bnd_key)
        return at(c, "boundaries", NULL, err,
                  "[boundaries] needs 'key = ' (the key column of the districts)");
    if ((rc = check_pg_source(c, "boundaries", c->bnd_conn, c->bnd_layer, c->bnd_sql, 1, err)) ||
        (rc = check_parent_names(c, err)))
        return rc;
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
        if ((rc = check_pg_source(c, sec, t->conn, t->layer, t->sql, 0, err)) ||
            (rc = check_table_layout(c, t, sec, err)))
            return rc;
    }
    if ((rc = check_population(c, err)) || (rc = check_groups(c, err)) ||
        (rc = check_indicators(c, err)) || (rc = check_targets(c, err)) ||
        (rc = qtr_cfg_check_batch(c, err)))
        return rc;
    return QTR_OK;
}
