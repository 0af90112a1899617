// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe runner.  Each probe runs in a forked child in its own process
 * group: the child inherits the report so far (read-only), runs collect(),
 * and sends back {status, reason, truncated, data} as JSON through a pipe.
 * The parent waits at most the probe's timeout, then kills the whole group.
 * Probes run one after another, so later probes see earlier results and
 * the machine is never loaded by the collector itself.
 */
#include "runner.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"

#define PROBE_OUTPUT_MAX (32u << 20)

static json_t *status_obj(const char *status, const char *reason, uint64_t dur_ns, bool truncated)
{
	json_t *o = json_object();

	json_object_set_new(o, "status", json_string(status));
	if (reason && *reason)
		json_object_set_new(o, "reason", json_string(reason));
	json_object_set_new(o, "duration_ms", json_real((double)(dur_ns / 1000) / 1000.0));
	json_object_set_new(o, "truncated", json_boolean(truncated));
	return o;
}

/* What of the user's options probes see (probe.h). */
static struct scx_probe_opts probe_opts(const struct scx_options *o)
{
	return (struct scx_probe_opts){
		.sysroot = o->sysroot ? o->sysroot : "",
		.duration_s = o->duration_s,
		.latency = o->latency,
		.filter_pid = o->filter_pid,
		.filter_cgroup = o->filter_cgroup,
		.trusted_files = o->trusted_files,
		.n_trusted_files = o->n_trusted_files,
		.boots = o->boots,
		.capture_dir = o->capture_dir,
	};
}

struct probe_job {
	const struct scx_probe *probe;
	const struct scx_options *opts;
	const char *stage_dir;
	json_t *report;
};

/* In the child: run the probe, send {status, reason, truncated, data} on stdout (the pipe). */
static int child_main(void *arg)
{
	const struct probe_job *job = arg;
	const struct scx_probe *probe = job->probe;
	const char *stage_dir = job->stage_dir;
	json_t *report = job->report;
	struct scx_probe_opts popts = probe_opts(job->opts);
	int fd = STDOUT_FILENO;
	struct scx_probe_ctx ctx = {
		.name = probe->name,
		.sysroot = popts.sysroot,
		.stage_dir = stage_dir,
		.report = report,
		.opts = &popts,
		.out = json_object(),
	};
	json_t *msg = json_object();
	const char *status;
	char *text;
	size_t len, off = 0;
	int r;

	r = probe->collect(&ctx);
	if (r >= 0)
		status = "ok";
	else if (probe_errno_skips(r))
		status = "skipped";
	else
		status = "failed";
	if (r < 0 && !ctx.reason[0])
		snprintf(ctx.reason, sizeof(ctx.reason), "%s", strerror(-r));
	json_object_set_new(msg, "status", json_string(status));
	json_object_set_new(msg, "reason", json_string(ctx.reason));
	json_object_set_new(msg, "truncated", json_boolean(ctx.truncated));
	json_object_set_new(msg, "data", ctx.out);
	text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		_exit(3);
	len = strlen(text);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(4);
		}
		off += (size_t)n;
	}
	_exit(0);
}

bool scx_probe_gate(const struct scx_probe *probe, const struct scx_options *opts,
		    const char **why)
{
	struct scx_probe_opts popts = probe_opts(opts);
	bool live = !*popts.sysroot;

	*why = NULL;
	if (probe->enabled && !probe->enabled(&popts, why))
		return false;
	if ((probe->needs & SCX_NEED_LIVE) && !live) {
		*why = "reads the live kernel; not available with --sysroot";
		return false;
	}
	if ((probe->needs & SCX_NEED_ROOT) && live && geteuid() != 0) {
		*why = "needs root";
		return false;
	}
	return true;
}

/* The probe's status (and its data merged into report) from how its child ended. */
static json_t *child_status(const struct scx_child_result *cr, uint64_t timeout_ns, uint64_t dur,
			    json_t *report)
{
	/* Not reaped within the bound after SIGKILL: as killed. */
	int ws = cr->reaped ? cr->wstatus : SIGKILL;
	char why[96];
	json_error_t err;
	json_t *msg, *st;

	if (cr->stopped)
		return status_obj("failed", "interrupted", dur, false);
	if (cr->timed_out) {
		snprintf(why, sizeof(why), "timed out after %.1f s", (double)timeout_ns / 1e9);
		return status_obj("failed", why, dur, false);
	}
	if (cr->truncated)
		return status_obj("failed", "output too large", dur, true);
	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0 || cr->len == 0) {
		if (WIFSIGNALED(ws))
			snprintf(why, sizeof(why), "crashed (signal %d, %s)", WTERMSIG(ws),
				 strsignal(WTERMSIG(ws)));
		else
			snprintf(why, sizeof(why), "exited without a result (status %d)",
				 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
		return status_obj("failed", why, dur, false);
	}
	msg = json_loads(cr->out, 0, &err);
	if (!msg || !json_is_object(json_object_get(msg, "data"))) {
		json_decref(msg);
		return status_obj("failed", "unreadable result", dur, false);
	}
	json_object_update_recursive(report, json_object_get(msg, "data"));
	st = status_obj(json_string_value(json_object_get(msg, "status")),
			json_string_value(json_object_get(msg, "reason")), dur,
			json_is_true(json_object_get(msg, "truncated")));
	json_decref(msg);
	return st;
}

void scx_run_probe(const struct scx_probe *probe, const struct scx_options *opts,
		   const char *stage_dir, json_t *report)
{
	json_t *probes = json_object_get(report, "probes");
	uint64_t start = now_mono_ns(), timeout_ns;
	struct probe_job job = { probe, opts, stage_dir, report };
	struct scx_child_opts co = {
		.fn = child_main, .arg = &job,
		.own_group = true, .kill_group_at_end = true,	/* what it started goes with it */
		.stop = &scx_interrupted,
		.out_max = PROBE_OUTPUT_MAX, .stop_reading_at_max = true,
	};
	struct scx_child_result cr;
	const char *why;

	if (!probes) {
		probes = json_object();
		json_object_set_new(report, "probes", probes);
	}
	if (!scx_probe_gate(probe, opts, &why)) {
		json_object_set_new(probes, probe->name, status_obj("skipped", why, 0, false));
		return;
	}
	timeout_ns = (uint64_t)(probe->timeout_ms ? probe->timeout_ms : 10000) * 1000000ull;
	if (probe->needs & SCX_PROBE_TIMED)
		timeout_ns += (uint64_t)opts->duration_s * 1000000000ull;
	co.deadline_ns = start + timeout_ns;
	if (scx_child_run(&co, &cr) < 0) {
		json_object_set_new(probes, probe->name,
				    status_obj("failed", "cannot start a child process", 0, false));
		return;
	}
	json_object_set_new(probes, probe->name,
			    child_status(&cr, timeout_ns, now_mono_ns() - start, report));
	scx_child_result_done(&cr);
}

void scx_run_probes(const struct scx_probe *table, const struct scx_options *opts,
		    const char *stage_dir, json_t *report)
{
	for (const struct scx_probe *p = table; p->name; p++)
		scx_run_probe(p, opts, stage_dir, report);
}
