// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading bundles (bundle.h), split from bundle.c.  The reader treats the
 * bundle as hostile: only regular files and folders under the one top
 * folder, no absolute or ".." paths, manifest.json first, every member
 * listed with the size and sha256 the manifest gives, bounded sizes
 * everywhere, and nothing is ever written to disk.
 */
#include "bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* A member path is safe when relative, without "." / ".." / empty parts. */
static bool path_is_safe(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/' || strlen(p) > 1024)
		return false;
	for (;;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 && e)
			return false;
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == '\\')
				return false;
		if (!e)
			return true;
		s = e + 1;
		if (!*s)
			return true;	/* trailing slash of a folder */
	}
}

static int read_member(struct archive *a, uint64_t size, char **ret, char *err, size_t errlen,
		       const char *name)
{
	_cleanup_free_ char *buf = malloc(size + 1);
	uint64_t got = 0;

	if (!buf)
		return errmsg(err, errlen, -ENOMEM, "%s: out of memory", name);
	while (got < size) {
		la_ssize_t n = archive_read_data(a, buf + got, size - got);

		if (n < 0)
			return errmsg(err, errlen, -EBADMSG, "%s: %s", name, archive_error_string(a));
		if (n == 0)
			return errmsg(err, errlen, -EBADMSG, "%s: member ends early (truncated bundle)",
				    name);
		got += (uint64_t)n;
	}
	buf[size] = '\0';
	*ret = TAKE_PTR(buf);
	return 0;
}

static const char *entry_kind(mode_t t)
{
	switch (t) {
	case AE_IFLNK: return "symbolic link";
	case AE_IFCHR: return "character device";
	case AE_IFBLK: return "block device";
	case AE_IFIFO: return "fifo";
	case AE_IFSOCK: return "socket";
	default: return "special file";
	}
}

static int check_manifest(json_t *man, char *err, size_t errlen)
{
	json_t *members = json_object_get(man, "members"), *m;
	size_t i;

	if (!json_is_object(man))
		return errmsg(err, errlen, -EBADMSG, "manifest.json: not a JSON object");
	if (!json_is_string(json_object_get(man, "schema")) ||
	    strcmp(json_string_value(json_object_get(man, "schema")), SCX_MANIFEST_SCHEMA) != 0)
		return errmsg(err, errlen, -EPROTONOSUPPORT,
			    "manifest.json: unknown schema (expected \"%s\")", SCX_MANIFEST_SCHEMA);
	if (!json_is_array(members) || json_array_size(members) > SCX_BUNDLE_MAX_MEMBERS)
		return errmsg(err, errlen, -EBADMSG, "manifest.json: \"members\" missing or too long");
	json_array_foreach(members, i, m) {
		json_t *p = json_object_get(m, "path"), *s = json_object_get(m, "size"),
		       *h = json_object_get(m, "sha256");

		if (!json_is_string(p) || !json_is_integer(s) || !json_is_string(h) ||
		    json_integer_value(s) < 0 ||
		    (uint64_t)json_integer_value(s) > SCX_BUNDLE_MAX_MEMBER ||
		    strlen(json_string_value(h)) != 64 || !path_is_safe(json_string_value(p)))
			return errmsg(err, errlen, -EBADMSG,
				    "manifest.json: member %zu is malformed", i);
	}
	return 0;
}

static json_t *find_member(json_t *man, const char *rel)
{
	json_t *members = json_object_get(man, "members"), *m;
	size_t i;

	json_array_foreach(members, i, m)
		if (!strcmp(json_string_value(json_object_get(m, "path")), rel))
			return m;
	return NULL;
}

/* The first member, <top>/manifest.json: parsed and checked into b. */
static int read_manifest(struct archive *a, const char *path, const char *name, mode_t type,
			 la_int64_t size, struct scx_bundle *b, char *err, size_t errlen)
{
	const char *slash = strchr(name, '/');
	char *data = NULL;
	json_error_t jerr;
	int r;

	if (!slash || strcmp(slash + 1, "manifest.json") != 0 || type != AE_IFREG)
		return errmsg(err, errlen, -EBADMSG,
			      "%s: first member is \"%s\", not <top>/manifest.json", path, name);
	b->top = strndup(name, (size_t)(slash - name));
	if (size < 0 || (uint64_t)size > SCX_BUNDLE_MAX_MANIFEST)
		return errmsg(err, errlen, -EFBIG, "%s: manifest.json is too large", path);
	r = read_member(a, (uint64_t)size, &data, err, errlen, "manifest.json");
	if (r < 0)
		return r;
	b->manifest = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
	free(data);
	if (!b->manifest)
		return errmsg(err, errlen, -EBADMSG, "manifest.json: malformed JSON at line %d: %s",
			      jerr.line, jerr.text);
	return check_manifest(b->manifest, err, errlen);
}

/* Another member: inside the top folder, listed once, of the listed size and sha256. */
static int read_listed(struct archive *a, const char *path, const char *name, mode_t type,
		       la_int64_t size, struct scx_bundle *b, json_t *seen, char *err,
		       size_t errlen)
{
	const char *rel;
	char *data = NULL, hex[65];
	json_t *m;
	int r;

	if (strncmp(name, b->top, strlen(b->top)) != 0 || name[strlen(b->top)] != '/')
		return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is outside the top folder %s/",
			      path, name, b->top);
	if (type == AE_IFDIR)
		return 0;
	rel = name + strlen(b->top) + 1;
	m = find_member(b->manifest, rel);
	if (!m)
		return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is not in the manifest", path,
			      rel);
	if (json_object_get(seen, rel))
		return errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" appears twice", path, rel);
	if (size < 0 || (uint64_t)size != (uint64_t)json_integer_value(json_object_get(m, "size")))
		return errmsg(err, errlen, -EBADMSG,
			      "%s: member \"%s\" is %lld bytes, the manifest says %lld", path, rel,
			      (long long)size, (long long)json_integer_value(json_object_get(m, "size")));
	b->total_size += (uint64_t)size;
	if (b->total_size > SCX_BUNDLE_MAX_TOTAL)
		return errmsg(err, errlen, -EFBIG, "%s: bundle contents exceed %llu MiB", path,
			      SCX_BUNDLE_MAX_TOTAL >> 20);
	r = read_member(a, (uint64_t)size, &data, err, errlen, rel);
	if (r < 0)
		return r;
	sha256_hex_buf(data, (size_t)size, hex);
	if (strcmp(hex, json_string_value(json_object_get(m, "sha256"))) != 0) {
		free(data);
		return errmsg(err, errlen, -EBADMSG, "%s: checksum mismatch for \"%s\"", path, rel);
	}
	json_object_set_new(seen, rel, json_true());
	b->n_members++;
	if (!strcmp(rel, "report.json")) {
		json_error_t jerr;

		b->report = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
		free(data);
		if (!b->report)
			return errmsg(err, errlen, -EBADMSG, "report.json: malformed JSON at line %d: %s",
				      jerr.line, jerr.text);
	} else if (!strcmp(rel, "summary.txt")) {
		b->summary = data;
	} else {
		free(data);
	}
	return 0;
}

/* After the last member: every listed member was there, and report.json is ours. */
static int check_complete(const char *path, const struct scx_bundle *b, const json_t *seen,
			  char *err, size_t errlen)
{
	const char *schema = json_string_value(json_object_get(b->report, "schema"));

	if (json_object_size(seen) != json_array_size(json_object_get(b->manifest, "members"))) {
		json_t *m = NULL;
		size_t i;

		json_array_foreach(json_object_get(b->manifest, "members"), i, m)
			if (!json_object_get(seen, json_string_value(json_object_get(m, "path"))))
				break;
		return errmsg(err, errlen, -EBADMSG,
			      "%s: member \"%s\" listed in the manifest is missing", path,
			      m ? json_string_value(json_object_get(m, "path")) : "?");
	}
	if (!b->report)
		return errmsg(err, errlen, -EBADMSG, "%s: no report.json in the bundle", path);
	if (!schema || strcmp(schema, SCX_REPORT_SCHEMA) != 0)
		return errmsg(err, errlen, -EPROTONOSUPPORT,
			      "report.json: unknown schema (expected \"%s\")", SCX_REPORT_SCHEMA);
	return 0;
}

int scx_bundle_read(const char *path, struct scx_bundle *ret, char *err, size_t errlen)
{
	struct scx_bundle b = { 0 };
	struct archive *a;
	struct archive_entry *e;
	json_t *seen = json_object();
	bool first = true;
	int r = 0, ar;

	a = archive_read_new();
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if ((!strcmp(path, "-") ? archive_read_open_fd(a, STDIN_FILENO, 65536)
				: archive_read_open_filename(a, path, 65536)) != ARCHIVE_OK) {
		r = errmsg(err, errlen, -EBADMSG, "%s: not a readable tar.zst bundle (%s)", path,
			 archive_error_string(a));
		goto out;
	}
	while ((ar = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		mode_t type = archive_entry_filetype(e);

		if (!name || !path_is_safe(name)) {
			r = errmsg(err, errlen, -EBADMSG, "%s: unsafe member path \"%s\"", path,
				 name ? name : "(none)");
			goto out;
		}
		if (archive_entry_hardlink(e) || archive_entry_symlink(e) ||
		    (type != AE_IFREG && type != AE_IFDIR)) {
			r = errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is a %s", path, name,
				 archive_entry_hardlink(e) ? "hard link" : entry_kind(type));
			goto out;
		}
		if (first)
			r = read_manifest(a, path, name, type, archive_entry_size(e), &b, err, errlen);
		else
			r = read_listed(a, path, name, type, archive_entry_size(e), &b, seen, err,
					errlen);
		if (r < 0)
			goto out;
		first = false;
	}
	if (ar != ARCHIVE_EOF)
		r = errmsg(err, errlen, -EBADMSG, "%s: corrupt or truncated bundle (%s)", path,
			   archive_error_string(a) ? archive_error_string(a) : "read error");
	else if (first)
		r = errmsg(err, errlen, -EBADMSG, "%s: empty bundle (no manifest.json)", path);
	else
		r = check_complete(path, &b, seen, err, errlen);
out:
	archive_read_free(a);
	json_decref(seen);
	if (r < 0) {
		scx_bundle_free(&b);
		return r;
	}
	*ret = b;
	return 0;
}

void scx_bundle_free(struct scx_bundle *b)
{
	free(b->top);
	json_decref(b->manifest);
	json_decref(b->report);
	free(b->summary);
	memset(b, 0, sizeof(*b));
}

/* ---- shared with the other readers (bundle-walk.c) ---------------------- */

bool scx_bundle_path_is_safe(const char *p)
{
	return path_is_safe(p);
}

int scx_manifest_check(json_t *manifest, char *err, size_t errlen)
{
	return check_manifest(manifest, err, errlen);
}
