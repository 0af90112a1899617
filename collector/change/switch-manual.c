// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stopping and starting a scheduler that was started by hand (see
 * switch-manual.h and restart-safety.h).  Reads /proc/PID/{environ,fd/1};
 * execveat(2) with AT_EMPTY_PATH (Linux 3.19).
 */
#include "switch-manual.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <unistd.h>

#include "model.h"
#include "reap.h"
#include "restart-safety.h"
#include "strv.h"
#include "util.h"

/* /proc/PID/environ as a NULL-terminated vector, or NULL. */
static char **strv_from_environ(pid_t pid)
{
	_cleanup_free_ char *buf = NULL;
	char path[64], **v;
	size_t len, n = 0, i = 0, k = 0;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	if (read_file_full(path, 1u << 20, &buf, &len, NULL) < 0)
		return NULL;
	for (size_t j = 0; j < len; j++)
		n += buf[j] == '\0';
	v = calloc(n + 2, sizeof(*v));
	if (!v)
		return NULL;
	while (i < len) {
		size_t l = strnlen(buf + i, len - i);

		if (l && !(v[k++] = strndup(buf + i, l))) {
			scx_strv_free(v);
			return NULL;
		}
		i += l + 1;
	}
	return v;
}

/*
 * What the process had that the restarted one must get again, not ours: its
 * cgroup (cgroup v2), resource limits, umask and CPU affinity.
 */
static void record_context(struct scx_switch *sw)
{
	_cleanup_free_ char *cg = NULL, *st = NULL;
	char path[64], *p;
	unsigned um;

	sw->umask = -1;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)sw->pid);
	if (read_file_full(path, 65536, &cg, NULL, NULL) >= 0 && (p = strstr(cg, "0::/")) &&
	    (p == cg || p[-1] == '\n')) {
		p[strcspn(p, "\n")] = '\0';
		if (!strstr(p + 3, "/.."))
			snprintf(sw->cgroup, sizeof(sw->cgroup), "%s", p + 3);
	}
	sw->have_limits = true;
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (prlimit(sw->pid, (enum __rlimit_resource)r, NULL, &sw->limits[r]) < 0)
			sw->have_limits = false;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)sw->pid);
	if (read_file_full(path, 65536, &st, NULL, NULL) >= 0 && (p = strstr(st, "\nUmask:")) &&
	    sscanf(p + 7, "%o", &um) == 1)
		sw->umask = (int)(um & 0777);
	sw->have_affinity = sched_getaffinity(sw->pid, sizeof(sw->affinity), &sw->affinity) == 0;
}

/* In the grandchild, as root still: the recorded context back (each best effort). */
static void restore_context(const struct scx_switch *sw)
{
	char path[PATH_MAX + 32];
	int fd;

	if (sw->cgroup[0]) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", sw->cgroup);
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0) {
			(void)!write(fd, "0", 1);
			close(fd);
		}
	}
	for (int r = 0; sw->have_limits && r < RLIM_NLIMITS; r++)
		(void)setrlimit((enum __rlimit_resource)r, &sw->limits[r]);
	if (sw->have_affinity)
		(void)sched_setaffinity(0, sizeof(sw->affinity), &sw->affinity);
	if (sw->umask >= 0)
		umask((mode_t)sw->umask);
}

/*
 * Its old output, reopened as its user: no symbolic link anywhere on the
 * path (openat2 RESOLVE_NO_SYMLINKS, Linux 5.6; else O_NOFOLLOW on the last
 * part), never waiting on a FIFO, and only a regular file.
 */
static int reopen_output(const char *path)
{
	struct open_how how = { .flags = O_WRONLY | O_APPEND | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK |
					 O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
	struct stat st;
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd < 0 && (errno == ENOSYS || errno == E2BIG))
		fd = open(path, (int)how.flags);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_WRONLY | O_APPEND);
	return fd;
}

/* A one-line refusal: why, and what to do instead. */
#define REFUSE(...) (snprintf(why, whylen, __VA_ARGS__), -EOPNOTSUPP)

/* Pin the process and its executable, and check that running it again as uid is safe. */
static int manual_pin(struct scx_switch *sw, const json_t *s, char *why, size_t whylen)
{
	const char *sha = json_string_value(json_object_get(s, "sha256"));
	char what[PATH_MAX + 64], got[65];
	uint64_t start;
	struct stat st;
	int r;

	if (scx_proc_start_time(sw->pid, &start) < 0 || scx_pidfd_pin(sw->pid, start, &sw->pidfd) < 0)
		return REFUSE("the scheduler process %d is gone or could not be pinned; run scx-report "
			      "again", (int)sw->pid);
	r = scx_exe_pin_open(sw->pid, &sw->exe_pin);
	if (r < 0)
		return REFUSE("the executable of the scheduler process %d could not be opened (%s), so "
			      "scx-report could not run that same file again; restart it through "
			      "scx.service or scx_loader", (int)sw->pid, strerror(-r));
	/* The exe we hold belongs to the process we pinned, not to a successor. */
	{
		uint64_t again;

		if (scx_proc_start_time(sw->pid, &again) < 0 || again != start)
			return REFUSE("the scheduler process %d exited while scx-report prepared the "
				      "paired run; run scx-report again", (int)sw->pid);
	}
	snprintf(sw->exe, sizeof(sw->exe), "%s", sw->exe_pin.path);
	if (!sha)
		return REFUSE("the identity probe could not hash the scheduler's binary, so scx-report "
			      "could not check that it runs the same file again; see scheduler.skipped "
			      "in the report");
	snprintf(sw->sha256, sizeof(sw->sha256), "%s", sha);
	r = scx_exe_pin_verify(&sw->exe_pin, sw->sha256, got);
	if (r < 0)
		return REFUSE("the scheduler's binary %s %s since the identity probe hashed it; run "
			      "scx-report again", sw->exe[0] ? sw->exe : "(deleted)",
			      r == -EBADMSG ? "changed" : "could not be read again");
	if (sw->uid == 0) {
		if (!sw->exe[0])
			return REFUSE("the scheduler's binary was deleted, so scx-report cannot check who "
				      "could have written it; it does not run it again as root. Restart "
				      "the scheduler from an installed binary and run scx-report again");
		if (fstat(sw->exe_pin.fd, &st) < 0)
			return -errno;
		r = scx_exe_runs_other_file(sw->exe, sw->argv, sw->cwd, what, sizeof(what));
		if (r > 0)
			return REFUSE("refusing to run the scheduler again as root: %s; install it as "
				      "a binary owned by root, or run it through scx.service", what);
		r = scx_exe_writable_by_others(sw->exe, &st, what, sizeof(what));
		if (r < 0)
			return REFUSE("cannot check who may write %s: %s", sw->exe, strerror(-r));
		if (r > 0)
			return REFUSE("refusing to run %s again as root: %s, so another user could replace "
				      "what root runs; install the scheduler where only root can write "
				      "(e.g. root:root mode 755 in /usr/local/bin) or run it through "
				      "scx.service", sw->exe, what);
	}
	return 0;
}

int scx_manual_prepare(struct scx_switch *sw, const json_t *s, char *why, size_t whylen)
{
	const json_t *rs = json_object_get(s, "restart");
	const json_t *uid = json_object_get(rs, "uid"), *gid = json_object_get(rs, "gid");
	char path[64], link[PATH_MAX];
	struct stat st;
	ssize_t n;

	sw->pid = (pid_t)json_integer_value(json_array_get(json_object_get(s, "pids"), 0));
	if (sw->pid <= 0 || !json_array_size(json_object_get(rs, "argv")))
		return REFUSE("the scheduler was started by hand, but its process or command line "
			      "could not be read, so it could not be started again; restart it through "
			      "scx.service or scx_loader and run scx-report again");
	/* Never a default: a missing user would become root. */
	if (!json_is_integer(uid) || !json_is_integer(gid) || json_integer_value(uid) < 0 ||
	    json_integer_value(gid) < 0)
		return REFUSE("the user or group of the scheduler process %d could not be read, so "
			      "scx-report does not know as whom to start it again; run scx-report again "
			      "as root", (int)sw->pid);
	sw->uid = (uid_t)json_integer_value(uid);
	sw->gid = (gid_t)json_integer_value(gid);
	sw->argv = scx_strv_from_json(json_object_get(rs, "argv"), NULL);
	/* The whole environment comes from the live process: the report keeps only part of it. */
	sw->env = strv_from_environ(sw->pid);
	if (!sw->env)
		sw->env = scx_strv_from_json(json_object_get(rs, "env") ? json_object_get(rs, "env")
								      : json_array(), NULL);
	if (!sw->argv || !sw->env)
		return -ENOMEM;
	snprintf(sw->cwd, sizeof(sw->cwd), "%s", json_string_value(json_object_get(rs, "cwd")) ?: "/");
	/* Where its output went: reopened later as its user, without following links. */
	snprintf(path, sizeof(path), "/proc/%d/fd/1", (int)sw->pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if (link[0] == '/' && stat(link, &st) == 0 && S_ISREG(st.st_mode))
			snprintf(sw->out_path, sizeof(sw->out_path), "%s", link);
	}
	record_context(sw);
	return manual_pin(sw, s, why, whylen);
}

/*
 * Grandchild: the scheduler run again as it was, detached from us: the pinned
 * file (descriptor 3 here), as its user, its output appended to where it went
 * before, opened as that user and without following a link.
 */
static void manual_exec(const struct scx_switch *sw)
{
	int in, out = -1;
	sigset_t none;

	if (dup2(sw->exe_pin.fd, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		_exit(126);
	syscall(SYS_close_range, 4u, ~0u, 0u);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	restore_context(sw);
	if (getuid() == 0 && sw->uid != 0 && setgroups(0, NULL) < 0)
		_exit(126);
	if (setgid(sw->gid) < 0 || setuid(sw->uid) < 0)
		_exit(126);
	if (chdir(sw->cwd) < 0 && chdir("/") < 0)
		_exit(126);
	in = open("/dev/null", O_RDONLY | O_CLOEXEC);	/* 0-2 only reach the scheduler */
	if (sw->out_path[0])
		out = reopen_output(sw->out_path);
	if (out < 0)
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (in >= 0)
		dup2(in, 0);
	if (out >= 0) {
		dup2(out, 1);
		dup2(out, 2);
	}
	syscall(SYS_execveat, 3, "", sw->argv, sw->env, AT_EMPTY_PATH);
	_exit(127);	/* never another file, never a PATH search */
}

/*
 * Fork the scheduler detached (setsid, double fork) and pin the new process:
 * the middle child stays until we hold a pidfd of its child, so the pid
 * cannot have been reused.
 */
int scx_manual_start(struct scx_switch *sw, char *err, size_t errlen)
{
	int p[2], hold[2], status, r;
	pid_t child, grandchild = -1;
	uint64_t start;
	char got[65];

	/* The same bytes the identity probe hashed, or nothing runs. */
	r = scx_exe_pin_verify(&sw->exe_pin, sw->sha256, got);
	if (r < 0)
		return errmsg(err, errlen, r == -EBADMSG ? -EPERM : r,
			      r == -EBADMSG ? "the binary %s was changed in place during the paired run "
			      "(sha256 now %.16s…, was %.16s…): scx-report never runs a changed binary; "
			      "start the scheduler again yourself" : "cannot read the binary %s again%s%s",
			      sw->exe[0] ? sw->exe : "(deleted)", r == -EBADMSG ? got : "",
			      r == -EBADMSG ? sw->sha256 : "");
	if (scx_exe_pin_replaced(&sw->exe_pin))
		sw->exe_replaced = true;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(hold, O_CLOEXEC) < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	child = fork();
	if (child < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		close(hold[0]);
		close(hold[1]);
		return r;
	}
	if (child == 0) {
		pid_t g;
		char c;

		setsid();
		g = fork();
		if (g == 0)
			manual_exec(sw);
		if (write(p[1], &g, sizeof(g)) < 0)
			_exit(1);
		close(hold[1]);
		(void)!read(hold[0], &c, 1);	/* until the parent has pinned g */
		_exit(g > 0 ? 0 : 1);
	}
	close(p[1]);
	close(hold[0]);
	if (read(p[0], &grandchild, sizeof(grandchild)) != (ssize_t)sizeof(grandchild))
		grandchild = -1;
	close(p[0]);
	if (sw->pidfd >= 0)
		close(sw->pidfd);
	sw->pidfd = -1;
	if (grandchild > 0 && scx_proc_start_time(grandchild, &start) >= 0)
		(void)scx_pidfd_pin(grandchild, start, &sw->pidfd);
	close(hold[1]);
	(void)scx_reap_bounded(child, &status, 5000);
	if (grandchild <= 0) {
		snprintf(err, errlen, "cannot start %s again: fork failed", sw->argv[0]);
		return -ECHILD;
	}
	sw->pid = grandchild;
	return 0;
}

