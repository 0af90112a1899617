// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QoS battery's runs (see qos.h): per round the whole battery on the
 * custom scheduler, then on the baseline, then once more on the baseline
 * (calibration: the noise floor of every figure), the workloads' order
 * rotated every round.  Two switches per round: the custom scheduler is
 * stopped and started again through its manager, by the guarded switch
 * (change/guarded-switch.h) that tells the guardian of every step, so it
 * puts the custom scheduler back if we die.
 *
 * Like the paired run it reads /sys/kernel/sched_ext/{state,enable_seq,
 * root/ops} (6.12+) before and after every run and drops a run in which
 * they changed; an ejection of the custom scheduler ends the battery and
 * leaves the default scheduler the kernel fell back to.
 */
#include "qos.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guarded-switch.h"
#include "model.h"
#include "progress.h"
#include "util.h"
#include "exit-codes.h"

struct qos {
	const struct scx_qos_opts *o;
	struct scx_guarded_switch sw;
	json_t *out, *runs, *skipped;
	const struct scx_qos_workload **wl;
	size_t nwl;
	bool *skip;			/* per workload: this system cannot run it */
	unsigned total, done;
};

static void progress(struct qos *q, const char *side, const char *wl, unsigned round)
{
	if (!q->o->progress)
		return;
	scx_progress_show((uint64_t)(q->total - q->done) * q->o->duration_ms * 1000000ull,
			  "qos: round %u of %u, %s, %s (run %u of %u)", round, q->o->rounds, side, wl,
			  q->done + 1, q->total);
}

static json_t *sysfs_json(const struct scx_sysfs_state *st)
{
	return json_pack("{s:s, s:s?, s:I}", "state", st->state, "ops", st->ops[0] ? st->ops : NULL,
			 "enable_seq", (json_int_t)st->enable_seq);
}

/* Why a run does not count, or NULL. */
static const char *check_side(const struct qos *q, bool custom, const struct scx_sysfs_state *a,
			      const struct scx_sysfs_state *b)
{
	if (!scx_sysfs_same(a, b))
		return "sched_ext state, root/ops or enable_seq changed during the run";
	if (custom)
		return strcmp(a->ops, q->sw.custom->ops) ? "the custom scheduler was not loaded" : NULL;
	return scx_guarded_baseline_ok(&q->sw, a) ? NULL
		: "the baseline scheduler was not the one loaded";
}

/* One workload on one side.  1: the custom scheduler was ejected during it. */
static int one_run(struct qos *q, size_t w, const char *side, unsigned round)
{
	struct scx_workload_opts wo = { .name = q->wl[w]->name, .duration_ms = q->o->duration_ms,
					.interrupted = q->o->interrupted };
	struct scx_sysfs_state before, after;
	bool custom = !strcmp(side, "custom");
	const char *drop;
	char why[512] = "";
	json_t *run, *fig = NULL;
	uint64_t t0 = now_mono_ns();
	bool ejected;
	int r;

	progress(q, side, q->wl[w]->name, round);
	scx_sysfs_read(&before);
	r = q->wl[w]->run ? q->wl[w]->run(&wo, &fig) : q->wl[w]->run_why(&wo, &fig, why, sizeof(why));
	scx_sysfs_read(&after);
	q->done++;
	if (r == -EINTR)
		return r;
	if (r == -EOPNOTSUPP) {
		q->skip[w] = true;
		json_array_append_new(q->skipped, json_pack("{s:s, s:s}", "workload", q->wl[w]->name,
							    "reason", why[0] ? why : strerror(-r)));
		return 0;
	}
	run = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:f}", "order",
			(json_int_t)json_array_size(q->runs) + 1, "round", (json_int_t)round, "side", side,
			"workload", q->wl[w]->name, "before", sysfs_json(&before), "after",
			sysfs_json(&after), "elapsed_s", (double)((now_mono_ns() - t0) / 1000000) / 1000.0);
	if (r < 0) {
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s", why[0] ? ": " : "",
			 strerror(-r));
		drop = why;
	} else {
		json_object_set_new(run, "figures", fig);
		drop = check_side(q, custom, &before, &after);
	}
	/*
	 * Nobody stopped it during a custom run: leaving "enabled" is the kernel
	 * ejecting it.  root/ops lingers while the state is "disabling" and the
	 * loader has not let go yet, so the state says it first.
	 */
	ejected = custom && before.ops[0] && !strcmp(before.state, "enabled") &&
		  (!after.ops[0] || strcmp(after.state, "enabled"));
	if (ejected)
		drop = "the custom scheduler was ejected during the run";
	json_object_set_new(run, "valid", json_boolean(!drop));
	if (drop)
		json_object_set_new(run, "drop_reason", json_string(drop));
	json_array_append_new(q->runs, run);
	return ejected;
}

static void record_ejection(struct qos *q, unsigned round)
{
	json_object_set_new(q->out, "ejection", json_pack("{s:s, s:I}", "ops", q->sw.custom->ops,
							   "round", (json_int_t)round));
	scx_guarded_leave(&q->sw);
}

static int side(struct qos *q, const char *name, unsigned round)
{
	for (size_t i = 0; i < q->nwl; i++) {
		size_t w = (i + round - 1) % q->nwl;	/* rotate: no workload always runs first */
		int r;

		if (q->skip[w])
			continue;
		if (q->o->interrupted && *q->o->interrupted)
			return -EINTR;
		r = one_run(q, w, name, round);
		if (r)
			return r;
	}
	return 0;
}

static int run_all(struct qos *q, char *err, size_t errlen)
{
	int r;

	for (unsigned round = 1; round <= q->o->rounds; round++) {
		struct scx_sysfs_state before;

		if (round > 1) {
			scx_sysfs_read(&before);
			r = scx_guarded_to_custom(&q->sw, err, errlen);
			if (r < 0) {
				struct scx_sysfs_state now;

				scx_sysfs_read(&now);
				if (now.enable_seq > before.enable_seq &&
				    (!now.ops[0] || strcmp(now.state, "enabled"))) {
					record_ejection(q, round);
					return 1;
				}
				return r;
			}
		}
		if ((r = side(q, "custom", round)) != 0) {
			if (r == 1)
				record_ejection(q, round);
			return r;
		}
		r = scx_guarded_to_baseline(&q->sw, err, errlen);
		if (r < 0)
			return r;
		if ((r = side(q, "baseline", round)) < 0)
			return r;
		if (q->o->calibrate && (r = side(q, "calibration", round)) < 0)
			return r;
	}
	return 0;
}

/* Put the custom scheduler back if we took it away; sets qos.restore. */
static void restore(struct qos *q)
{
	char err[512] = "";
	int r;

	if (q->sw.left_default) {
		json_object_set_new(q->out, "restore", json_pack("{s:s}", "action", "left-default"));
		return;
	}
	r = scx_guarded_restore(&q->sw, NULL, err, sizeof(err));
	if (r == 0) {
		json_object_set_new(q->out, "restore", json_pack("{s:s}", "action", "not-needed"));
	} else if (r > 0) {
		json_object_set_new(q->out, "restore", json_pack("{s:s, s:s}", "action", "restarted",
								 "ops", q->sw.custom->ops));
	} else {
		scx_log_error("THE CUSTOM SCHEDULER %s WAS NOT RESTORED: %s. Start it again yourself.",
			      q->sw.custom->ops, err);
		json_object_set_new(q->out, "restore", json_pack("{s:s, s:s}", "action", "failed",
								 "error", err));
		json_object_set_new(q->out, "exit_code", json_integer(SCX_EXIT_NOT_RESTORED));
	}
}

static json_t *skipped(const char *why)
{
	return json_pack("{s:s, s:s, s:[], s:[], s:[]}", "status", "skipped", "reason", why, "rows",
			 "runs", "figures");
}

static int select_workloads(struct qos *q)
{
	size_t n = 0;

	for (const struct scx_qos_workload *w = scx_qos_battery; w->name; w++)
		n++;
	q->wl = calloc(n, sizeof(*q->wl));
	q->skip = calloc(n, sizeof(*q->skip));
	if (!q->wl || !q->skip)
		return -ENOMEM;
	for (const struct scx_qos_workload *w = scx_qos_battery; w->name; w++) {
		bool take = !q->o->only;

		for (const char *const *s = q->o->only; s && *s && !take; s++)
			take = !strcmp(*s, w->name);
		if (take)
			q->wl[q->nwl++] = w;
	}
	return 0;
}

json_t *scx_qos_run(const json_t *report, const struct scx_qos_opts *o)
{
	struct qos q = { .o = o };
	char why[768] = "", err[512] = "", how[PATH_MAX + 256];
	json_t *out, *names;
	int r;

	if (!json_is_true(jget(report, "sched_ext.supported")))
		return skipped("this kernel has no sched_ext");
	if (!jstr(report, "sched_ext.ops"))
		return skipped("no custom scheduler is running: start the scheduler to score first");
	if (geteuid() != 0)
		return skipped("needs root to switch schedulers");
	r = scx_guarded_prepare(&q.sw, report, o->against, o->allow_restart, why, sizeof(why));
	if (r < 0)
		return skipped(r == -EOPNOTSUPP ? why : strerror(-r));
	if (select_workloads(&q) < 0) {
		scx_guarded_free(&q.sw);
		return skipped(strerror(ENOMEM));
	}
	out = q.out = json_object();
	q.runs = json_array();
	q.skipped = json_array();
	names = json_array();
	for (size_t i = 0; i < q.nwl; i++)
		json_array_append_new(names, json_string(q.wl[i]->name));
	scx_guarded_describe(&q.sw, how, sizeof(how));
	json_object_set_new(out, "ops", json_string(q.sw.custom->ops));
	json_object_set_new(out, "manager", json_string(scx_manager_name(q.sw.custom->manager)));
	json_object_set_new(out, "switch", json_string(how));
	json_object_set_new(out, "baseline", json_string(o->against ? o->against : "default"));
	json_object_set_new(out, "suite", json_string(o->suite ? o->suite->name : "custom"));
	json_object_set_new(out, "rounds", json_integer(o->rounds));
	json_object_set_new(out, "duration_s", json_real(o->duration_ms / 1000.0));
	json_object_set_new(out, "calibrate", json_boolean(o->calibrate));
	json_object_set_new(out, "workloads", names);
	json_object_set_new(out, "figures", scx_qos_figures_json(names));
	q.total = o->rounds * (unsigned)q.nwl * (o->calibrate ? 3u : 2u);

	r = scx_guarded_begin(&q.sw);
	if (r < 0) {
		snprintf(err, sizeof(err), "cannot start the guardian process: %s", strerror(-r));
		goto out;
	}
	{
		uint64_t t0 = now_mono_ns();

		r = run_all(&q, err, sizeof(err));
		json_object_set_new(out, "wall_s", json_real((double)((now_mono_ns() - t0) / 1000000) / 1000.0));
	}
out:
	if (o->progress)
		scx_progress_end();
	if (q.sw.guardian.pid > 0)
		restore(&q);
	json_object_set_new(out, "runs", q.runs);
	json_object_set_new(out, "skipped", q.skipped);
	if (r == 1) {
		json_object_set_new(out, "status", json_string("ejected"));
		json_object_set_new(out, "reason", json_string("the kernel ejected the custom scheduler "
			"during the battery; the default scheduler was left running"));
	} else if (r == -EINTR) {
		json_object_set_new(out, "status", json_string("interrupted"));
		json_object_set_new(out, "reason", json_string("interrupted by a signal"));
	} else if (r < 0) {
		json_object_set_new(out, "status", json_string("failed"));
		json_object_set_new(out, "reason", json_string(err[0] ? err : strerror(-r)));
	} else {
		json_object_set_new(out, "status", json_string("done"));
	}
	scx_qos_analyze(out);
	scx_guarded_free(&q.sw);
	free(q.wl);
	free(q.skip);
	return out;
}
