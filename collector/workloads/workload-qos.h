/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QoS battery's own workloads (scx-report qos), beside the paired run's
 * wakeup, pipe and mixed (workload.h).  All SCHED_OTHER, threads (or, for
 * the cgroup check, child processes) named scx-report-wl.  Each is one file:
 *   fork       process creation and exit: spawns per second, spawn time;
 *   messaging  hackbench-style groups of senders and receivers over
 *              socketpairs: time to complete one round of messages;
 *   cpu        more CPU-bound threads than CPUs: work per second and
 *              Jain's fairness index over the threads' progress;
 *   nice       nice 0 and nice 10 hogs: the nice-0 share of the work
 *              against the kernel's weight table (1024 vs 110);
 *   cgroup     hogs in two cgroups v2 with cpu.weight 100 and 300: the
 *              heavier cgroup's share against 3/4 (run by the wing that
 *              changes the system, collector/change/workload-cgroup.h;
 *              its figures are here).
 * The figures are computed by the pure functions below, which the unit
 * tests check on known inputs.
 */
#pragma once

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "workload.h"

int scx_workload_fork(const struct scx_workload_opts *o, json_t **ret);
int scx_workload_messaging(const struct scx_workload_opts *o, json_t **ret);
int scx_workload_cpu(const struct scx_workload_opts *o, json_t **ret);
int scx_workload_nice(const struct scx_workload_opts *o, json_t **ret);
/* The cgroup check makes cgroups: scx_workload_cgroup() is in collector/change/workload-cgroup.h. */

/* ---- pure figures ------------------------------------------------------- */

/*
 * Jain's fairness index of n allocations: (sum x)^2 / (n * sum x^2), 1 when
 * all are equal, 1/n when one gets everything.  NAN when n == 0 or all are 0.
 */
double scx_jain_index(const double *x, size_t n);

/* The kernel's sched_prio_to_weight[] for nice -20..19 (nice 0: 1024); 0 outside. */
unsigned scx_nice_weight(int nice);

/* Expected CPU share of weight a against weight b, when both always want to run. */
double scx_share_expected(double weight_a, double weight_b);

/* Share of a in a + b (NAN when both are 0). */
double scx_share_measured(double work_a, double work_b);

/*
 * How far a measured share is from the expected one, in share points
 * (|measured - expected|, 0..1): the fairness rows' figure, lower is better.
 */
double scx_share_error(double measured, double expected);

/*
 * The ratio a:b achieved from a share of a, (s / (1 - s)): what to compare
 * with the configured weight ratio.  INFINITY when s == 1, NAN outside [0, 1].
 */
double scx_share_to_ratio(double share_a);

/* Start one named, SCHED_OTHER thread with the termination signals blocked. */
int scx_wl_thread_start(pthread_t *ret, void *(*fn)(void *), void *arg);

/*
 * Set share (measured), share_error (against expected) and achieved_ratio
 * in o, null where the share is not finite; returns o.
 */
json_t *scx_share_fill(json_t *o, double share, double expected);

/* The nice check's figures from the work of its nice-0 and nice-10 threads. */
json_t *scx_nice_figures(double work_nice0, double work_low);
/* The cgroup check's figures from the work done in its light and heavy cgroup. */
json_t *scx_cgroup_figures(double work_light, double work_heavy, unsigned weight_light,
			   unsigned weight_heavy);
