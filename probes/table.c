// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe table: one row per data source, in run order.  Later rows see
 * the results of earlier ones (the scheduler identity probe reads what the
 * sched_ext probe found).  Add a probe: one file in probes/, one row here.
 */
#include "probe.h"
#include "boots.h"
#include "probes.h"
#include "spool.h"

const struct scx_probe scx_probes[] = {
	{ "kernel", "kernel release, config, BTF, taint", 0, 5000, probe_kernel, NULL },
	{ "sched_ext", "/sys/kernel/sched_ext state and counters", 0, 5000, probe_sched_ext, NULL },
	{ "kmsg", "sched_ext history from the kernel log", 0, 10000, probe_kmsg, NULL },
	{ "journal", "earlier boots' kernel log from the journal", 0, 60000, probe_boots_journal, NULL },
	{ "kernlog", "earlier boots' kernel log from rsyslog's kern.log", 0, 20000, probe_kernlog, NULL },
	{ "pstore", "oops and panic records kept for the next boot (pstore)", 0, 10000, probe_pstore, NULL },
	{ "boots", "this and earlier boots put together", 0, 5000, probe_boots, NULL },
	{ "capture", "what scx-report watch saw at an ejection (debug dump)", 0, 5000, probe_capture, NULL },
	{ "spool", "the newest watch captures of this and the previous boot", 0, 10000, probe_spool, NULL },
	{ "environment", "RT and deadline tasks, RT throttling, ext server, BPF JIT", 0, 10000, probe_environment, NULL },
	{ "known_issues", "failure signatures with a known fix (known-issues.d)", 0, 5000, probe_known_issues, NULL },
	{ "system", "CPU topology, cpufreq, isolation, load, tasks on sched_ext", 0, 5000, probe_system, NULL },
	{ "scheduler", "the active scheduler: BPF identity, process, binary provenance, manager", 0, 60000, probe_scheduler, NULL },
	{ "hang_readiness", "what a hard hang would leave: lockup detectors, pstore, kdump, journal", 0, 5000, probe_hang_ready, NULL },
	{ "scheduler_output", "where the scheduler's stdout and stderr go, and their last part", 0, 5000, probe_sched_output, NULL },
	{ "stats", "the scheduler's own statistics (scx_stats): metadata and a first sample", 0, 10000, probe_stats, NULL },
	{ "latency", "scheduling latency histograms (BPF tracepoints)", SCX_NEED_ROOT | SCX_NEED_LIVE | SCX_PROBE_TIMED, 10000, probe_latency, probe_latency_enabled },
	{ "stats_end", "the scheduler's own statistics after the latency window", 0, 5000, probe_stats_end, NULL },
	{ 0 }
};
