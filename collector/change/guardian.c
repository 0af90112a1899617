// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guardian (see guardian.h).  Its own exit code is 0 when it had nothing
 * to do or restored the scheduler, SCX_EXIT_NOT_RESTORED (3) when it could
 * not; it says so loudly on the stderr it inherited.
 */
#include "guardian.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reap.h"
#include "scx-state.h"
#include "util.h"
#include "exit-codes.h"

/* The longest variable name the guardian keeps for scx_guardian_env(). */
#define GUARDIAN_ENV_NAME 128

static void on_parent_death(int sig)
{
	(void)sig;	/* only interrupts read() */
}

enum phase { PH_RUNNING, PH_STOPPING, PH_STARTING };

/*
 * scx-report died in the middle of a switch: wait until sched_ext settles.
 * Stopping: until the custom scheduler is gone (it unloads a moment after
 * SIGINT or systemctl stop).  Starting: until it is back, so that a start
 * already under way is not doubled.
 */
static void settle(const struct scx_switch *sw, enum phase ph)
{
	unsigned ms = ph == PH_STOPPING ? sw->stop_timeout_ms : sw->start_timeout_ms;
	struct scx_want gone = { .loaded = false, .settled = true };
	struct scx_want back = { .loaded = true, .ops = sw->ops, .settled = true, .seq_after = INT64_MIN };

	if (ph == PH_RUNNING)
		return;
	/* Event-driven (scx-state.h); a timeout only means we go on and look. */
	(void)scx_state_wait(ph == PH_STOPPING ? &gone : &back, now_mono_ns() + (uint64_t)ms * 1000000ull,
			     NULL, NULL, NULL);
	/* A manual scheduler that was told to stop: let it finish exiting. */
	if (ph == PH_STOPPING && sw->manager == SCX_MGR_MANUAL && sw->pidfd >= 0)
		(void)scx_pidfd_wait_exit(sw->pidfd, 5000);
}

/* qos --against: stop the baseline scheduler we started (pid, or 0: through the manager). */
static void stop_baseline(struct scx_switch *sw, pid_t pid, const char *ops)
{
	char err[512] = "";

	fprintf(stderr, "scx-report: guardian: stopping the baseline scheduler %s first\n", ops);
	if (pid > 0) {
		struct scx_want gone = { .loaded = false };

		kill(pid, SIGINT);
		/* Until root/ops is gone, at most 20 s as before. */
		(void)scx_state_wait(&gone, now_mono_ns() + 20000000000ull, NULL, NULL, NULL);
		return;
	}
	if (scx_switch_stop(sw, err, sizeof(err)) < 0)
		fprintf(stderr, "scx-report: guardian: %s\n", err);
}

/*
 * baseline_starting: scx-report died while the baseline's start was under
 * way (its override still in PID 1's environment): whatever root/ops says
 * now, that start is stopped first, or ours would only join its job.
 */
static int restore(struct scx_switch *sw, enum phase ph, bool baseline, pid_t baseline_pid,
		   bool baseline_starting)
{
	struct scx_sysfs_state st;
	char err[512] = "";
	int r;

	settle(sw, ph);
	scx_sysfs_read(&st);
	if (!strcmp(st.ops, sw->ops)) {
		/* Killed while it was starting the scheduler again: that start finished it. */
		if (ph == PH_STARTING) {
			fprintf(stderr, "scx-report: guardian: scx-report ended during the start of %s "
				"it had begun; waited for that start\n", sw->ops);
			fprintf(stderr, "scx-report: guardian: %s is running again\n", sw->ops);
		}
		return 0;
	}
	if (baseline && (st.ops[0] || baseline_starting)) {
		stop_baseline(sw, baseline_pid, st.ops[0] ? st.ops : "(still starting)");
		scx_sysfs_read(&st);
	}
	if (st.ops[0]) {
		fprintf(stderr, "scx-report: guardian: NOT RESTORED: another scheduler (%s) is running "
			"now, leaving it; %s was the one running before the paired run\n", st.ops, sw->ops);
		return SCX_EXIT_NOT_RESTORED;
	}
	fprintf(stderr, "scx-report: guardian: scx-report ended while %s was stopped; starting %s "
		"again through %s\n", sw->ops, sw->ops, scx_manager_name(sw->manager));
	r = scx_switch_start(sw, err, sizeof(err));
	scx_sysfs_read(&st);
	if (r < 0 || strcmp(st.ops, sw->ops)) {
		fprintf(stderr, "scx-report: guardian: NOT RESTORED: the custom scheduler %s is not "
			"running (%s); root/ops is %s. Start it again yourself.\n", sw->ops,
			err[0] ? err : "root/ops differs", st.ops[0] ? st.ops : "absent");
		return SCX_EXIT_NOT_RESTORED;
	}
	fprintf(stderr, "scx-report: guardian: %s is running again\n", sw->ops);
	return 0;
}

static void guardian_main(struct scx_switch *sw, int fd, pid_t parent)
{
	struct sigaction sa = { .sa_handler = on_parent_death };
	enum phase ph = PH_RUNNING;
	bool armed = false, baseline = false;
	pid_t baseline_pid = 0;
	char env[GUARDIAN_ENV_NAME] = "";
	int exe_fd, pidfd;
	char c;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	prctl(PR_SET_NAME, "scx-guardian");
	/*
	 * A session of its own: a shell's `kill -9 %1`, or anything else that
	 * signals scx-report's whole process group, must not take the guardian
	 * with it.  (A cgroup-wide kill, as systemd's, still can: nothing in
	 * user space survives that.)
	 */
	setsid();
	/*
	 * Hold nothing of the parent's but this pipe (3), the pinned executable
	 * (4) and process (5), and stdio.
	 */
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 16);
	exe_fd = sw->exe_pin.fd >= 0 ? fcntl(sw->exe_pin.fd, F_DUPFD_CLOEXEC, 16) : -1;
	pidfd = sw->pidfd >= 0 ? fcntl(sw->pidfd, F_DUPFD_CLOEXEC, 16) : -1;
	if (fd < 0 || dup3(fd, 3, O_CLOEXEC) < 0)
		_exit(SCX_EXIT_NOT_RESTORED);
	fd = 3;
	sw->exe_pin.fd = exe_fd >= 0 ? dup3(exe_fd, 4, O_CLOEXEC) : -1;
	sw->pidfd = pidfd >= 0 ? dup3(pidfd, 5, O_CLOEXEC) : -1;
	syscall(SYS_close_range, 6u, ~0u, 0u);
	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n == 1) {
			if (c == 'a') {
				armed = true;
				ph = PH_STOPPING;
			} else if (c == 's') {
				ph = PH_STARTING;
			} else if (c == 'r') {
				ph = PH_RUNNING;
			} else if (c == 'l') {
				armed = false;
			}
			else if (c == 'd')
				_exit(0);
			else if (c == 'b' && read(fd, &baseline_pid, sizeof(baseline_pid)) ==
						 (ssize_t)sizeof(baseline_pid))
				baseline = true;
			else if (c == 'n')
				baseline = false;
			else if (c == 'e' && read(fd, env, sizeof(env)) == (ssize_t)sizeof(env))
				env[sizeof(env) - 1] = '\0';
			else if (c == 'E')
				env[0] = '\0';
			continue;
		}
		if (n < 0 && errno == EINTR && getppid() == parent)
			continue;
		break;	/* EOF or the parent died: it did not say "done" */
	}
	/*
	 * First PID 1's environment: a unit started from here on must not
	 * inherit the override.  Its start (the baseline's) may still be under
	 * way: stopped through the manager before ours.
	 */
	if (env[0]) {
		fprintf(stderr, "scx-report: guardian: unsetting %s in the service manager's environment\n",
			env);
		scx_switch_unset_env(env, sw->start_timeout_ms);
		baseline = true;
		baseline_pid = 0;
	}
	_exit(armed ? restore(sw, ph, baseline, baseline_pid, env[0] != '\0') : 0);
}

int scx_guardian_start(const struct scx_switch *sw, struct scx_guardian *g)
{
	pid_t parent = getpid(), pid;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		close(p[1]);
		/* The recipe is ours now: a copy made by fork. */
		guardian_main((struct scx_switch *)sw, p[0], parent);
	}
	close(p[0]);
	g->pid = pid;
	g->fd = p[1];
	return 0;
}

static void say(struct scx_guardian *g, char c)
{
	if (g->fd >= 0 && write(g->fd, &c, 1) != 1)
		scx_log_warn("guardian: cannot reach it: %s", strerror(errno));
}

void scx_guardian_arm(struct scx_guardian *g)
{
	say(g, 'a');
}

void scx_guardian_starting(struct scx_guardian *g)
{
	say(g, 's');
}

void scx_guardian_running(struct scx_guardian *g)
{
	say(g, 'r');
}

void scx_guardian_leave(struct scx_guardian *g)
{
	say(g, 'l');
}

void scx_guardian_baseline(struct scx_guardian *g, pid_t pid)
{
	char msg[1 + sizeof(pid)] = { 'b' };

	/* One write, under PIPE_BUF: the guardian never sees half of it. */
	memcpy(msg + 1, &pid, sizeof(pid));
	if (g->fd >= 0 && write(g->fd, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		scx_log_warn("guardian: cannot reach it: %s", strerror(errno));
}

void scx_guardian_baseline_stopped(struct scx_guardian *g)
{
	say(g, 'n');
}

void scx_guardian_env(struct scx_guardian *g, const char *name)
{
	char msg[1 + GUARDIAN_ENV_NAME] = { 'e' };

	if (!name) {
		say(g, 'E');
		return;
	}
	snprintf(msg + 1, sizeof(msg) - 1, "%s", name);
	/* One write, under PIPE_BUF: the guardian never sees half of it. */
	if (g->fd >= 0 && write(g->fd, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		scx_log_warn("guardian: cannot reach it: %s", strerror(errno));
}

void scx_guardian_done(struct scx_guardian *g)
{
	if (g->pid <= 0)
		return;
	say(g, 'd');
	close(g->fd);
	g->fd = -1;
	/* It leaves at once on 'd'; a guardian stuck in a restore must not hang us. */
	if (scx_reap_bounded(g->pid, NULL, 10000) < 0)
		scx_log_warn("guardian: pid %d did not exit, leaving it", (int)g->pid);
	g->pid = -1;
}
