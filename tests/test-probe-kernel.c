// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel probe: config parsing (plain and gzip, on the real 7.2.13
 * Debian config and this machine's /proc/config.gz), taint decoding,
 * os-release, and the whole probe replayed on fixture trees.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cmocka.h>

#include "gunzip.h"
#include "probes.h"
#include "test-util.h"

#define CONFIG_72 "sched_ext-7.2.13/config-7.2.13+deb14-cloud-amd64"

static const char *item(const json_t *items, const char *name)
{
	return json_string_value(json_object_get(items, name));
}

static void test_config_plain(void **state)
{
	_cleanup_free_ char *text = NULL;
	json_t *items, *v;
	const char *k;
	size_t len;

	text = read_test_file("SCX_TEST_DATA", CONFIG_72, &len);
	assert_int_equal(scx_kconfig_parse(text, len, &items), 0);
	assert_string_equal(item(items, "SCHED_CLASS_EXT"), "y");
	assert_string_equal(item(items, "KALLSYMS_ALL"), "y");
	assert_string_equal(item(items, "DEBUG_INFO_BTF"), "y");
	assert_string_equal(item(items, "HZ"), "250");
	assert_string_equal(item(items, "PREEMPT"), "n");		/* "# ... is not set" */
	assert_string_equal(item(items, "BPF_JIT_ALWAYS_ON"), "n");
	assert_null(json_object_get(items, "SCHED_CORE"));		/* not asked for */
	assert_null(json_object_get(items, "EXT4_FS"));
	json_object_foreach(items, k, v) {
		assert_true(scx_kconfig_wanted(k));
		assert_true(json_is_string(v) && *json_string_value(v));
	}
	json_decref(items);

	/* Quoted values lose their quotes; junk lines are ignored. */
	static const char small[] = "CONFIG_BPF_X=\"a b\"\njunk\n#\n  CONFIG_HZ=100";

	assert_int_equal(scx_kconfig_parse(small, strlen(small), &items), 0);
	assert_string_equal(item(items, "BPF_X"), "a b");
	assert_string_equal(item(items, "HZ"), "100");
	assert_int_equal(json_object_size(items), 2);
	json_decref(items);
}

/* Compress the real config with zlib's gzip writer, decompress with ours. */
static void test_config_gz(void **state)
{
	_cleanup_free_ char *text = NULL, *gz = NULL, *out = NULL, *cut = NULL;
	char tmp[] = "/tmp/scx-config-gz.XXXXXX";
	size_t len, gz_len, out_len, cut_len;
	bool truncated;
	json_t *a, *b;
	gzFile f;
	int fd;

	text = read_test_file("SCX_TEST_DATA", CONFIG_72, &len);
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	f = gzdopen(fd, "wb9");
	assert_non_null(f);
	assert_int_equal(gzwrite(f, text, (unsigned)len), (int)len);
	assert_int_equal(gzclose(f), Z_OK);
	assert_int_equal(read_file_full(tmp, 0, &gz, &gz_len, NULL), 0);
	unlink(tmp);
	assert_true(gz_len < len / 2);

	assert_int_equal(gunzip_bounded(gz, gz_len, 1 << 22, &out, &out_len, &truncated), 0);
	assert_false(truncated);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	assert_int_equal(scx_kconfig_parse(out, out_len, &a), 0);
	assert_int_equal(scx_kconfig_parse(text, len, &b), 0);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);

	/* Bounded: says it was cut. */
	assert_int_equal(gunzip_bounded(gz, gz_len, 1000, &cut, &cut_len, &truncated), 0);
	assert_true(truncated);
	assert_int_equal(cut_len, 1000);

	/* Not gzip, or cut short: an error, no crash. */
	assert_true(gunzip_bounded(text, 200, 1 << 20, &out, &out_len, NULL) < 0);
	assert_true(gunzip_bounded(gz, gz_len / 2, 1 << 20, &out, &out_len, NULL) < 0);
}

/* This machine's own /proc/config.gz, as captured: no sched_ext. */
static void test_config_host_gz(void **state)
{
	_cleanup_free_ char *gz = NULL, *text = NULL;
	size_t gz_len, len;
	json_t *items;

	gz = read_test_file("SCX_TEST_DATA", "host-debian12/proc/config.gz", &gz_len);
	assert_int_equal(gunzip_bounded(gz, gz_len, 1 << 22, &text, &len, NULL), 0);
	assert_int_equal(scx_kconfig_parse(text, len, &items), 0);
	assert_string_equal(item(items, "SCHED_CLASS_EXT"), "n");
	assert_string_equal(item(items, "BPF_SYSCALL"), "y");
	json_decref(items);
}

static void test_taint_decode(void **state)
{
	char letters[72];
	json_t *flags;

	flags = scx_taint_decode(0, letters, sizeof(letters));
	assert_string_equal(letters, "");
	assert_int_equal(json_array_size(flags), 0);
	json_decref(flags);

	/* P (0), W (9), O (12), E (13) */
	flags = scx_taint_decode((1 << 0) | (1 << 9) | (1 << 12) | (1 << 13), letters, sizeof(letters));
	assert_string_equal(letters, "PWOE");
	assert_int_equal(json_array_size(flags), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(flags, 1), "bit")), 9);
	assert_string_equal(json_string_value(json_object_get(json_array_get(flags, 1), "name")),
			    "kernel issued warning");
	json_decref(flags);

	/* The newest letter J (19), and a bit this version does not know. */
	flags = scx_taint_decode((1ull << 19) | (1ull << 40), letters, sizeof(letters));
	assert_string_equal(letters, "J?");
	assert_string_equal(json_string_value(json_object_get(json_array_get(flags, 1), "name")),
			    "unknown taint bit 40");
	json_decref(flags);

	/* All twenty known letters in the kernel's order. */
	flags = scx_taint_decode((1 << 20) - 1, letters, sizeof(letters));
	assert_string_equal(letters, "PFSRMBUDAWCIOELKXTNJ");
	json_decref(flags);
}

static void test_os_release(void **state)
{
	_cleanup_free_ char *text = NULL, *a = NULL, *b = NULL, *c = NULL, *d = NULL;

	text = read_test_file("SCX_TEST_DATA", "host-debian12/etc/os-release", NULL);
	assert_int_equal(scx_os_release_get(text, "PRETTY_NAME", &a), 0);
	assert_string_equal(a, "Debian GNU/Linux 12 (bookworm)");
	assert_int_equal(scx_os_release_get(text, "ID", &b), 0);
	assert_string_equal(b, "debian");	/* not ID_LIKE, not VERSION_ID */
	assert_int_equal(scx_os_release_get(text, "NO_SUCH_KEY", &c), -ENOENT);
	assert_int_equal(scx_os_release_get("X='it\\'s'\n", "X", &d), 0);
	assert_string_equal(d, "it's");
}

static json_t *run_probe(const char *tree, char stage[static 64])
{
	char root[PATH_MAX];
	struct scx_probe_opts opts = { .sysroot = root };
	struct scx_probe_ctx ctx = { .name = "kernel", .out = json_object(), .opts = &opts };
	json_t *out;

	snprintf(root, sizeof(root), "%s/%s", getenv("SCX_TEST_DATA"), tree);
	strcpy(stage, "/tmp/scx-kernel.XXXXXX");
	assert_non_null(mkdtemp(stage));
	ctx.stage_dir = stage;
	ctx.report = json_object();
	assert_int_equal(probe_kernel(&ctx), 0);
	json_decref((json_t *)ctx.report);
	out = ctx.out;
	return out;
}

static void test_probe_trees(void **state)
{
	char stage[64], path[PATH_MAX];
	struct stat st;
	json_t *out, *k;

	out = run_probe("sched-ext-7.2-enabled", stage);
	assert_string_equal(json_string_value(json_object_get(json_object_get(out, "host"), "kernel")),
			    "7.2.13+deb14-cloud-amd64");
	k = json_object_get(out, "kernel");
	assert_string_equal(json_string_value(json_object_get(k, "config_source")),
			    "/boot/config-7.2.13+deb14-cloud-amd64");
	assert_string_equal(item(json_object_get(k, "config"), "SCHED_CLASS_EXT"), "y");
	assert_true(json_is_false(json_object_get(k, "btf")));	/* not in that capture */
	assert_null(json_object_get(k, "taint"));		/* nor the taint */
	snprintf(path, sizeof(path), "%s/kernel/boot/config-7.2.13+deb14-cloud-amd64", stage);
	assert_int_equal(stat(path, &st), 0);
	rm_rf(stage);
	json_decref(out);

	out = run_probe("newer-kernel", stage);
	k = json_object_get(out, "kernel");
	assert_string_equal(json_string_value(json_object_get(k, "config_source")), "/proc/config.gz");
	assert_string_equal(item(json_object_get(k, "config"), "SCHED_CLASS_EXT"), "y");
	assert_true(json_is_true(json_object_get(k, "btf")));
	k = json_object_get(k, "taint");
	assert_int_equal(json_integer_value(json_object_get(k, "value")), 1053185);
	assert_string_equal(json_string_value(json_object_get(k, "letters")), "PWO?");
	assert_int_equal(json_array_size(json_object_get(k, "modules")), 1);	/* ext4's is empty */
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(k, "modules"), 0), "taint")), "OE");
	assert_null(json_object_get(json_object_get(out, "host"), "os_version_id"));	/* sid */
	snprintf(path, sizeof(path), "%s/kernel/proc/config.gz", stage);
	assert_int_equal(stat(path, &st), 0);
	rm_rf(stage);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_plain),
		cmocka_unit_test(test_config_gz),
		cmocka_unit_test(test_config_host_gz),
		cmocka_unit_test(test_taint_decode),
		cmocka_unit_test(test_os_release),
		cmocka_unit_test(test_probe_trees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
