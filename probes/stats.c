// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler's own statistics (scx_stats, scx-stats.h): probe "stats" finds the running
 * scheduler's socket (the listening UNIX sockets its process holds, then the default path),
 * takes the metadata and a first sample before the latency window; probe "stats_end" takes
 * the second sample after it, on the socket the first one used.  Each sample is a fresh
 * connection: what a scheduler reports is what it tells a new client (most report totals
 * since they started).  No socket is "not offered", not an error.
 *
 * report.json: stats {offered, socket, found_by, top, fields [...], start {...}, end {...},
 * errors [...]}; the replies as served in stats/meta.json, stats/start.json, stats_end/end.json.
 */
#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "probe.h"
#include "probes.h"
#include "scx-stats.h"

#define STATS_TIMEOUT_MS 2000
#define STATS_MAX_REPLY (1u << 20)	/* one reply line */
#define STATS_MAX_FIELDS 400
#define STATS_MAX_VALUES 200
#define STATS_MAX_SOCKETS 4
#define STATS_MAX_FDS 4096

static const struct scx_stats_limits limits = { STATS_TIMEOUT_MS, STATS_MAX_REPLY };

/* The socket inodes among /proc/PID/fd (at most max); -1 when the folder is not readable. */
static ssize_t socket_inodes(const struct scx_probe_ctx *ctx, pid_t pid, unsigned long *ret, size_t max)
{
	char dir[PATH_MAX], abs[64];
	struct dirent *de;
	size_t n = 0, seen = 0;
	DIR *d;

	snprintf(abs, sizeof(abs), "/proc/%d/fd", (int)pid);
	if (probe_path(ctx, abs, dir, sizeof(dir)) < 0 || !(d = opendir(dir)))
		return -1;
	while ((de = readdir(d)) && n < max && seen++ < STATS_MAX_FDS) {
		char target[128];
		ssize_t k = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		unsigned long ino;

		if (k <= 0)
			continue;
		target[k] = '\0';
		if (sscanf(target, "socket:[%lu]", &ino) == 1)
			ret[n++] = ino;
	}
	closedir(d);
	return (ssize_t)n;
}

/* Where to ask: the process's listening sockets, then the default path. */
static json_t *candidates(struct scx_probe_ctx *ctx, pid_t pid, json_t **ret_found_by, bool *ret_fds_read)
{
	json_t *paths = json_array(), *by = json_array();
	unsigned long inodes[256];
	char abs[64], path[PATH_MAX];
	struct stat st;
	ssize_t n = pid > 0 ? socket_inodes(ctx, pid, inodes, ARRAY_SIZE(inodes)) : -1;
	size_t i;
	json_t *p;

	*ret_fds_read = n >= 0;
	if (n > 0) {
		_cleanup_free_ char *text = NULL;

		snprintf(abs, sizeof(abs), "/proc/%d/net/unix", (int)pid);
		if (probe_read(ctx, abs, 4u << 20, &text, NULL, NULL) < 0)
			probe_read(ctx, "/proc/net/unix", 4u << 20, &text, NULL, NULL);
		if (text)
			scx_stats_unix_listeners(text, inodes, (size_t)n, paths);
		json_array_foreach(paths, i, p)
			json_array_append_new(by, json_string("the scheduler process's listening socket"));
	}
	if (probe_path(ctx, SCX_STATS_DEFAULT_PATH, path, sizeof(path)) == 0 &&
	    stat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		bool dup = false;

		json_array_foreach(paths, i, p)
			dup |= !strcmp(json_string_value(p), SCX_STATS_DEFAULT_PATH);
		if (!dup) {
			json_array_append_new(paths, json_string(SCX_STATS_DEFAULT_PATH));
			json_array_append_new(by, json_string("the default scx_stats path"));
		}
	}
	*ret_found_by = by;
	return paths;
}

/* The scheduler's own stats options on its command line (--stats SECS, --monitor SECS). */
static json_t *stats_options(const json_t *report)
{
	const json_t *cmd = jget(report, "scheduler.process.cmdline"), *a;
	json_t *out = json_array();
	size_t i;

	json_array_foreach(cmd, i, a) {
		const char *s = json_string_value(a);

		if (s && (startswith(s, "--stats") || startswith(s, "--monitor")))
			json_array_append_new(out, json_string(s));
	}
	return out;
}

static void add_error(json_t *stats, const char *socket, const char *why)
{
	json_t *errs = json_object_get(stats, "errors");

	if (!errs) {
		errs = json_array();
		json_object_set_new(stats, "errors", errs);
	}
	json_array_append_new(errs, json_pack("{s:s,s:s}", "socket", socket, "reason", why));
}

/* One sample on a fresh connection: {mono_s, values} and the reply in the bundle as REL. */
static int take_sample(struct scx_probe_ctx *ctx, const char *socket, const char *rel,
		       json_t **ret, char *why, size_t whylen)
{
	json_t *resp = NULL;
	char *text;
	int fd, r;

	fd = scx_stats_connect(socket, &limits, why, whylen);
	if (fd < 0)
		return fd;
	r = scx_stats_request(fd, "stats", "top", &limits, &resp, why, whylen);
	close(fd);
	if (r < 0)
		return r;
	text = json_dumps(resp, JSON_INDENT(1) | JSON_ENCODE_ANY);
	if (text) {
		probe_save(ctx, rel, text, strlen(text));
		free(text);
	}
	*ret = json_pack("{s:f,s:o}", "mono_s", (double)now_mono_ns() / 1e9, "values",
			 scx_stats_scalars(resp, STATS_MAX_VALUES));
	json_decref(resp);
	return 0;
}

/* The metadata: the first socket that answers stats_meta wins. */
static int take_meta(struct scx_probe_ctx *ctx, json_t *stats, const char *socket)
{
	json_t *meta = NULL;
	const char *top = NULL;
	char why[256], *text;
	int fd, r;

	fd = scx_stats_connect(socket, &limits, why, sizeof(why));
	if (fd < 0) {
		add_error(stats, socket, why);
		return fd;
	}
	r = scx_stats_request(fd, "stats_meta", NULL, &limits, &meta, why, sizeof(why));
	close(fd);
	if (r < 0) {
		add_error(stats, socket, why);
		return r;
	}
	text = json_dumps(meta, JSON_INDENT(1) | JSON_ENCODE_ANY);
	if (text) {
		probe_save(ctx, "meta.json", text, strlen(text));
		free(text);
	}
	json_object_set_new(stats, "fields", scx_stats_fields(meta, STATS_MAX_FIELDS, &top));
	if (top)
		json_object_set_new(stats, "top", json_string(top));
	json_decref(meta);
	return 0;
}

int probe_stats(struct scx_probe_ctx *ctx)
{
	pid_t pid = (pid_t)json_integer_value(jget(ctx->report, "scheduler.process.pid"));
	json_t *stats = json_object(), *found_by = NULL, *paths, *p, *sample = NULL;
	const char *chosen = NULL;
	char why[256];
	bool fds_read;
	size_t i;

	json_object_set_new(ctx->out, "stats", stats);
	json_object_set_new(stats, "options", stats_options(ctx->report));
	paths = candidates(ctx, pid, &found_by, &fds_read);
	if (!json_array_size(paths)) {
		json_object_set_new(stats, "offered", json_false());
		snprintf(ctx->reason, sizeof(ctx->reason), "not offered: %s and no socket at %s",
			 pid <= 0 ? "no scheduler process"
			 : fds_read ? "the scheduler's process holds no listening UNIX socket"
				    : "the scheduler's descriptors are not readable (/proc/PID/fd)",
			 SCX_STATS_DEFAULT_PATH);
		json_object_set_new(stats, "reason", json_string(ctx->reason));
		goto out;
	}
	json_object_set_new(stats, "offered", json_true());
	json_object_set(stats, "sockets", paths);
	if (*probe_sysroot(ctx)) {
		snprintf(ctx->reason, sizeof(ctx->reason), "not asked under --sysroot");
		json_object_set_new(stats, "reason", json_string(ctx->reason));
		goto out;
	}
	json_array_foreach(paths, i, p) {
		if (i >= STATS_MAX_SOCKETS)
			break;
		if (take_meta(ctx, stats, json_string_value(p)) == 0) {
			chosen = json_string_value(p);
			json_object_set_new(stats, "socket", json_string(chosen));
			json_object_set(stats, "found_by", json_array_get(found_by, i));
			break;
		}
	}
	if (!chosen) {
		snprintf(ctx->reason, sizeof(ctx->reason), "offered, but no socket answered: %s",
			 jstr_or(json_array_get(json_object_get(stats, "errors"), 0), "reason", "?"));
		goto out;
	}
	if (take_sample(ctx, chosen, "start.json", &sample, why, sizeof(why)) < 0)
		add_error(stats, chosen, why);
	else
		json_object_set_new(stats, "start", sample);
	snprintf(ctx->reason, sizeof(ctx->reason), "%s: %zu field(s)%s", chosen,
		 json_array_size(json_object_get(stats, "fields")),
		 json_object_get(stats, "errors") ? "; see stats.errors" : "");
out:
	json_decref(found_by);
	json_decref(paths);
	return 0;
}

bool probe_stats_end_applies(const json_t *report, const char **why)
{
	*why = jstr(report, "stats.socket") ? NULL : "no stats socket answered at the start";
	return !*why;
}

int probe_stats_end(struct scx_probe_ctx *ctx)
{
	const char *socket = jstr(ctx->report, "stats.socket"), *skip;
	json_t *sample = NULL, *stats;
	char why[256];

	/* The collector asks the same before forking (probes/table.c); a direct call asks here. */
	if (!probe_stats_end_applies(ctx->report, &skip))
		return probe_fail(ctx, -ENOENT, "%s", skip);
	stats = json_object();
	json_object_set_new(ctx->out, "stats", stats);
	if (take_sample(ctx, socket, "end.json", &sample, why, sizeof(why)) < 0) {
		/* errors is an array: the merge replaces it, so keep the start's too. */
		const json_t *prev = jget(ctx->report, "stats.errors");

		json_object_set_new(stats, "errors", prev ? json_deep_copy(prev) : json_array());
		add_error(stats, socket, why);
		return probe_fail(ctx, -EIO, "%s", why);
	}
	json_object_set_new(stats, "end", sample);
	snprintf(ctx->reason, sizeof(ctx->reason), "%s: second sample", socket);
	return 0;
}
