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
 * (collector/judge/, pure: JSON runs in, JSON rows out), formats/qos-scorecard.c (text and
 * HTML), verb-qos.c (options).
 */
#pragma once

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "qos-analyze.h"
#include "workload.h"

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
	int (*run)(const struct scx_workload_opts *o, json_t **ret);
	/* Or: -EOPNOTSUPP + why when this system cannot run it (skipped, not failed). */
	int (*run_why)(const struct scx_workload_opts *o, json_t **ret, char *why, size_t whylen);
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

/* The battery's figures as the judge reads them (qos-analyze.h), for the workloads named. */
json_t *scx_qos_figures_json(const json_t *workload_names);

/*
 * Run the battery (report: the probes' sched_ext and scheduler sections, to
 * know how to switch).  Returns the "qos" section, which always exists:
 * {"status": done | skipped | failed | ejected | interrupted, "reason",
 * "runs", "rows", "counts", "restore", "exit_code"?}.
 */
json_t *scx_qos_run(const json_t *report, const struct scx_qos_opts *o);

