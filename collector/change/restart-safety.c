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
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
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

/* path opened O_PATH, if it is a regular file: the pin's fd, dev and ino.  -errno. */
static int pin_open(const char *path, struct scx_exe_pin *pin)
{
	struct stat st;
	int r;

	pin->fd = open(path, O_PATH | O_CLOEXEC);
	if (pin->fd < 0)
		return -errno;
	if (fstat(pin->fd, &st) < 0) {
		r = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		r = -EBADF;
	} else {
		pin->dev = st.st_dev;
		pin->ino = st.st_ino;
		return 0;
	}
	close(pin->fd);
	pin->fd = -1;
	return r;
}

int scx_exe_pin_open(pid_t pid, struct scx_exe_pin *ret_pin)
{
	struct scx_exe_pin pin = { .fd = -1 };
	char path[64];
	ssize_t n;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	r = pin_open(path, &pin);
	if (r < 0)
		return r;
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
	int r;

	if (path[0] != '/' || strlen(path) >= sizeof(pin.path))
		return -EINVAL;
	r = pin_open(path, &pin);
	if (r < 0)
		return r;
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

/*
 * A POSIX access ACL (the system.posix_acl_access xattr, read without libacl:
 * a 4-byte version 2, then {u16 tag, u16 perm, u32 id} entries) that gives
 * write to a named user or group other than root: 1 and what, else 0.  The
 * mode's group bits only show the ACL mask, so `-rwxrwxr-x+ root root` can
 * hide "user:1000:rwx".
 */
int scx_acl_writable_by_others(const char *path, char *what, size_t whatlen)
{
	enum { ACL_USER = 0x02, ACL_GROUP = 0x08, ACL_WRITE = 0x02 };
	unsigned char buf[4 + 8 * 128];
	ssize_t n = lgetxattr(path, "system.posix_acl_access", buf, sizeof(buf));

	if (n < 0)
		return errno == ENODATA || errno == ENOTSUP || errno == EOPNOTSUPP ? 0 : -errno;
	if (n < 4 || (n - 4) % 8) {
		snprintf(what, whatlen, "%s has an ACL scx-report cannot read", path);
		return 1;
	}
	for (ssize_t off = 4; off < n; off += 8) {
		uint16_t tag = (uint16_t)(buf[off] | buf[off + 1] << 8);
		uint16_t perm = (uint16_t)(buf[off + 2] | buf[off + 3] << 8);
		uint32_t id = (uint32_t)buf[off + 4] | (uint32_t)buf[off + 5] << 8 |
			      (uint32_t)buf[off + 6] << 16 | (uint32_t)buf[off + 7] << 24;

		if ((tag == ACL_USER || tag == ACL_GROUP) && (perm & ACL_WRITE) && id != 0) {
			snprintf(what, whatlen, "%s has an ACL giving write to %s %u", path,
				 tag == ACL_USER ? "user" : "group", (unsigned)id);
			return 1;
		}
	}
	return 0;
}

/*
 * Filesystems whose contents the server or a user-space daemon decides at
 * each read: a hash taken now binds nothing at exec time.
 */
int scx_fs_unbindable(const char *path, char *what, size_t whatlen)
{
	static const struct { unsigned long magic; const char *name; } fs[] = {
		{ 0x65735546, "FUSE" }, { 0x6969, "NFS" }, { 0x01021997, "9p" },
		{ 0xff534d42, "CIFS" }, { 0xfe534d42, "SMB2" }, { 0x517b, "SMB" },
		{ 0x00c36400, "Ceph" }, { 0x5346414f, "AFS" }, { 0x6b414653, "AFS" },
	};
	struct statfs sf;

	if (statfs(path, &sf) < 0)
		return -errno;
	for (size_t i = 0; i < ARRAY_SIZE(fs); i++)
		if ((unsigned long)sf.f_type == fs[i].magic) {
			snprintf(what, whatlen, "%s is on %s, whose contents a hash cannot bind", path,
				 fs[i].name);
			return 1;
		}
	return 0;
}

/* One file or folder: who besides root can change it?  1 and what, or 0. */
static int check_one(const char *path, const struct stat *st, bool folder, char *what,
		     size_t whatlen)
{
	int r;

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
	r = scx_acl_writable_by_others(path, what, whatlen);
	return r < 0 ? 0 : r;
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
	if (scx_fs_unbindable(path, what, whatlen) == 1)
		return 1;
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

/* Whether name (a basename) is a program that runs code it reads from elsewhere. */
static bool is_interpreter_name(const char *name)
{
	static const char *const prefixes[] = {
		"ld-linux", "ld.so", "ld-musl", "ld64.so", "python", "perl", "ruby", "node", "lua",
		"php", "tclsh", "wish", "java", "bash", "dash", "zsh", "ksh", "mksh", "busybox",
		"env", "pypy",
	};

	if (!strcmp(name, "sh") || !strcmp(name, "csh") || !strcmp(name, "tcsh"))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (startswith(name, prefixes[i]))
			return true;
	return false;
}

int scx_exe_runs_other_file(const char *exe, char *const *argv, const char *cwd, char *what,
			    size_t whatlen)
{
	const char *base = strrchr(exe, '/');

	base = base ? base + 1 : exe;
	if (is_interpreter_name(base)) {
		snprintf(what, whatlen, "its process runs %s, an interpreter or loader: the code it "
			 "runs (%s) is read from another file, which the pin and the hash of %s do "
			 "not cover", exe, argv && argv[0] && argv[1] ? argv[1] : "its arguments", exe);
		return 1;
	}
	/* Any other interpreter: a "#!" file among the first arguments. */
	for (size_t i = 1; argv && argv[0] && i < 3 && argv[i]; i++) {
		char path[PATH_MAX], magic[2];
		int fd;

		if (argv[i][0] == '-')
			continue;
		if (argv[i][0] == '/')
			snprintf(path, sizeof(path), "%s", argv[i]);
		else
			snprintf(path, sizeof(path), "%s/%s", cwd && *cwd ? cwd : "/", argv[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY);
		if (fd < 0)
			continue;
		if (read(fd, magic, 2) == 2 && magic[0] == '#' && magic[1] == '!') {
			close(fd);
			snprintf(what, whatlen, "its process runs %s on the script %s, which the pin "
				 "and the hash of %s do not cover", exe, path, exe);
			return 1;
		}
		close(fd);
	}
	return 0;
}

int scx_exe_is_script(int pin_fd, const char *path, char *what, size_t whatlen)
{
	char proc[64], magic[2];
	int fd, r = 0;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pin_fd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (read(fd, magic, 2) == 2 && magic[0] == '#' && magic[1] == '!') {
		snprintf(what, whatlen, "%s is a \"#!\" script: its interpreter, found when it runs, "
			 "is not pinned with it", path);
		r = 1;
	}
	close(fd);
	return r;
}
