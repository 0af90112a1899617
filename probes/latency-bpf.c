// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live side of the latency histograms: load bpf/latency.bpf.c through
 * its skeleton, attach it, read and zero its per-CPU maps, and measure its
 * own cost with BPF run-time statistics.
 *
 * Three ways to load it, tried in this order (latency-api.h):
 *   run-delay  one tp_btf program on sched_switch reading the kernel's own
 *              sched_info.run_delay (CONFIG_SCHED_INFO; live since 5.14
 *              without delay accounting or schedstats turned on);
 *   clock      tp_btf programs on sched_wakeup, sched_wakeup_new and
 *              sched_switch with their own clock readings;
 *   raw_tp     the clock programs as raw tracepoints, with a tid hash.
 *
 * Kernel interfaces: tracepoints sched_wakeup, sched_wakeup_new,
 * sched_switch as tp_btf (5.5) with task-local storage in tracing programs
 * (5.11), or as raw_tp (4.17) with a tid hash; BPF_ENABLE_STATS (5.8) and
 * bpf_prog_info run_time_ns/run_cnt (5.1); cgroup v2 ids (5.5: the inode
 * number of the cgroup folder is its kernfs id).
 *
 * SCX_LATENCY_ATTACH=raw_tp in the environment forces the fallback (tests).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "latency-api.h"
#include "paths.h"
#include "util.h"
#include "latency.skel.h"

#define CGROUP2_MAGIC 0x63677270
#define RAW_TP_TASKS 65536	/* tid hash size of the raw_tp fallback */

struct lat_prog {
	const char *name;		/* as in the report: the tp_btf program's name */
	struct bpf_program *prog;
	uint64_t base_time, base_cnt;
};

enum lat_mode { MODE_RUN_DELAY, MODE_CLOCK, MODE_RAW_TP };

/* The report's "attach" of each, and its name in messages. */
static const char *const mode_attach[] = { "tp_btf", "tp_btf", "raw_tp" };
static const char *const mode_name[] = { "run-delay", "tp_btf", "raw_tp" };

struct scx_latency {
	struct latency_bpf *skel;
	enum lat_mode mode;
	int stats_fd;			/* BPF_ENABLE_STATS: the kernel undoes it on close */
	bool stats_on;
	char stats_note[128];
	char attach_note[384];		/* why an earlier way was not used */
	unsigned n_cpus;		/* possible CPUs: the stride of per-CPU values */
	uint64_t start_ns;
	pid_t pid;
	char *cgroup;
	uint64_t cgroup_id;
	struct lat_prog progs[4];
	unsigned n_progs;
};

/*
 * libbpf's messages would go to stderr; keep the telling line for the
 * reason instead (the verifier's complaint, not "failed to load object").
 * SCX_LATENCY_DEBUG=1 lets them through.
 */
static char libbpf_last[200];

static bool telling(const char *line)
{
	static const char *const noise[] = {
		"-- END PROG LOAD LOG", "-- BEGIN PROG LOAD LOG", "processed ",
		"libbpf: failed to load object", "verification time",
	};

	if (!*line || strstr(line, "failed to load: -"))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(noise); i++)
		if (startswith(line, noise[i]))
			return false;
	return true;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[4096], *line, *save = NULL;

	if (getenv("SCX_LATENCY_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (telling(strstrip(line)))
			snprintf(libbpf_last, sizeof(libbpf_last), "%s", line);
	return 0;
}

/* Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup, or .../unified on hybrid systems. */
static int cgroup2_root(char *buf, size_t len)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mounts", "re");
	char line[1024], dev[256], dir[PATH_MAX], type[64];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %4095s %63s", dev, dir, type) == 3 && !strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			return 0;
		}
	return -ENOENT;
}

int scx_latency_cgroup_resolve(const char *path, uint64_t *ret_id, int *ret_level,
			  char *err, size_t errlen)
{
	char full[PATH_MAX], real[PATH_MAX], up[PATH_MAX];
	struct statfs sf;
	struct stat st, st_up;
	int level = 0;

	/* A folder of a cgroup2 mount, or a path inside the hierarchy (as in /proc/PID/cgroup). */
	if (statfs(path, &sf) == 0 && sf.f_type == CGROUP2_MAGIC) {
		snprintf(full, sizeof(full), "%s", path);
	} else {
		char root[PATH_MAX];

		if (cgroup2_root(root, sizeof(root)) < 0) {
			snprintf(err, errlen, "cgroup '%s': no cgroup v2 hierarchy is mounted", path);
			return -ENOENT;
		}
		snprintf(full, sizeof(full), "%s%s%s", root, path[0] == '/' ? "" : "/", path);
	}
	if (!realpath(full, real) || stat(real, &st) < 0) {
		snprintf(err, errlen, "cgroup '%s': %s (looked for %s)", path,
			 errno == ENOENT ? "no such cgroup" : scx_path_words(errno, SCX_PATH_DIR), full);
		return -errno;
	}
	if (statfs(real, &sf) < 0 || sf.f_type != CGROUP2_MAGIC || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cgroup '%s': %s is not a cgroup v2 folder", path, real);
		return -EINVAL;
	}
	/* Its level: how many parents up the cgroup2 mount still goes. */
	snprintf(up, sizeof(up), "%s", real);
	for (;;) {
		char *slash = strrchr(up, '/');

		if (!slash || slash == up)
			break;
		*slash = '\0';
		if (statfs(up, &sf) < 0 || sf.f_type != CGROUP2_MAGIC ||
		    stat(up, &st_up) < 0 || st_up.st_dev != st.st_dev)
			break;
		level++;
	}
	*ret_id = (uint64_t)st.st_ino;
	*ret_level = level;
	return 0;
}

int scx_latency_source_parse(const char *s, enum scx_latency_source *ret)
{
	if (!strcmp(s, "run-delay"))
		*ret = SCX_LATENCY_RUN_DELAY;
	else if (!strcmp(s, "clock"))
		*ret = SCX_LATENCY_CLOCK;
	else
		return -EINVAL;
	return 0;
}

/*
 * Does the kernel keep sched_info for every task?  /proc/PID/schedstat
 * exists with CONFIG_SCHED_INFO; its third figure (runs on a CPU) stays 0
 * where sched_info is off (before 5.14: without delay accounting and
 * schedstats), and this process has run at least once.
 */
static bool run_delay_kept(char *why, size_t len)
{
	_cleanup_free_ char *line = NULL;
	unsigned long long run, delay, runs;

	if (read_one_line("/proc/self/schedstat", &line) < 0) {
		snprintf(why, len, "no /proc/self/schedstat (no CONFIG_SCHED_INFO)");
		return false;
	}
	if (sscanf(line, "%llu %llu %llu", &run, &delay, &runs) != 3 || runs == 0) {
		snprintf(why, len, "the kernel keeps no run_delay (/proc/self/schedstat counts no runs)");
		return false;
	}
	return true;
}

static void set_mode(struct latency_bpf *skel, enum lat_mode mode)
{
	struct bpf_program *clock_progs[] = { skel->progs.lat_wakeup, skel->progs.lat_wakeup_new,
					      skel->progs.lat_switch };
	struct bpf_program *raw_progs[] = { skel->progs.lat_wakeup_raw,
					    skel->progs.lat_wakeup_new_raw,
					    skel->progs.lat_switch_raw, skel->progs.lat_free_raw };

	for (size_t i = 0; i < ARRAY_SIZE(clock_progs); i++)
		bpf_program__set_autoload(clock_progs[i], mode == MODE_CLOCK);
	for (size_t i = 0; i < ARRAY_SIZE(raw_progs); i++)
		bpf_program__set_autoload(raw_progs[i], mode == MODE_RAW_TP);
	bpf_program__set_autoload(skel->progs.lat_switch_rd, mode == MODE_RUN_DELAY);
	bpf_map__set_autocreate(skel->maps.task_rd, mode == MODE_RUN_DELAY);
	bpf_map__set_autocreate(skel->maps.task_lat, mode == MODE_CLOCK);
	if (mode == MODE_RAW_TP) {
		bpf_map__set_max_entries(skel->maps.task_lat_hash, RAW_TP_TASKS);
		bpf_map__set_map_flags(skel->maps.task_lat_hash, BPF_F_NO_PREALLOC);
	} else {
		bpf_map__set_autocreate(skel->maps.task_lat_hash, false);
	}
}

static int load_attach(struct scx_latency *l, enum lat_mode mode, int cglevel, char *err,
		       size_t errlen)
{
	const char *how = mode_name[mode];
	struct latency_bpf *skel;
	int r;

	libbpf_last[0] = '\0';
	skel = latency_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-r));
		return r;
	}
	skel->rodata->filter_on = l->pid || l->cgroup_id;
	skel->rodata->filter_tgid = l->pid;
	skel->rodata->filter_cgid = l->cgroup_id;
	skel->rodata->filter_cglevel = cglevel;
	set_mode(skel, mode);
	r = latency_bpf__load(skel);
	if (r < 0) {
		snprintf(err, errlen, "cannot load the %s programs: %s%s%s", how, strerror(-r),
			 libbpf_last[0] ? ": " : "", libbpf_last);
		latency_bpf__destroy(skel);
		return r;
	}
	/* A task born from now on: its first wait and slice count whole (lat_switch_rd). */
	skel->bss->attach_ns = now_mono_ns();
	r = latency_bpf__attach(skel);
	if (r < 0) {
		snprintf(err, errlen, "cannot attach the %s programs: %s", how, strerror(-r));
		latency_bpf__destroy(skel);
		return r;
	}
	l->skel = skel;
	l->mode = mode;
	switch (mode) {
	case MODE_RAW_TP:
		l->progs[0] = (struct lat_prog){ "lat_wakeup", skel->progs.lat_wakeup_raw };
		l->progs[1] = (struct lat_prog){ "lat_wakeup_new", skel->progs.lat_wakeup_new_raw };
		l->progs[2] = (struct lat_prog){ "lat_switch", skel->progs.lat_switch_raw };
		l->progs[3] = (struct lat_prog){ "lat_free", skel->progs.lat_free_raw };
		l->n_progs = 4;
		break;
	case MODE_CLOCK:
		l->progs[0] = (struct lat_prog){ "lat_wakeup", skel->progs.lat_wakeup };
		l->progs[1] = (struct lat_prog){ "lat_wakeup_new", skel->progs.lat_wakeup_new };
		l->progs[2] = (struct lat_prog){ "lat_switch", skel->progs.lat_switch };
		l->n_progs = 3;
		break;
	case MODE_RUN_DELAY:
		l->progs[0] = (struct lat_prog){ "lat_switch_rd", skel->progs.lat_switch_rd };
		l->n_progs = 1;
		break;
	}
	return 0;
}

/* Why `what` (a way to load) was not used, appended to attach_note. */
static void note_why(struct scx_latency *l, const char *what, const char *why)
{
	size_t used = strlen(l->attach_note);

	snprintf(l->attach_note + used, sizeof(l->attach_note) - used, "%s%s: %s",
		 used ? "; " : "", what, why);
}

/*
 * Try the ways from `first` on; the verifier's refusals come as EACCES too,
 * so any error moves on to the next way, except a plain lack of privilege.
 */
static int load_first_that_works(struct scx_latency *l, enum lat_mode first, int cglevel,
				 char *err, size_t errlen)
{
	int r = -EINVAL;

	for (enum lat_mode m = first; m <= MODE_RAW_TP; m++) {
		r = load_attach(l, m, cglevel, err, errlen);
		if (r >= 0 || ((r == -EPERM || r == -EACCES) && geteuid() != 0))
			return r;
		if (m < MODE_RAW_TP)
			note_why(l, mode_name[m], err);
	}
	if (l->attach_note[0]) {
		size_t used = strlen(err);

		snprintf(err + used, errlen > used ? errlen - used : 0, "; %s", l->attach_note);
	}
	return r;
}

static int prog_stats(const struct lat_prog *p, uint64_t *ret_time, uint64_t *ret_cnt)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p->prog), &info, &len) < 0)
		return -errno;
	*ret_time = info.run_time_ns;
	*ret_cnt = info.run_cnt;
	return 0;
}

int scx_latency_open(const struct scx_latency_opts *opts, struct scx_latency **ret,
		     char *err, size_t errlen)
{
	struct scx_latency *l;
	const char *force = getenv("SCX_LATENCY_ATTACH");
	int cglevel = 0, r, n;

	if (err && errlen)
		err[0] = '\0';
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->stats_fd = -1;
	l->pid = opts ? opts->pid : 0;
	n = libbpf_num_possible_cpus();
	if (n <= 0) {
		snprintf(err, errlen, "cannot count the possible CPUs");
		r = n < 0 ? n : -EINVAL;
		goto fail;
	}
	l->n_cpus = (unsigned)n;
	if (opts && opts->cgroup) {
		l->cgroup = strdup(opts->cgroup);
		if (!l->cgroup) {
			r = -ENOMEM;
			goto fail;
		}
		r = scx_latency_cgroup_resolve(opts->cgroup, &l->cgroup_id, &cglevel, err, errlen);
		if (r < 0)
			goto fail;
	}

	libbpf_set_print(libbpf_quiet);
	if (force && !strcmp(force, "raw_tp")) {
		r = load_attach(l, MODE_RAW_TP, cglevel, err, errlen);
	} else {
		enum scx_latency_source src = opts ? opts->source : SCX_LATENCY_AUTO;
		enum lat_mode first = MODE_CLOCK;
		char why[160];

		if (src != SCX_LATENCY_CLOCK) {
			if (run_delay_kept(why, sizeof(why)))
				first = MODE_RUN_DELAY;
			else if (src == SCX_LATENCY_RUN_DELAY) {
				snprintf(err, errlen, "%s: %s", mode_name[MODE_RUN_DELAY], why);
				r = -EOPNOTSUPP;
				goto fail;
			} else
				note_why(l, mode_name[MODE_RUN_DELAY], why);
		}
		r = load_first_that_works(l, first, cglevel, err, errlen);
	}
	if (r < 0)
		goto fail;

	if (opts && opts->stats) {
		l->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (l->stats_fd < 0)
			snprintf(l->stats_note, sizeof(l->stats_note), "BPF_ENABLE_STATS: %s",
				 strerror(errno));
	}
	if (l->stats_fd < 0) {
		_cleanup_free_ char *v = NULL;

		/* Someone may have it on already: then the figures are there anyway. */
		if (read_one_line("/proc/sys/kernel/bpf_stats_enabled", &v) >= 0 && !strcmp(v, "1"))
			l->stats_on = true;
		else if (!l->stats_note[0])
			snprintf(l->stats_note, sizeof(l->stats_note), "not requested");
	} else {
		l->stats_on = true;
	}

	r = scx_latency_reset(l);
	if (r < 0) {
		snprintf(err, errlen, "cannot zero the histograms: %s", strerror(-r));
		goto fail;
	}
	*ret = l;
	return 0;
fail:
	scx_latency_close(l);
	return r;
}

int scx_latency_reset(struct scx_latency *l)
{
	size_t hsize = (size_t)l->n_cpus * sizeof(struct lat_hist);
	size_t ssize = (size_t)l->n_cpus * sizeof(struct lat_cpu);
	_cleanup_free_ void *zero = calloc(1, ssize);
	__u32 key;

	if (!zero)
		return -ENOMEM;
	for (key = 0; key < LAT_NR_KINDS; key++)
		if (bpf_map__update_elem(l->skel->maps.hists_rt, &key, sizeof(key), zero, hsize,
					 BPF_ANY) < 0)
			return -errno;
	key = 0;
	if (bpf_map__update_elem(l->skel->maps.cpu_state, &key, sizeof(key), zero, ssize,
				 BPF_ANY) < 0)
		return -errno;
	for (unsigned i = 0; i < l->n_progs; i++)
		if (prog_stats(&l->progs[i], &l->progs[i].base_time, &l->progs[i].base_cnt) < 0)
			l->progs[i].base_time = l->progs[i].base_cnt = 0;
	l->start_ns = now_mono_ns();
	return 0;
}

void scx_latency_close(struct scx_latency *l)
{
	if (!l)
		return;
	latency_bpf__destroy(l->skel);
	if (l->stats_fd >= 0)
		close(l->stats_fd);
	free(l->cgroup);
	free(l);
}

/* ---- snapshot ----------------------------------------------------------- */

struct lat_read {
	unsigned n_cpus;
	struct lat_hist *h[LAT_NR_HISTS];	/* n_cpus each */
	struct lat_counts counts;
};

static void lat_read_free(struct lat_read *rd)
{
	for (unsigned i = 0; i < LAT_NR_HISTS; i++)
		free(rd->h[i]);
}

/*
 * Both maps into one histogram per (kind, class), each n_cpus long: the
 * normal class out of every CPU's lat_cpu, the RT/DL class from hists_rt.
 */
static int lat_read(struct scx_latency *l, struct lat_read *rd)
{
	size_t hsize = (size_t)l->n_cpus * sizeof(struct lat_hist);
	_cleanup_free_ struct lat_cpu *s = calloc(l->n_cpus, sizeof(*s));
	__u32 key;

	memset(rd, 0, sizeof(*rd));
	rd->n_cpus = l->n_cpus;
	if (!s)
		return -ENOMEM;
	for (key = 0; key < LAT_NR_HISTS; key++) {
		rd->h[key] = malloc(hsize);
		if (!rd->h[key])
			return -ENOMEM;
	}
	for (key = 0; key < LAT_NR_KINDS; key++)
		if (bpf_map__lookup_elem(l->skel->maps.hists_rt, &key, sizeof(key),
					 rd->h[LAT_HIST_ID(key, LAT_CLASS_RT_DL)], hsize, 0) < 0)
			return -errno;
	key = 0;
	if (bpf_map__lookup_elem(l->skel->maps.cpu_state, &key, sizeof(key), s,
				 (size_t)l->n_cpus * sizeof(*s), 0) < 0)
		return -errno;
	for (unsigned i = 0; i < l->n_cpus; i++) {
		const struct lat_counts *c = &s[i].counts;

		for (unsigned k = 0; k < LAT_NR_KINDS; k++)
			rd->h[LAT_HIST_ID(k, LAT_CLASS_NORMAL)][i] = s[i].normal[k];
		rd->counts.switches += c->switches;
		rd->counts.wakeups += c->wakeups;
		rd->counts.wakeups_new += c->wakeups_new;
		rd->counts.migrations += c->migrations;
		rd->counts.untracked += c->untracked;
		rd->counts.lost += c->lost;
	}
	return 0;
}

/* Stats of one histogram, with its buckets at resolution k (k < 0: none). */
static json_t *hist_json(const struct lat_hist *h, int k)
{
	struct lat_stats s;
	json_t *o;

	lat_hist_stats(h, &s);
	o = lat_stats_json(&s);
	if (k >= 0)
		json_object_set_new(o, k == LAT_K ? "buckets" : "log2_buckets",
				    lat_buckets_json(h, (unsigned)k));
	return o;
}

static json_t *kind_json(const struct lat_read *rd, unsigned kind, bool full)
{
	static const char *const class_names[LAT_NR_CLASSES] = { "normal_ext", "rt_dl" };
	_cleanup_free_ struct lat_hist *m = malloc(sizeof(*m));
	json_t *o, *by_class = json_object(), *per_cpu = json_array();

	if (!m)
		return NULL;
	/* Both classes, all CPUs; then each class; then each CPU. */
	memset(m, 0, sizeof(*m));
	for (unsigned c = 0; c < LAT_NR_CLASSES; c++)
		lat_hist_merge(m, rd->h[LAT_HIST_ID(kind, c)], rd->n_cpus);
	o = hist_json(m, 0);
	if (full)
		json_object_set_new(o, "buckets", lat_buckets_json(m, LAT_K));
	for (unsigned c = 0; c < LAT_NR_CLASSES; c++) {
		memset(m, 0, sizeof(*m));
		lat_hist_merge(m, rd->h[LAT_HIST_ID(kind, c)], rd->n_cpus);
		json_object_set_new(by_class, class_names[c], hist_json(m, full ? LAT_K : -1));
	}
	for (unsigned cpu = 0; cpu < rd->n_cpus; cpu++) {
		uint64_t n = 0;
		json_t *one;

		memset(m, 0, sizeof(*m));
		for (unsigned c = 0; c < LAT_NR_CLASSES; c++)
			lat_hist_merge(m, &rd->h[LAT_HIST_ID(kind, c)][cpu], 1);
		for (unsigned i = 0; i < LAT_BUCKETS; i++)
			n += m->slots[i];
		if (!n)
			continue;	/* nothing of this kind on this CPU */
		one = hist_json(m, full ? LAT_K : -1);
		json_object_set_new(one, "cpu", json_integer(cpu));
		json_array_append_new(per_cpu, one);
	}
	json_object_set_new(o, "by_class", by_class);
	json_object_set_new(o, "per_cpu", per_cpu);
	return o;
}

static json_t *overhead_json(struct scx_latency *l, uint64_t elapsed_ns)
{
	json_t *o = json_object(), *progs = json_object();
	uint64_t tot_time = 0, tot_cnt = 0;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	for (unsigned i = 0; i < l->n_progs; i++) {
		uint64_t t = 0, c = 0;

		if (prog_stats(&l->progs[i], &t, &c) < 0)
			continue;
		t -= l->progs[i].base_time;
		c -= l->progs[i].base_cnt;
		tot_time += t;
		tot_cnt += c;
		json_object_set_new(progs, l->progs[i].name,
			json_pack("{sI sI so}", "run_cnt", (json_int_t)c, "run_time_ns", (json_int_t)t,
				  "ns_per_event", c && l->stats_on ? json_real((double)t / (double)c)
								   : json_null()));
	}
	json_object_set_new(o, "bpf_stats", json_boolean(l->stats_on));
	if (l->stats_note[0] && !l->stats_on)
		json_object_set_new(o, "reason", json_string(l->stats_note));
	json_object_set_new(o, "run_cnt", json_integer((json_int_t)tot_cnt));
	json_object_set_new(o, "run_time_ns", json_integer((json_int_t)tot_time));
	json_object_set_new(o, "ns_per_event", tot_cnt && l->stats_on ?
			    json_real((double)tot_time / (double)tot_cnt) : json_null());
	json_object_set_new(o, "cpu_share", elapsed_ns && online > 0 && l->stats_on ?
			    json_real((double)tot_time / ((double)elapsed_ns * (double)online)) :
			    json_null());
	json_object_set_new(o, "programs", progs);
	return o;
}

static json_t *snapshot(struct scx_latency *l, bool full)
{
	static const char *const kind_names[LAT_NR_KINDS] = { "runq", "preempt", "slice" };
	struct lat_read rd;
	uint64_t elapsed;
	json_t *o;
	int r;

	if (!l)
		return NULL;
	r = lat_read(l, &rd);
	elapsed = now_mono_ns() - l->start_ns;
	if (r < 0) {
		lat_read_free(&rd);
		return json_pack("{ss ss}", "status", "failed", "reason", "cannot read the BPF maps");
	}
	o = json_object();
	json_object_set_new(o, "status", json_string("ok"));
	json_object_set_new(o, "duration_s", json_real((double)(elapsed / 1000000) / 1000.0));
	json_object_set_new(o, "attach", json_string(mode_attach[l->mode]));
	json_object_set_new(o, "source", json_string(l->mode == MODE_RUN_DELAY ? "run_delay"
										: "clock"));
	if (l->attach_note[0])
		json_object_set_new(o, "attach_note", json_string(l->attach_note));
	for (unsigned k = 0; k < LAT_NR_KINDS; k++)
		json_object_set_new(o, kind_names[k], kind_json(&rd, k, full));
	/* run-delay sees no wakeup of a task still on a CPU: null, not 0. */
	json_object_set_new(o, "counts", json_pack("{sI sI sI sI so sI}",
		"switches", (json_int_t)rd.counts.switches,
		"wakeups", (json_int_t)rd.counts.wakeups,
		"wakeups_new", (json_int_t)rd.counts.wakeups_new,
		"migrations", (json_int_t)rd.counts.migrations,
		"wakeups_while_running", l->mode == MODE_RUN_DELAY ? json_null()
				: json_integer((json_int_t)rd.counts.untracked),
		"lost", (json_int_t)rd.counts.lost));
	json_object_set_new(o, "overhead", overhead_json(l, elapsed));
	json_object_set_new(o, "filter", json_pack("{so so so}",
		"pid", l->pid ? json_integer(l->pid) : json_null(),
		"cgroup", l->cgroup ? json_string(l->cgroup) : json_null(),
		"cgroup_id", l->cgroup ? json_integer((json_int_t)l->cgroup_id) : json_null()));
	json_object_set_new(o, "buckets", json_pack("{si si sf ss}", "k", LAT_K,
		"count", LAT_BUCKETS, "error_bound", 0.016, "unit", "ns"));
	lat_read_free(&rd);
	return o;
}

json_t *scx_latency_snapshot(struct scx_latency *l)
{
	return snapshot(l, false);
}

json_t *scx_latency_snapshot_full(struct scx_latency *l)
{
	return snapshot(l, true);
}
