#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "quartier/config.h"
#include "quartier/pipeline.h"
#include "quartier/strutil.h"

static const char help[] =
    "usage: quartier indices BOUNDARIES [STATS] --key COL [--stats-key COL]\n"
    "                        --group COL [--group COL ...] --total COL [--groups A,B,C]\n"
    "                        [--crs EPSG:N] [--work-crs EPSG:N] [--min-population N]\n"
    "                        [--permutations N] [--seed N] [--only|--skip NAMES]\n"
    "                        [--format text|csv|json] [-q]\n"
    "\n"
    "Segregation indices without an analysis file. BOUNDARIES is any OGR source\n"
    "(Shapefile, GeoPackage, GeoJSON, PG:...). STATS is a CSV/XLSX/ODS table joined by key;\n"
    "without it the boundary layer's own attributes are the statistics. Per-district\n"
    "results (LISA, Gi*, location quotients) and the multiscalar profile are outputs of\n"
    "'quartier run' and are not computed here.\n"
    "\n"
    "options:\n"
    "  --key COL            key column of the boundaries\n"
    "  --stats-key COL      key column of STATS (default: the same name as --key)\n"
    "  --group COL          a population group (repeatable): single-group indices vs the rest\n"
    "  --total COL          all residents\n"
    "  --groups A,B,C       mutually exclusive groups for the multigroup indices (their sum\n"
    "                       per district is the total, as in PySAL)\n"
    "  --crs EPSG:N         CRS of a source that has none (e.g. EPSG:4326)\n"
    "  --work-crs EPSG:N    CRS for areas and distances (default: UTM zone of the data)\n"
    "  --min-population N   leave districts with fewer residents out (default 0)\n"
    "  --permutations N     draws for p-values, intervals and the indices defined by\n"
    "                       simulation (default 999; 0 = none: point estimates only,\n"
    "                       the modified and bias-corrected indices are left out)\n"
    "  --seed N             seed for the draws (default 1)\n"
    "  --null MODEL         null model of the p-values: permutation (default; residents\n"
    "                       allocated at random, district and group totals kept), evenness,\n"
    "                       systematic or bootstrap (as PySAL's inference)\n"
    "  --only NAMES         only these indices or families (comma-separated): single,\n"
    "                       multigroup, spatial, distance_decay, profile, local, surface\n"
    "                       (the multigroup indices of the 2 km kernel environments), or\n"
    "                       index names as printed (e.g. --only dissimilarity,distance_decay)\n"
    "  --skip NAMES         all but these indices or families (e.g. --skip profile)\n"
    "  --format F           text (default), csv or json\n"
    "  --pysal-compatible   reproduce PySAL segregation 2.5.4 where it departs from the\n"
    "                       published formulas (distance-decay family, density-corrected D)\n"
    "  -q, --quiet          no progress on stderr\n"
    "\n"
    "Join warnings (duplicate or unmatched keys) go to stderr by key.\n"
    "exit status: 0 ok, 1 failure, 2 usage error\n";

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON };

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

static void csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
}

static int has_index(const struct qtr_state *st, const char *name)
{
    for (size_t k = 0; k < st->nindices; k++)
        if (!strcmp(st->indices[k].name, name))
            return 1;
    return 0;
}

static void print_indices(FILE *out, const struct qtr_state *st, const struct qtr_config *cfg,
                          enum fmt f)
{
    size_t shown = 0;
    if (f == FMT_JSON) {
        fprintf(out, "{\"units\": %zu, \"indices\": [", st->nusable);
        for (size_t k = 0; k < st->nindices; k++) {
            const struct qtr_index_value *v = &st->indices[k];
            if (!qtr_config_index_wanted(cfg, v->name))
                continue;
            fputs(shown++ ? ",\n  {" : "\n  {", out);
            fputs("\"name\": ", out);
            json_string(out, v->name);
            fputs(", \"group\": ", out);
            json_string(out, v->group);
            fputs(", \"value\": ", out);
            json_number(out, v->status == QTR_OK ? v->value : NAN);
            fputs(", \"ci_low\": ", out);
            json_number(out, v->ci_low);
            fputs(", \"ci_high\": ", out);
            json_number(out, v->ci_high);
            fputs(", \"p_value\": ", out);
            json_number(out, v->p_value);
            fputs(", \"expected\": ", out);
            json_number(out, v->expected);
            if (isfinite(v->suppressed_low)) {
                fputs(", \"suppressed_low\": ", out);
                json_number(out, v->suppressed_low);
                fputs(", \"suppressed_high\": ", out);
                json_number(out, v->suppressed_high);
            }
            if (v->status != QTR_OK) {
                fputs(", \"reason\": ", out);
                json_string(out, v->reason);
            }
            fputc('}', out);
        }
        fputs("\n]}\n", out);
        return;
    }
    if (f == FMT_CSV) {
        fputs("name,group,value,ci_low,ci_high,p_value,expected,reason\n", out);
        for (size_t k = 0; k < st->nindices; k++) {
            const struct qtr_index_value *v = &st->indices[k];
            if (!qtr_config_index_wanted(cfg, v->name))
                continue;
            csv_field(out, v->name);
            fputc(',', out);
            csv_field(out, v->group);
            double nums[] = {v->status == QTR_OK ? v->value : NAN, v->ci_low, v->ci_high,
                             v->p_value, v->expected};
            for (size_t j = 0; j < 5; j++) {
                fputc(',', out);
                if (isfinite(nums[j]))
                    fprintf(out, "%.17g", nums[j]);
            }
            fputc(',', out);
            csv_field(out, v->status == QTR_OK ? "" : v->reason);
            fputc('\n', out);
        }
        return;
    }
    fprintf(out, "%zu districts in the indices (of %zu)\n\n", st->nusable, st->frame->n);
    fprintf(out, "%-44s %-16s %12s %21s %9s\n", "index", "group", "value", "95% interval", "p");
    for (size_t k = 0; k < st->nindices; k++) {
        const struct qtr_index_value *v = &st->indices[k];
        if (!qtr_config_index_wanted(cfg, v->name))
            continue;
        if (v->status != QTR_OK) {
            fprintf(out, "%-44s %-16s %12s  (%s)\n", v->name, v->group, "-", v->reason);
            continue;
        }
        fprintf(out, "%-44s %-16s %12.6f", v->name, v->group, v->value);
        if (isfinite(v->ci_low) && isfinite(v->ci_high))
            fprintf(out, "   [%8.6f, %8.6f]", v->ci_low, v->ci_high);
        else
            fprintf(out, "   %19s", "");
        if (isfinite(v->p_value))
            fprintf(out, " %9.4f", v->p_value);
        fputc('\n', out);
    }
}

/* Appends the comma-separated index or family names of `arg` to the list; unknown names are a
 * usage error that lists the families. */
static int add_names(char ***list, size_t *n, const char *arg, const char *opt)
{
    char *copy = qtr_strdup(arg);
    int ex = copy ? EXIT_OK : EXIT_FAIL;
    for (char *p = copy, *next; p && ex == EXIT_OK; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        qtr_trim_inplace(p);
        if (!*p)
            continue;
        if (!qtr_index_name_known(p)) {
            char fam[256] = "";
            for (size_t i = 0; qtr_index_family_names[i]; i++)
                snprintf(fam + strlen(fam), sizeof fam - strlen(fam), "%s%s", i ? ", " : "",
                         qtr_index_family_names[i]);
            ex = cli_usage_error("indices",
                                 "%s: '%s' is no index or family name (families: %s; index "
                                 "names as 'quartier indices' prints them)",
                                 opt, p, fam);
            break;
        }
        char **grown = realloc(*list, (*n + 1) * sizeof *grown);
        if (grown)
            *list = grown;
        if (!grown || !(grown[*n] = qtr_strdup(p))) {
            ex = EXIT_FAIL;
            break;
        }
        (*n)++;
    }
    free(copy);
    return ex;
}

static int add_group(struct qtr_config *cfg, const char *col, int multigroup_only)
{
    for (size_t g = 0; g < cfg->ngroups; g++)
        if (!strcmp(cfg->groups[g].column, col)) {
            cfg->groups[g].multigroup = 1;
            return 0;
        }
    struct qtr_group_spec *gs = realloc(cfg->groups, (cfg->ngroups + 1) * sizeof *gs);
    if (!gs)
        return -1;
    cfg->groups = gs;
    memset(&gs[cfg->ngroups], 0, sizeof *gs);
    gs[cfg->ngroups].id = qtr_strdup(col);
    gs[cfg->ngroups].column = qtr_strdup(col);
    gs[cfg->ngroups].label = qtr_strdup(col);
    gs[cfg->ngroups].multigroup = multigroup_only;
    gs[cfg->ngroups].multigroup_only = multigroup_only;
    cfg->ngroups++;
    return 0;
}

int cmd_indices(int argc, char **argv)
{
    enum {
        OPT_KEY = 256,
        OPT_STATS_KEY,
        OPT_GROUP,
        OPT_GROUPS,
        OPT_TOTAL,
        OPT_CRS,
        OPT_WORK_CRS,
        OPT_MINPOP,
        OPT_PERM,
        OPT_SEED,
        OPT_FORMAT,
        OPT_PYSAL,
        OPT_NULL,
        OPT_ONLY,
        OPT_SKIP,
    };
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"stats-key", required_argument, NULL, OPT_STATS_KEY},
        {"group", required_argument, NULL, OPT_GROUP},
        {"groups", required_argument, NULL, OPT_GROUPS},
        {"total", required_argument, NULL, OPT_TOTAL},
        {"crs", required_argument, NULL, OPT_CRS},
        {"work-crs", required_argument, NULL, OPT_WORK_CRS},
        {"min-population", required_argument, NULL, OPT_MINPOP},
        {"permutations", required_argument, NULL, OPT_PERM},
        {"seed", required_argument, NULL, OPT_SEED},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"pysal-compatible", no_argument, NULL, OPT_PYSAL},
        {"null", required_argument, NULL, OPT_NULL},
        {"only", required_argument, NULL, OPT_ONLY},
        {"skip", required_argument, NULL, OPT_SKIP},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct qtr_config cfg;
    qtr_config_init(&cfg);
    cfg.min_population = 0;
    cfg.small_exclude = 1;
    const char *key = NULL, *stats_key = NULL, *groups_csv = NULL;
    enum fmt format = FMT_TEXT;
    int quiet = 0, ex = EXIT_OK;
    char *end;
    optind = 1;
    opterr = 0;
    int c;
    while (ex == EXIT_OK && (c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_KEY:
            key = optarg;
            break;
        case OPT_STATS_KEY:
            stats_key = optarg;
            break;
        case OPT_GROUP:
            if (add_group(&cfg, optarg, 0))
                ex = EXIT_FAIL;
            break;
        case OPT_GROUPS:
            groups_csv = optarg;
            break;
        case OPT_TOTAL:
            free(cfg.total);
            cfg.total = qtr_strdup(optarg);
            break;
        case OPT_CRS:
            free(cfg.bnd_crs);
            cfg.bnd_crs = qtr_strdup(optarg);
            break;
        case OPT_WORK_CRS:
            free(cfg.crs);
            cfg.crs = qtr_strdup(optarg);
            break;
        case OPT_MINPOP:
            errno = 0;
            cfg.min_population = strtod(optarg, &end);
            if (end == optarg || *end || errno || cfg.min_population < 0)
                ex = cli_usage_error("indices", "--min-population takes a number >= 0, not '%s'",
                                     optarg);
            break;
        case OPT_PERM: {
            errno = 0;
            long p = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || p < 0 || p > 1000000)
                ex = cli_usage_error(
                    "indices", "--permutations takes a number from 0 to 1000000, not '%s'", optarg);
            cfg.permutations = (unsigned)p;
            break;
        }
        case OPT_SEED:
            errno = 0;
            cfg.seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || errno || optarg[0] == '-')
                ex = cli_usage_error("indices", "--seed takes a whole number >= 0, not '%s'",
                                     optarg);
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "text"))
                format = FMT_TEXT;
            else if (!strcmp(optarg, "csv"))
                format = FMT_CSV;
            else if (!strcmp(optarg, "json"))
                format = FMT_JSON;
            else
                ex = cli_usage_error("indices", "--format is text, csv or json, not '%s'", optarg);
            break;
        case OPT_PYSAL:
            cfg.pysal_compatible = 1;
            break;
        case OPT_NULL:
            cfg.null_model = qtr_null_model_parse(optarg);
            if (cfg.null_model < 0)
                ex = cli_usage_error("indices",
                                     "--null is permutation, evenness, systematic or bootstrap, "
                                     "not '%s'",
                                     optarg);
            break;
        case OPT_ONLY:
        case OPT_SKIP:
            ex = add_names(c == OPT_ONLY ? &cfg.index_only : &cfg.index_skip,
                           c == OPT_ONLY ? &cfg.nindex_only : &cfg.nindex_skip, optarg,
                           c == OPT_ONLY ? "--only" : "--skip");
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(help, stdout);
            qtr_config_release(&cfg);
            return EXIT_OK;
        default:
            ex = cli_usage_error("indices", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (ex == EXIT_OK) {
        int npos = argc - optind;
        if (npos < 1 || npos > 2)
            ex = cli_usage_error("indices", "expected BOUNDARIES and optionally STATS");
        else if (!key)
            ex = cli_usage_error("indices", "--key is required");
        else if (!cfg.total)
            ex = cli_usage_error("indices", "--total is required");
        else if (cfg.ngroups == 0 && !groups_csv)
            ex = cli_usage_error("indices", "at least one --group (or --groups) is required");
    }
    if (ex == EXIT_OK && groups_csv) {
        char *copy = qtr_strdup(groups_csv);
        size_t count = 0;
        for (char *p = copy, *next; p && ex == EXIT_OK; p = next) {
            next = strchr(p, ',');
            if (next)
                *next++ = '\0';
            qtr_trim_inplace(p);
            if (!*p)
                continue;
            if (add_group(&cfg, p, 1))
                ex = EXIT_FAIL;
            count++;
        }
        free(copy);
        if (ex == EXIT_OK && count < 2)
            ex = cli_usage_error("indices", "--groups needs at least two groups, e.g. A,B,C");
    }
    /* What `quartier indices` does not print is not computed: the local statistics (LISA, Gi*,
     * location quotients and their cluster areas) and the multiscalar profile belong to
     * `quartier run`'s outputs. */
    if (ex == EXIT_OK)
        ex = add_names(&cfg.index_skip, &cfg.nindex_skip, "lisa,multiscalar_profile", "--skip");
    if (ex != EXIT_OK) {
        qtr_config_release(&cfg);
        return ex;
    }
    cfg.bnd_source = qtr_strdup(argv[optind]);
    cfg.bnd_key = qtr_strdup(key);
    cfg.path = qtr_strdup("(command line)");
    if (argc - optind == 2) {
        cfg.tables = calloc(1, sizeof *cfg.tables);
        if (cfg.tables) {
            cfg.ntables = 1;
            cfg.tables[0].id = qtr_strdup("stats");
            cfg.tables[0].source = qtr_strdup(argv[optind + 1]);
            cfg.tables[0].key = qtr_strdup(stats_key ? stats_key : key);
        }
    }

    struct qtr_error err = {0};
    struct qtr_ctx ctx = {0};
    struct cli_progress prog = {0};
    struct qtr_state *st = NULL;
    int rc = cli_ctx_init(&ctx, &prog, quiet, &err);
    ctx.seed = cfg.seed;
    if (!rc)
        rc = qtr_pipeline_load(&ctx, &cfg, &st, &err);
    if (st)
        for (size_t i = 0; i < st->report.n; i++) {
            const struct qtr_issue *it = &st->report.items[i];
            if (it->severity == QTR_WARNING)
                fprintf(stderr, "quartier: warning: %s%s%s: %s\n", it->key,
                        it->key[0] && it->name[0] ? " " : "", it->name, it->detail);
        }
    if (!rc)
        rc = qtr_pipeline_compute(&ctx, &cfg, st, &err);
    if (rc == QTR_OK && (rc = qtr_pipeline_spatial(&ctx, &cfg, st, &err))) {
        /* The spatial analysis could not run (memory, geometry): the indices computed so far
         * stand, and the spatial ones are listed with the reason. */
        if (rc != QTR_ERR_USAGE && st) {
            fprintf(stderr, "quartier: warning: spatial indices not computed: %s\n", err.msg);
            static const char *const spatial[] = {"spatial_dissimilarity",
                                                  "boundary_spatial_dissimilarity",
                                                  "perimeter_area_ratio_spatial_dissimilarity",
                                                  "spatial_proximity",
                                                  "absolute_clustering",
                                                  "relative_clustering",
                                                  "distance_decay_isolation",
                                                  "distance_decay_exposure",
                                                  "spatial_proximity_profile",
                                                  "morans_i"};
            struct qtr_error e2 = {0};
            char reason[QTR_ERROR_MSG_SIZE + 40];
            snprintf(reason, sizeof reason, "the spatial analysis stopped: %s", err.msg);
            rc = QTR_OK;
            for (size_t k = 0; k < sizeof spatial / sizeof spatial[0] && !rc; k++)
                if (!has_index(st, spatial[k]))
                    rc = qtr_state_add_index(st, spatial[k], "", NAN, QTR_ERR_DOMAIN, reason, NAN,
                                             NAN, &e2);
            if (rc)
                err = e2;
        }
    }
    if (rc)
        ex = cli_fail(&err);
    else
        print_indices(stdout, st, &cfg, format);
    qtr_state_free(st);
    qtr_ctx_release(&ctx);
    qtr_config_release(&cfg);
    return ex;
}
