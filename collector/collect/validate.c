// SPDX-License-Identifier: GPL-2.0-or-later
/* The check before any collection (validate.h). */
#include "validate.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "latency-api.h"
#include "paths.h"
#include "util.h"

int scx_validate_latency_filters(const char *verb, pid_t pid, const char *cgroup)
{
	char proc[32];

	/* /proc/PID, not a signal 0: only collector/change/ signals processes (check-layers.sh). */
	snprintf(proc, sizeof(proc), "/proc/%d", (int)pid);
	if (pid > 0 && access(proc, F_OK) < 0 && errno == ENOENT) {
		scx_log_error("%s: --pid %d: no such process", verb, (int)pid);
		return -ESRCH;
	}
	if (cgroup) {
		char err[PATH_MAX + 128];
		uint64_t id;
		int level, r = scx_latency_cgroup_resolve(cgroup, &id, &level, err, sizeof(err));

		if (r < 0) {
			scx_log_error("%s: --cgroup: %s", verb, err);
			return r;
		}
	}
	return 0;
}

int scx_collect_validate(const struct scx_options *o)
{
	int r;

	/* Only what is sampled needs to exist: with --no-latency the filters are not used. */
	if (o->latency) {
		r = scx_validate_latency_filters("collect", o->filter_pid, o->filter_cgroup);
		if (r < 0)
			return r;
	}
	for (unsigned i = 0; i < o->n_trusted_files; i++) {
		char why[PATH_MAX + 64];

		r = scx_path_check(o->trusted_files[i], SCX_PATH_FILE, why, sizeof(why));
		if (r < 0) {
			scx_log_error("collect: --trusted %s", why);
			return r;
		}
	}
	return 0;
}
