// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event-driven wait for sched_ext's state (lib/scx-state.c) without a
 * kernel: sysfs is a temp dir laid out as /sys/kernel/sched_ext, the uevent
 * socket a socketpair fed with kernel-style datagrams.  A helper process
 * changes the "sysfs" only after it has seen (inotify) the wait read it, so
 * the order of reads and events is fixed: nothing here depends on timing.
 * The waits get a 60 s safety interval and deadline, so one that misses an
 * event fails the assertions instead of finding the state by polling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "reap.h"
#include "scx-state.h"
#include "test-util.h"
#include "uevent.h"

#define FAR_NS (60ull * 1000000000ull)

/* fifo enabled again: the enable after the 7th. */
static const struct scx_want fifo8 = { .loaded = true, .ops = "fifo", .settled = true, .seq_after = 7 };

struct fake {
	char dir[64];
	int sp[2];	/* [0] the wait's "uevent socket", [1] the kernel's end */
	int ino;	/* inotify on dir: IN_CLOSE_NOWRITE of enable_seq, a read's last file */
};

static void put(const struct fake *f, const char *name, const char *val)
{
	char path[256], tmp[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", val);
	fclose(fp);
	assert_int_equal(rename(tmp, path), 0);
}

static void drop(const struct fake *f, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	unlink(path);
}

static void fake_setup(struct fake *f, const char *state, const char *ops, const char *seq)
{
	char root[128];

	snprintf(f->dir, sizeof(f->dir), "/tmp/test-scx-state-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(root, sizeof(root), "%s/root", f->dir);
	assert_int_equal(mkdir(root, 0755), 0);
	put(f, "state", state);
	if (ops)
		put(f, "root/ops", ops);
	put(f, "enable_seq", seq);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, f->sp), 0);
	f->ino = inotify_init1(IN_CLOEXEC);
	assert_true(f->ino >= 0);
	assert_true(inotify_add_watch(f->ino, f->dir, IN_CLOSE_NOWRITE) >= 0);
}

static void fake_done(struct fake *f)
{
	char cmd[128];

	close(f->sp[0]);
	close(f->sp[1]);
	close(f->ino);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
}

/* In the helper: block until the wait has read the whole state once more. */
static void await_read(const struct fake *f)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t n = read(f->ino, buf, sizeof(buf));

		if (n <= 0)
			_exit(90);
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;

			if (e->len && !strcmp(e->name, "enable_seq"))
				return;
			p += sizeof(*e) + e->len;
		}
	}
}

static void send_event(const struct fake *f, const char *action, const char *ops)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s@/kernel/sched_ext/root%cACTION=%s%cSUBSYSTEM=sched_ext",
			 action, 0, action, 0);

	if (ops)
		n += snprintf(msg + n + 1, sizeof(msg) - (size_t)n - 1, "SCXOPS=%s", ops) + 1;
	if (send(f->sp[1], msg, (size_t)n + 1, 0) < 0)
		_exit(91);
}

/* The fake sysfs, then a helper process (pid 0 in it) that changes it. */
static pid_t setup_fork(struct fake *f, const char *state, const char *ops, const char *seq)
{
	pid_t pid;

	fake_setup(f, state, ops, seq);
	pid = fork();
	assert_true(pid >= 0);
	return pid;
}

static void reap_helper(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static const struct scx_wait_opts *opts(const struct fake *f, struct scx_wait_opts *o)
{
	*o = (struct scx_wait_opts){ .sysfs = f->dir, .uevent_fd = f->sp[0], .any_sender = true,
				     .pidfd = -1, .safety_ms = 60000 };
	return o;
}

static void test_read(void **state)
{
	struct scx_sysfs_state st;
	struct fake f;

	fake_setup(&f, "enabled", "fifo", "7");
	scx_sysfs_read_at(f.dir, &st);
	assert_string_equal(st.state, "enabled");
	assert_string_equal(st.ops, "fifo");
	assert_int_equal(st.enable_seq, 7);
	fake_done(&f);
	/* No sched_ext at all. */
	scx_sysfs_read_at("/nonexistent", &st);
	assert_string_equal(st.state, "");
	assert_string_equal(st.ops, "");
	assert_int_equal(st.enable_seq, -1);
}

static void test_want(void **state)
{
	struct scx_sysfs_state on = { "enabled", "fifo", 3 }, going = { "disabling", "", 3 },
			       off = { "disabled", "", 3 }, coming = { "enabling", "fifo", 2 };
	struct scx_want gone = { .loaded = false, .settled = true }, gone_any = { .loaded = false };
	struct scx_want fifo = { .loaded = true, .ops = "fifo", .settled = true, .seq_after = 2 };
	struct scx_want any = { .loaded = true, .seq_after = INT64_MIN };
	struct scx_want other = { .loaded = true, .ops = "simple", .seq_after = INT64_MIN };

	assert_true(scx_want_met(&gone, &off));
	assert_false(scx_want_met(&gone, &going));	/* root/ops gone a moment before state */
	assert_true(scx_want_met(&gone_any, &going));
	assert_false(scx_want_met(&gone, &on));
	assert_true(scx_want_met(&fifo, &on));
	assert_false(scx_want_met(&fifo, &coming));	/* ops early, not enabled, seq not counted */
	coming.enable_seq = 3;
	assert_false(scx_want_met(&fifo, &coming));
	strcpy(coming.state, "enabled");
	coming.enable_seq = 2;
	assert_false(scx_want_met(&fifo, &coming));	/* enabled, enable_seq not yet counted */
	assert_true(scx_want_met(&any, &coming));
	assert_false(scx_want_met(&other, &on));
	assert_false(scx_want_met(&any, &off));
}

/* Met at the first read: no waiting, no event needed. */
static void test_at_once(void **state)
{
	struct scx_want fifo = { .loaded = true, .ops = "fifo", .settled = true, .seq_after = 6 };
	struct scx_wait_stats s;
	struct scx_wait_opts o;
	struct fake f;

	fake_setup(&f, "enabled", "fifo", "7");
	assert_int_equal(scx_state_wait(&fifo, now_mono_ns() + FAR_NS, opts(&f, &o), NULL, &s), 0);
	assert_int_equal(s.reads, 1);
	assert_int_equal(s.events, 0);
	assert_false(s.polled);
	fake_done(&f);
}

/* A stop: the `remove` event wakes the wait, which reads sysfs again and is done. */
static void test_event_wakes(void **state)
{
	struct scx_want gone = { .loaded = false, .settled = true };
	struct scx_sysfs_state last;
	struct scx_wait_stats s;
	struct scx_wait_opts o;
	struct fake f;
	pid_t pid;

	pid = setup_fork(&f, "enabled", "fifo", "7");
	if (pid == 0) {
		await_read(&f);
		/* An event of another device first: ignored, no re-read. */
		if (send(f.sp[1], "add@/devices/virtual/net/x\0ACTION=add", 38, 0) < 0)
			_exit(92);
		drop(&f, "root/ops");
		put(&f, "state", "disabled");
		send_event(&f, "remove", NULL);
		_exit(0);
	}
	assert_int_equal(scx_state_wait(&gone, now_mono_ns() + FAR_NS, opts(&f, &o), &last, &s), 0);
	reap_helper(pid);
	assert_string_equal(last.state, "disabled");
	assert_int_equal(s.events, 1);
	assert_int_equal(s.safety, 0);
	assert_int_equal(s.reads, 2);
	fake_done(&f);
}

/*
 * The kernel's order on enable: state "enabled", the `add` event, and only
 * then enable_seq counted.  The event comes before what the wait wants; the
 * follow-up re-reads after it find enable_seq counted, without waiting for
 * the safety interval.
 */
static void test_event_before_state(void **state)
{
	struct scx_sysfs_state last;
	struct scx_wait_stats s;
	struct scx_wait_opts o;
	struct fake f;
	pid_t pid;

	pid = setup_fork(&f, "disabled", NULL, "7");
	if (pid == 0) {
		await_read(&f);
		put(&f, "root/ops", "fifo");
		put(&f, "state", "enabled");
		send_event(&f, "add", "fifo");
		await_read(&f);		/* the re-read the event caused: enable_seq still 7 */
		put(&f, "enable_seq", "8");
		_exit(0);
	}
	assert_int_equal(scx_state_wait(&fifo8, now_mono_ns() + FAR_NS, opts(&f, &o), &last, &s), 0);
	reap_helper(pid);
	assert_int_equal(last.enable_seq, 8);
	assert_int_equal(s.events, 1);
	assert_true(s.followups >= 1);
	assert_int_equal(s.safety, 0);
	fake_done(&f);
}

/* A lost event (the socket overran) is found by the safety re-read. */
static void test_safety(void **state)
{
	struct scx_want gone = { .loaded = false };
	struct scx_wait_stats s;
	struct scx_wait_opts o;
	struct fake f;
	pid_t pid;

	pid = setup_fork(&f, "enabled", "fifo", "7");
	if (pid == 0) {
		await_read(&f);
		drop(&f, "root/ops");	/* and no event */
		_exit(0);
	}
	opts(&f, &o);
	o.safety_ms = 1;
	assert_int_equal(scx_state_wait(&gone, now_mono_ns() + FAR_NS, &o, NULL, &s), 0);
	reap_helper(pid);
	assert_int_equal(s.events, 0);
	assert_true(s.safety >= 1);
	fake_done(&f);
}

/* The watched process (a restarted scheduler) dies before loading: -ESRCH, not the deadline. */
static void test_pidfd(void **state)
{
	struct scx_wait_stats s;
	struct scx_wait_opts o;
	struct fake f;
	pid_t pid;

	pid = setup_fork(&f, "disabled", NULL, "7");
	if (pid == 0)
		_exit(1);
	opts(&f, &o);
	o.pidfd = scx_pidfd_open(pid);
	if (o.pidfd < 0) {
		waitpid(pid, NULL, 0);
		fake_done(&f);
		skip();
	}
	assert_int_equal(scx_state_wait(&fifo8, now_mono_ns() + FAR_NS, &o, NULL, &s), -ESRCH);
	close(o.pidfd);
	waitpid(pid, NULL, 0);
	fake_done(&f);
}

static void test_timeout_and_fallback(void **state)
{
	struct scx_want fifo = { .loaded = true, .ops = "fifo", .seq_after = INT64_MIN };
	struct scx_wait_stats s;
	struct scx_wait_opts o;
	struct fake f;

	fake_setup(&f, "disabled", NULL, "7");
	assert_int_equal(scx_state_wait(&fifo, now_mono_ns() + 20000000ull, opts(&f, &o), NULL, &s),
			 -ETIMEDOUT);
	assert_false(s.polled);
	/* Without uevents: the 50 ms polling, said so in the stats. */
	o.uevent_fd = -1;
	o.no_uevents = true;
	assert_int_equal(scx_state_wait(&fifo, now_mono_ns() + 20000000ull, &o, NULL, &s), -ETIMEDOUT);
	assert_true(s.polled);
	put(&f, "root/ops", "fifo");
	assert_int_equal(scx_state_wait(&fifo, now_mono_ns() + FAR_NS, &o, NULL, &s), 0);
	fake_done(&f);
}

/* A datagram without the kernel's netlink address is not believed. */
static void test_sender(void **state)
{
	struct scx_uevent u;
	struct fake f;

	fake_setup(&f, "disabled", NULL, "7");
	send_event(&f, "remove", NULL);
	assert_int_equal(scx_uevent_recv(f.sp[0], MSG_DONTWAIT, false, &u), 0);
	send_event(&f, "add", "fifo");
	assert_int_equal(scx_uevent_recv(f.sp[0], MSG_DONTWAIT, true, &u), 1);
	assert_string_equal(u.action, "add");
	assert_string_equal(u.scxops, "fifo");
	assert_true(scx_uevent_is_root(&u));
	assert_int_equal(scx_uevent_recv(f.sp[0], MSG_DONTWAIT, true, &u), -EAGAIN);
	fake_done(&f);
}

static volatile sig_atomic_t stopped;

static void on_usr1(int sig)
{
	stopped = sig;
}

/* sleep_until_ns ends on the signal that sets its stop flag, not at its end (60 s away). */
static void test_sleep_signal(void **state)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	pid_t parent = getpid(), pid;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	stopped = 0;
	assert_int_equal(sleep_until_ns(now_mono_ns() + 1000000ull, &stopped), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		kill(parent, SIGUSR1);
		_exit(0);
	}
	assert_int_equal(sleep_until_ns(now_mono_ns() + FAR_NS, &stopped), -EINTR);
	assert_int_equal(stopped, SIGUSR1);
	waitpid(pid, NULL, 0);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_want),
		cmocka_unit_test(test_at_once),
		cmocka_unit_test(test_event_wakes),
		cmocka_unit_test(test_event_before_state),
		cmocka_unit_test(test_safety),
		cmocka_unit_test(test_pidfd),
		cmocka_unit_test(test_timeout_and_fallback),
		cmocka_unit_test(test_sender),
		cmocka_unit_test(test_sleep_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
