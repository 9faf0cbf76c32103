/*
 * sha256.h - SHA-256 (FIPS 180-4) for the input checksums in run_info.
 *
 * A pure kernel: no I/O, no allocation. GDAL has CPL_SHA256* but Debian's
 * libgdal-dev does not install cpl_sha256.h, so quartier carries its own.
 */
#ifndef QUARTIER_SHA256_H
#define QUARTIER_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct qtr_sha256 {
    uint32_t h[8];
    uint64_t nbytes;
    unsigned char block[64];
    size_t fill;
};

/** Start a new hash. */
void qtr_sha256_init(struct qtr_sha256 *s);

/** Feed n bytes. */
void qtr_sha256_update(struct qtr_sha256 *s, const void *data, size_t n);

/** Finish: 32 bytes of digest into out; s must be initialised again before reuse. */
void qtr_sha256_final(struct qtr_sha256 *s, unsigned char out[32]);

/** Lower-case hex of a 32-byte digest into hex (65 bytes with the NUL). Returns hex. */
char *qtr_sha256_hex(const unsigned char digest[32], char hex[65]);

#endif
