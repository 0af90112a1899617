// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The system probe: CPU lists, PSI lines, the ext.enabled line of
 * /proc/PID/sched (real 7.2.13 capture), and the whole probe on this
 * machine's tree and the hand-made hybrid, SMT, isolated newer-kernel tree.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "probes.h"
#include "util.h"

static json_t *run_probe(const char *tree, const json_t *report)
{
	char root[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = root };
	struct scx_probe_ctx ctx = { .name = "system", .out = json_object(), .opts = &opts };
	json_t *empty = json_object(), *s;

	snprintf(root, sizeof(root), "%s/%s", getenv("SCX_TEST_DATA"), tree);
	ctx.stage_dir = NULL;	/* nothing staged */
	ctx.report = report ? report : empty;
	assert_int_equal(probe_system(&ctx), 0);
	json_decref(empty);
	s = json_incref(json_object_get(ctx.out, "system"));
	json_decref(ctx.out);
	assert_non_null(s);
	return s;
}

static json_t *path(const json_t *o, const char *a, const char *b)
{
	o = json_object_get(o, a);
	return b ? json_object_get(o, b) : (json_t *)o;
}

static void test_cpulist(void **state)
{
	assert_int_equal(cpulist_count("0-7"), 8);
	assert_int_equal(cpulist_count("0,2-3,8-15\n"), 11);
	assert_int_equal(cpulist_count("5"), 1);
	assert_int_equal(cpulist_count(""), 0);	/* e.g. an empty isolated list */
	assert_int_equal(cpulist_count("3-1"), -EINVAL);
	assert_int_equal(cpulist_count("a-b"), -EINVAL);
	assert_int_equal(cpulist_count("0-3x"), -EINVAL);
}

static void test_pressure(void **state)
{
	char p[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	size_t len;
	json_t *psi;

	snprintf(p, sizeof(p), "%s/host-debian12/proc/pressure/cpu", getenv("SCX_TEST_DATA"));
	assert_int_equal(read_file_full(p, 0, &text, &len, NULL), 0);
	psi = scx_pressure_parse(text);
	assert_true(json_is_real(path(psi, "some", "avg10")));
	assert_true(json_is_integer(path(psi, "some", "total")));
	assert_true(json_is_real(path(psi, "full", "avg300")));
	json_decref(psi);

	psi = scx_pressure_parse("some avg10=12.50 avg60=8.00 avg300=2.25 total=123456789\n");
	assert_true(json_real_value(path(psi, "some", "avg10")) == 12.5);
	assert_int_equal(json_integer_value(path(psi, "some", "total")), 123456789);
	assert_null(json_object_get(psi, "full"));
	json_decref(psi);
}

static void test_task_on_ext(void **state)
{
	char p[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	size_t len;

	/* The 7.2.13 loader process while ringo ran: ext.enabled 1. */
	snprintf(p, sizeof(p), "%s/sched_ext-7.2.13/2-enabled/proc/138/sched", getenv("SCX_TEST_DATA"));
	assert_int_equal(read_file_full(p, 0, &text, &len, NULL), 0);
	assert_true(scx_task_on_ext(text));
	assert_false(scx_task_on_ext("x (1, #threads: 1)\next.enabled   :   0\n"));
	assert_false(scx_task_on_ext("x (1, #threads: 1)\nse.exec_start : 1.0\n"));	/* no sched_ext */
}

static void test_host(void **state)
{
	json_t *s = run_probe("host-debian12", NULL);

	assert_int_equal(json_integer_value(path(s, "cpu", "online_count")), 2);
	assert_int_equal(json_integer_value(path(s, "cpu", "possible_count")), 2);
	assert_true(json_is_string(path(s, "cpu", "model")));
	assert_true(json_is_boolean(path(s, "cpu", "smt")));
	assert_int_equal(json_integer_value(path(s, "numa", "nodes")), 1);
	assert_true(json_is_string(json_object_get(s, "loadavg")));
	assert_null(json_object_get(s, "tasks_on_ext"));	/* sched_ext not enabled */
	assert_null(path(s, "cpu", "hybrid"));			/* all capacities equal */
	json_decref(s);
}

static void test_newer_kernel(void **state)
{
	json_t *report = json_pack("{s:{s:s}}", "sched_ext", "state", "enabled");
	json_t *s = run_probe("newer-kernel", report);

	assert_int_equal(json_integer_value(path(s, "cpu", "online_count")), 8);
	assert_int_equal(json_integer_value(path(s, "cpu", "possible_count")), 16);
	assert_int_equal(json_integer_value(path(s, "cpu", "cores")), 6);
	assert_int_equal(json_integer_value(path(s, "cpu", "packages")), 1);
	assert_int_equal(json_integer_value(path(s, "cpu", "threads_per_core")), 2);
	assert_true(json_is_true(path(s, "cpu", "smt")));
	assert_string_equal(json_string_value(path(path(s, "cpu", "hybrid"), "types", "cpu_atom")), "4-7");
	assert_string_equal(json_string_value(path(s, "cpufreq", "driver")), "intel_pstate");
	assert_int_equal(json_integer_value(path(path(s, "cpufreq", "governors"), "powersave", NULL)), 6);
	/* The kernel's isolcpus=, not the one after "--" (init's). */
	assert_string_equal(json_string_value(path(s, "isolcpus", "cmdline")), "domain,managed_irq,2-3");
	assert_string_equal(json_string_value(path(s, "nohz_full", "sysfs")), "2-3");
	assert_int_equal(json_integer_value(json_object_get(s, "tasks_on_ext")), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "tasks_scanned")), 3);
	json_decref(s);
	json_decref(report);

	/* Not enabled (per the sched_ext probe): no scan at all. */
	s = run_probe("newer-kernel", NULL);
	assert_null(json_object_get(s, "tasks_scanned"));
	json_decref(s);
}

/* Paths under a sysroot, and the host's name read there (the collection's top folder is named by it). */
static void test_sysroot_path_and_host_name(void **state)
{
	char root[] = "/tmp/scx-sysroot.XXXXXX", path[PATH_MAX], small[8], host[256], live[256] = "";

	(void)state;
	assert_int_equal(scx_sysroot_path("/a", "/sys/x", path, sizeof(path)), 0);
	assert_string_equal(path, "/a/sys/x");
	assert_int_equal(scx_sysroot_path("", "/sys/x", path, sizeof(path)), 0);
	assert_string_equal(path, "/sys/x");
	assert_int_equal(scx_sysroot_path(NULL, "/sys/x", path, sizeof(path)), 0);
	assert_string_equal(path, "/sys/x");
	assert_int_equal(scx_sysroot_path("/a", "sys/x", path, sizeof(path)), -EINVAL);
	assert_int_equal(scx_sysroot_path("/a", "/sys/x", small, sizeof(small)), -ENAMETOOLONG);

	gethostname(live, sizeof(live) - 1);
	assert_non_null(mkdtemp(root));
	scx_host_name(root, host, sizeof(host));	/* no hostname in the capture: this machine's */
	assert_string_equal(host, live);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel", root);
	assert_int_equal(mkdir_parents(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/hostname", root);
	assert_int_equal(write_file_full(path, "captured-host\n", 14, 0644), 0);
	scx_host_name(root, host, sizeof(host));
	assert_string_equal(host, "captured-host");
	scx_host_name("", host, sizeof(host));
	assert_string_equal(host, live);
	assert_int_equal(rm_rf(root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_pressure),
		cmocka_unit_test(test_task_on_ext),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_sysroot_path_and_host_name),
		cmocka_unit_test(test_newer_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
