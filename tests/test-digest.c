// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/digest.c: SHA-256 against FIPS 180-2's examples (appendix B), MD5
 * against RFC 1321's test suite (A.5), base64 against RFC 4648's vectors
 * (section 10); then both digests against coreutils' sha256sum and md5sum
 * on every length from 0 to 200 bytes (each padding case) and a few large
 * ones, fed in uneven pieces so every way into the block buffer is taken,
 * through the SHA extensions (x86-64 CPUs that have them) and the C code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "util.h"

static void sha_hex(const void *d, size_t len, size_t piece, char hex[65])
{
	struct scx_sha256 s;

	scx_sha256_init(&s);
	for (size_t off = 0; off < len; off += piece)
		scx_sha256_update(&s, (const char *)d + off, len - off < piece ? len - off : piece);
	scx_sha256_hex(&s, hex);
}

static void md5_hex(const void *d, size_t len, size_t piece, char hex[33])
{
	struct scx_md5 m;

	scx_md5_init(&m);
	for (size_t off = 0; off < len; off += piece)
		scx_md5_update(&m, (const char *)d + off, len - off < piece ? len - off : piece);
	scx_md5_hex(&m, hex);
}

static void test_sha256_vectors(void **state)
{
	static const char *const v[][2] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char hex[65], *million = malloc(1000000);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		sha_hex(v[i][0], strlen(v[i][0]), 1000, hex);
		assert_string_equal(hex, v[i][1]);
		sha_hex(v[i][0], strlen(v[i][0]), 1, hex);
		assert_string_equal(hex, v[i][1]);
	}
	assert_non_null(million);
	memset(million, 'a', 1000000);
	for (int portable = 0; portable < 2; portable++) {
		scx_sha256_portable = portable;
		sha_hex(million, 1000000, 4099, hex);
		assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	scx_sha256_portable = false;
	free(million);
	assert_int_equal(sha256_hex_buf("abc", 3, hex), 0);
	assert_string_equal(hex, v[1][1]);
}

static void test_md5_vectors(void **state)
{
	static const char *const v[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char hex[33];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		md5_hex(v[i][0], strlen(v[i][0]), 64, hex);
		assert_string_equal(hex, v[i][1]);
		md5_hex(v[i][0], strlen(v[i][0]), 7, hex);
		assert_string_equal(hex, v[i][1]);
	}
}

static void test_base64_vectors(void **state)
{
	static const char *const v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	static const unsigned char high[] = { 0xff, 0xfe, 0xfd, 0x00, 0x80 };
	char out[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		assert_int_equal(scx_base64(v[i][0], strlen(v[i][0]), out), strlen(v[i][1]));
		assert_string_equal(out, v[i][1]);
	}
	/* printf '\xff\xfe\xfd\x00\x80' | base64 */
	scx_base64(high, sizeof(high), out);
	assert_string_equal(out, "//79AIA=");
}

/* What coreutils' TOOL says of the file. */
static void tool_hex(const char *tool, const char *path, char *hex, size_t len)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s '%s'", tool, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(hex, (int)len, p));
	pclose(p);
	hex[len - 1] = '\0';
}

static void test_against_coreutils(void **state)
{
	static const size_t big[] = { 511, 4096, 65535, 65536, 65537, 300007 };
	char path[] = "/tmp/scx-test-digest.XXXXXX", want[65], got[65], want5[33], got5[33];
	unsigned char *buf = malloc(300007);
	uint32_t x = 12345;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(buf);
	for (size_t i = 0; i < 300007; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (size_t n = 0; n < 200 + ARRAY_SIZE(big); n++) {
		size_t len = n < 200 ? n : big[n - 200];
		uint64_t size = 0;

		assert_int_equal(ftruncate(fd, 0), 0);
		assert_int_equal(pwrite(fd, buf, len, 0), (ssize_t)len);
		tool_hex("sha256sum", path, want, sizeof(want));
		tool_hex("md5sum", path, want5, sizeof(want5));
		/* both ways a block is hashed: the SHA extensions (where the CPU has them), the C code */
		for (int portable = 0; portable < 2; portable++) {
			scx_sha256_portable = portable;
			sha_hex(buf, len, 1 + n % 67, got);
			assert_string_equal(got, want);
			sha_hex(buf, len, len ? len : 1, got);
			assert_string_equal(got, want);
		}
		scx_sha256_portable = false;
		assert_int_equal(sha256_hex_file(path, got, &size), 0);
		assert_string_equal(got, want);
		assert_int_equal(size, len);
		md5_hex(buf, len, 1 + n % 61, got5);
		assert_string_equal(got5, want5);
	}
	close(fd);
	unlink(path);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_md5_vectors),
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_against_coreutils),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
