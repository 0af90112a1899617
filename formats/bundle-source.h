/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bytes of a bundle for libarchive's tar reader: a file or a buffer,
 * zstd-decompressed here with a bounded window (libzstd's default lets a
 * frame ask for 128 MiB and more), and a bound on the decompressed total.
 */
#pragma once

#include "archive-load.h"
#include <stddef.h>
#include <stdint.h>

/* zstd window: 2^24 = 16 MiB; what `zstd` writes up to level 19 fits. */
#define SCX_BUNDLE_ZSTD_WINDOW_LOG 24

struct scx_bundle_source;

/* Exactly one of path ("-": standard input) or (data, len). */
struct scx_bundle_source *scx_bundle_source_new(const char *path, const void *data, size_t len,
						uint64_t max_out);
struct scx_bundle_source *scx_bundle_source_free(struct scx_bundle_source *s);

/* Open a (tar-only) archive reader on the source; -errno and a reason on failure. */
int scx_bundle_source_open(struct scx_bundle_source *s, struct archive *a, char *err, size_t errlen);
