// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fork: a process-creation storm.  One thread per CPU (at most 8) forks a
 * child that execs true(1) (or only exits where there is none) and reaps
 * it, over and over: the shell-script and build-system pattern, where every
 * new task is placed by the scheduler (wake_up_new_task) and every exit wakes
 * its parent.  Figures: processes created and reaped per second, and the
 * time from fork to reaping.
 */
#include "workload-qos.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORK_MAX_THREADS 8u

static const char *const true_paths[] = { "/bin/true", "/usr/bin/true", NULL };

struct fork_thread {
	struct scx_wl_run *run;
	const char *exe;		/* NULL: the child only exits */
	uint64_t spawned;
	int err;
	struct lat_hist hist;
};

static void *fork_main(void *arg)
{
	struct fork_thread *t = arg;
	char *const argv[] = { "true", NULL }, *const envp[] = { NULL };

	while (!__atomic_load_n(&t->run->stop, __ATOMIC_RELAXED)) {
		uint64_t t0 = now_mono_ns();
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			if (t->exe)
				execve(t->exe, argv, envp);
			_exit(0);
		}
		if (pid < 0) {
			t->err = errno;
			break;
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		lat_hist_add(&t->hist, now_mono_ns() - t0);
		t->spawned++;
	}
	return NULL;
}

int scx_workload_fork(const struct scx_workload_opts *o, json_t **ret)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct scx_wl_run run = { .ncpus = ncpu > 0 ? (unsigned)ncpu : 1 };
	unsigned n = run.ncpus > FORK_MAX_THREADS ? FORK_MAX_THREADS : run.ncpus;
	struct fork_thread *t = calloc(n, sizeof(*t));
	struct lat_hist *total = calloc(1, sizeof(*total));
	const char *exe = NULL;
	uint64_t spawned = 0;
	int64_t elapsed;
	int r = 0;

	if (!t || !total) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; true_paths[i] && !exe; i++)
		if (access(true_paths[i], X_OK) == 0)
			exe = true_paths[i];
	for (unsigned i = 0; i < n; i++) {
		t[i].run = &run;
		t[i].exe = exe;
	}
	elapsed = scx_wl_drive(&run, n, fork_main, t, sizeof(*t), NULL, NULL, o);
	if (elapsed < 0) {
		r = (int)elapsed;
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		if (t[i].err && !t[i].spawned) {
			r = -t[i].err;
			goto out;
		}
		spawned += t[i].spawned;
		lat_hist_merge(total, &t[i].hist, 1);
	}
	*ret = json_pack("{s:o, s:o, s:s, s:I}",
			 "latency", scx_lathist_json(total, "fork to reaped child"),
			 "throughput", scx_throughput_json("processes", spawned, (uint64_t)elapsed),
			 "child", exe ? exe : "_exit(0) (no true(1) found)", "threads", (json_int_t)n);
out:
	free(t);
	free(total);
	return r;
}
