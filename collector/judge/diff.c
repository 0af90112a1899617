// SPDX-License-Identifier: GPL-2.0-or-later
/* The comparison of two reports behind `scx-report diff` (see diff.h). */
#include "diff.h"

#include <math.h>
#include <string.h>

#include "model.h"
#include "units.h"
#include "stats.h"

#define MAX_RUNS 1024

/* Scalar keys compared as they are: section, dotted path. */
static const struct {
	const char *section, *key;
} scalars[] = {
	{ "kernel", "host.kernel" },
	{ "kernel", "host.version" },
	{ "kernel", "host.arch" },
	{ "kernel", "host.os" },
	{ "kernel", "kernel.taint.value" },
	{ "scheduler", "scheduler.name" },
	{ "scheduler", "scheduler.version" },
	{ "scheduler", "scheduler.ops" },
	{ "scheduler", "scheduler.sha256" },
	{ "scheduler", "scheduler.build_id" },
	{ "scheduler", "scheduler.provenance" },
	{ "scheduler", "scheduler.manager" },
	{ "scheduler", "scheduler.package.name" },
	{ "scheduler", "scheduler.package.version" },
	{ "scheduler", "scheduler.exe.path" },
	{ "sched_ext", "sched_ext.supported" },
	{ "sched_ext", "sched_ext.state" },
	{ "sched_ext", "sched_ext.ops" },
	{ "sched_ext", "sched_ext.switch_all" },
	{ "sched_ext", "sched_ext.nr_rejected" },
	{ "verdict", "verdict.class" },
	{ "verdict", "verdict.report_to" },
	{ "paired", "paired.status" },
	{ "paired", "paired.workload" },
	{ "paired", "paired.result.figure" },
	{ "paired", "paired.result.direction" },
	{ "paired", "paired.result.significant" },
};

static const char *const lat_hists[] = { "runq", "preempt", "slice" };
static const char *const lat_pcts[] = { "p50_ns", "p90_ns", "p99_ns", "p999_ns" };

/* The paired figures and where each lives in a run (as in paired-analyze.c). */
static const struct {
	const char *name, *path;
} figures[] = {
	{ "probe_p50_ns", "probe.p50_ns" },
	{ "probe_p99_ns", "probe.p99_ns" },
	{ "probe_p999_ns", "probe.p999_ns" },
	{ "workload_p50_ns", "workload.latency.p50_ns" },
	{ "workload_p99_ns", "workload.latency.p99_ns" },
	{ "workload_p999_ns", "workload.latency.p999_ns" },
	{ "throughput_per_s", "workload.throughput.per_s" },
};

static json_t *or_null(const json_t *v)
{
	return v ? json_deep_copy(v) : json_null();
}

static void add_change(json_t *changes, const char *section, const char *key, const json_t *a,
		       const json_t *b, const char *note)
{
	json_t *c = json_pack("{s:s, s:s, s:o, s:o}", "section", section, "key", key, "a", or_null(a),
			      "b", or_null(b));

	if (note)
		json_object_set_new(c, "note", json_string(note));
	json_array_append_new(changes, c);
}

static bool same(const json_t *a, const json_t *b)
{
	if (!a || json_is_null(a))
		return !b || json_is_null(b);
	return b && json_equal(a, b);
}

static void diff_counters(json_t *changes, const json_t *ra, const json_t *rb)
{
	const json_t *ea = jget(ra, "sched_ext.events"), *eb = jget(rb, "sched_ext.events"), *v;
	const char *k;
	char key[160];

	json_object_foreach((json_t *)ea, k, v) {
		if (!same(v, json_object_get(eb, k))) {
			snprintf(key, sizeof(key), "sched_ext.events.%s", k);
			add_change(changes, "sched_ext", key, v, json_object_get(eb, k), NULL);
		}
	}
	json_object_foreach((json_t *)eb, k, v) {
		if (!json_object_get(ea, k)) {
			snprintf(key, sizeof(key), "sched_ext.events.%s", k);
			add_change(changes, "sched_ext", key, NULL, v, NULL);
		}
	}
}

static void diff_latency(json_t *changes, const json_t *ra, const json_t *rb)
{
	char key[96], note[96];

	for (size_t h = 0; h < sizeof(lat_hists) / sizeof(lat_hists[0]); h++)
		for (size_t p = 0; p < sizeof(lat_pcts) / sizeof(lat_pcts[0]); p++) {
			const json_t *va, *vb;
			double x, y;

			snprintf(key, sizeof(key), "latency.%s.%s", lat_hists[h], lat_pcts[p]);
			va = jget(ra, key);
			vb = jget(rb, key);
			if (!json_is_number(va) && !json_is_number(vb))
				continue;
			if (!json_is_number(va) || !json_is_number(vb)) {
				add_change(changes, "latency", key, va, vb, "sampled in one bundle only");
				continue;
			}
			x = json_number_value(va);
			y = json_number_value(vb);
			/* Within the histogram's bucket error the two are the same value. */
			if (x > 0 && fabs(y / x - 1) <= SCX_DIFF_BUCKET_ERROR)
				continue;
			if (x == y)
				continue;
			scx_fmt_ratio(note, sizeof(note), x > 0 ? y / x : INFINITY);
			add_change(changes, "latency", key, va, vb, note);
		}
}

/*
 * The per-round ratios custom/default of one figure: a round's custom run
 * against the default run of the same round, both valid.  Each ratio is
 * measured on one boot of one machine a few seconds apart, so what the two
 * bundles' machines do differently (another boot, another load) cancels out.
 */
static size_t round_ratios(const json_t *r, const char *path, double *buf)
{
	const json_t *runs = jget(r, "paired.runs"), *c, *d;
	size_t i, j, n = 0;

	json_array_foreach(runs, i, c) {
		const json_t *vc = jget(c, path);

		if (n >= MAX_RUNS || !json_is_true(json_object_get(c, "valid")) ||
		    strcmp(jstr(c, "side") ?: "", "custom") || !json_is_number(vc))
			continue;
		json_array_foreach(runs, j, d) {
			const json_t *vd = jget(d, path);

			if (json_is_true(json_object_get(d, "valid")) &&
			    !strcmp(jstr(d, "side") ?: "", "default") && json_is_number(vd) &&
			    json_equal(json_object_get(c, "round"), json_object_get(d, "round")) &&
			    json_number_value(vd) > 0 && isfinite(json_number_value(vc))) {
				buf[n++] = json_number_value(vc) / json_number_value(vd);
				break;
			}
		}
	}
	return n;
}

static void diff_paired(json_t *changes, json_t *paired, const json_t *ra, const json_t *rb)
{
	static double va[MAX_RUNS], vb[MAX_RUNS];
	char key[96], note[200];

	/* Figures of different workloads or commands measure different things. */
	if (!same(jget(ra, "paired.workload"), jget(rb, "paired.workload")) ||
	    !same(jget(ra, "paired.command"), jget(rb, "paired.command")))
		return;
	for (size_t f = 0; f < sizeof(figures) / sizeof(figures[0]); f++) {
		size_t na = round_ratios(ra, figures[f].path, va);
		size_t nb = round_ratios(rb, figures[f].path, vb);
		struct scx_mwu mwu;
		double ma, mb, change;
		bool sig;

		if (!na || !nb || scx_mann_whitney(va, na, vb, nb, &mwu) < 0)
			continue;
		ma = scx_median(va, na);
		mb = scx_median(vb, nb);
		change = ma > 0 ? mb / ma : NAN;
		sig = mwu.p < SCX_DIFF_ALPHA && isfinite(change) &&
		      fabs(change - 1) > SCX_DIFF_BUCKET_ERROR;
		json_array_append_new(paired, json_pack(
			"{s:s, s:f, s:f, s:o, s:f, s:I, s:I, s:b}", "figure", figures[f].name,
			"ratio_a", ma, "ratio_b", mb, "change",
			isfinite(change) ? json_real(change) : json_null(), "p", mwu.p,
			"rounds_a", (json_int_t)na, "rounds_b", (json_int_t)nb, "significant", sig));
		if (!sig)
			continue;
		snprintf(key, sizeof(key), "paired.%s.ratio", figures[f].name);
		char rt[32], pt[32];

		scx_fmt_ratio(rt, sizeof(rt), change);
		scx_fmt_p(pt, sizeof(pt), mwu.p);
		snprintf(note, sizeof(note), "%s, custom/default per round, median; %s, Mann-Whitney %s"
			 " over %zu vs %zu rounds", scx_metric_words(figures[f].name), rt, pt, na, nb);
		json_t *ja = json_real(ma), *jb = json_real(mb);

		add_change(changes, "paired", key, ja, jb, note);
		json_decref(ja);
		json_decref(jb);
	}
}

static json_t *who(const json_t *r)
{
	return json_pack("{s:o, s:o, s:o}", "id", or_null(jget(r, "collection.id")), "host",
			 or_null(jget(r, "collection.hostname")), "start",
			 or_null(jget(r, "collection.start")));
}

static const char *const section_order[] = { "kernel", "scheduler", "sched_ext", "latency",
					     "verdict", "paired" };

/* The changes grouped by section, in section_order, each group in the order found. */
static json_t *by_section(json_t *changes)
{
	json_t *out = json_array(), *c;
	size_t i;

	for (size_t s = 0; s < sizeof(section_order) / sizeof(section_order[0]); s++)
		json_array_foreach(changes, i, c)
			if (!strcmp(jstr(c, "section"), section_order[s]))
				json_array_append(out, c);
	json_decref(changes);
	return out;
}

json_t *scx_diff_reports(const json_t *a, const json_t *b)
{
	json_t *changes = json_array(), *paired = json_array();

	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		const json_t *va = jget(a, scalars[i].key), *vb = jget(b, scalars[i].key);

		if (!same(va, vb))
			add_change(changes, scalars[i].section, scalars[i].key, va, vb, NULL);
	}
	diff_counters(changes, a, b);
	diff_latency(changes, a, b);
	diff_paired(changes, paired, a, b);
	changes = by_section(changes);
	json_t *d = json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:I}", "schema", SCX_DIFF_SCHEMA, "a", who(a),
			 "b", who(b), "same_host",
			 same(jget(a, "collection.hostname"), jget(b, "collection.hostname")),
			 "changes", changes, "paired", paired, "n_changes",
			 (json_int_t)json_array_size(changes));
	if (d && json_array_size(jget(a, "paired.runs")) && json_array_size(jget(b, "paired.runs")) &&
	    (!same(jget(a, "paired.workload"), jget(b, "paired.workload")) ||
	     !same(jget(a, "paired.command"), jget(b, "paired.command"))))
		json_object_set_new(d, "paired_note",
				    json_string("the two paired runs ran different workloads"));
	return d;
}
