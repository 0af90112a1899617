/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sequential paired run (sequential.c): stop early when the difference
 * is gross, with the overall false-alarm rate still bounded by alpha.
 *
 * Plan: first a screening look on SCX_SEQ_SCREEN_ROUNDS short runs per side;
 * it stops the paired run only when the exact two-sided Mann-Whitney p of
 * the screening runs is at most alpha_screen (at 4 vs 4 that is complete
 * separation: every run of one side beyond every run of the other) AND the
 * ratio of the medians is beyond SCX_SEQ_GROSS either way.  Otherwise the
 * full design runs (its own rounds, screening runs not reused) and its test
 * must reach alpha_final = alpha - alpha_screen.  By the union bound the
 * chance of calling two equal schedulers different stays <= alpha whatever
 * the distribution of the runs; the ratio rule only makes an early stop on
 * noise rarer still, and keeps every subtle case (within 1.5x) on the full
 * budget.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SCX_SEQ_SCREEN_ROUNDS 4u	/* runs per side at the screening look */
#define SCX_SEQ_SCREEN_MAX_S 2u		/* a screening run lasts at most this long */
#define SCX_SEQ_MIN_ROUNDS 5u		/* fewer full rounds: no screening (alpha_final out of reach) */
#define SCX_SEQ_GROSS 1.5		/* an early stop needs the ratio beyond 1.5x either way */

struct scx_seq_plan {
	unsigned screen_rounds;
	double alpha, alpha_screen, alpha_final, gross;
};

/* The plan for a full design of `rounds` per side; false when it must not screen. */
bool scx_seq_plan_for(unsigned rounds, double alpha, struct scx_seq_plan *ret);

struct scx_seq_look {
	double p;		/* exact two-sided Mann-Whitney p */
	double ratio;		/* median(a) / median(b) */
	bool separated;		/* p <= alpha_screen */
	bool gross;		/* ratio beyond the gross factor either way */
	bool decisive;		/* both: stop */
	int direction;		/* +1: a above b, -1: a below b, 0: not decisive */
};

/*
 * The screening look on the values of one figure, one per run.  -EINVAL
 * on empty sides or non-finite values; a side with fewer than the plan's
 * runs is never decisive.
 */
int scx_seq_screen(const struct scx_seq_plan *plan, const double *a, size_t na, const double *b,
		   size_t nb, struct scx_seq_look *ret);

/*
 * On a paired section's runs: the screening look of sides `a` and `b`
 * (e.g. "screen-custom", "screen-default") on the figure the verdict would
 * use (the probe's p99, else the workload's p99).  The JSON has figure, path,
 * n_a, n_b, median_a, median_b, ratio, p, alpha_screen, gross, separated,
 * gross_ratio, decisive, direction, why.
 */
json_t *scx_seq_screen_json(const struct scx_seq_plan *plan, const json_t *runs, const char *a,
			    const char *b);

/* The plan as JSON (report.json paired.sequential.plan). */
json_t *scx_seq_plan_json(const struct scx_seq_plan *plan);
