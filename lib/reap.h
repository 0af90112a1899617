/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded waits for child processes: a child stuck in uninterruptible sleep
 * (D state) survives SIGKILL until the kernel lets go, and must not hang the
 * collector.  Such a child is left as it is (a zombie later) and said so by
 * the return code.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* waitpid(pid) for at most timeout_ms: 0 and *ret_status (may be NULL), or -ETIMEDOUT/-errno. */
int scx_reap_bounded(pid_t pid, int *ret_status, unsigned timeout_ms);
/* SIGKILL to pid (to its group too when group), then scx_reap_bounded. */
int scx_kill_reap(pid_t pid, bool group, int *ret_status, unsigned timeout_ms);
