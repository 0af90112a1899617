// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run's statistics over its run table (see paired.h): per figure
 * an exact two-sided Mann-Whitney U test of the valid custom runs against the
 * valid default runs, the ratio of medians with a bootstrap interval over
 * runs, the calibration pair's noise floor, and for a reproducer the
 * failures per side with Fisher's exact test.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "paired-analyze.h"
#include "sequential.h"
#include "stats.h"

struct figure {
	const char *name;
	const char *path;		/* in a run */
	bool higher_is_better;
};

static const struct figure figures[] = {
	{ "probe_p50_ns", "probe.p50_ns", false },
	{ "probe_p99_ns", "probe.p99_ns", false },
	{ "probe_p999_ns", "probe.p999_ns", false },
	{ "workload_p50_ns", "workload.latency.p50_ns", false },
	{ "workload_p99_ns", "workload.latency.p99_ns", false },
	{ "workload_p999_ns", "workload.latency.p999_ns", false },
	{ "throughput_per_s", "workload.throughput.per_s", true },
	{ "duration_s", "workload.duration_s", false },
};

static bool value_of(const json_t *run, const char *path, double *ret)
{
	const json_t *v = jget(run, path);

	if (!json_is_number(v))
		return false;
	*ret = json_number_value(v);
	return isfinite(*ret);
}

/* Values of one figure in the valid runs of one side; returns how many. */
static size_t collect(const json_t *runs, const char *side, const char *path, double *buf, size_t max)
{
	const json_t *run;
	size_t i, n = 0;

	json_array_foreach(runs, i, run) {
		double v;

		if (n < max && json_is_true(json_object_get(run, "valid")) &&
		    !strcmp(jstr(run, "side") ?: "", side) && value_of(run, path, &v))
			buf[n++] = v;
	}
	return n;
}

static size_t count_side(const json_t *runs, const char *side)
{
	const json_t *run;
	size_t i, n = 0;

	json_array_foreach(runs, i, run)
		if (json_is_true(json_object_get(run, "valid")) && !strcmp(jstr(run, "side") ?: "", side))
			n++;
	return n;
}

/* One comparison of side a against side b; NULL when a side has no value. */
static json_t *compare(const json_t *runs, const struct figure *f, const char *a_side, const char *b_side)
{
	size_t cap = json_array_size(runs) + 1, na, nb;
	double *a = malloc(cap * sizeof(*a)), *b = malloc(cap * sizeof(*b));
	struct scx_mwu m;
	struct scx_ratio_ci ci = { NAN, NAN, NAN, 0 };
	json_t *o = NULL;

	if (!a || !b)
		goto out;
	na = collect(runs, a_side, f->path, a, cap);
	nb = collect(runs, b_side, f->path, b, cap);
	if (!na || !nb || scx_mann_whitney(a, na, b, nb, &m) < 0)
		goto out;
	if (scx_bootstrap_median_ratio(a, na, b, nb, SCX_BOOTSTRAP_RESAMPLES, SCX_BOOTSTRAP_SEED, 0.95,
				       &ci) < 0)
		ci.ratio = ci.lo = ci.hi = NAN;
	o = json_pack("{s:s, s:b, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:b, s:b}",
		      "figure", f->name, "higher_is_better", f->higher_is_better,
		      "n_a", (json_int_t)na, "n_b", (json_int_t)nb,
		      "median_a", scx_median(a, na), "median_b", scx_median(b, nb),
		      "u", m.u_a, "p", m.p, "min_p", scx_mwu_min_p(na, nb),
		      "exact", m.exact, "ties", m.ties);
	json_object_set_new(o, "a", json_string(a_side));
	json_object_set_new(o, "b", json_string(b_side));
	/* NaN is not JSON: a ratio that cannot be formed is null. */
	json_object_set_new(o, "ratio", isfinite(ci.ratio) ? json_real(ci.ratio) : json_null());
	json_object_set_new(o, "ci95_low", isfinite(ci.lo) ? json_real(ci.lo) : json_null());
	json_object_set_new(o, "ci95_high", isfinite(ci.hi) ? json_real(ci.hi) : json_null());
	json_object_set_new(o, "bootstrap", json_pack("{s:I, s:I}", "resamples",
		(json_int_t)ci.resamples, "seed", (json_int_t)SCX_BOOTSTRAP_SEED));
out:
	free(a);
	free(b);
	return o;
}

static const struct figure *figure_named(const char *name)
{
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (!strcmp(figures[i].name, name))
			return &figures[i];
	return NULL;
}

/* The figure the verdict rests on: the probe's p99 when every valid run has it. */
static const char *primary_figure(const json_t *runs, bool cmd)
{
	size_t nc = count_side(runs, "custom"), nd = count_side(runs, "default"), cap = nc + nd + 1;
	double *buf = malloc(cap * sizeof(*buf));
	const char *name = NULL;

	if (!buf)
		return NULL;
	if (nc && nd && collect(runs, "custom", "probe.p99_ns", buf, cap) == nc &&
	    collect(runs, "default", "probe.p99_ns", buf, cap) == nd)
		name = "probe_p99_ns";
	else if (!cmd && collect(runs, "custom", "workload.latency.p99_ns", buf, cap) &&
		 collect(runs, "default", "workload.latency.p99_ns", buf, cap))
		name = "workload_p99_ns";
	else if (cmd && collect(runs, "custom", "workload.duration_s", buf, cap) &&
		 collect(runs, "default", "workload.duration_s", buf, cap))
		name = "duration_s";
	free(buf);
	return name;
}

static json_t *reproducer(const json_t *runs)
{
	unsigned fail[2] = { 0, 0 }, n[2] = { 0, 0 };
	const json_t *run;
	double p = 1;
	size_t i;

	json_array_foreach(runs, i, run) {
		const char *side = jstr(run, "side") ?: "";
		int s = !strcmp(side, "custom") ? 0 : !strcmp(side, "default") ? 1 : -1;

		if (s < 0 || !json_is_true(json_object_get(run, "valid")))
			continue;
		n[s]++;
		if (json_is_true(jget(run, "workload.failed")))
			fail[s]++;
	}
	if (n[0] && n[1])
		scx_fisher_exact(fail[0], n[0], fail[1], n[1], &p);
	return json_pack("{s:I, s:I, s:I, s:I, s:f}", "custom_failures", (json_int_t)fail[0],
			 "custom_runs", (json_int_t)n[0], "default_failures", (json_int_t)fail[1],
			 "default_runs", (json_int_t)n[1], "fisher_p", p);
}

/* The level of the full design's test: what the screening look left (sequential.h), else alpha. */
static double final_alpha(const json_t *paired)
{
	const json_t *a = jget(paired, "sequential.plan.alpha_final");

	return json_is_number(a) ? json_number_value(a) : SCX_PAIRED_ALPHA;
}

/*
 * Would the design have called the calibration pair (default vs default)
 * different?  Its screen decided, or its full test reached alpha beyond the
 * bucket error.  Over many calibrations this is the design's A/A error rate.
 */
static void calibration_called(const json_t *paired, json_t *cal, double alpha)
{
	const json_t *scr = jget(paired, "sequential.calibration_screen");
	double p = json_number_value(json_object_get(cal, "p"));
	double r = json_number_value(json_object_get(cal, "ratio"));
	bool early = json_is_true(json_object_get(scr, "decisive"));
	bool diff = early || (p < alpha && r > 0 && fmax(r, 1 / r) - 1 > SCX_PAIRED_BUCKET_ERROR);

	json_object_set_new(cal, "called_different", json_boolean(diff));
	json_object_set_new(cal, "stopped_early", json_boolean(early));
}

/*
 * The calibration pair (default vs default) on figure pf: its full rounds,
 * else its screening ones (when its screen decided).  Sets
 * paired.calibration; returns the noise floor (NaN: none).
 */
static double calibration(json_t *paired, const struct figure *pf, double alpha)
{
	const json_t *runs = json_object_get(paired, "runs");
	double noise = NAN;
	json_t *cal;

	if (!pf)
		return NAN;
	cal = compare(runs, pf, "calibration-a", "calibration-b");
	if (!cal)
		cal = compare(runs, pf, "screen-calibration-a", "screen-calibration-b");
	if (!cal)
		return NAN;
	/* Symmetric: 1.6 and 1/1.6 are the same noise. */
	if (json_is_number(json_object_get(cal, "ratio")) &&
	    json_number_value(json_object_get(cal, "ratio")) > 0) {
		double cr = json_number_value(json_object_get(cal, "ratio"));

		noise = fmax(cr, 1 / cr) - 1;
	}
	json_object_set_new(cal, "noise_floor", isfinite(noise) ? json_real(noise) : json_null());
	calibration_called(paired, cal, alpha);
	json_object_set_new(paired, "calibration", cal);
	return noise;
}

/* Decided by a screening look (the last one taken): the result is that look's, with its level. */
static void early_result(json_t *paired)
{
	const json_t *scr = jget(paired, "sequential.screen");
	const struct figure *pf = figure_named(jstr(scr, "figure") ?: "");
	double ratio = json_number_value(json_object_get(scr, "ratio"));
	bool up = json_integer_value(json_object_get(scr, "direction")) > 0;
	bool worse = pf && pf->higher_is_better ? !up : up;
	json_t *result = json_object();

	json_object_set_new(paired, "tests", json_array());
	json_object_set_new(result, "valid_custom_runs", json_object_get(scr, "n_a") ?
			    json_copy(json_object_get(scr, "n_a")) : json_integer(0));
	json_object_set_new(result, "valid_default_runs", json_object_get(scr, "n_b") ?
			    json_copy(json_object_get(scr, "n_b")) : json_integer(0));
	json_object_set_new(result, "bucket_error", json_real(SCX_PAIRED_BUCKET_ERROR));
	json_object_set_new(result, "noise_floor", json_null());
	json_object_set_new(result, "threshold", json_real(SCX_PAIRED_BUCKET_ERROR));
	json_object_set(result, "alpha", json_object_get(scr, "alpha_look"));
	json_object_set(result, "look", json_object_get(scr, "look"));
	json_object_set_new(result, "figure", pf ? json_string(pf->name) : json_null());
	json_object_set(result, "ratio", json_object_get(scr, "ratio"));
	json_object_set(result, "median_custom", json_object_get(scr, "median_a"));
	json_object_set(result, "median_default", json_object_get(scr, "median_b"));
	json_object_set(result, "p", json_object_get(scr, "p"));
	json_object_set(result, "min_p", json_object_get(scr, "alpha_look"));
	json_object_set_new(result, "too_few_runs", json_false());
	json_object_set_new(result, "p_below_alpha", json_true());
	json_object_set_new(result, "distance", ratio > 0 ? json_real(fmax(ratio, 1 / ratio) - 1)
							  : json_null());
	json_object_set_new(result, "beyond_threshold", json_true());
	json_object_set_new(result, "significant", json_boolean(pf != NULL));
	json_object_set_new(result, "direction", json_string(!pf ? "none" : worse ? "custom-worse"
									     : "custom-better"));
	json_object_set_new(result, "stopped_early", json_true());
	json_object_set(result, "decided_after_s", jget(paired, "sequential.decided_after_s"));
	json_object_set_new(paired, "result", result);
}

void scx_paired_analyze(json_t *paired)
{
	const json_t *runs = json_object_get(paired, "runs");
	bool cmd = !strcmp(jstr(paired, "workload") ?: "", "cmd");
	json_t *tests, *t, *result;
	const struct figure *pf;
	const char *primary;
	double noise = NAN, threshold = SCX_PAIRED_BUCKET_ERROR, ratio, p;
	double alpha = final_alpha(paired);

	if (json_is_true(jget(paired, "sequential.stopped_early"))) {
		early_result(paired);
		calibration(paired, figure_named(jstr(paired, "sequential.screen.figure") ?: ""), alpha);
		return;
	}
	tests = json_array();
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if ((t = compare(runs, &figures[i], "custom", "default")))
			json_array_append_new(tests, t);
	json_object_set_new(paired, "tests", tests);
	if (cmd)
		json_object_set_new(paired, "reproducer", reproducer(runs));

	primary = primary_figure(runs, cmd);
	pf = primary ? figure_named(primary) : NULL;
	noise = calibration(paired, pf, alpha);
	if (isfinite(noise) && noise > threshold)
		threshold = noise;
	result = json_object();
	json_object_set_new(result, "valid_custom_runs", json_integer((json_int_t)count_side(runs, "custom")));
	json_object_set_new(result, "valid_default_runs", json_integer((json_int_t)count_side(runs, "default")));
	json_object_set_new(result, "bucket_error", json_real(SCX_PAIRED_BUCKET_ERROR));
	json_object_set_new(result, "noise_floor", isfinite(noise) ? json_real(noise) : json_null());
	json_object_set_new(result, "threshold", json_real(threshold));
	json_object_set_new(result, "alpha", json_real(alpha));
	json_object_set_new(result, "stopped_early", json_false());
	t = NULL;
	for (size_t i = 0; pf && i < json_array_size(tests); i++)
		if (!strcmp(jstr(json_array_get(tests, i), "figure") ?: "", pf->name))
			t = json_array_get(tests, i);
	if (!t) {
		json_object_set_new(result, "figure", json_null());
		json_object_set_new(result, "direction", json_string("none"));
		json_object_set_new(result, "significant", json_false());
		json_object_set_new(paired, "result", result);
		return;
	}
	ratio = json_is_number(json_object_get(t, "ratio")) ? json_number_value(json_object_get(t, "ratio")) : NAN;
	p = json_number_value(json_object_get(t, "p"));
	json_object_set_new(result, "figure", json_string(pf->name));
	json_object_set(result, "ratio", json_object_get(t, "ratio"));
	json_object_set(result, "ci95_low", json_object_get(t, "ci95_low"));
	json_object_set(result, "ci95_high", json_object_get(t, "ci95_high"));
	json_object_set(result, "median_custom", json_object_get(t, "median_a"));
	json_object_set(result, "median_default", json_object_get(t, "median_b"));
	json_object_set(result, "p", json_object_get(t, "p"));
	json_object_set(result, "min_p", json_object_get(t, "min_p"));
	json_object_set_new(result, "too_few_runs",
			    json_boolean(json_number_value(json_object_get(t, "min_p")) >= alpha));
	json_object_set_new(result, "p_below_alpha", json_boolean(p < alpha));
	{
		/* How far from 1, the same both ways: 2x and 0.5x are equally far. */
		double dist = isfinite(ratio) && ratio > 0 ? fmax(ratio, 1 / ratio) - 1 : NAN;
		bool sig = p < alpha && isfinite(dist) && dist > threshold;
		bool worse = pf->higher_is_better ? ratio < 1 : ratio > 1;

		json_object_set_new(result, "distance", isfinite(dist) ? json_real(dist) : json_null());
		json_object_set_new(result, "beyond_threshold", json_boolean(isfinite(dist) && dist > threshold));
		json_object_set_new(result, "significant", json_boolean(sig));
		json_object_set_new(result, "direction",
				    json_string(!sig ? "none" : worse ? "custom-worse" : "custom-better"));
	}
	json_object_set_new(paired, "result", result);
}
