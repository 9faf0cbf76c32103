/*
 * Change between two reference dates: each core index at the previous and the current date,
 * the difference and its random-label test (inference.h), and the Shapley decomposition of the
 * change in the mutual information index M (districts of one date only are its additions and
 * removals).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/inference.h"
#include "quartier/multigroup.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"

static int count_ok(uint8_t kind)
{
    return kind == QTR_CELL_VALUE || kind == QTR_CELL_ZERO;
}

/* Districts usable at the previous date: previous total and counts present, total > 0. */
static int usable_prev(const struct qtr_column *tot, const struct qtr_column *const *g, size_t ng,
                       size_t i, double min_population, int exclude_small)
{
    if (!count_ok(tot->kind[i]) || !(tot->v[i] > 0))
        return 0;
    if (exclude_small && tot->v[i] < min_population)
        return 0;
    for (size_t k = 0; k < ng; k++)
        if (!count_ok(g[k]->kind[i]) || g[k]->v[i] < 0 || g[k]->v[i] > tot->v[i])
            return 0;
    return 1;
}

static struct qtr_change_row *new_row(struct qtr_state *st, size_t *cap)
{
    if (st->nchanges == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        struct qtr_change_row *r = realloc(st->changes, nc * sizeof *r);
        if (!r)
            return NULL;
        st->changes = r;
        *cap = nc;
    }
    struct qtr_change_row *row = &st->changes[st->nchanges++];
    memset(row, 0, sizeof *row);
    row->expected = row->p_value = NAN;
    return row;
}

int qtr_pipeline_change(struct qtr_ctx *ctx, const struct qtr_config *cfg, struct qtr_state *st,
                        struct qtr_error *err)
{
    if (!cfg->previous_total)
        return QTR_OK;
    struct qtr_frame *f = st->frame;
    size_t n = f->n, cap = 0;
    struct qtr_column *tot, *ptot;
    int rc;
    char w1[1200], w2[1200], section[160];
    if ((rc = qtr_frame_require(
             f, cfg->total, qtr_config_what(cfg, "population", "total", "total column", w1, sizeof w1),
             &tot, err)) ||
        (rc = qtr_frame_require(f, cfg->previous_total,
                                qtr_config_what(cfg, "population", "previous_total",
                                                "previous_total column", w2, sizeof w2),
                                &ptot, err)))
        return rc;
    double *ta = malloc(n * sizeof *ta), *xa = malloc(n * sizeof *xa);
    double *tb = malloc(n * sizeof *tb), *xb = malloc(n * sizeof *xb);
    if (!ta || !xa || !tb || !xb) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    struct qtr_infer_options io = {
        .draws = cfg->permutations, .seed = ctx->seed ? ctx->seed : cfg->seed,
        .threads = ctx->threads};
    static const struct {
        const char *name;
        qtr_index_fn fn;
    } core[] = {{"dissimilarity", qtr_dissimilarity}, {"gini", qtr_gini},
                {"entropy", qtr_entropy},             {"isolation", qtr_isolation},
                {"exposure", qtr_exposure}};

    for (size_t g = 0; g < cfg->ngroups; g++) {
        const struct qtr_group_spec *gs = &cfg->groups[g];
        if (!gs->previous || gs->multigroup_only)
            continue;
        struct qtr_column *cur, *prev;
        snprintf(section, sizeof section, "group %s", gs->id);
        if ((rc = qtr_frame_require(
                 f, gs->column, qtr_config_what(cfg, section, "column", "group column", w1, sizeof w1),
                 &cur, err)) ||
            (rc = qtr_frame_require(f, gs->previous,
                                    qtr_config_what(cfg, section, "previous",
                                                    "previous group column", w2, sizeof w2),
                                    &prev, err)))
            goto out;
        size_t na = 0, nb = 0, only_now = 0, only_before = 0;
        char only_now_keys[160] = "", only_before_keys[160] = "";
        for (size_t i = 0; i < n; i++) {
            int a = st->usable[i];
            const struct qtr_column *pg = prev;
            int b = usable_prev(ptot, &pg, 1, i, cfg->min_population, cfg->small_exclude);
            if (a) {
                ta[na] = tot->v[i];
                xa[na++] = cur->v[i];
            }
            if (b) {
                tb[nb] = ptot->v[i];
                xb[nb++] = prev->v[i];
            }
            if (a != b) {
                char *keys = a ? only_now_keys : only_before_keys;
                size_t *cnt = a ? &only_now : &only_before;
                if (*cnt < 5) {
                    size_t len = strlen(keys);
                    snprintf(keys + len, sizeof only_now_keys - len, "%s%s", len ? ", " : "",
                             f->key[i]);
                }
                (*cnt)++;
            }
        }
        if (g == 0 && (only_now || only_before) &&
            qtr_report_add(&st->report, QTR_ISSUE_MISSING_COUNT, QTR_INFO, "", "", "change",
                           "comparison %s to %s: %zu districts enter only the current indices "
                           "(%s%s), %zu only the previous ones (%s%s); each date's indices use "
                           "its own districts",
                           cfg->previous_date ? cfg->previous_date : "previous",
                           cfg->date ? cfg->date : "current", only_now, only_now_keys,
                           only_now > 5 ? ", ..." : "", only_before, only_before_keys,
                           only_before > 5 ? ", ..." : "")) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (g == 0 && (only_now || only_before))
            qtr_report_add_de(&st->report,
                              "Vergleich %s mit %s: %zu Gebiet%s nur in den aktuellen Indizes "
                              "(%s%s), %zu nur in denen der Vorperiode (%s%s); jeder Stichtag "
                              "verwendet seine eigenen Gebiete",
                              cfg->previous_date ? cfg->previous_date : "Vorperiode",
                              cfg->date ? cfg->date : "aktuell", only_now, only_now == 1 ? "" : "e",
                              only_now_keys, only_now > 5 ? ", ..." : "", only_before,
                              only_before_keys, only_before > 5 ? ", ..." : "");
        struct qtr_units ua = {.n = na, .total = ta, .group = xa};
        struct qtr_units ub = {.n = nb, .total = tb, .group = xb};
        for (size_t k = 0; k < sizeof core / sizeof core[0]; k++) {
            struct qtr_change_row *row = new_row(st, &cap);
            if (!row) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            snprintf(row->index, sizeof row->index, "%s", core[k].name);
            snprintf(row->group, sizeof row->group, "%s", gs->id);
            row->n_previous = nb;
            row->n_current = na;
            struct qtr_error e = {0};
            double va = NAN, vb = NAN;
            int ra = core[k].fn(&ua, &va, &e);
            int rb = ra ? ra : core[k].fn(&ub, &vb, &e);
            if (ra || rb) {
                row->previous = row->current = row->difference = NAN;
                snprintf(row->note, sizeof row->note, "%.190s", e.msg);
                snprintf(row->note_de, sizeof row->note_de,
                         "nicht berechnet (der Grund steht in der Tabelle „Veränderung“ der "
                         "Anlage)");
                continue;
            }
            row->previous = vb;
            row->current = va;
            row->difference = va - vb;
            snprintf(row->method, sizeof row->method, "random_label");
            if (io.draws > 0) {
                struct qtr_compare_result cr;
                io.seed = (ctx->seed ? ctx->seed : cfg->seed) + 1000003u * (k + 1) + g;
                if (qtr_infer_compare(&ua, &ub, core[k].fn, QTR_COMPARE_RANDOM_LABEL, &io, &cr,
                                      NULL, &e) == QTR_OK) {
                    row->expected = cr.expected;
                    row->p_value = cr.p_value;
                } else {
                    snprintf(row->note, sizeof row->note, "no test: %.180s", e.msg);
                    snprintf(row->note_de, sizeof row->note_de,
                             "kein Test (der Grund steht in der Tabelle „Veränderung“ der "
                             "Anlage)");
                }
            }
        }
    }

    /* Shapley decomposition of the change in M over the mutually exclusive groups, on the
     * districts usable at either date, so that its M values are the city's at each date. */
    size_t nm = 0;
    for (size_t g = 0; g < cfg->ngroups; g++)
        nm += cfg->groups[g].multigroup && cfg->groups[g].previous;
    size_t nmg = 0;
    for (size_t g = 0; g < cfg->ngroups; g++)
        nmg += cfg->groups[g].multigroup;
    if (nm >= 2 && nm == nmg) {
        struct qtr_column **gc = calloc(nm, sizeof *gc), **gp = calloc(nm, sizeof *gp);
        double *buf = malloc(2 * nm * n * sizeof *buf);
        double *sa = malloc(n * sizeof *sa), *sb = malloc(n * sizeof *sb);
        const double **pa = calloc(nm, sizeof *pa), **pb = calloc(nm, sizeof *pb);
        if (!gc || !gp || !buf || !sa || !sb || !pa || !pb) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        } else {
            size_t k = 0;
            for (size_t g = 0; g < cfg->ngroups && !rc; g++)
                if (cfg->groups[g].multigroup) {
                    rc = qtr_frame_require(f, cfg->groups[g].column, "group column", &gc[k], err);
                    if (!rc)
                        rc = qtr_frame_require(f, cfg->groups[g].previous,
                                               "previous group column", &gp[k], err);
                    k++;
                }
            /* Every district usable at either date; at the date where it is not, it has
             * no residents (its share of M is an addition or a removal). */
            size_t m = 0, m_prev = 0, m_cur = 0;
            for (size_t i = 0; i < n && !rc; i++) {
                int cur = st->usable[i];
                for (size_t j = 0; j < nm && cur; j++)
                    cur = count_ok(gc[j]->kind[i]);
                int prev = usable_prev(ptot, (const struct qtr_column *const *)gp, nm, i,
                                       cfg->min_population, cfg->small_exclude);
                if (!cur && !prev)
                    continue;
                m_cur += cur != 0;
                m_prev += prev != 0;
                sa[m] = sb[m] = 0;
                for (size_t j = 0; j < nm; j++) {
                    buf[j * n + m] = cur ? gc[j]->v[i] : 0.0;
                    buf[(nm + j) * n + m] = prev ? gp[j]->v[i] : 0.0;
                    sa[m] += buf[j * n + m];
                    sb[m] += buf[(nm + j) * n + m];
                }
                m++;
            }
            for (size_t j = 0; j < nm; j++) {
                pa[j] = buf + j * n;
                pb[j] = buf + (nm + j) * n;
            }
            struct qtr_units ua = {.n = m, .total = sa, .ngroups = nm, .groups = pa};
            struct qtr_units ub = {.n = m, .total = sb, .ngroups = nm, .groups = pb};
            enum qtr_shapley_split split = cfg->decomposition_three_player
                                               ? QTR_SHAPLEY_THREE_PLAYER
                                               : QTR_SHAPLEY_ELBERS;
            struct qtr_m_shapley sh;
            struct qtr_error e = {0};
            if (!rc && qtr_mutual_information_shapley(&ub, &ua, split, &sh, &e) == QTR_OK) {
                const struct {
                    const char *component;
                    double v;
                } parts[] = {{"", sh.difference},
                             {"additions", sh.additions},
                             {"removals", sh.removals},
                             {"district_composition", sh.unit_marginal},
                             {"group_composition", sh.group_marginal},
                             {"distribution", sh.structural}};
                for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
                    struct qtr_change_row *row = new_row(st, &cap);
                    if (!row) {
                        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                        break;
                    }
                    snprintf(row->index, sizeof row->index, "mutual_information");
                    snprintf(row->component, sizeof row->component, "%s", parts[p].component);
                    row->previous = p == 0 ? sh.m1 : NAN;
                    row->current = p == 0 ? sh.m2 : NAN;
                    row->difference = parts[p].v;
                    row->n_previous = m_prev;
                    row->n_current = m_cur;
                    snprintf(row->method, sizeof row->method, "%s",
                             split == QTR_SHAPLEY_ELBERS ? "shapley" : "shapley_three_player");
                    if (p == 0)
                        snprintf(row->note, sizeof row->note,
                                 "%s over the districts usable at each date (%zu and %zu); "
                                 "districts of one date only are additions and removals",
                                 split == QTR_SHAPLEY_ELBERS
                                     ? "Elbers (2023) decomposition as R segregation"
                                     : "three-player Shapley decomposition",
                                 m_prev, m_cur);
                    if (p == 0)
                        snprintf(row->note_de, sizeof row->note_de,
                                 "%s über die an jedem Stichtag verwendbaren Gebiete (%zu und "
                                 "%zu); Gebiete nur eines Stichtags zählen als Zu- und Abgänge",
                                 split == QTR_SHAPLEY_ELBERS
                                     ? "Zerlegung nach Elbers (2023) als R-Segregation"
                                     : "Shapley-Zerlegung mit drei Beteiligten",
                                 m_prev, m_cur);
                }
            } else if (!rc) {
                struct qtr_change_row *row = new_row(st, &cap);
                if (row) {
                    snprintf(row->index, sizeof row->index, "mutual_information");
                    row->previous = row->current = row->difference = NAN;
                    snprintf(row->method, sizeof row->method, "shapley");
                    snprintf(row->note, sizeof row->note, "not decomposed: %.180s", e.msg);
                    snprintf(row->note_de, sizeof row->note_de,
                             "nicht zerlegt (der Grund steht in der Tabelle „Veränderung“ der "
                             "Anlage)");
                }
            }
        }
        free(gc);
        free(gp);
        free(buf);
        free(sa);
        free(sb);
        free(pa);
        free(pb);
    }
out:
    free(ta);
    free(xa);
    free(tb);
    free(xb);
    return rc;
}
