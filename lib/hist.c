// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one log-linear histogram (hist.h): bucket index and bounds
 * at any resolution k <= 5, per-CPU merge, percentiles from sparse buckets,
 * and their JSON.  Pure functions: the unit tests run them without BPF.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "hist.h"
#include "util.h"

static unsigned log2_u64(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

uint32_t lat_index_k(uint64_t v, unsigned k)
{
	uint64_t sub = 1ull << k;
	unsigned m;

	if (v < sub)
		return (uint32_t)v;
	m = log2_u64(v);
	/* Past the last power of two we cover: the last bucket (the exact max is kept apart). */
	if (m > LAT_MAX_LOG2)
		return (uint32_t)(((LAT_MAX_LOG2 - k + 1) << k) + sub - 1);
	return (uint32_t)(((m - k + 1) << k) + ((v >> (m - k)) & (sub - 1)));
}

void lat_bounds_k(uint32_t idx, unsigned k, uint64_t *ret_lo, uint64_t *ret_hi)
{
	uint64_t sub = 1ull << k;
	unsigned m;

	if (idx < sub) {
		*ret_lo = idx;
		*ret_hi = idx + 1ull;
		return;
	}
	m = (unsigned)(idx >> k) + k - 1;
	*ret_lo = (1ull << m) + ((uint64_t)(idx & (sub - 1)) << (m - k));
	*ret_hi = *ret_lo + (1ull << (m - k));
}

uint64_t lat_bucket_value(uint32_t idx)
{
	uint64_t lo, hi;

	lat_bounds_k(idx, LAT_K, &lo, &hi);
	return lo + (hi - lo) / 2;
}

void lat_hist_merge(struct lat_hist *into, const struct lat_hist *percpu, unsigned n_cpus)
{
	for (unsigned c = 0; c < n_cpus; c++) {
		const struct lat_hist *h = &percpu[c];

		for (unsigned i = 0; i < LAT_BUCKETS; i++)
			into->slots[i] += h->slots[i];
		into->sum_ns += h->sum_ns;
		if (h->max_ns > into->max_ns)
			into->max_ns = h->max_ns;
	}
}

size_t lat_hist_sparse(const struct lat_hist *h, struct lat_bucket *ret)
{
	size_t n = 0;

	for (uint32_t i = 0; i < LAT_BUCKETS; i++)
		if (h->slots[i])
			ret[n++] = (struct lat_bucket){ .idx = i, .count = h->slots[i] };
	return n;
}

void lat_hist_add(struct lat_hist *h, uint64_t v)
{
	h->slots[lat_index(v)]++;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

uint64_t lat_rank(uint64_t n, double q)
{
	/* q in parts per million, so 0.99 * 100 is 99 and not 99.00000000000001. */
	uint64_t ppm = q <= 0 ? 0 : q >= 1 ? 1000000u : (uint64_t)llround(q * 1e6);
	uint64_t rank = (uint64_t)(((unsigned __int128)ppm * n + 999999u) / 1000000u);

	return rank ? rank : 1;
}

uint64_t lat_percentile(const struct lat_bucket *b, size_t n, double q)
{
	uint64_t total = 0, rank, seen = 0;

	for (size_t i = 0; i < n; i++)
		total += b[i].count;
	if (!total)
		return 0;
	rank = lat_rank(total, q);
	for (size_t i = 0; i < n; i++) {
		seen += b[i].count;
		if (seen >= rank)
			return lat_bucket_value(b[i].idx);
	}
	return lat_bucket_value(b[n - 1].idx);
}

void lat_hist_stats(const struct lat_hist *h, struct lat_stats *ret)
{
	struct lat_bucket b[LAT_BUCKETS];
	size_t n = lat_hist_sparse(h, b);
	struct lat_stats s = { .max = h->max_ns };
	const double qs[] = { 0.50, 0.90, 0.99, 0.999 };
	uint64_t *ps[] = { &s.p50, &s.p90, &s.p99, &s.p999 };

	for (size_t i = 0; i < n; i++)
		s.count += b[i].count;
	for (size_t i = 0; i < ARRAY_SIZE(qs); i++) {
		*ps[i] = lat_percentile(b, n, qs[i]);
		/* The bucket midpoint may lie above the largest value seen. */
		if (s.max && *ps[i] > s.max)
			*ps[i] = s.max;
	}
	if (s.count)
		s.mean = (h->sum_ns + s.count / 2) / s.count;
	*ret = s;
}

json_t *lat_stats_json(const struct lat_stats *s)
{
	return json_pack("{sI sI sI sI sI sI sI}",
			 "count", (json_int_t)s->count,
			 "p50_ns", (json_int_t)s->p50, "p90_ns", (json_int_t)s->p90,
			 "p99_ns", (json_int_t)s->p99, "p999_ns", (json_int_t)s->p999,
			 "max_ns", (json_int_t)s->max, "mean_ns", (json_int_t)s->mean);
}

json_t *lat_buckets_json(const struct lat_hist *h, unsigned k)
{
	json_t *list = json_array();
	uint64_t lo = 0, hi, count = 0;
	uint32_t cur = UINT32_MAX;

	if (k > LAT_K)
		k = LAT_K;
	/* Fine buckets nest in coarse ones: add up runs of the same coarse index. */
	for (uint32_t i = 0; i <= LAT_BUCKETS; i++) {
		uint32_t ci = UINT32_MAX;
		uint64_t flo = 0;

		if (i < LAT_BUCKETS) {
			if (!h->slots[i])
				continue;
			lat_bounds_k(i, LAT_K, &flo, &hi);
			ci = lat_index_k(flo, k);
		}
		if (ci != cur && count) {
			json_array_append_new(list, json_pack("[II]", (json_int_t)lo, (json_int_t)count));
			count = 0;
		}
		if (i == LAT_BUCKETS)
			break;
		if (ci != cur) {
			cur = ci;
			lat_bounds_k(ci, k, &lo, &hi);
		}
		count += h->slots[i];
	}
	return list;
}

int lat_buckets_from_json(const json_t *list, struct lat_hist *ret)
{
	struct lat_hist h;
	size_t i;
	json_t *row;

	if (!json_is_array(list))
		return -EINVAL;
	memset(&h, 0, sizeof(h));
	json_array_foreach(list, i, row) {
		json_t *lo = json_array_get(row, 0), *cnt = json_array_get(row, 1);

		if (!json_is_integer(lo) || !json_is_integer(cnt) ||
		    json_integer_value(lo) < 0 || json_integer_value(cnt) < 0)
			return -EINVAL;
		h.slots[lat_index((uint64_t)json_integer_value(lo))] +=
			(uint64_t)json_integer_value(cnt);
	}
	*ret = h;
	return 0;
}
