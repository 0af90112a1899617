// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling latency histograms, cheap enough to leave on during a run.
 *
 * Three tracepoints, scheduler-independent (they fire under sched_ext, the
 * fair class and every other class alike):
 *   sched_wakeup, sched_wakeup_new  a task becomes runnable: remember when.
 *   sched_switch                    prev leaves the CPU, next takes it.
 *
 * Each task carries a small record in task-local storage (not a pid-keyed
 * hash: nothing to fill up, nothing to delete, no mix-up when a tid is
 * reused, freed with the task): when it last changed state, which state
 * (sleeping, woken, preempted, running) and on which CPU it last ran.
 * From it we get, at the moment `next` is switched in:
 *   runq     woken (or new) -> running: the classic wakeup latency;
 *   preempt  switched out while still runnable -> running again;
 * and at the moment `prev` is switched out:
 *   slice    running -> switched out: how long it held the CPU.
 * A task whose previous CPU differs counts as a migration (seen where it
 * runs, so no fourth program on sched_migrate_task is needed).
 *
 * A wakeup of a task that is still on a CPU (it was woken before it got to
 * sleep) changes nothing: it never waited.  A second wakeup of a task that
 * is already waiting keeps the first timestamp.
 *
 * Histograms are log-linear (latency.h: K = 5, 1024 buckets, <= 1.6%),
 * one element per (kind, class) of a per-CPU array, updated with plain
 * increments: these programs run with the runqueue lock held and
 * interrupts off, so nothing else on this CPU touches the element, and no
 * cache line bounces between CPUs.  User space sums the CPUs, and gets the
 * per-CPU split for free.  Sum and maximum are kept exactly.
 *
 * The class split is by the task's priority when it gets the CPU: below
 * 100 it is a realtime or deadline task, which never runs on sched_ext.
 *
 * Filters (rodata, set before load) apply to the task that waits (the
 * woken or preempted task, and the task whose slice ends), never to
 * `current`: a thread group id, and a cgroup (v2) id with its level in the
 * hierarchy, matching that cgroup and its descendants.
 *
 * tp_btf programs are the normal path (5.11+: task storage in tracing
 * programs).  The raw_tp variants are the fallback for a kernel whose
 * tracepoints cannot be attached as tp_btf: they read the arguments through
 * bpf_probe_read and keep the same record in a tid-keyed hash, which is the
 * one weakness left there (a full hash drops new tasks, counted in `lost`).
 * User space picks one set with bpf_program__set_autoload.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "latency.h"

char LICENSE[] SEC("license") = "GPL";

const volatile int filter_tgid = 0;		/* 0: any */
const volatile unsigned long long filter_cgid = 0;	/* 0: any */
const volatile int filter_cglevel = 0;

enum task_state { TS_SLEEPING = 0, TS_WOKEN, TS_PREEMPTED, TS_RUNNING };

struct task_lat {
	__u64 ts;		/* when it entered `state` */
	__u32 state;		/* enum task_state */
	__u32 cpu1;		/* last CPU it ran on, plus one (0: not seen) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_lat);
} task_lat SEC(".maps");

/* raw_tp fallback only: max_entries is set from user space. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct task_lat);
} task_lat_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LAT_NR_HISTS);
	__type(key, __u32);
	__type(value, struct lat_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lat_counts);
} counts SEC(".maps");

/* Kernels before 5.14 call the task state `state`. */
struct task_struct___o {
	volatile long state;
} __attribute__((preserve_access_index));

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___o *)t, state);
}

static __always_inline __u32 lat_index(__u64 v)
{
	__u64 x = v;
	__u32 m = 0, s;

	if (v < LAT_SUB)
		return (__u32)v;
	s = (x > 0xffffffffULL) << 5; x >>= s; m |= s;
	s = (x > 0xffff) << 4; x >>= s; m |= s;
	s = (x > 0xff) << 3; x >>= s; m |= s;
	s = (x > 0xf) << 2; x >>= s; m |= s;
	s = (x > 0x3) << 1; x >>= s; m |= s;
	m |= (x >> 1);
	if (m > LAT_MAX_LOG2)
		return LAT_BUCKETS - 1;
	return ((m - LAT_K + 1) << LAT_K) + ((__u32)(v >> (m - LAT_K)) & (LAT_SUB - 1));
}

static __always_inline void hist_add(__u32 kind, int prio, __u64 v)
{
	__u32 id = LAT_HIST_ID(kind, prio < 100 ? LAT_CLASS_RT_DL : LAT_CLASS_NORMAL);
	struct lat_hist *h = bpf_map_lookup_elem(&hists, &id);

	if (!h)
		return;
	h->slots[lat_index(v) & (LAT_BUCKETS - 1)]++;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

static __always_inline struct lat_counts *counts_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counts, &zero);
}

/* Does the filter select this task?  Compiled out when no filter is set. */
static __always_inline bool task_match(struct task_struct *t, int tgid)
{
	if (filter_tgid && tgid != filter_tgid)
		return false;
	if (filter_cgid) {
		struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp);
		int level = BPF_CORE_READ(cg, level);

		if (level < filter_cglevel)
			return false;
		if (bpf_core_field_exists(cg->ancestors))
			cg = BPF_CORE_READ(cg, ancestors[filter_cglevel & 0xff]);
		else if (level != filter_cglevel)
			return false;
		if (BPF_CORE_READ(cg, kn, id) != filter_cgid)
			return false;
	}
	return true;
}

/* ---- the logic, shared by both program sets ---------------------------- */

static __always_inline void on_wakeup(struct task_lat *tl, bool is_new)
{
	struct lat_counts *c = counts_here();

	if (c) {
		if (is_new)
			c->wakeups_new++;
		else
			c->wakeups++;
	}
	if (tl->state != TS_SLEEPING) {
		if (tl->state == TS_RUNNING && c)
			c->untracked++;
		return;
	}
	tl->state = TS_WOKEN;
	tl->ts = bpf_ktime_get_ns();
}

static __always_inline void on_switch_out(struct task_lat *tl, bool runnable, int prio,
					  __u64 now)
{
	if (tl->state == TS_RUNNING)
		hist_add(LAT_SLICE, prio, now - tl->ts);
	tl->state = runnable ? TS_PREEMPTED : TS_SLEEPING;
	tl->ts = now;
}

static __always_inline void on_switch_in(struct task_lat *tl, int prio, __u64 now,
					 struct lat_counts *c)
{
	__u32 cpu1 = bpf_get_smp_processor_id() + 1;

	if (tl->state == TS_WOKEN)
		hist_add(LAT_RUNQ, prio, now - tl->ts);
	else if (tl->state == TS_PREEMPTED)
		hist_add(LAT_PREEMPT, prio, now - tl->ts);
	if (tl->cpu1 && tl->cpu1 != cpu1 && c)
		c->migrations++;
	tl->cpu1 = cpu1;
	tl->state = TS_RUNNING;
	tl->ts = now;
}

/* ---- tp_btf: the normal path -------------------------------------------- */

static __always_inline struct task_lat *lat_of(struct task_struct *t)
{
	return bpf_task_storage_get(&task_lat, t, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(lat_wakeup, struct task_struct *p)
{
	struct task_lat *tl;

	if (!task_match(p, p->tgid))
		return 0;
	tl = lat_of(p);
	if (tl)
		on_wakeup(tl, false);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(lat_wakeup_new, struct task_struct *p)
{
	struct task_lat *tl;

	if (!task_match(p, p->tgid))
		return 0;
	tl = lat_of(p);
	if (tl)
		on_wakeup(tl, true);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(lat_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct lat_counts *c = counts_here();
	__u64 now = bpf_ktime_get_ns();
	struct task_lat *tl;

	if (c)
		c->switches++;
	if (prev->pid && task_match(prev, prev->tgid)) {
		tl = lat_of(prev);
		if (tl)
			on_switch_out(tl, preempt || task_state(prev) == 0, prev->prio, now);
	}
	if (next->pid && task_match(next, next->tgid)) {
		tl = lat_of(next);
		if (tl)
			on_switch_in(tl, next->prio, now, c);
	}
	return 0;
}

/* ---- raw_tp: the fallback ------------------------------------------------ */

static __always_inline struct task_lat *lat_of_pid(__u32 pid)
{
	struct task_lat fresh = {}, *tl = bpf_map_lookup_elem(&task_lat_hash, &pid);

	if (tl)
		return tl;
	/* EEXIST from a racing insert is fine: look it up again. */
	bpf_map_update_elem(&task_lat_hash, &pid, &fresh, BPF_NOEXIST);
	tl = bpf_map_lookup_elem(&task_lat_hash, &pid);
	if (!tl) {
		struct lat_counts *c = counts_here();

		if (c)
			c->lost++;
	}
	return tl;
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(lat_wakeup_raw, struct task_struct *p)
{
	struct task_lat *tl;

	if (!task_match(p, BPF_CORE_READ(p, tgid)))
		return 0;
	tl = lat_of_pid(BPF_CORE_READ(p, pid));
	if (tl)
		on_wakeup(tl, false);
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(lat_wakeup_new_raw, struct task_struct *p)
{
	struct task_lat *tl;

	if (!task_match(p, BPF_CORE_READ(p, tgid)))
		return 0;
	tl = lat_of_pid(BPF_CORE_READ(p, pid));
	if (tl)
		on_wakeup(tl, true);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(lat_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct lat_counts *c = counts_here();
	__u64 now = bpf_ktime_get_ns();
	struct task_lat *tl;
	__u32 pid;

	if (c)
		c->switches++;
	pid = BPF_CORE_READ(prev, pid);
	if (pid && task_match(prev, BPF_CORE_READ(prev, tgid))) {
		tl = lat_of_pid(pid);
		if (tl)
			on_switch_out(tl, preempt || task_state(prev) == 0,
				      BPF_CORE_READ(prev, prio), now);
	}
	pid = BPF_CORE_READ(next, pid);
	if (pid && task_match(next, BPF_CORE_READ(next, tgid))) {
		tl = lat_of_pid(pid);
		if (tl)
			on_switch_in(tl, BPF_CORE_READ(next, prio), now, c);
	}
	return 0;
}

/* raw_tp fallback: a task that exits frees its hash entry. */
SEC("raw_tp/sched_process_free")
int BPF_PROG(lat_free_raw, struct task_struct *p)
{
	__u32 pid = BPF_CORE_READ(p, pid);

	bpf_map_delete_elem(&task_lat_hash, &pid);
	return 0;
}
