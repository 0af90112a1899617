// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Numbers for people (lib/units.c): durations with 3 significant figures in
 * ns/µs/ms/s, ratios as "15.7×", p-values as "p = 0.002", figure names in
 * words, and the paired run's result in one sentence (issue 22, point 1).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "bundle.h"
#include "formats.h"
#include "units.h"
#include "util.h"

static void test_duration(void **state)
{
	char b[64];

	scx_fmt_duration(b, sizeof(b), 850);
	assert_string_equal(b, "850 ns");
	scx_fmt_duration(b, sizeof(b), 12345);
	assert_string_equal(b, "12.3 µs");
	scx_fmt_duration(b, sizeof(b), 2.01895e+08);
	assert_string_equal(b, "202 ms");
	scx_fmt_duration(b, sizeof(b), 1.28451e+07);
	assert_string_equal(b, "12.8 ms");
	scx_fmt_duration(b, sizeof(b), 1.2e9);
	assert_string_equal(b, "1.20 s");
	/* rounding up crosses into the next unit, never "1000 µs" */
	scx_fmt_duration(b, sizeof(b), 999.7e3);
	assert_string_equal(b, "1.00 ms");
	scx_fmt_duration(b, sizeof(b), 9.996e6);
	assert_string_equal(b, "10.0 ms");
	scx_fmt_duration(b, sizeof(b), NAN);
	assert_string_equal(b, "-");
	/* format_ns is the same formatter */
	format_ns(b, sizeof(b), 4.5e6);
	assert_string_equal(b, "4.50 ms");
	(void)state;
}

static void test_ratio_p(void **state)
{
	char b[64];

	scx_fmt_ratio(b, sizeof(b), 15.7178);
	assert_string_equal(b, "15.7×");
	scx_fmt_ratio(b, sizeof(b), 1.02);
	assert_string_equal(b, "1.02×");
	scx_fmt_ratio(b, sizeof(b), 0.5);
	assert_string_equal(b, "0.500×");
	scx_fmt_p(b, sizeof(b), 0.0022);
	assert_string_equal(b, "p = 0.002");
	scx_fmt_p(b, sizeof(b), 0.43);
	assert_string_equal(b, "p = 0.43");
	scx_fmt_p(b, sizeof(b), 0.00001);
	assert_string_equal(b, "p < 0.001");
	(void)state;
}

static void test_words(void **state)
{
	char b[64];

	assert_string_equal(scx_metric_words("probe_p99_ns"), "p99 wakeup delay");
	assert_string_equal(scx_metric_words("workload_p50_ns"), "median workload latency");
	assert_string_equal(scx_metric_words("something_new"), "something_new");
	scx_fmt_figure_value(b, sizeof(b), "throughput_per_s", 12345.6);
	assert_string_equal(b, "12346/s");
	scx_fmt_figure_value(b, sizeof(b), "duration_s", 2.5);
	assert_string_equal(b, "2.50 s");
	(void)state;
}

/* The figures of tests/data/bundles/vm-paired-slow.tar.zst's report.json. */
static void test_paired_sentence(void **state)
{
	json_t *res = json_pack("{s:s, s:f, s:f, s:f, s:f}", "figure", "probe_p99_ns", "median_custom",
				2.01895e+08, "median_default", 1.28451e+07, "ratio", 15.7178, "p",
				0.0022);
	char b[256];

	assert_int_equal(scx_fmt_paired_result(b, sizeof(b), res, "slow"), 0);
	assert_string_equal(b, "p99 wakeup delay 202 ms on slow vs 12.8 ms on the default "
			    "(15.7×, p = 0.002)");
	json_decref(res);
	res = json_object();
	assert_true(scx_fmt_paired_result(b, sizeof(b), res, NULL) < 0);
	json_decref(res);
	(void)state;
}

/*
 * Point 5: every shipped bundle's summary.txt states the facts of its
 * report.json rendered by this version (counter order, column widths and
 * units differ), and a summary.txt with another verdict or scheduler does not.
 */
static void test_summary_facts(void **state)
{
	static const char *const names[] = {
		"host-no-sched-ext", "vm-fifo-manual", "vm-latency-fifo", "vm-paired-fifo-mixed",
		"vm-paired-fifo-versioned", "vm-paired-fifo", "vm-paired-slow", "vm-versioned",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[PATH_MAX], err[512], *text = NULL, *bad, *at;
		struct scx_bundle b;
		size_t len = 0;
		FILE *f;

		snprintf(path, sizeof(path), "%s/bundles/%s.tar.zst", getenv("SCX_TEST_DATA"), names[i]);
		if (scx_bundle_read(path, &b, err, sizeof(err)) < 0)
			fail_msg("%s", err);
		f = open_memstream(&text, &len);
		scx_summary_render(f, b.report);
		fclose(f);
		assert_non_null(b.summary);
		if (!scx_summary_same_facts(b.summary, b.summary_len, text, len))
			fail_msg("%s: summary.txt reported as different", names[i]);
		/* a tamper: one word of the verdict line changed */
		bad = strdup(b.summary);
		at = strstr(bad, "Verdict: ");
		assert_non_null(at);
		at[9] = at[9] == 'x' ? 'y' : 'x';
		assert_false(scx_summary_same_facts(bad, b.summary_len, text, len));
		/* and a problem line added */
		free(bad);
		assert_true(asprintf(&bad, "%.*s\n== Problems found ==\n- kernel panic\n",
				     (int)b.summary_len, b.summary) > 0);
		assert_false(scx_summary_same_facts(bad, strlen(bad), text, len));
		free(bad);
		free(text);
		scx_bundle_free(&b);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_ratio_p),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_paired_sentence),
		cmocka_unit_test(test_summary_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
