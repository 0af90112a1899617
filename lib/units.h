/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Numbers for people, in one place: every text scx-report prints or renders
 * (summary.txt, report.html, diff, triage, the verbs) formats a duration, a
 * ratio, a p-value or a measured figure's name through these, so a figure
 * reads the same everywhere: "p99 wakeup delay 202 ms on scx_slow vs 12.8 ms
 * on the default (15.7×, p = 0.002)".
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

/* A duration in nanoseconds, 3 significant figures: "850 ns", "12.3 µs", "202 ms", "1.20 s"; NaN: "-". */
void scx_fmt_duration(char *buf, size_t len, double ns);
/* A ratio, 3 significant figures: "15.7×", "1.02×", "0.500×"; NaN: "-". */
void scx_fmt_ratio(char *buf, size_t len, double ratio);
/* A p-value: "p = 0.43", "p = 0.002", "p < 0.001"; NaN: "p = -". */
void scx_fmt_p(char *buf, size_t len, double p);
/* The value of a named figure in its unit: a *_ns figure as a duration, *_s in seconds, *_per_s per second. */
void scx_fmt_figure_value(char *buf, size_t len, const char *figure, double value);
/* A figure's name in words ("probe_p99_ns" -> "p99 wakeup delay"); unknown names come back as they are. */
const char *scx_metric_words(const char *figure);
/*
 * The paired run's result (report.json paired.result) in one sentence:
 * "p99 wakeup delay 202 ms on scx_slow vs 12.8 ms on the default (15.7×, p = 0.002)".
 * custom names the custom scheduler (NULL: "the custom scheduler").  0, or -EINVAL
 * (buf says "-") when res holds no figure.
 */
int scx_fmt_paired_result(char *buf, size_t len, const json_t *res, const char *custom);
