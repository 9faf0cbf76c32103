#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "quartier/cell.h"
#include "quartier/strutil.h"

int cli_progress(double done, const char *stage, void *user)
{
    struct cli_progress *p = user;
    if (p->quiet)
        return 1;
    if (!p->stage || strcmp(p->stage, stage) != 0) {
        if (p->stage && p->last < 40)
            fputs(" done.\n", stderr);
        p->stage = stage;
        p->last = -1;
        fprintf(stderr, "%s: ", stage);
    }
    int tick = (int)(done * 40.0 + 1e-9);
    if (tick > 40)
        tick = 40;
    while (p->last < tick) {
        p->last++;
        if (p->last % 4 == 0)
            fprintf(stderr, "%d", p->last * 10 / 4);
        else
            fputc('.', stderr);
        if (p->last == 40)
            fputs(" - done.\n", stderr);
    }
    fflush(stderr);
    return 1;
}

void cli_warn(const char *message, void *user)
{
    (void)user;
    fprintf(stderr, "quartier: warning: %s\n", message);
}

int cli_ctx_init(struct qtr_ctx *ctx, struct cli_progress *prog, int quiet, struct qtr_error *err)
{
    int rc = qtr_ctx_init(ctx, err);
    if (rc)
        return rc;
    prog->quiet = quiet;
    ctx->progress = cli_progress;
    ctx->progress_user = prog;
    ctx->warn = cli_warn;
    return QTR_OK;
}

int cli_fail(const struct qtr_error *err)
{
    fprintf(stderr, "quartier: error: %s\n", err->msg[0] ? err->msg : qtr_status_name(err->code));
    return err->code == QTR_ERR_USAGE ? EXIT_USAGE : EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "quartier %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'quartier %s --help')\n", cmd);
    return EXIT_USAGE;
}

char *cli_join_args(int argc, char **argv)
{
    struct qtr_buf b = {0};
    qtr_buf_puts(&b, "quartier");
    for (int i = 0; i < argc; i++)
        qtr_buf_printf(&b, " %s", argv[i]);
    return b.data;
}

/* Print s left-aligned in `width` characters (UTF-8 aware), cut when longer. */
static void print_padded(FILE *out, const char *s, size_t width)
{
    size_t chars = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p && chars < width; chars++) {
        size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        for (size_t k = 0; k < len && *p; k++)
            fputc(*p++, out);
    }
    for (; chars < width; chars++)
        fputc(' ', out);
}

void cli_print_report(FILE *out, const struct qtr_state *st, int verbose)
{
    const struct qtr_report *r = &st->report;
    const struct qtr_frame *f = st->frame;
    if (st->layer)
        fprintf(out, "Boundaries: %s (layer %s): %zu districts, CRS %s%s, work CRS %s\n",
                st->layer->source, st->layer->layer_name, st->layer->n, st->layer->source_crs,
                st->layer->crs_assigned ? " (stated in the analysis)" : "",
                st->layer->work_crs);
    for (size_t t = 0; t < st->ntables; t++) {
        const struct qtr_loaded_table *lt = &st->tables[t];
        if (lt->is_pg)
            fprintf(out, "Table: %s: %zu rows, %zu columns (PostgreSQL), decimal '%c'\n",
                    lt->table->source, lt->table->nrows, lt->table->ncols,
                    lt->info.decimal_mark);
        else if (lt->is_sheet)
            fprintf(out, "Table: %s: %zu rows, %zu columns (spreadsheet)\n", lt->table->source,
                    lt->table->nrows, lt->table->ncols);
        else
            fprintf(out,
                    "Table: %s: %zu rows, %zu columns, separator '%s', %s%s, decimal '%c'\n",
                    lt->table->source, lt->table->nrows, lt->table->ncols,
                    lt->info.separator == '\t' ? "tab" : (char[]){lt->info.separator, 0},
                    qtr_encoding_name(lt->info.encoding), lt->info.had_bom ? " with BOM" : "",
                    lt->info.decimal_mark);
    }
    if (f) {
        size_t with = 0;
        for (size_t i = 0; i < f->n; i++)
            with += f->has_stats[i];
        fprintf(out, "Joined: %zu of %zu districts have statistics; %zu enter the indices\n",
                with, f->n, st->nusable);
    }
    fprintf(out, "\nJoin and data-quality report: %zu warnings, %zu notes\n",
            qtr_report_warnings(r), r->n - qtr_report_warnings(r));
    for (int k = 0; k < QTR_ISSUE_KIND_COUNT; k++) {
        size_t c = qtr_report_count(r, (enum qtr_issue_kind)k);
        if (!c)
            continue;
        fprintf(out, "\n  %s (%zu):\n", qtr_issue_kind_title((enum qtr_issue_kind)k), c);
        size_t shown = 0;
        for (size_t i = 0; i < r->n; i++) {
            const struct qtr_issue *it = &r->items[i];
            if ((int)it->kind != k)
                continue;
            if (!verbose && shown == 50 && it->severity == QTR_INFO) {
                fprintf(out, "    ... %zu more (all are in the join_report table)\n", c - 50);
                break;
            }
            shown++;
            fprintf(out, "    %s%s%s%s%s%s[%s] %s\n", it->key, it->key[0] && it->name[0] ? " " : "",
                    it->name[0] ? "\"" : "", it->name, it->name[0] ? "\"" : "",
                    it->key[0] || it->name[0] ? " " : "", it->source, it->detail);
        }
    }
    if (!f)
        return;
    fprintf(out, "\nColumns (districts per kind of cell):\n");
    fprintf(out, "  %-40s %-18s %7s %7s %10s %7s\n", "column", "from", "values", "zeros",
            "suppressed", "missing");
    for (size_t j = 0; j < f->ncols; j++) {
        const struct qtr_column *c = f->cols[j];
        if (c->is_text || !strcmp(c->origin, "quartier"))
            continue;
        size_t cls[QTR_CLASS_COUNT] = {0};
        for (int k = 0; k < QTR_CELL_KIND_COUNT; k++)
            cls[qtr_cell_class_of((enum qtr_cell_kind)k)] += c->count[k];
        fputs("  ", out);
        print_padded(out, c->name, 40);
        fputc(' ', out);
        print_padded(out, c->origin, 18);
        fprintf(out, " %7zu %7zu %10zu %7zu\n", cls[QTR_CLASS_VALUE], cls[QTR_CLASS_ZERO],
                cls[QTR_CLASS_SUPPRESSED], cls[QTR_CLASS_MISSING]);
    }
}
