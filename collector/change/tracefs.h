/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `scx-report watch`'s tracefs instance (instances/scx-report) with the
 * sched_ext:sched_ext_dump event enabled in it: made, read and removed here,
 * in the wing that changes the system.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct scx_trace {
	char dir[512];			/* .../instances/scx-report */
	bool armed;
};

/* Make the instance and enable sched_ext:sched_ext_dump in it. */
int scx_trace_arm(struct scx_trace *t, char *err, size_t errlen);
/* The same in an instance of another name (collect --dump: not watch's own). */
int scx_trace_arm_named(struct scx_trace *t, const char *instance, char *err, size_t errlen);
/* Read the instance's buffer (at most max bytes) and clear it. */
int scx_trace_take(struct scx_trace *t, size_t max, char **ret_buf, size_t *ret_len);
/* Disable the event and remove the instance. */
void scx_trace_disarm(struct scx_trace *t);
/* The dump's text: what follows "sched_ext_dump: " on each trace line. */
int scx_trace_dump_text(const char *trace, size_t len, char **ret_text, size_t *ret_len);
