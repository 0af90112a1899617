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
	unsigned long long run_task;	/* that task's address, a key (0: none we follow) */
	unsigned int run_prio;		/* its priority then */
	unsigned int pad;
};

/*
 * One CPU's state, an element of a per-CPU array: the counts and the
 * histograms of the normal class (SCHED_OTHER/BATCH/IDLE/EXT), so that a
 * program needs one map lookup for everything it updates.  24.7 KiB: under
 * the kernel's 32 KiB limit for a per-CPU value.  The RT/DL class's three
 * histograms live in a map of their own (hists_rt, one per kind).
 */
struct lat_cpu {
	struct lat_counts counts;
	struct lat_hist normal[LAT_NR_KINDS];
};

/*
 * The bucket of v as the BPF side computes it, on every event, without
 * jumps but the rare overflow.  BPF has neither count-leading-zeros nor a
 * conditional move, so a comparison becomes a jump, and latency values make
 * those jumps unpredictable.  For x < 2^63, (c - x) >> 63 is 1 exactly when
 * x > c: each step of the binary search is plain arithmetic.
 *
 * With m = floor(log2 v) >= K, the sub-bucket (v >> (m - K)) lies in
 * [2^K, 2^(K+1)), so hist-layout.h's index
 *     ((m - K + 1) << K) + ((v >> (m - K)) & (2^K - 1))
 * is (e << K) + (v >> e) with e = m - K = floor(log2(v >> K)): v >> K is
 * below 2^31 here, four steps and no mask.  Below 2^K, v >> K is 0, so e is
 * 0 and the index is v itself, with no test.  tests/test-latency-hist.c
 * checks it against the user side's clz version (probes/latency-hist.c).
 */
static inline unsigned int lat_index_nojump(unsigned long long v)
{
	unsigned long long x = v >> LAT_K, e, s;

	if (v >> (LAT_MAX_LOG2 + 1))
		return LAT_BUCKETS - 1;
#ifdef __bpf__
	/*
	 * Hide that x < 2^59: knowing it, clang turns each (c - x) >> 63
	 * back into a comparison, and a select is a jump on BPF.
	 */
	asm volatile("" : "+r"(x));
#endif
	s = ((0xffffULL - x) >> 63) << 4;
	x >>= s;
	e = s;
	s = ((0xffULL - x) >> 63) << 3;
	x >>= s;
	e |= s;
	s = ((0xfULL - x) >> 63) << 2;
	x >>= s;
	e |= s;
	s = ((0x3ULL - x) >> 63) << 1;
	x >>= s;
	e |= s;
	e |= x >> 1;
	return (unsigned int)((e << LAT_K) + (v >> e));
}

#endif
