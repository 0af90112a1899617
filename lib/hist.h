/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one log-linear histogram (layout: hist-layout.h) and its one
 * percentile definition, for the latency probe, the workloads and the paired
 * run: bucket index and bounds at any resolution k <= 5, per-CPU merge,
 * percentiles from sparse buckets, and their JSON.  Pure functions.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "hist-layout.h"

/* Log-linear bucket of v with k linear sub-buckets per power of two (k <= 5). */
uint32_t lat_index_k(uint64_t v, unsigned k);
/* [lo, hi) of bucket idx at resolution k; the last K=5 bucket also holds all above. */
void lat_bounds_k(uint32_t idx, unsigned k, uint64_t *ret_lo, uint64_t *ret_hi);
static inline uint32_t lat_index(uint64_t v) { return lat_index_k(v, LAT_K); }
/* The value a bucket stands for: its midpoint (within 2^-(k+1) of any value in it). */
uint64_t lat_bucket_value(uint32_t idx);

struct lat_bucket {
	uint32_t idx;		/* K = 5 bucket index */
	uint64_t count;
};

/* Sum n_cpus per-CPU copies of a histogram (stride: one struct each). */
void lat_hist_merge(struct lat_hist *into, const struct lat_hist *percpu, unsigned n_cpus);
/* Non-empty buckets of a dense histogram, in order; returns how many (<= LAT_BUCKETS). */
size_t lat_hist_sparse(const struct lat_hist *h, struct lat_bucket *ret);

struct lat_stats {
	uint64_t count, p50, p90, p99, p999, max, mean;
};

/*
 * The one percentile definition (docs/report-format.md, "Percentiles"):
 * nearest rank.  The q-quantile of n events is the ceil(q * n)-th smallest
 * (at least the 1st), q taken in parts per million; lat_rank gives that rank.
 * lat_percentile returns the value of the bucket holding it (its midpoint);
 * lat_hist_stats caps that at the exact maximum.  0 when empty.
 */
uint64_t lat_rank(uint64_t n, double q);
uint64_t lat_percentile(const struct lat_bucket *b, size_t n, double q);
/* Count one value: its bucket, the exact sum and the exact maximum. */
void lat_hist_add(struct lat_hist *h, uint64_t v);
/* Count, percentiles (capped at the exact max), max and mean (sum / count, rounded half up). */
void lat_hist_stats(const struct lat_hist *h, struct lat_stats *ret);

/* {"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "mean_ns"} */
json_t *lat_stats_json(const struct lat_stats *s);
/* [[lo_ns, count], ...] of the non-empty buckets at resolution k (0..5). */
json_t *lat_buckets_json(const struct lat_hist *h, unsigned k);
/* Read such a list back into a dense K = 5 histogram (counts only); -EINVAL if malformed. */
int lat_buckets_from_json(const json_t *list, struct lat_hist *ret);
