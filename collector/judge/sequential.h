/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sequential paired run (sequential.c): stop early when the difference
 * is gross, with the overall false-alarm rate still bounded by alpha, and
 * so that one wild run per side cannot block the early stop.
 *
 * Plan, two screening looks on short runs, then the full design:
 *  1. after SCX_SEQ_SCREEN_ROUNDS runs per side: stop when every run of one
 *     side lies beyond every run of the other (complete separation, exact
 *     two-sided Mann-Whitney p = 2/C(10,5) = 0.0079 at 5 vs 5) AND the
 *     ratio of the medians is beyond SCX_SEQ_GROSS either way;
 *  2. only when look 1 is gross by its medians but the runs overlap (an
 *     outlier on one side or both): SCX_SEQ_EXTENDED_ROUNDS runs per side
 *     (the screening runs so far plus more), and stop when the runs
 *     separate once each side's one run nearest the other side is set
 *     aside (a trimmed separation: its exact chance under H0 is
 *     2(mk+1)/C(m+k,k), 0.0101 at 8 vs 8) and the medians are still gross;
 *  3. otherwise the full design runs (its own rounds, screening runs not
 *     reused) and its test must reach alpha_final = alpha - alpha_screen -
 *     alpha_extended (0.0320: 5 vs 5 may still have U <= 2).
 * Both looks are rank tests, exact whatever the distribution of the runs;
 * by the union bound the chance of calling two equal schedulers different
 * stays <= alpha.  The ratio rule only makes an early stop on noise rarer
 * still, and keeps every subtle case (within 1.5x) on the full budget.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SCX_SEQ_SCREEN_ROUNDS 5u	/* runs per side at the first screening look */
#define SCX_SEQ_EXTENDED_ROUNDS 8u	/* runs per side at the second (trimmed) look */
#define SCX_SEQ_SCREEN_MAX_S 2u		/* a screening run lasts at most this long */
#define SCX_SEQ_MIN_ROUNDS 5u		/* fewer full rounds: no screening (alpha_final out of reach) */
#define SCX_SEQ_GROSS 1.5		/* an early stop needs the ratio beyond 1.5x either way */

struct scx_seq_plan {
	unsigned screen_rounds, extended_rounds;
	double alpha, alpha_screen, alpha_extended, alpha_final, gross;
};

/* The plan for a full design of `rounds` per side; false when it must not screen. */
bool scx_seq_plan_for(unsigned rounds, double alpha, struct scx_seq_plan *ret);

/*
 * The two-sided chance under H0 (the m + k values exchangeable, no ties)
 * that m values and k values separate after setting aside the lowest of
 * the upper side and the highest of the lower side: 2(mk+1)/C(m+k,k), at
 * most 1; exact when both sides have 3 or more (the two directions are then
 * disjoint), an upper bound below.
 */
double scx_seq_trimmed_p(size_t m, size_t k);

struct scx_seq_look {
	unsigned look;		/* 1: complete separation; 2: trimmed separation */
	double p;		/* the exact two-sided p of the look's test */
	double ratio;		/* median(a) / median(b) */
	bool separated;		/* the look's separation, at its level, with enough runs */
	bool gross;		/* ratio beyond the gross factor either way */
	bool decisive;		/* both: stop */
	int direction;		/* +1: a above b, -1: a below b, 0: not decisive */
	bool extend;		/* look 1 only: gross but not separated, worth look 2 */
};

/*
 * A screening look (1 or 2) on the values of one figure, one per run.
 * -EINVAL on empty sides, non-finite values or another look; a side with
 * fewer than the look's runs is never decisive.
 */
int scx_seq_screen(const struct scx_seq_plan *plan, unsigned look, const double *a, size_t na,
		   const double *b, size_t nb, struct scx_seq_look *ret);

/*
 * On a paired section's runs: the screening look of sides `a` and `b`
 * (e.g. "screen-custom", "screen-default") on the figure the verdict would
 * use (the probe's p99, else the workload's p99).  The JSON has look,
 * figure, path, n_a, n_b, median_a, median_b, ratio, p, alpha_look, gross,
 * separated, gross_ratio, decisive, direction, extend, why.
 */
json_t *scx_seq_screen_json(const struct scx_seq_plan *plan, unsigned look, const json_t *runs,
			    const char *a, const char *b);

/* The plan as JSON (report.json paired.sequential.plan). */
json_t *scx_seq_plan_json(const struct scx_seq_plan *plan);
