/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by bpf/holders.bpf.c and probes/scheduler/holders-iter.c: one
 * record per BPF object fd of a process, as the task_file iterator writes it.
 */
#ifndef SCX_HOLDERS_H
#define SCX_HOLDERS_H

enum holder_kind {
	HOLDER_MAP = 1,
	HOLDER_PROG = 2,
	HOLDER_LINK = 3,
};

struct holder_rec {
	unsigned int pid;	/* the process (thread group id) */
	unsigned int fd;
	unsigned int kind;	/* enum holder_kind */
	unsigned int id;	/* map_id, prog_id or link_id */
};

#endif
