/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scheduling latency histograms from BPF (bpf/latency.bpf.c): the user-space
 * API used by the latency probe, the `latency` verb and the paired run.  The
 * histogram math behind it is lib/hist.h (no BPF needed).
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hist.h"
#include "latency.h"
#include "latency-source.h"

/* ---- the live probe (probes/latency-bpf.c) ------------------------------ */

struct scx_latency;

struct scx_latency_opts {
	pid_t pid;		/* only this thread group's tasks (0: all) */
	const char *cgroup;	/* only this cgroup v2 and below (NULL: all) */
	bool stats;		/* enable bpf_stats for our own cost */
	enum scx_latency_source source;
};

/* Load and attach; -errno, with a one-line reason in err. */
int scx_latency_open(const struct scx_latency_opts *opts, struct scx_latency **ret,
		     char *err, size_t errlen);
/* Zero all histograms and counters: the start of a measured window. */
int scx_latency_reset(struct scx_latency *l);
/* The report's "latency" object for the window since open/reset. */
json_t *scx_latency_snapshot(struct scx_latency *l);
/* The same with the sparse buckets of every histogram (latency/latency.json). */
json_t *scx_latency_snapshot_full(struct scx_latency *l);
/* Detach, unload, restore the bpf_stats setting.  NULL-safe. */
void scx_latency_close(struct scx_latency *l);

/*
 * A --cgroup argument (a cgroup2 folder, or a path inside the hierarchy as in
 * /proc/PID/cgroup) to its id and level; -errno and one line in err otherwise.
 */
int scx_latency_cgroup_resolve(const char *path, uint64_t *ret_id, int *ret_level, char *err,
			       size_t errlen);
