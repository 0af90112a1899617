/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sched_ext's state as /sys/kernel/sched_ext shows it (Linux 6.12+), and one
 * event-driven wait for it, used by every wait of a scheduler switch (the
 * paired run's stop and start, the guardian, the came-back check).
 *
 * The wait sleeps in ppoll(2) on the kernel's kobject uevents (uevent.h),
 * the watched process's pidfd and the deadline together, and decides only
 * on what sysfs says, read again after each sched_ext event.  Without a
 * netlink socket (no permission, a kernel without it) it reads sysfs every
 * 50 ms instead, as scx-report did before.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SCX_SYSFS_DIR "/sys/kernel/sched_ext"

/* One reading of /sys/kernel/sched_ext. */
struct scx_sysfs_state {
	char state[32];			/* "" when sched_ext is absent */
	char ops[256];			/* "" when no scheduler is loaded */
	int64_t enable_seq;		/* -1 when unreadable */
};

void scx_sysfs_read(struct scx_sysfs_state *st);
/* The same from another directory laid out as /sys/kernel/sched_ext (tests). */
void scx_sysfs_read_at(const char *dir, struct scx_sysfs_state *st);
bool scx_sysfs_same(const struct scx_sysfs_state *a, const struct scx_sysfs_state *b);

/* What a wait waits for. */
struct scx_want {
	bool loaded;			/* true: a scheduler loaded; false: none (root/ops absent) */
	const char *ops;		/* loaded: this ops name; NULL or "": any */
	bool settled;			/* also state "enabled" (loaded) or "disabled" (not) */
	int64_t seq_after;		/* loaded: enable_seq above this; INT64_MIN: any */
};

bool scx_want_met(const struct scx_want *w, const struct scx_sysfs_state *st);

struct scx_wait_opts {
	const char *sysfs;		/* NULL: SCX_SYSFS_DIR */
	int uevent_fd;			/* < 0: open the netlink socket for the wait */
	bool any_sender;		/* uevent_fd is a test's socketpair (uevent.h) */
	bool no_uevents;		/* poll sysfs every 50 ms, as without netlink */
	int pidfd;			/* >= 0: the process whose exit ends the wait */
	unsigned safety_ms;		/* the re-read for lost events; 0: 1000 */
};

/* What a wait did (for tests and the log line of a slow switch). */
struct scx_wait_stats {
	unsigned reads;			/* sysfs read */
	unsigned events;		/* sched_ext uevents received */
	unsigned followups;		/* re-reads in the short window after an event */
	unsigned safety;		/* re-reads by the safety interval */
	unsigned lost;			/* socket overruns (ENOBUFS) */
	bool polled;			/* no uevent socket: the 50 ms fallback */
};

/*
 * Wait until w is met (0), the deadline (CLOCK_MONOTONIC ns) passes
 * (-ETIMEDOUT) or o->pidfd's process exits first (-ESRCH).  o may be NULL
 * (the real sysfs and uevents, no process); ret_last (may be NULL) gets the
 * last reading, ret_stats (may be NULL) what the wait did.
 */
int scx_state_wait(const struct scx_want *w, uint64_t deadline_ns, const struct scx_wait_opts *o,
		   struct scx_sysfs_state *ret_last, struct scx_wait_stats *ret_stats);
