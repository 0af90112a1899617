// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Manager detection (probes/scheduler/manager.c): unit from cgroup, systemctl
 * key=value output, the debug dump found in a unit journal and attached to
 * the matching error event of the history, and the detection itself on the
 * fixture /proc trees (tests/data/proc-*, under a sysroot: no helpers run).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "identity.h"

static char *data_file(const char *rel)
{
	char path[PATH_MAX];
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", getenv("SCX_TEST_DATA"), rel);
	assert_int_equal(read_file_full(path, 0, &buf, NULL, NULL), 0);
	return buf;
}

static void test_unit_from_cgroup(void **state)
{
	char unit[128];

	(void)state;
	assert_int_equal(sched_unit_from_cgroup("/system.slice/scx.service", unit, sizeof(unit)), 0);
	assert_string_equal(unit, "scx.service");
	/* A sub-cgroup of the service (Delegate=yes) still names the service. */
	assert_int_equal(sched_unit_from_cgroup("/system.slice/scx_loader.service/child", unit, sizeof(unit)), 0);
	assert_string_equal(unit, "scx_loader.service");
	assert_int_equal(sched_unit_from_cgroup("/user.slice/user-1000.slice/session-3.scope", unit, sizeof(unit)), 0);
	assert_string_equal(unit, "session-3.scope");
	assert_int_equal(sched_unit_from_cgroup("/", unit, sizeof(unit)), -ENOENT);
	assert_int_equal(sched_unit_from_cgroup("/x.servicey", unit, sizeof(unit)), -ENOENT);
}

static void test_keyvalues(void **state)
{
	json_t *o = sched_parse_keyvalues("MainPID=301\nExecStart={ path=/bin/bash ; argv[]=/bin/bash -c exec a=b ; }\n"
					  "Environment=\nbroken line\n");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(o, "MainPID")), "301");
	/* Only the first '=' splits. */
	assert_non_null(strstr(json_string_value(json_object_get(o, "ExecStart")), "a=b"));
	assert_string_equal(json_string_value(json_object_get(o, "Environment")), "");
	assert_int_equal(json_object_size(o), 3);
	json_decref(o);
}

static void test_dumps_attach(void **state)
{
	_cleanup_free_ char *journal = data_file("journal/scx-stall-handmade.txt");
	json_t *dumps = sched_journal_dumps(journal), *lines, *history, *amended, *dump;

	(void)state;
	assert_int_equal(json_array_size(dumps), 1);
	lines = json_object_get(json_array_get(dumps, 0), "lines");
	assert_string_equal(json_string_value(json_array_get(lines, 0)), "DEBUG DUMP");
	/* Up to the closing separator, not the EXIT line after it. */
	assert_int_equal(json_array_size(lines), 10);
	assert_string_equal(json_string_value(json_array_get(lines, 3)),
			    "kworker/u4:1[57] triggered exit kind 1026:");
	assert_true(json_real_value(json_object_get(json_array_get(dumps, 0), "mono_s")) > 23.0);

	/* Two error events: the dump goes to the last one before it (stall at 22.9), not to 5.0 or 30.0. */
	history = json_pack("[{s:s,s:f,s:s},{s:s,s:f,s:s},{s:s,s:f,s:s},{s:s,s:f,s:s}]",
			    "event", "enabled", "uptime_s", 21.8, "ops", "stall",
			    "event", "error", "uptime_s", 5.0, "ops", "old",
			    "event", "error", "uptime_s", 22.9, "ops", "stall",
			    "event", "error", "uptime_s", 30.0, "ops", "later");
	amended = sched_history_attach_dumps(history, dumps);
	assert_non_null(amended);
	assert_null(json_object_get(json_array_get(amended, 1), "dump"));
	dump = json_object_get(json_array_get(amended, 2), "dump");
	assert_int_equal(json_array_size(dump), 10);
	assert_null(json_object_get(json_array_get(amended, 3), "dump"));
	/* The input history is left alone (the probe sets the amended copy). */
	assert_null(json_object_get(json_array_get(history, 2), "dump"));
	json_decref(amended);

	/* No error event: nothing to amend. */
	json_array_remove(history, 3);
	json_array_remove(history, 2);
	json_array_remove(history, 1);
	assert_null(sched_history_attach_dumps(history, dumps));
	json_decref(history);
	json_decref(dumps);

	/* A journal without a dump. */
	dumps = sched_journal_dumps("[ 1.0] h x[1]: hello\n[ 2.0] h x[1]: ====\n");
	assert_int_equal(json_array_size(dumps), 0);
	json_decref(dumps);
}

/* The real journal: two ejections of scx_stall, each dump to its own error event. */
static void test_real_journal(void **state)
{
	_cleanup_free_ char *journal = data_file("journal/scx-stall-7.2.13.txt");
	json_t *dumps = sched_journal_dumps(journal), *history, *amended, *d1, *d2;

	(void)state;
	assert_int_equal(json_array_size(dumps), 2);
	history = json_pack("[{s:s,s:f},{s:s,s:f},{s:s,s:f},{s:s,s:f}]",
			    "event", "enabled", "uptime_s", 58.403886, "event", "error", "uptime_s", 59.494991,
			    "event", "enabled", "uptime_s", 61.144374, "event", "error", "uptime_s", 62.185863);
	amended = sched_history_attach_dumps(history, dumps);
	assert_non_null(amended);
	d1 = json_object_get(json_array_get(amended, 1), "dump");
	d2 = json_object_get(json_array_get(amended, 3), "dump");
	assert_true(json_array_size(d1) > 100);
	assert_true(json_array_size(d2) > 100);
	assert_string_equal(json_string_value(json_array_get(d1, 0)), "DEBUG DUMP");
	assert_non_null(strstr(json_string_value(json_array_get(d1, 3)), "triggered exit kind 1026"));
	/* Two different dumps, not the same one twice. */
	assert_false(json_equal(d1, d2));
	assert_null(json_object_get(json_array_get(amended, 0), "dump"));
	json_decref(amended);
	json_decref(history);
	json_decref(dumps);
}

static void detect(const char *tree, json_t **ret_sched)
{
	static char sysroot[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = sysroot };
	struct scx_probe_ctx ctx = { .name = "scheduler", .opts = &opts };
	json_t *process;

	snprintf(sysroot, sizeof(sysroot), "%s/%s", getenv("SCX_TEST_DATA"), tree);
	ctx.out = json_object();
	process = sched_process_info(&ctx, 812);
	*ret_sched = json_object();
	assert_int_equal(sched_manager_detect(&ctx, process, *ret_sched), 0);
	json_decref(process);
	json_decref(ctx.out);
}

static void test_detect(void **state)
{
	json_t *s;

	(void)state;
	detect("proc-manual", &s);
	assert_string_equal(json_string_value(json_object_get(s, "manager")), "manual");
	assert_null(json_object_get(s, "unit"));
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(s, "manager_evidence"), 1)), "bash"));
	json_decref(s);

	/* A wrapper script without .sh: its comm is its name, the shell is in exe and cmdline. */
	detect("proc-wrapper", &s);
	assert_string_equal(json_string_value(json_object_get(s, "manager")), "manual");
	assert_null(json_object_get(s, "unit"));
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(s, "manager_evidence"), 0)),
			       "keep-simple (pid 650, run by /usr/bin/dash)"));
	json_decref(s);

	detect("proc-systemd", &s);
	assert_string_equal(json_string_value(json_object_get(s, "manager")), "systemd");
	assert_string_equal(json_string_value(json_object_get(s, "unit")), "scx.service");
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_from_cgroup),
		cmocka_unit_test(test_keyvalues),
		cmocka_unit_test(test_dumps_attach),
		cmocka_unit_test(test_real_journal),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
