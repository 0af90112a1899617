/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The paired run's workloads.  Built in (threads of this process, all
 * SCHED_OTHER: RT and deadline tasks never run on sched_ext):
 *   wakeup  message threads waking worker threads (schbench-like): the
 *           workers' wakeup latency and requests/s;
 *   pipe    two threads ping-ponging a byte over pipes: round trips/s and
 *           the round-trip time;
 *   mixed   a CPU hog on every CPU plus a periodic (1 ms) thread: how late
 *           that thread wakes, and the hogs' progress.
 * Or the user's reproducer (cmd): run as given with execvp (never a shell),
 * judged by its exit status and duration.
 *
 * Figures (JSON):
 *   latency    {what, count, p50_ns, p90_ns, p99_ns, p999_ns, max_ns, mean_ns}
 *   throughput {what, count, per_s}
 *   cmd:       {exit_status | signal, failed, timed_out, duration_s, output_tail}
 */
#pragma once

/* comm of every workload thread (at most 15 characters). */
#define SCX_WL_THREAD_NAME "scx-report-wl"

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

struct scx_workload_opts {
	const char *name;			/* wakeup | pipe | mixed | cmd */
	char **cmd;				/* argv, for cmd */
	unsigned duration_ms;			/* built-in: how long; cmd: ignored */
	unsigned cmd_timeout_ms;		/* cmd: killed after this (0: none) */
	volatile sig_atomic_t *interrupted;	/* stop early when it turns non-zero */
};

/* The i-th built-in workload's name (wakeup, pipe, mixed), NULL past the last. */
const char *scx_workload_name(size_t i);
bool scx_workload_known(const char *name);

/*
 * Run one workload to its end and return its figures.  -ENOENT / -EACCES
 * etc. when the reproducer cannot be started at all (err says why), -EINTR
 * when interrupted (no figures).
 */
int scx_workload_run(const struct scx_workload_opts *o, json_t **ret_figures, char *err,
		     size_t errlen);

/* ---- shared by the workload files ---------------------------------------- */

/* A workload's latency figure from the one histogram (lib/hist.h): its stats and "what". */
json_t *scx_lathist_json(const struct lat_hist *h, const char *what);
json_t *scx_throughput_json(const char *what, uint64_t count, uint64_t elapsed_ns);

/* Stop flag shared by a workload's threads. */
struct scx_wl_run {
	volatile int stop;
	unsigned ncpus;
};

/*
 * Start nthreads threads (fn(arg_i)) with SIGINT/SIGTERM/SIGHUP blocked in
 * them, wait duration_ms (or until interrupted), set run->stop, call
 * wake(wake_arg) so blocked threads see it, join all.  Returns elapsed ns or
 * -errno.
 */
int64_t scx_wl_drive(struct scx_wl_run *run, unsigned nthreads, void *(*fn)(void *),
		     void *args, size_t arg_size, void (*wake)(void *), void *wake_arg,
		     const struct scx_workload_opts *o);

int scx_workload_wakeup(const struct scx_workload_opts *o, json_t **ret);
int scx_workload_pipe(const struct scx_workload_opts *o, json_t **ret);
int scx_workload_mixed(const struct scx_workload_opts *o, json_t **ret);
int scx_workload_cmd(const struct scx_workload_opts *o, json_t **ret, char *err, size_t errlen);

