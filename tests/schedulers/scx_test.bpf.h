/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scx_test.bpf.h: the few sched_ext kfuncs and macros the test schedulers use.
 *
 * bpftool 7.1 emits no kfunc prototypes into vmlinux.h, so they are declared here with the
 * signatures of Linux 7.2 (checked against its BTF). scx_bpf_dispatch() is gone there:
 * scx_bpf_dsq_insert() replaced it.
 */
#ifndef SCX_TEST_BPF_H
#define SCX_TEST_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "scx_test.h"

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
/*
 * libbpf 1.1 does not know the "struct_ops.s/" section of sleepable struct_ops programs, so a
 * sleepable one is a plain struct_ops program whose name ends in "_sleepable": the loader sets
 * BPF_F_SLEEPABLE on it before loading (ops.init must sleep: scx_bpf_create_dsq allocates).
 */
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops/" #name "_sleepable") \
	BPF_PROG(name##_sleepable, ##args)

/* Shared with the loader, which finds it by name in the .bss section's BTF. */
struct scx_test_uei uei;

/* Copy the exit information for the loader, kind last: kind != 0 means "complete". */
#define SCX_TEST_UEI_RECORD(ei)							\
	do {									\
		bpf_probe_read_kernel_str(uei.reason, sizeof(uei.reason), (ei)->reason); \
		bpf_probe_read_kernel_str(uei.msg, sizeof(uei.msg), (ei)->msg); \
		bpf_probe_read_kernel_str(uei.dump, sizeof(uei.dump), (ei)->dump); \
		uei.exit_code = (ei)->exit_code;				\
		uei.exit_cpu = (ei)->exit_cpu;					\
		asm volatile("" ::: "memory");\
		uei.kind = (ei)->kind;						\
	} while (0)

char _license[] SEC("license") = "GPL";

#endif
