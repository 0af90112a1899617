// SPDX-License-Identifier: GPL-2.0-or-later
/* The child-process core (lib/child.c) with real children: sh, a function, a missing program. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "child.h"
#include "util.h"

static void run(struct scx_child_opts *o, struct scx_child_result *r)
{
	assert_int_equal(scx_child_run(o, r), 0);
}

static void test_output_head_and_tail(void **state)
{
	char *argv[] = { "sh", "-c", "printf 0123456789; echo err >&2; exit 3", NULL };
	struct scx_child_opts o = { .argv = argv, .stderr_to = SCX_CHILD_STDERR_NULL, .out_max = 4 };
	struct scx_child_result r;

	(void)state;
	run(&o, &r);
	assert_true(r.reaped);
	assert_int_equal(WEXITSTATUS(r.wstatus), 3);
	assert_string_equal(r.out, "0123");
	assert_true(r.truncated);
	scx_child_result_done(&r);

	o.keep_tail = true;
	o.stderr_to = SCX_CHILD_STDERR_MERGE;
	run(&o, &r);
	assert_string_equal(r.out, "err\n");
	assert_true(r.truncated);
	scx_child_result_done(&r);
}

static int child_fn(void *arg)
{
	printf("%s", (const char *)arg);
	fflush(stdout);
	return 7;
}

static void test_function_child(void **state)
{
	struct scx_child_opts o = { .fn = child_fn, .arg = "hello", .out_max = 100 };
	struct scx_child_result r;

	(void)state;
	run(&o, &r);
	assert_true(r.reaped);
	assert_int_equal(WEXITSTATUS(r.wstatus), 7);
	assert_string_equal(r.out, "hello");
	assert_false(r.truncated);
	scx_child_result_done(&r);
}

static void test_exec_error(void **state)
{
	char *argv[] = { "/nonexistent/scx-child-test", NULL };
	struct scx_child_opts o = { .argv = argv, .out_max = 100 };
	struct scx_child_result r;

	(void)state;
	run(&o, &r);
	assert_int_equal(r.exec_errno, ENOENT);
	assert_true(r.reaped);
	assert_int_equal(WEXITSTATUS(r.wstatus), 127);
	scx_child_result_done(&r);
}

/* Past the deadline: SIGTERM to the whole group, SIGKILL after the grace for what ignores it. */
static void test_deadline_group_kill(void **state)
{
	char *argv[] = { "sh", "-c", "trap '' TERM; sleep 30 & sleep 30; wait", NULL };
	struct scx_child_opts o = { .argv = argv, .own_group = true, .out_max = 100,
				    .deadline_ns = now_mono_ns() + 200000000ull, .term_grace_ms = 300 };
	struct scx_child_result r;
	uint64_t t0 = now_mono_ns();

	(void)state;
	run(&o, &r);
	assert_true(r.timed_out);
	assert_false(r.stopped);
	assert_true(r.reaped);
	assert_true(WIFSIGNALED(r.wstatus));
	assert_true(now_mono_ns() - t0 < 5000000000ull);
	scx_child_result_done(&r);
}

static void test_stop_flag(void **state)
{
	static volatile sig_atomic_t stop = 1;
	char *argv[] = { "sleep", "30", NULL };
	struct scx_child_opts o = { .argv = argv, .stop = &stop, .out_max = 10 };
	struct scx_child_result r;

	(void)state;
	run(&o, &r);
	assert_true(r.stopped);
	assert_false(r.timed_out);
	assert_true(r.reaped);
	assert_int_equal(WTERMSIG(r.wstatus), SIGKILL);
	scx_child_result_done(&r);
}

/*
 * wake_on_line: the wait comes back (the child not done) for each whole
 * line, the caller takes it with scx_child_consume, and may move the
 * deadline while the child runs; a part of a line does not wake it.
 * (How many wakes the two lines take depends on the machine: 1 or 2.)
 */
static void test_wake_on_line(void **state)
{
	char *argv[] = { "sh", "-c", "echo one; sleep 0.2; printf 'tw'; sleep 0.2; echo o; sleep 30", NULL };
	struct scx_child_opts o = { .argv = argv, .out_max = 1024, .wake_on_line = true };
	struct scx_child c;
	struct scx_child_result r;

	char got[64] = "";
	int wakes = 0;

	(void)state;
	assert_int_equal(scx_child_start(&o, &c), 0);
	/* Each wake brings at least one new whole line; take every whole line there is. */
	while (strcmp(got, "one\ntwo\n") != 0) {
		char *nl;

		assert_true(strlen(got) < 8);
		assert_int_equal(scx_child_wait_any(&c, 1), 0);
		assert_false(c.done);
		wakes++;
		nl = memrchr(c.r.out, '\n', c.r.len);
		assert_non_null(nl);
		strncat(got, c.r.out, (size_t)(nl - c.r.out) + 1);
		scx_child_consume(&c, (size_t)(nl - c.r.out) + 1);
	}
	assert_true(wakes >= 1 && wakes <= 2);
	/* What is left is never half a line: "tw" alone woke nothing. */
	assert_int_equal(c.r.len, 0);
	/* Nothing more comes: the deadline set now ends it. */
	c.o.deadline_ns = now_mono_ns() + 100000000ull;
	assert_int_equal(scx_child_wait_any(&c, 1), 0);
	assert_true(c.done);
	scx_child_finish(&c, &r);
	assert_true(r.timed_out);
	assert_int_equal(r.len, 0);
	scx_child_result_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_head_and_tail),
		cmocka_unit_test(test_function_child),
		cmocka_unit_test(test_exec_error),
		cmocka_unit_test(test_deadline_group_kill),
		cmocka_unit_test(test_stop_flag),
		cmocka_unit_test(test_wake_on_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
