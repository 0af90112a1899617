// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The process that holds the scheduler (holders.c finds it):
 * /proc/PID/{comm,cmdline,status,stat,cgroup,environ,cwd}.  A captured tree
 * may hold cmdline as cmdline.txt (the shared fixtures do); missing files
 * are simply left out.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"

#define MAX_PARENTS 16

int sched_parse_stat(const char *text, pid_t *ret_ppid, uint64_t *ret_start_ticks,
		     char *ret_comm, size_t comm_len)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
	uint64_t start = 0;
	long ppid = 0;
	int field;

	if (!open || !close || close < open)
		return -EINVAL;
	if (ret_comm && comm_len) {
		size_t n = (size_t)(close - open - 1);

		if (n >= comm_len)
			n = comm_len - 1;
		memcpy(ret_comm, open + 1, n);
		ret_comm[n] = '\0';
	}
	/* After ")": field 3 is state, 4 ppid, ..., 22 starttime. */
	p = close + 1;
	for (field = 3; field <= 22 && *p; field++) {
		char *end;

		while (*p == ' ')
			p++;
		if (field == 4)
			ppid = strtol(p, &end, 10);
		else if (field == 22)
			start = strtoull(p, &end, 10);
		while (*p && *p != ' ')
			p++;
	}
	if (field <= 22)
		return -EINVAL;
	if (ret_ppid)
		*ret_ppid = (pid_t)ppid;
	if (ret_start_ticks)
		*ret_start_ticks = start;
	return 0;
}

int sched_parse_status_ids(const char *text, const char *key, long *ret_first)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			char *end;
			long v = strtol(line + klen + 1, &end, 10);

			if (end == line + klen + 1)
				return -EINVAL;
			*ret_first = v;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -ENOENT;
}

int sched_parse_cgroup(const char *text, char *ret_path, size_t len)
{
	const char *line = text, *first = NULL;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *p = strchr(line, ':');

		if (p && (!nl || p < nl)) {
			p = strchr(p + 1, ':');
			if (p && (!nl || p < nl)) {
				size_t n = nl ? (size_t)(nl - p - 1) : strlen(p + 1);

				if (!first)
					first = line;
				if (startswith(line, "0::")) {
					snprintf(ret_path, len, "%.*s", (int)n, p + 1);
					return 0;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (first) {
		const char *p = strchr(strchr(first, ':') + 1, ':') + 1;
		const char *nl = strchr(p, '\n');

		snprintf(ret_path, len, "%.*s", (int)(nl ? (size_t)(nl - p) : strlen(p)), p);
		return 0;
	}
	return -ENOENT;
}

json_t *sched_nul_list(const char *buf, size_t len)
{
	json_t *a = json_array();
	size_t i = 0;

	while (i < len) {
		size_t n = strnlen(buf + i, len - i);
		json_t *s = json_stringn(buf + i, n);

		/* Invalid UTF-8 (possible in argv): keep it, hex-escaped. */
		if (!s) {
			char *hex = malloc(n * 4 + 1);
			size_t o = 0;

			if (hex) {
				for (size_t k = 0; k < n; k++) {
					unsigned char c = (unsigned char)buf[i + k];

					o += (size_t)snprintf(hex + o, 5, c < 0x80 ? "%c" : "\\x%02x", c);
				}
				s = json_stringn(hex, o);
				free(hex);
			}
		}
		if (s)
			json_array_append_new(a, s);
		i += n + 1;
	}
	return a;
}

static int read_proc(const struct scx_probe_ctx *ctx, pid_t pid, const char *file, size_t max,
		     char **ret, size_t *ret_len)
{
	char abs[96];

	snprintf(abs, sizeof(abs), "/proc/%d/%s", (int)pid, file);
	return probe_read(ctx, abs, max, ret, ret_len, NULL);
}

static json_t *cmdline_of(const struct scx_probe_ctx *ctx, pid_t pid)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;

	if (read_proc(ctx, pid, "cmdline", 65536, &buf, &len) < 0 &&
	    read_proc(ctx, pid, "cmdline.txt", 65536, &buf, &len) < 0)
		return NULL;
	/* The fixtures' cmdline.txt is space-separated text, not NULs. */
	if (!memchr(buf, '\0', len)) {
		for (size_t i = 0; i < len; i++)
			if (buf[i] == ' ' || buf[i] == '\n')
				buf[i] = '\0';
	}
	return sched_nul_list(buf, len);
}

static int comm_of(const struct scx_probe_ctx *ctx, pid_t pid, char *ret, size_t len,
		   pid_t *ret_ppid, uint64_t *ret_start)
{
	_cleanup_free_ char *stat = NULL, *comm = NULL;

	if (read_proc(ctx, pid, "stat", 4096, &stat, NULL) >= 0 &&
	    sched_parse_stat(stat, ret_ppid, ret_start, ret, len) == 0)
		return 0;
	if (ret_ppid)
		*ret_ppid = 0;
	if (read_proc(ctx, pid, "comm", 256, &comm, NULL) >= 0) {
		snprintf(ret, len, "%s", strstrip(comm));
		return 0;
	}
	/* /proc/PID/sched opens with "comm (pid, #threads: n)". */
	if (read_proc(ctx, pid, "sched", 256, &comm, NULL) >= 0) {
		char *paren = strstr(comm, " (");

		if (paren) {
			*paren = '\0';
			snprintf(ret, len, "%s", comm);
			return 0;
		}
	}
	return -ENOENT;
}

/* "exe": where /proc/PID/exe points (" (deleted)" kept), when it may be read. */
static void exe_of(const struct scx_probe_ctx *ctx, pid_t pid, json_t *o)
{
	char abs[64], path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(abs, sizeof(abs), "/proc/%d/exe", (int)pid);
	if (probe_path(ctx, abs, path, sizeof(path)) < 0)
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		json_object_set_new(o, "exe", json_string(target));
	}
}

json_t *sched_process_info(const struct scx_probe_ctx *ctx, pid_t pid)
{
	_cleanup_free_ char *status = NULL, *cgroup = NULL, *uptime = NULL;
	json_t *p = json_object(), *parents = json_array(), *cmd;
	char comm[64], cg[1024];
	uint64_t start = 0;
	pid_t ppid = 0, cur;
	long uid;
	int depth;

	json_object_set_new(p, "pid", json_integer(pid));
	if (comm_of(ctx, pid, comm, sizeof(comm), &ppid, &start) == 0)
		json_object_set_new(p, "comm", json_string(comm));
	cmd = cmdline_of(ctx, pid);
	if (cmd)
		json_object_set_new(p, "cmdline", cmd);
	if (read_proc(ctx, pid, "status", 16384, &status, NULL) >= 0 &&
	    sched_parse_status_ids(status, "Uid", &uid) == 0)
		json_object_set_new(p, "uid", json_integer(uid));
	if (start) {
		long hz = sysconf(_SC_CLK_TCK);
		double start_s = (double)start / (double)(hz > 0 ? hz : 100);

		/* Seconds since boot, as dmesg times are. */
		json_object_set_new(p, "start_time", json_real(start_s));
		if (probe_read(ctx, "/proc/uptime", 256, &uptime, NULL, NULL) >= 0) {
			double up = strtod(uptime, NULL);

			if (up >= start_s)
				json_object_set_new(p, "age_s", json_real(up - start_s));
		}
	}
	if (read_proc(ctx, pid, "cgroup", 65536, &cgroup, NULL) >= 0 &&
	    sched_parse_cgroup(cgroup, cg, sizeof(cg)) == 0)
		json_object_set_new(p, "cgroup", json_string(cg));
	/* Parent chain up to init (or as far as we may read). */
	for (cur = ppid, depth = 0; cur > 0 && depth < MAX_PARENTS; depth++) {
		json_t *o = json_object();
		pid_t next = 0;

		json_object_set_new(o, "pid", json_integer(cur));
		if (comm_of(ctx, cur, comm, sizeof(comm), &next, NULL) == 0)
			json_object_set_new(o, "comm", json_string(comm));
		/* A script's comm is its own name: what runs it is in exe and cmdline. */
		exe_of(ctx, cur, o);
		cmd = cmdline_of(ctx, cur);
		if (cmd)
			json_object_set_new(o, "cmdline", cmd);
		json_array_append_new(parents, o);
		if (cur == 1 || next == cur)
			break;
		cur = next;
	}
	json_object_set_new(p, "parents", parents);
	return p;
}

/*
 * A bundle is attached to public bug trackers: of the scheduler's
 * environment it keeps the values that shape a scheduler's behaviour and
 * only the names of the rest (tokens and keys live there too).  The paired
 * run reads the whole environment live from /proc/PID/environ.
 */
bool sched_env_value_kept(const char *entry)
{
	static const char *const prefixes[] = { "SCX_", "RUST_LOG=", "RUST_BACKTRACE=", "PATH=",
						"LANG=", "LC_", "INVOCATION_ID=", "LIBBPF_" };

	/* scx-report's own settings hold secrets (SCX_REPORT_BUGZILLA_API_KEY): never their values. */
	if (startswith(entry, "SCX_REPORT_"))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (startswith(entry, prefixes[i]))
			return true;
	return false;
}

static void split_env(const char *buf, size_t len, json_t *r)
{
	json_t *kept = json_array(), *names = json_array();
	size_t i = 0;

	while (i < len) {
		size_t n = strnlen(buf + i, len - i);
		const char *eq = memchr(buf + i, '=', n);

		if (n && sched_env_value_kept(buf + i))
			json_array_append_new(kept, json_stringn(buf + i, n));
		else if (n && eq)
			json_array_append_new(names, json_stringn(buf + i, (size_t)(eq - (buf + i))));
		i += n + 1;
	}
	json_object_set_new(r, "env", kept);
	json_object_set_new(r, "env_withheld", names);
}

json_t *sched_restart_info(const struct scx_probe_ctx *ctx, pid_t pid)
{
	_cleanup_free_ char *env = NULL, *status = NULL;
	json_t *r = json_object(), *argv;
	char abs[64], path[PATH_MAX], cwd[PATH_MAX];
	size_t len;
	long v;

	argv = cmdline_of(ctx, pid);
	json_object_set_new(r, "argv", argv ? argv : json_array());
	if (read_proc(ctx, pid, "environ", 1u << 20, &env, &len) >= 0)
		split_env(env, len, r);
	snprintf(abs, sizeof(abs), "/proc/%d/cwd", (int)pid);
	if (probe_path(ctx, abs, path, sizeof(path)) == 0) {
		ssize_t n = readlink(path, cwd, sizeof(cwd) - 1);

		if (n > 0) {
			cwd[n] = '\0';
			json_object_set_new(r, "cwd", json_string(cwd));
		}
	}
	if (read_proc(ctx, pid, "status", 16384, &status, NULL) >= 0) {
		if (sched_parse_status_ids(status, "Uid", &v) == 0)
			json_object_set_new(r, "uid", json_integer(v));
		if (sched_parse_status_ids(status, "Gid", &v) == 0)
			json_object_set_new(r, "gid", json_integer(v));
	}
	return r;
}
