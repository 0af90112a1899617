// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Package-manager output parsing (probes/scheduler/pkg-parse.c) on captured outputs in
 * tests/data/pkg-output/ (README there), the helper runner (probes/scheduler/helper-output.c) and
 * the ELF build-id reader (probes/scheduler/provenance.c).
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "identity.h"

static char *sample(const char *name)
{
	char path[PATH_MAX];
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/pkg-output/%s", getenv("SCX_TEST_DATA"), name);
	assert_int_equal(read_file_full(path, 0, &buf, NULL, NULL), 0);
	return buf;
}

static void test_dpkg_search(void **state)
{
	_cleanup_free_ char *owned = sample("dpkg-query-S-owned.txt");
	_cleanup_free_ char *unowned = sample("dpkg-query-S-unowned.txt");
	_cleanup_free_ char *div = sample("dpkg-query-S-diversion.txt");
	char pkg[128];

	(void)state;
	assert_int_equal(sched_dpkg_parse_search(owned, "/usr/bin/scx_fifo", pkg, sizeof(pkg)), 0);
	assert_string_equal(pkg, "scx-test-scheds");
	/* The path must match exactly: no prefix matches. */
	assert_int_equal(sched_dpkg_parse_search(owned, "/usr/bin/scx", pkg, sizeof(pkg)), -ENOENT);
	assert_int_equal(sched_dpkg_parse_search(unowned, "/usr/local/bin/scx_fifo", pkg, sizeof(pkg)), -ENOENT);
	/* Diversion lines are not owners. */
	assert_int_equal(sched_dpkg_parse_search(div, "/bin/sh", pkg, sizeof(pkg)), 0);
	assert_string_equal(pkg, "dash");
	/* Several owners (shared paths) and an arch-qualified name. */
	assert_int_equal(sched_dpkg_parse_search("libfoo:amd64, libfoo-dev:amd64: /usr/lib/x\n",
						 "/usr/lib/x", pkg, sizeof(pkg)), 0);
	assert_string_equal(pkg, "libfoo:amd64");
}

static void test_dpkg_verify_md5(void **state)
{
	_cleanup_free_ char *mod = sample("dpkg-verify-modified.txt");
	_cleanup_free_ char *clean = sample("dpkg-verify-clean.txt");
	_cleanup_free_ char *sums = sample("scx-test-scheds.md5sums");
	json_t *files = json_array();
	char md5[33];

	(void)state;
	assert_int_equal(sched_dpkg_parse_verify(mod, files), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "path")), "/etc/default/scx");
	assert_string_equal(json_string_value(json_object_get(json_array_get(files, 1), "path")), "/usr/bin/scx_fifo");
	assert_string_equal(json_string_value(json_object_get(json_array_get(files, 1), "flags")), "??5??????");
	assert_true(sched_pkg_file_modified(files, "/usr/bin/scx_fifo"));
	assert_false(sched_pkg_file_modified(files, "/usr/bin/scx_stall"));
	json_decref(files);

	files = json_array();
	assert_int_equal(sched_dpkg_parse_verify(clean, files), 0);
	assert_false(sched_pkg_file_modified(files, "/usr/bin/scx_fifo"));
	json_decref(files);

	assert_int_equal(sched_dpkg_md5_for(sums, "/usr/bin/scx_fifo", md5), 0);
	assert_string_equal(md5, "46bbbe8aa98cc0714426e948474eaaf4");
	assert_int_equal(sched_dpkg_md5_for(sums, "usr/bin/scx_fifo", md5), 0);
	assert_int_equal(sched_dpkg_md5_for(sums, "/usr/bin/scx_fif", md5), -ENOENT);
}

static void test_apt_origin(void **state)
{
	_cleanup_free_ char *repo = sample("apt-cache-policy-repo.txt");
	_cleanup_free_ char *local = sample("apt-cache-policy-local.txt");
	char origin[512];

	(void)state;
	assert_int_equal(sched_apt_parse_origin(repo, origin, sizeof(origin)), 0);
	/* Only the installed (***) version's sources, not the older bookworm/main one. */
	assert_string_equal(origin, "http://deb.debian.org/debian-security bookworm-security/main amd64 Packages");
	assert_int_equal(sched_apt_parse_origin(local, origin, sizeof(origin)), 0);
	assert_non_null(strstr(origin, "local"));
	assert_int_equal(sched_apt_parse_origin("N: Unable to locate package x\n", origin, sizeof(origin)), -ENOENT);
}

static void test_rpm(void **state)
{
	_cleanup_free_ char *owned = sample("rpm-qf-owned.txt");
	_cleanup_free_ char *unowned = sample("rpm-qf-unowned.txt");
	_cleanup_free_ char *mod = sample("rpm-V-modified.txt");
	_cleanup_free_ char *clean = sample("rpm-V-clean.txt");
	struct sched_rpm_info info;
	json_t *files = json_array();

	(void)state;
	assert_int_equal(sched_rpm_parse_qf(owned, &info), 0);
	assert_string_equal(info.name, "scx-scheds");
	assert_string_equal(info.version, "1.0.20-1.fc43");
	assert_string_equal(info.vendor, "Fedora Project");
	assert_non_null(strstr(info.signature, "Key ID 829b606631645531"));
	assert_int_equal(sched_rpm_parse_qf(unowned, &info), -ENOENT);
	/* Unsigned package: both signature fields "(none)". */
	assert_int_equal(sched_rpm_parse_qf("x\t1-1\t(none)\t(none)\t(none)\n", &info), 0);
	assert_string_equal(info.vendor, "");
	assert_string_equal(info.signature, "");

	assert_int_equal(sched_rpm_parse_verify(mod, files), 3);
	assert_true(sched_pkg_file_modified(files, "/usr/bin/scx_lavd"));
	assert_false(sched_pkg_file_modified(files, "/etc/default/scx"));	/* only mtime */
	assert_true(sched_pkg_file_modified(files, "/usr/share/doc/scx-scheds/README.md"));
	json_decref(files);
	files = json_array();
	assert_int_equal(sched_rpm_parse_verify(clean, files), 0);
	json_decref(files);
}

static void test_run(void **state)
{
	const char *ok[] = { "sh", "-c", "printf 'out'; printf 'err' >&2; exit 3", NULL };
	const char *slow[] = { "sleep", "5", NULL };
	const char *missing[] = { "scx-no-such-program-here", NULL };
	const char *big[] = { "sh", "-c", "yes | head -c 100000", NULL };
	struct scx_cmd c;
	uint64_t t0;

	(void)state;
	assert_int_equal(scx_spawn(ok, 2000, 4096, false, &c), 0);
	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, "out");
	scx_cmd_done(&c);
	assert_int_equal(scx_spawn(ok, 2000, 4096, true, &c), 0);
	assert_int_equal(c.len, 6);
	scx_cmd_done(&c);
	t0 = now_mono_ns();
	assert_int_equal(scx_spawn(slow, 200, 4096, false, &c), 0);
	assert_int_equal(c.status, 124);
	assert_true(now_mono_ns() - t0 < 2000000000ull);
	scx_cmd_done(&c);
	assert_int_equal(scx_spawn(missing, 200, 4096, false, &c), -ENOENT);
	assert_int_equal(scx_spawn(big, 2000, 1000, false, &c), 0);
	assert_true(c.truncated);
	assert_true(c.len <= 1000);
	scx_cmd_done(&c);
}

static void test_build_id(void **state)
{
	char hex[129], path[PATH_MAX];
	_cleanup_close_ int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int text = -1;
	int r;

	(void)state;
	assert_true(self >= 0);
	r = sched_elf_build_id(self, hex, sizeof(hex));
	/* Toolchains that link without --build-id give -ENOENT; anything else is an error. */
	if (r == -ENOENT)
		skip();
	assert_int_equal(r, 0);
	assert_true(strlen(hex) == 40 || strlen(hex) == 16 || strlen(hex) == 32 || strlen(hex) == 64);
	assert_int_equal(strspn(hex, "0123456789abcdef"), strlen(hex));

	snprintf(path, sizeof(path), "%s/pkg-output/rpm-qf-owned.txt", getenv("SCX_TEST_DATA"));
	text = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(text >= 0);
	assert_int_equal(sched_elf_build_id(text, hex, sizeof(hex)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_search),
		cmocka_unit_test(test_dpkg_verify_md5),
		cmocka_unit_test(test_apt_origin),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_build_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
