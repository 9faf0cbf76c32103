/*
 * text.h - character encodings and the key for joining districts by name.
 *
 * Pure functions (no I/O). Statistics offices still publish Windows-1252 CSV,
 * Excel writes UTF-16 "Unicode text", and district names arrive in NFC from one
 * source and NFD (macOS) or transliterated ("Muehlenkamp") from another.
 * Everything is converted to UTF-8 here; qtr_name_key() gives one key for all
 * spellings of a name.
 */
#ifndef QUARTIER_TEXT_H
#define QUARTIER_TEXT_H

#include <stddef.h>

/**
 * 1 when s[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), else 0. When `bad_offset` is not NULL
 * it receives the offset of the first bad byte (n when valid).
 */
int qtr_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/**
 * Windows-1252 bytes to a new NUL-terminated UTF-8 string (caller frees).
 * 0x80-0x9F follow the CP1252 table (0x80 = U+20AC euro, 0x96 = U+2013 en
 * dash, ...); the five undefined bytes 0x81 0x8D 0x8F 0x90 0x9D become the C1
 * control of the same number, as the WHATWG Encoding Standard does. A NUL
 * byte becomes U+FFFD so the result is one C string. NULL when out of memory.
 */
char *qtr_cp1252_to_utf8(const char *s, size_t n);

/** ISO-8859-1 bytes to a new UTF-8 string (each byte is its code point; NUL -> U+FFFD). */
char *qtr_latin1_to_utf8(const char *s, size_t n);

/**
 * UTF-16 (big_endian 0 = LE, 1 = BE; without BOM, the caller strips it) to a
 * new UTF-8 string. Unpaired surrogates, a trailing odd byte and U+0000 become
 * U+FFFD. NULL when out of memory.
 */
char *qtr_utf16_to_utf8(const char *s, size_t n, int big_endian);

/**
 * The key for joining districts by NAME (caller frees; NULL when out of
 * memory or s is NULL). Equal keys mean "same name":
 *  - NFC and NFD spellings give the same key (Latin-1 Supplement and Latin
 *    Extended-A letters, combining marks U+0300-U+036F);
 *  - case folded; ä ö ü (any form) -> ae oe ue, ß and ẞ -> ss, æ -> ae,
 *    ø œ -> oe, other accents dropped ("é" -> "e");
 *  - hyphens (also U+2010-U+2015, U+2212), dots, apostrophes (' ’ ‘ ` ´),
 *    commas, underscores and runs of blanks (also U+00A0, U+202F) become one
 *    blank; leading and trailing blanks removed;
 *  - the word "sankt" becomes "st" ("St. Georg" = "Sankt Georg" = "St.Georg").
 * So "Mühlenkamp", "Muehlenkamp", "MÜHLENKAMP" and NFD "Mühlenkamp" all give
 * "muehlenkamp". Invalid UTF-8 bytes are read as Windows-1252.
 */
char *qtr_name_key(const char *utf8);

#endif
