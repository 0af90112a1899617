// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run.  This file holds the gate (when a paired run may happen
 * at all); the run itself lands with issue 6.
 */
#include "paired.h"

#include <unistd.h>

#include "formats.h"

static json_t *skipped(const char *why)
{
	json_t *o = json_object();

	json_object_set_new(o, "status", json_string("skipped"));
	json_object_set_new(o, "reason", json_string(why));
	return o;
}

json_t *scx_paired_run(const json_t *report, const struct scx_options *opts)
{
	if (!opts->paired)
		return skipped("not requested (--no-paired)");
	if (!json_is_true(jget(report, "sched_ext.supported")))
		return skipped("this kernel has no sched_ext");
	if (!jstr(report, "sched_ext.ops"))
		return skipped("no custom scheduler is running");
	if (opts->sysroot && *opts->sysroot)
		return skipped("replaying a captured system (--sysroot)");
	if (geteuid() != 0)
		return skipped("needs root to switch schedulers");
	return skipped("the paired run is not part of this build yet");
}
