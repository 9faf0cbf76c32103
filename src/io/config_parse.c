/*
 * config_parse.c - pass 1 of the analysis-file reader: lines, sections and keys.
 *
 * inih splits the lines; our own line reader hands them to it one at a time, so it knows the
 * number of the line inih is looking at, rejects what inih would silently misread (over-long
 * lines, NUL bytes, section names it would cut), and classifies each line the way inih does
 * (section header, continuation, key) so that a key given twice can be told from a value
 * continued on an indented line. The handler only collects the keys with their lines;
 * repeated sections and keys are errors naming both lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config_internal.h"
#include "quartier/strutil.h"
#include "quartier/text.h"

/* inih keeps at most this many bytes of a section name (MAX_SECTION 50 in ini.c, with NUL). */
#define INIH_MAX_SECTION 49

/* "group  mh" -> "group mh": the kind, one blank, the ID (as the handler reads it). */
char *qtr_cfg_normalise_section(const char *s, size_t n)
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
const char *qtr_cfg_canonical_key(const char *name)
{
    if (!strcmp(name, "center"))
        return "centre";
    if (!strcmp(name, "standardize"))
        return "standardise";
    return name;
}

const struct qtr_cfg_entry *qtr_cfg_find(const struct qtr_config_lines *l, const char *section,
                                         const char *name)
{
    if (!l)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct qtr_cfg_entry *e = &l->e[i];
        if (strcmp(e->section, section))
            continue;
        if (name ? (e->name && !strcmp(e->name, name)) : !e->name)
            return e;
    }
    return NULL;
}

void qtr_cfg_lines_free(struct qtr_config_lines *l)
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

static int push_entry(struct qtr_config_lines *l, char *section, char *name, char *value,
                      unsigned line)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        struct qtr_cfg_entry *e = realloc(l->e, cap * sizeof *e);
        if (!e)
            return QTR_ERR_NOMEM;
        l->e = e;
        l->cap = cap;
    }
    l->e[l->n++] = (struct qtr_cfg_entry){section, name, value, line};
    return QTR_OK;
}

/* Record the first error of pass 1 (the reader then stops handing lines to inih). */
static void pass1_fail(struct qtr_cfg_state *st, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void pass1_fail(struct qtr_cfg_state *st, int code, const char *fmt, ...)
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
    "[renewal], [target ID], [batch], [report]";

/* A section header at the current line: known kind, valid ID, not seen before. */
static void section_header(struct qtr_cfg_state *st, const char *s, size_t n)
{
    if (n > INIH_MAX_SECTION) {
        pass1_fail(st, QTR_ERR_USAGE,
                   "the section name [%.*s] is longer than %d characters; use a shorter ID", (int)n,
                   s, INIH_MAX_SECTION);
        return;
    }
    char *sec = qtr_cfg_normalise_section(s, n);
    if (!sec) {
        pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
        return;
    }
    const char *sp = strchr(sec, ' ');
    size_t klen = sp ? (size_t)(sp - sec) : strlen(sec);
    static const char *plain[] = {"analysis", "boundaries", "population",
                                  "renewal",  "batch",      "report"};
    static const char *with_id[] = {"table", "group", "indicator", "target"};
    int known = 0, needs_id = 0;
    for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++)
        if (strlen(plain[k]) == klen && !strncmp(sec, plain[k], klen))
            known = 1;
    for (size_t k = 0; k < 4; k++) {
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
    const struct qtr_cfg_entry *seen = qtr_cfg_find(st->lines, sec, NULL);
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
static void classify(struct qtr_cfg_state *st, const char *line, size_t n)
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
    struct qtr_cfg_state *st = stream;
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
    struct qtr_cfg_state *st = user;
    if (st->fail_at)
        return 1;
    struct qtr_config_lines *l = st->lines;
    if (st->cont) {
        struct qtr_cfg_entry *e = l->n ? &l->e[l->n - 1] : NULL;
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
    char *sec = qtr_cfg_normalise_section(section, strlen(section));
    char *nm = qtr_strdup(qtr_cfg_canonical_key(name));
    char *val = qtr_strdup(value);
    if (!sec || !nm || !val) {
        pass1_fail(st, QTR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    const struct qtr_cfg_entry *seen = nm[0] ? qtr_cfg_find(l, sec, nm) : NULL;
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

unsigned qtr_cfg_split(struct qtr_cfg_state *st)
{
    int bad = ini_parse_stream(read_line, st, handler, st);
    unsigned first = st->fail_at;
    if (bad < 0 && !first) {
        qtr_error_set(st->err, QTR_ERR_NOMEM, "out of memory reading '%s'", st->cfg->path);
        return 1;
    }
    if (bad > 0 && (!first || (unsigned)bad < first)) {
        char text_of[96];
        line_text(st->text, st->len, (unsigned)bad, text_of, sizeof text_of);
        qtr_error_set(st->err, QTR_ERR_USAGE,
                      "%s:%d: '%s' is neither 'key = value', a [section] nor a comment; indent "
                      "it to continue the value above, or start it with '#' to make it a comment",
                      st->cfg->path, bad, text_of);
        first = (unsigned)bad;
    }
    return first;
}
