/*
 * publish_docs.c - the aliases and descriptions of the GeoPackage's fields (gpkg_data_columns,
 * the annex tables' heads), from the presentation table (present.h, labels.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/classify.h"
#include "quartier/gpkg_style.h"
#include "quartier/labels.h"
#include "quartier/output.h"
#include "quartier/palette.h"
#include "quartier/qml.h"
#include "quartier/strutil.h"

#include "publish_internal.h"

/* ---------------------------------------------------------------------------------------- */
/* Field documentation: aliases and descriptions.                                           */

static char *keep(struct doc_list *l, char *s)
{
    if (!s)
        return NULL;
    if (l->nowned == l->capowned) {
        size_t c = l->capowned ? 2 * l->capowned : 64;
        char **p = realloc(l->owned, c * sizeof *p);
        if (!p) {
            free(s);
            return NULL;
        }
        l->owned = p;
        l->capowned = c;
    }
    l->owned[l->nowned++] = s;
    return s;
}

void qtr_publish_docs_release(struct doc_list *l)
{
    for (size_t i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->d);
    memset(l, 0, sizeof *l);
}

static int alias_taken(const struct doc_list *l, const char *table, const char *alias)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->d[i].table, table) && !strcmp(l->d[i].alias, alias))
            return 1;
    return 0;
}

/* Add one row; an alias already used in the table gets the field name appended. */
static int add_doc(struct doc_list *l, const char *table, const char *column, const char *alias,
                   const char *description)
{
    if (l->n == l->cap) {
        size_t c = l->cap ? 2 * l->cap : 64;
        struct qtr_gpkg_column_doc *p = realloc(l->d, c * sizeof *p);
        if (!p)
            return QTR_ERR_NOMEM;
        l->d = p;
        l->cap = c;
    }
    char *a = keep(l, qtr_strdup(alias && *alias ? alias : column));
    if (a && alias_taken(l, table, a))
        a = keep(l, qtr_asprintf("%s [%s]", a, column));
    char *t = keep(l, qtr_strdup(table)), *c = keep(l, qtr_strdup(column));
    char *d = description && *description ? keep(l, qtr_strdup(description)) : NULL;
    if (!a || !t || !c || (description && *description && !d))
        return QTR_ERR_NOMEM;
    l->d[l->n++] = (struct qtr_gpkg_column_doc){t, c, a, NULL, d};
    return QTR_OK;
}

const char *qtr_publish_doc_alias(const struct doc_list *l, const char *table, const char *column)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->d[i].table, table) && !strcmp(l->d[i].column, column))
            return l->d[i].alias;
    return column;
}

/* Does column col of the frame hold cells that are not shown (suppressed or secret)? */
static int has_hidden(const struct qtr_column *c)
{
    return c && !c->is_text &&
           c->count[QTR_CELL_SUPPRESSED] + c->count[QTR_CELL_SECRET] +
                   c->count[QTR_CELL_UNRELIABLE] >
               0;
}

const struct qtr_column *qtr_publish_column(const struct qtr_state *st, const char *layer,
                                            const char *field)
{
    if (!strcmp(layer, "districts"))
        return st->frame ? qtr_frame_find(st->frame, field) : NULL;
    for (size_t a = 0; a < st->nareas; a++)
        if (!strcmp(st->areas[a].name, layer) && st->areas[a].attrs)
            return qtr_frame_find(st->areas[a].attrs, field);
    return NULL;
}

int qtr_publish_build_docs(const struct qtr_config *cfg, const struct qtr_state *st,
                      const struct qtr_output_info *g, int en, struct doc_list *l)
{
    for (size_t i = 0; i < g->nlayers; i++) {
        const struct qtr_output_layer *li = &g->layers[i];
        /* the table's own key, which QGIS shows as the first field */
        const char *alias, *desc;
        qtr_present_row_number(en, &alias, &desc);
        if (li->fid && add_doc(l, li->name, li->fid, alias, desc))
            return QTR_ERR_NOMEM;
        for (size_t k = 0; k < li->nfields; k++) {
            const char *name = li->fields[k].name;
            if (qtr_present_table_field(li->name, name, en, &alias, &desc)) {
                if (add_doc(l, li->name, name, alias, desc))
                    return QTR_ERR_NOMEM;
                continue;
            }
            const struct qtr_column *c = qtr_publish_column(st, li->name, name);
            struct qtr_label lab;
            qtr_column_label(cfg, c, name, en, &lab);
            char note[800];
            const char *described = lab.description;
            if (has_hidden(c)) {
                qtr_present_suppressed_note(lab.description, cfg->min_count, en, note,
                                            sizeof note);
                described = note;
            }
            if (add_doc(l, li->name, name, lab.alias, described))
                return QTR_ERR_NOMEM;
        }
    }
    return QTR_OK;
}

