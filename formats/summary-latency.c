// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The latency section of summary.txt, from the report's "latency" section,
 * and the same text for the `latency` verb (at a finer resolution, from the
 * sparse buckets of latency.json).  Percentiles always come from the full
 * K = 5 histograms (<= 1.6%); the rows are only a picture of them.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "formats.h"
#include "hist.h"
#include "summary-latency.h"
#include "units.h"
#include "util.h"

#define BAR_WIDTH 40

void scx_latency_fmt_ns(char *buf, size_t len, double ns)
{
	scx_fmt_duration(buf, len, ns);
}

/* s right-aligned (right: false, left-aligned) in width columns: "µ" is 2 bytes, 1 column. */
static void pad(FILE *f, const char *s, int width, bool right)
{
	int cols = 0;

	for (const char *p = s; *p; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	if (!right)
		fputs(s, f);
	for (; cols < width; cols++)
		fputc(' ', f);
	if (right)
		fputs(s, f);
}

static double num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void stats_line(FILE *f, const char *indent, const json_t *h)
{
	static const char *const keys[] = { "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "mean_ns" };
	static const char *const names[] = { "p50", "p90", "p99", "p99.9", "max", "mean" };
	char v[32];

	fprintf(f, "%scount %" PRIu64, indent, (uint64_t)num(h, "count"));
	if (!num(h, "count")) {
		fputc('\n', f);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		scx_latency_fmt_ns(v, sizeof(v), num(h, keys[i]));
		fprintf(f, "  %s %s", names[i], v);
	}
	fputc('\n', f);
}

/* Rows [lo, hi) with a bar, runqlat style; rows from K = 5 buckets regrouped at k. */
static void hist_rows(FILE *f, const json_t *h, unsigned k)
{
	const json_t *b = json_object_get(h, "buckets");
	struct lat_hist *m = NULL;
	json_t *rows = NULL, *row;
	uint64_t peak = 0;
	size_t i;

	if (b) {
		m = calloc(1, sizeof(*m));
		if (m && lat_buckets_from_json(b, m) == 0)
			rows = lat_buckets_json(m, k);
		free(m);
	} else {
		b = json_object_get(h, "log2_buckets");
		rows = json_incref((json_t *)b);
		k = 0;
	}
	if (!json_array_size(rows)) {
		json_decref(rows);
		return;
	}
	json_array_foreach(rows, i, row)
		if ((uint64_t)json_integer_value(json_array_get(row, 1)) > peak)
			peak = (uint64_t)json_integer_value(json_array_get(row, 1));
	fprintf(f, "    %21s : %-10s distribution\n", "range", "count");
	json_array_foreach(rows, i, row) {
		uint64_t lo = (uint64_t)json_integer_value(json_array_get(row, 0)), lo2, hi;
		uint64_t cnt = (uint64_t)json_integer_value(json_array_get(row, 1));
		unsigned stars = peak ? (unsigned)((cnt * BAR_WIDTH + peak - 1) / peak) : 0;
		char a[32], z[32], bar[BAR_WIDTH + 1];

		lat_bounds_k(lat_index_k(lo, k), k, &lo2, &hi);
		scx_latency_fmt_ns(a, sizeof(a), (double)lo);
		scx_latency_fmt_ns(z, sizeof(z), (double)hi);
		memset(bar, '*', stars);
		memset(bar + stars, ' ', BAR_WIDTH - stars);
		bar[BAR_WIDTH] = '\0';
		fputs("    ", f);
		pad(f, a, 9, true);
		fputs(" - ", f);
		pad(f, z, 9, false);
		fprintf(f, " : %-10" PRIu64 " |%s|\n", cnt, bar);
	}
	json_decref(rows);
}

void scx_latency_source_words(const json_t *l, const char **what, const char **caveat)
{
	const char *src = jstr(l, "source");

	*what = *caveat = NULL;
	if (src && !strcmp(src, "run_delay")) {
		*what = "the kernel's own account (run_delay, as in /proc/PID/schedstat), read as a "
			"task leaves a CPU";
		*caveat = "the microseconds from a wakeup that preempts to the switch it causes "
			  "count as 0";
	} else if (src && !strcmp(src, "clock")) {
		*what = "timed by scx-report's own clock readings at wakeup and switch";
	}
}

void scx_latency_text(FILE *f, const json_t *l, unsigned k)
{
	const char *what, *caveat;
	static const struct { const char *key, *title; } kinds[] = {
		{ "runq", "Wakeup to run (runq)" },
		{ "preempt", "Preempted to run again (preempt)" },
		{ "slice", "Time on CPU per switch-in (slice)" },
	};
	const json_t *c = jget(l, "counts"), *ov = jget(l, "overhead");
	char v[32];

	if (k > LAT_K)
		k = LAT_K;
	if (!json_is_object(jget(l, "runq"))) {
		fprintf(f, "not measured: %s\n", jstr_or(l, "reason", jstr_or(l, "status", "no data")));
		return;
	}
	fprintf(f, "Sampled %.1f s with %s tracepoints, ", num(l, "duration_s"),
		jstr_or(l, "attach", "BPF"));
	if (json_is_integer(jget(l, "filter.pid")))
		fprintf(f, "threads of pid %" JSON_INTEGER_FORMAT,
			json_integer_value(jget(l, "filter.pid")));
	else
		fprintf(f, "all tasks");
	if (jstr(l, "filter.cgroup"))
		fprintf(f, " in cgroup %s", jstr(l, "filter.cgroup"));
	fprintf(f, ".\n");
	scx_latency_source_words(l, &what, &caveat);
	if (what)
		fprintf(f, "Waits: %s%s%s.\n", what, caveat ? ";\n  " : "", caveat ?: "");
	if (c)
		fprintf(f, "Events: %" PRIu64 " switches, %" PRIu64 " wakeups (%" PRIu64
			" of new tasks), %" PRIu64 " migrations.\n",
			(uint64_t)num(c, "switches"), (uint64_t)num(c, "wakeups"),
			(uint64_t)num(c, "wakeups_new"), (uint64_t)num(c, "migrations"));
	if (json_is_number(jget(ov, "ns_per_event"))) {
		scx_latency_fmt_ns(v, sizeof(v), num(ov, "ns_per_event"));
		fprintf(f, "Probe cost: %s per event, %.4f%% of CPU time (bpf_stats).\n", v,
			100.0 * num(ov, "cpu_share"));
	} else if (ov) {
		fprintf(f, "Probe cost: not measured (%s).\n",
			jstr_or(ov, "reason", "bpf_stats off"));
	}
	fprintf(f, "Buckets: log-linear, 32 per power of two (<= 1.6%% error); percentiles from them.\n");

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		const json_t *h = jget(l, kinds[i].key), *rt = jget(h, "by_class.rt_dl");

		if (!h)
			continue;
		fprintf(f, "\n%s\n", kinds[i].title);
		stats_line(f, "  all:     ", h);
		if (rt && num(rt, "count"))
			stats_line(f, "  RT/DL:   ", rt);
		hist_rows(f, h, k);
	}
}

void scx_summary_latency(FILE *f, const json_t *r)
{
	const json_t *l = jget(r, "latency");

	if (!l)
		return;
	fprintf(f, "\n== Scheduling latency ==\n");
	scx_latency_text(f, l, 0);
}
