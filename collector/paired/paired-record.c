// SPDX-License-Identifier: GPL-2.0-or-later
/* The paired run's record in report.json (see paired-record.h). */
#include "paired-record.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "paired.h"

json_t *scx_paired_header(const struct scx_switch *sw, const struct scx_paired_opts *opts,
			  const char *workload)
{
	char how[PATH_MAX + 128];
	json_t *out = json_object();

	scx_switch_describe(sw, how, sizeof(how));
	json_object_set_new(out, "ops", json_string(sw->ops));
	json_object_set_new(out, "manager", json_string(sw->manager_unknown ? "unknown"
							: scx_manager_name(sw->manager)));
	json_object_set_new(out, "switch", json_string(how));
	json_object_set_new(out, "workload", json_string(workload));
	if (opts->workload_cmd) {
		json_t *argv = json_array();

		for (char **a = opts->workload_cmd; *a; a++)
			json_array_append_new(argv, json_string(*a));
		json_object_set_new(out, "command", argv);
	}
	json_object_set_new(out, "rounds", json_integer(opts->rounds));
	json_object_set_new(out, "duration_s", json_integer(opts->duration_s));
	json_object_set_new(out, "calibrate", json_boolean(opts->calibrate));
	return out;
}

void scx_paired_set_status(json_t *out, int r, const char *err)
{
	const char *status = "done", *reason = NULL;

	if (r == 2) {
		status = "stopped";
		reason = json_string_value(json_object_get(json_object_get(out, "came_back"), "reason"));
	} else if (r == 1) {
		status = "ejected";
		reason = "the kernel ejected the custom scheduler during the custom side; "
			 "the default scheduler was left running";
	} else if (r == -EINTR) {
		status = "interrupted";
		reason = "interrupted by a signal";
	} else if (r < 0) {
		status = "failed";
		reason = err && err[0] ? err : strerror(-r);
	}
	json_object_set_new(out, "status", json_string(status));
	if (reason)
		json_object_set_new(out, "reason", json_string(reason));
}
