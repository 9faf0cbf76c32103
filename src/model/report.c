#include "quartier/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qtr_report_add(struct qtr_report *r, enum qtr_issue_kind kind, enum qtr_severity sev,
                   const char *key, const char *name, const char *source, const char *fmt, ...)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 32;
        struct qtr_issue *items = realloc(r->items, cap * sizeof *items);
        if (!items)
            return QTR_ERR_NOMEM;
        r->items = items;
        r->cap = cap;
    }
    struct qtr_issue *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->severity = sev;
    snprintf(it->key, sizeof it->key, "%s", key ? key : "");
    snprintf(it->name, sizeof it->name, "%s", name ? name : "");
    snprintf(it->source, sizeof it->source, "%s", source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->detail, sizeof it->detail, fmt, ap);
    va_end(ap);
    return QTR_OK;
}

void qtr_report_add_de(struct qtr_report *r, const char *fmt, ...)
{
    if (!r->n)
        return;
    struct qtr_issue *it = &r->items[r->n - 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->detail_de, sizeof it->detail_de, fmt, ap);
    va_end(ap);
}

const char *qtr_issue_detail(const struct qtr_issue *it, int en)
{
    return !en && it->detail_de[0] ? it->detail_de : it->detail;
}

void qtr_report_release(struct qtr_report *r)
{
    if (!r)
        return;
    free(r->items);
    memset(r, 0, sizeof *r);
}

size_t qtr_report_count(const struct qtr_report *r, enum qtr_issue_kind kind)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++)
        c += r->items[i].kind == kind;
    return c;
}

size_t qtr_report_warnings(const struct qtr_report *r)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++)
        c += r->items[i].severity == QTR_WARNING;
    return c;
}

static const struct {
    const char *name;
    const char *title;
} kinds[QTR_ISSUE_KIND_COUNT] = {
    [QTR_ISSUE_DUPLICATE_BOUNDARY_KEY] = {"duplicate_boundary_key",
                                          "key used by more than one boundary"},
    [QTR_ISSUE_DUPLICATE_TABLE_KEY] = {"duplicate_table_key", "key used by more than one row"},
    [QTR_ISSUE_NO_STATISTICS] = {"no_statistics", "district without statistics"},
    [QTR_ISSUE_NO_BOUNDARY] = {"no_boundary", "statistics row without a district"},
    [QTR_ISSUE_AMBIGUOUS_NAME] = {"ambiguous_name", "name shared by several rows or districts"},
    [QTR_ISSUE_MERGED_ROW] = {"merged_row", "row covering several districts"},
    [QTR_ISSUE_NOTE_ROW] = {"note_row", "note or source line in a table"},
    [QTR_ISSUE_GROUP_EXCEEDS_TOTAL] = {"group_exceeds_total", "group larger than the total"},
    [QTR_ISSUE_NEGATIVE_COUNT] = {"negative_count", "negative count"},
    [QTR_ISSUE_ZERO_POPULATION] = {"zero_population", "district without residents"},
    [QTR_ISSUE_SMALL_POPULATION] = {"small_population", "district below the minimum population"},
    [QTR_ISSUE_MISSING_COUNT] = {"missing_count", "total or group count missing or suppressed"},
    [QTR_ISSUE_NOT_A_NUMBER] = {"not_a_number", "text in a numeric column"},
    [QTR_ISSUE_REPAIRED_GEOMETRY] = {"repaired_geometry", "invalid polygon repaired"},
    [QTR_ISSUE_NO_GEOMETRY] = {"no_geometry", "district without geometry"},
    [QTR_ISSUE_KEY_FORMAT] = {"key_format", "keys that differ only in format"},
    [QTR_ISSUE_ISLAND] = {"island", "district without neighbours"},
    [QTR_ISSUE_DISCONNECTED] = {"disconnected", "districts in separate parts"},
    [QTR_ISSUE_SLIVER] = {"sliver_polygon", "polygon without area (zero or a sliver)"},
    [QTR_ISSUE_CARRY_SEVERAL_SOURCES] = {"carry_several_sources",
                                         "district fed by several districts of a carried table"},
    [QTR_ISSUE_CARRY_SPLIT_SOURCE] = {"carry_split_source",
                                      "district of a carried table split over several districts"},
    [QTR_ISSUE_CARRY_UNCOVERED] = {"carry_uncovered",
                                   "district of a carried table outside the analysis districts"},
    [QTR_ISSUE_CARRY_SLIVERS] = {"carry_slivers", "sliver pieces dropped when carrying a table"},
    [QTR_ISSUE_MERGED_BOUNDARIES] = {"merged_boundaries",
                                     "districts merged as the analysis file says"},
    [QTR_ISSUE_PARENT_WITHOUT_NAME] = {"parent_without_name", "parent area without a name"},
};

const char *qtr_issue_kind_name(enum qtr_issue_kind kind)
{
    return (unsigned)kind < QTR_ISSUE_KIND_COUNT ? kinds[kind].name : "unknown";
}

const char *qtr_issue_kind_title(enum qtr_issue_kind kind)
{
    return (unsigned)kind < QTR_ISSUE_KIND_COUNT ? kinds[kind].title : "unknown";
}
