// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Earlier boots: the journal export parser, the end-of-boot rules, the
 * kern.log, pstore and journal probes on fixture trees (tests/data/boots-*,
 * see their README.md) and the merge into `boots`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot-log.h"
#include "boots.h"
#include "gunzip.h"
#include "journal-export.h"
#include "probes.h"
#include "test-util.h"

static json_t *run_probe(int (*fn)(struct scx_probe_ctx *), const char *name, const char *tree,
			 const char *key, int *ret)
{
	char root[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = root };
	struct scx_probe_ctx ctx = { .name = name, .out = json_object(), .opts = &opts };
	json_t *empty = json_object(), *v;

	snprintf(root, sizeof(root), "%s/%s", getenv("SCX_TEST_DATA"), tree);
	ctx.report = empty;
	*ret = fn(&ctx);
	v = json_incref(json_object_get(ctx.out, key));
	json_decref(ctx.out);
	json_decref(empty);
	return v;
}

/* ---- journal export format ------------------------------------------ */

struct collected {
	int n;
	char msg[4][128];
	uint64_t mono[4];
};

static int collect_entry(const struct journal_entry *e, void *userdata)
{
	struct collected *c = userdata;

	if (c->n < 4) {
		snprintf(c->msg[c->n], sizeof(c->msg[0]), "%s|%s", e->identifier ? e->identifier : "",
			 e->message);
		c->mono[c->n] = e->mono_us;
	}
	c->n++;
	return 0;
}

static void test_export_text_and_binary_fields(void **state)
{
	/* Second entry: MESSAGE holds a newline, so it is written as a sized binary field. */
	static const char bin_msg[] = "line one\nline two";
	char buf[512];
	size_t len = 0;
	struct collected c = { 0 };
	uint64_t n = sizeof(bin_msg) - 1;

	len += (size_t)sprintf(buf + len, "__MONOTONIC_TIMESTAMP=5000000\n_SOURCE_MONOTONIC_TIMESTAMP=4000000\n"
				"SYSLOG_IDENTIFIER=kernel\nMESSAGE=sched_ext: BPF scheduler \"fifo\" enabled\n\n");
	len += (size_t)sprintf(buf + len, "__MONOTONIC_TIMESTAMP=6000000\nSYSLOG_IDENTIFIER=x\nMESSAGE\n");
	for (int i = 0; i < 8; i++)
		buf[len++] = (char)((n >> (8 * i)) & 0xff);
	memcpy(buf + len, bin_msg, (size_t)n);
	len += (size_t)n;
	len += (size_t)sprintf(buf + len, "\n\n__MONOTONIC_TIMESTAMP=7\n\n");	/* no MESSAGE: skipped */

	(void)state;
	assert_int_equal(journal_export_parse(buf, len, collect_entry, &c), 2);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.msg[0], "kernel|sched_ext: BPF scheduler \"fifo\" enabled");
	assert_int_equal(c.mono[0], 4000000);	/* the kernel's own time wins */
	assert_string_equal(c.msg[1], "x|line one\nline two");
	assert_int_equal(c.mono[1], 6000000);
}

static void test_export_truncated_binary_field(void **state)
{
	static const char buf[] = "MESSAGE\n\x40\0\0\0\0\0\0\0short";
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(journal_export_parse(buf, sizeof(buf) - 1, collect_entry, &c), -EBADMSG);
}

/* ---- end of a boot ---------------------------------------------------- */

static void test_shutdown_records(void **state)
{
	(void)state;
	assert_non_null(boot_shutdown_record("systemd-shutdown[1]: Syncing filesystems and block devices."));
	assert_non_null(boot_shutdown_record("reboot: Restarting system"));
	assert_non_null(boot_shutdown_record("reboot: Power down"));
	assert_non_null(boot_shutdown_record("systemd-journald[120]: Journal stopped"));
	assert_null(boot_shutdown_record("sched_ext: BPF scheduler \"fifo\" enabled"));
	assert_null(boot_shutdown_record("systemd[1]: Started scx.service - Start scx_scheduler."));
}

static void test_boot_log_unclean_with_scheduler(void **state)
{
	struct boot_log b;
	json_t *s;

	(void)state;
	boot_log_init(&b, 0);
	boot_log_note(&b, 1000, 1796198400000000ull, "Linux version 7.2.13");
	boot_log_kernel(&b, 1000, "Linux version 7.2.13");
	boot_log_note(&b, 9000000, 1796198409000000ull, "sched_ext: BPF scheduler \"fifo\" enabled");
	boot_log_kernel(&b, 9000000, "sched_ext: BPF scheduler \"fifo\" enabled");
	s = boot_log_summary(&b, -1, "journal", true);
	boot_log_done(&b);
	assert_true(json_is_false(json_object_get(s, "clean_shutdown")));
	assert_string_equal(json_string_value(json_object_get(s, "start")), "2026-12-02T08:00:00Z");
	assert_string_equal(json_string_value(json_object_get(s, "end")), "2026-12-02T08:00:09Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(s, "schedulers"), 0)), "fifo");
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "last_state"), "scheduler")),
			    "fifo");
	/* A source that cannot see the end says so instead of guessing. */
	json_decref(s);
	boot_log_init(&b, 0);
	boot_log_kernel(&b, 5, "sched_ext: BPF scheduler \"fifo\" enabled");
	s = boot_log_summary(&b, -1, "kern.log", false);
	boot_log_done(&b);
	assert_true(json_is_null(json_object_get(s, "clean_shutdown")));
	json_decref(s);
}

/* ---- kern.log --------------------------------------------------------- */

static void test_kernlog_tree(void **state)
{
	json_t *k, *boots, *b;
	int r;

	(void)state;
	k = run_probe(probe_kernlog, "kernlog", "boots-kernlog", "kernlog", &r);
	assert_int_equal(r, 0);
	assert_int_equal(json_array_size(json_object_get(k, "files")), 3);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(k, "files"), 0),
						 "compressed")));
	boots = json_object_get(k, "boots");
	/* Three boots in the files; --boots 2 (the default) keeps this one and the previous. */
	assert_int_equal(json_array_size(boots), 2);
	b = json_array_get(boots, 0);
	assert_int_equal(json_integer_value(json_object_get(b, "index")), -1);
	assert_string_equal(json_string_value(json_object_get(b, "start")), "2026-12-01T08:00:02Z");
	/* Its segment continues in the newer file after the rotation. */
	assert_string_equal(json_string_value(json_object_get(b, "end")), "2026-12-01T09:12:44Z");
	assert_true(json_is_null(json_object_get(b, "clean_shutdown")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "last_state"), "scheduler")),
			    "fifo");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(boots, 1), "index")), 0);
	json_decref(k);
}

static void test_kernlog_oldest_boot(void **state)
{
	size_t len;
	char *gz = read_test_file("SCX_TEST_DATA", "boots-kernlog/var/log/kern.log.2.gz", &len);
	char *text = NULL;
	size_t tlen;
	json_t *boots, *b, *oops;

	(void)state;
	assert_int_equal(gunzip_bounded(gz, len, 1u << 20, &text, &tlen, NULL), 0);
	boots = scx_kernlog_parse(text, tlen);
	assert_int_equal(json_array_size(boots), 1);
	b = json_array_get(boots, 0);
	/* Traditional timestamps have no year: no wall clock, kernel time only. */
	assert_true(json_is_null(json_object_get(b, "start")));
	assert_true(json_is_true(json_object_get(b, "clean_shutdown")));
	assert_string_equal(json_string_value(json_object_get(b, "shutdown_record")), "reboot: Power down");
	oops = json_array_get(json_object_get(b, "oopses"), 0);
	assert_non_null(oops);
	assert_string_equal(json_string_value(json_object_get(oops, "ops")),
			    "lavd_1.0.20_x86_64_unknown_linux_gnu");
	assert_non_null(strstr(json_string_value(json_object_get(oops, "error")), "WARNING: CPU: 1"));
	assert_true(json_is_null(json_object_get(json_object_get(b, "last_state"), "scheduler")));
	json_decref(boots);
	free(text);
	free(gz);
}

static void test_kernlog_absent(void **state)
{
	json_t *k;
	int r;

	(void)state;
	k = run_probe(probe_kernlog, "kernlog", "proc-orphan", "kernlog", &r);
	assert_int_equal(r, -ENOENT);
	assert_null(k);
}

/* ---- journal (a real capture, tests/data/boots-journal/README.md) ----- */

static void test_journal_reset_boot(void **state)
{
	json_t *j, *b;
	int r;

	(void)state;
	j = run_probe(probe_boots_journal, "journal", "boots-journal", "boots_journal", &r);
	assert_int_equal(r, 0);
	assert_true(json_is_true(json_object_get(j, "persistent")));
	assert_int_equal(json_integer_value(json_object_get(j, "listed")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "boots")), 1);
	b = json_array_get(json_object_get(j, "boots"), 0);
	assert_int_equal(json_integer_value(json_object_get(b, "index")), -1);
	assert_string_equal(json_string_value(json_object_get(b, "boot_id")),
			    "0409f16c9fda4680af3633643bbc32aa");
	/* SysRq-B: the journal just stops, no shutdown record. */
	assert_true(json_is_false(json_object_get(b, "clean_shutdown")));
	assert_string_equal(json_string_value(json_object_get(b, "start")), "2026-12-02T08:55:59Z");
	assert_string_equal(json_string_value(json_object_get(b, "end")), "2026-12-02T08:56:21Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(b, "schedulers"), 0)), "fifo");
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "last_state"), "scheduler")),
			    "fifo");
	json_decref(j);
}

static void test_journal_absent_capture(void **state)
{
	json_t *j;
	int r;

	(void)state;
	j = run_probe(probe_boots_journal, "journal", "boots-kernlog", "boots_journal", &r);
	assert_int_equal(r, -ENOENT);
	assert_null(j);
}

/* ---- pstore (a real ramoops record, tests/data/boots-pstore) ------------ */

static void test_pstore_tree(void **state)
{
	json_t *p, *recs, *live = NULL, *archived = NULL, *r0, *oops;
	size_t i;
	int r;

	(void)state;
	p = run_probe(probe_pstore, "pstore", "boots-pstore", "pstore", &r);
	assert_int_equal(r, 0);
	recs = json_object_get(p, "records");
	assert_int_equal(json_array_size(recs), 2);
	json_array_foreach(recs, i, r0) {
		if (json_is_true(json_object_get(r0, "archived")))
			archived = r0;
		else
			live = r0;
	}
	assert_non_null(live);
	assert_non_null(archived);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "dirs"), "/sys/fs/pstore")),
			    "1 record");
	assert_string_equal(json_string_value(json_object_get(live, "kind")), "panic");
	assert_int_equal(json_integer_value(json_object_get(live, "index")), -1);
	assert_true(json_is_false(json_object_get(live, "clean_shutdown")));
	oops = json_array_get(json_object_get(live, "oopses"), 0);
	assert_string_equal(json_string_value(json_object_get(oops, "ops")), "fifo");
	assert_string_equal(json_string_value(json_object_get(oops, "reason")), "enabled+all");
	assert_string_equal(json_string_value(json_object_get(oops, "error")),
			    "Kernel panic - not syncing: sysrq triggered crash");
	assert_string_equal(json_string_value(json_object_get(json_object_get(live, "last_state"), "scheduler")),
			    "fifo");
	/* The raw-deflate copy decompresses to the same record; its boot is unknown. */
	assert_true(json_is_null(json_object_get(archived, "index")));
	assert_string_equal(json_string_value(json_object_get(archived, "kind")), "panic");
	assert_true(json_equal(json_object_get(archived, "oopses"), json_object_get(live, "oopses")));
	json_decref(p);
}

static void test_pstore_empty(void **state)
{
	json_t *p;
	int r;

	(void)state;
	p = run_probe(probe_pstore, "pstore", "boots-kernlog", "pstore", &r);
	assert_int_equal(r, 0);
	assert_int_equal(json_array_size(json_object_get(p, "records")), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "dirs"), "/sys/fs/pstore")),
			    "absent (pstore not mounted)");
	json_decref(p);
}

/* ---- the merge -------------------------------------------------------- */

static void test_merge_prefers_journal_and_adds_pstore(void **state)
{
	json_t *report = json_pack(
		"{s:[{s:s,s:s}], s:{s:s},"
		" s:{s:[{s:i,s:s,s:o,s:[s],s:[],s:[],s:{s:s}}]},"
		" s:{s:[{s:i,s:s,s:n,s:[],s:[],s:[],s:{s:n}}]},"
		" s:{s:[{s:i,s:s,s:s,s:b,s:o,s:[s],s:[{s:s,s:s,s:s}],s:[],s:{s:s}},"
		"       {s:n,s:s,s:s,s:b,s:n,s:[],s:[],s:[],s:{s:n}}]}}",
		"history", "event", "enabled", "ops", "lavd",
		"sched_ext", "ops", "lavd",
		"boots_journal", "boots", "index", -1, "source", "journal", "clean_shutdown", json_true(),
		"schedulers", "fifo", "errors", "oopses", "last_state", "scheduler", "fifo",
		"kernlog", "boots", "index", -1, "source", "kern.log", "clean_shutdown",
		"schedulers", "errors", "oopses", "last_state", "scheduler",
		"pstore", "records", "index", -1, "file", "/sys/fs/pstore/dmesg-ramoops-0", "kind", "panic",
		"archived", 0, "clean_shutdown", json_false(), "schedulers", "fifo", "oopses", "event", "oops",
		"ops", "fifo", "reason", "enabled+all", "errors", "last_state", "scheduler", "fifo",
		"index", "file", "/var/lib/systemd/pstore/1/dmesg.txt", "kind", "oops", "archived", 1,
		"clean_shutdown", "schedulers", "oopses", "errors", "last_state", "scheduler");
	json_t *boots, *b;

	(void)state;
	assert_non_null(report);
	boots = scx_boots_merge(report, 2);
	assert_int_equal(json_array_size(boots), 3);
	b = json_array_get(boots, 0);
	assert_int_equal(json_integer_value(json_object_get(b, "index")), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "last_state"), "scheduler")),
			    "lavd");
	b = json_array_get(boots, 1);
	assert_string_equal(json_string_value(json_object_get(b, "source")), "journal");
	/* The journal saw a clean end, but the pstore panic record of that boot overrides it. */
	assert_true(json_is_false(json_object_get(b, "clean_shutdown")));
	assert_int_equal(json_array_size(json_object_get(b, "oopses")), 1);
	assert_int_equal(json_array_size(json_object_get(b, "sources")), 3);
	b = json_array_get(boots, 2);
	assert_true(json_is_null(json_object_get(b, "index")));
	/* --boots 1: this boot and the archived records only. */
	json_decref(boots);
	boots = scx_boots_merge(report, 1);
	assert_int_equal(json_array_size(boots), 2);
	json_decref(boots);
	json_decref(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_text_and_binary_fields),
		cmocka_unit_test(test_export_truncated_binary_field),
		cmocka_unit_test(test_shutdown_records),
		cmocka_unit_test(test_boot_log_unclean_with_scheduler),
		cmocka_unit_test(test_kernlog_tree),
		cmocka_unit_test(test_kernlog_oldest_boot),
		cmocka_unit_test(test_kernlog_absent),
		cmocka_unit_test(test_pstore_tree),
		cmocka_unit_test(test_pstore_empty),
		cmocka_unit_test(test_journal_reset_boot),
		cmocka_unit_test(test_journal_absent_capture),
		cmocka_unit_test(test_merge_prefers_journal_and_adds_pstore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
