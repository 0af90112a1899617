// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scorecard from a qos section's run table (see qos-analyze.h): pure, JSON in,
 * JSON out, so the unit tests feed it synthetic runs.  Per workload figure:
 * the medians over runs of each side, an exact two-sided Mann-Whitney U
 * test of custom against baseline, the ratio of medians custom / baseline
 * with a bootstrap interval over runs, and the noise floor from baseline
 * against calibration runs; then scx_qos_classify().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "paired-analyze.h"
#include "qos-analyze.h"
#include "stats.h"

const char *scx_qos_classify(enum scx_qos_direction dir, double p, double min_p, double ratio,
			     double noise_floor, double abs_diff, double same_within,
			     const char **ret_why)
{
	double dist, threshold = SCX_PAIRED_BUCKET_ERROR;
	const char *why = NULL, *v;

	if (dir == SCX_QOS_INFO) {
		v = "info", why = "shown, not judged";
	} else if (same_within > 0 && isfinite(abs_diff) && abs_diff <= same_within) {
		v = "same", why = "medians within the figure's tolerance";
	} else if (!isfinite(ratio) || ratio <= 0 || !isfinite(p)) {
		v = "inconclusive", why = "no ratio: a side has no value or a zero median";
	} else if (min_p >= SCX_PAIRED_ALPHA) {
		v = "inconclusive", why = "too few runs for p < 0.05";
	} else if (p >= SCX_PAIRED_ALPHA) {
		v = "same", why = "no significant difference (p >= 0.05)";
	} else {
		dist = fmax(ratio, 1 / ratio) - 1;
		if (isfinite(noise_floor) && noise_floor > threshold)
			threshold = noise_floor;
		if (dist <= SCX_PAIRED_BUCKET_ERROR) {
			v = "same", why = "within the histogram bucket error";
		} else if (dist <= threshold) {
			v = "inconclusive", why = "p < 0.05 but within the noise floor";
		} else {
			bool worse = dir == SCX_QOS_HIGHER ? ratio < 1 : ratio > 1;

			v = worse ? "worse" : "better";
			why = "p < 0.05 and beyond the noise floor";
		}
	}
	if (ret_why)
		*ret_why = why;
	return v;
}

static size_t values(const json_t *runs, const char *workload, const char *side, const char *path,
		     double *buf, size_t max)
{
	const json_t *run, *v;
	size_t i, n = 0;

	json_array_foreach(runs, i, run) {
		if (n >= max || !json_is_true(json_object_get(run, "valid")) ||
		    strcmp(jstr(run, "side") ?: "", side) || strcmp(jstr(run, "workload") ?: "", workload))
			continue;
		v = jget(json_object_get(run, "figures"), path);
		if (json_is_number(v) && isfinite(json_number_value(v)))
			buf[n++] = json_number_value(v);
	}
	return n;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Ratio of medians a / b and its interval; NANs when it cannot be formed. */
static void ratio_ci(const double *a, size_t na, const double *b, size_t nb, struct scx_ratio_ci *ci)
{
	if (!na || !nb || scx_bootstrap_median_ratio(a, na, b, nb, SCX_BOOTSTRAP_RESAMPLES,
						     SCX_BOOTSTRAP_SEED, 0.95, ci) < 0)
		ci->ratio = ci->lo = ci->hi = NAN;
}

static enum scx_qos_direction direction(const char *s)
{
	return !strcmp(s, "higher") ? SCX_QOS_HIGHER : !strcmp(s, "lower") ? SCX_QOS_LOWER : SCX_QOS_INFO;
}

static json_t *row(const json_t *runs, const json_t *f)
{
	const char *workload = jstr(f, "workload") ?: "", *path = jstr(f, "path") ?: "";
	const char *dir_name = jstr(f, "direction") ?: "info";
	enum scx_qos_direction dir = direction(dir_name);
	double same_within = json_is_number(json_object_get(f, "same_within"))
				     ? json_number_value(json_object_get(f, "same_within")) : 0;
	size_t cap = json_array_size(runs) + 1, nc, nb, nk;
	double *c = malloc(cap * sizeof(double)), *b = malloc(cap * sizeof(double));
	double *k = malloc(cap * sizeof(double));
	double p = NAN, min_p = NAN, noise = NAN, mc, mb;
	struct scx_ratio_ci ci, cal;
	struct scx_mwu m;
	const char *verdict, *why;
	json_t *o = NULL;

	if (!c || !b || !k)
		goto out;
	nc = values(runs, workload, "custom", path, c, cap);
	nb = values(runs, workload, "baseline", path, b, cap);
	nk = values(runs, workload, "calibration", path, k, cap);
	if (!nc && !nb)
		goto out;
	mc = scx_median(c, nc);
	mb = scx_median(b, nb);
	if (nc && nb && scx_mann_whitney(c, nc, b, nb, &m) == 0) {
		p = m.p;
		min_p = scx_mwu_min_p(nc, nb);
	}
	ratio_ci(c, nc, b, nb, &ci);
	/* Symmetric, as the paired run's: 1.1 and 1/1.1 are the same noise. */
	ratio_ci(k, nk, b, nb, &cal);
	if (isfinite(cal.ratio) && cal.ratio > 0)
		noise = fmax(cal.ratio, 1 / cal.ratio) - 1;
	verdict = scx_qos_classify(dir, p, min_p, ci.ratio, noise, fabs(mc - mb), same_within, &why);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "workload", workload,
		      "figure", jstr(f, "figure") ?: "", "label", jstr(f, "label") ?: "",
		      "unit", jstr(f, "unit") ?: "", "direction", dir_name, "n_custom", (json_int_t)nc,
		      "n_baseline", (json_int_t)nb, "n_calibration", (json_int_t)nk);
	json_object_set_new(o, "custom", num_or_null(mc));
	json_object_set_new(o, "baseline", num_or_null(mb));
	json_object_set_new(o, "ratio", num_or_null(ci.ratio));
	json_object_set_new(o, "ci95_low", num_or_null(ci.lo));
	json_object_set_new(o, "ci95_high", num_or_null(ci.hi));
	json_object_set_new(o, "p", num_or_null(p));
	json_object_set_new(o, "min_p", num_or_null(min_p));
	json_object_set_new(o, "noise_floor", num_or_null(noise));
	json_object_set_new(o, "threshold", json_real(isfinite(noise) && noise > SCX_PAIRED_BUCKET_ERROR
						      ? noise : SCX_PAIRED_BUCKET_ERROR));
	json_object_set_new(o, "same_within", num_or_null(same_within > 0 ? same_within : NAN));
	json_object_set_new(o, "verdict", json_string(verdict));
	json_object_set_new(o, "why", json_string(why));
	/*
	 * Which way a significant difference leans, even inside the noise floor
	 * (--fail-on any-worse); not within the tolerance or the bucket error.
	 */
	if ((!strcmp(verdict, "inconclusive") || !strcmp(verdict, "worse") ||
	     !strcmp(verdict, "better")) && isfinite(p) && p < SCX_PAIRED_ALPHA && isfinite(ci.ratio) &&
	    ci.ratio != 1)
		json_object_set_new(o, "leans", json_string((dir == SCX_QOS_HIGHER) == (ci.ratio < 1)
							    ? "worse" : "better"));
out:
	free(c);
	free(b);
	free(k);
	return o;
}

void scx_qos_analyze(json_t *qos)
{
	const json_t *runs = json_object_get(qos, "runs"), *f;
	json_t *rows = json_array(), *counts;
	unsigned n[4] = { 0, 0, 0, 0 };
	static const char *const kinds[4] = { "better", "worse", "same", "inconclusive" };
	size_t i;

	json_array_foreach(json_object_get(qos, "figures"), i, f) {
		json_t *r = row(runs, f);

		if (!r)
			continue;
		for (int k = 0; k < 4; k++)
			n[k] += !strcmp(jstr(r, "verdict"), kinds[k]);
		json_array_append_new(rows, r);
	}
	json_object_set_new(qos, "rows", rows);
	counts = json_object();
	for (int k = 0; k < 4; k++)
		json_object_set_new(counts, kinds[k], json_integer(n[k]));
	json_object_set_new(qos, "counts", counts);
}

bool scx_qos_gate(const json_t *qos, const char *fail_on)
{
	const json_t *r;
	size_t i;

	if (!fail_on)
		return false;
	json_array_foreach(json_object_get(qos, "rows"), i, r) {
		const char *v = jstr(r, "verdict") ?: "", *lean = jstr(r, "leans") ?: "";

		if (!strcmp(v, "worse"))
			return true;
		if (!strcmp(fail_on, "any-worse") && !strcmp(lean, "worse"))
			return true;
	}
	return false;
}
