// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the bundle reader and the summary rendered from what it
 * accepted.  An input that starts with the zstd magic is read as it is;
 * any other input is taken as the tar stream and zstd-compressed first
 * (level 1), so mutations reach the tar headers, the manifest and the
 * report instead of dying in the zstd frame check.
 *
 * Beyond what ASan and UBSan catch: a rejection must come with one line of
 * text free of control bytes (what `show` prints).  An accepted bundle also
 * goes through what `diff` prints (the report against itself with every
 * scalar changed, so every compared key prints both values) and what `show
 * --member` writes to a terminal (each member, through the same escaper, or
 * refused when binary): neither may carry a raw control byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include <sys/mman.h>
#include <unistd.h>

#include "bundle.h"
#include "diff.h"
#include "escape.h"
#include "formats.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *err)
{
	if (!*err)
		abort();	/* a rejection without a reason */
	for (const char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();	/* a raw control byte would reach the terminal */
}

/* A byte a terminal acts on: C0 but newline and tab, DEL, C1 as raw byte. */
static void check_terminal_text(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			abort();
	}
}

/* report.json with every string made "X" + itself: a diff of all the compared keys. */
static json_t *changed(const json_t *j)
{
	const char *k;
	json_t *v, *c;
	size_t i;

	if (json_is_string(j)) {
		char *s = NULL;

		if (asprintf(&s, "X%s", json_string_value(j)) < 0)
			return json_null();
		c = json_string(s);
		free(s);
		return c ? c : json_null();
	}
	if (json_is_array(j)) {
		c = json_array();
		json_array_foreach(j, i, v)
			json_array_append_new(c, changed(v));
		return c;
	}
	if (json_is_object(j)) {
		c = json_object();
		json_object_foreach((json_t *)j, k, v)
			json_object_set_new(c, k, changed(v));
		return c;
	}
	return json_copy((json_t *)j);
}

static void check_diff(const json_t *report)
{
	json_t *b = changed(report), *d = scx_diff_reports(report, b);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f && d) {
		scx_diff_render(f, d, "a\x1b[2J", "b");
		fclose(f);
		check_terminal_text(out, len);
	} else if (f) {
		fclose(f);
	}
	free(out);
	json_decref(d);
	json_decref(b);
}

/* What `show --member` writes to a terminal: escaped text, or nothing when binary. */
static int member_to_terminal(const char *rel, const char *data, size_t len, void *ud)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	(void)ud;
	(void)rel;
	if (scx_escape_is_binary(data, len))
		return 0;
	f = open_memstream(&out, &n);
	if (!f)
		return 0;
	scx_escape_write(f, data, len, true);
	fclose(f);
	check_terminal_text(out, n);
	free(out);
	return 0;
}

static void check_members(const void *zdata, size_t zlen)
{
	struct scx_bundle b;
	char path[64], err[512];
	int fd = memfd_create("fuzz-bundle", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, zdata, zlen) == (ssize_t)zlen) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (scx_bundle_read_each(path, member_to_terminal, NULL, &b, err, sizeof(err)) == 0)
			scx_bundle_free(&b);
	}
	close(fd);
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
		check_diff(b.report);
		scx_bundle_free(&b);
		check_members(in, in_len);
	} else {
		check_message(err);
	}
	free(z);
	return 0;
}
