/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scx_test.h: what the test schedulers' BPF side and their loader share.
 *
 * Every scheduler's ops.exit copies the kernel's struct scx_exit_info into the global `uei`
 * (in .bss), like scx's UEI_RECORD: the loader reads it after the scheduler stops, prints kind,
 * reason, message and the debug dump, and exits non-zero on an error exit.
 */
#ifndef SCX_TEST_H
#define SCX_TEST_H

#define SCX_TEST_REASON_LEN 128
#define SCX_TEST_MSG_LEN 1024
#define SCX_TEST_DUMP_LEN 16384

struct scx_test_uei {
	int kind;		/* enum scx_exit_kind; 0 while the scheduler runs */
	int exit_cpu;
	long long exit_code;
	char reason[SCX_TEST_REASON_LEN];
	char msg[SCX_TEST_MSG_LEN];
	char dump[SCX_TEST_DUMP_LEN];
};

#endif
