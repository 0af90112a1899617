/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `scx-report watch`: an always-on service in the manner of systemd-coredump
 * for schedulers.  It arms the sched_ext:sched_ext_dump tracepoint in a
 * tracefs instance of its own, blocks on the kobject-uevent netlink socket,
 * and when /kernel/sched_ext/root is removed (a scheduler stopped: the kernel
 * sends `remove`; `add` with SCXOPS=NAME on enable) it writes a snapshot
 * bundle with the debug dump into the spool (probes/spool.h).  Nothing runs
 * while it waits: no timer, no polling.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracefs.h"	/* its tracefs instance, in collector/change/ */

struct scx_watch_opts {
	const char *spool;		/* SCX_SPOOL_DIR by default */
	unsigned max_count;		/* captures kept (newest) */
	uint64_t max_bytes;		/* bytes kept, bundles and .sha256 */
	unsigned max_captures;		/* exit after this many (0: run until SIGTERM); for tests */
	unsigned settle_ms;		/* wait after `remove` for the scheduler's last words */
};

int scx_watch_run(const struct scx_watch_opts *o);

/* ---- spool-write.c ----------------------------------------------------- */

/* Make the spool (0700, also when it exists). */
int scx_spool_prepare(const char *dir);
/* Remove the oldest captures until at most max_count and max_bytes remain (the newest is kept). */
int scx_spool_prune(const char *dir, unsigned max_count, uint64_t max_bytes, unsigned *ret_removed);
