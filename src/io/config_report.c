/*
 * config_report.c - the [report] section of the analysis file (docs/report.md): how the
 * council report handles very many districts (a city on the 100 m grid).
 *
 *   [report]
 *   full_detail_up_to = 30000 ; up to this many districts: vector maps, every row, the
 *                             ; interactive map; above: raster maps, tables of extremes
 *   table_extremes = 20       ; above it: rows shown at each end of a long table
 *   insets = auto             ; auto: an island or exclave far from the rest goes into an
 *                             ; inset; none: every map shows everything in one frame
 */
#include <stdio.h>
#include <string.h>

#include "config_internal.h"

int qtr_cfg_on_report(struct qtr_cfg_state *st, const char *name, const char *v)
{
    struct qtr_config *c = st->cfg;
    unsigned long long u = 0;
    if (!strcmp(name, "full_detail_up_to")) {
        if (!qtr_cfg_parse_uint(st, name, v, 1, 1000000000ULL, &u))
            return 0;
        c->report_full_detail = (size_t)u;
        return 1;
    }
    if (!strcmp(name, "table_extremes")) {
        if (!qtr_cfg_parse_uint(st, name, v, 1, 1000, &u))
            return 0;
        c->report_extremes = (size_t)u;
        return 1;
    }
    if (!strcmp(name, "insets")) {
        if (!strcmp(v, "auto") || !strcmp(v, "none")) {
            c->report_no_insets = !strcmp(v, "none");
            return 1;
        }
        return qtr_cfg_fail(st,
                            "insets is 'auto' (an island or exclave far out goes into an inset) "
                            "or 'none' (one frame for everything), not '%s'",
                            v);
    }
    return qtr_cfg_fail(
        st, "unknown key '%s' in [report] (known: full_detail_up_to, table_extremes, insets)",
        name);
}
