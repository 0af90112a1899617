// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe runner and the whole collection with misbehaving probes: a
 * probe that fails, one that hangs past its timeout, one that crashes and
 * one that lacks what it needs still give a complete, valid bundle with
 * each outcome recorded.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bundle.h"
#include "collect.h"
#include "runner.h"

static int probe_good(struct scx_probe_ctx *ctx)
{
	json_t *o = json_object();

	json_object_set_new(o, "answer", json_integer(42));
	json_object_set_new(ctx->out, "good", o);
	return probe_save(ctx, "raw/hello.txt", "hello\n", 6);
}

static int probe_sees_earlier(struct scx_probe_ctx *ctx)
{
	json_t *earlier = json_object_get(json_object_get(ctx->report, "good"), "answer");

	json_object_set_new(ctx->out, "seen", json_integer(json_integer_value(earlier)));
	return 0;
}

static int probe_failing(struct scx_probe_ctx *ctx)
{
	return probe_fail(ctx, -EIO, "the device said no");
}

static int probe_missing(struct scx_probe_ctx *ctx)
{
	return probe_fail(ctx, -ENOENT, "no such interface in this kernel");
}

static int probe_hanging(struct scx_probe_ctx *ctx)
{
	for (;;)
		pause();
	return 0;
}

static int probe_crashing(struct scx_probe_ctx *ctx)
{
	raise(SIGSEGV);
	return 0;
}

static const struct scx_probe table[] = {
	{ "good", "works", 0, 2000, probe_good },
	{ "failing", "fails", 0, 2000, probe_failing },
	{ "hanging", "hangs", 0, 300, probe_hanging },
	{ "crashing", "crashes", 0, 2000, probe_crashing },
	{ "missing", "lacks a feature", 0, 2000, probe_missing },
	{ "later", "reads earlier results", SCX_PROBE_READS_REPORT, 2000, probe_sees_earlier },
	{ 0 }
};

static const char *status_of(const json_t *report, const char *probe, const char *key)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(report, "probes"),
								 probe), key));
}

/*
 * `after` and `applies`.  "slow" waits (up to its 5 s timeout) for a file
 * that only "reader" makes: "reader" names `after = "first"`, so it must
 * start while "slow" still runs.  Were it held until every row before it
 * ended, "slow" would time out: the outcome says which, whatever the load.
 */
static char flag_path[PATH_MAX];

static int probe_first(struct scx_probe_ctx *ctx)
{
	json_object_set_new(ctx->out, "first", json_integer(7));
	return 0;
}

static int probe_slow(struct scx_probe_ctx *ctx)
{
	struct stat st;

	while (stat(flag_path, &st) < 0)
		usleep(1000);
	json_object_set_new(ctx->out, "slow", json_true());
	return 0;
}

static int probe_reader(struct scx_probe_ctx *ctx)
{
	int fd = open(flag_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
	json_object_set_new(ctx->out, "read",
			    json_integer(json_integer_value(json_object_get(ctx->report, "first"))));
	return 0;
}

static bool never(const json_t *report, const char **why)
{
	*why = "nothing to look at";
	return false;
}

static int probe_must_not_run(struct scx_probe_ctx *ctx)
{
	json_object_set_new(ctx->out, "ran", json_true());
	return 0;
}

static const struct scx_probe dep_table[] = {
	{ "first", "sets a key", 0, 2000, probe_first },
	{ "slow", "waits for the reader's file", 0, 5000, probe_slow },
	{ "reader", "reads first only", SCX_PROBE_READS_REPORT, 2000, probe_reader, .after = "first" },
	{ "gated", "does not apply", SCX_PROBE_READS_REPORT, 2000, probe_must_not_run, .applies = never },
	{ 0 }
};

static void test_runner_after_and_applies(void **state)
{
	char dir[] = "/tmp/scx-test-runner.XXXXXX";
	struct scx_options opts = { .sysroot = "" };
	json_t *report = json_object();
	const char *names[4] = { NULL };
	const char *key;
	json_t *v;
	size_t i = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(flag_path, sizeof(flag_path), "%s/flag", dir);
	scx_run_probes(dep_table, &opts, NULL, report);
	assert_string_equal(status_of(report, "slow", "status"), "ok");
	assert_string_equal(status_of(report, "reader", "status"), "ok");
	assert_int_equal(json_integer_value(json_object_get(report, "read")), 7);
	/* Skipped in the collector, with the gate's reason; its collect() never ran. */
	assert_string_equal(status_of(report, "gated", "status"), "skipped");
	assert_string_equal(status_of(report, "gated", "reason"), "nothing to look at");
	assert_null(json_object_get(report, "ran"));
	/* Merged in table order all the same. */
	json_object_foreach(json_object_get(report, "probes"), key, v)
		if (i < 4)
			names[i++] = key;
	assert_string_equal(names[0], "first");
	assert_string_equal(names[1], "slow");
	assert_string_equal(names[2], "reader");
	assert_string_equal(names[3], "gated");
	unlink(flag_path);
	rmdir(dir);
	json_decref(report);
}

static void test_runner_outcomes(void **state)
{
	struct scx_options opts = { .sysroot = "" };
	json_t *report = json_object();
	uint64_t t0 = now_mono_ns();

	scx_run_probes(table, &opts, NULL, report);
	/* The hanging probe costs its timeout (0.3 s), not forever (a loaded machine stretches it). */
	assert_true(now_mono_ns() - t0 < 10000000000ull);
	assert_string_equal(status_of(report, "good", "status"), "ok");
	assert_string_equal(status_of(report, "failing", "status"), "failed");
	assert_string_equal(status_of(report, "failing", "reason"), "the device said no");
	assert_string_equal(status_of(report, "hanging", "status"), "failed");
	assert_non_null(strstr(status_of(report, "hanging", "reason"), "timed out"));
	assert_string_equal(status_of(report, "crashing", "status"), "failed");
	assert_non_null(strstr(status_of(report, "crashing", "reason"), "signal 11"));
	assert_string_equal(status_of(report, "missing", "status"), "skipped");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(report, "good"), "answer")), 42);
	assert_int_equal(json_integer_value(json_object_get(report, "seen")), 42);
	json_decref(report);
}

static void test_collection_with_bad_probes(void **state)
{
	char dir[] = "/tmp/scx-test-runner.XXXXXX", out[PATH_MAX], err[512];
	char *argv[] = { "collect", NULL };
	struct scx_options opts = { .sysroot = "", .output = out, .duration_s = 1,
				    .argc = 1, .argv = argv };
	struct scx_bundle b;

	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/b.tar.zst", dir);
	scx_log_quiet = 1;
	assert_int_equal(scx_collect(table, &opts), 0);
	assert_int_equal(scx_bundle_read(out, &b, err, sizeof(err)), 0);
	assert_string_equal(status_of(b.report, "hanging", "status"), "failed");
	assert_string_equal(status_of(b.report, "good", "status"), "ok");
	/* The manifest records per-probe status too, and the raw file made it. */
	assert_string_equal(status_of(b.manifest, "crashing", "status"), "failed");
	assert_int_equal(b.n_members, 4);	/* report.json summary.txt report.html good/raw/hello.txt */
	scx_bundle_free(&b);
	/* A second run without --force refuses and keeps the first. */
	assert_int_equal(scx_collect(table, &opts), 1);
	rm_rf(dir);
}

/*
 * The workers: each probe records the pid it ran in.  Without a crash or a
 * timeout no more than one process per lane (2) ever runs them, never the
 * collector itself; a crash costs its worker, and the probes after it get
 * a new one and still run.
 */
static int probe_pid(struct scx_probe_ctx *ctx)
{
	json_object_set_new(ctx->out, ctx->name, json_integer(getpid()));
	return 0;
}

static const struct scx_probe pid_table[] = {
	{ "p1", "pid", 0, 5000, probe_pid }, { "p2", "pid", 0, 5000, probe_pid },
	{ "p3", "pid", SCX_PROBE_READS_REPORT, 5000, probe_pid }, { "p4", "pid", 0, 5000, probe_pid },
	{ "p5", "pid", 0, 5000, probe_pid }, { "p6", "pid", SCX_PROBE_READS_REPORT, 5000, probe_pid },
	{ "p7", "pid", 0, 5000, probe_pid }, { "p8", "pid", 0, 5000, probe_pid },
	{ 0 }
};

static const struct scx_probe crash_table[] = {
	{ "p1", "pid", 0, 5000, probe_pid },
	{ "crashing", "crashes", SCX_PROBE_READS_REPORT, 5000, probe_crashing },
	{ "p2", "pid", SCX_PROBE_READS_REPORT, 5000, probe_pid },
	{ "p3", "pid", SCX_PROBE_READS_REPORT, 5000, probe_pid },
	{ 0 }
};

static void test_runner_workers(void **state)
{
	struct scx_options opts = { .sysroot = "" };
	json_t *report = json_object();
	pid_t seen[8];
	size_t n_seen = 0;

	scx_run_probes(pid_table, &opts, NULL, report);
	for (const struct scx_probe *p = pid_table; p->name; p++) {
		pid_t pid = (pid_t)json_integer_value(json_object_get(report, p->name));
		size_t i = 0;

		assert_string_equal(status_of(report, p->name, "status"), "ok");
		assert_true(pid > 0 && pid != getpid());
		while (i < n_seen && seen[i] != pid)
			i++;
		if (i == n_seen)
			seen[n_seen++] = pid;
	}
	assert_true(n_seen <= 2);
	json_decref(report);

	/* One after another (each reads the report): the crash ends the worker, p2 gets a new one. */
	report = json_object();
	scx_run_probes(crash_table, &opts, NULL, report);
	assert_non_null(strstr(status_of(report, "crashing", "reason"), "signal 11"));
	assert_string_equal(status_of(report, "p2", "status"), "ok");
	assert_string_equal(status_of(report, "p3", "status"), "ok");
	assert_true(json_integer_value(json_object_get(report, "p1")) !=
		    json_integer_value(json_object_get(report, "p2")));
	assert_int_equal(json_integer_value(json_object_get(report, "p2")),
			 json_integer_value(json_object_get(report, "p3")));
	json_decref(report);
}

static const struct scx_probe slow_table[] = {
	{ "good", "works", 0, 2000, probe_good },
	{ "hanging", "hangs for long", 0, 60000, probe_hanging },
	{ 0 }
};

/* SIGINT in the middle: exit 1, no bundle, no temporary file, no staging left. */
static void test_interrupted_collection_leaves_nothing(void **state)
{
	char dir[] = "/tmp/scx-test-intr.XXXXXX", out[PATH_MAX], tmp[PATH_MAX], cmd[PATH_MAX * 2];
	char *argv[] = { "collect", NULL };
	struct scx_options opts = { .sysroot = "", .output = out, .argc = 1, .argv = argv };
	int status;
	pid_t pid;

	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/b.tar.zst", dir);
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	assert_int_equal(mkdir(tmp, 0700), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("TMPDIR", tmp, 1);
		scx_log_quiet = 1;
		_exit(scx_collect(slow_table, &opts));
	}
	usleep(500000);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	/* The bundle folder holds nothing (no bundle, no .b.tar.zst.XXXXXX), staging is gone. */
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A %s)\" = tmp && test -z \"$(ls -A %s)\"", dir, tmp);
	assert_int_equal(system(cmd), 0);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_outcomes),
		cmocka_unit_test(test_runner_after_and_applies),
		cmocka_unit_test(test_runner_workers),
		cmocka_unit_test(test_collection_with_bad_probes),
		cmocka_unit_test(test_interrupted_collection_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
