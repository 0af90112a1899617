/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Restarting a scheduler "by hand" safely, as root (paired-switch.c):
 * restart what was stopped, and only that.
 *
 * - The process is pinned when the paired run is prepared: a pidfd and its
 *   start time (/proc/PID/stat field 22), so a signal never reaches a process
 *   that reused the pid.
 * - Its executable is kept open (O_PATH) and that very file is run again
 *   (execveat AT_EMPTY_PATH): a file put at the same path later never runs.
 *   Before each run its sha256 is compared with the identity probe's.
 * - As root, a binary that another user can write, or that sits in a folder
 *   another user can write, is refused: whoever can write it would get root.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct scx_exe_pin {
	int fd;			/* O_PATH, O_CLOEXEC of the executable, -1 */
	dev_t dev;
	ino_t ino;
	char path[PATH_MAX];	/* where it was when pinned ("" when deleted) */
};

/* Field 22 of /proc/PID/stat (clock ticks since boot). */
int scx_proc_start_time(pid_t pid, uint64_t *ret_start);

/* A pidfd of PID, checked to be the process that started at start_time. */
int scx_pidfd_pin(pid_t pid, uint64_t start_time, int *ret_pidfd);
/* Signal a pinned process (pidfd_send_signal). */
int scx_pidfd_signal(int pidfd, int sig);
/* Wait up to timeout_ms for a pinned process to exit: 0 gone, -ETIMEDOUT. */
int scx_pidfd_wait_exit(int pidfd, unsigned timeout_ms);

/* Pin the executable of PID (via /proc/PID/exe): O_PATH fd, inode and path. */
int scx_exe_pin_open(pid_t pid, struct scx_exe_pin *ret_pin);
void scx_exe_pin_close(struct scx_exe_pin *pin);
/* Pin the regular file at an absolute path (O_PATH fd, inode and path). */
int scx_exe_pin_path(const char *path, struct scx_exe_pin *ret_pin);

/*
 * sha256 of the pinned file now; 0 when it equals want_hex, -EBADMSG when it
 * differs (got_hex says what it is), other -errno when it cannot be read.
 */
int scx_exe_pin_verify(const struct scx_exe_pin *pin, const char *want_hex, char got_hex[65]);

/* 1 when something else than the pinned file is at pin->path now (or nothing is), else 0. */
int scx_exe_pin_replaced(const struct scx_exe_pin *pin);

/*
 * Could another user than root change what runs from this file?  Looks at the
 * file (st of the pinned inode) and every folder above path: owned by a user
 * other than root, writable by a group other than root's, or writable by
 * everyone (a folder with the sticky bit excepted: others cannot replace
 * root's files in it), or with an ACL giving write to another user or group;
 * or the file lives on a filesystem a hash cannot bind (scx_fs_unbindable).  Returns 1 and describes the first such one in what
 * ("/home/u/bin is owned by uid 1000"), 0 when only root can, -errno.
 */
int scx_exe_writable_by_others(const char *path, const struct stat *file_st, char *what,
			       size_t whatlen);

/* An access ACL granting write to a user or group other than root: 1 and what, 0, -errno. */
int scx_acl_writable_by_others(const char *path, char *what, size_t whatlen);
/* On FUSE, NFS, 9p, CIFS/SMB, Ceph or AFS (statfs f_type): 1 and what, 0, -errno. */
int scx_fs_unbindable(const char *path, char *what, size_t whatlen);
/*
 * Does the process's executable (exe) run code from another file: a script
 * interpreter or ld.so (by name), or a "#!" script among argv[1..2] (relative
 * ones resolved against cwd)?  1 and what, else 0.  Such a scheduler's pin
 * and hash cover the interpreter, not what it runs: refused as root.
 */
int scx_exe_runs_other_file(const char *exe, char *const *argv, const char *cwd, char *what,
			    size_t whatlen);
/* Is the pinned file (O_PATH pin_fd) a "#!" script?  1 and what, 0, -errno. */
int scx_exe_is_script(int pin_fd, const char *path, char *what, size_t whatlen);
