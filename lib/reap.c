// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded waits for child processes (see reap.h). */
#include "reap.h"

#include <errno.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int scx_pidfd_open(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return -errno;
	/* pidfds are always close-on-exec. */
	return fd;
}

int scx_sigchld_fd_open(sigset_t *ret_old)
{
	sigset_t chld;
	int fd;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, ret_old) < 0)
		return -errno;
	fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0) {
		int r = -errno;

		sigprocmask(SIG_SETMASK, ret_old, NULL);
		return r;
	}
	return fd;
}

void scx_sigchld_fd_close(int fd, const sigset_t *old)
{
	if (fd >= 0)
		close(fd);
	sigprocmask(SIG_SETMASK, old, NULL);
}

void scx_sigchld_fd_drain(int fd)
{
	struct signalfd_siginfo si[8];

	while (read(fd, si, sizeof(si)) > 0)
		;
}

/* One poll until the deadline (ms rounded up), EINTR retried: 1 when fd is readable, 0 at the deadline. */
static int poll_until(int fd, uint64_t deadline)
{
	for (;;) {
		uint64_t now = now_mono_ns();
		struct pollfd p = { fd, POLLIN, 0 };
		int n;

		if (now >= deadline)
			return 0;
		n = poll(&p, 1, (int)((deadline - now + 999999ull) / 1000000ull));
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int reaped(pid_t pid, int *ret_status)
{
	int status;
	pid_t w;

	do
		w = waitpid(pid, &status, WNOHANG);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	if (w != pid)
		return 0;
	if (ret_status)
		*ret_status = status;
	return 1;
}

int scx_reap_bounded(pid_t pid, int *ret_status, unsigned timeout_ms)
{
	uint64_t deadline = now_mono_ns() + (uint64_t)timeout_ms * 1000000ull;
	sigset_t old;
	int r, fd;

	r = reaped(pid, ret_status);
	if (r != 0)
		return r < 0 ? r : 0;
	fd = scx_pidfd_open(pid);
	if (fd >= 0) {
		/* Readable once it has exited; then waitpid cannot miss it. */
		r = poll_until(fd, deadline);
		close(fd);
		if (r < 0)
			return r;
		r = reaped(pid, ret_status);
		return r < 0 ? r : r ? 0 : -ETIMEDOUT;
	}
	if (fd != -ENOSYS)
		return fd;
	fd = scx_sigchld_fd_open(&old);
	if (fd < 0)
		return fd;
	/* SIGCHLD is blocked from here: an exit after this check reaches the signalfd. */
	while ((r = reaped(pid, ret_status)) == 0) {
		r = poll_until(fd, deadline);
		if (r <= 0) {
			r = r < 0 ? r : -ETIMEDOUT;
			break;
		}
		scx_sigchld_fd_drain(fd);
	}
	scx_sigchld_fd_close(fd, &old);
	return r < 0 ? r : 0;
}

int scx_kill_reap(pid_t pid, bool group, int *ret_status, unsigned timeout_ms)
{
	if (group)
		kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	return scx_reap_bounded(pid, ret_status, timeout_ms);
}
