/*
 * report_parents.c - the parent area of each district (report_parents.h).
 */
#include "report_parents.h"

#include <stdlib.h>
#include <string.h>

#include "quartier/error.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

void qtr_report_parents_free(char **p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++)
        free(p[i]);
    free(p);
}

int qtr_report_parents(const struct qtr_layer *l, const char *spec, char ***out)
{
    *out = NULL;
    if (!spec || !l->n)
        return QTR_OK;
    size_t prefix = 0;
    long col = -1;
    if (!strncmp(spec, "prefix:", 7)) {
        char *end;
        long v = strtol(spec + 7, &end, 10);
        if (end == spec + 7 || *end || v <= 0)
            return QTR_OK;
        prefix = (size_t)v;
    } else if ((col = qtr_table_find_column(l->attrs, spec)) < 0) {
        return QTR_OK;
    }
    char **p = calloc(l->n, sizeof *p);
    if (!p)
        return QTR_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++) {
        const char *c = prefix ? NULL : qtr_table_cell(l->attrs, i, (size_t)col);
        p[i] = prefix ? qtr_strndup(l->key[i] ? l->key[i] : "", prefix) : qtr_strdup(c ? c : "");
        if (!p[i]) {
            qtr_report_parents_free(p, l->n);
            return QTR_ERR_NOMEM;
        }
    }
    *out = p;
    return QTR_OK;
}
