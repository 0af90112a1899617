// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scheduler's own voice: the scx_stats client against servers in a child process on a
 * temporary UNIX socket (one that follows the protocol, one that hangs, one that floods, one
 * that answers garbage, one that answers an error), its metadata and /proc/net/unix parsing,
 * and the debug-dump parser on a real SysRq-D trace (sched_ext-7.2.13/2-enabled) and a cut dump.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "dump-parse.h"
#include "formats.h"
#include "probes.h"
#include "scx-stats.h"
#include "test-util.h"
#include "watch.h"

enum mode { GOOD, HANG, FLOOD, BAD_JSON, ERRNO };

static const char meta_reply[] =
	"{\"errno\":0,\"args\":{\"resp\":{"
	"\"DomStats\":{\"name\":\"DomStats\",\"desc\":\"domain\",\"fields\":{"
	"\"load\":{\"datum\":\"float\",\"desc\":\"domain load\"}}},"
	"\"SysStats\":{\"name\":\"SysStats\",\"top\":\"true\",\"fields\":{"
	"\"at\":{\"datum\":\"u64\",\"desc\":\"timestamp\"},"
	"\"busy\":{\"datum\":\"float\",\"desc\":\"CPU busy %\"},"
	"\"doms\":{\"dict\":{\"key\":\"u64\",\"datum\":{\"struct\":\"DomStats\"}}},"
	"\"nr\":{\"array\":\"i64\"}}}}}}\n";
static const char stats_reply[] =
	"{\"errno\":0,\"args\":{\"resp\":{\"at\":12,\"busy\":45.5,\"name\":\"x\",\"doms\":{\"0\":{\"load\":1.0}}}}}\n";

static char sock_path[108];
static pid_t server;

static void serve(int lfd, enum mode m)
{
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		char buf[4096];
		ssize_t n;

		if (c < 0)
			_exit(1);
		while ((n = read(c, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			if (m == HANG) {
				pause();
			} else if (m == FLOOD) {
				static char junk[65536];

				memset(junk, 'x', sizeof(junk));
				for (;;)
					if (write(c, junk, sizeof(junk)) < 0)
						_exit(0);
			} else if (m == BAD_JSON) {
				(void)!write(c, "{\"errno\":0,\"args\":{\"resp\":[1,2\n", 31);
			} else if (m == ERRNO) {
				(void)!write(c, "{\"errno\":22,\"args\":{\"resp\":\"unknown stat target\"}}\n", 52);
			} else if (strstr(buf, "stats_meta")) {
				(void)!write(c, meta_reply, sizeof(meta_reply) - 1);
			} else if (strstr(buf, "\"target\":\"top\"")) {
				(void)!write(c, stats_reply, sizeof(stats_reply) - 1);
			}
		}
		close(c);
	}
}

static void start_server(enum mode m)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd;

	snprintf(sock_path, sizeof(sock_path), "/tmp/scx-test-stats.%d", (int)getpid());
	unlink(sock_path);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	server = fork();
	assert_true(server >= 0);
	if (server == 0) {
		serve(lfd, m);
		_exit(0);
	}
	close(lfd);
}

static void stop_server(void)
{
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	unlink(sock_path);
}

static const struct scx_stats_limits lim = { 300, 64 * 1024 };

static int ask(const char *req, const char *target, json_t **resp, char *why, size_t whylen)
{
	int fd = scx_stats_connect(sock_path, &lim, why, whylen), r;

	if (fd < 0)
		return fd;
	r = scx_stats_request(fd, req, target, &lim, resp, why, whylen);
	close(fd);
	return r;
}

static void test_good_server(void **state)
{
	json_t *meta = NULL, *stats = NULL, *fields, *vals;
	const char *top = NULL;
	char why[256];

	(void)state;
	start_server(GOOD);
	assert_int_equal(ask("stats_meta", NULL, &meta, why, sizeof(why)), 0);
	assert_int_equal(ask("stats", "top", &stats, why, sizeof(why)), 0);
	stop_server();

	fields = scx_stats_fields(meta, 100, &top);
	assert_string_equal(top, "SysStats");
	assert_int_equal(json_array_size(fields), 5);
	/* The top struct first, its fields in the server's (sorted) order. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0), "struct")), "SysStats");
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 0), "field")), "at");
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 1), "desc")), "CPU busy %");
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 2), "type")), "{u64:DomStats}");
	assert_null(json_object_get(json_array_get(fields, 2), "desc"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 3), "type")), "[i64]");
	assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 4), "struct")), "DomStats");

	vals = scx_stats_scalars(stats, 100);
	assert_int_equal(json_object_size(vals), 3);	/* at, busy, name: not the dict */
	assert_int_equal(json_integer_value(json_object_get(vals, "at")), 12);
	json_decref(vals);
	json_decref(fields);
	json_decref(meta);
	json_decref(stats);
}

static void expect_error(enum mode m, int want, const char *words)
{
	json_t *resp = (json_t *)1;
	char why[256] = "";
	uint64_t t0;
	int r;

	start_server(m);
	t0 = now_mono_ns();
	r = ask("stats", "top", &resp, why, sizeof(why));
	stop_server();
	assert_int_equal(r, want);
	assert_null(resp == (json_t *)1 ? NULL : resp);
	if (!strstr(why, words))
		fail_msg("reason '%s' lacks '%s'", why, words);
	/* Bounded: about the 300 ms deadline, never the server's pace (generous for a loaded CI). */
	assert_true(now_mono_ns() - t0 < 5000000000ull);
}

static void test_hanging_server(void **state)
{
	(void)state;
	expect_error(HANG, -ETIMEDOUT, "no whole reply within 300 ms");
}

static void test_flooding_server(void **state)
{
	(void)state;
	expect_error(FLOOD, -EMSGSIZE, "reply longer than 65536 bytes");
}

static void test_bad_json_server(void **state)
{
	(void)state;
	expect_error(BAD_JSON, -EBADMSG, "not JSON");
}

static void test_errno_server(void **state)
{
	(void)state;
	expect_error(ERRNO, -EPROTO, "errno 22: \"unknown stat target\"");
}

static void test_no_socket(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(scx_stats_connect("/nonexistent/scx/stats", &lim, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "/nonexistent/scx/stats"));
}

static void test_unix_listeners(void **state)
{
	static const char text[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 4242 /var/run/scx/root/stats\n"
		"0000000000000000: 00000003 00000000 00000000 0001 03 4243\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 5555 /run/other\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 4244 /run/dgram\n";
	unsigned long inodes[] = { 4243, 4242, 4244 };
	json_t *paths = json_array();

	(void)state;
	scx_stats_unix_listeners(text, inodes, 3, paths);
	assert_int_equal(json_array_size(paths), 1);
	assert_string_equal(json_string_value(json_array_get(paths, 0)), "/var/run/scx/root/stats");
	json_decref(paths);
}

static void test_dump_sysrq_trace(void **state)
{
	size_t len, tlen;
	char *trace = read_test_file("SCX_TEST_DATA", "sched_ext-7.2.13/2-enabled/sysrq-D-trace.txt", &len);
	char *text;
	json_t *d;

	(void)state;
	assert_int_equal(scx_trace_dump_text(trace, len, &text, &tlen), 0);
	d = scx_dump_parse(text, tlen);
	assert_string_equal(json_string_value(json_object_get(d, "ops")),
			    "ringo_2.0.1_g0a1b2c3d_x86_64_unknown_linux_gnu");
	assert_string_equal(json_string_value(json_object_get(d, "trigger")), "sysrq");
	assert_string_equal(json_string_value(json_object_get(d, "triggered_by")), "SysRq-D");
	assert_int_equal(json_integer_value(json_object_get(d, "cpus")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "tasks")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d, "events"),
							     "SCX_EV_REFILL_SLICE_DFL")), 268);
	assert_int_equal(json_integer_value(json_object_get(d, "lines")), 41);
	assert_false(json_is_true(json_object_get(d, "truncated")));
	json_decref(d);
	free(text);
	free(trace);
}

static void test_dump_exit_truncated(void **state)
{
	static const char text[] =
		"swapper/1[0] triggered exit kind 1026 on CPU 1:\n"
		"  runnable task stall (watchdog failed to check in for 1.004s)\n"
		"\n"
		"Backtrace:\n"
		"  __scx_exit+0x4f/0x70\n"
		"  scx_tick+0x9f/0xb0\n"
		"\n"
		"CPU states\n"
		"----------\n"
		"\n"
		"CPU 1   : nr_run=3 flags=0x1 cpu_rel=0 ksync=520\n"
		"  R rcu_preempt[15] *root -972ms\n"
		" *R kworker/1:0[20] *root -10ms\n"
		"~~~~ TRUNCATED ~~~~\n";
	json_t *d = scx_dump_parse(text, sizeof(text) - 1);

	(void)state;
	assert_string_equal(json_string_value(json_object_get(d, "trigger")), "exit");
	assert_string_equal(json_string_value(json_object_get(d, "triggered_by")), "swapper/1[0]");
	assert_int_equal(json_integer_value(json_object_get(d, "exit_kind")), 1026);
	assert_string_equal(json_string_value(json_object_get(d, "reason")),
			    "runnable task stall (watchdog failed to check in for 1.004s)");
	assert_int_equal(json_array_size(json_object_get(d, "backtrace")), 2);
	assert_int_equal(json_integer_value(json_object_get(d, "tasks")), 2);
	assert_true(json_is_true(json_object_get(d, "truncated")));
	assert_null(json_object_get(d, "events"));
	json_decref(d);
}


static char *summary_of(const char *json)
{
	json_t *r = json_loads(json, 0, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(r);
	assert_non_null(f);
	scx_summary_render(f, r);
	fclose(f);
	json_decref(r);
	return text;
}

/* A cut dump in the history is flagged with how to get the whole one. */
static void test_summary_truncated_dump(void **state)
{
	char *t = summary_of("{\"sched_ext\":{\"supported\":true,\"state\":\"disabled\"},"
			     "\"history\":[{\"event\":\"error\",\"ops\":\"lavd\",\"dump\":"
			     "[\"DEBUG DUMP\",\"CPU states\",\"~~~~ TRUNCATED ~~~~\",\"\"]}],"
			     "\"hang_readiness\":{\"known\":true,\"would_survive_hard_hang\":true,"
			     "\"survivors\":[\"kdump\"]}}");

	(void)state;
	assert_non_null(strstr(t, "1 debug dump(s) end in `~~~~ TRUNCATED ~~~~`"));
	assert_non_null(strstr(t, "--exit-dump-len"));
	assert_non_null(strstr(t, "scx-report-watch"));
	assert_non_null(strstr(t, "a hard hang would leave its panic log (kdump)"));
	free(t);
}

/* Sluggish (CPU pressure) with a scheduler and no ejection: the summary prompts for --dump. */
static void test_summary_dump_prompt(void **state)
{
	char *t = summary_of("{\"sched_ext\":{\"supported\":true,\"state\":\"enabled\",\"ops\":\"lavd\"},"
			     "\"history\":[{\"event\":\"enabled\"}],"
			     "\"system\":{\"pressure_cpu\":{\"some\":{\"avg10\":35.0}}}}");
	char *u = summary_of("{\"sched_ext\":{\"supported\":true,\"state\":\"enabled\",\"ops\":\"lavd\"},"
			     "\"history\":[{\"event\":\"enabled\"}],"
			     "\"system\":{\"pressure_cpu\":{\"some\":{\"avg10\":2.0}}}}");

	(void)state;
	assert_non_null(strstr(t, "`scx-report collect --dump`"));
	assert_null(strstr(u, "--dump"));
	free(t);
	free(u);
}

/*
 * Where the scheduler's output goes, in a made-up tree: stdout a log file (its tail kept, the
 * last lines listed), stderr a terminal (said, with how to keep it next time); a symbolic link
 * where the log should be is not followed.
 */
static void test_sched_output_tree(void **state)
{
	char root[] = "/tmp/scx-test-output.XXXXXX", path[PATH_MAX], big[100000];
	struct scx_probe_opts opts = { .sysroot = "" };
	json_t *report = json_pack("{s:{s:{s:i}}}", "scheduler", "process", "pid", 4242), *o, *s0, *s1;
	struct scx_probe_ctx ctx = { .name = "scheduler_output", .report = report, .opts = &opts };

	(void)state;
	assert_non_null(mkdtemp(root));
	opts.sysroot = root;
	snprintf(path, sizeof(path), "%s/proc/4242/fd", root);
	assert_int_equal(mkdir_parents(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/var/log", root);
	assert_int_equal(mkdir_parents(path, 0755), 0);
	/* 100000 bytes: lines "line N", the last one "the end". */
	{
		size_t off = 0;

		for (int i = 0; off < sizeof(big) - 40; i++)
			off += (size_t)snprintf(big + off, sizeof(big) - off, "line %d\n", i);
		off += (size_t)snprintf(big + off, sizeof(big) - off, "the end\n");
		snprintf(path, sizeof(path), "%s/var/log/sched.log", root);
		assert_int_equal(write_file_full(path, big, off, 0644), 0);
	}
	snprintf(path, sizeof(path), "%s/proc/4242/fd/1", root);
	assert_int_equal(symlink("/var/log/sched.log", path), 0);
	snprintf(path, sizeof(path), "%s/proc/4242/fd/2", root);
	assert_int_equal(symlink("/dev/pts/3", path), 0);
	ctx.stage_dir = root;
	ctx.out = json_object();
	assert_int_equal(probe_sched_output(&ctx), 0);
	o = json_object_get(ctx.out, "scheduler_output");
	s0 = json_array_get(json_object_get(o, "streams"), 0);
	s1 = json_array_get(json_object_get(o, "streams"), 1);
	assert_string_equal(json_string_value(json_object_get(s0, "kind")), "file");
	assert_int_equal(json_integer_value(json_object_get(s0, "tail_bytes")), 65536);
	assert_true(json_is_true(json_object_get(s0, "truncated")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(s0, "last_lines"), 19)), "the end");
	assert_string_equal(json_string_value(json_object_get(s1, "kind")), "terminal");
	assert_non_null(strstr(json_string_value(json_object_get(o, "advice")), ">>/var/log/scx-scheduler.log 2>&1"));
	snprintf(path, sizeof(path), "%s/scheduler_output/fd1.tail", root);
	assert_int_equal(access(path, R_OK), 0);
	json_decref(ctx.out);

	/* The log replaced by a symbolic link to a secret: not followed. */
	snprintf(path, sizeof(path), "%s/var/log/sched.log", root);
	unlink(path);
	assert_int_equal(symlink("/etc/shadow", path), 0);
	ctx.out = json_object();
	assert_int_equal(probe_sched_output(&ctx), 0);
	s0 = json_array_get(json_object_get(json_object_get(ctx.out, "scheduler_output"), "streams"), 0);
	assert_null(json_object_get(s0, "tail"));
	assert_string_equal(json_string_value(json_object_get(s0, "reason")), "not read: a symbolic link");
	json_decref(ctx.out);
	json_decref(report);
	rm_rf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_server),
		cmocka_unit_test(test_hanging_server),
		cmocka_unit_test(test_flooding_server),
		cmocka_unit_test(test_bad_json_server),
		cmocka_unit_test(test_errno_server),
		cmocka_unit_test(test_no_socket),
		cmocka_unit_test(test_unix_listeners),
		cmocka_unit_test(test_dump_sysrq_trace),
		cmocka_unit_test(test_dump_exit_truncated),
		cmocka_unit_test(test_summary_truncated_dump),
		cmocka_unit_test(test_summary_dump_prompt),
		cmocka_unit_test(test_sched_output_tree),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
