// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe runner.  Each probe runs in a forked child in its own process
 * group: the child inherits the report so far (read-only), runs collect(),
 * and sends back {status, reason, truncated, data} as JSON through a pipe.
 * The parent waits at most the probe's timeout, then kills the whole group.
 * Two probes run at once where neither needs the other (a probe marked
 * SCX_PROBE_READS_REPORT waits for the rows it reads, a timed one runs
 * alone): the collector's own load stays at most two short children, and
 * results merge in table order, so the report is the one a sequential run
 * gives.
 */
#include "runner.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"

#define PROBE_OUTPUT_MAX (32u << 20)
#define SCX_PROBES_AT_ONCE 2

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

/* A probe of the run: started, finished or gated, waiting to be merged in table order. */
struct pending {
	const struct scx_probe *probe;
	struct probe_job job;
	json_t *status;			/* gated or not started: ready to merge */
	struct scx_child_result cr;
	bool ready, has_result;
	uint64_t start, dur, timeout_ns;
};

/* Gate it, or start its child; false when it ended at once (gated, cannot start). */
static bool probe_start(struct pending *pe, const struct scx_options *opts, struct scx_child *c)
{
	const struct scx_probe *probe = pe->probe;
	struct scx_child_opts co = {
		.fn = child_main, .arg = &pe->job,
		.own_group = true, .kill_group_at_end = true,	/* what it started goes with it */
		.stop = &scx_interrupted,
		.out_max = PROBE_OUTPUT_MAX, .stop_reading_at_max = true,
	};
	const char *why;

	pe->start = now_mono_ns();
	/* Everything before a probe that reads the report is merged by now (scx_run_probes). */
	if (!scx_probe_gate(probe, opts, &why) ||
	    ((probe->needs & SCX_PROBE_READS_REPORT) && probe->applies &&
	     !probe->applies(pe->job.report, &why))) {
		pe->status = status_obj("skipped", why, 0, false);
		pe->ready = true;
		return false;
	}
	pe->timeout_ns = (uint64_t)(probe->timeout_ms ? probe->timeout_ms : 10000) * 1000000ull;
	if (probe->needs & SCX_PROBE_TIMED)
		pe->timeout_ns += (uint64_t)opts->duration_s * 1000000000ull;
	co.deadline_ns = pe->start + pe->timeout_ns;
	if (scx_child_start(&co, c) < 0) {
		pe->status = status_obj("failed", "cannot start a child process", 0, false);
		pe->ready = true;
		return false;
	}
	return true;
}

static void probe_ended(struct pending *pe, struct scx_child *c)
{
	pe->dur = now_mono_ns() - pe->start;
	scx_child_finish(c, &pe->cr);
	pe->has_result = pe->ready = true;
}

static void probe_merge(struct pending *pe, json_t *report)
{
	json_t *probes = json_object_get(report, "probes");

	if (!probes) {
		probes = json_object();
		json_object_set_new(report, "probes", probes);
	}
	if (pe->has_result) {
		pe->status = child_status(&pe->cr, pe->timeout_ns, pe->dur, report);
		scx_child_result_done(&pe->cr);
	}
	json_object_set_new(probes, pe->probe->name, pe->status);
}

void scx_run_probe(const struct scx_probe *probe, const struct scx_options *opts,
		   const char *stage_dir, json_t *report)
{
	struct pending pe = { probe, { probe, opts, stage_dir, report } };
	struct scx_child c;

	if (probe_start(&pe, opts, &c)) {
		while (!c.done)
			scx_child_wait_any(&c, 1);
		probe_ended(&pe, &c);
	}
	probe_merge(&pe, report);
}

/*
 * The last row a probe must see merged before it starts (SIZE_MAX: none),
 * from SCX_PROBE_READS_REPORT and its `after`; a timed probe sees all.
 */
static size_t must_follow(const struct scx_probe *table, size_t i)
{
	const struct scx_probe *p = &table[i];

	if (!i || !(p->needs & (SCX_PROBE_READS_REPORT | SCX_PROBE_TIMED)))
		return SIZE_MAX;
	if (p->after && !(p->needs & SCX_PROBE_TIMED))
		for (size_t j = 0; j < i; j++)
			if (!strcmp(table[j].name, p->after))
				return j;
	return i - 1;
}

void scx_run_probes(const struct scx_probe *table, const struct scx_options *opts,
		    const char *stage_dir, json_t *report)
{
	struct scx_child slot[SCX_PROBES_AT_ONCE];
	size_t who[SCX_PROBES_AT_ONCE], n = 0, merged = 0, running = 0;
	struct pending *pe;
	size_t *dep;
	bool *started;
	bool alone = false;

	while (table[n].name)
		n++;
	pe = calloc(n ? n : 1, sizeof(*pe));
	dep = calloc(n ? n : 1, sizeof(*dep));
	started = calloc(n ? n : 1, sizeof(*started));
	if (!pe || !dep || !started) {
		free(pe);
		free(dep);
		free(started);
		for (const struct scx_probe *p = table; p->name; p++)
			scx_run_probe(p, opts, stage_dir, report);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pe[i] = (struct pending){ &table[i], { &table[i], opts, stage_dir, report } };
		dep[i] = must_follow(table, i);
	}
	for (size_t k = 0; k < SCX_PROBES_AT_ONCE; k++)
		slot[k].done = true;
	/*
	 * At most SCX_PROBES_AT_ONCE children.  A probe starts, in table order
	 * among those that can, once the rows it reads are merged
	 * (must_follow); one that reads nothing may start ahead of a row that
	 * waits.  A timed one (it measures the machine) starts when all before
	 * it are merged and nothing runs, and runs alone.  Results merge in
	 * table order, so the report is the same as one probe after another.
	 */
	while (merged < n) {
		/* First what has ended, so a probe that reads the report sees it. */
		while (merged < n && pe[merged].ready)
			probe_merge(&pe[merged++], report);
		for (size_t i = merged; i < n && running < SCX_PROBES_AT_ONCE && !alone; i++) {
			size_t k = 0;
			bool timed = table[i].needs & SCX_PROBE_TIMED;

			if (started[i] || (dep[i] != SIZE_MAX && merged <= dep[i]) || (timed && running))
				continue;
			started[i] = true;
			while (!slot[k].done)
				k++;
			if (probe_start(&pe[i], opts, &slot[k])) {
				who[k] = i;
				running++;
				alone = timed;
			}
		}
		if (running) {
			int k = scx_child_wait_any(slot, SCX_PROBES_AT_ONCE);

			if (k >= 0) {
				probe_ended(&pe[who[k]], &slot[k]);
				running--;
				alone = false;
			}
		}
	}
	free(dep);
	free(started);
	free(pe);
}
