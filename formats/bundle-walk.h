/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Readers that look at part of a bundle (hostile input, like
 * scx_bundle_read): the member list with each member's status against the
 * manifest (`show --list`), one verified member (`show --member`), and just
 * the manifest and report.json (`triage`, which stops reading there).
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

/*
 * Every member of the archive and every member the manifest lists:
 * [{path, size, manifest_size, sha256, status}] in archive order, then the
 * listed members the archive lacks.  status: "manifest" (manifest.json
 * itself), "ok", "size differs", "checksum differs", "not in manifest",
 * "duplicate", "missing".  Fails (-errno, err) only on what cannot be walked
 * safely: an unreadable archive, manifest.json not first or malformed, an
 * unsafe path, a link or special file, a member outside the top folder.
 */
int scx_bundle_list(const char *path, json_t **ret_list, char *err, size_t errlen);

/*
 * The member at rel (a path inside the top folder), only when its size and
 * sha256 match the manifest and the archive holds it once.  *ret_data is
 * NUL-terminated (not counted in *ret_len).
 */
int scx_bundle_member(const char *path, const char *rel, char **ret_data, size_t *ret_len,
		      char *err, size_t errlen);

/*
 * manifest.json and report.json (verified against the manifest, schema
 * checked), reading the archive only as far as report.json.
 */
int scx_bundle_head(const char *path, json_t **ret_manifest, json_t **ret_report, char *err,
		    size_t errlen);
