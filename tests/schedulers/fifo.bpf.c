/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fifo: a correct global FIFO scheduler, the "known good" scheduler of the VM tests.
 *
 * select_cpu only picks a CPU (an idle one when there is one, so it gets woken); every task is
 * then queued by ops.enqueue at the tail of one shared DSQ, and each CPU's ops.dispatch moves
 * the head of that DSQ to its local DSQ. Slices are the kernel default (20 ms).
 *
 * Built twice: as "fifo", and with -DSCX_TEST_NAME='"fifo_1.2.3_gdeadbeef_..."' as the scx-style
 * versioned scheduler whose name the identity code parses.
 */
#include "scx_test.bpf.h"

#ifndef SCX_TEST_NAME
#define SCX_TEST_NAME "fifo"
#endif

#define SHARED_DSQ 0

s32 BPF_STRUCT_OPS(fifo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(fifo_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(fifo_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(fifo_exit, struct scx_exit_info *ei)
{
	SCX_TEST_UEI_RECORD(ei);
}

SEC(".struct_ops")
struct sched_ext_ops fifo_ops = {
	.select_cpu = (void *)fifo_select_cpu,
	.enqueue = (void *)fifo_enqueue,
	.dispatch = (void *)fifo_dispatch,
	.init = (void *)fifo_init_sleepable,
	.exit = (void *)fifo_exit,
	.exit_dump_len = SCX_TEST_DUMP_LEN,
	.name = SCX_TEST_NAME,
};
