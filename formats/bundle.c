// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing bundles (tar + zstd, tar-write.c); the reader is bundle-read.c
 * (libarchive).
 *
 * The writer never leaves a half bundle under the final name: it writes
 * ".<name>.XXXXXX" in the target directory, fsyncs it, and renames it into
 * place through lib/outfile.c: without --force an existing file is refused
 * both before and at the rename (renameat2(RENAME_NOREPLACE)); with it only a
 * regular file is replaced, never a device, FIFO or link; mode 0600 when
 * root wrote it (root-only kernel and journal text).
 */
#include "bundle.h"

#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "digest.h"
#include "outfile.h"
#include "tar-write.h"
#include "util.h"

/* ---- manifest members ------------------------------------------------- */

/* Every regular file under top but manifest.json, sorted; with hash, its size and sha256 too. */
static int collect_files(const char *top, const char *rel, json_t *list, int depth, bool hash)
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
			r = collect_files(top, crel, list, depth + 1, hash);
		} else if (S_ISREG(st.st_mode) && strcmp(crel, "manifest.json") != 0) {
			json_t *m = json_object();
			char hex[65];
			uint64_t size;

			json_object_set_new(m, "path", json_string(crel));
			json_array_append_new(list, m);
			if (!hash)
				goto next;
			r = sha256_hex_file(full, hex, &size);
			if (r < 0)
				goto next;
			json_object_set_new(m, "size", json_integer((json_int_t)size));
			json_object_set_new(m, "sha256", json_string(hex));
		}
next:
		free(ents[i]);
	}
	free(ents);
	return r;
}

static int members_of(const char *top_dir, json_t **ret_members, bool hash)
{
	json_t *list = json_array();
	int r;

	r = collect_files(top_dir, "", list, 0, hash);
	if (r < 0) {
		json_decref(list);
		return r;
	}
	*ret_members = list;
	return 0;
}

int scx_manifest_members(const char *top_dir, json_t **ret_members)
{
	return members_of(top_dir, ret_members, true);
}

/* ---- writer ------------------------------------------------------------ */

/* Where the compressed bundle goes: every byte written to fd in full, and hashed on the way. */
struct sink {
	int fd;
	uint64_t bytes;
	struct scx_sha256 sha;
};

static int sink_write(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;
	int r = write_all(s->fd, buf, len);

	if (r < 0)
		return r;
	scx_sha256_update(&s->sha, buf, len);
	s->bytes += len;
	return 0;
}

static int add_file(struct scx_tar *t, const char *top_dir, const char *top_name,
		    const char *rel, uint64_t mtime_s)
{
	char full[PATH_MAX], name[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	bool truncated;
	size_t len;
	int r;

	if ((size_t)snprintf(full, sizeof(full), "%s/%s", top_dir, rel) >= sizeof(full) ||
	    (size_t)snprintf(name, sizeof(name), "%s/%s", top_name, rel) >= sizeof(name))
		return -ENAMETOOLONG;
	r = read_file_full(full, SCX_BUNDLE_MAX_MEMBER, &buf, &len, &truncated);
	if (r < 0)
		return r;
	if (truncated)
		return -EFBIG;	/* a reader would refuse it: refuse to write it */
	return scx_tar_add(t, name, buf, len, mtime_s);
}

/*
 * manifest.json first (a reader can stop after it), then every member it
 * lists, as one zstd frame into the sink.  zstd level 1: level 3 clears
 * 768 KiB of match tables for every bundle (190 page faults, 8% of a
 * snapshot's) to save 3% of a typical bundle's size (44.4 against 43.1 KiB).
 */
static int pack(struct sink *s, const char *top_dir, const char *top_name, json_t *members,
		uint64_t mtime_s)
{
	struct scx_tar t;
	size_t i;
	json_t *m;
	int r;

	scx_sha256_init(&s->sha);
	r = scx_tar_open(&t, 1, sink_write, s);
	if (r < 0)
		return r;
	r = add_file(&t, top_dir, top_name, "manifest.json", mtime_s);
	json_array_foreach(members, i, m) {
		if (r < 0)
			break;
		r = add_file(&t, top_dir, top_name, json_string_value(json_object_get(m, "path")),
			     mtime_s);
	}
	if (r == 0)
		r = scx_tar_close(&t);
	scx_tar_free(&t);
	return r;
}

/* The checksum file beside the bundle, "HEX  NAME\n", as sha256sum writes it. */
static int write_sha256_file(const char *path, const char hex[65])
{
	char tmp[PATH_MAX], sumpath[PATH_MAX], line[PATH_MAX + 80];
	_cleanup_free_ char *b = strdup(path);
	int fd, r, n;

	if (!b)
		return -ENOMEM;
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
	return r;
}

int scx_bundle_write(const char *top_dir, const char *path, bool force, uint64_t mtime_s)
{
	_cleanup_free_ char *tdup = strdup(top_dir);
	char tmp[PATH_MAX], hex[65];
	json_t *members = NULL;
	struct sink s = { .fd = -1 };
	int r;

	if (!tdup)
		return -ENOMEM;
	r = scx_out_check(path, force);
	if (r < 0)
		return r;
	/* The staged manifest.json lists them hashed; packing needs only the paths, in its order. */
	r = members_of(top_dir, &members, false);
	if (r < 0)
		return r;
	/* Kernel log, journal and BPF state: root-only content when root collected it. */
	s.fd = scx_out_temp(path, tmp, sizeof(tmp), scx_out_mode(geteuid() == 0));
	if (s.fd < 0) {
		json_decref(members);
		return s.fd;
	}
	r = pack(&s, top_dir, basename(tdup), members, mtime_s);
	json_decref(members);
	if (r == 0 && fsync(s.fd) < 0)
		r = -errno;
	close(s.fd);
	if (r == 0)
		r = scx_out_commit(tmp, path, force);
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	/* The bundle is in place now: a missing checksum file must not say otherwise. */
	scx_sha256_hex(&s.sha, hex);
	if (write_sha256_file(path, hex) < 0) {
		char stale[PATH_MAX];

		/* Nor may an older bundle's checksum stay beside this one. */
		snprintf(stale, sizeof(stale), "%s.sha256", path);
		unlink(stale);
		return SCX_BUNDLE_NO_SIDECAR;
	}
	return 0;
}

int scx_bundle_stream(const char *top_dir, int fd, uint64_t mtime_s, char ret_sha256[65],
		      uint64_t *ret_bytes)
{
	_cleanup_free_ char *tdup = strdup(top_dir);
	struct sink s = { .fd = fd };
	json_t *members = NULL;
	int r;

	if (!tdup)
		return -ENOMEM;
	r = members_of(top_dir, &members, false);
	if (r < 0)
		return r;
	r = pack(&s, top_dir, basename(tdup), members, mtime_s);
	json_decref(members);
	if (r < 0)
		return r;
	scx_sha256_hex(&s.sha, ret_sha256);
	*ret_bytes = s.bytes;
	return 0;
}
