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

/* ---- uevent.c ---------------------------------------------------------- */

struct scx_uevent {
	char action[16];		/* add, remove, change, ... */
	char devpath[256];
	char scxops[128];		/* SCXOPS= of a sched_ext add */
};

/* A NETLINK_KOBJECT_UEVENT socket bound to the kernel's group (1). fd or -errno. */
int scx_uevent_open(void);
/* "ACTION@DEVPATH\0KEY=VALUE\0...": -EINVAL when it is not that form. */
int scx_uevent_parse(const char *buf, size_t len, struct scx_uevent *ret);
/* Is it the sched_ext root kobject (the running scheduler)? */
bool scx_uevent_is_root(const struct scx_uevent *u);

/* ---- spool-write.c ----------------------------------------------------- */

/* Make the spool (0700, also when it exists). */
int scx_spool_prepare(const char *dir);
/* Remove the oldest captures until at most max_count and max_bytes remain (the newest is kept). */
int scx_spool_prune(const char *dir, unsigned max_count, uint64_t max_bytes, unsigned *ret_removed);
