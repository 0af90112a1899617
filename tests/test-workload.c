// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run's workloads, run briefly on this machine: each reports
 * sane figures; the reproducer is judged by its exit status and time limit;
 * the latency histogram stays within its bucket error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "workload.h"

static int64_t ival(const json_t *o, const char *a, const char *b)
{
	return json_integer_value(json_object_get(b ? json_object_get(o, a) : o, b ? b : a));
}

static void check_builtin(const char *name)
{
	struct scx_workload_opts o = { .name = name, .duration_ms = 400 };
	json_t *fig = NULL;
	char err[256];
	double per_s;

	assert_int_equal(scx_workload_run(&o, &fig, err, sizeof(err)), 0);
	assert_non_null(fig);
	assert_string_equal(json_string_value(json_object_get(fig, "workload")), name);
	/* Counts and their order are the workload's; how many and how fast is the machine's. */
	assert_true(json_is_integer(json_object_get(json_object_get(fig, "latency"), "count")));
	assert_true(ival(fig, "latency", "p50_ns") <= ival(fig, "latency", "p99_ns"));
	assert_true(ival(fig, "latency", "p99_ns") <= ival(fig, "latency", "p999_ns"));
	assert_true(ival(fig, "latency", "p999_ns") <= ival(fig, "latency", "max_ns"));
	assert_true(json_is_integer(json_object_get(json_object_get(fig, "throughput"), "count")));
	per_s = json_real_value(json_object_get(json_object_get(fig, "throughput"), "per_s"));
	/* count over the elapsed time, which is at least the whole 0.4 s */
	assert_true(per_s <= (double)ival(fig, "throughput", "count") / 0.4 * 1.001);
	json_decref(fig);
}

static void test_wakeup(void **state) { check_builtin("wakeup"); }
static void test_pipe(void **state) { check_builtin("pipe"); }
static void test_mixed(void **state) { check_builtin("mixed"); }

static void test_interrupted(void **state)
{
	volatile sig_atomic_t stop = 1;
	struct scx_workload_opts o = { .name = "pipe", .duration_ms = 5000, .interrupted = &stop };
	json_t *fig = NULL;
	char err[256];
	uint64_t t0 = now_mono_ns();

	assert_int_equal(scx_workload_run(&o, &fig, err, sizeof(err)), -EINTR);
	assert_null(fig);
	/* It did not run its 5 s. */
	assert_true(now_mono_ns() - t0 < 5000000000ull);
}

static json_t *run_cmd(char **argv, unsigned timeout_ms, int expect_r, char *err, size_t errlen)
{
	struct scx_workload_opts o = { .name = "cmd", .cmd = argv, .cmd_timeout_ms = timeout_ms };
	json_t *fig = NULL;

	assert_int_equal(scx_workload_run(&o, &fig, err, errlen), expect_r);
	return fig;
}

static void test_cmd(void **state)
{
	char *ok[] = { "true", NULL }, *bad[] = { "sh", "-c", "echo boom >&2; exit 3", NULL };
	char *slow[] = { "sleep", "10", NULL }, *missing[] = { "/nonexistent/scx-repro", NULL };
	char err[256];
	json_t *fig;

	fig = run_cmd(ok, 0, 0, err, sizeof(err));
	assert_false(json_is_true(json_object_get(fig, "failed")));
	assert_int_equal(ival(fig, "exit_status", NULL), 0);
	json_decref(fig);

	fig = run_cmd(bad, 0, 0, err, sizeof(err));
	assert_true(json_is_true(json_object_get(fig, "failed")));
	assert_int_equal(ival(fig, "exit_status", NULL), 3);
	assert_string_equal(json_string_value(json_object_get(fig, "output_tail")), "boom\n");
	json_decref(fig);

	fig = run_cmd(slow, 300, 0, err, sizeof(err));
	assert_true(json_is_true(json_object_get(fig, "timed_out")));
	assert_true(json_is_true(json_object_get(fig, "failed")));
	assert_true(json_real_value(json_object_get(fig, "duration_s")) < 5);
	json_decref(fig);

	fig = run_cmd(missing, 0, -ENOENT, err, sizeof(err));
	assert_null(fig);
	assert_non_null(strstr(err, "/nonexistent/scx-repro"));
}

/* The workloads' figure uses the one percentile definition (lib/hist.h). */
static void test_latency_figure(void **state)
{
	static struct lat_hist h;
	json_t *j;

	(void)state;
	for (uint64_t v = 1; v <= 10; v++)
		lat_hist_add(&h, v);	/* below 32 ns every value is its own bucket */
	j = scx_lathist_json(&h, "test");
	assert_string_equal(json_string_value(json_object_get(j, "what")), "test");
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 10);
	/* nearest rank: p50 the 5th, p90 the 9th, p99 and p99.9 the 10th smallest */
	assert_int_equal(json_integer_value(json_object_get(j, "p50_ns")), 5);
	assert_int_equal(json_integer_value(json_object_get(j, "p90_ns")), 9);
	assert_int_equal(json_integer_value(json_object_get(j, "p99_ns")), 10);
	assert_int_equal(json_integer_value(json_object_get(j, "p999_ns")), 10);
	assert_int_equal(json_integer_value(json_object_get(j, "max_ns")), 10);
	/* 55 / 10 = 5.5, rounded */
	assert_int_equal(json_integer_value(json_object_get(j, "mean_ns")), 6);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latency_figure),
		cmocka_unit_test(test_wakeup),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_cmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
