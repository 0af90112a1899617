// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bundle: round trip, the never-replace rule, and hostile bundles
 * (each must give one clear error, never a crash, never a file written).
 */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "bundle.h"
#include "util.h"

static char tmpdir[PATH_MAX];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/scx-test-bundle.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	rm_rf(tmpdir);
	return 0;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	assert_int_equal(mkdir_parents(p, 0755), 0);
	*slash = '/';
	assert_int_equal(write_file_full(p, text, strlen(text), 0644), 0);
}

/* A staged tree like the collector makes: report.json, summary.txt, a raw file, manifest. */
static void make_stage(char *top, size_t len)
{
	json_t *man, *members;

	snprintf(top, len, "%s/stage/scx-report-test-20260101T000000Z", tmpdir);
	put(top, "report.json", "{\"schema\": \"scx-report/1\", \"sched_ext\": {\"supported\": false}}");
	put(top, "summary.txt", "hello summary\n");
	put(top, "sched_ext/sys/kernel/sched_ext/state", "enabled\n");
	assert_int_equal(scx_manifest_members(top, &members), 0);
	assert_int_equal(json_array_size(members), 3);
	man = json_object();
	json_object_set_new(man, "schema", json_string(SCX_MANIFEST_SCHEMA));
	json_object_set_new(man, "members", members);
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/manifest.json", top);
	assert_int_equal(json_dump_file(man, p, 0), 0);
	json_decref(man);
}

static void test_round_trip(void **state)
{
	char top[PATH_MAX], out[PATH_MAX], sum[PATH_MAX], err[512];
	_cleanup_free_ char *line = NULL;
	struct scx_bundle b;
	char hex[65];

	make_stage(top, sizeof(top));
	snprintf(out, sizeof(out), "%s/bug.tar.zst", tmpdir);
	assert_int_equal(scx_bundle_write(top, out, false, 1700000000), 0);
	assert_int_equal(scx_bundle_read(out, &b, err, sizeof(err)), 0);
	assert_string_equal(b.top, "scx-report-test-20260101T000000Z");
	assert_string_equal(b.summary, "hello summary\n");
	assert_int_equal(b.n_members, 3);
	assert_true(json_is_false(json_object_get(json_object_get(b.report, "sched_ext"), "supported")));
	scx_bundle_free(&b);

	/* FILE.sha256 holds the bundle's sha256 in sha256sum(1) form. */
	snprintf(sum, sizeof(sum), "%s.sha256", out);
	assert_int_equal(read_one_line(sum, &line), 0);
	assert_int_equal(sha256_hex_file(out, hex, NULL), 0);
	assert_true(startswith(line, hex));
	assert_true(endswith(line, "  bug.tar.zst"));
}

static void test_never_replaces_without_force(void **state)
{
	char top[PATH_MAX], out[PATH_MAX];
	_cleanup_free_ char *kept = NULL;
	struct stat st;

	make_stage(top, sizeof(top));
	snprintf(out, sizeof(out), "%s/bug.tar.zst", tmpdir);
	assert_int_equal(write_file_full(out, "precious", 8, 0644), 0);
	assert_int_equal(scx_bundle_write(top, out, false, 0), -EEXIST);
	assert_int_equal(read_one_line(out, &kept), 0);
	assert_string_equal(kept, "precious");
	/* No temporary file is left behind. */
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s | grep '^\\.bug')\"", tmpdir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(scx_bundle_write(top, out, true, 0), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_true(st.st_size > 8);
}

static void test_failed_write_keeps_good_bundle(void **state)
{
	char top[PATH_MAX], out[PATH_MAX], before[65], after[65];

	make_stage(top, sizeof(top));
	snprintf(out, sizeof(out), "%s/bug.tar.zst", tmpdir);
	assert_int_equal(scx_bundle_write(top, out, false, 0), 0);
	assert_int_equal(sha256_hex_file(out, before, NULL), 0);
	/* A staged member beyond the size bound makes the write fail... */
	char bad[PATH_MAX];
	int fd;
	snprintf(bad, sizeof(bad), "%s/huge", top);
	fd = open(bad, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)SCX_BUNDLE_MAX_MEMBER + 1), 0);
	close(fd);
	assert_int_equal(scx_bundle_write(top, out, true, 0), -EFBIG);
	/* ...and the good bundle is still there, untouched. */
	assert_int_equal(sha256_hex_file(out, after, NULL), 0);
	assert_string_equal(before, after);
	unlink(bad);
}

/* The checksum file failing after the rename: the bundle is there, and the return says so. */
static void test_sidecar_failure_is_told(void **state)
{
	char top[PATH_MAX], out[PATH_MAX], side[PATH_MAX], inner[PATH_MAX], err[256];
	struct scx_bundle b;

	make_stage(top, sizeof(top));
	snprintf(out, sizeof(out), "%s/side.tar.zst", tmpdir);
	/* A non-empty folder where BUNDLE.sha256 goes: rename(2) over it fails. */
	snprintf(side, sizeof(side), "%s.sha256", out);
	snprintf(inner, sizeof(inner), "%s/x", side);
	assert_int_equal(mkdir_parents(side, 0755), 0);
	assert_int_equal(write_file_full(inner, "x", 1, 0644), 0);
	assert_int_equal(scx_bundle_write(top, out, false, 0), SCX_BUNDLE_NO_SIDECAR);
	assert_int_equal(scx_bundle_read(out, &b, err, sizeof(err)), 0);
	scx_bundle_free(&b);
}

/* ---- hostile bundles ---------------------------------------------------- */

struct entry {
	const char *name;
	const char *data;	/* NULL for a folder or special entry */
	mode_t type;		/* AE_IFREG default */
	const char *link;	/* symlink or hard link target */
	bool hardlink;
};

/* Write a tar.zst of the entries; manifest entries get real sizes/sha256
 * from the table unless the test overrides them. */
static void write_tar(const char *path, const struct entry *ents, size_t n)
{
	struct archive *a = archive_write_new();

	assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = ents[i].data ? strlen(ents[i].data) : 0;

		archive_entry_set_pathname(e, ents[i].name);
		archive_entry_set_filetype(e, ents[i].type ? ents[i].type : AE_IFREG);
		archive_entry_set_perm(e, 0644);
		if (ents[i].link && ents[i].hardlink)
			archive_entry_set_hardlink(e, ents[i].link);
		else if (ents[i].link)
			archive_entry_set_symlink(e, ents[i].link);
		if (!ents[i].type || ents[i].type == AE_IFREG)
			archive_entry_set_size(e, (la_int64_t)len);
		if (ents[i].type == AE_IFCHR)
			archive_entry_set_rdev(e, makedev(1, 3));
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (len)
			assert_int_equal(archive_write_data(a, ents[i].data, len), (la_ssize_t)len);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static const char *REPORT = "{\"schema\": \"scx-report/1\"}";
static const char *SUMMARY = "summary\n";

/* A manifest listing report.json and summary.txt with their true sums. */
static char *manifest_for(const char *report, const char *summary, const char *schema)
{
	char h1[65], h2[65];
	char *m;

	sha256_hex_buf(report, strlen(report), h1);
	sha256_hex_buf(summary, strlen(summary), h2);
	assert_true(asprintf(&m,
		"{\"schema\": \"%s\", \"members\": ["
		"{\"path\": \"report.json\", \"size\": %zu, \"sha256\": \"%s\"},"
		"{\"path\": \"summary.txt\", \"size\": %zu, \"sha256\": \"%s\"}]}",
		schema, strlen(report), h1, strlen(summary), h2) > 0);
	return m;
}

/* Read the bundle; it must fail and the message must contain want. */
static void expect_reject(const char *path, const char *want)
{
	struct scx_bundle b;
	char err[512] = "";
	int r = scx_bundle_read(path, &b, err, sizeof(err));

	if (r >= 0)
		fail_msg("%s: accepted, expected an error containing \"%s\"", path, want);
	if (!strstr(err, want))
		fail_msg("%s: error \"%s\" does not mention \"%s\"", path, err, want);
	assert_null(strchr(err, '\n'));
}

static void hostile(const char *name, const struct entry *ents, size_t n, const char *want)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.tar.zst", tmpdir, name);
	write_tar(path, ents, n);
	expect_reject(path, want);
}

#define T "scx-report-x-20260101T000000Z/"

static void test_hostile_paths_and_types(void **state)
{
	_cleanup_free_ char *man = manifest_for(REPORT, SUMMARY, SCX_MANIFEST_SCHEMA);
	struct entry dotdot[] = {
		{ T "manifest.json", man }, { T "../../evil", "x" } };
	struct entry absolute[] = {
		{ T "manifest.json", man }, { "/tmp/scx-evil-absolute", "x" } };
	struct entry link[] = {
		{ T "manifest.json", man }, { T "report.json", NULL, AE_IFLNK, "/etc/passwd" } };
	struct entry hard[] = {
		{ T "manifest.json", man }, { T "report.json", NULL, AE_IFREG, "/etc/passwd", true } };
	struct entry dev[] = {
		{ T "manifest.json", man }, { T "null", NULL, AE_IFCHR } };
	struct entry fifo[] = {
		{ T "manifest.json", man }, { T "pipe", NULL, AE_IFIFO } };
	struct entry outside[] = {
		{ T "manifest.json", man }, { "other-top/report.json", REPORT } };
	struct entry not_first[] = {
		{ T "report.json", REPORT }, { T "manifest.json", man } };
	struct entry unlisted[] = {
		{ T "manifest.json", man }, { T "report.json", REPORT }, { T "summary.txt", SUMMARY },
		{ T "extra.txt", "surprise" } };
	struct entry missing[] = {
		{ T "manifest.json", man }, { T "report.json", REPORT } };
	struct entry twice[] = {
		{ T "manifest.json", man }, { T "report.json", REPORT }, { T "report.json", REPORT },
		{ T "summary.txt", SUMMARY } };

	hostile("dotdot", dotdot, 2, "unsafe member path");
	hostile("absolute", absolute, 2, "unsafe member path");
	hostile("symlink", link, 2, "symbolic link");
	hostile("hardlink", hard, 2, "hard link");
	hostile("device", dev, 2, "character device");
	hostile("fifo", fifo, 2, "fifo");
	hostile("outside", outside, 2, "outside the top folder");
	hostile("not-first", not_first, 2, "first member");
	hostile("unlisted", unlisted, 4, "not in the manifest");
	hostile("missing", missing, 2, "is missing");
	hostile("twice", twice, 4, "appears twice");
	/* Nothing was written outside: the absolute and ../ targets do not exist. */
	assert_int_not_equal(access("/tmp/scx-evil-absolute", F_OK), 0);
}

static void test_hostile_contents(void **state)
{
	_cleanup_free_ char *man = manifest_for(REPORT, SUMMARY, SCX_MANIFEST_SCHEMA);
	_cleanup_free_ char *wrong_schema = manifest_for(REPORT, SUMMARY, "something-else/9");
	_cleanup_free_ char *bad_report_man = manifest_for("{\"schema\": ", SUMMARY, SCX_MANIFEST_SCHEMA);
	_cleanup_free_ char *other_schema_man = manifest_for("{\"schema\": \"nope/1\"}", SUMMARY,
							     SCX_MANIFEST_SCHEMA);
	struct entry mismatch[] = {
		{ T "manifest.json", man }, { T "report.json", "{\"schema\": \"scx-report/12\"}" },
		{ T "summary.txt", SUMMARY } };
	struct entry bigger[] = {
		{ T "manifest.json", man }, { T "report.json", REPORT },
		{ T "summary.txt", "a summary far longer than the manifest says it is\n" } };
	struct entry badjson[] = {
		{ T "manifest.json", "{\"schema\": \"scx-report-manifest/1\", " } };
	struct entry badschema[] = {
		{ T "manifest.json", wrong_schema }, { T "report.json", REPORT } };
	struct entry badreport[] = {
		{ T "manifest.json", bad_report_man }, { T "report.json", "{\"schema\": " },
		{ T "summary.txt", SUMMARY } };
	struct entry otherreport[] = {
		{ T "manifest.json", other_schema_man }, { T "report.json", "{\"schema\": \"nope/1\"}" },
		{ T "summary.txt", SUMMARY } };
	struct entry notobject[] = { { T "manifest.json", "[1, 2, 3]" } };

	hostile("mismatch", mismatch, 3, "is 27 bytes, the manifest says 26");
	hostile("bigger", bigger, 3, "the manifest says");
	hostile("badjson", badjson, 1, "manifest.json: malformed JSON");
	hostile("badschema", badschema, 2, "unknown schema");
	hostile("badreport", badreport, 3, "report.json: malformed JSON");
	hostile("otherreport", otherreport, 3, "report.json: unknown schema");
	hostile("notobject", notobject, 1, "not a JSON object");
}

static void test_checksum_mismatch(void **state)
{
	/* Same size, different bytes. */
	_cleanup_free_ char *man = manifest_for(REPORT, SUMMARY, SCX_MANIFEST_SCHEMA);
	struct entry e[] = {
		{ T "manifest.json", man }, { T "report.json", "{\"schema\": \"scx-report/9\"}" },
		{ T "summary.txt", SUMMARY } };

	/* The size equals REPORT's so only the checksum differs. */
	assert_int_equal(strlen(e[1].data), strlen(REPORT));
	hostile("checksum", e, 3, "checksum mismatch for \"report.json\"");
}

static void corrupt_copy(const char *good, const char *bad, long cut, long flip)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;

	assert_int_equal(read_file_full(good, 0, &buf, &len, NULL), 0);
	if (cut > 0)
		len = (size_t)cut < len ? (size_t)cut : len;
	if (flip >= 0 && (size_t)flip < len)
		for (size_t i = (size_t)flip; i < len && i < (size_t)flip + 64; i++)
			buf[i] ^= 0x5a;
	assert_int_equal(write_file_full(bad, buf, len, 0644), 0);
}

static void test_truncated_and_corrupt_stream(void **state)
{
	char top[PATH_MAX], good[PATH_MAX], bad[PATH_MAX];
	struct stat st;

	make_stage(top, sizeof(top));
	snprintf(good, sizeof(good), "%s/good.tar.zst", tmpdir);
	assert_int_equal(scx_bundle_write(top, good, false, 0), 0);
	assert_int_equal(stat(good, &st), 0);

	snprintf(bad, sizeof(bad), "%s/truncated.tar.zst", tmpdir);
	corrupt_copy(good, bad, st.st_size / 2, -1);
	expect_reject(bad, "bundle");

	snprintf(bad, sizeof(bad), "%s/corrupt.tar.zst", tmpdir);
	corrupt_copy(good, bad, 0, st.st_size / 3);
	expect_reject(bad, "");

	snprintf(bad, sizeof(bad), "%s/empty.tar.zst", tmpdir);
	assert_int_equal(write_file_full(bad, "", 0, 0644), 0);
	expect_reject(bad, "");

	snprintf(bad, sizeof(bad), "%s/not-a-bundle.tar.zst", tmpdir);
	assert_int_equal(write_file_full(bad, "plain text, not zstd\n", 21, 0644), 0);
	expect_reject(bad, "");

	snprintf(bad, sizeof(bad), "%s/does-not-exist.tar.zst", tmpdir);
	expect_reject(bad, "does-not-exist.tar.zst");
}

/* The CLI: one line on stderr, exit 1, no file created in the working dir. */
static void test_show_cli_on_hostile(void **state)
{
	const char *exe = getenv("SCX_REPORT");
	_cleanup_free_ char *man = manifest_for(REPORT, SUMMARY, SCX_MANIFEST_SCHEMA);
	struct entry dotdot[] = { { T "manifest.json", man }, { T "../escape", "x" } };
	char path[PATH_MAX], cmd[PATH_MAX * 2], errf[PATH_MAX], cwd[PATH_MAX];
	_cleanup_free_ char *out = NULL;
	size_t len;
	int st;

	if (!exe)
		skip();
	snprintf(path, sizeof(path), "%s/cli.tar.zst", tmpdir);
	write_tar(path, dotdot, 2);
	snprintf(cwd, sizeof(cwd), "%s/cwd", tmpdir);
	assert_int_equal(mkdir(cwd, 0755), 0);
	snprintf(errf, sizeof(errf), "%s/stderr", tmpdir);
	snprintf(cmd, sizeof(cmd), "cd %s && %s show %s >/dev/null 2>%s", cwd, exe, path, errf);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_int_equal(read_file_full(errf, 0, &out, &len, NULL), 0);
	assert_non_null(strstr(out, "unsafe member path"));
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(strchr(out, '\n') - out + 1, (long)len);	/* one line */
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s)\"", cwd);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_replaces_without_force, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_good_bundle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sidecar_failure_is_told, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_paths_and_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checksum_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_and_corrupt_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_cli_on_hostile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
