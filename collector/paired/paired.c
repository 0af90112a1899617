// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run: the same workload on the custom scheduler and on the
 * default one, alternately (C D C D ...; --calibrate adds default-vs-default
 * rounds), measured by the latency probe (probes/latency-api.h) and by the
 * workload itself, then the custom scheduler put back.
 *
 * Reads /sys/kernel/sched_ext/{state,enable_seq,root/ops} (6.12+) before and
 * after every run and drops a run in which they changed; an ejection during
 * a custom run ends the paired run and leaves the default scheduler in
 * charge (the kernel's choice).  /dev/kmsg gives the kernel's words for it.
 * Restoration: on every way out of here, and by the guardian (guardian.c)
 * when scx-report itself dies.
 */
#include "paired.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "came-back.h"
#include "guarded-switch.h"
#include "kmsg-parse.h"
#include "latency-api.h"
#include "paired-record.h"
#include "paired-switch.h"
#include "progress.h"
#include "scx-state.h"
#include "sequential.h"
#include "util.h"
#include "exit-codes.h"
#include "workload.h"

struct paired {
	const struct scx_paired_opts *opts;
	struct scx_guarded_switch gs;	/* the switch, with the guardian told of every step */
	struct scx_switch *sw;		/* gs.custom */
	struct scx_latency *lat;
	const char *workload;
	json_t *out, *runs;
	int kmsg_fd;
	bool came_back;			/* something else started it again after our stop */
	bool progress;
	unsigned total_runs, done_runs;
	bool sequential;		/* screen first (judge/sequential.h) */
	struct scx_seq_plan plan;
	json_t *seq;			/* paired.sequential */
	double paired_s;		/* the workload's time so far, both sides */
};

static json_t *skipped(const char *why)
{
	return json_pack("{s:s, s:s}", "status", "skipped", "reason", why);
}

/* ---- progress on a terminal ------------------------------------------------ */

static void progress(struct paired *p, const char *phase, unsigned round)
{
	unsigned left_runs = p->total_runs - p->done_runs;
	uint64_t per_switch = p->gs.switches ? p->gs.switch_ns / p->gs.switches : 1000000000ull;
	uint64_t left_s = left_runs * (uint64_t)p->opts->duration_s +
			  (left_runs * per_switch) / 1000000000ull;

	if (!p->progress)
		return;
	scx_progress_show(left_s * 1000000000ull, "paired run: %s, round %u, run %u of %u%s",
			  phase, round, p->done_runs + 1, p->total_runs,
			  p->sequential ? " (less if decided early)" : "");
}

static void progress_end(struct paired *p)
{
	if (p->progress)
		scx_progress_end();
}

/* ---- the kernel's words ------------------------------------------------------ */

static void kmsg_open(struct paired *p)
{
	p->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (p->kmsg_fd >= 0)
		lseek(p->kmsg_fd, 0, SEEK_END);	/* only what happens from now on */
}

/* New sched_ext lines of the kernel log since the last call. */
static json_t *kmsg_new_lines(struct paired *p)
{
	json_t *lines = json_array();
	char rec[8192];
	ssize_t n;

	/* One record per read(), parsed as the kmsg probe does (unescaped, continuation lines). */
	while (p->kmsg_fd >= 0 && (n = read(p->kmsg_fd, rec, sizeof(rec))) != 0) {
		struct kmsg_record r;
		char *save = NULL;

		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: go on with the next */
				continue;
			break;
		}
		if (kmsg_parse_record(rec, (size_t)n, &r) < 0)
			continue;
		for (char *l = strtok_r(r.text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (startswith(l, "sched_ext:") && json_array_size(lines) < 40)
				json_array_append_new(lines, json_string(l));
		kmsg_record_done(&r);
	}
	return lines;
}

/* ---- one run ----------------------------------------------------------------- */

static json_t *sysfs_json(const struct scx_sysfs_state *st)
{
	return json_pack("{s:s, s:s?, s:I}", "state", st->state, "ops", st->ops[0] ? st->ops : NULL,
			 "enable_seq", (json_int_t)st->enable_seq);
}

/* The probe's runq delay of SCHED_NORMAL/EXT tasks (what a scheduler decides). */
static json_t *probe_figures(struct scx_latency *lat)
{
	json_t *snap, *h, *o;

	if (!lat || !(snap = scx_latency_snapshot(lat)))
		return NULL;
	h = jget(snap, "runq.by_class.normal_ext");
	if (!h)
		h = jget(snap, "runq");
	o = h ? json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "what",
			  "wakeup-to-run delay of normal tasks (runq)",
			  "count", json_object_get(h, "count"), "p50_ns", json_object_get(h, "p50_ns"),
			  "p90_ns", json_object_get(h, "p90_ns"), "p99_ns", json_object_get(h, "p99_ns"),
			  "p999_ns", json_object_get(h, "p999_ns"), "max_ns", json_object_get(h, "max_ns"))
	      : NULL;
	json_decref(snap);
	return o;
}

/* "custom" or "screen-custom": the custom scheduler should be running. */
static bool custom_side(const char *side)
{
	return !strcmp(side, "custom") || !strcmp(side, "screen-custom");
}

static const char *side_expectation(const struct paired *p, const char *side,
				    const struct scx_sysfs_state *st)
{
	if (custom_side(side))
		return strcmp(st->ops, p->sw->ops) ? "the custom scheduler was not loaded" : NULL;
	return st->ops[0] ? "a sched_ext scheduler was loaded on the default side" : NULL;
}

/* Returns 1 when the custom scheduler was ejected during this run, 0, or -errno. */
static int one_run(struct paired *p, const char *side, unsigned round, unsigned duration_s,
		   json_t **ret_run, char *err, size_t errlen)
{
	struct scx_workload_opts wo = {
		.name = p->workload, .cmd = p->opts->workload_cmd,
		.duration_ms = duration_s * 1000u,
		.cmd_timeout_ms = duration_s * 1000u * 10u + 60000u,
		.interrupted = &scx_interrupted,
	};
	struct scx_sysfs_state before, after;
	json_t *run, *fig = NULL;
	const char *drop = NULL;
	uint64_t t0;
	int r, ejected = 0;

	scx_sysfs_read(&before);
	if (p->lat)
		scx_latency_reset(p->lat);
	t0 = now_mono_ns();
	r = scx_workload_run(&wo, &fig, err, errlen);
	scx_sysfs_read(&after);
	if (r < 0)
		return r;
	run = json_pack("{s:I, s:s, s:I, s:o, s:o, s:f, s:o}", "order",
			(json_int_t)json_array_size(p->runs) + 1, "side", side, "round", (json_int_t)round,
			"before", sysfs_json(&before), "after", sysfs_json(&after),
			"elapsed_s", (double)((now_mono_ns() - t0) / 1000000) / 1000.0, "workload", fig);
	p->paired_s += (double)((now_mono_ns() - t0) / 1000000) / 1000.0;
	{
		json_t *pf = probe_figures(p->lat);

		if (pf)
			json_object_set_new(run, "probe", pf);
	}
	if (!scx_sysfs_same(&before, &after)) {
		drop = "sched_ext state, root/ops or enable_seq changed during the run";
		/*
		 * Nobody stopped it during a custom run: leaving "enabled" is the
		 * kernel ejecting it.  root/ops lingers while the state is
		 * "disabling", so the state says it first.
		 */
		if (custom_side(side) && before.ops[0] && !strcmp(before.state, "enabled") &&
		    (!after.ops[0] || strcmp(after.state, "enabled"))) {
			ejected = 1;
			drop = "the custom scheduler was ejected during the run";
		}
	} else {
		drop = side_expectation(p, side, &before);
	}
	json_object_set_new(run, "valid", json_boolean(!drop));
	if (drop)
		json_object_set_new(run, "drop_reason", json_string(drop));
	*ret_run = run;
	return ejected;
}

/* ---- switching ------------------------------------------------------------------ */

static int to_default(struct paired *p, char *err, size_t errlen)
{
	return scx_guarded_to_baseline(&p->gs, err, errlen);
}

static int to_custom(struct paired *p, char *err, size_t errlen)
{
	return scx_guarded_to_custom(&p->gs, err, errlen);
}

/* By hand: another file took the binary's path during the run; the pinned original ran. */
static void exe_note(struct paired *p)
{
	json_t *rs = json_object_get(p->out, "restore");
	char why[PATH_MAX + 200];

	if (!p->sw->exe_replaced || !rs)
		return;
	snprintf(why, sizeof(why), "%s was replaced by another file during the paired run; that "
		 "file was never run: scx-report ran the original binary it had pinned (sha256 %.16s…)",
		 p->sw->exe, p->sw->sha256);
	json_object_set_new(rs, "why", json_string(why));
	json_object_set_new(rs, "exe_replaced", json_true());
}

/* Put the custom scheduler back if we took it away; sets paired.restore. */
static void restore(struct paired *p)
{
	struct scx_sysfs_state st;
	char err[512] = "";
	int r = 0;

	if (p->gs.left_default) {
		json_object_set_new(p->out, "restore", json_pack("{s:s, s:s}", "action", "left-default",
			"why", "the kernel ejected the custom scheduler during the paired run; the default "
			"scheduler it fell back to was left running (the kernel's choice)"));
		return;
	}
	if (p->came_back) {
		json_object_set_new(p->out, "restore", json_pack("{s:s, s:s}", "action", "not-needed",
			"why", "the scheduler came back by itself after scx-report stopped it; scx-report "
			"started no second copy"));
		return;
	}
	if (!p->gs.custom_stopped) {
		json_object_set_new(p->out, "restore", json_pack("{s:s}", "action", "not-needed"));
		return;
	}
	r = scx_guarded_restore(&p->gs, &st, err, sizeof(err));
	if (r < 0) {
		scx_log_error("THE CUSTOM SCHEDULER %s WAS NOT RESTORED: %s (root/ops is %s). "
			      "Start it again yourself.", p->sw->ops, err[0] ? err : "root/ops differs",
			      st.ops[0] ? st.ops : "absent");
		json_object_set_new(p->out, "restore", json_pack("{s:s, s:s, s:s?}", "action", "failed",
			"error", err[0] ? err : "root/ops differs", "ops_now", st.ops[0] ? st.ops : NULL));
		json_object_set_new(p->out, "exit_code", json_integer(SCX_EXIT_NOT_RESTORED));
		exe_note(p);
		return;
	}
	json_object_set_new(p->out, "restore", json_pack("{s:s, s:s, s:I}", "action", "restarted",
		"ops", st.ops, "enable_seq", (json_int_t)st.enable_seq));
	exe_note(p);
}

/*
 * The kernel ejected the custom scheduler: during run `run`, or (run NULL)
 * right after we started it again for `round`, before we could even see it
 * loaded (a scheduler that stalls every task stalls us too).  The reason is
 * the kernel's last `disabled (...)` line for it; our own stops before it
 * say "unregistered from user space".
 */
static void record_ejection(struct paired *p, const json_t *run, unsigned round)
{
	json_t *lines = kmsg_new_lines(p), *l, *e;
	_cleanup_free_ char *reason = NULL;
	size_t i;

	json_array_foreach(lines, i, l) {
		const char *rest = json_string_value(l) + strlen("sched_ext:");
		char *ops = NULL, *why = NULL;

		rest += strspn(rest, " ");
		if (kmsg_parse_disabled(rest, &ops, &why) < 0)
			continue;
		if (!strcmp(ops, p->sw->ops)) {
			free(reason);
			reason = TAKE_PTR(why);
		}
		free(ops);
		free(why);
	}
	e = json_pack("{s:s, s:s, s:I, s:o}", "ops", p->sw->ops, "reason", reason ? reason : "unknown",
		      "round", (json_int_t)round, "kernel_log", lines);
	json_object_set(e, "run", run ? json_object_get(run, "order") : json_null());
	json_object_set_new(e, "when", json_string(run ? "during a custom run"
						       : "right after it was started again for a custom run"));
	json_object_set_new(p->out, "ejection", e);
	scx_guarded_leave(&p->gs);
}

/* After a failed start: was it loaded (enable_seq moved) and is it gone again? */
static bool ejected_on_start(const struct scx_sysfs_state *before)
{
	struct scx_sysfs_state now;

	scx_sysfs_read(&now);
	return now.enable_seq > before->enable_seq && !now.ops[0];
}

/*
 * While we hold the custom scheduler stopped, nothing else may load one: a
 * supervisor, a `while true` wrapper or Restart=always brought it back.  Stop
 * the paired run there, name who did it, and never start a second copy.
 * Returns 1 when that happened.
 */
static int check_came_back(struct paired *p, unsigned round)
{
	struct scx_sysfs_state st;
	char who[768], reason[1200];

	if (!p->gs.custom_stopped)
		return 0;
	scx_sysfs_read(&st);
	if (!st.ops[0]) {
		/*
		 * By hand: a process already running the very file we stopped is on
		 * its way to loading it (a wrapper loop): starting ours would make two.
		 */
		if (p->sw->manager != SCX_MGR_MANUAL ||
		    scx_came_back_describe(p->sw, who, sizeof(who)) <= 0)
			return 0;
		struct scx_want any = { .loaded = true, .seq_after = INT64_MIN };

		/* Event-driven (scx-state.h): until any scheduler is loaded, or the start timeout. */
		(void)scx_state_wait(&any, now_mono_ns() + (uint64_t)p->sw->start_timeout_ms * 1000000ull,
				     NULL, &st, NULL);
		/* Nothing loaded: the process was no scheduler coming back; we restore ours. */
		if (!st.ops[0])
			return 0;
	}
	scx_came_back_describe(p->sw, who, sizeof(who));
	p->came_back = true;
	scx_guarded_came_back(&p->gs);
	if (!st.ops[0] || !strcmp(st.ops, p->sw->ops))
		snprintf(reason, sizeof(reason), "%s came back by itself after scx-report stopped it "
			 "(round %u): %s. Something restarts it (a supervisor, a "
			 "wrapper loop, Restart=always); scx-report started no second copy. Stop what "
			 "restarts it, or run the scheduler through that manager, and run scx-report again",
			 p->sw->ops, round, who);
	else
		snprintf(reason, sizeof(reason), "another scheduler (%s) was loaded while scx-report held "
			 "%s stopped: %s. scx-report left it running and started no second scheduler",
			 st.ops, p->sw->ops, who);
	json_object_set_new(p->out, "came_back", json_pack("{s:s, s:s, s:I, s:s}", "ops",
		st.ops[0] ? st.ops : "(not loaded yet)",
		"by", who, "round", (json_int_t)round, "reason", reason));
	return 1;
}

/* ---- the loop ----------------------------------------------------------------- */

/*
 * One phase: rounds `first`..`last`, pairs of runs of `duration_s`, custom/default
 * alternately (switching as needed), or default/default for calibration.
 * Sides are "custom"/"default" or "calibration-a"/"-b", with "screen-" in
 * front for the screening runs.  Returns 1 on an ejection, 0, or -errno.
 */
static int run_phase(struct paired *p, bool cal, bool screen, unsigned first, unsigned last,
		     unsigned duration_s, char *err, size_t errlen)
{
	static const char *const names[2][2][2] = {
		{ { "custom", "default" }, { "screen-custom", "screen-default" } },
		{ { "calibration-a", "calibration-b" }, { "screen-calibration-a", "screen-calibration-b" } },
	};
	int r;

	for (unsigned round = first; round <= last; round++) {
		for (int s = 0; s < 2; s++) {
			json_t *run = NULL;

			if (scx_interrupted)
				return -EINTR;
			if (!cal && s == 0 && check_came_back(p, round))
				return 2;
			if (!cal && s == 0 && p->gs.custom_stopped) {
				struct scx_sysfs_state before;

				progress(p, "starting the custom scheduler", round);
				scx_sysfs_read(&before);
				if ((r = to_custom(p, err, errlen)) < 0) {
					if (!ejected_on_start(&before))
						return r;
					record_ejection(p, NULL, round);
					return 1;
				}
			} else if ((!cal && s == 1) || (cal && !p->gs.custom_stopped)) {
				progress(p, "switching to the default scheduler", round);
				if ((r = to_default(p, err, errlen)) < 0)
					return r;
			}
			progress(p, cal ? "calibration on the default scheduler" :
				    screen ? (s ? "screening, default scheduler" : "screening, custom scheduler") :
				    s ? "default scheduler" : "custom scheduler", round);
			r = one_run(p, names[cal][screen][s], round, duration_s, &run, err, errlen);
			if (r < 0)
				return r;
			json_array_append_new(p->runs, run);
			p->done_runs++;
			if (r == 1) {
				record_ejection(p, run, round);
				return 1;
			}
			if (!cal && s == 1 && check_came_back(p, round))
				return 2;
		}
	}
	return 0;
}

/*
 * The screening looks of one pair of sides: look 1 on the screening runs;
 * when it asks for it (gross medians, overlapping runs), more screening
 * runs and look 2.  The last look is recorded under `key` of
 * paired.sequential (the first under `key`_first when there were two);
 * *decided says whether it decided.  Returns run_phase's result.
 */
static int screen_looks(struct paired *p, bool cal, const char *key, unsigned screen_s,
			bool *decided, char *err, size_t errlen)
{
	const char *a = cal ? "screen-calibration-a" : "screen-custom";
	const char *b = cal ? "screen-calibration-b" : "screen-default";
	json_t *look = scx_seq_screen_json(&p->plan, 1, p->runs, a, b);
	int r = 0;

	if (look && json_is_true(json_object_get(look, "extend"))) {
		char first[64];

		json_object_set_new(look, "paired_time_s", json_real(p->paired_s));
		snprintf(first, sizeof(first), "%s_first", key);
		json_object_set_new(p->seq, first, look);
		p->total_runs += 2u * (p->plan.extended_rounds - p->plan.screen_rounds);
		r = run_phase(p, cal, true, p->plan.screen_rounds + 1, p->plan.extended_rounds, screen_s,
			      err, errlen);
		look = r ? NULL : scx_seq_screen_json(&p->plan, 2, p->runs, a, b);
	}
	*decided = look && json_is_true(json_object_get(look, "decisive"));
	if (look) {
		json_object_set_new(look, "paired_time_s", json_real(p->paired_s));
		json_object_set_new(p->seq, key, look);
	}
	return r;
}

static int run_all(struct paired *p, char *err, size_t errlen)
{
	unsigned screen_s = p->opts->duration_s < SCX_SEQ_SCREEN_MAX_S ? p->opts->duration_s
								       : SCX_SEQ_SCREEN_MAX_S;
	bool stopped = false;
	int r;

	if (p->sequential) {
		r = run_phase(p, false, true, 1, p->plan.screen_rounds, screen_s, err, errlen);
		if (!r)
			r = screen_looks(p, false, "screen", screen_s, &stopped, err, errlen);
		if (r)
			return r;
		json_object_set_new(p->seq, "stopped_early", json_boolean(stopped));
		json_object_set_new(p->seq, "decided_after_s", stopped ? json_real(p->paired_s) : json_null());
		if (stopped && !p->opts->calibrate)
			return 0;	/* decided: no full rounds */
	}
	if (!stopped) {
		r = run_phase(p, false, false, 1, p->opts->rounds, p->opts->duration_s, err, errlen);
		if (r || !p->opts->calibrate)
			return r;
	}
	/* Asked for (--calibrate): measured even after an early decision. */
	/* Calibration (default vs default) follows the same plan: its A/A error rate is the design's. */
	if (p->sequential) {
		bool decided = false;

		r = run_phase(p, true, true, 1, p->plan.screen_rounds, screen_s, err, errlen);
		if (!r)
			r = screen_looks(p, true, "calibration_screen", screen_s, &decided, err, errlen);
		if (r || decided)
			return r;
	}
	return run_phase(p, true, false, 1, p->opts->rounds, p->opts->duration_s, err, errlen);
}

json_t *scx_paired_run(const json_t *report, const struct scx_paired_opts *opts)
{
	struct paired p = { .opts = opts, .kmsg_fd = -1 };
	/*
	 * Its own clock, not run_delay: the two sides differ by microseconds
	 * on a wakeup onto an idle CPU, which run_delay reads as 0 on both.
	 */
	struct scx_latency_opts lo = { .source = SCX_LATENCY_CLOCK };
	char why[768] = "", err[512] = "";
	json_t *out;
	int r;

	if (!opts->paired)
		return skipped("not requested (--no-paired)");
	if (!json_is_true(jget(report, "sched_ext.supported")))
		return skipped("this kernel has no sched_ext");
	if (!jstr(report, "sched_ext.ops"))
		return skipped("no custom scheduler is running");
	if (opts->sysroot && *opts->sysroot)
		return skipped("replaying a captured system (--sysroot)");
	if (geteuid() != 0)
		return skipped("needs root to switch schedulers");
	p.workload = opts->workload_cmd ? "cmd" : opts->workload ? opts->workload : "wakeup";
	if (!opts->workload_cmd && !scx_workload_known(p.workload))
		return skipped("unknown workload");
	r = scx_guarded_prepare(&p.gs, report, NULL, opts->allow_restart, why, sizeof(why));
	if (r < 0)
		return skipped(r == -EOPNOTSUPP ? why : strerror(-r));
	p.sw = p.gs.custom;

	out = p.out = scx_paired_header(p.sw, opts, p.workload);
	p.runs = json_array();
	/* Sequential for the built-in workloads; a reproducer counts its failures over every round. */
	p.sequential = !opts->no_early_stop && !opts->workload_cmd &&
		       scx_seq_plan_for(opts->rounds, SCX_PAIRED_ALPHA, &p.plan);
	p.total_runs = (opts->rounds + (p.sequential ? p.plan.screen_rounds : 0u)) * 2u *
		       (opts->calibrate ? 2u : 1u);
	if (p.sequential) {
		p.seq = json_object();
		json_object_set_new(p.seq, "plan", scx_seq_plan_json(&p.plan));
		json_object_set_new(out, "sequential", p.seq);
	} else {
		json_object_set_new(out, "sequential", json_pack("{s:s}", "skipped",
			opts->no_early_stop ? "--no-early-stop" : opts->workload_cmd ?
			"a reproducer (--workload-cmd) runs every round" :
			"fewer than 5 rounds: no screening look"));
	}
	p.progress = scx_progress_on();

	/* The guardian first: from here on the scheduler may be away. */
	r = scx_guarded_begin(&p.gs);
	if (r < 0) {
		snprintf(err, sizeof(err), "cannot start the guardian process: %s", strerror(-r));
		goto out;
	}
	kmsg_open(&p);
	/*
	 * A built-in workload runs as threads of this process: measure those,
	 * not every task of the machine, whose noise would swamp the
	 * comparison.  A user's reproducer is measured system-wide.
	 */
	if (!opts->workload_cmd)
		lo.pid = getpid();
	json_object_set_new(out, "probe_scope", json_string(opts->workload_cmd ? "all tasks"
									     : "the workload's threads"));
	if (scx_latency_open(&lo, &p.lat, why, sizeof(why)) < 0) {
		json_object_set_new(out, "probe", json_pack("{s:s, s:s}", "status", "unavailable",
							     "reason", why));
		p.lat = NULL;
	}
	r = run_all(&p, err, sizeof(err));
out:
	progress_end(&p);
	if (p.gs.guardian.pid > 0)
		restore(&p);
	scx_latency_close(p.lat);
	if (p.kmsg_fd >= 0)
		close(p.kmsg_fd);
	json_object_set_new(out, "runs", p.runs);
	json_object_set_new(out, "paired_time_s", json_real(p.paired_s));
	/* What the stops and starts cost, the waits for sched_ext's state included. */
	json_object_set_new(out, "switches", json_integer((json_int_t)p.gs.switches));
	json_object_set_new(out, "switch_time_s", json_real((double)(p.gs.switch_ns / 1000000ull) / 1000.0));
	scx_paired_set_status(out, r, err);
	scx_paired_analyze(out);
	scx_guarded_free(&p.gs);
	return out;
}
