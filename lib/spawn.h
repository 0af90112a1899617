/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running another program: fork + execvp of an argv (never a shell string),
 * stdin from /dev/null, output through a pipe, bounded in size and in time.
 * The one way scx-report runs dpkg, rpm, systemctl, journalctl, busctl and
 * rc-service, for the identity probe and for the paired run's switching.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * The only PATH a helper is searched in and runs with, whatever the caller's
 * PATH says (an empty element or "." would run ./systemctl from the cwd as
 * root); its environment is cleared but for PATH, LC_ALL and the pager and
 * colour switches.
 */
#define SCX_HELPER_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

struct scx_cmd {
	int status;		/* exit status; 127 could not exec, 124 timed out, -1 signalled */
	char *out;		/* stdout (and stderr when merged), NUL-terminated */
	size_t len;
	bool truncated;		/* more than max bytes: the rest was not read */
};

/*
 * Run argv[0] (searched in SCX_HELPER_PATH) for at most timeout_ms, keeping
 * at most max bytes of output; a clean environment, LC_ALL=C and no pager or
 * colours, so parsers see stable text.  Returns 0 when it ran (whatever its
 * exit status), -ENOENT when argv[0] is not in SCX_HELPER_PATH, another
 * -errno when it could not start.
 */
int scx_spawn(const char *const argv[], unsigned timeout_ms, size_t max, bool merge_stderr,
	      struct scx_cmd *ret);
void scx_cmd_done(struct scx_cmd *c);
/* Is an executable named prog in SCX_HELPER_PATH (or at prog, when it has a '/')? */
bool scx_have_program(const char *prog);
