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

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

#include "bundle.h"
#include "formats.h"
#include "bundle-walk.h"
#include "progress.h"
#include "summary-latency.h"
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

/* Histogram rows ("  lo - hi : count |***|") in text. */
static size_t hist_rows(const char *text)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, " |")); p += 2)
		n += p[2] == '*' || p[2] == ' ';
	return n;
}

/* Point 4: the latency verb's default view is runqlat-sized; the fine rows stay on request. */
static void test_latency_rows(void **state)
{
	char path[PATH_MAX], err[512], *data = NULL, *coarse = NULL, *fine = NULL;
	size_t len = 0, clen = 0, flen = 0;
	json_t *lat;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bundles/vm-latency-fifo.tar.zst", getenv("SCX_TEST_DATA"));
	if (scx_bundle_member(path, "latency/latency.json", &data, &len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	lat = json_loads(data, 0, NULL);
	assert_non_null(lat);
	f = open_memstream(&coarse, &clen);
	scx_latency_text(f, lat, SCX_LATENCY_DEFAULT_K);
	fclose(f);
	f = open_memstream(&fine, &flen);
	scx_latency_text(f, lat, 5);
	fclose(f);
	/* three histograms (runq, preempt, oncpu) of about 20 rows each */
	if (hist_rows(coarse) > 3 * 25)
		fail_msg("default view has %zu rows", hist_rows(coarse));
	assert_true(hist_rows(fine) > 3 * hist_rows(coarse));
	assert_non_null(strstr(coarse, "p99"));
	json_decref(lat);
	free(data);
	free(coarse);
	free(fine);
	(void)state;
}

/* Point 11: the progress line is drawn on a terminal's stderr only, with the time left. */
static void test_progress(void **state)
{
	int saved = dup(STDERR_FILENO), p[2], m, s;
	char buf[512];
	ssize_t n;

	/* a pipe: nothing at all */
	assert_int_equal(pipe(p), 0);
	dup2(p[1], STDERR_FILENO);
	assert_false(scx_progress_on());
	scx_progress_show(40000000000ull, "paired run: round %u of %u", 2, 5);
	scx_progress_end();
	dup2(saved, STDERR_FILENO);
	close(p[1]);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);

	/* a terminal: the line, the time left, and a clean line at the end */
	m = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	assert_true(s >= 0);
	dup2(s, STDERR_FILENO);
	assert_true(scx_progress_on());
	scx_progress_show(40000000000ull, "paired run: round %u of %u", 2, 5);
	scx_progress_end();
	dup2(saved, STDERR_FILENO);
	close(s);
	/* a pty hands the bytes over in pieces: gather them until the closing "\r\033[K" */
	size_t got = 0;

	fcntl(m, F_SETFL, O_NONBLOCK);
	for (int tries = 0; tries < 200 && got < sizeof(buf) - 1; tries++) {
		n = read(m, buf + got, sizeof(buf) - 1 - got);
		if (n > 0)
			got += (size_t)n;
		buf[got] = '\0';
		if (got >= 4 && strstr(buf, "left") && !strcmp(buf + got - 4, "\r\033[K"))
			break;
		usleep(10000);
	}
	assert_true(got > 0);
	if (!strstr(buf, "scx-report: paired run: round 2 of 5, ~40 s left"))
		fail_msg("on the terminal: %s", buf);
	assert_non_null(strstr(buf, "\r\033[K"));
	close(m);
	close(saved);
	scx_progress_fmt_left(buf, sizeof(buf), 200000000000ull);
	assert_string_equal(buf, "~3 min 20 s");
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
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_latency_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
