// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QoS scorecard as text and as a self-contained HTML table.  Reads only
 * the "qos" section (rows, counts, skipped, restore; figures and runs for
 * the HTML's per-run dot plots, drawn with formats/svg.h).
 */
#include "qos-scorecard.h"

#include <math.h>
#include <string.h>

#include "model.h"
#include "svg.h"

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

void scx_qos_format_value(char *buf, size_t len, const char *unit, const json_t *v)
{
	double x = json_is_number(v) ? json_number_value(v) : NAN;

	if (!isfinite(x))
		snprintf(buf, len, "-");
	else if (!strcmp(unit, "ns"))
		snprintf(buf, len, x >= 1e9 ? "%.3g s" : x >= 1e6 ? "%.3g ms" : x >= 1e3 ? "%.3g us"
								      : "%.3g ns",
			 x >= 1e9 ? x / 1e9 : x >= 1e6 ? x / 1e6 : x >= 1e3 ? x / 1e3 : x);
	else if (!strcmp(unit, "/s"))
		snprintf(buf, len, x >= 1e6 ? "%.4gM/s" : x >= 1e3 ? "%.4gk/s" : "%.4g/s",
			 x >= 1e6 ? x / 1e6 : x >= 1e3 ? x / 1e3 : x);
	else
		snprintf(buf, len, "%.3f", x);
}

static void ratio_text(char *buf, size_t len, const json_t *r)
{
	if (!isfinite(num(r, "ratio")))
		snprintf(buf, len, "-");
	else if (isfinite(num(r, "ci95_low")))
		snprintf(buf, len, "%.3f [%.3f, %.3f]", num(r, "ratio"), num(r, "ci95_low"),
			 num(r, "ci95_high"));
	else
		snprintf(buf, len, "%.3f", num(r, "ratio"));
}

static void header_line(FILE *f, const json_t *qos)
{
	const char *base = jstr(qos, "baseline") ?: "default";

	fprintf(f, "QoS scorecard: %s vs %s%s (suite %s: %" JSON_INTEGER_FORMAT " rounds x %.3g s%s)\n",
		jstr(qos, "ops") ?: "?", strcmp(base, "default") ? "" : "the ",
		strcmp(base, "default") ? base : "default scheduler", jstr(qos, "suite") ?: "?",
		json_integer_value(json_object_get(qos, "rounds")), num(qos, "duration_s"),
		json_is_true(json_object_get(qos, "calibrate")) ? ", calibrated" : ", no calibration");
}

void scx_qos_scorecard_text(FILE *f, const json_t *qos)
{
	const char *st = jstr(qos, "status") ?: "?";
	const json_t *r, *c = json_object_get(qos, "counts");
	size_t i;

	if (!strcmp(st, "skipped")) {
		fprintf(f, "QoS scorecard: not run: %s\n", jstr(qos, "reason") ?: "?");
		return;
	}
	header_line(f, qos);
	if (strcmp(st, "done"))
		fprintf(f, "Battery %s: %s\n", st, jstr(qos, "reason") ?: "");
	fprintf(f, "%-10s %-52s %11s %11s %-24s %-7s %s\n", "workload", "figure", "custom",
		"baseline", "ratio [95% interval]", "p", "verdict");
	json_array_foreach(json_object_get(qos, "rows"), i, r) {
		char cv[32], bv[32], rt[64], pv[16];
		const char *unit = jstr(r, "unit") ?: "";

		scx_qos_format_value(cv, sizeof(cv), unit, json_object_get(r, "custom"));
		scx_qos_format_value(bv, sizeof(bv), unit, json_object_get(r, "baseline"));
		ratio_text(rt, sizeof(rt), r);
		if (isfinite(num(r, "p")))
			snprintf(pv, sizeof(pv), "%.4f", num(r, "p"));
		else
			snprintf(pv, sizeof(pv), "-");
		fprintf(f, "%-10s %-52s %11s %11s %-24s %-7s %s\n", jstr(r, "workload") ?: "",
			jstr(r, "label") ?: "", cv, bv, rt, pv, jstr(r, "verdict") ?: "");
	}
	fprintf(f, "Rows: %" JSON_INTEGER_FORMAT " worse, %" JSON_INTEGER_FORMAT " better, %"
		JSON_INTEGER_FORMAT " same, %" JSON_INTEGER_FORMAT " inconclusive.",
		json_integer_value(json_object_get(c, "worse")), json_integer_value(json_object_get(c, "better")),
		json_integer_value(json_object_get(c, "same")),
		json_integer_value(json_object_get(c, "inconclusive")));
	if (isfinite(num(qos, "wall_s")))
		fprintf(f, " Battery wall time %.0f s.", num(qos, "wall_s"));
	fputc('\n', f);
	json_array_foreach(json_object_get(qos, "skipped"), i, r)
		fprintf(f, "Skipped %s: %s\n", jstr(r, "workload") ?: "?", jstr(r, "reason") ?: "?");
	if (jstr(qos, "restore.action"))
		fprintf(f, "Scheduler afterwards: %s (%s)\n", jstr(qos, "restore.action"),
			jstr(qos, "restore.ops") ?: jstr(qos, "restore.error") ?: jstr(qos, "ops") ?: "");
}

/* The path of a row's figure in a run's "figures" (from the section's figure table). */
static const char *figure_path(const json_t *qos, const json_t *row)
{
	const json_t *fig;
	size_t i;

	json_array_foreach(json_object_get(qos, "figures"), i, fig)
		if (!strcmp(jstr(fig, "workload") ?: "", jstr(row, "workload") ?: "") &&
		    !strcmp(jstr(fig, "figure") ?: "", jstr(row, "figure") ?: ""))
			return jstr(fig, "path");
	return NULL;
}

/* The values of one side of a row, from the valid runs; returns how many (at most max). */
static size_t side_values(const json_t *qos, const char *wl, const char *path, const char *side,
			  double *v, unsigned *round, size_t max)
{
	const json_t *run;
	size_t i, n = 0;

	json_array_foreach(json_object_get(qos, "runs"), i, run) {
		const json_t *x = jget(json_object_get(run, "figures"), path);

		if (n < max && json_is_true(json_object_get(run, "valid")) && json_is_number(x) &&
		    !strcmp(jstr(run, "workload") ?: "", wl) && !strcmp(jstr(run, "side") ?: "", side)) {
			round[n] = (unsigned)json_integer_value(json_object_get(run, "round"));
			v[n++] = json_number_value(x);
		}
	}
	return n;
}

#define PLOT_MAX_RUNS 256

/*
 * A row's runs as dots (formats/svg.h), one lane per side (custom, baseline,
 * calibration), on a linear axis from the smallest to the largest value.
 */
static void dot_plot(FILE *f, const json_t *qos, const json_t *row, size_t idx)
{
	static const struct { const char *side, *cls, *name; } lanes[] = {
		{ "custom", "custom", "custom" }, { "baseline", "default", "baseline" },
		{ "calibration", "calib", "calibration" },
	};
	static const double lane_y[] = { 3, 2, 1 };
	static const char *const lane_names[] = { "custom", "baseline", "calib." };
	const char *path = figure_path(qos, row), *wl = jstr(row, "workload") ?: "";
	double v[3][PLOT_MAX_RUNS], lo = INFINITY, hi = -INFINITY;
	unsigned round[3][PLOT_MAX_RUNS];
	size_t n[3] = { 0, 0, 0 };
	char id[32], tip[96];
	struct scx_svg s;

	if (!path)
		return;
	for (int l = 0; l < 3; l++)
		for (size_t i = 0; i < (n[l] = side_values(qos, wl, path, lanes[l].side, v[l], round[l],
							    PLOT_MAX_RUNS)); i++) {
			lo = fmin(lo, v[l][i]);
			hi = fmax(hi, v[l][i]);
		}
	if (!(lo <= hi))
		return;
	snprintf(id, sizeof(id), "qos-row-%zu", idx);
	scx_svg_begin(&s, f, id, 360, 110, jstr(row, "label") ?: "runs",
		      "one dot per valid run: custom, baseline and calibration lanes");
	scx_svg_axes(&s, &(struct scx_svg_axis){ .lo = lo, .hi = hi,
			 .fmt = !strcmp(jstr(row, "unit") ?: "", "ns") ? scx_svg_fmt_ns : scx_svg_fmt_num },
		     &(struct scx_svg_axis){ .lo = 0.5, .hi = 3.5 });
	fprintf(f, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		s.left, s.top, s.right - s.left, s.bottom - s.top);
	{
		double t[8];
		char buf[8][24];
		const char *lab[8];
		size_t k = scx_svg_ticks(s.x.lo, s.x.hi, t, 5);

		for (size_t i = 0; i < k && i < 8; i++) {
			s.x.fmt(buf[i], sizeof(buf[i]), t[i]);
			lab[i] = buf[i];
		}
		scx_svg_draw_x_labels(&s, t, lab, k < 8 ? k : 8);
	}
	scx_svg_draw_y_labels(&s, lane_y, lane_names, 3);
	for (int l = 0; l < 3; l++)
		for (size_t i = 0; i < n[l]; i++) {
			snprintf(tip, sizeof(tip), "%s round %u: %.6g", lanes[l].name, round[l][i], v[l][i]);
			scx_svg_dot(&s, v[l][i], lane_y[l], 4, lanes[l].cls, tip);
		}
	scx_svg_end(&s);
}

void scx_qos_scorecard_html(FILE *f, const json_t *qos)
{
	static const char *const cols[] = { "workload", "figure", "custom", "baseline",
					    "ratio [95% interval]", "p", "verdict",
					    "runs (custom, baseline, calibration)" };
	const json_t *r;
	char *head = NULL;
	size_t i, len = 0;
	FILE *h = open_memstream(&head, &len);

	if (h) {
		if (!strcmp(jstr(qos, "status") ?: "", "skipped"))
			fprintf(h, "QoS scorecard: not run: %s", jstr(qos, "reason") ?: "?");
		else
			header_line(h, qos);
		fclose(h);
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">" SCX_HTML_CSP_META "<title>scx-report QoS scorecard"
	      "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
	      "td,th{border:1px solid #999;padding:2px 6px}td.n{text-align:right}"
	      ".worse{background:#f8c8c8}.better{background:#c8f0c8}.inconclusive{background:#f4ecc0}"
	      "svg.chart{width:360px;height:auto;display:block;background:#fff}"
	      ".chart text{font-size:11px}.chart .frame{fill:none;stroke:#999}.chart .grid{stroke:#e6e6e6}"
	      ".chart .custom{fill:#c03030}.chart .default{fill:#3050c0}.chart .calib{fill:#909090}"
	      "</style></head><body>\n<h1>", f);
	scx_xml_esc(f, head ? head : "QoS scorecard");
	free(head);
	fputs("</h1>\n<table>\n<tr>", f);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		fputs("<th>", f);
		scx_xml_esc(f, cols[i]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	json_array_foreach(json_object_get(qos, "rows"), i, r) {
		char cv[32], bv[32], rt[64], pv[16] = "-";
		const char *unit = jstr(r, "unit") ?: "";

		scx_qos_format_value(cv, sizeof(cv), unit, json_object_get(r, "custom"));
		scx_qos_format_value(bv, sizeof(bv), unit, json_object_get(r, "baseline"));
		ratio_text(rt, sizeof(rt), r);
		if (isfinite(num(r, "p")))
			snprintf(pv, sizeof(pv), "%.4f", num(r, "p"));
		fputs("<tr class=\"", f);
		scx_xml_esc(f, jstr(r, "verdict"));
		fputs("\"><td>", f);
		scx_xml_esc(f, jstr(r, "workload"));
		fputs("</td><td>", f);
		scx_xml_esc(f, jstr(r, "label"));
		fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td class=\"n\">"
			"%s</td><td title=\"", cv, bv, rt, pv);
		scx_xml_esc(f, jstr(r, "why"));
		fputs("\">", f);
		scx_xml_esc(f, jstr(r, "verdict"));
		fputs("</td><td>", f);
		dot_plot(f, qos, r, i);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<p>Dots: one per valid run, red custom, blue baseline, grey calibration, each "
	      "row on its own scale from its smallest to its largest value; all values are in "
	      "qos.json.</p>\n", f);
	json_array_foreach(json_object_get(qos, "skipped"), i, r) {
		fputs("<p>Skipped ", f);
		scx_xml_esc(f, jstr(r, "workload"));
		fputs(": ", f);
		scx_xml_esc(f, jstr(r, "reason"));
		fputs("</p>\n", f);
	}
	fputs("</body></html>\n", f);
}
