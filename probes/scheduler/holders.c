// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who holds the scheduler: /proc/PID/fdinfo/FD of a bpf fd carries map_type
 * and prog_tag (4.10), map_id and prog_id (about 4.14), link_type and
 * link_id (5.8).  We scan every
 * process's fdinfo (only our own uid's without root) for the ids the BPF walk
 * found, or, without a walk (--sysroot, non-root), for struct_ops maps
 * (map_type 26, BPF_MAP_TYPE_STRUCT_OPS, 5.6) and struct_ops links.
 *
 * Then the process: /proc/PID/{comm,cmdline,status,stat,cgroup,environ,cwd}.
 * A captured tree may hold cmdline as cmdline.txt (the shared fixtures do);
 * missing files are simply left out.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"

#define BPF_MAP_TYPE_STRUCT_OPS_NR 26
#define MAX_PARENTS 16

void sched_fdinfo_parse(const char *text, struct sched_fdinfo *ret)
{
	struct sched_fdinfo f = { .map_type = -1, .prog_type = -1 };
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char key[32], val[64];
		size_t klen, vlen;
		const char *colon = strchr(line, ':');
		uint64_t v;

		if (!colon || (nl && colon > nl))
			goto next;
		klen = (size_t)(colon - line);
		if (klen >= sizeof(key))
			goto next;
		memcpy(key, line, klen);
		key[klen] = '\0';
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		vlen = nl ? (size_t)(nl - colon) : strlen(colon);
		if (vlen >= sizeof(val))
			vlen = sizeof(val) - 1;
		memcpy(val, colon, vlen);
		val[vlen] = '\0';
		strstrip(val);
		if (!strcmp(key, "prog_tag") || !strcmp(key, "link_type")) {
			snprintf(!strcmp(key, "prog_tag") ? f.prog_tag : f.link_type,
				 !strcmp(key, "prog_tag") ? sizeof(f.prog_tag) : sizeof(f.link_type),
				 "%s", val);
		} else if (safe_atou64(val, &v) == 0 && v <= UINT32_MAX) {
			if (!strcmp(key, "map_id"))
				f.map_id = (uint32_t)v;
			else if (!strcmp(key, "prog_id"))
				f.prog_id = (uint32_t)v;
			else if (!strcmp(key, "link_id"))
				f.link_id = (uint32_t)v;
			else if (!strcmp(key, "btf_id"))
				f.btf_id = (uint32_t)v;
			else if (!strcmp(key, "map_type"))
				f.map_type = (int)v;
			else if (!strcmp(key, "prog_type"))
				f.prog_type = (int)v;
		}
next:
		line = nl ? nl + 1 : NULL;
	}
	*ret = f;
}

static bool id_in(const uint32_t *ids, unsigned n, uint32_t id)
{
	for (unsigned i = 0; id && i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static bool is_pid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Which object of interest does this fd hold? Adds {fd, kind_id} to fds. */
static bool fd_matches(const struct sched_fdinfo *f, const struct sched_bpf_ids *ids,
		       const char *fd, json_t *fds)
{
	json_t *o;

	if (ids) {
		/* A link's fdinfo names its program (prog_id) too: check the link first. */
		if (f->link_id && id_in(ids->link_ids, ids->n_links, f->link_id))
			goto hit;
		if (!f->link_id && f->map_id && id_in(ids->map_ids, ids->n_maps, f->map_id))
			goto hit;
		if (!f->link_id && f->prog_id && id_in(ids->prog_ids, ids->n_progs, f->prog_id))
			goto hit;
		return false;
	}
	if (f->map_id && f->map_type == BPF_MAP_TYPE_STRUCT_OPS_NR)
		goto hit;
	if (f->link_id && !strcmp(f->link_type, "struct_ops"))
		goto hit;
	return false;
hit:
	o = json_object();
	json_object_set_new(o, "fd", json_number_or_string(fd));
	if (f->link_id)
		json_object_set_new(o, "link_id", json_integer(f->link_id));
	else if (f->map_id)
		json_object_set_new(o, "map_id", json_integer(f->map_id));
	else if (f->prog_id)
		json_object_set_new(o, "prog_id", json_integer(f->prog_id));
	json_array_append_new(fds, o);
	return true;
}

/*
 * The fd's fdinfo, read relative to a folder of the process (rel_fmt "%s"
 * in fdinfo/, "../fdinfo/%s" in fd/) into a buffer on the stack (a bpf
 * fd's fdinfo is a few hundred bytes).
 */
static int fdinfo_at(int dir, const char *rel_fmt, const char *fd, struct sched_fdinfo *ret)
	__attribute__((format(printf, 2, 0)));
static int fdinfo_at(int dir, const char *rel_fmt, const char *fd, struct sched_fdinfo *ret)
{
	char rel[64], text[4096];
	ssize_t n;
	int f;

	snprintf(rel, sizeof(rel), rel_fmt, fd);
	f = openat(dir, rel, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	n = read(f, text, sizeof(text) - 1);
	close(f);
	if (n < 0)
		return -errno;
	text[n] = '\0';
	sched_fdinfo_parse(text, ret);
	return 0;
}

/* Only BPF objects can match: their fd links read "anon_inode:bpf-map", "...:bpf-prog", "...:bpf_link". */
static bool link_is_bpf(const char *target)
{
	return startswith(target, "anon_inode:bpf-map") || startswith(target, "anon_inode:bpf-prog") ||
	       startswith(target, "anon_inode:bpf_link") || startswith(target, "anon_inode:bpf-link");
}

/*
 * The live system: list /proc/PID/fd (fd_dir, ours now) and read the link
 * of each fd (one syscall, no allocation), and the fdinfo of the BPF ones
 * only, through "../fdinfo".
 */
static int scan_fd_links(int fd_dir, const struct sched_bpf_ids *ids, json_t *fds)
{
	struct dirent *fe;
	DIR *d;

	d = fdopendir(fd_dir);
	if (!d) {
		close(fd_dir);
		return -errno;
	}
	while ((fe = readdir(d))) {
		char target[64];
		struct sched_fdinfo f;
		ssize_t n;

		if (!is_pid_name(fe->d_name))
			continue;
		n = readlinkat(fd_dir, fe->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (link_is_bpf(target) && fdinfo_at(fd_dir, "../fdinfo/%s", fe->d_name, &f) == 0)
			fd_matches(&f, ids, fe->d_name, fds);
	}
	closedir(d);
	return 0;
}

/* A captured tree (or a /proc without fd links): every fdinfo. */
static int scan_fdinfo(int pid_dir, const struct sched_bpf_ids *ids, json_t *fds)
{
	int info_dir = openat(pid_dir, "fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *fe;
	DIR *d;

	if (info_dir < 0)
		return -errno;
	d = fdopendir(info_dir);
	if (!d) {
		close(info_dir);
		return -errno;
	}
	while ((fe = readdir(d))) {
		struct sched_fdinfo f;

		if (is_pid_name(fe->d_name) && fdinfo_at(info_dir, "%s", fe->d_name, &f) == 0)
			fd_matches(&f, ids, fe->d_name, fds);
	}
	closedir(d);
	return 0;
}

/*
 * One process: its holder entry, or NULL.  *unreadable is raised when its
 * fds are hidden from us (another user's process, without root).
 */
static json_t *scan_pid(int proc_dir, const char *pid, const struct sched_bpf_ids *ids,
			unsigned *unreadable)
{
	char rel[32];
	json_t *fds, *h;
	int fd_dir, r;

	/* PID/fd straight away: one open per process on the live system. */
	snprintf(rel, sizeof(rel), "%s/fd", pid);
	fd_dir = openat(proc_dir, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd_dir < 0 ? -errno : 0;
	fds = json_array();
	if (fd_dir >= 0) {
		r = scan_fd_links(fd_dir, ids, fds);
	} else if (r == -ENOENT || r == -ENOTDIR) {
		/* Gone meanwhile, or a captured tree with no fd/ folder: every fdinfo. */
		int pid_dir = openat(proc_dir, pid, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (pid_dir >= 0) {
			r = scan_fdinfo(pid_dir, ids, fds);
			close(pid_dir);
		}
	}
	if (r == -EACCES || r == -EPERM)
		(*unreadable)++;
	if (!json_array_size(fds)) {
		json_decref(fds);
		return NULL;
	}
	h = json_object();
	json_object_set_new(h, "pid", json_number_or_string(pid));
	json_object_set_new(h, "fds", fds);
	return h;
}

struct scan_part {
	int proc_dir;
	char **pids;
	size_t from, to;
	const struct sched_bpf_ids *ids;
	json_t *holders;
	unsigned unreadable;
};

static void *scan_part(void *arg)
{
	struct scan_part *sp = arg;

	for (size_t i = sp->from; i < sp->to; i++) {
		json_t *h = scan_pid(sp->proc_dir, sp->pids[i], sp->ids, &sp->unreadable);

		if (h)
			json_array_append_new(sp->holders, h);
	}
	return NULL;
}

/*
 * Every process of proc, in its order: the list first, then two halves at
 * once (a second thread from SCAN_SPLIT_AT processes: the probe runs alone,
 * so the collector stays within two CPUs), put back together in order.
 */
#define SCAN_SPLIT_AT 512

static json_t *scan_all(DIR *proc, const struct sched_bpf_ids *ids, unsigned *unreadable)
{
	struct scan_part part[2];
	char **pids = NULL, **more;
	size_t n = 0, cap = 0, half;
	struct dirent *de;
	pthread_t t;
	bool threaded;
	json_t *h;

	while ((de = readdir(proc))) {
		if (!is_pid_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			more = realloc(pids, cap * sizeof(*pids));
			if (!more)
				goto fail;
			pids = more;
		}
		if (!(pids[n] = strdup(de->d_name)))
			goto fail;
		n++;
	}
	half = n >= SCAN_SPLIT_AT ? n / 2 : n;
	part[0] = (struct scan_part){ dirfd(proc), pids, 0, half, ids, json_array(), 0 };
	part[1] = (struct scan_part){ dirfd(proc), pids, half, n, ids, json_array(), 0 };
	threaded = half < n && pthread_create(&t, NULL, scan_part, &part[1]) == 0;
	scan_part(&part[0]);
	if (threaded)
		pthread_join(t, NULL);
	else
		scan_part(&part[1]);
	json_array_extend(part[0].holders, part[1].holders);
	json_decref(part[1].holders);
	*unreadable = part[0].unreadable + part[1].unreadable;
	h = part[0].holders;
	for (size_t i = 0; i < n; i++)
		free(pids[i]);
	free(pids);
	return h;
fail:
	for (size_t i = 0; i < n; i++)
		free(pids[i]);
	free(pids);
	return NULL;
}

/*
 * Linear in processes + fds.  Live, with the BPF walk's ids: one BPF
 * iterator read (holders-iter.c).  Otherwise /proc: every path relative to
 * an open folder, one readlink per fd, an fdinfo read only for BPF fds,
 * nothing allocated per fd.  SCX_HOLDERS_PROCFS=1 forces the /proc walk
 * (scripts/bench-scan.sh times both).
 */
int sched_procscan(const struct scx_probe_ctx *ctx, const struct sched_bpf_ids *ids,
		   json_t **ret_holders, unsigned *ret_unreadable)
{
	char path[PATH_MAX];
	json_t *holders;
	unsigned unreadable = 0;
	DIR *proc;
	int r;

	/* The live system with the walk's ids: ask the kernel (holders-iter.c), else walk /proc. */
	if (ids && !*probe_sysroot(ctx) && !getenv("SCX_HOLDERS_PROCFS") &&
	    sched_holders_iter(ids, &holders) >= 0) {
		*ret_holders = holders;
		if (ret_unreadable)
			*ret_unreadable = 0;
		return (int)json_array_size(holders);
	}
	r = probe_path(ctx, "/proc", path, sizeof(path));
	if (r < 0)
		return r;
	proc = opendir(path);
	if (!proc)
		return -errno;
	holders = scan_all(proc, ids, &unreadable);
	closedir(proc);
	if (!holders)
		return -ENOMEM;
	*ret_holders = holders;
	if (ret_unreadable)
		*ret_unreadable = unreadable;
	return (int)json_array_size(holders);
}

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
