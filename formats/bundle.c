// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing bundles with libarchive (pax tar + zstd); the reader is
 * bundle-read.c.
 *
 * The writer never leaves a half bundle under the final name: it writes
 * ".<name>.XXXXXX" in the target directory, fsyncs it, and renames it into
 * place through lib/outfile.c: without --force an existing file is refused
 * both before and at the rename (renameat2(RENAME_NOREPLACE)); with it only a
 * regular file is replaced, never a device, FIFO or link; mode 0600 when
 * root wrote it (root-only kernel and journal text).
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

#include "outfile.h"
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
	fd = scx_out_temp(sumpath, tmp, sizeof(tmp), scx_out_mode(false));
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
	r = scx_out_commit(tmp, sumpath, true);
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
	/*
	 * zstd level 1: level 3 (libarchive's default) clears 768 KiB of match
	 * tables for every bundle (190 page faults, 8% of a snapshot's) to save
	 * 3% of a typical bundle's size (44.4 against 43.1 KiB).
	 */
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "zstd", "compression-level", "1") != ARCHIVE_OK ||
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
	int fd = -1, r;

	if (!tdup)
		return -ENOMEM;
	r = scx_out_check(path, force);
	if (r < 0)
		return r;
	r = scx_manifest_members(top_dir, &members);
	if (r < 0)
		return r;
	/* Kernel log, journal and BPF state: root-only content when root collected it. */
	fd = scx_out_temp(path, tmp, sizeof(tmp), scx_out_mode(geteuid() == 0));
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
	r = scx_out_commit(tmp, path, force);
	if (r < 0)
		goto fail;
	json_decref(members);
	/* The bundle is in place now: a missing checksum file must not say otherwise. */
	if (write_sha256_file(path, force) < 0) {
		char stale[PATH_MAX];

		/* Nor may an older bundle's checksum stay beside this one. */
		snprintf(stale, sizeof(stale), "%s.sha256", path);
		unlink(stale);
		return SCX_BUNDLE_NO_SIDECAR;
	}
	return 0;
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
