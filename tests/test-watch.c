// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report watch` pieces without a kernel: uevent datagrams, the dump
 * out of tracefs text, spool names, listing and pruning in a temporary
 * folder, and the spool probe choosing this boot's and the previous boot's
 * newest capture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "probes.h"
#include "spool.h"
#include "test-util.h"
#include "uevent.h"
#include "watch.h"

static void test_uevent_parse(void **state)
{
	static const char add[] = "add@/kernel/sched_ext/root\0ACTION=add\0DEVPATH=/kernel/sched_ext/root\0"
				  "SUBSYSTEM=sched_ext\0SCXOPS=lavd_1.0.20_x86_64_unknown_linux_gnu\0SEQNUM=2133";
	static const char rm[] = "remove@/kernel/sched_ext/root\0ACTION=remove\0SEQNUM=2140";
	static const char other[] = "change@/devices/system/cpu/cpu1\0ACTION=change";
	struct scx_uevent u;

	(void)state;
	assert_int_equal(scx_uevent_parse(add, sizeof(add) - 1, &u), 0);
	assert_string_equal(u.action, "add");
	assert_true(scx_uevent_is_root(&u));
	assert_string_equal(u.scxops, "lavd_1.0.20_x86_64_unknown_linux_gnu");
	assert_int_equal(scx_uevent_parse(rm, sizeof(rm) - 1, &u), 0);
	assert_string_equal(u.action, "remove");
	assert_true(scx_uevent_is_root(&u));
	assert_string_equal(u.scxops, "");
	assert_int_equal(scx_uevent_parse(other, sizeof(other) - 1, &u), 0);
	assert_false(scx_uevent_is_root(&u));
	/* udev's own datagrams (group 2) start with "libudev" and have no '@' header. */
	assert_int_equal(scx_uevent_parse("libudev\0\xfe\xed", 10, &u), -EINVAL);
}

static void test_trace_dump_text(void **state)
{
	static const char trace[] =
		"# tracer: nop\n"
		"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"       swapper/1-0       [001] d.h2.    59.593047: sched_ext_dump: stall: root\n"
		"       swapper/1-0       [001] d.h2.    59.593050: sched_ext_dump: swapper/1[0] triggered exit kind 1026 on CPU 1:\n"
		"       swapper/1-0       [001] d.h2.    59.593051: sched_ext_dump:   runnable task stall (watchdog failed to check in for 1.004s)\n"
		"          <idle>-0       [000] d..2.    60.000001: sched_switch: not ours\n";
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(scx_trace_dump_text(trace, sizeof(trace) - 1, &text, &len), 0);
	assert_string_equal(text, "stall: root\n"
				  "swapper/1[0] triggered exit kind 1026 on CPU 1:\n"
				  "  runnable task stall (watchdog failed to check in for 1.004s)\n");
	free(text);
}

static void test_trace_dump_real(void **state)
{
	size_t len, dlen = 0, lines = 0;
	char *trace = read_test_file("SCX_TEST_DATA", "watch/trace-stall-7.2.13.txt", &len);
	char *dump = NULL;

	(void)state;
	assert_int_equal(scx_trace_dump_text(trace, len, &dump, &dlen), 0);
	for (size_t i = 0; i < dlen; i++)
		lines += dump[i] == '\n';
	/* "entries-in-buffer/entries-written: 158/158" */
	assert_int_equal(lines, 158);
	assert_true(startswith(dump, "stall: root\nswapper/1[0] triggered exit kind 1026 on CPU 1:\n"));
	assert_non_null(strstr(dump, "\nBacktrace:\n  __scx_exit+0x4f/0x70\n"));
	assert_null(strstr(dump, "# tracer"));
	free(dump);
	free(trace);
}

static void test_spool_names(void **state)
{
	struct scx_spool_entry e;
	char name[256];

	(void)state;
	/* 2026-12-02T09:01:34Z */
	assert_int_equal(scx_spool_name(name, sizeof(name), 1796202094ull * 1000000000ull,
					"0409f16c9fda4680af3633643bbc32aa", "lavd 1.0/x"), 0);
	assert_string_equal(name, "capture-20261202T090134Z-0409f16c9fda4680af3633643bbc32aa-lavd_1.0_x.tar.zst");
	assert_int_equal(scx_spool_parse_name(name, &e), 0);
	assert_string_equal(e.time, "20261202T090134Z");
	assert_string_equal(e.boot_id, "0409f16c9fda4680af3633643bbc32aa");
	assert_string_equal(e.ops, "lavd_1.0_x");
	assert_int_equal(scx_spool_parse_name("capture-20261202T090134Z-XYZ-a.tar.zst", &e), -EINVAL);
	assert_int_equal(scx_spool_parse_name(".capture-AbCdEf", &e), -EINVAL);
	assert_int_equal(scx_spool_parse_name(
		"capture-20261202T090134Z-0409f16c9fda4680af3633643bbc32aa-x.tar.zst.sha256", &e), -EINVAL);
}

static void put(const char *dir, const char *time, const char *boot, const char *ops, size_t size)
{
	char path[PATH_MAX], name[256];
	char *buf = calloc(1, size);

	snprintf(name, sizeof(name), "capture-%s-%s-%s.tar.zst", time, boot, ops);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(write_file_full(path, buf, size, 0600), 0);
	snprintf(path, sizeof(path), "%s/%s.sha256", dir, name);
	assert_int_equal(write_file_full(path, "x\n", 2, 0600), 0);
	free(buf);
}

#define BOOT_OLD "11111111111111111111111111111111"
#define BOOT_PREV "22222222222222222222222222222222"
#define BOOT_NOW "33333333333333333333333333333333"

static char *make_tree(void)
{
	char *root = strdup("/tmp/scx-test-watch-XXXXXX"), dir[PATH_MAX];

	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/var/lib/scx-report", root);
	assert_int_equal(scx_spool_prepare(dir), 0);
	snprintf(dir, sizeof(dir), "%s/proc/sys/kernel/random", root);
	assert_int_equal(mkdir_parents(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/proc/sys/kernel/random/boot_id", root);
	assert_int_equal(write_file_full(dir, "33333333-3333-3333-3333-333333333333\n", 37, 0644), 0);
	snprintf(dir, sizeof(dir), "%s/var/lib/scx-report", root);
	put(dir, "20261201T100000Z", BOOT_OLD, "fifo", 1000);
	put(dir, "20261201T110000Z", BOOT_PREV, "stall", 2000);
	put(dir, "20261201T120000Z", BOOT_PREV, "stall", 3000);
	put(dir, "20261202T080000Z", BOOT_NOW, "lavd", 4000);
	put(dir, "20261202T090000Z", BOOT_NOW, "lavd", 5000);
	return root;
}

static void test_spool_mode_list_prune(void **state)
{
	char *root = make_tree(), dir[PATH_MAX];
	struct scx_spool_entry *v = NULL;
	unsigned removed = 0;
	struct stat st;
	size_t n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/var/lib/scx-report", root);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(scx_spool_list(dir, &v, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(v[0].boot_id, BOOT_OLD);
	assert_int_equal(v[4].bytes, 5002);
	free(v);
	/* Count: 3 newest stay. */
	assert_int_equal(scx_spool_prune(dir, 3, 1 << 30, &removed), 0);
	assert_int_equal(removed, 2);
	assert_int_equal(scx_spool_list(dir, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].time, "20261201T120000Z");
	free(v);
	/* Bytes: 9004 B of the two newest fit in 9100; the newest stays even alone over the bound. */
	assert_int_equal(scx_spool_prune(dir, 10, 9100, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(scx_spool_prune(dir, 10, 10, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(scx_spool_list(dir, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].time, "20261202T090000Z");
	free(v);
	rm_rf(root);
	free(root);
}

static void test_spool_probe_this_and_previous(void **state)
{
	char *root = make_tree();
	struct scx_probe_opts opts = { 0 };
	struct scx_probe_ctx ctx = { .name = "spool", .out = json_object(), .opts = &opts };
	json_t *report = json_pack("{s:[{s:i},{s:i,s:s}]}", "boots", "index", 0, "index", -1,
				   "boot_id", BOOT_PREV);
	json_t *inc;

	(void)state;
	opts.sysroot = root;
	ctx.report = report;
	assert_int_equal(probe_spool(&ctx), 0);
	inc = json_object_get(json_object_get(ctx.out, "spool"), "included");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ctx.out, "spool"), "captures")), 5);
	assert_int_equal(json_array_size(inc), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(inc, 0), "boot")), "this");
	assert_string_equal(json_string_value(json_object_get(json_array_get(inc, 0), "time")), "20261202T090000Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(inc, 1), "boot")), "previous");
	assert_string_equal(json_string_value(json_object_get(json_array_get(inc, 1), "time")), "20261201T120000Z");
	json_decref(ctx.out);
	/* In a capture, the spool is not read. */
	opts.capture_dir = "/nonexistent";
	ctx.out = json_object();
	assert_int_equal(probe_spool(&ctx), -EOPNOTSUPP);
	json_decref(ctx.out);
	json_decref(report);
	rm_rf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uevent_parse),
		cmocka_unit_test(test_trace_dump_text),
		cmocka_unit_test(test_trace_dump_real),
		cmocka_unit_test(test_spool_names),
		cmocka_unit_test(test_spool_mode_list_prune),
		cmocka_unit_test(test_spool_probe_this_and_previous),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
