/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * starve: fifo, except for the threads of scx-report's built-in workloads
 * (comm "scx-report-wl"), which are queued where no CPU ever looks.
 *
 * It models the real failure a paired run must catch: a scheduler that runs
 * the machine well until a particular load arrives, then starves it. Loaded
 * and idle it is a correct FIFO; once the paired run starts its workload on
 * it, the watchdog (timeout_ms = 1000) ejects it with "runnable task stall"
 * in the middle of the measured run, while scx-report's own main thread
 * keeps running and sees it happen.
 */
#include "scx_test.bpf.h"

#define SHARED_DSQ 0
#define STUCK_DSQ 1

static const char victim[] = "scx-report-wl";

static __always_inline bool is_victim(struct task_struct *p)
{
	for (int i = 0; i < (int)sizeof(victim) - 1; i++)
		if (p->comm[i] != victim[i])
			return false;
	return true;
}

s32 BPF_STRUCT_OPS(starve_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(starve_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, is_victim(p) ? STUCK_DSQ : SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(starve_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(starve_init)
{
	s32 r = scx_bpf_create_dsq(SHARED_DSQ, -1);

	return r ? r : scx_bpf_create_dsq(STUCK_DSQ, -1);
}

void BPF_STRUCT_OPS(starve_exit, struct scx_exit_info *ei)
{
	SCX_TEST_UEI_RECORD(ei);
}

SEC(".struct_ops")
struct sched_ext_ops starve_ops = {
	.select_cpu = (void *)starve_select_cpu,
	.enqueue = (void *)starve_enqueue,
	.dispatch = (void *)starve_dispatch,
	.init = (void *)starve_init_sleepable,
	.exit = (void *)starve_exit,
	.timeout_ms = 1000,
	.exit_dump_len = SCX_TEST_DUMP_LEN,
	.name = "starve",
};
