/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's kobject uevents on NETLINK_KOBJECT_UEVENT (multicast group 1):
 * `scx-report watch` captures ejections from them, and the scheduler-switch
 * waits (scx-state.h) wake on them.  sched_ext (6.12+) adds
 * /kernel/sched_ext/root with SCXOPS=<ops.name> when a scheduler is enabled
 * and removes it when it is disabled.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct scx_uevent {
	char action[16];		/* add, remove, change, ... */
	char devpath[256];
	char scxops[128];		/* SCXOPS= of a sched_ext add */
};

/* A non-blocking-capable NETLINK_KOBJECT_UEVENT socket bound to the kernel's group (1). fd or -errno. */
int scx_uevent_open(void);
/* "ACTION@DEVPATH\0KEY=VALUE\0...": -EINVAL when it is not that form. */
int scx_uevent_parse(const char *buf, size_t len, struct scx_uevent *ret);
/* Is it the sched_ext root kobject (the running scheduler)? */
bool scx_uevent_is_root(const struct scx_uevent *u);

/*
 * Read one datagram from fd (flags as recv(2): MSG_DONTWAIT to not block)
 * into ret.  1: a uevent of the kernel itself (sender port 0, group 1);
 * 0: a datagram of anyone else, or not a uevent (ignored); -errno otherwise
 * (-EAGAIN: nothing queued, -ENOBUFS: the socket overran and events were
 * lost, -EINTR).  any_sender: accept a datagram without a netlink sender
 * (the unit tests' socketpair); never set on a real socket.
 */
int scx_uevent_recv(int fd, int flags, bool any_sender, struct scx_uevent *ret);
