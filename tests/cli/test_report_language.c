/*
 * The language scan (issue 10 §1): a German report is German throughout, an English one
 * English. Runs Musterstadt (always) and, where ../shared is present, Berlin 2021, Berlin
 * 2020 and Hamburg, each in German and in English, and scans what a reader sees:
 *   - report.html as text (tags, scripts and styles removed, entities decoded),
 *   - report.pdf through pdftotext (the maps' legends and source lines; skipped without
 *     poppler-utils),
 *   - the header lines of the annex tables (the CSV files in tables/) and the sheet names and
 * header rows of tables/quartier.xlsx,
 *   - the interactive map's texts (report.html's aria-labels, titles and the strings of its
 *     data: layer titles, legends, popups, zoom tooltips), the title and description of every
 *     the SVG files in maps/, and the QGIS texts of quartier.gpkg (style descriptions and class labels,
 *     the project's layout titles, legend labels and layer names), language_sources.h. It fails on (a) identifiers: snake_case tokens
 * (candidate_areas, district_id) and configuration values such as prefix:2; (b) common words of the
 * other language. Text the planner supplies is not quartier's to translate and is removed before
 * the scan: the string attributes of the boundary file (district and parent names), the analysis
 * file's title, labels, attributions and merge names, and the short list of proper names
 * below. Every hit is printed with its context.
 */
#include "test_util.h"

#include "cli/cli_util.h"

#include <ctype.h>
#include <dirent.h>
#include <iconv.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

/* ---- text buffers ---------------------------------------------------------------- */

struct buf {
    char *s;
    size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, got);
    fclose(f);
    if (!b.s)
        buf_add(&b, "", 0);
    return b.s;
}

/* ---- what the planner supplies: removed before the scan --------------------------- */

struct phrases {
    char **s;
    size_t n, cap;
};

/* Runs of spaces and line breaks as one space: pdftotext breaks lines inside names. */
static void squeeze(char *s)
{
    char *o = s;
    for (const char *p = s; *p;) {
        if (isspace((unsigned char)*p)) {
            *o++ = ' ';
            while (isspace((unsigned char)*p))
                p++;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

static void phrase_add(struct phrases *p, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n < 2)
        return;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->s = realloc(p->s, p->cap * sizeof *p->s);
        assert_non_null(p->s);
    }
    p->s[p->n] = strndup(s, n);
    assert_non_null(p->s[p->n]);
    squeeze(p->s[p->n]);
    p->n++;
}

static int by_length_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Blank quoted text: the report quotes the planner's data verbatim ('Quelle: ...'), in German
 * „...“ and in English '...' (an apostrophe inside a word, Moran's, opens nothing). Quotes
 * holding an underscore stay unless they name an input column: an identifier in quotes is
 * still an identifier. */
static int is_column(const struct phrases *cols, const char *s, size_t n)
{
    for (size_t i = 0; i < cols->n; i++)
        if (strlen(cols->s[i]) == n && !strncmp(cols->s[i], s, n))
            return 1;
    return 0;
}

static void blank_quoted(char *t, const struct phrases *cols)
{
    for (char *q = t; *q; q++) {
        if (!strncmp(q, "\xE2\x80\x9E", 3)) {
            char *e = strstr(q + 3, "\xE2\x80\x9C");
            if (e && e - q < 300 &&
                (!memchr(q, '_', (size_t)(e - q)) || is_column(cols, q + 3, (size_t)(e - q - 3)))) {
                memset(q, ' ', (size_t)(e + 3 - q));
                q = e + 2;
            }
        } else if (*q == '\'' && (q == t || q[-1] == ' ' || q[-1] == '(') && q[1] && q[1] != ' ') {
            char *e = q + 1;
            while (*e && e - q < 300 && !(*e == '\'' && !isalnum((unsigned char)e[1])))
                e++;
            if (*e == '\'' &&
                (!memchr(q, '_', (size_t)(e - q)) || is_column(cols, q + 1, (size_t)(e - q - 1)))) {
                memset(q, ' ', (size_t)(e + 1 - q));
                q = e;
            }
        }
    }
}

/* Blank every occurrence of each phrase (longest first), keeping the length. */
static void phrases_blank(const struct phrases *p, char *text)
{
    squeeze(text);
    for (size_t i = 0; i < p->n; i++) {
        size_t n = strlen(p->s[i]);
        for (char *q = strstr(text, p->s[i]); q; q = strstr(q + n, p->s[i]))
            memset(q, ' ', n);
    }
}

static void phrases_free(struct phrases *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->s[i]);
    free(p->s);
}

/* The string attributes of every feature of the boundary file. */
static void boundary_strings(const char *path, struct phrases *p)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        for (int i = 0; i < OGR_FD_GetFieldCount(d); i++)
            if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i)) == OFTString &&
                OGR_F_IsFieldSetAndNotNull(f, i)) {
                const char *v = OGR_F_GetFieldAsString(f, i);
                if (strpbrk(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
                    phrase_add(p, v, strlen(v));
            }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
}

/* The field names of a data file (boundaries or a table): the annex tables keep the
 * planner's columns under their own names. */
static void field_names(const char *path, struct phrases *p)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds)
        return;
    for (int l = 0; l < GDALDatasetGetLayerCount(ds); l++) {
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(GDALDatasetGetLayer(ds, l));
        for (int i = 0; i < OGR_FD_GetFieldCount(d); i++) {
            const char *n = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
            phrase_add(p, n, strlen(n));
        }
    }
    GDALClose(ds);
}

/* Proper names and titles that stay as they are in both languages (the only allow-list). */
static const char *const proper_names[] = {
    /* the Berlin programme and its publisher, cited by their German titles */
    "Monitoring Soziale Stadtentwicklung",
    "Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen",
    /* German law, cited by its German name in both languages */
    "SGB II",
};

/* The basenames of the input files: the PDF breaks long file names inside table cells. */
static struct phrases input_files;

static int valid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80 ? 0 : (*u >> 5) == 6 ? 1 : (*u >> 4) == 14 ? 2 : (*u >> 3) == 30 ? 3 : -1;
        if (n < 0)
            return 0;
        u++;
        for (int k = 0; k < n; k++, u++)
            if ((*u >> 6) != 2)
                return 0;
    }
    return 1;
}

/* The column names in line `header_row` (1-based) of a CSV table, in UTF-8 (Windows-1252
 * tables converted), split at the separator that occurs most often. */
static void csv_header_names(const char *path, int header_row, struct phrases *p)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    static char line[1 << 16], utf[1 << 18];
    int got = 0;
    for (int k = 0; k < header_row && (got = fgets(line, sizeof line, f) != NULL); k++)
        ;
    fclose(f);
    if (!got)
        return;
    char *s = line;
    if (!strncmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    if (!valid_utf8(s)) {
        iconv_t cd = iconv_open("UTF-8", "CP1252");
        if (cd == (iconv_t)-1)
            return;
        char *in = s, *out = utf;
        size_t nin = strlen(s), nout = sizeof utf - 1;
        iconv(cd, &in, &nin, &out, &nout);
        *out = '\0';
        iconv_close(cd);
        s = utf;
    }
    size_t semi = 0, comma = 0, tab = 0;
    for (const char *c = s; *c; c++)
        semi += *c == ';', comma += *c == ',', tab += *c == '\t';
    char sep = semi >= comma && semi >= tab ? ';' : comma >= tab ? ',' : '\t';
    while (*s) {
        size_t n = strcspn(s, (char[]){sep, '\r', '\n', '\0'});
        const char *a = s;
        size_t m = n;
        if (m >= 2 && a[0] == '"' && a[m - 1] == '"')
            a++, m -= 2;
        phrase_add(p, a, m);
        s += n;
        if (*s)
            s++;
    }
}

/* ---- the analysis file: a copy with absolute paths and the wanted language --------- */

static int key_is(const char *line, const char *key)
{
    size_t n = strlen(key);
    return !strncmp(line, key, n) && (line[n] == ' ' || line[n] == '=');
}

static const char *value_of(const char *line)
{
    const char *eq = strchr(line, '=');
    if (!eq)
        return "";
    eq++;
    while (*eq == ' ')
        eq++;
    return eq;
}

/* Write `ini` (below the source tree) to `out` with language `lang` and absolute source
 * paths; collect the planner's texts into `p` and the boundary file's path into `bnd`. */
static void copy_ini(const char *ini, const char *out, const char *lang, struct phrases *p,
                     struct phrases *cols, char *bnd, size_t bndsize)
{
    char src[4200], dir[4200];
    snprintf(src, sizeof src, "%s", qtr_test_path(ini));
    snprintf(dir, sizeof dir, "%s", src);
    char *slash = strrchr(dir, '/');
    assert_non_null(slash);
    *slash = '\0';
    FILE *in = fopen(src, "r"), *o = fopen(out, "w");
    assert_non_null(in);
    assert_non_null(o);
    char line[8192], section[128] = "";
    int lang_done = 0, continued_merge = 0;
    char table_file[8400] = "";
    int header_row = 1;
    while (fgets(line, sizeof line, in)) {
        if (line[0] == '[') {
            if (*table_file)
                csv_header_names(table_file, header_row, cols);
            *table_file = '\0';
            snprintf(section, sizeof section, "%.120s", line);
            fputs(line, o);
            if (!strncmp(line, "[analysis]", 10)) {
                fprintf(o, "language = %s\n", lang);
                lang_done = 1;
            }
            continued_merge = 0;
            continue;
        }
        if (key_is(line, "language"))
            continue;
        const char *v = value_of(line);
        if (key_is(line, "parent_names") && *v != '/') {
            fprintf(o, "parent_names = %s/%s", dir, v);
            continue;
        }
        if (key_is(line, "source")) {
            fprintf(o, "source = %s/%s", dir, v);
            char file[8400];
            snprintf(file, sizeof file, "%s/%s", dir, v);
            file[strcspn(file, "\r\n")] = '\0';
            field_names(file, cols);
            if (!strncmp(section, "[table", 6)) {
                snprintf(table_file, sizeof table_file, "%s", file);
                header_row = 1;
            }
            const char *base = strrchr(file, '/');
            phrase_add(&input_files, base + 1, strlen(base + 1));
            if (!strncmp(section, "[boundaries]", 12)) {
                snprintf(bnd, bndsize, "%s/%s", dir, v);
                bnd[strcspn(bnd, "\r\n")] = '\0';
            }
            continue;
        }
        fputs(line, o);
        if (key_is(line, "header_row"))
            header_row = atoi(v);
        if (key_is(line, "suffix"))
            phrase_add(cols, v, strcspn(v, "\r\n"));
        if (key_is(line, "title") || key_is(line, "label") || key_is(line, "label_en") ||
            key_is(line, "attribution") || key_is(line, "parent_label") ||
            key_is(line, "parent_label_en"))
            phrase_add(p, v, strcspn(v, "\r\n"));
        /* merge = A + B = Name, ... (continued on indented lines) */
        int merge = key_is(line, "merge");
        if (merge || (continued_merge && (line[0] == ' ' || line[0] == '\t'))) {
            const char *s = merge ? v : line;
            while (*s && *s != '\n') {
                size_t n = strcspn(s, "+=,\n");
                phrase_add(p, s, n);
                s += n;
                if (*s && *s != '\n')
                    s++;
            }
            continued_merge = 1;
        } else if (line[0] != ' ' && line[0] != '\t') {
            continued_merge = 0;
        }
    }
    if (*table_file)
        csv_header_names(table_file, header_row, cols);
    fclose(in);
    fclose(o);
    assert_true(lang_done);
}

/* ---- what the reader sees --------------------------------------------------------- */

static void decode_entity(const char **pp, struct buf *b);
#include "cli/language_sources.h"

static void decode_entity(const char **pp, struct buf *b)
{
    const char *p = *pp;
    static const struct {
        const char *e, *c;
    } named[] = {{"&amp;", "&"},    {"&lt;", "<"},    {"&gt;", ">"},   {"&quot;", "\""},
                 {"&#39;", "'"},    {"&apos;", "'"},  {"&nbsp;", " "}, {"&#160;", " "},
                 {"&thinsp;", " "}, {"&ndash;", "–"}, {"&mdash;", "—"}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t n = strlen(named[i].e);
        if (!strncmp(p, named[i].e, n)) {
            buf_str(b, named[i].c);
            *pp = p + n;
            return;
        }
    }
    buf_add(b, "&", 1);
    *pp = p + 1;
}

/* report.html without tags, scripts, styles and SVG definitions; block ends become
 * line breaks so that the context of a hit reads like the page. */
static void html_text(const char *html, struct buf *b)
{
    const char *p = html;
    while (*p) {
        if (*p == '<') {
            static const char *const skip[] = {"script", "style", "defs"};
            int skipped = 0;
            for (size_t i = 0; i < 3; i++) {
                size_t n = strlen(skip[i]);
                if (!strncasecmp(p + 1, skip[i], n) && (p[n + 1] == '>' || p[n + 1] == ' ')) {
                    char end[32];
                    snprintf(end, sizeof end, "</%s>", skip[i]);
                    const char *e = strstr(p, end);
                    p = e ? e + strlen(end) : p + strlen(p);
                    skipped = 1;
                    break;
                }
            }
            if (skipped)
                continue;
            const char *e = strchr(p, '>');
            if (!e)
                break;
            buf_add(b,
                    (!strncmp(p, "</p", 3) || !strncmp(p, "</t", 3) || !strncmp(p, "<br", 3) ||
                     !strncmp(p, "</h", 3) || !strncmp(p, "</li", 4))
                        ? "\n"
                        : " ",
                    1);
            p = e + 1;
        } else if (*p == '&') {
            decode_entity(&p, b);
        } else {
            buf_add(b, p++, 1);
        }
    }
}

static void pdf_text(const char *pdf, struct buf *b)
{
    if (!qtr_file_exists("/usr/bin/pdftotext")) {
        print_message("note: pdftotext (poppler-utils) not installed, report.pdf not scanned\n");
        return;
    }
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -enc UTF-8 '%s' - 2>/dev/null", pdf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_add(b, chunk, got);
    assert_int_equal(pclose(p), 0);
}

/* The header line of every CSV file in tables/, one header per line. */
static void csv_headers(const char *dir, struct buf *b)
{
    char path[4600];
    snprintf(path, sizeof path, "%s/tables", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".csv"))
            continue;
        snprintf(path, sizeof path, "%s/tables/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        static char line[1 << 16];
        if (fgets(line, sizeof line, f)) {
            char *s = line;
            if (!strncmp(s, "\xEF\xBB\xBF", 3))
                s += 3;
            buf_str(b, "\n");
            for (char *c = s; *c; c++)
                if (*c == ';')
                    *c = '\n';
            buf_str(b, s);
        }
        fclose(f);
    }
    closedir(d);
}

/* Sheet names and the header row of every sheet of tables/quartier.xlsx. */
static void xlsx_headers(const char *dir, struct buf *b)
{
    char path[4600];
    snprintf(path, sizeof path, "%s/tables/quartier.xlsx", dir);
    if (!qtr_file_exists(path))
        return;
    CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    CPLSetConfigOption("OGR_XLSX_FIELD_TYPES", "STRING");
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, i);
        buf_str(b, "\nsheet ");
        buf_str(b, OGR_L_GetName(l));
        buf_str(b, "\n");
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
        for (int j = 0; j < OGR_FD_GetFieldCount(d); j++) {
            buf_str(b, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, j)));
            buf_str(b, "\n");
        }
    }
    GDALClose(ds);
}

/* ---- the scan -------------------------------------------------------------------- */

/* English words that have no place in a German report (matched without regard to case;
 * none of them is a German word: "positive", "medium", "index", "status" are left out). */
static const char *const english_words[] = {
    "the",         "and",
    "of",          "with",
    "not",         "is",
    "are",         "were",
    "which",       "this",
    "that",        "these",
    "from",        "than",
    "between",     "for",
    "to",          "by",
    "or",          "at",
    "on",          "be",
    "been",        "has",
    "have",        "there",
    "only",        "each",
    "its",         "their",
    "no",          "districts",
    "district",    "residents",
    "significant", "missing",
    "value",       "values",
    "share",       "population",
    "group",       "groups",
    "rate",        "change",
    "above",       "below",
    "higher",      "lower",
    "excluded",    "undefined",
    "weight",      "severity",
    "unmatched",   "matched",
    "row",         "rows",
    "column",      "columns",
    "table",       "map",
    "maps",        "neighbourhood",
    "neighbours",  "interval",
    "estimate",    "average",
    "mean",        "warning",
    "warnings",    "note",
    "notes",       "yes",
    "none",        "unknown",
    "high",        "low",
    "stable",      "line",
    "holds",       "joined",
    "random",      "source",
    "sources",     "key",
    "expected",    "lower",
    "upper",       "bound",
    "previous",    "current",
    "target",      "reached",
    "valid",       "reason",
    "area",        "areas",
    "candidate",   "level",
    "small",       "count",
    "counts",      "when",
};

/* German words that have no place in an English report. Lower-case entries match in any
 * case, capitalised ones (nouns) exactly, so that the English "Stand" or "Die" at the start
 * of a sentence are rare enough not to matter and proper names keep their case. */
static const char *const german_words[] = {
    "und",         "der",
    "die",         "das",
    "nicht",       "mit",
    "von",         "für",
    "ist",         "sind",
    "wird",        "werden",
    "keine",       "kein",
    "oder",        "auf",
    "bei",         "aus",
    "den",         "dem",
    "des",         "ein",
    "eine",        "einer",
    "eines",       "zu",
    "im",          "über",
    "unter",       "nach",
    "je",          "auch",
    "sowie",       "signifikant",
    "hoch",        "niedrig",
    "mittel",      "sehr",
    "stabil",      "negativ",
    "erreicht",    "gültig",
    "Bezirk",      "Bezirke",
    "Einwohner",   "Angabe",
    "bewertet",    "Hinweis",
    "Hinweise",    "Warnung",
    "Warnungen",   "Anteil",
    "Gebiet",      "Gebiete",
    "Wert",        "Werte",
    "Schweregrad", "Gewicht",
    "Zeile",       "Zeilen",
    "Spalte",      "Spalten",
    "Tabelle",     "Karte",
    "Karten",      "Mittel",
    "Dynamik",     "Handlungsfeld",
    "Veränderung", "Quelle",
    "Quellen",     "Einzelheiten",
    "Schlüssel",   "Grund",
    "Ziel",        "Gruppe",
    "Gesamtstadt", "Standortquotient",
    "Vorperiode",  "Aktuell",
    "Erwartete",   "Lokale",
    "Lokales",     "Anzahl",
    "Fläche",      "Zufall",
    "Grenze",      "Intervall",
    "Berechnung",  "Stadtteil",
};

static int word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

static int in_list(const char *w, size_t n, const char *const *list, size_t k, int german)
{
    for (size_t i = 0; i < k; i++) {
        const char *e = list[i];
        if (strlen(e) != n)
            continue;
        int exact = german && isupper((unsigned char)e[0]);
        if (exact ? !strncmp(w, e, n) : !strncasecmp(w, e, n))
            return 1;
    }
    return 0;
}

struct hits {
    size_t n;
    struct buf log;
    const char *from, *to; /* context of the last hit: hits in one context share a line */
};

static void hit(struct hits *h, const char *what, const char *where, const char *text,
                const char *at, size_t n)
{
    h->n++;
    const char *from = at, *to = at + n;
    while (from > text && from[-1] != '\n' && at - from < 60)
        from--;
    while (*to && *to != '\n' && to - at < 60)
        to++;
    char line[600];
    if (h->from && from <= h->to && from >= h->from) {
        h->log.n--; /* the newline */
        snprintf(line, sizeof line, ", %.*s\n", (int)n, at);
        buf_str(&h->log, line);
        h->to = to;
        return;
    }
    h->from = from;
    h->to = to;
    snprintf(line, sizeof line, "  %s: ...%.*s...\n    %s: %.*s\n", where, (int)(to - from), from,
             what, (int)n, at);
    buf_str(&h->log, line);
}

/* Scan `text` (planner's texts already blanked) for identifiers and words of the other
 * language than `en`. */
static void scan(const char *text, int en, const char *where, struct hits *h)
{
    h->from = h->to = NULL;
    const char *p = text;
    while (*p) {
        /* a whitespace-separated chunk: skip addresses, paths (licences such as dl-de/by-2-0
         * too) and file names */
        const char *c = p;
        while (*c && !isspace((unsigned char)*c))
            c++;
        int url = 0;
        for (const char *q = p; q < c; q++)
            if (*q == '/' || !strncmp(q, "www.", 4))
                url = 1;
        /* file names (bezirke.shp, mss_2021_indizes.csv): the report names its inputs */
        static const char *const ext[] = {".csv", ".shp",  ".geojson", ".gpkg", ".xlsx",
                                          ".ods", ".json", ".ini",     ".tsv",  ".txt"};
        for (size_t k = 0; k < sizeof ext / sizeof *ext; k++) {
            size_t n = strlen(ext[k]);
            const char *end = c;
            while (end > p && strchr(".,;:)'\"", end[-1]))
                end--;
            if ((size_t)(end - p) > n && !strncasecmp(end - n, ext[k], n))
                url = 1;
        }
        for (size_t k = 0; k < input_files.n && !url; k++)
            if (c - p >= 12 && !strncmp(input_files.s[k], p, (size_t)(c - p)))
                url = 1;
        if (url) {
            p = c;
            while (*p && isspace((unsigned char)*p))
                p++;
            continue;
        }
        /* tokens of the chunk */
        const char *t = p;
        while (t < c) {
            if (!word_char((unsigned char)*t) && *t != '_') {
                t++;
                continue;
            }
            const char *s = t;
            int underscore = 0;
            while (t < c && (word_char((unsigned char)*t) || *t == '_')) {
                if (*t == '_' && t > s && t + 1 < c && word_char((unsigned char)t[1]))
                    underscore = 1;
                t++;
            }
            size_t n = (size_t)(t - s);
            if (underscore) {
                hit(h, "identifier", where, text, s, n);
                continue;
            }
            /* prefix:2 */
            if (t + 1 < c && *t == ':' && isdigit((unsigned char)t[1]) &&
                islower((unsigned char)*s)) {
                hit(h, "config", where, text, s, n + 2);
                continue;
            }
            if (en ? in_list(s, n, german_words, sizeof german_words / sizeof *german_words, 1)
                   : in_list(s, n, english_words, sizeof english_words / sizeof *english_words, 0))
                hit(h, en ? "German" : "English", where, text, s, n);
        }
        p = c;
        while (*p && isspace((unsigned char)*p))
            p++;
    }
}

/* ---- one analysis in one language ------------------------------------------------- */

static size_t scan_run(const char *ini, const char *lang, struct buf *log)
{
    const char *tmp = qtr_temp_dir();
    assert_non_null(tmp);
    char copy[600], out[600], bnd[8400] = "", args[10000];
    snprintf(copy, sizeof copy, "%s/analysis-%s.ini", tmp, lang);
    snprintf(out, sizeof out, "%s/out", tmp);
    struct phrases p = {0}, cols = {0};
    copy_ini(ini, copy, lang, &p, &cols, bnd, sizeof bnd);
    if (*bnd)
        boundary_strings(bnd, &p);
    for (size_t i = 0; i < sizeof proper_names / sizeof *proper_names; i++)
        phrase_add(&p, proper_names[i], strlen(proper_names[i]));
    qsort(p.s, p.n, sizeof *p.s, by_length_desc);
    qsort(cols.s, cols.n, sizeof *cols.s, by_length_desc);

    snprintf(args, sizeof args, "run '%s' -o '%s' -q --permutations 19", copy, out);
    char *o = NULL;
    int rc = qtr_run_cli(args, &o);
    if (rc != 0)
        fail_msg("quartier %s failed (%d):\n%s", args, rc, o ? o : "");

    struct hits h = {0};
    const int en = !strcmp(lang, "en");
    char path[4700];
    struct buf t = {0};
    snprintf(path, sizeof path, "%s/report.html", out);
    char *html = read_all(path);
    assert_non_null(html);
    html_text(html, &t);
    free(html);
    phrases_blank(&p, t.s);
    blank_quoted(t.s, &cols);
    scan(t.s, en, "html", &h);
    t.n = 0;
    html = read_all(path);
    html_attrs(html, &t);
    webmap_strings(html, &t);
    free(html);
    /* not vacuous: the zoom button's tooltip comes from the map's data */
    assert_non_null(t.s);
    assert_non_null(strstr(t.s, en ? "Zoom in" : "Vergrößern"));
    if (t.n) {
        phrases_blank(&p, t.s);
        blank_quoted(t.s, &cols);
        scan(t.s, en, "web ", &h);
    }
    t.n = 0;
    svg_texts(out, &t);
    assert_non_null(t.s);
    assert_non_null(strstr(t.s, en ? "Source: " : "Quelle: "));
    if (t.n) {
        phrases_blank(&p, t.s);
        blank_quoted(t.s, &cols);
        scan(t.s, en, "svg ", &h);
    }
    t.n = 0;
    qgis_texts(out, &t);
    assert_non_null(t.s); /* the style descriptions and the project's layer tree */
    assert_non_null(strstr(t.s, en ? "classes" : "Klassen"));
    assert_non_null(strstr(t.s, en ? "Location quotient" : "Standortquotient"));
    if (t.n) {
        phrases_blank(&cols, t.s);
        phrases_blank(&p, t.s);
        blank_quoted(t.s, &cols);
        scan(t.s, en, "qgis", &h);
    }
    t.n = 0;
    snprintf(path, sizeof path, "%s/report.pdf", out);
    pdf_text(path, &t);
    if (t.s) {
        phrases_blank(&p, t.s);
        blank_quoted(t.s, &cols);
        scan(t.s, en, "pdf ", &h);
    }
    t.n = 0;
    csv_headers(out, &t);
    phrases_blank(&cols, t.s); /* first: a column name may hold a proper name ("SGB II") */
    phrases_blank(&p, t.s);
    scan(t.s, en, "csv ", &h);
    t.n = 0;
    xlsx_headers(out, &t);
    if (t.n) {
        phrases_blank(&cols, t.s);
        phrases_blank(&p, t.s);
        scan(t.s, en, "xlsx", &h);
    }
    free(t.s);

    char head[800];
    snprintf(head, sizeof head, "%s (%s): %zu hits\n", ini, lang, h.n);
    buf_str(log, head);
    if (h.log.s)
        buf_str(log, h.log.s);
    free(h.log.s);
    phrases_free(&p);
    phrases_free(&cols);
    phrases_free(&input_files);
    input_files = (struct phrases){0};
    snprintf(args, sizeof args, "rm -rf '%s'", tmp);
    assert_int_equal(system(args), 0);
    return h.n;
}

static void scan_both(const char *ini)
{
    struct buf log = {0};
    size_t n = scan_run(ini, "de", &log) + scan_run(ini, "en", &log);
    fputs(log.s ? log.s : "", stdout); /* print_message cuts long texts */
    fflush(stdout);
    free(log.s);
    if (n)
        fail_msg("%zu words of the other language or identifiers in the reports of %s", n, ini);
}

static void test_musterstadt(void **state)
{
    (void)state;
    scan_both("geodata/musterstadt/analysis.ini");
}

static void test_berlin_2021(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    scan_both("geodata/berlin/berlin-2021.ini");
}

static void test_berlin_2020(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    scan_both("geodata/berlin/berlin-2020.ini");
}

static void test_hamburg(void **state)
{
    (void)state;
    QTR_REQUIRE_SHARED(shared);
    (void)shared;
    scan_both("geodata/hamburg/hamburg-2013.ini");
}

int main(void)
{
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_musterstadt),
        cmocka_unit_test(test_berlin_2021),
        cmocka_unit_test(test_berlin_2020),
        cmocka_unit_test(test_hamburg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
