/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "paired-analyze.h"

/* What the paired run needs of a collection's options (collect/options.h fills it). */
struct scx_paired_opts {
	bool paired;			/* --no-paired clears it */
	const char *sysroot;		/* "" = live system; else skipped */
	unsigned duration_s;		/* each run */
	unsigned rounds;
	bool calibrate;
	bool no_early_stop;		/* the fixed design: no screening look (judge/sequential.h) */
	bool allow_restart;
	const char *workload;		/* wakeup | pipe | mixed */
	char **workload_cmd;		/* argv after --workload-cmd --, or NULL */
};

/*
 * The paired run: the workload on the custom scheduler and on the default
 * one, alternately, with the custom scheduler restored afterwards.  Returns
 * the report's "paired" section, which always exists: {"status": "done" |
 * "skipped" | "failed" | "ejected" | "interrupted", "reason": ..., "runs":
 * [...], "tests", "result", "restore", ...}.  "exit_code" is set when the
 * collection must end with a code other than 0 (scheduler not restored).
 */
json_t *scx_paired_run(const json_t *report, const struct scx_paired_opts *opts);
