// SPDX-License-Identifier: GPL-2.0-or-later
/* The one child-process core (child.h). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define REAP_AFTER_KILL_MS 5000u

static _Noreturn void child_main(const struct scx_child_opts *o, int out_fd, int err_fd)
{
	/* A crashing child dies here; it never runs its parent's handlers. */
	static const int dfl[] = { SIGPIPE, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
				   SIGINT, SIGTERM, SIGHUP };
	int null = open("/dev/null", O_RDWR | O_CLOEXEC), e;
	sigset_t none;

	if (o->own_group)
		setpgid(0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(dfl); i++)
		signal(dfl[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (null >= 0)
		dup2(null, 0);
	dup2(out_fd, 1);
	if (o->stderr_to == SCX_CHILD_STDERR_MERGE)
		dup2(out_fd, 2);
	else if (o->stderr_to == SCX_CHILD_STDERR_NULL && null >= 0)
		dup2(null, 2);
	if (o->setup)
		o->setup(o->arg);
	if (!o->argv)
		_exit(o->fn(o->arg));
	execvp(o->argv[0], o->argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Keep n more bytes of output: the first or the last out_max of them. */
static void keep(const struct scx_child_opts *o, struct scx_child_result *r, const char *buf,
		 size_t n)
{
	size_t room;

	if (o->keep_tail && n >= o->out_max) {
		memcpy(r->out, buf + n - o->out_max, o->out_max);
		r->truncated = r->truncated || n > o->out_max || r->len;
		r->len = o->out_max;
		return;
	}
	if (o->keep_tail && r->len + n > o->out_max) {
		size_t drop = r->len + n - o->out_max;

		memmove(r->out, r->out + drop, r->len - drop);
		r->len -= drop;
		r->truncated = true;
	}
	room = o->out_max - r->len;
	if (n > room) {
		n = room;
		r->truncated = true;
	}
	memcpy(r->out + r->len, buf, n);
	r->len += n;
}

static void signal_child(const struct scx_child_opts *o, pid_t pid, int sig)
{
	kill(o->own_group ? -pid : pid, sig);
}

/* waitpid, but for at most REAP_AFTER_KILL_MS: a task stuck in the kernel is left behind. */
static bool reap_bounded(pid_t pid, int *ws)
{
	for (unsigned ms = 0; ms < REAP_AFTER_KILL_MS; ms += 10) {
		struct timespec ts = { 0, 10000000L };
		pid_t w = waitpid(pid, ws, WNOHANG);

		if (w == pid)
			return true;
		if (w < 0 && errno != EINTR)
			return false;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Read what is there; false at end of file, an error, or (when asked) past out_max. */
static bool read_some(const struct scx_child_opts *o, struct scx_child_result *r, int fd)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (o->out_max)
		keep(o, r, buf, (size_t)n);
	else if (n)
		r->truncated = true;
	return !(o->stop_reading_at_max && r->truncated);
}

/* Until the child is reaped (or killed and given up on); closes *fd when done with it. */
static void supervise(const struct scx_child_opts *o, pid_t pid, int *fd,
		      struct scx_child_result *r)
{
	bool signalled = false;
	uint64_t kill_at = 0;

	for (;;) {
		uint64_t now = now_mono_ns();
		struct pollfd p = { *fd, POLLIN, 0 };

		if (waitpid(pid, &r->wstatus, WNOHANG) == pid) {
			r->reaped = true;
			break;
		}
		if (!signalled && ((o->stop && *o->stop) || (o->deadline_ns && now >= o->deadline_ns))) {
			r->stopped = o->stop && *o->stop;
			r->timed_out = !r->stopped;
			signalled = true;
			kill_at = now + (uint64_t)o->term_grace_ms * 1000000ull;
			signal_child(o, pid, o->term_grace_ms ? SIGTERM : SIGKILL);
		}
		if (signalled && now >= kill_at) {
			signal_child(o, pid, SIGKILL);
			r->reaped = reap_bounded(pid, &r->wstatus);
			break;
		}
		/* Closing the pipe at its end or past out_max: a writer gets SIGPIPE. */
		if (poll(&p, 1, *fd >= 0 ? 50 : 10) > 0 && !read_some(o, r, *fd))
			*fd = (close(*fd), -1);
	}
	/* What is still in the pipe, and nothing more: descendants may hold it open. */
	while (*fd >= 0) {
		struct pollfd p = { *fd, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0 || !read_some(o, r, *fd))
			break;
	}
}

int scx_child_run(const struct scx_child_opts *o, struct scx_child_result *ret)
{
	struct scx_child_result r = { .wstatus = 0 };
	int out[2] = { -1, -1 }, ep[2] = { -1, -1 }, e = 0;
	pid_t pid;

	r.out = malloc(o->out_max + 1);
	if (!r.out)
		return -ENOMEM;
	if (pipe2(out, O_CLOEXEC) < 0 || (o->argv && pipe2(ep, O_CLOEXEC) < 0)) {
		e = -errno;
		goto fail;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		e = -errno;
		goto fail;
	}
	if (pid == 0)
		child_main(o, out[1], ep[1]);
	if (o->own_group)
		setpgid(pid, pid);
	close(out[1]);
	if (o->argv) {
		close(ep[1]);
		/* EOF when the exec worked (close-on-exec), else its errno. */
		if (read(ep[0], &r.exec_errno, sizeof(r.exec_errno)) != (ssize_t)sizeof(int))
			r.exec_errno = 0;
		close(ep[0]);
	}
	supervise(o, pid, &out[0], &r);
	if (out[0] >= 0)
		close(out[0]);
	if (o->own_group && o->kill_group_at_end)
		kill(-pid, SIGKILL);
	r.out[r.len] = '\0';
	*ret = r;
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	free(r.out);
	return e;
}

void scx_child_result_done(struct scx_child_result *r)
{
	free(r->out);
	r->out = NULL;
	r->len = 0;
}
