// SPDX-License-Identifier: GPL-2.0-or-later
/* Bounded waits for child processes (see reap.h). */
#include "reap.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "util.h"

int scx_reap_bounded(pid_t pid, int *ret_status, unsigned timeout_ms)
{
	uint64_t deadline = now_mono_ns() + (uint64_t)timeout_ms * 1000000ull;
	unsigned step_us = 200;

	for (;;) {
		struct timespec ts;
		int status;
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			if (ret_status)
				*ret_status = status;
			return 0;
		}
		if (w < 0 && errno != EINTR)
			return -errno;
		if (now_mono_ns() >= deadline)
			return -ETIMEDOUT;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)step_us * 1000L;
		nanosleep(&ts, NULL);
		if (step_us < 20000)
			step_us *= 2;
	}
}

int scx_kill_reap(pid_t pid, bool group, int *ret_status, unsigned timeout_ms)
{
	if (group)
		kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	return scx_reap_bounded(pid, ret_status, timeout_ms);
}
