/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stall: a scheduler that never dispatches, so the sched_ext watchdog ejects it.
 *
 * Tasks are queued in a private DSQ that no CPU ever consumes. With timeout_ms = 1000 the
 * watchdog disables the scheduler about a second after it is enabled, with exit kind
 * SCX_EXIT_ERROR_STALL (1026) and reason "runnable task stall"; the kernel hands the debug dump
 * to ops.exit, which the loader prints.
 */
#include "scx_test.bpf.h"

#define STUCK_DSQ 0

s32 BPF_STRUCT_OPS(stall_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void BPF_STRUCT_OPS(stall_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, STUCK_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(stall_dispatch, s32 cpu, struct task_struct *prev)
{
}

s32 BPF_STRUCT_OPS_SLEEPABLE(stall_init)
{
	return scx_bpf_create_dsq(STUCK_DSQ, -1);
}

void BPF_STRUCT_OPS(stall_exit, struct scx_exit_info *ei)
{
	SCX_TEST_UEI_RECORD(ei);
}

SEC(".struct_ops")
struct sched_ext_ops stall_ops = {
	.select_cpu = (void *)stall_select_cpu,
	.enqueue = (void *)stall_enqueue,
	.dispatch = (void *)stall_dispatch,
	.init = (void *)stall_init_sleepable,
	.exit = (void *)stall_exit,
	.timeout_ms = 1000,
	.exit_dump_len = SCX_TEST_DUMP_LEN,
	.name = "stall",
};
