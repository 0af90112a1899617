/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text rendering of a "latency" object: summary.txt and the `latency` verb. */
#pragma once

#include <jansson.h>
#include <stdio.h>

/*
 * The whole section: what was sampled, the probe's cost, then for runq,
 * preempt and slice the percentiles and a histogram.  The rows come from
 * "buckets" (K = 5, regrouped at resolution k) when present, else from
 * "log2_buckets"; k > 5 means 5.
 */
void scx_latency_text(FILE *f, const json_t *lat, unsigned k);
/* The latency verb's rows by default: one per power of two, about 20 as runqlat prints. */
#define SCX_LATENCY_DEFAULT_K 0
/* "850ns", "12.3us", "4.56ms", "1.20s". */
void scx_latency_fmt_ns(char *buf, size_t len, double ns);
