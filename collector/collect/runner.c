// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe runner.  Probes run in child processes, at most two at once
 * where neither needs the other (a probe marked SCX_PROBE_READS_REPORT
 * waits for the rows it reads, a timed one runs alone): the collector's
 * own load stays at most two short children, and results merge in table
 * order, so the report is the one a sequential run gives.
 *
 * Each of the two lanes has a worker: a child forked once, in its own
 * process group, that takes one request at a time on a pipe ("ROW LEN\n"
 * and LEN bytes of the report so far, for a probe that reads it), runs
 * that probe, and answers with one line of JSON, {status, reason,
 * truncated, data}.  The parent waits at most the probe's timeout for the
 * line, then kills the worker's whole group: a probe that crashes or hangs
 * costs only its own section, and the next request gets a new worker.
 * One fork per lane instead of one per probe: a fork, its exit and the
 * copy-on-write faults that follow cost 2-4 ms of a 2-core machine each
 * (scripts/bench-snapshot.sh).
 */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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
		.latency_source = o->latency_source,
		.trusted_files = o->trusted_files,
		.n_trusted_files = o->n_trusted_files,
		.boots = o->boots,
		.capture_dir = o->capture_dir,
	};
}

/* ---- in the worker --------------------------------------------------- */

struct worker_arg {
	const struct scx_probe *table;
	const struct scx_options *opts;
	const char *stage_dir;
	int cmd;			/* the request pipe's read end */
};

/* Run one probe; its answer, one line of JSON, on stdout (the pipe). */
static void run_one(const struct worker_arg *w, const struct scx_probe *probe, json_t *report)
{
	struct scx_probe_opts popts = probe_opts(w->opts);
	struct scx_probe_ctx ctx = {
		.name = probe->name,
		.stage_dir = w->stage_dir,
		.report = report,
		.opts = &popts,
		.out = json_object(),
	};
	json_t *msg = json_object();
	const char *status;
	char *text;
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
	/* Compact JSON escapes every newline: the line ends the answer. */
	text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		_exit(3);
	if (write_all(STDOUT_FILENO, text, strlen(text)) < 0 || write_all(STDOUT_FILENO, "\n", 1) < 0)
		_exit(4);
	free(text);
	json_decref(msg);
}

/*
 * The worker: requests on its pipe until it closes.  It keeps only its
 * pipe and stdin/stdout/stderr: the other lane's request pipe, inherited
 * with the fork, must not keep that worker from seeing its end.
 */
static int worker_main(void *arg)
{
	const struct worker_arg *w = arg;
	size_t n_rows = 0;
	FILE *in;

	while (w->table[n_rows].name)
		n_rows++;
	if (dup2(w->cmd, STDIN_FILENO) < 0)
		_exit(5);
	if (syscall(SYS_close_range, 3u, ~0u, 0) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	in = fdopen(STDIN_FILENO, "r");
	if (!in)
		_exit(5);
	for (;;) {
		size_t row, len;
		char *buf;
		json_t *report;

		if (fscanf(in, "%zu %zu", &row, &len) != 2 || fgetc(in) != '\n' || row >= n_rows)
			_exit(0);
		buf = malloc(len + 1);
		if (!buf || fread(buf, 1, len, in) != len)
			_exit(6);
		report = len ? json_loadb(buf, len, 0, NULL) : json_object();
		free(buf);
		if (!report)
			_exit(7);
		run_one(w, &w->table[row], report);
		json_decref(report);
	}
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

/* ---- in the collector ------------------------------------------------- */

/* A probe's answer (one line): its data merged into report, and its status. */
static json_t *answer_status(const char *line, size_t len, uint64_t dur, json_t *report)
{
	json_t *msg = json_loadb(line, len, 0, NULL), *st;

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

/* The status of a probe whose worker ended before it answered. */
static json_t *ended_status(const struct scx_child_result *cr, uint64_t timeout_ns, uint64_t dur)
{
	/* Not reaped within the bound after SIGKILL: as killed. */
	int ws = cr->reaped ? cr->wstatus : SIGKILL;
	char why[96];

	if (cr->stopped)
		return status_obj("failed", "interrupted", dur, false);
	if (cr->timed_out) {
		snprintf(why, sizeof(why), "timed out after %.1f s", (double)timeout_ns / 1e9);
		return status_obj("failed", why, dur, false);
	}
	if (cr->truncated)
		return status_obj("failed", "output too large", dur, true);
	if (WIFSIGNALED(ws))
		snprintf(why, sizeof(why), "crashed (signal %d, %s)", WTERMSIG(ws),
			 strsignal(WTERMSIG(ws)));
	else
		snprintf(why, sizeof(why), "exited without a result (status %d)",
			 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	return status_obj("failed", why, dur, false);
}

/* A probe of the run: gated, started or answered, waiting to be merged in table order. */
struct pending {
	const struct scx_probe *probe;
	json_t *status;			/* set once it ended (or was gated) */
	bool started, ready;
	uint64_t start, timeout_ns;
};

/* A lane: its worker (c.done: none) and the request it runs. */
struct lane {
	struct scx_child *c;		/* one of the array scx_child_wait_any watches */
	int cmd;			/* the request pipe's write end, -1: none */
	size_t row;			/* the probe it runs, SIZE_MAX: idle */
	struct worker_arg arg;
};

static int lane_spawn(struct lane *l, const struct scx_probe *table,
		      const struct scx_options *opts, const char *stage_dir)
{
	struct scx_child_opts co = {
		.fn = worker_main, .arg = &l->arg,
		.own_group = true, .kill_group_at_end = true,	/* what it started goes with it */
		.stop = &scx_interrupted,
		.out_max = PROBE_OUTPUT_MAX, .stop_reading_at_max = true,
		.wake_on_line = true,
	};
	int p[2], r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	l->arg = (struct worker_arg){ table, opts, stage_dir, p[0] };
	r = scx_child_start(&co, l->c);
	close(p[0]);
	if (r < 0) {
		close(p[1]);
		l->c->done = true;
		return r;
	}
	l->cmd = p[1];
	return 0;
}

/* Ask the lane's worker to run row, with the report when the probe reads it. */
static bool lane_send(struct lane *l, size_t row, const json_t *report)
{
	_cleanup_free_ char *text = report ? json_dumps(report, JSON_COMPACT) : NULL;
	size_t len = text ? strlen(text) : 0;
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old;
	char head[48];
	bool ok;
	int r;

	if (report && !text)
		return false;
	snprintf(head, sizeof(head), "%zu %zu\n", row, len);
	/* A worker that is gone: EPIPE here, never a SIGPIPE that ends the collection. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	r = write_all(l->cmd, head, strlen(head));
	if (r == 0)
		r = write_all(l->cmd, text ? text : "", len);
	ok = r == 0;
	if (r == -EPIPE)
		sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ok;
}

/* Close its requests and wait for the worker to end (killed after grace_ms). */
static void lane_end(struct lane *l, unsigned grace_ms)
{
	struct scx_child_result cr;

	if (l->cmd >= 0)
		close(l->cmd);
	l->cmd = -1;
	if (l->c->done)
		return;
	l->c->o.deadline_ns = now_mono_ns() + (uint64_t)grace_ms * 1000000ull;
	while (!l->c->done)
		scx_child_wait_any(l->c, 1);
	scx_child_finish(l->c, &cr);
	scx_child_result_done(&cr);
}

/* Gate it, or hand it to the lane (a new worker if it has none); false when it ended at once. */
static bool probe_start(struct pending *pe, size_t row, struct lane *l,
			const struct scx_probe *table, const struct scx_options *opts,
			const char *stage_dir, const json_t *report)
{
	const struct scx_probe *probe = pe->probe;
	const char *why;

	pe->start = now_mono_ns();
	pe->started = true;
	/* Everything before a probe that reads the report is merged by now (scx_run_probes). */
	if (!scx_probe_gate(probe, opts, &why) ||
	    ((probe->needs & SCX_PROBE_READS_REPORT) && probe->applies &&
	     !probe->applies(report, &why))) {
		pe->status = status_obj("skipped", why, 0, false);
		pe->ready = true;
		return false;
	}
	pe->timeout_ns = (uint64_t)(probe->timeout_ms ? probe->timeout_ms : 10000) * 1000000ull;
	if (probe->needs & SCX_PROBE_TIMED)
		pe->timeout_ns += (uint64_t)opts->duration_s * 1000000000ull;
	/* A worker that died between requests: one more, once. */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (l->c->done && lane_spawn(l, table, opts, stage_dir) < 0)
			break;
		l->c->o.deadline_ns = pe->start + pe->timeout_ns;
		if (lane_send(l, row, probe->needs & SCX_PROBE_READS_REPORT ? report : NULL)) {
			l->row = row;
			return true;
		}
		lane_end(l, 0);
	}
	pe->status = status_obj("failed", "cannot start a child process", 0, false);
	pe->ready = true;
	return false;
}

/*
 * The lane woke: its probe answered (a line), or its worker ended (then
 * the probe failed unless its answer came first).  true when a probe ended.
 */
static bool lane_woke(struct lane *l, struct pending *pe, json_t *report)
{
	struct pending *p = l->row != SIZE_MAX ? &pe[l->row] : NULL;
	char *nl = l->c->r.len ? memchr(l->c->r.out, '\n', l->c->r.len) : NULL;
	uint64_t dur = p ? now_mono_ns() - p->start : 0;

	if (p && nl) {
		p->status = answer_status(l->c->r.out, (size_t)(nl - l->c->r.out), dur, report);
		scx_child_consume(l->c, (size_t)(nl - l->c->r.out) + 1);
	} else if (p && l->c->done) {
		p->status = ended_status(&l->c->r, p->timeout_ns, dur);
	} else if (!l->c->done) {
		/* A line that answers nothing: the worker broke its protocol; the core ends it. */
		l->c->o.deadline_ns = 1;
		return false;
	}
	if (p)
		p->ready = true;
	l->row = SIZE_MAX;
	if (l->c->done) {
		struct scx_child_result cr;

		scx_child_finish(l->c, &cr);
		scx_child_result_done(&cr);
		if (l->cmd >= 0)
			close(l->cmd);
		l->cmd = -1;
	} else {
		l->c->o.deadline_ns = 0;	/* idle: it waits for the next request */
	}
	return p != NULL;
}

static void probe_merge(struct pending *pe, json_t *report)
{
	json_t *probes = json_object_get(report, "probes");

	if (!probes) {
		probes = json_object();
		json_object_set_new(report, "probes", probes);
	}
	json_object_set_new(probes, pe->probe->name, pe->status);
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
	struct scx_child kids[SCX_PROBES_AT_ONCE];
	struct lane lane[SCX_PROBES_AT_ONCE];
	size_t n = 0, merged = 0, running = 0;
	struct pending *pe;
	size_t *dep;
	bool alone = false;

	while (table[n].name)
		n++;
	pe = calloc(n ? n : 1, sizeof(*pe));
	dep = calloc(n ? n : 1, sizeof(*dep));
	if (!pe || !dep) {
		free(pe);
		free(dep);
		scx_log_error("out of memory: no probe ran");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pe[i] = (struct pending){ &table[i] };
		dep[i] = must_follow(table, i);
	}
	for (size_t k = 0; k < SCX_PROBES_AT_ONCE; k++) {
		kids[k].done = true;
		lane[k] = (struct lane){ .c = &kids[k], .cmd = -1, .row = SIZE_MAX };
	}
	/*
	 * At most SCX_PROBES_AT_ONCE probes at once.  A probe starts, in table
	 * order among those that can, once the rows it reads are merged
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

			if (pe[i].started || (dep[i] != SIZE_MAX && merged <= dep[i]) || (timed && running))
				continue;
			while (lane[k].row != SIZE_MAX)
				k++;
			if (probe_start(&pe[i], i, &lane[k], table, opts, stage_dir, report)) {
				running++;
				alone = timed;
			}
		}
		if (running) {
			int k = scx_child_wait_any(kids, SCX_PROBES_AT_ONCE);

			if (k >= 0 && lane_woke(&lane[k], pe, report)) {
				running--;
				alone = false;
			}
		}
	}
	for (size_t k = 0; k < SCX_PROBES_AT_ONCE; k++)
		lane_end(&lane[k], 2000);
	free(dep);
	free(pe);
}
