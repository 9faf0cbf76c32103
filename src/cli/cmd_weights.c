#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "quartier/layer.h"
#include "quartier/output.h"
#include "quartier/weights.h"

static const char help[] =
    "usage: quartier weights BOUNDARIES --key COL --type TYPE -o FILE [options]\n"
    "\n"
    "Spatial weights of a boundary layer, written in GeoDa/PySAL formats keyed by the key\n"
    "column, so they can be cross-checked in GeoDa or PySAL. Computed in the work CRS.\n"
    "\n"
    "types:\n"
    "  queen      districts sharing a boundary point (.gal)\n"
    "  rook       districts sharing a boundary segment (.gal)\n"
    "  knn        the K nearest centroids (--k, .gal)\n"
    "  band       centroids within --distance metres (.gal, or .gwt with --inverse)\n"
    "  kernel     kernel weights on centroids (--kernel, --bandwidth or --k [--adaptive], .gwt)\n"
    "\n"
    "options:\n"
    "  --key COL              key column\n"
    "  --crs EPSG:N           CRS of a source that has none\n"
    "  --work-crs EPSG:N      CRS for distances (default: UTM zone of the data)\n"
    "  --snap M               contiguity: join boundaries closer than M metres (default 0)\n"
    "  --k N                  knn / adaptive kernel: number of neighbours\n"
    "  --distance M           band: threshold in metres\n"
    "  --inverse              band: weights 1/d instead of 1 (written as .gwt)\n"
    "  --kernel F             triangular (default), uniform, quadratic, bisquare, gaussian\n"
    "  --bandwidth M          kernel: fixed bandwidth in metres\n"
    "  --adaptive             kernel: bandwidth = distance to the K-th neighbour, per district\n"
    "  -o, --output FILE      .gal or .gwt\n"
    "  -q, --quiet            no progress on stderr\n"
    "\n"
    "Districts without neighbours (islands) and separate parts are reported on stderr by key.\n";

int cmd_weights(int argc, char **argv)
{
    enum { OPT_KEY = 256, OPT_CRS, OPT_WCRS, OPT_TYPE, OPT_SNAP, OPT_K, OPT_DIST, OPT_INV,
           OPT_KERNEL, OPT_BW, OPT_ADAPT };
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"crs", required_argument, NULL, OPT_CRS},
        {"work-crs", required_argument, NULL, OPT_WCRS},
        {"type", required_argument, NULL, OPT_TYPE},
        {"snap", required_argument, NULL, OPT_SNAP},
        {"k", required_argument, NULL, OPT_K},
        {"distance", required_argument, NULL, OPT_DIST},
        {"inverse", no_argument, NULL, OPT_INV},
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"bandwidth", required_argument, NULL, OPT_BW},
        {"adaptive", no_argument, NULL, OPT_ADAPT},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *key = NULL, *crs = NULL, *wcrs = NULL, *type = NULL, *outpath = NULL;
    const char *kernel = "triangular";
    double snap = 0, dist = 0, bw = 0;
    long k = 0;
    int inverse = 0, adaptive = 0, quiet = 0;
    char *end;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_KEY:
            key = optarg;
            break;
        case OPT_CRS:
            crs = optarg;
            break;
        case OPT_WCRS:
            wcrs = optarg;
            break;
        case OPT_TYPE:
            type = optarg;
            break;
        case OPT_SNAP:
        case OPT_DIST:
        case OPT_BW: {
            errno = 0;
            double v = strtod(optarg, &end);
            if (end == optarg || *end || errno || v < 0)
                return cli_usage_error("weights", "expected a distance in metres, not '%s'",
                                       optarg);
            *(c == OPT_SNAP ? &snap : c == OPT_DIST ? &dist : &bw) = v;
            break;
        }
        case OPT_K:
            errno = 0;
            k = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || k < 1)
                return cli_usage_error("weights", "--k takes a whole number >= 1, not '%s'",
                                       optarg);
            break;
        case OPT_INV:
            inverse = 1;
            break;
        case OPT_KERNEL:
            kernel = optarg;
            break;
        case OPT_ADAPT:
            adaptive = 1;
            break;
        case 'o':
            outpath = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(help, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("weights", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("weights", "expected exactly one BOUNDARIES source");
    if (!key || !type || !outpath)
        return cli_usage_error("weights", "--key, --type and -o are required");
    static const char *kernels[] = {"triangular", "uniform", "quadratic", "bisquare",
                                    "gaussian"};
    enum qtr_kernel_fn kfn = QTR_KERNEL_TRIANGULAR;
    size_t kk;
    for (kk = 0; kk < 5 && strcmp(kernel, kernels[kk]); kk++)
        ;
    if (kk == 5)
        return cli_usage_error("weights", "unknown --kernel '%s'", kernel);
    kfn = (enum qtr_kernel_fn)kk;
    int contiguity = !strcmp(type, "queen") || !strcmp(type, "rook");
    if (!contiguity && strcmp(type, "knn") && strcmp(type, "band") && strcmp(type, "kernel"))
        return cli_usage_error("weights", "--type is queen, rook, knn, band or kernel, not '%s'",
                               type);
    if (!strcmp(type, "knn") && k == 0)
        return cli_usage_error("weights", "--type knn needs --k");
    if (!strcmp(type, "band") && dist == 0)
        return cli_usage_error("weights", "--type band needs --distance");
    if (!strcmp(type, "kernel") && bw == 0 && k == 0)
        return cli_usage_error("weights", "--type kernel needs --bandwidth or --k");
    size_t olen = strlen(outpath);
    int gwt = olen > 4 && !strcmp(outpath + olen - 4, ".gwt");
    int gal = olen > 4 && !strcmp(outpath + olen - 4, ".gal");
    if (!gwt && !gal)
        return cli_usage_error("weights", "-o must end in .gal or .gwt");
    if (gal && (!strcmp(type, "kernel") || inverse))
        return cli_usage_error("weights", "%s weights carry values: write them as .gwt", type);

    struct qtr_error err = {0};
    struct qtr_ctx ctx = {0};
    struct cli_progress prog = {0};
    struct qtr_layer *l = NULL;
    struct qtr_csr *w = NULL;
    int ex = EXIT_OK;
    int rc = cli_ctx_init(&ctx, &prog, quiet, &err);
    struct qtr_layer_options lo = {
        .source = argv[optind], .key = key, .assign_crs = crs, .work_crs = wcrs};
    const char *inputs[] = {argv[optind]};
    if (!rc)
        rc = qtr_check_not_input(outpath, inputs, 1, &err);
    if (!rc)
        rc = qtr_layer_read(&ctx, &lo, &l, &err);
    if (!rc) {
        if (contiguity)
            rc = qtr_weights_contiguity(ctx.geos, (const struct GEOSGeom_t *const *)l->geom,
                                        l->n, !strcmp(type, "queen"), snap, &w, NULL, &err);
        else if (!strcmp(type, "knn"))
            rc = qtr_weights_knn(l->cx, l->cy, l->n, (size_t)k, &w, &err);
        else if (!strcmp(type, "band"))
            rc = qtr_weights_distance_band(l->cx, l->cy, l->n, dist, !inverse, -1.0, &w, &err);
        else
            rc = qtr_weights_kernel(l->cx, l->cy, l->n, kfn, bw, (size_t)k, adaptive,
                                    QTR_KERNEL_SELF_KERNEL, &w, &err);
    }
    if (!rc) {
        uint32_t *isl = malloc(l->n * sizeof *isl);
        size_t ni = isl ? qtr_weights_islands(w, isl) : 0;
        for (size_t i = 0; i < ni; i++)
            fprintf(stderr, "quartier: warning: %s has no neighbours (island)\n", l->key[isl[i]]);
        size_t ncomp = 0;
        if (isl && qtr_weights_components(w, isl, &ncomp, &err) == QTR_OK && ncomp > 1)
            fprintf(stderr, "quartier: note: the weights form %zu separate parts\n", ncomp);
        free(isl);
        rc = gal ? qtr_weights_write_gal(outpath, w, (const char *const *)l->key, l->layer_name,
                                         key, &err)
                 : qtr_weights_write_gwt(outpath, w, (const char *const *)l->key, l->layer_name,
                                         key, &err);
    }
    if (rc) {
        ex = cli_fail(&err);
    } else {
        size_t nnz = qtr_csr_nnz(w);
        printf("%s: %zu districts, %zu neighbour pairs (mean %.2f per district)\n", outpath,
               l->n, nnz, l->n ? (double)nnz / (double)l->n : 0.0);
    }
    qtr_csr_free(w);
    qtr_layer_free(l);
    qtr_ctx_release(&ctx);
    return ex;
}
