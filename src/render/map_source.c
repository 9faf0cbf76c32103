/*
 * map_source.c - the source line of a map: who published the data and under
 * which licence, as the analysis file's `attribution =` says.
 */
#include <stdlib.h>
#include <string.h>

#include "quartier/map.h"
#include "quartier/strutil.h"

/* What source i contributes: its attribution, trimmed, or "Datei NAME"; NULL when out of memory. */
static char *source_item(const struct qtr_map_source *s, int en)
{
    size_t len = 0;
    const char *a = s->attribution ? qtr_trim_span(s->attribution, &len) : NULL;
    if (a && len)
        return qtr_strndup(a, len);
    const char *f = s->file ? s->file : "?";
    const char *slash = strrchr(f, '/');
    return qtr_asprintf("%s %s", en ? "file" : "Datei", slash ? slash + 1 : f);
}

char *qtr_map_source_line(const struct qtr_map_source *src, size_t n, int en)
{
    struct qtr_buf b = {0};
    char **item = calloc(n ? n : 1, sizeof *item);
    int bad = !item;
    size_t listed = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        if (!(item[i] = source_item(&src[i], en))) {
            bad = 1;
            break;
        }
        /* several tables of one publisher name it once */
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(item[k], item[i]);
        if (!seen)
            bad = qtr_buf_printf(&b, "%s%s", listed++ ? "; " : (en ? "Source: " : "Quelle: "),
                                 item[i]) != QTR_OK;
    }
    if (!bad)
        bad = qtr_buf_printf(&b, "%s%s", listed ? "; " : "",
                             en ? "map: quartier" : "Darstellung: quartier") != QTR_OK;
    for (size_t i = 0; item && i < n; i++)
        free(item[i]);
    free(item);
    if (bad) {
        qtr_buf_release(&b);
        return NULL;
    }
    return b.data;
}
