/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Statistics of the paired run (REFERENCE.md §8): the unit of replication is
 * the run, so every test here takes one value per run.
 *
 * - medians and percentiles (linear interpolation between order statistics);
 * - the exact two-sided Mann-Whitney U test, ties handled by midranks and the
 *   exact permutation distribution of the midrank sum (a subset-sum count),
 *   exact up to SCX_MWU_EXACT_MAX values per side, normal approximation with
 *   tie and continuity corrections beyond;
 * - Fisher's exact test on two failure counts (the reproducer);
 * - a percentile bootstrap of the ratio of medians, over runs, driven by our
 *   own fixed-seed xoshiro256** so that a report is reproducible.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCX_MWU_EXACT_MAX 50

/* NAN when n == 0.  q in [0, 1].  The input is not modified. */
double scx_median(const double *v, size_t n);
double scx_percentile(const double *v, size_t n, double q);

struct scx_mwu {
	double u_a;		/* U of sample a: pairs (a_i, b_j) with a_i > b_j, ties 1/2 */
	double p;		/* two-sided */
	bool exact;		/* exact permutation distribution, else normal approx. */
	bool ties;		/* some values were tied */
};

/* -EINVAL when a side is empty or a value is not finite. */
int scx_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct scx_mwu *ret);
/* The smallest two-sided p any data of these sizes can give (no ties): 2 / C(na+nb, na). */
double scx_mwu_min_p(size_t na, size_t nb);

/* Two-sided Fisher exact test of fail_a/n_a against fail_b/n_b. */
int scx_fisher_exact(unsigned fail_a, unsigned n_a, unsigned fail_b, unsigned n_b, double *ret_p);

struct scx_rng {
	uint64_t s[4];
};

/* xoshiro256**, its state filled by splitmix64 from seed. */
void scx_rng_seed(struct scx_rng *rng, uint64_t seed);
uint64_t scx_rng_next(struct scx_rng *rng);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t scx_rng_below(struct scx_rng *rng, uint64_t n);

struct scx_ratio_ci {
	double ratio;		/* median(a) / median(b) */
	double lo, hi;		/* percentile interval at the given level */
	unsigned resamples;	/* resamples that gave a finite ratio */
};

#define SCX_BOOTSTRAP_SEED 0x5c7e9e7047ull
#define SCX_BOOTSTRAP_RESAMPLES 10000u

/*
 * Bootstrap interval of median(a) / median(b): both sides resampled with
 * replacement, independently, `resamples` times.  -EINVAL on empty sides,
 * -EDOM when median(b) is 0.
 */
int scx_bootstrap_median_ratio(const double *a, size_t na, const double *b, size_t nb,
			       unsigned resamples, uint64_t seed, double level,
			       struct scx_ratio_ci *ret);
