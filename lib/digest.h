/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4), MD5 (RFC 1321) and base64 (RFC 4648), written from
 * the standards: what scx-report hashes is the manifest's members, the
 * bundle, the scheduler's binary and its dpkg md5sums line, nothing secret.
 * Its own, so that a collection does not load and initialise libcrypto
 * (2.2 ms to load, 2.3 ms for OpenSSL 3's first digest on the 2-core test
 * machine, in every run).  On x86-64 SHA-256 uses the CPU's SHA extensions
 * where it has them (1.6 GB/s here, as OpenSSL; the C code 270 MB/s, MD5
 * 450 MB/s): a scheduler's binary of 10 MiB and more is hashed at every
 * collection.  tests/test-digest.c checks both against the standards' test
 * vectors and coreutils' sha256sum and md5sum.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scx_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t used;
};

void scx_sha256_init(struct scx_sha256 *s);
/*
 * On x86-64 with the SHA extensions the blocks go through them (about 5x);
 * true forces the portable code everywhere (tests compare the two).
 */
extern bool scx_sha256_portable;
void scx_sha256_update(struct scx_sha256 *s, const void *data, size_t len);
void scx_sha256_final(struct scx_sha256 *s, uint8_t md[32]);
/* Final, as 64 lowercase hex digits and a NUL. */
void scx_sha256_hex(struct scx_sha256 *s, char hex[65]);

struct scx_md5 {
	uint32_t h[4];
	uint64_t bytes;
	uint8_t block[64];
	size_t used;
};

void scx_md5_init(struct scx_md5 *m);
void scx_md5_update(struct scx_md5 *m, const void *data, size_t len);
void scx_md5_final(struct scx_md5 *m, uint8_t md[16]);
/* Final, as 32 lowercase hex digits and a NUL. */
void scx_md5_hex(struct scx_md5 *m, char hex[33]);

/* Standard base64 with padding, NUL-terminated: out holds 4 * ((len + 2) / 3) + 1 bytes. */
size_t scx_base64(const void *data, size_t len, char *out);
