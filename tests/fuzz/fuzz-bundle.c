// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the bundle reader and the summary rendered from what it
 * accepted.  An input that starts with the zstd magic is read as it is;
 * any other input is taken as the tar stream and zstd-compressed first
 * (level 1), so mutations reach the tar headers, the manifest and the
 * report instead of dying in the zstd frame check.
 *
 * Beyond what ASan and UBSan catch: a rejection must come with one line of
 * text free of control bytes (what `show` prints).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "bundle.h"
#include "formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *err)
{
	if (!*err)
		abort();	/* a rejection without a reason */
	for (const char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();	/* a raw control byte would reach the terminal */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	struct scx_bundle b;
	char err[512] = "";
	void *z = NULL;
	const void *in = data;
	size_t in_len = size;
	FILE *devnull;

	if (size < 4 || memcmp(data, magic, 4) != 0) {
		size_t cap = ZSTD_compressBound(size);

		z = malloc(cap);
		if (!z)
			return 0;
		in_len = ZSTD_compress(z, cap, data, size, 1);
		if (ZSTD_isError(in_len)) {
			free(z);
			return 0;
		}
		in = z;
	}
	if (scx_bundle_read_mem(in, in_len, &b, err, sizeof(err)) == 0) {
		devnull = fopen("/dev/null", "we");
		if (devnull) {
			scx_summary_render(devnull, b.report);
			fclose(devnull);
		}
		scx_bundle_free(&b);
	} else {
		check_message(err);
	}
	free(z);
	return 0;
}
