/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundle: a tar.zst with one top folder.  manifest.json is its first
 * member and lists every other member with its size and sha256.
 */
#pragma once

#include <errno.h>
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
/* Every archive header counts, folders too. */
#define SCX_BUNDLE_MAX_HEADERS (SCX_BUNDLE_MAX_MEMBERS + 4576u)
/*
 * Measured (a 7.2.13 VM, scx_fifo, paired run of 5 rounds per side): report.json
 * 27 KiB, summary.txt 4.5 KiB, manifest.json 6.6 KiB for 35 members.  100 rounds
 * per side with --calibrate stay under 1 MiB of report.
 */
#define SCX_BUNDLE_MAX_REPORT (2u << 20)
#define SCX_BUNDLE_MAX_SUMMARY (256u << 10)
/*
 * Memory jansson may take to parse report.json, and manifest.json (20000
 * members take 21 MiB), counting malloc's overhead.
 */
#define SCX_BUNDLE_JSON_BUDGET (16u << 20)
#define SCX_BUNDLE_MANIFEST_BUDGET (24u << 20)

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
 * force false an existing path is never replaced (-EEXIST).  Returns
 * SCX_BUNDLE_NO_SIDECAR when the bundle is in place but path.sha256 could
 * not be written.
 */
#define SCX_BUNDLE_NO_SIDECAR 1
/* Refusals: -EEXIST (exists, !force), -EPERM (not a regular file): scx_out_strerror() says which. */
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
	char *summary;		/* summary.txt, NUL-terminated (may hold NULs: see summary_len) */
	size_t summary_len;
	size_t n_members;
	uint64_t total_size;
};

/*
 * Read and verify a bundle ("-": standard input): hostile input is expected.  On failure returns
 * -errno and writes a one-line description of what was wrong into err.
 */
int scx_bundle_read(const char *path, struct scx_bundle *ret, char *err, size_t errlen);
/*
 * What to say before a reader's err: "invalid bundle: ", or nothing when
 * it was scx-report that could not read (-ELIBACC: libarchive is missing),
 * which is no fault of the bundle.
 */
static inline const char *scx_bundle_err_prefix(int r)
{
	return r == -ELIBACC ? "" : "invalid bundle: ";
}
/* The same from a buffer (the fuzz target). */
int scx_bundle_read_mem(const void *data, size_t len, struct scx_bundle *ret, char *err,
			size_t errlen);
/*
 * The same, handing every verified member but manifest.json to fn (data
 * NUL-terminated, len without the NUL) as it is read.  fn's -errno stops
 * the read.
 */
typedef int (*scx_bundle_member_fn)(const char *rel, const char *data, size_t len, void *userdata);
int scx_bundle_read_each(const char *path, scx_bundle_member_fn fn, void *userdata,
			 struct scx_bundle *ret, char *err, size_t errlen);
void scx_bundle_free(struct scx_bundle *b);

/* A member path a reader accepts: relative, no "." / ".." / empty parts, no control bytes. */
bool scx_bundle_path_is_safe(const char *path);
/* The manifest's schema and members list, each member's path, size and sha256 well-formed. */
int scx_manifest_check(json_t *manifest, char *err, size_t errlen);
