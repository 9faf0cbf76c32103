/*
 * xmlcheck.h - a small well-formedness checker for the XML the tests produce
 * (QML, SVG): matched and properly nested tags, one root element, quoted
 * attributes, no raw '<' or bare '&' in text or attribute values (CDATA sections are
 * skipped), only the
 * five predefined entities and numeric character references.
 * Returns NULL when doc is well-formed, else a static description.
 */
#ifndef QTR_TEST_XMLCHECK_H
#define QTR_TEST_XMLCHECK_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static inline int xmlcheck_entity(const char *p, size_t *len)
{
    static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < 5; i++) {
        size_t n = strlen(ents[i]);
        if (strncmp(p, ents[i], n) == 0) {
            *len = n;
            return 1;
        }
    }
    if (p[1] == '#') {
        size_t i = 2;
        int hex = p[2] == 'x';
        if (hex)
            i++;
        size_t start = i;
        while (hex ? isxdigit((unsigned char)p[i]) : isdigit((unsigned char)p[i]))
            i++;
        if (i > start && p[i] == ';') {
            *len = i + 1;
            return 1;
        }
    }
    return 0;
}

static inline const char *xmlcheck(const char *doc)
{
    static char msg[256];
    const char *stack[256];
    size_t stlen[256];
    size_t depth = 0;
    int roots = 0;
    const char *p = doc;
    while (*p) {
        if (*p == '<') {
            if (strncmp(p, "<!--", 4) == 0) {
                const char *e = strstr(p, "-->");
                if (!e)
                    return "unterminated comment";
                p = e + 3;
                continue;
            }
            if (strncmp(p, "<![CDATA[", 9) == 0) { /* the report's scripts */
                const char *e = strstr(p, "]]>");
                if (!e)
                    return "unterminated CDATA section";
                p = e + 3;
                continue;
            }
            if (strncmp(p, "<?", 2) == 0 || strncmp(p, "<!DOCTYPE", 9) == 0) {
                const char *e = strchr(p, '>');
                if (!e)
                    return "unterminated declaration";
                p = e + 1;
                continue;
            }
            int closing = p[1] == '/';
            const char *name = p + 1 + closing;
            size_t n = 0;
            while (name[n] && !isspace((unsigned char)name[n]) && name[n] != '>' && name[n] != '/')
                n++;
            if (n == 0)
                return "empty tag name";
            const char *q = name + n;
            /* attributes */
            for (;;) {
                while (isspace((unsigned char)*q))
                    q++;
                if (*q == '>' || (*q == '/' && q[1] == '>'))
                    break;
                if (closing)
                    return "attributes in a closing tag";
                while (*q && *q != '=' && !isspace((unsigned char)*q) && *q != '>')
                    q++;
                if (*q != '=')
                    return "attribute without value";
                q++;
                char quote = *q;
                if (quote != '"' && quote != '\'')
                    return "unquoted attribute value";
                q++;
                while (*q && *q != quote) {
                    size_t el;
                    if (*q == '<')
                        return "raw '<' in an attribute value";
                    if (*q == '&') {
                        if (!xmlcheck_entity(q, &el))
                            return "bare '&' in an attribute value";
                        q += el;
                        continue;
                    }
                    q++;
                }
                if (!*q)
                    return "unterminated attribute value";
                q++;
            }
            int empty = *q == '/';
            if (closing) {
                if (depth == 0)
                    return "closing tag without opening tag";
                depth--;
                if (stlen[depth] != n || strncmp(stack[depth], name, n) != 0) {
                    snprintf(msg, sizeof msg, "</%.*s> closes <%.*s>", (int)n, name,
                             (int)stlen[depth], stack[depth]);
                    return msg;
                }
            } else {
                if (depth == 0 && ++roots > 1)
                    return "more than one root element";
                if (!empty) {
                    if (depth == 256)
                        return "too deep";
                    stack[depth] = name;
                    stlen[depth] = n;
                    depth++;
                }
            }
            p = q + (empty ? 2 : 1);
            continue;
        }
        if (*p == '&') {
            size_t el;
            if (!xmlcheck_entity(p, &el))
                return "bare '&' in text";
            p += el;
            continue;
        }
        if (*p == '>' && depth == 0 && roots == 0)
            return "stray '>'";
        p++;
    }
    if (depth != 0) {
        snprintf(msg, sizeof msg, "<%.*s> is not closed", (int)stlen[depth - 1], stack[depth - 1]);
        return msg;
    }
    return roots == 1 ? NULL : "no root element";
}

static inline size_t count_substr(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

#endif
