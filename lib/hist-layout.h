/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one log-linear histogram layout, shared by the BPF side
 * (bpf/latency.bpf.c, which fills it) and user space (lib/hist.c, which reads
 * it).  No includes: clang -target bpf compiles it too.
 *
 * Log-linear buckets (HdrHistogram, bpftrace hist(v, k)): a value below
 * 2^K is its own bucket; above, m = floor(log2 v) selects a power of two
 * that is split into 2^K linear sub-buckets:
 *     index = ((m - K + 1) << K) + ((v >> (m - K)) & (2^K - 1))
 * With K = 5 the midpoint of a bucket is within 2^-(K+1) = 1.5625% of any
 * value in it, and 1024 buckets reach 2^36 ns (~68.7 s); larger values
 * land in the last bucket (the exact maximum is kept apart).
 */
#ifndef SCX_HIST_LAYOUT_H
#define SCX_HIST_LAYOUT_H

#define LAT_K		5
#define LAT_SUB		(1u << LAT_K)		/* linear sub-buckets per power of two */
#define LAT_BUCKETS	1024u
#define LAT_MAX_LOG2	35			/* highest m with its own buckets */

/* One histogram on one CPU: an element of a per-CPU array (8 KiB + 16). */
struct lat_hist {
	unsigned long long slots[LAT_BUCKETS];
	unsigned long long sum_ns;	/* exact sum: the mean needs no bucket error */
	unsigned long long max_ns;	/* exact maximum */
};

#endif
