// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pstore probe: what the kernel saved of an oops or a panic for the next
 * boot (Documentation/admin-guide/ramoops.rst, fs/pstore).
 *
 * Reads /sys/fs/pstore (mounted by systemd, or by hand: `mount -t pstore`):
 * dmesg-ramoops-N (ramoops in reserved memory, survives a warm reboot),
 * dmesg-efi-ID (efi-pstore), console-ramoops-N, and `.enc.z` variants that
 * the kernel could not decompress (zlib or raw deflate).  systemd-pstore
 * moves the records at boot into /var/lib/systemd/pstore/ (one folder per
 * record), so that is read too.  A dmesg record opens with `Panic#N PartM`
 * or `Oops#N PartM`, then `<level>[ seconds] text` lines.
 *
 * A record in /sys/fs/pstore comes from the previous boot (index -1); an
 * archived one from some earlier boot (index null).  The `Sched_ext:` line
 * that every oops carries while a scheduler runs names it even when nothing
 * else survived.
 *
 * Bundle: pstore/<file> (decompressed).  report.json: `pstore` {dirs
 * {path: found | why not}, records [boot summary + file, kind, part]}.
 */
#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "boot-log.h"
#include "boots.h"
#include "probes.h"

#define PSTORE_FILE_MAX (4u << 20)
#define PSTORE_RECORDS_MAX 64

static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

static int inflate_any(const void *in, size_t in_len, char **ret, size_t *ret_len)
{
	static const int wbits[] = { 15, -15, 15 + 32 };

	for (size_t i = 0; i < ARRAY_SIZE(wbits); i++) {
		z_stream z = { .next_in = (Bytef *)in, .avail_in = (uInt)in_len };
		size_t cap = PSTORE_FILE_MAX;
		char *out = malloc(cap + 1);
		int zr;

		if (!out)
			return -ENOMEM;
		if (inflateInit2(&z, wbits[i]) != Z_OK) {
			free(out);
			continue;
		}
		z.next_out = (Bytef *)out;
		z.avail_out = (uInt)cap;
		zr = inflate(&z, Z_FINISH);
		if (zr == Z_STREAM_END || (zr == Z_BUF_ERROR && z.total_out)) {
			*ret_len = z.total_out;
			out[*ret_len] = '\0';
			*ret = out;
			inflateEnd(&z);
			return 0;
		}
		inflateEnd(&z);
		free(out);
	}
	return -EBADMSG;
}

json_t *scx_pstore_parse(const char *text, size_t len, const char *file)
{
	const char *p = text, *end = text + len;
	const char *kind = NULL;
	struct boot_log b;
	unsigned part = 0, count = 0;
	json_t *rec;

	boot_log_init(&b, 1u << 20);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		_cleanup_free_ char *line = strndup(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
		unsigned long long sec, frac;
		const char *s;
		int n = 0;

		p = nl ? nl + 1 : end;
		if (!line)
			break;
		if (!kind && sscanf(line, "Panic#%u Part%u", &count, &part) == 2)
			kind = "panic";
		else if (!kind && sscanf(line, "Oops#%u Part%u", &count, &part) == 2)
			kind = "oops";
		s = line;
		if (s[0] == '<' && (s = strchr(s, '>')))
			s++;
		else
			s = line;
		if (sscanf(s, "[ %llu.%llu]%n", &sec, &frac, &n) == 2 && n) {
			uint64_t usec = (uint64_t)sec * 1000000 + frac;

			s += n;
			s += *s == ' ';
			boot_log_note(&b, usec, 0, s);
			if (boot_log_kernel(&b, usec, s) < 0)
				break;
		}
	}
	rec = boot_log_summary(&b, -1, "pstore", kind && !strcmp(kind, "panic"));
	boot_log_done(&b);
	if (!rec)
		return NULL;
	json_object_set_new(rec, "file", json_string(file));
	json_object_set_new(rec, "kind", kind ? json_string(kind) : json_null());
	if (part)
		json_object_set_new(rec, "part", json_integer(part));
	return rec;
}

static bool pstore_name(const char *name)
{
	return startswith(name, "dmesg") || startswith(name, "console");
}

static int read_record(struct scx_probe_ctx *ctx, const char *abs, const char *rel, bool archived,
		       json_t *records)
{
	_cleanup_free_ char *raw = NULL, *text = NULL;
	size_t raw_len = 0, len;
	bool truncated = false;
	json_t *rec;
	int r;

	r = probe_read(ctx, abs, PSTORE_FILE_MAX, &raw, &raw_len, &truncated);
	if (r < 0)
		return r;
	if (endswith(abs, ".enc.z")) {
		r = inflate_any(raw, raw_len, &text, &len);
		if (r < 0) {
			probe_save(ctx, rel, raw, raw_len);
			return r;
		}
	} else {
		text = TAKE_PTR(raw);
		len = raw_len;
	}
	if (truncated)
		ctx->truncated = true;
	probe_save(ctx, rel, text, len);
	rec = scx_pstore_parse(text, len, abs);
	if (!rec)
		return -ENOMEM;
	if (archived)
		json_object_set_new(rec, "index", json_null());
	json_object_set_new(rec, "archived", json_boolean(archived));
	json_array_append_new(records, rec);
	return 0;
}

/* Files of one folder and its subfolders (systemd-pstore: one per record). */
static int scan_dir(struct scx_probe_ctx *ctx, const char *abs, int depth, bool archived,
		    json_t *records, unsigned *found)
{
	_cleanup_(closedirp) DIR *d = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	int r;

	r = probe_path(ctx, abs, path, sizeof(path));
	if (r < 0)
		return r;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && json_array_size(records) < PSTORE_RECORDS_MAX) {
		char child[PATH_MAX], rel[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", abs, de->d_name);
		if (probe_path(ctx, child, path, sizeof(path)) < 0 || lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0) {
			scan_dir(ctx, child, depth - 1, archived, records, found);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !pstore_name(de->d_name))
			continue;
		snprintf(rel, sizeof(rel), "%s", child + 1);
		if (read_record(ctx, child, rel, archived, records) == 0)
			(*found)++;
	}
	return 0;
}

int probe_pstore(struct scx_probe_ctx *ctx)
{
	static const struct { const char *path; int depth; bool archived; } dirs[] = {
		{ "/sys/fs/pstore", 0, false },
		{ "/var/lib/systemd/pstore", 2, true },
	};
	json_t *info, *where = json_object(), *records = json_array();
	unsigned total = 0;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		unsigned found = 0;
		int r = scan_dir(ctx, dirs[i].path, dirs[i].depth, dirs[i].archived, records, &found);
		char why[128];

		if (r == -ENOENT)
			snprintf(why, sizeof(why), "absent%s", i == 0 ? " (pstore not mounted)" : "");
		else if (r < 0)
			snprintf(why, sizeof(why), "unreadable: %s", strerror(-r));
		else if (!found)
			snprintf(why, sizeof(why), "empty (no record: no oops or panic was kept)");
		else
			snprintf(why, sizeof(why), "%u record%s", found, found == 1 ? "" : "s");
		json_object_set_new(where, dirs[i].path, json_string(why));
		total += found;
	}
	info = json_object();
	json_object_set_new(info, "dirs", where);
	json_object_set_new(info, "records", records);
	json_object_set_new(ctx->out, "pstore", info);
	if (!total)
		snprintf(ctx->reason, sizeof(ctx->reason), "no pstore record");
	return 0;
}
