// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Each format generation of the sched_ext lines, parsed from real lines: every
 * line below is copied verbatim (after the paste prefix a harness strips) from
 * a record of tests/data/real-logs/, named beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kmsg-parse.h"
#include "util.h"

static void feed_lines(struct kmsg_log *log, const char *const *lines, size_t n)
{
	kmsg_log_init(log, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(kmsg_log_add(log, 100000000 + i, lines[i]), 0);
	kmsg_log_finish(log);
}

static const json_t *event(const struct kmsg_log *log, const char *kind)
{
	const json_t *ev;
	size_t i;

	json_array_foreach(log->history, i, ev)
		if (!strcmp(json_string_value(json_object_get(ev, "event")), kind))
			return ev;
	fail_msg("no %s event", kind);
	return NULL;
}

static const char *s(const json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

/* 2023: `"NAME" errored, disabling` and the reason on its own line (record 001). */
static void test_errored_disabling(void **state)
{
	static const char *const lines[] = {
		"sched_ext: BPF scheduler \"userland\" errored, disabling",
		"sched_ext: runnable task stall (watchdog failed to check in for 3.565s)",
		"   scheduler_tick+0x1d7/0x3f0",
	};
	struct kmsg_log log;
	const json_t *ev;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	ev = event(&log, "error");
	assert_string_equal(s(ev, "ops"), "userland");
	assert_string_equal(s(ev, "reason"), "runnable task stall");
	assert_string_equal(s(ev, "error"), "watchdog failed to check in for 3.565s");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ev, "backtrace"), 0)),
			    "scheduler_tick+0x1d7/0x3f0");
	kmsg_log_done(&log);
}

/* 6.12+: `disabled (REASON)` + `NAME: MESSAGE` (record 017, journal prefix stripped). */
static void test_disabled_reason(void **state)
{
	static const char *const lines[] = {
		"sched_ext: BPF scheduler \"lavd_1.1.3_x86_64_unknown_linux_gnu\" disabled (runnable task stall)",
		"sched_ext: lavd_1.1.3_x86_64_unknown_linux_gnu: systemd[2199] failed to run for 34.276s",
	};
	struct kmsg_log log;
	const json_t *ev;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	ev = event(&log, "error");
	assert_string_equal(s(ev, "reason"), "runnable task stall");
	assert_string_equal(s(ev, "error"), "systemd[2199] failed to run for 34.276s");
	kmsg_log_done(&log);
}

/* 7.x dump: the scope line before `exit kind N on CPU n` (record 019). */
static void test_exit_kind_on_cpu_scope(void **state)
{
	static const char *const lines[] = {
		"BPF stream dump unavailable (requires kernel/libbpf support for BPF streams)",
		"DEBUG DUMP",
		"lavd_1.1.3_x86_64_unknown_linux_gnu: root",
		"kworker/u64:4[205] triggered exit kind 1026 on CPU 7:",
		"  runnable task stall (polkitd[1516] failed to run for 35.635s)",
	};
	struct kmsg_log log;
	const json_t *ev;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	ev = event(&log, "error");
	assert_string_equal(s(ev, "ops"), "lavd_1.1.3_x86_64_unknown_linux_gnu");
	assert_int_equal(json_integer_value(json_object_get(ev, "exit_kind")), 1026);
	assert_string_equal(s(ev, "reason"), "runnable task stall");
	assert_string_equal(s(ev, "error"), "polkitd[1516] failed to run for 35.635s");
	kmsg_log_done(&log);
}

/* The scheduler's own last words (record 014). */
static void test_exit_line(void **state)
{
	static const char *const lines[] = {
		"Error: EXIT: scx_bpf_error (cpu7 dom2 load underflow (load=-100 adj=-100))",
	};
	struct kmsg_log log;
	const json_t *ev;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	ev = event(&log, "error");
	assert_string_equal(s(ev, "reason"), "scx_bpf_error");
	assert_string_equal(s(ev, "error"), "cpu7 dom2 load underflow (load=-100 adj=-100)");
	kmsg_log_done(&log);
}

/* WARN headers of both styles (records 006 and 008). */
static void test_warn_headers(void **state)
{
	char file[128], func[128];

	assert_true(kmsg_parse_warn("WARNING: CPU: 0 PID: 12865 at kernel/sched/ext.c:3251 "
				    "scx_ops_bypass+0x309/0x330 kernel/sched/ext.c:3247",
				    file, sizeof(file), func, sizeof(func)));
	assert_string_equal(file, "kernel/sched/ext.c");
	assert_string_equal(func, "scx_ops_bypass");
	assert_true(kmsg_parse_warn("WARNING: kernel/sched/ext.c:1273 at scx_dsq_insert_commit+0xf2/0x120, "
				    "CPU#10: WRRende~ckend#1/4554", file, sizeof(file), func, sizeof(func)));
	assert_string_equal(file, "kernel/sched/ext.c");
	assert_string_equal(func, "scx_dsq_insert_commit");
	assert_true(kmsg_is_scx_core(file) && kmsg_is_scx_core(func));
	assert_false(kmsg_parse_warn("WARNING: possible circular locking dependency detected",
				     file, sizeof(file), func, sizeof(func)));
}

/* A WARN in the core with its Sched_ext: line becomes a core oops (record 006's lines). */
static void test_warn_core_oops(void **state)
{
	static const char *const lines[] = {
		"------------[ cut here ]------------",
		"WARNING: CPU: 0 PID: 12865 at kernel/sched/ext.c:3251 scx_ops_bypass+0x309/0x330 kernel/sched/ext.c:3247",
		"Sched_ext: rustland (enabled+all), task: runnable_at=-21003ms",
		"RIP: 0010:scx_ops_bypass+0x309/0x330 kernel/sched/ext.c:3251",
		"Call Trace:",
		" <TASK>",
		" scx_ops_disable_workfn+0x1c2/0x1750 kernel/sched/ext.c:3344",
	};
	struct kmsg_log log;
	const json_t *ev;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	ev = event(&log, "oops");
	assert_string_equal(s(ev, "function"), "scx_ops_bypass");
	assert_string_equal(s(ev, "location"), "kernel/sched/ext.c");
	assert_true(json_is_true(json_object_get(ev, "core")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(ev, "frames"), 0)),
			    "scx_ops_disable_workfn");
	kmsg_log_done(&log);
}

/* Lockups, RCU stalls, hung tasks (records 013, 026, 029, 038). */
static void test_lockup_kinds(void **state)
{
	assert_string_equal(kmsg_lockup_kind("rcu: INFO: rcu_preempt self-detected stall on CPU"), "rcu-stall");
	assert_string_equal(kmsg_lockup_kind("INFO: task kworker/u16:11:8004 blocked for more than 122 seconds."),
			    "hung-task");
	assert_string_equal(kmsg_lockup_kind("watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [a:1]"),
			    "soft-lockup");
	assert_string_equal(kmsg_lockup_kind("NMI watchdog: Watchdog detected hard LOCKUP on cpu 5"),
			    "hard-lockup");
	assert_null(kmsg_lockup_kind("sched_ext: BPF scheduler \"x\" enabled"));
}

/* PM lines (record 015) and the 7.x ext server line. */
static void test_pm_and_ext_server(void **state)
{
	static const char *const lines[] = {
		"PM: suspend entry (deep)",
		"PM: suspend exit",
		"sched: Ext server disabled on CPU 1, system may malfunction due to starvation.",
	};
	struct kmsg_log log;

	assert_string_equal(kmsg_pm_event("PM: suspend exit"), "resume");
	assert_string_equal(kmsg_pm_event("PM: suspend entry (deep)"), "suspend");
	feed_lines(&log, lines, ARRAY_SIZE(lines));
	event(&log, "suspend");
	event(&log, "resume");
	assert_int_equal(json_integer_value(json_object_get(event(&log, "ext-server-off"), "cpu")), 1);
	kmsg_log_done(&log);
}

/* Load failures: os error 524 (record 007), missing BTF (027), the verifier (028). */
static void test_load_failures(void **state)
{
	static const char *const lines[] = {
		"Error: Failed to load BPF program",
		"Caused by:",
		"    Unknown error 524 (os error 524)",
	};
	static const char *const verifier[] = {
		"invalid access to map value, value_size=1320 off=1280 size=1024",
		"processed 365 insns (limit 1000000) max_states_per_insn 1 total_states 35 peak_states 35 mark_read 19",
	};
	struct kmsg_log log;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	assert_int_equal(json_array_size(json_object_get(event(&log, "load-failure"), "lines")), 2);
	kmsg_log_done(&log);
	feed_lines(&log, verifier, ARRAY_SIZE(verifier));
	event(&log, "load-failure");
	kmsg_log_done(&log);
}

/* A cut dump: TRUNCATED marks its exit. */
static void test_truncated_dump(void **state)
{
	static const char *const lines[] = {
		"DEBUG DUMP",
		"kworker/u16:4[173] triggered exit kind 1026:",
		"  runnable task stall (yes[1632] failed to run for 5.314s)",
		"~~~~ TRUNCATED ~~~~",
	};
	struct kmsg_log log;

	feed_lines(&log, lines, ARRAY_SIZE(lines));
	assert_true(json_is_true(json_object_get(event(&log, "error"), "dump_truncated")));
	kmsg_log_done(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errored_disabling),
		cmocka_unit_test(test_disabled_reason),
		cmocka_unit_test(test_exit_kind_on_cpu_scope),
		cmocka_unit_test(test_exit_line),
		cmocka_unit_test(test_warn_headers),
		cmocka_unit_test(test_warn_core_oops),
		cmocka_unit_test(test_lockup_kinds),
		cmocka_unit_test(test_pm_and_ext_server),
		cmocka_unit_test(test_load_failures),
		cmocka_unit_test(test_truncated_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
