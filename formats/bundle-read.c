// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a bundle someone else made: hostile input is expected.
 *
 * Only regular files and folders under the one top folder, no absolute or
 * ".." paths, manifest.json first, every member listed in the manifest with
 * the size and sha256 it gives.  Everything is bounded: the zstd window and
 * the decompressed total (bundle-source.c), the number of archive headers
 * (folders too), each member's size, report.json, summary.txt and the
 * manifest, and the memory their JSON parse may take (json-bounded.c).
 * Members other than report.json and summary.txt are checksummed as they
 * stream by, never held whole, unless a caller asks for them.  Member
 * lookup goes through a hash.  Nothing is ever written to disk, and every
 * name or message that reaches an error is escaped (escape.c).
 */
#include "bundle.h"

#include <string.h>

#include "archive-load.h"
#include "bundle-source.h"
#include "digest.h"
#include "paths.h"
#include "escape.h"
#include "json-bounded.h"
#include "util.h"

struct reader {
	struct archive *a;
	const char *label;		/* the bundle's name in messages */
	struct scx_bundle b;
	json_t *index;			/* rel path -> position in members */
	bool *seen;
	size_t n_listed;
	scx_bundle_member_fn fn;
	void *userdata;
	char *err;
	size_t errlen;
};

#define ESC(s, buf) scx_escape_str((s), (buf), sizeof(buf))

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
			if ((unsigned char)s[i] < 0x20 || s[i] == '\\' || s[i] == 0x7f)
				return false;
		if (!e)
			return true;
		s = e + 1;
		if (!*s)
			return true;	/* trailing slash of a folder */
	}
}

static const char *archive_msg(struct archive *a, char *buf, size_t len)
{
	return scx_escape_str(archive_error_string(a) ? archive_error_string(a) : "read error", buf, len);
}

/* Read size bytes of the current member; *ret (when not NULL) gets them NUL-terminated. */
static int read_data(struct reader *rd, const char *rel, uint64_t size, char **ret, char hex[65])
{
	_cleanup_free_ char *buf = ret ? malloc(size + 1) : NULL;
	char chunk[65536], e1[256], e2[256];
	struct scx_sha256 sha;
	uint64_t got = 0;
	int r = 0;

	if (ret && !buf)
		return errmsg(rd->err, rd->errlen, -ENOMEM, "%s: out of memory", ESC(rel, e1));
	scx_sha256_init(&sha);
	while (got < size) {
		char *dst = buf ? buf + got : chunk;
		size_t want = buf ? size - got : (size - got < sizeof(chunk) ? size - got : sizeof(chunk));
		la_ssize_t n = archive_read_data(rd->a, dst, want);

		if (n < 0) {
			r = errmsg(rd->err, rd->errlen, -EBADMSG, "%s: %s: %s", rd->label, ESC(rel, e1),
				   archive_msg(rd->a, e2, sizeof(e2)));
			goto out;
		}
		if (n == 0) {
			r = errmsg(rd->err, rd->errlen, -EBADMSG,
				   "%s: member \"%s\" ends early (truncated bundle)", rd->label, ESC(rel, e1));
			goto out;
		}
		scx_sha256_update(&sha, dst, (size_t)n);
		got += (uint64_t)n;
	}
	scx_sha256_hex(&sha, hex);
	if (buf) {
		buf[size] = '\0';
		*ret = TAKE_PTR(buf);
	}
out:
	return r;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static int check_manifest(struct reader *rd)
{
	char e1[256];
	json_t *man = rd->b.manifest, *members = json_object_get(man, "members"), *m;
	size_t i;

	if (!json_is_object(man))
		return errmsg(rd->err, rd->errlen, -EBADMSG, "manifest.json: not a JSON object");
	if (!json_is_string(json_object_get(man, "schema")) ||
	    strcmp(json_string_value(json_object_get(man, "schema")), SCX_MANIFEST_SCHEMA) != 0)
		return errmsg(rd->err, rd->errlen, -EPROTONOSUPPORT,
			      "manifest.json: unknown schema (expected \"%s\")", SCX_MANIFEST_SCHEMA);
	if (!json_is_array(members) || json_array_size(members) > SCX_BUNDLE_MAX_MEMBERS)
		return errmsg(rd->err, rd->errlen, -EBADMSG,
			      "manifest.json: \"members\" missing or over %u entries", SCX_BUNDLE_MAX_MEMBERS);
	rd->index = json_object();
	rd->n_listed = json_array_size(members);
	rd->seen = calloc(rd->n_listed + 1, sizeof(bool));
	if (!rd->index || !rd->seen)
		return errmsg(rd->err, rd->errlen, -ENOMEM, "manifest.json: out of memory");
	json_array_foreach(members, i, m) {
		json_t *p = json_object_get(m, "path"), *s = json_object_get(m, "size"),
		       *h = json_object_get(m, "sha256");

		if (json_is_string(p) && (!path_is_safe(json_string_value(p)) ||
					  strlen(json_string_value(p)) != json_string_length(p)))
			return errmsg(rd->err, rd->errlen, -EBADMSG,
				      "manifest.json: member %zu has an unsafe path \"%s\"", i,
				      ESC(json_string_value(p), e1));
		if (!json_is_string(p) || !json_is_integer(s) || !json_is_string(h) ||
		    json_integer_value(s) < 0 ||
		    (uint64_t)json_integer_value(s) > SCX_BUNDLE_MAX_MEMBER ||
		    !is_hex64(json_string_value(h)) || !path_is_safe(json_string_value(p)) ||
		    strlen(json_string_value(p)) != json_string_length(p) ||
		    !strcmp(json_string_value(p), "manifest.json"))
			return errmsg(rd->err, rd->errlen, -EBADMSG,
				      "manifest.json: member %zu is malformed", i);
		if (json_object_get(rd->index, json_string_value(p)))
			return errmsg(rd->err, rd->errlen, -EBADMSG,
				      "manifest.json: member %zu is listed twice", i);
		json_object_set_new(rd->index, json_string_value(p), json_integer((json_int_t)i));
	}
	return 0;
}

static int parse_json(struct reader *rd, const char *what, const char *text, size_t len,
		      size_t budget, json_t **ret)
{
	json_error_t jerr;
	char e1[200];
	int r = scx_json_loadb_bounded(text, len, budget, ret, &jerr);

	if (r == -E2BIG)
		return errmsg(rd->err, rd->errlen, -EFBIG,
			      "%s: parsing it would take over %zu MiB (too many values)", what,
			      budget >> 20);
	if (r < 0)
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: malformed JSON at line %d: %s", what,
			      jerr.line, ESC(jerr.text, e1));
	return 0;
}

static int read_manifest(struct reader *rd, const char *name, la_int64_t size)
{
	_cleanup_free_ char *data = NULL;
	const char *slash = strchr(name, '/');
	char hex[65], e1[256];
	int r;

	if (!slash || strcmp(slash + 1, "manifest.json") != 0)
		return errmsg(rd->err, rd->errlen, -EBADMSG,
			      "%s: first member is \"%s\", not <top>/manifest.json", rd->label,
			      ESC(name, e1));
	rd->b.top = strndup(name, (size_t)(slash - name));
	if (!rd->b.top)
		return -ENOMEM;
	if (size < 0 || (uint64_t)size > SCX_BUNDLE_MAX_MANIFEST)
		return errmsg(rd->err, rd->errlen, -EFBIG, "%s: manifest.json is over %u KiB",
			      rd->label, SCX_BUNDLE_MAX_MANIFEST >> 10);
	r = read_data(rd, "manifest.json", (uint64_t)size, &data, hex);
	if (r < 0)
		return r;
	r = parse_json(rd, "manifest.json", data, (size_t)size, SCX_BUNDLE_MANIFEST_BUDGET,
		       &rd->b.manifest);
	return r < 0 ? r : check_manifest(rd);
}

/* One listed member: size and checksum against the manifest; keep what the caller needs. */
static int read_listed(struct reader *rd, const char *rel, la_int64_t size)
{
	json_t *pos = json_object_get(rd->index, rel), *m;
	bool is_report = !strcmp(rel, "report.json"), is_summary = !strcmp(rel, "summary.txt");
	_cleanup_free_ char *data = NULL;
	char hex[65], e1[256];
	uint64_t want;
	size_t i;
	int r;

	if (!pos)
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: member \"%s\" is not in the manifest",
			      rd->label, ESC(rel, e1));
	i = (size_t)json_integer_value(pos);
	if (rd->seen[i])
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: member \"%s\" appears twice",
			      rd->label, ESC(rel, e1));
	m = json_array_get(json_object_get(rd->b.manifest, "members"), i);
	want = (uint64_t)json_integer_value(json_object_get(m, "size"));
	if (size < 0 || (uint64_t)size != want)
		return errmsg(rd->err, rd->errlen, -EBADMSG,
			      "%s: member \"%s\" is %lld bytes, the manifest says %llu", rd->label,
			      ESC(rel, e1), (long long)size, (unsigned long long)want);
	if ((is_report && want > SCX_BUNDLE_MAX_REPORT) || (is_summary && want > SCX_BUNDLE_MAX_SUMMARY))
		return errmsg(rd->err, rd->errlen, -EFBIG, "%s: %s is %llu KiB, over the %u KiB limit",
			      rd->label, rel, (unsigned long long)want >> 10,
			      (is_report ? SCX_BUNDLE_MAX_REPORT : SCX_BUNDLE_MAX_SUMMARY) >> 10);
	rd->b.total_size += want;
	if (rd->b.total_size > SCX_BUNDLE_MAX_TOTAL)
		return errmsg(rd->err, rd->errlen, -EFBIG, "%s: bundle contents exceed %llu MiB",
			      rd->label, SCX_BUNDLE_MAX_TOTAL >> 20);
	r = read_data(rd, rel, want, (is_report || is_summary || rd->fn) ? &data : NULL, hex);
	if (r < 0)
		return r;
	if (strcmp(hex, json_string_value(json_object_get(m, "sha256"))) != 0)
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: checksum mismatch for \"%s\"",
			      rd->label, ESC(rel, e1));
	rd->seen[i] = true;
	rd->b.n_members++;
	if (rd->fn && (r = rd->fn(rel, data, want, rd->userdata)) < 0)
		return errmsg(rd->err, rd->errlen, r, "%s: %s: %s", rd->label, ESC(rel, e1), strerror(-r));
	if (is_report)
		return parse_json(rd, "report.json", data, want, SCX_BUNDLE_JSON_BUDGET, &rd->b.report);
	if (is_summary) {
		rd->b.summary_len = want;
		rd->b.summary = TAKE_PTR(data);
	}
	return 0;
}

static int read_entry(struct reader *rd, struct archive_entry *e, bool first)
{
	const char *name = archive_entry_pathname_utf8(e) ?: archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);
	size_t tl;
	char e1[256];

	if (!name || !path_is_safe(name))
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: unsafe member path \"%s\"", rd->label,
			      name ? ESC(name, e1) : "(none)");
	if (archive_entry_hardlink(e) || archive_entry_symlink(e) ||
	    (type != AE_IFREG && type != AE_IFDIR))
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: member \"%s\" is a %s", rd->label,
			      ESC(name, e1), archive_entry_hardlink(e) ? "hard link" :
			      archive_entry_symlink(e) || type == AE_IFLNK ? "symbolic link" :
			      type == AE_IFCHR ? "character device" : type == AE_IFBLK ? "block device" :
			      type == AE_IFIFO ? "fifo" : type == AE_IFSOCK ? "socket" : "special file");
	if (first) {
		if (type != AE_IFREG)
			return errmsg(rd->err, rd->errlen, -EBADMSG,
				      "%s: first member is \"%s\", not <top>/manifest.json", rd->label,
				      ESC(name, e1));
		return read_manifest(rd, name, archive_entry_size(e));
	}
	tl = strlen(rd->b.top);
	if (strncmp(name, rd->b.top, tl) != 0 || name[tl] != '/')
		return errmsg(rd->err, rd->errlen, -EBADMSG,
			      "%s: member \"%s\" is outside the top folder", rd->label, ESC(name, e1));
	if (type == AE_IFDIR)
		return 0;
	return read_listed(rd, name + tl + 1, archive_entry_size(e));
}

static int finish(struct reader *rd)
{
	json_t *members = json_object_get(rd->b.manifest, "members");
	char e1[256];

	for (size_t i = 0; i < rd->n_listed; i++)
		if (!rd->seen[i])
			return errmsg(rd->err, rd->errlen, -EBADMSG,
				      "%s: member \"%s\" listed in the manifest is missing", rd->label,
				      ESC(json_string_value(json_object_get(json_array_get(members, i), "path")), e1));
	if (!rd->b.report)
		return errmsg(rd->err, rd->errlen, -EBADMSG, "%s: no report.json in the bundle", rd->label);
	if (!json_is_object(rd->b.report) || !json_is_string(json_object_get(rd->b.report, "schema")) ||
	    strcmp(json_string_value(json_object_get(rd->b.report, "schema")), SCX_REPORT_SCHEMA) != 0)
		return errmsg(rd->err, rd->errlen, -EPROTONOSUPPORT,
			      "report.json: unknown schema (expected \"%s\")", SCX_REPORT_SCHEMA);
	return 0;
}

static int read_source(struct scx_bundle_source *src, const char *label, scx_bundle_member_fn fn,
		       void *userdata, struct scx_bundle *ret, char *err, size_t errlen)
{
	struct reader rd = { .label = label, .fn = fn, .userdata = userdata, .err = err, .errlen = errlen };
	struct archive_entry *e;
	unsigned headers = 0;
	char e1[256];
	int r, ar;

	r = scx_archive_reader(&rd.a, e1, sizeof(e1));
	if (r < 0)
		return errmsg(err, errlen, r, "%s", e1);
	r = scx_bundle_source_open(src, rd.a, e1, sizeof(e1));
	if (r < 0) {
		r = errmsg(err, errlen, r, "%s: %s", label, e1);
		goto out;
	}
	/* WARN: a pax name this locale cannot show; the UTF-8 name is used. */
	while ((ar = archive_read_next_header(rd.a, &e)) == ARCHIVE_OK || ar == ARCHIVE_WARN) {
		if (++headers > SCX_BUNDLE_MAX_HEADERS) {
			r = errmsg(err, errlen, -EFBIG, "%s: more than %u archive entries (files and folders)",
				   label, SCX_BUNDLE_MAX_HEADERS);
			goto out;
		}
		r = read_entry(&rd, e, headers == 1);
		if (r < 0)
			goto out;
	}
	if (ar != ARCHIVE_EOF) {
		r = errmsg(err, errlen, -EBADMSG, "%s: corrupt or truncated bundle (%s)", label,
			   archive_msg(rd.a, e1, sizeof(e1)));
		goto out;
	}
	r = headers == 0 ? errmsg(err, errlen, -EBADMSG, "%s: empty bundle (no manifest.json)", label)
			 : finish(&rd);
out:
	archive_read_free(rd.a);
	json_decref(rd.index);
	free(rd.seen);
	if (r < 0) {
		scx_bundle_free(&rd.b);
		return r;
	}
	*ret = rd.b;
	return 0;
}

/* The tar stream may hold the members, their headers and padding: no more. */
#define MAX_TAR_STREAM (SCX_BUNDLE_MAX_TOTAL + SCX_BUNDLE_MAX_MANIFEST + \
			(uint64_t)SCX_BUNDLE_MAX_HEADERS * 4096)

int scx_bundle_read_each(const char *path, scx_bundle_member_fn fn, void *userdata,
			 struct scx_bundle *ret, char *err, size_t errlen)
{
	struct scx_bundle_source *src;
	char e1[256], why[64];
	int r;

	/* A folder, a missing file, a socket: say which, naming the path (paths.h). */
	if (strcmp(path, "-") && (r = scx_path_check(path, SCX_PATH_FILE, why, sizeof(why))) < 0)
		return errmsg(err, errlen, r, "%s: %s", ESC(path, e1), scx_path_words(r, SCX_PATH_FILE));
	src = scx_bundle_source_new(path, NULL, 0, MAX_TAR_STREAM);
	if (!src)
		return errmsg(err, errlen, -errno, "%s: %s", ESC(path, e1),
			      scx_path_words(errno, SCX_PATH_FILE));
	r = read_source(src, ESC(path, e1), fn, userdata, ret, err, errlen);
	scx_bundle_source_free(src);
	return r;
}

int scx_bundle_read(const char *path, struct scx_bundle *ret, char *err, size_t errlen)
{
	return scx_bundle_read_each(path, NULL, NULL, ret, err, errlen);
}

int scx_bundle_read_mem(const void *data, size_t len, struct scx_bundle *ret, char *err,
			size_t errlen)
{
	struct scx_bundle_source *src = scx_bundle_source_new(NULL, data, len, MAX_TAR_STREAM);
	int r;

	if (!src)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	r = read_source(src, "(memory)", NULL, NULL, ret, err, errlen);
	scx_bundle_source_free(src);
	return r;
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
	struct reader rd = { .b.manifest = manifest, .err = err, .errlen = errlen };
	int r = check_manifest(&rd);

	json_decref(rd.index);
	free(rd.seen);
	return r;
}
