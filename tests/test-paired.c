// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * When a paired run may not happen, and what the user is told: the gates of
 * scx_paired_run and scx_switch_prepare on synthetic reports.  (The switch
 * itself needs a sched_ext kernel: the vm scenarios paired-*.sh prove it.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "paired-switch.h"
#include "paired.h"

static json_t *report(const char *manager, bool without_process)
{
	return json_pack("{s:{s:b, s:s}, s:{s:s, s:b, s:[i], s:{s:[s], s:[], s:s, s:i, s:i}}}",
			 "sched_ext", "supported", 1, "ops", "fifo",
			 "scheduler", "manager", manager, "registered_without_process", without_process,
			 "pids", 4242, "restart", "argv", "scx_fifo", "env", "cwd", "/", "uid", 0, "gid", 0);
}

static int prepare(json_t *r, bool allow, char *why, size_t len)
{
	struct scx_switch *sw = NULL;
	int ret = scx_switch_prepare(r, allow, &sw, why, len);

	scx_switch_free(sw);
	json_decref(r);
	return ret;
}

static void test_gates(void **state)
{
	char why[768];

	assert_int_equal(prepare(report("manual", false), false, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "--allow-restart"));
	assert_non_null(strstr(why, "pid 4242"));

	assert_int_equal(prepare(report("none", true), true, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "registered without a process"));

	assert_int_equal(prepare(report("unknown", false), false, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "could not tell what runs"));
	/* Manager unknown, --allow-restart: handled like by hand (here pid 4242 does not exist). */
	assert_int_equal(prepare(report("unknown", false), true, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "process 4242"));
	assert_non_null(strstr(why, "could not be pinned"));

	/* scx_loader that does not know its scheduler */
	{
		json_t *r = report("scx_loader", false);

		json_object_set_new(json_object_get(r, "scheduler"), "loader",
				    json_pack("{s:s}", "CurrentScheduler", "unknown"));
		assert_int_equal(prepare(r, false, why, sizeof(why)), -EOPNOTSUPP);
		assert_non_null(strstr(why, "scxctl"));
	}
}

static void test_run_gates(void **state)
{
	struct scx_paired_opts o = { .paired = false, .sysroot = "", .rounds = 5, .duration_s = 1 };
	json_t *r = report("systemd", false), *p;

	p = scx_paired_run(r, &o);
	assert_string_equal(json_string_value(json_object_get(p, "status")), "skipped");
	assert_non_null(strstr(json_string_value(json_object_get(p, "reason")), "--no-paired"));
	json_decref(p);

	o.paired = true;
	o.sysroot = "/some/tree";
	p = scx_paired_run(r, &o);
	assert_non_null(strstr(json_string_value(json_object_get(p, "reason")), "--sysroot"));
	json_decref(p);

	o.sysroot = "";
	json_object_del(json_object_get(r, "sched_ext"), "ops");
	p = scx_paired_run(r, &o);
	assert_non_null(strstr(json_string_value(json_object_get(p, "reason")), "no custom scheduler"));
	json_decref(p);
	json_decref(r);

	if (geteuid() != 0) {
		r = report("systemd", false);
		p = scx_paired_run(r, &o);
		assert_non_null(strstr(json_string_value(json_object_get(p, "reason")), "needs root"));
		json_decref(p);
		json_decref(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_run_gates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
