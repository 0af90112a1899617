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
/*
 * What the report's latency.source counts, in words, for the summary and
 * report.html: *what* the waits are and, for run_delay, the *caveat* (NULL
 * otherwise).  Both NULL for a report without a source (before run_delay,
 * all were clock) or with one we do not know: the bundle's own string is
 * never shown.
 */
void scx_latency_source_words(const json_t *lat, const char **what, const char **caveat);
/* "850ns", "12.3us", "4.56ms", "1.20s". */
void scx_latency_fmt_ns(char *buf, size_t len, double ns);
