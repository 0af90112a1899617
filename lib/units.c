// SPDX-License-Identifier: GPL-2.0-or-later
/* Numbers for people: durations, ratios, p-values and figure names (units.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "units.h"

/* v (>= 0) with 3 significant figures, no exponent: 1.20, 12.8, 202, 1230. */
static void sig3(char *buf, size_t len, double v)
{
	int e = v > 0 ? (int)floor(log10(v)) : 2, decimals = e >= 2 ? 0 : 2 - e;

	if (decimals > 9)
		decimals = 9;
	snprintf(buf, len, "%.*f", decimals, v);
	/* 9.996 printed as "10.00": one digit too many, print again with one decimal less. */
	if (decimals > 0 && strtod(buf, NULL) >= pow(10, e + 1))
		snprintf(buf, len, "%.*f", decimals - 1, v);
}

void scx_fmt_duration(char *buf, size_t len, double ns)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1, "ns" }, { 1e3, "µs" }, { 1e6, "ms" }, { 1e9, "s" },
	};
	char num[48];
	size_t u = 0;

	if (isnan(ns) || isinf(ns)) {
		snprintf(buf, len, "-");
		return;
	}
	/* The largest unit the value fills at least 1 of, after rounding to 3 figures. */
	while (u + 1 < sizeof(units) / sizeof(units[0]) && fabs(ns) >= units[u + 1].scale * 0.9995)
		u++;
	if (u == 0) {
		snprintf(buf, len, "%s%.0f ns", ns < 0 ? "-" : "", fabs(ns));
		return;
	}
	sig3(num, sizeof(num), fabs(ns) / units[u].scale);
	snprintf(buf, len, "%s%s %s", ns < 0 ? "-" : "", num, units[u].unit);
}

void scx_fmt_ratio(char *buf, size_t len, double ratio)
{
	char num[48];

	if (isnan(ratio) || isinf(ratio) || ratio < 0) {
		snprintf(buf, len, "-");
		return;
	}
	sig3(num, sizeof(num), ratio);
	snprintf(buf, len, "%s×", num);
}

void scx_fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "p = -");
	else if (p < 0.001)
		snprintf(buf, len, "p < 0.001");
	else if (p < 0.01)
		snprintf(buf, len, "p = %.3f", p);
	else
		snprintf(buf, len, "p = %.2f", p);
}

void scx_fmt_figure_value(char *buf, size_t len, const char *figure, double value)
{
	char num[48];
	size_t n = figure ? strlen(figure) : 0;

	if (isnan(value) || isinf(value)) {
		snprintf(buf, len, "-");
	} else if (n > 3 && !strcmp(figure + n - 3, "_ns")) {
		scx_fmt_duration(buf, len, value);
	} else if (n > 6 && !strcmp(figure + n - 6, "_per_s")) {
		sig3(num, sizeof(num), fabs(value));
		snprintf(buf, len, "%s%s/s", value < 0 ? "-" : "", num);
	} else if (n > 2 && !strcmp(figure + n - 2, "_s")) {
		scx_fmt_duration(buf, len, value * 1e9);
	} else {
		sig3(num, sizeof(num), fabs(value));
		snprintf(buf, len, "%s%s", value < 0 ? "-" : "", num);
	}
}

const char *scx_metric_words(const char *figure)
{
	static const struct { const char *name, *words; } names[] = {
		{ "probe_p50_ns", "median wakeup delay" },
		{ "probe_p99_ns", "p99 wakeup delay" },
		{ "probe_p999_ns", "p99.9 wakeup delay" },
		{ "workload_p50_ns", "median workload latency" },
		{ "workload_p99_ns", "p99 workload latency" },
		{ "workload_p999_ns", "p99.9 workload latency" },
		{ "throughput_per_s", "workload throughput" },
		{ "duration_s", "reproducer run time" },
		{ "latency.runq.p99_ns", "p99 run-queue delay" },
		{ "latency.runq.p50_ns", "median run-queue delay" },
	};

	for (size_t i = 0; figure && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(figure, names[i].name))
			return names[i].words;
	return figure ? figure : "the measured figure";
}

static double num(const json_t *o, const char *path)
{
	const json_t *v = jget(o, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

int scx_fmt_paired_result(char *buf, size_t len, const json_t *res, const char *custom)
{
	const char *fig = jstr(res, "figure");
	char c[48], d[48], ratio[48], p[48];

	if (!fig) {
		snprintf(buf, len, "-");
		return -EINVAL;
	}
	scx_fmt_figure_value(c, sizeof(c), fig, num(res, "median_custom"));
	scx_fmt_figure_value(d, sizeof(d), fig, num(res, "median_default"));
	scx_fmt_ratio(ratio, sizeof(ratio), num(res, "ratio"));
	scx_fmt_p(p, sizeof(p), num(res, "p"));
	snprintf(buf, len, "%s %s on %s vs %s on the default (%s, %s)", scx_metric_words(fig), c,
		 custom && *custom ? custom : "the custom scheduler", d, ratio, p);
	return 0;
}
