/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded waits for child processes: a child stuck in uninterruptible sleep
 * (D state) survives SIGKILL until the kernel lets go, and must not hang the
 * collector.  Such a child is left as it is (a zombie later) and said so by
 * the return code.
 *
 * The waits sleep in poll(2) on a pidfd (pidfd_open, Linux 5.3), which the
 * kernel wakes when the child exits: no timer slices, no back-off.  On older
 * kernels they sleep on a signalfd for SIGCHLD instead (SIGCHLD blocked for
 * the duration of the wait).
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* waitpid(pid) for at most timeout_ms: 0 and *ret_status (may be NULL), or -ETIMEDOUT/-errno. */
int scx_reap_bounded(pid_t pid, int *ret_status, unsigned timeout_ms);
/* SIGKILL to pid (to its group too when group), then scx_reap_bounded. */
int scx_kill_reap(pid_t pid, bool group, int *ret_status, unsigned timeout_ms);

/* A pidfd for pid (close-on-exec), or -errno (-ENOSYS before Linux 5.3). */
int scx_pidfd_open(pid_t pid);

/*
 * Without pidfds: SIGCHLD blocked (the previous mask in *ret_old) and a
 * signalfd that turns readable when a child changes state; -errno.  Undo
 * with scx_sigchld_fd_close.
 */
int scx_sigchld_fd_open(sigset_t *ret_old);
void scx_sigchld_fd_close(int fd, const sigset_t *old);
/* Read and drop what the signalfd holds (call when poll says it is readable). */
void scx_sigchld_fd_drain(int fd);
