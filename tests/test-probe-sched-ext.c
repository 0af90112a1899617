// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sched_ext probe on the real 7.2.13 captures (never loaded, enabled,
 * after a stall) and on the hand-made newer kernel (unknown files,
 * renamed and new counters, nested sub-schedulers), plus a kernel without
 * sched_ext.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "probes.h"

static json_t *run_probe(const char *env, const char *tree, const json_t *report, char stage[static 64])
{
	char root[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = root };
	struct scx_probe_ctx ctx = { .name = "sched_ext", .out = json_object(), .opts = &opts };
	json_t *empty = json_object(), *s;

	snprintf(root, sizeof(root), "%s/%s", getenv(env), tree);
	strcpy(stage, "/tmp/scx-sched-ext.XXXXXX");
	assert_non_null(mkdtemp(stage));
	ctx.stage_dir = stage;
	ctx.report = report ? report : empty;
	assert_int_equal(probe_sched_ext(&ctx), 0);
	json_decref(empty);
	s = json_incref(json_object_get(ctx.out, "sched_ext"));
	json_decref(ctx.out);
	assert_non_null(s);
	return s;
}

static json_int_t num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_events_parse(void **state)
{
	char path[PATH_MAX];
	_cleanup_free_ char *text = NULL;
	size_t len;
	json_t *ev;

	snprintf(path, sizeof(path), "%s/sched_ext-7.2.13/2-enabled/sys/kernel/sched_ext/root/events",
		 getenv("SCX_TEST_DATA"));
	assert_int_equal(read_file_full(path, 0, &text, &len, NULL), 0);
	assert_int_equal(scx_events_parse(text, &ev), 0);
	assert_int_equal(json_object_size(ev), 13);	/* the 7.2 counter set */
	assert_int_equal(num(ev, "SCX_EV_REFILL_SLICE_DFL"), 120);
	assert_int_equal(num(ev, "SCX_EV_BYPASS_DURATION"), 39066559);
	assert_int_equal(num(ev, "SCX_EV_SUB_BYPASS_DISPATCH"), 0);
	json_decref(ev);

	/* Generic: unknown names kept, odd spacing and a non-number tolerated, junk skipped. */
	assert_int_equal(scx_events_parse("  SCX_EV_NEW_THING   7\nSCX_EV_X: 3\nlonely\nSCX_EV_S n/a\n", &ev), 0);
	assert_int_equal(num(ev, "SCX_EV_NEW_THING"), 7);
	assert_int_equal(num(ev, "SCX_EV_X"), 3);
	assert_string_equal(json_string_value(json_object_get(ev, "SCX_EV_S")), "n/a");
	assert_null(json_object_get(ev, "lonely"));
	json_decref(ev);
}

static void test_never_loaded(void **state)
{
	char stage[64];
	json_t *s = run_probe("SCX_TEST_DATA", "sched_ext-7.2.13/1-never-loaded", NULL, stage);

	assert_true(json_is_true(json_object_get(s, "supported")));
	assert_string_equal(json_string_value(json_object_get(s, "state")), "disabled");
	assert_int_equal(num(s, "enable_seq"), 0);
	assert_null(json_object_get(s, "ops"));		/* no root/: data, not an error */
	assert_null(json_object_get(s, "events"));
	assert_int_equal(json_array_size(json_object_get(s, "sub_schedulers")), 0);
	assert_int_equal(json_object_size(json_object_get(s, "files")), 5);
	assert_int_equal(num(json_object_get(s, "module_params"), "slice_bypass_us"), 5000);
	assert_int_equal(num(json_object_get(s, "module_params"), "bypass_lb_intv_us"), 500000);
	rm_rf(stage);
	json_decref(s);
}

static void test_enabled(void **state)
{
	char stage[64], path[PATH_MAX];
	_cleanup_free_ char *copy = NULL;
	json_t *s = run_probe("SCX_TEST_DATA", "sched-ext-7.2-enabled", NULL, stage);
	size_t len;

	assert_string_equal(json_string_value(json_object_get(s, "state")), "enabled");
	assert_string_equal(json_string_value(json_object_get(s, "ops")),
			    "ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu");
	assert_int_equal(num(s, "switch_all"), 1);
	assert_int_equal(num(s, "enable_seq"), 1);
	assert_int_equal(num(s, "nr_rejected"), 0);
	assert_int_equal(num(s, "hotplug_seq"), 1);
	assert_int_equal(json_object_size(json_object_get(s, "events")), 13);
	assert_int_equal(num(json_object_get(s, "events"), "SCX_EV_BYPASS_ACTIVATE"), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "files"), "root/ops")),
			    "ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu");
	/* The raw copy is the file as read, newline included. */
	snprintf(path, sizeof(path), "%s/sched_ext/sys/kernel/sched_ext/root/ops", stage);
	assert_int_equal(read_file_full(path, 0, &copy, &len, NULL), 0);
	assert_string_equal(copy, "ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu\n");
	rm_rf(stage);
	json_decref(s);
}

static void test_after_stall(void **state)
{
	char stage[64];
	json_t *s = run_probe("SCX_TEST_DATA", "sched-ext-7.2-after-stall", NULL, stage);

	assert_string_equal(json_string_value(json_object_get(s, "state")), "disabled");
	assert_int_equal(num(s, "enable_seq"), 2);
	assert_int_equal(num(s, "switch_all"), 0);
	assert_null(json_object_get(s, "ops"));
	rm_rf(stage);
	json_decref(s);
}

static void test_newer_kernel(void **state)
{
	char stage[64];
	json_t *s = run_probe("SCX_TEST_DATA", "newer-kernel", NULL, stage), *files, *subs, *sub;

	files = json_object_get(s, "files");
	assert_string_equal(json_string_value(json_object_get(files, "bypass_depth")), "0");
	assert_string_equal(json_string_value(json_object_get(files, "root/exit_info")), "kind=0");
	assert_int_equal(num(json_object_get(s, "events"), "SCX_EV_DSQ_STARVED"), 2);
	assert_int_equal(num(json_object_get(s, "events"), "SCX_EV_REFILL_SLICE_FRESH"), 17);
	assert_int_equal(num(json_object_get(s, "module_params"), "watchdog_ms"), 30000);

	subs = json_object_get(s, "sub_schedulers");
	assert_int_equal(json_array_size(subs), 2);
	sub = json_array_get(subs, 0);
	assert_int_equal(num(sub, "id"), 123);
	assert_string_equal(json_string_value(json_object_get(sub, "ops")), "child_sched");
	assert_string_equal(json_string_value(json_object_get(sub, "path")), "root/sub/sub-123");
	assert_int_equal(num(json_object_get(sub, "events"), "SCX_EV_SUB_NEW_COUNTER"), 9);
	sub = json_array_get(subs, 1);
	assert_int_equal(num(sub, "id"), 456);
	assert_string_equal(json_string_value(json_object_get(sub, "path")),
			    "root/sub/sub-123/sub/sub-456");
	rm_rf(stage);
	json_decref(s);
}

static void test_not_supported(void **state)
{
	char stage[64];
	json_t *report = json_pack("{s:{s:{s:s}}}", "kernel", "config", "SCHED_CLASS_EXT", "n");
	json_t *s;

	s = run_probe("SCX_TEST_DATA", "host-debian12", report, stage);
	assert_true(json_is_false(json_object_get(s, "supported")));
	assert_string_equal(json_string_value(json_object_get(s, "reason")),
			    "CONFIG_SCHED_CLASS_EXT is not set in this kernel's config");
	assert_null(json_object_get(s, "state"));
	rm_rf(stage);
	json_decref(s);
	json_decref(report);

	/* Without a config to say why: only what is missing. */
	s = run_probe("SCX_TEST_DATA", "host-debian12", NULL, stage);
	assert_string_equal(json_string_value(json_object_get(s, "reason")), "no /sys/kernel/sched_ext");
	rm_rf(stage);
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_parse),
		cmocka_unit_test(test_never_loaded),
		cmocka_unit_test(test_enabled),
		cmocka_unit_test(test_after_stall),
		cmocka_unit_test(test_newer_kernel),
		cmocka_unit_test(test_not_supported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
