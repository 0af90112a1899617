// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The paired run's statistics against known values: exact Mann-Whitney
 * p-values (tables / enumeration), Fisher's exact test, the PRNG's reference
 * outputs and the fixed-seed bootstrap.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats.h"

static void test_median_percentile(void **state)
{
	const double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };

	assert_float_equal(scx_median(odd, 3), 3, 1e-12);
	assert_float_equal(scx_median(even, 4), 2.5, 1e-12);
	assert_float_equal(scx_percentile(even, 4, 0), 1, 1e-12);
	assert_float_equal(scx_percentile(even, 4, 1), 4, 1e-12);
	assert_float_equal(scx_percentile(even, 4, 0.99), 3.97, 1e-12);
	assert_true(isnan(scx_median(odd, 0)));
	/* the input is left as it was */
	assert_float_equal(odd[0], 5, 0);
}

static void test_mwu_separated(void **state)
{
	const double a5[] = { 10, 11, 12, 13, 14 }, b5[] = { 1, 2, 3, 4, 5 };
	const double a6[] = { 10, 11, 12, 13, 14, 15 }, b6[] = { 1, 2, 3, 4, 5, 6 };
	struct scx_mwu m;

	/* 5 vs 5 fully separated: 2 / C(10,5) = 2/252 */
	assert_int_equal(scx_mann_whitney(a5, 5, b5, 5, &m), 0);
	assert_true(m.exact);
	assert_false(m.ties);
	assert_float_equal(m.u_a, 25, 1e-12);
	assert_float_equal(m.p, 0.0079365, 1e-6);
	/* the other direction gives the same two-sided p and U = 0 */
	assert_int_equal(scx_mann_whitney(b5, 5, a5, 5, &m), 0);
	assert_float_equal(m.u_a, 0, 1e-12);
	assert_float_equal(m.p, 0.0079365, 1e-6);
	/* 3 vs 3 can never reach 0.05: 2/20 */
	assert_int_equal(scx_mann_whitney(a5, 3, b5, 3, &m), 0);
	assert_float_equal(m.p, 0.1, 1e-9);
	/* 4 vs 4: 2/70; 6 vs 6: 2/924 */
	assert_int_equal(scx_mann_whitney(a5, 4, b5, 4, &m), 0);
	assert_float_equal(m.p, 2.0 / 70, 1e-9);
	assert_int_equal(scx_mann_whitney(a6, 6, b6, 6, &m), 0);
	assert_float_equal(m.p, 2.0 / 924, 1e-9);
	assert_float_equal(scx_mwu_min_p(5, 5), 2.0 / 252, 1e-12);
	assert_float_equal(scx_mwu_min_p(3, 4), 2.0 / 35, 1e-12);
}

static void test_mwu_overlap_and_ties(void **state)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 5, 6, 7, 8, 9 };
	const double c[] = { 1, 2, 2, 3, 3 }, d[] = { 3, 3, 4, 4, 5 };
	const double same[] = { 7, 7, 7 };
	const double x[] = { 1, 3, 5, 7, 9 }, y[] = { 2, 4, 6, 8, 10 };
	struct scx_mwu m;

	/* one tie at 5: 4/252 by enumeration of the permutation distribution */
	assert_int_equal(scx_mann_whitney(a, 5, b, 5, &m), 0);
	assert_true(m.ties);
	assert_float_equal(m.u_a, 0.5, 1e-12);
	assert_float_equal(m.p, 4.0 / 252, 1e-9);
	/* heavy ties: 12/252 */
	assert_int_equal(scx_mann_whitney(c, 5, d, 5, &m), 0);
	assert_float_equal(m.p, 12.0 / 252, 1e-9);
	/* all equal: no evidence at all */
	assert_int_equal(scx_mann_whitney(same, 3, same, 3, &m), 0);
	assert_float_equal(m.p, 1, 1e-12);
	/* interleaved: U = 10 of 25, p = 0.690 (tables) */
	assert_int_equal(scx_mann_whitney(x, 5, y, 5, &m), 0);
	assert_float_equal(m.u_a, 10, 1e-12);
	assert_float_equal(m.p, 0.6904762, 1e-6);
	assert_int_equal(scx_mann_whitney(x, 0, y, 5, &m), -EINVAL);
}

/* An independent brute force over all C(n, na) splits, U by pairwise comparison. */
static double u_of(const double *v, const int *in_a, size_t n)
{
	double u = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (in_a[i] && !in_a[j])
				u += v[i] > v[j] ? 1 : v[i] == v[j] ? 0.5 : 0;
	return u;
}

static void test_mwu_matches_enumeration(void **state)
{
	struct scx_rng rng;

	scx_rng_seed(&rng, 42);
	for (int trial = 0; trial < 30; trial++) {
		size_t na = 2 + scx_rng_below(&rng, 5), nb = 2 + scx_rng_below(&rng, 5), n = na + nb;
		double v[12], mu = (double)(na * nb) / 2, uo, count = 0, total = 0;
		int in_a[12] = { 0 };
		struct scx_mwu m;

		for (size_t i = 0; i < n; i++)
			v[i] = (double)scx_rng_below(&rng, 5);	/* many ties */
		for (size_t i = 0; i < na; i++)
			in_a[i] = 1;
		assert_int_equal(scx_mann_whitney(v, na, v + na, nb, &m), 0);
		uo = fabs(u_of(v, in_a, n) - mu);
		assert_float_equal(m.u_a, u_of(v, in_a, n), 1e-9);
		for (unsigned mask = 0; mask < (1u << n); mask++) {
			if ((size_t)__builtin_popcount(mask) != na)
				continue;
			for (size_t i = 0; i < n; i++)
				in_a[i] = !!(mask & (1u << i));
			total++;
			if (fabs(u_of(v, in_a, n) - mu) >= uo - 1e-9)
				count++;
		}
		assert_float_equal(m.p, count / total, 1e-9);
	}
}

static void test_mwu_large_uses_normal(void **state)
{
	double a[60], b[60];
	struct scx_mwu m;

	for (int i = 0; i < 60; i++) {
		a[i] = i + 30;
		b[i] = i;
	}
	assert_int_equal(scx_mann_whitney(a, 60, b, 60, &m), 0);
	assert_false(m.exact);
	assert_true(m.p < 1e-5);
	assert_int_equal(scx_mann_whitney(a, 60, a, 60, &m), 0);
	assert_true(m.p > 0.9);
}

static void test_fisher(void **state)
{
	double p;

	assert_int_equal(scx_fisher_exact(5, 5, 0, 5, &p), 0);
	assert_float_equal(p, 2.0 / 252, 1e-9);
	assert_int_equal(scx_fisher_exact(1, 5, 0, 5, &p), 0);
	assert_float_equal(p, 1, 1e-9);
	/* 3/10 vs 0/10: 0.2105 (R fisher.test) */
	assert_int_equal(scx_fisher_exact(3, 10, 0, 10, &p), 0);
	assert_float_equal(p, 0.2105263, 1e-6);
	assert_int_equal(scx_fisher_exact(6, 5, 0, 5, &p), -EINVAL);
}

static void test_rng_reference(void **state)
{
	struct scx_rng rng = { { 1, 2, 3, 4 } };

	/* xoshiro256** reference: state {1,2,3,4} gives 11520 then 0 then 1509978240 */
	assert_true(scx_rng_next(&rng) == 11520);
	assert_true(scx_rng_next(&rng) == 0);
	assert_true(scx_rng_next(&rng) == 1509978240);
	/* splitmix64(0) reference first output */
	scx_rng_seed(&rng, 0);
	assert_true(rng.s[0] == 0xe220a8397b1dcdafull);
	for (int i = 0; i < 1000; i++)
		assert_true(scx_rng_below(&rng, 7) < 7);
}

static void test_bootstrap(void **state)
{
	const double a[] = { 200, 210, 190, 205, 220 }, b[] = { 100, 104, 98, 101, 99 };
	const double b2[] = { 100, 105, 95, 102.5, 110 };
	struct scx_ratio_ci c1, c2, c3;

	assert_int_equal(scx_bootstrap_median_ratio(a, 5, b, 5, 2000, SCX_BOOTSTRAP_SEED, 0.95, &c1), 0);
	assert_int_equal(scx_bootstrap_median_ratio(a, 5, b, 5, 2000, SCX_BOOTSTRAP_SEED, 0.95, &c2), 0);
	/* fixed seed: the same interval every time */
	assert_float_equal(c1.lo, c2.lo, 0);
	assert_float_equal(c1.hi, c2.hi, 0);
	assert_float_equal(c1.ratio, 205.0 / 100, 1e-12);
	assert_int_equal(c1.resamples, 2000);
	assert_true(c1.lo <= c1.ratio && c1.ratio <= c1.hi);
	/* the interval lies within the ratios of extreme order statistics */
	assert_true(c1.lo >= 190.0 / 104 - 1e-12 && c1.hi <= 220.0 / 98 + 1e-12);
	assert_true(c1.lo > 1.5);
	/* the point estimate is the plain ratio of the medians */
	assert_int_equal(scx_bootstrap_median_ratio(a, 5, b2, 5, 500, 7, 0.9, &c3), 0);
	assert_float_equal(c3.ratio, 205.0 / 102.5, 1e-12);
	/* another seed: another (but close) interval */
	assert_int_equal(scx_bootstrap_median_ratio(a, 5, b, 5, 2000, 1, 0.95, &c2), 0);
	assert_true(fabs(c2.lo - c1.lo) < 0.2 && fabs(c2.hi - c1.hi) < 0.2);
	{
		const double zero[] = { 0, 0, 0 };

		assert_int_equal(scx_bootstrap_median_ratio(a, 5, zero, 3, 100, 1, 0.95, &c3), -EDOM);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_percentile),
		cmocka_unit_test(test_mwu_separated),
		cmocka_unit_test(test_mwu_overlap_and_ties),
		cmocka_unit_test(test_mwu_matches_enumeration),
		cmocka_unit_test(test_mwu_large_uses_normal),
		cmocka_unit_test(test_fisher),
		cmocka_unit_test(test_rng_reference),
		cmocka_unit_test(test_bootstrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
