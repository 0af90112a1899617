/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What changed between two reports (`scx-report diff A B`): pure, JSON in,
 * JSON out.  The result (schema scx-report-diff/1, docs/report-format.md):
 *
 *   {"schema", "a": {id, host, start}, "b": {...}, "same_host",
 *    "changes": [{"section", "key", "a", "b", "note"?}],
 *    "paired": [{"figure", "ratio_a", "ratio_b", "change", "p", "rounds_a",
 *                "rounds_b", "significant"}], "paired_note"?,
 *    "n_changes"}
 *
 * Sections: kernel, scheduler, sched_ext (state, ops, every event counter),
 * latency (percentiles beyond the histogram's bucket error), verdict and
 * paired.  A paired figure is the custom scheduler against the default one:
 * per round, the custom run's value over the default run's.  Its difference
 * counts as a change only when the run-level data of both bundles say it is
 * significant: A's per-round ratios against B's, two-sided Mann-Whitney U
 * with p < alpha, medians further apart than the bucket error.  Paired runs
 * of different workloads are not compared (paired_note says so).
 */
#pragma once

#include <jansson.h>

#define SCX_DIFF_SCHEMA "scx-report-diff/1"
#define SCX_DIFF_ALPHA 0.05
#define SCX_DIFF_BUCKET_ERROR 0.016

json_t *scx_diff_reports(const json_t *a, const json_t *b);
