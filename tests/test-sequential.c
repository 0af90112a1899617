// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sequential paired run's rule (collector/judge/sequential.c): its
 * error rate under H0 by simulation with a fixed seed (two equal schedulers
 * must be called different in at most alpha of the trials, early stops
 * included), a gross effect stops early, a subtle one never does.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "paired-analyze.h"
#include "sequential.h"
#include "stats.h"

#define TRIALS 10000

static double uniform(struct scx_rng *rng)
{
	return ((double)(scx_rng_next(rng) >> 11) + 0.5) / 9007199254740992.0;
}

/* A run's p99: lognormal around `center` with spread sigma (runs are noisy, and skewed). */
static double run_value(struct scx_rng *rng, double center, double sigma)
{
	double z = sqrt(-2 * log(uniform(rng))) * cos(2 * M_PI * uniform(rng));

	return center * exp(sigma * z);
}

struct outcome {
	unsigned early, early2, different, early_dir_up, early_dir_down;
};

/*
 * Wild runs: with `outliers`, one run per side (at a random one of its 8
 * screening runs, and of its 5 full runs) lands beyond the other side's
 * runs, the worst place for a rank test: a worse side's wild run below
 * every run of the better side, and the better side's above every run of
 * the worse.  With equal sides (ratio 1) each wild run goes either way.
 */
static double wild(struct scx_rng *rng, double ratio, bool first_side)
{
	bool up = ratio == 1 ? uniform(rng) < 0.5 : first_side ? ratio < 1 : ratio > 1;

	/* Far beyond both centres (1000 and 1000 * ratio) in that direction. */
	return up ? 1000 * fmax(ratio, 1) * 8 : 1000 * fmin(ratio, 1) / 8;
}

static void draw(struct scx_rng *rng, double *a, double *b, unsigned n, double ratio, double sigma,
		 bool outliers)
{
	unsigned wa = (unsigned)(uniform(rng) * n), wb = (unsigned)(uniform(rng) * n);

	for (unsigned i = 0; i < n; i++) {
		a[i] = run_value(rng, 1000 * ratio, sigma);
		b[i] = run_value(rng, 1000, sigma);
	}
	if (outliers) {
		a[wa] = wild(rng, ratio, true);
		b[wb] = wild(rng, ratio, false);
	}
}

/*
 * Trials of the whole procedure: look 1 on the first 5 screening runs per
 * side, look 2 on 8 when look 1 asks for it, else the full 5 vs 5 at
 * alpha_final.
 */
static struct outcome simulate_trials(double ratio, double sigma, bool outliers, uint64_t seed,
				      unsigned trials)
{
	struct scx_seq_plan plan;
	struct outcome o = { 0 };
	struct scx_rng rng;

	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	scx_rng_seed(&rng, seed);
	for (unsigned t = 0; t < trials; t++) {
		double a[SCX_SEQ_EXTENDED_ROUNDS], b[SCX_SEQ_EXTENDED_ROUNDS];
		struct scx_seq_look l;
		struct scx_mwu m;

		draw(&rng, a, b, plan.extended_rounds, ratio, sigma, outliers);
		assert_int_equal(scx_seq_screen(&plan, 1, a, plan.screen_rounds, b, plan.screen_rounds,
						&l), 0);
		if (l.extend) {
			assert_int_equal(scx_seq_screen(&plan, 2, a, plan.extended_rounds, b,
							plan.extended_rounds, &l), 0);
			o.early2 += l.decisive;
		}
		if (l.decisive) {
			o.early++;
			o.different++;
			if (l.direction > 0)
				o.early_dir_up++;
			else
				o.early_dir_down++;
			continue;
		}
		draw(&rng, a, b, 5, ratio, sigma, outliers);
		assert_int_equal(scx_mann_whitney(a, 5, b, 5, &m), 0);
		if (m.p < plan.alpha_final)
			o.different++;
	}
	return o;
}

static struct outcome simulate(double ratio, double sigma, bool outliers, uint64_t seed)
{
	struct outcome o = simulate_trials(ratio, sigma, outliers, seed, TRIALS);

	/* The figures the early-stop report quotes (scripts/sim-early-stop.sh). */
	print_message("sim: ratio %g sigma %g outliers %s: early %.2f%% (look 2 %.2f%%), "
		      "called different %.2f%% of %u\n", ratio, sigma, outliers ? "1/side" : "none",
		      100.0 * o.early / TRIALS, 100.0 * o.early2 / TRIALS,
		      100.0 * o.different / TRIALS, TRIALS);
	return o;
}

static void test_plan(void **state)
{
	struct scx_seq_plan plan;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	assert_int_equal(plan.screen_rounds, 5);
	assert_int_equal(plan.extended_rounds, 8);
	assert_float_equal(plan.alpha_screen, 2.0 / 252, 1e-12);
	assert_float_equal(plan.alpha_extended, 2.0 * 65 / 12870, 1e-12);
	assert_float_equal(plan.alpha_screen + plan.alpha_extended + plan.alpha_final, 0.05, 1e-12);
	/* 5 vs 5 can still reach alpha_final with U <= 2 (8/252 = 0.0317 < 0.0320) ... */
	assert_true(8.0 / 252 < plan.alpha_final);
	/* ... 4 vs 4 cannot reach it at all: no screening before a design that small. */
	assert_false(scx_seq_plan_for(4, 0.05, &plan));
	assert_false(scx_seq_plan_for(1, 0.05, &plan));
}

/* The trimmed separation's exact p against counting every split of m + k ranks. */
static void test_trimmed_p_exact(void **state)
{
	(void)state;
	for (unsigned m = 2; m <= 7; m++) {
		for (unsigned k = 2; k <= 7; k++) {
			unsigned n = m + k, hits = 0, total = 0;

			for (unsigned mask = 0; mask < 1u << n; mask++) {
				/* Ranks 0..n-1; bit set: the rank belongs to side A (m of them). */
				double a[7], b[7];
				unsigned ia = 0, ib = 0;

				if ((unsigned)__builtin_popcount(mask) != m)
					continue;
				for (unsigned r = 0; r < n; r++) {
					if (mask >> r & 1)
						a[ia++] = r;
					else
						b[ib++] = r;
				}
				total++;
				/* Either direction: A's 2nd lowest above B's 2nd highest, or the mirror. */
				hits += a[1] > b[k - 2] || b[1] > a[m - 2];
			}
			/* Both directions at once need a side of 2: then the sum is a bound. */
			if (m >= 3 && k >= 3)
				assert_float_equal(scx_seq_trimmed_p(m, k), (double)hits / total, 1e-12);
			else
				assert_true(scx_seq_trimmed_p(m, k) >= (double)hits / total - 1e-12);
		}
	}
	assert_float_equal(scx_seq_trimmed_p(8, 8), 130.0 / 12870, 1e-12);
	assert_float_equal(scx_seq_trimmed_p(7, 7), 100.0 / 3432, 1e-12);
}

/* Equal schedulers, very noisy runs (the gross ratio is often met by chance): still <= alpha. */
static void test_h0_noisy(void **state)
{
	struct outcome o = simulate(1.0, 1.0, false, 0x5e9);
	double early_bound = TRIALS * (2.0 / 252 + 130.0 / 12870);

	(void)state;
	/* Early stops: at most alpha_screen + alpha_extended (1.8%) plus three standard errors. */
	assert_true(o.early <= early_bound + 3 * sqrt(early_bound));
	/*
	 * All in: at most 0.0079 + 0.0101 + 8/252 = 0.0497 by the union bound;
	 * here that case's own rate is close to it, so allow three standard
	 * errors of the simulation.
	 */
	assert_true(o.different <= TRIALS * 0.0497 + 3 * sqrt(TRIALS * 0.0497));
	/* Symmetric: both directions happen. */
	assert_true(o.early_dir_up > 0 && o.early_dir_down > 0);
}

/* Equal schedulers with one wild run per side, either way: still <= alpha. */
static void test_h0_outliers(void **state)
{
	struct outcome o = simulate(1.0, 0.3, true, 0x5f0), q = simulate(1.0, 1.0, true, 0x5f1);

	(void)state;
	assert_true(o.different <= TRIALS * 0.05);
	assert_true(q.different <= TRIALS * 0.05);
}

/* Equal schedulers, ordinary noise (runs within ~10%): no early stop at all. */
static void test_h0_quiet(void **state)
{
	struct outcome o = simulate(1.0, 0.1, false, 0x5ea);

	(void)state;
	assert_int_equal(o.early, 0);
	assert_true(o.different <= TRIALS * 0.05);
}

/* 40x worse (the test `slow` scheduler's order) and 10x better: decided at the screen. */
static void test_gross_stops_early(void **state)
{
	struct outcome worse = simulate(40, 0.3, false, 0x5eb), better = simulate(0.1, 0.3, false, 0x5ec);

	(void)state;
	assert_true(worse.early >= TRIALS * 0.99);
	assert_int_equal(worse.early_dir_down, 0);
	assert_true(better.early >= TRIALS * 0.99);
	assert_int_equal(better.early_dir_up, 0);
}

/*
 * The same with one wild run per side beyond the other side's runs: look 1
 * cannot separate when a wild run is among its five, look 2 sets it aside.
 * Decided early in >= 99% of trials, in the right direction.
 */
static void test_gross_outliers_stop_early(void **state)
{
	struct outcome worse = simulate(40, 0.3, true, 0x5f2), better = simulate(0.1, 0.3, true, 0x5f3);
	struct outcome wide = simulate(40, 0.5, true, 0x5f4), noisy = simulate(40, 1.0, true, 0x5f5);

	(void)state;
	assert_true(worse.early >= TRIALS * 0.99);
	assert_true(worse.early2 > 0);
	assert_int_equal(worse.early_dir_down, 0);
	assert_true(better.early >= TRIALS * 0.99);
	assert_int_equal(better.early_dir_up, 0);
	/* Runs spread 2.7x either way at 2 sigma (sigma 0.5) and a wild run per side: as good. */
	assert_true(wide.early >= TRIALS * 0.99);
	assert_int_equal(wide.early_dir_down, 0);
	/*
	 * Runs spread 7x either way (sigma 1) besides the wild runs: the sides
	 * themselves overlap; most still stop early, never the wrong way, and
	 * the rest go to the full design.
	 */
	assert_true(noisy.early >= TRIALS * 0.8);
	assert_int_equal(noisy.early_dir_down, 0);
}

/*
 * Within 1.5x: the full budget runs (and still finds it, usually).  At 1.2x
 * with runs within ~5% never an early stop; at 1.3x noise pushes the odd
 * screen past 1.5x (a few in 10,000), which is then a true difference.
 */
static void test_subtle_runs_full(void **state)
{
	struct outcome o = simulate(1.2, 0.05, false, 0x5ed), o13 = simulate(1.3, 0.05, false, 0x5ee);

	(void)state;
	assert_int_equal(o.early, 0);
	assert_true(o.different >= TRIALS * 0.9);
	assert_true(o13.early <= TRIALS / 1000);
	assert_true(o13.different >= TRIALS * 0.9);
}

static void test_screen_edges(void **state)
{
	const double a[] = { 10, 20, 30, 40, 50 }, b[] = { 1, 2, 3, 4, 5 }, c[] = { 5, 15, 25, 35, 45 };
	struct scx_seq_plan plan;
	struct scx_seq_look l;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	assert_int_equal(scx_seq_screen(&plan, 1, a, 5, b, 5, &l), 0);
	assert_true(l.separated && l.gross && l.decisive);
	assert_false(l.extend);
	assert_int_equal(l.direction, 1);
	assert_float_equal(l.p, 2.0 / 252, 1e-12);
	/* Overlapping sides: not decisive, however large the ratio; gross medians ask for look 2. */
	assert_int_equal(scx_seq_screen(&plan, 1, a, 5, c, 5, &l), 0);
	assert_false(l.separated);
	assert_false(l.decisive);
	assert_false(l.extend);		/* medians 30 and 25: not gross */
	/* Four runs on one side (one dropped): never decisive, no look 2 either. */
	assert_int_equal(scx_seq_screen(&plan, 1, a, 4, b, 5, &l), 0);
	assert_false(l.decisive);
	assert_false(l.extend);
	assert_int_equal(scx_seq_screen(&plan, 1, a, 0, b, 5, &l), -EINVAL);
	assert_int_equal(scx_seq_screen(&plan, 3, a, 5, b, 5, &l), -EINVAL);
}

/* The boundary of both looks on fixed data with one wild run per side. */
static void test_screen_outliers(void **state)
{
	/* Custom ~40x worse; its run 2 is wild (below every default run), default run 4 above all. */
	const double c[] = { 41000, 800, 39000, 40500, 38000, 42000, 39500, 40100 };
	const double d[] = { 1000, 1100, 950, 1050, 90000, 1020, 980, 1010 };
	/* The same, but two wild runs on the custom side: look 2 must not decide. */
	const double c2[] = { 41000, 800, 39000, 700, 38000, 42000, 39500, 40100 };
	struct scx_seq_plan plan;
	struct scx_seq_look l;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	assert_int_equal(scx_seq_screen(&plan, 1, c, 5, d, 5, &l), 0);
	assert_false(l.separated);
	assert_true(l.gross && l.extend);
	assert_false(l.decisive);
	/* Look 2 on 8 per side: set aside the wild runs, the rest separate. */
	assert_int_equal(scx_seq_screen(&plan, 2, c, 8, d, 8, &l), 0);
	assert_true(l.separated && l.gross && l.decisive);
	assert_int_equal(l.direction, 1);
	assert_float_equal(l.p, 130.0 / 12870, 1e-12);
	assert_false(l.extend);
	/* The mirror (default first): the same decision, the other direction. */
	assert_int_equal(scx_seq_screen(&plan, 2, d, 8, c, 8, &l), 0);
	assert_true(l.decisive);
	assert_int_equal(l.direction, -1);
	/* Look 2 needs 8 runs per side. */
	assert_int_equal(scx_seq_screen(&plan, 2, c, 7, d, 8, &l), 0);
	assert_false(l.decisive);
	/* Two wild runs on one side: overlapping even trimmed, not decisive. */
	assert_int_equal(scx_seq_screen(&plan, 2, c2, 8, d, 8, &l), 0);
	assert_false(l.separated);
	assert_false(l.decisive);
	assert_float_equal(l.p, 1, 1e-12);
	/* Ties at the boundary do not separate (strictly beyond). */
	{
		const double e[] = { 5, 1, 5, 5, 5, 5, 5, 5 }, f[] = { 1, 1, 1, 1, 1, 1, 5, 9 };

		assert_int_equal(scx_seq_screen(&plan, 2, e, 8, f, 8, &l), 0);
		assert_false(l.separated);
	}
}

static void add_runs(json_t *runs, const char *side, const double *v, int n)
{
	for (int i = 0; i < n; i++)
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", side, "valid", 1,
						      "probe", "p99_ns", v[i]));
}

static void test_screen_json(void **state)
{
	const double c[] = { 40000, 40001, 40002, 40003, 40004 }, d[] = { 1000, 1001, 1002, 1003, 1004 };
	json_t *runs = json_array(), *o;
	struct scx_seq_plan plan;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	add_runs(runs, "screen-custom", c, 5);
	add_runs(runs, "screen-default", d, 5);
	/* A dropped run does not count (and need not have the figure). */
	json_array_append_new(runs, json_pack("{s:s, s:b}", "side", "screen-custom", "valid", 0));
	o = scx_seq_screen_json(&plan, 1, runs, "screen-custom", "screen-default");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "figure")), "probe_p99_ns");
	assert_true(json_is_true(json_object_get(o, "decisive")));
	assert_int_equal(json_integer_value(json_object_get(o, "direction")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "n_a")), 5);
	assert_int_equal(json_integer_value(json_object_get(o, "look")), 1);
	json_decref(o);
	json_decref(runs);
}

/* A paired section decided at a screening look: the result is that look's, at its level. */
static void analyze_early(unsigned look)
{
	const double c[] = { 41000, 800, 39000, 40500, 38000, 42000, 39500, 40100 };
	const double d[] = { 1000, 1100, 950, 1050, 90000, 1020, 980, 1010 };
	const double c1[] = { 40000, 40001, 40002, 40003, 40004 };
	json_t *paired = json_object(), *runs = json_array(), *seq = json_object(), *res;
	struct scx_seq_plan plan;

	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	add_runs(runs, "screen-custom", look == 1 ? c1 : c, look == 1 ? 5 : 8);
	add_runs(runs, "screen-default", d, look == 1 ? 4 : 8);
	if (look == 1)
		add_runs(runs, "screen-default", d + 5, 1);
	json_object_set_new(seq, "plan", scx_seq_plan_json(&plan));
	json_object_set_new(seq, "screen", scx_seq_screen_json(&plan, look, runs, "screen-custom",
							       "screen-default"));
	json_object_set_new(seq, "stopped_early", json_true());
	json_object_set_new(seq, "decided_after_s", json_real(look == 1 ? 20.0 : 32.0));
	json_object_set_new(paired, "sequential", seq);
	json_object_set_new(paired, "workload", json_string("wakeup"));
	json_object_set_new(paired, "runs", runs);
	scx_paired_analyze(paired);
	res = json_object_get(paired, "result");
	assert_true(json_is_true(json_object_get(res, "significant")));
	assert_true(json_is_true(json_object_get(res, "stopped_early")));
	assert_string_equal(json_string_value(json_object_get(res, "direction")), "custom-worse");
	assert_int_equal(json_integer_value(json_object_get(res, "look")), look);
	assert_float_equal(json_number_value(json_object_get(res, "alpha")),
			   look == 1 ? 2.0 / 252 : 130.0 / 12870, 1e-12);
	assert_float_equal(json_number_value(json_object_get(res, "decided_after_s")),
			   look == 1 ? 20.0 : 32.0, 1e-12);
	json_decref(paired);
}

static void test_analyze_stopped_early(void **state)
{
	(void)state;
	analyze_early(1);
	analyze_early(2);
}

/* Not decided at the screen: the full design's test runs at alpha_final, screening runs left out. */
static void test_analyze_full_after_screen(void **state)
{
	json_t *paired = json_object(), *runs = json_array(), *seq = json_object(), *res;
	struct scx_seq_plan plan;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	for (int i = 0; i < 5; i++) {
		/* 5 vs 5 with one swap: U = 1, p = 4/252 = 0.016 < alpha_final */
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "custom", "valid", 1,
						      "probe", "p99_ns", i == 0 ? 1004.5 : 1100.0 + i));
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "default", "valid", 1,
						      "probe", "p99_ns", i == 4 ? 1005.0 : 1000.0 + i));
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "screen-custom",
						      "valid", 1, "probe", "p99_ns", 1.0));
	}
	json_object_set_new(seq, "plan", scx_seq_plan_json(&plan));
	json_object_set_new(seq, "stopped_early", json_false());
	json_object_set_new(paired, "sequential", seq);
	json_object_set_new(paired, "workload", json_string("wakeup"));
	json_object_set_new(paired, "runs", runs);
	scx_paired_analyze(paired);
	res = json_object_get(paired, "result");
	assert_false(json_is_true(json_object_get(res, "stopped_early")));
	assert_int_equal(json_integer_value(json_object_get(res, "valid_custom_runs")), 5);
	assert_float_equal(json_number_value(json_object_get(res, "alpha")), plan.alpha_final, 1e-12);
	assert_true(json_number_value(json_object_get(res, "p")) < plan.alpha_final);
	assert_true(json_is_true(json_object_get(res, "significant")));
	json_decref(paired);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_trimmed_p_exact),
		cmocka_unit_test(test_h0_noisy),
		cmocka_unit_test(test_h0_outliers),
		cmocka_unit_test(test_h0_quiet),
		cmocka_unit_test(test_gross_stops_early),
		cmocka_unit_test(test_gross_outliers_stop_early),
		cmocka_unit_test(test_subtle_runs_full),
		cmocka_unit_test(test_screen_edges),
		cmocka_unit_test(test_screen_outliers),
		cmocka_unit_test(test_screen_json),
		cmocka_unit_test(test_analyze_stopped_early),
		cmocka_unit_test(test_analyze_full_after_screen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
