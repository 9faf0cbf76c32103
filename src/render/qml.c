/*
 * qml.c - QGIS renderer-v2 styles as XML strings.
 */
#include "quartier/qml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/classify.h"
#include "quartier/strutil.h"

#define QML_HEAD                                                                                   \
    "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"                                 \
    "<qgis version=\"3.22.16-Bia\xc5\x82owie\xc5\xbc\x61\" "                                       \
    "styleCategories=\"AllStyleCategories\">\n"

static const struct qtr_rgb outline_default = {35, 35, 35};

/* Length of the valid UTF-8 sequence at s, or 0 when it is invalid. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n;
    unsigned cp;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, surrogates and code points beyond U+10FFFF */
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

int qtr_xml_escape(struct qtr_buf *b, const char *s, struct qtr_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i]) {
        const char *rep = NULL;
        switch (p[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        case '\t':
            rep = "&#9;";
            break;
        case '\n':
            rep = "&#10;";
            break;
        case '\r':
            rep = "&#13;";
            break;
        default:
            break;
        }
        if (rep) {
            if (qtr_buf_puts(b, rep))
                return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a QGIS style");
            i++;
            continue;
        }
        if (p[i] < 0x20 || p[i] == 0x7F)
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "text '%.40s' has control character 0x%02x at byte %zu, which "
                                 "XML cannot hold",
                                 s, p[i], i);
        size_t n = utf8_len(p + i);
        if (n == 0)
            return qtr_error_set(err, QTR_ERR_DATA,
                                 "text has invalid UTF-8 at byte %zu; convert it to UTF-8", i);
        if (qtr_buf_append(b, (const char *)p + i, n))
            return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a QGIS style");
        i += n;
    }
    return QTR_OK;
}

/* Append attribute `name="escaped value"` preceded by a space. */
static int attr(struct qtr_buf *b, const char *name, const char *value, struct qtr_error *err)
{
    if (qtr_buf_printf(b, " %s=\"", name))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a QGIS style");
    int rc = qtr_xml_escape(b, value, err);
    if (rc)
        return rc;
    return qtr_buf_puts(b, "\"") ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory") : QTR_OK;
}

static int put(struct qtr_buf *b, const char *s, struct qtr_error *err)
{
    if (qtr_buf_puts(b, s))
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a QGIS style");
    return QTR_OK;
}

/* A fill symbol; hatched adds a second layer of diagonal lines in the hatch colour over the
 * fill (QGIS brush style b_diagonal), the "no data" look of the maps. */
static int fill_symbol_h(struct qtr_buf *b, size_t name, int filled, struct qtr_rgb fill,
                         struct qtr_rgb outline, double outline_mm, int hatched,
                         struct qtr_error *err)
{
    struct qtr_rgb h = qtr_palette_nodata_hatch();
    int e = qtr_buf_printf(
        b,
        "   <symbol type=\"fill\" name=\"%zu\" alpha=\"1\" clip_to_extent=\"1\" "
        "force_rhr=\"0\">\n"
        "    <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "     <Option type=\"Map\">\n"
        "      <Option name=\"color\" type=\"QString\" value=\"%d,%d,%d,255\"/>\n"
        "      <Option name=\"outline_color\" type=\"QString\" value=\"%d,%d,%d,255\"/>\n"
        "      <Option name=\"outline_style\" type=\"QString\" value=\"solid\"/>\n"
        "      <Option name=\"outline_width\" type=\"QString\" value=\"%.3g\"/>\n"
        "      <Option name=\"outline_width_unit\" type=\"QString\" value=\"MM\"/>\n"
        "      <Option name=\"style\" type=\"QString\" value=\"%s\"/>\n"
        "     </Option>\n"
        "    </layer>\n",
        name, fill.r, fill.g, fill.b, outline.r, outline.g, outline.b, outline_mm,
        filled ? "solid" : "no");
    if (!e && hatched)
        e = qtr_buf_printf(
            b,
            "    <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
            "     <Option type=\"Map\">\n"
            "      <Option name=\"color\" type=\"QString\" value=\"%d,%d,%d,255\"/>\n"
            "      <Option name=\"outline_style\" type=\"QString\" value=\"no\"/>\n"
            "      <Option name=\"style\" type=\"QString\" value=\"b_diagonal\"/>\n"
            "     </Option>\n"
            "    </layer>\n",
            h.r, h.g, h.b);
    if (!e)
        e = qtr_buf_puts(b, "   </symbol>\n");
    return e ? qtr_error_set(err, QTR_ERR_NOMEM, "out of memory writing a QGIS style") : QTR_OK;
}

static int fill_symbol(struct qtr_buf *b, size_t name, int filled, struct qtr_rgb fill,
                       struct qtr_rgb outline, double outline_mm, struct qtr_error *err)
{
    return fill_symbol_h(b, name, filled, fill, outline, outline_mm, 0, err);
}

static int tail(struct qtr_buf *b, const struct qtr_qml_alias *aliases, size_t naliases,
                struct qtr_error *err)
{
    int rc = put(b, " </renderer-v2>\n", err);
    if (rc == QTR_OK && naliases > 0) {
        rc = put(b, " <aliases>\n", err);
        for (size_t i = 0; rc == QTR_OK && i < naliases; i++) {
            if (!aliases[i].field || !aliases[i].alias)
                return qtr_error_set(err, QTR_ERR_USAGE, "alias %zu has no field or name", i);
            rc = put(b, "  <alias", err);
            if (rc == QTR_OK)
                rc = attr(b, "field", aliases[i].field, err);
            if (rc == QTR_OK)
                rc = attr(b, "name", aliases[i].alias, err);
            if (rc == QTR_OK)
                rc = put(b, "/>\n", err);
        }
        if (rc == QTR_OK)
            rc = put(b, " </aliases>\n", err);
    }
    if (rc == QTR_OK)
        rc = put(b, " <layerGeometryType>2</layerGeometryType>\n</qgis>\n", err);
    return rc;
}

/* QGIS expression for a field reference: "name" with embedded quotes doubled. */
static int field_ref(struct qtr_buf *e, const char *field)
{
    if (qtr_buf_puts(e, "\""))
        return QTR_ERR_NOMEM;
    for (const char *p = field; *p; p++) {
        if (qtr_buf_append(e, p, 1) || (*p == '"' && qtr_buf_append(e, p, 1)))
            return QTR_ERR_NOMEM;
    }
    return qtr_buf_puts(e, "\"") ? QTR_ERR_NOMEM : QTR_OK;
}

int qtr_qml_graduated(const struct qtr_qml_graduated *g, char **out, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct qtr_buf b = {0}, expr = {0};
    *out = NULL;
    if (!g->field || !*g->field)
        return qtr_error_set(err, QTR_ERR_USAGE, "graduated style without a field name");
    if (g->k == 0 || !g->limits || !g->colors)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "graduated style for '%s' needs at least one class with limits and "
                             "colours",
                             g->field);
    for (size_t i = 0; i <= g->k; i++) {
        if (!isfinite(g->limits[i]) || (i > 0 && g->limits[i] < g->limits[i - 1]))
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "class limits for '%s' must be finite and ascending (limit %zu "
                                 "is %g)",
                                 g->field, i, g->limits[i]);
    }
    int rules = g->null_label != NULL;
    if ((rc = put(&b, QML_HEAD, err)))
        goto out;
    if (rules) {
        rc = put(&b,
                 " <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" forceraster=\"0\" "
                 "enableorderby=\"0\">\n  <rules key=\"{quartier-root}\">\n",
                 err);
    } else {
        rc = put(&b, " <renderer-v2 type=\"graduatedSymbol\"", err);
        if (rc == QTR_OK)
            rc = attr(&b, "attr", g->field, err);
        if (rc == QTR_OK)
            rc = put(&b,
                     " graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" forceraster=\"0\" "
                     "enableorderby=\"0\">\n  <ranges>\n",
                     err);
    }
    if (rc)
        goto out;
    for (size_t i = 0; i < g->k; i++) {
        char lab[256];
        const char *label = g->labels ? g->labels[i] : NULL;
        if (!label) {
            if (qtr_class_label_de(g->limits[i], g->limits[i + 1], g->decimals, g->unit, lab,
                                   sizeof lab)) {
                /* limits are finite and any finite value formats: not the user's doing */
                rc = qtr_error_set(err, QTR_ERR_INTERNAL,
                                   "cannot format the label of class %zu of '%s'", i, g->field);
                goto out;
            }
            label = lab;
        }
        if (rules) {
            expr.len = 0;
            if (expr.data)
                expr.data[0] = '\0';
            if (field_ref(&expr, g->field) ||
                qtr_buf_printf(&expr, " %s %.17g AND ", i == 0 ? ">=" : ">", g->limits[i]) ||
                field_ref(&expr, g->field) ||
                qtr_buf_printf(&expr, " <= %.17g", g->limits[i + 1])) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            if (qtr_buf_printf(&b, "   <rule key=\"{quartier-class-%zu}\" symbol=\"%zu\"", i, i)) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            if ((rc = attr(&b, "label", label, err)) || (rc = attr(&b, "filter", expr.data, err)) ||
                (rc = put(&b, "/>\n", err)))
                goto out;
        } else {
            if (qtr_buf_printf(&b, "   <range symbol=\"%zu\" lower=\"%.17g\" upper=\"%.17g\"", i,
                               g->limits[i], g->limits[i + 1])) {
                rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
                goto out;
            }
            if ((rc = attr(&b, "label", label, err)) || (rc = put(&b, " render=\"true\"/>\n", err)))
                goto out;
        }
    }
    if (rules) {
        if (qtr_buf_printf(&b, "   <rule key=\"{quartier-else}\" symbol=\"%zu\" filter=\"ELSE\"",
                           g->k)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if ((rc = attr(&b, "label", g->null_label, err)) || (rc = put(&b, "/>\n  </rules>\n", err)))
            goto out;
    } else if ((rc = put(&b, "  </ranges>\n", err))) {
        goto out;
    }
    if ((rc = put(&b, "  <symbols>\n", err)))
        goto out;
    for (size_t i = 0; i < g->k; i++)
        if ((rc = fill_symbol(&b, i, 1, g->colors[i], outline_default, 0.26, err)))
            goto out;
    if (rules && (rc = fill_symbol_h(&b, g->k, 1, g->null_color, outline_default, 0.26,
                                     g->null_hatched, err)))
        goto out;
    if ((rc = put(&b, "  </symbols>\n", err)))
        goto out;
    if (!rules && g->method_id) {
        if ((rc = put(&b, "  <classificationMethod", err)) ||
            (rc = attr(&b, "id", g->method_id, err)) || (rc = put(&b, "/>\n", err)))
            goto out;
    }
    if ((rc = tail(&b, g->aliases, g->naliases, err)))
        goto out;
    *out = b.data;
    b.data = NULL;
out:
    qtr_buf_release(&b);
    qtr_buf_release(&expr);
    return rc;
}

/* Normalised category value for the field kind, in buf. */
static int category_value(enum qtr_qml_kind kind, const char *v, char *buf, size_t size,
                          struct qtr_error *err)
{
    if (!v)
        return qtr_error_set(err, QTR_ERR_USAGE, "category value is missing");
    if (kind == QTR_QML_BOOL) {
        if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
            v = "true";
        else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
            v = "false";
        else
            return qtr_error_set(err, QTR_ERR_USAGE,
                                 "category value '%s' is not a boolean (use 1/0 or true/false)", v);
        snprintf(buf, size, "%s", v);
        return QTR_OK;
    }
    if (kind == QTR_QML_INT) {
        char *end = NULL;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (end == v || *end || errno)
            return qtr_error_set(err, QTR_ERR_USAGE, "category value '%s' is not an integer", v);
        snprintf(buf, size, "%lld", x);
        return QTR_OK;
    }
    if (!*v)
        return qtr_error_set(err, QTR_ERR_USAGE,
                             "category value is empty; QGIS reserves the empty value for "
                             "\"all other values\" (use other_label)");
    int n = snprintf(buf, size, "%s", v);
    if (n < 0 || (size_t)n >= size)
        return qtr_error_set(err, QTR_ERR_USAGE, "category value '%.40s...' is too long", v);
    return QTR_OK;
}

int qtr_qml_categorized(const struct qtr_qml_categorized *c, char **out, struct qtr_error *err)
{
    int rc = QTR_OK;
    struct qtr_buf b = {0};
    char **norm = NULL;
    *out = NULL;
    if (!c->field || !*c->field)
        return qtr_error_set(err, QTR_ERR_USAGE, "categorized style without a field name");
    if (c->n == 0 && !c->other_label)
        return qtr_error_set(err, QTR_ERR_USAGE, "categorized style for '%s' has no categories",
                             c->field);
    if (c->kind != QTR_QML_BOOL && c->kind != QTR_QML_INT && c->kind != QTR_QML_TEXT)
        return qtr_error_set(err, QTR_ERR_USAGE, "unknown field kind %d", (int)c->kind);
    norm = calloc(c->n + 1, sizeof *norm);
    if (!norm)
        return qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        char v[1024];
        if ((rc = category_value(c->kind, c->values[i], v, sizeof v, err))) {
            qtr_error_prefix(err, "style for '%s'", c->field);
            goto out;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(norm[j], v) == 0) {
                rc =
                    qtr_error_set(err, QTR_ERR_USAGE,
                                  "style for '%s': category value '%s' appears twice", c->field, v);
                goto out;
            }
        }
        if (!(norm[i] = qtr_strdup(v))) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    if ((rc = put(&b, QML_HEAD " <renderer-v2 type=\"categorizedSymbol\"", err)) ||
        (rc = attr(&b, "attr", c->expression ? c->expression : c->field, err)) ||
        (rc =
             put(&b, " symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\">\n  <categories>\n",
                 err)))
        goto out;
    for (size_t i = 0; i <= c->n; i++) {
        const char *value, *label;
        if (i < c->n) {
            value = norm[i];
            label = c->labels && c->labels[i] ? c->labels[i] : c->values[i];
        } else if (c->other_label) {
            /* QgsCategorizedSymbolRenderer falls back to the category with value "" */
            value = "";
            label = c->other_label;
        } else {
            break;
        }
        if (qtr_buf_printf(&b, "   <category symbol=\"%zu\"", i)) {
            rc = qtr_error_set(err, QTR_ERR_NOMEM, "out of memory");
            goto out;
        }
        if ((rc = attr(&b, "value", value, err)) || (rc = attr(&b, "label", label, err)) ||
            (rc = put(&b, " render=\"true\"/>\n", err)))
            goto out;
    }
    if ((rc = put(&b, "  </categories>\n  <symbols>\n", err)))
        goto out;
    for (size_t i = 0; i < c->n; i++)
        if ((rc = fill_symbol(&b, i, 1, c->colors[i], outline_default, 0.26, err)))
            goto out;
    if (c->other_label && (rc = fill_symbol_h(&b, c->n, 1, c->other_color, outline_default, 0.26,
                                              c->other_hatched, err)))
        goto out;
    if ((rc = put(&b, "  </symbols>\n", err)) || (rc = tail(&b, c->aliases, c->naliases, err)))
        goto out;
    *out = b.data;
    b.data = NULL;
out:
    for (size_t i = 0; norm && i < c->n; i++)
        free(norm[i]);
    free(norm);
    qtr_buf_release(&b);
    return rc;
}

int qtr_qml_single(int filled, struct qtr_rgb fill, struct qtr_rgb outline, double outline_mm,
                   const struct qtr_qml_alias *aliases, size_t naliases, char **out,
                   struct qtr_error *err)
{
    int rc;
    struct qtr_buf b = {0};
    *out = NULL;
    if (!(outline_mm > 0) || outline_mm > 100)
        return qtr_error_set(err, QTR_ERR_USAGE, "outline width %g mm is not usable", outline_mm);
    if ((rc = put(&b,
                  QML_HEAD " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" "
                           "forceraster=\"0\" enableorderby=\"0\">\n  <symbols>\n",
                  err)) ||
        (rc = fill_symbol(&b, 0, filled, fill, outline, outline_mm, err)) ||
        (rc = put(&b, "  </symbols>\n", err)) || (rc = tail(&b, aliases, naliases, err)))
        goto out;
    *out = b.data;
    b.data = NULL;
out:
    qtr_buf_release(&b);
    return rc;
}
