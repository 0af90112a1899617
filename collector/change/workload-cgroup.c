// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup: CPU hogs in two cgroups v2 with different cpu.weight, one hog per
 * CPU in each.  A scheduler that honours cgroup weights (CFS/EEVDF's group
 * scheduling; a sched_ext scheduler through ops.cgroup_set_weight) gives the
 * heavier cgroup weight_heavy / (weight_light + weight_heavy) of the CPU.
 *
 * The hogs are child processes (a cgroup v2 holds whole processes unless it
 * is threaded), named scx-report-wl, killed if we die (PR_SET_PDEATHSIG).
 * The cgroups are made for the run and removed after it:
 *   /sys/fs/cgroup/scx-report-qos.PID/{light,heavy}
 * and the cpu controller is enabled in the root's cgroup.subtree_control
 * only when it was not, and disabled again afterwards.  Leftovers of a
 * killed run (a PID that no longer exists) are removed at the next run,
 * and the root's cpu controller disabled again when that run had enabled
 * it (its folder's name ends in .cpu).
 * Needs root, cgroup v2 on /sys/fs/cgroup and its cpu controller (else
 * -EOPNOTSUPP and why).
 */
#include "workload-cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define CG_ROOT "/sys/fs/cgroup"
#define CG_PREFIX "scx-report-qos."
/* Marks a run that enabled the root's cpu controller, for the cleanup after a killed run. */
#define CG_ENABLED_SUFFIX ".cpu"
#define CG_WEIGHT_LIGHT 100u
#define CG_WEIGHT_HEAVY 300u
#define CG_UNIT 4096u
#define CG_MAX_PER_GROUP 16u

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static bool has_word(const char *path, const char *word)
{
	char buf[512] = "", *tok, *save = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, word))
			return true;
	return false;
}

/* rmdir, waiting a little for the last exited member to be released. */
static int rmdir_wait(const char *path)
{
	for (int i = 0; i < 100; i++) {
		struct timespec ts = { 0, 10000000 };

		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		nanosleep(&ts, NULL);
	}
	return -EBUSY;
}

static void remove_tree(const char *base)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/light", base);
	rmdir_wait(p);
	snprintf(p, sizeof(p), "%s/heavy", base);
	rmdir_wait(p);
	rmdir_wait(base);
}

/* Cgroups of earlier runs that were killed before they could remove them. */
static void remove_stale(void)
{
	DIR *d = opendir(CG_ROOT);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char base[512];
		long pid;

		if (strncmp(e->d_name, CG_PREFIX, strlen(CG_PREFIX)))
			continue;
		pid = strtol(e->d_name + strlen(CG_PREFIX), NULL, 10);
		if (pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH)) {
			snprintf(base, sizeof(base), "%s/%s", CG_ROOT, e->d_name);
			remove_tree(base);
			/* That run had enabled the root's cpu controller: disable it again. */
			if (endswith(e->d_name, CG_ENABLED_SUFFIX))
				write_str(CG_ROOT "/cgroup.subtree_control", "-cpu");
		}
	}
	if (d)
		closedir(d);
}

struct cg_shared {
	volatile int stop;
	uint64_t units[2 * CG_MAX_PER_GROUP];
};

static void hog_child(struct cg_shared *sh, unsigned i, int go_fd, pid_t parent)
{
	volatile uint64_t sink = 0;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	prctl(PR_SET_NAME, SCX_WL_THREAD_NAME);
	/* Blocks until the parent has put every hog into its cgroup. */
	if (read(go_fd, &c, 1) < 0)
		_exit(1);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		for (unsigned k = 0; k < CG_UNIT; k++)
			sink += k;
		__atomic_store_n(&sh->units[i], sh->units[i] + 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

static int prepare(char *base, size_t baselen, bool *ret_root_enabled, char *why, size_t whylen)
{
	char p[512], w[16];
	struct statfs sf;

	if (statfs(CG_ROOT, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
		return errmsg(why, whylen, -EOPNOTSUPP, "no cgroup v2 hierarchy on " CG_ROOT);
	if (!has_word(CG_ROOT "/cgroup.controllers", "cpu"))
		return errmsg(why, whylen, -EOPNOTSUPP, "the cgroup v2 cpu controller is not available "
			      "(" CG_ROOT "/cgroup.controllers has no cpu)");
	remove_stale();
	*ret_root_enabled = false;
	if (!has_word(CG_ROOT "/cgroup.subtree_control", "cpu")) {
		int r = write_str(CG_ROOT "/cgroup.subtree_control", "+cpu");

		if (r < 0)
			return errmsg(why, whylen, r == -EACCES || r == -EPERM ? -EPERM : -EOPNOTSUPP,
				      "cannot enable the cpu controller in " CG_ROOT
				      "/cgroup.subtree_control: %s", strerror(-r));
		*ret_root_enabled = true;
	}
	snprintf(base, baselen, CG_ROOT "/" CG_PREFIX "%d%s", (int)getpid(),
		 *ret_root_enabled ? CG_ENABLED_SUFFIX : "");
	if (mkdir(base, 0755) < 0)
		return errmsg(why, whylen, -errno, "%s: %s", base, strerror(errno));
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", base);
	if (write_str(p, "+cpu") < 0)
		return errmsg(why, whylen, -EOPNOTSUPP, "%s: cannot enable cpu: %s", p, strerror(errno));
	for (int g = 0; g < 2; g++) {
		snprintf(p, sizeof(p), "%s/%s", base, g ? "heavy" : "light");
		if (mkdir(p, 0755) < 0)
			return errmsg(why, whylen, -errno, "%s: %s", p, strerror(errno));
		snprintf(p, sizeof(p), "%s/%s/cpu.weight", base, g ? "heavy" : "light");
		snprintf(w, sizeof(w), "%u", g ? CG_WEIGHT_HEAVY : CG_WEIGHT_LIGHT);
		if (write_str(p, w) < 0)
			return errmsg(why, whylen, -errno, "%s: %s", p, strerror(errno));
	}
	return 0;
}

/* Fork the hogs, put them into their cgroups, let them run; returns elapsed ns or -errno. */
static int64_t run_hogs(const char *base, struct cg_shared *sh, unsigned per_group,
			const struct scx_workload_opts *o, char *why, size_t whylen)
{
	pid_t pids[2 * CG_MAX_PER_GROUP], parent = getpid();
	unsigned n = 2 * per_group, started = 0;
	int go[2], r = 0;
	uint64_t t0, deadline;

	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	for (; started < n; started++) {
		char p[512], pid_s[16];

		pids[started] = fork();
		if (pids[started] == 0) {
			close(go[1]);
			hog_child(sh, started, go[0], parent);
		}
		if (pids[started] < 0) {
			r = errmsg(why, whylen, -errno, "fork: %s", strerror(errno));
			break;
		}
		snprintf(p, sizeof(p), "%s/%s/cgroup.procs", base, started % 2 ? "heavy" : "light");
		snprintf(pid_s, sizeof(pid_s), "%d", (int)pids[started]);
		if ((r = write_str(p, pid_s)) < 0) {
			errmsg(why, whylen, r, "%s: %s", p, strerror(-r));
			started++;
			break;
		}
	}
	close(go[0]);
	if (r < 0)
		__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	t0 = now_mono_ns();
	close(go[1]);	/* go */
	deadline = t0 + (uint64_t)o->duration_ms * 1000000ull;
	while (r == 0 && now_mono_ns() < deadline && !(o->interrupted && *o->interrupted)) {
		struct timespec ts = { 0, 20000000 };

		nanosleep(&ts, NULL);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	{
		uint64_t elapsed = now_mono_ns() - t0;

		for (unsigned i = 0; i < started; i++)
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
		if (r == 0 && o->interrupted && *o->interrupted)
			r = -EINTR;
		return r < 0 ? r : (int64_t)elapsed;
	}
}

int scx_workload_cgroup(const struct scx_workload_opts *o, json_t **ret, char *why, size_t whylen)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned per_group = ncpu > 0 ? (ncpu > CG_MAX_PER_GROUP ? CG_MAX_PER_GROUP : (unsigned)ncpu) : 1;
	struct cg_shared *sh;
	bool root_enabled = false;
	uint64_t work[2] = { 0, 0 };
	char base[256];
	int64_t elapsed;
	int r;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -errno;
	base[0] = '\0';
	r = prepare(base, sizeof(base), &root_enabled, why, whylen);
	elapsed = r < 0 ? r : run_hogs(base, sh, per_group, o, why, whylen);
	if (base[0])
		remove_tree(base);
	/* Put the root's controllers back as they were. */
	if (root_enabled)
		write_str(CG_ROOT "/cgroup.subtree_control", "-cpu");
	if (elapsed >= 0) {
		for (unsigned i = 0; i < 2 * per_group; i++)
			work[i % 2] += sh->units[i];
		*ret = json_pack("{s:o, s:o, s:b, s:I}",
				 "cgroup", scx_cgroup_figures((double)work[0], (double)work[1],
							      CG_WEIGHT_LIGHT, CG_WEIGHT_HEAVY),
				 "throughput", scx_throughput_json("work units", work[0] + work[1],
								   (uint64_t)elapsed),
				 "enabled_cpu_controller_for_the_run", root_enabled,
				 "hogs_per_cgroup", (json_int_t)per_group);
	}
	munmap(sh, sizeof(*sh));
	return elapsed < 0 ? (int)elapsed : 0;
}
