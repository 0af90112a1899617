// SPDX-License-Identifier: GPL-2.0-or-later
/* The one histogram and percentile definition (lib/hist.c): no BPF needed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hist.h"

static void test_index_known_values(void **state)
{
	uint64_t lo, hi;

	(void)state;
	/* Below 2^K: the value itself. */
	assert_int_equal(lat_index(0), 0);
	assert_int_equal(lat_index(1), 1);
	assert_int_equal(lat_index(31), 31);
	/* [32, 64): width 1 still. */
	assert_int_equal(lat_index(32), 32);
	assert_int_equal(lat_index(63), 63);
	/* [64, 128): width 2. */
	assert_int_equal(lat_index(64), 64);
	assert_int_equal(lat_index(65), 64);
	assert_int_equal(lat_index(66), 65);
	/* 1000 = 2^9 + 30 * 16 + 8: bucket (9-5+1)*32 + 30. */
	assert_int_equal(lat_index(1000), 190);
	lat_bounds_k(190, LAT_K, &lo, &hi);
	assert_int_equal(lo, 992);
	assert_int_equal(hi, 1008);
	assert_int_equal(lat_bucket_value(190), 1000);
	/* The top: 2^36 - 1 is the last bucket, and so is everything above. */
	assert_int_equal(lat_index((1ull << 36) - 1), LAT_BUCKETS - 1);
	assert_int_equal(lat_index(1ull << 36), LAT_BUCKETS - 1);
	assert_int_equal(lat_index(UINT64_MAX), LAT_BUCKETS - 1);
	lat_bounds_k(LAT_BUCKETS - 1, LAT_K, &lo, &hi);
	assert_int_equal(hi, 1ull << 36);
	/* k = 0 is runqlat's log2. */
	assert_int_equal(lat_index_k(1, 0), 1);
	assert_int_equal(lat_index_k(2, 0), 2);
	assert_int_equal(lat_index_k(3, 0), 2);
	assert_int_equal(lat_index_k(4, 0), 3);
	lat_bounds_k(lat_index_k(5000, 0), 0, &lo, &hi);
	assert_int_equal(lo, 4096);
	assert_int_equal(hi, 8192);
}

/* Every value lies in its bucket, and the bucket's value is within 2^-(K+1) of it. */
static void test_index_bounds_error(void **state)
{
	uint32_t prev = 0;
	uint64_t v = 1;

	(void)state;
	srandom(42);
	for (unsigned i = 0; i < 200000; i++) {
		uint64_t lo, hi, mid;
		uint32_t idx;

		/* Walk up through every magnitude, with random steps. */
		v += 1 + (uint64_t)random() % (v / 64 + 1);
		if (v >= (1ull << 36))
			break;
		idx = lat_index(v);
		assert_true(idx >= prev);
		prev = idx;
		lat_bounds_k(idx, LAT_K, &lo, &hi);
		assert_true(lo <= v && v < hi);
		mid = lat_bucket_value(idx);
		assert_true((double)(mid > v ? mid - v : v - mid) <= (double)v / 64.0);
		for (unsigned k = 0; k <= LAT_K; k++) {
			lat_bounds_k(lat_index_k(v, k), k, &lo, &hi);
			assert_true(lo <= v && v < hi);
		}
	}
	assert_true(v >= (1ull << 35));
}

static void test_percentiles(void **state)
{
	struct lat_bucket b[] = {
		{ lat_index(10), 50 }, { lat_index(20), 40 }, { lat_index(1000), 9 },
		{ lat_index(5000000), 1 },
	};

	(void)state;
	assert_int_equal(lat_percentile(b, 4, 0.50), 10);
	assert_int_equal(lat_percentile(b, 4, 0.51), 20);
	assert_int_equal(lat_percentile(b, 4, 0.90), 20);
	assert_int_equal(lat_percentile(b, 4, 0.91), 1000);
	assert_int_equal(lat_percentile(b, 4, 0.99), 1000);
	assert_int_equal(lat_percentile(b, 4, 0.999), lat_bucket_value(lat_index(5000000)));
	assert_int_equal(lat_percentile(b, 4, 1.0), lat_bucket_value(lat_index(5000000)));
	assert_int_equal(lat_percentile(b, 0, 0.5), 0);
}

/*
 * The one percentile definition, by hand (docs/report-format.md): the
 * q-quantile of n events is the ceil(q * n)-th smallest; the mean is rounded.
 */
static void test_definition_by_hand(void **state)
{
	struct lat_hist *h = calloc(1, sizeof(*h));
	struct lat_stats s;

	(void)state;
	assert_int_equal(lat_rank(100, 0.99), 99);
	assert_int_equal(lat_rank(10, 0.99), 10);	/* 9.9 -> 10 */
	assert_int_equal(lat_rank(1000, 0.999), 999);
	assert_int_equal(lat_rank(7, 0.50), 4);	/* 3.5 -> 4 */
	assert_int_equal(lat_rank(8, 0.50), 4);
	assert_int_equal(lat_rank(1, 0.50), 1);
	assert_int_equal(lat_rank(3, 0.001), 1);	/* never the 0th */
	assert_int_equal(lat_rank(100, 0.07), 7);	/* 0.07 * 100 is 7.000000000000001 in double */
	assert_int_equal(lat_rank(100, 1.0), 100);

	/* 1, 2, 3, 4 ns (each its own bucket below 32 ns) */
	for (uint64_t v = 1; v <= 4; v++)
		lat_hist_add(h, v);
	lat_hist_stats(h, &s);
	assert_int_equal(s.count, 4);
	assert_int_equal(s.p50, 2);	/* ceil(2) = 2nd */
	assert_int_equal(s.p90, 4);	/* ceil(3.6) = 4th */
	assert_int_equal(s.mean, 3);	/* 10 / 4 = 2.5, rounded half up */
	assert_int_equal(s.max, 4);

	/*
	 * 99 x 100 ns and 1 x 1100 ns.  100 ns is in bucket [100, 102): it
	 * stands for 101.  1100 ns is in [1088, 1120): 1104, above the exact
	 * maximum, so 1100.
	 */
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 99; i++)
		lat_hist_add(h, 100);
	lat_hist_add(h, 1100);
	lat_hist_stats(h, &s);
	assert_int_equal(s.count, 100);
	assert_int_equal(s.p50, 101);
	assert_int_equal(s.p99, 101);	/* the 99th smallest is still 100 ns */
	assert_int_equal(s.p999, 1100);	/* ceil(99.9) = 100th, capped at max */
	assert_int_equal(s.max, 1100);
	assert_int_equal(s.mean, 110);	/* (9900 + 1100) / 100 */
	free(h);
}

static void test_stats_and_merge(void **state)
{
	struct lat_hist *cpu = calloc(3, sizeof(*cpu)), *m = calloc(1, sizeof(*m));
	struct lat_stats s;

	(void)state;
	/* CPU 0: 10 x 100 ns; CPU 2: 1 x 995 ns (max); CPU 1 empty. */
	cpu[0].slots[lat_index(100)] = 10;
	cpu[0].sum_ns = 1000;
	cpu[0].max_ns = 100;
	cpu[2].slots[lat_index(995)] = 1;
	cpu[2].sum_ns = 995;
	cpu[2].max_ns = 995;
	lat_hist_merge(m, cpu, 3);
	assert_int_equal(m->slots[lat_index(100)], 10);
	assert_int_equal(m->sum_ns, 1995);
	assert_int_equal(m->max_ns, 995);
	lat_hist_stats(m, &s);
	assert_int_equal(s.count, 11);
	assert_int_equal(s.p50, lat_bucket_value(lat_index(100)));
	assert_int_equal(s.mean, (1995 + 5) / 11);
	/* 995's bucket stands for 1000, above the exact max: capped. */
	assert_int_equal(lat_bucket_value(lat_index(995)), 1000);
	assert_int_equal(s.p99, 995);
	assert_int_equal(s.max, 995);
	free(cpu);
	free(m);
}

static void test_buckets_json(void **state)
{
	struct lat_hist *h = calloc(1, sizeof(*h)), *back = calloc(1, sizeof(*back));
	json_t *fine, *coarse;

	(void)state;
	h->slots[lat_index(3)] = 1;
	h->slots[lat_index(5)] = 2;
	h->slots[lat_index(100)] = 3;
	h->slots[lat_index(120)] = 4;
	coarse = lat_buckets_json(h, 0);
	/* log2 rows: [2,4) 1, [4,8) 2, [64,128) 7. */
	assert_int_equal(json_array_size(coarse), 3);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(coarse, 0), 0)), 2);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(coarse, 0), 1)), 1);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(coarse, 1), 0)), 4);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(coarse, 2), 0)), 64);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(coarse, 2), 1)), 7);
	/* Fine rows read back into the same histogram. */
	fine = lat_buckets_json(h, LAT_K);
	assert_int_equal(json_array_size(fine), 4);
	assert_int_equal(lat_buckets_from_json(fine, back), 0);
	assert_memory_equal(back->slots, h->slots, sizeof(h->slots));
	json_array_append_new(fine, json_string("x"));
	assert_int_equal(lat_buckets_from_json(fine, back), -EINVAL);
	json_decref(fine);
	json_decref(coarse);
	free(h);
	free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_known_values),
		cmocka_unit_test(test_index_bounds_error),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_definition_by_hand),
		cmocka_unit_test(test_stats_and_merge),
		cmocka_unit_test(test_buckets_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
