/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundle's writer: a POSIX tar stream (ustar headers, a pax extended
 * header only for a name ustar cannot hold) of regular files, compressed
 * with libzstd as one frame.  What bundle.c
 * writes needs nothing more, so a collection does not load libarchive and
 * its library tree (xml2, ICU, libstdc++, crypto: 4.5 ms of start-up in
 * every run on the 2-core test machine, and those objects mapped into a
 * process running as root).  Bundles are read with libarchive
 * (bundle-source.c); tests/test-tar-write.c reads what this writes with
 * libarchive and with GNU tar.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

/* Where the compressed bytes go: 0, or -errno (the writer stops and returns it). */
typedef int (*scx_tar_sink)(void *arg, const void *buf, size_t len);

struct scx_tar {
	ZSTD_CCtx *z;
	scx_tar_sink sink;
	void *arg;
	int error;		/* first error, -errno; every later call returns it */
	unsigned long pax;	/* pax headers written, for their names */
};

/* zstd at this level (1: libarchive's 3 clears 768 KiB of tables for 3% of size). */
int scx_tar_open(struct scx_tar *t, int level, scx_tar_sink sink, void *arg);
/* A regular file, mode 0644, owner root:root: 0 or -errno (-ENAMETOOLONG past PATH_MAX). */
int scx_tar_add(struct scx_tar *t, const char *name, const void *data, size_t len,
		uint64_t mtime_s);
/* The two zero blocks and the end of the zstd frame: 0 or -errno. */
int scx_tar_close(struct scx_tar *t);
/* Free it (after close, or instead of it on an error path). */
void scx_tar_free(struct scx_tar *t);
