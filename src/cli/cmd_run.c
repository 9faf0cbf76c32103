#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "quartier/config.h"
#include "quartier/pg_sink.h"
#include "quartier/pipeline.h"
#include "quartier/region.h"
#include "quartier/strutil.h"

static const char run_help[] =
    "usage: quartier run ANALYSIS.ini [-o OUTDIR] [--seed N] [--permutations N] [--threads N]\n"
    "                    [--strict] [--no-report] [-q]\n"
    "                    [--jobs N | --region KEY | --compare]   (with [batch])\n"
    "\n"
    "Runs the whole analysis described by ANALYSIS.ini (see docs/analysis-file.md): reads the\n"
    "boundaries and statistics tables, joins them, computes the indices and writes\n"
    "  OUTDIR/quartier.gpkg      districts layer, city_indices, join_report, run_info\n"
    "  OUTDIR/districts.geojson  RFC 7946 (EPSG:4326) for web maps\n"
    "  OUTDIR/tables/            annex tables as CSV (German Excel) and XLSX\n"
    "The GeoPackage opens styled in QGIS. Counts below [analysis] min_count are suppressed.\n"
    "  OUTDIR/report.html, report.pdf  council report (language as in the analysis file)\n"
    "  OUTDIR/maps/              maps as PNG, SVG and PDF\n"
    "OUTDIR is replaced as a whole, in one step, when every file is complete: an interrupted\n"
    "run leaves the previous outputs intact, and a second run into the same folder is refused\n"
    "while the first one is writing. OUTDIR must be new, empty or an earlier quartier output.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   output folder (default: 'output' in the analysis file)\n"
    "      --seed N       seed for all simulations (default: 'seed' in the analysis file)\n"
    "      --permutations N  draws for p-values and intervals (default: 'permutations' in the\n"
    "                     analysis file, else 999; 0 = none)\n"
    "      --threads N    worker threads (default: all cores)\n"
    "      --strict       join and data-quality warnings are errors\n"
    "      --no-report    skip the maps and the report (faster reruns)\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         this text\n"
    "\n"
    "With a [batch] section (docs/batch.md) every region runs as its own process and writes\n"
    "OUTDIR/regions/KEY/; then OUTDIR/comparison/ compares the regions (into PostgreSQL,\n"
    "output = PG:... schema=NAME: schemas NAME_KEY and NAME, files in the folder NAME):\n"
    "      --jobs N       regions at a time (default 1)\n"
    "      --region KEY   run this region only (for job runners: xargs -P, Slurm arrays)\n"
    "      --compare      only build OUTDIR/comparison/ from the region folders (or schemas)\n"
    "\n"
    "exit status: 0 ok, 1 failure (with [batch]: some region failed or has no output),\n"
    "2 usage error\n";

static const char check_help[] =
    "usage: quartier check ANALYSIS.ini [-o OUTDIR] [--strict] [-v]\n"
    "\n"
    "Runs everything 'quartier run' runs except writing: reads and joins the inputs, computes\n"
    "the indices, indicators, classes and targets, and checks that the output folder can be\n"
    "written. Prints the join and data-quality report: duplicate and unmatched keys, ambiguous\n"
    "names, suppressed and missing cells per column, groups larger than their total, small and\n"
    "empty districts, repaired polygons. Writes nothing. Exits 1 (2 for a mistake in the\n"
    "analysis file) exactly when 'quartier run' would fail on the same inputs.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   output folder to check (default: 'output' in the analysis file)\n"
    "      --seed N, --permutations N  as for 'quartier run'\n"
    "      --strict       warnings count as errors\n"
    "  -v, --verbose      list every note, not only the first 50 of a kind\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         this text\n";

struct run_args {
    const char *analysis;
    const char *outdir;
    int have_seed;
    unsigned long long seed;
    long permutations; /* -1 = from the analysis file */
    int threads;
    int quiet;
    int strict;
    int verbose;
    int no_report;
    const char *region; /* --region KEY */
    int jobs;           /* --jobs N (0: not given) */
    int compare;        /* --compare */
    const char *pass[8]; /* options handed on to the region processes of a batch */
    size_t npass;
    char seed_s[32], perm_s[32];
};

/* The options every region process of a batch gets as the batch got them. */
static void batch_pass(struct run_args *a)
{
    if (a->have_seed) {
        snprintf(a->seed_s, sizeof a->seed_s, "%llu", a->seed);
        a->pass[a->npass++] = "--seed";
        a->pass[a->npass++] = a->seed_s;
    }
    if (a->permutations >= 0) {
        snprintf(a->perm_s, sizeof a->perm_s, "%ld", a->permutations);
        a->pass[a->npass++] = "--permutations";
        a->pass[a->npass++] = a->perm_s;
    }
    if (a->strict)
        a->pass[a->npass++] = "--strict";
    if (a->no_report)
        a->pass[a->npass++] = "--no-report";
}

static int parse(int argc, char **argv, const char *cmd, const char *help, struct run_args *a)
{
    enum { OPT_SEED = 256, OPT_THREADS, OPT_STRICT, OPT_PERM, OPT_NOREPORT, OPT_REGION,
           OPT_JOBS, OPT_COMPARE };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"strict", no_argument, NULL, OPT_STRICT}, {"quiet", no_argument, NULL, 'q'},
        {"permutations", required_argument, NULL, OPT_PERM},
        {"verbose", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
        {"no-report", no_argument, NULL, OPT_NOREPORT},
        {"region", required_argument, NULL, OPT_REGION},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"compare", no_argument, NULL, OPT_COMPARE},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->permutations = -1;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o':
            a->outdir = optarg;
            break;
        case OPT_SEED:
            errno = 0;
            a->seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || errno || optarg[0] == '-')
                return cli_usage_error(cmd, "--seed takes a whole number >= 0, not '%s'",
                                       optarg);
            a->have_seed = 1;
            break;
        case OPT_THREADS: {
            errno = 0;
            long t = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || t < 1 || t > 1024)
                return cli_usage_error(cmd, "--threads takes a number from 1 to 1024, not '%s'",
                                       optarg);
            a->threads = (int)t;
            break;
        }
        case OPT_STRICT:
            a->strict = 1;
            break;
        case OPT_REGION:
            a->region = optarg;
            break;
        case OPT_COMPARE:
            a->compare = 1;
            break;
        case OPT_JOBS: {
            errno = 0;
            long j = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || j < 1 || j > 1024)
                return cli_usage_error(cmd, "--jobs takes a number from 1 to 1024, not '%s'",
                                       optarg);
            a->jobs = (int)j;
            break;
        }
        case OPT_NOREPORT:
            a->no_report = 1;
            break;
        case OPT_PERM:
            errno = 0;
            a->permutations = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || a->permutations < 0 ||
                a->permutations > 1000000)
                return cli_usage_error(cmd, "--permutations takes a number from 0 to 1000000, "
                                            "not '%s'",
                                       optarg);
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'v':
            a->verbose = 1;
            break;
        case 'h':
            fputs(help, stdout);
            exit(EXIT_OK);
        default:
            return cli_usage_error(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(cmd, optind >= argc ? "the analysis file is missing"
                                                   : "exactly one analysis file is expected");
    a->analysis = argv[optind];
    if (!strcmp(cmd, "check") && (a->region || a->jobs || a->compare))
        return cli_usage_error(cmd, "--region, --jobs and --compare are options of 'quartier "
                                    "run'; check one region with 'quartier run --region KEY'");
    if (!!a->region + !!a->jobs + a->compare > 1)
        return cli_usage_error(cmd, "--region, --jobs and --compare exclude each other: a "
                                    "batch runs all regions (--jobs), one region (--region) "
                                    "or only the comparison (--compare)");
    batch_pass(a);
    return EXIT_OK;
}

static int load(const struct run_args *a, struct qtr_config *cfg, struct qtr_ctx *ctx,
                struct cli_progress *prog, struct qtr_error *err)
{
    qtr_config_init(cfg);
    int rc = qtr_config_load(a->analysis, cfg, err);
    if (rc)
        return rc;
    if (a->strict)
        cfg->strict = 1;
    if (a->have_seed)
        cfg->seed = a->seed;
    if (a->permutations >= 0)
        cfg->permutations = (unsigned)a->permutations;
    if ((rc = cli_ctx_init(ctx, prog, a->quiet, err)))
        return rc;
    ctx->seed = cfg->seed;
    ctx->threads = a->threads;
    ctx->strict = cfg->strict;
    return QTR_OK;
}

int cmd_run(int argc, char **argv)
{
    struct run_args a;
    int ex = parse(argc, argv, "run", run_help, &a);
    if (ex)
        return ex;
    struct qtr_error err = {0};
    struct qtr_config cfg;
    struct qtr_ctx ctx = {0};
    struct cli_progress prog = {0};
    struct qtr_state *st = NULL;
    int rc = load(&a, &cfg, &ctx, &prog, &err);
    const char *outdir = a.outdir ? a.outdir : cfg.output;
    char *region_dir = NULL, *pg_folder = NULL, *region_target = NULL;
    uint64_t analysis_seed = cfg.seed;
    int pg_out = !rc && qtr_starts_with(outdir, "PG:");
    if (!rc && cfg.batch_by && pg_out) {
        /* a batch into PostgreSQL: each region into schema NAME_KEY, the comparison into
         * NAME, the files into the folder NAME beside the analysis file (docs/batch.md) */
        if (!(rc = qtr_pg_target_schema(outdir, &cfg.region_schema, &err)) &&
            !(pg_folder = qtr_asprintf("%s/%s", cfg.dir && *cfg.dir ? cfg.dir : ".",
                                       cfg.region_schema)))
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
    }
    if (!rc && cfg.batch_by && !a.region) {
        struct cli_batch_args b = {
            .analysis = a.analysis,
            .outdir = pg_out ? pg_folder : outdir,
            .pg_target = pg_out ? outdir : NULL,
            .pass_output = pg_out ? a.outdir : outdir,
            .jobs = a.jobs ? a.jobs : 1,
            .compare = a.compare,
            .quiet = a.quiet,
            .no_report = a.no_report,
            .threads = a.threads,
            .pass = a.pass,
            .npass = a.npass,
        };
        ex = cli_batch(&b, &cfg, &ctx);
        qtr_ctx_release(&ctx);
        qtr_config_release(&cfg);
        free(pg_folder);
        return ex;
    }
    if (!rc && !cfg.batch_by && (a.region || a.jobs || a.compare))
        rc = qtr_error_set(&err, QTR_ERR_USAGE,
                           "%s has no [batch] section, so it has no regions for %s; add one "
                           "(e.g. '[batch]' with 'by = prefix:2', docs/batch.md)",
                           a.analysis, a.region ? "--region" : a.jobs ? "--jobs" : "--compare");
    if (!rc && a.region) {
        /* one region of the batch: its own folder, its own seed (docs/batch.md) */
        char *title = qtr_asprintf("%s – Region %s", cfg.title ? cfg.title : "", a.region);
        char *dir = qtr_region_dir_name(a.region);
        region_dir = dir ? qtr_asprintf("%s/regions/%s", pg_out ? pg_folder : outdir, dir) : NULL;
        free(dir);
        cfg.region = qtr_strdup(a.region);
        /* into PostgreSQL: the region's own schema (region.h, qtr_region_schema_name) */
        char *schema = pg_out ? qtr_region_schema_name(cfg.region_schema, a.region) : NULL;
        if (schema)
            rc = qtr_pg_target_with_schema(outdir, schema, &region_target, &err);
        free(schema);
        if (rc) {
            free(title);
        } else if (!title || !region_dir || !cfg.region || (pg_out && !region_target)) {
            free(title);
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
        } else {
            free(cfg.title);
            cfg.title = title;
            cfg.seed = ctx.seed = qtr_region_seed(analysis_seed, a.region);
            outdir = region_dir;
        }
    }
    if (!rc) {
        struct qtr_run_options ro = {.outdir = region_target ? region_target
                                               : region_dir  ? region_dir
                                                             : a.outdir,
                                     .no_report = a.no_report,
                                     .analysis_seed = analysis_seed,
                                     .pg_folder = region_target ? region_dir : NULL};
        rc = qtr_pipeline_run(&ctx, &cfg, &ro, &st, &err);
    }
    if (rc) {
        if (st && st->report.n && !a.quiet)
            cli_print_report(stderr, st, 0);
        ex = cli_fail(&err);
    } else {
        size_t w = qtr_report_warnings(&st->report);
        if (w)
            fprintf(stderr,
                    "quartier: %zu warnings in the join report (see 'quartier check %s' or "
                    "the join_report table)\n",
                    w, a.analysis);
        printf("%zu districts, %zu in the indices\n", st->frame->n, st->nusable);
        outdir = st->outdir;
        if (st->pg_output)
            printf("PostgreSQL: %s\n", st->pg_output);
        printf("GeoPackage: %s\nGeoJSON:    %s\n", st->gpkg_path, st->geojson_path);
        if (st->npublished > 2)
            printf("Tables:     %s/tables/\n", outdir);
        if (!a.no_report)
            printf("Report:     %s/report.html, report.pdf; maps in %s/maps\n", outdir, outdir);
        ex = EXIT_OK;
    }
    qtr_state_free(st);
    qtr_ctx_release(&ctx);
    qtr_config_release(&cfg);
    free(region_dir);
    free(region_target);
    free(pg_folder);
    return ex;
}

int cmd_check(int argc, char **argv)
{
    struct run_args a;
    int ex = parse(argc, argv, "check", check_help, &a);
    if (ex)
        return ex;
    struct qtr_error err = {0};
    struct qtr_config cfg;
    struct qtr_ctx ctx = {0};
    struct cli_progress prog = {0};
    struct qtr_state *st = NULL;
    int rc = load(&a, &cfg, &ctx, &prog, &err);
    char *cmp_dir = NULL, *pg_cmp = NULL;
    const char *target = a.outdir ? a.outdir : cfg.output;
    if (!rc && cfg.batch_by && qtr_starts_with(target, "PG:")) {
        /* into PostgreSQL: the server and the regions' schema names are checked (the load
         * stage checks the names with cfg.region_schema set) */
        rc = qtr_pg_target_schema(target, &cfg.region_schema, &err);
        if (!rc && !(pg_cmp = qtr_asprintf("%s/%s/comparison", cfg.dir && *cfg.dir ? cfg.dir : ".",
                                           cfg.region_schema)))
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
    } else if (!rc && cfg.batch_by) {
        /* a batch writes OUT/regions/ and OUT/comparison/: check the comparison's folder
         * (the regions are the whole analysis, checked as one here) */
        cmp_dir = qtr_asprintf("%s/comparison", a.outdir ? a.outdir : cfg.output);
        if (!cmp_dir)
            rc = qtr_error_set(&err, QTR_ERR_NOMEM, "out of memory");
    }
    if (!rc) {
        struct qtr_run_options ro = {
            .outdir = cmp_dir ? cmp_dir : a.outdir, .dry_run = 1, .pg_folder = pg_cmp};
        rc = qtr_pipeline_run(&ctx, &cfg, &ro, &st, &err);
    }
    if (st && st->frame)
        cli_print_report(stdout, st, a.verbose);
    if (rc) {
        ex = cli_fail(&err);
    } else {
        printf("\nThe analysis can run: %zu districts, %zu in the indices; the output folder "
               "'%s' can be written.\n",
               st->frame->n, st->nusable, cmp_dir ? cmp_dir : st->outdir);
        if (st->pg_output)
            printf("PostgreSQL '%s' can be reached; the tables go to that schema.\n",
                   st->pg_output);
        ex = EXIT_OK;
    }
    qtr_state_free(st);
    qtr_ctx_release(&ctx);
    qtr_config_release(&cfg);
    free(cmp_dir);
    free(pg_cmp);
    return ex;
}
