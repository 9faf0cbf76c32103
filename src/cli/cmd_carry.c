/*
 * cmd_carry.c - `quartier carry`: counts of a table on one district layout carried onto
 * another (issue 13), by area, dasymetric weights or an official correspondence table.
 * Writes the carried columns on the target keys and the crosswalk (one row per piece).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry_util.h"
#include "cli.h"
#include "quartier/carry.h"
#include "quartier/cell.h"
#include "quartier/crosswalk.h"
#include "quartier/csv.h"
#include "quartier/layer.h"
#include "quartier/outdir.h"
#include "quartier/strutil.h"
#include "quartier/table.h"

static const char help[] =
    "usage: quartier carry --from BOUNDARIES --from-key COL --table CSV --table-key COL\n"
    "                      --columns COL[,COL...] --to BOUNDARIES --to-key COL -o CSV [options]\n"
    "\n"
    "Carries counts given on one district layout (the source: e.g. LOR 2019) onto another\n"
    "(the target: e.g. LOR 2021). Carry counts, never rates or shares: compute those after.\n"
    "Writes the carried columns on the target keys and a crosswalk (source key, target key,\n"
    "piece area in m², weight, share) that makes every carried value traceable.\n"
    "\n"
    "methods (--method):\n"
    "  area            area-weighted: each source count is split over its pieces in proportion\n"
    "                  to their area (the default)\n"
    "  weights         dasymetric: in proportion to piece area / target area x an ancillary\n"
    "                  count of the target (--weights-table, --weights-key, --weights-column,\n"
    "                  e.g. the residents of the target districts at another date); a source\n"
    "                  unit whose pieces all have weight 0 falls back to area; with\n"
    "                  --density-column the ancillary count is spread over the target's\n"
    "                  pieces by the source density of that column, not uniformly\n"
    "  correspondence  the shares of an official table (--correspondence CSV): source key,\n"
    "                  target key, share (0..1); no boundaries needed (--to only names the\n"
    "                  target keys)\n"
    "\n"
    "options:\n"
    "  --from FILE, --from-key COL, --from-layer NAME    source boundaries\n"
    "  --to FILE, --to-key COL, --to-layer NAME          target boundaries\n"
    "  --table CSV, --table-key COL                      the counts on the source layout\n"
    "  --columns A,B,...      the count columns to carry\n"
    "  --weights-table CSV, --weights-key COL, --weights-column COL   ancillary counts\n"
    "  --density-column COL   a count column of --table (e.g. the residents) whose density\n"
    "                         per m² in the source units spreads each target's ancillary\n"
    "                         count over its pieces (--method weights; docs/crosswalk.md)\n"
    "  --correspondence CSV   correspondence table\n"
    "  --correspondence-columns SRC,TGT,SHARE   its columns (default: the first three)\n"
    "  --sliver-area M2       drop pieces smaller than this (default 500 m²)\n"
    "  --suppressed-range LO..HI   a count suppressed with '*' lies in LO..HI: write the\n"
    "                         range of each target it feeds as COL_low and COL_high\n"
    "  --crs EPSG:N           CRS of a boundary source that has none\n"
    "  --work-crs EPSG:N      projected CRS for the areas (default: UTM zone of --to)\n"
    "  -o, --output CSV       the carried columns, one row per target key\n"
    "  --crosswalk CSV        the pieces (default: OUTPUT with -crosswalk before .csv)\n"
    "  -q, --quiet            no progress on stderr\n"
    "\n"
    "Cell states are carried: a suppressed source count makes every target it feeds\n"
    "suppressed ('.' in the output), a missing one missing (empty). Source units not fully\n"
    "covered by the target layout, targets fed by nothing, sources and targets without a\n"
    "match are reported on stderr by key.\n";

/* ---- the command line (the work: carry_run.c) ------------------------------- */

int cmd_carry(int argc, char **argv)
{
    enum {
        O_FROM = 256,
        O_FROM_KEY,
        O_FROM_LAYER,
        O_TO,
        O_TO_KEY,
        O_TO_LAYER,
        O_TABLE,
        O_TABLE_KEY,
        O_COLUMNS,
        O_METHOD,
        O_WTABLE,
        O_WKEY,
        O_WCOL,
        O_DCOL,
        O_CORR,
        O_CORR_COLS,
        O_SLIVER,
        O_CRS,
        O_WCRS,
        O_CROSSWALK,
        O_RANGE
    };
    static const struct option opts[] = {
        {"from", required_argument, NULL, O_FROM},
        {"from-key", required_argument, NULL, O_FROM_KEY},
        {"from-layer", required_argument, NULL, O_FROM_LAYER},
        {"to", required_argument, NULL, O_TO},
        {"to-key", required_argument, NULL, O_TO_KEY},
        {"to-layer", required_argument, NULL, O_TO_LAYER},
        {"table", required_argument, NULL, O_TABLE},
        {"table-key", required_argument, NULL, O_TABLE_KEY},
        {"columns", required_argument, NULL, O_COLUMNS},
        {"method", required_argument, NULL, O_METHOD},
        {"weights-table", required_argument, NULL, O_WTABLE},
        {"weights-key", required_argument, NULL, O_WKEY},
        {"weights-column", required_argument, NULL, O_WCOL},
        {"density-column", required_argument, NULL, O_DCOL},
        {"correspondence", required_argument, NULL, O_CORR},
        {"correspondence-columns", required_argument, NULL, O_CORR_COLS},
        {"sliver-area", required_argument, NULL, O_SLIVER},
        {"crs", required_argument, NULL, O_CRS},
        {"work-crs", required_argument, NULL, O_WCRS},
        {"crosswalk", required_argument, NULL, O_CROSSWALK},
        {"suppressed-range", required_argument, NULL, O_RANGE},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct carry_opts o = {.sliver = QTR_CROSSWALK_SLIVER_M2};
    const char *method = "area";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case O_FROM:
            o.from = optarg;
            break;
        case O_FROM_KEY:
            o.from_key = optarg;
            break;
        case O_FROM_LAYER:
            o.from_layer = optarg;
            break;
        case O_TO:
            o.to = optarg;
            break;
        case O_TO_KEY:
            o.to_key = optarg;
            break;
        case O_TO_LAYER:
            o.to_layer = optarg;
            break;
        case O_TABLE:
            o.table = optarg;
            break;
        case O_TABLE_KEY:
            o.table_key = optarg;
            break;
        case O_COLUMNS:
            o.columns = optarg;
            break;
        case O_METHOD:
            method = optarg;
            break;
        case O_WTABLE:
            o.wtable = optarg;
            break;
        case O_WKEY:
            o.wkey = optarg;
            break;
        case O_WCOL:
            o.wcol = optarg;
            break;
        case O_DCOL:
            o.dcol = optarg;
            break;
        case O_CORR:
            o.corr = optarg;
            break;
        case O_CORR_COLS:
            o.corr_cols = optarg;
            break;
        case O_CRS:
            o.crs = optarg;
            break;
        case O_WCRS:
            o.work_crs = optarg;
            break;
        case O_CROSSWALK:
            o.crosswalk = optarg;
            break;
        case O_SLIVER: {
            char *end;
            errno = 0;
            o.sliver = strtod(optarg, &end);
            if (end == optarg || *end || errno || !(o.sliver >= 0) || !isfinite(o.sliver))
                return cli_usage_error("carry",
                                       "--sliver-area takes an area in m² (0 or "
                                       "more), not '%s'",
                                       optarg);
            break;
        }
        case O_RANGE: {
            /* "1..2": strtod would read "1." as the number, so split at ".." first */
            const char *dots = strstr(optarg, "..");
            char lo[64], *end, *end2;
            int ok = dots && dots > optarg && (size_t)(dots - optarg) < sizeof lo;
            if (ok) {
                memcpy(lo, optarg, (size_t)(dots - optarg));
                lo[dots - optarg] = '\0';
                errno = 0;
                o.range_lo = strtod(lo, &end);
                o.range_hi = strtod(dots + 2, &end2);
                ok = end != lo && !*end && end2 != dots + 2 && !*end2 && !errno &&
                     o.range_lo >= 0 && o.range_hi >= o.range_lo && isfinite(o.range_hi);
            }
            if (!ok)
                return cli_usage_error("carry",
                                       "--suppressed-range takes LO..HI with 0 <= LO <= HI, "
                                       "e.g. 1..2, not '%s'",
                                       optarg);
            o.has_range = 1;
            break;
        }
        case 'o':
            o.out = optarg;
            break;
        case 'q':
            o.quiet = 1;
            break;
        case 'h':
            fputs(help, stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("carry", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("carry", "unexpected argument '%s'", argv[optind]);
    if (!strcmp(method, "area"))
        o.method = QTR_CARRY_AREA;
    else if (!strcmp(method, "weights"))
        o.method = QTR_CARRY_WEIGHTS;
    else if (!strcmp(method, "correspondence"))
        o.method = QTR_CARRY_CORRESPONDENCE;
    else
        return cli_usage_error("carry", "--method is area, weights or correspondence, not '%s'",
                               method);
    if (!o.table || !o.table_key || !o.columns || !o.out)
        return cli_usage_error("carry", "--table, --table-key, --columns and -o are required");
    if (o.method != QTR_CARRY_CORRESPONDENCE && (!o.from || !o.from_key || !o.to || !o.to_key))
        return cli_usage_error("carry", "--method %s needs --from, --from-key, --to and --to-key",
                               method);
    if (o.method == QTR_CARRY_CORRESPONDENCE && !o.corr)
        return cli_usage_error("carry", "--method correspondence needs --correspondence CSV");
    if (o.method != QTR_CARRY_CORRESPONDENCE && o.corr)
        return cli_usage_error("carry", "--correspondence goes with --method correspondence");
    if (o.to && !o.to_key)
        return cli_usage_error("carry", "--to needs --to-key");
    if (o.method == QTR_CARRY_WEIGHTS && (!o.wtable || !o.wkey || !o.wcol))
        return cli_usage_error("carry", "--method weights needs --weights-table, --weights-key "
                                        "and --weights-column");
    if (o.method != QTR_CARRY_WEIGHTS && (o.wtable || o.wkey || o.wcol || o.dcol))
        return cli_usage_error("carry", "--weights-table, --weights-key, --weights-column and "
                                        "--density-column go with --method weights");
    return carry_run(&o);
}
