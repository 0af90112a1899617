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

#define TRIALS 20000

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
	unsigned early, different, early_dir_up, early_dir_down;
};

/* Trials of the whole procedure: screen, then (if not decisive) the full 5 vs 5 at alpha_final. */
static struct outcome simulate(double ratio, double sigma, uint64_t seed)
{
	struct scx_seq_plan plan;
	struct outcome o = { 0 };
	struct scx_rng rng;

	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	scx_rng_seed(&rng, seed);
	for (unsigned t = 0; t < TRIALS; t++) {
		double a[5], b[5];
		struct scx_seq_look l;
		struct scx_mwu m;

		for (unsigned i = 0; i < plan.screen_rounds; i++) {
			a[i] = run_value(&rng, 1000 * ratio, sigma);
			b[i] = run_value(&rng, 1000, sigma);
		}
		assert_int_equal(scx_seq_screen(&plan, a, plan.screen_rounds, b, plan.screen_rounds, &l), 0);
		if (l.decisive) {
			o.early++;
			o.different++;
			if (l.direction > 0)
				o.early_dir_up++;
			else
				o.early_dir_down++;
			continue;
		}
		for (unsigned i = 0; i < 5; i++) {
			a[i] = run_value(&rng, 1000 * ratio, sigma);
			b[i] = run_value(&rng, 1000, sigma);
		}
		assert_int_equal(scx_mann_whitney(a, 5, b, 5, &m), 0);
		if (m.p < plan.alpha_final)
			o.different++;
	}
	return o;
}

static void test_plan(void **state)
{
	struct scx_seq_plan plan;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	assert_int_equal(plan.screen_rounds, 4);
	assert_float_equal(plan.alpha_screen, 2.0 / 70, 1e-12);
	assert_float_equal(plan.alpha_screen + plan.alpha_final, 0.05, 1e-12);
	/* 5 vs 5 can still reach alpha_final (2/252 < 0.0214) ... */
	assert_true(scx_mwu_min_p(5, 5) < plan.alpha_final);
	/* ... 4 vs 4 cannot: no screening before a design that small. */
	assert_false(scx_seq_plan_for(4, 0.05, &plan));
	assert_false(scx_seq_plan_for(1, 0.05, &plan));
}

/* Equal schedulers, very noisy runs (the gross ratio is often met by chance): still <= alpha. */
static void test_h0_noisy(void **state)
{
	struct outcome o = simulate(1.0, 1.0, 0x5e9);

	(void)state;
	print_message("H0, sigma 1.0: %u early stops, %u called different of %u\n", o.early,
		      o.different, TRIALS);
	/* Early stops: at most alpha_screen (2/70 = 2.9%) plus three standard errors. */
	assert_true(o.early <= TRIALS * (2.0 / 70) + 3 * sqrt(TRIALS * (2.0 / 70)));
	assert_true(o.different <= TRIALS * 0.05);
	/* Symmetric: both directions happen. */
	assert_true(o.early_dir_up > 0 && o.early_dir_down > 0);
}

/* Equal schedulers, ordinary noise (runs within ~10%): no early stop at all. */
static void test_h0_quiet(void **state)
{
	struct outcome o = simulate(1.0, 0.1, 0x5ea);

	(void)state;
	print_message("H0, sigma 0.1: %u early stops, %u called different of %u\n", o.early,
		      o.different, TRIALS);
	assert_int_equal(o.early, 0);
	assert_true(o.different <= TRIALS * 0.05);
}

/* 40x worse (the test `slow` scheduler's order) and 10x better: decided at the screen. */
static void test_gross_stops_early(void **state)
{
	struct outcome worse = simulate(40, 0.3, 0x5eb), better = simulate(0.1, 0.3, 0x5ec);

	(void)state;
	assert_true(worse.early >= TRIALS * 0.99);
	assert_int_equal(worse.early_dir_down, 0);
	assert_true(better.early >= TRIALS * 0.99);
	assert_int_equal(better.early_dir_up, 0);
}

/*
 * Within 1.5x: the full budget runs (and still finds it, usually).  At 1.2x
 * with runs within ~5% never an early stop; at 1.3x noise pushes the odd
 * screen past 1.5x (a few in 10,000), which is then a true difference.
 */
static void test_subtle_runs_full(void **state)
{
	struct outcome o = simulate(1.2, 0.05, 0x5ed), o13 = simulate(1.3, 0.05, 0x5ee);

	(void)state;
	assert_int_equal(o.early, 0);
	assert_true(o.different >= TRIALS * 0.9);
	assert_true(o13.early <= TRIALS / 1000);
	assert_true(o13.different >= TRIALS * 0.9);
}

static void test_screen_edges(void **state)
{
	const double a[] = { 10, 20, 30, 40 }, b[] = { 1, 2, 3, 4 }, c[] = { 5, 15, 25, 35 };
	struct scx_seq_plan plan;
	struct scx_seq_look l;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	assert_int_equal(scx_seq_screen(&plan, a, 4, b, 4, &l), 0);
	assert_true(l.separated && l.gross && l.decisive);
	assert_int_equal(l.direction, 1);
	/* Overlapping sides: not decisive, however large the ratio. */
	assert_int_equal(scx_seq_screen(&plan, a, 4, c, 4, &l), 0);
	assert_false(l.separated);
	assert_false(l.decisive);
	/* Three runs on one side (one dropped): never decisive. */
	assert_int_equal(scx_seq_screen(&plan, a, 3, b, 4, &l), 0);
	assert_false(l.decisive);
	assert_int_equal(scx_seq_screen(&plan, a, 0, b, 4, &l), -EINVAL);
}

static void test_screen_json(void **state)
{
	json_t *runs = json_array(), *o;
	struct scx_seq_plan plan;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	for (int i = 0; i < 4; i++) {
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "screen-custom",
						      "valid", 1, "probe", "p99_ns", 40000.0 + i));
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "screen-default",
						      "valid", 1, "probe", "p99_ns", 1000.0 + i));
	}
	/* A dropped run does not count (and need not have the figure). */
	json_array_append_new(runs, json_pack("{s:s, s:b}", "side", "screen-custom", "valid", 0));
	o = scx_seq_screen_json(&plan, runs, "screen-custom", "screen-default");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "figure")), "probe_p99_ns");
	assert_true(json_is_true(json_object_get(o, "decisive")));
	assert_int_equal(json_integer_value(json_object_get(o, "direction")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "n_a")), 4);
	json_decref(o);
	json_decref(runs);
}

/* A paired section decided at the screen: the result is the screen's, at its level. */
static void test_analyze_stopped_early(void **state)
{
	json_t *paired = json_object(), *runs = json_array(), *seq = json_object(), *res;
	struct scx_seq_plan plan;

	(void)state;
	assert_true(scx_seq_plan_for(5, 0.05, &plan));
	for (int i = 0; i < 4; i++) {
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "screen-custom",
						      "valid", 1, "probe", "p99_ns", 40000.0 + i));
		json_array_append_new(runs, json_pack("{s:s, s:b, s:{s:f}}", "side", "screen-default",
						      "valid", 1, "probe", "p99_ns", 1000.0 + i));
	}
	json_object_set_new(seq, "plan", scx_seq_plan_json(&plan));
	json_object_set_new(seq, "screen", scx_seq_screen_json(&plan, runs, "screen-custom",
							       "screen-default"));
	json_object_set_new(seq, "stopped_early", json_true());
	json_object_set_new(seq, "decided_after_s", json_real(16.0));
	json_object_set_new(paired, "sequential", seq);
	json_object_set_new(paired, "workload", json_string("wakeup"));
	json_object_set_new(paired, "runs", runs);
	scx_paired_analyze(paired);
	res = json_object_get(paired, "result");
	assert_true(json_is_true(json_object_get(res, "significant")));
	assert_true(json_is_true(json_object_get(res, "stopped_early")));
	assert_string_equal(json_string_value(json_object_get(res, "direction")), "custom-worse");
	assert_float_equal(json_number_value(json_object_get(res, "alpha")), 2.0 / 70, 1e-12);
	assert_float_equal(json_number_value(json_object_get(res, "decided_after_s")), 16.0, 1e-12);
	json_decref(paired);
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
		cmocka_unit_test(test_h0_noisy),
		cmocka_unit_test(test_h0_quiet),
		cmocka_unit_test(test_gross_stops_early),
		cmocka_unit_test(test_subtle_runs_full),
		cmocka_unit_test(test_screen_edges),
		cmocka_unit_test(test_screen_json),
		cmocka_unit_test(test_analyze_stopped_early),
		cmocka_unit_test(test_analyze_full_after_screen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
