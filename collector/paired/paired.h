/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>

#include "options.h"

/*
 * The paired run: the workload on the custom scheduler and on the default
 * one, alternately, with the custom scheduler restored afterwards.  Returns
 * the report's "paired" section, which always exists: {"status": "done" |
 * "skipped" | "failed" | "ejected" | "interrupted", "reason": ..., "runs":
 * [...], "tests", "result", "restore", ...}.  "exit_code" is set when the
 * collection must end with a code other than 0 (scheduler not restored).
 */
json_t *scx_paired_run(const json_t *report, const struct scx_options *opts);

/*
 * The statistics of a paired section (from its "runs"): sets "tests" (one
 * Mann-Whitney U test per figure, custom vs default, and the calibration
 * pair), "reproducer" (failures per side, Fisher's exact test) and "result"
 * (the primary figure, its effect size and whether the difference counts).
 * Used by scx_paired_run and by tests on synthetic run tables.
 */
void scx_paired_analyze(json_t *paired);

/* A difference must exceed the latency histograms' bucket error (k = 5). */
#define SCX_PAIRED_BUCKET_ERROR 0.016
#define SCX_PAIRED_ALPHA 0.05
