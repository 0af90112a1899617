// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html and its SVG writer: escaping, ticks, and the page of real VM
 * and host bundles (tests/data/bundles): banner, charts with data points,
 * a table for every figure, text alternatives, nothing external; hostile
 * strings in a report stay text.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bundle.h"
#include "formats.h"
#include "svg.h"

static char *render(const json_t *report)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	scx_html_render(f, report);
	fclose(f);
	return buf;
}

static json_t *bundle_report(const char *name)
{
	char path[PATH_MAX], err[512];
	struct scx_bundle b;
	json_t *r;

	snprintf(path, sizeof(path), "%s/bundles/%s", getenv("SCX_TEST_DATA"), name);
	if (scx_bundle_read(path, &b, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	r = json_incref(b.report);
	scx_bundle_free(&b);
	return r;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	scx_xml_esc(f, "<a href=\"x\">&'\x01\x1b" "[0m</a>\tok\n");
	fclose(f);
	assert_string_equal(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;[0m&lt;/a&gt;\tok\n");
	free(buf);
}

static void test_ticks(void **state)
{
	double v[16];
	size_t n = scx_svg_ticks(0, 10, v, 7);

	assert_int_equal(n, 6);
	assert_true(v[0] == 0 && v[1] == 2 && v[5] == 10);
	n = scx_svg_ticks(0.5, 12.5, v, 7);
	assert_true(n >= 3 && n <= 7);
	assert_true(v[0] >= 0.5 && v[n - 1] <= 12.5);
	n = scx_svg_log_ticks(1e3, 1e6, v, 16);
	assert_int_equal(n, 4);
	assert_true(v[0] == 1e3 && v[3] == 1e6);
	/* Under two decades the 2s and 5s come in too. */
	n = scx_svg_log_ticks(0.5, 20, v, 16);
	assert_int_equal(n, 6);
	assert_true(v[0] == 0.5 && v[1] == 1 && v[2] == 2 && v[5] == 20);
	assert_int_equal(scx_svg_log_ticks(0, 10, v, 16), 0);
	assert_int_equal(scx_svg_ticks(3, 3, v, 7), 0);
}

static void test_fmt(void **state)
{
	char b[32];

	scx_svg_fmt_ns(b, sizeof(b), 950);
	assert_string_equal(b, "950ns");
	scx_svg_fmt_ns(b, sizeof(b), 4.5e6);
	assert_string_equal(b, "4.5ms");
	scx_svg_fmt_ns(b, sizeof(b), 2e10);
	assert_string_equal(b, "20s");
	scx_svg_fmt_num(b, sizeof(b), 34000);
	assert_string_equal(b, "34k");
}

/* Every <svg> is an accessible image with a title and a description. */
static void assert_charts_accessible(const char *html)
{
	size_t n = count(html, "<svg ");

	assert_int_equal(count(html, "role=\"img\""), n);
	assert_int_equal(count(html, "<title id="), n);
	assert_int_equal(count(html, "<desc id="), n);
	assert_int_equal(count(html, "<figure "), n);
	assert_int_equal(count(html, "<figcaption>"), n);
	assert_int_equal(count(html, "fallback-table"), n);
	/* Self-contained: no script, no external resource. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href=\"http"));
	assert_null(strstr(html, "url("));
}

static void test_paired_page(void **state)
{
	json_t *r = bundle_report("vm-paired-slow.tar.zst");
	char *html = render(r);

	assert_non_null(strstr(html, "<section class=\"verdict v-custom-scheduler-regression\""));
	assert_non_null(strstr(html, "<strong>Report to:</strong>"));
	/* History, the runs, the CDFs, the tests. */
	assert_int_equal(count(html, "<svg "), 4);
	assert_non_null(strstr(html, "id=\"fig-runs\""));
	assert_non_null(strstr(html, "id=\"fig-cdf\""));
	assert_non_null(strstr(html, "id=\"fig-tests\""));
	/* 12 runs + 5 points of each side's median run + 7 test figures + 1 history event. */
	assert_int_equal(count(html, "class=\"pt "), 12 + 10 + 7 + 1);
	/* One line per valid run and one per side's median run. */
	assert_int_equal(count(html, "<polyline class=\"custom thin\""), 6);
	assert_int_equal(count(html, "<polyline class=\"default thin\""), 6);
	assert_non_null(strstr(html, "id=\"bpf-programs\""));
	assert_non_null(strstr(html, "slow_enqueue"));
	assert_charts_accessible(html);
	free(html);
	json_decref(r);
}

static void test_host_page(void **state)
{
	json_t *r = bundle_report("host-no-sched-ext.tar.zst");
	char *html = render(r);

	assert_non_null(strstr(html, "<section class=\"verdict v-no-custom-scheduler\""));
	assert_non_null(strstr(html, "This kernel has no sched_ext: no history."));
	/* The paired run says it was skipped, and draws nothing. */
	assert_non_null(strstr(html, "<tr><th scope=\"row\">status</th><td>skipped</td></tr>"));
	assert_null(strstr(html, "id=\"fig-runs\""));
	/* The three latency histograms as bar charts. */
	assert_int_equal(count(html, "<svg "), 3);
	assert_true(count(html, "<rect class=\"bar ") >= 10);
	assert_charts_accessible(html);
	free(html);
	json_decref(r);
}

static void test_hostile_strings(void **state)
{
	json_t *r = json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:[{s:s, s:f, s:s, s:s}]}",
			      "schema", "scx-report/1", "collection", "hostname",
			      "<script>alert(1)</script>", "start", "2026-01-01T00:00:00Z", "verdict",
			      "class", "x\" onmouseover=\"alert(1)", "summary", "a < b & c",
			      "report_to", "</p><img src=x>", "history", "event", "enabled",
			      "uptime_s", 1.5, "ops", "<b>ops</b>", "reason", "\a" "bell");
	char *html = render(r);

	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<b>ops"));
	assert_null(strstr(html, "\x07"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	/* A class that is not one of ours gets the neutral colour, never an attribute. */
	assert_non_null(strstr(html, "class=\"verdict v-unknown\""));
	assert_null(strstr(html, "onmouseover=\""));
	free(html);
	json_decref(r);
}

/* Earlier boots, when the report has them, are lanes of their own. */
static void test_boots_timeline(void **state)
{
	json_error_t e;
	json_t *r = json_loads("{\"schema\": \"scx-report/1\", \"history\": {\"boots\": ["
			       "{\"index\": -1, \"events\": [{\"event\": \"enabled\", \"ops\": \"rusty\","
			       " \"uptime_s\": 12.5}, {\"event\": \"error\", \"ops\": \"rusty\","
			       " \"uptime_s\": 300, \"reason\": \"runnable task stall\"}]},"
			       "{\"index\": 0, \"current\": true, \"events\": [{\"event\": \"enabled\","
			       " \"ops\": \"lavd\", \"uptime_s\": 8}]}]}}", 0, &e);
	char *html;

	assert_non_null(r);
	html = render(r);
	assert_non_null(strstr(html, "id=\"fig-history\""));
	assert_non_null(strstr(html, ">boot -1</text>"));
	/* "current" marks this boot: its lane, and no third one from history.events. */
	assert_int_equal(count(html, ">this boot</text>"), 1);
	assert_int_equal(count(html, "class=\"pt ev-"), 3);
	assert_non_null(strstr(html, "class=\"pt ev-error\""));
	assert_non_null(strstr(html, "runnable task stall"));
	free(html);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_paired_page),
		cmocka_unit_test(test_host_page),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_boots_timeline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
