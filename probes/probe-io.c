// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every read a probe makes of /sys, /proc, /boot, /etc or /dev goes through
 * probe_path(), which puts the --sysroot prefix in front (the util-linux
 * lscpu pattern), so a captured tree under tests/data/ replays a system.
 */
#include "probe.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

int scx_sysroot_path(const char *sysroot, const char *abs_path, char *buf, size_t len)
{
	int n;

	if (abs_path[0] != '/')
		return -EINVAL;
	n = snprintf(buf, len, "%s%s", sysroot ? sysroot : "", abs_path);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int probe_path(const struct scx_probe_ctx *ctx, const char *abs_path, char *buf, size_t len)
{
	return scx_sysroot_path(probe_sysroot(ctx), abs_path, buf, len);
}

int probe_read(const struct scx_probe_ctx *ctx, const char *abs_path, size_t max,
	       char **ret_buf, size_t *ret_len, bool *ret_truncated)
{
	char path[PATH_MAX];
	int r;

	r = probe_path(ctx, abs_path, path, sizeof(path));
	if (r < 0)
		return r;
	return read_file_full(path, max, ret_buf, ret_len, ret_truncated);
}

int probe_read_line(const struct scx_probe_ctx *ctx, const char *abs_path, char **ret_line)
{
	char path[PATH_MAX];
	int r;

	r = probe_path(ctx, abs_path, path, sizeof(path));
	if (r < 0)
		return r;
	return read_one_line(path, ret_line);
}

static int stage_path(const struct scx_probe_ctx *ctx, const char *rel, char *buf, size_t len)
{
	int n;

	while (*rel == '/')
		rel++;
	if (!*rel || strstr(rel, "..") == rel || strstr(rel, "/../"))
		return -EINVAL;
	n = snprintf(buf, len, "%s/%s/%s", ctx->stage_dir, ctx->name, rel);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int probe_save(struct scx_probe_ctx *ctx, const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX];
	char *slash;
	int r;

	if (!ctx->stage_dir)
		return 0;	/* verbs that only print (e.g. `latency`) stage nothing */
	r = stage_path(ctx, rel, path, sizeof(path));
	if (r < 0)
		return r;
	slash = strrchr(path, '/');
	*slash = '\0';
	r = mkdir_parents(path, 0755);
	*slash = '/';
	if (r < 0)
		return r;
	return write_file_full(path, data, len, 0644);
}

int probe_copy(struct scx_probe_ctx *ctx, const char *abs_path, const char *rel, size_t max)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	bool truncated;
	int r;

	r = probe_read(ctx, abs_path, max, &buf, &len, &truncated);
	if (r < 0)
		return r;
	if (truncated)
		ctx->truncated = true;
	return probe_save(ctx, rel ? rel : abs_path + 1, buf, len);
}

bool probe_errno_skips(int err)
{
	return err == -ENOENT || err == -EOPNOTSUPP || err == -EPERM || err == -EACCES ||
	       err == -ENOSYS;
}

int probe_fail(struct scx_probe_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->reason, sizeof(ctx->reason), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

json_t *json_number_or_string(const char *s)
{
	int64_t v;

	if (safe_atoi64(s, &v) == 0)
		return json_integer(v);
	return json_string(s);
}

bool probe_dir_has(const struct scx_probe_opts *opts, const char *abs_dir, const char *prefix)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *d;

	if (scx_sysroot_path(opts->sysroot, abs_dir, path, sizeof(path)) < 0)
		return true;	/* cannot tell: let the probe look */
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && startswith(e->d_name, prefix);
	closedir(d);
	return found;
}
