// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling latency histograms, cheap enough to leave on during a run.
 *
 * Three tracepoints, scheduler-independent (they fire under sched_ext, the
 * fair class and every other class alike):
 *   sched_wakeup, sched_wakeup_new  a task becomes runnable: note when.
 *   sched_switch                    prev leaves the CPU, next takes it.
 *
 * Each task we follow carries a 16-byte record in task-local storage (not a
 * pid-keyed hash: nothing fills up, nothing to delete, no mix-up when a tid
 * is reused, freed with the task): since when it waits, why (woken or
 * preempted), and the CPU it last ran on.  At the switch that gives `next`
 * the CPU, its wait ends:
 *   runq     woken (or new) -> on CPU: the classic wakeup latency;
 *   preempt  switched out while still runnable -> on CPU again;
 * a different CPU than last time counts as a migration (seen where it
 * runs, so no fourth program on sched_migrate_task).  And when `prev`
 * leaves:
 *   slice    the CPU time the scheduler charged it since it got the CPU
 *            (se.sum_exec_runtime, which every class brings up to date
 *            before the switch; the task it started with is kept per CPU).
 *
 * A wakeup of a task still on a CPU (woken before it got to sleep) starts
 * no wait; a second wakeup of a waiting task keeps the first time.
 *
 * The clock is bpf_ktime_get_ns(), read only when a wait starts or ends:
 * it is the dearest thing here (~35 ns on a KVM guest).  The runqueue
 * clock would be free, but __schedule() skips its update after a wakeup
 * that preempts, so exactly the interesting waits (a task woken onto an
 * idle CPU) would read as 0.
 *
 * Histograms are log-linear (latency.h: K = 5, 1024 buckets, <= 1.6%),
 * one element per (kind, class) of a per-CPU array, updated with plain
 * increments: these programs run with the runqueue lock held and
 * interrupts off, so nothing else on this CPU touches the element, and no
 * cache line moves between CPUs.  User space sums the CPUs and gets the
 * per-CPU split for free.  Sum and maximum are kept exactly.  The class
 * split is by priority when the task gets the CPU: below 100 it is a
 * realtime or deadline task, which never runs on sched_ext.
 *
 * Filters (rodata, set before load) select the task that waits (the woken
 * or preempted task, and the task whose slice ends), never `current`: a
 * thread group id, and a cgroup v2 id with its level, matching that cgroup
 * and its descendants.  filter_on says whether any is set: each program
 * reads it once (filters_on()), and without a filter that one load is all
 * that is left (the verifier drops the dead branches, not the loads of a
 * const volatile they test).
 *
 * tp_btf programs are the normal path (5.11+: task storage in tracing
 * programs).  The raw_tp variants are the fallback for a kernel whose
 * tracepoints cannot be attached as tp_btf: they read through
 * bpf_probe_read and keep the same record in a tid-keyed hash, the one
 * weakness left there (a full hash drops new tasks, counted in `lost`).
 * User space picks one set with bpf_program__set_autoload.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "latency.h"

char LICENSE[] SEC("license") = "GPL";

#define PF_IDLE 0x00000002	/* include/linux/sched.h: an idle task (not in BTF) */

const volatile bool filter_on = false;		/* any filter below set */
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

/* This CPU's counts and normal-class histograms: one lookup per program (latency.h). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lat_cpu);
} cpu_state SEC(".maps");

/* The realtime/deadline class's histograms, one per kind (rare: a lookup of their own). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LAT_NR_KINDS);
	__type(key, __u32);
	__type(value, struct lat_hist);
} hists_rt SEC(".maps");

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

_Static_assert(TS_PREEMPTED - TS_WOKEN == LAT_PREEMPT && LAT_RUNQ == 0 && LAT_PREEMPT == 1,
	       "kind from the state");

/*
 * A mispredicted jump costs here more than arithmetic (~15 ns), so the
 * bucket comes from lat_index_nojump() (latency.h).  The class split is a
 * jump, but a predictable one: prio below 100 (RT or deadline) is rare.
 */
static __always_inline void hist_add(struct lat_cpu *s, __u32 kind, int prio, __u64 v)
{
	struct lat_hist *h;

	if (prio < 100) {
		__u32 key = kind;	/* on the stack only on this (rare) path */

		h = bpf_map_lookup_elem(&hists_rt, &key);
		if (!h)
			return;
	} else if (kind == LAT_SLICE) {
		h = &s->normal[LAT_SLICE];
	} else {
		/*
		 * LAT_RUNQ or LAT_PREEMPT.  The mask bounds it for the verifier;
		 * the empty asm keeps clang, which knows it is 0 or 1, from
		 * dropping the mask.
		 */
		asm volatile("" : "+r"(kind));
		h = &s->normal[kind & 1];
	}
	h->slots[lat_index_nojump(v) & (LAT_BUCKETS - 1)]++;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

static __always_inline struct lat_cpu *cpu_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_state, &zero);
}

/*
 * Does the filter select this task?  Compiled out when no filter is set:
 * the verifier knows the rodata and drops the dead branches.  The task's
 * fields are read inside them, so that without a filter no load of a cold
 * cache line (tgid lives with pid, ~1.2 KiB into the task) is left behind.
 * btf: a plain load (tp_btf), else bpf_probe_read (raw_tp).
 */
static __always_inline bool task_match(struct task_struct *t, bool btf, bool on)
{
	if (!on)
		return true;
	if (filter_tgid && (btf ? t->tgid : BPF_CORE_READ(t, tgid)) != filter_tgid)
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

/* Read once per program, passed to task_match(). */
static __always_inline bool filters_on(void)
{
	return filter_on;
}

/* ---- the logic, shared by both program sets ---------------------------- */

/*
 * A task becomes runnable.  on_cpu: it is still on a CPU (it never slept).
 * Returns the record to stamp with the time, or NULL.
 */
static __always_inline struct task_lat *on_wakeup(struct task_lat *tl, bool on_cpu, bool is_new)
{
	struct lat_cpu *c = cpu_here();

	if (c) {
		if (is_new)
			c->counts.wakeups_new++;
		else
			c->counts.wakeups++;
		if (on_cpu)
			c->counts.untracked++;
	}
	/* Already waiting (a second wakeup, or preempted before it could sleep): keep the start. */
	if (on_cpu || !tl || tl->state - TS_WOKEN <= TS_PREEMPTED - TS_WOKEN)
		return NULL;
	tl->state = TS_WOKEN;
	return tl;
}

/*
 * Never negative, whatever a racing update left behind: a difference below
 * zero (its sign bit set, as differences of clocks stay far below 2^63) is
 * masked to 0, without a jump.
 */
static __always_inline __u64 since(__u64 now, __u64 then)
{
	__s64 d = (__s64)(now - then);

	return (__u64)(d & ~(d >> 63));
}

/*
 * The task on this CPU leaves it: its slice is the CPU time the scheduler
 * charged it since it got the CPU (se.sum_exec_runtime, which every class,
 * sched_ext included, brings up to date before the switch).  No clock read.
 */
static __always_inline void slice_end(struct lat_cpu *c, __u64 prev_key, __u64 prev_sum)
{
	if (c->counts.run_task && c->counts.run_task == prev_key)
		hist_add(c, LAT_SLICE, (int)c->counts.run_prio, since(prev_sum, c->counts.run_sum));
	c->counts.run_task = 0;
}

/*
 * next gets the CPU: its wait ends (if we saw it start: then now != 0) and
 * its slice starts.
 */
static __always_inline void on_switch_in(struct lat_cpu *c, struct task_lat *tl,
					 __u64 key, int prio, __u64 sum, __u64 now)
{
	c->counts.run_task = key;
	c->counts.run_prio = (__u32)prio;
	c->counts.run_sum = sum;
	if (!tl || !now)
		return;
	/* Woken: runq, preempted: preempt (the states are in that order). */
	__u32 kind = tl->state - TS_WOKEN;

	if (kind <= LAT_PREEMPT)
		hist_add(c, kind, prio, since(now, tl->ts));
	__u32 cpu1 = bpf_get_smp_processor_id() + 1;
	if (tl->cpu1 && tl->cpu1 != cpu1)
		c->counts.migrations++;
	tl->cpu1 = cpu1;
	tl->state = TS_RUNNING;
}

static __always_inline bool waiting(const struct task_lat *tl)
{
	return tl && tl->state - TS_WOKEN <= TS_PREEMPTED - TS_WOKEN;
}

/* ---- tp_btf: the normal path -------------------------------------------- */

/* Kernels before 5.14 call it `state`; a plain load either way (no probe_read). */
static __always_inline long task_state_btf(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___o *)t)->state;
}

static __always_inline struct task_lat *lat_of(struct task_struct *t, bool create)
{
	return bpf_task_storage_get(&task_lat, t, NULL,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/*
 * The clock: bpf_ktime_get_ns(), read only when a wait starts or ends (it
 * is the most expensive thing here: ~35-50 ns on a KVM guest, more for the
 * first reader after the switch).  The runqueue
 * clock would be free but is stale exactly when it matters: __schedule()
 * skips its update after a wakeup that preempts, so the wakeup of a task on
 * an idle CPU would read as 0 ns.
 */
static __always_inline void wakeup_btf(struct task_struct *t, bool is_new)
{
	/* on_cpu: int until 6.x, u8 in 7.x; the bitfield read follows its size. */
	bool on_cpu = !is_new && BPF_CORE_READ_BITFIELD(t, on_cpu);
	struct task_lat *tl;

	if (!task_match(t, true, filters_on()))
		return;
	tl = on_wakeup(on_cpu ? NULL : lat_of(t, true), on_cpu, is_new);
	if (tl)
		tl->ts = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(lat_wakeup, struct task_struct *p)
{
	wakeup_btf(p, false);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(lat_wakeup_new, struct task_struct *p)
{
	wakeup_btf(p, true);
	return 0;
}

/*
 * An idle task (the per-CPU swapper, pid 0, or a thread injecting idle
 * time) is never followed.  Its flags share the first cache line of the
 * task with __state and on_cpu, which the switch has just used; the pid is
 * ~1.2 KiB further and cold.
 */
static __always_inline bool is_idle_btf(struct task_struct *t)
{
	return t->flags & PF_IDLE;
}

/*
 * The task on a CPU is known by its address while it runs there (for the
 * slice): a key, compared and never followed, that needs no load.
 */
static __always_inline __u64 task_key(struct task_struct *t)
{
	return (__u64)(unsigned long)t;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(lat_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct lat_cpu *c = cpu_here();
	struct task_lat *tl = NULL, *tn = NULL;
	bool follow_next, on = filters_on();
	__u64 now = 0;

	if (!c)
		return 0;
	c->counts.switches++;
	slice_end(c, task_key(prev), prev->se.sum_exec_runtime);
	/* Still runnable (TASK_RUNNING, or preempted on its way to sleep): it waits again. */
	if (!is_idle_btf(prev) && (preempt || task_state_btf(prev) == 0) && task_match(prev, true, on))
		tl = lat_of(prev, true);
	/* Only tasks we saw start waiting have a record: no need to create one here. */
	follow_next = !is_idle_btf(next) && task_match(next, true, on);
	if (follow_next)
		tn = lat_of(next, false);
	if (tl || waiting(tn))
		now = bpf_ktime_get_ns();
	if (tl) {
		tl->state = TS_PREEMPTED;
		tl->ts = now;
	}
	if (follow_next)
		on_switch_in(c, tn, task_key(next), next->prio, next->se.sum_exec_runtime, now);
	return 0;
}

/* ---- tp_btf, the kernel's own accounting: the default ------------------- */

/*
 * The kernel already times every wait on a runqueue (CONFIG_SCHED_INFO,
 * kernel/sched/stats.h): enqueue notes sched_info.last_queued, a dequeue
 * (a migration while queued) and the arrival on a CPU add what was waited
 * to sched_info.run_delay, in the runqueue clock.  That is the run_delay of
 * /proc/PID/schedstat and of delay accounting.  So one program on
 * sched_switch does it all, for prev only, when it leaves the CPU: since it
 * last left one, it waited exactly once (everything its run_delay grew by)
 * and ran exactly once (everything its se.sum_exec_runtime grew by).  Why
 * it waited was decided when it last left: still runnable (preempted) or
 * asleep (so the wait began at a wakeup).  No clock read, no wakeup
 * program, nothing read of next, one task-storage lookup of a task that has
 * just run here: about half the cost of the clock mode above.
 *
 * What it gives up: __schedule() skips its runqueue-clock update after a
 * wakeup that preempts, so the few microseconds between such a wakeup and
 * the switch read as 0, as they do in run_delay; and a wait is recorded
 * when the run after it ends, not when it ends.  The first time a task is
 * seen leaving a CPU is its baseline, unless it was created after the
 * programs were attached: then its first wait (from sched_wakeup_new) and
 * its first slice are all of its run_delay and sum_exec_runtime.
 */
enum rd_state { RD_NEW = 0, RD_WOKEN, RD_PREEMPTED };

_Static_assert(RD_PREEMPTED - RD_WOKEN == LAT_PREEMPT, "kind from the state");

struct task_rd {
	__u64 delay;		/* its sched_info.run_delay when it last left a CPU */
	__u64 sum;		/* its se.sum_exec_runtime then */
	__u32 state;		/* enum rd_state */
	__u32 cpu1;		/* that CPU, plus one */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_rd);
} task_rd SEC(".maps");

/* CLOCK_MONOTONIC when the programs were attached (task start_time's clock). */
volatile __u64 attach_ns = 0;

SEC("tp_btf/sched_switch")
int BPF_PROG(lat_switch_rd, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct lat_cpu *c = cpu_here();
	__u64 delay, sum, d0, s0;
	struct task_rd *r;
	__u32 cpu1, state;

	if (!c)
		return 0;
	c->counts.switches++;
	if (is_idle_btf(prev) || !task_match(prev, true, filters_on()))
		return 0;
	r = bpf_task_storage_get(&task_rd, prev, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!r)
		return 0;
	delay = prev->sched_info.run_delay;
	sum = prev->se.sum_exec_runtime;
	cpu1 = bpf_get_smp_processor_id() + 1;
	state = r->state;
	d0 = r->delay;
	s0 = r->sum;
	if (state != RD_NEW) {
		if (r->cpu1 != cpu1)
			c->counts.migrations++;
		c->counts.wakeups += state == RD_WOKEN;
	} else if (prev->sched_info.pcount == 1 && prev->start_time >= attach_ns) {
		/* Born since we look: all it waited and ran so far is its first of each. */
		state = RD_WOKEN;
		d0 = s0 = 0;
		c->counts.wakeups_new++;
	}
	if (state != RD_NEW) {
		int prio = prev->prio;

		hist_add(c, (state - RD_WOKEN) & 1, prio, since(delay, d0));
		hist_add(c, LAT_SLICE, prio, since(sum, s0));
	}
	r->delay = delay;
	r->sum = sum;
	r->cpu1 = cpu1;
	r->state = preempt || task_state_btf(prev) == 0 ? RD_PREEMPTED : RD_WOKEN;
	return 0;
}

/* ---- raw_tp: the fallback ------------------------------------------------ */

static __always_inline struct task_lat *lat_of_pid(__u32 pid, bool create)
{
	struct task_lat fresh = {}, *tl = bpf_map_lookup_elem(&task_lat_hash, &pid);

	if (tl || !create)
		return tl;
	/* EEXIST from a racing insert is fine: look it up again. */
	bpf_map_update_elem(&task_lat_hash, &pid, &fresh, BPF_NOEXIST);
	tl = bpf_map_lookup_elem(&task_lat_hash, &pid);
	if (!tl) {
		struct lat_cpu *c = cpu_here();

		if (c)
			c->counts.lost++;
	}
	return tl;
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(lat_wakeup_raw, struct task_struct *t)
{
	bool on_cpu = BPF_CORE_READ_BITFIELD_PROBED(t, on_cpu);
	struct task_lat *tl;

	if (!task_match(t, false, filters_on()))
		return 0;
	tl = on_wakeup(on_cpu ? NULL : lat_of_pid(BPF_CORE_READ(t, pid), true), on_cpu, false);
	if (tl)
		tl->ts = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(lat_wakeup_new_raw, struct task_struct *p)
{
	struct task_lat *tl;

	if (!task_match(p, false, filters_on()))
		return 0;
	tl = on_wakeup(lat_of_pid(BPF_CORE_READ(p, pid), true), false, true);
	if (tl)
		tl->ts = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(lat_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct lat_cpu *c = cpu_here();
	__u64 now = bpf_ktime_get_ns();
	struct task_lat *tl;
	bool on = filters_on();
	__u32 pid;

	if (!c)
		return 0;
	c->counts.switches++;
	pid = BPF_CORE_READ(prev, pid);
	slice_end(c, (__u64)prev, BPF_CORE_READ(prev, se.sum_exec_runtime));
	if (pid && (preempt || task_state(prev) == 0) &&
	    task_match(prev, false, on)) {
		tl = lat_of_pid(pid, true);
		if (tl) {
			tl->state = TS_PREEMPTED;
			tl->ts = now;
		}
	}
	pid = BPF_CORE_READ(next, pid);
	if (pid && task_match(next, false, on))
		on_switch_in(c, lat_of_pid(pid, false), (__u64)next, BPF_CORE_READ(next, prio),
			     BPF_CORE_READ(next, se.sum_exec_runtime), now);
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
