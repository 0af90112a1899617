// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict rules on synthetic reports: run tables built here go through
 * the paired run's statistics (scx_paired_analyze) and then scx_verdict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "paired.h"
#include "verdict.h"

static json_t *base_report(const char *provenance)
{
	return json_pack("{s:{s:b, s:s, s:s, s:i}, s:[], s:{s:s, s:{s:s, s:s}}}",
			 "sched_ext", "supported", 1, "state", "enabled", "ops", "fifo", "enable_seq", 1,
			 "history", "scheduler", "provenance", provenance, "package", "name",
			 "scx-test-scheds", "version", "0.1.0-1");
}

/* A run with the probe's p99 (0: no probe figures), the workload's p99, and for cmd a failure flag. */
static json_t *run(const char *side, double p99, bool valid, int failed)
{
	json_t *r = json_pack("{s:s, s:b, s:{s:{s:f, s:f}, s:{s:f}}}", "side", side, "valid", valid,
			      "workload", "latency", "p50_ns", p99 / 4, "p99_ns", p99, "throughput",
			      "per_s", 1e9 / p99);

	if (p99 > 0)
		json_object_set_new(r, "probe", json_pack("{s:f, s:f, s:f}", "p50_ns", p99 / 3,
							   "p99_ns", p99, "p999_ns", p99 * 2));
	if (failed >= 0) {
		json_object_set_new(json_object_get(r, "workload"), "failed", json_boolean(failed));
		json_object_set_new(json_object_get(r, "workload"), "duration_s", json_real(p99 / 1e6));
	}
	return r;
}

/* Paired section from custom[] and default[] p99 values, interleaved C D C D. */
static json_t *paired(const char *workload, const double *c, const double *d, size_t n,
		      const int *cfail, const int *dfail)
{
	json_t *runs = json_array(), *p;

	for (size_t i = 0; i < n; i++) {
		json_array_append_new(runs, run("custom", c[i], true, cfail ? cfail[i] : -1));
		json_array_append_new(runs, run("default", d[i], true, dfail ? dfail[i] : -1));
	}
	p = json_pack("{s:s, s:s, s:o}", "status", "done", "workload", workload, "runs", runs);
	scx_paired_analyze(p);
	return p;
}

static json_t *judge(json_t *report, json_t *p)
{
	json_t *v;

	if (p)
		json_object_set_new(report, "paired", p);
	v = scx_verdict(report);
	json_decref(report);
	return v;
}

static const char *cls(const json_t *v)
{
	return json_string_value(json_object_get(v, "class"));
}

static const char *field(const json_t *v, const char *k)
{
	return json_string_value(json_object_get(v, k));
}

static const double base[] = { 100e3, 104e3, 98e3, 101e3, 99e3, 102e3 };

static void test_regression_and_better(void **state)
{
	double slow[6], fast[6];
	json_t *v;

	for (int i = 0; i < 6; i++) {
		slow[i] = base[i] * 2.5;
		fast[i] = base[i] * 0.5;
	}
	v = judge(base_report("unpackaged"), paired("wakeup", slow, base, 5, NULL, NULL));
	assert_string_equal(cls(v), "custom-scheduler-regression");
	assert_non_null(strstr(field(v, "summary"), "fifo"));
	assert_non_null(strstr(field(v, "report_to"), "author"));
	assert_true(json_array_size(json_object_get(v, "evidence")) >= 3);
	/* the figure in words and units, never a variable name or an exponent (issue 22) */
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(v, "evidence"), 0)),
			       "p99 wakeup delay"));
	assert_null(strstr(field(v, "summary"), "probe_p99_ns"));
	assert_null(strstr(json_string_value(json_array_get(json_object_get(v, "evidence"), 0)),
			   "e+0"));
	assert_non_null(strstr(field(v, "summary"), "×"));
	json_decref(v);

	v = judge(base_report("packaged-verified"), paired("wakeup", fast, base, 5, NULL, NULL));
	assert_string_equal(cls(v), "custom-scheduler-better");
	json_decref(v);
}

static void test_no_difference_and_too_few(void **state)
{
	const double mixed_c[] = { 100e3, 103e3, 97e3, 101e3, 99e3 };
	double slow[3] = { 300e3, 310e3, 305e3 };
	json_t *v;

	v = judge(base_report("packaged-verified"), paired("wakeup", mixed_c, base, 5, NULL, NULL));
	assert_string_equal(cls(v), "no-significant-difference");
	json_decref(v);

	/* 3 vs 3 fully separated: p = 0.1 at best, so no conclusion */
	v = judge(base_report("packaged-verified"), paired("wakeup", slow, base, 3, NULL, NULL));
	assert_string_equal(cls(v), "inconclusive");
	assert_non_null(strstr(field(v, "summary"), "Too few"));
	json_decref(v);
}

static void test_small_but_significant_is_not_different(void **state)
{
	double c[5];
	json_t *v;

	/* every custom run 1% slower: p < 0.05, but within the bucket error */
	for (int i = 0; i < 5; i++)
		c[i] = base[i] * 1.01;
	v = judge(base_report("unpackaged"), paired("wakeup", c, base, 5, NULL, NULL));
	assert_string_equal(cls(v), "no-significant-difference");
	json_decref(v);
}

static void test_noise_floor(void **state)
{
	double c[5];
	json_t *p, *runs, *v;

	for (int i = 0; i < 5; i++)
		c[i] = base[i] * 1.3;
	p = paired("wakeup", c, base, 5, NULL, NULL);
	runs = json_object_get(p, "runs");
	/* calibration: default vs default differs by 60% on this machine */
	for (int i = 0; i < 5; i++) {
		json_array_append_new(runs, run("calibration-a", base[i], true, -1));
		json_array_append_new(runs, run("calibration-b", base[i] * 1.6, true, -1));
	}
	scx_paired_analyze(p);
	assert_true(json_real_value(json_object_get(json_object_get(p, "calibration"), "noise_floor")) > 0.5);
	v = judge(base_report("unpackaged"), p);
	assert_string_equal(cls(v), "inconclusive");
	assert_non_null(strstr(field(v, "summary"), "noise"));
	json_decref(v);
}

static void test_dropped_runs_do_not_count(void **state)
{
	double slow[5];
	json_t *p, *v;

	for (int i = 0; i < 5; i++)
		slow[i] = base[i] * 3;
	p = paired("wakeup", slow, base, 5, NULL, NULL);
	/* drop three custom runs: 2 vs 5 can never reach p < 0.05 */
	for (size_t i = 0; i < 6; i += 2)
		json_object_set_new(json_array_get(json_object_get(p, "runs"), i), "valid", json_false());
	scx_paired_analyze(p);
	v = judge(base_report("unpackaged"), p);
	assert_string_equal(cls(v), "inconclusive");
	json_decref(v);
}

static void test_workload_figure_without_probe(void **state)
{
	double slow[5], zero[5] = { 0 };
	json_t *p, *v;

	for (int i = 0; i < 5; i++)
		slow[i] = base[i] * 2;
	p = paired("wakeup", slow, base, 5, NULL, NULL);
	/* the probe was unavailable: runs have only the workload's own figures */
	for (size_t i = 0; i < 10; i++)
		json_object_del(json_array_get(json_object_get(p, "runs"), i), "probe");
	scx_paired_analyze(p);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "result"), "figure")),
			    "workload_p99_ns");
	v = judge(base_report("unpackaged"), p);
	assert_string_equal(cls(v), "custom-scheduler-regression");
	json_decref(v);
	(void)zero;
}

static void test_reproducer(void **state)
{
	const int all[] = { 1, 1, 1, 1, 1 }, none[] = { 0, 0, 0, 0, 0 }, one[] = { 0, 0, 1, 0, 0 };
	json_t *v;

	v = judge(base_report("packaged-verified"), paired("cmd", base, base, 5, all, all));
	assert_string_equal(cls(v), "reproduces-on-default");
	assert_non_null(strstr(field(v, "report_to"), "kernel"));
	json_decref(v);

	v = judge(base_report("packaged-verified"), paired("cmd", base, base, 5, all, none));
	assert_string_equal(cls(v), "custom-scheduler-regression");
	assert_non_null(strstr(field(v, "report_to"), "scx-test-scheds"));
	json_decref(v);

	v = judge(base_report("packaged-verified"), paired("cmd", base, base, 5, one, none));
	assert_string_equal(cls(v), "inconclusive");
	json_decref(v);

	v = judge(base_report("packaged-verified"), paired("cmd", base, base, 5, none, one));
	assert_string_equal(cls(v), "reproduces-on-default");
	json_decref(v);
}

static void test_failures(void **state)
{
	json_t *r = base_report("packaged-modified"), *v, *p;

	p = json_pack("{s:s, s:s, s:{s:i, s:s, s:s, s:[s]}, s:[]}", "status", "ejected", "workload",
		      "wakeup", "ejection", "run", 3, "ops", "fifo", "reason", "runnable task stall",
		      "kernel_log", "sched_ext: BPF scheduler \"fifo\" disabled (runnable task stall)",
		      "runs");
	v = judge(r, p);
	assert_string_equal(cls(v), "custom-scheduler-failure");
	assert_non_null(strstr(field(v, "summary"), "left running"));
	assert_non_null(strstr(field(v, "summary"), "runnable task stall"));
	assert_non_null(strstr(field(v, "report_to"), "modified"));
	json_decref(v);

	r = base_report("unpackaged");
	json_array_append_new(json_object_get(r, "history"),
			      json_pack("{s:s, s:s, s:s}", "event", "error", "ops", "stall", "reason",
					"runnable task stall"));
	v = judge(r, NULL);
	assert_string_equal(cls(v), "custom-scheduler-failure");
	json_decref(v);
}

static void test_no_custom_and_no_run(void **state)
{
	json_t *r, *v;

	r = json_pack("{s:{s:b}}", "sched_ext", "supported", 0);
	v = judge(r, NULL);
	assert_string_equal(cls(v), "no-custom-scheduler");
	json_decref(v);

	r = base_report("unknown");
	json_object_del(json_object_get(r, "sched_ext"), "ops");
	v = judge(r, NULL);
	assert_string_equal(cls(v), "no-custom-scheduler");
	json_decref(v);

	v = judge(base_report("unknown"), json_pack("{s:s, s:s}", "status", "skipped", "reason",
						    "needs root to switch schedulers"));
	assert_string_equal(cls(v), "inconclusive");
	assert_non_null(strstr(field(v, "summary"), "needs root"));
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regression_and_better),
		cmocka_unit_test(test_no_difference_and_too_few),
		cmocka_unit_test(test_small_but_significant_is_not_different),
		cmocka_unit_test(test_noise_floor),
		cmocka_unit_test(test_dropped_runs_do_not_count),
		cmocka_unit_test(test_workload_figure_without_probe),
		cmocka_unit_test(test_reproducer),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_no_custom_and_no_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
