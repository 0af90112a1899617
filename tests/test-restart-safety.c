// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restart safety (collector/change/restart-safety.c and the by-hand
 * preparation in paired-switch.c): pinning a live process and its
 * executable, the sha256 check, a file put in its place, who may write the
 * binary and the folders above it, and the refusals of scx_switch_prepare.
 * Real processes (a copy of /bin/sleep in a temporary folder) and real files
 * with modes; the ownership cases need root and are skipped without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "came-back.h"
#include "paired-switch.h"
#include "reap.h"
#include "restart-safety.h"
#include "util.h"
#include "test-util.h"

struct fixture {
	char dir[64];		/* mkdtemp, 0755 */
	char bin[128];		/* dir/scx_sleep: a copy of /bin/sleep */
	char sha[65];
	pid_t pid;		/* running bin */
};

static int copy_file(const char *from, const char *to, mode_t mode)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = read_file_full(from, 0, &buf, &len, NULL);

	return r < 0 ? r : write_file_full(to, buf, len, mode);
}

static pid_t spawn_sleep(const char *bin)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(bin, "scx_sleep", "60", (char *)NULL);
		_exit(127);
	}
	/* Until it runs bin (its exe is no longer ours). */
	wait_exe(pid, bin);
	return pid;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/scx-rs-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(chmod(f->dir, 0755), 0);
	snprintf(f->bin, sizeof(f->bin), "%s/scx_sleep", f->dir);
	assert_int_equal(copy_file("/bin/sleep", f->bin, 0755), 0);
	assert_int_equal(chmod(f->bin, 0755), 0);
	assert_int_equal(sha256_hex_file(f->bin, f->sha, NULL), 0);
	f->pid = spawn_sleep(f->bin);
	assert_true(f->pid > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	scx_kill_reap(f->pid, false, NULL, 5000);
	rm_rf(f->dir);
	free(f);
	return 0;
}

static void test_start_time_and_pidfd(void **state)
{
	struct fixture *f = *state;
	uint64_t st, st2;
	int pidfd = -1;

	assert_int_equal(scx_proc_start_time(f->pid, &st), 0);
	assert_true(st > 0);
	assert_int_equal(scx_proc_start_time(getpid(), &st2), 0);
	assert_true(st2 <= st);			/* we started before our child */
	{
		_cleanup_free_ char *buf = NULL;
		unsigned long long v = 0;

		/* Field 22, counted the plain way (our comm has no space or parenthesis). */
		assert_int_equal(read_file_full("/proc/self/stat", 4096, &buf, NULL, NULL), 0);
		assert_int_equal(sscanf(buf, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u "
					"%*u %*d %*d %*d %*d %*d %*d %llu", &v), 1);
		assert_int_equal(v, st2);
	}
	assert_int_equal(scx_proc_start_time(0x7ffffff0, &st2), -ENOENT);

	/* Another start time is another process, even under the same pid. */
	assert_int_equal(scx_pidfd_pin(f->pid, st + 1, &pidfd), -ESRCH);
	assert_int_equal(scx_pidfd_pin(f->pid, st, &pidfd), 0);
	assert_int_equal(scx_pidfd_wait_exit(pidfd, 100), -ETIMEDOUT);
	assert_int_equal(scx_pidfd_signal(pidfd, SIGTERM), 0);
	assert_int_equal(scx_pidfd_wait_exit(pidfd, 5000), 0);
	assert_int_equal(scx_reap_bounded(f->pid, NULL, 5000), 0);
	f->pid = spawn_sleep(f->bin);
	close(pidfd);
}

static void test_exe_pin(void **state)
{
	struct fixture *f = *state;
	struct scx_exe_pin pin;
	char got[65], other[160];

	assert_int_equal(scx_exe_pin_open(f->pid, &pin), 0);
	assert_string_equal(pin.path, f->bin);
	assert_int_equal(scx_exe_pin_verify(&pin, f->sha, got), 0);
	assert_string_equal(got, f->sha);
	assert_int_equal(scx_exe_pin_verify(&pin, "00", got), -EBADMSG);
	assert_int_equal(scx_exe_pin_replaced(&pin), 0);

	/* Another file renamed over the path: the pin still holds the original. */
	snprintf(other, sizeof(other), "%s/other", f->dir);
	assert_int_equal(write_file_full(other, "#!/bin/sh\ntouch /tmp/x\n", 23, 0755), 0);
	assert_int_equal(rename(other, f->bin), 0);
	assert_int_equal(scx_exe_pin_replaced(&pin), 1);
	assert_int_equal(scx_exe_pin_verify(&pin, f->sha, got), 0);
	unlink(f->bin);
	assert_int_equal(scx_exe_pin_replaced(&pin), 1);
	scx_exe_pin_close(&pin);
	assert_int_equal(pin.fd, -1);
}

static void test_changed_in_place(void **state)
{
	struct fixture *f = *state;
	struct scx_exe_pin pin;
	char got[65];
	int fd;

	assert_int_equal(scx_exe_pin_open(f->pid, &pin), 0);
	scx_kill_reap(f->pid, false, NULL, 5000);	/* no ETXTBSY once it stopped */
	fd = open(f->bin, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	assert_int_equal(scx_exe_pin_replaced(&pin), 0);	/* same file... */
	assert_int_equal(scx_exe_pin_verify(&pin, f->sha, got), -EBADMSG);	/* ...other bytes */
	assert_string_not_equal(got, f->sha);
	scx_exe_pin_close(&pin);
	f->pid = spawn_sleep("/bin/sleep");
}

static int writable(const char *path, char *what, size_t len)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return scx_exe_writable_by_others(path, &st, what, len);
}

static void test_writable_modes(void **state)
{
	struct fixture *f = *state;
	char what[PATH_MAX + 64];

	if (geteuid() != 0)
		skip();		/* every file here would be owned by a user other than root */
	/* /tmp is world-writable but sticky: others cannot replace root's files in it. */
	assert_int_equal(writable(f->bin, what, sizeof(what)), 0);
	assert_int_equal(chmod(f->bin, 0757), 0);
	assert_int_equal(writable(f->bin, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "writable by every user"));
	assert_non_null(strstr(what, f->bin));
	assert_int_equal(chmod(f->bin, 0775), 0);	/* group root: fine */
	assert_int_equal(writable(f->bin, what, sizeof(what)), 0);
	assert_int_equal(chown(f->bin, 0, 1000), 0);
	assert_int_equal(writable(f->bin, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "writable by group 1000"));
	assert_int_equal(chown(f->bin, 1000, 0), 0);
	assert_int_equal(chmod(f->bin, 0755), 0);
	assert_int_equal(writable(f->bin, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "owned by uid 1000"));
	assert_int_equal(chown(f->bin, 0, 0), 0);

	/* The folder above it. */
	assert_int_equal(chmod(f->dir, 0777), 0);
	assert_int_equal(writable(f->bin, what, sizeof(what)), 1);
	assert_non_null(strstr(what, f->dir));
	assert_null(strstr(what, "scx_sleep"));
	assert_int_equal(chmod(f->dir, 01777), 0);
	assert_int_equal(writable(f->bin, what, sizeof(what)), 0);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chown(f->dir, 1000, 0), 0);
	assert_int_equal(writable(f->bin, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "owned by uid 1000"));
	assert_int_equal(chown(f->dir, 0, 0), 0);
}

/* A report of f's process, started by hand, as uid/gid (negative: left out). */
static json_t *manual_report(const struct fixture *f, int uid, int gid, const char *sha)
{
	json_t *r = json_pack("{s:{s:b, s:s}, s:{s:s, s:[i], s:{s:[s], s:[], s:s}}}",
			      "sched_ext", "supported", 1, "ops", "simple",
			      "scheduler", "manager", "manual", "pids", (int)f->pid,
			      "restart", "argv", "scx_sleep", "env", "cwd", "/");
	json_t *rs = json_object_get(json_object_get(r, "scheduler"), "restart");

	if (uid >= 0)
		json_object_set_new(rs, "uid", json_integer(uid));
	if (gid >= 0)
		json_object_set_new(rs, "gid", json_integer(gid));
	if (sha)
		json_object_set_new(json_object_get(r, "scheduler"), "sha256", json_string(sha));
	return r;
}

static int prepare(json_t *r, char *why, size_t len)
{
	struct scx_switch *sw = NULL;
	int ret;

	why[0] = '\0';
	ret = scx_switch_prepare(r, true, &sw, why, len);
	scx_switch_free(sw);
	json_decref(r);
	return ret;
}

static void test_prepare_refusals(void **state)
{
	struct fixture *f = *state;
	char why[1024];

	/* No uid or gid: never root by default. */
	assert_int_equal(prepare(manual_report(f, -1, 0, f->sha), why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "user or group"));
	assert_int_equal(prepare(manual_report(f, 0, -1, f->sha), why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "user or group"));
	/* No hash, or another hash: cannot know it runs the same file. */
	assert_int_equal(prepare(manual_report(f, 0, 0, NULL), why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "could not hash"));
	assert_int_equal(prepare(manual_report(f, 0, 0, "ab"), why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "changed since the identity probe"));

	if (geteuid() != 0)
		return;
	/* World-writable binary as root: one line, why and what to do. */
	assert_int_equal(chmod(f->bin, 0777), 0);
	assert_int_equal(prepare(manual_report(f, 0, 0, f->sha), why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, "refusing to run"));
	assert_non_null(strstr(why, "writable by every user"));
	assert_non_null(strstr(why, "install the scheduler where only root can write"));
	assert_null(strchr(why, '\n'));
	/* The same binary for another user: that user could write it anyway. */
	(void)prepare(manual_report(f, 1000, 1000, f->sha), why, sizeof(why));
	assert_null(strstr(why, "refusing"));
	assert_int_equal(chmod(f->bin, 0755), 0);
}

/* Who brought it back: the process running the pinned file, and its parent. */
static void test_came_back(void **state)
{
	struct fixture *f = *state;
	struct scx_switch sw = { .manager = SCX_MGR_MANUAL, .pidfd = -1 };
	char *argv[] = { "scx_sleep", NULL }, buf[1024], cmd[256], want[64];
	pid_t wrapper, found;

	snprintf(sw.ops, sizeof(sw.ops), "simple");
	sw.argv = argv;
	assert_int_equal(scx_exe_pin_open(f->pid, &sw.exe_pin), 0);
	sw.pid = f->pid;	/* the one we stopped: not the answer */
	assert_int_equal(scx_came_back_describe(&sw, buf, sizeof(buf)), -ESRCH);
	assert_string_equal(buf, "an unknown process");

	/* A wrapper shell that runs it again (and stays its parent). */
	snprintf(cmd, sizeof(cmd), "%s 60; true", f->bin);
	wrapper = fork();
	if (wrapper == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/*
	 * Up to 30 s: on a loaded machine the wrapper's exec alone can take
	 * seconds.  And in the middle of its exec the process already shows
	 * the binary (/proc/PID/exe) while its command line is not set up yet
	 * (the kernel switches the memory first, then lays out the arguments):
	 * wait for the whole description, not only for the process.
	 */
	for (int i = 0; i < 6000; i++) {
		found = scx_came_back_describe(&sw, buf, sizeof(buf));
		snprintf(want, sizeof(want), "pid %d (%s 60, %s), started by pid %d (sh -c ", (int)found,
			 f->bin, f->bin, (int)wrapper);
		if (found > 0 && strstr(buf, want))
			break;
		usleep(5000);
	}
	assert_true(found > 0);
	if (!strstr(buf, want))
		print_error("described as \"%s\", expected it to hold \"%s\"\n", buf, want);
	assert_non_null(strstr(buf, want));
	scx_kill_reap(wrapper, false, NULL, 5000);
	kill(found, SIGKILL);
	scx_exe_pin_close(&sw.exe_pin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_time_and_pidfd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exe_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writable_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_came_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
