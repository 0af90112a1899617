/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guardian: a small process forked before the first switch that holds
 * the restore recipe and puts the custom scheduler back if scx-report dies
 * without saying it is done (SIGKILL, a crash): it sees the end of its pipe
 * (and PR_SET_PDEATHSIG).  It ignores SIGINT/SIGTERM/SIGHUP, which
 * scx-report handles itself by restoring before it exits.
 *
 * Messages (one byte each): 'a' armed, a stop begins (from now on: put it
 * back if we die), 's' a start begins, 'r' it runs again, 'l' leave (the
 * kernel ejected it: leave the default scheduler), 'd' done (scx-report
 * restored it or there is nothing to do).
 *
 * scx-report may die in the middle of a switch: the guardian then waits for
 * sched_ext to settle before it decides.  During a stop: up to the stop
 * timeout for the scheduler to be gone (then it starts it again).  During a
 * start: up to the start timeout for it to be back (else it starts it).
 *
 * For `qos --against`: 'b' and a pid (another scheduler we started runs as
 * the baseline: stop it first, by SIGINT to that pid, or through the
 * manager when the pid is 0), 'n' (it is stopped again).
 */
#pragma once

#include <sys/types.h>

#include "paired-switch.h"

struct scx_guardian {
	pid_t pid;
	int fd;
};

int scx_guardian_start(const struct scx_switch *sw, struct scx_guardian *g);
void scx_guardian_arm(struct scx_guardian *g);
void scx_guardian_starting(struct scx_guardian *g);
void scx_guardian_running(struct scx_guardian *g);
void scx_guardian_leave(struct scx_guardian *g);
void scx_guardian_baseline(struct scx_guardian *g, pid_t pid);
void scx_guardian_baseline_stopped(struct scx_guardian *g);
/*
 * PID 1's environment may hold NAME (a `systemctl set-environment` for the
 * baseline's start, qos --against under systemd) until the next call with
 * NULL: if scx-report dies in between, even by SIGKILL, the guardian
 * unsets it before anything else, so no unit it starts inherits it.
 */
void scx_guardian_env(struct scx_guardian *g, const char *name);
/* Tell it we are done and reap it (a bounded wait). */
void scx_guardian_done(struct scx_guardian *g);
