// SPDX-License-Identifier: GPL-2.0-or-later
/* The one child-process core (child.h). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reap.h"
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

/*
 * Room for want bytes (and the NUL), at most out_max: the buffer grows with
 * the output instead of taking out_max (32 MiB for a probe) up front.
 */
static bool room_for(const struct scx_child_opts *o, struct scx_child_result *r, size_t *cap,
		     size_t want)
{
	size_t c = *cap;
	char *p;

	if (want > o->out_max)
		want = o->out_max;
	if (want <= c)
		return true;
	while (c < want)
		c = c < 4096 ? 4096 : 2 * c;
	if (c > o->out_max)
		c = o->out_max;
	p = realloc(r->out, c + 1);
	if (!p)
		return false;
	r->out = p;
	*cap = c;
	return true;
}

/* Keep n more bytes of output: the first or the last out_max of them. */
static void keep(const struct scx_child_opts *o, struct scx_child_result *r, size_t *cap,
		 const char *buf, size_t n)
{
	size_t room;

	if (!room_for(o, r, cap, r->len + n)) {
		r->truncated = true;	/* no memory: keep what there is */
		return;
	}
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

/* Read what is there; false at end of file, an error, or (when asked) past out_max. */
static bool read_some(const struct scx_child_opts *o, struct scx_child_result *r, size_t *cap,
		      int fd)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (o->out_max)
		keep(o, r, cap, buf, (size_t)n);
	else if (n)
		r->truncated = true;
	return !(o->stop_reading_at_max && r->truncated);
}

/* What is still in the pipe, and nothing more: descendants may hold it open. */
static void drain(struct scx_child *c)
{
	while (c->fd >= 0) {
		struct pollfd p = { c->fd, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0 || !read_some(&c->o, &c->r, &c->cap, c->fd))
			break;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static void end(struct scx_child *c)
{
	drain(c);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;
	if (c->o.own_group && c->o.kill_group_at_end)
		kill(-c->pid, SIGKILL);
	c->r.out[c->r.len] = '\0';
	c->done = true;
}

/* waitpid without blocking: true when it was reaped now. */
static bool try_reap(struct scx_child *c)
{
	pid_t w;

	do
		w = waitpid(c->pid, &c->r.wstatus, WNOHANG);
	while (w < 0 && errno == EINTR);
	c->r.reaped = w == c->pid;
	return c->r.reaped;
}

/*
 * The clock's part at now: SIGTERM (or SIGKILL) at the deadline or on a stop
 * request, SIGKILL after the grace, giving up REAP_AFTER_KILL_MS later.  True
 * when given up on; *next is lowered to the next time that matters.
 */
static bool timers(struct scx_child *c, uint64_t now, uint64_t *next)
{
	const struct scx_child_opts *o = &c->o;

	if (!c->signalled && ((o->stop && *o->stop) || (o->deadline_ns && now >= o->deadline_ns))) {
		c->r.stopped = o->stop && *o->stop;
		c->r.timed_out = !c->r.stopped;
		c->signalled = true;
		c->kill_at = now + (uint64_t)o->term_grace_ms * 1000000ull;
		signal_child(o, c->pid, o->term_grace_ms ? SIGTERM : SIGKILL);
	}
	if (c->signalled && !c->killed && now >= c->kill_at) {
		signal_child(o, c->pid, SIGKILL);
		c->killed = true;
		c->kill_at = now + REAP_AFTER_KILL_MS * 1000000ull;
	}
	if (c->killed && now >= c->kill_at) {
		try_reap(c);	/* stuck in the kernel: left behind, reaped false */
		return true;
	}
	if (c->signalled)
		*next = c->kill_at < *next ? c->kill_at : *next;
	else if (o->deadline_ns)
		*next = o->deadline_ns < *next ? o->deadline_ns : *next;
	return false;
}

#define WAIT_MAX 8

int scx_child_wait_any(struct scx_child *c, size_t n)
{
	struct pollfd p[2 * WAIT_MAX + 1];
	size_t who[2 * WAIT_MAX + 1];
	sigset_t stops, old, during, before_chld;
	bool any = false, need_chld = false;
	int ret = -ENOENT, sfd = -1;

	for (size_t i = 0; i < n && i < WAIT_MAX; i++) {
		any = any || !c[i].done;
		need_chld = need_chld || (!c[i].done && c[i].pidfd < 0);
	}
	if (!any)
		return -ENOENT;
	/* The stop signals reach us only inside ppoll: a stop request always wakes it. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_BLOCK, &stops, &old);
	during = old;
	if (need_chld) {
		sfd = scx_sigchld_fd_open(&before_chld);
		sigaddset(&during, SIGCHLD);
	}
	for (;;) {
		uint64_t now = now_mono_ns(), next = UINT64_MAX;
		struct timespec ts;
		size_t np = 0;
		int k;

		for (size_t i = 0; i < n && i < WAIT_MAX; i++) {
			if (c[i].done)
				continue;
			/* Without a pidfd the signalfd only says "some child": look. */
			if ((c[i].pidfd < 0 && try_reap(&c[i])) || timers(&c[i], now, &next)) {
				ret = (int)i;
				goto out;
			}
			if (c[i].fd >= 0)
				who[np] = i, p[np++] = (struct pollfd){ c[i].fd, POLLIN, 0 };
			if (c[i].pidfd >= 0)
				who[np] = i, p[np++] = (struct pollfd){ c[i].pidfd, POLLIN, 0 };
		}
		if (sfd >= 0)
			who[np] = SIZE_MAX, p[np++] = (struct pollfd){ sfd, POLLIN, 0 };
		else if (need_chld && next - now > 10000000ull)
			next = now + 10000000ull;	/* no signalfd either: look every 10 ms */
		if (next != UINT64_MAX)
			ts = (struct timespec){ (time_t)((next - now) / 1000000000ull),
						(long)((next - now) % 1000000000ull) };
		k = ppoll(p, np, next == UINT64_MAX ? NULL : &ts, &during);
		if (k < 0 && errno != EINTR) {
			/* Cannot wait (no memory): end the first one the hard way. */
			for (size_t i = 0; i < n && i < WAIT_MAX; i++)
				if (!c[i].done) {
					signal_child(&c[i].o, c[i].pid, SIGKILL);
					c[i].r.reaped = scx_reap_bounded(c[i].pid, &c[i].r.wstatus,
									 REAP_AFTER_KILL_MS) == 0;
					ret = (int)i;
					goto out;
				}
		}
		for (size_t j = 0; k > 0 && j < np; j++) {
			struct scx_child *ch;

			if (!p[j].revents)
				continue;
			if (who[j] == SIZE_MAX) {
				scx_sigchld_fd_drain(sfd);
				continue;
			}
			ch = &c[who[j]];
			if (p[j].fd == ch->fd) {
				size_t had = ch->r.len;

				/* Closing the pipe at its end or past out_max: a writer gets SIGPIPE. */
				if (!read_some(&ch->o, &ch->r, &ch->cap, ch->fd))
					ch->fd = (close(ch->fd), -1);
				else if (ch->o.wake_on_line && ch->r.len > had &&
					 memchr(ch->r.out + had, '\n', ch->r.len - had)) {
					ret = (int)who[j];
					goto woken;
				}
			} else if (try_reap(ch)) {
				ret = (int)who[j];
				goto out;
			}
		}
	}
out:
	end(&c[ret]);
woken:
	if (need_chld && sfd >= 0)
		scx_sigchld_fd_close(sfd, &before_chld);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void scx_child_consume(struct scx_child *c, size_t n)
{
	if (n > c->r.len)
		n = c->r.len;
	memmove(c->r.out, c->r.out + n, c->r.len - n);
	c->r.len -= n;
}

int scx_child_start(const struct scx_child_opts *o, struct scx_child *c)
{
	int out[2] = { -1, -1 }, ep[2] = { -1, -1 }, e = 0;
	pid_t pid;

	*c = (struct scx_child){ .o = *o, .fd = -1, .pidfd = -1 };
	c->r.out = malloc(1);
	if (!c->r.out)
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
	c->pid = pid;
	c->fd = out[0];
	/* Ours until we reap it, so the pid cannot be reused: the pidfd names this child. */
	e = scx_pidfd_open(pid);
	c->pidfd = e >= 0 ? e : -1;
	if (o->argv) {
		close(ep[1]);
		/* EOF when the exec worked (close-on-exec), else its errno. */
		if (read(ep[0], &c->r.exec_errno, sizeof(c->r.exec_errno)) != (ssize_t)sizeof(int))
			c->r.exec_errno = 0;
		close(ep[0]);
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	free(c->r.out);
	c->r.out = NULL;
	return e;
}

void scx_child_finish(struct scx_child *c, struct scx_child_result *ret)
{
	*ret = c->r;
	c->r.out = NULL;
}

int scx_child_run(const struct scx_child_opts *o, struct scx_child_result *ret)
{
	struct scx_child c;
	int e = scx_child_start(o, &c);

	if (e < 0)
		return e;
	while (!c.done)
		scx_child_wait_any(&c, 1);
	scx_child_finish(&c, ret);
	return 0;
}

void scx_child_result_done(struct scx_child_result *r)
{
	free(r->out);
	r->out = NULL;
	r->len = 0;
}
