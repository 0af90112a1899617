// SPDX-License-Identifier: GPL-2.0-or-later
/* SHA-256, MD5 and base64 (digest.h), from FIPS 180-4, RFC 1321 and RFC 4648. */
#include "digest.h"

#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void hex_of(const uint8_t *md, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

/* ---- SHA-256 (FIPS 180-4, 6.2) ----------------------------------------- */

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k;

	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
			      K256[t] + w[t];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void scx_sha256_init(struct scx_sha256 *s)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, h0, sizeof(h0));
	s->bytes = 0;
	s->used = 0;
}

/* Feed whole blocks to fn, keeping a partial one in block[]: shared by both digests. */
static void feed(uint32_t *h, uint8_t block[64], size_t *used, uint64_t *bytes, const void *data,
		 size_t len, void (*fn)(uint32_t *h, const uint8_t *p, size_t n))
{
	const uint8_t *p = data;

	*bytes += len;
	if (*used) {
		size_t take = 64 - *used < len ? 64 - *used : len;

		memcpy(block + *used, p, take);
		*used += take, p += take, len -= take;
		if (*used < 64)
			return;
		fn(h, block, 1);
		*used = 0;
	}
	fn(h, p, len / 64);
	p += len / 64 * 64;
	len %= 64;
	memcpy(block, p, len);
	*used = len;
}

bool scx_sha256_portable;

#if defined(__x86_64__)
/*
 * The same block with the SHA extensions (Intel SHA-NI, AMD since Zen):
 * about 5x the portable code, which matters for a scheduler's binary of
 * 10 MiB and more.  The state is kept as the instructions want it, ABEF
 * and CDGH; each sha256rnds2 does two rounds, msg1/msg2 the schedule.
 */
__attribute__((target("sha,sse4.1")))
static void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i abcd = _mm_loadu_si128((const __m128i *)&h[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)&h[4]);
	__m128i t = _mm_shuffle_epi32(abcd, 0xb1);	/* B A D C */
	__m128i s1 = _mm_shuffle_epi32(efgh, 0x1b);	/* H G F E */
	__m128i s0 = _mm_alignr_epi8(t, s1, 8);	/* F E B A */
	__m128i save0, save1, w[4];

	s1 = _mm_blend_epi16(s1, t, 0xf0);		/* H G D C */
	for (; n; n--, p += 64) {
	save0 = s0, save1 = s1;
	/* Unrolled, w[] lives in registers. */
#pragma GCC unroll 16
	for (int g = 0; g < 16; g++) {
		__m128i m;

		if (g < 4) {
			m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
		} else {
			/* w[g & 3] holds group g-4, then g-3, g-2, g-1 follow */
			m = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
			m = _mm_add_epi32(m, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
			m = _mm_sha256msg2_epu32(m, w[(g + 3) & 3]);
		}
		w[g & 3] = m;
		m = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&K256[4 * g]));
		s1 = _mm_sha256rnds2_epu32(s1, s0, m);
		s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0e));
	}
	s0 = _mm_add_epi32(s0, save0);
	s1 = _mm_add_epi32(s1, save1);
	}
	t = _mm_shuffle_epi32(s0, 0x1b);		/* A B E F */
	s1 = _mm_shuffle_epi32(s1, 0xb1);		/* G H C D */
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, s1, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, t, 8));
}
#endif

static void sha256_fn(uint32_t *h, const uint8_t *p, size_t n)
{
#if defined(__x86_64__)
	static int ni = -1;

	if (ni < 0)
		ni = __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
	if (ni && !scx_sha256_portable) {
		sha256_blocks_ni(h, p, n);
		return;
	}
#endif
	for (; n; n--, p += 64)
		sha256_block(h, p);
}

void scx_sha256_update(struct scx_sha256 *s, const void *data, size_t len)
{
	feed(s->h, s->block, &s->used, &s->bytes, data, len, sha256_fn);
}

/* 0x80, zeros to 56 mod 64, then the length in bits (big-endian for SHA, little for MD5). */
static void pad(uint32_t *h, uint8_t block[64], size_t used, uint64_t bytes, bool big_endian,
		void (*fn)(uint32_t *h, const uint8_t *p, size_t n))
{
	uint64_t bits = bytes * 8;

	block[used++] = 0x80;
	if (used > 56) {
		memset(block + used, 0, 64 - used);
		fn(h, block, 1);
		used = 0;
	}
	memset(block + used, 0, 56 - used);
	for (int i = 0; i < 8; i++)
		block[56 + i] = (uint8_t)(bits >> (big_endian ? 56 - 8 * i : 8 * i));
	fn(h, block, 1);
}

void scx_sha256_final(struct scx_sha256 *s, uint8_t md[32])
{
	pad(s->h, s->block, s->used, s->bytes, true, sha256_fn);
	for (int i = 0; i < 8; i++) {
		md[4 * i] = (uint8_t)(s->h[i] >> 24);
		md[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		md[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		md[4 * i + 3] = (uint8_t)s->h[i];
	}
}

void scx_sha256_hex(struct scx_sha256 *s, char hex[65])
{
	uint8_t md[32];

	scx_sha256_final(s, md);
	hex_of(md, sizeof(md), hex);
}

/* ---- MD5 (RFC 1321, 3.4) ----------------------------------------------- */

static const uint8_t R5[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

/* T[i] = floor(2^32 * abs(sin(i + 1))), the RFC's table. */
static const uint32_t T5[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static void md5_block(uint32_t *h, const uint8_t *p)
{
	uint32_t x[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f, t;
		int g;

		if (i < 16)
			f = (b & c) | (~b & d), g = i;
		else if (i < 32)
			f = (d & b) | (~d & c), g = (5 * i + 1) & 15;
		else if (i < 48)
			f = b ^ c ^ d, g = (3 * i + 5) & 15;
		else
			f = c ^ (b | ~d), g = (7 * i) & 15;
		t = a + f + T5[i] + x[g];
		a = d, d = c, c = b;
		b += (t << R5[i]) | (t >> (32 - R5[i]));
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
}

static void md5_fn(uint32_t *h, const uint8_t *p, size_t n)
{
	for (; n; n--, p += 64)
		md5_block(h, p);
}

void scx_md5_init(struct scx_md5 *m)
{
	m->h[0] = 0x67452301, m->h[1] = 0xefcdab89, m->h[2] = 0x98badcfe, m->h[3] = 0x10325476;
	m->bytes = 0;
	m->used = 0;
}

void scx_md5_update(struct scx_md5 *m, const void *data, size_t len)
{
	feed(m->h, m->block, &m->used, &m->bytes, data, len, md5_fn);
}

void scx_md5_final(struct scx_md5 *m, uint8_t md[16])
{
	pad(m->h, m->block, m->used, m->bytes, false, md5_fn);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			md[4 * i + j] = (uint8_t)(m->h[i] >> (8 * j));
}

void scx_md5_hex(struct scx_md5 *m, char hex[33])
{
	uint8_t md[16];

	scx_md5_final(m, md);
	hex_of(md, sizeof(md), hex);
}

/* ---- base64 (RFC 4648, 4) ---------------------------------------------- */

size_t scx_base64(const void *data, size_t len, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *p = data;
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < len ? p[i + 2] : 0);

		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = i + 1 < len ? a[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? a[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}
