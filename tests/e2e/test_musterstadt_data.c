/*
 * test_musterstadt_data.c - the committed example city keeps its promises.
 *
 * Reads geodata/musterstadt/ (Shapefile through OGR, CSV as raw bytes) and
 * checks what README.md there promises: a gap-free tessellation of 110-130
 * valid polygons in EPSG:25832, unique 3-digit keys, the exact count
 * identities, exactly one district below 300 residents, the statistics-office
 * quirks (cp1252, CRLF, ';', thousands separators, title and footer lines,
 * suppression signs), and that the generator reproduces every file byte for
 * byte from the default seed. analysis.ini is checked against the data: known
 * sections and keys only, and every column it names exists.
 */
#include "test_util.h"

#include <gdal.h>
#include <ini.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quartier/config.h"

#define MAXD 200
#define DATA "geodata/musterstadt"

static const char *const FILES[] = {
    "bezirke.shp",           "bezirke.shx",          "bezirke.dbf",
    "bezirke.prj",           "bezirke.cpg",          "bevoelkerung_2020.csv",
    "bevoelkerung_2022.csv", "sozialdaten_2020.csv", "sozialdaten_2022.csv",
    "wohnen_2020.csv",       "wohnen_2022.csv"};
#define NFILES (sizeof FILES / sizeof FILES[0])

/* ------------------------------------------------------------ helpers --- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static char *slurp_data(const char *file, size_t *len)
{
    char rel[256];
    snprintf(rel, sizeof rel, DATA "/%s", file);
    char *b = slurp(qtr_test_path(rel), len);
    if (!b)
        fail_msg("cannot read %s", qtr_test_path(rel));
    return b;
}

/* A CSV table split into lines and ';' fields, in place (no quoting is used). */
struct table {
    char *buf;
    int nlines;
    char *line[MAXD + 8];
    int nf[MAXD + 8];
    char *f[MAXD + 8][16];
};

static void table_load(struct table *t, const char *file)
{
    size_t len = 0;
    memset(t, 0, sizeof *t);
    t->buf = slurp_data(file, &len);
    char *p = t->buf;
    while (*p && t->nlines < MAXD + 8) {
        char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        *eol = '\0';
        int k = t->nlines++;
        t->line[k] = p;
        char *q = p;
        t->f[k][t->nf[k]++] = q;
        for (; *q; q++)
            if (*q == ';') {
                *q = '\0';
                if (t->nf[k] < 16)
                    t->f[k][t->nf[k]++] = q + 1;
            }
        p = eol + 2;
    }
    assert_true(*p == '\0');
}

static int is_key(const char *s)
{
    return strlen(s) == 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
           s[2] >= '0' && s[2] <= '9';
}

/* A published count: digits with optional '.' every three digits; '-' is 0;
 * '*' and '.' (suppressed, withheld) give -1. Anything else fails the test. */
static long count_of(const char *s, const char *file, const char *key)
{
    if (strcmp(s, "-") == 0)
        return 0;
    if (strcmp(s, "*") == 0 || strcmp(s, ".") == 0)
        return -1;
    long v = 0;
    size_t n = strlen(s);
    if (n == 0)
        fail_msg("empty cell in %s row %s", file, key);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (i == 0 || (n - i - 1) % 3 != 0)
                fail_msg("'%s' in %s row %s is not a count", s, file, key);
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            fail_msg("'%s' in %s row %s is not a count", s, file, key);
        v = 10 * v + (s[i] - '0');
    }
    return v;
}

/* The keys of the boundary layer, in file order. */
static int shape_keys(char keys[][4], char stt[][3])
{
    GDALAllRegister();
    GDALDatasetH ds =
        GDALOpenEx(qtr_test_path(DATA "/bezirke.shp"), GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH feat;
    int n = 0;
    OGR_L_ResetReading(lyr);
    while ((feat = OGR_L_GetNextFeature(lyr)) != NULL && n < MAXD) {
        snprintf(keys[n], 4, "%s",
                 OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "bez_nr")));
        snprintf(stt[n], 3, "%s",
                 OGR_F_GetFieldAsString(feat, OGR_F_GetFieldIndex(feat, "stt_nr")));
        n++;
        OGR_F_Destroy(feat);
    }
    GDALClose(ds);
    return n;
}

/* -------------------------------------------------------------- tests --- */

static void test_shapefile_tessellation(void **state)
{
    (void)state;
    GDALAllRegister();
    GDALDatasetH ds =
        GDALOpenEx(qtr_test_path(DATA "/bezirke.shp"), GDAL_OF_VECTOR, NULL, NULL, NULL);
    assert_non_null(ds);
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    assert_non_null(lyr);

    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);
    assert_non_null(srs);
    OGRSpatialReferenceH want = OSRNewSpatialReference(NULL);
    assert_int_equal(OSRImportFromEPSG(want, 25832), OGRERR_NONE);
    assert_true(OSRIsSame(srs, want));
    OSRDestroySpatialReference(want);

    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int i_nr = OGR_FD_GetFieldIndex(defn, "bez_nr");
    int i_name = OGR_FD_GetFieldIndex(defn, "bez_name");
    int i_stt = OGR_FD_GetFieldIndex(defn, "stt_nr");
    int i_sttn = OGR_FD_GetFieldIndex(defn, "stadtteil");
    assert_true(i_nr >= 0 && i_name >= 0 && i_stt >= 0 && i_sttn >= 0);
    assert_int_equal(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i_nr)), OFTString);

    static OGRGeometryH geom[MAXD];
    static char nr[MAXD][8], name[MAXD][64], sttnr[MAXD][3];
    int n = 0, umlauts = 0, stt_seen[100] = {0}, n_stt = 0;
    double area_sum = 0.0;
    OGRFeatureH feat;
    OGR_L_ResetReading(lyr);
    while ((feat = OGR_L_GetNextFeature(lyr)) != NULL) {
        assert_true(n < MAXD);
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        assert_non_null(g);
        assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbPolygon);
        assert_true(OGR_G_IsValid(g));
        geom[n] = OGR_G_Clone(g);
        area_sum += OGR_G_Area(g);
        snprintf(nr[n], sizeof nr[n], "%s", OGR_F_GetFieldAsString(feat, i_nr));
        snprintf(name[n], sizeof name[n], "%s", OGR_F_GetFieldAsString(feat, i_name));
        assert_true(is_key(nr[n]));
        assert_true(name[n][0] != '\0');
        if (strchr(name[n], '\xC3'))
            umlauts++; /* UTF-8 lead byte of ä ö ü ß Ä Ö Ü */
        const char *stt = OGR_F_GetFieldAsString(feat, i_stt);
        assert_int_equal(strlen(stt), 2);
        snprintf(sttnr[n], sizeof sttnr[n], "%s", stt);
        int s = (stt[0] - '0') * 10 + (stt[1] - '0');
        assert_true(s >= 1 && s <= 99);
        if (!stt_seen[s]++)
            n_stt++;
        assert_true(OGR_F_GetFieldAsString(feat, i_sttn)[0] != '\0');
        OGR_F_Destroy(feat);
        n++;
    }
    assert_in_range(n, 110, 130);
    assert_in_range(n_stt, 8, 12);
    assert_true(umlauts >= 5);
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            if (strcmp(nr[a], nr[b]) == 0)
                fail_msg("bez_nr %s twice", nr[a]);
            if (strcmp(name[a], name[b]) == 0)
                fail_msg("bez_name %s twice", name[a]);
        }

    /* A tessellation: no two districts overlap (beyond snapping noise), and
     * their union is one polygon without holes whose area is the sum. */
    OGREnvelope ea, eb;
    for (int a = 0; a < n; a++) {
        OGR_G_GetEnvelope(geom[a], &ea);
        for (int b = a + 1; b < n; b++) {
            OGR_G_GetEnvelope(geom[b], &eb);
            if (ea.MaxX < eb.MinX || eb.MaxX < ea.MinX || ea.MaxY < eb.MinY || eb.MaxY < ea.MinY)
                continue;
            OGRGeometryH x = OGR_G_Intersection(geom[a], geom[b]);
            double ov = x ? OGR_G_Area(x) : 0.0;
            if (ov > 1.0)
                fail_msg("districts %s and %s overlap by %.1f m²", nr[a], nr[b], ov);
            OGR_G_DestroyGeometry(x);
        }
    }
    /* every Stadtteil (the parent level) is one contiguous area */
    for (int st = 1; st < 100; st++) {
        if (!stt_seen[st])
            continue;
        char code[16];
        snprintf(code, sizeof code, "%02d", st);
        OGRGeometryH part = OGR_G_CreateGeometry(wkbMultiPolygon);
        for (int a = 0; a < n; a++)
            if (strcmp(sttnr[a], code) == 0)
                assert_int_equal(OGR_G_AddGeometry(part, geom[a]), OGRERR_NONE);
        OGRGeometryH u = OGR_G_UnionCascaded(part);
        assert_non_null(u);
        if (wkbFlatten(OGR_G_GetGeometryType(u)) != wkbPolygon)
            fail_msg("Stadtteil %s is not one contiguous area", code);
        OGR_G_DestroyGeometry(u);
        OGR_G_DestroyGeometry(part);
    }

    OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
    for (int a = 0; a < n; a++)
        assert_int_equal(OGR_G_AddGeometryDirectly(mp, geom[a]), OGRERR_NONE);
    OGRGeometryH city = OGR_G_UnionCascaded(mp);
    assert_non_null(city);
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(city)), wkbPolygon);
    assert_int_equal(OGR_G_GetGeometryCount(city), 1); /* exterior ring only: no gaps */
    assert_close(OGR_G_Area(city), area_sum, 1e-6 * area_sum);

    /* about 12 km across, around x = 470000, y = 5650000 (ETRS89 / UTM 32N) */
    OGREnvelope env;
    OGR_G_GetEnvelope(city, &env);
    assert_in_range((long)(env.MaxX - env.MinX), 9000, 16000);
    assert_in_range((long)(env.MaxY - env.MinY), 9000, 16000);
    assert_true(env.MinX > 460000 && env.MaxX < 480000);
    assert_true(env.MinY > 5640000 && env.MaxY < 5660000);
    OGR_G_DestroyGeometry(city);
    OGR_G_DestroyGeometry(mp);
    GDALClose(ds);

    size_t len;
    char *cpg = slurp_data("bezirke.cpg", &len);
    assert_non_null(strstr(cpg, "UTF-8"));
    free(cpg);
    char *prj = slurp_data("bezirke.prj", &len);
    assert_non_null(strstr(prj, "ETRS_1989_UTM_Zone_32N"));
    free(prj);
}

/* Every CSV is cp1252 with CRLF and ';' - the way an office exports. */
static void test_csv_bytes(void **state)
{
    (void)state;
    int thousands = 0;
    for (size_t i = 0; i < NFILES; i++) {
        if (!strstr(FILES[i], ".csv"))
            continue;
        size_t len = 0;
        char *b = slurp_data(FILES[i], &len);
        int high = 0, semis = 0;
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)b[k];
            if (c == '\n' && (k == 0 || b[k - 1] != '\r'))
                fail_msg("%s: bare LF at byte %zu", FILES[i], k);
            if (c == '\r' && (k + 1 == len || b[k + 1] != '\n'))
                fail_msg("%s: bare CR at byte %zu", FILES[i], k);
            if (c == 0xC3 || c == 0xC2)
                fail_msg("%s: UTF-8 lead byte 0x%02X at %zu (file must be cp1252)", FILES[i], c, k);
            if (c == 0xFC || c == 0xE4 || c == 0xF6 || c == 0xDF || c == 0xB2 || c == 0xDC)
                high++;
            if (c == ';')
                semis++;
            /* "1.675": a thousands separator between digits followed by exactly 3 digits */
            if (c == '.' && k > 0 && k + 4 < len && b[k - 1] >= '0' && b[k - 1] <= '9' &&
                b[k + 1] >= '0' && b[k + 1] <= '9' && b[k + 3] >= '0' && b[k + 3] <= '9' &&
                (b[k + 4] == ';' || b[k + 4] == '\r'))
                thousands++;
        }
        assert_true(len > 100 && b[len - 1] == '\n');
        assert_true(high > 0); /* ü in Ausländer/Schulabgänger, ä, ² in headers */
        assert_true(semis > 200);
        free(b);
    }
    assert_true(thousands > 50);

    /* the one table with title lines and a footer */
    struct table t;
    table_load(&t, "bevoelkerung_2022.csv");
    assert_true(strncmp(t.f[0][0], "Einwohner", 9) == 0);
    assert_true(strncmp(t.f[1][0], "Stand: 31.12.2022", 17) == 0);
    assert_string_equal(t.f[2][0], "Bezirk-Nr.");
    assert_string_equal(t.f[2][4], "darunter Ausl\xE4nder");
    assert_string_equal(t.f[t.nlines - 1][0], "Quelle: Amt f\xFCr Statistik Musterstadt");
    for (int k = 1; k < t.nf[t.nlines - 1]; k++)
        assert_string_equal(t.f[t.nlines - 1][k], "");
    free(t.buf);

    static const char *const plain[] = {"bevoelkerung_2020.csv", "sozialdaten_2020.csv",
                                        "sozialdaten_2022.csv", "wohnen_2020.csv",
                                        "wohnen_2022.csv"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        table_load(&t, plain[i]);
        assert_string_equal(t.f[0][0], "Bezirk-Nr.");
        assert_true(is_key(t.f[t.nlines - 1][0]));
        free(t.buf);
    }
    table_load(&t, "wohnen_2022.csv");
    assert_string_equal(t.f[0][1], "Wohnfl\xE4"
                                   "che je EW (m\xB2)");
    assert_non_null(strchr(t.f[1][1], ','));
    free(t.buf);
}

/* Data rows of a table (key column first), keyed as in the boundaries. */
static int data_rows(const struct table *t, int rows[])
{
    int n = 0;
    for (int k = 0; k < t->nlines; k++)
        if (is_key(t->f[k][0]))
            rows[n++] = k;
    return n;
}

static void test_identities(void **state)
{
    (void)state;
    static char keys[MAXD][4], stt[MAXD][3];
    int nkeys = shape_keys(keys, stt);
    assert_in_range(nkeys, 110, 130);

    static const char *const years[] = {"2020", "2022"};
    int signs[3] = {0}; /* '-', '*', '.' seen in the social and housing tables */
    for (int y = 0; y < 2; y++) {
        char file[64];
        static struct table bev, soz, woh;
        int rb[MAXD + 8], rs[MAXD + 8], rw[MAXD + 8];
        snprintf(file, sizeof file, "bevoelkerung_%s.csv", years[y]);
        table_load(&bev, file);
        snprintf(file, sizeof file, "sozialdaten_%s.csv", years[y]);
        table_load(&soz, file);
        snprintf(file, sizeof file, "wohnen_%s.csv", years[y]);
        table_load(&woh, file);
        int nb = data_rows(&bev, rb), ns = data_rows(&soz, rs), nw = data_rows(&woh, rw);
        assert_int_equal(nb, nkeys);
        assert_int_equal(ns, nkeys);
        assert_int_equal(nw, nkeys);

        int small = 0;
        long city_total = 0, city_mh = 0;
        for (int i = 0; i < nkeys; i++) {
            const char *key = keys[i];
            /* same keys in the same order in every table */
            assert_string_equal(bev.f[rb[i]][0], key);
            assert_string_equal(soz.f[rs[i]][0], key);
            assert_string_equal(woh.f[rw[i]][0], key);
            assert_int_equal(bev.nf[rb[i]], 10);
            assert_int_equal(soz.nf[rs[i]], 9);
            assert_int_equal(woh.nf[rw[i]], 5);
            long v[10];
            for (int c = 2; c < 10; c++) {
                v[c] = count_of(bev.f[rb[i]][c], "bevoelkerung", key);
                assert_true(v[c] >= 0); /* never suppressed: the identities must be checkable */
            }
            long total = v[2], mh = v[3], ausl = v[4], dtmh = v[5], ohne = v[6];
            long u18 = v[7], a15_65 = v[8], a65 = v[9];
            if (mh + ohne != total)
                fail_msg("%s %s: mh %ld + ohne %ld != insgesamt %ld", years[y], key, mh, ohne,
                         total);
            if (ausl + dtmh != mh)
                fail_msg("%s %s: ausl %ld + dt_mit_mh %ld != mh %ld", years[y], key, ausl, dtmh,
                         mh);
            long u15 = count_of(soz.f[rs[i]][3], "sozialdaten", key);
            assert_true(u15 >= 0 && u15 <= u18);
            if (u15 + a15_65 + a65 != total)
                fail_msg("%s %s: unter 15 + 15-65 + 65+ != insgesamt", years[y], key);
            if (total < 300)
                small++;
            city_total += total;
            city_mh += mh;

            long s[9];
            for (int c = 1; c < 9; c++) {
                const char *cell = soz.f[rs[i]][c];
                signs[0] += strcmp(cell, "-") == 0;
                signs[1] += strcmp(cell, "*") == 0;
                signs[2] += strcmp(cell, ".") == 0;
                s[c] = count_of(cell, "sozialdaten", key);
            }
            assert_true(s[1] >= 0 && s[1] <= a15_65);      /* Arbeitslose */
            assert_true(s[2] >= 0 && s[2] <= total - a65); /* SGB II under 65 */
            assert_true(s[4] <= u15);                      /* children in SGB II */
            assert_true(s[6] <= s[5]);                     /* without degree */
            assert_true(s[8] <= s[7] || s[7] < 0);         /* Gymnasium */
            for (int c = 1; c < 5; c++) {
                const char *cell = woh.f[rw[i]][c];
                if (strcmp(cell, "-") == 0) {
                    signs[0]++;
                    continue;
                }
                char buf[32];
                snprintf(buf, sizeof buf, "%s", cell);
                char *comma = strchr(buf, ',');
                assert_non_null(comma);
                assert_int_equal(strlen(comma), 2); /* one decimal */
                *comma = '.';
                char *end = NULL;
                double d = strtod(buf, &end);
                assert_true(end && *end == '\0' && d >= 0.0 && d <= 100.0);
            }
        }
        assert_int_equal(small, 1);
        /* a plausible Großstadt with a plausible migrant share */
        assert_in_range(city_total, 150000, 600000);
        assert_in_range(100 * city_mh / city_total, 20, 50);
        free(bev.buf);
        free(soz.buf);
        free(woh.buf);
    }
    assert_true(signs[0] > 0 && signs[1] > 0 && signs[2] > 0);
}

/* Sum of column col over the districts of one Stadtteil (counts only). */
static double share_in(const struct table *bev, const int *rows, int n, char stt[][3],
                       const char *want, int num, int den)
{
    long a = 0, b = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(stt[i], want) != 0)
            continue;
        a += count_of(bev->f[rows[i]][num], "bevoelkerung", "");
        b += count_of(bev->f[rows[i]][den], "bevoelkerung", "");
    }
    assert_true(b > 0);
    return (double)a / (double)b;
}

/* The spatial pattern README.md describes: migrant clusters in the centre
 * (01) and the estate (03 Hochfeld), low shares in the villa suburbs (07
 * Sonnenberg, 09 Waldau); the estate grows between the dates. */
static void test_spatial_pattern(void **state)
{
    (void)state;
    static char keys[MAXD][4], stt[MAXD][3];
    int n = shape_keys(keys, stt);
    static struct table b20, b22;
    int r20[MAXD + 8], r22[MAXD + 8];
    table_load(&b20, "bevoelkerung_2020.csv");
    table_load(&b22, "bevoelkerung_2022.csv");
    assert_int_equal(data_rows(&b20, r20), n);
    assert_int_equal(data_rows(&b22, r22), n);
    double city = 0, tot = 0;
    for (int i = 0; i < n; i++) {
        city += (double)count_of(b22.f[r22[i]][3], "", "");
        tot += (double)count_of(b22.f[r22[i]][2], "", "");
    }
    city /= tot;
    assert_true(share_in(&b22, r22, n, stt, "01", 3, 2) > city);
    assert_true(share_in(&b22, r22, n, stt, "03", 3, 2) > city);
    assert_true(share_in(&b22, r22, n, stt, "07", 3, 2) < city - 0.1);
    assert_true(share_in(&b22, r22, n, stt, "09", 3, 2) < city - 0.1);
    assert_true(share_in(&b22, r22, n, stt, "03", 3, 2) > share_in(&b20, r20, n, stt, "03", 3, 2));
    free(b20.buf);
    free(b22.buf);
}

/* The generator reproduces the committed files byte for byte, and another
 * seed gives another city (so the seed is really used). */
static void test_regenerate(void **state)
{
    (void)state;
    const char *bdir = getenv("QTR_BUILD_DIR");
    if (!bdir)
        skip();
    char tool[4096], dir[] = "/tmp/qtr_muster_XXXXXX", cmd[8192], path[4096];
    snprintf(tool, sizeof tool, "%s/gen_musterstadt", bdir);
    assert_int_equal(access(tool, X_OK), 0);
    assert_non_null(mkdtemp(dir));

    snprintf(cmd, sizeof cmd, "'%s' --out '%s'", tool, dir);
    assert_int_equal(system(cmd), 0);
    for (size_t i = 0; i < NFILES; i++) {
        size_t la = 0, lb = 0;
        char *a = slurp_data(FILES[i], &la);
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        char *b = slurp(path, &lb);
        assert_non_null(b);
        if (la != lb || memcmp(a, b, la) != 0)
            fail_msg("%s differs from a fresh run of gen_musterstadt "
                     "(run scripts/gen-musterstadt and commit)",
                     FILES[i]);
        free(a);
        free(b);
    }

    snprintf(cmd, sizeof cmd, "'%s' --seed 7 --out '%s'", tool, dir);
    assert_int_equal(system(cmd), 0);
    size_t la = 0, lb = 0;
    char *a = slurp_data("bevoelkerung_2020.csv", &la);
    snprintf(path, sizeof path, "%s/bevoelkerung_2020.csv", dir);
    char *b = slurp(path, &lb);
    assert_non_null(b);
    assert_true(la != lb || memcmp(a, b, la) != 0);
    free(a);
    free(b);

    for (size_t i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* --------------------------------------------------- analysis.ini --- */

#define MAXKV 400
struct ini_kv {
    int n;
    char sec[MAXKV][64];
    char key[MAXKV][40];
    char val[MAXKV][200];
};

static int ini_collect(void *user, const char *section, const char *name, const char *value)
{
    struct ini_kv *kv = user;
    if (kv->n >= MAXKV)
        return 0;
    snprintf(kv->sec[kv->n], sizeof kv->sec[0], "%s", section);
    snprintf(kv->key[kv->n], sizeof kv->key[0], "%s", name);
    snprintf(kv->val[kv->n], sizeof kv->val[0], "%s", value);
    kv->n++;
    return 1;
}

/* Column names known to the analysis: boundary fields and table headers
 * (converted from cp1252 to UTF-8, with the table's suffix). */
struct colset {
    int n;
    char name[200][128];
};

static void colset_add(struct colset *c, const char *name)
{
    assert_true(c->n < 200);
    snprintf(c->name[c->n++], sizeof c->name[0], "%s", name);
}

static int colset_has(const struct colset *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return 1;
    return 0;
}

static void cp1252_to_utf8(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 3 < size; p++) {
        if (*p < 0x80) {
            out[o++] = (char)*p;
        } else {
            assert_true(*p >= 0xA0); /* 0x80..0x9F are not used by this data */
            out[o++] = (char)(0xC0 | (*p >> 6));
            out[o++] = (char)(0x80 | (*p & 0x3F));
        }
    }
    out[o] = '\0';
}

static const char *ini_get(const struct ini_kv *kv, const char *sec, const char *key)
{
    for (int i = 0; i < kv->n; i++)
        if (strcmp(kv->sec[i], sec) == 0 && strcmp(kv->key[i], key) == 0)
            return kv->val[i];
    return NULL;
}

static int in_list(const char *word, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(word, *list) == 0)
            return 1;
    return 0;
}

/* Every "quoted" column name in an SQL expression is a known column. */
static void check_expr(const struct colset *cols, const char *sec, const char *expr)
{
    const char *p = expr;
    int quoted = 0;
    while ((p = strchr(p, '"')) != NULL) {
        const char *end = strchr(p + 1, '"');
        assert_non_null(end);
        char name[96];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        if (!colset_has(cols, name))
            fail_msg("[%s]: column \"%s\" is in no table", sec, name);
        quoted++;
        p = end + 1;
    }
    assert_true(quoted > 0);
}

static void test_analysis_file(void **state)
{
    (void)state;
    static struct ini_kv kv;
    static struct colset cols;
    memset(&kv, 0, sizeof kv);
    memset(&cols, 0, sizeof cols);
    assert_int_equal(ini_parse(qtr_test_path(DATA "/analysis.ini"), ini_collect, &kv), 0);

    static const char *const fields[] = {"bildung",    "arbeit", "wohnen",     "jugend",
                                         "gesundheit", "kultur", "verwaltung", NULL};
    static const char *const directions[] = {"higher_worse", "higher_better", NULL};

    /* The project's own parser accepts the file (unknown sections and keys are errors there). */
    struct qtr_config cfg;
    struct qtr_error cerr = {0};
    qtr_config_init(&cfg);
    if (qtr_config_load(qtr_test_path(DATA "/analysis.ini"), &cfg, &cerr) != QTR_OK)
        fail_msg("analysis.ini: %s", cerr.msg);
    qtr_config_release(&cfg);

    /* no key twice in a section */
    int n_tables = 0;
    for (int i = 0; i < kv.n; i++) {
        const char *sec = kv.sec[i];
        for (int j = 0; j < i; j++)
            if (strcmp(kv.sec[j], sec) == 0 && strcmp(kv.key[j], kv.key[i]) == 0)
                fail_msg("key '%s' twice in [%s]", kv.key[i], sec);
        if (strncmp(sec, "table ", 6) == 0 && strcmp(kv.key[i], "source") == 0)
            n_tables++;
    }
    assert_int_equal(n_tables, 6);

    /* the boundary fields */
    assert_string_equal(ini_get(&kv, "boundaries", "source"), "bezirke.shp");
    static const char *const shp_fields[] = {"bez_nr", "bez_name", "stt_nr", "stadtteil"};
    for (size_t f = 0; f < 4; f++)
        colset_add(&cols, shp_fields[f]);
    assert_true(colset_has(&cols, ini_get(&kv, "boundaries", "key")));
    assert_true(colset_has(&cols, ini_get(&kv, "boundaries", "name")));
    assert_true(colset_has(&cols, ini_get(&kv, "boundaries", "parent")));

    /* each table: the key is in the header row, the next row is a district */
    for (int i = 0; i < kv.n; i++) {
        if (strncmp(kv.sec[i], "table ", 6) != 0 || strcmp(kv.key[i], "source") != 0)
            continue;
        const char *sec = kv.sec[i];
        const char *hr = ini_get(&kv, sec, "header_row");
        const char *suffix = ini_get(&kv, sec, "suffix");
        const char *key = ini_get(&kv, sec, "key");
        assert_non_null(key);
        int row = hr ? (int)strtol(hr, NULL, 10) - 1 : 0;
        static struct table t;
        table_load(&t, kv.val[i]);
        assert_true(row >= 0 && row + 1 < t.nlines);
        assert_true(is_key(t.f[row + 1][0]));
        int has_key = 0;
        for (int c = 0; c < t.nf[row]; c++) {
            char name[96], full[128];
            cp1252_to_utf8(t.f[row][c], name, sizeof name);
            if (strcmp(name, key) == 0) {
                has_key = 1;
                continue;
            }
            snprintf(full, sizeof full, "%s%s", name, suffix ? suffix : "");
            colset_add(&cols, full);
        }
        if (!has_key)
            fail_msg("[%s]: key '%s' is not in header row %d of %s", sec, key, row + 1, kv.val[i]);
        free(t.buf);
    }

    assert_true(colset_has(&cols, ini_get(&kv, "population", "total")));
    assert_true(colset_has(&cols, ini_get(&kv, "population", "previous_total")));

    int n_groups = 0, n_multi = 0, n_status = 0, seg_ok = 0;
    const char *seg = ini_get(&kv, "renewal", "segregation_group");
    for (int i = 0; i < kv.n; i++) {
        const char *sec = kv.sec[i], *key = kv.key[i], *val = kv.val[i];
        if (strncmp(sec, "group ", 6) == 0) {
            if ((strcmp(key, "column") == 0 || strcmp(key, "previous") == 0) &&
                !colset_has(&cols, val))
                fail_msg("[%s]: column '%s' is in no table", sec, val);
            if (strcmp(key, "column") == 0) {
                n_groups++;
                if (seg && strcmp(sec + 6, seg) == 0)
                    seg_ok = 1;
            }
            if (strcmp(key, "multigroup") == 0 && strcmp(val, "yes") == 0)
                n_multi++;
        } else if (strncmp(sec, "indicator ", 10) == 0) {
            if (strcmp(key, "expr") == 0 || strcmp(key, "previous") == 0 ||
                strcmp(key, "numerator") == 0 || strcmp(key, "denominator") == 0)
                check_expr(&cols, sec, val);
            if (strcmp(key, "field") == 0 && !in_list(val, fields))
                fail_msg("[%s]: unknown action field '%s'", sec, val);
            if (strcmp(key, "direction") == 0 && !in_list(val, directions))
                fail_msg("[%s]: unknown direction '%s'", sec, val);
            if (strcmp(key, "status_weight") == 0 && strtod(val, NULL) > 0)
                n_status++;
        } else if (strncmp(sec, "target ", 7) == 0) {
            char isec[256];
            if (strcmp(key, "indicator") == 0) {
                snprintf(isec, sizeof isec, "indicator %s", val);
                if (!ini_get(&kv, isec, "expr"))
                    fail_msg("[%s]: no indicator '%s'", sec, val);
            }
            if (strcmp(key, "district") == 0) {
                static char keys[MAXD][4], stt[MAXD][3];
                int n = shape_keys(keys, stt), found = 0;
                for (int d = 0; d < n; d++)
                    found |= strcmp(keys[d], val) == 0;
                if (!found)
                    fail_msg("[%s]: no district '%s'", sec, val);
            }
        }
    }
    assert_int_equal(n_groups, 4);
    assert_int_equal(n_multi, 3);
    assert_int_equal(n_status, 3); /* MSS-like: three status indicators */
    assert_true(seg_ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapefile_tessellation),
        cmocka_unit_test(test_csv_bytes),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_spatial_pattern),
        cmocka_unit_test(test_analysis_file),
        cmocka_unit_test(test_regenerate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
