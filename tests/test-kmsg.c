// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log parser on real logs: /dev/kmsg records of this machine
 * (continuation lines, \xNN escapes), the 7.2.13 captures from a sched_ext
 * kernel (enabled, clean disable, stall with its backtrace), and the
 * hand-made newer-kernel log (oops, soft lockup, unknown exit reasons).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmsg-parse.h"
#include "probes.h"
#include "test-util.h"
#include "util.h"

static int feed(const char *rec, size_t len, void *userdata)
{
	struct kmsg_record r;

	if (kmsg_parse_record(rec, len, &r) < 0)
		return 1;
	assert_int_equal(kmsg_log_add(userdata, r.usec, r.text), 0);
	kmsg_record_done(&r);
	return 0;
}

/* Feed a <sysroot>/dev/kmsg file from tests/data into a log. */
static void load_tree(struct kmsg_log *log, const char *tree, size_t max)
{
	char rel[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	size_t len;

	snprintf(rel, sizeof(rel), "%s/dev/kmsg", tree);
	buf = read_test_file("SCX_TEST_DATA", rel, &len);
	kmsg_log_init(log, max);
	assert_int_equal(kmsg_split_records(buf, len, feed, log), 0);
	kmsg_log_finish(log);
}

static const char *ev_str(const json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

static void test_record_fields(void **state)
{
	const char rec[] = "4,1234,9842173,-;   __scx_exit+0x4f/0x70\n SUBSYSTEM=acpi\n";
	const char esc[] = "6,5,2500000,c;a\\x0ab\\x5cc\\x";
	struct kmsg_record r;

	assert_int_equal(kmsg_parse_record(rec, strlen(rec), &r), 0);
	assert_int_equal(r.level, 4);
	assert_int_equal(r.facility, 0);
	assert_int_equal(r.seq, 1234);
	assert_int_equal(r.usec, 9842173);
	assert_int_equal(r.flags, '-');
	assert_string_equal(r.text, "   __scx_exit+0x4f/0x70");
	kmsg_record_done(&r);

	/* \xNN unescaped; a cut escape at the end stays as it is. */
	assert_int_equal(kmsg_parse_record(esc, strlen(esc), &r), 0);
	assert_int_equal(r.flags, 'c');
	assert_string_equal(r.text, "a\nb\\c\\x");
	kmsg_record_done(&r);

	/* PRI with a facility: 30 = daemon (3) << 3 | info (6). */
	assert_int_equal(kmsg_parse_record("30,7,1,-;x", 10, &r), 0);
	assert_int_equal(r.facility, 3);
	assert_int_equal(r.level, 6);
	kmsg_record_done(&r);
}

static void test_record_malformed(void **state)
{
	static const char *const bad[] = {
		"no header at all", "6,1,2,-", "6,1;x", "6,x,2,-;y", ",1,2,-;x",
		"6,1,99999999999999999999999,-;x", "6,1,2\n,-;x",
	};
	struct kmsg_record r;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(kmsg_parse_record(bad[i], strlen(bad[i]), &r), -EINVAL);
}

static int count_record(const char *rec, size_t len, void *userdata)
{
	struct kmsg_record r;

	if (kmsg_parse_record(rec, len, &r) < 0)
		return 1;
	/* A continuation line never leaks into the text. */
	assert_null(strstr(r.text, "SUBSYSTEM="));
	(*(unsigned *)userdata)++;
	kmsg_record_done(&r);
	return 0;
}

/* This machine's real /dev/kmsg: every record parses, continuations join their record. */
static void test_split_host_log(void **state)
{
	_cleanup_free_ char *buf = NULL;
	unsigned records = 0, heads = 0, conts = 0;
	size_t len;

	buf = read_test_file("SCX_TEST_DATA", "host-debian12/dev/kmsg", &len);
	for (const char *p = buf; p < buf + len; p = strchr(p, '\n') + 1) {
		if (*p == ' ')
			conts++;
		else
			heads++;
		if (!strchr(p, '\n'))
			break;
	}
	assert_true(conts > 0);	/* the capture has SUBSYSTEM=/DEVICE= lines */
	assert_int_equal(kmsg_split_records(buf, len, count_record, &records), 0);
	assert_int_equal(records, heads);

	/* A stray continuation line or a broken header counts as malformed. */
	{
		static const char mixed[] = " KEY=V\n6,1,2,-;ok\nbroken\n";

		assert_int_equal(kmsg_split_records(mixed, strlen(mixed), count_record, &records), 2);
	}
}

/* Converted back to the human form, the 7.2 log is the original dmesg.txt byte for byte. */
static void test_round_trip_dmesg(void **state)
{
	_cleanup_free_ char *orig = NULL;
	struct kmsg_log log;

	orig = read_test_file("SCX_TEST_DATA", "sched_ext-7.2.13/4-after-stall/dmesg.txt", NULL);
	load_tree(&log, "sched-ext-7.2-after-stall", 1 << 20);
	assert_string_equal(log.dmesg, orig);
	assert_false(log.truncated);
	assert_int_equal(log.lines, 400);
	kmsg_log_done(&log);
}

static void test_history_after_stall(void **state)
{
	struct kmsg_log log;
	json_t *h, *ev, *bt;

	load_tree(&log, "sched-ext-7.2-after-stall", 1 << 20);
	h = log.history;
	assert_int_equal(json_array_size(h), 5);

	ev = json_array_get(h, 0);
	assert_string_equal(ev_str(ev, "event"), "enabled");
	assert_string_equal(ev_str(ev, "ops"), "ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu");
	assert_string_equal(ev_str(ev, "time"), "4.200281");
	assert_true(json_is_false(json_object_get(ev, "partial")));

	ev = json_array_get(h, 1);
	assert_string_equal(ev_str(ev, "event"), "sysrq-dump");
	assert_string_equal(ev_str(ev, "ops"), "ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu");

	ev = json_array_get(h, 2);
	assert_string_equal(ev_str(ev, "event"), "disabled");
	assert_string_equal(ev_str(ev, "reason"), "unregistered from user space");
	assert_null(json_object_get(ev, "error"));

	ev = json_array_get(h, 4);
	assert_string_equal(ev_str(ev, "event"), "error");
	assert_string_equal(ev_str(ev, "ops"), "tarpit");
	assert_string_equal(ev_str(ev, "time"), "9.841617");
	assert_true(json_real_value(json_object_get(ev, "uptime_s")) > 9.8416 &&
		    json_real_value(json_object_get(ev, "uptime_s")) < 9.8417);
	assert_string_equal(ev_str(ev, "reason"), "runnable task stall");
	assert_string_equal(ev_str(ev, "error"), "watchdog failed to check in for 1.004s");
	bt = json_object_get(ev, "backtrace");
	assert_int_equal(json_array_size(bt), 17);
	assert_string_equal(json_string_value(json_array_get(bt, 0)), "__scx_exit+0x4f/0x70");
	assert_string_equal(json_string_value(json_array_get(bt, 16)), "common_startup_64+0x13e/0x151");

	/* The extract: 5 sched_ext lines + the message + 17 frames. */
	assert_int_equal(log.sched_ext_lines, 23);
	assert_non_null(strstr(log.sched_ext, "[    9.841957] sched_ext: tarpit: watchdog failed"));
	assert_null(strstr(log.sched_ext, "Linux version"));
	kmsg_log_done(&log);
}

static void test_history_quiet_logs(void **state)
{
	struct kmsg_log log;

	/* No sched_ext line on this machine; indented env lines of init are no backtrace. */
	load_tree(&log, "host-debian12", 1 << 20);
	assert_int_equal(json_array_size(log.history), 0);
	assert_int_equal(log.sched_ext_lines, 0);
	assert_true(log.lines > 100);
	kmsg_log_done(&log);

	load_tree(&log, "sched-ext-7.2-enabled", 1 << 20);
	assert_int_equal(json_array_size(log.history), 1);
	assert_string_equal(ev_str(json_array_get(log.history, 0), "event"), "enabled");
	kmsg_log_done(&log);
}

static void test_exit_classification(void **state)
{
	static const char *const clean[] = {
		"unregistered from user space", "unregistered from BPF",
		"unregistered from the main kernel", "disabled by sysrq-S", "parent exiting",
	};
	static const char *const errors[] = {
		"runtime error", "scx_bpf_error", "runnable task stall", "BPF sub-scheduler",
		"something a future kernel says", "", "unregistered from user space (sort of)",
	};

	for (size_t i = 0; i < ARRAY_SIZE(clean); i++)
		assert_string_equal(kmsg_exit_event(clean[i]), "disabled");
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++)
		assert_string_equal(kmsg_exit_event(errors[i]), "error");
	assert_string_equal(kmsg_exit_event(NULL), "error");
}

static void test_history_newer_kernel(void **state)
{
	static const char *const kinds[] = {
		"enabled", "soft-lockup", "error", "enabled", "disabled", "enabled", "sysrq-dump", "oops",
	};
	struct kmsg_log log;
	json_t *h, *ev;

	load_tree(&log, "newer-kernel", 1 << 20);
	h = log.history;
	assert_int_equal(json_array_size(h), ARRAY_SIZE(kinds));
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		assert_string_equal(ev_str(json_array_get(h, i), "event"), kinds[i]);

	ev = json_array_get(h, 1);
	assert_string_equal(ev_str(ev, "ops"), "rusty_1.1.0_x86_64_unknown_linux_gnu");
	assert_string_equal(ev_str(ev, "reason"),
			    "Soft lockup - CPU3 stuck for 21s, disabling BPF scheduler");
	ev = json_array_get(h, 2);
	assert_string_equal(ev_str(ev, "reason"), "dispatch rescue failed");
	assert_string_equal(ev_str(ev, "error"), "rescue of CPU 3 timed out after 2.000s");
	assert_int_equal(json_array_size(json_object_get(ev, "backtrace")), 2);
	ev = json_array_get(h, 3);
	assert_true(json_is_true(json_object_get(ev, "partial")));
	ev = json_array_get(h, 4);
	assert_string_equal(ev_str(ev, "reason"), "parent exiting");
	ev = json_array_get(h, 6);
	assert_string_equal(ev_str(ev, "ops"), "lavd_1.0.20_g85f140fd_x86_64_unknown_linux_gnu");
	ev = json_array_get(h, 7);
	assert_string_equal(ev_str(ev, "reason"), "enabled+partial");
	assert_string_equal(ev_str(ev, "error"),
			    "WARNING: CPU: 2 PID: 77 at kernel/sched/ext.c:1234 scx_dsq_move+0x1f/0x80");
	assert_null(json_object_get(ev, "_line"));	/* internal state never leaks */

	/* The unknown sched_ext line is kept; the multi-line record gave two lines. */
	assert_non_null(strstr(log.sched_ext, "a message this version does not know\\ with"));
	assert_non_null(strstr(log.dmesg, "[    2.500000] random: a second line in the same record\n"));
	kmsg_log_done(&log);
}

static void test_oops_dedup_and_orphan_message(void **state)
{
	struct kmsg_log log;

	kmsg_log_init(&log, 0);
	/* sysrq-t: one Sched_ext line per task, one event. */
	assert_int_equal(kmsg_log_add(&log, 1000000, "sysrq: Show State"), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(kmsg_log_add(&log, 1000001 + i,
					      "Sched_ext: fifo (enabled+all), task: runnable_at=+0ms"), 0);
	/* A message with no exit line before it (log cut): an error event of its own. */
	assert_int_equal(kmsg_log_add(&log, 2000000, "sched_ext: fifo: ops.init() failed (-22)"), 0);
	assert_int_equal(kmsg_log_add(&log, 2000001, "  frame_a+0x1/0x2"), 0);
	kmsg_log_finish(&log);
	assert_int_equal(json_array_size(log.history), 2);
	assert_string_equal(ev_str(json_array_get(log.history, 0), "event"), "oops");
	assert_null(json_object_get(json_array_get(log.history, 0), "error"));
	assert_string_equal(ev_str(json_array_get(log.history, 1), "event"), "error");
	assert_string_equal(ev_str(json_array_get(log.history, 1), "error"), "ops.init() failed (-22)");
	assert_int_equal(json_array_size(json_object_get(json_array_get(log.history, 1), "backtrace")), 1);
	kmsg_log_done(&log);
}

/* The raw log keeps its newest bytes, from a line start; the history sees everything. */
static void test_bound_keeps_newest(void **state)
{
	struct kmsg_log log;

	load_tree(&log, "sched-ext-7.2-after-stall", 4096);
	assert_true(log.truncated);
	assert_true(log.dmesg_len <= 4096);
	assert_int_equal(log.dmesg[0], '[');
	assert_non_null(strstr(log.dmesg, "common_startup_64+0x13e/0x151\n"));
	assert_null(strstr(log.dmesg, "Linux version"));
	assert_int_equal(log.lines, 400);
	assert_int_equal(json_array_size(log.history), 5);
	kmsg_log_done(&log);
}

/* The probe itself: a tree without dev/kmsg is skipped with a reason that names no host path. */
static void test_probe_skip_and_files(void **state)
{
	char empty[] = "/tmp/scx-kmsg-root.XXXXXX", stage[] = "/tmp/scx-kmsg-stage.XXXXXX";
	char root[PATH_MAX], path[PATH_MAX];
	struct scx_probe_opts opts = { 0 };
	struct scx_probe_ctx ctx = { .name = "kmsg", .opts = &opts };
	json_t *report = json_object();
	_cleanup_free_ char *extract = NULL;
	size_t len;

	assert_non_null(mkdtemp(empty));
	assert_non_null(mkdtemp(stage));
	opts.sysroot = empty;
	ctx.stage_dir = stage;
	ctx.report = report;
	ctx.out = json_object();
	assert_int_equal(probe_kmsg(&ctx), -ENOENT);
	assert_string_equal(ctx.reason, "no kernel log (/dev/kmsg: No such file or directory)");
	json_decref(ctx.out);

	snprintf(root, sizeof(root), "%s/sched-ext-7.2-after-stall", getenv("SCX_TEST_DATA"));
	opts.sysroot = root;
	ctx.out = json_object();
	ctx.reason[0] = '\0';
	assert_int_equal(probe_kmsg(&ctx), 0);
	assert_int_equal(json_array_size(json_object_get(ctx.out, "history")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ctx.out, "kmsg"), "sched_ext_lines")), 23);
	snprintf(path, sizeof(path), "%s/kmsg/sched_ext.txt", stage);
	assert_int_equal(read_file_full(path, 0, &extract, &len, NULL), 0);
	assert_true(startswith(extract, "[    4.200281] sched_ext: BPF scheduler \"ringo_"));
	json_decref(ctx.out);
	json_decref(report);
	rm_rf(empty);
	rm_rf(stage);
}

/* The paired run finds the ejection reason with this, as the history does. */
static void test_parse_disabled(void **state)
{
	char *ops = NULL, *why = NULL;

	(void)state;
	assert_int_equal(kmsg_parse_disabled("BPF scheduler \"stall\" disabled (runnable task stall)",
					     &ops, &why), 0);
	assert_string_equal(ops, "stall");
	assert_string_equal(why, "runnable task stall");
	free(ops);
	free(why);
	/* a reason with parentheses of its own ends at the last ')' */
	assert_int_equal(kmsg_parse_disabled("BPF scheduler \"a b\" disabled (error (x)) ", &ops, &why), 0);
	assert_string_equal(ops, "a b");
	assert_string_equal(why, "error (x)");
	free(ops);
	free(why);
	assert_int_equal(kmsg_parse_disabled("BPF scheduler \"fifo\" enabled", &ops, &why), -EINVAL);
	assert_int_equal(kmsg_parse_disabled("BPF scheduler \"fifo\" disabled (no close", &ops, &why),
			 -EINVAL);
	assert_int_equal(kmsg_parse_disabled("fifo: disabled (x)", &ops, &why), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_disabled),
		cmocka_unit_test(test_record_fields),
		cmocka_unit_test(test_record_malformed),
		cmocka_unit_test(test_split_host_log),
		cmocka_unit_test(test_round_trip_dmesg),
		cmocka_unit_test(test_history_after_stall),
		cmocka_unit_test(test_history_quiet_logs),
		cmocka_unit_test(test_exit_classification),
		cmocka_unit_test(test_history_newer_kernel),
		cmocka_unit_test(test_oops_dedup_and_orphan_message),
		cmocka_unit_test(test_bound_keeps_newest),
		cmocka_unit_test(test_probe_skip_and_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
