/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scx-report qos: a battery of workloads run interleaved on the custom
 * scheduler and on a baseline (the default scheduler, or another custom one
 * with --against), then one scorecard row per workload figure, judged by the
 * paired run's rules (REFERENCE.md §8): run-level exact Mann-Whitney U, the
 * ratio of medians with a bootstrap interval over runs, and a difference
 * only counts beyond the histogram's bucket error and the noise floor that
 * the calibration runs (baseline against baseline) measured for that figure.
 *
 * Data: qos-battery.c (the workloads and their figures), qos-run.c (runs
 * and switching: the only part that changes the system), qos-analyze.c
 * (pure: JSON runs in, JSON rows out), formats/qos-scorecard.c (text and
 * HTML), verb-qos.c (options).
 */
#pragma once

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "workload.h"

/* Exit code when a --fail-on condition is met (scx-report(1)). */
#define SCX_EXIT_QOS_GATE 4

enum scx_qos_direction { SCX_QOS_LOWER, SCX_QOS_HIGHER, SCX_QOS_INFO };

struct scx_qos_figure {
	const char *name;		/* unique within its workload */
	const char *path;		/* in the workload's JSON */
	const char *label;		/* the scorecard's words */
	const char *unit;		/* ns | /s | share | index */
	enum scx_qos_direction dir;
	/* Medians this close are the same, whatever p says (0: no such band). */
	double same_within;
};

struct scx_qos_workload {
	const char *name;
	const char *what;		/* one line for --help and the docs */
	/* -EOPNOTSUPP + why: this system cannot run it (skipped, not failed). */
	int (*run)(const struct scx_workload_opts *o, json_t **ret, char *why, size_t whylen);
	const struct scx_qos_figure *figures;	/* terminated by name == NULL */
};

/* The battery, in run order; terminated by name == NULL. */
extern const struct scx_qos_workload scx_qos_battery[];
const struct scx_qos_workload *scx_qos_workload_find(const char *name);

/* Suites: how many rounds and seconds per run. */
struct scx_qos_suite {
	const char *name;
	unsigned rounds, duration_ms;
	bool calibrate;
};
const struct scx_qos_suite *scx_qos_suite_find(const char *name);

struct scx_qos_opts {
	const struct scx_qos_suite *suite;
	const char *const *only;	/* workload names, NULL-terminated, or NULL for all */
	unsigned rounds, duration_ms;
	bool calibrate;
	const char *against;		/* another scheduler through the same manager, or NULL */
	bool allow_restart;
	bool progress;
	volatile sig_atomic_t *interrupted;
};

/*
 * Run the battery (report: the probes' sched_ext and scheduler sections, to
 * know how to switch).  Returns the "qos" section, which always exists:
 * {"status": done | skipped | failed | ejected | interrupted, "reason",
 * "runs", "rows", "counts", "restore", "exit_code"?}.
 */
json_t *scx_qos_run(const json_t *report, const struct scx_qos_opts *o);

/* ---- pure (qos-analyze.c) -------------------------------------------------- */

/*
 * One row's verdict from its statistics: "info" for an unjudged figure;
 * "inconclusive" without a ratio or with too few runs (min_p >= alpha) or
 * when p < alpha but the difference is within the noise floor; "same" when
 * the medians are within same_within, p >= alpha, or the difference is
 * within the bucket error; else "better" or "worse" by the direction.
 * *ret_why gets a short reason.
 */
const char *scx_qos_classify(enum scx_qos_direction dir, double p, double min_p, double ratio,
			     double noise_floor, double abs_diff, double same_within,
			     const char **ret_why);

/* Set "rows" and "counts" of a qos section from its "runs" (and workloads). */
void scx_qos_analyze(json_t *qos);

/* Whether the rows meet a --fail-on condition: "regression" or "any-worse". */
bool scx_qos_gate(const json_t *qos, const char *fail_on);
