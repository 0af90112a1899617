// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tar + zstd writer (tar-write.h).  The header layout is POSIX.1-2001's
 * ustar (pax) format: name 100, mode 8, uid 8, gid 8, size 12, mtime 12,
 * chksum 8, typeflag 1, linkname 100, magic "ustar\0", version "00",
 * uname 32, gname 32, devmajor 8, devminor 8, prefix 155, in 512-byte
 * blocks; the data padded to a block; two zero blocks at the end.
 */
#include "tar-write.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define BLOCK 512

/* Compress len bytes (or end the frame) and hand what comes out to the sink. */
static int put(struct scx_tar *t, const void *data, size_t len, ZSTD_EndDirective how)
{
	char out[32768];
	ZSTD_inBuffer in = { data, len, 0 };
	size_t left;

	if (t->error)
		return t->error;
	do {
		ZSTD_outBuffer o = { out, sizeof(out), 0 };

		left = ZSTD_compressStream2(t->z, &o, &in, how);
		if (ZSTD_isError(left))
			return t->error = -EIO;
		if (o.pos) {
			int r = t->sink(t->arg, out, o.pos);

			if (r < 0)
				return t->error = r;
		}
	} while (how == ZSTD_e_end ? left != 0 : in.pos < in.size);
	return 0;
}

int scx_tar_open(struct scx_tar *t, int level, scx_tar_sink sink, void *arg)
{
	*t = (struct scx_tar){ .sink = sink, .arg = arg };
	t->z = ZSTD_createCCtx();
	if (!t->z)
		return -ENOMEM;
	/*
	 * No content checksum: the manifest holds every member's sha256, and a
	 * frame whose last byte is data lets a reader that stops at tar's end
	 * still see a stream cut short (it cannot decode the last block).
	 */
	if (ZSTD_isError(ZSTD_CCtx_setParameter(t->z, ZSTD_c_compressionLevel, level))) {
		scx_tar_free(t);
		return -EINVAL;
	}
	return 0;
}

/* value in octal, zero-padded to width-1 digits and a NUL: false when it does not fit. */
static bool octal(char *field, size_t width, uint64_t value)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%0*llo", (int)(width - 1), (unsigned long long)value);

	if (n < 0 || (size_t)n > width - 1)
		return false;
	memcpy(field, buf, width);	/* the digits and snprintf's NUL */
	return true;
}

/* Fill a header block; name and prefix as they go into their fields (already checked). */
static void header(char h[BLOCK], const char *prefix, const char *name, uint64_t size,
		   uint64_t mtime_s, char type)
{
	unsigned sum = 0;

	memset(h, 0, BLOCK);
	memcpy(h, name, strnlen(name, 100));
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 0);
	octal(h + 116, 8, 0);
	octal(h + 124, 12, size);
	octal(h + 136, 12, mtime_s);
	h[156] = type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	octal(h + 329, 8, 0);
	octal(h + 337, 8, 0);
	memcpy(h + 345, prefix, strnlen(prefix, 155));
	/* The checksum counts its own field as eight spaces. */
	memset(h + 148, ' ', 8);
	for (int i = 0; i < BLOCK; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

/* The data and its padding to a whole block. */
static int data(struct scx_tar *t, const void *buf, size_t len)
{
	static const char zero[BLOCK];
	int r = len ? put(t, buf, len, ZSTD_e_continue) : 0;

	if (r == 0 && len % BLOCK)
		r = put(t, zero, BLOCK - len % BLOCK, ZSTD_e_continue);
	return r;
}

/*
 * Split name into ustar's prefix (<= 155) and name (<= 100) at a '/':
 * false when no split fits (a pax header holds it then).  The bytes go in
 * as they are: ustar's fields are 8-bit clean, and a pax path must be
 * UTF-8, which a name made of a host's or a process's bytes need not be.
 */
static bool ustar_split(const char *name, size_t len, size_t *cut)
{
	if (len <= 100) {
		*cut = 0;
		return true;
	}
	for (size_t i = len - 1; i > 0; i--)
		if (name[i] == '/' && i <= 155 && len - i - 1 <= 100 && len - i - 1 > 0) {
			*cut = i;
			return true;
		}
	return false;
}

/* "LEN KEY=VALUE\n" at rec: its length counts its own digits. */
static size_t pax_record(char *rec, size_t room, const char *key, const char *value, size_t vlen)
{
	size_t digits = 1, total;

	for (;;) {
		char d[24];

		total = digits + 1 + strlen(key) + 1 + vlen + 1;
		if ((size_t)snprintf(d, sizeof(d), "%zu", total) == digits)
			break;
		digits++;
	}
	snprintf(rec, room, "%zu %s=%s\n", total, key, value);
	return total;
}

/*
 * A pax 'x' header naming the next member: its path, and hdrcharset=BINARY
 * first when the name is not plain ASCII (POSIX: the path is then not
 * UTF-8, and a reader takes the bytes as they are).
 */
static int pax_path(struct scx_tar *t, const char *name, size_t len, uint64_t mtime_s)
{
	char rec[PATH_MAX + 64], h[BLOCK], hname[100];
	size_t total = 0;

	for (const char *p = name; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			total = pax_record(rec, sizeof(rec), "hdrcharset", "BINARY", 6);
			break;
		}
	total += pax_record(rec + total, sizeof(rec) - total, "path", name, len);
	snprintf(hname, sizeof(hname), "PaxHeaders/%lu", ++t->pax);
	header(h, "", hname, total, mtime_s, 'x');
	if (put(t, h, BLOCK, ZSTD_e_continue) < 0)
		return t->error;
	return data(t, rec, total);
}

int scx_tar_add(struct scx_tar *t, const char *name, const void *buf, size_t len,
		uint64_t mtime_s)
{
	size_t nlen = strlen(name), cut = 0;
	char h[BLOCK], prefix[156] = "";
	const char *tail = name;

	if (t->error)
		return t->error;
	if (!nlen || nlen >= PATH_MAX)
		return -ENAMETOOLONG;
	if (len > 077777777777ull)	/* 11 octal digits; members are far smaller (bundle.h) */
		return -EFBIG;
	if (!ustar_split(name, nlen, &cut)) {
		int r = pax_path(t, name, nlen, mtime_s);

		if (r < 0)
			return r;
		/* The ustar name is only a fallback for readers without pax: cut it. */
	} else if (cut) {
		memcpy(prefix, name, cut);
		prefix[cut] = '\0';
		tail = name + cut + 1;
	}
	header(h, prefix, tail, len, mtime_s, '0');
	if (put(t, h, BLOCK, ZSTD_e_continue) < 0)
		return t->error;
	return data(t, buf, len);
}

int scx_tar_close(struct scx_tar *t)
{
	static const char zero[2 * BLOCK];

	if (put(t, zero, sizeof(zero), ZSTD_e_continue) < 0)
		return t->error;
	return put(t, NULL, 0, ZSTD_e_end);
}

void scx_tar_free(struct scx_tar *t)
{
	ZSTD_freeCCtx(t->z);
	t->z = NULL;
}
