// SPDX-License-Identifier: GPL-2.0-or-later
/* Helper programs (spawn.h), run through the child-process core (child.h). */
#include "spawn.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "util.h"

bool scx_have_program(const char *prog)
{
	/* The helpers' PATH (SCX_HELPER_PATH), never the caller's: no "", ".", nor a user's folder. */
	const char *path = SCX_HELPER_PATH;
	char buf[PATH_MAX];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
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

/*
 * In the child, before exec: a clean environment (nothing of the caller's:
 * no LD_PRELOAD, PATH, SYSTEMD_*, BPFTOOL_*...), a fixed PATH, so execvp()
 * finds the helper only in root's folders, and stable text for parsers.
 */
static void plain_environment(void *arg)
{
	clearenv();
	setenv("PATH", SCX_HELPER_PATH, 1);
	setenv("LC_ALL", "C", 1);
	setenv("SYSTEMD_PAGER", "", 1);
	setenv("PAGER", "cat", 1);
	setenv("SYSTEMD_COLORS", "0", 1);
}

int scx_spawn(const char *const argv[], unsigned timeout_ms, size_t max, bool merge_stderr,
	      struct scx_cmd *ret)
{
	struct scx_child_opts o = {
		.argv = (char *const *)argv,
		.setup = plain_environment,
		.stderr_to = merge_stderr ? SCX_CHILD_STDERR_MERGE : SCX_CHILD_STDERR_NULL,
		.deadline_ns = now_mono_ns() + (uint64_t)timeout_ms * 1000000ull,
		.out_max = max,
		.stop_reading_at_max = true,
	};
	struct scx_child_result r;
	struct scx_cmd c = { .status = -1 };
	int e;

	if (!scx_have_program(argv[0]))
		return -ENOENT;
	e = scx_child_run(&o, &r);
	if (e < 0)
		return e;
	c.out = r.out;
	c.len = r.len;
	c.truncated = r.truncated;
	if (r.exec_errno) {
		c.status = 127;
		if (merge_stderr && !c.len) {
			free(c.out);
			if (asprintf(&c.out, "cannot run %s: %s\n", argv[0], strerror(r.exec_errno)) < 0)
				c.out = NULL;
			c.len = c.out ? strlen(c.out) : 0;
		}
	} else if (r.timed_out) {
		c.status = 124;
	} else if (r.reaped && WIFEXITED(r.wstatus)) {
		c.status = WEXITSTATUS(r.wstatus);
	}
	*ret = c;
	return 0;
}
