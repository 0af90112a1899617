// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's kobject uevents (the kernel's lib/kobject_uevent.c): one
 * datagram per event on NETLINK_KOBJECT_UEVENT, multicast group 1,
 * "ACTION@DEVPATH" then NUL-separated KEY=VALUE pairs (see uevent.h).
 */
#include "uevent.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int scx_uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd, sz = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	/* Bursts of uevents (hotplug) must not overrun us while a capture runs. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

int scx_uevent_parse(const char *buf, size_t len, struct scx_uevent *ret)
{
	struct scx_uevent u = { 0 };
	const char *end = buf + len, *at, *p;
	size_t n;

	n = strnlen(buf, len);
	at = memchr(buf, '@', n);
	if (!at || at == buf || (size_t)(at - buf) >= sizeof(u.action))
		return -EINVAL;
	memcpy(u.action, buf, (size_t)(at - buf));
	snprintf(u.devpath, sizeof(u.devpath), "%.*s", (int)(n - (size_t)(at - buf) - 1), at + 1);
	for (p = buf + n + 1; p < end; p += strnlen(p, (size_t)(end - p)) + 1)
		if (!strncmp(p, "SCXOPS=", 7))
			snprintf(u.scxops, sizeof(u.scxops), "%.*s", (int)strnlen(p + 7, (size_t)(end - p - 7)),
				 p + 7);
	*ret = u;
	return 0;
}

bool scx_uevent_is_root(const struct scx_uevent *u)
{
	return !strcmp(u->devpath, "/kernel/sched_ext/root");
}

int scx_uevent_recv(int fd, int flags, bool any_sender, struct scx_uevent *ret)
{
	char buf[8192];
	struct sockaddr_nl from = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			     .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &mh, flags);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	/*
	 * Only the kernel (port 0) speaks on group 1; a datagram sent by a
	 * process (udevd re-broadcasts on group 2, anyone root could unicast to
	 * us) is not believed.  Even the kernel's own is only a wake-up: the
	 * waits decide on what sysfs says.
	 */
	if (!any_sender && (mh.msg_namelen < sizeof(from) || from.nl_family != AF_NETLINK ||
			    from.nl_pid != 0 || !(from.nl_groups & 1)))
		return 0;
	if (mh.msg_flags & MSG_TRUNC)
		return 0;
	return scx_uevent_parse(buf, (size_t)n, ret) < 0 ? 0 : 1;
}
