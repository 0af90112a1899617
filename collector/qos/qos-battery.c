// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QoS battery: which workloads, which of their figures make scorecard
 * rows, and which way is better.  The workloads themselves are one file
 * each (workload-*.c); docs/qos.md says why each row matters.
 */
#include "qos.h"

#include <string.h>

#include "workload-cgroup.h"
#include "workload-qos.h"

#define LAT(p, label) { p "_ns", "latency." p "_ns", label, "ns", SCX_QOS_LOWER, 0 }
#define RATE(label) { "per_s", "throughput.per_s", label, "/s", SCX_QOS_HIGHER, 0 }

static const struct scx_qos_figure wakeup_figures[] = {
	LAT("p50", "wakeup latency p50"),
	LAT("p99", "wakeup latency p99"),
	RATE("requests per second"),
	{ 0 }
};

static const struct scx_qos_figure mixed_figures[] = {
	/* p50 too: when a scheduler delivers few ticks per second, p99 is their maximum. */
	LAT("p50", "1 ms tick lateness p50 under CPU hogs"),
	LAT("p99", "1 ms tick lateness p99 under CPU hogs"),
	RATE("hog work units per second"),
	{ 0 }
};

static const struct scx_qos_figure pipe_figures[] = {
	RATE("pipe round trips per second"),
	LAT("p99", "pipe round-trip time p99"),
	{ 0 }
};

static const struct scx_qos_figure fork_figures[] = {
	RATE("processes created and reaped per second"),
	LAT("p99", "fork to reaped p99"),
	{ 0 }
};

static const struct scx_qos_figure messaging_figures[] = {
	LAT("p50", "messaging round time p50"),
	{ 0 }
};

static const struct scx_qos_figure cpu_figures[] = {
	RATE("CPU-bound work units per second"),
	{ "jain", "fairness.jain_index", "fairness between equal threads (Jain's index)", "index",
	  SCX_QOS_HIGHER, 0.01 },
	{ 0 }
};

static const struct scx_qos_figure nice_figures[] = {
	{ "share_error", "nice.share_error", "nice 0 vs 10: distance from the weight table's share",
	  "share", SCX_QOS_LOWER, 0.02 },
	{ "share", "nice.share", "nice 0 vs 10: nice-0 share (table: 0.903)", "share", SCX_QOS_INFO, 0 },
	{ 0 }
};

static const struct scx_qos_figure cgroup_figures[] = {
	{ "share_error", "cgroup.share_error", "cpu.weight 100 vs 300: distance from the 0.75 share",
	  "share", SCX_QOS_LOWER, 0.02 },
	{ "share", "cgroup.share", "cpu.weight 100 vs 300: heavier cgroup's share", "share",
	  SCX_QOS_INFO, 0 },
	{ 0 }
};

const struct scx_qos_workload scx_qos_battery[] = {
	{ "wakeup", "schbench-like message and worker threads: wakeup latency, requests/s",
	  .run = scx_workload_wakeup, .figures = wakeup_figures },
	{ "mixed", "a CPU hog per CPU and a 1 ms periodic thread: interactive under load",
	  .run = scx_workload_mixed, .figures = mixed_figures },
	{ "pipe", "two threads ping-ponging a byte over pipes (perf bench sched pipe)",
	  .run = scx_workload_pipe, .figures = pipe_figures },
	{ "fork", "a fork/exec/exit storm: process creation and exit rate",
	  .run = scx_workload_fork, .figures = fork_figures },
	{ "messaging", "hackbench-style senders and receivers over socketpairs: round time",
	  .run = scx_workload_messaging, .figures = messaging_figures },
	{ "cpu", "twice as many CPU hogs as CPUs: throughput and Jain's fairness index",
	  .run = scx_workload_cpu, .figures = cpu_figures },
	{ "nice", "nice 0 and nice 10 hogs: share against the kernel's weight table",
	  .run = scx_workload_nice, .figures = nice_figures },
	{ "cgroup", "hogs in two cgroups v2 with cpu.weight 100 and 300: share against 3/4",
	  .run_why = scx_workload_cgroup, .figures = cgroup_figures },
	{ 0 }
};

const struct scx_qos_workload *scx_qos_workload_find(const char *name)
{
	for (const struct scx_qos_workload *w = scx_qos_battery; w->name; w++)
		if (!strcmp(w->name, name))
			return w;
	return NULL;
}

/* quick: 8 workloads x 3 sides x 5 rounds x 1 s ~ 2 min on 2 CPUs, switching included. */
static const struct scx_qos_suite suites[] = {
	{ "quick", 5, 1000, true },
	{ "full", 8, 3000, true },
	{ 0 }
};

json_t *scx_qos_figures_json(const json_t *workload_names)
{
	static const char *const dirs[] = { "lower", "higher", "info" };
	json_t *a = json_array(), *n;
	size_t i;

	json_array_foreach(workload_names, i, n) {
		const struct scx_qos_workload *w = scx_qos_workload_find(json_string_value(n) ?: "");

		for (const struct scx_qos_figure *f = w ? w->figures : NULL; f && f->name; f++) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "workload", w->name,
					      "figure", f->name, "path", f->path, "label", f->label,
					      "unit", f->unit, "direction", dirs[f->dir]);

			if (f->same_within > 0)
				json_object_set_new(o, "same_within", json_real(f->same_within));
			json_array_append_new(a, o);
		}
	}
	return a;
}

const struct scx_qos_suite *scx_qos_suite_find(const char *name)
{
	for (const struct scx_qos_suite *s = suites; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}
