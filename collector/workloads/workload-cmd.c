// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd: the user's reproducer, run as given with execvp (never through a
 * shell), in its own process group, stdin from /dev/null, stdout and stderr
 * captured (the last bytes kept as evidence).  Judged by its exit status and
 * duration: a non-zero exit, a signal or the time limit is a failure.
 */
#include "workload.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAIL_MAX 2048

static void keep_tail(char *tail, size_t *len, const char *buf, size_t n)
{
	if (n >= TAIL_MAX) {
		memcpy(tail, buf + n - TAIL_MAX, TAIL_MAX);
		*len = TAIL_MAX;
		return;
	}
	if (*len + n > TAIL_MAX) {
		size_t drop = *len + n - TAIL_MAX;

		memmove(tail, tail + drop, *len - drop);
		*len -= drop;
	}
	memcpy(tail + *len, buf, n);
	*len += n;
}

static void child_exec(char **argv, int out_fd, int err_pipe)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigset_t none;
	int e;

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (null >= 0)
		dup2(null, 0);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_pipe, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int scx_workload_cmd(const struct scx_workload_opts *o, json_t **ret, char *err, size_t errlen)
{
	int out[2] = { -1, -1 }, ep[2] = { -1, -1 }, status = 0, exec_errno = 0, r = 0;
	uint64_t t0, kill_at = 0;
	bool timed_out = false, interrupted = false, reaped = false, out_open = true;
	char tail[TAIL_MAX], buf[4096];
	size_t tail_len = 0;
	pid_t pid;

	if (!o->cmd || !o->cmd[0])
		return -EINVAL;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	t0 = scx_wl_now_ns();
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	if (pid == 0)
		child_exec(o->cmd, out[1], ep[1]);
	setpgid(pid, pid);
	close(out[1]);
	close(ep[1]);
	out[1] = ep[1] = -1;
	if (read(ep[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, NULL, 0);
		snprintf(err, errlen, "cannot run the reproducer '%s': %s", o->cmd[0], strerror(exec_errno));
		r = -exec_errno;
		goto out;
	}
	while (!reaped) {
		struct pollfd pfd = { out_open ? out[0] : -1, POLLIN, 0 };
		uint64_t now;

		if (poll(&pfd, 1, 50) > 0 && (pfd.revents & (POLLIN | POLLHUP))) {
			ssize_t n = read(out[0], buf, sizeof(buf));

			if (n > 0)
				keep_tail(tail, &tail_len, buf, (size_t)n);
			else
				out_open = false;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			reaped = true;
			break;
		}
		now = scx_wl_now_ns();
		if (!kill_at && o->interrupted && *o->interrupted) {
			interrupted = true;
			kill(-pid, SIGTERM);
			kill_at = now + 2000000000ull;
		} else if (!kill_at && o->cmd_timeout_ms &&
			   now - t0 > (uint64_t)o->cmd_timeout_ms * 1000000ull) {
			timed_out = true;
			kill(-pid, SIGTERM);
			kill_at = now + 2000000000ull;
		} else if (kill_at && now > kill_at) {
			kill(-pid, SIGKILL);
		}
	}
	/* What is still buffered in the pipe (and nothing more: children may hold it open). */
	while (out_open) {
		struct pollfd pfd = { out[0], POLLIN, 0 };
		ssize_t n;

		if (poll(&pfd, 1, 0) <= 0 || (n = read(out[0], buf, sizeof(buf))) <= 0)
			break;
		keep_tail(tail, &tail_len, buf, (size_t)n);
	}
	if (interrupted) {
		r = -EINTR;
		goto out;
	}
	{
		uint64_t dur = scx_wl_now_ns() - t0;
		bool failed = timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		json_t *o_json = json_object();

		if (WIFEXITED(status))
			json_object_set_new(o_json, "exit_status", json_integer(WEXITSTATUS(status)));
		else if (WIFSIGNALED(status))
			json_object_set_new(o_json, "signal", json_integer(WTERMSIG(status)));
		json_object_set_new(o_json, "failed", json_boolean(failed));
		json_object_set_new(o_json, "timed_out", json_boolean(timed_out));
		json_object_set_new(o_json, "duration_s", json_real((double)(dur / 1000000) / 1000.0));
		{
			/* Skip a UTF-8 sequence cut at the front; invalid text is left out. */
			size_t skip = 0;
			json_t *t;

			while (skip < tail_len && ((unsigned char)tail[skip] & 0xc0) == 0x80)
				skip++;
			t = json_stringn(tail + skip, tail_len - skip);
			if (t)
				json_object_set_new(o_json, "output_tail", t);
		}
		*ret = o_json;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	return r;
}
