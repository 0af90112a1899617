// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who holds the scheduler: /proc/PID/fdinfo/FD of a bpf fd carries map_type
 * and prog_tag (4.10), map_id and prog_id (about 4.14), link_type and
 * link_id (5.8).  We scan every
 * process's fdinfo (only our own uid's without root) for the ids the BPF walk
 * found, or, without a walk (--sysroot, non-root), for struct_ops maps
 * (map_type 26, BPF_MAP_TYPE_STRUCT_OPS, 5.6) and struct_ops links.
 * What is then read of the holding process is in process-info.c.
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
