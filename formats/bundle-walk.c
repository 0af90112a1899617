// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One pass over a bundle's tar stream, manifest first, for the readers that
 * need only part of it (see bundle-walk.h).  The same rules as
 * scx_bundle_read: only regular files and folders under one top folder,
 * safe relative paths, bounded sizes, nothing written to disk.
 */
#include "bundle-walk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "archive-load.h"
#include "bundle-source.h"
#include "digest.h"
#include "paths.h"
#include "util.h"

/* The tar stream may hold the members, their headers and padding: no more (as bundle-read.c). */
#define WALK_MAX_TAR_STREAM (SCX_BUNDLE_MAX_TOTAL + SCX_BUNDLE_MAX_MANIFEST + \
			     (uint64_t)SCX_BUNDLE_MAX_HEADERS * 4096)

struct walk {
	const char *path;
	struct archive *a;
	struct scx_bundle_source *src;	/* the same zstd reader as show's, so the same messages */
	json_t *manifest;
	char *top;
	size_t top_len;
	char *manifest_raw;	/* manifest.json's bytes */
	size_t manifest_len;
};

static void walk_close(struct walk *w)
{
	if (w->a)
		archive_read_free(w->a);
	scx_bundle_source_free(w->src);
	json_decref(w->manifest);
	free(w->top);
	free(w->manifest_raw);
	memset(w, 0, sizeof(*w));
}

static int read_data(struct walk *w, uint64_t size, char **ret, char *err, size_t errlen,
		     const char *name)
{
	_cleanup_free_ char *buf = malloc(size + 1);
	uint64_t got = 0;

	if (!buf)
		return errmsg(err, errlen, -ENOMEM, "%s: out of memory", name);
	while (got < size) {
		la_ssize_t n = archive_read_data(w->a, buf + got, size - got);

		if (n <= 0)
			return errmsg(err, errlen, -EBADMSG, "%s: %s: member ends early (%s)", w->path,
				      name, n < 0 ? archive_error_string(w->a) : "truncated bundle");
		got += (uint64_t)n;
	}
	buf[size] = '\0';
	*ret = TAKE_PTR(buf);
	return 0;
}

/* Open the archive and read its first member, which must be a valid manifest.json. */
static int walk_open(struct walk *w, const char *path, char *err, size_t errlen)
{
	struct archive_entry *e;
	const char *name, *slash;
	_cleanup_free_ char *data = NULL;
	json_error_t jerr;
	la_int64_t size;
	char why[256];
	int r;

	memset(w, 0, sizeof(*w));
	w->path = path;
	/* A folder, a missing file: say which (paths.h); "-" is standard input, as for show. */
	if (strcmp(path, "-") && (r = scx_path_check(path, SCX_PATH_FILE, why, sizeof(why))) < 0)
		return errmsg(err, errlen, r, "%s: %s", path, scx_path_words(r, SCX_PATH_FILE));
	w->src = scx_bundle_source_new(path, NULL, 0, WALK_MAX_TAR_STREAM);
	if (!w->src)
		return errmsg(err, errlen, -errno, "%s: %s", path, scx_path_words(errno, SCX_PATH_FILE));
	r = scx_archive_reader(&w->a, why, sizeof(why));
	if (r < 0)
		return errmsg(err, errlen, r, "%s", why);
	r = scx_bundle_source_open(w->src, w->a, why, sizeof(why));
	if (r < 0)
		return errmsg(err, errlen, r, "%s: %s", path, why);
	r = archive_read_next_header(w->a, &e);
	if (r == ARCHIVE_EOF)
		return errmsg(err, errlen, -EBADMSG, "%s: empty bundle (no manifest.json)", path);
	if (r != ARCHIVE_OK)
		return errmsg(err, errlen, -EBADMSG, "%s: corrupt bundle (%s)", path,
			      archive_error_string(w->a));
	name = archive_entry_pathname(e);
	slash = name ? strchr(name, '/') : NULL;
	if (!name || !scx_bundle_path_is_safe(name) || !slash || strcmp(slash + 1, "manifest.json") ||
	    archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
		return errmsg(err, errlen, -EBADMSG, "%s: first member is \"%s\", not <top>/manifest.json",
			      path, name ? name : "(none)");
	size = archive_entry_size(e);
	if (size < 0 || (uint64_t)size > SCX_BUNDLE_MAX_MANIFEST)
		return errmsg(err, errlen, -EFBIG, "%s: manifest.json is too large", path);
	w->top_len = (size_t)(slash - name);
	w->top = strndup(name, w->top_len);
	if (!w->top)
		return -ENOMEM;
	r = read_data(w, (uint64_t)size, &data, err, errlen, "manifest.json");
	if (r < 0)
		return r;
	w->manifest = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
	if (!w->manifest)
		return errmsg(err, errlen, -EBADMSG, "%s: manifest.json: malformed JSON at line %d: %s",
			      path, jerr.line, jerr.text);
	w->manifest_len = (size_t)size;
	w->manifest_raw = TAKE_PTR(data);
	return scx_manifest_check(w->manifest, err, errlen);
}

/* The next regular member: 1 with *ret_rel and *ret_size, 0 at the end, -errno on trouble. */
static int walk_next(struct walk *w, const char **ret_rel, uint64_t *ret_size, char *err,
		     size_t errlen)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(w->a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		mode_t type = archive_entry_filetype(e);
		la_int64_t size = archive_entry_size(e);

		if (!name || !scx_bundle_path_is_safe(name))
			return errmsg(err, errlen, -EBADMSG, "%s: unsafe member path \"%s\"", w->path,
				      name ? name : "(none)");
		if (archive_entry_hardlink(e) || archive_entry_symlink(e) ||
		    (type != AE_IFREG && type != AE_IFDIR))
			return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is a link or special file",
				      w->path, name);
		if (strncmp(name, w->top, w->top_len) != 0 || name[w->top_len] != '/')
			return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is outside the top folder %s/",
				      w->path, name, w->top);
		if (type == AE_IFDIR)
			continue;
		if (size < 0 || (uint64_t)size > SCX_BUNDLE_MAX_MEMBER)
			return errmsg(err, errlen, -EFBIG, "%s: member \"%s\" is too large", w->path, name);
		*ret_rel = name + w->top_len + 1;
		*ret_size = (uint64_t)size;
		return 1;
	}
	if (r != ARCHIVE_EOF)
		return errmsg(err, errlen, -EBADMSG, "%s: corrupt or truncated bundle (%s)", w->path,
			      archive_error_string(w->a) ? archive_error_string(w->a) : "read error");
	return 0;
}

static json_t *manifest_entry(const struct walk *w, const char *rel)
{
	json_t *m;
	size_t i;

	json_array_foreach(json_object_get(w->manifest, "members"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "path")), rel))
			return m;
	return NULL;
}

/* Hash the current member's data as it streams by. */
static int hash_data(struct walk *w, uint64_t size, char hex[65], char *err, size_t errlen,
		     const char *rel)
{
	unsigned char buf[65536];
	struct scx_sha256 sha;
	uint64_t got = 0;
	int r = 0;

	scx_sha256_init(&sha);
	while (got < size) {
		la_ssize_t n = archive_read_data(w->a, buf, sizeof(buf));

		if (n <= 0) {
			r = errmsg(err, errlen, -EBADMSG, "%s: %s: member ends early", w->path, rel);
			break;
		}
		scx_sha256_update(&sha, buf, (size_t)n);
		got += (uint64_t)n;
	}
	scx_sha256_hex(&sha, hex);
	return r;
}

static json_t *list_row(const char *rel, uint64_t size, const json_t *m, const char *status)
{
	return json_pack("{s:s, s:I, s:O, s:O, s:s}", "path", rel, "size", (json_int_t)size,
			 "manifest_size", m ? json_object_get(m, "size") : json_null(),
			 "sha256", m ? json_object_get(m, "sha256") : json_null(), "status", status);
}

int scx_bundle_list(const char *path, json_t **ret_list, char *err, size_t errlen)
{
	struct walk w;
	json_t *list = json_array(), *seen = json_object(), *m;
	const char *rel;
	uint64_t size;
	size_t i;
	int r;

	r = walk_open(&w, path, err, errlen);
	if (r < 0)
		goto out;
	json_array_append_new(list, json_pack("{s:s, s:I, s:n, s:n, s:s}", "path", "manifest.json",
					      "size", (json_int_t)w.manifest_len, "manifest_size",
					      "sha256", "status", "manifest"));
	while ((r = walk_next(&w, &rel, &size, err, errlen)) > 0) {
		char hex[65];
		const char *status;

		if (json_array_size(list) > SCX_BUNDLE_MAX_MEMBERS + 1) {
			r = errmsg(err, errlen, -EFBIG, "%s: too many members", path);
			goto out;
		}
		m = manifest_entry(&w, rel);
		r = hash_data(&w, size, hex, err, errlen, rel);
		if (r < 0)
			goto out;
		if (!m)
			status = "not in manifest";
		else if (json_object_get(seen, rel))
			status = "duplicate";
		else if ((uint64_t)json_integer_value(json_object_get(m, "size")) != size)
			status = "size differs";
		else if (strcmp(hex, json_string_value(json_object_get(m, "sha256"))))
			status = "checksum differs";
		else
			status = "ok";
		json_object_set_new(seen, rel, json_true());
		json_array_append_new(list, list_row(rel, size, m, status));
	}
	if (r < 0)
		goto out;
	json_array_foreach(json_object_get(w.manifest, "members"), i, m) {
		const char *p = json_string_value(json_object_get(m, "path"));

		if (!json_object_get(seen, p)) {
			json_t *row = list_row(p, 0, m, "missing");

			json_object_set_new(row, "size", json_null());
			json_array_append_new(list, row);
		}
	}
	*ret_list = list;
	list = NULL;
	r = 0;
out:
	walk_close(&w);
	json_decref(list);
	json_decref(seen);
	return r;
}

/* Read the current member (size bytes) and check it against its manifest entry. */
static int read_verified(struct walk *w, const char *rel, uint64_t size, char **ret, char *err,
			 size_t errlen)
{
	const json_t *m = manifest_entry(w, rel);
	_cleanup_free_ char *data = NULL;
	char hex[65];
	int r;

	if (!m)
		return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is not in the manifest", w->path,
			      rel);
	if ((uint64_t)json_integer_value(json_object_get(m, "size")) != size)
		return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is %llu bytes, the manifest says %lld",
			      w->path, rel, (unsigned long long)size,
			      (long long)json_integer_value(json_object_get(m, "size")));
	r = read_data(w, size, &data, err, errlen, rel);
	if (r < 0)
		return r;
	sha256_hex_buf(data, (size_t)size, hex);
	if (strcmp(hex, json_string_value(json_object_get(m, "sha256"))))
		return errmsg(err, errlen, -EBADMSG, "%s: checksum mismatch for \"%s\"", w->path, rel);
	*ret = TAKE_PTR(data);
	return 0;
}

int scx_bundle_member(const char *path, const char *want, char **ret_data, size_t *ret_len,
		      char *err, size_t errlen)
{
	struct walk w;
	_cleanup_free_ char *data = NULL;
	const char *rel;
	uint64_t size, found_size = 0;
	int r;

	r = walk_open(&w, path, err, errlen);
	if (r < 0)
		goto out;
	if (!strcmp(want, "manifest.json")) {
		/* The manifest is not listed in itself: it is what every other member is checked by. */
		data = TAKE_PTR(w.manifest_raw);
		found_size = w.manifest_len;
	}
	/* Walk to the end: a member the archive holds twice is refused, not picked. */
	while ((r = walk_next(&w, &rel, &size, err, errlen)) > 0) {
		if (strcmp(rel, want) != 0)
			continue;
		if (data) {
			r = errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" appears twice", path, want);
			goto out;
		}
		r = read_verified(&w, rel, size, &data, err, errlen);
		if (r < 0)
			goto out;
		found_size = size;
	}
	if (r < 0)
		goto out;
	if (!data) {
		r = errmsg(err, errlen, -ENOENT, "%s: no member \"%s\" (see show --list)", path, want);
		goto out;
	}
	*ret_data = TAKE_PTR(data);
	*ret_len = (size_t)found_size;
out:
	walk_close(&w);
	return r < 0 ? r : 0;
}

int scx_bundle_head(const char *path, json_t **ret_manifest, json_t **ret_report, char *err,
		    size_t errlen)
{
	struct walk w;
	const char *rel;
	uint64_t size;
	int r;

	r = walk_open(&w, path, err, errlen);
	if (r < 0)
		goto out;
	while ((r = walk_next(&w, &rel, &size, err, errlen)) > 0) {
		_cleanup_free_ char *data = NULL;
		json_error_t jerr;
		json_t *rep;

		if (strcmp(rel, "report.json") != 0)
			continue;	/* libarchive skips the data on the next header */
		r = read_verified(&w, rel, size, &data, err, errlen);
		if (r < 0)
			goto out;
		rep = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
		if (!rep) {
			r = errmsg(err, errlen, -EBADMSG, "%s: report.json: malformed JSON at line %d: %s",
				   path, jerr.line, jerr.text);
			goto out;
		}
		if (!json_is_string(json_object_get(rep, "schema")) ||
		    strcmp(json_string_value(json_object_get(rep, "schema")), SCX_REPORT_SCHEMA)) {
			json_decref(rep);
			r = errmsg(err, errlen, -EPROTONOSUPPORT,
				   "%s: report.json: unknown schema (expected \"%s\")", path,
				   SCX_REPORT_SCHEMA);
			goto out;
		}
		*ret_manifest = json_incref(w.manifest);
		*ret_report = rep;
		r = 0;
		goto out;
	}
	if (r == 0)
		r = errmsg(err, errlen, -EBADMSG, "%s: no report.json in the bundle", path);
out:
	walk_close(&w);
	return r;
}
