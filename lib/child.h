/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one child-process core: fork, a pipe for the child's output, poll with
 * a deadline, stop on request, kill (the whole process group when it has
 * one), and a bounded wait after SIGKILL (a child stuck in the kernel is left
 * behind rather than hanging us).  Used by the probe runner (a function in
 * the child), scx_spawn (helper programs) and the paired run's reproducer
 * (an argv).  Never prints.
 *
 * Event-driven: the wait sleeps in one ppoll(2) on the output pipe and a
 * pidfd of each child (a signalfd for SIGCHLD before Linux 5.3) until
 * output, an exit, the next deadline or a signal (SIGINT, SIGTERM and
 * SIGHUP are blocked outside the ppoll, so a stop request that lands just
 * before it still wakes it): no timer slices, no back-off.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum scx_child_stderr {
	SCX_CHILD_STDERR_INHERIT = 0,	/* ours */
	SCX_CHILD_STDERR_NULL,		/* /dev/null */
	SCX_CHILD_STDERR_MERGE,		/* into the output pipe */
};

struct scx_child_opts {
	/* What the child does: exec argv (searched in PATH), else fn(arg) and _exit its return. */
	char *const *argv;
	int (*fn)(void *arg);
	void *arg;
	void (*setup)(void *arg);	/* in the child before fn/exec (environment); may be NULL */

	enum scx_child_stderr stderr_to;
	bool own_group;			/* own process group; stops and kills reach all of it */
	bool kill_group_at_end;		/* kill what the child left in its group (needs own_group) */

	uint64_t deadline_ns;		/* CLOCK_MONOTONIC; 0: none */
	volatile sig_atomic_t *stop;	/* stop early when it turns non-zero (may be NULL) */
	unsigned term_grace_ms;		/* on deadline/stop: SIGTERM, then SIGKILL after this (0: SIGKILL) */

	size_t out_max;			/* output bytes kept (0: none) */
	/*
	 * scx_child_wait_any also returns (the child not done) when a whole
	 * line of output has come: a child that answers requests one line at
	 * a time (the probe runner's workers).  The caller takes the lines
	 * with scx_child_consume and may move o.deadline_ns meanwhile.
	 */
	bool wake_on_line;
	bool keep_tail;			/* keep the last out_max bytes, else the first */
	bool stop_reading_at_max;	/* past out_max close the pipe (the child gets SIGPIPE) */
};

struct scx_child_result {
	char *out;			/* NUL-terminated output (malloc'd), or NULL */
	size_t len;
	bool truncated;			/* more output than out_max */
	int wstatus;			/* waitpid status, when reaped */
	bool reaped;			/* false: did not die within 5 s of SIGKILL */
	bool timed_out, stopped;	/* why it was killed, if it was */
	int exec_errno;			/* argv: execvp failed with this (exit status 127) */
};

/*
 * Run a child to its end.  Returns 0 when it ran (whatever became of it;
 * see *ret), -errno when it could not be started (pipe, fork, memory).
 */
int scx_child_run(const struct scx_child_opts *o, struct scx_child_result *ret);
void scx_child_result_done(struct scx_child_result *r);

/*
 * Several children at once (the probe runner runs two): start each, then
 * scx_child_wait_any until each has ended, then scx_child_finish.  The
 * struct is the caller's; its fields are the core's.
 */
struct scx_child {
	struct scx_child_opts o;
	pid_t pid;
	int fd, pidfd;			/* output pipe, pidfd (-1: closed / none) */
	size_t cap;			/* r.out holds cap bytes and the NUL */
	bool signalled, killed, done;
	uint64_t kill_at;		/* signalled: when to SIGKILL; killed: when to give up */
	struct scx_child_result r;
};

/* Start one; 0, or -errno when it could not be started (pipe, fork, memory). */
int scx_child_start(const struct scx_child_opts *o, struct scx_child *c);
/*
 * Read output and wait until one of the n children not yet done ends; mark
 * it done and return its index.  -ENOENT when every one is done already.
 * With o.wake_on_line, also the index of one (not done) whose output now
 * holds a line it did not hold before.
 */
int scx_child_wait_any(struct scx_child *c, size_t n);
/* Drop the first n bytes of a child's output (lines taken while it runs). */
void scx_child_consume(struct scx_child *c, size_t n);
/* Its result, once done (ownership of ->out passes to ret). */
void scx_child_finish(struct scx_child *c, struct scx_child_result *ret);
