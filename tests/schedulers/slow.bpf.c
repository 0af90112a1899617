/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slow: a correct scheduler that adds large scheduling delay under load, for paired runs.
 *
 * Every task that may run on several CPUs is queued in one shared DSQ that only CPU 0 ever
 * consumes, with 40 ms slices and no preemption on wakeup: with more runnable tasks than one
 * CPU serves, wakeup-to-run latency climbs to tens of milliseconds, far above emulation noise.
 * Tasks pinned to one CPU (per-CPU kthreads) go straight to their CPU's local DSQ, so nothing
 * starves and the watchdog stays quiet. CPU 0 is kicked on each enqueue so it never sleeps on
 * queued work.
 */
#include "scx_test.bpf.h"

#define SHARED_DSQ 0
#define SERVING_CPU 0
#define SLOW_SLICE_NS (40ULL * 1000 * 1000)

s32 BPF_STRUCT_OPS(slow_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return p->nr_cpus_allowed > 1 ? SERVING_CPU : prev_cpu;
}

void BPF_STRUCT_OPS(slow_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (p->nr_cpus_allowed == 1) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SLOW_SLICE_NS, enq_flags);
		return;
	}
	scx_bpf_dsq_insert(p, SHARED_DSQ, SLOW_SLICE_NS, enq_flags);
	scx_bpf_kick_cpu(SERVING_CPU, SCX_KICK_IDLE);
}

void BPF_STRUCT_OPS(slow_dispatch, s32 cpu, struct task_struct *prev)
{
	if (cpu == SERVING_CPU)
		scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(slow_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(slow_exit, struct scx_exit_info *ei)
{
	SCX_TEST_UEI_RECORD(ei);
}

SEC(".struct_ops")
struct sched_ext_ops slow_ops = {
	.select_cpu = (void *)slow_select_cpu,
	.enqueue = (void *)slow_enqueue,
	.dispatch = (void *)slow_dispatch,
	.init = (void *)slow_init_sleepable,
	.exit = (void *)slow_exit,
	.exit_dump_len = SCX_TEST_DUMP_LEN,
	.name = "slow",
};
