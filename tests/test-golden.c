// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Golden tests: every tests/data/<tree>/ that holds an expected/ folder is a
 * captured (or built) system.  The test replays it with
 *   $SCX_REPORT collect --sysroot TREE --no-latency --no-paired -o TMP
 * and compares `show --json` (less the volatile keys: collection.*,
 * tool.version, probes.*.duration_ms) with expected/report.json, and `show`
 * (less its "Collected by" line: version, host, time) with expected/summary.txt.
 *
 * SCX_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
 * A new tree joins by adding its expected/ folder (run once with
 * SCX_UPDATE_GOLDEN=1, read the result, commit it).
 */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

static const char *data_dir, *scx_report;

/* Run argv, stdout into *ret_out (NULL: discarded); returns the exit status. */
static int run(char *const argv[], char **ret_out)
{
	char tmpl[] = "/tmp/scx-golden-out.XXXXXX";
	int fd = mkstemp(tmpl), status = -1;
	pid_t pid;

	assert_true(fd >= 0);
	unlink(tmpl);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (ret_out) {
		off_t len = lseek(fd, 0, SEEK_END);
		char *buf = malloc((size_t)len + 1);

		assert_non_null(buf);
		assert_int_equal(pread(fd, buf, (size_t)len, 0), len);
		buf[len] = '\0';
		*ret_out = buf;
	}
	close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Drop what changes from run to run, print in one canonical form. */
static char *normalize_report(const char *text, const char *what)
{
	json_error_t err;
	json_t *r = json_loads(text, 0, &err), *probes, *tool, *p;
	const char *k;
	char *out, *nl;

	if (!r)
		fail_msg("%s: not JSON: %s (line %d)", what, err.text, err.line);
	json_object_del(r, "collection");
	if ((tool = json_object_get(r, "tool")))
		json_object_del(tool, "version");
	probes = json_object_get(r, "probes");
	json_object_foreach(probes, k, p)
		json_object_del(p, "duration_ms");
	out = json_dumps(r, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(r);
	assert_non_null(out);
	nl = NULL;
	assert_true(asprintf(&nl, "%s\n", out) > 0);
	free(out);
	return nl;
}

/* Without the volatile "Collected by scx-report VERSION on HOST at TIME" line. */
static char *drop_collected_line(const char *text)
{
	const char *at = strstr(text, "Collected by scx-report ");
	const char *nl = at ? strchr(at, '\n') : NULL;
	char *out;

	if (!at)
		return strdup(text);
	assert_true(asprintf(&out, "%.*s%s", (int)(at - text), text, nl ? nl + 1 : "") > 0);
	return out;
}

/* Print the first differing line with a little context, diff style. */
static bool same_or_show(const char *what, const char *expected, const char *got)
{
	const char *e = expected, *g = got;
	int line = 1;

	if (!strcmp(expected, got))
		return true;
	while (*e && *g) {
		size_t el = strcspn(e, "\n"), gl = strcspn(g, "\n");

		if (el != gl || memcmp(e, g, el))
			break;
		e += el + (e[el] == '\n');
		g += gl + (g[gl] == '\n');
		line++;
	}
	fprintf(stderr, "--- %s (expected)\n+++ %s (got)\n@@ line %d @@\n", what, what, line);
	for (int i = 0; i < 3 && *e; i++) {
		size_t n = strcspn(e, "\n");

		fprintf(stderr, "-%.*s\n", (int)n, e);
		e += n + (e[n] == '\n');
	}
	for (int i = 0; i < 3 && *g; i++) {
		size_t n = strcspn(g, "\n");

		fprintf(stderr, "+%.*s\n", (int)n, g);
		g += n + (g[n] == '\n');
	}
	fprintf(stderr, "(SCX_UPDATE_GOLDEN=1 rewrites the expected files)\n");
	return false;
}

static void check_or_update(const char *path, const char *got, bool update, bool *ok)
{
	_cleanup_free_ char *expected = NULL;
	size_t len;

	if (update) {
		assert_int_equal(write_file_full(path, got, strlen(got), 0644), 0);
		return;
	}
	if (read_file_full(path, 0, &expected, &len, NULL) < 0)
		fail_msg("%s: missing (run with SCX_UPDATE_GOLDEN=1 to create it)", path);
	if (strstr(path, ".json")) {
		char *norm = normalize_report(expected, path);

		free(expected);
		expected = norm;
	}
	if (!same_or_show(path, expected, got))
		*ok = false;
}

static void test_tree(void **state)
{
	const char *tree = *state;
	char root[PATH_MAX], tmp[] = "/tmp/scx-golden.XXXXXX", bundle[PATH_MAX], path[PATH_MAX];
	_cleanup_free_ char *json = NULL, *summary = NULL, *norm = NULL, *sum = NULL;
	bool update = getenv("SCX_UPDATE_GOLDEN") && !strcmp(getenv("SCX_UPDATE_GOLDEN"), "1");
	bool ok = true;

	snprintf(root, sizeof(root), "%s/%s", data_dir, tree);
	assert_non_null(mkdtemp(tmp));
	snprintf(bundle, sizeof(bundle), "%s/b.tar.zst", tmp);
	{
		char *argv[] = { (char *)scx_report, "collect", "--sysroot", root, "--no-latency",
				 "--no-paired", "-o", bundle, NULL };

		if (run(argv, NULL) != 0)
			fail_msg("%s: collect --sysroot failed", tree);
	}
	{
		char *argv[] = { (char *)scx_report, "show", "--json", bundle, NULL };

		assert_int_equal(run(argv, &json), 0);
	}
	{
		char *argv[] = { (char *)scx_report, "show", bundle, NULL };

		assert_int_equal(run(argv, &summary), 0);
	}
	rm_rf(tmp);

	norm = normalize_report(json, tree);
	sum = drop_collected_line(summary);
	snprintf(path, sizeof(path), "%s/expected/report.json", root);
	check_or_update(path, norm, update, &ok);
	snprintf(path, sizeof(path), "%s/expected/summary.txt", root);
	check_or_update(path, sum, update, &ok);
	if (!ok)
		fail_msg("%s: differs from its golden files", tree);
}

static int has_expected(const struct dirent *de)
{
	char path[PATH_MAX];
	struct stat st;

	if (de->d_name[0] == '.')
		return 0;
	snprintf(path, sizeof(path), "%s/%s/expected", data_dir, de->d_name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(void)
{
	struct dirent **trees = NULL;
	struct CMUnitTest *tests;
	int n, r;

	data_dir = getenv("SCX_TEST_DATA");
	scx_report = getenv("SCX_REPORT");
	if (!data_dir || !scx_report) {
		fprintf(stderr, "SCX_TEST_DATA and SCX_REPORT must be set (meson test sets them)\n");
		return 1;
	}
	n = scandir(data_dir, &trees, has_expected, alphasort);
	if (n <= 0) {
		fprintf(stderr, "%s: no tree with an expected/ folder\n", data_dir);
		return 1;
	}
	tests = calloc((size_t)n, sizeof(*tests));
	for (int i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest) {
			.name = trees[i]->d_name, .test_func = test_tree,
			.initial_state = trees[i]->d_name,
		};
	r = _cmocka_run_group_tests("golden", tests, (size_t)n, NULL, NULL);
	for (int i = 0; i < n; i++)
		free(trees[i]);
	free(trees);
	free(tests);
	return r;
}
