/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path problems in one voice: "PATH: is a directory", "PATH: no such file",
 * "PATH: no such folder", "PATH: not a regular file", "PATH: permission
 * denied".  The path is always named, and "." or a relative folder as the
 * absolute folder it is, never ".".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum scx_path_kind {
	SCX_PATH_FILE,		/* a regular file (or a pipe, a device) to read */
	SCX_PATH_DIR,		/* a folder to read */
	SCX_PATH_WRITABLE_DIR,	/* a folder to create files in */
	SCX_PATH_ANY,		/* a file or a folder to read */
};

/*
 * Whether path is usable as kind: 0, or -errno with "PATH: reason" in buf
 * (-EISDIR, -ENOENT, -ENOTDIR, -EACCES, -EINVAL for not a regular file).
 */
int scx_path_check(const char *path, enum scx_path_kind kind, char *buf, size_t len);
/* "PATH: reason" for an errno met on path (err > 0 or < 0). */
void scx_path_problem(char *buf, size_t len, const char *path, int err, enum scx_path_kind kind);
/* The reason alone: "no such file", "is a directory", ... */
const char *scx_path_words(int err, enum scx_path_kind kind);
