// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing and reading bundles with libarchive (pax tar + zstd).
 *
 * The writer never leaves a half bundle under the final name: it writes
 * ".<name>.XXXXXX" in the target directory, fsyncs it, and renames it into
 * place (link(2)-free rename; without --force an existing file is refused
 * both before and at the rename, through renameat2(RENAME_NOREPLACE)).
 *
 * The reader treats the bundle as hostile: only regular files and folders
 * under the one top folder, no absolute or ".." paths, manifest.json first,
 * every member listed with the size and sha256 the manifest gives, bounded
 * sizes everywhere, and nothing is ever written to disk.
 */
#include "bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "util.h"

/* ---- manifest members ------------------------------------------------- */

static int collect_files(const char *top, const char *rel, json_t *list, int depth)
{
	char path[PATH_MAX];
	struct dirent **ents = NULL;
	int n, r = 0;

	if (depth > 32)
		return -ELOOP;
	snprintf(path, sizeof(path), "%s%s%s", top, *rel ? "/" : "", rel);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		char crel[PATH_MAX], full[PATH_MAX];
		struct stat st;

		if (r < 0 || !strcmp(ents[i]->d_name, ".") || !strcmp(ents[i]->d_name, ".."))
			goto next;
		snprintf(crel, sizeof(crel), "%s%s%s", rel, *rel ? "/" : "", ents[i]->d_name);
		snprintf(full, sizeof(full), "%s/%s", top, crel);
		if (lstat(full, &st) < 0)
			goto next;
		if (S_ISDIR(st.st_mode)) {
			r = collect_files(top, crel, list, depth + 1);
		} else if (S_ISREG(st.st_mode) && strcmp(crel, "manifest.json") != 0) {
			char hex[65];
			uint64_t size;
			json_t *m;

			r = sha256_hex_file(full, hex, &size);
			if (r < 0)
				goto next;
			m = json_object();
			json_object_set_new(m, "path", json_string(crel));
			json_object_set_new(m, "size", json_integer((json_int_t)size));
			json_object_set_new(m, "sha256", json_string(hex));
			json_array_append_new(list, m);
		}
next:
		free(ents[i]);
	}
	free(ents);
	return r;
}

int scx_manifest_members(const char *top_dir, json_t **ret_members)
{
	json_t *list = json_array();
	int r;

	r = collect_files(top_dir, "", list, 0);
	if (r < 0) {
		json_decref(list);
		return r;
	}
	*ret_members = list;
	return 0;
}

/* ---- writer ------------------------------------------------------------ */

static int add_file(struct archive *a, const char *top_dir, const char *top_name,
		    const char *rel, uint64_t mtime_s)
{
	char full[PATH_MAX], name[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	struct archive_entry *e;
	bool truncated;
	size_t len;
	int r;

	snprintf(full, sizeof(full), "%s/%s", top_dir, rel);
	snprintf(name, sizeof(name), "%s/%s", top_name, rel);
	r = read_file_full(full, SCX_BUNDLE_MAX_MEMBER, &buf, &len, &truncated);
	if (r < 0)
		return r;
	if (truncated)
		return -EFBIG;	/* a reader would refuse it: refuse to write it */
	e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, (time_t)mtime_s, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	r = archive_write_header(a, e);
	if (r == ARCHIVE_OK && len > 0 && archive_write_data(a, buf, len) != (la_ssize_t)len)
		r = ARCHIVE_FATAL;
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -EIO;
}

static int rename_noreplace(const char *from, const char *to, bool force)
{
	if (force)
		return rename(from, to) < 0 ? -errno : 0;
	if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* Filesystems without RENAME_NOREPLACE: link(2) refuses to replace. */
	if (link(from, to) < 0)
		return -errno;
	unlink(from);
	return 0;
}

static int make_temp_beside(const char *path, char *tmp, size_t len)
{
	_cleanup_free_ char *d = strdup(path), *b = strdup(path);
	int fd;

	if (!d || !b)
		return -ENOMEM;
	snprintf(tmp, len, "%s/.%s.XXXXXX", dirname(d), basename(b));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* mkostemp makes 0600; the bundle gets the mode any new file would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	return fd;
}

static int write_sha256_file(const char *path, bool force)
{
	char hex[65], tmp[PATH_MAX], sumpath[PATH_MAX], line[PATH_MAX + 80];
	_cleanup_free_ char *b = strdup(path);
	int fd, r, n;

	if (!b)
		return -ENOMEM;
	r = sha256_hex_file(path, hex, NULL);
	if (r < 0)
		return r;
	snprintf(sumpath, sizeof(sumpath), "%s.sha256", path);
	fd = make_temp_beside(sumpath, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	n = snprintf(line, sizeof(line), "%s  %s\n", hex, basename(b));
	if (write(fd, line, (size_t)n) != n || fsync(fd) < 0) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r ? r : -EIO;
	}
	close(fd);
	/* The checksum file follows its bundle: replaced whenever the bundle was. */
	r = rename(tmp, sumpath) < 0 ? -errno : 0;
	if (r < 0)
		unlink(tmp);
	(void)force;
	return r;
}

/* manifest.json first (a reader can stop after it), then every member it lists. */
static int pack(struct archive *a, const char *top_dir, const char *top_name, json_t *members,
		uint64_t mtime_s)
{
	size_t i;
	json_t *m;
	int r;

	r = add_file(a, top_dir, top_name, "manifest.json", mtime_s);
	if (r < 0)
		return r;
	json_array_foreach(members, i, m) {
		r = add_file(a, top_dir, top_name, json_string_value(json_object_get(m, "path")),
			     mtime_s);
		if (r < 0)
			return r;
	}
	return archive_write_close(a) == ARCHIVE_OK ? 0 : -EIO;
}

static int new_writer(struct archive **ret)
{
	struct archive *a = archive_write_new();

	if (!a)
		return -ENOMEM;
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
	    /* no padding to 10 KiB blocks: a stream ends where the archive does */
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK) {
		archive_write_free(a);
		return -EIO;
	}
	*ret = a;
	return 0;
}

int scx_bundle_write(const char *top_dir, const char *path, bool force, uint64_t mtime_s)
{
	_cleanup_free_ char *tdup = strdup(top_dir);
	char tmp[PATH_MAX];
	json_t *members = NULL;
	struct archive *a = NULL;
	struct stat st;
	int fd = -1, r;

	if (!tdup)
		return -ENOMEM;
	if (!force && lstat(path, &st) == 0)
		return -EEXIST;
	r = scx_manifest_members(top_dir, &members);
	if (r < 0)
		return r;
	fd = make_temp_beside(path, tmp, sizeof(tmp));
	if (fd < 0) {
		json_decref(members);
		return fd;
	}
	r = new_writer(&a);
	if (r < 0)
		goto fail;
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		r = -EIO;
		goto fail;
	}
	r = pack(a, top_dir, basename(tdup), members, mtime_s);
	if (r < 0)
		goto fail;
	archive_write_free(a);
	a = NULL;
	if (fsync(fd) < 0) {
		r = -errno;
		goto fail;
	}
	close(fd);
	fd = -1;
	r = rename_noreplace(tmp, path, force);
	if (r < 0)
		goto fail;
	json_decref(members);
	return write_sha256_file(path, force);
fail:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	json_decref(members);
	return r;
}

/* A stream: every byte written to fd in full, and hashed on the way. */
struct stream_sink {
	int fd;
	int error;		/* first write error, -errno */
	uint64_t bytes;
	EVP_MD_CTX *sha;
};

static la_ssize_t stream_write(struct archive *a, void *data, const void *buf, size_t len)
{
	struct stream_sink *s = data;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(s->fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->error = n < 0 ? -errno : -EIO;
			archive_set_error(a, -s->error, "%s", strerror(-s->error));
			return -1;
		}
		done += (size_t)n;
	}
	EVP_DigestUpdate(s->sha, buf, len);
	s->bytes += len;
	return (la_ssize_t)len;
}

int scx_bundle_stream(const char *top_dir, int fd, uint64_t mtime_s, char ret_sha256[65],
		      uint64_t *ret_bytes)
{
	_cleanup_free_ char *tdup = strdup(top_dir);
	struct stream_sink sink = { .fd = fd };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	json_t *members = NULL;
	struct archive *a = NULL;
	int r;

	if (!tdup)
		return -ENOMEM;
	sink.sha = EVP_MD_CTX_new();
	if (!sink.sha || !EVP_DigestInit_ex(sink.sha, EVP_sha256(), NULL)) {
		r = -ENOMEM;
		goto out;
	}
	r = scx_manifest_members(top_dir, &members);
	if (r < 0)
		goto out;
	r = new_writer(&a);
	if (r < 0)
		goto out;
	if (archive_write_open2(a, &sink, NULL, stream_write, NULL, NULL) != ARCHIVE_OK) {
		r = sink.error ? sink.error : -EIO;
		goto out;
	}
	r = pack(a, top_dir, basename(tdup), members, mtime_s);
	if (r < 0) {
		r = sink.error ? sink.error : r;
		goto out;
	}
	if (!EVP_DigestFinal_ex(sink.sha, md, &mdlen)) {
		r = -EIO;
		goto out;
	}
	for (unsigned i = 0; i < mdlen; i++)
		sprintf(ret_sha256 + 2 * i, "%02x", md[i]);
	*ret_bytes = sink.bytes;
out:
	if (a)
		archive_write_free(a);
	EVP_MD_CTX_free(sink.sha);
	json_decref(members);
	return r;
}

/* ---- reader ------------------------------------------------------------ */

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
		la_int64_t size = archive_entry_size(e);
		const char *slash, *rel;
		json_t *m;
		char *data = NULL;

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
		slash = strchr(name, '/');
		if (first) {
			if (!slash || strcmp(slash + 1, "manifest.json") != 0 || type != AE_IFREG) {
				r = errmsg(err, errlen, -EBADMSG,
					 "%s: first member is \"%s\", not <top>/manifest.json", path,
					 name);
				goto out;
			}
			b.top = strndup(name, (size_t)(slash - name));
			if (size < 0 || (uint64_t)size > SCX_BUNDLE_MAX_MANIFEST) {
				r = errmsg(err, errlen, -EFBIG, "%s: manifest.json is too large", path);
				goto out;
			}
			r = read_member(a, (uint64_t)size, &data, err, errlen, "manifest.json");
			if (r < 0)
				goto out;
			json_error_t jerr;
			b.manifest = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
			free(data);
			if (!b.manifest) {
				r = errmsg(err, errlen, -EBADMSG, "manifest.json: malformed JSON at line %d: %s",
					 jerr.line, jerr.text);
				goto out;
			}
			r = check_manifest(b.manifest, err, errlen);
			if (r < 0)
				goto out;
			first = false;
			continue;
		}
		if (strncmp(name, b.top, strlen(b.top)) != 0 || name[strlen(b.top)] != '/') {
			r = errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is outside the top folder %s/",
				 path, name, b.top);
			goto out;
		}
		if (type == AE_IFDIR)
			continue;
		rel = name + strlen(b.top) + 1;
		m = find_member(b.manifest, rel);
		if (!m) {
			r = errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" is not in the manifest", path,
				 rel);
			goto out;
		}
		if (json_object_get(seen, rel)) {
			r = errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" appears twice", path, rel);
			goto out;
		}
		if (size < 0 || (uint64_t)size != (uint64_t)json_integer_value(json_object_get(m, "size"))) {
			r = errmsg(err, errlen, -EBADMSG,
				 "%s: member \"%s\" is %lld bytes, the manifest says %lld", path, rel,
				 (long long)size,
				 (long long)json_integer_value(json_object_get(m, "size")));
			goto out;
		}
		b.total_size += (uint64_t)size;
		if (b.total_size > SCX_BUNDLE_MAX_TOTAL) {
			r = errmsg(err, errlen, -EFBIG, "%s: bundle contents exceed %llu MiB", path,
				 SCX_BUNDLE_MAX_TOTAL >> 20);
			goto out;
		}
		r = read_member(a, (uint64_t)size, &data, err, errlen, rel);
		if (r < 0)
			goto out;
		char hex[65];
		sha256_hex_buf(data, (size_t)size, hex);
		if (strcmp(hex, json_string_value(json_object_get(m, "sha256"))) != 0) {
			free(data);
			r = errmsg(err, errlen, -EBADMSG, "%s: checksum mismatch for \"%s\"", path, rel);
			goto out;
		}
		json_object_set_new(seen, rel, json_true());
		b.n_members++;
		if (!strcmp(rel, "report.json")) {
			json_error_t jerr;

			b.report = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
			free(data);
			if (!b.report) {
				r = errmsg(err, errlen, -EBADMSG, "report.json: malformed JSON at line %d: %s",
					 jerr.line, jerr.text);
				goto out;
			}
		} else if (!strcmp(rel, "summary.txt")) {
			b.summary = data;
		} else {
			free(data);
		}
	}
	if (ar != ARCHIVE_EOF) {
		r = errmsg(err, errlen, -EBADMSG, "%s: corrupt or truncated bundle (%s)", path,
			 archive_error_string(a) ? archive_error_string(a) : "read error");
		goto out;
	}
	if (first) {
		r = errmsg(err, errlen, -EBADMSG, "%s: empty bundle (no manifest.json)", path);
		goto out;
	}
	if (json_object_size(seen) != json_array_size(json_object_get(b.manifest, "members"))) {
		json_t *m = NULL;
		size_t i;

		json_array_foreach(json_object_get(b.manifest, "members"), i, m)
			if (!json_object_get(seen, json_string_value(json_object_get(m, "path"))))
				break;
		r = errmsg(err, errlen, -EBADMSG, "%s: member \"%s\" listed in the manifest is missing",
			 path, m ? json_string_value(json_object_get(m, "path")) : "?");
		goto out;
	}
	if (!b.report) {
		r = errmsg(err, errlen, -EBADMSG, "%s: no report.json in the bundle", path);
		goto out;
	}
	if (!json_is_string(json_object_get(b.report, "schema")) ||
	    strcmp(json_string_value(json_object_get(b.report, "schema")), SCX_REPORT_SCHEMA) != 0) {
		r = errmsg(err, errlen, -EPROTONOSUPPORT,
			 "report.json: unknown schema (expected \"%s\")", SCX_REPORT_SCHEMA);
		goto out;
	}
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
