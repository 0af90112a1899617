// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict with earlier boots (collector/judge/verdict-boots.c): a report
 * with nothing loaded now, whose `boots` come from the real journal capture
 * of a reset (tests/data/boots-journal) or from boot summaries written here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boots.h"
#include "gunzip.h"
#include "probes.h"
#include "test-util.h"
#include "verdict.h"

/* sched_ext supported, nothing loaded now, enable_seq 0 (a fresh boot). */
static json_t *idle_report(json_t *boots)
{
	json_t *r = json_pack("{s:{s:b, s:s, s:i}, s:[]}", "sched_ext", "supported", 1, "state",
			      "disabled", "enable_seq", 0, "history");

	json_object_set_new(r, "boots", boots);
	return r;
}

static json_t *boot(int index, json_t *clean, const char *running, const char *enabled)
{
	return json_pack("{s:i, s:s, s:o, s:s, s:[s], s:[], s:[], s:{s:s*, s:s}, s:[s]}", "index", index,
			 "source", "journal", "clean_shutdown", clean, "end_evidence", "test",
			 "schedulers", enabled, "errors", "oopses", "last_state", "scheduler", running,
			 "line", "last words", "sources", "journal");
}

static const char *vclass(const json_t *v)
{
	return json_string_value(json_object_get(v, "class"));
}

static bool evidence_has(const json_t *v, const char *needle)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(v, "evidence"), i, e)
		if (strstr(json_string_value(e), needle))
			return true;
	return false;
}

static void test_reset_with_scheduler_from_real_journal(void **state)
{
	char root[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = root };
	struct scx_probe_ctx ctx = { .name = "journal", .out = json_object(), .opts = &opts };
	json_t *partial = idle_report(json_array()), *boots, *report, *v;

	(void)state;
	snprintf(root, sizeof(root), "%s/boots-journal", getenv("SCX_TEST_DATA"));
	ctx.report = partial;
	assert_int_equal(probe_boots_journal(&ctx), 0);
	json_object_update(partial, ctx.out);
	boots = scx_boots_merge(partial, 2);
	report = idle_report(boots);
	v = scx_verdict(report);
	assert_string_equal(vclass(v), "custom-scheduler-suspected");
	assert_string_equal(json_string_value(json_object_get(v, "scheduler")), "fifo");
	assert_string_equal(json_string_value(json_object_get(v, "boot")), "boot -1");
	assert_true(evidence_has(v, "boot -1 (2026-12-02T08:55:59Z to 2026-12-02T08:56:21Z, from journal)"));
	assert_true(evidence_has(v, "without a clean shutdown"));
	assert_non_null(strstr(json_string_value(json_object_get(v, "summary")), "Start fifo again"));
	assert_null(strstr(json_string_value(json_object_get(v, "report_to")), "no custom scheduler"));
	json_decref(v);
	json_decref(report);
	json_decref(ctx.out);
	json_decref(partial);
}

static void test_clean_reboot_from_real_journal(void **state)
{
	char root[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = root };
	struct scx_probe_ctx ctx = { .name = "journal", .out = json_object(), .opts = &opts };
	json_t *partial = idle_report(json_array()), *report, *v, *b;

	(void)state;
	snprintf(root, sizeof(root), "%s/boots-journal-clean", getenv("SCX_TEST_DATA"));
	ctx.report = partial;
	assert_int_equal(probe_boots_journal(&ctx), 0);
	json_object_update(partial, ctx.out);
	report = idle_report(scx_boots_merge(partial, 2));
	b = json_array_get(json_object_get(report, "boots"), 1);
	assert_true(json_is_true(json_object_get(b, "clean_shutdown")));
	assert_string_equal(json_string_value(json_object_get(b, "shutdown_record")),
			    "systemd: Reached target shutdown.target - System Shutdown.");
	assert_string_equal(json_string_value(json_array_get(json_object_get(b, "schedulers"), 0)), "fifo");
	v = scx_verdict(report);
	assert_string_equal(vclass(v), "no-custom-scheduler");
	json_decref(v);
	json_decref(report);
	json_decref(ctx.out);
	json_decref(partial);
}

static void test_clean_earlier_boot_changes_nothing(void **state)
{
	json_t *report = idle_report(json_pack("[o]", boot(-1, json_true(), NULL, "fifo")));
	json_t *v = scx_verdict(report);

	(void)state;
	assert_string_equal(vclass(v), "no-custom-scheduler");
	json_decref(v);
	json_decref(report);
}

static void test_unclean_without_scheduler_at_the_end(void **state)
{
	/* fifo ran earlier in that boot and was stopped; then the machine was reset. */
	json_t *report = idle_report(json_pack("[o]", boot(-1, json_false(), NULL, "fifo")));
	json_t *v = scx_verdict(report);

	(void)state;
	assert_string_equal(vclass(v), "no-custom-scheduler");
	json_decref(v);
	json_decref(report);
}

static void test_unknown_end_does_not_blame(void **state)
{
	/* kern.log cannot see a boot's end: null is "cannot tell", not "unclean". */
	json_t *report = idle_report(json_pack("[o]", boot(-1, json_null(), "fifo", "fifo")));
	json_t *v = scx_verdict(report);

	(void)state;
	assert_string_equal(vclass(v), "no-custom-scheduler");
	json_decref(v);
	json_decref(report);
}

static void test_oops_naming_scheduler_in_clean_boot(void **state)
{
	size_t len, tlen;
	char *gz = read_test_file("SCX_TEST_DATA", "boots-kernlog/var/log/kern.log.2.gz", &len);
	char *text = NULL;
	json_t *segs, *b, *report, *v;

	(void)state;
	assert_int_equal(gunzip_bounded(gz, len, 1u << 20, &text, &tlen, NULL), 0);
	segs = scx_kernlog_parse(text, tlen);
	b = json_deep_copy(json_array_get(segs, 0));
	json_object_set_new(b, "index", json_integer(-2));
	json_object_set_new(b, "sources", json_pack("[s]", "kern.log"));
	report = idle_report(json_pack("[o]", b));
	v = scx_verdict(report);
	assert_string_equal(vclass(v), "custom-scheduler-suspected");
	assert_string_equal(json_string_value(json_object_get(v, "scheduler")),
			    "lavd_1.0.20_x86_64_unknown_linux_gnu");
	assert_string_equal(json_string_value(json_object_get(v, "boot")), "boot -2");
	assert_true(evidence_has(v, "WARNING: CPU: 1 PID: 812 at kernel/sched/ext.c:2205"));
	assert_true(evidence_has(v, "(Sched_ext: lavd_1.0.20_x86_64_unknown_linux_gnu (enabled+all))"));
	json_decref(v);
	json_decref(report);
	json_decref(segs);
	free(text);
	free(gz);
}

static void test_scheduler_running_now_wins(void **state)
{
	/* With a scheduler loaded now, the verdict is about it, whatever earlier boots say. */
	json_t *report = idle_report(json_pack("[o]", boot(-1, json_false(), "fifo", "fifo")));
	json_t *v;

	(void)state;
	json_object_set_new(json_object_get(report, "sched_ext"), "ops", json_string("lavd"));
	json_object_set_new(json_object_get(report, "sched_ext"), "state", json_string("enabled"));
	v = scx_verdict(report);
	assert_string_not_equal(vclass(v), "custom-scheduler-suspected");
	json_decref(v);
	json_decref(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_with_scheduler_from_real_journal),
		cmocka_unit_test(test_clean_reboot_from_real_journal),
		cmocka_unit_test(test_clean_earlier_boot_changes_nothing),
		cmocka_unit_test(test_unclean_without_scheduler_at_the_end),
		cmocka_unit_test(test_unknown_end_does_not_blame),
		cmocka_unit_test(test_oops_naming_scheduler_in_clean_boot),
		cmocka_unit_test(test_scheduler_running_now_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
