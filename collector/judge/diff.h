/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What changed between two reports (`scx-report diff A B`): pure, JSON in,
 * JSON out.  The result (schema scx-report-diff/1, docs/report-format.md):
 *
 *   {"schema", "a": {id, host, start}, "b": {...}, "same_host",
 *    "changes": [{"section", "key", "a", "b", "note"?}],
 *    "paired": [{"figure", "side", "median_a", "median_b", "ratio", "p",
 *                "n_a", "n_b", "significant"}],
 *    "n_changes"}
 *
 * Sections: kernel, scheduler, sched_ext (state, ops, every event counter),
 * latency (percentiles beyond the histogram's bucket error), verdict and
 * paired.  A paired figure's difference counts as a change only when the
 * run-level data of both bundles say it is significant: the valid runs of
 * one side in A against the same side in B, two-sided Mann-Whitney U with
 * p < alpha, and the medians further apart than the bucket error.
 */
#pragma once

#include <jansson.h>

#define SCX_DIFF_SCHEMA "scx-report-diff/1"
#define SCX_DIFF_ALPHA 0.05
#define SCX_DIFF_BUCKET_ERROR 0.016

json_t *scx_diff_reports(const json_t *a, const json_t *b);
