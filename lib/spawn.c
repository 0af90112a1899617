// SPDX-License-Identifier: GPL-2.0-or-later
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

bool scx_have_program(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		if (n && snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		path += n + (colon ? 1 : 0);
	}
	return false;
}

void scx_cmd_done(struct scx_cmd *c)
{
	free(c->out);
	c->out = NULL;
	c->len = 0;
}

static int ms_left(uint64_t deadline)
{
	uint64_t now = now_mono_ns();

	return now >= deadline ? 0 : (int)((deadline - now) / 1000000ull) + 1;
}

int scx_spawn(const char *const argv[], unsigned timeout_ms, size_t max, bool merge_stderr,
	      struct scx_cmd *ret)
{
	struct scx_cmd c = { .status = -1 };
	uint64_t deadline = now_mono_ns() + (uint64_t)timeout_ms * 1000000ull;
	size_t cap = max + 1 < 4096 ? max + 1 : 4096;
	bool timed_out = false;
	int pfd[2], ws = 0;
	pid_t pid, w;

	if (!scx_have_program(argv[0]))
		return -ENOENT;
	c.out = malloc(cap);
	if (!c.out)
		return -ENOMEM;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(c.out);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(pfd[0]);
		close(pfd[1]);
		free(c.out);
		return -e;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(merge_stderr ? pfd[1] : devnull, 2);
		signal(SIGPIPE, SIG_DFL);
		setenv("LC_ALL", "C", 1);
		setenv("SYSTEMD_PAGER", "", 1);
		setenv("PAGER", "cat", 1);
		setenv("SYSTEMD_COLORS", "0", 1);
		execvp(argv[0], (char *const *)argv);
		dprintf(merge_stderr ? 1 : 2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);

	/* Output until EOF, the size bound or the deadline. */
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		int left = ms_left(deadline), n;
		ssize_t rd;

		if (left == 0) {
			timed_out = true;
			break;
		}
		n = poll(&p, 1, left);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		if (c.len + 1 >= cap) {
			char *nb;

			if (cap >= max + 1) {
				c.truncated = true;
				break;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(c.out, cap);
			if (!nb) {
				c.truncated = true;
				break;
			}
			c.out = nb;
		}
		rd = read(pfd[0], c.out + c.len, cap - c.len - 1);
		if (rd < 0 && errno == EINTR)
			continue;
		if (rd <= 0)
			break;
		c.len += (size_t)rd;
	}
	close(pfd[0]);
	c.out[c.len] = '\0';

	/* Then its exit, still within the deadline: a program that closed its output may go on. */
	for (;;) {
		struct timespec ts = { 0, 10000000L };

		w = waitpid(pid, &ws, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (timed_out || ms_left(deadline) == 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&ts, NULL);
	}
	if (timed_out)
		c.status = 124;
	else if (WIFEXITED(ws))
		c.status = WEXITSTATUS(ws);
	else
		c.status = -1;
	*ret = c;
	return 0;
}
