// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QoS battery's workloads: their figures on known inputs (Jain's index,
 * the kernel's nice weight table, shares and ratios), and each workload run
 * briefly on this machine with figures that hold together.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "model.h"
#include "util.h"
#include "workload-cgroup.h"
#include "workload-qos.h"

static double dval(const json_t *o, const char *path)
{
	const json_t *v = jget(o, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void test_jain(void **state)
{
	const double equal[4] = { 5, 5, 5, 5 }, one[4] = { 8, 0, 0, 0 }, half[4] = { 1, 1, 0, 0 };
	const double mixed[3] = { 1, 2, 3 }, zero[2] = { 0, 0 };

	assert_float_equal(scx_jain_index(equal, 4), 1.0, 1e-12);
	assert_float_equal(scx_jain_index(one, 4), 0.25, 1e-12);	/* 1/n */
	assert_float_equal(scx_jain_index(half, 4), 0.5, 1e-12);	/* k/n when k share equally */
	/* (1+2+3)^2 / (3 * (1+4+9)) = 36/42 */
	assert_float_equal(scx_jain_index(mixed, 3), 36.0 / 42.0, 1e-12);
	assert_true(isnan(scx_jain_index(zero, 2)));
	assert_true(isnan(scx_jain_index(equal, 0)));
}

static void test_nice_weights(void **state)
{
	assert_int_equal(scx_nice_weight(0), 1024);
	assert_int_equal(scx_nice_weight(10), 110);
	assert_int_equal(scx_nice_weight(-20), 88761);
	assert_int_equal(scx_nice_weight(19), 15);
	assert_int_equal(scx_nice_weight(1), 820);
	assert_int_equal(scx_nice_weight(20), 0);
	assert_int_equal(scx_nice_weight(-21), 0);
	/* The table's design: every step is a factor of about 1.25. */
	for (int n = -20; n < 19; n++) {
		double f = (double)scx_nice_weight(n) / scx_nice_weight(n + 1);

		assert_true(f > 1.19 && f < 1.3);
	}
}

static void test_shares(void **state)
{
	assert_float_equal(scx_share_expected(1024, 110), 1024.0 / 1134.0, 1e-12);
	assert_float_equal(scx_share_expected(300, 100), 0.75, 1e-12);
	assert_float_equal(scx_share_measured(3, 1), 0.75, 1e-12);
	assert_true(isnan(scx_share_measured(0, 0)));
	assert_float_equal(scx_share_error(0.5, 0.75), 0.25, 1e-12);
	assert_float_equal(scx_share_error(0.8, 0.75), 0.05, 1e-12);
	assert_float_equal(scx_share_to_ratio(0.75), 3.0, 1e-12);
	assert_float_equal(scx_share_to_ratio(0.5), 1.0, 1e-12);
	assert_true(isinf(scx_share_to_ratio(1)));
	assert_true(isnan(scx_share_to_ratio(1.5)));
}

static void test_nice_figures(void **state)
{
	json_t *exact = scx_nice_figures(1024 * 7, 110 * 7), *flat = scx_nice_figures(500, 500);

	/* Work in the weight table's proportion: share 0.903, no error, ratio 9.31. */
	assert_float_equal(dval(exact, "share"), 1024.0 / 1134.0, 1e-9);
	assert_float_equal(dval(exact, "share_error"), 0, 1e-9);
	assert_float_equal(dval(exact, "achieved_ratio"), 1024.0 / 110.0, 1e-9);
	assert_float_equal(dval(exact, "expected_ratio"), 1024.0 / 110.0, 1e-9);
	/* A scheduler that ignores nice: half each, 0.403 away from the table. */
	assert_float_equal(dval(flat, "share"), 0.5, 1e-12);
	assert_float_equal(dval(flat, "share_error"), 1024.0 / 1134.0 - 0.5, 1e-9);
	json_decref(exact);
	json_decref(flat);
}

static void test_cgroup_figures(void **state)
{
	json_t *exact = scx_cgroup_figures(1000, 3000, 100, 300);
	json_t *ignored = scx_cgroup_figures(2000, 2000, 100, 300);
	json_t *none = scx_cgroup_figures(0, 0, 100, 300);

	assert_float_equal(dval(exact, "share"), 0.75, 1e-12);
	assert_float_equal(dval(exact, "share_error"), 0, 1e-12);
	assert_float_equal(dval(exact, "achieved_ratio"), 3, 1e-12);
	assert_float_equal(dval(exact, "expected_share"), 0.75, 1e-12);
	assert_float_equal(dval(ignored, "share_error"), 0.25, 1e-12);
	assert_float_equal(dval(ignored, "achieved_ratio"), 1, 1e-12);
	assert_true(json_is_null(json_object_get(none, "share")));
	assert_true(json_is_null(json_object_get(none, "share_error")));
	json_decref(exact);
	json_decref(ignored);
	json_decref(none);
}

/* ---- the workloads, briefly, on this machine ------------------------------ */

static const struct scx_workload_opts brief = { .duration_ms = 400 };

static void test_fork(void **state)
{
	json_t *fig = NULL;

	assert_int_equal(scx_workload_fork(&brief, &fig), 0);
	assert_true(dval(fig, "latency.count") == dval(fig, "throughput.count"));
	assert_true(dval(fig, "latency.p50_ns") <= dval(fig, "latency.p99_ns"));
	json_decref(fig);
}

static void test_messaging(void **state)
{
	json_t *fig = NULL;
	double rounds, groups;

	assert_int_equal(scx_workload_messaging(&brief, &fig), 0);
	rounds = dval(fig, "latency.count");
	groups = dval(fig, "groups");
	assert_true(rounds >= 1);
	/* Every round delivers 10 senders x 10 receivers x 20 messages per group. */
	assert_float_equal(dval(fig, "throughput.count"), rounds * groups * 2000, 0.5);
	assert_true(dval(fig, "latency.p50_ns") > 0);
	json_decref(fig);
}

static void test_cpu(void **state)
{
	json_t *fig = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double jain, n;

	assert_int_equal(scx_workload_cpu(&brief, &fig), 0);
	n = dval(fig, "fairness.threads");
	jain = dval(fig, "fairness.jain_index");
	assert_float_equal(n, ncpu * 2 > 32 ? 32 : ncpu * 2, 0);
	assert_true(jain >= 1 / n && jain <= 1.0 + 1e-12);
	assert_true(dval(fig, "fairness.min_share") <= 1 / n + 1e-12);
	assert_true(dval(fig, "fairness.max_share") >= 1 / n - 1e-12);
	assert_true(dval(fig, "throughput.per_s") >= 0);
	json_decref(fig);
}

static void test_nice_run(void **state)
{
	json_t *fig = NULL;
	double share;

	assert_int_equal(scx_workload_nice(&brief, &fig), 0);
	share = dval(fig, "nice.share");
	/*
	 * What is deterministic: a share, and its error against the weights.
	 * Which side gets more depends on the machine's load (a busy build
	 * machine can starve either): the VM suite's qos scenarios judge that.
	 */
	assert_true(share >= 0 && share <= 1);
	assert_float_equal(dval(fig, "nice.share_error"), fabs(share - 1024.0 / 1134.0), 1e-9);
	json_decref(fig);
}

static void test_cgroup_run(void **state)
{
	char why[256] = "", *before = NULL, *after = NULL, mine[128];
	json_t *fig = NULL;
	int r;

	read_one_line("/sys/fs/cgroup/cgroup.subtree_control", &before);
	r = scx_workload_cgroup(&brief, &fig, why, sizeof(why));
	read_one_line("/sys/fs/cgroup/cgroup.subtree_control", &after);
	/* The root's controllers are as they were, whatever happened. */
	assert_string_equal(before ? before : "", after ? after : "");
	free(before);
	free(after);

	if (r == -EOPNOTSUPP || r == -EPERM || r == -EACCES) {
		/* Not root, or no cgroup v2 cpu controller: skipped with a reason. */
		assert_true(strlen(why) > 10);
		skip();
	}
	assert_int_equal(r, 0);
	assert_true(dval(fig, "cgroup.share") >= 0 && dval(fig, "cgroup.share") <= 1);
	assert_float_equal(dval(fig, "cgroup.expected_share"), 0.75, 1e-12);
	/* Its cgroups are gone. */
	snprintf(mine, sizeof(mine), "/sys/fs/cgroup/scx-report-qos.%d", (int)getpid());
	assert_true(access(mine, F_OK) < 0);
	snprintf(mine, sizeof(mine), "/sys/fs/cgroup/scx-report-qos.%d.cpu", (int)getpid());
	assert_true(access(mine, F_OK) < 0);
	json_decref(fig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jain),
		cmocka_unit_test(test_nice_weights),
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_nice_figures),
		cmocka_unit_test(test_cgroup_figures),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_messaging),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_nice_run),
		cmocka_unit_test(test_cgroup_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
