// SPDX-License-Identifier: GPL-2.0-or-later
/* Output files: regular files only, never followed, replaced only on request (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int scx_out_check(const char *path, bool force)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISREG(st.st_mode))
		return -EPERM;
	return force ? 0 : -EEXIST;
}

const char *scx_out_strerror(int r)
{
	switch (r) {
	case -EEXIST: return "exists; not replacing it without --force";
	case -EPERM: return "not a regular file (a device, FIFO, socket, folder or symbolic link); "
			    "not replacing it, even with --force";
	default: return strerror(-r);
	}
}

mode_t scx_out_mode(bool root_only)
{
	mode_t mask;

	if (root_only)
		return 0600;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

int scx_out_temp(const char *path, char *tmp, size_t len, mode_t mode)
{
	_cleanup_free_ char *d = strdup(path), *b = strdup(path);
	int fd;

	if (!d || !b)
		return -ENOMEM;
	if ((size_t)snprintf(tmp, len, "%s/.%s.XXXXXX", dirname(d), basename(b)) >= len)
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);	/* made 0600 by mkostemp */
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) < 0) {
		int r = -errno;

		close(fd);
		unlink(tmp);
		return r;
	}
	return fd;
}

int scx_out_commit(const char *tmp, const char *path, bool force)
{
	int r = scx_out_check(path, true);

	/* Checked again at the commit: what sat there may have changed during a long collect. */
	if (r < 0)
		return r;
	if (force)
		return rename(tmp, path) < 0 ? -errno : 0;
	if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* Filesystems without RENAME_NOREPLACE: link(2) refuses to replace. */
	if (link(tmp, path) < 0)
		return -errno;
	unlink(tmp);
	return 0;
}

int scx_out_write(const char *path, bool force, mode_t mode,
		  void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, r;

	fd = scx_out_temp(path, tmp, sizeof(tmp), mode);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -ENOMEM;
	}
	fn(f, arg);
	r = ferror(f) | (fclose(f) != 0) ? -EIO : 0;
	if (r == 0)
		r = scx_out_commit(tmp, path, force);
	if (r < 0)
		unlink(tmp);
	return r;
}
