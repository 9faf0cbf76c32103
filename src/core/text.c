/*
 * text.c - encodings to UTF-8 and the district-name join key.
 *
 * Sources: RFC 3629 (UTF-8), RFC 2781 (UTF-16), the Windows-1252 table
 * (unicode.org MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT; undefined bytes as
 * in the WHATWG Encoding Standard's index-windows-1252), Unicode canonical
 * decompositions for U+00C0-U+017F, and the German transliteration
 * ä->ae, ö->oe, ü->ue, ß->ss (DIN 5007-2, variant 2, used for name lists).
 */
#include "quartier/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quartier/strutil.h"

#define REPLACEMENT 0xFFFDu

/* CP1252 0x80-0x9F; undefined positions map to the C1 control (WHATWG). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static uint32_t cp1252_decode(unsigned char b)
{
    if (b == 0)
        return REPLACEMENT;
    if (b >= 0x80 && b <= 0x9F)
        return cp1252_high[b - 0x80];
    return b;
}

/* Write cp as UTF-8 into out (room for 4 bytes); returns the length. */
static size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Decode one UTF-8 sequence at s[0..n). Returns its length and stores the
 * code point, or returns 0 when the sequence is malformed (RFC 3629 table 3:
 * overlongs, surrogates and values above U+10FFFF are malformed).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        v = b & 0x1F;
        min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        v = b & 0x0F;
        min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        v = b & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int qtr_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += k;
    }
    if (bad_offset)
        *bad_offset = n;
    return 1;
}

static char *single_byte_to_utf8(const char *s, size_t n, int cp1252)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(3 * n + 1); /* every code point here is in the BMP, <= 3 bytes */
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = cp1252 ? cp1252_decode(p[i]) : (p[i] ? p[i] : REPLACEMENT);
        o += utf8_encode(cp, out + o);
    }
    out[o] = '\0';
    return out;
}

char *qtr_cp1252_to_utf8(const char *s, size_t n)
{
    return single_byte_to_utf8(s, n, 1);
}

char *qtr_latin1_to_utf8(const char *s, size_t n)
{
    return single_byte_to_utf8(s, n, 0);
}

char *qtr_utf16_to_utf8(const char *s, size_t n, int big_endian)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t units = n / 2;
    if (units > (SIZE_MAX - 4) / 3)
        return NULL;
    /* a BMP unit gives <= 3 bytes, a surrogate pair (2 units) 4 bytes; +3 for an odd byte */
    char *out = malloc(3 * units + 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t u = big_endian ? ((uint32_t)p[2 * i] << 8) | p[2 * i + 1]
                                : ((uint32_t)p[2 * i + 1] << 8) | p[2 * i];
        uint32_t cp = u;
        if (u >= 0xD800 && u <= 0xDBFF) {
            cp = REPLACEMENT;
            if (i + 1 < units) {
                uint32_t lo = big_endian ? ((uint32_t)p[2 * i + 2] << 8) | p[2 * i + 3]
                                         : ((uint32_t)p[2 * i + 3] << 8) | p[2 * i + 2];
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    i++;
                }
            }
        } else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0) {
            cp = REPLACEMENT;
        }
        o += utf8_encode(cp, out + o);
    }
    if (n % 2)
        o += utf8_encode(REPLACEMENT, out + o);
    out[o] = '\0';
    return out;
}

/* ---- name key ---------------------------------------------------------- */

/*
 * Base letters of U+00C0-U+00FF and U+0100-U+017F after removing the
 * diacritic (canonical decomposition, lower case). '*' marks letters that
 * expand to two (see expand()); '?' marks non-letters kept as they are.
 */
static const char latin1_base[65] = "aaaa*a*ceeeeiiii"   /* C0-CF */
                                    "dnoooo*?*uuu*y**"   /* D0-DF */
                                    "aaaa*a*ceeeeiiii"   /* E0-EF */
                                    "dnoooo*?*uuu*y*y";  /* F0-FF */
static const char latin_ext_a[129] = "aaaaaaccccccccdd"  /* 0100 */
                                     "ddeeeeeeeeeegggg"  /* 0110 */
                                     "gggghhhhiiiiiiii"  /* 0120 */
                                     "ii**jjkkklllllll"  /* 0130 */
                                     "lllnnnnnnnnnoooo"  /* 0140 */
                                     "oo**rrrrrrssssss"  /* 0150 */
                                     "ssttttttuuuuuuuu"  /* 0160 */
                                     "uuuuwwyyyzzzzzzs"; /* 0170 */

/* Two-letter expansions of the '*' entries. */
static const char *expand(uint32_t cp)
{
    switch (cp) {
    case 0xC4:
    case 0xE4:
    case 0xC6:
    case 0xE6:
        return "ae";
    case 0xD6:
    case 0xF6:
    case 0xD8:
    case 0xF8:
    case 0x152:
    case 0x153:
        return "oe";
    case 0xDC:
    case 0xFC:
        return "ue";
    case 0xDF:
    case 0x1E9E:
        return "ss";
    case 0xDE:
    case 0xFE:
        return "th";
    case 0x132:
    case 0x133:
        return "ij";
    default:
        return NULL;
    }
}

static int is_separator(uint32_t cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '-':
    case '.':
    case '\'':
    case '`':
    case ',':
    case '_':
    case 0xA0:
    case 0xB4:
    case 0x202F:
    case 0x2018:
    case 0x2019:
    case 0x2212:
        return 1;
    default:
        return cp >= 0x2010 && cp <= 0x2015;
    }
}

/* Replace every whole word "sankt" by "st" in the blank-separated key, in place. */
static void fold_sankt(char *k)
{
    char *r = k, *w = k;
    while (*r) {
        if (strncmp(r, "sankt", 5) == 0 && (r == k || r[-1] == ' ') &&
            (r[5] == ' ' || r[5] == '\0')) {
            *w++ = 's';
            *w++ = 't';
            r += 5;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

char *qtr_name_key(const char *utf8)
{
    if (!utf8)
        return NULL;
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = strlen(utf8);
    struct qtr_buf b = {0};
    int pending_blank = 0;
    char last = 0; /* last ASCII letter written from a base letter (for NFD umlauts) */

    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            cp = cp1252_decode(s[i]);
            k = 1;
        }
        i += k;

        if (cp >= 0x300 && cp <= 0x36F) {
            /* combining mark: only the diaeresis on a/o/u changes the key (NFD "u\u0308" = "ü") */
            if (cp == 0x308 && (last == 'a' || last == 'o' || last == 'u')) {
                if (qtr_buf_append(&b, "e", 1))
                    goto oom;
            }
            last = 0;
            continue;
        }
        if (is_separator(cp)) {
            pending_blank = b.len > 0;
            last = 0;
            continue;
        }
        if (pending_blank) {
            if (qtr_buf_append(&b, " ", 1))
                goto oom;
            pending_blank = 0;
        }
        char c = 0;
        const char *two = NULL;
        if (cp < 0x80) {
            c = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        } else if (cp >= 0xC0 && cp <= 0xFF) {
            c = latin1_base[cp - 0xC0];
        } else if (cp >= 0x100 && cp <= 0x17F) {
            c = latin_ext_a[cp - 0x100];
        } else if (cp == 0x1E9E) {
            c = '*';
        }
        if (c == '*')
            two = expand(cp);
        if (two) {
            if (qtr_buf_append(&b, two, 2))
                goto oom;
            last = 0;
        } else if (c && c != '?' && c != '*') {
            if (qtr_buf_append(&b, &c, 1))
                goto oom;
            last = (c >= 'a' && c <= 'z') ? c : 0;
        } else {
            char enc[4];
            size_t m = utf8_encode(cp, enc);
            if (qtr_buf_append(&b, enc, m))
                goto oom;
            last = 0;
        }
    }
    if (!b.data)
        return qtr_strdup("");
    fold_sankt(b.data);
    return b.data;
oom:
    qtr_buf_release(&b);
    return NULL;
}
