/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by bpf/latency.bpf.c and probes/latency*.c: what the histograms
 * hold and the per-CPU counters.  The histogram layout is lib/hist-layout.h.
 */
#ifndef SCX_LATENCY_H
#define SCX_LATENCY_H

#include "hist-layout.h"

/* Which delay a histogram holds. */
enum lat_kind {
	LAT_RUNQ = 0,		/* woken (or new) -> on CPU */
	LAT_PREEMPT = 1,	/* switched out while runnable -> on CPU again */
	LAT_SLICE = 2,		/* on CPU -> switched out (either way) */
	LAT_NR_KINDS = 3,
};

/* The task's class when the event ends: RT and DL never run on sched_ext. */
enum lat_class {
	LAT_CLASS_NORMAL = 0,	/* SCHED_OTHER/BATCH/IDLE/EXT (prio >= 100) */
	LAT_CLASS_RT_DL = 1,	/* SCHED_FIFO/RR/DEADLINE (prio < 100) */
	LAT_NR_CLASSES = 2,
};

#define LAT_NR_HISTS	(LAT_NR_KINDS * LAT_NR_CLASSES)
#define LAT_HIST_ID(kind, cls)	((kind) * LAT_NR_CLASSES + (cls))

/* Event counts on one CPU, and the task running there (kernel side only). */
struct lat_counts {
	unsigned long long switches;	/* sched_switch events seen */
	unsigned long long wakeups;	/* sched_wakeup of a matching task */
	unsigned long long wakeups_new;	/* sched_wakeup_new of a matching task */
	unsigned long long migrations;	/* a matching task ran on another CPU than last time */
	unsigned long long untracked;	/* a wakeup of a task already on a CPU: ignored */
	unsigned long long lost;	/* raw_tp fallback: the tid hash was full */
	unsigned long long run_sum;	/* its se.sum_exec_runtime when it got the CPU */
	unsigned int run_pid;		/* that task (0: none we follow) */
	unsigned int run_prio;		/* its priority then */
};

#endif
