// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds which BPF object, from inside the kernel: a task_file iterator
 * (5.8) visits every open file of every process once (threads that share
 * their parent's file table are skipped by the iterator itself) and writes
 * one record (holders.h) for each BPF map, program or link among them.
 *
 * What a file is: its name, as /proc/PID/fd shows it after "anon_inode:"
 * ("bpf-map", "bpf-prog", "bpf_link"), read from the file's dentry.  The
 * file_operations symbols would say it too, but they are data symbols that
 * kernels without CONFIG_KALLSYMS_ALL do not list, and that BTF lacks.  The
 * object id is read with CO-RE from the map, the program's aux, or the link.
 *
 * This replaces, for the live system with root, a walk over every
 * /proc/PID/fd and fdinfo (probes/scheduler/holders.c keeps that walk for
 * captured trees and when this cannot load).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "holders.h"

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task_file")
int holders(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct holder_rec r = {};
	char name[9] = {};
	void *priv;

	if (!task || !file)
		return 0;
	if (bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(file, f_path.dentry, d_name.name)) < 8)
		return 0;
	/* "bpf-map", "bpf-prog", "bpf_link": all start "bpf", and differ at [4]. */
	if (name[0] != 'b' || name[1] != 'p' || name[2] != 'f')
		return 0;
	priv = BPF_CORE_READ(file, private_data);
	if (name[3] == '-' && name[4] == 'm' && name[5] == 'a' && name[6] == 'p' && !name[7]) {
		r.kind = HOLDER_MAP;
		r.id = BPF_CORE_READ((struct bpf_map *)priv, id);
	} else if (name[3] == '-' && name[4] == 'p' && name[5] == 'r' && name[6] == 'o' && name[7] == 'g') {
		r.kind = HOLDER_PROG;
		r.id = BPF_CORE_READ((struct bpf_prog *)priv, aux, id);
	} else if (name[3] == '_' && name[4] == 'l' && name[5] == 'i' && name[6] == 'n' && name[7] == 'k') {
		r.kind = HOLDER_LINK;
		r.id = BPF_CORE_READ((struct bpf_link *)priv, id);
	} else {
		return 0;
	}
	r.pid = task->tgid;
	r.fd = ctx->fd;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
