// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bundle bytes -> zstd -> libarchive (see bundle-source.h).  The reader's
 * memory is what it holds, not what a hostile frame header asks for:
 * ZSTD_d_windowLogMax refuses frames that need a larger window.
 */
#include "bundle-source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "util.h"

#define CHUNK (32u << 10)	/* two buffers: the source stays one small allocation */

struct scx_bundle_source {
	int fd;
	bool fd_borrowed;	/* standard input: not ours to close */
	const uint8_t *mem;
	size_t mem_len, mem_off;
	ZSTD_DCtx *dctx;
	ZSTD_inBuffer in;
	uint8_t inbuf[CHUNK];
	uint8_t outbuf[CHUNK];
	bool in_eof;
	size_t last;		/* ZSTD_decompressStream's last hint: 0 at a frame's end */
	uint64_t out_total, max_out;
};

struct scx_bundle_source *scx_bundle_source_new(const char *path, const void *data, size_t len,
						uint64_t max_out)
{
	struct scx_bundle_source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = -1;
	s->max_out = max_out;
	if (path && !strcmp(path, "-")) {
		s->fd = STDIN_FILENO;
		s->fd_borrowed = true;
	} else if (path) {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			int e = errno;

			free(s);
			errno = e;
			return NULL;
		}
	} else {
		s->mem = data;
		s->mem_len = len;
	}
	s->dctx = ZSTD_createDCtx();
	if (!s->dctx || ZSTD_isError(ZSTD_DCtx_setParameter(s->dctx, ZSTD_d_windowLogMax,
							     SCX_BUNDLE_ZSTD_WINDOW_LOG))) {
		scx_bundle_source_free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->in.src = s->inbuf;
	return s;
}

struct scx_bundle_source *scx_bundle_source_free(struct scx_bundle_source *s)
{
	if (!s)
		return NULL;
	if (s->fd >= 0 && !s->fd_borrowed)
		close(s->fd);
	ZSTD_freeDCtx(s->dctx);
	free(s);
	return NULL;
}

static int refill(struct scx_bundle_source *s)
{
	ssize_t n;

	if (s->mem) {
		n = (ssize_t)(s->mem_len - s->mem_off < CHUNK ? s->mem_len - s->mem_off : CHUNK);
		memcpy(s->inbuf, s->mem + s->mem_off, (size_t)n);
		s->mem_off += (size_t)n;
	} else {
		do
			n = read(s->fd, s->inbuf, CHUNK);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
	}
	s->in.size = (size_t)n;
	s->in.pos = 0;
	s->in_eof = n == 0;
	return 0;
}

static la_ssize_t on_read(struct archive *a, void *userdata, const void **ret_buf)
{
	struct scx_bundle_source *s = userdata;
	ZSTD_outBuffer out = { .dst = s->outbuf, .size = CHUNK };

	while (out.pos == 0) {
		if (s->in.pos == s->in.size) {
			int r = refill(s);

			if (r < 0) {
				archive_set_error(a, -r, "read: %s", strerror(-r));
				return -1;
			}
			if (s->in_eof) {
				if (s->last != 0) {
					archive_set_error(a, EBADMSG, "zstd: the compressed data ends early");
					return -1;
				}
				return 0;
			}
		}
		s->last = ZSTD_decompressStream(s->dctx, &out, &s->in);
		if (ZSTD_isError(s->last)) {
			if (ZSTD_getErrorCode(s->last) == ZSTD_error_frameParameter_windowTooLarge)
				archive_set_error(a, EFBIG, "zstd: the frame needs a window over %u MiB",
						  (1u << SCX_BUNDLE_ZSTD_WINDOW_LOG) >> 20);
			else
				archive_set_error(a, EBADMSG, "zstd: %s", ZSTD_getErrorName(s->last));
			return -1;
		}
	}
	s->out_total += out.pos;
	if (s->out_total > s->max_out) {
		archive_set_error(a, EFBIG, "the tar stream is over %llu MiB",
				  (unsigned long long)(s->max_out >> 20));
		return -1;
	}
	*ret_buf = s->outbuf;
	return (la_ssize_t)out.pos;
}

int scx_bundle_source_open(struct scx_bundle_source *s, struct archive *a, char *err, size_t errlen)
{
	uint8_t magic[4];
	size_t have;

	/* Not zstd at all: say so, rather than "unknown frame descriptor". */
	if (refill(s) < 0)
		return errmsg(err, errlen, -EIO, "cannot read it");
	have = s->in.size;
	memcpy(magic, s->inbuf, have < 4 ? have : 4);
	if (have < 4 || ((magic[0] != 0x28 || magic[1] != 0xb5 || magic[2] != 0x2f ||
			  magic[3] != 0xfd) && (magic[0] & 0xf0) != 0x50))
		return errmsg(err, errlen, -EBADMSG, "not a zstd-compressed tar (tar.zst) bundle");
	archive_read_support_format_tar(a);
	if (archive_read_open(a, s, NULL, on_read, NULL) != ARCHIVE_OK)
		return errmsg(err, errlen, -EBADMSG, "not a readable tar.zst bundle (%s)",
			      archive_error_string(a) ? archive_error_string(a) : "?");
	return 0;
}
