// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe table: one row per data source, in merge order.  A row marked
 * SCX_PROBE_READS_REPORT sees the results of every row before it, or of
 * every row up to the one it names `after` (the scheduler identity probe
 * reads the kmsg history); one without it may run beside any other, so mark
 * every probe that reads ctx->report, and name `after` only for a probe
 * whose reads all come from that row or earlier (probe.h).
 * Add a probe: one file in probes/, one row here.
 */
#include "probe.h"
#include "boots.h"
#include "probes.h"
#include "spool.h"

const struct scx_probe scx_probes[] = {
	{ "kernel", "kernel release, config, BTF, taint", 0, 5000, probe_kernel, NULL },
	{ "sched_ext", "/sys/kernel/sched_ext state and counters", SCX_PROBE_READS_REPORT, 5000, probe_sched_ext, NULL },
	{ "kmsg", "sched_ext history from the kernel log", 0, 10000, probe_kmsg, NULL },
	{ "journal", "earlier boots' kernel log from the journal", 0, 60000, probe_boots_journal, probe_boots_journal_enabled },
	{ "kernlog", "earlier boots' kernel log from rsyslog's kern.log", 0, 20000, probe_kernlog, probe_kernlog_enabled },
	{ "pstore", "oops and panic records kept for the next boot (pstore)", 0, 10000, probe_pstore, NULL },
	{ "boots", "this and earlier boots put together", SCX_PROBE_READS_REPORT, 5000, probe_boots, NULL },
	{ "capture", "what scx-report watch saw at an ejection (debug dump)", 0, 5000, probe_capture, probe_capture_enabled },
	{ "spool", "the newest watch captures of this and the previous boot", SCX_PROBE_READS_REPORT, 10000, probe_spool, NULL, .after = "boots" },
	{ "environment", "RT and deadline tasks, RT throttling, ext server, BPF JIT", 0, 10000, probe_environment, NULL },
	{ "known_issues", "failure signatures with a known fix (known-issues.d)", 0, 5000, probe_known_issues, NULL },
	{ "system", "CPU topology, cpufreq, isolation, load, tasks on sched_ext", SCX_PROBE_READS_REPORT, 5000, probe_system, NULL, .after = "sched_ext" },
	{ "scheduler", "the active scheduler: BPF identity, process, binary provenance, manager", SCX_PROBE_READS_REPORT, 60000, probe_scheduler, NULL, .after = "kmsg" },
	{ "hang_readiness", "what a hard hang would leave: lockup detectors, pstore, kdump, journal", 0, 5000, probe_hang_ready, NULL },
	{ "scheduler_output", "where the scheduler's stdout and stderr go, and their last part", SCX_PROBE_READS_REPORT, 5000, probe_sched_output, NULL, probe_sched_output_applies, "scheduler" },
	{ "stats", "the scheduler's own statistics (scx_stats): metadata and a first sample", SCX_PROBE_READS_REPORT, 10000, probe_stats, NULL, .after = "scheduler" },
	{ "latency", "scheduling latency histograms (BPF tracepoints)", SCX_NEED_ROOT | SCX_NEED_LIVE | SCX_PROBE_TIMED, 10000, probe_latency, probe_latency_enabled },
	{ "stats_end", "the scheduler's own statistics after the latency window", SCX_PROBE_READS_REPORT, 5000, probe_stats_end, NULL, probe_stats_end_applies },
	{ 0 }
};
