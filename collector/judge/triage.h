/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `scx-report triage`: one row per bundle from its manifest and report.json,
 * and the counts by scheduler version x verdict.  Pure: JSON in, JSON out.
 *
 * Row: {path, host, collected_at, kernel, scheduler, version, provenance,
 *       verdict, key_figure (text), key {figure, ratio, p} | null}.
 * Counts: [{scheduler, version, verdict, bundles}], most bundles first.
 */
#pragma once

#include <jansson.h>

json_t *scx_triage_row(const char *path, const json_t *manifest, const json_t *report);
json_t *scx_triage_counts(const json_t *rows);
/* The row with the verdict's failure signature added (`signature`, or null). */
json_t *scx_triage_row_signed(const char *path, const json_t *manifest, const json_t *report);
/* [{signature, verdict, bundles}], most bundles first: the same failure on many machines. */
json_t *scx_triage_by_signature(const json_t *rows);
