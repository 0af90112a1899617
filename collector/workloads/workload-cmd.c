// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd: the user's reproducer, run as given with execvp (never through a
 * shell), in its own process group, stdin from /dev/null, stdout and stderr
 * captured (the last bytes kept as evidence).  Judged by its exit status and
 * duration: a non-zero exit, a signal or the time limit is a failure.
 */
#include "child.h"
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#define TAIL_MAX 2048

/* The reproducer's figures from how it ended. */
static json_t *figures(const struct scx_child_result *cr, uint64_t dur)
{
	/* Not reaped within the bound after SIGKILL: as killed. */
	int status = cr->reaped ? cr->wstatus : SIGKILL;
	bool failed = cr->timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	json_t *o = json_object(), *t;
	size_t skip = 0;

	if (WIFEXITED(status))
		json_object_set_new(o, "exit_status", json_integer(WEXITSTATUS(status)));
	else if (WIFSIGNALED(status))
		json_object_set_new(o, "signal", json_integer(WTERMSIG(status)));
	json_object_set_new(o, "failed", json_boolean(failed));
	json_object_set_new(o, "timed_out", json_boolean(cr->timed_out));
	json_object_set_new(o, "duration_s", json_real((double)(dur / 1000000) / 1000.0));
	/* Skip a UTF-8 sequence cut at the front; invalid text is left out. */
	while (skip < cr->len && ((unsigned char)cr->out[skip] & 0xc0) == 0x80)
		skip++;
	t = json_stringn(cr->out + skip, cr->len - skip);
	if (t)
		json_object_set_new(o, "output_tail", t);
	return o;
}

int scx_workload_cmd(const struct scx_workload_opts *o, json_t **ret, char *err, size_t errlen)
{
	uint64_t t0 = now_mono_ns();
	struct scx_child_opts co = {
		.argv = o->cmd,
		.stderr_to = SCX_CHILD_STDERR_MERGE,
		.own_group = true,
		.deadline_ns = o->cmd_timeout_ms ? t0 + (uint64_t)o->cmd_timeout_ms * 1000000ull : 0,
		.stop = o->interrupted,
		.term_grace_ms = 2000,
		.out_max = TAIL_MAX, .keep_tail = true,
	};
	struct scx_child_result cr;
	int r;

	if (!o->cmd || !o->cmd[0])
		return -EINVAL;
	r = scx_child_run(&co, &cr);
	if (r < 0)
		return r;
	if (cr.exec_errno) {
		snprintf(err, errlen, "cannot run the reproducer '%s': %s", o->cmd[0],
			 strerror(cr.exec_errno));
		r = -cr.exec_errno;
	} else if (cr.stopped) {
		r = -EINTR;
	} else {
		*ret = figures(&cr, now_mono_ns() - t0);
	}
	scx_child_result_done(&cr);
	return r;
}
