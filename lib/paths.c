// SPDX-License-Identifier: GPL-2.0-or-later
/* Path problems in one voice (paths.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

const char *scx_path_words(int err, enum scx_path_kind kind)
{
	if (err < 0)
		err = -err;
	bool dir = kind == SCX_PATH_DIR || kind == SCX_PATH_WRITABLE_DIR;

	switch (err) {
	case ENOENT: return dir ? "no such folder" : kind == SCX_PATH_ANY ? "no such file or folder"
									   : "no such file";
	case EISDIR: return "is a directory";
	case ENOTDIR: return dir ? "not a folder" : "a part of the path is not a folder";
	case EACCES: case EPERM: return "permission denied";
	case EROFS: return "read-only file system";
	case EINVAL: return "not a regular file";
	default: return strerror(err);
	}
}

void scx_path_problem(char *buf, size_t len, const char *path, int err, enum scx_path_kind kind)
{
	char cwd[PATH_MAX], abs[PATH_MAX + 8];
	const char *name = path && *path ? path : ".";

	if (err < 0)
		err = -err;
	/* "." says nothing to a person: name the folder it is. */
	if ((!strcmp(name, ".") || !strcmp(name, "./")) && getcwd(cwd, sizeof(cwd))) {
		snprintf(abs, sizeof(abs), "%s", cwd);
		name = abs;
	}
	snprintf(buf, len, "%s: %s", name, scx_path_words(err, kind));
}

int scx_path_check(const char *path, enum scx_path_kind kind, char *buf, size_t len)
{
	struct stat st;
	int err = 0;

	if (stat(path, &st) < 0)
		err = errno;
	else if (kind == SCX_PATH_FILE && S_ISDIR(st.st_mode))
		err = EISDIR;
	else if ((kind == SCX_PATH_DIR || kind == SCX_PATH_WRITABLE_DIR) && !S_ISDIR(st.st_mode))
		err = ENOTDIR;
	else if (kind == SCX_PATH_FILE && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
		 !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		err = EINVAL;
	else if (access(path, kind == SCX_PATH_WRITABLE_DIR ? W_OK | X_OK :
			  S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK) < 0)
		err = errno;
	if (!err)
		return 0;
	scx_path_problem(buf, len, path, err, kind);
	return -err;
}
