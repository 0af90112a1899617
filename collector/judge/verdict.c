// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict: which side of the line a problem is on, with the evidence,
 * and who to report it to (from the identity probe's provenance).
 *
 * In order: no sched_ext -> no-custom-scheduler; ejected during the paired
 * run's custom side -> custom-scheduler-failure; an error exit in this
 * boot's history -> custom-scheduler-failure; nothing loaded: an earlier
 * boot that crashed or was reset with a scheduler enabled ->
 * custom-scheduler-suspected (verdict-boots.c), else no-custom-scheduler; no complete paired run -> inconclusive; a reproducer
 * failing on the default side -> reproduces-on-default, only on the custom
 * side -> custom-scheduler-regression (Fisher p < 0.05) or inconclusive;
 * then the primary figure's test (paired.result): custom-scheduler-
 * regression / custom-scheduler-better when significant and beyond the
 * bucket error and noise floor, inconclusive when too few runs or within
 * the noise floor, else no-significant-difference.
 */
#include "verdict.h"

#include <math.h>
#include <string.h>

#include "model.h"
#include "paired-analyze.h"
#include "signature.h"
#include "units.h"

#define ev_add(ev, ...) do { char _b[768]; snprintf(_b, sizeof(_b), __VA_ARGS__); \
	json_array_append_new(ev, json_string(_b)); } while (0)

static const char *s_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* Who to report a problem of the custom scheduler to. */
static void scheduler_target(const json_t *report, char *buf, size_t len)
{
	const char *prov = jstr(report, "scheduler.provenance");
	const char *pkg = jstr(report, "scheduler.package.name");
	const char *ver = jstr(report, "scheduler.package.version");

	if (prov && !strcmp(prov, "packaged-verified"))
		snprintf(buf, len, "the distribution's %s package%s%s (a stock, verified build of the "
			 "scheduler): file the bug against that package", s_or(pkg, "scheduler"),
			 ver ? " " : "", ver ? ver : "");
	else if (prov && !strcmp(prov, "packaged-modified"))
		snprintf(buf, len, "whoever modified the scheduler: its files differ from the %s package "
			 "they belong to, so the distribution's build is not what ran", s_or(pkg, "distribution"));
	else if (prov && !strcmp(prov, "unpackaged"))
		snprintf(buf, len, "the scheduler's author or whoever built it (e.g. upstream "
			 "sched-ext/scx): the binary does not come from a distribution package");
	else
		snprintf(buf, len, "the scheduler's author (e.g. upstream sched-ext/scx): where the "
			 "scheduler binary came from could not be established");
}

static const char *kernel_target =
	"the distribution kernel (the problem does not depend on the custom scheduler)";

static const char *distro_target =
	"the distribution (its kernel and packages): no custom scheduler is involved";

static json_t *verdict(const char *cls, const char *summary, json_t *evidence, const char *to)
{
	json_t *v = json_object();

	json_object_set_new(v, "class", json_string(cls));
	json_object_set_new(v, "summary", json_string(summary));
	json_object_set_new(v, "evidence", evidence ? evidence : json_array());
	json_object_set_new(v, "report_to", json_string(to));
	return v;
}

static const json_t *last_error(const json_t *report)
{
	const json_t *h, *found = NULL;
	size_t i;

	json_array_foreach(jget(report, "history"), i, h) {
		const char *ev = jstr(h, "event");

		if (ev && (!strcmp(ev, "error") || !strcmp(ev, "soft-lockup")))
			found = h;
	}
	return found;
}

static double num(const json_t *o, const char *path)
{
	const json_t *v = jget(o, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void result_evidence(json_t *ev, const json_t *res, const char *ops)
{
	char fig[256], ratio[32], lo[32], hi[32], p[32];

	scx_fmt_paired_result(fig, sizeof(fig), res, ops);
	scx_fmt_ratio(ratio, sizeof(ratio), num(res, "ratio"));
	scx_fmt_ratio(lo, sizeof(lo), num(res, "ci95_low"));
	scx_fmt_ratio(hi, sizeof(hi), num(res, "ci95_high"));
	scx_fmt_p(p, sizeof(p), num(res, "p"));
	ev_add(ev, "%s; medians over %.0f and %.0f valid runs", fig, num(res, "valid_custom_runs"),
	       num(res, "valid_default_runs"));
	if (json_is_true(jget(res, "stopped_early"))) {
		ev_add(ev, "every screening run of one side lies beyond every run of the other: "
		       "Mann-Whitney U two-sided %s, the level the screening look may spend", p);
		ev_add(ev, "custom/default %s, beyond 1.5×: decided early, after %.0f s of "
		       "workload; the full rounds were not run", ratio, num(res, "decided_after_s"));
		return;
	}
	ev_add(ev, "custom/default %s, 95%% bootstrap interval %s to %s", ratio, lo, hi);
	ev_add(ev, "Mann-Whitney U two-sided %s (smallest possible with these runs %.4f; "
	       "level %.4f)", p, num(res, "min_p"), num(res, "alpha"));
	if (json_is_number(jget(res, "noise_floor")))
		ev_add(ev, "noise floor (default vs default) %.1f%%; a difference must exceed %.1f%%",
		       100 * num(res, "noise_floor"), 100 * num(res, "threshold"));
	else
		ev_add(ev, "a difference must exceed the histogram bucket error %.1f%% (no calibration run)",
		       100 * num(res, "threshold"));
}

static json_t *paired_verdict(const json_t *report, const json_t *p, const char *ops,
			      const char *sched_to)
{
	const json_t *res = jget(p, "result"), *rep = jget(p, "reproducer");
	json_t *ev = json_array();
	char buf[1024], fig[256];

	if (rep) {
		double cf = num(rep, "custom_failures"), cn = num(rep, "custom_runs");
		double df = num(rep, "default_failures"), dn = num(rep, "default_runs");

		ev_add(ev, "reproducer failed in %.0f of %.0f custom runs and %.0f of %.0f default runs "
		       "(Fisher exact p = %.4f)", cf, cn, df, dn, num(rep, "fisher_p"));
		if (df > 0) {
			snprintf(buf, sizeof(buf), "The reproducer fails on the default scheduler too "
				 "(%.0f of %.0f runs), so the problem is not specific to the custom "
				 "scheduler %s.", df, dn, ops);
			return verdict("reproduces-on-default", buf, ev, kernel_target);
		}
		if (cf > 0) {
			if (num(rep, "fisher_p") < SCX_PAIRED_ALPHA) {
				snprintf(buf, sizeof(buf), "The reproducer fails only on the custom "
					 "scheduler %s (%.0f of %.0f runs, never on the default scheduler).",
					 ops, cf, cn);
				return verdict("custom-scheduler-regression", buf, ev, sched_to);
			}
			snprintf(buf, sizeof(buf), "The reproducer failed only on the custom scheduler %s, "
				 "but %.0f of %.0f runs is too few to tell it from chance: run more "
				 "--rounds.", ops, cf, cn);
			return verdict("inconclusive", buf, ev, sched_to);
		}
	}
	if (!res || !jstr(res, "figure")) {
		ev_add(ev, "no figure was measured on both sides");
		snprintf(buf, sizeof(buf), "The paired run measured nothing comparable on both "
			 "schedulers, so there is no comparison for %s.", ops);
		return verdict("inconclusive", buf, ev, sched_to);
	}
	result_evidence(ev, res, ops);
	scx_fmt_paired_result(fig, sizeof(fig), res, ops);
	if (json_is_true(jget(res, "too_few_runs"))) {
		snprintf(buf, sizeof(buf), "Too few valid runs to compare %s with the default scheduler "
			 "(with %.0f and %.0f runs no test can reach p < 0.05): run again with more --rounds.",
			 ops, num(res, "valid_custom_runs"), num(res, "valid_default_runs"));
		return verdict("inconclusive", buf, ev, sched_to);
	}
	if (!strcmp(s_or(jstr(res, "direction"), ""), "custom-worse")) {
		snprintf(buf, sizeof(buf), "The custom scheduler %s is significantly worse than the "
			 "default scheduler: %s.", ops, fig);
		return verdict("custom-scheduler-regression", buf, ev, sched_to);
	}
	if (!strcmp(s_or(jstr(res, "direction"), ""), "custom-better")) {
		snprintf(buf, sizeof(buf), "The custom scheduler %s does significantly better than the "
			 "default scheduler on this workload: %s.", ops, fig);
		return verdict("custom-scheduler-better", buf, ev,
			       "the distribution kernel or the application: the custom scheduler is not "
			       "shown to be at fault");
	}
	if (json_is_true(jget(res, "p_below_alpha")) && json_is_number(jget(res, "noise_floor")) &&
	    num(res, "distance") <= num(res, "noise_floor") &&
	    num(res, "distance") > num(res, "bucket_error")) {
		snprintf(buf, sizeof(buf), "The difference between %s and the default scheduler (%s) "
			 "is within the noise this machine shows between two default-scheduler runs "
			 "(%.1f%%): no conclusion.", ops, fig, 100 * num(res, "noise_floor"));
		return verdict("inconclusive", buf, ev, sched_to);
	}
	snprintf(buf, sizeof(buf), "No significant difference between the custom scheduler %s and the "
		 "default scheduler on this workload (%s).", ops, fig);
	return verdict("no-significant-difference", buf, ev,
		       "the distribution kernel or the application: the custom scheduler is not shown "
		       "to be at fault");
}

static json_t *verdict_core(const json_t *report)
{
	const json_t *err = last_error(report), *p = jget(report, "paired");
	const char *ops = jstr(report, "sched_ext.ops"), *st = jstr(p, "status");
	json_t *ev = json_array(), *owner;
	char buf[1024], to[512];

	scheduler_target(report, to, sizeof(to));
	if (!json_is_true(jget(report, "sched_ext.supported"))) {
		json_array_append_new(ev, json_string(s_or(jstr(report, "sched_ext.reason"),
							   "no /sys/kernel/sched_ext")));
		return verdict("no-custom-scheduler",
			       "This kernel has no sched_ext, so no custom scheduler can be involved: "
			       "report the problem against the distribution kernel.", ev, distro_target);
	}
	if (st && !strcmp(st, "ejected")) {
		const char *e_ops = s_or(jstr(p, "ejection.ops"), s_or(ops, "?"));
		const json_t *l;
		size_t i;

		if (json_is_integer(jget(p, "ejection.run")))
			ev_add(ev, "ejected during custom run %" JSON_INTEGER_FORMAT " (round %" JSON_INTEGER_FORMAT
			       "): %s", json_integer_value(jget(p, "ejection.run")),
			       json_integer_value(jget(p, "ejection.round")), s_or(jstr(p, "ejection.reason"), "unknown"));
		else
			ev_add(ev, "ejected right after it was started again for custom round %" JSON_INTEGER_FORMAT
			       ": %s", json_integer_value(jget(p, "ejection.round")),
			       s_or(jstr(p, "ejection.reason"), "unknown"));
		json_array_foreach(jget(p, "ejection.kernel_log"), i, l)
			json_array_append(ev, (json_t *)l);
		ev_add(ev, "the default scheduler was left running after the ejection (the kernel's choice)");
		snprintf(buf, sizeof(buf), "The custom scheduler %s was ejected by the kernel (%s) during "
			 "the paired run's custom side; the kernel fell back to the default scheduler, "
			 "which scx-report left running.", e_ops, s_or(jstr(p, "ejection.reason"), "unknown reason"));
		return verdict("custom-scheduler-failure", buf, ev, to);
	}
	if ((owner = scx_verdict_owner(report, to))) {
		json_decref(ev);
		return owner;
	}
	if (err) {
		ev_add(ev, "%s %s: %s%s%s", s_or(jstr(err, "time"), ""), s_or(jstr(err, "ops"), "?"),
		       s_or(jstr(err, "reason"), ""), jstr(err, "error") ? ": " : "", s_or(jstr(err, "error"), ""));
		snprintf(buf, sizeof(buf), "The custom scheduler %s failed in this boot (%s); the kernel "
			 "fell back to the default scheduler.", s_or(jstr(err, "ops"), "?"),
			 s_or(jstr(err, "reason"), "error exit"));
		return verdict("custom-scheduler-failure", buf, ev, to);
	}
	if (!ops) {
		json_t *earlier = scx_verdict_earlier_boots(report);

		if (earlier) {
			json_decref(ev);
			return earlier;
		}
		ev_add(ev, "enable_seq %" JSON_INTEGER_FORMAT, json_integer_value(jget(report, "sched_ext.enable_seq")));
		return verdict("no-custom-scheduler",
			       json_integer_value(jget(report, "sched_ext.enable_seq")) > 0
				       ? "No custom scheduler is running now (one ran earlier in this boot "
					 "and stopped without an error)."
				       : "No custom scheduler has run since boot: the default kernel "
					 "scheduler is in charge.", ev, distro_target);
	}
	if (!st || strcmp(st, "done")) {
		ev_add(ev, "paired run %s: %s", s_or(st, "absent"), s_or(jstr(p, "reason"), "no paired run"));
		snprintf(buf, sizeof(buf), "A custom scheduler (%s) is running, but there is no complete "
			 "comparison with the default scheduler: %s.", ops,
			 s_or(jstr(p, "reason"), "no paired run"));
		return verdict("inconclusive", buf, ev, to);
	}
	json_decref(ev);
	return paired_verdict(report, p, ops, to);
}

/* The failure the verdict is about: its newest core oops, else its newest error exit. */
static const json_t *failure_event(const json_t *report)
{
	const json_t *h, *err = NULL, *oops = NULL;
	size_t i;

	json_array_foreach(jget(report, "history"), i, h) {
		const char *k = jstr(h, "event");

		if (!k)
			continue;
		if (!strcmp(k, "oops") && json_is_true(json_object_get(h, "core")))
			oops = h;
		else if (!strcmp(k, "error") || !strcmp(k, "soft-lockup") || !strcmp(k, "load-failure") ||
			 !strcmp(k, "oops"))
			err = h;
	}
	return oops ? oops : err;
}

json_t *scx_verdict(const json_t *report)
{
	json_t *v = verdict_core(report);
	const json_t *f, *known;
	const char *cls = jstr(v, "class");
	char sig[256];

	if (!jstr(v, "signature") && cls && strcmp(cls, "no-custom-scheduler") &&
	    (f = failure_event(report)) && scx_signature_event(f, sig, sizeof(sig)))
		json_object_set_new(v, "signature", json_string(sig));
	if (jstr(v, "signature") && (known = scx_known_issue(jget(report, "known_issues"),
							       jstr(v, "signature")))) {
		char buf[1400];

		json_object_set(v, "known", (json_t *)known);
		snprintf(buf, sizeof(buf), "%s Known: fixed in %s%s%s.", jstr(v, "summary"),
			 jstr_or(known, "fixed_in", "?"), jstr(known, "commit") ? " by " : "",
			 jstr(known, "commit") ? jstr(known, "commit") : "");
		json_object_set_new(v, "summary", json_string(buf));
	}
	return v;
}
