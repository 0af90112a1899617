// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The readers: show --list's statuses and show --member's refusal on
 * tampered archives, the head reader triage uses, diff on real VM bundles
 * (itself: nothing; another version; another scheduler; the same workload
 * under two schedulers), and triage's rows and counts.
 */
#include <archive.h>
#include <archive_entry.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bundle.h"
#include "bundle-walk.h"
#include "diff.h"
#include "model.h"
#include "triage.h"
#include "util.h"

static char tmpdir[PATH_MAX];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/scx-test-readers.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	rm_rf(tmpdir);
	return 0;
}

static void data_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/bundles/%s", getenv("SCX_TEST_DATA"), name);
}

struct entry {
	const char *name;	/* in the archive */
	const char *text;	/* NULL: a symlink to /etc/passwd */
};

/* A tar.zst with exactly these entries in this order. */
static void write_archive(const char *path, const struct entry *e, size_t n)
{
	struct archive *a = archive_write_new();

	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();

		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_perm(ae, 0644);
		if (e[i].text) {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_size(ae, (la_int64_t)strlen(e[i].text));
		} else {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_symlink(ae, "/etc/passwd");
		}
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (e[i].text && *e[i].text)
			archive_write_data(a, e[i].text, strlen(e[i].text));
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

#define REPORT "{\"schema\": \"scx-report/1\", \"collection\": {\"hostname\": \"h1\"}}"

/* A manifest listing report.json, a.txt ("aaaa") and gone.txt ("gone"). */
static char *manifest(void)
{
	char h1[65], h2[65], h3[65], *s;

	sha256_hex_buf(REPORT, strlen(REPORT), h1);
	sha256_hex_buf("aaaa", 4, h2);
	sha256_hex_buf("gone", 4, h3);
	assert_true(asprintf(&s, "{\"schema\": \"scx-report-manifest/1\", \"members\": ["
			     "{\"path\": \"a.txt\", \"size\": 4, \"sha256\": \"%s\"},"
			     "{\"path\": \"gone.txt\", \"size\": 4, \"sha256\": \"%s\"},"
			     "{\"path\": \"report.json\", \"size\": %zu, \"sha256\": \"%s\"}]}",
			     h2, h3, strlen(REPORT), h1) > 0);
	return s;
}

static const char *status_of(const json_t *list, const char *path)
{
	const json_t *m;
	size_t i;

	json_array_foreach(list, i, m)
		if (!strcmp(jstr(m, "path"), path))
			return jstr(m, "status");
	return NULL;
}

static void test_list_statuses(void **state)
{
	_cleanup_free_ char *man = manifest();
	char path[PATH_MAX], err[512];
	json_t *list = NULL;

	snprintf(path, sizeof(path), "%s/t.tar.zst", tmpdir);
	/* a.txt tampered (same size), an extra member, gone.txt missing, report.json twice. */
	write_archive(path, (struct entry[]){ { "t/manifest.json", man }, { "t/a.txt", "bbbb" },
					       { "t/extra.txt", "x" }, { "t/report.json", REPORT },
					       { "t/report.json", REPORT } }, 5);
	assert_int_equal(scx_bundle_list(path, &list, err, sizeof(err)), 0);
	assert_string_equal(status_of(list, "manifest.json"), "manifest");
	assert_string_equal(status_of(list, "a.txt"), "checksum differs");
	assert_string_equal(status_of(list, "extra.txt"), "not in manifest");
	assert_string_equal(status_of(list, "report.json"), "ok");
	assert_string_equal(jstr(json_array_get(list, 4), "status"), "duplicate");
	assert_string_equal(status_of(list, "gone.txt"), "missing");
	assert_int_equal(json_array_size(list), 6);
	json_decref(list);

	/* --member: the tampered one and the twice-held one are refused, with the reason. */
	char *data = NULL;
	size_t len;

	assert_int_equal(scx_bundle_member(path, "a.txt", &data, &len, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "checksum mismatch for \"a.txt\""));
	assert_int_equal(scx_bundle_member(path, "report.json", &data, &len, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "appears twice"));
	assert_int_equal(scx_bundle_member(path, "extra.txt", &data, &len, err, sizeof(err)), -EBADMSG);
	assert_int_equal(scx_bundle_member(path, "nope", &data, &len, err, sizeof(err)), -ENOENT);
	/* The manifest comes back byte for byte. */
	assert_int_equal(scx_bundle_member(path, "manifest.json", &data, &len, err, sizeof(err)), 0);
	assert_int_equal(len, strlen(man));
	assert_memory_equal(data, man, len);
	free(data);
}

static void test_refused(void **state)
{
	_cleanup_free_ char *man = manifest();
	char path[PATH_MAX], err[512];
	json_t *list = NULL, *m = NULL, *r = NULL;

	snprintf(path, sizeof(path), "%s/r.tar.zst", tmpdir);
	write_archive(path, (struct entry[]){ { "t/report.json", REPORT }, { "t/manifest.json", man } }, 2);
	assert_int_equal(scx_bundle_list(path, &list, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "first member is \"t/report.json\""));
	assert_int_equal(scx_bundle_head(path, &m, &r, err, sizeof(err)), -EBADMSG);

	write_archive(path, (struct entry[]){ { "t/manifest.json", man }, { "t/a.txt", NULL } }, 2);
	assert_int_equal(scx_bundle_list(path, &list, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "link or special file"));

	write_archive(path, (struct entry[]){ { "t/manifest.json", man }, { "t/../x", "aaaa" } }, 2);
	assert_int_equal(scx_bundle_head(path, &m, &r, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "unsafe member path"));

	write_archive(path, (struct entry[]){ { "t/manifest.json", man }, { "u/a.txt", "aaaa" } }, 2);
	assert_int_equal(scx_bundle_head(path, &m, &r, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "outside the top folder"));

	/* The head reader stops at report.json: what follows is never looked at. */
	write_archive(path, (struct entry[]){ { "t/manifest.json", man }, { "t/report.json", REPORT },
					       { "t/a.txt", NULL } }, 3);
	assert_int_equal(scx_bundle_head(path, &m, &r, err, sizeof(err)), 0);
	assert_string_equal(jstr(r, "collection.hostname"), "h1");
	json_decref(m);
	json_decref(r);
}

static json_t *load(const char *name)
{
	char path[PATH_MAX], err[512];
	json_t *m = NULL, *r = NULL;

	data_path(path, sizeof(path), name);
	if (scx_bundle_head(path, &m, &r, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	json_decref(m);
	return r;
}

static const json_t *change(const json_t *d, const char *key)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(d, "changes"), i, c)
		if (!strcmp(jstr(c, "key"), key))
			return c;
	return NULL;
}

static const json_t *paired_fig(const json_t *d, const char *figure)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(d, "paired"), i, c)
		if (!strcmp(jstr(c, "figure"), figure))
			return c;
	return NULL;
}

static size_t n_significant(const json_t *d)
{
	const json_t *c;
	size_t i, n = 0;

	json_array_foreach(json_object_get(d, "paired"), i, c)
		n += json_is_true(json_object_get(c, "significant"));
	return n;
}

static void test_diff_self(void **state)
{
	json_t *a = load("vm-paired-fifo.tar.zst"), *d = scx_diff_reports(a, a);

	assert_int_equal(json_array_size(json_object_get(d, "changes")), 0);
	/* Every figure compared, none significant. */
	assert_int_equal(json_array_size(json_object_get(d, "paired")), 7);
	assert_int_equal(n_significant(d), 0);
	assert_true(json_number_value(jget(paired_fig(d, "probe_p99_ns"), "change")) == 1);
	json_decref(d);
	json_decref(a);
}

static void test_diff_version(void **state)
{
	json_t *a = load("vm-paired-fifo.tar.zst"), *b = load("vm-paired-fifo-versioned.tar.zst");
	json_t *d = scx_diff_reports(a, b);
	const json_t *c = change(d, "scheduler.version");

	assert_non_null(c);
	assert_true(json_is_null(json_object_get(c, "a")));
	assert_string_equal(jstr(c, "b"), "1.2.3");
	assert_non_null(change(d, "scheduler.sha256"));
	assert_non_null(change(d, "scheduler.exe.path"));
	assert_null(change(d, "scheduler.name"));
	assert_null(change(d, "host.kernel"));
	/*
	 * The same code under another version, in another boot: each side's runs moved (TCG
	 * noise between boots), but custom against default per round did not, so nothing counts.
	 */
	assert_int_equal(json_array_size(json_object_get(d, "paired")), 7);
	assert_int_equal(n_significant(d), 0);
	assert_null(change(d, "paired.probe_p50_ns.ratio"));
	json_decref(d);
	json_decref(a);
	json_decref(b);
}

static void test_diff_scheduler(void **state)
{
	json_t *a = load("vm-paired-fifo-mixed.tar.zst"), *b = load("vm-paired-slow.tar.zst");
	json_t *d = scx_diff_reports(a, b);
	const json_t *c = change(d, "scheduler.name"), *p;

	assert_string_equal(jstr(c, "a"), "fifo");
	assert_string_equal(jstr(c, "b"), "slow");
	assert_non_null(change(d, "scheduler.sha256"));
	/* Both regress against the default under this workload (fifo's figures: ratio 13). */
	assert_null(change(d, "verdict.class"));
	assert_null(change(d, "paired.workload"));
	/* Same workload: against the default, slow's median wakeup is far worse than fifo's. */
	p = paired_fig(d, "probe_p50_ns");
	assert_non_null(p);
	assert_true(json_is_true(json_object_get(p, "significant")));
	assert_true(json_number_value(json_object_get(p, "change")) > 2);
	assert_non_null(change(d, "paired.probe_p50_ns.ratio"));
	/* Its p99 moved too, but the rounds do not agree: it does not count. */
	assert_false(json_is_true(jget(paired_fig(d, "probe_p99_ns"), "significant")));
	assert_null(change(d, "paired.probe_p99_ns.ratio"));
	json_decref(d);
	json_decref(a);
	json_decref(b);

	/* Different workloads: figures are not compared at all. */
	a = load("vm-paired-fifo.tar.zst");
	b = load("vm-paired-slow.tar.zst");
	d = scx_diff_reports(a, b);
	assert_int_equal(json_array_size(json_object_get(d, "paired")), 0);
	assert_non_null(jstr(d, "paired_note"));
	assert_non_null(change(d, "paired.workload"));
	json_decref(d);
	json_decref(a);
	json_decref(b);
}

static void test_triage_rows(void **state)
{
	json_t *host = load("host-no-sched-ext.tar.zst"), *slow = load("vm-paired-slow.tar.zst");
	json_t *ver = load("vm-versioned.tar.zst"), *rows = json_array(), *counts;

	json_array_append_new(rows, scx_triage_row("h.tar.zst", NULL, host));
	json_array_append_new(rows, scx_triage_row("s.tar.zst", NULL, slow));
	json_array_append_new(rows, scx_triage_row("s2.tar.zst", NULL, slow));
	json_array_append_new(rows, scx_triage_row("v.tar.zst", NULL, ver));
	assert_string_equal(jstr(json_array_get(rows, 0), "scheduler"), "none");
	assert_string_equal(jstr(json_array_get(rows, 0), "verdict"), "no-custom-scheduler");
	assert_true(startswith(jstr(json_array_get(rows, 0), "key_figure"), "p99 run-queue delay "));
	/* words and units (issue 22 point 1), not "probe_p99_ns x15.7 p=0.0022" */
	assert_string_equal(jstr(json_array_get(rows, 1), "key_figure"), "p99 wakeup delay 15.7× (p = 0.002)");
	assert_string_equal(jstr(json_array_get(rows, 3), "version"), "1.2.3");
	counts = scx_triage_counts(rows);
	assert_int_equal(json_array_size(counts), 3);
	/* Most bundles first. */
	assert_string_equal(jstr(json_array_get(counts, 0), "scheduler"), "slow");
	assert_int_equal(json_integer_value(jget(json_array_get(counts, 0), "bundles")), 2);
	json_decref(counts);
	json_decref(rows);
	json_decref(host);
	json_decref(slow);
	json_decref(ver);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_statuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test(test_diff_self),
		cmocka_unit_test(test_diff_version),
		cmocka_unit_test(test_diff_scheduler),
		cmocka_unit_test(test_triage_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
