// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pinning and checking the scheduler process and executable that a paired
 * run stops and runs again by hand (see restart-safety.h).  Reads
 * /proc/PID/{stat,exe}; pidfd_open and pidfd_send_signal (Linux 5.3+).
 */
#include "restart-safety.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int scx_proc_start_time(pid_t pid, uint64_t *ret_start)
{
	_cleanup_free_ char *buf = NULL;
	char path[64], *p;
	uint64_t v;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	r = read_file_full(path, 4096, &buf, NULL, NULL);
	if (r < 0)
		return r;
	/* After the comm, which may hold spaces and ')': " S ppid ...", field 3 is the state. */
	p = strrchr(buf, ')');
	if (!p)
		return -EBADMSG;
	p++;
	/* p is on the space before field 3; move to the one before field 22. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EBADMSG;
	}
	p++;
	p[strcspn(p, " ")] = '\0';
	if (safe_atou64(p, &v) < 0)
		return -EBADMSG;
	*ret_start = v;
	return 0;
}

int scx_pidfd_pin(pid_t pid, uint64_t start_time, int *ret_pidfd)
{
	uint64_t now;
	int fd, r;

	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -errno;
	/* The pidfd refers to whatever had the pid when opened: is it still the one we saw? */
	r = scx_proc_start_time(pid, &now);
	if (r < 0 || now != start_time) {
		close(fd);
		return r < 0 ? r : -ESRCH;
	}
	*ret_pidfd = fd;
	return 0;
}

int scx_pidfd_signal(int pidfd, int sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 ? -errno : 0;
}

int scx_pidfd_wait_exit(int pidfd, unsigned timeout_ms)
{
	uint64_t deadline = now_mono_ns() + (uint64_t)timeout_ms * 1000000ull;

	for (;;) {
		struct pollfd p = { pidfd, POLLIN, 0 };
		uint64_t now = now_mono_ns();
		int n;

		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)((deadline - now) / 1000000ull) + 1);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int scx_exe_pin_open(pid_t pid, struct scx_exe_pin *ret_pin)
{
	struct scx_exe_pin pin = { .fd = -1 };
	char path[64];
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	pin.fd = open(path, O_PATH | O_CLOEXEC);
	if (pin.fd < 0)
		return -errno;
	if (fstat(pin.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int r = S_ISREG(st.st_mode) ? -errno : -EBADF;

		close(pin.fd);
		return r;
	}
	pin.dev = st.st_dev;
	pin.ino = st.st_ino;
	n = readlink(path, pin.path, sizeof(pin.path) - 1);
	pin.path[n > 0 ? n : 0] = '\0';
	if (endswith(pin.path, " (deleted)"))
		pin.path[0] = '\0';
	*ret_pin = pin;
	return 0;
}

int scx_exe_pin_path(const char *path, struct scx_exe_pin *ret_pin)
{
	struct scx_exe_pin pin = { .fd = -1 };
	struct stat st;

	if (path[0] != '/' || strlen(path) >= sizeof(pin.path))
		return -EINVAL;
	pin.fd = open(path, O_PATH | O_CLOEXEC);
	if (pin.fd < 0)
		return -errno;
	if (fstat(pin.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int r = S_ISREG(st.st_mode) ? -errno : -EBADF;

		close(pin.fd);
		return r;
	}
	pin.dev = st.st_dev;
	pin.ino = st.st_ino;
	snprintf(pin.path, sizeof(pin.path), "%s", path);
	*ret_pin = pin;
	return 0;
}

void scx_exe_pin_close(struct scx_exe_pin *pin)
{
	if (pin->fd >= 0)
		close(pin->fd);
	pin->fd = -1;
}

int scx_exe_pin_verify(const struct scx_exe_pin *pin, const char *want_hex, char got_hex[65])
{
	char path[64];
	int r;

	/* Reopening the O_PATH descriptor through /proc reads that very inode. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pin->fd);
	r = sha256_hex_file(path, got_hex, NULL);
	if (r < 0)
		return r;
	return want_hex && !strcmp(want_hex, got_hex) ? 0 : -EBADMSG;
}

int scx_exe_pin_replaced(const struct scx_exe_pin *pin)
{
	struct stat st;

	if (!pin->path[0] || stat(pin->path, &st) < 0)
		return 1;
	return st.st_dev != pin->dev || st.st_ino != pin->ino;
}

/* One file or folder: who besides root can change it?  1 and what, or 0. */
static int check_one(const char *path, const struct stat *st, bool folder, char *what,
		     size_t whatlen)
{
	if (st->st_uid != 0) {
		snprintf(what, whatlen, "%s is owned by uid %u", path, (unsigned)st->st_uid);
		return 1;
	}
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0) {
		snprintf(what, whatlen, "%s is writable by group %u", path, (unsigned)st->st_gid);
		return 1;
	}
	if ((st->st_mode & S_IWOTH) && !(folder && (st->st_mode & S_ISVTX))) {
		snprintf(what, whatlen, "%s is writable by every user (mode %04o)", path,
			 (unsigned)(st->st_mode & 07777));
		return 1;
	}
	return 0;
}

int scx_exe_writable_by_others(const char *path, const struct stat *file_st, char *what,
			       size_t whatlen)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash;

	if (check_one(path, file_st, false, what, whatlen))
		return 1;
	if (path[0] != '/' || strlen(path) >= sizeof(dir))
		return -EINVAL;
	snprintf(dir, sizeof(dir), "%s", path);
	/* Each folder above it, up to /: whoever can rename entries there can swap the file. */
	while ((slash = strrchr(dir, '/'))) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (lstat(dir, &st) < 0)
			return -errno;
		if (check_one(dir, &st, true, what, whatlen))
			return 1;
		if (!strcmp(dir, "/"))
			break;
	}
	return 0;
}
