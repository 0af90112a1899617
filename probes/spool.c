// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spool probe: the newest capture that `scx-report watch` spooled in this
 * boot and in the previous one (spool.h), copied into the bundle as
 * spool/NAME.  The previous boot is the journal's boot -1 when the journal
 * probe found it (report `boots`), else the newest capture of any other boot.
 *
 * Reads SCX_SPOOL_DIR (under the sysroot) and /proc/sys/kernel/random/boot_id.
 * report.json: `spool` {dir, captures (how many), included [{file, boot,
 * boot_id, time, ops, bytes}]}.  Skipped in a capture itself.
 */
#include "dump-parse.h"
#include "spool.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "probes.h"

#define SPOOL_COPY_MAX (32u << 20)

int scx_spool_name(char *buf, size_t len, uint64_t real_ns, const char *boot_id, const char *ops)
{
	char t[32], clean[128];
	size_t i;
	int n;

	format_utc(t, sizeof(t), real_ns, false);	/* 2026-12-02T09:01:34Z */
	for (i = 0; ops && ops[i] && i < sizeof(clean) - 1; i++)
		clean[i] = (ops[i] >= 'a' && ops[i] <= 'z') || (ops[i] >= 'A' && ops[i] <= 'Z') ||
				   (ops[i] >= '0' && ops[i] <= '9') || ops[i] == '_' || ops[i] == '.'
			   ? ops[i] : '_';
	clean[i] = '\0';
	n = snprintf(buf, len, "capture-%.4s%.2s%.2sT%.2s%.2s%.2sZ-%s-%s.tar.zst", t, t + 5, t + 8,
		     t + 11, t + 14, t + 17, boot_id, i ? clean : "unknown");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int scx_spool_parse_name(const char *name, struct scx_spool_entry *ret)
{
	struct scx_spool_entry e = { 0 };
	const char *p = name + strlen("capture-"), *ops;
	size_t n = strlen(name);

	if (!startswith(name, "capture-") || !endswith(name, ".tar.zst") || n >= sizeof(e.name) ||
	    strlen(p) < 16 + 1 + 32 + 1 + strlen(".tar.zst") || p[16] != '-' || p[49] != '-')
		return -EINVAL;
	memcpy(e.time, p, 16);
	memcpy(e.boot_id, p + 17, 32);
	for (int i = 0; i < 32; i++)
		if (!strchr("0123456789abcdef", e.boot_id[i]))
			return -EINVAL;
	ops = p + 50;
	snprintf(e.ops, sizeof(e.ops), "%.*s", (int)(strlen(ops) - strlen(".tar.zst")), ops);
	snprintf(e.name, sizeof(e.name), "%s", name);
	*ret = e;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct scx_spool_entry *x = a, *y = b;
	int c = strcmp(x->time, y->time);

	return c ? c : strcmp(x->name, y->name);
}

int scx_spool_list(const char *dir, struct scx_spool_entry **ret, size_t *ret_n)
{
	DIR *d = opendir(dir);
	struct scx_spool_entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct scx_spool_entry e;
		char path[PATH_MAX];
		struct stat st;

		if (scx_spool_parse_name(de->d_name, &e) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		e.bytes = (uint64_t)st.st_size;
		snprintf(path, sizeof(path), "%s/%s.sha256", dir, de->d_name);
		if (stat(path, &st) == 0)
			e.bytes += (uint64_t)st.st_size;
		if (n == cap) {
			struct scx_spool_entry *nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));

			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[n++] = e;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = v;
	*ret_n = n;
	return 0;
}

int scx_boot_id(const char *sysroot, char ret[33])
{
	_cleanup_free_ char *line = NULL;
	char path[PATH_MAX];
	size_t o = 0;
	int r;

	r = scx_sysroot_path(sysroot, "/proc/sys/kernel/random/boot_id", path, sizeof(path));
	if (r >= 0)
		r = read_one_line(path, &line);
	if (r < 0)
		return r;
	for (const char *p = line; *p && o < 32; p++)
		if (*p != '-')
			ret[o++] = *p;
	ret[o] = '\0';
	return o == 32 ? 0 : -EINVAL;
}

/* dir: the spool as a system path (probe_copy puts the sysroot in front). */
static void include(struct scx_probe_ctx *ctx, const char *dir, const struct scx_spool_entry *e,
		    const char *which, json_t *included)
{
	char abs[PATH_MAX], rel[PATH_MAX];
	json_t *o;

	snprintf(abs, sizeof(abs), "%s/%s", dir, e->name);
	snprintf(rel, sizeof(rel), "%s", e->name);
	if (probe_copy(ctx, abs, rel, SPOOL_COPY_MAX) < 0)
		return;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "file", e->name, "boot", which, "boot_id",
		      e->boot_id, "time", e->time, "ops", e->ops, "bytes", (json_int_t)e->bytes);
	json_array_append_new(included, o);
}

int probe_spool(struct scx_probe_ctx *ctx)
{
	const char *prev_id = NULL;
	struct scx_spool_entry *v = NULL;
	const struct scx_spool_entry *mine = NULL, *prev = NULL;
	char path[PATH_MAX], boot[33] = "";
	json_t *info, *included, *b;
	size_t n = 0, i;
	int r;

	if (ctx->opts && ctx->opts->capture_dir)
		return probe_fail(ctx, -EOPNOTSUPP, "a capture does not include other captures");
	r = probe_path(ctx, SCX_SPOOL_DIR, path, sizeof(path));
	if (r >= 0)
		r = scx_spool_list(path, &v, &n);
	if (r == -ENOENT)
		return probe_fail(ctx, r, "no spool (%s): scx-report watch is not running here",
				  SCX_SPOOL_DIR);
	if (r < 0)
		return probe_fail(ctx, r, "%s: %s", SCX_SPOOL_DIR, strerror(-r));
	scx_boot_id(probe_sysroot(ctx), boot);
	json_array_foreach(json_object_get(ctx->report, "boots"), i, b)
		if (json_integer_value(json_object_get(b, "index")) == -1)
			prev_id = json_string_value(json_object_get(b, "boot_id"));
	for (i = n; i-- > 0;) {
		if (!mine && *boot && !strcmp(v[i].boot_id, boot))
			mine = &v[i];
		else if (!prev && strcmp(v[i].boot_id, boot) &&
			 (!prev_id || !strcmp(v[i].boot_id, prev_id)))
			prev = &v[i];
	}
	included = json_array();
	if (mine)
		include(ctx, SCX_SPOOL_DIR, mine, "this", included);
	if (prev)
		include(ctx, SCX_SPOOL_DIR, prev, "previous", included);
	info = json_pack("{s:s, s:I, s:o}", "dir", SCX_SPOOL_DIR, "captures", (json_int_t)n,
			 "included", included);
	json_object_set_new(ctx->out, "spool", info);
	if (!json_array_size(included))
		snprintf(ctx->reason, sizeof(ctx->reason), "no capture of this or the previous boot");
	free(v);
	return 0;
}

/*
 * capture probe: in a snapshot made by `scx-report watch`, what the watcher
 * saw at the ejection (opts->capture_dir): the kernel's debug dump from the
 * sched_ext:sched_ext_dump tracepoint (dump.txt, and trace.txt as tracefs
 * gave it) and info.json (trigger, ops, time).  Bundle: capture/.
 * report.json: `capture` = info.json plus dump_lines and dump (scx_dump_parse).
 */
bool probe_capture_enabled(const struct scx_probe_opts *opts, const char **why)
{
	if (opts->capture_dir)
		return true;
	*why = "not a watch capture";
	return false;
}

int probe_capture(struct scx_probe_ctx *ctx)
{
	static const char *const files[] = { "dump.txt", "trace.txt", "info.json" };
	_cleanup_free_ char *dump = NULL, *infotext = NULL;
	const char *dir = ctx->opts ? ctx->opts->capture_dir : NULL;
	char path[PATH_MAX];
	size_t len = 0, lines = 0;
	json_t *info;

	if (!dir)
		return probe_fail(ctx, -EOPNOTSUPP, "not a watch capture");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *buf = NULL;
		size_t n;
		bool cut = false;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (read_file_full(path, 16u << 20, &buf, &n, &cut) < 0)
			continue;
		if (cut)
			ctx->truncated = true;
		probe_save(ctx, files[i], buf, n);
		if (i == 0) {
			dump = TAKE_PTR(buf);
			len = n;
		} else if (i == 2) {
			infotext = TAKE_PTR(buf);
		}
	}
	for (size_t i = 0; i < len; i++)
		lines += dump[i] == '\n';
	info = infotext ? json_loads(infotext, 0, NULL) : NULL;
	if (!json_is_object(info)) {
		json_decref(info);
		info = json_object();
	}
	json_object_set_new(info, "dump_lines", json_integer((json_int_t)lines));
	/* The dump taken apart as collect --dump's is (dump-parse.h): trigger, CPUs, counters, cut. */
	if (lines)
		json_object_set_new(info, "dump", scx_dump_parse(dump, len));
	json_object_set_new(ctx->out, "capture", info);
	if (!lines)
		snprintf(ctx->reason, sizeof(ctx->reason), "no debug dump was captured");
	return 0;
}
