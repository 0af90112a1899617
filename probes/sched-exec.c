// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helper programs of the identity probe (dpkg-query, dpkg, apt-cache, rpm,
 * systemctl, journalctl, busctl, rc-service): fork + execvp with an argv,
 * never a shell string; stdin from /dev/null; output through a pipe, bounded
 * in size and time.  The scheduler binary itself is never run.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sched.h"

bool sched_have_program(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

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

void sched_cmd_done(struct sched_cmd *c)
{
	free(c->out);
	c->out = NULL;
	c->len = 0;
}

int sched_run(const char *const argv[], unsigned timeout_ms, size_t max, bool merge_stderr,
	      struct sched_cmd *ret)
{
	struct sched_cmd c = { .status = -1 };
	uint64_t deadline = now_mono_ns() + (uint64_t)timeout_ms * 1000000ull;
	bool timed_out = false;
	size_t cap = max + 1 < 4096 ? max + 1 : 4096;
	int pfd[2], ws = 0;
	pid_t pid;

	if (!sched_have_program(argv[0]))
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
		/* Plain, stable, untranslated output for the parsers. */
		setenv("LC_ALL", "C", 1);
		setenv("SYSTEMD_PAGER", "", 1);
		setenv("PAGER", "cat", 1);
		setenv("SYSTEMD_COLORS", "0", 1);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		uint64_t now = now_mono_ns();
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		ssize_t n;

		if (now >= deadline) {
			timed_out = true;
			break;
		}
		if (poll(&p, 1, (int)((deadline - now) / 1000000ull) + 1) <= 0) {
			if (errno == EINTR)
				continue;
			continue;
		}
		if (c.len + 1 >= cap) {
			char *nb;

			if (cap >= max + 1) {
				c.truncated = true;
				break;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(c.out, cap);
			if (!nb)
				break;
			c.out = nb;
		}
		n = read(pfd[0], c.out + c.len, cap - c.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		c.len += (size_t)n;
	}
	close(pfd[0]);
	c.out[c.len] = '\0';
	if (timed_out || c.truncated)
		kill(pid, SIGKILL);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		c.status = 124;
	else if (WIFEXITED(ws))
		c.status = WEXITSTATUS(ws);
	else
		c.status = -1;
	*ret = c;
	return 0;
}

void sched_save_cmd(struct scx_probe_ctx *ctx, const char *rel, const char *const argv[],
		    const struct sched_cmd *c)
{
	size_t cap = 64 + (c->out ? c->len : 0), off = 0;
	_cleanup_free_ char *buf = NULL;

	for (const char *const *a = argv; *a; a++)
		cap += strlen(*a) + 3;
	buf = malloc(cap);
	if (!buf)
		return;
	off += (size_t)snprintf(buf + off, cap - off, "$");
	for (const char *const *a = argv; *a; a++)
		off += (size_t)snprintf(buf + off, cap - off, " %s", *a);
	off += (size_t)snprintf(buf + off, cap - off, "\n");
	if (c->out && c->len) {
		memcpy(buf + off, c->out, c->len);
		off += c->len;
		if (c->out[c->len - 1] != '\n')
			buf[off++] = '\n';
	}
	off += (size_t)snprintf(buf + off, cap - off, "[exit %d%s]\n", c->status,
				c->truncated ? ", output truncated" : "");
	probe_save(ctx, rel, buf, off);
}
