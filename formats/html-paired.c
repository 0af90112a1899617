// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: the paired run.  Three charts, each with its table:
 *  - the primary figure of every run in run order, custom against default,
 *    so a reader sees the noise and any drift over the run;
 *  - both sides' latency distributions as CDFs (through the percentiles each
 *    run recorded) on a log time axis, the probability axis in "nines";
 *  - the test figures: each ratio custom/default with its 95% interval.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "model.h"

#define MAX_RUNS 512

/* Where a test figure lives in a run ("probe_p99_ns" -> "probe.p99_ns"). */
static void figure_path(const char *figure, char *buf, size_t len)
{
	if (!strncmp(figure, "probe_", 6))
		snprintf(buf, len, "probe.%s", figure + 6);
	else if (!strncmp(figure, "workload_", 9))
		snprintf(buf, len, "workload.latency.%s", figure + 9);
	else if (!strcmp(figure, "throughput_per_s"))
		snprintf(buf, len, "workload.throughput.per_s");
	else
		snprintf(buf, len, "workload.%s", figure);
}

/* A figure's name for people: "probe_p999_ns" -> "p99.9 wakeup-to-run delay". */
static void figure_label(const char *figure, char *buf, size_t len)
{
	const char *pct = strchr(figure, '_');
	char p[16] = "";

	if (pct && pct[1] == 'p') {
		size_t n = strcspn(pct + 2, "_");

		snprintf(p, sizeof(p), "p%.*s", (int)(n > 8 ? 8 : n), pct + 2);
		if (!strcmp(p, "p999"))
			snprintf(p, sizeof(p), "p99.9");
	}
	if (!strncmp(figure, "probe_", 6) && *p)
		snprintf(buf, len, "%s wakeup-to-run delay", p);
	else if (!strncmp(figure, "workload_", 9) && *p)
		snprintf(buf, len, "%s workload latency", p);
	else if (!strcmp(figure, "throughput_per_s"))
		snprintf(buf, len, "throughput (per s)");
	else
		snprintf(buf, len, "%s", figure);
}

static bool is_ns(const char *figure)
{
	size_t n = strlen(figure);

	return n > 3 && !strcmp(figure + n - 3, "_ns");
}

static void fmt_value(char *buf, size_t len, const char *figure, double v)
{
	if (is_ns(figure))
		html_fmt_ns(buf, len, v);
	else
		html_fmt_num(buf, len, v);
}

static const char *side_class(const char *side)
{
	if (side && !strcmp(side, "custom"))
		return "custom";
	if (side && !strcmp(side, "default"))
		return "default";
	return "calib";
}

static void legend(FILE *f)
{
	fputs("<p class=\"legend\" aria-hidden=\"true\"><span><i class=\"sw custom\"></i>custom "
	      "scheduler (circles)</span><span><i class=\"sw default\"></i>default scheduler "
	      "(squares)</span></p>\n", f);
}

static void runs_chart(FILE *f, const json_t *p, const char *figure)
{
	const json_t *runs = json_object_get(p, "runs"), *run;
	char path[96], desc[600], t[256], a[32], b[32], label[64];
	double lo = INFINITY, hi = 0;
	size_t i, n = 0;
	struct scx_svg s;

	figure_path(figure, path, sizeof(path));
	figure_label(figure, label, sizeof(label));
	json_array_foreach(runs, i, run) {
		double v = html_num(run, path);

		if (isnan(v))
			continue;
		lo = fmin(lo, v);
		hi = fmax(hi, v);
		n++;
	}
	if (!n)
		return;
	fmt_value(a, sizeof(a), figure, html_num(p, "result.median_custom"));
	fmt_value(b, sizeof(b), figure, html_num(p, "result.median_default"));
	snprintf(desc, sizeof(desc), "The %s of each of %zu runs in the order they ran; median %s on "
		 "the custom scheduler, %s on the default.", label, n, a, b);
	html_figure_begin(f, "fig-runs");
	legend(f);
	scx_svg_begin(&s, f, "runs-svg", 640, 320, "Primary figure per run, in run order", desc);
	s.left = 72;
	bool logy = lo > 0 && hi / lo > 10;
	scx_svg_axes(&s, &(struct scx_svg_axis){ .lo = 0.5, .hi = (double)json_array_size(runs) + 0.5,
						  .label = "run (in the order run)" },
		     &(struct scx_svg_axis){ .lo = logy ? lo / 1.4 : fmin(0, lo),
					     .hi = logy ? hi * 1.4 : hi * 1.1, .log = logy, .label = label,
					     .fmt = is_ns(figure) ? scx_svg_fmt_ns : scx_svg_fmt_num });
	scx_svg_draw_axes(&s);
	if (!isnan(html_num(p, "result.median_custom")) && !strcmp(figure, jstr(p, "result.figure") ?: "")) {
		scx_svg_line(&s, s.x.lo, html_num(p, "result.median_custom"), s.x.hi,
			     html_num(p, "result.median_custom"), "median custom");
		scx_svg_line(&s, s.x.lo, html_num(p, "result.median_default"), s.x.hi,
			     html_num(p, "result.median_default"), "median default");
	}
	json_array_foreach(runs, i, run) {
		double v = html_num(run, path), x = html_num(run, "order");
		const char *side = jstr(run, "side");
		bool valid = json_is_true(json_object_get(run, "valid"));
		char cls[48];

		if (isnan(v))
			continue;
		if (isnan(x))
			x = (double)i + 1;
		fmt_value(a, sizeof(a), figure, v);
		snprintf(t, sizeof(t), "run %.0f, round %.0f, %s: %s%s", x, html_num(run, "round"),
			 side ? side : "?", a, valid ? "" : " (not valid)");
		snprintf(cls, sizeof(cls), "%s%s", side_class(side), valid ? "" : " hollow");
		if (!strcmp(side_class(side), "default"))
			scx_svg_square(&s, x, v, 5.5, cls, t);
		else
			scx_svg_dot(&s, x, v, 6, cls, t);
	}
	scx_svg_end(&s);
	html_figure_caption(f, "The primary figure of every run, in the order the runs alternated "
			    "(hollow: a run that was not valid); dashed lines are each side's median.");
	html_fallback_begin(f, "Table of the runs", (const char *const[]){
		"run", "round", "side", "valid", label, "why dropped", NULL });
	json_array_foreach(runs, i, run) {
		fputs("<tr>", f);
		html_fmt_num(a, sizeof(a), html_num(run, "order"));
		html_td(f, a);
		html_fmt_num(a, sizeof(a), html_num(run, "round"));
		html_td(f, a);
		html_td(f, jstr(run, "side"));
		html_td(f, json_is_true(json_object_get(run, "valid")) ? "yes" : "no");
		fmt_value(a, sizeof(a), figure, html_num(run, path));
		html_td(f, a);
		html_td(f, jstr(run, "drop_reason"));
		fputs("</tr>\n", f);
	}
	html_fallback_end(f);
	html_figure_end(f);
}

static void fmt_plain(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%g", v);
}

/* The frame, a log x axis with its ticks (labels from s->x.fmt) and its title; no y ticks. */
static void frame_log_x(struct scx_svg *s)
{
	double v[16];
	char lb[16][24];
	const char *lab[16];
	size_t k = scx_svg_log_ticks(s->x.lo, s->x.hi, v, 16);

	fprintf(s->f, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		s->left, s->top, s->right - s->left, s->bottom - s->top);
	for (size_t i = 0; i < k; i++) {
		s->x.fmt(lb[i], sizeof(lb[i]), v[i]);
		lab[i] = lb[i];
	}
	scx_svg_draw_x_labels(s, v, lab, k);
	if (s->x.label)
		scx_svg_text(s, (s->left + s->right) / 2, s->height - 8, "middle", "axis", s->x.label);
}

static const char *const pct_keys[] = { "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns" };
static const char *const pct_names[] = { "50%", "90%", "99%", "99.9%", "max" };
/* "Nines": -log10(1 - p); the max drawn half a nine above 99.9%. */
static const double pct_y[] = { 0.30103, 1, 2, 3, 3.5 };
#define NPCT 5

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median over a side's valid runs of each percentile, NAN when none. */
static void side_medians(const json_t *runs, const char *src, const char *side, double *med)
{
	static double v[MAX_RUNS];
	const json_t *run;
	char path[64];
	size_t i;

	for (size_t k = 0; k < NPCT; k++) {
		size_t n = 0;

		snprintf(path, sizeof(path), "%s.%s", src, pct_keys[k]);
		json_array_foreach(runs, i, run)
			if (n < MAX_RUNS && json_is_true(json_object_get(run, "valid")) &&
			    !strcmp(jstr(run, "side") ?: "", side) && !isnan(html_num(run, path)))
				v[n++] = html_num(run, path);
		qsort(v, n, sizeof(v[0]), cmp_double);
		med[k] = !n ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
}

static size_t run_points(const json_t *run, const char *src, double *x, double *y)
{
	char path[64];
	size_t n = 0;

	for (size_t k = 0; k < NPCT; k++) {
		snprintf(path, sizeof(path), "%s.%s", src, pct_keys[k]);
		if (html_num(run, path) > 0) {
			x[n] = html_num(run, path);
			y[n++] = pct_y[k];
		}
	}
	return n;
}

static void cdf_chart(FILE *f, const json_t *p, const char *figure)
{
	const json_t *runs = json_object_get(p, "runs"), *run;
	const char *src = !strncmp(figure, "workload_", 9) ? "workload.latency" : "probe";
	double x[NPCT], y[NPCT], mc[NPCT], md[NPCT], lo = INFINITY, hi = 0;
	char desc[600], t[256], a[32], b[32];
	struct scx_svg s;
	size_t i, n;

	json_array_foreach(runs, i, run) {
		n = run_points(run, src, x, y);
		for (size_t k = 0; k < n; k++) {
			lo = fmin(lo, x[k]);
			hi = fmax(hi, x[k]);
		}
	}
	if (!(hi > 0))
		return;
	side_medians(runs, src, "custom", mc);
	side_medians(runs, src, "default", md);
	html_fmt_ns(a, sizeof(a), mc[2]);
	html_fmt_ns(b, sizeof(b), md[2]);
	snprintf(desc, sizeof(desc), "Cumulative distribution of the %s latency of every run on a log "
		 "time axis; the median run's p99 is %s on the custom scheduler and %s on the default.",
		 strcmp(src, "probe") ? "workload's" : "wakeup-to-run", a, b);
	html_figure_begin(f, "fig-cdf");
	legend(f);
	scx_svg_begin(&s, f, "cdf-svg", 640, 340, "Latency distributions, custom against default", desc);
	scx_svg_axes(&s, &(struct scx_svg_axis){ .lo = lo / 1.5, .hi = hi * 1.5, .log = true,
						  .fmt = scx_svg_fmt_ns,
						  .label = strcmp(src, "probe") ? "workload latency (log scale)"
										  : "wakeup-to-run delay (log scale)" },
		     &(struct scx_svg_axis){ .lo = 0, .hi = 3.7, .label = "fraction of events below" });
	frame_log_x(&s);
	scx_svg_draw_y_labels(&s, pct_y, pct_names, NPCT);
	fprintf(f, "<text class=\"axis ytitle\" text-anchor=\"middle\" transform=\"translate(14 %.1f) "
		"rotate(-90)\">fraction below</text>\n", (s.top + s.bottom) / 2);
	json_array_foreach(runs, i, run) {
		char cls[48];

		if (!json_is_true(json_object_get(run, "valid")))
			continue;
		n = run_points(run, src, x, y);
		snprintf(cls, sizeof(cls), "%s thin", side_class(jstr(run, "side")));
		snprintf(t, sizeof(t), "run %.0f (%s)", html_num(run, "order"), jstr(run, "side") ?: "?");
		scx_svg_polyline(&s, x, y, n, cls, t);
	}
	for (int side = 0; side < 2; side++) {
		const double *m = side ? md : mc;
		const char *cls = side ? "default" : "custom";

		n = 0;
		for (size_t k = 0; k < NPCT; k++)
			if (m[k] > 0) {
				x[n] = m[k];
				y[n++] = pct_y[k];
			}
		scx_svg_polyline(&s, x, y, n, cls, side ? "median run, default" : "median run, custom");
		for (size_t k = 0; k < n; k++) {
			html_fmt_ns(a, sizeof(a), x[k]);
			snprintf(t, sizeof(t), "%s, median run: %s below %s", cls,
				 pct_names[k], a);
			if (side)
				scx_svg_square(&s, x[k], y[k], 4, cls, t);
			else
				scx_svg_dot(&s, x[k], y[k], 4.5, cls, t);
		}
	}
	scx_svg_end(&s);
	html_figure_caption(f, "Each thin line is one valid run through the percentiles it recorded, "
			    "the thick line the median run of each side; further right is slower.");
	html_fallback_begin(f, "Table of the median run's percentiles",
			    (const char *const[]){ "percentile", "custom", "default", NULL });
	for (size_t k = 0; k < NPCT; k++) {
		fputs("<tr>", f);
		html_td(f, pct_names[k]);
		html_fmt_ns(a, sizeof(a), mc[k]);
		html_td(f, a);
		html_fmt_ns(a, sizeof(a), md[k]);
		html_td(f, a);
		fputs("</tr>\n", f);
	}
	html_fallback_end(f);
	html_figure_end(f);
}

static void tests_chart(FILE *f, const json_t *p)
{
	const json_t *tests = json_object_get(p, "tests"), *te;
	double alpha = html_num(p, "result.alpha"), lo = 1, hi = 1;
	size_t i, n = json_array_size(tests), nsig = 0;
	char desc[600], t[256], a[32], b[32];
	struct scx_svg s;

	if (!n)
		return;
	if (isnan(alpha))
		alpha = 0.05;
	json_array_foreach(tests, i, te) {
		for (const char *const *k = (const char *const[]){ "ratio", "ci95_low", "ci95_high", NULL };
		     *k; k++)
			if (html_num(te, *k) > 0) {
				lo = fmin(lo, html_num(te, *k));
				hi = fmax(hi, html_num(te, *k));
			}
		nsig += html_num(te, "p") < alpha;
	}
	snprintf(desc, sizeof(desc), "Ratio custom/default of %zu figures with their 95%% bootstrap "
		 "intervals; %zu of them have p below %g.", n, nsig, alpha);
	html_figure_begin(f, "fig-tests");
	scx_svg_begin(&s, f, "tests-svg", 640, 60 + 34 * (double)n, "Test figures: ratio custom/default",
		      desc);
	s.left = 140;
	scx_svg_axes(&s, &(struct scx_svg_axis){ .lo = lo / 1.2, .hi = hi * 1.2, .log = true,
						  .fmt = fmt_plain, .label = "ratio custom / default (log scale; 1 = same)" },
		     &(struct scx_svg_axis){ .lo = -0.5, .hi = (double)n - 0.5 });
	frame_log_x(&s);
	scx_svg_line(&s, 1, s.y.lo, 1, s.y.hi, "ref");
	json_array_foreach(tests, i, te) {
		double y = (double)(n - 1 - i), r = html_num(te, "ratio");
		const char *fig = jstr(te, "figure") ?: "?";
		bool sig = html_num(te, "p") < alpha;
		char label[64];

		figure_label(fig, label, sizeof(label));
		/* The row label drops the word the axis title already says. */
		if (strstr(label, " wakeup-to-run delay"))
			*strstr(label, " wakeup-to-run delay") = '\0', strcat(label, " wakeup");
		else if (strstr(label, " workload latency"))
			*strstr(label, " workload latency") = '\0', strcat(label, " workload");
		else if (!strncmp(label, "throughput", 10))
			label[10] = '\0';
		scx_svg_text(&s, s.left - 6, scx_svg_py(&s, y) + 4, "end", "lbl", label);
		if (!(r > 0))
			continue;
		if (html_num(te, "ci95_low") > 0 && html_num(te, "ci95_high") > 0)
			scx_svg_line(&s, html_num(te, "ci95_low"), y, html_num(te, "ci95_high"), y,
				     "ci custom");
		figure_label(fig, label, sizeof(label));
		snprintf(t, sizeof(t), "%s: ratio %.3g, 95%% interval [%.3g, %.3g], p = %.3g%s", label, r,
			 html_num(te, "ci95_low"), html_num(te, "ci95_high"), html_num(te, "p"),
			 json_is_true(json_object_get(te, "higher_is_better")) ? " (higher is better)" : "");
		scx_svg_dot(&s, r, y, 6, sig ? "custom" : "custom hollow", t);
	}
	scx_svg_end(&s);
	html_figure_caption(f, "Each figure's ratio custom/default (dot) and 95% interval (line); a "
			    "filled dot has p below the threshold. Left of 1: smaller on the custom "
			    "scheduler (better for latency, worse for throughput).");
	html_fallback_begin(f, "Table of the tests", (const char *const[]){
		"figure", "median custom", "median default", "ratio", "95% interval", "p", NULL });
	json_array_foreach(tests, i, te) {
		const char *fig = jstr(te, "figure") ?: "?";

		fputs("<tr>", f);
		html_td(f, fig);
		fmt_value(a, sizeof(a), fig, html_num(te, "median_a"));
		html_td(f, a);
		fmt_value(a, sizeof(a), fig, html_num(te, "median_b"));
		html_td(f, a);
		html_tdf(f, "%.3g", html_num(te, "ratio"));
		html_fmt_num(a, sizeof(a), html_num(te, "ci95_low"));
		html_fmt_num(b, sizeof(b), html_num(te, "ci95_high"));
		html_tdf(f, "[%s, %s]", a, b);
		html_tdf(f, "%.3g", html_num(te, "p"));
		fputs("</tr>\n", f);
	}
	html_fallback_end(f);
	html_figure_end(f);
}

static void params(FILE *f, const json_t *p)
{
	char buf[64];

	fputs("<div class=\"scroll\"><table class=\"kv\">\n", f);
	html_row(f, "status", jstr(p, "status"));
	html_row(f, "reason", jstr(p, "reason"));
	html_row(f, "workload", jstr(p, "workload") ?: jstr(p, "command"));
	if (!isnan(html_num(p, "rounds")))
		html_rowf(f, "rounds", "%.0f per side, %g s each", html_num(p, "rounds"),
			  html_num(p, "duration_s"));
	html_row(f, "manager", jstr(p, "manager"));
	html_row(f, "switch", jstr(p, "switch"));
	html_row(f, "restore", jstr(p, "restore.action"));
	if (jstr(p, "result.figure")) {
		html_fmt_num(buf, sizeof(buf), html_num(p, "result.p"));
		html_rowf(f, "primary figure", "%s: ratio %.3g, p = %s, %s (%s)", jstr(p, "result.figure"),
			  html_num(p, "result.ratio"), buf,
			  json_is_true(jget(p, "result.significant")) ? "significant" : "not significant",
			  jstr(p, "result.direction") ?: "?");
	}
	html_row(f, "ejected", jstr(p, "ejection.reason"));
	fputs("</table></div>\n", f);
}

void html_section_paired(FILE *f, const json_t *r)
{
	const json_t *p = jget(r, "paired");
	const char *figure;

	if (!jstr(p, "status"))
		return;
	fputs("<section id=\"paired\"><h2>Paired run: custom against default</h2>\n", f);
	params(f, p);
	figure = jstr(p, "result.figure");
	if (!figure && json_array_size(json_object_get(p, "tests")))
		figure = jstr(json_array_get(json_object_get(p, "tests"), 0), "figure");
	if (figure && json_array_size(json_object_get(p, "runs"))) {
		fputs("<h3>The primary figure, run by run</h3>\n", f);
		runs_chart(f, p, figure);
		fputs("<h3>Latency distributions</h3>\n", f);
		cdf_chart(f, p, figure);
	}
	if (json_array_size(json_object_get(p, "tests"))) {
		fputs("<h3>Test figures</h3>\n", f);
		tests_chart(f, p);
	}
	fputs("</section>\n", f);
}
