/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundle: a tar.zst with one top folder.  manifest.json is its first
 * member and lists every other member with its size and sha256.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCX_MANIFEST_SCHEMA "scx-report-manifest/1"
#define SCX_REPORT_SCHEMA "scx-report/1"

/* Limits a reader enforces on a bundle it did not write. */
#define SCX_BUNDLE_MAX_MEMBERS 20000u
#define SCX_BUNDLE_MAX_MEMBER (64ull << 20)
#define SCX_BUNDLE_MAX_TOTAL (256ull << 20)
#define SCX_BUNDLE_MAX_MANIFEST (4u << 20)

/*
 * Build the "members" list of a manifest from a staged tree: every regular
 * file below top_dir except manifest.json, sorted by path, with size and
 * sha256.
 */
int scx_manifest_members(const char *top_dir, json_t **ret_members);

/*
 * Pack top_dir (whose last component becomes the top folder) into a tar.zst
 * at path: written to a temporary file in the same directory, fsynced and
 * renamed over path only when complete; then path.sha256 beside it.  With
 * force false an existing path is never replaced (-EEXIST).
 */
int scx_bundle_write(const char *top_dir, const char *path, bool force, uint64_t mtime_s);

/*
 * Pack top_dir as a tar.zst onto fd (standard output: a pipe or a file the
 * shell opened).  A stream cannot be taken back: on failure the bytes already
 * written stay, and a reader refuses them (members the manifest lists are
 * missing or cut).  On success ret_sha256 and ret_bytes describe the stream.
 */
int scx_bundle_stream(const char *top_dir, int fd, uint64_t mtime_s, char ret_sha256[65],
		      uint64_t *ret_bytes);

/* A bundle read back and verified against its manifest. */
struct scx_bundle {
	char *top;		/* top folder name */
	json_t *manifest;
	json_t *report;		/* report.json, schema checked */
	char *summary;		/* summary.txt, NUL-terminated */
	size_t n_members;
	uint64_t total_size;
};

/*
 * Read and verify a bundle ("-": standard input): hostile input is expected.  On failure returns
 * -errno and writes a one-line description of what was wrong into err.
 */
int scx_bundle_read(const char *path, struct scx_bundle *ret, char *err, size_t errlen);
void scx_bundle_free(struct scx_bundle *b);

/* A member path a reader accepts: relative, no "." / ".." / empty parts, no control bytes. */
bool scx_bundle_path_is_safe(const char *path);
/* The manifest's schema and members list, each member's path, size and sha256 well-formed. */
int scx_manifest_check(json_t *manifest, char *err, size_t errlen);
