// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trusted.d lists (probes/scheduler/trusted.c) on the sysroot tests/data/trusted-root
 * (a vendor list, an admin list by BPF tags, a masked list, a broken file)
 * and the documented example docs/trusted.d-example.json.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "identity.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static char sysroot[PATH_MAX];
static struct scx_probe_opts opts;

static struct scx_probe_ctx *ctx(void)
{
	static struct scx_probe_ctx c;

	snprintf(sysroot, sizeof(sysroot), "%s/trusted-root", getenv("SCX_TEST_DATA"));
	memset(&c, 0, sizeof(c));
	c.name = "scheduler";
	opts.sysroot = sysroot;
	c.opts = &opts;
	return &c;
}

static json_t *sched_with(const char *name, const char *sha, const char *tag1, const char *tag2)
{
	json_t *s = json_pack("{s:s}", "name", name), *progs = json_array();

	if (sha)
		json_object_set_new(s, "sha256", json_string(sha));
	if (tag1)
		json_array_append_new(progs, json_pack("{s:s}", "tag", tag1));
	if (tag2)
		json_array_append_new(progs, json_pack("{s:s}", "tag", tag2));
	json_object_set_new(s, "bpf", json_pack("{s:o}", "programs", progs));
	return s;
}

static int run(json_t *s, json_t **files, json_t **errors)
{
	*files = json_array();
	*errors = json_object();
	return sched_trusted_match(ctx(), s, *files, *errors);
}

static void test_sha_match(void **state)
{
	json_t *s = sched_with("fifo", SHA_A, NULL, NULL), *files, *errors, *t;

	(void)state;
	assert_int_equal(run(s, &files, &errors), 1);
	t = json_object_get(s, "trusted");
	assert_string_equal(json_string_value(json_object_get(t, "file")),
			    "/usr/share/scx-report/trusted.d/10-vendor.json");
	assert_string_equal(json_string_value(json_object_get(t, "by")), "sha256");
	assert_string_equal(json_string_value(json_object_get(t, "package")), "scx-test-scheds 0.1.0-1");
	assert_string_equal(json_string_value(json_object_get(t, "vendor")), "Test Vendor");
	assert_null(json_object_get(s, "trust_warning"));
	/* 10-vendor, the /etc 20-masked (not the /usr/share one), 30-admin, 40-bad; not README. */
	assert_int_equal(json_array_size(files), 4);
	json_decref(s);
	json_decref(files);
	json_decref(errors);
}

static void test_masked_and_warning(void **state)
{
	/* SHA_B is only in the masked /usr/share list: no match, and fifo is a known name. */
	json_t *s = sched_with("fifo", SHA_B, NULL, NULL), *files, *errors;

	(void)state;
	assert_int_equal(run(s, &files, &errors), 0);
	assert_true(json_is_null(json_object_get(s, "trusted")));
	assert_non_null(strstr(json_string_value(json_object_get(s, "trust_warning")), SHA_B));
	assert_non_null(json_object_get(errors, "/etc/scx-report/trusted.d/40-bad.json"));
	assert_int_equal(json_object_size(errors), 1);
	json_decref(s);
	json_decref(files);
	json_decref(errors);

	/* An unknown name with an unknown hash: no warning either. */
	s = sched_with("mystery", SHA_B, NULL, NULL);
	assert_int_equal(run(s, &files, &errors), 0);
	assert_null(json_object_get(s, "trust_warning"));
	json_decref(s);
	json_decref(files);
	json_decref(errors);
}

static void test_tags(void **state)
{
	json_t *s = sched_with("lavd", NULL, "a155558ab2830a85", "06299416F310798C"), *files, *errors;

	(void)state;
	assert_int_equal(run(s, &files, &errors), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "trusted"), "by")),
			    "bpf_prog_tags");
	json_decref(s);
	json_decref(files);
	json_decref(errors);

	/* One program the list does not know: not trusted, and lavd is named. */
	s = sched_with("lavd", NULL, "a155558ab2830a85", "ffffffffffffffff");
	assert_int_equal(run(s, &files, &errors), 0);
	assert_non_null(json_object_get(s, "trust_warning"));
	json_decref(s);
	json_decref(files);
	json_decref(errors);
}

static void test_option_file_and_example(void **state)
{
	char path[PATH_MAX];
	const char *list[1];
	json_t *s, *files, *errors, *ex;
	const json_t *entry = NULL;
	json_error_t err;
	bool known = false;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/trusted.d-example.json", getenv("SCX_SOURCE_ROOT"));
	ex = json_load_file(path, 0, &err);
	assert_non_null(ex);
	assert_int_equal(json_integer_value(json_object_get(ex, "scx_report_trusted")), 1);
	s = json_pack("[s,s]", "a155558ab2830a85", "06299416f310798c");
	assert_int_equal(sched_trusted_match_list(ex, NULL, s, &entry, &known, "lavd"), 2);
	assert_string_equal(json_string_value(json_object_get(entry, "version")), "1.0.20");
	assert_true(known);
	json_decref(s);
	json_decref(ex);

	/* --trusted FILE is read as given, not under the sysroot. */
	list[0] = path;
	opts.trusted_files = list;
	opts.n_trusted_files = 1;
	s = sched_with("bpfland", "9E8D7C6B5A493827161504F3E2D1C0B9A8F7E6D5C4B3A29180706F5E4D3C2B1A", NULL, NULL);
	assert_int_equal(run(s, &files, &errors), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(s, "trusted"), "file")), path);
	opts.n_trusted_files = 0;
	json_decref(s);
	json_decref(files);
	json_decref(errors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha_match),
		cmocka_unit_test(test_masked_and_warning),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_option_file_and_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
