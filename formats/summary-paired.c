// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired-run section of summary.txt, from the report's "paired"
 * section: how the scheduler was switched and restored, one line per run,
 * then the tests (custom vs default) and the calibration.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "formats.h"
#include "util.h"

static double num(const json_t *o, const char *path)
{
	const json_t *v = jget(o, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ns as "123 µs"-style text (lib/units.c), "-" when absent. */
static const char *dur(char *buf, size_t len, double ns)
{
	format_ns(buf, len, ns);
	return buf;
}

static void run_line(FILE *f, const json_t *run, bool cmd)
{
	char a[24], b[24], c[24], d[24];

	fprintf(f, "%3" JSON_INTEGER_FORMAT "  %-20s %2" JSON_INTEGER_FORMAT "  %-5s %9s %9s %9s",
		json_integer_value(jget(run, "order")), jstr_or(run, "side", "?"),
		json_integer_value(jget(run, "round")),
		json_is_true(jget(run, "valid")) ? "yes" : "NO",
		dur(a, sizeof(a), num(run, "probe.p50_ns")), dur(b, sizeof(b), num(run, "probe.p99_ns")),
		dur(c, sizeof(c), num(run, "probe.p999_ns")));
	if (cmd) {
		fprintf(f, "  %8.2fs  ", num(run, "workload.duration_s"));
		if (json_is_integer(jget(run, "workload.exit_status")))
			fprintf(f, "exit %" JSON_INTEGER_FORMAT, json_integer_value(jget(run, "workload.exit_status")));
		else if (json_is_integer(jget(run, "workload.signal")))
			fprintf(f, "signal %" JSON_INTEGER_FORMAT, json_integer_value(jget(run, "workload.signal")));
		if (json_is_true(jget(run, "workload.timed_out")))
			fprintf(f, " (time limit)");
	} else {
		fprintf(f, "  %9s  %10.0f", dur(d, sizeof(d), num(run, "workload.latency.p99_ns")),
			num(run, "workload.throughput.per_s"));
	}
	if (jstr(run, "drop_reason"))
		fprintf(f, "  dropped: %s", jstr(run, "drop_reason"));
	fprintf(f, "\n");
}

static void test_line(FILE *f, const json_t *t)
{
	fprintf(f, "  %-17s %s %.6g vs %s %.6g (n %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT
		"): ratio %.3f [%.3f, %.3f], U %.1f, p %.4f%s\n",
		jstr_or(t, "figure", "?"), jstr_or(t, "a", "a"),
		num(t, "median_a"), jstr_or(t, "b", "b"), num(t, "median_b"),
		json_integer_value(jget(t, "n_a")), json_integer_value(jget(t, "n_b")), num(t, "ratio"),
		num(t, "ci95_low"), num(t, "ci95_high"), num(t, "u"), num(t, "p"),
		json_is_true(jget(t, "exact")) ? "" : " (normal approx.)");
}

void scx_summary_paired(FILE *f, const json_t *r)
{
	const json_t *p = jget(r, "paired"), *run, *t;
	bool cmd;
	size_t i;

	if (!p)
		return;
	fprintf(f, "\n== Paired run (custom vs default scheduler) ==\n");
	fprintf(f, "%s%s%s\n", jstr_or(p, "status", "?"),
		jstr(p, "reason") ? ": " : "", jstr_or(p, "reason", ""));
	if (!jget(p, "runs"))
		return;
	cmd = jstr(p, "workload") && !strcmp(jstr(p, "workload"), "cmd");
	fprintf(f, "scheduler %s via %s (%s)\n", jstr_or(p, "ops", "?"),
		jstr_or(p, "manager", "?"), jstr_or(p, "switch", ""));
	fprintf(f, "workload %s, %" JSON_INTEGER_FORMAT " round(s) of %" JSON_INTEGER_FORMAT " s per side%s\n",
		jstr_or(p, "workload", "?"), json_integer_value(jget(p, "rounds")),
		json_integer_value(jget(p, "duration_s")),
		json_is_true(jget(p, "calibrate")) ? ", with calibration rounds" : "");
	if (json_is_true(jget(p, "sequential.stopped_early")))
		fprintf(f, "stopped early after %.0f s of workload: %s\n", num(p, "sequential.decided_after_s"),
			jstr(p, "sequential.screen.why") ? jstr(p, "sequential.screen.why") : "?");
	else if (jget(p, "sequential.screen"))
		fprintf(f, "full rounds after the screening look: %s\n",
			jstr(p, "sequential.screen.why") ? jstr(p, "sequential.screen.why") : "?");
	else if (jstr(p, "sequential.skipped"))
		fprintf(f, "no screening look: %s\n", jstr(p, "sequential.skipped"));
	if (jget(p, "command")) {
		fprintf(f, "command:");
		json_array_foreach(jget(p, "command"), i, t)
			fprintf(f, " %s", json_string_value(t));
		fprintf(f, "\n");
	}
	if (jstr(p, "probe.reason"))
		fprintf(f, "latency probe unavailable: %s\n", jstr(p, "probe.reason"));
	if (jstr(p, "restore.action")) {
		fprintf(f, "restore: %s", jstr(p, "restore.action"));
		if (jstr(p, "restore.why"))
			fprintf(f, " (%s)", jstr(p, "restore.why"));
		if (jstr(p, "restore.error"))
			fprintf(f, ": %s", jstr(p, "restore.error"));
		fprintf(f, "\n");
	}
	if (jget(p, "ejection"))
		fprintf(f, "EJECTED during run %" JSON_INTEGER_FORMAT ": %s\n",
			json_integer_value(jget(p, "ejection.run")),
			jstr_or(p, "ejection.reason", "?"));
	fprintf(f, "\n  # side                 rnd valid   run p50   run p99  run p99.9");
	fprintf(f, "%s\n", cmd ? "  duration  result" : "  wl p99       per s");
	json_array_foreach(jget(p, "runs"), i, run)
		run_line(f, run, cmd);
	if (json_array_size(jget(p, "tests"))) {
		fprintf(f, "\ntests (exact two-sided Mann-Whitney U over runs; ratio of medians with a "
			"95%% bootstrap interval):\n");
		json_array_foreach(jget(p, "tests"), i, t)
			test_line(f, t);
	}
	if (jget(p, "calibration")) {
		fprintf(f, "calibration (default vs default)%s:\n",
			json_is_true(jget(p, "calibration.called_different")) ?
			", which this design would call different" : "");
		test_line(f, jget(p, "calibration"));
	}
	if (jget(p, "reproducer"))
		fprintf(f, "reproducer failures: custom %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT
			", default %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT " (Fisher p %.4f)\n",
			json_integer_value(jget(p, "reproducer.custom_failures")),
			json_integer_value(jget(p, "reproducer.custom_runs")),
			json_integer_value(jget(p, "reproducer.default_failures")),
			json_integer_value(jget(p, "reproducer.default_runs")), num(p, "reproducer.fisher_p"));
	if (jstr(p, "result.figure"))
		fprintf(f, "result on %s: %s (p %.4f, ratio %.3f, threshold %.1f%%)\n",
			jstr(p, "result.figure"), jstr_or(p, "result.direction", "?"),
			num(p, "result.p"), num(p, "result.ratio"), 100 * num(p, "result.threshold"));
}
