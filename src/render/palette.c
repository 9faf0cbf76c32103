/*
 * palette.c - colour schemes. ColorBrewer lists are Cynthia Brewer's
 * published values (colorbrewer2.org, Apache-2.0 style licence); viridis and
 * cividis anchors are the 9 / 5 evenly spaced samples of the matplotlib
 * colormaps (viridisLite::viridis(9), cividis(5)).
 */
#include "quartier/palette.h"

#include <stdio.h>
#include <string.h>

struct scheme {
    size_t k;
    const char *hex; /* k colours, "rrggbb" separated by spaces */
};

static const struct scheme blues[] = {
    {3, "deebf7 9ecae1 3182bd"},
    {4, "eff3ff bdd7e7 6baed6 2171b5"},
    {5, "eff3ff bdd7e7 6baed6 3182bd 08519c"},
    {6, "eff3ff c6dbef 9ecae1 6baed6 3182bd 08519c"},
    {7, "eff3ff c6dbef 9ecae1 6baed6 4292c6 2171b5 084594"},
    {8, "f7fbff deebf7 c6dbef 9ecae1 6baed6 4292c6 2171b5 084594"},
    {9, "f7fbff deebf7 c6dbef 9ecae1 6baed6 4292c6 2171b5 08519c 08306b"},
    {0, NULL}};
static const struct scheme purples[] = {
    {3, "efedf5 bcbddc 756bb1"},
    {4, "f2f0f7 cbc9e2 9e9ac8 6a51a3"},
    {5, "f2f0f7 cbc9e2 9e9ac8 756bb1 54278f"},
    {6, "f2f0f7 dadaeb bcbddc 9e9ac8 756bb1 54278f"},
    {7, "f2f0f7 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486"},
    {8, "fcfbfd efedf5 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486"},
    {9, "fcfbfd efedf5 dadaeb bcbddc 9e9ac8 807dba 6a51a3 54278f 3f007d"},
    {0, NULL}};
static const struct scheme oranges[] = {
    {3, "fee6ce fdae6b e6550d"},
    {4, "feedde fdbe85 fd8d3c d94701"},
    {5, "feedde fdbe85 fd8d3c e6550d a63603"},
    {6, "feedde fdd0a2 fdae6b fd8d3c e6550d a63603"},
    {7, "feedde fdd0a2 fdae6b fd8d3c f16913 d94801 8c2d04"},
    {8, "fff5eb fee6ce fdd0a2 fdae6b fd8d3c f16913 d94801 8c2d04"},
    {9, "fff5eb fee6ce fdd0a2 fdae6b fd8d3c f16913 d94801 a63603 7f2704"},
    {0, NULL}};
static const struct scheme puor[] = {
    {3, "f1a340 f7f7f7 998ec3"},
    {4, "e66101 fdb863 b2abd2 5e3c99"},
    {5, "e66101 fdb863 f7f7f7 b2abd2 5e3c99"},
    {6, "b35806 f1a340 fee0b6 d8daeb 998ec3 542788"},
    {7, "b35806 f1a340 fee0b6 f7f7f7 d8daeb 998ec3 542788"},
    {8, "b35806 e08214 fdb863 fee0b6 d8daeb b2abd2 8073ac 542788"},
    {9, "b35806 e08214 fdb863 fee0b6 f7f7f7 d8daeb b2abd2 8073ac 542788"},
    {10, "7f3b08 b35806 e08214 fdb863 fee0b6 d8daeb b2abd2 8073ac 542788 2d004b"},
    {11, "7f3b08 b35806 e08214 fdb863 fee0b6 f7f7f7 d8daeb b2abd2 8073ac 542788 2d004b"},
    {0, NULL}};
static const struct scheme viridis_anchor = {
    9, "440154 472d7b 3b528b 2c728e 21908c 27ad81 5dc863 aadc32 fde725"};
static const struct scheme cividis_anchor = {5, "00204d 414d6b 7c7b78 bcaf6f ffea46"};
static const struct scheme okabe_ito = {8,
                                        "e69f00 56b4e9 009e73 f0e442 0072b2 d55e00 cc79a7 000000"};

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return 0;
}

static struct qtr_rgb scheme_color(const struct scheme *s, size_t i)
{
    const char *h = s->hex + 7 * i;
    struct qtr_rgb c = {(unsigned char)(hexval(h[0]) * 16 + hexval(h[1])),
                        (unsigned char)(hexval(h[2]) * 16 + hexval(h[3])),
                        (unsigned char)(hexval(h[4]) * 16 + hexval(h[5]))};
    return c;
}

/* k colours evenly spaced along the piecewise-linear ramp through s's colours. */
static void interpolate(const struct scheme *s, size_t k, struct qtr_rgb *out)
{
    for (size_t i = 0; i < k; i++) {
        double t = k == 1 ? 0.5 : (double)i / (double)(k - 1);
        double pos = t * (double)(s->k - 1);
        size_t a = (size_t)pos;
        if (a >= s->k - 1)
            a = s->k - 2;
        double f = pos - (double)a;
        struct qtr_rgb c0 = scheme_color(s, a), c1 = scheme_color(s, a + 1);
        out[i].r = (unsigned char)(c0.r + f * (c1.r - c0.r) + 0.5);
        out[i].g = (unsigned char)(c0.g + f * (c1.g - c0.g) + 0.5);
        out[i].b = (unsigned char)(c0.b + f * (c1.b - c0.b) + 0.5);
    }
}

static void from_brewer(const struct scheme *list, size_t k, struct qtr_rgb *out)
{
    const struct scheme *largest = list;
    for (const struct scheme *s = list; s->hex; s++) {
        if (s->k == k) {
            for (size_t i = 0; i < k; i++)
                out[i] = scheme_color(s, i);
            return;
        }
        largest = s;
    }
    if (k == 1) {
        out[0] = scheme_color(&list[0], 1);
    } else if (k == 2) {
        out[0] = scheme_color(&list[0], 0);
        out[1] = scheme_color(&list[0], 2);
    } else {
        interpolate(largest, k, out);
    }
}

int qtr_palette_colors(enum qtr_palette p, size_t k, struct qtr_rgb *out, struct qtr_error *err)
{
    if (k == 0)
        return qtr_error_set(err, QTR_ERR_USAGE, "a palette needs at least one colour");
    switch (p) {
    case QTR_PAL_VIRIDIS:
        interpolate(&viridis_anchor, k, out);
        return QTR_OK;
    case QTR_PAL_CIVIDIS:
        interpolate(&cividis_anchor, k, out);
        return QTR_OK;
    case QTR_PAL_BLUES:
        from_brewer(blues, k, out);
        return QTR_OK;
    case QTR_PAL_PURPLES:
        from_brewer(purples, k, out);
        return QTR_OK;
    case QTR_PAL_ORANGES:
        from_brewer(oranges, k, out);
        return QTR_OK;
    case QTR_PAL_PUOR:
        from_brewer(puor, k, out);
        return QTR_OK;
    case QTR_PAL_OKABE_ITO:
        for (size_t i = 0; i < k; i++)
            out[i] = scheme_color(&okabe_ito, i % okabe_ito.k);
        return QTR_OK;
    }
    return qtr_error_set(err, QTR_ERR_USAGE, "unknown palette %d", (int)p);
}

int qtr_palette_parse(const char *name, enum qtr_palette *p, struct qtr_error *err)
{
    static const char *const names[] = {"viridis", "cividis", "blues",    "purples",
                                        "oranges", "puor",    "okabe_ito"};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *p = (enum qtr_palette)i;
            return QTR_OK;
        }
    }
    return qtr_error_set(err, QTR_ERR_USAGE,
                         "unknown palette '%s' (use viridis, cividis, blues, purples, oranges, "
                         "puor or okabe_ito)",
                         name ? name : "(null)");
}

struct qtr_rgb qtr_palette_nodata(void)
{
    struct qtr_rgb c = {255, 255, 255};
    return c;
}

struct qtr_rgb qtr_palette_nodata_hatch(void)
{
    struct qtr_rgb c = {120, 120, 120};
    return c;
}

struct qtr_rgb qtr_palette_not_significant(void)
{
    struct qtr_rgb c = {232, 232, 226};
    return c;
}

struct qtr_rgb qtr_palette_not_rated(void)
{
    struct qtr_rgb c = {150, 150, 150};
    return c;
}

struct qtr_rgb qtr_palette_lisa(int cluster)
{
    static const struct qtr_rgb lisa[] = {
        {232, 232, 226}, {215, 25, 28}, {44, 123, 182}, {171, 217, 233}, {253, 174, 97}};
    if (cluster < 0 || cluster > 4)
        return qtr_palette_not_significant();
    return lisa[cluster];
}

char *qtr_rgb_hex(struct qtr_rgb c, char *buf)
{
    snprintf(buf, 8, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}
