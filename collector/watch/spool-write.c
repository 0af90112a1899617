// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The watcher's side of the spool (probes/spool.h): made 0700 (it holds
 * kernel logs and command lines), and bounded in count and bytes by removing
 * the oldest captures; the newest always stays.  Bundles land atomically
 * (the bundle writer renames a complete temporary file into place).
 */
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "spool.h"
#include "util.h"
#include "watch.h"

int scx_spool_prepare(const char *dir)
{
	int r = mkdir_parents(dir, 0700);

	if (r < 0)
		return r;
	return chmod(dir, 0700) < 0 ? -errno : 0;
}

int scx_spool_prune(const char *dir, unsigned max_count, uint64_t max_bytes, unsigned *ret_removed)
{
	struct scx_spool_entry *v = NULL;
	uint64_t total = 0;
	unsigned removed = 0;
	size_t n = 0, i;
	int r;

	r = scx_spool_list(dir, &v, &n);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		total += v[i].bytes;
	for (i = 0; i + 1 < n && (n - i > max_count || total > max_bytes); i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
		if (unlink(path) < 0 && errno != ENOENT) {
			r = -errno;
			break;
		}
		snprintf(path, sizeof(path), "%s/%s.sha256", dir, v[i].name);
		unlink(path);
		total -= v[i].bytes;
		removed++;
	}
	free(v);
	if (ret_removed)
		*ret_removed = removed;
	return r < 0 ? r : 0;
}
