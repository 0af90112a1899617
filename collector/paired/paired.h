/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>

#include "options.h"
#include "paired-analyze.h"

/*
 * The paired run: the workload on the custom scheduler and on the default
 * one, alternately, with the custom scheduler restored afterwards.  Returns
 * the report's "paired" section, which always exists: {"status": "done" |
 * "skipped" | "failed" | "ejected" | "interrupted", "reason": ..., "runs":
 * [...], "tests", "result", "restore", ...}.  "exit_code" is set when the
 * collection must end with a code other than 0 (scheduler not restored).
 */
json_t *scx_paired_run(const json_t *report, const struct scx_options *opts);
