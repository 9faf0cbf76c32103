/*
 * gen_musterstadt.c - the synthetic example city "Musterstadt" (CC0).
 *
 *   gen_musterstadt [--seed N] [--out DIR]
 *
 * Writes DIR/bezirke.shp (+ .shx .dbf .prj .cpg) with 120 Statistische Bezirke
 * and the statistics-office tables bevoelkerung_{2020,2022}.csv,
 * sozialdaten_{2020,2022}.csv and wohnen_{2020,2022}.csv. The same seed gives
 * byte-identical files: every random number comes from the splitmix64 stream
 * below, GEOS and GDAL are called in a fixed order, and the DBF "last update"
 * date is pinned (GDAL would otherwise write today's date into the header).
 *
 * Geometry: Voronoi cells (GEOS) of seeded sites, denser near the centre,
 * clipped to a smooth irregular star-shaped outline about 12 km across, in
 * EPSG:25832 around x = 470000, y = 5650000 (northern Hesse). Clipped cells are
 * snapped to a 1 cm grid so that neighbours share identical vertices.
 *
 * Statistics: a small latent model per district - a migrant-share logit with a
 * centre cluster, a housing-estate cluster (Großwohnsiedlung Hochfeld, north-east
 * edge) and villa suburbs; a social-disadvantage score that follows the logit
 * only partly (own noise term); rates derived from the score. Between 2020 and
 * 2022 the estate gets worse and one centre area (around Gerberviertel)
 * gentrifies. Counts are integers built so that the published identities hold
 * exactly: mh + ohne_mh = insgesamt, auslaender + dt_mit_mh = mh,
 * unter 15 + 15-65 + 65+ = insgesamt.
 *
 * The CSV files imitate a German statistics-office export on purpose: cp1252,
 * CRLF, ';', decimal comma, '.' as thousands separator in the population
 * tables, title lines and a footer in bevoelkerung_2022.csv only, '*' for
 * suppressed counts 1..2, '.' for withheld values, '-' for true zeros.
 */
#include "quartier/error.h"
#include "quartier/strutil.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <errno.h>
#include <gdal.h>
#include <geos_c.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PI 3.14159265358979323846

#define N_DISTRICTS 120
#define N_CENTRE 24 /* the 24 sites nearest the centre form Stadtteil 01 Innenstadt */
#define N_STT 10
#define CENTRE_X 470000.0
#define CENTRE_Y 5650000.0
#define OUTLINE_R 6000.0  /* mean radius of the city outline, m */
#define OUTLINE_VERTS 240 /* vertices of the outline ring */
#define DEFAULT_SEED 20221231u
#define DBF_DATE "2023-01-31" /* pinned DBF header date (byte-identical output) */

/* ---------------------------------------------------------------- RNG --- */

/* splitmix64 (Steele, Lea & Flood 2014, as published by Vigna): tiny, seedable,
 * and identical on every platform, unlike rand(). */
struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unif(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Standard normal (Box-Muller; one draw per call keeps the stream simple). */
static double rng_normal(struct rng *r)
{
    double u1 = 1.0 - rng_unif(r); /* (0, 1] so log() is finite */
    double u2 = rng_unif(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * PI * u2);
}

/* ------------------------------------------------------- city layout --- */

struct stt_def {
    const char *nr;
    const char *name;
    double mh_shift;  /* added to the migrant-share logit */
    double dis_shift; /* added to the disadvantage score */
    double dens_mult; /* residential density factor */
    double villa;     /* 1 = villa suburb (more living space, older residents) */
    const char *names[14];
};

/* Stadtteil 01 is the centre; 02..10 are sectors of the outer ring, clockwise
 * from north. Names are listed in the order districts are numbered (nearest the
 * Stadtteil's anchor first); every list is longer than its sector can be. */
/* clang-format off */
static const struct stt_def STT[N_STT] = {
    {"01", "Innenstadt", 0.0, 0.1, 1.0, 0.0, {NULL}},
    {"02", "Nordstadt", 0.35, 0.35, 1.0, 0.0,
     {"Nördliche Vorstadt", "Nordstadt-Mitte", "Nordbahnhof", "Am Güterbahnhof",
      "Nördlicher Ring", "Ziegelei", "Kolonie Glückauf", "Am Nordpark", "Schützenhof",
      "Hüttenviertel", "Nordfriedhof", "Eisenbahnersiedlung", "Hüttenweg", "Kohlenhof"}},
    {"03", "Hochfeld", 0.2, 0.3, 1.1, 0.0,
     {"Hochfeld-Zentrum", "Hochfeld-Nord", "Hochfeld-Süd", "Am Hochhausring", "Hochfeld-Ost",
      "Birkenhöhe", "Am Wasserturm", "Ahornweg", "Feldmark", "Kiefernhöhe", "Lerchenberg",
      "Buchenhain", "Krähenwinkel", "Am Sender"}},
    {"04", "Oststadt", 0.1, 0.0, 0.9, 0.0,
     {"Östliche Vorstadt", "Oststadt-Mitte", "Östlicher Ring", "Am Ostpark", "Großfeld",
      "Kasernenviertel", "Klinikviertel", "Rosenhöhe", "Heidegrund", "Am Lindenbrunnen",
      "Eichenau", "Pfaffenwiese", "Ostfriedhof", "Kleine Höhe"}},
    {"05", "Osthafen", 0.3, 0.4, 0.7, 0.0,
     {"Hafenviertel", "Am Kanal", "Werftviertel", "Speicherstadt", "Hafenkolonie",
      "Lagerhausviertel", "Am Zollhof", "Schiffbauerviertel", "Mühlenhof", "Ölmühle",
      "Kranenburg", "Schleusenweg", "Löschplatz", "Am Düker"}},
    {"06", "Südstadt", -0.3, -0.3, 0.9, 0.2,
     {"Südliche Vorstadt", "Südstadt-Mitte", "Am Südpark", "Südfriedhof", "Stadtwald",
      "Hirschberg", "Tannenhof", "Im Kirschgarten", "Bürgerpark", "Kleefeld", "Mühlenberg",
      "Wiesengrund", "Am Weinberg", "Käferberg"}},
    {"07", "Sonnenberg", -1.0, -0.8, 0.6, 1.0,
     {"Sonnenberg", "Südweststadt", "Villenkolonie", "Am Kurpark", "Rosenhang", "Lindenhöhe",
      "Eichendorffviertel", "Schönblick", "Am Höhenweg", "Waldfrieden", "Sonnenhang",
      "Fürstenberg", "Jägerhöhe", "Am Tiergarten"}},
    {"08", "Weststadt", 0.15, 0.2, 1.0, 0.0,
     {"Westliche Vorstadt", "Weststadt-Mitte", "Westend", "Am Westbahnhof", "Gartenstadt",
      "Siedlung Frohe Zukunft", "Lohmühle", "Schäferei", "Am Sportpark", "Fliederweg",
      "Drosselgasse", "Westring", "Gießerei", "Am Wäldchen"}},
    {"09", "Waldau", -0.9, -0.6, 0.5, 0.6,
     {"Alt-Waldau", "Waldau-Süd", "Waldau-Nord", "Forsthaus", "Obermühle", "Untermühle",
      "Hasenwinkel", "Fuchsbau", "Kreuzäcker", "Am Bruch", "Grüner Weg", "Dorfwiesen", "Köhlerei",
      "Bärenbach"}},
    {"10", "Lindenhof", -0.4, -0.3, 0.8, 0.3,
     {"Lindenhof-Mitte", "Nordweststadt", "Lindenhof-Ost", "Am Flugplatz", "Heideweg",
      "Birkenwäldchen", "Kastanienallee", "Bergfried", "Am Römerhof", "Schwalbennest",
      "Steinbruch", "Am Weiher", "Nußbaumgrund", "Gänseweide"}},
};
/* clang-format on */

/* Innenstadt names, nearest the centre first. Index 7 is the gentrifying area. */
static const char *const CENTRE_NAMES[N_CENTRE] = {
    "Altstadt",        "Marktviertel",        "Domviertel",     "Rathausviertel", "Schlossviertel",
    "Bahnhofsviertel", "Theaterviertel",      "Gerberviertel",  "Am Mühlbach",    "Fischerviertel",
    "Neustadt",        "Universitätsviertel", "Wallanlagen",    "Am Stadtgraben", "Klosterviertel",
    "Hospitalviertel", "Zeughausviertel",     "Am Stadtpark",   "Kaiserplatz",    "Lutherviertel",
    "Brühl",           "Holzmarkt",           "Am Schlachthof", "Färberviertel"};
#define GENTRIFY_RANK 7
#define TINY_NAME "Industriehafen" /* the one district with fewer than 300 residents */

/* One reference date of one district. */
struct year {
    long total, mh, ausl, dtmh, ohne; /* residents by migration background */
    long u18, u15, a15_65, a65;       /* age groups (u15 is inside u18 and outside 15-65) */
    long alo, sgb2, k_sgb2;           /* Arbeitslose, SGB II under 65, children in SGB II */
    long abg, abg_ohne, gs4, gym;     /* school leavers, without degree; 4th grade, Gymnasium */
    double wfl, sozw, alt70, leer;    /* m² per resident, % social housing, % pre-1970, % vacant */
};

struct district {
    double x, y;       /* site of the Voronoi cell */
    double r, bearing; /* distance from the centre (m), bearing clockwise from north (deg) */
    int stt;           /* 0..9 */
    int rank;          /* order within the Stadtteil */
    int tiny;          /* 1 for the industrial harbour district */
    char nr[4];
    const char *name;
    GEOSGeometry *cell; /* clipped cell, owned */
    double area_km2;
    double estate, gent; /* 0..1 closeness to the estate and to the gentrifying area */
    double e[10];        /* fixed per-district noise terms, reused for both dates */
    struct year yr[2];   /* 0 = 31.12.2020, 1 = 31.12.2022 */
};

/* Outline radius at angle t (radians): a few low harmonics keep it smooth,
 * star-shaped (r > 0 everywhere) and irregular. */
struct outline {
    double amp[4], phase[4];
};

static double outline_radius(const struct outline *o, double t)
{
    double f = 1.0;
    for (int k = 0; k < 4; k++)
        f += o->amp[k] * cos((double)(k + 2) * t + o->phase[k]);
    return OUTLINE_R * f;
}

static double round_to(double v, double step)
{
    return floor(v / step + 0.5) * step;
}

/* ------------------------------------------------------- GEOS errors --- */

struct geos_msg {
    char text[512];
};

static void geos_handler(const char *message, void *userdata)
{
    struct geos_msg *m = userdata;
    snprintf(m->text, sizeof m->text, "%s", message);
}

/* ---------------------------------------------------------- geometry --- */

static int cmp_double_idx(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] < y[0])
        return -1;
    if (x[0] > y[0])
        return 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Sites: dart throwing with a minimum distance that grows outwards and an
 * acceptance probability that falls outwards, so the centre gets small
 * districts and the edge large ones, as in real cities. */
static void place_sites(struct rng *rng, const struct outline *o, struct district *d)
{
    int n = 0;
    double relax = 1.0;
    long misses = 0;
    while (n < N_DISTRICTS) {
        double x = (rng_unif(rng) * 2.0 - 1.0) * OUTLINE_R * 1.4;
        double y = (rng_unif(rng) * 2.0 - 1.0) * OUTLINE_R * 1.4;
        double acc = rng_unif(rng);
        double r = hypot(x, y);
        double t = atan2(y, x);
        double rmax = outline_radius(o, t);
        int ok = r < 0.93 * rmax;
        double rho = r / rmax;
        if (ok)
            ok = acc < 0.15 + 0.85 * exp(-(rho / 0.4) * (rho / 0.4));
        double dmin = relax * (260.0 + 900.0 * rho);
        for (int i = 0; ok && i < n; i++)
            if (hypot(d[i].x - x, d[i].y - y) < dmin)
                ok = 0;
        if (!ok) {
            if (++misses > 20000) {
                relax *= 0.95;
                misses = 0;
            }
            continue;
        }
        misses = 0;
        d[n].x = round_to(x, 0.1);
        d[n].y = round_to(y, 0.1);
        d[n].r = hypot(d[n].x, d[n].y);
        double b = atan2(d[n].x, d[n].y) * 180.0 / PI; /* clockwise from north */
        d[n].bearing = b < 0 ? b + 360.0 : b;
        n++;
    }
}

/* Stadtteile: the N_CENTRE sites nearest the centre are the Innenstadt; the
 * others are split by bearing into nine sectors of (nearly) equal count,
 * starting 20 degrees west of north. Within a Stadtteil, districts are ranked
 * by distance to an anchor: the centre for the Innenstadt, the estate site for
 * Hochfeld, the sector's inner edge otherwise. */
static int assign_stadtteile(struct district *d, double *order /* 2*N scratch */)
{
    for (int i = 0; i < N_DISTRICTS; i++) {
        order[2 * i] = d[i].r;
        order[2 * i + 1] = i;
    }
    qsort(order, N_DISTRICTS, 2 * sizeof(double), cmp_double_idx);
    int is_centre[N_DISTRICTS] = {0};
    for (int k = 0; k < N_CENTRE; k++)
        is_centre[(int)order[2 * k + 1]] = 1;

    int m = 0;
    for (int i = 0; i < N_DISTRICTS; i++) {
        if (is_centre[i]) {
            d[i].stt = 0;
            continue;
        }
        order[2 * m] = fmod(d[i].bearing + 20.0, 360.0);
        order[2 * m + 1] = i;
        m++;
    }
    qsort(order, (size_t)m, 2 * sizeof(double), cmp_double_idx);
    int pos = 0;
    for (int s = 1; s < N_STT; s++) {
        int count = m / (N_STT - 1) + (s - 1 < m % (N_STT - 1) ? 1 : 0);
        for (int k = 0; k < count; k++)
            d[(int)order[2 * (pos + k) + 1]].stt = s;
        pos += count;
    }
    return 0;
}

/* Rank districts within each Stadtteil by distance to (ax, ay). */
static void rank_within(struct district *d, int stt, double ax, double ay, double *order)
{
    int m = 0;
    for (int i = 0; i < N_DISTRICTS; i++) {
        if (d[i].stt != stt)
            continue;
        order[2 * m] = hypot(d[i].x - ax, d[i].y - ay);
        order[2 * m + 1] = i;
        m++;
    }
    qsort(order, (size_t)m, 2 * sizeof(double), cmp_double_idx);
    for (int k = 0; k < m; k++)
        d[(int)order[2 * k + 1]].rank = k;
}

/* The Voronoi cells of the sites, clipped to the outline and snapped to 1 cm.
 * A convex cell may cut a concave bay of the outline into pieces; the smaller
 * pieces are then given to the neighbour that shares most of their boundary,
 * so the result stays a gap-free tessellation of single polygons. */
static int build_cells(GEOSContextHandle_t h, const struct outline *o, struct district *d,
                       struct qtr_error *err)
{
    int rc = QTR_ERR_INTERNAL;
    GEOSGeometry *outline = NULL, *sites = NULL, *vor = NULL;
    GEOSGeometry *pts[N_DISTRICTS] = {0};
    GEOSGeometry *strays[4 * N_DISTRICTS] = {0};
    int n_strays = 0;

    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, OUTLINE_VERTS + 1, 2);
    if (!cs)
        goto out;
    for (int k = 0; k <= OUTLINE_VERTS; k++) {
        double t = 2.0 * PI * (double)(k % OUTLINE_VERTS) / OUTLINE_VERTS;
        double r = outline_radius(o, t);
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, round_to(CENTRE_X + r * cos(t), 0.01),
                             round_to(CENTRE_Y + r * sin(t), 0.01));
    }
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, cs);
    if (!ring)
        goto out;
    outline = GEOSGeom_createPolygon_r(h, ring, NULL, 0);
    if (!outline)
        goto out;

    for (int i = 0; i < N_DISTRICTS; i++) {
        pts[i] = GEOSGeom_createPointFromXY_r(h, CENTRE_X + d[i].x, CENTRE_Y + d[i].y);
        if (!pts[i])
            goto out;
    }
    sites = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, N_DISTRICTS);
    if (!sites)
        goto out;
    memset(pts, 0, sizeof pts); /* owned by sites now */

    vor = GEOSVoronoiDiagram_r(h, sites, outline, 0.0, 0);
    if (!vor)
        goto out;
    int ncell = GEOSGetNumGeometries_r(h, vor);
    if (ncell != N_DISTRICTS) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "voronoi diagram has %d cells for %d sites",
                           ncell, N_DISTRICTS);
        goto out;
    }
    for (int c = 0; c < ncell; c++) {
        const GEOSGeometry *cell = GEOSGetGeometryN_r(h, vor, c);
        int owner = -1;
        for (int i = 0; i < N_DISTRICTS && owner < 0; i++)
            if (GEOSContains_r(h, cell, GEOSGetGeometryN_r(h, sites, i)) == 1)
                owner = i;
        if (owner < 0 || d[owner].cell) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "voronoi cell %d has no unique site", c);
            goto out;
        }
        GEOSGeometry *clip = GEOSIntersectionPrec_r(h, cell, outline, 0.01);
        if (!clip)
            goto out;
        int parts = GEOSGetNumGeometries_r(h, clip);
        if (GEOSGeomTypeId_r(h, clip) == GEOS_POLYGON) {
            d[owner].cell = clip;
            continue;
        }
        /* keep the piece holding the site, collect the others */
        int keep = -1;
        for (int p = 0; p < parts; p++) {
            const GEOSGeometry *pg = GEOSGetGeometryN_r(h, clip, p);
            if (GEOSGeomTypeId_r(h, pg) == GEOS_POLYGON &&
                GEOSIntersects_r(h, pg, GEOSGetGeometryN_r(h, sites, owner)) == 1)
                keep = p;
        }
        if (keep < 0) {
            GEOSGeom_destroy_r(h, clip);
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "clipped cell lost its site");
            goto out;
        }
        for (int p = 0; p < parts; p++) {
            const GEOSGeometry *pg = GEOSGetGeometryN_r(h, clip, p);
            if (GEOSGeomTypeId_r(h, pg) != GEOS_POLYGON)
                continue;
            GEOSGeometry *copy = GEOSGeom_clone_r(h, pg);
            if (!copy) {
                GEOSGeom_destroy_r(h, clip);
                goto out;
            }
            if (p == keep) {
                d[owner].cell = copy;
            } else if (n_strays < 4 * N_DISTRICTS) {
                strays[n_strays++] = copy;
            } else {
                GEOSGeom_destroy_r(h, copy);
            }
        }
        GEOSGeom_destroy_r(h, clip);
    }

    for (int s = 0; s < n_strays; s++) {
        double best = 0.0;
        int to = -1;
        GEOSGeometry *bnd = GEOSBoundary_r(h, strays[s]);
        if (!bnd)
            goto out;
        for (int i = 0; i < N_DISTRICTS; i++) {
            GEOSGeometry *shared = GEOSIntersection_r(h, bnd, d[i].cell);
            double len = 0.0;
            if (shared) {
                GEOSLength_r(h, shared, &len);
                GEOSGeom_destroy_r(h, shared);
            }
            if (len > best) {
                best = len;
                to = i;
            }
        }
        GEOSGeom_destroy_r(h, bnd);
        if (to < 0) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "a piece of a clipped cell has no neighbour");
            goto out;
        }
        GEOSGeometry *merged = GEOSUnionPrec_r(h, d[to].cell, strays[s], 0.01);
        if (!merged || GEOSGeomTypeId_r(h, merged) != GEOS_POLYGON) {
            GEOSGeom_destroy_r(h, merged);
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "merging a cell piece gave no polygon");
            goto out;
        }
        GEOSGeom_destroy_r(h, d[to].cell);
        d[to].cell = merged;
    }

    for (int i = 0; i < N_DISTRICTS; i++) {
        double a = 0.0;
        if (GEOSisValid_r(h, d[i].cell) != 1) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "cell of site %d is not valid", i);
            goto out;
        }
        GEOSArea_r(h, d[i].cell, &a);
        d[i].area_km2 = a / 1e6;
    }
    rc = QTR_OK;
out:
    if (rc == QTR_ERR_INTERNAL && err && err->code != QTR_ERR_INTERNAL)
        qtr_error_set(err, rc, "GEOS failed while building the districts");
    for (int s = 0; s < n_strays; s++)
        GEOSGeom_destroy_r(h, strays[s]);
    for (int i = 0; i < N_DISTRICTS; i++)
        if (pts[i])
            GEOSGeom_destroy_r(h, pts[i]);
    if (vor)
        GEOSGeom_destroy_r(h, vor);
    if (sites)
        GEOSGeom_destroy_r(h, sites);
    if (outline)
        GEOSGeom_destroy_r(h, outline);
    return rc;
}

/* ------------------------------------------------------- statistics --- */

static double logistic(double v)
{
    return 1.0 / (1.0 + exp(-v));
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static long lround_nonneg(double v)
{
    return v <= 0.0 ? 0 : (long)floor(v + 0.5);
}

/* Residents and social counts of district d at date k (0 = 2020, 1 = 2022).
 * The latent scores move between the dates: the estate worsens, the
 * gentrifying centre area improves, everything else drifts a little.
 * The coefficients are invented, tuned only so that the results fall in
 * ranges seen in German Großstädte: migrant share 7-66 %, SGB II share of the
 * under-65s 1-31 %, children in SGB II households 2-56 %, unemployed per
 * 15-64-year-olds 1-13 %, living space 31-62 m² per resident. The per-district
 * noise terms e[] are drawn once, so a district keeps its character. */
static void model_year(struct district *d, int k, struct rng *rng)
{
    const struct stt_def *s = &STT[d->stt];
    struct year *y = &d->yr[k];
    double centre = exp(-(d->r / 1700.0) * (d->r / 1700.0));
    double villa = s->villa;
    double kk = (double)k;

    /* residents */
    if (k == 0) {
        double dens = (2600.0 + 13000.0 * centre + 10000.0 * d->estate) * s->dens_mult *
                      (1.0 - 0.3 * villa) * exp(0.2 * d->e[0]);
        double t = dens * d->area_km2;
        y->total =
            d->tiny ? 150 + (long)(rng_unif(rng) * 60.0) : lround_nonneg(clampd(t, 450.0, 14000.0));
    } else {
        double g = 0.004 + 0.012 * rng_normal(rng) + 0.025 * d->estate - 0.015 * d->gent;
        y->total = d->tiny ? d->yr[0].total + 3 : lround_nonneg(d->yr[0].total * (1.0 + g));
        if (!d->tiny && y->total < 450)
            y->total = 450;
    }

    /* migration background: logit with centre and estate clusters */
    double lmh = -1.15 + s->mh_shift + 1.45 * centre + 2.0 * d->estate + 0.3 * d->e[1] +
                 kk * (0.06 + 0.2 * d->estate - 0.45 * d->gent + 0.03 * rng_normal(rng));
    double pmh = logistic(lmh);
    double pausl = clampd(0.48 + 0.12 * d->estate + 0.06 * d->e[2] + 0.02 * kk, 0.25, 0.75);
    y->mh = lround_nonneg(y->total * pmh);
    y->ausl = lround_nonneg(y->mh * pausl);
    y->dtmh = y->mh - y->ausl;
    y->ohne = y->total - y->mh;

    /* age: the estate and migrant areas are younger, villas older */
    double p65 = clampd(
        0.21 + 0.07 * villa - 0.06 * centre - 0.04 * pmh + 0.02 * d->e[3] + 0.004 * kk, 0.08, 0.38);
    double p18 =
        clampd(0.15 + 0.06 * pmh + 0.03 * d->estate - 0.04 * centre * (1.0 - pmh) + 0.015 * d->e[4],
               0.08, 0.30);
    y->a65 = lround_nonneg(y->total * p65);
    y->u18 = lround_nonneg(y->total * p18);
    y->u15 = lround_nonneg(y->u18 * (0.82 + 0.01 * d->e[5]));
    y->a15_65 = y->total - y->u15 - y->a65;

    /* social disadvantage: follows the migrant logit only partly */
    double dis = 0.8 * (lmh + 1.15) + s->dis_shift + 0.9 * d->estate - 0.8 + 0.45 * d->e[6] +
                 kk * (0.1 * d->estate - 0.4 * d->gent + 0.06 * rng_normal(rng));
    double alq = clampd(0.05 * exp(0.55 * dis + 0.1 * d->e[7]), 0.01, 0.20);
    double sgb = clampd(0.085 * exp(0.65 * dis + 0.1 * d->e[8]), 0.01, 0.40);
    double kin = clampd(0.15 * exp(0.7 * dis + 0.1 * d->e[9]), 0.01, 0.65);
    double ohne = clampd(0.08 * exp(0.5 * dis + 0.25 * d->e[7]), 0.04, 0.30);
    double gym = clampd(logistic(0.3 - 0.9 * dis + 0.2 * d->e[8]), 0.10, 0.90);
    y->alo = lround_nonneg(y->a15_65 * alq);
    y->sgb2 = lround_nonneg((y->total - y->a65) * sgb);
    y->k_sgb2 = lround_nonneg(y->u15 * kin);
    y->abg =
        lround_nonneg(3.0 * y->u18 * (0.062 + 0.006 * d->e[9]) * (1.0 + 0.05 * rng_normal(rng)));
    y->abg_ohne = lround_nonneg(y->abg * ohne);
    y->gs4 = lround_nonneg(y->u18 * (0.058 + 0.005 * d->e[3]) * (1.0 + 0.05 * rng_normal(rng)));
    y->gym = lround_nonneg(y->gs4 * gym);

    /* housing */
    double wfl = 42.0 - 3.5 * dis + 9.0 * villa - 4.0 * d->estate + 1.5 * d->e[2] +
                 kk * (0.3 + 1.8 * d->gent - 0.4 * d->estate + 0.2 * rng_normal(rng));
    y->wfl = round_to(clampd(wfl, 27.0, 75.0), 0.1);
    double sozw = 3.0 + 30.0 * d->estate + 4.0 * (dis > 0 ? dis : 0) - 3.0 * villa + 2.0 * d->e[5] -
                  kk * (0.4 + 1.5 * d->gent);
    y->sozw = sozw < 1.0 ? 0.0 : round_to(clampd(sozw, 0.0, 70.0), 0.1);
    double alt = 38.0 + 45.0 * centre + 12.0 * d->estate - 8.0 * villa + 6.0 * d->e[4] - 0.3 * kk;
    y->alt70 = round_to(clampd(alt, 5.0, 95.0), 0.1);
    double leer = 2.6 + 0.9 * dis + 0.5 * d->e[1] + (d->stt == 4 ? 2.0 : 0.0) +
                  kk * (0.5 * d->estate - 0.8 * d->gent + 0.15 * rng_normal(rng));
    y->leer = round_to(clampd(leer, 0.4, 14.0), 0.1);
    if (d->tiny) {
        /* no primary-school children live among the warehouses: a true zero */
        y->gs4 = 0;
        y->gym = 0;
        y->wfl = round_to(61.0 + 0.4 * kk, 0.1);
        y->sozw = 0.0;
        y->leer = round_to(11.5 + 0.6 * kk, 0.1);
    }
}

/* ------------------------------------------------------------ output --- */

/* UTF-8 to Windows-1252 for the Latin-1 range this data uses (ä ö ü ß ²);
 * anything else is a programming error in the name tables. */
static int to_cp1252(const char *in, size_t n, struct qtr_buf *out, struct qtr_error *err)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            if (qtr_buf_append(out, (const char *)&c, 1))
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            continue;
        }
        if ((c == 0xC2 || c == 0xC3) && i + 1 < n) {
            unsigned char ch = (unsigned char)(((c & 0x1F) << 6) | (in[i + 1] & 0x3F));
            if (ch >= 0xA0) {
                if (qtr_buf_append(out, (const char *)&ch, 1))
                    return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                i++;
                continue;
            }
        }
        return qtr_error_set(err, QTR_ERR_INTERNAL,
                             "character at byte %zu of '%.40s' has no cp1252 code", i, in);
    }
    return QTR_OK;
}

/* Write a table given as UTF-8 text with '\n' line ends as cp1252 with CRLF,
 * through a temporary file that is renamed into place. */
static int write_table(const char *dir, const char *file, const struct qtr_buf *utf8,
                       struct qtr_error *err)
{
    int rc = QTR_OK;
    struct qtr_buf lines = {0}, enc = {0};
    char *path = qtr_asprintf("%s/%s", dir, file);
    char *tmp = qtr_asprintf("%s/.%s.tmp", dir, file);
    FILE *f = NULL;
    if (!path || !tmp) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < utf8->len; i++) {
        if (utf8->data[i] == '\n' ? qtr_buf_append(&lines, "\r\n", 2)
                                  : qtr_buf_append(&lines, utf8->data + i, 1)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    rc = to_cp1252(lines.data, lines.len, &enc, err);
    if (rc)
        goto out;
    f = fopen(tmp, "wb");
    if (!f) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    if (fwrite(enc.data, 1, enc.len, f) != enc.len || fclose(f) != 0) {
        f = NULL;
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot rename '%s' to '%s': %s", tmp, path,
                           strerror(errno));
        goto out;
    }
out:
    if (f)
        fclose(f);
    free(path);
    free(tmp);
    qtr_buf_release(&lines);
    qtr_buf_release(&enc);
    return rc;
}

/* A count as the office prints it: '.' every three digits when asked. */
static void fmt_count(long v, int thousands, char *buf, size_t size)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%ld", v);
    size_t n = strlen(raw), o = 0;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        buf[o++] = raw[i];
        if (thousands && (n - i - 1) % 3 == 0 && i + 1 < n)
            buf[o++] = '.';
    }
    buf[o] = '\0';
}

/* A small count under disclosure control: '-' for a true zero, '*' for 1 or 2. */
static void fmt_small(long v, char *buf, size_t size)
{
    if (v == 0)
        snprintf(buf, size, "-");
    else if (v < 3)
        snprintf(buf, size, "*");
    else
        fmt_count(v, 0, buf, size);
}

/* One decimal with a decimal comma; '-' for a true zero. */
static void fmt_dec(double v, char *buf, size_t size)
{
    if (v == 0.0) {
        snprintf(buf, size, "-");
        return;
    }
    snprintf(buf, size, "%.1f", v);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
}

static int by_number(const void *a, const void *b)
{
    const struct district *const *x = a, *const *y = b;
    return strcmp((*x)->nr, (*y)->nr);
}

#define NOMEM_IF(cond)                                                                             \
    do {                                                                                           \
        if (cond) {                                                                                \
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");                               \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

static int write_csvs(const char *dir, struct district *const *sorted, struct qtr_error *err)
{
    int rc = QTR_OK;
    static const int years[2] = {2020, 2022};
    struct qtr_buf b = {0};
    char c[10][32];

    for (int k = 0; k < 2; k++) {
        char file[64];

        /* population: thousands separators; title lines and footer in 2022 only */
        b.len = 0;
        NOMEM_IF(qtr_buf_puts(&b, ""));
        if (k == 1) {
            NOMEM_IF(qtr_buf_puts(&b, "Einwohner mit Hauptwohnsitz nach Migrationshintergrund und "
                                      "Altersgruppen in den Statistischen Bezirken;;;;;;;;;\n"
                                      "Stand: 31.12.2022;;;;;;;;;\n"));
        }
        NOMEM_IF(qtr_buf_puts(&b, "Bezirk-Nr.;Bezirksname;Einwohner insgesamt;"
                                  "Einwohner mit Migrationshintergrund;darunter Ausländer;"
                                  "darunter Deutsche mit Migrationshintergrund;"
                                  "Deutsche ohne Migrationshintergrund;unter 18 Jahre;"
                                  "15 bis unter 65 Jahre;65 Jahre und älter\n"));
        for (int i = 0; i < N_DISTRICTS; i++) {
            const struct district *d = sorted[i];
            const struct year *y = &d->yr[k];
            long v[8] = {y->total, y->mh, y->ausl, y->dtmh, y->ohne, y->u18, y->a15_65, y->a65};
            for (int j = 0; j < 8; j++)
                fmt_count(v[j], 1, c[j], sizeof c[j]);
            NOMEM_IF(qtr_buf_printf(&b, "%s;%s;%s;%s;%s;%s;%s;%s;%s;%s\n", d->nr, d->name, c[0],
                                    c[1], c[2], c[3], c[4], c[5], c[6], c[7]));
        }
        if (k == 1)
            NOMEM_IF(qtr_buf_puts(&b, "Quelle: Amt für Statistik Musterstadt;;;;;;;;;\n"));
        snprintf(file, sizeof file, "bevoelkerung_%d.csv", years[k]);
        rc = write_table(dir, file, &b, err);
        if (rc)
            goto out;

        /* social data: plain counts, disclosure control on small counts */
        b.len = 0;
        NOMEM_IF(qtr_buf_puts(
            &b, "Bezirk-Nr.;Arbeitslose;SGB-II-Empfänger unter 65 Jahren;"
                "Kinder unter 15 Jahren;"
                "Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften;"
                "Schulabgänger insgesamt (3 Jahre);Schulabgänger ohne Abschluss (3 Jahre);"
                "Grundschüler 4. Klasse;Übergänge aufs Gymnasium\n"));
        for (int i = 0; i < N_DISTRICTS; i++) {
            const struct district *d = sorted[i];
            const struct year *y = &d->yr[k];
            fmt_count(y->alo, 0, c[0], sizeof c[0]);
            fmt_count(y->sgb2, 0, c[1], sizeof c[1]);
            fmt_count(y->u15, 0, c[2], sizeof c[2]);
            fmt_small(y->k_sgb2, c[3], sizeof c[3]);
            fmt_count(y->abg, 0, c[4], sizeof c[4]);
            fmt_small(y->abg_ohne, c[5], sizeof c[5]);
            fmt_small(y->gs4, c[6], sizeof c[6]);
            fmt_small(y->gym, c[7], sizeof c[7]);
            if (d->tiny) {
                /* an industrial district: the office withholds the social counts */
                snprintf(c[3], sizeof c[3], ".");
                snprintf(c[5], sizeof c[5], ".");
            }
            NOMEM_IF(qtr_buf_printf(&b, "%s;%s;%s;%s;%s;%s;%s;%s;%s\n", d->nr, c[0], c[1], c[2],
                                    c[3], c[4], c[5], c[6], c[7]));
        }
        snprintf(file, sizeof file, "sozialdaten_%d.csv", years[k]);
        rc = write_table(dir, file, &b, err);
        if (rc)
            goto out;

        /* housing: one decimal, decimal comma */
        b.len = 0;
        NOMEM_IF(qtr_buf_puts(&b, "Bezirk-Nr.;Wohnfläche je EW (m²);Anteil Sozialwohnungen (%);"
                                  "Anteil Gebäude vor 1970 (%);Leerstandsquote (%)\n"));
        for (int i = 0; i < N_DISTRICTS; i++) {
            const struct district *d = sorted[i];
            const struct year *y = &d->yr[k];
            fmt_dec(y->wfl, c[0], sizeof c[0]);
            fmt_dec(y->sozw, c[1], sizeof c[1]);
            fmt_dec(y->alt70, c[2], sizeof c[2]);
            fmt_dec(y->leer, c[3], sizeof c[3]);
            NOMEM_IF(qtr_buf_printf(&b, "%s;%s;%s;%s;%s\n", d->nr, c[0], c[1], c[2], c[3]));
        }
        snprintf(file, sizeof file, "wohnen_%d.csv", years[k]);
        rc = write_table(dir, file, &b, err);
        if (rc)
            goto out;
    }
out:
    qtr_buf_release(&b);
    return rc;
}

static int gdal_fail(struct qtr_error *err, const char *what, const char *path)
{
    const char *m = CPLGetLastErrorMsg();
    return qtr_error_set(err, QTR_ERR_IO, "%s '%s': %s", what, path,
                         m && *m ? m : "GDAL gave no reason");
}

static int write_shapefile(GEOSContextHandle_t h, const char *dir, struct district *const *sorted,
                           struct qtr_error *err)
{
    int rc = QTR_OK;
    char *path = qtr_asprintf("%s/bezirke.shp", dir);
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = NULL;
    GEOSWKBWriter *wkbw = NULL;
    char **lco = NULL;
    NOMEM_IF(!path);

    GDALDriverH drv = GDALGetDriverByName("ESRI Shapefile");
    if (!drv) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "GDAL has no ESRI Shapefile driver");
        goto out;
    }
    struct stat st;
    if (stat(path, &st) == 0 && GDALDeleteDataset(drv, path) != CE_None) {
        rc = gdal_fail(err, "cannot replace", path);
        goto out;
    }
    ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds) {
        rc = gdal_fail(err, "cannot create", path);
        goto out;
    }
    srs = OSRNewSpatialReference(NULL);
    NOMEM_IF(!srs);
    if (OSRImportFromEPSG(srs, 25832) != OGRERR_NONE) {
        rc = gdal_fail(err, "cannot look up EPSG:25832 for", path);
        goto out;
    }
    lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    lco = CSLSetNameValue(lco, "DBF_DATE_LAST_UPDATE", DBF_DATE);
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "bezirke", srs, wkbPolygon, lco);
    if (!lyr) {
        rc = gdal_fail(err, "cannot create the layer in", path);
        goto out;
    }
    static const struct {
        const char *name;
        int width;
    } fields[] = {{"bez_nr", 3}, {"bez_name", 40}, {"stt_nr", 2}, {"stadtteil", 30}};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[f].name, OFTString);
        OGR_Fld_SetWidth(fd, fields[f].width);
        OGRErr e = OGR_L_CreateField(lyr, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            rc = gdal_fail(err, "cannot add a field to", path);
            goto out;
        }
    }
    wkbw = GEOSWKBWriter_create_r(h);
    NOMEM_IF(!wkbw);
    for (int i = 0; i < N_DISTRICTS; i++) {
        const struct district *d = sorted[i];
        size_t n = 0;
        unsigned char *wkb = GEOSWKBWriter_write_r(h, wkbw, d->cell, &n);
        OGRGeometryH g = NULL;
        NOMEM_IF(!wkb);
        OGRErr e = OGR_G_CreateFromWkbEx(wkb, NULL, &g, n);
        GEOSFree_r(h, wkb);
        if (e != OGRERR_NONE) {
            rc = qtr_error_set(err, QTR_ERR_INTERNAL, "OGR cannot read the WKB of district %s",
                               d->nr);
            goto out;
        }
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(feat, 0, d->nr);
        OGR_F_SetFieldString(feat, 1, d->name);
        OGR_F_SetFieldString(feat, 2, STT[d->stt].nr);
        OGR_F_SetFieldString(feat, 3, STT[d->stt].name);
        OGR_F_SetGeometryDirectly(feat, g);
        e = OGR_L_CreateFeature(lyr, feat);
        OGR_F_Destroy(feat);
        if (e != OGRERR_NONE) {
            rc = gdal_fail(err, "cannot write a district to", path);
            goto out;
        }
    }
out:
    if (ds) {
        /* GDALClose() returns void before GDAL 3.7: look at the error state */
        CPLErrorReset();
        GDALClose(ds);
        if (CPLGetLastErrorType() >= CE_Failure && rc == QTR_OK)
            rc = gdal_fail(err, "cannot finish", path);
    }
    if (wkbw)
        GEOSWKBWriter_destroy_r(h, wkbw);
    if (srs)
        OSRDestroySpatialReference(srs);
    CSLDestroy(lco);
    free(path);
    return rc;
}

static const char *const SHP_EXT[] = {"shp", "shx", "dbf", "prj", "cpg"};
#define N_SHP_EXT (sizeof SHP_EXT / sizeof SHP_EXT[0])

/* Remove the Shapefile parts and the folder tmp (leftovers of an aborted run). */
static void remove_tmp(const char *tmp)
{
    char path[4096];
    for (size_t e = 0; e < N_SHP_EXT; e++) {
        snprintf(path, sizeof path, "%s/bezirke.%s", tmp, SHP_EXT[e]);
        remove(path);
    }
    rmdir(tmp);
}

/* Write the Shapefile into a scratch folder beside the target and move its
 * parts into place only when all of them were written, so a failed run never
 * leaves a half-written or half-deleted bezirke.shp behind. */
static int write_shapefile_atomic(GEOSContextHandle_t h, const char *dir,
                                  struct district *const *sorted, struct qtr_error *err)
{
    int rc = QTR_OK;
    char *tmp = qtr_asprintf("%s/.gen_musterstadt.tmp", dir);
    if (!tmp)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    remove_tmp(tmp);
    if (mkdir(tmp, 0777) != 0) {
        rc = qtr_error_set(err, QTR_ERR_IO, "cannot create the scratch folder '%s': %s", tmp,
                           strerror(errno));
        goto out;
    }
    rc = write_shapefile(h, tmp, sorted, err);
    for (size_t e = 0; rc == QTR_OK && e < N_SHP_EXT; e++) {
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/bezirke.%s", tmp, SHP_EXT[e]);
        snprintf(to, sizeof to, "%s/bezirke.%s", dir, SHP_EXT[e]);
        if (rename(from, to) != 0)
            rc = qtr_error_set(err, QTR_ERR_IO, "cannot move '%s' to '%s': %s", from, to,
                               strerror(errno));
    }
out:
    remove_tmp(tmp);
    free(tmp);
    return rc;
}

/* -------------------------------------------------------------- main --- */

static int generate(uint64_t seed, const char *dir, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct geos_msg gmsg = {{0}};
    GEOSContextHandle_t h = GEOS_init_r();
    struct district *d = calloc(N_DISTRICTS, sizeof *d);
    struct district *sorted[N_DISTRICTS];
    double order[2 * N_DISTRICTS];
    struct rng rng = {seed};
    if (!h || !d) {
        rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
        goto out;
    }
    GEOSContext_setErrorMessageHandler_r(h, geos_handler, &gmsg);

    struct outline o;
    for (int k = 0; k < 4; k++) {
        o.amp[k] = (0.09 - 0.018 * k) * (0.5 + rng_unif(&rng));
        o.phase[k] = 2.0 * PI * rng_unif(&rng);
    }
    place_sites(&rng, &o, d);
    assign_stadtteile(d, order);
    rc = build_cells(h, &o, d, err);
    if (rc) {
        if (gmsg.text[0])
            qtr_error_prefix(err, "GEOS: %s", gmsg.text);
        goto out;
    }

    /* anchors: the estate sits near the outer edge of Hochfeld's sector, the
     * tiny harbour district is the outermost one of Osthafen */
    double ex = 0, ey = 0;
    int tiny = -1;
    for (int i = 0; i < N_DISTRICTS; i++) {
        if (d[i].stt == 2) {
            ex += d[i].x;
            ey += d[i].y;
        }
        if (d[i].stt == 4 && (tiny < 0 || d[i].r > d[tiny].r))
            tiny = i;
    }
    double er = hypot(ex, ey);
    ex *= 0.72 * OUTLINE_R / er;
    ey *= 0.72 * OUTLINE_R / er;
    d[tiny].tiny = 1;

    rank_within(d, 0, 0.0, 0.0, order);
    rank_within(d, 2, ex, ey, order);
    for (int s = 1; s < N_STT; s++) {
        if (s == 2)
            continue;
        double sx = 0, sy = 0;
        for (int i = 0; i < N_DISTRICTS; i++)
            if (d[i].stt == s) {
                sx += d[i].x / d[i].r;
                sy += d[i].y / d[i].r;
            }
        double sr = hypot(sx, sy);
        rank_within(d, s, 2500.0 * sx / sr, 2500.0 * sy / sr, order);
    }
    double gx = 0, gy = 0;
    for (int i = 0; i < N_DISTRICTS; i++)
        if (d[i].stt == 0 && d[i].rank == GENTRIFY_RANK) {
            gx = d[i].x;
            gy = d[i].y;
        }

    /* numbers and names: Stadtteil by Stadtteil, then by rank */
    int nr = 0;
    for (int s = 0; s < N_STT; s++) {
        for (int rk = 0; rk < N_DISTRICTS; rk++) {
            for (int i = 0; i < N_DISTRICTS; i++) {
                if (d[i].stt != s || d[i].rank != rk)
                    continue;
                snprintf(d[i].nr, sizeof d[i].nr, "%03u", (unsigned)(++nr) % 1000u);
                if (d[i].tiny)
                    d[i].name = TINY_NAME;
                else if (s == 0)
                    d[i].name = CENTRE_NAMES[rk];
                else
                    d[i].name = STT[s].names[rk];
                sorted[nr - 1] = &d[i];
            }
        }
    }
    if (nr != N_DISTRICTS) {
        rc = qtr_error_set(err, QTR_ERR_INTERNAL, "numbered %d of %d districts", nr, N_DISTRICTS);
        goto out;
    }
    qsort(sorted, N_DISTRICTS, sizeof sorted[0], by_number);
    for (int i = 0; i < N_DISTRICTS; i++)
        for (int j = i + 1; j < N_DISTRICTS; j++)
            if (strcmp(sorted[i]->name, sorted[j]->name) == 0) {
                rc = qtr_error_set(err, QTR_ERR_INTERNAL, "district name '%s' used twice",
                                   sorted[i]->name);
                goto out;
            }

    /* latent model, in district-number order so the stream is reproducible */
    for (int i = 0; i < N_DISTRICTS; i++) {
        struct district *p = sorted[i];
        double de = hypot(p->x - ex, p->y - ey);
        double dg = hypot(p->x - gx, p->y - gy);
        p->estate = exp(-(de / 1300.0) * (de / 1300.0));
        p->gent = exp(-(dg / 700.0) * (dg / 700.0));
        for (int k = 0; k < 10; k++)
            p->e[k] = rng_normal(&rng);
    }
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < N_DISTRICTS; i++)
            model_year(sorted[i], k, &rng);

    rc = write_shapefile_atomic(h, dir, sorted, err);
    if (rc)
        goto out;
    rc = write_csvs(dir, sorted, err);
out:
    if (d) {
        for (int i = 0; i < N_DISTRICTS; i++)
            if (d[i].cell)
                GEOSGeom_destroy_r(h, d[i].cell);
        free(d);
    }
    if (h)
        GEOS_finish_r(h);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gen_musterstadt [--seed N] [--out DIR]\n"
            "Writes the synthetic example city Musterstadt (Shapefile and CSV tables)\n"
            "into DIR (default geodata/musterstadt, must exist). Default seed %u.\n",
            DEFAULT_SEED);
}

int main(int argc, char **argv)
{
    uint64_t seed = DEFAULT_SEED;
    const char *dir = "geodata/musterstadt";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            char *end = NULL;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || !end || *end || end == argv[i]) {
                fprintf(stderr, "gen_musterstadt: seed '%s' is not a whole number\n", argv[i]);
                return 2;
            }
            seed = (uint64_t)v;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "gen_musterstadt: output folder '%s' does not exist; create it first\n",
                dir);
        return 1;
    }
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    struct qtr_error err = {0};
    int rc = generate(seed, dir, &err);
    CPLPopErrorHandler();
    if (rc) {
        fprintf(stderr, "gen_musterstadt: %s\n", err.msg);
        return 1;
    }
    return 0;
}
