/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one way scx-report writes an output file (collect -o, qos -o, redact,
 * show --html, the redaction map): into a temporary file beside the target,
 * renamed into place.  The target may only be absent, or, with force, a
 * regular file: never a device, a FIFO, a socket, a folder or a symbolic
 * link (rename(2) would replace the node itself, e.g. /dev/full or the
 * /dev/stdout link).  Content only root may read gets mode 0600, as sos
 * writes its archives.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Whether path may be written: 0 when absent, or a regular file and force;
 * -EEXIST when it exists and !force; -EPERM when it is not a regular file
 * (whatever force says).  Never follows a final symbolic link.
 */
int scx_out_check(const char *path, bool force);
/* Describe scx_out_check()'s refusal in one line (for callers' messages). */
const char *scx_out_strerror(int r);
/*
 * The mode of a new output: 0600 when root_only (it holds what only root may
 * read), else 0666 minus the umask.
 */
mode_t scx_out_mode(bool root_only);
/* A new temporary file beside path ("DIR/.BASE.XXXXXX" in tmp), O_CLOEXEC|O_NOFOLLOW, with mode. */
int scx_out_temp(const char *path, char *tmp, size_t len, mode_t mode);
/*
 * Rename tmp to path: without force only when path is absent (RENAME_NOREPLACE
 * or link(2)); with force only over a regular file or nothing.  tmp is left
 * for the caller to unlink on failure.
 */
int scx_out_commit(const char *tmp, const char *path, bool force);
/*
 * The whole of it for a rendered output: a temporary file beside path with
 * mode, fn(f, arg) writing into it, then scx_out_commit().  0 or -errno;
 * nothing is left behind on failure.
 */
int scx_out_write(const char *path, bool force, mode_t mode,
		  void (*fn)(FILE *f, const void *arg), const void *arg);
