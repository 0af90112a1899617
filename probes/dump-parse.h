/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's sched_ext debug dump (REFERENCE §1), as the scheduler prints it
 * after an error exit, as watch reads it from the sched_ext_dump tracepoint,
 * and as SysRq-D writes it there for a running scheduler: one parser for all.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

/* The line the kernel ends a cut dump with (exit_dump_len, 32 KiB by default). */
#define SCX_DUMP_TRUNCATED "~~~~ TRUNCATED ~~~~"

/*
 * What a dump says, from its text (one dump line per line, no trace prefix):
 * {"lines", "ops", "trigger" ("sysrq" | "exit"), "triggered_by", "exit_kind", "reason",
 *  "cpus", "tasks", "backtrace" [..], "events" {SCX_EV_*: n}, "truncated"}.
 * Keys the text does not show are left out.  Never NULL.
 */
json_t *scx_dump_parse(const char *text, size_t len);

