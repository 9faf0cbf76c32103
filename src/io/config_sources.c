/*
 * config_sources.c - the analysis file's sources: the keys of [boundaries] (with merge) and of
 * each [table ...] (with carry), checked and read into struct qtr_config (pass 2, called by
 * config_values.c; docs/analysis-file.md).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"
#include "quartier/csv.h"
#include "quartier/strutil.h"

/* merge = A + B [= NAME], C + D [= NAME], ...: each group two or more features (keys or
 * names), optionally the merged district's name. */
static int parse_merges(struct qtr_cfg_state *st, const char *v)
{
    struct qtr_config *c = st->cfg;
    char *buf = qtr_strdup(v);
    if (!buf)
        return qtr_cfg_nomem(st);
    int ok = 1;
    for (char *grp = buf, *next; ok && grp; grp = next) {
        next = strchr(grp, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(grp, '=');
        char *nm = NULL;
        if (eq) {
            *eq = '\0';
            nm = qtr_trim_inplace(eq + 1);
        }
        char *members = qtr_trim_inplace(grp);
        if (!*members && !nm && !next)
            break; /* a trailing comma */
        struct qtr_merge_spec m = {0};
        for (char *p = members, *q; p; p = q) {
            q = strchr(p, '+');
            if (q)
                *q++ = '\0';
            char *t = qtr_trim_inplace(p);
            char **mm = realloc(m.members, (m.nmembers + 1) * sizeof *mm);
            if (!mm || !(mm[m.nmembers] = qtr_strdup(t))) {
                if (mm)
                    m.members = mm;
                ok = qtr_cfg_nomem(st);
                break;
            }
            m.members = mm;
            m.nmembers++;
            if (!*t) {
                ok = qtr_cfg_fail(
                    st,
                    "merge: '%s%s%s' has an empty member; write the districts to merge as "
                    "keys or names joined by '+', e.g. merge = Moorburg + Altenwerder = "
                    "Moorburg und Altenwerder",
                    members, nm ? " = " : "", nm ? nm : "");
                break;
            }
        }
        /* one member is a key standing on several features (checked with the boundaries) */
        if (ok && nm && !*nm)
            ok = qtr_cfg_fail(st, "merge: '%s =' has no name after '='", members);
        if (ok && nm && !(m.name = qtr_strdup(nm)))
            ok = qtr_cfg_nomem(st);
        struct qtr_merge_spec *all =
            ok ? realloc(c->bnd_merges, (c->nbnd_merges + 1) * sizeof *all) : NULL;
        if (ok && !all)
            ok = qtr_cfg_nomem(st);
        if (!ok) {
            for (size_t k = 0; k < m.nmembers; k++)
                free(m.members[k]);
            free(m.members);
            free(m.name);
            break;
        }
        c->bnd_merges = all;
        c->bnd_merges[c->nbnd_merges++] = m;
    }
    free(buf);
    return ok;
}

int qtr_cfg_on_boundaries(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    if (!strcmp(name, "source"))
        return qtr_config_set_source(c->dir, v, &c->bnd_source, &c->bnd_conn) ? qtr_cfg_nomem(st)
                                                                              : 1;
    if (!strcmp(name, "layer"))
        return qtr_cfg_set_str(st, &c->bnd_layer, v);
    if (!strcmp(name, "sql"))
        return qtr_cfg_set_str(st, &c->bnd_sql, v);
    if (!strcmp(name, "key"))
        return qtr_cfg_set_str(st, &c->bnd_key, v);
    if (!strcmp(name, "name"))
        return qtr_cfg_set_str(st, &c->bnd_name, v);
    if (!strcmp(name, "crs"))
        return qtr_cfg_set_str(st, &c->bnd_crs, v);
    if (!strcmp(name, "parent")) {
        if (!qtr_cfg_prefix_ok(v))
            return qtr_cfg_fail(st,
                                "parent = '%s': write prefix:N with N from 1 to 64 (the first N "
                                "characters of the key), or a column name",
                                v);
        return qtr_cfg_set_str(st, &c->bnd_parent, v);
    }
    if (!strcmp(name, "attribution"))
        return qtr_cfg_set_str(st, &c->bnd_attribution, v);
    if (!strcmp(name, "merge"))
        return parse_merges(st, v);
    if (!strcmp(name, "parent_label"))
        return qtr_cfg_set_str(st, &c->bnd_parent_label, v);
    if (!strcmp(name, "parent_label_en"))
        return qtr_cfg_set_str(st, &c->bnd_parent_label_en, v);
    if (!strcmp(name, "parent_name"))
        return qtr_cfg_set_str(st, &c->bnd_parent_name, v);
    if (!strcmp(name, "parent_names")) {
        if (!strncmp(v, "PG:", 3))
            return qtr_cfg_fail(st, "parent_names = '%s': give a file (CSV, GeoJSON, "
                                    "GeoPackage, shapefile), not a PG: connection", v);
        free(c->bnd_parent_names);
        c->bnd_parent_names = qtr_path_resolve(c->dir, v);
        return c->bnd_parent_names ? 1 : qtr_cfg_nomem(st);
    }
    if (!strcmp(name, "parent_names_key"))
        return qtr_cfg_set_str(st, &c->bnd_parent_names_key, v);
    if (!strcmp(name, "parent_names_name"))
        return qtr_cfg_set_str(st, &c->bnd_parent_names_name, v);
    return qtr_cfg_fail(
        st,
        "unknown key '%s' in [boundaries] (known: source, layer, sql, key, name, crs, "
        "parent, parent_label, parent_label_en, parent_name, parent_names, parent_names_key, "
        "parent_names_name, attribution, merge)",
        name);
}

/* carry = area | weights COLUMN | correspondence PATH */
static int parse_carry(struct qtr_cfg_state *st, struct qtr_table_spec *cur, const char *v)
{
    size_t w = strcspn(v, " \t");
    const char *arg = v + w;
    while (*arg == ' ' || *arg == '\t')
        arg++;
    free(cur->carry_weights);
    free(cur->carry_corr);
    cur->carry_weights = cur->carry_corr = NULL;
    if (w == 4 && !strncmp(v, "area", 4)) {
        if (*arg)
            return qtr_cfg_fail(st, "carry = area takes nothing after it, not '%s'", arg);
        cur->carry = QTR_TABLE_CARRY_AREA;
        return 1;
    }
    if (w == 7 && !strncmp(v, "weights", 7)) {
        if (!*arg)
            return qtr_cfg_fail(st,
                                "carry = weights needs the column of the ancillary count of the "
                                "analysis districts, e.g. 'carry = weights inhabitants_2024'");
        cur->carry = QTR_TABLE_CARRY_WEIGHTS;
        return qtr_cfg_set_str(st, &cur->carry_weights, arg);
    }
    if (w == 14 && !strncmp(v, "correspondence", 14)) {
        if (!*arg)
            return qtr_cfg_fail(
                st, "carry = correspondence needs the path of the correspondence table "
                    "(CSV: source key, target key, share), e.g. 'carry = correspondence "
                    "lor2019_lor2021.csv'");
        cur->carry = QTR_TABLE_CARRY_CORRESPONDENCE;
        if (!(cur->carry_corr = qtr_path_resolve(st->cfg->dir, arg)))
            return qtr_cfg_nomem(st);
        return 1;
    }
    return qtr_cfg_fail(
        st, "carry must be 'area', 'weights COLUMN' or 'correspondence PATH', not '%s'", v);
}

int qtr_cfg_on_table(struct qtr_cfg_state *st, const char *sec, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    struct qtr_table_spec *cur = &c->tables[st->cur];
    unsigned long long u = 0;
    if (!strcmp(name, "source"))
        return qtr_config_set_source(c->dir, v, &cur->source, &cur->conn) ? qtr_cfg_nomem(st) : 1;
    if (!strcmp(name, "layer"))
        return qtr_cfg_set_str(st, &cur->layer, v);
    if (!strcmp(name, "sql"))
        return qtr_cfg_set_str(st, &cur->sql, v);
    if (!strcmp(name, "key"))
        return qtr_cfg_set_str(st, &cur->key, v);
    if (!strcmp(name, "join")) {
        if (!strcmp(v, "key"))
            cur->join = QTR_JOIN_KEY;
        else if (!strcmp(v, "name"))
            cur->join = QTR_JOIN_NAME;
        else
            return qtr_cfg_fail(st, "join must be 'key' or 'name', not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "sheet"))
        return qtr_cfg_set_str(st, &cur->sheet, v);
    if (!strcmp(name, "header_row")) {
        if (!qtr_cfg_parse_uint(st, name, v, 1, 100000, &u))
            return 0;
        cur->header_row = (size_t)u;
        return 1;
    }
    if (!strcmp(name, "skip_rows")) {
        if (!qtr_cfg_parse_uint(st, name, v, 0, 100000, &u))
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
            return qtr_cfg_fail(st,
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
            return qtr_cfg_fail(st, "encoding must be utf-8, cp1252 or latin1, not '%s'", v);
        return 1;
    }
    if (!strcmp(name, "decimal")) {
        if (strcmp(v, ",") && strcmp(v, ".") && strcmp(v, "comma") && strcmp(v, "point"))
            return qtr_cfg_fail(st, "decimal must be ',' or '.', not '%s'", v);
        cur->decimal = (v[0] == ',' || v[0] == 'c') ? ',' : '.';
        return 1;
    }
    if (!strcmp(name, "suffix"))
        return qtr_cfg_set_str(st, &cur->suffix, v);
    if (!strcmp(name, "columns"))
        return qtr_cfg_set_str(st, &cur->columns, v);
    if (!strcmp(name, "na_values"))
        return qtr_cfg_set_str(st, &cur->na_values, v);
    if (!strcmp(name, "date"))
        return qtr_cfg_parse_date(st, name, v, &cur->date);
    if (!strcmp(name, "attribution"))
        return qtr_cfg_set_str(st, &cur->attribution, v);
    if (!strcmp(name, "not_counts"))
        return qtr_cfg_set_str(st, &cur->not_counts, v);
    if (!strcmp(name, "boundaries"))
        return qtr_config_set_source(c->dir, v, &cur->bnd_source, &cur->bnd_conn)
                   ? qtr_cfg_nomem(st)
                   : 1;
    if (!strcmp(name, "boundaries_key"))
        return qtr_cfg_set_str(st, &cur->bnd_key, v);
    if (!strcmp(name, "boundaries_layer"))
        return qtr_cfg_set_str(st, &cur->bnd_layer, v);
    if (!strcmp(name, "boundaries_sql"))
        return qtr_cfg_set_str(st, &cur->bnd_sql, v);
    if (!strcmp(name, "carry"))
        return parse_carry(st, cur, v);
    if (!strcmp(name, "carry_density"))
        return qtr_cfg_set_str(st, &cur->carry_density, v);
    if (!strcmp(name, "sliver_area"))
        return qtr_cfg_parse_min(st, name, v, 0, 0, "an area in m²", &cur->sliver_area);
    return qtr_cfg_fail(
        st,
        "unknown key '%s' in [%s] (known: source, layer, sql, key, join, sheet, "
        "header_row, skip_rows, separator, encoding, decimal, suffix, columns, na_values, date, "
        "attribution, not_counts, boundaries, boundaries_key, boundaries_layer, boundaries_sql, "
        "carry, carry_density, sliver_area)",
        name, sec);
}
