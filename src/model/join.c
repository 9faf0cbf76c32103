/*
 * join.c - the join of statistics tables to the district boundaries (join.h, qtr_join_run): keys
 * and names of both sides, note rows, duplicates, merged names, the join report. The
 * population checks that follow the join are in population.c.
 */
#include "quartier/join.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/cell.h"
#include "quartier/keyindex.h"
#include "quartier/strutil.h"
#include "quartier/text.h"

/* What a table's row numbers count: lines of a file, rows of a query result. */
#define LINE(jt) ((jt)->db_rows ? "row" : "line")

/* Only digits? (for the leading-zero hint) */
static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/*
 * A text column holds names or codes: more cells that are neither numbers nor marks than
 * numbers. Such a column is copied as text instead of being reported cell by cell.
 */
static int looks_text(const struct qtr_table *t, size_t col, struct qtr_number_format fmt)
{
    size_t num = 0, txt = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        struct qtr_cell c = qtr_cell_parse(qtr_table_cell(t, i, col), fmt);
        if (c.kind == QTR_CELL_VALUE)
            num++;
        else if (c.kind == QTR_CELL_INVALID)
            txt++;
    }
    return txt > num;
}

static int add_column_checked(struct qtr_frame *f, const char *name, const char *origin,
                              int is_text, struct qtr_column **out, struct qtr_error *err)
{
    struct qtr_column *prev = qtr_frame_find(f, name);
    if (prev && strcmp(prev->name, name) == 0)
        return qtr_error_set(err, QTR_ERR_DATA,
                             "column '%s' comes from both %s and %s; give one of the tables a "
                             "'suffix = ' in the analysis file (e.g. suffix = _2020)",
                             name, prev->origin, origin);
    *out = qtr_frame_add_column(f, name, origin, is_text);
    return *out ? QTR_OK : qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
}

/* Copy the boundary layer's attributes (other than key and name) into the frame. */
static int join_attrs(const struct qtr_join_input *in, struct qtr_frame *f,
                      struct qtr_report *rep, struct qtr_error *err)
{
    const struct qtr_table *a = in->attrs;
    if (!a)
        return QTR_OK;
    long kcol = qtr_table_find_column(a, in->key_column);
    long ncol = in->name_column ? qtr_table_find_column(a, in->name_column) : -1;
    struct qtr_number_format fmt = {'.'};
    for (size_t j = 0; j < a->ncols; j++) {
        if ((long)j == kcol || (long)j == ncol)
            continue;
        int numeric = in->attr_numeric && in->attr_numeric[j];
        int is_text = !numeric && looks_text(a, j, fmt);
        struct qtr_column *c;
        int rc = add_column_checked(f, a->names[j], "boundaries", is_text, &c, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < f->n; i++) {
            const char *cell = qtr_table_cell(a, i, j);
            if (is_text) {
                c->text[i] = qtr_strdup(cell);
                if (!c->text[i])
                    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                c->kind[i] = cell[0] ? QTR_CELL_VALUE : QTR_CELL_MISSING;
                continue;
            }
            if (numeric) {
                double v = in->attr_num[i * a->ncols + j];
                c->v[i] = v;
                c->kind[i] = isnan(v) ? QTR_CELL_MISSING : QTR_CELL_VALUE;
            } else {
                struct qtr_cell pc = qtr_cell_parse(cell, fmt);
                c->v[i] = pc.value;
                c->kind[i] = (uint8_t)pc.kind;
                if (pc.kind == QTR_CELL_INVALID &&
                    qtr_report_add(rep, QTR_ISSUE_NOT_A_NUMBER, QTR_WARNING, f->key[i],
                                   f->name[i], "boundaries",
                                   "column '%s' holds '%s', which is neither a number nor a "
                                   "statistical mark; treated as missing",
                                   a->names[j], cell))
                    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                if (pc.kind == QTR_CELL_INVALID)
                    qtr_report_add_de(rep,
                                      "Spalte „%s“ enthält „%s“, weder eine Zahl noch ein "
                                      "statistisches Zeichen; als fehlend behandelt",
                                      a->names[j], cell);
            }
        }
        qtr_column_recount(c, f->n);
    }
    return QTR_OK;
}

/* Is the row empty apart from its first non-empty cell (a note, footnote or source line)? */
static int is_note_row(const struct qtr_table *t, size_t row)
{
    int filled = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        size_t len;
        qtr_trim_span(qtr_table_cell(t, row, j), &len);
        filled += len > 0;
    }
    return filled <= 1;
}

/* Split "A und B", "A/B", "A, B" into parts; returns the number of parts (max 8). */
static size_t split_merged(const char *name, char parts[][128], size_t max)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", name);
    size_t k = 0;
    char *p = buf;
    while (p && *p && k < max) {
        char *cut = NULL;
        size_t skip = 0;
        const char *seps[] = {" und ", " u. ", " / ", "/", ", ", " & "};
        for (size_t s = 0; s < sizeof seps / sizeof seps[0]; s++) {
            char *hit = strstr(p, seps[s]);
            if (hit && (!cut || hit < cut)) {
                cut = hit;
                skip = strlen(seps[s]);
            }
        }
        if (cut)
            *cut = '\0';
        snprintf(parts[k++], 128, "%s", qtr_trim_inplace(p));
        p = cut ? cut + skip : NULL;
    }
    return k;
}

/* Is the (trimmed) cell one of the comma-separated texts in `list`? */
static int is_na_value(const char *list, const char *cell)
{
    if (!list)
        return 0;
    size_t cl;
    const char *c = qtr_trim_span(cell, &cl);
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        size_t il;
        const char *it = qtr_trim_span(item, &il);
        if (il == cl && il > 0 && strncmp(it, c, il) == 0)
            return 1;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

/* Mark the columns to take: all, or the comma-separated list in jt->columns. */
static int select_columns(const struct qtr_table *t, const struct qtr_join_table *jt,
                          uint8_t *take, struct qtr_error *err)
{
    if (!jt->columns) {
        memset(take, 1, t->ncols);
        return QTR_OK;
    }
    char *list = qtr_strdup(jt->columns);
    if (!list)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    int rc = QTR_OK;
    for (char *p = list, *next; p && !rc; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        qtr_trim_inplace(p);
        if (!*p)
            continue;
        size_t j;
        rc = qtr_table_require_column(t, p, "column listed in 'columns ='", &j, err);
        if (!rc)
            take[j] = 1;
    }
    free(list);
    return rc;
}

static int join_table(const struct qtr_join_input *in, const struct qtr_join_table *jt,
                      struct qtr_frame *f, uint8_t *matched, struct qtr_report *rep,
                      struct qtr_error *err)
{
    const struct qtr_table *t = jt->table;
    const int by_name = jt->mode == QTR_JOIN_NAME;
    size_t kcol;
    int rc = qtr_table_require_column(t, jt->key, by_name ? "name column" : "key column", &kcol,
                                      err);
    if (rc)
        return rc;
    struct qtr_keyidx *rows = calloc(t->nrows ? t->nrows : 1, sizeof *rows);
    struct qtr_keyidx *dist = calloc(f->n ? f->n : 1, sizeof *dist);
    char **rkeys = calloc(t->nrows ? t->nrows : 1, sizeof *rkeys);
    char **dkeys = calloc(f->n ? f->n : 1, sizeof *dkeys);
    long *row_of = malloc((f->n ? f->n : 1) * sizeof *row_of);
    uint8_t *used = calloc(t->nrows ? t->nrows : 1, 1);
    uint8_t *note = calloc(t->nrows ? t->nrows : 1, 1);
    if (!rows || !dist || !rkeys || !dkeys || !row_of || !used || !note) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }

    /* Keys of the table's rows (trimmed text, or the normalised name). */
    size_t nrows = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *raw = qtr_table_cell(t, r, kcol);
        rkeys[r] = by_name ? qtr_name_key(raw) : qtr_trim_inplace(qtr_strdup(raw));
        if (!rkeys[r]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (!rkeys[r][0] || is_note_row(t, r)) {
            note[r] = 1;
            size_t len;
            const char *txt = NULL;
            for (size_t j = 0; j < t->ncols && !txt; j++) {
                const char *c = qtr_trim_span(qtr_table_cell(t, r, j), &len);
                if (len)
                    txt = c;
            }
            if (txt &&
                qtr_report_add(rep, QTR_ISSUE_NOTE_ROW, QTR_INFO, "", "", jt->id,
                               "%s %zu holds no data, only '%.*s'; not joined", LINE(jt), t->line[r],
                               (int)(len > 120 ? 120 : len), txt)) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            if (txt)
                qtr_report_add_de(rep,
                                  "Zeile %zu enthält keine Daten, nur „%.*s“; nicht zugeordnet",
                                  t->line[r], (int)(len > 120 ? 120 : len), txt);
            continue;
        }
        rows[nrows].k = rkeys[r];
        rows[nrows].i = r;
        nrows++;
    }
    qtr_keyidx_sort(rows, nrows);
    for (size_t a = 1; a < nrows; a++) {
        if (strcmp(rows[a].k, rows[a - 1].k) != 0)
            continue;
        size_t first = a - 1;
        while (first > 0 && strcmp(rows[first - 1].k, rows[a].k) == 0)
            first--;
        const char *shown = qtr_table_cell(t, rows[a].i, kcol);
        if (qtr_report_add(rep, by_name ? QTR_ISSUE_AMBIGUOUS_NAME : QTR_ISSUE_DUPLICATE_TABLE_KEY,
                           QTR_WARNING, by_name ? "" : shown, by_name ? shown : "", jt->id,
                           "%s '%s' on %s %zu also stands on %s %zu; %s %zu is used, "
                           "%s %zu is not joined",
                           by_name ? "name" : "key", shown, LINE(jt), t->line[rows[a].i],
                           LINE(jt), t->line[rows[first].i], LINE(jt),
                           t->line[rows[first].i], LINE(jt), t->line[rows[a].i])) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        qtr_report_add_de(rep,
                          "%s „%s“ in Zeile %zu steht auch in Zeile %zu; Zeile %zu wird verwendet, "
                          "Zeile %zu nicht zugeordnet",
                          by_name ? "Der Name" : "Der Schlüssel", shown, t->line[rows[a].i],
                          t->line[rows[first].i], t->line[rows[first].i], t->line[rows[a].i]);
    }

    /* Districts: first occurrence of a key gets the statistics. */
    for (size_t i = 0; i < f->n; i++) {
        dkeys[i] = by_name ? qtr_name_key(in->name[i]) : qtr_strdup(in->key[i]);
        if (!dkeys[i]) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        dist[i].k = dkeys[i];
        dist[i].i = i;
        row_of[i] = -1;
    }
    qtr_keyidx_sort(dist, f->n);
    for (size_t a = 0; a < f->n; a++) {
        size_t i = dist[a].i;
        int dup = a > 0 && strcmp(dist[a].k, dist[a - 1].k) == 0;
        if (dup || !dist[a].k[0])
            continue;
        long hit = qtr_keyidx_find(rows, nrows, dist[a].k);
        if (hit >= 0) {
            row_of[i] = hit;
            used[hit] = 1;
        }
    }
    /* Name joins: several districts with one name are ambiguous (Bezirk vs Stadtteil). */
    if (by_name)
        for (size_t a = 1; a < f->n; a++)
            if (dist[a].k[0] && strcmp(dist[a].k, dist[a - 1].k) == 0) {
                size_t i = dist[a].i;
                if (qtr_report_add(rep, QTR_ISSUE_AMBIGUOUS_NAME, QTR_WARNING, in->key[i],
                                   in->name[i], jt->id,
                                   "districts '%s' and '%s' are both named '%s'; only the first "
                                   "gets the statistics",
                                   in->key[dist[a - 1].i], in->key[i], in->name[i])) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                qtr_report_add_de(rep,
                                  "die Gebiete „%s“ und „%s“ heißen beide „%s“; nur das erste "
                                  "erhält die Statistik",
                                  in->key[dist[a - 1].i], in->key[i], in->name[i]);
            }

    /* Columns: all, or those named in `columns =` (each must exist). */
    uint8_t *take = calloc(t->ncols ? t->ncols : 1, 1);
    if (!take) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = select_columns(t, jt, take, err))) {
        free(take);
        goto out;
    }
    struct qtr_number_format fmt = {jt->decimal_mark ? jt->decimal_mark : '.'};
    for (size_t j = 0; j < t->ncols; j++) {
        if (j == kcol || !take[j])
            continue;
        char *cname = qtr_asprintf("%s%s", t->names[j], jt->suffix ? jt->suffix : "");
        if (!cname) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        int numeric = jt->numeric && jt->numeric[j];
        int is_text = !numeric && looks_text(t, j, fmt);
        struct qtr_column *c;
        rc = add_column_checked(f, cname, jt->id, is_text, &c, err);
        free(cname);
        if (rc) {
            free(take);
            goto out;
        }
        for (size_t i = 0; i < f->n; i++) {
            if (row_of[i] < 0)
                continue;
            const char *cell = qtr_table_cell(t, (size_t)row_of[i], j);
            if (is_text) {
                c->text[i] = qtr_strdup(cell);
                c->kind[i] = cell[0] ? QTR_CELL_VALUE : QTR_CELL_MISSING;
                continue;
            }
            struct qtr_cell pc;
            if (numeric) {
                /* a number column of a database: its number as it is, NULL missing */
                pc.value = jt->num[(size_t)row_of[i] * t->ncols + j];
                pc.kind = isnan(pc.value) ? QTR_CELL_MISSING : QTR_CELL_VALUE;
                pc.footnote = 0;
            } else {
                pc = qtr_cell_parse(cell, fmt);
            }
            if (is_na_value(jt->na_values, cell)) {
                pc.value = NAN;
                pc.kind = QTR_CELL_MISSING;
            }
            c->v[i] = pc.value;
            c->kind[i] = (uint8_t)pc.kind;
            if (pc.kind == QTR_CELL_INVALID &&
                qtr_report_add(rep, QTR_ISSUE_NOT_A_NUMBER, QTR_WARNING, f->key[i], f->name[i],
                               jt->id,
                               "column '%s' %s %zu holds '%s', which is neither a number nor "
                               "a statistical mark; treated as missing",
                               t->names[j], LINE(jt), t->line[row_of[i]], cell)) {
                free(take);
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            if (pc.kind == QTR_CELL_INVALID)
                qtr_report_add_de(rep,
                                  "Spalte „%s“, Zeile %zu enthält „%s“, weder eine Zahl noch ein "
                                  "statistisches Zeichen; als fehlend behandelt",
                                  t->names[j], t->line[row_of[i]], cell);
        }
        qtr_column_recount(c, f->n);
    }
    free(take);

    /* Report both directions of non-matches. */
    size_t width = 0;
    int digit_keys = 1;
    for (size_t i = 0; i < f->n; i++) {
        size_t w = strlen(in->key[i]);
        if (w > width)
            width = w;
        digit_keys &= all_digits(in->key[i]);
    }
    for (size_t i = 0; i < f->n; i++) {
        if (row_of[i] >= 0) {
            matched[i]++;
            continue;
        }
        if (qtr_report_add(rep, QTR_ISSUE_NO_STATISTICS, QTR_WARNING, in->key[i], in->name[i],
                           jt->id, "district has no row in table '%s'; its columns stay empty",
                           jt->id)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        qtr_report_add_de(rep, "Gebiet ohne Zeile in der Tabelle „%s“; seine Spalten bleiben leer",
                          jt->id);
    }
    size_t lost_zeros = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (used[r] || note[r])
            continue;
        const char *shown = qtr_table_cell(t, r, kcol);
        /* Was it a duplicate (already reported) rather than an unmatched key? */
        long hit = qtr_keyidx_find(rows, nrows, rkeys[r]);
        if (hit >= 0 && (size_t)hit != r)
            continue;
        char hint[320] = "";
        if (by_name) {
            char parts[8][128];
            size_t np = split_merged(shown, parts, 8);
            size_t found = 0;
            for (size_t p = 0; np > 1 && p < np; p++) {
                char *pk = qtr_name_key(parts[p]);
                for (size_t a = 0; pk && a < f->n; a++)
                    if (!strcmp(dkeys[a], pk)) {
                        found++;
                        break;
                    }
                free(pk);
            }
            if (np > 1 && found > 0) {
                /* the line that merges them, ready to copy into [boundaries] */
                char merge[400] = "";
                size_t mlen = 0;
                for (size_t p = 0; p < np && mlen < sizeof merge; p++)
                    mlen += (size_t)snprintf(merge + mlen, sizeof merge - mlen, "%s%s",
                                             p ? " + " : "", parts[p]);
                if (mlen < sizeof merge)
                    snprintf(merge + mlen, sizeof merge - mlen, " = %s", shown);
                if (qtr_report_add(rep, QTR_ISSUE_MERGED_ROW, QTR_WARNING, "", shown, jt->id,
                                   "%s %zu covers %zu districts together (%zu of them found by "
                                   "name); not joined: merge those boundaries (in [boundaries]: "
                                   "merge = %s) or split the row",
                                   LINE(jt), t->line[r], np, found, merge)) {
                    rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                    goto out;
                }
                qtr_report_add_de(rep,
                                  "Zeile %zu umfasst %zu Gebiete zusammen (%zu davon über den "
                                  "Namen gefunden); nicht zugeordnet: diese Gebiete zusammenlegen "
                                  "(in [boundaries]: merge = %s) oder die Zeile aufteilen",
                                  t->line[r], np, found, merge);
                continue;
            }
        } else if (digit_keys && all_digits(rkeys[r]) && strlen(rkeys[r]) < width) {
            char padded[128];
            snprintf(padded, sizeof padded, "%0*d%s", (int)(width - strlen(rkeys[r])), 0,
                     rkeys[r]);
            for (size_t a = 0; a < f->n; a++)
                if (!strcmp(in->key[a], padded)) {
                    snprintf(hint, sizeof hint,
                             " (district '%s' exists: the key may have lost its leading zeros, "
                             "e.g. in Excel)",
                             padded);
                    lost_zeros++;
                    break;
                }
        }
        if (qtr_report_add(rep, QTR_ISSUE_NO_BOUNDARY, QTR_WARNING, by_name ? "" : shown,
                           by_name ? shown : "", jt->id,
                           "%s %zu of table '%s' matches no district%s", LINE(jt), t->line[r],
                           jt->id, hint)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        qtr_report_add_de(rep, "Zeile %zu der Tabelle „%s“ passt zu keinem Gebiet%s", t->line[r],
                          jt->id,
                          *hint ? " (das Gebiet mit führenden Nullen gibt es: der Schlüssel hat "
                                  "sie vermutlich verloren, etwa in Excel)"
                                : "");
    }
    if (lost_zeros &&
        qtr_report_add(rep, QTR_ISSUE_KEY_FORMAT, QTR_WARNING, "", "", jt->id,
                       "%zu keys of table '%s' match a district only with leading zeros added; "
                       "export the key column as text",
                       lost_zeros, jt->id)) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (lost_zeros)
        qtr_report_add_de(rep,
                          "%zu Schlüssel der Tabelle „%s“ pass%s nur mit ergänzten führenden "
                          "Nullen zu einem Gebiet; die Schlüsselspalte als Text exportieren",
                          lost_zeros, jt->id, lost_zeros == 1 ? "t" : "en");

out:
    if (rkeys)
        for (size_t r = 0; r < t->nrows; r++)
            free(rkeys[r]);
    if (dkeys)
        for (size_t i = 0; i < f->n; i++)
            free(dkeys[i]);
    free(rkeys);
    free(dkeys);
    free(rows);
    free(dist);
    free(row_of);
    free(used);
    free(note);
    return rc;
}

int qtr_join_run(const struct qtr_join_input *in, struct qtr_frame **out,
                 struct qtr_report *report, struct qtr_error *err)
{
    int rc;
    uint8_t *matched = NULL;
    struct qtr_keyidx *dist = NULL;
    struct qtr_frame *f = qtr_frame_new(in->n, in->key, in->name);
    if (!f)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");

    /* Duplicate boundary keys: every feature stays, only the first gets statistics. */
    dist = calloc(in->n ? in->n : 1, sizeof *dist);
    matched = calloc(in->n ? in->n : 1, 1);
    if (!dist || !matched) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < in->n; i++) {
        dist[i].k = in->key[i];
        dist[i].i = i;
    }
    qtr_keyidx_sort(dist, in->n);
    for (size_t a = 1; a < in->n; a++)
        if (strcmp(dist[a].k, dist[a - 1].k) == 0) {
            size_t i = dist[a].i;
            size_t first = a - 1;
            while (first > 0 && strcmp(dist[first - 1].k, dist[a].k) == 0)
                first--;
            if (qtr_report_add(report, QTR_ISSUE_DUPLICATE_BOUNDARY_KEY, QTR_WARNING, in->key[i],
                               in->name[i], "boundaries",
                               "feature %zu has the same key as feature %zu ('%s'); it is kept "
                               "in the outputs but gets no statistics: correct the key in the "
                               "boundary file",
                               i + 1, dist[first].i + 1, in->name[dist[first].i])) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            qtr_report_add_de(report,
                              "Objekt %zu hat denselben Schlüssel wie Objekt %zu („%s“); es bleibt "
                              "in den Ergebnissen, erhält aber keine Statistik: den Schlüssel in "
                              "der Gebietsdatei berichtigen",
                              i + 1, dist[first].i + 1, in->name[dist[first].i]);
        }
    for (size_t i = 0; i < in->n; i++) {
        if (!in->key[i][0] &&
            qtr_report_add(report, QTR_ISSUE_NO_STATISTICS, QTR_WARNING, "", in->name[i],
                           "boundaries", "feature %zu has an empty key; it gets no statistics",
                           i + 1)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (!in->key[i][0])
            qtr_report_add_de(
                report, "Objekt %zu hat einen leeren Schlüssel; es erhält keine Statistik", i + 1);
    }

    if ((rc = join_attrs(in, f, report, err)))
        goto out;
    for (size_t t = 0; t < in->ntables; t++)
        if ((rc = join_table(in, &in->tables[t], f, matched, report, err)))
            goto out;
    /* Duplicated boundary keys never get statistics from the tables. */
    for (size_t a = 1; a < in->n; a++)
        if (strcmp(dist[a].k, dist[a - 1].k) == 0)
            matched[dist[a].i] = 0;
    for (size_t i = 0; i < in->n; i++)
        f->has_stats[i] = in->ntables == 0 ? 1 : matched[i] == in->ntables;

out:
    free(dist);
    free(matched);
    if (rc) {
        qtr_frame_free(f);
        return rc;
    }
    *out = f;
    return QTR_OK;
}
